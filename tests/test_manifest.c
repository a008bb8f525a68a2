/*
 * test_manifest: UTC stamps, a manifest written into a temporary run
 * folder that Python's json module must accept, and read back.
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

#include "iom/manifest.h"
#include "iom/publish.h"
#include "iom/select.h"

#include "fixture.h"

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

/* What is written is what is read back, byte for byte of each value. */
static void
test_manifest_load_round_trip(void **state)
{
    char dir[64], sub[96];
    struct iom_selection sel;
    struct iom_manifest m;
    struct iom_manifest_doc doc;
    const struct iom_manifest_file *f;
    const char *why;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    snprintf(sub, sizeof sub, "%s/briefs", dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    fixture_write_file(dir, "briefs/C\xC3\xB4te.pdf", "%PDF-1.4\n");
    fixture_write_file(dir, "summary.pdf", "hello");
    iom_selection_init(&sel);
    assert_int_equal(iom_selection_add_years(&sel, "2001-2003", &why),
                     IOM_OK);
    assert_int_equal(iom_selection_add_region(&sel, "Africa"), IOM_OK);
    assert_int_equal(iom_selection_add_type(&sel, "Labour \"Migration\""),
                     IOM_OK);
    minimal_manifest(&m, &sel);
    m.input = "input/projects.csv";
    m.input_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
                     "91b7852b855";
    m.label = "2001-2003-africa";
    m.selection = "Years 2001-2003; IDF Region: Africa";
    assert_int_equal(iom_manifest_write(dir, &m), IOM_OK);
    assert_int_equal(iom_manifest_load(dir, &doc), IOM_OK);
    assert_string_equal(doc.input, m.input);
    assert_string_equal(doc.input_sha256, m.input_sha256);
    assert_string_equal(doc.label, m.label);
    assert_string_equal(doc.selection, m.selection);
    assert_int_equal(doc.sel.n_years, 1);
    assert_int_equal(doc.sel.years[0].first, 2001);
    assert_int_equal(doc.sel.years[0].last, 2003);
    assert_int_equal(doc.sel.n_regions, 1);
    assert_string_equal(doc.sel.regions[0], "Africa");
    assert_int_equal(doc.sel.n_types, 1);
    assert_string_equal(doc.sel.types[0], "Labour \"Migration\"");
    assert_int_equal(doc.n_files, 2);
    f = iom_manifest_find(&doc, "summary.pdf");
    assert_non_null(f);
    assert_int_equal(f->bytes, 5);
    assert_string_equal(f->sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e"
                        "1b161e5c1fa7425e73043362938b9824");
    assert_non_null(iom_manifest_find(&doc, "briefs/C\xC3\xB4te.pdf"));
    assert_null(iom_manifest_find(&doc, "manifest.json"));
    iom_manifest_doc_release(&doc);
    iom_selection_release(&sel);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/*
 * A digest its writer read back is listed as given while the file has
 * that size (a made-up one shows it was not read again); a file whose size
 * has changed since, and one not given, are read back.
 */
static void
test_manifest_takes_known_digests_of_unchanged_files(void **state)
{
    static const char fake[] = "00000000000000000000000000000000"
                               "00000000000000000000000000000000";
    static const char hello[] = "2cf24dba5fb0a30e26e83b2ac5b9e29e"
                                "1b161e5c1fa7425e73043362938b9824";
    char dir[64], a[] = "a.pdf", c[] = "c.pdf";
    struct iom_selection sel;
    struct iom_manifest m;
    struct iom_manifest_file known[2];
    struct iom_manifest_doc doc;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    fixture_write_file(dir, "a.pdf", "hello");
    fixture_write_file(dir, "b.pdf", "hello");
    fixture_write_file(dir, "c.pdf", "hello");
    memset(known, 0, sizeof known);
    /* given out of order: the manifest sorts them itself */
    known[0].path = c;
    known[0].bytes = 4;
    memcpy(known[0].sha256, fake, sizeof fake);
    known[1].path = a;
    known[1].bytes = 5;
    memcpy(known[1].sha256, fake, sizeof fake);
    iom_selection_init(&sel);
    minimal_manifest(&m, &sel);
    m.input_sha256 = hello;
    m.known = known;
    m.n_known = 2;
    assert_int_equal(iom_manifest_write(dir, &m), IOM_OK);
    assert_int_equal(iom_manifest_load(dir, &doc), IOM_OK);
    assert_int_equal(doc.n_files, 3);
    assert_string_equal(iom_manifest_find(&doc, "a.pdf")->sha256, fake);
    assert_string_equal(iom_manifest_find(&doc, "b.pdf")->sha256, hello);
    assert_string_equal(iom_manifest_find(&doc, "c.pdf")->sha256, hello);
    assert_int_equal(iom_manifest_find(&doc, "c.pdf")->bytes, 5);
    iom_manifest_doc_release(&doc);
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* Not a manifest of ours: refused as such, never half read. */
static void
test_manifest_load_refuses_other_files(void **state)
{
    static const char *const bad[] = {
        "",
        "not json",
        "[]",
        "{\"tool\": \"other\"}",
        "{\"tool\": \"iomreport\", \"input\": {\"path\": \"x\", "
        "\"sha256\": \"abc\"}}",
        "{\"tool\": \"iomreport\", \"input\": {\"path\": \"x\", "
        "\"sha256\": \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca4959"
        "91b7852b855\"}, \"selection\": {\"label\": \"a\", "
        "\"description\": \"b\", \"years\": [], \"regions\": [], "
        "\"types\": []}, \"files\": [{\"path\": \"a\", \"bytes\": -1, "
        "\"sha256\": \"x\"}]}",
    };
    char dir[64];
    struct iom_manifest_doc doc;
    size_t i;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    assert_int_equal(iom_manifest_load(dir, &doc), IOM_ENOINPUT);
    iom_manifest_doc_release(&doc);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fixture_write_file(dir, "manifest.json", bad[i]);
        assert_int_equal(iom_manifest_load(dir, &doc), IOM_EJSON);
        iom_manifest_doc_release(&doc);
    }
    assert_int_equal(iom_remove_tree(dir), 0);
}

/* Reading the run about to be delivered says what failed. */
static void
test_manifest_read_run_says_why(void **state)
{
    char dir[64], *said;
    struct iom_manifest_doc doc;

    (void)state;
    fixture_tmpdir(dir, sizeof dir, "iom_man");
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_manifest_read_run(dir, &doc), IOM_ENOINPUT);
    said = fixture_capture_end();
    iom_manifest_doc_release(&doc);
    assert_non_null(strstr(said, "cannot read the manifest of the run '"));
    assert_non_null(strstr(said, "': No such file or directory\n"));
    free(said);
    fixture_write_file(dir, "manifest.json", "[]");
    fixture_capture_begin(STDERR_FILENO);
    assert_int_equal(iom_manifest_read_run(dir, &doc), IOM_ENOINPUT);
    said = fixture_capture_end();
    iom_manifest_doc_release(&doc);
    assert_non_null(strstr(said, "/manifest.json' is not a manifest of "
                                 "iomreport\n"));
    free(said);
    assert_int_equal(iom_remove_tree(dir), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manifest_format_utc_table),
        cmocka_unit_test(test_manifest_write_gives_valid_json),
        cmocka_unit_test(test_manifest_empty_folder_lists_no_files),
        cmocka_unit_test(test_manifest_missing_folder_fails),
        cmocka_unit_test(test_manifest_load_round_trip),
        cmocka_unit_test(test_manifest_takes_known_digests_of_unchanged_files),
        cmocka_unit_test(test_manifest_load_refuses_other_files),
        cmocka_unit_test(test_manifest_read_run_says_why),
    };

    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
