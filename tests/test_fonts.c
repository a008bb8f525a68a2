/*
 * test_fonts: the lookup order (--fonts DIR, else $IOMREPORT_FONTS, else
 * fonts/ under the working directory, the data folder beside the binary,
 * the system's DejaVu); a folder given that fails is IOM_EFONT naming the
 * file, a default one that fails (files missing, not fonts, damaged) is
 * passed over; damaged fonts are refused before any document, with what
 * is wrong; and a font that fails a document when it is saved is
 * IOM_EFONT naming the font, not a write error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/fonts.h"
#include "iom/msg.h"
#include "iom/pdf_doc.h"

#include "failpdf.h"
#include "fixture.h"

/* The damages of tests/damage_font.py, each with what the check says. */
static const struct {
    const char *how;
    const char *why;
} damages[] = {
    { "cut", "its table 'name' runs past the end of the file" },
    { "no-upem", "its 'head' table gives no units per em" },
    { "no-cmap", "no readable Unicode character map" },
    { "no-name", "libharu error 0x105F" },
    { "bad-loca", "lies outside its 'glyf' table" },
};
#define N_DAMAGES (sizeof damages / sizeof *damages)

struct dirs {
    char cwd[PATH_MAX];
    char a[32];        /* both fonts */
    char b[32];        /* both fonts */
    char half[32];     /* the regular font only */
    char empty[32];    /* nothing */
    char fake[32];     /* both names, neither a font */
    char damaged[32];  /* a folder of both fonts per damage */
};

static void
link_font(const struct dirs *d, const char *dir, const char *file)
{
    char from[PATH_MAX + 64], to[64];

    snprintf(from, sizeof from, "%s/fonts/%s", d->cwd, file);
    snprintf(to, sizeof to, "%s/%s", dir, file);
    assert_int_equal(symlink(from, to), 0);
}

/* A file that is not a font, under a font's name in d->fake. */
static void
fake_font(const struct dirs *d, const char *file)
{
    char from[PATH_MAX + 64], to[64];

    snprintf(from, sizeof from, "%s/tests/data/not_a_font.ttf", d->cwd);
    snprintf(to, sizeof to, "%s/%s", d->fake, file);
    assert_int_equal(symlink(from, to), 0);
}

/* The folder of both fonts with the damage 'how', into 'out'. */
static void
damaged_dir(const struct dirs *d, const char *how, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", d->damaged, how);
}

