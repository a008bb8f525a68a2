/*
 * deliver: prepare, plan, send and log.  Every message of a delivery is
 * planned before the first goes, so that a stop can say how far it got;
 * the plan of a stakeholder is a pure function of the stakeholder, the
 * run's manifest and the size limit, so that a resumed run cuts the same
 * parts and finds them in the log.
 */
#define _XOPEN_SOURCE 700
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/deliver.h"
#include "iom/delivery_log.h"
#include "iom/fname.h"
#include "iom/json.h"
#include "iom/mime.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/publish.h"
#include "iom/report.h"
#include "iom/sha256.h"

/* What a message costs besides its attachments: headers and text. */
#define MESSAGE_OVERHEAD 8192
#define PART_OVERHEAD 512
/* Bytes of the recipient's address kept in an outbox file name. */
#define OUTBOX_NAME_MAX 200

/* One file of the run that can be attached. */
struct att {
    const char *path;             /* in the run folder, from the manifest */
    const char *sha256;
    uint64_t bytes;
    const struct iom_record *rec; /* briefs only */
};

/* One message: a stakeholder's part 'part' of 'parts'. */
struct plan {
    const struct iom_stakeholder *who;
    const struct att **atts;      /* owned by the plan of part 1 */
    size_t n;
    size_t part;
    size_t parts;
    char id[IOM_DLOG_ID_LEN + 1];
};

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
    struct att *all;
    size_t n_all;
    struct plan *plans;
    size_t n_plans;
    size_t cap_plans;
};

