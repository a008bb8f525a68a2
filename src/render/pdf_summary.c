/*
 * pdf_summary: the page design of the portfolio summary: the brief's blue
 * header band, the cover figures, tables by region, type and year, the
 * Region x Year matrix, two horizontal bar charts, the data and
 * definitions and the project list, with an outline entry per section.
 * Every figure comes from agg (exact cents, each share rounded on its
 * own); layout mechanics are pdf_doc's, and only the chart strokes call
 * libharu directly.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/notes.h"
#include "iom/pdf_doc.h"
#include "iom/pdf_house.h"
#include "iom/pdf_summary.h"

#define BLUE IOM_HOUSE_BLUE
#define INK IOM_HOUSE_INK
#define MUTED IOM_HOUSE_MUTED
#define LABEL_INK IOM_HOUSE_LABEL_INK
#define WHITE IOM_HOUSE_WHITE
#define DOT IOM_HOUSE_DOT

static const float blue_rgb[3] = BLUE;
static const float total_rgb[3] = { 0.86f, 0.9f, 0.96f };
static const float axis_rgb[3] = MUTED;

static const struct iom_pdf_style subtitle =
    { IOM_PDF_REGULAR, 9, 13, MUTED };
static const struct iom_pdf_style caption =
    { IOM_PDF_BOLD, 9.5f, 13, LABEL_INK };
static const struct iom_pdf_style card_label =
    { IOM_PDF_REGULAR, 8.5f, 11, LABEL_INK };
static const struct iom_pdf_style card_value = { IOM_PDF_BOLD, 15, 19, BLUE };
static const struct iom_pdf_style card_note =
    { IOM_PDF_REGULAR, 8, 10, MUTED };
static const struct iom_pdf_style bar_label =
    { IOM_PDF_REGULAR, 8, 10, INK };
static const struct iom_pdf_style bar_value =
    { IOM_PDF_REGULAR, 7.5f, 9, INK };
static const struct iom_pdf_style bar_value_in =
    { IOM_PDF_BOLD, 7.5f, 9, WHITE };
static const struct iom_pdf_style tick = { IOM_PDF_REGULAR, 7, 9, MUTED };
static const struct iom_pdf_style note_name =
    { IOM_PDF_BOLD, 8.5f, 12, LABEL_INK };
static const struct iom_pdf_style note_text =
    { IOM_PDF_REGULAR, 8.5f, 12, INK };

#define SECTION_GAP 20.0f
#define SECTION_KEEP 90.0f      /* room kept under a heading */
#define CELL_PAD 3.5f
#define CELL_INSET 5.0f
#define MAX_COLS 10
#define TABLE_SIZE 8.5f
#define LIST_SIZE 7.5f
#define CARD_H 56.0f
#define CARD_GAP 10.0f
#define CARD_ACCENT 3.0f
#define MATRIX_NAME_MIN 100.0f  /* narrowest region column of the matrix */
#define CHART_LABEL_W 140.0f
#define CHART_LABEL_LINES 6     /* a longer name is cut short there */
#define CHART_GAP 8.0f
#define BAR_H 11.0f
#define BAR_ROW_GAP 7.0f
#define AXIS_H 16.0f
#define CHART_TICKS 5           /* at most this many intervals */
#define KEEP_WITH_TOTAL 3       /* body rows a Total keeps on its page */
#define SPLIT_KEEP 2            /* lines a split row starts a page with */
/* Room a table's heading keeps: its header, those rows and the Total,
 * one line each. */
#define TABLE_KEEP(t) \
    ((KEEP_WITH_TOTAL + 2) * ((t)->cell.leading + 2 * CELL_PAD))
#define NOTE_NAME_W 110.0f      /* the names of "Data and definitions" */
#define NOTE_GAP 5.0f
#define DASH "\xE2\x80\x93"     /* en dash: an empty cell or range */
/* The document's name, spelt the same in band, title, footer and info. */
#define KIND "Portfolio summary"

struct summary {
    struct iom_pdf *pdf;
    const struct iom_report *rep;
    const struct iom_agg *agg;
    struct iom_summary_marks *marks;  /* where the list rows went, or NULL */
    HPDF_Outline outline;       /* of the last section begun */
    float flow_top;             /* pdf->y where this page's flow starts */
    int64_t unit_top;           /* the charts' widest axis: picks the unit */
    struct iom_buf tmp;
    struct iom_buf band;        /* on_page's own, as pages come anywhere */
};

struct column {
    const char *head;
    float width;
    enum iom_pdf_align align;
};

/*
 * A table being drawn row by row.  Its header goes above the first row and
 * again on every page the table continues on, under a "(continued)"
 * caption.  A row taller than a page runs over pages, continued under the
 * header on each.
 */
struct table {
    const char *name;           /* for the caption */
    const struct column *cols;
    size_t n;
    struct iom_pdf_style cell, bold, head;
    size_t rows;                /* body rows drawn, for the stripes */
    bool started;               /* the header was drawn once */
    bool need_head;             /* at the top of the table or a page */
    bool force_break;           /* the next header goes on a new page */
    struct iom_summary_marks *marks;  /* where the body rows went, or NULL */
};

/*
 * Fill cells[] for row 'i' of a table of 'n' body rows, or for its Total
 * row when i == n.  The texts last until the next call.
 */
typedef enum iom_status (*fill_fn)(struct summary *s, void *ctx, size_t i,
                                   const char **cells);

static float
text_width(struct iom_pdf *pdf, const struct iom_pdf_style *st,
           const char *s)
{
    return iom_pdf_width(pdf, st->face, st->size, s, strlen(s));
}

/* The house decoration, and where this page's flow starts. */
static enum iom_status
on_page(struct iom_pdf *pdf, void *ctx)
{
    struct summary *s = ctx;
    enum iom_status rc;

    iom_buf_reset(&s->band);
    rc = iom_buf_addf(&s->band, "IOM Development Fund" IOM_HOUSE_DOT
                      KIND IOM_HOUSE_DOT "%s", s->rep->selection);
    if (rc == IOM_OK)
        rc = iom_house_decorate(pdf, KIND, s->band.data,
                                pdf->n_pages == 1);
    s->flow_top = pdf->y;
    return rc;
}

