#include "tb_quantity.h"

#include <math.h>
#include <uchar.h>

#include "tb_units_table.h"
#include "tb_vec.h"

/* ---- small matching helpers over folded code points ---------------------- */

static size_t u32len(const char32_t *s) {
    size_t k = 0;
    while (s[k]) k++;
    return k;
}

/* Length of `word` if it occurs at cp[j], else 0. */
static size_t match(const tb_text *t, size_t j, const char32_t *word) {
    size_t k = u32len(word);
    if (j + k > t->n) return 0;
    for (size_t m = 0; m < k; m++)
        if (t->cp[j + m] != (uint32_t)word[m]) return 0;
    return k;
}

/* The first of `words` (longest listed first) found at j: returns its length, sets *which. */
static size_t match_any(const tb_text *t, size_t j, const char32_t *const *words, size_t n_words,
                        size_t *which) {
    for (size_t w = 0; w < n_words; w++) {
        size_t k = match(t, j, words[w]);
        if (k) {
            if (which) *which = w;
            return k;
        }
    }
    return 0;
}

/* Longest entry of a generated phrase table at j (0 if none). */
static const tb_phrase_entry *phrase_at(const tb_text *t, size_t j, const tb_phrase_entry *tab,
                                        size_t n_tab) {
    if (j >= t->n) return NULL;
    uint32_t c = t->cp[j];
    size_t lo = 0, hi = n_tab;
    while (lo < hi) {    /* first entry whose first code point is >= c */
        size_t mid = (lo + hi) / 2;
        if (tab[mid].cp[0] < c) lo = mid + 1;
        else hi = mid;
    }
    for (size_t e = lo; e < n_tab && tab[e].cp[0] == c; e++) {   /* longest first */
        const tb_phrase_entry *p = &tab[e];
        if (j + p->len > t->n) continue;
        size_t m = 1;
        while (m < p->len && t->cp[j + m] == p->cp[m]) m++;
        if (m == p->len) return p;
    }
    return NULL;
}

#define is_digit tb_is_ascii_digit
#define is_alpha tb_is_ascii_alpha
static int is_space(uint32_t c) { return c == ' ' || c == '\t'; }

static int is_numeral_char(uint32_t c) {
    return is_digit(c) || tb_numeral_digit(c) >= 0 || tb_numeral_unit(c) > 0;
}

static size_t skip_spaces(const tb_text *t, size_t j, size_t max) {
    size_t k = j;
    while (k < t->n && k - j < max && is_space(t->cp[k])) k++;
    return k;
}

/* "分之" with spaces allowed between and around (二分 之一, ３ 分  之 一). */
static size_t match_fenzhi(const tb_text *t, size_t j) {
    size_t k = skip_spaces(t, j, 3);
    if (k >= t->n || t->cp[k] != U'分') return 0;
    k = skip_spaces(t, k + 1, 3);
    if (k >= t->n || t->cp[k] != U'之') return 0;
    return skip_spaces(t, k + 1, 3) - j;
}

/* 百分之 千分之 万分之 百万分之 … at j (spaces allowed between characters):
 * returns the length and the factor from the numeral to percent. */
static size_t match_percent_prefix(const tb_text *t, size_t j, double *to_percent) {
    size_t k = j;
    double scale = 1;
    int n_units = 0;
    while (k < t->n && n_units < 3) {
        double u = tb_numeral_unit(t->cp[k]);
        if (!(u == 100 || u == 1000 || u == 1e4)) break;
        scale *= u;
        n_units++;
        k = skip_spaces(t, k + 1, 3);
    }
    if (!n_units) return 0;
    size_t f = match_fenzhi(t, k);
    if (!f) return 0;
    *to_percent = 100.0 / scale;
    return k + f - j;
}

/* ---- the scanner ------------------------------------------------------------ */

static const char32_t *const PREFIX_WORDS[] = {U"大约", U"将近", U"接近", U"超过", U"不到", U"不足",
                                               U"不少于", U"至少", U"多达", U"最多", U"约", U"近",
                                               U"逾", U"超"};
static const uint8_t PREFIX_APPROX[] = {TB_APPROX_ABOUT, TB_APPROX_UNDER, TB_APPROX_UNDER,
                                        TB_APPROX_OVER,  TB_APPROX_UNDER, TB_APPROX_UNDER,
                                        TB_APPROX_OVER,  TB_APPROX_OVER,  TB_APPROX_OVER,
                                        TB_APPROX_UNDER, TB_APPROX_ABOUT, TB_APPROX_UNDER,
                                        TB_APPROX_OVER,  TB_APPROX_OVER};
