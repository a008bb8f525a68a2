/*
 * failpdf: libharu's HPDF_Page_CreateLinkAnnot() and HPDF_SaveToFile() of
 * the unit tests, wrapped at link time (the Makefile's PDF_WRAP), so that
 * a test can make libharu fail in the middle of a document as it did for
 * a link below its -32767 limit, which no input makes any more, and at a
 * save as it does for a font whose glyphs cannot be read there.
 */
#ifndef IOM_TEST_FAILPDF_H
#define IOM_TEST_FAILPDF_H

#include <hpdf.h>

/* From now on, the 'nth' (1: the next) link is given a rectangle that
 * libharu refuses (error 0x1057); 0 makes every link real again.  Each
 * failure is once. */
void failpdf_link(unsigned nth);

/* The next save fails with libharu's error 'err' (through the document's
 * error handler, as libharu's own do), writing nothing; 0: saves are
 * real again.  Once. */
void failpdf_save(HPDF_STATUS err);

#endif
