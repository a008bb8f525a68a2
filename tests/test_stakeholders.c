/*
 * test_stakeholders: addresses, the recipients file, and matching.
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

#include "iom/address.h"
#include "iom/stakeholders.h"

static void
test_stakeholders_email_table(void **state)
{
    static const struct {
        const char *in;
        bool exp;
    } cases[] = {
        { "a@example.org",              true },
        { "first.last+iom@mail.example.org", true },
        { "o'brien@example.org",        true },
        { "x@sub-domain.example.org",   true },
        { "",                           false },
        { "no-at.example.org",          false },
        { "@example.org",               false },
        { "a@b@example.org",            false },
        { "a@localhost",                false },
        { ".a@example.org",             false },
        { "a.@example.org",             false },
        { "a..b@example.org",           false },
        { "a b@example.org",            false },
        { "a@-x.example.org",           false },
        { "a@x-.example.org",           false },
        { "a@example..org",             false },
        { "a@example.org>, b@example.org", false },
        { "a@example.org\r\nBcc: c@example.org", false },
        { "\xC3\xA9@example.org",       false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = NULL;

        if (iom_email_valid(cases[i].in, &why) != cases[i].exp)
            fail_msg("case %zu '%s'", i, cases[i].in);
        if (!cases[i].exp)
            assert_non_null(why);
    }
}

static char *
write_temp(const char *text)
{
    static char path[] = "/tmp/test_stakeholders.XXXXXX";
    char *copy = strdup(path);
    int fd = mkstemp(copy);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return copy;
}

static void
test_stakeholders_file_rejects_bad_records(void **state)
{
    char *path = write_temp(
        "\xEF\xBB\xBF" "email, NAME ,Send,Regions,Member States,Extra\r\n"
        "a@example.org,Am\xC3\xA9lie,summary; briefs,Africa,Ghana|Mali,x\r\n"
        "bad,Bad,briefs,,,x\r\n"
        "b@example.org,,briefs,,,x\r\n"
        "c@example.org,C,postcards,,,x\r\n"
        "A@EXAMPLE.ORG,Again,briefs,,,x\r\n"
        "d@example.org,D,,,,x\r\n"
        "e@example.org,E,WORKBOOK; Book,,,x\r\n"
        "f@example.org,F,briefs\r\n"
        "g@example.org,G\xE9rard,briefs,,,x\r\n"
        "h@example.org,H,briefs,; Europe |,Ghana;;,x\r\n");
    struct iom_stakeholders s;

    (void)state;
    memset(&s, 0, sizeof s);
    assert_int_equal(iom_stakeholders_read(path, &s), IOM_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.rejected, 7);
    assert_string_equal(s.v[0].name, "Am\xC3\xA9lie");
    assert_int_equal(s.v[0].send, IOM_SEND_SUMMARY | IOM_SEND_BRIEFS);
    assert_int_equal(s.v[0].n_regions, 1);
    assert_int_equal(s.v[0].n_states, 2);
    assert_string_equal(s.v[0].states[1], "Mali");
    assert_int_equal(s.v[0].line, 2);
    assert_string_equal(s.v[1].email, "e@example.org");
    assert_int_equal(s.v[1].send, IOM_SEND_WORKBOOK | IOM_SEND_BOOK);
    /* Lists are split as the projects file's member states are. */
    assert_int_equal(s.v[2].n_regions, 1);
    assert_string_equal(s.v[2].regions[0], "Europe");
    assert_int_equal(s.v[2].n_states, 1);
    assert_string_equal(s.v[2].states[0], "Ghana");
    iom_stakeholders_release(&s);
    unlink(path);
    free(path);
}

static void
test_stakeholders_header_without_email_fails(void **state)
{
    char *path = write_temp("Name,Send\nA,briefs\n");
    struct iom_stakeholders s;

    (void)state;
    memset(&s, 0, sizeof s);
    assert_int_equal(iom_stakeholders_read(path, &s), IOM_ECSV);
    iom_stakeholders_release(&s);
    unlink(path);
    free(path);
    memset(&s, 0, sizeof s);
    assert_int_equal(iom_stakeholders_read("/nonexistent/s.csv", &s),
                     IOM_ENOINPUT);
}

static void
test_stakeholders_matches_region_and_states(void **state)
{
    char *regions[] = { (char *)"africa" };
    char *states[] = { (char *)"Ghana", (char *)"C\xC3\xB4te d'Ivoire" };
    const char *ghana[] = { "Mali", "Ghana" };
    const char *kenya[] = { "Kenya" };
    struct iom_stakeholder s;
    struct iom_record rec;

    (void)state;
    memset(&s, 0, sizeof s);
    memset(&rec, 0, sizeof rec);
    rec.region = "Africa";
    rec.states = ghana;
    rec.n_states = 2;
    assert_true(iom_stakeholder_matches(&s, &rec));       /* no filters */
    s.regions = regions;
    s.n_regions = 1;
    s.states = states;
    s.n_states = 2;
    assert_true(iom_stakeholder_matches(&s, &rec));
    rec.states = kenya;
    rec.n_states = 1;
    assert_false(iom_stakeholder_matches(&s, &rec));
    rec.n_states = 0;
    assert_false(iom_stakeholder_matches(&s, &rec));
    s.n_states = 0;
    assert_true(iom_stakeholder_matches(&s, &rec));
    rec.region = "Europe";
    assert_false(iom_stakeholder_matches(&s, &rec));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stakeholders_email_table),
        cmocka_unit_test(test_stakeholders_file_rejects_bad_records),
        cmocka_unit_test(test_stakeholders_header_without_email_fails),
        cmocka_unit_test(test_stakeholders_matches_region_and_states),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
