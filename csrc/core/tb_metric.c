/* The metric pass (tb_metric.h): the rule table's phrasings over the view,
 * then what they share — cues, inheritance, region, date, breakdowns and
 * consistency. */
#include "tb_metric.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb_metric_view.h"
#include "tb_vec.h"

#define NOTASOF_STEPS 8   /* dates skipped back over 以来 at most, per figure */
#define PART_DEPTH 3      /* brackets inside a breakdown's parts followed */

typedef struct {
    int set;
    uint32_t start, end;   /* a span of the text, when the region is a place named there */
    uint32_t code;
    const char *name;      /* else the division's name */
} region;

/* What one match of a phrasing says. */
typedef struct {
    size_t ms, me;          /* the match in the view */
    int rule;
    int metric;             /* -1 none */
    int scope, origin;      /* 0 none */
    int area;               /* 0 none */
    long q;                 /* view index of the figure, -1 none */
    long p;                 /* view index of the last place in a p group, -1 none */
    long area_at;
    int zero, carry;
    int again;              /* the metric of the row right before (a list's next place) */
    int pass;               /* a phrasing that is no metric: its span is passed over */
    int object;             /* a second metric word (the noun after a verb), -1 none */
    int scope_weak;         /* the scope came from a weak word */
    long r_start, r_end;    /* an r group: a place as written, -1 none */
} hit;

/* What the cue words before a phrasing say. */
typedef struct {
    int scope, origin, area;
    int scope_weak;
    long place, area_at;    /* view indices, -1 none */
    long first;             /* view index of the first contributing cue, -1 none */
} cues;

typedef struct {
    const tb_metric_rules *r;
    const tb_gazetteer *gz;
    const tb_text *t;
    const tb_quantities *qs;
    const tb_dates *ds;
    const tb_entities *es;
    const tb_dateref *doc_date;
    tb_mview v;
    uint8_t *used;        /* per quantity: already a row's figure */
    pcre2_match_data *md, *md_item, *md_cue, *md_aux, *md_cls;
    tb_metrics *out;
    tb_error *err;
    /* the document */
    int doc_ready;
    int has_issuer;
    int issuer_lead;       /* the issuer was named before the first figure, outside brackets */
    tb_gz_div issuer;
    region doc_region;
    region area[4];        /* area_region() by level, once known */
    uint8_t area_known[4];
    char doc_day[TB_DATE_VALUE_MAX];
    /* the sentence and paragraph being read */
    size_t sent_first;     /* the first row of the sentence */
    size_t para_start;     /* view index where the paragraph being read starts */
    long sent_prev;        /* row index of the last total-level row in the sentence, -1 */
    long sent_prev_fig;    /* its figure's view index */
    size_t sent_prev_end;  /* view index after what it consumed */
    size_t lend_from, lend_to;  /* list_end's last answer: from a sentence end in [from, to), to */
    char para_date[TB_DATE_VALUE_MAX];
} scan;

#ifdef TB_COUNT_ATTEMPTS
long tb_count_attempt[16], tb_count_hit[16];
#endif

/* ---- view helpers --------------------------------------------------------- */

static int is_open(uint32_t c) { return c == U'（' || c == '(' || c == U'【' || c == U'〔' || c == '[' || c == U'［'; }
static int is_close(uint32_t c) { return c == U'）' || c == ')' || c == U'】' || c == U'〕' || c == ']' || c == U'］'; }

static int is_sentence_end(uint32_t c) {
    return c == U'。' || c == U'！' || c == U'？' || c == '!' || c == '?' || c == U'；' || c == ';' ||
           c == TB_PH_BREAK;
}

/* Where a clause ends, for the cue window. */
static int is_clause_sep(uint32_t c) {
    return is_sentence_end(c) || c == U'，' || c == ',' || c == U'、' || c == U'：' || c == ':' || is_open(c) ||
           is_close(c);
}

static int is_part_sep(uint32_t c) {
    return c == U'，' || c == ',' || c == U'、' || c == U'；' || c == ';';
}

static int is_list_link(uint32_t c) { return c == U'、' || c == U'和' || c == U'及' || c == U'与'; }

static int is_figure(uint32_t c) { return c == TB_PH_FIGURE || c == TB_PH_ORDINAL; }

static tb_status oom(tb_error *err) { return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for metrics"); }

/* Where view unit k ends in the text: a placeholder at its item's end, a
 * break where it stands, a character after itself. */
static uint32_t unit_end(const scan *s, size_t k) {
    uint32_t c = s->v.c[k];
    if (c >= TB_PH_FIGURE && c < TB_PH_BREAK) return s->v.end[k];
    return s->v.pos[k] + (c == TB_PH_BREAK ? 0 : 1);
}

/* The number of entries of `list` (ascending view indices) before k. */
static size_t count_before(const uint32_t *list, size_t n, size_t k) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list[mid] < k) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The last figure placeholder before view index k, else -1. */
static long fig_before(const scan *s, size_t k) {
    size_t i = count_before(s->v.figs, s->v.n_figs, k);
    return i ? (long)s->v.figs[i - 1] : -1;
}

/* ---- matches -------------------------------------------------------------- */

static size_t gstart(const PCRE2_SIZE *ov, uint32_t g) { return ov[2 * g]; }
static size_t gend(const PCRE2_SIZE *ov, uint32_t g) { return ov[2 * g + 1]; }

/* The value a group stands for: its own, or for a whole {CLASS} the value
 * of the words it matched (-1: none). */
static int group_value(scan *s, const tb_rgroup *gr, size_t a, size_t b) {
    if (gr->cls < 0) return gr->value;
    return tb_metric_rules_class_value(s->r, gr->cls, s->v.c, a, b, s->md_cls, s->r->mctx);
}

static int group_weak(const scan *s, const tb_rgroup *gr) { return gr->cls >= 0 && s->r->classes[gr->cls].weak; }

