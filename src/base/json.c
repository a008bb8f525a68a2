/*
 * json: jansson with iomreport's statuses.  Its allocator is glibc's, so
 * a failed allocation is a NULL from jansson, mapped to IOM_ENOMEM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/json.h"
#include "iom/text.h"

json_t *
iom_json_text(const char *s)
{
    size_t len = strlen(s), bad, i = 0;
    struct iom_buf b = IOM_BUF_INIT;
    json_t *v;

    if (iom_utf8_valid(s, len, &bad))
        return json_stringn(s, len);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        int good = n <= len - i && iom_utf8_valid(s + i, n, &bad);

        if (iom_buf_add(&b, good ? s + i : "\xEF\xBF\xBD", good ? n : 3) !=
            IOM_OK) {
            iom_buf_release(&b);
            return NULL;
        }
        i += good ? n : 1;
    }
    v = json_stringn(b.data, b.len);
    iom_buf_release(&b);
    return v;
}

enum iom_status
iom_json_set(json_t *obj, const char *key, json_t *v)
{
    if (!v)
        return IOM_ENOMEM;
    return json_object_set_new(obj, key, v) == 0 ? IOM_OK : IOM_ENOMEM;
}

enum iom_status
iom_json_print(const json_t *v, int pretty, struct iom_buf *out)
{
    size_t flags = pretty ? JSON_INDENT(2) : JSON_COMPACT;
    char *s = json_dumps(v, flags);
    enum iom_status st;

    if (!s)
        return IOM_ENOMEM;
    st = iom_buf_adds(out, s);
    if (st == IOM_OK && pretty)
        st = iom_buf_addc(out, '\n');
    free(s);
    return st;
}

enum iom_status
iom_json_parse(const char *s, size_t len, json_t **out, const char **why)
{
    static _Thread_local char reason[JSON_ERROR_TEXT_LENGTH + 32];
    json_error_t err;

    *out = json_loadb(s, len, JSON_REJECT_DUPLICATES, &err);
    if (*out)
        return IOM_OK;
    if (why) {
        snprintf(reason, sizeof reason, "%s at byte %d", err.text,
                 err.position);
        *why = reason;
    }
    return json_error_code(&err) == json_error_out_of_memory ? IOM_ENOMEM :
           IOM_EJSON;
}

enum iom_status
iom_json_load(const char *path, json_t **out)
{
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st = iom_buf_read_file(&b, path);
    int saved = errno;

    *out = NULL;
    if (st == IOM_OK)
        st = iom_json_parse(b.data, b.len, out, NULL);
    iom_buf_release(&b);
    errno = saved;
    return st;
}

const char *
iom_json_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}
