/*
 * test_notes: the "Data and definitions" items the summary and the
 * workbook share: their names in order, the input, the counts, the time,
 * the selection, the input file by its name alone (never its folders),
 * and no input items for a report without an input; the words on rejected
 * records, none when none were.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "iom/notes.h"

struct fixture {
    struct fixture_agg fa;
    struct iom_report rep;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    if (f == NULL)
        return -1;
    fixture_agg_init(&f->fa);
    fixture_add_record(&f->fa.rs, "A-1", "One", "Africa", "T", 2001, 100,
                       NULL);
    f->rep.agg = fixture_agg_build(&f->fa);
    f->rep.label = "2001";
    f->rep.selection = "Year 2001";
    f->rep.created = 1000000000;
    f->rep.input_sha256 =
        "adb29b9ddc389db5ffffffffffffffffffffffffffffffffffffffffffffffff";
    f->rep.records = 3;
    f->rep.accepted = 1;
    f->rep.rejected = 2;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    fixture_agg_release(&f->fa);
    free(f);
    return 0;
}

static const char *
text_of(const struct iom_notes *n, const char *name)
{
    size_t i;

    for (i = 0; i < n->n; i++)
        if (strcmp(n->v[i].name, name) == 0)
            return n->v[i].text;
    return NULL;
}

static void
test_notes_every_item_in_order(void **state)
{
    static const char *const names[] = {
        "Input file", "Input SHA-256", "Records", "Generated", "Selection",
        "Year", "Budget", "Numbers", "Share", "Unspecified",
    };
    struct fixture *f = *state;
    struct iom_notes n;
    size_t i;

    f->rep.input = "input/projects.csv";
    assert_int_equal(iom_notes_build(&f->rep, &n), IOM_OK);
    assert_int_equal(n.n, sizeof names / sizeof names[0]);
    for (i = 0; i < n.n; i++)
        assert_string_equal(n.v[i].name, names[i]);
    assert_string_equal(text_of(&n, "Input file"), "projects.csv");
    assert_non_null(strstr(text_of(&n, "Input SHA-256"),
                           "adb29b9ddc389db5... "));
    assert_null(strstr(text_of(&n, "Input SHA-256"), "adb29b9ddc389db5f"));
    assert_non_null(strstr(text_of(&n, "Records"),
                           "3 read, 1 accepted, 2 rejected; rejected.csv"));
    assert_string_equal(text_of(&n, "Generated"),
                        "2001-09-09 01:46:40 UTC by iomreport " IOM_VERSION);
    assert_string_equal(text_of(&n, "Selection"), "Year 2001 (1 project)");
    assert_non_null(strstr(text_of(&n, "Share"), "100.0 %"));
    assert_non_null(strstr(text_of(&n, "Numbers"), "a decimal point and ','"
                           " thousands separators (37,450.00)"));
    assert_null(strstr(text_of(&n, "Numbers"), "lone"));
    iom_notes_release(&n);
    assert_int_equal(n.n, 0);
}

/* The Numbers item says which form the input's budgets were read in, and
 * why. */
static void
test_notes_numbers_say_the_form_in_force(void **state)
{
    static const struct {
        enum iom_money_form form;
        const char *says;
    } cases[] = {
        { IOM_MONEY_POINT, "Budgets read with a decimal point" },
        { IOM_MONEY_COMMA_FILE, "a decimal comma and '.' thousands "
          "separators (37.450,00), as the file's fields are separated by "
          "';', after an optional $ or USD; a lone '.' before the last one "
          "or two digits (37450.00) is a decimal point." },
        { IOM_MONEY_COMMA_OPTION, "as --decimal-comma asks" },
    };
    struct fixture *f = *state;
    struct iom_notes n;
    size_t i;

    f->rep.input = "in.csv";
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        f->rep.money_form = cases[i].form;
        assert_int_equal(iom_notes_build(&f->rep, &n), IOM_OK);
        if (!strstr(text_of(&n, "Numbers"), cases[i].says))
            fail_msg("Numbers says '%s'", text_of(&n, "Numbers"));
        iom_notes_release(&n);
    }
}

static void
test_notes_standard_input_named_so(void **state)
{
    struct fixture *f = *state;
    struct iom_notes n;

    f->rep.input = "-";
    assert_int_equal(iom_notes_build(&f->rep, &n), IOM_OK);
    assert_string_equal(text_of(&n, "Input file"), "standard input");
    iom_notes_release(&n);
}

static void
test_notes_absolute_path_gives_the_name_alone(void **state)
{
    struct fixture *f = *state;
    struct iom_notes n;

    f->rep.input = "/srv/iomreport/exports/IDF export 2001.csv";
    assert_int_equal(iom_notes_build(&f->rep, &n), IOM_OK);
    assert_string_equal(text_of(&n, "Input file"), "IDF export 2001.csv");
    iom_notes_release(&n);
}

static void
test_notes_without_input_leave_input_items_out(void **state)
{
    struct fixture *f = *state;
    struct iom_notes n;

    f->rep.input = NULL;
    assert_int_equal(iom_notes_build(&f->rep, &n), IOM_OK);
    assert_null(text_of(&n, "Input file"));
    assert_null(text_of(&n, "Records"));
    assert_string_equal(n.v[0].name, "Generated");
    iom_notes_release(&n);
}

static void
test_notes_rejected_said_only_when_some_were(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;

    (void)state;
    assert_int_equal(iom_notes_rejected(39, 16, 23, &b), IOM_OK);
    assert_string_equal(b.data, "16 of 39 records accepted; 23 rejected, "
                                "listed in rejected.csv");
    assert_int_equal(iom_notes_rejected(39, 39, 0, &b), IOM_OK);
    assert_int_equal(b.len, 0);
    iom_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_notes_every_item_in_order,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_numbers_say_the_form_in_force,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_notes_standard_input_named_so,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_notes_absolute_path_gives_the_name_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_notes_without_input_leave_input_items_out, setup, teardown),
        cmocka_unit_test(test_notes_rejected_said_only_when_some_were),
    };

    return cmocka_run_group_tests_name("notes", tests, NULL, NULL);
}
