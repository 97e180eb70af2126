/* Fuzz the lexicon's validation: a corrupt double array must be rejected at
 * open, or be safe to walk. The input edits a copy of the real lexicon
 * (bytes XORed at chosen offsets, mostly in the node table), then the text
 * is segmented and its prefixes looked up over the edited lexicon.
 *
 * Input: one byte n (edits: n % 16), then n x {offset u32 LE, xor u8}, then
 * the text (UTF-8). An offset's top bit picks the whole file (header, code
 * table, HMM tables) instead of the node table.
 *
 * Invariants:
 *   - tb_lexicon_from_buffer gives TB_OK or TB_EFORMAT, nothing else;
 *   - over an accepted lexicon, tb_segment succeeds exactly when the text
 *     decodes, and its tokens partition the text; lookups of every prefix of
 *     every position (up to 8 characters) return a slot of the array or
 *     TB_LEX_NONE. ASan and UBSan watch every read. */
#include "fuzz_common.h"

#include "core/tb_segment.h"
#include "core/tb_utf8.h"

static uint8_t *copy;

static uint32_t rd32le(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    const size_t len = fz_lex->map_len;
    if (copy == NULL) {   /* one copy per process; each input's edits are undone after it */
        copy = malloc(len);
        FZ_CHECK(copy != NULL);
        memcpy(copy, fz_lex->map, len);
    }
    const uint32_t off_nodes = rd32le(copy + 24), node_bytes = 16 * fz_lex->n_nodes;
    size_t n_edits = fz_take(&data, &size) % 16, pos[16];
    uint8_t old[16];
    size_t k = 0;
    for (; k < n_edits && size >= 5; k++, data += 5, size -= 5) {
        uint32_t o = rd32le(data);
        pos[k] = o >> 31 ? (o & 0x7FFFFFFFu) % len : off_nodes + o % node_bytes;
        old[k] = copy[pos[k]];
        copy[pos[k]] ^= data[4];
    }
    tb_lexicon *lex = NULL;
    tb_error e = {0};
    tb_status s = tb_lexicon_from_buffer(copy, len, &lex, &e);
    FZ_CHECK(s == TB_OK || s == TB_EFORMAT);
    if (s == TB_OK) {
        tb_segmenter seg;
        FZ_CHECK(tb_segmenter_init(&seg, lex, fz_folder, TB_STYLE_DEFAULT, &e) == TB_OK);
        tb_tokens t = {0};
        size_t n_cps = 0;
        uint32_t *ref = malloc((size + 1) * sizeof *ref);
        FZ_CHECK(ref != NULL);
        tb_error de = {0};
        int decodes = tb_utf8_decode(data, size, 1, ref, &n_cps, &de) == TB_OK;
        free(ref);
        s = tb_segment(&seg, data, size, TB_MODE_DEFAULT, TB_OPT_HMM, &t, &e);
        FZ_CHECK((s == TB_OK) == decodes);
        if (s == TB_OK) {
            size_t at = 0;
            for (size_t i = 0; i < t.n; i++) {
                FZ_CHECK(t.v[i].start == at && t.v[i].end > at);
                at = t.v[i].end;
            }
            FZ_CHECK(at == n_cps);
        }
        free(t.v);
        tb_segmenter_destroy(&seg);
        uint32_t cps[64];
        size_t n = 0;
        for (size_t i = 0; i < size && n < 64; i++) cps[n++] = data[i] < 0x80 ? data[i] : 0x4E00u + data[i];
        for (size_t i = 0; i < n; i++)
            for (size_t m = 1; m <= 8 && i + m <= n; m++) {
                uint32_t node = tb_lexicon_find(lex, cps + i, m);
                FZ_CHECK(node == TB_LEX_NONE || node < lex->n_nodes);
            }
        tb_lexicon_close(lex);
    }
    while (k-- > 0) copy[pos[k]] = old[k];
    return 0;
}
