/* One document through every extractor: the folded view is built once, the
 * text segmented once, and dates, quantities and (optionally) entities are
 * scanned over the same buffers.
 *
 * The order matters and lives here so that the Python binding, the C tests
 * and the fuzz and thread-sanitizer harnesses all run the same pipeline:
 * dates go first because the numbers inside a date are the date's, and the
 * quantity scanner reads the tokenizer's boundaries so that a numeral inside
 * a word (一线, 统一) is not a quantity. */
#ifndef TB_ANALYZE_H
#define TB_ANALYZE_H

#include "tb_date.h"
#include "tb_entity.h"
#include "tb_gazetteer.h"
#include "tb_metric.h"
#include "tb_quantity.h"
#include "tb_segment.h"
#include "tb_text.h"

typedef struct {
    tb_text text;              /* the folded code-point view */
    tb_tokens tokens;          /* default mode, HMM on */
    tb_dates dates;
    tb_quantities quantities;  /* none overlaps a date */
    tb_entities entities;      /* empty when no gazetteer was given */
    tb_metrics metrics;        /* empty when no rule table was given */
    tb_dateref found;          /* the document's own date, when has_found */
    int has_found;
} tb_analysis;

/* Analyse `n` code points of `width` bytes each (1, 2 or 4: a Python str's
 * storage). `ref` may be NULL (resolve against the document's own date);
 * `gz` may be NULL (no entities); `rules` may be NULL (no metrics), and
 * needs `gz` (metrics are read over the places). `out` must be zeroed; free
 * it with tb_analysis_free whatever the status. Touches no global state:
 * many threads may analyse at once with one segmenter, one gazetteer and
 * one rule table. */
tb_status tb_analyze_cps(tb_segmenter *seg, tb_gazetteer *gz, const tb_metric_rules *rules, const void *cps,
                         size_t n, int width, const tb_dateref *ref, tb_analysis *out, tb_error *err);

/* The same over UTF-8 (lone surrogates allowed, as tb_text_build). */
tb_status tb_analyze_utf8(tb_segmenter *seg, tb_gazetteer *gz, const tb_metric_rules *rules, const uint8_t *utf8,
                          size_t len, const tb_dateref *ref, tb_analysis *out, tb_error *err);

void tb_analysis_free(tb_analysis *a);

#endif
