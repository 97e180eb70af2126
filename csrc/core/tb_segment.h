/* The segmenter: text in, token spans out.
 *
 * Pipeline for one call (all per call, no shared mutable state):
 *   1. decode UTF-8 (lone surrogates allowed) and fold each code point
 *      (tb_fold: NFKC, Traditional->Simplified) with its class;
 *   2. split into blocks of word characters (Han, letters, digits and the
 *      connectors + # & . _ % - ') and single tokens (punctuation, spaces);
 *   3. inside a block, mark "atoms" that must stay whole (numbers such as
 *      2.2, 118,406, 95.82%; Latin/alphanumeric runs such as COVID-19; a base
 *      character with its combining marks);
 *   4. best path through the graph of dictionary words over atom boundaries
 *      (max sum of log word probabilities, as jieba);
 *   5. runs of single characters absent from the lexicon go to the BMES HMM;
 *   6. the style's conventions (tb_style.h): number tokens fixed before 4,
 *      splits of measure words, affixes and rare compounds after 5.
 * Offsets are code points of the input, tokens cover it without gaps.
 *
 * Thread safety: a tb_segmenter is immutable apart from its user dictionary,
 * whose read lock is held for the whole of tb_segment. */
#ifndef TB_SEGMENT_H
#define TB_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "tb_fold.h"
#include "tb_lexicon.h"
#include "tb_status.h"
#include "tb_udict.h"

typedef enum {
    TB_K_WORD = 0,    /* a lexicon word (base or user) */
    TB_K_UNKNOWN,     /* single character or HMM-found word absent from the lexicon */
    TB_K_NUMBER,      /* digits, with decimal point, thousands separators, % */
    TB_K_ALNUM,       /* Latin or mixed alphanumeric run */
    TB_K_SPACE,       /* white space */
    TB_K_PUNCT        /* punctuation, symbols and anything else */
} tb_kind;

typedef struct {
    uint32_t start, end;   /* code point offsets, end exclusive */
    uint32_t node;         /* base lexicon node of the word, or TB_LEX_NONE (lets callers
                              cache one string object per dictionary word) */
    uint16_t tag;          /* 0: none; < 0x100: base lexicon tag id; else 0x100 + user tag id */
    uint8_t kind;          /* tb_kind */
    uint8_t flags;         /* TB_TF_*: how the token was found */
} tb_token;

#define TB_TF_HMM 1u       /* a multi-character word found by the HMM */
#define TB_TF_PROTECT 2u   /* a user or domain word: styles never split it */

typedef struct {
    tb_token *v;
    size_t n, cap;
} tb_tokens;

typedef enum {
    TB_MODE_DEFAULT = 0,   /* accurate mode, a partition of the text */
    TB_MODE_ALL = 1,       /* jieba's full mode: every lexicon word found (overlapping) */
    TB_MODE_SEARCH = 2     /* accurate mode plus the 2- and 3-character words inside long words */
} tb_mode;

enum { TB_OPT_HMM = 1 };

/* Segmentation conventions (tb_style.c). JIEBA: the lexicon's best path only,
 * as jieba. DEFAULT: the Peking University standard's conventions for
 * numbers, measure words, long compounds and affixes, but person names kept
 * whole (entity extraction needs them). PKU: the standard in full, names
 * split into surname and given name. */
typedef enum { TB_STYLE_DEFAULT = 0, TB_STYLE_PKU = 1, TB_STYLE_JIEBA = 2 } tb_style;

typedef struct {
    const tb_lexicon *lex;     /* shared, read-only */
    tb_folder *folder;         /* shared, internally synchronised */
    tb_udict *ud;              /* owned */
    tb_style style;
    /* What the style's rules do to each base-lexicon word, by node, filled
     * as words are met (tb_style.c, style_memo): valid while there are no
     * user words, as the rules then depend on the word alone. Entries are
     * written with relaxed atomic stores; racing fills write the same value. */
    _Atomic uint16_t *style_memo;
} tb_segmenter;

tb_status tb_segmenter_init(tb_segmenter *seg, const tb_lexicon *lex, tb_folder *folder,
                            tb_style style, tb_error *err);
void tb_segmenter_destroy(tb_segmenter *seg);

/* Segment UTF-8 text. Appends to `out` (caller frees out->v). */
tb_status tb_segment(tb_segmenter *seg, const uint8_t *utf8, size_t len, tb_mode mode, int opts,
                     tb_tokens *out, tb_error *err);

/* tb_segment over code points instead of UTF-8: `n` code points of `width`
 * bytes each (1, 2 or 4: the layouts of a Python str), any code point up to
 * U+10FFFF, lone surrogates included. Same tokens as tb_segment on the same
 * text, without decoding. */
tb_status tb_segment_cps(tb_segmenter *seg, const void *cps, size_t n, int width, tb_mode mode, int opts,
                         tb_tokens *out, tb_error *err);

/* Frequency of a word as the segmenter sees it (user entry over base):
 * returns 1 and sets *freq when present (freq may be 0 for a deleted word),
 * 0 when absent. Takes the read lock. */
int tb_segmenter_word_freq(tb_segmenter *seg, const uint8_t *utf8, size_t len, int64_t *freq);

/* Add, re-weight (freq >= 0) or delete (freq == 0) a user word; takes the write lock. */
tb_status tb_segmenter_set_word(tb_segmenter *seg, const uint8_t *utf8, size_t len, int64_t freq,
                                const char *tag, tb_error *err);

/* Total frequency (base + user additions), as jieba's `total`. */
double tb_segmenter_total(tb_segmenter *seg);

/* A dictionary entry: the user dictionary's over the base lexicon's. */
typedef struct {
    int64_t freq;
    double logf;        /* log(freq); the base lexicon's precomputed value */
    unsigned tag;       /* tag id as in tb_token.tag */
    unsigned flags;     /* TB_LEX_*; user words carry TB_LEX_DOMAIN (never split) */
} tb_entry;

/* The entry at a walk state (`node` in the base trie, `unode` in the user
 * trie, either may be "none"); caller holds the user dictionary's lock.
 * Returns 1 for a word, 0 for a word deleted with del_word (freq 0), -1 for
 * no entry. The one place that decides how user entries override base ones. */
int tb_segmenter_entry(const tb_segmenter *seg, uint32_t node, uint32_t unode, tb_entry *out);

/* tb_segmenter_entry for a folded word: 1 if it is a word (freq > 0). */
int tb_segmenter_lookup(const tb_segmenter *seg, const uint32_t *cps, size_t n, tb_entry *out);

/* Tag string for a token's tag id. */
const char *tb_segmenter_tag(const tb_segmenter *seg, unsigned tag);

#endif
