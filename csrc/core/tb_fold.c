#include "tb_fold.h"

#include <stdatomic.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>

#define TB_MAX_CP TB_FOLD_MAX_CP
#define ENTRY_VALID TB_FOLD_VALID
#define ENTRY_CLASS_SHIFT TB_FOLD_CLASS_SHIFT

struct tb_folder {
    _Atomic uint32_t *table;         /* TB_MAX_CP entries: valid | class<<24 | folded cp */
    const UNormalizer2 *nfkc;        /* owned by ICU, thread-safe */
    const uint32_t *t2s;             /* sorted (traditional, simplified) pairs, borrowed */
    size_t n_t2s;
};

tb_status tb_folder_new(const uint32_t *t2s_pairs, size_t n_pairs, tb_folder **out, tb_error *err) {
    tb_folder *f = calloc(1, sizeof *f);
    if (f == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    f->table = calloc(TB_MAX_CP, sizeof *f->table);
    if (f->table == NULL) {
        free(f);
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    }
    UErrorCode st = U_ZERO_ERROR;
    f->nfkc = unorm2_getNFKCInstance(&st);
    if (U_FAILURE(st)) {
        free(f->table);
        free(f);
        tb_status s = tb_fail(err, TB_EICU, TB_AT_NONE, 0, "ICU NFKC unavailable: %s", u_errorName(st));
        if (err) err->icu_code = st;
        return s;
    }
    f->t2s = t2s_pairs;
    f->n_t2s = n_pairs;
    *out = f;
    return TB_OK;
}

void tb_folder_free(tb_folder *f) {
    if (f == NULL) return;
    free(f->table);
    free(f);
}

static tb_class classify(uint32_t cp) {
    UChar32 c = (UChar32)cp;
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || u_isUWhiteSpace(c))
        return TB_C_SPACE;
    if (u_isdigit(c)) return TB_C_DIGIT;
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(c, &st);
    int8_t gc = u_charType(c);
    if (U_SUCCESS(st) && script == USCRIPT_HAN &&
        (gc == U_OTHER_LETTER || gc == U_LETTER_NUMBER))
        return TB_C_HAN;
    if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_COMBINING_SPACING_MARK ||
        cp == 0x200D || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF) ||
        (cp >= 0x1F3FB && cp <= 0x1F3FF))
        return TB_C_EXTEND;
    if (u_isalpha(c)) return TB_C_ALPHA;
    return TB_C_OTHER;
}

/* NFKC of a single code point when it is a single code point, else cp. */
static uint32_t nfkc_one(const tb_folder *f, uint32_t cp) {
    if (cp < 0xA0) return cp;                              /* ASCII and C1 are NFKC-stable */
    if (cp >= 0xD800 && cp <= 0xDFFF) return cp;           /* lone surrogates stay as they are */
    UChar src[2], dst[8];
    int32_t n = 0;
    U16_APPEND_UNSAFE(src, n, (UChar32)cp);
    UErrorCode st = U_ZERO_ERROR;
    int32_t m = unorm2_normalize(f->nfkc, src, n, dst, 8, &st);
    if (U_FAILURE(st) || m <= 0) return cp;
    UChar32 out;
    int32_t i = 0;
    U16_NEXT(dst, i, m, out);
    return i == m ? (uint32_t)out : cp;
}

/* Traditional -> Simplified for one Han code point (table lookup). */
static uint32_t hant_hans_one(const tb_folder *f, uint32_t cp) {
    size_t lo = 0, hi = f->n_t2s;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->t2s[2 * mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return (lo < f->n_t2s && f->t2s[2 * lo] == cp) ? f->t2s[2 * lo + 1] : cp;
}

static uint32_t compute(tb_folder *f, uint32_t cp) {
    uint32_t folded = nfkc_one(f, cp);
    /* ○ (WHITE CIRCLE) and ◯ stand for the numeral zero 〇 in Chinese dates
     * (二○○一年). Tested after NFKC, so the half-width ￮ (U+FFEE, NFKC ○)
     * reads as 〇 too: folding must be idempotent. */
    if (folded == 0x25CB || folded == 0x25EF)
        return ENTRY_VALID | ((uint32_t)TB_C_HAN << ENTRY_CLASS_SHIFT) | 0x3007u;
    tb_class cls = classify(folded);
    if (cls == TB_C_HAN) folded = hant_hans_one(f, folded);
    /* A combining mark keeps its class even if NFKC changed it. */
    if (classify(cp) == TB_C_EXTEND) cls = TB_C_EXTEND;
    return ENTRY_VALID | ((uint32_t)cls << ENTRY_CLASS_SHIFT) | (folded & 0x1FFFFF);
}

uint32_t tb_folder_one(tb_folder *f, uint32_t cp, uint8_t *cls) {
    if (cp >= TB_MAX_CP) {
        if (cls) *cls = TB_C_OTHER;
        return cp;
    }
    uint32_t e = atomic_load_explicit(&f->table[cp], memory_order_relaxed);
    if (!(e & ENTRY_VALID)) {
        e = compute(f, cp);
        atomic_store_explicit(&f->table[cp], e, memory_order_relaxed);
    }
    if (cls) *cls = (uint8_t)((e >> ENTRY_CLASS_SHIFT) & 0x7F);
    return e & 0x1FFFFF;
}

_Atomic uint32_t *tb_folder_table(tb_folder *f) { return f->table; }

