/*
 * pdf_summary: the portfolio summary (README, "Outputs").
 */
#ifndef IOM_PDF_SUMMARY_H
#define IOM_PDF_SUMMARY_H

#include "iom/buf.h"
#include "iom/pdf_doc.h"
#include "iom/report.h"
#include "iom/status.h"

/* Render the summary of rep->agg into 'path' (see iom_brief_render()). */
enum iom_status iom_summary_render(const struct iom_report *rep,
                                   const char *path);

/* Where one row of the project list was drawn. */
struct iom_summary_row {
    HPDF_Page page;
    float top, bottom;
};

/* What the book links to the briefs that follow the summary. */
struct iom_summary_marks {
    HPDF_Outline projects;          /* the project list's outline entry */
    struct iom_summary_row *rows;   /* one a project, by budget (caller's) */
};

/*
 * Draw the summary from a new page of the open 'pdf' on (document
 * information and saving are the caller's), filling 'marks' when not
 * NULL.  pdf->on_page is the summary's while it draws, NULL afterwards.
 */
/*
 * Open 'pdf' for a document that holds the summary (and maybe more: the
 * book's briefs draw only characters of the records), its fonts in the
 * cheapest encoding that covers all of it.
 */
enum iom_status iom_summary_open(struct iom_pdf *pdf,
                                 const struct iom_report *rep,
                                 const char *path);

enum iom_status iom_summary_draw(struct iom_pdf *pdf,
                                 const struct iom_report *rep,
                                 struct iom_summary_marks *marks);

/* The summary's footer text ("Portfolio summary · SELECTION"). */
enum iom_status iom_summary_footer(const struct iom_report *rep,
                                   struct iom_buf *out);

#endif
