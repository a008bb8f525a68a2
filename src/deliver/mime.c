/*
 * mime: message composition.  The text is quoted-printable, attachments
 * base64: both are 7-bit clean whatever the server announces (no 8BITMIME
 * needed), and lines never exceed 78 characters.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "iom/mime.h"
#include "iom/sha256.h"

#define B64_LINE 76
/* Header lines are folded before this column (RFC 5322 asks for 78). */
#define FOLD_AT 76
/* A word longer than this cannot be folded: it goes as encoded-words. */
#define WORD_MAX 60
/* Room taken by the longest header name we fold after ("Subject: "). */
#define HEADER_NAME_MAX 9

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 of s[0..len) on one line (no line breaks). */
static enum iom_status
base64_run(struct iom_buf *out, const unsigned char *s, size_t len)
{
    enum iom_status st = IOM_OK;
    size_t i;

    for (i = 0; i < len && st == IOM_OK; i += 3) {
        char q[4];
        unsigned v = (unsigned)s[i] << 16;

        if (i + 1 < len)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < len)
            v |= s[i + 2];
        q[0] = b64[(v >> 18) & 63];
        q[1] = b64[(v >> 12) & 63];
        q[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < len ? b64[v & 63] : '=';
        st = iom_buf_add(out, q, 4);
    }
    return st;
}

/* Base64 body: 57 bytes make one 76-character line. */
static enum iom_status
base64_body(struct iom_buf *out, const char *data, size_t len)
{
    const unsigned char *s = (const unsigned char *)data;
    enum iom_status st = IOM_OK;
    size_t i;

    for (i = 0; i < len && st == IOM_OK; i += B64_LINE / 4 * 3) {
        size_t n = len - i < B64_LINE / 4 * 3 ? len - i : B64_LINE / 4 * 3;

        st = base64_run(out, s + i, n);
        if (st == IOM_OK)
            st = iom_buf_add(out, "\r\n", 2);
    }
    return st;
}

size_t
iom_mime_base64_size(size_t len)
{
    size_t chars = (len + 2) / 3 * 4;

    return chars + (chars + B64_LINE - 1) / B64_LINE * 2;
}

const char *
iom_mime_type(const char *filename)
{
    static const struct { const char *ext; const char *type; } types[] = {
        { ".pdf", "application/pdf" },
        { ".xlsx", "application/vnd.openxmlformats-officedocument."
                   "spreadsheetml.sheet" },
        { ".csv", "text/csv" },
        { ".json", "application/json" },
    };
    size_t n = strlen(filename), k;

    for (k = 0; k < sizeof types / sizeof types[0]; k++) {
        size_t e = strlen(types[k].ext);

        if (n > e && strcasecmp(filename + n - e, types[k].ext) == 0)
            return types[k].type;
    }
    return "application/octet-stream";
}

void
iom_mime_date(int64_t t, char out[40])
{
    static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu",
                                     "Fri", "Sat" };
    static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May",
                                         "Jun", "Jul", "Aug", "Sep", "Oct",
                                         "Nov", "Dec" };
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    /* Spelled out: strftime's %a and %b follow the locale. */
    snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000",
             days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static bool
plain_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
            return false;
    return true;
}

/* Bytes of the UTF-8 sequence that starts with 'c'. */
static size_t
utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The longest run of characters between spaces. */
static size_t
longest_word(const char *s)
{
    size_t best = 0, run = 0;

    for (; *s; s++) {
        run = *s == ' ' ? 0 : run + 1;
        if (run > best)
            best = run;
    }
    return best;
}

/*
 * Printable ASCII folded at its spaces (CRLF before a space: unfolding
 * gives back the text), optionally as a quoted-string.  'col' is where
 * the text starts on its line.
 */
static enum iom_status
fold_ascii(struct iom_buf *out, const char *s, size_t col, bool quoted)
{
    enum iom_status st = quoted ? iom_buf_addc(out, '"') : IOM_OK;

    for (; *s && st == IOM_OK; s++) {
        if (*s == ' ' && col + 1 + strcspn(s + 1, " ") + 1 > FOLD_AT) {
            st = iom_buf_add(out, "\r\n", 2);
            col = 0;
        }
        if (st == IOM_OK && quoted && (*s == '"' || *s == '\\')) {
            st = iom_buf_addc(out, '\\');
            col++;
        }
        if (st == IOM_OK)
            st = iom_buf_addc(out, *s);
        col++;
    }
    return st == IOM_OK && quoted ? iom_buf_addc(out, '"') : st;
}

