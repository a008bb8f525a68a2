/*
 * hashset: a set of NUL-terminated strings that the caller owns (the set
 * holds pointers, never copies), by open addressing with linear probing:
 * 8 bytes a slot and at most half of the slots used, for the million
 * project IDs of a large run.
 *
 * A look-up returns a slot: the one that holds the string, or the empty
 * one where it would go, which iom_hashset_put() then fills.  Reserve room
 * first: a reserve that grows the table moves every string, so slots found
 * before it are stale.
 */
#ifndef IOM_HASHSET_H
#define IOM_HASHSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/status.h"

struct iom_hashset {
    const char **slots;
    size_t cap;      /* a power of two; 0 until the first reserve */
    size_t n;
    bool fold;       /* strings equal regardless of ASCII case */
};

/* An empty set without a table (a zeroed struct is the same, fold off). */
void iom_hashset_init(struct iom_hashset *set, bool fold);
/* Frees the table, not the strings.  Leaves an empty set. */
void iom_hashset_release(struct iom_hashset *set);

/* Empty the set without freeing the strings; a small table is kept for
 * the next use. */
void iom_hashset_clear(struct iom_hashset *set);

/* Room for 'more' strings beyond those held, and a table (also for
 * none); IOM_ENOMEM when the table cannot grow (the set is unchanged
 * then).  Inline: it runs for every string added, and grows the table a
 * few times in a run. */
enum iom_status iom_hashset_grow(struct iom_hashset *set, size_t more);
static inline enum iom_status
iom_hashset_reserve(struct iom_hashset *set, size_t more)
{
    return set->cap && more <= SIZE_MAX / 2 - set->n &&
           2 * (set->n + more) <= set->cap ?
           IOM_OK : iom_hashset_grow(set, more);
}

/* The slot of s[0..len) (no NUL inside), or of the empty slot where it
 * would go.  Needs a table: a reserve first. */
size_t iom_hashset_find(const struct iom_hashset *set, const char *s,
                        size_t len);

/* The string in 'slot', or NULL when the slot is empty. */
static inline const char *
iom_hashset_at(const struct iom_hashset *set, size_t slot)
{
    return set->slots[slot];
}

/* Put 's' (equal to the string looked up) into the empty 'slot' that
 * iom_hashset_find() returned; the room must have been reserved. */
void iom_hashset_put(struct iom_hashset *set, size_t slot, const char *s);

#endif
