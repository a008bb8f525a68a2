/*
 * fuzz: what the fuzz targets share.  Each target defines the two libFuzzer
 * entry points; replay.c drives them without libFuzzer, so that the corpus
 * and the regressions also run in ordinary gcc (and ASan) builds.
 */
#ifndef IOM_FUZZ_H
#define IOM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Send the program's own messages (one line per rejected record, the
 * libraries' warnings) to /dev/null.  Only the stdio stream is replaced:
 * file descriptor 2 stays, so libFuzzer's statistics and the sanitizers'
 * reports still reach the terminal.
 */
void fuzz_quiet(void);

#endif
