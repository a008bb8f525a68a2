/*
 * money: exact decimal <-> integer cents, never through a double.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "iom/money.h"

static const char empty[] = "is empty";
static const char negative[] = "is negative";
static const char not_number[] = "is not a decimal number";
static const char too_large[] = "is too large";
/* The faults the form in force decides: iom_money_form_fault(). */
static const char misplaced[] = "has a misplaced thousands separator";
static const char after_mark[] = "has a '.' or ',' after its decimal mark";
static const char decimals_point[] = "has more than 2 decimals";
static const char decimals_three[] = "has 3 decimals after the decimal comma";
static const char decimals_comma[] =
    "has more than 2 decimals after the decimal comma";
static const char written_comma[] = "is written with a decimal comma";
static const char written_point[] =
    "is written with a decimal point and ',' thousands separators";

static const struct {
    const char *text;
    const char *rule;
} forms[] = {
    [IOM_MONEY_POINT] = {
        "a decimal point and ',' thousands separators (37,450.00)",
        "'.' is the decimal mark unless the fields are separated by ';' "
        "or --decimal-comma is given" },
    [IOM_MONEY_COMMA_FILE] = {
        "a decimal comma and '.' thousands separators (37.450,00), as the "
        "file's fields are separated by ';'",
        "a ';'-separated file reads ',' as the decimal mark and '.' as the "
        "thousands separator; see --decimal-comma" },
    [IOM_MONEY_COMMA_OPTION] = {
        "a decimal comma and '.' thousands separators (37.450,00), as "
        "--decimal-comma asks",
        "--decimal-comma reads ',' as the decimal mark and '.' as the "
        "thousands separator" },
};

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static enum iom_status
fail(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return IOM_EINVALID;
}

/* Past a leading "$" or "USD" and the blanks after it. */
static void
skip_currency(const char **s, size_t *len)
{
    size_t n = *len >= 1 && **s == '$' ? 1 :
               *len >= 3 && memcmp(*s, "USD", 3) == 0 ? 3 : 0;

    if (n == 0)
        return;
    while (n < *len && ((*s)[n] == ' ' || (*s)[n] == '\t'))
        n++;
    *s += n;
    *len -= n;
}

/*
 * s[0..len) as digits with 'sep' between groups of three and 'dec' before
 * at most two decimals: NULL with the cents in *out, or the fault.
 */
static const char *
read_amount(const char *s, size_t len, char dec, char sep, int64_t *out)
{
    int64_t dollars = 0, cents = 0;
    size_t i, digits = 0, group = 0, decimals = 0;
    bool grouped = false;

    for (i = 0; i < len && s[i] != dec; i++) {
        if (s[i] == sep) {
            /* "1,234" and "12,345,678": the first group has 1 to 3
             * digits, every later one exactly 3. */
            if (digits == 0 || (grouped ? group != 3 : group > 3))
                return misplaced;
            grouped = true;
            group = 0;
            continue;
        }
        if (!is_digit(s[i]))
            return not_number;
        if (dollars > (IOM_MONEY_MAX_CENTS / 100 - (s[i] - '0')) / 10)
            return too_large;
        dollars = dollars * 10 + (s[i] - '0');
        digits++;
        group++;
    }
    if (digits == 0)
        return not_number;
    if (grouped && group != 3)
        return misplaced;
    if (i < len) {
        for (i++; i < len; i++) {
            if (s[i] == dec || s[i] == sep)
                return after_mark;
            if (!is_digit(s[i]))
                return not_number;
            if (++decimals <= 2)
                cents = cents * 10 + (s[i] - '0');
        }
        if (decimals == 0)
            return not_number;
        if (decimals > 2)
            return dec == '.' ? decimals_point :
                   decimals == 3 ? decimals_three : decimals_comma;
        if (decimals == 1)
            cents *= 10;
    }
    if (dollars * 100 > IOM_MONEY_MAX_CENTS - cents)
        return too_large;
    *out = dollars * 100 + cents;
    return NULL;
}

/* No ',' and one '.', before the last one or two digits ("37450.00"):
 * never a thousands separator, so a decimal point in any form. */
static bool
lone_point(const char *s, size_t len)
{
    const char *dot = memchr(s, '.', len);
    size_t after;

    if (!dot || memchr(s, ',', len) || memchr(dot + 1, '.', len -
                                               (size_t)(dot + 1 - s)))
        return false;
    after = len - (size_t)(dot + 1 - s);
    return after == 1 || after == 2;
}

static bool
decimals_fault(const char *why)
{
    return why == decimals_point || why == decimals_three ||
           why == decimals_comma;
}

enum iom_status
iom_money_parse(const char *s, size_t len, enum iom_money_form form,
                int64_t *out, const char **why)
{
    const bool comma = form != IOM_MONEY_POINT;
    const char dec = comma ? ',' : '.', sep = comma ? '.' : ',';
    const char *fault;
    int64_t other;

    if (len == 0)
        return fail(why, empty);
    skip_currency(&s, &len);
    if (len > 0 && s[0] == '-')
        return fail(why, negative);
    fault = read_amount(s, len, dec, sep, out);
    if (fault && comma && lone_point(s, len))
        fault = read_amount(s, len, '.', ',', out);
    if (!fault)
        return IOM_OK;
    /* An amount only the other form reads says so; one whose decimals
     * are too many keeps that reason: "1,234" may be either. */
    if (iom_money_form_fault(fault) && !decimals_fault(fault) &&
        read_amount(s, len, sep, dec, &other) == NULL)
        fault = comma ? written_point : written_comma;
    return fail(why, fault);
}

bool
iom_money_form_fault(const char *why)
{
    return why == misplaced || why == after_mark || decimals_fault(why) ||
           why == written_comma || why == written_point;
}

const char *
iom_money_form_text(enum iom_money_form form)
{
    return forms[form].text;
}

const char *
iom_money_form_rule(enum iom_money_form form)
{
    return forms[form].rule;
}

char *
iom_money_format(int64_t cents, char *out)
{
    char digits[24];
    const char *sign = "";
    uint64_t v;
    int n, lead, i;
    char *p = out;

    if (cents < 0) {
        sign = "-";
        v = (uint64_t)0 - (uint64_t)cents;
    } else {
        v = (uint64_t)cents;
    }
    n = snprintf(digits, sizeof digits, "%llu",
                 (unsigned long long)(v / 100));
    p += sprintf(p, "%s", sign);
    lead = n % 3 ? n % 3 : 3;
    for (i = 0; i < n; i++) {
        if (i && (i - lead) % 3 == 0)
            *p++ = ',';
        *p++ = digits[i];
    }
    sprintf(p, ".%02u", (unsigned)(v % 100));
    return out;
}

enum iom_status
iom_money_add(int64_t *acc, int64_t cents)
{
    if ((cents > 0 && *acc > INT64_MAX - cents) ||
        (cents < 0 && *acc < INT64_MIN - cents))
        return IOM_EOVERFLOW;
    *acc += cents;
    return IOM_OK;
}
