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

/* What drawing each of counts[0..n) of 'total', then ending, prints;
 * whether the line was left open before it ended. */
static char *
draw(bool on, const size_t *counts, size_t n, size_t total, bool *open)
{
    struct iom_progress p = { on, false, 0 };
    size_t i;

    fixture_capture_begin(STDERR_FILENO);
    for (i = 0; i < n; i++)
        iom_progress_show(&p, counts[i], total);
    *open = p.open;
    iom_progress_end(&p);
    iom_progress_end(&p);
    assert_false(p.open);
    return fixture_capture_end();
}

static void
test_progress_draws_each_count_once(void **state)
{
    static const size_t counts[] = { 1, 1, 3 };
    bool open;
    char *got = draw(true, counts, 3, 3, &open);

    (void)state;
    assert_string_equal(got,
        "\riomreport: rendering [##########--------------------] 1/3"
        "\riomreport: rendering [##############################] 3/3\n");
    assert_false(open);
    free(got);
}

static void
test_progress_ended_early_ends_its_line(void **state)
{
    static const size_t counts[] = { 1 };
    bool open;
    char *got = draw(true, counts, 1, 2, &open);

    (void)state;
    assert_string_equal(got,
        "\riomreport: rendering [###############---------------] 1/2\n");
    assert_true(open);
    free(got);
}

static void
test_progress_off_draws_nothing(void **state)
{
    static const size_t counts[] = { 1, 2 };
    bool open;
    char *got = draw(false, counts, 2, 2, &open);

    (void)state;
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
