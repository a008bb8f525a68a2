/*
 * test_cli: every option, its bad values, --help/--version and repeats.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "iom/cli.h"

#define MAX_ARGS 8

/* Parse "iomreport" followed by 'args' (NULL-terminated) into 'o'. */
static enum iom_cli_result
parse(struct iom_opts *o, const char *const *args)
{
    char *argv[MAX_ARGS + 2];
    int argc = 0;

    argv[argc++] = (char *)"iomreport";
    while (*args && argc <= MAX_ARGS)
        argv[argc++] = (char *)*args++;
    argv[argc] = NULL;
    iom_opts_init(o);
    return iom_cli_parse(argc, argv, o);
}

static void
test_cli_no_arguments_gives_defaults(void **state)
{
    static const char *const args[] = { NULL };
    struct iom_opts o;

    (void)state;
    assert_int_equal(parse(&o, args), IOM_CLI_RUN);
    assert_string_equal(o.input, "input/projects.csv");
    assert_string_equal(o.output, "output");
    assert_null(o.label);
    assert_null(o.fonts);
    assert_int_equal(o.sel.n_years, 0);
    assert_int_equal(o.sel.n_regions, 0);
    assert_int_equal(o.sel.n_types, 0);
    assert_int_equal(o.only, IOM_OUT_ALL);
    assert_false(o.strict);
    assert_false(o.dry_run);
    assert_false(o.verbose);
    assert_int_equal(o.progress, -1);
    assert_int_equal(o.wait_seconds, -1);
    assert_int_equal(o.keep, 2);
    assert_int_equal(o.jobs, 0);
    assert_false(o.decimal_comma);
    iom_opts_release(&o);
}

static void
test_cli_every_option_is_parsed(void **state)
{
    static const char *const args[] = {
        "-i", "in.csv", "-o", "out", "--label", "nightly", "--only",
        "briefs,workbook", NULL
    };
    static const char *const args2[] = {
        "--fonts", "/f", "-y", "2001", "--year", "2003-2005", "--strict",
        NULL
    };
    static const char *const args3[] = {
        "-r", "Africa", "--region=Europe", "-t", "Labour Migration",
        "-n", "-v", NULL
    };
    static const char *const args4[] = {
        "-j", "4", "--wait=30", "--keep", "5", "--progress",
        "--decimal-comma", NULL
    };
    struct iom_opts o;

    (void)state;
    assert_int_equal(parse(&o, args), IOM_CLI_RUN);
    assert_string_equal(o.input, "in.csv");
    assert_string_equal(o.output, "out");
    assert_string_equal(o.label, "nightly");
    assert_int_equal(o.only, IOM_OUT_BRIEFS | IOM_OUT_WORKBOOK);
    iom_opts_release(&o);

    assert_int_equal(parse(&o, args2), IOM_CLI_RUN);
    assert_string_equal(o.fonts, "/f");
    assert_int_equal(o.sel.n_years, 2);
    assert_int_equal(o.sel.years[0].first, 2001);
    assert_int_equal(o.sel.years[0].last, 2001);
    assert_int_equal(o.sel.years[1].first, 2003);
    assert_int_equal(o.sel.years[1].last, 2005);
    assert_true(o.strict);
    iom_opts_release(&o);

    assert_int_equal(parse(&o, args3), IOM_CLI_RUN);
    assert_int_equal(o.sel.n_regions, 2);
    assert_string_equal(o.sel.regions[0], "Africa");
    assert_string_equal(o.sel.regions[1], "Europe");
    assert_int_equal(o.sel.n_types, 1);
    assert_string_equal(o.sel.types[0], "Labour Migration");
    assert_true(o.dry_run);
    assert_true(o.verbose);
    iom_opts_release(&o);

    assert_int_equal(parse(&o, args4), IOM_CLI_RUN);
    assert_int_equal(o.jobs, 4);
    assert_int_equal(o.wait_seconds, 30);
    assert_int_equal(o.keep, 5);
    assert_int_equal(o.progress, 1);
    assert_true(o.decimal_comma);
    iom_opts_release(&o);
}

