/*
 * xlsx: the roll-up workbook (README, "Roll-up workbook").
 */
#ifndef IOM_XLSX_H
#define IOM_XLSX_H

#include <stddef.h>

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

/*
 * Projects on one Projects sheet: Excel's 1,048,576 rows less the header
 * and the Total row.
 */
#define IOM_XLSX_SHEET_ROWS ((size_t)1048574)

/*
 * The same with at most 'sheet_rows' (> 0) projects on a Projects sheet;
 * the others continue on "Projects (2)", "Projects (3)", ..., each with
 * its header row and its Total row.  iom_xlsx_render() gives IOM_XLSX_SHEET_ROWS.
 */
enum iom_status iom_xlsx_render_rows(const struct iom_report *rep,
                                     const char *path, const char *tmpdir,
                                     size_t sheet_rows);

#endif