/* A section heading with its outline entry, kept with 'keep' points. */
static enum iom_status
section(struct summary *s, const char *name, float keep)
{
    struct iom_pdf *pdf = s->pdf;
    HPDF_Outline o;
    enum iom_status rc;

    if (pdf->y < s->flow_top)
        pdf->y -= SECTION_GAP;
    rc = iom_pdf_ensure(pdf, iom_house_heading.leading + 6 + keep);
    if (rc == IOM_OK)
        rc = iom_pdf_outline(pdf, NULL, name, pdf->page, &o);
    if (rc == IOM_OK)
        s->outline = o;
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &iom_house_heading, pdf->left, iom_pdf_content_width(pdf),
                               0, name);
    pdf->y -= 6;
    return rc;
}

/* A new page that goes on with 'name': "NAME (continued)" on top. */
static enum iom_status
continued(struct summary *s, const char *name)
{
    struct iom_pdf *pdf = s->pdf;
    enum iom_status rc = iom_pdf_add_page(pdf);

    iom_buf_reset(&s->tmp);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&s->tmp, "%s (continued)", name);
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &caption, pdf->left, iom_pdf_content_width(pdf),
                               0, s->tmp.data);
    pdf->y -= 4;
    return rc;
}

static void
table_init(struct table *t, const char *name, const struct column *cols,
           size_t n, float size)
{
    static const struct iom_pdf_style cell = { IOM_PDF_REGULAR, 0, 0, INK };
    static const struct iom_pdf_style head = { IOM_PDF_BOLD, 0, 0, WHITE };

    assert(n <= MAX_COLS);
    t->name = name;
    t->cols = cols;
    t->n = n;
    t->cell = cell;
    t->cell.size = size;
    t->cell.leading = size * 1.3f;
    t->bold = t->cell;
    t->bold.face = IOM_PDF_BOLD;
    t->head = head;
    t->head.size = size;
    t->head.leading = t->cell.leading;
    t->rows = 0;
    t->started = false;
    t->need_head = true;
    t->force_break = false;
    t->marks = NULL;
}

/* The height of 'lines' lines of a row in 'st', with its padding. */
static float
row_height(const struct iom_pdf_style *st, size_t lines)
{
    return (float)lines * st->leading + 2 * CELL_PAD;
}

/*
 * Wrap one row's cells into b[0..t->n) and give the lines of its tallest
 * cell.  The caller releases every block whatever this returns.
 */
static enum iom_status
row_blocks(struct iom_pdf *pdf, const struct table *t,
           const struct iom_pdf_style *st, const char *const *cells,
           struct iom_pdf_block *b, size_t *lines)
{
    enum iom_status rc = IOM_OK;
    size_t i;

    *lines = 0;
    /* failures stick to 'pdf': every block is initialised regardless */
    for (i = 0; i < t->n; i++) {
        enum iom_status r = iom_pdf_block_init(
            pdf, &b[i], st, cells[i], t->cols[i].width - 2 * CELL_INSET, 0);

        if (rc == IOM_OK)
            rc = r;
        if (b[i].lines.n > *lines)
            *lines = b[i].lines.n;
    }
    return rc;
}

static void
blocks_release(const struct table *t, struct iom_pdf_block *b)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        iom_pdf_block_release(&b[i]);
}

/*
 * Lines [from, to) of each cell, in a band 'h' high filled with 'fill'
 * (NULL: none) from pdf->y down; pdf->y ends under it.  The first cell
 * (the project's ID, the group's name) names the row on every page it
 * runs over.
 */
static enum iom_status
row_draw(struct iom_pdf *pdf, const struct table *t,
         const struct iom_pdf_block *b, const float *fill, size_t from,
         size_t to, float h)
{
    enum iom_status rc = IOM_OK;
    float x = pdf->left;
    size_t i;

    if (fill)
        rc = iom_pdf_rect(pdf, fill, pdf->left, pdf->y - h,
                          iom_pdf_content_width(pdf), h);
    for (i = 0; rc == IOM_OK && i < t->n; i++) {
        rc = (i ? iom_pdf_block_draw_lines : iom_pdf_block_draw_key)(
            pdf, &b[i], from, to, x + CELL_INSET, pdf->y - CELL_PAD,
            t->cols[i].align);
        x += t->cols[i].width;
    }
    pdf->y -= h;
    return rc;
}

/* The header's cells wrapped into b[0..t->n), as row_blocks() does. */
static enum iom_status
head_blocks(struct iom_pdf *pdf, const struct table *t,
            struct iom_pdf_block *b, size_t *lines)
{
    const char *heads[MAX_COLS];
    size_t i;

    for (i = 0; i < t->n; i++)
        heads[i] = t->cols[i].head;
    return row_blocks(pdf, t, &t->head, heads, b, lines);
}

/* The header, on a new page when it and the 'keep' points of the first
 * row under it do not fit here. */
static enum iom_status
table_head(struct summary *s, struct table *t, float keep)
{
    struct iom_pdf *pdf = s->pdf;
    struct iom_pdf_block b[MAX_COLS];
    enum iom_status rc;
    size_t lines;
    float h;

    rc = head_blocks(pdf, t, b, &lines);
    h = row_height(&t->head, lines);
    if (rc == IOM_OK && (t->force_break || pdf->y - h - keep < pdf->bottom))
        rc = t->started ? continued(s, t->name) : iom_pdf_add_page(pdf);
    t->force_break = false;
    if (rc == IOM_OK)
        rc = row_draw(pdf, t, b, blue_rgb, 0, lines, h);
    blocks_release(t, b);
    t->started = true;
    t->need_head = false;
    return rc;
}

/* Whether a row 'h' high is more than a page can hold under the
 * "(continued)" caption and the header. */
static enum iom_status
taller_than_page(struct summary *s, const struct table *t, float h,
                 bool *taller)
{
    struct iom_pdf *pdf = s->pdf;
    struct iom_pdf_block b[MAX_COLS];
    size_t lines;
    enum iom_status rc = head_blocks(pdf, t, b, &lines);

    blocks_release(t, b);
    *taller = h > iom_house_flow(pdf) - caption.leading - 4 -
                  row_height(&t->head, lines);
    return rc;
}

