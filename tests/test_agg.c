/*
 * test_agg: selection and exact totals on hand-built record sets: group
 * order, counts and cents, shares each rounded on its own, the Region x
 * Year cells, average and median, distinct member states, sums of a
 * million cents and of budgets near 10^12 dollars, an input's census (no
 * sums), and out of memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/agg.h"
#include "iom/money.h"
#include "iom/record.h"
#include "iom/select.h"

#include "fixture.h"

/* A project whose title is its ID; 'states' is ";"-separated. */
static void
add(struct iom_recset *rs, const char *id, const char *region,
    const char *type, int year, int64_t cents, const char *states)
{
    fixture_add_record(rs, id, id, region, type, year, cents, states);
}

static int
setup(void **state)
{
    struct fixture_agg *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    fixture_agg_init(f);
    *state = f;
    return 0;
}

/* Six projects over four regions, four types and three years. */
static int
setup_portfolio(void **state)
{
    struct fixture_agg *f;

    if (setup(state) != 0)
        return -1;
    f = *state;
    add(&f->rs, "E-1", "Europe", "Labour Migration", 2003, 500000,
        "Albania;Serbia");
    add(&f->rs, "A-1", "Africa", "Labour Migration", 2001, 3745000,
        "Ghana;Kenya");
    add(&f->rs, "U-1", IOM_UNSPECIFIED, IOM_UNSPECIFIED, 2001, 100, NULL);
    add(&f->rs, "Z-1", "Zeta", "TCMMCB", 2005, 200, "Ghana");
    add(&f->rs, "S-1", "Asia and Oceania", "Immigration and Borders", 2003,
        5962500, "Federated States of Micronesia;Kenya");
    add(&f->rs, "A-2", "Africa", IOM_UNSPECIFIED, 2005, 3745000, "Ghana");
    return 0;
}

static int
teardown(void **state)
{
    fixture_agg_release(*state);
    free(*state);
    return 0;
}

static void
test_agg_groups_sorted_with_unspecified_last(void **state)
{
    static const char *const regions[] = {
        "Africa", "Asia and Oceania", "Europe", "Zeta", "Unspecified"
    };
    static const char *const types[] = {
        "Immigration and Borders", "Labour Migration", "TCMMCB",
        "Unspecified"
    };
    static const struct { const char *name; int year; size_t count;
                          int64_t cents; } years[] = {
        { "2001", 2001, 2, 3745100 }, { "2003", 2003, 2, 6462500 },
        { "2005", 2005, 2, 3745200 },
    };
    struct iom_agg *agg = fixture_agg_build(*state);
    const struct iom_group *g;
    size_t n, i;

    g = iom_agg_groups(agg, IOM_BY_REGION, &n);
    assert_int_equal(n, 5);
    for (i = 0; i < n; i++) {
        assert_string_equal(g[i].name, regions[i]);
        assert_int_equal(g[i].year, 0);
    }
    assert_int_equal(g[0].count, 2);
    assert_int_equal(g[0].total_cents, 7490000);
    g = iom_agg_groups(agg, IOM_BY_TYPE, &n);
    assert_int_equal(n, 4);
    for (i = 0; i < n; i++)
        assert_string_equal(g[i].name, types[i]);
    assert_int_equal(g[3].count, 2);
    assert_int_equal(g[3].total_cents, 3745100);
    g = iom_agg_groups(agg, IOM_BY_YEAR, &n);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
        assert_string_equal(g[i].name, years[i].name);
        assert_int_equal(g[i].year, years[i].year);
        assert_int_equal(g[i].count, years[i].count);
        assert_int_equal(g[i].total_cents, years[i].cents);
    }
    assert_int_equal(iom_agg_count(agg), 6);
    assert_int_equal(iom_agg_total(agg), 13952800);
    fixture_assert_agg_adds_up(agg);
}

