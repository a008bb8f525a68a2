/*
 * csv_in: streaming CSV on libcsv.
 *
 * libcsv reports neither positions nor skipped blank lines, so input is fed
 * to it one physical line at a time: the line a record starts on is the one
 * being fed when the parser, between records, first sees a character that
 * is not blank.  Feeding whole lines also makes it possible to resume after
 * a stray quote: the broken record is reported, the parser restarted, and
 * the next line read as a new record.
 *
 * A quote left open swallows the lines after it into one record, which
 * then breaks somewhere: a stray quote on a later line, a field count that
 * is not the header's, or the end of the file inside the quotes.  Such a
 * record is read again from the start of its first line: that line alone
 * is reported as the broken record.  A record that spans lines and breaks
 * no rule of the format (a long quoted description) is left whole, also
 * when it is over a size limit.
 *
 * Whether the lines after a broken record are records or its text cannot
 * be known, and a description line shaped like a record must never become
 * a project.  So the span of a broken record is found as a forgiving
 * reader sees it (libcsv without CSV_STRICT: a quote inside quotes that
 * closes nothing is text), and every line of it after the first is
 * rejected alone, naming the broken record's line; reading resumes after
 * the span.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <csv.h>

#include "iom/buf.h"
#include "iom/csv_in.h"
#include "iom/msg.h"
#include "iom/text.h"

#define READ_BLOCK (64 * 1024)
/* libcsv 3.0.3's parser state inside a field (FIELD_BEGUN in libcsv.c,
 * which its header does not export). */
#define LIBCSV_FIELD_BEGUN 2

struct reader {
    struct csv_parser parser;
    unsigned char delim;        /* the field separator */
    iom_csv_row_fn fn;
    void *ctx;
    enum iom_status st;         /* first non-OK status of 'fn' */

    unsigned long line;         /* physical line being fed */
    bool between_records;
    bool mid_line;              /* last piece fed did not end the line */
    bool after_cr;              /* last piece ended in CR: LF is no line */
    bool dropping;              /* current field's start was thrown away */
    bool over;                  /* record over IOM_CSV_RECORD_MAX raw bytes */
    size_t lead;                /* blanks libcsv dropped before the field */
    unsigned long rec_line;
    uint64_t fed;               /* bytes of the stream passed so far */
    uint64_t rec_offset;        /* where the current record starts */
    uint64_t piece_end;         /* end of the piece being parsed */
    size_t width;               /* fields of the header (0: none yet) */

    /*
     * A record spanning lines was found broken: 'again' asks the caller to
     * go back to rec_offset; 'lone' is set while its first line is read
     * again, alone; 'why' is the reason it is rejected with.
     */
    bool again;
    bool lone;
    char why[160];
    /*
     * A broken record's span: find_span asks the caller for its last line
     * (the record started at span_from, on line span_of); the lines up to
     * span_end are then read alone, each rejected as its text.
     */
    bool find_span;
    uint64_t span_from;
    unsigned long span_of;
    unsigned long span_end;

    struct iom_buf bytes;       /* the record's fields, NUL-separated */
    size_t offs[IOM_CSV_FIELDS_MAX];
    size_t lens[IOM_CSV_FIELDS_MAX];
    const char *ptrs[IOM_CSV_FIELDS_MAX];
    size_t n;
    const char *problem;
    size_t bad_field;
};

static void
mark(struct reader *r, const char *problem, size_t field)
{
    if (!r->problem) {
        r->problem = problem;
        r->bad_field = field;
    }
}

static bool
spans_lines(const struct reader *r)
{
    return r->line != r->rec_line && !r->lone;
}

/* Whether the line being read is in a broken record's span, after its
 * first line. */
static bool
in_span(const struct reader *r)
{
    return r->span_end && r->line > r->span_of && r->line <= r->span_end;
}

/* The record being read is broken: ask for the last line of its span. */
static void
ask_span(struct reader *r)
{
    r->find_span = true;
    r->span_from = r->rec_offset;
    r->span_of = r->rec_line;
}

