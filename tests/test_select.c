/*
 * test_select: --year/--region/--type parsing and matching, the default
 * label, the description and label validation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "iom/record.h"
#include "iom/select.h"

static void
test_select_add_years_table(void **state)
{
    static const struct {
        const char *in;
        enum iom_status exp;
        int first, last;
    } cases[] = {
        { "2001",           IOM_OK, 2001, 2001 },
        { "2001-2005",      IOM_OK, 2001, 2005 },
        { "2001-2001",      IOM_OK, 2001, 2001 },
        { "1951-2100",      IOM_OK, 1951, 2100 },
        { "2005-2001",      IOM_EUSAGE, 0, 0 },
        { "1950",           IOM_EUSAGE, 0, 0 },
        { "2101",           IOM_EUSAGE, 0, 0 },
        { "1950-2001",      IOM_EUSAGE, 0, 0 },
        { "2001-2101",      IOM_EUSAGE, 0, 0 },
        { "2001-",          IOM_EUSAGE, 0, 0 },
        { "-2001",          IOM_EUSAGE, 0, 0 },
        { "2001-2003-2005", IOM_EUSAGE, 0, 0 },
        { "200",            IOM_EUSAGE, 0, 0 },
        { "20010",          IOM_EUSAGE, 0, 0 },
        { "abcd",           IOM_EUSAGE, 0, 0 },
        { " 2001",          IOM_EUSAGE, 0, 0 },
        { "2001 ",          IOM_EUSAGE, 0, 0 },
        { "",               IOM_EUSAGE, 0, 0 },
        { "2001..2003",     IOM_EUSAGE, 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_selection sel;
        const char *why = NULL;
        enum iom_status got;

        iom_selection_init(&sel);
        got = iom_selection_add_years(&sel, cases[i].in, &why);
        if (got != cases[i].exp)
            print_message("--year '%s'\n", cases[i].in);
        assert_int_equal(got, cases[i].exp);
        if (cases[i].exp == IOM_OK) {
            assert_int_equal(sel.n_years, 1);
            assert_int_equal(sel.years[0].first, cases[i].first);
            assert_int_equal(sel.years[0].last, cases[i].last);
        } else {
            assert_int_equal(sel.n_years, 0);
            assert_non_null(why);
            assert_true(strlen(why) > 0);
        }
        iom_selection_release(&sel);
    }
}

static struct iom_record
rec(int year, const char *region, const char *type)
{
    struct iom_record r;

    memset(&r, 0, sizeof r);
    r.year = year;
    r.region = region;
    r.type = type;
    return r;
}

static void
test_select_year_ranges_and_repeats_match(void **state)
{
    static const struct { int year; bool exp; } cases[] = {
        { 2000, false }, { 2001, true }, { 2002, false }, { 2003, true },
        { 2004, true }, { 2005, false }, { 2010, true },
    };
    struct iom_selection sel;
    const char *why;
    size_t i;

    (void)state;
    iom_selection_init(&sel);
    assert_int_equal(iom_selection_add_years(&sel, "2001", &why), IOM_OK);
    assert_int_equal(iom_selection_add_years(&sel, "2003-2004", &why),
                     IOM_OK);
    assert_int_equal(iom_selection_add_years(&sel, "2010", &why), IOM_OK);
    assert_int_equal(iom_selection_add_years(&sel, "2003", &why), IOM_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_record r = rec(cases[i].year, "Africa", "X");

        assert_int_equal(iom_selection_matches(&sel, &r), cases[i].exp);
    }
    iom_selection_release(&sel);
}

static void
test_select_empty_selection_matches_everything(void **state)
{
    struct iom_selection sel;
    struct iom_record r = rec(1951, IOM_UNSPECIFIED, IOM_UNSPECIFIED);

    (void)state;
    iom_selection_init(&sel);
    assert_true(iom_selection_matches(&sel, &r));
    r = rec(2100, "Global", "TCMMCB");
    assert_true(iom_selection_matches(&sel, &r));
    iom_selection_release(&sel);
}

static void
test_select_region_and_type_case_insensitive_exact(void **state)
{
    static const struct {
        const char *region, *type;
        bool exp;
    } cases[] = {
        { "Africa", "Labour Migration",              true },
        { "AFRICA", "labour migration",              true },
        { "Europe", "Labour Migration",              true },
        { "Asia and Oceania", "Labour Migration",    false },
        { "Afric", "Labour Migration",               false },
        { "Africa ", "Labour Migration",             false },
        { "Africa", "Labour",                        false },
        { "Africa", "Immigration and Borders",       false },
        { "Africa", IOM_UNSPECIFIED,                 true },
        { IOM_UNSPECIFIED, "Labour Migration",       false },
    };
    struct iom_selection sel;
    size_t i;

    (void)state;
    iom_selection_init(&sel);
    assert_int_equal(iom_selection_add_region(&sel, "africa"), IOM_OK);
    assert_int_equal(iom_selection_add_region(&sel, "EUROPE"), IOM_OK);
    assert_int_equal(iom_selection_add_type(&sel, "LABOUR migration"),
                     IOM_OK);
    assert_int_equal(iom_selection_add_type(&sel, "unspecified"), IOM_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_record r = rec(2001, cases[i].region, cases[i].type);

        assert_int_equal(iom_selection_matches(&sel, &r), cases[i].exp);
    }
    iom_selection_release(&sel);
}

/* Build a selection from years, regions and types (NULL-ended lists). */
/* Filters take the data's spelling; one no record has stays as typed. */
static void
test_select_adopt_names_spells_filters_as_the_data(void **state)
{
    static const char *const regions[] = { "Europe", "Africa", "AFRICA" };
    static const char *const types[] = { "Labour Migration", IOM_UNSPECIFIED,
                                         "TCMMCB" };
    struct iom_selection sel;
    char *text = NULL;

    (void)state;
    iom_selection_init(&sel);
    assert_int_equal(iom_selection_add_region(&sel, "africa"), IOM_OK);
    assert_int_equal(iom_selection_add_region(&sel, "Afrika"), IOM_OK);
    assert_int_equal(iom_selection_add_type(&sel, "labour MIGRATION"),
                     IOM_OK);
    assert_int_equal(iom_selection_add_type(&sel, "unspecified"), IOM_OK);
    iom_selection_adopt_names(&sel, regions, 3, types, 3);
    assert_ptr_equal(sel.regions[0], regions[1]);
    assert_string_equal(sel.regions[1], "Afrika");
    assert_ptr_equal(sel.types[0], types[0]);
    assert_string_equal(sel.types[1], IOM_UNSPECIFIED);
    assert_int_equal(iom_selection_describe(&sel, &text), IOM_OK);
    assert_string_equal(text, "All years; IDF Region: Africa, Afrika; "
                        "Project Type: Labour Migration, Unspecified");
    free(text);
    iom_selection_release(&sel);
}

