/*
 * test_delivery_log: what is appended is found again by a later open,
 * writing a prepared line allocates nothing, a torn last line is skipped
 * and never glued to the next, a message whose fate is unknown is kept
 * apart from those delivered, a planted link and a log that others can
 * change are refused, a failed sync is an error, and what an earlier
 * version logged in a run folder of the same input and selection is
 * taken in once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/delivery_log.h"
#include "iom/manifest.h"
#include "iom/publish.h"
#include "iom/select.h"
#include "iom/sha256.h"

#include "failsync.h"
#include "fixture.h"
#include "oom/failalloc.h"

#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "fedcba9876543210fedcba9876543210"
#define SHA "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static void
entry(struct iom_dlog_entry *e, const char *id, const char *to)
{
    static const char *const paths[] = { "summary.pdf", "briefs/C\xC3\xB4te.pdf" };
    static const char *const shas[] = { SHA, SHA };

    memset(e, 0, sizeof *e);
    e->id = id;
    e->message_id = "<x.iomreport@example.org>";
    e->to = to;
    e->part = 1;
    e->parts = 1;
    e->sent = 1000000000;
    e->run = ".2001.run-20010909T014640.000000000Z";
    e->input_sha256 = SHA;
    e->paths = paths;
    e->sha256 = shas;
    e->n = 2;
}

static void
test_dlog_round_trip(void **state)
{
    char dir[64];
    struct iom_dlog log;
    struct iom_dlog_entry e;
    char *text, path[128];

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_false(iom_dlog_has(&log, ID1));
    entry(&e, ID1, "a@example.org");
    assert_int_equal(iom_dlog_append(&log, &e), IOM_OK);
    assert_true(iom_dlog_has(&log, ID1));
    entry(&e, "not an id", "a@example.org");
    assert_int_equal(iom_dlog_append(&log, &e), IOM_EINVALID);
    iom_dlog_close(&log);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_true(iom_dlog_has(&log, ID1));
    assert_false(iom_dlog_has(&log, ID2));
    iom_dlog_close(&log);
    /* Another label has a log of its own. */
    assert_int_equal(iom_dlog_open(&log, dir, "all"), IOM_OK);
    assert_false(iom_dlog_has(&log, ID1));
    iom_dlog_close(&log);
    snprintf(path, sizeof path, "%s/.2001.delivery.log", dir);
    text = fixture_read_file(path, NULL);
    assert_string_equal(text,
        "{\"id\":\"" ID1 "\",\"message_id\":\"<x.iomreport@example.org>\","
        "\"to\":\"a@example.org\",\"part\":1,\"parts\":1,"
        "\"sent\":\"2001-09-09T01:46:40Z\","
        "\"run\":\".2001.run-20010909T014640.000000000Z\","
        "\"input_sha256\":\"" SHA "\",\"attachments\":["
        "{\"path\":\"summary.pdf\",\"sha256\":\"" SHA "\"},"
        "{\"path\":\"briefs/C\xC3\xB4te.pdf\",\"sha256\":\"" SHA "\"}]}\n");
    free(text);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* Once the server has accepted a message, writing its line allocates
 * nothing: an allocation failing there would leave the message unlogged,
 * to be sent again.  Past the identities' first capacity too. */
static void
test_dlog_commit_allocates_nothing(void **state)
{
    char dir[64], id[IOM_DLOG_ID_LEN + 1];
    struct iom_dlog log;
    struct iom_dlog_entry e;
    struct iom_dlog_line line;
    unsigned k;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    for (k = 0; k < 40; k++) {
        /* Not in order: each goes to its place among the others. */
        snprintf(id, sizeof id, "%032x", (k * 7919u) % 40);
        entry(&e, id, "a@example.org");
        assert_int_equal(iom_dlog_prepare(&log, &e, &line), IOM_OK);
        failalloc_arm(1);
        assert_int_equal(iom_dlog_commit(&log, &line), IOM_OK);
        assert_false(failalloc_fired());
        failalloc_arm(0);
        iom_dlog_line_release(&line);
    }
    for (k = 0; k < 40; k++) {
        snprintf(id, sizeof id, "%032x", k);
        assert_true(iom_dlog_has(&log, id));
    }
    iom_dlog_close(&log);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_int_equal(log.n, 40);
    iom_dlog_close(&log);
    fixture_rmtree(dir);
}

/* A crash mid-line leaves a torn line: skipped, and the next append
 * starts on a line of its own. */