/* Where a piece of body row t->rows went, for the book's links. */
static enum iom_status
mark(struct table *t, HPDF_Page page, float top, float bottom)
{
    struct iom_summary_marks *m = t->marks;

    if (m->n_pieces == m->cap_pieces) {
        size_t cap = m->cap_pieces ? 2 * m->cap_pieces : 64;
        struct iom_summary_piece *v = realloc(m->pieces, cap * sizeof *v);

        if (!v)
            return IOM_ENOMEM;
        m->pieces = v;
        m->cap_pieces = cap;
    }
    m->pieces[m->n_pieces].row = t->rows;
    m->pieces[m->n_pieces].page = page;
    m->pieces[m->n_pieces].top = top;
    m->pieces[m->n_pieces].bottom = bottom;
    m->n_pieces++;
    return IOM_OK;
}

/*
 * One row.  It goes whole to the next page, under the header, when it
 * does not fit here.  A row no page could hold starts here when its first
 * SPLIT_KEEP lines fit (else overleaf) and runs on over as many pages as
 * it needs, each part under the header, in the row's stripe.  A total row
 * is bold under a rule.
 */
static enum iom_status
table_row(struct summary *s, struct table *t, const char *const *cells,
          bool total)
{
    struct iom_pdf *pdf = s->pdf;
    const struct iom_pdf_style *st = total ? &t->bold : &t->cell;
    const float *fill = total ? total_rgb :
                        t->rows % 2 ? iom_house_cell_rgb : NULL;
    struct iom_pdf_block b[MAX_COLS];
    enum iom_status rc;
    size_t lines, from = 0, to;
    float h, keep;
    bool taller = false;

    rc = row_blocks(pdf, t, st, cells, b, &lines);
    keep = h = row_height(st, lines);
    if (rc == IOM_OK && pdf->y - h < pdf->bottom)
        rc = taller_than_page(s, t, h, &taller);
    if (taller)
        keep = row_height(st, SPLIT_KEEP);
    if (rc == IOM_OK && !t->need_head && pdf->y - keep < pdf->bottom)
        t->need_head = true;
    /* each page after the first is a new one, which holds lines */
    while (rc == IOM_OK) {
        if (t->need_head)
            rc = table_head(s, t, keep);
        to = from + iom_pdf_lines_fit(pdf, st->leading, CELL_PAD);
        if (to > lines)
            to = lines;
        h = row_height(st, to - from);
        if (rc == IOM_OK && t->marks && !total)
            rc = mark(t, pdf->page, pdf->y, pdf->y - h);
        if (rc == IOM_OK && total)
            rc = iom_pdf_rect(pdf, blue_rgb, pdf->left, pdf->y - 0.8f,
                              iom_pdf_content_width(pdf), 0.8f);
        if (rc == IOM_OK)
            rc = row_draw(pdf, t, b, fill, from, to, h);
        from = to;
        if (from >= lines)
            break;
        t->need_head = true;
        t->force_break = true;
    }
    t->rows++;
    blocks_release(t, b);
    return rc;
}

/* The height of one row of 't' in style 'st'. */
static enum iom_status
cells_height(struct iom_pdf *pdf, const struct table *t,
             const struct iom_pdf_style *st, const char *const *cells,
             float *h)
{
    struct iom_pdf_block b[MAX_COLS];
    size_t lines;
    enum iom_status rc = row_blocks(pdf, t, st, cells, b, &lines);

    blocks_release(t, b);
    *h = row_height(st, lines);
    return rc;
}

/*
 * Before row 'from' of 'n' (the last KEEP_WITH_TOTAL body rows): when they
 * and the Total do not fit under the rows already on this page, they all
 * go overleaf, so that a page never ends a table with one row and the
 * Total alone.  They stay when even a new page could not hold them.
 */
static enum iom_status
keep_with_total(struct summary *s, struct table *t, size_t from, size_t n,
                fill_fn fill, void *ctx)
{
    struct iom_pdf *pdf = s->pdf;
    const char *cells[MAX_COLS];
    enum iom_status rc = IOM_OK;
    float need = 0, h = 0;
    size_t i;

    for (i = from; rc == IOM_OK && i <= n; i++) {
        rc = fill(s, ctx, i, cells);
        if (rc == IOM_OK)
            rc = cells_height(pdf, t, i == n ? &t->bold : &t->cell, cells,
                              &h);
        need += h;
    }
    if (rc == IOM_OK && !t->need_head && pdf->y - need < pdf->bottom &&
        need < (s->flow_top - pdf->bottom) / 2) {
        t->need_head = true;
        t->force_break = true;
    }
    return rc;
}

/* Rows 0..n-1 of a table and its Total, as 'fill' gives them. */
static enum iom_status
table_rows(struct summary *s, struct table *t, size_t n, fill_fn fill,
           void *ctx)
{
    const char *cells[MAX_COLS];
    size_t i, from = n > KEEP_WITH_TOTAL ? n - KEEP_WITH_TOTAL : 0;
    enum iom_status rc = IOM_OK;

    for (i = 0; rc == IOM_OK && i <= n; i++) {
        if (i == from && from > 0)
            rc = keep_with_total(s, t, from, n, fill, ctx);
        if (rc == IOM_OK)
            rc = fill(s, ctx, i, cells);
        if (rc == IOM_OK)
            rc = table_row(s, t, cells, i == n);
    }
    return rc;
}

/* "12.3 %" */
static void
share_text(int tenths, char out[16])
{
    snprintf(out, 16, "%d.%d %%", tenths / 10, tenths % 10);
}

/* Width of a money column: its header or the widest amount, 'total'. */
static float
money_width(struct iom_pdf *pdf, const struct table *t, const char *head,
            int64_t total)
{
    char money[IOM_MONEY_TEXT_MAX];
    float a = text_width(pdf, &t->bold, iom_money_format(total, money));
    float b = text_width(pdf, &t->head, head);

    return (a > b ? a : b) + 2 * CELL_INSET + 1;
}

/* The rows of a table by one dimension: its groups, then the Total. */
struct group_rows {
    const struct iom_group *g;
    size_t n;
    char count[24], money[IOM_MONEY_TEXT_MAX], share[16];
};