static const char *
basename_of(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

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

static char *
join(const char *a, const char *b)
{
    struct iom_buf p = IOM_BUF_INIT;

    return iom_buf_addf(&p, "%s/%s", a, b) == IOM_OK ? iom_buf_detach(&p) :
           NULL;
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

static enum iom_status
check_outbox(const char *dir)
{
    if (iom_make_dirs(dir) != 0) {
        if (errno == ENOMEM)
            return IOM_ENOMEM;
        iom_errorf("cannot create outbox '%s': %s", dir, strerror(errno));
        return IOM_ECANTCREAT;
    }
    return IOM_OK;
}

enum iom_status
iom_deliver_prepare(struct iom_deliver *d, const struct iom_record *recs,
                    size_t n)
{
    enum iom_status st = iom_smtp_config_load(&d->cfg, d->o.outbox == NULL);

    d->cfg.stop = d->o.stop;
    if (st == IOM_OK && d->o.outbox)
        st = check_outbox(d->o.outbox);
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

/* ---- the plan ---- */

/* Fill 'a' from the manifest's entry of 'path'; false when not listed. */
static bool
set_att(const struct iom_manifest_doc *man, const char *path, struct att *a)
{
    const struct iom_manifest_file *f = iom_manifest_find(man, path);

    if (!f)
        return false;
    a->path = f->path;
    a->sha256 = f->sha256;
    a->bytes = f->bytes;
    return true;
}

/* Is 'a' new or changed since the previous run folder? */
static bool
changed(const struct job *j, const struct att *a)
{
    const struct iom_manifest_file *old;

    if (!j->d->have_prev)
        return true;
    old = iom_manifest_find(&j->d->prev, a->path);
    return !old || strcmp(old->sha256, a->sha256) != 0;
}

/* What a document of the run is, for the Send column and the body. */
struct doc_kind {
    const char *path;
    unsigned send;
    const char *what;
};

static const struct doc_kind doc_kinds[] = {
    { "summary.pdf", IOM_SEND_SUMMARY, "portfolio summary" },
    { "rollup.xlsx", IOM_SEND_WORKBOOK, "roll-up workbook" },
    { "book.pdf", IOM_SEND_BOOK, "the summary and every brief in one file" },
};
#define N_DOC_KINDS (sizeof doc_kinds / sizeof doc_kinds[0])

/* The kind of one of the documents list_files() found. */
static const struct doc_kind *
doc_kind(const char *path)
{
    size_t i;

    for (i = 0; i + 1 < N_DOC_KINDS; i++)
        if (strcmp(path, doc_kinds[i].path) == 0)
            break;
    return &doc_kinds[i];
}

/* What 'who' receives, in the order it is attached. */
static enum iom_status
choose(const struct job *j, const struct iom_stakeholder *who,
       const struct att ***out, size_t *n)
{
    const struct att **v = calloc(j->n_all + 1, sizeof *v);
    size_t i, k = 0;

    *out = v;
    *n = 0;
    if (!v)
        return IOM_ENOMEM;
    for (i = 0; i < j->n_all; i++) {
        const struct att *a = &j->all[i];
        bool want = a->rec ? (who->send & IOM_SEND_BRIEFS) &&
                             iom_stakeholder_matches(who, a->rec) :
                    (who->send & doc_kind(a->path)->send) != 0;

        if (want && (!j->d->o.changed_only || changed(j, a)))
            v[k++] = a;
    }
    *n = k;
    return IOM_OK;
}

static uint64_t
att_cost(const struct att *a)
{
    return iom_mime_base64_size(a->bytes) + PART_OVERHEAD;
}

/*
 * Cut 'atts' into parts of at most the limit, in order.  A file larger
 * than the limit on its own goes alone (and is warned about).  Fills
 * first[k], the index of part k's first attachment; returns the count.
 */
static size_t
cut(const struct job *j, const struct att *const *atts, size_t n,
    size_t *first)
{
    uint64_t limit = j->d->o.max_message_bytes, used = MESSAGE_OVERHEAD;
    size_t i, parts = 0;

    for (i = 0; i < n; i++) {
        uint64_t c = att_cost(atts[i]);

        if (i == 0 || used + c > limit) {
            first[parts++] = i;
            used = MESSAGE_OVERHEAD;
        }
        if (MESSAGE_OVERHEAD + c > limit)
            iom_warnf("'%s' is larger than --max-message-mb on its own: "
                      "sent alone", atts[i]->path);
        used += c;
    }
    return parts;
}

/*
 * A message's identity: what it is, not when or from which folder.  The
 * digest of the label, the input, the selection, the recipient (in lower
 * case), the part and each attached path, in order: id_begin(), then
 * id_path() for each file, then id_end().
 */
static void
id_begin(const struct job *j, struct iom_sha256 *h, const char *email,
         size_t part, size_t parts)
{
    static const char domain[] = "iomreport message 1";
    char num[48];
    const char *c;

    iom_sha256_init(h);
    iom_sha256_update(h, domain, sizeof domain);
    iom_sha256_update(h, j->label, strlen(j->label) + 1);
    iom_sha256_update(h, j->man.input_sha256, 65);
    iom_sha256_update(h, j->man.selection, strlen(j->man.selection) + 1);
    for (c = email; *c; c++) {
        char lower = (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) : *c;

        iom_sha256_update(h, &lower, 1);
    }
    snprintf(num, sizeof num, "%zu/%zu", part, parts);
    iom_sha256_update(h, "", 1);
    iom_sha256_update(h, num, strlen(num) + 1);
}

static void
id_path(struct iom_sha256 *h, const char *path)
{
    iom_sha256_update(h, path, strlen(path) + 1);
}

static void
id_end(struct iom_sha256 *h, char id[IOM_DLOG_ID_LEN + 1])
{
    char hex[65];

    iom_sha256_final(h, hex);
    memcpy(id, hex, IOM_DLOG_ID_LEN);
    id[IOM_DLOG_ID_LEN] = '\0';
}

static void
plan_id(const struct job *j, struct plan *p)
{
    struct iom_sha256 h;
    size_t i;

    id_begin(j, &h, p->who->email, p->part, p->parts);
    for (i = 0; i < p->n; i++)
        id_path(&h, p->atts[i]->path);
    id_end(&h, p->id);
}

static enum iom_status
add_plan(struct job *j, const struct plan *p)
{
    if (j->n_plans == j->cap_plans) {
        size_t cap = j->cap_plans ? j->cap_plans * 2 : 16;
        struct plan *v = realloc(j->plans, cap * sizeof *v);

        if (!v)
            return IOM_ENOMEM;
        j->plans = v;
        j->cap_plans = cap;
    }
    j->plans[j->n_plans] = *p;
    plan_id(j, &j->plans[j->n_plans]);
    j->n_plans++;
    return IOM_OK;
}

static enum iom_status
plan_stakeholder(struct job *j, const struct iom_stakeholder *who)
{
    const struct att **atts;
    size_t n_atts, *first = NULL, parts, k;
    bool owned = false;
    enum iom_status st = choose(j, who, &atts, &n_atts);

    if (st == IOM_OK && n_atts == 0) {
        iom_notef("nothing to send to %s", who->email);
        free(atts);
        return IOM_OK;
    }
    if (st == IOM_OK) {
        first = calloc(n_atts, sizeof *first);
        st = first ? IOM_OK : IOM_ENOMEM;
    }
    if (st != IOM_OK) {
        free(first);
        free(atts);
        return st;
    }
    parts = cut(j, atts, n_atts, first);
    for (k = 0; k < parts && st == IOM_OK; k++) {
        struct plan p;

        memset(&p, 0, sizeof p);
        p.who = who;
        p.atts = atts + first[k];
        p.n = (k + 1 < parts ? first[k + 1] : n_atts) - first[k];
        p.part = k + 1;
        p.parts = parts;
        st = add_plan(j, &p);
        owned = owned || st == IOM_OK;
    }
    /* The plan of part 1 owns the array, once it is planned. */
    if (!owned)
        free(atts);
    free(first);
    return st;
}

static int
by_id(const void *a, const void *b)
{
    return strcmp(((const struct att *)a)->rec->id,
                  ((const struct att *)b)->rec->id);
}

/* The files of the run that can go out, as the manifest lists them. */
static enum iom_status
list_files(struct job *j, char *const *names)
{
    size_t k = 0, i, docs_found;

    j->all = calloc(j->n_recs + N_DOC_KINDS, sizeof *j->all);
    if (!j->all)
        return IOM_ENOMEM;
    for (i = 0; i < N_DOC_KINDS; i++)
        k += set_att(&j->man, doc_kinds[i].path, &j->all[k]);
    docs_found = k;
    for (i = 0; i < j->n_recs; i++) {
        char path[IOM_FNAME_MAX + 16];

        snprintf(path, sizeof path, "briefs/%s", names[i]);
        if (set_att(&j->man, path, &j->all[k]))
            j->all[k++].rec = j->recs[i];
    }
    j->n_all = k;
    /* Briefs go in the order of their project IDs: documented, and the
     * same in every message. */
    qsort(j->all + docs_found, k - docs_found, sizeof *j->all, by_id);
    return IOM_OK;
}

/* ---- one message ---- */

static void
message_id(const struct job *j, const struct plan *p, char out[160])
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
write_body(const struct job *j, const struct plan *p, struct iom_buf *b)
{
    const struct iom_manifest_doc *m = &j->man;
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
                          basename_of(m->input), m->input_sha256, m->records,
                          m->accepted, m->rejected, m->rejected ?
                          " (listed in rejected.csv beside the reports)" :
                          "");
    if (st == IOM_OK)
        st = iom_buf_adds(b, "\nAttached (the briefs in the order of their "
                          "project IDs):\n");
    for (i = 0; i < p->n && st == IOM_OK; i++) {
        const struct att *a = p->atts[i];

        if (a->rec)
            st = iom_buf_addf(b, "  %s  brief: %s (%s, USD %s)\n",
                              basename_of(a->path), a->rec->title,
                              a->rec->region,
                              iom_money_format(a->rec->budget_cents, money));
        else
            st = iom_buf_addf(b, "  %s  %s\n", a->path,
                              doc_kind(a->path)->what);
    }
    if (st == IOM_OK && j->d->o.changed_only)
        st = iom_buf_adds(b, "\nOnly the files that changed since the "
                          "previous reports are attached.\n");
    if (st == IOM_OK)
        st = iom_buf_addf(b, "\nThis message was sent by iomreport %s.\n",
                          IOM_VERSION);
    return st;
}

/* Read each attachment and check it is still what the manifest says. */
static enum iom_status
load_parts(const struct job *j, const struct plan *p,
           struct iom_mime_part *parts, char **data)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        char *path = join(j->run_dir, p->atts[i]->path), hex[65];
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
        parts[i].filename = basename_of(p->atts[i]->path);
        parts[i].content_type = iom_mime_type(parts[i].filename);
        parts[i].data = data[i];
    }
    return IOM_OK;
}

