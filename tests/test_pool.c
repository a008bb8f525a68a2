/*
 * test_pool: every job runs once whatever the number of workers, each
 * process's begin() and end() frame its jobs, a failing job's status comes
 * back and stops the claiming, and a worker that dies is reported.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "iom/pool.h"
#include "iom/progress.h"
#include "iom/stop.h"

#include "fixture.h"

#define N_JOBS 40

/* Shared with the workers: what each job saw. */
struct counts {
    int runs[N_JOBS];
    int begun[N_JOBS];        /* begin() had run in the job's process */
    size_t fail_at;           /* the job that fails; N_JOBS: none */
    enum iom_status fail_with;
    size_t die_at;            /* the job whose process dies; N_JOBS: none */
    size_t crash_at;          /* the job whose process crashes, caught */
    int crash_signal;         /* what the pool said of a crash */
    char names[N_JOBS][16];
};

/* The ctx: the shared counts, and this process's begun flag. */
struct ctx {
    struct counts *c;
    bool begun;
};

static enum iom_status
begin(void *ctx)
{
    ((struct ctx *)ctx)->begun = true;
    return IOM_OK;
}

static void
end(void *ctx)
{
    ((struct ctx *)ctx)->begun = false;
}

static enum iom_status
run(void *ctx, size_t i)
{
    struct ctx *x = ctx;

    x->c->runs[i]++;
    x->c->begun[i] = x->begun;
    if (i == x->c->die_at)
        raise(SIGKILL);
    if (i == x->c->crash_at) {
        iom_stop_catch("rendering the crashing job");
        raise(SIGSEGV);
    }
    return i == x->c->fail_at ? x->c->fail_with : IOM_OK;
}

static const char *
name(void *ctx, size_t i)
{
    return ((struct ctx *)ctx)->c->names[i];
}

