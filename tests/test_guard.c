/*
 * test_guard: which nights are withheld: too many rejects (the default
 * share, its floor of a few records, the previous run's share, an
 * operator's count or percentage) and a selection cut short.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "iom/guard.h"

static enum iom_status
check(size_t records, size_t rejected, size_t selected,
      const struct iom_guard_counts *prev, const char *limit, bool shrink,
      char *why)
{
    struct iom_guard g;

    memset(&g, 0, sizeof g);
    g.now.records = records;
    g.now.rejected = rejected;
    g.now.selected = selected;
    g.prev = prev;
    g.allow_shrink = shrink;
    if (limit)
        assert_true(iom_limit_parse(limit, &g.max_rejected));
    why[0] = '\0';
    return iom_guard_check(&g, why, 256);
}

static void
test_guard_limit_parses_counts_and_percentages(void **state)
{
    struct iom_limit l;

    (void)state;
    assert_true(iom_limit_parse("10%", &l));
    assert_true(l.given && l.percent && l.value == 10.0);
    assert_true(iom_limit_parse("2.5%", &l));
    assert_true(l.percent && l.value == 2.5);
    assert_true(iom_limit_parse("25", &l));
    assert_true(!l.percent && l.value == 25.0);
    assert_true(iom_limit_parse("0", &l));
    assert_false(iom_limit_parse("", &l));
    assert_false(iom_limit_parse("-1", &l));
    assert_false(iom_limit_parse("101%", &l));
    assert_false(iom_limit_parse("2.5", &l));
    assert_false(iom_limit_parse("10%%", &l));
    assert_false(iom_limit_parse("ten", &l));
    assert_false(iom_limit_parse("nan", &l));
    assert_false(iom_limit_parse(" 5", &l));
}

static void
test_guard_default_withholds_a_night_that_lost_most_records(void **state)
{
    char why[256];

    (void)state;
    /* The Windows-1252 sample read as UTF-8: 27 of 50. */
    assert_int_equal(check(50, 27, 4, NULL, NULL, false, why),
                     IOM_EWITHHELD);
    assert_non_null(strstr(why, "27 of 50 records rejected (54.0 %)"));
    /* 10 % goes out, one more does not. */
    assert_int_equal(check(100, 10, 90, NULL, NULL, false, why), IOM_OK);
    assert_int_equal(check(100, 11, 89, NULL, NULL, false, why),
                     IOM_EWITHHELD);
}

static void
test_guard_a_few_bad_rows_never_stop_a_night(void **state)
{
    char why[256];

    (void)state;
    assert_int_equal(check(8, 5, 3, NULL, NULL, false, why), IOM_OK);
    assert_int_equal(check(8, 6, 2, NULL, NULL, false, why), IOM_EWITHHELD);
}

/* Every record rejected: nothing to publish, whatever the limit. */
static void
test_guard_every_record_rejected_is_withheld(void **state)
{
    char why[256];

    (void)state;
    assert_int_equal(check(3, 3, 0, NULL, NULL, false, why), IOM_EWITHHELD);
    assert_string_equal(why, "all 3 records rejected");
    assert_int_equal(check(3, 3, 0, NULL, "100%", true, why),
                     IOM_EWITHHELD);
    /* No records at all is not this (the selection matches nothing). */
    assert_int_equal(check(0, 0, 0, NULL, NULL, false, why), IOM_OK);
}

static void
test_guard_previous_share_and_margin_are_allowed(void **state)
{
    const struct iom_guard_counts prev = { 100, 30, 70 };
    char why[256];

    (void)state;
    /* The export always rejects about 30 %: up to 40 % goes out. */
    assert_int_equal(check(100, 40, 70, &prev, NULL, false, why), IOM_OK);
    assert_int_equal(check(100, 41, 70, &prev, NULL, false, why),
                     IOM_EWITHHELD);
    assert_non_null(strstr(why, "previous run"));
}

static void
test_guard_operator_limit_is_the_rule(void **state)
{
    const struct iom_guard_counts prev = { 100, 30, 70 };
    char why[256];

    (void)state;
    assert_int_equal(check(100, 2, 98, NULL, "1", false, why),
                     IOM_EWITHHELD);
    assert_non_null(strstr(why, "--max-rejected"));
    assert_int_equal(check(100, 1, 99, NULL, "1", false, why), IOM_OK);
    /* A percentage given is the limit: no floor, no previous run. */
    assert_int_equal(check(100, 3, 97, &prev, "2%", false, why),
                     IOM_EWITHHELD);
    assert_int_equal(check(100, 90, 10, NULL, "100%", false, why), IOM_OK);
}

static void
test_guard_a_selection_cut_short_is_withheld(void **state)
{
    const struct iom_guard_counts prev = { 50, 0, 50 };
    const struct iom_guard_counts small = { 10, 0, 10 };
    char why[256];

    (void)state;
    /* The sample cut at 20,000 bytes: 22 of 50 projects. */
    assert_int_equal(check(23, 1, 22, &prev, NULL, false, why),
                     IOM_EWITHHELD);
    assert_non_null(strstr(why, "22 projects where the previous run had 50"));
    assert_non_null(strstr(why, "--allow-shrink"));
    assert_int_equal(check(23, 1, 22, &prev, NULL, true, why), IOM_OK);
    /* A tenth may go, and 2 projects of a small label. */
    assert_int_equal(check(45, 0, 45, &prev, NULL, false, why), IOM_OK);
    assert_int_equal(check(44, 0, 44, &prev, NULL, false, why),
                     IOM_EWITHHELD);
    assert_int_equal(check(8, 0, 8, &small, NULL, false, why), IOM_OK);
    assert_int_equal(check(7, 0, 7, &small, NULL, false, why),
                     IOM_EWITHHELD);
    /* Growth is news, not damage. */
    assert_int_equal(check(90, 0, 90, &prev, NULL, false, why), IOM_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guard_limit_parses_counts_and_percentages),
        cmocka_unit_test(test_guard_default_withholds_a_night_that_lost_most_records),
        cmocka_unit_test(test_guard_a_few_bad_rows_never_stop_a_night),
        cmocka_unit_test(test_guard_every_record_rejected_is_withheld),
        cmocka_unit_test(test_guard_previous_share_and_margin_are_allowed),
        cmocka_unit_test(test_guard_operator_limit_is_the_rule),
        cmocka_unit_test(test_guard_a_selection_cut_short_is_withheld),
    };

    return cmocka_run_group_tests_name("guard", tests, NULL, NULL);
}
