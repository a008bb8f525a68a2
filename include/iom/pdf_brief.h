/*
 * pdf_brief: the one-project brief (README, "Outputs").
 */
#ifndef IOM_PDF_BRIEF_H
#define IOM_PDF_BRIEF_H

#include "iom/pdf_doc.h"
#include "iom/record.h"
#include "iom/report.h"
#include "iom/status.h"

/*
 * Render the brief of 'rec' into the file 'path' (created or replaced).
 * On failure the file may be partial: the caller writes into staging and
 * removes it.  Warnings (a missing glyph) go through iom_warnf().
 */
enum iom_status iom_brief_render(const struct iom_report *rep,
                                 const struct iom_record *rec,
                                 const char *path);

/*
 * Draw the brief of 'rec' from a new page of the open 'pdf' on (document
 * information, footers and saving are the caller's), its first page in
 * *first when 'first' is not NULL.  pdf->on_page is the brief's while it
 * draws, NULL afterwards.
 */
enum iom_status iom_brief_draw(struct iom_pdf *pdf,
                               const struct iom_record *rec,
                               HPDF_Page *first);

#endif
