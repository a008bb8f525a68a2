/*
 * fixture: helpers shared by the unit tests; see fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/cli.h"
#include "iom/csv_in.h"
#include "iom/msg.h"
#include "iom/run.h"
#include "iom/validate.h"

#include "fixture.h"
#include "oom/failalloc.h"

#define MAX_STATES 8

const char *
fixture_intern(struct iom_recset *rs, const char *s)
{
    const char *p = iom_recset_intern(rs, s, strlen(s));

    assert_non_null(p);
    return p;
}

struct iom_record *
fixture_add_record(struct iom_recset *rs, const char *id, const char *title,
                   const char *region, const char *type, int year,
                   int64_t cents, const char *states)
{
    struct iom_record r;
    const char *v[MAX_STATES];
    size_t n = 0;

    memset(&r, 0, sizeof r);
    r.id = fixture_intern(rs, id);
    r.title = fixture_intern(rs, title);
    r.status = r.coverage = r.description = r.prima_id =
        fixture_intern(rs, "");
    r.region = fixture_intern(rs, region);
    r.type = fixture_intern(rs, type);
    r.year = year;
    r.budget_cents = cents;
    while (states && *states) {
        size_t len = strcspn(states, ";");

        assert_true(n < MAX_STATES);
        v[n] = iom_recset_intern(rs, states, len);
        assert_non_null(v[n]);
        n++;
        states += len + (states[len] == ';');
    }
    r.states = iom_recset_intern_list(rs, v, n);
    assert_non_null(r.states);
    r.n_states = n;
    r.line = rs->n + 2;
    assert_int_equal(iom_recset_add(rs, &r), IOM_OK);
    return &rs->recs[rs->n - 1];
}

void
fixture_report_init(struct iom_report *rep, const char *label,
                    const char *selection)
{
    rep->label = label;
    rep->selection = selection;
    rep->created = 1700000000;
    rep->font_regular = "fonts/DejaVuSans.ttf";
    rep->font_bold = "fonts/DejaVuSans-Bold.ttf";
}

void
fixture_agg_init(struct fixture_agg *fa)
{
    iom_recset_init(&fa->rs);
    iom_selection_init(&fa->sel);
    fa->agg = NULL;
}

struct iom_agg *
fixture_agg_build(struct fixture_agg *fa)
{
    iom_agg_free(fa->agg);
    fa->agg = NULL;
    assert_int_equal(iom_agg_build(&fa->rs, &fa->sel, &fa->agg), IOM_OK);
    assert_non_null(fa->agg);
    return fa->agg;
}

void
fixture_agg_release(struct fixture_agg *fa)
{
    iom_agg_free(fa->agg);
    fa->agg = NULL;
    iom_selection_release(&fa->sel);
    iom_recset_release(&fa->rs);
}

int
fixture_share_tenths(int64_t cents, int64_t total)
{
    __extension__ __int128 num = (__int128)cents * 1000;
    __extension__ __int128 t;

    /* nothing to share out when every budget is zero */
    if (total <= 0)
        return 0;
    /* the tenth below, and one more when the rest is at least a half */
    t = num / total;
    return (int)(t + (2 * (num - t * total) >= total ? 1 : 0));
}

void
fixture_assert_agg_adds_up(const struct iom_agg *agg)
{
    size_t n[IOM_DIM_COUNT], i, r, y;
    const struct iom_group *g[IOM_DIM_COUNT];
    int d;

    for (d = 0; d < IOM_DIM_COUNT; d++) {
        int64_t sum = 0;
        size_t count = 0;
        g[d] = iom_agg_groups(agg, (enum iom_agg_dim)d, &n[d]);
        for (i = 0; i < n[d]; i++) {
            sum += g[d][i].total_cents;
            count += g[d][i].count;
            assert_int_equal(g[d][i].share_tenths,
                             fixture_share_tenths(g[d][i].total_cents,
                                                  iom_agg_total(agg)));
            assert_true(g[d][i].count > 0);
        }
        assert_int_equal(sum, iom_agg_total(agg));
        assert_int_equal(count, iom_agg_count(agg));
    }
    for (r = 0; r < n[IOM_BY_REGION]; r++) {
        int64_t sum = 0;
        size_t count = 0;

        for (y = 0; y < n[IOM_BY_YEAR]; y++) {
            sum += iom_agg_cell(agg, r, y)->total_cents;
            count += iom_agg_cell(agg, r, y)->count;
            assert_int_equal(iom_agg_cell(agg, r, y)->share_tenths, 0);
        }
        assert_int_equal(sum, g[IOM_BY_REGION][r].total_cents);
        assert_int_equal(count, g[IOM_BY_REGION][r].count);
    }
    for (y = 0; y < n[IOM_BY_YEAR]; y++) {
        int64_t sum = 0;
        size_t count = 0;

        for (r = 0; r < n[IOM_BY_REGION]; r++) {
            sum += iom_agg_cell(agg, r, y)->total_cents;
            count += iom_agg_cell(agg, r, y)->count;
        }
        assert_int_equal(sum, g[IOM_BY_YEAR][y].total_cents);
        assert_int_equal(count, g[IOM_BY_YEAR][y].count);
    }
}