/* Make damaged_dir(how) with both fonts damaged so. */
static int
damage(const struct dirs *d, const char *how)
{
    const char *files[] = { IOM_FONT_REGULAR, IOM_FONT_BOLD };
    char dir[64], cmd[PATH_MAX + 256];
    size_t i;

    damaged_dir(d, how, dir, sizeof dir);
    if (mkdir(dir, 0755) != 0)
        return -1;
    for (i = 0; i < 2; i++) {
        snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/damage_font.py "
                 "fonts/%s %s/%s %s", files[i], dir, files[i], how);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

static int
setup(void **state)
{
    struct dirs *d = calloc(1, sizeof *d);
    size_t i;

    if (!d || !getcwd(d->cwd, sizeof d->cwd))
        return -1;
    fixture_tmpdir(d->a, sizeof d->a, "iom_fa");
    fixture_tmpdir(d->b, sizeof d->b, "iom_fb");
    fixture_tmpdir(d->half, sizeof d->half, "iom_fh");
    fixture_tmpdir(d->empty, sizeof d->empty, "iom_fe");
    fixture_tmpdir(d->fake, sizeof d->fake, "iom_ff");
    link_font(d, d->a, IOM_FONT_REGULAR);
    link_font(d, d->a, IOM_FONT_BOLD);
    link_font(d, d->b, IOM_FONT_REGULAR);
    link_font(d, d->b, IOM_FONT_BOLD);
    link_font(d, d->half, IOM_FONT_REGULAR);
    fake_font(d, IOM_FONT_REGULAR);
    fake_font(d, IOM_FONT_BOLD);
    fixture_tmpdir(d->damaged, sizeof d->damaged, "iom_fd");
    for (i = 0; i < N_DAMAGES; i++)
        if (damage(d, damages[i].how) != 0)
            return -1;
    unsetenv("IOMREPORT_FONTS");
    *state = d;
    return 0;
}

static int
teardown(void **state)
{
    struct dirs *d = *state;

    if (chdir(d->cwd) != 0)
        return -1;
    fixture_rmtree(d->a);
    fixture_rmtree(d->b);
    fixture_rmtree(d->half);
    fixture_rmtree(d->empty);
    fixture_rmtree(d->fake);
    fixture_rmtree(d->damaged);
    unsetenv("IOMREPORT_FONTS");
    free(d);
    return 0;
}

static void
assert_found_in(const char *opt, const char *dir)
{
    struct iom_fonts f = { NULL, NULL };
    char exp[PATH_MAX];

    assert_int_equal(iom_fonts_find(opt, &f), IOM_OK);
    snprintf(exp, sizeof exp, "%s/%s", dir, IOM_FONT_REGULAR);
    assert_string_equal(f.regular, exp);
    snprintf(exp, sizeof exp, "%s/%s", dir, IOM_FONT_BOLD);
    assert_string_equal(f.bold, exp);
    iom_fonts_release(&f);
    assert_null(f.regular);
    assert_null(f.bold);
}

static void
test_fonts_option_dir_comes_first(void **state)
{
    struct dirs *d = *state;

    setenv("IOMREPORT_FONTS", d->b, 1);
    assert_found_in(d->a, d->a);
    unsetenv("IOMREPORT_FONTS");
    assert_found_in(d->a, d->a);
}

static void
test_fonts_env_comes_before_working_dir(void **state)
{
    struct dirs *d = *state;

    setenv("IOMREPORT_FONTS", d->b, 1);
    assert_found_in(NULL, d->b);
    unsetenv("IOMREPORT_FONTS");
}

static void
test_fonts_working_dir_fonts_last(void **state)
{
    (void)state;
    unsetenv("IOMREPORT_FONTS");
    assert_found_in(NULL, "fonts");
    setenv("IOMREPORT_FONTS", "", 1);         /* empty: not a folder */
    assert_found_in(NULL, "fonts");
    unsetenv("IOMREPORT_FONTS");
}

static size_t
lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Search with --fonts 'dir' (may be NULL) and the system folder 'system'
 * from the working directory 'cwd'; the status, what was said into *err
 * (caller frees) and the regular font found into 'found'. */
static enum iom_status
search_from(const char *cwd, const char *dir, const char *system,
            char **err, char *found, size_t size)
{
    struct iom_fonts f = { NULL, NULL };
    char back[PATH_MAX];
    enum iom_status st;

    assert_non_null(getcwd(back, sizeof back));
    assert_int_equal(chdir(cwd), 0);
    fixture_capture_begin(STDERR_FILENO);
    st = iom_fonts_search(dir, NULL, system, &f);
    *err = fixture_capture_end();
    assert_int_equal(chdir(back), 0);
    snprintf(found, size, "%s", f.regular ? f.regular : "");
    iom_fonts_release(&f);
    return st;
}

/* A folder given that lacks a file is a choice that fails: IOM_EFONT,
 * naming the file, and no other folder is looked in. */
static void
test_fonts_given_folder_without_a_file_fails(void **state)
{
    struct dirs *d = *state;
    char found[PATH_MAX], exp[256], *err;

    setenv("IOMREPORT_FONTS", d->b, 1);
    assert_int_equal(search_from(d->cwd, d->half, d->b, &err, found,
                                 sizeof found), IOM_EFONT);
    snprintf(exp, sizeof exp, "iomreport: cannot read font '%s/%s': No such "
             "file or directory (--fonts '%s')\n", d->half, IOM_FONT_BOLD,
             d->half);
    assert_string_equal(err, exp);
    free(err);
    assert_int_equal(search_from(d->cwd, NULL, d->b, &err, found,
                                 sizeof found), IOM_OK);
    free(err);
    setenv("IOMREPORT_FONTS", d->half, 1);
    assert_int_equal(search_from(d->cwd, NULL, d->b, &err, found,
                                 sizeof found), IOM_EFONT);
    assert_non_null(strstr(err, "(IOMREPORT_FONTS '"));
    free(err);
    unsetenv("IOMREPORT_FONTS");
}

/* fonts/ under the working directory with one file: passed over. */
static void
test_fonts_working_dir_folder_with_one_file_passed_over(void **state)
{
    struct dirs *d = *state;
    char found[PATH_MAX], exp[PATH_MAX + 32], home[64], fonts[96], *err;

    fixture_tmpdir(home, sizeof home, "iom_fw");
    snprintf(fonts, sizeof fonts, "%s/fonts", home);
    assert_int_equal(mkdir(fonts, 0755), 0);
    link_font(d, fonts, IOM_FONT_REGULAR);
    assert_int_equal(search_from(home, NULL, d->b, &err, found,
                                 sizeof found), IOM_OK);
    snprintf(exp, sizeof exp, "%s/%s", d->b, IOM_FONT_REGULAR);
    assert_string_equal(found, exp);
    assert_string_equal(err, "");
    free(err);
    fixture_rmtree(home);
}

static void
test_fonts_missing_everywhere_gives_efont(void **state)
{
    struct dirs *d = *state;
    struct iom_fonts f = { NULL, NULL };

    assert_int_equal(chdir(d->empty), 0);
    setenv("IOMREPORT_FONTS", "/nonexistent-iom-fonts", 1);
    assert_int_equal(iom_fonts_search("/nonexistent-iom-dir",
                                      "/nonexistent-iom/bin/iomreport",
                                      "/nonexistent-iom-system", &f),
                     IOM_EFONT);
    assert_null(f.regular);
    assert_int_equal(iom_fonts_search(d->half, NULL, NULL, &f), IOM_EFONT);
    unsetenv("IOMREPORT_FONTS");
    assert_int_equal(iom_fonts_search(NULL, NULL, d->half, &f), IOM_EFONT);
    assert_int_equal(chdir(d->cwd), 0);
}

/* PREFIX/bin/iomreport finds PREFIX/share/iomreport/fonts from any
 * working directory, before the source tree's and the system's. */
static void
test_fonts_data_folder_found_from_the_binary(void **state)
{
    struct dirs *d = *state;
    struct iom_fonts f = { NULL, NULL };
    char prefix[32], path[PATH_MAX], exe[64];

    fixture_tmpdir(prefix, sizeof prefix, "iom_fp");
    snprintf(path, sizeof path, "%s/share", prefix);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/share/iomreport", prefix);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/share/iomreport/fonts", prefix);
    assert_int_equal(mkdir(path, 0755), 0);
    link_font(d, path, IOM_FONT_REGULAR);
    link_font(d, path, IOM_FONT_BOLD);
    snprintf(exe, sizeof exe, "%s/bin/iomreport", prefix);
    assert_int_equal(chdir(d->empty), 0);
    assert_int_equal(iom_fonts_search(NULL, exe, d->a, &f), IOM_OK);
    snprintf(path, sizeof path, "%s/share/iomreport/fonts/%s", prefix,
             IOM_FONT_REGULAR);
    assert_string_equal(f.regular, path);
    iom_fonts_release(&f);
    assert_int_equal(chdir(d->cwd), 0);
    fixture_rmtree(prefix);
}

