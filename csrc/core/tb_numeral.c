#include "tb_numeral.h"

#include <math.h>

#include "tb_text.h"

/* Three evaluations run side by side over one pass: the value itself and
 * the two bounds. They differ only where the text is vague: 几 reads 0, 1
 * and 9; 两三 reads 2, 2 and 3. So 二十几万 gives 200000, 210000, 290000
 * without a second pass or a buffer of atoms. */
enum { EV_VALUE = 0, EV_LOW = 1, EV_HIGH = 2, N_EV = 3 };

typedef struct {
    double result;    /* groups closed by 万 亿 兆 */
    double section;   /* the group under way, below the next big unit */
    double number;    /* a digit waiting for its unit */
    double frac;      /* decimals after a unit (两千万点五): added at the end */
    double last_big;  /* magnitude of the last big-unit group */
    int has_number;
} eval;

typedef enum { A_NONE = 0, A_DIGIT, A_ARABIC, A_ZERO, A_SMALL, A_BIG, A_MARK, A_DECIMAL } atom_kind;

int tb_numeral_digit(uint32_t c) {
    switch (c) {
    case 0x3007: case 0x96F6: return 0;               /* 〇 零 */
    case 0x4E00: case 0x58F9: return 1;               /* 一 壹 */
    case 0x4E8C: case 0x8D30: case 0x4E24: case 0x4FE9: return 2;  /* 二 贰 两 俩 */
    case 0x4E09: case 0x53C1: return 3;               /* 三 叁 */
    case 0x56DB: case 0x8086: return 4;               /* 四 肆 */
    case 0x4E94: case 0x4F0D: return 5;               /* 五 伍 */
    case 0x516D: case 0x9646: return 6;               /* 六 陆 */
    case 0x4E03: case 0x67D2: return 7;               /* 七 柒 */
    case 0x516B: case 0x634C: return 8;               /* 八 捌 */
    case 0x4E5D: case 0x7396: return 9;               /* 九 玖 */
    default: return -1;
    }
}

double tb_numeral_unit(uint32_t c) {
    switch (c) {
    case 0x5341: case 0x62FE: return 10;      /* 十 拾 */
    case 0x767E: case 0x4F70: return 100;     /* 百 佰 */
    case 0x5343: case 0x4EDF: return 1000;    /* 千 仟 */
    case 0x4E07: return 1e4;                  /* 万 */
    case 0x4EBF: return 1e8;                  /* 亿 */
    case 0x5146: return 1e12;                 /* 兆, as Recognizers-Text reads it */
    default: return 0;
    }
}

/* Financial forms double as ordinary words (队伍, 陆地, 收拾, 放肆). */
static int is_financial(uint32_t c) {
    switch (c) {
    case 0x58F9: case 0x8D30: case 0x53C1: case 0x8086: case 0x4F0D: case 0x9646:
    case 0x67D2: case 0x634C: case 0x7396: case 0x62FE: case 0x4F70: case 0x4EDF:
        return 1;
    default:
        return 0;
    }
}

#define C_DIAN 0x70B9   /* 点 */
#define C_YU 0x4F59     /* 余 */
#define C_DUO 0x591A    /* 多 */
#define C_JI 0x51E0     /* 几 */
#define C_BAN 0x534A    /* 半 */
#define C_NIAN 0x5EFF   /* 廿 */
#define C_SA 0x5345     /* 卅 */

#define is_digit tb_is_ascii_digit
#define is_alpha tb_is_ascii_alpha
static int is_space(uint32_t c) { return c == ' ' || c == '\t'; }

static double pow10i(long e) {
    if (e > 400) return INFINITY;
    if (e < -400) return 0.0;
    return pow(10.0, (double)e);
}

/* An Arabic number at cp[i]: digits with ',' thousands groups, a '.'
 * decimal part, an exponent (e5, ^2) and a k/M multiplier. Returns its end
 * (i when none). `dotted`: the number follows "digits." (2222.2222.222), so
 * a '.' here separates, it does not start decimals. */
