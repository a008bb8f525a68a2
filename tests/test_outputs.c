/*
 * test_outputs: a run's files in its staging folder (the workbook,
 * rejected.csv, manifest.json listing them), and --strict's rejected.csv
 * beside the label with nothing published.
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
#include "iom/fname.h"
#include "iom/input.h"
#include "iom/manifest.h"
#include "iom/outputs.h"
#include "iom/publish.h"
#include "iom/run.h"

#include "fixture.h"

/* A run of 'input' into 'dir' that has read and totalled it. */
static void
run_read(struct iom_run *r, const char *input, char *dir, size_t size)
{
    fixture_run_init(r, input, dir, size);
    r->opts.jobs = 1;
    r->selection = strdup("all projects");
    assert_non_null(r->selection);
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_input_read(r), IOM_OK);
    free(fixture_capture_end());
    assert_int_equal(iom_agg_build(&r->rs, &r->opts.sel, &r->agg), IOM_OK);
    assert_int_equal(iom_fname_build(iom_agg_projects(r->agg),
                                     iom_agg_count(r->agg), &r->names, NULL),
                     IOM_OK);
}

static void
test_outputs_written_and_listed(void **state)
{
    struct iom_run r;
    struct iom_manifest_doc doc;
    char dir[256];

    (void)state;
    run_read(&r, "tests/data/good_minimal.csv", dir, sizeof dir);
    assert_int_equal(iom_publish_begin(&r.pub, dir, r.label, 0), IOM_OK);
    assert_int_equal(iom_outputs_write(&r), IOM_OK);
    assert_int_equal(iom_manifest_load(r.pub.staging, &doc), IOM_OK);
    assert_int_equal(doc.n_files, 3);
    assert_non_null(iom_manifest_find(&doc, "rejected.csv"));
    assert_non_null(iom_manifest_find(&doc, "warnings.csv"));
    assert_non_null(iom_manifest_find(&doc, "rollup.xlsx"));
    assert_int_equal(doc.accepted, 3);
    iom_manifest_doc_release(&doc);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

static void
test_outputs_strict_lists_rejects_beside_the_label(void **state)
{
    struct iom_run r;
    char dir[256], *where, *said, *text;

    (void)state;
    run_read(&r, "tests/data/bad_records.csv", dir, sizeof dir);
    r.opts.strict = true;
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_outputs_withhold(&r, "17 records rejected: "
                                          "nothing published (--strict)",
                                          IOM_ESTRICT), IOM_ESTRICT);
    said = fixture_capture_end();
    where = iom_strf("%s/.t.rejected.csv", dir);
    assert_non_null(where);
    assert_non_null(strstr(said, "records rejected: nothing published "
                                 "(--strict); they are listed in "));
    assert_non_null(strstr(said, where));
    text = fixture_read_file(where, NULL);
    assert_true(strlen(text) > 0);
    free(text);
    free(where);
    free(said);
    iom_run_release(&r);
    fixture_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_written_and_listed),
        cmocka_unit_test(test_outputs_strict_lists_rejects_beside_the_label),
    };

    return cmocka_run_group_tests_name("outputs", tests, NULL, NULL);
}
