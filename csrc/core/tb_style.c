#include "tb_style.h"

#include <string.h>

/* Chinese numeral characters (folded): 〇零一二两三四五六七八九十百千万亿. */
static int is_cn_numeral(uint32_t c) {
    switch (c) {
    case 0x3007: case 0x96F6: case 0x4E00: case 0x4E8C: case 0x4E24: case 0x4E09: case 0x56DB:
    case 0x4E94: case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: case 0x767E:
    case 0x5343: case 0x4E07: case 0x4EBF:
        return 1;
    default:
        return 0;
    }
}

/* Is the token made only of digits (with joiners) or only of Chinese numerals? */
static int is_number_token(const tb_style_ctx *c, const tb_token *t) {
    size_t k = t->start - c->block_start, e = t->end - c->block_start;
    if (t->kind == TB_K_NUMBER) return 1;
    for (size_t i = k; i < e; i++)
        if (!is_cn_numeral(c->f[i])) return 0;
    return e > k;
}

static int is_date_unit(const tb_style_ctx *c, const tb_token *t) {
    if (t->end - t->start != 1) return 0;
    uint32_t u = c->f[t->start - c->block_start];
    return u == 0x5E74 /* 年 */ || u == 0x6708 /* 月 */ || u == 0x65E5 /* 日 */;
}

tb_status tb_style_apply(const tb_style_ctx *c, tb_tokens *out, size_t first) {
    if (c->seg->style != TB_STYLE_PKU) return TB_OK;
    size_t w = first;
    for (size_t r = first; r < out->n; r++) {
        tb_token t = out->v[r];
        /* PKU: a number and the date unit after it are one word (2001年, 十二月). */
        if (r + 1 < out->n && is_number_token(c, &t) && is_date_unit(c, &out->v[r + 1])) {
            t.end = out->v[r + 1].end;
            t.kind = TB_K_NUMBER;
            t.tag = 0;
            t.node = TB_LEX_NONE;
            r++;
        }
        out->v[w++] = t;
    }
    out->n = w;
    return TB_OK;
}
