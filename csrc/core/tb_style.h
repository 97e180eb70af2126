/* Segmentation styles: conventions applied around the best path.
 *
 * JIEBA applies nothing. DEFAULT and PKU follow the Peking University
 * segmentation standard (the SIGHAN PKU corpus):
 *   - numbers are whole tokens with their date unit (2001年, 二〇〇一年,
 *     三十一日, 8时, 2.2万, 第十五) — a pre-pass that fixes token bounds;
 *   - a numeral is split from the measure word after it (一 次, 多 名);
 *   - 们 is split from nouns (代表 们), runs of the same dash or dot join;
 *   - long dictionary compounds much rarer than their parts are split
 *     (检察机关 → 检察 机关), common ones stay (社会主义);
 *   - PKU only: person names split into surname and given name (江 泽民).
 * User and domain words are never split. */
#ifndef TB_STYLE_H
#define TB_STYLE_H

#include "tb_segment.h"

typedef struct {
    const tb_segmenter *seg;
    const uint32_t *f;        /* folded code points of the block */
    const uint8_t *cls;       /* their classes */
    const uint32_t *nextb;    /* end of the atom starting at k */
    size_t block_start;       /* text offset of f[0] */
    size_t len;
    double logtotal;          /* log of the total frequency (user words included) */
    tb_tokens *scratch;       /* the caller's scratch for rewritten tokens, reused across
                                 blocks (grown here; the caller frees scratch->v) */
} tb_style_ctx;

/* Number tokens of a block (pre-pass): writes up to len spans [starts[i],
 * ends[i]) in increasing order, returns their count. */
size_t tb_style_number_spans(const tb_style_ctx *ctx, uint32_t *starts, uint32_t *ends);

/* Rewrite out->v[first..out->n), one block's accurate-mode tokens. */
tb_status tb_style_apply(const tb_style_ctx *ctx, tb_tokens *out, size_t first);

/* Is `cp` one of the repeated punctuation marks PKU keeps as one token (———, ……)? */
int tb_style_joins_repeat(uint32_t cp);

#endif
