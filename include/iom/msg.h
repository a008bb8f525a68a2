/*
 * msg: every line iomreport prints to standard error goes through here, so
 * that each carries the "iomreport: " prefix and verbosity is decided once.
 * The only global state of the program lives in this module.
 */
#ifndef IOM_MSG_H
#define IOM_MSG_H

#include <stdbool.h>

#include "iom/status.h"

enum iom_verbosity {
    IOM_QUIET = 0,   /* warnings and errors only (the default for cron) */
    IOM_VERBOSE = 1  /* plus one line per stage */
};

void iom_msg_set_verbosity(enum iom_verbosity v);

/* "iomreport: error text" on stderr. */
void iom_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "iomreport: warning: text" on stderr. */
void iom_warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "iomreport: text" on stderr, only with --verbose. */
void iom_notef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "iomreport: text" on stderr whatever the verbosity: for what a person at
 * a terminal asked to see (the caller decides when). */
void iom_infof(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Hold the warnings and errors said from now on instead of printing them,
 * until iom_msg_release(): a decision that comes after them (how the
 * input is encoded) may make them wrong.  They are kept in an unlinked
 * temporary file, so a million of them cost no memory.  IOM_EIO when it
 * cannot be made; nothing is held then.
 */
enum iom_status iom_msg_hold(void);
/* Print what was held ('say'), or drop it as never said; holding ends. */
void iom_msg_release(bool say);
/* Print what was held; holding goes on. */
void iom_msg_flush(void);

/*
 * Around a library call that prints lines of its own to standard error
 * (libxlsxwriter's "[ERROR] ..."): they are dropped, iomreport says what
 * failed in its own words, one line.  iom_msg_mute() returns what
 * iom_msg_unmute() needs (-1: nothing was muted).
 */
int iom_msg_mute(void);
void iom_msg_unmute(int saved);
/* Where iomreport's own lines go: standard error, or where it was while
 * a library is muted.  Async-signal-safe (the crash line uses it). */
int iom_msg_fd(void);

/* Number of warnings printed so far (tests check that one was given). */
unsigned long iom_msg_warning_count(void);
/* Number of errors printed so far by this process. */
unsigned long iom_msg_error_count(void);

#endif
