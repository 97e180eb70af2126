/* Shared by the libFuzzer harnesses (fuzz/fuzz_*.c): the lexicon and folder
 * every harness needs, opened once per process, and FZ_CHECK, which aborts
 * with the failed invariant so libFuzzer records the input as a crash.
 *
 * The lexicon comes from $TONGBAO_LEXICON, else the in-tree build
 * python/tongbao/_data/lexicon.bin (the Makefile runs harnesses from the
 * repository root). Harnesses are also linked without libFuzzer into replay
 * binaries (fuzz/replay_main.c) that run saved inputs under gcc's
 * sanitizers: see fuzz/README.md. */
#ifndef TB_FUZZ_COMMON_H
#define TB_FUZZ_COMMON_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_fold.h"
#include "core/tb_lexicon.h"
#include "core/tb_status.h"

#define FZ_CHECK(cond)                                                                    \
    do {                                                                                  \
        if (!(cond)) {                                                                    \
            fprintf(stderr, "fuzz invariant failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                      \
        }                                                                                 \
    } while (0)

static tb_lexicon *fz_lex;
static tb_folder *fz_folder;

/* Open the lexicon and folder once (harnesses call this at every input: cheap). */
static inline void fz_init(void) {
    if (fz_folder) return;
    const char *path = getenv("TONGBAO_LEXICON");
    if (path == NULL || *path == '\0') path = "python/tongbao/_data/lexicon.bin";
    tb_error e = {0};
    if (tb_lexicon_open(path, &fz_lex, &e) != TB_OK ||
        tb_folder_new(fz_lex->t2s, fz_lex->n_t2s, &fz_folder, &e) != TB_OK) {
        fprintf(stderr, "fuzz: cannot open the lexicon %s: %s (set TONGBAO_LEXICON)\n", path,
                e.message);
        exit(2);
    }
}

/* Bytes taken off the front of the input, for harness options. */
static inline uint8_t fz_take(const uint8_t **data, size_t *size) {
    if (*size == 0) return 0;
    uint8_t b = **data;
    (*data)++;
    (*size)--;
    return b;
}

#endif
