/* Building the metric view (tb_metric_view.h). One pass over the text with
 * a cursor into each extractor's sorted results: linear time. */
#include "tb_metric_view.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <uchar.h>

#include "tb_vec.h"

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
    free(v->close_of);
    free(v->figs);
    free(v->dates);
    free(v->marks);
    memset(v, 0, sizeof *v);
}

/* Does a `drop` pattern match the line starting at i? */
static int dropped_line(const tb_metric_rules *r, const tb_text *t, size_t i, pcre2_match_data *md) {
    if (r->drop.code == NULL) return 0;
    int rc = tb_rx_match(&r->drop, t->cp, t->n, i, md, r->mctx);
    return rc >= 0;
}

/* The start of the next place entity at or after entity index *ei (skipping
 * persons and organisations); SIZE_MAX when none. */
static size_t next_place(const tb_entities *es, size_t *ei, size_t i) {
    while (*ei < es->n && (es->v[*ei].start < i || es->v[*ei].label != TB_ENT_PLACE)) (*ei)++;
    return *ei < es->n ? es->v[*ei].start : SIZE_MAX;
}

static int is_open_bracket(uint32_t c) {
    return c == U'（' || c == '(' || c == U'【' || c == U'〔' || c == '[' || c == U'［';
}

static int is_close_bracket(uint32_t c) {
    return c == U'）' || c == ')' || c == U'】' || c == U'〕' || c == ']' || c == U'］';
}

