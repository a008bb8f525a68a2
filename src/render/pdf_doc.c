/*
 * pdf_doc: libharu wrapped once.  libharu reports errors through a callback
 * and carries on; we record the first one and turn it into an iom_status at
 * the end of each public call.  libharu 2.3.0 draws missing glyphs as boxes
 * (BMP) or nothing (above U+FFFF) without a word, and its public API cannot
 * tell whether a font has a glyph, so HarfBuzz reads each font's map.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hb.h>
#include <hpdf_utils.h>

#include "iom/buf.h"
#include "iom/msg.h"
#include "iom/pdf_doc.h"
#include "iom/sfnt.h"
#include "iom/text.h"

#define COVER_BYTES (0x10000 / 8)
#define FAUX_BOLD_STROKE 0.035f /* outline width, in ems */
/*
 * libharu refuses a string over 65,535 bytes (HPDF_LIMIT_MAX_STRING_LEN),
 * failing the whole document: longer text is measured and drawn in pieces.
 */
#define PIECE_MAX 65535
#define PAGES_PER_NODE 8192

/*
 * libharu clears and copies memory a byte at a time (HPDF_MemSet and
 * HPDF_MemCpy of hpdf_utils.h), and it clears a 512-byte buffer for every
 * drawing operator: 5 to 11 % of a run's CPU time.  Its own calls to them
 * go through the dynamic linker, so these definitions replace them in the
 * whole process: each gives libharu's result (the end of what it wrote),
 * written by the C library.  memmove(), because libharu's forward copy is
 * defined where the two overlap.
 */
HPDF_BYTE *
HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    if (n)
        memmove(out, in, n);
    return out + n;
}

void *
HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n)
        memset(s, c, n);
    return (HPDF_BYTE *)s + n;
}

/* The longest prefix of s[0..len) that libharu takes in one call, cut
 * between UTF-8 sequences. */