/* Read the groups of a match of `pat` (rules or items) into *h. */
static void read_hit(scan *s, const tb_rpattern *pat, pcre2_match_data *md, hit *h) {
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    memset(h, 0, sizeof *h);
    h->ms = ov[0];
    h->me = ov[1];
    h->rule = -1;
    h->metric = -1;
    h->q = h->p = h->area_at = -1;
    h->object = -1;
    h->r_start = h->r_end = -1;
    for (uint32_t g = 1; g <= pat->n_groups; g++) {
        if (gstart(ov, g) == PCRE2_UNSET) continue;
        const tb_rgroup *gr = &pat->groups[g];
        size_t a = gstart(ov, g), b = gend(ov, g);
        switch (gr->kind) {
        case TB_G_RULE:
            if (h->rule < 0) h->rule = gr->value;
            break;
        case TB_G_METRIC:
            if (h->metric < 0) h->metric = group_value(s, gr, a, b);
            else if (h->object < 0) h->object = group_value(s, gr, a, b);
            break;
        case TB_G_SCOPE:
            if (h->scope == 0) {
                int v = group_value(s, gr, a, b);
                if (v > 0) {
                    h->scope = v;
                    h->scope_weak = group_weak(s, gr);
                }
            }
            break;
        case TB_G_REGION:
            if (b > a) {
                h->r_start = (long)a;
                h->r_end = (long)b;
            }
            break;
        case TB_G_ORIGIN:
            if (h->origin == 0) {
                int v = group_value(s, gr, a, b);
                if (v > 0) h->origin = v;
            }
            break;
        case TB_G_AREA: {
            int v = group_value(s, gr, a, b);
            if (v > 0) {
                h->area = v;
                h->area_at = (long)a;
            }
            break;
        }
        case TB_G_FIGURE:
            for (size_t k = a; k < b; k++)
                if (is_figure(s->v.c[k])) {
                    h->q = (long)k;
                    break;
                }
            break;
        case TB_G_PLACE:
            for (size_t k = a; k < b; k++)
                if (s->v.c[k] == TB_PH_PLACE) h->p = (long)k;
            break;
        case TB_G_ZERO:
            h->zero = 1;
            break;
        case TB_G_CARRY:
            h->carry = 1;
            break;
        case TB_G_PASS:
            h->pass = 1;
            break;
        case TB_G_AGAIN:
            h->again = 1;
            break;
        default:
            break;
        }
    }
}

/* May a figure of `metric` carry this quantity's unit? */
static int unit_ok(const scan *s, int metric, const tb_quantity *q) {
    const tb_mr_metric *m = &s->r->metrics[metric];
    if (q->kind != TB_QK_NUMBER) return 0;      /* percentages and fractions count nothing */
    size_t ul = q->unit_end > q->unit_start ? q->unit_end - q->unit_start : 0;
    if (ul == 0) return m->bare_ok;
    for (size_t u = 0; u < m->n_units; u++) {
        size_t k = 0;
        while (k < ul && m->units[u][k] && m->units[u][k] == s->t->cp[q->unit_start + k]) k++;
        if (k == ul && m->units[u][k] == 0) return 1;
    }
    return 0;
}

/* Where the cue window of a phrasing at view index `ms` starts: the clause's
 * start, at most TB_METRIC_CUE_SPAN units back and not before `floor`. */
static size_t cue_start(const scan *s, size_t floor, size_t ms) {
    size_t ws = ms;
    while (ws > floor && ms - ws < TB_METRIC_CUE_SPAN && !is_clause_sep(s->v.c[ws - 1])) ws--;
    return ws;
}

/* The cue words in the clause before view index `ms` (not before `floor`). */
static void read_cues(scan *s, size_t floor, size_t ms, cues *c) {
    memset(c, 0, sizeof *c);
    c->place = c->area_at = c->first = -1;
    if (s->r->cue.code == NULL) return;
    size_t ws = cue_start(s, floor, ms);
    const tb_rpattern *pat = &s->r->cue;
    size_t off = ws;
    while (off < ms) {
        int rc = tb_rx_match(pat, s->v.c, ms, off, s->md_cue, s->r->mctx);
        if (rc < 0) break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_cue);
        int any = 0;
        for (uint32_t g = 1; g <= pat->n_groups; g++) {
            if (gstart(ov, g) == PCRE2_UNSET) continue;
            const tb_rgroup *gr = &pat->groups[g];
            switch (gr->kind) {
            case TB_G_SCOPE: {  /* the first declared scope wins; at equals, a firm word */
                int v = group_value(s, gr, gstart(ov, g), gend(ov, g));
                int weak = group_weak(s, gr);
                if (v > 0 && (c->scope == 0 || v < c->scope || (v == c->scope && !weak))) {
                    if (v != c->scope) c->scope_weak = weak;
                    else c->scope_weak &= weak;
                    c->scope = v;
                }
                any = 1;
                break;
            }
            case TB_G_ORIGIN: {
                int v = group_value(s, gr, gstart(ov, g), gend(ov, g));
                if (v > 0) c->origin = v;
                any = 1;
                break;
            }
            case TB_G_AREA: {
                int v = group_value(s, gr, gstart(ov, g), gend(ov, g));
                if (v > 0) {
                    c->area = v;
                    c->area_at = (long)gstart(ov, g);
                }
                any = 1;
                break;
            }
            case TB_G_PLACE:
                for (size_t k = gstart(ov, g); k < gend(ov, g); k++)
                    if (s->v.c[k] == TB_PH_PLACE) c->place = (long)k;
                any = 1;
                break;
            default:
                break;
            }
        }
        if (any && c->first < 0) c->first = (long)ov[0];
        off = ov[1] > off ? ov[1] : off + 1;
    }
}

/* A phrasing first in a bracket right after a figure that is no row —
 * 新增本土新冠病毒感染者26例（确诊病例2例、无症状感染者24例）: infections are
 * no metric, their parts are — takes the scope and origin words of the
 * clause before the bracket (the parts after it inherit them as list items). */
