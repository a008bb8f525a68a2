/*
 * xlsx: the roll-up workbook (README, "Roll-up workbook") written with libxlsxwriter in
 * constant_memory mode, so that memory stays flat however many projects a
 * run has.  That mode streams every sheet to a temporary file row by row: a
 * cell written above the current row is lost, so each sheet here is written
 * strictly top to bottom and column widths are worked out before its first
 * row.  Every total is a SUM formula whose cached result is the exact total
 * from the aggregate, so readers that do not recalculate show it too.  This
 * module does not know where the file goes once it is written.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "iom/buf.h"
#include "iom/fname.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/notes.h"
#include "iom/select.h"
#include "iom/text.h"
#include "iom/source.h"
#include "iom/xlsx.h"

/*
 * Excel's limit for one cell, in UTF-16 code units (what Excel counts).
 * libxlsxwriter 1.1.4 counts code points, which are never more.
 */
#define CELL_MAX 32767
#define CUT_MARKER " [truncated: %zu characters omitted]"

/* Column widths in characters, and the widest any text column gets. */
#define WIDTH_MIN 8.0
#define WIDTH_MAX 60.0
#define WIDTH_DESCRIPTION 80.0

#define PAPER_A4 9
/* libxlsxwriter's default chart, in pixels */
#define CHART_W 480.0
#define CHART_H 288.0
/* pixels per bar or column, and the rest of a chart (title, axis) */
#define CHART_BAR_PX 24.0
#define CHART_FRAME_PX 90.0
#define ROW_PX 20.0
/* points of one line of the default font, and Excel's tallest row */
#define LINE_PT 15.0
#define ROW_MAX_PT 409.0
/* pixels of one portrait page at 100 %, less margins, header and footer */
#define PAGE_PX 900.0

struct book {
    lxw_workbook *wb;
    const struct iom_report *rep;
    lxw_format *bold;
    lxw_format *money;
    lxw_format *bold_money;
    lxw_format *count;
    lxw_format *bold_count;
    lxw_format *share;
    lxw_format *bold_share;
    lxw_format *date;
    lxw_format *date_year;
    lxw_format *date_month;
    lxw_format *stamp;
    lxw_format *wrap;
    lxw_format *bold_wrap;
    lxw_format *link;
    struct iom_buf cut;   /* a cell's text cut to CELL_MAX */
    struct iom_buf join;  /* member states joined with "; " */
    struct iom_buf given[2];  /* "as given: ..." of a start and end date */
    size_t links;         /* hyperlinks written on the Projects sheets */
    size_t sheet_rows;    /* projects on one Projects sheet */
    enum iom_status st;   /* first failure: every later write is skipped */
};

static void
fail(struct book *b, enum iom_status st)
{
    if (b->st == IOM_OK)
        b->st = st;
}

/* Record the first libxlsxwriter failure of a cell write. */
static void
check_cell(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
           lxw_error e)
{
    char cell[LXW_MAX_CELL_NAME_LENGTH];

    if (e == LXW_NO_ERROR || b->st != IOM_OK)
        return;
    lxw_rowcol_to_cell(cell, row, col);
    iom_errorf("cannot write workbook cell '%s'!%s: %s", ws->name, cell,
               lxw_strerror(e));
    fail(b, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? IOM_ENOMEM : IOM_EXLSX);
}

static void
check(struct book *b, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || b->st != IOM_OK)
        return;
    iom_errorf("cannot write workbook %s: %s", what, lxw_strerror(e));
    fail(b, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? IOM_ENOMEM : IOM_EXLSX);
}

static bool
check_ptr(struct book *b, const void *p, const char *what)
{
    if (p == NULL && b->st == IOM_OK) {
        iom_errorf("cannot create workbook %s", what);
        fail(b, IOM_EXLSX);
    }
    return p != NULL;
}

/*
 * 's' cut to fit a cell with a visible marker, or 's' itself when it fits.
 * The result lives in b->cut until the next call.  NULL when out of memory.
 */
static const char *
fit_cell(struct book *b, const lxw_worksheet *ws, const char *s,
         const char *id, const char *column)
{
    const char *p = s;
    const char *end;
    size_t units = 0, chars = 0, kept = 0, budget;
    char marker[64];

    if (strlen(s) <= CELL_MAX)   /* bytes are never fewer than units */
        return s;
    while (*p) {
        units += iom_utf8_next(&p) > 0xFFFF ? 2 : 1;
        chars++;
    }
    if (units <= CELL_MAX)
        return s;
    /* The marker with every character omitted is the longest it gets. */
    budget = CELL_MAX - (size_t)snprintf(marker, sizeof(marker), CUT_MARKER,
                                         chars);
    units = 0;
    for (p = end = s; units < budget; end = p) {
        units += iom_utf8_next(&p) > 0xFFFF ? 2 : 1;
        if (units > budget)
            break;
        kept++;
    }
    snprintf(marker, sizeof(marker), CUT_MARKER, chars - kept);
    if (id != NULL)
        iom_warnf("project '%.80s': %s: %zu characters do not fit in a "
                  "workbook cell; cut to %zu", id, column, chars, kept);
    else
        iom_warnf("workbook sheet '%s': %s: %zu characters do not fit in a "
                  "cell; cut to %zu", ws->name, column, chars, kept);
    iom_buf_reset(&b->cut);
    if (iom_buf_add(&b->cut, s, (size_t)(end - s)) != IOM_OK ||
        iom_buf_adds(&b->cut, marker) != IOM_OK) {
        fail(b, IOM_ENOMEM);
        return NULL;
    }
    return b->cut.data;
}

