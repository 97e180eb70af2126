/* Segmentation styles: conventions applied to a block's tokens after the
 * best path has been chosen.
 *
 * The default style follows the lexicon (jieba's conventions: 江泽民 whole,
 * 2001 / 年 apart). TB_STYLE_PKU follows the Peking University standard of
 * the SIGHAN PKU corpus: numbers joined with the date unit that follows
 * (2001年, 二〇〇一年, 三十一日) and the other rules documented in
 * tb_style.c. */
#ifndef TB_STYLE_H
#define TB_STYLE_H

#include "tb_segment.h"

typedef struct {
    const tb_segmenter *seg;
    const uint32_t *f;        /* folded code points of the block */
    const uint8_t *cls;       /* their classes */
    size_t block_start;       /* text offset of f[0] */
    size_t len;
} tb_style_ctx;

/* Rewrite out->v[first..out->n), one block's accurate-mode tokens, in place. */
tb_status tb_style_apply(const tb_style_ctx *ctx, tb_tokens *out, size_t first);

#endif
