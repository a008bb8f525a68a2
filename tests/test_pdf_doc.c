/*
 * pdf_doc: measuring, cleaning and wrapping with the real DejaVu fonts from
 * fonts/ (tests run from the repository root), plus the error paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf_utils.h>

#include "iom/pdf_doc.h"
#include "iom/text.h"

#include "fixture.h"

#define REGULAR "fonts/DejaVuSans.ttf"
#define BOLD "fonts/DejaVuSans-Bold.ttf"
#define FFFD "\xEF\xBF\xBD"

struct fixture {
    struct iom_pdf pdf;
    char dir[64];
    char path[96];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);

    assert_non_null(f);
    fixture_tmpdir(f->dir, sizeof f->dir, "test_pdf_doc");
    snprintf(f->path, sizeof f->path, "%s/out.pdf", f->dir);
    assert_int_equal(iom_pdf_open(&f->pdf, f->path, REGULAR, BOLD), IOM_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;

    iom_pdf_close(&f->pdf);
    fixture_rmtree(f->dir);
    free(f);
    return 0;
}

/* Wrap 's' at 'width' and check every line against the width. */
static void
wrap_checked(struct iom_pdf *pdf, const char *s, float width,
             struct iom_pdf_lines *got)
{
    size_t i;

    assert_int_equal(iom_pdf_wrap(pdf, IOM_PDF_REGULAR, 10, s, width, width,
                                  got), IOM_OK);
    for (i = 0; i < got->n; i++) {
        const struct iom_pdf_line *l = &got->v[i];
        float w = iom_pdf_width(pdf, IOM_PDF_REGULAR, 10, s + l->off, l->len);

        assert_true(iom_utf8_valid(s + l->off, l->len, NULL));
        assert_true(w <= width + 0.01f);
        assert_true(w >= l->width - 0.01f && w <= l->width + 0.01f);
    }
}

/* The lines joined without separators equal 's' without spaces. */
static void
assert_same_words(const char *s, const struct iom_pdf_lines *lines)
{
    char *exp = calloc(1, strlen(s) + 1), *got = calloc(1, strlen(s) + 1);
    size_t i, j, n = 0;

    assert_true(exp && got);
    for (i = 0; s[i]; i++)
        if (s[i] != ' ' && s[i] != '\n')
            exp[n++] = s[i];
    n = 0;
    for (i = 0; i < lines->n; i++)
        for (j = 0; j < lines->v[i].len; j++)
            if (s[lines->v[i].off + j] != ' ')
                got[n++] = s[lines->v[i].off + j];
    assert_string_equal(got, exp);
    free(exp);
    free(got);
}

static void
test_pdf_doc_width_is_sum_of_glyphs(void **state)
{
    struct fixture *f = *state;
    float a = iom_pdf_width(&f->pdf, IOM_PDF_REGULAR, 10, "C", 1);
    float b = iom_pdf_width(&f->pdf, IOM_PDF_REGULAR, 10, "\xC3\xB4", 2);
    float ab = iom_pdf_width(&f->pdf, IOM_PDF_REGULAR, 10, "C\xC3\xB4", 3);
    float bold = iom_pdf_width(&f->pdf, IOM_PDF_BOLD, 10, "C\xC3\xB4", 3);

    assert_true(a > 5 && b > 4);
    assert_true(ab > a + b - 0.01f && ab < a + b + 0.01f);
    assert_true(bold > ab);
    assert_true(iom_pdf_width(&f->pdf, IOM_PDF_REGULAR, 20, "C", 1) > 2 * a -
                0.01f);
}

