/*
 * match: the selection against the data: the filters as the data spells
 * them, and what a selection that matches nothing is told.
 */
#ifndef IOM_MATCH_H
#define IOM_MATCH_H

#include "iom/status.h"

struct iom_run;

/* r->opts.sel and r->selection in the spelling of r->agg's groups. */
enum iom_status iom_match_spell(struct iom_run *r);

/*
 * Say what the input holds for each part of the selection that narrows
 * it; IOM_ENOMATCH (or IOM_ENOMEM).
 */
enum iom_status iom_match_explain_none(struct iom_run *r);

#endif
