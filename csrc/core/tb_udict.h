/* User dictionary: the mutable overlay on top of the read-only base lexicon.
 *
 * Words added with add_word / load_userdict, and words deleted with del_word
 * (frequency 0, as in jieba), live here. It is a trie over folded code points
 * whose edges sit in one open-addressing hash table, so prefix walks run in
 * step with the base trie during segmentation.
 *
 * Concurrency: segmentation takes the read lock for a whole call (with the
 * GIL released, many threads read at once); changes take the write lock, so a
 * call sees the dictionary either wholly before or wholly after a change. */
#ifndef TB_UDICT_H
#define TB_UDICT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

#define TB_UD_NONE UINT32_MAX
#define TB_UD_NO_ENTRY (-1)
#define TB_TAG_MAX 16
/* User tag strings live in a table that never moves (callers may hold
 * pointers into it after releasing the lock), so its size is fixed. */
#define TB_UD_MAX_TAGS 1024

typedef struct {
    int64_t freq;        /* TB_UD_NO_ENTRY: a prefix only; 0: deleted word */
    double logf;         /* log(freq) when freq > 0: the best path reads it, no log() per walk step */
    uint16_t tag;        /* 0: none, else index+1 into tags */
} tb_ud_node;

typedef struct tb_udict {
    pthread_rwlock_t lock;
    uint64_t *keys;      /* (parent << 21 | cp) + 1; 0 = empty slot */
    uint32_t *vals;
    size_t cap, n_edges; /* cap is a power of two */
    tb_ud_node *nodes;   /* node 0 is the root */
    size_t n_nodes, nodes_cap;
    char (*tags)[TB_TAG_MAX];
    size_t n_tags;
    size_t n_entries;    /* nodes with freq != TB_UD_NO_ENTRY */
    double freq_added;   /* sum of frequencies added (jieba adds them to the total) */
} tb_udict;

tb_status tb_udict_new(tb_udict **out, tb_error *err);
void tb_udict_free(tb_udict *ud);

/* Set the entry for a folded word (caller holds the write lock). `tag` may be
 * NULL; a tag longer than TB_TAG_MAX-1 bytes is rejected. */
tb_status tb_udict_set(tb_udict *ud, const uint32_t *cps, size_t n, int64_t freq, const char *tag,
                       tb_error *err);

static inline uint64_t tb_ud_hash(uint64_t key) { return key * 0x9E3779B97F4A7C15ull; }

/* Child of `node` labelled `cp`, or TB_UD_NONE (caller holds a lock). */
static inline uint32_t tb_udict_child(const tb_udict *ud, uint32_t node, uint32_t cp) {
    if (ud->n_edges == 0) return TB_UD_NONE;
    uint64_t key = (((uint64_t)node << 21) | cp) + 1;
    size_t mask = ud->cap - 1, i = (size_t)(tb_ud_hash(key) >> 20) & mask;
    for (;;) {
        uint64_t k = ud->keys[i];
        if (k == key) return ud->vals[i];
        if (k == 0) return TB_UD_NONE;
        i = (i + 1) & mask;
    }
}

/* Node of a folded word, or TB_UD_NONE. */
uint32_t tb_udict_find(const tb_udict *ud, const uint32_t *cps, size_t n);

const char *tb_udict_tag(const tb_udict *ud, unsigned tag);

/* Parse a user dictionary in jieba's format: one entry a line,
 * `word [freq] [tag]`, fields separated by spaces or tabs; blank lines are
 * skipped and a leading BOM is ignored. `on_entry` receives each entry (freq
 * -1 when absent, tag NULL when absent) and may stop the parse by returning
 * non-TB_OK. Errors carry the 1-based line number (TB_AT_LINE). */
typedef tb_status (*tb_udict_entry_fn)(void *ctx, const uint8_t *word, size_t word_len,
                                        int64_t freq, const char *tag, size_t tag_len);
tb_status tb_udict_parse(const uint8_t *buf, size_t len, tb_udict_entry_fn on_entry, void *ctx,
                         tb_error *err);

#endif