static enum iom_status
fill_group(struct summary *s, void *ctx, size_t i, const char **cells)
{
    struct group_rows *gr = ctx;
    bool total = i == gr->n;

    cells[0] = total ? "Total" : gr->g[i].name;
    snprintf(gr->count, sizeof gr->count, "%zu",
             total ? iom_agg_count(s->agg) : gr->g[i].count);
    iom_money_format(total ? iom_agg_total(s->agg) : gr->g[i].total_cents,
                     gr->money);
    share_text(total ? iom_agg_total_share_tenths(s->agg) :
               gr->g[i].share_tenths, gr->share);
    cells[1] = gr->count;
    cells[2] = gr->money;
    cells[3] = gr->share;
    return IOM_OK;
}

/* Projects, budget and share by one dimension, with a total row. */
static enum iom_status
group_table(struct summary *s, const char *name, const char *head,
            enum iom_agg_dim dim)
{
    struct iom_pdf *pdf = s->pdf;
    struct column cols[] = {
        { head, 0, IOM_PDF_LEFT },
        { "Projects", 62, IOM_PDF_RIGHT },
        { "Budget (USD)", 0, IOM_PDF_RIGHT },
        { "Share", 62, IOM_PDF_RIGHT },
    };
    struct group_rows gr;
    struct table t;
    enum iom_status rc;

    gr.g = iom_agg_groups(s->agg, dim, &gr.n);
    table_init(&t, name, cols, 4, TABLE_SIZE);
    cols[2].width = money_width(pdf, &t, cols[2].head, iom_agg_total(s->agg));
    if (cols[2].width < 110)
        cols[2].width = 110;
    cols[0].width = iom_pdf_content_width(pdf) - cols[1].width -
                    cols[2].width - cols[3].width;
    rc = section(s, name, TABLE_KEEP(&t));
    if (rc == IOM_OK)
        rc = table_rows(s, &t, gr.n, fill_group, &gr);
    pdf->y -= 3;
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &subtitle, pdf->left,
                               iom_pdf_content_width(pdf), 0,
                               IOM_SHARES_NOTE);
    return rc;
}

/* The rows of one part of the matrix: years c0..c0+m-1 (the last past
 * the years being the row totals). */
struct matrix_rows {
    size_t c0, m;
    char money[MAX_COLS][IOM_MONEY_TEXT_MAX];
};

static enum iom_status
fill_matrix(struct summary *s, void *ctx, size_t r, const char **cells)
{
    struct matrix_rows *mr = ctx;
    size_t nr, ny, j;
    const struct iom_group *rg = iom_agg_groups(s->agg, IOM_BY_REGION, &nr);
    const struct iom_group *yg = iom_agg_groups(s->agg, IOM_BY_YEAR, &ny);

    cells[0] = r < nr ? rg[r].name : "Total";
    for (j = 0; j < mr->m; j++) {
        size_t y = mr->c0 + j;
        const struct iom_group *g =
            r == nr ? (y < ny ? &yg[y] : NULL)
                    : (y < ny ? iom_agg_cell(s->agg, r, y) : &rg[r]);
        int64_t v = g ? g->total_cents : iom_agg_total(s->agg);
        size_t count = g ? g->count : iom_agg_count(s->agg);

        if (count)
            iom_money_format(v, mr->money[j]);
        else
            strcpy(mr->money[j], DASH);
        cells[1 + j] = mr->money[j];
    }
    return IOM_OK;
}

/*
 * The Region x Year matrix.  It stays on portrait pages: the type shrinks
 * from TABLE_SIZE to 7 pt until every year and the total fit across; with
 * more years than that the year columns are split over several tables,
 * each with the region names, and the row totals come with the last one.
 */
static enum iom_status
matrix(struct summary *s)
{
    static const float sizes[] = { TABLE_SIZE, 8, 7.5f, 7 };
    struct iom_pdf *pdf = s->pdf;
    size_t nr, ny, per = 0, parts, part, c0, j, k;
    const struct iom_group *yg = iom_agg_groups(s->agg, IOM_BY_YEAR, &ny);
    struct column cols[MAX_COLS];
    struct matrix_rows mr;
    float colw = 0, cw = iom_pdf_content_width(pdf);
    struct table t;
    enum iom_status rc;

    iom_agg_groups(s->agg, IOM_BY_REGION, &nr);
    if (ny < 2)
        return IOM_OK;
    for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        table_init(&t, "Region x Year", cols, 1, sizes[k]);
        colw = money_width(pdf, &t, "Total", iom_agg_total(s->agg));
        per = (size_t)((cw - MATRIX_NAME_MIN) / colw);
        if (per >= ny + 1)
            break;
    }
    if (per > MAX_COLS - 1)
        per = MAX_COLS - 1;
    if (per < 1)
        per = 1;
    rc = section(s, "Region x Year", TABLE_KEEP(&t));
    /* one text whatever the years, so that runs read alike */
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &subtitle, pdf->left, cw, 0,
                               "Budget in USD; " DASH " where no project. "
                               "When the years do not fit across the page "
                               "they are split over several tables, and "
                               "the row totals are in the last.");
    pdf->y -= 4;
    /* the columns are the years and then "Total", shared out evenly
     * between the fewest tables that hold them */
    parts = (ny + 1 + per - 1) / per;
    for (c0 = 0, part = 0; rc == IOM_OK && part < parts; part++) {
        size_t m = (ny + 1) / parts + (part < (ny + 1) % parts);

        if (part)
            pdf->y -= 12;
        cols[0].head = "IDF Region";
        cols[0].width = cw - (float)m * colw;
        cols[0].align = IOM_PDF_LEFT;
        for (j = 0; j < m; j++) {
            cols[1 + j].head = c0 + j < ny ? yg[c0 + j].name : "Total";
            cols[1 + j].width = colw;
            cols[1 + j].align = IOM_PDF_RIGHT;
        }
        table_init(&t, "Region x Year", cols, 1 + m, t.cell.size);
        t.started = part > 0;   /* overleaf, say it goes on */
        mr.c0 = c0;
        mr.m = m;
        rc = table_rows(s, &t, nr, fill_matrix, &mr);
        c0 += m;
    }
    return rc;
}

/* Round axis steps: 1, 2 or 5 times a power of ten cents, so that at most
 * CHART_TICKS steps reach 'max'. */
static int64_t
nice_step(int64_t max)
{
    static const int64_t mult[] = { 1, 2, 5 };
    int64_t base = 1, need = max / CHART_TICKS + (max % CHART_TICKS != 0);
    size_t i;

    for (;;) {
        for (i = 0; i < 3; i++)
            if (base * mult[i] >= need)
                return base * mult[i];
        base *= 10;
    }
}

