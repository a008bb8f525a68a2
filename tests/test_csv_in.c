/*
 * test_csv_in: records as read, before validation: exact field bytes,
 * physical line numbers, BOM, line ends, blank lines, stray and
 * unterminated quotes, and the size limits with bounded memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/csv_in.h"
#include "iom/sha256.h"

#include "fixture.h"

#define MAX_ROWS 24
#define MAX_KEPT 16

/* What the callback saw: every record's line, problem and first fields. */
struct row_copy {
    unsigned long line;
    size_t n;
    char *problem;
    size_t bad_field;
    char *fields[MAX_KEPT];
    size_t lens[MAX_KEPT];
};

struct rows {
    struct row_copy v[MAX_ROWS];
    size_t n;        /* records seen (only the first MAX_ROWS are kept) */
    enum iom_status stop_with;
    size_t stop_after;
    struct iom_csv_error err;   /* how the read failed */
};

static enum iom_status
collect(void *ctx, const struct iom_csv_row *row)
{
    struct rows *rows = ctx;
    size_t i;

    if (rows->n < MAX_ROWS) {
        struct row_copy *c = &rows->v[rows->n];

        c->line = row->line;
        c->n = row->n;
        /* a copy: the reason may live in the reader, freed after the read */
        c->problem = row->problem ? strdup(row->problem) : NULL;
        assert_true(!row->problem || c->problem);
        c->bad_field = row->bad_field;
        for (i = 0; i < row->n && i < MAX_KEPT; i++) {
            /* Field bytes plus the NUL the contract promises. */
            c->fields[i] = malloc(row->lens[i] + 1);
            assert_non_null(c->fields[i]);
            memcpy(c->fields[i], row->fields[i], row->lens[i] + 1);
            c->lens[i] = row->lens[i];
        }
    }
    rows->n++;
    if (rows->stop_with != IOM_OK && rows->n == rows->stop_after)
        return rows->stop_with;
    return IOM_OK;
}

static void
rows_release(struct rows *rows)
{
    size_t r, i;

    for (r = 0; r < rows->n && r < MAX_ROWS; r++) {
        for (i = 0; i < rows->v[r].n && i < MAX_KEPT; i++)
            free(rows->v[r].fields[i]);
        free(rows->v[r].problem);
    }
    memset(rows, 0, sizeof *rows);
}

/* Read 'f' into 'rows', dropping what 'rows' held from an earlier read. */
static enum iom_status
read_stream(FILE *f, struct rows *rows)
{
    rows_release(rows);
    return iom_csv_read(f, collect, rows, &rows->err);
}

static enum iom_status
read_path(const char *path, struct rows *rows)
{
    FILE *f = fopen(path, "rb");
    enum iom_status st;

    assert_non_null(f);
    st = read_stream(f, rows);
    fclose(f);
    return st;
}

static enum iom_status
read_bytes(const char *s, size_t len, struct rows *rows)
{
    FILE *f = fixture_tmpfile(s, len);
    enum iom_status st = read_stream(f, rows);

    fclose(f);
    return st;
}

#define READ_LIT(lit, rows) read_bytes(lit, sizeof lit - 1, rows)

/* Each test starts with no rows and ends with its rows released. */
static int
setup(void **state)
{
    *state = calloc(1, sizeof(struct rows));
    return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    rows_release(*state);
    free(*state);
    return 0;
}

static void
assert_field(const struct row_copy *r, size_t i, const char *exp)
{
    assert_true(i < r->n);
    assert_int_equal(r->lens[i], strlen(exp));
    assert_memory_equal(r->fields[i], exp, strlen(exp) + 1);
}

/* Record r starts on 'line' and is broken, for a reason holding 'why'. */
static void
assert_broken(const struct row_copy *r, unsigned long line, const char *why)
{
    assert_int_equal(r->line, line);
    assert_non_null(r->problem);
    if (!strstr(r->problem, why))
        print_message("problem '%s'\n", r->problem);
    assert_non_null(strstr(r->problem, why));
}

