/* Reading one numeral: Arabic, Chinese, financial and mixed forms to a value.
 *
 * Works on folded code points (tb_text.h), so full-width digits arrive as
 * ASCII and traditional forms (萬 億 兩 貳 陸 點 餘 幾) as simplified ones.
 *
 *   118,406  95.82  .5  2e5  40k         Arabic, separators, exponent, k/M
 *   二十三  一千零五  九万四 (94000)  百三 (130)  四万万  五兆…      Chinese
 *   壹佰伍拾  拾万零五十六                                           financial
 *   2.2万  1.38亿  3万4000  2千零30万  5万4千6百                      mixed
 *   十点二三  两千万点五五                                           decimals
 *   百余  6000多万  十几  二十几万  两三  二三十                      approximate
 *   一九九一  二〇二二                                             digit strings
 *
 * The value is a double: exact for integers below 2^53 and correctly
 * rounded for short decimals; a numeral beyond the double range (10^5
 * digits, 一亿亿亿…) reads as +inf with `overflow` set, never as a wrong
 * finite number. Reading is linear in the numeral's length.
 *
 * Approximate forms carry bounds: 十几 → value 10, low 11, high 19; 两三 →
 * value 2, low 2, high 3; 百余 → value 100, low 100, high unknown (NAN). */
#ifndef TB_NUMERAL_H
#define TB_NUMERAL_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    TB_APPROX_NONE = 0,
    TB_APPROX_OVER,    /* 余 多 以上 超过 逾: at least */
    TB_APPROX_UNDER,   /* 近 不到 不足 以下: at most */
    TB_APPROX_ABOUT    /* 约 左右 两三 几十: around */
} tb_approx;

typedef struct {
    size_t start, end;     /* code points [start, end) */
    double value;
    double low, high;      /* bounds the text implies, NAN when none */
    uint8_t approx;        /* tb_approx */
    uint8_t overflow;      /* beyond double range: value is +inf */
    uint8_t n_atoms;       /* digits, units and markers read (saturates at 255) */
    uint8_t has_han;       /* Chinese numeral characters */
    uint8_t has_arabic;    /* ASCII digits */
    uint8_t financial_only;/* only financial characters (壹 拾 陆 …): alone they are words */
    uint8_t digit_string;  /* Chinese digits without units, read positionally (一九九一) */
    uint8_t ends_in_unit;  /* last atom was 十 百 千 万 亿 (百 in 百分之 reads here too) */
} tb_numeral;

enum {
    /* Let a Chinese numeral continue across line breaks (第十\n\n一次): text
     * copied from paged layouts splits words; only safe after 第. */
    TB_NUM_ACROSS_LINES = 1
};

/* Read the numeral that starts exactly at cp[i]. Returns 1 and fills *out,
 * or 0 when no numeral starts there. Never reads past cp[n - 1]. */
int tb_numeral_read_ex(const uint32_t *cp, size_t n, size_t i, int flags, tb_numeral *out);

static inline int tb_numeral_read(const uint32_t *cp, size_t n, size_t i, tb_numeral *out) {
    return tb_numeral_read_ex(cp, n, i, 0, out);
}

/* Value of a Chinese digit character (〇 零 一 … 九, 两 俩, 壹 … 玖), or -1. */
int tb_numeral_digit(uint32_t c);

/* 10, 100, 1000 for 十 百 千 (拾 佰 仟), 1e4 1e8 1e12 for 万 亿 兆, else 0. */
double tb_numeral_unit(uint32_t c);

#endif
