/*
 * test_smtp_config: the mail settings from the environment (sending is
 * tested against servers on loopback in tests/e2e_deliver.sh and
 * tests/e2e_send.sh).
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

#include "iom/smtp_config.h"

static void
clear_env(void)
{
    unsetenv("IOMREPORT_SMTP_URL");
    unsetenv("IOMREPORT_SMTP_USER");
    unsetenv("IOMREPORT_SMTP_PASSWORD");
    unsetenv("IOMREPORT_SMTP_PASSWORD_FILE");
    unsetenv("IOMREPORT_MAIL_FROM");
    unsetenv("IOMREPORT_SMTP_PLAINTEXT_LOGIN");
    unsetenv("IOMREPORT_SMTP_CA_FILE");
    unsetenv("IOMREPORT_TEST_SMTP_TIMEOUTS");
}

/* The variables of a case; NULL: unset. */
struct vars {
    const char *url, *from, *user, *password, *plain, *timeouts;
};

/* Load the settings from these variables and no others. */
static enum iom_status
load(const struct vars *v, bool need_server, struct iom_smtp_config *c)
{
    static const char *const names[] = {
        "IOMREPORT_SMTP_URL", "IOMREPORT_MAIL_FROM", "IOMREPORT_SMTP_USER",
        "IOMREPORT_SMTP_PASSWORD", "IOMREPORT_SMTP_PLAINTEXT_LOGIN",
        "IOMREPORT_TEST_SMTP_TIMEOUTS",
    };
    const char *const values[] = { v->url, v->from, v->user, v->password,
                                   v->plain, v->timeouts };
    size_t i;

    clear_env();
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (values[i])
            setenv(names[i], values[i], 1);
    return iom_smtp_config_load(c, need_server);
}

static void
test_smtp_config_table(void **state)
{
    static const struct {
        const char *url, *from, *user, *password, *plain;
        bool need_server;
        enum iom_status exp;
    } cases[] = {
        { "smtp://127.0.0.1:2525", "r@example.org", NULL, NULL, NULL, true,
          IOM_OK },
        { "SMTPS://mail.example.org", "r@example.org", "u", "p", NULL, true,
          IOM_OK },
        { NULL, NULL, NULL, NULL, NULL, false, IOM_OK },
        { NULL, "r@example.org", NULL, NULL, NULL, true, IOM_EUSAGE },
        { "http://example.org", "r@example.org", NULL, NULL, NULL, true,
          IOM_EUSAGE },
        { "smtp://x.example.org", NULL, NULL, NULL, NULL, true, IOM_EUSAGE },
        { "smtp://x.example.org", "r@example.org", NULL, "p", NULL, true,
          IOM_EUSAGE },
        /* The sender: checked also when no server is needed. */
        { NULL, "reports", NULL, NULL, NULL, false, IOM_EUSAGE },
        { NULL, "r@example.org\r\nBcc: x@example.org", NULL, NULL, NULL,
          false, IOM_EUSAGE },
        { "smtp://x.example.org", "IOM Reports <r@example.org>", NULL, NULL,
          NULL, true, IOM_OK },
        { "smtp://x.example.org", "IOM <r@example.org> x", NULL, NULL, NULL,
          true, IOM_EUSAGE },
        /* The plaintext login opt-out: loopback hosts only. */
        { "smtp://127.0.0.1:25", "r@example.org", "u", "p", "loopback", true,
          IOM_OK },
        { "smtp://[::1]:25", "r@example.org", "u", "p", "loopback", true,
          IOM_OK },
        { "smtp://LOCALHOST", "r@example.org", "u", "p", "loopback", true,
          IOM_OK },
        { "smtp://192.0.2.1:25", "r@example.org", "u", "p", "loopback", true,
          IOM_EUSAGE },
        { "smtp://127.0.0.1.example.org", "r@example.org", "u", "p",
          "loopback", true, IOM_EUSAGE },
        { "smtp://127.0.0.1:25", "r@example.org", "u", "p", "yes", true,
          IOM_EUSAGE },
        /* A login in the URL: fine alone, refused beside the variables
         * (libcurl would mix the two). */
        { "smtp://alice:pw@mail.example.org", "r@example.org", NULL, NULL,
          NULL, true, IOM_OK },
        { "smtp://alice:pw@mail.example.org", "r@example.org", "bob", "p",
          NULL, true, IOM_EUSAGE },
        { "smtp://alice@mail.example.org", "r@example.org", NULL, "p", NULL,
          true, IOM_EUSAGE },
        { "smtp://alice:pw@127.0.0.1", "r@example.org", NULL, NULL,
          "loopback", true, IOM_OK },
        { "smtp://mail.example.org:99999", "r@example.org", NULL, NULL, NULL,
          true, IOM_EUSAGE },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct vars v = { cases[i].url, cases[i].from, cases[i].user,
                                cases[i].password, cases[i].plain, NULL };
        struct iom_smtp_config c;
        enum iom_status got = load(&v, cases[i].need_server, &c);

        if (got != cases[i].exp)
            fail_msg("case %zu: got %d", i, (int)got);
        iom_smtp_config_release(&c);
    }
    clear_env();
}