static void bracket_cues(scan *s, size_t floor, size_t ms, cues *c) {
    size_t ws = cue_start(s, floor, ms);
    if (ws < floor + 2 || !is_open(s->v.c[ws - 1]) || !is_figure(s->v.c[ws - 2])) return;
    if (s->used[s->v.item[ws - 2]]) return;   /* a row's figure: its breakdown was read with it */
    cues before;
    read_cues(s, floor, ws - 2, &before);
    c->scope = before.scope;
    c->scope_weak = before.scope_weak;
    c->origin = before.origin;
}

/* ---- regions ---------------------------------------------------------------- */

static region place_region(const scan *s, long k) {
    region g = {0};
    const tb_entity *e = &s->es->v[s->v.item[k]];
    g.set = 1;
    g.start = e->start;
    g.end = e->end;
    g.code = e->code;
    return g;
}

static region division_region(const scan *s, uint32_t code) {
    region g = {0};
    tb_gz_div d;
    if (s->gz && tb_gazetteer_division(s->gz, code, &d)) {
        g.set = 1;
        g.code = code;
        g.name = d.name;
    }
    return g;
}

static int ends_with_shi(const char *name) {
    size_t n = name ? strlen(name) : 0;
    return n >= 3 && memcmp(name + n - 3, "\xe5\xb8\x82", 3) == 0; /* 市 */
}

static int is_level(const char *level, const char *want) { return level && strcmp(level, want) == 0; }

/* The division an area word (全省, 全市, 全县) names in this document. */
static region area_division(const scan *s, int level) {
    region none = {0};
    if (!s->has_issuer) return none;
    const tb_gz_div *is = &s->issuer;
    switch (level) {
    case TB_AREA_PROVINCE:
        return division_region(s, is->code / 10000 * 10000);
    case TB_AREA_CITY:
        /* a place known only from a breakdown is a part of the document's
         * area: its own level does not name that area */
        if (is_level(is->level, "city")) return s->issuer_lead ? division_region(s, is->code) : none;
        if (is_level(is->level, "county")) {
            /* 全市 in a county-level city's report is that city (汝州市) */
            if (s->issuer_lead && ends_with_shi(is->name)) return division_region(s, is->code);
            if (is->parent % 100 == 0 && is->parent % 10000 != 0) return division_region(s, is->parent);
        }
        return none;
    case TB_AREA_COUNTY:
        if (is_level(is->level, "county") && s->issuer_lead) return division_region(s, is->code);
        return none;
    default:
        return none;
    }
}

/* area_division, looked up once per level and document. */
static region area_region(scan *s, int level) {
    if (level < 1 || level > 3) return (region){0};
    if (!s->area_known[level]) {
        s->area[level] = area_division(s, level);
        s->area_known[level] = 1;
    }
    return s->area[level];
}

static int issuer_level(const tb_entity *e) {
    return e->label == TB_ENT_PLACE && e->code != 0 &&
           (is_level(e->level, "province") || is_level(e->level, "city") || is_level(e->level, "county"));
}

/* An area word the issuer cannot resolve (全县 in a city's report): the
 * last place of that level named before view index `at` in the paragraph. */
static region area_near(scan *s, int level, size_t at) {
    const char *want = level == TB_AREA_PROVINCE ? "province" : level == TB_AREA_CITY ? "city" : "county";
    size_t i = count_before(s->v.places, s->v.n_places, at);
    for (int step = 0; i > 0 && s->v.places[i - 1] >= s->para_start && step < 64; step++, i--) {
        const tb_entity *e = &s->es->v[s->v.item[s->v.places[i - 1]]];
        if (e->code && is_level(e->level, want)) return place_region(s, (long)s->v.places[i - 1]);
    }
    return (region){0};
}

/* The place a sentence opens with (after its dates), as its subject:
 * 卫辉市在做好防控的同时，已累计…接种疫苗2.2万剂次. Not one people came from
 * (上海市来郑人员…: the cue pattern's unnamed alternative). */
static long opening_place(scan *s, size_t s0, size_t s1) {
    size_t k = s0;
    while (k < s1 && (s->v.c[k] == TB_PH_DATE || s->v.c[k] == TB_PH_RELDAY || s->v.c[k] == U'，' || s->v.c[k] == ','))
        k++;
    if (k >= s1 || s->v.c[k] != TB_PH_PLACE || s->r->cue.code == NULL) return -1;
    if (tb_rx_match(&s->r->cue, s->v.c, s1, k, s->md_cue, s->r->mctx) < 0) return -1;
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_cue);
    if (ov[0] != k) return -1;
    for (uint32_t g = 1; g <= s->r->cue.n_groups; g++)
        if (gstart(ov, g) != PCRE2_UNSET && s->r->cue.groups[g].kind == TB_G_PLACE) return (long)k;
    return -1;
}

/* The document's issuer and its own area. The issuer is the first place
 * with a division code named before the first figure and outside brackets
 * (the title's 河南省卫生健康委员会, 许昌市召开…); the document's area is the
 * issuer taken to the level of the first area word the text uses (全省 in a
 * report whose title names 郑州市 is 河南省), else the issuer. A report with
 * no such place (its first place is in a breakdown) resolves its area words
 * through its first coded place but has no area of its own otherwise: a
 * figure there is not guessed to be that place's. */
