/*
 * status: the one list of ways an iomreport operation can end, with the text
 * for each and the sysexits.h exit status the command maps it to; and the
 * one way a process ends at once.
 */
#ifndef IOM_STATUS_H
#define IOM_STATUS_H

#define IOM_STATUS_LIST(X) \
    X(IOM_OK,        "success") \
    X(IOM_ENOMEM,    "out of memory") \
    X(IOM_EUSAGE,    "invalid command line") \
    X(IOM_ENOINPUT,  "cannot read input") \
    X(IOM_ECSV,      "malformed CSV") \
    X(IOM_EINVALID,  "invalid record") \
    X(IOM_EOVERFLOW, "a total does not fit in 64 bits") \
    X(IOM_EREJECTED, "some records were rejected") \
    X(IOM_ESTRICT,   "records rejected under --strict") \
    X(IOM_EWITHHELD, "the night looks damaged: nothing published") \
    X(IOM_ECANTCREAT, "cannot create output folder") \
    X(IOM_ENOTOURS,  "a file or folder iomreport did not make is in the way") \
    X(IOM_EIO,       "cannot write output") \
    X(IOM_EPDF,      "PDF rendering failed") \
    X(IOM_EXLSX,     "XLSX rendering failed") \
    X(IOM_EFONT,     "font not found") \
    X(IOM_ELOCKED,   "output folder is locked by another run") \
    X(IOM_EINTR,     "interrupted") \
    X(IOM_ESMTP,     "mail server unavailable") \
    X(IOM_EREFUSED,  "a recipient was refused") \
    X(IOM_EUNSURE,   "a message may or may not have been delivered") \
    X(IOM_EJSON,     "malformed JSON") \
    X(IOM_ENOMATCH,  "no project matches the selection")

enum iom_status {
#define IOM_STATUS_ENUM(name, text) name,
    IOM_STATUS_LIST(IOM_STATUS_ENUM)
#undef IOM_STATUS_ENUM
    IOM_STATUS_COUNT
};

/* Static text for 's'; never NULL, also for values out of range. */
const char *iom_strerror(enum iom_status s);

/* The sysexits.h status the command exits with when a run ends with 's'. */
int iom_exit_code(enum iom_status s);

/* _exit(code): no atexit handlers, no stdio flush, so safe in a forked
 * worker and in a signal handler.  A coverage build (-DIOM_COVERAGE)
 * first writes the process's coverage counts, which _exit would lose. */
_Noreturn void iom_exit_now(int code);

#endif
