#include "tb_style.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "tb_style_sets.h"
#include "tb_vec.h"

/* ---- character sets (folded code points) ------------------------------- */

/* Membership in a sorted code point set from tb_style_sets.h. */
static int in_sorted(uint32_t c, const uint32_t *set, size_t n) {
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && set[lo] == c;
}

#define IN(c, NAME) in_sorted((c), SET_##NAME, N_##NAME)

/* The hot membership test of the number pre-pass and the style filter:
 * 〇零一二三四五六七八九十百千万亿两 by a perfect hash (multiplier found
 * offline so the 17 numerals land in distinct slots of 32). */
static inline int is_cn_numeral(uint32_t c) {
    static const uint32_t slot[32] = {
        0x516D, 0x4E24, 0x4E09, 0, 0x96F6, 0x516B, 0x4E07, 0, 0x4E8C, 0, 0, 0, 0, 0x4EBF, 0, 0,
        0x4E03, 0, 0, 0, 0x4E94, 0, 0x3007, 0x4E00, 0x4E5D, 0x5343, 0, 0x56DB, 0, 0, 0x5341, 0x767E};
    return slot[(uint32_t)(c * 0xECD1345Fu) >> 27] == c && c != 0;
}

/* Is cps[0..n) in a generated word list (length-prefixed words, 0-terminated)? */
static int in_list(const uint32_t *cps, size_t n, const uint32_t *list) {
    for (const uint32_t *w = list; *w; w += 1 + *w)   /* first code point before memcmp */
        if (*w == n && w[1] == cps[0] && memcmp(w + 1, cps, n * sizeof *cps) == 0) return 1;
    return 0;
}

int tb_style_joins_repeat(uint32_t cp) { return IN(cp, REPEAT_PUNCT); }

/* ---- numbers ------------------------------------------------------------ */

/* Value of a short Chinese numeral (十, 十二, 二十, 三十一, 五, 〇...); -1 if not one. */
static long cn_value(const uint32_t *c, size_t n) {
    /* 〇一二三四五六七八九 */
    static const uint32_t digits[10] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                        0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    long v = 0, cur = -1;
    for (size_t i = 0; i < n; i++) {
        long d = -1;
        if (c[i] == 0x96F6) d = 0;                       /* 零 */
        else if (c[i] == 0x4E24) d = 2;                  /* 两 */
        else
            for (long k = 0; k < 10; k++)
                if (digits[k] == c[i]) d = k;
        if (d >= 0) {
            if (cur >= 0) return -1;                     /* two digits in a row: not a value form */
            cur = d;
        } else if (c[i] == 0x5341) {                     /* 十 */
            v += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
        } else {
            return -1;
        }
    }
    return v + (cur > 0 ? cur : 0);
}

static long arabic_value(const uint32_t *c, size_t n) {
    long v = 0;
    if (n == 0 || n > 6) return -1;
    for (size_t i = 0; i < n; i++) {
        if (c[i] < '0' || c[i] > '9') return -1;
        v = v * 10 + (long)(c[i] - '0');
    }
    return v;
}

/* Does number c[0..n) take the date unit u (年月日号时分秒) as one word? */
static int date_word(const uint32_t *c, size_t n, int arabic, uint32_t u) {
    if (u == 0x5E74) {   /* 年: a four-digit year, or spelled digits (二〇〇一) */
        if (arabic) return n == 4 && arabic_value(c, n) >= 0;
        if (n < 2) return 0;
        for (size_t i = 0; i < n; i++)
            if (!IN(c[i], CN_DIGITS) || c[i] == 0x4E24) return 0;
        return 1;
    }
    long v = arabic ? arabic_value(c, n) : cn_value(c, n);
    switch (u) {
    case 0x6708: return v >= 1 && v <= 12;               /* 月 */
    case 0x65E5: case 0x53F7: return v >= 1 && v <= 31; /* 日 号 */
    case 0x65F6: return v >= 0 && v <= 24;               /* 时 */
    case 0x5206: case 0x79D2: return v >= 0 && v <= 60; /* 分 秒 */
    default: return 0;
    }
}

