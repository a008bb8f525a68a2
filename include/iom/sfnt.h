/*
 * sfnt: the layout of a TrueType file, checked where libharu trusts it.
 * libharu reads a font's tables as a document uses them and when it is
 * saved, with no check of where they end: a table or a glyph past the end
 * of the file fails a document long after the font loaded, and a 'head'
 * with no units per em is divided by.  This module knows the table
 * directory and nothing of drawing.
 */
#ifndef IOM_SFNT_H
#define IOM_SFNT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the 'len' bytes of 'data' (a whole font file) have a table
 * directory whose tables all lie inside the file, a 'head' table with
 * units per em, and, when there are 'loca' and 'glyf' tables, every glyph
 * of 'maxp' inside 'glyf'.  Else false, with what is wrong in 'why' (of
 * 'size' bytes).
 */
bool iom_sfnt_sound(const unsigned char *data, size_t len, char *why,
                    size_t size);

#endif
