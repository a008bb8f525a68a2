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
/* Held lines, and the counts they added (see iom_msg_hold()). */
static FILE *held;
static unsigned long held_warnings;
static unsigned long held_errors;

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

/* 'out': stderr, or the held lines. */
static void
vprint(FILE *out, const char *kind, const char *fmt, va_list ap)
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
    fprintf(out, "iomreport: %s%s%s\n", kind, safe,
            (size_t)n >= sizeof line ? "..." : "");
}

void
iom_errorf(const char *fmt, ...)
{
    va_list ap;

    errors++;
    held_errors += held != NULL;
    va_start(ap, fmt);
    vprint(held ? held : stderr, "", fmt, ap);
    va_end(ap);
}

void
iom_warnf(const char *fmt, ...)
{
    va_list ap;

    warnings++;
    held_warnings += held != NULL;
    va_start(ap, fmt);
    vprint(held ? held : stderr, "warning: ", fmt, ap);
    va_end(ap);
}

void
iom_notef(const char *fmt, ...)
{
    va_list ap;

    if (verbosity < IOM_VERBOSE)
        return;
    va_start(ap, fmt);
    vprint(stderr, "", fmt, ap);
    va_end(ap);
}

void
iom_infof(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprint(stderr, "", fmt, ap);
    va_end(ap);
}

enum iom_status
iom_msg_hold(void)
{
    if (!held)
        held = tmpfile();
    return held ? IOM_OK : IOM_EIO;
}

void
iom_msg_release(bool say)
{
    char block[64 * 1024];
    size_t n;

    if (!held)
        return;
    if (say) {
        rewind(held);
        while ((n = fread(block, 1, sizeof block, held)) > 0)
            fwrite(block, 1, n, stderr);
    } else {
        warnings -= held_warnings;
        errors -= held_errors;
    }
    fclose(held);
    held = NULL;
    held_warnings = 0;
    held_errors = 0;
}
