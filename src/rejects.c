/*
 * rejects: rejected.csv through a temporary file.
 */
#include <stdbool.h>
#include <string.h>

#include <csv.h>

#include "iom/rejects.h"

#define FIXED_HEADER "Line,Column,Reason"

enum iom_status
iom_rejects_init(struct iom_rejects *rej)
{
    rej->count = 0;
    rej->tmp = tmpfile();
    if (!rej->tmp)
        return IOM_EIO;
    fputs(FIXED_HEADER, rej->tmp);
    return IOM_OK;
}

void
iom_rejects_release(struct iom_rejects *rej)
{
    if (rej->tmp)
        fclose(rej->tmp);
    rej->tmp = NULL;
}

int
iom_csv_put_field(FILE *out, const char *s, size_t len)
{
    bool quote = false;
    size_t i;

    for (i = 0; i < len && !quote; i++)
        quote = s[i] == '"' || s[i] == ',' || s[i] == '\n' || s[i] == '\r';
    if (len && (s[0] == ' ' || s[len - 1] == ' ' || s[0] == '\t'))
        quote = true;
    if (!quote)
        return fwrite(s, 1, len, out) == len ? 0 : -1;
    return csv_fwrite(out, s, len);
}

static void
put_fields(FILE *out, const struct iom_csv_row *row)
{
    size_t i;

    for (i = 0; i < row->n; i++) {
        fputc(',', out);
        iom_csv_put_field(out, row->fields[i], row->lens[i]);
    }
}

enum iom_status
iom_rejects_header(struct iom_rejects *rej, const struct iom_csv_row *header)
{
    put_fields(rej->tmp, header);
    return ferror(rej->tmp) ? IOM_EIO : IOM_OK;
}

enum iom_status
iom_rejects_add(struct iom_rejects *rej, const struct iom_csv_row *row,
                const char *column, const char *reason)
{
    fprintf(rej->tmp, "\r\n%lu,", row->line);
    iom_csv_put_field(rej->tmp, column, strlen(column));
    fputc(',', rej->tmp);
    iom_csv_put_field(rej->tmp, reason, strlen(reason));
    put_fields(rej->tmp, row);
    rej->count++;
    return ferror(rej->tmp) ? IOM_EIO : IOM_OK;
}

enum iom_status
iom_rejects_copy(struct iom_rejects *rej, FILE *out)
{
    char block[64 * 1024];
    size_t n;

    if (fflush(rej->tmp) != 0 || fseek(rej->tmp, 0, SEEK_SET) != 0)
        return IOM_EIO;
    while ((n = fread(block, 1, sizeof block, rej->tmp)) > 0)
        if (fwrite(block, 1, n, out) != n)
            return IOM_EIO;
    if (ferror(rej->tmp) || fputs("\r\n", out) == EOF ||
        fseek(rej->tmp, 0, SEEK_END) != 0)
        return IOM_EIO;
    return IOM_OK;
}
