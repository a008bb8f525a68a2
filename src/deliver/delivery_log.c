/*
 * delivery_log: the label's log of delivered messages.  Lookups go through
 * a sorted array of identities: the log grows by a few lines a night and
 * is read whole once per delivery.
 */
#define _XOPEN_SOURCE 700
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/delivery_log.h"
#include "iom/json.h"
#include "iom/manifest.h"
#include "iom/msg.h"
#include "iom/publish.h"
#include "iom/sha256.h"

static int
id_cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static bool
id_valid(const char *id)
{
    size_t i;

    for (i = 0; id && i < IOM_DLOG_ID_LEN; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return false;
    return id && id[IOM_DLOG_ID_LEN] == '\0';
}

/* Room for one more identity. */
static enum iom_status
reserve_id(struct iom_dlog *log)
{
    void *v = iom_grow(log->ids, &log->cap, log->n, sizeof *log->ids);

    if (!v)
        return IOM_ENOMEM;
    log->ids = v;
    return IOM_OK;
}

/* 'id' after the others, to be sorted with them once all are read. */
static enum iom_status
push_id(struct iom_dlog *log, const char *id)
{
    enum iom_status st = reserve_id(log);

    if (st == IOM_OK)
        memcpy(log->ids[log->n++], id, IOM_DLOG_ID_LEN + 1);
    return st;
}

/* Room for one more identity of unknown fate (a message the server may
 * have), so that committing its line allocates nothing. */
static enum iom_status
reserve_unsure(struct iom_dlog *log)
{
    void *v = realloc(log->unsure, (log->n_unsure + 1) * sizeof *log->unsure);

    if (!v)
        return IOM_ENOMEM;
    log->unsure = v;
    return IOM_OK;
}

static enum iom_status
add_unsure(struct iom_dlog *log, const char *id)
{
    enum iom_status st = reserve_unsure(log);

    if (st == IOM_OK)
        memcpy(log->unsure[log->n_unsure++], id, IOM_DLOG_ID_LEN + 1);
    return st;
}

static bool
fate_unknown(const json_t *line)
{
    const char *fate = iom_json_str(line, "fate");

    return fate && strcmp(fate, "unknown") == 0;
}

/* The identities of every complete line of data[0..len). */
static enum iom_status
read_lines(struct iom_dlog *log, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    enum iom_status st = IOM_OK;
    size_t torn = 0;

    while (st == IOM_OK && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *line = NULL;
        enum iom_status parsed = l ? iom_json_parse(p, l, &line, NULL) :
                                 IOM_EJSON;

        if (parsed == IOM_ENOMEM)
            st = parsed;
        else if (parsed == IOM_OK && id_valid(iom_json_str(line, "id")))
            st = (fate_unknown(line) ? add_unsure : push_id)(
                log, iom_json_str(line, "id"));
        else if (l)
            torn++;
        json_decref(line);
        p += l + 1;
    }
    if (torn)
        iom_notef("'%s': %zu incomplete line%s ignored (a run was stopped "
                  "while writing it)", log->path, torn, torn == 1 ? "" : "s");
    log->needs_newline = len && data[len - 1] != '\n';
    if (log->n)
        qsort(log->ids, log->n, sizeof *log->ids, id_cmp);
    return st;
}

static enum iom_status
read_all(struct iom_dlog *log)
{
    struct iom_buf b = IOM_BUF_INIT;
    char chunk[65536];
    enum iom_status st = IOM_OK;
    off_t at = 0;
    ssize_t n;

    while (st == IOM_OK && (n = pread(log->fd, chunk, sizeof chunk, at)) > 0) {
        st = iom_buf_add(&b, chunk, (size_t)n);
        at += n;
    }
    if (st == IOM_OK && n < 0) {
        iom_errorf("cannot read '%s': %s", log->path, strerror(errno));
        st = IOM_EIO;
    }
    if (st == IOM_OK)
        st = read_lines(log, b.data, b.len);
    iom_buf_release(&b);
    return st;
}

/*
 * The existing log at 'path', opened for appending, when it can be
 * trusted: a regular file (not a link to one) of the user running
 * iomreport, writable by nobody else and with no other name.  Lines
 * planted by someone else would keep mail from going, a log emptied by
 * someone else would send it all again, and a second name writes it
 * where others may read or change it; like ssh with a key file that is
 * too open, the log is refused.  -1 with errno ENOENT when there is
 * none (nothing printed); else -1 with *st set and one line printed.
 */
static int
open_trusted(const char *path, enum iom_status *st)
{
    struct stat sb;
    char why[96];
    /* Non-blocking: a FIFO planted there is refused, not waited on. */
    int fd = open(path, O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK |
                  O_CLOEXEC);

    if (fd < 0 && errno == ENOENT)
        return -1;
    if (fd < 0)
        snprintf(why, sizeof why, "%s", errno == ELOOP ?
                 "it is a symbolic link" : strerror(errno));
    else if (fstat(fd, &sb) != 0)
        snprintf(why, sizeof why, "%s", strerror(errno));
    else if (!S_ISREG(sb.st_mode))
        snprintf(why, sizeof why, "not a regular file");
    else if (sb.st_uid != geteuid())
        snprintf(why, sizeof why, "owned by uid %lu, not by uid %lu, who "
                 "runs iomreport", (unsigned long)sb.st_uid,
                 (unsigned long)geteuid());
    else if (sb.st_mode & (S_IWGRP | S_IWOTH))
        snprintf(why, sizeof why, "writable by group or others (mode "
                 "%04o)", (unsigned)(sb.st_mode & 07777));
    else if (sb.st_nlink != 1)
        snprintf(why, sizeof why, "it has %lu hard links",
                 (unsigned long)sb.st_nlink);
    else
        return fd;
    iom_errorf("cannot use the delivery log '%s': %s", path, why);
    if (fd >= 0)
        close(fd);
    *st = IOM_ECANTCREAT;
    return -1;
}

static char *
log_path(const char *dir, const char *label)
{
    return iom_strf("%s/.%s.delivery.log", dir, label);
}

enum iom_status
iom_dlog_check(const char *dir, const char *label)
{
    char *path = log_path(dir, label);
    enum iom_status st = IOM_OK;
    int fd;

    if (!path)
        return IOM_ENOMEM;
    fd = open_trusted(path, &st);
    if (fd >= 0)
        close(fd);
    free(path);
    return st;
}

enum iom_status
iom_dlog_open(struct iom_dlog *log, const char *dir, const char *label)
{
    enum iom_status st = IOM_OK;
    int dfd;

    memset(log, 0, sizeof *log);
    log->fd = -1;
    log->path = log_path(dir, label);
    if (!log->path)
        return IOM_ENOMEM;
    log->fd = open_trusted(log->path, &st);
    if (log->fd >= 0)
        return read_all(log);
    if (st != IOM_OK)
        return st;
    log->fd = open(log->path, O_RDWR | O_APPEND | O_CREAT | O_EXCL |
                   O_NOFOLLOW | O_CLOEXEC, 0644);
    if (log->fd < 0) {
        iom_errorf("cannot create the delivery log '%s': %s", log->path,
                   strerror(errno));
        return IOM_ECANTCREAT;
    }
    /* The log's name must survive a crash as well as its lines. */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) != 0) {
        iom_errorf("cannot sync '%s': %s", dir, strerror(errno));
        st = IOM_EIO;
    }
    if (dfd >= 0)
        close(dfd);
    return st;
}

