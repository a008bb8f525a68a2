/*
 * json_in: recursive descent over the bytes, one value at a time.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/json_in.h"

#define DEPTH_MAX 64

struct reader {
    const char *p;
    const char *end;
};

static void
skip_space(struct reader *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
                             *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static void
release_value(struct iom_json *v)
{
    size_t i;

    free(v->str);
    for (i = 0; v->items && i < v->len; i++) {
        release_value(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    memset(v, 0, sizeof *v);
}

void
iom_json_free(struct iom_json *v)
{
    if (!v)
        return;
    release_value(v);
    free(v);
}

static int
hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool
read_hex4(struct reader *r, unsigned *out)
{
    unsigned v = 0;
    int i;

    if (r->end - r->p < 4)
        return false;
    for (i = 0; i < 4; i++) {
        int d = hex_digit(*r->p++);

        if (d < 0)
            return false;
        v = v * 16 + (unsigned)d;
    }
    *out = v;
    return true;
}

static enum iom_status
put_utf8(struct iom_buf *b, unsigned c)
{
    char u[4];
    size_t n;

    if (c < 0x80) {
        u[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (c >> 18));
        u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return iom_buf_add(b, u, n);
}

static enum iom_status
read_escape(struct reader *r, struct iom_buf *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k;
    unsigned c, lo;

    if (r->p >= r->end)
        return IOM_EINVALID;
    k = strchr(from, *r->p);
    if (k && *r->p) {
        r->p++;
        return iom_buf_addc(b, to[k - from]);
    }
    if (*r->p++ != 'u' || !read_hex4(r, &c) || c == 0)
        return IOM_EINVALID;
    if (c >= 0xD800 && c < 0xDC00) {
        if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
            return IOM_EINVALID;
        r->p += 2;
        if (!read_hex4(r, &lo) || lo < 0xDC00 || lo > 0xDFFF)
            return IOM_EINVALID;
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
    } else if (c >= 0xDC00 && c < 0xE000) {
        return IOM_EINVALID;
    }
    return put_utf8(b, c);
}

static enum iom_status
read_string(struct reader *r, char **out, size_t *len)
{
    struct iom_buf b;
    enum iom_status st = IOM_OK;

    iom_buf_init(&b);
    r->p++;                                     /* the opening quote */
    for (;;) {
        if (r->p >= r->end || (unsigned char)*r->p < 0x20) {
            st = IOM_EINVALID;
        } else if (*r->p == '"') {
            r->p++;
            break;
        } else if (*r->p == '\\') {
            r->p++;
            st = read_escape(r, &b);
        } else {
            st = iom_buf_addc(&b, *r->p++);
        }
        if (st != IOM_OK) {
            iom_buf_release(&b);
            return st;
        }
    }
    *len = b.len;
    *out = iom_buf_detach(&b);
    return *out ? IOM_OK : IOM_ENOMEM;
}

static enum iom_status read_value(struct reader *r, struct iom_json *v,
                                  int depth);

static bool
literal(struct reader *r, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
        return false;
    r->p += n;
    return true;
}

static enum iom_status
read_number(struct reader *r, struct iom_json *v)
{
    bool neg = false, digits = false;

    if (*r->p == '-') {
        neg = true;
        r->p++;
    }
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (v->num > (INT64_MAX - 9) / 10)
            return IOM_EINVALID;
        v->num = v->num * 10 + (*r->p++ - '0');
        digits = true;
    }
    if (!digits)
        return IOM_EINVALID;
    /* A fraction or exponent is skipped: no file of ours writes one. */
    while (r->p < r->end && strchr("0123456789.eE+-", *r->p) && *r->p)
        r->p++;
    if (neg)
        v->num = -v->num;
    v->type = IOM_JSON_NUMBER;
    return IOM_OK;
}

/* Items of an array or members of an object, after the opening bracket. */
static enum iom_status
read_items(struct reader *r, struct iom_json *v, int depth, bool object)
{
    char close = object ? '}' : ']';
    size_t cap = 0;

    v->type = object ? IOM_JSON_OBJECT : IOM_JSON_ARRAY;
    r->p++;
    skip_space(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return IOM_OK;
    }
    for (;;) {
        enum iom_status st;

        if (v->len == cap) {
            size_t ncap = cap ? cap * 2 : 4;
            struct iom_json *ni = realloc(v->items, ncap * sizeof *ni);
            char **nk;

            if (!ni)
                return IOM_ENOMEM;
            v->items = ni;
            if (object) {
                nk = realloc(v->keys, ncap * sizeof *nk);
                if (!nk)
                    return IOM_ENOMEM;
                v->keys = nk;
            }
            cap = ncap;
        }
        memset(&v->items[v->len], 0, sizeof v->items[v->len]);
        if (object) {
            size_t klen;

            skip_space(r);
            v->keys[v->len] = NULL;
            if (r->p >= r->end || *r->p != '"')
                return IOM_EINVALID;
            st = read_string(r, &v->keys[v->len], &klen);
            if (st != IOM_OK)
                return st;
            skip_space(r);
            if (r->p >= r->end || *r->p++ != ':') {
                free(v->keys[v->len]);
                return IOM_EINVALID;
            }
        }
        st = read_value(r, &v->items[v->len], depth + 1);
        v->len++;                       /* released with the rest */
        if (st != IOM_OK)
            return st;
        skip_space(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return IOM_OK;
        }
        return IOM_EINVALID;
    }
}

static enum iom_status
read_value(struct reader *r, struct iom_json *v, int depth)
{
    if (depth > DEPTH_MAX)
        return IOM_EINVALID;
    skip_space(r);
    if (r->p >= r->end)
        return IOM_EINVALID;
    switch (*r->p) {
    case '{':
    case '[':
        return read_items(r, v, depth, *r->p == '{');
    case '"':
        v->type = IOM_JSON_STRING;
        return read_string(r, &v->str, &v->len);
    case 't':
    case 'f':
        v->type = IOM_JSON_BOOL;
        v->num = *r->p == 't';
        return literal(r, v->num ? "true" : "false") ? IOM_OK :
               IOM_EINVALID;
    case 'n':
        return literal(r, "null") ? IOM_OK : IOM_EINVALID;
    default:
        return read_number(r, v);
    }
}

enum iom_status
iom_json_parse(const char *s, size_t len, struct iom_json **out)
{
    struct reader r = { s, s + len };
    struct iom_json *v = calloc(1, sizeof *v);
    enum iom_status st;

    assert(s || len == 0);
    if (!v)
        return IOM_ENOMEM;
    st = read_value(&r, v, 0);
    skip_space(&r);
    if (st == IOM_OK && r.p != r.end)
        st = IOM_EINVALID;
    if (st != IOM_OK) {
        iom_json_free(v);
        return st;
    }
    *out = v;
    return IOM_OK;
}

const struct iom_json *
iom_json_get(const struct iom_json *v, const char *key)
{
    size_t i;

    if (!v || v->type != IOM_JSON_OBJECT)
        return NULL;
    for (i = 0; i < v->len; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *
iom_json_str(const struct iom_json *v, const char *key)
{
    const struct iom_json *s = iom_json_get(v, key);

    return s && s->type == IOM_JSON_STRING ? s->str : NULL;
}