/*
 * Text is always written as a string cell, never through anything that
 * could read it as a formula ("=cmd|..." stays text).  'id' (the project,
 * or NULL) and 'column' name the cell in the warning when it has to be cut.
 */
static void
put_text(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
         const char *s, lxw_format *f, const char *id, const char *column)
{
    if (b->st != IOM_OK)
        return;
    s = fit_cell(b, ws, s, id, column);
    if (s != NULL)
        check_cell(b, ws, row, col, worksheet_write_string(ws, row, col, s,
                                                           f));
}

static void
put_number(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
           double v, lxw_format *f)
{
    /* libxlsxwriter writes NAN and INF literally into a corrupt cell. */
    assert(isfinite(v));
    if (b->st == IOM_OK)
        check_cell(b, ws, row, col, worksheet_write_number(ws, row, col, v,
                                                           f));
}

/* cents / 100.0 is the double nearest the decimal amount. */
static double
dollars(int64_t cents)
{
    return (double)cents / 100.0;
}


/*
 * =SUM over rows first_row..last_row of column 'col' (or columns
 * first_col..last_col of row 'row' when by_row), cached as 'cached'.  An
 * empty range gets the plain number: Excel would read "B2:B1" as B1:B2.
 */
static void
put_sum(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
        lxw_row_t first_row, lxw_col_t first_col, lxw_row_t last_row,
        lxw_col_t last_col, lxw_format *f, double cached)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    char formula[sizeof("=SUM()") + LXW_MAX_CELL_RANGE_LENGTH];

    assert(isfinite(cached));
    if (b->st != IOM_OK)
        return;
    if (last_row < first_row || last_col < first_col) {
        put_number(b, ws, row, col, cached, f);
        return;
    }
    lxw_rowcol_to_range(range, first_row, first_col, last_row, last_col);
    snprintf(formula, sizeof(formula), "=SUM(%s)", range);
    check_cell(b, ws, row, col,
               worksheet_write_formula_num(ws, row, col, formula, f, cached));
}

/*
 * The share of the budget in (row, col - 1) in the total at (total_row,
 * col - 1), as a formula the reader can check, cached as the quotient of
 * the same two doubles a spreadsheet divides.  Nothing to share out (a
 * zero total) is a plain 0, not a division by zero.
 */
static void
put_share(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
          lxw_row_t total_row, int64_t cents, int64_t total_cents,
          lxw_format *f)
{
    char part[LXW_MAX_CELL_NAME_LENGTH], whole[LXW_MAX_CELL_NAME_LENGTH];
    char formula[2 * LXW_MAX_CELL_NAME_LENGTH + 2];

    assert(col > 0);
    if (b->st != IOM_OK)
        return;
    if (total_cents <= 0) {
        put_number(b, ws, row, col, 0, f);
        return;
    }
    lxw_rowcol_to_cell(part, row, col - 1);
    lxw_rowcol_to_cell_abs(whole, total_row, col - 1, 1, 0);
    snprintf(formula, sizeof(formula), "=%s/%s", part, whole);
    check_cell(b, ws, row, col,
               worksheet_write_formula_num(ws, row, col, formula, f,
                                           dollars(cents) /
                                           dollars(total_cents)));
}

/*
 * Every date a real date, so that a column holds one type and sorts and
 * filters as dates: a partial one ("2001", "2001-05") is its first day,
 * shown as given ("yyyy", "yyyy-mm"), and the precision column beside the
 * export's says which it is.  A date that could not be read has no cell:
 * its precision column gives its text.
 */
static void
put_date(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
         const struct iom_date *d)
{
    lxw_datetime dt = {d->year, d->month ? d->month : 1, d->day ? d->day : 1,
                       0, 0, 0.0};
    lxw_format *f = d->prec == IOM_DATE_YEAR ? b->date_year :
                    d->prec == IOM_DATE_MONTH ? b->date_month : b->date;

    if (d->prec == IOM_DATE_NONE || d->prec == IOM_DATE_GIVEN ||
        b->st != IOM_OK)
        return;
    /* libxlsxwriter turns 2001-13-45 into 2002-02-14 without a word. */
    assert(dt.year >= 1900 && dt.year <= 9999);
    assert(dt.month >= 1 && dt.month <= 12);
    assert(dt.day >= 1 && dt.day <= iom_days_in_month(dt.year, dt.month));
    check_cell(b, ws, row, col, worksheet_write_datetime(ws, row, col, &dt, f));
}

/* Display width of 's' in characters, up to 'cap'. */
static double
text_width(const char *s, double cap)
{
    double w = 0;

    while (*s && w < cap) {
        iom_utf8_next(&s);
        w++;
    }
    return w;
}

static void
widen(double *width, double w)
{
    if (w + 2 > *width)
        *width = w + 2;
}

static void
set_width(struct book *b, lxw_worksheet *ws, lxw_col_t col, double width)
{
    if (b->st == IOM_OK)
        check(b, worksheet_set_column(ws, col, col, width, NULL),
              "column width");
}

static void
put_header(struct book *b, lxw_worksheet *ws, const char *const *heads,
           size_t n, lxw_format *f)
{
    size_t c;

    for (c = 0; c < n; c++)
        put_text(b, ws, 0, (lxw_col_t)c, heads[c], f, NULL, "header");
}

