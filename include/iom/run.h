/*
 * run: the whole command, parse -> read -> validate -> aggregate -> render
 * into staging -> publish.  Returns the process exit status.
 *
 * struct iom_run is what one run knows, shared by the modules of this
 * stage that do its parts (input, match, outputs, outcome); run.c alone
 * decides their order and the outcome.
 */
#ifndef IOM_RUN_H
#define IOM_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "iom/agg.h"
#include "iom/cli.h"
#include "iom/deliver.h"
#include "iom/fonts.h"
#include "iom/manifest.h"
#include "iom/progress.h"
#include "iom/publish.h"
#include "iom/record.h"
#include "iom/rejects.h"
#include "iom/select.h"
#include "iom/source.h"
#include "iom/text.h"
#include "iom/validate.h"

/* The outputs drawn with the fonts. */
#define IOM_PDF_OUTPUTS (IOM_OUT_BRIEFS | IOM_OUT_SUMMARY | IOM_OUT_BOOK)

struct iom_run {
    struct iom_opts opts;
    char label[IOM_LABEL_MAX];
    char *selection;
    int64_t created;
    struct iom_recset rs;
    struct iom_rejects rej;
    struct iom_rejects warned;    /* kept records with a warning */
    struct iom_validator *val;
    struct iom_agg *agg;
    struct iom_agg *census;       /* dry run: the whole input's groups */
    struct iom_selection whole_input;   /* selects everything */
    char **names;
    struct iom_source src;
    bool encoding_guessed;        /* read as IOM_CODE_PAGE, not told so */
    /* The run published under the label before this one (NULL: none),
     * and its manifest when it could be read (prev_known). */
    char *prev_dir;
    struct iom_manifest_doc prev;
    bool prev_known;
    struct iom_fonts fonts;
    struct iom_fonts subset;      /* per-run cuts of 'fonts', if made */
    struct iom_charset *chars;    /* characters of the accepted records */
    struct iom_publish pub;
    char input_sha[65];
    uint64_t input_bytes;
    struct iom_deliver dlv;       /* --send */
    enum iom_status send_st;
    bool published;               /* this run replaced DIR/LABEL */
    bool withheld;                /* nothing published, on purpose */
    struct iom_manifest_doc sent_run; /* send LABEL: the run's manifest */
    struct timespec t0;
    struct iom_progress progress;
    bool interactive;             /* standard error is a terminal */
    /*
     * What the run is doing, for a failure that said nothing itself (an
     * allocation that failed deep in a library): errors printed less
     * rejects when the stage began, and whether a worker spoke.
     */
    char doing[256];
    unsigned long said_mark;
    bool worker_said;
    int worker_crash;             /* a worker's crash, its signal */
};

int iom_main(int argc, char **argv);

/* An empty run that started now, its options initialised. */
void iom_run_init(struct iom_run *r);
/* Free what the run holds; 'r' is then to be initialised again. */
void iom_run_release(struct iom_run *r);

/* Name the stage the run enters, for a failure that says nothing itself. */
void iom_run_stage(struct iom_run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Seconds since the run started. */
double iom_run_elapsed(const struct iom_run *r);

/*
 * Where the run's rejected.csv ends up (in 'out', returned): in the
 * published run, or beside the label when --strict publishes nothing.
 */
const char *iom_run_rejects_list(const struct iom_run *r, char out[PATH_MAX]);

#endif
