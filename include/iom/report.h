/*
 * report: what every renderer gets about the run besides the projects.
 */
#ifndef IOM_REPORT_H
#define IOM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/agg.h"
#include "iom/money.h"
#include "iom/text.h"

struct iom_pdf_shared;
struct iom_source;

#define IOM_VERSION "0.1.0"
#define IOM_ORGANIZATION "International Organization for Migration"

struct iom_report {
    const struct iom_agg *agg;
    const char *label;           /* output folder label, e.g. "2001" */
    const char *selection;       /* e.g. "Year 2001" */
    int64_t created;             /* UTC seconds: SOURCE_DATE_EPOCH or now */
    const char *font_regular;    /* TrueType file paths */
    const char *font_bold;
    /*
     * Every character of the accepted records (NULL: not known), so that a
     * document that draws from all of them can pick the encoding of its
     * fonts; and whether every PDF keeps UTF-8 (CID) fonts whatever its
     * text, which the tests compare the single-byte fonts with.
     */
    const struct iom_charset *chars;
    bool utf8_fonts;
    /* The briefs of one process render on it in turn (NULL: each its own
     * libharu document object); see iom_pdf_shared_new(). */
    struct iom_pdf_shared *pdf_shared;
    /* Brief file names ("T81-805.pdf"), parallel to iom_agg_projects(). */
    const char *const *brief_names;
    /*
     * Where the whole record of a project is read again: the records of
     * iom_agg_projects() carry no description (see iom_source_load()).
     */
    struct iom_source *source;
    /*
     * Where the figures come from, for the "Data and definitions": the
     * input as given ("-" for standard input; NULL when there is none),
     * its SHA-256 in hex, and the records read, accepted and rejected.
     */
    const char *input;
    const char *input_sha256;
    /* The encoding it was read in (NULL: UTF-8), and whether that was
     * decided from its bytes rather than given with --encoding. */
    const char *encoding;
    bool encoding_guessed;
    size_t records;
    size_t accepted;
    size_t rejected;
    enum iom_money_form money_form;  /* how the input wrote budgets */
};

#endif
