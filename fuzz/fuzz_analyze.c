/* Fuzz the whole analyze pipeline (tb_analyze_utf8, tb_analyze_cps) with
 * one segmenter and one gazetteer.
 *
 * Input: one option byte (bit 0: pass a reference date, bit 1: run the
 * entity pass, bit 2: a user word first), four bytes of reference date (as
 * fuzz_dates.c), with bit 2 a length byte and that many bytes of a user word
 * (added to the segmenter, accumulating across inputs as in a long-lived
 * process), then UTF-8 text.
 *
 * Invariants across the extractors:
 *   - success iff the text is UTF-8 (lone surrogates allowed);
 *   - the tokens partition the text in order;
 *   - dates, quantities and entities lie inside the text, sorted by start;
 *     quantities do not overlap each other or any date;
 *   - the code-point entry point (4-byte storage and, when every code point
 *     fits, 2- and 1-byte storage: a Python str's layouts) gives exactly
 *     what the UTF-8 one gives. */
#include "fuzz_common.h"

#include "core/tb_analyze.h"
#include "core/tb_utf8.h"

static tb_segmenter fz_seg;
static tb_gazetteer *fz_gz;

static void check_analysis(const tb_analysis *a) {
    size_t n = a->text.n;
    uint32_t pos = 0;
    for (size_t k = 0; k < a->tokens.n; k++) {
        FZ_CHECK(a->tokens.v[k].start == pos && a->tokens.v[k].end > pos);
        pos = a->tokens.v[k].end;
    }
    FZ_CHECK(pos == n);
    uint32_t prev = 0;
    for (size_t k = 0; k < a->dates.n; k++) {
        const tb_date *d = &a->dates.v[k];
        FZ_CHECK(d->start < d->end && d->end <= n && d->start >= prev);
        prev = d->start;
    }
    uint32_t prev_end = 0;
    for (size_t k = 0; k < a->quantities.n; k++) {
        const tb_quantity *q = &a->quantities.v[k];
        FZ_CHECK(q->start < q->end && q->end <= n && q->start >= prev_end);
        prev_end = q->end;
        for (size_t i = 0; i < a->dates.n; i++)
            FZ_CHECK(q->end <= a->dates.v[i].start || q->start >= a->dates.v[i].end);
    }
    prev = 0;
    for (size_t k = 0; k < a->entities.n; k++) {
        const tb_entity *x = &a->entities.v[k];
        FZ_CHECK(x->start < x->end && x->end <= n && x->start >= prev);
        prev = x->start;
    }
}

/* Two analyses of the same text agree field for field. */
static void check_same(const tb_analysis *a, const tb_analysis *b) {
    FZ_CHECK(a->text.n == b->text.n);
    FZ_CHECK(memcmp(a->text.cp, b->text.cp, a->text.n * sizeof *a->text.cp) == 0);
    FZ_CHECK(a->tokens.n == b->tokens.n);
    for (size_t k = 0; k < a->tokens.n; k++) {
        const tb_token *x = &a->tokens.v[k], *y = &b->tokens.v[k];
        FZ_CHECK(x->start == y->start && x->end == y->end && x->kind == y->kind && x->tag == y->tag);
    }
    FZ_CHECK(a->quantities.n == b->quantities.n);
    for (size_t k = 0; k < a->quantities.n; k++) {
        const tb_quantity *x = &a->quantities.v[k], *y = &b->quantities.v[k];
        FZ_CHECK(x->start == y->start && x->end == y->end && x->unit_start == y->unit_start &&
                 x->unit_end == y->unit_end && x->kind == y->kind && x->approx == y->approx);
        FZ_CHECK(x->value == y->value || (isnan(x->value) && isnan(y->value)));
    }
    FZ_CHECK(a->dates.n == b->dates.n);
    for (size_t k = 0; k < a->dates.n; k++)
        FZ_CHECK(a->dates.v[k].start == b->dates.v[k].start && a->dates.v[k].end == b->dates.v[k].end &&
                 strcmp(a->dates.v[k].value, b->dates.v[k].value) == 0);
    FZ_CHECK(a->entities.n == b->entities.n);
    for (size_t k = 0; k < a->entities.n; k++)
        FZ_CHECK(a->entities.v[k].start == b->entities.v[k].start && a->entities.v[k].end == b->entities.v[k].end &&
                 a->entities.v[k].label == b->entities.v[k].label && a->entities.v[k].code == b->entities.v[k].code);
    FZ_CHECK(a->has_found == b->has_found);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    tb_error e = {0};
    if (fz_gz == NULL) {
        FZ_CHECK(tb_segmenter_init(&fz_seg, fz_lex, fz_folder, TB_STYLE_DEFAULT, &e) == TB_OK);
        FZ_CHECK(tb_gazetteer_new(fz_folder, fz_lex, &fz_gz, &e) == TB_OK);
    }
    uint8_t opt = fz_take(&data, &size);
    uint8_t r[4];
    for (int k = 0; k < 4; k++) r[k] = fz_take(&data, &size);
    tb_dateref ref = {1900 + r[0] * 2, 1 + r[1] % 12, 1 + r[2] % 28, r[3] % 25 - 1, -1};
    const tb_dateref *refp = (opt & 1) ? &ref : NULL;
    tb_gazetteer *gz = (opt & 2) ? fz_gz : NULL;
    if (opt & 4) {
        size_t len = fz_take(&data, &size) % 16;
        if (len > size) len = size;
        tb_status s = tb_segmenter_set_word(&fz_seg, data, len, 1 + len * 1000, NULL, &e);
        FZ_CHECK(s == TB_OK || s == TB_EINVAL || s == TB_EUTF8);
        data += len;
        size -= len;
    }

    tb_analysis a = {0};
    tb_status s = tb_analyze_utf8(&fz_seg, gz, NULL, data, size, refp, &a, &e);
    uint32_t *cps = malloc((size + 1) * sizeof *cps);
    size_t n = 0;
    FZ_CHECK(cps != NULL);
    tb_status ds = tb_utf8_decode(data, size, 1, cps, &n, &e);
    FZ_CHECK((s == TB_OK) == (ds == TB_OK));
    if (s == TB_OK) {
        check_analysis(&a);
        tb_analysis b = {0};
        FZ_CHECK(tb_analyze_cps(&fz_seg, gz, NULL, cps, n, 4, refp, &b, &e) == TB_OK);
        check_same(&a, &b);
        tb_analysis_free(&b);
        /* The narrower layouts of a Python str when every code point fits. */
        uint32_t max_cp = 0;
        for (size_t k = 0; k < n; k++) max_cp = cps[k] > max_cp ? cps[k] : max_cp;
        for (int width = 2; width >= 1; width--) {
            if (max_cp > (width == 2 ? 0xFFFFu : 0xFFu)) continue;
            uint8_t *narrow = malloc((n + 1) * (size_t)width);
            FZ_CHECK(narrow != NULL);
            for (size_t k = 0; k < n; k++) {
                if (width == 2) ((uint16_t *)narrow)[k] = (uint16_t)cps[k];
                else narrow[k] = (uint8_t)cps[k];
            }
            tb_analysis c = {0};
            FZ_CHECK(tb_analyze_cps(&fz_seg, gz, NULL, narrow, n, width, refp, &c, &e) == TB_OK);
            check_same(&a, &c);
            tb_analysis_free(&c);
            free(narrow);
        }
    }
    free(cps);
    tb_analysis_free(&a);
    return 0;
}