/*
 * A tick value in the largest unit that 'unit_top' reaches: "250k",
 * "1.5M".  Both charts pass the same 'unit_top', so their axes read in the
 * same unit.
 */
static void
tick_text(int64_t cents, int64_t step, int64_t unit_top, char out[32])
{
    static const struct {
        int64_t cents;
        const char *suffix;
    } units[] = {
        { INT64_C(100000000000000), "tn" }, { INT64_C(100000000000), "bn" },
        { INT64_C(100000000), "M" }, { INT64_C(100000), "k" }, { 100, "" },
    };
    size_t i = 0;
    int dec;

    while (i + 1 < sizeof units / sizeof units[0] &&
           unit_top < units[i].cents)
        i++;
    /* a 1-2-5 step of at least a fifth of the unit needs one decimal */
    dec = step % units[i].cents == 0 ? 0 : 1;
    if (!cents)
        snprintf(out, 32, "0");
    else
        snprintf(out, 32, "%.*f%s", dec,
                 (double)cents / (double)units[i].cents, units[i].suffix);
}

struct chart {
    const struct iom_group *g;
    size_t n;
    struct iom_pdf_block *labels;
    float *row_h;
    int64_t step, top;
    int ticks;
    float x0, aw;               /* bar area */
};

/*
 * Rows [a, b) of chart 'c' from pdf->y down, with grid and axis.  The
 * strokes come before any text: a libharu error they cause is then caught
 * by the next pdf_doc call here.
 */
static enum iom_status
chart_panel(struct summary *s, const struct chart *c, size_t a, size_t b)
{
    struct iom_pdf *pdf = s->pdf;
    float top = pdf->y, y, bottom;
    enum iom_status rc = IOM_OK;
    size_t i;
    int k;

    bottom = top;
    for (i = a; i < b; i++)
        bottom -= c->row_h[i];
    for (k = 0; k <= c->ticks; k++) {
        float x = c->x0 + c->aw * (float)k / (float)c->ticks;

        iom_pdf_line(pdf, iom_house_rule_rgb, 0.5f, x, top, x, bottom);
    }
    iom_pdf_line(pdf, axis_rgb, 0.8f, c->x0, bottom, c->x0 + c->aw, bottom);
    for (y = top, i = a; rc == IOM_OK && i < b; y -= c->row_h[i++]) {
        const struct iom_pdf_block *l = &c->labels[i];
        float mid = y - c->row_h[i] / 2;
        float len = c->aw * (float)((double)c->g[i].total_cents /
                                    (double)c->top);
        char money[IOM_MONEY_TEXT_MAX];
        float vw;

        rc = iom_pdf_rect(pdf, blue_rgb, c->x0, mid - BAR_H / 2, len, BAR_H);
        if (rc == IOM_OK)
            rc = iom_pdf_block_draw(pdf, l, pdf->left,
                                    mid + iom_pdf_block_height(l) / 2,
                                    IOM_PDF_LEFT);
        iom_money_format(c->g[i].total_cents, money);
        vw = text_width(pdf, &bar_value_in, money);
        /* inside a bar long enough, else just after its end */
        if (rc == IOM_OK && len >= vw + 8)
            rc = iom_pdf_draw(pdf, &bar_value_in, c->x0 + len - 4 - vw,
                              iom_pdf_baseline(pdf, &bar_value_in,
                                               mid + bar_value.leading / 2),
                              money, strlen(money));
        else if (rc == IOM_OK)
            rc = iom_pdf_draw(pdf, &bar_value, c->x0 + len + 4,
                              iom_pdf_baseline(pdf, &bar_value,
                                               mid + bar_value.leading / 2),
                              money, strlen(money));
    }
    for (k = 0; rc == IOM_OK && k <= c->ticks; k++) {
        char text[32];
        float x = c->x0 + c->aw * (float)k / (float)c->ticks;

        tick_text(c->step * k, c->step, s->unit_top, text);
        rc = iom_pdf_draw(pdf, &tick, x - text_width(pdf, &tick, text) / 2,
                          iom_pdf_baseline(pdf, &tick, bottom - 3), text,
                          strlen(text));
    }
    pdf->y = bottom - AXIS_H;
    return rc;
}

/* An axis reaching 'max' cents in round steps. */
static void
axis(int64_t max, int64_t *step, int *ticks, int64_t *top)
{
    *step = nice_step(max ? max : 500);  /* all zero: a 1 USD axis */
    *ticks = (int)((max + *step - 1) / *step);
    if (*ticks < 1)
        *ticks = 1;
    *top = *step * *ticks;
}

static int64_t
group_max(const struct iom_group *g, size_t n)
{
    int64_t max = 0;
    size_t i;

    for (i = 0; i < n; i++)
        if (g[i].total_cents > max)
            max = g[i].total_cents;
    return max;
}

/* The axis end of the chart of 'dim'. */
static int64_t
axis_top(const struct iom_agg *agg, enum iom_agg_dim dim)
{
    size_t n;
    const struct iom_group *g = iom_agg_groups(agg, dim, &n);
    int64_t step, top;
    int ticks;

    axis(group_max(g, n), &step, &ticks, &top);
    return top;
}

/*
 * The label of a bar: its name wrapped in the label column.  A name longer
 * than CHART_LABEL_LINES lines there (thousands of characters) is cut at
 * the end of the last of them with an ellipsis, and *cut set: a bar's
 * label that ran over pages would read worse than the whole name in the
 * tables above.
 */