static void read_document(scan *s) {
    s->doc_ready = 1;
    long first_any = -1, lead = -1;
    size_t depth = 0;
    int seen_figure = 0;
    for (size_t k = 0; k < s->v.n && lead < 0; k++) {
        uint32_t c = s->v.c[k];
        if (is_open(c)) depth++;
        else if (is_close(c) && depth) depth--;
        else if (c == TB_PH_BREAK) depth = 0;
        else if (is_figure(c)) seen_figure = 1;
        else if (c == TB_PH_PLACE && issuer_level(&s->es->v[s->v.item[k]])) {
            if (first_any < 0) first_any = (long)k;
            if (depth == 0 && !seen_figure) lead = (long)k;
            if (seen_figure && first_any >= 0) break;   /* nothing can lead after the first figure */
        }
    }
    long pick = lead >= 0 ? lead : first_any;
    if (pick < 0) return;
    const tb_entity *e = &s->es->v[s->v.item[pick]];
    s->issuer = (tb_gz_div){e->code, e->parent, e->level, e->name};
    s->has_issuer = 1;
    s->issuer_lead = lead >= 0;
    if (lead >= 0) {
        region own = division_region(s, e->code);
        if (!own.set) own = (region){1, 0, 0, e->code, e->name};
        s->doc_region = own;
    }
    if (s->r->area_words.code && s->v.n) {
        int rc = tb_rx_match(&s->r->area_words, s->v.c, s->v.n, 0, s->md_aux, s->r->mctx);
        if (rc >= 0) {
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_aux);
            for (uint32_t g = 1; g <= s->r->area_words.n_groups; g++) {
                if (gstart(ov, g) == PCRE2_UNSET || s->r->area_words.groups[g].kind != TB_G_AREA) continue;
                region a = area_region(s, group_value(s, &s->r->area_words.groups[g], gstart(ov, g), gend(ov, g)));
                if (a.set) s->doc_region = a;
                break;
            }
        }
    }
}

/* ---- dates -------------------------------------------------------------------- */

static void two(char *p, int v) {
    if (v < 0) p[0] = p[1] = 'X';
    else {
        p[0] = (char)('0' + v / 10 % 10);
        p[1] = (char)('0' + v % 10);
    }
}

/* The as-of value of a date: its day for 24时, its own precision otherwise. */
static void asof_text(const tb_date *d, char *out) {
    if (d->granularity == TB_GRAN_WEEK || d->granularity == TB_GRAN_HALF_YEAR || d->granularity == TB_GRAN_SEASON ||
        d->granularity == TB_GRAN_QUARTER) {
        memcpy(out, d->value, TB_DATE_VALUE_MAX);
        return;
    }
    char b[TB_DATE_VALUE_MAX] = "XXXX-XX-XXTXX:XX";
    if (d->y >= 0 && d->y <= 9999) {
        two(b, d->y / 100);
        two(b + 2, d->y % 100);
    }
    b[4] = '-';
    size_t n = 4;
    if (d->granularity >= TB_GRAN_MONTH) {
        two(b + 5, d->m);
        n = 7;
    }
    if (d->granularity >= TB_GRAN_DAY) {
        b[7] = '-';
        two(b + 8, d->d);
        n = 10;
    }
    if (d->granularity >= TB_GRAN_HOUR && !d->end_of_day && d->h >= 0) {
        b[10] = 'T';
        two(b + 11, d->h);
        b[13] = ':';
        two(b + 14, d->mi < 0 ? 0 : d->mi);
        n = 16;
    }
    b[n] = 0;
    memcpy(out, b, n + 1);
}

/* The as-of date of a figure whose phrasing starts at view index ms, in the
 * sentence starting at s0. */
static void figure_date(scan *s, size_t s0, size_t ms, char *out) {
    size_t i = count_before(s->v.dates, s->v.n_dates, ms);
    for (int step = 0; i > 0 && s->v.dates[i - 1] >= s0 && step < NOTASOF_STEPS; step++, i--) {
        size_t k = s->v.dates[i - 1];
        int skip = 0;
        if (s->r->notasof.code && k + 1 < s->v.n) {
            int rc = tb_rx_match(&s->r->notasof, s->v.c, s->v.n, k + 1, s->md_aux, s->r->mctx);
            skip = rc >= 0;
        }
        if (skip) continue;
        size_t di = (size_t)s->v.item[k];
        const tb_date *d = &s->ds->v[di];
        /* a range's start stands for the range: its end is the as-of date */
        if (d->range_role == TB_RANGE_START && di + 1 < s->ds->n && s->ds->v[di + 1].range_role == TB_RANGE_END)
            d = &s->ds->v[di + 1];
        asof_text(d, out);
        return;
    }
    if (s->para_date[0]) memcpy(out, s->para_date, TB_DATE_VALUE_MAX);
    else memcpy(out, s->doc_day, TB_DATE_VALUE_MAX);
}

/* ---- rows ------------------------------------------------------------------------- */

static tb_metric *push_row(scan *s) {
    if (TB_VEC_RESERVE(s->out->v, s->out->cap, s->out->n + 1) != TB_OK) return NULL;
    tb_metric *m = &s->out->v[s->out->n++];
    memset(m, 0, sizeof *m);
    m->consistent = -1;
    m->object = -1;
    m->fig = -1;
    return m;
}

static void set_region(tb_metric *m, const region *g) {
    if (!g->set) return;
    m->region_start = g->start;
    m->region_end = g->end;
    m->code = g->code;
    m->region_name = g->end > g->start ? NULL : g->name;
}

static region row_region(const tb_metric *m) {
    region g = {0};
    g.set = m->region_end > m->region_start || m->region_name != NULL || m->code != 0;
    g.start = m->region_start;
    g.end = m->region_end;
    g.code = m->code;
    g.name = m->region_name;
    return g;
}

static int is_inside(uint32_t code, uint32_t outer) {
    if (code == 0 || outer == 0 || code == outer) return 0;
    if (outer % 10000 == 0) return code / 10000 == outer / 10000;
    if (outer % 100 == 0) return code / 100 == outer / 100;
    return 0;
}

/* Parts of a total: sums for the consistency checks. */
typedef struct {
    double sum;
    int n, approx;
} tally;

static int check(double total, int total_approx, const tally *t, int partial) {
    if (t->n == 0 || t->approx || total_approx) return -1;
    double d = t->sum - total;
    if (fabs(d) < 1e-9 * (fabs(total) + 1)) return 1;
    if (partial && d < 0) return -1;
    return 0;
}

