/*
 * fuzz_common: helpers shared by the fuzz targets.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

void
fuzz_quiet(void)
{
    FILE *null = fopen("/dev/null", "w");

    if (!null) {
        perror("fuzz: /dev/null");
        exit(1);
    }
    /* glibc's stderr is an assignable variable; freopen would move fd 2. */
    stderr = null;
}
