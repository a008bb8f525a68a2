/*
 * validate: header matching and the field rules of the README's Input section.
 *
 * A record is checked against every rule, in column order, and all its
 * faults are reported together, so each rejected record gives exactly one
 * line on standard error and one row in rejected.csv.  A record broken as
 * a whole (its quoting, its number of fields, bytes that are not UTF-8) is
 * reported for that alone: its fields cannot be trusted.  What only looks
 * wrong in a kept record (a date that cannot be read, an End before its
 * Start, a member state listed twice, a Year far from the Start Date) is
 * one warning line per field, said when the record is first read.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/hashset.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/text.h"
#include "iom/validate.h"

enum column {
    COL_ID, COL_TITLE, COL_START, COL_END, COL_STATUS, COL_TYPE, COL_BUDGET,
    COL_COVERAGE, COL_YEAR, COL_REGION, COL_STATES, COL_DESCRIPTION,
    COL_PRIMA, COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "Projects ID", "Title", "Start Date", "End Date", "Project Status",
    "Project Type", "Budget Amount (USD)", "Coverage", "Year", "IDF Region",
    "Benefiting Member States", "Description", "Prima ID"
};

#define NO_COLUMN IOM_CSV_NO_COLUMN
#define MAX_STATES 4096
/* Bytes of a value quoted in a message, cut at a character. */
#define QUOTE_ID 100
#define QUOTE_VALUE 60
#define QUOTE_DATE 40
/* Repeated member states named in their warning; the rest are counted. */
#define REPEATS_NAMED 5
/* Longest date read: "2001-04-01T00:00:00.000000000". */
#define DATE_TEXT_MAX 29
/* One reason for all the faults of a record: room for every fault with
 * its quoted value; anything longer is cut at a character. */
#define REASON_MAX 640

struct iom_validator {
    const char *input;
    struct iom_recset *rs;
    struct iom_rejects *rej;
    struct iom_rejects *warned;   /* kept records warned about, or NULL */
    bool have_header;
    size_t n_fields;              /* fields in the header */
    size_t col[COL_COUNT];        /* field index of each column */
    size_t records;
    size_t accepted;
    /* The accepted IDs, interned in 'rs' with the line of their record
     * as tag. */
    struct iom_hashset ids;
    size_t id_at;                 /* the free slot the last new ID goes to */
    const char *states[MAX_STATES];
    /* A record's member states as compared (blanks squeezed), each after
     * a byte that says whether its repetition was named; and the set of
     * them, folding ASCII case. */
    char *keys;
    size_t keys_cap;
    struct iom_hashset seen;
    struct iom_buf repeated;      /* the names of the repeated ones */
    size_t n_repeated;
    struct iom_buf given;         /* the dates kept as given, joined */
    enum iom_money_form form;
    struct iom_charset *chars;    /* NULL: not tracked */
    unsigned keep;                /* enum iom_keep bits */
    iom_record_sink sink;         /* NULL: accepted records go to 'rs' */
    void *sink_ctx;
};

enum iom_status
iom_validator_new(const char *input_name, struct iom_recset *rs,
                  struct iom_rejects *rej, struct iom_validator **out)
{
    struct iom_validator *v = calloc(1, sizeof *v);

    if (!v)
        return IOM_ENOMEM;
    v->input = input_name;
    v->rs = rs;
    v->rej = rej;
    v->keep = IOM_KEEP_ALL;
    v->form = IOM_MONEY_POINT;
    iom_buf_init(&v->repeated);
    iom_buf_init(&v->given);
    iom_hashset_init(&v->seen, true);
    iom_hashset_init(&v->ids, false);
    if (iom_hashset_reserve(&v->ids, 512) != IOM_OK) {
        free(v);
        return IOM_ENOMEM;
    }
    *out = v;
    return IOM_OK;
}

void
iom_validator_free(struct iom_validator *v)
{
    if (!v)
        return;
    iom_hashset_release(&v->ids);
    iom_hashset_release(&v->seen);
    iom_buf_release(&v->repeated);
    iom_buf_release(&v->given);
    free(v->keys);
    free(v);
}