static enum iom_status
compose(const struct job *j, const struct plan *p, const char *mid,
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
        m.date = j->d->o.date;
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
 * OUTBOX/ADDR-HASH[-partK-of-N].eml: the address made safe for a file
 * name, told apart from others that look the same once made safe by a
 * digest of the exact address.  Its '@' keeps it clear of the names
 * Windows reserves.
 */
static enum iom_status
outbox_name(const struct job *j, const struct plan *p, struct iom_buf *name)
{
    struct iom_sha256 h;
    char hex[65];
    const char *c;
    size_t kept = 0;
    enum iom_status st = iom_buf_addf(name, "%s/", j->d->o.outbox);

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

static enum iom_status
log_sent(struct job *j, const struct plan *p, const char *mid)
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
        st = iom_dlog_append(&j->log, &e);
    }
    free(paths);
    free(shas);
    return st;
}

/* Send (or write) one planned message unless the log says it went. */
static enum iom_status
deliver_one(struct job *j, const struct plan *p)
{
    char mid[160];
    struct iom_buf msg = IOM_BUF_INIT, name = IOM_BUF_INIT;
    enum iom_status st;

    if (!j->d->o.outbox && iom_dlog_has(&j->log, p->id)) {
        j->d->delivered++;
        return IOM_OK;
    }
    message_id(j, p, mid);
    st = compose(j, p, mid, &msg);
    if (st == IOM_OK && j->d->o.outbox) {
        st = outbox_name(j, p, &name);
        if (st == IOM_OK)
            st = iom_write_file(name.data, msg.data, msg.len);
        if (st == IOM_OK)
            j->d->outboxed++;
    } else if (st == IOM_OK) {
        st = iom_smtp_send(j->smtp, p->who->email, msg.data, msg.len);
        if (st == IOM_OK) {
            j->d->sent++;
            st = log_sent(j, p, mid);
            iom_notef("sent %s to %s (part %zu of %zu, %zu files)", mid,
                      p->who->email, p->part, p->parts, p->n);
        }
    }
    iom_buf_release(&msg);
    iom_buf_release(&name);
    return st;
}

