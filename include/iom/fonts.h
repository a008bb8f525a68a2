/*
 * fonts: where the TrueType files come from (SPEC section 5): --fonts DIR,
 * then $IOMREPORT_FONTS, then fonts/ under the working directory, then
 * IOM_DATADIR/fonts.
 */
#ifndef IOM_FONTS_H
#define IOM_FONTS_H

#include "iom/status.h"

/* Set by the Makefile from PREFIX; this default serves the linters. */
#ifndef IOM_DATADIR
#define IOM_DATADIR "/usr/local/share/iomreport"
#endif

#define IOM_FONT_REGULAR "DejaVuSans.ttf"
#define IOM_FONT_BOLD "DejaVuSans-Bold.ttf"

struct iom_fonts {
    char *regular;   /* full paths, owned */
    char *bold;
};

/*
 * Find the first folder of the lookup order that holds both files, readable.
 * 'dir' is --fonts (NULL when not given).  IOM_EFONT, with every path
 * tried in the message, when none does.
 */
enum iom_status iom_fonts_find(const char *dir, struct iom_fonts *out);
void iom_fonts_release(struct iom_fonts *f);

#endif
