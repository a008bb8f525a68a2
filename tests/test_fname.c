/*
 * test_fname: brief file names from hostile IDs.  Every name must match
 * ^[A-Za-z0-9_][A-Za-z0-9._-]*\.pdf$, be at most IOM_FNAME_MAX bytes and
 * differ from every other name without regard to case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "iom/csv_in.h"
#include "iom/fname.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/validate.h"

#include "fixture.h"

static void
assert_safe_and_distinct(char **names, size_t n)
{
    regex_t re;
    size_t i, k;

    assert_int_equal(regcomp(&re, "^[A-Za-z0-9_][A-Za-z0-9._-]*\\.pdf$",
                             REG_EXTENDED | REG_NOSUB), 0);
    for (i = 0; i < n; i++) {
        assert_non_null(names[i]);
        if (regexec(&re, names[i], 0, NULL, 0) != 0)
            print_message("unsafe name '%s'\n", names[i]);
        assert_int_equal(regexec(&re, names[i], 0, NULL, 0), 0);
        assert_true(strlen(names[i]) <= IOM_FNAME_MAX);
        for (k = 0; k < i; k++) {
            if (strcasecmp(names[i], names[k]) == 0)
                print_message("'%s' and '%s' clash\n", names[i], names[k]);
            assert_int_not_equal(strcasecmp(names[i], names[k]), 0);
        }
    }
    regfree(&re);
}

/* Names for 'ids' (n of them), built through iom_fname_build. */
static char **
names_for(const char *const *ids, size_t n)
{
    struct iom_record *recs = calloc(n ? n : 1, sizeof *recs);
    const struct iom_record **ptrs = calloc(n ? n : 1, sizeof *ptrs);
    char **names = NULL;
    size_t i;

    assert_non_null(recs);
    assert_non_null(ptrs);
    for (i = 0; i < n; i++) {
        recs[i].id = ids[i];
        ptrs[i] = &recs[i];
    }
    assert_int_equal(iom_fname_build(ptrs, n, &names, NULL), IOM_OK);
    assert_non_null(names);
    free(ptrs);
    free(recs);
    return names;
}

static void
test_fname_hostile_ids_give_safe_distinct_names(void **state)
{
    char long_id[301], long_id2[302];
    const char *ids[] = {
        "../../etc/passwd", "/tmp/x", ".hidden", "a/b", "a_b", long_id,
        long_id2, "", "///", "\xC3\xA9", "AB", "ab", "Ab", ".", "..",
        "...", "x.pdf", "T81-805", "CE.0134", "a b\tc", "a\\b",
        "C\xC3\xB4te d'Ivoire", "a_b_2", "\xF0\x9D\x84\x9E",
    };
    const size_t n = sizeof ids / sizeof ids[0];
    char **names;

    (void)state;
    memset(long_id, 'x', 300);
    long_id[300] = '\0';
    memset(long_id2, 'x', 300);
    long_id2[300] = 'y';
    long_id2[301] = '\0';
    names = names_for(ids, n);
    assert_safe_and_distinct(names, n);
    iom_fname_free(names, n);
}

/* A name that starts with '-' reads as an option to rm, mv, lpr... */
static void
test_fname_leading_dash_id_gets_safe_first_char(void **state)
{
    const char *ids[] = { "-rf", "--help" };
    char **names;

    (void)state;
    names = names_for(ids, 2);
    assert_safe_and_distinct(names, 2);
    iom_fname_free(names, 2);
}

