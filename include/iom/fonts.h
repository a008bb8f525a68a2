/*
 * fonts: where the TrueType files come from.  A folder named by --fonts
 * DIR, else by $IOMREPORT_FONTS, is the only place looked in; without
 * either, fonts/ under the working directory, then the installed data
 * folder found from the binary's own path (PREFIX/share/iomreport/fonts
 * for PREFIX/bin/iomreport, then PREFIX/fonts, the source tree's for
 * build/iomreport), then the system's DejaVu fonts.
 */
#ifndef IOM_FONTS_H
#define IOM_FONTS_H

#include "iom/status.h"

/* Where fonts-dejavu-core puts them. */
#define IOM_SYSTEM_FONTS "/usr/share/fonts/truetype/dejavu"

#define IOM_FONT_REGULAR "DejaVuSans.ttf"
#define IOM_FONT_BOLD "DejaVuSans-Bold.ttf"

struct iom_fonts {
    char *regular;   /* full paths, owned */
    char *bold;
};

/*
 * Find the first folder of the lookup order that holds both files,
 * readable and usable as fonts (iom_pdf_font_check()).  'dir' is --fonts
 * (NULL when not given).  IOM_EFONT, with one line said: naming the file
 * of --fonts or $IOMREPORT_FONTS that cannot be read or used and why; or,
 * when no default place serves, every folder tried (and why the files of
 * one that has them are no fonts).  A default place passed over for its
 * files is said with -v.  IOM_ENOMEM.
 */
enum iom_status iom_fonts_find(const char *dir, struct iom_fonts *out);
/*
 * The same with the binary's path 'exe' (NULL: no data folder) and the
 * system's folder 'system_dir' (NULL: none) given, for the tests.
 */
enum iom_status iom_fonts_search(const char *dir, const char *exe,
                                 const char *system_dir,
                                 struct iom_fonts *out);
void iom_fonts_release(struct iom_fonts *f);

#endif
