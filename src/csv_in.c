/*
 * csv_in: streaming CSV on libcsv.
 *
 * libcsv reports neither positions nor skipped blank lines, so input is fed
 * to it one physical line at a time: the line a record starts on is the one
 * being fed when the parser, between records, first sees a character that
 * is not blank.  Feeding whole lines also makes it possible to resume after
 * a stray quote: the broken record is reported, the parser restarted, and
 * the next line read as a new record.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "iom/buf.h"
#include "iom/csv_in.h"
#include "iom/msg.h"
#include "iom/text.h"

#define READ_BLOCK (64 * 1024)

struct reader {
    struct csv_parser parser;
    iom_csv_row_fn fn;
    void *ctx;
    enum iom_status st;         /* first non-OK status of 'fn' */

    unsigned long line;         /* physical line being fed */
    bool between_records;
    bool mid_line;              /* last piece fed did not end the line */
    bool after_cr;              /* last piece ended in CR: LF is no line */
    bool dropping;              /* current field's start was thrown away */
    unsigned long rec_line;
    uint64_t fed;               /* bytes of the stream passed so far */
    uint64_t rec_offset;        /* where the current record starts */
    uint64_t piece_end;         /* end of the piece being parsed */

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

static void
on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;

    if (r->n == IOM_CSV_FIELDS_MAX) {
        mark(r, "record has too many fields", r->n);
        return;
    }
    if (r->dropping || len > IOM_CSV_FIELD_MAX) {
        mark(r, "field is longer than 1 MiB", r->n);
        r->dropping = false;
        s = NULL;
        len = 0;
    }
    if (r->bytes.len + len > IOM_CSV_RECORD_MAX) {
        mark(r, "record is longer than 4 MiB", r->n);
        s = NULL;
        len = 0;
    }
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
deliver(struct reader *r)
{
    struct iom_csv_row row;
    size_t i;

    if (empty_row(r))
        goto out;
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
out:
    iom_buf_reset(&r->bytes);
    r->n = 0;
    r->problem = NULL;
    r->between_records = true;
}

static void
on_row(int term, void *data)
{
    (void)term;
    deliver(data);
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

static enum iom_status
start_parser(struct reader *r)
{
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI |
                 CSV_APPEND_NULL) != 0)
        return IOM_ENOMEM;
    return IOM_OK;
}

/* Feed one physical line (ending in CR or LF, or the file's last bytes). */
static enum iom_status
feed_line(struct reader *r, const char *s, size_t len)
{
    bool lf_of_crlf = r->after_cr && s[0] == '\n';
    size_t done;

    if (!r->mid_line && !lf_of_crlf)
        r->line++;
    r->after_cr = s[len - 1] == '\r';
    r->mid_line = s[len - 1] != '\r' && s[len - 1] != '\n';
    if (r->between_records && !blank(s, len)) {
        r->between_records = false;
        r->rec_line = r->line;
        r->rec_offset = r->fed;
    }
    r->piece_end = r->fed + len;
    done = csv_parse(&r->parser, s, len, on_field, on_row, r);
    r->fed += len;
    if (r->st != IOM_OK)
        return r->st;
    if (done != len) {
        if (csv_error(&r->parser) != CSV_EPARSE)
            return IOM_ENOMEM;
        /* A stray quote: report what was read, restart on the next line. */
        mark(r, "malformed quoting (a quote inside an unquoted field, or "
             "text after a closing quote)", r->n);
        deliver(r);
        csv_free(&r->parser);
        if (start_parser(r) != IOM_OK)
            return IOM_ENOMEM;
        return r->st;
    }
    if (r->parser.entry_pos > IOM_CSV_FIELD_MAX) {
        /* Keep memory bounded: drop the oversized field's bytes so far
         * (the record is rejected anyway). */
        mark(r, "field is longer than 1 MiB", r->n);
        r->dropping = true;
        r->parser.entry_pos = 0;
        r->parser.spaces = 0;
    }
    return IOM_OK;
}

/* Split a block at CR and LF and feed each piece; a piece without a line
 * end is continued by the next block. */
static enum iom_status
feed_block(struct reader *r, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    enum iom_status st = IOM_OK;

    while (p < end && st == IOM_OK) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        const char *stop = lf ? lf : end;
        const char *cr = memchr(p, '\r', (size_t)(stop - p));
        const char *nl = cr ? cr : lf;

        if (!nl)
            break;
        st = feed_line(r, p, (size_t)(nl + 1 - p));
        p = nl + 1;
    }
    if (st == IOM_OK && p < end)
        st = feed_line(r, p, (size_t)(end - p));
    return st;
}

static struct reader *
reader_new(iom_csv_row_fn fn, void *ctx)
{
    struct reader *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
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

/* Close the last record, say what went wrong, and free the reader. */
static enum iom_status
reader_finish(struct reader *r, enum iom_status st, struct iom_csv_error *err)
{
    if (st == IOM_OK) {
        r->piece_end = r->fed;
        if (csv_fini(&r->parser, on_field, on_row, r) != 0) {
            st = IOM_ECSV;
            err->line = r->rec_line;
            snprintf(err->text, sizeof err->text,
                     "unterminated quoted field at end of file "
                     "(record starting on line %lu)", r->rec_line);
        } else {
            st = r->st;
        }
    }
    csv_free(&r->parser);
    iom_buf_release(&r->bytes);
    free(r);
    return st;
}

enum iom_status
iom_csv_read(FILE *f, iom_csv_row_fn fn, void *ctx, struct iom_csv_error *err)
{
    struct reader *r = reader_new(fn, ctx);
    char *block = malloc(READ_BLOCK);
    enum iom_status st = IOM_OK;
    size_t n;
    bool first = true;

    if (!r || !block) {
        free(block);
        return r ? reader_finish(r, IOM_ENOMEM, err) : IOM_ENOMEM;
    }
    while (st == IOM_OK && (n = fread(block, 1, READ_BLOCK, f)) > 0) {
        const char *p = block;

        if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            n -= 3;
            r->fed = 3;
        }
        first = false;
        st = feed_block(r, p, n);
    }
    if (st == IOM_OK && ferror(f)) {
        st = IOM_ENOINPUT;
        snprintf(err->text, sizeof err->text, "read error");
        err->line = r->line;
    }
    free(block);
    return reader_finish(r, st, err);
}

enum iom_status
iom_csv_read_buffer(const char *s, size_t len, iom_csv_row_fn fn, void *ctx,
                    struct iom_csv_error *err)
{
    struct reader *r = reader_new(fn, ctx);

    if (!r)
        return IOM_ENOMEM;
    return reader_finish(r, feed_block(r, s, len), err);
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
