/*
 * outputs: the run's files, each written by one renderer into staging.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/manifest.h"
#include "iom/msg.h"
#include "iom/outputs.h"
#include "iom/pdf_book.h"
#include "iom/pdf_brief.h"
#include "iom/pdf_doc.h"
#include "iom/pdf_summary.h"
#include "iom/pool.h"
#include "iom/publish.h"
#include "iom/rejects.h"
#include "iom/report.h"
#include "iom/run.h"
#include "iom/source.h"
#include "iom/subset.h"
#include "iom/validate.h"
#include "iom/xlsx.h"

enum { JOB_BOOK, JOB_SUMMARY, JOB_WORKBOOK, JOB_BRIEF };

static const char *
doc_name(int kind)
{
    return kind == JOB_BOOK ? "book.pdf" :
           kind == JOB_SUMMARY ? "summary.pdf" : "rollup.xlsx";
}

/* Where a job's file goes, relative to the run folder, before its name. */
static const char *
folder_of(int kind)
{
    return kind == JOB_BRIEF ? "briefs/" : "";
}

/* A job's file read back by the worker that wrote it, in memory shared
 * with the run's process. */
struct read_back {
    uint64_t bytes;
    char sha256[65];
    bool done;
};

/* The run's rendering, as the pool's jobs: the documents, then the
 * briefs. */
struct jobs {
    struct iom_run *r;
    struct iom_report rep;       /* its pdf_shared is each process's own */
    int kinds[3];                /* the document jobs before the briefs */
    size_t n_docs;
    size_t n_briefs;
    struct read_back *read;      /* one a job */
};

/*
 * Render one file and read it back for the manifest: read here, in the
 * worker, while its pages are fresh in the cache, the run's files are
 * hashed on every core instead of on one after the workers end.  A file
 * that cannot be read back here is read again by the manifest, which says
 * why it cannot.
 */
static enum iom_status
render_file(struct jobs *j, const struct iom_report *rep, const char *name,
            int kind, size_t brief, struct read_back *read)
{
    char *path = iom_strf("%s/%s%s", j->r->pub.staging, folder_of(kind),
                          name);
    const struct iom_record *full;
    enum iom_status st;

    if (!path)
        return IOM_ENOMEM;
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
    if (st == IOM_OK)
        read->done = iom_publish_read_back(path, read->sha256,
                                           &read->bytes) == IOM_OK;
    free(path);
    return st;
}

/* The briefs a process renders share its libharu document object. */
static enum iom_status
begin_worker(void *ctx)
{
    struct jobs *j = ctx;

    return iom_pdf_shared_new(&j->rep.pdf_shared);
}

static void
end_worker(void *ctx)
{
    struct jobs *j = ctx;

    iom_pdf_shared_free(j->rep.pdf_shared);
    j->rep.pdf_shared = NULL;
}

static const char *
job_name(void *ctx, size_t i)
{
    struct jobs *j = ctx;

    return i < j->n_docs ? doc_name(j->kinds[i]) : j->r->names[i - j->n_docs];
}

static int
job_kind(const struct jobs *j, size_t i)
{
    return i < j->n_docs ? j->kinds[i] : JOB_BRIEF;
}

static enum iom_status
render_job(void *ctx, size_t i)
{
    struct jobs *j = ctx;

    return render_file(j, &j->rep, job_name(ctx, i), job_kind(j, i),
                       i < j->n_docs ? 0 : i - j->n_docs, &j->read[i]);
}

/* The files the workers read back, for the manifest. */
static enum iom_status
collect_read_back(struct jobs *j, size_t n_jobs,
                  struct iom_manifest_file **known, size_t *n_known)
{
    struct iom_manifest_file *v = calloc(n_jobs ? n_jobs : 1, sizeof *v);
    size_t i, n = 0;

