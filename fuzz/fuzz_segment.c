/* Fuzz the tokenizer: tb_segment in every mode and style, with and without
 * the HMM, over a fresh segmenter carrying a user dictionary.
 *
 * Input: one option byte (bits 0-1 mode, 2-3 style, 4 HMM), then
 * `user dictionary 0xFF text` or just `text` (0xFF never occurs in UTF-8,
 * so it cannot be part of either). The user dictionary is parsed with
 * tb_udict_parse and loaded word by word, as load_userdict does.
 *
 * Invariants:
 *   - tb_segment succeeds exactly when the text decodes (lone surrogates
 *     allowed); otherwise TB_EUTF8 at a byte offset inside the text;
 *   - every token has start < end <= n, a known kind, a tag with a name;
 *   - default mode: the tokens partition the text, in order;
 *   - search mode: the default-mode tokens appear in order, each preceded
 *     only by shorter tokens inside it;
 *   - full mode: starts never go back and the tokens cover the text;
 *   - every user word that was added reports its frequency back. */
#include "fuzz_common.h"

#include "core/tb_segment.h"
#include "core/tb_udict.h"
#include "core/tb_utf8.h"

typedef struct {
    tb_segmenter *seg;
    int n_added;
} load_ctx;

static tb_status add_entry(void *vctx, const uint8_t *word, size_t wlen, int64_t freq,
                           const char *tag, size_t tag_len) {
    load_ctx *c = vctx;
    char tagbuf[TB_TAG_MAX];
    const char *t = NULL;
    if (tag) {
        FZ_CHECK(tag_len > 0 && tag_len < TB_TAG_MAX);
        memcpy(tagbuf, tag, tag_len);
        tagbuf[tag_len] = '\0';
        t = tagbuf;
    }
    if (freq < 0) freq = 3;   /* the Python layer suggests one; any positive value will do */
    tb_error e = {0};
    if (tb_segmenter_set_word(c->seg, word, wlen, freq, t, &e) != TB_OK) return TB_OK;
    int64_t got = -1;
    FZ_CHECK(tb_segmenter_word_freq(c->seg, word, wlen, &got) == 1);
    FZ_CHECK(got == freq);
    c->n_added++;
    return TB_OK;
}

static void check_token(const tb_segmenter *seg, const tb_token *t, size_t n) {
    FZ_CHECK(t->start < t->end && t->end <= n);
    FZ_CHECK(t->kind <= TB_K_PUNCT);
    FZ_CHECK(tb_segmenter_tag(seg, t->tag) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    uint8_t opt = fz_take(&data, &size);
    tb_mode mode = (tb_mode)((opt & 3) % 3);
    tb_style style = (tb_style)(((opt >> 2) & 3) % 3);
    int opts = (opt & 0x10) ? TB_OPT_HMM : 0;

    const uint8_t *text = data, *sep = memchr(data, 0xFF, size);
    size_t text_len = size;
    tb_error e = {0};
    tb_segmenter seg;
    FZ_CHECK(tb_segmenter_init(&seg, fz_lex, fz_folder, style, &e) == TB_OK);
    if (sep) {
        load_ctx c = {&seg, 0};
        tb_status s = tb_udict_parse(data, (size_t)(sep - data), add_entry, &c, &e);
        if (s != TB_OK) FZ_CHECK(e.unit == TB_AT_LINE && e.offset >= 1);
        text = sep + 1;
        text_len = size - (size_t)(sep - data) - 1;
    }

    /* The reference: does the text decode, and to how many code points? */
    uint32_t *cps = malloc((text_len + 1) * sizeof *cps);
    FZ_CHECK(cps != NULL);
    size_t n = 0;
    tb_error de = {0};
    tb_status ds = tb_utf8_decode(text, text_len, 1, cps, &n, &de);
    free(cps);

    tb_tokens toks = {0}, acc = {0};
    tb_status s = tb_segment(&seg, text, text_len, mode, opts, &toks, &e);
    if (ds != TB_OK) {
        FZ_CHECK(s == TB_EUTF8 && e.unit == TB_AT_BYTE && e.offset < text_len);
        FZ_CHECK(e.offset == de.offset);
    } else {
        FZ_CHECK(s == TB_OK);
        FZ_CHECK(n == 0 || toks.n > 0);
        for (size_t k = 0; k < toks.n; k++) check_token(&seg, &toks.v[k], n);
        if (mode == TB_MODE_DEFAULT) {
            size_t pos = 0;
            for (size_t k = 0; k < toks.n; k++) {
                FZ_CHECK(toks.v[k].start == pos);
                pos = toks.v[k].end;
            }
            FZ_CHECK(pos == n);
        } else if (mode == TB_MODE_SEARCH) {
            FZ_CHECK(tb_segment(&seg, text, text_len, TB_MODE_DEFAULT, opts, &acc, &e) == TB_OK);
            size_t j = 0;
            for (size_t k = 0; k < toks.n; k++) {
                const tb_token *t = &toks.v[k];
                FZ_CHECK(j < acc.n);
                if (t->start == acc.v[j].start && t->end == acc.v[j].end) {
                    j++;
                } else {   /* a sub-word of the coming default token */
                    FZ_CHECK(t->start >= acc.v[j].start && t->end <= acc.v[j].end);
                    FZ_CHECK(t->end - t->start < acc.v[j].end - acc.v[j].start);
                }
            }
            FZ_CHECK(j == acc.n);
        } else {
            size_t covered = 0, last_start = 0;
            for (size_t k = 0; k < toks.n; k++) {
                const tb_token *t = &toks.v[k];
                FZ_CHECK(t->start >= last_start);
                FZ_CHECK(t->start <= covered);   /* no gap */
                last_start = t->start;
                if (t->end > covered) covered = t->end;
            }
            FZ_CHECK(covered == n);
        }
    }
    free(toks.v);
    free(acc.v);
    tb_segmenter_destroy(&seg);
    return 0;
}
