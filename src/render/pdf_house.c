/*
 * pdf_house: the shared look of the brief and the summary.
 */
#include <string.h>

#include "iom/buf.h"
#include "iom/msg.h"
#include "iom/pdf_house.h"

#define BAND_H 84.0f            /* first page */
#define RUN_BAND_H 28.0f        /* continuation pages */
#define STRIPE_H 3.0f
#define RUN_GAP 24.0f           /* under the running band */
#define FOOTER_RULE 44.0f
#define FOOTER_BASELINE 30.0f
#define PALE_TEXT { 0.82f, 0.88f, 1.0f }
#define BAND_BYTES_MAX 1024     /* more than a band line ever holds */

const float iom_house_cell_rgb[3] = { 0.94f, 0.955f, 0.975f };
const float iom_house_rule_rgb[3] = { 0.80f, 0.83f, 0.88f };

const struct iom_pdf_style iom_house_title =
    { IOM_PDF_BOLD, 20, 25, IOM_HOUSE_BLUE };
const struct iom_pdf_style iom_house_heading =
    { IOM_PDF_BOLD, 13, 18, IOM_HOUSE_BLUE };
const struct iom_pdf_style iom_house_body =
    { IOM_PDF_REGULAR, 10.5f, 15, IOM_HOUSE_INK };

static const float band_rgb[3] = IOM_HOUSE_BLUE;
static const float stripe_rgb[3] = { 0.36f, 0.55f, 0.85f };
static const struct iom_pdf_style band_name =
    { IOM_PDF_BOLD, 18, 22, IOM_HOUSE_WHITE };
static const struct iom_pdf_style band_kind =
    { IOM_PDF_REGULAR, 11, 14, PALE_TEXT };
static const struct iom_pdf_style band_small =
    { IOM_PDF_REGULAR, 8.5f, 11, PALE_TEXT };
static const struct iom_pdf_style footer_style =
    { IOM_PDF_REGULAR, 8, 10, IOM_HOUSE_MUTED };

enum iom_status
iom_house_decorate(struct iom_pdf *pdf, const char *kind, const char *running,
                   bool first)
{
    float w = pdf->width, h = pdf->height, cw = iom_pdf_content_width(pdf);
    float band = first ? BAND_H : RUN_BAND_H;
    enum iom_status rc;

    rc = iom_pdf_rect(pdf, band_rgb, 0, h - band, w, band);
    if (rc == IOM_OK)
        rc = iom_pdf_rect(pdf, stripe_rgb, 0, h - band - STRIPE_H, w,
                          STRIPE_H);
    if (rc == IOM_OK)
        rc = iom_pdf_rect(pdf, iom_house_rule_rgb, pdf->left, FOOTER_RULE, cw,
                          0.6f);
    if (rc != IOM_OK)
        return rc;
    if (!first) {
        rc = iom_pdf_text(pdf, &band_small, pdf->left, h - 8.5f, cw,
                          IOM_PDF_LEFT, running);
        pdf->y = h - band - STRIPE_H - RUN_GAP;
        return rc;
    }
    rc = iom_pdf_text(pdf, &band_name, pdf->left, h - 22, cw, IOM_PDF_LEFT,
                      "IOM Development Fund");
    if (rc == IOM_OK)
        rc = iom_pdf_text(pdf, &band_kind, pdf->left, h - 46, cw,
                          IOM_PDF_LEFT, kind);
    if (rc == IOM_OK)
        rc = iom_pdf_text(pdf, &band_small, pdf->left, h - 48.4f, cw,
                          IOM_PDF_RIGHT,
                          "International Organization for Migration");
    pdf->y = h - band - STRIPE_H - 28;
    return rc;
}

float
iom_house_flow(const struct iom_pdf *pdf)
{
    return pdf->height - RUN_BAND_H - STRIPE_H - RUN_GAP - pdf->bottom;
}

