/*
 * pdf_summary: summaries of a small multi-year set, of one year, of an
 * empty selection and of 5,000 projects over many years, regions and types
 * render; a row taller than a page runs over pages, one piece of it on
 * each; a missing font and an unwritable path fail as they should.  What
 * the pages say is checked end to end by tests/e2e_summary.sh with
 * pdftotext.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/agg.h"
#include "iom/pdf_summary.h"

#include "fixture.h"

struct fixture {
    char dir[64];
    char path[96];
    struct fixture_agg set;
    struct iom_report rep;
};

static const char *const regions[] = {
    "Africa", "Asia and Oceania", "Europe", "Global",
    "Latin America and the Caribbean", "Middle East and North Africa",
    IOM_UNSPECIFIED
};

static const char *const types[] = {
    "Migration Policy Activities", "Labour Migration", "TCMMCB",
    "Return and Reintegration Assistance for Migrants and Governments",
    "Emergency Response and Assistance to Displaced Populations",
    IOM_UNSPECIFIED
};

static const char *const states[] = {
    "C\xC3\xB4te d'Ivoire", "S\xC3\xA3o Tom\xC3\xA9 and Pr\xC3\xADncipe",
    "T\xC3\xBCrkiye", "Cura\xC3\xA7" "ao", "Haiti"
};

/* A project whose dates are its year and whose two member states follow
 * from its budget and year. */
static void
add(struct iom_recset *rs, const char *id, const char *title,
    const char *region, const char *type, int year, int64_t cents)
{
    char st[64];
    struct iom_record *r;

    snprintf(st, sizeof st, "%s;%s", states[cents % 5], states[year % 5]);
    r = fixture_add_record(rs, id, title, region, type, year, cents, st);
    r->start.year = r->end.year = year;
    r->start.prec = r->end.prec = IOM_DATE_YEAR;
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    fixture_tmpdir(f->dir, sizeof f->dir, "test_pdf_summary");
    snprintf(f->path, sizeof f->path, "%s/summary.pdf", f->dir);
    fixture_agg_init(&f->set);
    fixture_report_init(&f->rep, "all", "All years");
    add(&f->set.rs, "T81-805", "International Migration Policy Seminar for the "
        "Caribbean Region", regions[4], types[0], 2001, 3745000);
    add(&f->set.rs, "QD6-805", "Capacity Building in Migration Management for "
        "West African Border Officials", regions[0], types[2], 2001,
        11230050);
    add(&f->set.rs, "CE.0134", "Community Stabilization in C\xC3\xB4te "
        "d\xE2\x80\x99Ivoire \xE2\x80\x93 \xE2\x80\x9CPhase II\xE2\x80\x9D",
        regions[0], types[3], 2003, 23000000);
    add(&f->set.rs, "LM.0087", "", regions[6], types[5], 2004, 5962500);
    add(&f->set.rs, "ER.0031", "Emergency Shelter", regions[1], types[4], 2005,
        39500000);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    fixture_agg_release(&f->set);
    fixture_rmtree(f->dir);
    free(f);
    return 0;
}

static off_t
render(struct fixture *f, enum iom_status exp)
{
    f->rep.agg = fixture_agg_build(&f->set);
    assert_int_equal(iom_summary_render(&f->rep, f->path), exp);
    return exp == IOM_OK ? fixture_assert_pdf(f->path) : 0;
}

static void
test_pdf_summary_years_render(void **state)
{
    struct fixture *f = *state;

    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->set.agg), 5);
    fixture_assert_agg_adds_up(f->set.agg);
}

/* Select the one year 'year' ("2001"), as --year does, and name it so. */
static void
select_year(struct fixture *f, const char *year, const char *selection)
{
    const char *why = NULL;

    assert_int_equal(iom_selection_add_years(&f->set.sel, year, &why),
                     IOM_OK);
    f->rep.label = year;
    f->rep.selection = selection;
}

static void
test_pdf_summary_one_year_renders(void **state)
{
    struct fixture *f = *state;

    select_year(f, "2001", "Year 2001");
    f->rep.font_bold = NULL;        /* faux bold */
    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->set.agg), 2);
    fixture_assert_agg_adds_up(f->set.agg);
}