/* The build folder's binary finds the source tree's fonts/. */
static void
test_fonts_source_tree_found_from_the_build_folder(void **state)
{
    struct dirs *d = *state;
    struct iom_fonts f = { NULL, NULL };
    char exe[PATH_MAX + 32], want[PATH_MAX + 64];

    snprintf(exe, sizeof exe, "%s/build/iomreport", d->cwd);
    snprintf(want, sizeof want, "%s/fonts/%s", d->cwd, IOM_FONT_BOLD);
    assert_int_equal(chdir(d->empty), 0);
    assert_int_equal(iom_fonts_search(NULL, exe, NULL, &f), IOM_OK);
    assert_string_equal(f.bold, want);
    iom_fonts_release(&f);
    assert_int_equal(chdir(d->cwd), 0);
}

/* A file that is not a font under a font's name in a folder given: the
 * lookup refuses it, naming it; the loader refuses it too. */
static void
test_fonts_file_that_is_not_a_font_refused(void **state)
{
    struct dirs *d = *state;
    char found[PATH_MAX], exp[256], regular[64], *err;
    struct iom_pdf pdf;

    assert_int_equal(search_from(d->cwd, d->fake, d->b, &err, found,
                                 sizeof found), IOM_EFONT);
    snprintf(exp, sizeof exp, "iomreport: cannot load font '%s/%s': no "
             "readable Unicode character map (cmap format 4) (--fonts "
             "'%s')\n", d->fake, IOM_FONT_REGULAR, d->fake);
    assert_string_equal(err, exp);
    free(err);
    snprintf(regular, sizeof regular, "%s/%s", d->fake, IOM_FONT_REGULAR);
    assert_int_equal(iom_pdf_open(&pdf, "/tmp/iom_ff.pdf", regular, NULL),
                     IOM_EFONT);
    iom_pdf_close(&pdf);
}

