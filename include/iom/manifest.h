/*
 * manifest: manifest.json, what a mailer or the next run reads about a
 * published run (SPEC section 3).
 */
#ifndef IOM_MANIFEST_H
#define IOM_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "iom/buf.h"
#include "iom/select.h"
#include "iom/status.h"

struct iom_manifest {
    const char *input;            /* path as given ("-" for stdin) */
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
};

/*
 * Write 'dir'/manifest.json listing every file under 'dir' (sorted by path,
 * each with its size and SHA-256), the manifest itself and the
 * publication's marker (IOM_PUBLISH_MARKER) excepted.
 */
enum iom_status iom_manifest_write(const char *dir,
                                   const struct iom_manifest *m);

/* 'len' bytes of 's' as a JSON string literal, quotes included. */
enum iom_status iom_json_put_string(struct iom_buf *out, const char *s,
                                    size_t len);

/* ISO 8601 UTC, "2001-09-09T01:46:40Z". */
void iom_format_utc(int64_t t, char out[32]);

#endif
