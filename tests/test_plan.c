/*
 * test_plan: what each stakeholder gets (its Send column, the briefs of
 * its projects in the order of their IDs, with --changed-only only what
 * changed), cut into parts under the size limit, each with the identity
 * the delivery log knows it by.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "iom/delivery_log.h"
#include "iom/manifest.h"
#include "iom/plan.h"
#include "iom/stakeholders.h"

#include "fixture.h"

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" \
              "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* The run: three projects, their briefs and two documents listed. */
struct world {
    struct iom_recset rs;
    const struct iom_record *recs[3];
    char *names[3];
    struct iom_manifest_file files[5];
    struct iom_manifest_doc man;
    struct iom_plans pl;
};

static void
file(struct iom_manifest_file *f, const char *path, uint64_t bytes,
     const char *sha)
{
    f->path = (char *)path;
    f->bytes = bytes;
    memcpy(f->sha256, sha, 65);
}

static int
setup(void **state)
{
    static char b2[] = "B-2.pdf", a1[] = "A-1.pdf", e1[] = "E-1.pdf";
    static char *names[] = { b2, a1, e1 };
    struct world *w = calloc(1, sizeof *w);
    size_t i;

    if (!w)
        return -1;
    iom_recset_init(&w->rs);
    fixture_add_record(&w->rs, "B-2", "Wells", "Africa", "T", 2001, 100,
                       NULL);
    fixture_add_record(&w->rs, "A-1", "Roads", "Africa", "T", 2001, 100,
                       NULL);
    fixture_add_record(&w->rs, "E-1", "Ports", "Europe", "T", 2001, 100,
                       NULL);
    for (i = 0; i < 3; i++) {
        w->recs[i] = &w->rs.recs[i];
        w->names[i] = names[i];
    }
    file(&w->files[0], "briefs/A-1.pdf", 100000, SHA_A);
    file(&w->files[1], "briefs/B-2.pdf", 100000, SHA_A);
    file(&w->files[2], "briefs/E-1.pdf", 100000, SHA_A);
    file(&w->files[3], "rollup.xlsx", 200000, SHA_A);
    file(&w->files[4], "summary.pdf", 50000, SHA_A);
    w->man.files = w->files;
    w->man.n_files = 5;
    memcpy(w->man.input_sha256, SHA_B, 65);
    w->man.selection = (char *)"2001";
    w->pl.label = "2001";
    w->pl.man = &w->man;
    w->pl.max_message_bytes = 20 * 1000 * 1000;
    w->pl.recs = w->recs;
    w->pl.n_recs = 3;
    *state = w;
    return 0;
}

static int
teardown(void **state)
{
    struct world *w = *state;

    iom_plans_release(&w->pl);
    iom_recset_release(&w->rs);
    free(w);
    return 0;
}

static struct iom_stakeholder
africa(unsigned send)
{
    static char region[] = "Africa", name[] = "Ama";
    static char email[] = "Ama@Example.org";
    static char *regions[] = { region };
    struct iom_stakeholder s;

    memset(&s, 0, sizeof s);
    s.name = name;
    s.email = email;
    s.regions = regions;
    s.n_regions = 1;
    s.send = send;
    return s;
}

