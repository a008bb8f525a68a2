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

/*
 * Where a row of the project list was drawn on one page.  A row taller
 * than a page runs over several, one piece on each.
 */
struct iom_summary_piece {
    size_t row;                 /* the project's place in the list */
    HPDF_Page page;
    float top, bottom;
};

/*
 * What the book links to the briefs that follow the summary: the pieces
 * of the rows in the order of the list (each row has at least one).  The
 * caller zeroes the struct and free()s 'pieces'.
 */
struct iom_summary_marks {
    HPDF_Outline projects;      /* the project list's outline entry */
    struct iom_summary_piece *pieces;
    size_t n_pieces, cap_pieces;
};

/*
 * Open 'pdf' for a document that holds the summary (and maybe more: the
 * book's briefs draw only characters of the records), its fonts in the
 * cheapest encoding that covers all of it.
 */
enum iom_status iom_summary_open(struct iom_pdf *pdf,
                                 const struct iom_report *rep,
                                 const char *path);

/*
 * Draw the summary from a new page of the open 'pdf' on (document
 * information and saving are the caller's), filling 'marks' when not
 * NULL.  pdf->on_page is the summary's while it draws, NULL afterwards.
 */
enum iom_status iom_summary_draw(struct iom_pdf *pdf,
                                 const struct iom_report *rep,
                                 struct iom_summary_marks *marks);

/* The summary's footer text ("Portfolio summary · SELECTION"). */
enum iom_status iom_summary_footer(const struct iom_report *rep,
                                   struct iom_buf *out);

#endif