/* A line of a broken record's span is its text, whatever else it is. */
static void
mark_span_text(struct reader *r)
{
    if (in_span(r)) {
        r->problem = NULL;
        mark(r, r->why, 0);
    }
}

/* Ask for the current record to be read again from its first line, to be
 * rejected with "unbalanced quote: the record that starts here WHAT". */
static void
go_back(struct reader *r, const char *what)
{
    snprintf(r->why, sizeof r->why, "unbalanced quote: the record that "
             "starts here %s", what);
    r->again = true;
    ask_span(r);
}

static void
on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->again)
        return;
    if (r->n == IOM_CSV_FIELDS_MAX) {
        mark(r, "record has too many fields", r->n);
        return;
    }
    if (r->dropping || len + r->lead > IOM_CSV_FIELD_MAX) {
        mark(r, "field is longer than 1 MiB", r->n);
        r->dropping = false;
        s = NULL;
        len = 0;
    }
    if (r->over || r->bytes.len + len > IOM_CSV_RECORD_MAX) {
        mark(r, "record is longer than 4 MiB", r->n);
        s = NULL;
        len = 0;
    }
    r->lead = 0;
    r->offs[r->n] = r->bytes.len;
    r->lens[r->n] = len;
    if (iom_buf_add(&r->bytes, s ? s : "", len) != IOM_OK ||
        iom_buf_addc(&r->bytes, '\0') != IOM_OK)
        r->st = IOM_ENOMEM;
    r->n++;
}

/* A row of empty fields (what spreadsheets end their exports with). */
static bool
empty_row(const struct reader *r)
{
    size_t i, len;

    if (r->problem)
        return false;
    for (i = 0; i < r->n; i++) {
        iom_text_trim(r->bytes.data + r->offs[i], r->lens[i], &len);
        if (len)
            return false;
    }
    return true;
}

static void
forget_record(struct reader *r)
{
    iom_buf_reset(&r->bytes);
    r->n = 0;
    r->problem = NULL;
    r->dropping = false;
    r->over = false;
    r->lead = 0;
    r->between_records = true;
}

/* The line end that closes a line read alone is no part of its field. */
static void
trim_line_end(struct reader *r)
{
    size_t last = r->n - 1;
    char *f = r->bytes.data + r->offs[last];

    while (r->lens[last] > 0 && (f[r->lens[last] - 1] == '\n' ||
                                 f[r->lens[last] - 1] == '\r'))
        f[--r->lens[last]] = '\0';
}

static void
deliver(struct reader *r)
{
    struct iom_csv_row row;
    size_t i;

    if (empty_row(r))
        goto out;
    /* The reason is r->why only for a first line read alone. */
    if (r->problem == r->why && r->n > 0)
        trim_line_end(r);
    for (i = 0; i < r->n; i++)
        r->ptrs[i] = r->bytes.data + r->offs[i];
    row.fields = r->ptrs;
    row.lens = r->lens;
    row.n = r->n;
    row.line = r->rec_line;
    row.offset = r->rec_offset;
    row.length = (size_t)(r->piece_end - r->rec_offset);
    row.problem = r->problem;
    row.bad_field = r->bad_field;
    if (r->st == IOM_OK)
        r->st = r->fn(r->ctx, &row);
    if (!r->width && !r->problem)
        r->width = r->n;
out:
    forget_record(r);
}

static void
on_row(int term, void *data)
{
    struct reader *r = data;

    (void)term;
    if (r->again)
        return;
    mark_span_text(r);
    if (r->width && r->n != r->width && spans_lines(r)) {
        char what[96];

        snprintf(what, sizeof what, "runs to line %lu and has %zu fields, "
                 "the header has %zu", r->line, r->n, r->width);
        go_back(r, what);
        return;
    }
    deliver(r);
}

