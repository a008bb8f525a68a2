/*
 * source: the input's digest, and records read again by offset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/rejects.h"
#include "iom/sha256.h"
#include "iom/source.h"
#include "iom/validate.h"

#include "fixture.h"

static void
test_source_digest_covers_every_byte(void **state)
{
    struct iom_source src;
    char got[65], exp[65];
    uint64_t got_size, exp_size;

    (void)state;
    assert_int_equal(iom_source_open(&src, "tests/data/good_bom_crlf.csv"),
                     IOM_OK);
    assert_int_equal(iom_source_digest_start(&src), IOM_OK);
    assert_int_equal(iom_source_digest_finish(&src, got, &got_size), IOM_OK);
    iom_source_close(&src);
    assert_int_equal(iom_sha256_file("tests/data/good_bom_crlf.csv", exp,
                                     &exp_size), IOM_OK);
    assert_string_equal(got, exp);     /* BOM included */
    assert_int_equal(got_size, exp_size);
}

static void
test_source_folder_is_no_input(void **state)
{
    struct iom_source src;

    (void)state;
    assert_int_equal(iom_source_open(&src, "tests"), IOM_ENOINPUT);
    iom_source_close(&src);
}

struct load {
    struct iom_source *src;
    const struct iom_record *rec;
    const struct iom_record *got;
};

static enum iom_status
load(void *ctx)
{
    struct load *l = ctx;

    return iom_source_load(l->src, l->rec, &l->got);
}

/*
 * The first pass keeps no description; loading gives every record back
 * whole, multi-line quoted fields included, whatever the order.  Out of
 * memory is IOM_ENOMEM, left for the caller to tell, never a record that
 * changed.
 */
static void
test_source_load_gives_whole_records(void **state)
{
    struct iom_source src;
    struct iom_recset rs;
    struct iom_rejects rej;
    struct iom_validator *v;
    struct iom_csv_error err;
    struct iom_recset whole;
    size_t i;

    (void)state;
    iom_recset_init(&rs);
    iom_recset_init(&whole);
    assert_int_equal(iom_source_open(&src, "input/projects.csv"), IOM_OK);
    assert_int_equal(iom_rejects_init(&rej), IOM_OK);
    assert_int_equal(iom_validator_new("projects.csv", &whole, &rej, &v),
                     IOM_OK);
    assert_int_equal(iom_csv_read(src.f, iom_validate_row, v, &err), IOM_OK);
    iom_validator_free(v);
    rewind(src.f);
    assert_int_equal(iom_validator_new("projects.csv", &rs, &rej, &v),
                     IOM_OK);
    iom_validator_keep(v, IOM_KEEP_TEXT);
    assert_int_equal(iom_csv_read(src.f, iom_validate_row, v, &err), IOM_OK);
    src.v = v;
    assert_int_equal(rs.n, whole.n);
    for (i = rs.n; i-- > 0;) {
        struct load l = { &src, &rs.recs[i], NULL };
        const struct iom_record *got;

        assert_null(rs.recs[i].description);
        assert_int_equal(fixture_fail_each_alloc(load, &l, 0), IOM_OK);
        got = l.got;
        assert_string_equal(got->id, whole.recs[i].id);
        assert_string_equal(got->description, whole.recs[i].description);
        assert_int_equal(got->budget_cents, whole.recs[i].budget_cents);
        assert_int_equal(got->line, whole.recs[i].line);
    }
    iom_validator_free(v);
    iom_source_close(&src);
    iom_rejects_release(&rej);
    iom_recset_release(&rs);
    iom_recset_release(&whole);
}

/*
 * A Windows-1252 file read with --encoding: the parser sees UTF-8 with
 * the same line ends, the digest the bytes as given; the census of a
 * code-page file finds no UTF-8 sequence.
 */