    if (!v)
        return IOM_ENOMEM;
    for (i = 0; i < n_jobs; i++) {
        struct iom_manifest_file *f = &v[n];

        if (!j->read[i].done)
            continue;
        f->path = iom_strf("%s%s", folder_of(job_kind(j, i)),
                           job_name(j, i));
        if (!f->path) {
            iom_manifest_files_free(v, n);
            return IOM_ENOMEM;
        }
        f->bytes = j->read[i].bytes;
        memcpy(f->sha256, j->read[i].sha256, sizeof f->sha256);
        n++;
    }
    *known = v;
    *n_known = n;
    return IOM_OK;
}

/* Render every file; *known gets those read back by their workers. */
static enum iom_status
render_documents(struct iom_run *r, const struct iom_report *rep,
                 struct iom_manifest_file **known, size_t *n_known)
{
    struct jobs j;
    struct iom_pool pool;
    enum iom_status st;
    size_t read_size;
    long workers = r->opts.jobs ? r->opts.jobs : sysconf(_SC_NPROCESSORS_ONLN);

    memset(&j, 0, sizeof j);
    j.r = r;
    j.rep = *rep;
    /* the biggest first */
    if (r->opts.only & IOM_OUT_BOOK)
        j.kinds[j.n_docs++] = JOB_BOOK;
    if (r->opts.only & IOM_OUT_SUMMARY)
        j.kinds[j.n_docs++] = JOB_SUMMARY;
    if (r->opts.only & IOM_OUT_WORKBOOK)
        j.kinds[j.n_docs++] = JOB_WORKBOOK;
    if (r->opts.only & IOM_OUT_BRIEFS) {
        char *dir = iom_strf("%s/briefs", r->pub.staging);

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
    memset(&pool, 0, sizeof pool);
    pool.n_jobs = j.n_docs + j.n_briefs;
    read_size = (pool.n_jobs ? pool.n_jobs : 1) * sizeof *j.read;
    j.read = mmap(NULL, read_size, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (j.read == MAP_FAILED)
        return IOM_ENOMEM;
    pool.ctx = &j;
    pool.begin = begin_worker;
    pool.end = end_worker;
    pool.run = render_job;
    pool.name = job_name;
    pool.progress = &r->progress;
    st = iom_pool_run(&pool, workers, &workers);
    r->worker_said = pool.worker_said;
    r->worker_crash = pool.crash_signal;
    if (st == IOM_OK)
        iom_notef("rendered %zu briefs%s%s%s with %ld worker%s (%.3f s)",
                  j.n_briefs, (r->opts.only & IOM_OUT_BOOK) ?
                  ", book.pdf" : "", (r->opts.only & IOM_OUT_SUMMARY) ?
                  ", summary.pdf" : "", (r->opts.only & IOM_OUT_WORKBOOK) ?
                  ", rollup.xlsx" : "", workers, workers == 1 ? "" : "s",
                  iom_run_elapsed(r));
    if (st == IOM_OK)
        st = collect_read_back(&j, pool.n_jobs, known, n_known);
    munmap(j.read, read_size);
    return st;
}

/* A list of records (rejected, or kept with a warning) into the staging
 * folder as 'name'. */
static enum iom_status
write_list(struct iom_run *r, struct iom_rejects *list, const char *name)
{
    char *path = iom_strf("%s/%s", r->pub.staging, name);
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
    st = iom_rejects_copy(list, f);
    if (fclose(f) != 0)
        st = IOM_EIO;
    if (st != IOM_OK)
        iom_errorf("cannot write '%s': %s", path, strerror(errno));
    free(path);
    return st;
}

enum iom_status
iom_outputs_write(struct iom_run *r)
{
    struct iom_report rep;
    struct iom_manifest m;
    struct iom_manifest_file *known = NULL;
    size_t n_known = 0;
    const char *enc;
    enum iom_status st = IOM_OK;

    memset(&rep, 0, sizeof rep);
    rep.agg = r->agg;
    rep.label = r->label;
    rep.selection = r->selection;
    rep.created = r->created;
    if (r->opts.only & IOM_PDF_OUTPUTS) {
        const struct iom_fonts *f = &r->fonts;

        enum iom_status cut;

        /* HarfBuzz says only that it failed; errno tells a lack of
         * memory, which the whole fonts would not mend. */
        errno = 0;
        cut = iom_subset_fonts(&r->fonts, r->chars, r->pub.scratch,
                               &r->subset);
        if (cut == IOM_ENOMEM || (cut != IOM_OK && errno == ENOMEM))
            return IOM_ENOMEM;
        if (cut == IOM_OK)
            f = &r->subset;
        else
            iom_warnf("cannot subset the fonts; embedding them whole");
        rep.font_regular = f->regular;
        rep.font_bold = f->bold;
        iom_notef("fonts: %s, %s%s (%.3f s)", r->fonts.regular,
                  r->fonts.bold, f == &r->subset ?
                  ", cut to the characters of the run" : "",
                  iom_run_elapsed(r));
    }
    rep.chars = r->chars;
    enc = getenv("IOMREPORT_PDF_ENCODING");
    rep.utf8_fonts = enc && strcmp(enc, "UTF-8") == 0;
    rep.brief_names = (const char *const *)r->names;
    rep.source = &r->src;
    rep.input = r->opts.input;
    rep.input_sha256 = r->input_sha;
    rep.encoding = r->opts.encoding;
    rep.encoding_guessed = r->encoding_guessed;
    rep.records = iom_validator_records(r->val);
    rep.accepted = r->rs.n;
    rep.rejected = r->rej.count;
    rep.money_form = r->src.money_form;
    st = render_documents(r, &rep, &known, &n_known);
    if (st == IOM_OK)
        st = write_list(r, &r->rej, IOM_REJECTS_FILE);
    if (st == IOM_OK)
        st = write_list(r, &r->warned, IOM_WARNINGS_FILE);
    if (st != IOM_OK) {
        iom_manifest_files_free(known, n_known);
        return st;
    }
    memset(&m, 0, sizeof m);
    m.input = r->opts.input;
    m.encoding = r->opts.encoding;
    m.decimal_comma = r->opts.decimal_comma;
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
    m.known = known;
    m.n_known = n_known;
    st = iom_manifest_write(r->pub.staging, &m);
    iom_manifest_files_free(known, n_known);
    return st;
}

/*
 * A night that publishes nothing (--strict with rejects, every record
 * rejected, a damaged night) still owes the person who runs it the list of
 * what was rejected: rejected.csv is written in the staging folder, under
 * the lock, and renamed beside the label (rename replaces whatever link
 * may stand there, never writing through it).
 */
enum iom_status
iom_outputs_withhold(struct iom_run *r, const char *said,
                     enum iom_status outcome)
{
    char where[PATH_MAX];
    char *from = NULL;
    enum iom_status st;

    r->withheld = true;
    iom_run_stage(r, "preparing '%s/%s'", r->opts.output, r->label);
    st = iom_publish_begin(&r->pub, r->opts.output, r->label,
                           r->opts.wait_seconds);
    if (st == IOM_OK)
        st = write_list(r, &r->rej, IOM_REJECTS_FILE);
    if (st == IOM_OK && !(from = iom_strf("%s/" IOM_REJECTS_FILE, r->pub.staging)))
        st = IOM_ENOMEM;
    if (st == IOM_OK && rename(from, iom_run_rejects_list(r, where)) != 0) {
        iom_errorf("cannot rename '%s' to '%s': %s", from, where,
                   strerror(errno));
        st = IOM_EIO;
    }
    free(from);
    if (st == IOM_OK && r->opts.strict)
        iom_errorf("%s; they are listed in %s", said, where);
    else if (st == IOM_OK && r->rej.count)
        iom_errorf("%s; the rejected record%s listed in %s", said,
                   r->rej.count == 1 ? " is" : "s are", where);
    else
        iom_errorf("%s", said);
    return outcome;
}
