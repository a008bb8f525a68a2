/*
 * run: the pipeline and the decisions about outcome: which exit status,
 * what is written, what is said.  Every stage returns a status; the first
 * failure ends the run through one cleanup path, and nothing is published
 * unless every file was written.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/cli.h"
#include "iom/csv_in.h"
#include "iom/deliver.h"
#include "iom/fname.h"
#include "iom/fonts.h"
#include "iom/manifest.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/pdf_book.h"
#include "iom/pdf_brief.h"
#include "iom/pdf_doc.h"
#include "iom/pdf_summary.h"
#include "iom/publish.h"
#include "iom/rejects.h"
#include "iom/report.h"
#include "iom/run.h"
#include "iom/sha256.h"
#include "iom/source.h"
#include "iom/subset.h"
#include "iom/testpoint.h"
#include "iom/validate.h"
#include "iom/xlsx.h"

/* The outputs drawn with the fonts. */
#define PDF_OUTPUTS (IOM_OUT_BRIEFS | IOM_OUT_SUMMARY | IOM_OUT_BOOK)

struct run {
    struct iom_opts opts;
    char label[IOM_LABEL_MAX];
    char *selection;
    int64_t created;
    struct iom_recset rs;
    struct iom_rejects rej;
    struct iom_validator *val;
    struct iom_agg *agg;
    struct iom_agg *census;       /* dry run: the whole input's groups */
    struct iom_selection whole_input;   /* selects everything */
    char **names;
    struct iom_source src;
    struct iom_fonts fonts;
    struct iom_fonts subset;      /* per-run cuts of 'fonts', if made */
    struct iom_charset *chars;    /* characters of the accepted records */
    struct iom_publish pub;
    char input_sha[65];
    uint64_t input_bytes;
    struct iom_deliver dlv;       /* --send */
    enum iom_status send_st;
    bool published;               /* this run replaced DIR/LABEL */
    struct iom_manifest_doc sent_run; /* send LABEL: the run's manifest */
    struct timespec t0;
    bool progress;
    bool progress_open;           /* the progress line awaits its end */
    bool interactive;             /* standard error is a terminal */
    size_t progress_shown;
    /*
     * What the run is doing, for a failure that said nothing itself (an
     * allocation that failed deep in a library): errors printed less
     * rejects when the stage began, and whether a worker spoke.
     */
    char doing[256];
    unsigned long said_mark;
    bool worker_said;
};

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

/* write(2) of what a crash has to say; nothing to do if it fails. */
static void
say(const char *s, size_t n)
{
    if (write(STDERR_FILENO, s, n) < 0)
        return;
}

static void
on_crash(int sig)
{
    static const char head[] = "iomreport: crashed (signal ";
    static const char mid[] = ") while ";
    static const char tail[] = "; nothing published\n";
    char num[4];
    size_t n = 0;
    int v = sig;

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
    say(tail, sizeof tail - 1);
    /* An exit, not the signal again: the status says the same (128 + N)
     * without the shell's own "Segmentation fault" line or a core. */
    iom_exit_now(128 + sig);
}

static void
catch_stop_signals(const char *doing)
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

static enum iom_status
check_stop(enum iom_status st)
{
    return st == IOM_OK && stop_signal ? IOM_EINTR : st;
}

static unsigned long
said(const struct run *r)
{
    return iom_msg_error_count() -
           (unsigned long)(r->rej.count - r->rej.known);
}

static void stage(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Name the stage the run enters, for report_silent_failure(). */
static void
stage(struct run *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(r->doing, sizeof r->doing, fmt, ap);
    va_end(ap);
    r->said_mark = said(r);
}

/* Every failure is one line saying what failed, even when the code that
 * failed had nothing to say. */
static void
report_silent_failure(const struct run *r, enum iom_status st)
{
    if (st == IOM_OK || st == IOM_EREJECTED || st == IOM_EINTR ||
        r->worker_said || said(r) != r->said_mark)
        return;
    iom_errorf("%s while %s", iom_strerror(st), r->doing);
}

static double
elapsed(const struct run *r)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - r->t0.tv_sec) +
           (double)(now.tv_nsec - r->t0.tv_nsec) / 1e9;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org) or the current time. */
static enum iom_status
creation_time(int64_t *out)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long v;

    if (!s || !*s) {
        *out = (int64_t)time(NULL);
        return IOM_OK;
    }
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL || s[0] == '-' ||
        s[0] == '+' || s[0] == ' ') {
        iom_errorf("SOURCE_DATE_EPOCH '%s' is not a number of seconds "
                   "since 1970", s);
        return IOM_EUSAGE;
    }
    *out = v;
    return IOM_OK;
}

/*
 * Where the run's rejected.csv ends up: in the published run, or beside
 * the label when --strict publishes nothing (a dry run writes none: its
 * known rejects are in the published run's).
 */
static const char *
rejects_list(const struct run *r, char out[PATH_MAX])
{
    if (r->opts.strict && !r->opts.dry_run)
        snprintf(out, PATH_MAX, "%s/.%s.rejected.csv", r->opts.output,
                 r->label);
    else
        snprintf(out, PATH_MAX, "%s/%s/rejected.csv", r->opts.output,
                 r->label);
    return out;
}

/*
 * The rejects of the run published under the label: a nightly export that
 * holds the same bad records every night lists them once, not every
 * night in cron's mail.
 */
static enum iom_status
remember_rejects(struct run *r)
{
    char *prev = iom_publish_current(r->opts.output, r->label);
    struct iom_buf path = IOM_BUF_INIT;
    enum iom_status st = IOM_OK;

    if (!prev)
        return IOM_OK;
    st = iom_buf_addf(&path, "%s/rejected.csv", prev);
    if (st == IOM_OK)
        st = iom_rejects_load_known(&r->rej, path.data);
    iom_buf_release(&path);
    free(prev);
    return st;
}

