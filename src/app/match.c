/*
 * match: the selection against the groups of the data.
 */
#include <stdlib.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/match.h"
#include "iom/msg.h"
#include "iom/run.h"
#include "iom/select.h"

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
enum iom_status
iom_match_explain_none(struct iom_run *r)
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
    st = r->census ? IOM_OK : iom_agg_build_census(&r->rs, &none, &all);
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
enum iom_status
iom_match_spell(struct iom_run *r)
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
