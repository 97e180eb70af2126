#include "tb_text.h"

#include <stdlib.h>

#include "tb_utf8.h"

tb_status tb_text_build(tb_folder *folder, const uint8_t *utf8, size_t len, tb_text *out,
                        tb_error *err) {
    out->cp = NULL;
    out->cls = NULL;
    out->n = 0;
    /* At most one code point per byte; +1 keeps malloc(0) out of the picture. */
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    uint8_t *cls = malloc(len + 1);
    if (cp == NULL || cls == NULL) {
        free(cp);
        free(cls);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for a text of %zu bytes", len);
    }
    _Atomic uint32_t *table = tb_folder_table(folder);
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t k;
        if (utf8[i] < 0x80) {
            c = utf8[i];
            k = 1;
        } else {
            k = tb_utf8_next(utf8 + i, len - i, 1, &c);
            if (k == 0) {
                free(cp);
                free(cls);
                return tb_fail(err, TB_EUTF8, TB_AT_BYTE, i, "malformed UTF-8 at byte %zu", i);
            }
        }
        if (n == UINT32_MAX) {
            free(cp);
            free(cls);
            return tb_fail(err, TB_ETOOBIG, TB_AT_CODEPOINT, n, "text longer than 2^32-1 code points");
        }
        cp[n] = tb_fold_fast(folder, table, c, &cls[n]);
        n++;
        i += k;
    }
    out->cp = cp;
    out->cls = cls;
    out->n = n;
    return TB_OK;
}

tb_status tb_text_build_cps(tb_folder *folder, const void *cps, size_t n, int width, tb_text *out,
                            tb_error *err) {
    out->cp = NULL;
    out->cls = NULL;
    out->n = 0;
    if (width != 1 && width != 2 && width != 4)
        return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "code point width must be 1, 2 or 4, not %d", width);
    if (n >= UINT32_MAX)
        return tb_fail(err, TB_ETOOBIG, TB_AT_CODEPOINT, n, "text longer than 2^32-1 code points");
    uint32_t *cp = malloc((n + 1) * sizeof *cp);
    uint8_t *cls = malloc(n + 1);
    if (cp == NULL || cls == NULL) {
        free(cp);
        free(cls);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for a text of %zu code points", n);
    }
    _Atomic uint32_t *table = tb_folder_table(folder);
    for (size_t i = 0; i < n; i++) {
        uint32_t c = width == 1 ? ((const uint8_t *)cps)[i]
                   : width == 2 ? ((const uint16_t *)cps)[i]
                                : ((const uint32_t *)cps)[i];
        cp[i] = tb_fold_fast(folder, table, c, &cls[i]);
    }
    out->cp = cp;
    out->cls = cls;
    out->n = n;
    return TB_OK;
}

void tb_text_free(tb_text *t) {
    free(t->cp);
    free(t->cls);
    t->cp = NULL;
    t->cls = NULL;
    t->n = 0;
}
