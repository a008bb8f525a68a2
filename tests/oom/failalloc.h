/*
 * failalloc: failing one allocator call of our own code on purpose, for
 * the unit tests linked with tests/oom/failalloc.c (see that file).
 */
#ifndef IOM_TEST_FAILALLOC_H
#define IOM_TEST_FAILALLOC_H

#include <stdbool.h>

/* Fail the nth allocator call from now, once; 0 fails none. */
void failalloc_arm(unsigned long n);
/* The armed call has come and failed. */
bool failalloc_fired(void);

#endif
