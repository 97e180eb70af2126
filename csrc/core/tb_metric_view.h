/* The metric view: a document as the metric rules see it.
 *
 * One 32-bit code unit per folded code point of the text (tb_text.h), with
 * four changes that keep the rules short and the noise of scraped pages out:
 * - every quantity (its unit and approximation included), place and date is
 *   one placeholder unit (TB_PH_* of tb_metric_rules.h) whose `item` is its
 *   index in the extractor's array; a date written as a relative day
 *   (今日, 昨日, 当日) is TB_PH_RELDAY;
 * - white space and runs of Latin letters outside those items are left out,
 *   so a spaced-out headline (新 增 确 诊) or a pinyin fragment glued to a
 *   character (病例bingli5例) reads as plain text;
 * - a line break is left out when the sentence plainly goes on (the line
 *   has clause punctuation, does not end one, and the next starts with a
 *   character or digit: a page break inside a sentence); otherwise it, and
 *   any run of breaks, is one TB_PH_BREAK;
 * - a line that the table's `drop` patterns match at its start (责任编辑：…,
 *   来源：…) is left out whole.
 * A private-use code point of the text that would read as a placeholder is
 * U+FFFD in the view. pos/end map each unit back to the text; the lists of
 * figure and date units and the matching brackets are built in the same
 * pass, so the metric scan never walks the view for them. */
#ifndef TB_METRIC_VIEW_H
#define TB_METRIC_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tb_date.h"
#include "tb_entity.h"
#include "tb_metric_rules.h"
#include "tb_quantity.h"
#include "tb_text.h"

typedef struct {
    uint32_t *c;     /* the code units */
    uint32_t *pos;   /* text offset (code points) where unit k starts */
    uint32_t *end;   /* placeholders: where the item ends (other units: unset) */
    int32_t *item;   /* placeholders: index into quantities, entities or dates (others: unset) */
    int32_t *close_of; /* an opening bracket: the unit of its matching close (same paragraph), or
                          -1 (other units: unset) */
    size_t n;
    uint32_t *figs;  /* view indices of the figure placeholders, ascending */
    size_t n_figs;
    uint32_t *dates; /* view indices of the date placeholders, ascending */
    size_t n_dates;
    uint32_t *marks; /* view indices of the units that end a sentence (。！？；, breaks) or open a
                        bracket, ascending: where the scan looks for sentence ends */
    size_t n_marks;
} tb_mview;

/* Build the view of `t`. The quantities, dates and entities are the
 * analyze pipeline's (sorted by start); only place entities are used. */
tb_status tb_mview_build(const tb_metric_rules *r, const tb_text *t, const tb_quantities *qs,
                         const tb_dates *ds, const tb_entities *es, tb_mview *out, tb_error *err);
void tb_mview_free(tb_mview *v);

#endif
