/*
 * manifest: manifest.json.  Written with its own small JSON printer: the
 * document is flat and escaping is the only subtle part.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iom/manifest.h"
#include "iom/money.h"
#include "iom/msg.h"
#include "iom/publish.h"
#include "iom/report.h"
#include "iom/sha256.h"
#include "iom/text.h"

#define MANIFEST "manifest.json"

enum iom_status
iom_json_put_string(struct iom_buf *out, const char *s, size_t len)
{
    enum iom_status st = iom_buf_addc(out, '"');
    size_t i = 0;

    while (i < len && st == IOM_OK) {
        unsigned char c = (unsigned char)s[i];
        size_t bad;

        if (c == '"' || c == '\\') {
            st = iom_buf_addf(out, "\\%c", c);
        } else if (c == '\n') {
            st = iom_buf_adds(out, "\\n");
        } else if (c == '\t') {
            st = iom_buf_adds(out, "\\t");
        } else if (c == '\r') {
            st = iom_buf_adds(out, "\\r");
        } else if (c < 0x20 || c == 0x7f) {
            st = iom_buf_addf(out, "\\u%04x", c);
        } else if (c >= 0x80) {
            /* Copy one valid UTF-8 sequence, or U+FFFD for a bad byte (a
             * file name from the command line may hold anything). */
            size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;

            if (n <= len - i && iom_utf8_valid(s + i, n, &bad)) {
                st = iom_buf_add(out, s + i, n);
                i += n;
                continue;
            }
            st = iom_buf_adds(out, "\\ufffd");
        } else {
            st = iom_buf_addc(out, (char)c);
        }
        i++;
    }
    return st == IOM_OK ? iom_buf_addc(out, '"') : st;
}

