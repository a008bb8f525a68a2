/*
 * progress: the rendering bar, drawn with a carriage return.
 */
#include <stdio.h>

#include "iom/progress.h"

void
iom_progress_show(struct iom_progress *p, size_t done, size_t total)
{
    char bar[31];
    size_t i, filled;

    if (!p->on || total == 0 || done == p->shown)
        return;
    p->shown = done;
    filled = done * (sizeof bar - 1) / total;
    for (i = 0; i < sizeof bar - 1; i++)
        bar[i] = i < filled ? '#' : '-';
    bar[sizeof bar - 1] = '\0';
    fprintf(stderr, "\riomreport: rendering [%s] %zu/%zu", bar, done, total);
    p->open = done != total;
    if (done == total)
        fputc('\n', stderr);
}

void
iom_progress_end(struct iom_progress *p)
{
    if (p->open)
        fputc('\n', stderr);
    p->open = false;
}
