/* Parsing and compiling the metric rule table (tb_metric_rules.h).
 *
 * Two steps. The parser reads the lines into declarations (metrics, scopes,
 * origins, class words, macros, rules, items, cues) and checks names; the
 * compiler expands {NAME} references into PCRE2 syntax — a class becomes an
 * alternation of named groups, one per word line (K_value, duplicate names
 * allowed), a placeholder its private-use code point — joins the lines of
 * one kind into one pattern, converts it to 32-bit code units and compiles
 * it, JIT included where available. The name table of each compiled pattern
 * then gives every group its meaning (tb_rgroup), so a scan never looks at
 * names. */
#include "tb_metric_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb_metric_rules_data.h"
#include "tb_utf8.h"
#include "tb_vec.h"

#define MAX_DEPTH 16 /* nesting of {NAME} references */

/* ---- a growable string -------------------------------------------------- */

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n) {
    if (TB_VEC_RESERVE(b->s, b->cap, b->n + n + 1) != TB_OK) return -1;
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
    return 0;
}

static int sb_str(sbuf *b, const char *s) { return sb_add(b, s, strlen(s)); }

/* ---- declarations ------------------------------------------------------- */

typedef struct {
    char cls[TB_MR_NAME_MAX];   /* MN, S, … */
    char value[TB_MR_NAME_MAX];
    char *pattern;
    size_t line;
} word_decl;

typedef struct {
    char name[TB_MR_NAME_MAX];
    char *pattern;
    size_t line;
} named_decl;

typedef struct {
    word_decl *words;
    size_t n_words, words_cap;
    named_decl *defines, *rules, *items, *cues, *notasofs, *drops, *lists, *weaks;
    size_t n_defines, n_rules, n_items, n_cues, n_notasofs, n_drops, n_lists, n_weaks;
    size_t defines_cap, rules_cap, items_cap, cues_cap, notasofs_cap, drops_cap, lists_cap, weaks_cap;
} decls;

static void decls_free(decls *d) {
    for (size_t k = 0; k < d->n_words; k++) free(d->words[k].pattern);
    named_decl *lists[] = {d->defines, d->rules, d->items, d->cues, d->notasofs, d->drops, d->lists, d->weaks};
    size_t ns[] = {d->n_defines, d->n_rules, d->n_items, d->n_cues, d->n_notasofs, d->n_drops, d->n_lists, d->n_weaks};
    for (int l = 0; l < 8; l++) {
        for (size_t k = 0; k < ns[l]; k++) free(lists[l][k].pattern);
        free(lists[l]);
    }
    free(d->words);
}

static int is_name_char(char c, int upper) {
    if (c == '_' || (c >= '0' && c <= '9')) return 1;
    return upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z');
}