static void
make_sel(struct iom_selection *sel, const char *const *years,
         const char *const *regions, const char *const *types)
{
    const char *why;

    iom_selection_init(sel);
    for (; years && *years; years++)
        assert_int_equal(iom_selection_add_years(sel, *years, &why), IOM_OK);
    for (; regions && *regions; regions++)
        assert_int_equal(iom_selection_add_region(sel, *regions), IOM_OK);
    for (; types && *types; types++)
        assert_int_equal(iom_selection_add_type(sel, *types), IOM_OK);
}

static void
test_select_label_names_the_whole_selection(void **state)
{
    static const struct {
        const char *years[4], *regions[3], *types[2], *exp;
    } cases[] = {
        { { NULL }, { NULL }, { NULL },                  "all" },
        { { "2001" }, { NULL }, { NULL },                "2001" },
        { { "2001-2005" }, { NULL }, { NULL },           "2001-2005" },
        { { "2001", "2004" }, { NULL }, { NULL },        "2001_2004" },
        { { "2001", "2003" }, { NULL }, { NULL },        "2001_2003" },
        { { "2001", "2002" }, { NULL }, { NULL },        "2001-2002" },
        { { "2003", "2001-2002" }, { NULL }, { NULL },   "2001-2003" },
        { { "2001", "2001" }, { NULL }, { NULL },        "2001" },
        { { "2004", "1999-2000", "2002" }, { NULL }, { NULL },
          "1999-2000_2002_2004" },
        { { "2001" }, { "Africa" }, { NULL },            "2001_r-africa" },
        { { NULL }, { "Africa" }, { NULL },              "all_r-africa" },
        { { NULL }, { "Europe", "africa", "AFRICA" }, { NULL },
          "all_r-africa_r-europe" },
        { { "2001" }, { "Asia and Oceania" }, { "TCMMCB" },
          "2001_r-asia.and.oceania_t-tcmmcb" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_selection sel;
        char got[IOM_LABEL_MAX];

        make_sel(&sel, cases[i].years, cases[i].regions, cases[i].types);
        assert_int_equal(iom_selection_label(&sel, got), IOM_OK);
        assert_string_equal(got, cases[i].exp);
        assert_true(iom_label_valid(got));
        iom_selection_release(&sel);
    }
}

/* Names the label cannot show, and selections too long for it, get a
 * digest: still valid, still distinct, the same every night. */
static void
test_select_label_digest_keeps_selections_apart(void **state)
{
    static const char *const years[] = { "2001", NULL };
    static const char *const sets[][3] = {
        { "C\xc3\xb4te", NULL }, { "C_te", NULL }, { "C-te", NULL },
        { "C.te", NULL }, { "C te", NULL },
        { "Latin America and the Caribbean",
          "Middle East and North Africa", NULL },
        { "Latin America and the Caribbean",
          "Middle East and North Afric", NULL },
    };
    char labels[sizeof sets / sizeof sets[0]][IOM_LABEL_MAX];
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof sets / sizeof sets[0]; i++) {
        struct iom_selection sel;
        char again[IOM_LABEL_MAX];

        make_sel(&sel, years, sets[i], NULL);
        assert_int_equal(iom_selection_label(&sel, labels[i]), IOM_OK);
        assert_true(iom_label_valid(labels[i]));
        assert_int_equal(iom_selection_label(&sel, again), IOM_OK);
        assert_string_equal(labels[i], again);
        for (k = 0; k < i; k++)
            assert_string_not_equal(labels[i], labels[k]);
        iom_selection_release(&sel);
    }
    assert_string_equal(labels[4], "2001_r-c.te");
    assert_non_null(strstr(labels[0], "_h-"));
    assert_int_equal(strncmp(labels[5], "2001_r-latin.america", 20), 0);
}

