/*
 * dryrun: the totals a dry run prints.
 */
#include <stdbool.h>
#include <stdio.h>

#include "iom/agg.h"
#include "iom/dryrun.h"
#include "iom/money.h"

/* Print 's' and pad it to 'width' characters (not bytes). */
static int text_width(const char *s);

static void
put_padded(const char *s, int width, bool right)
{
    int chars = text_width(s);

    if (right)
        printf("%*s%s", width > chars ? width - chars : 0, "", s);
    else
        printf("%s%*s", s, width > chars ? width - chars : 0, "");
}

/* Characters (not bytes) of UTF-8 's'. */
static int
text_width(const char *s)
{
    int chars = 0;

    for (; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    return chars;
}

static void
print_group_table(const struct iom_agg *agg, enum iom_agg_dim dim,
                  const char *title)
{
    size_t n, i, count = 0;
    const struct iom_group *g = iom_agg_groups(agg, dim, &n);
    char money[IOM_MONEY_TEXT_MAX], share[16];
    int tenths = iom_agg_total_share_tenths(agg), width = text_width(title);

    if (width < text_width("Total"))
        width = text_width("Total");
    /* The name column is as wide as its longest name: the numbers stay
     * in their columns whatever the names. */
    for (i = 0; i < n; i++)
        if (text_width(g[i].name) > width)
            width = text_width(g[i].name);
    printf("\n");
    put_padded(title, width, false);
    printf(" %8s %20s %8s\n", "Projects", "Budget (USD)", "Share");
    for (i = 0; i < n; i++) {
        put_padded(g[i].name, width, false);
        snprintf(share, sizeof share, "%d.%d %%", g[i].share_tenths / 10,
                 g[i].share_tenths % 10);
        printf(" %8zu %20s %8s\n", g[i].count,
               iom_money_format(g[i].total_cents, money), share);
        count += g[i].count;
    }
    put_padded("Total", width, false);
    snprintf(share, sizeof share, "%d.%d %%", tenths / 10, tenths % 10);
    printf(" %8zu %20s %8s\n", count,
           iom_money_format(iom_agg_total(agg), money), share);
    printf("%s\n", IOM_SHARES_NOTE);
}

void
iom_dryrun_print(const char *selection, size_t records, size_t accepted,
                 size_t rejected, const struct iom_agg *agg)
{
    char money[IOM_MONEY_TEXT_MAX];
    int first, last;

    printf("Selection: %s\n", selection);
    printf("Records read: %zu, accepted: %zu, rejected: %zu\n",
           records, accepted, rejected);
    printf("Projects selected: %zu\n", iom_agg_count(agg));
    printf("Total budget: USD %s\n",
           iom_money_format(iom_agg_total(agg), money));
    printf("Average budget: USD %s\n",
           iom_money_format(iom_agg_average(agg), money));
    printf("Median budget: USD %s\n",
           iom_money_format(iom_agg_median(agg), money));
    printf("Benefiting member states: %zu\n", iom_agg_member_states(agg));
    if (iom_agg_year_span(agg, &first, &last) && first == last)
        printf("Year covered: %d\n", first);
    else if (iom_agg_year_span(agg, &first, &last))
        printf("Years covered: %d-%d\n", first, last);
    print_group_table(agg, IOM_BY_REGION, "IDF Region");
    print_group_table(agg, IOM_BY_TYPE, "Project Type");
    print_group_table(agg, IOM_BY_YEAR, "Year");
}
