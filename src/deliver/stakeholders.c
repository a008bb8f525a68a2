/*
 * stakeholders: the recipients file.  Rules are checked in column order
 * and a record is reported for its first fault, as validate does for
 * projects, so that both files read the same way to whoever fixes them.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iom/csv_in.h"
#include "iom/buf.h"
#include "iom/msg.h"
#include "iom/address.h"
#include "iom/stakeholders.h"
#include "iom/text.h"
#include "iom/validate.h"

enum column { COL_NAME, COL_EMAIL, COL_REGIONS, COL_STATES, COL_SEND,
              COL_COUNT };

static const char *const column_names[COL_COUNT] = {
    "Name", "Email", "Regions", "Member States", "Send"
};

#define NO_COLUMN IOM_CSV_NO_COLUMN

struct reader {
    const char *path;
    struct iom_stakeholders *s;
    size_t col[COL_COUNT];
    size_t n_fields;
    bool have_header;
};

/* A record's first fault: which column and why. */
struct fault {
    const char *column;
    char reason[160];
};

/* A trimmed copy of s[0..len), or NULL when out of memory. */
static char *
trimmed(const char *s, size_t len)
{
    s = iom_text_trim(s, len, &len);
    return strndup(s, len);
}

static void
release_one(struct iom_stakeholder *h)
{
    free(h->name);
    free(h->email);
    iom_strv_free(h->regions, h->n_regions);
    iom_strv_free(h->states, h->n_states);
    memset(h, 0, sizeof *h);
}

