/*
 * outcome: the last line of a run: what was published where, what was
 * mailed and how long it took (for a person watching), or what is true
 * when a stop signal ended it.
 */
#ifndef IOM_OUTCOME_H
#define IOM_OUTCOME_H

struct iom_run;

/* "published output/2001: 10 briefs, summary, workbook; 0 rejected; 1.2 s" */
void iom_outcome_done(const struct iom_run *r);

/* The stop signal's line: what was published, what was sent. */
void iom_outcome_stopped(const struct iom_run *r);

#endif
