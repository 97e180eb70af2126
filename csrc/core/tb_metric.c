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
} hit;

/* What the cue words before a phrasing say. */
typedef struct {
    int scope, origin, area;
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
    int32_t *close_of;    /* per view unit: the matching close bracket of an open one, else -1 */
    int32_t *prev_date;   /* per view unit k: the last date placeholder before k, else -1 */
    int32_t *prev_fig;    /* per view unit k: the last figure placeholder before k, else -1 */
    uint8_t *used;        /* per quantity: already a row's figure */
    pcre2_match_data *md, *md_item, *md_cue, *md_aux;
    tb_metrics *out;
    tb_error *err;
    /* the document */
    int doc_ready;
    int has_issuer;
    tb_gz_div issuer;
    region doc_region;
    char doc_day[TB_DATE_VALUE_MAX];
    /* the sentence and paragraph being read */
    long sent_prev;        /* row index of the last total-level row in the sentence, -1 */
    long sent_prev_fig;    /* its figure's view index */
    size_t sent_prev_end;  /* view index after what it consumed */
    char para_date[TB_DATE_VALUE_MAX];
} scan;

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
static int is_date(uint32_t c) { return c == TB_PH_DATE || c == TB_PH_RELDAY; }

static tb_status oom(tb_error *err) { return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for metrics"); }

/* One pass: matching brackets (a stack), and the last date and figure
 * before each unit. */
static tb_status index_view(scan *s) {
    size_t n = s->v.n;
    size_t m = n ? n : 1;
    s->close_of = malloc(m * sizeof *s->close_of);
    s->prev_date = malloc((n + 1) * sizeof *s->prev_date);
    s->prev_fig = malloc((n + 1) * sizeof *s->prev_fig);
    int32_t *stack = malloc(m * sizeof *stack);
    if (!s->close_of || !s->prev_date || !s->prev_fig || !stack) {
        free(stack);
        return oom(s->err);
    }
    size_t depth = 0;
    int32_t last_date = -1, last_fig = -1;
    for (size_t k = 0; k < n; k++) {
        uint32_t c = s->v.c[k];
        s->close_of[k] = -1;
        s->prev_date[k] = last_date;
        s->prev_fig[k] = last_fig;
        if (is_open(c)) stack[depth++] = (int32_t)k;
        else if (is_close(c) && depth > 0) s->close_of[stack[--depth]] = (int32_t)k;
        else if (c == TB_PH_BREAK) depth = 0;   /* a bracket never spans paragraphs */
        if (is_date(c)) last_date = (int32_t)k;
        if (is_figure(c)) last_fig = (int32_t)k;
    }
    s->prev_date[n] = last_date;
    s->prev_fig[n] = last_fig;
    free(stack);
    return TB_OK;
}

/* ---- matches -------------------------------------------------------------- */

static size_t gstart(const PCRE2_SIZE *ov, uint32_t g) { return ov[2 * g]; }
static size_t gend(const PCRE2_SIZE *ov, uint32_t g) { return ov[2 * g + 1]; }

/* Read the groups of a match of `pat` (rules or items) into *h. */
static void read_hit(const scan *s, const tb_rpattern *pat, pcre2_match_data *md, hit *h) {
    const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    memset(h, 0, sizeof *h);
    h->ms = ov[0];
    h->me = ov[1];
    h->rule = -1;
    h->metric = -1;
    h->q = h->p = h->area_at = -1;
    for (uint32_t g = 1; g <= pat->n_groups; g++) {
        if (gstart(ov, g) == PCRE2_UNSET) continue;
        const tb_rgroup *gr = &pat->groups[g];
        size_t a = gstart(ov, g), b = gend(ov, g);
        switch (gr->kind) {
        case TB_G_RULE:
            if (h->rule < 0) h->rule = gr->value;
            break;
        case TB_G_METRIC:
            if (h->metric < 0) h->metric = gr->value;
            break;
        case TB_G_SCOPE:
            if (h->scope == 0) h->scope = gr->value;
            break;
        case TB_G_ORIGIN:
            if (h->origin == 0) h->origin = gr->value;
            break;
        case TB_G_AREA:
            h->area = gr->value;
            h->area_at = (long)a;
            break;
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

/* The cue words in the clause before view index `ms` (not before `floor`). */
static void read_cues(scan *s, size_t floor, size_t ms, cues *c) {
    memset(c, 0, sizeof *c);
    c->place = c->area_at = c->first = -1;
    if (s->r->cue.code == NULL) return;
    size_t ws = ms;
    while (ws > floor && ms - ws < TB_METRIC_CUE_SPAN && !is_clause_sep(s->v.c[ws - 1])) ws--;
    const tb_rpattern *pat = &s->r->cue;
    size_t off = ws;
    while (off < ms) {
        int rc = pcre2_match(pat->code, (PCRE2_SPTR)s->v.c, ms, off, 0, s->md_cue, s->r->mctx);
        if (rc < 0) break;
        const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_cue);
        int any = 0;
        for (uint32_t g = 1; g <= pat->n_groups; g++) {
            if (gstart(ov, g) == PCRE2_UNSET) continue;
            const tb_rgroup *gr = &pat->groups[g];
            switch (gr->kind) {
            case TB_G_SCOPE:   /* the first declared scope wins */
                if (c->scope == 0 || gr->value < c->scope) c->scope = gr->value;
                any = 1;
                break;
            case TB_G_ORIGIN:
                c->origin = gr->value;
                any = 1;
                break;
            case TB_G_AREA:
                c->area = gr->value;
                c->area_at = (long)gstart(ov, g);
                any = 1;
                break;
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
static region area_region(const scan *s, int level) {
    region none = {0};
    if (!s->has_issuer) return none;
    const tb_gz_div *is = &s->issuer;
    switch (level) {
    case TB_AREA_PROVINCE:
        return division_region(s, is->code / 10000 * 10000);
    case TB_AREA_CITY:
        if (is_level(is->level, "city")) return division_region(s, is->code);
        if (is_level(is->level, "county")) {
            /* 全市 in a county-level city's report is that city (汝州市) */
            if (ends_with_shi(is->name)) return division_region(s, is->code);
            if (is->parent % 100 == 0 && is->parent % 10000 != 0) return division_region(s, is->parent);
        }
        return none;
    case TB_AREA_COUNTY:
        if (is_level(is->level, "county")) return division_region(s, is->code);
        return none;
    default:
        return none;
    }
}

static int issuer_level(const tb_entity *e) {
    return e->label == TB_ENT_PLACE && e->code != 0 &&
           (is_level(e->level, "province") || is_level(e->level, "city") || is_level(e->level, "county"));
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
    if (lead >= 0) {
        region own = division_region(s, e->code);
        if (!own.set) own = (region){1, 0, 0, e->code, e->name};
        s->doc_region = own;
    }
    if (s->r->area_words.code && s->v.n) {
        int rc = pcre2_match(s->r->area_words.code, (PCRE2_SPTR)s->v.c, s->v.n, 0, 0, s->md_aux, s->r->mctx);
        if (rc >= 0) {
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_aux);
            for (uint32_t g = 1; g <= s->r->area_words.n_groups; g++) {
                if (gstart(ov, g) == PCRE2_UNSET || s->r->area_words.groups[g].kind != TB_G_AREA) continue;
                region a = area_region(s, s->r->area_words.groups[g].value);
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
    long k = s->prev_date[ms];
    for (int step = 0; k >= (long)s0 && step < NOTASOF_STEPS; step++) {
        int skip = 0;
        if (s->r->notasof.code && (size_t)k + 1 < s->v.n) {
            int rc = pcre2_match(s->r->notasof.code, (PCRE2_SPTR)s->v.c, s->v.n, (size_t)k + 1, PCRE2_ANCHORED,
                                 s->md_aux, s->r->mctx);
            skip = rc >= 0;
        }
        if (!skip) {
            size_t di = (size_t)s->v.item[k];
            const tb_date *d = &s->ds->v[di];
            /* a range's start stands for the range: its end is the as-of date */
            if (d->range_role == TB_RANGE_START && di + 1 < s->ds->n && s->ds->v[di + 1].range_role == TB_RANGE_END)
                d = &s->ds->v[di + 1];
            asof_text(d, out);
            return;
        }
        k = s->prev_date[k];
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
static tb_status read_items(scan *s, size_t total, size_t a, size_t b, int partial, int list, int depth,
                            size_t *stop) {
    const tb_metric_rules *r = s->r;
    size_t first_part = s->out->n;
    tally places = {0}, origins = {0};
    int has_local = 0, has_imported = 0, sub = -1;
    size_t i = a;
    *stop = b;
    while (i < b) {
        size_t j = i;
        while (j < b && !is_part_sep(s->v.c[j])) {
            if (is_open(s->v.c[j]) && s->close_of[j] > 0 && (size_t)s->close_of[j] < b) j = (size_t)s->close_of[j];
            j++;
        }
        int matched = 0;
        if (j > i && r->items.code) {
            int rc = pcre2_match(r->items.code, (PCRE2_SPTR)s->v.c, j, i, PCRE2_ANCHORED, s->md_item, r->mctx);
            hit h;
            if (rc >= 0) {
                read_hit(s, &r->items, s->md_item, &h);
                tb_metric *t = &s->out->v[total];
                /* the rest of the item holds no other figure, but for a bracket of sub-parts */
                size_t rest = h.me;
                int sub_bracket = rest < j && is_open(s->v.c[rest]) && s->close_of[rest] > 0;
                long last_fig = s->prev_fig[j];
                if (h.q >= 0 && !s->used[s->v.item[h.q]] && (last_fig == h.q || sub_bracket) &&
                    unit_ok(s, t->metric, &s->qs->v[s->v.item[h.q]])) {
                    const tb_quantity *q = &s->qs->v[s->v.item[h.q]];
                    tb_metric *m = push_row(s);
                    if (m == NULL) return oom(s->err);
                    t = &s->out->v[total];
                    s->used[s->v.item[h.q]] = 1;
                    m->metric = t->metric;
                    m->scope = t->scope;
                    m->origin = h.origin ? (uint8_t)h.origin : t->origin;
                    m->value = q->value;
                    m->approx = q->approx;
                    m->rule = (uint16_t)(h.rule >= 0 ? h.rule : 0);
                    m->part = 1;
                    memcpy(m->date, t->date, TB_DATE_VALUE_MAX);
                    m->start = s->v.pos[h.ms];
                    m->end = s->v.end[h.q];
                    if (h.p >= 0) {
                        region g = place_region(s, h.p);
                        set_region(m, &g);
                        int inside = sub >= 0 && is_inside(g.code, s->out->v[sub].code);
                        if (!inside) {
                            sub = (int)(s->out->n - 1);
                            places.sum += q->value;
                            places.n++;
                            places.approx |= q->approx != 0;
                        }
                    } else {
                        region g = row_region(t);
                        set_region(m, &g);
                        if (h.origin) {
                            origins.sum += q->value;
                            origins.n++;
                            origins.approx |= q->approx != 0;
                            has_local |= r->origins[h.origin - 1][0] == 'l';
                            has_imported |= r->origins[h.origin - 1][0] == 'i';
                        }
                    }
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
    tb_metric *t = &s->out->v[total];
    int c = check(t->value, t->approx, &places, partial);
    c = combine(c, check(t->value, t->approx, &origins, partial && !(has_local && has_imported)));
    t->consistent = (int8_t)combine(t->consistent, c);
    for (size_t k = first_part; k < s->out->n; k++)
        if (s->out->v[k].consistent == -1) s->out->v[k].consistent = t->consistent;
    return TB_OK;
}

/* A breakdown right after the figure of row `total` at view index k: a
 * bracket, or a list opened by ，其中 or a colon. *after is where the main
 * scan goes on. */
static tb_status parse_parts(scan *s, size_t total, size_t k, size_t s1, int depth, size_t *after) {
    *after = k;
    if (k >= s->v.n) return TB_OK;
    const uint32_t *c = s->v.c;
    if (is_open(c[k]) && s->close_of[k] > (int32_t)k) {
        size_t close = (size_t)s->close_of[k];
        int partial = (k + 2 < close && c[k + 1] == U'其' && c[k + 2] == U'中') || (k + 1 < close && c[k + 1] == U'含');
        size_t before = s->out->n, stop;
        tb_status st = read_items(s, total, k + 1, close, partial, 0, depth, &stop);
        if (st != TB_OK) return st;
        if (s->out->n > before) *after = close + 1;
        return TB_OK;
    }
    int colon = c[k] == U'：' || c[k] == ':';
    int qizhong = (c[k] == U'，' || c[k] == ',') && k + 2 < s1 && c[k + 1] == U'其' && c[k + 2] == U'中';
    if (colon || qizhong) {
        size_t stop;
        tb_status st = read_items(s, total, k + 1, s1, !colon, 1, depth, &stop);
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
        /* the metric of the figure before, with no other figure between */
        if (s->sent_prev < 0 || h->q < 0 || s->prev_fig[h->q] != s->sent_prev_fig) return 0;
        metric = s->out->v[s->sent_prev].metric;
    }
    if (metric < 0) return 0;
    if (q && !unit_ok(s, metric, q)) return 0;
    if (!s->doc_ready) read_document(s);

    cues c;
    read_cues(s, s0, h->ms, &c);
    const tb_mr_metric *md = &r->metrics[metric];
    int scope = h->scope ? h->scope : c.scope;
    if (!scope && s->sent_prev >= 0) scope = s->out->v[s->sent_prev].scope;
    if (md->stock && scope != r->scope_new) scope = r->scope_current;
    if (!scope) scope = md->default_scope;
    int origin = h->origin ? h->origin : c.origin;
    size_t phrase = c.first >= 0 ? (size_t)c.first : h->ms;
    if (!origin && list_adjacent(s, phrase)) origin = s->out->v[s->sent_prev].origin;

    region g = {0};
    if (h->p >= 0) g = place_region(s, h->p);
    else if (h->area) g = area_region(s, h->area);
    else if (c.place >= 0 || c.area) {
        if (c.place > c.area_at) g = place_region(s, c.place);
        else g = area_region(s, c.area);
    } else if (s->sent_prev >= 0) g = row_region(&s->out->v[s->sent_prev]);
    else g = s->doc_region;

    char date[TB_DATE_VALUE_MAX];
    figure_date(s, s0, h->ms, date);
    size_t start = s->v.pos[phrase < h->ms ? phrase : h->ms];

    if (h->zero) {
        /* one row of value 0 per metric word of the list */
        size_t off = h->ms, first = s->out->n;
        while (off < h->me && r->metric_words.code) {
            int rc = pcre2_match(r->metric_words.code, (PCRE2_SPTR)s->v.c, h->me, off, 0, s->md_aux, r->mctx);
            if (rc < 0) break;
            const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md_aux);
            int mm = -1;
            for (uint32_t g2 = 1; g2 <= r->metric_words.n_groups && mm < 0; g2++)
                if (gstart(ov, g2) != PCRE2_UNSET && r->metric_words.groups[g2].kind == TB_G_METRIC)
                    mm = r->metric_words.groups[g2].value;
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
            m->end = s->v.end[h->me - 1];
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
    m->start = (uint32_t)start;
    m->end = s->v.end[h->me - 1];
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

/* Does view [a, b) hold anything a phrasing could start from? */
static int worth_reading(const scan *s, size_t a, size_t b) {
    for (size_t k = a; k < b; k++) {
        uint32_t c = s->v.c[k];
        if (is_figure(c) || c == U'无' || c == U'未' || c == U'没') return 1;
    }
    return 0;
}

static tb_status read_sentence(scan *s, size_t s0, size_t s1) {
    s->sent_prev = -1;
    s->sent_prev_fig = -1;
    s->sent_prev_end = 0;
    if (!worth_reading(s, s0, s1)) return TB_OK;
    size_t pos = s0;
    while (pos < s1) {
        int rc = pcre2_match(s->r->rules.code, (PCRE2_SPTR)s->v.c, s1, pos, 0, s->md, s->r->mctx);
        if (rc == PCRE2_ERROR_NOMATCH) break;
        if (rc < 0) {   /* a match limit: this start position gives nothing */
            pos++;
            continue;
        }
        hit h;
        read_hit(s, &s->r->rules, s->md, &h);
        size_t next = h.me;
        tb_status st;
        if (!accept(s, &h, s0, s1, &next, &st)) next = h.ms + 1;
        if (st != TB_OK) return st;
        pos = next > pos ? next : pos + 1;
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
    if (st == TB_OK) st = index_view(&s);
    if (st == TB_OK) {
        s.used = calloc(qs->n ? qs->n : 1, 1);
        s.md = pcre2_match_data_create_from_pattern(r->rules.code, NULL);
        s.md_item = pcre2_match_data_create(r->items.code ? r->items.n_groups + 1 : 1, NULL);
        s.md_cue = pcre2_match_data_create(r->cue.code ? r->cue.n_groups + 1 : 1, NULL);
        uint32_t aux = r->metric_words.n_groups > r->area_words.n_groups ? r->metric_words.n_groups : r->area_words.n_groups;
        s.md_aux = pcre2_match_data_create(aux + 1, NULL);
        if (!s.used || !s.md || !s.md_item || !s.md_cue || !s.md_aux) st = oom(err);
    }
    /* sentence by sentence; a paragraph break also ends the carried date */
    size_t s0 = 0, inside = 0;
    for (size_t k = 0; st == TB_OK && k <= s.v.n; k++) {
        if (k < s.v.n) {
            uint32_t c = s.v.c[k];
            /* a bracket is read whole: its ；(郑州市8例；开封市2例) ends no sentence */
            if (is_open(c) && s.close_of[k] > (int32_t)inside) inside = (size_t)s.close_of[k];
            if (!is_sentence_end(c) || (k < inside && c != TB_PH_BREAK)) continue;
        }
        if (k > s0) st = read_sentence(&s, s0, k);
        if (k < s.v.n && s.v.c[k] == TB_PH_BREAK) s.para_date[0] = 0;
        s0 = k + 1;
    }
    pcre2_match_data_free(s.md);
    pcre2_match_data_free(s.md_item);
    pcre2_match_data_free(s.md_cue);
    pcre2_match_data_free(s.md_aux);
    free(s.used);
    free(s.close_of);
    free(s.prev_date);
    free(s.prev_fig);
    tb_mview_free(&s.v);
    return st;
}

void tb_metrics_free(tb_metrics *m) {
    free(m->v);
    m->v = NULL;
    m->n = m->cap = 0;
}