static size_t
piece_len(const char *s, size_t len)
{
    size_t n = PIECE_MAX;

    if (len <= PIECE_MAX)
        return len;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/*
 * The libharu document object and what was read of the fonts, kept from
 * one document to the next.  HPDF_NewDoc() revokes the document but keeps
 * the TrueType files it parsed, their record of glyphs used cleared, and
 * restarts the subset tags: a document renders to the same bytes as with
 * a new object, without reading and parsing the fonts again.
 */
struct iom_pdf_shared {
    HPDF_Doc doc;
    struct iom_pdf *cur;          /* the document on 'doc' */
    char *path[IOM_PDF_FACES];    /* the fonts 'doc' has parsed */
    const char *name[IOM_PDF_FACES];
    uint8_t *cover[IOM_PDF_FACES];
};

static void
on_error(HPDF_STATUS err, HPDF_STATUS detail, void *user)
{
    struct iom_pdf_shared *sh = user;
    struct iom_pdf *pdf = sh->cur;

    if (pdf && !pdf->err) { /* keep the first error; later ones are fallout */
        pdf->err = err;
        pdf->detail = detail;
    }
}

/*
 * Record the first failure and say what it was, and what was being drawn;
 * 'why' NULL means the libharu error if there is one, else the status
 * text.
 */
static enum iom_status
fail(struct iom_pdf *pdf, enum iom_status st, const char *what,
     const char *subject, const char *why)
{
    const char *sep = pdf->drawing ? ": " : "";
    const char *part = pdf->drawing ? pdf->drawing : "";

    if (pdf->st != IOM_OK)
        return pdf->st;
    /* Whatever was being done, memory is what ran out. */
    if (pdf->err == HPDF_FAILD_TO_ALLOC_MEM) {
        st = IOM_ENOMEM;
        why = "out of memory (libharu error 0x1015)";
    }
    pdf->st = st;
    if (!why && pdf->err == HPDF_FILE_OPEN_ERROR)
        iom_errorf("%s '%s'%s%s: libharu error 0x%04lX: %s", what, subject,
                   sep, part, (unsigned long)pdf->err,
                   strerror((int)pdf->detail));
    else if (!why && pdf->err)
        iom_errorf("%s '%s'%s%s: libharu error 0x%04lX (detail %lu)", what,
                   subject, sep, part, (unsigned long)pdf->err,
                   (unsigned long)pdf->detail);
    else
        iom_errorf("%s '%s'%s%s: %s", what, subject, sep, part,
                   why ? why : iom_strerror(st));
    return st;
}

/*
 * Whether libharu's error 'err' comes from what a font file holds: a
 * table read past the file's end (libharu reads glyphs and tables as a
 * document uses them and when it is saved), or one it cannot take.
 */
static bool
font_fault(HPDF_STATUS err)
{
    return err == HPDF_STREAM_EOF ||
           (err >= HPDF_TTF_CANNOT_EMBEDDING_FONT &&
            err <= HPDF_UNSUPPORTED_FONT_TYPE);
}

/* A font that loaded but failed the document: IOM_EFONT, naming the
 * files, since the document itself is not at fault. */
static enum iom_status
font_failed(struct iom_pdf *pdf)
{
    const char *regular = pdf->sh->path[IOM_PDF_REGULAR];
    const char *bold = pdf->sh->path[IOM_PDF_BOLD];
    char why[2 * PATH_MAX + 128];

    snprintf(why, sizeof why, "the font '%s'%s%s%s cannot be used: libharu "
             "error 0x%04lX (detail %lu)", regular ? regular : "",
             bold ? " or '" : "", bold ? bold : "", bold ? "'" : "",
             (unsigned long)pdf->err, (unsigned long)pdf->detail);
    return fail(pdf, IOM_EFONT, "cannot render", pdf->path, why);
}

/*
 * Some errors libharu records without a call of the handler (a number
 * past its +-32767, such as a link rectangle's; a glyph's outline that a
 * font file places past its end): they sink the document all the same,
 * so they are taken as the handler's are.
 */
static void
take_silent_error(struct iom_pdf *pdf)
{
    if (!pdf->err && pdf->doc && HPDF_GetError(pdf->doc) != HPDF_OK) {
        pdf->err = HPDF_GetError(pdf->doc);
        pdf->detail = HPDF_GetErrorDetail(pdf->doc);
    }
}

static enum iom_status
check(struct iom_pdf *pdf)
{
    /* Taken here, where what was being drawn is still known. */
    if (pdf->st == IOM_OK)
        take_silent_error(pdf);
    if (pdf->st == IOM_OK && pdf->err)
        return font_fault(pdf->err) ? font_failed(pdf) :
               fail(pdf, IOM_EPDF, "cannot render", pdf->path, NULL);
    return pdf->st;
}

static enum iom_status
nomem(struct iom_pdf *pdf)
{
    return fail(pdf, IOM_ENOMEM, "cannot render", pdf->path, NULL);
}

/*
 * Read the font file 'path': into *out, the code points that have a
 * glyph, as HarfBuzz reads its character map (BMP only, where libharu
 * draws).  IOM_EFONT with 'why' (of 'size' bytes) set when it cannot be
 * read, when the map gives none (no map HarfBuzz can read, or one that
 * maps nothing) or when its tables are not what libharu can take
 * (iom_sfnt_sound()); IOM_ENOMEM.
 */
static enum iom_status
read_font(const char *path, uint8_t **out, char *why, size_t size)
{
    struct iom_buf file = IOM_BUF_INIT;
    hb_blob_t *blob = NULL;
    hb_face_t *face = NULL;
    hb_set_t *set = NULL;
    hb_codepoint_t c = HB_SET_VALUE_INVALID;
    uint8_t *cover = NULL;
    size_t n = 0;
    enum iom_status st = iom_buf_read_file(&file, path);

    if (st == IOM_ENOINPUT) {
        snprintf(why, size, "%s", strerror(errno));
        st = IOM_EFONT;
    }
    if (st != IOM_OK)
        goto out;
    st = IOM_ENOMEM;
    if (file.len <= UINT_MAX)
        blob = hb_blob_create_or_fail(file.data, (unsigned)file.len,
                                      HB_MEMORY_MODE_READONLY, NULL, NULL);
    if (!blob)
        goto out;
    /* HarfBuzz hands out its empty objects when an allocation fails. */
    face = hb_face_create(blob, 0);
    set = hb_set_create();
    if (face == hb_face_get_empty() || !hb_set_allocation_successful(set))
        goto out;
    hb_face_collect_unicodes(face, set);
    cover = calloc(1, COVER_BYTES);
    if (!hb_set_allocation_successful(set) || !cover)
        goto out;
    while (hb_set_next(set, &c) && c < 0xFFFF) {
        cover[c >> 3] |= (uint8_t)(1u << (c & 7));
        n++;
    }
    st = IOM_OK;
    /* The map first: it says what is wrong with a file that is not a font
     * at all. */
    if (!n) {
        snprintf(why, size, "no readable Unicode character map (cmap "
                 "format 4)");
        st = IOM_EFONT;
    } else if (!iom_sfnt_sound((const unsigned char *)file.data, file.len,
                               why, size)) {
        st = IOM_EFONT;
    }
out:
    if (st == IOM_OK)
        *out = cover;
    else
        free(cover);
    hb_set_destroy(set);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    iom_buf_release(&file);
    return st;
}

enum iom_status
iom_pdf_font_check(const char *path, char *why, size_t size)
{
    struct iom_pdf pdf;
    struct iom_pdf_shared sh;
    uint8_t *cover = NULL;
    const char *name;
    enum iom_status st = read_font(path, &cover, why, size);

    free(cover);
    if (st != IOM_OK)
        return st;
    memset(&pdf, 0, sizeof pdf);
    memset(&sh, 0, sizeof sh);
    sh.cur = &pdf;
    pdf.doc = HPDF_New(on_error, &sh);
    if (!pdf.doc)
        return IOM_ENOMEM;
    name = HPDF_LoadTTFontFromFile(pdf.doc, path, HPDF_TRUE);
    take_silent_error(&pdf);
    if (pdf.err == HPDF_FAILD_TO_ALLOC_MEM) {
        st = IOM_ENOMEM;
    } else if (pdf.err) {
        st = IOM_EFONT;
        snprintf(why, size, "libharu error 0x%04lX (detail %lu)",
                 (unsigned long)pdf.err, (unsigned long)pdf.detail);
    } else if (!name) {
        st = IOM_EFONT;
        snprintf(why, size, "libharu cannot load it");
    }
    HPDF_Free(pdf.doc);
    return st;
}

/*
 * PDFDocEncoding above ASCII, from 0x80 (0x9F has no character; 0xA0 is
 * the euro sign, and 0xA1 to 0xFF are Latin-1's, but for 0xAD).
 */
static const uint16_t pdfdoc_high[] = {
    0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044,
    0x2039, 0x203A, 0x2212, 0x2030, 0x201E, 0x201C, 0x201D, 0x2018,
    0x2019, 0x201A, 0x2122, 0xFB01, 0xFB02, 0x0141, 0x0152, 0x0160,
    0x0178, 0x017D, 0x0131, 0x0142, 0x0153, 0x0161, 0x017E, 0x0000,
    0x20AC
};

/* The PDFDocEncoding code of 'c', or 0 when it has none. */
static unsigned
pdfdoc_code(uint32_t c)
{
    size_t i;

    if ((c >= 0x20 && c < 0x7F) || c == '\t' || c == '\n' || c == '\r')
        return c;
    if (c >= 0xA1 && c <= 0xFF && c != 0xAD)
        return c;
    for (i = 0; c && i < sizeof pdfdoc_high / sizeof *pdfdoc_high; i++)
        if (pdfdoc_high[i] == c)
            return (unsigned)(0x80 + i);
    return 0;
}

/*
 * Turn the UTF-8 string 's' into PDFDocEncoding where it stands (a code
 * is never longer than the character), or leave it and return false when
 * a character has no code there.
 */
static bool
to_pdfdoc(char *s)
{
    const char *p = s;
    char *o = s;

    while (*p)
        if (!pdfdoc_code(iom_utf8_next(&p)))
            return false;
    for (p = s; *p; )
        *o++ = (char)pdfdoc_code(iom_utf8_next(&p));
    *o = '\0';
    return true;
}

/* Whether 's' has a character that PDFDocEncoding lacks. */
static bool
needs_utf16(const char *s)
{
    while (*s)
        if (!pdfdoc_code(iom_utf8_next(&s)))
            return true;
    return false;
}

/* From now on, information strings are UTF-16 (libharu cannot go back). */
static void
set_utf16_strings(struct iom_pdf *pdf)
{
    HPDF_SetCurrentEncoder(pdf->doc, "UTF-8");
    pdf->utf16_strings = true;
}

/*
 * libharu reads a TrueType file as it needs it: each glyph the first time a
 * document uses it, and again when the document is saved.  Through its file
 * reader every such read is a seek and a 4 KiB read(2), several hundred
 * system calls per brief, so the parsed font is given a copy of the file in
 * libharu's own memory stream.  The font definition's record is public in
 * libharu's headers (hpdf_fontdef.h); the definition frees whichever stream
 * it holds.
 */
static enum iom_status
font_in_memory(struct iom_pdf *pdf, const char *name)
{
    HPDF_FontDef def = HPDF_GetFontDef(pdf->doc, name);
    HPDF_TTFontDefAttr attr = def ? def->attr : NULL;
    HPDF_Stream file = attr ? attr->stream : NULL;
    HPDF_Stream mem = NULL;
    HPDF_UINT32 size = 0;

    if (file && file->type == HPDF_STREAM_FILE)
        size = HPDF_Stream_Size(file);
    if (size)
        mem = HPDF_MemStream_New(def->mmgr, size);
    if (mem && HPDF_Stream_WriteToStream(file, mem, HPDF_STREAM_FILTER_NONE,
                                         NULL) == HPDF_OK &&
        mem->size == size) {
        attr->stream = mem;
        mem = file;
    }
    /* the stream the font does not keep: the file, or a failed copy */
    if (mem)
        HPDF_Stream_Free(mem);
    return check(pdf);
}

/* Read the coverage of 'path' and parse it into the document, unless the
 * shared object has; the font itself is made once the encoding is known.
 * The file is read first: it says what is wrong with a file that is not a
 * font at all, where libharu gives only an error number. */
static enum iom_status
load_face(struct iom_pdf *pdf, enum iom_pdf_face face, const char *path)
{
    struct iom_pdf_shared *sh = pdf->sh;

    if (!sh->name[face]) {
        char why[IOM_PDF_WHY_MAX];
        enum iom_status st;

        sh->path[face] = strdup(path);
        if (!sh->path[face])
            return nomem(pdf);
        st = read_font(path, &sh->cover[face], why, sizeof why);
        if (st != IOM_OK)
            return fail(pdf, st, "cannot load font", path,
                        st == IOM_EFONT ? why : NULL);
        sh->name[face] = HPDF_LoadTTFontFromFile(pdf->doc, path, HPDF_TRUE);
        take_silent_error(pdf);
        if (!sh->name[face] || pdf->err)
            return fail(pdf, IOM_EFONT, "cannot load font", path, NULL);
        if (font_in_memory(pdf, sh->name[face]) != IOM_OK)
            return pdf->st;
    }
    pdf->cover[face] = sh->cover[face];
    return IOM_OK;
}

/* Back to nothing loaded: after a failure, or for other font files. */
static void
shared_reset(struct iom_pdf_shared *sh)
{
    size_t i;

    if (sh->doc)
        HPDF_Free(sh->doc);
    sh->doc = NULL;
    for (i = 0; i < IOM_PDF_FACES; i++) {
        free(sh->path[i]);
        free(sh->cover[i]);
        sh->path[i] = NULL;
        sh->name[i] = NULL;
        sh->cover[i] = NULL;
    }
}

enum iom_status
iom_pdf_shared_new(struct iom_pdf_shared **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? IOM_OK : IOM_ENOMEM;
}

void
iom_pdf_shared_free(struct iom_pdf_shared *sh)
{
    if (!sh)
        return;
    shared_reset(sh);
    free(sh);
}

/* Whether 'sh' has parsed exactly the fonts 'path' (NULL: none). */
static bool
same_font(const struct iom_pdf_shared *sh, enum iom_pdf_face face,
          const char *path)
{
    return path ? sh->path[face] && strcmp(sh->path[face], path) == 0
                : !sh->path[face];
}

/* A new document on the shared object, made first when there is none. */
static enum iom_status
renew_doc(struct iom_pdf *pdf, const char *regular, const char *bold)
{
    struct iom_pdf_shared *sh = pdf->sh;

    if (sh->doc && !(same_font(sh, IOM_PDF_REGULAR, regular) &&
                     same_font(sh, IOM_PDF_BOLD, bold)))
        shared_reset(sh);
    sh->cur = pdf;
    if (sh->doc) {
        HPDF_NewDoc(sh->doc);
    } else {
        sh->doc = HPDF_New(on_error, sh);
        if (!sh->doc)
            return nomem(pdf);
        HPDF_UseUTFEncodings(sh->doc);
    }
    pdf->doc = sh->doc;
    return check(pdf);
}

static bool
has_glyph(const struct iom_pdf *pdf, enum iom_pdf_face face, uint32_t c)
{
    const uint8_t *cover = pdf->cover[pdf->faux_bold ? IOM_PDF_REGULAR : face];

    /* libharu 2.3.0 cannot draw above the BMP at all */
    return c < 0x10000 && (cover[c >> 3] >> (c & 7) & 1);
}

/* Characters that draw nothing in running text but would show as boxes. */
static bool
invisible(uint32_t c)
{
    return c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xAD ||
           (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || (c >= 0xFE00 && c <= 0xFE0F) ||
           c == 0xFEFF || (c >= 0xE0000 && c <= 0xE0FFF);
}

/*
 * The single-byte code pages of libharu tried, in order, each with the
 * characters it must not be used for: libharu names their glyphs in the
 * font's /Differences with names that readers take for another character
 * (Delta for U+2206, mu for U+00B5), so both the text extracted and the
 * glyph drawn would change.  The ISO 8859 pages are not tried: none holds
 * the ellipsis that a cut footer draws.
 */
static const struct code_page {
    const char *name;
    uint16_t misnamed[4];
} code_pages[] = {
    { "CP1252", { 0 } },
    { "CP1250", { 0 } },
    { "CP1251", { 0 } },
    { "CP1253", { 0x0394, 0x03A9, 0x03BC, 0 } },
    { "CP1254", { 0 } },
    { "CP1257", { 0 } },
    { "CP1258", { 0 } },
    { "CP1255", { 0x05F3, 0x05F4, 0 } },
    { "CP1256", { 0x06A9, 0x06BE, 0x06C1, 0 } },
};

static bool
misnamed(const struct code_page *page, uint32_t c)
{
    size_t i;

    for (i = 0; i < sizeof page->misnamed / sizeof *page->misnamed &&
                page->misnamed[i]; i++)
        if (page->misnamed[i] == c)
            return true;
    return false;
}

/*
 * Fill pdf->codes with the page's codes above ASCII, sorted by code point;
 * false when the page does not keep ASCII as it is (codes below 0x80 are
 * drawn unconverted).
 */
static bool
load_code_page(struct iom_pdf *pdf, const struct code_page *page)
{
    HPDF_Encoder enc = HPDF_GetEncoder(pdf->doc, page->name);
    unsigned code;
    size_t i;

    pdf->n_codes = 0;
    if (!enc)
        return false;
    for (code = 0x20; code < 0x7F; code++)
        if (HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code) != code)
            return false;
    for (code = 0x80; code <= 0xFF; code++) {
        HPDF_UNICODE cp = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code);

        if (cp < 0x80 || invisible(cp) || misnamed(page, cp))
            continue;
        /* insertion keeps the pairs sorted; there are at most 128 */
        for (i = pdf->n_codes; i > 0 && pdf->codes[i - 1].cp > cp; i--)
            pdf->codes[i] = pdf->codes[i - 1];
        pdf->codes[i].cp = (uint16_t)cp;
        pdf->codes[i].code = (uint8_t)code;
        pdf->n_codes++;
    }
    return true;
}