#define N_PREFIX (sizeof PREFIX_WORDS / sizeof PREFIX_WORDS[0])

static const char32_t *const SUFFIX_WORDS[] = {U"以上", U"以下", U"左右", U"上下", U"许"};
static const uint8_t SUFFIX_APPROX[] = {TB_APPROX_OVER, TB_APPROX_UNDER, TB_APPROX_ABOUT,
                                        TB_APPROX_ABOUT, TB_APPROX_ABOUT};
#define N_SUFFIX (sizeof SUFFIX_WORDS / sizeof SUFFIX_WORDS[0])

static const char32_t *const RANGE_WORDS[] = {U"至", U"到", U"—", U"–", U"-", U"~", U"〜"};
#define N_RANGE (sizeof RANGE_WORDS / sizeof RANGE_WORDS[0])

/* Digits that are part of a date or time written with separators. */
static int is_numeric_date_part(const tb_text *t, size_t start, size_t end, double value) {
    const uint32_t *cp = t->cp;
    size_t n = t->n;
    if (end - start == 4 && value >= 1900 && value <= 2100) return 1;     /* a year */
    if (start > 1 && (cp[start - 1] == U'日' || cp[start - 1] == U'号') && value <= 24 &&
        is_numeral_char(cp[start - 2]))
        return 1;   /* the 0 of 3日0—24时 */
    if (end + 2 < n && cp[end] == ':' && is_digit(cp[end + 1]) && is_digit(cp[end + 2])) return 1;
    if (start >= 2 && cp[start - 1] == ':' && is_digit(cp[start - 2])) return 1;
    if (end + 1 < n && (cp[end] == '-' || cp[end] == '/') && is_digit(cp[end + 1])) {
        size_t k = end + 1;
        while (k < n && is_digit(cp[k])) k++;
        if (k + 1 < n && cp[k] == cp[end] && is_digit(cp[k + 1])) return 1;   /* 2021-08-12 */
    }
    if (start >= 2 && (cp[start - 1] == '-' || cp[start - 1] == '/') && is_digit(cp[start - 2])) {
        size_t k = start - 1;
        while (k > 0 && is_digit(cp[k - 1])) k--;
        if (k >= 2 && cp[k - 1] == cp[start - 1] && is_digit(cp[k - 2])) return 1;  /* the 12 of 2021-08-12 */
        if (end + 1 < n && cp[end] == cp[start - 1] && is_digit(cp[end + 1])) return 1;  /* the 08 */
    }
    return 0;
}

/* A number that numbers a list item rather than counting anything. */
static int is_list_marker(const tb_text *t, size_t start, size_t end) {
    const uint32_t *cp = t->cp;
    size_t b = start;
    while (b > 0 && is_space(cp[b - 1])) b--;
    int line_start = b == 0 || cp[b - 1] == '\n' || cp[b - 1] == '\r';
    int in_parens = b > 0 && (cp[b - 1] == '(' || cp[b - 1] == 0xFF08) && end < t->n &&
                    (cp[end] == ')' || cp[end] == 0xFF09);
    if (in_parens) return 1;
    if (!line_start || end >= t->n) return 0;
    uint32_t f = cp[end];
    return f == 0x3001 /* 、 */ || (f == '.' && !(end + 1 < t->n && is_digit(cp[end + 1]))) ||
           f == ')' || f == 0xFF09;
}

/* ---- service numbers used as names ----------------------------------------
 * 拨打120, 由120指挥中心指派, 与110、119指挥中心联动, 12345热线: the numbers
 * of China's public service lines name a service; they count nothing. A bare
 * number from this list (no unit, no approximation) is left out when a cue
 * word stands next to it, or when it is listed with another service number
 * (120、110协同机制) and the list has no unit after it (120、110例 counts). */
static const char32_t *const SERVICE_NUMBERS[] = {
    U"110", U"119", U"120", U"122", U"999", U"12110", U"12121", U"12306", U"12315", U"12319",
    U"12320", U"12328", U"12331", U"12333", U"12338", U"12345", U"12348", U"12350", U"12351",
    U"12355", U"12356", U"12366", U"12369", U"12388", U"12395"};