/* The unit may not attach when it begins another word (年代, 分之, 分钟, 时间...). */
static int unit_blocked(uint32_t u, uint32_t next) {
    if (u == 0x5E74) return next == 0x4EE3;                                   /* 年代 */
    if (u == 0x5206) return next == 0x4E4B || next == 0x949F;                 /* 分之 分钟 */
    if (u == 0x65F6) return IN(next, HOUR_BLOCKERS);
    return 0;
}

size_t tb_style_number_spans(const tb_style_ctx *c, uint32_t *starts, uint32_t *ends) {
    const uint32_t *f = c->f;
    size_t L = c->len, n = 0, i = 0;
    while (i < L) {
        size_t s = i, e;
        int arabic;
        if (c->cls[i] == TB_C_DIGIT) {
            /* an atom starting with a digit: a number (2.2, 118,406, 95.82%, 1/5),
             * then 万/亿 — unless it is a code with letters (3A, COVID-19's tail) */
            e = c->nextb[i];
            if (i > 0 && c->nextb[i - 1] != i) {   /* inside an atom that began earlier */
                i = e;
                continue;
            }
            int has_alpha = 0;
            for (size_t k = i; k < e; k++) has_alpha |= c->cls[k] == TB_C_ALPHA;
            if (has_alpha) {   /* a code such as 3A or 19ABC: not a number */
                i = e;
                continue;
            }
            while (e < L && (f[e] == 0x4E07 || f[e] == 0x4EBF)) e++;
            arabic = 1;
        } else if (is_cn_numeral(f[i])) {
            e = i;
            int zero = 0;
            while (e < L && is_cn_numeral(f[e])) zero |= f[e++] == 0x3007;
            size_t len = e - i;
            int ok = zero || (len >= 2 && !in_list(f + i, len, LIST_NOT_NUMBERS));
            if (!ok && len == 1 && e < L && IN(f[e], DAY_UNITS) && date_word(f + i, 1, 0, f[e])) ok = 1;
            if (!ok) {
                i = e;
                continue;
            }
            arabic = 0;
        } else {
            i++;
            continue;
        }
        /* the date unit after it */
        if (e < L && IN(f[e], DATE_UNITS) && date_word(f + s, e - s, arabic, f[e]) &&
            !(e + 1 < L && unit_blocked(f[e], f[e + 1])))
            e++;
        /* 第 before it */
        if (s > 0 && f[s - 1] == 0x7B2C && (n == 0 || ends[n - 1] < s)) s--;
        starts[n] = (uint32_t)s;
        ends[n] = (uint32_t)e;
        n++;
        i = e;
    }
    return n;
}

/* ---- post rules --------------------------------------------------------- */

typedef struct {
    const tb_style_ctx *c;
    tb_token *out;        /* rewritten tokens */
    size_t n, cap;
} rewrite;

static const uint32_t *tok_cps(const tb_style_ctx *c, const tb_token *t) { return c->f + (t->start - c->block_start); }
static size_t tok_len(const tb_token *t) { return t->end - t->start; }

static int is_word(const tb_style_ctx *c, const uint32_t *cps, size_t n, int64_t *freq, unsigned *tag) {
    tb_entry en;
    if (!tb_segmenter_lookup(c->seg, cps, n, &en)) return 0;
    if (freq) *freq = en.freq;
    if (tag) *tag = en.tag;
    return 1;
}

static const char *tag_str(const tb_style_ctx *c, unsigned tag) { return tb_segmenter_tag(c->seg, tag); }

static tb_status push(rewrite *r, const tb_token *t) {
    if (TB_VEC_RESERVE(r->out, r->cap, r->n + 1) != TB_OK) return TB_ENOMEM;
    r->out[r->n++] = *t;
    return TB_OK;
}

static tb_status process(rewrite *r, tb_token t, int rule);