static void
test_agg_region_year_cells_hold_their_projects(void **state)
{
    struct iom_agg *agg = fixture_agg_build(*state);

    /* Africa x 2001, Africa x 2005, Africa x 2003 (none). */
    assert_int_equal(iom_agg_cell(agg, 0, 0)->count, 1);
    assert_int_equal(iom_agg_cell(agg, 0, 0)->total_cents, 3745000);
    assert_int_equal(iom_agg_cell(agg, 0, 2)->total_cents, 3745000);
    assert_int_equal(iom_agg_cell(agg, 0, 1)->count, 0);
    assert_int_equal(iom_agg_cell(agg, 0, 1)->total_cents, 0);
    /* Unspecified x 2001. */
    assert_int_equal(iom_agg_cell(agg, 4, 0)->total_cents, 100);
}

static void
test_agg_figures_average_median_states_span(void **state)
{
    struct iom_agg *agg = fixture_agg_build(*state);
    int first = 0, last = 0;

    /* 13952800 / 6 = 2325466.67 */
    assert_int_equal(iom_agg_average(agg), 2325467);
    /* 100 200 500000 3745000 3745000 5962500 */
    assert_int_equal(iom_agg_median(agg), 2122500);
    /* Albania Serbia Ghana Kenya Micronesia */
    assert_int_equal(iom_agg_member_states(agg), 5);
    assert_true(iom_agg_year_span(agg, &first, &last));
    assert_int_equal(first, 2001);
    assert_int_equal(last, 2005);
}

static void
test_agg_projects_in_file_and_budget_order(void **state)
{
    static const char *const file_order[] = {
        "E-1", "A-1", "U-1", "Z-1", "S-1", "A-2"
    };
    static const char *const budget_order[] = {
        "S-1", "A-1", "A-2", "E-1", "Z-1", "U-1"
    };
    struct iom_agg *agg = fixture_agg_build(*state);
    size_t i;

    for (i = 0; i < 6; i++) {
        assert_string_equal(iom_agg_projects(agg)[i]->id, file_order[i]);
        assert_string_equal(iom_agg_by_budget(agg)[i]->id, budget_order[i]);
    }
}

static void
test_agg_selection_narrows_projects(void **state)
{
    struct fixture_agg *f = *state;
    struct iom_agg *agg;
    const char *why;
    size_t n;

    assert_int_equal(iom_selection_add_years(&f->sel, "2001-2003", &why),
                     IOM_OK);
    assert_int_equal(iom_selection_add_region(&f->sel, "AFRICA"), IOM_OK);
    assert_int_equal(iom_selection_add_region(&f->sel, "unspecified"),
                     IOM_OK);
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_count(agg), 2);       /* A-1, U-1 */
    assert_int_equal(iom_agg_total(agg), 3745100);
    iom_agg_groups(agg, IOM_BY_REGION, &n);
    assert_int_equal(n, 2);
    iom_agg_groups(agg, IOM_BY_YEAR, &n);
    assert_int_equal(n, 1);
    fixture_assert_agg_adds_up(agg);
}

static void
test_agg_empty_selection_gives_zeros(void **state)
{
    struct fixture_agg *f = *state;
    struct iom_agg *agg;
    const char *why;
    int first, last;
    size_t n;
    int d;

    assert_int_equal(iom_selection_add_years(&f->sel, "1990", &why), IOM_OK);
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_count(agg), 0);
    assert_int_equal(iom_agg_total(agg), 0);
    assert_int_equal(iom_agg_average(agg), 0);
    assert_int_equal(iom_agg_median(agg), 0);
    assert_int_equal(iom_agg_member_states(agg), 0);
    assert_false(iom_agg_year_span(agg, &first, &last));
    for (d = 0; d < IOM_DIM_COUNT; d++) {
        iom_agg_groups(agg, (enum iom_agg_dim)d, &n);
        assert_int_equal(n, 0);
    }
    /* And an empty record set. */
    iom_selection_release(&f->sel);
    iom_selection_init(&f->sel);
    iom_recset_release(&f->rs);
    iom_recset_init(&f->rs);
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_count(agg), 0);
    iom_agg_free(NULL);
}