static size_t read_arabic(const uint32_t *cp, size_t n, size_t i, int dotted, double *value,
                          int *is_single_digit, int *is_integer) {
    size_t j = i;
    uint64_t mant = 0;
    int sig = 0;          /* significant digits held in mant (at most 19) */
    long scale = 0;       /* power of ten to apply to mant */
    size_t n_int = 0;
    while (j < n && is_digit(cp[j])) {
        if (sig < 19) {
            mant = mant * 10 + (cp[j] - '0');
            if (mant) sig++;
        } else {
            scale++;
        }
        j++;
        n_int++;
        /* 118,406: a comma followed by exactly three digits and no fourth. */
        if (j + 3 < n && cp[j] == ',' && is_digit(cp[j + 1]) && is_digit(cp[j + 2]) &&
            is_digit(cp[j + 3]) && (j + 4 >= n || !is_digit(cp[j + 4]))) {
            j++;   /* skip the comma; the loop reads the group */
        }
    }
    if (j == i && !(i < n && cp[i] == '.')) return i;
    int integer = 1;
    /* Decimals: '.' then a digit, unless this is a dotted sequence (1.2.3). */
    if (j + 1 < n && cp[j] == '.' && is_digit(cp[j + 1]) && !dotted) {
        size_t k = j + 1;
        while (k < n && is_digit(cp[k])) k++;
        if (!(k + 1 < n && cp[k] == '.' && is_digit(cp[k + 1]))) {
            for (size_t m = j + 1; m < k; m++) {
                if (sig < 19) {
                    mant = mant * 10 + (cp[m] - '0');
                    if (mant) sig++;
                    scale--;
                }
            }
            j = k;
            integer = 0;
        }
    }
    if (j == i || (j == i + 1 && cp[i] == '.')) return i;
    double v;
    if (scale < 0 && -scale <= 22 && mant < (1ull << 53))
        v = (double)mant / pow10i(-scale);        /* one correctly rounded division */
    else
        v = (double)mant * pow10i(scale);
    /* Exponent: 2e5, 2.7890e-1, 12.32e+14 (not followed by a letter: 3ea). */
    if (j < n && (cp[j] == 'e' || cp[j] == 'E')) {
        size_t k = j + 1;
        int neg = 0;
        if (k < n && (cp[k] == '+' || cp[k] == '-')) neg = cp[k++] == '-';
        size_t d0 = k;
        long e = 0;
        while (k < n && is_digit(cp[k])) {
            if (e < 100000) e = e * 10 + (cp[k] - '0');
            k++;
        }
        if (k > d0 && (k >= n || !is_alpha(cp[k]))) {
            v *= pow10i(neg ? -e : e);
            j = k;
            integer = 0;
        }
    } else if (j < n && cp[j] == '^') {   /* 2^5, 2^-1, 1.1^--23 */
        size_t k = j + 1;
        int neg = 0;
        while (k < n && (cp[k] == '+' || cp[k] == '-')) {
            if (cp[k] == '-') neg = !neg;
            k++;
        }
        size_t d0 = k;
        double e = 0;
        while (k < n && is_digit(cp[k])) {
            if (e < 1e6) e = e * 10 + (cp[k] - '0');
            k++;
        }
        if (k > d0) {
            v = pow(v, neg ? -e : e);
            j = k;
            integer = 0;
        }
    }
    /* k and M multipliers: 40k, 12k个百分点, 52.5 k, -2.5 M. */
    size_t k = j;
    if (k < n && is_space(cp[k]) && k + 1 < n && !is_space(cp[k + 1])) k++;
    if (k < n && (cp[k] == 'k' || cp[k] == 'K' || cp[k] == 'M') && (k + 1 >= n || !is_alpha(cp[k + 1])) &&
        (k + 1 >= n || !is_digit(cp[k + 1]))) {
        v *= cp[k] == 'M' ? 1e6 : 1e3;
        j = k + 1;
    }
    *value = v;
    *is_single_digit = (j == i + 1);
    *is_integer = integer;
    return j;
}

static void ev_digit(eval *e, double d) {
    e->number = d;
    e->has_number = 1;
}

static void ev_small(eval *e, double u) {
    e->section += (e->has_number ? e->number : 1) * u;
    e->has_number = 0;
}

static void ev_big(eval *e, double u) {
    double s = e->section + (e->has_number ? e->number : 0);
    e->has_number = 0;
    e->section = 0;
    if (s == 0) {                      /* 万万, 万亿: units multiply */
        e->result *= u;
        e->last_big *= u;
    } else if (e->result == 0 || u > e->last_big) {   /* 一万五千亿 */
        e->result = (e->result + s) * u;
        e->last_big = u;
    } else {
        e->result += s * u;
        e->last_big = u;
    }
}

