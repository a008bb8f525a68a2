/*
 * test_publish: the run folder's life in a temporary DIR: staging, the
 * atomic swap of DIR/LABEL, the lock (held by another process), leftovers
 * of killed runs, pruning, and folders that cannot be created.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iom/publish.h"

#include "fixture.h"

static int
setup(void **state)
{
    char *base = malloc(64);

    if (base == NULL)
        return -1;
    fixture_tmpdir(base, 64, "iom_pub");
    *state = base;
    return 0;
}

static int
teardown(void **state)
{
    char *base = *state;
    int rc = iom_remove_tree(base);

    free(base);
    return rc;
}

/* "A/B" or "A/B/C" (c may be NULL) in one of a few static buffers. */
static char *
path3(const char *a, const char *b, const char *c)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];

    snprintf(p, sizeof buf[0], "%s/%s%s%s", a, b, c ? "/" : "",
             c ? c : "");
    return p;
}

static char *
path(const char *a, const char *b)
{
    return path3(a, b, NULL);
}

static bool
is_dir(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Entries of 'dir' whose names start with 'prefix'. */
static size_t
count_entries(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

/* Publish one run of 'label' under 'dir' holding a file with 'text'. */
static void
publish_once(const char *dir, const char *label, const char *text, int keep)
{
    struct iom_publish p;

    assert_int_equal(iom_publish_begin(&p, dir, label, -1), IOM_OK);
    fixture_write_file(p.staging, "summary.pdf", text);
    assert_int_equal(iom_publish_commit(&p, keep), IOM_OK);
    iom_publish_release(&p);
}

static void
assert_published(const char *dir, const char *label, const char *text)
{
    char link[512], *got;
    ssize_t n;
    struct stat st;

    n = readlink(path(dir, label), link, sizeof link - 1);
    assert_true(n > 0);
    link[n] = '\0';
    /* Relative and inside DIR. */
    assert_null(strchr(link, '/'));
    assert_true(strncmp(link, ".", 1) == 0);
    assert_int_equal(lstat(path(dir, label), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    got = fixture_read_file(path3(dir, label, "summary.pdf"), NULL);
    assert_string_equal(got, text);
    free(got);
}

static void
test_publish_begin_creates_dir_and_staging(void **state)
{
    const char *base = *state;
    char dir[512], exp[600];
    struct iom_publish p;

    snprintf(dir, sizeof dir, "%s/out/deep", base);
    assert_int_equal(iom_publish_begin(&p, dir, "2001", -1), IOM_OK);
    assert_true(is_dir(dir));
    assert_non_null(p.staging);
    snprintf(exp, sizeof exp, "%s/.2001.staging-%ld", dir, (long)getpid());
    assert_string_equal(p.staging, exp);
    assert_true(is_dir(p.staging));
    iom_publish_release(&p);
    /* Released without commit: the staging folder is gone. */
    assert_false(is_dir(exp));
    assert_int_equal(count_entries(dir, "2001"), 0);
}

static void
test_publish_commit_links_label_to_run_folder(void **state)
{
    const char *base = *state;
    struct iom_publish p;
    char staging[600];

    assert_int_equal(iom_publish_begin(&p, base, "2001", -1), IOM_OK);
    snprintf(staging, sizeof staging, "%s", p.staging);
    fixture_write_file(p.staging, "summary.pdf", "first");
    assert_int_equal(mkdir(path(p.staging, "briefs"), 0755), 0);
    fixture_write_file(p.staging, "briefs/T81-805.pdf", "brief");
    assert_int_equal(iom_publish_commit(&p, 2), IOM_OK);
    iom_publish_release(&p);
    assert_false(is_dir(staging));
    assert_published(base, "2001", "first");
    assert_int_equal(access(path3(base, "2001", "briefs/T81-805.pdf"),
                            R_OK), 0);
    assert_int_equal(count_entries(base, ".2001.run-"), 1);
    /* A second run replaces what DIR/LABEL shows. */
    publish_once(base, "2001", "second", 2);
    assert_published(base, "2001", "second");
    assert_int_equal(count_entries(base, ".2001.run-"), 2);
}

static void
test_publish_keep_prunes_older_run_folders(void **state)
{
    const char *base = *state;
    int i;

    for (i = 0; i < 5; i++) {
        char text[16];

        snprintf(text, sizeof text, "run %d", i);
        publish_once(base, "all", text, 2);
        assert_published(base, "all", text);
        assert_int_equal(count_entries(base, ".all.run-"), i < 2 ? i + 1 :
                         2);
    }
    publish_once(base, "all", "last", 1);
    assert_int_equal(count_entries(base, ".all.run-"), 1);
    assert_published(base, "all", "last");
    assert_int_equal(count_entries(base, ".all.staging-"), 0);
    assert_int_equal(count_entries(base, ".all.link-"), 0);
}

static void
test_publish_leftovers_removed_by_next_begin(void **state)
{
    const char *base = *state;
    struct iom_publish p;

    assert_int_equal(mkdir(path(base, ".2002.staging-99999"), 0755), 0);
    fixture_write_file(path(base, ".2002.staging-99999"), "half.pdf",
                       "partial");
    assert_int_equal(mkdir(path(base, ".2002.staging-1"), 0755), 0);
    assert_int_equal(symlink("nowhere", path(base, ".2002.link-4242")), 0);
    assert_int_equal(iom_publish_begin(&p, base, "2002", -1), IOM_OK);
    assert_false(is_dir(path(base, ".2002.staging-99999")));
    assert_false(is_dir(path(base, ".2002.staging-1")));
    assert_int_equal(count_entries(base, ".2002.link-"), 0);
    assert_true(is_dir(p.staging));
    iom_publish_release(&p);
}

/* A child takes the lock and holds it until told to go. */
static pid_t
hold_lock(const char *dir, const char *label, int *go_fd)
{
    int ready[2], go[2];
    pid_t pid;
    char c;

    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct iom_publish p;

        close(ready[0]);
        close(go[1]);
        if (iom_publish_begin(&p, dir, label, -1) != IOM_OK)
            _exit(1);
        if (write(ready[1], "r", 1) != 1)
            _exit(1);
        if (read(go[0], &c, 1) < 0)
            _exit(1);
        iom_publish_release(&p);
        _exit(0);
    }
    close(ready[1]);
    close(go[0]);
    assert_int_equal(read(ready[0], &c, 1), 1);
    close(ready[0]);
    *go_fd = go[1];
    return pid;
}

static void
release_lock(pid_t pid, int go_fd)
{
    int status;

    assert_int_equal(write(go_fd, "g", 1), 1);
    close(go_fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_publish_second_begin_while_locked_fails(void **state)
{
    const char *base = *state;
    struct iom_publish p;
    int go_fd;
    pid_t pid = hold_lock(base, "2003", &go_fd);
    size_t stagings;

    stagings = count_entries(base, ".2003.staging-");
    assert_int_equal(stagings, 1);
    assert_int_equal(iom_publish_begin(&p, base, "2003", -1), IOM_ELOCKED);
    iom_publish_release(&p);
    /* The holder's staging folder is left alone. */
    assert_int_equal(count_entries(base, ".2003.staging-"), 1);
    /* A wait of one second gives up too. */
    assert_int_equal(iom_publish_begin(&p, base, "2003", 1), IOM_ELOCKED);
    iom_publish_release(&p);
    /* Another label is not locked. */
    assert_int_equal(iom_publish_begin(&p, base, "2004", -1), IOM_OK);
    iom_publish_release(&p);
    release_lock(pid, go_fd);
    assert_int_equal(iom_publish_begin(&p, base, "2003", -1), IOM_OK);
    iom_publish_release(&p);
}

static void
test_publish_wait_gets_lock_when_released(void **state)
{
    const char *base = *state;
    struct iom_publish p;
    int go_fd;
    pid_t pid = hold_lock(base, "w", &go_fd), killer;

    killer = fork();
    assert_true(killer >= 0);
    if (killer == 0) {
        /* Let the holder go after a moment. */
        usleep(300 * 1000);
        if (write(go_fd, "g", 1) != 1)
            _exit(1);
        _exit(0);
    }
    assert_int_equal(iom_publish_begin(&p, base, "w", 10), IOM_OK);
    iom_publish_release(&p);
    assert_int_equal(waitpid(killer, NULL, 0), killer);
    close(go_fd);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
}

static void
test_publish_dir_under_regular_file_cannot_be_created(void **state)
{
    const char *base = *state;
    struct iom_publish p;
    char dir[512];

    fixture_write_file(base, "plain", "x");
    snprintf(dir, sizeof dir, "%s/plain/out", base);
    assert_int_equal(iom_publish_begin(&p, dir, "2001", -1),
                     IOM_ECANTCREAT);
    iom_publish_release(&p);
    assert_int_equal(iom_publish_begin(&p, path(base, "plain"), "2001", -1),
                     IOM_ECANTCREAT);
    iom_publish_release(&p);
}

static void
test_publish_plain_folder_label_replaced_atomically(void **state)
{
    const char *base = *state;

    /* DIR/LABEL as an ordinary folder, as before run folders existed. */
    assert_int_equal(mkdir(path(base, "old"), 0755), 0);
    fixture_write_file(path(base, "old"), "summary.pdf", "legacy");
    publish_once(base, "old", "new", 2);
    assert_published(base, "old", "new");
}

/*
 * Labels may hold '.' and '-', so one label's folders can look like
 * another's: ".x.run-1.run-STAMP" (label "x.run-1") starts with ".x.run-"
 * (label "x").  Pruning "x" must not remove the folder "x.run-1" shows.
 */
static void
test_publish_prune_leaves_other_labels_alone(void **state)
{
    const char *base = *state;

    publish_once(base, "x.run-1", "other label", 2);
    publish_once(base, "x", "one", 2);
    publish_once(base, "x", "two", 2);
    assert_published(base, "x", "two");
    assert_published(base, "x.run-1", "other label");
}

/* Same for a live staging folder of label "y.staging-1". */
static void
test_publish_leftover_cleanup_leaves_other_labels_alone(void **state)
{
    const char *base = *state;
    struct iom_publish other, p;
    bool kept;

    assert_int_equal(iom_publish_begin(&other, base, "y.staging-1", -1),
                     IOM_OK);
    assert_int_equal(iom_publish_begin(&p, base, "y", -1), IOM_OK);
    kept = is_dir(other.staging);
    iom_publish_release(&p);
    iom_publish_release(&other);
    assert_true(kept);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_publish_begin_creates_dir_and_staging, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_commit_links_label_to_run_folder, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_keep_prunes_older_run_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_leftovers_removed_by_next_begin, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_second_begin_while_locked_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_wait_gets_lock_when_released, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_dir_under_regular_file_cannot_be_created, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_plain_folder_label_replaced_atomically, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_prune_leaves_other_labels_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_leftover_cleanup_leaves_other_labels_alone, setup,
            teardown),
    };

    return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
