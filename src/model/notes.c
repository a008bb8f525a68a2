/*
 * notes: the "Data and definitions" items, written once so that the
 * summary and the workbook cannot say different things; and the words on
 * rejected records that the summary's cover and the mail share.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iom/buf.h"
#include "iom/notes.h"

static enum iom_status
add(struct iom_notes *notes, const char *name, struct iom_buf *text)
{
    char *s = iom_buf_detach(text);

    assert(notes->n < IOM_NOTES_MAX);
    if (!s)
        return IOM_ENOMEM;
    notes->v[notes->n].name = name;
    notes->v[notes->n].text = s;
    notes->n++;
    return IOM_OK;
}

/* The items that say where the figures come from. */
static enum iom_status
provenance(const struct iom_report *rep, struct iom_notes *out,
           struct iom_buf *b)
{
    time_t t = (time_t)rep->created;
    char when[40] = "";
    struct tm tm;
    enum iom_status st = IOM_OK;

    if (rep->input) {
        /* outside readers get the file's name, not the server's folders;
         * manifest.json keeps the path */
        st = iom_buf_adds(b, strcmp(rep->input, "-") == 0 ?
                          "standard input" : iom_path_base(rep->input));
        if (st == IOM_OK)
            st = add(out, "Input file", b);
        if (st == IOM_OK)
            st = iom_buf_addf(b, "%.*s... (the first %d of its 64 hex "
                              "digits; manifest.json has them all)",
                              IOM_NOTES_SHA_DIGITS,
                              rep->input_sha256 ? rep->input_sha256 : "",
                              IOM_NOTES_SHA_DIGITS);
        if (st == IOM_OK)
            st = add(out, "Input SHA-256", b);
        if (st == IOM_OK && rep->encoding_guessed)
            st = iom_buf_adds(b, "Windows-1252: the file is not UTF-8, and "
                              "every byte of it is a character of the code "
                              "page Excel saves CSV files in");
        else if (st == IOM_OK && rep->encoding)
            st = iom_buf_addf(b, "%s, as the run was told (--encoding)",
                              rep->encoding);
        if (st == IOM_OK && rep->encoding)
            st = add(out, "Encoding", b);
        if (st == IOM_OK)
            st = iom_buf_addf(b, "%zu read, %zu accepted, %zu rejected; "
                              "rejected.csv, in the run's folder with this "
                              "file, lists every rejected record with its "
                              "line and reason", rep->records, rep->accepted,
                              rep->rejected);
        if (st == IOM_OK)
            st = add(out, "Records", b);
    }
    if (gmtime_r(&t, &tm))
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &tm);
    if (st == IOM_OK)
        st = iom_buf_addf(b, "%s by iomreport " IOM_VERSION, when);
    if (st == IOM_OK)
        st = add(out, "Generated", b);
    if (st == IOM_OK)
        st = iom_buf_addf(b, "%s (%zu project%s)", rep->selection,
                          iom_agg_count(rep->agg),
                          iom_agg_count(rep->agg) == 1 ? "" : "s");
    if (st == IOM_OK)
        st = add(out, "Selection", b);
    return st;
}

/* How the budgets were read: the same input read another way would
 * give other totals. */
static enum iom_status
numbers(enum iom_money_form form, struct iom_buf *b)
{
    return iom_buf_addf(b, "Budgets read with %s, after an optional $ or "
                        "USD%s.", iom_money_form_text(form),
                        form == IOM_MONEY_POINT ? "" :
                        "; a lone '.' before the last one or two digits "
                        "(37450.00) is a decimal point");
}

enum iom_status
iom_notes_build(const struct iom_report *rep, struct iom_notes *out)
{
    static const struct {
        const char *name, *text;
    } words[] = {
        { "Year", "The project's Year column; when it is empty, the year of "
                  "its Start Date." },
        { "Budget", "Budget Amount (USD) as exported, added up exactly in "
                    "cents." },
        { "Numbers", NULL },    /* how this input writes them: numbers() */
        { "Share", "A group's budget divided by the selection's total "
                   "budget, from exact cents, each rounded on its own to "
                   "0.1 % (halves away from zero): equal budgets show equal "
                   "shares, and rounded shares may not add up to exactly "
                   "100.0 %." },
        { "Unspecified", "The group of the projects whose IDF Region or "
                         "Project Type is empty in the input." },
    };
    struct iom_buf b = IOM_BUF_INIT;
    enum iom_status st;
    size_t i;

    memset(out, 0, sizeof *out);
    st = provenance(rep, out, &b);
    for (i = 0; st == IOM_OK && i < sizeof words / sizeof words[0]; i++) {
        st = words[i].text ? iom_buf_adds(&b, words[i].text) :
             numbers(rep->money_form, &b);
        if (st == IOM_OK)
            st = add(out, words[i].name, &b);
    }
    iom_buf_release(&b);
    if (st != IOM_OK)
        iom_notes_release(out);
    return st;
}

void
iom_notes_release(struct iom_notes *notes)
{
    size_t i;

    for (i = 0; i < notes->n; i++)
        free(notes->v[i].text);
    memset(notes, 0, sizeof *notes);
}

enum iom_status
iom_notes_rejected(size_t records, size_t accepted, size_t rejected,
                   struct iom_buf *out)
{
    iom_buf_reset(out);
    if (!rejected)
        return IOM_OK;
    return iom_buf_addf(out, "%zu of %zu records accepted; %zu rejected, "
                        "listed in rejected.csv", accepted, records,
                        rejected);
}