static enum iom_status
bar_label_block(struct summary *s, struct iom_pdf_block *b,
                const char *name, bool *cut)
{
    static const char more[] = "\xE2\x80\xA6";
    struct iom_pdf *pdf = s->pdf;
    const struct iom_pdf_line *last;
    size_t end;
    float room;
    enum iom_status rc;

    rc = iom_pdf_block_init(pdf, b, &bar_label, name, CHART_LABEL_W, 0);
    if (rc != IOM_OK || b->lines.n <= CHART_LABEL_LINES)
        return rc;
    last = &b->lines.v[CHART_LABEL_LINES - 1];
    end = last->off + last->len;
    room = CHART_LABEL_W - iom_pdf_width(pdf, bar_label.face,
                                         bar_label.size, more, strlen(more));
    /* the last line shortened, a character at a time, until the ellipsis
     * fits after it */
    while (end > last->off &&
           iom_pdf_width(pdf, bar_label.face, bar_label.size,
                         b->text.data + last->off, end - last->off) > room) {
        end--;
        while (end > last->off &&
               ((unsigned char)b->text.data[end] & 0xC0) == 0x80)
            end--;
    }
    iom_buf_reset(&s->tmp);
    rc = iom_buf_add(&s->tmp, b->text.data, end);
    if (rc == IOM_OK)
        rc = iom_buf_adds(&s->tmp, more);
    if (rc != IOM_OK)
        return rc;
    *cut = true;
    iom_pdf_block_release(b);
    return iom_pdf_block_init(pdf, b, &bar_label, s->tmp.data,
                              CHART_LABEL_W, 0);
}

/*
 * Horizontal bars: names read in a label column, wrapped, never colliding
 * however many or long they are (a name of more than CHART_LABEL_LINES
 * lines cut short, which a note under the chart says).  A chart taller
 * than the page goes on over pages, each part with its own axis.
 */
static enum iom_status
chart(struct summary *s, const char *name, enum iom_agg_dim dim)
{
    struct iom_pdf *pdf = s->pdf;
    struct chart c;
    enum iom_status rc = IOM_OK;
    size_t i, a, b;
    bool cut = false;

    memset(&c, 0, sizeof c);
    c.g = iom_agg_groups(s->agg, dim, &c.n);
    if (!c.n)
        return IOM_OK;
    c.labels = calloc(c.n, sizeof *c.labels);
    c.row_h = calloc(c.n, sizeof *c.row_h);
    if (!c.labels || !c.row_h) {
        free(c.labels);
        free(c.row_h);
        return IOM_ENOMEM;
    }
    /* the labels after a failed one stay zero, which releases cleanly */
    for (i = 0; rc == IOM_OK && i < c.n; i++) {
        float h;

        rc = bar_label_block(s, &c.labels[i], c.g[i].name, &cut);
        h = iom_pdf_block_height(&c.labels[i]);
        c.row_h[i] = (h > BAR_H ? h : BAR_H) + BAR_ROW_GAP;
    }
    axis(group_max(c.g, c.n), &c.step, &c.ticks, &c.top);
    c.x0 = pdf->left + CHART_LABEL_W + CHART_GAP;
    c.aw = pdf->left + iom_pdf_content_width(pdf) - c.x0 - 4;
    if (rc == IOM_OK)
        rc = iom_pdf_ensure(pdf, caption.leading + 4 + c.row_h[0] + AXIS_H);
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &caption, pdf->left, iom_pdf_content_width(pdf),
                               0, name);
    pdf->y -= 4;
    /* the first row fits (ensured above), and each page takes one */
    for (a = 0; rc == IOM_OK && a < c.n; a = b) {
        float room = pdf->y - pdf->bottom - AXIS_H, used = 0;

        b = a;
        while (b < c.n && (b == a || used + c.row_h[b] <= room))
            used += c.row_h[b++];
        rc = chart_panel(s, &c, a, b);
        if (rc == IOM_OK && b < c.n)
            rc = continued(s, name);
    }
    if (rc == IOM_OK && cut)
        rc = iom_pdf_paragraph(pdf, &subtitle, pdf->left,
                               iom_pdf_content_width(pdf), 0,
                               "A name too long for the chart is cut short "
                               "with \xE2\x80\xA6; the tables above give it "
                               "whole.");
    for (i = 0; i < c.n; i++)
        iom_pdf_block_release(&c.labels[i]);
    free(c.labels);
    free(c.row_h);
    return rc;
}

static enum iom_status
charts(struct summary *s)
{
    int64_t region = axis_top(s->agg, IOM_BY_REGION);
    int64_t type = axis_top(s->agg, IOM_BY_TYPE);
    enum iom_status rc = section(s, "Charts", 120);

    s->unit_top = region > type ? region : type;

    if (rc == IOM_OK)
        rc = chart(s, "Budget by IDF Region (USD)", IOM_BY_REGION);
    s->pdf->y -= 14;
    if (rc == IOM_OK)
        rc = chart(s, "Budget by Project Type (USD)", IOM_BY_TYPE);
    return rc;
}

/* The rows of the project list: largest budget first, then the Total. */
struct list_rows {
    const struct iom_record *const *by;
    size_t n;
    char year[16], money[IOM_MONEY_TEXT_MAX], count[48];
    struct iom_buf drawing;     /* "project ID", for the messages */
};

/* The row's cells; a failure while the row is drawn names its project. */
static enum iom_status
fill_list(struct summary *s, void *ctx, size_t i, const char **cells)
{
    struct list_rows *lr = ctx;
    enum iom_status rc = IOM_OK;

    iom_buf_reset(&lr->drawing);
    if (i < lr->n)
        rc = iom_buf_addf(&lr->drawing, "project %s", lr->by[i]->id);
    s->pdf->drawing = i < lr->n && rc == IOM_OK ? lr->drawing.data : NULL;
    if (i == lr->n) {
        snprintf(lr->count, sizeof lr->count, "%zu project%s", lr->n,
                 lr->n == 1 ? "" : "s");
        cells[0] = "Total";
        cells[1] = lr->count;
        cells[2] = cells[3] = cells[4] = "";
        iom_money_format(iom_agg_total(s->agg), lr->money);
    } else {
        cells[0] = lr->by[i]->id;
        cells[1] = lr->by[i]->title;
        cells[2] = lr->by[i]->region;
        cells[3] = lr->by[i]->type;
        snprintf(lr->year, sizeof lr->year, "%d", lr->by[i]->year);
        cells[4] = lr->year;
        iom_money_format(lr->by[i]->budget_cents, lr->money);
    }
    cells[5] = lr->money;
    return rc;
}

