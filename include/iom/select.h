/*
 * select: which projects a run covers (--year, --region, --type) and the
 * label of its output folder.
 */
#ifndef IOM_SELECT_H
#define IOM_SELECT_H

#include <stdbool.h>
#include <stddef.h>

#include "iom/record.h"
#include "iom/status.h"

#define IOM_LABEL_MAX 64

struct iom_year_range {
    int first;
    int last;
};

/* Caller-owned; the name arrays borrow argv strings. */
struct iom_selection {
    struct iom_year_range *years;  /* empty: every year */
    size_t n_years;
    const char **regions;          /* empty: every region */
    size_t n_regions;
    const char **types;            /* empty: every type */
    size_t n_types;
};

void iom_selection_init(struct iom_selection *sel);
void iom_selection_release(struct iom_selection *sel);

/*
 * Parse "YYYY" or "FIRST-LAST" (IOM_YEAR_MIN..IOM_YEAR_MAX, FIRST <= LAST)
 * and add it.  IOM_EUSAGE, with *why set, when it does not parse.
 */
enum iom_status iom_selection_add_years(struct iom_selection *sel,
                                        const char *arg, const char **why);
enum iom_status iom_selection_add_region(struct iom_selection *sel,
                                         const char *name);
enum iom_status iom_selection_add_type(struct iom_selection *sel,
                                       const char *name);

/* Region and type compare case-insensitively and exactly. */
bool iom_selection_matches(const struct iom_selection *sel,
                           const struct iom_record *rec);

/*
 * Spell each region and type name as the first of regions[] (types[])
 * equal to it ignoring case spells it ("africa" becomes "Africa"), so
 * that the selection echoes the data, not what was typed; a name none
 * matches stays as typed.  The names then borrow those strings, which
 * must outlive the selection's use.
 */
void iom_selection_adopt_names(struct iom_selection *sel,
                               const char *const *regions, size_t n_regions,
                               const char *const *types, size_t n_types);

/*
 * The default label, naming the whole selection so that two different
 * selections never share one: the years as sorted, merged ranges joined
 * by '_' ("2001", "2001-2005", "2001_2004", or "all"), then "_r-NAME" per
 * region and "_t-NAME" per type (lower case, a space shown as '.').  When
 * a name holds anything else, or the label would be longer than
 * IOM_LABEL_MAX - 1 bytes, its start is kept and "_h-" with 10 hex digits
 * of a SHA-256 of the selection ends it.
 */
enum iom_status iom_selection_label(const struct iom_selection *sel,
                                    char out[IOM_LABEL_MAX]);

/* Human description with the years merged as for the label, e.g.
 * "Years 2001-2003, 2005; IDF Region: Africa". */
enum iom_status iom_selection_describe(const struct iom_selection *sel,
                                       char **out);

/* Letters, digits, '.', '_', '-'; 1..IOM_LABEL_MAX-1 bytes; not "." or "..". */
bool iom_label_valid(const char *label);

#endif
