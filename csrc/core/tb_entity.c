#include "tb_entity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tb_vec.h"

/* A gazetteer lexeme found in the text by a greedy longest-match cover. */
typedef struct { uint32_t s, e; int32_t lx; uint32_t flags; } hit;
typedef struct { uint32_t s, e; int32_t lx; uint8_t town; } place_ref;

enum { FREE = 0, IN_ORG = 1, IN_PLACE = 2, IN_PERSON = 4 };

/* Where the rules after the gazetteer cover start, found in the same pass:
 * a photo credit (摄, an opening bracket), a town's last character (镇, 乡,
 * 街道, 社区), a possible list of names (a run of Han characters, or the end
 * of a title). The other positions never start one of those rules. */
enum { CUE_CREDIT = 1, CUE_TOWN = 2, CUE_LIST = 4 };

/* The hits the rules over hits (find_orgs, find_places, find_names) act
 * on; the others, mostly one-character family names, they all skip. */
#define RULE_FLAGS (TB_CUE_ORG_UNIT | TB_CUE_ORG | TB_LX_PLACE | TB_CUE_TITLE | TB_LX_PERSON | \
                    TB_CUE_BYLINE | TB_CUE_POST_TITLE)

/* A name found in this text: the span of its first mention (len 0: empty). */
typedef struct { uint32_t start, len; uint64_t hash; } name_slot;

typedef struct {
    const tb_gazetteer *g;
    const uint32_t *cp;
    const uint8_t *cls;
    size_t n;
    hit *hits;
    size_t nh, hcap;
    int32_t *hit_at, *hit_end;   /* hit starting / ending at a position, or -1 */
    uint32_t *any;               /* flags of every lexeme starting at a position (lazy) */
    uint8_t *mark;
    uint32_t *rule_hits;         /* indices of the hits with RULE_FLAGS, in text order */
    size_t nrh;
    uint32_t *cue_pos;           /* positions the later rules start from, in text order */
    uint8_t *cue_kind;           /* CUE_* bits of each */
    size_t ncue;
    name_slot *names;            /* names found so far: an open-addressing set of spans */
    size_t names_cap;            /* a power of two, or 0 before the first name */
    uint64_t name_lens;          /* bit len-1 for each name length present (64 and up: bit 63) */
    size_t nn, name_max;         /* how many, and the longest (user names may be long) */
    uint64_t name_first[64];     /* first characters of names (cp mod 4096): a quick "no" */
    place_ref *places;
    size_t np, pcap;
    tb_entities *out;
} ctx;

static int han(const ctx *c, size_t i) { return i < c->n && c->cls[i] == TB_C_HAN; }
static int space(const ctx *c, size_t i) { return i < c->n && c->cls[i] == TB_C_SPACE; }
#define ANY_UNKNOWN UINT32_MAX
/* Flags of the lexemes starting at i, looked up on first need. */
static uint32_t any_at(const ctx *c, size_t i) {
    if (i >= c->n) return 0;
    if (c->any[i] == ANY_UNKNOWN) {
        uint32_t a = 0;
        size_t e;
        if (c->cls[i] == TB_C_HAN) tb_gazetteer_longest(c->g, c->cp, c->n, i, &e, &a);
        c->any[i] = a;   /* a cache: the scan owns this buffer */
    }
    return c->any[i];
}
static uint32_t cp_at(const ctx *c, size_t i) { return i < c->n ? c->cp[i] : 0; }

static tb_status emit(ctx *c, uint32_t s, uint32_t e, tb_ent_label label, const tb_gz_div *d,
                      const char *level) {
    if (TB_VEC_RESERVE(c->out->v, c->out->cap, c->out->n + 1) != TB_OK) return TB_ENOMEM;
    tb_entity *x = &c->out->v[c->out->n++];
    *x = (tb_entity){s, e, (uint8_t)label, 0, 0, level, NULL};
    if (d) {
        x->code = d->code;
        x->parent = d->parent;
        x->level = d->level;
        x->name = d->code ? d->name : NULL;
    }
    return TB_OK;
}

/* ---- names ------------------------------------------------------------- */

/* Is cp[0..n) a word of the base lexicon; its tag and log frequency. */
static int lex_word(const tb_lexicon *lex, const uint32_t *cp, size_t n, const char **tag,
                    float *logf) {
    uint32_t node = TB_LEX_ROOT;
    for (size_t i = 0; i < n && node != TB_LEX_NONE; i++) node = tb_lex_child(lex, node, cp[i]);
    if (node == TB_LEX_NONE || !(lex->nodes[node].flags & TB_LEX_WORD)) return 0;
    unsigned t = lex->nodes[node].tag;
    *tag = t < lex->n_tags ? lex->tags[t] : "";
    *logf = lex->nodes[node].logf;
    return 1;
}

/* Can a family name start at p (the first test of surname_len)? */
static int opens_family_name(const ctx *c, size_t p) {
    return p < c->n && c->cp[p] < 0x10000 && ((c->g->surname_first[c->cp[p] >> 6] >> (c->cp[p] & 63)) & 1);
}

