/*
 * sfnt: the table directory of a TrueType file and the few fields of its
 * tables that say where the glyphs are.  Numbers are big-endian.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "iom/sfnt.h"

struct table {
    size_t off;
    size_t len;
};

static uint32_t
be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
be32(const unsigned char *p)
{
    return be16(p) << 16 | be16(p + 2);
}

/* The table 'tag' of a directory already found sound, or false. */
static bool
find(const unsigned char *b, const char *tag, struct table *t)
{
    size_t n = be16(b + 4), i;

    for (i = 0; i < n; i++) {
        const unsigned char *r = b + 12 + 16 * i;

        if (memcmp(r, tag, 4) == 0) {
            t->off = be32(r + 8);
            t->len = be32(r + 12);
            return true;
        }
    }
    return false;
}

/* Every table inside the file. */
static bool
directory_sound(const unsigned char *b, size_t len, char *why, size_t size)
{
    size_t n = len >= 12 ? be16(b + 4) : 0, i;

    if (n == 0 || 12 + 16 * n > len) {
        snprintf(why, size, "not a TrueType font (no table directory)");
        return false;
    }
    for (i = 0; i < n; i++) {
        const unsigned char *r = b + 12 + 16 * i;

        if ((uint64_t)be32(r + 8) + be32(r + 12) > len) {
            snprintf(why, size, "its table '%.4s' runs past the end of the "
                     "file (%zu bytes): a file cut short?", (const char *)r,
                     len);
            return false;
        }
    }
    return true;
}

/*
 * Every glyph's outline inside 'glyf': 'loca' holds numGlyphs + 1
 * offsets into it (halved in the short format), none past its end, none
 * before the one above.
 */
static bool
glyphs_sound(const unsigned char *b, struct table head, char *why,
             size_t size)
{
    struct table maxp, loca, glyf;
    size_t glyphs, width, i;
    uint64_t prev = 0;
    bool shorts;

    if (!find(b, "loca", &loca) || !find(b, "glyf", &glyf))
        return true;
    if (!find(b, "maxp", &maxp) || maxp.len < 6) {
        snprintf(why, size, "it has no 'maxp' table to count its glyphs");
        return false;
    }
    glyphs = be16(b + maxp.off + 4);
    /* indexToLocFormat: 50 bytes into 'head' */
    shorts = head.len < 52 || be16(b + head.off + 50) == 0;
    width = shorts ? 2 : 4;
    if (loca.len < (glyphs + 1) * width) {
        snprintf(why, size, "its 'loca' table is too short for its %zu "
                 "glyphs", glyphs);
        return false;
    }
    for (i = 0; i <= glyphs; i++) {
        const unsigned char *p = b + loca.off + i * width;
        uint64_t at = shorts ? 2 * (uint64_t)be16(p) : be32(p);

        if (at < prev || at > glyf.len) {
            snprintf(why, size, "its glyph %zu lies outside its 'glyf' "
                     "table", i ? i - 1 : 0);
            return false;
        }
        prev = at;
    }
    return true;
}

bool
iom_sfnt_sound(const unsigned char *data, size_t len, char *why,
               size_t size)
{
    struct table head;

    if (!directory_sound(data, len, why, size))
        return false;
    if (!find(data, "head", &head)) {
        snprintf(why, size, "it has no 'head' table");
        return false;
    }
    /* unitsPerEm: 18 bytes into 'head' */
    if (head.len < 20 || be16(data + head.off + 18) == 0) {
        snprintf(why, size, "its 'head' table gives no units per em");
        return false;
    }
    return glyphs_sound(data, head, why, size);
}
