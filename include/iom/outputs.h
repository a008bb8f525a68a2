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
 * --strict with rejects: nothing published, rejected.csv written under the
 * lock and renamed beside the label; always IOM_ESTRICT (said).
 */
enum iom_status iom_outputs_refuse_strict(struct iom_run *r);

#endif
