/*
 * hashset: FNV-1a hashes, linear probing, a table at most half full so
 * that probes stay short and a miss finds an empty slot quickly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iom/hashset.h"

#define FIRST_CAP 64
/* A set emptied again and again (one record's names at a time) keeps a
 * table up to this size; a larger one, grown by a rare long list, is
 * freed, so that clearing costs the same for every later record. */
#define CLEAR_CAP_MAX 1024

static unsigned char
lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static uint64_t
hash(const char *s, size_t len, bool fold)
{
    uint64_t h = 1469598103934665603u;
    size_t i;

    for (i = 0; i < len; i++)
        h = (h ^ (fold ? lower((unsigned char)s[i]) : (unsigned char)s[i])) *
            1099511628211u;
    return h;
}

/* Whether the held string 'a' is s[0..len). */
static bool
same(const char *a, const char *s, size_t len, bool fold)
{
    size_t i;

    if (!fold)
        return strncmp(a, s, len) == 0 && a[len] == '\0';
    for (i = 0; i < len; i++)
        if (!a[i] || lower((unsigned char)a[i]) != lower((unsigned char)s[i]))
            return false;
    return a[len] == '\0';
}

void
iom_hashset_init(struct iom_hashset *set, bool fold)
{
    set->slots = NULL;
    set->cap = 0;
    set->n = 0;
    set->fold = fold;
}

void
iom_hashset_release(struct iom_hashset *set)
{
    free(set->slots);
    iom_hashset_init(set, set->fold);
}

static inline size_t
probe(const struct iom_hashset *set, const char *s, size_t len, bool fold)
{
    const size_t mask = set->cap - 1;
    size_t i = (size_t)hash(s, len, fold) & mask;

    while (set->slots[i] && !same(set->slots[i], s, len, fold))
        i = (i + 1) & mask;
    return i;
}

/* One probe loop for each case, 'fold' a constant in each: IDs are
 * looked up a million times. */
size_t
iom_hashset_find(const struct iom_hashset *set, const char *s, size_t len)
{
    return set->fold ? probe(set, s, len, true) : probe(set, s, len, false);
}

void
iom_hashset_clear(struct iom_hashset *set)
{
    if (set->cap > CLEAR_CAP_MAX) {
        iom_hashset_release(set);
        return;
    }
    if (set->n)
        memset(set->slots, 0, set->cap * sizeof *set->slots);
    set->n = 0;
}

void
iom_hashset_put(struct iom_hashset *set, size_t slot, const char *s)
{
    set->slots[slot] = s;
    set->n++;
}

enum iom_status
iom_hashset_grow(struct iom_hashset *set, size_t more)
{
    struct iom_hashset grown = *set;
    size_t i;

    if (more > SIZE_MAX / 2 - set->n)
        return IOM_ENOMEM;
    if (set->cap && 2 * (set->n + more) <= set->cap)
        return IOM_OK;
    grown.cap = set->cap ? set->cap : FIRST_CAP;
    while (grown.cap < 2 * (set->n + more)) {
        if (grown.cap > SIZE_MAX / 2 / sizeof *grown.slots)
            return IOM_ENOMEM;
        grown.cap *= 2;
    }
    grown.slots = calloc(grown.cap, sizeof *grown.slots);
    if (!grown.slots)
        return IOM_ENOMEM;
    for (i = 0; i < set->cap; i++)
        if (set->slots[i]) {
            const char *s = set->slots[i];

            grown.slots[iom_hashset_find(&grown, s, strlen(s))] = s;
        }
    free(set->slots);
    *set = grown;
    return IOM_OK;
}
