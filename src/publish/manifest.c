/*
 * manifest: manifest.json, printed by jansson with keys in the order they
 * are set, so that one run's manifest is always the same bytes.
 */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/json.h"
#include "iom/manifest.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/report.h"
#include "iom/sha256.h"

void
iom_format_utc(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A file under the run folder, as the walk found it. */
struct walked {
    char *path;                   /* relative to the run folder */
    uint64_t size;
};

/* Files under the run folder, collected by nftw(), which has no context. */
static struct {
    struct walked *files;
    size_t n;
    size_t root_len;
    int failed;
} walk;

static int
collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    struct walked *v;

    (void)ftw;
    /* Hidden names at the top are the run folder's bookkeeping (its
     * marker, a file being written), not outputs. */
    if (type != FTW_F || strcmp(path + walk.root_len, IOM_MANIFEST) == 0 ||
        path[walk.root_len] == '.')
        return 0;
    v = realloc(walk.files, (walk.n + 1) * sizeof *v);
    if (!v)
        return walk.failed = -1;
    walk.files = v;
    walk.files[walk.n].size = (uint64_t)sb->st_size;
    walk.files[walk.n].path = strdup(path + walk.root_len);
    if (!walk.files[walk.n].path)
        return walk.failed = -1;
    walk.n++;
    return 0;
}

static int
walked_cmp(const void *a, const void *b)
{
    return strcmp(((const struct walked *)a)->path,
                  ((const struct walked *)b)->path);
}

static int
known_cmp(const void *a, const void *b)
{
    return strcmp((*(const struct iom_manifest_file *const *)a)->path,
                  (*(const struct iom_manifest_file *const *)b)->path);
}

/* A file's size and SHA-256, or why it could not be read back. */
struct digest {
    char hex[65];
    uint64_t size;
    enum iom_status st;
    int err;
};

/* Read 'dir'/'rel' back into 'd'. */
static void
read_back(const char *dir, const char *rel, struct digest *d)
{
    char *full = iom_strf("%s/%s", dir, rel);

    d->st = full ? iom_sha256_file(full, d->hex, &d->size) : IOM_ENOMEM;
    d->err = errno;
    free(full);
}

/*
 * Each walked file's digest: a known one where its writer read it back
 * and the file still has that size, else read back here.  Both lists are
 * taken in path order.
 */
static enum iom_status
digest_walk(const char *dir, const struct iom_manifest *m,
            struct digest *out)
{
    const struct iom_manifest_file **known = NULL;
    size_t i, k = 0;

    if (m->n_known && !(known = malloc(m->n_known * sizeof *known)))
        return IOM_ENOMEM;
    for (i = 0; i < m->n_known; i++)
        known[i] = &m->known[i];
    if (m->n_known)
        qsort(known, m->n_known, sizeof *known, known_cmp);
    for (i = 0; i < walk.n; i++) {
        int c = 1;

        while (k < m->n_known &&
               (c = strcmp(known[k]->path, walk.files[i].path)) < 0)
            k++;
        if (c == 0 && known[k]->bytes == walk.files[i].size) {
            memcpy(out[i].hex, known[k]->sha256, sizeof out[i].hex);
            out[i].size = known[k]->bytes;
            out[i].st = IOM_OK;
        } else {
            read_back(dir, walk.files[i].path, &out[i]);
        }
    }
    free(known);
    return IOM_OK;
}

/* One entry of "files": the file's size and SHA-256. */
static enum iom_status
file_entry(const char *dir, const char *rel, const struct digest *d,
           json_t *files)
{
    json_t *f = json_object();
    enum iom_status st = f ? d->st : IOM_ENOMEM;

    if (st == IOM_EIO)
        iom_errorf("cannot read back '%s/%s': %s", dir, rel,
                   strerror(d->err));
    if (st == IOM_OK)
        st = iom_json_set(f, "path", iom_json_text(rel));
    if (st == IOM_OK)
        st = iom_json_set(f, "bytes", json_integer((json_int_t)d->size));
    if (st == IOM_OK)
        st = iom_json_set(f, "sha256", json_string(d->hex));
    if (st == IOM_OK && json_array_append(files, f) != 0)
        st = IOM_ENOMEM;
    json_decref(f);
    return st;
}

