/* See tb_fingerprint.h. The steps mirror _fingerprint.normalize: NFKC,
 * chrome lines dropped, the kept lines joined by a line feed, URLs
 * ((?:https?://|www\.)[^\s\u3000<>"'，。；]+, case-insensitive) removed,
 * then only letters and digits kept, case-folded. */
#include "tb_fingerprint.h"

#include <stdlib.h>
#include <string.h>

#include "tb_blake2b.h"
#include "tb_utf8.h"

static inline uint32_t at(tb_fp_text t, size_t i) {
    switch (t.kind) {
    case 1: return ((const uint8_t *)t.data)[i];
    case 2: return ((const uint16_t *)t.data)[i];
    default: return ((const uint32_t *)t.data)[i];
    }
}

/* str.splitlines()'s line boundaries */
static inline int is_break(uint32_t c) {
    return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

int tb_fp_simple(tb_fp_text t, const uint8_t *table) {
    for (size_t i = 0; i < t.n; i++) {
        uint32_t c = at(t, i);
        if (c > 0xffff || !(table[c] & TB_FP_SIMPLE)) return 0;
    }
    return 1;
}

/* End of the line starting at i (its first break, or n) and, in *next, where the following line starts. */
static size_t line_end(tb_fp_text t, size_t i, size_t *next) {
    size_t j = i;
    while (j < t.n && !is_break(at(t, j))) j++;
    *next = j;
    if (j < t.n) {
        *next = j + 1;
        if (at(t, j) == 0x0d && j + 1 < t.n && at(t, j + 1) == 0x0a) *next = j + 2;
    }
    return j;
}

size_t tb_fp_count_lines(tb_fp_text t) {
    size_t lines = 0, i = 0, next;
    while (i < t.n) {
        line_end(t, i, &next);
        lines++;
        i = next;
    }
    return lines;
}

static inline uint32_t nfkc(uint32_t c, const uint8_t *table) {
    /* only the forms that are one ASCII character's, whatever the table
     * says: a flag elsewhere must not send an index out of the table */
    if (table[c] & TB_FP_WIDE) {
        if (c == 0x3000) return 0x20;
        if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
    }
    return c;
}

/* NFKC of c appended at buf[m]; returns the new length. */
static inline size_t put_nfkc(uint32_t *buf, size_t m, uint32_t c, const uint8_t *table) {
    if (table[c] & TB_FP_ELLIPSIS) {
        buf[m] = buf[m + 1] = buf[m + 2] = '.';
        return m + 3;
    }
    buf[m] = nfkc(c, table);
    return m + 1;
}

static inline uint32_t ascii_lower(uint32_t c) {
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int url_stop(uint32_t c, const uint8_t *table) {
    return (table[c] & TB_FP_SPACE) || c == 0x3000 || c == '<' || c == '>' || c == '"' || c == '\'' ||
           c == 0xff0c || c == 0x3002 || c == 0xff1b;
}

static inline size_t url_prefix(const uint32_t *buf, size_t m, size_t p);

int tb_fp_candidates(tb_fp_text t, const uint8_t *table, size_t short_line,
                     int (*each)(void *ctx, size_t line, size_t start, size_t end), void *ctx) {
    uint32_t *buf = malloc((3 * short_line + 8) * sizeof *buf);
    if (buf == NULL) return -1;
    size_t line = 0, i = 0, next;
    int rc = 0;
    while (i < t.n && rc == 0) {
        size_t end = line_end(t, i, &next);
        /* the line's NFKC, stripped, while it stays short */
        size_t a = i, b = end;
        while (a < b && (table[nfkc(at(t, a), table)] & TB_FP_SPACE)) a++;
        while (b > a && (table[nfkc(at(t, b - 1), table)] & TB_FP_SPACE)) b--;
        size_t m = 0;
        for (size_t k = a; k < b && m <= short_line; k++) m = put_nfkc(buf, m, at(t, k), table);
        if (m > 0 && m <= short_line) {
            int colon = 0, url = 0;
            uint32_t first_foreign = 0;
            for (size_t k = 0; k < m; k++) {
                uint32_t c = buf[k];
                if (c == ':') colon = 1;
                if (!first_foreign && (table[c] & TB_FP_FOREIGN)) first_foreign = c;
                if (url_prefix(buf, m, k) > 0) url = 1;
            }
            int text = !colon && !url && first_foreign && !(table[first_foreign] & TB_FP_ISDIGIT);
            if (!text) rc = each(ctx, line, i, end);
        }
        line++;
        i = next;
    }
    free(buf);
    return rc;
}

/* Length of the URL prefix (https?:// or www.) at buf[p], or 0. */
static inline size_t url_prefix(const uint32_t *buf, size_t m, size_t p) {
    if (p + 4 <= m && ascii_lower(buf[p]) == 'h' && ascii_lower(buf[p + 1]) == 't' &&
        ascii_lower(buf[p + 2]) == 't' && ascii_lower(buf[p + 3]) == 'p') {
        size_t q = p + 4;
        if (q < m && ascii_lower(buf[q]) == 's') q++;
        /* (with the s taken, the s-less try would need ':' where the s is) */
        if (q + 3 <= m && buf[q] == ':' && buf[q + 1] == '/' && buf[q + 2] == '/') return q + 3 - p;
        return 0;
    }
    if (p + 4 <= m && ascii_lower(buf[p]) == 'w' && ascii_lower(buf[p + 1]) == 'w' &&
        ascii_lower(buf[p + 2]) == 'w' && buf[p + 3] == '.')
        return 4;
    return 0;
}

/* One line, t[i, end): its NFKC into buf (room for 3 code points per code
 * point), URLs out, letters and digits kept and folded, as UTF-8 at o.
 * Returns the new end of the output. Lines are independent: the line feed
 * that joins kept lines is white space, where a URL stops and nothing is
 * kept, so the text of kept lines is the concatenation of their parts. */
static uint8_t *normalize_line(tb_fp_text t, size_t i, size_t end, const uint8_t *table, uint32_t *buf,
                               uint8_t *o) {
    size_t m = 0;
    for (size_t k = i; k < end; k++) m = put_nfkc(buf, m, at(t, k), table);
    for (size_t p = 0; p < m;) {
        size_t pre = url_prefix(buf, m, p);
        if (pre > 0) {
            size_t r = p + pre;
            while (r < m && !url_stop(buf[r], table)) r++;
            if (r > p + pre) { /* [^...]+ needs one character */
                p = r;
                continue;
            }
        }
        uint32_t c = buf[p++];
        if (table[c] & TB_FP_KEEP) o += tb_utf8_encode(ascii_lower(c), o);
    }
    return o;
}

/* Every line of t through normalize_line but those drop[line] (n_drop
 * flags) marks. -1 when the flags do not match or on ENOMEM. */
static long long normalize(tb_fp_text t, const uint8_t *table, const uint8_t *drop, size_t n_drop,
                           uint8_t *out) {
    uint32_t *buf = malloc((3 * t.n + 1) * sizeof *buf);
    if (buf == NULL) return -1;
    uint8_t *o = out;
    size_t line = 0, i = 0, next;
    while (i < t.n) {
        size_t end = line_end(t, i, &next);
        if (line >= n_drop) {
            free(buf);
            return -1;
        }
        if (!drop[line]) o = normalize_line(t, i, end, table, buf, o);
        line++;
        i = next;
    }
    free(buf);
    if (line != n_drop) return -1;
    return (long long)(o - out);
}

long long tb_fp_normalize(tb_fp_text t, const uint8_t *table, const uint8_t *drop, size_t n_drop,
                          uint8_t *out) {
    return normalize(t, table, drop, n_drop, out);
}

/* ---- what tongbao.extract uses: a scan for chrome lines, then the hash -- */

static int grow(void **v, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t cap2 = *cap ? 2 * *cap : 64;
    while (cap2 < need) cap2 *= 2;
    void *p = realloc(*v, cap2 * size);
    if (p == NULL) return -1;
    *v = p;
    *cap = cap2;
    return 0;
}

/* Whether buf[0, m), a line stripped of white space and put through NFKC,
 * is a candidate as tb_fp_candidates decides it: holding a colon, a URL
 * start, or no letter but chrome letters (or a digit first). */
static int is_candidate(const uint32_t *buf, size_t m, const uint8_t *table) {
    int colon = 0, url = 0;
    uint32_t first_foreign = 0;
    for (size_t k = 0; k < m; k++) {
        uint32_t c = buf[k];
        if (c == ':') colon = 1;
        if (!first_foreign && (table[c] & TB_FP_FOREIGN)) first_foreign = c;
        if (!url && url_prefix(buf, m, k) > 0) url = 1;
    }
    return !(!colon && !url && first_foreign && !(table[first_foreign] & TB_FP_ISDIGIT));
}

/* The scan for code units of one width (inlined three times, the width a
 * constant): the simple check of every code point, and each line that may
 * be short enough to be chrome (stripped of white space, as
 * tb_fp_candidates strips it) put through NFKC into buf and tested. */
static inline __attribute__((always_inline)) int scan_pass(tb_fp_text t, int kind, const uint8_t *table,
                                                            size_t short_line, uint32_t *buf, size_t **cand,
                                                            size_t *n_cand) {
    tb_fp_text tk = {t.data, kind, t.n};
    size_t cap = 0, line = 0, i = 0;
    while (i < t.n) {
        size_t j = i;
        uint32_t c = 0;
        while (j < t.n) {
            c = at(tk, j);
            if (c > 0xffff || !(table[c] & TB_FP_SIMPLE)) return 0;   /* (a break is checked too) */
            if (is_break(c)) break;
            j++;
        }
        size_t next = j;
        if (j < t.n) {
            next = j + 1;
            if (c == 0x0d && j + 1 < t.n && at(tk, j + 1) == 0x0a) next = j + 2;
        }
        size_t a = i, b = j;
        while (a < b && (table[nfkc(at(tk, a), table)] & TB_FP_SPACE)) a++;
        while (b > a && (table[nfkc(at(tk, b - 1), table)] & TB_FP_SPACE)) b--;
        if (b > a && b - a <= short_line) {   /* NFKC never shortens a line: longer ones are not short */
            size_t m = 0;
            for (size_t k = a; k < b && m <= short_line; k++) m = put_nfkc(buf, m, at(tk, k), table);
            if (m <= short_line && is_candidate(buf, m, table)) {
                if (grow((void **)cand, &cap, 3 * *n_cand + 3, sizeof **cand) < 0) return -1;
                (*cand)[3 * *n_cand] = line;
                (*cand)[3 * *n_cand + 1] = i;
                (*cand)[3 * *n_cand + 2] = j;
                (*n_cand)++;
            }
        }
        line++;
        i = next;
    }
    return 1;
}

int tb_fp_scan(tb_fp_text t, const uint8_t *table, size_t short_line, size_t **cand, size_t *n_cand) {
    *cand = NULL;
    *n_cand = 0;
    /* (no line's NFKC is longer than three times the text: a larger limit is that one) */
    if (short_line > 3 * t.n) short_line = 3 * t.n;
    uint32_t *buf = malloc((short_line + 8) * sizeof *buf);   /* filled up to short_line + 3 */
    int rc = -1;
    if (buf) {
        switch (t.kind) {
        case 1: rc = scan_pass(t, 1, table, short_line, buf, cand, n_cand); break;
        case 2: rc = scan_pass(t, 2, table, short_line, buf, cand, n_cand); break;
        default: rc = scan_pass(t, 4, table, short_line, buf, cand, n_cand); break;
        }
    }
    free(buf);
    if (rc != 1) {
        free(*cand);
        *cand = NULL;
        *n_cand = 0;
    }
    return rc;
}

int tb_fp_digest(tb_fp_text t, const uint8_t *table, const size_t *drop, size_t n_drop, uint8_t *out,
                 size_t outlen) {
    if (!tb_fp_simple(t, table)) return 0;
    uint32_t *buf = malloc((3 * t.n + 1) * sizeof *buf);
    uint8_t *part = malloc(3 * t.n + 1);
    if (buf == NULL || part == NULL) {
        free(buf);
        free(part);
        return -1;
    }
    tb_blake2b h;
    tb_blake2b_init(&h, outlen);
    size_t line = 0, i = 0, next, d = 0;
    while (i < t.n) {
        size_t end = line_end(t, i, &next);
        while (d < n_drop && drop[d] < line) d++;
        if (!(d < n_drop && drop[d] == line)) {   /* a kept line: its part, hashed */
            uint8_t *o = normalize_line(t, i, end, table, buf, part);
            tb_blake2b_update(&h, part, (size_t)(o - part));
        }
        line++;
        i = next;
    }
    tb_blake2b_final(&h, out);
    free(buf);
    free(part);
    return 1;
}
