/*
 * test_outcome: the last line of a run: what it published and mailed, and
 * what a stop signal left (nothing published, or published and some
 * messages still to go).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/outcome.h"
#include "iom/run.h"
#include "iom/stop.h"

#include "fixture.h"

/* A run of label 2001 into 'out' that selected two projects. */
static void
run_of_two(struct iom_run *r)
{
    iom_run_init(r);
    iom_recset_init(&r->rs);
    r->opts.output = "out";
    strcpy(r->label, "2001");
    fixture_add_record(&r->rs, "A-1", "Wells", "Africa", "Labour Migration",
                       2001, 150000, NULL);
    fixture_add_record(&r->rs, "E-1", "Roads", "Europe", "Resettlement",
                       2003, 50000, NULL);
    assert_int_equal(iom_agg_build(&r->rs, &r->opts.sel, &r->agg), IOM_OK);
}

/* The line iom_outcome_done() says, up to its seconds. */
static char *
done_line(const struct iom_run *r)
{
    char *said, *secs;

    fixture_capture_begin(STDERR_FILENO);
    iom_outcome_done(r);
    said = fixture_capture_end();
    secs = strrchr(said, ';');
    assert_non_null(secs);
    assert_non_null(strstr(secs, " s\n"));
    *secs = '\0';
    return said;
}

static char *
stopped_line(const struct iom_run *r)
{
    fixture_capture_begin(STDERR_FILENO);
    iom_outcome_stopped(r);
    return fixture_capture_end();
}

static void
test_outcome_published(void **state)
{
    struct iom_run r;
    char *said;

    (void)state;
    run_of_two(&r);
    r.published = true;
    r.opts.only = IOM_OUT_BRIEFS | IOM_OUT_WORKBOOK;
    r.rej.count = 1;
    said = done_line(&r);
    assert_string_equal(said, "iomreport: published out/2001: 2 briefs, "
                        "workbook; 1 rejected");
    free(said);
    r.rej.count = 0;
    iom_run_release(&r);
}

static void
test_outcome_mailed(void **state)
{
    struct iom_run r;
    char *said;

    (void)state;
    run_of_two(&r);
    r.opts.send = true;
    r.dlv.planned = 3;
    r.dlv.delivered = 1;
    r.dlv.sent = 1;
    said = done_line(&r);
    assert_string_equal(said, "iomreport: mailed out/2001; 1 of 2 messages "
                        "sent (the others went before)");
    free(said);
    r.opts.outbox = "box";
    r.dlv.outboxed = 1;
    said = done_line(&r);
    assert_string_equal(said, "iomreport: mailed out/2001; 1 message "
                        "written to box/");
    free(said);
    iom_run_release(&r);
}

static void
test_outcome_stopped(void **state)
{
    struct iom_run r;
    char *said;

    (void)state;
    iom_stop_catch("testing");
    assert_int_equal(raise(SIGTERM), 0);
    run_of_two(&r);
    said = stopped_line(&r);
    assert_string_equal(said, "iomreport: stopped by signal 15: nothing "
                        "published, previous outputs kept\n");
    free(said);
    r.published = true;
    said = stopped_line(&r);
    assert_string_equal(said, "iomreport: stopped by signal 15: published "
                        "'out/2001'; no message sent, they go with the next "
                        "run (or 'iomreport send 2001')\n");
    free(said);
    r.dlv.planned = 4;
    r.dlv.sent = 1;
    said = stopped_line(&r);
    assert_string_equal(said, "iomreport: stopped by signal 15: published "
                        "'out/2001'; 1 of 4 messages sent, the other 3 go "
                        "with the next run (or 'iomreport send 2001')\n");
    free(said);
    iom_run_release(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outcome_published),
        cmocka_unit_test(test_outcome_mailed),
        cmocka_unit_test(test_outcome_stopped),
    };

    return cmocka_run_group_tests_name("outcome", tests, NULL, NULL);
}
