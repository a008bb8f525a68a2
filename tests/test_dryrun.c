/*
 * test_dryrun: the totals a dry run prints for a small aggregate, its
 * tables padded by characters (a name with accents lines up).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/dryrun.h"

#include "fixture.h"

static void
test_dryrun_prints_the_totals_and_tables(void **state)
{
    struct fixture_agg fa;
    char *got;

    (void)state;
    fixture_agg_init(&fa);
    fixture_add_record(&fa.rs, "A-1", "Wells", "Africa", "Labour Migration",
                       2001, 150000, "Ghana;Kenya");
    fixture_add_record(&fa.rs, "E-1", "Roads", "Europe",
                       "R\xC3\xA9installation",
                       2001, 50050, "Albania");
    fixture_agg_build(&fa);
    fixture_capture_begin(STDOUT_FILENO);
    iom_dryrun_print("2001", 3, 2, 1, fa.agg);
    got = fixture_capture_end();
    assert_string_equal(got,
        "Selection: 2001\n"
        "Records read: 3, accepted: 2, rejected: 1\n"
        "Projects selected: 2\n"
        "Total budget: USD 2,000.50\n"
        "Average budget: USD 1,000.25\n"
        "Median budget: USD 1,000.25\n"
        "Benefiting member states: 3\n"
        "Year covered: 2001\n"
        "\n"
        "IDF Region Projects         Budget (USD)    Share\n"
        "Africa            1             1,500.00   75.0 %\n"
        "Europe            1               500.50   25.0 %\n"
        "Total             2             2,000.50  100.0 %\n"
        IOM_SHARES_NOTE "\n"
        "\n"
        "Project Type     Projects         Budget (USD)    Share\n"
        "Labour Migration        1             1,500.00   75.0 %\n"
        "R\xC3\xA9installation          1               500.50   25.0 %\n"
        "Total                   2             2,000.50  100.0 %\n"
        IOM_SHARES_NOTE "\n"
        "\n"
        "Year  Projects         Budget (USD)    Share\n"
        "2001         2             2,000.50  100.0 %\n"
        "Total        2             2,000.50  100.0 %\n"
        IOM_SHARES_NOTE "\n");
    free(got);
    fixture_agg_release(&fa);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dryrun_prints_the_totals_and_tables),
    };

    return cmocka_run_group_tests_name("dryrun", tests, NULL, NULL);
}
