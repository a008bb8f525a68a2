/*
 * test_xlsx: the workbook renderer on small hand-built record sets.  What
 * the workbook holds is checked end to end by tests/check_xlsx.py; these
 * cases check the return codes, including the failure paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/fname.h"
#include "iom/record.h"
#include "iom/report.h"
#include "iom/select.h"
#include "iom/xlsx.h"

#include "fixture.h"

struct fixture {
    char dir[32];
    char path[64];
    struct fixture_agg set;
    char **names;
    struct iom_report rep;
};

static void
add(struct fixture *fx, const char *id, const char *title,
    const char *region, int year, int64_t cents, const char *description)
{
    struct iom_record *r = fixture_add_record(&fx->set.rs, id, title, region,
                                              IOM_UNSPECIFIED, year, cents,
                                              "Belize;C\xC3\xB4te d'Ivoire");

    r->start = (struct iom_date){year, 5, 28, IOM_DATE_DAY};
    r->end = (struct iom_date){year + 1, 0, 0, IOM_DATE_YEAR};
    r->status = fixture_intern(&fx->set.rs, "Completed");
    r->coverage = fixture_intern(&fx->set.rs, "Regional");
    r->description = fixture_intern(&fx->set.rs, description);
}

/* Aggregate what add() put in, with 'years' ("" for every year). */
static void
build(struct fixture *fx, const char *years)
{
    const char *why = NULL;
    size_t n;

    if (*years)
        assert_int_equal(iom_selection_add_years(&fx->set.sel, years, &why),
                         IOM_OK);
    n = iom_agg_count(fixture_agg_build(&fx->set));
    assert_int_equal(iom_fname_build(iom_agg_projects(fx->set.agg), n,
                                     &fx->names, NULL), IOM_OK);
    fx->rep.agg = fx->set.agg;
    fx->rep.label = *years ? years : "all";
    fx->rep.selection = *years ? years : "All years";
    fx->rep.created = 1000000000;
    fx->rep.brief_names = (const char *const *)fx->names;
}

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));

    if (fx == NULL)
        return -1;
    fixture_tmpdir(fx->dir, sizeof fx->dir, "test_xlsx");
    snprintf(fx->path, sizeof(fx->path), "%s/rollup.xlsx", fx->dir);
    fixture_agg_init(&fx->set);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;

    fixture_rmtree(fx->dir);
    if (fx->set.agg != NULL)
        iom_fname_free(fx->names, iom_agg_count(fx->set.agg));
    fixture_agg_release(&fx->set);
    free(fx);
    return 0;
}

static off_t
file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? st.st_size : -1;
}

static void
add_sample(struct fixture *fx)
{
    add(fx, "T81-805", "=HYPERLINK(\"http://x\")", "Africa", 2001, 3745000,
        "One.\n2. Two");
    add(fx, "CE.0134", "+1+2", "", 2002, 5962500, "");
    add(fx, "QD6-805", "-3", "Europe", 2001, 1, "x");
    add(fx, "LM/0087", "@SUM(A1)", "Africa", 2003, 0, "y");
}

static void
test_xlsx_sample_renders(void **state)
{
    struct fixture *fx = *state;

    add_sample(fx);
    build(fx, "");
    assert_int_equal(iom_xlsx_render(&fx->rep, fx->path, fx->dir), IOM_OK);
    assert_true(file_size(fx->path) > 0);
}

static void
test_xlsx_empty_selection_renders(void **state)
{
    struct fixture *fx = *state;

    add_sample(fx);
    build(fx, "2100");
    assert_int_equal(iom_agg_count(fx->set.agg), 0);
    assert_int_equal(iom_xlsx_render(&fx->rep, fx->path, fx->dir), IOM_OK);
    assert_true(file_size(fx->path) > 0);
}

/*
 * Without the cut libxlsxwriter refuses the cell.  Characters outside the
 * BMP count twice for Excel, so the cut must count them twice too.
 */