static bool
blank(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* libcsv skips blanks around unquoted fields, tabs among them: with tab
 * as the separator, only spaces are blanks. */
static int
space_only(unsigned char c)
{
    return c == ' ';
}

static enum iom_status
start_parser(struct reader *r)
{
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI |
                 CSV_APPEND_NULL) != 0)
        return IOM_ENOMEM;
    /* libcsv grows a field by this much at a time, so the default of 128
     * bytes copies a 1 MiB field 8,192 times on its way in. */
    csv_set_blk_size(&r->parser, 64 * 1024);
    csv_set_delim(&r->parser, r->delim);
    if (r->delim == '\t')
        csv_set_space_func(&r->parser, space_only);
    return IOM_OK;
}

static enum iom_status
restart_parser(struct reader *r)
{
    csv_free(&r->parser);
    return start_parser(r);
}

/* Deliver the record being read as it stands, inside quotes or not. */
static void
deliver_partial(struct reader *r)
{
    /* Without CSV_STRICT_FINI, csv_fini() hands over an open field. */
    csv_set_opts(&r->parser, CSV_STRICT | CSV_APPEND_NULL);
    csv_fini(&r->parser, on_field, on_row, r);
    if (!r->between_records)
        deliver(r);
}

/*
 * The first line of a broken record, read again alone, ends here: it is
 * the record, with what it holds, and the next line starts afresh.
 */
static enum iom_status
finish_lone(struct reader *r)
{
    r->lone = false;
    /* A stray quote may have ended it already. */
    if (!r->between_records) {
        r->problem = NULL;
        mark(r, r->why, 0);
        deliver_partial(r);
    }
    if (restart_parser(r) != IOM_OK)
        return IOM_ENOMEM;
    return r->st;
}

/*
 * Append s[0..len) to the field libcsv is reading, as it would itself:
 * inside quotes every byte but a quote is only appended (and 'spaces',
 * already 0 there, stays 0).  false when out of memory.
 */
static bool
append_quoted(struct csv_parser *p, const char *s, size_t len)
{
    /* room for the NUL that CSV_APPEND_NULL adds */
    if (p->entry_size - p->entry_pos <= len || !p->entry_buf) {
        size_t size = p->entry_size ? p->entry_size : 128;
        unsigned char *buf;

        while (size - p->entry_pos <= len) {
            if (size > SIZE_MAX / 2)
                return false;
            size *= 2;
        }
        buf = p->realloc_func(p->entry_buf, size);
        if (!buf)
            return false;
        p->entry_buf = buf;
        p->entry_size = size;
    }
    memcpy(p->entry_buf + p->entry_pos, s, len);
    p->entry_pos += len;
    p->spaces = 0;
    return true;
}

/*
 * csv_parse() over s[0..len), returning the bytes it took.  libcsv costs
 * a few nanoseconds a byte; most bytes of an export are in quoted
 * descriptions, so the bytes between quotes inside a quoted field are
 * appended in bulk and libcsv sees the rest, each quote included.
 */
static size_t
parse(struct reader *r, const char *s, size_t len)
{
    struct csv_parser *p = &r->parser;
    size_t done = 0;

    while (done < len && r->st == IOM_OK && !r->again) {
        const char *q = memchr(s + done, '"', len - done);
        size_t n = q ? (size_t)(q - (s + done)) : len - done, got;

        if (n && p->pstate == LIBCSV_FIELD_BEGUN && p->quoted) {
            if (!append_quoted(p, s + done, n)) {
                p->status = CSV_ENOMEM;
                return done;
            }
            done += n;
            continue;
        }
        if (q)
            n++;                /* the quote, and what leads to it */
        got = csv_parse(p, s + done, n, on_field, on_row, r);
        done += got;
        if (got != n)
            break;
    }
    return done;
}

/* A blank that libcsv drops before a field: with tab as the separator,
 * only a space (see start_parser). */
static bool
is_blank(const struct reader *r, char c)
{
    return c == ' ' || (c == '\t' && r->delim != '\t');
}

/* Just after the next separator in s[from..len) that a blank follows, or
 * len.  memchr() finds the separators: this runs over every byte outside
 * quotes. */
static size_t
after_separator_and_blank(const struct reader *r, const char *s, size_t from,
                          size_t len)
{
    const char *d = memchr(s + from, r->delim, len - from);

    while (d && !(d + 1 < s + len && is_blank(r, d[1])))
        d = memchr(d + 1, r->delim, (size_t)(s + len - (d + 1)));
    return d ? (size_t)(d + 1 - s) : len;
}

