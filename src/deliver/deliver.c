/*
 * deliver: prepare, then compose and send (or write) every planned message
 * (plan.h) that the label's log (delivery_log.h) does not hold, and log
 * each one the server accepted.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "iom/buf.h"
#include "iom/deliver.h"
#include "iom/delivery_log.h"
#include "iom/mime.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/notes.h"
#include "iom/plan.h"
#include "iom/publish.h"
#include "iom/report.h"
#include "iom/sha256.h"

/* Bytes of the recipient's address kept in an outbox file name: with a
 * label of 63 bytes, the digest, the widest part numbers and ".eml", the
 * name stays within the 255 bytes a file name may have. */
#define OUTBOX_NAME_MAX 120

/* Everything one delivery works with. */
struct job {
    struct iom_deliver *d;
    const char *label;
    const char *run_dir;
    const char *run_name;          /* its last path component */
    struct iom_manifest_doc man;
    struct iom_dlog log;
    struct iom_smtp *smtp;
    const struct iom_record *const *recs;
    size_t n_recs;
    int64_t run_cents;
    struct iom_plans pl;
};

void
iom_deliver_init(struct iom_deliver *d, const struct iom_deliver_opts *o)
{
    memset(d, 0, sizeof *d);
    d->o = *o;
}

void
iom_deliver_release(struct iom_deliver *d)
{
    iom_stakeholders_release(&d->who);
    iom_smtp_config_release(&d->cfg);
    if (d->have_prev)
        iom_manifest_doc_release(&d->prev);
    memset(d, 0, sizeof *d);
}

/* ---- before publishing ---- */

static bool
region_in_input(const char *name, const struct iom_record *recs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcasecmp(recs[i].region, name) == 0)
            return true;
    return false;
}

static bool
state_in_input(const char *name, const struct iom_record *recs, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++)
        for (k = 0; k < recs[i].n_states; k++)
            if (strcasecmp(recs[i].states[k], name) == 0)
                return true;
    return false;
}

/* A name no project carries is most likely a typo: it matches nothing. */
static void
warn_unmatched(const struct iom_deliver *d, const struct iom_record *recs,
               size_t n)
{
    size_t i, k;

    for (i = 0; i < d->who.n; i++) {
        const struct iom_stakeholder *w = &d->who.v[i];

        for (k = 0; k < w->n_regions; k++)
            if (!region_in_input(w->regions[k], recs, n))
                iom_warnf("%s:%lu: Regions: '%s' matches no project of "
                          "the input", d->o.stakeholders, w->line,
                          w->regions[k]);
        for (k = 0; k < w->n_states; k++)
            if (!state_in_input(w->states[k], recs, n))
                iom_warnf("%s:%lu: Member States: '%s' matches no project "
                          "of the input", d->o.stakeholders, w->line,
                          w->states[k]);
    }
}

enum iom_status
iom_deliver_prepare(struct iom_deliver *d, const char *output,
                    const char *label, const struct iom_record *recs,
                    size_t n)
{
    enum iom_status st = iom_smtp_config_load(&d->cfg, d->o.outbox == NULL);

    d->cfg.stop = d->o.stop;
    if (st == IOM_OK && d->o.outbox)
        st = iom_make_dirs(d->o.outbox, "outbox");
    if (st == IOM_OK && !d->o.outbox)
        st = iom_dlog_check(output, label);
    if (st == IOM_OK)
        st = iom_stakeholders_read(d->o.stakeholders, &d->who);
    if (st == IOM_OK && d->who.rejected) {
        iom_errorf("%s: %zu stakeholder record%s rejected", d->o.stakeholders,
                   d->who.rejected, d->who.rejected == 1 ? "" : "s");
        st = IOM_EREJECTED;
    }
    if (st == IOM_OK)
        warn_unmatched(d, recs, n);
    return st;
}