static int combine(int a, int b) {
    if (a == 0 || b == 0) return 0;
    if (a == 1 || b == 1) return 1;
    return -1;
}

static tb_status parse_parts(scan *s, size_t total, size_t k, size_t s1, int depth, size_t *after);

/* The parts of a breakdown in view [a, b), items split at top-level
 * separators; `list` (其中… without brackets) stops at the first item that
 * is not a part. Rows go after the total row `total`. */
/* One total whose parts a breakdown lists, with the sums of its parts. */
#define MAX_PARENTS 8
typedef struct {
    size_t row;
    tally places, origins;
    int has_local, has_imported;
    long sub;               /* the last top-level place part: a part inside its division is its sub-part */
} parent_sums;

/* The total a part belongs to: the total `total`, or for a part that names
 * its own metric the last total of that metric in the sentence. */
static int parent_of(scan *s, parent_sums *ps, int *np, size_t total, int metric) {
    size_t row = total;
    if (metric >= 0 && metric != s->out->v[total].metric) {
        long found = -1;
        for (long k = (long)total; k >= (long)s->sent_first && found < 0; k--)
            if (!s->out->v[k].part && s->out->v[k].metric == metric) found = k;
        if (found < 0) return -1;
        row = (size_t)found;
    }
    for (int k = 0; k < *np; k++)
        if (ps[k].row == row) return k;
    if (*np >= MAX_PARENTS) return -1;
    memset(&ps[*np], 0, sizeof ps[*np]);
    ps[*np].row = row;
    ps[*np].sub = -1;
    return (*np)++;
}

/* The parts of a breakdown in view [a, b), items split at top-level
 * separators; `list` (其中… without brackets) stops at the first item that
 * is not a part. Rows go after the total row `total`. */
static tb_status read_items(scan *s, size_t total, size_t a, size_t b, int partial, int list, int depth,
                            size_t *stop) {
    const tb_metric_rules *r = s->r;
    size_t first_part = s->out->n;
    parent_sums ps[MAX_PARENTS];
    int np = 0;
    long prev_part = -1;   /* the part before: its place serves a part that names none */
    size_t i = a;
    *stop = b;
    while (i < b) {
        size_t j = i;
        while (j < b && !is_part_sep(s->v.c[j])) {
            if (is_open(s->v.c[j]) && s->v.close_of[j] > 0 && (size_t)s->v.close_of[j] < b) j = (size_t)s->v.close_of[j];
            j++;
        }
        int matched = 0;
        if (j > i && r->items.code) {
            int rc = tb_rx_match(&r->items, s->v.c, j, i, s->md_item, r->mctx);
            hit h;
            if (rc >= 0) {
                read_hit(s, &r->items, s->md_item, &h);
                /* the rest of the item holds no other figure, but for a bracket of sub-parts */
                size_t rest = h.me;
                int sub_bracket = rest < j && is_open(s->v.c[rest]) && s->v.close_of[rest] > 0;
                long last_fig = fig_before(s, j);
                int pi = h.q >= 0 ? parent_of(s, ps, &np, total, h.metric) : -1;
                int metric = pi >= 0 ? s->out->v[ps[pi].row].metric : -1;
                if (pi >= 0 && !s->used[s->v.item[h.q]] && (last_fig == h.q || sub_bracket) &&
                    unit_ok(s, metric, &s->qs->v[s->v.item[h.q]])) {
                    const tb_quantity *q = &s->qs->v[s->v.item[h.q]];
                    tb_metric *m = push_row(s);
                    if (m == NULL) return oom(s->err);
                    const tb_metric *t = &s->out->v[ps[pi].row];
                    parent_sums *p = &ps[pi];
                    s->used[s->v.item[h.q]] = 1;
                    m->metric = t->metric;
                    m->scope = t->scope;
                    m->origin = h.origin ? (uint8_t)h.origin : t->origin;
                    m->value = q->value;
                    m->approx = q->approx;
                    m->rule = (uint16_t)(h.rule >= 0 ? h.rule : 0);
                    m->part = 1;
                    m->fig = (int32_t)h.q;
                    memcpy(m->date, t->date, TB_DATE_VALUE_MAX);
                    m->start = s->v.pos[h.ms];
                    m->end = unit_end(s, (size_t)h.q);
                    region g = {0};
                    if (h.p >= 0) g = place_region(s, h.p);
                    else if (h.r_start >= 0)
                        g = (region){1, s->v.pos[h.r_start], unit_end(s, (size_t)h.r_end - 1), 0, NULL};
                    if (g.set) {
                        set_region(m, &g);
                        int inside = p->sub >= 0 && is_inside(g.code, s->out->v[p->sub].code);
                        if (!inside) {
                            p->sub = (long)(s->out->n - 1);
                            p->places.sum += q->value;
                            p->places.n++;
                            p->places.approx |= q->approx != 0;
                        }
                    } else if (h.origin) {
                        region tg = row_region(t);
                        set_region(m, &tg);
                        p->origins.sum += q->value;
                        p->origins.n++;
                        p->origins.approx |= q->approx != 0;
                        p->has_local |= r->origins[h.origin - 1][0] == 'l';
                        p->has_imported |= r->origins[h.origin - 1][0] == 'i';
                    } else {
                        /* a part naming only its metric: the place of the part before */
                        region tg = prev_part >= 0 ? row_region(&s->out->v[prev_part]) : row_region(t);
                        set_region(m, &tg);
                    }
                    prev_part = (long)(s->out->n - 1);
                    matched = 1;
                    if (sub_bracket && depth < PART_DEPTH) {
                        size_t after;
                        tb_status st = parse_parts(s, s->out->n - 1, rest, j, depth + 1, &after);
                        if (st != TB_OK) return st;
                    }
                }
            }
        }
        if (list && !matched && j > i) {
            *stop = i;
            break;
        }
        i = j < b ? j + 1 : j;
    }
    if (s->out->n == first_part) return TB_OK;
    for (int k = 0; k < np; k++) {
        tb_metric *t = &s->out->v[ps[k].row];
        int c = check(t->value, t->approx, &ps[k].places, partial);
        c = combine(c, check(t->value, t->approx, &ps[k].origins, partial && !(ps[k].has_local && ps[k].has_imported)));
        t->consistent = (int8_t)combine(t->consistent, c);
    }
    for (size_t k = first_part; k < s->out->n; k++) {
        tb_metric *m = &s->out->v[k];
        if (m->consistent != -1) continue;
        for (int pi = 0; pi < np; pi++)
            if (s->out->v[ps[pi].row].metric == m->metric) m->consistent = s->out->v[ps[pi].row].consistent;
    }
    return TB_OK;
}

