/*
 * fuzz_ingest: the bytes are a whole input file.  Reading (csv_in),
 * validation, rejected.csv, aggregation and brief names must never crash,
 * leak or hang, and what comes out must hold the invariants the renderers
 * rely on: every record accepted or rejected, every accepted record within
 * the README's rules, every table adding up to its total.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iom/agg.h"
#include "iom/csv_in.h"
#include "iom/fname.h"
#include "iom/money.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/select.h"
#include "iom/text.h"
#include "iom/validate.h"

#include "fuzz.h"

/* An invariant broke: abort, so that libFuzzer keeps the input. */
#define REQUIRE(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stdout, "fuzz_ingest: %s:%d: '%s' does not hold\n", \
                    __FILE__, __LINE__, #cond); \
            fflush(stdout); \
            abort(); \
        } \
    } while (0)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_quiet();
    return 0;
}

static bool
text_ok(const char *s)
{
    return s && iom_utf8_valid(s, strlen(s), NULL);
}

/* A date read is a real day of a year the rules allow; one that could
 * not be read carries its text as given. */
static void
check_date(const struct iom_record *r, const struct iom_date *d)
{
    const char *given = iom_record_date_given(r, d);

    REQUIRE(d->prec <= IOM_DATE_GIVEN);
    REQUIRE((given != NULL) == (d->prec == IOM_DATE_GIVEN));
    if (given)
        REQUIRE(text_ok(given) && *given);
    else if (d->prec != IOM_DATE_NONE)
        REQUIRE(d->year >= IOM_YEAR_MIN && d->year <= IOM_YEAR_MAX &&
                (d->prec < IOM_DATE_MONTH ||
                 (d->month >= 1 && d->month <= 12)) &&
                (d->prec < IOM_DATE_DAY ||
                 (d->day >= 1 &&
                  d->day <= iom_days_in_month(d->year, d->month))));
}

static void
check_record(const struct iom_record *r)
{
    size_t i, j;

    REQUIRE(text_ok(r->id) && *r->id);
    REQUIRE(text_ok(r->title) && *r->title);
    REQUIRE(text_ok(r->status) && text_ok(r->coverage));
    REQUIRE(text_ok(r->type) && *r->type);
    REQUIRE(text_ok(r->region) && *r->region);
    REQUIRE(text_ok(r->description) && !strchr(r->description, '\r'));
    REQUIRE(text_ok(r->prima_id));
    REQUIRE(r->n_states == 0 || r->states);
    for (i = 0; i < r->n_states; i++) {
        REQUIRE(text_ok(r->states[i]) && *r->states[i]);
        /* each member state once, whatever its case */
        for (j = 0; j < i; j++)
            REQUIRE(strcasecmp(r->states[i], r->states[j]) != 0);
    }
    REQUIRE(r->budget_cents >= 0 && r->budget_cents <= IOM_MONEY_MAX_CENTS);
    REQUIRE(r->year >= IOM_YEAR_MIN && r->year <= IOM_YEAR_MAX);
    check_date(r, &r->start);
    check_date(r, &r->end);
}

static void
check_groups(const struct iom_agg *agg, enum iom_agg_dim dim)
{
    size_t n, i, count = 0;
    int64_t total = 0;
    const struct iom_group *g = iom_agg_groups(agg, dim, &n);

    for (i = 0; i < n; i++) {
        REQUIRE(text_ok(g[i].name));
        REQUIRE(g[i].share_tenths >= 0 && g[i].share_tenths <= 1000);
        count += g[i].count;
        total += g[i].total_cents;
    }
    REQUIRE(count == iom_agg_count(agg));
    REQUIRE(total == iom_agg_total(agg));
    REQUIRE(iom_agg_total_share_tenths(agg) ==
            (iom_agg_total(agg) > 0 ? 1000 : 0));
}