void
iom_validator_money_form(struct iom_validator *v, enum iom_money_form form)
{
    v->form = form;
}

void
iom_validator_list_warnings(struct iom_validator *v,
                            struct iom_rejects *warned)
{
    v->warned = warned;
}

void
iom_validator_track_chars(struct iom_validator *v, struct iom_charset *cs)
{
    v->chars = cs;
}

bool
iom_validator_has_header(const struct iom_validator *v)
{
    return v->have_header;
}

size_t
iom_validator_records(const struct iom_validator *v)
{
    return v->records;
}

size_t
iom_validator_accepted(const struct iom_validator *v)
{
    return v->accepted;
}

void
iom_validator_stream(struct iom_validator *v, iom_record_sink sink,
                     void *ctx)
{
    v->sink = sink;
    v->sink_ctx = ctx;
}

/* ---- header ---- */

static enum iom_status
read_header(struct iom_validator *v, const struct iom_csv_row *row)
{
    size_t c;
    enum iom_status st;

    st = iom_csv_map_header(row, v->input, column_names, COL_COUNT, v->col);
    if (st != IOM_OK)
        return st;
    {
        static const enum column required[] = { COL_ID, COL_TITLE,
                                                COL_BUDGET };

        for (c = 0; c < sizeof required / sizeof required[0]; c++) {
            if (v->col[required[c]] == NO_COLUMN) {
                iom_errorf("%s:%lu: required column '%s' is missing from "
                           "the header", v->input, row->line,
                           column_names[required[c]]);
                return IOM_ECSV;
            }
        }
    }
    if (v->col[COL_YEAR] == NO_COLUMN && v->col[COL_START] == NO_COLUMN) {
        iom_errorf("%s:%lu: required column 'Year' (or 'Start Date') is "
                   "missing from the header", v->input, row->line);
        return IOM_ECSV;
    }
    v->n_fields = row->n;
    v->have_header = true;
    st = iom_rejects_header(v->rej, row);
    if (st == IOM_OK && v->warned)
        st = iom_rejects_header(v->warned, row);
    return st;
}

/* ---- field rules ---- */

