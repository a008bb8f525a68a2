/*
 * test_money: parsing, formatting and overflow-checked sums of cents.
 * The sums over whole record sets are in test_agg.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "iom/money.h"

/* The default form, as most cases here read it. */
static enum iom_status
parse_point(const char *s, size_t len, int64_t *out)
{
    return iom_money_parse(s, len, IOM_MONEY_POINT, out, NULL);
}

struct parse_case {
    const char *in;
    enum iom_status exp;
    int64_t cents;
};

/* Each of cases[0..n) read in 'form': its status and cents; a failure
 * has a reason and leaves *out alone. */
static void
assert_parse_table(const struct parse_case *cases, size_t n,
                   enum iom_money_form form)
{
    size_t i;

    for (i = 0; i < n; i++) {
        int64_t got = -12345;
        const char *why = NULL;
        enum iom_status st = iom_money_parse(cases[i].in,
                                             strlen(cases[i].in), form,
                                             &got, &why);

        if (st != cases[i].exp)
            print_message("money_parse '%s' (form %d)\n", cases[i].in,
                          form);
        assert_int_equal(st, cases[i].exp);
        if (cases[i].exp == IOM_OK) {
            assert_int_equal(got, cases[i].cents);
        } else {
            assert_int_equal(got, -12345);   /* *out left alone */
            assert_non_null(why);
            assert_true(strlen(why) > 0);
        }
    }
}

static void
test_money_parse_table_gives_exact_cents(void **state)
{
    static const struct parse_case cases[] = {
        { "37,450.00",            IOM_OK,       3745000 },
        { "37450.00",             IOM_OK,       3745000 },
        { "59,625",               IOM_OK,       5962500 },
        { "0",                    IOM_OK,       0 },
        { "0.01",                 IOM_OK,       1 },
        { "0.5",                  IOM_OK,       50 },
        { "37450.5",              IOM_OK,       3745050 },
        { "1,000,000.00",         IOM_OK,       100000000 },
        { "999999999999.99",      IOM_OK,       INT64_C(99999999999999) },
        { "999,999,999,999.99",   IOM_OK,       INT64_C(99999999999999) },
        { "1,234",                IOM_OK,       123400 },
        { "12,345,678.9",         IOM_OK,       1234567890 },
        { "007",                  IOM_OK,       700 },
        { "1e308",                IOM_EINVALID, 0 },
        { "-0",                   IOM_EINVALID, 0 },
        { "-5",                   IOM_EINVALID, 0 },
        { "+5",                   IOM_EINVALID, 0 },
        { "0x10",                 IOM_EINVALID, 0 },
        { "12.345",               IOM_EINVALID, 0 },
        { "NaN",                  IOM_EINVALID, 0 },
        { "inf",                  IOM_EINVALID, 0 },
        { "99999999999999999999", IOM_EINVALID, 0 },
        { "1,2,3",                IOM_EINVALID, 0 },
        { "1,23",                 IOM_EINVALID, 0 },
        { "1,2345",               IOM_EINVALID, 0 },
        { "1234,567",             IOM_EINVALID, 0 },
        { ",123",                 IOM_EINVALID, 0 },
        { "123,",                 IOM_EINVALID, 0 },
        { "1,,234",               IOM_EINVALID, 0 },
        { "1,234.5,6",            IOM_EINVALID, 0 },
        { "",                     IOM_EINVALID, 0 },
        { ".5",                   IOM_EINVALID, 0 },
        { "5.",                   IOM_EINVALID, 0 },
        { ".",                    IOM_EINVALID, 0 },
        { " 1",                   IOM_EINVALID, 0 },
        { "1 ",                   IOM_EINVALID, 0 },
        { "1.2.3",                IOM_EINVALID, 0 },
        { "USD 5",                IOM_OK,       500 },
        { "USD37,450.00",         IOM_OK,       3745000 },
        { "$37,450.00",           IOM_OK,       3745000 },
        { "$ 0.5",                IOM_OK,       50 },
        { "USD",                  IOM_EINVALID, 0 },
        { "$",                    IOM_EINVALID, 0 },
        { "$-5",                  IOM_EINVALID, 0 },
        { "-$5",                  IOM_EINVALID, 0 },
        { "usd 5",                IOM_EINVALID, 0 },
        { "US$5",                 IOM_EINVALID, 0 },
        { "5$",                   IOM_EINVALID, 0 },
        { "5 USD",                IOM_EINVALID, 0 },
        { "$$5",                  IOM_EINVALID, 0 },
        { "37450,00",             IOM_EINVALID, 0 },
        { "112.300,50",           IOM_EINVALID, 0 },
        { "1 000",                IOM_EINVALID, 0 },
    };

    (void)state;
    assert_parse_table(cases, sizeof cases / sizeof cases[0],
                       IOM_MONEY_POINT);
}

