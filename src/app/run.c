/*
 * run: the pipeline and the decisions about outcome: which exit status,
 * what is written, what is said.  Every stage returns a status; the first
 * failure ends the run through one cleanup path, and nothing is published
 * unless every file was written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/cli.h"
#include "iom/deliver.h"
#include "iom/dryrun.h"
#include "iom/fname.h"
#include "iom/fonts.h"
#include "iom/guard.h"
#include "iom/input.h"
#include "iom/manifest.h"
#include "iom/match.h"
#include "iom/msg.h"
#include "iom/outcome.h"
#include "iom/outputs.h"
#include "iom/publish.h"
#include "iom/rejects.h"
#include "iom/report.h"
#include "iom/run.h"
#include "iom/stop.h"
#include "iom/testpoint.h"
#include "iom/validate.h"

static unsigned long
said(const struct iom_run *r)
{
    return iom_msg_error_count() -
           (unsigned long)(r->rej.count - r->rej.known);
}

/* Name the stage the run enters, for report_silent_failure(). */
void
iom_run_stage(struct iom_run *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->doing, sizeof r->doing, fmt, ap);
    va_end(ap);
    r->said_mark = said(r);
}

/* Every failure is one line saying what failed, even when the code that
 * failed had nothing to say. */
static void
report_silent_failure(const struct iom_run *r, enum iom_status st)
{
    if (st == IOM_OK || st == IOM_EREJECTED || st == IOM_EINTR ||
        r->worker_said || said(r) != r->said_mark)
        return;
    iom_errorf("%s while %s", iom_strerror(st), r->doing);
}

double
iom_run_elapsed(const struct iom_run *r)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->t0.tv_sec) +
           (double)(now.tv_nsec - r->t0.tv_nsec) / 1e9;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) or the current time. */
static enum iom_status
creation_time(int64_t *out)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (!s || !*s) {
        *out = (int64_t)time(NULL);
        return IOM_OK;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL || s[0] == '-' ||
        s[0] == '+' || s[0] == ' ') {
        iom_errorf("SOURCE_DATE_EPOCH '%s' is not a number of seconds "
                   "since 1970", s);
        return IOM_EUSAGE;
    }
    *out = v;
    return IOM_OK;
}

/*
 * Where the run's rejected.csv ends up: in the published run, or beside
 * the label when the run publishes nothing on purpose (--strict, every
 * record rejected, a damaged night; a dry run writes none: its known
 * rejects are in the published run's).
 */
const char *
iom_run_rejects_list(const struct iom_run *r, char out[PATH_MAX])
{
    if (r->withheld || (r->opts.strict && !r->opts.dry_run))
        snprintf(out, PATH_MAX, "%s/.%s.rejected.csv", r->opts.output,
                 r->label);
    else
        snprintf(out, PATH_MAX, "%s/%s/rejected.csv", r->opts.output,
                 r->label);
    return out;
}

/* The run about to be replaced, for --changed-only and the log. */
static enum iom_status
remember_published(struct iom_run *r)
{
    char *prev = iom_publish_current(r->opts.output, r->label);
    enum iom_status st = prev ? iom_deliver_remember(&r->dlv, prev) : IOM_OK;

    free(prev);
    return st;
}

static enum iom_status
deliver(struct iom_run *r)
{
    char *run_dir = iom_publish_current(r->opts.output, r->label);
    enum iom_status st;

    if (!run_dir && errno == ENOMEM)
        return IOM_ENOMEM;
    if (!run_dir) {
        iom_errorf("cannot find the run just published in '%s/%s': %s",
                   r->opts.output, r->label, strerror(errno));
        return IOM_EIO;
    }
    st = iom_deliver_run(&r->dlv, r->opts.output, r->label, run_dir,
                         iom_agg_projects(r->agg), r->names,
                         iom_agg_count(r->agg));
    free(run_dir);
    return st;
}

/*
 * A night the guard withholds (every record lost, far more records than
 * the label's previous run or than --max-rejected allows, far more of
 * its projects) publishes and mails nothing, and says so in one line;
 * the previous run stays.  --strict, which refuses any
 * reject, says it in its own words.
 */