static enum iom_status
put_files(json_t *root, const char *dir, const struct iom_manifest *m)
{
    json_t *files = json_array();
    struct digest *digests = NULL;
    enum iom_status st = files ? IOM_OK : IOM_ENOMEM;
    size_t i;

    memset(&walk, 0, sizeof walk);
    walk.root_len = strlen(dir) + 1;
    if (st == IOM_OK && (nftw(dir, collect, 16, FTW_PHYS) != 0 ||
                         walk.failed))
        st = walk.failed ? IOM_ENOMEM : IOM_EIO;
    if (walk.n)
        qsort(walk.files, walk.n, sizeof *walk.files, walked_cmp);
    if (st == IOM_OK && walk.n && !(digests = calloc(walk.n, sizeof *digests)))
        st = IOM_ENOMEM;
    if (st == IOM_OK && walk.n)
        st = digest_walk(dir, m, digests);
    for (i = 0; i < walk.n && st == IOM_OK; i++)
        st = file_entry(dir, walk.files[i].path, &digests[i], files);
    free(digests);
    for (i = 0; i < walk.n; i++)
        free(walk.files[i].path);
    free(walk.files);
    memset(&walk, 0, sizeof walk);
    if (st == IOM_OK)
        return iom_json_set(root, "files", files);
    json_decref(files);
    return st;
}