/* The code of 'c' in the loaded code page, or 0 when it has none. */
static unsigned
code_of(const struct iom_pdf *pdf, uint32_t c)
{
    size_t lo = 0, hi = pdf->n_codes;

    if (c < 0x80)
        return c;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (pdf->codes[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pdf->n_codes && pdf->codes[lo].cp == c ? pdf->codes[lo].code
                                                       : 0;
}

/* Whether the loaded code page has what drawing 'c' draws. */
static bool
page_draws(const struct iom_pdf *pdf, uint32_t c)
{
    if (c == '\t' || c == '\n' || c == 0x2028 || c == 0x2029 || invisible(c))
        return true;            /* spaces, a line break, or nothing */
    if (!has_glyph(pdf, IOM_PDF_REGULAR, c) ||
        !has_glyph(pdf, IOM_PDF_BOLD, c))
        c = pdf->replacement_cp;
    return code_of(pdf, c) != 0;
}

static bool
page_covers(const struct iom_pdf *pdf, const struct iom_charset *text)
{
    size_t i;
    unsigned b;

    if (text->beyond_bmp && !code_of(pdf, pdf->replacement_cp))
        return false;
    if (has_glyph(pdf, IOM_PDF_REGULAR, 0x2026) && !code_of(pdf, 0x2026))
        return false;           /* the footers' ellipsis */
    for (i = 0x80 / 8; i < sizeof text->bits; i++)
        for (b = 0; text->bits[i] >> b; b++)
            if ((text->bits[i] >> b & 1) &&
                !page_draws(pdf, (uint32_t)(i * 8 + b)))
                return false;
    return true;
}

/* The first code page that covers 'text' loaded, or UTF-8. */
static void
choose_encoding(struct iom_pdf *pdf, const struct iom_charset *text)
{
    size_t k;

    for (k = 0; text && k < sizeof code_pages / sizeof *code_pages; k++)
        if (load_code_page(pdf, &code_pages[k]) && page_covers(pdf, text)) {
            pdf->encoding = code_pages[k].name;
            return;
        }
    pdf->encoding = "UTF-8";
    pdf->n_codes = 0;
}

enum iom_status
iom_pdf_open_for(struct iom_pdf *pdf, const char *path, const char *regular,
                 const char *bold, const struct iom_charset *text,
                 struct iom_pdf_shared *shared)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    enum iom_status st;
    int face;

    memset(pdf, 0, sizeof *pdf);
    memset(pdf->code_width, 0xFF, sizeof pdf->code_width);   /* all -1 */
    iom_buf_init(&pdf->scratch);
    iom_buf_init(&pdf->encoded);
    pdf->path = path;
    pdf->encoding = "UTF-8";
    pdf->width = 595.276f;      /* A4, as libharu sizes it */
    pdf->height = 841.89f;
    pdf->left = pdf->right = pdf->top = pdf->bottom = 56.7f;   /* 20 mm */
    pdf->sh = shared;
    if (!pdf->sh && iom_pdf_shared_new(&pdf->sh) != IOM_OK)
        return nomem(pdf);
    pdf->own_sh = !shared;
    if ((st = renew_doc(pdf, regular, bold)) != IOM_OK)
        return st;
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
    /*
     * One Pages node holds at most 32,767 pages (libharu's array limit), a
     * summary of 700,000 projects needs more: nodes of PAGES_PER_NODE
     * pages under the root take it to 32,767 times as many.  Set for each
     * document: a renewed document starts with the root alone.
     */
    HPDF_SetPagesConfiguration(pdf->doc, PAGES_PER_NODE);
    /* before any info string, or UTF-8 comes out as mojibake */
    if (!text)
        set_utf16_strings(pdf);
    if ((st = check(pdf)) != IOM_OK)
        return st;
    st = load_face(pdf, IOM_PDF_REGULAR, regular);
    if (st == IOM_OK && bold)
        st = load_face(pdf, IOM_PDF_BOLD, bold);
    if (st != IOM_OK)
        return st;
    pdf->faux_bold = !bold;
    if (has_glyph(pdf, IOM_PDF_REGULAR, 0xFFFD) &&
        has_glyph(pdf, IOM_PDF_BOLD, 0xFFFD)) {
        pdf->replacement = fffd;
        pdf->replacement_cp = 0xFFFD;
    } else {
        pdf->replacement = "?";
        pdf->replacement_cp = '?';
    }
    choose_encoding(pdf, text);
    for (face = 0; face < IOM_PDF_FACES; face++)
        pdf->font[face] = pdf->sh->name[face] ?
                          HPDF_GetFont(pdf->doc, pdf->sh->name[face],
                                       pdf->encoding) :
                          pdf->font[IOM_PDF_REGULAR];
    if (!pdf->font[IOM_PDF_REGULAR] || !pdf->font[IOM_PDF_BOLD] || pdf->err)
        return fail(pdf, IOM_EFONT, "cannot load font", regular, NULL);
    return IOM_OK;
}

enum iom_status
iom_pdf_open(struct iom_pdf *pdf, const char *path, const char *regular,
             const char *bold)
{
    return iom_pdf_open_for(pdf, path, regular, bold, NULL, NULL);
}

void
iom_pdf_close(struct iom_pdf *pdf)
{
    if (pdf->own_sh) {
        iom_pdf_shared_free(pdf->sh);
    } else if (pdf->sh) {
        /* libharu's errors stick: the next document starts afresh */
        if (pdf->st != IOM_OK || pdf->err)
            shared_reset(pdf->sh);
        else if (pdf->doc)
            HPDF_FreeDoc(pdf->doc);
        pdf->sh->cur = NULL;
    }
    free(pdf->pages);
    iom_buf_release(&pdf->scratch);
    iom_buf_release(&pdf->encoded);
    memset(pdf, 0, sizeof *pdf);
}

/*
 * Document information 'attr' or, when 'out' is not NULL, an outline
 * entry under 'parent': 's' cut, at a whole character, to what libharu
 * takes in one string (it is metadata; the page shows the whole text).
 * A string is written in PDFDocEncoding, a byte a character, when it
 * fits and 'utf16' is false, else in UTF-16, four hex digits a character.
 */
static enum iom_status
set_string(struct iom_pdf *pdf, const char *s, bool utf16, HPDF_InfoType attr,
           HPDF_Outline parent, HPDF_Outline *out)
{
    char *cut = strndup(s, piece_len(s, strlen(s)));
    bool pdfdoc;

    if (!cut)
        return nomem(pdf);
    pdfdoc = !utf16 && to_pdfdoc(cut);
    if (out)
        /* without the encoder UTF-8 comes out as mojibake */
        *out = HPDF_CreateOutline(pdf->doc, parent, cut, pdfdoc ? NULL :
                                  HPDF_GetEncoder(pdf->doc, "UTF-8"));
    else
        HPDF_SetInfoAttr(pdf->doc, attr, cut);
    free(cut);
    return check(pdf);
}

enum iom_status
iom_pdf_set_info(struct iom_pdf *pdf, const struct iom_pdf_info *info)
{
    static const HPDF_InfoType attrs[] = {
        HPDF_INFO_TITLE, HPDF_INFO_SUBJECT, HPDF_INFO_AUTHOR,
        HPDF_INFO_CREATOR, HPDF_INFO_KEYWORDS
    };
    const char *values[] = {
        info->title, info->subject, info->author, info->creator,
        info->keywords
    };
    time_t t = (time_t)info->created;
    enum { n = sizeof attrs / sizeof attrs[0] };
    bool utf16[n];
    struct tm tm;
    HPDF_Date d;
    size_t i;
    int pass;

    if (pdf->st != IOM_OK)
        return pdf->st;
    /* Information strings share libharu's current encoder, which can be
     * set but not unset: those in PDFDocEncoding go first. */
    for (i = 0; i < n; i++)
        utf16[i] = values[i] && (pdf->utf16_strings ||
                                 needs_utf16(values[i]));
    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < n; i++) {
            if (!values[i] || utf16[i] != (pass == 1))
                continue;
            if (utf16[i] && !pdf->utf16_strings)
                set_utf16_strings(pdf);
            if (set_string(pdf, values[i], utf16[i], attrs[i], NULL,
                           NULL) != IOM_OK)
                return pdf->st;
        }
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 || tm.tm_year < 0)
        return fail(pdf, IOM_EPDF, "cannot render", pdf->path,
                    "creation time out of range");
    d.year = tm.tm_year + 1900;
    d.month = tm.tm_mon + 1;
    d.day = tm.tm_mday;
    d.hour = tm.tm_hour;
    d.minutes = tm.tm_min;
    d.seconds = tm.tm_sec;
    d.ind = '+';                /* 'Z' breaks libharu's PDF/A code path */
    d.off_hour = 0;
    d.off_minutes = 0;
    HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_CREATION_DATE, d);
    HPDF_SetInfoDateAttr(pdf->doc, HPDF_INFO_MOD_DATE, d);
    return check(pdf);
}