static void
test_pdf_doc_prose_lines_never_exceed_width(void **state)
{
    static const float widths[] = { 40, 90, 150, 233.5f, 480 };
    static const char text[] =
        "IOM and IMP convened a migration policy seminar for the Caribbean "
        "region in Jamaica from 28 May to 1 June 2001, as a follow-up to the "
        "regional meeting in Santo Domingo. C\xC3\xB4te d\xE2\x80\x99Ivoire, "
        "S\xC3\xA3o Tom\xC3\xA9 and Pr\xC3\xADncipe, T\xC3\xBCrkiye and "
        "Cura\xC3\xA7" "ao \xE2\x80\x93 \xE2\x80\x9Cquoted\xE2\x80\x9D.";
    struct fixture *f = *state;
    size_t i;

    for (i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        struct iom_pdf_lines got = { NULL, 0, 0 };

        wrap_checked(&f->pdf, text, widths[i], &got);
        assert_true(got.n >= 1);
        assert_same_words(text, &got);
        /* no line starts or ends with the space it broke at */
        assert_int_not_equal(text[got.v[got.n - 1].off], ' ');
        iom_pdf_lines_release(&got);
    }
}

static void
test_pdf_doc_word_longer_than_line_is_broken(void **state)
{
    struct fixture *f = *state;
    struct iom_pdf_lines got = { NULL, 0, 0 };
    char text[512 + 8];

    memcpy(text, "short ", 6);
    memset(text + 6, 'x', 500);
    strcpy(text + 506, " tail");
    wrap_checked(&f->pdf, text, 100, &got);
    assert_true(got.n > 5);
    assert_int_equal(got.v[0].len, 5);        /* "short" stays whole */
    assert_same_words(text, &got);
    /* the tail of the long word shares its line with the next word */
    assert_non_null(strstr(text + got.v[got.n - 1].off, "x tail"));
    iom_pdf_lines_release(&got);
}

static void
test_pdf_doc_break_respects_utf8(void **state)
{
    static const char *const chars[] = { "\xC3\xA9", "\xE2\x82\xAC", "a" };
    struct fixture *f = *state;
    char text[3 * 400 + 1];
    size_t i, n = 0;

    for (i = 0; i < 400; i++) {
        size_t k = strlen(chars[i % 3]);

        memcpy(text + n, chars[i % 3], k);
        n += k;
    }
    text[n] = '\0';
    for (i = 0; i < 3; i++) {
        struct iom_pdf_lines got = { NULL, 0, 0 };

        wrap_checked(&f->pdf, text, 37.0f + 40 * (float)i, &got);
        assert_true(got.n > 1);
        assert_same_words(text, &got);
        iom_pdf_lines_release(&got);
    }
}

static void
test_pdf_doc_narrow_box_still_progresses(void **state)
{
    struct fixture *f = *state;
    struct iom_pdf_lines got = { NULL, 0, 0 };

    /* narrower than any glyph: one character per line, no endless loop */
    assert_int_equal(iom_pdf_wrap(&f->pdf, IOM_PDF_REGULAR, 10, "ab\xC3\xA9",
                                  1, 1, &got), IOM_OK);
    assert_int_equal(got.n, 3);
    assert_int_equal(got.v[2].len, 2);
    iom_pdf_lines_release(&got);
}

static void
test_pdf_doc_first_line_width_differs(void **state)
{
    struct fixture *f = *state;
    struct iom_pdf_lines got = { NULL, 0, 0 };
    const char *s = "aaa bbb ccc ddd eee fff";
    float w = iom_pdf_width(&f->pdf, IOM_PDF_REGULAR, 10, "aaa bbb ccc", 11);
    size_t i;

    assert_int_equal(iom_pdf_wrap(&f->pdf, IOM_PDF_REGULAR, 10, s, w, w / 2,
                                  &got), IOM_OK);
    assert_int_equal(got.n, 4);
    assert_int_equal(got.v[0].len, 11);
    for (i = 1; i < got.n; i++)
        assert_int_equal(got.v[i].len, 3);
    iom_pdf_lines_release(&got);
}

