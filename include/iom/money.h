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

/*
 * Largest budget accepted: 10^12 dollars (real ones are below 10^7).  Any
 * 92,000 such budgets still sum inside int64_t cents; a total that would
 * not is reported by iom_money_add(), never wrapped.
 */
#define IOM_MONEY_MAX_CENTS INT64_C(100000000000000)

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

/* Exact sum with overflow check; IOM_EOVERFLOW (*acc unchanged) when it
 * would pass 64 bits. */
enum iom_status iom_money_add(int64_t *acc, int64_t cents);

#endif
