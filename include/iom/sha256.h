/*
 * sha256: SHA-256 digests in lower-case hex, for the manifest's files, the
 * input's digest and message identities.  The work is nettle's, which
 * uses the CPU's SHA instructions where there are some.
 */
#ifndef IOM_SHA256_H
#define IOM_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <nettle/sha2.h>

#include "iom/status.h"

struct iom_sha256 {
    struct sha256_ctx ctx;
    uint64_t bytes;              /* hashed so far */
};

void iom_sha256_init(struct iom_sha256 *c);
void iom_sha256_update(struct iom_sha256 *c, const void *data, size_t len);
/* Lowercase hex digest (64 characters and a NUL) into 'hex'. */
void iom_sha256_final(struct iom_sha256 *c, char hex[65]);

/* Digest and size of a whole file, or of what is left to read of 'fd';
 * IOM_EIO (errno set) when it cannot be read. */
enum iom_status iom_sha256_file(const char *path, char hex[65],
                                uint64_t *size);
enum iom_status iom_sha256_fd(int fd, char hex[65], uint64_t *size);

#endif