static int surname_len(const ctx *c, size_t p) {
    if (!opens_family_name(c, p)) return 0;
    const tb_gazetteer *g = c->g;
    uint32_t n1 = g->root_bmp[c->cp[p]];
    if (n1 == TB_UD_NONE) return 0;
    if (p + 1 < c->n) {   /* compound family names first: 欧阳, 司马 */
        uint32_t n2 = tb_udict_child(g->trie, n1, c->cp[p + 1]);
        if (n2 != TB_UD_NONE && g->trie->nodes[n2].freq >= 0 &&
            (g->lexemes[g->trie->nodes[n2].freq].flags & TB_CUE_SURNAME))
            return 2;
    }
    int64_t f = g->trie->nodes[n1].freq;
    return f >= 0 && (g->lexemes[f].flags & TB_CUE_SURNAME) ? 1 : 0;
}

static int maybe_name_at(const ctx *c, size_t p) {
    uint32_t k = c->cp[p] & 4095u;
    return (c->name_first[k >> 6] >> (k & 63)) & 1u;
}

static uint64_t len_bit(size_t len) { return 1ull << (len < 64 ? len - 1 : 63); }

static uint64_t span_hash(const uint32_t *cp, size_t len) {
    uint64_t h = len;
    for (size_t k = 0; k < len; k++) h = (h ^ cp[k]) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

/* The slot of name cp[p..p+len) (hash h), or the empty slot where it goes. */
static name_slot *name_slot_of(const ctx *c, size_t p, size_t len, uint64_t h) {
    size_t mask = c->names_cap - 1;
    for (size_t k = (size_t)h & mask;; k = (k + 1) & mask) {
        name_slot *x = &c->names[k];
        if (x->len == 0) return x;
        if (x->hash == h && x->len == len && memcmp(c->cp + x->start, c->cp + p, len * sizeof *c->cp) == 0)
            return x;
    }
}

static int known_name(const ctx *c, size_t p, size_t len) {
    if (c->nn == 0 || len == 0 || p + len > c->n || !(c->name_lens & len_bit(len)) || !maybe_name_at(c, p))
        return 0;
    return name_slot_of(c, p, len, span_hash(c->cp + p, len))->len != 0;
}

/* Can cp[p..p+len) be a person's name: Han, a family name first, no place
 * or organisation word at its start, not an ordinary word (高度, 全方位). */
static int name_ok(const ctx *c, size_t p, size_t len) {
    if (len < 2 || len > 4 || p + len > c->n) return 0;
    for (size_t i = p; i < p + len; i++)
        if (!han(c, i)) return 0;
    int sl = surname_len(c, p);
    if (sl == 0 || len - (size_t)sl < 1 || len - (size_t)sl > 2) return 0;
    if (known_name(c, p, len)) return 1;
    int32_t h = c->hit_at[p];
    if (h >= 0 && c->hits[h].e - c->hits[h].s >= 2 &&
        (c->hits[h].flags & (TB_LX_PLACE | TB_CUE_ORG | TB_CUE_ORG_UNIT | TB_CUE_TITLE)))
        return 0;
    const tb_lexicon *lex = c->g->lex;
    if (lex) {
        const char *tag;
        float lf;
        if (lex_word(lex, c->cp + p, len, &tag, &lf) && strncmp(tag, "nr", 2) != 0 &&
            lf > logf(20.0f))
            return 0;
        if (len == 3 && lex_word(lex, c->cp + p, 2, &tag, &lf) && strncmp(tag, "nr", 2) != 0 &&
            lf > logf(500.0f))
            return 0;
    }
    return 1;
}

/* The length of a name starting at p (0: none). Where the name ends is
 * decided by what follows: a boundary or a word such as 主持/指出. */
static size_t read_name(const ctx *c, size_t p) {
    int sl = surname_len(c, p);
    if (sl == 0 || !han(c, p + sl)) return 0;
    size_t a = p + (size_t)sl;
    size_t two = (size_t)sl + 1, three = (size_t)sl + 2;
    if (known_name(c, p, three)) return three;
    if (known_name(c, p, two)) return two;
    size_t len = 0;
    if (!han(c, a + 1) || (any_at(c, a + 1) & TB_CUE_FOLLOWER))
        len = two;
    else if (!han(c, a + 2) || (any_at(c, a + 2) & TB_CUE_FOLLOWER))
        len = three;
    return len && name_ok(c, p, len) ? len : 0;
}

static tb_status add_name(ctx *c, size_t p, size_t len) {
    if (len == 0 || known_name(c, p, len)) return TB_OK;
    if (2 * (c->nn + 1) > c->names_cap) {   /* keep the set at most half full */
        size_t ncap = c->names_cap ? 2 * c->names_cap : 64;
        name_slot *old = c->names, *fresh = calloc(ncap, sizeof *fresh);
        if (fresh == NULL) return TB_ENOMEM;
        size_t ocap = c->names_cap;
        c->names = fresh, c->names_cap = ncap;
        for (size_t k = 0; k < ocap; k++)
            if (old[k].len) *name_slot_of(c, old[k].start, old[k].len, old[k].hash) = old[k];
        free(old);
    }
    uint64_t h = span_hash(c->cp + p, len);
    *name_slot_of(c, p, len, h) = (name_slot){(uint32_t)p, (uint32_t)len, h};
    c->nn++;
    c->name_lens |= len_bit(len);
    if (len > c->name_max) c->name_max = len;
    uint32_t k = c->cp[p] & 4095u;
    c->name_first[k >> 6] |= 1ull << (k & 63);
    return TB_OK;
}

/* Names listed after position q, separated by 、 (or spaces in a byline). */
static tb_status names_after(ctx *c, size_t p, int byline) {
    for (int first = 1;; first = 0) {
        size_t sp = 0;
        /* 责任编辑：赵六, 记者: 王五 — a colon may stand after the title. */
        if (first && (cp_at(c, p) == 0xFF1A || cp_at(c, p) == ':')) p++;
        while (space(c, p) && sp < 3) p++, sp++;
        if (!first && !byline && sp) return TB_OK;
        size_t len = read_name(c, p);
        if (len == 0) return TB_OK;
        if (add_name(c, p, len) != TB_OK) return TB_ENOMEM;
        p += len;
        if (cp_at(c, p) == 0x3001 /* 、 */) p++;
        else if (!(byline && space(c, p))) return TB_OK;
    }
}

static tb_status find_names(ctx *c) {
    /* After titles and bylines; before post-titles (习近平总书记). */
    for (size_t r = 0; r < c->nrh; r++) {
        const hit *h = &c->hits[c->rule_hits[r]];
        if (h->flags & TB_LX_PERSON) {
            if (add_name(c, h->s, h->e - h->s) != TB_OK) return TB_ENOMEM;
        } else if (h->flags & (TB_CUE_TITLE | TB_CUE_BYLINE)) {
            if (names_after(c, h->e, (h->flags & TB_CUE_BYLINE) != 0) != TB_OK) return TB_ENOMEM;
        }
        if ((h->flags & TB_LX_PLACE) && h->e - h->s >= 2) {
            /* 郑州市长王五: the place's last character opens the title 市长. */
            size_t e2 = 0;
            int32_t lx = tb_gazetteer_longest(c->g, c->cp, c->n, h->e - 1, &e2, NULL);
            if (lx >= 0 && (c->g->lexemes[lx].flags & TB_CUE_TITLE) && e2 > h->e &&
                names_after(c, e2, 0) != TB_OK)
                return TB_ENOMEM;
        }
        if ((h->flags & TB_CUE_POST_TITLE) && h->s >= 2) {
            for (size_t len = 3; len >= 2; len--)
                if (h->s >= len && name_ok(c, h->s - len, len)) {
                    if (add_name(c, h->s - len, len) != TB_OK) return TB_ENOMEM;
                    break;
                }
        }
    }
    for (size_t ci = 0; ci < c->ncue; ci++) {
        if (!(c->cue_kind[ci] & CUE_CREDIT)) continue;
        size_t i = c->cue_pos[ci];
        /* Photo credits: 冯金灿 蔡雨/摄, (张三 摄). */
        if (c->cp[i] == 0x6444 /* 摄 */ && !han(c, i + 1) && i > 0 &&
            (c->cp[i - 1] == '/' || space(c, i - 1))) {
            size_t q = i - 1;
            while (q > 0 && (c->cp[q] == '/' || space(c, q))) q--;
            q++;
            for (int k = 0; k < 8; k++) {   /* a credit names a few people */
                size_t st = q;
                while (st > 0 && han(c, st - 1) && q - st < 4) st--;
                if (st == q || !name_ok(c, st, q - st) || (st > 0 && han(c, st - 1))) break;
                if (add_name(c, st, q - st) != TB_OK) return TB_ENOMEM;
                if (st == 0 || !space(c, st - 1)) break;
                q = st - 1;
                while (q > 0 && space(c, q - 1)) q--;
            }
        }
        /* Credits in brackets: (王正勋 侯林峰 常娟), at least two names. */
        if (c->cp[i] == '(') {
            size_t q = i + 1, k = 0, starts[8], lens[8];
            while (k < 8) {
                size_t st = q;
                while (han(c, q) && q - st < 4) q++;
                if (!name_ok(c, st, q - st)) break;
                starts[k] = st, lens[k++] = q - st;
                if (cp_at(c, q) == ')') {
                    if (k >= 2)
                        for (size_t j = 0; j < k; j++)
                            if (add_name(c, starts[j], lens[j]) != TB_OK) return TB_ENOMEM;
                    break;
                }
                if (!space(c, q)) break;
                while (space(c, q)) q++;
            }
        }
    }
    /* Lists of names: 孙守刚、陈舜、曲孝丽在… (three or more, the list
     * ending on a word that follows names), or a list with a known name. */
    for (size_t ci = 0; ci < c->ncue; ci++) {
        if (!(c->cue_kind[ci] & CUE_LIST)) continue;
        size_t p = c->cue_pos[ci], k = 0, starts[32], lens[32];
        if (!opens_family_name(c, p)) continue;   /* then neither rule below takes p */
        int known = 0, ok = 0;
        while (k < 32) {
            size_t q = p;
            while (han(c, q) && q - p < 4) q++;
            if (cp_at(c, q) == 0x3001 && name_ok(c, p, q - p)) {
                known |= known_name(c, p, q - p);
                starts[k] = p, lens[k++] = q - p;
                p = q + 1;
                continue;
            }
            size_t len = read_name(c, p);
            if (len) {
                known |= known_name(c, p, len);
                starts[k] = p, lens[k++] = len;
                ok = (k >= 3 && (any_at(c, p + len) & TB_CUE_FOLLOWER)) || (k >= 2 && known);
            }
            break;
        }
        if (ok)
            for (size_t j = 0; j < k; j++)
                if (add_name(c, starts[j], lens[j]) != TB_OK) return TB_ENOMEM;
    }
    return TB_OK;
}

static tb_status emit_names(ctx *c) {
    if (c->nn == 0) return TB_OK;
    /* Every mention of every name, the longest name at each position (王凯歌
     * before 王凯), skipping places and organisations. */
    for (size_t i = 0; i < c->n; i++) {
        if (!maybe_name_at(c, i)) continue;
        size_t len = c->n - i < c->name_max ? c->n - i : c->name_max;
        while (len > 0 && !known_name(c, i, len)) len--;
        if (len == 0) continue;
        int busy = 0;
        for (size_t j = i; j < i + len; j++) busy |= c->mark[j];
        if (busy) continue;
        memset(c->mark + i, IN_PERSON, len);
        if (emit(c, (uint32_t)i, (uint32_t)(i + len), TB_ENT_PERSON, NULL, NULL) != TB_OK) return TB_ENOMEM;
        i += len - 1;
    }
    return TB_OK;
}

/* ---- organisations ------------------------------------------------------ */

static int is_cp_in(uint32_t cp, const uint32_t *set, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (set[i] == cp) return 1;
    return 0;
}

/* 中心城区, 中心路: 中心 there is no organisation. */
static const uint32_t NOT_AFTER_CENTRE[] = {0x57CE /*城*/, 0x533A /*区*/, 0x8DEF /*路*/, 0x8857 /*街*/,
                                            0x5E7F /*广*/, 0x5730 /*地*/, 0x4F4D /*位*/, 0x73AF /*环*/,
                                            0x5DE5 /*工*/, 0x4EFB /*任*/};

static int abbr_only(const tb_gazetteer *g, int32_t lx);

/* Does the base lexicon make cp[i-1..i+1) a word (高等: 等 is no stop there)? */
static int in_word(const ctx *c, size_t i) {
    const char *tag;
    float lf;
    if (c->g->lex == NULL || i == 0 || !lex_word(c->g->lex, c->cp + i - 1, 2, &tag, &lf)) return 0;
    return strchr("vupcdy", tag[0]) == NULL;   /* 开通了 is a verb phrase: 了 stays a stop */
}

/* Does an organisation word end at e, or does its last character make a
 * word with the next one (局势, 办法, 队伍, 党组织)? */
static int unit_ends_here(const ctx *c, size_t e) {
    if (!han(c, e) || c->g->lex == NULL) return 1;
    const char *tag;
    float lf;
    return !lex_word(c->g->lex, c->cp + e - 1, 2, &tag, &lf);
}

/* Does a span without a place or known organisation open with a verb,
 * adverb or preposition (结合学校, 进入互联网医院)? Then it is a clause. */
static int opens_clause(const ctx *c, size_t s, size_t e) {
    const tb_lexicon *lex = c->g->lex;
    if (lex == NULL) return 0;
    const char *tag;
    float lf;
    for (size_t len = 2; s + len <= e && len <= 4; len++) {
        if (!lex_word(lex, c->cp + s, len, &tag, &lf)) continue;
        if (strcmp(tag, "vn") == 0) continue;   /* 生命之旅突击队: a noun use */
        if (strchr("vdpci", tag[0]) || strcmp(tag, "ad") == 0 || strcmp(tag, "l") == 0) return 1;
    }
    return 0;
}

static tb_status org_span(ctx *c, size_t u, size_t *start) {
    const hit *h = &c->hits[u];
    size_t pos = h->s, anchor = SIZE_MAX;
    while (pos > 0 && h->s - pos < 20) {
        int32_t j = c->hit_end[pos];
        if (j >= 0) {
            const hit *p = &c->hits[j];
            uint32_t f = p->flags;
            if ((f & TB_LX_PLACE) && abbr_only(c->g, p->lx)) f &= ~TB_LX_PLACE;   /* 援鄂医疗队 */
            int content = (f & (TB_LX_PLACE | TB_CUE_ORG | TB_CUE_ORG_UNIT)) != 0;
            if (!content && (f & (TB_CUE_ORG_STOP | TB_CUE_TITLE | TB_CUE_BYLINE)) &&
                !(p->e - p->s == 1 && in_word(c, p->s))) {
                /* 和庄中心卫生院: a one-character stop word that opens the
                 * clause is the name's first character. */
                if (p->e - p->s == 1 && c->cp[p->s] == 0x548C /*和*/ && (p->s == 0 || !han(c, p->s - 1)))
                    pos = p->s;
                break;
            }
            if (f & (TB_LX_PLACE | TB_CUE_ORG)) anchor = p->s;
            pos = p->s;
            continue;
        }
        if (c->cls[pos - 1] == TB_C_HAN || c->cls[pos - 1] == TB_C_DIGIT) {
            pos--;
            continue;
        }
        break;
    }
    size_t st = anchor != SIZE_MAX ? anchor : pos;
    size_t body = h->s - st, ulen = h->e - h->s;
    if (anchor == SIZE_MAX) {
        size_t first_han = st;
        while (first_han < h->s && c->cls[first_han] == TB_C_DIGIT) first_han++;
        if (first_han < h->s) st = first_han, body = h->s - st;
        /* In a list (、好想你健康食品有限公司) names follow names: no clause test. */
        int listed = st > 0 && c->cp[st - 1] == 0x3001;
        if (body > 12 || (!listed && opens_clause(c, st, h->s))) return TB_EINVAL;
    }
    if (!unit_ends_here(c, h->e)) return TB_EINVAL;
    if (!(body >= 2 || (body >= 1 && ulen >= 3) || ulen >= 5)) return TB_EINVAL;
    *start = st;
    return TB_OK;
}

static tb_status find_orgs(ctx *c) {
    size_t floor = c->n + 1;
    for (size_t r = c->nrh; r-- > 0;) {
        size_t k = c->rule_hits[r];
        const hit *h = &c->hits[k];
        if (h->e > floor) continue;
        size_t st = SIZE_MAX, en = h->e;
        if ((h->flags & TB_CUE_ORG_UNIT) && !(h->flags & TB_CUE_NOT_ORG)) {
            if (h->e - h->s == 2 && c->cp[h->s] == 0x4E2D && c->cp[h->s + 1] == 0x5FC3 /*中心*/ &&
                is_cp_in(cp_at(c, h->e), NOT_AFTER_CENTRE,
                         sizeof NOT_AFTER_CENTRE / sizeof *NOT_AFTER_CENTRE))
                continue;
            if (org_span(c, k, &st) != TB_OK) st = SIZE_MAX;
        }
        if (st == SIZE_MAX && (h->flags & TB_CUE_ORG)) st = h->s;
        if (st == SIZE_MAX && (h->flags & TB_LX_PLACE) && h->e - h->s >= 2) {
            /* 河南省委, 许昌市委: the place's last character opens 省委/市委. */
            size_t e2 = 0;
            int32_t lx = tb_gazetteer_longest(c->g, c->cp, c->n, h->e - 1, &e2, NULL);
            if (lx >= 0 && (c->g->lexemes[lx].flags & TB_CUE_ORG) && e2 > h->e) st = h->s, en = e2;
            /* 洛阳市委书记: the title opens with 市委, so 洛阳市委 is named. */
            else if (lx >= 0 && (c->g->lexemes[lx].flags & TB_CUE_TITLE) && e2 > h->e + 1)
                for (size_t len = e2 - (h->e - 1) - 1; len >= 2; len--) {
                    int32_t o = tb_gazetteer_find(c->g, c->cp + h->e - 1, len);
                    if (o >= 0 && (c->g->lexemes[o].flags & TB_CUE_ORG)) {
                        st = h->s, en = h->e - 1 + len;
                        break;
                    }
                }
        }
        if (st == SIZE_MAX && (h->flags & TB_CUE_TITLE)) {
            /* 市委书记, 省委常委: the title opens with an organisation. */
            for (size_t len = h->e - h->s - 1; len >= 2; len--) {
                int32_t lx = tb_gazetteer_find(c->g, c->cp + h->s, len);
                if (lx >= 0 && (c->g->lexemes[lx].flags & TB_CUE_ORG)) {
                    st = h->s, en = h->s + len;
                    break;
                }
            }
        }
        if (st == SIZE_MAX) continue;
        floor = st;
        memset(c->mark + st, IN_ORG, en - st);
        if (emit(c, (uint32_t)st, (uint32_t)en, TB_ENT_ORG, NULL, NULL) != TB_OK) return TB_ENOMEM;
    }
    return TB_OK;
}

/* ---- places ------------------------------------------------------------ */

static const uint32_t ABBR_BEFORE[] = {0x6765 /*来*/, 0x8FD4 /*返*/, 0x5165 /*入*/, 0x8D74 /*赴*/,
                                       0x63F4 /*援*/, 0x62B5 /*抵*/, 0x79BB /*离*/, 0x56DE /*回*/};
static const uint32_t TOWN_BAD[] = {
    0x4E61, 0x9547, 0x6751, 0x53BF, 0x5E02, 0x533A, 0x7701, 0x5404, 0x5168, 0x672C, 0x8BE5, 0x6BCF,
    0x4E2A, 0x7B49, 0x548C, 0x4E0E, 0x53CA, 0x7684, 0x4E86, 0x5728, 0x662F, 0x4E3A, 0x5165,
    0x8FDB, 0x5230, 0x4E00, 0x6240, 0x5176, 0x591A, 0x6570, 0x519C, 0x8857, 0x793E, 0x4EE5, 0x8D77,
    0x5411, 0x5C5E, 0x5BF9, 0x4ECE};
/* 乡镇村县市区省各全本该每个等和与及的了在是为入进到一所其多数农街社以起向属对从 */

static int abbr_only(const tb_gazetteer *g, int32_t lx) {
    for (int32_t k = g->lexemes[lx].cand; k >= 0; k = g->cands[k].next)
        if (g->cands[k].form != TB_FORM_ABBR) return 0;
    return 1;
}

static tb_status add_place(ctx *c, size_t s, size_t e, int32_t lx, uint8_t town) {
    if (TB_VEC_RESERVE(c->places, c->pcap, c->np + 1) != TB_OK) return TB_ENOMEM;
    c->places[c->np++] = (place_ref){(uint32_t)s, (uint32_t)e, lx, town};
    return TB_OK;
}

static void find_towns(ctx *c) {
    size_t next = 2;   /* a town ends the search up to its end */
    for (size_t ci = 0; ci < c->ncue; ci++) {
        size_t i = c->cue_pos[ci];
        if (!(c->cue_kind[ci] & CUE_TOWN) || i < next) continue;
        uint32_t a = c->cp[i], b = cp_at(c, i + 1);
        size_t sl = 0;
        uint8_t kind = 0;
        if (a == 0x9547 /*镇*/ || a == 0x4E61 /*乡*/) sl = 1, kind = 1;
        else if ((a == 0x8857 && b == 0x9053) /*街道*/) sl = 2, kind = 1;
        else if ((a == 0x793E && b == 0x533A) /*社区*/) sl = 2, kind = 2;
        if (!sl) continue;
        if (c->hit_at[i] >= 0 && c->hits[c->hit_at[i]].e > i + sl) continue;
        size_t q = i;
        while (q > 0 && han(c, q - 1) && i - q < 4) {
            int32_t j = c->hit_end[q];
            if (j >= 0 && !(c->hits[j].flags & TB_CUE_SURNAME) &&
                (c->hits[j].flags & (TB_LX_PLACE | TB_CUE_ORG_STOP | TB_CUE_FOLLOWER | TB_CUE_TITLE)))
                break;
            q--;
        }
        size_t body = i - q;
        if (body == 3 && (c->cp[q] == 0x5E74 || c->cp[q] == 0x6708 || c->cp[q] == 0x65E5 ||
                          c->cp[q] == 0x53F7)) /* 年月日号 */
            q++, body = 2;
        if (body > 3) {
            uint32_t before = c->cp[i - 3];
            if (before != 0x5E74 && before != 0x6708 && before != 0x65E5) continue; /* 年月日 */
            q = i - 2, body = 2;
        }
        /* 其中城关镇: a word that ends on the body's first character (其中,
         * 集中, 当中) is not part of the town's name */
        if (body == 3 && q > 0 && c->g->lex) {
            const char *wtag;
            float wlf;
            if (lex_word(c->g->lex, c->cp + q - 1, 2, &wtag, &wlf) && wlf > logf(1000.0f)) q++, body = 2;
        }
        if (body < 2) continue;
        int bad = 0;
        for (size_t j = q; j < i; j++)
            bad |= is_cp_in(c->cp[j], TOWN_BAD, sizeof TOWN_BAD / sizeof *TOWN_BAD);
        if (bad) continue;
        /* 城乡, 返乡, 家乡 are words, not the end of a town's name; a body
         * opening with a verb (覆盖城乡) is a clause. */
        const char *tag;
        float lf;
        if (sl == 1 && c->g->lex && lex_word(c->g->lex, c->cp + i - 1, 2, &tag, &lf) &&
            strncmp(tag, "ns", 2) != 0 && lf > logf(50.0f))
            continue;
        if (opens_clause(c, q, i)) continue;
        if (add_place(c, q, i + sl, -(int32_t)kind, 1) != TB_OK) return;
        next = i + sl + 1;
    }
}

static void find_places(ctx *c) {
    for (size_t r = 0; r < c->nrh; r++) {
        const hit *h = &c->hits[c->rule_hits[r]];
        if (!(h->flags & TB_LX_PLACE)) continue;
        if (abbr_only(c->g, h->lx)) {
            /* 来豫(返豫)人员: an abbreviation after a verb of travel. */
            if (h->s == 0 || !is_cp_in(c->cp[h->s - 1], ABBR_BEFORE,
                                       sizeof ABBR_BEFORE / sizeof *ABBR_BEFORE))
                continue;
            if (han(c, h->e) && !(any_at(c, h->e) & TB_CUE_FOLLOWER) && cp_at(c, h->e) != 0x4EBA /*人*/ &&
                cp_at(c, h->e) != 0x5DE5 /*工*/ && cp_at(c, h->e) != 0x671F /*期*/)
                continue;
        }
        if (add_place(c, h->s, h->e, h->lx, 0) != TB_OK) return;
    }
}

static int level_rank(const char *lv) {
    if (lv == NULL) return 0;
    if (strcmp(lv, "province") == 0) return 3;
    if (strcmp(lv, "city") == 0) return 2;
    if (strcmp(lv, "county") == 0) return 1;
    return 0;
}

static uint32_t city_of(const tb_gz_div *d) {
    int r = level_rank(d->level);
    return r == 2 ? d->code : r == 1 ? d->parent : 0;
}

/* The division a place mention names, or -1 when it cannot be told. */
static int32_t resolve(const ctx *c, size_t at, int32_t lx, const int32_t *resolved) {
    const tb_gazetteer *g = c->g;
    int32_t cand[16];
    size_t nc = 0;
    for (int32_t k = g->lexemes[lx].cand; k >= 0 && nc < 16; k = g->cands[k].next)
        cand[nc++] = g->cands[k].div;
    if (nc == 1) return cand[0];
    /* Context: the nearest place before, whose city or province holds
     * exactly one candidate. */
    int32_t sub[16];
    size_t ns = 0;
    /* (at most 64 places back: a bounded cost per mention) */
    for (size_t j = at; j-- > 0 && ns == 0 && at - j <= 64;) {
        if (resolved[j] < 0) continue;
        const tb_gz_div *p = &g->divs[resolved[j]];
        if (p->code == 0) continue;
        uint32_t city = city_of(p), prov = p->code / 10000;
        size_t m = 0;
        int32_t pick[16];
        for (size_t k = 0; k < nc; k++)
            if (city && city_of(&g->divs[cand[k]]) == city) pick[m++] = cand[k];
        if (m == 0)
            for (size_t k = 0; k < nc; k++)
                if (g->divs[cand[k]].code / 10000 == prov && g->divs[cand[k]].code) pick[m++] = cand[k];
        if (m == 1) return pick[0];
        if (m > 1) memcpy(sub, pick, m * sizeof *pick), ns = m;
    }
    const int32_t *set = ns ? sub : cand;
    size_t n = ns ? ns : nc;
    /* Else the one of highest level (安阳: the city, not the county). */
    int best = -1, count = 0;
    int32_t pick = -1;
    for (size_t k = 0; k < n; k++) {
        int r = level_rank(g->divs[set[k]].level);
        if (r > best) best = r, count = 1, pick = set[k];
        else if (r == best) count++;
    }
    return count == 1 ? pick : -1;
}

static int cmp_place(const void *a, const void *b) {
    const place_ref *x = a, *y = b;
    return x->s != y->s ? (x->s < y->s ? -1 : 1) : (x->e > y->e ? -1 : x->e < y->e);
}

static tb_status emit_places(ctx *c) {
    if (c->np > 1) qsort(c->places, c->np, sizeof *c->places, cmp_place);
    int32_t *resolved = malloc((c->np + 1) * sizeof *resolved);
    if (resolved == NULL) return TB_ENOMEM;
    for (size_t i = 0; i < c->np; i++) {
        const place_ref *p = &c->places[i];
        resolved[i] = -1;
        if (p->town) {
            if (emit(c, p->s, p->e, TB_ENT_PLACE, NULL, p->lx == -1 ? "town" : "community") != TB_OK)
                goto oom;
            continue;
        }
        int32_t d = resolve(c, i, p->lx, resolved);
        resolved[i] = d;
        const char *level = NULL;
        if (d < 0) {   /* unresolved: the level, when all candidates share it */
            for (int32_t k = c->g->lexemes[p->lx].cand; k >= 0; k = c->g->cands[k].next) {
                const char *lv = c->g->divs[c->g->cands[k].div].level;
                if (level == NULL) level = lv;
                else if (lv == NULL || strcmp(lv, level) != 0) { level = NULL; break; }
            }
        }
        if (emit(c, p->s, p->e, TB_ENT_PLACE, d >= 0 ? &c->g->divs[d] : NULL, level) != TB_OK) goto oom;
        for (size_t j = p->s; j < p->e; j++) c->mark[j] |= IN_PLACE;
    }
    free(resolved);
    return TB_OK;
oom:
    free(resolved);
    return TB_ENOMEM;
}

/* ---- scan -------------------------------------------------------------- */

static int cmp_entity(const void *a, const void *b) {
    const tb_entity *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    return (int)x->label - (int)y->label;
}

/* Code points that may be a cue (bit cp & 63): 摄 ( 镇 乡 街 社; one test
 * rejects nearly all the others. */
#define CUE_CP_BIT(x) (1ull << ((x) & 63))
static const uint64_t CUE_CP_MASK = CUE_CP_BIT(0x6444) | CUE_CP_BIT('(') | CUE_CP_BIT(0x9547) |
                                    CUE_CP_BIT(0x4E61) | CUE_CP_BIT(0x8857) | CUE_CP_BIT(0x793E);

static uint8_t cue_kind_of(uint32_t x, size_t i) {
    switch (x) {
    case 0x6444: /* 摄 */
    case '(': return CUE_CREDIT;
    case 0x9547: /* 镇 */
    case 0x4E61: /* 乡 */
    case 0x8857: /* 街(道) */
    case 0x793E: /* 社(区) */ return i >= 2 ? CUE_TOWN : 0;
    default: return 0;
    }
}

/* One pass over the text: the greedy longest-match cover by gazetteer
 * lexemes (hits), the flags of the lexemes at each position it looks up,
 * and the cue positions. hit_at, hit_end and any arrive filled with -1. */
/* A stable sort of the results by cmp_entity (the order qsort's merge sort
 * gave), without its per-element calls through memcpy: insertion sort of
 * short runs, then merges through tmp (NULL: insertion sort only). */
static void insertion_sort(tb_entity *v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        tb_entity x = v[i];
        size_t j = i;
        for (; j > 0 && cmp_entity(&v[j - 1], &x) > 0; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

static void merge_sort(tb_entity *v, size_t n, tb_entity *tmp) {
    if (n <= 16 || tmp == NULL) {
        insertion_sort(v, n);
        return;
    }
    size_t h = n / 2;
    merge_sort(v, h, tmp);
    merge_sort(v + h, n - h, tmp);
    if (cmp_entity(&v[h - 1], &v[h]) <= 0) return;   /* already in order */
    memcpy(tmp, v, h * sizeof *v);
    size_t a = 0, b = h, k = 0;
    while (a < h && b < n) v[k++] = cmp_entity(&v[b], &tmp[a]) < 0 ? v[b++] : tmp[a++];
    while (a < h) v[k++] = tmp[a++];
}

static tb_status scan_locked(ctx *c) {
    size_t n = c->n, cover = 0;   /* positions below cover are inside a hit */
    int prev_han = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t x = c->cp[i];
        uint8_t kind = 0;
        if (c->cls[i] == TB_C_HAN) {
            if (i >= cover) {
                size_t end = 0;
                uint32_t any = 0;
                int32_t lx = tb_gazetteer_longest(c->g, c->cp, n, i, &end, &any);
                c->any[i] = any;
                if (lx >= 0 && (c->g->lexemes[lx].flags & TB_LX_PLACE) && i > 0 && c->cls[i - 1] == TB_C_HAN &&
                    c->g->lex && end < n) {
                    /* 其中卫辉市: not 中卫 when the character before closes a word
                     * with its first one and a longer place starts after it */
                    size_t end2 = 0;
                    int32_t lx2 = tb_gazetteer_longest(c->g, c->cp, n, i + 1, &end2, NULL);
                    const char *wtag;
                    float wlf;
                    if (lx2 >= 0 && (c->g->lexemes[lx2].flags & TB_LX_PLACE) && end2 > end &&
                        lex_word(c->g->lex, c->cp + i - 1, 2, &wtag, &wlf) && wlf > logf(1000.0f))
                        lx = -1;
                }
                if (lx >= 0) {
                    if (TB_VEC_RESERVE(c->hits, c->hcap, c->nh + 1) != TB_OK) return TB_ENOMEM;
                    c->hits[c->nh] = (hit){(uint32_t)i, (uint32_t)end, lx, c->g->lexemes[lx].flags};
                    c->hit_at[i] = (int32_t)c->nh;
                    if (c->g->lexemes[lx].flags & RULE_FLAGS) c->rule_hits[c->nrh++] = (uint32_t)c->nh;
                    c->hit_end[end] = (int32_t)c->nh++;
                    cover = end;
                }
            }
            /* hits ending here all started before i: hit_end[i] is final */
            if (!prev_han || (c->hit_end[i] >= 0 && (c->hits[c->hit_end[i]].flags & TB_CUE_TITLE)))
                kind = CUE_LIST;
            prev_han = 1;
        } else {
            prev_han = 0;
        }
        if ((CUE_CP_MASK >> (x & 63)) & 1) kind |= cue_kind_of(x, i);
        if (kind) {
            c->cue_pos[c->ncue] = (uint32_t)i;
            c->cue_kind[c->ncue++] = kind;
        }
    }
    tb_status s;
    if ((s = find_orgs(c)) != TB_OK) return s;
    find_places(c);
    find_towns(c);
    if ((s = emit_places(c)) != TB_OK) return s;
    if ((s = find_names(c)) != TB_OK) return s;
    if ((s = emit_names(c)) != TB_OK) return s;
    if (c->out->n > 1) {
        tb_entity *tmp = malloc((c->out->n / 2 + 1) * sizeof *tmp);
        merge_sort(c->out->v, c->out->n, tmp);
        free(tmp);
    }
    return TB_OK;
}

tb_status tb_entity_scan(tb_gazetteer *g, const tb_text *t, tb_entities *out, tb_error *err) {
    out->n = 0;
    ctx c = {0};
    c.g = g;
    c.cp = t->cp;
    c.cls = t->cls;
    c.n = t->n;
    c.out = out;
    size_t n = t->n;
    /* One block of per-position scratch: hit_at, hit_end and any (all -1:
     * no hit, flags unknown), then cue_pos, rule_hits, mark (0) and cue_kind. */
    size_t m = n + 1;
    char *block = malloc(m * (5 * sizeof(uint32_t) + 2));
    tb_status s = TB_ENOMEM;
    /* Room for the usual counts up front (a gazetteer hit every two
     * characters or so), so the vectors seldom grow during the scan. */
    if (block && TB_VEC_RESERVE(c.hits, c.hcap, n / 2 + 16) == TB_OK &&
        TB_VEC_RESERVE(c.places, c.pcap, n / 16 + 16) == TB_OK &&
        TB_VEC_RESERVE(out->v, out->cap, n / 16 + 16) == TB_OK) {
        memset(block, 0xFF, m * 3 * sizeof(uint32_t));
        c.hit_at = (int32_t *)block;
        c.hit_end = c.hit_at + m;
        c.any = (uint32_t *)(c.hit_end + m);
        c.cue_pos = c.any + m;
        c.rule_hits = c.cue_pos + m;   /* at most one hit per position */
        c.mark = (uint8_t *)(c.rule_hits + m);
        memset(c.mark, 0, m);
        c.cue_kind = c.mark + m;
        pthread_rwlock_rdlock(&g->trie->lock);
        s = scan_locked(&c);
        pthread_rwlock_unlock(&g->trie->lock);
    }
    free(block);
    free(c.hits);
    free(c.names);
    free(c.places);
    if (s != TB_OK) {
        out->n = 0;
        return tb_fail(err, s, TB_AT_NONE, 0, "out of memory");
    }
    return TB_OK;
}

void tb_entities_free(tb_entities *e) {
    free(e->v);
    e->v = NULL;
    e->n = e->cap = 0;
}
