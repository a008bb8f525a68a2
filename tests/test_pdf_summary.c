/*
 * pdf_summary: summaries of a small multi-year set, of one year, of an
 * empty selection and of 5,000 projects over many years, regions and types
 * render; a missing font and an unwritable path fail as they should.  What
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
#include <sys/stat.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/pdf_summary.h"

struct fixture {
    char dir[64];
    char path[96];
    struct iom_recset rs;
    struct iom_selection sel;
    struct iom_agg *agg;
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

static const char *
intern(struct iom_recset *rs, const char *s)
{
    const char *p = iom_recset_intern(rs, s, strlen(s));

    assert_non_null(p);
    return p;
}

static void
add(struct iom_recset *rs, const char *id, const char *title,
    const char *region, const char *type, int year, int64_t cents)
{
    const char *st[2];
    struct iom_record r;

    memset(&r, 0, sizeof r);
    r.id = intern(rs, id);
    r.title = intern(rs, title);
    r.start.year = r.end.year = year;
    r.start.prec = r.end.prec = IOM_DATE_YEAR;
    r.status = r.coverage = r.description = r.prima_id = intern(rs, "");
    r.type = intern(rs, type);
    r.region = intern(rs, region);
    r.budget_cents = cents;
    r.year = year;
    st[0] = intern(rs, states[cents % 5]);
    st[1] = intern(rs, states[year % 5]);
    r.states = iom_recset_intern_list(rs, st, 2);
    assert_non_null(r.states);
    r.n_states = 2;
    r.line = rs->n + 2;
    assert_int_equal(iom_recset_add(rs, &r), IOM_OK);
}

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    strcpy(f->dir, "/tmp/test_pdf_summary.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/summary.pdf", f->dir);
    iom_recset_init(&f->rs);
    iom_selection_init(&f->sel);
    f->rep.label = "all";
    f->rep.selection = "All years";
    f->rep.created = 1700000000;
    f->rep.font_regular = "fonts/DejaVuSans.ttf";
    f->rep.font_bold = "fonts/DejaVuSans-Bold.ttf";
    add(&f->rs, "T81-805", "International Migration Policy Seminar for the "
        "Caribbean Region", regions[4], types[0], 2001, 3745000);
    add(&f->rs, "QD6-805", "Capacity Building in Migration Management for "
        "West African Border Officials", regions[0], types[2], 2001,
        11230050);
    add(&f->rs, "CE.0134", "Community Stabilization in C\xC3\xB4te "
        "d\xE2\x80\x99Ivoire \xE2\x80\x93 \xE2\x80\x9CPhase II\xE2\x80\x9D",
        regions[0], types[3], 2003, 23000000);
    add(&f->rs, "LM.0087", "", regions[6], types[5], 2004, 5962500);
    add(&f->rs, "ER.0031", "Emergency Shelter", regions[1], types[4], 2005,
        39500000);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    iom_agg_free(f->agg);
    iom_selection_release(&f->sel);
    iom_recset_release(&f->rs);
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static off_t
render(struct fixture *f, enum iom_status exp)
{
    struct stat st;
    char head[5] = "";
    FILE *fp;

    assert_int_equal(iom_agg_build(&f->rs, &f->sel, &f->agg), IOM_OK);
    f->rep.agg = f->agg;
    assert_int_equal(iom_summary_render(&f->rep, f->path), exp);
    if (exp != IOM_OK)
        return 0;
    assert_int_equal(stat(f->path, &st), 0);
    fp = fopen(f->path, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(head, 1, 4, fp), 4);
    fclose(fp);
    assert_string_equal(head, "%PDF");
    return st.st_size;
}

/* What the total rows print: every dimension's rows add up to the
 * selection, and its shares to 100.0 %. */
static void
assert_totals_add_up(const struct iom_agg *agg)
{
    size_t n[IOM_DIM_COUNT], d, i, j;
    const struct iom_group *g;

    for (d = 0; d < IOM_DIM_COUNT; d++) {
        int64_t got = 0;
        size_t count = 0;
        int tenths = 0;

        g = iom_agg_groups(agg, (enum iom_agg_dim)d, &n[d]);
        for (i = 0; i < n[d]; i++) {
            got += g[i].total_cents;
            count += g[i].count;
            tenths += g[i].share_tenths;
        }
        assert_int_equal(got, iom_agg_total(agg));
        assert_int_equal(count, iom_agg_count(agg));
        assert_int_equal(tenths, iom_agg_count(agg) ? 1000 : 0);
    }
    g = iom_agg_groups(agg, IOM_BY_REGION, &n[0]);
    for (i = 0; i < n[IOM_BY_REGION]; i++) {
        int64_t got = 0;

        for (j = 0; j < n[IOM_BY_YEAR]; j++)
            got += iom_agg_cell(agg, i, j)->total_cents;
        assert_int_equal(got, g[i].total_cents);
    }
}

static void
test_pdf_summary_years_render(void **state)
{
    struct fixture *f = *state;

    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->agg), 5);
    assert_totals_add_up(f->agg);
}

static void
test_pdf_summary_one_year_renders(void **state)
{
    struct fixture *f = *state;
    const char *why = NULL;

    assert_int_equal(iom_selection_add_years(&f->sel, "2001", &why), IOM_OK);
    f->rep.label = "2001";
    f->rep.selection = "Year 2001";
    f->rep.font_bold = NULL;        /* faux bold */
    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->agg), 2);
    assert_totals_add_up(f->agg);
}

static void
test_pdf_summary_empty_selection_renders(void **state)
{
    struct fixture *f = *state;
    const char *why = NULL;

    assert_int_equal(iom_selection_add_years(&f->sel, "2100", &why), IOM_OK);
    f->rep.label = "2100";
    f->rep.selection = "Year 2100";
    assert_true(render(f, IOM_OK) > 1000);
    assert_int_equal(iom_agg_count(f->agg), 0);
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
    iom_agg_free(f->agg);
    f->agg = NULL;
    for (i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "GEN-%05zu", i);
        snprintf(title, sizeof title, "Generated project %zu on migration "
                 "governance, border management and the reintegration of "
                 "returning migrants", i);
        snprintf(type, sizeof type, "%s %zu", types[i % 6], i % 40);
        add(&f->rs, id, title, regions[i % 7], type, 1990 + (int)(i % 24),
            i == 7 ? 100000000000 : (int64_t)(i * 7919 % 50000000) + 1);
    }
    big = render(f, IOM_OK);
    assert_true(big > small);
    assert_int_equal(iom_agg_count(f->agg), 5005);
    assert_totals_add_up(f->agg);
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
        cmocka_unit_test_setup_teardown(test_pdf_summary_missing_font_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_summary_unwritable_path_fails, setup, teardown),
    };

    return cmocka_run_group_tests_name("pdf_summary", tests, NULL, NULL);
}
