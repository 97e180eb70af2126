/* Fuzz the user-dictionary parser (tb_udict_parse, as mod_parse_userdict
 * calls it for load_userdict) and the user dictionary it fills.
 *
 * Input: the dictionary file's bytes.
 *
 * Invariants:
 *   - every entry: a non-empty word that is valid UTF-8 without field
 *     separators or control characters; freq -1 (absent) or a non-negative
 *     integer; a tag of 1..TB_TAG_MAX-1 letters, digits or _;
 *   - entries arrive in line order, and an entry is reported for each line
 *     that has fields;
 *   - a parse error is TB_EDICT with a 1-based line number no greater than
 *     the number of lines, and the parse up to the line before it succeeds;
 *   - each entry set into a user dictionary reads back with its frequency. */
#include "fuzz_common.h"

#include "core/tb_segment.h"
#include "core/tb_udict.h"
#include "core/tb_utf8.h"

typedef struct {
    tb_segmenter *seg;
    size_t n_entries;
} ctx;

static int is_tag_byte(uint8_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static tb_status on_entry(void *vctx, const uint8_t *word, size_t wlen, int64_t freq,
                          const char *tag, size_t tag_len) {
    ctx *c = vctx;
    FZ_CHECK(wlen > 0);
    FZ_CHECK(tb_utf8_valid_prefix(word, wlen) == wlen);
    for (size_t i = 0; i < wlen; i++) FZ_CHECK(word[i] >= 0x20 && word[i] != 0x7F);
    FZ_CHECK(freq >= -1);
    char tagbuf[TB_TAG_MAX];
    if (tag) {
        FZ_CHECK(tag_len >= 1 && tag_len < TB_TAG_MAX);
        for (size_t i = 0; i < tag_len; i++) FZ_CHECK(is_tag_byte((uint8_t)tag[i]));
        memcpy(tagbuf, tag, tag_len);
        tagbuf[tag_len] = '\0';
    }
    c->n_entries++;
    if (c->seg) {
        int64_t f = freq < 0 ? 1 : freq;
        tb_error e = {0};
        if (tb_segmenter_set_word(c->seg, word, wlen, f, tag ? tagbuf : NULL, &e) == TB_OK) {
            int64_t got = -1;
            FZ_CHECK(tb_segmenter_word_freq(c->seg, word, wlen, &got) == 1 && got == f);
        } else {
            FZ_CHECK(e.status != TB_OK && e.message[0] != '\0');
        }
    }
    return TB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    tb_segmenter seg;
    tb_error e = {0};
    FZ_CHECK(tb_segmenter_init(&seg, fz_lex, fz_folder, TB_STYLE_DEFAULT, &e) == TB_OK);
    ctx c = {&seg, 0};
    tb_status s = tb_udict_parse(data, size, on_entry, &c, &e);
    size_t n_lines = 1;
    for (size_t i = 0; i < size; i++) n_lines += data[i] == '\n';
    if (s != TB_OK) {
        FZ_CHECK(s == TB_EDICT && e.status == TB_EDICT);
        FZ_CHECK(e.unit == TB_AT_LINE && e.offset >= 1 && e.offset <= n_lines);
        FZ_CHECK(e.message[0] != '\0');
        /* Everything before the bad line parses. */
        size_t line = 1, i = 0;
        while (line < e.offset) {
            const uint8_t *nl = memchr(data + i, '\n', size - i);
            FZ_CHECK(nl != NULL);
            i = (size_t)(nl - data) + 1;
            line++;
        }
        ctx c2 = {NULL, 0};
        tb_error e2 = {0};
        FZ_CHECK(tb_udict_parse(data, i, on_entry, &c2, &e2) == TB_OK);
        FZ_CHECK(c2.n_entries == c.n_entries);
    }
    tb_segmenter_destroy(&seg);
    return 0;
}
