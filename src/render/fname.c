/*
 * fname: brief file names.  Names are compared without regard to ASCII
 * case, so that the set stays distinct when unpacked on a case-insensitive
 * file system (a mail client's, say).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iom/buf.h"
#include "iom/fname.h"
#include "iom/hashset.h"
#include "iom/text.h"

#define SUFFIX ".pdf"

/*
 * The names given so far, without regard to case, each with the next
 * suffix to try when its ID's plain name comes up again (next[slot]): a
 * run of IDs that all make the same name is then numbered in linear time.
 * The set is sized for every name at the start, so slots never move.
 */
struct name_set {
    struct iom_hashset names;
    unsigned long *next;
    unsigned long tries;        /* candidate names looked up */
};

/* Slot of 'name' if present, else the empty slot where it would go. */
static size_t
slot_of(struct name_set *set, const char *name)
{
    set->tries++;
    return iom_hashset_find(&set->names, name, strlen(name));
}

static bool
is_safe(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool
iom_fname_windows_refuses(const char *name)
{
    static const char *const devices[] = { "CON", "PRN", "AUX", "NUL" };
    size_t stem = strcspn(name, "."), len = strlen(name), i;

    /* Windows drops trailing dots and spaces, so "a." would be "a". */
    if (len && (name[len - 1] == '.' || name[len - 1] == ' '))
        return true;
    /* "CON .txt" is the device too. */
    while (stem && name[stem - 1] == ' ')
        stem--;
    if (stem == 3) {
        for (i = 0; i < sizeof devices / sizeof devices[0]; i++)
            if (strncasecmp(name, devices[i], 3) == 0)
                return true;
    }
    return stem == 4 && (strncasecmp(name, "COM", 3) == 0 ||
                         strncasecmp(name, "LPT", 3) == 0) &&
           name[3] >= '0' && name[3] <= '9';
}

/*
 * The ID made safe, at most 'max' bytes: one '_' per unsafe character.
 * 'tail' is what will follow it in the name ("_2.pdf").
 */
static void
safe_stem(const char *id, char *out, size_t max, const char *tail)
{
    char name[IOM_FNAME_MAX + 32];
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
    /* Briefs are unpacked on Windows too, which refuses device names
     * (CON, NUL.pdf, ...) whatever follows them. */
    snprintf(name, sizeof name, "%s%s", out, tail);
    if (iom_fname_windows_refuses(name)) {
        if (n == max)
            n--;
        memmove(out + 1, out, n);
        out[0] = '_';
        out[n + 1] = '\0';
    }
}

/* The name of 'id' with suffix number k (1: none) into 'name'. */
static void
candidate(const char *id, unsigned long k, char *name, size_t size)
{
    char stem[IOM_FNAME_MAX + 1], tail[32];
    const size_t room = IOM_FNAME_MAX - strlen(SUFFIX);
    size_t suffix_len = 0;

    tail[0] = '\0';
    if (k > 1)
        suffix_len = (size_t)snprintf(tail, sizeof tail, "_%lu", k);
    snprintf(tail + suffix_len, sizeof tail - suffix_len, "%s", SUFFIX);
    safe_stem(id, stem, room - suffix_len, tail);
    snprintf(name, size, "%s%s", stem, tail);
}

static char *
add_name(struct name_set *set, size_t slot, const char *name)
{
    char *copy = strdup(name);

    if (copy) {
        iom_hashset_put(&set->names, slot, copy);
        set->next[slot] = 2;
    }
    return copy;
}

static char *
unique_name(struct name_set *set, const char *id)
{
    char plain[IOM_FNAME_MAX + 32], name[sizeof plain];
    size_t first, slot;
    unsigned long k;

    candidate(id, 1, plain, sizeof plain);
    first = slot_of(set, plain);
    if (!iom_hashset_at(&set->names, first))
        return add_name(set, first, plain);
    /* Numbers below next[first] were all given already. */
    for (k = set->next[first];; k++) {
        candidate(id, k, name, sizeof name);
        slot = slot_of(set, name);
        if (!iom_hashset_at(&set->names, slot))
            break;
    }
    set->next[first] = k + 1;
    return add_name(set, slot, name);
}

enum iom_status
iom_fname_build(const struct iom_record *const *recs, size_t n, char ***out,
                unsigned long *tries)
{
    struct name_set set = { { NULL, 0, 0, true }, NULL, 0 };
    char **names = calloc(n ? n : 1, sizeof *names);
    size_t i;

    if (!names || iom_hashset_reserve(&set.names, n) != IOM_OK)
        goto nomem;
    set.next = calloc(set.names.cap, sizeof *set.next);
    if (!set.next)
        goto nomem;
    for (i = 0; i < n; i++) {
        names[i] = unique_name(&set, recs[i]->id);
        if (!names[i])
            goto nomem;
    }
    /* The set shares its strings with 'names'; only its tables go. */
    iom_hashset_release(&set.names);
    free(set.next);
    *out = names;
    if (tries)
        *tries = set.tries;
    return IOM_OK;
nomem:
    iom_fname_free(names, n);
    iom_hashset_release(&set.names);
    free(set.next);
    return IOM_ENOMEM;
}

void
iom_fname_free(char **names, size_t n)
{
    iom_strv_free(names, n);
}
