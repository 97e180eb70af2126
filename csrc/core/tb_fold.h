/* Character folding and classes, through ICU.
 *
 * Lookups in the lexicon use a folded form of each code point: NFKC for
 * compatibility characters (full-width ３ -> 3, Ａ -> A, ideographic space ->
 * space) and Traditional -> Simplified (鄭 -> 郑), so 鄭州市確診病例 segments
 * like 郑州市确诊病例. Folding is per code point, so offsets into the
 * caller's text are unchanged; a character whose NFKC form is several code
 * points (㎡, ①) keeps its own form.
 *
 * The Traditional -> Simplified pairs come from ICU's Hant-Hans
 * transliterator, extracted at build time (tools/gen_fold_table.c) into the
 * compiled lexicon, so no transliterator is opened at run time.
 *
 * Results are memoised in a table indexed by code point. The table is
 * calloc'ed, so only pages of characters actually seen become resident, and
 * filled lazily with relaxed atomic stores: the value for a code point is
 * deterministic, so concurrent fills race benignly. */
#ifndef TB_FOLD_H
#define TB_FOLD_H

#include <stdatomic.h>
#include <stdint.h>

#include "tb_status.h"

typedef enum {
    TB_C_OTHER = 0,   /* punctuation, symbols, controls: a token of its own */
    TB_C_HAN = 1,     /* Han ideographs (incl. 〇) */
    TB_C_DIGIT = 2,   /* decimal digits (after NFKC) */
    TB_C_ALPHA = 3,   /* letters of alphabetic scripts (Latin, Greek, Cyrillic, ...) */
    TB_C_SPACE = 4,   /* white space */
    TB_C_EXTEND = 5   /* combining marks, ZWJ, variation selectors, emoji modifiers */
} tb_class;

typedef struct tb_folder tb_folder;

#define TB_FOLD_MAX_CP 0x110000u
#define TB_FOLD_VALID 0x80000000u
#define TB_FOLD_CLASS_SHIFT 24

/* `t2s_pairs` (2 x n_pairs code points, sorted by the first) must outlive the folder. */
tb_status tb_folder_new(const uint32_t *t2s_pairs, size_t n_pairs, tb_folder **out, tb_error *err);
void tb_folder_free(tb_folder *f);

/* Fold a single code point (class in *cls when non-NULL). */
uint32_t tb_folder_one(tb_folder *f, uint32_t cp, uint8_t *cls);

/* The memo table, for the inline fast path below (entries: valid | class << 24 | folded). */
_Atomic uint32_t *tb_folder_table(tb_folder *f);

/* tb_folder_one, inlined for the hot loop: a table hit costs one load. */
static inline uint32_t tb_fold_fast(tb_folder *f, _Atomic uint32_t *table, uint32_t cp, uint8_t *cls) {
    if (cp < TB_FOLD_MAX_CP) {
        uint32_t e = atomic_load_explicit(&table[cp], memory_order_relaxed);
        if (e & TB_FOLD_VALID) {
            *cls = (uint8_t)((e >> TB_FOLD_CLASS_SHIFT) & 0x7F);
            return e & 0x1FFFFF;
        }
    }
    return tb_folder_one(f, cp, cls);
}

#endif
