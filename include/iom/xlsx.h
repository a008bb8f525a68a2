/*
 * xlsx: the roll-up workbook (SPEC section 3, "Roll-up workbook").
 */
#ifndef IOM_XLSX_H
#define IOM_XLSX_H

#include "iom/report.h"
#include "iom/status.h"

/*
 * Write the workbook of rep->agg into 'path'.  'tmpdir' is where
 * libxlsxwriter keeps its temporary files (the staging folder).  On
 * failure a partial file may be left at 'path'; the caller's staging
 * cleanup removes it.
 */
enum iom_status iom_xlsx_render(const struct iom_report *rep,
                                const char *path, const char *tmpdir);

#endif