enum iom_status
iom_deliver_remember(struct iom_deliver *d, const char *dir)
{
    enum iom_status st = iom_manifest_load(dir, &d->prev);

    if (st == IOM_OK) {
        d->have_prev = true;
        return IOM_OK;
    }
    iom_manifest_doc_release(&d->prev);
    return st == IOM_ENOMEM ? st : IOM_OK;
}

/* ---- one message ---- */

static void
message_id(const struct job *j, const struct iom_plan *p, char out[160])
{
    const char *from = j->d->cfg.from, *at = from ? strrchr(from, '@') : NULL;

    snprintf(out, 160, "<%s.iomreport@%.100s>", p->id,
             at ? at + 1 : "localhost");
}

static enum iom_status
add_list(struct iom_buf *b, const char *what, char *const *v, size_t n)
{
    enum iom_status st = iom_buf_addf(b, "%s: ", what);
    size_t i;

    if (st == IOM_OK && n == 0)
        st = iom_buf_adds(b, "all");
    for (i = 0; i < n && st == IOM_OK; i++)
        st = iom_buf_addf(b, "%s%s", i ? "; " : "", v[i]);
    return st;
}

static enum iom_status
write_body(const struct job *j, const struct iom_plan *p, struct iom_buf *b)
{
    const struct iom_manifest_doc *m = &j->man;
    struct iom_buf words = IOM_BUF_INIT;
    char money[IOM_MONEY_TEXT_MAX];
    int64_t cents = 0;
    size_t i, count = 0;
    enum iom_status st;

    for (i = 0; i < j->n_recs; i++) {
        if (iom_stakeholder_matches(p->who, j->recs[i])) {
            count++;
            cents += j->recs[i]->budget_cents;
        }
    }
    st = iom_buf_addf(b, "Dear %s,\n\nattached are the IOM Development "
                      "Fund reports for %s", p->who->name, m->selection);
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(b, " (message %zu of %zu)", p->part, p->parts);
    if (st == IOM_OK)
        st = iom_buf_addf(b, ".\n\nProjects: %zu, total budget USD %s\n",
                          j->n_recs, iom_money_format(j->run_cents, money));
    if (st == IOM_OK)
        st = iom_notes_rejected(m->records, m->accepted, m->rejected, &words);
    if (st == IOM_OK && words.len)
        st = iom_buf_addf(b, "  (%s)\n", words.data);
    if (st == IOM_OK)
        st = iom_buf_addf(b, "Projects for you: %zu, total budget USD %s\n"
                          "  (", count, iom_money_format(cents, money));
    if (st == IOM_OK)
        st = add_list(b, "IDF Regions", p->who->regions,
                      p->who->n_regions);
    if (st == IOM_OK)
        st = add_list(b, "; Member States", p->who->states,
                      p->who->n_states);
    if (st == IOM_OK)
        st = iom_buf_addf(b, ")\n\nSource: %s (SHA-256 %.12s...): %zu "
                          "records read, %zu accepted, %zu rejected%s\n",
                          iom_path_base(m->input), m->input_sha256, m->records,
                          m->accepted, m->rejected, m->rejected ?
                          " (listed in rejected.csv beside the reports)" :
                          "");
    if (st == IOM_OK)
        st = iom_buf_adds(b, "\nAttached (the briefs in the order of their "
                          "project IDs):\n");
    for (i = 0; i < p->n && st == IOM_OK; i++) {
        const struct iom_att *a = p->atts[i];

        if (a->rec)
            st = iom_buf_addf(b, "  %s  brief: %s (%s, USD %s)\n",
                              iom_path_base(a->path), a->rec->title,
                              a->rec->region,
                              iom_money_format(a->rec->budget_cents, money));
        else
            st = iom_buf_addf(b, "  %s  %s\n", a->path,
                              iom_plan_doc_what(a->path));
    }
    if (st == IOM_OK && j->d->o.changed_only)
        st = iom_buf_adds(b, "\nOnly the files that changed since the "
                          "previous reports are attached.\n");
    if (st == IOM_OK)
        st = iom_buf_addf(b, "\nThis message was sent by iomreport %s.\n",
                          IOM_VERSION);
    iom_buf_release(&words);
    return st;
}

