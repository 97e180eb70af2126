#include "tb_lexicon.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEADER_SIZE 128
static const char MAGIC[8] = {'T', 'B', 'L', 'E', 'X', '0', '0', '6'};

static uint32_t rd32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Is [off, off+size) inside the buffer and `align`-aligned? */
static int in_bounds(size_t len, uint64_t off, uint64_t size, unsigned align) {
    return off % align == 0 && off <= len && size <= len - off;
}

static tb_status parse(tb_lexicon *lex, const uint8_t *b, size_t len, tb_error *err) {
#define BAD(what) tb_fail(err, TB_EFORMAT, TB_AT_BYTE, 0, "corrupt lexicon: %s", what)
    if (len < HEADER_SIZE || memcmp(b, MAGIC, 8) != 0) return BAD("bad magic or truncated header");
    lex->n_nodes = rd32(b + 8);
    lex->n_tags = rd32(b + 12);
    memcpy(&lex->total_freq, b + 16, 8);
    uint32_t off_nodes = rd32(b + 24), off_codes = rd32(b + 28), off_tags = rd32(b + 32),
             off_hmm = rd32(b + 36), file_size = rd32(b + 40);
    lex->n_words = rd32(b + 44);
    uint32_t off_freqs = rd32(b + 48), off_t2s = rd32(b + 52);
    lex->max_code = rd32(b + 56);
    size_t srclen = strnlen((const char *)b + 60, HEADER_SIZE - 60);
    if (srclen >= sizeof lex->source) srclen = sizeof lex->source - 1;
    memcpy(lex->source, b + 60, srclen);
    lex->source[srclen] = 0;

    if (file_size != len) return BAD("size mismatch");
    /* n_slots < 2^31 and max_code < n_slots: base + code cannot wrap */
    if (lex->n_nodes == 0 || lex->n_nodes >= 1u << 31 || lex->max_code >= lex->n_nodes ||
        !in_bounds(len, off_nodes, (uint64_t)lex->n_nodes * 16, 8))
        return BAD("node table out of bounds");
    if (!in_bounds(len, off_freqs, (uint64_t)lex->n_nodes * 4, 4)) return BAD("freqs out of bounds");
    if (!in_bounds(len, off_codes, 65536u * 2 + 4, 4)) return BAD("code table out of bounds");
    lex->code16 = (const uint16_t *)(b + off_codes);
    lex->n_astral = rd32(b + off_codes + 65536u * 2);
    if (!in_bounds(len, (uint64_t)off_codes + 65536u * 2 + 4, (uint64_t)lex->n_astral * 8, 4))
        return BAD("code table out of bounds");
    lex->astral = (const uint32_t *)(b + off_codes + 65536u * 2 + 4);
    for (uint32_t cp = 0; cp < 65536; cp++)
        if (lex->code16[cp] > lex->max_code) return BAD("character code");
    for (uint32_t i = 0; i < lex->n_astral; i++)
        if (lex->astral[2 * i] < 65536 || lex->astral[2 * i] > 0x10FFFF || lex->astral[2 * i + 1] > lex->max_code ||
            (i && lex->astral[2 * i] <= lex->astral[2 * i - 2]))
            return BAD("character code beyond the BMP");
    if (!in_bounds(len, off_t2s, 4, 4)) return BAD("t2s out of bounds");
    lex->n_t2s = rd32(b + off_t2s);
    if (!in_bounds(len, (uint64_t)off_t2s + 4, (uint64_t)lex->n_t2s * 8, 4)) return BAD("t2s out of bounds");
    lex->t2s = (const uint32_t *)(b + off_t2s + 4);
    for (uint32_t i = 1; i < lex->n_t2s; i++)
        if (lex->t2s[2 * i] <= lex->t2s[2 * i - 2]) return BAD("t2s order");
    if (!in_bounds(len, off_tags, (uint64_t)lex->n_tags * 8, 1)) return BAD("tags out of bounds");
    if (!(lex->total_freq > 0)) return BAD("total frequency not positive");
    lex->nodes = (const tb_lex_node *)(b + off_nodes);
    lex->freqs = (const uint32_t *)(b + off_freqs);
    lex->tags = (const char(*)[8])(b + off_tags);
    for (uint32_t t = 0; t < lex->n_tags; t++)
        if (memchr(lex->tags[t], 0, 8) == NULL) return BAD("tag not NUL-terminated");

    /* Structural checks, which make every walk safe: any base + code is a
     * slot of the array; a used slot's parent is a used slot (or the root)
     * whose base puts the child there with a code in 1..max_code, and is not
     * a leaf; so a leaf's base 0 and a code 0 match nobody. The raw
     * frequencies are not read here: any value is safe (a word with
     * frequency 0 counts as no word), and their pages stay untouched until
     * a lookup needs them. */
    const tb_lex_node *nd = lex->nodes;
    if (nd[0].base != 0 || nd[0].check != TB_LEX_EMPTY) return BAD("root");
    for (uint32_t i = 0; i < lex->n_nodes; i++) {
        const tb_lex_node *n = &nd[i];
        if (n->check == TB_LEX_EMPTY) {
            if (i && (n->base || n->flags)) return BAD("free slot");
            continue;
        }
        uint32_t p = n->check;
        if (p >= lex->n_nodes || (p && (nd[p].check == TB_LEX_EMPTY || nd[p].base == 0)) ||
            i <= nd[p].base || i - nd[p].base > lex->max_code)
            return BAD("child slot");
        if ((uint64_t)n->base + lex->max_code >= lex->n_nodes) return BAD("base");
        if (n->tag >= lex->n_tags && lex->n_tags) return BAD("tag id");
        if ((n->flags & ~(TB_LEX_WORD | TB_LEX_DOMAIN | TB_LEX_RARE_LONG)) ||
            ((n->flags & TB_LEX_RARE_LONG) && !(n->flags & TB_LEX_WORD)))
            return BAD("node flags");
    }

    const uint8_t *h = b + off_hmm;
    if (!in_bounds(len, off_hmm, 20 * 8 + 16, 8)) return BAD("hmm out of bounds");
    memcpy(lex->hmm.start, h, sizeof lex->hmm.start);
    memcpy(lex->hmm.trans, h + 32, sizeof lex->hmm.trans);
    uint64_t pos = off_hmm + 160;
    for (int s = 0; s < 4; s++) lex->hmm.n_emit[s] = rd32(b + pos + 4 * s);
    pos += 16;
    for (int s = 0; s < 4; s++) {
        uint64_t n = lex->hmm.n_emit[s];
        if (!in_bounds(len, pos, n * 8, 4)) return BAD("hmm emission table out of bounds");
        lex->hmm.emit_cp[s] = (const uint32_t *)(b + pos);
        lex->hmm.emit_lp[s] = (const float *)(b + pos + n * 4);
        for (uint64_t i = 1; i < n; i++)
            if (lex->hmm.emit_cp[s][i] <= lex->hmm.emit_cp[s][i - 1]) return BAD("hmm emission order");
        pos += n * 8;
    }
    if (!in_bounds(len, pos, (uint64_t)TB_HMM_CJK_N * 16, 4)) return BAD("hmm direct table out of bounds");
    lex->hmm.emit_cjk = (const float(*)[4])(b + pos);
    return TB_OK;
#undef BAD
}

