/*
 * rejects: rejected.csv through a temporary file.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "iom/rejects.h"
#include "iom/sha256.h"

#define FIXED_HEADER "\xEF\xBB\xBFLine,Column,Reason"

enum iom_status
iom_rejects_init(struct iom_rejects *rej)
{
    memset(rej, 0, sizeof *rej);
    rej->tmp = tmpfile();
    if (!rej->tmp)
        return IOM_EIO;
    fputs(FIXED_HEADER, rej->tmp);
    return IOM_OK;
}

void
iom_rejects_release(struct iom_rejects *rej)
{
    if (rej->tmp)
        fclose(rej->tmp);
    rej->tmp = NULL;
    free(rej->keys);
    rej->keys = NULL;
    rej->n_keys = 0;
}

/* Each piece with its length first, so that no two lists of pieces give
 * the same bytes. */
static void
key_piece(struct iom_sha256 *h, const char *s, size_t len)
{
    uint64_t n = len;

    iom_sha256_update(h, &n, sizeof n);
    iom_sha256_update(h, s, len);
}

static void
reject_key(const char *column, size_t column_len, const char *reason,
           size_t reason_len, const char *const *fields, const size_t *lens,
           size_t n, unsigned char out[IOM_REJECT_KEY])
{
    struct iom_sha256 h;
    size_t i;

    iom_sha256_init(&h);
    key_piece(&h, column, column_len);
    key_piece(&h, reason, reason_len);
    for (i = 0; i < n; i++)
        key_piece(&h, fields[i], lens[i]);
    /* The first bytes of the digest are enough to tell rejects apart. */
    sha256_digest(&h.ctx, IOM_REJECT_KEY, out);
}

static int
cmp_key(const void *a, const void *b)
{
    return memcmp(a, b, IOM_REJECT_KEY);
}

struct loading {
    struct iom_rejects *rej;
    size_t cap;
    bool header_seen;
};

static enum iom_status
load_row(void *ctx, const struct iom_csv_row *row)
{
    struct loading *l = ctx;
    struct iom_rejects *rej = l->rej;

    if (!l->header_seen || row->n < 3 || row->problem) {
        l->header_seen = true;
        return IOM_OK;
    }
    if (rej->n_keys == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        void *p = realloc(rej->keys, cap * IOM_REJECT_KEY);

        if (!p)
            return IOM_ENOMEM;
        rej->keys = p;
        l->cap = cap;
    }
    reject_key(row->fields[1], row->lens[1], row->fields[2], row->lens[2],
               row->fields + 3, row->lens + 3, row->n - 3,
               rej->keys[rej->n_keys++]);
    return IOM_OK;
}

enum iom_status
iom_rejects_load_known(struct iom_rejects *rej, const char *path)
{
    struct loading l = { rej, 0, false };
    struct iom_csv_error err = { 0, "" };
    FILE *f = fopen(path, "rb");
    enum iom_status st;

    if (!f)
        return IOM_OK;
    st = iom_csv_read(f, load_row, &l, &err);
    fclose(f);
    if (st == IOM_ENOMEM)
        return st;
    /* A list that cannot be read only means every reject is new. */
    if (st != IOM_OK)
        rej->n_keys = 0;
    if (rej->n_keys)
        qsort(rej->keys, rej->n_keys, IOM_REJECT_KEY, cmp_key);
    return IOM_OK;
}

bool
iom_rejects_known(struct iom_rejects *rej, const struct iom_csv_row *row,
                  const char *column, const char *reason)
{
    unsigned char key[IOM_REJECT_KEY];

    if (!rej->n_keys)
        return false;
    reject_key(column, strlen(column), reason, strlen(reason), row->fields,
               row->lens, row->n, key);
    if (!bsearch(key, rej->keys, rej->n_keys, IOM_REJECT_KEY, cmp_key))
        return false;
    rej->known++;
    return true;
}

int
iom_csv_put_field(FILE *out, const char *s, size_t len)
{
    bool quote = false;
    size_t i;

    for (i = 0; i < len && !quote; i++)
        quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
    if (len && (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '\t'))
        quote = true;
    if (!quote)
        return fwrite(s, 1, len, out) == len ? 0 : -1;
    return csv_fwrite(out, s, len);
}

static void
put_fields(FILE *out, const struct iom_csv_row *row)
{
    size_t i;

    for (i = 0; i < row->n; i++) {
        fputc(',', out);
        iom_csv_put_field(out, row->fields[i], row->lens[i]);
    }
}

enum iom_status
iom_rejects_header(struct iom_rejects *rej, const struct iom_csv_row *header)
{
    put_fields(rej->tmp, header);
    return ferror(rej->tmp) ? IOM_EIO : IOM_OK;
}

enum iom_status
iom_rejects_add(struct iom_rejects *rej, const struct iom_csv_row *row,
                const char *column, const char *reason)
{
    fprintf(rej->tmp, "\r\n%lu,", row->line);
    iom_csv_put_field(rej->tmp, column, strlen(column));
    fputc(',', rej->tmp);
    iom_csv_put_field(rej->tmp, reason, strlen(reason));
    put_fields(rej->tmp, row);
    rej->count++;
    return ferror(rej->tmp) ? IOM_EIO : IOM_OK;
}

enum iom_status
iom_rejects_copy(struct iom_rejects *rej, FILE *out)
{
    char block[64 * 1024];
    size_t n;

    if (fflush(rej->tmp) != 0 || fseek(rej->tmp, 0, SEEK_SET) != 0)
        return IOM_EIO;
    while ((n = fread(block, 1, sizeof block, rej->tmp)) > 0)
        if (fwrite(block, 1, n, out) != n)
            return IOM_EIO;
    if (ferror(rej->tmp) || fputs("\r\n", out) == EOF ||
        fseek(rej->tmp, 0, SEEK_END) != 0)
        return IOM_EIO;
    return IOM_OK;
}