enum iom_status
iom_pdf_add_page(struct iom_pdf *pdf)
{
    HPDF_Page page;

    if (pdf->st != IOM_OK)
        return pdf->st;
    if (pdf->n_pages == pdf->cap_pages) {
        size_t cap = pdf->cap_pages ? 2 * pdf->cap_pages : 8;
        HPDF_Page *v = realloc(pdf->pages, cap * sizeof *v);

        if (!v)
            return nomem(pdf);
        pdf->pages = v;
        pdf->cap_pages = cap;
    }
    page = HPDF_AddPage(pdf->doc);
    if (!page)
        return check(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    pdf->width = HPDF_Page_GetWidth(page);
    pdf->height = HPDF_Page_GetHeight(page);
    pdf->pages[pdf->n_pages++] = page;
    pdf->page = page;
    pdf->y = pdf->height - pdf->top;
    if (pdf->on_page) {
        enum iom_status st = pdf->on_page(pdf, pdf->on_page_ctx);

        if (st != IOM_OK && pdf->st == IOM_OK)
            pdf->st = st;       /* the hook has said what failed */
    }
    return check(pdf);
}

enum iom_status
iom_pdf_ensure(struct iom_pdf *pdf, float height)
{
    if (pdf->st != IOM_OK)
        return pdf->st;
    if (!pdf->page || pdf->y - height < pdf->bottom - 0.01f)
        return iom_pdf_add_page(pdf);
    return IOM_OK;
}

enum iom_status
iom_pdf_clean(struct iom_pdf *pdf, enum iom_pdf_face face, const char *s,
              size_t len, bool keep_newlines, struct iom_buf *out)
{
    const char *p = s, *end = s + len;
    const char *kept = s;       /* characters kept as they are, not copied yet */
    enum iom_status st = IOM_OK;

    if (pdf->st != IOM_OK)
        return pdf->st;
    /* Every text drawn passes here: the characters kept as they stand are
     * copied in runs, not one by one. */
    while (p < end && st == IOM_OK) {
        const char *q = p, *with;
        unsigned char b = (unsigned char)*p;
        uint32_t c;

        if (b >= 0x20 && b < 0x7F && has_glyph(pdf, face, b)) {
            p++;
            continue;
        }
        c = iom_utf8_next(&q);
        if (c == '\t') {
            with = "    ";
        } else if (c == '\n' || c == 0x2028 || c == 0x2029) {
            with = keep_newlines ? "\n" : " ";
        } else if (invisible(c)) {
            with = "";
        } else if (has_glyph(pdf, face, c)) {
            p = q;
            continue;
        } else {
            if (!pdf->n_replaced++)
                pdf->first_replaced = c;
            with = pdf->replacement;
        }
        st = iom_buf_add(out, kept, (size_t)(p - kept));
        if (st == IOM_OK)
            st = iom_buf_adds(out, with);
        p = kept = q;
    }
    if (st == IOM_OK)
        st = iom_buf_add(out, kept, (size_t)(p - kept));
    return st == IOM_OK ? IOM_OK : nomem(pdf);
}

/*
 * s[0..*len) in the fonts' encoding: 's' itself under UTF-8, else its
 * codes in pdf->encoded (NULL when out of memory), *len updated.  A
 * character the code page lacks, which the choice of the page rules out,
 * becomes '?' and, when 'drawn', counts as replaced.
 */
static const char *
encode(struct iom_pdf *pdf, const char *s, size_t *len, bool drawn)
{
    const char *p, *end;
    char *o;

    if (!pdf->n_codes)
        return s;
    /* A code is one byte, never longer than its character: the codes are
     * written over a copy of the text as it is read, ASCII (but NUL, which
     * has no code) as it stands.  Every line of text passes here. */
    iom_buf_reset(&pdf->encoded);
    if (iom_buf_add(&pdf->encoded, s, *len) != IOM_OK)
        return NULL;
    o = pdf->encoded.data;
    p = o;
    end = p + *len;
    while (p < end) {
        uint32_t c;
        unsigned code;

        if ((unsigned char)*p - 1u < 0x7Fu) {
            *o++ = *p++;
            continue;
        }
        c = iom_utf8_next(&p);
        code = code_of(pdf, c);
        if (!code && drawn && !pdf->n_replaced++)
            pdf->first_replaced = c;
        *o++ = code ? (char)code : '?';
    }
    *o = '\0';
    *len = pdf->encoded.len = (size_t)(o - pdf->encoded.data);
    return pdf->encoded.data;
}

/* The longest prefix of the encoded text s[0..len) that libharu takes in
 * one call, cut between characters. */
static size_t
encoded_piece(const struct iom_pdf *pdf, const char *s, size_t len)
{
    if (pdf->n_codes)
        return len <= PIECE_MAX ? len : PIECE_MAX;
    return piece_len(s, len);
}

/*
 * Width in font units of the encoded text s[0..len) in 'face'.  Text is
 * measured word by word as it is wrapped, and libharu's measure costs a
 * call for every byte: a code page's widths are learnt once a document.
 */
static double
encoded_width(struct iom_pdf *pdf, enum iom_pdf_face face, const char *s,
              size_t len)
{
    HPDF_Font font = pdf->font[face];
    double width = 0;

    if (pdf->n_codes) {
        int64_t *known = pdf->code_width[face];
        size_t i;

        for (i = 0; i < len; i++) {
            HPDF_BYTE b = (HPDF_BYTE)s[i];

            if (known[b] < 0)
                known[b] = HPDF_Font_TextWidth(font, &b, 1).width;
            width += (double)known[b];
        }
        return width;
    }
    while (len > 0) {
        size_t n = encoded_piece(pdf, s, len);
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s,
                                                (HPDF_UINT)n);

        width += tw.width;
        s += n;
        len -= n;
    }
    return width;
}