/* The length of the word that opens a list after a comma at view index k
 * (，其中 2, ，分别为 / ，分别是 3), or 0. */
static size_t list_opener(const scan *s, size_t k, size_t s1) {
    const uint32_t *c = s->v.c;
    if (c[k] != U'，' && c[k] != ',') return 0;
    if (k + 2 < s1 && c[k + 1] == U'其' && c[k + 2] == U'中') return 2;
    if (k + 3 < s1 && c[k + 1] == U'分' && c[k + 2] == U'别' && (c[k + 3] == U'为' || c[k + 3] == U'是')) return 3;
    return 0;
}

/* Where a list that reached the sentence end s1 may go on: past each ；
 * to the next stronger end (。, a paragraph break, the text's end). */
static size_t list_end(scan *s, size_t s1) {
    /* every sentence end of a chain of ； has the same answer: remembered,
     * so that many lists in one chain cost one walk (the pass stays linear) */
    if (s1 >= s->lend_from && s1 < s->lend_to) return s->lend_to;
    size_t k = s1;
    while (k < s->v.n && (s->v.c[k] == U'；' || s->v.c[k] == ';')) {
        k++;
        while (k < s->v.n && !is_sentence_end(s->v.c[k])) {
            if (is_open(s->v.c[k]) && s->v.close_of[k] > (int32_t)k) k = (size_t)s->v.close_of[k];
            k++;
        }
    }
    s->lend_from = s1;
    s->lend_to = k;
    return k;
}

/* A breakdown right after the figure of row `total` at view index k: a
 * bracket, or a list opened by ，其中 or a colon. *after is where the main
 * scan goes on. */
static tb_status parse_parts(scan *s, size_t total, size_t k, size_t s1, int depth, size_t *after) {
    *after = k;
    if (k >= s->v.n) return TB_OK;
    const uint32_t *c = s->v.c;
    if (is_open(c[k]) && s->v.close_of[k] > (int32_t)k) {
        size_t close = (size_t)s->v.close_of[k];
        int partial = (k + 2 < close && c[k + 1] == U'其' && c[k + 2] == U'中') || (k + 1 < close && c[k + 1] == U'含');
        size_t before = s->out->n, stop;
        tb_status st = read_items(s, total, k + 1, close, partial, 0, depth, &stop);
        if (st != TB_OK) return st;
        if (s->out->n > before) *after = close + 1;
        return TB_OK;
    }
    int colon = c[k] == U'：' || c[k] == ':';
    size_t word = list_opener(s, k, s1);   /* ，其中 / ，分别为: the units after the comma */
    if (colon || word) {
        size_t stop, from = k + 1;
        size_t end = s1;
        if (word) {
            from = k + 1 + word;
            /* ，其中，郑州市138例、… : the separator after the word opens the list, it ends no item */
            if (from < s1 && (c[from] == U'，' || c[from] == ',' || c[from] == U'：' || c[from] == ':')) from++;
            /* 分别为：郑州市确诊病例20例、…；洛阳市确诊病例14例、…: a list runs past ；
             * to the end of the sentence proper (its figures, once parts, are taken by no other row) */
            end = list_end(s, s1);
        }
        tb_status st = read_items(s, total, from, end, !colon, 1, depth, &stop);
        if (st != TB_OK) return st;
        if (stop > k + 1) *after = stop;
    }
    return TB_OK;
}

/* Only list links (、和及与) between the end of the row before and `at`? */
static int list_adjacent(const scan *s, size_t at) {
    if (s->sent_prev < 0 || at <= s->sent_prev_end) return 0;
    for (size_t k = s->sent_prev_end; k < at; k++)
        if (!is_list_link(s->v.c[k])) return 0;
    return 1;
}

/* Turn an accepted match into a row (or rows, for a "none" list) and read
 * the breakdown after it. Returns 0 when the match is not a metric. */
