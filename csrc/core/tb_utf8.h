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

/* Encode one code point; returns bytes written (1..4) into buf[4]. */
int tb_utf8_encode(uint32_t cp, uint8_t *buf);

#endif
