/*
 * agg: selection and exact totals.  Groups are found by binary search in a
 * sorted array, which keeps the order fixed and needs no hash table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/agg.h"
#include "iom/money.h"

/* Products of a budget and 1000 need more than 64 bits. */
__extension__ typedef __int128 wide;

struct group_set {
    struct iom_group *v;
    size_t n;
};

struct iom_agg {
    const struct iom_record **projects;   /* file order */
    const struct iom_record **by_budget;
    size_t n;
    int64_t total;
    size_t n_states;
    struct group_set dims[IOM_DIM_COUNT];
    char (*year_names)[8];                /* names of the year groups */
    struct iom_group *cells;              /* regions x years */
};

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

/* The first group not before 'key' (where 'key' is or would go). */
static size_t
lower_bound(const struct group_set *gs, const struct iom_group *key)
{
    size_t lo = 0, hi = gs->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (group_cmp(&gs->v[mid], key) < 0)
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
    size_t i = lower_bound(gs, &key);

    return i < gs->n && group_cmp(&gs->v[i], &key) == 0 ? i : SIZE_MAX;
}

/*
 * Distinct keys of one dimension, sorted; counts and totals still zero.
 * Groups are few, so each key is looked up in the sorted set so far and
 * inserted when new: memory stays that of the groups, not the records.
 */
static enum iom_status
collect_groups(struct iom_agg *agg, enum iom_agg_dim dim)
{
    struct group_set *gs = &agg->dims[dim];
    size_t i, cap = 0;

    for (i = 0; i < agg->n; i++) {
        const struct iom_record *r = agg->projects[i];
        const char *name = dim == IOM_BY_REGION ? r->region :
                           dim == IOM_BY_TYPE ? r->type : "";
        int year = dim == IOM_BY_YEAR ? r->year : 0;
        struct iom_group key = { .name = name, .year = year };
        size_t lo = lower_bound(gs, &key);

        if (lo < gs->n && group_cmp(&gs->v[lo], &key) == 0)
            continue;
        if (gs->n == cap) {
            struct iom_group *v;

            cap = cap ? cap * 2 : 16;
            v = realloc(gs->v, cap * sizeof *v);
            if (!v)
                return IOM_ENOMEM;
            gs->v = v;
        }
        memmove(&gs->v[lo + 1], &gs->v[lo], (gs->n - lo) * sizeof *gs->v);
        gs->v[lo] = key;
        gs->n++;
    }
    return IOM_OK;
}