void
iom_format_utc(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Files under the run folder, collected by nftw(), which has no context. */
static struct {
    char **paths;
    size_t n;
    size_t root_len;
    int failed;
} walk;

static int
collect(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
    char **v;

    (void)sb;
    (void)ftw;
    if (type != FTW_F || strcmp(path + walk.root_len, MANIFEST) == 0 ||
        strcmp(path + walk.root_len, IOM_PUBLISH_MARKER) == 0)
        return 0;
    v = realloc(walk.paths, (walk.n + 1) * sizeof *v);
    if (!v)
        return walk.failed = -1;
    walk.paths = v;
    walk.paths[walk.n] = strdup(path + walk.root_len);
    if (!walk.paths[walk.n])
        return walk.failed = -1;
    walk.n++;
    return 0;
}

static int
path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum iom_status
put_files(struct iom_buf *b, const char *dir)
{
    enum iom_status st = IOM_OK;
    size_t i;

    memset(&walk, 0, sizeof walk);
    walk.root_len = strlen(dir) + 1;
    if (nftw(dir, collect, 16, FTW_PHYS) != 0 || walk.failed)
        st = IOM_EIO;
    if (walk.n)
        qsort(walk.paths, walk.n, sizeof *walk.paths, path_cmp);
    st = st == IOM_OK ? iom_buf_adds(b, "  \"files\": [") : st;
    for (i = 0; i < walk.n && st == IOM_OK; i++) {
        char hex[65], *full = malloc(walk.root_len + strlen(walk.paths[i]) +
                                     1);
        uint64_t size;

        if (!full) {
            st = IOM_ENOMEM;
            break;
        }
        sprintf(full, "%s/%s", dir, walk.paths[i]);
        st = iom_sha256_file(full, hex, &size);
        if (st != IOM_OK)
            iom_errorf("cannot read back '%s': %s", full, strerror(errno));
        free(full);
        if (st == IOM_OK)
            st = iom_buf_addf(b, "%s\n    {\"path\": ", i ? "," : "");
        if (st == IOM_OK)
            st = iom_json_put_string(b, walk.paths[i],
                                     strlen(walk.paths[i]));
        if (st == IOM_OK)
            st = iom_buf_addf(b, ", \"bytes\": %llu, \"sha256\": \"%s\"}",
                              (unsigned long long)size, hex);
    }
    if (st == IOM_OK)
        st = iom_buf_adds(b, walk.n ? "\n  ]\n" : "]\n");
    for (i = 0; i < walk.n; i++)
        free(walk.paths[i]);
    free(walk.paths);
    memset(&walk, 0, sizeof walk);
    return st;
}

static enum iom_status
put_names(struct iom_buf *b, const char *key, const char *const *v, size_t n)
{
    enum iom_status st = iom_buf_addf(b, ",\n    \"%s\": [", key);
    size_t i;

    for (i = 0; i < n && st == IOM_OK; i++) {
        if (i)
            st = iom_buf_adds(b, ", ");
        if (st == IOM_OK)
            st = iom_json_put_string(b, v[i], strlen(v[i]));
    }
    return st == IOM_OK ? iom_buf_adds(b, "]") : st;
}

static enum iom_status
put_header(struct iom_buf *b, const struct iom_manifest *m)
{
    char created[32], money[IOM_MONEY_TEXT_MAX];
    enum iom_status st;
    size_t i;

    iom_format_utc(m->created, created);
    st = iom_buf_addf(b, "{\n  \"tool\": \"iomreport\",\n"
                      "  \"version\": \"%s\",\n  \"created\": \"%s\",\n"
                      "  \"input\": {\n    \"path\": ", IOM_VERSION,
                      created);
    if (st == IOM_OK)
        st = iom_json_put_string(b, m->input, strlen(m->input));
    if (st == IOM_OK)
        st = iom_buf_addf(b, ",\n    \"bytes\": %llu,\n    \"sha256\": \"%s\""
                          "\n  },\n  \"selection\": {\n    \"label\": ",
                          (unsigned long long)m->input_bytes,
                          m->input_sha256);
    if (st == IOM_OK)
        st = iom_json_put_string(b, m->label, strlen(m->label));
    if (st == IOM_OK)
        st = iom_buf_adds(b, ",\n    \"description\": ");
    if (st == IOM_OK)
        st = iom_json_put_string(b, m->selection, strlen(m->selection));
    if (st == IOM_OK)
        st = iom_buf_adds(b, ",\n    \"years\": [");
    for (i = 0; i < m->sel->n_years && st == IOM_OK; i++)
        st = iom_buf_addf(b, "%s[%d, %d]", i ? ", " : "",
                          m->sel->years[i].first, m->sel->years[i].last);
    if (st == IOM_OK)
        st = iom_buf_adds(b, "]");
    if (st == IOM_OK)
        st = put_names(b, "regions", m->sel->regions, m->sel->n_regions);
    if (st == IOM_OK)
        st = put_names(b, "types", m->sel->types, m->sel->n_types);
    if (st == IOM_OK)
        st = iom_buf_addf(b, "\n  },\n  \"counts\": {\n"
                          "    \"records\": %zu,\n    \"accepted\": %zu,\n"
                          "    \"rejected\": %zu,\n    \"selected\": %zu\n"
                          "  },\n  \"total_budget\": {\n"
                          "    \"cents\": %lld,\n    \"text\": \"USD %s\"\n"
                          "  },\n", m->records, m->accepted, m->rejected,
                          m->selected, (long long)m->total_cents,
                          iom_money_format(m->total_cents, money));
    return st;
}

enum iom_status
iom_manifest_write(const char *dir, const struct iom_manifest *m)
{
    struct iom_buf b = IOM_BUF_INIT, path = IOM_BUF_INIT;
    enum iom_status st;

    st = put_header(&b, m);
    if (st == IOM_OK)
        st = put_files(&b, dir);
    if (st == IOM_OK)
        st = iom_buf_adds(&b, "}\n");
    if (st == IOM_OK)
        st = iom_buf_addf(&path, "%s/%s", dir, MANIFEST);
    if (st != IOM_OK)
        goto out;
    st = iom_write_file(path.data, b.data, b.len);
out:
    iom_buf_release(&b);
    iom_buf_release(&path);
    return st;
}
