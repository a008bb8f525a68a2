/*
 * plan: the messages of a delivery, from the manifest's list of files.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iom/delivery_log.h"
#include "iom/fname.h"
#include "iom/manifest.h"
#include "iom/mime.h"
#include "iom/msg.h"
#include "iom/plan.h"
#include "iom/sha256.h"
#include "iom/stakeholders.h"

#define MESSAGE_OVERHEAD 8192
#define PART_OVERHEAD 512

/* Fill 'a' from the manifest's entry of 'path'; false when not listed. */
static bool
set_att(const struct iom_manifest_doc *man, const char *path,
        struct iom_att *a)
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
changed(const struct iom_plans *j, const struct iom_att *a)
{
    const struct iom_manifest_file *old;

    if (!j->prev)
        return true;
    old = iom_manifest_find(j->prev, a->path);
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

const char *
iom_plan_doc_what(const char *path)
{
    return doc_kind(path)->what;
}

/* What 'who' receives, in the order it is attached. */
static enum iom_status
choose(const struct iom_plans *j, const struct iom_stakeholder *who,
       const struct iom_att ***out, size_t *n)
{
    const struct iom_att **v = calloc(j->n_all + 1, sizeof *v);
    size_t i, k = 0;

    *out = v;
    *n = 0;
    if (!v)
        return IOM_ENOMEM;
    for (i = 0; i < j->n_all; i++) {
        const struct iom_att *a = &j->all[i];
        bool want = a->rec ? (who->send & IOM_SEND_BRIEFS) &&
                             iom_stakeholder_matches(who, a->rec) :
                    (who->send & doc_kind(a->path)->send) != 0;

        if (want && (!j->changed_only || changed(j, a)))
            v[k++] = a;
    }
    *n = k;
    return IOM_OK;
}

static uint64_t
att_cost(const struct iom_att *a)
{
    return iom_mime_base64_size(a->bytes) + PART_OVERHEAD;
}

/*
 * Cut 'atts' into parts of at most the limit, in order.  A file larger
 * than the limit on its own goes alone (and is warned about).  Fills
 * first[k], the index of part k's first attachment; returns the count.
 */
static size_t
cut(const struct iom_plans *j, const struct iom_att *const *atts, size_t n,
    size_t *first)
{
    uint64_t limit = j->max_message_bytes, used = MESSAGE_OVERHEAD;
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

static void
plan_id(const struct iom_plans *j, struct iom_plan *p)
{
    struct iom_sha256 h;
    size_t i;

    iom_dlog_id_begin(&h, j->label, j->man, p->who->email, p->part,
                      p->parts);
    for (i = 0; i < p->n; i++)
        iom_dlog_id_path(&h, p->atts[i]->path);
    iom_dlog_id_end(&h, p->id);
}

static enum iom_status
add_plan(struct iom_plans *j, const struct iom_plan *p)
{
    if (j->n_plans == j->cap_plans) {
        size_t cap = j->cap_plans ? j->cap_plans * 2 : 16;
        struct iom_plan *v = realloc(j->plans, cap * sizeof *v);

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

enum iom_status
iom_plan_stakeholder(struct iom_plans *j, const struct iom_stakeholder *who)
{
    const struct iom_att **atts;
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
        struct iom_plan p;

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
    return strcmp(((const struct iom_att *)a)->rec->id,
                  ((const struct iom_att *)b)->rec->id);
}

/* The files of the run that can go out, as the manifest lists them. */
enum iom_status
iom_plan_files(struct iom_plans *j, char *const *names)
{
    size_t k = 0, i, docs_found;

    j->all = calloc(j->n_recs + N_DOC_KINDS, sizeof *j->all);
    if (!j->all)
        return IOM_ENOMEM;
    for (i = 0; i < N_DOC_KINDS; i++)
        k += set_att(j->man, doc_kinds[i].path, &j->all[k]);
    docs_found = k;
    for (i = 0; i < j->n_recs; i++) {
        char path[IOM_FNAME_MAX + 16];

        snprintf(path, sizeof path, "briefs/%s", names[i]);
        if (set_att(j->man, path, &j->all[k]))
            j->all[k++].rec = j->recs[i];
    }
    j->n_all = k;
    /* Briefs go in the order of their project IDs: documented, and the
     * same in every message. */
    qsort(j->all + docs_found, k - docs_found, sizeof *j->all, by_id);
    return IOM_OK;
}

void
iom_plans_release(struct iom_plans *j)
{
    size_t i;

    for (i = 0; i < j->n_plans; i++)
        if (j->plans[i].part == 1)
            free((void *)j->plans[i].atts);
    free(j->plans);
    free(j->all);
}