/* Read each attachment and check it is still what the manifest says. */
static enum iom_status
load_parts(const struct job *j, const struct iom_plan *p,
           struct iom_mime_part *parts, char **data)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        char *path = iom_strf("%s/%s", j->run_dir, p->atts[i]->path);
        char hex[65];
        struct iom_buf b = IOM_BUF_INIT;
        enum iom_status st;

        if (!path)
            return IOM_ENOMEM;
        st = iom_buf_read_file(&b, path);
        if (st == IOM_ENOINPUT) {
            iom_errorf("cannot read '%s': %s", path, strerror(errno));
            st = IOM_EIO;
        }
        if (st == IOM_OK) {
            struct iom_sha256 h;

            iom_sha256_init(&h);
            iom_sha256_update(&h, b.data, b.len);
            iom_sha256_final(&h, hex);
            if (strcmp(hex, p->atts[i]->sha256) != 0) {
                iom_errorf("'%s' differs from its SHA-256 in "
                           "manifest.json: not sent", path);
                st = IOM_EIO;
            }
        }
        free(path);
        parts[i].len = b.len;
        data[i] = iom_buf_detach(&b);
        if (st == IOM_OK && !data[i])
            st = IOM_ENOMEM;
        if (st != IOM_OK)
            return st;
        parts[i].filename = iom_path_base(p->atts[i]->path);
        parts[i].content_type = iom_mime_type(parts[i].filename);
        parts[i].data = data[i];
    }
    return IOM_OK;
}

static enum iom_status
compose(const struct job *j, const struct iom_plan *p, const char *mid,
        struct iom_buf *out)
{
    struct iom_mime_part *parts = calloc(p->n + 1, sizeof *parts);
    char **data = calloc(p->n + 1, sizeof *data);
    struct iom_buf body = IOM_BUF_INIT, subject = IOM_BUF_INIT;
    struct iom_mime_msg m;
    enum iom_status st = parts && data ? IOM_OK : IOM_ENOMEM;
    size_t i;

    if (st == IOM_OK)
        st = load_parts(j, p, parts, data);
    if (st == IOM_OK)
        st = write_body(j, p, &body);
    if (st == IOM_OK)
        st = iom_buf_addf(&subject, "IOM Development Fund reports \xE2\x80"
                          "\x93 %s", j->man.selection);
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(&subject, " (part %zu of %zu)", p->part, p->parts);
    if (st == IOM_OK) {
        memset(&m, 0, sizeof m);
        m.from = j->d->cfg.from ? j->d->cfg.from : "iomreport@localhost";
        m.from_name = j->d->cfg.from_name ? j->d->cfg.from_name :
                      "IOM Development Fund reports";
        m.to = p->who->email;
        m.to_name = p->who->name;
        m.subject = subject.data;
        m.message_id = mid;
        /* Reproducible bytes are for files; a message is dated when it
         * is sent (or written to the outbox), whatever SOURCE_DATE_EPOCH
         * says. */
        m.date = (int64_t)time(NULL);
        m.body = body.data;
        m.parts = parts;
        m.n_parts = p->n;
        st = iom_mime_compose(&m, out);
    }
    for (i = 0; data && i < p->n; i++)
        free(data[i]);
    free(data);
    free(parts);
    iom_buf_release(&body);
    iom_buf_release(&subject);
    return st;
}

/*
 * OUTBOX/LABEL_ADDR-HASH[-partK-of-N].eml: the label first, so that two
 * labels written into one outbox never replace each other's messages;
 * then the address made safe for a file name, told apart from others that
 * look the same once made safe by a digest of the exact address.  Its '@'
 * keeps it clear of the names Windows reserves.
 */
static enum iom_status
outbox_name(const struct job *j, const struct iom_plan *p,
            struct iom_buf *name)
{
    struct iom_sha256 h;
    char hex[65];
    const char *c;
    size_t kept = 0;
    enum iom_status st = iom_buf_addf(name, "%s/%s_", j->d->o.outbox,
                                      j->label);