/* Words ending right before the number (after spaces): the call, the line. */
static const char32_t *const SERVICE_CUES_BEFORE[] = {U"拨打", U"拨", U"打", U"致电", U"呼叫", U"联系",
                                                       U"电话", U"热线", U"求助", U"报警", U"急救", U"通过"};
/* Words starting right after it: what the number names. */
static const char32_t *const SERVICE_CUES_AFTER[] = {U"指挥", U"急救", U"热线", U"电话", U"调度", U"报警",
                                                      U"中心", U"救护", U"平台", U"专线", U"服务", U"协同",
                                                      U"联动", U"求助", U"反映", U"接警", U"接听", U"卫生热线",
                                                      U"市长", U"政务", U"便民"};
/* What joins service numbers in a list. */
static int is_service_joiner(uint32_t c) { return c == 0x3001 || c == U'和' || c == U'与' || c == U'或' || c == U'及' || c == '/'; }

#define N_OF(a) (sizeof a / sizeof a[0])

/* A run of at least two lower-case Latin letters ending at i that follows a
 * Han character: a pinyin fragment left in a scraped page. */
static int pinyin_fragment_before(const tb_text *t, size_t i) {
    size_t k = i;
    while (k > 0 && t->cp[k - 1] >= 'a' && t->cp[k - 1] <= 'z') k--;
    return i - k >= 2 && k > 0 && t->cls[k - 1] == TB_C_HAN;
}

/* Is cp[s, e) one of SERVICE_NUMBERS, standing alone (no digit, letter or
 * decimal point glued to either side)? */
static int is_service_number_at(const tb_text *t, size_t s, size_t e) {
    const uint32_t *cp = t->cp;
    if (e <= s || e - s > 5) return 0;
    if (s > 0 && (is_digit(cp[s - 1]) || is_alpha(cp[s - 1]) || cp[s - 1] == '.')) return 0;
    if (e < t->n && (is_digit(cp[e]) || is_alpha(cp[e]) || cp[e] == '.')) return 0;
    for (size_t w = 0; w < N_OF(SERVICE_NUMBERS); w++)
        if (u32len(SERVICE_NUMBERS[w]) == e - s && match(t, s, SERVICE_NUMBERS[w])) return 1;
    return 0;
}

/* Does one of `words` end exactly at position j? */
static int word_ends_at(const tb_text *t, size_t j, const char32_t *const *words, size_t n_words) {
    for (size_t w = 0; w < n_words; w++) {
        size_t k = u32len(words[w]);
        if (k <= j && match(t, j - k, words[w])) return 1;
    }
    return 0;
}

/* Start of the digit run ending at e (e itself when none). */
static size_t digits_back(const tb_text *t, size_t e) {
    size_t s = e;
    while (s > 0 && e - s < 6 && is_digit(t->cp[s - 1])) s--;
    return s;
}

static size_t digits_fwd(const tb_text *t, size_t s) {
    size_t e = s;
    while (e < t->n && e - s < 6 && is_digit(t->cp[e])) e++;
    return e;
}

/* A lone number is a list of one: the cues stand before the list's first
 * member or after its last. */
static int is_service_name(const tb_text *t, size_t s, size_t e) {
    if (!is_service_number_at(t, s, e)) return 0;
    /* Walk to the list's ends, at most SERVICE_LIST_MAX members each way, so
     * a hostile run of "120、120、…" stays linear. */
    enum { SERVICE_LIST_MAX = 8 };
    int listed = 0, steps = 0;
    size_t first = s, last = e;
    while (first > 0 && steps++ < SERVICE_LIST_MAX && is_service_joiner(t->cp[first - 1])) {
        size_t ps = digits_back(t, first - 1);
        if (!is_service_number_at(t, ps, first - 1)) break;
        listed = 1;
        first = ps;
    }
    steps = 0;
    while (last < t->n && steps++ < SERVICE_LIST_MAX && is_service_joiner(t->cp[last])) {
        size_t ne = digits_fwd(t, last + 1);
        if (!is_service_number_at(t, last + 1, ne)) break;
        listed = 1;
        last = ne;
    }
    size_t b = first, a = last;
    while (b > 0 && is_space(t->cp[b - 1])) b--;
    while (a < t->n && is_space(t->cp[a])) a++;
    if (word_ends_at(t, b, SERVICE_CUES_BEFORE, N_OF(SERVICE_CUES_BEFORE)) ||
        match_any(t, a, SERVICE_CUES_AFTER, N_OF(SERVICE_CUES_AFTER), NULL))
        return 1;
    if (!listed) return 0;
    /* 120、110例, 120和110万: a list of counts after all */
    if (last < t->n && (phrase_at(t, last, TB_UNITS, TB_N_UNITS) != NULL || t->cp[last] == U'万' ||
                        t->cp[last] == U'亿' || t->cp[last] == '%' || t->cp[last] == U'余' ||
                        t->cp[last] == U'多'))
        return 0;
    return 1;
}