/* Characters of the longest word of 's'. */
static double
longest_word(const char *s)
{
    double w = 0, best = 0;

    while (*s) {
        if (*s == ' ') {
            w = 0;
            s++;
            continue;
        }
        iom_utf8_next(&s);
        if (++w > best)
            best = w;
    }
    return best;
}

/* Set each column once, wide enough for its content and its heading (or,
 * when headings wrap, their longest word): libxlsxwriter lets widths come
 * after the rows, even in constant_memory mode, so the Projects sheet is
 * measured while it is written. */
static void
fit_columns(struct book *b, lxw_worksheet *ws, const char *const *heads,
            size_t n, double *widths, bool heads_wrap)
{
    size_t c;

    for (c = 0; c < n; c++) {
        widen(&widths[c], heads_wrap ? longest_word(heads[c]) :
                          text_width(heads[c], WIDTH_MAX));
        set_width(b, ws, (lxw_col_t)c, widths[c]);
    }
}

static lxw_worksheet *
add_sheet(struct book *b, const char *name)
{
    lxw_worksheet *ws;

    if (b->st != IOM_OK)
        return NULL;
    ws = workbook_add_worksheet(b->wb, name);
    check_ptr(b, ws, name);
    return ws;
}

/*
 * How a sheet prints: A4, fit to one page wide (as many pages tall as it
 * takes), the first 'head_rows' rows repeated on every page, and a footer
 * with the sheet's name and "Page N of M".
 */
static void
page_setup(struct book *b, lxw_worksheet *ws, bool landscape,
           lxw_row_t head_rows)
{
    if (ws == NULL || b->st != IOM_OK)
        return;
    worksheet_set_paper(ws, PAPER_A4);
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    if (head_rows > 0)
        check(b, worksheet_repeat_rows(ws, 0, head_rows - 1),
              "print titles");
    check(b, worksheet_set_footer(ws, "&L&A&RPage &P of &N"), "footer");
}

