/*
 * failsync: the wrapped fsync and syncfs (see failsync.h).
 */
#include <errno.h>

#include "failsync.h"

int __real_fsync(int fd);
int __real_syncfs(int fd);
int __wrap_fsync(int fd);
int __wrap_syncfs(int fd);

/* The call that fails (counted down to it; 0: none) and its errno. */
struct failing {
    unsigned at;
    int err;
};

static struct failing fsync_fails, syncfs_fails;

void
failsync_fsync(unsigned nth, int err)
{
    fsync_fails.at = nth;
    fsync_fails.err = err;
}

void
failsync_syncfs(unsigned nth, int err)
{
    syncfs_fails.at = nth;
    syncfs_fails.err = err;
}

static int
call(struct failing *f, int (*real)(int), int fd)
{
    if (f->at && --f->at == 0) {
        errno = f->err;
        return -1;
    }
    return real(fd);
}

int
__wrap_fsync(int fd)
{
    return call(&fsync_fails, __real_fsync, fd);
}

int
__wrap_syncfs(int fd)
{
    return call(&syncfs_fails, __real_syncfs, fd);
}