/* Every selected project, largest budget first, with a total row. */
static enum iom_status
project_list(struct summary *s)
{
    struct iom_pdf *pdf = s->pdf;
    struct column cols[] = {
        { "ID", 58, IOM_PDF_LEFT },
        { "Title", 0, IOM_PDF_LEFT },
        { "IDF Region", 74, IOM_PDF_LEFT },
        { "Project Type", 102, IOM_PDF_LEFT },
        { "Year", 32, IOM_PDF_RIGHT },
        { "Budget (USD)", 0, IOM_PDF_RIGHT },
    };
    struct list_rows lr;
    struct table t;
    enum iom_status rc;

    lr.by = iom_agg_by_budget(s->agg);
    lr.n = iom_agg_count(s->agg);
    iom_buf_init(&lr.drawing);
    table_init(&t, "Projects", cols, 6, LIST_SIZE);
    cols[5].width = money_width(pdf, &t, cols[5].head, iom_agg_total(s->agg));
    if (cols[5].width < 66)
        cols[5].width = 66;
    cols[1].width = iom_pdf_content_width(pdf) - cols[0].width -
                    cols[2].width - cols[3].width - cols[4].width -
                    cols[5].width;
    rc = section(s, "Projects", TABLE_KEEP(&t));
    if (s->marks) {
        s->marks->projects = s->outline;
        t.marks = s->marks;
    }
    if (rc == IOM_OK)
        rc = table_rows(s, &t, lr.n, fill_list, &lr);
    pdf->drawing = NULL;
    iom_buf_release(&lr.drawing);
    return rc;
}

/*
 * Where the figures come from and what the words mean: each item a name
 * and its text beside it, kept whole on a page.
 */
static enum iom_status
data_block(struct summary *s)
{
    struct iom_pdf *pdf = s->pdf;
    float tw = iom_pdf_content_width(pdf) - NOTE_NAME_W - 8;
    struct iom_notes notes;
    enum iom_status rc = iom_notes_build(s->rep, &notes);
    size_t i;

    if (rc == IOM_OK)
        rc = section(s, IOM_NOTES_TITLE, 3 * note_text.leading);
    for (i = 0; rc == IOM_OK && i < notes.n; i++) {
        struct iom_pdf_block name, text;
        float h;

        /* failures stick to 'pdf': the second call returns the first's */
        iom_pdf_block_init(pdf, &name, &note_name, notes.v[i].name,
                           NOTE_NAME_W, 0);
        rc = iom_pdf_block_init(pdf, &text, &note_text, notes.v[i].text, tw,
                                0);
        h = iom_pdf_block_height(&text);
        if (iom_pdf_block_height(&name) > h)
            h = iom_pdf_block_height(&name);
        if (rc == IOM_OK)
            rc = iom_pdf_ensure(pdf, h);
        if (rc == IOM_OK)
            rc = iom_pdf_block_draw(pdf, &name, pdf->left, pdf->y,
                                    IOM_PDF_LEFT);
        if (rc == IOM_OK)
            rc = iom_pdf_block_draw(pdf, &text, pdf->left + NOTE_NAME_W + 8,
                                    pdf->y, IOM_PDF_LEFT);
        pdf->y -= h + NOTE_GAP;
        iom_pdf_block_release(&name);
        iom_pdf_block_release(&text);
    }
    iom_notes_release(&notes);
    return rc;
}

/* One cover figure: a pale card with a blue edge; the value shrinks to
 * fit the card rather than wrap. */
static enum iom_status
card(struct iom_pdf *pdf, float x, float top, float w, const char *name,
     const char *value, const char *note)
{
    struct iom_pdf_style v = card_value;
    float inner = w - CARD_ACCENT - 16, vw = text_width(pdf, &v, value);
    enum iom_status rc;

    if (vw > inner) {
        v.size *= inner / vw;
        v.leading *= inner / vw;
    }
    rc = iom_pdf_rect(pdf, iom_house_cell_rgb, x, top - CARD_H, w, CARD_H);
    if (rc == IOM_OK)
        rc = iom_pdf_rect(pdf, blue_rgb, x, top - CARD_H, CARD_ACCENT,
                          CARD_H);
    x += CARD_ACCENT + 8;
    if (rc == IOM_OK)
        rc = iom_pdf_text(pdf, &card_label, x, top - 6, inner, IOM_PDF_LEFT, name);
    if (rc == IOM_OK)
        rc = iom_pdf_draw(pdf, &v, x,
                          iom_pdf_baseline(pdf, &card_value, top - 18),
                          value, strlen(value));
    if (rc == IOM_OK && note)
        rc = iom_pdf_text(pdf, &card_note, x, top - 40, inner, IOM_PDF_LEFT, note);
    return rc;
}

static enum iom_status
overview(struct summary *s)
{
    struct iom_pdf *pdf = s->pdf;
    const struct iom_agg *agg = s->agg;
    char v[6][IOM_MONEY_TEXT_MAX + 16], note[48];
    static const char *const names[6] = {
        "Projects", "Total budget (USD)", "Average budget (USD)",
        "Median budget (USD)", "Benefiting member states", "Years covered"
    };
    float w = (iom_pdf_content_width(pdf) - 2 * CARD_GAP) / 3;
    size_t ny, i;
    int first, last;
    enum iom_status rc;

    iom_agg_groups(agg, IOM_BY_YEAR, &ny);
    snprintf(v[0], sizeof v[0], "%zu", iom_agg_count(agg));
    iom_money_format(iom_agg_total(agg), v[1]);
    iom_money_format(iom_agg_average(agg), v[2]);
    iom_money_format(iom_agg_median(agg), v[3]);
    snprintf(v[4], sizeof v[4], "%zu", iom_agg_member_states(agg));
    if (!iom_agg_year_span(agg, &first, &last))
        strcpy(v[5], DASH);
    else if (first == last)
        snprintf(v[5], sizeof v[5], "%d", first);
    else
        snprintf(v[5], sizeof v[5], "%d" DASH "%d", first, last);
    snprintf(note, sizeof note, "%zu year%s with projects", ny,
             ny == 1 ? "" : "s");
    rc = section(s, "Overview", 2 * CARD_H + CARD_GAP);
    for (i = 0; rc == IOM_OK && i < 6; i++) {
        size_t row = i / 3, col = i % 3;     /* three cards a row */

        rc = card(pdf, pdf->left + (float)col * (w + CARD_GAP),
                  pdf->y - (float)row * (CARD_H + CARD_GAP), w, names[i],
                  v[i], i == 5 && ny ? note : NULL);
    }
    pdf->y -= 2 * CARD_H + CARD_GAP;
    /* the figures leave records out: say so where they are read, not
     * only in the data and definitions pages later */
    if (rc == IOM_OK)
        rc = iom_notes_rejected(s->rep->records, s->rep->accepted,
                                s->rep->rejected, &s->tmp);
    if (rc == IOM_OK && s->tmp.len) {
        pdf->y -= 6;
        rc = iom_pdf_paragraph(pdf, &note_text, pdf->left,
                               iom_pdf_content_width(pdf), 0, s->tmp.data);
    }
    if (rc == IOM_OK && !iom_agg_count(agg)) {
        pdf->y -= SECTION_GAP;
        rc = iom_pdf_paragraph(pdf, &iom_house_body, pdf->left, iom_pdf_content_width(pdf), 0,
                               "No project matched the selection, so there "
                               "are no tables, charts or project list.");
    }
    return rc;
}

