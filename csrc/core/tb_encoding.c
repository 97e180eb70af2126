#include "tb_encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include "tb_utf8.h"

static void set_name(char *name, const char *s) {
    snprintf(name, TB_ENCODING_NAME_MAX, "%s", s);
}

static tb_status icu_fail(tb_error *err, UErrorCode st, const char *what) {
    tb_status s = tb_fail(err, TB_EICU, TB_AT_NONE, 0, "ICU %s failed: %s", what, u_errorName(st));
    if (err) err->icu_code = st;
    return s;
}

/* UTF-16 -> UTF-8 (malloc'ed). */
static tb_status utf16_to_utf8(const UChar *u, int32_t n, uint8_t **out, size_t *out_len,
                               tb_error *err) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u, n, &st);
    if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st)) return icu_fail(err, st, "UTF-8 conversion");
    char *buf = malloc((size_t)need + 1);
    if (buf == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    st = U_ZERO_ERROR;
    u_strToUTF8(buf, need + 1, NULL, u, n, &st);
    if (U_FAILURE(st)) {
        free(buf);
        return icu_fail(err, st, "UTF-8 conversion");
    }
    *out = (uint8_t *)buf;
    *out_len = (size_t)need;
    return TB_OK;
}

/* A guessed decoding is implausible when it yields C1 controls or
 * private-use characters: lenient converters (ICU's Big5 is windows-950)
 * map undefined bytes there instead of failing. */
static int plausible(const UChar *u, int32_t n) {
    for (int32_t i = 0; i < n; i++)
        if ((u[i] >= 0x80 && u[i] <= 0x9F) || (u[i] >= 0xE000 && u[i] <= 0xF8FF)) return 0;
    return 1;
}

/* Strict conversion from `enc`. TB_EDECODE (with byte offset) on bad input;
 * when `guessed`, also on an implausible result. */
