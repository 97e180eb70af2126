/* Unit tests of the metric pass (tb_metric.h, tb_metric_rules.h) without
 * Python, over the whole analyze pipeline with the shipped rule table:
 *   tests/c/build/test_metric path/to/lexicon.bin [file.txt [YYYY-MM-DD]]
 * With a file, prints its rows instead (a debugging aid).
 *
 * Each case renders the rows as
 *   metric/scope/origin@region(code)#date=value[~approx][!consistent] | …
 * (scope/origin '-' when none; consistent as +, x or nothing for -1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tb_analyze.h"
#include "core/tb_lexicon.h"
#include "core/tb_metric_rules.h"
#include "core/tb_utf8.h"

#include "check.h"

static tb_lexicon *lex;
static tb_folder *folder;
static tb_segmenter seg;
static tb_gazetteer *gz;
static tb_metric_rules *rules;

/* The UTF-8 of code points [a, b) of `text`. */
static size_t put_span(const char *text, size_t a, size_t b, char *out, size_t o, size_t cap) {
    size_t len = strlen(text), ncp = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = tb_utf8_next((const uint8_t *)text + i, len - i, 1, &cp);
        if (k == 0) k = 1;
        if (ncp >= a && ncp < b && o + k < cap) {
            memcpy(out + o, text + i, k);
            o += k;
        }
        ncp++;
        i += k;
    }
    return o;
}

static const char *render(const char *text, const tb_dateref *ref) {
    static char out[1 << 16];
    tb_analysis a = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_analyze_utf8(&seg, gz, rules, (const uint8_t *)text, strlen(text), ref, &a, &e) != TB_OK) {
        snprintf(out, sizeof out, "ERROR: %s", e.message);
        tb_analysis_free(&a);
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; i < a.metrics.n && o < sizeof out - 400; i++) {
        const tb_metric *m = &a.metrics.v[i];
        if (i) o += (size_t)snprintf(out + o, sizeof out - o, " | ");
        o += (size_t)snprintf(out + o, sizeof out - o, "%s/%s/%s@", rules->metrics[m->metric].name,
                              m->scope ? rules->scopes[m->scope - 1] : "-",
                              m->origin ? rules->origins[m->origin - 1] : "-");
        if (m->region_end > m->region_start) o = put_span(text, m->region_start, m->region_end, out, o, sizeof out);
        else if (m->region_name) o += (size_t)snprintf(out + o, sizeof out - o, "%s", m->region_name);
        if (m->code) o += (size_t)snprintf(out + o, sizeof out - o, "(%06u)", m->code);
        o += (size_t)snprintf(out + o, sizeof out - o, "#%s=%g", m->date, m->value);
        if (m->approx) o += (size_t)snprintf(out + o, sizeof out - o, "~%d", m->approx);
        if (m->consistent >= 0) o += (size_t)snprintf(out + o, sizeof out - o, "!%s", m->consistent ? "+" : "x");
    }
    out[o] = 0;
    tb_analysis_free(&a);
    return out;
}

static int expect(const char *text, const tb_dateref *ref, const char *want) {
    const char *got = render(text, ref);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  %s\n    got:  %s\n    want: %s\n", text, got, want);
        return 0;
    }
    return 1;
}

#define E(text, ref, want) CHECK(expect(text, ref, want))

static int print_file(const char *path, const char *refs) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    tb_dateref ref = {0, 0, 0, -1, -1}, *rp = NULL;
    if (refs && sscanf(refs, "%d-%d-%d", &ref.year, &ref.month, &ref.day) == 3) rp = &ref;
    const char *r = render(buf, rp);
    for (const char *p = r; *p; p++) {
        if (p[0] == ' ' && p[1] == '|' && p[2] == ' ') {
            putchar('\n');
            p += 2;
        } else {
            putchar(*p);
        }
    }
    putchar('\n');
    return 0;
}

int main(int argc, char **argv) {
    open_test_lexicon(argc, argv, "lexicon.bin [file.txt [ref-date]]", &lex, &folder);
    tb_error e = {0};
    size_t len;
    const char *src = tb_metric_rules_default_source(&len);
    if (tb_segmenter_init(&seg, lex, folder, TB_STYLE_DEFAULT, &e) != TB_OK ||
        tb_gazetteer_new(folder, lex, &gz, &e) != TB_OK || tb_metric_rules_new(src, len, &rules, &e) != TB_OK) {
        fprintf(stderr, "set-up failed: %s (line %zu)\n", e.message, e.offset);
        return 2;
    }
    if (argc > 2) return print_file(argv[2], argc > 3 ? argv[3] : NULL);
    CHECK_REPORT();
}
