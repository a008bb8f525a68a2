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

#include "iom/msg.h"
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

/* How a crashed child stood: published, muting a library, sharing its
 * crash line with workers that may have said theirs. */
enum crash_when { BEFORE, PUBLISHED, MUTED, SAID_BY_ANOTHER };

/* Crash a child that was doing 'doing'; its standard error comes back. */
static char *
crash_child(const char *doing, int sig, enum crash_when when, int *status)
{
    static atomic_int said_by_another = 1;
    char *said;
    pid_t pid;

    fixture_capture_begin(STDERR_FILENO);
    pid = fork();
    if (pid == 0) {
        iom_stop_catch(doing);
        if (when == PUBLISHED)
            iom_stop_published();
        if (when == MUTED)
            iom_msg_mute();
        if (when == SAID_BY_ANOTHER)
            iom_stop_share_said(&said_by_another);
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
        enum crash_when when;
        const char *said;
    } cases[] = {
        { "rendering 'out/2001'", SIGSEGV, BEFORE, "iomreport: crashed "
          "(signal 11) while rendering 'out/2001'; nothing published\n" },
        /* Before the first stage is named. */
        { "", SIGABRT, BEFORE, "iomreport: crashed (signal 6) while "
          "starting; nothing published\n" },
        /* While mailing: the run stays published. */
        { "mailing the stakeholders", SIGSEGV, PUBLISHED, "iomreport: "
          "crashed (signal 11) while mailing the stakeholders; the run was "
          "published, and what was not mailed goes with the next run\n" },
        /* Inside a library that was muted: the line still comes out. */
        { "rendering 'out/2001'", SIGSEGV, MUTED, "iomreport: crashed "
          "(signal 11) while rendering 'out/2001'; nothing published\n" },
        /* Another worker said why the run fails: once is enough. */
        { "rendering 'out/2001'", SIGSEGV, SAID_BY_ANOTHER, "" },
    };
    size_t i;
    int status;
    char *said;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        said = crash_child(cases[i].doing, cases[i].sig, cases[i].when,
                           &status);
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