static void
test_pdf_doc_newlines_and_empty_text(void **state)
{
    struct fixture *f = *state;
    struct iom_pdf_lines got = { NULL, 0, 0 };

    assert_int_equal(iom_pdf_wrap(&f->pdf, IOM_PDF_REGULAR, 10, "", 100, 100,
                                  &got), IOM_OK);
    assert_int_equal(got.n, 0);
    assert_int_equal(iom_pdf_wrap(&f->pdf, IOM_PDF_REGULAR, 10, "a\n\nb",
                                  100, 100, &got), IOM_OK);
    assert_int_equal(got.n, 3);
    assert_int_equal(got.v[1].len, 0);
    assert_int_equal(got.v[2].off, 3);
    iom_pdf_lines_release(&got);
}

static void
test_pdf_doc_clean_replaces_missing_glyphs(void **state)
{
    static const struct {
        const char *in;
        bool keep_newlines;
        const char *exp;
        size_t replaced;
    } cases[] = {
        { "a\tb", false, "a    b", 0 },
        { "a\x01" "b\x7f" "c\xC2\x85" "d", false, "abcd", 0 },
        { "soft\xC2\xADhyphen\xEF\xBB\xBF", false, "softhyphen", 0 },
        { "l1\nl2\r\n", true, "l1\nl2\n", 0 },
        { "l1\nl2", false, "l1 l2", 0 },
        { "C\xC3\xB4te \xE2\x82\xAC", false, "C\xC3\xB4te \xE2\x82\xAC", 0 },
        { "x\xE4\xB8\xADy", false, "x" FFFD "y", 1 },               /* CJK */
        { "\xF0\x9F\x98\x80\xEF\xB8\x8F!", false, FFFD "!", 1 },   /* emoji */
    };
    struct fixture *f = *state;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_buf got = IOM_BUF_INIT;
        size_t before = f->pdf.n_replaced;

        assert_int_equal(iom_pdf_clean(&f->pdf, IOM_PDF_REGULAR, cases[i].in,
                                       strlen(cases[i].in),
                                       cases[i].keep_newlines, &got), IOM_OK);
        assert_string_equal(got.data, cases[i].exp);
        assert_int_equal(f->pdf.n_replaced - before, cases[i].replaced);
        iom_buf_release(&got);
    }
    assert_int_equal(f->pdf.first_replaced, 0x4E2D);
    assert_string_equal(f->pdf.replacement, FFFD);
}

/*
 * No line of a paragraph alone at the foot or the head of a page: with
 * room for 'room' lines left, an n-line paragraph goes on a new page (or
 * not), and ends 'last' lines down the page it ends on.
 */
static void
test_pdf_doc_paragraph_keeps_lines_together(void **state)
{
    static const struct iom_pdf_style st = { IOM_PDF_REGULAR, 10, 13,
                                             { 0, 0, 0 } };
    static const struct {
        int room;
        const char *text;
        bool new_page;
        int last;
    } cases[] = {
        { 1, "a\nb\nc\nd\ne", true, 5 },  /* the first would be alone */
        { 4, "a\nb\nc\nd\ne", true, 2 },  /* so would the last */
        { 2, "a\nb\nc", true, 3 },        /* three lines never split */
        { 3, "a\nb\nc", false, 0 },       /* room for all */
        { 1, "a", false, 0 },             /* one line where it fits */
    };
    struct fixture *f = *state;
    size_t i, pages;
    float top;

    assert_int_equal(iom_pdf_add_page(&f->pdf), IOM_OK);
    top = f->pdf.y;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        f->pdf.y = f->pdf.bottom + (float)cases[i].room * st.leading + 0.5f;
        pages = f->pdf.n_pages;
        assert_int_equal(iom_pdf_paragraph(&f->pdf, &st, f->pdf.left, 200, 0,
                                           cases[i].text), IOM_OK);
        assert_int_equal(f->pdf.n_pages, pages + cases[i].new_page);
        if (cases[i].new_page)
            assert_float_equal(f->pdf.y,
                               top - (float)cases[i].last * st.leading,
                               0.01);
    }
}

