/*
 * input: a run's reading of its input: the delimiter (given or sniffed),
 * the encoding, the validator, the rejects of the run published before
 * (listed once, not every night), the characters for the font subsets,
 * the digest, and a dry run's streamed totals.
 */
#ifndef IOM_INPUT_H
#define IOM_INPUT_H

#include "iom/status.h"

struct iom_run;

/* Read r->opts.input into the run; what fails is printed. */
enum iom_status iom_input_read(struct iom_run *r);

#endif
