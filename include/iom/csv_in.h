/*
 * csv_in: RFC 4180 records from a stream, on libcsv, one record at a time
 * (the file is never held in memory whole).  Knows nothing of projects:
 * it hands each record's fields and the physical line it starts on to a
 * callback.  A UTF-8 byte-order mark is skipped; CRLF, LF and CR line ends
 * are accepted; blank lines and rows whose fields are all empty or blank
 * (",,,", ", ,\"\"") are skipped alike.
 */
#ifndef IOM_CSV_IN_H
#define IOM_CSV_IN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "iom/status.h"

#define IOM_CSV_FIELD_MAX   (1024 * 1024)       /* bytes in one field */
#define IOM_CSV_RECORD_MAX  (4 * 1024 * 1024)   /* bytes in one record */
#define IOM_CSV_FIELDS_MAX  1024                /* fields in one record */

struct iom_csv_row {
    const char *const *fields;  /* NUL-terminated; may hold NUL bytes */
    const size_t *lens;
    size_t n;
    unsigned long line;         /* physical line the record starts on */
    uint64_t offset;            /* its first byte in the stream */
    size_t length;              /* its bytes, from 'offset' */
    /*
     * Non-NULL when the record is broken at the CSV level (stray quote,
     * unbalanced quote, a field or record over its limit, too many
     * fields); the fields are then what could be kept and 'bad_field' the
     * index it concerns.  Like the fields, valid during the callback only.
     */
    const char *problem;
    size_t bad_field;
};

/* Return IOM_OK to go on; anything else stops the read with that status. */
typedef enum iom_status (*iom_csv_row_fn)(void *ctx,
                                          const struct iom_csv_row *row);

struct iom_csv_error {
    unsigned long line;
    char text[160];
};

/*
 * Read every record of 'f' and pass it to 'fn'.  Returns IOM_ECSV with
 * 'err' filled when the stream is not CSV (an unterminated quote at end of
 * file), IOM_ENOINPUT on a read error, or what 'fn' returned.
 */
enum iom_status iom_csv_read(FILE *f, iom_csv_row_fn fn, void *ctx,
                             struct iom_csv_error *err);

/* The same with 'delim' for the field separator (',', ';', tab...). */
enum iom_status iom_csv_read_delim(FILE *f, char delim, iom_csv_row_fn fn,
                                   void *ctx, struct iom_csv_error *err);

/*
 * The separator of a file whose first bytes are head[0..len): the first of
 * ',', ';' and tab that cuts the first line into fields one of which is
 * 'name' (a column every file has), else ','.
 */
char iom_csv_sniff_delimiter(const char *head, size_t len, const char *name);

#define IOM_CSV_NO_COLUMN SIZE_MAX

/*
 * Map a header row onto 'n' known column 'names', matched without regard
 * to ASCII case or surrounding white space: col[k] becomes the field index
 * of names[k], or IOM_CSV_NO_COLUMN.  An unknown column is warned about; a
 * header broken at the CSV level, a name that is not UTF-8 or a column
 * that appears twice gives IOM_ECSV, with a message naming 'file'.
 * Required columns are the caller's to check.
 */
enum iom_status iom_csv_map_header(const struct iom_csv_row *row,
                                   const char *file,
                                   const char *const *names, size_t n,
                                   size_t *col);

/*
 * The same for the records in s[0..len): how a record is read again from
 * the bytes at its offset and length.
 */
enum iom_status iom_csv_read_buffer(const char *s, size_t len,
                                    iom_csv_row_fn fn, void *ctx,
                                    struct iom_csv_error *err);
enum iom_status iom_csv_read_buffer_delim(const char *s, size_t len,
                                          char delim, iom_csv_row_fn fn,
                                          void *ctx,
                                          struct iom_csv_error *err);

#endif
