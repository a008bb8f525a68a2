/*
 * rejects: rejected.csv, written as records are rejected into an
 * anonymous temporary file (so a million bad records cost no memory) and
 * copied into the run's output at the end.
 *
 * Layout: a UTF-8 byte-order mark, Line,Column,Reason, then the file's own
 * header names; each row holds the record's original fields as read
 * (untrimmed).
 */
#ifndef IOM_REJECTS_H
#define IOM_REJECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "iom/csv_in.h"
#include "iom/status.h"

/* The lists of a run folder: the records rejected, and the records kept
 * with a warning (same layout). */
#define IOM_REJECTS_FILE "rejected.csv"
#define IOM_WARNINGS_FILE "warnings.csv"

/* A reject's identity: a digest of its column, reason and fields. */
#define IOM_REJECT_KEY 16

struct iom_rejects {
    FILE *tmp;
    size_t count;
    unsigned char (*keys)[IOM_REJECT_KEY]; /* the previous run's, sorted */
    size_t n_keys;
    size_t known;             /* rejects found among them */
};

enum iom_status iom_rejects_init(struct iom_rejects *rej);
void iom_rejects_release(struct iom_rejects *rej);

/* The input's header row (called once, before any add). */
enum iom_status iom_rejects_header(struct iom_rejects *rej,
                                   const struct iom_csv_row *header);
enum iom_status iom_rejects_add(struct iom_rejects *rej,
                                const struct iom_csv_row *row,
                                const char *column, const char *reason);

/*
 * Remember the rejects listed in 'path' (the rejected.csv of the previous
 * published run), for iom_rejects_known().  A missing file is no error:
 * there was no run, or it rejected nothing.
 */
enum iom_status iom_rejects_load_known(struct iom_rejects *rej,
                                       const char *path);

/*
 * Whether the previous run rejected the same record (same fields, column
 * and reason; its line may have moved) for the same reason; counted in
 * rej->known.  The caller lists only new rejects line by line.
 */
bool iom_rejects_known(struct iom_rejects *rej,
                       const struct iom_csv_row *row, const char *column,
                       const char *reason);

/*
 * Write the whole rejected.csv (the header row alone when none) to 'out'.
 * It starts with a UTF-8 byte-order mark, which spreadsheets need to show
 * accents.
 */
enum iom_status iom_rejects_copy(struct iom_rejects *rej, FILE *out);

/* Write one CSV field, quoted only when it must be (RFC 4180). */
int iom_csv_put_field(FILE *out, const char *s, size_t len);

#endif
