/*
 * source: the input file as a store the renderers read records back from.
 * A run keeps in memory only what the totals and the summary need; the
 * brief and the workbook row of a project read its record again, whole,
 * from its offset, so memory does not grow with the descriptions.  Reads
 * use pread(2), so forked workers share the descriptor without sharing a
 * file position.
 */
#ifndef IOM_SOURCE_H
#define IOM_SOURCE_H

#include <stdint.h>
#include <stdio.h>

#include "iom/record.h"
#include "iom/status.h"
#include "iom/validate.h"

struct iom_source_digest;

struct iom_source {
    FILE *f;                     /* the input, or a copy of standard input */
    struct iom_source_digest *digest;  /* SHA-256 being computed */
    struct iom_validator *v;     /* borrowed: the header's column map */
    struct iom_recset scratch;   /* the record last loaded */
    char *bytes;                 /* its bytes as read */
    size_t cap;
};

/*
 * Open 'path' ("-": standard input, copied into an unlinked temporary file
 * so that it can be read again; so is a FIFO).  s->f is the stream to
 * parse, at its start, owned by 's'.  Set s->v to the validator that reads
 * it before loading records.  IOM_ENOINPUT with a message when the
 * input cannot be opened or is a folder.
 */
enum iom_status iom_source_open(struct iom_source *s, const char *path);
void iom_source_close(struct iom_source *s);

/*
 * Start the input's SHA-256 in a thread of its own, reading the file with
 * pread(2) beside the parser: hashing costs as much as parsing, and the
 * two then share the run's first seconds on two cores.
 */
enum iom_status iom_source_digest_start(struct iom_source *s);
/* Wait for it: lowercase hex and the input's size in bytes. */
enum iom_status iom_source_digest_finish(struct iom_source *s, char hex[65],
                                         uint64_t *bytes);

/*
 * The whole record of 'rec' (a record of this input), read again.  *out
 * points into 's' and stays valid until the next load or close.
 */
enum iom_status iom_source_load(struct iom_source *s,
                                const struct iom_record *rec,
                                const struct iom_record **out);

#endif