static lxw_format *
add_format(struct book *b, bool bold, const char *num_format)
{
    lxw_format *f = workbook_add_format(b->wb);

    if (!check_ptr(b, f, "format"))
        return NULL;
    if (bold)
        format_set_bold(f);
    if (num_format != NULL)
        format_set_num_format(f, num_format);
    /* a tall row of wrapped text reads from its top, every cell alike */
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

static void
add_formats(struct book *b)
{
    b->bold = add_format(b, true, NULL);
    b->money = add_format(b, false, "#,##0.00");
    b->bold_money = add_format(b, true, "#,##0.00");
    b->count = add_format(b, false, "0");
    b->bold_count = add_format(b, true, "0");
    b->share = add_format(b, false, "0.0%");
    b->bold_share = add_format(b, true, "0.0%");
    b->date = add_format(b, false, "yyyy-mm-dd");
    b->date_year = add_format(b, false, "yyyy");
    b->date_month = add_format(b, false, "yyyy-mm");
    b->stamp = add_format(b, false, "yyyy-mm-dd hh:mm:ss");
    b->wrap = add_format(b, false, NULL);
    if (b->wrap != NULL)
        format_set_text_wrap(b->wrap);
    b->bold_wrap = add_format(b, true, NULL);
    if (b->bold_wrap != NULL)
        format_set_text_wrap(b->bold_wrap);
    b->link = add_format(b, false, NULL);
    if (b->link != NULL) {
        format_set_underline(b->link, LXW_UNDERLINE_SINGLE);
        format_set_font_color(b->link, LXW_COLOR_BLUE);
    }
}

static void
set_properties(struct book *b)
{
    char title[IOM_LABEL_MAX + 64];
    lxw_doc_properties pr = {0};

    snprintf(title, sizeof(title), "IOM Development Fund roll-up, %s",
             b->rep->label);
    pr.title = title;
    pr.subject = (char *)b->rep->selection;
    pr.author = (char *)"iomreport";
    pr.company = (char *)IOM_ORGANIZATION;
    pr.keywords = (char *)"IOM Development Fund, projects, roll-up";
    pr.comments = (char *)"Generated by iomreport " IOM_VERSION;
    /*
     * libxlsxwriter 1.1.4 takes 0 for "now", which would make a run with
     * SOURCE_DATE_EPOCH=0 differ from the next; one second later is the
     * nearest it can store.
     */
    pr.created = b->rep->created != 0 ? (time_t)b->rep->created : 1;
    if (b->st == IOM_OK)
        check(b, workbook_set_properties(b->wb, &pr), "properties");
}

/* The run's time as a real date-time, or as ISO text outside Excel's range. */
static void
put_stamp(struct book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col)
{
    time_t t = (time_t)b->rep->created;
    struct tm tm;
    char text[32];
    lxw_datetime dt;

    if (gmtime_r(&t, &tm) == NULL || tm.tm_year < 0 ||
        tm.tm_year > 9999 - 1900) {
        snprintf(text, sizeof(text), "%lld", (long long)b->rep->created);
        put_text(b, ws, row, col, text, NULL, NULL, "Generated");
        return;
    }
    dt = (lxw_datetime){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec};
    if (b->st == IOM_OK)
        check_cell(b, ws, row, col,
                   worksheet_write_datetime(ws, row, col, &dt, b->stamp));
}

/* A bold label in column A of the Summary sheet, widening the column. */
static void
put_label(struct book *b, lxw_worksheet *ws, lxw_row_t row, const char *label,
          double *width)
{
    put_text(b, ws, row, 0, label, b->bold, NULL, "label");
    widen(width, text_width(label, WIDTH_MAX));
}

static void
write_summary(struct book *b)
{
    const struct iom_agg *agg = b->rep->agg;
    lxw_worksheet *ws = add_sheet(b, "Summary");
    double label_width = WIDTH_MIN, value_width = 20;
    char years[32];
    int first, last;

    if (ws == NULL)
        return;
    if (!iom_agg_year_span(agg, &first, &last))
        snprintf(years, sizeof(years), "none");
    else if (first == last)
        snprintf(years, sizeof(years), "%d", first);
    else
        snprintf(years, sizeof(years), "%d-%d", first, last);

    /* Row by row: constant_memory drops a cell above the current row. */
    put_text(b, ws, 0, 0, "IOM Development Fund roll-up", b->bold, NULL,
             "title");
    put_label(b, ws, 2, "Selection", &label_width);
    put_text(b, ws, 2, 1, b->rep->selection, NULL, NULL, "Selection");
    widen(&value_width, text_width(b->rep->selection, WIDTH_MAX));
    put_label(b, ws, 3, "Projects", &label_width);
    put_number(b, ws, 3, 1, (double)iom_agg_count(agg), b->count);
    put_label(b, ws, 4, "Total budget (USD)", &label_width);
    put_number(b, ws, 4, 1, dollars(iom_agg_total(agg)), b->money);
    put_label(b, ws, 5, "Average budget (USD)", &label_width);
    put_number(b, ws, 5, 1, dollars(iom_agg_average(agg)), b->money);
    put_label(b, ws, 6, "Median budget (USD)", &label_width);
    put_number(b, ws, 6, 1, dollars(iom_agg_median(agg)), b->money);
    put_label(b, ws, 7, "Benefiting member states", &label_width);
    put_number(b, ws, 7, 1, (double)iom_agg_member_states(agg), b->count);
    put_label(b, ws, 8, "Years covered", &label_width);
    put_text(b, ws, 8, 1, years, NULL, NULL, "Years covered");
    put_label(b, ws, 9, "Generated (UTC)", &label_width);
    put_stamp(b, ws, 9, 1);
    put_label(b, ws, 10, "Tool version", &label_width);
    put_text(b, ws, 10, 1, "iomreport " IOM_VERSION, NULL, NULL,
             "Tool version");
    if (iom_agg_count(agg) == 0)
        put_text(b, ws, 12, 0, "No projects match this selection.", NULL,
                 NULL, "note");
    set_width(b, ws, 0, label_width);
    set_width(b, ws, 1, value_width);
    page_setup(b, ws, false, 1);
}

enum {
    COL_ID, COL_TITLE, COL_START, COL_END, COL_STATUS, COL_TYPE, COL_BUDGET,
    COL_COVERAGE, COL_YEAR, COL_REGION, COL_STATES, COL_DESCRIPTION,
    COL_PRIMA, COL_START_PREC, COL_END_PREC, COL_COUNT
};

/* The export's columns in its order, then the dates' precisions. */
static const char *const project_heads[COL_COUNT] = {
    "Projects ID", "Title", "Start Date", "End Date", "Project Status",
    "Project Type", "Budget Amount (USD)", "Coverage", "Year", "IDF Region",
    "Benefiting Member States", "Description", "Prima ID",
    "Start Date precision", "End Date precision",
};

/*
 * What a date column's value stands for: "year", "month", "day" or "";
 * for a date that could not be read, which has no date cell, its text
 * ("as given: 4/1/2001"), made in 'buf' (NULL when out of memory).
 */
static const char *
precision(struct book *b, const struct iom_record *rec,
          const struct iom_date *d, struct iom_buf *buf)
{
    static const char *const names[] = {"", "year", "month", "day"};
    const char *given = iom_record_date_given(rec, d);

    if (!given)
        return names[d->prec];
    iom_buf_reset(buf);
    if (iom_buf_addf(buf, "as given: %s", given) != IOM_OK) {
        fail(b, IOM_ENOMEM);
        return NULL;
    }
    return buf->data;
}

static const char *
join_states(struct book *b, const struct iom_record *rec)
{
    size_t i;

    iom_buf_reset(&b->join);
    for (i = 0; i < rec->n_states; i++)
        if ((i > 0 && iom_buf_adds(&b->join, "; ") != IOM_OK) ||
            iom_buf_adds(&b->join, rec->states[i]) != IOM_OK) {
            fail(b, IOM_ENOMEM);
            return NULL;
        }
    return b->join.data;
}

/*
 * A region or type as the export gave it: the Projects sheet keeps an empty
 * cell empty, and only the group sheets name the group "Unspecified".
 */
static const char *
raw_group(const char *name)
{
    return strcmp(name, IOM_UNSPECIFIED) == 0 ? "" : name;
}

/*
 * The widest each Projects column gets: longer text wraps within it, so
 * that the sheet prints one page wide at a readable size.
 */
static const double project_caps[COL_COUNT] = {
    [COL_ID] = WIDTH_MAX, [COL_TITLE] = 36, [COL_START] = 10,
    [COL_END] = 10, [COL_STATUS] = 14, [COL_TYPE] = 24, [COL_BUDGET] = 16,
    [COL_COVERAGE] = 12, [COL_YEAR] = 6, [COL_REGION] = 20,
    [COL_STATES] = 24, [COL_DESCRIPTION] = 48, [COL_PRIMA] = 12,
    [COL_START_PREC] = 9, [COL_END_PREC] = 9,
};

/*
 * About how many lines 's' takes wrapped in a column 'cap' characters
 * wide: a width counts digits, and text averages narrower letters, less
 * what the words that do not fit leave at the ends of lines.
 */
static double
wrapped_lines(const char *s, double cap)
{
    double lines = 1, col = 0, per = cap * 1.15;

    while (*s) {
        if (*s == '\n') {
            lines++;
            col = 0;
            s++;
            continue;
        }
        iom_utf8_next(&s);
        if (++col > per) {
            lines++;
            col = 1;
        }
    }
    return lines;
}

/*
 * The ID, linked to its brief while the sheet has links left to give.
 * Links are the one part of the workbook that libxlsxwriter 1.1.4 keeps in
 * memory until the end, about 2 KB each (its relationship records have
 * fixed-size buffers), so the cap also bounds memory at about 140 MB.
 */
static void
put_id(struct book *b, lxw_worksheet *ws, lxw_row_t row,
       const struct iom_record *rec, const char *brief)
{
    char url[sizeof("briefs/") + IOM_FNAME_MAX];
    const char *id;

    if (b->links == LXW_MAX_NUMBER_URLS) {
        /* Excel's limit: libxlsxwriter would drop the cell altogether. */
        iom_warnf("more than %d projects: IDs from '%.80s' on are not "
                  "linked to their briefs in the workbook",
                  LXW_MAX_NUMBER_URLS, rec->id);
        b->links++;
    }
    if (b->links > LXW_MAX_NUMBER_URLS) {
        put_text(b, ws, row, COL_ID, rec->id, b->wrap, rec->id,
                 project_heads[COL_ID]);
        return;
    }
    if (b->st != IOM_OK)
        return;
    id = fit_cell(b, ws, rec->id, rec->id, project_heads[COL_ID]);
    if (id == NULL)
        return;
    /*
     * A plain relative URL: libxlsxwriter turns the '/' of an "external:"
     * link into '\', which only Windows resolves.
     */
    snprintf(url, sizeof(url), "briefs/%s", brief);
    check_cell(b, ws, row, COL_ID,
               worksheet_write_url_opt(ws, row, COL_ID, url, b->link, id,
                                       NULL));
    b->links++;
}

/*
 * One project's row, widening 'widths' to its text (up to project_caps)
 * and making the row tall enough for its wrapped text: constant_memory
 * leaves no room to fit rows afterwards, and a reader would not.
 */
static void
put_project(struct book *b, lxw_worksheet *ws, lxw_row_t row,
            const struct iom_record *rec, const char *brief,
            double widths[COL_COUNT])
{
    const char *const *h = project_heads;
    const char *text[COL_COUNT] = {NULL};
    char money[IOM_MONEY_TEXT_MAX];
    double lines = 1;
    size_t c;

    text[COL_TITLE] = rec->title;
    text[COL_STATUS] = rec->status;
    text[COL_TYPE] = raw_group(rec->type);
    text[COL_COVERAGE] = rec->coverage;
    text[COL_REGION] = raw_group(rec->region);
    text[COL_STATES] = join_states(b, rec);
    text[COL_DESCRIPTION] = rec->description;
    text[COL_PRIMA] = rec->prima_id;
    text[COL_START_PREC] = precision(b, rec, &rec->start, &b->given[0]);
    text[COL_END_PREC] = precision(b, rec, &rec->end, &b->given[1]);
    widen(&widths[COL_ID], text_width(rec->id, project_caps[COL_ID]));
    widen(&widths[COL_BUDGET],
          strlen(iom_money_format(rec->budget_cents, money)));
    for (c = 0; c < COL_COUNT; c++)
        if (text[c] != NULL) {
            double l = wrapped_lines(text[c], project_caps[c]);

            widen(&widths[c], text_width(text[c], project_caps[c]));
            if (l > lines)
                lines = l;
        }
    if (lines > 1 && b->st == IOM_OK)
        check(b, worksheet_set_row(ws, row, lines * LINE_PT < ROW_MAX_PT ?
                                   lines * LINE_PT : ROW_MAX_PT, NULL),
              "row height");
    put_id(b, ws, row, rec, brief);
    put_date(b, ws, row, COL_START, &rec->start);
    put_date(b, ws, row, COL_END, &rec->end);
    put_number(b, ws, row, COL_BUDGET, dollars(rec->budget_cents), b->money);
    put_number(b, ws, row, COL_YEAR, rec->year, b->count);
    for (c = 0; c < COL_COUNT; c++)
        if (text[c] != NULL)
            put_text(b, ws, row, (lxw_col_t)c, text[c], b->wrap, rec->id,
                     h[c]);
}

/*
 * Projects recs[from, to) on the k-th Projects sheet ("Projects",
 * "Projects (2)", ...): Excel stops at 1,048,576 rows, so a large
 * selection continues on further sheets, each with its header.
 */
static void
write_projects_sheet(struct book *b, size_t k, size_t from, size_t to)
{
    const struct iom_record *const *recs = iom_agg_projects(b->rep->agg);
    char name[32];
    lxw_worksheet *ws;
    double widths[COL_COUNT];
    int64_t cents = 0;
    lxw_row_t total = (lxw_row_t)(to - from) + 1;
    size_t i;

    if (k == 0)
        snprintf(name, sizeof name, "Projects");
    else
        snprintf(name, sizeof name, "Projects (%zu)", k + 1);
    ws = add_sheet(b, name);
    if (ws == NULL)
        return;
    for (i = 0; i < COL_COUNT; i++)
        widths[i] = WIDTH_MIN;
    widen(&widths[COL_START], 10);
    widen(&widths[COL_END], 10);
    /* three lines hold any heading at its column's width */
    if (b->st == IOM_OK)
        check(b, worksheet_set_row(ws, 0, 3 * LINE_PT, NULL), "row height");
    put_header(b, ws, project_heads, COL_COUNT, b->bold_wrap);
    worksheet_freeze_panes(ws, 1, 1);
    if (b->st == IOM_OK)
        check(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(to - from),
                                      COL_COUNT - 1), "autofilter");
    for (i = from; i < to && b->st == IOM_OK; i++) {
        const struct iom_record *rec = recs[i];

        /* Run records carry no description: read the whole record. */
        if (b->rep->source) {
            enum iom_status st = iom_source_load(b->rep->source, rec, &rec);

            if (st != IOM_OK) {
                fail(b, st);
                break;
            }
        }
        put_project(b, ws, (lxw_row_t)(i - from + 1), rec,
                    b->rep->brief_names[i], widths);
        cents += rec->budget_cents;
    }
    /* Below the autofilter's range, so that sorting leaves it last. */
    put_text(b, ws, total, COL_ID, "Total", b->bold, NULL, "total");
    put_sum(b, ws, total, COL_BUDGET, 1, COL_BUDGET, total - 1, COL_BUDGET,
            b->bold_money, dollars(cents));
    fit_columns(b, ws, project_heads, COL_COUNT, widths, true);
    page_setup(b, ws, true, 1);
}

