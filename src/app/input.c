/*
 * input: reading the run's input, as every run reads it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
 * A list of the run published under the label (its rejected.csv or
 * warnings.csv), started afresh for this run: a nightly export that holds
 * the same bad records every night says them once, not every night in
 * cron's mail.
 */
static enum iom_status
start_list(struct iom_run *r, struct iom_rejects *list, const char *name)
{
    char *path;
    enum iom_status st = iom_rejects_init(list);

    if (st != IOM_OK || !r->prev_dir)
        return st;
    path = iom_strf("%s/%s", r->prev_dir, name);
    st = path ? iom_rejects_load_known(list, path) : IOM_ENOMEM;
    free(path);
    return st;
}

/*
 * The run published under the label before this one, which tonight's is
 * compared with: its rejects, its encoding, its counts.  A manifest that
 * cannot be read (an earlier version's, a damaged one) only means there is
 * nothing to compare with.
 */
static enum iom_status
remember_previous(struct iom_run *r)
{
    enum iom_status st;

    if (r->opts.send_only ||
        !(r->prev_dir = iom_publish_current(r->opts.output, r->label)))
        return IOM_OK;
    st = iom_manifest_load(r->prev_dir, &r->prev);
    r->prev_known = st == IOM_OK;
    return st == IOM_ENOMEM ? st : IOM_OK;
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

/* A dry run's record: into the selection's totals, and into the census
 * of the whole input that names what it holds when nothing matches. */
static enum iom_status
count_record(void *ctx, const struct iom_record *rec)
{
    struct iom_run *r = ctx;
    enum iom_status st = iom_agg_add(r->agg, rec);

    return st == IOM_OK ? iom_agg_add(r->census, rec) : st;
}

/*
 * One reading of the input from its start: the validator and the rejects
 * (with the previous run's, to list only new ones) made afresh, every
 * record parsed.  What fails is said.
 */
static enum iom_status
read_records(struct iom_run *r, const char *name)
{
    struct iom_csv_error err = { 0, "" };
    enum iom_status st;

    st = start_list(r, &r->rej, IOM_REJECTS_FILE);
    if (st == IOM_OK)
        st = start_list(r, &r->warned, IOM_WARNINGS_FILE);
    if (st == IOM_OK)
        st = iom_validator_new(name, &r->rs, &r->rej, &r->val);
    if (st == IOM_OK) {
        iom_validator_list_warnings(r->val, &r->warned);
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
    return st;
}

/* Forget a reading, for another one from the start. */
static void
forget_records(struct iom_run *r)
{
    iom_validator_free(r->val);
    r->val = NULL;
    r->src.v = NULL;
    iom_rejects_release(&r->rej);
    memset(&r->rej, 0, sizeof r->rej);
    iom_rejects_release(&r->warned);
    memset(&r->warned, 0, sizeof r->warned);
    iom_recset_release(&r->rs);
    iom_recset_init(&r->rs);
    iom_agg_free(r->agg);
    r->agg = NULL;
    iom_agg_free(r->census);
    r->census = NULL;
    free(r->chars);
    r->chars = NULL;
}

static bool
names_utf8(const char *encoding)
{
    return strcasecmp(encoding, "UTF-8") == 0 ||
           strcasecmp(encoding, "UTF8") == 0;
}

/*
 * --encoding NAME on a file that is valid UTF-8 with characters of more
 * than one byte would turn each of them into mojibake ("CÃ´te"): refused,
 * before the file is converted.  The census needs every byte, so the
 * digest is taken first here, not beside the parse.
 */
static enum iom_status
check_told_encoding(struct iom_run *r, const char *name)
{
    const struct iom_source_census *c = iom_source_census(&r->src);
    enum iom_status st = iom_source_digest_start(&r->src);

    if (st == IOM_OK)
        st = iom_source_digest_finish(&r->src, r->input_sha,
                                      &r->input_bytes);
    if (st == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, strerror(errno));
    if (st != IOM_OK || names_utf8(r->opts.encoding) || c->invalid ||
        !c->multibyte)
        return st;
    iom_errorf("%s: --encoding %s would misread this file: it is valid "
               "UTF-8 (%llu characters of more than one byte); run without "
               "--encoding", name, r->opts.encoding,
               (unsigned long long)c->multibyte);
    return IOM_ECSV;
}

/*
 * Without --encoding, the encoding is a property of the file, decided
 * once from the census of all its bytes, never record by record.  A file
 * whose bytes that are not UTF-8 outnumber its UTF-8 characters was saved
 * in a code page (Windows-1252 from Excel): it is read again as that,
 * said in one line, or refused when it has a byte Windows-1252 leaves
 * undefined.  A few stray bytes in a UTF-8 file cost only their records.
 * *again: the input must be read again, now as Windows-1252 (the held
 * messages of the first reading are then dropped).
 */
static enum iom_status
decide_encoding(struct iom_run *r, const char *name, bool *again)
{
    const struct iom_source_census *c = iom_source_census(&r->src);
    enum iom_status st;

    if (c->invalid <= c->multibyte)
        return IOM_OK;
    iom_msg_release(false);
    forget_records(r);
    if (fseeko(r->src.f, 0, SEEK_SET) != 0) {
        iom_errorf("cannot read input '%s' again: %s", name, strerror(errno));
        return IOM_ENOINPUT;
    }
    /* The conversion's own message would name one byte: this one says
     * what the file is. */
    st = iom_msg_hold();
    if (st == IOM_OK)
        st = iom_source_convert(&r->src, name, IOM_CODE_PAGE);
    iom_msg_release(st != IOM_OK && st != IOM_ECSV);
    if (st == IOM_ECSV)
        iom_errorf("%s: neither UTF-8 (%llu byte%s not, the first at byte "
                   "%llu) nor Windows-1252 (a byte it leaves undefined): "
                   "nothing published; save it as CSV UTF-8, or give its "
                   "code page with --encoding", name,
                   (unsigned long long)c->invalid,
                   c->invalid == 1 ? " is" : "s are",
                   (unsigned long long)c->first_invalid + 1);
    if (st != IOM_OK)
        return st;
    r->opts.encoding = IOM_CODE_PAGE;
    r->encoding_guessed = true;
    /* News once: not every night for an export that is always saved so. */
    if (r->prev_known && r->prev.encoding &&
        strcmp(r->prev.encoding, IOM_CODE_PAGE) == 0)
        iom_notef("%s: read as Windows-1252, as the previous run", name);
    else
        iom_warnf("%s: read as Windows-1252: %llu of its bytes are not "
                  "UTF-8 (the first at byte %llu) and every byte is a "
                  "Windows-1252 character; save it as CSV UTF-8, or run "
                  "with --encoding cp1252 to say so", name,
                  (unsigned long long)c->invalid,
                  (unsigned long long)c->first_invalid + 1);
    *again = true;
    return IOM_OK;
}

/* Without --encoding: the digest (and its census) beside the parse, then
 * the encoding decided; the reading's messages wait for the decision. */
static enum iom_status
read_guessing_encoding(struct iom_run *r, const char *name)
{
    enum iom_status st, digest, enc;
    bool again = false;

    st = iom_msg_hold();
    if (st == IOM_OK)
        st = iom_source_digest_start(&r->src);
    if (st == IOM_OK)
        st = read_records(r, name);
    digest = iom_source_digest_finish(&r->src, r->input_sha,
                                      &r->input_bytes);
    if (digest == IOM_ENOINPUT)
        iom_errorf("cannot read input '%s': %s", name, strerror(errno));
    if (digest != IOM_OK)
        return st == IOM_OK ? digest : st;
    if (st != IOM_OK && st != IOM_ECSV)
        return st;
    enc = decide_encoding(r, name, &again);
    if (enc != IOM_OK)
        return enc;
    return again ? read_records(r, name) : st;
}

enum iom_status
iom_input_read(struct iom_run *r)
{
    enum iom_status st;
    const char *name = strcmp(r->opts.input, "-") == 0 ? "<stdin>" :
                       r->opts.input;

    iom_run_stage(r, "reading %s", name);
    st = iom_source_open(&r->src, r->opts.input);
    if (st == IOM_OK && r->opts.encoding &&
        (st = check_told_encoding(r, name)) == IOM_OK)
        st = iom_source_convert(&r->src, name, r->opts.encoding);
    if (st != IOM_OK)
        return st;
    choose_delimiter(r, name);
    choose_money_form(r, name);
    st = remember_previous(r);
    if (st == IOM_OK)
        st = r->opts.encoding ? read_records(r, name) :
             read_guessing_encoding(r, name);
    /* What was held and not dropped is said, whatever failed. */
    iom_msg_release(true);
    if (st != IOM_OK)
        return st;
    iom_notef("read %s: %zu records, %zu accepted, %zu rejected (%.3f s)",
              name, iom_validator_records(r->val),
              iom_validator_accepted(r->val), r->rej.count,
              iom_run_elapsed(r));
    /* Known rejects are no news: said only to a person who asks (-v). */
    if (r->rej.known) {
        char where[PATH_MAX];

        iom_notef("%zu rejected record%s the same as in the previous run "
                   "of '%s', not listed again: all are in %s",
                   r->rej.known, r->rej.known == 1 ? " is" : "s are",
                   r->label, iom_run_rejects_list(r, where));
    }
    if (r->warned.known)
        iom_notef("%zu warning%s the same as in the previous run of '%s', "
                  "not said again: all are in its %s", r->warned.known,
                  r->warned.known == 1 ? " is" : "s are", r->label,
                  IOM_WARNINGS_FILE);
    return IOM_OK;
}
