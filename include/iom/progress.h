/*
 * progress: the rendering bar on standard error, for a person watching
 * ("iomreport: rendering [###---] 3/10"), redrawn in place.
 */
#ifndef IOM_PROGRESS_H
#define IOM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct iom_progress {
    bool on;                      /* draw it at all */
    bool open;                    /* the line awaits its end */
    size_t shown;                 /* the count last drawn */
};

/* Draw 'done' of 'total' unless that count is drawn already. */
void iom_progress_show(struct iom_progress *p, size_t done, size_t total);

/* End the line however rendering ended, so that the next line (or the
 * shell's prompt) starts on a line of its own. */
void iom_progress_end(struct iom_progress *p);

#endif