static void
test_fname_plain_ids_keep_their_name(void **state)
{
    static const struct { const char *id, *exp; } cases[] = {
        { "T81-805", "T81-805.pdf" },
        { "QD6-805", "QD6-805.pdf" },
        { "CE.0134", "CE.0134.pdf" },
        { "LM.0087", "LM.0087.pdf" },
        { "a/b", "a_b.pdf" },
        { ".hidden", "_hidden.pdf" },
        { "../../etc/passwd", "_._.._etc_passwd.pdf" },
        { "/tmp/x", "_tmp_x.pdf" },
        { "C\xC3\xB4te", "C_te.pdf" },
        { "", "_.pdf" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char **names = names_for(&cases[i].id, 1);

        assert_string_equal(names[0], cases[i].exp);
        iom_fname_free(names, 1);
    }
}

/* The first ID keeps the plain name; later ones get a suffix. */
static void
test_fname_clashes_get_suffix_in_file_order(void **state)
{
    const char *ids[] = { "a/b", "a_b", "AB", "ab", "a:b" };
    char **names;

    (void)state;
    names = names_for(ids, 5);
    assert_string_equal(names[0], "a_b.pdf");
    assert_string_not_equal(names[1], "a_b.pdf");
    assert_string_equal(names[2], "AB.pdf");
    assert_true(strcasecmp(names[3], "AB.pdf") != 0);
    assert_safe_and_distinct(names, 5);
    iom_fname_free(names, 5);
}

static void
test_fname_long_ids_truncated_to_limit(void **state)
{
    char ids_buf[20][320];
    const char *ids[20];
    char **names;
    size_t i;

    (void)state;
    /* Twenty IDs equal in their first 300 bytes. */
    for (i = 0; i < 20; i++) {
        memset(ids_buf[i], 'L', 300);
        snprintf(ids_buf[i] + 300, 20, "%zu", i);
        ids[i] = ids_buf[i];
    }
    names = names_for(ids, 20);
    assert_int_equal(strlen(names[0]), IOM_FNAME_MAX);
    assert_safe_and_distinct(names, 20);
    iom_fname_free(names, 20);
}

static void
test_fname_many_identical_stems_stay_distinct(void **state)
{
    const char *ids[300];
    char **names;
    size_t i;

    (void)state;
    for (i = 0; i < 300; i++)
        ids[i] = i % 3 ? (i % 3 == 1 ? "p/q" : "P?Q") : "p_q";
    names = names_for(ids, 300);
    assert_safe_and_distinct(names, 300);
    iom_fname_free(names, 300);
}

static int
case_cmp(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/*
 * 20,000 IDs that all make "a_.pdf": numbered in order, distinct without
 * regard to case, with a number of lookups linear in the count (each
 * suffix was once tried from _2 up, one lookup per number: 2*10^8).
 */
static void
test_fname_colliding_ids_numbered_in_linear_lookups(void **state)
{
    enum { N = 20000 };
    static char buf[N][8];
    struct iom_record *recs = calloc(N, sizeof *recs);
    const struct iom_record **ptrs = calloc(N, sizeof *ptrs);
    char **names = NULL, **sorted = calloc(N, sizeof *sorted);
    unsigned long tries = 0;
    size_t i;

    (void)state;
    assert_non_null(recs);
    assert_non_null(ptrs);
    assert_non_null(sorted);
    for (i = 0; i < N; i++) {
        unsigned cp = 0x100 + (unsigned)i;      /* one 2- or 3-byte char */

        if (cp < 0x800)
            snprintf(buf[i], sizeof buf[i], "a%c%c", 0xC0 | (cp >> 6),
                     0x80 | (cp & 0x3F));
        else
            snprintf(buf[i], sizeof buf[i], "a%c%c%c", 0xE0 | (cp >> 12),
                     0x80 | ((cp >> 6) & 0x3F), 0x80 | (cp & 0x3F));
        recs[i].id = buf[i];
        ptrs[i] = &recs[i];
    }
    assert_int_equal(iom_fname_build(ptrs, N, &names, &tries), IOM_OK);
    assert_string_equal(names[0], "a_.pdf");
    assert_string_equal(names[1], "a__2.pdf");
    assert_string_equal(names[N - 1], "a__20000.pdf");
    assert_true(tries <= 2 * (unsigned long)N);
    memcpy(sorted, names, N * sizeof *sorted);
    qsort(sorted, N, sizeof *sorted, case_cmp);
    for (i = 1; i < N; i++)
        assert_int_not_equal(strcasecmp(sorted[i - 1], sorted[i]), 0);
    free(sorted);
    iom_fname_free(names, N);
    free(ptrs);
    free(recs);
}

/* Names taken by other IDs are skipped, and the next number goes on. */
static void
test_fname_suffix_taken_by_another_id_is_skipped(void **state)
{
    const char *ids[] = { "x/y", "x_y_3", "x:y", "x?y", "X_Y_2" };
    char **names;

    (void)state;
    names = names_for(ids, 5);
    assert_string_equal(names[0], "x_y.pdf");
    assert_string_equal(names[1], "x_y_3.pdf");
    assert_string_equal(names[2], "x_y_2.pdf");
    assert_string_equal(names[3], "x_y_4.pdf");
    assert_string_equal(names[4], "X_Y_2_2.pdf");
    assert_safe_and_distinct(names, 5);
    iom_fname_free(names, 5);
}

/* Device names Windows refuses, in any case and with any extension. */
static void
test_fname_windows_reserved_names_avoided(void **state)
{
    static const struct { const char *id, *exp; } cases[] = {
        { "CON", "_CON.pdf" },
        { "nul", "_nul.pdf" },
        { "com1", "_com1.pdf" },
        { "LPT9", "_LPT9.pdf" },
        { "COM0", "_COM0.pdf" },
        { "NUL.pdf", "_NUL.pdf.pdf" },
        { "aux.txt", "_aux.txt.pdf" },
        { "PRN.", "_PRN..pdf" },
        { "Aux x", "Aux_x.pdf" },
        { "CONSOLE", "CONSOLE.pdf" },
        { "COM10", "COM10.pdf" },
        { "LPT", "LPT.pdf" },
        { "CO", "CO.pdf" },
    };
    static const struct { const char *name; bool exp; } refused[] = {
        { "CON", true }, { "con.eml", true }, { "Com1.txt.eml", true },
        { "nul .eml", true }, { "lpt0", true }, { "a.", true }, { "a ", true },
        { "a.eml", false }, { "CONX.eml", false }, { "com.eml", false },
        { "_CON.pdf", false }, { "COM10", false }, { "", false },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char **names = names_for(&cases[i].id, 1);

        assert_string_equal(names[0], cases[i].exp);
        assert_false(iom_fname_windows_refuses(names[0]));
        iom_fname_free(names, 1);
    }
    for (i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (iom_fname_windows_refuses(refused[i].name) != refused[i].exp)
            print_message("'%s'\n", refused[i].name);
        assert_int_equal(iom_fname_windows_refuses(refused[i].name),
                         refused[i].exp);
    }
}

static void
test_fname_no_records_gives_empty_array(void **state)
{
    char **names = NULL;

    (void)state;
    assert_int_equal(iom_fname_build(NULL, 0, &names, NULL), IOM_OK);
    iom_fname_free(names, 0);
    iom_fname_free(NULL, 0);
}

/* hostile_ids.csv through the validator, as a run reads it. */
static void
test_fname_hostile_ids_file_gives_six_safe_names(void **state)
{
    struct fixture_input in;
    const struct iom_record *ptrs[16];
    char **names = NULL;
    size_t i;

    (void)state;
    fixture_input_load(&in, "tests/data/hostile_ids.csv");
    assert_int_equal(in.st, IOM_OK);
    assert_int_equal(in.rs.n, 6);
    for (i = 0; i < in.rs.n; i++)
        ptrs[i] = &in.rs.recs[i];
    assert_int_equal(iom_fname_build(ptrs, in.rs.n, &names, NULL), IOM_OK);
    assert_safe_and_distinct(names, in.rs.n);
    iom_fname_free(names, in.rs.n);
    fixture_input_release(&in);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fname_hostile_ids_give_safe_distinct_names),
        cmocka_unit_test(test_fname_leading_dash_id_gets_safe_first_char),
        cmocka_unit_test(test_fname_plain_ids_keep_their_name),
        cmocka_unit_test(test_fname_clashes_get_suffix_in_file_order),
        cmocka_unit_test(test_fname_long_ids_truncated_to_limit),
        cmocka_unit_test(test_fname_many_identical_stems_stay_distinct),
        cmocka_unit_test(test_fname_colliding_ids_numbered_in_linear_lookups),
        cmocka_unit_test(test_fname_suffix_taken_by_another_id_is_skipped),
        cmocka_unit_test(test_fname_windows_reserved_names_avoided),
        cmocka_unit_test(test_fname_no_records_gives_empty_array),
        cmocka_unit_test(test_fname_hostile_ids_file_gives_six_safe_names),
    };

    return cmocka_run_group_tests_name("fname", tests, NULL, NULL);
}
