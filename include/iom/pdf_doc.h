/*
 * pdf_doc: the libharu layer both PDFs share.  It owns the HPDF_Doc and its
 * first error, the two TrueType faces and their character coverage, text
 * cleaning, measuring and wrapping, a flowing cursor that adds pages as text
 * runs down, "Page N of M" footers and saving.  It knows nothing of what a
 * brief or a summary says or how it is coloured.
 *
 * Text given to any function here is valid UTF-8 (records are validated).
 * Functions returning enum iom_status print one message through
 * iom_errorf() on the first failure; after a failure every later call
 * returns the same status and draws nothing, so callers may check once per
 * block.  Coordinates are PDF points with the origin at the bottom left.
 */
#ifndef IOM_PDF_DOC_H
#define IOM_PDF_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "iom/buf.h"
#include "iom/status.h"
#include "iom/text.h"

enum iom_pdf_face {
    IOM_PDF_REGULAR,
    IOM_PDF_BOLD,
    IOM_PDF_FACES
};

struct iom_pdf_style {
    enum iom_pdf_face face;
    float size;     /* points */
    float leading;  /* baseline to baseline, points */
    float rgb[3];   /* fill colour, 0..1 */
};

/* One wrapped line: bytes [off, off + len) of the wrapped text. */
struct iom_pdf_line {
    size_t off;
    size_t len;
    float width;
};

struct iom_pdf_lines {
    struct iom_pdf_line *v;
    size_t n;
    size_t cap;
};

struct iom_pdf_info {
    const char *title;
    const char *subject;
    const char *author;
    const char *creator;
    const char *keywords;
    int64_t created;        /* UTC seconds; CreationDate and ModDate */
};

struct iom_pdf;
struct iom_pdf_shared;

/*
 * Called right after each page is added, with pdf->y at the top margin: it
 * draws the page's running header and may lower pdf->y below it.
 */
typedef enum iom_status (*iom_pdf_page_fn)(struct iom_pdf *pdf, void *ctx);

struct iom_pdf {
    HPDF_Doc doc;
    const char *path;             /* borrowed: output file, for messages */
    /* Borrowed: what is being drawn ("project T81-805"), which the message
     * of a failure names after the file; NULL: nothing in particular. */
    const char *drawing;
    enum iom_status st;           /* first failure, sticky */
    HPDF_STATUS err;              /* first libharu error and its detail */
    HPDF_STATUS detail;
    HPDF_Font font[IOM_PDF_FACES];
    bool faux_bold;               /* no bold file: regular, stroked */
    /* bit per BMP code point with a glyph; owned by 'sh' */
    const uint8_t *cover[IOM_PDF_FACES];
    struct iom_pdf_shared *sh;    /* 'doc' and the fonts it has parsed */
    bool own_sh;                  /* 'sh' is this document's alone */
    const char *replacement;      /* drawn for characters the font lacks */
    uint32_t replacement_cp;      /* its code point */
    size_t n_replaced;            /* such characters so far */
    uint32_t first_replaced;      /* the first of them */

    HPDF_Page *pages;             /* every page, for the footers */
    size_t n_pages;
    size_t cap_pages;
    HPDF_Page page;               /* current page, NULL before the first */

    /* Page size and the content box within it; the caller may change the
     * margins before the first page. */
    float width, height;
    float left, right, top, bottom;
    float y;                      /* top of the next line on the page */
    iom_pdf_page_fn on_page;
    void *on_page_ctx;
    struct iom_buf scratch;       /* private: text being drawn */
    /* Private: the fill colour and font last set on 'page' (libharu writes
     * every call out, and clears a 512-byte buffer for each), and the text
     * object left open there for the next line, which starts at (tx, ty). */
    struct iom_pdf_drawn {
        HPDF_Page page;           /* NULL: nothing known */
        bool has_fill;
        float fill[3];
        HPDF_Font font;
        float size;
        bool in_text;
        float tx, ty;
    } drawn;

    /*
     * The encoding of both fonts: "UTF-8" (CID fonts, any character) or a
     * single-byte code page, whose codes are then n_codes pairs sorted by
     * code point (private).
     */
    const char *encoding;
    struct iom_pdf_code {
        uint16_t cp;
        uint8_t code;
    } codes[224];
    size_t n_codes;
    struct iom_buf encoded;       /* private: text in the fonts' encoding */
    /*
     * Private, for a code page: the width of each code in each face, in
     * font units, once libharu has measured it in this document (-1: not
     * yet).  The first measure marks the glyph as used for the subset, so
     * the document embeds what it would without this.
     */
    int64_t code_width[IOM_PDF_FACES][256];
    /* Document information and outline titles are UTF-16 (always with
     * iom_pdf_open(), else once one needs it); otherwise PDFDocEncoding. */
    bool utf16_strings;
};