static void
test_smtp_password_file_first_line(void **state)
{
    char path[] = "/tmp/test_smtp_config.XXXXXX";
    int fd = mkstemp(path);
    struct iom_smtp_config c;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "s3cret\r\nsecond\n", 15), 15);
    close(fd);
    clear_env();
    setenv("IOMREPORT_SMTP_PASSWORD_FILE", path, 1);
    assert_int_equal(iom_smtp_config_load(&c, false), IOM_OK);
    assert_string_equal(c.password, "s3cret");
    iom_smtp_config_release(&c);
    assert_null(c.password);
    setenv("IOMREPORT_SMTP_PASSWORD", "other", 1);
    assert_int_equal(iom_smtp_config_load(&c, false), IOM_EUSAGE);
    iom_smtp_config_release(&c);
    unlink(path);
    unsetenv("IOMREPORT_SMTP_PASSWORD");
    assert_int_equal(iom_smtp_config_load(&c, false), IOM_EUSAGE);
    iom_smtp_config_release(&c);
    clear_env();
}

/* The sender's name and address are kept apart: MAIL FROM takes only
 * the address. */
static void
test_smtp_config_sender_name(void **state)
{
    struct iom_smtp_config c;

    (void)state;
    clear_env();
    setenv("IOMREPORT_MAIL_FROM", "\"\xC3\x89quipe IOM\" <r@example.org>", 1);
    assert_int_equal(iom_smtp_config_load(&c, false), IOM_OK);
    assert_string_equal(c.from, "r@example.org");
    assert_string_equal(c.from_name, "\xC3\x89quipe IOM");
    iom_smtp_config_release(&c);
    setenv("IOMREPORT_SMTP_CA_FILE", "/nonexistent/ca.pem", 1);
    assert_int_equal(iom_smtp_config_load(&c, false), IOM_EUSAGE);
    iom_smtp_config_release(&c);
    clear_env();
}

/* Credentials from anywhere need TLS, a login in the URL too. */
static void
test_smtp_config_login_from_anywhere(void **state)
{
    static const struct { const char *url, *user, *password; bool exp; }
    cases[] = {
        { "smtp://mail.example.org", NULL, NULL, false },
        { "smtp://mail.example.org", "u", "p", true },
        { "smtp://mail.example.org", "u", NULL, true },
        { "smtp://alice:Secret@mail.example.org", NULL, NULL, true },
        { "smtp://alice@mail.example.org", NULL, NULL, true },
        { "smtp://:Secret@mail.example.org", NULL, NULL, true },
        { "smtp://;AUTH=PLAIN@mail.example.org", NULL, NULL, true },
        { "smtps://alice:Secret@mail.example.org:465", NULL, NULL, true },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct vars v = { cases[i].url, "r@example.org", cases[i].user,
                                cases[i].password, NULL, NULL };
        struct iom_smtp_config c;

        if (load(&v, true, &c) != IOM_OK)
            fail_msg("case %zu: refused", i);
        if (c.login != cases[i].exp)
            fail_msg("case %zu: login %d", i, (int)c.login);
        iom_smtp_config_release(&c);
    }
    clear_env();
}

/* RFC 5321's timeouts, and the test knob that shortens them. */
static void
test_smtp_config_timeouts(void **state)
{
    static const struct { const char *v; enum iom_status exp; long cmd, end; }
    cases[] = {
        { NULL, IOM_OK, 300000, 600000 },
        { "2000,30000", IOM_OK, 2000, 30000 },
        { "1,1", IOM_OK, 1, 1 },
        { "2000", IOM_EUSAGE, 0, 0 },
        { "2000,", IOM_EUSAGE, 0, 0 },
        { ",2000", IOM_EUSAGE, 0, 0 },
        { "0,2000", IOM_EUSAGE, 0, 0 },
        { "2000,-1", IOM_EUSAGE, 0, 0 },
        { "2000,3000x", IOM_EUSAGE, 0, 0 },
        { "2000,99999999999999999999", IOM_EUSAGE, 0, 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct vars v = { NULL, NULL, NULL, NULL, NULL, cases[i].v };
        struct iom_smtp_config c;
        enum iom_status got = load(&v, false, &c);

        if (got != cases[i].exp)
            fail_msg("case %zu: got %d", i, (int)got);
        if (got == IOM_OK &&
            (c.command_ms != cases[i].cmd || c.end_ms != cases[i].end))
            fail_msg("case %zu: %ld, %ld", i, c.command_ms, c.end_ms);
        iom_smtp_config_release(&c);
    }
    clear_env();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smtp_config_table),
        cmocka_unit_test(test_smtp_password_file_first_line),
        cmocka_unit_test(test_smtp_config_sender_name),
        cmocka_unit_test(test_smtp_config_login_from_anywhere),
        cmocka_unit_test(test_smtp_config_timeouts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
