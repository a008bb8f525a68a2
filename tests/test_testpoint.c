/*
 * test_testpoint: a point that is not asked for does nothing; the point
 * asked for says its name and waits until it is let go.
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

/* A plain file stands in for the FIFO: a point that wrongly matched would
 * write its line there (and read it back) instead of blocking. */
static void
test_testpoint_other_points_do_nothing(void **state)
{
    char dir[64], file[96];
    char *text;
    size_t len;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_tp");
    fixture_write_file(dir, "points", "");
    snprintf(file, sizeof file, "%s/points", dir);
    setenv("IOMREPORT_TEST_FIFO", file, 1);
    setenv("IOMREPORT_TEST_PAUSE", "rendered:a.pdf", 1);
    iom_testpoint("rendered", "b.pdf");
    iom_testpoint("rendered", NULL);
    iom_testpoint("locked", NULL);
    iom_testpoint("rendered", "a.pdf.x");
    unsetenv("IOMREPORT_TEST_PAUSE");
    iom_testpoint("rendered", "a.pdf");
    unsetenv("IOMREPORT_TEST_FIFO");
    text = fixture_read_file(file, &len);
    assert_int_equal(len, 0);
    free(text);
    /* The same file sees the point that matches: the check can fail. */
    setenv("IOMREPORT_TEST_FIFO", file, 1);
    setenv("IOMREPORT_TEST_PAUSE", "rendered:a.pdf", 1);
    iom_testpoint("rendered", "a.pdf");
    unsetenv("IOMREPORT_TEST_PAUSE");
    unsetenv("IOMREPORT_TEST_FIFO");
    text = fixture_read_file(file, &len);
    assert_string_equal(text, "rendered:a.pdf\n");
    free(text);
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
    fixture_tmpdir(dir, sizeof dir, "iom_tp");
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(done, sizeof done, "%s/done", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("IOMREPORT_TEST_FIFO", fifo, 1);
        setenv("IOMREPORT_TEST_PAUSE", "rendered:a.pdf", 1);
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
    };

    return cmocka_run_group_tests_name("testpoint", tests, NULL, NULL);
}
