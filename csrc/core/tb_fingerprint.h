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

/* What tongbao.extract needs of a text, in one pass over it: whether it is
 * simple, its candidate chrome lines (as tb_fp_candidates gives them), and
 * its normalised text with every line kept (tb_fp_normalize with no line
 * dropped), with where each line's part of it ends. Lines normalise
 * independently (the line feed joining two kept lines is white space: a URL
 * stops there and it is not kept), so the output with some lines dropped is
 * the concatenation of the kept lines' parts: a caller deciding which lines
 * are chrome after this call need not normalise again. */
typedef struct {
    uint8_t *out;        /* normalised UTF-8 */
    size_t len;
    size_t *line_ends;   /* n_lines entries: where line i's part of `out` ends */
    size_t n_lines;      /* as tb_fp_count_lines */
    size_t *cand;        /* (line, start, end) triples, code points of the text */
    size_t n_cand;
} tb_fp_lines;

/* Returns 1 with `out` filled (free it with tb_fp_lines_free), 0 when `t` is
 * not simple, -1 when memory runs out (`out` then empty). */
int tb_fp_lines_build(tb_fp_text t, const uint8_t *table, size_t short_line, tb_fp_lines *out);
void tb_fp_lines_free(tb_fp_lines *l);

#endif
