/*
 * json_in: a small JSON reader for what iomreport itself wrote
 * (manifest.json, the delivery log's lines).  Builds a tree; strings are
 * decoded (\uXXXX included) to UTF-8; numbers are kept as integers (the
 * files hold no fractions).  Not a general validator of JSON.
 */
#ifndef IOM_JSON_IN_H
#define IOM_JSON_IN_H

#include <stddef.h>
#include <stdint.h>

#include "iom/status.h"

enum iom_json_type {
    IOM_JSON_NULL,
    IOM_JSON_BOOL,
    IOM_JSON_NUMBER,
    IOM_JSON_STRING,
    IOM_JSON_ARRAY,
    IOM_JSON_OBJECT
};

struct iom_json {
    enum iom_json_type type;
    int64_t num;               /* NUMBER (integer part), BOOL (0 or 1) */
    char *str;                 /* STRING: NUL-terminated */
    size_t len;                /* STRING: bytes; ARRAY/OBJECT: items */
    struct iom_json *items;    /* ARRAY and OBJECT values */
    char **keys;               /* OBJECT keys, parallel to 'items' */
};

/*
 * Parse s[0..len) (one value, white space around it allowed) into *out,
 * a tree owned by the caller: iom_json_free(*out).  IOM_EINVALID when it
 * is not JSON, nested deeper than 64 levels, or holds a NUL in a string.
 */
enum iom_status iom_json_parse(const char *s, size_t len,
                               struct iom_json **out);
void iom_json_free(struct iom_json *v);      /* NULL: no-op */

/* The value of 'key' in object 'v', or NULL (also when 'v' is not one). */
const struct iom_json *iom_json_get(const struct iom_json *v,
                                    const char *key);
/* The string of 'key' in 'v', or NULL when absent or not a string. */
const char *iom_json_str(const struct iom_json *v, const char *key);

#endif