/* Replace token t by parts ending at the given offsets (relative to t). */
static tb_status split_at(rewrite *r, const tb_token *t, const size_t *cuts, size_t n_cuts, int next_rule) {
    size_t s = t->start;
    for (size_t i = 0; i <= n_cuts; i++) {
        size_t e = i < n_cuts ? t->start + cuts[i] : t->end;
        tb_token p = *t;
        p.start = (uint32_t)s;
        p.end = (uint32_t)e;
        unsigned tag = 0;
        int w = is_word(r->c, r->c->f + (s - r->c->block_start), e - s, NULL, &tag);
        p.kind = w ? TB_K_WORD : TB_K_UNKNOWN;
        p.tag = (uint16_t)(w ? tag : 0);
        p.node = TB_LEX_NONE;
        p.flags = 0;
        tb_status st = process(r, p, next_rule);
        if (st != TB_OK) return st;
        s = e;
    }
    return TB_OK;
}

/* Rule 1: numeral + measure word (一次 → 一 次, 多名 → 多 名, 这一 → 这 一). */
static int rule_numsplit(const tb_style_ctx *c, const tb_token *t, size_t *cut) {
    size_t n = tok_len(t);
    const uint32_t *w = tok_cps(c, t);
    if (n < 2) return 0;
    size_t p = 0;
    int ordinal = 0;
    if (w[0] == 0x7B2C) {                                            /* 第 + numerals */
        p = 1;
        while (p < n && is_cn_numeral(w[p])) p++;
        if (p == 1) return 0;
        ordinal = 1;
    } else if (is_cn_numeral(w[0])) {
        while (p < n && is_cn_numeral(w[p])) p++;
    } else if (w[0] == 0x51E0) {                                     /* 几, 几十 */
        p = 1 + (n > 1 && IN(w[1], TENS));
    } else if (w[0] == 0x6570 && n > 1 && IN(w[1], TENS)) { /* 数十 */
        p = 2;
        while (p < n && IN(w[p], TENS)) p++;
    } else if (IN(w[0], MULTI_APPROX)) {
        p = 1;
    } else if (IN(w[0], DEMONSTRATIVES)) {
        for (size_t k = 1; k < n; k++)
            if (!IN(w[k], SMALL_NUMERALS)) return 0;
        if (in_list(w, n, LIST_NUM_LEXICALIZED)) return 0;
        *cut = 1;
        return 1;
    } else {
        return 0;
    }
    if (p >= n) return 0;
    size_t q = p;
    if (IN(w[q], BIG_UNITS) && q + 1 < n && IN(w[q + 1], MEASURE)) q++;   /* 多万 元 */
    if (!(IN(w[q], MEASURE) || (w[q] == 0x662F && !ordinal))) return 0;  /* measure, or 是 */
    size_t rest = n - (q + 1);
    if (rest > 0 && !(rest >= 2 && is_word(c, w + q + 1, rest, NULL, NULL))) return 0;
    if (in_list(w, n, LIST_NUM_LEXICALIZED)) return 0;
    *cut = p;
    return 1;
}

/* Best split of w[0..n) into dictionary words, not using the whole word:
 * max sum of log frequencies (single characters: frequency 1). Returns the
 * number of cuts written to cuts[] (n >= 2), 0 if none. */
