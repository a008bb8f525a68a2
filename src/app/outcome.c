/*
 * outcome: the run's last line.
 */
#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/deliver.h"
#include "iom/msg.h"
#include "iom/outcome.h"
#include "iom/run.h"
#include "iom/stop.h"

/*
 * The last line of a run a person watches (on a terminal, or with -v):
 * what was published where, what was mailed, and how long it took, e.g.
 * "published output/2001: 10 briefs, summary, workbook; 0 rejected; 1.2 s".
 */
void
iom_outcome_done(const struct iom_run *r)
{
    const struct iom_deliver *d = &r->dlv;
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st;
    unsigned only = r->opts.only;

    if (r->published) {
        st = iom_buf_addf(&b, "published %s/%s:", r->opts.output, r->label);
        if (st == IOM_OK && (only & IOM_OUT_BRIEFS))
            st = iom_buf_addf(&b, " %zu brief%s,", iom_agg_count(r->agg),
                              iom_agg_count(r->agg) == 1 ? "" : "s");
        if (st == IOM_OK && (only & IOM_OUT_SUMMARY))
            st = iom_buf_adds(&b, " summary,");
        if (st == IOM_OK && (only & IOM_OUT_WORKBOOK))
            st = iom_buf_adds(&b, " workbook,");
        if (st == IOM_OK && (only & IOM_OUT_BOOK))
            st = iom_buf_adds(&b, " book,");
        if (st == IOM_OK) {
            b.data[--b.len] = '\0';      /* the last comma */
            st = iom_buf_addf(&b, "; %zu rejected", r->rej.count);
        }
    } else {
        st = iom_buf_addf(&b, "mailed %s/%s", r->opts.output, r->label);
    }
    if (st == IOM_OK && r->opts.outbox)
        st = iom_buf_addf(&b, "; %zu message%s written to %s/",
                          d->outboxed, d->outboxed == 1 ? "" : "s",
                          r->opts.outbox);
    else if (st == IOM_OK && r->opts.send)
        st = iom_buf_addf(&b, "; %zu of %zu message%s sent%s", d->sent,
                          d->planned - d->delivered,
                          d->planned - d->delivered == 1 ? "" : "s",
                          d->delivered ? " (the others went before)" : "");
    if (st == IOM_OK)
        iom_infof("%s; %.1f s", b.data, iom_run_elapsed(r));
    iom_buf_release(&b);
}

/* What is true when a stop signal ended the run: said in one line. */
void
iom_outcome_stopped(const struct iom_run *r)
{
    const struct iom_deliver *d = &r->dlv;
    size_t done = d->delivered + d->sent + d->outboxed;

    if (!r->published && !r->opts.send_only) {
        iom_errorf("stopped by signal %d: nothing published, previous "
                   "outputs kept", (int)iom_stop_signal());
        return;
    }
    if (d->planned == 0) {
        iom_errorf("stopped by signal %d: published '%s/%s'; no message "
                   "sent, they go with the next run (or 'iomreport send "
                   "%s')", (int)iom_stop_signal(), r->opts.output, r->label,
                   r->label);
        return;
    }
    iom_errorf("stopped by signal %d: %s'%s/%s'; %zu of %zu messages sent, "
               "the other %zu go with the next run (or 'iomreport send %s')",
               (int)iom_stop_signal(), r->published ? "published " :
               "delivering ", r->opts.output, r->label, done, d->planned,
               d->planned - done, r->label);
}
