/* The per-document pipeline of tongbao.extract (tb_extract.h). */
#include "tb_extract.h"

#include <stdlib.h>
#include <string.h>

static inline uint32_t unit(const void *cps, int width, size_t i) {
    switch (width) {
    case 1: return ((const uint8_t *)cps)[i];
    case 2: return ((const uint16_t *)cps)[i];
    default: return ((const uint32_t *)cps)[i];
    }
}

int tb_extract_is_binary(const void *cps, size_t n, int width) {
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = unit(cps, width, i);
        if (c < 0x20 || c == 0x7f) {
            if (c == 0) return 1;
            if (c <= 0x08 || c >= 0x0e) controls++;
        }
    }
    /* the share as Python computes it (a float product), so both agree on the edge */
    return (double)controls > (double)n * 0.01;
}

tb_status tb_extract_run(const tb_extract_opts *o, const void *cps, size_t n, int width, const tb_dateref *ref,
                         const tb_dateref *fallback, const size_t *drop, size_t n_drop, tb_extract_doc *out,
                         tb_error *err) {
    if (!o->no_binary_check && tb_extract_is_binary(cps, n, width)) {
        out->binary = 1;
        return TB_OK;
    }
    tb_status s = tb_analyze_cps(o->seg, o->gz, o->rules, cps, n, width, ref, &out->a, err);
    if (s != TB_OK) return s;
    out->has_found = out->a.has_found;
    out->found = out->a.found;
    out->found_source = out->a.dates.doc_source;
    if (ref == NULL && !out->has_found && fallback != NULL) {
        /* the text states no date: its year-less and relative dates, and
         * its metrics' dates, resolve against the fallback instead */
        tb_analysis_free(&out->a);
        memset(&out->a, 0, sizeof out->a);
        out->used_fallback = 1;
        s = tb_analyze_cps(o->seg, o->gz, o->rules, cps, n, width, fallback, &out->a, err);
        if (s != TB_OK) return s;
    }
    if (o->fp_table && drop) {
        int rc = tb_fp_digest((tb_fp_text){cps, width, n}, o->fp_table, drop, n_drop, out->fp_digest,
                              sizeof out->fp_digest);
        if (rc < 0) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
        out->fp_simple = rc;
    }
    return s;
}

void tb_extract_doc_free(tb_extract_doc *d) { tb_analysis_free(&d->a); }