static void
test_csv_in_quoting_edge_gives_exact_fields(void **state)
{
    static const unsigned long exp_lines[] = { 1, 3, 6, 10, 11, 13 };
    struct rows *rows = *state;
    size_t i;

    assert_int_equal(read_path("tests/data/quoting_edge.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 6);
    for (i = 0; i < 6; i++) {
        assert_int_equal(rows->v[i].line, exp_lines[i]);
        assert_null(rows->v[i].problem);
        assert_int_equal(rows->v[i].n, 7);
    }
    assert_field(&rows->v[0], 0, "Projects ID");
    assert_field(&rows->v[0], 6, "Description");
    assert_field(&rows->v[1], 1, "Migration, Development and Return");
    assert_field(&rows->v[1], 3, "1,250.00");
    assert_field(&rows->v[1], 6, "He said \"yes\", then left.");
    assert_field(&rows->v[2], 1, "The \"Safe Return\" Initiative");
    assert_field(&rows->v[2], 2, " ");          /* quoted: kept as is */
    assert_field(&rows->v[2], 4, "");
    assert_field(&rows->v[2], 6, "Line one of the description.\n"
                 "Line two, with a comma.\n\nLine four after a blank line.");
    assert_field(&rows->v[4], 0, "QE-004");
    assert_field(&rows->v[4], 5, "2004");
    assert_field(&rows->v[4], 6, "");
    assert_field(&rows->v[5], 4, "");
    assert_field(&rows->v[5], 6, "Last record");
}

/*
 * Quoted text is copied in bulk between quotes: a field of 200,000 bytes
 * over several read blocks and lines, with doubled quotes, commas, CR and
 * CRLF inside, quotes at the block edges, and spaces after the closing
 * quote, comes out exactly, and the records after it start on the right
 * lines.
 */
static void
test_csv_in_long_quoted_field_across_blocks_is_exact(void **state)
{
    struct rows *rows = *state;
    struct iom_buf in = IOM_BUF_INIT, exp = IOM_BUF_INIT;
    size_t i, lines = 1;

    assert_int_equal(iom_buf_adds(&in, "id,text\nL1,\""), IOM_OK);
    for (i = 0; in.len < 200000; i++) {
        const char *piece = i % 7 == 0 ? "\"\"" : i % 7 == 1 ? ",a b" :
                            i % 7 == 2 ? "\r\n" : i % 7 == 3 ? "\r" :
                            i % 7 == 4 ? "\n" : "0123456789abcdef";
        const char *want = i % 7 == 0 ? "\"" : piece;

        /* "\r" then "\n" is one CRLF line end */
        lines += i % 7 == 2 || i % 7 == 4;
        assert_int_equal(iom_buf_adds(&in, piece), IOM_OK);
        assert_int_equal(iom_buf_adds(&exp, want), IOM_OK);
    }
    assert_int_equal(iom_buf_adds(&in, "\"  \nL2,\"\"\"\"\n"), IOM_OK);
    assert_int_equal(read_bytes(in.data, in.len, rows), IOM_OK);
    assert_int_equal(rows->n, 3);
    assert_null(rows->v[1].problem);
    assert_int_equal(rows->v[1].line, 2);
    assert_int_equal(rows->v[1].lens[1], exp.len);
    assert_memory_equal(rows->v[1].fields[1], exp.data, exp.len + 1);
    assert_int_equal(rows->v[2].line, 2 + lines);
    assert_field(&rows->v[2], 1, "\"");
    iom_buf_release(&in);
    iom_buf_release(&exp);
}

/* Unquoted fields with spaces around them: what arrives trims to the
 * value (the validator trims; libcsv may already have). */
static void
test_csv_in_unquoted_spaces_trim_to_value(void **state)
{
    static const char *const exp[] = {
        "QE-003", "Title With Surrounding Spaces", "Active", "3000.00",
        "National", "2003", "Unquoted description"
    };
    struct rows *rows = *state;
    size_t i;

    assert_int_equal(read_path("tests/data/quoting_edge.csv", rows),
                     IOM_OK);
    for (i = 0; i < 7; i++) {
        const char *s = rows->v[3].fields[i];
        size_t len = rows->v[3].lens[i];

        while (len && *s == ' ') {
            s++;
            len--;
        }
        while (len && s[len - 1] == ' ')
            len--;
        assert_int_equal(len, strlen(exp[i]));
        assert_memory_equal(s, exp[i], len);
    }
}

static void
test_csv_in_bom_crlf_skips_bom_keeps_lines(void **state)
{
    struct rows *rows = *state;
    size_t i;

    assert_int_equal(read_path("tests/data/good_bom_crlf.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 4);
    assert_field(&rows->v[0], 0, "Projects ID");   /* no BOM, no quotes */
    assert_field(&rows->v[0], 12, "Prima ID");     /* no trailing CR */
    assert_int_equal(rows->v[1].line, 2);
    assert_int_equal(rows->v[2].line, 6);
    assert_int_equal(rows->v[3].line, 7);
    for (i = 0; i < 4; i++) {
        assert_int_equal(rows->v[i].n, 13);
        assert_null(rows->v[i].problem);
    }
    assert_field(&rows->v[1], 0, "BC-001");
    assert_field(&rows->v[1], 11, "First paragraph of the description.\r\n"
                 "Second paragraph \xE2\x80\x93 with an en dash.\r\n"
                 "1. first item\r\n2. second item");
    assert_field(&rows->v[1], 12, "");
    assert_field(&rows->v[3], 12, "BW10P0099");
}

static void
test_csv_in_line_end_table_numbers_physical_lines(void **state)
{
    static const struct {
        const char *in;
        size_t n_rows;
        unsigned long lines[4];
    } cases[] = {
        { "a,b\n1,2\n3,4\n",                   3, { 1, 2, 3 } },
        { "a,b\r\n1,2\r\n3,4\r\n",             3, { 1, 2, 3 } },
        { "a,b\r1,2\r3,4\r",                   3, { 1, 2, 3 } },
        { "a,b\n1,2\n3,4",                     3, { 1, 2, 3 } },
        { "a,b\n\n\n1,2\n\r\n\n3,4\n",         3, { 1, 4, 7 } },
        { "\n\na,b\n1,2\n",                    2, { 3, 4 } },
        { "a,b\r\n\r\n1,2\r\n\r\n\r\n",        2, { 1, 3 } },
        { "a,b\n1,\"x\ny\nz\"\n3,4\n",         3, { 1, 2, 5 } },
        { "a,b\r\n1,\"x\r\n\r\ny\"\r\n3,4\r\n", 3, { 1, 2, 5 } },
        { "a,b\n1,\"\n\"\n\n3,4\n",            3, { 1, 2, 5 } },
        { "\xEF\xBB\xBF" "a,b\n1,2\n",         2, { 1, 2 } },
        { "\xEF\xBB\xBF\"a\",b\r\n1,2\r\n",    2, { 1, 2 } },
        { "",                                  0, { 0 } },
        { "\n\n\r\n",                          0, { 0 } },
        { "\xEF\xBB\xBF",                      0, { 0 } },
    };
    struct rows *rows = *state;
    size_t i, r;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum iom_status st = read_bytes(cases[i].in, strlen(cases[i].in),
                                        rows);

        if (st != IOM_OK || rows->n != cases[i].n_rows)
            print_message("line case %zu\n", i);
        assert_int_equal(st, IOM_OK);
        assert_int_equal(rows->n, cases[i].n_rows);
        for (r = 0; r < rows->n; r++) {
            if (rows->v[r].line != cases[i].lines[r])
                print_message("line case %zu row %zu\n", i, r);
            assert_int_equal(rows->v[r].line, cases[i].lines[r]);
            assert_null(rows->v[r].problem);
        }
        if (rows->n)
            assert_field(&rows->v[0], 0, "a");
    }
}

static void
test_csv_in_multiline_records_start_lines(void **state)
{
    static const unsigned long exp[] = {
        1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
        21, 22, 23
    };
    struct rows *rows = *state;
    size_t i;

    assert_int_equal(read_path("tests/data/bad_records.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 21);
    for (i = 0; i < rows->n; i++)
        assert_int_equal(rows->v[i].line, exp[i]);
    assert_field(&rows->v[1], 7, "A valid record whose description\n"
                 "spans two lines.");
}

static void
test_csv_in_embedded_nul_is_kept_in_len(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b\nx\0y,\"q\0\"\n", rows), IOM_OK);
    assert_int_equal(rows->n, 2);
    assert_int_equal(rows->v[1].lens[0], 3);
    assert_memory_equal(rows->v[1].fields[0], "x\0y", 4);
    assert_int_equal(rows->v[1].lens[1], 2);
}

static void
test_csv_in_trailing_comma_adds_empty_field(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b\n1,2,\n", rows), IOM_OK);
    assert_int_equal(rows->v[1].n, 3);
    assert_field(&rows->v[1], 2, "");
}

static void
test_csv_in_rows_of_empty_fields_are_skipped(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT(",,\na,b,c\n,,\n \t, ,\"\"\n1,2,3\n,,\n",
                              rows), IOM_OK);
    assert_int_equal(rows->n, 2);
    assert_field(&rows->v[0], 0, "a");
    assert_int_equal(rows->v[0].line, 2);
    assert_int_equal(rows->v[1].line, 5);
    assert_field(&rows->v[1], 0, "1");
}

static void
test_csv_in_stray_quote_rejects_record_and_resumes(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(read_path("tests/data/stray_quote.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 5);
    assert_null(rows->v[1].problem);
    assert_int_equal(rows->v[2].line, 3);
    assert_non_null(rows->v[2].problem);
    assert_field(&rows->v[2], 0, "1");
    assert_int_equal(rows->v[3].line, 4);
    assert_null(rows->v[3].problem);
    assert_field(&rows->v[3], 0, "SQ-003");
    assert_int_equal(rows->v[3].n, 4);
    assert_int_equal(rows->v[4].line, 5);
    assert_field(&rows->v[4], 0, "SQ-004");
}

/*
 * Text after a closing quote: as a forgiving reader sees it, the quote
 * was never closed and runs on to the end of the input, so the line after
 * it is the broken record's text, never a record.
 */
static void
test_csv_in_text_after_closing_quote_rejects_record(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b\n\"x\"y,1\n2,3\n", rows), IOM_OK);
    assert_int_equal(rows->n, 3);
    assert_non_null(rows->v[1].problem);
    assert_int_equal(rows->v[1].line, 2);
    assert_broken(&rows->v[2], 3, "inside the quoted text of the broken "
                  "record on line 2");
    assert_field(&rows->v[2], 0, "2");
}

/* Quotes inside a quoted title that a forgiving reader closes on the same
 * line: that record alone is rejected, the next one is read. */
static void
test_csv_in_inner_quotes_closed_on_their_line_cost_one_record(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b\n\"Title \"Quoted\" word\",1\n2,3\n",
                              rows), IOM_OK);
    assert_int_equal(rows->n, 3);
    assert_broken(&rows->v[1], 2, "malformed quoting");
    assert_null(rows->v[2].problem);
    assert_int_equal(rows->v[2].line, 3);
    assert_field(&rows->v[2], 0, "2");
}

