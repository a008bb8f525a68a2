/*
 * test_match: a selection that matches nothing is told what the input
 * holds, for each filter that narrows it; the filters are spelled as the
 * data spells them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/match.h"
#include "iom/run.h"
#include "iom/select.h"

#include "fixture.h"

/* A run that read two projects: Africa 2001 and Europe 2003. */
static void
run_of_two(struct iom_run *r)
{
    iom_run_init(r);
    iom_recset_init(&r->rs);
    fixture_add_record(&r->rs, "A-1", "Wells", "Africa", "Labour Migration",
                       2001, 150000, NULL);
    fixture_add_record(&r->rs, "E-1", "Roads", "Europe", "Resettlement",
                       2003, 50000, NULL);
}

/* What iom_match_explain_none() says of the run; it must not match. */
static char *
explain(struct iom_run *r)
{
    char *said;

    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_match_explain_none(r), IOM_ENOMATCH);
    said = fixture_capture_end();
    return said;
}

static void
test_match_names_what_the_input_holds(void **state)
{
    struct iom_run r;
    const char *why;
    char *said;

    (void)state;
    run_of_two(&r);
    assert_int_equal(iom_selection_add_region(&r.opts.sel, "Mars"), IOM_OK);
    assert_int_equal(iom_selection_add_years(&r.opts.sel, "1999", &why),
                     IOM_OK);
    said = explain(&r);
    assert_string_equal(said, "iomreport: no project matches --year 1999 "
                        "--region 'Mars'; years in the input: 2001, 2003; "
                        "regions in the input: Africa, Europe; nothing "
                        "published\n");
    free(said);
    iom_run_release(&r);
}

static void
test_match_of_an_empty_input(void **state)
{
    struct iom_run r;
    char *said;

    (void)state;
    iom_run_init(&r);
    iom_recset_init(&r.rs);
    r.selection = strdup("all projects");
    assert_non_null(r.selection);
    said = explain(&r);
    assert_string_equal(said, "iomreport: no project matches the selection "
                        "(all projects): the input holds no accepted "
                        "project; nothing published\n");
    free(said);
    iom_run_release(&r);
}

static void
test_match_spells_filters_as_the_data(void **state)
{
    struct iom_run r;

    (void)state;
    run_of_two(&r);
    assert_int_equal(iom_selection_add_region(&r.opts.sel, "aFRICA"),
                     IOM_OK);
    assert_int_equal(iom_agg_build(&r.rs, &r.opts.sel, &r.agg), IOM_OK);
    assert_int_equal(iom_agg_count(r.agg), 1);
    assert_int_equal(iom_match_spell(&r), IOM_OK);
    assert_string_equal(r.opts.sel.regions[0], "Africa");
    assert_non_null(strstr(r.selection, "Africa"));
    assert_null(strstr(r.selection, "aFRICA"));
    iom_run_release(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_names_what_the_input_holds),
        cmocka_unit_test(test_match_of_an_empty_input),
        cmocka_unit_test(test_match_spells_filters_as_the_data),
    };

    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