static void
test_pdf_summary_empty_selection_renders(void **state)
{
    struct fixture *f = *state;

    select_year(f, "2100", "Year 2100");
    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->set.agg), 0);
    fixture_assert_agg_adds_up(f->set.agg);
}

/*
 * 5,000 projects over 24 years (the matrix splits its columns), 40 types
 * (the type chart runs over a page) and budgets from a cent to a billion
 * dollars (wide money columns).
 */
static void
test_pdf_summary_5000_projects_render(void **state)
{
    struct fixture *f = *state;
    char id[32], title[160], type[96];
    off_t small, big;
    size_t i;

    small = render(f, IOM_OK);
    for (i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "GEN-%05zu", i);
        snprintf(title, sizeof title, "Generated project %zu on migration "
                 "governance, border management and the reintegration of "
                 "returning migrants", i);
        snprintf(type, sizeof type, "%s %zu", types[i % 6], i % 40);
        add(&f->set.rs, id, title, regions[i % 7], type, 1990 + (int)(i % 24),
            i == 7 ? 100000000000 : (int64_t)(i * 7919 % 50000000) + 1);
    }
    big = render(f, IOM_OK);
    assert_true(big > small);
    assert_int_equal(iom_agg_count(f->set.agg), 5005);
    fixture_assert_agg_adds_up(f->set.agg);
}

/* The page's place in the document, or n_pages when it is none of its. */
static size_t
page_index(const struct iom_pdf *pdf, HPDF_Page page)
{
    size_t i;

    for (i = 0; i < pdf->n_pages && pdf->pages[i] != page; i++)
        continue;
    return i;
}

/*
 * A title of 20,000 'W' makes a row of the project list taller than a
 * page: it runs over consecutive pages, one piece on each, every piece
 * within the page's text flow; every other row is one piece, in order.
 */
static void
test_pdf_summary_row_taller_than_page_runs_over_pages(void **state)
{
    struct fixture *f = *state;
    struct iom_summary_marks marks = { NULL, NULL, 0, 0 };
    static char title[20001];
    struct iom_pdf pdf;
    size_t i, pages = 0, last = 0;

    memset(title, 'W', sizeof title - 1);
    add(&f->set.rs, "T81-806", title, regions[0], types[0], 2001,
        100000000);                 /* the largest budget: row 0 */
    f->rep.agg = fixture_agg_build(&f->set);
    assert_int_equal(iom_summary_open(&pdf, &f->rep, f->path), IOM_OK);
    assert_int_equal(iom_summary_draw(&pdf, &f->rep, &marks), IOM_OK);
    assert_true(marks.n_pieces > iom_agg_count(f->set.agg));
    for (i = 0; i < marks.n_pieces; i++) {
        const struct iom_summary_piece *p = &marks.pieces[i];
        size_t at = page_index(&pdf, p->page);

        assert_true(at < pdf.n_pages);
        assert_true(p->top <= pdf.height && p->bottom >= pdf.bottom &&
                    p->bottom < p->top);
        if (p->row == 0) {
            assert_true(pages == 0 || at == last + 1);
            pages++;
            last = at;
        } else {
            assert_int_equal(p->row, marks.pieces[i - 1].row + 1);
        }
    }
    assert_true(pages > 5);
    assert_int_equal(marks.pieces[marks.n_pieces - 1].row,
                     iom_agg_count(f->set.agg) - 1);
    iom_pdf_close(&pdf);
    free(marks.pieces);
}

static void
test_pdf_summary_missing_font_fails(void **state)
{
    struct fixture *f = *state;

    f->rep.font_regular = "fonts/missing.ttf";
    render(f, IOM_EFONT);
}

static void
test_pdf_summary_unwritable_path_fails(void **state)
{
    struct fixture *f = *state;

    snprintf(f->path, sizeof f->path, "%s/no/such/summary.pdf", f->dir);
    render(f, IOM_EIO);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pdf_summary_years_render, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_pdf_summary_one_year_renders,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_summary_empty_selection_renders, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_summary_5000_projects_render, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_summary_row_taller_than_page_runs_over_pages, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_pdf_summary_missing_font_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_summary_unwritable_path_fails, setup, teardown),
    };

    return cmocka_run_group_tests_name("pdf_summary", tests, NULL, NULL);
}
