/*
 * select: --year/--region/--type and the output label.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/buf.h"
#include "iom/select.h"
#include "iom/sha256.h"
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

/* Each of names[0..n) as the first of known[0..n_known) equal to it
 * (ignoring case) spells it. */
static void
adopt(const char **names, size_t n, const char *const *known,
      size_t n_known)
{
    size_t i, k;

    for (i = 0; i < n; i++)
        for (k = 0; k < n_known; k++)
            if (iom_text_ieq(names[i], known[k])) {
                names[i] = known[k];
                break;
            }
}

void
iom_selection_adopt_names(struct iom_selection *sel,
                          const char *const *regions, size_t n_regions,
                          const char *const *types, size_t n_types)
{
    adopt(sel->regions, sel->n_regions, regions, n_regions);
    adopt(sel->types, sel->n_types, types, n_types);
}

static int
cmp_range(const void *a, const void *b)
{
    const struct iom_year_range *x = a, *y = b;

    return x->first != y->first ? (x->first > y->first) - (x->first < y->first)
                                : (x->last > y->last) - (x->last < y->last);
}

/*
 * The selected years as sorted, disjoint, non-adjacent ranges, so that
 * "--year 2002 --year 2001" and "--year 2001-2002" read the same.  Returns
 * the number of ranges in *out (owned by the caller), or SIZE_MAX when out
 * of memory.
 */
static size_t
merged_years(const struct iom_selection *sel, struct iom_year_range **out)
{
    struct iom_year_range *r;
    size_t i, n = 0;

    *out = NULL;
    if (sel->n_years == 0)
        return 0;
    r = malloc(sel->n_years * sizeof *r);
    if (!r)
        return SIZE_MAX;
    memcpy(r, sel->years, sel->n_years * sizeof *r);
    qsort(r, sel->n_years, sizeof *r, cmp_range);
    for (i = 1; i < sel->n_years; i++) {
        if (r[i].first <= r[n].last + 1) {
            if (r[i].last > r[n].last)
                r[n].last = r[i].last;
        } else {
            r[++n] = r[i];
        }
    }
    *out = r;
    return n + 1;
}

static enum iom_status
add_years_text(struct iom_buf *b, const struct iom_year_range *r, size_t n,
               const char *sep)
{
    enum iom_status st = IOM_OK;
    size_t i;

    for (i = 0; i < n && st == IOM_OK; i++) {
        if (r[i].first == r[i].last)
            st = iom_buf_addf(b, "%s%d", i ? sep : "", r[i].first);
        else
            st = iom_buf_addf(b, "%s%d-%d", i ? sep : "", r[i].first,
                              r[i].last);
    }
    return st;
}

static int
cmp_name(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;

    for (; *x && tolower((unsigned char)*x) == tolower((unsigned char)*y);
         x++, y++)
        ;
    return tolower((unsigned char)*x) - tolower((unsigned char)*y);
}

/*
 * Names of one kind into the label, as "_KIND-NAME" tokens, sorted and
 * without repeats (matching ignores case, so the label does too), and
 * into 'canon', the exact text the digest is taken of.  *lossy is set when
 * a name holds a byte the label cannot show: the label then carries a
 * digest, or two names made safe alike would share it.
 */
static enum iom_status
add_names_label(struct iom_buf *label, struct iom_buf *canon, char kind,
                const char *const *names, size_t n, bool *lossy)
{
    const char **sorted;
    enum iom_status st = IOM_OK;
    size_t i;

    if (n == 0)
        return IOM_OK;
    sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        return IOM_ENOMEM;
    memcpy(sorted, names, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_name);
    for (i = 0; i < n && st == IOM_OK; i++) {
        const char *p;

        if (i && cmp_name(&sorted[i - 1], &sorted[i]) == 0)
            continue;
        st = iom_buf_addf(label, "_%c-", kind);
        if (st == IOM_OK)
            st = iom_buf_addf(canon, "%c:", kind);
        for (p = sorted[i]; *p && st == IOM_OK; p++) {
            unsigned char c = (unsigned char)tolower((unsigned char)*p);
            bool shows = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                         c == '-';

            if (!shows && c != ' ')
                *lossy = true;
            st = iom_buf_addc(label, shows ? (char)c : c == ' ' ? '.' : '-');
            if (st == IOM_OK)
                st = iom_buf_addc(canon, (char)c);
        }
        if (st == IOM_OK)
            st = iom_buf_addc(canon, '\n');
    }
    free(sorted);
    return st;
}

/*
 * The readable label is kept when it fits and shows every name as it is
 * (up to case); otherwise its start is kept and "_h-" and 10 hex digits of
 * the SHA-256 of the selection's canonical text end it.  No readable label
 * holds an "h-" token, so the two kinds cannot meet either.
 */
enum iom_status
iom_selection_label(const struct iom_selection *sel, char out[IOM_LABEL_MAX])
{
    struct iom_buf label = IOM_BUF_INIT, canon = IOM_BUF_INIT;
    struct iom_year_range *years;
    size_t n = merged_years(sel, &years);
    bool lossy = false;
    enum iom_status st = n == SIZE_MAX ? IOM_ENOMEM : IOM_OK;

    if (st == IOM_OK)
        st = n ? add_years_text(&label, years, n, "_") :
             iom_buf_adds(&label, "all");
    if (st == IOM_OK)
        st = iom_buf_addf(&canon, "y:%s\n", label.data);
    if (st == IOM_OK)
        st = add_names_label(&label, &canon, 'r', sel->regions,
                             sel->n_regions, &lossy);
    if (st == IOM_OK)
        st = add_names_label(&label, &canon, 't', sel->types, sel->n_types,
                             &lossy);
    if (st == IOM_OK && !lossy && label.len < IOM_LABEL_MAX) {
        memcpy(out, label.data, label.len + 1);
    } else if (st == IOM_OK) {
        struct iom_sha256 h;
        char hex[65];
        int keep = IOM_LABEL_MAX - 1 - (int)sizeof "_h-0123456789" + 1;

        iom_sha256_init(&h);
        iom_sha256_update(&h, canon.data, canon.len);
        iom_sha256_final(&h, hex);
        if ((size_t)keep > label.len)
            keep = (int)label.len;
        snprintf(out, IOM_LABEL_MAX, "%.*s_h-%.10s", keep, label.data, hex);
    }
    free(years);
    iom_buf_release(&label);
    iom_buf_release(&canon);
    return st;
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
    struct iom_year_range *years;
    size_t n = merged_years(sel, &years);
    enum iom_status st = n == SIZE_MAX ? IOM_ENOMEM : IOM_OK;

    if (st == IOM_OK)
        st = iom_buf_adds(&b, n == 0 ? "All years" :
                          n == 1 && years[0].first == years[0].last ?
                          "Year " : "Years ");
    if (st == IOM_OK)
        st = add_years_text(&b, years, n, ", ");
    if (st == IOM_OK)
        st = describe_names(&b, "IDF Region", sel->regions, sel->n_regions);
    if (st == IOM_OK)
        st = describe_names(&b, "Project Type", sel->types, sel->n_types);
    free(years);
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