/* A lower-case name (metrics, scopes, values) or an upper-case one (classes, macros). */
static int valid_name(const char *s, size_t n, int upper) {
    if (n == 0 || n >= TB_MR_NAME_MAX || (s[0] >= '0' && s[0] <= '9')) return 0;
    for (size_t k = 0; k < n; k++)
        if (!is_name_char(s[k], upper)) return 0;
    return 1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* The next white-space separated field of [*p, end); its length. */
static size_t field(const char **p, const char *end, const char **start) {
    while (*p < end && is_blank(**p)) (*p)++;
    *start = *p;
    while (*p < end && !is_blank(**p)) (*p)++;
    return (size_t)(*p - *start);
}

static char *dup_range(const char *s, const char *e) {
    while (s < e && is_blank(*s)) s++;
    while (e > s && is_blank(e[-1])) e--;
    char *out = malloc((size_t)(e - s) + 1);
    if (out) {
        memcpy(out, s, (size_t)(e - s));
        out[e - s] = 0;
    }
    return out;
}

static int find_name(const char (*names)[TB_MR_NAME_MAX], size_t n, const char *s, size_t len) {
    for (size_t k = 0; k < n; k++)
        if (strlen(names[k]) == len && memcmp(names[k], s, len) == 0) return (int)k;
    return -1;
}

static int find_metric(const tb_metric_rules *r, const char *s, size_t len) {
    for (size_t k = 0; k < r->n_metrics; k++)
        if (strlen(r->metrics[k].name) == len && memcmp(r->metrics[k].name, s, len) == 0) return (int)k;
    return -1;
}

static int area_level(const char *s, size_t len) {
    if (len == 8 && memcmp(s, "province", 8) == 0) return TB_AREA_PROVINCE;
    if (len == 4 && memcmp(s, "city", 4) == 0) return TB_AREA_CITY;
    if (len == 6 && memcmp(s, "county", 6) == 0) return TB_AREA_COUNTY;
    return 0;
}

#define FAIL_LINE(...) tb_fail(err, TB_ERULE, TB_AT_LINE, line, __VA_ARGS__)

static tb_status add_name(char (**names)[TB_MR_NAME_MAX], size_t *n, const char *s, size_t len, size_t line,
                          const char *what, tb_error *err) {
    if (!valid_name(s, len, 0)) return FAIL_LINE("%s name '%.*s' is not [a-z_][a-z0-9_]*", what, (int)len, s);
    if (find_name((const char (*)[TB_MR_NAME_MAX]) * names, *n, s, len) >= 0)
        return FAIL_LINE("%s '%.*s' declared twice", what, (int)len, s);
    if (*n >= 250) return FAIL_LINE("too many %ss", what);
    char (*nn)[TB_MR_NAME_MAX] = realloc(*names, (*n + 1) * sizeof **names);
    if (nn == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    *names = nn;
    memcpy(nn[*n], s, len);
    nn[*n][len] = 0;
    (*n)++;
    return TB_OK;
}

/* `metric NAME [units=a,b,-] [stock] [default=SCOPE]` */
static tb_status parse_metric(tb_metric_rules *r, const char *p, const char *end, size_t line, tb_error *err) {
    const char *s;
    size_t len = field(&p, end, &s);
    if (!valid_name(s, len, 0)) return FAIL_LINE("metric name '%.*s' is not [a-z_][a-z0-9_]*", (int)len, s);
    if (find_metric(r, s, len) >= 0) return FAIL_LINE("metric '%.*s' declared twice", (int)len, s);
    if (r->n_metrics >= 250) return FAIL_LINE("too many metrics");
    tb_mr_metric *nm = realloc(r->metrics, (r->n_metrics + 1) * sizeof *nm);
    if (nm == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    r->metrics = nm;
    tb_mr_metric *m = &nm[r->n_metrics];
    memset(m, 0, sizeof *m);
    memcpy(m->name, s, len);
    while ((len = field(&p, end, &s)) > 0) {
        if (len > 6 && memcmp(s, "units=", 6) == 0) {
            const uint8_t *u = (const uint8_t *)s + 6, *ue = (const uint8_t *)s + len;
            while (u < ue) {
                const uint8_t *c = u;
                while (c < ue && *c != ',') c++;
                if (c - u == 1 && *u == '-') {
                    m->bare_ok = 1;
                } else {
                    if (c == u) return FAIL_LINE("empty unit in '%.*s'", (int)len, s);
                    if (m->n_units >= TB_MR_MAX_UNITS) return FAIL_LINE("more than %d units", TB_MR_MAX_UNITS);
                    size_t k = 0;
                    for (const uint8_t *x = u; x < c;) {
                        uint32_t cp;
                        size_t b = tb_utf8_next(x, (size_t)(c - x), 0, &cp);
                        if (b == 0) return FAIL_LINE("malformed UTF-8 in a unit");
                        if (k >= TB_MR_UNIT_MAX) return FAIL_LINE("a unit longer than %d characters", TB_MR_UNIT_MAX);
                        m->units[m->n_units][k++] = cp;
                        x += b;
                    }
                    m->units[m->n_units][k] = 0;
                    m->n_units++;
                }
                u = c < ue ? c + 1 : c;
            }
        } else if (len == 5 && memcmp(s, "stock", 5) == 0) {
            m->stock = 1;
        } else if (len == 6 && memcmp(s, "passed", 6) == 0) {
            m->passed = 1;
        } else if (len > 8 && memcmp(s, "default=", 8) == 0) {
            int sc = find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, s + 8, len - 8);
            if (sc < 0) return FAIL_LINE("default scope '%.*s' is not declared (declare scopes first)", (int)len - 8, s + 8);
            m->default_scope = (uint8_t)(sc + 1);
        } else {
            return FAIL_LINE("unknown metric option '%.*s' (units=…, stock, default=…, passed)", (int)len, s);
        }
    }
    r->n_metrics++;
    return TB_OK;
}

static tb_status push_named(named_decl **v, size_t *n, size_t *cap, const char *name, size_t nlen,
                            const char *p, const char *end, size_t line, tb_error *err) {
    if (TB_VEC_RESERVE(*v, *cap, *n + 1) != TB_OK) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    named_decl *d = &(*v)[*n];
    memset(d, 0, sizeof *d);
    if (nlen) memcpy(d->name, name, nlen);
    d->line = line;
    d->pattern = dup_range(p, end);
    if (d->pattern == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
    if (d->pattern[0] == 0) {
        free(d->pattern);
        return FAIL_LINE("a pattern is missing");
    }
    (*n)++;
    return TB_OK;
}

static int class_kind(const char *cls) {
    switch (cls[0]) {
    case 'M': return TB_G_METRIC;
    case 'S': return TB_G_SCOPE;
    case 'O': return TB_G_ORIGIN;
    case 'A': return TB_G_AREA;
    default: return 0;
    }
}

static int class_kind_n(const char *s) { return class_kind(s); }

static tb_status parse_line(tb_metric_rules *r, decls *d, const char *p, const char *end, size_t line,
                            tb_error *err) {
    const char *dir;
    size_t dlen = field(&p, end, &dir);
#define IS(w) (dlen == sizeof(w) - 1 && memcmp(dir, w, dlen) == 0)
    const char *s;
    size_t len;
    if (IS("scope") || IS("origin")) {
        len = field(&p, end, &s);
        tb_status st = IS("scope") ? add_name(&r->scopes, &r->n_scopes, s, len, line, "scope", err)
                                   : add_name(&r->origins, &r->n_origins, s, len, line, "origin", err);
        if (st != TB_OK) return st;
        if (field(&p, end, &s)) return FAIL_LINE("'%.*s' takes one name", (int)dlen, dir);
        return TB_OK;
    }
    if (IS("metric")) return parse_metric(r, p, end, line, err);
    if (IS("word")) {
        const char *cls, *val;
        size_t clen = field(&p, end, &cls), vlen = field(&p, end, &val);
        if (!valid_name(cls, clen, 1) || !(cls[0] >= 'A' && cls[0] <= 'Z'))
            return FAIL_LINE("class name '%.*s' is not [A-Z][A-Z0-9_]*", (int)clen, cls);
        char cname[TB_MR_NAME_MAX] = {0};
        memcpy(cname, cls, clen);
        int kind = class_kind(cname);
        if (!kind) return FAIL_LINE("class '%s' must start with M, S, O or A (its kind)", cname);
        int ok = kind == TB_G_METRIC ? find_metric(r, val, vlen) >= 0
                 : kind == TB_G_SCOPE ? find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, val, vlen) >= 0
                 : kind == TB_G_ORIGIN ? find_name((const char (*)[TB_MR_NAME_MAX])r->origins, r->n_origins, val, vlen) >= 0
                                       : area_level(val, vlen) > 0;
        if (!ok || vlen == 0)
            return FAIL_LINE("'%.*s' is not a declared %s", (int)vlen, val,
                             kind == TB_G_METRIC ? "metric" : kind == TB_G_SCOPE ? "scope"
                             : kind == TB_G_ORIGIN ? "origin" : "area level (province, city, county)");
        if (TB_VEC_RESERVE(d->words, d->words_cap, d->n_words + 1) != TB_OK)
            return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
        word_decl *w = &d->words[d->n_words];
        memset(w, 0, sizeof *w);
        memcpy(w->cls, cls, clen);
        memcpy(w->value, val, vlen);
        w->line = line;
        w->pattern = dup_range(p, end);
        if (w->pattern == NULL) return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory");
        if (w->pattern[0] == 0) {
            free(w->pattern);
            return FAIL_LINE("a pattern is missing");
        }
        d->n_words++;
        return TB_OK;
    }
    if (IS("define") || IS("rule") || IS("item")) {
        len = field(&p, end, &s);
        int upper = IS("define");
        if (!valid_name(s, len, upper))
            return FAIL_LINE("%s name '%.*s' is not %s", upper ? "macro" : "rule", (int)len, s,
                             upper ? "[A-Z][A-Z0-9_]*" : "[a-z_][a-z0-9_]*");
        if (IS("define")) {
            if (len == 1 && strchr("QNPDRB", s[0]))
                return FAIL_LINE("{%c} is a placeholder: a reserved name", s[0]);
            return push_named(&d->defines, &d->n_defines, &d->defines_cap, s, len, p, end, line, err);
        }
        if (IS("rule")) return push_named(&d->rules, &d->n_rules, &d->rules_cap, s, len, p, end, line, err);
        return push_named(&d->items, &d->n_items, &d->items_cap, s, len, p, end, line, err);
    }
    if (IS("cue")) return push_named(&d->cues, &d->n_cues, &d->cues_cap, "", 0, p, end, line, err);
    if (IS("list")) return push_named(&d->lists, &d->n_lists, &d->lists_cap, "", 0, p, end, line, err);
    if (IS("weak")) {
        len = field(&p, end, &s);
        if (!valid_name(s, len, 1) || class_kind_n(s) != TB_G_SCOPE)
            return FAIL_LINE("weak takes a scope class (S…), not '%.*s'", (int)len, s);
        return push_named(&d->weaks, &d->n_weaks, &d->weaks_cap, s, len, s, s + len, line, err);
    }
    if (IS("notasof")) return push_named(&d->notasofs, &d->n_notasofs, &d->notasofs_cap, "", 0, p, end, line, err);
    if (IS("drop")) return push_named(&d->drops, &d->n_drops, &d->drops_cap, "", 0, p, end, line, err);
#undef IS
    return FAIL_LINE("unknown directive '%.*s'", (int)dlen, dir);
}

/* ---- expansion -------------------------------------------------------------- */

typedef struct {
    const tb_metric_rules *r;
    const decls *d;
    tb_error *err;
    size_t line;
} xctx;

static tb_status expand(xctx *x, const char *src, sbuf *out, int depth);

static tb_status oom(tb_error *err) { return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory"); }

static int class_index(const tb_metric_rules *r, const char *cls) {
    for (size_t k = 0; k < r->n_classes; k++)
        if (strcmp(r->classes[k].name, cls) == 0) return (int)k;
    return -1;
}

/* {CLASS}: one group C_<index> around all its words (the value is found
 * after a match, tb_metric_rules_class_value); {CLASS:VALUE}: one named
 * group K_value around that value's words. `bare` leaves the group out
 * (a value's own pattern). */
static tb_status expand_words(xctx *x, const char *cls, const char *val, int bare, sbuf *out, int depth) {
    int kind = class_kind(cls);
    char kc = kind == TB_G_METRIC ? 'M' : kind == TB_G_SCOPE ? 'S' : kind == TB_G_ORIGIN ? 'O' : 'A';
    int any = 0;
    char open[TB_MR_NAME_MAX + 16];
    if (bare) snprintf(open, sizeof open, "(?:");
    else if (val) snprintf(open, sizeof open, "(?<%c_%s>(?:", kc, val);
    else snprintf(open, sizeof open, "(?<C_%d>(?:", class_index(x->r, cls));
    if (sb_str(out, open) < 0) return oom(x->err);
    for (size_t k = 0; k < x->d->n_words; k++) {
        const word_decl *w = &x->d->words[k];
        if (strcmp(w->cls, cls) != 0 || (val && strcmp(w->value, val) != 0)) continue;
        if (sb_str(out, any ? "|(?:" : "(?:") < 0) return oom(x->err);
        size_t saved = x->line;
        x->line = w->line;
        tb_status s = expand(x, w->pattern, out, depth + 1);
        x->line = saved;
        if (s != TB_OK) return s;
        if (sb_str(out, ")") < 0) return oom(x->err);
        any = 1;
    }
    if (!any) {
        size_t line = x->line;
        tb_error *err = x->err;
        return val ? FAIL_LINE("class %s has no words for '%s'", cls, val) : FAIL_LINE("no words of class %s", cls);
    }
    return sb_str(out, bare ? ")" : "))") < 0 ? oom(x->err) : TB_OK;
}

static void start_set(const char *expanded, tb_startset *set);

/* A class reference, behind a lookahead on the units its words can start
 * with: the JIT rejects a position with one class test instead of trying
 * every word (and every optional prefix of one) in turn. */
static tb_status expand_class(xctx *x, const char *cls, const char *val, sbuf *out, int depth) {
    sbuf t = {0};
    tb_status s = expand_words(x, cls, val, 0, &t, depth);
    tb_startset *ss = s == TB_OK ? malloc(sizeof *ss) : NULL;
    if (s == TB_OK && ss == NULL) s = oom(x->err);
    if (s == TB_OK) {
        start_set(t.s, ss);
        size_t count = 0;
        for (size_t w = 0; w < sizeof ss->bits / sizeof ss->bits[0]; w++) count += (size_t)__builtin_popcountll(ss->bits[w]);
        if (!ss->any && count > 0 && count <= 512) {
            if (sb_str(out, "(?=[") < 0) s = oom(x->err);
            for (uint32_t c = 0; s == TB_OK && c < 0x10000; c++) {
                if (!tb_startset_has(ss, c)) continue;
                uint32_t e = c;
                while (e + 1 < 0x10000 && tb_startset_has(ss, e + 1)) e++;
                char buf[32];
                if (e > c) snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", c, e);
                else snprintf(buf, sizeof buf, "\\x{%X}", c);
                if (sb_str(out, buf) < 0) s = oom(x->err);
                c = e;
            }
            if (s == TB_OK && sb_str(out, "])") < 0) s = oom(x->err);
        }
        if (s == TB_OK && sb_str(out, t.s) < 0) s = oom(x->err);
    }
    free(ss);
    free(t.s);
    return s;
}

static tb_status expand_ref(xctx *x, const char *name, sbuf *out, int depth) {
    size_t line = x->line;
    tb_error *err = x->err;
    static const struct { const char *n; unsigned cp; } ph[] = {
        {"Q", TB_PH_FIGURE}, {"N", TB_PH_ORDINAL}, {"P", TB_PH_PLACE},
        {"D", TB_PH_DATE}, {"R", TB_PH_RELDAY}, {"B", TB_PH_BREAK}};
    for (size_t k = 0; k < sizeof ph / sizeof ph[0]; k++) {
        if (strcmp(name, ph[k].n) == 0) {
            char buf[16];
            snprintf(buf, sizeof buf, "\\x{%X}", ph[k].cp);
            return sb_str(out, buf) < 0 ? oom(err) : TB_OK;
        }
    }
    const char *colon = strchr(name, ':');
    char cls[TB_MR_NAME_MAX] = {0};
    size_t clen = colon ? (size_t)(colon - name) : strlen(name);
    if (clen >= TB_MR_NAME_MAX) return FAIL_LINE("name too long: {%s}", name);
    memcpy(cls, name, clen);
    if (!colon) {
        for (size_t k = 0; k < x->d->n_defines; k++) {
            if (strcmp(x->d->defines[k].name, cls) != 0) continue;
            if (sb_str(out, "(?:") < 0) return oom(err);
            x->line = x->d->defines[k].line;
            tb_status s = expand(x, x->d->defines[k].pattern, out, depth + 1);
            x->line = line;
            if (s != TB_OK) return s;
            return sb_str(out, ")") < 0 ? oom(err) : TB_OK;
        }
    }
    for (size_t k = 0; k < x->d->n_words; k++)
        if (strcmp(x->d->words[k].cls, cls) == 0) return expand_class(x, cls, colon ? colon + 1 : NULL, out, depth);
    return FAIL_LINE("unknown name {%s}", name);
}

/* Copy `src` to `out`, replacing each {NAME} reference. A backslash escapes
 * the next character; braces that do not hold an upper-case name ({2,3})
 * are PCRE2's own. */
static tb_status expand(xctx *x, const char *src, sbuf *out, int depth) {
    size_t line = x->line;
    tb_error *err = x->err;
    if (depth > MAX_DEPTH) return FAIL_LINE("{NAME} references nested more than %d deep (a cycle?)", MAX_DEPTH);
    const char *p = src;
    while (*p) {
        if (*p == '\\' && p[1]) {
            /* copy the escape and its whole argument: \x{E000}, \p{Han} */
            const char *q = p + 2;
            if (*q == '{') {
                while (*q && *q != '}') q++;
                if (*q) q++;
            }
            if (sb_add(out, p, (size_t)(q - p)) < 0) return oom(err);
            p = q;
            continue;
        }
        if (*p == '{' && p[1] >= 'A' && p[1] <= 'Z') {
            const char *q = p + 1;
            while (*q && (is_name_char(*q, 1) || *q == ':' || (*q >= 'a' && *q <= 'z'))) q++;
            if (*q == '}') {
                char name[2 * TB_MR_NAME_MAX + 2];
                size_t n = (size_t)(q - p - 1);
                if (n >= sizeof name) return FAIL_LINE("name too long in a reference");
                memcpy(name, p + 1, n);
                name[n] = 0;
                tb_status s = expand_ref(x, name, out, depth);
                if (s != TB_OK) return s;
                p = q + 1;
                continue;
            }
        }
        if (sb_add(out, p, 1) < 0) return oom(err);
        p++;
    }
    return TB_OK;
}

/* ---- compiling ---------------------------------------------------------------- */

/* Map each named group of `pat` to its meaning; rule groups R_k get value
 * k + rule_base. */
static tb_status map_groups(tb_metric_rules *r, tb_rpattern *pat, size_t line, tb_error *err) {
    uint32_t count = 0, entry = 0, names = 0;
    PCRE2_SPTR table = NULL;
    pcre2_pattern_info(pat->code, PCRE2_INFO_CAPTURECOUNT, &count);
    pcre2_pattern_info(pat->code, PCRE2_INFO_NAMECOUNT, &names);
    pcre2_pattern_info(pat->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
    pcre2_pattern_info(pat->code, PCRE2_INFO_NAMETABLE, &table);
    pat->n_groups = count;
    pat->groups = calloc(count + 1, sizeof *pat->groups);
    if (pat->groups == NULL) return oom(err);
    for (uint32_t g = 0; g <= count; g++) pat->groups[g].cls = -1;
    for (uint32_t k = 0; k < names; k++) {
        PCRE2_SPTR e = table + (size_t)k * entry;
        uint32_t g = e[0];
        char name[2 * TB_MR_NAME_MAX + 2];
        size_t n = 0;
        for (PCRE2_SPTR c = e + 1; *c && n + 1 < sizeof name; c++) name[n++] = (char)(*c < 128 ? *c : '?');
        name[n] = 0;
        tb_rgroup gr = {TB_G_NONE, 0, -1};
        if (strcmp(name, "q") == 0) gr.kind = TB_G_FIGURE;
        else if (strcmp(name, "p") == 0) gr.kind = TB_G_PLACE;
        else if (strcmp(name, "zero") == 0) gr.kind = TB_G_ZERO;
        else if (strcmp(name, "carry") == 0) gr.kind = TB_G_CARRY;
        else if (strcmp(name, "pass") == 0) gr.kind = TB_G_PASS;
        else if (strcmp(name, "again") == 0) gr.kind = TB_G_AGAIN;
        else if (strcmp(name, "r") == 0) gr.kind = TB_G_REGION;
        else if (n > 2 && name[1] == '_') {
            const char *v = name + 2;
            size_t vl = n - 2;
            int id = -1;
            gr.cls = -1;
            switch (name[0]) {
            case 'R':
                gr.kind = TB_G_RULE;
                id = atoi(v);
                break;
            case 'C':
                id = atoi(v);
                if (id >= 0 && (size_t)id < r->n_classes) {
                    gr.kind = r->classes[id].kind;
                    gr.cls = (int16_t)id;
                    id = 0;
                } else {
                    id = -1;
                }
                break;
            case 'M':
                gr.kind = TB_G_METRIC;
                id = find_metric(r, v, vl);
                break;
            case 'S':
                gr.kind = TB_G_SCOPE;
                id = find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, v, vl);
                if (id >= 0) id++;
                break;
            case 'O':
                gr.kind = TB_G_ORIGIN;
                id = find_name((const char (*)[TB_MR_NAME_MAX])r->origins, r->n_origins, v, vl);
                if (id >= 0) id++;
                break;
            case 'A':
                gr.kind = TB_G_AREA;
                id = area_level(v, vl);
                if (id == 0) id = -1;
                break;
            default:
                break;
            }
            if (id < 0 || gr.kind == TB_G_NONE)
                return FAIL_LINE("group (?<%s>…) names no declared metric, scope, origin or area", name);
            gr.value = (uint16_t)id;
        } else {
            return FAIL_LINE("unknown group name (?<%s>…): use q, p, r, zero, carry, again, pass, M_…, S_…, O_…, A_…", name);
        }
        if (g <= count) pat->groups[g] = gr;
    }
    return TB_OK;
}

/* Compile the UTF-8 pattern `src` (already expanded). A pattern matched
 * only at one position is compiled PCRE2_ANCHORED (`anchored`): JIT code
 * does not serve PCRE2_ANCHORED given at match time. */
static tb_status compile(tb_metric_rules *r, const char *src, tb_rpattern *pat, size_t line, int anchored,
                         tb_error *err) {
    size_t len = strlen(src), n = 0;
    uint32_t *u = malloc((len + 1) * sizeof *u);
    if (u == NULL) return oom(err);
    for (size_t i = 0; i < len;) {
        size_t b = tb_utf8_next((const uint8_t *)src + i, len - i, 0, &u[n]);
        if (b == 0) {
            free(u);
            return FAIL_LINE("malformed UTF-8 in a pattern");
        }
        i += b;
        n++;
    }
    int code;
    PCRE2_SIZE off;
    uint32_t opts = PCRE2_DUPNAMES | (anchored ? PCRE2_ANCHORED : 0) | (anchored == 2 ? PCRE2_ENDANCHORED : 0);
    pat->code = pcre2_compile((PCRE2_SPTR)u, n, opts, &code, &off, NULL);
    free(u);
    if (pat->code == NULL) {
        PCRE2_UCHAR msg[120];
        char m8[120];
        int k = pcre2_get_error_message(code, msg, sizeof msg / sizeof msg[0]);
        for (int j = 0; j < k && j < (int)sizeof m8 - 1; j++) m8[j] = (char)(msg[j] < 128 ? msg[j] : '?');
        m8[k > 0 && k < (int)sizeof m8 ? k : 0] = 0;
        return FAIL_LINE("PCRE2: %s (at character %zu of the expanded pattern)", m8, (size_t)off);
    }
    /* the interpreter serves where JIT is absent */
    pat->jit = pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE) == 0;
    return map_groups(r, pat, line, err);
}

/* Expand one declaration alone and compile it: the error of a joined pattern
 * is reported on the line that caused it. */
static tb_status check_one(tb_metric_rules *r, const decls *d, const named_decl *nd, tb_error *err) {
    xctx x = {r, d, err, nd->line};
    sbuf b = {0};
    tb_status s = expand(&x, nd->pattern, &b, 0);
    tb_rpattern p = {0};
    if (s == TB_OK) s = compile(r, b.s ? b.s : "", &p, nd->line, 0, err);
    pcre2_code_free(p.code);
    free(p.groups);
    free(b.s);
    return s;
}

/* Join the declarations of one kind, each wrapped as (?<R_k>…) when `wrap`,
 * and compile the result into *pat. */
static tb_status compile_joined(tb_metric_rules *r, const decls *d, const named_decl *v, size_t n, size_t base,
                                int wrap, int anchored, tb_rpattern *pat, tb_error *err) {
    if (n == 0) return TB_OK;
    sbuf b = {0};
    tb_status s = TB_OK;
    for (size_t k = 0; k < n && s == TB_OK; k++) {
        xctx x = {r, d, err, v[k].line};
        char head[32];
        if (wrap) snprintf(head, sizeof head, "%s(?<R_%zu>", k ? "|" : "", base + k);
        else snprintf(head, sizeof head, "%s(?:", k ? "|" : "");
        if (sb_str(&b, head) < 0) s = oom(err);
        if (s == TB_OK) s = expand(&x, v[k].pattern, &b, 0);
        if (s == TB_OK && sb_str(&b, ")") < 0) s = oom(err);
    }
    if (s == TB_OK) {
        s = compile(r, b.s, pat, v[0].line, anchored, err);
        if (s == TB_ERULE) {
            /* name the line at fault */
            for (size_t k = 0; k < n; k++) {
                tb_status one = check_one(r, d, &v[k], err);
                if (one != TB_OK) {
                    s = one;
                    break;
                }
            }
        }
    }
    free(b.s);
    return s;
}

/* A pattern of every class of one kind: {MV}|{MN}… */
static tb_status compile_kind(tb_metric_rules *r, const decls *d, int kind, tb_rpattern *pat, tb_error *err) {
    sbuf b = {0};
    tb_status s = TB_OK;
    for (size_t k = 0; k < d->n_words && s == TB_OK; k++) {
        const char *cls = d->words[k].cls;
        if (class_kind(cls) != kind) continue;
        int seen = 0;
        for (size_t j = 0; j < k; j++) seen |= strcmp(d->words[j].cls, cls) == 0;
        if (seen) continue;
        char ref[TB_MR_NAME_MAX + 4];
        snprintf(ref, sizeof ref, "%s{%s}", b.n ? "|" : "", cls);
        if (sb_str(&b, ref) < 0) s = oom(err);
    }
    if (s == TB_OK && b.n) {
        sbuf e = {0};
        xctx x = {r, d, err, 0};
        s = expand(&x, b.s, &e, 0);
        if (s == TB_OK) s = compile(r, e.s, pat, 0, 0, err);
        free(e.s);
    }
    free(b.s);
    return s;
}

/* The classes and their values' own patterns, in the table's order. */
static tb_status build_classes(tb_metric_rules *r, const decls *d, tb_error *err) {
    for (size_t k = 0; k < d->n_words; k++) {
        const word_decl *w = &d->words[k];
        int ci = class_index(r, w->cls);
        if (ci < 0) {
            tb_wclass *nc = realloc(r->classes, (r->n_classes + 1) * sizeof *nc);
            if (nc == NULL) return oom(err);
            r->classes = nc;
            ci = (int)r->n_classes++;
            memset(&nc[ci], 0, sizeof nc[ci]);
            memcpy(nc[ci].name, w->cls, TB_MR_NAME_MAX);
            nc[ci].kind = (uint8_t)class_kind(w->cls);
            for (size_t j = 0; j < d->n_weaks; j++) nc[ci].weak |= strcmp(d->weaks[j].name, w->cls) == 0;
        }
        tb_wclass *c = &r->classes[ci];
        int seen = 0;
        for (size_t j = 0; j < k; j++) seen |= strcmp(d->words[j].cls, w->cls) == 0 && strcmp(d->words[j].value, w->value) == 0;
        if (seen) continue;
        int id = c->kind == TB_G_METRIC ? find_metric(r, w->value, strlen(w->value))
                 : c->kind == TB_G_SCOPE ? find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, w->value, strlen(w->value)) + 1
                 : c->kind == TB_G_ORIGIN ? find_name((const char (*)[TB_MR_NAME_MAX])r->origins, r->n_origins, w->value, strlen(w->value)) + 1
                                          : area_level(w->value, strlen(w->value));
        tb_class_value *nv = realloc(c->values, (c->n_values + 1) * sizeof *nv);
        if (nv == NULL) return oom(err);
        c->values = nv;
        tb_class_value *cv = &nv[c->n_values++];
        memset(cv, 0, sizeof *cv);
        cv->value = (uint16_t)id;
    }
    /* the values' patterns (after all classes are known: a word may name another class) */
    for (size_t ci = 0; ci < r->n_classes; ci++) {
        tb_wclass *c = &r->classes[ci];
        for (size_t vi = 0; vi < c->n_values; vi++) {
            const char *val = NULL;
            size_t line = 0;
            for (size_t k = 0; k < d->n_words && !val; k++) {
                const word_decl *w = &d->words[k];
                if (strcmp(w->cls, c->name) != 0) continue;
                int id = c->kind == TB_G_METRIC ? find_metric(r, w->value, strlen(w->value))
                         : c->kind == TB_G_SCOPE ? find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, w->value, strlen(w->value)) + 1
                         : c->kind == TB_G_ORIGIN ? find_name((const char (*)[TB_MR_NAME_MAX])r->origins, r->n_origins, w->value, strlen(w->value)) + 1
                                                  : area_level(w->value, strlen(w->value));
                if (id == c->values[vi].value) {
                    val = w->value;
                    line = w->line;
                }
            }
            xctx x = {r, d, err, line};
            sbuf b = {0};
            tb_status s = expand_words(&x, c->name, val, 1, &b, 0);
            if (s == TB_OK) s = compile(r, b.s, &c->values[vi].pat, line, 2, err);
            if (s == TB_OK) {
                /* which units it can start with: most values are ruled out by one comparison */
                tb_startset *ss = malloc(sizeof *ss);
                if (ss == NULL) s = oom(err);
                else {
                    start_set(b.s, ss);
                    size_t nf = 0;
                    for (uint32_t u = 0; !ss->any && u < 0x10000 && nf <= TB_MR_VALUE_FIRSTS; u++)
                        if (tb_startset_has(ss, u)) {
                            if (nf < TB_MR_VALUE_FIRSTS) c->values[vi].first[nf] = (uint16_t)u;
                            nf++;
                        }
                    c->values[vi].n_first = ss->any || nf > TB_MR_VALUE_FIRSTS ? 0 : (uint16_t)nf;
                    free(ss);
                }
            }
            free(b.s);
            if (s != TB_OK) return s;
            if (c->values[vi].pat.n_groups > r->class_groups) r->class_groups = c->values[vi].pat.n_groups;
        }
    }
    return TB_OK;
}

