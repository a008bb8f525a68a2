/*
 * replay: runs a fuzz target on files without libFuzzer.  Each argument is
 * a file or a folder whose files are taken in name order.  A crash aborts
 * (through the sanitizers when the build has them); any file that cannot
 * be read fails the run.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int
run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL;
    long size;
    int rc = -1;

    if (!f)
        goto out;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0)
        goto out;
    /* One spare byte: malloc(0) may return NULL. */
    data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
        goto out;
    LLVMFuzzerTestOneInput(data, (size_t)size);
    rc = 0;
out:
    if (rc != 0)
        fprintf(stdout, "replay: cannot read '%s'\n", path);
    free(data);
    if (f)
        fclose(f);
    return rc;
}

static int
run_dir(const char *dir, unsigned *count)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort), i, rc = 0;

    if (n < 0) {
        fprintf(stdout, "replay: cannot read folder '%s'\n", dir);
        return -1;
    }
    for (i = 0; i < n; i++) {
        char *path;

        if (names[i]->d_name[0] != '.') {
            path = malloc(strlen(dir) + strlen(names[i]->d_name) + 2);
            if (!path) {
                rc = -1;
            } else {
                sprintf(path, "%s/%s", dir, names[i]->d_name);
                if (run_file(path) != 0)
                    rc = -1;
                else
                    (*count)++;
                free(path);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int
main(int argc, char **argv)
{
    unsigned count = 0;
    int i, rc = 0;
    struct stat st;

    LLVMFuzzerInitialize(&argc, &argv);
    for (i = 1; i < argc; i++) {
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &count) != 0)
                rc = 1;
        } else if (run_file(argv[i]) != 0) {
            rc = 1;
        } else {
            count++;
        }
    }
    printf("%s: %u inputs replayed%s\n", argv[0], count,
           rc ? ", some unreadable" : "");
    return rc;
}
