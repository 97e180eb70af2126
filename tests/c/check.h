/* The tiny harness shared by the C unit tests (tests/c/test_*.c): CHECK
 * counts, prints each failure with its line, and CHECK_REPORT ends main with
 * "N passed, N failed" and a non-zero status on any failure. Each test
 * binary gets the compiled lexicon's path as argv[1]. */
#ifndef TB_TEST_CHECK_H
#define TB_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#include "core/tb_fold.h"
#include "core/tb_lexicon.h"

static int passed, failed;

#define CHECK(cond)                                                              \
    do {                                                                         \
        if (cond) passed++;                                                      \
        else {                                                                   \
            failed++;                                                            \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);      \
        }                                                                        \
    } while (0)

#define CHECK_REPORT()                                      \
    do {                                                    \
        printf("%s: %d passed, %d failed\n", __FILE__, passed, failed); \
        return failed ? 1 : 0;                              \
    } while (0)

/* Open the compiled lexicon named by argv[1] and a folder over its tables;
 * a test binary without them cannot run, so this ends it with status 2. */
static inline void open_test_lexicon(int argc, char **argv, const char *usage, tb_lexicon **lex,
                                     tb_folder **folder) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s %s\n", argv[0], usage);
        exit(2);
    }
    tb_error e = {0};
    if (tb_lexicon_open(argv[1], lex, &e) != TB_OK || tb_folder_new((*lex)->t2s, (*lex)->n_t2s, folder, &e) != TB_OK) {
        fprintf(stderr, "cannot open the lexicon %s: %s\n", argv[1], e.message);
        exit(2);
    }
}

#endif
