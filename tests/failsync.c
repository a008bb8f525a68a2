/*
 * failsync: the wrapped fsync and syncfs (see failsync.h).
 */
#include <errno.h>

#include "failsync.h"

int __real_fsync(int fd);
int __real_syncfs(int fd);
int __wrap_fsync(int fd);
int __wrap_syncfs(int fd);

static unsigned fsync_at, syncfs_at;
static int fsync_err, syncfs_err;

void
failsync_fsync(unsigned nth, int err)
{
    fsync_at = nth;
    fsync_err = err;
}

void
failsync_syncfs(unsigned nth, int err)
{
    syncfs_at = nth;
    syncfs_err = err;
}

/* Whether this call is the one to fail; counts down to it. */
static int
fails(unsigned *at)
{
    if (*at == 0)
        return 0;
    return --*at == 0;
}

int
__wrap_fsync(int fd)
{
    if (fails(&fsync_at)) {
        errno = fsync_err;
        return -1;
    }
    return __real_fsync(fd);
}

int
__wrap_syncfs(int fd)
{
    if (fails(&syncfs_at)) {
        errno = syncfs_err;
        return -1;
    }
    return __real_syncfs(fd);
}