static void
test_money_parse_reads_only_len_bytes(void **state)
{
    int64_t got = 0;

    (void)state;
    assert_int_equal(parse_point("1.5xyz", 3, &got), IOM_OK);
    assert_int_equal(got, 150);
    assert_int_equal(parse_point("12345", 2, &got), IOM_OK);
    assert_int_equal(got, 1200);
    /* A NULL 'why' is allowed on failure too. */
    assert_int_equal(parse_point("x", 1, &got), IOM_EINVALID);
}

/* A decimal comma: '.' groups thousands, and a lone '.' before one or
 * two last digits is still a decimal point (it cannot group thousands). */
static void
test_money_parse_decimal_comma_table_gives_exact_cents(void **state)
{
    static const struct parse_case cases[] = {
        { "37450,00",        IOM_OK,       3745000 },
        { "112.300,50",      IOM_OK,       11230050 },
        { "59.625",          IOM_OK,       5962500 },
        { "1.000.000",       IOM_OK,       100000000 },
        { "0,5",             IOM_OK,       50 },
        { "95000",           IOM_OK,       9500000 },
        { "USD 48.200,00",   IOM_OK,       4820000 },
        { "$74.500",         IOM_OK,       7450000 },
        { "USD95000,5",      IOM_OK,       9500050 },
        { "37450.00",        IOM_OK,       3745000 },
        { "37450.5",         IOM_OK,       3745050 },
        { "1.50",            IOM_OK,       150 },
        { "999.999.999.999,99", IOM_OK,    INT64_C(99999999999999) },
        { "1,234",           IOM_EINVALID, 0 },
        { "1,2345",          IOM_EINVALID, 0 },
        { "112,300.50",      IOM_EINVALID, 0 },
        { "37,450.00",       IOM_EINVALID, 0 },
        { "1.23,45",         IOM_EINVALID, 0 },
        { "1.234.56",        IOM_EINVALID, 0 },
        { "1,2,3",           IOM_EINVALID, 0 },
        { "12.345.6",        IOM_EINVALID, 0 },
        { ",5",              IOM_EINVALID, 0 },
        { "5,",              IOM_EINVALID, 0 },
        { "-1,00",           IOM_EINVALID, 0 },
        { "1.000.000.000.000,01", IOM_EINVALID, 0 },
        { "",                IOM_EINVALID, 0 },
    };

    (void)state;
    assert_parse_table(cases, sizeof cases / sizeof cases[0],
                       IOM_MONEY_COMMA_FILE);
}

/* The reason of a refused amount: what is wrong under the form in force,
 * and whether that form decided it (the message then names its rule). */