/* Time of day words before a number: 上午8点 is a time, not 8 points. */
static int follows_time_word(const tb_text *t, size_t start) {
    if (start == 0) return 0;
    uint32_t p = t->cp[start - 1];
    return p == U'日' || p == U'号' || p == U'午' || p == U'晚' || p == U'早' || p == U'晨' ||
           p == U'天' || p == U'夜' || p == U'上';
}

typedef struct {
    const tb_text *t;
    const uint8_t *brk;
    const uint32_t *skip_s, *skip_e;
    size_t n_skip, skip_i;
    tb_quantities *out;
    size_t run_start, run_end;   /* the run of non-space ASCII last examined */
    int run_is_url;
} scan_ctx;

/* End of the URL that contains position i (a run of non-space ASCII
 * holding "://" or starting with "www."), or 0. The run is examined once,
 * not once per digit in it, so a megabyte of ASCII stays linear. */
static size_t url_end(scan_ctx *c, size_t i) {
    const uint32_t *cp = c->t->cp;
    if (cp[i] >= 0x80 || cp[i] <= ' ') return 0;
    if (!(i >= c->run_start && i < c->run_end)) {
        size_t a = i, b = i;
        while (a > 0 && cp[a - 1] > ' ' && cp[a - 1] < 0x7F && i - a < 4096) a--;
        while (b < c->t->n && cp[b] > ' ' && cp[b] < 0x7F) b++;
        c->run_start = a;
        c->run_end = b;
        c->run_is_url = 0;
        for (size_t k = a; k + 3 <= b && !c->run_is_url; k++)
            if ((cp[k] == ':' && cp[k + 1] == '/' && cp[k + 2] == '/') ||
                (k == a && cp[k] == 'w' && cp[k + 1] == 'w' && cp[k + 2] == 'w'))
                c->run_is_url = b - a >= 8;
    }
    return c->run_is_url ? c->run_end : 0;
}

static int boundary(const scan_ctx *c, size_t k) { return c->brk == NULL || c->brk[k]; }

/* End of the skip span covering k, or 0 when k is free. Spans are sorted by
 * start; skip_i only moves forward because k does. */
static size_t skip_end_at(scan_ctx *c, size_t k) {
    while (c->skip_i < c->n_skip && c->skip_e[c->skip_i] <= k) c->skip_i++;
    size_t best = 0;
    for (size_t s = c->skip_i; s < c->n_skip && c->skip_s[s] <= k; s++)
        if (c->skip_e[s] > k && c->skip_e[s] > best) best = c->skip_e[s];
    return best;
}

static int overlaps_skip(const scan_ctx *c, size_t a, size_t b) {
    for (size_t s = c->skip_i; s < c->n_skip && c->skip_s[s] < b; s++)
        if (c->skip_e[s] > a) return 1;
    return 0;
}

/* Try to read a quantity starting at i. Returns its end (> i) after
 * appending it, i when there is none here, or (size_t)-1 on ENOMEM. When
 * `skip_to` is set, the caller jumps past a recognised non-quantity. */
