/*
 * test_validate: the header rules and the field rules of the README's Input section on
 * the named files of tests/data/, and the date and year parsers.  Which
 * records are rejected, on what line and column, is checked through
 * rejected.csv in test_rejects.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/csv_in.h"
#include "iom/msg.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/text.h"
#include "iom/validate.h"

#include "fixture.h"

static void
load_text(const char *text, struct fixture_input *in)
{
    FILE *f = fixture_tmpfile(text, strlen(text));

    fixture_input_read(in, f, "text.csv");
    fclose(f);
}

static int64_t
total_cents(const struct fixture_input *in)
{
    int64_t total = 0;
    size_t i;

    for (i = 0; i < in->rs.n; i++)
        total += in->rs.recs[i].budget_cents;
    return total;
}

static const struct iom_record *
find(const struct fixture_input *l, const char *id)
{
    size_t i;

    for (i = 0; i < l->rs.n; i++)
        if (strcmp(l->rs.recs[i].id, id) == 0)
            return &l->rs.recs[i];
    fail_msg("no record '%s'", id);
    return NULL;
}

/* A named file of tests/data/ and what reading it gives. */
struct named {
    const char *path;
    enum iom_status st;
    size_t accepted, rejected;
    int64_t total;
};

/* Read 'c' with fields separated by 'delim' and budgets in 'form'. */
static void
assert_named(const struct named *c, char delim, enum iom_money_form form)
{
    struct fixture_input l;
    int64_t total;

    fixture_input_load_as(&l, c->path, delim, form);
    total = total_cents(&l);
    if (l.st != c->st || l.rs.n != c->accepted ||
        l.rej.count != c->rejected || total != c->total)
        print_message("%s: status %d, %zu accepted, %zu rejected, "
                      "total %lld\n", c->path, l.st, l.rs.n, l.rej.count,
                      (long long)total);
    assert_int_equal(l.st, c->st);
    assert_int_equal(l.rs.n, c->accepted);
    assert_int_equal(l.rej.count, c->rejected);
    assert_int_equal(total, c->total);
    if (c->st == IOM_OK)
        assert_int_equal(l.records, c->accepted + c->rejected);
    fixture_input_release(&l);
}

