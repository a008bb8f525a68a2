/*
 * source: re-reading records by offset.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
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
    struct iom_source_census census;
    unsigned need;               /* continuation bytes still expected */
    unsigned got;                /* of the sequence being read */
};

/* Length of the UTF-8 sequence led by 'c' (0: not a lead byte). */
static unsigned
lead_length(unsigned char c)
{
    return c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 :
           c >= 0xF0 && c <= 0xF4 ? 4 : 0;
}

/* Count 'n' bytes that are not UTF-8, the first of them at offset 'at'. */
static void
count_invalid(struct iom_source_census *c, uint64_t at, uint64_t n)
{
    if (!c->invalid)
        c->first_invalid = at;
    c->invalid += n;
}

/* Count what 'p' holds as UTF-8, carrying a sequence across blocks. */
static void
take_census(struct iom_source_digest *d, const unsigned char *p, size_t n,
            uint64_t at)
{
    struct iom_source_census *c = &d->census;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char b;

        /* Outside a sequence, eight ASCII bytes at a time: most text. */
        while (!d->need && n - i >= 8) {
            uint64_t v;

            memcpy(&v, p + i, 8);
            if (v & UINT64_C(0x8080808080808080))
                break;
            i += 8;
        }
        if (i == n)
            break;
        b = p[i];
        if (d->need && (b & 0xC0) == 0x80) {
            d->got++;
            if (--d->need == 0)
                c->multibyte++;
            continue;
        }
        if (d->need) {
            /* A sequence cut short: its bytes were not UTF-8. */
            count_invalid(c, at + i - d->got, d->got);
            d->need = 0;
        }
        if (b < 0x80)
            continue;
        d->need = lead_length(b);
        d->got = 1;
        if (d->need)
            d->need--;
        else
            count_invalid(c, at + i, 1);
    }
}

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
        take_census(d, (const unsigned char *)block, (size_t)n, (uint64_t)at);
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
    d->fd = fileno(s->raw ? s->raw : s->f);
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
    s->census = d->census;
    if (d->need)    /* a sequence cut short by the end of the input */
        count_invalid(&s->census, d->bytes - d->got, d->got);
    free(d);
    s->digest = NULL;
    return st;
}

const struct iom_source_census *
iom_source_census(const struct iom_source *s)
{
    return &s->census;
}

size_t
iom_source_head(const struct iom_source *s, char *buf, size_t cap)
{
    ssize_t n = pread(fileno(s->f), buf, cap - 1, 0);

    if (n < 0)
        n = 0;
    buf[n] = '\0';
    return (size_t)n;
}

/* Lines ended in bytes[0..n): LF, CR, and a CRLF once. */
static unsigned long
count_lines(const char *p, size_t n, bool *after_cr)
{
    unsigned long lines = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] == '\r' || (p[i] == '\n' && !*after_cr))
            lines++;
        *after_cr = p[i] == '\r';
    }
    return lines;
}

enum iom_status
iom_source_convert(struct iom_source *s, const char *name,
                   const char *encoding)
{
    enum { BLOCK = 64 * 1024 };
    iconv_t cd = iconv_open("UTF-8", encoding);
    char *in = NULL, *out = NULL;
    size_t left = 0;
    unsigned long line = 1;
    bool after_cr = false, eof = false;
    enum iom_status st = IOM_OK;
    FILE *tmp = NULL;

    if (cd == (iconv_t)-1) {
        iom_errorf("unknown --encoding '%s' (iconv --list names those "
                   "known)", encoding);
        return IOM_EUSAGE;
    }
    in = malloc(BLOCK);
    out = malloc(4 * BLOCK);
    tmp = tmpfile();
    if (!in || !out || !tmp)
        st = tmp ? IOM_ENOMEM : IOM_EIO;
    while (st == IOM_OK && !(eof && left == 0)) {
        size_t got = eof ? 0 : fread(in + left, 1, BLOCK - left, s->f);
        char *ip = in, *op = out;
        size_t il, ol = 4 * BLOCK;

        if (got == 0 && ferror(s->f)) {
            iom_errorf("cannot read input '%s': %s", name, strerror(errno));
            st = IOM_ENOINPUT;
            break;
        }
        eof = got == 0;
        il = left + got;
        if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG &&
            (errno != EINVAL || eof)) {
            line += count_lines(out, (size_t)(op - out), &after_cr);
            iom_errorf("%s:%lu: byte 0x%02X is not %s%s", name, line,
                       (unsigned char)*ip, encoding, errno == EINVAL ?
                       " (a sequence cut short by the end of the file)" :
                       "");
            st = IOM_ECSV;
            break;
        }
        line += count_lines(out, (size_t)(op - out), &after_cr);
        if (fwrite(out, 1, (size_t)(op - out), tmp) != (size_t)(op - out)) {
            st = IOM_EIO;
            break;
        }
        /* An incomplete sequence at the block's end waits for the next. */
        memmove(in, ip, il);
        left = il;
        if (eof && left == 0)
            break;
    }
    if (st == IOM_OK && (fflush(tmp) != 0 || fseek(tmp, 0, SEEK_SET) != 0))
        st = IOM_EIO;
    if (st == IOM_EIO)
        iom_errorf("cannot convert input '%s' from %s: %s", name, encoding,
                   strerror(errno));
    iconv_close(cd);
    free(in);
    free(out);
    if (st != IOM_OK) {
        if (tmp)
            fclose(tmp);
        return st;
    }
    s->raw = s->f;
    s->f = tmp;
    return IOM_OK;
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
    if (s->raw)
        fclose(s->raw);
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
    st = iom_csv_read_buffer_delim(s->bytes, rec->length, s->delim, on_row,
                                   &l, &err);
    if (st == IOM_OK)
        st = l.rows == 1 ? l.st : IOM_EINVALID;
    if (st == IOM_ENOMEM)
        return st;       /* the caller says what it could not do */
    if (st != IOM_OK) {
        iom_errorf("the record of line %lu changed while the run read it",
                   rec->line);
        return IOM_ENOINPUT;
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