static void
read_as(struct fixture_input *in, FILE *f, const char *name, char delim,
        enum iom_money_form form)
{
    struct iom_validator *v = NULL;
    struct iom_csv_error err;

    memset(in, 0, sizeof *in);
    iom_recset_init(&in->rs);
    assert_int_equal(iom_rejects_init(&in->rej), IOM_OK);
    assert_int_equal(iom_validator_new(name, &in->rs, &in->rej, &v), IOM_OK);
    iom_validator_money_form(v, form);
    in->st = iom_csv_read_delim(f, delim, iom_validate_row, v, &err);
    in->records = iom_validator_records(v);
    in->has_header = iom_validator_has_header(v);
    iom_validator_free(v);
}

void
fixture_input_read(struct fixture_input *in, FILE *f, const char *name)
{
    read_as(in, f, name, ',', IOM_MONEY_POINT);
}

void
fixture_input_load_as(struct fixture_input *in, const char *path, char delim,
                      enum iom_money_form form)
{
    FILE *f = fopen(path, "rb");

    assert_non_null(f);
    read_as(in, f, path, delim, form);
    fclose(f);
}

void
fixture_input_load(struct fixture_input *in, const char *path)
{
    fixture_input_load_as(in, path, ',', IOM_MONEY_POINT);
}

void
fixture_input_release(struct fixture_input *in)
{
    iom_recset_release(&in->rs);
    iom_rejects_release(&in->rej);
}

FILE *
fixture_tmpfile(const void *bytes, size_t len)
{
    FILE *f = tmpfile();

    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    rewind(f);
    return f;
}

void
fixture_run_init(struct iom_run *r, const char *input, char *dir,
                 size_t size)
{
    iom_run_init(r);
    fixture_tmpdir(dir, size, "iom_run");
    r->opts.input = input;
    r->opts.output = dir;
    r->opts.only = IOM_OUT_WORKBOOK;
    strcpy(r->label, "t");
}

/* The capture under way: the file it goes to, the stream and the
 * descriptor it stands in for, and that descriptor as it was. */
static struct {
    FILE *to;
    FILE *stream;
    int fd;
    int saved;
} capture = { NULL, NULL, -1, -1 };

void
fixture_capture_begin(int fd)
{
    assert_null(capture.to);
    capture.fd = fd;
    capture.stream = fd == STDOUT_FILENO ? stdout : stderr;
    capture.to = tmpfile();
    assert_non_null(capture.to);
    fflush(capture.stream);
    capture.saved = dup(fd);
    assert_true(capture.saved >= 0);
    assert_true(dup2(fileno(capture.to), fd) >= 0);
}

char *
fixture_capture_end(void)
{
    char *text;

    assert_non_null(capture.to);
    fflush(capture.stream);
    assert_true(dup2(capture.saved, capture.fd) >= 0);
    close(capture.saved);
    text = fixture_read_stream(capture.to, NULL);
    fclose(capture.to);
    capture.to = NULL;
    return text;
}

char *
fixture_read_stream(FILE *f, size_t *len)
{
    size_t n = 0, cap = 4096;
    char *s = malloc(cap);

    assert_non_null(s);
    rewind(f);
    for (;;) {
        n += fread(s + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        cap *= 2;
        s = realloc(s, cap);
        assert_non_null(s);
    }
    assert_false(ferror(f));
    s[n] = '\0';
    if (len != NULL)
        *len = n;
    return s;
}

char *
fixture_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *s;

    if (f == NULL)
        fail_msg("cannot open %s", path);
    s = fixture_read_stream(f, len);
    fclose(f);
    return s;
}

void
fixture_write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    FILE *f;

    assert_true((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) <
                sizeof path);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

void
fixture_tmpdir(char *dir, size_t size, const char *tag)
{
    assert_true((size_t)snprintf(dir, size, "/tmp/%s.XXXXXX", tag) < size);
    assert_non_null(mkdtemp(dir));
}

void
fixture_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    struct stat st;
    char path[1024];

    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            fixture_rmtree(path);
        else
            unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(dir);
}

off_t
fixture_assert_pdf(const char *path)
{
    size_t len;
    char *s = fixture_read_file(path, &len);

    assert_true(len >= 4);
    assert_memory_equal(s, "%PDF", 4);
    free(s);
    return (off_t)len;
}

enum iom_status
fixture_fail_each_alloc(enum iom_status (*fn)(void *ctx), void *ctx,
                        unsigned long lines)
{
    unsigned long n;

    for (n = 1;; n++) {
        unsigned long errors = iom_msg_error_count();
        enum iom_status st;
        bool fired;

        failalloc_arm(n);
        st = fn(ctx);
        fired = failalloc_fired();
        failalloc_arm(0);
        if (!fired) {
            assert_true(n > 1);
            return st;
        }
        if (st != IOM_ENOMEM)
            fail_msg("allocation %lu failing: status %d, not IOM_ENOMEM", n,
                     (int)st);
        assert_true(iom_msg_error_count() - errors <= lines);
    }
}