static void
set_shares(struct group_set *gs)
{
    int64_t vals[1];
    int64_t *v = gs->n ? malloc(gs->n * sizeof *v) : vals;
    int *t = gs->n ? malloc(gs->n * sizeof *t) : NULL;
    size_t i;

    if (v && t) {
        for (i = 0; i < gs->n; i++)
            v[i] = gs->v[i].total_cents;
        iom_shares_tenths(v, gs->n, t);
        for (i = 0; i < gs->n; i++)
            gs->v[i].share_tenths = t[i];
    }
    if (v != vals)
        free(v);
    free(t);
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
str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static enum iom_status
count_states(struct iom_agg *agg)
{
    size_t i, j, n = 0, k;
    const char **all;

    for (i = 0; i < agg->n; i++)
        n += agg->projects[i]->n_states;
    all = malloc((n ? n : 1) * sizeof *all);
    if (!all)
        return IOM_ENOMEM;
    for (i = 0, k = 0; i < agg->n; i++)
        for (j = 0; j < agg->projects[i]->n_states; j++)
            all[k++] = agg->projects[i]->states[j];
    qsort(all, n, sizeof *all, str_cmp);
    for (i = 0; i < n; i++)
        if (i == 0 || strcmp(all[i - 1], all[i]) != 0)
            agg->n_states++;
    free(all);
    return IOM_OK;
}

static enum iom_status
sum_groups(struct iom_agg *agg)
{
    struct group_set *reg = &agg->dims[IOM_BY_REGION];
    struct group_set *yrs = &agg->dims[IOM_BY_YEAR];
    size_t i;
    int d;

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
    for (i = 0; i < agg->n; i++) {
        const struct iom_record *r = agg->projects[i];
        size_t idx[IOM_DIM_COUNT];
        struct iom_group *cell;

        idx[IOM_BY_REGION] = group_index(reg, r->region, 0);
        idx[IOM_BY_TYPE] = group_index(&agg->dims[IOM_BY_TYPE], r->type, 0);
        idx[IOM_BY_YEAR] = group_index(yrs, "", r->year);
        for (d = 0; d < IOM_DIM_COUNT; d++) {
            struct iom_group *g = &agg->dims[d].v[idx[d]];

            g->count++;
            if (iom_money_add(&g->total_cents, r->budget_cents) != IOM_OK)
                return IOM_EINVALID;
        }
        cell = &agg->cells[idx[IOM_BY_REGION] * yrs->n + idx[IOM_BY_YEAR]];
        cell->count++;
        cell->total_cents += r->budget_cents;
        if (iom_money_add(&agg->total, r->budget_cents) != IOM_OK)
            return IOM_EINVALID;
    }
    for (d = 0; d < IOM_DIM_COUNT; d++)
        set_shares(&agg->dims[d]);
    return IOM_OK;
}

enum iom_status
iom_agg_build(const struct iom_recset *rs, const struct iom_selection *sel,
              struct iom_agg **out)
{
    struct iom_agg *agg = calloc(1, sizeof *agg);
    enum iom_status st = IOM_ENOMEM;
    size_t i;
    int d;

    if (!agg)
        return IOM_ENOMEM;
    agg->projects = malloc((rs->n ? rs->n : 1) * sizeof *agg->projects);
    agg->by_budget = malloc((rs->n ? rs->n : 1) * sizeof *agg->by_budget);
    if (!agg->projects || !agg->by_budget)
        goto out;
    for (i = 0; i < rs->n; i++)
        if (iom_selection_matches(sel, &rs->recs[i]))
            agg->projects[agg->n++] = &rs->recs[i];
    if (agg->n)
        memcpy(agg->by_budget, agg->projects, agg->n * sizeof *agg->projects);
    qsort(agg->by_budget, agg->n, sizeof *agg->by_budget, budget_cmp);
    for (d = 0; d < IOM_DIM_COUNT; d++) {
        st = collect_groups(agg, (enum iom_agg_dim)d);
        if (st != IOM_OK)
            goto out;
    }
    st = sum_groups(agg);
    if (st == IOM_OK)
        st = count_states(agg);
out:
    if (st != IOM_OK) {
        iom_agg_free(agg);
        return st;
    }
    *out = agg;
    return IOM_OK;
}

void
iom_agg_free(struct iom_agg *agg)
{
    int d;

    if (!agg)
        return;
    for (d = 0; d < IOM_DIM_COUNT; d++)
        free(agg->dims[d].v);
    free(agg->projects);
    free(agg->by_budget);
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

/* a / b rounded half up, for non-negative a and positive b. */
static int64_t
div_round(int64_t a, int64_t b)
{
    return a / b + (a % b >= b - a % b ? 1 : 0);
}

int64_t
iom_agg_average(const struct iom_agg *agg)
{
    return agg->n ? div_round(agg->total, (int64_t)agg->n) : 0;
}

int64_t
iom_agg_median(const struct iom_agg *agg)
{
    const struct iom_record *const *v = (const struct iom_record *const *)
                                        agg->by_budget;
    size_t n = agg->n;

    if (n == 0)
        return 0;
    if (n % 2)
        return v[n / 2]->budget_cents;
    return div_round(v[n / 2 - 1]->budget_cents + v[n / 2]->budget_cents, 2);
}

size_t
iom_agg_member_states(const struct iom_agg *agg)
{
    return agg->n_states;
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