/*
 * A broken quoted title: the description after it, quoted over three
 * lines, holds a line shaped like a record (a phantom project of USD
 * 5,000,000).  Every line of the broken record's span is rejected as its
 * text; the record after the span is read.
 */
static void
test_csv_in_broken_quote_never_invents_a_record(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(read_path("tests/data/broken_quote_span.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 6);
    assert_null(rows->v[1].problem);
    assert_broken(&rows->v[2], 3, "malformed quoting");
    assert_broken(&rows->v[3], 4, "inside the quoted text of the broken "
                  "record on line 3, not read as a record");
    assert_field(&rows->v[3], 0, "FAKE-2");
    assert_broken(&rows->v[4], 5, "inside the quoted text of the broken "
                  "record on line 3");
    assert_null(rows->v[5].problem);
    assert_int_equal(rows->v[5].line, 6);
    assert_field(&rows->v[5], 0, "OK-3");
}

/*
 * A quote left open until the end of the file: its record is its first
 * line alone, and each line after it, inside its quote, is rejected as
 * its text.
 */
static void
test_csv_in_unterminated_quote_rejects_first_line_alone(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(read_path("tests/data/bad_unterminated_quote.csv",
                               rows), IOM_OK);
    assert_int_equal(rows->n, 5);
    assert_null(rows->v[2].problem);
    assert_broken(&rows->v[3], 4, "unbalanced quote");
    assert_field(&rows->v[3], 0, "UQ-003");
    assert_int_equal(rows->v[3].n, 5);
    assert_broken(&rows->v[4], 5, "inside the quoted text of the broken "
                  "record on line 4");
    assert_int_equal(rows->v[4].n, 1);
    assert_field(&rows->v[4], 0, "and the file ends inside it.");
}

/* Only a header that cannot be closed leaves nothing to read. */
static void
test_csv_in_unterminated_quote_in_header_fails(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("\"a,b", rows), IOM_ECSV);
    assert_int_equal(rows->err.line, 1);
    assert_non_null(strstr(rows->err.text, "line 1"));
    assert_int_equal(rows->n, 0);
}

/* The last line, alone, with a quote left open: rejected, not fatal. */
static void
test_csv_in_unterminated_quote_on_last_line_rejected(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b\n1,2\n3,\"x", rows), IOM_OK);
    assert_int_equal(rows->n, 3);
    assert_broken(&rows->v[2], 3, "unterminated quoted field");
    assert_field(&rows->v[2], 0, "3");
}