/* The summary line of each named file, as in tests/data/README.md. */
static void
test_validate_named_files_give_counts_and_totals(void **state)
{
    static const struct named cases[] = {
        { "tests/data/good_minimal.csv",   IOM_OK, 3, 0, 9707550 },
        { "tests/data/good_bom_crlf.csv",  IOM_OK, 3, 0, 19650025 },
        { "tests/data/quoting_edge.csv",   IOM_OK, 5, 0, 1525000 },
        { "tests/data/bad_records.csv",    IOM_OK, 6, 14, 900050 },
        { "tests/data/header_only.csv",    IOM_OK, 0, 0, 0 },
        { "tests/data/unknown_column.csv", IOM_OK, 3, 0, 6000000 },
        { "tests/data/stray_quote.csv",    IOM_OK, 3, 1, 800000 },
        { "tests/data/latin1.csv",         IOM_OK, 2, 1, 400000 },
        { "tests/data/pipe_states.csv",    IOM_OK, 3, 0, 600000 },
        { "tests/data/money_edge.csv",     IOM_OK, 9, 0,
          INT64_C(100000123160050) },
        { "tests/data/dates_edge.csv",     IOM_OK, 7, 0, 700000 },
        { "tests/data/date_forms.csv",     IOM_OK, 10, 0, 5500000 },
        { "tests/data/multi_fault.csv",    IOM_OK, 2, 5, 300000 },
        { "tests/data/duplicate_states.csv", IOM_OK, 4, 0, 1000000 },
        { "tests/data/year_start_mismatch.csv", IOM_OK, 5, 0, 1500000 },
        { "tests/data/hostile_ids.csv",    IOM_OK, 6, 0, 600000 },
        { "tests/data/empty.csv",          IOM_OK, 0, 0, 0 },
        { "tests/data/bad_header_missing_budget.csv", IOM_ECSV, 0, 0, 0 },
        { "tests/data/bad_unterminated_quote.csv",    IOM_OK, 2, 2,
          300000 },
        { "tests/data/unbalanced_quote.csv", IOM_OK, 1, 101, 100000 },
        { "tests/data/broken_quote_span.csv", IOM_OK, 2, 3, 40000 },
        { "tests/data/empty_rows.csv",     IOM_OK, 2, 0, 300000 },
        { "tests/data/decimal_comma.csv",  IOM_OK, 1, 3, 9500000 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_named(&cases[i], ',', IOM_MONEY_POINT);
}

/* Budgets of a ';'-separated file, or of any file under --decimal-comma,
 * have a decimal comma. */
static void
test_validate_decimal_comma_read_where_in_force(void **state)
{
    static const struct {
        struct named file;
        char delim;
        enum iom_money_form form;
    } cases[] = {
        { { "tests/data/semicolon_decimal_comma.csv", IOM_OK, 7, 3,
            46452600 }, ';', IOM_MONEY_COMMA_FILE },
        { { "tests/data/semicolon_excel.csv", IOM_OK, 10, 0, 89847550 },
          ';', IOM_MONEY_COMMA_FILE },
        { { "tests/data/decimal_comma.csv", IOM_OK, 4, 0, 30437550 }, ',',
          IOM_MONEY_COMMA_OPTION },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_named(&cases[i].file, cases[i].delim, cases[i].form);
}

static void
test_validate_header_odd_case_spaces_and_order_match(void **state)
{
    struct fixture_input l;
    const struct iom_record *r;

    (void)state;
    fixture_input_load(&l, "tests/data/good_minimal.csv");
    assert_int_equal(l.st, IOM_OK);
    assert_true(l.has_header);
    assert_int_equal(l.rs.n, 3);
    r = find(&l, "GM-001");
    assert_string_equal(r->title, "Minimal Project One");
    assert_int_equal(r->budget_cents, 3745000);
    assert_int_equal(r->year, 2001);
    assert_int_equal(r->line, 2);
    /* Columns the file lacks are empty, the groups Unspecified. */
    assert_string_equal(r->status, "");
    assert_string_equal(r->description, "");
    assert_string_equal(r->prima_id, "");
    assert_string_equal(r->region, "Unspecified");
    assert_string_equal(r->type, "Unspecified");
    assert_int_equal(r->n_states, 0);
    assert_int_equal(r->start.prec, IOM_DATE_NONE);
    assert_int_equal(find(&l, "GM-002")->budget_cents, 5962500);
    assert_int_equal(find(&l, "GM-003")->budget_cents, 50);
    fixture_input_release(&l);
}

static void
test_validate_unknown_column_warned_once(void **state)
{
    unsigned long before = iom_msg_warning_count();
    struct fixture_input l;

    (void)state;
    fixture_input_load(&l, "tests/data/unknown_column.csv");
    assert_int_equal(l.st, IOM_OK);
    assert_int_equal(iom_msg_warning_count() - before, 1);
    assert_int_equal(l.rs.n, 3);
    assert_string_equal(find(&l, "UC-002")->region, "Europe");
    assert_int_equal(find(&l, "UC-002")->budget_cents, 2000000);
    fixture_input_release(&l);
}

static void
test_validate_header_table_fails_or_passes(void **state)
{
    static const struct {
        const char *text;
        enum iom_status exp;
    } cases[] = {
        /* duplicate column, also in another case and with spaces */
        { "Projects ID,Title,Budget Amount (USD),Year,title\n", IOM_ECSV },
        { "Projects ID,Title,Budget Amount (USD),Year, YEAR \n", IOM_ECSV },
        /* each required column missing */
        { "Title,Budget Amount (USD),Year\n", IOM_ECSV },
        { "Projects ID,Budget Amount (USD),Year\n", IOM_ECSV },
        { "Projects ID,Title,Year\n", IOM_ECSV },
        { "Projects ID,Title,Budget Amount (USD)\n", IOM_ECSV },
        /* a near-miss name is unknown, not the column */
        { "Projects ID,Title,Budget Amount,Year\n", IOM_ECSV },
        { "Project ID,Title,Budget Amount (USD),Year\n", IOM_ECSV },
        /* header bytes that are not UTF-8 */
        { "Projects ID,T\xEDtle,Budget Amount (USD),Year\n", IOM_ECSV },
        /* a broken header record */
        { "Projects ID,Ti\"tle,Budget Amount (USD),Year\n", IOM_ECSV },
        /* Start Date stands in for Year */
        { "Projects ID,Title,Budget Amount (USD),Start Date\n", IOM_OK },
        { "\t Projects id\t,TITLE,budget amount (usd),yEaR\n", IOM_OK },
        { "Year,Budget Amount (USD),Title,Projects ID,Notes,Extra\n",
          IOM_OK },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixture_input l;

        load_text(cases[i].text, &l);
        if (l.st != cases[i].exp)
            print_message("header case %zu\n", i);
        assert_int_equal(l.st, cases[i].exp);
        assert_int_equal(l.has_header, cases[i].exp == IOM_OK);
        fixture_input_release(&l);
    }
}

/* A file that ends, or stops, before its first record. */
static void
assert_no_records(const char *path, enum iom_status st, bool has_header)
{
    struct fixture_input l;

    fixture_input_load(&l, path);
    assert_int_equal(l.st, st);
    assert_int_equal(l.has_header, has_header);
    assert_int_equal(l.records, 0);
    assert_int_equal(l.rs.n, 0);
    assert_int_equal(l.rej.count, 0);
    fixture_input_release(&l);
}

static void
test_validate_empty_file_has_no_header(void **state)
{
    (void)state;
    assert_no_records("tests/data/empty.csv", IOM_OK, false);
}

static void
test_validate_header_only_has_no_records(void **state)
{
    (void)state;
    assert_no_records("tests/data/header_only.csv", IOM_OK, true);
}

static void
test_validate_missing_column_stops_before_records(void **state)
{
    (void)state;
    assert_no_records("tests/data/bad_header_missing_budget.csv", IOM_ECSV,
                      false);
}

static void
test_validate_quoting_edge_gives_trimmed_values(void **state)
{
    struct fixture_input l;
    const struct iom_record *r;

    (void)state;
    fixture_input_load(&l, "tests/data/quoting_edge.csv");
    assert_int_equal(l.st, IOM_OK);
    assert_int_equal(l.rs.n, 5);
    r = find(&l, "QE-001");
    assert_string_equal(r->title, "Migration, Development and Return");
    assert_int_equal(r->budget_cents, 125000);
    assert_string_equal(r->description, "He said \"yes\", then left.");
    assert_int_equal(r->line, 3);
    r = find(&l, "QE-002");
    assert_string_equal(r->title, "The \"Safe Return\" Initiative");
    assert_string_equal(r->status, "");         /* " " trimmed */
    assert_string_equal(r->coverage, "");       /* "" */
    assert_string_equal(r->description, "Line one of the description.\n"
                        "Line two, with a comma.\n\n"
                        "Line four after a blank line.");
    assert_int_equal(r->line, 6);
    r = find(&l, "QE-003");
    assert_string_equal(r->title, "Title With Surrounding Spaces");
    assert_string_equal(r->status, "Active");
    assert_string_equal(r->coverage, "National");
    assert_string_equal(r->description, "Unquoted description");
    assert_int_equal(r->budget_cents, 300000);
    assert_int_equal(r->year, 2003);
    assert_int_equal(r->line, 10);
    r = find(&l, "QE-004");
    assert_int_equal(r->year, 2004);
    assert_string_equal(r->description, "");
    assert_int_equal(r->line, 11);
    r = find(&l, "QE-005");
    assert_string_equal(r->description, "Last record");
    assert_int_equal(r->line, 13);
    fixture_input_release(&l);
}

static void
test_validate_bom_crlf_normalises_description(void **state)
{
    struct fixture_input l;
    const struct iom_record *r;
    char date[11];

    (void)state;
    fixture_input_load(&l, "tests/data/good_bom_crlf.csv");
    assert_int_equal(l.st, IOM_OK);
    r = find(&l, "BC-001");
    assert_string_equal(r->title, "Return Assistance in C\xC3\xB4te d'Ivoire");
    assert_string_equal(r->description,
                        "First paragraph of the description.\n"
                        "Second paragraph \xE2\x80\x93 with an en dash.\n"
                        "1. first item\n2. second item");
    assert_int_equal(r->budget_cents, 4500000);
    assert_string_equal(iom_date_format(&r->start, date), "2003-02");
    assert_string_equal(iom_date_format(&r->end, date), "2003-12");
    assert_string_equal(r->region, "Africa");
    assert_int_equal(find(&l, "BC-002")->line, 6);
    r = find(&l, "BC-003");
    assert_int_equal(r->line, 7);
    assert_string_equal(r->type, "Unspecified");
    assert_string_equal(r->region, "Unspecified");
    assert_string_equal(r->prima_id, "BW10P0099");
    assert_string_equal(r->status, "Active");
    assert_int_equal(r->n_states, 2);
    assert_string_equal(r->states[0], "T\xC3\xBCrkiye");
    assert_string_equal(r->states[1], "Cura\xC3\xA7" "ao");
    assert_int_equal(r->end.prec, IOM_DATE_NONE);
    fixture_input_release(&l);
}

static void
test_validate_pipe_and_semicolon_states_split(void **state)
{
    struct fixture_input l;
    const struct iom_record *r;

    (void)state;
    fixture_input_load(&l, "tests/data/pipe_states.csv");
    assert_int_equal(l.st, IOM_OK);
    r = find(&l, "PS-001");
    assert_int_equal(r->n_states, 2);
    assert_string_equal(r->states[0], "Belize");
    assert_string_equal(r->states[1], "Haiti");
    r = find(&l, "PS-002");
    assert_int_equal(r->n_states, 2);
    assert_string_equal(r->states[0], "Jamaica");
    assert_string_equal(r->states[1], "Barbados");
    r = find(&l, "PS-003");
    assert_int_equal(r->n_states, 3);
    assert_string_equal(r->states[0], "C\xC3\xB4te d'Ivoire");
    assert_string_equal(r->states[1], "Ghana");
    assert_string_equal(r->states[2], "T\xC3\xBCrkiye");
    fixture_input_release(&l);
}

static void
test_validate_dates_edge_accepts_coarser_comparisons(void **state)
{
    struct fixture_input l;
    const struct iom_record *r;

    (void)state;
    fixture_input_load(&l, "tests/data/dates_edge.csv");
    assert_int_equal(l.st, IOM_OK);
    assert_int_equal(l.rs.n, 7);
    r = find(&l, "DE-003");
    assert_int_equal(r->year, 2004);
    assert_int_equal(r->start.prec, IOM_DATE_MONTH);
    r = find(&l, "DE-006");
    assert_int_equal(r->start.prec, IOM_DATE_NONE);
    assert_int_equal(r->end.prec, IOM_DATE_DAY);
    assert_int_equal(r->end.day, 30);
    r = find(&l, "DE-005");
    assert_int_equal(r->start.month, 2);
    assert_int_equal(r->start.day, 29);
    fixture_input_release(&l);
}

static void
test_validate_money_edge_sums_exactly(void **state)
{
    static const struct { const char *id; int64_t cents; } exp[] = {
        { "ME-001", 0 }, { "ME-002", 1 }, { "ME-003", 100000000 },
        { "ME-004", INT64_C(99999999999999) }, { "ME-005", 5962500 },
        { "ME-006", 3745050 }, { "ME-007", 3745000 }, { "ME-008", 3745000 },
        { "ME-009", 5962500 },
    };
    struct fixture_input l;
    size_t i;

    (void)state;
    fixture_input_load(&l, "tests/data/money_edge.csv");
    assert_int_equal(l.st, IOM_OK);
    assert_int_equal(l.rs.n, 9);
    for (i = 0; i < 9; i++) {
        assert_string_equal(l.rs.recs[i].id, exp[i].id);
        assert_int_equal(l.rs.recs[i].budget_cents, exp[i].cents);
    }
    fixture_input_release(&l);
}

/* One record after a fixed header; the column and reason are in
 * rejected.csv, so here: accepted or not, and the warnings it gets. */
static void
test_validate_record_table_accepts_or_rejects(void **state)
{
    static const struct {
        const char *rec;
        bool ok;
        unsigned long warnings;
    } cases[] = {
        { "R1,T,2001,2001,1000,2001,Africa,x\n",          true, 0 },
        { " R1 , T ,2001,2001, 1000 , 2001 ,Africa,x\n",  true, 0 },
        { "R1,T,2001,2001,1000,,Africa,x\n",               true, 0 },
        { "R1,T,,,1000,,Africa,x\n",                       false, 0 },
        { "R1,T,2001,2001,\"1,000.00\",2001,,x\n",         true, 0 },
        { "R1,T,2001,2001,1000,2101,Africa,x\n",           false, 0 },
        { "R1,T,2001,2001,1000,1951,Africa,x\n",           true, 1 },
        { "R1,T,2001,2001,1000,2100,Africa,x\n",           true, 1 },
        { "R1,T,2001,2001,1000,02001,Africa,x\n",          false, 0 },
        { "R1,T,2001,2001,1000,2001.0,Africa,x\n",         false, 0 },
        /* dates describe: one that cannot be read is kept as given */
        { "R1,T,2001-02-29,,1000,2001,Africa,x\n",         true, 1 },
        { "R1,T,2004-02-29,,1000,2004,Africa,x\n",         true, 0 },
        { "R1,T,2001-05-28,2001-05-27,1000,2001,,x\n",     true, 1 },
        { "R1,T,2002-01-15,2002,1000,2002,,x\n",           true, 0 },
        { "R1,T,2002,2001-12-31,1000,2002,,x\n",           true, 1 },
        { "R1,T,2001-5-1,,1000,2001,,x\n",                 true, 1 },
        { "R1,T,2001-05-01-extra,,1000,2001,,x\n",         true, 1 },
        { "R1,T,4/1/2001,1/4/2001,1000,2001,,x\n",         true, 2 },
        { "R1,T,2001-04-01 00:00:00,,1000,,,x\n",          true, 0 },
        { "R1,T,2001-04-01T00:00,,1000,,,x\n",             true, 0 },
        { "R1,T,2001-04-01 09:00,,1000,2001,,x\n",         true, 1 },
        /* ...but not when the Year is taken from it */
        { "R1,T,4/1/2001,,1000,,,x\n",                     false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa,x\xC0\x80\n",   false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa,\xED\xA0\x80\n", false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa,\xE2\x82\n",    false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa,\x80\n",        false, 0 },
        { "R1,,2001,2001,1000,2001,Africa,x\n",            false, 0 },
        { "R1,\" \",2001,2001,1000,2001,Africa,x\n",       false, 0 },
        { "\" \",T,2001,2001,1000,2001,Africa,x\n",        false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa\n",             false, 0 },
        { "R1,T,2001,2001,1000,2001,Africa,x,\n",          false, 0 },
        /* a rejected record is not warned about as well */
        { "R1,T,4/1/2001,,abc,2001,Africa,x\n",            false, 0 },
    };
    static const char header[] = "Projects ID,Title,Start Date,End Date,"
        "Budget Amount (USD),Year,IDF Region,Description\n";
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned long before = iom_msg_warning_count();
        struct fixture_input l;
        char text[256];

        snprintf(text, sizeof text, "%s%s", header, cases[i].rec);
        load_text(text, &l);
        if (l.rs.n != (cases[i].ok ? 1u : 0u) ||
            iom_msg_warning_count() - before != cases[i].warnings)
            print_message("record case %zu\n", i);
        assert_int_equal(l.st, IOM_OK);
        assert_int_equal(l.rs.n, cases[i].ok ? 1 : 0);
        assert_int_equal(l.rej.count, cases[i].ok ? 0 : 1);
        assert_int_equal(iom_msg_warning_count() - before,
                         cases[i].warnings);
        fixture_input_release(&l);
    }
}

/* Dates as exports write them: midnight times read, other forms kept as
 * given and warned once each; the record, its budget and its Year stay. */
static void
test_validate_date_forms_read_or_kept_as_given(void **state)
{
    static const struct {
        const char *id;
        enum iom_date_prec start, end;
        const char *start_given, *end_given;
    } exp[] = {
        { "DF-001", IOM_DATE_DAY, IOM_DATE_DAY, NULL, NULL },
        { "DF-002", IOM_DATE_DAY, IOM_DATE_DAY, NULL, NULL },
        { "DF-003", IOM_DATE_DAY, IOM_DATE_MONTH, NULL, NULL },
        { "DF-004", IOM_DATE_DAY, IOM_DATE_NONE, NULL, NULL },
        { "DF-005", IOM_DATE_GIVEN, IOM_DATE_YEAR, "4/1/2001", NULL },
        { "DF-006", IOM_DATE_GIVEN, IOM_DATE_DAY, "2001-02-30", NULL },
        { "DF-007", IOM_DATE_YEAR, IOM_DATE_MONTH, NULL, NULL },
        { "DF-008", IOM_DATE_GIVEN, IOM_DATE_NONE, "2001-04-01 13:30:00",
          NULL },
        { "DF-009", IOM_DATE_MONTH, IOM_DATE_GIVEN, NULL, "30/06/2002" },
        { "DF-010", IOM_DATE_YEAR, IOM_DATE_MONTH, NULL, NULL },
    };
    unsigned long before = iom_msg_warning_count();
    struct fixture_input l;
    const struct iom_record *r;
    char date[11];
    size_t i;

    (void)state;
    fixture_input_load(&l, "tests/data/date_forms.csv");
    /* 4/1/2001, 2001-02-30, End before Start, 13:30, 30/06/2002 */
    assert_int_equal(iom_msg_warning_count() - before, 5);
    assert_int_equal(l.rs.n, 10);
    for (i = 0; i < sizeof exp / sizeof exp[0]; i++) {
        const char *sg, *eg;

        r = &l.rs.recs[i];
        assert_string_equal(r->id, exp[i].id);
        assert_int_equal(r->start.prec, exp[i].start);
        assert_int_equal(r->end.prec, exp[i].end);
        sg = iom_record_date_given(r, &r->start);
        eg = iom_record_date_given(r, &r->end);
        if (exp[i].start_given)
            assert_string_equal(sg, exp[i].start_given);
        else
            assert_null(sg);
        if (exp[i].end_given)
            assert_string_equal(eg, exp[i].end_given);
        else
            assert_null(eg);
        assert_true((r->dates_given != NULL) ==
                    (exp[i].start_given || exp[i].end_given));
    }
    r = find(&l, "DF-001");
    assert_string_equal(iom_date_format(&r->start, date), "2001-04-01");
    assert_string_equal(iom_date_format(&r->end, date), "2002-03-31");
    assert_int_equal(find(&l, "DF-004")->year, 2003);
    r = find(&l, "DF-007");
    assert_string_equal(iom_date_format(&r->end, date), "2002-12");
    assert_int_equal(r->budget_cents, 700000);
    fixture_input_release(&l);
}

struct reloaded {
    struct iom_validator *v;
    struct iom_recset *rs;
    struct iom_record rec;
    enum iom_status st;
};

static enum iom_status
reload_row(void *ctx, const struct iom_csv_row *row)
{
    struct reloaded *r = ctx;

    r->st = iom_validator_reload(r->v, row, r->rs, &r->rec);
    return IOM_OK;
}

/* A record read again to be rendered carries its dates as given, and its
 * warnings are not said a second time. */
static void
test_validate_reload_keeps_given_dates_and_says_nothing(void **state)
{
    struct iom_recset rs, scratch;
    struct iom_rejects rej;
    struct reloaded r;
    struct iom_csv_error err;
    unsigned long before;
    char *text;
    size_t i;
    FILE *f;

    (void)state;
    iom_recset_init(&rs);
    iom_recset_init(&scratch);
    assert_int_equal(iom_rejects_init(&rej), IOM_OK);
    memset(&r, 0, sizeof r);
    assert_int_equal(iom_validator_new("d.csv", &rs, &rej, &r.v), IOM_OK);
    f = fopen("tests/data/date_forms.csv", "rb");
    assert_non_null(f);
    text = fixture_read_stream(f, NULL);
    rewind(f);
    assert_int_equal(iom_csv_read(f, iom_validate_row, r.v, &err), IOM_OK);
    fclose(f);
    r.rs = &scratch;
    before = iom_msg_warning_count();
    for (i = 0; i < rs.n; i++) {
        const struct iom_record *first = &rs.recs[i];

        r.st = IOM_EINVALID;
        assert_int_equal(iom_csv_read_buffer(text + first->offset,
                                             first->length, reload_row, &r,
                                             &err), IOM_OK);
        assert_int_equal(r.st, IOM_OK);
        assert_string_equal(r.rec.id, first->id);
        assert_int_equal(r.rec.start.prec, first->start.prec);
        if (first->start.prec == IOM_DATE_GIVEN)
            assert_string_equal(iom_record_date_given(&r.rec, &r.rec.start),
                                iom_record_date_given(first, &first->start));
    }
    assert_int_equal(iom_msg_warning_count(), before);
    free(text);
    iom_validator_free(r.v);
    iom_rejects_release(&rej);
    iom_recset_release(&scratch);
    iom_recset_release(&rs);
}

/* Each rejected record's faults, all of them, in its one row. */
static void
test_validate_every_fault_in_one_reason(void **state)
{
    static const char *const exp[] = {
        "3,Projects ID,is empty; Budget Amount (USD): is empty; Year: is "
        "empty and there is no Start Date to take it from,",
        "4,Budget Amount (USD),'12abc' is not a decimal number; Year: "
        "'20x1' is not a whole year,",
        "5,Year,is empty and Start Date '4/1/2001' is not a date to take it "
        "from,",
        "6,Projects ID,\"duplicate 'MF-001' (first on line 2); Budget Amount "
        "(USD): '1,2,3' has a misplaced thousands separator ('.' is the "
        "decimal mark unless the fields are separated by ';' or "
        "--decimal-comma is given)\",",
        "7,Title,is empty; Budget Amount (USD): '-5' is negative; Year: "
        "'1950' is outside 1951-2100,",
    };
    struct fixture_input l;
    char *got;
    FILE *f = tmpfile();
    size_t i;

    (void)state;
    assert_non_null(f);
    fixture_input_load(&l, "tests/data/multi_fault.csv");
    assert_int_equal(l.rej.count, 5);
    assert_int_equal(iom_rejects_copy(&l.rej, f), IOM_OK);
    got = fixture_read_stream(f, NULL);
    fclose(f);
    for (i = 0; i < sizeof exp / sizeof exp[0]; i++) {
        if (!strstr(got, exp[i]))
            fail_msg("no row '%s' in:\n%s", exp[i], got);
    }
    free(got);
    fixture_input_release(&l);
}

/* The longest reason there is (every fault with its value quoted at its
 * longest) is whole, and quoted values end at a character. */
static void
test_validate_longest_reason_whole_and_cut_at_characters(void **state)
{
    struct iom_buf text = IOM_BUF_INIT;
    struct fixture_input l;
    char *got;
    const char *why;
    FILE *f;
    int i;

    (void)state;
    assert_int_equal(iom_buf_adds(&text, "Projects ID,Title,Start Date,"
                                  "Budget Amount (USD),Year,Benefiting "
                                  "Member States\n"), IOM_OK);
    /* the same 201-byte ID twice: 'x' and 100 two-byte characters */
    for (i = 0; i < 2; i++) {
        int k;

        assert_int_equal(iom_buf_addc(&text, 'x'), IOM_OK);
        for (k = 0; k < 100; k++)
            assert_int_equal(iom_buf_adds(&text, "\xC3\xA9"), IOM_OK);
        assert_int_equal(iom_buf_adds(&text, i ? ",," : ",T,2001,1,2001,\n"),
                         IOM_OK);
    }
    for (i = 0; i < 45; i++)
        assert_int_equal(iom_buf_adds(&text, "\xC3\xA9"), IOM_OK);
    assert_int_equal(iom_buf_adds(&text, ",\"1,23456789012345678901234567"
                                  "890123456789012345678901234567890123\",,"),
                     IOM_OK);
    for (i = 0; i <= 4096; i++)
        assert_int_equal(iom_buf_addf(&text, "%sS%d", i ? ";" : "", i),
                         IOM_OK);
    assert_int_equal(iom_buf_addc(&text, '\n'), IOM_OK);
    f = fixture_tmpfile(text.data, text.len);
    iom_buf_release(&text);
    {
        struct iom_validator *v = NULL;
        struct iom_csv_error err;

        memset(&l, 0, sizeof l);
        iom_recset_init(&l.rs);
        assert_int_equal(iom_rejects_init(&l.rej), IOM_OK);
        assert_int_equal(iom_validator_new("long.csv", &l.rs, &l.rej, &v),
                         IOM_OK);
        iom_validator_money_form(v, IOM_MONEY_COMMA_OPTION);
        assert_int_equal(iom_csv_read(f, iom_validate_row, v, &err), IOM_OK);
        iom_validator_free(v);
    }
    fclose(f);
    assert_int_equal(l.rs.n, 1);
    assert_int_equal(l.rej.count, 1);
    f = tmpfile();
    assert_non_null(f);
    assert_int_equal(iom_rejects_copy(&l.rej, f), IOM_OK);
    got = fixture_read_stream(f, NULL);
    fclose(f);
    assert_true(iom_utf8_valid(got, strlen(got), NULL));
    why = strstr(got, "\r\n3,Projects ID,\"duplicate 'x");
    assert_non_null(why);
    /* 'x' and 49 characters: the 50th would pass 100 bytes */
    assert_non_null(strstr(why, "\xC3\xA9' (first on line 2); Title: is "
                           "empty; Budget Amount (USD): '1,234567890123456789"
                           "0123456789012345678901234567890123456789' "
                           "has more than 2 decimals after the decimal comma "
                           "(--decimal-comma reads ',' as the decimal mark "
                           "and '.' as the thousands separator); Year: is "
                           "empty and Start Date '"));
    assert_non_null(strstr(why, "' is not a date to take it from; "
                           "Benefiting Member States: lists more than 4096 "
                           "member states\","));
    free(got);
    fixture_input_release(&l);
}

/* A member state listed twice (by case or spacing too) is shown and
 * counted once, under its first spelling, with one warning a record. */
static void
test_validate_repeated_states_kept_once(void **state)
{
    unsigned long before = iom_msg_warning_count();
    struct iom_selection sel;
    struct iom_agg *agg = NULL;
    struct fixture_input l;
    const struct iom_record *r;

    (void)state;
    fixture_input_load(&l, "tests/data/duplicate_states.csv");
    assert_int_equal(iom_msg_warning_count() - before, 3);
    r = find(&l, "DS-001");
    assert_int_equal(r->n_states, 2);
    assert_string_equal(r->states[0], "Ghana");
    assert_string_equal(r->states[1], "Mali");
    r = find(&l, "DS-002");
    assert_int_equal(r->n_states, 2);
    assert_string_equal(r->states[0], "C\xC3\xB4te d'Ivoire");
    assert_string_equal(r->states[1], "Ghana");
    r = find(&l, "DS-003");
    assert_int_equal(r->n_states, 1);
    assert_string_equal(r->states[0], "Senegal");
    assert_int_equal(find(&l, "DS-004")->n_states, 2);
    iom_selection_init(&sel);
    assert_int_equal(iom_agg_build(&l.rs, &sel, &agg), IOM_OK);
    /* Ghana, Mali, Côte d'Ivoire, Senegal, Niger */
    assert_int_equal(iom_agg_member_states(agg), 5);
    iom_agg_free(agg);
    iom_selection_release(&sel);
    fixture_input_release(&l);
}

/* A Year more than one year from its Start Date's is kept and warned;
 * one year apart, or a Start Date that cannot be read, says nothing. */
static void
test_validate_year_far_from_start_warned(void **state)
{
    unsigned long before = iom_msg_warning_count();
    struct fixture_input l;

    (void)state;
    fixture_input_load(&l, "tests/data/year_start_mismatch.csv");
    assert_int_equal(l.rs.n, 5);
    assert_int_equal(l.rej.count, 0);
    /* YS-001 and YS-003, and YS-005's date that cannot be read */
    assert_int_equal(iom_msg_warning_count() - before, 3);
    assert_int_equal(find(&l, "YS-001")->year, 2005);
    assert_int_equal(find(&l, "YS-003")->year, 1999);
    fixture_input_release(&l);
}

/* Read 'path' with its warnings listed in 'warned' (known ones loaded
 * from 'known', when given); the warning lines it said. */
static unsigned long
read_listing_warnings(const char *path, struct iom_rejects *warned,
                      const char *known)
{
    unsigned long before = iom_msg_warning_count();
    struct iom_csv_error err = { 0, "" };
    struct iom_validator *v;
    struct iom_recset rs;
    struct iom_rejects rej;
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    iom_recset_init(&rs);
    assert_int_equal(iom_rejects_init(&rej), IOM_OK);
    assert_int_equal(iom_rejects_init(warned), IOM_OK);
    if (known)
        assert_int_equal(iom_rejects_load_known(warned, known), IOM_OK);
    assert_int_equal(iom_validator_new(path, &rs, &rej, &v), IOM_OK);
    iom_validator_list_warnings(v, warned);
    assert_int_equal(iom_csv_read(f, iom_validate_row, v, &err), IOM_OK);
    assert_int_equal(rs.n, 5);
    iom_validator_free(v);
    iom_rejects_release(&rej);
    iom_recset_release(&rs);
    fclose(f);
    return iom_msg_warning_count() - before;
}

/* The warnings of the previous run are listed again, not said again: a
 * nightly export that holds the same odd dates every night is silent. */
static void
test_validate_known_warnings_listed_not_said(void **state)
{
    static const char *path = "tests/data/year_start_mismatch.csv";
    struct iom_rejects warned;
    char dir[] = "/tmp/test_validate.XXXXXX", *list;
    FILE *out;

    (void)state;
    assert_non_null(mkdtemp(dir));
    list = iom_strf("%s/warnings.csv", dir);
    assert_non_null(list);
    assert_int_equal(read_listing_warnings(path, &warned, NULL), 3);
    assert_int_equal(warned.count, 3);
    out = fopen(list, "wb");
    assert_non_null(out);
    assert_int_equal(iom_rejects_copy(&warned, out), IOM_OK);
    assert_int_equal(fclose(out), 0);
    iom_rejects_release(&warned);
    assert_int_equal(read_listing_warnings(path, &warned, list), 0);
    assert_int_equal(warned.count, 3);
    assert_int_equal(warned.known, 3);
    iom_rejects_release(&warned);
    unlink(list);
    rmdir(dir);
    free(list);
}

static void
test_validate_nul_byte_rejected(void **state)
{
    static const char text[] = "Projects ID,Title,Budget Amount (USD),Year\n"
                               "N1,Ti\0tle,1000,2001\nN2,Fine,1000,2001\n";
    struct fixture_input l;
    FILE *f = fixture_tmpfile(text, sizeof text - 1);

    (void)state;
    fixture_input_read(&l, f, "nul.csv");
    fclose(f);
    assert_int_equal(l.st, IOM_OK);
    assert_int_equal(l.rs.n, 1);
    assert_int_equal(l.rej.count, 1);
    assert_string_equal(l.rs.recs[0].id, "N2");
    fixture_input_release(&l);
}

static void
test_validate_duplicate_id_keeps_first(void **state)
{
    struct fixture_input l;

    (void)state;
    load_text("Projects ID,Title,Budget Amount (USD),Year\n"
              "D1,First,1,2001\nD1,Second,2,2001\n D1 ,Third,3,2001\n"
              "d1,Other Case,4,2001\n", &l);
    assert_int_equal(l.rs.n, 2);
    assert_int_equal(l.rej.count, 2);
    assert_string_equal(l.rs.recs[0].title, "First");
    assert_string_equal(l.rs.recs[1].id, "d1");
    fixture_input_release(&l);
}

/* Enough IDs to make the ID set grow several times. */
static void
test_validate_many_unique_ids_all_accepted(void **state)
{
    FILE *f = tmpfile();
    struct fixture_input l;
    int i;

    (void)state;
    assert_non_null(f);
    fputs("Projects ID,Title,Budget Amount (USD),Year\n", f);
    for (i = 0; i < 5000; i++)
        fprintf(f, "ID-%d,T,0.01,2001\n", i);
    fputs("ID-4999,Dup,1,2001\n", f);
    rewind(f);
    fixture_input_read(&l, f, "many.csv");
    fclose(f);
    assert_int_equal(l.rs.n, 5000);
    assert_int_equal(l.rej.count, 1);
    assert_int_equal(total_cents(&l), 5000);
    fixture_input_release(&l);
}

static enum iom_status
to_agg(void *agg, const struct iom_record *rec)
{
    return iom_agg_add(agg, rec);
}

/*
 * Streamed into an aggregate, records leave nothing in the set but their
 * IDs, duplicates are still caught (with the first line), and the totals,
 * median and member states are those of the aggregate built from the set.
 */
static void
test_validate_streamed_records_total_as_kept_ones(void **state)
{
    static const char text[] =
        "Projects ID,Title,Budget Amount (USD),Year,IDF Region,"
        "Benefiting Member States\n"
        "S1,A,10,2001,Africa,Ghana;Kenya\nS2,B,30,2002,Europe,Kenya\n"
        "S1,Dup,5,2001,Africa,\nS3,C,\"1,000.05\",2001,,Mali|Ghana\n"
        "S4,D,20,2003,Africa,\n";
    struct iom_selection sel;
    struct iom_agg *streamed = NULL, *built = NULL;
    struct iom_validator *v = NULL;
    struct iom_csv_error err;
    struct fixture_input kept;
    struct iom_recset rs;
    struct iom_rejects rej;
    char *rejected;
    FILE *f;
    size_t i, na, nb;
    int d;

    (void)state;
    iom_selection_init(&sel);
    iom_recset_init(&rs);
    assert_int_equal(iom_rejects_init(&rej), IOM_OK);
    assert_int_equal(iom_validator_new("s.csv", &rs, &rej, &v), IOM_OK);
    assert_int_equal(iom_agg_start(&sel, &streamed), IOM_OK);
    iom_validator_keep(v, 0);
    iom_validator_stream(v, to_agg, streamed);
    f = fixture_tmpfile(text, strlen(text));
    assert_int_equal(iom_csv_read(f, iom_validate_row, v, &err), IOM_OK);
    fclose(f);
    assert_int_equal(iom_agg_finish(streamed), IOM_OK);
    assert_int_equal(rs.n, 0);
    assert_int_equal(iom_validator_records(v), 5);
    assert_int_equal(iom_validator_accepted(v), 4);
    assert_int_equal(rej.count, 1);
    f = tmpfile();
    assert_non_null(f);
    assert_int_equal(iom_rejects_copy(&rej, f), IOM_OK);
    rejected = fixture_read_stream(f, NULL);
    fclose(f);
    assert_non_null(strstr(rejected, "duplicate 'S1' (first on line 2)"));
    free(rejected);

    f = fixture_tmpfile(text, strlen(text));
    fixture_input_read(&kept, f, "s.csv");
    fclose(f);
    assert_int_equal(iom_agg_build(&kept.rs, &sel, &built), IOM_OK);
    assert_int_equal(iom_agg_count(streamed), iom_agg_count(built));
    assert_int_equal(iom_agg_total(streamed), 6000 + 100005);
    assert_int_equal(iom_agg_total(streamed), iom_agg_total(built));
    assert_int_equal(iom_agg_median(streamed), iom_agg_median(built));
    assert_int_equal(iom_agg_median(streamed), 2500);
    assert_int_equal(iom_agg_member_states(streamed), 3);
    assert_int_equal(iom_agg_member_states(built), 3);
    for (d = 0; d < IOM_DIM_COUNT; d++) {
        const struct iom_group *a = iom_agg_groups(streamed, d, &na);
        const struct iom_group *b = iom_agg_groups(built, d, &nb);

        assert_int_equal(na, nb);
        for (i = 0; i < na; i++) {
            assert_string_equal(a[i].name, b[i].name);
            assert_int_equal(a[i].count, b[i].count);
            assert_int_equal(a[i].total_cents, b[i].total_cents);
            assert_int_equal(a[i].share_tenths, b[i].share_tenths);
        }
    }
    iom_agg_groups(streamed, IOM_BY_REGION, &na);
    iom_agg_groups(streamed, IOM_BY_YEAR, &nb);
    for (i = 0; i < na * nb; i++)
        assert_int_equal(iom_agg_cell(streamed, i / nb, i % nb)->total_cents,
                         iom_agg_cell(built, i / nb, i % nb)->total_cents);
    fixture_assert_agg_adds_up(streamed);
    iom_agg_free(built);
    iom_agg_free(streamed);
    fixture_input_release(&kept);
    iom_validator_free(v);
    iom_rejects_release(&rej);
    iom_recset_release(&rs);
    iom_selection_release(&sel);
}

static void
test_validate_parse_date_table(void **state)
{
    static const struct {
        const char *in;
        enum iom_status exp;
        int y, m, d;
        enum iom_date_prec prec;
    } cases[] = {
        { "2001",       IOM_OK, 2001, 0, 0, IOM_DATE_YEAR },
        { "2001-05",    IOM_OK, 2001, 5, 0, IOM_DATE_MONTH },
        { "2001-05-28", IOM_OK, 2001, 5, 28, IOM_DATE_DAY },
        { "2004-02-29", IOM_OK, 2004, 2, 29, IOM_DATE_DAY },
        { "2000-02-29", IOM_OK, 2000, 2, 29, IOM_DATE_DAY },
        { "2001-12-31", IOM_OK, 2001, 12, 31, IOM_DATE_DAY },
        { "1951-01-01", IOM_OK, 1951, 1, 1, IOM_DATE_DAY },
        { "2100-12",    IOM_OK, 2100, 12, 0, IOM_DATE_MONTH },
        { "2001-02-29", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2100-02-29", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-02-30", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-04-31", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-13-01", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-13",    IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-00",    IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-01-00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-01-32", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "1950",       IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2101-01-01", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-1-1",   IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001/05/28", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "28-05-2001", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "20010528",   IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28T00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28 00:00:00", IOM_OK, 2001, 5, 28, IOM_DATE_DAY },
        { "2001-05-28T00:00:00", IOM_OK, 2001, 5, 28, IOM_DATE_DAY },
        { "2001-05-28 00:00", IOM_OK, 2001, 5, 28, IOM_DATE_DAY },
        { "2001-05-28T00:00:00.000", IOM_OK, 2001, 5, 28, IOM_DATE_DAY },
        { "2001-05-28 13:30:00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28 00:00:01", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28T00:00:00.001", IOM_EINVALID, 0, 0, 0,
          IOM_DATE_NONE },
        { "2001-05-28 00:00:00Z", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28 00:00:00.", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05-28  00:00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-05 00:00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-02-30 00:00", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "4/1/2001",   IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "200",        IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "abcd",       IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "",           IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "2001-0a",    IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
        { "-001-01-01", IOM_EINVALID, 0, 0, 0, IOM_DATE_NONE },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_date got = { -1, -1, -1, IOM_DATE_NONE };
        const char *why = NULL;
        enum iom_status st = iom_parse_date(cases[i].in, &got, &why);

        if (st != cases[i].exp)
            print_message("date '%s'\n", cases[i].in);
        assert_int_equal(st, cases[i].exp);
        if (st == IOM_OK) {
            assert_int_equal(got.year, cases[i].y);
            assert_int_equal(got.month, cases[i].m);
            assert_int_equal(got.day, cases[i].d);
            assert_int_equal(got.prec, cases[i].prec);
        } else {
            assert_non_null(why);
            assert_int_equal(got.year, -1);    /* left alone */
        }
    }
}

static void
test_validate_parse_year_table(void **state)
{
    static const struct { const char *in; enum iom_status exp; int y; }
    cases[] = {
        { "2001", IOM_OK, 2001 }, { "1951", IOM_OK, 1951 },
        { "2100", IOM_OK, 2100 }, { "1950", IOM_EINVALID, 0 },
        { "2101", IOM_EINVALID, 0 }, { "20x1", IOM_EINVALID, 0 },
        { "", IOM_EINVALID, 0 }, { "02001", IOM_EINVALID, 0 },
        { "-2001", IOM_EINVALID, 0 }, { " 2001", IOM_EINVALID, 0 },
        { "2001.0", IOM_EINVALID, 0 }, { "1", IOM_EINVALID, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = -1;
        const char *why = NULL;

        assert_int_equal(iom_parse_year(cases[i].in, &got, &why),
                         cases[i].exp);
        if (cases[i].exp == IOM_OK) {
            assert_int_equal(got, cases[i].y);
        } else {
            assert_int_equal(got, -1);
            assert_non_null(why);
        }
    }
}

static void
test_validate_date_before_at_coarser_precision(void **state)
{
    static const struct {
        const char *end, *start;
        bool exp;
    } cases[] = {
        { "2002",       "2002-01-15", false },
        { "2002-01-15", "2002",       false },
        { "2001-05-01", "2001-05",    false },
        { "2005-12",    "2005-12-31", false },
        { "2001",       "2001",       false },
        { "2001-05-28", "2001-05-28", false },
        { "2001-05-29", "2001-05-28", false },
        { "2001",       "2002-01-01", true },
        { "2002-12",    "2003",       true },
        { "2001-05-27", "2001-05-28", true },
        { "2001-04",    "2001-05-28", true },
        { "2001-04-30", "2001-05",    true },
        { "2000-12-31", "2001",       true },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_date end, start;
        const char *why;

        assert_int_equal(iom_parse_date(cases[i].end, &end, &why), IOM_OK);
        assert_int_equal(iom_parse_date(cases[i].start, &start, &why),
                         IOM_OK);
        if (iom_date_before(&end, &start) != cases[i].exp)
            print_message("end %s start %s\n", cases[i].end,
                          cases[i].start);
        assert_int_equal(iom_date_before(&end, &start), cases[i].exp);
    }
}

static void
test_validate_date_before_empty_side_never_before(void **state)
{
    struct iom_date none = { 0, 0, 0, IOM_DATE_NONE };
    struct iom_date given = { 0, 0, 0, IOM_DATE_GIVEN };
    struct iom_date d = { 2001, 5, 28, IOM_DATE_DAY };

    (void)state;
    assert_false(iom_date_before(&none, &d));
    assert_false(iom_date_before(&d, &none));
    assert_false(iom_date_before(&none, &none));
    /* a date kept as given is compared with nothing */
    assert_false(iom_date_before(&given, &d));
    assert_false(iom_date_before(&d, &given));
}

static void
test_validate_list_items_trimmed_and_empty_ones_skipped(void **state)
{
    static const struct {
        const char *in;
        const char *items;   /* the items, each followed by '/' */
    } cases[] = {
        { "",                         "" },
        { " ; |;",                    "" },
        { "Ghana",                    "Ghana/" },
        { " Ghana ;Mali| Niger ",     "Ghana/Mali/Niger/" },
        { ";;C\xC3\xB4te d'Ivoire||", "C\xC3\xB4te d'Ivoire/" },
        { "a,b;c",                    "a,b/c/" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[128] = "";
        size_t at = 0, len;
        const char *item;

        while (iom_list_next(cases[i].in, strlen(cases[i].in), &at, &item,
                             &len)) {
            assert_true(len > 0);
            strncat(got, item, len);
            strcat(got, "/");
        }
        if (strcmp(got, cases[i].items) != 0)
            fail_msg("case %zu '%s': got '%s'", i, cases[i].in, got);
    }
}

static void
test_validate_row_fault_names_record_or_column(void **state)
{
    static const char *const names[] = { "Name", "Email" };
    const size_t col[] = { 1, 0 };
    const char *fields[] = { "a@example.org", "Am\xE9lie" };
    size_t lens[] = { 13, 6 };
    const char nul[] = "x\0y";
    struct iom_csv_row row;
    char reason[128];

    (void)state;
    memset(&row, 0, sizeof row);
    row.fields = fields;
    row.lens = lens;
    row.n = 2;
    /* Field 2 (Name) is Latin-1. */
    assert_string_equal(iom_row_fault(&row, 2, names, col, 2, reason,
                                      sizeof reason), "Name");
    assert_string_equal(reason, "is not valid UTF-8 at byte 3 of field 2");
    fields[1] = "Am\xC3\xA9lie";
    lens[1] = 7;
    assert_null(iom_row_fault(&row, 2, names, col, 2, reason, sizeof reason));
    assert_string_equal(iom_row_fault(&row, 3, names, col, 2, reason,
                                      sizeof reason), "(record)");
    assert_string_equal(reason, "has 2 fields, the header has 3");
    /* A field no column maps is the record's fault. */
    fields[0] = nul;
    lens[0] = 3;
    assert_string_equal(iom_row_fault(&row, 2, names, col, 1, reason,
                                      sizeof reason), "(record)");
    assert_string_equal(reason, "holds a NUL byte at byte 2 of field 1");
    row.problem = "malformed quoting";
    assert_string_equal(iom_row_fault(&row, 2, names, col, 2, reason,
                                      sizeof reason), "(record)");
    assert_string_equal(reason, "malformed quoting");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_named_files_give_counts_and_totals),
        cmocka_unit_test(test_validate_decimal_comma_read_where_in_force),
        cmocka_unit_test(test_validate_header_odd_case_spaces_and_order_match),
        cmocka_unit_test(test_validate_unknown_column_warned_once),
        cmocka_unit_test(test_validate_header_table_fails_or_passes),
        cmocka_unit_test(test_validate_empty_file_has_no_header),
        cmocka_unit_test(test_validate_header_only_has_no_records),
        cmocka_unit_test(test_validate_missing_column_stops_before_records),
        cmocka_unit_test(test_validate_quoting_edge_gives_trimmed_values),
        cmocka_unit_test(test_validate_bom_crlf_normalises_description),
        cmocka_unit_test(test_validate_pipe_and_semicolon_states_split),
        cmocka_unit_test(test_validate_dates_edge_accepts_coarser_comparisons),
        cmocka_unit_test(test_validate_money_edge_sums_exactly),
        cmocka_unit_test(test_validate_record_table_accepts_or_rejects),
        cmocka_unit_test(test_validate_date_forms_read_or_kept_as_given),
        cmocka_unit_test(test_validate_reload_keeps_given_dates_and_says_nothing),
        cmocka_unit_test(test_validate_every_fault_in_one_reason),
        cmocka_unit_test(test_validate_longest_reason_whole_and_cut_at_characters),
        cmocka_unit_test(test_validate_repeated_states_kept_once),
        cmocka_unit_test(test_validate_year_far_from_start_warned),
        cmocka_unit_test(test_validate_known_warnings_listed_not_said),
        cmocka_unit_test(test_validate_nul_byte_rejected),
        cmocka_unit_test(test_validate_duplicate_id_keeps_first),
        cmocka_unit_test(test_validate_many_unique_ids_all_accepted),
        cmocka_unit_test(test_validate_streamed_records_total_as_kept_ones),
        cmocka_unit_test(test_validate_parse_date_table),
        cmocka_unit_test(test_validate_parse_year_table),
        cmocka_unit_test(test_validate_date_before_at_coarser_precision),
        cmocka_unit_test(test_validate_date_before_empty_side_never_before),
        cmocka_unit_test(test_validate_list_items_trimmed_and_empty_ones_skipped),
        cmocka_unit_test(test_validate_row_fault_names_record_or_column),
    };

    return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
