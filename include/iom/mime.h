/*
 * mime: one RFC 5322 message with a text part and attachments
 * (multipart/mixed, RFC 2045-2047, 2231).  Every line ends in CRLF;
 * base64 lines are 76 characters; UTF-8 in a header is an RFC 2047
 * encoded-word, in a file name an RFC 2231 parameter.  Knows nothing of
 * SMTP or of what is attached.
 */
#ifndef IOM_MIME_H
#define IOM_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "iom/buf.h"
#include "iom/status.h"

struct iom_mime_part {
    const char *filename;       /* UTF-8, no folder */
    const char *content_type;   /* e.g. iom_mime_type(filename) */
    const char *data;
    size_t len;
};

struct iom_mime_msg {
    const char *from;           /* addr-spec */
    const char *from_name;      /* UTF-8 display name, or NULL */
    const char *to;
    const char *to_name;
    const char *subject;        /* UTF-8, one line */
    const char *message_id;     /* "<left@right>" */
    int64_t date;               /* UTC seconds */
    const char *body;           /* UTF-8 text, LF line ends */
    const struct iom_mime_part *parts;
    size_t n_parts;
};

/* Append the whole message to 'out'.  All strings borrowed. */
enum iom_status iom_mime_compose(const struct iom_mime_msg *m,
                                 struct iom_buf *out);

/*
 * Append 's' as header text, so that no header line grows long: printable
 * ASCII as is, folded at its spaces; anything else (or a word too long to
 * fold) as RFC 2047 B encoded-words of at most 75 characters, whole UTF-8
 * characters each, folded with CRLF and a space.
 */
enum iom_status iom_mime_header_text(struct iom_buf *out, const char *s);

/* Bytes that 'len' bytes take once base64 encoded in 76-character lines. */
size_t iom_mime_base64_size(size_t len);

/* The content type for a file name (by its extension). */
const char *iom_mime_type(const char *filename);

/* "Mon, 02 Jan 2006 15:04:05 +0000" for UTC seconds 't'. */
void iom_mime_date(int64_t t, char out[40]);

#endif
