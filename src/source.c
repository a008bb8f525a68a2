/*
 * source: re-reading records by offset.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/msg.h"
#include "iom/sha256.h"
#include "iom/source.h"

/* Copy 'in' into an anonymous file that can be read again. */
static FILE *
spool(FILE *in)
{
    FILE *tmp = tmpfile();
    char block[64 * 1024];
    size_t n;

    if (!tmp)
        return NULL;
    while ((n = fread(block, 1, sizeof block, in)) > 0)
        if (fwrite(block, 1, n, tmp) != n)
            break;
    if (ferror(in) || ferror(tmp) || fflush(tmp) != 0 ||
        fseek(tmp, 0, SEEK_SET) != 0) {
        fclose(tmp);
        return NULL;
    }
    return tmp;
}

enum iom_status
iom_source_open(struct iom_source *s, const char *path)
{
    struct stat st;

    memset(s, 0, sizeof *s);
    iom_recset_init(&s->scratch);
    if (strcmp(path, "-") == 0) {
        s->f = spool(stdin);
        if (!s->f) {
            iom_errorf("cannot read standard input: %s", strerror(errno));
            return IOM_ENOINPUT;
        }
        return IOM_OK;
    }
    s->f = fopen(path, "rb");
    if (!s->f && errno == EINTR)
        return IOM_EINTR;      /* a FIFO with no writer, and a stop signal */
    if (!s->f) {
        iom_errorf("cannot open input '%s': %s", path, strerror(errno));
        return IOM_ENOINPUT;
    }
    if (fstat(fileno(s->f), &st) != 0 || S_ISDIR(st.st_mode)) {
        iom_errorf("cannot read input '%s': %s", path,
                   S_ISDIR(st.st_mode) ? "it is a folder" : strerror(errno));
        fclose(s->f);
        s->f = NULL;
        return IOM_ENOINPUT;
    }
    if (!S_ISREG(st.st_mode)) {
        /* A pipe or a FIFO cannot be read twice: keep a copy. */
        FILE *pipe = s->f;

        s->f = spool(pipe);
        fclose(pipe);
        if (!s->f) {
            iom_errorf("cannot read input '%s': %s", path, strerror(errno));
            return IOM_ENOINPUT;
        }
    }
    return IOM_OK;
}

struct iom_source_digest {
    pthread_t thread;
    int fd;
    enum iom_status st;
    char hex[65];
    uint64_t bytes;
};

static void *
digest_thread(void *arg)
{
    struct iom_source_digest *d = arg;
    struct iom_sha256 c;
    char *block = malloc(256 * 1024);
    ssize_t n;
    off_t at = 0;

    d->st = block ? IOM_OK : IOM_ENOMEM;
    iom_sha256_init(&c);
    while (d->st == IOM_OK &&
           (n = pread(d->fd, block, 256 * 1024, at)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            d->st = IOM_ENOINPUT;
            break;
        }
        iom_sha256_update(&c, block, (size_t)n);
        at += n;
    }
    free(block);
    d->bytes = c.bytes;
    iom_sha256_final(&c, d->hex);
    return NULL;
}

enum iom_status
iom_source_digest_start(struct iom_source *s)
{
    struct iom_source_digest *d = calloc(1, sizeof *d);

    if (!d)
        return IOM_ENOMEM;
    d->fd = fileno(s->f);
    if (pthread_create(&d->thread, NULL, digest_thread, d) != 0) {
        free(d);
        return IOM_ENOMEM;
    }
    s->digest = d;
    return IOM_OK;
}

enum iom_status
iom_source_digest_finish(struct iom_source *s, char hex[65], uint64_t *bytes)
{
    struct iom_source_digest *d = s->digest;
    enum iom_status st;

    if (!d)
        return IOM_ENOMEM;
    pthread_join(d->thread, NULL);
    st = d->st;
    memcpy(hex, d->hex, 65);
    *bytes = d->bytes;
    free(d);
    s->digest = NULL;
    return st;
}

void
iom_source_close(struct iom_source *s)
{
    if (s->digest) {
        char hex[65];
        uint64_t bytes;

        iom_source_digest_finish(s, hex, &bytes);
    }
    if (s->f)
        fclose(s->f);
    iom_recset_release(&s->scratch);
    free(s->bytes);
    memset(s, 0, sizeof *s);
}

struct load {
    struct iom_source *s;
    struct iom_record rec;
    size_t rows;
    enum iom_status st;
};

static enum iom_status
on_row(void *ctx, const struct iom_csv_row *row)
{
    struct load *l = ctx;

    if (l->rows++ == 0)
        l->st = iom_validator_reload(l->s->v, row, &l->s->scratch, &l->rec);
    return IOM_OK;
}

enum iom_status
iom_source_load(struct iom_source *s, const struct iom_record *rec,
                const struct iom_record **out)
{
    struct iom_csv_error err = { 0, "" };
    struct load l;
    ssize_t got;
    enum iom_status st;

    memset(&l, 0, sizeof l);
    l.s = s;
    iom_recset_release(&s->scratch);
    if (rec->length > s->cap) {
        char *p = realloc(s->bytes, rec->length);

        if (!p)
            return IOM_ENOMEM;
        s->bytes = p;
        s->cap = rec->length;
    }
    got = pread(fileno(s->f), s->bytes, rec->length, (off_t)rec->offset);
    if (got != (ssize_t)rec->length) {
        iom_errorf("cannot read the record of line %lu again: %s",
                   rec->line, got < 0 ? strerror(errno) : "input changed");
        return IOM_ENOINPUT;
    }
    st = iom_csv_read_buffer(s->bytes, rec->length, on_row, &l, &err);
    if (st == IOM_OK)
        st = l.rows == 1 ? l.st : IOM_EINVALID;
    if (st != IOM_OK) {
        iom_errorf("the record of line %lu changed while the run read it",
                   rec->line);
        return st == IOM_ENOMEM ? st : IOM_ENOINPUT;
    }
    /* The index fields stay the first pass's: the line is its own. */
    l.rec.line = rec->line;
    l.rec.offset = rec->offset;
    l.rec.length = rec->length;
    st = iom_recset_add(&s->scratch, &l.rec);
    if (st == IOM_OK)
        *out = &s->scratch.recs[0];
    return st;
}