tb_status tb_mview_build(const tb_metric_rules *r, const tb_text *t, const tb_quantities *qs,
                         const tb_dates *ds, const tb_entities *es, tb_mview *out, tb_error *err) {
    memset(out, 0, sizeof *out);
    size_t cap = t->n ? t->n : 1;
    out->c = malloc(cap * sizeof *out->c);
    out->pos = malloc(cap * sizeof *out->pos);
    out->end = malloc(cap * sizeof *out->end);
    out->item = malloc(cap * sizeof *out->item);
    out->close_of = malloc(cap * sizeof *out->close_of);
    out->figs = malloc((qs->n + 1) * sizeof *out->figs);
    out->marks = malloc(cap * sizeof *out->marks);
    out->dates = malloc((ds->n + 1) * sizeof *out->dates);
    int32_t *stack = NULL;
    size_t depth = 0, stack_cap = 0;
    pcre2_match_data *md = r->drop.code ? pcre2_match_data_create_from_pattern(r->drop.code, NULL) : NULL;
    if (!out->c || !out->pos || !out->end || !out->item || !out->close_of || !out->figs || !out->dates || !out->marks ||
        (r->drop.code && !md)) {
        pcre2_match_data_free(md);
        tb_mview_free(out);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for the metric view");
    }
    /* item, end and close_of are written only where they mean something:
     * item and end at placeholders, close_of at opening brackets */
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
    /* where the next quantity, date or place starts */
    size_t nq = qs->n ? qs->v[0].start : SIZE_MAX, nd = ds->n ? ds->v[0].start : SIZE_MAX;
    size_t np = next_place(es, &ei, 0);
    while (i < t->n) {
        uint32_t c = t->cp[i];
        uint8_t cls = t->cls[i];
        size_t next_item = nq < nd ? (nq < np ? nq : np) : (nd < np ? nd : np);
        if (cls == TB_C_HAN && !line_start && !saw_newline) {
            /* the common case: a run of running text up to the next item */
            size_t lim = next_item < t->n ? next_item : t->n;
            while (i < lim && t->cls[i] == TB_C_HAN) {
                out->c[n] = t->cp[i];
                out->pos[n] = (uint32_t)i;
                n++;
                i++;
            }
            if (i < lim) continue;
            if (i >= t->n) break;
            c = t->cp[i];
            cls = t->cls[i];
        }
        if (is_newline(c) || cls == TB_C_SPACE) {
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
            int go_on = n > 0 && !is_sentence_end(out->c[n - 1]) && line_punct && (cls == TB_C_HAN || cls == TB_C_DIGIT);
            if (!go_on && n > 0 && out->c[n - 1] != TB_PH_BREAK) {
                out->marks[out->n_marks++] = (uint32_t)n;
                EMIT(TB_PH_BREAK, i, i, -1);
                depth = 0;   /* a bracket never spans paragraphs */
            }
            saw_newline = 0;
            line_punct = 0;
        }
        if (i >= next_item) {
            while (qi < qs->n && qs->v[qi].start < i) qi++;
            while (di < ds->n && ds->v[di].start < i) di++;
            np = next_place(es, &ei, i);
            const tb_date *d = di < ds->n && ds->v[di].start == i && ds->v[di].end > i ? &ds->v[di] : NULL;
            const tb_quantity *q = qi < qs->n && qs->v[qi].start == i && qs->v[qi].end > i ? &qs->v[qi] : NULL;
            const tb_entity *p = np == i && es->v[ei].end > i ? &es->v[ei] : NULL;
            size_t stop = 0;
            if (d) {
                out->dates[out->n_dates++] = (uint32_t)n;
                EMIT(is_relative_day(t, d) ? TB_PH_RELDAY : TB_PH_DATE, i, d->end, di);
                stop = d->end;
            } else if (p && (!q || p->end >= q->end)) {
                EMIT(TB_PH_PLACE, i, p->end, ei);
                stop = p->end;
            } else if (q) {
                out->figs[out->n_figs++] = (uint32_t)n;
                EMIT(q->ordinal ? TB_PH_ORDINAL : TB_PH_FIGURE, i, q->end, qi);
                stop = q->end;
            }
            if (stop) {
                i = stop;
                while (qi < qs->n && qs->v[qi].start < i) qi++;
                while (di < ds->n && ds->v[di].start < i) di++;
                nq = qi < qs->n ? qs->v[qi].start : SIZE_MAX;
                nd = di < ds->n ? ds->v[di].start : SIZE_MAX;
                np = next_place(es, &ei, i);
                continue;
            }
            /* an item that starts inside another (or an empty one): past it */
            nq = qi < qs->n ? (qs->v[qi].start > i ? qs->v[qi].start : i + 1) : SIZE_MAX;
            nd = di < ds->n ? (ds->v[di].start > i ? ds->v[di].start : i + 1) : SIZE_MAX;
            if (np <= i) np = i + 1;
        }
        if (cls == TB_C_HAN) {
            EMIT(c, i, i + 1, -1);
            i++;
            continue;
        }
        if (tb_is_ascii_alpha(c)) {   /* a Latin fragment: not part of what the rules read */
            while (i < t->n && tb_is_ascii_alpha(t->cp[i]) && i < next_item) i++;
            continue;
        }
        if (c >= TB_PH_FIGURE && c <= TB_PH_LAST) c = 0xFFFD;
        if (is_clause_punct(c)) line_punct = 1;
        if (is_open_bracket(c)) {
            if (TB_VEC_RESERVE(stack, stack_cap, depth + 1) != TB_OK) {
                free(stack);
                pcre2_match_data_free(md);
                tb_mview_free(out);
                return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for the metric view");
            }
            stack[depth++] = (int32_t)n;
            out->close_of[n] = -1;   /* until its close is seen */
            out->marks[out->n_marks++] = (uint32_t)n;
        } else if (is_close_bracket(c) && depth > 0) {
            out->close_of[stack[--depth]] = (int32_t)n;
        } else if (c == U'。' || c == U'！' || c == U'？' || c == '!' || c == '?' || c == U'；' || c == ';') {
            out->marks[out->n_marks++] = (uint32_t)n;   /* as tb_metric.c ends a sentence */
        }
        EMIT(c, i, i + 1, -1);
        i++;
    }
#undef EMIT
    free(stack);
    pcre2_match_data_free(md);
    out->n = n;
    return TB_OK;
}