static size_t best_split(const tb_style_ctx *c, const uint32_t *w, size_t n, size_t *cuts) {
    double route[64];
    size_t next[64];
    if (n >= 64) return 0;
    /* each word costs log(total), as in the main best path */
    double logtotal = c->logtotal;
    route[n] = 0;
    const tb_lexicon *lex = c->seg->lex;
    const tb_udict *ud = c->seg->ud;
    for (size_t k = n; k-- > 0;) {
        route[k] = -INFINITY;
        next[k] = k + 1;
        /* one walk of both tries from k, as in the main best path */
        uint32_t node = TB_LEX_ROOT, unode = ud->n_entries ? 0 : TB_UD_NONE;
        for (size_t e = k + 1; e <= n; e++) {
            if (node != TB_LEX_NONE) node = tb_lex_child(lex, node, w[e - 1]);
            if (unode != TB_UD_NONE) unode = tb_udict_child(ud, unode, w[e - 1]);
            tb_entry en;
            double lp = tb_segmenter_entry(c->seg, node, unode, &en) == 1 ? en.logf : -INFINITY;
            if (e == k + 1 && lp == -INFINITY) lp = 0.0;   /* unknown character: frequency 1 */
            if (!(k == 0 && e == n) && lp != -INFINITY) {
                double p = lp - logtotal + route[e];
                if (p > route[k] || (p == route[k] && e > next[k])) {
                    route[k] = p;
                    next[k] = e;
                }
            }
            if (node == TB_LEX_NONE && unode == TB_UD_NONE) break;
        }
    }
    size_t m = 0;
    for (size_t k = 0; k < n; k = next[k])
        if (next[k] < n) cuts[m++] = next[k];
    return m;
}

/* Without user words, a base word the long-compound rule could split carries
 * TB_LEX_RARE_LONG (the quick reject below, precomputed at build time). */
static int rare_long_possible(const tb_style_ctx *c, const tb_token *t) {
    if (c->seg->ud->n_entries != 0 || t->node == TB_LEX_NONE) return 1;
    return (c->seg->lex->nodes[t->node].flags & TB_LEX_RARE_LONG) != 0;
}

/* Rule 3: long compounds rarer than their parts (中国共产党 → 中国 共产党). */
static size_t rule_long(const tb_style_ctx *c, const tb_token *t, size_t *cuts) {
    size_t n = tok_len(t);
    if (t->kind != TB_K_WORD || (t->flags & (TB_TF_PROTECT | TB_TF_HMM)) || n < 4 || n >= 64) return 0;
    if (!rare_long_possible(c, t)) return 0;
    const uint32_t *w = tok_cps(c, t);
    int64_t fw;
    unsigned tag;
    if (c->seg->ud->n_entries == 0 && t->node != TB_LEX_NONE) {   /* the base entry, already found */
        fw = c->seg->lex->freqs[t->node];
        tag = c->seg->lex->nodes[t->node].tag;
    } else if (!is_word(c, w, n, &fw, &tag)) {
        return 0;
    }
    const char *ts = tag_str(c, tag);
    if (strcmp(ts, "i") == 0 || strcmp(ts, "l") == 0) return 0;   /* idioms, set phrases */
    /* Quick reject: the first part of any split is a proper prefix word, so
     * the rarest part is at most the most frequent such prefix. */
    const tb_lexicon *lex = c->seg->lex;
    if (c->seg->ud->n_entries == 0) {
        uint32_t node = TB_LEX_ROOT;
        int64_t max_prefix = 0;
        for (size_t e = 0; e + 1 < n && node != TB_LEX_NONE; e++) {
            node = tb_lex_child(lex, node, w[e]);
            if (node != TB_LEX_NONE && e >= 1 && lex->freqs[node] > max_prefix) max_prefix = lex->freqs[node];
        }
        if ((double)fw >= 0.3 * (double)max_prefix) return 0;
    }
    size_t m = best_split(c, w, n, cuts);
    if (m == 0) return 0;
    int64_t min_part = INT64_MAX;
    for (size_t i = 0, s = 0; i <= m; i++) {
        size_t e = i < m ? cuts[i] : n;
        int64_t fp;
        if (e - s < 2 || !is_word(c, w + s, e - s, &fp, NULL)) return 0;
        if (fp < min_part) min_part = fp;
        s = e;
    }
    return (double)fw < 0.3 * (double)min_part ? m : 0;
}

