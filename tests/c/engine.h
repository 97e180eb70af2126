/* The whole engine for the C tests that run the pipeline (test_metric.c,
 * test_extract.c): the lexicon named by argv[1], a segmenter, the
 * gazetteer and the shipped metric rules. A test binary without them
 * cannot run, so open_test_engine ends it with status 2. */
#ifndef TB_TEST_ENGINE_H
#define TB_TEST_ENGINE_H

#include "check.h"
#include "core/tb_gazetteer.h"
#include "core/tb_metric_rules.h"
#include "core/tb_segment.h"

static inline void open_test_engine(int argc, char **argv, const char *usage, tb_lexicon **lex, tb_folder **folder,
                                    tb_segmenter *seg, tb_gazetteer **gz, tb_metric_rules **rules) {
    open_test_lexicon(argc, argv, usage, lex, folder);
    tb_error e = {0};
    size_t len;
    const char *src = tb_metric_rules_default_source(&len);
    if (tb_segmenter_init(seg, *lex, *folder, TB_STYLE_DEFAULT, &e) != TB_OK ||
        tb_gazetteer_new(*folder, *lex, gz, &e) != TB_OK || tb_metric_rules_new(src, len, rules, &e) != TB_OK) {
        fprintf(stderr, "set-up failed: %s (line %zu)\n", e.message, e.offset);
        exit(2);
    }
}

static inline void close_test_engine(tb_lexicon *lex, tb_folder *folder, tb_segmenter *seg, tb_gazetteer *gz,
                                     tb_metric_rules *rules) {
    tb_metric_rules_free(rules);
    tb_gazetteer_free(gz);
    tb_segmenter_destroy(seg);
    tb_folder_free(folder);
    tb_lexicon_close(lex);
}

#endif
