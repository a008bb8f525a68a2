/*
 * manifest: manifest.json, what a mailer or the next run reads about a
 * published run: the tool, the input (path, size, SHA-256), the
 * selection, the counts, the total budget, and every file of the run with
 * its size and SHA-256.  This module is the only one that knows its keys:
 * it writes the file, reads it back, and tells whether a folder holds
 * what it lists.
 */
#ifndef IOM_MANIFEST_H
#define IOM_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iom/buf.h"
#include "iom/select.h"
#include "iom/status.h"

#define IOM_MANIFEST "manifest.json"

/* One file of a run, as listed. */
struct iom_manifest_file {
    char *path;                   /* relative to the run folder */
    uint64_t bytes;
    char sha256[65];              /* 64 lower-case hex digits */
};

/* What a run writes; every pointer is borrowed. */
struct iom_manifest {
    const char *input;            /* path as given ("-" for stdin) */
    const char *encoding;         /* --encoding it was read with, or NULL */
    bool decimal_comma;           /* read with --decimal-comma */
    const char *input_sha256;     /* hex */
    uint64_t input_bytes;
    const char *label;
    const char *selection;        /* human description */
    const struct iom_selection *sel;
    int64_t created;              /* UTC seconds */
    size_t records;               /* data records read */
    size_t accepted;
    size_t rejected;
    size_t selected;
    int64_t total_cents;          /* of the selection */
    /* Files their writers have read back already (may be none), listed
     * with these digests while their size is the same; every other file
     * is read back by iom_manifest_write(). */
    const struct iom_manifest_file *known;
    size_t n_known;
};

/* A manifest read back; owns everything it points to. */
struct iom_manifest_doc {
    char *input;
    char *encoding;               /* NULL: UTF-8 */
    bool decimal_comma;           /* read with --decimal-comma */
    char input_sha256[65];
    char *label;
    char *selection;
    struct iom_selection sel;     /* its strings owned by 'strings' */
    size_t records;               /* data records read */
    size_t accepted;
    size_t rejected;
    size_t selected;              /* projects of the selection */
    char **strings;
    size_t n_strings;
    struct iom_manifest_file *files;
    size_t n_files;
};

/*
 * Write 'dir'/manifest.json listing every file under 'dir' (sorted by path,
 * each with its size and SHA-256), the manifest itself and hidden names
 * at the top ('.' first: the publication's marker) excepted.
 */
enum iom_status iom_manifest_write(const char *dir,
                                   const struct iom_manifest *m);

/*
 * Read 'dir'/manifest.json into 'doc' (release it whatever this returns).
 * IOM_ENOINPUT (errno set) when it cannot be read; IOM_EJSON when it is
 * not a manifest of this program (bad JSON, a key missing or of the wrong
 * type, a digest that is not 64 hex digits).  Prints nothing.
 */
enum iom_status iom_manifest_load(const char *dir,
                                  struct iom_manifest_doc *doc);
void iom_manifest_doc_release(struct iom_manifest_doc *doc);
/* Free 'n' files and their array. */
void iom_manifest_files_free(struct iom_manifest_file *files, size_t n);

/*
 * iom_manifest_load() of the run folder 'dir' about to be delivered, with
 * what failed said: IOM_ENOINPUT when it cannot be read or is not a
 * manifest of this program, IOM_ENOMEM.
 */
enum iom_status iom_manifest_read_run(const char *dir,
                                      struct iom_manifest_doc *doc);

/*
 * Whether the folder open as 'dfd' holds exactly what 'doc' lists: every
 * listed file, with its listed size, and besides them only manifest.json
 * and the plain files named in 'aside' (names at the top, NULL-terminated;
 * may be NULL).  A link, a folder holding no listed file, anything else
 * is something else.  IOM_OK with 'differs' left empty when it does, or
 * holding the first difference found ("'notes.txt' is not listed");
 * IOM_EIO (errno set) when the folder cannot be read, IOM_ENOMEM.  No link
 * is followed; 'dfd' stays open, its position unchanged.
 */
enum iom_status iom_manifest_match(int dfd,
                                   const struct iom_manifest_doc *doc,
                                   const char *const *aside,
                                   struct iom_buf *differs);

/* The listed file 'path', or NULL. */
const struct iom_manifest_file *
iom_manifest_find(const struct iom_manifest_doc *doc, const char *path);

/* ISO 8601 UTC, "2001-09-09T01:46:40Z". */
void iom_format_utc(int64_t t, char out[32]);

#endif