static struct counts *
new_counts(void)
{
    struct counts *c = mmap(NULL, sizeof *c, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    size_t i;

    assert_true(c != MAP_FAILED);
    memset(c, 0, sizeof *c);
    c->fail_at = c->die_at = c->crash_at = N_JOBS;
    for (i = 0; i < N_JOBS; i++)
        snprintf(c->names[i], sizeof c->names[i], "job%zu", i);
    return c;
}

/* Run the pool over 'c' with 'workers'; the status, *used the workers. */
static enum iom_status
run_pool(struct counts *c, long workers, long *used, bool *said)
{
    struct iom_progress progress = { false, false, 0 };
    struct ctx x = { c, false };
    struct iom_pool p;
    enum iom_status st;

    memset(&p, 0, sizeof p);
    p.n_jobs = N_JOBS;
    p.ctx = &x;
    p.begin = begin;
    p.end = end;
    p.run = run;
    p.name = name;
    p.progress = &progress;
    st = iom_pool_run(&p, workers, used);
    assert_false(x.begun);
    *said = p.worker_said;
    c->crash_signal = p.crash_signal;
    return st;
}

static void
assert_each_ran_once(const struct counts *c)
{
    size_t i;

    for (i = 0; i < N_JOBS; i++) {
        assert_int_equal(c->runs[i], 1);
        assert_int_equal(c->begun[i], 1);
    }
}

static void
test_pool_runs_every_job_once_inline(void **state)
{
    struct counts *c = new_counts();
    long used;
    bool said;

    (void)state;
    assert_int_equal(run_pool(c, 1, &used, &said), IOM_OK);
    assert_int_equal(used, 1);
    assert_each_ran_once(c);
    munmap(c, sizeof *c);
}

static void
test_pool_runs_every_job_once_in_workers(void **state)
{
    struct counts *c = new_counts();
    long used;
    bool said;

    (void)state;
    assert_int_equal(run_pool(c, 3, &used, &said), IOM_OK);
    assert_int_equal(used, 3);
    assert_false(said);
    assert_each_ran_once(c);
    munmap(c, sizeof *c);
}

/* No more workers than jobs, and at least one. */
static void
test_pool_workers_are_bounded_by_jobs(void **state)
{
    struct iom_progress progress = { false, false, 0 };
    struct counts *c = new_counts();
    struct ctx x = { c, false };
    struct iom_pool p;
    long used;

    (void)state;
    memset(&p, 0, sizeof p);
    p.n_jobs = 2;
    p.ctx = &x;
    p.run = run;
    p.name = name;
    p.progress = &progress;
    assert_int_equal(iom_pool_run(&p, 8, &used), IOM_OK);
    assert_int_equal(used, 2);
    assert_int_equal(iom_pool_run(&p, 0, &used), IOM_OK);
    assert_int_equal(used, 1);
    assert_int_equal(c->runs[0], 2);
    assert_int_equal(c->runs[1], 2);
    munmap(c, sizeof *c);
}

/* Run the pool over 'c', which must end in 'want'; what it said. */
static char *
run_failing(struct counts *c, long workers, enum iom_status want, bool *said)
{
    long used;

    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(run_pool(c, workers, &used, said), want);
    return fixture_capture_end();
}

static void
test_pool_failing_job_status_comes_back_inline(void **state)
{
    struct counts *c = new_counts();
    bool said;
    char *err;
    size_t i;

    (void)state;
    c->fail_at = 7;
    c->fail_with = IOM_EIO;
    err = run_failing(c, 1, IOM_EIO, &said);
    /* The job said nothing: the pool names it. */
    assert_non_null(strstr(err, "while rendering 'job7'\n"));
    /* In one process the jobs go in order: none after the failure. */
    for (i = 0; i < N_JOBS; i++)
        assert_int_equal(c->runs[i], i <= 7);
    free(err);
    munmap(c, sizeof *c);
}

static void
test_pool_failing_job_status_comes_from_a_worker(void **state)
{
    struct counts *c = new_counts();
    bool said;
    char *err;

    (void)state;
    c->fail_at = 5;
    c->fail_with = IOM_ECANTCREAT;
    err = run_failing(c, 2, IOM_ECANTCREAT, &said);
    assert_true(said);
    assert_non_null(strstr(err, "while rendering 'job5'\n"));
    assert_int_equal(c->runs[5], 1);
    free(err);
    munmap(c, sizeof *c);
}

static void
test_pool_worker_that_dies_is_reported(void **state)
{
    struct counts *c = new_counts();
    bool said;
    char *err;

    (void)state;
    c->die_at = 3;
    err = run_failing(c, 2, IOM_EPDF, &said);
    assert_false(said);
    assert_non_null(strstr(err, "iomreport: a rendering worker died "
                                "(signal 9)\n"));
    free(err);
    munmap(c, sizeof *c);
}

/* A worker's crash is said by its own line, and the pool gives its
 * signal back, so that the run exits 128 + N as the crash would have. */
static void
test_pool_worker_crash_gives_its_signal(void **state)
{
    struct counts *c = new_counts();
    bool said;
    char *err;

    (void)state;
    c->crash_at = 4;
    err = run_failing(c, 2, IOM_EPDF, &said);
    assert_true(said);
    assert_int_equal(c->crash_signal, SIGSEGV);
    assert_non_null(strstr(err, "iomreport: crashed (signal 11) while "
                                "rendering the crashing job; nothing "
                                "published\n"));
    free(err);
    munmap(c, sizeof *c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_runs_every_job_once_inline),
        cmocka_unit_test(test_pool_runs_every_job_once_in_workers),
        cmocka_unit_test(test_pool_workers_are_bounded_by_jobs),
        cmocka_unit_test(test_pool_failing_job_status_comes_back_inline),
        cmocka_unit_test(test_pool_failing_job_status_comes_from_a_worker),
        cmocka_unit_test(test_pool_worker_that_dies_is_reported),
        cmocka_unit_test(test_pool_worker_crash_gives_its_signal),
    };

    return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
