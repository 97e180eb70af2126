/* The analyze pipeline (tb_analyze.h). */
#include "tb_analyze.h"

#include <stdlib.h>

/* brk[k] != 0 when a token starts or ends at code point k (n + 1 entries). */
static uint8_t *token_boundaries(const tb_tokens *toks, size_t n) {
    uint8_t *brk = calloc(n + 1, 1);
    if (brk == NULL) return NULL;
    brk[0] = brk[n] = 1;
    for (size_t k = 0; k < toks->n; k++) {
        if (toks->v[k].start <= n) brk[toks->v[k].start] = 1;
        if (toks->v[k].end <= n) brk[toks->v[k].end] = 1;
    }
    return brk;
}

/* Tokens are in out->tokens and the view in out->text: scan the rest. */
static tb_status scan_extractors(tb_gazetteer *gz, const tb_metric_rules *rules, const tb_dateref *ref,
                                 tb_analysis *out, tb_error *err) {
    if (rules && !gz) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "metrics need the entity gazetteer");
    const tb_text *t = &out->text;
    tb_status s = tb_dates_scan(t, ref, &out->dates, &out->found, &out->has_found, err);
    if (s != TB_OK) return s;
    /* Numbers inside dates are the dates': their spans, sorted by start, are skipped. */
    size_t nd = out->dates.n;
    uint32_t *skip = malloc((2 * nd + 1) * sizeof *skip);
    uint8_t *brk = token_boundaries(&out->tokens, t->n);
    if (skip == NULL || brk == NULL) {
        free(skip);
        free(brk);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    for (size_t k = 0; k < nd; k++) {
        size_t m = k;   /* insertion sort: the scanner emits in text order already */
        while (m > 0 && skip[m - 1] > out->dates.v[k].start) {
            skip[m] = skip[m - 1];
            skip[nd + m] = skip[nd + m - 1];
            m--;
        }
        skip[m] = out->dates.v[k].start;
        skip[nd + m] = out->dates.v[k].end;
    }
    s = tb_quantities_scan(t, brk, skip, skip + nd, nd, &out->quantities, err);
    free(skip);
    free(brk);
    if (s == TB_OK && gz) s = tb_entity_scan(gz, t, &out->entities, err);
    /* metrics read the figures, places and dates found above, and resolve
     * against the date the dates were resolved against */
    if (s == TB_OK && rules)
        s = tb_metrics_scan(rules, gz, t, &out->quantities, &out->dates, &out->entities,
                            ref ? ref : out->has_found ? &out->found : NULL, &out->metrics, err);
    return s;
}

tb_status tb_analyze_cps(tb_segmenter *seg, tb_gazetteer *gz, const tb_metric_rules *rules, const void *cps,
                         size_t n, int width, const tb_dateref *ref, tb_analysis *out, tb_error *err) {
    tb_status s = tb_text_build_cps(seg->folder, cps, n, width, &out->text, err);
    if (s == TB_OK) s = tb_segment_cps(seg, cps, n, width, TB_MODE_DEFAULT, TB_OPT_HMM, &out->tokens, err);
    if (s == TB_OK) s = scan_extractors(gz, rules, ref, out, err);
    return s;
}

tb_status tb_analyze_utf8(tb_segmenter *seg, tb_gazetteer *gz, const tb_metric_rules *rules, const uint8_t *utf8,
                          size_t len, const tb_dateref *ref, tb_analysis *out, tb_error *err) {
    tb_status s = tb_text_build(seg->folder, utf8, len, &out->text, err);
    if (s == TB_OK) s = tb_segment(seg, utf8, len, TB_MODE_DEFAULT, TB_OPT_HMM, &out->tokens, err);
    if (s == TB_OK) s = scan_extractors(gz, rules, ref, out, err);
    return s;
}

void tb_analysis_free(tb_analysis *a) {
    tb_text_free(&a->text);
    free(a->tokens.v);
    tb_dates_free(&a->dates);
    free(a->quantities.v);
    tb_entities_free(&a->entities);
    tb_metrics_free(&a->metrics);
    a->tokens.v = NULL;
    a->quantities.v = NULL;
}