static tb_status convert_ex(const uint8_t *in, size_t len, const char *enc, int guessed, uint8_t **out,
                            size_t *out_len, char *name, tb_error *err) {
    if (len > INT32_MAX / 2)
        return tb_fail(err, TB_ETOOBIG, TB_AT_NONE, 0, "byte input over 1 GB must be UTF-8");
    UErrorCode st = U_ZERO_ERROR;
    UConverter *cv = ucnv_open(enc, &st);
    if (U_FAILURE(st))
        return tb_fail(err, TB_EENCODING, TB_AT_NONE, 0, "unknown encoding '%s'", enc);
    ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
    /* Every supported encoding yields at most one UTF-16 unit per byte, plus slack. */
    size_t cap = len + 2;
    UChar *u = malloc(cap * sizeof *u);
    if (u == NULL) {
        ucnv_close(cv);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    UChar *target = u;
    const char *src = (const char *)in;
    ucnv_toUnicode(cv, &target, u + cap, &src, (const char *)in + len, NULL, 1, &st);
    tb_status rc = TB_OK;
    if (U_FAILURE(st)) {
        char bad[8];
        int8_t nbad = sizeof bad;
        UErrorCode st2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(cv, bad, &nbad, &st2);
        size_t off = (size_t)(src - (const char *)in);
        if (U_SUCCESS(st2) && (size_t)nbad <= off) off -= (size_t)nbad;
        rc = tb_fail(err, TB_EDECODE, TB_AT_BYTE, off, "bytes are not valid %s: byte 0x%02X at offset %zu",
                     ucnv_getName(cv, &st2), off < len ? in[off] : 0, off);
        if (err) err->icu_code = st;
    } else if (guessed && !plausible(u, (int32_t)(target - u))) {
        rc = tb_fail(err, TB_EDECODE, TB_AT_BYTE, 0, "bytes are not plausible %s text", enc);
    } else {
        set_name(name, enc);   /* the name asked for, not ICU's alias (windows-950-2000...) */
        rc = utf16_to_utf8(u, (int32_t)(target - u), out, out_len, err);
    }
    free(u);
    ucnv_close(cv);
    return rc;
}

static tb_status convert(const uint8_t *in, size_t len, const char *enc, uint8_t **out,
                         size_t *out_len, char *name, tb_error *err) {
    return convert_ex(in, len, enc, 0, out, out_len, name, err);
}

static tb_status copy_utf8(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len, char *name,
                           tb_error *err) {
    uint8_t *buf = malloc(len + 1);
    if (buf == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    memcpy(buf, in, len);
    buf[len] = 0;
    *out = buf;
    *out_len = len;
    set_name(name, "UTF-8");
    return TB_OK;
}

/* Without a BOM only the Chinese national encodings are guessed: UTF-16
 * without a BOM, Japanese or Korean encodings also "decode" most GB18030
 * text, so guessing them would silently produce the wrong characters. */
static int is_candidate(const char *enc) {
    return strcmp(enc, "GB18030") == 0 || strcmp(enc, "Big5") == 0;
}

/* Damaged UTF-8 rather than another encoding: a truncated sequence at the
 * very end, or many more valid multi-byte sequences than invalid bytes
 * (legacy CJK text forms a valid sequence only now and then, by accident). */
static int looks_like_damaged_utf8(const uint8_t *in, size_t len, size_t valid) {
    uint8_t b = in[valid];
    size_t need = b > 0xF4 ? 0 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
    if (need && len - valid < need) {
        int tail_ok = 1;
        for (size_t i = valid + 1; i < len; i++)
            if ((in[i] & 0xC0) != 0x80) tail_ok = 0;
        if (tail_ok) return 1;
    }
    size_t n_multi = 0, n_bad = 0;
    for (size_t i = 0; i < len;) {
        if (in[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = tb_utf8_next(in + i, len - i, 0, &cp);
        if (k >= 3) n_multi++;
        if (k == 0) {
            n_bad++;
            i++;
        } else {
            i += k;
        }
    }
    return n_multi >= 2 && n_multi >= 4 * n_bad;
}

tb_status tb_decode_bytes(const uint8_t *in, size_t len, const char *encoding, uint8_t **out,
                          size_t *out_len, char *name, tb_error *err) {
    if (encoding && *encoding) {
        size_t v;
        if (ucnv_compareNames(encoding, "UTF-8") == 0) {
            if ((v = tb_utf8_valid_prefix(in, len)) != len)
                return tb_fail(err, TB_EDECODE, TB_AT_BYTE, v,
                               "bytes are not valid UTF-8: byte 0x%02X at offset %zu", in[v], v);
            return copy_utf8(in, len, out, out_len, name, err);
        }
        return convert(in, len, encoding, out, out_len, name, err);
    }
    /* Byte-order marks. UTF-32LE's BOM begins like UTF-16LE's, so test it first. */
    if (len >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
        size_t v = tb_utf8_valid_prefix(in + 3, len - 3);
        if (v != len - 3)
            return tb_fail(err, TB_EDECODE, TB_AT_BYTE, v + 3,
                           "bytes after a UTF-8 BOM are not valid UTF-8: byte 0x%02X at offset %zu",
                           in[v + 3], v + 3);
        return copy_utf8(in + 3, len - 3, out, out_len, name, err);
    }
    if (len >= 4 && in[0] == 0xFF && in[1] == 0xFE && in[2] == 0 && in[3] == 0)
        return convert(in + 4, len - 4, "UTF-32LE", out, out_len, name, err);
    if (len >= 4 && in[0] == 0 && in[1] == 0 && in[2] == 0xFE && in[3] == 0xFF)
        return convert(in + 4, len - 4, "UTF-32BE", out, out_len, name, err);
    if (len >= 2 && in[0] == 0xFF && in[1] == 0xFE)
        return convert(in + 2, len - 2, "UTF-16LE", out, out_len, name, err);
    if (len >= 2 && in[0] == 0xFE && in[1] == 0xFF)
        return convert(in + 2, len - 2, "UTF-16BE", out, out_len, name, err);

    size_t valid = tb_utf8_valid_prefix(in, len);
    if (valid == len) return copy_utf8(in, len, out, out_len, name, err);
    if (looks_like_damaged_utf8(in, len, valid))
        return tb_fail(err, TB_EDECODE, TB_AT_BYTE, valid,
                       "bytes look like UTF-8 but byte 0x%02X at offset %zu is invalid; "
                       "pass encoding= to force another encoding", in[valid], valid);
    if (len > INT32_MAX)
        return tb_fail(err, TB_EDECODE, TB_AT_BYTE, valid,
                       "bytes are not valid UTF-8: byte 0x%02X at offset %zu", in[valid], valid);

    /* Ask ICU's detector, then fall back to the Chinese national encodings. */
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    if (U_SUCCESS(st)) {
        ucsdet_setText(det, (const char *)in, (int32_t)len, &st);
        int32_t n = 0;
        const UCharsetMatch **m = U_SUCCESS(st) ? ucsdet_detectAll(det, &n, &st) : NULL;
        for (int32_t i = 0; U_SUCCESS(st) && m && i < n; i++) {
            UErrorCode s2 = U_ZERO_ERROR;
            const char *enc = ucsdet_getName(m[i], &s2);
            if (U_FAILURE(s2) || !is_candidate(enc)) continue;
            if (convert_ex(in, len, enc, 1, out, out_len, name, NULL) == TB_OK) {
                ucsdet_close(det);
                return TB_OK;
            }
        }
    }
    static const char *fallback[] = {"GB18030", "Big5"};
    for (int i = 0; i < 2; i++) {
        if (convert_ex(in, len, fallback[i], 1, out, out_len, name, NULL) == TB_OK) {
            if (det) ucsdet_close(det);
            return TB_OK;
        }
    }
    if (det) ucsdet_close(det);
    return tb_fail(err, TB_EDECODE, TB_AT_BYTE, valid,
                   "cannot decode bytes: not valid UTF-8 (byte 0x%02X at offset %zu), GB18030 or "
                   "Big5; pass encoding= to force another encoding",
                   in[valid], valid);
}
