/* Byte input: detect the encoding and convert to UTF-8, through ICU.
 *
 * Order: an explicit encoding if given (any ICU converter name); a
 * byte-order mark (UTF-8, UTF-16, UTF-32); valid UTF-8; damaged UTF-8 is an
 * error, not a guess; then ICU's charset detector, keeping only GB18030 (and
 * its subsets GBK/GB2312) and Big5, each converted strictly. Other encodings
 * are never guessed: single-byte ones decode any bytes, and Japanese/Korean
 * ones decode most GB18030 text, so a wrong guess would silently turn text
 * into mojibake. Undecodable input gives TB_EDECODE with the byte offset. */
#ifndef TB_ENCODING_H
#define TB_ENCODING_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

#define TB_ENCODING_NAME_MAX 32

/* Convert `len` bytes to UTF-8 in *out (malloc'ed, caller frees; *out_len
 * bytes, NUL-terminated). `encoding` may be NULL (detect). The encoding used
 * is written to name[TB_ENCODING_NAME_MAX]. */
tb_status tb_decode_bytes(const uint8_t *in, size_t len, const char *encoding, uint8_t **out,
                          size_t *out_len, char *name, tb_error *err);

#endif
