/*
 * test_buf: the growable string, iom_strf, iom_path_base and
 * iom_write_file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"

#include "fixture.h"

static void
test_buf_init_is_empty_string(void **state)
{
    struct iom_buf b = IOM_BUF_INIT, c;

    (void)state;
    assert_non_null(b.data);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    iom_buf_init(&c);
    assert_non_null(c.data);
    assert_string_equal(c.data, "");
    iom_buf_release(&b);
    iom_buf_release(&c);
}

static void
test_buf_appends_keep_nul_terminated(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;

    (void)state;
    assert_int_equal(iom_buf_add(&b, "abcdef", 3), IOM_OK);
    assert_int_equal(iom_buf_adds(&b, "-"), IOM_OK);
    assert_int_equal(iom_buf_addc(&b, 'x'), IOM_OK);
    assert_int_equal(iom_buf_addf(&b, "[%d,%s]", 42, "y"), IOM_OK);
    assert_int_equal(iom_buf_add(&b, "", 0), IOM_OK);
    assert_string_equal(b.data, "abc-x[42,y]");
    assert_int_equal(b.len, strlen("abc-x[42,y]"));
    iom_buf_release(&b);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
}

static void
test_buf_large_appends_grow_exactly(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < 100000; i++)
        assert_int_equal(iom_buf_addc(&b, (char)('a' + i % 26)), IOM_OK);
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    for (i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[100000], '\0');
    assert_int_equal(iom_buf_addf(&b, "%0200d", 7), IOM_OK);
    assert_int_equal(b.len, 100200);
    assert_int_equal(b.data[100199], '7');
    iom_buf_release(&b);
}

static void
test_buf_embedded_nul_counts_in_len(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;

    (void)state;
    assert_int_equal(iom_buf_add(&b, "a\0b", 3), IOM_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4);
    iom_buf_release(&b);
}

static void
test_buf_reset_keeps_storage(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;
    size_t cap;

    (void)state;
    iom_buf_reset(&b);
    assert_string_equal(b.data, "");
    assert_int_equal(iom_buf_adds(&b, "hello"), IOM_OK);
    cap = b.cap;
    iom_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, cap);
    assert_string_equal(b.data, "");
    assert_int_equal(iom_buf_adds(&b, "x"), IOM_OK);
    assert_string_equal(b.data, "x");
    iom_buf_release(&b);
}

static void
test_buf_detach_hands_over_storage(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;
    char *got;

    (void)state;
    got = iom_buf_detach(&b);
    assert_non_null(got);
    assert_string_equal(got, "");
    free(got);
    assert_int_equal(iom_buf_adds(&b, "owned"), IOM_OK);
    got = iom_buf_detach(&b);
    assert_string_equal(got, "owned");
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    free(got);
    iom_buf_release(&b);
}

static void
test_buf_write_file_round_trips(void **state)
{
    char dir[64], path[96], *got;
    size_t n;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_buf");
    snprintf(path, sizeof path, "%s/f.bin", dir);
    assert_int_equal(iom_write_file(path, "a\0bc", 4), IOM_OK);
    got = fixture_read_file(path, &n);
    assert_int_equal(n, 4);
    assert_memory_equal(got, "a\0bc", 4);
    free(got);
    /* Replacing a longer file leaves only the new bytes. */
    assert_int_equal(iom_write_file(path, "z", 1), IOM_OK);
    got = fixture_read_file(path, &n);
    assert_int_equal(n, 1);
    assert_memory_equal(got, "z", 1);
    free(got);
    fixture_rmtree(dir);
}

static void
test_buf_write_file_missing_folder_fails(void **state)
{
    (void)state;
    assert_int_equal(iom_write_file("/nonexistent-iom/x/y.txt", "a", 1),
                     IOM_EIO);
}

static void
test_strf_joins_paths(void **state)
{
    char *p = iom_strf("%s/%s", "output", "2001");
    char *lock = iom_strf("%s/.%s.lock", "output", "2001");
    char *empty = iom_strf("%s", "");

    (void)state;
    assert_string_equal(p, "output/2001");
    assert_string_equal(lock, "output/.2001.lock");
    assert_non_null(empty);
    assert_string_equal(empty, "");
    free(p);
    free(lock);
    free(empty);
}

/* Longer than any first guess: the whole string, no cut. */
static void
test_strf_long_parts_are_whole(void **state)
{
    char part[5000];
    char *p;

    (void)state;
    memset(part, 'd', sizeof part - 1);
    part[sizeof part - 1] = '\0';
    p = iom_strf("%s/%s/%zu", part, part, (size_t)42);
    assert_non_null(p);
    assert_int_equal(strlen(p), 2 * (sizeof part - 1) + 4);
    assert_string_equal(p + 2 * (sizeof part - 1) + 1, "/42");
    assert_int_equal(p[sizeof part - 1], '/');
    free(p);
}

static void
test_path_base_is_the_last_component(void **state)
{
    (void)state;
    assert_string_equal(iom_path_base("out/.2001.run-x/briefs/A-1.pdf"),
                        "A-1.pdf");
    assert_string_equal(iom_path_base("rollup.xlsx"), "rollup.xlsx");
    assert_string_equal(iom_path_base("out/"), "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_init_is_empty_string),
        cmocka_unit_test(test_buf_appends_keep_nul_terminated),
        cmocka_unit_test(test_buf_large_appends_grow_exactly),
        cmocka_unit_test(test_buf_embedded_nul_counts_in_len),
        cmocka_unit_test(test_buf_reset_keeps_storage),
        cmocka_unit_test(test_buf_detach_hands_over_storage),
        cmocka_unit_test(test_buf_write_file_round_trips),
        cmocka_unit_test(test_buf_write_file_missing_folder_fails),
        cmocka_unit_test(test_strf_joins_paths),
        cmocka_unit_test(test_strf_long_parts_are_whole),
        cmocka_unit_test(test_path_base_is_the_last_component),
    };

    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