static bool
digits(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static int
num(const char *s, size_t n)
{
    int v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/*
 * Whether s (what follows a YYYY-MM-DD) is a time of day after a space or
 * 'T': " 13:30", "T13:30:00", "T00:00:00.000"; *zero when it is midnight.
 */
static bool
time_of_day(const char *s, bool *zero)
{
    size_t n = 6;

    if ((s[0] != ' ' && s[0] != 'T') || !digits(s + 1, 2) || s[3] != ':' ||
        !digits(s + 4, 2))
        return false;
    if (s[n] == ':') {
        if (!digits(s + n + 1, 2))
            return false;
        n += 3;
        if (s[n] == '.') {
            size_t f = strspn(s + n + 1, "0123456789");

            if (f == 0)
                return false;
            n += 1 + f;
        }
    }
    *zero = strspn(s + 1, "0:.") == n - 1;
    return s[n] == '\0';
}

enum iom_status
iom_parse_date(const char *s, struct iom_date *out, const char **why)
{
    size_t len = strlen(s);
    struct iom_date d = { 0, 0, 0, IOM_DATE_YEAR };
    bool midnight = true;

    /* A date-time keeps its date when the time says nothing more. */
    if (len > 10 && time_of_day(s + 10, &midnight))
        len = 10;
    if (!(len == 4 || len == 7 || len == 10) || !digits(s, 4) ||
        (len >= 7 && (s[4] != '-' || !digits(s + 5, 2))) ||
        (len == 10 && (s[7] != '-' || !digits(s + 8, 2)))) {
        *why = "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)";
        return IOM_EINVALID;
    }
    d.year = num(s, 4);
    if (d.year < IOM_YEAR_MIN || d.year > IOM_YEAR_MAX) {
        *why = "has a year outside 1951-2100";
        return IOM_EINVALID;
    }
    if (len >= 7) {
        d.month = num(s + 5, 2);
        d.prec = IOM_DATE_MONTH;
        if (d.month < 1 || d.month > 12) {
            *why = "has a month outside 01-12";
            return IOM_EINVALID;
        }
    }
    if (len == 10) {
        d.day = num(s + 8, 2);
        d.prec = IOM_DATE_DAY;
        if (d.day < 1 || d.day > iom_days_in_month(d.year, d.month)) {
            *why = "has a day that is not in its month";
            return IOM_EINVALID;
        }
    }
    if (!midnight) {
        *why = "has a time of day other than midnight";
        return IOM_EINVALID;
    }
    *out = d;
    return IOM_OK;
}

enum iom_status
iom_parse_year(const char *s, int *out, const char **why)
{
    size_t len = strlen(s);
    int y;

    if (len == 0 || len > 4 || !digits(s, len)) {
        *why = "is not a whole year";
        return IOM_EINVALID;
    }
    y = num(s, len);
    if (y < IOM_YEAR_MIN || y > IOM_YEAR_MAX) {
        *why = "is outside 1951-2100";
        return IOM_EINVALID;
    }
    *out = y;
    return IOM_OK;
}

bool
iom_date_before(const struct iom_date *end, const struct iom_date *start)
{
    enum iom_date_prec p = end->prec < start->prec ? end->prec : start->prec;

    if (p == IOM_DATE_NONE || end->prec == IOM_DATE_GIVEN ||
        start->prec == IOM_DATE_GIVEN)
        return false;
    if (end->year != start->year)
        return end->year < start->year;
    if (p == IOM_DATE_YEAR)
        return false;
    if (end->month != start->month)
        return end->month < start->month;
    return p == IOM_DATE_DAY && end->day < start->day;
}

/* ---- records ---- */

const char *
iom_row_fault(const struct iom_csv_row *row, size_t n_fields,
              const char *const *names, const size_t *col, size_t n_cols,
              char *reason, size_t size)
{
    size_t i, c, bad;

    if (row->problem) {
        snprintf(reason, size, "%s", row->problem);
        return "(record)";
    }
    if (row->n != n_fields) {
        snprintf(reason, size, "has %zu fields, the header has %zu", row->n,
                 n_fields);
        return "(record)";
    }
    for (i = 0; i < row->n; i++) {
        if (!iom_utf8_valid(row->fields[i], row->lens[i], &bad)) {
            const char *column = "(record)";

            for (c = 0; c < n_cols; c++)
                if (col[c] == i)
                    column = names[c];
            snprintf(reason, size, "%s at byte %zu of field %zu",
                     row->fields[i][bad] ? "is not valid UTF-8" :
                     "holds a NUL byte", bad + 1, i + 1);
            return column;
        }
    }
    return NULL;
}

bool
iom_list_next(const char *s, size_t len, size_t *at, const char **item,
              size_t *item_len)
{
    while (*at < len) {
        size_t start = *at, end = start;

        while (end < len && s[end] != ';' && s[end] != '|')
            end++;
        *at = end < len ? end + 1 : len;
        *item = iom_text_trim(s + start, end - start, item_len);
        if (*item_len)
            return true;
    }
    return false;
}

/* Intern the new ID s[0..len) of the record on 'line', whose slot
 * check_record() left in v->id_at, and remember it. */
static enum iom_status
remember_id(struct iom_validator *v, const char *s, size_t len,
            unsigned long line, const char **out)
{
    *out = iom_recset_intern_tagged(v->rs, s, len, line);
    if (!*out)
        return IOM_ENOMEM;
    iom_hashset_put(&v->ids, v->id_at, *out);
    return IOM_OK;
}

/*
 * What is wrong with a record, for stderr and rejected.csv: its faults in
 * column order in one reason, each after the first with its own column.
 */
struct faults {
    const char *column;           /* the first fault's; NULL: none */
    char reason[REASON_MAX];
    size_t len;
};

/* Bytes of s[0..len) quoted in a message: at most 'max', whole
 * characters (a value is valid UTF-8 by then). */
static int
quoted(const char *s, size_t len, size_t max)
{
    return (int)iom_utf8_cut(s, len, max);
}

static void add_fault(struct faults *f, const char *column, const char *fmt,
                      ...) __attribute__((format(printf, 3, 4)));

static void
add_fault(struct faults *f, const char *column, const char *fmt, ...)
{
    char *at = f->reason + f->len;
    size_t room = sizeof f->reason - f->len;
    va_list ap;
    int n = 0;

    if (room <= 1)
        return;
    if (f->column)
        n = snprintf(at, room, "; %s: ", column);
    else
        f->column = column;
    if (n >= 0 && (size_t)n < room) {
        va_start(ap, fmt);
        n += vsnprintf(at + n, room - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* Cut short: the reason ends at a whole character. */
    f->len += n < 0 ? 0 : (size_t)n < room ? (size_t)n :
              iom_utf8_cut(at, strlen(at), room - 1);
    f->reason[f->len] = '\0';
}

static enum iom_status
reject(struct iom_validator *v, const struct iom_csv_row *row,
       const struct faults *f)
{
    /* The previous run's rejects are counted in one line, not listed. */
    if (!iom_rejects_known(v->rej, row, f->column, f->reason))
        iom_errorf("%s:%lu: %s: %s", v->input, row->line, f->column,
                   f->reason);
    return iom_rejects_add(v->rej, row, f->column, f->reason);
}

/* The trimmed text of column 'c' ("" when the file has no such column). */
static const char *
field(const struct iom_validator *v, const struct iom_csv_row *row,
      enum column c, size_t *len)
{
    if (v->col[c] == NO_COLUMN) {
        *len = 0;
        return "";
    }
    return iom_text_trim(row->fields[v->col[c]], row->lens[v->col[c]], len);
}


/* Description with CRLF and lone CR made LF (libharu draws CR as a box). */
static const char *
intern_text(struct iom_recset *rs, const char *s, size_t len)
{
    char *p = (char *)iom_recset_intern(rs, s, len);
    size_t i, j = 0;

    if (!p)
        return NULL;
    for (i = 0; i < len; i++) {
        if (p[i] == '\r') {
            p[j++] = '\n';
            if (i + 1 < len && p[i + 1] == '\n')
                i++;
        } else {
            p[j++] = p[i];
        }
    }
    p[j] = '\0';
    return p;
}

/* s[0..len) into 'out' with each run of blanks made one space: "Côte
 * d'Ivoire" and "Côte  d'Ivoire" are one member state.  Returns the
 * length written (never more than 'len'). */
static size_t
squeeze_blanks(const char *s, size_t len, char *out)
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        bool blank = s[i] == ' ' || s[i] == '\t';

        if (!blank)
            out[n++] = s[i];
        else if (n > 0 && out[n - 1] != ' ')
            out[n++] = ' ';
    }
    return n;
}

/* Name the member state 'key' in the warning about repeated ones. */
static enum iom_status
note_repeated(struct iom_validator *v, const char *key)
{
    size_t len = strlen(key);

    if (v->n_repeated++ >= REPEATS_NAMED)
        return IOM_OK;
    return iom_buf_addf(&v->repeated, "%s'%.*s'", v->repeated.len ? ", " :
                        "", quoted(key, len, QUOTE_VALUE), key);
}

/*
 * The member states of s[0..len), each once: an item that repeats an
 * earlier one, compared without regard to ASCII case and runs of blanks
 * ("Ghana", "ghana", "GHANA"), is left out, the first spelling kept, and
 * named in v->repeated.  'borrow': the record's list is v->states, valid
 * until the next record, else a copy in 'rs'.  A record already at fault
 * keeps nothing: only the limit on its states is checked.
 */
static enum iom_status
split_states(struct iom_validator *v, struct iom_recset *rs, const char *s,
             size_t len, bool borrow, struct iom_record *rec,
             struct faults *f)
{
    const bool keep = !f->column;
    size_t n = 0, at = 0, used = 0, ilen;
    const char *item;

    iom_buf_reset(&v->repeated);
    v->n_repeated = 0;
    iom_hashset_clear(&v->seen);
    /* Each key with its flag byte and NUL: never more than twice the
     * field, as items are at least one byte apart. */
    if (2 * len + 2 > v->keys_cap) {
        char *keys = realloc(v->keys, 2 * len + 2);

        if (!keys)
            return IOM_ENOMEM;
        v->keys = keys;
        v->keys_cap = 2 * len + 2;
    }
    while (iom_list_next(s, len, &at, &item, &ilen)) {
        char *key = v->keys + used + 1;
        size_t klen = squeeze_blanks(item, ilen, key), slot;
        const char *first;

        key[klen] = '\0';
        if (iom_hashset_reserve(&v->seen, 1) != IOM_OK)
            return IOM_ENOMEM;
        slot = iom_hashset_find(&v->seen, key, klen);
        first = iom_hashset_at(&v->seen, slot);
        if (first) {
            char *named = v->keys + (first - v->keys) - 1;

            if (keep && !*named && note_repeated(v, first) != IOM_OK)
                return IOM_ENOMEM;
            *named = 1;
            continue;
        }
        if (n == MAX_STATES) {
            add_fault(f, column_names[COL_STATES],
                      "lists more than %d member states", MAX_STATES);
            return IOM_OK;
        }
        key[-1] = 0;
        used += klen + 2;
        iom_hashset_put(&v->seen, slot, key);
        if (keep && !(v->states[n] = iom_recset_intern_shared(rs, item,
                                                              ilen)))
            return IOM_ENOMEM;
        n++;
    }
    if (!keep)
        return IOM_OK;
    rec->states = borrow ? v->states : iom_recset_intern_list(rs, v->states, n);
    rec->n_states = n;
    return rec->states ? IOM_OK : IOM_ENOMEM;
}

/* s[0..len) cut to what 'out' holds, NUL-terminated: a field to parse
 * (longer ones are refused by length before the parse). */
static void
copy_cut(char *out, size_t size, const char *s, size_t len)
{
    if (len > size - 1)
        len = size - 1;
    memcpy(out, s, len);
    out[len] = '\0';
}

/*
 * What looks wrong in a kept record, said once it is kept: why each date
 * (Start, End) could not be read, an End before its Start, a Year more
 * than a year from its Start Date's; the repeated member states are in
 * v->repeated.
 */
struct doubts {
    const char *date_why[2];
    bool end_before;
    bool year_far;
};

static void
check_budget(const struct iom_validator *v, const char *s, size_t len,
             struct iom_record *rec, struct faults *f)
{
    const char *why;

    if (iom_money_parse(s, len, v->form, &rec->budget_cents, &why) ==
        IOM_OK)
        return;
    if (len == 0)
        add_fault(f, column_names[COL_BUDGET], "%s", why);
    else if (iom_money_form_fault(why))
        add_fault(f, column_names[COL_BUDGET], "'%.*s' %s (%s)",
                  quoted(s, len, QUOTE_VALUE), s, why,
                  iom_money_form_rule(v->form));
    else
        add_fault(f, column_names[COL_BUDGET], "'%.*s' %s",
                  quoted(s, len, QUOTE_VALUE), s, why);
}

/* s[0..len) into *d: IOM_DATE_NONE when empty, IOM_DATE_GIVEN with *why
 * set when it is not a date the forms read. */
static void
read_date(const char *s, size_t len, struct iom_date *d, const char **why)
{
    char tmp[DATE_TEXT_MAX + 1];

    memset(d, 0, sizeof *d);
    *why = NULL;
    if (len == 0)
        return;
    copy_cut(tmp, sizeof tmp, s, len);
    if (len > DATE_TEXT_MAX)
        *why = "is not a date (YYYY, YYYY-MM or YYYY-MM-DD)";
    else
        iom_parse_date(tmp, d, why);
    if (*why)
        d->prec = IOM_DATE_GIVEN;
}

/* The Year, or the Start Date's year when it is empty. */
static void
check_year(const char *s, size_t len, const char *start, size_t start_len,
           struct iom_record *rec, struct faults *f, struct doubts *d)
{
    const char *const column = column_names[COL_YEAR];
    const char *why;
    char tmp[8];

    if (len == 0) {
        if (rec->start.prec == IOM_DATE_NONE)
            add_fault(f, column, "is empty and there is no Start Date to "
                      "take it from");
        else if (rec->start.prec == IOM_DATE_GIVEN)
            add_fault(f, column, "is empty and Start Date '%.*s' is not a "
                      "date to take it from",
                      quoted(start, start_len, QUOTE_DATE), start);
        else
            rec->year = rec->start.year;
        return;
    }
    copy_cut(tmp, sizeof tmp, s, len);
    if (len > 4 || iom_parse_year(tmp, &rec->year, &why) != IOM_OK) {
        if (len > 4)
            why = strspn(s, "0123456789") == len ? "is outside 1951-2100" :
                  "is not a whole year";
        add_fault(f, column, "'%.*s' %s", quoted(s, len, QUOTE_DATE), s,
                  why);
        return;
    }
    d->year_far = rec->start.prec != IOM_DATE_NONE &&
                  rec->start.prec != IOM_DATE_GIVEN &&
                  abs(rec->year - rec->start.year) > 1;
}

/* An ID accepted before is a fault; a new one's slot is left in
 * v->id_at for remember_id(). */
static enum iom_status
check_duplicate(struct iom_validator *v, const char *id, size_t len,
                struct faults *f)
{
    const char *first;

    /* Room first: growing the set moves the slot found. */
    if (iom_hashset_reserve(&v->ids, 1) != IOM_OK)
        return IOM_ENOMEM;
    v->id_at = iom_hashset_find(&v->ids, id, len);
    first = iom_hashset_at(&v->ids, v->id_at);
    if (first)
        add_fault(f, column_names[COL_ID], "duplicate '%.*s' (first on line "
                  "%lu)", quoted(id, len, QUOTE_ID), id,
                  (unsigned long)iom_recset_tag(first));
    return IOM_OK;
}

/*
 * Check one data record: IOM_EINVALID with 'f' filled when a rule that
 * decides acceptance is broken, else IOM_OK with 'd' saying what only
 * looks wrong.  'reload': a record accepted before, read again.
 */
static enum iom_status
check_record(struct iom_validator *v, struct iom_recset *rs,
             const struct iom_csv_row *row, bool reload,
             struct iom_record *rec, struct faults *f, struct doubts *d)
{
    const char *s[COL_COUNT];
    size_t len[COL_COUNT];
    enum iom_status st = IOM_OK;
    int c;

    memset(d, 0, sizeof *d);
    f->len = 0;
    f->reason[0] = '\0';
    f->column = iom_row_fault(row, v->n_fields, column_names, v->col,
                              COL_COUNT, f->reason, sizeof f->reason);
    if (f->column)
        return IOM_EINVALID;
    for (c = 0; c < COL_COUNT; c++)
        s[c] = field(v, row, (enum column)c, &len[c]);

    if (len[COL_ID] == 0)
        add_fault(f, column_names[COL_ID], "is empty");
    else if (!reload)
        st = check_duplicate(v, s[COL_ID], len[COL_ID], f);
    if (len[COL_TITLE] == 0)
        add_fault(f, column_names[COL_TITLE], "is empty");
    check_budget(v, s[COL_BUDGET], len[COL_BUDGET], rec, f);
    read_date(s[COL_START], len[COL_START], &rec->start, &d->date_why[0]);
    read_date(s[COL_END], len[COL_END], &rec->end, &d->date_why[1]);
    d->end_before = iom_date_before(&rec->end, &rec->start);
    check_year(s[COL_YEAR], len[COL_YEAR], s[COL_START], len[COL_START], rec,
               f, d);
    if (st == IOM_OK)
        st = split_states(v, rs, s[COL_STATES], len[COL_STATES],
                          v->sink && !reload, rec, f);
    if (st != IOM_OK)
        return st;
    return f->column ? IOM_EINVALID : IOM_OK;
}

/*
 * One doubt about a kept record: a warning line, unless the previous run
 * warned of the same (a nightly export says the same every night), and a
 * row of the list of warnings when one is kept.
 */
static enum iom_status
doubt(const struct iom_validator *v, const struct iom_csv_row *row,
      const char *column, const char *reason)
{
    if (!v->warned || !iom_rejects_known(v->warned, row, column, reason))
        iom_warnf("%s:%lu: %s: %s", v->input, row->line, column, reason);
    return v->warned ? iom_rejects_add(v->warned, row, column, reason) :
           IOM_OK;
}

/* Each field of a kept record that looks wrong, one doubt each. */
static enum iom_status
say_doubts(const struct iom_validator *v, const struct iom_csv_row *row,
           const struct iom_record *rec, const struct doubts *d)
{
    char why[640];
    size_t len, start_len;
    const char *s, *start = field(v, row, COL_START, &start_len);
    enum iom_status st = IOM_OK;
    int c;

    for (c = COL_START; c <= COL_END && st == IOM_OK; c++) {
        if (!d->date_why[c - COL_START])
            continue;
        s = field(v, row, (enum column)c, &len);
        snprintf(why, sizeof why, "'%.*s' %s; shown as given",
                 quoted(s, len, QUOTE_DATE), s, d->date_why[c - COL_START]);
        st = doubt(v, row, column_names[c], why);
    }
    if (st == IOM_OK && d->end_before) {
        s = field(v, row, COL_END, &len);
        snprintf(why, sizeof why, "'%.*s' is before Start Date '%.*s'; "
                 "shown as given", quoted(s, len, QUOTE_DATE), s,
                 quoted(start, start_len, QUOTE_DATE), start);
        st = doubt(v, row, column_names[COL_END], why);
    }
    if (st == IOM_OK && d->year_far) {
        snprintf(why, sizeof why, "'%d' is %d years %s Start Date '%.*s'",
                 rec->year, abs(rec->year - rec->start.year),
                 rec->year > rec->start.year ? "after" : "before",
                 quoted(start, start_len, QUOTE_DATE), start);
        st = doubt(v, row, column_names[COL_YEAR], why);
    }
    if (st != IOM_OK || !v->n_repeated)
        return st;
    if (v->n_repeated > REPEATS_NAMED)
        snprintf(why, sizeof why, "%s and %zu more are listed more than "
                 "once; each is shown and counted once", v->repeated.data,
                 v->n_repeated - REPEATS_NAMED);
    else
        snprintf(why, sizeof why, "%s %s listed more than once; %s shown "
                 "and counted once", v->repeated.data,
                 v->n_repeated == 1 ? "is" : "are",
                 v->n_repeated == 1 ? "it is" : "each is");
    return doubt(v, row, column_names[COL_STATES], why);
}

/* The text of the dates that could not be read, for rec->dates_given,
 * and their characters for the font subset. */
static enum iom_status
keep_given_dates(struct iom_validator *v, struct iom_recset *rs,
                 const struct iom_csv_row *row, struct iom_record *rec)
{
    size_t start_len, end_len;
    const char *start = field(v, row, COL_START, &start_len);
    const char *end = field(v, row, COL_END, &end_len);
    enum iom_status st;

    if (rec->start.prec != IOM_DATE_GIVEN)
        start_len = 0;
    if (rec->end.prec != IOM_DATE_GIVEN)
        end_len = 0;
    iom_buf_reset(&v->given);
    st = iom_buf_add(&v->given, start, start_len);
    if (st == IOM_OK)
        st = iom_buf_addc(&v->given, '\0');
    if (st == IOM_OK)
        st = iom_buf_add(&v->given, end, end_len);
    if (st != IOM_OK)
        return st;
    rec->dates_given = iom_recset_intern(rs, v->given.data, v->given.len);
    if (v->chars && rec->dates_given) {
        iom_charset_add_utf8(v->chars, rec->dates_given);
        iom_charset_add_utf8(v->chars, rec->dates_given + start_len + 1);
    }
    return rec->dates_given ? IOM_OK : IOM_ENOMEM;
}

/* Column 'c' into *out: interned when kept, else NULL. */
static enum iom_status
take(struct iom_validator *v, struct iom_recset *rs,
     const struct iom_csv_row *row, enum column c, bool keep,
     const char **out)
{
    size_t len;
    const char *s = field(v, row, c, &len);

    if (v->chars && v->col[c] != NO_COLUMN)
        iom_charset_add_utf8(v->chars, row->fields[v->col[c]]);
    *out = NULL;
    if (!keep)
        return IOM_OK;
    *out = c == COL_DESCRIPTION ? intern_text(rs, s, len) :
           c == COL_REGION || c == COL_TYPE ?
           iom_recset_intern_shared(rs, s, len) : iom_recset_intern(rs, s, len);
    return *out ? IOM_OK : IOM_ENOMEM;
}

/* Fill the text of a checked record, keeping what 'keep' says; the ID
 * too when 'id' (else the caller sets it). */
static enum iom_status
accept(struct iom_validator *v, struct iom_recset *rs,
       const struct iom_csv_row *row, unsigned keep, bool id,
       struct iom_record *rec)
{
    const bool text = keep & IOM_KEEP_TEXT;
    enum iom_status st;
    size_t i;

    st = take(v, rs, row, COL_ID, id, &rec->id);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_TITLE, text, &rec->title);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_STATUS, text, &rec->status);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_COVERAGE, text, &rec->coverage);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_PRIMA, text, &rec->prima_id);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_TYPE, true, &rec->type);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_REGION, true, &rec->region);
    if (st == IOM_OK)
        st = take(v, rs, row, COL_DESCRIPTION,
                  keep & IOM_KEEP_DESCRIPTION, &rec->description);
    if (st == IOM_OK && text && (rec->start.prec == IOM_DATE_GIVEN ||
                                 rec->end.prec == IOM_DATE_GIVEN))
        st = keep_given_dates(v, rs, row, rec);
    if (st != IOM_OK)
        return st;
    if (!*rec->type)
        rec->type = IOM_UNSPECIFIED;
    if (!*rec->region)
        rec->region = IOM_UNSPECIFIED;
    for (i = 0; v->chars && i < rec->n_states; i++)
        iom_charset_add_utf8(v->chars, rec->states[i]);
    rec->line = row->line;
    rec->offset = row->offset;
    rec->length = row->length;
    return IOM_OK;
}

