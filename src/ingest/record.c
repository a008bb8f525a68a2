/*
 * record: the set of accepted projects.  Strings live in an arena of large
 * blocks so that a run of 10^5 records makes a few hundred allocations, not
 * a million, and frees them all at once.
 */
#include <assert.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/record.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t cap;
    alignas(max_align_t) char data[];
};

struct iom_arena {
    struct arena_block *head;
};

/* 'align' is 1 for strings (a million IDs pack tight), else a power of
 * two up to max_align_t. */
static void *
arena_alloc(struct iom_arena *a, size_t size, size_t align)
{
    struct arena_block *b = a->head;
    size_t at;

    if (b) {
        at = (b->used + align - 1) / align * align;
        if (at <= b->cap && size <= b->cap - at) {
            b->used = at + size;
            return b->data + at;
        }
    }
    {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        struct arena_block *nb;

        if (cap > SIZE_MAX - sizeof *nb)
            return NULL;
        nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->cap = cap;
        nb->used = size;
        /* A large string gets a block of its own behind the current one,
         * so the rest of the current block stays usable. */
        if (b && size > ARENA_BLOCK) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        return nb->data;
    }
}

void
iom_recset_init(struct iom_recset *rs)
{
    memset(rs, 0, sizeof *rs);
}

void
iom_recset_release(struct iom_recset *rs)
{
    if (rs->arena) {
        struct arena_block *b = rs->arena->head;

        while (b) {
            struct arena_block *next = b->next;

            free(b);
            b = next;
        }
        free(rs->arena);
    }
    free(rs->recs);
    iom_hashset_release(&rs->shared);
    iom_recset_init(rs);
}

static struct iom_arena *
arena_of(struct iom_recset *rs)
{
    if (!rs->arena)
        rs->arena = calloc(1, sizeof *rs->arena);
    return rs->arena;
}

const char *
iom_recset_intern(struct iom_recset *rs, const char *s, size_t len)
{
    struct iom_arena *a = arena_of(rs);
    char *p;

    if (!a || len == SIZE_MAX)
        return NULL;
    p = arena_alloc(a, len + 1, 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

const char *
iom_recset_intern_tagged(struct iom_recset *rs, const char *s, size_t len,
                         uint64_t tag)
{
    struct iom_arena *a = arena_of(rs);
    char *p;

    if (!a || len > SIZE_MAX - 1 - sizeof tag)
        return NULL;
    p = arena_alloc(a, sizeof tag + len + 1, 1);
    if (!p)
        return NULL;
    memcpy(p, &tag, sizeof tag);
    if (len)
        memcpy(p + sizeof tag, s, len);
    p[sizeof tag + len] = '\0';
    return p + sizeof tag;
}

uint64_t
iom_recset_tag(const char *interned)
{
    uint64_t tag;

    memcpy(&tag, interned - sizeof tag, sizeof tag);
    return tag;
}

const char *
iom_recset_intern_shared(struct iom_recset *rs, const char *s, size_t len)
{
    size_t slot;
    const char *p;

    if (iom_hashset_reserve(&rs->shared, 1) != IOM_OK)
        return NULL;
    slot = iom_hashset_find(&rs->shared, s, len);
    p = iom_hashset_at(&rs->shared, slot);
    if (!p) {
        p = iom_recset_intern(rs, s, len);
        if (p)
            iom_hashset_put(&rs->shared, slot, p);
    }
    return p;
}

const char **
iom_recset_intern_list(struct iom_recset *rs, const char **v, size_t n)
{
    struct iom_arena *a = arena_of(rs);
    const char **p;

    if (!a || n > SIZE_MAX / sizeof *p)
        return NULL;
    p = arena_alloc(a, n ? n * sizeof *p : 1, alignof(const char *));
    if (p && n)
        memcpy(p, v, n * sizeof *p);
    return p;
}

enum iom_status
iom_recset_add(struct iom_recset *rs, const struct iom_record *rec)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        struct iom_record *p;

        if (cap > SIZE_MAX / sizeof *p)
            return IOM_ENOMEM;
        p = realloc(rs->recs, cap * sizeof *p);
        if (!p)
            return IOM_ENOMEM;
        rs->recs = p;
        rs->cap = cap;
    }
    rs->recs[rs->n++] = *rec;
    return IOM_OK;
}

int
iom_days_in_month(int year, int month)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };
    const int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    return month == 2 && leap ? 29 : days[month - 1];
}

char *
iom_date_format(const struct iom_date *d, char out[11])
{
    /* Validated dates have four-digit years; the modulos tell the
     * compiler so. */
    unsigned y = (unsigned)d->year % 10000u, m = d->month % 100u;
    unsigned day = d->day % 100u;

    switch (d->prec) {
    case IOM_DATE_YEAR:
        snprintf(out, 11, "%04u", y);
        break;
    case IOM_DATE_MONTH:
        snprintf(out, 11, "%04u-%02u", y, m);
        break;
    case IOM_DATE_DAY:
        snprintf(out, 11, "%04u-%02u-%02u", y, m, day);
        break;
    default:
        out[0] = '\0';
        break;
    }
    return out;
}

const char *
iom_record_date_given(const struct iom_record *rec, const struct iom_date *d)
{
    assert(d == &rec->start || d == &rec->end);
    if (d->prec != IOM_DATE_GIVEN)
        return NULL;
    if (!rec->dates_given)
        return "";
    return d == &rec->start ? rec->dates_given :
           rec->dates_given + strlen(rec->dates_given) + 1;
}