static double ev_final(const eval *e, double abbrev) {
    return e->result + e->section + (e->has_number ? e->number * abbrev : 0) + e->frac;
}

/* Skip a short run of spaces when what follows continues a Chinese numeral. */
static size_t skip_inner_space(const uint32_t *cp, size_t n, size_t j, int lines) {
    size_t k = j;
    while (k < n && k - j < 4 && (is_space(cp[k]) || (lines && (cp[k] == '\n' || cp[k] == '\r')))) k++;
    if (k == j || k >= n) return j;
    uint32_t c = cp[k];
    if (tb_numeral_digit(c) >= 0 || tb_numeral_unit(c) > 0 || c == C_DIAN || c == C_YU ||
        c == C_DUO || c == C_JI)
        return k;
    return j;
}

/* Decimal digits after 点 (Chinese digits except 两, which never reads as a
 * decimal digit: 一点两小时 is 一 … 两小时). Returns the end, sets *frac. */
static size_t read_chinese_decimals(const uint32_t *cp, size_t n, size_t j, double *frac) {
    size_t k = j;
    double scale = 0.1, f = 0;
    while (k < n) {
        uint32_t c = cp[k];
        int d = tb_numeral_digit(c);
        if (d < 0 || c == 0x4E24 || c == 0x4FE9) break;
        f += d * scale;
        scale /= 10;
        k++;
    }
    *frac = f;
    return k;
}