static void
test_dlog_torn_line(void **state)
{
    char dir[64];
    struct iom_dlog log;
    struct iom_dlog_entry e;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    fixture_write_file(dir, ".2001.delivery.log",
                       "{\"id\":\"" ID1 "\"}\n{\"id\":\"" ID2);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_true(iom_dlog_has(&log, ID1));
    assert_false(iom_dlog_has(&log, ID2));
    entry(&e, ID2, "b@example.org");
    assert_int_equal(iom_dlog_append(&log, &e), IOM_OK);
    iom_dlog_close(&log);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_true(iom_dlog_has(&log, ID1));
    assert_true(iom_dlog_has(&log, ID2));
    iom_dlog_close(&log);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* A message whose fate is unknown is neither delivered nor forgotten,
 * also after the log is read again. */
static void
test_dlog_unsure_is_kept_apart(void **state)
{
    char dir[64], path[128];
    struct iom_dlog log;
    struct iom_dlog_entry e;
    char *text;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    entry(&e, ID1, "a@example.org");
    e.unsure = true;
    assert_int_equal(iom_dlog_append(&log, &e), IOM_OK);
    entry(&e, ID2, "b@example.org");
    assert_int_equal(iom_dlog_append(&log, &e), IOM_OK);
    assert_false(iom_dlog_has(&log, ID1));
    assert_true(iom_dlog_unsure(&log, ID1));
    assert_false(iom_dlog_unsure(&log, ID2));
    iom_dlog_close(&log);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    assert_false(iom_dlog_has(&log, ID1));
    assert_true(iom_dlog_unsure(&log, ID1));
    assert_true(iom_dlog_has(&log, ID2));
    assert_false(iom_dlog_unsure(&log, ID2));
    iom_dlog_close(&log);
    snprintf(path, sizeof path, "%s/.2001.delivery.log", dir);
    text = fixture_read_file(path, NULL);
    assert_non_null(strstr(text, "}],\"fate\":\"unknown\"}\n{"));
    free(text);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* A link planted at the log's path is not followed. */
static void
test_dlog_refuses_symlink(void **state)
{
    char dir[64], link[128], victim[128];
    struct iom_dlog log;
    char *text;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    fixture_write_file(dir, "victim", "keep");
    snprintf(link, sizeof link, "%s/.2001.delivery.log", dir);
    snprintf(victim, sizeof victim, "%s/victim", dir);
    assert_int_equal(symlink(victim, link), 0);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_ECANTCREAT);
    iom_dlog_close(&log);
    text = fixture_read_file(victim, NULL);
    assert_string_equal(text, "keep");
    free(text);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* 'fn' on the log of "2001" in 'dir' is refused, saying 'why'. */
static void
refused(enum iom_status (*fn)(const char *, const char *), const char *dir,
        const char *why)
{
    char exp[512], *err;

    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(fn(dir, "2001"), IOM_ECANTCREAT);
    err = fixture_capture_end();
    snprintf(exp, sizeof exp, "iomreport: cannot use the delivery log "
             "'%s/.2001.delivery.log': %s\n", dir, why);
    assert_string_equal(err, exp);
    free(err);
}

static enum iom_status
open_and_close(const char *dir, const char *label)
{
    struct iom_dlog log;
    enum iom_status st = iom_dlog_open(&log, dir, label);

    iom_dlog_close(&log);
    return st;
}

/* A log that someone else can change is refused, by the check before
 * publishing as when it is opened: writable by group or others, with
 * another hard link, owned by another user (tried as root only, who
 * alone can give a file away). */
static void
test_dlog_refuses_a_log_others_can_change(void **state)
{
    char dir[64], path[128], other[128], why[96];

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    snprintf(path, sizeof path, "%s/.2001.delivery.log", dir);
    snprintf(other, sizeof other, "%s/other-name", dir);
    /* None yet: nothing to refuse, and the check makes none. */
    assert_int_equal(iom_dlog_check(dir, "2001"), IOM_OK);
    assert_int_equal(access(path, F_OK), -1);
    fixture_write_file(dir, ".2001.delivery.log", "");
    assert_int_equal(chmod(path, 0666), 0);
    refused(iom_dlog_check, dir, "writable by group or others (mode 0666)");
    refused(open_and_close, dir, "writable by group or others (mode 0666)");
    assert_int_equal(chmod(path, 0620), 0);
    refused(iom_dlog_check, dir, "writable by group or others (mode 0620)");
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(iom_dlog_check(dir, "2001"), IOM_OK);
    assert_int_equal(link(path, other), 0);
    refused(iom_dlog_check, dir, "it has 2 hard links");
    refused(open_and_close, dir, "it has 2 hard links");
    assert_int_equal(unlink(other), 0);
    assert_int_equal(open_and_close(dir, "2001"), IOM_OK);
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 65534, (gid_t)-1), 0);
        snprintf(why, sizeof why, "owned by uid 65534, not by uid 0, who "
                 "runs iomreport");
        refused(iom_dlog_check, dir, why);
        refused(open_and_close, dir, why);
    } else {
        print_message("not root: a log owned by another user not tried\n");
    }
    fixture_rmtree(dir);
}

/* DIR/NAME, a run folder of input SHA and 'selection' whose old
 * delivery.log says one message went to "A@Example.org"; its manifest
 * into 'man'. */
