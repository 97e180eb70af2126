/* Building the metric view (tb_metric_view.h). One pass over the text with
 * a cursor into each extractor's sorted results: linear time. */
#include "tb_metric_view.h"

#include <stdlib.h>
#include <string.h>
#include <uchar.h>

static int is_newline(uint32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 || c == 0x2028 || c == 0x2029;
}

static int is_sentence_end(uint32_t c) {
    return c == U'。' || c == U'！' || c == U'？' || c == '!' || c == '?' || c == U'；' || c == ';' ||
           c == U'：' || c == ':' || c == TB_PH_BREAK;
}

static int is_clause_punct(uint32_t c) {
    return c == U'，' || c == ',' || c == U'、' || c == U'；' || c == ';';
}

static int is_han_numeral(uint32_t c) {
    static const char32_t digits[] = U"〇零一二三四五六七八九十两";
    for (size_t k = 0; digits[k]; k++)
        if (c == (uint32_t)digits[k]) return 1;
    return 0;
}

/* 今日, 昨日, 当日, 前天, 次日 …: a day named relative to another. */
static int is_relative_day(const tb_text *t, const tb_date *d) {
    if (!d->relative || d->granularity < TB_GRAN_DAY || d->start >= t->n) return 0;
    uint32_t c = t->cp[d->start];
    if (tb_is_ascii_digit(c) || is_han_numeral(c)) return 0;
    static const char32_t first[] = U"今昨当前明后次翌同";
    for (size_t k = 0; first[k]; k++)
        if (c == (uint32_t)first[k]) return 1;
    return 0;
}

void tb_mview_free(tb_mview *v) {
    free(v->c);
    free(v->pos);
    free(v->end);
    free(v->item);
    memset(v, 0, sizeof *v);
}

/* Does a `drop` pattern match the line starting at i? */
static int dropped_line(const tb_metric_rules *r, const tb_text *t, size_t i, pcre2_match_data *md) {
    if (r->drop.code == NULL) return 0;
    int rc = pcre2_match(r->drop.code, (PCRE2_SPTR)t->cp, t->n, i, PCRE2_ANCHORED, md, r->mctx);
    return rc >= 0;
}

tb_status tb_mview_build(const tb_metric_rules *r, const tb_text *t, const tb_quantities *qs,
                         const tb_dates *ds, const tb_entities *es, tb_mview *out, tb_error *err) {
    memset(out, 0, sizeof *out);
    size_t cap = t->n ? t->n : 1;
    out->c = malloc(cap * sizeof *out->c);
    out->pos = malloc(cap * sizeof *out->pos);
    out->end = malloc(cap * sizeof *out->end);
    out->item = malloc(cap * sizeof *out->item);
    pcre2_match_data *md = r->drop.code ? pcre2_match_data_create_from_pattern(r->drop.code, NULL) : NULL;
    if (!out->c || !out->pos || !out->end || !out->item || (r->drop.code && !md)) {
        pcre2_match_data_free(md);
        tb_mview_free(out);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for the metric view");
    }
    size_t n = 0, qi = 0, di = 0, ei = 0;
    int saw_newline = 0, line_punct = 0, line_start = 1;
#define EMIT(unit, a, b, it)          \
    do {                              \
        out->c[n] = (unit);           \
        out->pos[n] = (uint32_t)(a);  \
        out->end[n] = (uint32_t)(b);  \
        out->item[n] = (int32_t)(it); \
        n++;                          \
    } while (0)
    size_t i = 0;
    while (i < t->n) {
        uint32_t c = t->cp[i];
        if (is_newline(c) || t->cls[i] == TB_C_SPACE) {
            if (is_newline(c)) {
                saw_newline = 1;
                line_start = 1;
            }
            i++;
            continue;
        }
        if (line_start) {
            line_start = 0;
            if (md && dropped_line(r, t, i, md)) {
                while (i < t->n && !is_newline(t->cp[i])) i++;
                continue;
            }
        }
        if (saw_newline) {
            /* a break unless the sentence plainly goes on across it */
            int go_on = n > 0 && !is_sentence_end(out->c[n - 1]) && line_punct &&
                        (t->cls[i] == TB_C_HAN || t->cls[i] == TB_C_DIGIT);
            if (!go_on && n > 0 && out->c[n - 1] != TB_PH_BREAK) EMIT(TB_PH_BREAK, i, i, -1);
            saw_newline = 0;
            line_punct = 0;
        }
        while (qi < qs->n && qs->v[qi].start < i) qi++;
        while (di < ds->n && ds->v[di].start < i) di++;
        while (ei < es->n && (es->v[ei].start < i || es->v[ei].label != TB_ENT_PLACE)) ei++;
        if (di < ds->n && ds->v[di].start == i && ds->v[di].end > i) {
            const tb_date *d = &ds->v[di];
            EMIT(is_relative_day(t, d) ? TB_PH_RELDAY : TB_PH_DATE, i, d->end, di);
            i = d->end;
            continue;
        }
        const tb_quantity *q = qi < qs->n && qs->v[qi].start == i && qs->v[qi].end > i ? &qs->v[qi] : NULL;
        const tb_entity *p = ei < es->n && es->v[ei].start == i && es->v[ei].end > i ? &es->v[ei] : NULL;
        if (p && (!q || p->end >= q->end)) {
            EMIT(TB_PH_PLACE, i, p->end, ei);
            i = p->end;
            continue;
        }
        if (q) {
            EMIT(q->ordinal ? TB_PH_ORDINAL : TB_PH_FIGURE, i, q->end, qi);
            i = q->end;
            continue;
        }
        if (tb_is_ascii_alpha(c)) {   /* a Latin fragment: not part of what the rules read */
            while (i < t->n && tb_is_ascii_alpha(t->cp[i])) i++;
            continue;
        }
        if (c >= TB_PH_FIGURE && c <= TB_PH_LAST) c = 0xFFFD;
        if (is_clause_punct(c)) line_punct = 1;
        EMIT(c, i, i + 1, -1);
        i++;
    }
#undef EMIT
    pcre2_match_data_free(md);
    out->n = n;
    return TB_OK;
}