static void
write_projects(struct book *b)
{
    size_t n = iom_agg_count(b->rep->agg), k = 0, from = 0;

    assert(n == 0 || b->rep->brief_names != NULL);
    assert(b->sheet_rows > 0);
    do {
        size_t to = n - from > b->sheet_rows ? from + b->sheet_rows : n;

        write_projects_sheet(b, k++, from, to);
        from = to;
    } while (from < n && b->st == IOM_OK);
}

/* Characters of a column width as pixels, as Excel counts them. */
static double
width_px(const double *widths, size_t n)
{
    double px = 0;
    size_t i;

    for (i = 0; i < n; i++)
        px += widths[i] * 7 + 5;
    return px;
}

/*
 * A chart of column 'C' (budget) by column 'A' (group) of a By sheet, under
 * the table that ends at row 'below': sized to its 'n' categories so that
 * every label shows, with the value on each bar, and on a page of its own
 * when it would not fit under the table, so that no page break cuts it.
 */
static void
add_chart(struct book *b, lxw_worksheet *ws, size_t n, const char *title,
          bool horizontal, lxw_row_t below, double table_px)
{
    lxw_chart *chart;
    lxw_chart_series *series;
    lxw_chart_options where = {0};
    lxw_chart_axis *cats, *values;
    lxw_chart_font rotated = {0};
    double w, h;
    lxw_row_t at = below + 2;
    lxw_row_t breaks[] = {at, 0};

    if (b->st != IOM_OK || n == 0)
        return;
    chart = workbook_add_chart(b->wb, horizontal ? LXW_CHART_BAR
                                                 : LXW_CHART_COLUMN);
    if (!check_ptr(b, chart, "chart"))
        return;
    series = chart_add_series(chart, NULL, NULL);
    if (!check_ptr(b, series, "chart series"))
        return;
    chart_series_set_categories(series, ws->name, 1, 0, (lxw_row_t)n, 0);
    chart_series_set_values(series, ws->name, 1, 2, (lxw_row_t)n, 2);
    chart_series_set_labels(series);
    chart_series_set_labels_num_format(series, "#,##0");
    chart_title_set_name(chart, title);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    /* a bar chart's category axis is its y axis */
    cats = horizontal ? chart->y_axis : chart->x_axis;
    values = horizontal ? chart->x_axis : chart->y_axis;
    chart_axis_set_num_format(values, "#,##0");
    chart_axis_set_interval_unit(cats, 1);
    if (horizontal) {
        /* top to bottom in the table's order */
        chart_axis_set_reverse(cats);
        w = table_px > CHART_W ? table_px : CHART_W;
        h = CHART_FRAME_PX + CHART_BAR_PX * (double)n;
    } else {
        rotated.rotation = -45;
        if (n > 12)
            chart_axis_set_num_font(cats, &rotated);
        w = CHART_FRAME_PX + 2 * CHART_BAR_PX * (double)n;
        if (w < CHART_W)
            w = CHART_W;
        h = CHART_H;
    }
    where.x_scale = w / CHART_W;
    where.y_scale = h / CHART_H;
    if ((double)at * ROW_PX + h > PAGE_PX)
        check(b, worksheet_set_h_pagebreaks(ws, breaks), "page break");
    check(b, worksheet_insert_chart_opt(ws, at, 0, chart, &where), "chart");
}

