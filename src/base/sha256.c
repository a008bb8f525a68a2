/*
 * sha256: a thin layer over nettle, which keeps its state on the stack
 * (no allocation that could fail) and picks its fastest code at run time.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "iom/sha256.h"

void
iom_sha256_init(struct iom_sha256 *c)
{
    sha256_init(&c->ctx);
    c->bytes = 0;
}

void
iom_sha256_update(struct iom_sha256 *c, const void *data, size_t len)
{
    sha256_update(&c->ctx, len, data);
    c->bytes += len;
}

void
iom_sha256_final(struct iom_sha256 *c, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t d[SHA256_DIGEST_SIZE];
    size_t i;

    sha256_digest(&c->ctx, sizeof d, d);
    for (i = 0; i < sizeof d; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[64] = '\0';
}

enum iom_status
iom_sha256_fd(int fd, char hex[65], uint64_t *size)
{
    unsigned char block[64 * 1024];
    struct iom_sha256 c;
    ssize_t n;

    iom_sha256_init(&c);
    while ((n = read(fd, block, sizeof block)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return IOM_EIO;
        iom_sha256_update(&c, block, (size_t)n);
    }
    *size = c.bytes;
    iom_sha256_final(&c, hex);
    return IOM_OK;
}

enum iom_status
iom_sha256_file(const char *path, char hex[65], uint64_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    enum iom_status st;
    int err;

    if (fd < 0)
        return IOM_EIO;
    st = iom_sha256_fd(fd, hex, size);
    err = errno;
    close(fd);
    errno = err;
    return st;
}
