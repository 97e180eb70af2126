/* Epidemic metrics: every figure a bulletin states about cases, contacts,
 * quarantine, zones, tests and vaccination, as one tidy row each —
 * new local confirmed cases, 民权县 411421, 2022-08-03: 35.
 *
 * The phrasings are data (lexicon/metrics.rules, tb_metric_rules.h), matched
 * over the metric view (tb_metric_view.h) in which quantities, places and
 * dates are already known. This file holds what every phrasing shares:
 *
 * - Cues before a phrasing. In the clause before the matched words (back to
 *   the last ，。；、 or bracket, at most TB_METRIC_CUE_SPAN units), the
 *   table's `cue` pattern finds scope (新增, 累计, 现有), origin (本土,
 *   境外输入), area (全省, 我市) and place words. Groups inside the phrasing
 *   win over cues; among scope cues the first declared scope wins, among the
 *   others the closest.
 * - Inheritance in a sentence. A figure whose clause names no scope takes
 *   the scope of the figure before it in the sentence; a list item (after
 *   、和及与) also its origin; a figure with no place or area, the region of
 *   the figure before it. A `carry` phrasing (尚在医学观察5,127人) takes the
 *   metric of the figure before it, when no other figure stands between.
 * - Stocks (facilities, zones, people in hospital or quarantine) are
 *   current unless the text says new; a metric's `default` scope applies
 *   when nothing else gives one.
 * - Region. A place in the clause: that place and its division code (a
 *   county named without its city already has the code under the city
 *   named before it: the entity pass). An area word: the division of that
 *   level containing the document's issuer — the first place with a
 *   division code in the document — so 全省 in a 郑州 report is 河南省 and
 *   全市 in a 汝州 report is 汝州市. Neither: the document's own area, which
 *   is the issuer taken to the level of the first area word the document
 *   uses (a provincial report whose first place is in a breakdown still
 *   says 全省 first).
 * - Date: the figure's as-of day. The last date before the phrasing in its
 *   sentence (for a range, its end; X日24时 is day X; a date followed by a
 *   `notasof` word such as 以来 opens a period and is skipped); else the
 *   date of the figure before it in the same paragraph; else the document's
 *   date (given or found); else unknown. Values keep the text's precision:
 *   2022-06-12, 2022-10-21T18:00, 2020-02; an unknown year stays XXXX.
 * - Breakdowns. After a figure, a bracket (（周口市川汇区3例，…）) or a
 *   list opened by ，其中 / ：, split at its top-level separators, gives one
 *   row per `item` that matches (a place and a figure, or an origin and a
 *   figure), with the total's metric, scope, origin and date. Items whose
 *   division lies inside an earlier item's are its sub-parts.
 * - Consistency. A total with parts gets `consistent` 1 when its top-level
 *   place parts, and separately its local + imported parts, add up, 0 when
 *   they do not, -1 when nothing can be checked (no parts, an approximate
 *   figure, a partial list — 其中… — that adds up to less). The rows of the
 *   breakdown carry the same flag. A figure is never corrected.
 * - "None" phrasings (无新增本土疑似病例) give value 0 for each metric word
 *   of the list.
 *
 * Linear time: every pattern is bounded, each cue window is bounded, dates
 * and figures before a position are found through arrays built in one pass,
 * and brackets are matched once with a stack. Offsets are code points of
 * the caller's text. */
#ifndef TB_METRIC_H
#define TB_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include "tb_date.h"
#include "tb_entity.h"
#include "tb_gazetteer.h"
#include "tb_metric_rules.h"
#include "tb_quantity.h"
#include "tb_status.h"
#include "tb_text.h"

#define TB_METRIC_CUE_SPAN 48

typedef struct {
    uint32_t start, end;           /* the evidence: cue words, phrasing and figure */
    uint32_t region_start, region_end; /* the place in the text, when the region is one named
                                          there; equal otherwise (see region_name) */
    uint32_t code;                 /* the region's division code, 0 when none */
    const char *region_name;       /* the division's name when the region is not a span of the
                                      text (全省, the document's area); owned by the gazetteer */
    double value;
    uint16_t rule;                 /* tb_metric_rules_rule_name() */
    uint8_t metric;                /* index into the table's metrics */
    uint8_t scope, origin;         /* 1-based ids into the table's scopes/origins; 0 none */
    uint8_t approx;                /* tb_approx of the figure */
    int8_t consistent;             /* 1, 0, or -1 (nothing to check) */
    uint8_t part;                  /* 1 for a row of a breakdown */
    /* the scan's own bookkeeping, not part of the result: */
    int16_t object;                /* the noun a verb row took (its metric), -1 none */
    int32_t fig;                   /* view index of the row's figure, -1 none */
    char date[TB_DATE_VALUE_MAX];  /* as-of date, ISO 8601, X where unknown; "" none at all */
} tb_metric;

typedef struct {
    tb_metric *v;
    size_t n, cap;
} tb_metrics;

/* Find the metrics of `t`. `qs`, `ds`, `es` are the analyze pipeline's
 * results over the same text; `gz` is the gazetteer that produced `es`
 * (division names and parents; may be NULL: no names for area rows);
 * `doc_date` the reference date the dates were resolved against (given or
 * found; may be NULL). Appends to *out (zeroed or reused); free with
 * tb_metrics_free. Allocates its scratch per call: many threads may scan at
 * once with one table. */
tb_status tb_metrics_scan(const tb_metric_rules *r, const tb_gazetteer *gz, const tb_text *t,
                          const tb_quantities *qs, const tb_dates *ds, const tb_entities *es,
                          const tb_dateref *doc_date, tb_metrics *out, tb_error *err);
void tb_metrics_free(tb_metrics *m);

#endif