static void
write_groups(struct book *b, enum iom_agg_dim dim, const char *sheet,
             const char *head, const char *title)
{
    const char *const heads[] = {head, "Projects", "Budget (USD)", "Share"};
    const struct iom_agg *agg = b->rep->agg;
    size_t i, n;
    const struct iom_group *g = iom_agg_groups(agg, dim, &n);
    lxw_worksheet *ws = add_sheet(b, sheet);
    double widths[4] = {WIDTH_MIN, 10, 16, 8};
    char money[IOM_MONEY_TEXT_MAX];
    lxw_row_t r, total = (lxw_row_t)n + 1;

    if (ws == NULL)
        return;
    for (i = 0; i < n; i++) {
        widen(&widths[0], text_width(g[i].name, WIDTH_MAX));
        widen(&widths[2], strlen(iom_money_format(g[i].total_cents, money)));
    }
    put_header(b, ws, heads, 4, b->bold);
    fit_columns(b, ws, heads, 4, widths, false);
    worksheet_freeze_panes(ws, 1, 0);
    for (i = 0; i < n; i++) {
        r = (lxw_row_t)i + 1;
        if (dim == IOM_BY_YEAR)
            put_number(b, ws, r, 0, g[i].year, b->count);
        else
            put_text(b, ws, r, 0, g[i].name, NULL, NULL, head);
        put_number(b, ws, r, 1, (double)g[i].count, b->count);
        put_number(b, ws, r, 2, dollars(g[i].total_cents), b->money);
        put_share(b, ws, r, 3, total, g[i].total_cents, iom_agg_total(agg),
                  b->share);
    }
    put_text(b, ws, total, 0, "Total", b->bold, NULL, head);
    put_sum(b, ws, total, 1, 1, 1, total - 1, 1, b->bold_count,
            (double)iom_agg_count(agg));
    put_sum(b, ws, total, 2, 1, 2, total - 1, 2, b->bold_money,
            dollars(iom_agg_total(agg)));
    put_share(b, ws, total, 3, total, iom_agg_total(agg), iom_agg_total(agg),
              b->bold_share);
    if (n > 0)
        put_text(b, ws, total + 2, 0, IOM_SHARES_NOTE, NULL, NULL, "note");
    add_chart(b, ws, n, title, dim != IOM_BY_YEAR, total + 2,
              width_px(widths, 4));
    page_setup(b, ws, false, 1);
}

