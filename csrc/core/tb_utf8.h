/* UTF-8 decoding to code points.
 *
 * Input comes from Python strings encoded with "surrogatepass", so a lone
 * surrogate (U+D800..U+DFFF as a 3-byte sequence) is accepted when
 * `allow_surrogates` is set: tokenization must stay lossless for any str. */
#ifndef TB_UTF8_H
#define TB_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

/* Decode `len` bytes into `out` (room for `len` code points suffices).
 * Sets *n_out. On malformed input returns TB_EUTF8 with the byte offset. */
tb_status tb_utf8_decode(const uint8_t *s, size_t len, int allow_surrogates, uint32_t *out,
                         size_t *n_out, tb_error *err);

/* Decode one sequence at s[0..len) (len >= 1) into *cp; returns its length,
 * or 0 when malformed. */
size_t tb_utf8_next(const uint8_t *s, size_t len, int allow_surrogates, uint32_t *cp);

/* Length of the longest valid UTF-8 prefix (no surrogates); == len when valid. */
size_t tb_utf8_valid_prefix(const uint8_t *s, size_t len);

/* Strict UTF-8 (no surrogates, as Python's "utf-8" codec): 1 when all of
 * s[0..len) is valid, with its code point count and largest code point
 * (0 for an empty input); 0 otherwise. */
int tb_utf8_measure(const uint8_t *s, size_t len, size_t *n_cp, uint32_t *max_cp);

/* Decode valid UTF-8 (tb_utf8_measure said so) into code units of `width`
 * bytes (1, 2 or 4; every code point must fit), `out` holding n_cp units:
 * the layout of a Python str of that kind, built without the interpreter. */
void tb_utf8_decode_units(const uint8_t *s, size_t len, int width, void *out);

/* A text's code units as a Python str of its kind lays them out. */
typedef struct {
    void *units;        /* malloc'd (free it); NULL: not decoded */
    size_t n;           /* code points */
    uint32_t max;       /* the largest code point */
    int width;          /* bytes a unit: 1, 2 or 4, the least that holds `max` */
} tb_utf8_units;

/* `out` from s[0..len) when it is non-empty strict UTF-8 without a byte-order
 * mark (what bytes.decode("utf-8") takes whole, minus the cases Python's
 * callers look at themselves); returns 1 then. Returns 0, out->units NULL,
 * for any other input or when memory runs out. */
int tb_utf8_to_units(const uint8_t *s, size_t len, tb_utf8_units *out);

/* Encode one code point; returns bytes written (1..4) into buf[4]. */
int tb_utf8_encode(uint32_t cp, uint8_t *buf);

#endif