int tb_numeral_read_ex(const uint32_t *cp, size_t n, size_t i, int flags, tb_numeral *out) {
    if (i >= n) return 0;
    eval ev[N_EV] = {{0}};
    size_t j = i;
    atom_kind last = A_NONE;
    double last_unit = 0;        /* unit just before the current digit (abbreviation 九万四) */
    double small_in_section = 1e30;   /* smallest small unit in the group: 十百 is not a numeral */
    int n_atoms = 0, has_han = 0, has_arabic = 0, all_financial = 1, digit_string = 1, n_digits = 0;
    int single_digit_last = 0, range_used = 0, prev_liang = 0;
    tb_approx approx = TB_APPROX_NONE;
    size_t end = i;

    /* 半百 = 50, the only numeral that starts with 半. */
    if (cp[i] == C_BAN && i + 1 < n && cp[i + 1] == 0x767E) {
        for (int k = 0; k < N_EV; k++) ev[k].section = 50;
        end = i + 2;
        n_atoms = 2;
        has_han = 1;
        all_financial = 0;
        digit_string = 0;
        last = A_SMALL;
        j = end;
        goto done_scan;
    }

    while (j < n) {
        uint32_t c = cp[j];
        int d = tb_numeral_digit(c);
        double u = tb_numeral_unit(c);
        if (is_digit(c) || (c == '.' && j + 1 < n && is_digit(cp[j + 1]) && n_atoms == 0 &&
                            (j == 0 || (!is_digit(cp[j - 1]) && cp[j - 1] != '.')))) {
            /* An Arabic number: first, or after a unit or 零 (3万4000, 1千零20). */
            if (!(last == A_NONE || last == A_BIG || last == A_SMALL || last == A_ZERO)) break;
            int dotted = j >= 2 && cp[j - 1] == '.' && is_digit(cp[j - 2]);
            double v;
            int single, integer;
            size_t k = read_arabic(cp, n, j, dotted, &v, &single, &integer);
            if (k == j) break;
            if (last != A_NONE && !integer) break;       /* 3万4.5 is not a numeral */
            for (int m = 0; m < N_EV; m++) ev_digit(&ev[m], v);
            has_arabic = 1;
            all_financial = 0;
            digit_string = 0;
            single_digit_last = single;
            if (last == A_NONE) last_unit = 0;
            last = A_ARABIC;
            j = end = k;
        } else if (d >= 0) {
            if (!(c == 0x3007 || c == 0x96F6)) n_digits++;
            if (last == A_DIGIT) {
                /* Two digits in a row: 两三 (a range) or 一九九一 (positional). */
                double prev = ev[EV_VALUE].number;
                if (n_atoms == 1 && !range_used && d == (int)prev + 1 && prev >= 1 && j + 1 <= n &&
                    !(j + 1 < n && tb_numeral_digit(cp[j + 1]) >= 0)) {
                    ev[EV_HIGH].number = d;
                    range_used = 1;
                    approx = TB_APPROX_ABOUT;
                    digit_string = 0;
                    last = A_DIGIT;
                    j = end = j + 1;
                    n_atoms++;
                    all_financial &= is_financial(c);
                    has_han = 1;
                    continue;
                }
                if (!digit_string || range_used || c == 0x4E24 || c == 0x4FE9 || prev_liang) break;
                for (int m = 0; m < N_EV; m++) ev[m].number = ev[m].number * 10 + d;
            } else if (last == A_ZERO && digit_string && n_atoms >= 1 && last_unit == 0 &&
                       ev[EV_VALUE].section == 0 && ev[EV_VALUE].result == 0) {
                /* 二〇二二: positional digits that contain zeros. */
                for (int m = 0; m < N_EV; m++) ev[m].number = ev[m].number * 10 + d;
            } else if (d == 0) {
                /* 零 between units (一千零五) or leading (零点五). */
                if (last == A_DIGIT && digit_string) {
                    for (int m = 0; m < N_EV; m++) ev[m].number = ev[m].number * 10;
                    last = A_DIGIT;
                    j = end = j + 1;
                    n_atoms++;
                    has_han = 1;
                    all_financial = 0;
                    continue;
                }
                if (last == A_ARABIC) break;
                last_unit = 0;
                last = A_ZERO;
                j = end = j + 1;
                n_atoms++;
                has_han = 1;
                all_financial = 0;
                continue;
            } else {
                if (last == A_ARABIC || last == A_MARK || last == A_DECIMAL) break;
                if (last == A_NONE || last == A_ZERO) last_unit = 0;
                for (int m = 0; m < N_EV; m++) ev_digit(&ev[m], d);
            }
            single_digit_last = 1;
            prev_liang = c == 0x4E24 || c == 0x4FE9;
            has_han = 1;
            all_financial &= is_financial(c);
            last = A_DIGIT;
            j = end = j + 1;
        } else if (u > 0) {
            if (last == A_DECIMAL) {
                /* 四点五万: only a big unit may follow decimals, and only a pending number's. */
                if (u < 1e4 || !ev[EV_VALUE].has_number) break;
            }
            if (u < 1e4) {
                if (last == A_NONE && !(c == 0x5341 || c == 0x62FE || c == 0x767E || c == 0x5343 ||
                                        c == 0x4F70 || c == 0x4EDF))
                    break;
                if (last == A_MARK) break;
                if (u >= small_in_section) break;          /* 十百, 百百 */
                if (last == A_DIGIT && digit_string && n_atoms > 1 && !range_used) break;
                for (int m = 0; m < N_EV; m++) ev_small(&ev[m], u);
                small_in_section = u;
                last = A_SMALL;
            } else {
                if (last == A_NONE) break;                 /* a bare 万 is a word */
                if (last == A_DIGIT && digit_string && n_atoms > 1 && !range_used) break;
                for (int m = 0; m < N_EV; m++) ev_big(&ev[m], u);
                small_in_section = 1e30;
                last = A_BIG;
            }
            last_unit = u;
            digit_string = 0;
            single_digit_last = 0;
            has_han = 1;
            all_financial &= is_financial(c);
            j = end = j + 1;
        } else if (c == C_NIAN || c == C_SA) {
            /* 廿 = 二十, 卅 = 三十 (dates and old-style counts). */
            if (last != A_NONE) break;
            for (int m = 0; m < N_EV; m++) ev[m].section = c == C_NIAN ? 20 : 30;
            small_in_section = 10;
            last_unit = 10;
            last = A_SMALL;
            digit_string = 0;
            has_han = 1;
            all_financial = 0;
            j = end = j + 1;
        } else if (c == C_YU || c == C_DUO) {
            /* 百余, 40余, 十多万, 6000多万, 120万余: "and more". */
            int ok = last == A_SMALL || last == A_BIG ||
                     (last == A_ARABIC && ev[EV_VALUE].number >= 10 && !single_digit_last);
            if (!ok || approx == TB_APPROX_OVER) break;
            approx = TB_APPROX_OVER;
            last = A_MARK;
            j = end = j + 1;
        } else if (c == C_JI) {
            /* 十几, 二十几万, 一百零几万; leading 几十, 几万. */
            if (last == A_SMALL || last == A_ZERO || last == A_BIG) {
                ev_digit(&ev[EV_VALUE], 0);
                ev_digit(&ev[EV_LOW], 1);
                ev_digit(&ev[EV_HIGH], 9);
                if (approx == TB_APPROX_NONE) approx = TB_APPROX_OVER;
            } else if (last == A_NONE && j + 1 < n && tb_numeral_unit(cp[j + 1]) > 0) {
                ev_digit(&ev[EV_VALUE], 1);
                ev_digit(&ev[EV_LOW], 1);
                ev_digit(&ev[EV_HIGH], 9);
                approx = TB_APPROX_ABOUT;
            } else {
                break;
            }
            range_used = 1;
            last_unit = 0;
            last = A_DIGIT;
            single_digit_last = 0;
            digit_string = 0;
            has_han = 1;
            all_financial = 0;
            j = end = j + 1;
        } else if (c == C_DIAN) {
            /* 点 + digits: decimals (十五点七, 两千万点五五). */
            if (!(last == A_DIGIT || last == A_SMALL || last == A_BIG || last == A_ZERO) || range_used)
                break;
            size_t k = j + 1;
            while (k < n && k - j <= 3 && is_space(cp[k])) k++;
            double frac;
            size_t e = read_chinese_decimals(cp, n, k, &frac);
            if (e == k) break;
            for (int m = 0; m < N_EV; m++) {
                if (ev[m].has_number) {
                    double ab = (last_unit >= 100 && single_digit_last) ? last_unit / 10 : 1;
                    ev[m].number = ev[m].number * ab + frac;
                } else {
                    ev[m].frac = frac;
                }
            }
            last_unit = 0;
            digit_string = 0;
            last = A_DECIMAL;
            j = end = e;
        } else if ((is_space(c) || ((flags & TB_NUM_ACROSS_LINES) && (c == '\n' || c == '\r'))) &&
                   n_atoms > 0) {
            size_t k = skip_inner_space(cp, n, j, flags & TB_NUM_ACROSS_LINES);
            if (k == j && (last == A_SMALL || last == A_BIG)) {
                /* 7万 5千 4百: an Arabic digit after a unit and a space */
                size_t k2 = j;
                while (k2 < n && k2 - j < 3 && is_space(cp[k2])) k2++;
                if (k2 < n && is_digit(cp[k2])) k = k2;
            }
            if (k == j) break;
            if (last == A_ARABIC && tb_numeral_unit(cp[k]) == 0) break;   /* 1, 234: two numbers */
            j = k;
            continue;   /* not an atom; `end` stays before the spaces */
        } else {
            break;
        }
        if (n_atoms < 255) n_atoms++;
    }

done_scan:
    if (end == i || n_atoms == 0) return 0;
    /* A lone 零/〇 is a numeral (零 例); a lone 几 is not. */
    double abbrev = 1;
    if (last == A_DIGIT && single_digit_last && last_unit >= 100 && !range_used) abbrev = last_unit / 10;
    out->start = i;
    out->end = end;
    out->value = ev_final(&ev[EV_VALUE], abbrev);
    out->low = NAN;
    out->high = NAN;
    if (range_used) {
        out->low = ev_final(&ev[EV_LOW], abbrev);
        out->high = ev_final(&ev[EV_HIGH], abbrev);
    } else if (approx == TB_APPROX_OVER) {
        out->low = out->value;
    }
    out->approx = (uint8_t)approx;
    out->overflow = !isfinite(out->value);
    if (out->overflow) out->value = INFINITY;
    out->n_atoms = (uint8_t)(n_atoms > 255 ? 255 : n_atoms);
    out->has_han = (uint8_t)has_han;
    out->has_arabic = (uint8_t)has_arabic;
    out->financial_only = (uint8_t)(has_han && all_financial);
    out->digit_string = (uint8_t)(digit_string && has_han && n_atoms > 1);
    out->ends_in_unit = (uint8_t)(last == A_SMALL || last == A_BIG);
    return 1;
}