static void
test_pdf_doc_pages_footers_outline_save(void **state)
{
    static const struct iom_pdf_style st = { IOM_PDF_REGULAR, 10, 13,
                                             { 0, 0, 0 } };
    struct fixture *f = *state;
    struct iom_pdf_info info = { "T\xC3\xADtulo", "s", "a", "c", "k", 0 };
    HPDF_Outline o;
    char word[16];
    size_t per;
    int i;

    assert_int_equal(iom_pdf_set_info(&f->pdf, &info), IOM_OK);
    assert_int_equal(iom_pdf_add_page(&f->pdf), IOM_OK);
    assert_int_equal(iom_pdf_outline(&f->pdf, NULL, "S\xC3\xA3o",
                                     f->pdf.page, &o), IOM_OK);
    assert_non_null(o);
    for (i = 0; i < 3000; i++) {
        snprintf(word, sizeof word, "w%d ", i);
        assert_int_equal(iom_pdf_paragraph(&f->pdf, &st, f->pdf.left, 200, 0,
                                           word), IOM_OK);
        assert_true(f->pdf.y >= f->pdf.bottom - st.leading);
    }
    per = (size_t)((f->pdf.height - f->pdf.top - f->pdf.bottom + 0.01f) /
                   st.leading);
    assert_int_equal(f->pdf.n_pages, (3000 + per - 1) / per);
    assert_int_equal(iom_pdf_footers(&f->pdf, &st, 30, "Project X"), IOM_OK);
    assert_int_equal(iom_pdf_save(&f->pdf), IOM_OK);
    fixture_assert_pdf(f->path);
}

/* The encoding iom_pdf_open_for() gives the fonts for the text 's'. */
static const char *
encoding_for(const char *s)
{
    static char got[16];
    struct iom_charset *cs = calloc(1, sizeof *cs);
    struct iom_pdf pdf;

    assert_non_null(cs);
    iom_charset_add_utf8(cs, s);
    assert_int_equal(iom_pdf_open_for(&pdf, "/tmp/x.pdf", REGULAR, BOLD, cs,
                                      NULL),
                     IOM_OK);
    snprintf(got, sizeof got, "%s", pdf.encoding);
    iom_pdf_close(&pdf);
    free(cs);
    return got;
}

static void
test_pdf_doc_cheapest_encoding_that_covers_the_text(void **state)
{
    (void)state;
    /* typographic quotes, dashes and the euro are CP1252's */
    assert_string_equal(encoding_for("C\xC3\xB4te d\xE2\x80\x99Ivoire "
                                     "\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80"
                                     "\x93 \xE2\x82\xAC 5"), "CP1252");
    /* Polish: Łódź, Gdańsk */
    assert_string_equal(encoding_for("\xC5\x81\xC3\xB3" "d\xC5\xBA, "
                                     "Gda\xC5\x84sk"), "CP1250");
    /* Romanian with cedillas: Constanţa, Iaşi, Bârlad */
    assert_string_equal(encoding_for("Constan\xC5\xA3" "a, Ia\xC5\x9Fi, "
                                     "B\xC3\xA2rlad"), "CP1250");
    /* Turkish: Şanlıurfa, Iğdır */
    assert_string_equal(encoding_for("\xC5\x9E" "anl\xC4\xB1urfa, "
                                     "I\xC4\x9F" "d\xC4\xB1r"), "CP1254");
    /* Cyrillic, Greek, Baltic */
    assert_string_equal(encoding_for("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA"
                                     "\xD0\xB2\xD0\xB0"), "CP1251");
    assert_string_equal(encoding_for("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD"
                                     "\xCE\xB1"), "CP1253");
    assert_string_equal(encoding_for("\xC5\xA0iauliai, R\xC4\xABga"),
                        "CP1257");
    /* no single page: Polish and Turkish together, CJK (which DejaVu
     * lacks: the replacement character), above the BMP, Romanian with
     * the comma below, and the mu libharu misnames */
    assert_string_equal(encoding_for("\xC5\x81\xC3\xB3" "d\xC5\xBA "
                                     "I\xC4\x9F" "d\xC4\xB1r"), "UTF-8");
    assert_string_equal(encoding_for("\xE5\x8C\x97\xE4\xBA\xAC"),
                        "UTF-8");
    assert_string_equal(encoding_for("a \xF0\x9F\x98\x80"), "UTF-8");
    assert_string_equal(encoding_for("Constan\xC8\x9B" "a"), "UTF-8");
    assert_string_equal(encoding_for("\xCE\xBC"), "UTF-8");
    /* invisible characters draw nothing and need no code */
    assert_string_equal(encoding_for("a\xE2\x80\x8B\t\xE2\x80\xA8" "b"),
                        "CP1252");
}

