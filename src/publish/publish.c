/*
 * publish: lock, staging folder and atomic swap of DIR/LABEL, and the one
 * place that decides what in DIR is ours to remove, rename or replace.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/manifest.h"
#include "iom/msg.h"
#include "iom/publish.h"
#include "iom/sha256.h"
#include "iom/testpoint.h"

/* The marker's largest size: a label (at most 63 bytes) and a number. */
#define MARKER_MAX 256
/* Room for any name this module makes or reads back from a link. */
#define NAME_MAX_BYTES 256

static const char what_to_do[] = "move it away or choose another --label";

/* mkdir -p */
enum iom_status
iom_make_dirs(const char *dir, const char *what)
{
    char *p = strdup(dir), *s;
    int rc = 0;

    if (!p)
        return IOM_ENOMEM;
    for (s = p + 1; rc == 0; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;

            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                rc = -1;
            *s = c;
            if (!c)
                break;
        }
    }
    if (rc == 0) {
        struct stat st;

        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            errno = ENOTDIR;
            rc = -1;
        }
    }
    free(p);
    if (rc == 0)
        return IOM_OK;
    if (errno == ENOMEM)
        return IOM_ENOMEM;
    iom_errorf("cannot create %s '%s': %s", what, dir, strerror(errno));
    return IOM_ECANTCREAT;
}

enum iom_status
iom_publish_read_back(const char *path, char hex[65], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    enum iom_status st = fd < 0 ? IOM_EIO : iom_sha256_fd(fd, hex, size);

    /* Only a start: the sync at commit is what makes the files durable
     * and says when they are not, so a file system without this call
     * loses nothing but the head start. */
    if (st == IOM_OK)
        (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    if (fd >= 0)
        close(fd);
    return st;
}

static int remove_at(int dfd, const char *name);

/*
 * Remove everything in the folder open as 'fd' (closed here), 'last' (may
 * be NULL) only once all the rest is gone: a marker goes last, so that a
 * removal cut short or failed leaves a folder still recognisably ours.
 */
static int
remove_contents(int fd, const char *last)
{
    DIR *d = fdopendir(fd);
    struct dirent *e;
    int rc = 0;

    if (!d) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            (last && strcmp(e->d_name, last) == 0))
            continue;
        if (remove_at(dirfd(d), e->d_name) != 0)
            rc = -1;
    }
    if (rc == 0 && last && unlinkat(dirfd(d), last, 0) != 0 &&
        errno != ENOENT)
        rc = -1;
    closedir(d);
    return rc;
}

/* Remove 'name' of the folder 'dfd' and, when it is a folder, its tree. */
static int
remove_at(int dfd, const char *name)
{
    struct stat st;
    int fd;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlinkat(dfd, name, 0);
    /* O_NOFOLLOW: the folder may have been swapped for a link since. */
    fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || remove_contents(fd, NULL) != 0)
        return -1;
    return unlinkat(dfd, name, AT_REMOVEDIR);
}

int
iom_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path);
}

/* Open 'path' read-only and hand the descriptor to fsync or syncfs: 0,
 * or -1 with errno set by the call that failed. */
static int
sync_path(const char *path, int (*sync)(int))
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc, saved;

    if (fd < 0)
        return -1;
    rc = sync(fd);
    saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/* nftw(3) returns what the callback returns when it is not 0, and -1 for
 * its own failures: this tells the two apart. */
#define SYNC_ENTRY_FAILED 1

static int
sync_entry(const char *path, const struct stat *sb, int type,
           struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type != FTW_F && type != FTW_DP)
        return 0;
    if (sync_path(path, fsync) == 0)
        return 0;
    iom_errorf("cannot sync '%s': %s", path, strerror(errno));
    return SYNC_ENTRY_FAILED;
}

