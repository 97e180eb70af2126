#include "tb_udict.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tb_utf8.h"
#include "tb_vec.h"

tb_status tb_udict_new(tb_udict **out, tb_error *err) {
    tb_udict *ud = calloc(1, sizeof *ud);
    if (ud == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    ud->nodes = calloc(16, sizeof *ud->nodes);
    if (ud->nodes == NULL) {
        free(ud);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    ud->tags = calloc(TB_UD_MAX_TAGS, sizeof *ud->tags);
    if (ud->tags == NULL) {
        free(ud->nodes);
        free(ud);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    ud->nodes_cap = 16;
    ud->n_nodes = 1;
    ud->nodes[0].freq = TB_UD_NO_ENTRY;
    pthread_rwlock_init(&ud->lock, NULL);
    *out = ud;
    return TB_OK;
}

void tb_udict_free(tb_udict *ud) {
    if (ud == NULL) return;
    pthread_rwlock_destroy(&ud->lock);
    free(ud->keys);
    free(ud->vals);
    free(ud->nodes);
    free(ud->tags);
    free(ud);
}

static void insert_edge(uint64_t *keys, uint32_t *vals, size_t cap, uint64_t key, uint32_t val) {
    size_t mask = cap - 1, i = (size_t)(tb_ud_hash(key) >> 20) & mask;
    while (keys[i] != 0) i = (i + 1) & mask;
    keys[i] = key;
    vals[i] = val;
}

static tb_status grow_edges(tb_udict *ud) {
    size_t ncap = ud->cap ? ud->cap * 2 : 64;
    uint64_t *nk = calloc(ncap, sizeof *nk);
    uint32_t *nv = calloc(ncap, sizeof *nv);
    if (nk == NULL || nv == NULL) {
        free(nk);
        free(nv);
        return TB_ENOMEM;
    }
    for (size_t i = 0; i < ud->cap; i++)
        if (ud->keys[i]) insert_edge(nk, nv, ncap, ud->keys[i], ud->vals[i]);
    free(ud->keys);
    free(ud->vals);
    ud->keys = nk;
    ud->vals = nv;
    ud->cap = ncap;
    return TB_OK;
}

static tb_status intern_tag(tb_udict *ud, const char *tag, uint16_t *id) {
    for (size_t i = 0; i < ud->n_tags; i++)
        if (strcmp(ud->tags[i], tag) == 0) {
            *id = (uint16_t)(i + 1);
            return TB_OK;
        }
    if (ud->n_tags >= TB_UD_MAX_TAGS) return TB_ETOOBIG;
    memset(ud->tags[ud->n_tags], 0, TB_TAG_MAX);
    memcpy(ud->tags[ud->n_tags], tag, strlen(tag));
    *id = (uint16_t)(++ud->n_tags);
    return TB_OK;
}

tb_status tb_udict_set(tb_udict *ud, const uint32_t *cps, size_t n, int64_t freq, const char *tag,
                       tb_error *err) {
    if (n == 0) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "empty word");
    if (freq < 0) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "negative frequency");
    if (tag && strlen(tag) >= TB_TAG_MAX)
        return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "tag longer than %d bytes", TB_TAG_MAX - 1);
    uint16_t tag_id = 0;
    if (tag && *tag && intern_tag(ud, tag, &tag_id) != TB_OK)
        return tb_fail(err, TB_ETOOBIG, TB_AT_NONE, 0, "more than %d distinct user tags",
                       TB_UD_MAX_TAGS);
    /* Reserve room for the whole path first, so a failure leaves no half-added word. */
    if (TB_VEC_RESERVE(ud->nodes, ud->nodes_cap, ud->n_nodes + n) != TB_OK)
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    while ((ud->n_edges + n) * 4 >= ud->cap * 3)
        if (grow_edges(ud) != TB_OK) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    if (ud->n_nodes + n >= TB_UD_NONE) return tb_fail(err, TB_ETOOBIG, TB_AT_NONE, 0, "user dictionary full");
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] > 0x10FFFF) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "bad code point");
        uint32_t child = tb_udict_child(ud, node, cps[i]);
        if (child == TB_UD_NONE) {
            child = (uint32_t)ud->n_nodes++;
            ud->nodes[child].freq = TB_UD_NO_ENTRY;
            ud->nodes[child].tag = 0;
            insert_edge(ud->keys, ud->vals, ud->cap, (((uint64_t)node << 21) | cps[i]) + 1, child);
            ud->n_edges++;
        }
        node = child;
    }
    if (ud->nodes[node].freq == TB_UD_NO_ENTRY) ud->n_entries++;
    ud->nodes[node].freq = freq;
    ud->nodes[node].logf = freq > 0 ? log((double)freq) : 0.0;
    if (tag_id) ud->nodes[node].tag = tag_id;    /* no tag given: keep the old one, as jieba */
    ud->freq_added += (double)freq;
    return TB_OK;
}

