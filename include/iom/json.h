/*
 * json: the files iomreport writes and reads back as JSON (manifest.json,
 * the delivery log), on jansson.  Objects keep their keys in insertion
 * order, so the same document always prints as the same bytes.
 */
#ifndef IOM_JSON_H
#define IOM_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "iom/buf.h"
#include "iom/status.h"

/*
 * A JSON string of 's' (NUL-terminated): jansson takes only valid UTF-8,
 * and a path from the command line may hold anything, so each byte that
 * does not start a valid sequence becomes U+FFFD.  NULL: out of memory.
 */
json_t *iom_json_text(const char *s);

/*
 * Set obj[key] to a new reference 'v' (which this consumes, also on
 * failure).  Lets a document be built with one status check per value.
 */
enum iom_status iom_json_set(json_t *obj, const char *key, json_t *v);

/*
 * Append 'v' to 'out': indented by two spaces with a final newline when
 * 'pretty', else on one line with no newline.
 */
enum iom_status iom_json_print(const json_t *v, int pretty,
                               struct iom_buf *out);

/*
 * Parse s[0..len) (one value) into *out, a new reference.  IOM_EJSON
 * when it is not JSON; *why (if not NULL) then holds jansson's reason.
 */
enum iom_status iom_json_parse(const char *s, size_t len, json_t **out,
                               const char **why);

/*
 * Parse the file 'path'.  IOM_ENOINPUT (errno set) when it cannot be read,
 * IOM_EJSON when it is not JSON.  Prints nothing.
 */
enum iom_status iom_json_load(const char *path, json_t **out);

/* obj[key] as a string, or NULL when absent or not a string. */
const char *iom_json_str(const json_t *obj, const char *key);

#endif
