/*
 * guard: the checks that keep a damaged night from going out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/guard.h"

bool
iom_limit_parse(const char *s, struct iom_limit *out)
{
    char *end;
    double v;

    if (!*s || !strchr("0123456789.", *s))
        return false;
    v = strtod(s, &end);
    if (end == s || !isfinite(v) || v < 0)
        return false;
    out->percent = *end == '%';
    if (out->percent)
        end++;
    if (*end || (out->percent && v > 100) ||
        (!out->percent && v != floor(v)))
        return false;
    out->given = true;
    out->value = v;
    return true;
}

static double
share(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The rejects a night may have: the operator's limit, else the default
 * or the previous run's share and a margin, whichever is higher. */
static bool
too_many_rejected(const struct iom_guard *g, char *why, size_t size)
{
    double got = share(g->now.rejected, g->now.records), allowed;

    if (g->max_rejected.given && !g->max_rejected.percent) {
        if ((double)g->now.rejected <= g->max_rejected.value)
            return false;
        snprintf(why, size, "%zu of %zu records rejected, more than the %.0f "
                 "--max-rejected allows", g->now.rejected, g->now.records,
                 g->max_rejected.value);
        return true;
    }
    if (!g->max_rejected.given && g->now.rejected <= IOM_GUARD_REJECTED_FEW)
        return false;
    allowed = g->max_rejected.given ? g->max_rejected.value :
              IOM_GUARD_REJECTED_PCT;
    if (!g->max_rejected.given && g->prev &&
        share(g->prev->rejected, g->prev->records) +
        IOM_GUARD_REJECTED_MARGIN_PCT > allowed)
        allowed = share(g->prev->rejected, g->prev->records) +
                  IOM_GUARD_REJECTED_MARGIN_PCT;
    if (got <= allowed)
        return false;
    snprintf(why, size, "%zu of %zu records rejected (%.1f %%), more than "
             "the %.1f %% %s", g->now.rejected, g->now.records, got, allowed,
             g->max_rejected.given ? "--max-rejected allows" :
             g->prev ? "allowed after the previous run's" :
             "allowed (--max-rejected)");
    return true;
}

/* A selection far smaller than the previous run's: a file cut short. */
static bool
shrunk(const struct iom_guard *g, char *why, size_t size)
{
    size_t lost, allowed;

    if (g->allow_shrink || !g->prev || g->now.selected >= g->prev->selected)
        return false;
    lost = g->prev->selected - g->now.selected;
    allowed = (size_t)((double)g->prev->selected * IOM_GUARD_SHRINK_PCT /
                       100.0);
    if (allowed < IOM_GUARD_SHRINK_MIN)
        allowed = IOM_GUARD_SHRINK_MIN;
    if (lost <= allowed)
        return false;
    snprintf(why, size, "%zu projects where the previous run had %zu (the "
             "input may be cut short; --allow-shrink if it is meant)",
             g->now.selected, g->prev->selected);
    return true;
}

enum iom_status
iom_guard_check(const struct iom_guard *g, char *why, size_t size)
{
    /* Whatever any limit allows: there is nothing to publish. */
    if (g->now.rejected && g->now.rejected == g->now.records) {
        snprintf(why, size, "all %zu records rejected", g->now.rejected);
        return IOM_EWITHHELD;
    }
    if (too_many_rejected(g, why, size) || shrunk(g, why, size))
        return IOM_EWITHHELD;
    return IOM_OK;
}
