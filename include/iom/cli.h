/*
 * cli: the command line (getopt_long) into struct iom_opts.  Never exits
 * and never prints except through the caller: tests call it directly.
 */
#ifndef IOM_CLI_H
#define IOM_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "iom/guard.h"
#include "iom/select.h"
#include "iom/status.h"

enum iom_cli_result {
    IOM_CLI_RUN,
    IOM_CLI_HELP,
    IOM_CLI_VERSION,
    IOM_CLI_USAGE      /* bad command line: 'error' says why */
};

enum iom_output_kind {
    IOM_OUT_BRIEFS = 1 << 0,
    IOM_OUT_SUMMARY = 1 << 1,
    IOM_OUT_WORKBOOK = 1 << 2,
    IOM_OUT_BOOK = 1 << 3,
    IOM_OUT_ALL = 15
};

struct iom_opts {
    const char *input;        /* "-" for standard input */
    const char *output;
    const char *label;        /* NULL: from the selection */
    const char *fonts;        /* --fonts DIR, or NULL */
    struct iom_selection sel;
    unsigned only;            /* enum iom_output_kind bits */
    bool strict;
    struct iom_limit max_rejected;  /* --max-rejected, if given */
    bool allow_shrink;        /* --allow-shrink */
    bool dry_run;
    bool verbose;
    int progress;             /* -1 auto, 0 off, 1 on */
    int wait_seconds;         /* -1 no --wait, 0 wait forever */
    int keep;                 /* run folders kept */
    long jobs;                /* 0: online CPUs */
    bool input_given;         /* --input was on the command line */
    bool send;                /* --send, or the send subcommand */
    bool send_only;           /* "send LABEL": deliver a published run */
    const char *stakeholders; /* --stakeholders FILE */
    uint64_t max_message_bytes; /* --max-message-mb, in bytes */
    bool changed_only;
    const char *outbox;       /* --outbox DIR, or NULL */
    const char *encoding;     /* --encoding NAME, or NULL: UTF-8 */
    char delimiter;           /* --delimiter, or 0: from the header */
    bool decimal_comma;       /* --decimal-comma */
    char error[256];
};

void iom_opts_init(struct iom_opts *o);
void iom_opts_release(struct iom_opts *o);

/* Parse argv into 'o' (initialised by the caller). */
enum iom_cli_result iom_cli_parse(int argc, char **argv, struct iom_opts *o);

/* The --help text. */
const char *iom_cli_help(void);

#endif
