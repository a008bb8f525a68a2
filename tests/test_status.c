/*
 * test_status: every status has its text (the drift check of the one list)
 * and maps to the sysexits.h status of the README's exit table; the
 * immediate exit keeps its code and flushes no stdio buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
        { IOM_EWITHHELD,   65 },
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
        { IOM_EUNSURE,     75 },
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

/* A forked child with a line in its stdout buffer: the pipe gets nothing,
 * where exit() would have flushed it. */
static void
test_status_exit_now_keeps_code_skips_stdio(void **state)
{
    int fd[2], status;
    char c;
    pid_t pid;

    (void)state;
    assert_int_equal(pipe(fd), 0);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fd[0]);
        if (dup2(fd[1], STDOUT_FILENO) < 0)
            iom_exit_now(1);
        setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
        fputs("unflushed\n", stdout);
        iom_exit_now(42);
    }
    close(fd[1]);
    assert_int_equal(read(fd[0], &c, 1), 0);
    close(fd[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 42);
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
        cmocka_unit_test(test_status_exit_now_keeps_code_skips_stdio),
    };

    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
