/* Unit tests of the C engine, without Python: run as
 *   tests/c/build/test_core path/to/lexicon.bin
 * Prints one line per failure and a final "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_encoding.h"
#include "core/tb_fold.h"
#include "core/tb_hmm.h"
#include "core/tb_icubreak.h"
#include "core/tb_lexicon.h"
#include "core/tb_segment.h"
#include "core/tb_udict.h"
#include "core/tb_utf8.h"

#include "check.h"

static tb_lexicon *lex;
static tb_folder *folder;

/* Segment and render tokens as "a|b|c" (by code point offsets into the input). */
static char *seg_str(tb_segmenter *seg, const char *text, tb_mode mode, int opts) {
    static char out[4096];
    tb_tokens t = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_segment(seg, (const uint8_t *)text, strlen(text), mode, opts, &t, &e) != TB_OK) {
        snprintf(out, sizeof out, "ERROR: %s", e.message);
        return out;
    }
    /* map code point offsets to byte offsets */
    size_t len = strlen(text), ncp = 0, map[1024];
    for (size_t i = 0; i < len && ncp < 1023;) {
        uint32_t cp;
        size_t k = tb_utf8_next((const uint8_t *)text + i, len - i, 1, &cp);
        map[ncp++] = i;
        i += k ? k : 1;
    }
    map[ncp] = len;
    size_t o = 0;
    for (size_t i = 0; i < t.n && o < sizeof out - 64; i++) {
        size_t a = map[t.v[i].start], b = map[t.v[i].end];
        if (i) out[o++] = '|';
        memcpy(out + o, text + a, b - a);
        o += b - a;
    }
    out[o] = 0;
    free(t.v);
    return out;
}

static void test_utf8(void) {
    uint32_t cps[16];
    size_t n;
    tb_error e = {0};
    CHECK(tb_utf8_decode((const uint8_t *)"a\xe4\xb8\xad", 4, 0, cps, &n, &e) == TB_OK && n == 2 &&
          cps[1] == 0x4E2D);
    CHECK(tb_utf8_decode((const uint8_t *)"ab\xff", 3, 0, cps, &n, &e) == TB_EUTF8 && e.offset == 2);
    CHECK(tb_utf8_decode((const uint8_t *)"\xed\xa0\x80", 3, 0, cps, &n, &e) == TB_EUTF8);
    CHECK(tb_utf8_decode((const uint8_t *)"\xed\xa0\x80", 3, 1, cps, &n, &e) == TB_OK && cps[0] == 0xD800);
    CHECK(tb_utf8_decode((const uint8_t *)"\xc0\x80", 2, 1, cps, &n, &e) == TB_EUTF8);   /* overlong NUL */
    CHECK(tb_utf8_valid_prefix((const uint8_t *)"ok\xe4\xb8", 4) == 2);                  /* truncated */

    /* measure + decode_units: a str's layout of each width */
    uint32_t max = 0;
    CHECK(tb_utf8_measure((const uint8_t *)"", 0, &n, &max) == 1 && n == 0 && max == 0);
    CHECK(tb_utf8_measure((const uint8_t *)"ab\xc3\xa9", 4, &n, &max) == 1 && n == 3 && max == 0xE9);
    uint8_t u1[4];
    tb_utf8_decode_units((const uint8_t *)"ab\xc3\xa9", 4, 1, u1);
    CHECK(u1[0] == 'a' && u1[2] == 0xE9);
    CHECK(tb_utf8_measure((const uint8_t *)"a\xe4\xb8\xad", 4, &n, &max) == 1 && n == 2 && max == 0x4E2D);
    uint16_t u2[2];
    tb_utf8_decode_units((const uint8_t *)"a\xe4\xb8\xad", 4, 2, u2);
    CHECK(u2[0] == 'a' && u2[1] == 0x4E2D);
    CHECK(tb_utf8_measure((const uint8_t *)"\xf0\x9f\x98\x80x", 5, &n, &max) == 1 && n == 2 && max == 0x1F600);
    uint32_t u4[2];
    tb_utf8_decode_units((const uint8_t *)"\xf0\x9f\x98\x80x", 5, 4, u4);
    CHECK(u4[0] == 0x1F600 && u4[1] == 'x');
    CHECK(tb_utf8_measure((const uint8_t *)"\xed\xa0\x80", 3, &n, &max) == 0);      /* a surrogate */
    CHECK(tb_utf8_measure((const uint8_t *)"ok\xe4\xb8", 4, &n, &max) == 0);         /* truncated */
    CHECK(tb_utf8_measure((const uint8_t *)"\xf4\x90\x80\x80", 4, &n, &max) == 0); /* > U+10FFFF */
    tb_utf8_units u;
    CHECK(tb_utf8_to_units((const uint8_t *)"a\xe4\xb8\xad", 4, &u) == 1 && u.n == 2 && u.width == 2 &&
          ((uint16_t *)u.units)[1] == 0x4E2D);
    free(u.units);
    CHECK(tb_utf8_to_units((const uint8_t *)"\xef\xbb\xbf" "a", 4, &u) == 0 && u.units == NULL);   /* a BOM */
    CHECK(tb_utf8_to_units((const uint8_t *)"", 0, &u) == 0 && u.units == NULL);
    CHECK(tb_utf8_to_units((const uint8_t *)"a\xff", 2, &u) == 0 && u.units == NULL);
}