float
iom_pdf_width(struct iom_pdf *pdf, enum iom_pdf_face face, float size,
              const char *s, size_t len)
{
    const char *e;

    if (pdf->st != IOM_OK)
        return 0;
    e = encode(pdf, s, &len, false);
    if (!e) {
        nomem(pdf);
        return 0;
    }
    return (float)(encoded_width(pdf, face, e, len) * size / 1000);
}

static enum iom_status
push_line(struct iom_pdf *pdf, struct iom_pdf_lines *out, size_t off,
          size_t len, float width)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? 2 * out->cap : 16;
        struct iom_pdf_line *v = realloc(out->v, cap * sizeof *v);

        if (!v)
            return nomem(pdf);
        out->v = v;
        out->cap = cap;
    }
    out->v[out->n].off = off;
    out->v[out->n].len = len;
    out->v[out->n].width = width;
    out->n++;
    return IOM_OK;
}

/* Line-breaking state over one text; 'line' is open when its len != 0. */
struct wrap {
    struct iom_pdf *pdf;
    enum iom_pdf_face face;
    float size, first, rest;
    const char *s;
    struct iom_pdf_lines *out;
    size_t n0;                  /* out->n when the text started */
    struct iom_pdf_line line;
    bool open;
};

static float
avail(const struct wrap *w)
{
    return w->out->n == w->n0 ? w->first : w->rest;
}

