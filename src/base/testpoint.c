/*
 * testpoint: a rendezvous through a FIFO.  Opening a FIFO blocks until
 * the other side opens it too, which is what makes each step a handshake.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/testpoint.h"

void
iom_testpoint(const char *name, const char *detail)
{
    const char *want = getenv("IOMREPORT_TEST_PAUSE");
    const char *fifo = getenv("IOMREPORT_TEST_FIFO");
    char point[512], c;
    int fd, n;

    if (!want || !fifo)
        return;
    n = snprintf(point, sizeof point, "%s%s%s\n", name, detail ? ":" : "",
                 detail ? detail : "");
    if (n <= 0 || (size_t)n >= sizeof point ||
        strncmp(want, point, (size_t)n - 1) != 0 || want[n - 1] != '\0')
        return;
    fd = open(fifo, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    /* What a test sees of the run is this line; a short write cannot
     * happen for a line under PIPE_BUF. */
    if (write(fd, point, (size_t)n) != n)
        errno = EIO;
    close(fd);
    fd = open(fifo, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    while (read(fd, &c, 1) == 1 && c != '\n')
        ;
    close(fd);
}