bool
iom_dlog_has(const struct iom_dlog *log, const char *id)
{
    return log->n && bsearch(id, log->ids, log->n, sizeof *log->ids,
                             id_cmp) != NULL;
}

bool
iom_dlog_unsure(const struct iom_dlog *log, const char *id)
{
    size_t i;

    for (i = 0; i < log->n_unsure; i++)
        if (strcmp(log->unsure[i], id) == 0)
            return true;
    return false;
}

static json_t *
attachments(const struct iom_dlog_entry *e)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < e->n; i++) {
        json_t *f = json_object();

        if (!f || iom_json_set(f, "path", iom_json_text(e->paths[i])) ||
            iom_json_set(f, "sha256", json_string(e->sha256[i])) ||
            json_array_append_new(a, f) != 0) {
            json_decref(f);
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static enum iom_status
entry_line(const struct iom_dlog_entry *e, struct iom_buf *out)
{
    json_t *o = json_object();
    char sent[32];
    enum iom_status st = o ? IOM_OK : IOM_ENOMEM;

    iom_format_utc(e->sent, sent);
    if (st == IOM_OK)
        st = iom_json_set(o, "id", json_string(e->id));
    if (st == IOM_OK)
        st = iom_json_set(o, "message_id", iom_json_text(e->message_id));
    if (st == IOM_OK)
        st = iom_json_set(o, "to", iom_json_text(e->to));
    if (st == IOM_OK)
        st = iom_json_set(o, "part", json_integer((json_int_t)e->part));
    if (st == IOM_OK)
        st = iom_json_set(o, "parts", json_integer((json_int_t)e->parts));
    if (st == IOM_OK)
        st = iom_json_set(o, "sent", json_string(sent));
    if (st == IOM_OK)
        st = iom_json_set(o, "run", iom_json_text(e->run));
    if (st == IOM_OK)
        st = iom_json_set(o, "input_sha256", iom_json_text(e->input_sha256));
    if (st == IOM_OK)
        st = iom_json_set(o, "attachments", attachments(e));
    if (st == IOM_OK && e->unsure)
        st = iom_json_set(o, "fate", json_string("unknown"));
    if (st == IOM_OK)
        st = iom_json_print(o, 0, out);
    if (st == IOM_OK)
        st = iom_buf_addc(out, '\n');
    json_decref(o);
    return st;
}

enum iom_status
iom_dlog_prepare(struct iom_dlog *log, const struct iom_dlog_entry *e,
                 struct iom_dlog_line *line)
{
    enum iom_status st;

    iom_buf_init(&line->text);
    if (!id_valid(e->id))
        return IOM_EINVALID;
    memcpy(line->id, e->id, IOM_DLOG_ID_LEN + 1);
    line->unsure = e->unsure;
    st = entry_line(e, &line->text);
    /* The identity's room too: committing allocates nothing. */
    if (st != IOM_OK)
        return st;
    return e->unsure ? reserve_unsure(log) : reserve_id(log);
}

/* 'id' into the sorted identities, in the room reserve_id() made. */
static void
insert_id(struct iom_dlog *log, const char *id)
{
    size_t lo = 0, hi = log->n;

    assert(log->n < log->cap);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcmp(log->ids[mid], id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    memmove(log->ids + lo + 1, log->ids + lo,
            (log->n - lo) * sizeof *log->ids);
    memcpy(log->ids[lo], id, IOM_DLOG_ID_LEN + 1);
    log->n++;
}

enum iom_status
iom_dlog_commit(struct iom_dlog *log, const struct iom_dlog_line *line)
{
    static char newline[] = "\n";
    /* A torn last line gets its line end first, in the same write. */
    struct iovec iov[2] = { { newline, 1 },
                            { line->text.data, line->text.len } };
    int first = log->needs_newline ? 0 : 1;
    size_t want = line->text.len + (size_t)(1 - first);
    ssize_t n = writev(log->fd, iov + first, 2 - first);

    if (n != (ssize_t)want) {
        iom_errorf("cannot write the delivery log '%s': %s", log->path,
                   n < 0 ? strerror(errno) : "short write");
        return IOM_EIO;
    }
    log->needs_newline = false;
    if (fsync(log->fd) != 0) {
        iom_errorf("cannot sync the delivery log '%s': %s", log->path,
                   strerror(errno));
        return IOM_EIO;
    }
    if (line->unsure)
        memcpy(log->unsure[log->n_unsure++], line->id, IOM_DLOG_ID_LEN + 1);
    else
        insert_id(log, line->id);
    return IOM_OK;
}

void
iom_dlog_line_release(struct iom_dlog_line *line)
{
    iom_buf_release(&line->text);
}

enum iom_status
iom_dlog_append(struct iom_dlog *log, const struct iom_dlog_entry *e)
{
    struct iom_dlog_line line;
    enum iom_status st = iom_dlog_prepare(log, e, &line);

    if (st == IOM_OK)
        st = iom_dlog_commit(log, &line);
    iom_dlog_line_release(&line);
    return st;
}

void
iom_dlog_close(struct iom_dlog *log)
{
    if (log->fd >= 0)
        close(log->fd);
    free(log->path);
    free(log->ids);
    free(log->unsure);
    memset(log, 0, sizeof *log);
    log->fd = -1;
}

/* ---- the identity of a message ---- */

void
iom_dlog_id_begin(struct iom_sha256 *h, const char *label,
                  const struct iom_manifest_doc *man, const char *email,
                  size_t part, size_t parts)
{
    static const char domain[] = "iomreport message 1";
    char num[48];
    const char *c;

    iom_sha256_init(h);
    iom_sha256_update(h, domain, sizeof domain);
    iom_sha256_update(h, label, strlen(label) + 1);
    iom_sha256_update(h, man->input_sha256, 65);
    iom_sha256_update(h, man->selection, strlen(man->selection) + 1);
    for (c = email; *c; c++) {
        char lower = (*c >= 'A' && *c <= 'Z') ? (char)(*c + 32) : *c;

        iom_sha256_update(h, &lower, 1);
    }
    snprintf(num, sizeof num, "%zu/%zu", part, parts);
    iom_sha256_update(h, "", 1);
    iom_sha256_update(h, num, strlen(num) + 1);
}

void
iom_dlog_id_path(struct iom_sha256 *h, const char *path)
{
    iom_sha256_update(h, path, strlen(path) + 1);
}

void
iom_dlog_id_end(struct iom_sha256 *h, char id[IOM_DLOG_ID_LEN + 1])
{
    char hex[65];

    iom_sha256_final(h, hex);
    memcpy(id, hex, IOM_DLOG_ID_LEN);
    id[IOM_DLOG_ID_LEN] = '\0';
}

/* ---- the log of earlier versions ---- */

/* What an import of earlier logs works with. */
struct import {
    struct iom_dlog *log;
    const char *label;
    const char *run_dir;
    const struct iom_manifest_doc *man;
};

/* "2001-09-09T01:46:40Z" as UTC seconds; 0 when it is not one. */
static int64_t
parse_utc(const char *s)
{
    struct tm tm;
    const char *end;

    memset(&tm, 0, sizeof tm);
    end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    return end && !*end ? (int64_t)timegm(&tm) : 0;
}

/* One line of an earlier version's log into the label's log. */
static enum iom_status
import_line(const struct import *j, const json_t *line, const char *run)
{
    const json_t *atts = json_object_get(line, "attachments"), *a;
    const char *to = iom_json_str(line, "to");
    const char **paths = calloc(json_array_size(atts) + 1, sizeof *paths);
    const char **shas = calloc(json_array_size(atts) + 1, sizeof *shas);
    struct iom_dlog_entry e;
    struct iom_sha256 h;
    char id[IOM_DLOG_ID_LEN + 1];
    enum iom_status st = paths && shas ? IOM_OK : IOM_ENOMEM;
    size_t i;

    memset(&e, 0, sizeof e);
    e.part = (size_t)json_integer_value(json_object_get(line, "part"));
    e.parts = (size_t)json_integer_value(json_object_get(line, "parts"));
    if (st == IOM_OK && to && json_is_array(atts) && e.part >= 1 &&
        e.part <= e.parts) {
        iom_dlog_id_begin(&h, j->label, j->man, to, e.part, e.parts);
        json_array_foreach(atts, i, a) {
            paths[i] = iom_json_str(a, "path");
            shas[i] = iom_json_str(a, "sha256");
            if (!paths[i] || !shas[i])
                break;
            iom_dlog_id_path(&h, paths[i]);
        }
        iom_dlog_id_end(&h, id);
        if (i == json_array_size(atts) && !iom_dlog_has(j->log, id)) {
            e.id = id;
            e.message_id = iom_json_str(line, "message_id") ?
                           iom_json_str(line, "message_id") : "";
            e.to = to;
            e.sent = parse_utc(iom_json_str(line, "sent"));
            e.run = run;
            e.input_sha256 = j->man->input_sha256;
            e.paths = paths;
            e.sha256 = shas;
            e.n = i;
            st = iom_dlog_append(j->log, &e);
        }
    }
    free(paths);
    free(shas);
    return st;
}

/*
 * RUN/delivery.log of an earlier version, with lines "to", "message_id",
 * "part", "parts", "sent" and "attachments".  What such a folder of the
 * same input and selection says went is taken into the label's log.  Its
 * own lines are trusted as far as they parse; a torn last line ends the
 * reading.
 */
static enum iom_status
import_run_log(const struct import *j, const char *dir)
{
    struct iom_manifest_doc m;
    char *path = iom_strf("%s/delivery.log", dir);
    FILE *f = NULL;
    json_t *line;
    json_error_t err;
    enum iom_status st = path ? IOM_OK : IOM_ENOMEM, loaded = IOM_EJSON;

    memset(&m, 0, sizeof m);
    if (st == IOM_OK && !(f = fopen(path, "rb"))) {
        free(path);
        return IOM_OK;
    }
    /* A folder whose manifest cannot be read is not taken for ours;
     * memory running out is not a reason to mail anyone again. */
    if (st == IOM_OK)
        loaded = iom_manifest_load(dir, &m);
    if (loaded == IOM_ENOMEM)
        st = IOM_ENOMEM;
    else if (loaded == IOM_OK &&
             strcmp(m.input_sha256, j->man->input_sha256) == 0 &&
             strcmp(m.selection, j->man->selection) == 0) {
        while (st == IOM_OK &&
               (line = json_loadf(f, JSON_DISABLE_EOF_CHECK, &err)) != NULL) {
            st = import_line(j, line, iom_path_base(dir));
            json_decref(line);
        }
        if (st == IOM_OK && json_error_code(&err) == json_error_out_of_memory)
            st = IOM_ENOMEM;
        if (st == IOM_OK)
            iom_notef("took what '%s' says was delivered into '%s'", path,
                      j->log->path);
    }
    iom_manifest_doc_release(&m);
    if (f)
        fclose(f);
    free(path);
    return st;
}

/* The run folders an earlier version may have logged in. */
enum iom_status
iom_dlog_import(struct iom_dlog *log, const char *output, const char *label,
                const char *run_dir, const struct iom_manifest_doc *man)
{
    const struct import imp = { log, label, run_dir, man }, *j = &imp;
    char *prev = iom_publish_previous(output, j->label, j->run_dir);
    enum iom_status st = import_run_log(j, j->run_dir);

    if (st == IOM_OK && prev)
        st = import_run_log(j, prev);
    free(prev);
    return st;
}
