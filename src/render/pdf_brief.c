/*
 * pdf_brief: the page design of one project brief: a blue header band, the
 * title, the facts of the public project page labelled as there, and the
 * description, with a running band and footer on every page.  Layout
 * mechanics (wrapping, page flow, fonts) are pdf_doc's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/pdf_brief.h"
#include "iom/pdf_doc.h"
#include "iom/pdf_house.h"

static const struct iom_pdf_style label =
    { IOM_PDF_BOLD, 9, 14, IOM_HOUSE_LABEL_INK };
static const struct iom_pdf_style value =
    { IOM_PDF_REGULAR, 10, 14, IOM_HOUSE_INK };
static const struct iom_pdf_style absent =
    { IOM_PDF_REGULAR, 10, 14, IOM_HOUSE_MUTED };
static const struct iom_pdf_style body_absent =
    { IOM_PDF_REGULAR, 10.5f, 15, IOM_HOUSE_MUTED };

#define LABEL_W 165.0f          /* fits "Benefiting Member States" */
#define CELL_PAD 5.0f
#define CELL_INSET 8.0f
#define LIST_INDENT 14.0f
#define PARA_GAP 6.0f
#define ITEM_GAP 2.0f
#define BLANK_GAP 7.0f
#define STATES_ONE_COLUMN 4     /* more states than this flow in columns */
#define STATES_GAP 12.0f

/*
 * The bands and the footer rule: everything on a page but its text flow.
 * 'ctx' holds the running band of the continuation pages, which names the
 * project, so that a loose page still says whose it is.
 */
struct pages {
    struct iom_buf band;
    size_t first;               /* pdf->n_pages of the brief's first page */
};

static enum iom_status
on_page(struct iom_pdf *pdf, void *ctx)
{
    const struct pages *pg = ctx;

    return iom_house_decorate(pdf, "Project Brief", pg->band.data,
                              pdf->n_pages == pg->first);
}

/* "IOM Development Fund · Project Brief · ID · title shortened to fit" */
static enum iom_status
running_band(struct iom_pdf *pdf, const struct iom_record *rec,
             struct iom_buf *tmp, struct iom_buf *band)
{
    enum iom_status rc;

    iom_buf_reset(tmp);
    rc = iom_buf_addf(tmp, "IOM Development Fund" IOM_HOUSE_DOT
                      "Project Brief" IOM_HOUSE_DOT "%s%s", rec->id,
                      *rec->title ? IOM_HOUSE_DOT : "");
    if (rc == IOM_OK)
        rc = iom_house_running(pdf, tmp->data, rec->title, band);
    return rc;
}

/*
 * One row of the facts table.  An empty value shows as "Unspecified", the
 * word the summary and the workbook group empty regions and types under.
 * A row goes whole to the next page when it does not fit here; one taller
 * than a page starts here when its first two lines fit and runs on over
 * the pages it needs, each part in its own cells, the label on each.
 */
static enum iom_status
fact(struct iom_pdf *pdf, const char *name, const char *text)
{
    float x = pdf->left, cw = iom_pdf_content_width(pdf), h;
    struct iom_pdf_block lb, vb;
    size_t lines, from = 0, to;
    enum iom_status rc;

    /* failures stick to 'pdf': the second call returns the first's */
    iom_pdf_block_init(pdf, &lb, &label, name, LABEL_W - 2 * CELL_INSET, 0);
    rc = iom_pdf_block_init(pdf, &vb, *text ? &value : &absent,
                            *text ? text : IOM_UNSPECIFIED,
                            cw - LABEL_W - 2 * CELL_INSET, 0);
    /* the label's and the value's styles share one leading */
    lines = lb.lines.n > vb.lines.n ? lb.lines.n : vb.lines.n;
    h = (float)lines * value.leading + 2 * CELL_PAD;
    if (rc == IOM_OK)
        rc = iom_pdf_ensure(pdf, h <= iom_house_flow(pdf) ? h :
                                 2 * value.leading + 2 * CELL_PAD);
    /* each page after the first is a new one, which holds lines */
    while (rc == IOM_OK) {
        to = from + iom_pdf_lines_fit(pdf, value.leading, CELL_PAD);
        if (to > lines)
            to = lines;
        h = (float)(to - from) * value.leading + 2 * CELL_PAD;
        rc = iom_pdf_rect(pdf, iom_house_cell_rgb, x, pdf->y - h, LABEL_W,
                          h);
        if (rc == IOM_OK)
            rc = iom_pdf_block_draw_key(pdf, &lb, from, to, x + CELL_INSET,
                                        pdf->y - CELL_PAD, IOM_PDF_LEFT);
        if (rc == IOM_OK)
            rc = iom_pdf_block_draw_lines(pdf, &vb, from, to,
                                          x + LABEL_W + CELL_INSET,
                                          pdf->y - CELL_PAD, IOM_PDF_LEFT);
        if (rc == IOM_OK)
            rc = iom_pdf_rect(pdf, iom_house_rule_rgb, x, pdf->y - h, cw,
                              0.6f);
        pdf->y -= h;
        from = to;
        if (rc != IOM_OK || from >= lines)
            break;
        rc = iom_pdf_add_page(pdf);
    }
    iom_pdf_block_release(&lb);
    iom_pdf_block_release(&vb);
    return rc;
}

