/*
 * test_record: the calendar (month lengths, leap years), date formatting,
 * and the one copy per distinct shared string.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "iom/record.h"

static void
test_record_days_in_month_follow_the_gregorian_calendar(void **state)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };
    int m;

    (void)state;
    for (m = 1; m <= 12; m++)
        assert_int_equal(iom_days_in_month(2001, m), days[m - 1]);
    assert_int_equal(iom_days_in_month(2004, 2), 29);
    assert_int_equal(iom_days_in_month(2000, 2), 29);   /* by 400 */
    assert_int_equal(iom_days_in_month(2100, 2), 28);   /* by 100, not 400 */
    assert_int_equal(iom_days_in_month(1900, 2), 28);
    assert_int_equal(iom_days_in_month(2004, 3), 31);
}

static void
test_record_date_format_shows_the_precision_given(void **state)
{
    struct iom_date y = { 2001, 0, 0, IOM_DATE_YEAR };
    struct iom_date m = { 2001, 5, 0, IOM_DATE_MONTH };
    struct iom_date d = { 2004, 2, 29, IOM_DATE_DAY };
    struct iom_date none = { 0, 0, 0, IOM_DATE_NONE };
    char out[11];

    (void)state;
    assert_string_equal(iom_date_format(&y, out), "2001");
    assert_string_equal(iom_date_format(&m, out), "2001-05");
    assert_string_equal(iom_date_format(&d, out), "2004-02-29");
    assert_string_equal(iom_date_format(&none, out), "");
}

static void
test_record_shared_strings_are_one_copy_each(void **state)
{
    struct iom_recset rs;
    const char *a, *b, *c;
    char name[32];
    int i;

    (void)state;
    iom_recset_init(&rs);
    a = iom_recset_intern_shared(&rs, "Africa, more", 6);
    b = iom_recset_intern_shared(&rs, "Africa", 6);
    c = iom_recset_intern_shared(&rs, "africa", 6);
    assert_non_null(a);
    assert_string_equal(a, "Africa");
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, c);
    /* Past the first table: earlier copies are still found. */
    for (i = 0; i < 1000; i++) {
        int n = snprintf(name, sizeof name, "State %d", i);

        assert_non_null(iom_recset_intern_shared(&rs, name, (size_t)n));
    }
    assert_int_equal(rs.shared.n, 1002);
    assert_ptr_equal(iom_recset_intern_shared(&rs, "Africa", 6), a);
    iom_recset_release(&rs);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_days_in_month_follow_the_gregorian_calendar),
        cmocka_unit_test(test_record_date_format_shows_the_precision_given),
        cmocka_unit_test(test_record_shared_strings_are_one_copy_each),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
