/* The metric rule table: lexicon/metrics.rules (its header comment is the
 * format's reference), parsed and compiled with PCRE2 once per process, then
 * shared read-only by every scan (tb_metric.h) in every thread.
 *
 * Patterns are matched over the metric view (tb_metric_view.h): 32-bit code
 * units, one per folded code point of the text, except that each recognised
 * figure, place and date is one placeholder unit from the private-use area.
 * PCRE2 runs in its 32-bit library without UTF mode, so any code unit (a
 * lone surrogate of a Python str included) is a valid subject character.
 *
 * Each phrasing (`rule`) is compiled on its own, with the set of code
 * units a match of it can start with (a conservative analysis of the
 * expanded pattern, tb_metric_rules.c): a scan tries, at a position, only
 * the rules that can start with its unit, in the table's order, and the
 * first that matches wins. The breakdown items are one pattern, rule k being
 * the alternative wrapped in the named group R_k, so one match says which
 * item matched; the groups inside any pattern say what it found
 * (M_confirmed, S_new, q…). */
#ifndef TB_METRIC_RULES_H
#define TB_METRIC_RULES_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 32
#endif
#include <pcre2.h>
#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"

/* Placeholders of the view, written {Q} {N} {P} {D} {R} {B} in the table. */
enum {
    TB_PH_FIGURE = 0xE000,   /* a quantity (its unit included) */
    TB_PH_ORDINAL = 0xE001,  /* an ordinal quantity: 第三轮 */
    TB_PH_PLACE = 0xE002,    /* a place entity */
    TB_PH_DATE = 0xE003,     /* a date */
    TB_PH_RELDAY = 0xE004,   /* a date written as a relative day: 今日 昨日 当日 */
    TB_PH_BREAK = 0xE005,    /* a paragraph break */
    TB_PH_LAST = TB_PH_BREAK
};

/* What a capture group of a compiled pattern stands for. */
typedef enum {
    TB_G_NONE = 0,
    TB_G_RULE,     /* R_k: the alternative of rule (or item) k */
    TB_G_METRIC,   /* M_name */
    TB_G_SCOPE,    /* S_name */
    TB_G_ORIGIN,   /* O_name */
    TB_G_AREA,     /* A_province, A_city, A_county */
    TB_G_FIGURE,   /* q */
    TB_G_PLACE,    /* p */
    TB_G_ZERO,     /* zero */
    TB_G_CARRY,    /* carry */
    TB_G_AGAIN,    /* again */
    TB_G_REGION,   /* r: a place as written, unknown to the gazetteer */
    TB_G_PASS      /* pass: a phrasing that is no metric, passed over whole */
} tb_group_kind;

enum { TB_AREA_PROVINCE = 1, TB_AREA_CITY = 2, TB_AREA_COUNTY = 3 };

typedef struct {
    uint8_t kind;     /* tb_group_kind */
    uint16_t value;   /* rule index; metric index; scope/origin id (1-based); area level */
    int16_t cls;      /* >= 0: a whole {CLASS}, whose value is found from what it matched
                         (tb_metric_rules_class_value); value is then unused */
} tb_rgroup;

typedef struct {
    pcre2_code *code;     /* NULL when the table has no such lines */
    uint32_t n_groups;    /* capture groups */
    tb_rgroup *groups;    /* indexed by group number, n_groups + 1 entries */
    int jit;              /* JIT code exists: matched through pcre2_jit_match */
} tb_rpattern;

/* Match `p` over subject[0..len) from `off` (the options are compiled in). */
static inline int tb_rx_match(const tb_rpattern *p, const uint32_t *subject, size_t len, size_t off,
                              pcre2_match_data *md, pcre2_match_context *mctx) {
    if (p->jit) return pcre2_jit_match(p->code, (PCRE2_SPTR)subject, len, off, 0, md, mctx);
    return pcre2_match(p->code, (PCRE2_SPTR)subject, len, off, 0, md, mctx);
}

/* A set of BMP code units (the placeholders are in the BMP); `any` when
 * the analysis could not bound it (a match may start with anything). */
typedef struct {
    uint64_t bits[0x10000 / 64];
    uint8_t any;
} tb_startset;

static inline int tb_startset_has(const tb_startset *s, uint32_t c) {
    return s->any || (c < 0x10000 && ((s->bits[c >> 6] >> (c & 63)) & 1));
}

/* One phrasing. */
typedef struct {
    tb_rpattern pat;
    tb_startset start;
    uint8_t has_figure;   /* its pattern holds {Q} or {N}: every match has a figure */
} tb_rule;

