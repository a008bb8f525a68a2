/*
 * test_progress: the rendering bar is drawn once per count, ends its line
 * when done or when ended early, and draws nothing when off.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "iom/progress.h"

#include "fixture.h"

static void
test_progress_draws_each_count_once(void **state)
{
    struct iom_progress p = { true, false, 0 };
    char *got;

    (void)state;
    fixture_capture_begin(STDERR_FILENO);
    iom_progress_show(&p, 1, 3);
    iom_progress_show(&p, 1, 3);
    iom_progress_show(&p, 3, 3);
    iom_progress_end(&p);
    got = fixture_capture_end();
    assert_string_equal(got,
        "\riomreport: rendering [##########--------------------] 1/3"
        "\riomreport: rendering [##############################] 3/3\n");
    assert_false(p.open);
    free(got);
}

static void
test_progress_ended_early_ends_its_line(void **state)
{
    struct iom_progress p = { true, false, 0 };
    char *got;

    (void)state;
    fixture_capture_begin(STDERR_FILENO);
    iom_progress_show(&p, 1, 2);
    assert_true(p.open);
    iom_progress_end(&p);
    iom_progress_end(&p);
    got = fixture_capture_end();
    assert_string_equal(got,
        "\riomreport: rendering [###############---------------] 1/2\n");
    free(got);
}

static void
test_progress_off_draws_nothing(void **state)
{
    struct iom_progress p = { false, false, 0 };
    char *got;

    (void)state;
    fixture_capture_begin(STDERR_FILENO);
    iom_progress_show(&p, 1, 2);
    iom_progress_show(&p, 2, 2);
    iom_progress_end(&p);
    got = fixture_capture_end();
    assert_string_equal(got, "");
    free(got);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_draws_each_count_once),
        cmocka_unit_test(test_progress_ended_early_ends_its_line),
        cmocka_unit_test(test_progress_off_draws_nothing),
    };

    return cmocka_run_group_tests_name("progress", tests, NULL, NULL);
}
