/*
 * pdf_book: book.pdf, the one file for readers who want one: the portfolio
 * summary followed by the brief of every selected project in the order of
 * the summary's project list (largest budget first).  Each row of that
 * list links to its project's first page, the outline holds an entry per
 * project under the list's "Projects" entry, and the footers count the
 * book's pages.  The summary and the briefs are drawn once, by their own
 * modules, into the one document.
 */
#ifndef IOM_PDF_BOOK_H
#define IOM_PDF_BOOK_H

#include "iom/report.h"
#include "iom/status.h"

/* Render the book of rep->agg into 'path' (see iom_brief_render()). */
enum iom_status iom_book_render(const struct iom_report *rep,
                                const char *path);

#endif
