/*
 * test_address: addresses and the sender's mailbox.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "iom/address.h"

static void
test_address_mailbox_table(void **state)
{
    static const struct {
        const char *in;
        enum iom_status exp;
        const char *name, *addr;
    } cases[] = {
        { "reports@example.org", IOM_OK, NULL, "reports@example.org" },
        { "  reports@example.org ", IOM_OK, NULL, "reports@example.org" },
        { "IOM Reports <reports@example.org>", IOM_OK, "IOM Reports",
          "reports@example.org" },
        { "\"IOM, Reports\" <r@example.org>", IOM_OK, "IOM, Reports",
          "r@example.org" },
        { "\"a \\\"q\\\" b\" <r@example.org>", IOM_OK, "a \"q\" b",
          "r@example.org" },
        { "<r@example.org>", IOM_OK, NULL, "r@example.org" },
        { "\xC3\x89quipe <r@example.org>", IOM_OK, "\xC3\x89quipe",
          "r@example.org" },
        { "reports", IOM_EUSAGE, NULL, NULL },
        { "", IOM_EUSAGE, NULL, NULL },
        { "r@example.org\r\nBcc: x@example.org", IOM_EUSAGE, NULL, NULL },
        { "IOM\n <r@example.org>", IOM_EUSAGE, NULL, NULL },
        { "IOM <r@example.org", IOM_EUSAGE, NULL, NULL },
        { "IOM r@example.org>", IOM_EUSAGE, NULL, NULL },
        { "IOM <r@example.org> x", IOM_EUSAGE, NULL, NULL },
        { "IOM <a@example.org> <b@example.org>", IOM_EUSAGE, NULL, NULL },
        { "\"IOM <r@example.org>", IOM_EUSAGE, NULL, NULL },
        { "IOM <reports>", IOM_EUSAGE, NULL, NULL },
        { "\xFF <r@example.org>", IOM_EUSAGE, NULL, NULL },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *name = (char *)"x", *addr = (char *)"x";
        const char *why = NULL;
        enum iom_status got = iom_mailbox_parse(cases[i].in, &name, &addr,
                                                &why);

        if (got != cases[i].exp)
            fail_msg("case %zu: got %d", i, (int)got);
        if (got == IOM_OK) {
            if (cases[i].name)
                assert_string_equal(name, cases[i].name);
            else
                assert_null(name);
            assert_string_equal(addr, cases[i].addr);
        } else {
            assert_null(name);
            assert_null(addr);
            assert_non_null(why);
        }
        free(name);
        free(addr);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_address_mailbox_table),
    };

    return cmocka_run_group_tests_name("address", tests, NULL, NULL);
}