/*
 * csv_parse() on s[0..len), counting in r->lead the blanks it drops before
 * a field (it keeps no trace of them): the piece is cut where a run of
 * blanks starts it or follows a separator, and the run is counted when
 * the parser is then between fields.  Returns what csv_parse() would.
 */
static size_t
parse_counting(struct reader *r, const char *s, size_t len)
{
    size_t at = 0;

    while (at < len) {
        size_t next = at, done;

        if (is_blank(r, s[at]) &&
            (at == 0 || (unsigned char)s[at - 1] == r->delim) &&
            !r->between_records && !r->parser.quoted &&
            r->parser.entry_pos == 0) {
            while (next < len && is_blank(r, s[next]))
                next++;
            r->lead += next - at;
        }
        next = after_separator_and_blank(r, s, next, len);
        done = parse(r, s + at, next - at);
        if (done != next - at || r->again)
            return at + done;
        at = next;
    }
    return at;
}

/*
 * Keep memory bounded: drop the bytes of the oversized field so far (its
 * record is rejected anyway).  After a closing quote libcsv takes the
 * quote back off the field when it ends, so a quoted field keeps one byte
 * (without it libcsv would write before its buffer).
 */
static void
drop_field_bytes(struct csv_parser *p)
{
    size_t keep = p->quoted && p->entry_pos > 0 ? 1 : 0;

    if (keep)
        p->entry_buf[0] = p->entry_buf[p->entry_pos - 1];
    p->entry_pos = keep;
    p->spaces = 0;
}

/* Feed one physical line (ending in CR or LF, or the file's last bytes). */
static enum iom_status
feed_line(struct reader *r, const char *s, size_t len)
{
    bool lf_of_crlf = r->after_cr && s[0] == '\n';
    size_t done;

    if (!r->mid_line && !lf_of_crlf) {
        if (r->lone && r->line == r->rec_line && finish_lone(r) != IOM_OK)
            return r->st != IOM_OK ? r->st : IOM_ENOMEM;
        r->line++;
        /* Each line of a broken record's span is read alone. */
        if (in_span(r)) {
            r->lone = true;
            snprintf(r->why, sizeof r->why, "inside the quoted text of the "
                     "broken record on line %lu, not read as a record",
                     r->span_of);
        } else if (r->span_end && r->line > r->span_end) {
            r->span_end = 0;
            r->lone = false;
        }
    }
    r->after_cr = s[len - 1] == '\r';
    r->mid_line = s[len - 1] != '\r' && s[len - 1] != '\n';
    if (r->between_records && !blank(s, len)) {
        r->between_records = false;
        r->rec_line = r->line;
        r->rec_offset = r->fed;
    }
    r->piece_end = r->fed + len;
    done = parse_counting(r, s, len);
    r->fed += len;
    if (r->st != IOM_OK || r->again)
        return r->st;
    if (done != len) {
        if (csv_error(&r->parser) != CSV_EPARSE)
            return IOM_ENOMEM;
        if (spans_lines(r)) {
            char what[64];

            snprintf(what, sizeof what, "runs to line %lu, where its "
                     "quoting breaks", r->line);
            go_back(r, what);
            return IOM_OK;
        }
        /* A stray quote: report what was read, restart on the next line,
         * after the record's span when it has one. */
        mark_span_text(r);
        mark(r, "malformed quoting (a quote inside an unquoted field, or "
             "text after a closing quote)", r->n);
        if (!r->lone)
            ask_span(r);
        deliver(r);
        if (restart_parser(r) != IOM_OK)
            return IOM_ENOMEM;
        return r->st;
    }
    /*
     * Limits count raw bytes: libcsv keeps no leading blanks, so a field
     * or record of blanks would otherwise pass at any size (and be read
     * again whole to render it).
     */
    if (!r->between_records && r->fed - r->rec_offset > IOM_CSV_RECORD_MAX) {
        mark(r, "record is longer than 4 MiB", r->n);
        r->over = true;
    }
    if (r->parser.entry_pos + r->lead > IOM_CSV_FIELD_MAX ||
        (r->over && r->parser.entry_pos > 1)) {
        if (!r->over)
            mark(r, "field is longer than 1 MiB", r->n);
        r->dropping = !r->over;
        drop_field_bytes(&r->parser);
    }
    return IOM_OK;
}

