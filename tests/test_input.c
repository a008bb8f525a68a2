/*
 * test_input: a run reads its input: records accepted and rejected, the
 * delimiter sniffed from the header, the digest and size, and in a dry run
 * the streamed totals of the selection and of the whole input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/input.h"
#include "iom/run.h"

#include "fixture.h"

/* iom_input_read() of 'r', its messages kept off the test's output. */
static enum iom_status
read_quietly(struct iom_run *r)
{
    enum iom_status st;

    fixture_capture_begin(STDERR_FILENO);
    st = iom_input_read(r);
    free(fixture_capture_end());
    return st;
}

static void
test_input_reads_records_and_digest(void **state)
{
    static const char path[] = "tests/data/good_minimal.csv";
    struct iom_run r;
    struct stat sb;
    char dir[256];

    (void)state;
    fixture_run_init(&r, path, dir, sizeof dir);
    assert_int_equal(iom_input_read(&r), IOM_OK);
    assert_int_equal(r.rs.n, 3);
    assert_int_equal(r.rej.count, 0);
    assert_int_equal(r.src.delim, ',');
    assert_int_equal(strlen(r.input_sha), 64);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(r.input_bytes, (uint64_t)sb.st_size);
    assert_null(r.agg);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

static void
test_input_sniffs_the_delimiter(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/semicolon_excel.csv", dir, sizeof dir);
    assert_int_equal(iom_input_read(&r), IOM_OK);
    assert_int_equal(r.src.delim, ';');
    assert_true(r.rs.n > 0);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

static void
test_input_rejects_are_counted(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/bad_records.csv", dir, sizeof dir);
    assert_int_equal(read_quietly(&r), IOM_OK);
    assert_true(r.rej.count > 0);
    assert_int_equal(r.rej.known, 0);
    assert_int_equal(r.rs.n + r.rej.count, iom_validator_records(r.val));
    iom_run_release(&r);
    fixture_rmtree(dir);
}

/* A dry run keeps no record: it totals them as they stream by. */
static void
test_input_dry_run_streams_totals(void **state)
{
    struct iom_run r;
    char dir[256];
    const char *why;

    (void)state;
    fixture_run_init(&r, "tests/data/good_minimal.csv", dir, sizeof dir);
    r.opts.dry_run = true;
    assert_int_equal(iom_selection_add_years(&r.opts.sel, "2002-2003", &why),
                     IOM_OK);
    assert_int_equal(iom_input_read(&r), IOM_OK);
    assert_int_equal(r.rs.n, 0);
    assert_int_equal(iom_agg_finish(r.agg), IOM_OK);
    assert_int_equal(iom_agg_finish(r.census), IOM_OK);
    assert_int_equal(iom_agg_count(r.agg), 2);
    assert_int_equal(iom_agg_count(r.census), 3);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

static void
test_input_missing_file_fails(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/no-such-file.csv", dir, sizeof dir);
    assert_int_equal(read_quietly(&r), IOM_ENOINPUT);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

/* A file saved in Windows-1252 is one problem of the file: read as that,
 * every record kept, none rejected for its bytes. */
static void
test_input_reads_a_code_page_file_as_one(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/cp1252_excel.csv", dir, sizeof dir);
    assert_int_equal(read_quietly(&r), IOM_OK);
    assert_int_equal(r.rs.n, 50);
    assert_int_equal(r.rej.count, 0);
    assert_true(r.encoding_guessed);
    assert_string_equal(r.opts.encoding, IOM_CODE_PAGE);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

/* One stray byte in a UTF-8 file costs its record, nothing more. */
static void
test_input_stray_byte_in_utf8_costs_its_record(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/utf8_one_latin1_byte.csv", dir,
                     sizeof dir);
    assert_int_equal(read_quietly(&r), IOM_OK);
    assert_int_equal(r.rej.count, 1);
    assert_false(r.encoding_guessed);
    assert_null(r.opts.encoding);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

/* Told a code page for a file that is valid UTF-8: refused. */
static void
test_input_told_code_page_for_utf8_is_refused(void **state)
{
    struct iom_run r;
    char dir[256];

    (void)state;
    fixture_run_init(&r, "tests/data/good_bom_crlf.csv", dir, sizeof dir);
    r.opts.encoding = "cp1252";
    assert_int_equal(read_quietly(&r), IOM_ECSV);
    assert_int_equal(r.rs.n, 0);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_reads_records_and_digest),
        cmocka_unit_test(test_input_sniffs_the_delimiter),
        cmocka_unit_test(test_input_rejects_are_counted),
        cmocka_unit_test(test_input_dry_run_streams_totals),
        cmocka_unit_test(test_input_missing_file_fails),
        cmocka_unit_test(test_input_reads_a_code_page_file_as_one),
        cmocka_unit_test(test_input_stray_byte_in_utf8_costs_its_record),
        cmocka_unit_test(test_input_told_code_page_for_utf8_is_refused),
    };

    return cmocka_run_group_tests_name("input", tests, NULL, NULL);
}