static void test_fold(void) {
    uint8_t cls;
    CHECK(tb_folder_one(folder, 0xFF13, &cls) == '3' && cls == TB_C_DIGIT);    /* ３ */
    CHECK(tb_folder_one(folder, 0xFF21, &cls) == 'A' && cls == TB_C_ALPHA);    /* Ａ */
    CHECK(tb_folder_one(folder, 0x912D, &cls) == 0x90D1 && cls == TB_C_HAN);   /* 鄭 -> 郑 */
    CHECK(tb_folder_one(folder, 0x78BA, NULL) == 0x786E);                      /* 確 -> 确 */
    CHECK(tb_folder_one(folder, 0x3000, &cls) == ' ' && cls == TB_C_SPACE);    /* ideographic space */
    CHECK(tb_folder_one(folder, 0x0301, &cls) == 0x0301 && cls == TB_C_EXTEND);
    CHECK(tb_folder_one(folder, 0xD800, &cls) == 0xD800 && cls == TB_C_OTHER);
    CHECK(tb_folder_one(folder, 0x25CB, &cls) == 0x3007 && cls == TB_C_HAN);   /* ○ as zero */
    CHECK(tb_folder_one(folder, 0xFFEE, &cls) == 0x3007 && cls == TB_C_HAN);   /* ￮ (NFKC ○) as zero */
}