static void
test_pdf_doc_code_page_measures_and_draws_as_utf8(void **state)
{
    static const struct iom_pdf_style st = { IOM_PDF_BOLD, 10, 13,
                                             { 0, 0, 0 } };
    static const char text[] = "\xC5\x9E" "anl\xC4\xB1urfa \xE2\x80\x93 "
                               "\xE2\x80\x9Cx\xE2\x80\x9D";
    struct fixture *f = *state;
    struct iom_charset *cs = calloc(1, sizeof *cs);
    struct iom_pdf sb;
    float w;

    assert_non_null(cs);
    iom_charset_add_utf8(cs, text);
    assert_int_equal(iom_pdf_open_for(&sb, f->path, REGULAR, BOLD, cs, NULL),
                     IOM_OK);
    free(cs);
    assert_string_equal(sb.encoding, "CP1254");
    w = iom_pdf_width(&f->pdf, IOM_PDF_BOLD, 10, text, strlen(text));
    assert_true(w > 0);
    assert_true(iom_pdf_width(&sb, IOM_PDF_BOLD, 10, text, strlen(text)) ==
                w);
    /* again, from the widths the document has learnt, and in pieces */
    assert_true(iom_pdf_width(&sb, IOM_PDF_BOLD, 10, text, strlen(text)) ==
                w);
    assert_float_equal(iom_pdf_width(&sb, IOM_PDF_BOLD, 10, text, 7) +
                       iom_pdf_width(&sb, IOM_PDF_BOLD, 10, text + 7,
                                     strlen(text) - 7), w, 0.001f);
    assert_int_equal(iom_pdf_add_page(&sb), IOM_OK);
    assert_int_equal(iom_pdf_draw(&sb, &st, 50, 700, text, strlen(text)),
                     IOM_OK);
    assert_int_equal(sb.n_replaced, 0);
    /* a character the page lacks is drawn as '?' and counted */
    assert_int_equal(iom_pdf_draw(&sb, &st, 50, 680, "\xC5\x81", 2), IOM_OK);
    assert_int_equal(sb.n_replaced, 1);
    assert_int_equal(sb.first_replaced, 0x141);
    assert_int_equal(iom_pdf_save(&sb), IOM_OK);
    iom_pdf_close(&sb);
    fixture_assert_pdf(f->path);
}

/* A small document with text in both faces, saved to 'path'. */
static void
render_sample(const char *path, const char *bold, const char *text,
              struct iom_pdf_shared *sh)
{
    static const struct iom_pdf_style st[2] = {
        { IOM_PDF_REGULAR, 10, 13, { 0, 0, 0 } },
        { IOM_PDF_BOLD, 12, 15, { 0, 0, 0 } }
    };
    struct iom_charset *cs = calloc(1, sizeof *cs);
    struct iom_pdf pdf;

    assert_non_null(cs);
    iom_charset_add_utf8(cs, text);
    assert_int_equal(iom_pdf_open_for(&pdf, path, REGULAR, bold, cs, sh),
                     IOM_OK);
    free(cs);
    assert_int_equal(iom_pdf_add_page(&pdf), IOM_OK);
    assert_int_equal(iom_pdf_paragraph(&pdf, &st[0], pdf.left, 300, 0, text),
                     IOM_OK);
    assert_int_equal(iom_pdf_paragraph(&pdf, &st[1], pdf.left, 300, 0, text),
                     IOM_OK);
    assert_int_equal(iom_pdf_save(&pdf), IOM_OK);
    iom_pdf_close(&pdf);
}

