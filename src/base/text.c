/*
 * text: UTF-8 validation (RFC 3629: no overlongs, no surrogates) and
 * ASCII case folding for header and group names.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "iom/text.h"

bool
iom_utf8_valid(const char *s, size_t len, size_t *bad_at)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < len) {
        unsigned c;
        size_t n, k;
        unsigned lo = 0x80, hi = 0xBF;

        /* Eight ASCII bytes at a time, none of them NUL: most text. */
        while (len - i >= 8) {
            uint64_t v;

            memcpy(&v, p + i, 8);
            if ((v & UINT64_C(0x8080808080808080)) ||
                ((v - UINT64_C(0x0101010101010101)) & ~v &
                 UINT64_C(0x8080808080808080)))
                break;
            i += 8;
        }
        if (i == len)
            break;
        c = p[i];
        if (c == 0)
            goto bad;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            if (c == 0xE0)
                lo = 0xA0;          /* overlong */
            else if (c == 0xED)
                hi = 0x9F;          /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            if (c == 0xF0)
                lo = 0x90;          /* overlong */
            else if (c == 0xF4)
                hi = 0x8F;          /* above U+10FFFF */
        } else {
            goto bad;
        }
        if (len - i <= n)
            goto bad;
        for (k = 1; k <= n; k++) {
            unsigned b = p[i + k];

            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                goto bad;
        }
        i += n + 1;
    }
    return true;
bad:
    if (bad_at)
        *bad_at = i;
    return false;
}

uint32_t
iom_utf8_next(const char **sp)
{
    const unsigned char *p = (const unsigned char *)*sp;
    uint32_t c = p[0];
    size_t n = 0, k;

    if (c >= 0xF0) {
        c &= 0x07;
        n = 3;
    } else if (c >= 0xE0) {
        c &= 0x0F;
        n = 2;
    } else if (c >= 0xC0) {
        c &= 0x1F;
        n = 1;
    }
    for (k = 1; k <= n && p[k]; k++)
        c = (c << 6) | (p[k] & 0x3F);
    *sp += k;
    return c;
}

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

bool
iom_text_ieq(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == *b;
}

void
iom_charset_add(struct iom_charset *cs, uint32_t c)
{
    if (c < 0x10000)
        cs->bits[c / 8] |= (uint8_t)(1u << (c % 8));
    else
        cs->beyond_bmp = true;
}

bool
iom_charset_has(const struct iom_charset *cs, uint32_t c)
{
    return c < 0x10000 && (cs->bits[c / 8] >> (c % 8) & 1);
}

void
iom_charset_add_utf8(struct iom_charset *cs, const char *s)
{
    while (*s)
        iom_charset_add(cs, iom_utf8_next(&s));
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

const char *
iom_text_trim(const char *s, size_t len, size_t *out_len)
{
    while (len && is_space(*s)) {
        s++;
        len--;
    }
    while (len && is_space(s[len - 1]))
        len--;
    *out_len = len;
    return s;
}

size_t
iom_utf8_cut(const char *s, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t lead;

    if (len <= max)
        return len;
    /* Back over the continuation bytes to the character the cut is in:
     * it stays only when it ends exactly at 'max'. */
    lead = max;
    while (lead > 0 && (p[lead] & 0xC0) == 0x80)
        lead--;
    return lead;
}

/* Length of the well-formed UTF-8 sequence at s[0..len), 0 if none. */
static size_t
sequence_len(const unsigned char *s, size_t len)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;

    if (n > len || !iom_utf8_valid((const char *)s, n, NULL))
        return s[0] == 0 ? 1 : 0;
    return n;
}

size_t
iom_text_escape(const char *s, size_t len, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, o = 0;

    assert(cap > 0);
    while (i < len) {
        size_t n = sequence_len(p + i, len - i);
        char esc[8];
        size_t elen = 0;

        if (n == 1 && (p[i] < 0x20 || p[i] == 0x7F)) {
            elen = (size_t)snprintf(esc, sizeof esc, "%s",
                                    p[i] == '\n' ? "\\n" :
                                    p[i] == '\r' ? "\\r" :
                                    p[i] == '\t' ? "\\t" : "");
            if (!elen)
                elen = (size_t)snprintf(esc, sizeof esc, "\\x%02x", p[i]);
        } else if (n == 2 && p[i] == 0xC2 && p[i + 1] < 0xA0) {
            elen = (size_t)snprintf(esc, sizeof esc, "\\u%04x", p[i + 1]);
        } else if (n == 0) {
            /* Not UTF-8: a terminal could still take it for a C1 code. */
            elen = (size_t)snprintf(esc, sizeof esc, "\\x%02x", p[i]);
            n = 1;
        }
        if (o + (elen ? elen : n) >= cap)
            break;
        memcpy(out + o, elen ? esc : (const char *)p + i, elen ? elen : n);
        o += elen ? elen : n;
        i += n;
    }
    out[o] = '\0';
    return o;
}