int tb_metric_rules_class_value(const tb_metric_rules *r, int cls, const uint32_t *subject, size_t a, size_t b,
                                pcre2_match_data *md, pcre2_match_context *mctx) {
    if (cls < 0 || (size_t)cls >= r->n_classes) return -1;
    const tb_wclass *c = &r->classes[cls];
    uint32_t u = a < b ? subject[a] : 0;
    for (size_t v = 0; v < c->n_values; v++) {
        const tb_class_value *cv = &c->values[v];
        if (cv->n_first) {
            int may = 0;
            for (size_t k = 0; k < cv->n_first && !may; k++) may = cv->first[k] == u;
            if (!may) continue;
        }
        if (tb_rx_match(&cv->pat, subject, b, a, md, mctx) >= 0) return cv->value;
    }
    return -1;
}

/* ---- start sets ------------------------------------------------------------ */

/* The code units a match of a pattern can start with, from the expanded
 * pattern text: the first units of its alternatives, through optional
 * items, groups and lookarounds (which consume nothing). Conservative: any
 * construct it does not follow (\d, ., a negated class, an inline option)
 * at a place where it matters makes the set `any`. */
typedef struct {
    const char *p, *end;
    tb_startset *set;
} fscan;

static void fs_add(fscan *f, uint32_t c) {
    if (c >= 0x10000) f->set->any = 1;
    else f->set->bits[c >> 6] |= 1ull << (c & 63);
}