/*
 * One block of the Region x Year sheet, from row 'top': a header row of
 * years, a row per region, and a total row; a total column at the right.
 * 'money' selects budgets, otherwise project counts.
 */
static void
write_crosstab_block(struct book *b, lxw_worksheet *ws, lxw_row_t top,
                     bool money)
{
    const struct iom_agg *agg = b->rep->agg;
    size_t nr, ny, i, j;
    const struct iom_group *reg = iom_agg_groups(agg, IOM_BY_REGION, &nr);
    const struct iom_group *yr = iom_agg_groups(agg, IOM_BY_YEAR, &ny);
    lxw_format *f = money ? b->money : b->count;
    lxw_format *bf = money ? b->bold_money : b->bold_count;
    lxw_col_t last = (lxw_col_t)ny + 1;
    lxw_row_t r, bottom = top + (lxw_row_t)nr + 1;

    put_text(b, ws, top, 0, money ? "Budget (USD)" : "Projects", b->bold,
             NULL, "header");
    for (j = 0; j < ny; j++)
        put_number(b, ws, top, (lxw_col_t)j + 1, yr[j].year, b->bold_count);
    put_text(b, ws, top, last, "Total", b->bold, NULL, "header");
    for (i = 0; i < nr; i++) {
        r = top + 1 + (lxw_row_t)i;
        put_text(b, ws, r, 0, reg[i].name, NULL, NULL, "IDF Region");
        for (j = 0; j < ny; j++) {
            const struct iom_group *c = iom_agg_cell(agg, i, j);

            if (c->count == 0)   /* an empty cell reads better than 0 */
                continue;
            put_number(b, ws, r, (lxw_col_t)j + 1,
                       money ? dollars(c->total_cents) : (double)c->count, f);
        }
        put_sum(b, ws, r, last, r, 1, r, last - 1, bf,
                money ? dollars(reg[i].total_cents) : (double)reg[i].count);
    }
    put_text(b, ws, bottom, 0, "Total", b->bold, NULL, "IDF Region");
    for (j = 0; j < ny; j++)
        put_sum(b, ws, bottom, (lxw_col_t)j + 1, top + 1, (lxw_col_t)j + 1,
                bottom - 1, (lxw_col_t)j + 1, bf,
                money ? dollars(yr[j].total_cents) : (double)yr[j].count);
    put_sum(b, ws, bottom, last, top + 1, last, bottom - 1, last, bf,
            money ? dollars(iom_agg_total(agg)) : (double)iom_agg_count(agg));
}