/* How far before its figure a phrasing may start (view units): a scan
 * tries rules with a figure only within this distance of one. */
#define TB_METRIC_RULE_SPAN 20

#define TB_MR_NAME_MAX 32
#define TB_MR_MAX_UNITS 12
#define TB_MR_UNIT_MAX 4

typedef struct {
    char name[TB_MR_NAME_MAX];
    uint32_t units[TB_MR_MAX_UNITS][TB_MR_UNIT_MAX + 1];   /* folded code points, 0-terminated */
    uint8_t n_units;
    uint8_t bare_ok;         /* '-' in units: a figure without unit */
    uint8_t stock;           /* a level at a moment: current unless a firm word says otherwise */
    uint8_t passed;          /* a change of state: carried figures look past it */
    uint8_t default_scope;   /* 1-based scope id, 0 none */
} tb_mr_metric;

/* A class ({MN}, {S}…) as one capture group: expanding it into a named
 * group per word would make every attempt of a phrasing enter dozens of
 * groups (the JIT's cost is per group tried); one group says where the
 * class matched and, only for a match, the value is found by its values'
 * own patterns, each anchored at both ends. */
#define TB_MR_VALUE_FIRSTS 48

typedef struct {
    uint16_t value;       /* as tb_rgroup.value */
    tb_rpattern pat;      /* its words, PCRE2_ANCHORED | PCRE2_ENDANCHORED */
    uint16_t n_first;     /* the units its words can start with, sorted; 0: not bounded */
    uint16_t first[TB_MR_VALUE_FIRSTS];
} tb_class_value;

typedef struct {
    char name[TB_MR_NAME_MAX];
    uint8_t kind;         /* TB_G_METRIC, _SCOPE, _ORIGIN, _AREA */
    uint8_t weak;         /* `weak`: its scope words do not turn a stock from current */
    tb_class_value *values;
    size_t n_values;
} tb_wclass;

typedef struct tb_metric_rules {
    tb_mr_metric *metrics;
    size_t n_metrics;
    char (*scopes)[TB_MR_NAME_MAX];    /* declaration order = precedence */
    size_t n_scopes;
    char (*origins)[TB_MR_NAME_MAX];
    size_t n_origins;
    char (*rule_names)[TB_MR_NAME_MAX]; /* rules, then items */
    size_t n_rules, n_items;
    uint8_t scope_new, scope_current, scope_cumulative;  /* their ids, 0 if undeclared */
    tb_wclass *classes;
    size_t n_classes;
    uint32_t class_groups;   /* the most capture groups of any class value pattern */
    tb_rule *rule;           /* every `rule`, in table order */
    tb_startset rule_start;  /* the union of their start sets */
    uint16_t *start_mask;    /* per BMP code unit: bit j when rule j (< 16) may start with it;
                                NULL when there are more rules or a start set is `any` */
    tb_startset nofig_start; /* the union for the rules without a figure ({zero} phrasings) */
    uint32_t max_groups;     /* the most capture groups of any rule (match data size) */
    tb_rpattern items;       /* every `item` (group values continue after the rules) */
    tb_rpattern cue;
    tb_rpattern notasof;
    tb_rpattern drop;
    tb_rpattern metric_words; /* the `list` lines (else every M class): the metrics of a "none" list */
    tb_rpattern area_words;   /* every A class: the document's own area */
    pcre2_match_context *mctx; /* match limits; read-only once built */
    char version[80];         /* where the table came from (a hash of its text) */
} tb_metric_rules;

/* Parse and compile `len` bytes of rule text (UTF-8). On a bad line:
 * TB_ERULE with the line number (TB_AT_LINE) and what is wrong. */
tb_status tb_metric_rules_new(const char *src, size_t len, tb_metric_rules **out, tb_error *err);
void tb_metric_rules_free(tb_metric_rules *r);

/* The table shipped with the package (lexicon/metrics.rules, compiled in). */
const char *tb_metric_rules_default_source(size_t *len);

/* The value of class `cls` that matches subject[a, b) exactly (the first
 * in the table's order), or -1. `md` holds class_groups + 1 pairs. */
int tb_metric_rules_class_value(const tb_metric_rules *r, int cls, const uint32_t *subject, size_t a, size_t b,
                                pcre2_match_data *md, pcre2_match_context *mctx);

/* Name of rule or item `k` (NULL when out of range). */
const char *tb_metric_rules_rule_name(const tb_metric_rules *r, size_t k);

#endif
