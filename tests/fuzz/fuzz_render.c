/*
 * fuzz_render: the bytes are the field values of one project; the target
 * renders its brief and a one-row workbook, which must never crash, leak,
 * hang or fail.
 *
 * Input layout: 8 control bytes, then the text fields separated by 0x1F in
 * the order of 'text_columns' (missing ones are empty; the member states
 * field keeps its ';' separators).  The control bytes give the budget
 * (bytes 0-5, little-endian, modulo the largest budget), the Year (byte 6)
 * and, in byte 7, the precision of Start and End Date, whether Year is
 * left empty (taken from Start Date), whether the budget is written with
 * thousands separators, and how many years End is after Start.
 *
 * The record goes through the real validator, as a header and a data row,
 * so it is exactly what a run would render: trimmed, CRLF normalised,
 * states split.  Inputs that are not UTF-8 are refused (return -1: not
 * added to the corpus), since the validator rejects them before rendering.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iom/agg.h"
#include "iom/fname.h"
#include "iom/fonts.h"
#include "iom/money.h"
#include "iom/pdf_brief.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/report.h"
#include "iom/select.h"
#include "iom/text.h"
#include "iom/validate.h"
#include "iom/xlsx.h"

#include "fuzz.h"

#define CONTROL 8

enum { T_ID, T_TITLE, T_STATUS, T_TYPE, T_COVERAGE, T_REGION, T_STATES,
       T_DESCRIPTION, T_PRIMA, T_COUNT };

static const char *const text_columns[T_COUNT] = {
    "Projects ID", "Title", "Project Status", "Project Type", "Coverage",
    "IDF Region", "Benefiting Member States", "Description", "Prima ID"
};

enum { C_START = T_COUNT, C_END, C_BUDGET, C_YEAR, C_COUNT };

static const char *const control_columns[C_COUNT - T_COUNT] = {
    "Start Date", "End Date", "Budget Amount (USD)", "Year"
};

static char dir[] = "/tmp/iom-fuzz-render-XXXXXX";
static char brief_path[sizeof dir + 16];
static char xlsx_path[sizeof dir + 16];
static char font_regular[PATH_MAX];
static char font_bold[PATH_MAX];

static void
remove_dir(void)
{
    unlink(brief_path);
    unlink(xlsx_path);
    rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct iom_fonts fonts;

    (void)argc;
    (void)argv;
    if (iom_fonts_find(NULL, &fonts) != IOM_OK ||
        !realpath(fonts.regular, font_regular) ||
        !realpath(fonts.bold, font_bold) || !mkdtemp(dir)) {
        perror("fuzz_render: fonts/ (run from the repository) or /tmp");
        exit(1);
    }
    iom_fonts_release(&fonts);
    sprintf(brief_path, "%s/brief.pdf", dir);
    sprintf(xlsx_path, "%s/rollup.xlsx", dir);
    atexit(remove_dir);
    fuzz_quiet();
    return 0;
}

static void
format_date(char *out, int year, int month, int day, unsigned prec)
{
    switch (prec) {
    case 0:
        *out = '\0';
        break;
    case 1:
        sprintf(out, "%d", year);
        break;
    case 2:
        sprintf(out, "%d-%02d", year, month);
        break;
    default:
        sprintf(out, "%d-%02d-%02d", year, month, day);
    }
}

/* Budget text, optionally with ',' between groups of three digits. */
static void
format_budget(char *out, int64_t cents, bool groups)
{
    char digits[32];
    size_t n, i;

    n = (size_t)sprintf(digits, "%lld", (long long)(cents / 100));
    for (i = 0; i < n; i++) {
        if (groups && i > 0 && (n - i) % 3 == 0)
            *out++ = ',';
        *out++ = digits[i];
    }
    sprintf(out, ".%02d", (int)(cents % 100));
}

/*
 * The control fields of the data row, into 'text' (4 slots of 32 bytes).
 * Start and End keep one month and day, End some years later, so that the
 * record is valid whatever the precisions.
 */