static void
test_agg_median_and_average_round_half_up(void **state)
{
    static const struct {
        int64_t v[4];
        size_t n;
        int64_t median, average;
    } cases[] = {
        { { 1, 2, 3 },        3, 2, 2 },
        { { 3, 1, 2 },        3, 2, 2 },
        { { 1, 2 },           2, 2, 2 },       /* 1.5 up */
        { { 100, 200 },       2, 150, 150 },
        { { 100, 201 },       2, 151, 151 },   /* 150.5 up */
        { { 0, 0, 0, 1 },     4, 0, 0 },       /* 0.25 down */
        { { 1, 1, 2, 2 },     4, 2, 2 },       /* 1.5 up */
        { { 5, 5, 1 },        3, 5, 4 },       /* 3.67 up */
        { { 10, 0, 0 },       3, 0, 3 },       /* 3.33 down */
        { { 7 },              1, 7, 7 },
        { { 0 },              1, 0, 0 },
        { { INT64_C(99999999999999), INT64_C(99999999999998) }, 2,
          INT64_C(99999999999999), INT64_C(99999999999999) },
    };
    struct fixture_agg *f = *state;
    size_t i, k;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_agg *agg;

        iom_recset_release(&f->rs);
        iom_recset_init(&f->rs);
        for (k = 0; k < cases[i].n; k++) {
            char id[24];

            snprintf(id, sizeof id, "R%zu", k);
            add(&f->rs, id, "Africa", "T", 2001, cases[i].v[k], NULL);
        }
        agg = fixture_agg_build(f);
        if (iom_agg_median(agg) != cases[i].median ||
            iom_agg_average(agg) != cases[i].average)
            print_message("case %zu\n", i);
        assert_int_equal(iom_agg_median(agg), cases[i].median);
        assert_int_equal(iom_agg_average(agg), cases[i].average);
    }
}

static void
test_agg_one_group_has_whole_share(void **state)
{
    struct fixture_agg *f = *state;
    const struct iom_group *g;
    size_t n;

    add(&f->rs, "O-1", "Global", "T", 2001, 1, NULL);
    add(&f->rs, "O-2", "Global", "T", 2001, 2, NULL);
    g = iom_agg_groups(fixture_agg_build(f), IOM_BY_REGION, &n);
    assert_int_equal(n, 1);
    assert_int_equal(g[0].share_tenths, 1000);
    fixture_assert_agg_adds_up(f->agg);
}

static void
test_agg_all_zero_budgets_give_zero_shares(void **state)
{
    struct fixture_agg *f = *state;
    const struct iom_group *g;
    size_t n, i;

    add(&f->rs, "Z-1", "Africa", "T", 2001, 0, NULL);
    add(&f->rs, "Z-2", "Europe", "T", 2002, 0, NULL);
    g = iom_agg_groups(fixture_agg_build(f), IOM_BY_REGION, &n);
    assert_int_equal(n, 2);
    for (i = 0; i < n; i++)
        assert_int_equal(g[i].share_tenths, 0);
    assert_int_equal(iom_agg_total(f->agg), 0);
    assert_int_equal(iom_agg_total_share_tenths(f->agg), 0);
    fixture_assert_agg_adds_up(f->agg);
}

/* 1,000,000 records of 0.01 over 7 regions and 5 years, their strings
 * shared (one copy each would take a second per test). */
