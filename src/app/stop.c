/*
 * stop: the handlers of the stop signals and of a crash.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "iom/msg.h"
#include "iom/stop.h"

/*
 * The signal that asked the run to stop.  The handler only records it: the
 * pipeline checks between briefs and between stages and unwinds through its
 * normal cleanup, which removes the staging folder and releases the lock.
 */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal(int sig)
{
    stop_signal = sig;
}

/*
 * What the run was doing, for a crash: a library that fails an
 * allocation may crash instead of returning (libxlsxwriter 1.1.4 frees a
 * half-made worksheet badly), and cron must still mail a line that says
 * so.  Only async-signal-safe calls.
 */
static const char *crash_stage;
static volatile sig_atomic_t published;
static atomic_int *crash_said;

/* write(2) of what a crash has to say, where iomreport's lines go (not
 * into a muted library's /dev/null); nothing to do if it fails. */
static void
say(const char *s, size_t n)
{
    if (write(iom_msg_fd(), s, n) < 0)
        return;
}

static void
on_crash(int sig)
{
    static const char head[] = "iomreport: crashed (signal ";
    static const char mid[] = ") while ";
    static const char tail[] = "; nothing published\n";
    static const char tail_published[] = "; the run was published, and "
        "what was not mailed goes with the next run\n";
    char num[4];
    size_t n = 0;
    int v = sig;

    if (crash_said && atomic_exchange(crash_said, 1) != 0)
        iom_exit_now(128 + sig);

    do {
        num[sizeof num - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < sizeof num);
    say(head, sizeof head - 1);
    say(num + sizeof num - n, n);
    say(mid, sizeof mid - 1);
    if (crash_stage && *crash_stage)
        say(crash_stage, strlen(crash_stage));
    else
        say("starting", 8);
    if (published)
        say(tail_published, sizeof tail_published - 1);
    else
        say(tail, sizeof tail - 1);
    /* An exit, not the signal again: the status says the same (128 + N)
     * without the shell's own "Segmentation fault" line or a core. */
    iom_exit_now(128 + sig);
}

void
iom_stop_catch(const char *doing)
{
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
    struct sigaction sa;
    size_t i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    crash_stage = doing;
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;
    for (i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
        sigaction(fatal[i], &sa, NULL);
}

void
iom_stop_published(void)
{
    published = 1;
}

void
iom_stop_share_said(atomic_int *said)
{
    crash_said = said;
}

enum iom_status
iom_stop_check(enum iom_status st)
{
    return st == IOM_OK && stop_signal ? IOM_EINTR : st;
}

int
iom_stop_signal(void)
{
    return stop_signal;
}

const volatile sig_atomic_t *
iom_stop_flag(void)
{
    return &stop_signal;
}
