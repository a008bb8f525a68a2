/*
 * sha256: FIPS 180-4 SHA-256 for the manifest's file digests (none of the
 * project's libraries exports one).
 */
#ifndef IOM_SHA256_H
#define IOM_SHA256_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "iom/status.h"

struct iom_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
};

void iom_sha256_init(struct iom_sha256 *c);
void iom_sha256_update(struct iom_sha256 *c, const void *data, size_t len);
/* Lowercase hex digest (64 characters and a NUL) into 'hex'. */
void iom_sha256_final(struct iom_sha256 *c, char hex[65]);

/* Digest and size of a whole file; IOM_EIO when it cannot be read. */
enum iom_status iom_sha256_file(const char *path, char hex[65],
                                uint64_t *size);

#endif