static void test_segment(void) {
    tb_segmenter seg;
    tb_error e = {0};
    CHECK(tb_segmenter_init(&seg, lex, folder, TB_STYLE_DEFAULT, &e) == TB_OK);
    CHECK(strcmp(seg_str(&seg, "我来到北京清华大学", TB_MODE_DEFAULT, TB_OPT_HMM), "我|来到|北京|清华大学") == 0);
    CHECK(strcmp(seg_str(&seg, "", TB_MODE_DEFAULT, TB_OPT_HMM), "") == 0);
    /* numbers and Latin runs stay whole */
    CHECK(strstr(seg_str(&seg, "覆盖118,406人", TB_MODE_DEFAULT, TB_OPT_HMM), "|118,406|") != NULL);
    CHECK(strstr(seg_str(&seg, "达95.82%。", TB_MODE_DEFAULT, TB_OPT_HMM), "|95.82%|") != NULL);
    CHECK(strncmp(seg_str(&seg, "COVID-19疫苗", TB_MODE_DEFAULT, TB_OPT_HMM), "COVID-19|", 9) == 0);
    /* traditional input segments like simplified */
    CHECK(strcmp(seg_str(&seg, "鄭州市確診病例", TB_MODE_DEFAULT, TB_OPT_HMM), "鄭州市|確診病例") == 0);
    /* whitespace kept, \r\n one token */
    CHECK(strcmp(seg_str(&seg, "密接 \r\n次密接", TB_MODE_DEFAULT, TB_OPT_HMM), "密接| |\r\n|次密接") == 0);
    /* domain vocabulary */
    CHECK(strcmp(seg_str(&seg, "应隔尽隔", TB_MODE_DEFAULT, TB_OPT_HMM), "应隔尽隔") == 0);
    /* a combining mark stays with its base even after a number (found by
     * fuzz_segment: the number span 3分 ended between 分 and the mark, and
     * the best path then read an undefined route) */
    CHECK(strcmp(seg_str(&seg, "3分\u0E4B十", TB_MODE_DEFAULT, TB_OPT_HMM), "3|分\u0E4B|十") == 0);
    /* full mode */
    CHECK(strcmp(seg_str(&seg, "我来到北京清华大学", TB_MODE_ALL, TB_OPT_HMM),
                 "我|来到|北京|清华|清华大学|华大|大学") == 0);
    /* search mode adds sub-words before the long word */
    CHECK(strcmp(seg_str(&seg, "中国科学院", TB_MODE_SEARCH, TB_OPT_HMM), "中国|科学|学院|科学院|中国科学院") == 0);

    /* user words take effect and can be deleted */
    int64_t f = 0;
    CHECK(tb_segmenter_word_freq(&seg, (const uint8_t *)"钱星宇", 9, &f) == 0);
    CHECK(strcmp(seg_str(&seg, "钱星宇主持", TB_MODE_DEFAULT, 0), "钱|星|宇|主持") == 0);
    CHECK(tb_segmenter_set_word(&seg, (const uint8_t *)"钱星宇", 9, 1000, "nr", &e) == TB_OK);
    CHECK(strcmp(seg_str(&seg, "钱星宇主持", TB_MODE_DEFAULT, 0), "钱星宇|主持") == 0);
    CHECK(tb_segmenter_word_freq(&seg, (const uint8_t *)"钱星宇", 9, &f) == 1 && f == 1000);
    CHECK(tb_segmenter_set_word(&seg, (const uint8_t *)"清华大学", 12, 0, NULL, &e) == TB_OK);
    CHECK(strcmp(seg_str(&seg, "清华大学", TB_MODE_DEFAULT, TB_OPT_HMM), "清华|大学") == 0);
    CHECK(tb_segmenter_set_word(&seg, (const uint8_t *)"", 0, 5, NULL, &e) == TB_EINVAL);
    tb_segmenter_destroy(&seg);

    CHECK(tb_segmenter_init(&seg, lex, folder, TB_STYLE_PKU, &e) == TB_OK);
    CHECK(strstr(seg_str(&seg, "2001年新年", TB_MODE_DEFAULT, TB_OPT_HMM), "2001年|") != NULL);
    tb_segmenter_destroy(&seg);
}

/* Do tb_segment over UTF-8 and tb_segment_cps over the same text's code
 * points (every width that can hold them) give the same tokens? */
static int same_tokens_cps(tb_segmenter *seg, const char *text, tb_mode mode) {
    size_t len = strlen(text), n = 0;
    uint32_t *u32 = malloc((len + 1) * sizeof *u32);
    uint16_t *u16 = malloc((len + 1) * sizeof *u16);
    uint8_t *u8 = malloc(len + 1);
    tb_error e = {0};
    int ok = tb_utf8_decode((const uint8_t *)text, len, 1, u32, &n, &e) == TB_OK;
    uint32_t max = 0;
    for (size_t i = 0; i < n; i++) max = u32[i] > max ? u32[i] : max;
    for (size_t i = 0; i < n; i++) {
        u16[i] = (uint16_t)u32[i];
        u8[i] = (uint8_t)u32[i];
    }
    tb_tokens ref = {0};
    ok = ok && tb_segment(seg, (const uint8_t *)text, len, mode, TB_OPT_HMM, &ref, &e) == TB_OK;
    const void *arrays[3] = {u32, u16, u8};
    const int widths[3] = {4, 2, 1};
    for (int w = 0; w < 3 && ok; w++) {
        if ((widths[w] == 2 && max > 0xFFFF) || (widths[w] == 1 && max > 0xFF)) continue;
        tb_tokens t = {0};
        ok = tb_segment_cps(seg, arrays[w], n, widths[w], mode, TB_OPT_HMM, &t, &e) == TB_OK && t.n == ref.n &&
             (t.n == 0 || memcmp(t.v, ref.v, t.n * sizeof *t.v) == 0);
        free(t.v);
    }
    free(ref.v);
    free(u32);
    free(u16);
    free(u8);
    return ok;
}

