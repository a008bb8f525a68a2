/*
 * subset: per-run copies of the TrueType fonts cut down, with HarfBuzz's
 * subsetter, to the characters the run draws.  libharu embeds only the
 * glyphs a document uses but keeps the font's other tables whole and parses
 * the whole file for every document: with a 20-50 KB subset a brief is
 * several times smaller and faster to make.
 */
#ifndef IOM_SUBSET_H
#define IOM_SUBSET_H

#include "iom/fonts.h"
#include "iom/status.h"
#include "iom/text.h"

/*
 * Write subsets of 'full' holding the characters of 'used' plus those the
 * renderers draw themselves into the folder 'dir' (which must exist), and
 * point 'out' at them (owned, iom_fonts_release()).  On failure nothing is
 * set: the caller goes on with the full fonts.
 */
enum iom_status iom_subset_fonts(const struct iom_fonts *full,
                                 const struct iom_charset *used,
                                 const char *dir, struct iom_fonts *out);

#endif
