/*
 * pdf_brief: the seed project renders to a PDF file; empty optional fields,
 * fields longer than a page, a missing font and an unwritable path
 * behave.  Text content is checked
 * end to end by tests/e2e_brief.sh with pdftotext.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/pdf_brief.h"

#include "fixture.h"

struct fixture {
    char dir[64];
    char path[96];
    struct iom_report rep;
    struct iom_record rec;
};

static const char *const seed_states[] = {
    "Belize", "Dominican Republic", "Haiti"
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct iom_record *r;

    assert_non_null(f);
    fixture_tmpdir(f->dir, sizeof f->dir, "test_pdf_brief");
    snprintf(f->path, sizeof f->path, "%s/T81-805.pdf", f->dir);
    fixture_report_init(&f->rep, "2001", NULL);
    r = &f->rec;
    r->id = "T81-805";
    r->title = "International Migration Policy Seminar for the Caribbean "
               "Region";
    r->start.year = r->end.year = 2001;
    r->start.prec = r->end.prec = IOM_DATE_YEAR;
    r->status = "Completed";
    r->type = "Migration Policy Activities";
    r->budget_cents = 3745000;
    r->coverage = "Regional";
    r->year = 2001;
    r->region = "Latin America and the Caribbean";
    r->states = (const char **)seed_states;
    r->n_states = 3;
    r->description =
        "IOM and IMP convened a migration policy seminar for the Caribbean "
        "region in Jamaica from 28 May to 1 June 2001.\n\n"
        "The seminar helped prepare the way for:\n"
        "(a) the counter-trafficking meeting; and\n"
        "(b) concrete projects in key areas.";
    r->prima_id = "";
    r->line = 2;
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    fixture_rmtree(f->dir);
    free(f);
    return 0;
}

static void
assert_pdf_file(const char *path)
{
    assert_true(fixture_assert_pdf(path) > 1000);
}

static void
test_pdf_brief_seed_renders(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(iom_brief_render(&f->rep, &f->rec, f->path), IOM_OK);
    assert_pdf_file(f->path);
}

static void
test_pdf_brief_empty_optional_fields_render(void **state)
{
    struct fixture *f = *state;

    f->rec.start.prec = f->rec.end.prec = IOM_DATE_NONE;
    f->rec.status = f->rec.coverage = f->rec.description = "";
    f->rec.type = f->rec.region = IOM_UNSPECIFIED;
    f->rec.n_states = 0;
    f->rec.prima_id = "BW10P0006";
    f->rep.font_bold = NULL;        /* faux bold */
    assert_int_equal(iom_brief_render(&f->rep, &f->rec, f->path), IOM_OK);
    assert_pdf_file(f->path);
}

static void
test_pdf_brief_hostile_text_renders(void **state)
{
    struct fixture *f = *state;
    char *word = malloc(2001);

    assert_non_null(word);
    memset(word, 'W', 2000);
    word[2000] = '\0';
    f->rec.title = word;
    f->rec.id = word;
    f->rec.description = "\t1.\tTab\x01 item \xE4\xB8\xAD\xF0\x9F\x98\x80\n"
                         "\n\n\n";
    assert_int_equal(iom_brief_render(&f->rep, &f->rec, f->path), IOM_OK);
    assert_pdf_file(f->path);
    free(word);
}

static void
test_pdf_brief_missing_font_fails(void **state)
{
    struct fixture *f = *state;

    f->rep.font_bold = "fonts/missing-Bold.ttf";
    assert_int_equal(iom_brief_render(&f->rep, &f->rec, f->path), IOM_EFONT);
}

static void
test_pdf_brief_unwritable_path_fails(void **state)
{
    struct fixture *f = *state;
    char path[128];

    snprintf(path, sizeof path, "%s/no/such/dir.pdf", f->dir);
    assert_int_equal(iom_brief_render(&f->rep, &f->rec, path), IOM_EIO);
}

/*
 * Five member states, one of them 20,000 'W' (taller than a page in a
 * column): the list reads one name a line, over a few pages; it once
 * added pages without end.  A status as long runs over pages too.
 */
static void
test_pdf_brief_field_longer_than_a_page_runs_over_pages(void **state)
{
    struct fixture *f = *state;
    const char *states[5] = { "Belize", "Haiti", "Ghana", "Togo", NULL };
    char *word = malloc(20001);
    struct iom_pdf pdf;

    assert_non_null(word);
    memset(word, 'W', 20000);
    word[20000] = '\0';
    states[4] = word;
    f->rec.states = states;
    f->rec.n_states = 5;
    f->rec.status = word;
    assert_int_equal(iom_pdf_open(&pdf, f->path, f->rep.font_regular,
                                  f->rep.font_bold), IOM_OK);
    assert_int_equal(iom_brief_draw(&pdf, &f->rec, NULL), IOM_OK);
    assert_true(pdf.n_pages > 10 && pdf.n_pages < 40);
    assert_int_equal(iom_pdf_save(&pdf), IOM_OK);
    iom_pdf_close(&pdf);
    assert_pdf_file(f->path);
    free(word);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pdf_brief_seed_renders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_brief_empty_optional_fields_render, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_brief_hostile_text_renders,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_brief_missing_font_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_brief_unwritable_path_fails,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_brief_field_longer_than_a_page_runs_over_pages, setup,
            teardown),
    };

    return cmocka_run_group_tests_name("pdf_brief", tests, NULL, NULL);
}
