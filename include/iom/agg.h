/*
 * agg: the selected projects and their totals by IDF Region, Project Type,
 * Year and Region x Year.  Every sum is exact integer cents; each share is
 * rounded on its own, so equal budgets show equal shares and a table's
 * shares may add up to a little more or less than 100.0 %.
 * Groups iterate in a fixed order (names in byte order with "Unspecified"
 * last, years ascending), never hash order.
 */
#ifndef IOM_AGG_H
#define IOM_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/record.h"
#include "iom/select.h"
#include "iom/status.h"

struct iom_group {
    const char *name;     /* region, type, or the year as text */
    int year;             /* IOM_BY_YEAR groups only, else 0 */
    size_t count;
    int64_t total_cents;
    int share_tenths;     /* share of the selection's budget in 0.1 % */
};

enum iom_agg_dim { IOM_BY_REGION = 0, IOM_BY_TYPE, IOM_BY_YEAR, IOM_DIM_COUNT };

struct iom_agg;

/*
 * Select from 'rs' and aggregate.  The aggregate borrows the records of
 * 'rs', which must outlive it.  *out is set only on IOM_OK; IOM_EOVERFLOW
 * when a total does not fit in 64 bits of cents.
 */
enum iom_status iom_agg_build(const struct iom_recset *rs,
                              const struct iom_selection *sel,
                              struct iom_agg **out);
void iom_agg_free(struct iom_agg *agg);          /* NULL is a no-op */

/*
 * The same, streamed: start, add each record as it is read, finish once.
 * iom_agg_add() counts a selected record and keeps only its budget (for
 * the median) and its region, type and member state names, which must
 * outlive the aggregate (the shared strings of a recset); the record may
 * go once the call returns.  A streamed aggregate has no project lists
 * (iom_agg_projects() and iom_agg_by_budget() are for iom_agg_build()).
 * IOM_EOVERFLOW when the total no longer fits in 64 bits of cents.  'sel'
 * is borrowed until iom_agg_finish(); iom_agg_free() in any case.
 */
enum iom_status iom_agg_start(const struct iom_selection *sel,
                              struct iom_agg **out);
/*
 * A census: streamed like iom_agg_start(), but only counting the records
 * of each group of the three tables (iom_agg_groups()), to say what an
 * input holds.  It sums no budget (so it never overflows: totals, average
 * and median are 0) and has no member states or cells.
 */
enum iom_status iom_agg_start_census(const struct iom_selection *sel,
                                     struct iom_agg **out);
/* A census of the records of 'rs' that 'sel' selects, built at once. */
enum iom_status iom_agg_build_census(const struct iom_recset *rs,
                                     const struct iom_selection *sel,
                                     struct iom_agg **out);
enum iom_status iom_agg_add(struct iom_agg *agg,
                            const struct iom_record *rec);
enum iom_status iom_agg_finish(struct iom_agg *agg);

size_t iom_agg_count(const struct iom_agg *agg);
int64_t iom_agg_total(const struct iom_agg *agg);
/* Mean and median in cents, rounded half up; 0 for an empty selection. */
int64_t iom_agg_average(const struct iom_agg *agg);
int64_t iom_agg_median(const struct iom_agg *agg);
/* Distinct benefiting member states over the selection. */
size_t iom_agg_member_states(const struct iom_agg *agg);
/* First and last Year of the selection; false when it is empty. */
bool iom_agg_year_span(const struct iom_agg *agg, int *first, int *last);

/* Selected projects in file order, and largest budget first (ties: ID). */
const struct iom_record *const *iom_agg_projects(const struct iom_agg *agg);
const struct iom_record *const *iom_agg_by_budget(const struct iom_agg *agg);

const struct iom_group *iom_agg_groups(const struct iom_agg *agg,
                                       enum iom_agg_dim dim, size_t *n);
/*
 * The Region x Year cell for region group 'r' and year group 'y' (indexes
 * into iom_agg_groups()); share_tenths is 0 there.
 */
const struct iom_group *iom_agg_cell(const struct iom_agg *agg, size_t r,
                                     size_t y);

/*
 * values[i]/sum(values) in tenths of a percent, each rounded on its own
 * from the exact values, halves away from zero: the shares need not add up
 * to 1000.  All zeros (or n == 0) gives all zeros and returns false.
 */
bool iom_shares_tenths(const int64_t *values, size_t n, int *tenths);

/*
 * The share a Total row shows: 1000 (100.0 %), or 0 when every budget of
 * the selection is zero and there is nothing to share out.
 */
int iom_agg_total_share_tenths(const struct iom_agg *agg);

/* What every table with a share column says under it. */
#define IOM_SHARES_NOTE \
    "Rounded shares may not add up to exactly 100.0 %."

#endif
