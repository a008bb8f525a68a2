/*
 * test_stop: a stop signal is recorded and turns the next IOM_OK into
 * IOM_EINTR; a crash says what the run was doing and exits 128 + N.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iom/stop.h"

#include "fixture.h"

static void
test_stop_signal_is_recorded(void **state)
{
    (void)state;
    iom_stop_catch("testing");
    assert_int_equal(iom_stop_signal(), 0);
    assert_int_equal(iom_stop_check(IOM_OK), IOM_OK);
    assert_int_equal(raise(SIGTERM), 0);
    assert_int_equal(iom_stop_signal(), SIGTERM);
    assert_int_equal(*iom_stop_flag(), SIGTERM);
    assert_int_equal(iom_stop_check(IOM_OK), IOM_EINTR);
    /* A failure of its own stays what it is. */
    assert_int_equal(iom_stop_check(IOM_EIO), IOM_EIO);
}

/* Crash a child that was doing 'doing'; its standard error comes back. */
static char *
crash_child(const char *doing, int sig, int *status)
{
    char *said;
    pid_t pid;

    fixture_capture_begin(STDERR_FILENO);
    pid = fork();
    if (pid == 0) {
        iom_stop_catch(doing);
        raise(sig);
        _exit(0);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, status, 0), pid);
    said = fixture_capture_end();
    return said;
}

static void
test_crash_says_the_stage(void **state)
{
    static const struct {
        const char *doing;
        int sig;
        const char *said;
    } cases[] = {
        { "rendering 'out/2001'", SIGSEGV, "iomreport: crashed (signal 11) "
          "while rendering 'out/2001'; nothing published\n" },
        /* Before the first stage is named. */
        { "", SIGABRT, "iomreport: crashed (signal 6) while starting; "
          "nothing published\n" },
    };
    size_t i;
    int status;
    char *said;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        said = crash_child(cases[i].doing, cases[i].sig, &status);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 128 + cases[i].sig);
        assert_string_equal(said, cases[i].said);
        free(said);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crash_says_the_stage),
        cmocka_unit_test(test_stop_signal_is_recorded),
    };

    return cmocka_run_group_tests_name("stop", tests, NULL, NULL);
}