/*
 * Start a document for 'path' (borrowed until iom_pdf_close()): A4
 * portrait, compressed, UTF-8, with the TrueType files 'regular' and
 * 'bold' embedded.  'bold' may be NULL: bold text is then the regular face
 * drawn with a thin outline.  A font that cannot be loaded gives IOM_EFONT.
 * Call iom_pdf_close() afterwards whatever this returns.
 */
enum iom_status iom_pdf_open(struct iom_pdf *pdf, const char *path,
                             const char *regular, const char *bold);

/*
 * The same, with both fonts in the cheapest encoding that draws every
 * character of 'text' (all the text the document will draw, the caller's
 * own words included; the replacement of a character the fonts lack and
 * this layer's ellipsis are accounted for here): the first single-byte
 * code page that holds them all, else UTF-8.  A single-byte font costs a
 * fraction of a CID font to build and to save.  Document information and
 * outline titles are then written in PDFDocEncoding when they fit (a
 * quarter of the bytes of UTF-16).  'text' NULL means UTF-8 fonts and
 * UTF-16 strings, as iom_pdf_open() does (which shares nothing).  Text passed to the other functions stays UTF-8
 * either way; a character outside the code page chosen is drawn as '?'
 * and counted in n_replaced.
 */
enum iom_status iom_pdf_open_for(struct iom_pdf *pdf, const char *path,
                                 const char *regular, const char *bold,
                                 const struct iom_charset *text,
                                 struct iom_pdf_shared *shared);

/* Room for what is wrong with a font file, as iom_pdf_font_check() says. */
#define IOM_PDF_WHY_MAX 160

/*
 * Whether the TrueType file 'path' is a font this layer can use: it is
 * read as iom_pdf_open() reads it (its character map, its tables) and
 * loaded into a libharu document of its own.  IOM_OK; IOM_EFONT with what
 * is wrong in 'why' ('size' bytes; IOM_PDF_WHY_MAX is enough); IOM_ENOMEM.
 * Prints nothing.  A font that passes may still fail a document (a glyph
 * that cannot be read): that document then fails with IOM_EFONT, naming
 * the font files, never with a write error.
 */
enum iom_status iom_pdf_font_check(const char *path, char *why, size_t size);

/*
 * What the documents one process renders one after the other may share
 * (the 'shared' of iom_pdf_open_for(); NULL: a document of its own): one
 * libharu document object, renewed for each document, which keeps the
 * font files it has parsed, and their coverage.  A document renders to
 * the same bytes either way.  One document at a time: open the next after
 * iom_pdf_close() of the last; free after the last.  After a failed
 * document the next one starts afresh.
 */
enum iom_status iom_pdf_shared_new(struct iom_pdf_shared **out);
void iom_pdf_shared_free(struct iom_pdf_shared *sh);     /* NULL: no-op */

/* Free everything; 'pdf' is zeroed.  Safe on a zeroed or failed pdf. */
void iom_pdf_close(struct iom_pdf *pdf);

/* Document information; every string may be NULL (left out). */
enum iom_status iom_pdf_set_info(struct iom_pdf *pdf,
                                 const struct iom_pdf_info *info);

/* Add a page, call on_page, leave pdf->y at the top of the free space. */
enum iom_status iom_pdf_add_page(struct iom_pdf *pdf);

/* Add a page when less than 'height' points are left above the bottom
 * margin (or when there is no page yet). */
enum iom_status iom_pdf_ensure(struct iom_pdf *pdf, float height);

/*
 * Append s[0..len) to 'out' made drawable in 'face': TAB becomes four
 * spaces, other control and invisible format characters are dropped ('\n'
 * is kept when 'keep_newlines'), and a character the font lacks becomes
 * pdf->replacement and is counted in pdf->n_replaced.
 */
enum iom_status iom_pdf_clean(struct iom_pdf *pdf, enum iom_pdf_face face,
                              const char *s, size_t len, bool keep_newlines,
                              struct iom_buf *out);

/* Width in points of cleaned text s[0..len) in 'face' at 'size'. */
float iom_pdf_width(struct iom_pdf *pdf, enum iom_pdf_face face, float size,
                    const char *s, size_t len);

/*
 * Break cleaned text into lines no wider than 'first' points (the first
 * line) and 'rest' (the others), appending them to 'out'.  Lines break at
 * spaces, which are not part of any line, and at '\n'; a word wider than a
 * line is split between characters, never inside a UTF-8 sequence.  Empty
 * text gives no line.
 */
enum iom_status iom_pdf_wrap(struct iom_pdf *pdf, enum iom_pdf_face face,
                             float size, const char *s, float first,
                             float rest, struct iom_pdf_lines *out);
void iom_pdf_lines_release(struct iom_pdf_lines *lines);

/* Draw cleaned text s[0..len) with its baseline at (x, baseline). */
enum iom_status iom_pdf_draw(struct iom_pdf *pdf,
                             const struct iom_pdf_style *st, float x,
                             float baseline, const char *s, size_t len);

/* The baseline of a line whose box starts 'top' points up the page. */
float iom_pdf_baseline(const struct iom_pdf *pdf,
                       const struct iom_pdf_style *st, float top);

