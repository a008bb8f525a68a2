/*
 * money: budgets as exact integer cents.  Parsing accepts what IDF exports
 * write: a decimal point with ',' thousands separators ("37450.00",
 * "37,450.00", "59,625"), or, where the input's form says so, a decimal
 * comma with '.' thousands separators ("37450,00", "112.300,50", "59.625");
 * either after a "$" or "USD".  Formatting gives the one form every output
 * shows ("37,450.00").
 */
#ifndef IOM_MONEY_H
#define IOM_MONEY_H

#include <stdbool.h>
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

/* How an input writes its budgets, and what says so. */
enum iom_money_form {
    IOM_MONEY_POINT,        /* 37,450.00: the default */
    IOM_MONEY_COMMA_FILE,   /* 37.450,00: the fields are separated by ';' */
    IOM_MONEY_COMMA_OPTION  /* 37.450,00: --decimal-comma */
};

/*
 * Parse a non-negative decimal with at most two decimals, optional
 * thousands separators in groups of three, and an optional "$" or "USD"
 * (blanks may follow it) before it, as 'form' writes it.  Under a decimal
 * comma, a lone '.' before the last one or two digits ("37450.00") can
 * only be a decimal point and is read as one.  On success stores the cents
 * in *out; on failure leaves *out alone and, when 'why' is not NULL,
 * points it at a static reason.
 */
enum iom_status iom_money_parse(const char *s, size_t len,
                                enum iom_money_form form, int64_t *out,
                                const char **why);

/*
 * Whether 'why', a reason of iom_money_parse(), is about the decimal mark
 * or the thousands separators: the form in force decided it, and a
 * message then names the form's rule (iom_money_form_rule()).
 */
bool iom_money_form_fault(const char *why);

/*
 * How 'form' reads budgets, for the notes and --verbose: "a decimal comma
 * and '.' thousands separators (37.450,00), as the file's fields are
 * separated by ';'".
 */
const char *iom_money_form_text(enum iom_money_form form);

/* The rule a refused budget broke, for its reason: "a ';'-separated file
 * reads ',' as the decimal mark; see --decimal-comma". */
const char *iom_money_form_rule(enum iom_money_form form);

/* "1,234,567.89" into 'out' (at least IOM_MONEY_TEXT_MAX bytes). */
char *iom_money_format(int64_t cents, char *out);

/* Exact sum with overflow check; IOM_EOVERFLOW (*acc unchanged) when it
 * would pass 64 bits. */
enum iom_status iom_money_add(int64_t *acc, int64_t cents);

#endif
