/*
 * cli: the command line of the README's Usage section (and iomreport(1)).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iom/cli.h"
#include "iom/fonts.h"

static const char help_text[] =
"Usage: iomreport [OPTION]...\n"
"       iomreport send LABEL [OPTION]...\n"
"Turn a CSV export of IOM Development Fund projects into a PDF brief per\n"
"project, a PDF portfolio summary and an XLSX roll-up workbook.\n"
"\n"
"Input and output:\n"
"  -i, --input FILE      projects CSV (default input/projects.csv; - reads\n"
"                        standard input)\n"
"  -o, --output DIR      output folder (default output); the run writes\n"
"                        DIR/LABEL/\n"
"      --label LABEL     name of the run folder (letters, digits, . _ -);\n"
"                        default: the whole selection, e.g. 2001,\n"
"                        2001_2004, all_r-africa, 2001-2005_t-tcmmcb\n"
"      --only LIST       render only these, comma-separated: briefs,\n"
"                        summary, workbook, book (manifest.json and\n"
"                        rejected.csv are always written)\n"
"      --encoding NAME   the input's character encoding, as iconv names it\n"
"                        (cp1252, latin1, utf-16...; default UTF-8)\n"
"      --delimiter C     field separator: one character, or tab (default:\n"
"                        ',', or ';' or tab when the header shows it)\n"
"      --decimal-comma   budgets have a decimal comma and '.' thousands\n"
"                        separators (37.450,00), as in a ';'-separated file\n"
"      --fonts DIR       folder holding DejaVuSans.ttf and\n"
"                        DejaVuSans-Bold.ttf, the only one looked in (else\n"
"                        $IOMREPORT_FONTS; else fonts/, then\n"
"                        PREFIX/share/iomreport/fonts beside the binary,\n"
"                        " IOM_SYSTEM_FONTS ", each passed over\n"
"                        when its fonts cannot be used)\n"
"\n"
"Selection (repeatable; without them every project is selected):\n"
"  -y, --year YEAR       projects of YEAR, or of FIRST-LAST (2001-2005)\n"
"  -r, --region NAME     projects of this IDF Region (case-insensitive)\n"
"  -t, --type NAME       projects of this Project Type (case-insensitive)\n"
"\n"
"Running:\n"
"      --strict          publish nothing when any record is rejected (the\n"
"                        list goes to OUTPUT/.LABEL.rejected.csv)\n"
"      --max-rejected N[%]  publish nothing when more records than this\n"
"                        are rejected (default: 10%, or the previous\n"
"                        run's share and 10 points)\n"
"      --allow-shrink    publish a night that has lost more than a tenth\n"
"                        of the previous run's projects\n"
"  -n, --dry-run         read and validate, print the totals, write nothing\n"
"  -j, --jobs N          render in N parallel workers (default: online CPUs)\n"
"      --wait[=SECONDS]  wait for another run on the same output folder\n"
"                        instead of exiting with 75 (no SECONDS or 0: for\n"
"                        as long as it takes)\n"
"      --keep N          run folders to keep, the most recently published\n"
"                        (default 2; the published one always stays)\n"
"  -v, --verbose         one line per stage, with counts and timings\n"
"      --progress        show a progress bar (default: on a terminal)\n"
"      --no-progress     never show a progress bar\n"
"  -h, --help            show this help and exit\n"
"  -V, --version         show the version and exit\n"
"\n"
"";

/* A second part: C11 promises string literals of 4095 bytes only. */
static const char help_delivery[] =
"Delivery to stakeholders (send LABEL sends the run already published in\n"
"OUTPUT/LABEL; each message goes once per label: OUTPUT/.LABEL.delivery.log\n"
"records what the server accepted; settings and recipients are checked\n"
"before anything is published):\n"
"      --send            after publishing, mail each stakeholder the summary,\n"
"                        workbook and briefs of their regions and member\n"
"                        states\n"
"      --stakeholders FILE  recipients CSV: Name, Email, Regions, Member\n"
"                        States, Send (default input/stakeholders.csv)\n"
"      --max-message-mb N  split larger messages into numbered parts\n"
"                        (default 20; decimals allowed)\n"
"      --changed-only    attach only files whose SHA-256 changed since the\n"
"                        previous run folder\n"
"      --outbox DIR      write each message to DIR/ADDRESS-HASH.eml instead\n"
"                        of sending it (implies --send)\n"
"  Mail settings come from the environment only: IOMREPORT_SMTP_URL\n"
"  (smtp://HOST[:PORT], STARTTLS when offered, or smtps://),\n"
"  IOMREPORT_MAIL_FROM ('addr' or 'Name <addr>'), IOMREPORT_SMTP_USER,\n"
"  IOMREPORT_SMTP_PASSWORD or IOMREPORT_SMTP_PASSWORD_FILE (or the URL's\n"
"  USER:PASSWORD@; sent over TLS only), IOMREPORT_SMTP_CA_FILE,\n"
"  IOMREPORT_SMTP_PLAINTEXT_LOGIN=loopback (a login without TLS, for a\n"
"  relay on this machine only).\n"
"\n"
"Exit status:\n"
"  0   all records accepted, every output written (and every message sent)\n"
"  64  bad command line, SOURCE_DATE_EPOCH or mail setting (nothing\n"
"      published)\n"
"  65  outputs written but some records rejected (see rejected.csv), or\n"
"      nothing written: under --strict, when no project matches the\n"
"      selection, or a stakeholder record rejected\n"
"  66  input missing or not readable as CSV\n"
"  67  the mail server refused a recipient or message for good (the\n"
"      others were served)\n"
"  71  out of memory, or the system refused a resource (a thread, a worker)\n"
"  72  fonts not found or not usable (the message names the font file,\n"
"      or the folders tried)\n"
"  73  output folder cannot be created, or something iomreport did not\n"
"      make stands at OUTPUT/LABEL (nothing published)\n"
"  74  write failure\n"
"  75  another run holds the lock on the output folder; or the mail server\n"
"      is out of reach, answered 4xx, offers no TLS for the login, refused\n"
"      the session (530, 535, 5xx to MAIL FROM: fix the setting) or never\n"
"      answered a message's end (that one is named and not sent again):\n"
"      published, the next run resumes where it stopped\n"
"  130, 143  stopped by SIGINT or SIGTERM (the message says what was\n"
"      published and sent)\n"
"\n"
"SOURCE_DATE_EPOCH, when set, is the date stamped into every file.\n"
"Example: iomreport --year 2001 --output /srv/reports\n";