enum iom_pdf_align {
    IOM_PDF_LEFT,
    IOM_PDF_RIGHT,
    IOM_PDF_CENTER
};

/*
 * A text cleaned and wrapped for one style and width, ready to be measured
 * (a table row's height) and drawn.  The caller owns the struct and calls
 * iom_pdf_block_release() whatever iom_pdf_block_init() returned; 'st' is
 * borrowed for the block's life.
 */
struct iom_pdf_block {
    const struct iom_pdf_style *st;
    float width;                /* of the first line; the others: - hang */
    float hang;                 /* indent of every line after the first */
    struct iom_buf text;        /* cleaned text the lines index */
    struct iom_pdf_lines lines;
};

enum iom_status iom_pdf_block_init(struct iom_pdf *pdf,
                                   struct iom_pdf_block *b,
                                   const struct iom_pdf_style *st,
                                   const char *s, float width, float hang);
void iom_pdf_block_release(struct iom_pdf_block *b);

/* Lines times leading: the height the block needs. */
float iom_pdf_block_height(const struct iom_pdf_block *b);

/* Draw the block's lines from 'top' down within [x, x + b->width], on the
 * current page whatever room is left (see iom_pdf_ensure()). */
enum iom_status iom_pdf_block_draw(struct iom_pdf *pdf,
                                   const struct iom_pdf_block *b, float x,
                                   float top, enum iom_pdf_align align);

/* The same for its lines [from, to) alone (fewer when it has fewer), line
 * 'from' at 'top': a block too tall for one page is drawn in parts. */
enum iom_status iom_pdf_block_draw_lines(struct iom_pdf *pdf,
                                         const struct iom_pdf_block *b,
                                         size_t from, size_t to, float x,
                                         float top,
                                         enum iom_pdf_align align);

/*
 * The same for the block that names a row (a project's ID, a fact's
 * label) whose lines [from, to) are drawn beside it: when a row runs over
 * pages past the block's last line, its first lines are drawn again, so
 * that each page says whose row it is.
 */
enum iom_status iom_pdf_block_draw_key(struct iom_pdf *pdf,
                                       const struct iom_pdf_block *b,
                                       size_t from, size_t to, float x,
                                       float top, enum iom_pdf_align align);

/*
 * Lines 'leading' apart that fit from pdf->y down to the bottom margin,
 * 'pad' kept free above and below them; a hair over, so that lines
 * measured to fit never lose the last to rounding.
 */
size_t iom_pdf_lines_fit(const struct iom_pdf *pdf, float leading,
                         float pad);

/* Draw 's' wrapped in [x, x + width] from 'top' down; no page flow. */
enum iom_status iom_pdf_text(struct iom_pdf *pdf,
                             const struct iom_pdf_style *st, float x,
                             float top, float width,
                             enum iom_pdf_align align, const char *s);

/* Width of the content box: the page less the left and right margins. */
float iom_pdf_content_width(const struct iom_pdf *pdf);

/*
 * Clean, wrap and draw 's' from pdf->y down, first line at 'x', the others
 * at x + hang, all within 'width' points of 'x'; lines that do not fit go
 * to new pages, never leaving one line of the paragraph alone at the foot
 * or the head of a page.  pdf->y ends below the last line.
 */
enum iom_status iom_pdf_paragraph(struct iom_pdf *pdf,
                                  const struct iom_pdf_style *st, float x,
                                  float width, float hang, const char *s);

/* Fill a rectangle in the current page. */
enum iom_status iom_pdf_rect(struct iom_pdf *pdf, const float rgb[3],
                             float x, float y, float w, float h);
/* A straight line of 'width' points from (x0, y0) to (x1, y1) in the
 * current page. */
enum iom_status iom_pdf_line(struct iom_pdf *pdf, const float rgb[3],
                             float width, float x0, float y0, float x1,
                             float y1);

/*
 * On every page, draw 'left' (cleaned here) at the left and "Page N of M"
 * at the right, baseline 'baseline' points above the page's bottom edge;
 * a 'left' too long for the room is cut with an ellipsis.  Call once,
 * after the last page.
 */
enum iom_status iom_pdf_footers(struct iom_pdf *pdf,
                                const struct iom_pdf_style *st,
                                float baseline, const char *left);

/* A link without a border over 'rect' of 'page' that opens page 'to'. */
enum iom_status iom_pdf_link(struct iom_pdf *pdf, HPDF_Page page,
                             HPDF_Rect rect, HPDF_Page to);

/* An outline entry 'title' under 'parent' (NULL: top level) that opens
 * 'page'; *out receives it. */
enum iom_status iom_pdf_outline(struct iom_pdf *pdf, HPDF_Outline parent,
                                const char *title, HPDF_Page page,
                                HPDF_Outline *out);

/* Write the file; a write failure gives IOM_EIO (the file may be partial). */
enum iom_status iom_pdf_save(struct iom_pdf *pdf);

#endif
