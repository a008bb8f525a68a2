/*
 * fname: brief file names made from project IDs.  A name holds only
 * letters, digits, '.', '_' and '-', is never empty, never starts with '.' or '-',
 * is at most IOM_FNAME_MAX bytes with its ".pdf", and two IDs never get the
 * same name, so no ID can place a file outside briefs/ or overwrite another.
 */
#ifndef IOM_FNAME_H
#define IOM_FNAME_H

#include <stddef.h>

#include "iom/record.h"
#include "iom/status.h"

#define IOM_FNAME_MAX 100

/*
 * Names for 'n' records, in the same order: "ID.pdf" made safe, with
 * "_2", "_3" ... before ".pdf" where two IDs give the same name.
 * *out is an array of n strings; free it with iom_fname_free(*out, n).
 */
enum iom_status iom_fname_build(const struct iom_record *const *recs,
                                size_t n, char ***out);
void iom_fname_free(char **names, size_t n);

#endif
