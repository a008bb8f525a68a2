/*
 * test_rejects: rejected.csv.  The named bad files are read and validated
 * as a run does, rejected.csv is written into a temporary file, read back
 * as CSV and compared with the expected line, column and reason of each
 * rejection (tests/data/bad_records.expected) and with the original fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/csv_in.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/validate.h"

#include "fixture.h"

#define MAX_ROWS 32
#define MAX_FIELDS 16

/* rejected.csv read back: each row's fields, copied. */
struct table {
    size_t n;
    size_t n_fields[MAX_ROWS];
    char *f[MAX_ROWS][MAX_FIELDS];
    size_t len[MAX_ROWS][MAX_FIELDS];
};

static enum iom_status
keep_row(void *ctx, const struct iom_csv_row *row)
{
    struct table *t = ctx;
    size_t i;

    assert_null(row->problem);
    assert_true(t->n < MAX_ROWS);
    assert_true(row->n <= MAX_FIELDS);
    t->n_fields[t->n] = row->n;
    for (i = 0; i < row->n; i++) {
        t->f[t->n][i] = malloc(row->lens[i] + 1);
        assert_non_null(t->f[t->n][i]);
        memcpy(t->f[t->n][i], row->fields[i], row->lens[i] + 1);
        t->len[t->n][i] = row->lens[i];
    }
    t->n++;
    return IOM_OK;
}

static void
table_release(struct table *t)
{
    size_t r, i;

    for (r = 0; r < t->n; r++)
        for (i = 0; i < t->n_fields[r]; i++)
            free(t->f[r][i]);
    memset(t, 0, sizeof *t);
}

/* Parse the bytes of 'f' from its start as CSV into 't'. */
static void
read_back(FILE *f, struct table *t)
{
    struct iom_csv_error err;

    table_release(t);
    rewind(f);
    assert_int_equal(iom_csv_read(f, keep_row, t, &err), IOM_OK);
}

/* Read and validate 'path' as a run does, rejected.csv into 't'; returns
 * how many records were accepted. */
static size_t
rejects_of(const char *path, struct table *t)
{
    struct fixture_input in;
    FILE *out = tmpfile();
    size_t accepted;

    assert_non_null(out);
    fixture_input_load(&in, path);
    assert_int_equal(in.st, IOM_OK);
    assert_int_equal(iom_rejects_copy(&in.rej, out), IOM_OK);
    read_back(out, t);
    assert_int_equal(t->n, in.rej.count + 1);
    accepted = in.rs.n;
    fclose(out);
    fixture_input_release(&in);
    return accepted;
}

/* Each test gets an empty table, released after it. */
static int
setup(void **state)
{
    *state = calloc(1, sizeof(struct table));
    return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
    table_release(*state);
    free(*state);
    return 0;
}

static void
assert_cell(const struct table *t, size_t r, size_t i, const char *exp)
{
    assert_true(i < t->n_fields[r]);
    assert_int_equal(t->len[r][i], strlen(exp));
    assert_memory_equal(t->f[r][i], exp, strlen(exp));
}

static void
test_rejects_bad_records_lines_and_columns_match_expected(void **state)
{
    /* What each reason of bad_records.expected reads as here. */
    static const char *const reason_has[] = {
        "is empty", "is empty", "is empty", "not a decimal number",
        "negative", "more than 2 decimals", "thousands separator",
        "not a whole year", "1951-2100", "no Start Date",
        "first on line 2", "3 fields", "9 fields", "not valid UTF-8"
    };
    struct table *t = *state;
    size_t r = 0;
    FILE *exp = fopen("tests/data/bad_records.expected", "r");
    char line[256];

    assert_non_null(exp);
    /* The three dates that cannot be read are kept, with warnings. */
    assert_int_equal(rejects_of("tests/data/bad_records.csv", t), 6);
    assert_int_equal(t->n, 15);
    assert_cell(t, 0, 0, "Line");
    assert_cell(t, 0, 1, "Column");
    assert_cell(t, 0, 2, "Reason");
    assert_cell(t, 0, 3, "Projects ID");
    assert_cell(t, 0, 10, "Description");
    while (fgets(line, sizeof line, exp)) {
        char *col = strchr(line, '\t'), *why;

        assert_non_null(col);
        *col++ = '\0';
        why = strchr(col, '\t');
        assert_non_null(why);
        *why = '\0';
        r++;
        assert_true(r < t->n);
        if (strcmp(t->f[r][0], line) != 0 || strcmp(t->f[r][1], col) != 0)
            print_message("row %zu: got %s/%s, expected %s/%s\n", r,
                          t->f[r][0], t->f[r][1], line, col);
        assert_string_equal(t->f[r][0], line);
        assert_string_equal(t->f[r][1], col);
        if (!strstr(t->f[r][2], reason_has[r - 1]))
            print_message("row %zu reason '%s'\n", r, t->f[r][2]);
        assert_non_null(strstr(t->f[r][2], reason_has[r - 1]));
    }
    fclose(exp);
    assert_int_equal(r, 14);
}

