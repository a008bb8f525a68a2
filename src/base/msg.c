/*
 * msg: prefixed diagnostics on standard error.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "iom/msg.h"
#include "iom/text.h"

static enum iom_verbosity verbosity = IOM_QUIET;
static unsigned long warnings;
static unsigned long errors;
/* Standard error as it was while a library is muted (-1: not muted). */
static int muted_fd = -1;
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
    if (out == stderr && muted_fd >= 0)
        dprintf(muted_fd, "iomreport: %s%s%s\n", kind, safe,
                (size_t)n >= sizeof line ? "..." : "");
    else
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

/* Say what is held; holding goes on, with nothing held. */
static void
say_held(void)
{
    char block[64 * 1024];
    size_t n;

    rewind(held);
    while ((n = fread(block, 1, sizeof block, held)) > 0)
        if (write(iom_msg_fd(), block, n) < 0)
            break;
    rewind(held);
    if (ftruncate(fileno(held), 0) != 0)
        return;
    held_warnings = 0;
    held_errors = 0;
}

void
iom_msg_flush(void)
{
    if (held && (held_warnings || held_errors))
        say_held();
}

void
iom_msg_release(bool say)
{
    if (!held)
        return;
    if (say) {
        say_held();
    } else {
        warnings -= held_warnings;
        errors -= held_errors;
    }
    fclose(held);
    held = NULL;
    held_warnings = 0;
    held_errors = 0;
}

int
iom_msg_fd(void)
{
    return muted_fd >= 0 ? muted_fd : STDERR_FILENO;
}

int
iom_msg_mute(void)
{
    int saved, null;

    if (muted_fd >= 0)
        return -1;          /* muted already, by the caller's caller */
    saved = dup(STDERR_FILENO);
    null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0) {
        if (saved >= 0)
            close(saved);
        saved = -1;
    }
    if (null >= 0)
        close(null);
    muted_fd = saved;
    return saved;
}

void
iom_msg_unmute(int saved)
{
    if (saved < 0)
        return;
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    muted_fd = -1;
}