/* The document's name as the title, the selection in words and when it
 * was made under it. */
static enum iom_status
title_block(struct summary *s)
{
    struct iom_pdf *pdf = s->pdf;
    time_t t = (time_t)s->rep->created;
    char when[32] = "";
    struct tm tm;
    enum iom_status rc;

    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    rc = iom_pdf_paragraph(pdf, &iom_house_title, pdf->left,
                           iom_pdf_content_width(pdf), 0, KIND);
    iom_buf_reset(&s->tmp);
    if (rc == IOM_OK)
        rc = iom_buf_addf(&s->tmp, "Selection: %s" DOT "generated %s",
                          s->rep->selection, when);
    pdf->y -= 2;
    if (rc == IOM_OK)
        rc = iom_pdf_paragraph(pdf, &subtitle, pdf->left, iom_pdf_content_width(pdf),
                               0, s->tmp.data);
    return rc;
}

static enum iom_status
content(struct summary *s)
{
    enum iom_status rc = title_block(s);

    if (rc == IOM_OK)
        rc = overview(s);
    if (rc == IOM_OK && !iom_agg_count(s->agg))
        rc = data_block(s);
    if (rc != IOM_OK || !iom_agg_count(s->agg))
        return rc;
    rc = group_table(s, "By Region", "IDF Region", IOM_BY_REGION);
    if (rc == IOM_OK)
        rc = group_table(s, "By Type", "Project Type", IOM_BY_TYPE);
    if (rc == IOM_OK)
        rc = group_table(s, "By Year", "Year", IOM_BY_YEAR);
    if (rc == IOM_OK)
        rc = matrix(s);
    if (rc == IOM_OK)
        rc = charts(s);
    /* before the list, which may run to hundreds of pages */
    if (rc == IOM_OK)
        rc = data_block(s);
    if (rc == IOM_OK)
        rc = project_list(s);
    return rc;
}

enum iom_status
iom_summary_draw(struct iom_pdf *pdf, const struct iom_report *rep,
                 struct iom_summary_marks *marks)
{
    struct summary s;
    enum iom_status rc;

    memset(&s, 0, sizeof s);
    iom_buf_init(&s.tmp);
    iom_buf_init(&s.band);
    s.pdf = pdf;
    s.rep = rep;
    s.agg = rep->agg;
    s.marks = marks;
    pdf->on_page = on_page;
    pdf->on_page_ctx = &s;
    pdf->bottom = IOM_HOUSE_BOTTOM;
    rc = iom_pdf_add_page(pdf);
    if (rc == IOM_OK)
        rc = content(&s);
    /* the summary's state goes: later pages are someone else's */
    pdf->on_page = NULL;
    pdf->on_page_ctx = NULL;
    iom_buf_release(&s.tmp);
    iom_buf_release(&s.band);
    return rc;
}

enum iom_status
iom_summary_footer(const struct iom_report *rep, struct iom_buf *out)
{
    iom_buf_reset(out);
    return iom_buf_addf(out, KIND IOM_HOUSE_DOT "%s", rep->selection);
}

enum iom_status
iom_summary_open(struct iom_pdf *pdf, const struct iom_report *rep,
                 const char *path)
{
    struct iom_charset *chars = NULL;
    struct iom_notes notes;
    enum iom_status rc;
    size_t i;

    memset(pdf, 0, sizeof *pdf);
    /* what the summary draws: the records' text, the selection and label
     * the run was given, the data notes (the input's name), its own ASCII
     * and dashes */
    if (rep->chars && !rep->utf8_fonts) {
        chars = malloc(sizeof *chars);
        if (!chars)
            return IOM_ENOMEM;
        *chars = *rep->chars;
        iom_charset_add_utf8(chars, rep->selection);
        iom_charset_add_utf8(chars, rep->label);
        iom_charset_add_utf8(chars, DASH IOM_HOUSE_DOT);
        if (iom_notes_build(rep, &notes) != IOM_OK) {
            free(chars);
            return IOM_ENOMEM;
        }
        for (i = 0; i < notes.n; i++) {
            iom_charset_add_utf8(chars, notes.v[i].name);
            iom_charset_add_utf8(chars, notes.v[i].text);
        }
        iom_notes_release(&notes);
    }
    rc = iom_pdf_open_for(pdf, path, rep->font_regular, rep->font_bold,
                          chars, NULL);
    free(chars);
    return rc;
}

enum iom_status
iom_summary_render(const struct iom_report *rep, const char *path)
{
    struct iom_pdf pdf;
    struct iom_buf footer = IOM_BUF_INIT;
    enum iom_status rc;

    rc = iom_summary_open(&pdf, rep, path);
    if (rc != IOM_OK)
        goto out;
    /* open with the bookmarks shown: the outline is the way around */
    HPDF_SetPageMode(pdf.doc, HPDF_PAGE_MODE_USE_OUTLINE);
    rc = iom_house_info(&pdf, rep, KIND);
    if (rc == IOM_OK)
        rc = iom_summary_draw(&pdf, rep, NULL);
    if (rc == IOM_OK)
        rc = iom_summary_footer(rep, &footer);
    if (rc == IOM_OK)
        rc = iom_house_finish(&pdf, footer.data, "summary");
out:
    if (rc == IOM_ENOMEM && pdf.st == IOM_OK)
        iom_errorf("cannot render '%s': %s", path, iom_strerror(rc));
    iom_pdf_close(&pdf);
    iom_buf_release(&footer);
    return rc;
}