    iom_sha256_init(&h);
    for (c = p->who->email; *c && st == IOM_OK; c++) {
        char lower = (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) : *c;
        bool safe = (lower >= 'a' && lower <= 'z') ||
                    (lower >= '0' && lower <= '9') || strchr(".@+-", lower);

        iom_sha256_update(&h, &lower, 1);
        if (kept++ < OUTBOX_NAME_MAX)
            st = iom_buf_addc(name, safe ? lower : '_');
    }
    iom_sha256_final(&h, hex);
    if (st == IOM_OK)
        st = iom_buf_addf(name, "-%.8s", hex);
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(name, "-part%zu-of-%zu", p->part, p->parts);
    if (st == IOM_OK)
        st = iom_buf_adds(name, ".eml");
    return st;
}

/* The log line of 'p', made before it goes (delivery_log.h); 'unsure':
 * sent whole but its end never answered. */
static enum iom_status
log_line(struct job *j, const struct iom_plan *p, const char *mid,
         bool unsure, struct iom_dlog_line *line)
{
    const char **paths = calloc(p->n + 1, sizeof *paths);
    const char **shas = calloc(p->n + 1, sizeof *shas);
    struct iom_dlog_entry e;
    enum iom_status st = paths && shas ? IOM_OK : IOM_ENOMEM;
    size_t i;

    for (i = 0; st == IOM_OK && i < p->n; i++) {
        paths[i] = p->atts[i]->path;
        shas[i] = p->atts[i]->sha256;
    }
    if (st == IOM_OK) {
        memset(&e, 0, sizeof e);
        e.id = p->id;
        e.message_id = mid;
        e.to = p->who->email;
        e.part = p->part;
        e.parts = p->parts;
        e.sent = (int64_t)time(NULL);
        e.run = j->run_name;
        e.input_sha256 = j->man.input_sha256;
        e.paths = paths;
        e.sha256 = shas;
        e.n = p->n;
        e.unsure = unsure;
        st = iom_dlog_prepare(&j->log, &e, line);
    }
    free(paths);
    free(shas);
    return st;
}

/*
 * The one line of a message whose fate is unknown, said when it happens
 * and by every run after, until a person decides.
 */
static void
say_unsure(struct job *j, const struct iom_plan *p, const char *mid)
{
    j->d->unsure++;
    iom_errorf("'%s' <%s>: message %s (part %zu of %zu) may or may not "
               "have been delivered: the mail server was sent all of it "
               "but never answered its end; it is not sent again (to send "
               "it, remove its line from '%s')", p->who->name,
               p->who->email, mid, p->part, p->parts, j->log.path);
}

/* Send (or write) one planned message unless the log says it went, or
 * that it may have gone. */
static enum iom_status
deliver_one(struct job *j, const struct iom_plan *p)
{
    char mid[160];
    struct iom_buf msg = IOM_BUF_INIT, name = IOM_BUF_INIT;
    struct iom_dlog_line line = { IOM_BUF_INIT, "", false };
    enum iom_status st;

    if (!j->d->o.outbox && iom_dlog_has(&j->log, p->id)) {
        j->d->delivered++;
        return IOM_OK;
    }
    message_id(j, p, mid);
    if (!j->d->o.outbox && iom_dlog_unsure(&j->log, p->id)) {
        say_unsure(j, p, mid);
        return IOM_OK;
    }
    st = compose(j, p, mid, &msg);
    if (st == IOM_OK && j->d->o.outbox) {
        st = outbox_name(j, p, &name);
        if (st == IOM_OK)
            st = iom_write_file(name.data, msg.data, msg.len);
        if (st == IOM_OK)
            j->d->outboxed++;
    } else if (st == IOM_OK) {
        st = log_line(j, p, mid, false, &line);
        if (st == IOM_OK)
            st = iom_smtp_send(j->smtp, p->who->email, msg.data, msg.len);
        if (st == IOM_OK) {
            j->d->sent++;
            st = iom_dlog_commit(&j->log, &line);
            iom_notef("sent %s to %s (part %zu of %zu, %zu files)", mid,
                      p->who->email, p->part, p->parts, p->n);
        } else if (st == IOM_EUNSURE) {
            /* Its fate unknown, the message is not left to chance: its
             * line says so (allocating is no risk here, nothing was
             * accepted for sure). */
            say_unsure(j, p, mid);
            iom_dlog_line_release(&line);
            st = log_line(j, p, mid, true, &line);
            if (st == IOM_OK)
                st = iom_dlog_commit(&j->log, &line);
            if (st == IOM_OK)
                st = IOM_EUNSURE;
        }
    }
    iom_buf_release(&msg);
    iom_buf_release(&name);
    iom_dlog_line_release(&line);
    return st;
}