static size_t read_quantity(scan_ctx *c, size_t i, size_t *skip_to) {
    const tb_text *t = c->t;
    const uint32_t *cp = t->cp;
    size_t n = t->n;
    *skip_to = 0;

    double pct_probe;
    const tb_phrase_entry *nq = match_percent_prefix(t, i, &pct_probe) ? NULL : phrase_at(t, i, TB_NOT_QTY, TB_N_NOT_QTY);
    if (nq) {
        *skip_to = i + nq->len;
        return i;
    }
    /* Numbers in a web address are not quantities. */
    size_t ue = url_end(c, i);
    if (ue) {
        *skip_to = ue;
        return i;
    }
    /* Numbers glued to Latin letters belong to codes (COVID-19, H1N1, 5G),
     * but not after a lower-case fragment glued to a Han character: a stray
     * pinyin run of a scraped page (感染者bingli6例) is noise, not a code. */
    if (i > 0 && (is_alpha(cp[i - 1]) || (cp[i - 1] == '-' && i > 1 && is_alpha(cp[i - 2]))) &&
        !pinyin_fragment_before(t, i))
        return i;

    tb_quantity q = {0};
    q.low = q.high = NAN;
    size_t j = i;
    size_t which;
    size_t k = match_any(t, j, PREFIX_WORDS, N_PREFIX, &which);
    if (k && j + k < n && (is_numeral_char(cp[j + k]) || cp[j + k] == U'第')) {
        q.approx = PREFIX_APPROX[which];
        j += k;
    }
    if (j < n && cp[j] == U'第') {
        size_t k2 = skip_spaces(t, j + 1, 2);
        if (k2 < n && is_numeral_char(cp[k2])) {
            q.ordinal = 1;
            j = k2;
        }
    }
    int negative = 0;
    if (!q.ordinal && j + 1 < n) {
        uint32_t s = cp[j];
        int prev_num = j > 0 && (is_numeral_char(cp[j - 1]) || cp[j - 1] == '.' || cp[j - 1] == '-');
        if (s == U'负' && is_numeral_char(cp[j + 1])) {
            negative = 1;
            j++;
        } else if ((s == '-' || s == 0x2212) && !prev_num &&
                   (is_digit(cp[j + 1]) || (cp[j + 1] == '.' && j + 2 < n && is_digit(cp[j + 2])))) {
            negative = 1;
            j++;
        }
    }
    double to_percent = 0;
    size_t pk = q.ordinal ? 0 : match_percent_prefix(t, j, &to_percent);
    if (pk) {
        j += pk;
        if (j < n && cp[j] == U'负') {
            negative = !negative;
            j++;
        }
    }

    tb_numeral num;
    if (!tb_numeral_read_ex(cp, n, j, q.ordinal ? TB_NUM_ACROSS_LINES : 0, &num)) return i;
    if (num.financial_only && num.n_atoms == 1 && !pk) return i;    /* 队伍, 陆地, 收拾 */
    /* Two positional digits (九九, 三八) count only as a discount (三八折). */
    if (num.digit_string && num.end - num.start == 2 && !(num.end < n && cp[num.end] == U'折')) return i;
    /* A lone 零 is a word prefix (零报告, 零容忍, 零感染). */
    if (num.has_han && num.n_atoms == 1 && num.value == 0 && !q.ordinal) return i;
    size_t num_start = j;
    j = num.end;
    double value = num.value;
    q.low = num.low;
    q.high = num.high;
    if (num.approx != TB_APPROX_NONE) q.approx = num.approx;
    q.overflow = num.overflow;
    q.kind = TB_QK_NUMBER;

    if (pk) {
        q.kind = TB_QK_PERCENT;
        value *= to_percent;
        q.low *= to_percent;
        q.high *= to_percent;
    } else if (!q.ordinal) {
        /* Fractions: A分之B, A又B分之C, A/B, "1 3/5". */
        size_t f = match_fenzhi(t, j);
        size_t jy = skip_spaces(t, j, 3);
        size_t you = (jy < n && cp[jy] == U'又') ? 1 : 0;
        if (you) j = jy;
        if (f) {
            size_t b = j + f;
            int bneg = 0;
            if (b < n && cp[b] == U'负') {
                bneg = 1;
                b++;
            }
            tb_numeral den;
            if (tb_numeral_read(cp, n, b, &den) && value != 0) {
                value = (bneg ? -den.value : den.value) / value;
                q.kind = TB_QK_FRACTION;
                q.low = q.high = NAN;
                j = den.end;
            }
        } else if (you) {
            size_t b = skip_spaces(t, j + 1, 3);
            tb_numeral a2, b2;
            if (tb_numeral_read(cp, n, b, &a2)) {
                size_t f2 = match_fenzhi(t, a2.end);
                if (f2 && tb_numeral_read(cp, n, a2.end + f2, &b2) && a2.value != 0) {
                    value = value + b2.value / a2.value;
                    q.kind = TB_QK_FRACTION;
                    j = b2.end;
                }
            }
        } else if (num.has_arabic && !num.has_han && j + 1 < n && cp[j] == '/' && is_digit(cp[j + 1]) &&
                   (num_start == 0 || cp[num_start - 1] != '/')) {
            tb_numeral den;
            if (tb_numeral_read(cp, n, j + 1, &den) && den.has_arabic && !den.has_han &&
                !(den.end < n && (cp[den.end] == '/' || cp[den.end] == '.')) && den.value != 0) {
                value = value / den.value;
                q.kind = TB_QK_FRACTION;
                j = den.end;
            }
        } else if (num.has_arabic && !num.has_han && j + 2 < n && cp[j] == ' ' && is_digit(cp[j + 1])) {
            /* 1 3/5: a whole number and a fraction. */
            tb_numeral a2, b2;
            if (tb_numeral_read(cp, n, j + 1, &a2) && !a2.has_han && a2.end + 1 < n &&
                cp[a2.end] == '/' && tb_numeral_read(cp, n, a2.end + 1, &b2) && !b2.has_han &&
                b2.value != 0) {
                value = value + a2.value / b2.value;
                q.kind = TB_QK_FRACTION;
                j = b2.end;
            }
        }
    }
    /* A fraction or exponent can leave the double range (2k/4e-307) or, with
     * two infinite parts, have no value at all: say so, never a silent NaN. */
    if (isnan(value)) return i;
    if (isinf(value)) q.overflow = 1;
    if (negative) {
        value = -value;
        double lo = q.low;
        q.low = -q.high;
        q.high = -lo;
    }
    size_t num_end = j;

    /* The unit: %, ‰, or the longest listed unit right after the number. */
    size_t unit_s = j, unit_e = j;
    if (q.kind == TB_QK_NUMBER) {
        size_t u0 = j;
        /* 一百五十    个百分点, 2.4   个百分 点: spaces before a percent unit */
        size_t us = skip_spaces(t, j, 6);
        if (us < n && (cp[us] == '%' || cp[us] == 0x2030)) {
            q.kind = TB_QK_PERCENT;
            if (cp[us] == 0x2030) {
                value /= 10;
                q.low /= 10;
                q.high /= 10;
            }
            unit_s = us;
            unit_e = us + 1;
            q.unit_class = TB_UNIT_PERCENT;
        } else {
            /* 个 百 分 点 with spaces between */
            size_t k3 = us;
            static const char32_t PP[] = U"个百分点";
            size_t m = 0;
            if (k3 < n && cp[k3] == PP[0]) m = 0;
            else if (k3 < n && cp[k3] == PP[1]) m = 1;
            else m = 9;
            size_t end_pp = 0;
            if (m < 4) {
                size_t kk = k3;
                while (m < 4 && kk < n && cp[kk] == (uint32_t)PP[m]) {
                    m++;
                    kk = skip_spaces(t, kk + 1, 3);
                }
                if (m == 4) end_pp = kk;
            }
            if (end_pp) {
                while (end_pp > k3 && is_space(cp[end_pp - 1])) end_pp--;
                q.kind = TB_QK_PERCENT_POINT;
                unit_s = k3;
                unit_e = end_pp;
                q.unit_class = TB_UNIT_PERCENT;
            } else {
                const tb_phrase_entry *u = phrase_at(t, u0, TB_UNITS, TB_N_UNITS);
                if (u == NULL && us > u0 && us < n && (cp[us] == U'成' || cp[us] == U'折')) {
                    u = phrase_at(t, us, TB_UNITS, TB_N_UNITS);   /* 十 成, 陆 点 五 折 */
                    u0 = us;
                }
                if (u) {
                    unit_s = u0;
                    unit_e = u0 + u->len;
                    q.unit_class = u->cls;
                }
            }
        }
    }
    /* Units that turn the number into something else. */
    if (q.unit_class == TB_UNIT_CALENDAR && !q.ordinal) {
        uint32_t u = cp[unit_s];
        int year_like = (num.has_arabic && !num.has_han && value >= 1000 && value <= 2999 &&
                         value == floor(value)) || num.digit_string;
        if (u == U'年' && !year_like && unit_e - unit_s == 1) {
            /* 两年, 3年, 16年: a duration */
        } else {
            /* 2022年, 3月, 27日, 8时, 17时35分: the date scanner's */
            *skip_to = unit_e;
            return i;
        }
    }
    if (q.unit_class == TB_UNIT_COUNT && cp[unit_s] == U'点' && unit_e - unit_s == 1 &&
        value <= 24 && (follows_time_word(t, i) || (unit_e < n && is_numeral_char(cp[unit_e])))) {
        *skip_to = unit_e;   /* 上午8点, 8点30分: a time */
        return i;
    }
    if (q.unit_class == TB_UNIT_PERCENT && unit_e - unit_s == 1 &&
        (cp[unit_s] == U'成' || cp[unit_s] == U'折')) {
        /* 九成 90%, 三成半 35%, 9.9折 99%, 75折 75%, 三八折 38%. */
        int zhe = cp[unit_s] == U'折';
        double v = value;
        if (zhe && v >= 10 && !num.has_han && v == floor(v) && v < 100) {
            /* 75折 already in percent */
        } else if (zhe && num.digit_string && v >= 10 && v < 100) {
            /* 三八折 */
        } else if (zhe && v >= 10) {
            v = -1;   /* 十折 is not a discount */
        } else {
            v *= 10;
        }
        if (v < 0) return i;
        value = v;
        q.kind = TB_QK_PERCENT;
        if (!zhe && unit_e < n && cp[unit_e] == U'半') {
            value += 5;
            unit_e++;
        }
        q.low = q.high = NAN;
    }
    if (unit_e - unit_s == 1 && cp[unit_s] == U'打' && q.kind == TB_QK_NUMBER) {
        value *= 12;   /* 一打 = a dozen */
        q.low *= 12;
        q.high *= 12;
    }
    size_t end = unit_e;
    if (unit_s == unit_e) end = num_end;
    /* A trailing approximation: 100人以上, 3万左右. */
    size_t sk = match_any(t, end, SUFFIX_WORDS, N_SUFFIX, &which);
    if (sk && q.approx == TB_APPROX_NONE) {
        q.approx = SUFFIX_APPROX[which];
        if (q.approx == TB_APPROX_OVER) q.low = value;
        if (q.approx == TB_APPROX_UNDER) q.high = value;
        end += sk;
    }
    if (q.approx == TB_APPROX_UNDER && isnan(q.high)) q.high = value;
    if (q.approx == TB_APPROX_OVER && isnan(q.low)) q.low = value;

    /* Dates and clock times written with digits and separators, and bare
     * years, even where no date scanner ran: 2021-08-12, 17:35, 2009 - 2020. */
    if (unit_s == unit_e && q.kind == TB_QK_NUMBER && num.has_arabic && !num.has_han &&
        is_numeric_date_part(t, num_start, num_end, value))
        return i;
    /* List markers: "2." or "六、" opening a line, "(3)" or "（一）". */
    if (unit_s == unit_e && q.kind == TB_QK_NUMBER && !q.ordinal && i == num_start && end == num_end &&
        is_list_marker(t, i, end))
        return i;
    /* Service numbers naming a service: 拨打120, 120指挥中心, 110、119. */
    if (unit_s == unit_e && q.kind == TB_QK_NUMBER && !q.ordinal && q.approx == TB_APPROX_NONE &&
        i == num_start && end == num_end && num.has_arabic && !num.has_han && is_service_name(t, i, end))
        return i;
    /* The tokenizer's boundaries: a Chinese numeral must start a word and
     * the mention must end one, or the numeral is part of a word (统一,
     * 四川, 一线). Without the unit, the number alone may still qualify.
     * Arabic digits are always a token of their own, and a measure word
     * after them is one even when the tokenizer glued it to the next
     * character (4名市, 3年来). */
    if (num.has_han && !boundary(c, i) && !boundary(c, num_start)) return i;
    /* After a numeral, 个 is the classifier even when the tokenizer read 个人. */
    int ge = unit_e - unit_s == 1 && cp[unit_s] == U'个';
    if (!boundary(c, end) && num.has_han && !ge) {
        if (unit_s != unit_e && boundary(c, num_end) && !(num.has_han && !num.has_arabic && num.n_atoms == 1 &&
                                                          !q.ordinal)) {
            end = num_end;
            unit_s = unit_e = num_end;
            q.unit_class = 0;
            if (q.kind == TB_QK_PERCENT && !pk) q.kind = TB_QK_NUMBER;
        } else if (num.has_han) {
            return i;
        }
    }
    if (overlaps_skip(c, i, end)) return i;

    if (isnan(value)) return i;
    if (isinf(value)) q.overflow = 1;   /* 1e308打, 1e308成 */
    q.start = (uint32_t)i;
    q.end = (uint32_t)end;
    q.unit_start = (uint32_t)unit_s;
    q.unit_end = (uint32_t)unit_e;
    q.value = value;
    if (TB_VEC_RESERVE(c->out->v, c->out->cap, c->out->n + 1) != TB_OK) return (size_t)-1;
    c->out->v[c->out->n++] = q;

    /* 3至5例: the first of a range takes the unit of the second. */
    size_t rk = match_any(t, end, RANGE_WORDS, N_RANGE, NULL);
    if (rk && unit_s == unit_e && q.kind == TB_QK_NUMBER) {
        tb_numeral second;
        if (tb_numeral_read(cp, n, end + rk, &second)) {
            const tb_phrase_entry *u = phrase_at(t, second.end, TB_UNITS, TB_N_UNITS);
            if (u && u->cls != TB_UNIT_CALENDAR) {
                tb_quantity *first = &c->out->v[c->out->n - 1];
                first->unit_start = (uint32_t)second.end;
                first->unit_end = (uint32_t)(second.end + u->len);
                first->unit_class = u->cls;
            }
        }
    }
    return end;
}

