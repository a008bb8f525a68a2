/*
 * plan: every message of a delivery, planned before the first goes, so
 * that a stop can say how far it got.  The plan of a stakeholder is a pure
 * function of the stakeholder, the run's manifest and the size limit, so
 * that a resumed run cuts the same parts and finds them in the log: the
 * files the stakeholder gets (the documents its Send column names, the
 * briefs of its projects in the order of their project IDs, with
 * --changed-only those new or changed since the previous run), cut into
 * parts of at most the limit, each part with its identity
 * (delivery_log.h).
 */
#ifndef IOM_PLAN_H
#define IOM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/delivery_log.h"
#include "iom/manifest.h"
#include "iom/record.h"
#include "iom/stakeholders.h"
#include "iom/status.h"

/* One file of the run that can be attached. */
struct iom_att {
    const char *path;             /* in the run folder, from the manifest */
    const char *sha256;
    uint64_t bytes;
    const struct iom_record *rec; /* briefs only */
};

/* One message: a stakeholder's part 'part' of 'parts'. */
struct iom_plan {
    const struct iom_stakeholder *who;
    const struct iom_att **atts;  /* owned by the plan of part 1 */
    size_t n;
    size_t part;
    size_t parts;
    char id[IOM_DLOG_ID_LEN + 1];
};

/* The plans of one delivery: the caller sets what it is planned from. */
struct iom_plans {
    const char *label;
    const struct iom_manifest_doc *man;   /* the run delivered */
    const struct iom_manifest_doc *prev;  /* the run before; NULL: none */
    bool changed_only;
    uint64_t max_message_bytes;
    const struct iom_record *const *recs; /* the run's projects */
    size_t n_recs;
    /* What iom_plan_files() and iom_plan_stakeholder() make. */
    struct iom_att *all;
    size_t n_all;
    struct iom_plan *plans;
    size_t n_plans;
    size_t cap_plans;
};

/* The files of the run that can go out, as the manifest lists them;
 * recs[i]'s brief is briefs/names[i]. */
enum iom_status iom_plan_files(struct iom_plans *j, char *const *names);

/* The messages of 'who' (none when it gets nothing, said with -v). */
enum iom_status iom_plan_stakeholder(struct iom_plans *j,
                                     const struct iom_stakeholder *who);

/* What the document 'path' of the run is, for the message's text. */
const char *iom_plan_doc_what(const char *path);

void iom_plans_release(struct iom_plans *j);

#endif
