/*
 * test_json_in: the reader of manifest.json and the delivery log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "iom/json_in.h"

static void
test_json_in_table_accepts_and_rejects(void **state)
{
    static const struct {
        const char *in;
        enum iom_status exp;
    } cases[] = {
        { "{}",                               IOM_OK },
        { " [1, -2, 3.5e2, true, false, null] ", IOM_OK },
        { "{\"a\": {\"b\": [\"x\", \"\"]}}", IOM_OK },
        { "\"\\u00e9\\ud83d\\ude00\"",         IOM_OK },
        { "",                                 IOM_EINVALID },
        { "{",                                IOM_EINVALID },
        { "{\"a\" 1}",                         IOM_EINVALID },
        { "[1,]",                             IOM_EINVALID },
        { "[1] x",                            IOM_EINVALID },
        { "\"\\u0000\"",                       IOM_EINVALID },
        { "\"\\ud800\"",                       IOM_EINVALID },
        { "\"a\nb\"",                         IOM_EINVALID },
        { "tru",                              IOM_EINVALID },
        { "99999999999999999999",             IOM_EINVALID },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_json *got = NULL;
        enum iom_status st = iom_json_parse(cases[i].in, strlen(cases[i].in),
                                            &got);

        if (st != cases[i].exp)
            fail_msg("case %zu '%s': got %d", i, cases[i].in, (int)st);
        iom_json_free(got);
    }
}

static void
test_json_in_manifest_shape_reads_back(void **state)
{
    static const char in[] =
        "{\"input\": {\"path\": \"input/projects.csv\", \"bytes\": 43779},\n"
        " \"files\": [{\"path\": \"briefs/C\\u00f4te.pdf\", \"bytes\": 12}]}";
    struct iom_json *got;
    const struct iom_json *files;

    (void)state;
    assert_int_equal(iom_json_parse(in, strlen(in), &got), IOM_OK);
    assert_string_equal(iom_json_str(iom_json_get(got, "input"), "path"),
                        "input/projects.csv");
    assert_int_equal(iom_json_get(iom_json_get(got, "input"), "bytes")->num,
                     43779);
    files = iom_json_get(got, "files");
    assert_int_equal(files->type, IOM_JSON_ARRAY);
    assert_int_equal(files->len, 1);
    assert_string_equal(iom_json_str(&files->items[0], "path"),
                        "briefs/C\xC3\xB4te.pdf");
    assert_null(iom_json_get(got, "missing"));
    assert_null(iom_json_str(got, "files"));
    iom_json_free(got);
}

static void
test_json_in_deep_nesting_fails(void **state)
{
    char in[200];

    (void)state;
    memset(in, '[', sizeof in);
    {
        struct iom_json *got = NULL;

        assert_int_equal(iom_json_parse(in, sizeof in, &got), IOM_EINVALID);
        assert_null(got);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_in_table_accepts_and_rejects),
        cmocka_unit_test(test_json_in_manifest_shape_reads_back),
        cmocka_unit_test(test_json_in_deep_nesting_fails),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