static void
job_release(struct job *j)
{
    size_t i;

    for (i = 0; i < j->n_plans; i++)
        if (j->plans[i].part == 1)
            free((void *)j->plans[i].atts);
    free(j->plans);
    free(j->all);
    iom_smtp_free(j->smtp);
    iom_dlog_close(&j->log);
    iom_manifest_doc_release(&j->man);
}

/* ---- the log of earlier versions ---- */

/* "2001-09-09T01:46:40Z" as UTC seconds; 0 when it is not one. */
static int64_t
parse_utc(const char *s)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof tm);
    end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? (int64_t)timegm(&tm) : 0;
}

/* One line of an earlier version's log into the label's log. */
static enum iom_status
import_line(struct job *j, const json_t *line, const char *run)
{
    const json_t *atts = json_object_get(line, "attachments"), *a;
    const char *to = iom_json_str(line, "to");
    const char **paths = calloc(json_array_size(atts) + 1, sizeof *paths);
    const char **shas = calloc(json_array_size(atts) + 1, sizeof *shas);
    struct iom_dlog_entry e;
    struct iom_sha256 h;
    char id[IOM_DLOG_ID_LEN + 1];
    enum iom_status st = paths && shas ? IOM_OK : IOM_ENOMEM;
    size_t i;

    memset(&e, 0, sizeof e);
    e.part = (size_t)json_integer_value(json_object_get(line, "part"));
    e.parts = (size_t)json_integer_value(json_object_get(line, "parts"));
    if (st == IOM_OK && to && json_is_array(atts) && e.part >= 1 &&
        e.part <= e.parts) {
        id_begin(j, &h, to, e.part, e.parts);
        json_array_foreach(atts, i, a) {
            paths[i] = iom_json_str(a, "path");
            shas[i] = iom_json_str(a, "sha256");
            if (!paths[i] || !shas[i])
                break;
            id_path(&h, paths[i]);
        }
        id_end(&h, id);
        if (i == json_array_size(atts) && !iom_dlog_has(&j->log, id)) {
            e.id = id;
            e.message_id = iom_json_str(line, "message_id") ?
                           iom_json_str(line, "message_id") : "";
            e.to = to;
            e.sent = parse_utc(iom_json_str(line, "sent"));
            e.run = run;
            e.input_sha256 = j->man.input_sha256;
            e.paths = paths;
            e.sha256 = shas;
            e.n = i;
            st = iom_dlog_append(&j->log, &e);
        }
    }
    free(paths);
    free(shas);
    return st;
}