static void
test_plan_sends_what_the_send_column_names(void **state)
{
    struct world *w = *state;
    struct iom_stakeholder s = africa(IOM_SEND_SUMMARY | IOM_SEND_BRIEFS);
    const struct iom_plan *p;
    struct iom_sha256 h;
    char id[IOM_DLOG_ID_LEN + 1];

    assert_int_equal(iom_plan_files(&w->pl, w->names), IOM_OK);
    assert_int_equal(w->pl.n_all, 5);
    assert_int_equal(iom_plan_stakeholder(&w->pl, &s), IOM_OK);
    assert_int_equal(w->pl.n_plans, 1);
    p = &w->pl.plans[0];
    assert_int_equal(p->n, 3);
    assert_int_equal(p->part, 1);
    assert_int_equal(p->parts, 1);
    /* The documents, then the briefs in the order of their IDs. */
    assert_string_equal(p->atts[0]->path, "summary.pdf");
    assert_string_equal(p->atts[1]->path, "briefs/A-1.pdf");
    assert_string_equal(p->atts[2]->path, "briefs/B-2.pdf");
    assert_string_equal(p->atts[1]->rec->id, "A-1");
    /* Its identity is the one the log computes. */
    iom_dlog_id_begin(&h, "2001", &w->man, "ama@example.org", 1, 1);
    iom_dlog_id_path(&h, "summary.pdf");
    iom_dlog_id_path(&h, "briefs/A-1.pdf");
    iom_dlog_id_path(&h, "briefs/B-2.pdf");
    iom_dlog_id_end(&h, id);
    assert_string_equal(p->id, id);
    assert_string_equal(iom_plan_doc_what("rollup.xlsx"), "roll-up workbook");
}

static void
test_plan_cuts_parts_under_the_limit(void **state)
{
    struct world *w = *state;
    struct iom_stakeholder s = africa(IOM_SEND_SUMMARY | IOM_SEND_BRIEFS);
    size_t k;

    /* Room for one brief and a bit: every file goes alone. */
    w->pl.max_message_bytes = 150000;
    assert_int_equal(iom_plan_files(&w->pl, w->names), IOM_OK);
    assert_int_equal(iom_plan_stakeholder(&w->pl, &s), IOM_OK);
    assert_int_equal(w->pl.n_plans, 3);
    for (k = 0; k < 3; k++) {
        assert_int_equal(w->pl.plans[k].n, 1);
        assert_int_equal(w->pl.plans[k].part, k + 1);
        assert_int_equal(w->pl.plans[k].parts, 3);
    }
    assert_string_not_equal(w->pl.plans[0].id, w->pl.plans[1].id);
    assert_string_not_equal(w->pl.plans[1].id, w->pl.plans[2].id);
}

static void
test_plan_changed_only_leaves_out_the_same_files(void **state)
{
    struct world *w = *state;
    struct iom_stakeholder s = africa(IOM_SEND_WORKBOOK | IOM_SEND_BRIEFS);
    struct iom_manifest_file old[2];
    struct iom_manifest_doc prev;

    memset(&prev, 0, sizeof prev);
    file(&old[0], "briefs/A-1.pdf", 100000, SHA_A);
    file(&old[1], "rollup.xlsx", 200000, SHA_B);
    prev.files = old;
    prev.n_files = 2;
    w->pl.prev = &prev;
    w->pl.changed_only = true;
    assert_int_equal(iom_plan_files(&w->pl, w->names), IOM_OK);
    assert_int_equal(iom_plan_stakeholder(&w->pl, &s), IOM_OK);
    assert_int_equal(w->pl.n_plans, 1);
    /* rollup.xlsx changed, B-2's brief is new, A-1's is the same. */
    assert_int_equal(w->pl.plans[0].n, 2);
    assert_string_equal(w->pl.plans[0].atts[0]->path, "rollup.xlsx");
    assert_string_equal(w->pl.plans[0].atts[1]->path, "briefs/B-2.pdf");
}

static void
test_plan_nothing_to_send_plans_nothing(void **state)
{
    struct world *w = *state;
    struct iom_stakeholder s = africa(IOM_SEND_BOOK);

    assert_int_equal(iom_plan_files(&w->pl, w->names), IOM_OK);
    assert_int_equal(iom_plan_stakeholder(&w->pl, &s), IOM_OK);
    assert_int_equal(w->pl.n_plans, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_plan_sends_what_the_send_column_names, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_cuts_parts_under_the_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_changed_only_leaves_out_the_same_files, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_nothing_to_send_plans_nothing, setup, teardown),
    };

    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
