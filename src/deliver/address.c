/*
 * address: checks of addresses and of the one mailbox form we parse.
 */
#include <stdlib.h>
#include <string.h>

#include "iom/address.h"
#include "iom/text.h"

bool
iom_email_valid(const char *email, const char **why)
{
    const char *at = strrchr(email, '@'), *p;
    size_t labels = 0, label_len = 0;

    if (!*email) {
        *why = "is empty";
        return false;
    }
    if (strlen(email) > IOM_EMAIL_MAX) {
        *why = "is longer than 254 characters";
        return false;
    }
    if (!at || at == email || strchr(email, '@') != at) {
        *why = "is not an address of the form name@domain";
        return false;
    }
    for (p = email; p < at; p++) {
        bool dot = *p == '.';

        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
            !(*p >= '0' && *p <= '9') && !dot &&
            !strchr("!#$%&'*+/=?^_`{|}~-", *p)) {
            *why = "has a character that is not allowed before the '@'";
            return false;
        }
        if (dot && (p == email || p + 1 == at || p[1] == '.')) {
            *why = "has a misplaced '.' before the '@'";
            return false;
        }
    }
    for (p = at + 1;; p++) {
        if (*p == '.' || *p == '\0') {
            if (label_len == 0 || p[-1] == '-' || label_len > 63) {
                *why = "has an invalid domain";
                return false;
            }
            labels++;
            label_len = 0;
            if (!*p)
                break;
            continue;
        }
        if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
            !(*p >= '0' && *p <= '9') && !(*p == '-' && label_len > 0)) {
            *why = "has an invalid domain";
            return false;
        }
        label_len++;
    }
    if (labels < 2) {
        *why = "has a domain without a '.'";
        return false;
    }
    return true;
}

/* A copy of s[0..len) without surrounding blanks. */
static char *
copy_trimmed(const char *s, size_t len)
{
    char *c;

    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    c = malloc(len + 1);
    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

/* Remove the quotes of a quoted-string name in place; false if unbalanced. */
static bool
unquote(char *name)
{
    size_t len = strlen(name), i, k = 0;

    if (len < 2 || name[0] != '"' || name[len - 1] != '"')
        return !strchr(name, '"');
    for (i = 1; i + 1 < len; i++) {
        if (name[i] == '\\' && i + 2 < len)
            i++;
        else if (name[i] == '"')
            return false;
        name[k++] = name[i];
    }
    name[k] = '\0';
    return true;
}

enum iom_status
iom_mailbox_parse(const char *s, char **name, char **addr, const char **why)
{
    const char *lt = strchr(s, '<'), *gt = strrchr(s, '>'), *p;
    size_t bad;

    *name = *addr = NULL;
    for (p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7F) {
            *why = "holds a control character (a line break would add "
                   "headers)";
            return IOM_EUSAGE;
        }
    }
    if (!iom_utf8_valid(s, strlen(s), &bad)) {
        *why = "is not valid UTF-8";
        return IOM_EUSAGE;
    }
    if (!lt && !gt) {
        *addr = copy_trimmed(s, strlen(s));
        if (!*addr)
            goto nomem;
    } else if (!lt || !gt || gt < lt || gt[1] != '\0' ||
               strchr(lt + 1, '<') || memchr(s, '>', (size_t)(gt - s))) {
        *why = "is not of the form 'addr' or 'Name <addr>'";
        return IOM_EUSAGE;
    } else {
        *addr = copy_trimmed(lt + 1, (size_t)(gt - lt - 1));
        *name = copy_trimmed(s, (size_t)(lt - s));
        if (!*addr || !*name)
            goto nomem;
        if (!unquote(*name)) {
            *why = "has a name with an unbalanced '\"'";
            goto fail;
        }
        if (strlen(*name) > IOM_MAILBOX_NAME_MAX) {
            *why = "has a name longer than 256 bytes";
            goto fail;
        }
        if (!**name) {
            free(*name);
            *name = NULL;
        }
    }
    if (!iom_email_valid(*addr, why))
        goto fail;
    return IOM_OK;
nomem:
    free(*name);
    free(*addr);
    *name = *addr = NULL;
    *why = "out of memory";
    return IOM_ENOMEM;
fail:
    free(*name);
    free(*addr);
    *name = *addr = NULL;
    return IOM_EUSAGE;
}
