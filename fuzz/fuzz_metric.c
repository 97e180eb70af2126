/* Fuzz the metric pass: the shipped rule table over any text, through the
 * whole analyze pipeline (tb_analyze_utf8 with the gazetteer and the rules),
 * and the rule-table compiler itself.
 *
 * Input: one option byte. Bit 0: resolve against a reference date
 * (2022-03-28). Bit 1: the bytes up to the first 0xFF are a rule table of
 * their own, compiled first (it must compile or fail with TB_ERULE, never
 * crash) and, when it compiles, used instead of the shipped one. The rest
 * is UTF-8 text.
 *
 * Invariants: every row's evidence and region span lie inside the text;
 * metric, scope, origin and rule indices are in range; consistent is -1, 0
 * or 1; a code is 0 or six digits; the date is a terminated ISO string of
 * X and digits; a breakdown row (part) follows a total. */
#include "fuzz_common.h"

#include "core/tb_analyze.h"
#include "core/tb_metric_rules.h"

static tb_segmenter fz_seg;
static tb_gazetteer *fz_gz;
static tb_metric_rules *fz_rules;

static int date_ok(const char *d) {
    size_t n = strnlen(d, TB_DATE_VALUE_MAX);
    if (n >= TB_DATE_VALUE_MAX) return 0;
    for (size_t k = 0; k < n; k++) {
        char c = d[k];
        if (!((c >= '0' && c <= '9') || c == 'X' || c == '-' || c == 'T' || c == ':' || c == 'W')) return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    tb_error e = {0};
    if (fz_gz == NULL) {
        size_t len;
        const char *src = tb_metric_rules_default_source(&len);
        FZ_CHECK(tb_segmenter_init(&fz_seg, fz_lex, fz_folder, TB_STYLE_DEFAULT, &e) == TB_OK);
        FZ_CHECK(tb_gazetteer_new(fz_folder, fz_lex, &fz_gz, &e) == TB_OK);
        FZ_CHECK(tb_metric_rules_new(src, len, &fz_rules, &e) == TB_OK);
    }
    uint8_t opt = fz_take(&data, &size);
    const tb_metric_rules *rules = fz_rules;
    tb_metric_rules *own = NULL;
    if (opt & 2) {
        const uint8_t *sep = memchr(data, 0xFF, size);
        size_t n = sep ? (size_t)(sep - data) : size;
        tb_status s = tb_metric_rules_new((const char *)data, n, &own, &e);
        FZ_CHECK(s == TB_OK || s == TB_ERULE || s == TB_ENOMEM || s == TB_EINVAL);
        FZ_CHECK((s == TB_OK) == (own != NULL));
        if (own) rules = own;
        data += sep ? n + 1 : n;
        size -= sep ? n + 1 : n;
    }
    const tb_dateref ref = {2022, 3, 28, -1, -1};
    tb_analysis a = {0};
    tb_status s = tb_analyze_utf8(&fz_seg, fz_gz, rules, data, size, (opt & 1) ? &ref : NULL, &a, &e);
    FZ_CHECK(s == TB_OK || s == TB_EUTF8 || s == TB_ENOMEM || s == TB_ETOOBIG);
    if (s == TB_OK) {
        size_t n = a.text.n;
        for (size_t k = 0; k < a.metrics.n; k++) {
            const tb_metric *m = &a.metrics.v[k];
            FZ_CHECK(m->start <= m->end && m->end <= n);
            FZ_CHECK(m->region_start <= m->region_end && m->region_end <= n);
            FZ_CHECK(m->metric < rules->n_metrics);
            FZ_CHECK(m->scope <= rules->n_scopes && m->origin <= rules->n_origins);
            FZ_CHECK(m->rule < rules->n_rules + rules->n_items);
            FZ_CHECK(m->consistent >= -1 && m->consistent <= 1);
            FZ_CHECK(m->code == 0 || (m->code >= 100000 && m->code <= 999999));
            FZ_CHECK(date_ok(m->date));
            FZ_CHECK(!m->part || k > 0);
            FZ_CHECK(!isnan(m->value));
        }
    }
    tb_analysis_free(&a);
    tb_metric_rules_free(own);
    return 0;
}
