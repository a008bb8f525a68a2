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
 *   DIR/.LABEL.lock            flock(2) lock held while a run works
 *
 * rename(2) of a new link over DIR/LABEL is atomic, so a reader sees the
 * whole previous set or the whole new one, never a mix; every file and
 * folder is fsync'ed before.  Folder names stay on one file system, where
 * rename is atomic.
 */
#ifndef IOM_PUBLISH_H
#define IOM_PUBLISH_H

#include <stdbool.h>

#include "iom/status.h"

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
 * waits N seconds), remove leftovers of killed runs, and make the staging
 * folder.
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
 * run folder, swap DIR/LABEL onto it, and prune run folders beyond 'keep'.
 */
enum iom_status iom_publish_commit(struct iom_publish *p, int keep);

/* Remove the staging folder (unless committed) and the scratch folder,
 * and release the lock. */
void iom_publish_release(struct iom_publish *p);

/* Remove a folder tree; used for staging folders.  0 or -1 (errno). */
int iom_remove_tree(const char *path);

#endif
