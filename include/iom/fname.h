/*
 * fname: brief file names made from project IDs.  A name holds only
 * letters, digits, '.', '_' and '-', is never empty, never starts with '.' or '-',
 * is at most IOM_FNAME_MAX bytes with its ".pdf", is never one that Windows
 * refuses (CON.pdf), and two IDs never get the same name, so no ID can
 * place a file outside briefs/ or overwrite another.
 */
#ifndef IOM_FNAME_H
#define IOM_FNAME_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/record.h"
#include "iom/status.h"

#define IOM_FNAME_MAX 100

/*
 * Names for 'n' records, in the same order: "ID.pdf" made safe, with
 * "_2", "_3" ... before ".pdf" where two IDs give the same name.
 * *out is an array of n strings; free it with iom_fname_free(*out, n).
 * *tries (when 'tries' is not NULL) is the number of candidate names
 * looked up: at most twice n, however many IDs clash.
 */
enum iom_status iom_fname_build(const struct iom_record *const *recs,
                                size_t n, char ***out, unsigned long *tries);
void iom_fname_free(char **names, size_t n);

/*
 * True when Windows would refuse 'name' as a file name or open something
 * else: a device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9, in any case,
 * also followed by spaces or an extension: "nul.pdf", "Com1.txt.eml"), or
 * a name ending in '.' or ' '.  Brief names never are.
 */
bool iom_fname_windows_refuses(const char *name);

#endif
