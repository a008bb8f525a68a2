/*
 * test_status: every status has its text (the drift check of the one list)
 * and maps to the sysexits.h status of the README's exit table.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "iom/status.h"

static void
test_status_every_code_has_text(void **state)
{
    int s, t;

    (void)state;
    for (s = 0; s < IOM_STATUS_COUNT; s++) {
        const char *got = iom_strerror((enum iom_status)s);

        assert_non_null(got);
        assert_true(strlen(got) > 0);
        assert_string_not_equal(got, "unknown error");
        for (t = 0; t < s; t++)
            assert_string_not_equal(got, iom_strerror((enum iom_status)t));
    }
}

static void
test_status_out_of_range_gives_fallback_text(void **state)
{
    (void)state;
    assert_string_equal(iom_strerror(IOM_STATUS_COUNT), "unknown error");
    assert_string_equal(iom_strerror((enum iom_status)-1), "unknown error");
    assert_string_equal(iom_strerror((enum iom_status)1000),
                        "unknown error");
}

static void
test_status_exit_codes_follow_spec(void **state)
{
    /* Every status, in the order of the list. */
    static const struct { enum iom_status s; int exp; } cases[] = {
        { IOM_OK,          0 },
        { IOM_ENOMEM,      71 },
        { IOM_EUSAGE,      64 },
        { IOM_ENOINPUT,    66 },
        { IOM_ECSV,        66 },
        { IOM_EINVALID,    65 },
        { IOM_EOVERFLOW,   65 },
        { IOM_EREJECTED,   65 },
        { IOM_ESTRICT,     65 },
        { IOM_ECANTCREAT,  73 },
        { IOM_ENOTOURS,    73 },
        { IOM_EIO,         74 },
        { IOM_EPDF,        74 },
        { IOM_EXLSX,       74 },
        { IOM_EFONT,       72 },
        { IOM_ELOCKED,     75 },
        { IOM_EINTR,       130 },
        { IOM_ESMTP,       75 },
        { IOM_EREFUSED,    67 },
        { IOM_EJSON,       65 },
        { IOM_ENOMATCH,    65 },
    };
    size_t i;

    (void)state;
    assert_int_equal(sizeof cases / sizeof cases[0], IOM_STATUS_COUNT);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(cases[i].s, i);
        assert_int_equal(iom_exit_code(cases[i].s), cases[i].exp);
    }
}

/* An overflow, a bad record and bad JSON are told apart. */
static void
test_status_overflow_record_and_json_differ(void **state)
{
    (void)state;
    assert_int_not_equal(IOM_EOVERFLOW, IOM_EINVALID);
    assert_int_not_equal(IOM_EJSON, IOM_EINVALID);
    assert_string_equal(iom_strerror(IOM_EOVERFLOW),
                        "a total does not fit in 64 bits");
    assert_string_equal(iom_strerror(IOM_EINVALID), "invalid record");
    assert_string_equal(iom_strerror(IOM_EJSON), "malformed JSON");
}

static void
test_status_every_failure_exits_nonzero(void **state)
{
    int s;

    (void)state;
    for (s = 1; s < IOM_STATUS_COUNT; s++) {
        int got = iom_exit_code((enum iom_status)s);

        assert_true(got > 0 && got < 256);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_every_code_has_text),
        cmocka_unit_test(test_status_out_of_range_gives_fallback_text),
        cmocka_unit_test(test_status_exit_codes_follow_spec),
        cmocka_unit_test(test_status_overflow_record_and_json_differ),
        cmocka_unit_test(test_status_every_failure_exits_nonzero),
    };

    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