/*
 * An unbalanced quote swallows the next hundred lines until a quoted
 * field closes it: the record is its first line alone, rejected; the
 * hundred lines of its span are rejected as its text, however much they
 * look like records; the record after the span is read.
 */
static void
test_csv_in_unbalanced_quote_rejects_only_its_line(void **state)
{
    struct rows *rows = *state;
    size_t i;

    assert_int_equal(read_path("tests/data/unbalanced_quote.csv", rows),
                     IOM_OK);
    assert_int_equal(rows->n, 103);
    assert_broken(&rows->v[1], 2, "unbalanced quote: the record that "
                  "starts here runs to line 102, where its quoting breaks");
    assert_field(&rows->v[1], 0, "P1");
    /* Its first line, without the line end that the quote took in. */
    assert_int_equal(rows->v[1].n, 12);
    assert_field(&rows->v[1], 11, "He said \"hello\" and left,");
    /* (the rows kept; P102 alone accepted: test_validate's totals) */
    for (i = 2; i < MAX_ROWS; i++) {
        char id[8];

        snprintf(id, sizeof id, "P%zu", i);
        assert_broken(&rows->v[i], i + 1, "inside the quoted text of the "
                      "broken record on line 2");
        assert_field(&rows->v[i], 0, id);
    }
}