/*
 * Make every file under 'dir' durable: IOM_EIO, with a message naming
 * what failed, when one is not.  One syncfs(2) of the file system costs
 * what one fsync does, where an fsync per file costs milliseconds per
 * brief.  The per-file walk is only for kernels without syncfs (ENOSYS):
 * after any other failure the data is lost, and an fsync would not say
 * so again.
 */
static enum iom_status
sync_tree(const char *dir)
{
    int rc;

    if (sync_path(dir, syncfs) == 0)
        return IOM_OK;
    if (errno != ENOSYS) {
        iom_errorf("cannot sync '%s': %s", dir, strerror(errno));
        return IOM_EIO;
    }
    rc = nftw(dir, sync_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (rc == -1)
        iom_errorf("cannot sync '%s': %s", dir, strerror(errno));
    return rc == 0 ? IOM_OK : IOM_EIO;
}

static enum iom_status
take_lock(struct iom_publish *p, int wait_seconds)
{
    char *path = iom_strf("%s/.%s.lock", p->dir, p->label);
    time_t deadline = time(NULL) + wait_seconds;
    enum iom_status st = IOM_OK;
    bool waited = false;
    struct stat sb;

    if (!path)
        return IOM_ENOMEM;
    /* A link planted here would make us create or lock its target. */
    p->lock_fd = open(path, O_CREAT | O_RDWR | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (p->lock_fd < 0 && errno == ELOOP) {
        iom_errorf("lock file '%s' is a symbolic link that iomreport did "
                   "not make: remove it", path);
        st = IOM_ENOTOURS;
    } else if (p->lock_fd < 0) {
        iom_errorf("cannot create lock file '%s': %s", path,
                   strerror(errno));
        st = IOM_ECANTCREAT;
    } else if (fstat(p->lock_fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        iom_errorf("lock file '%s' is not a plain file: remove it", path);
        st = IOM_ENOTOURS;
    }
    while (st == IOM_OK && flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        struct timespec pause = { 0, 100 * 1000 * 1000 };

        if (errno != EWOULDBLOCK && errno != EINTR) {
            iom_errorf("cannot lock '%s': %s", path, strerror(errno));
            st = IOM_ECANTCREAT;
        } else if (wait_seconds < 0 || (wait_seconds > 0 &&
                                        time(NULL) >= deadline)) {
            iom_errorf("another run is writing '%s/%s' (lock '%s' is "
                       "held); try again later or use --wait", p->dir,
                       p->label, path);
            st = IOM_ELOCKED;
        } else {
            if (!waited)
                iom_testpoint("waiting-for-lock", NULL);
            waited = true;
            nanosleep(&pause, NULL);
        }
    }
    free(path);
    return st;
}

/*
 * Is 'rest', what follows ".LABEL.KIND-" in a name, what this module puts
 * there?  Labels may hold '.' and '-', so ".x.run-1.run-STAMP" (a run of
 * label "x.run-1") starts like a run of label "x": only the exact shape of
 * the tail tells them apart.
 */
static bool
own_tail(const char *kind, const char *rest)
{
    static const char stamp[] = "dddddddd" "Tdddddd" ".ddddddddd" "Z";
    size_t i;

    if (strcmp(kind, "run") == 0) {
        for (i = 0; stamp[i]; i++) {
            bool digit = rest[i] >= '0' && rest[i] <= '9';

            if (stamp[i] == 'd' ? !digit : rest[i] != stamp[i])
                return false;
        }
        return rest[i] == '\0';
    }
    if (!*rest)
        return false;
    for (i = 0; rest[i]; i++)
        if (rest[i] < '0' || rest[i] > '9')
            return false;
    return true;
}

/* Is 'name' ".LABEL.KIND-" followed by the tail this module writes? */
static bool
own_name(const char *name, const char *label, const char *kind)
{
    size_t ll = strlen(label), kl = strlen(kind);

    return name[0] == '.' && strncmp(name + 1, label, ll) == 0 &&
           name[1 + ll] == '.' && strncmp(name + 2 + ll, kind, kl) == 0 &&
           name[2 + ll + kl] == '-' && own_tail(kind, name + 3 + ll + kl);
}

/* ".LABEL.KIND-PID": this process's staging, scratch or link name. */
static char *
private_name(const struct iom_publish *p, const char *kind)
{
    return iom_strf(".%s.%s-%ld", p->label, kind, (long)getpid());
}

/* Is 'text' a marker of 'label'?  Its publication number to *seq. */
static bool
marker_valid(const char *text, const char *label, unsigned long *seq)
{
    size_t ll = strlen(label);
    char *end;
    unsigned long v;

    if (strncmp(text, label, ll) != 0 || text[ll] != '\n' ||
        text[ll + 1] < '0' || text[ll + 1] > '9')
        return false;
    errno = 0;
    v = strtoul(text + ll + 1, &end, 10);
    if (errno != 0 || strcmp(end, "\n") != 0)
        return false;
    if (seq)
        *seq = v;
    return true;
}

/*
 * Open DIR/NAME ('dfd' is DIR) when it is a folder this module made for
 * 'label': a real folder, not a link, owned by us, whose marker is a plain
 * file of ours naming the label.  Its publication number goes to *seq
 * (may be NULL).  -1 (errno set) when it is not.
 */
static int
open_ours(int dfd, const char *name, const char *label, unsigned long *seq)
{
    char text[MARKER_MAX];
    struct stat st;
    ssize_t n = -1;
    int fd, mfd = -1;

    fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) == 0 && st.st_uid == geteuid())
        mfd = openat(fd, IOM_PUBLISH_MARKER,
                     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (mfd >= 0 && fstat(mfd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_uid == geteuid())
        n = read(mfd, text, sizeof text - 1);
    if (mfd >= 0)
        close(mfd);
    if (n > 0) {
        text[n] = '\0';
        if (marker_valid(text, label, seq))
            return fd;
    }
    close(fd);
    errno = EINVAL;
    return -1;
}

static bool
is_ours(int dfd, const char *name, const char *label, unsigned long *seq)
{
    int fd = open_ours(dfd, name, label, seq);

    if (fd < 0)
        return false;
    close(fd);
    return true;
}

/*
 * Remove DIR/NAME when it is ours; the tree is emptied through the
 * descriptor that was checked, so what is removed is what was checked.
 */
static int
remove_ours(int dfd, const char *name, const char *label)
{
    int fd = open_ours(dfd, name, label, NULL);

    if (fd < 0 || remove_contents(fd, IOM_PUBLISH_MARKER) != 0)
        return -1;
    return unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Write the marker of 'label' into the new folder open as 'fd'. */
static int
write_marker(int fd, const char *label, unsigned long seq)
{
    char text[MARKER_MAX];
    int len = snprintf(text, sizeof text, "%s\n%lu\n", label, seq);
    int mfd, ok;

    if (len < 0 || (size_t)len >= sizeof text) {
        errno = ENAMETOOLONG;
        return -1;
    }
    mfd = openat(fd, IOM_PUBLISH_MARKER,
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (mfd < 0)
        return -1;
    ok = write(mfd, text, (size_t)len) == len;
    if (close(mfd) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/*
 * The name the link DIR/NAME holds when it is one of LABEL's run folder
 * names (whether that folder is ours is for is_ours to say), or NULL
 * (errno set).  free() it.
 */
static char *
link_run_name(int dfd, const char *name, const char *label)
{
    char target[NAME_MAX_BYTES];
    ssize_t n = readlinkat(dfd, name, target, sizeof target - 1);

    if (n < 0)
        return NULL;
    target[n] = '\0';
    if ((size_t)n == sizeof target - 1 || !own_name(target, label, "run")) {
        errno = EINVAL;
        return NULL;
    }
    return strdup(target);
}

/* Names in the folder 'dfd' of LABEL's folders of KIND, unsorted. */
static enum iom_status
list_names(int dfd, const char *label, const char *kind, char ***out,
           size_t *n)
{
    int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    enum iom_status st = IOM_OK;
    struct dirent *e;
    char **v = NULL;

    *out = NULL;
    *n = 0;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return IOM_EIO;
    }
    while ((e = readdir(d)) != NULL) {
        char **nv;

        if (!own_name(e->d_name, label, kind))
            continue;
        nv = realloc(v, (*n + 1) * sizeof *v);
        if (!nv) {
            st = IOM_ENOMEM;
            break;
        }
        v = nv;
        v[*n] = strdup(e->d_name);
        if (!v[*n]) {
            st = IOM_ENOMEM;
            break;
        }
        ++*n;
    }
    closedir(d);
    if (st != IOM_OK) {
        iom_strv_free(v, *n);
        *n = 0;
        return st;
    }
    *out = v;
    return IOM_OK;
}

/*
 * What a run folder of an iomreport from before the marker may hold
 * besides the files its manifest lists: its delivery log, which that
 * version appended to after the manifest was written.
 */
static const char *const unlisted_of_old_runs[] = { "delivery.log", NULL };

/*
 * Whether the unmarked folder DIR/NAME, open as 'fd', is an earlier
 * iomreport's run of 'label': a real folder of ours without a marker,
 * whose manifest.json is iomreport's for the label, holding exactly the
 * files that manifest lists (with their sizes) and nothing else.  A copy
 * of a manifest beside a person's files is no run: adopted, the folder
 * would be pruned with them.  IOM_OK with the answer in *old (why not,
 * when the manifest names the label, into 'differs'); IOM_ENOMEM.
 */
static enum iom_status
old_run(int fd, const char *path, const char *label, bool *old,
        size_t *files, struct iom_buf *differs)
{
    struct iom_manifest_doc doc;
    struct stat st;
    enum iom_status s;

    *old = false;
    iom_buf_reset(differs);
    if (fstat(fd, &st) != 0 || st.st_uid != geteuid() ||
        fstatat(fd, IOM_PUBLISH_MARKER, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
        errno != ENOENT)
        return IOM_OK;
    s = iom_manifest_load(path, &doc);
    if (s == IOM_OK && strcmp(doc.label, label) == 0) {
        s = iom_manifest_match(fd, &doc, unlisted_of_old_runs, differs);
        *old = s == IOM_OK && !differs->len;
        *files = doc.n_files;
        if (s == IOM_EIO)
            s = iom_buf_addf(differs, "it cannot be read: %s",
                             strerror(errno));
    }
    iom_manifest_doc_release(&doc);
    return s == IOM_ENOMEM ? s : IOM_OK;
}

/*
 * Run folders that iomreport versions before the marker made have none:
 * one is adopted (given a marker with number 0, older than any other)
 * when old_run() says it is one, and said so once, on every terminal and
 * in cron's mail, since from then on --keep may remove it.  Without this,
 * the first run after an upgrade would find DIR/LABEL pointing at a folder
 * that is not "ours".
 */
static enum iom_status
adopt_unmarked(const struct iom_publish *p, int dfd)
{
    struct iom_buf differs = IOM_BUF_INIT;
    enum iom_status st;
    char **names;
    size_t n, i;

    st = list_names(dfd, p->label, "run", &names, &n);
    if (st != IOM_OK)
        return st == IOM_ENOMEM ? st : IOM_OK;
    for (i = 0; st == IOM_OK && i < n; i++) {
        size_t files = 0;
        bool old = false;
        char *path;
        int fd;

        if (is_ours(dfd, names[i], p->label, NULL))
            continue;
        fd = openat(dfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
        if (fd < 0)
            continue;
        path = iom_strf("%s/%s", p->dir, names[i]);
        st = path ? old_run(fd, path, p->label, &old, &files, &differs) :
             IOM_ENOMEM;
        if (old && write_marker(fd, p->label, 0) == 0)
            iom_infof("adopted '%s', a run folder of an earlier iomreport "
                      "(it holds the %zu files its manifest lists): --keep "
                      "counts it from now on", path, files);
        else if (differs.len)
            iom_notef("'%s' is not taken for a run folder of an earlier "
                      "iomreport: %s", path, differs.data);
        free(path);
        close(fd);
    }
    iom_buf_release(&differs);
    iom_strv_free(names, n);
    return st;
}

struct run_folder {
    char *name;
    unsigned long seq;      /* publication number, from the marker */
};

/* Most recently published first. */
static int
run_cmp(const void *a, const void *b)
{
    const struct run_folder *x = a, *y = b;

    if (x->seq != y->seq)
        return x->seq < y->seq ? 1 : -1;
    return strcmp(y->name, x->name);
}

static void
runs_free(struct run_folder *v, size_t n)
{
    size_t i;

    for (i = 0; v && i < n; i++)
        free(v[i].name);
    free(v);
}

/* Our run folders of 'label' in the folder 'dfd', newest first. */
static enum iom_status
list_runs(int dfd, const char *label, struct run_folder **out, size_t *n)
{
    struct run_folder *v;
    char **names;
    size_t k, i;
    enum iom_status st = list_names(dfd, label, "run", &names, &k);

    *out = NULL;
    *n = 0;
    if (st != IOM_OK)
        return st;
    v = calloc(k ? k : 1, sizeof *v);
    for (i = 0; v && i < k; i++) {
        if (is_ours(dfd, names[i], label, &v[*n].seq)) {
            v[*n].name = names[i];
            names[i] = NULL;
            ++*n;
        }
    }
    iom_strv_free(names, k);
    if (!v)
        return IOM_ENOMEM;
    qsort(v, *n, sizeof *v, run_cmp);
    *out = v;
    return IOM_OK;
}

/* A symbolic link of ours that a run killed while publishing left. */
static int
remove_own_link(int dfd, const char *name, const char *label)
{
    struct stat st;
    char *run;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
        !S_ISLNK(st.st_mode) || st.st_uid != geteuid())
        return -1;
    run = link_run_name(dfd, name, label);
    if (!run)
        return -1;
    free(run);
    return unlinkat(dfd, name, 0);
}

/*
 * Leftovers of runs that were killed: their staging and scratch folders
 * and the link they were about to publish.  Whatever else bears those
 * names is not ours and stays.
 */
static enum iom_status
remove_leftovers(const struct iom_publish *p, int dfd)
{
    static const char *const kinds[] = { "staging", "scratch", "link" };
    enum iom_status st = IOM_OK;
    size_t k, i, n;

    for (k = 0; st == IOM_OK && k < sizeof kinds / sizeof *kinds; k++) {
        char **v;

        st = list_names(dfd, p->label, kinds[k], &v, &n);
        for (i = 0; st == IOM_OK && i < n; i++) {
            int rc = strcmp(kinds[k], "link") == 0 ?
                     remove_own_link(dfd, v[i], p->label) :
                     remove_ours(dfd, v[i], p->label);

            if (rc == 0)
                iom_notef("removed what an interrupted run of '%s/%s' "
                          "left", p->dir, p->label);
        }
        iom_strv_free(v, n);
    }
    if (st == IOM_EIO)
        iom_errorf("cannot read output folder '%s': %s", p->dir,
                   strerror(errno));
    return st == IOM_EIO ? IOM_ECANTCREAT : st;
}

/*
 * Is DIR/LABEL free for our link: absent, or a link to one of our run
 * folders (its name to *current, when 'current' is not NULL)?  Otherwise
 * say what stands there and what to do about it.
 */
static enum iom_status
check_label(const struct iom_publish *p, int dfd, char **current)
{
    struct stat st;
    char *run, target[NAME_MAX_BYTES];
    ssize_t n;

    if (current)
        *current = NULL;
    if (fstatat(dfd, p->label, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return IOM_OK;
        iom_errorf("cannot read '%s/%s': %s", p->dir, p->label,
                   strerror(errno));
        return IOM_ECANTCREAT;
    }
    if (!S_ISLNK(st.st_mode)) {
        iom_errorf("'%s/%s' is a %s that iomreport did not create: %s",
                   p->dir, p->label, S_ISDIR(st.st_mode) ? "folder" : "file",
                   what_to_do);
        return IOM_ENOTOURS;
    }
    run = link_run_name(dfd, p->label, p->label);
    if (run && is_ours(dfd, run, p->label, NULL)) {
        if (current)
            *current = run;
        else
            free(run);
        return IOM_OK;
    }
    free(run);
    n = readlinkat(dfd, p->label, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    iom_errorf("'%s/%s' is a link to '%s' that iomreport did not make: "
               "remove it or choose another --label", p->dir, p->label,
               target);
    return IOM_ENOTOURS;
}

/* renameat() that never replaces 'to' (EEXIST when something is there). */
static int
rename_noreplace(int dfd, const char *from, const char *to)
{
    struct stat st;

    if (renameat2(dfd, from, dfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* A file system without the flag: the lock keeps other runs out. */
    if (fstatat(dfd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(dfd, from, dfd, to);
}

static enum iom_status
open_dir(const struct iom_publish *p, int *dfd)
{
    *dfd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (*dfd >= 0)
        return IOM_OK;
    iom_errorf("cannot open output folder '%s': %s", p->dir,
               strerror(errno));
    return IOM_ECANTCREAT;
}

/* The publication number the next run folder of the label gets. */
static enum iom_status
next_number(int dfd, const char *label, unsigned long *seq)
{
    struct run_folder *v;
    size_t n;
    enum iom_status st = list_runs(dfd, label, &v, &n);

    *seq = st == IOM_OK && n ? v[0].seq + 1 : 1;
    runs_free(v, n);
    return st == IOM_EIO ? IOM_ECANTCREAT : st;
}

/*
 * Make this process's folder of 'kind' with its marker, its path to *out.
 * mkdir fails on anything already there, a planted link included, and
 * nothing then follows that link.
 */
static enum iom_status
make_private_dir(const struct iom_publish *p, int dfd, const char *kind,
                 unsigned long seq, char **out)
{
    char *name = private_name(p, kind);
    char *path = name ? iom_strf("%s/%s", p->dir, name) : NULL;
    enum iom_status st = IOM_OK;
    int fd = -1;

    if (!path) {
        st = IOM_ENOMEM;
    } else if (mkdirat(dfd, name, 0755) != 0) {
        if (errno == EEXIST) {
            iom_errorf("'%s' is in the way and iomreport did not make it: "
                       "%s", path, what_to_do);
            st = IOM_ENOTOURS;
        } else {
            iom_errorf("cannot create folder '%s': %s", path,
                       strerror(errno));
            st = IOM_ECANTCREAT;
        }
    } else {
        fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                    O_CLOEXEC);
        if (fd < 0 || write_marker(fd, p->label, seq) != 0) {
            iom_errorf("cannot write '%s/%s': %s", path, IOM_PUBLISH_MARKER,
                       strerror(errno));
            if (fd >= 0)
                unlinkat(fd, IOM_PUBLISH_MARKER, 0);
            unlinkat(dfd, name, AT_REMOVEDIR);
            st = IOM_EIO;
        }
    }
    if (fd >= 0)
        close(fd);
    if (st == IOM_OK)
        *out = path;
    else
        free(path);
    free(name);
    return st;
}

/* The name the new link gets must be free: nothing there is ours. */
static enum iom_status
check_link_name(const struct iom_publish *p, int dfd)
{
    char *link = private_name(p, "link");
    enum iom_status st = link ? IOM_OK : IOM_ENOMEM;
    struct stat sb;

    if (link && fstatat(dfd, link, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        iom_errorf("'%s/%s' is in the way and iomreport did not make it: "
                   "%s", p->dir, link, what_to_do);
        st = IOM_ENOTOURS;
    }
    free(link);
    return st;
}

enum iom_status
iom_publish_lock(struct iom_publish *p, const char *dir, const char *label,
                 int wait_seconds)
{
    enum iom_status st;
    int dfd = -1;

    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    p->dir = strdup(dir);
    p->label = strdup(label);
    if (!p->dir || !p->label)
        return IOM_ENOMEM;
    st = take_lock(p, wait_seconds);
    if (st == IOM_OK)
        st = open_dir(p, &dfd);
    if (st == IOM_OK)
        st = adopt_unmarked(p, dfd);
    if (dfd >= 0)
        close(dfd);
    return st;
}

enum iom_status
iom_publish_begin(struct iom_publish *p, const char *dir, const char *label,
                  int wait_seconds)
{
    unsigned long seq = 1;
    enum iom_status st;
    int dfd = -1;

    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    st = iom_make_dirs(dir, "output folder");
    if (st == IOM_OK)
        st = iom_publish_lock(p, dir, label, wait_seconds);
    if (st == IOM_OK)
        st = open_dir(p, &dfd);
    if (st == IOM_OK)
        st = remove_leftovers(p, dfd);
    if (st == IOM_OK)
        st = check_label(p, dfd, NULL);
    if (st == IOM_OK)
        st = next_number(dfd, label, &seq);
    if (st == IOM_OK)
        st = check_link_name(p, dfd);
    if (st == IOM_OK)
        st = make_private_dir(p, dfd, "staging", seq, &p->staging);
    if (st == IOM_OK)
        st = make_private_dir(p, dfd, "scratch", seq, &p->scratch);
    if (dfd >= 0)
        close(dfd);
    return st;
}

/*
 * Point DIR/LABEL at 'run' (a name inside DIR) in one rename, once more
 * checking what stands there: a person may have put something there
 * while the run worked.  Where nothing stood, nothing is replaced.
 */
static enum iom_status
swap_link(const struct iom_publish *p, int dfd, const char *run)
{
    char *link = private_name(p, "link"), *current = NULL;
    enum iom_status st = IOM_EIO;
    bool made = false;

    if (!link)
        return IOM_ENOMEM;
    if (symlinkat(run, dfd, link) == 0) {
        made = true;
        st = check_label(p, dfd, &current);
    }
    if (st == IOM_OK && (current ? renameat(dfd, link, dfd, p->label) :
                         rename_noreplace(dfd, link, p->label)) == 0) {
        made = false;
    } else if (st == IOM_OK && errno == EEXIST) {
        /* Something appeared where nothing stood: say what it is. */
        st = check_label(p, dfd, NULL);
        if (st == IOM_OK) {
            errno = EEXIST;
            st = IOM_EIO;
        }
    } else if (st == IOM_OK) {
        st = IOM_EIO;
    }
    if (st == IOM_EIO)
        iom_errorf("cannot publish '%s/%s': %s", p->dir, p->label,
                   strerror(errno));
    if (made)
        unlinkat(dfd, link, 0);
    free(current);
    free(link);
    return st;
}

/* Is 'name' the run just published or the one DIR/LABEL shows? */
static bool
pinned(const char *name, const char *run, const char *shown)
{
    return strcmp(name, run) == 0 || (shown && strcmp(name, shown) == 0);
}

/*
 * Remove our run folders beyond the newest 'keep' by publication number.
 * The one just published ('run') and the one DIR/LABEL points at are
 * counted among them and never removed.
 */
static void
prune(const struct iom_publish *p, int dfd, const char *run, int keep)
{
    char *shown = link_run_name(dfd, p->label, p->label);
    struct run_folder *v;
    size_t n, i, kept = 0;

    if (list_runs(dfd, p->label, &v, &n) != IOM_OK) {
        free(shown);
        return;
    }
    for (i = 0; i < n; i++)
        kept += pinned(v[i].name, run, shown);
    for (i = 0; i < n; i++) {
        if (pinned(v[i].name, run, shown))
            continue;
        if (keep > 0 && kept < (size_t)keep) {
            kept++;
            continue;
        }
        iom_notef("removing an older run of '%s/%s' (--keep %d)", p->dir,
                  p->label, keep);
        remove_ours(dfd, v[i].name, p->label);
    }
    runs_free(v, n);
    free(shown);
}

enum iom_status
iom_publish_commit(struct iom_publish *p, int keep)
{
    struct timespec now;
    struct tm tm;
    char stamp[48], *run = NULL, *run_path = NULL;
    enum iom_status st;
    int dfd = -1;

    st = sync_tree(p->staging);
    if (st != IOM_OK)
        return st;
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    /* Fixed width, one shape to recognise; order comes from the marker. */
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02d.%09ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, now.tv_nsec);
    run = iom_strf(".%s.run-%s", p->label, stamp);
    run_path = run ? iom_strf("%s/%s", p->dir, run) : NULL;
    st = run_path ? open_dir(p, &dfd) : IOM_ENOMEM;
    if (st != IOM_OK)
        goto out;
    if (rename_noreplace(dfd, iom_path_base(p->staging), run) != 0) {
        iom_errorf("cannot rename '%s': %s", p->staging, strerror(errno));
        st = IOM_EIO;
        goto out;
    }
    free(p->staging);
    p->staging = run_path;     /* removed again if the swap fails */
    run_path = NULL;
    st = swap_link(p, dfd, run);
    if (st != IOM_OK)
        goto out;
    /* Published: from here on the run folder is never removed. */
    free(p->staging);
    p->staging = NULL;
    if (fsync(dfd) != 0) {
        iom_errorf("cannot sync '%s': %s", p->dir, strerror(errno));
        st = IOM_EIO;
        goto out;
    }
    prune(p, dfd, run, keep);
out:
    if (dfd >= 0)
        close(dfd);
    free(run_path);
    free(run);
    return st;
}

char *
iom_publish_current(const char *dir, const char *label)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), save;
    char *run = dfd < 0 ? NULL : link_run_name(dfd, label, label);
    char *path = NULL;

    if (run && is_ours(dfd, run, label, NULL))
        path = iom_strf("%s/%s", dir, run);
    save = errno;
    if (dfd >= 0)
        close(dfd);
    free(run);
    errno = save;
    return path;
}

char *
iom_publish_previous(const char *dir, const char *label, const char *current)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *cur = current ? iom_path_base(current) : "";
    struct run_folder *v = NULL;
    char *path = NULL;
    size_t n = 0, i;

    if (dfd < 0)
        return NULL;
    if (list_runs(dfd, label, &v, &n) == IOM_OK)
        for (i = 0; !path && i < n; i++)
            if (strcmp(v[i].name, cur) != 0)
                path = iom_strf("%s/%s", dir, v[i].name);
    runs_free(v, n);
    close(dfd);
    if (!path)
        errno = ENOENT;
    return path;
}

void
iom_publish_release(struct iom_publish *p)
{
    if (p->staging || p->scratch) {
        int save = errno, dfd = open(p->dir, O_RDONLY | O_DIRECTORY |
                                     O_CLOEXEC);

        if (dfd >= 0 && p->staging)
            remove_ours(dfd, iom_path_base(p->staging), p->label);
        if (dfd >= 0 && p->scratch)
            remove_ours(dfd, iom_path_base(p->scratch), p->label);
        if (dfd >= 0)
            close(dfd);
        errno = save;
    }
    if (p->lock_fd >= 0)
        close(p->lock_fd);
    free(p->staging);
    free(p->scratch);
    free(p->dir);
    free(p->label);
    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
}
