/*
 * rejects: rejected.csv, written as records are rejected into an
 * anonymous temporary file (so a million bad records cost no memory) and
 * copied into the run's output at the end.
 *
 * Layout: Line,Column,Reason, then the file's own header names; each row
 * holds the record's original fields as read (untrimmed).
 */
#ifndef IOM_REJECTS_H
#define IOM_REJECTS_H

#include <stddef.h>
#include <stdio.h>

#include "iom/csv_in.h"
#include "iom/status.h"

struct iom_rejects {
    FILE *tmp;
    size_t count;
};

enum iom_status iom_rejects_init(struct iom_rejects *rej);
void iom_rejects_release(struct iom_rejects *rej);

/* The input's header row (called once, before any add). */
enum iom_status iom_rejects_header(struct iom_rejects *rej,
                                   const struct iom_csv_row *header);
enum iom_status iom_rejects_add(struct iom_rejects *rej,
                                const struct iom_csv_row *row,
                                const char *column, const char *reason);

/* Write the whole rejected.csv (the header row alone when none) to 'out'. */
enum iom_status iom_rejects_copy(struct iom_rejects *rej, FILE *out);

/* Write one CSV field, quoted only when it must be (RFC 4180). */
int iom_csv_put_field(FILE *out, const char *s, size_t len);

#endif
