/*
 * agg: selection and exact totals.  Groups are found by binary search in a
 * sorted array, which keeps the order fixed and needs no hash table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/money.h"

/* Products of a budget and 1000 need more than 64 bits. */
__extension__ typedef __int128 wide;

/* Slots of the cache of recent keys: more than the member states (about
 * 200), the largest set, so that each mostly keeps a slot of its own. */
#define SEEN_BITS 9
#define SEEN (1u << SEEN_BITS)

struct group_set {
    struct iom_group *v;
    size_t n;
    size_t cap;
    /*
     * Where recent keys were found, by the address of their name: records
     * share the strings of their group names, so a million records are
     * mostly counted without a string comparison.  Emptied when a group
     * is inserted, which moves the groups after it.
     */
    struct {
        const char *name;
        int year;
        size_t at;
    } seen[SEEN];
};

/* What an aggregate keeps of each record it counts. */
enum keeps {
    KEEPS_RECORD,       /* a pointer to it: iom_agg_build() */
    KEEPS_BUDGET,       /* its budget, for the median: iom_agg_start() */
    KEEPS_GROUPS        /* nothing but its groups: iom_agg_start_census() */
};

struct iom_agg {
    const struct iom_selection *sel;      /* borrowed, until finished */
    enum keeps keeps;
    const struct iom_record **projects;   /* file order; NULL if streamed */
    const struct iom_record **by_budget;
    size_t cap;
    int64_t *budgets;                     /* streamed: for the median */
    size_t n;
    int64_t total;
    bool overflow;                        /* a total passed 64 bits */
    int64_t median;
    struct group_set dims[IOM_DIM_COUNT];
    struct group_set pairs;               /* regions x years that occur */
    struct group_set states;              /* member states, names only */
    char (*year_names)[8];                /* names of the year groups */
    struct iom_group *cells;              /* regions x years */
};

typedef int group_cmp_fn(const struct iom_group *, const struct iom_group *);

/* Names sort in byte order, except that "Unspecified" goes last. */
static int
group_cmp(const struct iom_group *a, const struct iom_group *b)
{
    int ua = strcmp(a->name, IOM_UNSPECIFIED) == 0;
    int ub = strcmp(b->name, IOM_UNSPECIFIED) == 0;

    if (a->year || b->year)
        return (a->year > b->year) - (a->year < b->year);
    if (ua != ub)
        return ua - ub;
    return strcmp(a->name, b->name);
}

/* Region x Year pairs: by name, then year. */
static int
pair_cmp(const struct iom_group *a, const struct iom_group *b)
{
    int c = strcmp(a->name, b->name);

    return c ? c : (a->year > b->year) - (a->year < b->year);
}