/* The same when it is the field count that shows the quote went wrong
 * (its second line is its text); legitimate multi-line fields are kept
 * whole. */
static void
test_csv_in_unbalanced_quote_found_by_field_count(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(READ_LIT("a,b,c\n1,\"x\n2,y,z\"\n3,\"p\nq\",r\n"
                              "4,5,6\n", rows), IOM_OK);
    assert_int_equal(rows->n, 5);
    assert_broken(&rows->v[1], 2, "runs to line 3 and has 2 fields, the "
                  "header has 3");
    assert_broken(&rows->v[2], 3, "inside the quoted text of the broken "
                  "record on line 2");
    assert_int_equal(rows->v[3].line, 4);
    assert_null(rows->v[3].problem);
    assert_field(&rows->v[3], 1, "p\nq");
    assert_int_equal(rows->v[4].line, 6);
    assert_field(&rows->v[4], 0, "4");
}

static void
test_csv_in_empty_file_gives_no_records(void **state)
{
    struct rows *rows = *state;

    assert_int_equal(read_path("tests/data/empty.csv", rows), IOM_OK);
    assert_int_equal(rows->n, 0);
}

static void
test_csv_in_callback_status_stops_read(void **state)
{
    struct rows *rows = *state;
    FILE *f = fopen("tests/data/good_minimal.csv", "rb");

    assert_non_null(f);
    rows->stop_with = IOM_EINVALID;
    rows->stop_after = 2;
    assert_int_equal(iom_csv_read(f, collect, rows, &rows->err),
                     IOM_EINVALID);
    assert_int_equal(rows->n, 2);
    fclose(f);
}

/* "a,b\n1," then 'size' bytes of field (quoted with line breaks when
 * 'quoted'), then "\n2,ok\n". */