static uint32_t fs_char(fscan *f) {
    uint32_t c = (uint8_t)*f->p;
    size_t b = tb_utf8_next((const uint8_t *)f->p, (size_t)(f->end - f->p), 0, &c);
    f->p += b ? b : 1;
    return c;
}

static uint32_t fs_hex(fscan *f) {
    uint32_t v = 0;
    while (f->p < f->end && *f->p != '}') {
        char c = *f->p++;
        v = v * 16 + (uint32_t)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    if (f->p < f->end) f->p++;
    return v;
}

static int fs_alt(fscan *f, int collect);

/* An escape after '\': adds what it can start with; returns 1 when it is
 * zero-width (\b). */
static int fs_escape(fscan *f, int collect) {
    if (f->p >= f->end) return 1;
    char c = *f->p++;
    if (c == 'x') {
        uint32_t v = 0;
        if (f->p < f->end && *f->p == '{') {
            f->p++;
            v = fs_hex(f);
        } else {
            for (int k = 0; k < 2 && f->p < f->end; k++) {
                char h = *f->p++;
                v = v * 16 + (uint32_t)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
            }
        }
        if (collect) fs_add(f, v);
        return 0;
    }
    if (c == 'b' || c == 'B' || c == 'A' || c == 'z' || c == 'Z' || c == 'G') return 1;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        /* \d \p{…} \w … : a class this analysis does not expand */
        if ((c == 'p' || c == 'P') && f->p < f->end && *f->p == '{')
            while (f->p < f->end && *f->p++ != '}') {}
        if (collect) f->set->any = 1;
        return 0;
    }
    f->p--;
    uint32_t lit = fs_char(f);
    if (collect) fs_add(f, lit);
    return 0;
}