static void
old_run(const char *dir, const char *name, const char *selection,
        char *run, size_t size, struct iom_manifest_doc *man)
{
    static const char line[] =
        "{\"to\": \"A@Example.org\", \"message_id\": \"<m@x>\", "
        "\"part\": 1, \"parts\": 1, \"sent\": \"2001-09-09T01:46:40Z\", "
        "\"attachments\": [{\"path\": \"summary.pdf\", \"sha256\": \""
        SHA "\"}]}\n";
    struct iom_selection sel;
    struct iom_manifest m;

    snprintf(run, size, "%s/%s", dir, name);
    assert_int_equal(iom_make_dirs(run, "run folder"), IOM_OK);
    fixture_write_file(run, "delivery.log", line);
    iom_selection_init(&sel);
    memset(&m, 0, sizeof m);
    m.input = "-";
    m.input_sha256 = SHA;
    m.label = "t";
    m.selection = selection;
    m.sel = &sel;
    assert_int_equal(iom_manifest_write(run, &m), IOM_OK);
    assert_int_equal(iom_manifest_load(run, man), IOM_OK);
}

static void
test_dlog_imports_an_old_run_log(void **state)
{
    char dir[64], run[128], id[IOM_DLOG_ID_LEN + 1];
    struct iom_manifest_doc man;
    struct iom_dlog log;
    struct iom_sha256 h;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    old_run(dir, "run1", "2001", run, sizeof run, &man);
    iom_dlog_id_begin(&h, "t", &man, "a@example.org", 1, 1);
    iom_dlog_id_path(&h, "summary.pdf");
    iom_dlog_id_end(&h, id);
    assert_int_equal(iom_dlog_open(&log, dir, "t"), IOM_OK);
    assert_int_equal(iom_dlog_import(&log, dir, "t", run, &man), IOM_OK);
    assert_true(iom_dlog_has(&log, id));
    assert_int_equal(log.n, 1);
    /* Taken in once: a second import finds it there. */
    assert_int_equal(iom_dlog_import(&log, dir, "t", run, &man), IOM_OK);
    assert_int_equal(log.n, 1);
    iom_dlog_close(&log);
    assert_int_equal(iom_dlog_open(&log, dir, "t"), IOM_OK);
    assert_true(iom_dlog_has(&log, id));
    iom_dlog_close(&log);
    iom_manifest_doc_release(&man);
    fixture_rmtree(dir);
}

/* Another selection's messages are other messages: none taken in. */
static void
test_dlog_import_skips_another_selection(void **state)
{
    char dir[64], run[128], other_run[128];
    struct iom_manifest_doc man, other;
    struct iom_dlog log;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    old_run(dir, "run1", "2001", run, sizeof run, &man);
    old_run(dir, "run2", "2002", other_run, sizeof other_run, &other);
    assert_int_equal(iom_dlog_open(&log, dir, "t"), IOM_OK);
    assert_int_equal(iom_dlog_import(&log, dir, "t", run, &other), IOM_OK);
    assert_int_equal(log.n, 0);
    iom_dlog_close(&log);
    iom_manifest_doc_release(&man);
    iom_manifest_doc_release(&other);
    fixture_rmtree(dir);
}

/* A sync that fails is an error naming the log or its folder: the line
 * (or the log's name) may not survive a crash, so the message would be
 * sent again. */
static void
test_dlog_failed_sync_is_reported(void **state)
{
    char dir[64], exp[256], *err;
    struct iom_dlog log;
    struct iom_dlog_entry e;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_dlog");
    failsync_fsync(1, EIO);
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_EIO);
    err = fixture_capture_end();
    snprintf(exp, sizeof exp, "iomreport: cannot sync '%s': %s\n", dir,
             strerror(EIO));
    assert_string_equal(err, exp);
    free(err);
    iom_dlog_close(&log);
    /* The log exists now: opened again, there is no folder to sync. */
    assert_int_equal(iom_dlog_open(&log, dir, "2001"), IOM_OK);
    entry(&e, ID1, "a@example.org");
    failsync_fsync(1, EIO);
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_dlog_append(&log, &e), IOM_EIO);
    err = fixture_capture_end();
    snprintf(exp, sizeof exp, "iomreport: cannot sync the delivery log "
             "'%s/.2001.delivery.log': %s\n", dir, strerror(EIO));
    assert_string_equal(err, exp);
    free(err);
    assert_false(iom_dlog_has(&log, ID1));
    iom_dlog_close(&log);
    fixture_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dlog_round_trip),
        cmocka_unit_test(test_dlog_commit_allocates_nothing),
        cmocka_unit_test(test_dlog_torn_line),
        cmocka_unit_test(test_dlog_unsure_is_kept_apart),
        cmocka_unit_test(test_dlog_refuses_symlink),
        cmocka_unit_test(test_dlog_refuses_a_log_others_can_change),
        cmocka_unit_test(test_dlog_imports_an_old_run_log),
        cmocka_unit_test(test_dlog_import_skips_another_selection),
        cmocka_unit_test(test_dlog_failed_sync_is_reported),
    };

    return cmocka_run_group_tests_name("delivery_log", tests, NULL, NULL);
}
