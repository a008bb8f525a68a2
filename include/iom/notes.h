/*
 * notes: the "Data and definitions" of a run, one list of items that the
 * summary and the workbook both show: where the figures come from (input
 * file and digest, record counts, generation time, selection) and what
 * Year, Budget, Share and Unspecified mean.
 */
#ifndef IOM_NOTES_H
#define IOM_NOTES_H

#include <stddef.h>

#include "iom/report.h"
#include "iom/status.h"

#define IOM_NOTES_TITLE "Data and definitions"
#define IOM_NOTES_MAX 10
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

#endif
