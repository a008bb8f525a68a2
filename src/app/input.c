/*
 * input: reading the run's input, as every run reads it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/agg.h"
#include "iom/buf.h"
#include "iom/csv_in.h"
#include "iom/input.h"
#include "iom/msg.h"
#include "iom/publish.h"
#include "iom/rejects.h"
#include "iom/run.h"
#include "iom/source.h"
#include "iom/validate.h"

/*
 * The rejects of the run published under the label: a nightly export that
 * holds the same bad records every night lists them once, not every
 * night in cron's mail.
 */
static enum iom_status
remember_rejects(struct iom_run *r)
{
    char *prev = iom_publish_current(r->opts.output, r->label);
    char *path;
    enum iom_status st;

    if (!prev)
        return IOM_OK;
    path = iom_strf("%s/rejected.csv", prev);
    st = path ? iom_rejects_load_known(&r->rej, path) : IOM_ENOMEM;
    free(path);
    free(prev);
    return st;
}

static const char *
delimiter_name(char c)
{
    return c == ',' ? "',' (comma)" : c == ';' ? "';' (semicolon)" :
           c == '\t' ? "tab" : NULL;
}

/* --delimiter, or the one the header line shows (a European Excel saves
 * ';', some exports tab). */
static void
choose_delimiter(struct iom_run *r, const char *name)
{
    char head[64 * 1024];
    size_t n;
    const char *shown;

    if (r->opts.delimiter) {
        r->src.delim = r->opts.delimiter;
    } else {
        n = iom_source_head(&r->src, head, sizeof head);
        r->src.delim = iom_csv_sniff_delimiter(head, n, "Projects ID");
    }
    shown = delimiter_name(r->src.delim);
    if (shown)
        iom_notef("%s: fields separated by %s%s", name, shown,
                  r->opts.delimiter ? " (--delimiter)" : "");
    else
        iom_notef("%s: fields separated by '%c' (--delimiter)", name,
                  r->src.delim);
}

/*
 * How the budgets are written: a file separated by ';' comes from a
 * European Excel, which writes a decimal comma, as --decimal-comma says
 * of any other file.
 */
static void
choose_money_form(struct iom_run *r, const char *name)
{
    r->src.money_form = r->opts.decimal_comma ? IOM_MONEY_COMMA_OPTION :
                        r->src.delim == ';' ? IOM_MONEY_COMMA_FILE :
                        IOM_MONEY_POINT;
    iom_notef("%s: budgets read with %s", name,
              iom_money_form_text(r->src.money_form));
}

/*
 * A file with bytes that are not UTF-8 and no UTF-8 sequence at all was
 * saved in a code page: its records are rejected one by one, and this
 * line says why, once.
 */
static void
hint_encoding(const struct iom_run *r, const char *name)
{
    const struct iom_source_census *c = iom_source_census(&r->src);

    /* Said with the rejects it explains: not again on a night whose
     * rejects are all the previous run's. */
    if (r->opts.encoding || c->invalid == 0 || c->multibyte != 0 ||
        r->rej.count == r->rej.known)
        return;
    iom_warnf("%s: the file looks like Windows-1252, not UTF-8 (%llu "
              "byte%s that %s not UTF-8, the first at byte %llu); save it as "
              "CSV UTF-8 or run with --encoding cp1252", name,
              (unsigned long long)c->invalid, c->invalid == 1 ? "" : "s",
              c->invalid == 1 ? "is" : "are",
              (unsigned long long)c->first_invalid + 1);
}

/* A dry run's record: into the selection's totals, and into the census
 * of the whole input that names what it holds when nothing matches. */
static enum iom_status
count_record(void *ctx, const struct iom_record *rec)
{
    struct iom_run *r = ctx;
    enum iom_status st = iom_agg_add(r->agg, rec);

    return st == IOM_OK ? iom_agg_add(r->census, rec) : st;
}

enum iom_status
iom_input_read(struct iom_run *r)
{
    struct iom_csv_error err = { 0, "" };
    enum iom_status st;
    const char *name = strcmp(r->opts.input, "-") == 0 ? "<stdin>" :
                       r->opts.input;

    iom_run_stage(r, "reading %s", name);
    st = iom_source_open(&r->src, r->opts.input);
    if (st == IOM_OK && r->opts.encoding)
        st = iom_source_convert(&r->src, name, r->opts.encoding);
    if (st != IOM_OK)
        return st;
    choose_delimiter(r, name);
    choose_money_form(r, name);
    st = iom_rejects_init(&r->rej);
    if (st == IOM_OK && !r->opts.send_only)
        st = remember_rejects(r);
    if (st == IOM_OK)
        st = iom_validator_new(name, &r->rs, &r->rej, &r->val);
    if (st == IOM_OK) {
        /* Descriptions are read again when rendered; a dry run needs no
         * text at all.  Memory then grows only with the small index. */
        iom_validator_keep(r->val, r->opts.dry_run ? 0 : IOM_KEEP_TEXT);
        iom_validator_money_form(r->val, r->src.money_form);
        r->src.v = r->val;
    }
    /* A dry run totals the records as they stream by and keeps none. */
    if (st == IOM_OK && r->opts.dry_run &&
        (st = iom_agg_start(&r->opts.sel, &r->agg)) == IOM_OK &&
        (st = iom_agg_start_census(&r->whole_input, &r->census)) ==
        IOM_OK)
        iom_validator_stream(r->val, count_record, r);
    if (st == IOM_OK && !r->opts.dry_run &&
        (r->opts.only & IOM_PDF_OUTPUTS)) {
        r->chars = calloc(1, sizeof *r->chars);
        if (!r->chars)
            st = IOM_ENOMEM;
        else
            iom_validator_track_chars(r->val, r->chars);
    }
    if (st == IOM_OK)
        st = iom_source_digest_start(&r->src);
    if (st == IOM_OK)
        st = iom_csv_read_delim(r->src.f, r->src.delim, iom_validate_row,
                                r->val, &err);
    if (st == IOM_ECSV && err.text[0])
        iom_errorf("%s:%lu: %s", name, err.line, err.text);
    else if (st == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, err.text);
    if (st == IOM_OK && !iom_validator_has_header(r->val)) {
        iom_errorf("%s: no header: the file is empty", name);
        st = IOM_ECSV;
    }
    if (st != IOM_OK)
        return st;
    st = iom_source_digest_finish(&r->src, r->input_sha, &r->input_bytes);
    if (st == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, strerror(errno));
    if (st != IOM_OK)
        return st;
    hint_encoding(r, name);
    iom_notef("read %s: %zu records, %zu accepted, %zu rejected (%.3f s)",
              name, iom_validator_records(r->val),
              iom_validator_accepted(r->val), r->rej.count,
              iom_run_elapsed(r));
    if (r->rej.known) {
        char where[PATH_MAX];

        iom_errorf("%zu rejected record%s the same as in the previous run "
                   "of '%s', not listed again: all are in %s",
                   r->rej.known, r->rej.known == 1 ? " is" : "s are",
                   r->label, iom_run_rejects_list(r, where));
    }
    return IOM_OK;
}