static FILE *
big_field_file(size_t size, int quoted)
{
    FILE *f = tmpfile();
    char chunk[4096];
    size_t done = 0;

    assert_non_null(f);
    memset(chunk, 'x', sizeof chunk);
    if (quoted)
        chunk[100] = '\n';
    fputs(quoted ? "a,b\n1,\"" : "a,b\n1,", f);
    while (done < size) {
        size_t n = size - done < sizeof chunk ? size - done : sizeof chunk;

        assert_int_equal(fwrite(chunk, 1, n, f), n);
        done += n;
    }
    fputs(quoted ? "\"\n2,ok\n" : "\n2,ok\n", f);
    rewind(f);
    return f;
}

static void
test_csv_in_field_of_exactly_1mib_passes(void **state)
{
    struct rows *rows = *state;
    FILE *f = big_field_file(IOM_CSV_FIELD_MAX, 0);

    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_null(rows->v[1].problem);
    assert_int_equal(rows->v[1].lens[1], IOM_CSV_FIELD_MAX);
}

static void
check_oversized_field(struct rows *rows, size_t size, int quoted)
{
    FILE *f = big_field_file(size, quoted);

    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_int_equal(rows->v[1].line, 2);
    assert_non_null(rows->v[1].problem);
    assert_non_null(strstr(rows->v[1].problem, "1 MiB"));
    assert_int_equal(rows->v[1].bad_field, 1);
    assert_true(rows->v[1].lens[1] <= IOM_CSV_FIELD_MAX);
    /* Reading goes on with the next record, on its own line. */
    assert_null(rows->v[2].problem);
    assert_int_equal(rows->v[2].line, quoted ? 2 + size / 4096 + 1 : 3);
    assert_field(&rows->v[2], 1, "ok");
}

static void
test_csv_in_field_over_1mib_rejected(void **state)
{
    check_oversized_field(*state, IOM_CSV_FIELD_MAX + 1, 0);
    check_oversized_field(*state, 3 * IOM_CSV_FIELD_MAX, 1);
}

/*
 * An oversized quoted field whose closing quote ends a 64 KiB read: its
 * bytes are dropped right after the quote, which libcsv then takes back
 * off the field (from before its buffer, had nothing been kept).
 */
static void
test_csv_in_oversized_field_closing_at_block_end(void **state)
{
    struct rows *rows = *state;
    /* "a,b\n1,\"" is 7 bytes: the quote is byte 17 * 65536 - 1. */
    const size_t size = 17 * 65536 - 8;
    FILE *f = tmpfile();
    size_t i;

    assert_non_null(f);
    fputs("a,b\n1,\"", f);
    for (i = 0; i < size; i++)
        fputc('q', f);
    fputs("\",\n2,ok\n", f);
    rewind(f);
    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_broken(&rows->v[1], 2, "1 MiB");
    assert_true(rows->v[1].lens[1] <= IOM_CSV_FIELD_MAX);
    assert_int_equal(rows->v[1].n, 3);
    assert_field(&rows->v[2], 1, "ok");
}

/* Bytes of private data mapped now, from /proc/self/status. */
static long
vm_data_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;

    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmData: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/*
 * A 64 MiB field read in a child whose data segment may grow by 24 MiB at
 * most: holding the field would fail with IOM_ENOMEM or be killed.
 */
