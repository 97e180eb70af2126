/* The compiled base lexicon: a read-only trie mapped from a file written by
 * tools/build_lexicon.py (format "TBLEX005", little-endian):
 *
 *   header (128 bytes): magic[8], n_nodes u32, n_tags u32, total_freq f64,
 *       off_nodes u32, off_root u32, off_tags u32, off_hmm u32, file_size u32,
 *       n_words u32, off_freqs u32, off_t2s u32, off_labels16 u32,
 *       source description (NUL-terminated)
 *   nodes:  n_nodes x {label u32, first_child u32, logf f32, n_children u16, tag u8, flags u8}
 *           numbered breadth-first: node 0 is the root, the children of a node
 *           are contiguous and sorted by label (a code point); logf = log(freq)
 *           precomputed; flags bit 0: the node ends a word, bit 1: a domain word,
 *           bit 2: a rare long word (TB_LEX_RARE_LONG)
 *   freqs:  n_nodes x u32 raw frequencies (0 for prefixes)
 *   labels16: n_nodes x u16, the labels again (0xFFFF beyond the BMP), for a
 *           cache-friendly child search
 *   t2s:    n u32, then n x {traditional u32, simplified u32} sorted (tb_fold)
 *   root:   65536 x u32, the root's child for a BMP code point (0 = none)
 *   tags:   n_tags x char[8] (tag 0 = none)
 *   hmm:    start[4] f64, trans[4][4] f64, n_emit[4] u32, then per state
 *           cps[n] u32 sorted, logp[n] f32 (states B, M, E, S), then
 *           f32[0x5200][4]: the same for U+4E00..U+9FFF, indexed directly
 *
 * A lexicon is immutable once opened and may be shared by any number of
 * threads. Everything is validated at open, so a corrupt file gives
 * TB_EFORMAT rather than out-of-bounds reads. */
#ifndef TB_LEXICON_H
#define TB_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

typedef struct {
    uint32_t label;
    uint32_t first_child;
    float logf;             /* log(freq) of the word ending here */
    uint16_t n_children;
    uint8_t tag;
    uint8_t flags;          /* TB_LEX_WORD: the node ends a word */
} tb_lex_node;

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
    const uint16_t *labels16;
    uint32_t n_nodes;
    const uint32_t *t2s;      /* Traditional -> Simplified pairs */
    uint32_t n_t2s;
    const uint32_t *root_index;
    /* Children of wide nodes (more than TB_LEX_WIDE children, root aside)
     * by hash of their BMP label, one small table per node: the node whose
     * children are [fc, fc + n) owns slots [2 fc, 2 fc + 2 n) (disjoint, as
     * the child ranges are), open addressing with linear probing; a slot is
     * label | (child - fc + 1) << 16, 0 when empty. A node's slots share
     * cache lines, so the hot nodes' tables stay in cache. Built at open,
     * never written after; only the wide nodes' pages are ever touched. */
    uint32_t *edge_tab;
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

#define TB_LEX_WIDE 8u

/* First slot for label cp in a table of `size` slots (multiply-shift range reduction). */
static inline uint32_t tb_lex_edge_slot(uint32_t cp, uint32_t size) {
    return (uint32_t)(((uint64_t)(cp * 0x9E3779B1u) * size) >> 32);
}

/* The child labelled `cp` of `node` (not the root; `n` is its record), or TB_LEX_NONE. */
static inline uint32_t tb_lex_child_of(const tb_lexicon *lex, uint32_t node, const tb_lex_node *n, uint32_t cp) {
    (void)node;
    uint32_t lo = n->first_child, len = n->n_children;
    if (cp < 0xFFFF) {
        if (len > TB_LEX_WIDE) {
            /* A wide node (the first character of many words): one hash probe
             * in its own table instead of a dozen search steps. */
            const uint32_t *tab = lex->edge_tab + 2 * (size_t)lo;
            uint32_t size = 2 * len;
            for (uint32_t h = tb_lex_edge_slot(cp, size);;) {
                uint32_t slot = tab[h];
                if (slot == 0) return TB_LEX_NONE;
                if ((slot & 0xFFFFu) == cp) return lo + (slot >> 16) - 1;
                if (++h == size) h = 0;
            }
        }
        /* Branch-free lower bound over the compact u16 labels: the comparison
         * feeds an add, not a jump, so unpredictable data costs no mispredictions. */
        if (len == 0) return TB_LEX_NONE;
        const uint16_t *base = lex->labels16 + lo;
        while (len > 1) {
            uint32_t half = len / 2;
            base += (base[half - 1] < cp) * half;
            len -= half;
        }
        uint32_t i = (uint32_t)(base - lex->labels16);
        return *base == cp ? i : TB_LEX_NONE;
    }
    for (uint32_t end = lo + len; lo < end; lo++)   /* beyond the BMP: rare, scan */
        if (lex->nodes[lo].label == cp) return lo;
    return TB_LEX_NONE;
}

/* The child of `node` labelled `cp`, or TB_LEX_NONE. */
static inline uint32_t tb_lex_child(const tb_lexicon *lex, uint32_t node, uint32_t cp) {
    if (node == TB_LEX_ROOT) {
        if (cp < 65536) {
            uint32_t c = lex->root_index[cp];
            return c ? c : TB_LEX_NONE;
        }
        const tb_lex_node *r = &lex->nodes[TB_LEX_ROOT];   /* beyond the BMP: scan the root's children */
        for (uint32_t c = r->first_child; c < r->first_child + r->n_children; c++)
            if (lex->nodes[c].label == cp) return c;
        return TB_LEX_NONE;
    }
    return tb_lex_child_of(lex, node, &lex->nodes[node], cp);
}

/* Hint the cache with where tb_lex_child_of(node, cp) will look (a wide
 * node's hash slot, a narrow node's label run); no effect on results. */
static inline void tb_lex_prefetch_child(const tb_lexicon *lex, uint32_t node, uint32_t cp) {
    if (node == TB_LEX_NONE || node == TB_LEX_ROOT) return;
    const tb_lex_node *n = &lex->nodes[node];
    if (n->n_children > TB_LEX_WIDE)
        __builtin_prefetch(lex->edge_tab + 2 * (size_t)n->first_child + tb_lex_edge_slot(cp, 2u * n->n_children));
    else if (n->n_children)
        __builtin_prefetch(lex->labels16 + n->first_child);
}

/* Node of the folded word `cps[0..n)`, or TB_LEX_NONE. */
uint32_t tb_lexicon_find(const tb_lexicon *lex, const uint32_t *cps, size_t n);

/* Tag string of a tag id ("" for none or out of range). */
const char *tb_lexicon_tag(const tb_lexicon *lex, unsigned tag);

#endif
