/*
 * test_mime: encoded-words, file name parameters, base64 lines, CRLF.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "iom/mime.h"

/* Every line of 's' (CRLF line ends) is at most 'max' characters. */
static void
assert_lines_at_most(const char *s, size_t max)
{
    while (*s) {
        size_t len = strcspn(s, "\r");

        assert_true(len <= max);
        s += len;
        if (*s)
            s += 2;
    }
}

static void
test_mime_header_text_ascii_as_is_utf8_encoded(void **state)
{
    struct iom_buf b;

    (void)state;
    iom_buf_init(&b);
    assert_int_equal(iom_mime_header_text(&b, "Year 2001"), IOM_OK);
    assert_string_equal(b.data, "Year 2001");
    iom_buf_reset(&b);
    assert_int_equal(iom_mime_header_text(&b, "Am\xC3\xA9lie"), IOM_OK);
    assert_string_equal(b.data, "=?UTF-8?B?QW3DqWxpZQ==?=");
    iom_buf_reset(&b);
    /* A header line break in a name is encoded, never passed through. */
    assert_int_equal(iom_mime_header_text(&b, "a\r\nBcc: x"), IOM_OK);
    assert_null(strchr(b.data, '\n'));
    iom_buf_release(&b);
}

static void
test_mime_header_text_long_splits_on_characters(void **state)
{
    struct iom_buf b;
    char in[200] = "";
    size_t i;

    (void)state;
    for (i = 0; i < 60; i++)
        strcat(in, "\xC3\xA9");                       /* 120 bytes */
    iom_buf_init(&b);
    assert_int_equal(iom_mime_header_text(&b, in), IOM_OK);
    /* Every word at most 75 characters, words folded with CRLF SP. */
    assert_lines_at_most(b.data, 76);
    assert_non_null(strstr(b.data, "?=\r\n =?UTF-8?B?"));
    iom_buf_release(&b);
}

static void
test_mime_base64_size_counts_line_ends(void **state)
{
    (void)state;
    assert_int_equal(iom_mime_base64_size(0), 0);
    assert_int_equal(iom_mime_base64_size(1), 4 + 2);
    assert_int_equal(iom_mime_base64_size(57), 76 + 2);
    assert_int_equal(iom_mime_base64_size(58), 80 + 4);
}

static void
test_mime_types_by_extension(void **state)
{
    (void)state;
    assert_string_equal(iom_mime_type("T81-805.pdf"), "application/pdf");
    assert_string_equal(iom_mime_type("rollup.xlsx"),
                        "application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet");
    assert_string_equal(iom_mime_type("x.bin"), "application/octet-stream");
}

static void
test_mime_date_is_rfc5322(void **state)
{
    char got[40];

    (void)state;
    iom_mime_date(0, got);
    assert_string_equal(got, "Thu, 01 Jan 1970 00:00:00 +0000");
    iom_mime_date(1000000000, got);
    assert_string_equal(got, "Sun, 09 Sep 2001 01:46:40 +0000");
}

static void
test_mime_compose_crlf_and_short_lines(void **state)
{
    static const char data[200] = { 1, 2, 3 };
    const struct iom_mime_part parts[] = {
        { "T81-805.pdf", "application/pdf", data, sizeof data },
        { "S\xC3\xA3o Tom\xC3\xA9.pdf", "application/pdf", data, 3 },
    };
    struct iom_mime_msg m;
    struct iom_buf b;
    const char *p;

    (void)state;
    memset(&m, 0, sizeof m);
    m.from = "reports@example.org";
    m.to = "a@example.org";
    m.to_name = "O'Brien, \"Siobh\xC3\xA1n\"";
    m.subject = "Reports \xE2\x80\x93 Year 2001";
    m.message_id = "<x@example.org>";
    m.body = "line one\nline two\na=b \nC\xC3\xB4te\n";
    m.parts = parts;
    m.n_parts = 2;
    iom_buf_init(&b);
    assert_int_equal(iom_mime_compose(&m, &b), IOM_OK);
    for (p = b.data; *p; p++)
        if (*p == '\n')
            assert_true(p > b.data && p[-1] == '\r');
    assert_lines_at_most(b.data, 78);
    assert_non_null(strstr(b.data, "filename=\"T81-805.pdf\""));
    assert_non_null(strstr(b.data, "filename*0*=UTF-8''S%C3%A3o%20Tom%C3%A9.pdf"));
    assert_non_null(strstr(b.data, "Message-ID: <x@example.org>\r\n"));
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, "MIME-Version: 1.0\r\n"));
    /* The text is quoted-printable: '=' and a blank at a line end and
     * UTF-8 encoded, the rest as is. */
    assert_non_null(strstr(b.data, "quoted-printable\r\n\r\nline one\r\n"
                           "line two\r\na=3Db=20\r\nC=C3=B4te\r\n"));
    iom_buf_release(&b);
}

/* A long ASCII name or subject is folded, never one long line. */
static void
test_mime_long_ascii_name_is_folded(void **state)
{
    struct iom_mime_msg m;
    struct iom_buf b = IOM_BUF_INIT;
    char name[3001], subject[401];
    const char *p;
    size_t i;

    (void)state;
    for (i = 0; i < 3000; i++)
        name[i] = "Ann "[i % 4];
    name[3000] = '\0';
    memset(subject, 'x', 400);
    subject[400] = '\0';
    memset(&m, 0, sizeof m);
    m.from = "reports@example.org";
    m.to = "a@example.org";
    m.to_name = name;
    m.subject = subject;
    m.message_id = "<x@example.org>";
    m.body = "text\n";
    assert_int_equal(iom_mime_compose(&m, &b), IOM_OK);
    assert_lines_at_most(b.data, 78);
    /* Unfolding (removing each CRLF before a space) gives the name back. */
    {
        const char *to = strstr(b.data, "To: \"");
        char *unfolded = calloc(1, strlen(b.data) + 1), *u = unfolded;

        assert_non_null(to);
        for (p = to + 5; !(p[0] == '"' && p[-1] != '\\'); p++)
            if (!(p[0] == '\r' && p[1] == '\n' && p[2] == ' '))
                *u++ = *p;
            else
                p++;
        assert_string_equal(unfolded, name);
        free(unfolded);
    }
    assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(b.data, " <a@example.org>\r\n"));
    iom_buf_release(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mime_header_text_ascii_as_is_utf8_encoded),
        cmocka_unit_test(test_mime_header_text_long_splits_on_characters),
        cmocka_unit_test(test_mime_base64_size_counts_line_ends),
        cmocka_unit_test(test_mime_types_by_extension),
        cmocka_unit_test(test_mime_date_is_rfc5322),
        cmocka_unit_test(test_mime_compose_crlf_and_short_lines),
        cmocka_unit_test(test_mime_long_ascii_name_is_folded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
