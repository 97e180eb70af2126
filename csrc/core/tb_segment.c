#include "tb_segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tb_hmm.h"
#include "tb_style.h"
#include "tb_utf8.h"
#include "tb_vec.h"

/* A Han block longer than this is cut between two Han characters, and any
 * block is cut at HARD_CAP: scratch memory stays bounded on a 100 MB line.
 * Only pathological input (over a million word characters with no space or
 * punctuation) can see a token cut at such a seam. */
#define SOFT_CAP (1u << 16)
#define HARD_CAP (1u << 20)

/* Characters kept inside word blocks besides letters and digits: jieba's
 * + # & . _ % -, plus ' , : / which join numbers and codes (118,406, 17:35). */
static int is_connector(uint32_t f) {
    return f == '+' || f == '#' || f == '&' || f == '.' || f == '_' || f == '%' || f == '-' ||
           f == '\'' || f == ',' || f == ':' || f == '/';
}

static int is_alnum_class(uint8_t c) { return c == TB_C_DIGIT || c == TB_C_ALPHA; }

typedef struct {
    tb_segmenter *seg;
    tb_mode mode;
    int use_hmm;
    double logtotal;
    int has_user;             /* user dictionary non-empty: walk it too */
    /* Block scratch: one allocation per call (scratch_mem; NULL when a short
     * text's scratch is on the stack, see segment_any), sized for the
     * longest block the input can hold, so nothing grows inside the loops. */
    void *scratch_mem;
    uint32_t *f;              /* folded code points */
    uint32_t *code;           /* their lexicon codes (compute_route) */
    uint8_t *cls;             /* classes */
    uint8_t *brk;             /* brk[k]: a token may start/end at k */
    uint32_t *nextb;          /* next boundary after k */
    double *route;            /* best log probability from k to the block end */
    uint32_t *best;           /* end of the best first word from k */
    uint16_t *best_tag;       /* its tag (0x8000 bit: it is a lexicon word); with a user
                                 dictionary only, see best_tag_at */
    uint32_t *best_node;      /* its base lexicon node (TB_LEX_NONE if none) */
    uint32_t *hmm_ends;
    uint32_t *num_s, *num_e;  /* number spans of the block (styles) */
    tb_hmm_scratch hmm;
    tb_tokens style_scratch;  /* the style pass's rewrite buffer */
    size_t block_start;       /* code point offset of f[0] in the text */
    size_t block_len;
    int block_all_han;        /* every code point of the block is Han: no atoms to mark */
    tb_tokens *out;
    size_t style_from;        /* first token of the current block (for the style pass) */
} seg_ctx;

#define IS_WORD 0x8000u
#define IS_PROTECTED 0x4000u   /* user or domain word */

static void ctx_free(seg_ctx *c) {
    free(c->scratch_mem);
    free(c->style_scratch.v);
    tb_hmm_scratch_free(&c->hmm);
}

/* Carve the block scratch for blocks of up to n - 2 code points out of one
 * allocation (arrays of 8-byte elements first, so every array is aligned). */
#define SCRATCH_PER_CP (sizeof(double) + 8 * sizeof(uint32_t) + sizeof(uint16_t) + 2)

/* `stack` (aligned, `stack_len` bytes) serves when it is large enough. */
static tb_status ctx_alloc(seg_ctx *c, size_t n, void *stack, size_t stack_len) {
    const size_t per = SCRATCH_PER_CP;
    if (n > SIZE_MAX / per) return TB_ENOMEM;
    char *m = stack;
    if (n * per > stack_len) {
        if ((m = malloc(n * per)) == NULL) return TB_ENOMEM;
        c->scratch_mem = m;
    }
    c->route = (double *)m;
    m += n * sizeof *c->route;
    uint32_t **u32[] = {&c->f, &c->code, &c->nextb, &c->best, &c->best_node, &c->hmm_ends, &c->num_s, &c->num_e};
    for (size_t i = 0; i < sizeof u32 / sizeof *u32; i++) {
        *u32[i] = (uint32_t *)m;
        m += n * sizeof(uint32_t);
    }
    c->best_tag = (uint16_t *)m;
    m += n * sizeof *c->best_tag;
    c->cls = (uint8_t *)m;
    c->brk = (uint8_t *)m + n;
    return TB_OK;
}