static json_t *
name_list(const char *const *v, size_t n)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < n; i++) {
        if (json_array_append_new(a, iom_json_text(v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *
year_list(const struct iom_selection *sel)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < sel->n_years; i++) {
        if (json_array_append_new(a, json_pack("[ii]", sel->years[i].first,
                                               sel->years[i].last)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Everything but the files, in the order a reader expects it. */
static enum iom_status
put_header(json_t *root, const struct iom_manifest *m)
{
    char created[32], money[IOM_MONEY_TEXT_MAX], text[IOM_MONEY_TEXT_MAX + 4];
    json_t *input = json_object(), *sel = json_object(),
           *counts = json_object(), *total = json_object();
    enum iom_status st = input && sel && counts && total ? IOM_OK :
                         IOM_ENOMEM;

    iom_format_utc(m->created, created);
    snprintf(text, sizeof text, "USD %s",
             iom_money_format(m->total_cents, money));
    if (st == IOM_OK)
        st = iom_json_set(input, "path", iom_json_text(m->input));
    /* send LABEL reads the input again: it must know how. */
    if (st == IOM_OK && m->encoding)
        st = iom_json_set(input, "encoding", iom_json_text(m->encoding));
    if (st == IOM_OK && m->decimal_comma)
        st = iom_json_set(input, "decimal_comma", json_true());
    if (st == IOM_OK)
        st = iom_json_set(input, "bytes", json_integer((json_int_t)
                                                       m->input_bytes));
    if (st == IOM_OK)
        st = iom_json_set(input, "sha256", json_string(m->input_sha256));
    if (st == IOM_OK)
        st = iom_json_set(sel, "label", iom_json_text(m->label));
    if (st == IOM_OK)
        st = iom_json_set(sel, "description", iom_json_text(m->selection));
    if (st == IOM_OK)
        st = iom_json_set(sel, "years", year_list(m->sel));
    if (st == IOM_OK)
        st = iom_json_set(sel, "regions", name_list(m->sel->regions,
                                                    m->sel->n_regions));
    if (st == IOM_OK)
        st = iom_json_set(sel, "types", name_list(m->sel->types,
                                                  m->sel->n_types));
    if (st == IOM_OK)
        st = iom_json_set(counts, "records", json_integer((json_int_t)
                                                          m->records));
    if (st == IOM_OK)
        st = iom_json_set(counts, "accepted", json_integer((json_int_t)
                                                           m->accepted));
    if (st == IOM_OK)
        st = iom_json_set(counts, "rejected", json_integer((json_int_t)
                                                           m->rejected));
    if (st == IOM_OK)
        st = iom_json_set(counts, "selected", json_integer((json_int_t)
                                                           m->selected));
    if (st == IOM_OK)
        st = iom_json_set(total, "cents", json_integer(m->total_cents));
    if (st == IOM_OK)
        st = iom_json_set(total, "text", json_string(text));
    if (st == IOM_OK)
        st = iom_json_set(root, "tool", json_string("iomreport"));
    if (st == IOM_OK)
        st = iom_json_set(root, "version", json_string(IOM_VERSION));
    if (st == IOM_OK)
        st = iom_json_set(root, "created", json_string(created));
    /* iom_json_set() takes each reference, also when it fails. */
    if (st == IOM_OK) {
        st = iom_json_set(root, "input", input);
        input = NULL;
    }
    if (st == IOM_OK) {
        st = iom_json_set(root, "selection", sel);
        sel = NULL;
    }
    if (st == IOM_OK) {
        st = iom_json_set(root, "counts", counts);
        counts = NULL;
    }
    if (st == IOM_OK) {
        st = iom_json_set(root, "total_budget", total);
        total = NULL;
    }
    json_decref(input);
    json_decref(sel);
    json_decref(counts);
    json_decref(total);
    return st;
}

enum iom_status
iom_manifest_write(const char *dir, const struct iom_manifest *m)
{
    struct iom_buf b = IOM_BUF_INIT;
    char *path = NULL;
    json_t *root = json_object();
    enum iom_status st = root ? put_header(root, m) : IOM_ENOMEM;

    if (st == IOM_OK)
        st = put_files(root, dir, m);
    if (st == IOM_OK)
        st = iom_json_print(root, 1, &b);
    if (st == IOM_OK && !(path = iom_strf("%s/%s", dir, IOM_MANIFEST)))
        st = IOM_ENOMEM;
    if (st == IOM_OK)
        st = iom_write_file(path, b.data, b.len);
    json_decref(root);
    iom_buf_release(&b);
    free(path);
    return st;
}

/* ---- reading it back ---- */

static int
is_hex64(const char *s)
{
    size_t i;

    for (i = 0; s && i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s && s[64] == '\0';
}

/* A copy of obj[key], which must be a string; NULL sets *st. */
static char *
dup_str(const json_t *obj, const char *key, enum iom_status *st)
{
    const char *v = iom_json_str(obj, key);
    char *c;

    if (*st != IOM_OK)
        return NULL;
    if (!v) {
        *st = IOM_EJSON;
        return NULL;
    }
    c = strdup(v);
    if (!c)
        *st = IOM_ENOMEM;
    return c;
}

/* A string the selection borrows, kept in doc->strings. */
static const char *
keep(struct iom_manifest_doc *doc, const json_t *v, enum iom_status *st)
{
    char **nv;

    if (*st != IOM_OK)
        return NULL;
    if (!json_is_string(v)) {
        *st = IOM_EJSON;
        return NULL;
    }
    nv = realloc(doc->strings, (doc->n_strings + 1) * sizeof *nv);
    if (!nv || !(nv[doc->n_strings] = strdup(json_string_value(v)))) {
        if (nv)
            doc->strings = nv;
        *st = IOM_ENOMEM;
        return NULL;
    }
    doc->strings = nv;
    return doc->strings[doc->n_strings++];
}

/* A list of names ("regions", "types") into the selection by 'add'. */
static enum iom_status
load_names(struct iom_manifest_doc *doc, const json_t *v,
           enum iom_status (*add)(struct iom_selection *, const char *))
{
    enum iom_status st = json_is_array(v) ? IOM_OK : IOM_EJSON;
    size_t i;

    for (i = 0; st == IOM_OK && i < json_array_size(v); i++) {
        const char *name = keep(doc, json_array_get(v, i), &st);

        if (st == IOM_OK)
            st = add(&doc->sel, name);
    }
    return st;
}

static enum iom_status
load_selection(struct iom_manifest_doc *doc, const json_t *sel)
{
    const json_t *years = json_object_get(sel, "years"), *v;
    enum iom_status st = IOM_OK;
    size_t i;

    doc->label = dup_str(sel, "label", &st);
    doc->selection = dup_str(sel, "description", &st);
    if (st == IOM_OK && !json_is_array(years))
        st = IOM_EJSON;
    json_array_foreach(years, i, v) {
        char span[48];
        const char *why;
        json_int_t a = json_integer_value(json_array_get(v, 0)),
                   b = json_integer_value(json_array_get(v, 1));

        if (st != IOM_OK)
            break;
        snprintf(span, sizeof span, "%lld-%lld", (long long)a, (long long)b);
        st = iom_selection_add_years(&doc->sel, span, &why);
        if (st == IOM_EUSAGE)
            st = IOM_EJSON;
    }
    if (st == IOM_OK)
        st = load_names(doc, json_object_get(sel, "regions"),
                        iom_selection_add_region);
    if (st == IOM_OK)
        st = load_names(doc, json_object_get(sel, "types"),
                        iom_selection_add_type);
    return st;
}

static enum iom_status
load_counts(struct iom_manifest_doc *doc, const json_t *counts)
{
    static const char *const keys[] = { "records", "accepted", "rejected",
                                        "selected" };
    size_t *const to[] = { &doc->records, &doc->accepted, &doc->rejected,
                           &doc->selected };
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const json_t *v = json_object_get(counts, keys[i]);

        if (!json_is_integer(v) || json_integer_value(v) < 0)
            return IOM_EJSON;
        *to[i] = (size_t)json_integer_value(v);
    }
    return IOM_OK;
}

static enum iom_status
load_files(struct iom_manifest_doc *doc, const json_t *files)
{
    enum iom_status st = IOM_OK;
    const json_t *f;
    size_t i;

    if (!json_is_array(files))
        return IOM_EJSON;
    doc->files = calloc(json_array_size(files) + 1, sizeof *doc->files);
    if (!doc->files)
        return IOM_ENOMEM;
    json_array_foreach(files, i, f) {
        struct iom_manifest_file *e = &doc->files[i];
        const char *sha = iom_json_str(f, "sha256");
        json_int_t bytes = json_integer_value(json_object_get(f, "bytes"));

        e->path = dup_str(f, "path", &st);
        if (st != IOM_OK)
            break;
        doc->n_files++;
        if (!is_hex64(sha) || bytes < 0 ||
            !json_is_integer(json_object_get(f, "bytes")))
            return IOM_EJSON;
        memcpy(e->sha256, sha, 65);
        e->bytes = (uint64_t)bytes;
    }
    return st;
}

enum iom_status
iom_manifest_load(const char *dir, struct iom_manifest_doc *doc)
{
    char *path = iom_strf("%s/%s", dir, IOM_MANIFEST);
    json_t *root = NULL;
    const json_t *input;
    enum iom_status st;

    memset(doc, 0, sizeof *doc);
    iom_selection_init(&doc->sel);
    st = path ? iom_json_load(path, &root) : IOM_ENOMEM;
    input = json_object_get(root, "input");
    if (st == IOM_OK && strcmp(iom_json_str(root, "tool") ?
                               iom_json_str(root, "tool") : "",
                               "iomreport") != 0)
        st = IOM_EJSON;
    if (st == IOM_OK)
        doc->input = dup_str(input, "path", &st);
    if (st == IOM_OK && iom_json_str(input, "encoding"))
        doc->encoding = dup_str(input, "encoding", &st);
    doc->decimal_comma = json_is_true(json_object_get(input,
                                                      "decimal_comma"));
    if (st == IOM_OK && !is_hex64(iom_json_str(input, "sha256")))
        st = IOM_EJSON;
    if (st == IOM_OK)
        memcpy(doc->input_sha256, iom_json_str(input, "sha256"), 65);
    if (st == IOM_OK)
        st = load_selection(doc, json_object_get(root, "selection"));
    if (st == IOM_OK)
        st = load_counts(doc, json_object_get(root, "counts"));
    if (st == IOM_OK)
        st = load_files(doc, json_object_get(root, "files"));
    json_decref(root);
    free(path);
    return st;
}

void
iom_manifest_doc_release(struct iom_manifest_doc *doc)
{
    free(doc->input);
    free(doc->encoding);
    free(doc->label);
    free(doc->selection);
    iom_selection_release(&doc->sel);
    iom_strv_free(doc->strings, doc->n_strings);
    iom_manifest_files_free(doc->files, doc->n_files);
    memset(doc, 0, sizeof *doc);
}

void
iom_manifest_files_free(struct iom_manifest_file *files, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        free(files[i].path);
    free(files);
}

enum iom_status
iom_manifest_read_run(const char *dir, struct iom_manifest_doc *doc)
{
    enum iom_status st = iom_manifest_load(dir, doc);

    if (st == IOM_ENOINPUT)
        iom_errorf("cannot read the manifest of the run '%s': %s",
                   dir, strerror(errno));
    else if (st == IOM_EJSON)
        iom_errorf("'%s/%s' is not a manifest of iomreport", dir,
                   IOM_MANIFEST);
    return st == IOM_ENOMEM ? st : st != IOM_OK ? IOM_ENOINPUT : IOM_OK;
}

const struct iom_manifest_file *
iom_manifest_find(const struct iom_manifest_doc *doc, const char *path)
{
    size_t i;

    for (i = 0; i < doc->n_files; i++)
        if (strcmp(doc->files[i].path, path) == 0)
            return &doc->files[i];
    return NULL;
}

/* ---- a folder against its listing ---- */

/* The walk of iom_manifest_match(): the listing sorted by path, which of
 * it was found and how many, and the first difference. */
struct match {
    const struct iom_manifest_file **sorted;
    bool *seen;
    size_t n;
    size_t found;
    struct iom_buf *differs;
};

static int
listed_cmp(const void *key, const void *elem)
{
    return strcmp(key, (*(const struct iom_manifest_file *const *)elem)->path);
}

static bool
named_in(const char *name, const char *const *names)
{
    for (; names && *names; names++)
        if (strcmp(name, *names) == 0)
            return true;
    return false;
}

static enum iom_status match_dir(struct match *m, int fd, const char *prefix,
                                 const char *const *aside);

/* The entry 'rel' of the run folder, 'name' in the folder 'fd': a listed
 * file, or a folder holding only listed files, else the difference. */
static enum iom_status
match_entry(struct match *m, int fd, const char *name, const char *rel)
{
    const struct iom_manifest_file *const *hit;
    struct stat st;
    enum iom_status s;
    size_t before = m->found;
    char *prefix;
    int sub;

    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return IOM_EIO;
    if (S_ISDIR(st.st_mode)) {
        prefix = iom_strf("%s/", rel);
        if (!prefix)
            return IOM_ENOMEM;
        sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
                     O_CLOEXEC);
        s = sub < 0 ? IOM_EIO : match_dir(m, sub, prefix, NULL);
        if (s == IOM_OK && !m->differs->len && m->found == before)
            s = iom_buf_addf(m->differs, "'%s' holds no listed file",
                             prefix);
        if (sub >= 0)
            close(sub);
        free(prefix);
        return s;
    }
    if (!S_ISREG(st.st_mode))
        return iom_buf_addf(m->differs, "'%s' is %s", rel,
                            S_ISLNK(st.st_mode) ? "a link" :
                            "not a plain file");
    hit = bsearch(rel, m->sorted, m->n, sizeof *m->sorted, listed_cmp);
    if (!hit)
        return iom_buf_addf(m->differs, "'%s' is not listed", rel);
    if ((uint64_t)st.st_size != (*hit)->bytes)
        return iom_buf_addf(m->differs, "'%s' has %llu bytes where the "
                            "manifest lists %llu", rel,
                            (unsigned long long)st.st_size,
                            (unsigned long long)(*hit)->bytes);
    if (!m->seen[hit - m->sorted])
        m->found++;
    m->seen[hit - m->sorted] = true;
    return IOM_OK;
}

/* Whether the top's 'name' is what may stand beside the listed files. */
static enum iom_status
match_aside(struct match *m, int fd, const char *name)
{
    struct stat st;

    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return IOM_EIO;
    if (!S_ISREG(st.st_mode))
        return iom_buf_addf(m->differs, "'%s' is not a plain file", name);
    return IOM_OK;
}

/* Every entry of the folder 'fd' (not closed here), its names below the
 * run folder starting with 'prefix', until the first difference; 'aside'
 * names what the top may hold besides. */
static enum iom_status
match_dir(struct match *m, int fd, const char *prefix,
          const char *const *aside)
{
    /* A reading of its own: 'fd' keeps its position. */
    int own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = own < 0 ? NULL : fdopendir(own);
    enum iom_status s = IOM_OK;
    const struct dirent *e;

    if (!d) {
        if (own >= 0)
            close(own);
        return IOM_EIO;
    }
    while (s == IOM_OK && !m->differs->len) {
        char *rel;

        errno = 0;
        e = readdir(d);
        if (!e) {
            s = errno ? IOM_EIO : IOM_OK;
            break;
        }
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (!*prefix && (strcmp(e->d_name, IOM_MANIFEST) == 0 ||
                         named_in(e->d_name, aside))) {
            s = match_aside(m, fd, e->d_name);
            continue;
        }
        rel = iom_strf("%s%s", prefix, e->d_name);
        s = rel ? match_entry(m, fd, e->d_name, rel) : IOM_ENOMEM;
        free(rel);
    }
    closedir(d);
    return s;
}

enum iom_status
iom_manifest_match(int dfd, const struct iom_manifest_doc *doc,
                   const char *const *aside, struct iom_buf *differs)
{
    struct match m = { NULL, NULL, doc->n_files, 0, differs };
    enum iom_status s = IOM_ENOMEM;
    size_t i;

    iom_buf_reset(differs);
    m.sorted = malloc((m.n ? m.n : 1) * sizeof *m.sorted);
    m.seen = calloc(m.n ? m.n : 1, sizeof *m.seen);
    if (m.sorted && m.seen) {
        for (i = 0; i < m.n; i++)
            m.sorted[i] = &doc->files[i];
        qsort(m.sorted, m.n, sizeof *m.sorted, known_cmp);
        s = match_dir(&m, dfd, "", aside);
    }
    for (i = 0; s == IOM_OK && !differs->len && i < m.n; i++)
        if (!m.seen[i])
            s = iom_buf_addf(differs, "'%s' is listed but missing",
                             m.sorted[i]->path);
    free(m.sorted);
    free(m.seen);
    return s;
}