enum iom_status
iom_validate_row(void *validator, const struct iom_csv_row *row)
{
    struct iom_validator *v = validator;
    struct iom_record rec;
    struct faults f;
    struct doubts d;
    enum iom_status st;

    if (!v->have_header)
        return read_header(v, row);
    v->records++;
    memset(&rec, 0, sizeof rec);
    st = check_record(v, v->rs, row, false, &rec, &f, &d);
    if (st == IOM_EINVALID)
        return reject(v, row, &f);
    if (st == IOM_OK)
        st = accept(v, v->rs, row, v->keep, false, &rec);
    if (st == IOM_OK) {
        size_t len;
        const char *id = field(v, row, COL_ID, &len);

        st = remember_id(v, id, len, row->line, &rec.id);
    }
    if (st != IOM_OK)
        return st;
    v->accepted++;
    st = say_doubts(v, row, &rec, &d);
    if (st != IOM_OK)
        return st;
    return v->sink ? v->sink(v->sink_ctx, &rec) : iom_recset_add(v->rs, &rec);
}

void
iom_validator_keep(struct iom_validator *v, unsigned what)
{
    v->keep = what;
}

enum iom_status
iom_validator_reload(struct iom_validator *v, const struct iom_csv_row *row,
                     struct iom_recset *rs, struct iom_record *out)
{
    struct iom_record rec;
    struct faults f;
    struct doubts d;
    struct iom_charset *chars = v->chars;
    enum iom_status st;

    memset(&rec, 0, sizeof rec);
    st = check_record(v, rs, row, true, &rec, &f, &d);
    if (st == IOM_OK) {
        v->chars = NULL;
        st = accept(v, rs, row, IOM_KEEP_ALL, true, &rec);
        v->chars = chars;
    }
    if (st == IOM_OK)
        *out = rec;
    return st;
}
