/*
 * text: UTF-8 checks and small text helpers shared by the validator and the
 * renderers (both libraries misbehave on bytes that are not UTF-8).
 */
#ifndef IOM_TEXT_H
#define IOM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * True when s[0..len) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF) with no NUL byte.  On false, *bad_at
 * (when not NULL) is the offset of the first bad byte.
 */
bool iom_utf8_valid(const char *s, size_t len, size_t *bad_at);

/*
 * Decode the code point at *p (valid UTF-8 assumed) and advance *p past it.
 */
uint32_t iom_utf8_next(const char **p);

/*
 * How much of s[0..len) (valid UTF-8) fits in 'max' bytes without
 * splitting a character: 'len' when it all fits.
 */
size_t iom_utf8_cut(const char *s, size_t len, size_t max);

/*
 * A set of Basic Multilingual Plane code points (what a font must hold),
 * and whether anything above the BMP (which libharu cannot draw) was added.
 */
struct iom_charset {
    uint8_t bits[0x10000 / 8];
    bool beyond_bmp;
};

/* Add every code point of the valid UTF-8 string 's'. */
void iom_charset_add_utf8(struct iom_charset *cs, const char *s);
void iom_charset_add(struct iom_charset *cs, uint32_t c);
bool iom_charset_has(const struct iom_charset *cs, uint32_t c);

/*
 * s[0..len) without surrounding white space (space, tab, CR, LF): the
 * start of the trimmed text is returned and its length put in *out_len.
 */
const char *iom_text_trim(const char *s, size_t len, size_t *out_len);

/* Case-insensitive (ASCII) equality of two NUL-terminated strings. */
bool iom_text_ieq(const char *a, const char *b);

/*
 * s[0..len) as one line of plain text, into out[0..cap) (NUL-terminated,
 * cap > 0): control characters (C0, DEL, C1) become \n, \r, \t, \xHH or
 * \u00HH, and bytes that are not UTF-8 become \xHH, so that quoted input
 * can neither split a message nor drive a terminal.  Stops early, at a
 * whole character, when 'out' is full.  Returns the bytes written.
 */
size_t iom_text_escape(const char *s, size_t len, char *out, size_t cap);

#endif