/*
 * Versions before the label's log kept one in each run folder,
 * RUN/delivery.log, with lines "to", "message_id", "part", "parts",
 * "sent" and "attachments".  What such a folder of the same input and
 * selection says went is taken into the label's log, so that the first
 * delivery after an upgrade sends nothing twice.  Its own lines are
 * trusted as far as they parse; a torn last line ends the reading.
 */
static enum iom_status
import_run_log(struct job *j, const char *dir)
{
    struct iom_manifest_doc m;
    char *path = join(dir, "delivery.log");
    FILE *f = NULL;
    json_t *line;
    enum iom_status st = path ? IOM_OK : IOM_ENOMEM;

    memset(&m, 0, sizeof m);
    if (st == IOM_OK && !(f = fopen(path, "rb"))) {
        free(path);
        return IOM_OK;
    }
    if (st == IOM_OK && iom_manifest_load(dir, &m) == IOM_OK &&
        strcmp(m.input_sha256, j->man.input_sha256) == 0 &&
        strcmp(m.selection, j->man.selection) == 0) {
        while (st == IOM_OK &&
               (line = json_loadf(f, JSON_DISABLE_EOF_CHECK, NULL)) != NULL) {
            st = import_line(j, line, basename_of(dir));
            json_decref(line);
        }
        if (st == IOM_OK)
            iom_notef("took what '%s' says was delivered into '%s'", path,
                      j->log.path);
    }
    iom_manifest_doc_release(&m);
    if (f)
        fclose(f);
    free(path);
    return st;
}

/* The run folders an earlier version may have logged in. */
static enum iom_status
import_old_logs(struct job *j, const char *output)
{
    char *prev = iom_publish_previous(output, j->label, j->run_dir);
    enum iom_status st = import_run_log(j, j->run_dir);

    if (st == IOM_OK && prev)
        st = import_run_log(j, prev);
    free(prev);
    return st;
}

static enum iom_status
read_manifest(struct job *j)
{
    enum iom_status st = iom_manifest_load(j->run_dir, &j->man);

    if (st == IOM_ENOINPUT)
        iom_errorf("cannot read the manifest of the run '%s': %s",
                   j->run_dir, strerror(errno));
    else if (st == IOM_EJSON)
        iom_errorf("'%s/%s' is not a manifest of iomreport", j->run_dir,
                   IOM_MANIFEST);
    return st == IOM_ENOMEM ? st : st != IOM_OK ? IOM_ENOINPUT : IOM_OK;
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
    j.run_name = basename_of(run_dir);
    j.recs = recs;
    j.n_recs = n;
    j.log.fd = -1;
    d->planned = d->delivered = d->sent = d->outboxed = d->refused = 0;
    for (i = 0; i < n; i++)
        j.run_cents += recs[i]->budget_cents;
    st = read_manifest(&j);
    if (st == IOM_OK)
        st = list_files(&j, names);
    for (i = 0; st == IOM_OK && i < d->who.n; i++)
        st = plan_stakeholder(&j, &d->who.v[i]);
    d->planned = j.n_plans;
    if (st == IOM_OK && !d->o.outbox)
        st = iom_dlog_open(&j.log, output, label);
    if (st == IOM_OK && !d->o.outbox)
        st = import_old_logs(&j, output);
    if (st == IOM_OK && !d->o.outbox)
        st = iom_smtp_new(&d->cfg, &j.smtp);
    for (i = 0; st == IOM_OK && i < j.n_plans; i++) {
        if (d->o.stop && *d->o.stop) {
            st = IOM_EINTR;
            break;
        }
        st = deliver_one(&j, &j.plans[i]);
        if (st == IOM_EREFUSED) {
            d->refused++;
            outcome = IOM_EREFUSED;
            st = IOM_OK;
        }
    }
    if (st == IOM_OK || st == IOM_ESMTP || st == IOM_EINTR)
        iom_notef("delivery of '%s/%s': %zu messages, %zu sent, %zu "
                  "written to the outbox, %zu delivered before, %zu "
                  "refused", output, label, d->planned, d->sent,
                  d->outboxed, d->delivered, d->refused);
    job_release(&j);
    return st != IOM_OK ? st : outcome;
}
