/*
 * buf: growable NUL-terminated strings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/msg.h"

static char empty_string[1];

void
iom_buf_init(struct iom_buf *b)
{
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
}

void
iom_buf_release(struct iom_buf *b)
{
    if (b->cap)
        free(b->data);
    iom_buf_init(b);
}

void
iom_buf_reset(struct iom_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

static enum iom_status
grow(struct iom_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return IOM_ENOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return IOM_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->cap ? b->data : NULL, cap);
    if (!p)
        return IOM_ENOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return IOM_OK;
}

enum iom_status
iom_buf_add(struct iom_buf *b, const char *s, size_t len)
{
    enum iom_status st = grow(b, len);

    if (st != IOM_OK)
        return st;
    if (len)
        memcpy(b->data + b->len, s, len);
    b->len += len;
    b->data[b->len] = '\0';
    return IOM_OK;
}

enum iom_status
iom_buf_adds(struct iom_buf *b, const char *s)
{
    return iom_buf_add(b, s, strlen(s));
}

enum iom_status
iom_buf_addc(struct iom_buf *b, char c)
{
    return iom_buf_add(b, &c, 1);
}

/* Append 'fmt' formatted with 'ap' (left as it was: 'ap' is copied). */
static enum iom_status
buf_vaddf(struct iom_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;
    enum iom_status st;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    st = n < 0 ? IOM_ENOMEM : grow(b, (size_t)n);
    if (st != IOM_OK)
        return st;
    va_copy(again, ap);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
    va_end(again);
    b->len += (size_t)n;
    return IOM_OK;
}

enum iom_status
iom_buf_addf(struct iom_buf *b, const char *fmt, ...)
{
    va_list ap;
    enum iom_status st;

    va_start(ap, fmt);
    st = buf_vaddf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *
iom_strf(const char *fmt, ...)
{
    struct iom_buf b = IOM_BUF_INIT;
    va_list ap;
    enum iom_status st;

    va_start(ap, fmt);
    st = buf_vaddf(&b, fmt, ap);
    va_end(ap);
    if (st != IOM_OK) {
        iom_buf_release(&b);
        return NULL;
    }
    return iom_buf_detach(&b);
}

const char *
iom_path_base(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

char *
iom_buf_detach(struct iom_buf *b)
{
    char *p = b->cap ? b->data : strdup("");

    iom_buf_init(b);
    return p;
}

/* A new file for writing, never through a symbolic link. */
static int
create_new(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);

    /* A leftover of a killed writer of the same process id, or a planted
     * link: unlink() removes the name, never what a link points to. */
    if (fd < 0 && errno == EEXIST && unlink(path) == 0)
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  0644);
    return fd;
}

enum iom_status
iom_write_file(const char *path, const char *data, size_t len)
{
    struct iom_buf tmp = IOM_BUF_INIT;
    const char *slash = strrchr(path, '/');
    int dir_len = slash ? (int)(slash - path + 1) : 0, fd = -1;
    enum iom_status st;
    size_t done = 0;

    st = iom_buf_addf(&tmp, "%.*s.%s.tmp-%ld", dir_len, path, path + dir_len,
                      (long)getpid());
    if (st == IOM_OK && (fd = create_new(tmp.data)) < 0) {
        iom_errorf("cannot create '%s': %s", tmp.data, strerror(errno));
        st = IOM_EIO;
    }
    while (st == IOM_OK && done < len) {
        ssize_t n = write(fd, data + done, len - done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            iom_errorf("cannot write '%s': %s", path, strerror(errno));
            st = IOM_EIO;
        } else {
            done += (size_t)n;
        }
    }
    if (fd >= 0 && close(fd) != 0 && st == IOM_OK) {
        iom_errorf("cannot write '%s': %s", path, strerror(errno));
        st = IOM_EIO;
    }
    /* rename() replaces a link at 'path'; it never writes through it. */
    if (st == IOM_OK && rename(tmp.data, path) != 0) {
        iom_errorf("cannot create '%s': %s", path, strerror(errno));
        st = IOM_EIO;
    }
    if (st != IOM_OK && fd >= 0)
        unlink(tmp.data);
    iom_buf_release(&tmp);
    return st;
}

void *
iom_grow(void *v, size_t *cap, size_t n, size_t size)
{
    size_t c = *cap ? *cap * 2 : 16;

    if (n < *cap && v)
        return v;
    if (c < *cap || c > SIZE_MAX / size)
        return NULL;
    v = realloc(v, c * size);
    if (v)
        *cap = c;
    return v;
}

enum iom_status
iom_buf_read_file(struct iom_buf *b, const char *path)
{
    FILE *f = fopen(path, "rb");
    char chunk[65536];
    enum iom_status st = IOM_OK;
    size_t n;
    int saved;

    if (!f)
        return IOM_ENOINPUT;
    while (st == IOM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = iom_buf_add(b, chunk, n);
    if (st == IOM_OK && ferror(f))
        st = IOM_ENOINPUT;
    saved = errno;
    fclose(f);
    errno = saved;
    return st;
}

void
iom_strv_free(char **v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
