/*
 * test_manifest: JSON string escaping, UTC stamps, and a manifest written
 * into a temporary run folder that Python's json module must accept.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iom/buf.h"
#include "iom/manifest.h"
#include "iom/publish.h"
#include "iom/select.h"

#include "fixture.h"

#define S(lit) lit, sizeof lit - 1

static void
test_manifest_json_string_table_escapes(void **state)
{
    static const struct { const char *in; size_t len; const char *exp; }
    cases[] = {
        { S(""),                 "\"\"" },
        { S("plain"),            "\"plain\"" },
        { S("a\"b"),             "\"a\\\"b\"" },
        { S("a\\b"),             "\"a\\\\b\"" },
        { S("C:\\x\\\"y\""),     "\"C:\\\\x\\\\\\\"y\\\"\"" },
        { S("l1\nl2\r\n\tx"),    "\"l1\\nl2\\r\\n\\tx\"" },
        { S("\x01\x1f\x7f"),     "\"\\u0001\\u001f\\u007f\"" },
        { S("\b\f"),             "\"\\u0008\\u000c\"" },
        { S("a\0b"),             "\"a\\u0000b\"" },
        { S("/path/ok"),         "\"/path/ok\"" },
        { S("C\xC3\xB4te"),      "\"C\xC3\xB4te\"" },
        { S("\xE2\x80\x93"),     "\"\xE2\x80\x93\"" },
        { S("\xF0\x9D\x84\x9E"), "\"\xF0\x9D\x84\x9E\"" },
        { S("C\xF4te"),          "\"C\\ufffdte\"" },
        { S("\x80"),             "\"\\ufffd\"" },
        { S("\xFF\xFE"),         "\"\\ufffd\\ufffd\"" },
        { S("a\xC3"),            "\"a\\ufffd\"" },
        { S("\xE2\x82"),         "\"\\ufffd\\ufffd\"" },
        { S("\xC0\x80"),         "\"\\ufffd\\ufffd\"" },
        { S("\xED\xA0\x80"),     "\"\\ufffd\\ufffd\\ufffd\"" },
        { S("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },
        { S("\xC3\xA9\xC3"),     "\"\xC3\xA9\\ufffd\"" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct iom_buf b = IOM_BUF_INIT;

        assert_int_equal(iom_json_put_string(&b, cases[i].in, cases[i].len),
                         IOM_OK);
        if (strcmp(b.data, cases[i].exp) != 0)
            print_message("json case %zu: %s\n", i, b.data);
        assert_string_equal(b.data, cases[i].exp);
        iom_buf_release(&b);
    }
}

static void
test_manifest_format_utc_table(void **state)
{
    static const struct { int64_t t; const char *exp; } cases[] = {
        { 0,          "1970-01-01T00:00:00Z" },
        { 1000000000, "2001-09-09T01:46:40Z" },
        { 951782400,  "2000-02-29T00:00:00Z" },
        { 4102444799, "2099-12-31T23:59:59Z" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[32];

        iom_format_utc(cases[i].t, got);
        assert_string_equal(got, cases[i].exp);
    }
}

static int
run_python(const char *code, const char *arg)
{
    char cmd[4096];

    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c '%s' '%s'", code, arg);
    return system(cmd);
}

static void
test_manifest_write_gives_valid_json(void **state)
{
    /* Checks made in Python on the written file. */
    static const char check[] =
        "import json,sys\n"
        "m = json.load(open(sys.argv[1] + \"/manifest.json\"))\n"
        "assert m[\"tool\"] == \"iomreport\", m\n"
        "assert m[\"input\"][\"path\"] == "
        "\"in\\\"put\\\\x\\x01\\ufffd.csv\", m[\"input\"]\n"
        "assert m[\"input\"][\"bytes\"] == 1234\n"
        "assert m[\"created\"] == \"2001-09-09T01:46:40Z\"\n"
        "s = m[\"selection\"]\n"
        "assert s[\"label\"] == \"2001-2003\", s\n"
        "assert s[\"years\"] == [[2001, 2001], [2003, 2003]], s\n"
        "assert s[\"regions\"] == [\"C\\u00f4te \\\"d\\\"\\nIvoire\"], s\n"
        "assert s[\"types\"] == [], s\n"
        "c = m[\"counts\"]\n"
        "assert (c[\"records\"], c[\"accepted\"], c[\"rejected\"], "
        "c[\"selected\"]) == (20, 17, 3, 12), c\n"
        "assert m[\"total_budget\"][\"cents\"] == 100000109707550\n"
        "assert m[\"total_budget\"][\"text\"] == "
        "\"USD 1,000,001,097,075.50\"\n"
        "f = m[\"files\"]\n"
        "assert [x[\"path\"] for x in f] == "
        "[\"a.txt\", \"briefs/T81-805.pdf\", \"rejected.csv\"], f\n"
        "assert f[0][\"bytes\"] == 5\n"
        "assert f[0][\"sha256\"] == \"2cf24dba5fb0a30e26e83b2ac5b9e29e"
        "1b161e5c1fa7425e73043362938b9824\"\n";
    char dir[64], sub[96];
    struct iom_selection sel;
    struct iom_manifest m;
    const char *why;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    snprintf(sub, sizeof sub, "%s/briefs", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    fixture_write_file(dir, "a.txt", "hello");
    fixture_write_file(dir, "rejected.csv", "Line,Column,Reason\r\n");
    fixture_write_file(dir, "briefs/T81-805.pdf", "%PDF-1.4\n");
    iom_selection_init(&sel);
    assert_int_equal(iom_selection_add_years(&sel, "2001", &why), IOM_OK);
    assert_int_equal(iom_selection_add_years(&sel, "2003", &why), IOM_OK);
    assert_int_equal(iom_selection_add_region(&sel,
                     "C\xC3\xB4te \"d\"\nIvoire"), IOM_OK);
    memset(&m, 0, sizeof m);
    m.input = "in\"put\\x\x01\xFF.csv";
    m.input_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
                     "91b7852b855";
    m.input_bytes = 1234;
    m.label = "2001-2003";
    m.selection = "Years 2001, 2003; IDF Region: \"x\"\\";
    m.sel = &sel;
    m.created = 1000000000;
    m.records = 20;
    m.accepted = 17;
    m.rejected = 3;
    m.selected = 12;
    m.total_cents = INT64_C(100000109707550);
    assert_int_equal(iom_manifest_write(dir, &m), IOM_OK);
    {
        char path[128];

        snprintf(path, sizeof path, "%s/manifest.json", dir);
        assert_int_equal(run_python("import json,sys; "
                                    "json.load(open(sys.argv[1]))", path),
                         0);
    }
    assert_int_equal(run_python(check, dir), 0);
    /* A second write lists the same files, not itself. */
    assert_int_equal(iom_manifest_write(dir, &m), IOM_OK);
    assert_int_equal(run_python(check, dir), 0);
    iom_selection_release(&sel);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* A manifest of no selection, read from standard input. */
static void
minimal_manifest(struct iom_manifest *m, const struct iom_selection *sel)
{
    memset(m, 0, sizeof *m);
    m->input = "-";
    m->input_sha256 = "";
    m->label = "all";
    m->selection = "All years";
    m->sel = sel;
}

static void
test_manifest_empty_folder_lists_no_files(void **state)
{
    char dir[64], path[96];
    struct iom_selection sel;
    struct iom_manifest m;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    iom_selection_init(&sel);
    minimal_manifest(&m, &sel);
    assert_int_equal(iom_manifest_write(dir, &m), IOM_OK);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    assert_int_equal(run_python("import json,sys; "
                                "m = json.load(open(sys.argv[1])); "
                                "assert m[\"files\"] == [], m", path), 0);
    assert_int_equal(iom_remove_tree(dir), 0);
}

static void
test_manifest_missing_folder_fails(void **state)
{
    struct iom_selection sel;
    struct iom_manifest m;

    (void)state;
    iom_selection_init(&sel);
    minimal_manifest(&m, &sel);
    assert_int_not_equal(iom_manifest_write("/nonexistent-iom-run", &m),
                         IOM_OK);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_json_string_table_escapes),
        cmocka_unit_test(test_manifest_format_utc_table),
        cmocka_unit_test(test_manifest_write_gives_valid_json),
        cmocka_unit_test(test_manifest_empty_folder_lists_no_files),
        cmocka_unit_test(test_manifest_missing_folder_fails),
    };

    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