/* Characters at which a quantity can start (a quick filter before the real
 * reading): digits, '.', '-', the minus sign, and the Chinese numerals and
 * prefixes 〇零一二两俩三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿兆第约近负超逾不至多将接最大半几廿卅, as one switch. */
static int may_start(uint32_t c) {
    if (c < 0x80) return is_digit(c) || c == '.' || c == '-';
    switch (c) {
    case 0x3007: case 0x96F6: case 0x4E00: case 0x4E8C: case 0x4E24: case 0x4FE9: case 0x4E09: case
    0x56DB: case 0x4E94: case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x58F9: case
    0x8D30: case 0x53C1: case 0x8086: case 0x4F0D: case 0x9646: case 0x67D2: case 0x634C: case
    0x7396: case 0x5341: case 0x62FE: case 0x767E: case 0x4F70: case 0x5343: case 0x4EDF: case
    0x4E07: case 0x4EBF: case 0x5146: case 0x7B2C: case 0x7EA6: case 0x8FD1: case 0x8D1F: case
    0x8D85: case 0x903E: case 0x4E0D: case 0x81F3: case 0x591A: case 0x5C06: case 0x63A5: case
    0x6700: case 0x5927: case 0x534A: case 0x51E0: case 0x5EFF: case 0x5345:
    case 0x2212:
        return 1;
    default:
        return 0;
    }
}

