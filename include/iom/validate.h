/*
 * validate: every rule of the README's Input section.  Takes the raw records of
 * csv_in (the header first), turns each good one into a struct iom_record
 * in a recset, and hands each bad one, with its line, the column of its
 * first fault and all its faults, to the rejects writer and to standard
 * error.  Only what the reports add up, key on or title by decides: a
 * descriptive field that cannot be read (a date) or that looks wrong is
 * warned about and shown as given.
 */
#ifndef IOM_VALIDATE_H
#define IOM_VALIDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "iom/csv_in.h"
#include "iom/money.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/status.h"
#include "iom/text.h"

struct iom_validator;

/*
 * 'input_name' names the file in messages; 'rs' receives accepted records
 * and 'rej' rejected ones.  All three are borrowed and must outlive the
 * validator.
 */
enum iom_status iom_validator_new(const char *input_name,
                                  struct iom_recset *rs,
                                  struct iom_rejects *rej,
                                  struct iom_validator **out);
void iom_validator_free(struct iom_validator *v);     /* NULL: no-op */

/*
 * Take the next record (an iom_csv_row_fn: pass the validator as ctx).
 * The first record is the header: IOM_ECSV when a required column is
 * missing or a column appears twice (the message is printed).
 */
enum iom_status iom_validate_row(void *validator,
                                 const struct iom_csv_row *row);

/* How budgets are written (IOM_MONEY_POINT until told). */
void iom_validator_money_form(struct iom_validator *v,
                              enum iom_money_form form);

/* Accepted records so far. */
size_t iom_validator_accepted(const struct iom_validator *v);

/*
 * Hand each accepted record to 'sink' instead of adding it to the recset:
 * nothing per record stays in memory but its ID (in the recset, for the
 * duplicate check).  The record's member state list is valid only during
 * the call; its other strings live in the recset.  A status other than
 * IOM_OK from 'sink' stops the reading with that status.
 */
typedef enum iom_status (*iom_record_sink)(void *ctx,
                                           const struct iom_record *rec);
void iom_validator_stream(struct iom_validator *v, iom_record_sink sink,
                          void *ctx);

/* What accepted records keep in memory besides what the totals need. */
enum iom_keep {
    IOM_KEEP_TEXT = 1 << 0,         /* title, status, coverage, Prima ID */
    IOM_KEEP_DESCRIPTION = 1 << 1,
    IOM_KEEP_ALL = 3
};

/*
 * Keep only 'what' (IOM_KEEP_ALL by default): a large run keeps no
 * description and reads each record again when it renders it; a dry run
 * keeps no text at all.
 */
void iom_validator_keep(struct iom_validator *v, unsigned what);

/*
 * Validate again, whole, a record accepted before (its bytes re-read from
 * its offset) into 'rs', for rendering.  IOM_EINVALID if it no longer
 * passes (the input changed under the run).  Its warnings were said when
 * it was first read: they are not said again.
 */
enum iom_status iom_validator_reload(struct iom_validator *v,
                                     const struct iom_csv_row *row,
                                     struct iom_recset *rs,
                                     struct iom_record *out);

/*
 * Write each warning about a kept record (a date shown as given, a member
 * state listed twice...) also into 'warned' (borrowed, may be NULL), as
 * rejected records go into their list, and say only those that
 * iom_rejects_known() does not know: call before the header is read.
 */
void iom_validator_list_warnings(struct iom_validator *v,
                                 struct iom_rejects *warned);

/*
 * Collect into 'cs' (borrowed, may be NULL) every character of the
 * accepted records' text, for the per-run font subset.
 */
void iom_validator_track_chars(struct iom_validator *v,
                               struct iom_charset *cs);

/* True once a header has been read. */
bool iom_validator_has_header(const struct iom_validator *v);
/* Data records seen (accepted plus rejected). */
size_t iom_validator_records(const struct iom_validator *v);

/*
 * Field parsers, public for the tests.  Each returns IOM_EINVALID and sets
 * *why on bad input, leaving *out alone.  A date is YYYY, YYYY-MM or
 * YYYY-MM-DD, the last also with a midnight time after a space or 'T'
 * ("2001-04-01 00:00", "2001-04-01T00:00:00", seconds' fractions of
 * zeros), as exports write dates that were date-times.
 */
enum iom_status iom_parse_date(const char *s, struct iom_date *out,
                               const char **why);
enum iom_status iom_parse_year(const char *s, int *out, const char **why);
/*
 * The faults of a record as a whole, checked before its fields in every
 * CSV file read (projects and stakeholders): what csv_in found broken, a
 * field count other than the header's 'n_fields', a field that is not
 * UTF-8 or holds a NUL byte.  NULL when there is none; else the column to
 * report, "(record)" or names[c] for the column c whose field index col[c]
 * is at fault (of the n_cols columns), with the reason in 'reason'.
 */
const char *iom_row_fault(const struct iom_csv_row *row, size_t n_fields,
                          const char *const *names, const size_t *col,
                          size_t n_cols, char *reason, size_t size);
/*
 * The next item of the list s[0..len) from *at on: items are separated by
 * ';' or '|' and trimmed, empty ones skipped.  False at the end of the
 * list; else *item and *item_len (never 0) point into 's'.  Start with
 * *at = 0.
 */
bool iom_list_next(const char *s, size_t len, size_t *at, const char **item,
                   size_t *item_len);
/* End before start, compared at the coarser of the two precisions; never
 * when either is empty or IOM_DATE_GIVEN. */
bool iom_date_before(const struct iom_date *end, const struct iom_date *start);

#endif
