/*
 * publish: the run folder's life.  A run locks DIR/LABEL, renders into a
 * private staging folder beside it, and publishes it in one atomic step:
 *
 *   DIR/LABEL                  symbolic link to the current run folder
 *   DIR/.LABEL.run-STAMP       published run folders (the newest --keep)
 *   DIR/.LABEL.staging-PID     a run in progress (removed when it fails,
 *                              or by the next run when it was killed)
 *   DIR/.LABEL.scratch-PID     a run's private files that are not
 *                              published (its font subsets)
 *   DIR/.LABEL.link-PID        the new link, for the moment before it is
 *                              renamed over DIR/LABEL
 *   DIR/.LABEL.lock            flock(2) lock held while a run works
 *
 * rename(2) of a new link over DIR/LABEL is atomic, so a reader sees the
 * whole previous set or the whole new one, never a mix; every file and
 * folder is fsync'ed before.  Folder names stay on one file system, where
 * rename is atomic.
 *
 * DIR is shared with people and other programs, so a name is not proof of
 * ownership.  Each run, staging and scratch folder holds a marker file,
 * IOM_PUBLISH_MARKER, written when the folder is made:
 *
 *   LABEL\n
 *   N\n          publication number: one more than the highest of the
 *                label's run folders when the run began
 *
 * A folder is ours when its name has the exact shape above, it is a real
 * folder (not a link) owned by the effective user, and its marker is a
 * plain file of that user naming LABEL.  A leftover .LABEL.link-PID is
 * ours when it is that user's link to one of LABEL's run folder names;
 * DIR/LABEL when it is a link to a run folder that is ours.  Nothing
 * else is ever removed, renamed or replaced: a file, folder or foreign
 * link at DIR/LABEL refuses the run (IOM_ENOTOURS) before anything is
 * made, and so do a lock path that is a link or not a plain file, and
 * anything already standing where this run's staging, scratch or link
 * name will be.  A run folder of a version from before the marker (a
 * real folder of ours with no marker) is adopted, given a marker numbered
 * 0, only when it holds exactly what its manifest.json of the label lists,
 * sizes included, besides that version's delivery.log.
 * Pruning keeps the --keep most recently published run folders (by
 * publication number, not by name) and never removes the folder DIR/LABEL
 * points at nor the one just published; trees are removed through
 * descriptors, following no link.
 */
#ifndef IOM_PUBLISH_H
#define IOM_PUBLISH_H

#include <stdbool.h>

#include "iom/status.h"

/* The marker file in each of our folders; not listed in the manifest. */
#define IOM_PUBLISH_MARKER ".iomreport-run"

struct iom_publish {
    char *dir;          /* DIR */
    char *label;        /* LABEL */
    char *staging;      /* DIR/.LABEL.staging-PID, once begun */
    char *scratch;      /* DIR/.LABEL.scratch-PID, once begun */
    int lock_fd;
};

/*
 * Create DIR when missing (IOM_ECANTCREAT), take the lock (IOM_ELOCKED
 * when another run holds it and 'wait_seconds' < 0; 0 waits forever, N
 * waits N seconds), remove leftovers of killed runs, check that DIR/LABEL
 * is absent or our link (IOM_ENOTOURS, message printed), and make the
 * staging and scratch folders with their markers.
 */
enum iom_status iom_publish_begin(struct iom_publish *p, const char *dir,
                                  const char *label, int wait_seconds);

/*
 * Only take the lock of DIR/LABEL (DIR must exist), as iom_publish_begin()
 * does: for work on a published run (sending it) that must not overlap a
 * run.  iom_publish_release() releases it.
 */
enum iom_status iom_publish_lock(struct iom_publish *p, const char *dir,
                                 const char *label, int wait_seconds);

/*
 * fsync every file of the staging folder and the folder, rename it to a
 * run folder, swap DIR/LABEL onto it (IOM_ENOTOURS when something not
 * ours appeared there meanwhile), and prune our run folders beyond 'keep'.
 */
enum iom_status iom_publish_commit(struct iom_publish *p, int keep);

/* Remove the staging folder (unless committed) and the scratch folder,
 * and release the lock. */
void iom_publish_release(struct iom_publish *p);

/*
 * The run folder DIR/LABEL points at, as "DIR/.LABEL.run-STAMP", when it
 * is one of ours; else NULL with errno set (ENOENT: nothing at DIR/LABEL).
 * free() the result.
 */
char *iom_publish_current(const char *dir, const char *label);

/*
 * The most recently published of our run folders of LABEL other than
 * 'current' (a path from iom_publish_current, or NULL), as a path like
 * iom_publish_current's; NULL (errno set) when there is none.  free() it.
 */
char *iom_publish_previous(const char *dir, const char *label,
                           const char *current);

/*
 * Remove 'path' and, when it is a folder, everything below it, following
 * no symbolic link (a link is removed, not what it points at).  0 or -1
 * (errno).
 */
int iom_remove_tree(const char *path);

/* mkdir -p: 'dir' and its missing parents.  IOM_ENOMEM, or
 * IOM_ECANTCREAT with "cannot create WHAT 'dir': why" said (not a folder
 * when something other than a folder stands there). */
enum iom_status iom_make_dirs(const char *dir, const char *what);

/*
 * Read back a file just written into staging: its size and SHA-256 (as
 * iom_sha256_file()), and its writeback to disk started, so that the
 * sync before publishing has little left to wait for.  IOM_EIO when it
 * cannot be read.
 */
enum iom_status iom_publish_read_back(const char *path, char hex[65],
                                      uint64_t *size);

#endif