/* A date as read, or as the input gives it when it could not be read. */
static enum iom_status
date_fact(struct iom_pdf *pdf, const char *name, const struct iom_record *rec,
          const struct iom_date *d)
{
    const char *given = iom_record_date_given(rec, d);
    char text[11];

    return fact(pdf, name, given ? given : iom_date_format(d, text));
}

/* Region and type hold IOM_UNSPECIFIED when the export left them empty. */
static const char *
specified(const char *s)
{
    return strcmp(s, IOM_UNSPECIFIED) == 0 ? "" : s;
}

/*
 * Three columns when every name of the list reads on one line in them,
 * else two, in which a long name wraps.
 */
static size_t
state_columns(struct iom_pdf *pdf, const struct iom_record *rec, float vw)
{
    float colw = (vw - 2 * STATES_GAP) / 3;
    size_t i;

    for (i = 0; i < rec->n_states; i++)
        if (iom_pdf_width(pdf, value.face, value.size, rec->states[i],
                          strlen(rec->states[i])) > colw)
            return 2;
    return 3;
}

/* Height of 'rows' rows of names b[0..n) down 'k' columns. */
static float
columns_height(const struct iom_pdf_block *b, size_t n, size_t k,
               size_t rows)
{
    float h = 0;
    size_t r, c;

    for (r = 0; r < rows; r++) {
        float row = 0;

        for (c = 0; c < k && c * rows + r < n; c++)
            if (iom_pdf_block_height(&b[c * rows + r]) > row)
                row = iom_pdf_block_height(&b[c * rows + r]);
        h += row;
    }
    return h;
}

/*
 * Names b[0..n) down 'k' columns of 'colw' from pdf->y, 'rows' to a
 * column; pdf->y ends below them.
 */
static enum iom_status
draw_columns(struct iom_pdf *pdf, const struct iom_pdf_block *b, size_t n,
             size_t k, size_t rows, float x, float colw)
{
    enum iom_status rc = IOM_OK;
    size_t r, c;

    for (r = 0; rc == IOM_OK && r < rows; r++) {
        float row = 0;

        for (c = 0; rc == IOM_OK && c < k && c * rows + r < n; c++) {
            const struct iom_pdf_block *one = &b[c * rows + r];

            rc = iom_pdf_block_draw(pdf, one,
                                    x + (float)c * (colw + STATES_GAP),
                                    pdf->y, IOM_PDF_LEFT);
            if (iom_pdf_block_height(one) > row)
                row = iom_pdf_block_height(one);
        }
        pdf->y -= row;
    }
    return rc;
}

/* The member states one a line, as any other fact. */
static enum iom_status
states_lines(struct iom_pdf *pdf, const struct iom_record *rec,
             struct iom_buf *tmp)
{
    enum iom_status rc = IOM_OK;
    size_t i;

    iom_buf_reset(tmp);
    for (i = 0; rc == IOM_OK && i < rec->n_states; i++)
        if ((rc = iom_buf_adds(tmp, rec->states[i])) == IOM_OK &&
            i + 1 < rec->n_states)
            rc = iom_buf_addc(tmp, '\n');
    if (rc == IOM_OK)
        rc = fact(pdf, "Benefiting Member States", tmp->data);
    return rc;
}