/*
 * Damaged fonts: the check says what is wrong with each, before any
 * document; given with --fonts they fail the lookup naming the file; in
 * fonts/ under the working directory (a home folder, for cron) they are
 * passed over for the next place, and -v says why.
 */
static void
test_fonts_damaged_fonts_refused_before_any_document(void **state)
{
    struct dirs *d = *state;
    char dir[64], file[128], why[IOM_PDF_WHY_MAX], found[PATH_MAX];
    char home[64], fonts[96], *err;
    size_t i;

    fixture_tmpdir(home, sizeof home, "iom_fw");
    snprintf(fonts, sizeof fonts, "%s/fonts", home);
    for (i = 0; i < N_DAMAGES; i++) {
        damaged_dir(d, damages[i].how, dir, sizeof dir);
        snprintf(file, sizeof file, "%s/%s", dir, IOM_FONT_REGULAR);
        assert_int_equal(iom_pdf_font_check(file, why, sizeof why),
                         IOM_EFONT);
        assert_non_null(strstr(why, damages[i].why));
        assert_int_equal(search_from(d->cwd, dir, d->b, &err, found,
                                     sizeof found), IOM_EFONT);
        assert_non_null(strstr(err, file));
        assert_non_null(strstr(err, damages[i].why));
        assert_int_equal(lines(err), 1);
        free(err);
        /* The same files as fonts/ of the working directory. */
        assert_int_equal(symlink(dir, fonts), 0);
        assert_int_equal(search_from(home, NULL, d->b, &err, found,
                                     sizeof found), IOM_OK);
        assert_non_null(strstr(found, d->b));
        assert_string_equal(err, "");
        free(err);
        iom_msg_set_verbosity(IOM_VERBOSE);
        assert_int_equal(search_from(home, NULL, d->b, &err, found,
                                     sizeof found), IOM_OK);
        iom_msg_set_verbosity(IOM_QUIET);
        assert_non_null(strstr(err, "not using the fonts in 'fonts/'"));
        assert_non_null(strstr(err, damages[i].why));
        free(err);
        /* With no other place: one line, naming why. */
        assert_int_equal(search_from(home, NULL, NULL, &err, found,
                                     sizeof found), IOM_EFONT);
        assert_non_null(strstr(err, "cannot find usable fonts"));
        assert_non_null(strstr(err, damages[i].why));
        free(err);
        assert_int_equal(unlink(fonts), 0);
    }
    fixture_rmtree(home);
}

