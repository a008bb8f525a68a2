/*
 * status: text and exit status of each enum iom_status; the immediate exit.
 */
#include <sysexits.h>
#include <unistd.h>

#include "iom/status.h"

#ifdef IOM_COVERAGE
/* GCC's coverage runtime (libgcov); not async-signal-safe, which only a
 * coverage build accepts. */
void __gcov_dump(void);
#endif

static const char *const status_text[IOM_STATUS_COUNT] = {
#define IOM_STATUS_TEXT(name, text) text,
    IOM_STATUS_LIST(IOM_STATUS_TEXT)
#undef IOM_STATUS_TEXT
};

const char *
iom_strerror(enum iom_status s)
{
    if ((unsigned)s >= IOM_STATUS_COUNT)
        return "unknown error";
    return status_text[s];
}

int
iom_exit_code(enum iom_status s)
{
    switch (s) {
    case IOM_OK:
        return EX_OK;
    case IOM_EUSAGE:
        return EX_USAGE;
    case IOM_ENOINPUT:
    case IOM_ECSV:
        return EX_NOINPUT;
    case IOM_EINVALID:
    case IOM_EOVERFLOW:
    case IOM_EJSON:
    case IOM_EREJECTED:
    case IOM_ESTRICT:
    case IOM_EWITHHELD:
    case IOM_ENOMATCH:
        return EX_DATAERR;
    case IOM_ECANTCREAT:
    case IOM_ENOTOURS:
        return EX_CANTCREAT;
    case IOM_ELOCKED:
    case IOM_ESMTP:
    case IOM_EUNSURE:
        return EX_TEMPFAIL;
    case IOM_EREFUSED:
        return EX_NOUSER;
    case IOM_EINTR:
        return 128 + 2;
    case IOM_EFONT:
        return EX_OSFILE;
    case IOM_ENOMEM:
        return EX_OSERR;
    case IOM_EIO:
    case IOM_EPDF:
    case IOM_EXLSX:
    case IOM_STATUS_COUNT:
        break;
    }
    return EX_IOERR;
}

void
iom_exit_now(int code)
{
#ifdef IOM_COVERAGE
    __gcov_dump();
#endif
    _exit(code);
}