/*
 * A long member-state list flows down two or three columns, so that it
 * does not push the description overleaf one name a line.  A list taller
 * than the room left goes on over pages, each part down its own columns
 * (two rows at least on a page), the label on the first.  Two rows of
 * names must fit on a page of their own: a list with a name longer than
 * that reads one name a line in the whole width, running over pages.
 */
static enum iom_status
states_fact(struct iom_pdf *pdf, const struct iom_record *rec,
            struct iom_buf *tmp)
{
    float x = pdf->left, cw = iom_pdf_content_width(pdf);
    float vw = cw - LABEL_W - 2 * CELL_INSET;
    size_t k = state_columns(pdf, rec, vw), n = rec->n_states, from, i;
    float colw = (vw - (float)(k - 1) * STATES_GAP) / (float)k;
    struct iom_pdf_block lb, *b = calloc(n, sizeof *b);
    enum iom_status rc = b ? IOM_OK : IOM_ENOMEM;
    bool in_lines = false;

    iom_pdf_block_init(pdf, &lb, &label, "Benefiting Member States",
                       LABEL_W - 2 * CELL_INSET, 0);
    for (i = 0; rc == IOM_OK && i < n; i++) {
        rc = iom_pdf_block_init(pdf, &b[i], &value, rec->states[i], colw,
                                0);
        if (2 * iom_pdf_block_height(&b[i]) + 2 * CELL_PAD >
            iom_house_flow(pdf))
            in_lines = true;
    }
    if (rc == IOM_OK && in_lines)
        rc = states_lines(pdf, rec, tmp);
    for (from = 0; rc == IOM_OK && !in_lines && from < n;) {
        size_t left = n - from, rows = (left + k - 1) / k;
        float room = pdf->y - pdf->bottom - 2 * CELL_PAD, top = pdf->y, h;

        while (rows > 2 && columns_height(b + from, left, k, rows) > room)
            rows--;
        if (columns_height(b + from, left, k, rows) > room) {
            rc = iom_pdf_add_page(pdf);
            continue;
        }
        h = columns_height(b + from, left, k, rows);
        if (from == 0 && h < iom_pdf_block_height(&lb))
            h = iom_pdf_block_height(&lb);
        h += 2 * CELL_PAD;
        rc = iom_pdf_rect(pdf, iom_house_cell_rgb, x, top - h, LABEL_W, h);
        if (rc == IOM_OK && from == 0)
            rc = iom_pdf_block_draw(pdf, &lb, x + CELL_INSET, top - CELL_PAD,
                                    IOM_PDF_LEFT);
        pdf->y = top - CELL_PAD;
        if (rc == IOM_OK)
            rc = draw_columns(pdf, b + from, left, k, rows,
                              x + LABEL_W + CELL_INSET, colw);
        if (rc == IOM_OK)
            rc = iom_pdf_rect(pdf, iom_house_rule_rgb, x, top - h, cw, 0.6f);
        pdf->y = top - h;
        from += rows * k < left ? rows * k : left;
    }
    for (i = 0; b && i < n; i++)
        iom_pdf_block_release(&b[i]);
    free(b);
    iom_pdf_block_release(&lb);
    return rc;
}

