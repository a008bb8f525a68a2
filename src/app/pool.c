/*
 * pool: the rendering workers and their job board, a page of shared
 * memory that every forked worker claims from.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iom/msg.h"
#include "iom/pool.h"
#include "iom/progress.h"
#include "iom/stop.h"
#include "iom/testpoint.h"

struct job_board {
    atomic_size_t next;          /* next job to claim */
    atomic_size_t done;          /* jobs finished, for the progress bar */
    atomic_int failed;           /* a job failed: claim no more */
    atomic_int said;             /* a worker said why the run fails */
};

/* Claim and do jobs until none is left; the first failure is returned.
 * The jobs a process does share what p->begin() made. */
static enum iom_status
work_jobs(struct iom_pool *p, struct job_board *board, bool inline_progress)
{
    size_t total = p->n_jobs;
    enum iom_status st = p->begin ? p->begin(p->ctx) : IOM_OK;

    if (st != IOM_OK)
        return st;
    while (!atomic_load(&board->failed) && !iom_stop_signal()) {
        size_t i = atomic_fetch_add(&board->next, 1);
        unsigned long errors;
        const char *name;

        if (i >= total)
            break;
        name = p->name(p->ctx, i);
        errors = iom_msg_error_count();
        st = p->run(p->ctx, i);
        if (st != IOM_OK) {
            if (iom_msg_error_count() == errors && st != IOM_EINTR)
                iom_errorf("%s while rendering '%s'", iom_strerror(st), name);
            atomic_store(&board->failed, 1);
            break;
        }
        /* A warning of a job is said when the job is done. */
        iom_msg_flush();
        atomic_fetch_add(&board->done, 1);
        iom_testpoint("rendered", name);
        if (inline_progress)
            iom_progress_show(p->progress, atomic_load(&board->done), total);
    }
    if (p->end)
        p->end(p->ctx);
    return iom_stop_check(st);
}

/*
 * work_jobs() with what it says held: a failure that strikes every worker
 * alike (the fonts cannot be loaded, memory runs out) is said by the
 * first worker that fails, the others' lines are dropped, so the run says
 * it once.
 */
static enum iom_status
work(struct iom_pool *p, struct job_board *board, bool inline_progress)
{
    bool held = iom_msg_hold() == IOM_OK;
    enum iom_status st = work_jobs(p, board, inline_progress);

    if (held)
        iom_msg_release(st == IOM_OK || st == IOM_EINTR ||
                        atomic_exchange(&board->said, 1) == 0);
    return st;
}

/* Fork 'n' workers and wait for them, forwarding a stop request. */
static enum iom_status
work_in_processes(struct iom_pool *p, struct job_board *board, long n)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    enum iom_status st = IOM_OK;
    long k, running = 0;
    bool forwarded = false, crashed = false;
    pid_t parent = getpid();
    sigset_t chld, mask;
    struct sigaction dfl, given;

    if (!pids)
        return IOM_ENOMEM;
    /*
     * SIGCHLD in its default handling: a parent process that ignores it
     * passes that on through exec, and the kernel would then reap the
     * workers, their exit statuses lost.  And held, so that a worker's
     * exit waits for the wait below to take it, rather than being missed.
     */
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(SIGCHLD, &dfl, &given);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, &mask);
    fflush(NULL);
    for (k = 0; k < n; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            pthread_sigmask(SIG_SETMASK, &mask, NULL);
            /* A worker must not outlive a run killed with SIGKILL: it
             * would go on writing into a staging folder that the next
             * run removes, holding the inherited lock meanwhile. */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                iom_exit_now(IOM_EINTR);
            iom_stop_share_said(&board->said);
            iom_exit_now((int)work(p, board, false));
        }
        if (pids[k] < 0) {
            iom_errorf("cannot start a worker: %s", strerror(errno));
            atomic_store(&board->failed, 1);
            st = IOM_ENOMEM;
            break;
        }
        running++;
    }
    while (running > 0) {
        struct timespec pause = { 0, 50 * 1000 * 1000 };
        int status;
        pid_t pid;

        if (iom_stop_signal() && !forwarded) {
            for (k = 0; k < n; k++)
                if (pids[k] > 0)
                    kill(pids[k], SIGTERM);
            forwarded = true;
        }
        iom_progress_show(p->progress, atomic_load(&board->done), p->n_jobs);
        pid = waitpid(-1, &status, WNOHANG);
        if (pid == 0 || (pid < 0 && errno == EINTR)) {
            /* Until a worker exits, a stop signal comes, or it is time
             * to move the progress bar on. */
            sigtimedwait(&chld, NULL, &pause);
            continue;
        }
        if (pid < 0)
            break;
        for (k = 0; k < n; k++)
            if (pids[k] == pid)
                pids[k] = 0;
        running--;
        /* The first failure, or, after a worker that crashed (a library
         * that fails an allocation may), the failure another one said:
         * it says why (out of memory), the crash only where. */
        if (st == IOM_OK || (crashed && WIFEXITED(status) &&
                             WEXITSTATUS(status) != IOM_OK &&
                             WEXITSTATUS(status) < IOM_STATUS_COUNT)) {
            crashed = !WIFEXITED(status) ||
                      WEXITSTATUS(status) >= IOM_STATUS_COUNT;
            st = crashed ? IOM_EPDF : (enum iom_status)WEXITSTATUS(status);
            /* work() said what failed, in the worker; so did its crash
             * line, which exits 128 + the signal. */
            p->worker_said = WIFEXITED(status) && st != IOM_OK;
            p->crash_signal = crashed && WIFEXITED(status) &&
                              WEXITSTATUS(status) > 128 ?
                              WEXITSTATUS(status) - 128 : 0;
        }
        if (st == IOM_EPDF && !WIFEXITED(status))
            iom_errorf("a rendering worker died (signal %d)",
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    pthread_sigmask(SIG_SETMASK, &mask, NULL);
    sigaction(SIGCHLD, &given, NULL);
    free(pids);
    return iom_stop_check(st);
}

enum iom_status
iom_pool_run(struct iom_pool *p, long workers, long *used)
{
    struct job_board *board;
    enum iom_status st;
    size_t total = p->n_jobs;

    if (workers < 1)
        workers = 1;
    if ((size_t)workers > total)
        workers = total ? (long)total : 1;
    *used = workers;
    board = mmap(NULL, sizeof *board, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (board == MAP_FAILED)
        return IOM_ENOMEM;
    atomic_init(&board->next, 0);
    atomic_init(&board->done, 0);
    atomic_init(&board->failed, 0);
    if (workers == 1)
        st = work(p, board, true);
    else
        st = work_in_processes(p, board, workers);
    if (st == IOM_OK) {
        iom_progress_show(p->progress, atomic_load(&board->done), total);
        if (atomic_load(&board->done) != total)
            st = IOM_EPDF;
    }
    iom_progress_end(p->progress);
    munmap(board, sizeof *board);
    return st;
}