/* Split a block at CR and LF and feed each piece; a piece without a line
 * end is continued by the next block.  Stops early when the reader must
 * go back. */
static enum iom_status
feed_block(struct reader *r, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    enum iom_status st = IOM_OK;

    while (p < end && st == IOM_OK && !r->again && !r->find_span) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        const char *stop = lf ? lf : end;
        const char *cr = memchr(p, '\r', (size_t)(stop - p));
        const char *nl = cr ? cr : lf;

        if (!nl)
            break;
        st = feed_line(r, p, (size_t)(nl + 1 - p));
        p = nl + 1;
    }
    if (st == IOM_OK && p < end && !r->again && !r->find_span)
        st = feed_line(r, p, (size_t)(end - p));
    return st;
}

/* Set the reader up to read the broken record's first line again. */
static enum iom_status
back_to_record(struct reader *r)
{
    forget_record(r);
    r->again = false;
    r->lone = true;
    r->line = r->rec_line - 1;
    r->fed = r->rec_offset;
    r->mid_line = false;
    r->after_cr = false;
    return restart_parser(r);
}

/*
 * At end of input: close the last record.  True when the reader must go
 * back (the last record spans lines and its quote never closes).
 */
static bool
end_of_input(struct reader *r, enum iom_status *st, struct iom_csv_error *err)
{
    r->piece_end = r->fed;
    if (r->lone) {
        *st = finish_lone(r);
        return false;
    }
    if (csv_fini(&r->parser, on_field, on_row, r) == 0) {
        *st = r->st;
        return r->again;
    }
    if (spans_lines(r)) {
        go_back(r, "is still inside quotes at the end of the file");
        return true;
    }
    if (r->width) {
        /* One line, the last: rejected like any broken record. */
        mark(r, "unterminated quoted field at end of file", r->n);
        deliver_partial(r);
        *st = r->st;
        return false;
    }
    *st = IOM_ECSV;
    err->line = r->rec_line;
    snprintf(err->text, sizeof err->text,
             "unterminated quoted field at end of file "
             "(record starting on line %lu)", r->rec_line);
    return false;
}

static struct reader *
reader_new(char delim, iom_csv_row_fn fn, void *ctx)
{
    struct reader *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->delim = (unsigned char)(delim ? delim : ',');
    r->fn = fn;
    r->ctx = ctx;
    r->between_records = true;
    iom_buf_init(&r->bytes);
    if (start_parser(r) != IOM_OK) {
        free(r);
        return NULL;
    }
    return r;
}

static void
reader_free(struct reader *r)
{
    csv_free(&r->parser);
    iom_buf_release(&r->bytes);
    free(r);
}

/* Where the bytes come from: a stream (read again after a seek), or a
 * buffer. */
struct input {
    FILE *f;
    off_t base;                 /* the stream's position at the start */
    const char *s;
    size_t len;
    char *block;
};

/* The next bytes from offset 'at' of the input: 0 at its end. */
static size_t
input_read(struct input *in, uint64_t at, const char **out)
{
    size_t n;

    if (!in->f) {
        if (at >= in->len)
            return 0;
        *out = in->s + at;
        return in->len - (size_t)at;
    }
    n = fread(in->block, 1, READ_BLOCK, in->f);
    *out = in->block;
    return n;
}

static enum iom_status
input_seek(struct input *in, uint64_t at, struct iom_csv_error *err,
           unsigned long line)
{
    if (!in->f || fseeko(in->f, in->base + (off_t)at, SEEK_SET) == 0)
        return IOM_OK;
    snprintf(err->text, sizeof err->text,
             "cannot go back to line %lu to read on after an unbalanced "
             "quote (the input cannot be read twice)", line);
    err->line = line;
    return IOM_ENOINPUT;
}