static enum iom_status
facts(struct iom_pdf *pdf, const struct iom_record *rec, struct iom_buf *tmp)
{
    char money[IOM_MONEY_TEXT_MAX];
    enum iom_status rc;

    rc = iom_pdf_rect(pdf, iom_house_rule_rgb, pdf->left, pdf->y, iom_pdf_content_width(pdf),
                      0.6f);
    if (rc == IOM_OK)
        rc = date_fact(pdf, "Start Date", rec, &rec->start);
    if (rc == IOM_OK)
        rc = date_fact(pdf, "End Date", rec, &rec->end);
    if (rc == IOM_OK)
        rc = fact(pdf, "Project Status", rec->status);
    if (rc == IOM_OK)
        rc = fact(pdf, "Project Type", specified(rec->type));
    iom_buf_reset(tmp);
    if (rc == IOM_OK && (rc = iom_buf_addf(tmp, "USD %s",
                         iom_money_format(rec->budget_cents, money))) == IOM_OK)
        rc = fact(pdf, "Budget Amount (USD)", tmp->data);
    if (rc == IOM_OK)
        rc = fact(pdf, "Coverage", rec->coverage);
    iom_buf_reset(tmp);
    if (rc == IOM_OK && (rc = iom_buf_addf(tmp, "%d", rec->year)) == IOM_OK)
        rc = fact(pdf, "Year", tmp->data);
    if (rc == IOM_OK)
        rc = fact(pdf, "IDF Region", specified(rec->region));
    if (rc == IOM_OK)
        rc = fact(pdf, "Projects ID", rec->id);
    if (rc == IOM_OK && *rec->prima_id)
        rc = fact(pdf, "Prima ID", rec->prima_id);
    /* a short list one state a line: each name reads whole, the list
     * scans down */
    if (rc == IOM_OK && rec->n_states <= STATES_ONE_COLUMN)
        rc = states_lines(pdf, rec, tmp);
    else if (rc == IOM_OK)
        rc = states_fact(pdf, rec, tmp);
    return rc;
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Length of the list marker that starts 's' ("1. ", "12) ", "a) ", "(iv) ",
 * "- ", "• ") with the spaces after it, or 0 when 's' is prose.
 */
static size_t
list_marker(const char *s)
{
    static const char *const bullets[] = {
        "-", "*", "\xE2\x80\xA2", "\xE2\x80\x93", "\xC2\xB7"
    };
    size_t n = 0, i, start;

    for (i = 0; i < sizeof bullets / sizeof bullets[0]; i++)
        if (strncmp(s, bullets[i], strlen(bullets[i])) == 0) {
            n = strlen(bullets[i]);
            goto spaces;
        }
    start = n = s[0] == '(';
    while (n - start < 3 && is_digit(s[n]))
        n++;
    if (n == start)
        while (n - start < 4 && is_letter(s[n]) &&
               (n == start || strchr("ivxlcIVXLC", s[n])))
            n++;
    if (n == start || (n - start > 1 && is_letter(s[start]) &&
                       !strchr("ivxlcIVXLC", s[start])))
        return 0;
    if (s[n] == ')' || (!start && s[n] == '.'))
        n++;
    else
        return 0;
spaces:
    if (s[n] != ' ')
        return 0;
    while (s[n] == ' ')
        n++;
    return n;
}

/* Where the description stands between two lines. */
struct flow {
    float blank;                /* space owed to blank lines */
    enum { START, PROSE, ITEM } prev;
};

/* One line of the description: prose, a list item, or a blank. */
static enum iom_status
desc_line(struct iom_pdf *pdf, const char *line, struct flow *fl)
{
    float x = pdf->left, w = iom_pdf_content_width(pdf), hang = 0;
    size_t marker;
    enum iom_status rc;

    while (*line == ' ')
        line++;
    if (!*line) {
        fl->blank += BLANK_GAP;
        return IOM_OK;
    }
    marker = list_marker(line);
    if (fl->prev != START)
        pdf->y -= fl->blank +
                  (marker && fl->prev == ITEM ? ITEM_GAP : PARA_GAP);
    if (marker) {
        x += LIST_INDENT;
        w -= LIST_INDENT;
        hang = iom_pdf_width(pdf, iom_house_body.face, iom_house_body.size, line, marker);
    }
    rc = iom_pdf_paragraph(pdf, &iom_house_body, x, w, hang, line);
    fl->blank = 0;
    fl->prev = marker ? ITEM : PROSE;
    return rc;
}

static enum iom_status
description(struct iom_pdf *pdf, const char *desc, struct iom_buf *tmp)
{
    const char *p = desc;
    struct flow fl = { 0, START };
    enum iom_status rc;

    pdf->y -= 22;
    rc = iom_pdf_ensure(pdf, iom_house_heading.leading + 6 + 2 * iom_house_body.leading);
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &iom_house_heading, pdf->left, iom_pdf_content_width(pdf),
                               0, "Description");
    pdf->y -= 6;
    if (rc == IOM_OK && !*desc)
        rc = iom_pdf_paragraph(pdf, &body_absent, pdf->left,
                               iom_pdf_content_width(pdf), 0,
                               "No description.");
    while (rc == IOM_OK && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);

        /* tabs become spaces first, so a marker's width is what is drawn */
        iom_buf_reset(tmp);
        rc = iom_pdf_clean(pdf, iom_house_body.face, p, len, false, tmp);
        if (rc == IOM_OK)
            rc = desc_line(pdf, tmp->data, &fl);
        p += nl ? len + 1 : len;
    }
    return rc;
}

