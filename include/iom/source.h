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

#include "iom/money.h"
#include "iom/record.h"
#include "iom/status.h"
#include "iom/validate.h"

struct iom_source_digest;

/*
 * What the digest saw of the input's bytes as UTF-8, taken on the way:
 * a file with bytes that are not UTF-8 and no multi-byte UTF-8 sequence
 * at all is in a single-byte code page (Windows-1252 from Excel), not
 * UTF-8 with a few bad records.
 */
struct iom_source_census {
    uint64_t multibyte;          /* valid multi-byte UTF-8 sequences */
    uint64_t invalid;            /* bytes that are not UTF-8 */
    uint64_t first_invalid;      /* offset of the first of them */
};


/*
 * The code page a file that is mostly not UTF-8 is read in: what Excel on
 * Windows saves as "CSV".
 */
#define IOM_CODE_PAGE "cp1252"

struct iom_source {
    FILE *f;                     /* the input, or a copy of standard input */
    FILE *raw;                   /* with --encoding: the bytes as given
                                  * ('f' is then their UTF-8 copy) */
    char delim;                  /* field separator of 'f' (0: ',') */
    enum iom_money_form money_form;  /* how its budgets are written */
    struct iom_source_digest *digest;  /* SHA-256 being computed */
    struct iom_source_census census;   /* its UTF-8 census, once done */
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

/* After iom_source_digest_finish(): the census of the whole input. */
const struct iom_source_census *iom_source_census(const struct iom_source *s);

/*
 * Read the input as 'encoding' (an iconv name): its bytes are converted
 * to UTF-8, block by block, into an unlinked temporary file that becomes
 * s->f; s->raw keeps the bytes as given, which the digest reads.  Line
 * ends are kept, so line numbers are those of the input.  IOM_EUSAGE when
 * iconv knows no such encoding, IOM_ECSV (with a message naming 'name'
 * and the line) when the input holds a byte sequence that is not in it.
 */
enum iom_status iom_source_convert(struct iom_source *s, const char *name,
                                   const char *encoding);

/* First bytes of s->f (up to 'cap' - 1, NUL-terminated), for sniffing. */
size_t iom_source_head(const struct iom_source *s, char *buf, size_t cap);

/*
 * The whole record of 'rec' (a record of this input), read again.  *out
 * points into 's' and stays valid until the next load or close.  Says
 * what failed, except for IOM_ENOMEM, which the caller names.
 */
enum iom_status iom_source_load(struct iom_source *s,
                                const struct iom_record *rec,
                                const struct iom_record **out);

#endif