static void test_segment_cps(void) {
    tb_segmenter seg;
    tb_error e = {0};
    CHECK(tb_segmenter_init(&seg, lex, folder, TB_STYLE_DEFAULT, &e) == TB_OK);
    const char *texts[] = {"", "abc 123, x.y\r\n", "我来到北京清华大学", "覆盖118,406人，达95.82%。COVID-19疫苗",
                           "鄭州市確診病例 \r\n次密接——", "e\xcc\x81t\xc3\xa9 caf\xc3\xa9",
                           "\xf0\x9f\x98\x80病例\xf0\xa0\x80\x80一二三", "\xed\xa0\x80孤立代理"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        CHECK(same_tokens_cps(&seg, texts[i], TB_MODE_DEFAULT));
        CHECK(same_tokens_cps(&seg, texts[i], TB_MODE_ALL));
        CHECK(same_tokens_cps(&seg, texts[i], TB_MODE_SEARCH));
    }
    /* a run of 100 single characters for the HMM (longer than its inline scratch) */
    uint32_t run[100];
    for (size_t i = 0; i < 100; i++) run[i] = 0x4E00 + (uint32_t)(i * 7919 % 20000);
    tb_tokens hr = {0};
    CHECK(tb_segment_cps(&seg, run, 100, 4, TB_MODE_DEFAULT, TB_OPT_HMM, &hr, &e) == TB_OK && hr.n > 0 &&
          hr.v[0].start == 0 && hr.v[hr.n - 1].end == 100);
    int covered = 1;
    for (size_t i = 1; i < hr.n; i++) covered &= hr.v[i].start == hr.v[i - 1].end;
    CHECK(covered);
    free(hr.v);
    /* the Viterbi decoder itself, inline scratch then heap scratch */
    tb_hmm_scratch hs;
    memset(&hs, 0, sizeof hs);
    uint32_t ends[100];
    for (size_t len = 10; len <= 100; len += 90) {
        size_t nw = 0;
        CHECK(tb_hmm_cut(&lex->hmm, run, len, &hs, ends, &nw) == TB_OK && nw > 0 && ends[nw - 1] == len);
        int increasing = 1;
        for (size_t i = 1; i < nw; i++) increasing &= ends[i] > ends[i - 1];
        CHECK(increasing);
    }
    tb_hmm_scratch_free(&hs);
    uint32_t bad[2] = {0x4E00, 0x110000};
    tb_tokens t = {0};
    CHECK(tb_segment_cps(&seg, bad, 2, 4, TB_MODE_DEFAULT, 0, &t, &e) == TB_EINVAL);
    CHECK(tb_segment_cps(&seg, bad, 2, 3, TB_MODE_DEFAULT, 0, &t, &e) == TB_EINVAL);
    free(t.v);
    tb_segmenter_destroy(&seg);
}

static tb_status count_entry(void *ctx, const uint8_t *w, size_t wl, int64_t freq, const char *tag, size_t tl) {
    (void)w; (void)wl; (void)freq; (void)tag; (void)tl;
    ++*(int *)ctx;
    return TB_OK;
}