static void
test_rejects_bad_records_keep_original_fields(void **state)
{
    struct table *t = *state;

    rejects_of("tests/data/bad_records.csv", t);
    /* Line 5: a two-line record, whole. */
    assert_cell(t, 2, 3, "BR-003");
    assert_cell(t, 2, 4, "");
    assert_cell(t, 2, 10, "Missing title; the description\n"
                "spans two lines.");
    assert_int_equal(t->n_fields[2], 11);
    /* Line 11: the quoted budget comes back unquoted. */
    assert_cell(t, 5 + 2, 7, "1,2,3");
    /* Line 20: three fields only; line 21: nine. */
    assert_int_equal(t->n_fields[12], 3 + 3);
    assert_cell(t, 12, 5, "2001");
    assert_int_equal(t->n_fields[13], 3 + 9);
    assert_cell(t, 13, 11, "extra");
    /* Line 22: the bytes that are not UTF-8, as they were. */
    assert_cell(t, 14, 4, "Bad \xC3( UTF-8");
}

static void
test_rejects_latin1_title_rejected_on_line_3(void **state)
{
    struct table *t = *state;

    assert_int_equal(rejects_of("tests/data/latin1.csv", t), 2);
    assert_int_equal(t->n, 2);
    assert_cell(t, 1, 0, "3");
    assert_cell(t, 1, 1, "Title");
    assert_cell(t, 1, 4, "C\xF4te d'Ivoire");
}

static void
test_rejects_stray_quote_rejected_on_line_3(void **state)
{
    struct table *t = *state;

    assert_int_equal(rejects_of("tests/data/stray_quote.csv", t), 3);
    assert_int_equal(t->n, 2);
    assert_cell(t, 1, 0, "3");
    assert_cell(t, 1, 1, "(record)");
    assert_non_null(strstr(t->f[1][2], "quot"));
    assert_cell(t, 1, 3, "1");
}

static void
test_rejects_none_gives_header_only(void **state)
{
    struct table *t = *state;

    rejects_of("tests/data/header_only.csv", t);
    assert_int_equal(t->n, 1);
    assert_int_equal(t->n_fields[0], 3 + 13);
    assert_cell(t, 0, 15, "Prima ID");
}

/* The header names as read: libcsv drops the spaces around unquoted
 * fields; a quoted name keeps them. */
static void
test_rejects_header_names_kept_as_read(void **state)
{
    struct table *t = *state;

    rejects_of("tests/data/good_minimal.csv", t);
    assert_int_equal(t->n, 1);
    assert_cell(t, 0, 3, "year");
    assert_cell(t, 0, 5, "title");
    assert_cell(t, 0, 6, " Projects ID ");
}

static void
test_rejects_copy_twice_gives_same_bytes(void **state)
{
    struct iom_rejects rej;
    const char *fields[] = { "a", "b,c" };
    const size_t lens[] = { 1, 3 };
    struct iom_csv_row row = { .fields = fields, .lens = lens, .n = 2,
                               .line = 7 };
    FILE *a = tmpfile(), *b = tmpfile();
    char *ba, *bb;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(iom_rejects_init(&rej), IOM_OK);
    assert_int_equal(iom_rejects_header(&rej, &row), IOM_OK);
    assert_int_equal(iom_rejects_add(&rej, &row, "Title", "is empty"),
                     IOM_OK);
    assert_int_equal(rej.count, 1);
    assert_int_equal(iom_rejects_copy(&rej, a), IOM_OK);
    /* Adding after a copy appends, and a second copy holds both. */
    assert_int_equal(iom_rejects_add(&rej, &row, "Year", "x"), IOM_OK);
    assert_int_equal(iom_rejects_copy(&rej, b), IOM_OK);
    ba = fixture_read_stream(a, NULL);
    bb = fixture_read_stream(b, NULL);
    assert_string_equal(ba, "\xEF\xBB\xBFLine,Column,Reason,a,\"b,c\"\r\n"
                            "7,Title,is empty,a,\"b,c\"\r\n");
    assert_string_equal(bb, "\xEF\xBB\xBFLine,Column,Reason,a,\"b,c\"\r\n"
                            "7,Title,is empty,a,\"b,c\"\r\n"
                            "7,Year,x,a,\"b,c\"\r\n");
    free(ba);
    free(bb);
    fclose(a);
    fclose(b);
    iom_rejects_release(&rej);
}

