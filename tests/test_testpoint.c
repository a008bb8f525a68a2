/*
 * test_testpoint: a point that is not asked for does nothing; the point
 * asked for says its name and waits until it is let go; a path that is
 * not a FIFO is never written to.  Built with IOM_TEST_POINTS, as every
 * test build is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iom/publish.h"
#include "iom/testpoint.h"

#include "fixture.h"

/* A new folder into 'dir' holding a FIFO, its path into 'fifo'. */
static void
fifo_in_tmpdir(char *dir, size_t dir_size, char *fifo, size_t fifo_size)
{
    fixture_tmpdir(dir, dir_size, "iom_tp");
    snprintf(fifo, fifo_size, "%s/fifo", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
}

/* A child told to pause at 'want' through 'fifo': its pid, 0 in it. */
static pid_t
fork_pausing(const char *fifo, const char *want)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("IOMREPORT_TEST_FIFO", fifo, 1);
        setenv("IOMREPORT_TEST_PAUSE", want, 1);
    }
    return pid;
}

/*
 * Answer the points a child reaches on 'fifo' (read its line, write one
 * back) until it says 'last'; the lines it said before go to 'said'.
 */
static void
answer_until(const char *fifo, const char *last, char *said, size_t size)
{
    char line[64];
    FILE *f;

    said[0] = '\0';
    do {
        line[0] = '\0';
        f = fopen(fifo, "r");
        assert_non_null(f);
        assert_non_null(fgets(line, sizeof line, f));
        fclose(f);
        if (strcmp(line, last) != 0)
            strncat(said, line, size - strlen(said) - 1);
        f = fopen(fifo, "w");
        assert_non_null(f);
        fputs("go\n", f);
        fclose(f);
    } while (strcmp(line, last) != 0);
}

/* A child reaches points that are not asked for, then one that is: the
 * test hears that one alone. */
static void
test_testpoint_other_points_do_nothing(void **state)
{
    char dir[64], fifo[96], said[256];
    pid_t pid;
    int status;

    (void)state;
    fifo_in_tmpdir(dir, sizeof dir, fifo, sizeof fifo);
    pid = fork_pausing(fifo, "rendered:a.pdf");
    if (pid == 0) {
        iom_testpoint("rendered", "b.pdf");
        iom_testpoint("rendered", NULL);
        iom_testpoint("locked", NULL);
        iom_testpoint("rendered", "a.pdf.x");
        unsetenv("IOMREPORT_TEST_PAUSE");
        iom_testpoint("rendered", "a.pdf");
        setenv("IOMREPORT_TEST_PAUSE", "rendered:a.pdf", 1);
        unsetenv("IOMREPORT_TEST_FIFO");
        iom_testpoint("rendered", "a.pdf");
        setenv("IOMREPORT_TEST_FIFO", fifo, 1);
        setenv("IOMREPORT_TEST_PAUSE", "published", 1);
        iom_testpoint("published", NULL);
        _exit(0);
    }
    answer_until(fifo, "published\n", said, sizeof said);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_string_equal(said, "");
    assert_int_equal(iom_remove_tree(dir), 0);
}

/*
 * IOMREPORT_TEST_FIFO naming a plain file, or a link to one: the point
 * asked for neither writes into it nor waits.
 */
static void
test_testpoint_leaves_what_is_not_a_fifo_alone(void **state)
{
    char dir[64], file[96], link[96];
    const char *const paths[] = { file, link };
    size_t i;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_tp");
    fixture_write_file(dir, "precious", "precious data\n");
    snprintf(file, sizeof file, "%s/precious", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    assert_int_equal(symlink("precious", link), 0);
    setenv("IOMREPORT_TEST_PAUSE", "locked", 1);
    for (i = 0; i < sizeof paths / sizeof *paths; i++) {
        char *text;

        setenv("IOMREPORT_TEST_FIFO", paths[i], 1);
        iom_testpoint("locked", NULL);
        text = fixture_read_file(file, NULL);
        assert_string_equal(text, "precious data\n");
        free(text);
    }
    unsetenv("IOMREPORT_TEST_PAUSE");
    unsetenv("IOMREPORT_TEST_FIFO");
    assert_int_equal(iom_remove_tree(dir), 0);
}

static void
test_testpoint_says_its_name_and_waits(void **state)
{
    char dir[64], fifo[96], line[64] = "", done[96];
    FILE *f;
    pid_t pid;
    int status;

    (void)state;
    fifo_in_tmpdir(dir, sizeof dir, fifo, sizeof fifo);
    snprintf(done, sizeof done, "%s/done", dir);
    pid = fork_pausing(fifo, "rendered:a.pdf");
    if (pid == 0) {
        iom_testpoint("rendered", "a.pdf");
        /* Reached only once the test let it go. */
        fclose(fopen(done, "w"));
        _exit(0);
    }
    f = fopen(fifo, "r");
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    fclose(f);
    assert_string_equal(line, "rendered:a.pdf\n");
    /* It waits: nothing done until the line is written. */
    assert_int_equal(access(done, F_OK), -1);
    f = fopen(fifo, "w");
    assert_non_null(f);
    fputs("go\n", f);
    fclose(f);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(access(done, F_OK), 0);
    assert_int_equal(iom_remove_tree(dir), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_testpoint_other_points_do_nothing),
        cmocka_unit_test(test_testpoint_says_its_name_and_waits),
        cmocka_unit_test(test_testpoint_leaves_what_is_not_a_fifo_alone),
    };

    return cmocka_run_group_tests_name("testpoint", tests, NULL, NULL);
}
