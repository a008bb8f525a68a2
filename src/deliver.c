/*
 * deliver: plan, send and log.  The plan of a stakeholder is a pure
 * function of the stakeholder, the run's manifest and the size limit, so
 * that a resumed run cuts the same parts and recognises what the log says
 * went out.
 */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/deliver.h"
#include "iom/fname.h"
#include "iom/manifest.h"
#include "iom/mime.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/report.h"
#include "iom/sha256.h"
#include "iom/smtp.h"
#include "iom/stakeholders.h"

/* What a message costs besides its attachments: headers and text. */
#define MESSAGE_OVERHEAD 8192
#define PART_OVERHEAD 512

/* One file of the run that can be attached. */
struct att {
    const char *path;             /* in the run folder, from the manifest */
    const char *sha256;
    uint64_t bytes;
    const struct iom_record *rec; /* briefs only */
};

/* One message: a stakeholder's part 'part' of 'parts'. */
struct plan {
    const struct iom_stakeholder *who;
    const struct att **atts;
    size_t n;
    size_t part;
    size_t parts;
};

/* Everything one delivery works with. */
struct job {
    struct iom_deliver *d;
    const char *run_dir;
    const char *run_name;          /* its last path component */
    struct iom_json *manifest;
    const char *input_sha;
    struct iom_json **log;         /* the run folder's own log */
    size_t n_log;
    bool same_as_prev;             /* previous run: same input, selection */
    int log_fd;
    struct iom_smtp_config cfg;
    struct iom_smtp *smtp;
    size_t run_count;
    int64_t run_cents;
    size_t sent, skipped, refused, outboxed;
};

void
iom_deliver_init(struct iom_deliver *d, const struct iom_deliver_opts *o)
{
    memset(d, 0, sizeof *d);
    d->o = *o;
}

static void
free_lines(struct iom_json **v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        iom_json_free(v[i]);
    free(v);
}

void
iom_deliver_release(struct iom_deliver *d)
{
    free(d->prev_name);
    iom_json_free(d->prev_manifest);
    free_lines(d->prev_log, d->n_prev_log);
    memset(d, 0, sizeof *d);
}

static char *
join(const char *a, const char *b)
{
    char *p = malloc(strlen(a) + strlen(b) + 2);

    if (p)
        sprintf(p, "%s/%s", a, b);
    return p;
}

