/* One document of tongbao.extract through the engine, with no Python: what
 * the binding runs for every document of a batch while the GIL is released.
 *
 *   1. the binary check: a text holding NUL, or control characters
 *      (U+0000..0008, 000E..001F, 007F) in more than 1% of its code points,
 *      is data that happened to decode, not a bulletin: not analysed;
 *   2. the analysis (tb_analyze.h) against the given reference, if any;
 *      when there is none and the text states no date of its own, once more
 *      against the fallback (the page's or the file name's date), so the
 *      caller never has to come back for a second pass;
 *   3. the fingerprint's hash (tb_fp_digest) without the page-chrome lines
 *      the caller names: it found them among the candidate lines of
 *      tb_fp_scan (a quick pass before this one), where Python's rules
 *      decide.
 *
 * Touches no global state: one segmenter, gazetteer and rule table serve
 * many threads at once, as for tb_analyze_cps. */
#ifndef TB_EXTRACT_H
#define TB_EXTRACT_H

#include "tb_analyze.h"
#include "tb_fingerprint.h"

#define TB_EXTRACT_DIGEST 16   /* bytes of the fingerprint's BLAKE2b */

typedef struct {
    int binary;            /* step 1 refused the text; nothing else is set */
    int used_fallback;     /* step 2 ran against the fallback */
    tb_dateref found;      /* the text's own date (of the first run), when has_found */
    int has_found;
    int found_source;      /* tb_docdate source of `found` */
    tb_analysis a;
    /* step 3; fp_simple 0: not asked for, or the text holds a code point the
     * table leaves to the caller's own definition (fp_digest is not set) */
    int fp_simple;
    uint8_t fp_digest[TB_EXTRACT_DIGEST];
} tb_extract_doc;

typedef struct {
    tb_segmenter *seg;
    tb_gazetteer *gz;               /* NULL: no entities (nor metrics) */
    const tb_metric_rules *rules;   /* NULL: no metrics */
    const uint8_t *fp_table;        /* 65536 flag bytes; NULL: no fingerprint */
    int no_binary_check;            /* analyse whatever the text (tongbao.analyze) */
} tb_extract_opts;

/* 1 when n code points of `width` bytes hold NUL or more than 1% control characters. */
int tb_extract_is_binary(const void *cps, size_t n, int width);

/* Steps 1-3 on one text into `out` (zeroed by the caller; freed with
 * tb_extract_doc_free whatever the status). `ref` and `fallback` may be
 * NULL; `drop` (n_drop ascending line numbers) the chrome lines, NULL for no
 * fingerprint (nor one without a fp_table). */
tb_status tb_extract_run(const tb_extract_opts *o, const void *cps, size_t n, int width, const tb_dateref *ref,
                         const tb_dateref *fallback, const size_t *drop, size_t n_drop, tb_extract_doc *out,
                         tb_error *err);

void tb_extract_doc_free(tb_extract_doc *d);

#endif
