/* The entity scan alone over whole files, for deterministic instruction
 * counts: each file is folded once (tb_text_build), then tb_entity_scan runs
 * over every file: one warm-up pass, then the measured passes.
 *
 *   cc -std=c11 -D_GNU_SOURCE -O2 -g -Icsrc $(pkg-config --cflags icu-uc icu-i18n) \
 *      -o /tmp/entity_harness bench/entity_harness.c csrc/core/tb_*.c \
 *      $(pkg-config --libs icu-uc icu-i18n libpcre2-8) -lm -lpthread
 *   valgrind --tool=callgrind --toggle-collect=measured_pass \
 *      /tmp/entity_harness python/tongbao/_data/lexicon.bin 10 ../shared/corpus/seeds/*.txt
 *
 * Arguments: lexicon, measured passes, files (UTF-8). Prints the entity
 * count of one pass; divide callgrind's total by the passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_entity.h"
#include "core/tb_fold.h"
#include "core/tb_gazetteer.h"
#include "core/tb_lexicon.h"
#include "core/tb_text.h"

static size_t one_pass(tb_gazetteer *g, const tb_text *texts, size_t n) {
    size_t found = 0;
    tb_error e = {0};
    for (size_t i = 0; i < n; i++) {
        tb_entities ents = {0};
        if (tb_entity_scan(g, &texts[i], &ents, &e) != TB_OK) {
            fprintf(stderr, "%s\n", e.message);
            exit(1);
        }
        found += ents.n;
        tb_entities_free(&ents);
    }
    return found;
}

__attribute__((noinline)) static size_t warm_pass(tb_gazetteer *g, const tb_text *t, size_t n) {
    return one_pass(g, t, n);
}
__attribute__((noinline)) static size_t measured_pass(tb_gazetteer *g, const tb_text *t, size_t n) {
    size_t k = one_pass(g, t, n);
    __asm__ volatile("");   /* keep it a distinct function for --toggle-collect */
    return k;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s lexicon passes file...\n", argv[0]);
        return 2;
    }
    tb_error e = {0};
    tb_lexicon *lex;
    tb_folder *folder;
    tb_gazetteer *g;
    if (tb_lexicon_open(argv[1], &lex, &e) != TB_OK ||
        tb_folder_new(lex->t2s, lex->n_t2s, &folder, &e) != TB_OK ||
        tb_gazetteer_new(folder, lex, &g, &e) != TB_OK) {
        fprintf(stderr, "%s\n", e.message);
        return 1;
    }
    int passes = atoi(argv[2]);
    size_t n = (size_t)(argc - 3);
    tb_text *texts = calloc(n, sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        FILE *f = fopen(argv[3 + i], "rb");
        if (f == NULL) {
            perror(argv[3 + i]);
            return 1;
        }
        fseek(f, 0, SEEK_END);
        long sz = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc((size_t)sz + 1);
        if (fread(buf, 1, (size_t)sz, f) != (size_t)sz) return 1;
        fclose(f);
        if (tb_text_build(folder, buf, (size_t)sz, &texts[i], &e) != TB_OK) {
            fprintf(stderr, "%s: %s\n", argv[3 + i], e.message);
            return 1;
        }
        free(buf);
    }
    size_t k = warm_pass(g, texts, n);
    for (int p = 0; p < passes; p++) k = measured_pass(g, texts, n);
    printf("%zu entities per pass, %d measured passes\n", k, passes);
    for (size_t i = 0; i < n; i++) tb_text_free(&texts[i]);
    free(texts);
    tb_gazetteer_free(g);
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    return 0;
}
