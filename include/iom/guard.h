/*
 * guard: whether tonight's reading may go out at all.  A night that lost
 * far more records than the label's previous published run, or more than
 * the operator allows, or far more of its projects (a truncated export or
 * pipe), is damaged: it publishes and mails nothing, and the previous run
 * stays.  The rule is documented in the README (Bad input).
 */
#ifndef IOM_GUARD_H
#define IOM_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/status.h"

/*
 * Without --max-rejected: the share of records a night may lose, in
 * percent (or the previous run's share and a margin, when higher), and
 * the rejects that never stop a night, however small the file: a real
 * export with a few bad rows still goes out.
 */
#define IOM_GUARD_REJECTED_PCT 10.0
#define IOM_GUARD_REJECTED_MARGIN_PCT 10.0
#define IOM_GUARD_REJECTED_FEW 5
/* Projects a night may lose without --allow-shrink: a tenth, and at
 * least this many. */
#define IOM_GUARD_SHRINK_PCT 10.0
#define IOM_GUARD_SHRINK_MIN 2

/* --max-rejected: a count of records, or a percentage of those read. */
struct iom_limit {
    bool given;
    bool percent;
    double value;
};

/* Parse "25", "10%" or "2.5%" (0 to 100 %); false when it is not one. */
bool iom_limit_parse(const char *s, struct iom_limit *out);

/* A night's counts. */
struct iom_guard_counts {
    size_t records;               /* data records read */
    size_t rejected;
    size_t selected;              /* projects of the selection */
};

struct iom_guard {
    struct iom_guard_counts now;
    const struct iom_guard_counts *prev;  /* the label's published run,
                                           * NULL when none is known */
    struct iom_limit max_rejected;
    bool allow_shrink;
};

/*
 * IOM_OK when the night may go out; else IOM_EWITHHELD with the reason in
 * 'why' (one clause, e.g. "27 of 50 records rejected (54.0 %), more than
 * the 10 % allowed", or "all 3 records rejected", which no limit lets
 * out).
 */
enum iom_status iom_guard_check(const struct iom_guard *g, char *why,
                                size_t size);

#endif