tb_status tb_lexicon_from_buffer(const void *buf, size_t len, tb_lexicon **out, tb_error *err) {
    tb_lexicon *lex = calloc(1, sizeof *lex);
    if (lex == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    tb_status st = parse(lex, buf, len, err);
    if (st != TB_OK) {
        free(lex);
        return st;
    }
    *out = lex;
    return TB_OK;
}

tb_status tb_lexicon_open(const char *path, tb_lexicon **out, tb_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (err) err->sys_errno = errno;
        return tb_fail(err, TB_EIO, TB_AT_NONE, 0, "cannot open lexicon %s: %s", path, strerror(errno));
    }
    struct stat stbuf;
    if (fstat(fd, &stbuf) != 0 || !S_ISREG(stbuf.st_mode) || stbuf.st_size <= 0) {
        int e = errno;
        close(fd);
        if (err) err->sys_errno = e;
        return tb_fail(err, TB_EIO, TB_AT_NONE, 0, "lexicon %s is not a readable regular file", path);
    }
    size_t len = (size_t)stbuf.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (map == MAP_FAILED) {
        if (err) err->sys_errno = e;
        return tb_fail(err, TB_EIO, TB_AT_NONE, 0, "cannot map lexicon %s: %s", path, strerror(e));
    }
    tb_status st = tb_lexicon_from_buffer(map, len, out, err);
    if (st != TB_OK) {
        munmap(map, len);
        return st;
    }
    (*out)->map = map;
    (*out)->map_len = len;
    return TB_OK;
}

void tb_lexicon_close(tb_lexicon *lex) {
    if (lex == NULL) return;
    if (lex->map) munmap(lex->map, lex->map_len);
    free(lex);
}

uint32_t tb_lexicon_find(const tb_lexicon *lex, const uint32_t *cps, size_t n) {
    uint32_t node = TB_LEX_ROOT;
    for (size_t i = 0; i < n && node != TB_LEX_NONE; i++) node = tb_lex_child(lex, node, cps[i]);
    return node;
}

const char *tb_lexicon_tag(const tb_lexicon *lex, unsigned tag) {
    if (tag == 0 || tag >= lex->n_tags) return "";
    return lex->tags[tag];
}