static enum iom_status
withhold_damaged(struct iom_run *r)
{
    struct iom_guard g;
    struct iom_guard_counts prev;
    char why[256], said[400];

    if (r->opts.strict && r->rej.count && !r->opts.dry_run)
        return IOM_OK;
    memset(&g, 0, sizeof g);
    g.now.records = iom_validator_records(r->val);
    g.now.rejected = r->rej.count;
    g.now.selected = iom_agg_count(r->agg);
    g.max_rejected = r->opts.max_rejected;
    g.allow_shrink = r->opts.allow_shrink;
    if (r->prev_known) {
        prev.records = r->prev.records;
        prev.rejected = r->prev.rejected;
        prev.selected = r->prev.selected;
        g.prev = &prev;
    }
    if (iom_guard_check(&g, why, sizeof why) == IOM_OK)
        return IOM_OK;
    if (r->opts.dry_run) {
        iom_errorf("%s: a run would publish nothing", why);
        return IOM_EWITHHELD;
    }
    snprintf(said, sizeof said, "%s: nothing published%s%s", why,
             r->opts.send ? ", nothing mailed" : "",
             r->prev_dir ? "; the previous run stays" : "");
    return iom_outputs_withhold(r, said, IOM_EWITHHELD);
}

static enum iom_status
produce(struct iom_run *r)
{
    enum iom_status st;

    st = iom_stop_check(iom_input_read(r));
    if (st == IOM_OK) {
        iom_run_stage(r, "totalling the selection");
        st = r->opts.dry_run ? iom_agg_finish(r->agg) :
             iom_agg_build(&r->rs, &r->opts.sel, &r->agg);
    }
    if (st == IOM_OK && r->census)
        st = iom_agg_finish(r->census);
    if (st == IOM_OK)
        st = iom_match_spell(r);
    if (st == IOM_EOVERFLOW)
        iom_errorf("the total budget does not fit in 64 bits of cents");
    if (st == IOM_OK)
        st = withhold_damaged(r);
    if (st == IOM_OK && iom_agg_count(r->agg) == 0)
        st = iom_match_explain_none(r);
    if (st != IOM_OK)
        return st;
    if (r->opts.dry_run) {
        iom_dryrun_print(r->selection, iom_validator_records(r->val),
                         iom_validator_accepted(r->val), r->rej.count,
                         r->agg);
        return fflush(stdout) == 0 && !ferror(stdout) ? IOM_OK : IOM_EIO;
    }
    if (r->opts.strict && r->rej.count) {
        char said[96];

        snprintf(said, sizeof said, "%zu records rejected: nothing "
                 "published (--strict)", r->rej.count);
        return iom_outputs_withhold(r, said, IOM_ESTRICT);
    }
    if (r->opts.send) {
        st = iom_deliver_prepare(&r->dlv, r->opts.output, r->label,
                                 r->rs.recs, r->rs.n);
        if (st != IOM_OK) {
            iom_errorf("--send: nothing published, nothing sent");
            return st;
        }
    }
    if (r->opts.only & IOM_PDF_OUTPUTS) {
        iom_run_stage(r, "looking for the fonts");
        st = iom_fonts_find(r->opts.fonts, &r->fonts);
        if (st != IOM_OK)
            return st;
    }
    iom_run_stage(r, "naming the briefs");
    st = iom_fname_build(iom_agg_projects(r->agg), iom_agg_count(r->agg),
                         &r->names, NULL);
    if (st == IOM_OK) {
        iom_run_stage(r, "preparing '%s/%s'", r->opts.output, r->label);
        st = iom_publish_begin(&r->pub, r->opts.output, r->label,
                               r->opts.wait_seconds);
    }
    if (st == IOM_OK) {
        iom_testpoint("locked", NULL);
        iom_run_stage(r, "rendering '%s/%s'", r->opts.output, r->label);
        st = iom_outputs_write(r);
    }
    st = iom_stop_check(st);
    if (st == IOM_OK && r->opts.send)
        st = remember_published(r);
    if (st == IOM_OK) {
        iom_run_stage(r, "publishing '%s/%s'", r->opts.output, r->label);
        iom_testpoint("publishing", NULL);
        st = iom_publish_commit(&r->pub, r->opts.keep);
    }
    r->published = st == IOM_OK;
    if (r->published) {
        iom_stop_published();
        iom_testpoint("published", NULL);
    }
    if (st == IOM_OK && r->opts.send) {
        iom_run_stage(r, "mailing the stakeholders");
        r->send_st = deliver(r);
    }
    return st;
}

/*
 * send LABEL: the projects of a published run, read again from the input
 * its manifest names (or --input) with the selection it records.  The
 * input must be the same bytes, or briefs would be matched to the wrong
 * stakeholders.
 */
