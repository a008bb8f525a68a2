/*
 * fname: brief file names.  Names are compared without regard to ASCII
 * case, so that the set stays distinct when unpacked on a case-insensitive
 * file system (a mail client's, say).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/fname.h"
#include "iom/text.h"

#define SUFFIX ".pdf"

struct name_set {
    char **slots;
    size_t cap;
};

static uint64_t
hash_name(const char *s)
{
    uint64_t h = 1469598103934665603u;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211u;
    }
    return h;
}

/* Slot of 'name' if present, else the empty slot where it would go. */
static size_t
slot_of(const struct name_set *set, const char *name)
{
    size_t i = (size_t)hash_name(name) & (set->cap - 1);

    while (set->slots[i] && !iom_text_ieq(set->slots[i], name))
        i = (i + 1) & (set->cap - 1);
    return i;
}

static bool
is_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* The ID made safe, at most 'max' bytes: one '_' per unsafe character. */
static void
safe_stem(const char *id, char *out, size_t max)
{
    size_t n = 0;

    while (*id && n < max) {
        if (is_safe(*id)) {
            out[n++] = *id++;
        } else {
            out[n++] = '_';
            iom_utf8_next(&id);
        }
    }
    if (n == 0)
        out[n++] = '_';
    /* A leading '.' hides the file; a leading '-' reads as an option in
     * the shell commands people run on these files. */
    if (out[0] == '.' || out[0] == '-')
        out[0] = '_';
    out[n] = '\0';
}

static char *
unique_name(struct name_set *set, const char *id)
{
    char stem[IOM_FNAME_MAX + 1], suffix[24];
    char name[sizeof stem + sizeof suffix + sizeof SUFFIX];
    const size_t room = IOM_FNAME_MAX - strlen(SUFFIX);
    unsigned long k;

    for (k = 1;; k++) {
        size_t slot;

        suffix[0] = '\0';
        if (k > 1)
            snprintf(suffix, sizeof suffix, "_%lu", k);
        safe_stem(id, stem, room - strlen(suffix));
        snprintf(name, sizeof name, "%s%s%s", stem, suffix, SUFFIX);
        slot = slot_of(set, name);
        if (!set->slots[slot]) {
            set->slots[slot] = strdup(name);
            return set->slots[slot];
        }
    }
}

enum iom_status
iom_fname_build(const struct iom_record *const *recs, size_t n, char ***out)
{
    struct name_set set = { NULL, 16 };
    char **names;
    size_t i;

    while (set.cap < 2 * n + 16)
        set.cap *= 2;
    set.slots = calloc(set.cap, sizeof *set.slots);
    names = calloc(n ? n : 1, sizeof *names);
    if (!set.slots || !names)
        goto nomem;
    for (i = 0; i < n; i++) {
        names[i] = unique_name(&set, recs[i]->id);
        if (!names[i])
            goto nomem;
    }
    /* The set shares its strings with 'names'; only its table goes. */
    free(set.slots);
    *out = names;
    return IOM_OK;
nomem:
    iom_fname_free(names, n);
    free(set.slots);
    return IOM_ENOMEM;
}

void
iom_fname_free(char **names, size_t n)
{
    iom_strv_free(names, n);
}