static int accept(scan *s, const hit *h, size_t s0, size_t s1, size_t *next, tb_status *st) {
    const tb_metric_rules *r = s->r;
    *st = TB_OK;
    int metric = h->metric;
    const tb_quantity *q = NULL;
    if (h->q >= 0) {
        q = &s->qs->v[s->v.item[h->q]];
        if (s->used[s->v.item[h->q]]) return 0;
    } else if (!h->zero) {
        return 0;
    }
    if (h->carry && metric < 0) {
        /* the metric of the figure before, with no other figure between;
         * past `passed` rows (已解除医学观察Y人) and parts of breakdowns */
        if (s->sent_prev < 0 || h->q < 0) return 0;
        long at = h->q;
        for (long k = (long)s->out->n - 1; k >= (long)s->sent_first && metric < 0; k--) {
            const tb_metric *pr = &s->out->v[k];
            if (pr->fig < 0 || fig_before(s, (size_t)at) != pr->fig) return 0;
            at = pr->fig;
            if (!pr->part && !r->metrics[pr->metric].passed) metric = pr->metric;
        }
        if (metric < 0) return 0;
    }
    if (h->again && metric < 0) {
        /* 新增死亡病例中，南阳市1例、信阳市1例: the row just before, when its
         * figure is the one right before this one (a change of state too) */
        if (h->q < 0 || s->out->n <= s->sent_first) return 0;
        const tb_metric *pr = &s->out->v[s->out->n - 1];
        if (pr->fig < 0 || fig_before(s, (size_t)h->q) != pr->fig) return 0;
        metric = pr->metric;
    }
    if (metric < 0) return 0;
    if (q && !unit_ok(s, metric, q)) return 0;
    if (!s->doc_ready) read_document(s);

    cues c;
    read_cues(s, s0, h->ms, &c);
    if (!h->scope && !c.scope && !h->origin && !c.origin) bracket_cues(s, s0, h->ms, &c);
    const tb_mr_metric *md = &r->metrics[metric];
    size_t phrase = c.first >= 0 ? (size_t)c.first : h->ms;
    int adjacent = list_adjacent(s, phrase);
    /* a list item naming the noun a verb row took is that verb's too:
     * 解除医学观察本土无症状感染者21例、境外输入无症状感染者1例 */
    if (adjacent && !h->carry && s->out->v[s->sent_prev].object == metric) {
        metric = s->out->v[s->sent_prev].metric;
        md = &r->metrics[metric];
        if (q && !unit_ok(s, metric, q)) return 0;
    }
    int scope = h->scope ? h->scope : c.scope;
    int firm = h->scope ? !h->scope_weak : c.scope ? !c.scope_weak : 0;
    if (!scope && s->sent_prev >= 0) scope = s->out->v[s->sent_prev].scope;
    /* a stock is current, unless new, or counted up with a firm word (累计集中隔离) */
    if (md->stock && scope != r->scope_new && !(firm && scope == r->scope_cumulative)) scope = r->scope_current;
    if (!scope) scope = md->default_scope;
    int origin = h->origin ? h->origin : c.origin;
    if (!origin && adjacent) origin = s->out->v[s->sent_prev].origin;

    region g = {0};
    long opening;
    if (h->p >= 0) g = place_region(s, h->p);
    else if (h->area) {
        g = area_region(s, h->area);
        if (!g.set) g = area_near(s, h->area, h->ms);
    } else if (c.place >= 0 || c.area) {
        if (c.place > c.area_at) g = place_region(s, c.place);
        else {
            g = area_region(s, c.area);
            if (!g.set) g = area_near(s, c.area, (size_t)c.area_at);
        }
    } else if (s->sent_prev >= 0) g = row_region(&s->out->v[s->sent_prev]);
    else if ((opening = opening_place(s, s0, h->ms)) >= 0) g = place_region(s, opening);
    else g = s->doc_region;

    char date[TB_DATE_VALUE_MAX];
    figure_date(s, s0, h->ms, date);
    size_t start = s->v.pos[phrase < h->ms ? phrase : h->ms];

    if (h->zero) {
        /* one row of value 0 per metric word of the list */
        size_t off = h->ms, first = s->out->n;
        while (off < h->me && r->metric_words.code) {
            int rc = tb_rx_match(&r->metric_words, s->v.c, h->me, off, s->md_aux, r->mctx);
            if (rc < 0) break;
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_aux);
            int mm = -1;
            for (uint32_t g2 = 1; g2 <= r->metric_words.n_groups && mm < 0; g2++)
                if (gstart(ov, g2) != PCRE2_UNSET && r->metric_words.groups[g2].kind == TB_G_METRIC)
                    mm = group_value(s, &r->metric_words.groups[g2], gstart(ov, g2), gend(ov, g2));
            off = ov[1] > off ? ov[1] : off + 1;
            if (mm < 0) continue;
            int dup = 0;
            for (size_t k = first; k < s->out->n; k++) dup |= s->out->v[k].metric == mm;
            if (dup) continue;
            tb_metric *m = push_row(s);
            if (m == NULL) {
                *st = oom(s->err);
                return 1;
            }
            m->metric = (uint8_t)mm;
            m->scope = (uint8_t)scope;
            if (r->metrics[mm].stock && m->scope != r->scope_new) m->scope = r->scope_current;
            m->origin = (uint8_t)origin;
            m->value = 0;
            m->rule = (uint16_t)h->rule;
            m->start = (uint32_t)start;
            m->end = unit_end(s, h->me - 1);
            set_region(m, &g);
            memcpy(m->date, date, TB_DATE_VALUE_MAX);
        }
        if (s->out->n == first) return 0;
        s->sent_prev = (long)s->out->n - 1;
        s->sent_prev_fig = -2;
        s->sent_prev_end = h->me;
        memcpy(s->para_date, date, TB_DATE_VALUE_MAX);
        *next = h->me;
        return 1;
    }

    tb_metric *m = push_row(s);
    if (m == NULL) {
        *st = oom(s->err);
        return 1;
    }
    s->used[s->v.item[h->q]] = 1;
    m->metric = (uint8_t)metric;
    m->scope = (uint8_t)scope;
    m->origin = (uint8_t)origin;
    m->value = q->value;
    m->approx = q->approx;
    m->rule = (uint16_t)h->rule;
    m->object = (int16_t)(h->object >= 0 && h->object != metric ? h->object : -1);
    m->fig = (int32_t)h->q;
    m->start = (uint32_t)start;
    m->end = unit_end(s, h->me - 1);
    set_region(m, &g);
    memcpy(m->date, date, TB_DATE_VALUE_MAX);
    size_t row = s->out->n - 1, after;
    /* the breakdown follows the figure (or the words the phrasing took after it) */
    *st = parse_parts(s, row, h->me, s1, 0, &after);
    if (*st != TB_OK) return 1;
    s->sent_prev = (long)row;
    s->sent_prev_fig = h->q;
    s->sent_prev_end = after > h->me ? after : h->me;
    memcpy(s->para_date, date, TB_DATE_VALUE_MAX);
    *next = s->sent_prev_end;
    return 1;
}

/* Does view [a, b) hold a figure, or a unit a phrasing without one can
 * start with (无新增…)? */
