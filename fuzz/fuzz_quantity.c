/* Fuzz the number reader and the quantity scanner over a tb_text.
 *
 * Input: one option byte (bits 0-1: number of skip spans, bit 2: no token
 * boundaries, bit 3: tb_numeral_read_ex with TB_NUM_ACROSS_LINES), two bytes
 * per skip span (position as a fraction of the text, length), then UTF-8
 * text. Token boundaries come from tb_segment's default-mode tokens, as
 * analyze() passes them.
 *
 * Invariants:
 *   - tb_numeral_read at every position: a numeral starts there, ends
 *     within the text, its value is not NaN, +inf only with overflow set,
 *     bounds ordered when both are known;
 *   - tb_quantities_scan: spans within the text, start < end, sorted,
 *     non-overlapping, none overlapping a skip span; unit span inside the
 *     text; value not NaN, ±inf only with overflow (-6e4646 is -inf); kinds and approximations
 *     in range. */
#include "fuzz_common.h"

#include "core/tb_numeral.h"
#include "core/tb_quantity.h"
#include "core/tb_segment.h"
#include "core/tb_text.h"

static tb_segmenter fz_seg;
static int fz_seg_ready;

/* `v` not NaN; infinite only with `overflow` (numerals read +inf, a negated
 * quantity -inf); bounds ordered when both known. */
static void check_value(double v, double low, double high, int overflow, int may_be_negative) {
    FZ_CHECK(!isnan(v));
    if (isinf(v)) FZ_CHECK(overflow && (v > 0 || may_be_negative));
    FZ_CHECK(!(isinf(low) || isinf(high)) || overflow);
    if (!isnan(low) && !isnan(high)) FZ_CHECK(low <= high);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    tb_error e = {0};
    if (!fz_seg_ready) {
        FZ_CHECK(tb_segmenter_init(&fz_seg, fz_lex, fz_folder, TB_STYLE_DEFAULT, &e) == TB_OK);
        fz_seg_ready = 1;
    }
    uint8_t opt = fz_take(&data, &size);
    size_t n_skip = opt & 3;
    int no_brk = (opt >> 2) & 1, num_flags = (opt & 8) ? TB_NUM_ACROSS_LINES : 0;
    uint8_t skip_raw[6];
    for (size_t k = 0; k < 2 * n_skip; k++) skip_raw[k] = fz_take(&data, &size);

    tb_text t = {0};
    if (tb_text_build(fz_folder, data, size, &t, &e) != TB_OK) return 0;
    size_t n = t.n;

    uint8_t *brk = NULL;
    if (!no_brk) {
        tb_tokens toks = {0};
        FZ_CHECK(tb_segment(&fz_seg, data, size, TB_MODE_DEFAULT, TB_OPT_HMM, &toks, &e) == TB_OK);
        brk = calloc(n + 1, 1);
        FZ_CHECK(brk != NULL);
        brk[0] = brk[n] = 1;
        for (size_t k = 0; k < toks.n; k++) {
            FZ_CHECK(toks.v[k].end <= n);
            brk[toks.v[k].start] = brk[toks.v[k].end] = 1;
        }
        free(toks.v);
    }

    /* Skip spans sorted by start (possibly overlapping, possibly empty). */
    uint32_t ss[3], se[3];
    for (size_t k = 0; k < n_skip; k++) {
        size_t a = (size_t)skip_raw[2 * k] * n / 256, b = a + skip_raw[2 * k + 1] % 16;
        ss[k] = (uint32_t)a;
        se[k] = (uint32_t)(b > n ? n : b);
    }
    for (size_t i = 1; i < n_skip; i++)   /* insertion sort by start */
        for (size_t j = i; j > 0 && ss[j - 1] > ss[j]; j--) {
            uint32_t x = ss[j]; ss[j] = ss[j - 1]; ss[j - 1] = x;
            x = se[j]; se[j] = se[j - 1]; se[j - 1] = x;
        }

    for (size_t i = 0; i < n; i++) {
        tb_numeral num;
        if (!tb_numeral_read_ex(t.cp, n, i, num_flags, &num)) continue;
        FZ_CHECK(num.start == i && num.end > i && num.end <= n);
        check_value(num.value, num.low, num.high, num.overflow, 0);
        FZ_CHECK(num.approx <= TB_APPROX_ABOUT);
    }

    tb_quantities qs = {0};
    tb_status s = tb_quantities_scan(&t, brk, ss, se, n_skip, &qs, &e);
    FZ_CHECK(s == TB_OK);
    uint32_t prev_end = 0;
    for (size_t k = 0; k < qs.n; k++) {
        const tb_quantity *q = &qs.v[k];
        FZ_CHECK(q->start < q->end && q->end <= n);
        FZ_CHECK(q->start >= prev_end);   /* sorted, non-overlapping */
        prev_end = q->end;
        FZ_CHECK(q->unit_start <= q->unit_end && q->unit_end <= n);
        check_value(q->value, q->low, q->high, q->overflow, 1);
        FZ_CHECK(q->kind <= TB_QK_FRACTION && q->approx <= TB_APPROX_ABOUT && q->ordinal <= 1);
        for (size_t j = 0; j < n_skip; j++)
            FZ_CHECK(se[j] <= ss[j] || q->end <= ss[j] || q->start >= se[j]);
    }
    free(qs.v);
    free(brk);
    tb_text_free(&t);
    return 0;
}
