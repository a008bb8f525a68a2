/*
 * test_msg: every line has the prefix and stays one line; held lines wait
 * for a decision, then are said in order or dropped as never said.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/msg.h"

#include "fixture.h"

static void
test_msg_lines_are_prefixed_and_escaped(void **state)
{
    char *out;

    (void)state;
    fixture_capture_begin(STDERR_FILENO);
    iom_errorf("a:%d: %s", 3, "two\nlines");
    iom_warnf("careful");
    out = fixture_capture_end();
    assert_string_equal(out, "iomreport: a:3: two\\nlines\n"
                             "iomreport: warning: careful\n");
    free(out);
}

/*
 * Hold an error and a warning, say a line that is not held, release them
 * ('say' or not) and say one more: what came out, and the counts it
 * added (errors, warnings).
 */
static char *
hold_and_release(bool say, unsigned long *errors, unsigned long *warnings)
{
    unsigned long e = iom_msg_error_count(), w = iom_msg_warning_count();

    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_msg_hold(), IOM_OK);
    iom_errorf("held");
    iom_warnf("held too");
    assert_int_equal(iom_msg_error_count(), e + 1);
    iom_infof("not held");
    iom_msg_release(say);
    iom_msg_release(true);          /* nothing held: nothing to say */
    iom_errorf("after");
    *errors = iom_msg_error_count() - e;
    *warnings = iom_msg_warning_count() - w;
    return fixture_capture_end();
}

static void
test_msg_held_lines_are_said_in_order_on_release(void **state)
{
    unsigned long errors, warnings;
    char *out = hold_and_release(true, &errors, &warnings);

    (void)state;
    assert_string_equal(out, "iomreport: not held\n"
                             "iomreport: held\n"
                             "iomreport: warning: held too\n"
                             "iomreport: after\n");
    assert_int_equal(errors, 2);
    assert_int_equal(warnings, 1);
    free(out);
}

static void
test_msg_dropped_lines_were_never_said(void **state)
{
    unsigned long errors, warnings;
    char *out = hold_and_release(false, &errors, &warnings);

    (void)state;
    assert_string_equal(out, "iomreport: not held\n"
                             "iomreport: after\n");
    assert_int_equal(errors, 1);
    assert_int_equal(warnings, 0);
    free(out);
}

/* A muted library's own lines are dropped; iomreport's still come out,
 * and so do held ones said while it is muted. */
static void
test_msg_muted_library_lines_dropped_ours_kept(void **state)
{
    static const char library[] = "[ERROR] workbook_close(): zip\n";
    char *out;
    int muted;

    (void)state;
    fixture_capture_begin(STDERR_FILENO);
    muted = iom_msg_mute();
    assert_true(muted >= 0);
    assert_int_equal(iom_msg_mute(), -1);      /* muted already */
    assert_int_equal(write(STDERR_FILENO, library, sizeof library - 1),
                     (ssize_t)(sizeof library - 1));
    fprintf(stderr, "%s", library);
    iom_errorf("cannot write 'rollup.xlsx'");
    assert_int_equal(iom_msg_hold(), IOM_OK);
    iom_warnf("held");
    iom_msg_flush();
    iom_msg_release(true);
    iom_msg_unmute(muted);
    iom_errorf("after");
    out = fixture_capture_end();
    assert_string_equal(out, "iomreport: cannot write 'rollup.xlsx'\n"
                             "iomreport: warning: held\n"
                             "iomreport: after\n");
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_msg_lines_are_prefixed_and_escaped),
        cmocka_unit_test(test_msg_held_lines_are_said_in_order_on_release),
        cmocka_unit_test(test_msg_dropped_lines_were_never_said),
        cmocka_unit_test(test_msg_muted_library_lines_dropped_ours_kept),
    };

    return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