static int worth_reading(const scan *s, size_t a, size_t b) {
    size_t f = count_before(s->v.figs, s->v.n_figs, a);
    if (f < s->v.n_figs && s->v.figs[f] < b) return 1;
    if (s->r->nofig_start.any) return 1;
    for (size_t k = a; k < b; k++)
        if (tb_startset_has(&s->r->nofig_start, s->v.c[k])) return 1;
    return 0;
}

/* The phrasings of one sentence, left to right. At each position only the
 * rules that can start with its unit are tried, in table order, and those
 * with a figure only when one follows within TB_METRIC_RULE_SPAN; the
 * first match that is a metric wins and the scan goes on after it. */
static tb_status read_sentence(scan *s, size_t s0, size_t s1) {
    const tb_metric_rules *r = s->r;
    s->sent_prev = -1;
    s->sent_prev_fig = -1;
    s->sent_prev_end = 0;
    s->sent_first = s->out->n;
    if (!worth_reading(s, s0, s1)) return TB_OK;
    size_t fi = count_before(s->v.figs, s->v.n_figs, s0);   /* the next figure: s->v.figs[fi] */
    const uint16_t *mask = r->start_mask;
    size_t k = s0;
    while (k < s1) {
        uint32_t c = s->v.c[k];
        uint32_t may;   /* the rules that may start here */
        if (mask) may = c < 0x10000 ? mask[c] : 0;
        else may = tb_startset_has(&r->rule_start, c) ? UINT32_MAX : 0;
        if (!may) {
            k++;
            continue;
        }
        while (fi < s->v.n_figs && s->v.figs[fi] < k) fi++;
        int near_fig = fi < s->v.n_figs && s->v.figs[fi] < s1 && s->v.figs[fi] - k <= TB_METRIC_RULE_SPAN;
        size_t next = 0;
        for (size_t j = 0; j < r->n_rules && !next; j++) {
            const tb_rule *ru = &r->rule[j];
            if (mask ? !((may >> j) & 1) : !tb_startset_has(&ru->start, c)) continue;
            if (ru->has_figure && !near_fig) continue;
            int rc = tb_rx_match(&ru->pat, s->v.c, s1, k, s->md, r->mctx);
#ifdef TB_COUNT_ATTEMPTS
            tb_count_attempt[j]++;
            if (rc >= 0) tb_count_hit[j]++;
#endif
            if (rc < 0) continue;   /* no match here (or a match limit: nothing either) */
            hit h;
            read_hit(s, &ru->pat, s->md, &h);
            h.rule = (int)j;
            if (h.pass) {   /* no metric (8例无症状感染者转为确诊病例): no rule reads into it */
                next = h.me > k ? h.me : k + 1;
                break;
            }
            tb_status st;
            size_t after = h.me;
            if (accept(s, &h, s0, s1, &after, &st)) next = after > k ? after : k + 1;
            if (st != TB_OK) return st;
        }
        k = next ? next : k + 1;
    }
    return TB_OK;
}

tb_status tb_metrics_scan(const tb_metric_rules *r, const tb_gazetteer *gz, const tb_text *t,
                          const tb_quantities *qs, const tb_dates *ds, const tb_entities *es,
                          const tb_dateref *doc_date, tb_metrics *out, tb_error *err) {
    scan s;
    memset(&s, 0, sizeof s);
    s.r = r;
    s.gz = gz;
    s.t = t;
    s.qs = qs;
    s.ds = ds;
    s.es = es;
    s.doc_date = doc_date;
    s.out = out;
    s.err = err;
    out->n = 0;
    if (doc_date && doc_date->year > 0)
        snprintf(s.doc_day, sizeof s.doc_day, "%04d-%02d-%02d", doc_date->year, doc_date->month, doc_date->day);
    tb_status st = tb_mview_build(r, t, qs, ds, es, &s.v, err);
    if (st == TB_OK) {
        s.used = calloc(qs->n ? qs->n : 1, 1);
        s.md = pcre2_match_data_create(r->max_groups + 1, NULL);
        s.md_item = pcre2_match_data_create(r->items.code ? r->items.n_groups + 1 : 1, NULL);
        s.md_cue = pcre2_match_data_create(r->cue.code ? r->cue.n_groups + 1 : 1, NULL);
        uint32_t aux = r->metric_words.n_groups > r->area_words.n_groups ? r->metric_words.n_groups : r->area_words.n_groups;
        s.md_aux = pcre2_match_data_create(aux + 1, NULL);
        s.md_cls = pcre2_match_data_create(r->class_groups + 1, NULL);
        if (!s.used || !s.md || !s.md_item || !s.md_cue || !s.md_aux || !s.md_cls) st = oom(err);
    }
    /* sentence by sentence; a paragraph break also ends the carried date */
    size_t s0 = 0, inside = 0;
    for (size_t mi = 0; st == TB_OK && mi <= s.v.n_marks; mi++) {
        size_t k = mi < s.v.n_marks ? s.v.marks[mi] : s.v.n;
        if (k < s.v.n) {
            uint32_t c = s.v.c[k];
            /* a bracket is read whole: its ；(郑州市8例；开封市2例) ends no sentence */
            if (is_open(c)) {
                if (s.v.close_of[k] > (int32_t)inside) inside = (size_t)s.v.close_of[k];
                continue;
            }
            if (k < inside && c != TB_PH_BREAK) continue;
        }
        if (k > s0) st = read_sentence(&s, s0, k);
        if (k < s.v.n && s.v.c[k] == TB_PH_BREAK) {
            s.para_date[0] = 0;
            s.para_start = k + 1;
        }
        s0 = k + 1;
    }
    pcre2_match_data_free(s.md);
    pcre2_match_data_free(s.md_item);
    pcre2_match_data_free(s.md_cue);
    pcre2_match_data_free(s.md_aux);
    pcre2_match_data_free(s.md_cls);
    free(s.used);
    tb_mview_free(&s.v);
    return st;
}

void tb_metrics_free(tb_metrics *m) {
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}
