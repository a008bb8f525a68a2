/*
 * publish: lock, staging folder and atomic swap of DIR/LABEL.
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
#include "iom/msg.h"
#include "iom/publish.h"

static char *
pathf(const char *fmt, const char *a, const char *b, const char *c)
{
    struct iom_buf buf = IOM_BUF_INIT;

    if (iom_buf_addf(&buf, fmt, a, b, c) != IOM_OK) {
        iom_buf_release(&buf);
        return NULL;
    }
    return iom_buf_detach(&buf);
}

/* mkdir -p */
static int
make_dirs(const char *dir)
{
    char *p = strdup(dir), *s;
    int rc = 0;

    if (!p)
        return -1;
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
    return rc;
}

static int
remove_entry(const char *path, const struct stat *sb, int type,
             struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    return type == FTW_DP ? rmdir(path) : unlink(path);
}

int
iom_remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Open 'path' read-only and hand the descriptor to fsync or syncfs. */
static int
sync_path(const char *path, int (*sync)(int))
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

    if (fd < 0)
        return -1;
    rc = sync(fd);
    close(fd);
    return rc;
}

static int
sync_entry(const char *path, const struct stat *sb, int type,
           struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (type != FTW_F && type != FTW_DP)
        return 0;
    return sync_path(path, fsync);
}

/*
 * Make every file under 'dir' durable.  One syncfs(2) of the file system
 * costs what one fsync does, where an fsync per file costs milliseconds
 * per brief; the per-file walk remains for systems without syncfs.
 */
