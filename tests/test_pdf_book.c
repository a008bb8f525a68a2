/*
 * pdf_book: a book of three projects renders; when libharu fails while the
 * book draws a project (a link it refuses, tests/failpdf.h), the one
 * message names the file and that project.  The pages, links and outline
 * are checked end to end by tests/check_book.py.
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
#include "iom/pdf_book.h"

#include "failpdf.h"
#include "fixture.h"

struct fixture {
    char dir[64];
    char path[96];
    struct fixture_agg set;
    struct iom_report rep;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    fixture_tmpdir(f->dir, sizeof f->dir, "test_pdf_book");
    snprintf(f->path, sizeof f->path, "%s/book.pdf", f->dir);
    fixture_agg_init(&f->set);
    fixture_report_init(&f->rep, "all", "All years");
    /* by budget: CE.0134, QD6-805, T81-805 */
    fixture_add_record(&f->set.rs, "T81-805", "International Migration "
                       "Policy Seminar for the Caribbean Region",
                       "Latin America and the Caribbean",
                       "Migration Policy Activities", 2001, 3745000, NULL);
    fixture_add_record(&f->set.rs, "QD6-805", "Capacity Building in "
                       "Migration Management", "Africa", "TCMMCB", 2001,
                       11230050, "Ghana;Togo");
    fixture_add_record(&f->set.rs, "CE.0134", "Community Stabilization",
                       "Africa", "Labour Migration", 2003, 23000000, NULL);
    f->rep.agg = fixture_agg_build(&f->set);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    failpdf_link(0);
    fixture_agg_release(&f->set);
    fixture_rmtree(f->dir);
    free(f);
    return 0;
}

static void
test_pdf_book_renders(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(iom_book_render(&f->rep, f->path), IOM_OK);
    assert_true(fixture_assert_pdf(f->path) > 1000);
}

/* What iom_book_render() says on standard error, and what it returns. */
static char *
render_saying(struct fixture *f, enum iom_status *got)
{
    FILE *err = tmpfile();
    int saved = dup(STDERR_FILENO);
    char *said;

    assert_non_null(err);
    assert_true(saved >= 0);
    fflush(stderr);
    assert_true(dup2(fileno(err), STDERR_FILENO) >= 0);
    *got = iom_book_render(&f->rep, f->path);
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    rewind(err);
    said = fixture_read_stream(err, NULL);
    fclose(err);
    return said;
}

static void
test_pdf_book_failure_names_the_project(void **state)
{
    struct fixture *f = *state;
    enum iom_status got;
    char *said, *want;

    failpdf_link(2);            /* the link of the second row: QD6-805 */
    said = render_saying(f, &got);
    assert_int_equal(got, IOM_EPDF);
    want = iom_strf("iomreport: cannot render '%s': project QD6-805: "
                    "libharu error 0x1057 (detail 0)\n", f->path);
    assert_string_equal(said, want);
    free(want);
    free(said);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pdf_book_renders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_book_failure_names_the_project, setup, teardown),
    };

    return cmocka_run_group_tests_name("pdf_book", tests, NULL, NULL);
}
