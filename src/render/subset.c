/*
 * subset: HarfBuzz hb-subset around the two font files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb-subset.h>

#include "iom/buf.h"
#include "iom/msg.h"
#include "iom/pdf_doc.h"
#include "iom/subset.h"

/* Characters the renderers draw besides the records' text: the replacement
 * character, list bullets, dashes, ellipses and the middle dot. */
static const uint32_t drawn_by_renderers[] = {
    0x00B7, 0x2013, 0x2014, 0x2022, 0x2026, 0x2018, 0x2019, 0x201C, 0x201D,
    0xFFFD
};

static enum iom_status
subset_one(const char *src, const struct iom_charset *used, const char *dst)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(src);
    hb_face_t *face = NULL, *cut = NULL;
    hb_subset_input_t *input = NULL;
    hb_blob_t *out = NULL;
    enum iom_status st = IOM_EFONT;
    unsigned int len;
    const char *data;
    uint32_t c;
    size_t i;

    if (!blob)
        goto out;
    face = hb_face_create(blob, 0);
    input = hb_subset_input_create_or_fail();
    /* A file that is not a font has no glyphs, and its cut would be an
     * empty font: the whole file then goes to the renderers, which say
     * what is wrong with it. */
    if (!input || hb_face_get_glyph_count(face) == 0)
        goto out;
    for (c = 0x20; c < 0x7F; c++)
        hb_set_add(hb_subset_input_unicode_set(input), c);
    for (i = 0; i < sizeof drawn_by_renderers / sizeof *drawn_by_renderers;
         i++)
        hb_set_add(hb_subset_input_unicode_set(input), drawn_by_renderers[i]);
    for (c = 0xA0; c < 0x10000; c++)
        if (iom_charset_has(used, c))
            hb_set_add(hb_subset_input_unicode_set(input), c);
    /* Hinting is for screens at small sizes; the PDFs are read zoomed and
     * printed, and the instructions are a third of the bytes. */
    hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
    cut = hb_subset_or_fail(face, input);
    if (!cut)
        goto out;
    out = hb_face_reference_blob(cut);
    data = hb_blob_get_data(out, &len);
    if (len == 0)
        goto out;
    st = iom_write_file(dst, data, len);
    /* A cut of a damaged font may be one the renderers cannot take: the
     * whole font then goes to them, and what fails names the file given,
     * not this run's private copy. */
    if (st == IOM_OK) {
        char why[IOM_PDF_WHY_MAX];

        st = iom_pdf_font_check(dst, why, sizeof why);
    }
out:
    hb_blob_destroy(out);
    hb_face_destroy(cut);
    hb_subset_input_destroy(input);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return st;
}

enum iom_status
iom_subset_fonts(const struct iom_fonts *full, const struct iom_charset *used,
                 const char *dir, struct iom_fonts *out)
{
    struct iom_fonts f = { iom_strf("%s/%s", dir, IOM_FONT_REGULAR),
                           iom_strf("%s/%s", dir, IOM_FONT_BOLD) };
    enum iom_status st = IOM_ENOMEM;

    if (f.regular && f.bold) {
        st = subset_one(full->regular, used, f.regular);
        if (st == IOM_OK)
            st = subset_one(full->bold, used, f.bold);
    }
    if (st != IOM_OK) {
        iom_fonts_release(&f);
        return st;
    }
    *out = f;
    return IOM_OK;
}