tb_status tb_quantities_scan(const tb_text *t, const uint8_t *brk, const uint32_t *skip_start,
                             const uint32_t *skip_end, size_t n_skip, tb_quantities *out,
                             tb_error *err) {
    scan_ctx c = {t, brk, skip_start, skip_end, n_skip, 0, out, 0, 0, 0};
    size_t i = 0;
    while (i < t->n) {
        uint32_t ch = t->cp[i];
        if (!may_start(ch)) {
            i++;
            continue;
        }
        size_t se = skip_end_at(&c, i);
        if (se) {
            i = se;
            continue;
        }
        /* Inside a number that was not taken (the middle of 12345 or 二十三). */
        if (i > 0 && is_digit(ch) && is_digit(t->cp[i - 1])) {
            i++;
            continue;
        }
        size_t skip_to;
        size_t e = read_quantity(&c, i, &skip_to);
        if (e == (size_t)-1)
            return tb_fail(err, TB_ENOMEM, TB_AT_CODEPOINT, i, "out of memory for quantities");
        if (e > i) i = e;
        else if (skip_to > i) i = skip_to;
        else {
            /* Skip the rest of a numeral run we did not take, so that 统一
             * or 四川 is not re-read from its second character. */
            size_t k = i + 1;
            if (!is_digit(ch))
                while (k < t->n && (tb_numeral_digit(t->cp[k]) >= 0 || tb_numeral_unit(t->cp[k]) > 0)) k++;
            i = k;
        }
    }
    return TB_OK;
}
