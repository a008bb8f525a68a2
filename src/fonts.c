/*
 * fonts: the lookup order of SPEC section 5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/fonts.h"
#include "iom/msg.h"

static char *
join(const char *dir, const char *file)
{
    struct iom_buf b = IOM_BUF_INIT;

    if (iom_buf_addf(&b, "%s/%s", dir, file) != IOM_OK) {
        iom_buf_release(&b);
        return NULL;
    }
    return iom_buf_detach(&b);
}

enum iom_status
iom_fonts_find(const char *dir, struct iom_fonts *out)
{
    const char *env = getenv("IOMREPORT_FONTS");
    const char *dirs[4];
    size_t n = 0, i;
    struct iom_buf tried = IOM_BUF_INIT;

    if (dir)
        dirs[n++] = dir;
    if (env && *env)
        dirs[n++] = env;
    dirs[n++] = "fonts";
    dirs[n++] = IOM_DATADIR "/fonts";
    for (i = 0; i < n; i++) {
        char *regular = join(dirs[i], IOM_FONT_REGULAR);
        char *bold = join(dirs[i], IOM_FONT_BOLD);

        if (!regular || !bold) {
            free(regular);
            free(bold);
            iom_buf_release(&tried);
            return IOM_ENOMEM;
        }
        if (access(regular, R_OK) == 0 && access(bold, R_OK) == 0) {
            out->regular = regular;
            out->bold = bold;
            iom_buf_release(&tried);
            return IOM_OK;
        }
        if (i == 0 && dir)
            iom_warnf("no readable '%s' and '%s' in --fonts '%s'; looking "
                      "further", IOM_FONT_REGULAR, IOM_FONT_BOLD, dir);
        iom_buf_addf(&tried, "%s'%s/'", i ? ", " : "", dirs[i]);
        free(regular);
        free(bold);
    }
    iom_errorf("cannot find readable fonts '%s' and '%s' in %s "
               "(use --fonts DIR or IOMREPORT_FONTS)", IOM_FONT_REGULAR,
               IOM_FONT_BOLD, tried.data);
    iom_buf_release(&tried);
    return IOM_EFONT;
}

void
iom_fonts_release(struct iom_fonts *f)
{
    free(f->regular);
    free(f->bold);
    f->regular = NULL;
    f->bold = NULL;
}