/* Rule 4 (PKU): surname + given name (江泽民 → 江 泽民). */
static size_t rule_name(const tb_style_ctx *c, const tb_token *t) {
    size_t n = tok_len(t);
    const uint32_t *w = tok_cps(c, t);
    if (t->flags & TB_TF_PROTECT) return 0;
    int nr = t->kind == TB_K_WORD && strcmp(tag_str(c, t->tag), "nr") == 0;
    int hmm = (t->flags & TB_TF_HMM) != 0;
    if (!nr && !hmm) return 0;
    if ((n == 3 || n == 4) && in_list(w, 2, LIST_SURNAMES2)) return 2;
    if (n != 3 || !IN(w[0], SURNAMES)) return 0;
    if (IN(w[1], TRANSLIT) || IN(w[2], TRANSLIT) || IN(w[2], NAME_BAD_LAST)) return 0;
    return 1;
}

static tb_status process(rewrite *r, tb_token t, int rule) {
    const tb_style_ctx *c = r->c;
    int splittable = t.kind == TB_K_WORD || (t.kind == TB_K_UNKNOWN && tok_len(&t) >= 2);
    if (!splittable || (t.flags & TB_TF_PROTECT)) return push(r, &t);
    size_t cuts[64];
    switch (rule) {
    case 0:
        if (rule_numsplit(c, &t, &cuts[0])) return split_at(r, &t, cuts, 1, 1);
        /* fallthrough */
    case 1: {   /* 们 after a noun */
        size_t n = tok_len(&t);
        const uint32_t *w = tok_cps(c, &t);
        if (n >= 2 && w[n - 1] == 0x4EEC && !in_list(w, n, LIST_MEN_KEEP)) {
            cuts[0] = n - 1;
            return split_at(r, &t, cuts, 1, 2);
        }
    }
        /* fallthrough */
    case 2: {
        size_t m = rule_long(c, &t, cuts);
        if (m) return split_at(r, &t, cuts, m, 3);
    }
        /* fallthrough */
    case 3:
        if (c->seg->style == TB_STYLE_PKU) {
            size_t k = rule_name(c, &t);
            if (k) {
                cuts[0] = k;
                return split_at(r, &t, cuts, 1, 4);
            }
        }
        /* fallthrough */
    default:
        return push(r, &t);
    }
}

/* Could the numeral rule apply: a Chinese numeral, 第 几 数, 余 多 or 每 这 那
 * first? (rule_numsplit's first-character cases, by a perfect hash: the 25
 * characters land in distinct slots of 64 with this multiplier.) */
static inline int is_numeral_lead(uint32_t c) {
    static const uint32_t slot[64] = {
        0, 0, 0, 0, 0x6BCF, 0, 0x4EBF, 0, 0x3007, 0, 0, 0, 0x51E0, 0, 0, 0x767E,
        0, 0x6570, 0, 0, 0, 0, 0, 0, 0, 0, 0x7B2C, 0, 0, 0x8FD9, 0x4E03, 0,
        0x4E24, 0, 0, 0x516D, 0x4E09, 0x96F6, 0x4E94, 0x5343, 0, 0, 0, 0, 0, 0, 0, 0x56DB,
        0, 0, 0, 0x4E8C, 0, 0, 0x516B, 0x4F59, 0x4E07, 0x4E5D, 0x5341, 0x4E00, 0x591A, 0, 0x90A3, 0};
    return slot[(uint32_t)(c * 0xD95BAFC9u) >> 26] == c && c != 0;
}

/* Could any rule change this token? A cheap test on its first and last
 * characters, so most tokens are never copied. */
static inline int may_change(const tb_style_ctx *c, const tb_token *t) {
    size_t n = tok_len(t);
    if (n < 2 || (t->flags & TB_TF_PROTECT) || !(t->kind == TB_K_WORD || t->kind == TB_K_UNKNOWN)) return 0;
    const uint32_t *w = tok_cps(c, t);
    if (n >= 4 && t->kind == TB_K_WORD && rare_long_possible(c, t)) return 1;   /* long compounds */
    if (w[n - 1] == 0x4EEC) return 1;                                     /* 们 */
    if (is_numeral_lead(w[0])) return 1;                                  /* numerals */
    return c->seg->style == TB_STYLE_PKU && n <= 4;                       /* names */
}

