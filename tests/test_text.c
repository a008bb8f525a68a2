/*
 * test_text: UTF-8 validation (RFC 3629), decoding, ASCII case folding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "iom/text.h"

#define S(lit) lit, sizeof lit - 1

static void
test_text_utf8_table_accepts_and_rejects(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        int exp;        /* 1 valid, 0 not */
        size_t bad_at;
    } cases[] = {
        { S(""),                       1, 0 },
        { S("plain ASCII, 100%"),      1, 0 },
        { S("C\xC3\xB4te d'Ivoire"),   1, 0 },  /* U+00F4 */
        { S("\xC2\x80"),               1, 0 },  /* U+0080, smallest 2-byte */
        { S("\xDF\xBF"),               1, 0 },  /* U+07FF */
        { S("\xE0\xA0\x80"),           1, 0 },  /* U+0800 */
        { S("\xE2\x80\x93"),           1, 0 },  /* en dash */
        { S("\xED\x9F\xBF"),           1, 0 },  /* U+D7FF, below surrogates */
        { S("\xEE\x80\x80"),           1, 0 },  /* U+E000, above them */
        { S("\xEF\xBF\xBD"),           1, 0 },  /* U+FFFD */
        { S("\xF0\x90\x80\x80"),       1, 0 },  /* U+10000 */
        { S("\xF0\x9D\x84\x9E"),       1, 0 },  /* U+1D11E */
        { S("\xF4\x8F\xBF\xBF"),       1, 0 },  /* U+10FFFF */
        /* overlong forms */
        { S("\xC0\x80"),               0, 0 },
        { S("\xC1\xBF"),               0, 0 },
        { S("ab\xC0\xAF"),             0, 2 },
        { S("\xE0\x80\x80"),           0, 0 },
        { S("\xE0\x9F\xBF"),           0, 0 },
        { S("\xF0\x80\x80\x80"),       0, 0 },
        { S("\xF0\x8F\xBF\xBF"),       0, 0 },
        /* surrogates */
        { S("\xED\xA0\x80"),           0, 0 },  /* U+D800 */
        { S("x\xED\xBF\xBF"),          0, 1 },  /* U+DFFF */
        { S("\xED\xA0\xBD\xED\xB2\xA9"), 0, 0 },  /* CESU-8 pair */
        /* above U+10FFFF and bytes that never occur */
        { S("\xF4\x90\x80\x80"),       0, 0 },
        { S("\xF5\x80\x80\x80"),       0, 0 },
        { S("\xF8\x88\x80\x80\x80"),   0, 0 },
        { S("\xFE"),                   0, 0 },
        { S("\xFF"),                   0, 0 },
        /* lone continuation bytes */
        { S("\x80"),                   0, 0 },
        { S("a\x80"),                  0, 1 },
        { S("ab\xBF"),                 0, 2 },
        { S("\xC3\xA9\xA9"),           0, 2 },
        /* truncated sequences */
        { S("\xC3"),                   0, 0 },
        { S("a\xE2\x82"),              0, 1 },
        { S("\xF0\x9D\x84"),           0, 0 },
        { S("\xE2\x82" "a"),           0, 0 },
        { S("\xC3" "a"),               0, 0 },
        { S("\xF0\x9D" "ab"),          0, 0 },
        /* Latin-1 */
        { S("C\xF4te"),                0, 1 },
        /* NUL */
        { S("\0"),                     0, 0 },
        { S("a\0b"),                   0, 1 },
        { S("\xC3\xA9\0"),             0, 2 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t got_at = 9999;
        bool got = iom_utf8_valid(cases[i].in, cases[i].len, &got_at);

        if (got != (bool)cases[i].exp || (!got &&
                                          got_at != cases[i].bad_at))
            print_message("utf8 case %zu\n", i);
        assert_int_equal(got, cases[i].exp);
        if (!cases[i].exp)
            assert_int_equal(got_at, cases[i].bad_at);
        else
            assert_int_equal(got_at, 9999);
        /* A NULL bad_at is allowed. */
        assert_int_equal(iom_utf8_valid(cases[i].in, cases[i].len, NULL),
                         cases[i].exp);
    }
}