static const char *
delimiter_name(char c)
{
    return c == ',' ? "',' (comma)" : c == ';' ? "';' (semicolon)" :
           c == '\t' ? "tab" : NULL;
}

/* --delimiter, or the one the header line shows (a European Excel saves
 * ';', some exports tab). */
static void
choose_delimiter(struct run *r, const char *name)
{
    char head[64 * 1024];
    size_t n;
    const char *shown;

    if (r->opts.delimiter) {
        r->src.delim = r->opts.delimiter;
    } else {
        n = iom_source_head(&r->src, head, sizeof head);
        r->src.delim = iom_csv_sniff_delimiter(head, n, "Projects ID");
    }
    shown = delimiter_name(r->src.delim);
    if (shown)
        iom_notef("%s: fields separated by %s%s", name, shown,
                  r->opts.delimiter ? " (--delimiter)" : "");
    else
        iom_notef("%s: fields separated by '%c' (--delimiter)", name,
                  r->src.delim);
}

/*
 * A file with bytes that are not UTF-8 and no UTF-8 sequence at all was
 * saved in a code page: its records are rejected one by one, and this
 * line says why, once.
 */
static void
hint_encoding(const struct run *r, const char *name)
{
    const struct iom_source_census *c = iom_source_census(&r->src);

    /* Said with the rejects it explains: not again on a night whose
     * rejects are all the previous run's. */
    if (r->opts.encoding || c->invalid == 0 || c->multibyte != 0 ||
        r->rej.count == r->rej.known)
        return;
    iom_warnf("%s: the file looks like Windows-1252, not UTF-8 (%llu "
              "byte%s that %s not UTF-8, the first at byte %llu); save it as "
              "CSV UTF-8 or run with --encoding cp1252", name,
              (unsigned long long)c->invalid, c->invalid == 1 ? "" : "s",
              c->invalid == 1 ? "is" : "are",
              (unsigned long long)c->first_invalid + 1);
}

/* A dry run's record: into the selection's totals, and into the census
 * of the whole input that names what it holds when nothing matches. */
static enum iom_status
count_record(void *ctx, const struct iom_record *rec)
{
    struct run *r = ctx;
    enum iom_status st = iom_agg_add(r->agg, rec);

    return st == IOM_OK ? iom_agg_add(r->census, rec) : st;
}

static enum iom_status
read_input(struct run *r)
{
    struct iom_csv_error err = { 0, "" };
    enum iom_status st;
    const char *name = strcmp(r->opts.input, "-") == 0 ? "<stdin>" :
                       r->opts.input;

    stage(r, "reading %s", name);
    st = iom_source_open(&r->src, r->opts.input);
    if (st == IOM_OK && r->opts.encoding)
        st = iom_source_convert(&r->src, name, r->opts.encoding);
    if (st != IOM_OK)
        return st;
    choose_delimiter(r, name);
    st = iom_rejects_init(&r->rej);
    if (st == IOM_OK && !r->opts.send_only)
        st = remember_rejects(r);
    if (st == IOM_OK)
        st = iom_validator_new(name, &r->rs, &r->rej, &r->val);
    if (st == IOM_OK) {
        /* Descriptions are read again when rendered; a dry run needs no
         * text at all.  Memory then grows only with the small index. */
        iom_validator_keep(r->val, r->opts.dry_run ? 0 : IOM_KEEP_TEXT);
        r->src.v = r->val;
    }
    /* A dry run totals the records as they stream by and keeps none. */
    if (st == IOM_OK && r->opts.dry_run &&
        (st = iom_agg_start(&r->opts.sel, &r->agg)) == IOM_OK &&
        (st = iom_agg_start(&r->whole_input, &r->census)) == IOM_OK)
        iom_validator_stream(r->val, count_record, r);
    if (st == IOM_OK && !r->opts.dry_run &&
        (r->opts.only & PDF_OUTPUTS)) {
        r->chars = calloc(1, sizeof *r->chars);
        if (!r->chars)
            st = IOM_ENOMEM;
        else
            iom_validator_track_chars(r->val, r->chars);
    }
    if (st == IOM_OK)
        st = iom_source_digest_start(&r->src);
    if (st == IOM_OK)
        st = iom_csv_read_delim(r->src.f, r->src.delim, iom_validate_row,
                                r->val, &err);
    if (st == IOM_ECSV && err.text[0])
        iom_errorf("%s:%lu: %s", name, err.line, err.text);
    else if (st == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, err.text);
    if (st == IOM_OK && !iom_validator_has_header(r->val)) {
        iom_errorf("%s: no header: the file is empty", name);
        st = IOM_ECSV;
    }
    if (st != IOM_OK)
        return st == IOM_EINVALID ? IOM_ECSV : st;
    st = iom_source_digest_finish(&r->src, r->input_sha, &r->input_bytes);
    if (st == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, strerror(errno));
    if (st != IOM_OK)
        return st;
    hint_encoding(r, name);
    iom_notef("read %s: %zu records, %zu accepted, %zu rejected (%.3f s)",
              name, iom_validator_records(r->val),
              iom_validator_accepted(r->val), r->rej.count, elapsed(r));
    if (r->rej.known) {
        char where[PATH_MAX];

        iom_errorf("%zu rejected record%s the same as in the previous run "
                   "of '%s', not listed again: all are in %s",
                   r->rej.known, r->rej.known == 1 ? " is" : "s are",
                   r->label, rejects_list(r, where));
    }
    return IOM_OK;
}

/* Print 's' and pad it to 'width' characters (not bytes). */
static int text_width(const char *s);