static void
test_rejects_put_field_table_quotes_when_needed(void **state)
{
    static const struct { const char *in; size_t len; const char *exp; }
    cases[] = {
        { "abc", 3,        "abc" },
        { "", 0,           "" },
        { "a,b", 3,        "\"a,b\"" },
        { "a\"b", 3,       "\"a\"\"b\"" },
        { "\"", 1,         "\"\"\"\"" },
        { "a\nb", 3,       "\"a\nb\"" },
        { "a\r\nb", 4,     "\"a\r\nb\"" },
        { " a", 2,         "\" a\"" },
        { "a ", 2,         "\"a \"" },
        { "\ta", 2,        "\"\ta\"" },
        { "C\xC3\xB4te", 5, "C\xC3\xB4te" },
        { "=1+2", 4,       "=1+2" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        FILE *f = tmpfile();
        char *got;

        assert_non_null(f);
        assert_int_equal(iom_csv_put_field(f, cases[i].in, cases[i].len), 0);
        got = fixture_read_stream(f, NULL);
        fclose(f);
        assert_string_equal(got, cases[i].exp);
        free(got);
    }
}

#define ON_TABLE(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

/*
 * The previous run's rejected.csv, read back: the same record rejected
 * for the same reason is known (also on another line); another reason,
 * column or field is not.
 */
static void
test_rejects_known_from_the_previous_list(void **state)
{
    struct iom_rejects before, now;
    const char *fields[] = { "ID-1", " spaced ", "caf\xc3\xa9, \"x\"" };
    const char *other[] = { "ID-1", " spaced ", "cafe" };
    const size_t lens[] = { 4, 8, 11 }, other_lens[] = { 4, 8, 4 };
    struct iom_csv_row row = { .fields = fields, .lens = lens, .n = 3,
                               .line = 7 };
    struct iom_csv_row moved = row, changed = row;
    char dir[32], path[64];
    FILE *f;

    (void)state;
    moved.line = 9;
    changed.fields = other;
    changed.lens = other_lens;
    fixture_tmpdir(dir, sizeof dir, "iom_rk");
    snprintf(path, sizeof path, "%s/rejected.csv", dir);
    assert_int_equal(iom_rejects_init(&before), IOM_OK);
    assert_int_equal(iom_rejects_header(&before, &row), IOM_OK);
    assert_int_equal(iom_rejects_add(&before, &row, "Title", "is empty"),
                     IOM_OK);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(iom_rejects_copy(&before, f), IOM_OK);
    fclose(f);
    iom_rejects_release(&before);

    memset(&now, 0, sizeof now);
    assert_int_equal(iom_rejects_init(&now), IOM_OK);
    assert_int_equal(iom_rejects_load_known(&now, path), IOM_OK);
    assert_int_equal(now.n_keys, 1);
    assert_true(iom_rejects_known(&now, &moved, "Title", "is empty"));
    assert_false(iom_rejects_known(&now, &row, "Title", "is too long"));
    assert_false(iom_rejects_known(&now, &row, "Year", "is empty"));
    assert_false(iom_rejects_known(&now, &changed, "Title", "is empty"));
    assert_int_equal(now.known, 1);
    iom_rejects_release(&now);

    /* No previous list: nothing is known. */
    memset(&now, 0, sizeof now);
    assert_int_equal(iom_rejects_init(&now), IOM_OK);
    assert_int_equal(iom_rejects_load_known(&now, "/nonexistent/rej.csv"),
                     IOM_OK);
    assert_false(iom_rejects_known(&now, &row, "Title", "is empty"));
    iom_rejects_release(&now);
    fixture_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        ON_TABLE(test_rejects_bad_records_lines_and_columns_match_expected),
        ON_TABLE(test_rejects_bad_records_keep_original_fields),
        ON_TABLE(test_rejects_latin1_title_rejected_on_line_3),
        ON_TABLE(test_rejects_stray_quote_rejected_on_line_3),
        ON_TABLE(test_rejects_none_gives_header_only),
        ON_TABLE(test_rejects_header_names_kept_as_read),
        cmocka_unit_test(test_rejects_copy_twice_gives_same_bytes),
        cmocka_unit_test(test_rejects_known_from_the_previous_list),
        cmocka_unit_test(test_rejects_put_field_table_quotes_when_needed),
    };

    return cmocka_run_group_tests_name("rejects", tests, NULL, NULL);
}