static void
test_cli_long_forms_and_clusters_parse(void **state)
{
    static const struct {
        const char *args[4];
        const char *input;
        bool dry_run, verbose;
        int wait, progress;
    } cases[] = {
        { { "--input=-", NULL },            "-",    false, false, -1, -1 },
        { { "--input", "x", NULL },         "x",    false, false, -1, -1 },
        { { "-ix.csv", NULL },              "x.csv", false, false, -1, -1 },
        { { "-nv", NULL },                  NULL,   true, true, -1, -1 },
        { { "--dry-run", "--verbose", NULL }, NULL, true, true, -1, -1 },
        { { "--wait", NULL },               NULL,   false, false, 0, -1 },
        { { "--no-progress", NULL },        NULL,   false, false, -1, 0 },
        { { "--progress", "--no-progress", NULL }, NULL, false, false, -1,
          0 },
        { { "--no-progress", "--progress", NULL }, NULL, false, false, -1,
          1 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_opts o;

        assert_int_equal(parse(&o, cases[i].args), IOM_CLI_RUN);
        if (cases[i].input)
            assert_string_equal(o.input, cases[i].input);
        assert_int_equal(o.dry_run, cases[i].dry_run);
        assert_int_equal(o.verbose, cases[i].verbose);
        assert_int_equal(o.wait_seconds, cases[i].wait);
        assert_int_equal(o.progress, cases[i].progress);
        iom_opts_release(&o);
    }
}

static void
test_cli_repeats_last_wins_or_accumulate(void **state)
{
    static const char *const args[] = {
        "-i", "a.csv", "-i", "b.csv", "-o", "x", "--output", "y",
        NULL
    };
    static const char *const args2[] = {
        "--only", "briefs", "--only", "summary,book", "-j", "2", "-j", "3",
        NULL
    };
    static const char *const args3[] = {
        "-y", "2001", "-y", "2001", "-t", "A", "-t", "B", NULL
    };
    struct iom_opts o;

    (void)state;
    assert_int_equal(parse(&o, args), IOM_CLI_RUN);
    assert_string_equal(o.input, "b.csv");
    assert_string_equal(o.output, "y");
    iom_opts_release(&o);
    assert_int_equal(parse(&o, args2), IOM_CLI_RUN);
    assert_int_equal(o.only, IOM_OUT_SUMMARY | IOM_OUT_BOOK);
    assert_int_equal(o.jobs, 3);
    iom_opts_release(&o);
    assert_int_equal(parse(&o, args3), IOM_CLI_RUN);
    assert_int_equal(o.sel.n_years, 2);
    assert_int_equal(o.sel.n_types, 2);
    iom_opts_release(&o);
}

static void
test_cli_bad_values_give_usage_with_error(void **state)
{
    static const struct { const char *args[4]; const char *says; } cases[] = {
        { { "--output", "", NULL },        "output" },
        { { "--label", "../x", NULL },     "../x" },
        { { "--label", "", NULL },         "label" },
        { { "--label", ".hidden", NULL },  ".hidden" },
        { { "--label", "a b", NULL },      "label" },
        { { "--only", "pdf", NULL },       "pdf" },
        { { "--only", "", NULL },          "only" },
        { { "--only", ",briefs", NULL },   "only" },
        { { "--only", "Briefs", NULL },    "Briefs" },
        { { "--year", "2005-2001", NULL }, "2005-2001" },
        { { "-y", "abc", NULL },           "abc" },
        { { "-y", "1900", NULL },          "1900" },
        { { "-j", "0", NULL },             "jobs" },
        { { "-j", "257", NULL },           "257" },
        { { "-j", "x", NULL },             "jobs" },
        { { "-j", "4x", NULL },            "4x" },
        { { "--jobs=", NULL },             "jobs" },
        { { "--wait=abc", NULL },          "abc" },
        { { "--wait=-1", NULL },           "wait" },
        { { "--keep", "0", NULL },         "keep" },
        { { "--keep", "1001", NULL },      "keep" },
        { { "--keep", "two", NULL },       "two" },
        { { "--bogus", NULL },             "--bogus" },
        { { "-x", NULL },                  "-x" },
        { { "-i", NULL },                  "-i" },
        { { "--input", NULL },             "--input" },
        { { "--strict=yes", NULL },        "strict" },
        { { "extra", NULL },               "extra" },
        { { "--strict", "extra", NULL },   "extra" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_opts o;
        enum iom_cli_result got = parse(&o, cases[i].args);

        if (got != IOM_CLI_USAGE || !strstr(o.error, cases[i].says))
            print_message("usage case %zu: result %d, error '%s'\n", i,
                          got, o.error);
        assert_int_equal(got, IOM_CLI_USAGE);
        assert_true(strlen(o.error) > 0);
        assert_non_null(strstr(o.error, cases[i].says));
        iom_opts_release(&o);
    }
}

static void
test_cli_help_and_version_win(void **state)
{
    static const struct { const char *args[4]; enum iom_cli_result exp; }
    cases[] = {
        { { "-h", NULL },                     IOM_CLI_HELP },
        { { "--help", NULL },                 IOM_CLI_HELP },
        { { "--year", "2001", "--help", NULL }, IOM_CLI_HELP },
        { { "-V", NULL },                     IOM_CLI_VERSION },
        { { "--version", NULL },              IOM_CLI_VERSION },
        { { "--strict", "-V", NULL },         IOM_CLI_VERSION },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_opts o;

        assert_int_equal(parse(&o, cases[i].args), cases[i].exp);
        iom_opts_release(&o);
    }
}

static void
test_cli_help_names_every_option(void **state)
{
    static const char *const words[] = {
        "--input", "--output", "--label", "--only", "--fonts", "--year",
        "--region", "--type", "--strict", "--dry-run", "--jobs", "--wait",
        "--keep", "--verbose", "--progress", "--no-progress", "--help",
        "--encoding", "--delimiter", "--decimal-comma",
        "--version", "64", "65", "66", "73", "74", "75", "SOURCE_DATE_EPOCH"
    };
    const char *help = iom_cli_help();
    size_t i;

    (void)state;
    assert_non_null(help);
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (!strstr(help, words[i]))
            print_message("help lacks '%s'\n", words[i]);
        assert_non_null(strstr(help, words[i]));
    }
}

/* The exit table lists every status the README's table has, in numeric
 * order, each at the start of its line. */
static void
test_cli_help_exit_statuses_in_order(void **state)
{
    static const int codes[] = { 0, 64, 65, 66, 67, 71, 72, 73, 74, 75, 130 };
    const char *p = strstr(iom_cli_help(), "Exit status:\n");
    size_t i;

    (void)state;
    assert_non_null(p);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char line[16];
        const char *at;

        snprintf(line, sizeof line, "\n  %d%c", codes[i],
                 codes[i] == 130 ? ',' : ' ');
        at = strstr(p, line);
        if (!at)
            print_message("no line for exit status %d\n", codes[i]);
        assert_non_null(at);
        p = at + 1;
    }
}

/* A second parse starts afresh (getopt state is reset). */
static void
test_cli_parse_twice_restarts(void **state)
{
    static const char *const args[] = { "-n", "-y", "2001", NULL };
    struct iom_opts o;

    (void)state;
    assert_int_equal(parse(&o, args), IOM_CLI_RUN);
    iom_opts_release(&o);
    assert_int_equal(parse(&o, args), IOM_CLI_RUN);
    assert_true(o.dry_run);
    assert_int_equal(o.sel.n_years, 1);
    iom_opts_release(&o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_no_arguments_gives_defaults),
        cmocka_unit_test(test_cli_every_option_is_parsed),
        cmocka_unit_test(test_cli_long_forms_and_clusters_parse),
        cmocka_unit_test(test_cli_repeats_last_wins_or_accumulate),
        cmocka_unit_test(test_cli_bad_values_give_usage_with_error),
        cmocka_unit_test(test_cli_help_and_version_win),
        cmocka_unit_test(test_cli_help_names_every_option),
        cmocka_unit_test(test_cli_help_exit_statuses_in_order),
        cmocka_unit_test(test_cli_parse_twice_restarts),
    };

    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
