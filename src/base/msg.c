/*
 * msg: prefixed diagnostics on standard error.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "iom/msg.h"
#include "iom/text.h"

static enum iom_verbosity verbosity = IOM_QUIET;
static unsigned long warnings;
static unsigned long errors;

void
iom_msg_set_verbosity(enum iom_verbosity v)
{
    verbosity = v;
}

unsigned long
iom_msg_warning_count(void)
{
    return warnings;
}

unsigned long
iom_msg_error_count(void)
{
    return errors;
}

static void
vprint(const char *kind, const char *fmt, va_list ap)
{
    /* One fprintf-sized write per line keeps lines whole when workers
     * share stderr. */
    char line[4096], safe[4 * sizeof line];
    int n = vsnprintf(line, sizeof line, fmt, ap);

    if (n < 0)
        return;
    /* Messages quote input: whatever it holds, a message stays one line
     * of plain text. */
    iom_text_escape(line, strlen(line), safe, sizeof safe);
    fprintf(stderr, "iomreport: %s%s%s\n", kind, safe,
            (size_t)n >= sizeof line ? "..." : "");
}

void
iom_errorf(const char *fmt, ...)
{
    va_list ap;

    errors++;
    va_start(ap, fmt);
    vprint("", fmt, ap);
    va_end(ap);
}

void
iom_warnf(const char *fmt, ...)
{
    va_list ap;

    warnings++;
    va_start(ap, fmt);
    vprint("warning: ", fmt, ap);
    va_end(ap);
}

void
iom_notef(const char *fmt, ...)
{
    va_list ap;

    if (verbosity < IOM_VERBOSE)
        return;
    va_start(ap, fmt);
    vprint("", fmt, ap);
    va_end(ap);
}

void
iom_infof(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprint("", fmt, ap);
    va_end(ap);
}
