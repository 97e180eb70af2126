/* Fuzz byte decoding: tb_decode_bytes with detection and with explicit
 * encodings.
 *
 * Input: one byte choosing the encoding (detect, or one of ENCODINGS below,
 * including a name ICU does not know), then the bytes.
 *
 * Invariants:
 *   - success: the output is valid UTF-8 (NUL-terminated), the reported
 *     name is non-empty, and the text round-trips: encoding it back to the
 *     reported encoding and decoding that again gives the same text; input
 *     reported as UTF-8 comes back byte for byte (less a BOM);
 *   - failure: TB_EDECODE at a byte offset within the input, TB_EENCODING
 *     only for an explicit name, and always a message. */
#include "fuzz_common.h"

#include <unicode/ucnv.h>

#include "core/tb_encoding.h"
#include "core/tb_utf8.h"

static const char *const ENCODINGS[] = {
    NULL, NULL, NULL, NULL,  /* detection, most of the time */
    "UTF-8", "GB18030", "GBK", "GB2312", "Big5", "UTF-16", "UTF-16LE", "UTF-16BE",
    "UTF-32", "latin1", "Shift_JIS", "no-such-encoding"};
#define N_ENC (sizeof ENCODINGS / sizeof ENCODINGS[0])

/* `u8` converted to encoding `name` (malloc'ed) or NULL when a character has
 * no mapping there. */
static char *encode_to(const char *name, const uint8_t *u8, size_t n, int32_t *out_n) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = ucnv_convert(name, "UTF-8", NULL, 0, (const char *)u8, (int32_t)n, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) return NULL;
    char *buf = malloc((size_t)need + 1);
    FZ_CHECK(buf != NULL);
    st = U_ZERO_ERROR;
    *out_n = ucnv_convert(name, "UTF-8", buf, need + 1, (const char *)u8, (int32_t)n, &st);
    if (U_FAILURE(st)) {
        free(buf);
        return NULL;
    }
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint8_t sel = fz_take(&data, &size);
    const char *enc = ENCODINGS[sel % N_ENC];
    uint8_t *out = NULL;
    size_t out_len = 0;
    char name[TB_ENCODING_NAME_MAX] = {0};
    tb_error e = {0};
    tb_status s = tb_decode_bytes(data, size, enc, &out, &out_len, name, &e);
    if (s != TB_OK) {
        FZ_CHECK(out == NULL || out_len == 0);
        free(out);
        FZ_CHECK(e.message[0] != '\0');
        FZ_CHECK(s == TB_EDECODE || s == TB_EENCODING || s == TB_EICU);
        if (s == TB_EDECODE) FZ_CHECK(e.unit == TB_AT_BYTE && e.offset <= size);
        if (s == TB_EENCODING) FZ_CHECK(enc != NULL);
        return 0;
    }
    FZ_CHECK(out != NULL && out[out_len] == '\0');
    FZ_CHECK(tb_utf8_valid_prefix(out, out_len) == out_len);
    FZ_CHECK(name[0] != '\0' && memchr(name, '\0', TB_ENCODING_NAME_MAX) != NULL);
    if (strcmp(name, "UTF-8") == 0) {
        size_t bom = (size >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) && enc == NULL) ? 3 : 0;
        FZ_CHECK(out_len == size - bom && !memcmp(out, data + bom, out_len));
    } else {
        int32_t n2 = 0;
        char *back = encode_to(name, out, out_len, &n2);
        FZ_CHECK(back != NULL);   /* what was decoded from `name` encodes to it */
        uint8_t *out2 = NULL;
        size_t out2_len = 0;
        char name2[TB_ENCODING_NAME_MAX];
        tb_error e2 = {0};
        FZ_CHECK(tb_decode_bytes((const uint8_t *)back, (size_t)n2, name, &out2, &out2_len, name2, &e2) == TB_OK);
        FZ_CHECK(out2_len == out_len && !memcmp(out2, out, out_len));
        free(out2);
        free(back);
    }
    free(out);
    return 0;
}
