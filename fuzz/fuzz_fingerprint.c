/* Fuzz the fingerprint's C normalisation (tb_fingerprint.h) with a table
 * of flags that is not Python's: whatever the table says, the functions
 * must stay inside their buffers and keep their contracts.
 *
 * Input: byte 0 picks the code-unit width (1, 2 or 4 bytes) and the
 * short-line limit; byte 1 is the seed of the drop pattern; the rest is the
 * text's code units (a trailing partial unit is ignored).
 *
 * Invariants:
 *   - tb_fp_simple is 0 or 1, and 0 whenever a code point is past the BMP
 *     or not flagged simple;
 *   - the candidate lines are in order, inside the text and numbered below
 *     tb_fp_count_lines;
 *   - tb_fp_normalize refuses a wrong number of drop flags (-1) and
 *     otherwise writes at most 3 bytes per code unit of valid UTF-8 that
 *     holds no ASCII white space, and nothing at all when every line is
 *     dropped;
 *   - tb_fp_scan (one pass) finds the same candidate lines, and
 *     tb_fp_digest is BLAKE2b of tb_fp_normalize's output with the same
 *     lines dropped; for a text that is not simple both say so. */
#include "fuzz_common.h"

#include "core/tb_blake2b.h"
#include "core/tb_fingerprint.h"
#include "core/tb_utf8.h"

static uint8_t table[65536];
static int table_ready;

/* A fixed table: most code points simple, flags from a hash of the value,
 * ASCII white space and letters as Python flags them. */
static void build_table(void) {
    for (uint32_t c = 0; c < 65536; c++) {
        uint32_t h = c * 2654435761u;
        uint8_t f = (uint8_t)((h >> 24) & ~TB_FP_SIMPLE);
        if ((h & 7) != 0) f |= TB_FP_SIMPLE;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x85 ||
            c == 0x2028 || c == 0x2029 || c == 0x3000)
            f = (uint8_t)((f | TB_FP_SPACE) & ~TB_FP_KEEP);
        else
            f = (uint8_t)(f & ~TB_FP_SPACE);
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            f = (uint8_t)(f | TB_FP_SIMPLE | TB_FP_KEEP);
        if (c >= 0xD800 && c <= 0xDFFF) f = 0;
        table[c] = f;
    }
    table_ready = 1;
}

typedef struct {
    size_t n_lines, n_units, last_line;
    int any;
    size_t *spans, seen, cap;   /* (line, start, end) of each, for tb_fp_scan to match */
} cand_ctx;

static int on_candidate(void *vctx, size_t line, size_t start, size_t end) {
    cand_ctx *c = vctx;
    FZ_CHECK(line < c->n_lines && start <= end && end <= c->n_units);
    FZ_CHECK(!c->any || line > c->last_line);
    c->any = 1;
    c->last_line = line;
    if (3 * c->seen + 3 > c->cap) {
        c->cap = c->cap ? 2 * c->cap : 48;
        c->spans = realloc(c->spans, c->cap * sizeof *c->spans);
        FZ_CHECK(c->spans != NULL);
    }
    c->spans[3 * c->seen] = line;
    c->spans[3 * c->seen + 1] = start;
    c->spans[3 * c->seen + 2] = end;
    c->seen++;
    return 0;
}

static uint32_t unit_at(const tb_fp_text *t, size_t i) {
    if (t->kind == 1) return ((const uint8_t *)t->data)[i];
    if (t->kind == 2) return ((const uint16_t *)t->data)[i];
    return ((const uint32_t *)t->data)[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    if (!table_ready) build_table();
    int kind = (data[0] & 3) == 0 ? 1 : (data[0] & 3) == 1 ? 2 : 4;
    size_t short_line = (size_t)(data[0] >> 2);
    uint8_t seed = data[1];
    size_t n = (size - 2) / (size_t)kind;
    /* aligned copy of the code units */
    void *units = malloc(n * (size_t)kind + 4);
    FZ_CHECK(units != NULL);
    if (n) memcpy(units, data + 2, n * (size_t)kind);
    tb_fp_text t = {units, kind, n};

    int simple = tb_fp_simple(t, table);
    FZ_CHECK(simple == 0 || simple == 1);
    int expect = 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = unit_at(&t, i);
        if (c > 0xFFFF || !(table[c] & TB_FP_SIMPLE)) { expect = 0; break; }
    }
    FZ_CHECK(simple == expect);
    if (simple) {
        size_t lines = tb_fp_count_lines(t);
        FZ_CHECK(lines <= n + 1);
        cand_ctx cc = {lines, n, 0, 0, NULL, 0, 0};
        FZ_CHECK(tb_fp_candidates(t, table, short_line, on_candidate, &cc) == 0);
        uint8_t *drop = malloc(lines + 1);
        uint8_t *out = malloc(3 * n + 1);
        FZ_CHECK(drop != NULL && out != NULL);
        int all_dropped = 1;
        for (size_t i = 0; i < lines; i++) {
            drop[i] = (uint8_t)(((seed + i * 7u) % 5u) == 0);
            all_dropped &= drop[i];
        }
        FZ_CHECK(tb_fp_normalize(t, table, drop, lines + 1, out) == -1);
        long long w = tb_fp_normalize(t, table, drop, lines, out);
        FZ_CHECK(w >= 0 && (size_t)w <= 3 * n);
        if (lines && all_dropped) FZ_CHECK(w == 0);
        /* valid UTF-8 (no lone surrogate), no ASCII white space left */
        size_t off = 0;
        while (off < (size_t)w) {
            uint32_t cp;
            size_t len = tb_utf8_next(out + off, (size_t)w - off, 0, &cp);
            FZ_CHECK(len > 0);
            FZ_CHECK(cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r');
            off += len;
        }
        /* extract's two steps: the scan finds the same candidates; the
         * digest is BLAKE2b of the output with the same lines dropped */
        size_t *cand, ncand;
        FZ_CHECK(tb_fp_scan(t, table, short_line, &cand, &ncand) == 1);
        FZ_CHECK(ncand == cc.seen && (ncand == 0 || memcmp(cand, cc.spans, 3 * ncand * sizeof *cand) == 0));
        free(cand);
        size_t *dropped = malloc((lines + 1) * sizeof *dropped), nd = 0;
        FZ_CHECK(dropped != NULL);
        for (size_t i = 0; i < lines; i++)
            if (drop[i]) dropped[nd++] = i;
        uint8_t got[16], want[16];
        FZ_CHECK(tb_fp_digest(t, table, dropped, nd, got, sizeof got) == 1);
        tb_blake2b h;
        tb_blake2b_init(&h, sizeof want);
        tb_blake2b_update(&h, out, (size_t)w);
        tb_blake2b_final(&h, want);
        FZ_CHECK(memcmp(got, want, sizeof got) == 0);
        free(dropped);
        free(cc.spans);
        free(drop);
        free(out);
    } else {
        size_t *cand, ncand;
        uint8_t got[16];
        FZ_CHECK(tb_fp_scan(t, table, short_line, &cand, &ncand) == 0 && cand == NULL && ncand == 0);
        FZ_CHECK(tb_fp_digest(t, table, NULL, 0, got, sizeof got) == 0);
    }
    free(units);
    return 0;
}