static void
test_text_utf8_valid_stops_at_len(void **state)
{
    (void)state;
    /* A sequence cut by 'len' is truncated even if the bytes follow. */
    assert_false(iom_utf8_valid("\xC3\xA9", 1, NULL));
    assert_true(iom_utf8_valid("ab\xFF", 2, NULL));
    assert_true(iom_utf8_valid("a\0b", 1, NULL));
}

static void
test_text_utf8_next_decodes_and_advances(void **state)
{
    static const char s[] = "a\xC3\xB4\xE2\x80\x93\xF0\x9D\x84\x9E\x7F"
                            "\xF4\x8F\xBF\xBF";
    static const uint32_t exp[] = { 0x61, 0xF4, 0x2013, 0x1D11E, 0x7F,
                                    0x10FFFF };
    static const size_t step[] = { 1, 2, 3, 4, 1, 4 };
    const char *p = s;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof exp / sizeof exp[0]; i++) {
        const char *before = p;

        assert_int_equal(iom_utf8_next(&p), exp[i]);
        assert_int_equal(p - before, step[i]);
    }
    assert_int_equal(*p, '\0');
}

static void
test_text_ieq_folds_ascii_only(void **state)
{
    static const struct { const char *a, *b; bool exp; } cases[] = {
        { "Projects ID", "projects id",       true },
        { "BUDGET AMOUNT (USD)", "Budget Amount (USD)", true },
        { "Africa", "africa",                  true },
        { "", "",                              true },
        { "Africa", "Afric",                   false },
        { "Afric", "Africa",                   false },
        { "a", "",                             false },
        { "", "a",                             false },
        { "C\xC3\xB4te", "C\xC3\x94te",       false },  /* no Unicode fold */
        { "[", "{",                            false },
        { "@", "`",                            false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(iom_text_ieq(cases[i].a, cases[i].b),
                         cases[i].exp);
}

static void
test_text_escape_makes_one_plain_line(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *exp;
    } cases[] = {
        { S("plain"),                  "plain" },
        { S("x\x1b[31m"),              "x\\x1b[31m" },
        { S("a\r\nb\tc"),              "a\\r\\nb\\tc" },
        { S("del\x7f"),                "del\\x7f" },
        { S("c1 \xC2\x85 \xC2\x9B"),    "c1 \\u0085 \\u009b" },
        { S("nbsp \xC2\xA0 ok"),       "nbsp \xC2\xA0 ok" },
        { S("C\xC3\xB4te \xE2\x80\x93"), "C\xC3\xB4te \xE2\x80\x93" },
        { S("latin1 \x9b\xF4"),        "latin1 \\x9b\\xf4" },
        { S("nul\0x"),                 "nul\\x00x" },
    };
    char out[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = iom_text_escape(cases[i].in, cases[i].len, out,
                                   sizeof out);

        assert_string_equal(out, cases[i].exp);
        assert_int_equal(n, strlen(cases[i].exp));
    }
    /* A full buffer ends at a whole escape, never half of one. */
    assert_int_equal(iom_text_escape(S("ab\x1b"), out, 5), 2);
    assert_string_equal(out, "ab");
}

static void
test_text_utf8_cut_keeps_whole_characters(void **state)
{
    /* a, é (2 bytes), € (3), 𝄞 (4) */
    static const char s[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9D\x84\x9E";
    static const struct { size_t max, exp; } cases[] = {
        { 0, 0 }, { 1, 1 }, { 2, 1 }, { 3, 3 }, { 4, 3 }, { 5, 3 },
        { 6, 6 }, { 7, 6 }, { 8, 6 }, { 9, 6 }, { 10, 10 }, { 11, 10 },
        { 100, 10 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (iom_utf8_cut(s, sizeof s - 1, cases[i].max) != cases[i].exp)
            print_message("max %zu\n", cases[i].max);
        assert_int_equal(iom_utf8_cut(s, sizeof s - 1, cases[i].max),
                         cases[i].exp);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_utf8_table_accepts_and_rejects),
        cmocka_unit_test(test_text_utf8_cut_keeps_whole_characters),
        cmocka_unit_test(test_text_utf8_valid_stops_at_len),
        cmocka_unit_test(test_text_utf8_next_decodes_and_advances),
        cmocka_unit_test(test_text_ieq_folds_ascii_only),
        cmocka_unit_test(test_text_escape_makes_one_plain_line),
    };

    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
