/*
 * test_publish: the run folder's life in a temporary DIR: staging, the
 * atomic swap of DIR/LABEL, the lock (held by another process), leftovers
 * of killed runs, pruning, folders that cannot be created and memory
 * that runs out; and what publication must leave alone: a person's files
 * and folders, files it does not know, the published run, planted
 * symbolic links, and run-named folders that hold more or less than an
 * earlier version's run did.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iom/manifest.h"
#include "iom/publish.h"
#include "iom/select.h"

#include "failsync.h"
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

static bool
is_link(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

/* What the link 'p' holds, in a static buffer ("" when it is none). */
static const char *
link_text(const char *p)
{
    static char buf[128];
    ssize_t n = readlink(p, buf, sizeof buf - 1);

    buf[n > 0 ? n : 0] = '\0';
    return buf;
}

/* DIR/NAME still holds the file 'name' with 'text'. */
static void
assert_file_text(const char *dir, const char *name, const char *text)
{
    char *got = fixture_read_file(path(dir, name), NULL);

    assert_string_equal(got, text);
    free(got);
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

/*
 * A child that begins a run and ends without releasing it, as a killed
 * run does: its staging and scratch folders stay behind.
 */
static void
killed_run(const char *dir, const char *label)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        struct iom_publish p;

        if (iom_publish_begin(&p, dir, label, -1) != IOM_OK)
            _exit(1);
        fixture_write_file(p.staging, "half.pdf", "partial");
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* A begin that must be refused, making no folder of the label. */
static void
assert_begin_refused(const char *dir, const char *label)
{
    struct iom_publish p;
    char prefix[128];
    size_t before;

    snprintf(prefix, sizeof prefix, ".%s.", label);
    before = count_entries(dir, prefix);
    assert_int_equal(iom_publish_begin(&p, dir, label, -1), IOM_ENOTOURS);
    iom_publish_release(&p);
    /* The lock file may be new. */
    assert_true(count_entries(dir, prefix) - before <= 1);
    snprintf(prefix, sizeof prefix, "%s/.%s.lock", dir, label);
    assert_true(count_entries(dir, strrchr(prefix, '/') + 1) == 1);
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
    char name[64];

    killed_run(base, "2002");
    assert_int_equal(count_entries(base, ".2002.staging-"), 1);
    assert_int_equal(count_entries(base, ".2002.scratch-"), 1);
    /* A link a run killed while publishing leaves. */
    assert_int_equal(symlink(".2002.run-20260101T000000.000000000Z",
                             path(base, ".2002.link-4242")), 0);
    assert_int_equal(iom_publish_begin(&p, base, "2002", -1), IOM_OK);
    snprintf(name, sizeof name, ".2002.staging-%ld", (long)getpid());
    assert_int_equal(count_entries(base, ".2002.staging-"), 1);
    assert_int_equal(count_entries(base, name), 1);
    snprintf(name, sizeof name, ".2002.scratch-%ld", (long)getpid());
    assert_int_equal(count_entries(base, ".2002.scratch-"), 1);
    assert_int_equal(count_entries(base, name), 1);
    assert_int_equal(count_entries(base, ".2002.link-"), 0);
    iom_publish_release(&p);
    assert_int_equal(count_entries(base, ".2002."), 1);   /* the lock */
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

struct begin {
    struct iom_publish p;
    const char *dir;
};

static enum iom_status
begin(void *ctx)
{
    struct begin *b = ctx;
    enum iom_status st = iom_publish_begin(&b->p, b->dir, "2001", -1);

    if (st != IOM_OK)
        iom_publish_release(&b->p);
    return st;
}

/* Out of memory while making the folders is out of memory, not a folder
 * that cannot be made; a later begin cleans up after a failed one. */
static void
test_publish_begin_out_of_memory(void **state)
{
    const char *base = *state;
    struct begin b;

    b.dir = path3(base, "new", "out");
    assert_int_equal(fixture_fail_each_alloc(begin, &b, 1), IOM_OK);
    assert_true(is_dir(b.p.staging));
    iom_publish_release(&b.p);
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

/* A folder a person made at DIR/LABEL is neither taken over nor pruned. */
static void
test_publish_person_folder_at_label_refused(void **state)
{
    const char *base = *state;
    struct iom_publish p;

    assert_int_equal(mkdir(path(base, "2001"), 0755), 0);
    fixture_write_file(path(base, "2001"), "notes.txt", "mine");
    assert_begin_refused(base, "2001");
    assert_begin_refused(base, "2001");
    assert_true(is_dir(path(base, "2001")));
    assert_file_text(path(base, "2001"), "notes.txt", "mine");
    /* A folder made there while the run works is not replaced either. */
    assert_int_equal(iom_publish_begin(&p, base, "late", -1), IOM_OK);
    fixture_write_file(p.staging, "summary.pdf", "new");
    assert_int_equal(mkdir(path(base, "late"), 0755), 0);
    assert_int_equal(iom_publish_commit(&p, 1), IOM_ENOTOURS);
    iom_publish_release(&p);
    assert_true(is_dir(path(base, "late")));
    assert_int_equal(count_entries(base, ".late.run-"), 0);
    assert_int_equal(count_entries(base, ".late.staging-"), 0);
}

static void
test_publish_person_file_at_label_refused(void **state)
{
    const char *base = *state;

    fixture_write_file(base, "2001", "my file");
    assert_begin_refused(base, "2001");
    assert_false(is_link(path(base, "2001")));
    assert_file_text(base, "2001", "my file");
}

/*
 * A link at DIR/LABEL is ours only when it names one of our run folders:
 * not a folder elsewhere, not a folder that merely has a run folder's name.
 */
static void
test_publish_foreign_link_at_label_refused(void **state)
{
    const char *base = *state;
    static const char fake[] = ".2001.run-20260101T000000.000000000Z";

    assert_int_equal(mkdir(path(base, "elsewhere"), 0755), 0);
    fixture_write_file(path(base, "elsewhere"), "summary.pdf", "theirs");
    assert_int_equal(symlink("elsewhere", path(base, "2001")), 0);
    assert_begin_refused(base, "2001");
    assert_string_equal(link_text(path(base, "2001")), "elsewhere");
    assert_int_equal(unlink(path(base, "2001")), 0);
    assert_int_equal(mkdir(path(base, fake), 0755), 0);
    fixture_write_file(path(base, fake), "summary.pdf", "theirs");
    assert_int_equal(symlink(fake, path(base, "2001")), 0);
    assert_begin_refused(base, "2001");
    assert_string_equal(link_text(path(base, "2001")), fake);
    assert_file_text(path(base, fake), "summary.pdf", "theirs");
    assert_file_text(path(base, "elsewhere"), "summary.pdf", "theirs");
}

/*
 * The published run is never pruned, whatever its name says: a run
 * published while the clock was years ahead (here: renamed so) sorts
 * after every later run by name.  The later run is the newer one.
 */
static void
test_publish_future_stamped_run_not_pruned(void **state)
{
    const char *base = *state;
    static const char future[] = ".2001.run-20991231T235959.000000000Z";
    char run[128], *cur, *prev, *got;

    publish_once(base, "2001", "first", 2);
    snprintf(run, sizeof run, "%s", link_text(path(base, "2001")));
    assert_int_equal(rename(path(base, run), path(base, future)), 0);
    assert_int_equal(unlink(path(base, "2001")), 0);
    assert_int_equal(symlink(future, path(base, "2001")), 0);
    assert_published(base, "2001", "first");
    publish_once(base, "2001", "second", 1);
    assert_published(base, "2001", "second");
    assert_int_equal(count_entries(base, ".2001.run-"), 1);
    assert_false(is_dir(path(base, future)));
    publish_once(base, "2001", "third", 2);
    publish_once(base, "2001", "fourth", 2);
    assert_published(base, "2001", "fourth");
    assert_int_equal(count_entries(base, ".2001.run-"), 2);
    /* Kept by publication order: the other one is "third". */
    cur = iom_publish_current(base, "2001");
    prev = iom_publish_previous(base, "2001", cur);
    assert_non_null(prev);
    got = fixture_read_file(path(prev, "summary.pdf"), NULL);
    assert_string_equal(got, "third");
    free(got);
    free(prev);
    free(cur);
}

/*
 * Pruning and cleanup touch only our run, staging, scratch and link
 * names, and only folders that carry our marker: a folder a person gave a
 * run or staging folder's name, a link with such a name, the label's
 * delivery log and any other file stay.
 */
static void
test_publish_unknown_entries_survive_keep_one(void **state)
{
    const char *base = *state;
    static const char run_name[] = ".2001.run-20010101T000000.000000000Z";
    static const char *const files[] = {
        ".2001.delivery.log", ".2001.notes", "2001.txt", ".2001.run-x",
        ".2001.staging-12x", ".2001.link-1",
    };
    size_t i;
    int k;

    for (i = 0; i < sizeof files / sizeof *files; i++)
        fixture_write_file(base, files[i], files[i]);
    assert_int_equal(mkdir(path(base, run_name), 0755), 0);
    fixture_write_file(path(base, run_name), "summary.pdf", "theirs");
    assert_int_equal(mkdir(path(base, ".2001.staging-99999"), 0755), 0);
    fixture_write_file(path(base, ".2001.staging-99999"), "keep.txt", "k");
    assert_int_equal(mkdir(path(base, "target"), 0755), 0);
    fixture_write_file(path(base, "target"), "keep.txt", "t");
    assert_int_equal(symlink("target",
                             path(base, ".2001.run-20000101T000000"
                                        ".000000000Z")), 0);
    assert_int_equal(symlink("target", path(base, ".2001.scratch-42")), 0);
    for (k = 0; k < 3; k++)
        publish_once(base, "2001", "run", 1);
    assert_published(base, "2001", "run");
    for (i = 0; i < sizeof files / sizeof *files; i++)
        assert_file_text(base, files[i], files[i]);
    assert_file_text(path(base, run_name), "summary.pdf", "theirs");
    assert_file_text(path(base, ".2001.staging-99999"), "keep.txt", "k");
    assert_file_text(path(base, "target"), "keep.txt", "t");
    assert_true(is_link(path(base, ".2001.run-20000101T000000.000000000Z")));
    assert_true(is_link(path(base, ".2001.scratch-42")));
    /* Ours: the one published run and the unknown run-named folder. */
    assert_int_equal(count_entries(base, ".2001.run-2"), 3);
}

/* Removing a killed run's folder does not follow a link inside it. */
static void
test_publish_leftover_removal_follows_no_link(void **state)
{
    const char *base = *state;
    char leftover[256];

    assert_int_equal(mkdir(path(base, "precious"), 0755), 0);
    fixture_write_file(path(base, "precious"), "a.txt", "a");
    killed_run(base, "2005");
    assert_int_equal(count_entries(base, ".2005.staging-"), 1);
    {
        DIR *d = opendir(base);
        struct dirent *e;

        assert_non_null(d);
        while ((e = readdir(d)) != NULL)
            if (strncmp(e->d_name, ".2005.staging-", 14) == 0)
                snprintf(leftover, sizeof leftover, "%s", e->d_name);
        closedir(d);
    }
    assert_int_equal(symlink("../precious",
                             path3(base, leftover, "briefs")), 0);
    publish_once(base, "2005", "next", 2);
    assert_false(is_dir(path(base, leftover)));
    assert_int_equal(count_entries(base, ".2005.scratch-"), 0);
    assert_file_text(path(base, "precious"), "a.txt", "a");
}

/* A symbolic link planted as the lock file is refused, not followed. */
static void
test_publish_lock_symlink_refused(void **state)
{
    const char *base = *state;
    struct iom_publish p;

    assert_int_equal(symlink("victim", path(base, ".2001.lock")), 0);
    assert_int_equal(iom_publish_begin(&p, base, "2001", -1), IOM_ENOTOURS);
    iom_publish_release(&p);
    assert_int_equal(access(path(base, "victim"), F_OK), -1);
    assert_int_equal(iom_publish_lock(&p, base, "2001", -1), IOM_ENOTOURS);
    iom_publish_release(&p);
    assert_int_equal(access(path(base, "victim"), F_OK), -1);
    assert_true(is_link(path(base, ".2001.lock")));
}

/*
 * Links planted where this process's staging or scratch folder will be:
 * refused, left in place, and nothing written where they point.
 */
static void
test_publish_planted_private_dir_links_refused(void **state)
{
    const char *base = *state;
    static const char *const kinds[] = { "staging", "scratch", "link" };
    size_t k;

    assert_int_equal(mkdir(path(base, "victim"), 0755), 0);
    for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char name[64];

        snprintf(name, sizeof name, ".2001.%s-%ld", kinds[k],
                 (long)getpid());
        assert_int_equal(symlink("victim", path(base, name)), 0);
        assert_begin_refused(base, "2001");
        assert_true(is_link(path(base, name)));
        assert_int_equal(count_entries(path(base, "victim"), ""), 2);
        assert_int_equal(unlink(path(base, name)), 0);
    }
    publish_once(base, "2001", "fine", 2);
    assert_published(base, "2001", "fine");
}

/* Discovery of the published run and the one before it. */
static void
test_publish_current_and_previous(void **state)
{
    const char *base = *state;
    char *first, *second, *third, *got;

    errno = 0;
    assert_null(iom_publish_current(base, "2001"));
    assert_int_equal(errno, ENOENT);
    assert_null(iom_publish_previous(base, "2001", NULL));
    publish_once(base, "2001", "one", 5);
    first = iom_publish_current(base, "2001");
    assert_non_null(first);
    assert_string_equal(strrchr(first, '/') + 1,
                        link_text(path(base, "2001")));
    assert_null(iom_publish_previous(base, "2001", first));
    publish_once(base, "2001", "two", 5);
    publish_once(base, "2001", "three", 5);
    second = iom_publish_previous(base, "2001",
                                  third = iom_publish_current(base, "2001"));
    assert_non_null(second);
    assert_non_null(third);
    assert_string_not_equal(second, third);
    got = fixture_read_file(path(second, "summary.pdf"), NULL);
    assert_string_equal(got, "two");
    free(got);
    /* A newer-looking folder that is not ours is not a previous run. */
    assert_int_equal(mkdir(path(base, ".2001.run-20991231T235959"
                                      ".000000000Z"), 0755), 0);
    got = iom_publish_previous(base, "2001", third);
    assert_string_equal(got, second);
    free(got);
    /* Another label's runs are not this label's. */
    publish_once(base, "2001.run-1", "other", 5);
    got = iom_publish_previous(base, "2001", third);
    assert_string_equal(got, second);
    free(got);
    /* A link that is not ours shows no published run. */
    assert_int_equal(unlink(path(base, "2001")), 0);
    assert_int_equal(symlink(".", path(base, "2001")), 0);
    errno = 0;
    assert_null(iom_publish_current(base, "2001"));
    assert_true(errno != 0);
    free(first);
    free(second);
    free(third);
}

/*
 * DIR/NAME as an iomreport from before the marker left a run of 'label':
 * summary.pdf and briefs/A-1.pdf under the manifest that lists them, and
 * no marker.
 */
static void
old_run_folder(const char *dir, const char *label, const char *name)
{
    struct iom_selection sel;
    struct iom_manifest m;
    char run[256];

    snprintf(run, sizeof run, "%s", path(dir, name));
    assert_int_equal(mkdir(run, 0755), 0);
    fixture_write_file(run, "summary.pdf", "old summary");
    assert_int_equal(mkdir(path(run, "briefs"), 0755), 0);
    fixture_write_file(run, "briefs/A-1.pdf", "old brief");
    iom_selection_init(&sel);
    memset(&m, 0, sizeof m);
    m.input = "-";
    m.input_sha256 = "0123456789abcdef0123456789abcdef"
                     "0123456789abcdef0123456789abcdef";
    m.label = label;
    m.selection = "Year 2001";
    m.sel = &sel;
    assert_int_equal(iom_manifest_write(run, &m), IOM_OK);
    iom_selection_release(&sel);
}

/* Lines of 'text' holding 'what'. */
static size_t
count_lines_with(const char *text, const char *what)
{
    size_t n = 0;

    for (; (text = strstr(text, what)) != NULL; text += strlen(what))
        n++;
    return n;
}

/*
 * An unmarked run folder is adopted (and so may be pruned) only when it
 * holds exactly what its manifest lists, its sizes too, and besides only
 * the delivery log those versions kept there; it is said once, without
 * -v.  A copy of a manifest beside a person's notes and drafts, and every
 * folder that holds anything else, is never adopted, never removed.
 */
static void
test_publish_old_run_adopted_only_when_it_holds_its_listing(void **state)
{
    const char *base = *state;
    static const char *const adopted[] = {
        ".2001.run-20000101T000000.000000000Z",     /* exactly its files */
        ".2001.run-20000102T000000.000000000Z",     /* and delivery.log */
    };
    static const char *const kept[] = {
        ".2001.run-20190101T000000.000000000Z",     /* a person's */
        ".2001.run-20000103T000000.000000000Z",     /* a file grew */
        ".2001.run-20000104T000000.000000000Z",     /* a file is gone */
        ".2001.run-20000105T000000.000000000Z",     /* an empty folder */
        ".2001.run-20000106T000000.000000000Z",     /* a link */
        ".2001.run-20000107T000000.000000000Z",     /* a hidden file */
    };
    char person[256], *err, *copy;
    size_t i;

    snprintf(person, sizeof person, "%s", path(base, kept[0]));
    for (i = 0; i < sizeof adopted / sizeof *adopted; i++)
        old_run_folder(base, "2001", adopted[i]);
    fixture_write_file(path(base, adopted[1]), "delivery.log", "{}\n");
    assert_int_equal(mkdir(person, 0755), 0);
    copy = fixture_read_file(path3(base, adopted[0], "manifest.json"), NULL);
    fixture_write_file(person, "manifest.json", copy);
    free(copy);
    fixture_write_file(person, "notes.txt", "my notes");
    assert_int_equal(mkdir(path(person, "drafts"), 0755), 0);
    fixture_write_file(person, "drafts/draft.txt", "a draft");
    for (i = 1; i < sizeof kept / sizeof *kept; i++)
        old_run_folder(base, "2001", kept[i]);
    fixture_write_file(path(base, kept[1]), "summary.pdf", "old summary+");
    assert_int_equal(unlink(path3(base, kept[2], "briefs/A-1.pdf")), 0);
    assert_int_equal(mkdir(path3(base, kept[3], "drafts"), 0755), 0);
    assert_int_equal(symlink("../summary.pdf",
                             path3(base, kept[4], "briefs/B-2.pdf")), 0);
    fixture_write_file(path(base, kept[5]), ".notes", "hidden");

    fixture_capture_begin(STDERR_FILENO);
    publish_once(base, "2001", "new", 1);
    err = fixture_capture_end();
    assert_int_equal(count_lines_with(err, "adopted '"), 2);
    for (i = 0; i < sizeof adopted / sizeof *adopted; i++) {
        assert_non_null(strstr(err, adopted[i]));
        assert_false(is_dir(path(base, adopted[i])));
    }
    free(err);
    for (i = 0; i < sizeof kept / sizeof *kept; i++) {
        assert_true(is_dir(path(base, kept[i])));
        assert_int_equal(access(path3(base, kept[i], IOM_PUBLISH_MARKER),
                                F_OK), -1);
    }
    assert_file_text(person, "notes.txt", "my notes");
    assert_file_text(person, "drafts/draft.txt", "a draft");
    /* Said once: the next runs find nothing more to adopt. */
    fixture_capture_begin(STDERR_FILENO);
    publish_once(base, "2001", "newer", 1);
    err = fixture_capture_end();
    assert_string_equal(err, "");
    free(err);
    assert_published(base, "2001", "newer");
    for (i = 0; i < sizeof kept / sizeof *kept; i++)
        assert_true(is_dir(path(base, kept[i])));
    assert_file_text(person, "notes.txt", "my notes");
}

/* Commit with the sync failures set up by 'arm'; returns its status and
 * what it printed (caller frees), and the staging folder it had. */
static char *
commit_failing(const char *base, void (*arm)(void), enum iom_status *st,
               char *staging, size_t size)
{
    struct iom_publish p;
    char *err;

    assert_int_equal(iom_publish_begin(&p, base, "2001", -1), IOM_OK);
    snprintf(staging, size, "%s", p.staging);
    fixture_write_file(p.staging, "summary.pdf", "synced?");
    arm();
    fixture_capture_begin(STDERR_FILENO);
    *st = iom_publish_commit(&p, 2);
    err = fixture_capture_end();
    failsync_fsync(0, 0);
    failsync_syncfs(0, 0);
    iom_publish_release(&p);
    return err;
}

static void
arm_syncfs_eio(void)
{
    failsync_syncfs(1, EIO);
}

static void
arm_no_syncfs(void)
{
    failsync_syncfs(1, ENOSYS);
}

static void
arm_no_syncfs_fsync_eio(void)
{
    failsync_syncfs(1, ENOSYS);
    failsync_fsync(1, EIO);
}

static void
arm_folder_fsync_eio(void)
{
    failsync_fsync(1, EIO);
}

/* A sync that fails stops the run before the swap, naming what failed;
 * a syncfs error is never retried file by file (the data is lost, and
 * an fsync would not say so again). */
static void
test_publish_failed_sync_is_reported_and_publishes_nothing(void **state)
{
    const char *base = *state;
    char staging[600], exp[700], *err;
    enum iom_status st;

    err = commit_failing(base, arm_syncfs_eio, &st, staging, sizeof staging);
    assert_int_equal(st, IOM_EIO);
    snprintf(exp, sizeof exp, "iomreport: cannot sync '%s': %s\n", staging,
             strerror(EIO));
    assert_string_equal(err, exp);
    free(err);
    assert_false(is_link(path(base, "2001")));
    /* Without syncfs, each file is synced, and the one that fails is
     * named. */
    err = commit_failing(base, arm_no_syncfs_fsync_eio, &st, staging,
                         sizeof staging);
    assert_int_equal(st, IOM_EIO);
    snprintf(exp, sizeof exp, "iomreport: cannot sync '%s/", staging);
    assert_true(strncmp(err, exp, strlen(exp)) == 0);
    snprintf(exp, sizeof exp, "': %s\n", strerror(EIO));
    assert_true(strlen(err) > strlen(exp));
    assert_string_equal(err + strlen(err) - strlen(exp), exp);
    assert_int_equal(strchr(err, '\n') + 1 - err, strlen(err)); /* one line */
    free(err);
    assert_false(is_link(path(base, "2001")));
}

static void
test_publish_without_syncfs_syncs_each_file(void **state)
{
    const char *base = *state;
    char staging[600], *err;
    enum iom_status st;

    err = commit_failing(base, arm_no_syncfs, &st, staging, sizeof staging);
    assert_int_equal(st, IOM_OK);
    assert_string_equal(err, "");
    free(err);
    assert_published(base, "2001", "synced?");
}

/* The folder's sync after the swap: the run is published (the link is
 * in place), but the status says it may not survive a crash. */
static void
test_publish_failed_folder_sync_after_swap_is_reported(void **state)
{
    const char *base = *state;
    char staging[600], exp[700], *err;
    enum iom_status st;

    err = commit_failing(base, arm_folder_fsync_eio, &st, staging,
                         sizeof staging);
    assert_int_equal(st, IOM_EIO);
    snprintf(exp, sizeof exp, "iomreport: cannot sync '%s': %s\n", base,
             strerror(EIO));
    assert_string_equal(err, exp);
    free(err);
    assert_published(base, "2001", "synced?");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_publish_begin_creates_dir_and_staging, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_failed_sync_is_reported_and_publishes_nothing, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_without_syncfs_syncs_each_file, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_failed_folder_sync_after_swap_is_reported, setup,
            teardown),
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
            test_publish_begin_out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_prune_leaves_other_labels_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_leftover_cleanup_leaves_other_labels_alone, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_person_folder_at_label_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_person_file_at_label_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_foreign_link_at_label_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_future_stamped_run_not_pruned, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_unknown_entries_survive_keep_one, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_leftover_removal_follows_no_link, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_lock_symlink_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_planted_private_dir_links_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_current_and_previous, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_publish_old_run_adopted_only_when_it_holds_its_listing,
            setup, teardown),
    };

    return cmocka_run_group_tests_name("publish", tests, NULL, NULL);
}
