/*
 * test_fonts: the lookup order (--fonts DIR, $IOMREPORT_FONTS, fonts/
 * under the working directory, the data folder beside the binary, the
 * system's DejaVu), IOM_EFONT when no folder holds both files, and when
 * the files found are not fonts.
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
#include "iom/pdf_doc.h"

#include "fixture.h"

struct dirs {
    char cwd[PATH_MAX];
    char a[32];        /* both fonts */
    char b[32];        /* both fonts */
    char half[32];     /* the regular font only */
    char empty[32];    /* nothing */
    char fake[32];     /* both names, neither a font */
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

static int
setup(void **state)
{
    struct dirs *d = calloc(1, sizeof *d);

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

static void
test_fonts_folder_with_one_file_skipped(void **state)
{
    struct dirs *d = *state;

    setenv("IOMREPORT_FONTS", d->b, 1);
    assert_found_in(d->half, d->b);
    unsetenv("IOMREPORT_FONTS");
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

/* The lookup takes readable files; what they hold is the loader's to
 * judge, which refuses a file that is not a font with IOM_EFONT, as fonts
 * found nowhere. */
static void
test_fonts_file_that_is_not_a_font_found_then_refused(void **state)
{
    struct dirs *d = *state;
    struct iom_fonts f = { NULL, NULL };
    struct iom_pdf pdf;

    assert_found_in(d->fake, d->fake);
    assert_int_equal(iom_fonts_find(d->fake, &f), IOM_OK);
    assert_int_equal(iom_pdf_open(&pdf, "/tmp/iom_ff.pdf", f.regular, f.bold),
                     IOM_EFONT);
    iom_pdf_close(&pdf);
    assert_int_equal(iom_pdf_open(&pdf, "/tmp/iom_ff.pdf", f.regular, NULL),
                     IOM_EFONT);
    iom_pdf_close(&pdf);
    iom_fonts_release(&f);
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
        cmocka_unit_test(test_fonts_folder_with_one_file_skipped),
        cmocka_unit_test(test_fonts_missing_everywhere_gives_efont),
        cmocka_unit_test(test_fonts_data_folder_found_from_the_binary),
        cmocka_unit_test(test_fonts_source_tree_found_from_the_build_folder),
        cmocka_unit_test(test_fonts_system_dejavu_comes_last),
        cmocka_unit_test(test_fonts_file_that_is_not_a_font_found_then_refused),
    };

    return cmocka_run_group_tests_name("fonts", tests, setup, teardown);
}
