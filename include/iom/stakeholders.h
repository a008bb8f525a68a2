/*
 * stakeholders: input/stakeholders.csv, who receives what.  Columns Name,
 * Email, Regions (';' or '|' list, empty: every region), Member States
 * (same, empty: every member state) and Send (';' list of summary,
 * workbook, briefs).  Read on csv_in and checked like the projects file:
 * a bad record is reported as "FILE:LINE: COLUMN: reason" on standard
 * error and left out; a bad address is never mailed.
 */
#ifndef IOM_STAKEHOLDERS_H
#define IOM_STAKEHOLDERS_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/record.h"
#include "iom/status.h"

enum iom_send {
    IOM_SEND_SUMMARY = 1 << 0,
    IOM_SEND_WORKBOOK = 1 << 1,
    IOM_SEND_BRIEFS = 1 << 2,
    IOM_SEND_BOOK = 1 << 3
};

struct iom_stakeholder {
    char *name;               /* UTF-8, trimmed, never empty */
    char *email;              /* a checked addr-spec, ASCII */
    char **regions;           /* none: every region */
    size_t n_regions;
    char **states;            /* none: every member state */
    size_t n_states;
    unsigned send;            /* enum iom_send bits, never 0 */
    unsigned long line;       /* where the record starts */
};

/* Every accepted stakeholder, in file order; owns all its strings. */
struct iom_stakeholders {
    struct iom_stakeholder *v;
    size_t n;
    size_t cap;
    size_t rejected;          /* records reported and left out */
};

/*
 * Read 'path' into 's' (initialised to zero by the caller; release it
 * with iom_stakeholders_release() whatever this returns).  IOM_ENOINPUT
 * when the file cannot be opened; IOM_ECSV when it cannot be read as CSV
 * or its header lacks Name, Email or Send.  Rejected records leave the
 * status IOM_OK and count in s->rejected.
 */
enum iom_status iom_stakeholders_read(const char *path,
                                      struct iom_stakeholders *s);
void iom_stakeholders_release(struct iom_stakeholders *s);

/*
 * True when the project is for this stakeholder: its region is among the
 * Regions (or there are none) and one of its member states is among the
 * Member States (or there are none).  Names compare case-insensitively.
 */
bool iom_stakeholder_matches(const struct iom_stakeholder *s,
                             const struct iom_record *rec);

#endif