static void
put_padded(const char *s, int width, bool right)
{
    int chars = text_width(s);

    if (right)
        printf("%*s%s", width > chars ? width - chars : 0, "", s);
    else
        printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

/* Characters (not bytes) of UTF-8 's'. */
static int
text_width(const char *s)
{
    int chars = 0;

    for (; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    return chars;
}

static void
print_group_table(const struct iom_agg *agg, enum iom_agg_dim dim,
                  const char *title)
{
    size_t n, i, count = 0;
    const struct iom_group *g = iom_agg_groups(agg, dim, &n);
    char money[IOM_MONEY_TEXT_MAX], share[16];
    int tenths = iom_agg_total_share_tenths(agg), width = text_width(title);

    if (width < text_width("Total"))
        width = text_width("Total");
    /* The name column is as wide as its longest name: the numbers stay
     * in their columns whatever the names. */
    for (i = 0; i < n; i++)
        if (text_width(g[i].name) > width)
            width = text_width(g[i].name);
    printf("\n");
    put_padded(title, width, false);
    printf(" %8s %20s %8s\n", "Projects", "Budget (USD)", "Share");
    for (i = 0; i < n; i++) {
        put_padded(g[i].name, width, false);
        snprintf(share, sizeof share, "%d.%d %%", g[i].share_tenths / 10,
                 g[i].share_tenths % 10);
        printf(" %8zu %20s %8s\n", g[i].count,
               iom_money_format(g[i].total_cents, money), share);
        count += g[i].count;
    }
    put_padded("Total", width, false);
    snprintf(share, sizeof share, "%d.%d %%", tenths / 10, tenths % 10);
    printf(" %8zu %20s %8s\n", count,
           iom_money_format(iom_agg_total(agg), money), share);
    printf("%s\n", IOM_SHARES_NOTE);
}

static void
print_totals(const struct run *r)
{
    char money[IOM_MONEY_TEXT_MAX];
    int first, last;

    printf("Selection: %s\n", r->selection);
    printf("Records read: %zu, accepted: %zu, rejected: %zu\n",
           iom_validator_records(r->val), iom_validator_accepted(r->val),
           r->rej.count);
    printf("Projects selected: %zu\n", iom_agg_count(r->agg));
    printf("Total budget: USD %s\n",
           iom_money_format(iom_agg_total(r->agg), money));
    printf("Average budget: USD %s\n",
           iom_money_format(iom_agg_average(r->agg), money));
    printf("Median budget: USD %s\n",
           iom_money_format(iom_agg_median(r->agg), money));
    printf("Benefiting member states: %zu\n", iom_agg_member_states(r->agg));
    if (iom_agg_year_span(r->agg, &first, &last) && first == last)
        printf("Year covered: %d\n", first);
    else if (iom_agg_year_span(r->agg, &first, &last))
        printf("Years covered: %d-%d\n", first, last);
    print_group_table(r->agg, IOM_BY_REGION, "IDF Region");
    print_group_table(r->agg, IOM_BY_TYPE, "Project Type");
    print_group_table(r->agg, IOM_BY_YEAR, "Year");
}

static char *
staged(const struct run *r, const char *name)
{
    char *p = malloc(strlen(r->pub.staging) + strlen(name) + 2);

    if (p)
        sprintf(p, "%s/%s", r->pub.staging, name);
    return p;
}

static void
show_progress(struct run *r, size_t done, size_t total)
{
    char bar[31];
    size_t i, filled;

    if (!r->progress || total == 0 || done == r->progress_shown)
        return;
    r->progress_shown = done;
    filled = done * (sizeof bar - 1) / total;
    for (i = 0; i < sizeof bar - 1; i++)
        bar[i] = i < filled ? '#' : '-';
    bar[sizeof bar - 1] = '\0';
    fprintf(stderr, "\riomreport: rendering [%s] %zu/%zu", bar, done, total);
    r->progress_open = done != total;
    if (done == total)
        fputc('\n', stderr);
}

/* However rendering ended, the progress line ends with it: the next line,
 * or the shell's prompt, starts on a line of its own. */
static void
end_progress(struct run *r)
{
    if (r->progress_open)
        fputc('\n', stderr);
    r->progress_open = false;
}

/*
 * Rendering is a list of independent jobs (the summary, the workbook, one
 * job per brief) that workers claim from a shared counter, the big ones
 * first, so that two cores finish together whatever the mix.  Workers are
 * forked processes: libharu is not known to be thread-safe, and a crash in
 * one document cannot take the others' memory down with it.  Each job
 * writes its own file, so the output does not depend on the number of
 * workers.
 */
struct job_board {
    atomic_size_t next;          /* next job to claim */
    atomic_size_t done;          /* jobs finished, for the progress bar */
    atomic_int failed;           /* a job failed: claim no more */
};

enum { JOB_BOOK, JOB_SUMMARY, JOB_WORKBOOK, JOB_BRIEF };

static const char *
doc_name(int kind)
{
    return kind == JOB_BOOK ? "book.pdf" :
           kind == JOB_SUMMARY ? "summary.pdf" : "rollup.xlsx";
}

struct jobs {
    struct run *r;
    const struct iom_report *rep;
    int kinds[3];                /* the document jobs before the briefs */
    size_t n_docs;
    size_t n_briefs;
    char *briefs_dir;
    struct job_board *board;     /* shared between the workers */
    bool inline_progress;        /* one worker, in this process */
};

static enum iom_status
render_file(struct jobs *j, const struct iom_report *rep, const char *name,
            int kind, size_t brief)
{
    char *path = malloc(strlen(j->r->pub.staging) + strlen(name) + 10);
    const struct iom_record *full;
    enum iom_status st;

    if (!path)
        return IOM_ENOMEM;
    if (kind == JOB_BRIEF)
        sprintf(path, "%s/briefs/%s", j->r->pub.staging, name);
    else
        sprintf(path, "%s/%s", j->r->pub.staging, name);
    if (kind == JOB_BOOK)
        st = iom_book_render(rep, path);
    else if (kind == JOB_SUMMARY)
        st = iom_summary_render(rep, path);
    else if (kind == JOB_WORKBOOK)
        st = iom_xlsx_render(rep, path, j->r->pub.staging);
    else if ((st = iom_source_load(&j->r->src,
                                   iom_agg_projects(j->r->agg)[brief],
                                   &full)) == IOM_OK)
        st = iom_brief_render(rep, full, path);
    free(path);
    return st;
}

/* Claim and do jobs until none is left; the first failure is returned.
 * The briefs a process renders share its libharu document object. */
static enum iom_status
work(struct jobs *j)
{
    size_t total = j->n_docs + j->n_briefs;
    struct iom_report rep = *j->rep;
    enum iom_status st = iom_pdf_shared_new(&rep.pdf_shared);

    if (st != IOM_OK)
        return st;

    while (!atomic_load(&j->board->failed) && !stop_signal) {
        size_t i = atomic_fetch_add(&j->board->next, 1);
        unsigned long errors;
        const char *name;

        if (i >= total)
            break;
        name = i < j->n_docs ? doc_name(j->kinds[i])
                             : j->r->names[i - j->n_docs];
        errors = iom_msg_error_count();
        st = render_file(j, &rep, name,
                         i < j->n_docs ? j->kinds[i] : JOB_BRIEF,
                         i < j->n_docs ? 0 : i - j->n_docs);
        if (st != IOM_OK) {
            if (iom_msg_error_count() == errors && st != IOM_EINTR)
                iom_errorf("%s while rendering '%s'", iom_strerror(st), name);
            atomic_store(&j->board->failed, 1);
            break;
        }
        atomic_fetch_add(&j->board->done, 1);
        iom_testpoint("rendered", name);
        if (j->inline_progress)
            show_progress(j->r, atomic_load(&j->board->done), total);
    }
    iom_pdf_shared_free(rep.pdf_shared);
    return check_stop(st);
}

/* Fork 'n' workers and wait for them, forwarding a stop request. */
static enum iom_status
work_in_processes(struct jobs *j, long n)
{
    pid_t *pids = calloc((size_t)n, sizeof *pids);
    enum iom_status st = IOM_OK;
    long k, running = 0;
    bool forwarded = false;
    pid_t parent = getpid();

    if (!pids)
        return IOM_ENOMEM;
    fflush(NULL);
    for (k = 0; k < n; k++) {
        pids[k] = fork();
        if (pids[k] == 0) {
            /* A worker must not outlive a run killed with SIGKILL: it
             * would go on writing into a staging folder that the next
             * run removes, holding the inherited lock meanwhile. */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent)
                iom_exit_now(IOM_EINTR);
            iom_exit_now((int)work(j));
        }
        if (pids[k] < 0) {
            iom_errorf("cannot start a worker: %s", strerror(errno));
            atomic_store(&j->board->failed, 1);
            st = IOM_ENOMEM;
            break;
        }
        running++;
    }
    while (running > 0) {
        struct timespec pause = { 0, 50 * 1000 * 1000 };
        int status;
        pid_t pid;

        if (stop_signal && !forwarded) {
            for (k = 0; k < n; k++)
                if (pids[k] > 0)
                    kill(pids[k], SIGTERM);
            forwarded = true;
        }
        show_progress(j->r, atomic_load(&j->board->done),
                      j->n_docs + j->n_briefs);
        pid = waitpid(-1, &status, WNOHANG);
        if (pid == 0 || (pid < 0 && errno == EINTR)) {
            nanosleep(&pause, NULL);
            continue;
        }
        if (pid < 0)
            break;
        for (k = 0; k < n; k++)
            if (pids[k] == pid)
                pids[k] = 0;
        running--;
        if (st == IOM_OK) {
            st = WIFEXITED(status) && WEXITSTATUS(status) < IOM_STATUS_COUNT ?
                 (enum iom_status)WEXITSTATUS(status) : IOM_EPDF;
            /* work() said what failed, in the worker. */
            j->r->worker_said = WIFEXITED(status) && st != IOM_OK;
        }
        if (st == IOM_EPDF && !WIFEXITED(status))
            iom_errorf("a rendering worker died (signal %d)",
                       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    }
    free(pids);
    return check_stop(st);
}

static enum iom_status
render_documents(struct run *r, const struct iom_report *rep)
{
    struct jobs j;
    enum iom_status st;
    long workers = r->opts.jobs ? r->opts.jobs : sysconf(_SC_NPROCESSORS_ONLN);
    size_t total;

    memset(&j, 0, sizeof j);
    j.r = r;
    j.rep = rep;
    /* the biggest first */
    if (r->opts.only & IOM_OUT_BOOK)
        j.kinds[j.n_docs++] = JOB_BOOK;
    if (r->opts.only & IOM_OUT_SUMMARY)
        j.kinds[j.n_docs++] = JOB_SUMMARY;
    if (r->opts.only & IOM_OUT_WORKBOOK)
        j.kinds[j.n_docs++] = JOB_WORKBOOK;
    if (r->opts.only & IOM_OUT_BRIEFS) {
        char *dir = staged(r, "briefs");

        if (!dir)
            return IOM_ENOMEM;
        if (mkdir(dir, 0755) != 0) {
            iom_errorf("cannot create folder '%s': %s", dir,
                       strerror(errno));
            free(dir);
            return IOM_EIO;
        }
        free(dir);
        j.n_briefs = iom_agg_count(r->agg);
    }
    total = j.n_docs + j.n_briefs;
    if (workers < 1)
        workers = 1;
    if ((size_t)workers > total)
        workers = total ? (long)total : 1;
    j.board = mmap(NULL, sizeof *j.board, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (j.board == MAP_FAILED)
        return IOM_ENOMEM;
    atomic_init(&j.board->next, 0);
    atomic_init(&j.board->done, 0);
    atomic_init(&j.board->failed, 0);
    if (workers == 1) {
        j.inline_progress = true;
        st = work(&j);
    } else {
        st = work_in_processes(&j, workers);
    }
    if (st == IOM_OK) {
        show_progress(r, atomic_load(&j.board->done), total);
        if (atomic_load(&j.board->done) != total)
            st = IOM_EPDF;
    }
    end_progress(r);
    munmap(j.board, sizeof *j.board);
    if (st == IOM_OK)
        iom_notef("rendered %zu briefs%s%s%s with %ld worker%s (%.3f s)",
                  j.n_briefs, (r->opts.only & IOM_OUT_BOOK) ?
                  ", book.pdf" : "", (r->opts.only & IOM_OUT_SUMMARY) ?
                  ", summary.pdf" : "", (r->opts.only & IOM_OUT_WORKBOOK) ?
                  ", rollup.xlsx" : "", workers, workers == 1 ? "" : "s",
                  elapsed(r));
    return st;
}

static enum iom_status
write_rejects(struct run *r)
{
    char *path = staged(r, "rejected.csv");
    FILE *f;
    enum iom_status st;

    if (!path)
        return IOM_ENOMEM;
    f = fopen(path, "wb");
    if (!f) {
        iom_errorf("cannot create '%s': %s", path, strerror(errno));
        free(path);
        return IOM_EIO;
    }
    st = iom_rejects_copy(&r->rej, f);
    if (fclose(f) != 0)
        st = IOM_EIO;
    if (st != IOM_OK)
        iom_errorf("cannot write '%s': %s", path, strerror(errno));
    free(path);
    return st;
}

static enum iom_status
render_all(struct run *r)
{
    struct iom_report rep;
    struct iom_manifest m;
    const char *enc;
    enum iom_status st = IOM_OK;

    memset(&rep, 0, sizeof rep);
    rep.agg = r->agg;
    rep.label = r->label;
    rep.selection = r->selection;
    rep.created = r->created;
    if (r->opts.only & PDF_OUTPUTS) {
        const struct iom_fonts *f = &r->fonts;

        if (iom_subset_fonts(&r->fonts, r->chars, r->pub.scratch,
                             &r->subset) == IOM_OK)
            f = &r->subset;
        else
            iom_warnf("cannot subset the fonts; embedding them whole");
        rep.font_regular = f->regular;
        rep.font_bold = f->bold;
        iom_notef("fonts: %s, %s%s (%.3f s)", r->fonts.regular,
                  r->fonts.bold, f == &r->subset ?
                  ", cut to the characters of the run" : "", elapsed(r));
    }
    rep.chars = r->chars;
    enc = getenv("IOMREPORT_PDF_ENCODING");
    rep.utf8_fonts = enc && strcmp(enc, "UTF-8") == 0;
    rep.brief_names = (const char *const *)r->names;
    rep.source = &r->src;
    rep.input = r->opts.input;
    rep.input_sha256 = r->input_sha;
    rep.records = iom_validator_records(r->val);
    rep.accepted = r->rs.n;
    rep.rejected = r->rej.count;
    st = render_documents(r, &rep);
    if (st == IOM_OK)
        st = write_rejects(r);
    if (st != IOM_OK)
        return st;
    memset(&m, 0, sizeof m);
    m.input = r->opts.input;
    m.encoding = r->opts.encoding;
    m.input_sha256 = r->input_sha;
    m.input_bytes = r->input_bytes;
    m.label = r->label;
    m.selection = r->selection;
    m.sel = &r->opts.sel;
    m.created = r->created;
    m.records = iom_validator_records(r->val);
    m.accepted = r->rs.n;
    m.rejected = r->rej.count;
    m.selected = iom_agg_count(r->agg);
    m.total_cents = iom_agg_total(r->agg);
    return iom_manifest_write(r->pub.staging, &m);
}

/* The run about to be replaced, for --changed-only and the log. */
static enum iom_status
remember_published(struct run *r)
{
    char *prev = iom_publish_current(r->opts.output, r->label);
    enum iom_status st = prev ? iom_deliver_remember(&r->dlv, prev) : IOM_OK;

    free(prev);
    return st;
}

static enum iom_status
deliver(struct run *r)
{
    char *run_dir = iom_publish_current(r->opts.output, r->label);
    enum iom_status st;

    if (!run_dir) {
        iom_errorf("cannot find the run just published in '%s/%s': %s",
                   r->opts.output, r->label, strerror(errno));
        return IOM_EIO;
    }
    st = iom_deliver_run(&r->dlv, r->opts.output, r->label, run_dir,
                         iom_agg_projects(r->agg), r->names,
                         iom_agg_count(r->agg));
    free(run_dir);
    return st;
}

/*
 * --strict publishes nothing, but the list of what was rejected is what
 * the person who runs it needs: rejected.csv is written in the staging
 * folder, under the lock, and renamed beside the label (rename replaces
 * whatever link may stand there, never writing through it).
 */
static enum iom_status
refuse_strict(struct run *r)
{
    char where[PATH_MAX];
    char *from = NULL;
    enum iom_status st;

    stage(r, "preparing '%s/%s'", r->opts.output, r->label);
    st = iom_publish_begin(&r->pub, r->opts.output, r->label,
                           r->opts.wait_seconds);
    if (st == IOM_OK)
        st = write_rejects(r);
    if (st == IOM_OK && !(from = staged(r, "rejected.csv")))
        st = IOM_ENOMEM;
    if (st == IOM_OK && rename(from, rejects_list(r, where)) != 0) {
        iom_errorf("cannot rename '%s' to '%s': %s", from, where,
                   strerror(errno));
        st = IOM_EIO;
    }
    free(from);
    if (st == IOM_OK)
        iom_errorf("%zu records rejected: nothing published (--strict); "
                   "they are listed in %s", r->rej.count, where);
    else
        iom_errorf("%zu records rejected: nothing published (--strict)",
                   r->rej.count);
    return IOM_ESTRICT;
}

/* "; WHAT in the input: A, B, C" from the groups of 'dim' of 'all'. */
static enum iom_status
list_groups(struct iom_buf *b, const struct iom_agg *all,
            enum iom_agg_dim dim, const char *what)
{
    size_t n, i;
    const struct iom_group *g = iom_agg_groups(all, dim, &n);
    enum iom_status st = iom_buf_addf(b, "; %s in the input: ", what);

    for (i = 0; i < n && st == IOM_OK; i++)
        st = iom_buf_addf(b, "%s%s", i ? ", " : "", g[i].name);
    return st;
}

/*
 * A selection that matches nothing is a mistake (a typo in --region, a
 * year not yet exported): nothing is published and the message says what
 * the input holds, for each part of the selection that narrows it.
 */
static enum iom_status
explain_no_match(struct run *r)
{
    const struct iom_selection *sel = &r->opts.sel;
    struct iom_selection none;
    struct iom_agg *all = NULL;
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st;
    size_t i;

    if (r->census ? iom_agg_count(r->census) == 0 : r->rs.n == 0) {
        iom_errorf("no project matches the selection (%s): the input holds "
                   "no accepted project; nothing published", r->selection);
        return IOM_ENOMATCH;
    }
    iom_selection_init(&none);
    /* A dry run kept no records, but their census. */
    st = r->census ? IOM_OK : iom_agg_build(&r->rs, &none, &all);
    if (st == IOM_OK)
        st = iom_buf_adds(&b, "no project matches");
    for (i = 0; i < sel->n_years && st == IOM_OK; i++)
        st = sel->years[i].first == sel->years[i].last ?
             iom_buf_addf(&b, " --year %d", sel->years[i].first) :
             iom_buf_addf(&b, " --year %d-%d", sel->years[i].first,
                          sel->years[i].last);
    for (i = 0; i < sel->n_regions && st == IOM_OK; i++)
        st = iom_buf_addf(&b, " --region '%s'", sel->regions[i]);
    for (i = 0; i < sel->n_types && st == IOM_OK; i++)
        st = iom_buf_addf(&b, " --type '%s'", sel->types[i]);
    if (st == IOM_OK && sel->n_years)
        st = list_groups(&b, all ? all : r->census, IOM_BY_YEAR, "years");
    if (st == IOM_OK && sel->n_regions)
        st = list_groups(&b, all ? all : r->census, IOM_BY_REGION,
                         "regions");
    if (st == IOM_OK && sel->n_types)
        st = list_groups(&b, all ? all : r->census, IOM_BY_TYPE, "types");
    if (st == IOM_OK) {
        iom_errorf("%s; nothing published", b.data);
        st = IOM_ENOMATCH;
    }
    iom_buf_release(&b);
    iom_agg_free(all);
    return st;
}

/* The names of the groups of 'dim', borrowed from the aggregate. */
static const char **
group_names(const struct iom_agg *agg, enum iom_agg_dim dim, size_t *n)
{
    const struct iom_group *g = iom_agg_groups(agg, dim, n);
    const char **v = malloc((*n ? *n : 1) * sizeof *v);
    size_t i;

    for (i = 0; v && i < *n; i++)
        v[i] = g[i].name;
    return v;
}

/*
 * Every output echoes the filters as the data spells them: the selected
 * groups hold the data's spelling (also in a dry run, which keeps no
 * records), and the description is made again from them.
 */
static enum iom_status
spell_as_the_data(struct run *r)
{
    size_t n_regions, n_types;
    const char **regions = group_names(r->agg, IOM_BY_REGION, &n_regions);
    const char **types = group_names(r->agg, IOM_BY_TYPE, &n_types);
    enum iom_status st = regions && types ? IOM_OK : IOM_ENOMEM;

    if (st == IOM_OK) {
        iom_selection_adopt_names(&r->opts.sel, regions, n_regions, types,
                                  n_types);
        free(r->selection);
        r->selection = NULL;
        st = iom_selection_describe(&r->opts.sel, &r->selection);
    }
    free(regions);
    free(types);
    return st;
}

static enum iom_status
produce(struct run *r)
{
    enum iom_status st;

    st = check_stop(read_input(r));
    if (st == IOM_OK) {
        stage(r, "totalling the selection");
        st = r->opts.dry_run ? iom_agg_finish(r->agg) :
             iom_agg_build(&r->rs, &r->opts.sel, &r->agg);
    }
    if (st == IOM_OK && r->census)
        st = iom_agg_finish(r->census);
    if (st == IOM_OK)
        st = spell_as_the_data(r);
    if (st == IOM_EINVALID)
        iom_errorf("the total budget does not fit in 64 bits of cents");
    if (st == IOM_OK && iom_agg_count(r->agg) == 0)
        st = explain_no_match(r);
    if (st != IOM_OK)
        return st;
    if (r->opts.dry_run) {
        print_totals(r);
        return fflush(stdout) == 0 && !ferror(stdout) ? IOM_OK : IOM_EIO;
    }
    if (r->opts.strict && r->rej.count)
        return refuse_strict(r);
    if (r->opts.send) {
        st = iom_deliver_prepare(&r->dlv, r->rs.recs, r->rs.n);
        if (st != IOM_OK) {
            iom_errorf("--send: nothing published, nothing sent");
            return st;
        }
    }
    if (r->opts.only & PDF_OUTPUTS) {
        stage(r, "looking for the fonts");
        st = iom_fonts_find(r->opts.fonts, &r->fonts);
        if (st != IOM_OK)
            return st;
    }
    stage(r, "naming the briefs");
    st = iom_fname_build(iom_agg_projects(r->agg), iom_agg_count(r->agg),
                         &r->names, NULL);
    if (st == IOM_OK) {
        stage(r, "preparing '%s/%s'", r->opts.output, r->label);
        st = iom_publish_begin(&r->pub, r->opts.output, r->label,
                               r->opts.wait_seconds);
    }
    if (st == IOM_OK) {
        iom_testpoint("locked", NULL);
        stage(r, "rendering '%s/%s'", r->opts.output, r->label);
        st = render_all(r);
    }
    st = check_stop(st);
    if (st == IOM_OK && r->opts.send)
        st = remember_published(r);
    if (st == IOM_OK) {
        stage(r, "publishing '%s/%s'", r->opts.output, r->label);
        iom_testpoint("publishing", NULL);
        st = iom_publish_commit(&r->pub, r->opts.keep);
    }
    r->published = st == IOM_OK;
    if (r->published)
        iom_testpoint("published", NULL);
    if (st == IOM_OK && r->opts.send) {
        stage(r, "mailing the stakeholders");
        r->send_st = deliver(r);
    }
    return st;
}

/*
 * send LABEL: the projects of a published run, read again from the input
 * its manifest names (or --input) with the selection it records.  The
 * input must be the same bytes, or briefs would be matched to the wrong
 * stakeholders.
 */
static enum iom_status
reload_published(struct run *r, const char *run_dir)
{
    enum iom_status st = iom_manifest_load(run_dir, &r->sent_run);

    if (st == IOM_ENOMEM)
        return st;
    if (st != IOM_OK) {
        iom_errorf("cannot read the manifest '%s/%s' of the published run%s",
                   run_dir, IOM_MANIFEST, st == IOM_EJSON ?
                   ": it is not a manifest of iomreport" : "");
        return IOM_ENOINPUT;
    }
    if (!r->opts.input_given)
        r->opts.input = r->sent_run.input;
    if (!r->opts.encoding)
        r->opts.encoding = r->sent_run.encoding;
    /* The command line holds no selection here (cli refuses one): the
     * manifest's becomes the run's, its names still owned by the doc. */
    iom_selection_release(&r->opts.sel);
    r->opts.sel = r->sent_run.sel;
    iom_selection_init(&r->sent_run.sel);
    /* Only titles are needed, for the message text. */
    r->opts.only = 0;
    st = read_input(r);
    if (st == IOM_OK && strcmp(r->sent_run.input_sha256, r->input_sha) != 0) {
        iom_errorf("input '%s' is not the one run '%s' was made from (its "
                   "SHA-256 differs); use --input with that file",
                   r->opts.input, r->label);
        st = IOM_ENOINPUT;
    }
    if (st == IOM_OK)
        st = iom_agg_build(&r->rs, &r->opts.sel, &r->agg);
    if (st == IOM_OK)
        st = iom_fname_build(iom_agg_projects(r->agg), iom_agg_count(r->agg),
                             &r->names, NULL);
    return st;
}

static enum iom_status
send_published(struct run *r)
{
    char *run_dir = NULL, *prev = NULL;
    enum iom_status st;

    stage(r, "opening the published run '%s/%s'", r->opts.output, r->label);
    st = iom_publish_lock(&r->pub, r->opts.output, r->label,
                          r->opts.wait_seconds);

    if (st == IOM_OK && !(run_dir = iom_publish_current(r->opts.output,
                                                        r->label))) {
        iom_errorf("no published run '%s/%s': %s", r->opts.output, r->label,
                   strerror(errno));
        st = IOM_ENOINPUT;
    }
    if (st == IOM_OK)
        st = reload_published(r, run_dir);
    if (st == IOM_OK)
        st = iom_deliver_prepare(&r->dlv, r->rs.recs, r->rs.n);
    if (st == IOM_OK &&
        (prev = iom_publish_previous(r->opts.output, r->label, run_dir)))
        st = iom_deliver_remember(&r->dlv, prev);
    if (st == IOM_OK) {
        stage(r, "mailing the stakeholders");
        st = iom_deliver_run(&r->dlv, r->opts.output, r->label, run_dir,
                             iom_agg_projects(r->agg), r->names,
                             iom_agg_count(r->agg));
    }
    free(prev);
    free(run_dir);
    return st;
}

static void
release(struct run *r)
{
    iom_publish_release(&r->pub);
    iom_deliver_release(&r->dlv);
    iom_manifest_doc_release(&r->sent_run);
    iom_fonts_release(&r->fonts);
    iom_fonts_release(&r->subset);
    free(r->chars);
    if (r->agg)
        iom_fname_free(r->names, iom_agg_count(r->agg));
    iom_agg_free(r->agg);
    iom_agg_free(r->census);
    iom_validator_free(r->val);
    iom_source_close(&r->src);
    iom_rejects_release(&r->rej);
    iom_recset_release(&r->rs);
    free(r->selection);
    iom_opts_release(&r->opts);
}

/*
 * The last line of a run a person watches (on a terminal, or with -v):
 * what was published where, what was mailed, and how long it took, e.g.
 * "published output/2001: 10 briefs, summary, workbook; 0 rejected; 1.2 s".
 */
static void
say_done(const struct run *r)
{
    const struct iom_deliver *d = &r->dlv;
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st;
    unsigned only = r->opts.only;

    if (r->published) {
        st = iom_buf_addf(&b, "published %s/%s:", r->opts.output, r->label);
        if (st == IOM_OK && (only & IOM_OUT_BRIEFS))
            st = iom_buf_addf(&b, " %zu brief%s,", iom_agg_count(r->agg),
                              iom_agg_count(r->agg) == 1 ? "" : "s");
        if (st == IOM_OK && (only & IOM_OUT_SUMMARY))
            st = iom_buf_adds(&b, " summary,");
        if (st == IOM_OK && (only & IOM_OUT_WORKBOOK))
            st = iom_buf_adds(&b, " workbook,");
        if (st == IOM_OK && (only & IOM_OUT_BOOK))
            st = iom_buf_adds(&b, " book,");
        if (st == IOM_OK) {
            b.data[--b.len] = '\0';      /* the last comma */
            st = iom_buf_addf(&b, "; %zu rejected", r->rej.count);
        }
    } else {
        st = iom_buf_addf(&b, "mailed %s/%s", r->opts.output, r->label);
    }
    if (st == IOM_OK && r->opts.outbox)
        st = iom_buf_addf(&b, "; %zu message%s written to %s/",
                          d->outboxed, d->outboxed == 1 ? "" : "s",
                          r->opts.outbox);
    else if (st == IOM_OK && r->opts.send)
        st = iom_buf_addf(&b, "; %zu of %zu message%s sent%s", d->sent,
                          d->planned - d->delivered,
                          d->planned - d->delivered == 1 ? "" : "s",
                          d->delivered ? " (the others went before)" : "");
    if (st == IOM_OK)
        iom_infof("%s; %.1f s", b.data, elapsed(r));
    iom_buf_release(&b);
}

/* What is true when a stop signal ended the run: said in one line. */
static void
report_stop(const struct run *r)
{
    const struct iom_deliver *d = &r->dlv;
    size_t done = d->delivered + d->sent + d->outboxed;

    if (!r->published && !r->opts.send_only) {
        iom_errorf("stopped by signal %d: nothing published, previous "
                   "outputs kept", (int)stop_signal);
        return;
    }
    if (d->planned == 0) {
        iom_errorf("stopped by signal %d: published '%s/%s'; no message "
                   "sent, they go with the next run (or 'iomreport send "
                   "%s')", (int)stop_signal, r->opts.output, r->label,
                   r->label);
        return;
    }
    iom_errorf("stopped by signal %d: %s'%s/%s'; %zu of %zu messages sent, "
               "the other %zu go with the next run (or 'iomreport send %s')",
               (int)stop_signal, r->published ? "published " :
               "delivering ", r->opts.output, r->label, done, d->planned,
               d->planned - done, r->label);
}

int
iom_main(int argc, char **argv)
{
    struct run r;
    enum iom_status st = IOM_OK;

    memset(&r, 0, sizeof r);
    r.pub.lock_fd = -1;
    clock_gettime(CLOCK_MONOTONIC, &r.t0);
    iom_opts_init(&r.opts);
    switch (iom_cli_parse(argc, argv, &r.opts)) {
    case IOM_CLI_HELP:
        fputs(iom_cli_help(), stdout);
        iom_opts_release(&r.opts);
        return fflush(stdout) == 0 ? 0 : iom_exit_code(IOM_EIO);
    case IOM_CLI_VERSION:
        printf("iomreport %s\n", IOM_VERSION);
        iom_opts_release(&r.opts);
        return fflush(stdout) == 0 ? 0 : iom_exit_code(IOM_EIO);
    case IOM_CLI_USAGE:
        iom_errorf("%s", r.opts.error);
        fputs("Try 'iomreport --help' for more information.\n", stderr);
        iom_opts_release(&r.opts);
        return iom_exit_code(IOM_EUSAGE);
    case IOM_CLI_RUN:
        break;
    }
    catch_stop_signals(r.doing);
    stage(&r, "starting");
    iom_msg_set_verbosity(r.opts.verbose ? IOM_VERBOSE : IOM_QUIET);
    r.interactive = isatty(STDERR_FILENO);
    r.progress = r.opts.progress == 1 ||
                 (r.opts.progress == -1 && r.interactive);
    if (r.opts.label)
        snprintf(r.label, sizeof r.label, "%s", r.opts.label);
    else
        st = iom_selection_label(&r.opts.sel, r.label);
    if (st == IOM_OK)
        st = creation_time(&r.created);
    if (st == IOM_OK)
        st = iom_selection_describe(&r.opts.sel, &r.selection);
    if (r.opts.send) {
        struct iom_deliver_opts d;

        memset(&d, 0, sizeof d);
        d.stakeholders = r.opts.stakeholders;
        d.max_message_bytes = r.opts.max_message_bytes;
        d.changed_only = r.opts.changed_only;
        d.outbox = r.opts.outbox;
        d.date = r.created;
        d.stop = &stop_signal;
        iom_deliver_init(&r.dlv, &d);
    }
    if (st == IOM_OK && r.opts.send_only)
        st = send_published(&r);
    else if (st == IOM_OK)
        st = produce(&r);
    if (st == IOM_OK && r.rej.count && !r.opts.send_only) {
        iom_errorf("%zu of %zu records rejected (see %s)", r.rej.count,
                   iom_validator_records(r.val),
                   r.opts.dry_run ? "the lines above" : "rejected.csv");
        st = IOM_EREJECTED;
    }
    /* A delivery that failed says more than rejected projects. */
    if ((st == IOM_OK || st == IOM_EREJECTED) && r.send_st != IOM_OK)
        st = r.send_st;
    if (!stop_signal)
        report_silent_failure(&r, st);
    /* A stop signal can end a blocked call (opening a FIFO) with an error
     * of its own: the signal is the reason the run ended. */
    if (stop_signal && st != IOM_OK)
        st = IOM_EINTR;
    if (st == IOM_EINTR)
        report_stop(&r);
    else if ((r.interactive || r.opts.verbose) &&
             (r.published || (r.opts.send_only && st == IOM_OK)))
        say_done(&r);
    release(&r);
    return st == IOM_EINTR ? 128 + stop_signal : iom_exit_code(st);
}