static void
span_row(int term, void *data)
{
    (void)term;
    *(bool *)data = true;
}

/*
 * The last line of the broken record that starts at 'from', on line
 * 'line', as libcsv without CSV_STRICT reads it (a quote inside quotes
 * that closes nothing is text): 0 when it runs to the end of the input.
 * Only line ends are counted; the fields are dropped as they grow.
 */
static enum iom_status
span_end(struct input *in, const struct reader *r, uint64_t from,
         unsigned long line, unsigned long *out, struct iom_csv_error *err)
{
    struct csv_parser p;
    bool ended = false, after_cr = false;
    enum iom_status st = input_seek(in, from, err, line);
    uint64_t at = from;

    *out = 0;
    if (st != IOM_OK)
        return st;
    if (csv_init(&p, CSV_APPEND_NULL) != 0)
        return IOM_ENOMEM;
    csv_set_delim(&p, r->delim);
    if (r->delim == '\t')
        csv_set_space_func(&p, space_only);
    line--;
    while (!ended && st == IOM_OK) {
        const char *s = NULL, *end;
        size_t n = input_read(in, at, &s);

        if (n == 0) {
            if (in->f && ferror(in->f))
                st = IOM_ENOINPUT;
            break;
        }
        at += n;
        for (end = s + n; s < end && !ended; ) {
            const char *lf = memchr(s, '\n', (size_t)(end - s));
            const char *cr = memchr(s, '\r', (size_t)((lf ? lf : end) - s));
            const char *stop = cr ? cr + 1 : lf ? lf + 1 : end;

            if (!(after_cr && *s == '\n'))
                line += stop[-1] == '\n' || stop[-1] == '\r';
            after_cr = stop[-1] == '\r';
            if (csv_parse(&p, s, (size_t)(stop - s), NULL, span_row,
                          &ended) != (size_t)(stop - s)) {
                st = IOM_ENOMEM;
                break;
            }
            drop_field_bytes(&p);
            s = stop;
        }
    }
    csv_free(&p);
    if (st == IOM_ENOINPUT) {
        snprintf(err->text, sizeof err->text, "read error");
        err->line = line;
    }
    if (ended)
        *out = line;
    return st;
}

/*
 * After a broken record: the lines of its span are to be read alone, and
 * reading goes on from 'resume' (the line after the broken one, or the
 * broken record's start to read its first line again).
 */
static enum iom_status
take_span(struct input *in, struct reader *r, uint64_t resume,
          struct iom_csv_error *err)
{
    enum iom_status st = span_end(in, r, r->span_from, r->span_of,
                                  &r->span_end, err);

    r->find_span = false;
    if (st == IOM_OK && !r->span_end)
        r->span_end = ULONG_MAX;
    if (st == IOM_OK)
        st = input_seek(in, resume, err, r->span_of);
    return st;
}

static enum iom_status
read_input(struct input *in, char delim, iom_csv_row_fn fn, void *ctx,
           struct iom_csv_error *err)
{
    struct reader *r = reader_new(delim, fn, ctx);
    enum iom_status st = IOM_OK;
    bool first = true;

    if (!r)
        return IOM_ENOMEM;
    while (st == IOM_OK) {
        const char *p = NULL;
        size_t n = input_read(in, r->fed, &p);

        if (n == 0) {
            if (in->f && ferror(in->f)) {
                st = IOM_ENOINPUT;
                snprintf(err->text, sizeof err->text, "read error");
                err->line = r->line;
            } else if (!end_of_input(r, &st, err)) {
                break;
            }
        } else {
            if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
                p += 3;
                n -= 3;
                r->fed = 3;
            }
            first = false;
            st = feed_block(r, p, n);
        }
        if (st == IOM_OK && r->again) {
            st = back_to_record(r);
            if (st == IOM_OK)
                st = take_span(in, r, r->fed, err);
        } else if (st == IOM_OK && r->find_span) {
            st = take_span(in, r, r->fed, err);
        }
    }
    reader_free(r);
    return st;
}