static enum iom_status
reload_published(struct iom_run *r, const char *run_dir)
{
    enum iom_status st = iom_manifest_load(run_dir, &r->sent_run);

    if (st == IOM_ENOMEM)
        return st;
    if (st != IOM_OK) {
        iom_errorf("cannot read the manifest '%s/%s' of the published run%s",
                   run_dir, IOM_MANIFEST, st == IOM_EJSON ?
                   ": it is not a manifest of iomreport" : "");
        return IOM_ENOINPUT;
    }
    if (!r->opts.input_given)
        r->opts.input = r->sent_run.input;
    if (!r->opts.encoding)
        r->opts.encoding = r->sent_run.encoding;
    r->opts.decimal_comma |= r->sent_run.decimal_comma;
    /* The command line holds no selection here (cli refuses one): the
     * manifest's becomes the run's, its names still owned by the doc. */
    iom_selection_release(&r->opts.sel);
    r->opts.sel = r->sent_run.sel;
    iom_selection_init(&r->sent_run.sel);
    /* Only titles are needed, for the message text. */
    r->opts.only = 0;
    st = iom_input_read(r);
    if (st == IOM_OK && strcmp(r->sent_run.input_sha256, r->input_sha) != 0) {
        iom_errorf("input '%s' is not the one run '%s' was made from (its "
                   "SHA-256 differs); use --input with that file",
                   r->opts.input, r->label);
        st = IOM_ENOINPUT;
    }
    if (st == IOM_OK)
        st = iom_agg_build(&r->rs, &r->opts.sel, &r->agg);
    if (st == IOM_OK)
        st = iom_fname_build(iom_agg_projects(r->agg), iom_agg_count(r->agg),
                             &r->names, NULL);
    return st;
}

static enum iom_status
send_published(struct iom_run *r)
{
    char *run_dir = NULL, *prev = NULL;
    enum iom_status st;

    iom_run_stage(r, "opening the published run '%s/%s'", r->opts.output,
                  r->label);
    /* Whatever happens now, the run stays published. */
    iom_stop_published();
    st = iom_publish_lock(&r->pub, r->opts.output, r->label,
                          r->opts.wait_seconds);

    if (st == IOM_OK && !(run_dir = iom_publish_current(r->opts.output,
                                                        r->label))) {
        st = errno == ENOMEM ? IOM_ENOMEM : IOM_ENOINPUT;
        if (st == IOM_ENOINPUT)
            iom_errorf("no published run '%s/%s': %s", r->opts.output,
                       r->label, strerror(errno));
    }
    if (st == IOM_OK)
        st = reload_published(r, run_dir);
    if (st == IOM_OK)
        st = iom_deliver_prepare(&r->dlv, r->opts.output, r->label,
                                 r->rs.recs, r->rs.n);
    if (st == IOM_OK &&
        (prev = iom_publish_previous(r->opts.output, r->label, run_dir)))
        st = iom_deliver_remember(&r->dlv, prev);
    if (st == IOM_OK) {
        iom_run_stage(r, "mailing the stakeholders");
        st = iom_deliver_run(&r->dlv, r->opts.output, r->label, run_dir,
                             iom_agg_projects(r->agg), r->names,
                             iom_agg_count(r->agg));
    }
    free(prev);
    free(run_dir);
    return st;
}

void
iom_run_release(struct iom_run *r)
{
    iom_publish_release(&r->pub);
    iom_deliver_release(&r->dlv);
    iom_manifest_doc_release(&r->sent_run);
    iom_manifest_doc_release(&r->prev);
    free(r->prev_dir);
    iom_fonts_release(&r->fonts);
    iom_fonts_release(&r->subset);
    free(r->chars);
    if (r->agg)
        iom_fname_free(r->names, iom_agg_count(r->agg));
    iom_agg_free(r->agg);
    iom_agg_free(r->census);
    iom_validator_free(r->val);
    iom_source_close(&r->src);
    iom_rejects_release(&r->rej);
    iom_rejects_release(&r->warned);
    iom_recset_release(&r->rs);
    free(r->selection);
    iom_opts_release(&r->opts);
}

void
iom_run_init(struct iom_run *r)
{
    memset(r, 0, sizeof *r);
    r->pub.lock_fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    iom_opts_init(&r->opts);
}