static void
job_release(struct job *j)
{
    iom_plans_release(&j->pl);
    iom_smtp_free(j->smtp);
    iom_dlog_close(&j->log);
    iom_manifest_doc_release(&j->man);
}

enum iom_status
iom_deliver_run(struct iom_deliver *d, const char *output, const char *label,
                const char *run_dir, const struct iom_record *const *recs,
                char *const *names, size_t n)
{
    struct job j;
    size_t i;
    enum iom_status st, outcome = IOM_OK;

    assert(d && output && label && run_dir && (recs || n == 0));
    memset(&j, 0, sizeof j);
    j.d = d;
    j.label = label;
    j.run_dir = run_dir;
    j.run_name = iom_path_base(run_dir);
    j.recs = recs;
    j.n_recs = n;
    j.log.fd = -1;
    d->planned = d->delivered = d->sent = d->outboxed = d->refused = 0;
    d->unsure = 0;
    for (i = 0; i < n; i++)
        j.run_cents += recs[i]->budget_cents;
    j.pl.label = label;
    j.pl.man = &j.man;
    j.pl.prev = d->have_prev ? &d->prev : NULL;
    j.pl.changed_only = d->o.changed_only;
    j.pl.max_message_bytes = d->o.max_message_bytes;
    j.pl.recs = recs;
    j.pl.n_recs = n;
    st = iom_manifest_read_run(run_dir, &j.man);
    if (st == IOM_OK)
        st = iom_plan_files(&j.pl, names);
    for (i = 0; st == IOM_OK && i < d->who.n; i++)
        st = iom_plan_stakeholder(&j.pl, &d->who.v[i]);
    d->planned = j.pl.n_plans;
    if (st == IOM_OK && !d->o.outbox)
        st = iom_dlog_open(&j.log, output, label);
    if (st == IOM_OK && !d->o.outbox)
        st = iom_dlog_import(&j.log, output, label, run_dir, &j.man);
    if (st == IOM_OK && !d->o.outbox)
        st = iom_smtp_new(&d->cfg, &j.smtp);
    for (i = 0; st == IOM_OK && i < j.pl.n_plans; i++) {
        if (d->o.stop && *d->o.stop) {
            st = IOM_EINTR;
            break;
        }
        st = deliver_one(&j, &j.pl.plans[i]);
        if (st == IOM_EREFUSED) {
            d->refused++;
            outcome = IOM_EREFUSED;
            st = IOM_OK;
        }
    }
    if (st == IOM_OK || st == IOM_ESMTP || st == IOM_EINTR ||
        st == IOM_EUNSURE)
        iom_notef("delivery of '%s/%s': %zu messages, %zu sent, %zu "
                  "written to the outbox, %zu delivered before, %zu "
                  "refused, %zu of unknown fate", output, label, d->planned,
                  d->sent, d->outboxed, d->delivered, d->refused, d->unsure);
    job_release(&j);
    /* A message that may be in a mailbox or not waits for a person. */
    if (d->unsure)
        outcome = IOM_EUNSURE;
    return st != IOM_OK ? st : outcome;
}

