/* The fingerprint's normalisation (python/tongbao/_fingerprint.py) on the
 * common case, without the GIL.
 *
 * The definition lives in Python and depends on Python's Unicode database
 * (NFKC, categories, case folding, white space): the caller passes a table
 * of 65536 flag bytes, one per BMP code point, built from that database.
 * A code point is "simple" when its NFKC is itself (or, for the full-width
 * forms U+FF01..U+FF5E and U+3000, one ASCII character) and it takes part
 * in no composition and no case folding beyond ASCII A-Z: a text made only
 * of simple code points has its NFKC computed one code point at a time.
 * Any other text is refused (the caller then runs the Python definition).
 *
 * Which lines are page chrome is decided by the caller (regular
 * expressions in Python), one flag per line as str.splitlines() gives them;
 * here: those lines dropped, URLs removed, letters and digits kept, A-Z
 * folded, the result written as UTF-8. */
#ifndef TB_FINGERPRINT_H
#define TB_FINGERPRINT_H

#include <stddef.h>
#include <stdint.h>

enum {
    TB_FP_SIMPLE = 1, /* usable here */
    TB_FP_KEEP = 2,   /* a letter or digit (category L* or N*) after NFKC */
    TB_FP_SPACE = 4,  /* white space (str.isspace) after NFKC */
    TB_FP_WIDE = 8,   /* U+FF01..U+FF5E or U+3000: NFKC is one ASCII character */
    TB_FP_FOREIGN = 16, /* a letter no chrome line holds (_fingerprint._FOREIGN) */
    TB_FP_ISDIGIT = 32, /* str.isdigit */
    TB_FP_ELLIPSIS = 64, /* U+2026: NFKC is "..." */
};

/* Code unit width of `data` (1, 2 or 4 bytes: a Python str's storage). */
typedef struct {
    const void *data;
    int kind;
    size_t n;
} tb_fp_text;

/* 1 when every code point of `t` is simple in `table`, else 0. */
int tb_fp_simple(tb_fp_text t, const uint8_t *table);

/* Number of lines of `t` as str.splitlines() counts them. */
size_t tb_fp_count_lines(tb_fp_text t);

/* Calls `each(ctx, line, start, end)` for every line of a simple `t` that
 * may be page chrome (short, and holding a colon, a URL start, or no
 * letter but those of chrome lines); the others are surely text (see
 * _fingerprint._is_boilerplate, which gives False for them). Stops and
 * returns nonzero when `each` does. */
int tb_fp_candidates(tb_fp_text t, const uint8_t *table, size_t short_line,
                     int (*each)(void *ctx, size_t line, size_t start, size_t end), void *ctx);

/* The normalised text of a simple `t` as UTF-8 into `out` (room for 3 * t.n
 * bytes); `drop[i]` nonzero drops line i (n_drop lines; must equal
 * tb_fp_count_lines). Returns the bytes written, or -1 when n_drop differs
 * or memory runs out. */
long long tb_fp_normalize(tb_fp_text t, const uint8_t *table, const uint8_t *drop, size_t n_drop,
                          uint8_t *out);

/* tongbao.extract's two steps, each one pass over the text.
 *
 * tb_fp_scan: the simple check and the candidate chrome lines together
 * (as tb_fp_simple and tb_fp_candidates give them) into *cand, malloc'd
 * (line, start, end) triples, *n_cand of them. Returns 1, 0 when `t` is
 * not simple (nothing in *cand), -1 when memory runs out. */
int tb_fp_scan(tb_fp_text t, const uint8_t *table, size_t short_line, size_t **cand, size_t *n_cand);

/* tb_fp_digest: BLAKE2b (outlen bytes, tb_blake2b.h) of the normalised text
 * with the lines listed in drop (n_drop line numbers, ascending: the chrome
 * lines the caller found among the candidates) left out, which is the hash
 * of tb_fp_normalize's output without writing it whole: lines normalise
 * independently (the line feed joining two kept lines is white space, where
 * a URL stops and nothing is kept). Returns 1, 0 when `t` is not simple, -1
 * when memory runs out. */
int tb_fp_digest(tb_fp_text t, const uint8_t *table, const size_t *drop, size_t n_drop, uint8_t *out,
                 size_t outlen);

#endif
