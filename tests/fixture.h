/*
 * fixture: what the unit tests share.  Records built by hand into a
 * struct iom_recset, input files read and validated as a run reads them,
 * scratch folders and files, and files read back whole.  Every function
 * fails the running cmocka test when something it needs does not work, so
 * callers check only what their test is about.
 */
#ifndef IOM_TEST_FIXTURE_H
#define IOM_TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "iom/agg.h"
#include "iom/money.h"
#include "iom/record.h"
#include "iom/report.h"
#include "iom/rejects.h"
#include "iom/select.h"
#include "iom/status.h"

/* A copy of 's' in the set's string store. */
const char *fixture_intern(struct iom_recset *rs, const char *s);

/*
 * Append a project to 'rs' and return it, for the caller to fill in more
 * fields (with strings from fixture_intern) before the next append moves
 * it.  'states' is a ";"-separated list, NULL for none.  The optional text
 * fields are "", the dates empty, and the line is that of a file with a
 * header and one line per record.
 */
struct iom_record *fixture_add_record(struct iom_recset *rs, const char *id,
                                      const char *title, const char *region,
                                      const char *type, int year,
                                      int64_t cents, const char *states);

/* A record set, a selection over it and their aggregate. */
struct fixture_agg {
    struct iom_recset rs;
    struct iom_selection sel;
    struct iom_agg *agg;       /* NULL until built */
};

void fixture_agg_init(struct fixture_agg *fa);

/* The report of the renderers' tests: 'label' and 'selection' (may be
 * NULL), a fixed creation time and the repository's fonts. */
void fixture_report_init(struct iom_report *rep, const char *label,
                         const char *selection);
/* Aggregate 'rs' under 'sel' as they stand now, replacing an earlier
 * aggregate; the result stays in fa->agg. */
struct iom_agg *fixture_agg_build(struct fixture_agg *fa);
void fixture_agg_release(struct fixture_agg *fa);

/* Every dimension of 'agg' sums to its count and total, each share is its
 * own rounding (fixture_share_tenths); the Region x Year cells sum to
 * their region and year groups and carry no share. */
void fixture_assert_agg_adds_up(const struct iom_agg *agg);
/* The share of 'cents' in 'total' in tenths of a percent, rounded on its
 * own (halves up), worked out here apart from agg. */
int fixture_share_tenths(int64_t cents, int64_t total);

/* An input file read through the validator, as a run reads it. */
struct fixture_input {
    struct iom_recset rs;      /* the accepted records */
    struct iom_rejects rej;    /* the rejected ones */
    enum iom_status st;        /* what iom_csv_read returned */
    size_t records;            /* records after the header */
    bool has_header;
};

/* Read 'f' from where it stands; 'name' is the input's name in messages. */
void fixture_input_read(struct fixture_input *in, FILE *f, const char *name);
void fixture_input_load(struct fixture_input *in, const char *path);
/* The same for a file whose fields are separated by 'delim' and whose
 * budgets are written as 'form' says. */
void fixture_input_load_as(struct fixture_input *in, const char *path,
                           char delim, enum iom_money_form form);
void fixture_input_release(struct fixture_input *in);

/* A temporary file holding 'len' bytes of 'bytes', rewound. */
FILE *fixture_tmpfile(const void *bytes, size_t len);

/* Everything in 'f' from its start, NUL-terminated; the caller frees it.
 * 'len' (may be NULL) gets the byte count. */
char *fixture_read_stream(FILE *f, size_t *len);
char *fixture_read_file(const char *path, size_t *len);

/*
 * What the code under test prints on standard output (fd 1) or standard
 * error (fd 2), from fixture_capture_begin() to fixture_capture_end(),
 * which gives it back NUL-terminated (the caller frees it).  One capture
 * at a time.
 */
void fixture_capture_begin(int fd);
char *fixture_capture_end(void);

/*
 * A run (iom_run_init()) of 'input' into a new empty folder, its name in
 * 'dir' (of 'size'): label "t", the workbook its only output.
 */
struct iom_run;
void fixture_run_init(struct iom_run *r, const char *input, char *dir,
                      size_t size);

/* DIR/NAME holding 'text'. */
void fixture_write_file(const char *dir, const char *name, const char *text);

/* A new empty folder /tmp/TAG.XXXXXX, its name in 'dir' (of 'size'). */
void fixture_tmpdir(char *dir, size_t size, const char *tag);
/* Remove 'dir' and everything below it; for clean-up, so it never fails. */
void fixture_rmtree(const char *dir);

/*
 * Call fn(ctx) with each allocation of ours it makes failing in turn
 * (tests/oom/failalloc.h), then with none failing, and return what that
 * last call returned.  Every failing call must return IOM_ENOMEM having
 * printed at most 'lines' errors: running out of memory is neither taken
 * for another failure nor told twice.  'fn' releases what a failed call
 * left; it must allocate at least once.
 */
enum iom_status fixture_fail_each_alloc(enum iom_status (*fn)(void *ctx),
                                        void *ctx, unsigned long lines);

/* 'path' is a file that starts as a PDF does; returns its size. */
off_t fixture_assert_pdf(const char *path);

#endif