static void
control_fields(const uint8_t *c, char text[][32])
{
    uint64_t raw = 0;
    int year = IOM_YEAR_MIN + c[6] % (IOM_YEAR_MAX - IOM_YEAR_MIN + 1);
    int month = 1 + c[4] % 12, day = 1 + c[5] % 28;
    int end_year = year + (c[7] >> 6);
    unsigned start_prec = c[7] & 3, end_prec = (c[7] >> 2) & 3;
    int i;

    for (i = 5; i >= 0; i--)
        raw = raw << 8 | c[i];
    if (end_year > IOM_YEAR_MAX)
        end_year = IOM_YEAR_MAX;
    format_date(text[0], year, month, day, start_prec);
    format_date(text[1], end_year, month, day, end_prec);
    format_budget(text[2], (int64_t)(raw % (IOM_MONEY_MAX_CENTS + 1)),
                  c[7] & 0x20);
    if ((c[7] & 0x10) && start_prec)
        text[3][0] = '\0';
    else
        sprintf(text[3], "%d", year);
}

static void
render(const struct iom_recset *rs)
{
    struct iom_selection sel;
    struct iom_report rep;
    struct iom_agg *agg = NULL;
    char **names = NULL;
    enum iom_status st;

    iom_selection_init(&sel);
    st = iom_agg_build(rs, &sel, &agg);
    if (st == IOM_OK)
        st = iom_fname_build(iom_agg_projects(agg), 1, &names, NULL);
    if (st != IOM_OK)
        abort();
    memset(&rep, 0, sizeof rep);
    rep.agg = agg;
    rep.label = "all";
    rep.selection = "All years";
    rep.created = 978307200;
    rep.font_regular = font_regular;
    rep.font_bold = font_bold;
    rep.brief_names = (const char *const *)names;
    /* A valid record that cannot be rendered is a bug as much as a crash. */
    if (iom_brief_render(&rep, iom_agg_projects(agg)[0], brief_path) != IOM_OK
        || iom_xlsx_render(&rep, xlsx_path, dir) != IOM_OK)
        abort();
    iom_fname_free(names, 1);
    iom_agg_free(agg);
    iom_selection_release(&sel);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *header[C_COUNT], *fields[C_COUNT];
    size_t header_lens[C_COUNT], lens[C_COUNT];
    char control[C_COUNT - T_COUNT][32], *text = NULL;
    struct iom_csv_row row;
    struct iom_recset rs;
    struct iom_rejects rej;
    struct iom_validator *val = NULL;
    size_t i, f = 0, start;
    int rc = -1;

    if (size < CONTROL || !iom_utf8_valid((const char *)data + CONTROL,
                                          size - CONTROL, NULL))
        return -1;
    /* One copy, each 0x1F turned into the NUL that ends a field. */
    text = malloc(size - CONTROL + 1);
    if (!text)
        abort();
    memcpy(text, data + CONTROL, size - CONTROL);
    text[size - CONTROL] = '\0';
    for (i = 0; i < T_COUNT; i++)
        fields[i] = "";
    for (start = i = 0; i <= size - CONTROL && f < T_COUNT; i++) {
        if (i == size - CONTROL || text[i] == 0x1F) {
            text[i] = '\0';
            fields[f++] = text + start;
            start = i + 1;
        }
    }
    control_fields(data, control);
    for (i = T_COUNT; i < C_COUNT; i++)
        fields[i] = control[i - T_COUNT];
    for (i = 0; i < C_COUNT; i++) {
        header[i] = i < T_COUNT ? text_columns[i] :
                    control_columns[i - T_COUNT];
        header_lens[i] = strlen(header[i]);
        lens[i] = strlen(fields[i]);
    }
    iom_recset_init(&rs);
    if (iom_rejects_init(&rej) != IOM_OK ||
        iom_validator_new("fuzz.csv", &rs, &rej, &val) != IOM_OK)
        abort();
    memset(&row, 0, sizeof row);
    row.fields = header;
    row.lens = header_lens;
    row.n = C_COUNT;
    row.line = 1;
    if (iom_validate_row(val, &row) != IOM_OK)
        abort();
    row.fields = fields;
    row.lens = lens;
    row.line = 2;
    if (iom_validate_row(val, &row) != IOM_OK)
        abort();
    /* Rejected (an empty ID or Title): nothing to render. */
    if (rs.n == 1) {
        render(&rs);
        rc = 0;
    }
    iom_validator_free(val);
    iom_rejects_release(&rej);
    iom_recset_release(&rs);
    free(text);
    return rc;
}
