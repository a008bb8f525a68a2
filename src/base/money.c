/*
 * money: exact decimal <-> integer cents, never through a double.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "iom/money.h"

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

enum iom_status
iom_money_parse(const char *s, size_t len, int64_t *out, const char **why)
{
    int64_t dollars = 0, cents = 0;
    size_t i = 0, digits = 0, group = 0, decimals = 0;
    bool grouped = false;

    if (len == 0)
        return fail(why, "is empty");
    if (s[0] == '-')
        return fail(why, "is negative");
    for (; i < len && s[i] != '.'; i++) {
        if (s[i] == ',') {
            /* "1,234" and "12,345,678": the first group has 1 to 3
             * digits, every later one exactly 3. */
            if (digits == 0 || (grouped ? group != 3 : group > 3))
                return fail(why, "has a misplaced thousands separator");
            grouped = true;
            group = 0;
            continue;
        }
        if (!is_digit(s[i]))
            return fail(why, "is not a decimal number");
        if (dollars > (IOM_MONEY_MAX_CENTS / 100 - (s[i] - '0')) / 10)
            return fail(why, "is too large");
        dollars = dollars * 10 + (s[i] - '0');
        digits++;
        group++;
    }
    if (digits == 0)
        return fail(why, "is not a decimal number");
    if (grouped && group != 3)
        return fail(why, "has a misplaced thousands separator");
    if (i < len) {
        for (i++; i < len; i++) {
            if (!is_digit(s[i]))
                return fail(why, "is not a decimal number");
            if (++decimals > 2)
                return fail(why, "has more than 2 decimals");
            cents = cents * 10 + (s[i] - '0');
        }
        if (decimals == 0)
            return fail(why, "is not a decimal number");
        if (decimals == 1)
            cents *= 10;
    }
    if (dollars * 100 > IOM_MONEY_MAX_CENTS - cents)
        return fail(why, "is too large");
    *out = dollars * 100 + cents;
    return IOM_OK;
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