static void test_userdict_parse(void) {
    int n = 0;
    tb_error e = {0};
    const char *good = "\xef\xbb\xbf云计算 5 n\n\n创新办 3 i\r\n凱特琳 nz\n台中\n";
    CHECK(tb_udict_parse((const uint8_t *)good, strlen(good), count_entry, &n, &e) == TB_OK && n == 4);
    const char *badfreq = "a 1\nb x1 n\n";
    n = 0;
    CHECK(tb_udict_parse((const uint8_t *)badfreq, strlen(badfreq), count_entry, &n, &e) == TB_EDICT &&
          e.unit == TB_AT_LINE && e.offset == 2);
    const char *garbage = "ok\n\x01\x02\xff\xfe\n";
    CHECK(tb_udict_parse((const uint8_t *)garbage, strlen(garbage), count_entry, &n, &e) == TB_EDICT &&
          e.offset == 2);
    const char *many = "a 1 n extra\n";
    CHECK(tb_udict_parse((const uint8_t *)many, strlen(many), count_entry, &n, &e) == TB_EDICT && e.offset == 1);
}

static void test_encoding(void) {
    uint8_t *out = NULL;
    size_t len = 0;
    char name[TB_ENCODING_NAME_MAX];
    tb_error e = {0};
    /* 郑州市确诊病例 in GB18030 */
    const char gb[] = "\xd6\xa3\xd6\xdd\xca\xd0\xc8\xb7\xd5\xef\xb2\xa1\xc0\xfd";
    CHECK(tb_decode_bytes((const uint8_t *)gb, sizeof gb - 1, NULL, &out, &len, name, &e) == TB_OK &&
          strcmp((char *)out, "郑州市确诊病例") == 0);
    free(out);
    const char u16[] = "\xff\xfe\xd1\x90\xde\x5d";   /* BOM + 郑州 */
    CHECK(tb_decode_bytes((const uint8_t *)u16, 6, NULL, &out, &len, name, &e) == TB_OK &&
          strcmp(name, "UTF-16LE") == 0 && strcmp((char *)out, "郑州") == 0);
    free(out);
    CHECK(tb_decode_bytes((const uint8_t *)"abc", 3, NULL, &out, &len, name, &e) == TB_OK &&
          strcmp(name, "UTF-8") == 0);
    free(out);
    CHECK(tb_decode_bytes((const uint8_t *)"abc", 3, "no-such-encoding", &out, &len, name, &e) == TB_EENCODING);
    CHECK(tb_decode_bytes((const uint8_t *)"a\xff", 2, "UTF-8", &out, &len, name, &e) == TB_EDECODE &&
          e.offset == 1);
}

static void test_icubreak(void) {
    tb_icubreak *b = NULL;
    tb_error e = {0};
    CHECK(tb_icubreak_new(&b, &e) == TB_OK);
    tb_tokens t = {0};
    const char *s = "郑州市 2022";
    CHECK(tb_icubreak_segment(b, folder, (const uint8_t *)s, strlen(s), &t, &e) == TB_OK && t.n >= 3 &&
          t.v[t.n - 1].end == 8 && t.v[0].start == 0);
    free(t.v);
    tb_icubreak_free(b);
}