static void
test_money_parse_reasons_say_what_the_form_decides(void **state)
{
    static const struct {
        const char *in;
        enum iom_money_form form;
        const char *why;
        bool form_fault;
    } cases[] = {
        { "1,234", IOM_MONEY_COMMA_FILE,
          "has 3 decimals after the decimal comma", true },
        { "59,6250", IOM_MONEY_COMMA_OPTION,
          "has more than 2 decimals after the decimal comma", true },
        { "112,300.50", IOM_MONEY_COMMA_FILE,
          "is written with a decimal point and ',' thousands separators",
          true },
        { "37450,00", IOM_MONEY_POINT, "is written with a decimal comma",
          true },
        { "112.300,50", IOM_MONEY_POINT, "is written with a decimal comma",
          true },
        { "12.345", IOM_MONEY_POINT, "has more than 2 decimals", true },
        { "1,2,3", IOM_MONEY_POINT, "has a misplaced thousands separator",
          true },
        { "1.23,45", IOM_MONEY_COMMA_FILE,
          "has a misplaced thousands separator", true },
        { "1.2.3", IOM_MONEY_POINT, "has a '.' or ',' after its decimal mark",
          true },
        { "12abc", IOM_MONEY_POINT, "is not a decimal number", false },
        { "12abc", IOM_MONEY_COMMA_FILE, "is not a decimal number", false },
        { "-5", IOM_MONEY_COMMA_OPTION, "is negative", false },
        { "", IOM_MONEY_POINT, "is empty", false },
        { "99999999999999999999", IOM_MONEY_COMMA_FILE, "is too large",
          false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got;
        const char *why = NULL;

        assert_int_equal(iom_money_parse(cases[i].in, strlen(cases[i].in),
                                         cases[i].form, &got, &why),
                         IOM_EINVALID);
        if (!why || strcmp(why, cases[i].why) != 0)
            print_message("'%s': '%s'\n", cases[i].in, why);
        assert_string_equal(why, cases[i].why);
        assert_int_equal(iom_money_form_fault(why), cases[i].form_fault);
    }
    assert_false(iom_money_form_fault("has more than 2 decimals"));
}

/* Each form says how it reads budgets and what put it in force. */
static void
test_money_form_texts_name_mark_and_cause(void **state)
{
    (void)state;
    assert_non_null(strstr(iom_money_form_text(IOM_MONEY_POINT),
                           "decimal point"));
    assert_non_null(strstr(iom_money_form_text(IOM_MONEY_COMMA_FILE),
                           "separated by ';'"));
    assert_non_null(strstr(iom_money_form_text(IOM_MONEY_COMMA_OPTION),
                           "--decimal-comma"));
    assert_non_null(strstr(iom_money_form_rule(IOM_MONEY_POINT),
                           "--decimal-comma"));
    assert_non_null(strstr(iom_money_form_rule(IOM_MONEY_COMMA_FILE),
                           "';'-separated file reads ','"));
    assert_non_null(strstr(iom_money_form_rule(IOM_MONEY_COMMA_OPTION),
                           "--decimal-comma reads ','"));
}

/* IOM_MONEY_MAX_CENTS is "the largest budget accepted", written with or
 * without separators; one cent or one dollar more is not. */
static void
test_money_parse_max_passes_above_fails(void **state)
{
    char text[64], grouped[IOM_MONEY_TEXT_MAX];
    int64_t got = -1;
    const int64_t max = IOM_MONEY_MAX_CENTS;

    (void)state;
    iom_money_format(max, grouped);
    assert_int_equal(parse_point(grouped, strlen(grouped), &got), IOM_OK);
    assert_int_equal(got, max);
    snprintf(text, sizeof text, "%lld.%02lld", (long long)(max / 100),
             (long long)(max % 100));
    assert_int_equal(parse_point(text, strlen(text), &got), IOM_OK);
    assert_int_equal(got, max);
    got = -1;
    snprintf(text, sizeof text, "%lld.%02lld", (long long)((max + 1) / 100),
             (long long)((max + 1) % 100));
    assert_int_equal(parse_point(text, strlen(text), &got), IOM_EINVALID);
    snprintf(text, sizeof text, "%lld", (long long)(max / 100 + 1));
    assert_int_equal(parse_point(text, strlen(text), &got), IOM_EINVALID);
    snprintf(text, sizeof text, "%lld0", (long long)(max / 100));
    assert_int_equal(parse_point(text, strlen(text), &got), IOM_EINVALID);
    assert_int_equal(got, -1);
}

static void
test_money_format_table_groups_thousands(void **state)
{
    static const struct { int64_t cents; const char *exp; } cases[] = {
        { 0,                        "0.00" },
        { 1,                        "0.01" },
        { 10,                       "0.10" },
        { 100,                      "1.00" },
        { 99999,                    "999.99" },
        { 100000,                   "1,000.00" },
        { 3745000,                  "37,450.00" },
        { 5962500,                  "59,625.00" },
        { 123456789,                "1,234,567.89" },
        { 100000000,                "1,000,000.00" },
        { INT64_C(99999999999999),  "999,999,999,999.99" },
        { INT64_C(100000109707550), "1,000,001,097,075.50" },
        { INT64_C(100000000000000), "1,000,000,000,000.00" },
        { INT64_C(100000000000000000), "1,000,000,000,000,000.00" },
        { INT64_MAX,                "92,233,720,368,547,758.07" },
        { -1,                       "-0.01" },
        { -3745000,                 "-37,450.00" },
        { INT64_MIN,                "-92,233,720,368,547,758.08" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[IOM_MONEY_TEXT_MAX];

        assert_ptr_equal(iom_money_format(cases[i].cents, got), got);
        assert_string_equal(got, cases[i].exp);
        assert_true(strlen(got) < IOM_MONEY_TEXT_MAX);
    }
}

static void
test_money_format_then_parse_round_trips(void **state)
{
    static const int64_t values[] = {
        0, 1, 99, 100, 101, 99999, 100000, 3745000, INT64_C(99999999999999),
        IOM_MONEY_MAX_CENTS
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof values / sizeof values[0]; i++) {
        char text[IOM_MONEY_TEXT_MAX];
        int64_t got = -1;

        iom_money_format(values[i], text);
        assert_int_equal(parse_point(text, strlen(text), &got), IOM_OK);
        assert_int_equal(got, values[i]);
    }
}

static void
test_money_add_exact_and_overflow_fails(void **state)
{
    int64_t acc = 0;
    int i;

    (void)state;
    for (i = 0; i < 1000; i++)
        assert_int_equal(iom_money_add(&acc, INT64_C(99999999999999)),
                         IOM_OK);
    assert_int_equal(acc, INT64_C(99999999999999000));
    acc = INT64_MAX - 1;
    assert_int_equal(iom_money_add(&acc, 1), IOM_OK);
    assert_int_equal(acc, INT64_MAX);
    assert_int_equal(iom_money_add(&acc, 1), IOM_EOVERFLOW);
    assert_int_equal(acc, INT64_MAX);          /* unchanged on overflow */
    acc = INT64_MIN + 1;
    assert_int_equal(iom_money_add(&acc, -2), IOM_EOVERFLOW);
    assert_int_equal(acc, INT64_MIN + 1);
    assert_int_equal(iom_money_add(&acc, 0), IOM_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse_table_gives_exact_cents),
        cmocka_unit_test(test_money_parse_reads_only_len_bytes),
        cmocka_unit_test(test_money_parse_decimal_comma_table_gives_exact_cents),
        cmocka_unit_test(test_money_parse_reasons_say_what_the_form_decides),
        cmocka_unit_test(test_money_form_texts_name_mark_and_cause),
        cmocka_unit_test(test_money_parse_max_passes_above_fails),
        cmocka_unit_test(test_money_format_table_groups_thousands),
        cmocka_unit_test(test_money_format_then_parse_round_trips),
        cmocka_unit_test(test_money_add_exact_and_overflow_fails),
    };

    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