/*
 * RFC 2047 B encoded-words of whole UTF-8 characters, one a line, each
 * ending after a space where there is one, so that a reader that wrongly
 * puts a space between words only doubles a space.
 */
static enum iom_status
encoded_words(struct iom_buf *out, const char *s)
{
    /* 45 bytes are 60 base64 characters: 72 with "=?UTF-8?B?" "?=".  The
     * first word shares its line with the header's name ("Subject: "). */
    const size_t word_max = 45, first_max = 36;
    const unsigned char *p = (const unsigned char *)s;
    enum iom_status st = IOM_OK;
    bool first = true;

    while (*p && st == IOM_OK) {
        size_t n = 0, after_space = 0, max = first ? first_max : word_max;

        while (p[n] && n + utf8_len(p[n]) <= max) {
            n += utf8_len(p[n]);
            if (p[n - 1] == ' ')
                after_space = n;
        }
        if (p[n] && after_space > max / 2)
            n = after_space;
        if (n == 0)
            n = strlen((const char *)p);   /* invalid UTF-8: keep bytes */
        if (!first)
            st = iom_buf_add(out, "\r\n ", 3);
        if (st == IOM_OK)
            st = iom_buf_adds(out, "=?UTF-8?B?");
        if (st == IOM_OK)
            st = base64_run(out, p, n);
        if (st == IOM_OK)
            st = iom_buf_adds(out, "?=");
        p += n;
        first = false;
    }
    return st;
}

enum iom_status
iom_mime_header_text(struct iom_buf *out, const char *s)
{
    if (plain_ascii(s) && longest_word(s) <= WORD_MAX)
        return fold_ascii(out, s, HEADER_NAME_MAX, false);
    return encoded_words(out, s);
}

/*
 * "Name" <addr>: the name as a quoted-string when it is ASCII, folded at
 * its spaces, else as encoded-words; just <addr> without a name.
 */
static enum iom_status
put_address(struct iom_buf *out, const char *header, const char *name,
            const char *addr)
{
    enum iom_status st = iom_buf_addf(out, "%s: ", header);

    if (st == IOM_OK && name && *name && plain_ascii(name) &&
        longest_word(name) <= WORD_MAX)
        st = fold_ascii(out, name, strlen(header) + 2, true);
    else if (st == IOM_OK && name && *name)
        st = encoded_words(out, name);
    if (st == IOM_OK && name && *name)
        st = iom_buf_adds(out, "\r\n ");
    if (st == IOM_OK)
        st = iom_buf_addf(out, "<%s>\r\n", addr);
    return st;
}

static bool
token_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || strchr("!#$&+-.^_`|~", c);
}

/*
 * The file name parameters.  An ASCII name is a quoted string; any other
 * goes as RFC 2231 UTF-8 percent-encoding in numbered continuations, so
 * that no line grows long.
 */
static enum iom_status
put_filename(struct iom_buf *out, const char *param, const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    enum iom_status st = IOM_OK;
    size_t line = 0, seg = 0;

    if (plain_ascii(name) && !strpbrk(name, "\"\\"))
        return iom_buf_addf(out, ";\r\n %s=\"%s\"", param, name);
    while (*p && st == IOM_OK) {
        if (line == 0) {
            st = iom_buf_addf(out, ";\r\n %s*%zu*=%s", param, seg,
                              seg == 0 ? "UTF-8''" : "");
            seg++;
        }
        if (st != IOM_OK)
            break;
        if (token_char(*p) && *p != '%' && *p != '\'' && *p != '*') {
            st = iom_buf_addc(out, (char)*p);
            line++;
        } else {
            st = iom_buf_addf(out, "%%%02X", *p);
            line += 3;
        }
        p++;
        if (line >= 60)
            line = 0;
    }
    return st;
}

/*
 * Quoted-printable (RFC 2045) of CRLF text: readable in any client and in
 * a log, 7-bit clean, no line over 76 characters (soft breaks "=").
 */
