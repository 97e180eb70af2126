/* The tiny harness shared by the C unit tests (tests/c/test_*.c): CHECK
 * counts, prints each failure with its line, and CHECK_REPORT ends main with
 * "N passed, N failed" and a non-zero status on any failure. Each test
 * binary gets the compiled lexicon's path as argv[1]. */
#ifndef TB_TEST_CHECK_H
#define TB_TEST_CHECK_H

#include <stdio.h>

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

#endif
