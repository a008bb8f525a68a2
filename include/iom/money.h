/*
 * money: budgets as exact integer cents.  Parsing accepts what IDF exports
 * write ("37450.00", "37,450.00", "59,625"); formatting gives the one form
 * every output shows ("37,450.00").
 */
#ifndef IOM_MONEY_H
#define IOM_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "iom/status.h"

/* Largest budget accepted: 10^15 dollars keeps any sum of 10^6 of them
 * far inside int64_t cents. */
#define IOM_MONEY_MAX_CENTS INT64_C(100000000000000000)

/* Longest text iom_money_format() writes, with its NUL. */
#define IOM_MONEY_TEXT_MAX 32

/*
 * Parse a non-negative decimal with at most two decimals and optional ","
 * thousands separators in groups of three.  On success stores the cents in
 * *out; on failure leaves *out alone and, when 'why' is not NULL, points it
 * at a static reason.
 */
enum iom_status iom_money_parse(const char *s, size_t len, int64_t *out,
                                const char **why);

/* "1,234,567.89" into 'out' (at least IOM_MONEY_TEXT_MAX bytes). */
char *iom_money_format(int64_t cents, char *out);

/* Exact sum with overflow check; IOM_EINVALID on overflow. */
enum iom_status iom_money_add(int64_t *acc, int64_t cents);

#endif
