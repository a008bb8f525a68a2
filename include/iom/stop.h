/*
 * stop: what ends a run from outside.  A stop signal (SIGINT, SIGTERM,
 * SIGHUP) is only recorded: the pipeline checks between briefs and between
 * stages and unwinds through its normal cleanup, which removes the staging
 * folder and releases the lock.  A crash (SIGSEGV and the like) prints
 * one line saying what the run was doing and exits 128 + N.
 */
#ifndef IOM_STOP_H
#define IOM_STOP_H

#include <signal.h>
#include <stdatomic.h>

#include "iom/status.h"

/*
 * Install the handlers.  'doing' is the text a crash names ("... while
 * DOING"); it stays borrowed and may change as the run goes (it is read
 * only when a crash happens).
 */
void iom_stop_catch(const char *doing);

/*
 * What the crash line says happened: from iom_stop_published() on, the
 * run's outputs are published (and the messages not logged as sent go
 * with the next run), not "nothing published".
 */
void iom_stop_published(void);

/*
 * Workers that fail alike say it once: a crash line is said only when
 * '*said' was 0 (set then); NULL (the default): always said.
 */
void iom_stop_share_said(atomic_int *said);

/* The stop signal received, 0 while none was. */
int iom_stop_signal(void);

/* The same as a flag for code that polls it (delivery). */
const volatile sig_atomic_t *iom_stop_flag(void);

/* IOM_EINTR in place of IOM_OK once a stop signal came; 'st' otherwise. */
enum iom_status iom_stop_check(enum iom_status st);

#endif
