/* A document as the extractors see it: one folded code point per code point
 * of the caller's text, with its class.
 *
 * Built once per call from UTF-8 (lone surrogates allowed) through the
 * folder (tb_fold.h): full-width ３ and Ａ read as 3 and A, 鄭 as 郑, so a
 * scanner written for simplified text with ASCII digits also reads
 * traditional and full-width text. Folding is 1:1 per code point, so an
 * index into `cp` is an offset into the caller's string (a Python str
 * index) and nothing needs mapping back. */
#ifndef TB_TEXT_H
#define TB_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tb_fold.h"
#include "tb_status.h"

typedef struct {
    uint32_t *cp;    /* folded code points */
    uint8_t *cls;    /* tb_class of each */
    size_t n;
} tb_text;

/* Decode and fold `len` bytes of UTF-8 into *out (freed with tb_text_free).
 * TB_EUTF8 (byte offset) on malformed input, TB_ETOOBIG beyond 2^32 - 1
 * code points, TB_ENOMEM. */
tb_status tb_text_build(tb_folder *folder, const uint8_t *utf8, size_t len, tb_text *out,
                        tb_error *err);
/* The same from a code point array of `width` bytes per element (1, 2 or
 * 4: a Python str's own storage), without a UTF-8 round trip. */
tb_status tb_text_build_cps(tb_folder *folder, const void *cps, size_t n, int width, tb_text *out,
                            tb_error *err);
void tb_text_free(tb_text *t);

/* Predicates on folded code points (full-width forms already read as ASCII). */
static inline int tb_is_ascii_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static inline int tb_is_ascii_alpha(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

#endif