uint32_t tb_udict_find(const tb_udict *ud, const uint32_t *cps, size_t n) {
    uint32_t node = 0;
    for (size_t i = 0; i < n && node != TB_UD_NONE; i++) node = tb_udict_child(ud, node, cps[i]);
    return node;
}

const char *tb_udict_tag(const tb_udict *ud, unsigned tag) {
    if (tag == 0 || tag > ud->n_tags) return "";
    return ud->tags[tag - 1];
}

/* ---- parser ---------------------------------------------------------- */

static int is_field_sep(uint8_t c) { return c == ' ' || c == '\t'; }

static int all_digits(const uint8_t *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

static int is_tag(const uint8_t *s, size_t n) {
    if (n == 0 || n >= TB_TAG_MAX) return 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z'))) return 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

static tb_status parse_line(const uint8_t *s, size_t n, size_t lineno, tb_udict_entry_fn fn,
                            void *ctx, tb_error *err) {
    /* Up to three fields, split on spaces/tabs. */
    const uint8_t *f[4];
    size_t fl[4], nf = 0, i = 0;
    while (i < n) {
        while (i < n && is_field_sep(s[i])) i++;
        if (i == n) break;
        size_t st = i;
        while (i < n && !is_field_sep(s[i])) i++;
        if (nf == 3)
            return tb_fail(err, TB_EDICT, TB_AT_LINE, lineno,
                           "line %zu: too many fields (expected: word [freq] [tag])", lineno);
        f[nf] = s + st;
        fl[nf++] = i - st;
    }
    if (nf == 0) return TB_OK;
    for (size_t k = 0; k < fl[0]; k++)
        if (f[0][k] < 0x20 || f[0][k] == 0x7F)
            return tb_fail(err, TB_EDICT, TB_AT_LINE, lineno,
                           "line %zu: control character 0x%02X in word", lineno, f[0][k]);
    if (tb_utf8_valid_prefix(f[0], fl[0]) != fl[0])
        return tb_fail(err, TB_EDICT, TB_AT_LINE, lineno, "line %zu: word is not valid UTF-8", lineno);
    int64_t freq = -1;
    const uint8_t *tag = NULL;
    size_t tag_len = 0;
    size_t k = 1;
    if (k < nf && !(nf == 2 && is_tag(f[1], fl[1]))) {
        if (!all_digits(f[k], fl[k]) || fl[k] > 12)
            return tb_fail(err, TB_EDICT, TB_AT_LINE, lineno,
                           "line %zu: bad frequency '%.*s' (expected a non-negative integer)",
                           lineno, (int)(fl[k] > 40 ? 40 : fl[k]), (const char *)f[k]);
        freq = 0;
        for (size_t j = 0; j < fl[k]; j++) freq = freq * 10 + (f[k][j] - '0');
        k++;
    }
    if (k < nf) {
        if (!is_tag(f[k], fl[k]))
            return tb_fail(err, TB_EDICT, TB_AT_LINE, lineno,
                           "line %zu: bad tag (expected letters, digits or _, at most %d)", lineno,
                           TB_TAG_MAX - 1);
        tag = f[k];
        tag_len = fl[k];
    }
    tb_status st = fn(ctx, f[0], fl[0], freq, (const char *)tag, tag_len);
    if (st != TB_OK)   /* the callback refused the entry: report its line */
        tb_fail(err, st, TB_AT_LINE, lineno, "line %zu: %s", lineno, tb_status_name(st));
    return st;
}

tb_status tb_udict_parse(const uint8_t *buf, size_t len, tb_udict_entry_fn on_entry, void *ctx,
                         tb_error *err) {
    size_t i = 0, lineno = 0;
    if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF) i = 3;
    while (i < len) {
        lineno++;
        size_t st = i;
        while (i < len && buf[i] != '\n') i++;
        size_t end = i;
        if (i < len) i++;                                   /* skip '\n' */
        if (end > st && buf[end - 1] == '\r') end--;
        tb_status s = parse_line(buf + st, end - st, lineno, on_entry, ctx, err);
        if (s != TB_OK) return s;
    }
    return TB_OK;
}
