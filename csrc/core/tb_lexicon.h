/* The compiled base lexicon: a read-only trie mapped from a file written by
 * tools/build_lexicon.py (format "TBLEX006", little-endian):
 *
 *   header (128 bytes): magic[8], n_slots u32, n_tags u32, total_freq f64,
 *       off_nodes u32, off_codes u32, off_tags u32, off_hmm u32, file_size u32,
 *       n_words u32, off_freqs u32, off_t2s u32, max_code u32,
 *       source description (NUL-terminated)
 *   nodes:  n_slots x {base u32, check u32, logf f32, tag u8, flags u8, pad u16}:
 *           the trie as a double array (tools/double_array.py). Every
 *           character has a code in 1..max_code; the child of node s by
 *           character x is slot t = base[s] + code(x) if check[t] == s.
 *           Slot 0 is the root (base 0, check EMPTY); a leaf has base 0; a
 *           free slot has check EMPTY. logf = log(freq) precomputed; flags
 *           bit 0: the node ends a word, bit 1: a domain word, bit 2: a rare
 *           long word (TB_LEX_RARE_LONG)
 *   freqs:  n_slots x u32 raw frequencies (0 for prefixes and free slots)
 *   codes:  65536 x u16, the code of each BMP code point (0: in no word);
 *           then n u32 and n x {code point u32, code u32} sorted, beyond the BMP
 *   t2s:    n u32, then n x {traditional u32, simplified u32} sorted (tb_fold)
 *   tags:   n_tags x char[8] (tag 0 = none)
 *   hmm:    start[4] f64, trans[4][4] f64, n_emit[4] u32, then per state
 *           cps[n] u32 sorted, logp[n] f32 (states B, M, E, S), then
 *           f32[0x5200][4]: the same for U+4E00..U+9FFF, indexed directly
 *
 * A lexicon is immutable once opened and may be shared by any number of
 * threads. Everything is validated at open -- every used slot's parent is a
 * node whose base puts it there, and base + max_code stays inside the array
 * -- so a corrupt file gives TB_EFORMAT rather than out-of-bounds reads, and
 * a walk needs no bounds test. */
#ifndef TB_LEXICON_H
#define TB_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

typedef struct {
    uint32_t base;          /* children at base + code; 0 for a leaf (and the root) */
    uint32_t check;         /* the parent's slot; TB_LEX_EMPTY for a free slot */
    float logf;             /* log(freq) of the word ending here */
    uint8_t tag;
    uint8_t flags;          /* TB_LEX_WORD: the node ends a word */
    uint16_t pad;
} tb_lex_node;

#define TB_LEX_EMPTY UINT32_MAX
#define TB_LEX_WORD 1u
#define TB_LEX_DOMAIN 2u      /* a domain word (lexicon/ dict files): styles never split it */
#define TB_LEX_RARE_LONG 4u   /* 4+ characters, not tagged i/l, frequency < 0.3 x that of its
                                 most frequent proper prefix of 2+ characters: the only base
                                 words the long-compound split (tb_style.c) may apply to */

typedef struct {
    double start[4];
    double trans[4][4];
    uint32_t n_emit[4];
    const uint32_t *emit_cp[4];
    const float *emit_lp[4];
    const float (*emit_cjk)[4];   /* U+4E00..U+9FFF */
} tb_hmm_tables;

#define TB_HMM_CJK_FIRST 0x4E00u
#define TB_HMM_CJK_N (0xA000u - 0x4E00u)

typedef struct tb_lexicon {
    void *map;
    size_t map_len;
    const tb_lex_node *nodes;
    const uint32_t *freqs;
    uint32_t n_nodes;         /* slots of the double array (node ids are slots) */
    uint32_t max_code;
    const uint16_t *code16;   /* BMP code point -> code */
    const uint32_t *astral;   /* {code point, code} pairs beyond the BMP, sorted */
    uint32_t n_astral;
    const uint32_t *t2s;      /* Traditional -> Simplified pairs */
    uint32_t n_t2s;
    const char (*tags)[8];
    uint32_t n_tags;
    uint32_t n_words;
    double total_freq;
    tb_hmm_tables hmm;
    char source[80];
} tb_lexicon;

#define TB_LEX_ROOT 0u
#define TB_LEX_NONE UINT32_MAX

tb_status tb_lexicon_open(const char *path, tb_lexicon **out, tb_error *err);
/* Same, over a caller-owned buffer that must outlive the lexicon (tests, fuzzing). */
tb_status tb_lexicon_from_buffer(const void *buf, size_t len, tb_lexicon **out, tb_error *err);
void tb_lexicon_close(tb_lexicon *lex);

/* The code of code point cp (0: no word contains it). */
static inline uint32_t tb_lex_code(const tb_lexicon *lex, uint32_t cp) {
    if (cp < 65536) return lex->code16[cp];
    uint32_t lo = 0, hi = lex->n_astral;   /* beyond the BMP: rare, binary search */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (lex->astral[2 * mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return lo < lex->n_astral && lex->astral[2 * lo] == cp ? lex->astral[2 * lo + 1] : 0;
}

/* The child of `node` by the character of code `code`, or TB_LEX_NONE. Code
 * 0 never matches (a slot at base + 0 is nobody's child: checked at open),
 * nor does a leaf's base 0 (only the root's children sit at code + 0). */
static inline uint32_t tb_lex_child_code(const tb_lexicon *lex, uint32_t node, uint32_t code) {
    uint32_t t = lex->nodes[node].base + code;
    return lex->nodes[t].check == node ? t : TB_LEX_NONE;
}

/* The child of `node` labelled `cp`, or TB_LEX_NONE. */
static inline uint32_t tb_lex_child(const tb_lexicon *lex, uint32_t node, uint32_t cp) {
    return tb_lex_child_code(lex, node, tb_lex_code(lex, cp));
}

/* Node of the folded word `cps[0..n)`, or TB_LEX_NONE. */
uint32_t tb_lexicon_find(const tb_lexicon *lex, const uint32_t *cps, size_t n);

/* Tag string of a tag id ("" for none or out of range). */
const char *tb_lexicon_tag(const tb_lexicon *lex, unsigned tag);

#endif