/* A bracketed class after '['. */
static void fs_class(fscan *f, int collect) {
    int neg = f->p < f->end && *f->p == '^';
    if (neg) {
        f->p++;
        if (collect) f->set->any = 1;
    }
    int first = 1;
    uint32_t prev = 0;
    int have_prev = 0;
    while (f->p < f->end && (*f->p != ']' || first)) {
        first = 0;
        uint32_t c;
        if (*f->p == '\\') {
            f->p++;
            if (f->p < f->end && *f->p == 'x') {
                f->p++;
                c = f->p < f->end && *f->p == '{' ? (f->p++, fs_hex(f)) : 0;
            } else if (f->p < f->end && ((*f->p | 0x20) >= 'a' && (*f->p | 0x20) <= 'z')) {
                f->p++;
                if (collect) f->set->any = 1;
                have_prev = 0;
                continue;
            } else {
                c = fs_char(f);
            }
        } else if (*f->p == '-' && have_prev && f->p + 1 < f->end && f->p[1] != ']') {
            f->p++;
            uint32_t hi = *f->p == '\\' ? (f->p++, fs_char(f)) : fs_char(f);
            if (collect && !neg) {
                if (hi - prev > 0x2000) f->set->any = 1;
                else
                    for (uint32_t x = prev; x <= hi; x++) fs_add(f, x);
            }
            have_prev = 0;
            continue;
        } else {
            c = fs_char(f);
        }
        if (collect && !neg) fs_add(f, c);
        prev = c;
        have_prev = 1;
    }
    if (f->p < f->end) f->p++; /* ] */
}

