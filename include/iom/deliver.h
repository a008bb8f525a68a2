/*
 * deliver: the published run to its stakeholders, exactly once per label.
 * Matches each stakeholder to the run's projects, plans one message per
 * stakeholder (split into numbered parts over the size limit) from the
 * files that manifest.json lists, checks each file against its SHA-256,
 * and sends it over SMTP or writes it to an outbox folder.
 *
 * A message's identity is a digest of what it is: the label, the input's
 * SHA-256, the selection, the recipient, the part and the attached paths.
 * Its Message-ID is made from that identity, so a message built again is
 * the same message.  The label's delivery log (delivery_log.h) records
 * each identity the server has accepted; a message already there is never
 * sent again, whichever run folder or command ("send LABEL") builds it.
 * What cannot be known is a crash between the server's "250" and the
 * log's fsync: that one message is sent again, with the same Message-ID,
 * which lets mail readers fold the two.  A message the server was sent
 * whole but never answered may be in the mailbox or not: it is logged as
 * such, named in one line by this and every later delivery, and not sent
 * again until a person removes its line from the log.
 */
#ifndef IOM_DELIVER_H
#define IOM_DELIVER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/manifest.h"
#include "iom/record.h"
#include "iom/smtp.h"
#include "iom/stakeholders.h"
#include "iom/status.h"

struct iom_deliver_opts {
    const char *stakeholders;     /* the stakeholders CSV */
    uint64_t max_message_bytes;   /* split messages larger than this */
    bool changed_only;            /* only files changed since the previous
                                   * run folder */
    const char *outbox;           /* write .eml files here; NULL: send */
    /* Set by a signal handler: stop between (or during) messages. */
    const volatile sig_atomic_t *stop;
};

struct iom_deliver {
    struct iom_deliver_opts o;
    struct iom_stakeholders who;
    struct iom_smtp_config cfg;
    struct iom_manifest_doc prev; /* previous run folder (--changed-only) */
    bool have_prev;
    /* Messages of the last iom_deliver_run(): planned, already delivered
     * before it, sent or written by it, refused by the server, of unknown
     * fate (now or before). */
    size_t planned, delivered, sent, outboxed, refused, unsure;
};

/* 'o' is copied; its strings are borrowed and must outlive 'd'. */
void iom_deliver_init(struct iom_deliver *d, const struct iom_deliver_opts *o);
void iom_deliver_release(struct iom_deliver *d);

/*
 * Check every delivery setting (the mail settings of smtp.h, the outbox
 * folder), the delivery log of LABEL in OUTPUT when mail is sent
 * (iom_dlog_check) and read the stakeholders file, before anything is
 * published.  recs[0..n) are the accepted projects of the input: a
 * Regions or Member States value that matches none of them is warned
 * about (a typo would silently get nothing).  IOM_EUSAGE for a bad
 * setting, IOM_ECANTCREAT for a log that would be refused, IOM_ENOINPUT
 * or IOM_ECSV for an unreadable file, IOM_EREJECTED when stakeholder
 * records were rejected; each is printed.
 */
enum iom_status iom_deliver_prepare(struct iom_deliver *d, const char *output,
                                    const char *label,
                                    const struct iom_record *recs, size_t n);

/*
 * Read the manifest of the run folder 'dir' (path), the one published
 * before the run being delivered, for --changed-only.  Call it before that
 * run folder can be pruned.  A folder with no manifest is no previous run.
 */
enum iom_status iom_deliver_remember(struct iom_deliver *d, const char *dir);

/*
 * Deliver the run folder 'run_dir' of LABEL in OUTPUT (whose lock the
 * caller holds), after iom_deliver_prepare().  recs[i] is the project
 * whose brief is briefs/names[i] (the run's projects, all of them).
 * Returns IOM_OK, IOM_EREFUSED when the server refused some recipients
 * for good (the others were served), IOM_ESMTP when the server went out
 * of reach, stayed temporary or refused the session (the next run
 * resumes), IOM_EUNSURE when a message's fate is unknown (one that just
 * happened stops the delivery; one from before does not), IOM_EINTR when
 * stopped by *o.stop (between messages; the counts say how far it got),
 * or the error that stopped it (printed).
 */
enum iom_status iom_deliver_run(struct iom_deliver *d, const char *output,
                                const char *label, const char *run_dir,
                                const struct iom_record *const *recs,
                                char *const *names, size_t n);

#endif
