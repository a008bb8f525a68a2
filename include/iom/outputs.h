/*
 * outputs: what a run writes into its staging folder: the documents (by
 * the pool), rejected.csv and manifest.json; and, under --strict, only
 * rejected.csv, beside the label.
 */
#ifndef IOM_OUTPUTS_H
#define IOM_OUTPUTS_H

#include "iom/status.h"

struct iom_run;

/* Every file of the run into r->pub.staging, the manifest last. */
enum iom_status iom_outputs_write(struct iom_run *r);

/*
 * Publish nothing: rejected.csv written under the lock and renamed beside
 * the label (iom_run_rejects_list()); 'said' is the run's one line, to
 * which where the rejects are is added.  Returns 'outcome'.
 */
enum iom_status iom_outputs_withhold(struct iom_run *r, const char *said,
                                     enum iom_status outcome);

#endif