/*
 * A font that loaded but fails a document when it is saved (libharu reads
 * glyphs then) fails it with IOM_EFONT naming the font files, not as a
 * file that cannot be written; a write error is still one.
 */
static void
test_fonts_font_failing_at_save_is_a_font_failure(void **state)
{
    static const char text[] = "Portfolio";
    struct iom_pdf_style st = { IOM_PDF_REGULAR, 10, 12, { 0, 0, 0 } };
    struct iom_pdf pdf;
    char out[64], path[96], *err;

    (void)state;
    fixture_tmpdir(out, sizeof out, "iom_fs");
    snprintf(path, sizeof path, "%s/book.pdf", out);
    assert_int_equal(iom_pdf_open(&pdf, path, "fonts/DejaVuSans.ttf",
                                  "fonts/DejaVuSans-Bold.ttf"), IOM_OK);
    assert_int_equal(iom_pdf_add_page(&pdf), IOM_OK);
    assert_int_equal(iom_pdf_draw(&pdf, &st, 60, 700, text, strlen(text)),
                     IOM_OK);
    failpdf_save(HPDF_STREAM_EOF);
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_pdf_save(&pdf), IOM_EFONT);
    err = fixture_capture_end();
    iom_pdf_close(&pdf);
    assert_non_null(strstr(err, "the font 'fonts/DejaVuSans.ttf' or "
                           "'fonts/DejaVuSans-Bold.ttf' cannot be used: "
                           "libharu error 0x1058"));
    assert_non_null(strstr(err, path));
    free(err);
    assert_int_equal(iom_pdf_open(&pdf, path, "fonts/DejaVuSans.ttf",
                                  "fonts/DejaVuSans-Bold.ttf"), IOM_OK);
    assert_int_equal(iom_pdf_add_page(&pdf), IOM_OK);
    failpdf_save(HPDF_FILE_IO_ERROR);
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_pdf_save(&pdf), IOM_EIO);
    free(fixture_capture_end());
    iom_pdf_close(&pdf);
    fixture_rmtree(out);
}

/* With nothing else, the system's DejaVu fonts (fonts-dejavu-core). */
static void
test_fonts_system_dejavu_comes_last(void **state)
{
    struct dirs *d = *state;
    struct iom_fonts f = { NULL, NULL };

    assert_int_equal(chdir(d->empty), 0);
    assert_int_equal(iom_fonts_search(NULL, "/nonexistent-iom/bin/x",
                                      d->b, &f), IOM_OK);
    assert_non_null(strstr(f.regular, d->b));
    iom_fonts_release(&f);
    assert_int_equal(iom_fonts_find(NULL, &f), IOM_OK);
    iom_fonts_release(&f);
    assert_int_equal(chdir(d->cwd), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fonts_option_dir_comes_first),
        cmocka_unit_test(test_fonts_env_comes_before_working_dir),
        cmocka_unit_test(test_fonts_working_dir_fonts_last),
        cmocka_unit_test(test_fonts_given_folder_without_a_file_fails),
        cmocka_unit_test(
            test_fonts_working_dir_folder_with_one_file_passed_over),
        cmocka_unit_test(test_fonts_missing_everywhere_gives_efont),
        cmocka_unit_test(test_fonts_data_folder_found_from_the_binary),
        cmocka_unit_test(test_fonts_source_tree_found_from_the_build_folder),
        cmocka_unit_test(test_fonts_system_dejavu_comes_last),
        cmocka_unit_test(test_fonts_file_that_is_not_a_font_refused),
        cmocka_unit_test(test_fonts_damaged_fonts_refused_before_any_document),
        cmocka_unit_test(test_fonts_font_failing_at_save_is_a_font_failure),
    };

    return cmocka_run_group_tests_name("fonts", tests, setup, teardown);
}
