#include "tb_icubreak.h"

#include <stdlib.h>

#include <unicode/ubrk.h>
#include <unicode/utf16.h>

#include "tb_utf8.h"
#include "tb_vec.h"

struct tb_icubreak {
    UBreakIterator *proto;
};

tb_status tb_icubreak_new(tb_icubreak **out, tb_error *err) {
    tb_icubreak *b = calloc(1, sizeof *b);
    if (b == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    UErrorCode st = U_ZERO_ERROR;
    b->proto = ubrk_open(UBRK_WORD, "zh", NULL, 0, &st);
    if (U_FAILURE(st)) {
        free(b);
        tb_status s = tb_fail(err, TB_EICU, TB_AT_NONE, 0, "ICU word break iterator: %s", u_errorName(st));
        if (err) err->icu_code = st;
        return s;
    }
    *out = b;
    return TB_OK;
}

void tb_icubreak_free(tb_icubreak *b) {
    if (b == NULL) return;
    ubrk_close(b->proto);
    free(b);
}

tb_status tb_icubreak_segment(tb_icubreak *b, tb_folder *folder, const uint8_t *s, size_t len,
                              tb_tokens *out, tb_error *err) {
    if (len > INT32_MAX / 2)
        return tb_fail(err, TB_ETOOBIG, TB_AT_NONE, 0, "text over 1 GB for the icu engine");
    /* UTF-8 -> UTF-16 by hand so lone surrogates pass through as single units. */
    UChar *u = malloc((len + 1) * sizeof *u);
    uint32_t *cp_at = malloc((len + 2) * sizeof *cp_at);   /* UTF-16 index -> code point index */
    if (u == NULL || cp_at == NULL) {
        free(u);
        free(cp_at);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    int32_t n16 = 0;
    uint32_t ncp = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = tb_utf8_next(s + i, len - i, 1, &cp);
        if (k == 0) {
            free(u);
            free(cp_at);
            return tb_fail(err, TB_EUTF8, TB_AT_BYTE, i, "invalid UTF-8 at byte %zu", i);
        }
        cp_at[n16] = ncp;
        if (cp >= 0x10000) {
            u[n16++] = U16_LEAD(cp);
            cp_at[n16] = ncp;
            u[n16++] = U16_TRAIL(cp);
        } else {
            u[n16++] = (UChar)cp;
        }
        ncp++;
        i += k;
    }
    cp_at[n16] = ncp;

    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_clone(b->proto, &st);
    if (U_SUCCESS(st)) ubrk_setText(bi, u, n16, &st);
    tb_status rc = TB_OK;
    if (U_FAILURE(st)) {
        rc = tb_fail(err, TB_EICU, TB_AT_NONE, 0, "ICU break iterator: %s", u_errorName(st));
        if (err) err->icu_code = st;
    } else {
        int32_t prev = ubrk_first(bi);
        for (int32_t p = ubrk_next(bi); p != UBRK_DONE; p = ubrk_next(bi)) {
            int32_t status = ubrk_getRuleStatus(bi);
            uint8_t kind;
            if (status >= UBRK_WORD_IDEO && status < UBRK_WORD_IDEO_LIMIT) kind = TB_K_WORD;
            else if (status >= UBRK_WORD_KANA && status < UBRK_WORD_KANA_LIMIT) kind = TB_K_WORD;
            else if (status >= UBRK_WORD_LETTER && status < UBRK_WORD_LETTER_LIMIT) kind = TB_K_ALNUM;
            else if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) kind = TB_K_NUMBER;
            else {
                uint8_t cls;
                tb_folder_one(folder, u[prev], &cls);
                kind = cls == TB_C_SPACE ? TB_K_SPACE : TB_K_PUNCT;
            }
            if (TB_VEC_RESERVE(out->v, out->cap, out->n + 1) != TB_OK) {
                rc = tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
                break;
            }
            tb_token *t = &out->v[out->n++];
            t->start = cp_at[prev];
            t->end = cp_at[p];
            t->node = TB_LEX_NONE;
            t->tag = 0;
            t->kind = kind;
            t->flags = 0;
            prev = p;
        }
    }
    if (bi) ubrk_close(bi);
    free(u);
    free(cp_at);
    return rc;
}