static inline tb_status emit_node(seg_ctx *c, size_t start, size_t end, uint8_t kind, uint16_t tag,
                                  uint32_t node) {
    tb_tokens *o = c->out;
    if (o->n >= o->cap && TB_VEC_RESERVE(o->v, o->cap, o->n + 1) != TB_OK) return TB_ENOMEM;
    tb_token *t = &o->v[o->n++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->node = node;
    t->tag = tag;
    t->kind = kind;
    t->flags = 0;
    return TB_OK;
}

static inline tb_status emit(seg_ctx *c, size_t start, size_t end, uint8_t kind, uint16_t tag) {
    return emit_node(c, start, end, kind, tag, TB_LEX_NONE);
}

/* ---- lexicon view: user entries over base entries --------------------- */

int tb_segmenter_entry(const tb_segmenter *seg, uint32_t node, uint32_t unode, tb_entry *out) {
    const tb_lexicon *lex = seg->lex;
    unsigned base_tag = node != TB_LEX_NONE ? lex->nodes[node].tag : 0;
    if (unode != TB_UD_NONE && seg->ud->nodes[unode].freq != TB_UD_NO_ENTRY) {
        const tb_ud_node *u = &seg->ud->nodes[unode];
        out->freq = u->freq;
        out->tag = u->tag ? 0x100u + u->tag : base_tag;   /* no user tag: keep the base one */
        out->flags = TB_LEX_WORD | TB_LEX_DOMAIN;          /* user words are protected */
        if (u->freq <= 0) return 0;                         /* deleted with del_word */
        out->logf = u->logf;
        return 1;
    }
    if (node == TB_LEX_NONE || !(lex->nodes[node].flags & TB_LEX_WORD)) return -1;
    out->freq = lex->freqs[node];
    out->logf = lex->nodes[node].logf;
    out->tag = base_tag;
    out->flags = lex->nodes[node].flags;
    return 1;
}

/* The entry as the best path uses it: tag with the IS_PROTECTED bit. */
static inline int entry_logf(const seg_ctx *c, uint32_t node, uint32_t unode, double *logf,
                             uint16_t *tag) {
    tb_entry en;
    if (tb_segmenter_entry(c->seg, node, unode, &en) != 1) return 0;
    *logf = en.logf;
    *tag = (uint16_t)(en.tag | ((en.flags & TB_LEX_DOMAIN) ? IS_PROTECTED : 0));
    return 1;
}

/* Frequency of the word ending at the current walk state, or -1 if none. */
static inline int64_t entry_freq(const seg_ctx *c, uint32_t node, uint32_t unode, uint16_t *tag) {
    tb_entry en;
    if (tb_segmenter_entry(c->seg, node, unode, &en) != 1) return -1;
    *tag = (uint16_t)en.tag;
    return en.freq;
}

static int64_t word_freq_node(const seg_ctx *c, size_t k, size_t e, uint16_t *tag, uint32_t *node_out) {
    uint32_t node = tb_lexicon_find(c->seg->lex, c->f + k, e - k);
    uint32_t unode = c->has_user ? tb_udict_find(c->seg->ud, c->f + k, e - k) : TB_UD_NONE;
    if (node_out) *node_out = node;
    return entry_freq(c, node, unode, tag);
}

static int64_t word_freq(const seg_ctx *c, size_t k, size_t e, uint16_t *tag) {
    return word_freq_node(c, k, e, tag, NULL);
}

/* The tag of the best first word from k, with the IS_WORD and IS_PROTECTED
 * bits. Without user words it follows from the word's base node, so the
 * best-path loop does not store it. */
static inline uint16_t best_tag_at(const seg_ctx *c, size_t k) {
    if (c->has_user) return c->best_tag[k];
    uint32_t node = c->best_node[k];
    if (node == TB_LEX_NONE) return 0;
    const tb_lex_node *n = &c->seg->lex->nodes[node];
    return (uint16_t)(n->tag | IS_WORD | ((n->flags & TB_LEX_DOMAIN) ? IS_PROTECTED : 0));
}

/* ---- atoms ------------------------------------------------------------ */

/* Joiners that keep an alphanumeric run whole when alphanumerics are on both
 * sides: 2.2, COVID-19, AT&T, 17:35, 2021-08-12. */
static int is_inner_connector(uint32_t f) {
    return f == '.' || f == '-' || f == '_' || f == '&' || f == '\'' || f == ':' || f == '/';
}

/* Mark the positions inside a block where a token boundary is allowed. */
static void mark_boundaries(seg_ctx *c, size_t L) {
    const uint32_t *f = c->f;
    const uint8_t *cls = c->cls;
    uint8_t *brk = c->brk;
    memset(brk, 1, L + 1);
    if (c->block_all_han) {   /* Han only: every position is a boundary */
        for (size_t k = 0; k <= L; k++) c->nextb[k] = (uint32_t)(k < L ? k + 1 : L);
        return;
    }
    for (size_t k = 1; k < L; k++) {
        uint8_t ca = cls[k - 1], cb = cls[k];
        if (cb == TB_C_EXTEND) brk[k] = 0;                                  /* base + marks */
        else if (is_alnum_class(ca) && is_alnum_class(cb)) brk[k] = 0;      /* COVID19, 2022 */
        else if (ca == TB_C_DIGIT && f[k] == '%') brk[k] = 0;               /* 95.82% */
        else if (ca == TB_C_ALPHA && (f[k] == '+' || f[k] == '#')) brk[k] = 0;  /* C++, C# */
        else if (f[k - 1] == '+' && f[k] == '+' && !brk[k - 1]) brk[k] = 0;
        if (k + 1 >= L || !is_alnum_class(ca)) continue;
        int join = 0;
        if (f[k] == ',') {
            /* thousands separator: a digit, then exactly three digits */
            join = ca == TB_C_DIGIT && k + 3 < L && cls[k + 1] == TB_C_DIGIT &&
                   cls[k + 2] == TB_C_DIGIT && cls[k + 3] == TB_C_DIGIT &&
                   (k + 4 >= L || cls[k + 4] != TB_C_DIGIT);
        } else if (f[k] == '.') {
            join = cls[k + 1] == ca;                    /* 2.2 and U.S, not 3.A */
        } else if (f[k] == ':') {
            join = ca == TB_C_DIGIT && cls[k + 1] == TB_C_DIGIT;   /* 17:35 */
        } else if (is_inner_connector(f[k])) {
            join = is_alnum_class(cls[k + 1]);
        }
        if (join) brk[k] = brk[k + 1] = 0;
    }
    size_t nb = L;
    c->nextb[L] = (uint32_t)L;
    for (size_t k = L; k-- > 0;) {
        c->nextb[k] = (uint32_t)nb;
        if (brk[k]) nb = k;
    }
}

/* Kind of a token that is not a lexicon word. */
static uint8_t atom_kind(const seg_ctx *c, size_t k, size_t e) {
    int digits = 0, alpha = 0, han = 0;
    for (size_t i = k; i < e; i++) {
        switch (c->cls[i]) {
        case TB_C_DIGIT: digits = 1; break;
        case TB_C_ALPHA: alpha = 1; break;
        case TB_C_HAN: han = 1; break;
        default: break;
        }
    }
    if (han) return TB_K_UNKNOWN;
    if (alpha) return TB_K_ALNUM;
    if (digits) return TB_K_NUMBER;
    return TB_K_PUNCT;
}

static tb_status emit_piece(seg_ctx *c, size_t k, size_t e) {
    if (c->best[k] == e) {   /* the best path chose exactly this piece: reuse what it found */
        uint16_t bt = best_tag_at(c, k);
        if (!(bt & IS_WORD)) return emit(c, c->block_start + k, c->block_start + e, atom_kind(c, k, e), 0);
        tb_status st = emit_node(c, c->block_start + k, c->block_start + e, TB_K_WORD,
                                 (uint16_t)(bt & ~(IS_WORD | IS_PROTECTED)), c->best_node[k]);
        if (st == TB_OK && (bt & IS_PROTECTED)) c->out->v[c->out->n - 1].flags |= TB_TF_PROTECT;
        return st;
    }
    uint16_t tag = 0;
    uint32_t node;
    if (word_freq_node(c, k, e, &tag, &node) > 0)
        return emit_node(c, c->block_start + k, c->block_start + e, TB_K_WORD, tag, node);
    return emit(c, c->block_start + k, c->block_start + e, atom_kind(c, k, e), 0);
}

/* ---- best path ------------------------------------------------------- */

static void compute_route(seg_ctx *c, size_t a, size_t L) {
    const tb_lexicon *lex = c->seg->lex;
    const tb_udict *ud = c->seg->ud;
    const uint32_t *f = c->f;
    const uint8_t *brk = c->brk;
    double *route = c->route;
    route[L] = 0.0;
    uint32_t *code = c->code;   /* each character's lexicon code, looked up once */
    for (size_t k = a; k < L; k++) code[k] = tb_lex_code(lex, f[k]);
    if (!c->has_user) {
        /* The common case, base lexicon only: a tighter loop that keeps just
         * the best node; tag and protection are read from it afterwards. */
        const double logtotal = c->logtotal;
        const tb_lex_node *nodes = lex->nodes;
        for (size_t k = L; k-- > a;) {
            /* The walk is a chain of dependent loads into a lexicon far
             * bigger than the caches; start the next position's second load
             * now (its first, a root child, is in the hot front of the
             * array), so that its miss overlaps this walk. */
            if (k > a) __builtin_prefetch(&nodes[nodes[code[k - 1]].base + code[k]]);
            if (!brk[k]) continue;
            double best_p = -INFINITY;
            size_t best_e = 0;
            uint32_t best_node = TB_LEX_NONE;
            /* The root's child by code x is slot x (base 0); a walk stops at
             * a leaf (base 0) without a load, or when the check fails. */
            uint32_t node = code[k];
            if (nodes[node].check == TB_LEX_ROOT) {   /* slot 0, the root, has no parent */
                for (size_t e = k;;) {
                    const tb_lex_node *n = &nodes[node];
                    if ((n->flags & TB_LEX_WORD) && brk[e + 1]) {
                        double p = (double)n->logf + route[e + 1];
                        if (p > best_p || (p == best_p && e + 1 > best_e)) {   /* ties: the longer word */
                            best_p = p;
                            best_e = e + 1;
                            best_node = node;
                        }
                    }
                    if (++e >= L || n->base == 0) break;
                    uint32_t t = n->base + code[e];
                    if (nodes[t].check != node) break;
                    node = t;
                }
            }
            if (best_node == TB_LEX_NONE) {   /* no word starts here: the atom alone, frequency 1 */
                best_e = c->nextb[k] < L ? c->nextb[k] : L;
                route[k] = -logtotal + route[best_e];
            } else {
                route[k] = best_p - logtotal;
            }
            c->best_node[k] = best_node;
            c->best[k] = (uint32_t)best_e;
        }
        return;
    }
    for (size_t k = L; k-- > a;) {
        if (!brk[k]) continue;
        double best_p = -INFINITY;
        size_t best_e = c->nextb[k];
        uint16_t best_tag = 0;
        uint32_t best_node = TB_LEX_NONE;
        int found = 0;
        uint32_t node = TB_LEX_ROOT, unode = c->has_user ? 0 : TB_UD_NONE;
        for (size_t e = k; e < L; e++) {
            if (node != TB_LEX_NONE) node = tb_lex_child_code(lex, node, code[e]);
            if (unode != TB_UD_NONE) unode = tb_udict_child(ud, unode, f[e]);
            if (node == TB_LEX_NONE && unode == TB_UD_NONE) break;
            if (!brk[e + 1]) continue;
            uint16_t tag = 0;
            double logf;
            if (!entry_logf(c, node, unode, &logf, &tag)) continue;
            double p = logf - c->logtotal + route[e + 1];
            /* Ties go to the longer word, as in jieba (max over (p, end)). */
            if (p > best_p || (p == best_p && e + 1 > best_e)) {
                best_p = p;
                best_e = e + 1;
                best_tag = (uint16_t)(tag | IS_WORD);
                best_node = node;
            }
            found = 1;
        }
        if (!found) {   /* no word starts here: the atom alone, frequency 1 */
            best_e = c->nextb[k] < L ? c->nextb[k] : L;
            best_p = -c->logtotal + route[best_e];
            best_tag = 0;
            best_node = TB_LEX_NONE;
        }
        route[k] = best_p;
        c->best_node[k] = best_node;
        c->best[k] = (uint32_t)best_e;
        c->best_tag[k] = best_tag;
    }
}

/* Emit a buffered run of single-atom words [bs, be) holding `n_atoms` atoms. */
static tb_status flush_singles(seg_ctx *c, size_t bs, size_t be, size_t n_atoms) {
    if (n_atoms == 0) return TB_OK;
    uint16_t tag = 0;
    int hmm_run = c->use_hmm && n_atoms > 1 && word_freq(c, bs, be, &tag) <= 0;
    size_t k = bs;
    while (k < be) {
        size_t e = c->nextb[k];
        /* A run of single Han characters goes to the HMM. */
        if (hmm_run && e == k + 1 && c->cls[k] == TB_C_HAN) {
            size_t r = k;
            while (r < be && c->nextb[r] == r + 1 && c->cls[r] == TB_C_HAN) r++;
            if (r - k >= 2) {
                size_t nw = 0;
                tb_status st = tb_hmm_cut(&c->seg->lex->hmm, c->f + k, r - k, &c->hmm, c->hmm_ends, &nw);
                if (st != TB_OK) return st;
                size_t ws = k;
                for (size_t w = 0; w < nw; w++) {
                    size_t we = k + c->hmm_ends[w];
                    if (we - ws == 1) {
                        st = emit_piece(c, ws, we);
                    } else {
                        st = emit(c, c->block_start + ws, c->block_start + we, TB_K_UNKNOWN, 0);
                        if (st == TB_OK) c->out->v[c->out->n - 1].flags = TB_TF_HMM;
                    }
                    if (st != TB_OK) return st;
                    ws = we;
                }
                k = r;
                continue;
            }
        }
        tb_status st = emit_piece(c, k, e);
        if (st != TB_OK) return st;
        k = e;
    }
    return TB_OK;
}

/* Search mode: before a long word, the 2- and 3-character lexicon words inside it. */
static tb_status emit_subwords(seg_ctx *c, size_t k, size_t e) {
    for (size_t n = 2; n <= 3; n++) {
        if (e - k <= n) break;
        for (size_t i = k; i + n <= e; i++) {
            uint16_t tag = 0;
            if (!c->brk[i] || !c->brk[i + n]) continue;
            if (word_freq(c, i, i + n, &tag) > 0) {
                tb_status st = emit(c, c->block_start + i, c->block_start + i + n, TB_K_WORD, tag);
                if (st != TB_OK) return st;
            }
        }
    }
    return TB_OK;
}

/* Best path and unknown words over block positions [a, b). */
static tb_status cut_range(seg_ctx *c, size_t a, size_t b) {
    compute_route(c, a, b);
    size_t bs = a, n_atoms = 0, k = a;
    tb_status st;
    while (k < b) {
        size_t e = c->best[k];
        if (e == c->nextb[k]) {   /* a single atom: buffer it for the unknown-word model */
            if (n_atoms == 0) bs = k;
            n_atoms++;
        } else {
            if (n_atoms) {
                st = flush_singles(c, bs, k, n_atoms);
                if (st != TB_OK) return st;
                n_atoms = 0;
            }
            uint16_t bt = best_tag_at(c, k);
            st = emit_node(c, c->block_start + k, c->block_start + e, TB_K_WORD,
                           (uint16_t)(bt & ~(IS_WORD | IS_PROTECTED)), c->best_node[k]);
            if (st != TB_OK) return st;
            if (bt & IS_PROTECTED) c->out->v[c->out->n - 1].flags |= TB_TF_PROTECT;
        }
        k = e;
    }
    return flush_singles(c, bs, b, n_atoms);
}

/* A user word wins over the number convention: drop number spans that a
 * user word overlaps without containing them whole (八一 in 八一双鹿). */
static size_t drop_spans_under_user_words(seg_ctx *c, size_t L, size_t n_num) {
    const tb_udict *ud = c->seg->ud;
    for (size_t k = 0; k < L; k++) {
        if (!c->brk[k]) continue;
        uint32_t u = 0;
        for (size_t e = k; e < L; e++) {
            u = tb_udict_child(ud, u, c->f[e]);
            if (u == TB_UD_NONE) break;
            if (ud->nodes[u].freq <= 0 || !c->brk[e + 1]) continue;
            for (size_t i = 0; i < n_num; i++)   /* [k, e] overlaps span i but is not inside it */
                if (k < c->num_e[i] && e + 1 > c->num_s[i] && !(k >= c->num_s[i] && e + 1 <= c->num_e[i]))
                    c->num_e[i] = c->num_s[i];   /* mark empty */
        }
    }
    size_t w = 0;
    for (size_t i = 0; i < n_num; i++)
        if (c->num_e[i] > c->num_s[i]) {
            c->num_s[w] = c->num_s[i];
            c->num_e[w++] = c->num_e[i];
        }
    return w;
}

/* Number spans must respect atoms: a span ending between a base character
 * and its combining marks (3分 + U+0E4B) would leave the best path to start
 * off a boundary, where its route is undefined. Such spans are dropped; their
 * text goes through the best path like any other. */
static size_t drop_spans_inside_atoms(seg_ctx *c, size_t n_num) {
    size_t w = 0;
    for (size_t i = 0; i < n_num; i++)
        if (c->brk[c->num_s[i]] && c->brk[c->num_e[i]]) {
            c->num_s[w] = c->num_s[i];
            c->num_e[w++] = c->num_e[i];
        }
    return w;
}

static tb_status cut_accurate(seg_ctx *c, size_t L) {
    tb_status st = TB_OK;
    size_t first = c->out->n;
    tb_style_ctx sc = {c->seg, c->f, c->cls, c->nextb, c->block_start, L, c->logtotal, &c->style_scratch};
    if (c->seg->style == TB_STYLE_JIEBA) {
        st = cut_range(c, 0, L);
    } else {
        /* Number tokens first (their bounds are fixed), the best path between them. */
        size_t n_num = tb_style_number_spans(&sc, c->num_s, c->num_e), pos = 0;
        if (n_num) n_num = drop_spans_inside_atoms(c, n_num);
        if (c->has_user && n_num) n_num = drop_spans_under_user_words(c, L, n_num);
        for (size_t i = 0; i <= n_num && st == TB_OK; i++) {
            size_t s = i < n_num ? c->num_s[i] : L;
            if (s > pos) st = cut_range(c, pos, s);
            if (st == TB_OK && i < n_num) {
                st = emit(c, c->block_start + s, c->block_start + c->num_e[i], TB_K_NUMBER, 0);
                pos = c->num_e[i];
            }
        }
        if (st == TB_OK) st = tb_style_apply(&sc, c->out, first);
    }
    if (st != TB_OK) return st;
    if (c->mode == TB_MODE_SEARCH) {
        /* Re-emit with sub-words: move this block's tokens aside first. */
        size_t n_block = c->out->n - first;
        tb_token *tmp = malloc(n_block * sizeof *tmp + 1);
        if (tmp == NULL) return TB_ENOMEM;
        memcpy(tmp, c->out->v + first, n_block * sizeof *tmp);
        c->out->n = first;
        for (size_t i = 0; i < n_block && st == TB_OK; i++) {
            size_t ks = tmp[i].start - c->block_start, ke = tmp[i].end - c->block_start;
            st = emit_subwords(c, ks, ke);
            if (st == TB_OK) {
                st = emit_node(c, tmp[i].start, tmp[i].end, tmp[i].kind, tmp[i].tag, tmp[i].node);
                if (st == TB_OK) c->out->v[c->out->n - 1].flags = tmp[i].flags;
            }
        }
        free(tmp);
    }
    return st;
}

/* jieba's full mode: every lexicon word starting at each position. */
static tb_status cut_all(seg_ctx *c, size_t L) {
    const tb_lexicon *lex = c->seg->lex;
    size_t old_e = 0;
    for (size_t k = 0; k < L; k++) {
        if (!c->brk[k]) continue;
        size_t atom_e = c->nextb[k], n_found = 0, only_e = atom_e;
        uint16_t only_tag = 0;
        uint32_t node = TB_LEX_ROOT, unode = c->has_user ? 0 : TB_UD_NONE;
        /* first pass: count words (jieba treats one candidate specially) */
        for (size_t e = k; e < L; e++) {
            if (node != TB_LEX_NONE) node = tb_lex_child(lex, node, c->f[e]);
            if (unode != TB_UD_NONE) unode = tb_udict_child(c->seg->ud, unode, c->f[e]);
            if (node == TB_LEX_NONE && unode == TB_UD_NONE) break;
            uint16_t tag = 0;
            if (c->brk[e + 1] && entry_freq(c, node, unode, &tag) > 0) {
                if (n_found++ == 0) {
                    only_e = e + 1;
                    only_tag = tag;
                }
            }
        }
        tb_status st;
        if (n_found <= 1) {
            if (k >= old_e) {
                st = emit(c, c->block_start + k, c->block_start + only_e,
                          n_found ? TB_K_WORD : atom_kind(c, k, only_e), only_tag);
                if (st != TB_OK) return st;
                old_e = only_e;
            }
            continue;
        }
        node = TB_LEX_ROOT;
        unode = c->has_user ? 0 : TB_UD_NONE;
        for (size_t e = k; e < L; e++) {
            if (node != TB_LEX_NONE) node = tb_lex_child(lex, node, c->f[e]);
            if (unode != TB_UD_NONE) unode = tb_udict_child(c->seg->ud, unode, c->f[e]);
            if (node == TB_LEX_NONE && unode == TB_UD_NONE) break;
            uint16_t tag = 0;
            if (c->brk[e + 1] && e + 1 > atom_e && entry_freq(c, node, unode, &tag) > 0) {
                st = emit(c, c->block_start + k, c->block_start + e + 1, TB_K_WORD, tag);
                if (st != TB_OK) return st;
                old_e = e + 1;
            }
        }
    }
    return TB_OK;
}

static tb_status flush_block(seg_ctx *c) {
    size_t L = c->block_len;
    if (L == 0) return TB_OK;
    mark_boundaries(c, L);
    tb_status st = c->mode == TB_MODE_ALL ? cut_all(c, L) : cut_accurate(c, L);
    c->block_start += L;
    c->block_len = 0;
    c->block_all_han = 1;
    return st;
}

static inline int is_block_char(uint32_t f, uint8_t cls) {
    return (unsigned)(cls - TB_C_HAN) <= TB_C_ALPHA - TB_C_HAN || is_connector(f);   /* Han, digit, letter */
}

/* Input encodings of the main loop: UTF-8 (lone surrogates allowed), or
 * code point arrays of 1, 2 or 4 bytes per code point (Python's str kinds). */
enum { IN_UTF8 = 0, IN_U8 = 1, IN_U16 = 2, IN_U32 = 4 };

#if defined(__GNUC__)
#define TB_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define TB_ALWAYS_INLINE inline
#endif

/* The main loop: decode, fold, gather blocks and emit the tokens between
 * them. Always inlined with a constant `kind`, so each input encoding gets
 * its own loop without a per-character switch. */
static TB_ALWAYS_INLINE tb_status segment_loop(seg_ctx *c, const void *data, size_t len, int kind,
                                               tb_error *err) {
    tb_segmenter *seg = c->seg;
    tb_tokens *out = c->out;
    const uint8_t *s = data;
    tb_status st = TB_OK;
    size_t i = 0, pos = 0;
    uint32_t prev_cp = 0;
    _Atomic uint32_t *fold_table = tb_folder_table(seg->folder);
    /* A text of fewer units than the limit has fewer code points: no check per character. */
    const int check_size = len >= (size_t)UINT32_MAX - 1;
    while (i < len) {
        uint32_t cp;
        size_t k = 1;
        if (kind == IN_U8) {
            cp = s[i];
        } else if (kind == IN_U16) {
            cp = ((const uint16_t *)data)[i];
        } else if (kind == IN_U32) {
            cp = ((const uint32_t *)data)[i];
            if (cp > 0x10FFFF) {
                st = tb_fail(err, TB_EINVAL, TB_AT_CODEPOINT, i, "code point 0x%X out of range at %zu", cp, i);
                break;
            }
        } else {
            uint8_t b0 = s[i];
            if (b0 < 0x80) {
                cp = b0;
            } else if ((b0 & 0xF0) == 0xE0 && i + 2 < len &&
                       ((s[i + 1] | (s[i + 2] << 8)) & 0xC0C0) == 0x8080 && (b0 != 0xE0 || s[i + 1] >= 0xA0)) {
                /* the common case, a BMP character such as a Han ideograph (surrogates
                 * included: input comes from "surrogatepass" encoding) */
                cp = ((uint32_t)(b0 & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
                k = 3;
            } else {
                k = tb_utf8_next(s + i, len - i, 1, &cp);
                if (k == 0) {
                    st = tb_fail(err, TB_EUTF8, TB_AT_BYTE, i, "invalid UTF-8 byte 0x%02X at byte %zu", s[i], i);
                    break;
                }
            }
        }
        if (check_size && pos >= UINT32_MAX - 1) {
            st = tb_fail(err, TB_ETOOBIG, TB_AT_CODEPOINT, pos, "text longer than %u code points",
                         UINT32_MAX - 1);
            break;
        }
        uint8_t cls;
        uint32_t f = tb_fold_fast(seg->folder, fold_table, cp, &cls);
        size_t L = c->block_len;
        if (is_block_char(f, cls) || (cls == TB_C_EXTEND && L > 0)) {
            if (L >= SOFT_CAP && ((cls == TB_C_HAN && c->cls[L - 1] == TB_C_HAN) || L >= HARD_CAP)) {
                if ((st = flush_block(c)) != TB_OK) break;
                L = 0;
            }
            c->f[L] = f;
            c->cls[L] = cls;
            c->block_len = L + 1;
            c->block_all_han &= cls == TB_C_HAN;
        } else {
            if (L && (st = flush_block(c)) != TB_OK) break;
            tb_token *last = out->n ? &out->v[out->n - 1] : NULL;
            int contiguous = last && last->end == pos;
            if (cls == TB_C_EXTEND && contiguous) {
                last->end++;                       /* a mark stays with its base */
            } else if (cp == '\n' && prev_cp == '\r' && contiguous && last->kind == TB_K_SPACE) {
                last->end++;                       /* \r\n is one token, as in jieba */
            } else if (seg->style != TB_STYLE_JIEBA && contiguous && last->kind == TB_K_PUNCT &&
                       cp == prev_cp && tb_style_joins_repeat(cp)) {
                last->end++;                       /* ——, …… are one token (PKU) */
            } else {
                st = emit(c, pos, pos + 1, cls == TB_C_SPACE ? TB_K_SPACE : TB_K_PUNCT, 0);
                if (st != TB_OK) break;
            }
            c->block_start = pos + 1;
        }
        prev_cp = cp;
        i += k;
        pos++;
    }
    if (st == TB_OK) st = flush_block(c);
    return st;
}

static tb_status segment_any(tb_segmenter *seg, const void *data, size_t len, int kind, tb_mode mode,
                             int opts, tb_tokens *out, tb_error *err) {
    seg_ctx c;
    memset(&c, 0, sizeof c);
    c.seg = seg;
    c.mode = mode;
    c.use_hmm = (opts & TB_OPT_HMM) != 0;
    c.out = out;
    c.block_all_han = 1;
    pthread_rwlock_rdlock(&seg->ud->lock);
    c.logtotal = log(seg->lex->total_freq + seg->ud->freq_added);
    c.has_user = seg->ud->n_entries > 0;

    /* Size the scratch once for the longest block this input can hold: no
     * reallocation in the loop (a block has at most one entry per unit). */
    size_t want = (len < HARD_CAP ? len : HARD_CAP) + 2;
    /* A line or a sentence (the common call) needs no heap scratch. */
    _Alignas(double) char stack[400 * SCRATCH_PER_CP];
    if (ctx_alloc(&c, want, stack, sizeof stack) != TB_OK || TB_VEC_RESERVE(out->v, out->cap, out->n + want / 2) != TB_OK) {
        pthread_rwlock_unlock(&seg->ud->lock);
        ctx_free(&c);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    tb_status st;
    switch (kind) {
    case IN_U8: st = segment_loop(&c, data, len, IN_U8, err); break;
    case IN_U16: st = segment_loop(&c, data, len, IN_U16, err); break;
    case IN_U32: st = segment_loop(&c, data, len, IN_U32, err); break;
    default: st = segment_loop(&c, data, len, IN_UTF8, err); break;
    }
    pthread_rwlock_unlock(&seg->ud->lock);
    ctx_free(&c);
    if (st == TB_ENOMEM) tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    else if (st != TB_OK && err && err->status != st) tb_fail(err, st, TB_AT_NONE, 0, "%s", tb_status_name(st));
    return st;
}

tb_status tb_segment(tb_segmenter *seg, const uint8_t *s, size_t len, tb_mode mode, int opts,
                     tb_tokens *out, tb_error *err) {
    return segment_any(seg, s, len, IN_UTF8, mode, opts, out, err);
}

tb_status tb_segment_cps(tb_segmenter *seg, const void *cps, size_t n, int width, tb_mode mode, int opts,
                         tb_tokens *out, tb_error *err) {
    if (width != 1 && width != 2 && width != 4)
        return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "code point width must be 1, 2 or 4, not %d", width);
    return segment_any(seg, cps, n, width, mode, opts, out, err);
}

/* ---- dictionary access ----------------------------------------------- */

tb_status tb_segmenter_init(tb_segmenter *seg, const tb_lexicon *lex, tb_folder *folder,
                            tb_style style, tb_error *err) {
    memset(seg, 0, sizeof *seg);
    seg->lex = lex;
    seg->folder = folder;
    seg->style = style;
    if (style != TB_STYLE_JIEBA) {   /* calloc: only the pages of words met become resident */
        seg->style_memo = calloc(lex->n_nodes, sizeof *seg->style_memo);
        if (seg->style_memo == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    tb_status st = tb_udict_new(&seg->ud, err);
    if (st != TB_OK) {
        free((void *)seg->style_memo);
        seg->style_memo = NULL;
    }
    return st;
}

void tb_segmenter_destroy(tb_segmenter *seg) {
    tb_udict_free(seg->ud);
    seg->ud = NULL;
    free((void *)seg->style_memo);
    seg->style_memo = NULL;
}

/* Decode and fold a word; *out must be freed. */
static tb_status fold_word(tb_segmenter *seg, const uint8_t *s, size_t len, uint32_t **out, size_t *n,
                           tb_error *err) {
    uint32_t *cps = malloc((len + 1) * sizeof *cps);
    if (cps == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    tb_status st = tb_utf8_decode(s, len, 1, cps, n, err);
    if (st != TB_OK) {
        free(cps);
        return st;
    }
    for (size_t i = 0; i < *n; i++) cps[i] = tb_folder_one(seg->folder, cps[i], NULL);
    *out = cps;
    return TB_OK;
}

int tb_segmenter_word_freq(tb_segmenter *seg, const uint8_t *s, size_t len, int64_t *freq) {
    uint32_t *cps;
    size_t n;
    if (len == 0 || fold_word(seg, s, len, &cps, &n, NULL) != TB_OK) return 0;
    pthread_rwlock_rdlock(&seg->ud->lock);
    tb_entry en;
    int r = tb_segmenter_entry(seg, tb_lexicon_find(seg->lex, cps, n), tb_udict_find(seg->ud, cps, n), &en);
    pthread_rwlock_unlock(&seg->ud->lock);
    free(cps);
    if (r < 0) return 0;
    *freq = en.freq;   /* 0 for a deleted word, as jieba's FREQ */
    return 1;
}

tb_status tb_segmenter_set_word(tb_segmenter *seg, const uint8_t *s, size_t len, int64_t freq,
                                const char *tag, tb_error *err) {
    uint32_t *cps;
    size_t n;
    if (len == 0) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "empty word");
    tb_status st = fold_word(seg, s, len, &cps, &n, err);
    if (st != TB_OK) return st;
    pthread_rwlock_wrlock(&seg->ud->lock);
    st = tb_udict_set(seg->ud, cps, n, freq, tag, err);
    pthread_rwlock_unlock(&seg->ud->lock);
    free(cps);
    return st;
}

int tb_segmenter_lookup(const tb_segmenter *seg, const uint32_t *cps, size_t n, tb_entry *out) {
    uint32_t unode = seg->ud->n_entries ? tb_udict_find(seg->ud, cps, n) : TB_UD_NONE;
    return tb_segmenter_entry(seg, tb_lexicon_find(seg->lex, cps, n), unode, out) == 1;
}

double tb_segmenter_total(tb_segmenter *seg) {
    pthread_rwlock_rdlock(&seg->ud->lock);
    double t = seg->lex->total_freq + seg->ud->freq_added;
    pthread_rwlock_unlock(&seg->ud->lock);
    return t;
}

const char *tb_segmenter_tag(const tb_segmenter *seg, unsigned tag) {
    if (tag >= 0x100) return tb_udict_tag(seg->ud, tag - 0x100);
    return tb_lexicon_tag(seg->lex, tag);
}