/* The whole file; IOM_ENOINPUT with errno when it cannot be read. */
static enum iom_status
slurp(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct iom_buf b;
    char chunk[65536];
    size_t n;
    enum iom_status st = IOM_OK;

    if (!f)
        return IOM_ENOINPUT;
    iom_buf_init(&b);
    while (st == IOM_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        st = iom_buf_add(&b, chunk, n);
    if (st == IOM_OK && ferror(f))
        st = IOM_ENOINPUT;
    fclose(f);
    if (st != IOM_OK) {
        iom_buf_release(&b);
        return st;
    }
    *len = b.len;
    *data = iom_buf_detach(&b);
    return *data ? IOM_OK : IOM_ENOMEM;
}

enum iom_status
iom_deliver_load_json(const char *path, struct iom_json **out)
{
    char *data;
    size_t len;
    enum iom_status st = slurp(path, &data, &len);

    if (st != IOM_OK)
        return st;
    st = iom_json_parse(data, len, out);
    free(data);
    return st;
}

/*
 * The lines of a delivery log.  A line cut short by a crash (the last
 * one) is not a record of a message and is skipped with a warning.
 */
static enum iom_status
load_log(const char *dir, struct iom_json ***out, size_t *n)
{
    char *path = join(dir, IOM_DELIVERY_LOG), *data = NULL, *p;
    size_t len, k = 0;
    struct iom_json **v = NULL;
    enum iom_status st;

    *out = NULL;
    *n = 0;
    if (!path)
        return IOM_ENOMEM;
    st = slurp(path, &data, &len);
    if (st == IOM_ENOINPUT && errno == ENOENT) {
        free(path);
        return IOM_OK;
    }
    for (p = data; st == IOM_OK && p < data + len;) {
        char *nl = memchr(p, '\n', (size_t)(data + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(data + len - p);
        struct iom_json *line, **nv;

        if (l && iom_json_parse(p, l, &line) == IOM_OK) {
            nv = realloc(v, (k + 1) * sizeof *v);
            if (!nv) {
                iom_json_free(line);
                st = IOM_ENOMEM;
                break;
            }
            v = nv;
            v[k++] = line;
        } else if (l) {
            iom_warnf("%s: an incomplete line is ignored", path);
        }
        p += l + 1;
    }
    if (st != IOM_OK && st != IOM_ENOMEM)
        iom_errorf("cannot read '%s': %s", path, strerror(errno));
    free(path);
    free(data);
    if (st != IOM_OK) {
        free_lines(v, k);
        return st;
    }
    *out = v;
    *n = k;
    return IOM_OK;
}

enum iom_status
iom_deliver_remember(struct iom_deliver *d, const char *dir)
{
    char *path = join(dir, "manifest.json");
    const char *slash = strrchr(dir, '/');
    enum iom_status st;

    if (!path)
        return IOM_ENOMEM;
    st = iom_deliver_load_json(path, &d->prev_manifest);
    free(path);
    if (st != IOM_OK)
        return st == IOM_ENOMEM ? st : IOM_OK;
    d->prev_name = strdup(slash ? slash + 1 : dir);
    if (!d->prev_name)
        return IOM_ENOMEM;
    return load_log(dir, &d->prev_log, &d->n_prev_log);
}

char *
iom_deliver_run_dir(const char *output, const char *label)
{
    char *link = join(output, label), target[4096], *path;
    ssize_t n;

    if (!link)
        return NULL;
    n = readlink(link, target, sizeof target - 1);
    free(link);
    if (n <= 0)
        return NULL;
    target[n] = '\0';
    if (strchr(target, '/')) {
        errno = EINVAL;           /* not a link this program made */
        return NULL;
    }
    path = join(output, target);
    return path;
}

char *
iom_deliver_previous(const char *output, const char *label,
                     const char *current)
{
    DIR *dir = opendir(output);
    const char *cur = strrchr(current, '/');
    char prefix[96], best[256] = "";
    struct dirent *e;

    if (!dir)
        return NULL;
    cur = cur ? cur + 1 : current;
    snprintf(prefix, sizeof prefix, ".%s.run-", label);
    while ((e = readdir(dir)) != NULL) {
        /* Names of the same label and width sort in time order. */
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
            strlen(e->d_name) == strlen(cur) &&
            strcmp(e->d_name, cur) != 0 && strcmp(e->d_name, best) > 0 &&
            strlen(e->d_name) < sizeof best)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    closedir(dir);
    return *best ? join(output, best) : NULL;
}

/* ---- the plan ---- */

/* The manifest's entry of 'path' with a well-formed digest, or NULL. */
static const struct iom_json *
manifest_file(const struct iom_json *manifest, const char *path)
{
    const struct iom_json *files = iom_json_get(manifest, "files");
    size_t i;

    for (i = 0; files && files->type == IOM_JSON_ARRAY && i < files->len;
         i++) {
        const char *p = iom_json_str(&files->items[i], "path");
        const char *sha = iom_json_str(&files->items[i], "sha256");

        if (p && strcmp(p, path) == 0)
            return sha && strlen(sha) == 64 ? &files->items[i] : NULL;
    }
    return NULL;
}

/* Fill 'a' from the manifest's entry of 'path'; false when not listed. */
static bool
set_att(const struct iom_json *manifest, const char *path, struct att *a)
{
    const struct iom_json *f = manifest_file(manifest, path), *b;

    if (!f)
        return false;
    b = iom_json_get(f, "bytes");
    a->path = iom_json_str(f, "path");
    a->sha256 = iom_json_str(f, "sha256");
    a->bytes = b && b->type == IOM_JSON_NUMBER && b->num > 0 ?
               (uint64_t)b->num : 0;
    return true;
}

/* Is 'a' new or changed since the previous run folder? */
static bool
changed(const struct job *j, const struct att *a)
{
    const char *old;

    if (!j->d->prev_manifest)
        return true;
    old = iom_json_str(manifest_file(j->d->prev_manifest, a->path),
                       "sha256");
    return !old || strcmp(old, a->sha256) != 0;
}

static enum iom_status
add_att(const struct att ***v, size_t *n, const struct att *a)
{
    const struct att **nv = realloc(*v, (*n + 1) * sizeof *nv);

    if (!nv)
        return IOM_ENOMEM;
    nv[(*n)++] = a;
    *v = nv;
    return IOM_OK;
}

/* What 'who' receives, in the order it is attached. */
static enum iom_status
choose(const struct job *j, const struct iom_stakeholder *who,
       const struct att *all, size_t n_all, const struct att ***out,
       size_t *n)
{
    enum iom_status st = IOM_OK;
    size_t i;

    *out = NULL;
    *n = 0;
    for (i = 0; i < n_all && st == IOM_OK; i++) {
        const struct att *a = &all[i];
        bool want = a->rec ? (who->send & IOM_SEND_BRIEFS) &&
                             iom_stakeholder_matches(who, a->rec) :
                    strcmp(a->path, "summary.pdf") == 0 ?
                             (who->send & IOM_SEND_SUMMARY) != 0 :
                             (who->send & IOM_SEND_WORKBOOK) != 0;

        if (want && (!j->d->o.changed_only || changed(j, a)))
            st = add_att(out, n, a);
    }
    return st;
}

static uint64_t
att_cost(const struct att *a)
{
    return iom_mime_base64_size(a->bytes) + PART_OVERHEAD;
}

/*
 * Cut 'atts' into parts of at most the limit, in order.  A file larger
 * than the limit on its own goes alone (and is warned about).  Fills
 * first[k], the index of part k's first attachment; returns the count.
 */
static size_t
cut(const struct job *j, const struct att *const *atts, size_t n,
    size_t *first)
{
    uint64_t limit = j->d->o.max_message_bytes, used = MESSAGE_OVERHEAD;
    size_t i, parts = 0;

    for (i = 0; i < n; i++) {
        uint64_t c = att_cost(atts[i]);

        if (i == 0 || used + c > limit) {
            first[parts++] = i;
            used = MESSAGE_OVERHEAD;
        }
        if (MESSAGE_OVERHEAD + c > limit)
            iom_warnf("'%s' is larger than --max-message-mb on its own: "
                      "sent alone", atts[i]->path);
        used += c;
    }
    return parts;
}

/* ---- the log ---- */

static bool
line_matches(const struct iom_json *line, const struct plan *p,
             bool by_sha)
{
    const char *to = iom_json_str(line, "to");
    const struct iom_json *a = iom_json_get(line, "attachments");
    size_t i;

    if (!to || strcasecmp(to, p->who->email) != 0 || !a ||
        a->type != IOM_JSON_ARRAY || a->len != p->n)
        return false;
    for (i = 0; i < p->n; i++) {
        const char *path = iom_json_str(&a->items[i], "path");
        const char *sha = iom_json_str(&a->items[i], "sha256");

        if (!path || strcmp(path, p->atts[i]->path) != 0 ||
            (by_sha && (!sha || strcmp(sha, p->atts[i]->sha256) != 0)))
            return false;
    }
    return true;
}

/*
 * The log line that says this message went out: in the run folder's own
 * log, or in the previous run folder's when it was made from the same
 * input and selection (its files then differ only in their dates).
 */
static const struct iom_json *
find_sent(const struct job *j, const struct plan *p, bool *from_prev)
{
    size_t i;

    *from_prev = false;
    for (i = 0; i < j->n_log; i++)
        if (line_matches(j->log[i], p, true))
            return j->log[i];
    for (i = 0; j->same_as_prev && i < j->d->n_prev_log; i++) {
        if (line_matches(j->d->prev_log[i], p, false)) {
            *from_prev = true;
            return j->d->prev_log[i];
        }
    }
    return NULL;
}

/* Append one line and make it durable before the next message goes. */
static enum iom_status
log_message(struct job *j, const struct plan *p, const char *message_id,
            const char *sent_at, const char *prev_run)
{
    struct iom_buf b;
    enum iom_status st;
    size_t i;

    iom_buf_init(&b);
    st = iom_buf_adds(&b, "{\"to\": ");
    if (st == IOM_OK)
        st = iom_json_put_string(&b, p->who->email, strlen(p->who->email));
    if (st == IOM_OK)
        st = iom_buf_adds(&b, ", \"message_id\": ");
    if (st == IOM_OK)
        st = iom_json_put_string(&b, message_id, strlen(message_id));
    if (st == IOM_OK)
        st = iom_buf_addf(&b, ", \"part\": %zu, \"parts\": %zu, "
                          "\"sent\": \"%s\", \"attachments\": [", p->part,
                          p->parts, sent_at);
    for (i = 0; i < p->n && st == IOM_OK; i++) {
        st = iom_buf_adds(&b, i ? ", {\"path\": " : "{\"path\": ");
        if (st == IOM_OK)
            st = iom_json_put_string(&b, p->atts[i]->path,
                                     strlen(p->atts[i]->path));
        if (st == IOM_OK)
            st = iom_buf_addf(&b, ", \"sha256\": \"%s\"}",
                              p->atts[i]->sha256);
    }
    if (st == IOM_OK)
        st = iom_buf_adds(&b, "]");
    if (st == IOM_OK && prev_run) {
        st = iom_buf_adds(&b, ", \"logged_in\": ");
        if (st == IOM_OK)
            st = iom_json_put_string(&b, prev_run, strlen(prev_run));
    }
    if (st == IOM_OK)
        st = iom_buf_adds(&b, "}\n");
    if (st == IOM_OK && (write(j->log_fd, b.data, b.len) != (ssize_t)b.len ||
                         fsync(j->log_fd) != 0)) {
        iom_errorf("cannot write '%s/%s': %s", j->run_dir, IOM_DELIVERY_LOG,
                   strerror(errno));
        st = IOM_EIO;
    }
    iom_buf_release(&b);
    return st;
}

/* ---- one message ---- */

static void
message_id(const struct job *j, const struct plan *p, char out[160])
{
    const char *from = j->cfg.from ? j->cfg.from : "iomreport@localhost";
    struct iom_sha256 h;
    char hex[65], num[48];
    size_t i;

    iom_sha256_init(&h);
    iom_sha256_update(&h, j->input_sha, strlen(j->input_sha));
    iom_sha256_update(&h, p->who->email, strlen(p->who->email) + 1);
    snprintf(num, sizeof num, "%zu/%zu", p->part, p->parts);
    iom_sha256_update(&h, num, strlen(num) + 1);
    for (i = 0; i < p->n; i++) {
        iom_sha256_update(&h, p->atts[i]->path,
                          strlen(p->atts[i]->path) + 1);
        iom_sha256_update(&h, p->atts[i]->sha256, 64);
    }
    iom_sha256_final(&h, hex);
    snprintf(out, 160, "<%.32s.iomreport@%.100s>", hex,
             strrchr(from, '@') + 1);
}

static const char *
basename_of(const char *path)
{
    const char *s = strrchr(path, '/');

    return s ? s + 1 : path;
}

static enum iom_status
add_list(struct iom_buf *b, const char *what, char *const *v, size_t n)
{
    enum iom_status st = iom_buf_addf(b, "%s: ", what);
    size_t i;

    if (st == IOM_OK && n == 0)
        st = iom_buf_adds(b, "all");
    for (i = 0; i < n && st == IOM_OK; i++)
        st = iom_buf_addf(b, "%s%s", i ? "; " : "", v[i]);
    return st;
}

static enum iom_status
write_body(const struct job *j, const struct plan *p,
           const struct iom_record *const *recs, size_t n,
           struct iom_buf *b)
{
    const char *sel = iom_json_str(iom_json_get(j->manifest, "selection"),
                                   "description");
    char money[IOM_MONEY_TEXT_MAX];
    int64_t cents = 0;
    size_t i, count = 0;
    enum iom_status st;
    const char *label = iom_json_str(iom_json_get(j->manifest, "selection"),
                                     "label");

    for (i = 0; i < n; i++) {
        if (iom_stakeholder_matches(p->who, recs[i])) {
            count++;
            cents += recs[i]->budget_cents;
        }
    }
    st = iom_buf_addf(b, "Dear %s,\n\nattached are the IOM Development "
                      "Fund reports of the run '%s'", p->who->name,
                      label ? label : basename_of(j->run_dir));
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(b, " (part %zu of %zu)", p->part, p->parts);
    if (st == IOM_OK)
        st = iom_buf_addf(b, ".\n\nSelection: %s\nProjects in the run: %zu, "
                          "total budget USD %s\n", sel ? sel : "",
                          j->run_count,
                          iom_money_format(j->run_cents, money));
    if (st == IOM_OK)
        st = iom_buf_addf(b, "Projects for you: %zu, total budget USD %s\n"
                          "  (", count, iom_money_format(cents, money));
    if (st == IOM_OK)
        st = add_list(b, "IDF Regions", p->who->regions,
                      p->who->n_regions);
    if (st == IOM_OK)
        st = add_list(b, "; Member States", p->who->states,
                      p->who->n_states);
    if (st == IOM_OK)
        st = iom_buf_adds(b, ")\n\nAttached:\n");
    for (i = 0; i < p->n && st == IOM_OK; i++) {
        const struct att *a = p->atts[i];

        if (a->rec)
            st = iom_buf_addf(b, "  %s  brief: %s (%s, USD %s)\n",
                              basename_of(a->path), a->rec->title,
                              a->rec->region,
                              iom_money_format(a->rec->budget_cents, money));
        else
            st = iom_buf_addf(b, "  %s  %s\n", a->path,
                              strcmp(a->path, "summary.pdf") == 0 ?
                              "portfolio summary" : "roll-up workbook");
    }
    if (st == IOM_OK && j->d->o.changed_only)
        st = iom_buf_adds(b, "\nOnly files that changed since the "
                          "previous run are attached.\n");
    if (st == IOM_OK)
        st = iom_buf_addf(b, "\nThis message was sent by iomreport %s.\n",
                          IOM_VERSION);
    return st;
}

/* Read each attachment and check it is still what the manifest says. */
static enum iom_status
load_parts(const struct job *j, const struct plan *p,
           struct iom_mime_part *parts, char **data)
{
    size_t i;

    for (i = 0; i < p->n; i++) {
        char *path = join(j->run_dir, p->atts[i]->path), hex[65];
        struct iom_sha256 h;
        enum iom_status st;
        size_t len;

        if (!path)
            return IOM_ENOMEM;
        st = slurp(path, &data[i], &len);
        if (st == IOM_OK) {
            iom_sha256_init(&h);
            iom_sha256_update(&h, data[i], len);
            iom_sha256_final(&h, hex);
            if (strcmp(hex, p->atts[i]->sha256) != 0) {
                iom_errorf("'%s' differs from its SHA-256 in "
                           "manifest.json: not sent", path);
                st = IOM_EIO;
            }
        } else if (st == IOM_ENOINPUT) {
            iom_errorf("cannot read '%s': %s", path, strerror(errno));
            st = IOM_EIO;
        }
        free(path);
        if (st != IOM_OK)
            return st;
        parts[i].filename = basename_of(p->atts[i]->path);
        parts[i].content_type = iom_mime_type(parts[i].filename);
        parts[i].data = data[i];
        parts[i].len = len;
    }
    return IOM_OK;
}

static enum iom_status
compose(const struct job *j, const struct plan *p, const char *mid,
        const struct iom_record *const *recs, size_t n,
        struct iom_buf *out)
{
    struct iom_mime_part *parts = calloc(p->n, sizeof *parts);
    char **data = calloc(p->n, sizeof *data);
    struct iom_buf body, subject;
    struct iom_mime_msg m;
    enum iom_status st = parts && data ? IOM_OK : IOM_ENOMEM;
    const char *sel = iom_json_str(iom_json_get(j->manifest, "selection"),
                                   "description");
    size_t i;

    iom_buf_init(&body);
    iom_buf_init(&subject);
    if (st == IOM_OK)
        st = load_parts(j, p, parts, data);
    if (st == IOM_OK)
        st = write_body(j, p, recs, n, &body);
    if (st == IOM_OK)
        st = iom_buf_addf(&subject, "IOM Development Fund reports \xE2\x80\x93"
                          " %s", sel ? sel : basename_of(j->run_dir));
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(&subject, " (part %zu of %zu)", p->part, p->parts);
    if (st == IOM_OK) {
        memset(&m, 0, sizeof m);
        m.from = j->cfg.from ? j->cfg.from : "iomreport@localhost";
        m.from_name = "IOM Development Fund reports";
        m.to = p->who->email;
        m.to_name = p->who->name;
        m.subject = subject.data;
        m.message_id = mid;
        m.date = j->d->o.date;
        m.body = body.data;
        m.parts = parts;
        m.n_parts = p->n;
        st = iom_mime_compose(&m, out);
    }
    for (i = 0; data && i < p->n; i++)
        free(data[i]);
    free(data);
    free(parts);
    iom_buf_release(&body);
    iom_buf_release(&subject);
    return st;
}

static enum iom_status
write_outbox(struct job *j, const struct plan *p, const struct iom_buf *msg)
{
    struct iom_buf name;
    enum iom_status st;
    const char *c;

    iom_buf_init(&name);
    st = iom_buf_addf(&name, "%s/", j->d->o.outbox);
    for (c = p->who->email; *c && st == IOM_OK; c++)
        st = iom_buf_addc(&name, (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) :
                          strchr("/\\'`|*?$&!{}#%~=^", *c) ? '_' : *c);
    if (st == IOM_OK && p->parts > 1)
        st = iom_buf_addf(&name, "-part%zu-of-%zu", p->part, p->parts);
    if (st == IOM_OK)
        st = iom_buf_adds(&name, ".eml");
    if (st == IOM_OK)
        st = iom_write_file(name.data, msg->data, msg->len);
    if (st == IOM_OK)
        j->outboxed++;
    iom_buf_release(&name);
    return st;
}

/* Send (or write) one planned message unless the log says it went. */
static enum iom_status
deliver_part(struct job *j, const struct plan *p,
             const struct iom_record *const *recs, size_t n)
{
    char mid[160], now[32];
    bool from_prev;
    const struct iom_json *sent = find_sent(j, p, &from_prev);
    struct iom_buf msg;
    enum iom_status st;

    if (sent) {
        j->skipped++;
        if (!from_prev || j->log_fd < 0)
            return IOM_OK;
        /* Carried into this run folder's log: the previous one may be
         * pruned before the next run. */
        return log_message(j, p, iom_json_str(sent, "message_id") ?
                           iom_json_str(sent, "message_id") : "",
                           iom_json_str(sent, "sent") ?
                           iom_json_str(sent, "sent") : "",
                           j->d->prev_name);
    }
    message_id(j, p, mid);
    iom_buf_init(&msg);
    st = compose(j, p, mid, recs, n, &msg);
    if (st == IOM_OK && j->d->o.outbox) {
        st = write_outbox(j, p, &msg);
    } else if (st == IOM_OK) {
        st = iom_smtp_send(j->smtp, p->who->email, msg.data, msg.len);
        if (st == IOM_OK) {
            j->sent++;
            iom_format_utc((int64_t)time(NULL), now);
            st = log_message(j, p, mid, now, NULL);
            iom_notef("sent %s to %s (part %zu of %zu, %zu files)", mid,
                      p->who->email, p->part, p->parts, p->n);
        }
    }
    iom_buf_release(&msg);
    return st;
}

static enum iom_status
deliver_stakeholder(struct job *j, const struct iom_stakeholder *who,
                    const struct att *all, size_t n_all,
                    const struct iom_record *const *recs, size_t n)
{
    const struct att **atts;
    size_t n_atts, *first = NULL, parts, k;
    enum iom_status st = choose(j, who, all, n_all, &atts, &n_atts);

    if (st == IOM_OK && n_atts == 0) {
        iom_notef("nothing to send to %s", who->email);
        free(atts);
        return IOM_OK;
    }
    if (st == IOM_OK && !(first = calloc(n_atts, sizeof *first)))
        st = IOM_ENOMEM;
    if (st == IOM_OK) {
        parts = cut(j, atts, n_atts, first);
        for (k = 0; k < parts && st == IOM_OK; k++) {
            struct plan p;

            p.who = who;
            p.atts = atts + first[k];
            p.n = (k + 1 < parts ? first[k + 1] : n_atts) - first[k];
            p.part = k + 1;
            p.parts = parts;
            st = deliver_part(j, &p, recs, n);
        }
    }
    free(first);
    free(atts);
    return st;
}

/* The files of the run that can go out, as the manifest lists them. */
static enum iom_status
list_files(struct job *j, char *const *names,
           const struct iom_record *const *recs, size_t n,
           struct att **out, size_t *n_out)
{
    static const char *const docs[] = { "summary.pdf", "rollup.xlsx" };
    struct att *v = calloc(n + 2, sizeof *v);
    size_t k = 0, i;

    if (!v)
        return IOM_ENOMEM;
    for (i = 0; i < 2; i++)
        k += set_att(j->manifest, docs[i], &v[k]);
    for (i = 0; i < n; i++) {
        char path[IOM_FNAME_MAX + 16];

        snprintf(path, sizeof path, "briefs/%s", names[i]);
        if (set_att(j->manifest, path, &v[k]))
            v[k++].rec = recs[i];
    }
    *out = v;
    *n_out = k;
    return IOM_OK;
}

static enum iom_status
open_log(struct job *j)
{
    char *path = join(j->run_dir, IOM_DELIVERY_LOG);
    int fd;

    if (!path)
        return IOM_ENOMEM;
    j->log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (j->log_fd < 0) {
        iom_errorf("cannot open '%s': %s", path, strerror(errno));
        free(path);
        return IOM_EIO;
    }
    free(path);
    /* The log's name must survive a crash as well as its lines. */
    fd = open(j->run_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return IOM_OK;
}

/* The run's manifest, its input digest, and how it relates to the last. */
static enum iom_status
read_run(struct job *j)
{
    char *path = join(j->run_dir, "manifest.json");
    const struct iom_json *prev = j->d->prev_manifest;
    const char *sel, *psel, *psha;
    enum iom_status st;

    if (!path)
        return IOM_ENOMEM;
    st = iom_deliver_load_json(path, &j->manifest);
    if (st != IOM_OK && st != IOM_ENOMEM)
        iom_errorf("cannot read the manifest '%s' of the run", path);
    free(path);
    if (st != IOM_OK)
        return st == IOM_ENOMEM ? st : IOM_ENOINPUT;
    j->input_sha = iom_json_str(iom_json_get(j->manifest, "input"),
                                "sha256");
    if (!j->input_sha)
        j->input_sha = "";
    sel = iom_json_str(iom_json_get(j->manifest, "selection"),
                       "description");
    psel = iom_json_str(iom_json_get(prev, "selection"), "description");
    psha = iom_json_str(iom_json_get(prev, "input"), "sha256");
    j->same_as_prev = prev && *j->input_sha && psha && sel && psel &&
                      strcmp(psha, j->input_sha) == 0 &&
                      strcmp(sel, psel) == 0;
    return IOM_OK;
}

static enum iom_status
worst(enum iom_status a, enum iom_status b)
{
    static const enum iom_status order[] = { IOM_ESMTP, IOM_EREFUSED,
                                             IOM_EREJECTED };
    size_t i;

    if (a != IOM_OK && b != IOM_OK)
        for (i = 0; i < sizeof order / sizeof order[0]; i++)
            if (a == order[i] || b == order[i])
                return order[i];
    return a != IOM_OK ? a : b;
}

enum iom_status
iom_deliver_run(struct iom_deliver *d, const char *run_dir,
                const struct iom_record *const *recs, char *const *names,
                size_t n)
{
    struct iom_stakeholders who;
    struct job j;
    struct att *all = NULL;
    size_t n_all = 0, i;
    enum iom_status st, outcome = IOM_OK;

    assert(d && run_dir && (recs || n == 0));
    memset(&j, 0, sizeof j);
    memset(&who, 0, sizeof who);
    j.d = d;
    j.run_dir = run_dir;
    j.log_fd = -1;
    for (i = 0; i < n; i++)
        j.run_cents += recs[i]->budget_cents;
    j.run_count = n;
    st = read_run(&j);
    if (st == IOM_OK)
        st = iom_stakeholders_read(d->o.stakeholders, &who);
    if (st == IOM_OK && who.rejected)
        outcome = IOM_EREJECTED;
    if (st == IOM_OK)
        st = iom_smtp_config_load(&j.cfg, d->o.outbox == NULL);
    if (st == IOM_OK && d->o.outbox && mkdir(d->o.outbox, 0755) != 0 &&
        errno != EEXIST) {
        iom_errorf("cannot create outbox '%s': %s", d->o.outbox,
                   strerror(errno));
        st = IOM_ECANTCREAT;
    }
    if (st == IOM_OK)
        st = load_log(run_dir, &j.log, &j.n_log);
    if (st == IOM_OK && !d->o.outbox)
        st = open_log(&j);
    if (st == IOM_OK && !d->o.outbox)
        st = iom_smtp_new(&j.cfg, &j.smtp);
    if (st == IOM_OK)
        st = list_files(&j, names, recs, n, &all, &n_all);
    for (i = 0; st == IOM_OK && i < who.n; i++) {
        st = deliver_stakeholder(&j, &who.v[i], all, n_all, recs, n);
        if (st == IOM_EREFUSED) {
            j.refused++;
            outcome = worst(outcome, st);
            st = IOM_OK;
        }
    }
    if (st == IOM_OK || st == IOM_ESMTP)
        iom_notef("delivery of '%s': %zu sent, %zu written to the outbox, "
                  "%zu already delivered, %zu refused", run_dir, j.sent,
                  j.outboxed, j.skipped, j.refused);
    if (j.log_fd >= 0)
        close(j.log_fd);
    free(all);
    iom_smtp_free(j.smtp);
    iom_smtp_config_release(&j.cfg);
    free_lines(j.log, j.n_log);
    iom_json_free(j.manifest);
    iom_stakeholders_release(&who);
    return st != IOM_OK ? st : outcome;
}