/* One item (atom and quantifier); returns 1 when it can match empty. */
static int fs_item(fscan *f, int collect) {
    int nullable = 0;
    char c = *f->p;
    if (c == '(') {
        f->p++;
        if (f->p < f->end && *f->p == '*') {           /* (*VERB) */
            while (f->p < f->end && *f->p != ')') f->p++;
            if (f->p < f->end) f->p++;
            return 1;
        }
        int look = 0;
        if (f->p < f->end && *f->p == '?') {
            const char *q = f->p + 1;
            if (q < f->end && (*q == ':' || *q == '|' || *q == '>')) f->p += 2;
            else if (q < f->end && (*q == '=' || *q == '!')) f->p += 2, look = 1;
            else if (q + 1 < f->end && *q == '<' && (q[1] == '=' || q[1] == '!')) f->p += 3, look = 1;
            else if (q < f->end && (*q == '<' || *q == 'P' || *q == '\'')) {
                while (f->p < f->end && *f->p != '>' && *f->p != '\'') f->p++;
                if (f->p < f->end) f->p++;
            } else {
                if (collect) f->set->any = 1; /* an inline option or a construct not followed */
                f->p++;
            }
        }
        int n = fs_alt(f, collect && !look);
        if (f->p < f->end && *f->p == ')') f->p++;
        nullable = look ? 1 : n;
    } else if (c == '[') {
        f->p++;
        fs_class(f, collect);
    } else if (c == '\\') {
        f->p++;
        nullable = fs_escape(f, collect);
    } else if (c == '^' || c == '$') {
        f->p++;
        return 1;
    } else if (c == '.') {
        f->p++;
        if (collect) f->set->any = 1;
    } else {
        uint32_t lit = fs_char(f);
        if (collect) fs_add(f, lit);
    }
    /* the quantifier */
    if (f->p < f->end) {
        char q = *f->p;
        if (q == '?' || q == '*') {
            nullable = 1;
            f->p++;
        } else if (q == '+') {
            f->p++;
        } else if (q == '{' && f->p + 1 < f->end && f->p[1] >= '0' && f->p[1] <= '9') {
            f->p++;
            if (*f->p == '0' && (f->p[1] == ',' || f->p[1] == '}')) nullable = 1;
            while (f->p < f->end && *f->p != '}') f->p++;
            if (f->p < f->end) f->p++;
        } else {
            return nullable;
        }
        if (f->p < f->end && (*f->p == '?' || *f->p == '+')) f->p++; /* lazy, possessive */
    }
    return nullable;
}

