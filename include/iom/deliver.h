/*
 * deliver: the published run to its stakeholders, exactly once.  Matches
 * each stakeholder to the run's projects, builds one message per
 * stakeholder (split into numbered parts over the size limit) from the
 * files that manifest.json lists, checks each file against its SHA-256,
 * and sends it over SMTP or writes it to an outbox folder.
 *
 * The delivery log, RUN/delivery.log, holds one JSON line per message
 * sent (recipient, Message-ID, part, each attachment's path and SHA-256),
 * appended and fsync'ed as soon as the server has taken the message.  A
 * message already in the log is not sent again, so a run cut short by an
 * outage or a crash is finished by the next one.  A new run folder made
 * from the same input and selection counts the previous run folder's log
 * as its own (and copies those lines), so rerunning a whole run sends
 * only what is missing too.  What cannot be known is a crash between the
 * server's "250" and the fsync: that message is sent again, with the same
 * Message-ID, which lets mail readers fold the two.
 */
#ifndef IOM_DELIVER_H
#define IOM_DELIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/json_in.h"
#include "iom/record.h"
#include "iom/status.h"

#define IOM_DELIVERY_LOG "delivery.log"

struct iom_deliver_opts {
    const char *stakeholders;     /* the stakeholders CSV */
    uint64_t max_message_bytes;   /* split messages larger than this */
    bool changed_only;            /* only files changed since the previous
                                   * run folder */
    const char *outbox;           /* write .eml files here; NULL: send */
    int64_t date;                 /* Date header, UTC seconds */
};

struct iom_deliver {
    struct iom_deliver_opts o;
    char *prev_name;              /* previous run folder's name, or NULL */
    struct iom_json *prev_manifest;
    struct iom_json **prev_log;   /* its delivery log's lines */
    size_t n_prev_log;
};

/* 'o' is copied; its strings are borrowed and must outlive 'd'. */
void iom_deliver_init(struct iom_deliver *d, const struct iom_deliver_opts *o);
void iom_deliver_release(struct iom_deliver *d);

/*
 * Read the manifest and delivery log of the run folder 'dir' (path), the
 * one published before the run being delivered.  Call it before that run
 * folder can be pruned.  A folder with no manifest is no previous run.
 */
enum iom_status iom_deliver_remember(struct iom_deliver *d, const char *dir);

/*
 * The run folder DIR/LABEL points at, as "DIR/.LABEL.run-STAMP" (free()
 * it), or NULL (errno set) when there is none.
 */
char *iom_deliver_run_dir(const char *output, const char *label);

/*
 * The newest run folder of LABEL other than 'current' (a path from
 * iom_deliver_run_dir), or NULL when there is none.  free() it.
 */
char *iom_deliver_previous(const char *output, const char *label,
                           const char *current);

/*
 * Parse the JSON file 'path' (a run's manifest.json) into *out, owned by
 * the caller.  IOM_ENOINPUT (errno set) when it cannot be read,
 * IOM_EINVALID when it is not JSON.  Prints nothing.
 */
enum iom_status iom_deliver_load_json(const char *path,
                                      struct iom_json **out);

/*
 * Deliver the run folder 'run_dir'.  recs[i] is the project whose brief is
 * briefs/names[i] (the run's projects, all of them).  Returns IOM_OK,
 * IOM_EREJECTED when stakeholder records were rejected (the others were
 * served), IOM_EREFUSED when the server refused some recipients (the
 * others were served), IOM_ESMTP when the server went out of reach (the
 * next run resumes), or the error that stopped it (printed).
 */
enum iom_status iom_deliver_run(struct iom_deliver *d, const char *run_dir,
                                const struct iom_record *const *recs,
                                char *const *names, size_t n);

#endif
