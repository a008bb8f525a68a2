/*
 * test_hashset: look-up and insertion, growth keeping every string, ASCII
 * case folding, and a failed reserve leaving the set as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/hashset.h"

/* Adds s when missing; returns the string the set holds for it. */
static const char *
add(struct iom_hashset *set, const char *s)
{
    size_t slot;

    assert_int_equal(iom_hashset_reserve(set, 1), IOM_OK);
    slot = iom_hashset_find(set, s, strlen(s));
    if (!iom_hashset_at(set, slot))
        iom_hashset_put(set, slot, s);
    return iom_hashset_at(set, slot);
}

static bool
has(const struct iom_hashset *set, const char *s, size_t len)
{
    return iom_hashset_at(set, iom_hashset_find(set, s, len)) != NULL;
}

static void
test_hashset_finds_what_was_put_and_only_that(void **state)
{
    struct iom_hashset set;
    static const char a[] = "P-001", b[] = "P-002";
    char copy[] = "P-001";

    (void)state;
    iom_hashset_init(&set, false);
    assert_ptr_equal(add(&set, a), a);
    assert_ptr_equal(add(&set, b), b);
    /* An equal string finds the first copy; the set keeps two. */
    assert_ptr_equal(add(&set, copy), a);
    assert_int_equal(set.n, 2);
    /* The length counts: a prefix or a longer string is another key. */
    assert_false(has(&set, "P-00", 4));
    assert_false(has(&set, "P-0011", 6));
    assert_true(has(&set, "P-0011", 5));
    assert_false(has(&set, "p-001", 5));
    assert_false(has(&set, "", 0));
    iom_hashset_release(&set);
    assert_null(set.slots);
    assert_int_equal(set.n, 0);
}

static void
test_hashset_grows_at_half_full_and_keeps_every_string(void **state)
{
    enum { N = 20000 };
    struct iom_hashset set;
    char (*keys)[16] = malloc(N * sizeof *keys);
    size_t i;

    (void)state;
    assert_non_null(keys);
    iom_hashset_init(&set, false);
    for (i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "ID-%zu", i);
        assert_ptr_equal(add(&set, keys[i]), keys[i]);
        assert_true(2 * set.n <= set.cap);
    }
    assert_int_equal(set.n, N);
    assert_int_equal(set.cap & (set.cap - 1), 0);
    for (i = 0; i < N; i++)
        assert_ptr_equal(iom_hashset_at(&set, iom_hashset_find(
            &set, keys[i], strlen(keys[i]))), keys[i]);
    assert_false(has(&set, "ID-20000", 8));
    iom_hashset_release(&set);
    free(keys);
}

static void
test_hashset_fold_ignores_ascii_case_only(void **state)
{
    struct iom_hashset set;

    (void)state;
    iom_hashset_init(&set, true);
    add(&set, "Brief-A.pdf");
    assert_true(has(&set, "BRIEF-a.PDF", 11));
    assert_true(has(&set, "brief-a.pdf", 11));
    assert_false(has(&set, "brief-a.pd", 10));
    /* Only A-Z fold: U+00C9 and U+00E9 stay two names. */
    add(&set, "\xC3\x89");
    assert_false(has(&set, "\xC3\xA9", 2));
    /* '@' and '`' sit next to 'A' and 'a'; they are not letters. */
    add(&set, "@");
    assert_false(has(&set, "`", 1));
    iom_hashset_release(&set);
}

static void
test_hashset_reserve_sizes_once_and_refuses_overflow(void **state)
{
    struct iom_hashset set;
    const char **slots;
    size_t cap;

    (void)state;
    iom_hashset_init(&set, false);
    /* Room for none still makes a table to look in. */
    assert_int_equal(iom_hashset_reserve(&set, 0), IOM_OK);
    assert_true(set.cap > 0);
    assert_false(has(&set, "x", 1));
    assert_int_equal(iom_hashset_reserve(&set, 1000), IOM_OK);
    cap = set.cap;
    slots = set.slots;
    assert_true(cap >= 2000);
    /* Within the room reserved, nothing moves. */
    assert_int_equal(iom_hashset_reserve(&set, 1000), IOM_OK);
    assert_ptr_equal(set.slots, slots);
    add(&set, "x");
    assert_int_equal(iom_hashset_reserve(&set, SIZE_MAX), IOM_ENOMEM);
    assert_int_equal(iom_hashset_reserve(&set, SIZE_MAX / 4), IOM_ENOMEM);
    assert_ptr_equal(set.slots, slots);
    assert_int_equal(set.cap, cap);
    assert_true(has(&set, "x", 1));
    iom_hashset_release(&set);
}

/* A cleared set finds nothing; a small table is kept for the next use,
 * a large one freed. */
static void
test_hashset_clear_empties_and_frees_only_large_tables(void **state)
{
    static char names[3000][8];
    struct iom_hashset set;
    const char **slots;
    size_t i;

    (void)state;
    iom_hashset_init(&set, true);
    add(&set, "Ghana");
    slots = set.slots;
    iom_hashset_clear(&set);
    assert_int_equal(set.n, 0);
    assert_ptr_equal(set.slots, slots);
    assert_false(has(&set, "GHANA", 5));
    add(&set, "Mali");
    assert_true(has(&set, "mali", 4));
    for (i = 0; i < 3000; i++) {
        snprintf(names[i], sizeof names[i], "S%zu", i);
        add(&set, names[i]);
    }
    assert_true(set.cap > 1024);
    iom_hashset_clear(&set);
    assert_int_equal(set.n, 0);
    assert_int_equal(set.cap, 0);
    assert_int_equal(iom_hashset_reserve(&set, 1), IOM_OK);
    assert_false(has(&set, "S1", 2));
    iom_hashset_release(&set);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashset_finds_what_was_put_and_only_that),
        cmocka_unit_test(test_hashset_grows_at_half_full_and_keeps_every_string),
        cmocka_unit_test(test_hashset_fold_ignores_ascii_case_only),
        cmocka_unit_test(test_hashset_reserve_sizes_once_and_refuses_overflow),
        cmocka_unit_test(test_hashset_clear_empties_and_frees_only_large_tables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
