/*
 * test_json: strings made valid for jansson, printing, parsing and files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/json.h"
#include "iom/publish.h"

#include "fixture.h"

/* Valid UTF-8 is kept; every byte that starts no valid sequence is one
 * U+FFFD. */
static void
test_json_text_replaces_bad_bytes(void **state)
{
    static const struct { const char *in; const char *exp; } cases[] = {
        { "",                 "" },
        { "plain \"q\" \\",   "plain \"q\" \\" },
        { "l1\nl2\r\n\tx",    "l1\nl2\r\n\tx" },
        { "\x01\x1f\x7f",     "\x01\x1f\x7f" },
        { "C\xC3\xB4te",      "C\xC3\xB4te" },
        { "\xE2\x80\x93",     "\xE2\x80\x93" },
        { "\xF0\x9D\x84\x9E", "\xF0\x9D\x84\x9E" },
        { "C\xF4te",          "C\xEF\xBF\xBDte" },
        { "\x80",             "\xEF\xBF\xBD" },
        { "\xFF\xFE",         "\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "a\xC3",            "a\xEF\xBF\xBD" },
        { "\xC0\x80",         "\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "\xED\xA0\x80",     "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
        { "\xC3\xA9\xC3",     "\xC3\xA9\xEF\xBF\xBD" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = iom_json_text(cases[i].in);

        assert_non_null(v);
        if (strcmp(json_string_value(v), cases[i].exp) != 0)
            print_message("case %zu\n", i);
        assert_string_equal(json_string_value(v), cases[i].exp);
        json_decref(v);
    }
}

/* Keys print in the order they were set, pretty or on one line. */
static void
test_json_print_keeps_key_order(void **state)
{
    struct iom_buf b = IOM_BUF_INIT;
    json_t *o = json_object();

    (void)state;
    assert_int_equal(iom_json_set(o, "zeta", json_integer(1)), IOM_OK);
    assert_int_equal(iom_json_set(o, "alpha", iom_json_text("C\xC3\xB4te")),
                     IOM_OK);
    assert_int_equal(iom_json_set(o, "mid", json_null()), IOM_OK);
    assert_int_equal(iom_json_print(o, 0, &b), IOM_OK);
    assert_string_equal(b.data, "{\"zeta\":1,\"alpha\":\"C\xC3\xB4te\","
                        "\"mid\":null}");
    iom_buf_reset(&b);
    assert_int_equal(iom_json_print(o, 1, &b), IOM_OK);
    assert_string_equal(b.data, "{\n  \"zeta\": 1,\n  \"alpha\": \"C\xC3\xB4te"
                        "\",\n  \"mid\": null\n}\n");
    assert_int_equal(iom_json_set(o, "gone", NULL), IOM_ENOMEM);
    json_decref(o);
    iom_buf_release(&b);
}

static void
test_json_parse_and_load(void **state)
{
    char dir[64], path[96];
    const char *why = NULL;
    json_t *v = NULL;

    (void)state;
    assert_int_equal(iom_json_parse("{\"a\": \"x\"}", 10, &v, &why), IOM_OK);
    assert_string_equal(iom_json_str(v, "a"), "x");
    assert_null(iom_json_str(v, "b"));
    json_decref(v);
    assert_int_equal(iom_json_parse("{\"a\": ", 6, &v, &why), IOM_EJSON);
    assert_null(v);
    assert_non_null(why);
    assert_int_equal(iom_json_parse("{\"a\":1,\"a\":2}", 13, &v, NULL),
                     IOM_EJSON);
    fixture_tmpdir(dir, sizeof dir, "iom_json");
    snprintf(path, sizeof path, "%s/missing.json", dir);
    assert_int_equal(iom_json_load(path, &v), IOM_ENOINPUT);
    fixture_write_file(dir, "x.json", "[1, 2]\n");
    snprintf(path, sizeof path, "%s/x.json", dir);
    assert_int_equal(iom_json_load(path, &v), IOM_OK);
    assert_int_equal(json_array_size(v), 2);
    json_decref(v);
    assert_int_equal(iom_remove_tree(dir), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_text_replaces_bad_bytes),
        cmocka_unit_test(test_json_print_keeps_key_order),
        cmocka_unit_test(test_json_parse_and_load),
    };

    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
