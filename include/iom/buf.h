/*
 * buf: a growable, always NUL-terminated byte string.  Caller owns the
 * struct; iom_buf_release() frees its storage and leaves it empty again.
 */
#ifndef IOM_BUF_H
#define IOM_BUF_H

#include <stddef.h>

#include "iom/status.h"

struct iom_buf {
    char *data;   /* NUL-terminated; "" (not NULL) while empty */
    size_t len;
    size_t cap;
};

#define IOM_BUF_INIT { (char *)"", 0, 0 }

void iom_buf_init(struct iom_buf *b);
void iom_buf_release(struct iom_buf *b);
void iom_buf_reset(struct iom_buf *b);                  /* keeps storage */
enum iom_status iom_buf_add(struct iom_buf *b, const char *s, size_t len);
enum iom_status iom_buf_adds(struct iom_buf *b, const char *s);
enum iom_status iom_buf_addc(struct iom_buf *b, char c);
enum iom_status iom_buf_addf(struct iom_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * A new string formatted as printf() formats it, for the caller to free();
 * NULL when out of memory.  Every path made of parts ("DIR/NAME",
 * "DIR/.LABEL.lock") is made with it.
 */
char *iom_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last component of 'path' (after its last '/'), borrowed from it. */
const char *iom_path_base(const char *path);
/*
 * Create or replace the file 'path' with 'len' bytes of 'data', in one
 * step: written to a new file ".NAME.tmp-PID" beside it (created with
 * O_EXCL and O_NOFOLLOW, so never through a planted link), then renamed
 * over 'path', which replaces a link standing there instead of following
 * it.  IOM_EIO (message printed) on failure, leaving no temporary file.
 */
enum iom_status iom_write_file(const char *path, const char *data,
                               size_t len);
/*
 * Room for one more element after the first 'n' of the array 'v' of *cap
 * elements of 'size' bytes: 'v' itself when there is, else the array
 * reallocated to twice its capacity (16 at first) with *cap updated.
 * NULL when out of memory, 'v' and *cap then unchanged.
 */
void *iom_grow(void *v, size_t *cap, size_t n, size_t size);
/*
 * Append the whole file 'path' to 'b'.  IOM_ENOINPUT (errno set) when it
 * cannot be opened or read, IOM_ENOMEM; prints nothing.
 */
enum iom_status iom_buf_read_file(struct iom_buf *b, const char *path);

/* Free 'n' strings and the array holding them; NULL is a no-op. */
void iom_strv_free(char **v, size_t n);

/* Hand the storage to the caller (free() it); 'b' is empty afterwards. */
char *iom_buf_detach(struct iom_buf *b);

#endif
