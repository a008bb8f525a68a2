/*
 * failalloc: allocation-failure injection for the out-of-memory test.
 * Linked into a test build of iomreport with -Wl,--wrap for each
 * allocator our code calls, so that only our own calls are counted
 * (the libraries allocate on their own).  IOM_FAIL_ALLOC=N makes the Nth
 * call fail once, as a real allocator would, and every later call
 * succeed; IOM_COUNT_ALLOC=FILE writes the number of calls at exit, so a
 * test knows how many points there are to try.  A unit test arms a
 * point itself (failalloc.h).  The count is atomic: the input's digest
 * allocates in a thread of its own.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static atomic_ulong calls;
static unsigned long fail_at;
static atomic_bool ready;

static void
write_count(void)
{
    const char *path = getenv("IOM_COUNT_ALLOC");
    FILE *f = path ? fopen(path, "w") : NULL;

    if (f) {
        fprintf(f, "%lu\n", atomic_load(&calls));
        fclose(f);
    }
}

/* True when this call is the one to fail.  The first call comes before
 * the digest's thread starts, so reading the setting needs no lock. */
static int
fail_now(void)
{
    if (!atomic_load(&ready)) {
        const char *n = getenv("IOM_FAIL_ALLOC");

        atomic_store(&ready, true);
        fail_at = n ? strtoul(n, NULL, 10) : 0;
        atexit(write_count);
    }
    if (atomic_fetch_add(&calls, 1) + 1 != fail_at)
        return 0;
    errno = ENOMEM;
    return 1;
}

void
failalloc_arm(unsigned long n)
{
    if (!atomic_load(&ready)) {
        atomic_store(&ready, true);
        atexit(write_count);
    }
    fail_at = n ? atomic_load(&calls) + n : 0;
}

bool
failalloc_fired(void)
{
    return fail_at && atomic_load(&calls) >= fail_at;
}

void *
__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *
__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
    return fail_now() ? NULL : __real_strndup(s, n);
}