enum iom_status
iom_csv_read_delim(FILE *f, char delim, iom_csv_row_fn fn, void *ctx,
                   struct iom_csv_error *err)
{
    struct input in = { f, ftello(f), NULL, 0, malloc(READ_BLOCK) };
    enum iom_status st;

    if (!in.block)
        return IOM_ENOMEM;
    if (in.base < 0)
        in.base = 0;
    st = read_input(&in, delim, fn, ctx, err);
    free(in.block);
    return st;
}

enum iom_status
iom_csv_read(FILE *f, iom_csv_row_fn fn, void *ctx, struct iom_csv_error *err)
{
    return iom_csv_read_delim(f, ',', fn, ctx, err);
}

enum iom_status
iom_csv_read_buffer_delim(const char *s, size_t len, char delim,
                          iom_csv_row_fn fn, void *ctx,
                          struct iom_csv_error *err)
{
    struct input in = { NULL, 0, s, len, NULL };

    return read_input(&in, delim, fn, ctx, err);
}

enum iom_status
iom_csv_read_buffer(const char *s, size_t len, iom_csv_row_fn fn, void *ctx,
                    struct iom_csv_error *err)
{
    return iom_csv_read_buffer_delim(s, len, ',', fn, ctx, err);
}

/* Does the first line, cut at 'delim' (quotes and blanks around a name
 * ignored), hold 'name'? */
static bool
line_has_name(const char *line, size_t len, char delim, const char *name)
{
    const char *p = line, *end = line + len;
    size_t want = strlen(name);

    while (p <= end) {
        const char *stop = memchr(p, delim, (size_t)(end - p));
        size_t n;
        const char *f;

        if (!stop)
            stop = end;
        f = iom_text_trim(p, (size_t)(stop - p), &n);
        if (n >= 2 && f[0] == '"' && f[n - 1] == '"')
            f = iom_text_trim(f + 1, n - 2, &n);
        if (n == want && strncasecmp(f, name, n) == 0)
            return true;
        p = stop + 1;
    }
    return false;
}

char
iom_csv_sniff_delimiter(const char *head, size_t len, const char *name)
{
    static const char candidates[] = { ',', ';', '\t' };
    size_t i, line;

    if (len >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) {
        head += 3;
        len -= 3;
    }
    for (line = 0; line < len && head[line] != '\r' && head[line] != '\n';
         line++)
        ;
    for (i = 0; i < sizeof candidates; i++)
        if (line_has_name(head, line, candidates[i], name))
            return candidates[i];
    return ',';
}

enum iom_status
iom_csv_map_header(const struct iom_csv_row *row, const char *file,
                   const char *const *names, size_t n, size_t *col)
{
    size_t i, c;

    for (c = 0; c < n; c++)
        col[c] = IOM_CSV_NO_COLUMN;
    if (row->problem) {
        iom_errorf("%s:%lu: header: %s", file, row->line, row->problem);
        return IOM_ECSV;
    }
    for (i = 0; i < row->n; i++) {
        size_t len;
        const char *name = iom_text_trim(row->fields[i], row->lens[i], &len);
        char *copy;

        if (!iom_utf8_valid(name, len, NULL)) {
            iom_errorf("%s:%lu: header: column %zu is not valid UTF-8", file,
                       row->line, i + 1);
            return IOM_ECSV;
        }
        copy = strndup(name, len);
        if (!copy)
            return IOM_ENOMEM;
        for (c = 0; c < n && !iom_text_ieq(copy, names[c]); c++)
            ;
        if (c == n) {
            iom_warnf("%s:%lu: unknown column '%s' ignored", file, row->line,
                      copy);
        } else if (col[c] != IOM_CSV_NO_COLUMN) {
            iom_errorf("%s:%lu: column '%s' appears twice in the header",
                       file, row->line, names[c]);
            free(copy);
            return IOM_ECSV;
        } else {
            col[c] = i;
        }
        free(copy);
    }
    return IOM_OK;
}