/* The first group not before 'key' (where 'key' is or would go). */
static size_t
lower_bound(const struct group_set *gs, const struct iom_group *key,
            group_cmp_fn *cmp)
{
    size_t lo = 0, hi = gs->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (cmp(&gs->v[mid], key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static size_t
group_index(const struct group_set *gs, const char *name, int year)
{
    struct iom_group key = { .name = name, .year = year };
    size_t i = lower_bound(gs, &key, group_cmp);

    return i < gs->n && group_cmp(&gs->v[i], &key) == 0 ? i : SIZE_MAX;
}

/*
 * The group of 'name' and 'year' in the sorted set, inserted (count and
 * total zero) when new, or NULL when out of memory.  Groups are few, so a
 * sorted array keeps memory that of the groups, not of the records.
 */
static struct iom_group *
group_of(struct group_set *gs, const char *name, int year, group_cmp_fn *cmp)
{
    struct iom_group key = { .name = name, .year = year }, *v;
    /* Fibonacci hashing spreads names packed a few bytes apart. */
    size_t h = (size_t)(((uint64_t)(uintptr_t)name + (unsigned)year) *
                        UINT64_C(0x9E3779B97F4A7C15) >> (64 - SEEN_BITS)), lo;

    if (gs->seen[h].name == name && gs->seen[h].year == year)
        return &gs->v[gs->seen[h].at];
    lo = lower_bound(gs, &key, cmp);
    if (lo < gs->n && cmp(&gs->v[lo], &key) == 0) {
        gs->seen[h].name = name;
        gs->seen[h].year = year;
        gs->seen[h].at = lo;
        return &gs->v[lo];
    }
    v = iom_grow(gs->v, &gs->cap, gs->n, sizeof *gs->v);
    if (!v)
        return NULL;
    gs->v = v;
    memmove(&gs->v[lo + 1], &gs->v[lo], (gs->n - lo) * sizeof *gs->v);
    gs->v[lo] = key;
    gs->n++;
    memset(gs->seen, 0, sizeof gs->seen);
    return &gs->v[lo];
}

static enum iom_status
set_shares(struct group_set *gs)
{
    int64_t *v;
    int *t;
    size_t i;
    enum iom_status st = IOM_ENOMEM;

    if (!gs->n)
        return IOM_OK;
    v = malloc(gs->n * sizeof *v);
    t = malloc(gs->n * sizeof *t);
    if (v && t) {
        st = IOM_OK;
        for (i = 0; i < gs->n; i++)
            v[i] = gs->v[i].total_cents;
        iom_shares_tenths(v, gs->n, t);
        for (i = 0; i < gs->n; i++)
            gs->v[i].share_tenths = t[i];
    }
    free(v);
    free(t);
    return st;
}

static int
budget_cmp(const void *a, const void *b)
{
    const struct iom_record *ra = *(const struct iom_record *const *)a;
    const struct iom_record *rb = *(const struct iom_record *const *)b;

    if (ra->budget_cents != rb->budget_cents)
        return ra->budget_cents > rb->budget_cents ? -1 : 1;
    return strcmp(ra->id, rb->id);
}

static int
cents_cmp(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

static enum iom_status
start(const struct iom_selection *sel, enum keeps keeps,
      struct iom_agg **out)
{
    struct iom_agg *agg = calloc(1, sizeof *agg);

    if (!agg)
        return IOM_ENOMEM;
    agg->sel = sel;
    agg->keeps = keeps;
    *out = agg;
    return IOM_OK;
}

enum iom_status
iom_agg_start(const struct iom_selection *sel, struct iom_agg **out)
{
    return start(sel, KEEPS_BUDGET, out);
}

enum iom_status
iom_agg_start_census(const struct iom_selection *sel, struct iom_agg **out)
{
    return start(sel, KEEPS_GROUPS, out);
}

/* Room for one more of what the aggregate keeps of each record. */
static enum iom_status
make_room(struct iom_agg *agg)
{
    void *v = NULL;

    if (agg->keeps == KEEPS_RECORD) {
        v = iom_grow(agg->projects, &agg->cap, agg->n,
                     sizeof *agg->projects);
        if (v)
            agg->projects = v;
    } else if (agg->keeps == KEEPS_BUDGET) {
        v = iom_grow(agg->budgets, &agg->cap, agg->n, sizeof *agg->budgets);
        if (v)
            agg->budgets = v;
    }
    return v || agg->keeps == KEEPS_GROUPS ? IOM_OK : IOM_ENOMEM;
}

/* Add the budget of 'r' to the totals of its groups 'g' (of 'tables'
 * tables) and of the aggregate, and count its member states. */
static enum iom_status
add_sums(struct iom_agg *agg, struct iom_group *const *g, int tables,
         const struct iom_record *r)
{
    uint32_t i;
    int d;

    /* an overflow is told by iom_agg_finish(), so that a stream of
     * records need not stop on it */
    for (d = 0; d < tables; d++)
        if (iom_money_add(&g[d]->total_cents, r->budget_cents) != IOM_OK)
            agg->overflow = true;
    if (iom_money_add(&agg->total, r->budget_cents) != IOM_OK)
        agg->overflow = true;
    for (i = 0; i < r->n_states; i++)
        if (!group_of(&agg->states, r->states[i], 0, group_cmp))
            return IOM_ENOMEM;
    return IOM_OK;
}

/* Count 'r' in the tables the aggregate has and keep what it keeps. */
static enum iom_status
add(struct iom_agg *agg, const struct iom_record *r)
{
    struct iom_group *g[IOM_DIM_COUNT + 1];
    /* a census has no region x year pairs, and no sums */
    int d, tables = agg->keeps == KEEPS_GROUPS ? IOM_DIM_COUNT :
                    IOM_DIM_COUNT + 1;

    if (!iom_selection_matches(agg->sel, r))
        return IOM_OK;
    if (make_room(agg) != IOM_OK)
        return IOM_ENOMEM;
    g[IOM_BY_REGION] = group_of(&agg->dims[IOM_BY_REGION], r->region, 0,
                                group_cmp);
    g[IOM_BY_TYPE] = group_of(&agg->dims[IOM_BY_TYPE], r->type, 0, group_cmp);
    g[IOM_BY_YEAR] = group_of(&agg->dims[IOM_BY_YEAR], "", r->year,
                              group_cmp);
    if (tables > IOM_DIM_COUNT)
        g[IOM_DIM_COUNT] = group_of(&agg->pairs, r->region, r->year,
                                    pair_cmp);
    for (d = 0; d < tables; d++) {
        if (!g[d])
            return IOM_ENOMEM;
        g[d]->count++;
    }
    if (agg->keeps != KEEPS_GROUPS && add_sums(agg, g, tables, r) != IOM_OK)
        return IOM_ENOMEM;
    if (agg->keeps == KEEPS_RECORD)
        agg->projects[agg->n] = r;
    else if (agg->keeps == KEEPS_BUDGET)
        agg->budgets[agg->n] = r->budget_cents;
    agg->n++;
    return IOM_OK;
}

enum iom_status
iom_agg_add(struct iom_agg *agg, const struct iom_record *rec)
{
    return add(agg, rec);
}

/* a / b rounded half up, for non-negative a and positive b. */
static int64_t
div_round(int64_t a, int64_t b)
{
    return a / b + (a % b >= b - a % b ? 1 : 0);
}

/* The i-th budget in order (either order: only the middle is asked). */
static int64_t
middle(const struct iom_agg *agg, size_t i)
{
    return agg->keeps == KEEPS_RECORD ? agg->by_budget[i]->budget_cents :
           agg->budgets[i];
}

enum iom_status
iom_agg_finish(struct iom_agg *agg)
{
    struct group_set *reg = &agg->dims[IOM_BY_REGION];
    struct group_set *yrs = &agg->dims[IOM_BY_YEAR];
    size_t i, n = agg->n;
    int d;

    agg->sel = NULL;
    if (agg->overflow)
        return IOM_EOVERFLOW;
    if (agg->keeps == KEEPS_RECORD) {
        agg->by_budget = malloc((n ? n : 1) * sizeof *agg->by_budget);
        if (!agg->by_budget)
            return IOM_ENOMEM;
        memcpy(agg->by_budget, agg->projects, n * sizeof *agg->projects);
        qsort(agg->by_budget, n, sizeof *agg->by_budget, budget_cmp);
    } else if (n && agg->keeps == KEEPS_BUDGET) {
        qsort(agg->budgets, n, sizeof *agg->budgets, cents_cmp);
    }
    if (n && agg->keeps != KEEPS_GROUPS)
        agg->median = n % 2 ? middle(agg, n / 2) :
                      div_round(middle(agg, n / 2 - 1) + middle(agg, n / 2),
                                2);
    agg->year_names = calloc(yrs->n ? yrs->n : 1, sizeof *agg->year_names);
    agg->cells = calloc(reg->n && yrs->n ? reg->n * yrs->n : 1,
                        sizeof *agg->cells);
    if (!agg->year_names || !agg->cells)
        return IOM_ENOMEM;
    for (i = 0; i < yrs->n; i++) {
        snprintf(agg->year_names[i], sizeof agg->year_names[i], "%d",
                 yrs->v[i].year);
        yrs->v[i].name = agg->year_names[i];
    }
    for (i = 0; i < agg->pairs.n; i++) {
        const struct iom_group *p = &agg->pairs.v[i];
        struct iom_group *cell = &agg->cells[
            group_index(reg, p->name, 0) * yrs->n +
            group_index(yrs, "", p->year)];

        cell->count = p->count;
        cell->total_cents = p->total_cents;
    }
    for (d = 0; d < IOM_DIM_COUNT; d++)
        if (set_shares(&agg->dims[d]) != IOM_OK)
            return IOM_ENOMEM;
    return IOM_OK;
}

static enum iom_status
build(const struct iom_recset *rs, const struct iom_selection *sel,
      enum keeps keeps, struct iom_agg **out)
{
    struct iom_agg *agg;
    enum iom_status st = start(sel, keeps, &agg);
    size_t i;

    if (st != IOM_OK)
        return st;
    /* even an empty selection has a project list */
    if (keeps == KEEPS_RECORD &&
        !(agg->projects = malloc(sizeof *agg->projects)))
        st = IOM_ENOMEM;
    for (i = 0; st == IOM_OK && i < rs->n; i++)
        st = add(agg, &rs->recs[i]);
    if (st == IOM_OK)
        st = iom_agg_finish(agg);
    if (st != IOM_OK) {
        iom_agg_free(agg);
        return st;
    }
    *out = agg;
    return IOM_OK;
}

enum iom_status
iom_agg_build(const struct iom_recset *rs, const struct iom_selection *sel,
              struct iom_agg **out)
{
    return build(rs, sel, KEEPS_RECORD, out);
}

enum iom_status
iom_agg_build_census(const struct iom_recset *rs,
                     const struct iom_selection *sel, struct iom_agg **out)
{
    return build(rs, sel, KEEPS_GROUPS, out);
}

void
iom_agg_free(struct iom_agg *agg)
{
    int d;

    if (!agg)
        return;
    for (d = 0; d < IOM_DIM_COUNT; d++)
        free(agg->dims[d].v);
    free(agg->pairs.v);
    free(agg->states.v);
    free(agg->projects);
    free(agg->by_budget);
    free(agg->budgets);
    free(agg->year_names);
    free(agg->cells);
    free(agg);
}

size_t
iom_agg_count(const struct iom_agg *agg)
{
    return agg->n;
}

int64_t
iom_agg_total(const struct iom_agg *agg)
{
    return agg->total;
}

int64_t
iom_agg_average(const struct iom_agg *agg)
{
    return agg->n ? div_round(agg->total, (int64_t)agg->n) : 0;
}

int64_t
iom_agg_median(const struct iom_agg *agg)
{
    return agg->median;
}

size_t
iom_agg_member_states(const struct iom_agg *agg)
{
    return agg->states.n;
}

bool
iom_agg_year_span(const struct iom_agg *agg, int *first, int *last)
{
    const struct group_set *yrs = &agg->dims[IOM_BY_YEAR];

    if (yrs->n == 0)
        return false;
    *first = yrs->v[0].year;
    *last = yrs->v[yrs->n - 1].year;
    return true;
}

const struct iom_record *const *
iom_agg_projects(const struct iom_agg *agg)
{
    return (const struct iom_record *const *)agg->projects;
}

const struct iom_record *const *
iom_agg_by_budget(const struct iom_agg *agg)
{
    return (const struct iom_record *const *)agg->by_budget;
}

const struct iom_group *
iom_agg_groups(const struct iom_agg *agg, enum iom_agg_dim dim, size_t *n)
{
    *n = agg->dims[dim].n;
    return agg->dims[dim].v;
}

const struct iom_group *
iom_agg_cell(const struct iom_agg *agg, size_t r, size_t y)
{
    return &agg->cells[r * agg->dims[IOM_BY_YEAR].n + y];
}

int
iom_agg_total_share_tenths(const struct iom_agg *agg)
{
    return agg->total > 0 ? 1000 : 0;
}

bool
iom_shares_tenths(const int64_t *values, size_t n, int *tenths)
{
    int64_t total = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        tenths[i] = 0;
        total += values[i];
    }
    if (total <= 0)
        return false;
    /*
     * Each share on its own, so that equal budgets show equal shares:
     * 1000 * v / total rounded half up (half away from zero, as values are
     * not negative), in 128 bits as 2000 * v overflows 64.
     */
    for (i = 0; i < n; i++)
        tenths[i] = (int)(((wide)values[i] * 2000 + total) / ((wide)total * 2));
    return true;
}