static void
test_select_describe_names_years_and_groups(void **state)
{
    static const struct {
        const char *years[2], *region, *type, *exp;
    } cases[] = {
        { { NULL }, NULL, NULL, "All years" },
        { { "2001" }, NULL, NULL, "Year 2001" },
        { { "2001-2003" }, NULL, NULL, "Years 2001-2003" },
        { { "2004", "2001" }, NULL, NULL, "Years 2001, 2004" },
        { { "2001", "2002" }, NULL, NULL, "Years 2001-2002" },
        { { "2001", "2003" }, "Africa", "Labour Migration",
          "Years 2001, 2003; IDF Region: Africa; "
          "Project Type: Labour Migration" },
        { { NULL }, "Europe", NULL, "All years; IDF Region: Europe" },
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_selection sel;
        const char *why;
        char *got = NULL;

        iom_selection_init(&sel);
        for (k = 0; k < 2 && cases[i].years[k]; k++)
            assert_int_equal(iom_selection_add_years(&sel,
                                                     cases[i].years[k],
                                                     &why), IOM_OK);
        if (cases[i].region)
            iom_selection_add_region(&sel, cases[i].region);
        if (cases[i].type)
            iom_selection_add_type(&sel, cases[i].type);
        assert_int_equal(iom_selection_describe(&sel, &got), IOM_OK);
        assert_string_equal(got, cases[i].exp);
        free(got);
        iom_selection_release(&sel);
    }
}

static void
test_select_label_valid_table(void **state)
{
    static const struct { const char *in; bool exp; } cases[] = {
        { "2001", true }, { "2001-2005", true }, { "all", true },
        { "a.b_c-D9", true }, { "x..y", true }, { "a", true },
        { "", false }, { ".", false }, { "..", false }, { ".hidden", false },
        { "a/b", false }, { "../x", false }, { "a b", false },
        { "a\\b", false }, { "C\xC3\xB4te", false }, { "a*", false },
        { "a\n", false },
        { "123456789012345678901234567890123456789012345678901234567890123",
          true },
        { "1234567890123456789012345678901234567890123456789012345678901234",
          false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (iom_label_valid(cases[i].in) != cases[i].exp)
            print_message("label '%s'\n", cases[i].in);
        assert_int_equal(iom_label_valid(cases[i].in), cases[i].exp);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select_add_years_table),
        cmocka_unit_test(test_select_year_ranges_and_repeats_match),
        cmocka_unit_test(test_select_empty_selection_matches_everything),
        cmocka_unit_test(test_select_region_and_type_case_insensitive_exact),
        cmocka_unit_test(test_select_label_names_the_whole_selection),
        cmocka_unit_test(test_select_label_digest_keeps_selections_apart),
        cmocka_unit_test(test_select_adopt_names_spells_filters_as_the_data),
        cmocka_unit_test(test_select_describe_names_years_and_groups),
        cmocka_unit_test(test_select_label_valid_table),
    };

    return cmocka_run_group_tests_name("select", tests, NULL, NULL);
}
