/*
 * pdf_book: the summary and every brief in one document, tied together by
 * links and the outline (see the header).
 */
#include <stdlib.h>

#include "iom/buf.h"
#include "iom/msg.h"
#include "iom/pdf_book.h"
#include "iom/pdf_brief.h"
#include "iom/pdf_house.h"
#include "iom/pdf_summary.h"
#include "iom/source.h"

#define KIND "Portfolio summary and project briefs"

struct book {
    struct iom_pdf pdf;
    const struct iom_report *rep;
    struct iom_summary_marks marks;
    size_t piece;               /* marks.pieces of the rows to come */
    struct iom_buf title;       /* an outline entry's */
    struct iom_buf drawing;     /* "project ID", for the messages */
};

/*
 * The brief of the i-th project by budget, its outline entry under the
 * project list's, and the links from its row of the list, one on each
 * page the row is drawn on.  The links are made after the row was drawn:
 * libharu lets a page take annotations until the document is saved.
 */
static enum iom_status
brief(struct book *b, size_t i)
{
    struct iom_pdf *pdf = &b->pdf;
    const struct iom_record *rec = iom_agg_by_budget(b->rep->agg)[i];
    const struct iom_summary_marks *marks = &b->marks;
    HPDF_Page first = NULL;
    HPDF_Outline o;
    enum iom_status rc;

    iom_buf_reset(&b->drawing);
    rc = iom_buf_addf(&b->drawing, "project %s", rec->id);
    pdf->drawing = rc == IOM_OK ? b->drawing.data : NULL;
    /* run records carry no description: read the whole record */
    if (rc == IOM_OK && b->rep->source)
        rc = iom_source_load(b->rep->source, rec, &rec);
    if (rc == IOM_OK)
        rc = iom_brief_draw(pdf, rec, &first);
    iom_buf_reset(&b->title);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&b->title, "%s" IOM_HOUSE_DOT "%s", rec->id,
                          rec->title);
    if (rc == IOM_OK)
        rc = iom_pdf_outline(pdf, marks->projects, b->title.data, first, &o);
    for (; rc == IOM_OK && b->piece < marks->n_pieces &&
           marks->pieces[b->piece].row == i; b->piece++) {
        const struct iom_summary_piece *p = &marks->pieces[b->piece];
        HPDF_Rect rect;

        rect.left = pdf->left;
        rect.right = pdf->left + iom_pdf_content_width(pdf);
        rect.top = p->top;
        rect.bottom = p->bottom;
        rc = iom_pdf_link(pdf, p->page, rect, first);
    }
    return rc;
}

enum iom_status
iom_book_render(const struct iom_report *rep, const char *path)
{
    size_t n = iom_agg_count(rep->agg), i;
    struct book b = { .rep = rep };
    struct iom_pdf *pdf = &b.pdf;
    enum iom_status rc;

    iom_buf_init(&b.title);
    iom_buf_init(&b.drawing);
    rc = iom_summary_open(pdf, rep, path);
    if (rc == IOM_OK) {
        /* open with the bookmarks shown: the outline is the way around */
        HPDF_SetPageMode(pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE);
        rc = iom_house_info(pdf, rep, KIND);
    }
    if (rc == IOM_OK)
        rc = iom_summary_draw(pdf, rep, &b.marks);
    for (i = 0; rc == IOM_OK && i < n; i++)
        rc = brief(&b, i);
    pdf->drawing = NULL;
    iom_buf_reset(&b.title);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&b.title, KIND IOM_HOUSE_DOT "%s", rep->selection);
    if (rc == IOM_OK)
        rc = iom_house_finish(pdf, b.title.data, "book");
    if (rc == IOM_ENOMEM && pdf->st == IOM_OK)
        iom_errorf("cannot render '%s': %s", path, iom_strerror(rc));
    iom_pdf_close(pdf);
    iom_buf_release(&b.title);
    iom_buf_release(&b.drawing);
    free(b.marks.pieces);
    return rc;
}
