/*
 * testpoint: a rendezvous through a FIFO.  Opening a FIFO blocks until
 * the other side opens it too, which is what makes each step a handshake.
 */
/* ppoll(): waiting and letting signals in are one step. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/testpoint.h"

#ifdef IOM_TEST_POINTS
/* Wait for 'events' on 'fd' (0: only for the other side to go away), with
 * the signal mask 'let_in'; 0 once a signal ended the wait. */
static short
wait_on(int fd, short events, const sigset_t *let_in)
{
    struct pollfd p = { .fd = fd, .events = events };

    return ppoll(&p, 1, NULL, let_in) == 1 ? p.revents : 0;
}

void
iom_testpoint(const char *name, const char *detail)
{
    const char *want = getenv("IOMREPORT_TEST_PAUSE");
    const char *fifo = getenv("IOMREPORT_TEST_FIFO");
    char point[512], c;
    int fd, n;
    sigset_t all, was;
    struct stat st;
    bool go;

    if (!want || !fifo)
        return;
    n = snprintf(point, sizeof point, "%s%s%s\n", name, detail ? ":" : "",
                 detail ? detail : "");
    if (n <= 0 || (size_t)n >= sizeof point ||
        strncmp(want, point, (size_t)n - 1) != 0 || want[n - 1] != '\0')
        return;
    /* Only a FIFO: the line written into anything else (a plain file, or
     * one a link leads to) would overwrite what it holds, and opening a
     * device could act on it. */
    if (lstat(fifo, &st) != 0 || !S_ISFIFO(st.st_mode))
        return;
    fd = open(fifo, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);
        return;
    }
    /* Signals wait from before the line for a ppoll(): a stop signal
     * sent as soon as the test has the line would otherwise come before
     * the run waits and leave it waiting for a line the test never
     * writes. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &was);
    /* What a test sees of the run is this line; a short write cannot
     * happen for a line under PIPE_BUF. */
    if (write(fd, point, (size_t)n) != n)
        errno = EIO;
    /* The test's reader goes away once it has the line; reading before
     * then could take the line back. */
    go = wait_on(fd, 0, &was) != 0;
    close(fd);
    fd = go ? open(fifo, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) : -1;
    while (fd >= 0 && (wait_on(fd, POLLIN, &was) & (POLLIN | POLLHUP))) {
        ssize_t got = read(fd, &c, 1);

        if (got == 0 || (got == 1 && c == '\n') ||
            (got < 0 && errno != EAGAIN))
            break;
    }
    if (fd >= 0)
        close(fd);
    pthread_sigmask(SIG_SETMASK, &was, NULL);
}
#endif