static enum iom_status
info(struct iom_pdf *pdf, const struct iom_report *rep,
     const struct iom_record *rec, struct iom_buf *tmp)
{
    struct iom_pdf_info in = {
        rec->title, "IOM Development Fund project brief", IOM_ORGANIZATION,
        "iomreport " IOM_VERSION, NULL, rep->created
    };
    enum iom_status rc;

    iom_buf_reset(tmp);
    rc = iom_buf_addf(tmp, "%s; %s; %d", rec->region, rec->type, rec->year);
    if (rc != IOM_OK)
        return rc;
    in.keywords = tmp->data;
    return iom_pdf_set_info(pdf, &in);
}

/* Every character the brief draws: the record's and the house's (the
 * labels are ASCII). */
static void
brief_chars(const struct iom_record *rec, struct iom_charset *cs)
{
    const char *fields[] = {
        rec->id, rec->title, rec->status, rec->type, rec->coverage,
        rec->region, rec->description, rec->prima_id, IOM_HOUSE_DOT
    };
    size_t i;

    memset(cs, 0, sizeof *cs);
    for (i = 0; i < sizeof fields / sizeof *fields; i++)
        iom_charset_add_utf8(cs, fields[i]);
    for (i = 0; i < rec->n_states; i++)
        iom_charset_add_utf8(cs, rec->states[i]);
}

enum iom_status
iom_brief_draw(struct iom_pdf *pdf, const struct iom_record *rec,
               HPDF_Page *first)
{
    struct pages pg;
    struct iom_buf tmp = IOM_BUF_INIT;
    enum iom_status rc;

    iom_buf_init(&pg.band);
    pg.first = pdf->n_pages + 1;
    pdf->on_page = on_page;
    pdf->on_page_ctx = &pg;
    pdf->bottom = IOM_HOUSE_BOTTOM;
    rc = running_band(pdf, rec, &tmp, &pg.band);
    if (rc == IOM_OK)
        rc = iom_pdf_add_page(pdf);
    if (rc == IOM_OK && first)
        *first = pdf->page;
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &iom_house_title, pdf->left,
                               iom_pdf_content_width(pdf), 0,
                               *rec->title ? rec->title : rec->id);
    pdf->y -= 14;
    if (rc == IOM_OK)
        rc = facts(pdf, rec, &tmp);
    if (rc == IOM_OK)
        rc = description(pdf, rec->description, &tmp);
    /* the band goes with this call: later pages are someone else's */
    pdf->on_page = NULL;
    pdf->on_page_ctx = NULL;
    iom_buf_release(&tmp);
    iom_buf_release(&pg.band);
    return rc;
}

enum iom_status
iom_brief_render(const struct iom_report *rep, const struct iom_record *rec,
                 const char *path)
{
    struct iom_pdf pdf;
    struct iom_buf tmp = IOM_BUF_INIT;
    struct iom_charset chars;
    enum iom_status rc;

    brief_chars(rec, &chars);
    rc = iom_pdf_open_for(&pdf, path, rep->font_regular, rep->font_bold,
                          rep->utf8_fonts ? NULL : &chars, rep->pdf_shared);
    if (rc != IOM_OK)
        goto out;
    rc = info(&pdf, rep, rec, &tmp);
    if (rc == IOM_OK)
        rc = iom_brief_draw(&pdf, rec, NULL);
    iom_buf_reset(&tmp);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&tmp, "Project %s", rec->id);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&tmp, "%cbrief '%s'", '\0', rec->id);
    if (rc == IOM_OK)
        rc = iom_house_finish(&pdf, tmp.data,
                              tmp.data + strlen(tmp.data) + 1);
out:
    if (rc == IOM_ENOMEM && pdf.st == IOM_OK)
        iom_errorf("cannot render '%s': %s", path, iom_strerror(rc));
    iom_pdf_close(&pdf);
    iom_buf_release(&tmp);
    return rc;
}