static void
check_agg(const struct iom_agg *agg, size_t accepted)
{
    const struct iom_record *const *by_budget = iom_agg_by_budget(agg);
    size_t n = iom_agg_count(agg), i, n_regions, n_years, r, y;
    int first, last;

    REQUIRE(n == accepted);
    for (i = 1; i < n; i++)
        REQUIRE(by_budget[i - 1]->budget_cents >= by_budget[i]->budget_cents);
    if (n) {
        REQUIRE(iom_agg_median(agg) <= by_budget[0]->budget_cents);
        REQUIRE(iom_agg_median(agg) >= by_budget[n - 1]->budget_cents);
        REQUIRE(iom_agg_average(agg) <= by_budget[0]->budget_cents);
        REQUIRE(iom_agg_average(agg) >= by_budget[n - 1]->budget_cents);
    }
    REQUIRE(iom_agg_year_span(agg, &first, &last) == (n > 0));
    check_groups(agg, IOM_BY_REGION);
    check_groups(agg, IOM_BY_TYPE);
    check_groups(agg, IOM_BY_YEAR);
    iom_agg_groups(agg, IOM_BY_REGION, &n_regions);
    iom_agg_groups(agg, IOM_BY_YEAR, &n_years);
    for (r = 0; r < n_regions; r++) {
        size_t count = 0;

        for (y = 0; y < n_years; y++)
            count += iom_agg_cell(agg, r, y)->count;
        REQUIRE(count == iom_agg_groups(agg, IOM_BY_REGION, &n)[r].count);
    }
}

static void
check_names(const struct iom_agg *agg)
{
    size_t n = iom_agg_count(agg), i, j;
    char **names;

    REQUIRE(iom_fname_build(iom_agg_projects(agg), n, &names, NULL) == IOM_OK);
    for (i = 0; i < n; i++) {
        size_t len = strlen(names[i]);

        REQUIRE(len > 4 && len <= IOM_FNAME_MAX);
        REQUIRE(names[i][0] != '.' && names[i][0] != '-');
        REQUIRE(strspn(names[i], "abcdefghijklmnopqrstuvwxyz"
                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len);
        for (j = 0; j < i; j++)
            REQUIRE(strcasecmp(names[i], names[j]) != 0);
    }
    iom_fname_free(names, n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct iom_csv_error err = { 0, "" };
    struct iom_selection sel;
    struct iom_recset rs;
    struct iom_rejects rej;
    struct iom_validator *val = NULL;
    struct iom_agg *agg = NULL;
    enum iom_status st;
    FILE *in, *null;
    size_t i;

    /* fmemopen() refuses an empty buffer: /dev/null is the empty file. */
    in = size ? fmemopen((void *)(uintptr_t)data, size, "rb") :
         fopen("/dev/null", "rb");
    REQUIRE(in);
    iom_recset_init(&rs);
    iom_selection_init(&sel);
    REQUIRE(iom_rejects_init(&rej) == IOM_OK);
    REQUIRE(iom_validator_new("fuzz.csv", &rs, &rej, &val) == IOM_OK);
    st = iom_csv_read(in, iom_validate_row, val, &err);
    fclose(in);
    REQUIRE(st == IOM_OK || st == IOM_ECSV || st == IOM_EINVALID);
    if (st != IOM_OK || !iom_validator_has_header(val))
        goto out;
    REQUIRE(iom_validator_records(val) == rs.n + rej.count);
    for (i = 0; i < rs.n; i++)
        check_record(&rs.recs[i]);
    null = fopen("/dev/null", "wb");
    REQUIRE(null);
    REQUIRE(iom_rejects_copy(&rej, null) == IOM_OK);
    fclose(null);
    REQUIRE(iom_agg_build(&rs, &sel, &agg) == IOM_OK);
    check_agg(agg, rs.n);
    check_names(agg);
out:
    iom_agg_free(agg);
    iom_validator_free(val);
    iom_rejects_release(&rej);
    iom_selection_release(&sel);
    iom_recset_release(&rs);
    return 0;
}