static void
test_csv_in_huge_field_uses_bounded_memory(void **state)
{
    const size_t size = 64u * 1024 * 1024;
    pid_t pid;
    int status;

#if defined(__SANITIZE_ADDRESS__)
    skip();     /* the sanitizer's own mappings count against the limit */
#endif
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = big_field_file(size, 1);
        struct rows *rows = *state;
        struct rlimit rl;
        long kib = vm_data_kib();
        enum iom_status st;

        if (kib < 0)
            _exit(3);
        rl.rlim_cur = rl.rlim_max = (rlim_t)(kib + 24 * 1024) * 1024;
        if (setrlimit(RLIMIT_DATA, &rl) != 0)
            _exit(3);
        st = read_stream(f, rows);
        if (st != IOM_OK || rows->n != 3 || !rows->v[1].problem)
            _exit(1);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* "a,b\n1," then 'blanks' blanks and "x", then "\n2,ok\n", with 'delim'
 * for the commas: spaces and tabs, or only spaces when tabs separate. */
static FILE *
blank_field_file(size_t blanks, char delim)
{
    FILE *f = tmpfile();
    size_t i;

    assert_non_null(f);
    fprintf(f, "a%cb\n1%c", delim, delim);
    for (i = 0; i < blanks; i++)
        fputc(i % 2 && delim != '\t' ? '\t' : ' ', f);
    fprintf(f, "x\n2%cok\n", delim);
    rewind(f);
    return f;
}

/* Read the file of blank_field_file(blanks, delim) into 'rows'. */
static void
read_blank_field(struct rows *rows, size_t blanks, char delim)
{
    FILE *f = blank_field_file(blanks, delim);

    rows_release(rows);
    assert_int_equal(iom_csv_read_delim(f, delim, collect, rows, &rows->err),
                     IOM_OK);
    fclose(f);
}

/*
 * libcsv drops the blanks before a field without a trace: they still
 * count toward the field's limit, to the byte, whatever the separator.
 */
static void
test_csv_in_leading_blanks_count_toward_field_limit(void **state)
{
    static const char delims[] = { ',', ';', '\t' };
    struct rows *rows = *state;
    size_t d;

    for (d = 0; d < sizeof delims; d++) {
        read_blank_field(rows, IOM_CSV_FIELD_MAX - 1, delims[d]);
        assert_null(rows->v[1].problem);
        assert_field(&rows->v[1], 1, "x");
        read_blank_field(rows, IOM_CSV_FIELD_MAX, delims[d]);
        assert_int_equal(rows->n, 3);
        assert_broken(&rows->v[1], 2, "1 MiB");
        assert_int_equal(rows->v[1].bad_field, 1);
        assert_null(rows->v[2].problem);
        assert_field(&rows->v[2], 1, "ok");
    }
}

/* A record of blanks is over its limit on its raw bytes, and its memory
 * stays bounded (the bytes are never kept). */
static void
test_csv_in_record_of_blanks_rejected_on_raw_bytes(void **state)
{
    struct rows *rows = *state;
    FILE *f = tmpfile();
    size_t i;

    assert_non_null(f);
    fputs("a,b,c,d,e,f\n1", f);
    for (i = 0; i < 5; i++) {
        size_t k;

        fputc(',', f);
        for (k = 0; k < IOM_CSV_FIELD_MAX - 1; k++)
            fputc(' ', f);
        fputc('y', f);
    }
    fputs("\n2,3,4,5,6,7\n", f);
    rewind(f);
    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_broken(&rows->v[1], 2, "4 MiB");
    assert_null(rows->v[2].problem);
    assert_int_equal(rows->v[2].line, 3);
}

static void
test_csv_in_too_many_fields_rejected(void **state)
{
    struct rows *rows = *state;
    FILE *f = tmpfile();
    size_t i;

    assert_non_null(f);
    fputs("a,b\n", f);
    for (i = 0; i < IOM_CSV_FIELDS_MAX + 5; i++)
        fputs(i ? ",x" : "x", f);
    fputs("\n1,2\n", f);
    rewind(f);
    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_non_null(rows->v[1].problem);
    assert_non_null(strstr(rows->v[1].problem, "too many fields"));
    assert_null(rows->v[2].problem);
    assert_int_equal(rows->v[2].line, 3);
}

static void
test_csv_in_record_over_4mib_rejected(void **state)
{
    struct rows *rows = *state;
    FILE *f = tmpfile();
    char *field = malloc(IOM_CSV_FIELD_MAX);
    size_t i;

    assert_non_null(f);
    assert_non_null(field);
    memset(field, 'y', IOM_CSV_FIELD_MAX);
    fputs("a,b,c,d,e\n", f);
    for (i = 0; i < 5; i++) {
        if (i)
            fputc(',', f);
        fwrite(field, 1, IOM_CSV_FIELD_MAX, f);
    }
    fputs("\n1,2,3,4,5\n", f);
    rewind(f);
    free(field);
    assert_int_equal(read_stream(f, rows), IOM_OK);
    fclose(f);
    assert_int_equal(rows->n, 3);
    assert_non_null(rows->v[1].problem);
    assert_non_null(strstr(rows->v[1].problem, "4 MiB"));
    assert_null(rows->v[2].problem);
}

#define ON_ROWS(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

/* The separator is the one that cuts the header line into known names. */
static void
test_csv_sniff_delimiter_from_the_header(void **state)
{
    static const struct { const char *head; char exp; } cases[] = {
        { "Projects ID,Title,Year\r\nA;B,t,2001\r\n", ',' },
        { "Projects ID;Title;Year\r\nA,B;t;2001\r\n", ';' },
        { "\xEF\xBB\xBF\"Projects ID\";Title\n", ';' },
        { "Title\t projects id \tYear\n", '\t' },
        { "Title;Year\nProjects ID,x\n", ',' },     /* first line only */
        { "nothing known here", ',' },
        { "", ',' },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(iom_csv_sniff_delimiter(cases[i].head,
                                                 strlen(cases[i].head),
                                                 "Projects ID"),
                         cases[i].exp);
}

/* Tab-separated: a tab is a separator, not a blank to skip. */
static void
test_csv_tab_delimiter_keeps_empty_fields(void **state)
{
    static struct rows rows;
    static const char text[] = "a\t\tc\nx\t b \t\n";

    (void)state;
    memset(&rows, 0, sizeof rows);
    assert_int_equal(iom_csv_read_buffer_delim(text, sizeof text - 1, '\t',
                                               collect, &rows, &rows.err),
                     IOM_OK);
    assert_int_equal(rows.n, 2);
    assert_int_equal(rows.v[0].n, 3);
    assert_int_equal(rows.v[0].lens[1], 0);
    assert_int_equal(rows.v[1].n, 3);
    assert_string_equal(rows.v[1].fields[1], "b");
    rows_release(&rows);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_sniff_delimiter_from_the_header),
        cmocka_unit_test(test_csv_tab_delimiter_keeps_empty_fields),
        ON_ROWS(test_csv_in_quoting_edge_gives_exact_fields),
        ON_ROWS(test_csv_in_long_quoted_field_across_blocks_is_exact),
        ON_ROWS(test_csv_in_unquoted_spaces_trim_to_value),
        ON_ROWS(test_csv_in_bom_crlf_skips_bom_keeps_lines),
        ON_ROWS(test_csv_in_line_end_table_numbers_physical_lines),
        ON_ROWS(test_csv_in_multiline_records_start_lines),
        ON_ROWS(test_csv_in_embedded_nul_is_kept_in_len),
        ON_ROWS(test_csv_in_trailing_comma_adds_empty_field),
        ON_ROWS(test_csv_in_rows_of_empty_fields_are_skipped),
        ON_ROWS(test_csv_in_stray_quote_rejects_record_and_resumes),
        ON_ROWS(test_csv_in_text_after_closing_quote_rejects_record),
        ON_ROWS(test_csv_in_unterminated_quote_rejects_first_line_alone),
        ON_ROWS(test_csv_in_unterminated_quote_in_header_fails),
        ON_ROWS(test_csv_in_unterminated_quote_on_last_line_rejected),
        ON_ROWS(test_csv_in_unbalanced_quote_rejects_only_its_line),
        ON_ROWS(test_csv_in_inner_quotes_closed_on_their_line_cost_one_record),
        ON_ROWS(test_csv_in_broken_quote_never_invents_a_record),
        ON_ROWS(test_csv_in_unbalanced_quote_found_by_field_count),
        ON_ROWS(test_csv_in_empty_file_gives_no_records),
        ON_ROWS(test_csv_in_callback_status_stops_read),
        ON_ROWS(test_csv_in_field_of_exactly_1mib_passes),
        ON_ROWS(test_csv_in_field_over_1mib_rejected),
        ON_ROWS(test_csv_in_oversized_field_closing_at_block_end),
        ON_ROWS(test_csv_in_huge_field_uses_bounded_memory),
        ON_ROWS(test_csv_in_leading_blanks_count_toward_field_limit),
        ON_ROWS(test_csv_in_record_of_blanks_rejected_on_raw_bytes),
        ON_ROWS(test_csv_in_too_many_fields_rejected),
        ON_ROWS(test_csv_in_record_over_4mib_rejected),
    };

    return cmocka_run_group_tests_name("csv_in", tests, NULL, NULL);
}
