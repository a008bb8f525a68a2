/*
 * pdf_summary: the portfolio summary (SPEC section 3, "Portfolio summary").
 */
#ifndef IOM_PDF_SUMMARY_H
#define IOM_PDF_SUMMARY_H

#include "iom/report.h"
#include "iom/status.h"

/* Render the summary of rep->agg into 'path' (see iom_brief_render()). */
enum iom_status iom_summary_render(const struct iom_report *rep,
                                   const char *path);

#endif
