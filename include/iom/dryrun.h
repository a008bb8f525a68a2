/*
 * dryrun: what --dry-run prints on standard output instead of publishing:
 * the counts, the totals and one table per dimension (region, type,
 * year), names padded by characters, not bytes.
 */
#ifndef IOM_DRYRUN_H
#define IOM_DRYRUN_H

#include <stddef.h>

#include "iom/agg.h"

void iom_dryrun_print(const char *selection, size_t records, size_t accepted,
                      size_t rejected, const struct iom_agg *agg);

#endif