static void
test_xlsx_long_text_is_cut(void **state)
{
    struct fixture *fx = *state;
    const char smile[] = "\xF0\x9F\x98\x80";
    size_t i, n = 40000;
    char *text = malloc(n * 4 + 1);

    assert_non_null(text);
    for (i = 0; i < n; i++)
        memcpy(text + 4 * i, smile, 4);
    text[n * 4] = '\0';
    add(fx, "T81-805", text, "Africa", 2001, 100, text);
    free(text);
    build(fx, "");
    assert_int_equal(iom_xlsx_render(&fx->rep, fx->path, fx->dir), IOM_OK);
    assert_true(file_size(fx->path) > 0);
}

/* What 'member' of the workbook at 'path' holds, read with unzip. */
static char *
member(const char *path, const char *name)
{
    char cmd[512];
    FILE *p;
    char *text = calloc(1, 1 << 20);
    size_t n;

    assert_non_null(text);
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
    p = popen(cmd, "r");
    assert_non_null(p);
    n = fread(text, 1, (1 << 20) - 1, p);
    text[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return text;
}

/*
 * Sheet 'n' holds a Projects header, rows 1 to 'last' (the Total row
 * last), the filter 'range' (which leaves the Total row out).
 */
static void
assert_projects_sheet(const char *path, int n, int last, const char *range)
{
    char name[64], row[32];
    char *sheet;

    snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", n);
    sheet = member(path, name);
    assert_non_null(strstr(sheet, "Projects ID"));
    assert_non_null(strstr(sheet, range));
    snprintf(row, sizeof row, "<row r=\"%d\"", last);
    assert_non_null(strstr(sheet, row));
    assert_non_null(strstr(strstr(sheet, row), ">Total<"));
    snprintf(row, sizeof row, "<row r=\"%d\"", last + 1);
    assert_null(strstr(sheet, row));
    free(sheet);
}

/*
 * With two projects to a sheet, five projects fill "Projects",
 * "Projects (2)" and "Projects (3)", each with its header, in order.
 */
static void
test_xlsx_projects_continue_on_further_sheets(void **state)
{
    struct fixture *fx = *state;
    char *book, *sheet;

    add_sample(fx);
    add(fx, "P-5", "Fifth", "Asia", 2004, 700, "z");
    build(fx, "");
    assert_int_equal(iom_xlsx_render_rows(&fx->rep, fx->path, fx->dir, 2),
                     IOM_OK);
    book = member(fx->path, "xl/workbook.xml");
    assert_non_null(strstr(book, "name=\"Projects\""));
    assert_non_null(strstr(book, "name=\"Projects (2)\""));
    assert_non_null(strstr(book, "name=\"Projects (3)\""));
    assert_null(strstr(book, "name=\"Projects (4)\""));
    assert_true(strstr(book, "name=\"Projects (3)\"") <
                strstr(book, "name=\"By Region\""));
    free(book);
    /* Sheet 2 is Projects: the header, two rows and the Total; sheet 4,
     * the third, the header, the last project and the Total. */
    assert_projects_sheet(fx->path, 2, 4, "A1:O3");
    assert_projects_sheet(fx->path, 3, 4, "A1:O3");
    assert_projects_sheet(fx->path, 4, 3, "A1:O2");
    /* The totals are those of all five, however they are spread. */
    sheet = member(fx->path, "xl/worksheets/sheet5.xml");
    assert_non_null(strstr(sheet, "<v>5</v>"));
    free(sheet);
}

static void
test_xlsx_missing_folder_fails(void **state)
{
    struct fixture *fx = *state;
    char path[96];

    add_sample(fx);
    build(fx, "");
    snprintf(path, sizeof(path), "%s/missing/rollup.xlsx", fx->dir);
    assert_int_equal(iom_xlsx_render(&fx->rep, path, fx->dir), IOM_EIO);
    assert_int_equal(file_size(path), -1);
}

/* A full disk shows up only when the workbook is closed. */
static void
test_xlsx_full_disk_fails(void **state)
{
    struct fixture *fx = *state;

    if (access("/dev/full", W_OK) != 0)
        skip();
    add_sample(fx);
    build(fx, "");
    assert_int_equal(iom_xlsx_render(&fx->rep, "/dev/full", fx->dir),
                     IOM_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xlsx_sample_renders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_empty_selection_renders,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_long_text_is_cut, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_xlsx_projects_continue_on_further_sheets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_missing_folder_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_full_disk_fails, setup,
                                        teardown),
    };

    return cmocka_run_group_tests_name("xlsx", tests, NULL, NULL);
}