/* An alternation up to ')' or the end; returns 1 when it can match empty. */
static int fs_alt(fscan *f, int collect) {
    int any_nullable = 0;
    for (;;) {
        int nullable = 1;
        while (f->p < f->end && *f->p != '|' && *f->p != ')') {
            if (!fs_item(f, collect && nullable)) nullable = 0;
        }
        any_nullable |= nullable;
        if (f->p < f->end && *f->p == '|') {
            f->p++;
            continue;
        }
        return any_nullable;
    }
}

static void start_set(const char *expanded, tb_startset *set) {
    memset(set, 0, sizeof *set);
    fscan f = {expanded, expanded + strlen(expanded), set};
    if (fs_alt(&f, 1)) set->any = 1;   /* it may match empty: anywhere */
    if (f.p < f.end) set->any = 1;     /* an unbalanced ')': be safe */
}

static void startset_union(tb_startset *into, const tb_startset *s) {
    into->any |= s->any;
    for (size_t k = 0; k < sizeof into->bits / sizeof into->bits[0]; k++) into->bits[k] |= s->bits[k];
}

/* Compile each rule on its own, with its start set. */
static tb_status compile_rules(tb_metric_rules *r, const decls *d, tb_error *err) {
    r->rule = calloc(d->n_rules ? d->n_rules : 1, sizeof *r->rule);
    if (r->rule == NULL) return oom(err);
    for (size_t k = 0; k < d->n_rules; k++) {
        xctx x = {r, d, err, d->rules[k].line};
        sbuf b = {0};
        tb_status s = expand(&x, d->rules[k].pattern, &b, 0);
        if (s == TB_OK) s = compile(r, b.s ? b.s : "", &r->rule[k].pat, d->rules[k].line, 1, err);
        if (s == TB_OK) {
            start_set(b.s, &r->rule[k].start);
            r->rule[k].has_figure = strstr(b.s, "\\x{E000}") != NULL || strstr(b.s, "\\x{E001}") != NULL;
            startset_union(&r->rule_start, &r->rule[k].start);
            if (!r->rule[k].has_figure) startset_union(&r->nofig_start, &r->rule[k].start);
            if (r->rule[k].pat.n_groups > r->max_groups) r->max_groups = r->rule[k].pat.n_groups;
        }
        free(b.s);
        if (s != TB_OK) return s;
    }
    /* one load per position tells which rules may start there */
    int bounded = d->n_rules <= 16;
    for (size_t k = 0; k < d->n_rules; k++) bounded &= !r->rule[k].start.any;
    if (bounded) {
        r->start_mask = calloc(0x10000, sizeof *r->start_mask);
        if (r->start_mask == NULL) return oom(err);
        for (size_t k = 0; k < d->n_rules; k++)
            for (uint32_t w = 0; w < 0x10000 / 64; w++)
                for (uint64_t b = r->rule[k].start.bits[w]; b; b &= b - 1)
                    r->start_mask[w * 64 + (uint32_t)__builtin_ctzll(b)] |= (uint16_t)(1u << k);
    }
    return TB_OK;
}