/* fopen(path, mode) and write p[0..n). */
static void
write_bytes(const char *path, const char *mode, const void *p, size_t n)
{
    FILE *out = fopen(path, mode);

    assert_non_null(out);
    assert_int_equal(fwrite(p, 1, n, out), n);
    assert_int_equal(fclose(out), 0);
}

static void
assert_same_bytes(const char *path_a, const char *path_b)
{
    size_t na, nb;
    char *a = fixture_read_file(path_a, &na);
    char *b = fixture_read_file(path_b, &nb);

    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
}

/* Documents rendered in turn on one shared object are byte for byte those
 * rendered alone, whatever came before them: other glyphs, CID fonts,
 * other font files, a failed document. */
static void
test_pdf_doc_shared_object_renders_same_bytes(void **state)
{
    static const char *const texts[] = {
        "Abc d\xE2\x80\x99" "e", "xyz \xC5\x81\xC3\xB3" "d\xC5\xBA",
        "\xE5\x8C\x97 w", "Abc d\xE2\x80\x99" "e"
    };
    struct fixture *f = *state;
    struct iom_pdf_shared *sh;
    struct iom_pdf bad;
    char alone[128], shared[128];
    size_t i;
    int b;

    assert_int_equal(iom_pdf_shared_new(&sh), IOM_OK);
    for (i = 0; i < 2 * sizeof texts / sizeof *texts; i++) {
        const char *bold = i % 3 == 2 ? NULL : BOLD;
        const char *text = texts[i % (sizeof texts / sizeof *texts)];

        snprintf(alone, sizeof alone, "%s/alone.pdf", f->dir);
        snprintf(shared, sizeof shared, "%s/shared.pdf", f->dir);
        render_sample(alone, bold, text, NULL);
        render_sample(shared, bold, text, sh);
        assert_same_bytes(alone, shared);
        if (i == 4) {
            /* a failure: the next document starts on a new object */
            assert_int_equal(iom_pdf_open_for(&bad, "/nonexistent/x.pdf",
                                              REGULAR, BOLD, NULL, sh),
                             IOM_OK);
            assert_int_equal(iom_pdf_add_page(&bad), IOM_OK);
            assert_int_equal(iom_pdf_save(&bad), IOM_EIO);
            iom_pdf_close(&bad);
        }
    }
    for (b = 0; b < 2; b++) {
        assert_int_equal(iom_pdf_open_for(&bad, alone, "fonts/nope.ttf",
                                          b ? BOLD : NULL, NULL, sh),
                         IOM_EFONT);
        iom_pdf_close(&bad);
    }
    iom_pdf_shared_free(sh);
}

/* The shared object keeps the font files it parsed in memory: a file
 * changed on disk after its first document does not reach the next one,
 * which still renders the bytes of a document alone. */
static void
test_pdf_doc_shared_object_reads_font_once(void **state)
{
    struct fixture *f = *state;
    struct iom_pdf_shared *sh;
    char copy[128], alone[128], shared[128];
    char *font;
    size_t n;

    snprintf(copy, sizeof copy, "%s/bold-copy.ttf", f->dir);
    snprintf(alone, sizeof alone, "%s/alone.pdf", f->dir);
    snprintf(shared, sizeof shared, "%s/shared.pdf", f->dir);
    font = fixture_read_file(BOLD, &n);
    write_bytes(copy, "wb", font, n);
    assert_int_equal(iom_pdf_shared_new(&sh), IOM_OK);
    render_sample(shared, copy, "Abc", sh);
    /* the same file, its bytes zeroed where it stands */
    memset(font, 0, n);
    write_bytes(copy, "r+b", font, n);
    free(font);
    render_sample(shared, copy, "xyz Wq", sh);
    render_sample(alone, BOLD, "xyz Wq", NULL);
    assert_same_bytes(alone, shared);
    iom_pdf_shared_free(sh);
}

