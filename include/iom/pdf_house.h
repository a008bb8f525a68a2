/*
 * pdf_house: the look both PDFs share, so that a brief and a summary read
 * as one family: the palette, the header band of the first page and the
 * running band of the others, the footer rule and footer line, and the
 * closing steps of a document (footers, save, the missing-glyph warning).
 */
#ifndef IOM_PDF_HOUSE_H
#define IOM_PDF_HOUSE_H

#include <stdbool.h>

#include "iom/buf.h"
#include "iom/pdf_doc.h"
#include "iom/report.h"
#include "iom/status.h"

#define IOM_HOUSE_BLUE { 0.0f, 0.2f, 0.627f }      /* IOM blue, #0033A0 */
#define IOM_HOUSE_INK { 0.11f, 0.12f, 0.14f }
#define IOM_HOUSE_MUTED { 0.46f, 0.48f, 0.52f }
#define IOM_HOUSE_LABEL_INK { 0.25f, 0.28f, 0.35f }
#define IOM_HOUSE_WHITE { 1.0f, 1.0f, 1.0f }

/* Middle dot between the parts of a band or footer line. */
#define IOM_HOUSE_DOT " \xC2\xB7 "

/* Fills: table cells and label cells, and the thin rules. */
extern const float iom_house_cell_rgb[3];
extern const float iom_house_rule_rgb[3];

/* The styles both documents use the same way. */
extern const struct iom_pdf_style iom_house_title;
extern const struct iom_pdf_style iom_house_heading;
extern const struct iom_pdf_style iom_house_body;

/* Bottom margin of the text flow: above the footer rule. */
#define IOM_HOUSE_BOTTOM 64.0f

/*
 * The height of the text flow of a page after a document's first, under
 * its running band: the most that one block can take on a page of its
 * own.  Whatever is taller runs over pages.
 */
float iom_house_flow(const struct iom_pdf *pdf);

/*
 * Decorate the page just added (call it from the document's on_page): on
 * the 'first' page of a document (or of a part of the book) the header
 * band with "IOM Development Fund" and 'kind' ("Project Brief"), on later
 * pages a thin band with 'running'; the footer rule on every page.  Leaves
 * pdf->y at the top of the free space.
 */
enum iom_status iom_house_decorate(struct iom_pdf *pdf, const char *kind,
                                   const char *running, bool first);

/*
 * Set 'out' to 'fixed' followed by 'tail' (cleaned for the font), the
 * tail cut at a word (or, a single word, between characters) and ended
 * with an ellipsis when the whole does not fit on one line of the running
 * band; when 'fixed' alone does not (an ID of thousands of characters), it
 * is cut between characters, and the tail left out.
 */
enum iom_status iom_house_running(struct iom_pdf *pdf, const char *fixed,
                                  const char *tail, struct iom_buf *out);

/*
 * The document information of a document about the whole selection:
 * title "IOM Development Fund · KIND · SELECTION", subject, keywords,
 * author, creator and date.
 */
enum iom_status iom_house_info(struct iom_pdf *pdf,
                               const struct iom_report *rep,
                               const char *kind);

/*
 * Write the footer ("IOM Development Fund · 'footer'" and "Page N of M")
 * on every page, save, and warn once, naming 'what' ("brief 'T81-805'"),
 * when characters were missing from the font.
 */
enum iom_status iom_house_finish(struct iom_pdf *pdf, const char *footer,
                                 const char *what);

#endif