static void
test_agg_million_cents_sum_exactly(void **state)
{
    static const char *const regions[] = {
        "Africa", "Asia and Oceania", "Europe", "Global",
        "Latin America and the Caribbean", "Middle East", IOM_UNSPECIFIED
    };
    struct fixture_agg *f = *state;
    struct iom_agg *agg;
    struct iom_record r;
    const char *reg[7];
    size_t i;

    for (i = 0; i < 7; i++)
        reg[i] = fixture_intern(&f->rs, regions[i]);
    memset(&r, 0, sizeof r);
    r.id = r.title = r.status = r.coverage = r.description = r.prima_id =
        fixture_intern(&f->rs, "");
    r.type = fixture_intern(&f->rs, "T");
    r.states = iom_recset_intern_list(&f->rs, NULL, 0);
    r.budget_cents = 1;
    for (i = 0; i < 1000000; i++) {
        r.region = reg[i % 7];
        r.year = 2001 + (int)(i % 5);
        assert_int_equal(iom_recset_add(&f->rs, &r), IOM_OK);
    }
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_count(agg), 1000000);
    assert_int_equal(iom_agg_total(agg), 1000000);
    assert_int_equal(iom_agg_average(agg), 1);
    assert_int_equal(iom_agg_median(agg), 1);
    fixture_assert_agg_adds_up(agg);
}

/* Budgets of 999,999,999,999.99 (the money_edge.csv maximum). */
static void
test_agg_trillion_budgets_sum_exactly(void **state)
{
    struct fixture_agg *f = *state;
    struct iom_agg *agg;
    char money[IOM_MONEY_TEXT_MAX];
    size_t i;

    for (i = 0; i < 1000; i++) {
        char id[16];

        snprintf(id, sizeof id, "T-%zu", i);
        add(&f->rs, id, i % 3 ? "Africa" : "Europe", i % 2 ? "A" : "B",
            2001 + (int)(i % 4), INT64_C(99999999999999) - (int64_t)(i % 2),
            NULL);
    }
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_total(agg), INT64_C(99999999999998500));
    assert_string_equal(iom_money_format(iom_agg_total(agg), money),
                        "999,999,999,999,985.00");
    fixture_assert_agg_adds_up(agg);
}

/* money.h: any 92,000 budgets of IOM_MONEY_MAX_CENTS sum inside int64_t. */
static void
test_agg_max_budgets_sum_exactly(void **state)
{
    struct fixture_agg *f = *state;
    struct iom_agg *agg;
    size_t i;

    for (i = 0; i < 92000; i++) {
        char id[16];

        snprintf(id, sizeof id, "M-%zu", i);
        add(&f->rs, id, i % 2 ? "Africa" : "Europe", "T",
            2001 + (int)(i % 3), IOM_MONEY_MAX_CENTS, NULL);
    }
    agg = fixture_agg_build(f);
    assert_int_equal(iom_agg_total(agg), 92000 * IOM_MONEY_MAX_CENTS);
    fixture_assert_agg_adds_up(agg);
}

/* A total past int64_t is reported, never wrapped. */
static void
test_agg_overflowing_total_fails(void **state)
{
    struct fixture_agg *f = *state;

    add(&f->rs, "O-1", "Africa", "T", 2001, INT64_MAX / 2 + 1, NULL);
    add(&f->rs, "O-2", "Europe", "U", 2002, INT64_MAX / 2 + 1, NULL);
    assert_int_equal(iom_agg_build(&f->rs, &f->sel, &f->agg), IOM_EOVERFLOW);
    assert_null(f->agg);
}

/* The groups of 'agg' in 'dim' have these names and counts ('n' of them),
 * and no total. */
static void
assert_census(const struct iom_agg *agg, enum iom_agg_dim dim,
              const char *const *names, const size_t *counts, size_t n)
{
    size_t got, i;
    const struct iom_group *g = iom_agg_groups(agg, dim, &got);

    assert_int_equal(got, n);
    for (i = 0; i < n; i++) {
        assert_string_equal(g[i].name, names[i]);
        assert_int_equal(g[i].count, counts[i]);
        assert_int_equal(g[i].total_cents, 0);
    }
}

/* A census counts the records of each group and sums no budget: budgets
 * whose total overflows leave it whole, built or streamed. */
