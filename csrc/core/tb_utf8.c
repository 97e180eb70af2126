#include "tb_utf8.h"

#include <stdlib.h>
#include <string.h>

size_t tb_utf8_next(const uint8_t *s, size_t len, int allow_surrogates, uint32_t *cp) {
    uint8_t b0 = s[0];
    if (b0 < 0x80) { *cp = b0; return 1; }
    if (b0 < 0xC2) return 0;
    if (b0 < 0xE0) {
        if (len < 2 || (s[1] & 0xC0) != 0x80) return 0;
        *cp = ((uint32_t)(b0 & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (b0 < 0xF0) {
        if (len < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
        uint32_t c = ((uint32_t)(b0 & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (c < 0x800) return 0;                                   /* overlong */
        if (c >= 0xD800 && c <= 0xDFFF && !allow_surrogates) return 0;
        *cp = c;
        return 3;
    }
    if (b0 < 0xF5) {
        if (len < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        uint32_t c = ((uint32_t)(b0 & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (c < 0x10000 || c > 0x10FFFF) return 0;
        *cp = c;
        return 4;
    }
    return 0;
}

tb_status tb_utf8_decode(const uint8_t *s, size_t len, int allow_surrogates, uint32_t *out,
                         size_t *n_out, tb_error *err) {
    size_t i = 0, n = 0;
    while (i < len) {
        /* ASCII fast path: most separators, digits and Latin are single bytes. */
        if (s[i] < 0x80) { out[n++] = s[i++]; continue; }
        uint32_t cp;
        size_t k = tb_utf8_next(s + i, len - i, allow_surrogates, &cp);
        if (k == 0)
            return tb_fail(err, TB_EUTF8, TB_AT_BYTE, i, "invalid UTF-8 byte 0x%02X at byte %zu",
                           s[i], i);
        out[n++] = cp;
        i += k;
    }
    *n_out = n;
    return TB_OK;
}

size_t tb_utf8_valid_prefix(const uint8_t *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        if (s[i] < 0x80) { i++; continue; }
        uint32_t cp;
        size_t k = tb_utf8_next(s + i, len - i, 0, &cp);
        if (k == 0) return i;
        i += k;
    }
    return len;
}

int tb_utf8_measure(const uint8_t *s, size_t len, size_t *n_cp, uint32_t *max_cp) {
    size_t i = 0, n = 0;
    uint32_t max = 0;
    while (i < len) {
        if (s[i] < 0x80) {
            if (s[i] > max) max = s[i];
            i++;
            n++;
            continue;
        }
        uint32_t cp;
        size_t k = tb_utf8_next(s + i, len - i, 0, &cp);
        if (k == 0) return 0;
        if (cp > max) max = cp;
        i += k;
        n++;
    }
    *n_cp = n;
    *max_cp = max;
    return 1;
}

void tb_utf8_decode_units(const uint8_t *s, size_t len, int width, void *out) {
    uint8_t *o1 = out;
    uint16_t *o2 = out;
    uint32_t *o4 = out;
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp = s[i];
        size_t k = 1;
        if (cp >= 0x80) k = tb_utf8_next(s + i, len - i, 0, &cp);   /* valid: k >= 2 */
        if (width == 1) o1[n] = (uint8_t)cp;
        else if (width == 2) o2[n] = (uint16_t)cp;
        else o4[n] = cp;
        i += k;
        n++;
    }
}

int tb_utf8_to_units(const uint8_t *s, size_t len, tb_utf8_units *out) {
    static const uint8_t bom[3] = {0xEF, 0xBB, 0xBF};
    out->units = NULL;
    if (len == 0 || (len >= 3 && memcmp(s, bom, 3) == 0)) return 0;
    if (!tb_utf8_measure(s, len, &out->n, &out->max)) return 0;
    out->width = out->max < 0x100 ? 1 : out->max < 0x10000 ? 2 : 4;
    out->units = malloc(out->n * (size_t)out->width);
    if (out->units == NULL) return 0;
    tb_utf8_decode_units(s, len, out->width, out->units);
    return 1;
}

int tb_utf8_encode(uint32_t cp, uint8_t *buf) {
    if (cp < 0x80) { buf[0] = (uint8_t)cp; return 1; }
    if (cp < 0x800) {
        buf[0] = (uint8_t)(0xC0 | (cp >> 6));
        buf[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (uint8_t)(0xE0 | (cp >> 12));
        buf[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (uint8_t)(0xF0 | (cp >> 18));
    buf[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}