static void
write_crosstab(struct book *b)
{
    const struct iom_agg *agg = b->rep->agg;
    size_t nr, ny, i;
    const struct iom_group *reg = iom_agg_groups(agg, IOM_BY_REGION, &nr);
    lxw_worksheet *ws = add_sheet(b, "Region x Year");
    double w = WIDTH_MIN;
    char money[IOM_MONEY_TEXT_MAX];

    if (ws == NULL)
        return;
    iom_agg_groups(agg, IOM_BY_YEAR, &ny);
    for (i = 0; i < nr; i++)
        widen(&w, text_width(reg[i].name, WIDTH_MAX));
    widen(&w, strlen("Budget (USD)"));
    set_width(b, ws, 0, w);
    /* Every cell is at most the grand total wide. */
    w = (double)strlen(iom_money_format(iom_agg_total(agg), money)) + 2;
    if (b->st == IOM_OK)
        check(b, worksheet_set_column(ws, 1, (lxw_col_t)ny + 1,
                                      w < 10 ? 10 : w, NULL),
              "column width");
    worksheet_freeze_panes(ws, 1, 1);
    write_crosstab_block(b, ws, 0, true);
    write_crosstab_block(b, ws, (lxw_row_t)nr + 3, false);
    /* wide when many years make it wide */
    page_setup(b, ws, ny > 6, 1);
}

/* The data and definitions, the same items as the summary's. */
static void
write_notes(struct book *b)
{
    lxw_worksheet *ws = add_sheet(b, "Notes");
    double width = WIDTH_MIN;
    struct iom_notes notes;
    enum iom_status st;
    size_t i;

    if (ws == NULL)
        return;
    st = iom_notes_build(b->rep, &notes);
    if (st != IOM_OK) {
        fail(b, st);
        return;
    }
    put_text(b, ws, 0, 0, IOM_NOTES_TITLE, b->bold, NULL, "title");
    for (i = 0; i < notes.n; i++) {
        lxw_row_t r = (lxw_row_t)i + 2;
        double lines = wrapped_lines(notes.v[i].text, WIDTH_DESCRIPTION);

        if (lines > 1 && b->st == IOM_OK)
            check(b, worksheet_set_row(ws, r, lines * LINE_PT, NULL),
                  "row height");
        put_text(b, ws, r, 0, notes.v[i].name, b->bold, NULL, "name");
        put_text(b, ws, r, 1, notes.v[i].text, b->wrap, NULL, "note");
        widen(&width, text_width(notes.v[i].name, WIDTH_MAX));
    }
    set_width(b, ws, 0, width);
    set_width(b, ws, 1, WIDTH_DESCRIPTION);
    page_setup(b, ws, false, 1);
    iom_notes_release(&notes);
}

/*
 * Failures of the final write are I/O, unless memory ran out on the way
 * (the zip layer says only that it failed; errno says why); the rest are
 * the library's.
 */
static enum iom_status
close_status(lxw_error e, int err)
{
    if (err == ENOMEM)
        return IOM_ENOMEM;
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED:
        return IOM_ENOMEM;
    case LXW_ERROR_CREATING_XLSX_FILE:
    case LXW_ERROR_CREATING_TMPFILE:
    case LXW_ERROR_READING_TMPFILE:
    case LXW_ERROR_ZIP_FILE_OPERATION:
    case LXW_ERROR_ZIP_FILE_ADD:
    case LXW_ERROR_ZIP_CLOSE:
        return IOM_EIO;
    default:
        return IOM_EXLSX;
    }
}

enum iom_status
iom_xlsx_render(const struct iom_report *rep, const char *path,
                const char *tmpdir)
{
    return iom_xlsx_render_rows(rep, path, tmpdir, IOM_XLSX_SHEET_ROWS);
}

enum iom_status
iom_xlsx_render_rows(const struct iom_report *rep, const char *path,
                     const char *tmpdir, size_t sheet_rows)
{
    lxw_workbook_options opt = {
        .constant_memory = LXW_TRUE,
        .tmpdir = (char *)tmpdir,
        .use_zip64 = LXW_FALSE,
    };
    struct book b = {.rep = rep, .st = IOM_OK, .sheet_rows = sheet_rows};
    lxw_error e;
    int muted, err;

    assert(rep != NULL && rep->agg != NULL && path != NULL);
    iom_buf_init(&b.cut);
    iom_buf_init(&b.join);
    iom_buf_init(&b.given[0]);
    iom_buf_init(&b.given[1]);
    /* libxlsxwriter prints lines of its own ("[ERROR] ...") when a call
     * fails; iomreport's own line says what failed, once. */
    muted = iom_msg_mute();
    b.wb = workbook_new_opt(path, &opt);
    if (b.wb == NULL) {
        iom_errorf("cannot create workbook '%s'", path);
        b.st = IOM_EXLSX;
        goto out;
    }
    add_formats(&b);
    set_properties(&b);
    write_summary(&b);
    write_projects(&b);
    write_groups(&b, IOM_BY_REGION, "By Region", "IDF Region",
                 "Budget by IDF Region (USD)");
    write_groups(&b, IOM_BY_TYPE, "By Type", "Project Type",
                 "Budget by Project Type (USD)");
    write_groups(&b, IOM_BY_YEAR, "By Year", "Year", "Budget by Year (USD)");
    write_crosstab(&b);
    write_notes(&b);

    /* workbook_close() is also what frees the workbook after a failure. */
    errno = 0;
    e = workbook_close(b.wb);
    err = errno;
    if (e != LXW_NO_ERROR && b.st == IOM_OK) {
        iom_errorf("cannot write '%s': %s", path, err == ENOMEM ?
                   strerror(err) : lxw_strerror(e));
        b.st = close_status(e, err);
    }
out:
    iom_msg_unmute(muted);
    iom_buf_release(&b.cut);
    iom_buf_release(&b.join);
    iom_buf_release(&b.given[0]);
    iom_buf_release(&b.given[1]);
    return b.st;
}
