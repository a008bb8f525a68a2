/*
 * delivery_log: DIR/.LABEL.delivery.log, what has been delivered for a
 * label.  It lives beside the label's run folders, not in one of them, so
 * that publishing or pruning a run folder can never lose it: every run of
 * the label and every "send LABEL" reads and appends the same file, under
 * the label's lock.
 *
 * One JSON object per line, appended and fsync'ed as soon as the server
 * has accepted a message: "id" (the message's identity, 32 hex digits),
 * "message_id", "to", "part", "parts", "sent" (UTC, when the message was
 * handed to the server), "run" (the run folder it came from),
 * "input_sha256" and "attachments" (each "path" and "sha256").  A line cut
 * short by a crash is ignored (with a warning) and the next line starts on
 * a line of its own.
 *
 * Each line is made before its message goes (iom_dlog_prepare) and only
 * written once the server has it (iom_dlog_commit): between the server's
 * acceptance and the line nothing is left that can fail for want of
 * memory, which would leave the message unlogged and send it again.
 *
 * A line with "fate": "unknown" is a message the server was sent whole
 * without ever answering its end: it may have taken it.  Such a message
 * is not delivered as far as iom_dlog_has() knows, and is not sent again
 * blindly (iom_dlog_unsure()); removing its line lets it go again.
 */
#ifndef IOM_DELIVERY_LOG_H
#define IOM_DELIVERY_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/buf.h"
#include "iom/manifest.h"
#include "iom/sha256.h"
#include "iom/status.h"

#define IOM_DLOG_ID_LEN 32

struct iom_dlog {
    char *path;
    int fd;
    bool needs_newline;       /* the file ends in a torn line */
    char (*ids)[IOM_DLOG_ID_LEN + 1];   /* sorted, for iom_dlog_has() */
    size_t n;
    size_t cap;
    char (*unsure)[IOM_DLOG_ID_LEN + 1];  /* fate unknown; a handful */
    size_t n_unsure;
};

/* One message the server accepted; every pointer is borrowed. */
struct iom_dlog_entry {
    const char *id;           /* IOM_DLOG_ID_LEN hex digits */
    const char *message_id;
    const char *to;
    size_t part;
    size_t parts;
    int64_t sent;             /* UTC seconds */
    const char *run;
    const char *input_sha256;
    const char *const *paths; /* the attachments */
    const char *const *sha256;
    size_t n;
    bool unsure;              /* sent whole, its end never answered */
};

/*
 * Open (creating it when missing) the log of LABEL in DIR and read what it
 * holds.  A log is refused (IOM_ECANTCREAT, one line printed) unless it
 * is a regular file that can be opened to read and append, not a
 * symbolic link, owned by the user running iomreport, writable by neither
 * group nor others, and without another hard link: anyone else who can
 * change it could stop mail from going, or send it all again.  IOM_EIO
 * when it cannot be read or its new name cannot be synced.  Release with
 * iom_dlog_close() whatever this returns.
 */
enum iom_status iom_dlog_open(struct iom_dlog *log, const char *dir,
                              const char *label);

/*
 * The checks of iom_dlog_open() on the log of LABEL in DIR, as they stand
 * now, without creating or reading it (a missing log is IOM_OK): before
 * publishing, so that a log that would be refused stops the run while
 * nothing has changed.
 */
enum iom_status iom_dlog_check(const char *dir, const char *label);

/* Has a message with this identity been delivered? */
bool iom_dlog_has(const struct iom_dlog *log, const char *id);

/* A line of the log, made and waiting to be written. */
struct iom_dlog_line {
    struct iom_buf text;      /* the JSON object and its line end */
    char id[IOM_DLOG_ID_LEN + 1];
    bool unsure;              /* its fate unknown (e.unsure) */
};

/*
 * Make the line of 'e' (IOM_EINVALID for a bad identity, IOM_ENOMEM) and
 * room for its identity in 'log', for the iom_dlog_commit() that follows
 * before another line is prepared.  Release 'line' with
 * iom_dlog_line_release() whatever this returns.
 */
enum iom_status iom_dlog_prepare(struct iom_dlog *log,
                                 const struct iom_dlog_entry *e,
                                 struct iom_dlog_line *line);

/* Append the prepared line and make it durable (IOM_EIO, message
 * printed).  Allocates nothing. */
enum iom_status iom_dlog_commit(struct iom_dlog *log,
                                const struct iom_dlog_line *line);

void iom_dlog_line_release(struct iom_dlog_line *line);

/* Prepare and commit 'e' at once. */
/* Is the fate of a message with this identity unknown (e.unsure)? */
bool iom_dlog_unsure(const struct iom_dlog *log, const char *id);

enum iom_status iom_dlog_append(struct iom_dlog *log,
                                const struct iom_dlog_entry *e);

void iom_dlog_close(struct iom_dlog *log);

/*
 * A message's identity: what it is, not when or from which folder.  The
 * digest of the label, the input and the selection of the run 'man', the
 * recipient (in lower case), the part and each attached path, in order:
 * iom_dlog_id_begin(), then iom_dlog_id_path() for each file, then
 * iom_dlog_id_end().
 */
void iom_dlog_id_begin(struct iom_sha256 *h, const char *label,
                       const struct iom_manifest_doc *man, const char *email,
                       size_t part, size_t parts);
void iom_dlog_id_path(struct iom_sha256 *h, const char *path);
void iom_dlog_id_end(struct iom_sha256 *h, char id[IOM_DLOG_ID_LEN + 1]);

/*
 * Versions before the label's log kept one in each run folder,
 * RUN/delivery.log.  What the run folder 'run_dir' of LABEL in OUTPUT, or
 * the one published before it, says went (when it was made from the same
 * input and selection as 'man', the manifest of 'run_dir') is taken into
 * 'log', so that the first delivery after an upgrade sends nothing twice.
 */
enum iom_status iom_dlog_import(struct iom_dlog *log, const char *output,
                                const char *label, const char *run_dir,
                                const struct iom_manifest_doc *man);

#endif
