/*
 * pool: the rendering workers.  Rendering is a list of independent jobs
 * (the summary, the workbook, one job per brief) that workers claim from a
 * shared counter, in the order given (the big ones first, so that two
 * cores finish together whatever the mix).  Workers are forked processes:
 * libharu is not known to be thread-safe, and a crash in one document
 * cannot take the others' memory down with it.  Each job writes its own
 * file, so the output does not depend on the number of workers.
 */
#ifndef IOM_POOL_H
#define IOM_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/progress.h"
#include "iom/status.h"

struct iom_pool {
    size_t n_jobs;
    void *ctx;                    /* handed to every call below */
    /* In each worker, before its first job and after its last (may be
     * NULL): the state the jobs of one process share. */
    enum iom_status (*begin)(void *ctx);
    void (*end)(void *ctx);
    /* Do job 'i'; 'name' names it in messages and the test point. */
    enum iom_status (*run)(void *ctx, size_t i);
    const char *(*name)(void *ctx, size_t i);
    struct iom_progress *progress;
    /* Set by iom_pool_run(): a worker said what failed itself; and the
     * signal of the crash it said, when that is the failure (0: none). */
    bool worker_said;
    int crash_signal;
};

/*
 * Do every job once, in 'workers' processes (at most one per job; one:
 * in this process), and stop claiming at the first failure or stop
 * signal.  *used gets the number of workers.  The first failure is
 * returned (said with the job's name when the job said nothing), IOM_EPDF
 * for a worker that died or jobs left undone, IOM_EINTR when stopped.
 */
enum iom_status iom_pool_run(struct iom_pool *p, long workers, long *used);

#endif