static enum iom_status
flush(struct wrap *w)
{
    w->open = false;
    return push_line(w->pdf, w->out, w->line.off, w->line.len, w->line.width);
}

static void
open_line(struct wrap *w, size_t off, size_t len, float width)
{
    w->line.off = off;
    w->line.len = len;
    w->line.width = width;
    w->open = true;
}

/*
 * Place the word s[off, off + len) that is wider than a whole line: fill
 * lines character by character, leaving the tail open for what follows.
 */
static enum iom_status
split_word(struct wrap *w, size_t off, size_t len)
{
    const char *p = w->s + off, *end = p + len, *start = p;
    float width = 0;
    enum iom_status st;

    while (p < end) {
        const char *q = p;
        float cw;

        iom_utf8_next(&q);
        cw = iom_pdf_width(w->pdf, w->face, w->size, p, (size_t)(q - p));
        if (p > start && width + cw > avail(w) + 0.001f) {
            open_line(w, (size_t)(start - w->s), (size_t)(p - start), width);
            if ((st = flush(w)) != IOM_OK)
                return st;
            start = p;
            width = 0;
        }
        width += cw;
        p = q;
    }
    open_line(w, (size_t)(start - w->s), (size_t)(end - start), width);
    return IOM_OK;
}

/* Wrap s[off, off + len), which holds no '\n', into at least one line. */
static enum iom_status
wrap_segment(struct wrap *w, size_t off, size_t len)
{
    size_t i = off, end = off + len;
    float space = iom_pdf_width(w->pdf, w->face, w->size, " ", 1);
    enum iom_status st;

    while (i < end) {
        size_t gap = 0, word = 0;
        float ww;

        while (i + gap < end && w->s[i + gap] == ' ')
            gap++;
        i += gap;
        while (i + word < end && w->s[i + word] != ' ')
            word++;
        if (!word)
            break;
        ww = iom_pdf_width(w->pdf, w->face, w->size, w->s + i, word);
        if (w->open) {
            float need = w->line.width + (float)gap * space + ww;

            if (need <= avail(w) + 0.001f) {
                w->line.len = i + word - w->line.off;
                w->line.width = need;
                i += word;
                continue;
            }
            if ((st = flush(w)) != IOM_OK)
                return st;
        }
        if (ww <= avail(w) + 0.001f)
            open_line(w, i, word, ww);
        else if ((st = split_word(w, i, word)) != IOM_OK)
            return st;
        i += word;
    }
    if (!w->open)
        open_line(w, off, 0, 0);    /* a blank line is still a line */
    return flush(w);
}

enum iom_status
iom_pdf_wrap(struct iom_pdf *pdf, enum iom_pdf_face face, float size,
             const char *s, float first, float rest,
             struct iom_pdf_lines *out)
{
    struct wrap w = { pdf, face, size, first, rest, s, out, out->n,
                      { 0, 0, 0 }, false };
    size_t off = 0, n = strlen(s);
    enum iom_status st = pdf->st;

    while (st == IOM_OK && off < n) {
        const char *nl = memchr(s + off, '\n', n - off);
        size_t len = nl ? (size_t)(nl - (s + off)) : n - off;

        st = wrap_segment(&w, off, len);
        off += len + 1;
    }
    return st == IOM_OK ? check(pdf) : st;
}

void
iom_pdf_lines_release(struct iom_pdf_lines *lines)
{
    free(lines->v);
    lines->v = NULL;
    lines->n = lines->cap = 0;
}

float
iom_pdf_baseline(const struct iom_pdf *pdf, const struct iom_pdf_style *st,
                 float top)
{
    HPDF_Font font = pdf->font[st->face];
    float asc = (float)HPDF_Font_GetAscent(font) * st->size / 1000;
    float desc = (float)-HPDF_Font_GetDescent(font) * st->size / 1000;

    return top - (st->leading - asc - desc) / 2 - asc;
}

/*
 * Lines of text drawn one after the other share one text object (BT ... ET),
 * each placed relative to the last, until something else is drawn: the
 * object is ended before a rectangle, a line, drawing on another page and
 * saving.  libharu refuses a path inside a text object, so one that was not
 * ended is an error, not a wrong page.
 */
