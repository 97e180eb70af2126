/* The C engine alone over a line file, for deterministic instruction counts:
 * each line is converted once to UCS-2 (as a Python str of the PKU test set
 * holds it), then tb_segment_cps runs over every line: one warm-up pass (it
 * fills the folding memo), then the measured passes.
 *
 *   cc -std=c11 -D_GNU_SOURCE -O2 -g -Icsrc $(pkg-config --cflags icu-uc icu-i18n) \
 *      -o /tmp/segment_harness bench/segment_harness.c csrc/core/tb_*.c \
 *      $(pkg-config --libs icu-uc icu-i18n libpcre2-8) -lm -lpthread
 *   valgrind --tool=callgrind --toggle-collect=measured_pass \
 *      /tmp/segment_harness python/tongbao/_data/lexicon.bin ../shared/sighan/pku_test.utf8 0 1
 *
 * Arguments: lexicon, input file (UTF-8, BMP only), style (0 default, 1 pku,
 * 2 jieba), measured passes. Prints the token count and the wall-clock MB/s
 * (mean and best pass). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tb_fold.h"
#include "core/tb_lexicon.h"
#include "core/tb_segment.h"

typedef struct {
    uint16_t *cps;
    size_t *start, *len, n;
} lines;

static lines to_ucs2(const char *buf) {
    size_t sz = strlen(buf);
    lines l = {malloc(sz * 2 + 2), malloc(sizeof(size_t) * (sz + 1)), malloc(sizeof(size_t) * (sz + 1)), 0};
    size_t n16 = 0;
    const char *p = buf;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len && p[len - 1] == '\r') len--;
        l.start[l.n] = n16;
        for (size_t i = 0; i < len;) {
            uint8_t b = (uint8_t)p[i];
            if (b < 0x80) {
                l.cps[n16++] = b;
                i++;
            } else if (b < 0xE0) {
                l.cps[n16++] = (uint16_t)(((b & 0x1F) << 6) | (p[i + 1] & 0x3F));
                i += 2;
            } else {
                l.cps[n16++] = (uint16_t)(((b & 0x0F) << 12) | ((p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F));
                i += 3;
            }
        }
        l.len[l.n] = n16 - l.start[l.n];
        l.n++;
        p = nl ? nl + 1 : p + len;
    }
    return l;
}

static size_t one_pass(tb_segmenter *seg, const lines *l) {
    size_t ntok = 0;
    tb_error e = {0};
    for (size_t i = 0; i < l->n; i++) {
        tb_tokens t = {0};
        if (tb_segment_cps(seg, l->cps + l->start[i], l->len[i], 2, TB_MODE_DEFAULT, TB_OPT_HMM, &t, &e) != TB_OK) {
            fprintf(stderr, "%s\n", e.message);
            exit(1);
        }
        ntok += t.n;
        free(t.v);
    }
    return ntok;
}

__attribute__((noinline)) static size_t warm_pass(tb_segmenter *seg, const lines *l) { return one_pass(seg, l); }
__attribute__((noinline)) static size_t measured_pass(tb_segmenter *seg, const lines *l) {
    size_t n = one_pass(seg, l);
    __asm__ volatile("");   /* keep it a distinct function for --toggle-collect */
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s lexicon.bin input.utf8 [style] [passes]\n", argv[0]);
        return 2;
    }
    int style = argc > 3 ? atoi(argv[3]) : 0, passes = argc > 4 ? atoi(argv[4]) : 1;
    tb_lexicon *lex;
    tb_folder *folder;
    tb_segmenter seg;
    tb_error e = {0};
    if (tb_lexicon_open(argv[1], &lex, &e) != TB_OK || tb_folder_new(lex->t2s, lex->n_t2s, &folder, &e) != TB_OK ||
        tb_segmenter_init(&seg, lex, folder, (tb_style)style, &e) != TB_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    FILE *fp = fopen(argv[2], "rb");
    if (fp == NULL) {
        perror(argv[2]);
        return 1;
    }
    fseek(fp, 0, SEEK_END);
    long sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)sz + 1);
    if (fread(buf, 1, (size_t)sz, fp) != (size_t)sz) return 1;
    buf[sz] = 0;
    fclose(fp);
    lines l = to_ucs2(buf);
    size_t ntok = warm_pass(&seg, &l);
    /* Mean and best pass: on a shared VM the best is the steadier figure. */
    double total = 0, best = 0;
    for (int r = 0; r < passes; r++) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ntok = measured_pass(&seg, &l);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        total += s;
        if (r == 0 || s < best) best = s;
    }
    printf("tokens %zu  %.1f MB/s mean  %.1f MB/s best\n", ntok, passes ? (double)sz * passes / total / 1e6 : 0.0,
           passes ? (double)sz / best / 1e6 : 0.0);
    tb_segmenter_destroy(&seg);
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    free(buf);
    free(l.cps);
    free(l.start);
    free(l.len);
    return 0;
}
