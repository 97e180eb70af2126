/* Unknown-word model: BMES hidden Markov model over runs of single Han
 * characters (jieba's finalseg model and tables, Viterbi decoding). It finds
 * names and other words absent from the lexicon (楼阳生, 民权县...). */
#ifndef TB_HMM_H
#define TB_HMM_H

#include <stddef.h>
#include <stdint.h>

#include "tb_lexicon.h"

/* Scratch for one Viterbi run; reused across runs within one call. Runs of
 * up to TB_HMM_INLINE characters (nearly all) use the inline arrays. */
#define TB_HMM_INLINE 32
typedef struct {
    double *v;        /* 4 per position (heap, for longer runs) */
    uint8_t *back;    /* 4 per position */
    size_t cap;
    double v_inline[4 * TB_HMM_INLINE];
    uint8_t back_inline[4 * TB_HMM_INLINE];
} tb_hmm_scratch;

void tb_hmm_scratch_free(tb_hmm_scratch *s);

/* Segment folded code points cps[0..n) (n >= 1). Writes word end offsets
 * (exclusive, relative to cps) into ends[] (room for n) and sets *n_words. */
tb_status tb_hmm_cut(const tb_hmm_tables *hmm, const uint32_t *cps, size_t n, tb_hmm_scratch *s,
                     uint32_t *ends, size_t *n_words);

#endif