static void
end_text(struct iom_pdf *pdf)
{
    if (pdf->drawn.in_text) {
        HPDF_Page_EndText(pdf->drawn.page);
        pdf->drawn.in_text = false;
    }
}

/* What was set on another page says nothing of the current one. */
static struct iom_pdf_drawn *
drawn_on_page(struct iom_pdf *pdf)
{
    if (pdf->drawn.page != pdf->page) {
        end_text(pdf);
        memset(&pdf->drawn, 0, sizeof pdf->drawn);
        pdf->drawn.page = pdf->page;
    }
    return &pdf->drawn;
}

/* Colour and font persist on a page's content stream (across BT and ET
 * too), so a run of draws in one style sets each once. */
static void
set_fill(struct iom_pdf *pdf, const float rgb[3])
{
    struct iom_pdf_drawn *d = drawn_on_page(pdf);

    if (d->has_fill && d->fill[0] == rgb[0] && d->fill[1] == rgb[1] &&
        d->fill[2] == rgb[2])
        return;
    HPDF_Page_SetRGBFill(pdf->page, rgb[0], rgb[1], rgb[2]);
    memcpy(d->fill, rgb, sizeof d->fill);
    d->has_fill = true;
}

static void
set_font(struct iom_pdf *pdf, HPDF_Font font, float size)
{
    struct iom_pdf_drawn *d = drawn_on_page(pdf);

    if (d->font == font && d->size == size)
        return;
    HPDF_Page_SetFontAndSize(pdf->page, font, size);
    d->font = font;
    d->size = size;
}

enum iom_status
iom_pdf_draw(struct iom_pdf *pdf, const struct iom_pdf_style *st, float x,
             float baseline, const char *s, size_t len)
{
    HPDF_Page page = pdf->page;
    bool faux = pdf->faux_bold && st->face == IOM_PDF_BOLD, zero;
    size_t n;

    if (pdf->st != IOM_OK)
        return pdf->st;
    assert(page);
    if (!len)
        return IOM_OK;
    set_fill(pdf, st->rgb);     /* first: it forgets another page's state */
    if (!pdf->drawn.in_text) {
        HPDF_Page_BeginText(page);
        pdf->drawn.in_text = true;
        pdf->drawn.tx = pdf->drawn.ty = 0;
    }
    if (faux) {
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        HPDF_Page_SetRGBStroke(page, st->rgb[0], st->rgb[1], st->rgb[2]);
        HPDF_Page_SetLineWidth(page, st->size * FAUX_BOLD_STROKE);
    }
    set_font(pdf, pdf->font[st->face], st->size);
    HPDF_Page_MoveTextPos(page, x - pdf->drawn.tx, baseline - pdf->drawn.ty);
    pdf->drawn.tx = x;
    pdf->drawn.ty = baseline;
    if (!(s = encode(pdf, s, &len, true)))
        return nomem(pdf);
    /* Each piece starts where the last one ended. */
    for (; len > 0 && pdf->st == IOM_OK; s += n, len -= n) {
        n = encoded_piece(pdf, s, len);
        iom_buf_reset(&pdf->scratch);
        if (iom_buf_add(&pdf->scratch, s, n) != IOM_OK)
            return nomem(pdf);
        /* HPDF_Page_ShowText() skips text whose width is zero (a run
         * of combining marks): a hair of character spacing keeps it. */
        zero = encoded_width(pdf, st->face, s, n) <= 0;
        if (zero)
            HPDF_Page_SetCharSpace(page, 0.0001f);
        HPDF_Page_ShowText(page, pdf->scratch.data);
        if (zero)
            HPDF_Page_SetCharSpace(page, 0);
    }
    if (faux)
        HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
    return check(pdf);
}

enum iom_status
iom_pdf_block_init(struct iom_pdf *pdf, struct iom_pdf_block *b,
                   const struct iom_pdf_style *st, const char *s,
                   float width, float hang)
{
    enum iom_status rc;

    b->st = st;
    b->width = width;
    b->hang = hang;
    iom_buf_init(&b->text);
    b->lines.v = NULL;
    b->lines.n = b->lines.cap = 0;
    rc = iom_pdf_clean(pdf, st->face, s, strlen(s), true, &b->text);
    if (rc == IOM_OK)
        rc = iom_pdf_wrap(pdf, st->face, st->size, b->text.data, width,
                          width - hang, &b->lines);
    return rc;
}

void
iom_pdf_block_release(struct iom_pdf_block *b)
{
    iom_buf_release(&b->text);
    iom_pdf_lines_release(&b->lines);
}

float
iom_pdf_block_height(const struct iom_pdf_block *b)
{
    return (float)b->lines.n * b->st->leading;
}

static enum iom_status
draw_line(struct iom_pdf *pdf, const struct iom_pdf_block *b, size_t i,
          float x, float top, enum iom_pdf_align align)
{
    const struct iom_pdf_line *l = &b->lines.v[i];
    float room = i ? b->width - b->hang : b->width;

    if (i)
        x += b->hang;
    if (align == IOM_PDF_RIGHT)
        x += room - l->width;
    else if (align == IOM_PDF_CENTER)
        x += (room - l->width) / 2;
    return iom_pdf_draw(pdf, b->st, x, iom_pdf_baseline(pdf, b->st, top),
                        b->text.data + l->off, l->len);
}

enum iom_status
iom_pdf_block_draw_lines(struct iom_pdf *pdf, const struct iom_pdf_block *b,
                         size_t from, size_t to, float x, float top,
                         enum iom_pdf_align align)
{
    size_t i;

    for (i = from; i < to && i < b->lines.n && pdf->st == IOM_OK; i++)
        draw_line(pdf, b, i, x, top - (float)(i - from) * b->st->leading,
                  align);
    return pdf->st;
}

enum iom_status
iom_pdf_block_draw(struct iom_pdf *pdf, const struct iom_pdf_block *b,
                   float x, float top, enum iom_pdf_align align)
{
    return iom_pdf_block_draw_lines(pdf, b, 0, b->lines.n, x, top, align);
}

enum iom_status
iom_pdf_block_draw_key(struct iom_pdf *pdf, const struct iom_pdf_block *b,
                       size_t from, size_t to, float x, float top,
                       enum iom_pdf_align align)
{
    if (from > 0 && from >= b->lines.n)
        return iom_pdf_block_draw_lines(pdf, b, 0, to - from, x, top, align);
    return iom_pdf_block_draw_lines(pdf, b, from, to, x, top, align);
}

size_t
iom_pdf_lines_fit(const struct iom_pdf *pdf, float leading, float pad)
{
    float room = pdf->y - pdf->bottom - 2 * pad + 0.01f;

    return room > 0 ? (size_t)(room / leading) : 0;
}

