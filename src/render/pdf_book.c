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

/*
 * The brief of the i-th project by budget, its outline entry under the
 * project list's, and the links from its row of the list, one on each
 * page the row is drawn on: marks->pieces from *k on.  The links are made
 * after the row was drawn: libharu lets a page take annotations until the
 * document is saved.
 */
static enum iom_status
brief(struct iom_pdf *pdf, const struct iom_report *rep,
      const struct iom_summary_marks *marks, size_t i, size_t *k,
      struct iom_buf *tmp)
{
    const struct iom_record *rec = iom_agg_by_budget(rep->agg)[i];
    HPDF_Page first = NULL;
    HPDF_Outline o;
    enum iom_status rc = IOM_OK;

    /* run records carry no description: read the whole record */
    if (rep->source)
        rc = iom_source_load(rep->source, rec, &rec);
    if (rc == IOM_OK)
        rc = iom_brief_draw(pdf, rec, &first);
    iom_buf_reset(tmp);
    if (rc == IOM_OK)
        rc = iom_buf_addf(tmp, "%s" IOM_HOUSE_DOT "%s", rec->id, rec->title);
    if (rc == IOM_OK)
        rc = iom_pdf_outline(pdf, marks->projects, tmp->data, first, &o);
    for (; rc == IOM_OK && *k < marks->n_pieces &&
           marks->pieces[*k].row == i; ++*k) {
        const struct iom_summary_piece *p = &marks->pieces[*k];
        HPDF_Rect rect;

        rect.left = pdf->left;
        rect.right = pdf->left + iom_pdf_content_width(pdf);
        rect.top = p->top;
        rect.bottom = p->bottom;
        /* an error sticks to the document and comes back from the next
         * call */
        HPDF_LinkAnnot_SetBorderStyle(
            HPDF_Page_CreateLinkAnnot(p->page, rect,
                                      HPDF_Page_CreateDestination(first)),
            0, 0, 0);
    }
    return rc;
}

enum iom_status
iom_book_render(const struct iom_report *rep, const char *path)
{
    size_t n = iom_agg_count(rep->agg), i, k = 0;
    struct iom_summary_marks marks = { NULL, NULL, 0, 0 };
    struct iom_buf tmp = IOM_BUF_INIT;
    struct iom_pdf pdf;
    enum iom_status rc;

    rc = iom_summary_open(&pdf, rep, path);
    if (rc == IOM_OK) {
        /* open with the bookmarks shown: the outline is the way around */
        HPDF_SetPageMode(pdf.doc, HPDF_PAGE_MODE_USE_OUTLINE);
        rc = iom_house_info(&pdf, rep, KIND);
    }
    if (rc == IOM_OK)
        rc = iom_summary_draw(&pdf, rep, &marks);
    for (i = 0; rc == IOM_OK && i < n; i++)
        rc = brief(&pdf, rep, &marks, i, &k, &tmp);
    iom_buf_reset(&tmp);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&tmp, KIND IOM_HOUSE_DOT "%s", rep->selection);
    if (rc == IOM_OK)
        rc = iom_house_finish(&pdf, tmp.data, "book");
    if (rc == IOM_ENOMEM && pdf.st == IOM_OK)
        iom_errorf("cannot render '%s': %s", path, iom_strerror(rc));
    iom_pdf_close(&pdf);
    iom_buf_release(&tmp);
    free(marks.pieces);
    return rc;
}