static void
test_source_convert_keeps_lines_and_raw_digest(void **state)
{
    static const char *path = "tests/data/cp1252_bad_budget.csv";
    struct iom_source src;
    char got[65], exp[65], head[4096];
    uint64_t got_size, exp_size;

    (void)state;
    assert_int_equal(iom_source_open(&src, path), IOM_OK);
    assert_int_equal(iom_source_convert(&src, path, "cp1252"), IOM_OK);
    assert_int_equal(iom_source_digest_start(&src), IOM_OK);
    assert_int_equal(iom_source_digest_finish(&src, got, &got_size), IOM_OK);
    assert_int_equal(iom_sha256_file(path, exp, &exp_size), IOM_OK);
    assert_string_equal(got, exp);
    assert_int_equal(got_size, exp_size);
    iom_source_head(&src, head, sizeof head);
    assert_non_null(strstr(head, "W-1,Caf\xc3\xa9 \xe2\x82\xac \xe2\x80\x9c"
                                 "quoted\xe2\x80\x9d,100.00,2001,Europe\r\n"));
    assert_non_null(strstr(head, "\"Two\r\nlines \xc3\xa9\""));
    assert_true(iom_source_census(&src)->invalid > 0);
    assert_int_equal(iom_source_census(&src)->multibyte, 0);
    iom_source_close(&src);

    assert_int_equal(iom_source_open(&src, path), IOM_OK);
    assert_int_equal(iom_source_convert(&src, path, "no-such-code"),
                     IOM_EUSAGE);
    iom_source_close(&src);
    assert_int_equal(iom_source_open(&src,
                                     "tests/data/cp1252_undefined_byte.csv"),
                     IOM_OK);
    assert_int_equal(iom_source_convert(&src, "x", "cp1252"), IOM_ECSV);
    iom_source_close(&src);
}

/* A UTF-8 file is counted as such, its sequences cut across no block. */
static void
test_source_census_of_utf8(void **state)
{
    struct iom_source src;
    char hex[65];
    uint64_t size;

    (void)state;
    assert_int_equal(iom_source_open(&src, "tests/data/good_bom_crlf.csv"),
                     IOM_OK);
    assert_int_equal(iom_source_digest_start(&src), IOM_OK);
    assert_int_equal(iom_source_digest_finish(&src, hex, &size), IOM_OK);
    assert_int_equal(iom_source_census(&src)->invalid, 0);
    assert_true(iom_source_census(&src)->multibyte > 0);
    iom_source_close(&src);
}

/* Append 'n' bytes 'c' to 'f'. */
static void
put_run(FILE *f, int c, size_t n)
{
    while (n--)
        assert_int_equal(fputc(c, f), c);
}

/*
 * The census to the byte: a sequence across the digest's 256 KiB blocks,
 * runs of ASCII of every length around the word-sized steps, a stray
 * byte, a sequence cut short inside the file and one cut by its end (each
 * byte of a cut sequence is a byte that is not UTF-8).
 */
static void
test_source_census_counts_sequences_and_bad_bytes_exactly(void **state)
{
    char path[] = "/tmp/test_source.XXXXXX", hex[65];
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
    struct iom_source src;
    uint64_t size;
    size_t run;

    (void)state;
    assert_non_null(f);
    put_run(f, 'a', 256 * 1024 - 1);
    fputs("\xe2\x82\xac", f);             /* across the block's end */
    for (run = 0; run < 17; run++) {
        put_run(f, 'b', run);
        fputs("\xc3\xa9", f);
    }
    put_run(f, 'c', 5);
    fputs("\xff", f);                     /* the first bad byte */
    fputs("\xe2\x82", f);                 /* cut short by 'd' */
    put_run(f, 'd', 20);
    fputs("\xf0\x9f", f);                 /* cut short by the end */
    assert_int_equal(fclose(f), 0);
    assert_int_equal(iom_source_open(&src, path), IOM_OK);
    assert_int_equal(iom_source_digest_start(&src), IOM_OK);
    assert_int_equal(iom_source_digest_finish(&src, hex, &size), IOM_OK);
    assert_int_equal(iom_source_census(&src)->multibyte, 1 + 17);
    assert_int_equal(iom_source_census(&src)->invalid, 1 + 2 + 2);
    assert_int_equal(iom_source_census(&src)->first_invalid,
                     256 * 1024 - 1 + 3 + 17 * 2 + 16 * 17 / 2 + 5);
    iom_source_close(&src);
    unlink(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_source_digest_covers_every_byte),
        cmocka_unit_test(test_source_folder_is_no_input),
        cmocka_unit_test(test_source_load_gives_whole_records),
        cmocka_unit_test(test_source_convert_keeps_lines_and_raw_digest),
        cmocka_unit_test(test_source_census_of_utf8),
        cmocka_unit_test(test_source_census_counts_sequences_and_bad_bytes_exactly),
    };

    return cmocka_run_group_tests_name("source", tests, NULL, NULL);
}
