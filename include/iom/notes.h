/*
 * notes: the "Data and definitions" of a run, one list of items that the
 * summary and the workbook both show: where the figures come from (input
 * file and digest, record counts, generation time, selection), what
 * Year, Budget, Share and Unspecified mean, and how the input was read.
 * Also the few words on the records rejected that the summary's cover
 * and the mail put beside their figures.
 */
#ifndef IOM_NOTES_H
#define IOM_NOTES_H

#include <stddef.h>

#include "iom/buf.h"
#include "iom/report.h"
#include "iom/status.h"

#define IOM_NOTES_TITLE "Data and definitions"
#define IOM_NOTES_MAX 12
/* Hex digits of the input's SHA-256 shown; manifest.json has them all. */
#define IOM_NOTES_SHA_DIGITS 16

struct iom_note {
    const char *name;
    char *text;
};

/* Caller-owned; iom_notes_release() frees every text. */
struct iom_notes {
    struct iom_note v[IOM_NOTES_MAX];
    size_t n;
};

/*
 * The items for 'rep', in reading order.  The input file is named by its
 * last component ("projects.csv"), standard input as such; the input items
 * are left out when rep->input is NULL (a report made without an input
 * file).  On failure nothing is left to release.
 */
enum iom_status iom_notes_build(const struct iom_report *rep,
                                struct iom_notes *out);
void iom_notes_release(struct iom_notes *notes);

/*
 * Set 'out' to what the summary's cover and the stakeholders' mail say
 * beside their figures when records were rejected, "16 of 39 records
 * accepted; 23 rejected, listed in rejected.csv"; to "" when none were.
 */
enum iom_status iom_notes_rejected(size_t records, size_t accepted,
                                   size_t rejected, struct iom_buf *out);

#endif
