/*
 * failpdf: libharu's HPDF_Page_CreateLinkAnnot() of the unit tests,
 * wrapped at link time (the Makefile's PDF_WRAP), so that a test can make
 * libharu fail in the middle of a document as it did for a link below its
 * -32767 limit, which no input makes any more.
 */
#ifndef IOM_TEST_FAILPDF_H
#define IOM_TEST_FAILPDF_H

/* From now on, the 'nth' (1: the next) link is given a rectangle that
 * libharu refuses (error 0x1057); 0 makes every link real again.  Each
 * failure is once. */
void failpdf_link(unsigned nth);

#endif