/* The rules applied to a token, through the segmenter's memo when the token
 * is a base-lexicon word and there are no user words: then the result is a
 * function of the word alone -- the word unchanged, or parts whose kind and
 * tag come from a lookup of their own text (split_at), node none, flags 0 --
 * so it is stored as the parts' offsets (up to three parts of a word under
 * 64 characters: bit 15 = known, two 6-bit cut offsets, 0 = none) and
 * replayed. Other results are recomputed each time. */
#define MEMO_KNOWN 0x8000u
static tb_status process_memo(rewrite *r, const tb_token *t) {
    const tb_style_ctx *c = r->c;
    _Atomic uint16_t *memo = c->seg->style_memo;
    size_t n = tok_len(t);
    if (memo == NULL || t->node == TB_LEX_NONE || t->node >= c->seg->lex->n_nodes || t->kind != TB_K_WORD ||
        c->seg->ud->n_entries != 0 || n >= 64)
        return process(r, *t, 0);
    uint16_t m = atomic_load_explicit(&memo[t->node], memory_order_relaxed);
    if (m & MEMO_KNOWN) {
        size_t cuts[3] = {m & 63u, (m >> 6) & 63u, n}, s = 0;
        if (cuts[0] == 0) return push(r, t);
        for (size_t i = 0; i < 3 && s < n; i++) {
            size_t e = cuts[i] ? cuts[i] : n;
            tb_token p = *t;
            p.start = (uint32_t)(t->start + s);
            p.end = (uint32_t)(t->start + e);
            unsigned tag = 0;
            int w = is_word(c, tok_cps(c, &p), e - s, NULL, &tag);
            p.kind = w ? TB_K_WORD : TB_K_UNKNOWN;
            p.tag = (uint16_t)(w ? tag : 0);
            p.node = TB_LEX_NONE;
            p.flags = 0;
            tb_status st = push(r, &p);
            if (st != TB_OK) return st;
            s = e;
        }
        return TB_OK;
    }
    size_t before = r->n;
    tb_status st = process(r, *t, 0);
    size_t parts = r->n - before;
    if (st == TB_OK && parts >= 1 && parts <= 3) {
        uint16_t v = MEMO_KNOWN;
        for (size_t i = 1; i < parts; i++) v |= (uint16_t)((r->out[before + i].start - t->start) << (6 * (i - 1)));
        atomic_store_explicit(&memo[t->node], v, memory_order_relaxed);
    }
    return st;
}

tb_status tb_style_apply(const tb_style_ctx *c, tb_tokens *out, size_t first) {
    if (c->seg->style == TB_STYLE_JIEBA) return TB_OK;
    /* Tokens stay in place until a rule really changes one (splits it into
     * parts); from that token on, the block's tokens are rewritten into r. */
    rewrite r = {c, c->scratch->v, 0, c->scratch->cap};
    tb_status st = TB_OK;
    size_t k = first, from = out->n;
    for (; k < out->n && st == TB_OK; k++) {
        if (!may_change(c, &out->v[k])) continue;
        r.n = 0;
        st = process_memo(&r, &out->v[k]);
        if (st == TB_OK && r.n != 1) {   /* split: rewrite from here */
            from = k++;
            break;
        }
    }
    for (; k < out->n && st == TB_OK; k++)
        st = may_change(c, &out->v[k]) ? process_memo(&r, &out->v[k]) : push(&r, &out->v[k]);
    if (st == TB_OK && from < out->n) {
        out->n = from;
        if (TB_VEC_RESERVE(out->v, out->cap, from + r.n) != TB_OK) st = TB_ENOMEM;
        else {
            memcpy(out->v + from, r.out, r.n * sizeof *r.out);
            out->n = from + r.n;
        }
    }
    c->scratch->v = r.out;   /* kept for the next block */
    c->scratch->cap = r.cap;
    return st;
}
