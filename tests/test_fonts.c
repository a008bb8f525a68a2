/*
 * test_fonts: the lookup order of SPEC section 5 (--fonts DIR, then
 * $IOMREPORT_FONTS, then fonts/ under the working directory) and
 * IOM_EFONT when no folder holds both files.
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

#include "fixture.h"

struct dirs {
    char cwd[PATH_MAX];
    char a[32];        /* both fonts */
    char b[32];        /* both fonts */
    char half[32];     /* the regular font only */
    char empty[32];    /* nothing */
};

static void
link_font(const struct dirs *d, const char *dir, const char *file)
{
    char from[PATH_MAX + 64], to[64];

    snprintf(from, sizeof from, "%s/fonts/%s", d->cwd, file);
    snprintf(to, sizeof to, "%s/%s", dir, file);
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
    link_font(d, d->a, IOM_FONT_REGULAR);
    link_font(d, d->a, IOM_FONT_BOLD);
    link_font(d, d->b, IOM_FONT_REGULAR);
    link_font(d, d->b, IOM_FONT_BOLD);
    link_font(d, d->half, IOM_FONT_REGULAR);
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
    struct stat st;

    if (stat(IOM_DATADIR "/fonts/" IOM_FONT_REGULAR, &st) == 0)
        skip();     /* installed fonts would be found last */
    assert_int_equal(chdir(d->empty), 0);
    setenv("IOMREPORT_FONTS", "/nonexistent-iom-fonts", 1);
    assert_int_equal(iom_fonts_find("/nonexistent-iom-dir", &f),
                     IOM_EFONT);
    assert_null(f.regular);
    assert_int_equal(iom_fonts_find(d->half, &f), IOM_EFONT);
    unsetenv("IOMREPORT_FONTS");
    assert_int_equal(iom_fonts_find(NULL, &f), IOM_EFONT);
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
    };

    return cmocka_run_group_tests_name("fonts", tests, setup, teardown);
}