static void
test_pdf_doc_missing_font_fails(void **state)
{
    struct iom_pdf pdf;

    (void)state;
    assert_int_equal(iom_pdf_open(&pdf, "/tmp/x.pdf", "fonts/nope.ttf", NULL),
                     IOM_EFONT);
    iom_pdf_close(&pdf);
    assert_int_equal(iom_pdf_open(&pdf, "/tmp/x.pdf", REGULAR, "Makefile"),
                     IOM_EFONT);
    iom_pdf_close(&pdf);
}

static void
assert_font_refused(const char *regular, const char *bold,
                    const char *file, const char *why)
{
    struct iom_pdf pdf;
    enum iom_status st;
    char *err, exp[512];

    fixture_capture_begin(STDERR_FILENO);
    st = iom_pdf_open(&pdf, "/tmp/x.pdf", regular, bold);
    err = fixture_capture_end();

    snprintf(exp, sizeof exp, "iomreport: cannot load font '%s': %s\n",
             file, why);
    assert_int_equal(st, IOM_EFONT);
    assert_string_equal(err, exp);
    free(err);
    iom_pdf_close(&pdf);
}

#define NO_MAP "no readable Unicode character map (cmap format 4)"
#define NOT_A_FONT "tests/data/not_a_font.ttf"

static void
test_pdf_doc_file_that_is_not_a_font_is_refused(void **state)
{
    (void)state;
    assert_font_refused(NOT_A_FONT, BOLD, NOT_A_FONT, NO_MAP);
    assert_font_refused(REGULAR, NOT_A_FONT, NOT_A_FONT, NO_MAP);
    assert_font_refused(NOT_A_FONT, NULL, NOT_A_FONT, NO_MAP);
    assert_font_refused("fonts/nope.ttf", NULL, "fonts/nope.ttf",
                        "No such file or directory");
}

static unsigned
be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static size_t
be32(const unsigned char *p)
{
    return (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
}

static void
put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/*
 * DejaVu Sans with a character map that maps nothing: every subtable
 * record points at the format 4 one, whose segments become one code
 * point each, mapped to glyph 0.  libharu loads such a font; it has no
 * character to draw.
 */
static void
write_font_mapping_nothing(const char *path)
{
    size_t len, i, cmap = 0;
    unsigned char *f = (unsigned char *)fixture_read_file(REGULAR, &len);
    unsigned n, seg, first = 0;
    FILE *out;

    for (i = 0; i < be16(f + 4); i++)
        if (memcmp(f + 12 + 16 * i, "cmap", 4) == 0)
            cmap = be32(f + 12 + 16 * i + 8);
    assert_true(cmap > 0);
    n = be16(f + cmap + 2);
    for (i = 0; i < n; i++) {
        unsigned char *rec = f + cmap + 4 + 8 * i;

        if (be16(f + cmap + be32(rec + 4)) == 4)
            first = (unsigned)be32(rec + 4);
    }
    assert_true(first > 0);
    for (i = 0; i < n; i++) {
        unsigned char *rec = f + cmap + 4 + 8 * i;

        put16(rec + 4, first >> 16);
        put16(rec + 6, first & 0xFFFF);
    }
    seg = be16(f + cmap + first + 6) / 2;
    for (i = 0; i < seg; i++) {
        unsigned char *t = f + cmap + first;
        unsigned start = be16(t + 16 + 2 * seg + 2 * i);

        put16(t + 14 + 2 * i, start);                        /* end */
        put16(t + 16 + 4 * seg + 2 * i, (0x10000 - start) & 0xFFFF);
        put16(t + 16 + 6 * seg + 2 * i, 0);                  /* no ranges */
    }
    out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(f, 1, len, out), len);
    assert_int_equal(fclose(out), 0);
    free(f);
}

static void
test_pdf_doc_font_whose_map_maps_nothing_is_refused(void **state)
{
    char dir[64], path[96];

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "test_pdf_doc_nomap");
    snprintf(path, sizeof path, "%s/DejaVuSans.ttf", dir);
    write_font_mapping_nothing(path);
    assert_font_refused(path, BOLD, path, NO_MAP);
    assert_font_refused(REGULAR, path, path, NO_MAP);
    fixture_rmtree(dir);
}