static enum iom_status
qp_body(struct iom_buf *out, const char *s)
{
    enum iom_status st = IOM_OK;
    size_t col = 0;

    for (; *s && st == IOM_OK; s++) {
        unsigned char c = (unsigned char)*s;
        bool line_end = s[0] == '\r' && s[1] == '\n';
        /* Blanks before a line end would be lost: they are encoded. */
        bool blank_at_end = (c == ' ' || c == '\t') &&
                            (s[1] == '\0' || (s[1] == '\r' && s[2] == '\n'));
        bool literal = !blank_at_end && c != '=' &&
                       ((c >= 33 && c <= 126) || c == ' ' || c == '\t');
        size_t width = literal ? 1 : 3;

        if (line_end) {
            st = iom_buf_add(out, "\r\n", 2);
            s++;
            col = 0;
            continue;
        }
        if (col + width > 75) {
            st = iom_buf_add(out, "=\r\n", 3);
            col = 0;
        }
        if (st == IOM_OK)
            st = literal ? iom_buf_addc(out, (char)c) :
                 iom_buf_addf(out, "=%02X", c);
        col += width;
    }
    return st;
}

/* CRLF line ends for the text part (the canonical form of text). */
static enum iom_status
crlf_text(const char *s, struct iom_buf *out)
{
    enum iom_status st = IOM_OK;

    for (; *s && st == IOM_OK; s++) {
        if (*s == '\n')
            st = iom_buf_addc(out, '\r');
        if (st == IOM_OK)
            st = iom_buf_addc(out, *s);
    }
    return st;
}

static enum iom_status
put_headers(const struct iom_mime_msg *m, const char *boundary,
            struct iom_buf *out)
{
    char date[40];
    enum iom_status st;

    iom_mime_date(m->date, date);
    st = put_address(out, "From", m->from_name, m->from);
    if (st == IOM_OK)
        st = put_address(out, "To", m->to_name, m->to);
    if (st == IOM_OK)
        st = iom_buf_adds(out, "Subject: ");
    if (st == IOM_OK)
        st = iom_mime_header_text(out, m->subject);
    if (st == IOM_OK)
        st = iom_buf_addf(out, "\r\nDate: %s\r\nMessage-ID: %s\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Auto-Submitted: auto-generated\r\n"
                          "Content-Type: multipart/mixed;\r\n"
                          " boundary=\"%s\"\r\n\r\n"
                          "This is a MIME message.\r\n", date,
                          m->message_id, boundary);
    return st;
}

static enum iom_status
put_part(const struct iom_mime_part *p, const char *boundary,
         struct iom_buf *out)
{
    enum iom_status st = iom_buf_addf(out, "\r\n--%s\r\nContent-Type: %s",
                                      boundary, p->content_type);

    if (st == IOM_OK)
        st = put_filename(out, "name", p->filename);
    if (st == IOM_OK)
        st = iom_buf_adds(out, "\r\nContent-Transfer-Encoding: base64\r\n"
                          "Content-Disposition: attachment");
    if (st == IOM_OK)
        st = put_filename(out, "filename", p->filename);
    if (st == IOM_OK)
        st = iom_buf_adds(out, "\r\n\r\n");
    if (st == IOM_OK)
        st = base64_body(out, p->data, p->len);
    return st;
}

enum iom_status
iom_mime_compose(const struct iom_mime_msg *m, struct iom_buf *out)
{
    struct iom_sha256 h;
    struct iom_buf text;
    char hex[65], boundary[48];
    enum iom_status st;
    size_t i;

    assert(m && m->from && m->to && m->subject && m->message_id && m->body);
    /* Base64 never holds '_' or "=_", so this cannot occur in a part. */
    iom_sha256_init(&h);
    iom_sha256_update(&h, m->message_id, strlen(m->message_id));
    iom_sha256_final(&h, hex);
    snprintf(boundary, sizeof boundary, "=_iomreport_%.24s", hex);
    iom_buf_init(&text);
    st = put_headers(m, boundary, out);
    if (st == IOM_OK)
        st = iom_buf_addf(out, "\r\n--%s\r\nContent-Type: text/plain; "
                          "charset=UTF-8\r\nContent-Transfer-Encoding: "
                          "quoted-printable\r\n\r\n", boundary);
    if (st == IOM_OK)
        st = crlf_text(m->body, &text);
    if (st == IOM_OK)
        st = qp_body(out, text.data);
    for (i = 0; i < m->n_parts && st == IOM_OK; i++)
        st = put_part(&m->parts[i], boundary, out);
    if (st == IOM_OK)
        st = iom_buf_addf(out, "\r\n--%s--\r\n", boundary);
    iom_buf_release(&text);
    return st;
}