static void
test_agg_census_counts_groups_and_sums_nothing(void **state)
{
    static const char *const regions[] = { "Africa", "Europe" };
    static const char *const types[] = { "T", "U" };
    static const char *const years[] = { "2001", "2002" };
    static const size_t one_two[] = { 1, 2 }, two_one[] = { 2, 1 };
    struct fixture_agg *f = *state;
    struct iom_agg *built, *streamed;
    size_t i;

    add(&f->rs, "O-1", "Africa", "T", 2001, INT64_MAX / 2 + 1, NULL);
    add(&f->rs, "O-2", "Europe", "U", 2002, INT64_MAX / 2 + 1, "Ghana");
    add(&f->rs, "O-3", "Africa", "U", 2002, 100, "Kenya");
    assert_int_equal(iom_agg_build_census(&f->rs, &f->sel, &built), IOM_OK);
    assert_int_equal(iom_agg_start_census(&f->sel, &streamed), IOM_OK);
    for (i = 0; i < f->rs.n; i++)
        assert_int_equal(iom_agg_add(streamed, &f->rs.recs[i]), IOM_OK);
    assert_int_equal(iom_agg_finish(streamed), IOM_OK);
    for (i = 0; i < 2; i++) {
        const struct iom_agg *agg = i ? streamed : built;

        assert_int_equal(iom_agg_count(agg), 3);
        assert_int_equal(iom_agg_total(agg), 0);
        assert_int_equal(iom_agg_median(agg), 0);
        assert_int_equal(iom_agg_member_states(agg), 0);
        assert_census(agg, IOM_BY_REGION, regions, two_one, 2);
        assert_census(agg, IOM_BY_TYPE, types, one_two, 2);
        assert_census(agg, IOM_BY_YEAR, years, one_two, 2);
    }
    iom_agg_free(built);
    iom_agg_free(streamed);
}

static void
test_agg_shares_each_rounded_on_its_own(void **state)
{
    static const struct {
        int64_t v[6];
        size_t n;
        bool ret;
        int exp[6];
    } cases[] = {
        /* equal budgets, equal shares, even when they add up to 999 */
        { { 1, 1, 1 },          3, true,  { 333, 333, 333 } },
        { { 1, 1 },             2, true,  { 500, 500 } },
        { { 1, 2 },             2, true,  { 333, 667 } },
        { { 2, 1 },             2, true,  { 667, 333 } },
        /* or to 1002 */
        { { 1, 1, 1, 1, 1, 1 }, 6, true,  { 167, 167, 167, 167, 167, 167 } },
        { { 5 },                1, true,  { 1000 } },
        { { 0, 7, 0 },          3, true,  { 0, 1000, 0 } },
        { { 999, 1 },           2, true,  { 999, 1 } },
        /* 0.05 % is a half: away from zero */
        { { 1999, 1 },          2, true,  { 1000, 1 } },
        { { 9999, 1 },          2, true,  { 1000, 0 } },
        { { 1, 9999 },          2, true,  { 0, 1000 } },
        { { 3, 3, 3, 1 },       4, true,  { 300, 300, 300, 100 } },
        { { 1, 1, 1, 3 },       4, true,  { 167, 167, 167, 500 } },
        /* 4.7619... % and 4.7619... %: the figures of a real export */
        { { 10000000, 10000000, 190000000 }, 3, true, { 48, 48, 905 } },
        { { IOM_MONEY_MAX_CENTS, 1 }, 2, true, { 1000, 0 } },
        { { IOM_MONEY_MAX_CENTS - 1, 1 }, 2, true, { 1000, 0 } },
        { { 0, 0 },             2, false, { 0, 0 } },
        { { 0 },                0, false, { 0 } },
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got[6] = { -1, -1, -1, -1, -1, -1 };
        bool ret = iom_shares_tenths(cases[i].v, cases[i].n, got);

        assert_int_equal(ret, cases[i].ret);
        for (k = 0; k < cases[i].n; k++) {
            if (got[k] != cases[i].exp[k])
                print_message("shares case %zu index %zu\n", i, k);
            assert_int_equal(got[k], cases[i].exp[k]);
        }
    }
}

