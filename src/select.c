/*
 * select: --year/--region/--type and the output label.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/select.h"
#include "iom/text.h"

void
iom_selection_init(struct iom_selection *sel)
{
    memset(sel, 0, sizeof *sel);
}

void
iom_selection_release(struct iom_selection *sel)
{
    free(sel->years);
    free(sel->regions);
    free(sel->types);
    iom_selection_init(sel);
}

/* Grow an array of 'size'-byte items by one; NULL when out of memory. */
static void *
push(void *arr, size_t *n, size_t size)
{
    char *p;

    if (*n >= SIZE_MAX / size - 1)
        return NULL;
    p = realloc(arr, (*n + 1) * size);
    if (p)
        ++*n;
    return p;
}

static int
parse_year(const char *s, size_t len)
{
    int y = 0;
    size_t i;

    if (len != 4)
        return -1;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        y = y * 10 + (s[i] - '0');
    }
    return y;
}

enum iom_status
iom_selection_add_years(struct iom_selection *sel, const char *arg,
                        const char **why)
{
    const char *dash = strchr(arg, '-');
    size_t len = strlen(arg);
    int first, last;
    struct iom_year_range *p;

    first = parse_year(arg, dash ? (size_t)(dash - arg) : len);
    last = dash ? parse_year(dash + 1, strlen(dash + 1)) : first;
    if (first < 0 || last < 0) {
        *why = "expected YEAR or FIRST-LAST, e.g. 2001 or 2001-2005";
        return IOM_EUSAGE;
    }
    if (first < IOM_YEAR_MIN || last > IOM_YEAR_MAX) {
        *why = "years run from 1951 to 2100";
        return IOM_EUSAGE;
    }
    if (first > last) {
        *why = "the first year of a range comes after the last";
        return IOM_EUSAGE;
    }
    p = push(sel->years, &sel->n_years, sizeof *p);
    if (!p)
        return IOM_ENOMEM;
    sel->years = p;
    p[sel->n_years - 1].first = first;
    p[sel->n_years - 1].last = last;
    return IOM_OK;
}

static enum iom_status
add_name(const char ***names, size_t *n, const char *name)
{
    const char **p = push(*names, n, sizeof *p);

    if (!p)
        return IOM_ENOMEM;
    p[*n - 1] = name;
    *names = p;
    return IOM_OK;
}

enum iom_status
iom_selection_add_region(struct iom_selection *sel, const char *name)
{
    return add_name(&sel->regions, &sel->n_regions, name);
}

enum iom_status
iom_selection_add_type(struct iom_selection *sel, const char *name)
{
    return add_name(&sel->types, &sel->n_types, name);
}

static bool
name_listed(const char *const *names, size_t n, const char *value)
{
    size_t i;

    if (n == 0)
        return true;
    for (i = 0; i < n; i++)
        if (iom_text_ieq(names[i], value))
            return true;
    return false;
}

bool
iom_selection_matches(const struct iom_selection *sel,
                      const struct iom_record *rec)
{
    size_t i;
    bool year_ok = sel->n_years == 0;

    for (i = 0; i < sel->n_years && !year_ok; i++)
        year_ok = rec->year >= sel->years[i].first &&
                  rec->year <= sel->years[i].last;
    return year_ok && name_listed(sel->regions, sel->n_regions, rec->region) &&
           name_listed(sel->types, sel->n_types, rec->type);
}

/* Each of names[0..n) as the first record's type (or region) equal to it
 * spells it. */
static void
adopt(const char **names, size_t n, const struct iom_record *recs,
      size_t n_recs, bool type)
{
    size_t i, k;

    for (i = 0; i < n; i++)
        for (k = 0; k < n_recs; k++) {
            const char *value = type ? recs[k].type : recs[k].region;

            if (iom_text_ieq(names[i], value)) {
                names[i] = value;
                break;
            }
        }
}

void
iom_selection_adopt_names(struct iom_selection *sel,
                          const struct iom_record *recs, size_t n)
{
    adopt(sel->regions, sel->n_regions, recs, n, false);
    adopt(sel->types, sel->n_types, recs, n, true);
}

void
iom_selection_label(const struct iom_selection *sel, char out[IOM_LABEL_MAX])
{
    int first = IOM_YEAR_MAX, last = IOM_YEAR_MIN;
    size_t i;

    if (sel->n_years == 0) {
        snprintf(out, IOM_LABEL_MAX, "all");
        return;
    }
    for (i = 0; i < sel->n_years; i++) {
        if (sel->years[i].first < first)
            first = sel->years[i].first;
        if (sel->years[i].last > last)
            last = sel->years[i].last;
    }
    if (first == last)
        snprintf(out, IOM_LABEL_MAX, "%d", first);
    else
        snprintf(out, IOM_LABEL_MAX, "%d-%d", first, last);
}

static enum iom_status
describe_names(struct iom_buf *b, const char *what, const char *const *names,
               size_t n)
{
    enum iom_status st = IOM_OK;
    size_t i;

    if (n == 0)
        return IOM_OK;
    st = iom_buf_addf(b, "; %s: ", what);
    for (i = 0; i < n && st == IOM_OK; i++)
        st = iom_buf_addf(b, "%s%s", i ? ", " : "", names[i]);
    return st;
}

enum iom_status
iom_selection_describe(const struct iom_selection *sel, char **out)
{
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st;
    size_t i;

    if (sel->n_years == 0)
        st = iom_buf_adds(&b, "All years");
    else
        st = iom_buf_adds(&b, sel->n_years == 1 &&
                          sel->years[0].first == sel->years[0].last ?
                          "Year " : "Years ");
    for (i = 0; i < sel->n_years && st == IOM_OK; i++) {
        const struct iom_year_range *r = &sel->years[i];

        if (r->first == r->last)
            st = iom_buf_addf(&b, "%s%d", i ? ", " : "", r->first);
        else
            st = iom_buf_addf(&b, "%s%d-%d", i ? ", " : "", r->first,
                              r->last);
    }
    if (st == IOM_OK)
        st = describe_names(&b, "IDF Region", sel->regions, sel->n_regions);
    if (st == IOM_OK)
        st = describe_names(&b, "Project Type", sel->types, sel->n_types);
    if (st != IOM_OK) {
        iom_buf_release(&b);
        return st;
    }
    *out = iom_buf_detach(&b);
    return *out ? IOM_OK : IOM_ENOMEM;
}

bool
iom_label_valid(const char *label)
{
    size_t i, len = strlen(label);

    if (len == 0 || len >= IOM_LABEL_MAX || label[0] == '.')
        return false;
    for (i = 0; i < len; i++) {
        char c = label[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}
