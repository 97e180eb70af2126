/* Quantities in a document: every figure with its unit, approximation,
 * bounds and kind, resolved to a value.
 *
 *   本土确诊病例43例 → 43 例        1.6万余名 → 16000 名, over, low 16000
 *   近百名 → 100 名, under, high 100   十几天 → 10 天, over, low 11, high 19
 *   95.82% / 百分之十 / 3‰ → percent (value in %: 95.82, 10, 0.3)
 *   三分之一 → 0.333… fraction        第二十三场 → 23 场, ordinal
 *   3至5例 → two quantities, 3 例 and 5 例 (the first takes the unit of the
 *            second when it has none)
 *
 * Not quantities (shared/gold/GUIDE.md): numbers inside dates and times
 * (the caller passes the date scanner's spans as `skip`, and bare
 * calendar forms — 2022年, 3月, 27日, 8时 — are left alone even without
 * it), list markers (一是), idioms and fixed words (一线, 第一时间, 万一:
 * lexicon/not_quantities.txt, and the tokenizer's boundaries, so a numeral
 * inside a word such as 统一 or 四川 is not read), financial characters
 * standing alone (队伍, 陆地).
 *
 * Offsets are code points of the text (tb_text.h). Linear time. */
#ifndef TB_QUANTITY_H
#define TB_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

#include "tb_numeral.h"
#include "tb_status.h"
#include "tb_text.h"

typedef enum {
    TB_QK_NUMBER = 0,       /* a count or measure */
    TB_QK_PERCENT,          /* %, ％, 百分之, ‰ and 千分之 (in percent), 成 and 折 */
    TB_QK_PERCENT_POINT,    /* 个百分点 (value in percentage points) */
    TB_QK_FRACTION          /* 三分之一, 3/5, 一又二分之一 */
} tb_quantity_kind;

typedef struct {
    uint32_t start, end;             /* the whole mention: 近百名, 第二十三场, 百分之十 */
    uint32_t unit_start, unit_end;   /* the unit's span (equal: no unit); for percent kinds
                                        the unit is "%" whatever the surface */
    double value, low, high;         /* low/high NAN when the text implies none */
    uint8_t approx;                  /* tb_approx */
    uint8_t ordinal;                 /* 第… */
    uint8_t kind;                    /* tb_quantity_kind */
    uint8_t unit_class;              /* TB_UNIT_* of tb_units_table.h, 0 for none */
    uint8_t overflow;                /* value beyond double range (+inf) */
} tb_quantity;

typedef struct {
    tb_quantity *v;
    size_t n, cap;
} tb_quantities;

/* Scan `t`. `brk` (t->n + 1 entries, or NULL) marks token boundaries from
 * the tokenizer: brk[k] != 0 when a token starts or ends at k. `skip_start`
 * / `skip_end` (n_skip spans, sorted by start, may overlap) are spans owned
 * by another extractor (dates): no quantity overlaps them. Appends to *out
 * (caller frees out->v). */
tb_status tb_quantities_scan(const tb_text *t, const uint8_t *brk, const uint32_t *skip_start,
                             const uint32_t *skip_end, size_t n_skip, tb_quantities *out,
                             tb_error *err);

#endif