static void pattern_free(tb_rpattern *p) {
    pcre2_code_free(p->code);
    free(p->groups);
    p->code = NULL;
    p->groups = NULL;
}

void tb_metric_rules_free(tb_metric_rules *r) {
    if (r == NULL) return;
    tb_rpattern *ps[] = {&r->items, &r->cue, &r->notasof, &r->drop, &r->metric_words, &r->area_words};
    for (size_t k = 0; k < sizeof ps / sizeof ps[0]; k++) pattern_free(ps[k]);
    for (size_t k = 0; r->rule && k < r->n_rules; k++) pattern_free(&r->rule[k].pat);
    free(r->rule);
    free(r->start_mask);
    pcre2_match_context_free(r->mctx);
    for (size_t k = 0; k < r->n_classes; k++) {
        for (size_t v = 0; v < r->classes[k].n_values; v++) pattern_free(&r->classes[k].values[v].pat);
        free(r->classes[k].values);
    }
    free(r->classes);
    free(r->metrics);
    free(r->scopes);
    free(r->origins);
    free(r->rule_names);
    free(r);
}

/* FNV-1a of the text, for the version string. */
static uint64_t fnv1a(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t k = 0; k < n; k++) h = (h ^ (uint8_t)s[k]) * 1099511628211ull;
    return h;
}

tb_status tb_metric_rules_new(const char *src, size_t len, tb_metric_rules **out, tb_error *err) {
    *out = NULL;
    if (src == NULL) return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "no rule text");
    tb_metric_rules *r = calloc(1, sizeof *r);
    decls d = {0};
    if (r == NULL) return oom(err);
    tb_status s = TB_OK;
    size_t line = 0;
    for (const char *p = src, *end = src + len; p < end && s == TB_OK;) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (e == NULL) e = end;
        line++;
        const char *le = e;
        if (le > p && le[-1] == '\r') le--;
        const char *q = p;
        while (q < le && is_blank(*q)) q++;
        if (memchr(p, 0, (size_t)(le - p))) s = FAIL_LINE("NUL character in the rule text");
        else if (q < le && *q != '#') s = parse_line(r, &d, q, le, line, err);
        p = e + 1;
    }
    if (s == TB_OK && r->n_metrics == 0) s = tb_fail(err, TB_ERULE, TB_AT_LINE, line, "the table declares no metric");
    if (s == TB_OK && d.n_rules == 0) s = tb_fail(err, TB_ERULE, TB_AT_LINE, line, "the table has no rule");
    if (s == TB_OK) {
        r->n_rules = d.n_rules;
        r->n_items = d.n_items;
        r->rule_names = calloc(d.n_rules + d.n_items + 1, sizeof *r->rule_names);
        if (r->rule_names == NULL) s = oom(err);
        for (size_t k = 0; s == TB_OK && k < d.n_rules; k++) memcpy(r->rule_names[k], d.rules[k].name, TB_MR_NAME_MAX);
        for (size_t k = 0; s == TB_OK && k < d.n_items; k++)
            memcpy(r->rule_names[d.n_rules + k], d.items[k].name, TB_MR_NAME_MAX);
        int sn = find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, "new", 3);
        int sc = find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, "current", 7);
        r->scope_new = (uint8_t)(sn + 1);
        r->scope_current = (uint8_t)(sc + 1);
        int scu = find_name((const char (*)[TB_MR_NAME_MAX])r->scopes, r->n_scopes, "cumulative", 10);
        r->scope_cumulative = (uint8_t)(scu + 1);
    }
    if (s == TB_OK) s = build_classes(r, &d, err);
    if (s == TB_OK) s = compile_rules(r, &d, err);
    if (s == TB_OK) s = compile_joined(r, &d, d.items, d.n_items, d.n_rules, 1, 1, &r->items, err);
    if (s == TB_OK) s = compile_joined(r, &d, d.cues, d.n_cues, 0, 0, 0, &r->cue, err);
    if (s == TB_OK) s = compile_joined(r, &d, d.notasofs, d.n_notasofs, 0, 0, 1, &r->notasof, err);
    if (s == TB_OK) s = compile_joined(r, &d, d.drops, d.n_drops, 0, 0, 1, &r->drop, err);
    for (size_t k = 0; s == TB_OK && k < d.n_weaks; k++)
        if (class_index(r, d.weaks[k].name) < 0)
            s = tb_fail(err, TB_ERULE, TB_AT_LINE, d.weaks[k].line, "weak names class %s, which has no words",
                        d.weaks[k].name);
    if (s == TB_OK && d.n_lists) s = compile_joined(r, &d, d.lists, d.n_lists, 0, 0, 0, &r->metric_words, err);
    else if (s == TB_OK) s = compile_kind(r, &d, TB_G_METRIC, &r->metric_words, err);
    if (s == TB_OK) s = compile_kind(r, &d, TB_G_AREA, &r->area_words, err);
    if (s == TB_OK) {
        /* Every pattern is bounded, so these limits are never reached by a
         * table written for them; a runaway pattern ends its attempt instead
         * of the process's time. */
        r->mctx = pcre2_match_context_create(NULL);
        if (r->mctx == NULL) s = oom(err);
        else {
            pcre2_set_match_limit(r->mctx, 200000);
            pcre2_set_depth_limit(r->mctx, 2000);
        }
        snprintf(r->version, sizeof r->version, "metrics.rules fnv1a:%016llx, PCRE2 %d.%d",
                 (unsigned long long)fnv1a(src, len), PCRE2_MAJOR, PCRE2_MINOR);
    }
    decls_free(&d);
    if (s != TB_OK) {
        tb_metric_rules_free(r);
        return s;
    }
    *out = r;
    return TB_OK;
}

const char *tb_metric_rules_default_source(size_t *len) {
    if (len) *len = sizeof TB_METRIC_RULES_SOURCE - 1;
    return TB_METRIC_RULES_SOURCE;
}

const char *tb_metric_rules_rule_name(const tb_metric_rules *r, size_t k) {
    return k < r->n_rules + r->n_items ? r->rule_names[k] : NULL;
}
