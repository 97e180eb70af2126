#include "tb_hmm.h"

#include <stdlib.h>

#include "tb_vec.h"

enum { B = 0, M = 1, E = 2, S = 3 };
#define MIN_LOGP (-3.14e100)   /* jieba's "impossible", kept finite so sums stay ordered */

/* Allowed predecessors of each state (B after E/S, M after M/B, ...). */
static const int PREV[4][2] = {[B] = {E, S}, [M] = {M, B}, [E] = {B, M}, [S] = {S, E}};
/* jieba breaks ties by the state's letter (max over (prob, letter)): B < E < M < S. */
static const int LETTER_RANK[4] = {[B] = 0, [E] = 1, [M] = 2, [S] = 3};

static double emit(const tb_hmm_tables *h, int state, uint32_t cp) {
    if (cp - TB_HMM_CJK_FIRST < TB_HMM_CJK_N) {
        float lp = h->emit_cjk[cp - TB_HMM_CJK_FIRST][state];
        return lp <= -3.0e38f ? MIN_LOGP : (double)lp;
    }
    const uint32_t *a = h->emit_cp[state];
    size_t lo = 0, hi = h->n_emit[state];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return (lo < h->n_emit[state] && a[lo] == cp) ? (double)h->emit_lp[state][lo] : MIN_LOGP;
}

static int better(double p, int s, double bp, int bs) {
    return p > bp || (p == bp && LETTER_RANK[s] > LETTER_RANK[bs]);
}

void tb_hmm_scratch_free(tb_hmm_scratch *s) {
    free(s->v);
    free(s->back);
    s->v = NULL;
    s->back = NULL;
    s->cap = 0;
}

tb_status tb_hmm_cut(const tb_hmm_tables *h, const uint32_t *cps, size_t n, tb_hmm_scratch *s,
                     uint32_t *ends, size_t *n_words) {
    if (n > SIZE_MAX / 4 - 1) return TB_ENOMEM;
    double *v = s->v_inline;
    uint8_t *back = s->back_inline;
    if (n > TB_HMM_INLINE) {
        size_t cap = s->cap, cap2 = s->cap;
        if (TB_VEC_RESERVE(s->v, cap, 4 * n) != TB_OK) return TB_ENOMEM;
        if (TB_VEC_RESERVE(s->back, cap2, 4 * n) != TB_OK) return TB_ENOMEM;
        s->cap = cap < cap2 ? cap : cap2;
        v = s->v;
        back = s->back;
    }
    for (int y = 0; y < 4; y++) {
        v[y] = h->start[y] + emit(h, y, cps[0]);
        back[y] = (uint8_t)y;
    }
    for (size_t t = 1; t < n; t++) {
        for (int y = 0; y < 4; y++) {
            double em = emit(h, y, cps[t]);
            int best = -1;
            double bp = 0;
            for (int k = 0; k < 2; k++) {
                int y0 = PREV[y][k];
                double p = v[4 * (t - 1) + y0] + h->trans[y0][y] + em;
                if (best < 0 || better(p, y0, bp, best)) {
                    bp = p;
                    best = y0;
                }
            }
            v[4 * t + y] = bp;
            back[4 * t + y] = (uint8_t)best;
        }
    }
    /* The last character ends a word: state E or S. */
    int state = better(v[4 * (n - 1) + S], S, v[4 * (n - 1) + E], E) ? S : E;
    /* Walk back storing each position's state in ends[], then compact the
     * states into word ends in place (a word ends at every E or S). */
    for (size_t t = n; t-- > 0;) {
        ends[t] = (uint32_t)state;
        state = back[4 * t + state];
    }
    size_t w = 0;
    for (size_t t = 0; t < n; t++) {
        uint32_t st = ends[t];
        if (st == E || st == S) ends[w++] = (uint32_t)(t + 1);
    }
    *n_words = w;
    return TB_OK;
}