static void
test_pdf_doc_unwritable_path_fails_with_eio(void **state)
{
    struct iom_pdf pdf;

    (void)state;
    assert_int_equal(iom_pdf_open(&pdf, "/nonexistent/dir/x.pdf", REGULAR,
                                  NULL), IOM_OK);
    assert_true(pdf.faux_bold);
    assert_int_equal(iom_pdf_add_page(&pdf), IOM_OK);
    assert_int_equal(iom_pdf_save(&pdf), IOM_EIO);
    /* sticky: later calls report the same failure and draw nothing */
    assert_int_equal(iom_pdf_add_page(&pdf), IOM_EIO);
    iom_pdf_close(&pdf);
}

/*
 * More pages than one page node of libharu holds (32,767): the document
 * is still written, with every page (libharu failed it with 0x1001).
 */
static void
test_pdf_doc_more_pages_than_one_node_saves(void **state)
{
    struct fixture *f = *state;
    const struct iom_pdf_style st = { IOM_PDF_REGULAR, 8, 10, { 0, 0, 0 } };
    char cmd[160], out[64] = "";
    FILE *p;
    int i;

    for (i = 0; i < 33000; i++) {
        assert_int_equal(iom_pdf_add_page(&f->pdf), IOM_OK);
        assert_int_equal(iom_pdf_draw(&f->pdf, &st, 60, 700, "p", 1), IOM_OK);
    }
    assert_int_equal(iom_pdf_save(&f->pdf), IOM_OK);
    snprintf(cmd, sizeof cmd, "qpdf --show-npages '%s'", f->path);
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, sizeof out, p));
    assert_int_equal(pclose(p), 0);
    assert_int_equal(atoi(out), 33000);
}

/*
 * The memory helpers that replace libharu's byte loops give its results:
 * the end of what was written, nothing written for no bytes, and a copy
 * onto an overlapping start that is right.
 */
static void
test_pdf_doc_memory_helpers_give_libharus_results(void **state)
{
    HPDF_BYTE buf[16] = "abcdefghij", other[16];

    (void)state;
    assert_ptr_equal(HPDF_MemSet(other, 'x', 5), other + 5);
    assert_memory_equal(other, "xxxxx", 5);
    assert_ptr_equal(HPDF_MemSet(other, 'y', 0), other);
    assert_int_equal(other[0], 'x');
    assert_ptr_equal(HPDF_MemCpy(other, buf, 4), other + 4);
    assert_memory_equal(other, "abcdx", 5);
    assert_ptr_equal(HPDF_MemCpy(other, buf, 0), other);
    assert_ptr_equal(HPDF_MemCpy(buf, buf + 2, 6), buf + 6);
    assert_memory_equal(buf, "cdefghghij", 10);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_shared_object_reads_font_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_doc_width_is_sum_of_glyphs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_prose_lines_never_exceed_width, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_word_longer_than_line_is_broken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_doc_break_respects_utf8,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_narrow_box_still_progresses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_doc_first_line_width_differs,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_pdf_doc_newlines_and_empty_text,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_clean_replaces_missing_glyphs, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_paragraph_keeps_lines_together, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_pages_footers_outline_save, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_more_pages_than_one_node_saves, setup, teardown),
        cmocka_unit_test(test_pdf_doc_cheapest_encoding_that_covers_the_text),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_code_page_measures_and_draws_as_utf8, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_pdf_doc_shared_object_renders_same_bytes, setup, teardown),
        cmocka_unit_test(test_pdf_doc_missing_font_fails),
        cmocka_unit_test(test_pdf_doc_memory_helpers_give_libharus_results),
        cmocka_unit_test(test_pdf_doc_file_that_is_not_a_font_is_refused),
        cmocka_unit_test(test_pdf_doc_font_whose_map_maps_nothing_is_refused),
        cmocka_unit_test(test_pdf_doc_unwritable_path_fails_with_eio),
    };

    return cmocka_run_group_tests_name("pdf_doc", tests, NULL, NULL);
}