enum iom_status
iom_pdf_text(struct iom_pdf *pdf, const struct iom_pdf_style *st, float x,
             float top, float width, enum iom_pdf_align align, const char *s)
{
    struct iom_pdf_block b;
    enum iom_status rc = iom_pdf_block_init(pdf, &b, st, s, width, 0);

    if (rc == IOM_OK)
        rc = iom_pdf_block_draw(pdf, &b, x, top, align);
    iom_pdf_block_release(&b);
    return rc;
}

float
iom_pdf_content_width(const struct iom_pdf *pdf)
{
    return pdf->width - pdf->left - pdf->right;
}

/*
 * Lines of an n-line paragraph that must fit before line i is drawn, so
 * that no line of it stands alone at the foot of a page (the first two go
 * together, all three of a three-line one) or at the head of the next (the
 * last two go together).
 */
static size_t
lines_kept(size_t n, size_t i)
{
    if (i == 0)
        return n == 3 ? 3 : n < 2 ? n : 2;
    return n - i == 2 ? 2 : 1;
}

enum iom_status
iom_pdf_paragraph(struct iom_pdf *pdf, const struct iom_pdf_style *st,
                  float x, float width, float hang, const char *s)
{
    struct iom_pdf_block b;
    enum iom_status rc = iom_pdf_block_init(pdf, &b, st, s, width, hang);
    size_t i;

    for (i = 0; rc == IOM_OK && i < b.lines.n; i++) {
        rc = iom_pdf_ensure(pdf, (float)lines_kept(b.lines.n, i) *
                                 st->leading);
        if (rc == IOM_OK)
            rc = draw_line(pdf, &b, i, x, pdf->y, IOM_PDF_LEFT);
        pdf->y -= st->leading;
    }
    iom_pdf_block_release(&b);
    return rc;
}

enum iom_status
iom_pdf_rect(struct iom_pdf *pdf, const float rgb[3], float x, float y,
             float w, float h)
{
    if (pdf->st != IOM_OK)
        return pdf->st;
    end_text(pdf);
    set_fill(pdf, rgb);
    HPDF_Page_Rectangle(pdf->page, x, y, w, h);
    HPDF_Page_Fill(pdf->page);
    return check(pdf);
}

enum iom_status
iom_pdf_line(struct iom_pdf *pdf, const float rgb[3], float width, float x0,
             float y0, float x1, float y1)
{
    if (pdf->st != IOM_OK)
        return pdf->st;
    end_text(pdf);
    HPDF_Page_SetRGBStroke(pdf->page, rgb[0], rgb[1], rgb[2]);
    HPDF_Page_SetLineWidth(pdf->page, width);
    HPDF_Page_MoveTo(pdf->page, x0, y0);
    HPDF_Page_LineTo(pdf->page, x1, y1);
    HPDF_Page_Stroke(pdf->page);
    return check(pdf);
}

enum iom_status
iom_pdf_footers(struct iom_pdf *pdf, const struct iom_pdf_style *st,
                float baseline, const char *left)
{
    const char *more = has_glyph(pdf, st->face, 0x2026) ? "\xE2\x80\xA6"
                                                        : "...";
    struct iom_buf text = IOM_BUF_INIT;
    struct iom_pdf_lines lines = { NULL, 0, 0 };
    char num[64];
    float room = pdf->width - pdf->left - pdf->right;
    enum iom_status rc;
    size_t i;
    int n;

    /* a long 'left' is cut short of the widest page number */
    n = snprintf(num, sizeof num, "Page %zu of %zu", pdf->n_pages,
                 pdf->n_pages);
    room -= iom_pdf_width(pdf, st->face, st->size, num, (size_t)n) +
            iom_pdf_width(pdf, st->face, st->size, more, strlen(more)) +
            st->size;
    rc = iom_pdf_clean(pdf, st->face, left, strlen(left), false, &text);
    if (rc == IOM_OK)
        rc = iom_pdf_wrap(pdf, st->face, st->size, text.data, room, room,
                          &lines);
    for (i = 0; rc == IOM_OK && i < pdf->n_pages; i++) {
        float w;

        n = snprintf(num, sizeof num, "Page %zu of %zu", i + 1, pdf->n_pages);
        w = iom_pdf_width(pdf, st->face, st->size, num, (size_t)n);
        pdf->page = pdf->pages[i];
        if (lines.n)
            rc = iom_pdf_draw(pdf, st, pdf->left, baseline,
                              text.data + lines.v[0].off, lines.v[0].len);
        if (rc == IOM_OK && lines.n > 1)
            rc = iom_pdf_draw(pdf, st, pdf->left + lines.v[0].width, baseline,
                              more, strlen(more));
        if (rc == IOM_OK)
            rc = iom_pdf_draw(pdf, st, pdf->width - pdf->right - w, baseline,
                              num, (size_t)n);
    }
    iom_pdf_lines_release(&lines);
    iom_buf_release(&text);
    return rc;
}

enum iom_status
iom_pdf_link(struct iom_pdf *pdf, HPDF_Page page, HPDF_Rect rect,
             HPDF_Page to)
{
    HPDF_Annotation link;

    if (pdf->st != IOM_OK)
        return pdf->st;
    link = HPDF_Page_CreateLinkAnnot(page, rect,
                                     HPDF_Page_CreateDestination(to));
    if (link)
        HPDF_LinkAnnot_SetBorderStyle(link, 0, 0, 0);
    return check(pdf);
}

enum iom_status
iom_pdf_outline(struct iom_pdf *pdf, HPDF_Outline parent, const char *title,
                HPDF_Page page, HPDF_Outline *out)
{
    HPDF_Outline o = NULL;    /* set_string() writes it only on success */
    HPDF_Destination dest;

    if (pdf->st != IOM_OK)
        return pdf->st;
    if (set_string(pdf, title, pdf->utf16_strings, HPDF_INFO_TITLE, parent,
                   &o) != IOM_OK)
        return pdf->st;
    dest = HPDF_Page_CreateDestination(page);
    if (o && dest)
        HPDF_Outline_SetDestination(o, dest);
    if (check(pdf) == IOM_OK)
        *out = o;
    return pdf->st;
}

enum iom_status
iom_pdf_save(struct iom_pdf *pdf)
{
    if (pdf->st != IOM_OK)
        return pdf->st;
    end_text(pdf);
    /* libharu's FILE_IO_ERROR detail is no errno; the C library's errno
     * still tells ENOSPC from EIO. */
    errno = 0;
    if (HPDF_SaveToFile(pdf->doc, pdf->path) != HPDF_OK || pdf->err) {
        int e = errno;

        if (font_fault(pdf->err))
            return font_failed(pdf);
        return fail(pdf, e == ENOMEM ? IOM_ENOMEM : IOM_EIO,
                    "cannot write", pdf->path, e ? strerror(e) : NULL);
    }
    return IOM_OK;
}