void
iom_stakeholders_release(struct iom_stakeholders *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        release_one(&s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static bool
in_list(char *const *v, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (iom_text_ieq(v[i], name))
            return true;
    return false;
}

bool
iom_stakeholder_matches(const struct iom_stakeholder *s,
                        const struct iom_record *rec)
{
    uint32_t i;

    if (s->n_regions && !in_list(s->regions, s->n_regions, rec->region))
        return false;
    if (!s->n_states)
        return true;
    for (i = 0; i < rec->n_states; i++)
        if (in_list(s->states, s->n_states, rec->states[i]))
            return true;
    return false;
}

/* Copies of the items of a list, as the projects file's member states. */
static enum iom_status
split(const char *s, char ***out, size_t *n)
{
    char **v = NULL;
    size_t k = 0, at = 0, len;
    const char *item;

    *out = NULL;
    *n = 0;
    while (iom_list_next(s, strlen(s), &at, &item, &len)) {
        char *copy = strndup(item, len), **nv;

        if (!copy)
            goto nomem;
        nv = realloc(v, (k + 1) * sizeof *v);
        if (!nv) {
            free(copy);
            goto nomem;
        }
        v = nv;
        v[k++] = copy;
    }
    *out = v;
    *n = k;
    return IOM_OK;
nomem:
    iom_strv_free(v, k);
    return IOM_ENOMEM;
}

static enum iom_status
parse_send(const char *s, unsigned *out, struct fault *f)
{
    static const struct { const char *name; unsigned bit; } kinds[] = {
        { "summary", IOM_SEND_SUMMARY },
        { "workbook", IOM_SEND_WORKBOOK },
        { "briefs", IOM_SEND_BRIEFS },
        { "book", IOM_SEND_BOOK },
    };
    const size_t n_kinds = sizeof kinds / sizeof kinds[0];
    char **v;
    size_t n, i, k;
    unsigned bits = 0;
    enum iom_status st = split(s, &v, &n);

    if (st != IOM_OK)
        return st;
    for (i = 0; i < n && st == IOM_OK; i++) {
        for (k = 0; k < n_kinds && !iom_text_ieq(v[i], kinds[k].name); k++)
            ;
        if (k == n_kinds) {
            snprintf(f->reason, sizeof f->reason, "'%.60s' is not one of "
                     "summary, workbook, briefs, book", v[i]);
            st = IOM_EINVALID;
        } else {
            bits |= kinds[k].bit;
        }
    }
    if (st == IOM_OK && !bits) {
        snprintf(f->reason, sizeof f->reason, "is empty (expected "
                 "summary, workbook, briefs and/or book)");
        st = IOM_EINVALID;
    }
    iom_strv_free(v, n);
    if (st == IOM_OK)
        *out = bits;
    return st;
}

static enum iom_status
read_header(struct reader *r, const struct iom_csv_row *row)
{
    size_t c;
    enum iom_status st;

    st = iom_csv_map_header(row, r->path, column_names, COL_COUNT, r->col);
    if (st != IOM_OK)
        return st;
    for (c = 0; c < COL_COUNT; c++) {
        if (r->col[c] == NO_COLUMN &&
            (c == COL_NAME || c == COL_EMAIL || c == COL_SEND)) {
            iom_errorf("%s:%lu: required column '%s' is missing from the "
                       "header", r->path, row->line, column_names[c]);
            return IOM_ECSV;
        }
    }
    r->n_fields = row->n;
    r->have_header = true;
    return IOM_OK;
}

/* Fill 'h' from a record, or say in 'f' why it is rejected. */
static enum iom_status
check_record(struct reader *r, const struct iom_csv_row *row,
             struct iom_stakeholder *h, struct fault *f)
{
    char *s[COL_COUNT] = { NULL };
    const char *why;
    size_t i;
    enum iom_status st = IOM_EINVALID;

    f->column = iom_row_fault(row, r->n_fields, column_names, r->col,
                              COL_COUNT, f->reason, sizeof f->reason);
    if (f->column)
        return IOM_EINVALID;
    for (i = 0; i < COL_COUNT; i++) {
        size_t c = r->col[i];

        s[i] = c == NO_COLUMN ? strdup("") :
               trimmed(row->fields[c], row->lens[c]);
        if (!s[i]) {
            st = IOM_ENOMEM;
            goto out;
        }
    }
    h->line = row->line;
    f->column = column_names[COL_NAME];
    if (!*s[COL_NAME]) {
        snprintf(f->reason, sizeof f->reason, "is empty");
        goto out;
    }
    if (strpbrk(s[COL_NAME], "\r\n\t")) {
        snprintf(f->reason, sizeof f->reason, "holds a line break or tab");
        goto out;
    }
    f->column = column_names[COL_EMAIL];
    if (!iom_email_valid(s[COL_EMAIL], &why)) {
        snprintf(f->reason, sizeof f->reason, "'%.80s' %s", s[COL_EMAIL],
                 why);
        goto out;
    }
    for (i = 0; i < r->s->n; i++) {
        if (strcasecmp(r->s->v[i].email, s[COL_EMAIL]) == 0) {
            snprintf(f->reason, sizeof f->reason, "'%.80s' is already "
                     "listed on line %lu", s[COL_EMAIL], r->s->v[i].line);
            goto out;
        }
    }
    st = split(s[COL_REGIONS], &h->regions, &h->n_regions);
    if (st == IOM_OK)
        st = split(s[COL_STATES], &h->states, &h->n_states);
    if (st != IOM_OK)
        goto out;
    f->column = column_names[COL_SEND];
    st = parse_send(s[COL_SEND], &h->send, f);
    if (st != IOM_OK)
        goto out;
    h->name = s[COL_NAME];
    h->email = s[COL_EMAIL];
    s[COL_NAME] = s[COL_EMAIL] = NULL;
out:
    for (i = 0; i < COL_COUNT; i++)
        free(s[i]);
    return st;
}

static enum iom_status
take_row(void *ctx, const struct iom_csv_row *row)
{
    struct reader *r = ctx;
    struct iom_stakeholder h;
    struct fault f;
    enum iom_status st;

    if (!r->have_header)
        return read_header(r, row);
    memset(&h, 0, sizeof h);
    st = check_record(r, row, &h, &f);
    if (st == IOM_EINVALID) {
        iom_errorf("%s:%lu: %s: %s", r->path, row->line, f.column,
                   f.reason);
        r->s->rejected++;
        release_one(&h);
        return IOM_OK;
    }
    if (st == IOM_OK && r->s->n == r->s->cap) {
        size_t cap = r->s->cap ? r->s->cap * 2 : 8;
        struct iom_stakeholder *v = realloc(r->s->v, cap * sizeof *v);

        if (!v)
            st = IOM_ENOMEM;
        else {
            r->s->v = v;
            r->s->cap = cap;
        }
    }
    if (st != IOM_OK) {
        release_one(&h);
        return st;
    }
    r->s->v[r->s->n++] = h;
    return IOM_OK;
}

enum iom_status
iom_stakeholders_read(const char *path, struct iom_stakeholders *s)
{
    struct iom_csv_error err = { 0, "" };
    struct reader r;
    enum iom_status st;
    FILE *f;

    assert(path && s);
    memset(&r, 0, sizeof r);
    r.path = path;
    r.s = s;
    f = fopen(path, "rb");
    if (!f) {
        iom_errorf("cannot open stakeholders file '%s': %s", path,
                   strerror(errno));
        return IOM_ENOINPUT;
    }
    st = iom_csv_read(f, take_row, &r, &err);
    fclose(f);
    if (st == IOM_ECSV && err.text[0])
        iom_errorf("%s:%lu: %s", path, err.line, err.text);
    else if (st == IOM_ENOINPUT)
        iom_errorf("cannot read stakeholders file '%s': %s", path,
                   err.text);
    if (st == IOM_OK && !r.have_header) {
        iom_errorf("%s: no header: the file is empty", path);
        st = IOM_ECSV;
    }
    return st;
}