static void test_corrupt_lexicon(void) {
    /* Truncations and bit flips of the real file give TB_EFORMAT or a lexicon
     * that still validates; never a crash (run this under ASan). */
    size_t len = lex->map_len;
    uint8_t *copy = malloc(len);
    memcpy(copy, lex->map, len);
    tb_lexicon *l2 = NULL;
    tb_error e = {0};
    CHECK(tb_lexicon_from_buffer(copy, 100, &l2, &e) == TB_EFORMAT);
    CHECK(tb_lexicon_from_buffer(copy, len - 1, &l2, &e) == TB_EFORMAT);
    srand(7);
    int ok = 1;
    for (int i = 0; i < 200; i++) {
        size_t pos = (size_t)rand() % 128;   /* header fields: offsets and counts */
        uint8_t old = copy[pos];
        copy[pos] ^= (uint8_t)(1u << (rand() % 8));
        tb_status s = tb_lexicon_from_buffer(copy, len, &l2, &e);
        if (s == TB_OK) tb_lexicon_close(l2);
        else if (s != TB_EFORMAT) ok = 0;
        copy[pos] = old;
    }
    CHECK(ok);

    /* Bit flips in the double array itself (a slot's base or check, the hot
     * front and anywhere): validation rejects the file, or every walk over
     * it stays inside the array -- segmenting still works (ASan watches
     * this in make sanitize). */
    uint32_t n_slots, off_nodes;
    memcpy(&n_slots, copy + 8, 4);
    memcpy(&off_nodes, copy + 24, 4);
    const char *text = "新冠肺炎疫情防控指挥部通报：郑州市新增本土确诊病例35例，中华人民共和国国务院。";
    int accepted = 0, rejected = 0;
    ok = 1;
    for (int i = 0; i < 400; i++) {
        uint32_t slot = (uint32_t)rand() % (i % 2 ? n_slots : (n_slots < 30000 ? n_slots : 30000));
        size_t pos = off_nodes + 16 * (size_t)slot + (size_t)(rand() % 8);
        uint8_t old = copy[pos];
        copy[pos] ^= (uint8_t)(1u << (rand() % 8));
        tb_status s = tb_lexicon_from_buffer(copy, len, &l2, &e);
        if (s == TB_OK) {
            accepted++;
            tb_segmenter seg;
            tb_tokens t = {0};
            if (tb_segmenter_init(&seg, l2, folder, TB_STYLE_DEFAULT, &e) != TB_OK ||
                tb_segment(&seg, (const uint8_t *)text, strlen(text), TB_MODE_DEFAULT, TB_OPT_HMM, &t, &e) != TB_OK ||
                t.n == 0 || t.v[t.n - 1].end != 40)
                ok = 0;
            free(t.v);
            tb_segmenter_destroy(&seg);
            tb_lexicon_close(l2);
        } else if (s == TB_EFORMAT) {
            rejected++;
        } else {
            ok = 0;
        }
        copy[pos] = old;
    }
    CHECK(ok && accepted > 0 && rejected > 0);
    free(copy);
}

static void test_double_array(void) {
    /* Every word the segmenter reports is a path of the double array, and
     * its prefixes are nodes; a code-0 character and a leaf end a walk. */
    uint32_t cps[] = {0x90D1, 0x5DDE, 0x5E02};   /* 郑州市 */
    uint32_t node = tb_lexicon_find(lex, cps, 3);
    CHECK(node != TB_LEX_NONE && (lex->nodes[node].flags & TB_LEX_WORD));
    CHECK(tb_lexicon_find(lex, cps, 2) != TB_LEX_NONE);
    CHECK(lex->nodes[tb_lexicon_find(lex, cps, 1)].check == TB_LEX_ROOT);
    uint32_t unknown[] = {0x90D1, 0xE000};      /* a private-use character: in no word */
    CHECK(tb_lex_code(lex, 0xE000) == 0 && tb_lexicon_find(lex, unknown, 2) == TB_LEX_NONE);
    CHECK(tb_lex_child(lex, TB_LEX_ROOT, 0x1F600) == TB_LEX_NONE);   /* beyond the BMP */
    /* a leaf (base 0) has no child by any code */
    uint32_t leaf = TB_LEX_NONE;
    for (uint32_t i = 1; i < lex->n_nodes && leaf == TB_LEX_NONE; i++)
        if (lex->nodes[i].check != TB_LEX_EMPTY && lex->nodes[i].base == 0) leaf = i;
    CHECK(leaf != TB_LEX_NONE);
    int none = 1;
    for (uint32_t code = 0; code <= lex->max_code; code++)
        if (tb_lex_child_code(lex, leaf, code) != TB_LEX_NONE) none = 0;
    CHECK(none);
}

int main(int argc, char **argv) {
    open_test_lexicon(argc, argv, "lexicon.bin", &lex, &folder);
    test_utf8();
    test_fold();
    test_segment();
    test_segment_cps();
    test_userdict_parse();
    test_encoding();
    test_icubreak();
    test_corrupt_lexicon();
    test_double_array();
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