static int
sync_tree(const char *dir)
{
    if (sync_path(dir, syncfs) == 0)
        return 0;
    return nftw(dir, sync_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static enum iom_status
take_lock(struct iom_publish *p, int wait_seconds)
{
    char *path = pathf("%s/.%s.lock%s", p->dir, p->label, "");
    time_t deadline = time(NULL) + wait_seconds;

    if (!path)
        return IOM_ENOMEM;
    p->lock_fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (p->lock_fd < 0) {
        iom_errorf("cannot create lock file '%s': %s", path,
                   strerror(errno));
        free(path);
        return IOM_ECANTCREAT;
    }
    while (flock(p->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        struct timespec pause = { 0, 100 * 1000 * 1000 };

        if (errno != EWOULDBLOCK && errno != EINTR) {
            iom_errorf("cannot lock '%s': %s", path, strerror(errno));
            free(path);
            return IOM_ECANTCREAT;
        }
        if (wait_seconds < 0 || (wait_seconds > 0 &&
                                 time(NULL) >= deadline)) {
            iom_errorf("another run is writing '%s/%s' (lock '%s' is "
                       "held); try again later or use --wait", p->dir,
                       p->label, path);
            free(path);
            return IOM_ELOCKED;
        }
        nanosleep(&pause, NULL);
    }
    free(path);
    return IOM_OK;
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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
        if (strcmp(rest, "0-legacy") == 0)
            return true;
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

/* Paths of the entries of DIR named ".LABEL.<kind>-...", sorted by name. */
static char **
list_entries(const struct iom_publish *p, const char *kind, size_t *n)
{
    char *prefix = pathf(".%s.%s-%s", p->label, kind, "");
    DIR *d = opendir(p->dir);
    char **v = NULL;
    struct dirent *e;

    *n = 0;
    while (prefix && d && (e = readdir(d)) != NULL) {
        char **nv;
        size_t len = strlen(prefix);

        if (strncmp(e->d_name, prefix, len) != 0 ||
            !own_tail(kind, e->d_name + len))
            continue;
        nv = realloc(v, (*n + 1) * sizeof *v);
        if (!nv)
            break;
        v = nv;
        v[*n] = pathf("%s/%s%s", p->dir, e->d_name, "");
        if (v[*n])
            ++*n;
    }
    if (d)
        closedir(d);
    free(prefix);
    if (*n)
        qsort(v, *n, sizeof *v, name_cmp);
    return v;
}

/* Leftovers of runs that were killed: their staging folders and links. */
static void
remove_leftovers(const struct iom_publish *p)
{
    static const char *const kinds[] = { "staging", "scratch", "link" };
    size_t k, i, n;

    for (k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        char **v = list_entries(p, kinds[k], &n);

        for (i = 0; i < n; i++) {
            iom_notef("removing '%s', left by an interrupted run", v[i]);
            iom_remove_tree(v[i]);
        }
        iom_strv_free(v, n);
    }
}

/* mkdir *path, or free it and set it NULL (nothing to remove later). */
static enum iom_status
make_private_dir(char **path)
{
    if (mkdir(*path, 0755) == 0)
        return IOM_OK;
    iom_errorf("cannot create folder '%s': %s", *path, strerror(errno));
    free(*path);
    *path = NULL;
    return IOM_ECANTCREAT;
}

enum iom_status
iom_publish_lock(struct iom_publish *p, const char *dir, const char *label,
                 int wait_seconds)
{
    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    p->dir = strdup(dir);
    p->label = strdup(label);
    if (!p->dir || !p->label)
        return IOM_ENOMEM;
    return take_lock(p, wait_seconds);
}

enum iom_status
iom_publish_begin(struct iom_publish *p, const char *dir, const char *label,
                  int wait_seconds)
{
    char pid[24];
    enum iom_status st;

    memset(p, 0, sizeof *p);
    p->lock_fd = -1;
    if (make_dirs(dir) != 0) {
        iom_errorf("cannot create output folder '%s': %s", dir,
                   strerror(errno));
        return IOM_ECANTCREAT;
    }
    st = iom_publish_lock(p, dir, label, wait_seconds);
    if (st != IOM_OK)
        return st;
    remove_leftovers(p);
    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    p->staging = pathf("%s/.%s.staging-%s", dir, label, pid);
    p->scratch = pathf("%s/.%s.scratch-%s", dir, label, pid);
    if (!p->staging || !p->scratch)
        return IOM_ENOMEM;
    st = make_private_dir(&p->staging);
    if (st == IOM_OK)
        st = make_private_dir(&p->scratch);
    return st;
}

/* Point DIR/LABEL at 'run' (a name inside DIR) in one rename. */
static int
swap_link(const struct iom_publish *p, const char *run)
{
    char pid[24];
    char *link = NULL, *target = pathf("%s/%s%s", p->dir, p->label, "");
    struct stat st;
    int rc = -1;

    snprintf(pid, sizeof pid, "%ld", (long)getpid());
    link = pathf("%s/.%s.link-%s", p->dir, p->label, pid);
    if (!link || !target)
        goto out;
    unlink(link);
    if (symlink(run, link) != 0)
        goto out;
    if (lstat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* A plain folder from before run folders existed: keep it as the
         * oldest run folder, so pruning treats it like any other. */
        char *old = pathf("%s/.%s.run-%s", p->dir, p->label, "0-legacy");

        if (!old || rename(target, old) != 0) {
            free(old);
            goto out;
        }
        free(old);
    }
    rc = rename(link, target);
out:
    if (rc != 0 && link)
        unlink(link);
    free(link);
    free(target);
    return rc;
}

static void
prune(const struct iom_publish *p, int keep)
{
    size_t n, i;
    char **v = list_entries(p, "run", &n);

    for (i = 0; i + (size_t)keep < n; i++) {
        iom_notef("removing old run folder '%s'", v[i]);
        iom_remove_tree(v[i]);
    }
    iom_strv_free(v, n);
}

enum iom_status
iom_publish_commit(struct iom_publish *p, int keep)
{
    struct timespec now;
    struct tm tm;
    char stamp[48], *run;
    enum iom_status st = IOM_EIO;

    if (sync_tree(p->staging) != 0) {
        iom_errorf("cannot sync '%s': %s", p->staging, strerror(errno));
        return IOM_EIO;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    gmtime_r(&now.tv_sec, &tm);
    /* Fixed width, so that name order is time order. */
    snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02d.%09ldZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, now.tv_nsec);
    run = pathf(".%s.run-%s%s", p->label, stamp, "");
    if (!run)
        return IOM_ENOMEM;
    {
        char *run_path = pathf("%s/%s%s", p->dir, run, "");

        if (!run_path || rename(p->staging, run_path) != 0) {
            iom_errorf("cannot rename '%s': %s", p->staging,
                       strerror(errno));
            free(run_path);
            goto out;
        }
        free(p->staging);
        p->staging = run_path;   /* removed again if the swap fails */
    }
    if (swap_link(p, run) != 0 || sync_path(p->dir, fsync) != 0) {
        iom_errorf("cannot publish '%s/%s': %s", p->dir, p->label,
                   strerror(errno));
        goto out;
    }
    free(p->staging);
    p->staging = NULL;
    prune(p, keep);
    st = IOM_OK;
out:
    free(run);
    return st;
}

void
iom_publish_release(struct iom_publish *p)
{
    if (p->staging || p->scratch) {
        int save = errno;

        if (p->staging)
            iom_remove_tree(p->staging);
        if (p->scratch)
            iom_remove_tree(p->scratch);
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