enum iom_status
iom_house_running(struct iom_pdf *pdf, const char *fixed, const char *tail,
                  struct iom_buf *out)
{
    static const char more[] = "\xE2\x80\xA6";
    float room = iom_pdf_content_width(pdf);
    enum iom_pdf_face face = band_small.face;
    float size = band_small.size, w;
    size_t head, tail_at, end, cut;
    enum iom_status rc;

    iom_buf_reset(out);
    rc = iom_pdf_clean(pdf, face, fixed, strlen(fixed), false, out);
    head = tail_at = out->len;
    if (rc == IOM_OK)
        rc = iom_pdf_clean(pdf, face, tail, strlen(tail), false, out);
    if (rc != IOM_OK ||
        iom_pdf_width(pdf, face, size, out->data, out->len) <= room)
        return rc;
    room -= iom_pdf_width(pdf, face, size, more, strlen(more));
    if (iom_pdf_width(pdf, face, size, out->data, tail_at) > room)
        head = 0;
    /* no line of the band holds more than this: measure no further */
    if (out->len > head + BAND_BYTES_MAX) {
        cut = head + BAND_BYTES_MAX;
        while (((unsigned char)out->data[cut] & 0xC0) == 0x80)
            cut--;
        out->len = cut;
        out->data[cut] = '\0';
    }
    /* the longest start that fits, cut at a space of the tail if it has
     * one */
    for (end = head; end < out->len; end = cut) {
        cut = end + 1;
        while (cut < out->len && ((unsigned char)out->data[cut] & 0xC0) ==
               0x80)
            cut++;
        w = iom_pdf_width(pdf, face, size, out->data, cut);
        if (w > room)
            break;
    }
    cut = end;
    while (cut > tail_at && out->data[cut] != ' ')
        cut--;
    if (cut <= tail_at)
        cut = end;
    while (cut > head && out->data[cut - 1] == ' ')
        cut--;
    out->len = cut;
    out->data[cut] = '\0';
    return iom_buf_adds(out, more);
}

enum iom_status
iom_house_info(struct iom_pdf *pdf, const struct iom_report *rep,
               const char *kind)
{
    struct iom_pdf_info in = {
        NULL, NULL, IOM_ORGANIZATION, "iomreport " IOM_VERSION, NULL,
        rep->created
    };
    struct iom_buf t = IOM_BUF_INIT, sub = IOM_BUF_INIT, kw = IOM_BUF_INIT;
    enum iom_status rc;

    rc = iom_buf_addf(&t, "IOM Development Fund" IOM_HOUSE_DOT "%s"
                      IOM_HOUSE_DOT "%s", kind, rep->selection);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&sub, "%s of IOM Development Fund projects: %s",
                          kind, rep->selection);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&kw, "IOM Development Fund; %s; %s; %s", kind,
                          rep->label, rep->selection);
    in.title = t.data;
    in.subject = sub.data;
    in.keywords = kw.data;
    if (rc == IOM_OK)
        rc = iom_pdf_set_info(pdf, &in);
    iom_buf_release(&t);
    iom_buf_release(&sub);
    iom_buf_release(&kw);
    return rc;
}

enum iom_status
iom_house_finish(struct iom_pdf *pdf, const char *footer, const char *what)
{
    struct iom_buf line = IOM_BUF_INIT;
    enum iom_status rc;

    rc = iom_buf_addf(&line, "IOM Development Fund" IOM_HOUSE_DOT "%s",
                      footer);
    if (rc == IOM_OK)
        rc = iom_pdf_footers(pdf, &footer_style, FOOTER_BASELINE, line.data);
    iom_buf_release(&line);
    if (rc == IOM_OK)
        rc = iom_pdf_save(pdf);
    if (rc == IOM_OK && pdf->n_replaced)
        iom_warnf("%s: %zu character%s not in the font, shown as '%s' "
                  "(first U+%04lX)", what, pdf->n_replaced,
                  pdf->n_replaced == 1 ? "" : "s", pdf->replacement,
                  (unsigned long)pdf->first_replaced);
    return rc;
}