/* Pseudo-random sets: each share is its exact value rounded to the
 * nearest tenth, halves up, and equal values get equal shares. */
static void
test_agg_shares_random_sets_round_half_up(void **state)
{
    uint64_t seed = 88172645463325252u;
    int64_t v[40];
    int t[40];
    size_t round, i;

    (void)state;
    for (round = 0; round < 500; round++) {
        size_t n = 1 + round % 40;
        int64_t total = 0;

        for (i = 0; i < n; i++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v[i] = (int64_t)(seed % (round % 2 ? 1000u : 100000000000000u));
            if (i % 3 == 2)
                v[i] = v[i - 1];
            total += v[i];
        }
        if (total == 0)
            continue;
        assert_true(iom_shares_tenths(v, n, t));
        for (i = 0; i < n; i++) {
            __extension__ __int128 exact2 = (__int128)v[i] * 2000;
            __extension__ __int128 lo2 = (__int128)(2 * t[i] - 1) * total;
            __extension__ __int128 hi2 = (__int128)(2 * t[i] + 1) * total;

            /* t - 1/2 <= 1000 v / total < t + 1/2 */
            assert_true(lo2 <= exact2 && exact2 < hi2);
            if (i % 3 == 2)
                assert_int_equal(t[i], t[i - 1]);
        }
    }
}

/* The Total row's share: 100.0 %, or nothing to share out. */
static void
test_agg_total_share_is_100_percent(void **state)
{
    struct fixture_agg *f = *state;

    assert_int_equal(iom_agg_total_share_tenths(fixture_agg_build(f)), 1000);
}

static enum iom_status
build(void *ctx)
{
    struct fixture_agg *f = ctx;

    iom_agg_free(f->agg);
    f->agg = NULL;
    return iom_agg_build(&f->rs, &f->sel, &f->agg);
}

/* Out of memory anywhere, the shares' arrays included, fails the build:
 * an aggregate is never handed on with its shares left out. */
static void
test_agg_out_of_memory_fails_the_build(void **state)
{
    struct fixture_agg *f = *state;

    assert_int_equal(fixture_fail_each_alloc(build, f, 0), IOM_OK);
    fixture_assert_agg_adds_up(f->agg);
}

#define ON_PORTFOLIO(t) cmocka_unit_test_setup_teardown(t, setup_portfolio, \
                                                       teardown)
#define ON_EMPTY_SET(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        ON_PORTFOLIO(test_agg_groups_sorted_with_unspecified_last),
        ON_PORTFOLIO(test_agg_region_year_cells_hold_their_projects),
        ON_PORTFOLIO(test_agg_figures_average_median_states_span),
        ON_PORTFOLIO(test_agg_projects_in_file_and_budget_order),
        ON_PORTFOLIO(test_agg_selection_narrows_projects),
        ON_PORTFOLIO(test_agg_empty_selection_gives_zeros),
        ON_PORTFOLIO(test_agg_total_share_is_100_percent),
        ON_PORTFOLIO(test_agg_out_of_memory_fails_the_build),
        ON_EMPTY_SET(test_agg_median_and_average_round_half_up),
        ON_EMPTY_SET(test_agg_one_group_has_whole_share),
        ON_EMPTY_SET(test_agg_all_zero_budgets_give_zero_shares),
        ON_EMPTY_SET(test_agg_million_cents_sum_exactly),
        ON_EMPTY_SET(test_agg_trillion_budgets_sum_exactly),
        ON_EMPTY_SET(test_agg_max_budgets_sum_exactly),
        ON_EMPTY_SET(test_agg_overflowing_total_fails),
        ON_EMPTY_SET(test_agg_census_counts_groups_and_sums_nothing),
        cmocka_unit_test(test_agg_shares_each_rounded_on_its_own),
        cmocka_unit_test(test_agg_shares_random_sets_round_half_up),
    };

    return cmocka_run_group_tests_name("agg", tests, NULL, NULL);
}