/*
 * Standard input, output and error open, on /dev/null where they were
 * closed (a cron line ending in ">&- 2>&-"): else the first files the run
 * opens would take their numbers, and its messages would be written into
 * them (the lock file, a brief).  -1 when that cannot be done.
 */
static int
open_standard_streams(void)
{
    int fd;

    for (fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
        int got;

        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        /* the lowest free number: 'fd', as those below it are open */
        got = open("/dev/null", O_RDWR);
        if (got != fd) {
            if (got >= 0)
                close(got);
            return -1;
        }
    }
    return 0;
}

int
iom_main(int argc, char **argv)
{
    struct iom_run r;
    enum iom_status st = IOM_OK;
    int crash;

    /* Nothing can be said: standard error is one of those closed. */
    if (open_standard_streams() != 0)
        return iom_exit_code(IOM_EIO);
    iom_run_init(&r);
    switch (iom_cli_parse(argc, argv, &r.opts)) {
    case IOM_CLI_HELP:
        fputs(iom_cli_help(), stdout);
        iom_opts_release(&r.opts);
        return fflush(stdout) == 0 ? 0 : iom_exit_code(IOM_EIO);
    case IOM_CLI_VERSION:
        printf("iomreport %s\n", IOM_VERSION);
        iom_opts_release(&r.opts);
        return fflush(stdout) == 0 ? 0 : iom_exit_code(IOM_EIO);
    case IOM_CLI_USAGE:
        iom_errorf("%s", r.opts.error);
        fputs("Try 'iomreport --help' for more information.\n", stderr);
        iom_opts_release(&r.opts);
        return iom_exit_code(IOM_EUSAGE);
    case IOM_CLI_RUN:
        break;
    }
    iom_stop_catch(r.doing);
    iom_run_stage(&r, "starting");
    iom_msg_set_verbosity(r.opts.verbose ? IOM_VERBOSE : IOM_QUIET);
    r.interactive = isatty(STDERR_FILENO);
    r.progress.on = r.opts.progress == 1 ||
                    (r.opts.progress == -1 && r.interactive);
    if (r.opts.label)
        snprintf(r.label, sizeof r.label, "%s", r.opts.label);
    else
        st = iom_selection_label(&r.opts.sel, r.label);
    if (st == IOM_OK)
        st = creation_time(&r.created);
    if (st == IOM_OK)
        st = iom_selection_describe(&r.opts.sel, &r.selection);
    if (r.opts.send) {
        struct iom_deliver_opts d;

        memset(&d, 0, sizeof d);
        d.stakeholders = r.opts.stakeholders;
        d.max_message_bytes = r.opts.max_message_bytes;
        d.changed_only = r.opts.changed_only;
        d.outbox = r.opts.outbox;
        d.stop = iom_stop_flag();
        iom_deliver_init(&r.dlv, &d);
    }
    if (st == IOM_OK && r.opts.send_only)
        st = send_published(&r);
    else if (st == IOM_OK)
        st = produce(&r);
    if (st == IOM_OK && r.rej.count && !r.opts.send_only) {
        /* A night whose rejects are all known prints nothing: cron mails
         * what a run prints.  The exit status still says it. */
        (r.rej.known == r.rej.count ? iom_notef : iom_errorf)(
            "%zu of %zu records rejected (see %s)", r.rej.count,
            iom_validator_records(r.val),
            r.opts.dry_run ? "the lines above" : "rejected.csv");
        st = IOM_EREJECTED;
    }
    /* A delivery that failed says more than rejected projects. */
    if ((st == IOM_OK || st == IOM_EREJECTED) && r.send_st != IOM_OK)
        st = r.send_st;
    if (!iom_stop_signal())
        report_silent_failure(&r, st);
    /* A stop signal can end a blocked call (opening a FIFO) with an error
     * of its own: the signal is the reason the run ended. */
    if (iom_stop_signal() && st != IOM_OK)
        st = IOM_EINTR;
    if (st == IOM_EINTR)
        iom_outcome_stopped(&r);
    else if ((r.interactive || r.opts.verbose) &&
             (r.published || (r.opts.send_only && st == IOM_OK)))
        iom_outcome_done(&r);
    /* A worker's crash ends the run as a crash of its own would. */
    crash = st != IOM_OK && st != IOM_EINTR ? r.worker_crash : 0;
    iom_run_release(&r);
    if (crash)
        return 128 + crash;
    return st == IOM_EINTR ? 128 + iom_stop_signal() : iom_exit_code(st);
}