const char *
iom_cli_help(void)
{
    static char text[sizeof help_text + sizeof help_delivery];

    if (!text[0])
        snprintf(text, sizeof text, "%s%s", help_text, help_delivery);
    return text;
}

enum {
    OPT_LABEL = 256, OPT_ONLY, OPT_FONTS, OPT_STRICT, OPT_WAIT, OPT_KEEP,
    OPT_PROGRESS, OPT_NO_PROGRESS, OPT_SEND, OPT_STAKEHOLDERS, OPT_MAX_MB,
    OPT_CHANGED_ONLY, OPT_OUTBOX, OPT_ENCODING, OPT_DELIMITER,
    OPT_MAX_REJECTED, OPT_ALLOW_SHRINK, OPT_DECIMAL_COMMA
};

static const struct option long_options[] = {
    { "input", required_argument, NULL, 'i' },
    { "output", required_argument, NULL, 'o' },
    { "label", required_argument, NULL, OPT_LABEL },
    { "only", required_argument, NULL, OPT_ONLY },
    { "fonts", required_argument, NULL, OPT_FONTS },
    { "year", required_argument, NULL, 'y' },
    { "region", required_argument, NULL, 'r' },
    { "type", required_argument, NULL, 't' },
    { "strict", no_argument, NULL, OPT_STRICT },
    { "dry-run", no_argument, NULL, 'n' },
    { "jobs", required_argument, NULL, 'j' },
    { "wait", optional_argument, NULL, OPT_WAIT },
    { "keep", required_argument, NULL, OPT_KEEP },
    { "verbose", no_argument, NULL, 'v' },
    { "progress", no_argument, NULL, OPT_PROGRESS },
    { "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
    { "send", no_argument, NULL, OPT_SEND },
    { "stakeholders", required_argument, NULL, OPT_STAKEHOLDERS },
    { "max-message-mb", required_argument, NULL, OPT_MAX_MB },
    { "changed-only", no_argument, NULL, OPT_CHANGED_ONLY },
    { "outbox", required_argument, NULL, OPT_OUTBOX },
    { "encoding", required_argument, NULL, OPT_ENCODING },
    { "delimiter", required_argument, NULL, OPT_DELIMITER },
    { "max-rejected", required_argument, NULL, OPT_MAX_REJECTED },
    { "allow-shrink", no_argument, NULL, OPT_ALLOW_SHRINK },
    { "decimal-comma", no_argument, NULL, OPT_DECIMAL_COMMA },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

void
iom_opts_init(struct iom_opts *o)
{
    memset(o, 0, sizeof *o);
    o->input = "input/projects.csv";
    o->output = "output";
    o->only = IOM_OUT_ALL;
    o->progress = -1;
    o->wait_seconds = -1;
    o->keep = 2;
    o->stakeholders = "input/stakeholders.csv";
    o->max_message_bytes = 20 * 1000 * 1000;
    iom_selection_init(&o->sel);
}

void
iom_opts_release(struct iom_opts *o)
{
    iom_selection_release(&o->sel);
}

/* "WHAT 'ARG': WHY" into o->error; 'arg' and 'why' may be NULL. */
static enum iom_cli_result
usage(struct iom_opts *o, const char *what, const char *arg, const char *why)
{
    snprintf(o->error, sizeof o->error, "%s%s%.100s%s%s%s", what,
             arg ? " '" : "", arg ? arg : "", arg ? "'" : "",
             why ? ": " : "", why ? why : "");
    return IOM_CLI_USAGE;
}

/* A whole number in [min, max]; false when 'arg' is anything else. */
static bool
parse_long(const char *arg, long min, long max, long *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* A positive number of megabytes (10^6 bytes), decimals allowed. */
static bool
parse_megabytes(const char *arg, uint64_t *out)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(arg, &end);
    if (errno || end == arg || *end || !(v >= 0.001) || v > 100000)
        return false;
    *out = (uint64_t)(v * 1e6);
    return true;
}

/* "send LABEL" after the options, or nothing left at all. */
static enum iom_cli_result
subcommand(int argc, char **argv, struct iom_opts *o, bool delivery_opts)
{
    if (optind >= argc)
        return delivery_opts && !o->send ?
               usage(o, "--stakeholders, --max-message-mb and "
                     "--changed-only need --send", NULL, NULL) :
               IOM_CLI_RUN;
    if (strcmp(argv[optind], "send") != 0)
        return usage(o, "unexpected argument", argv[optind], NULL);
    if (optind + 1 >= argc)
        return usage(o, "send: missing LABEL", NULL, NULL);
    if (optind + 2 < argc)
        return usage(o, "unexpected argument", argv[optind + 2], NULL);
    if (!iom_label_valid(argv[optind + 1]))
        return usage(o, "send: invalid LABEL", argv[optind + 1], NULL);
    if (o->label || o->sel.n_years || o->sel.n_regions || o->sel.n_types ||
        o->dry_run || o->strict || o->only != IOM_OUT_ALL)
        return usage(o, "send: the run's selection and files come from its "
                     "manifest; --label, --year, --region, --type, --only, "
                     "--strict and --dry-run do not apply", NULL, NULL);
    o->label = argv[optind + 1];
    o->send = true;
    o->send_only = true;
    return IOM_CLI_RUN;
}

/* One byte that can separate fields ("tab" names the tab). */
static bool
parse_delimiter(const char *arg, char *out)
{
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0) {
        *out = '\t';
        return true;
    }
    if (strlen(arg) != 1 || (unsigned char)arg[0] >= 0x80 ||
        strchr("\"\r\n ", arg[0]))
        return false;
    *out = arg[0];
    return true;
}

static bool
parse_only(const char *arg, unsigned *out)
{
    static const struct { const char *name; unsigned bit; } kinds[] = {
        { "briefs", IOM_OUT_BRIEFS },
        { "summary", IOM_OUT_SUMMARY },
        { "workbook", IOM_OUT_WORKBOOK },
        { "book", IOM_OUT_BOOK },
    };
    unsigned bits = 0;
    const char *p = arg;

    while (*p) {
        size_t len = strcspn(p, ","), k;

        for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (strlen(kinds[k].name) == len &&
                strncmp(kinds[k].name, p, len) == 0)
                break;
        if (k == sizeof kinds / sizeof kinds[0])
            return false;
        bits |= kinds[k].bit;
        p += len;
        if (*p == ',')
            p++;
    }
    if (!bits)
        return false;
    *out = bits;
    return true;
}

enum iom_cli_result
iom_cli_parse(int argc, char **argv, struct iom_opts *o)
{
    int c;
    long v;
    const char *why;
    enum iom_status st = IOM_OK;
    bool delivery_opts = false;

    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":i:o:y:r:t:nj:vhV", long_options,
                            NULL)) != -1) {
        /* Only --wait has an optional value; the others always get one. */
        const char *arg = optarg ? optarg : "";

        switch (c) {
        case 'i':
            o->input = arg;
            o->input_given = true;
            break;
        case 'o':
            if (!*arg)
                return usage(o, "empty --output", NULL, NULL);
            o->output = arg;
            break;
        case OPT_LABEL:
            if (!iom_label_valid(arg))
                return usage(o, "invalid --label", arg,
                             "use letters, digits, '.', '_' and '-', not "
                             "starting with '.', at most 63 characters");
            o->label = arg;
            break;
        case OPT_ONLY:
            if (!parse_only(arg, &o->only))
                return usage(o, "invalid --only", arg,
                             "expected a comma-separated list of briefs, "
                             "summary, workbook, book");
            break;
        case OPT_FONTS:
            o->fonts = arg;
            break;
        case 'y':
            st = iom_selection_add_years(&o->sel, arg, &why);
            if (st == IOM_EUSAGE)
                return usage(o, "invalid --year", arg, why);
            break;
        case 'r':
            st = iom_selection_add_region(&o->sel, arg);
            break;
        case 't':
            st = iom_selection_add_type(&o->sel, arg);
            break;
        case OPT_MAX_REJECTED:
            if (!iom_limit_parse(arg, &o->max_rejected))
                return usage(o, "invalid --max-rejected", arg,
                             "expected a number of records, or a "
                             "percentage such as 10%");
            break;
        case OPT_ALLOW_SHRINK:
            o->allow_shrink = true;
            break;
        case OPT_STRICT:
            o->strict = true;
            break;
        case 'n':
            o->dry_run = true;
            break;
        case 'j':
            if (!parse_long(arg, 1, 256, &v))
                return usage(o, "invalid --jobs", arg,
                             "expected a number from 1 to 256");
            o->jobs = v;
            break;
        case OPT_WAIT:
            o->wait_seconds = 0;
            if (optarg) {
                if (!parse_long(arg, 0, INT_MAX, &v))
                    return usage(o, "invalid --wait", arg,
                                 "expected a number of seconds");
                o->wait_seconds = (int)v;
            }
            break;
        case OPT_KEEP:
            if (!parse_long(arg, 1, 1000, &v))
                return usage(o, "invalid --keep", arg,
                             "expected a number from 1 to 1000");
            o->keep = (int)v;
            break;
        case 'v':
            o->verbose = true;
            break;
        case OPT_PROGRESS:
            o->progress = 1;
            break;
        case OPT_NO_PROGRESS:
            o->progress = 0;
            break;
        case OPT_SEND:
            o->send = true;
            break;
        case OPT_STAKEHOLDERS:
            if (!*arg)
                return usage(o, "empty --stakeholders", NULL, NULL);
            o->stakeholders = arg;
            delivery_opts = true;
            break;
        case OPT_MAX_MB:
            if (!parse_megabytes(arg, &o->max_message_bytes))
                return usage(o, "invalid --max-message-mb", arg,
                             "expected a number of megabytes from 0.001");
            delivery_opts = true;
            break;
        case OPT_CHANGED_ONLY:
            o->changed_only = true;
            delivery_opts = true;
            break;
        case OPT_OUTBOX:
            if (!*arg)
                return usage(o, "empty --outbox", NULL, NULL);
            o->outbox = arg;
            o->send = true;
            break;
        case OPT_ENCODING:
            if (!*arg)
                return usage(o, "empty --encoding", NULL, NULL);
            o->encoding = arg;
            break;
        case OPT_DELIMITER:
            if (!parse_delimiter(arg, &o->delimiter))
                return usage(o, "invalid --delimiter", arg,
                             "expected one character such as ';' or '|', "
                             "or 'tab'");
            break;
        case OPT_DECIMAL_COMMA:
            o->decimal_comma = true;
            break;
        case 'h':
            return IOM_CLI_HELP;
        case 'V':
            return IOM_CLI_VERSION;
        case ':':
            return usage(o, "missing value for option", argv[optind - 1],
                         NULL);
        default:
            return usage(o, "unknown option", argv[optind - 1], NULL);
        }
        if (st != IOM_OK)
            return usage(o, "out of memory", NULL, NULL);
    }
    return subcommand(argc, argv, o, delivery_opts);
}
