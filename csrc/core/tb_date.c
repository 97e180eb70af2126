/* The date scanner: find expressions (pass 1), pick the document's own date,
 * resolve against the reference (pass 2). See tb_date.h for the conventions.
 *
 * Pass 1 grammar, one expression (every part optional, in this order):
 *   ISO form      2021-08-12[ 17:35[:20]]   (also / and . as separators)
 *   year          2022年 二〇二二年 | 今年 去年 前年 明年 本年 当年 | 全年
 *     period      年底 年末 年初 上半年 下半年 春季… 第一季度 (after a year)
 *   month         3月[份] 十二月 | 本月 当月 上月 下月
 *     period      月初 月中 月底 月末 上旬 中旬 下旬
 *   day           27日 27号 二十七日 | 今天 昨日 当天 … | 上周三 本周 下周一
 *   part of day   上午 下午 晚上 凌晨 …
 *   time          8时[30分[20秒]] 8点半 17:35[:20]
 * Bare numbers are dates only where the context says so: a lone day (7日)
 * at a clause start or before a part of day or an hour, a lone hour (8时)
 * after a part of day, after 截至, or as the end of a range. Durations (3年,
 * 24小时, 14天) never match: 年 needs a four-digit year, 小时/天 are not
 * date words.
 *
 * Linear time: an attempt starts only at the first character of a digit run
 * (or at a word), reads a bounded number of further characters plus at most
 * the digit runs it meets, and a failed attempt at a run skips the run.
 * Weighing the document's date reads, per expression that writes a whole
 * date, at most SOURCE_LINE_BACK characters back and FIGURE_WINDOW ahead;
 * the title lines are found in one pass over the text's head; years by
 * context are carried forward in pass 2 in constant time per expression. */
#include "tb_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "tb_calendar.h"
#include "tb_lunar_table.h"
#include "tb_vec.h"

#define NONE_I (-1)
#define REL_NONE (-100)

enum { P_NONE = 0, P_YEAR_END, P_YEAR_START, P_HALF, P_SEASON, P_QUARTER, P_MONTH_EDGE, P_WHOLE_YEAR };
enum { H_NONE = 0, H_FIXED, H_QINGMING, H_LUNAR };
enum { DL_NONE = 0, DL_LEDE, DL_STAMP, DL_LABEL }; /* how strongly a date looks like the document's own */

/* What the text says about one expression, before resolution. */
typedef struct {
    uint32_t start, end;
    int y, m, d, h, mi, s;   /* as written, NONE_I when absent */
    int ryear, rmonth, rday; /* relative offsets (今年 0, 上月 -1, 昨天 -1), REL_NONE when absent */
    int rweek, weekday;      /* 上周 -1 …, weekday 1..7 or 0 */
    uint8_t that_year;       /* 当年: the last year the text named */
    uint8_t period;          /* P_* */
    uint8_t pod;             /* tb_date_pod */
    uint8_t role;            /* tb_date_range */
    uint8_t dateline;        /* DL_* */
    uint8_t on_ref_day;      /* only a time of day was written (上午8时) */
    uint8_t holiday;         /* H_*: a named day (清明节, 国庆节, 春节) */
    uint8_t lunar;           /* H_LUNAR: its column of TB_LUNAR_DAYS */
    uint8_t next_day;        /* 次日, 翌日: the day after the date before it */
    uint8_t same_day;        /* 当日, 当天: the day of the date before it */
    uint8_t yearless_period; /* 年底, 年初 with no year: the year of the context */
    uint8_t history;         /* the start of a span into the past (自…以来, the start of a
                                range whose end writes its own year): not the document's
                                date, and no year to carry */
    uint8_t bare_weekday;    /* 周三, 星期一 with no week word: the nearest in the direction */
    uint8_t future;          /* an announcing cue near it (将于, 拟, …起): resolve forward */
    uint8_t open_end;        /* 近日, 最近: an open range ending on the reference day */
    uint8_t numform;         /* NF_*: a numeric day-month form (04.10.2022, 10/4) */
    uint8_t numsep;          /* its separator */
    uint8_t ambiguous;       /* day-first or month-first: neither the values nor the text tell */
    int8_t na, nb;           /* its first two fields as written */
} raw;

/* How a numeric date with day and month fields (a.b.yyyy, a/b) reads. */
enum { NF_NONE = 0, NF_DAY_FIRST, NF_MONTH_FIRST, NF_PENDING };

typedef struct {
    raw *v;
    size_t n, cap;
} raws;

/* ---- character helpers ------------------------------------------------ */

static inline uint32_t at(const tb_text *t, size_t i) { return i < t->n ? t->cp[i] : 0; }

/* Length of `w` when the text at i spells it, else 0. */
static size_t word_at(const tb_text *t, size_t i, const char32_t *w) {
    size_t k = 0;
    for (; w[k]; k++)
        if (at(t, i + k) != (uint32_t)w[k]) return 0;
    return k;
}

/* Length of the ASCII digit run at i (0 if none). */
static size_t digit_run(const tb_text *t, size_t i) {
    size_t j = i;
    while (j < t->n && tb_is_ascii_digit(t->cp[j])) j++;
    return j - i;
}

/* Value of a digit run of at most 9 digits. */
static int run_value(const tb_text *t, size_t i, size_t len) {
    int v = 0;
    for (size_t k = 0; k < len; k++) v = v * 10 + (int)(t->cp[i + k] - '0');
    return v;
}

static int han_digit(uint32_t c) {
    switch (c) {
    case U'〇': case U'零': return 0;
    case U'一': return 1;
    case U'二': case U'两': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'七': return 7;
    case U'八': return 8;
    case U'九': return 9;
    default: return -1;
    }
}

/* A small Chinese numeral 0..99 at i (十, 十二, 二十, 二十七, 零, 三); its
 * length in *len, -1 if none. 两 counts only alone (两点). */
static int han_small(const tb_text *t, size_t i, size_t *len) {
    uint32_t c0 = at(t, i);
    if (c0 == U'廿' || c0 == U'卅') {
        /* 廿五 25, 卅一 31: the old tens, in days */
        int d1 = han_digit(at(t, i + 1));
        int base = c0 == U'廿' ? 20 : 30;
        if (d1 >= 1 && at(t, i + 1) != U'两') {
            *len = 2;
            return base + d1;
        }
        *len = 1;
        return base;
    }
    int d0 = han_digit(c0);
    if (c0 == U'十') {
        int d1 = han_digit(at(t, i + 1));
        if (d1 >= 1 && at(t, i + 1) != U'两') {
            *len = 2;
            return 10 + d1;
        }
        *len = 1;
        return 10;
    }
    if (d0 < 0) return -1;
    if (at(t, i + 1) == U'十') {
        if (d0 == 0 || c0 == U'两') return -1;
        int d2 = han_digit(at(t, i + 2));
        if (d2 >= 1 && at(t, i + 2) != U'两') {
            *len = 3;
            return d0 * 10 + d2;
        }
        *len = 2;
        return d0 * 10;
    }
    if (han_digit(at(t, i + 1)) >= 0) return -1; /* 一二 is a digit string, not a small number */
    *len = 1;
    return d0;
}

/* A year in number words before 年 at i: 两千零四年, 二千零二十二年,
 * 一千九百八十九年 (a 千 is required; 二〇二二年 is read digit by digit).
 * Returns the year (1000..2999) with its length before 年 in *len, else 0. */
static size_t han_year_words(const tb_text *t, size_t i, size_t *len) {
    size_t k = i;
    int v = 0, d = -1, seen_k = 0, last_unit = 10000;
    for (; k < i + 12; k++) {
        uint32_t c = at(t, k);
        int unit = c == U'千' ? 1000 : c == U'百' ? 100 : c == U'十' ? 10 : 0;
        if (unit) {
            if (unit >= last_unit) return 0;
            if (d < 0) {
                if (unit != 10) return 0;
                d = 1; /* 十 alone is ten */
            }
            v += d * unit;
            d = -1;
            last_unit = unit;
            if (unit == 1000) seen_k = 1;
            continue;
        }
        int h = han_digit(c);
        if (h < 0) break;
        if (h == 0) {
            if (d >= 0) return 0; /* 二零 digit by digit is the other reading */
            continue;
        }
        if (d >= 0) return 0;
        d = h;
    }
    if (!seen_k || at(t, k) != U'年') return 0;
    if (d >= 0) v += d;
    if (v < 1000 || v > 2999) return 0;
    *len = k - i;
    return (size_t)v;
}

/* A number for a date field at i: ASCII digits (at most `maxdig`, run not
 * longer) or a small Chinese numeral when `han` is set. */
static int field_num(const tb_text *t, size_t i, size_t maxdig, int han, size_t *len, int *is_han) {
    size_t r = digit_run(t, i);
    *is_han = 0;
    if (r) {
        if (r > maxdig) return -1;
        *len = r;
        return run_value(t, i, r);
    }
    if (!han) return -1;
    int v = han_small(t, i, len);
    if (v >= 0) *is_han = 1;
    return v;
}

static int is_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }

static int is_letter(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* Characters after which a clause starts (a lone 7日 may open a clause). */
static int is_clause_start(const tb_text *t, size_t i) {
    if (i == 0) return 1;
    uint32_t c = t->cp[i - 1];
    switch (c) {
    case '\n': case '\r': case ' ': case '\t': case 0x3000: case 0xA0:
    case U'，': case ',': case U'。': case U'；': case ';': case U'：': case ':': case U'、':
    case '(': case ')': case U'（': case U'）': case U'“': case U'”': case U'」': case U'】':
    case U'讯': case U'电':
        return 1;
    default:
        return 0;
    }
}

static int is_range_link(const tb_text *t, size_t i, size_t *len) {
    uint32_t c = at(t, i);
    if (c == U'至' || c == U'到' || c == '-' || c == '~' || c == 0x2014 || c == 0x2013 ||
        c == 0x301C || c == 0x2212) {
        *len = (c == 0x2014 && at(t, i + 1) == 0x2014) ? 2 : 1;
        return 1;
    }
    return 0;
}

/* A relative word starting with 前/后/上/下/本 (前天, 下月, 上周) is only one
 * when it does not end a longer word: 目前天气, 以下月份, 日本日程. After a
 * Han character it must follow a function word. */
static int loose_prefix_ok(const tb_text *t, size_t i) {
    if (i == 0 || t->cls[i - 1] != TB_C_HAN) return 1;
    uint32_t c = t->cp[i], p = t->cp[i - 1];
    if (c != U'前' && c != U'后' && c != U'上' && c != U'下' && c != U'本') return 1;
    static const char32_t ok[] = U"在于的至到从是和及与自截即了";
    for (size_t k = 0; ok[k]; k++)
        if (p == (uint32_t)ok[k]) return 1;
    return 0;
}

/* 年底 that is the tail of 2020年底 was read with its year; a bare 年底
 * preceded by a digit or numeral is a malformed year, not "this year". */
static int is_year_suffix(const tb_text *t, size_t i) {
    return i > 0 && (tb_is_ascii_digit(t->cp[i - 1]) || han_digit(t->cp[i - 1]) >= 0);
}

/* A news lede: the date opens a line or follows 本报讯 / 新华社电 / (记者…). */
static int is_lede_start(const tb_text *t, size_t i) {
    size_t k = i;
    while (k > 0 && is_space(t->cp[k - 1])) k--;
    if (k == 0) return 1;
    uint32_t c = t->cp[k - 1];
    return c == '\n' || c == '\r' || c == U'讯' || c == U'电' || c == ')' || c == U'）';
}

/* ---- word tables -------------------------------------------------------- */

typedef struct {
    const char32_t *w;
    int v;
} word;

static const word REL_DAYS[] = {
    {U"今天", 0}, {U"今日", 0}, {U"本日", 0}, {U"昨天", -1}, {U"昨日", -1}, {U"大前天", -3},
    {U"前天", -2}, {U"明天", 1}, {U"明日", 1}, {U"大后天", 3}, {U"后天", 2}, {NULL, 0}};
/* Relative days that carry a part of day. */
static const word REL_DAY_POD[] = {
    {U"今晚", 0}, {U"今早", 0}, {U"昨晚", -1}, {U"昨夜", -1}, {U"明早", 1}, {U"明晚", 1}, {NULL, 0}};
static const word REL_YEARS[] = {
    {U"今年", 0}, {U"本年", 0}, {U"去年", -1}, {U"前年", -2}, {U"明年", 1}, {NULL, 0}};
static const word REL_MONTHS[] = {
    {U"本月", 0}, {U"当月", 0}, {U"上个月", -1}, {U"上月", -1}, {U"下个月", 1}, {U"下月", 1}, {NULL, 0}};
static const word PODS[] = {
    {U"凌晨", TB_POD_EARLY_MORNING}, {U"早上", TB_POD_MORNING}, {U"早晨", TB_POD_MORNING},
    {U"清晨", TB_POD_MORNING}, {U"上午", TB_POD_MORNING}, {U"中午", TB_POD_NOON},
    {U"午间", TB_POD_NOON}, {U"下午", TB_POD_AFTERNOON}, {U"午后", TB_POD_AFTERNOON},
    {U"傍晚", TB_POD_EVENING}, {U"晚上", TB_POD_EVENING}, {U"晚间", TB_POD_EVENING},
    {U"夜间", TB_POD_NIGHT}, {U"夜里", TB_POD_NIGHT}, {U"深夜", TB_POD_NIGHT},
    {U"半夜", TB_POD_NIGHT}, {NULL, 0}};
static const word YEAR_PERIODS[] = {
    {U"底", P_YEAR_END}, {U"末", P_YEAR_END}, {U"初", P_YEAR_START}, {U"上半年", P_HALF},
    {U"下半年", P_HALF}, {U"春季", P_SEASON}, {U"夏季", P_SEASON}, {U"秋季", P_SEASON},
    {U"冬季", P_SEASON}, {NULL, 0}};
static const word MONTH_PERIODS[] = {
    {U"初", P_MONTH_EDGE}, {U"中旬", P_MONTH_EDGE}, {U"上旬", P_MONTH_EDGE}, {U"下旬", P_MONTH_EDGE},
    {U"中", P_MONTH_EDGE}, {U"底", P_MONTH_EDGE}, {U"末", P_MONTH_EDGE}, {NULL, 0}};

/* Holidays on a fixed Gregorian day (month * 100 + day), and 清明节, whose
 * day is the solar term's. */
static const word HOLIDAYS[] = {
    {U"五一劳动节", 501}, {U"劳动节", 501}, {U"元旦", 101}, {U"国庆节", 1001}, {U"儿童节", 601},
    {U"清明节", -1}, {NULL, 0}};
/* Lunar holidays: their column of the generated table (tb_lunar_table.h,
 * from ICU's Chinese calendar, 1901..2099). 元宵 alone is also the food. */
static const word LUNAR_HOLIDAYS[] = {
    {U"春节", TB_LUNAR_SPRING_FESTIVAL}, {U"元宵节", TB_LUNAR_LANTERN}, {U"元宵佳节", TB_LUNAR_LANTERN},
    {U"端午节", TB_LUNAR_DRAGON_BOAT},   {U"端午", TB_LUNAR_DRAGON_BOAT}, {U"七夕节", TB_LUNAR_QIXI},
    {U"七夕", TB_LUNAR_QIXI},            {U"中秋节", TB_LUNAR_MID_AUTUMN}, {U"中秋", TB_LUNAR_MID_AUTUMN},
    {U"重阳节", TB_LUNAR_DOUBLE_NINTH},  {U"除夕", TB_LUNAR_NEW_YEARS_EVE}, {NULL, 0}};

/* Day of April of 清明 (the Qingming solar term) in `y`, 0 outside 1901..2099:
 * the usual rule [Y*0.2422 + C] - [Y/4] with Y the year in its century. */
static int qingming_day(int y) {
    if (y < 1901 || y > 2099) return 0;
    int yy = y % 100;
    double c = y >= 2000 ? 4.81 : 5.59;
    return (int)(yy * 0.2422 + c) - yy / 4;
}

/* Month * 100 + day of a holiday in year y, 0 when the table has no such day. */
static int holiday_md(const raw *r, int y) {
    switch (r->holiday) {
    case H_FIXED:
        return r->m * 100 + r->d;
    case H_QINGMING: {
        int d = qingming_day(y);
        return d ? 400 + d : 0;
    }
    case H_LUNAR:
        if (y < TB_LUNAR_FIRST_YEAR || y > TB_LUNAR_LAST_YEAR || r->lunar >= TB_LUNAR_N) return 0;
        return TB_LUNAR_DAYS[y - TB_LUNAR_FIRST_YEAR][r->lunar];
    default:
        return 0;
    }
}

/* Can a Han character open an expression? The first characters of the
 * words above and the Chinese numerals; the scanner skips every other one
 * without trying the grammar (most of a bulletin). */
static int can_start(uint32_t c) {
    /* 今本去前明当全年月上下这昨后凌早清中午傍晚夜深半元劳五国儿〇零一二三四五六七八九十两春端重除次翌:
     * a switch, which the compiler turns into a jump table or a binary search. */
    switch (c) {
    case 0x4ECA: case 0x672C: case 0x53BB: case 0x524D: case 0x660E: case 0x5F53: case 0x5168: case
    0x5E74: case 0x6708: case 0x4E0A: case 0x4E0B: case 0x8FD9: case 0x6628: case 0x540E: case
    0x51CC: case 0x65E9: case 0x6E05: case 0x4E2D: case 0x5348: case 0x508D: case 0x665A: case
    0x591C: case 0x6DF1: case 0x534A: case 0x5143: case 0x52B3: case 0x4E94: case 0x56FD: case
    0x513F: case 0x3007: case 0x96F6: case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case
    0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: case 0x4E24:
    case 0x6625: case 0x7AEF: case 0x91CD: case 0x9664: case 0x6B21: case 0x7FCC: /* 春端重除次翌 */
    case 0x5927: case 0x5468: case 0x9031: case 0x661F: case 0x793C: case 0x79AE: case 0x8FD1: case 0x6700: /* 大周週星礼禮近最 */
        return 1;
    default:
        return 0;
    }
}

static const word *match_word(const tb_text *t, size_t i, const word *tab, size_t *len) {
    for (; tab->w; tab++) {
        size_t k = word_at(t, i, tab->w);
        if (k) {
            *len = k;
            return tab;
        }
    }
    return NULL;
}

static int weekday_of(uint32_t c) {
    switch (c) {
    case U'一': return 1;
    case U'二': return 2;
    case U'三': return 3;
    case U'四': return 4;
    case U'五': return 5;
    case U'六': return 6;
    case U'日': case U'天': return 7;
    default: return 0;
    }
}

/* Is 次日 at i "the next day", not 次 closing a count or a word (每次日均,
 * 本次日报, 3次日, 第三次日程)? */
static int is_next_day_ci(const tb_text *t, size_t i) {
    static const char32_t before[] = U"每本该此这那首多数第屡历各同上下再几两十百千万";
    static const char32_t after[] = U"均程报常志记用益趋期子夜新历光本";
    uint32_t p = i > 0 ? t->cp[i - 1] : 0, n = at(t, i + 2);
    if (tb_is_ascii_digit(p) || han_digit(p) >= 0) return 0;
    for (size_t k = 0; before[k]; k++)
        if (p == (uint32_t)before[k]) return 0;
    for (size_t k = 0; after[k]; k++)
        if (n == (uint32_t)after[k]) return 0;
    return 1;
}

/* ---- pass 1: one expression --------------------------------------------- */

static void raw_init(raw *r, size_t i) {
    memset(r, 0, sizeof *r);
    r->start = r->end = (uint32_t)i;
    r->y = r->m = r->d = r->h = r->mi = r->s = NONE_I;
    r->ryear = r->rmonth = r->rday = r->rweek = REL_NONE;
}

static int after_label(const tb_text *t, size_t start);
static size_t parse_clock(const tb_text *t, size_t i, raw *r);

/* A two-digit year: 00..68 are 2000..2068, 69..99 are 1969..1999 (the
 * POSIX strptime pivot, which Python's %y follows too). */
static int two_digit_year(int yy) { return yy <= 68 ? 2000 + yy : 1900 + yy; }

/* Does a year-less numeric month/day (10/4) stand where a date is expected?
 * A fraction or a score (以10/4的比分, 1/2) does not: it needs a dateline
 * label or 于 在 自 从 截至 before it, or a clock time or 起 after it. */
static int numeric_md_context(const tb_text *t, size_t i, size_t e) {
    size_t k = i;
    while (k > 0 && is_space(t->cp[k - 1])) k--;
    uint32_t p = k > 0 ? t->cp[k - 1] : 0;
    if (p == U'于' || p == U'在' || p == U'自' || p == U'从' || after_label(t, i)) return 1;
    if (k >= 2 && (word_at(t, k - 2, U"截至") || word_at(t, k - 2, U"截止"))) return 1;
    if (at(t, e) == U'起') return 1;
    if ((at(t, e) == ' ' || at(t, e) == 0x3000) && digit_run(t, e + 1) >= 1 && digit_run(t, e + 1) <= 2) {
        size_t h = e + 1 + digit_run(t, e + 1);
        return (at(t, h) == ':' || at(t, h) == U'：') && digit_run(t, h + 1) == 2;
    }
    return 0;
}

/* Does a month (1..12, ASCII or numerals, then 月) start at i? */
static int two_digit_year_month(const tb_text *t, size_t i) {
    size_t len;
    int is_han;
    int m = field_num(t, i, 2, 1, &len, &is_han);
    return m >= 1 && m <= 12 && at(t, i + len) == U'月';
}

/* Numeric dates at i; returns the end or 0:
 *   2021-08-12, 2022/10/4, 2022.10.04   year first (- / .)
 *   2010 01 29                          year first, spaces, two-digit fields
 *   04.10.2022, 13.5.2015, 10-4-2022    day and month, then a four-digit year
 *   05/05/89                            the same with / and a two-digit year
 *   10/4                                month/day, only where a date is expected
 * Which of a.b is the day is settled later (NF_*). Versions, codes and IP
 * addresses (1.2.3.4, 2021-08-12-3) are not dates. */
static size_t parse_iso(const tb_text *t, size_t i, raw *r) {
    size_t l0 = digit_run(t, i);
    if (l0 < 1 || l0 > 4 || l0 == 3) return 0;
    uint32_t sep = at(t, i + l0);
    if (sep != '-' && sep != '/' && sep != '.' && sep != ' ') return 0;
    size_t j = i + l0 + 1, l1 = digit_run(t, j);
    if (l1 < 1 || l1 > 2) return 0;
    int two_fields = at(t, j + l1) != sep || !tb_is_ascii_digit(at(t, j + l1 + 1));
    if (two_fields) {
        /* 10/4: month/day without a year */
        if (sep != '/' || l0 > 2) return 0;
        size_t e = j + l1;
        if (tb_is_ascii_digit(at(t, e)) || at(t, e) == '/' || at(t, e) == '.' || at(t, e) == '%') return 0;
        if (!numeric_md_context(t, i, e)) return 0;
        r->numform = NF_MONTH_FIRST;
        r->numsep = '/';
        r->m = run_value(t, i, l0);
        r->d = run_value(t, j, l1);
        return e;
    }
    size_t k = j + l1 + 1, l2 = digit_run(t, k);
    size_t e = k + l2;
    /* 2021-08-12-3 or 1.2.3.4 is something else (a code, a version) */
    if (((at(t, e) == sep && sep != ' ') || at(t, e) == '.') && tb_is_ascii_digit(at(t, e + 1))) return 0;
    if (tb_is_ascii_digit(at(t, e))) return 0;
    if (l0 == 4) {
        if (l2 < 1 || l2 > 2) return 0;
        if (sep == ' ') {
            /* 2010 01 29: zero-padded fields only, not a run of number groups */
            int y = run_value(t, i, 4);
            if (l1 != 2 || l2 != 2 || y < 1900 || y > 2099) return 0;
            if (is_space(at(t, e)) && tb_is_ascii_digit(at(t, e + 1))) {
                raw clock;
                raw_init(&clock, e + 1);
                if (!parse_clock(t, e + 1, &clock)) return 0; /* 2010 01 29 10:30 is fine */
            }
            if (i > 0 && is_space(t->cp[i - 1]) && i > 1 && tb_is_ascii_digit(t->cp[i - 2])) return 0;
        }
        r->y = run_value(t, i, 4);
        r->m = run_value(t, j, l1);
        r->d = run_value(t, k, l2);
        return e;
    }
    /* a.b.yyyy, a/b/yy */
    if (sep == ' ') return 0;
    if (l2 == 4) r->y = run_value(t, k, 4);
    else if (l2 == 2 && sep == '/') r->y = two_digit_year(run_value(t, k, 2));
    else return 0;
    int a = run_value(t, i, l0), b = run_value(t, j, l1);
    if (a < 1 || b < 1 || a > 31 || b > 31 || (a > 12 && b > 12)) return 0;
    r->na = (int8_t)a;
    r->nb = (int8_t)b;
    r->numsep = (uint8_t)sep;
    r->numform = a > 12 ? NF_DAY_FIRST : b > 12 ? NF_MONTH_FIRST : a == b ? NF_DAY_FIRST : NF_PENDING;
    r->d = r->numform == NF_MONTH_FIRST ? b : a;
    r->m = r->numform == NF_MONTH_FIRST ? a : b;
    return e;
}

/* HH:MM[:SS] at i (ASCII); returns its end or 0. */
static size_t parse_clock(const tb_text *t, size_t i, raw *r) {
    size_t lh = digit_run(t, i);
    if (lh < 1 || lh > 2 || (at(t, i + lh) != ':' && at(t, i + lh) != U'：')) return 0;
    size_t j = i + lh + 1;
    if (digit_run(t, j) != 2) return 0;
    size_t e = j + 2;
    int s = NONE_I;
    if ((at(t, e) == ':' || at(t, e) == U'：') && digit_run(t, e + 1) == 2) {
        s = run_value(t, e + 1, 2);
        e += 3;
    }
    if (tb_is_ascii_digit(at(t, e))) return 0;
    r->h = run_value(t, i, lh);
    r->mi = run_value(t, j, 2);
    r->s = s;
    return e;
}

/* Hour [minute [second]] at i: 8时, 8时30分, 8点半, 八时; also "N" alone when
 * a range to "M时" follows (0—24时). Returns its end or 0. */
static size_t parse_hour(const tb_text *t, size_t i, raw *r) {
    size_t len;
    int han;
    int h = field_num(t, i, 2, 1, &len, &han);
    if (h < 0 || h > 24) return 0;
    size_t j = i + len;
    uint32_t c = at(t, j);
    if (c == U'时' || c == U'点') {
        if (at(t, j + 1) == U'间' || at(t, j + 1) == U'期' || at(t, j + 1) == U'钟') return 0;
        j++;
    } else if (!han) {
        size_t ll, l2, lh2;
        int han2;
        if (!is_range_link(t, j, &ll)) return 0;
        int h2 = field_num(t, j + ll, 2, 0, &l2, &han2);
        lh2 = j + ll + (h2 >= 0 ? l2 : 0);
        if (h2 < 0 || (at(t, lh2) != U'时' && at(t, lh2) != U'点')) return 0;
        r->h = h;
        return j; /* the range's end is parsed next, as its own half */
    } else {
        return 0;
    }
    r->h = h;
    if (at(t, j) == U'半') {
        r->mi = 30;
        return j + 1;
    }
    int mi = field_num(t, j, 2, 1, &len, &han);
    if (mi >= 0 && (at(t, j + len) == U'分')) {
        r->mi = mi;
        j += len + 1;
        int s = field_num(t, j, 2, 1, &len, &han);
        if (s >= 0 && at(t, j + len) == U'秒') {
            r->s = s;
            j += len + 1;
        }
    }
    if (at(t, j) == U'许') j++;
    return j;
}

/* After a date, an optional part of day and time. `has_date`: a day (or
 * relative day) precedes, so a time may follow directly. */
static size_t parse_time_tail(const tb_text *t, size_t j, raw *r, int has_date) {
    size_t len, k = j;
    if (has_date && is_space(at(t, k))) k++;
    const word *w = match_word(t, k, PODS, &len);
    if (w) {
        if (!r->pod) r->pod = (uint8_t)w->v;
        j = k + len;
        k = j;
        size_t e = parse_hour(t, k, r);
        if (e) return e;
        return j;
    }
    /* 晚8时, 早8点: a one-character part of day, only before an hour */
    uint32_t c = at(t, k);
    if (c == U'晚' || c == U'早') {
        size_t e = parse_hour(t, k + 1, r);
        if (e) {
            if (!r->pod) r->pod = c == U'晚' ? TB_POD_EVENING : TB_POD_MORNING;
            return e;
        }
    }
    if (!has_date) return j;
    size_t e = parse_clock(t, k, r);
    if (e) return e;
    e = parse_hour(t, k == j ? j : k, r);
    return e ? e : j;
}

/* May a day written without 日 end at k (八月十五, 3月15)? Only before a
 * clause's end, a space, a part of day, 起/前, or a range link to a number;
 * never before more digits, a unit or a word (3月15例, 八月十五个). */
static int bare_day_end(const tb_text *t, size_t k) {
    uint32_t c = at(t, k), n = at(t, k + 1);
    size_t len;
    switch (c) {
    case 0: case '\n': case '\r': case U'，': case ',': case U'。': case U'；': case ';': case U'、':
    case U'！': case U'？': case U'）': case ')': case U'”': case U'」':
        return 1;
    case U'起':
        return n != U'来';
    case U'前':
        return n != U'往' && n != U'来' && n != U'后' && n != U'夕';
    default:
        break;
    }
    if (is_space(c)) return !tb_is_ascii_digit(n);
    if (match_word(t, k, PODS, &len)) return 1;
    if ((c == U'至' || c == U'到' || c == '-' || c == 0x2014 || c == '~') &&
        (tb_is_ascii_digit(n) || (n == 0x2014 && tb_is_ascii_digit(at(t, k + 2)))))
        return 1;
    return 0;
}

/* Weeks and weekdays at i: [prefix] (周 | 星期 | 礼拜) [weekday], the prefix
 * one of 本 这 这个 (0), 上 上个 (-1), 下 下个 (+1), 上上 上上个 (-2), 下下
 * 下下个 (+2). With a prefix, the weekday may be absent (上周: the week);
 * without one it is required (周三: a bare weekday, resolved by direction).
 * 天 is Sunday only after 星期 and 礼拜 (周天 is rare, 一周天数 is not a
 * date). A bare weekday is not one after 每 (每周三次), a number (一周三次),
 * or 个 (两个周三): those count. Returns the end, or 0. */
static size_t parse_week(const tb_text *t, size_t i, raw *r) {
    static const word PREFIX[] = {
        {U"上上个", -2}, {U"下下个", 2}, {U"上上", -2}, {U"下下", 2}, {U"上个", -1}, {U"下个", 1},
        {U"这个", 0},    {U"本", 0},      {U"这", 0},    {U"上", -1},  {U"下", 1},   {NULL, 0}};
    size_t j = i, len = 0;
    int rel = REL_NONE;
    const word *w = match_word(t, j, PREFIX, &len);
    if (w) {
        rel = w->v;
        j += len;
    }
    int sunday_tian = 1;
    if (at(t, j) == U'周' || at(t, j) == U'週') {
        j++;
        sunday_tian = 0;
    } else if (word_at(t, j, U"星期") || word_at(t, j, U"礼拜") || word_at(t, j, U"禮拜")) {
        j += 2;
    } else {
        return 0;
    }
    uint32_t c = at(t, j);
    int wd = c == U'天' && !sunday_tian ? 0 : weekday_of(c);
    /* 星期一二: not one day; 周一至周五 is fine */
    if (wd && han_digit(at(t, j + 1)) >= 1) wd = 0;
    if (rel == REL_NONE) {
        if (!wd) return 0;
        if (i > 0) {
            uint32_t p = t->cp[i - 1];
            if (p == U'每' || p == U'个' || p == U'个' || tb_is_ascii_digit(p) || han_digit(p) >= 0 ||
                p == U'周' || p == U'做')
                return 0;
        }
        r->bare_weekday = 1;
    } else {
        r->rweek = rel;
    }
    if (wd) {
        r->weekday = wd;
        j++;
    }
    return j;
}

/* 最近 "recently", not "nearest" (离…最近, 最近的医院) nor "the last N"
 * (最近一周, 最近3天: durations). */
static int recently_ok(const tb_text *t, size_t i) {
    uint32_t p = i > 0 ? t->cp[i - 1] : 0, n = at(t, i + 2);
    if (p == U'离' || p == U'距' || p == U'到' || p == U'得' || p == U'最') return 0;
    if (n == U'的' || n == U'距' || n == U'点' || n == U'处' || tb_is_ascii_digit(n) || han_digit(n) >= 0 ||
        n == U'几' || n == U'半')
        return 0;
    return 1;
}

/* One expression at i. `ctx` is the start of a range when parsing its end
 * half. Returns the end (> i), or 0. */
static size_t parse_expr(const tb_text *t, size_t i, raw *r, const raw *ctx) {
    raw_init(r, i);
    size_t j = i, len, e;
    int is_han;
    const word *w;

    /* ISO numeric date, optionally with a clock time */
    if ((e = parse_iso(t, i, r)) != 0) {
        size_t k = e;
        if (at(t, k) == ' ' || at(t, k) == 'T' || at(t, k) == 0x3000) {
            size_t c = parse_clock(t, k + 1, r);
            if (c) {
                e = c;
                r->dateline = DL_STAMP;
            }
        }
        return e;
    }

    /* year */
    int have_year = 0;
    size_t run = digit_run(t, j);
    if (run == 2 && at(t, j + 2) == U'年' && !ctx && two_digit_year_month(t, j + 3)) {
        /* 89年5月5日, 05年3月: a two-digit year, only before a month (89年
         * alone is a duration) */
        r->y = two_digit_year(run_value(t, j, 2));
        j += 3;
        have_year = 1;
    } else if (run == 4 && at(t, j + 4) == U'年') {
        int y = run_value(t, j, 4);
        if (y < 1000 || y > 2999) return 0;
        r->y = y;
        j += 5;
        have_year = 1;
    } else if (run == 4 && !ctx) {
        /* 2020-2022年, 2020至2022年: the start year of a year range, whose
         * 年 is written once, after the end */
        size_t ll, k = j + 4;
        while (is_space(at(t, k))) k++;
        if (is_range_link(t, k, &ll)) {
            size_t b = k + ll;
            while (is_space(at(t, b))) b++;
            int y = run_value(t, j, 4);
            if (digit_run(t, b) == 4 && at(t, b + 4) == U'年' && y >= 1000 && y <= 2999) {
                int y2 = run_value(t, b, 4);
                if (y2 > y && y2 - y <= 100) {
                    r->y = y;
                    return j + 4;
                }
            }
        }
    } else if (!run && (e = han_year_words(t, j, &len)) != 0) {
        /* 两千零四年, 一九…: a year in number words */
        r->y = (int)e;
        j += len + 1;
        have_year = 1;
    } else if (!run && han_digit(at(t, j)) >= 0 && at(t, j) != U'两') {
        /* 二〇二二年: four digit-by-digit numerals */
        size_t k = 0;
        int y = 0;
        while (k < 4 && han_digit(at(t, j + k)) >= 0 && at(t, j + k) != U'两') y = y * 10 + han_digit(at(t, j + k++));
        if (k == 4 && at(t, j + 4) == U'年' && y >= 1000 && y <= 2999) {
            r->y = y;
            j += 5;
            have_year = 1;
        }
    } else if ((w = match_word(t, j, REL_YEARS, &len)) != NULL && loose_prefix_ok(t, j)) {
        r->ryear = w->v;
        j += len;
        have_year = 1;
    } else if (word_at(t, j, U"当年")) {
        r->that_year = 1;
        j += 2;
        have_year = 1;
    } else if (!run && (word_at(t, j, U"年底") || word_at(t, j, U"年末") || word_at(t, j, U"年初")) &&
               !is_year_suffix(t, j)) {
        /* 年底前 with no year: the end of the year of the context */
        r->ryear = 0;
        r->yearless_period = 1;
        r->period = at(t, j + 1) == U'初' ? P_YEAR_START : P_YEAR_END;
        return j + 2;
    } else if (word_at(t, j, U"全年")) {
        r->ryear = 0;
        r->yearless_period = 1; /* the year of the context, as 年底 */
        r->period = P_WHOLE_YEAR;
        return j + 2;
    }
    if (have_year) {
        if (at(t, j) == U'度') j++;
        if ((w = match_word(t, j, YEAR_PERIODS, &len)) != NULL) {
            if (w->v < 0 || (len == 1 && (at(t, j + 1) == U'步' || at(t, j + 1) == U'次'))) return j; /* 2022年春节: the year alone */
            r->period = (uint8_t)w->v;
            return j + len;
        }
        /* 第一季度, 一季度, 1季度 */
        size_t q = j + (at(t, j) == U'第');
        int qv = field_num(t, q, 1, 1, &len, &is_han);
        if (qv >= 1 && qv <= 4 && word_at(t, q + len, U"季度")) {
            r->period = P_QUARTER;
            return q + len + 2;
        }
    }

    /* a named day: 清明节, 2022年国庆节, 春节, 2021年中秋节; not after a year
     * that did not read (3050年春节 is not this year's) */
    int after_bad_year = j == i && i > 0 && t->cp[i - 1] == U'年' && is_year_suffix(t, i - 1);
    if ((w = match_word(t, j, HOLIDAYS, &len)) != NULL && r->that_year == 0) {
        if (after_bad_year) return 0;
        if (w->v < 0) {
            r->holiday = H_QINGMING;
            r->m = 4;
        } else {
            r->holiday = H_FIXED;
            r->m = w->v / 100;
            r->d = w->v % 100;
        }
        return j + len;
    }
    if ((w = match_word(t, j, LUNAR_HOLIDAYS, &len)) != NULL && r->that_year == 0) {
        if (after_bad_year) return 0;
        r->holiday = H_LUNAR;
        r->lunar = (uint8_t)w->v;
        return j + len;
    }

    /* month */
    int have_month = 0;
    int mv = field_num(t, j, 2, 1, &len, &is_han);
    if (mv < 0 && at(t, j) == U'元' && at(t, j + 1) == U'月') {
        mv = 1; /* 元月: January (Gregorian; 正月, the lunar first month, is not read) */
        len = 1;
        is_han = 0;
    }
    if (mv >= 1 && at(t, j + len) == U'月' && at(t, j + len + 1) != U'龄') {
        size_t after = j + len + 1;
        /* A Chinese-numeral month stands alone only with a year, a day or 份. */
        int ok = 1;
        if (is_han && !have_year) {
            size_t l2;
            int h2;
            int dv = field_num(t, after, 2, 1, &l2, &h2);
            ok = at(t, after) == U'份' || (dv >= 1 && (at(t, after + l2) == U'日' || at(t, after + l2) == U'号')) ||
                 (dv >= 1 && dv <= 31 && h2 && bare_day_end(t, after + l2)) ||
                 (match_word(t, after, MONTH_PERIODS, &l2) && !(at(t, after) == U'初' && han_digit(at(t, after + 1)) >= 1) &&
                  !(at(t, after) == U'中' && l2 == 1));
        }
        /* 近3月, 每月… are not months of a calendar */
        if (!have_year && j > 0) {
            uint32_t p = t->cp[j - 1];
            if (p == U'近' || p == U'每' || p == U'第' || p == U'数' || p == U'几' || p == U'前') ok = 0;
        }
        if (ok) {
            r->m = mv; /* 13月 is kept here and rejected by the resolver */
            j = after;
            if (at(t, j) == U'份') j++;
            have_month = 1;
        }
    } else if (!have_year && (w = match_word(t, j, REL_MONTHS, &len)) != NULL && loose_prefix_ok(t, j)) {
        r->rmonth = w->v;
        j += len;
        have_month = 1;
    } else if (!have_year && !run && (word_at(t, j, U"月末") || word_at(t, j, U"月底") || word_at(t, j, U"月初")) &&
               !is_year_suffix(t, j) && !(at(t, j + 1) == U'初' && han_digit(at(t, j + 2)) >= 1)) {
        /* not the tail of a month that did not read (十月初一: a lunar day) */
        r->rmonth = 0;
        r->period = P_MONTH_EDGE;
        return j + 2;
    }
    if (!have_month && r->that_year) return 0; /* 当年 alone is "back then", too vague */
    if (have_month && (w = match_word(t, j, MONTH_PERIODS, &len)) != NULL) {
        /* 3月中国… and 3月初步… are not 3月中 and 3月初 */
        uint32_t n = at(t, j + len);
        int word_goes_on = len == 1 && (w->w[0] == U'中' ? (n != U'，' && n != ',' && n != U'。')
                                                          : (n == U'步' || n == U'次'));
        if (w->w[0] == U'初' && han_digit(n) >= 1) word_goes_on = 1; /* 初一: a lunar day, not read */
        if (!word_goes_on) {
            r->period = P_MONTH_EDGE;
            return j + len;
        }
    }

    /* day */
    int have_day = 0;
    int dv = field_num(t, j, 2, 1, &len, &is_han);
    if (dv >= 1 && have_month && at(t, j + len) != U'日' && at(t, j + len) != U'号' &&
        bare_day_end(t, j + len) && !(at(t, j + len) == '.' && tb_is_ascii_digit(at(t, j + len + 1)))) {
        /* 八月十五, 3月15: a day after a month without 日 */
        r->d = dv;
        return parse_time_tail(t, j + len, r, 1);
    }
    if (dv >= 1 && (at(t, j + len) == U'日' || at(t, j + len) == U'号')) {
        size_t after = j + len + 1;
        int ok = have_month || (is_han ? 0 : 1);
        if (ok && !have_month && !have_year) {
            /* A lone day: 7日上午, 本月 handled above; else only at a clause
             * start before punctuation, or as a range end. */
            uint32_t n = at(t, after);
            int ctx_day = ctx && (ctx->d != NONE_I || ctx->rday != REL_NONE);
            raw tail;
            raw_init(&tail, after);
            parse_time_tail(t, after, &tail, 1);
            int timed = tail.h != NONE_I || tail.pod != TB_POD_NONE;
            size_t ll;
            uint32_t p = i > 0 ? t->cp[i - 1] : 0;
            ok = ctx_day || timed ||
                 (is_clause_start(t, i) &&
                  (n == U'，' || n == ',' || n == U'、' || n == U'起' || n == U'将' || n == U'拟' ||
                   /* 29日全省新增, 5日我市召开: a subject or a verb of the report
                    * (not 14日集中隔离, a duration) */
                   n == U'全' || n == U'我' || n == U'新' || n == U'召' || n == U'举' || n == U'该' ||
                   n == U'各' || n == U'据' ||
                   (is_range_link(t, after, &ll) && tb_is_ascii_digit(at(t, after + ll))))) ||
                 /* 将于12日, 在12日, 自15日: a preposition of time before it */
                 p == U'于' || p == U'在' || p == U'自' || p == U'从' ||
                 (i >= 2 && (word_at(t, i - 2, U"截至") || word_at(t, i - 2, U"截止")));
            /* 12号起停课, 本市15日起: a day from which something starts,
             * wherever it stands (not 第12号起) */
            if (n == U'起' && at(t, after + 1) != U'来' && !(i > 0 && (t->cp[i - 1] == U'第' || t->cp[i - 1] == U'编')))
                ok = 1;
            if (n == U'内' || n == U'以' || n == U'来') ok = 0;
        }
        if (ok) {
            r->d = dv;
            j = after;
            have_day = 1;
        }
    } else if (!have_year && !have_month) {
        if (!loose_prefix_ok(t, j)) {
            /* 目前天气: not 前天 */
        } else if (word_at(t, j, U"翌日") || (word_at(t, j, U"次日") && is_next_day_ci(t, j))) {
            r->next_day = 1;
            j += 2;
            have_day = 1;
        } else if (word_at(t, j, U"当日") || word_at(t, j, U"当天")) {
            r->same_day = 1;
            j += 2;
            have_day = 1;
        } else if ((w = match_word(t, j, REL_DAYS, &len)) != NULL) {
            r->rday = w->v;
            j += len;
            have_day = 1;
        } else if ((w = match_word(t, j, REL_DAY_POD, &len)) != NULL) {
            r->rday = w->v;
            r->pod = at(t, j + 1) == U'早' ? TB_POD_MORNING : at(t, j + 1) == U'夜' ? TB_POD_NIGHT : TB_POD_EVENING;
            j += len;
            have_day = 1;
        } else if ((e = parse_week(t, j, r)) != 0) {
            if (!r->weekday) return e; /* 上周, 下个礼拜: the week */
            j = e;
            have_day = 1;
        } else if ((word_at(t, j, U"近日") && !(j > 0 && (t->cp[j - 1] == U'最' || t->cp[j - 1] == U'将'))) ||
                   (word_at(t, j, U"最近") && recently_ok(t, j))) {
            /* 近日, 最近: recently, an open range up to the reference day */
            r->rday = 0;
            r->open_end = 1;
            return j + 2;
        }
    }
    if (have_day) return parse_time_tail(t, j, r, 1);
    if (have_month || have_year) return j > i ? j : 0;

    /* nothing of a date yet: a part of day with an hour (上午8时), or a bare
     * hour after 截至 or as a range end */
    if (match_word(t, j, PODS, &len) != NULL || at(t, j) == U'晚' || at(t, j) == U'早') {
        /* 每天上午9时 is a time of every day, not of one */
        if (i >= 2 && t->cp[i - 2] == U'每') return 0;
        e = parse_time_tail(t, j, r, 0);
        if (r->h == NONE_I) return 0;
        r->on_ref_day = 1;
        return e;
    }
    /* a bare hour: as a range end, after 截至, or with its minutes (20时30分) */
    int ctx_time = ctx && (ctx->h != NONE_I || ctx->d != NONE_I || ctx->rday != REL_NONE);
    int after_cutoff = i >= 2 && (word_at(t, i - 2, U"截至") || word_at(t, i - 2, U"截止"));
    e = parse_hour(t, j, r);
    if (e && (at(t, e - 1) == U'时' || at(t, e - 1) == U'点' || at(t, e - 1) == U'分' ||
              at(t, e - 1) == U'秒' || at(t, e - 1) == U'半' || at(t, e - 1) == U'许') &&
        (ctx_time || after_cutoff || (r->mi != NONE_I && at(t, e - 1) != U'半'))) {
        r->on_ref_day = !ctx;
        return e;
    }
    return 0;
}

/* The top (coarsest) field a raw record states: 0 year, 1 month, 2 day, 3 hour. */
static int top_field(const raw *r) {
    if (r->y != NONE_I || r->ryear != REL_NONE || r->that_year) return 0;
    if (r->m != NONE_I || r->rmonth != REL_NONE) return 1;
    if (r->d != NONE_I || r->rday != REL_NONE || r->rweek != REL_NONE || r->weekday || r->next_day || r->same_day)
        return 2;
    return 3;
}

/* The finest field a raw record states (same scale). */
static int finest_field(const raw *r) {
    if (r->h != NONE_I) return 3;
    if (r->d != NONE_I || r->rday != REL_NONE || r->weekday || r->next_day || r->same_day) return 2;
    if (r->m != NONE_I || r->rmonth != REL_NONE) return 1;
    return 0;
}

/* Is the text before `start` a dateline label (日期: 发布时间：…), or is
 * the date on a publication line (来源：河南日报 2022年8月4日, at most
 * SOURCE_LINE_BACK characters after 来源 on its line)? */
#define SOURCE_LINE_BACK 40
static int after_label(const tb_text *t, size_t start) {
    size_t k = start;
    while (k > 0 && (is_space(t->cp[k - 1]) || t->cp[k - 1] == ':' || t->cp[k - 1] == U'：')) k--;
    if (k < 2) return 0;
    static const char32_t *labels[] = {U"日期", U"时间", U"发布", U"发表", U"更新", U"发文", NULL};
    for (size_t q = 0; labels[q]; q++)
        if (word_at(t, k - 2, labels[q])) return 1;
    for (size_t b = 0; b < SOURCE_LINE_BACK && k >= 2 + b; b++) {
        uint32_t c = t->cp[k - 1 - b];
        if (c == '\n' || c == '\r' || c == U'。') break;
        if (word_at(t, k - 2 - b, U"来源")) return 1;
    }
    return 0;
}

/* Does the sentence after `i` report figures (新增, 累计, 现有, 报告, a
 * number of 例)? At most FIGURE_WINDOW characters are read. */
#define FIGURE_WINDOW 120
static int figures_follow(const tb_text *t, size_t i) {
    for (size_t k = i; k < t->n && k < i + FIGURE_WINDOW; k++) {
        uint32_t c = t->cp[k], n = at(t, k + 1);
        if (c == U'。' || c == '\n' || c == '\r' || c == U'！' || c == U'？') return 0;
        if ((c == U'新' && n == U'增') || (c == U'累' && n == U'计') || (c == U'现' && n == U'有') ||
            (c == U'报' && n == U'告') || (tb_is_ascii_digit(c) && n == U'例'))
            return 1;
    }
    return 0;
}

/* 自2020年1月21日以来, 从…起: the date opens a span into the past. */
static int opens_span(const tb_text *t, size_t start, size_t end) {
    size_t k = start;
    while (k > 0 && is_space(t->cp[k - 1])) k--;
    uint32_t p = k > 0 ? t->cp[k - 1] : 0;
    if (p == U'自' || p == U'从') return 1;
    return word_at(t, end, U"以来") != 0;
}

static tb_status push_raw(raws *rs, const raw *r, tb_error *err) {
    if (TB_VEC_RESERVE(rs->v, rs->cap, rs->n + 1) != TB_OK)
        return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for dates");
    rs->v[rs->n++] = *r;
    return TB_OK;
}

/* The 今 of 至今 ("until now") at i, not the start of 今天, 今年, 今后 … */
static int is_zhijin(const tb_text *t, size_t i) {
    if (at(t, i) != U'今') return 0;
    uint32_t n = at(t, i + 1);
    return n != U'天' && n != U'日' && n != U'年' && n != U'晚' && n != U'早' && n != U'后' && n != U'夜' &&
           n != U'明' && n != U'朝' && n != U'冬' && n != U'春' && n != U'夏' && n != U'秋';
}

/* Does the text announce what happens at the date [start, end) rather than
 * report it (tb_date.h, direction)? Cues in its clause: before it 将于 将在
 * 将从 将自 将要 即将 拟 定于 计划 预计 预定 届时 准备; after it 起 (12号起停课),
 * 开始, 前 / 之前 (a deadline). A past marker wins: 已 曾 before it (已于),
 * 已 了 以来 after it in the clause. At most CUE_WINDOW characters each way. */
#define CUE_WINDOW 12
static int is_clause_end(uint32_t c) {
    return c == U'，' || c == ',' || c == U'。' || c == U'；' || c == ';' || c == U'！' || c == U'？' ||
           c == '\n' || c == '\r' || c == U'：' || c == ':';
}
static int announces(const tb_text *t, size_t start, size_t end) {
    int future = 0;
    for (size_t b = 1; b <= CUE_WINDOW && b <= start; b++) {
        size_t k = start - b;
        uint32_t c = t->cp[k], n = at(t, k + 1);
        if (is_clause_end(c)) break;
        if (c == U'已' || c == U'曾') return 0;
        if ((c == U'将' && (k + 1 == start || n == U'于' || n == U'在' || n == U'从' || n == U'自' || n == U'要' ||
                            n == U'会')) ||
            c == U'拟' || c == U'届' || (c == U'即' && n == U'将') || (c == U'定' && n == U'于') ||
            (c == U'计' && n == U'划') || (c == U'预' && (n == U'计' || n == U'定')) || (c == U'准' && n == U'备'))
            future = 1;
    }
    size_t k = end;
    while (k < t->n && is_space(t->cp[k])) k++;
    uint32_t c = at(t, k), n = at(t, k + 1);
    if ((c == U'起' && n != U'来') || (c == U'开' && n == U'始') || c == U'拟' || (c == U'将' && n != U'其') ||
        (c == U'前' && n != U'往' && n != U'来' && n != U'后' && n != U'夕') ||
        ((c == U'之' || c == U'以') && n == U'前'))
        future = 1;
    if (!future) return 0;
    for (size_t q = k; q < t->n && q < k + CUE_WINDOW; q++) {
        uint32_t d = t->cp[q];
        if (is_clause_end(d)) break;
        if (d == U'已' || d == U'了' || (d == U'以' && at(t, q + 1) == U'来')) return 0;
    }
    return 1;
}

/* Does a raw record have readings on both sides of the reference (a bare
 * day, a year-less month-day, a bare weekday), so direction picks one? */
static int needs_direction(const raw *r) {
    if (r->bare_weekday) return 1;
    return r->y == NONE_I && r->ryear == REL_NONE && !r->that_year && r->rmonth == REL_NONE && !r->holiday &&
           r->d != NONE_I && r->rday == REL_NONE;
}

/* 10月5日（星期三）, 10月5日 周三: a weekday that names the date before it
 * is part of it, not a date of its own. Returns the end of the weekday (and
 * its brackets) after e, or e. */
static size_t weekday_after(const tb_text *t, size_t e, size_t *span_end) {
    size_t k = e, open = 0;
    *span_end = e;
    if (at(t, k) == U'（' || at(t, k) == '(') open = k++;
    else if (is_space(at(t, k))) k++;
    raw w;
    raw_init(&w, k);
    size_t we = parse_week(t, k, &w);
    if (!we || !w.bare_weekday) return e;
    if (open) {
        if (at(t, we) != U'）' && at(t, we) != ')') return e;
        return we + 1;
    }
    *span_end = we;
    return we;
}

/* Numeric day-month forms whose values leave the order open (04.10.2022)
 * follow the text's other numeric dates that settle it (13.5.2015 is
 * day-first, so is 04.10.2022 in the same text); with none they read by the
 * separator's custom, day-first for . and -, month-first for /, and are
 * marked ambiguous. */
static void settle_numeric_order(raws *rs) {
    int order = NF_NONE;
    size_t pending = 0;
    for (size_t q = 0; q < rs->n; q++) {
        const raw *r = &rs->v[q];
        if (r->numform == NF_PENDING) pending++;
        else if (order == NF_NONE && r->na && (r->numform == NF_DAY_FIRST || r->numform == NF_MONTH_FIRST) &&
                 r->na != r->nb)
            order = r->numform;
    }
    if (!pending) return;
    for (size_t q = 0; q < rs->n; q++) {
        raw *r = &rs->v[q];
        if (r->numform != NF_PENDING) continue;
        int o = order;
        if (o == NF_NONE) {
            o = r->numsep == '/' ? NF_MONTH_FIRST : NF_DAY_FIRST;
            r->ambiguous = 1;
        }
        r->numform = (uint8_t)o;
        r->d = o == NF_MONTH_FIRST ? r->nb : r->na;
        r->m = o == NF_MONTH_FIRST ? r->na : r->nb;
    }
}

/* Common characters that open only a few words (大前天, 周三, 星期, 礼拜,
 * 近日, 最近): the second character must fit before the grammar is tried,
 * which keeps 大, 最 and 近 of ordinary prose cheap. */
static int second_ok(const tb_text *t, size_t i) {
    uint32_t n = at(t, i + 1);
    switch (t->cp[i]) {
    case U'大': return n == U'前' || n == U'后';
    case U'周': case U'週': return weekday_of(n) != 0;
    case U'星': return n == U'期';
    case U'礼': case U'禮': return n == U'拜';
    case U'近': return n == U'日';
    case U'最': return n == U'近';
    default: return 1;
    }
}

static tb_status find_all(const tb_text *t, raws *rs, tb_error *err) {
    size_t i = 0;
    while (i < t->n) {
        uint32_t c = t->cp[i];
        int digit = tb_is_ascii_digit(c);
        /* Attempts start at the first digit of a run, never inside one,
         * nor in a decimal fraction (2.2万) or a code (N95, COVID-19). */
        if (digit && i > 0) {
            uint32_t p = t->cp[i - 1];
            uint32_t pp = i > 1 ? t->cp[i - 2] : 0;
            if (tb_is_ascii_digit(p) || is_letter(p) || (p == '.' && tb_is_ascii_digit(pp)) ||
                (p == '-' && is_letter(pp))) {
                i += digit_run(t, i);
                continue;
            }
        }
        if (!digit && (t->cls[i] != TB_C_HAN || !can_start(c))) {
            i++;
            continue;
        }
        if (!digit && !second_ok(t, i)) {
            i++;
            continue;
        }
        raw a;
        size_t e = parse_expr(t, i, &a, NULL);
        if (e == 0) {
            i += digit ? digit_run(t, i) : 1;
            continue;
        }
        size_t skip_to = 0;
        if (a.d != NONE_I && (at(t, e) == U'（' || at(t, e) == '(' || at(t, e) == U'周' || at(t, e) == U'星' ||
                              at(t, e) == U'礼' || at(t, e) == U'週' || is_space(at(t, e)))) {
            size_t se;
            skip_to = weekday_after(t, e, &se);
            e = se;
            if (skip_to == e) skip_to = 0;
        }
        a.end = (uint32_t)e;
        /* a range: X至Y, X—Y, X-Y, X到Y */
        size_t k = e, ll;
        while (k < t->n && is_space(t->cp[k])) k++;
        raw b;
        size_t be = 0;
        int to_now = 0;
        if (is_range_link(t, k, &ll) && a.period == P_NONE && a.rweek == REL_NONE) {
            size_t bs = k + ll;
            while (bs < t->n && is_space(t->cp[bs])) bs++;
            if (t->cp[k] == U'至' && bs == k + 1 && is_zhijin(t, bs)) {
                /* 2020年1月至今: the range ends on the reference day */
                raw_init(&b, bs);
                b.rday = 0;
                be = bs + 1;
                to_now = 1;
                b.end = (uint32_t)be;
            } else if (bs < t->n && (tb_is_ascii_digit(t->cp[bs]) || t->cls[bs] == TB_C_HAN)) {
                be = parse_expr(t, bs, &b, &a);
                if (be && (top_field(&b) > finest_field(&a) || b.period != P_NONE || b.rweek != REL_NONE))
                    be = 0;
                if (be) b.end = (uint32_t)be;
            }
        }
        if (after_label(t, a.start)) a.dateline = DL_LABEL;
        else if (!a.dateline && !be && is_lede_start(t, a.start)) {
            /* a range is never a lede: its end is weighed as a reporting
             * range's (document_date), its start never */
            uint32_t n = at(t, e);
            if (n == U'，' || n == ',' || n == ' ' || n == 0x3000) a.dateline = DL_LEDE;
        }
        if (needs_direction(&a) && announces(t, a.start, be ? be : e)) a.future = b.future = 1;
        if (opens_span(t, a.start, be ? be : e)) a.history = 1;
        /* the start of a range into the present (X至今) or of one whose end
         * writes its own year (2020年1月21日至2022年6月12日) is history */
        if (be && (to_now || b.y != NONE_I)) a.history = 1;
        if (be) {
            a.role = TB_RANGE_START;
            b.role = TB_RANGE_END;
            if (push_raw(rs, &a, err) != TB_OK || push_raw(rs, &b, err) != TB_OK) return TB_ENOMEM;
            i = be;
        } else {
            if (push_raw(rs, &a, err) != TB_OK) return TB_ENOMEM;
            i = skip_to > e ? skip_to : e;
        }
    }
    settle_numeric_order(rs);
    return TB_OK;
}

/* Does `r` bear a year for the single-year rule: a written year with a
 * month, a day, a season or a holiday (2022年春季, 2022年3月), not a bare
 * year (2005年, an era of history) nor the start of a span into the past? */
static int year_bearing(const raw *r) {
    return r->y != NONE_I && r->y >= 1 && r->y <= 9999 && !r->history &&
           (r->m != NONE_I || r->holiday || r->period == P_HALF || r->period == P_SEASON ||
            r->period == P_QUARTER || r->period == P_YEAR_END || r->period == P_YEAR_START);
}

/* ---- pass 2: resolution ----------------------------------------------------- */

typedef struct {
    int y, m, d, h, mi, s; /* resolved, NONE_I unknown */
    int week;              /* ISO week for week granularity */
    int gran, relative;
    int dir;               /* TB_DIR_*: which way from the reference it was resolved */
    int ytext;             /* the year comes from the text (written, 今年…, inherited, carried) */
} resolved;

/* What a year-less date takes its year from, after any written year
 * (tb_date.h, "years by context"). */
typedef struct {
    int year;   /* of the nearest preceding year-bearing mention, NONE_I if none */
    int single; /* the one year the document's year-bearing mentions name, NONE_I if none or several */
} yearctx;

/* How far ahead of the reference (in days) a year-less date may fall. */
#define AHEAD_MAX 183
/* How far back (in days) an announced year-less month-day may lie and keep
 * the reference's year (tb_date.h, direction): as far as one may lie ahead
 * of a report. Notices announce weeks ahead, not ten months; a start half a
 * year back (自8月1日起施行, cited in October) has begun. */
#define FUTURE_GRACE AHEAD_MAX

static int ref_ok(const tb_dateref *r) {
    return r->year >= 1 && r->year <= 9999 && r->month >= 1 && r->month <= 12 && r->day >= 1 &&
           r->day <= tb_month_days(r->year, r->month) && r->hour >= -1 && r->hour <= 23 &&
           r->minute >= -1 && r->minute <= 59;
}

static void set_days(resolved *o, long days) { tb_civil_from_days(days, &o->y, &o->m, &o->d); }

/* Resolve `r`; `start` is the resolved start of its range (end halves), `ref`
 * may be NULL, `last_year` the last year the text named (or NONE_I), `last_day`
 * the last date before it with a known day (or NULL), which 次日 follows, `yc`
 * the years of the context (or NULL). Returns 0 when the expression is not a
 * valid date. */
static int resolve(const raw *r, const resolved *start, const tb_dateref *ref, int last_year,
                   const resolved *last_day, const yearctx *yc, resolved *o) {
    o->y = r->y;
    o->m = r->m;
    o->d = r->d;
    o->h = r->h;
    o->mi = r->mi;
    o->s = r->s;
    o->week = 0;
    o->relative = 0;
    o->dir = TB_DIR_NONE;
    o->ytext = r->y != NONE_I;
    int cyear = yc ? yc->year : NONE_I, single = yc && !ref ? yc->single : NONE_I;
    long rdays = ref ? tb_days_from_civil(ref->year, ref->month, ref->day) : 0;

    /* granularity from what the text states */
    if (r->s != NONE_I) o->gran = TB_GRAN_SECOND;
    else if (r->mi != NONE_I) o->gran = TB_GRAN_MINUTE;
    else if (r->h != NONE_I) o->gran = TB_GRAN_HOUR;
    else if (r->d != NONE_I || r->rday != REL_NONE || r->weekday || r->next_day || r->same_day) o->gran = TB_GRAN_DAY;
    else if (r->rweek != REL_NONE) o->gran = TB_GRAN_WEEK;
    else if (r->period == P_YEAR_END || r->period == P_YEAR_START || r->period == P_MONTH_EDGE ||
             r->m != NONE_I || r->rmonth != REL_NONE)
        o->gran = TB_GRAN_MONTH;
    else if (r->period == P_HALF) o->gran = TB_GRAN_HALF_YEAR;
    else if (r->period == P_SEASON) o->gran = TB_GRAN_SEASON;
    else if (r->period == P_QUARTER) o->gran = TB_GRAN_QUARTER;
    else o->gran = TB_GRAN_YEAR;
    if (r->period == P_YEAR_END) o->m = 12;
    if (r->period == P_YEAR_START) o->m = 1;

    int written = r->rday == REL_NONE && r->rweek == REL_NONE && r->ryear == REL_NONE &&
                  r->rmonth == REL_NONE && !r->that_year && !r->next_day && !r->same_day;
    if (r->holiday) {
        /* the holiday of the year named, else the one nearest the reference
         * date (bulletins look back at the last holiday and ahead to the
         * next: 元旦 written in November is the coming one) */
        if (o->y == NONE_I) {
            o->relative = 1;
            int cmd = cyear != NONE_I && r->ryear == REL_NONE ? holiday_md(r, cyear) : 0;
            if (r->ryear != REL_NONE && ref) {
                o->y = ref->year + r->ryear;
                o->ytext = 1;
            } else if (cmd && (!ref || tb_days_from_civil(cyear, cmd / 100, cmd % 100) - rdays <= AHEAD_MAX)) {
                o->y = cyear; /* the year of the context */
                o->ytext = 1;
            } else if (!ref && r->ryear == REL_NONE) {
                o->y = single;
            } else if (ref) {
                long best = -1;
                for (int y = ref->year - 1; y <= ref->year + 1; y++) {
                    int md = y < 1 || y > 9999 ? 0 : holiday_md(r, y);
                    if (md == 0) continue;
                    long dist = labs(tb_days_from_civil(y, md / 100, md % 100) - rdays);
                    if (best < 0 || dist < best) {
                        best = dist;
                        o->y = y;
                    }
                }
            }
        }
        o->gran = TB_GRAN_DAY;
        if (r->holiday != H_FIXED) {
            /* the solar term's or the lunar calendar's day: none without a
             * year (or outside the table's years), and nothing true to say */
            int md = o->y != NONE_I && o->y >= 1 && o->y <= 9999 ? holiday_md(r, o->y) : 0;
            if (md == 0) return 0;
            o->m = md / 100;
            o->d = md % 100;
        }
    } else if (start && r->bare_weekday) {
        /* 周一至周五: the first such weekday from the start on */
        o->relative = start->relative;
        o->dir = start->dir;
        if (start->y != NONE_I && start->m != NONE_I && start->d != NONE_I) {
            long sd = tb_days_from_civil(start->y, start->m, start->d);
            set_days(o, sd + (r->weekday - tb_iso_weekday(sd) + 7) % 7);
        }
    } else if (start && written) {
        /* a range end takes the fields above its own from the start */
        int top = top_field(r);
        if (top >= 1) o->y = start->y;
        if (top >= 2) o->m = start->m;
        if (top >= 3) o->d = start->d;
        o->relative = top >= 1 ? start->relative : 0;
        o->dir = top >= 1 ? start->dir : TB_DIR_NONE;
        if (top >= 1) o->ytext = start->ytext;
        /* an end before its start crossed a boundary: 12月28日至1月3日 is
         * into the next year, 3月30日至2日 into the next month */
        if (top == 1 && o->y != NONE_I && o->m != NONE_I && start->m != NONE_I &&
            (o->m < start->m || (o->m == start->m && o->d != NONE_I && start->d != NONE_I && o->d < start->d)))
            o->y++;
        else if (top == 2 && o->m != NONE_I && o->d != NONE_I && start->d != NONE_I && o->d < start->d) {
            if (o->m == 12) {
                o->m = 1;
                if (o->y != NONE_I) o->y++;
            } else {
                o->m++;
            }
        } else if (top == 3 && o->h != NONE_I && start->h != NONE_I && o->h < start->h &&
                   o->y != NONE_I && o->m != NONE_I && o->d != NONE_I) {
            /* 22时至6时: into the next morning */
            set_days(o, tb_days_from_civil(o->y, o->m, o->d) + 1);
        }
    } else if (r->next_day || r->same_day) {
        /* 次日, 翌日: the day after the last date with a day, else after the
         * reference; 当日, 当天: that same day (the day a daily report is
         * about, not the day it was published), else the reference day */
        int step = r->next_day ? 1 : 0;
        o->relative = 1;
        if (last_day) set_days(o, tb_days_from_civil(last_day->y, last_day->m, last_day->d) + step);
        else if (ref) set_days(o, rdays + step);
    } else if (r->rday != REL_NONE || r->on_ref_day) {
        o->relative = 1;
        if (ref) set_days(o, rdays + (r->rday == REL_NONE ? 0 : r->rday));
    } else if (r->bare_weekday) {
        /* 周三: the one of the reference's week (weeks start on Monday) when
         * it lies on the side the direction says, else the week's before
         * (reports) or after (announcements) */
        o->relative = 1;
        if (ref) {
            int diff = r->weekday - tb_iso_weekday(rdays);
            if (r->future && diff < 0) diff += 7;
            if (!r->future && diff > 0) diff -= 7;
            o->dir = r->future ? TB_DIR_FUTURE : TB_DIR_PAST;
            set_days(o, rdays + diff);
        }
    } else if (r->rweek != REL_NONE) {
        o->relative = 1;
        if (ref) {
            long monday = rdays - (tb_iso_weekday(rdays) - 1) + 7L * r->rweek;
            if (r->weekday) set_days(o, monday + r->weekday - 1);
            else {
                tb_iso_week(monday, &o->y, &o->week);
            }
        }
    } else if (o->y == NONE_I) {
        if (r->yearless_period) {
            /* 年底 with no year: the context's year, else the reference's */
            o->relative = 1;
            o->ytext = cyear != NONE_I;
            o->y = cyear != NONE_I ? cyear : ref ? ref->year : single;
        } else if (r->that_year) {
            o->relative = 1;
            o->y = last_year != NONE_I ? last_year : ref ? ref->year : NONE_I;
            o->ytext = last_year != NONE_I;
        } else if (r->ryear != REL_NONE) {
            o->relative = 1;
            if (ref) o->y = ref->year + r->ryear;
            o->ytext = ref != NULL;
        } else if (r->rmonth != REL_NONE) {
            o->relative = 1;
            if (ref) {
                long ym = (long)ref->year * 12 + (ref->month - 1) + r->rmonth;
                o->y = (int)(ym / 12);
                o->m = (int)(ym % 12) + 1;
            }
        } else if (o->m != NONE_I) {
            /* year-less: the year of the nearest preceding year-bearing
             * mention unless that puts it more than six months after the
             * reference date; else the reference year, or the one before
             * when that would be more than six months after the reference
             * date; with no reference, the document's single year */
            o->relative = 1;
            int mok = o->m >= 1 && o->m <= 12;
            if (cyear != NONE_I) {
                int day = mok && o->d != NONE_I && o->d >= 1 && o->d <= tb_month_days(cyear, o->m) ? o->d : 1;
                if (!ref || !mok || tb_days_from_civil(cyear, o->m, day) - rdays <= AHEAD_MAX) {
                    o->y = cyear;
                    o->ytext = 1;
                }
            }
            if (o->y == NONE_I && ref) {
                /* by direction: the nearest such day not after the reference
                 * (a report), or not before it (an announcement) */
                o->y = ref->year;
                if (mok) {
                    int day = o->d != NONE_I && o->d >= 1 && o->d <= tb_month_days(o->y, o->m) ? o->d : 1;
                    long dd = tb_days_from_civil(o->y, o->m, day) - rdays;
                    if (o->d == NONE_I) {
                        /* a month alone: this year's unless more than six
                         * months ahead (a report of 1月 citing 12月) */
                        if (dd > AHEAD_MAX) o->y--;
                    } else if (r->future) {
                        /* a start up to six months back has begun (10月1日起
                         * or 8月1日起施行, in a text of 10月5日): not next year's */
                        o->dir = dd < 0 && dd >= -FUTURE_GRACE ? TB_DIR_PAST : TB_DIR_FUTURE;
                        if (dd < -FUTURE_GRACE) o->y++;
                    } else {
                        if (dd > 0) o->y--;
                        o->dir = TB_DIR_PAST;
                    }
                }
            } else if (o->y == NONE_I) {
                o->y = single;
            }
        } else if (o->d != NONE_I) {
            o->relative = 1; /* a lone day (7日上午): by direction from the reference */
            if (ref) {
                o->y = ref->year;
                o->m = ref->month;
                if (o->d >= 1 && o->d <= 31) {
                    /* the nearest month holding that day not after (a report)
                     * or not before (an announcement) the reference day */
                    int step = r->future ? 1 : -1;
                    int here = o->d <= tb_month_days(o->y, o->m) && (r->future ? o->d >= ref->day : o->d <= ref->day);
                    for (int k = 0; !here && k < 3; k++) {
                        long ym = (long)o->y * 12 + (o->m - 1) + step;
                        o->y = (int)(ym / 12);
                        o->m = (int)(ym % 12) + 1;
                        here = o->d <= tb_month_days(o->y, o->m);
                    }
                    o->dir = r->future ? TB_DIR_FUTURE : TB_DIR_PAST;
                }
            }
        } else if (o->h != NONE_I) {
            o->relative = 1; /* a lone time (截至8时): the reference day */
            if (ref) set_days(o, rdays);
        }
    }

    /* validate what the text wrote */
    if (o->y != NONE_I && (o->y < 1 || o->y > 9999)) return 0;
    if (o->m != NONE_I && (o->m < 1 || o->m > 12)) return 0;
    if (o->d != NONE_I) {
        int maxd = o->m == NONE_I ? 31 : tb_month_days(o->y != NONE_I ? o->y : 2000, o->m);
        if (o->d < 1 || o->d > maxd) return 0;
    }
    if (o->h != NONE_I) {
        if (o->h < 0 || o->h > 24) return 0;
        if (o->mi != NONE_I && (o->mi < 0 || o->mi > 59)) return 0;
        if (o->s != NONE_I && (o->s < 0 || o->s > 59)) return 0;
        if (o->h == 24 && ((o->mi != NONE_I && o->mi) || (o->s != NONE_I && o->s))) return 0;
        /* the clock of a part of day: 下午3时 is 15:00 */
        switch (r->pod) {
        case TB_POD_AFTERNOON:
        case TB_POD_EVENING:
            if (o->h >= 1 && o->h < 12) o->h += 12;
            break;
        case TB_POD_NIGHT:
            if (o->h >= 6 && o->h < 12) o->h += 12;
            break;
        case TB_POD_NOON:
            if (o->h >= 1 && o->h <= 2) o->h += 12;
            break;
        default:
            break;
        }
        if (o->h == 24) {
            /* the end of the day: the next day at 00:00 */
            if (o->y != NONE_I && o->m != NONE_I && o->d != NONE_I) {
                set_days(o, tb_days_from_civil(o->y, o->m, o->d) + 1);
                o->h = 0;
            } else if (o->m != NONE_I && o->d != NONE_I && !(o->m == 2 && o->d >= 28)) {
                if (o->d < tb_month_days(2001, o->m)) o->d++;
                else {
                    o->d = 1;
                    o->m = o->m % 12 + 1;
                }
                o->h = 0;
            } else {
                /* unknown year at 2月28日24时, or no day: keep the day only */
                o->h = o->mi = o->s = NONE_I;
                o->gran = TB_GRAN_DAY;
            }
            if (o->y != NONE_I && o->y > 9999) return 0;
        }
    }
    return 1;
}

/* ---- the document's own date ---------------------------------------------- */

/* The end of the title lines: the first non-blank lines (at most TITLE_LINES)
 * before the first one that is long or holds a sentence's end, 0 when no
 * such line follows them (a title heads a body: a text of short lines
 * alone has none). */
#define TITLE_LINES 6
#define TITLE_LEN 80
static size_t title_end(const tb_text *t) {
    size_t i = 0, end = 0, lines = 0;
    while (i < t->n && lines < TITLE_LINES) {
        size_t s0 = i;
        int blank = 1;
        for (; i < t->n && t->cp[i] != '\n' && t->cp[i] != '\r'; i++) {
            uint32_t c = t->cp[i];
            if (c == U'。' || c == U'！' || c == U'？' || i - s0 >= TITLE_LEN) return end;
            if (!is_space(c)) blank = 0;
        }
        if (!blank) {
            lines++;
            end = i;
        }
        while (i < t->n && (t->cp[i] == '\n' || t->cp[i] == '\r')) i++;
    }
    return i < t->n ? end : 0;
}

/* A raw record that writes a whole calendar date (year, month, day). */
static int full_written(const raw *r) {
    return r->y != NONE_I && r->m != NONE_I && r->d != NONE_I && r->y >= 1 && r->y <= 9999 && r->m >= 1 &&
           r->m <= 12 && r->d >= 1 && r->d <= tb_month_days(r->y, r->m);
}

/* The day record q (and, for a range start, its end at q + 1) gives as a
 * document date: the end of a range, resolved without a reference (24时 is
 * the next day). Returns 0 when it gives no whole day. */
static int evidence_day(const raw *r, const raw *end, resolved *o) {
    if (!full_written(r) || !resolve(r, NULL, NULL, NONE_I, NULL, NULL, o)) return 0;
    if (end) {
        resolved st = *o;
        if (!resolve(end, &st, NULL, NONE_I, NULL, NULL, o)) return 0;
    }
    return o->y != NONE_I && o->m != NONE_I && o->d != NONE_I;
}

/* The signature (落款) of a notice: the last non-blank line holds a whole
 * date and nothing else (2021年7月31日, 二〇二一年七月三十一日), and the
 * line before it is a short one without a sentence's end (the issuer:
 * 河南省新冠肺炎疫情防控指挥部办公室). Returns the date's record, or NULL.
 * Reads the text's tail back to the issuer line (at most SIGNATURE_BACK). */
#define SIGNATURE_BACK 120
static const raw *signature_date(const tb_text *t, const raws *rs) {
    if (rs->n == 0) return NULL;
    const raw *r = &rs->v[rs->n - 1];
    if (r->role != TB_RANGE_NONE || !full_written(r) || r->h != NONE_I) return NULL;
    size_t e = r->end;
    while (e < t->n && (is_space(t->cp[e]) || t->cp[e] == '\n' || t->cp[e] == '\r')) e++;
    if (e < t->n) return NULL; /* more text after it */
    size_t b = r->start;
    while (b > 0 && is_space(t->cp[b - 1])) b--;
    if (b == 0 || (t->cp[b - 1] != '\n' && t->cp[b - 1] != '\r')) return NULL; /* not alone on its line */
    while (b > 0 && (t->cp[b - 1] == '\n' || t->cp[b - 1] == '\r' || is_space(t->cp[b - 1]))) b--;
    /* the issuer: an organisation's name (…指挥部, …办公室, …委员会, …人民政府) */
    static const char32_t org_end[] = U"部办室会局委府厅处院所站心组司队社校馆团）)";
    int org = 0;
    for (size_t q = 0; org_end[q]; q++)
        if (b > 0 && t->cp[b - 1] == (uint32_t)org_end[q]) org = 1;
    if (!org) return NULL;
    size_t issuer = 0;
    for (size_t k = b; k > 0; k--) {
        uint32_t c = t->cp[k - 1];
        if (c == '\n' || c == '\r') break;
        if (c == U'。' || c == U'！' || c == U'？' || c == U'；' || c == U'，' || b - k >= SIGNATURE_BACK) return NULL;
        if (!is_space(c)) issuer++;
    }
    return issuer >= 2 && issuer <= 40 ? r : NULL;
}

static int later(const resolved *a, const tb_dateref *b) {
    if (a->y != b->year) return a->y > b->year;
    if (a->m != b->month) return a->m > b->month;
    return a->d > b->day;
}

/* The document's own date, by evidence (tb_date.h): a dateline (label >
 * timestamp > lede, the first of equals), else a full date in the title
 * lines, else the latest end of a reporting range (…至2022年6月12日24时 with
 * figures after it, 截至2022年5月7日8时), else the latest full date the text
 * reports figures as of. The start of a span into the past is never taken.
 * Returns the tb_docdate_source, and the date in *out. */
static int document_date(const tb_text *t, const raws *rs, tb_dateref *out) {
    const raw *best = NULL;
    for (size_t q = 0; q < rs->n; q++) {
        const raw *r = &rs->v[q];
        if (r->dateline == DL_NONE || r->history || !full_written(r)) continue;
        if (r->h != NONE_I && (r->h < 0 || r->h > 23 || (r->mi != NONE_I && (r->mi < 0 || r->mi > 59)))) continue;
        if (best == NULL || r->dateline > best->dateline) best = r;
    }
    if (best) {
        out->year = best->y;
        out->month = best->m;
        out->day = best->d;
        /* the hour of a range start (6月12日0—24时) is not a time of writing */
        int clock = best->h != NONE_I && best->role == TB_RANGE_NONE;
        out->hour = clock ? best->h : -1;
        out->minute = clock ? (best->mi != NONE_I ? best->mi : 0) : -1;
        return TB_DOCDATE_DATELINE;
    }
    out->hour = out->minute = -1;
    size_t tend = title_end(t);
    resolved o;
    for (size_t q = 0; q < rs->n && rs->v[q].start < tend; q++) {
        const raw *r = &rs->v[q];
        if (r->role == TB_RANGE_END) continue;
        int range = r->role == TB_RANGE_START && q + 1 < rs->n;
        if (evidence_day(r, range ? &rs->v[q + 1] : NULL, &o)) {
            out->year = o.y;
            out->month = o.m;
            out->day = o.d;
            return TB_DOCDATE_TITLE;
        }
    }
    const raw *sig = signature_date(t, rs);
    if (sig) {
        out->year = sig->y;
        out->month = sig->m;
        out->day = sig->d;
        return TB_DOCDATE_SIGNATURE;
    }
    int kind = TB_DOCDATE_NONE, ctx_year = NONE_I;
    for (size_t q = 0; q < rs->n; q++) {
        const raw *r0 = &rs->v[q];
        raw carried;
        const raw *r = r0;
        if (r0->y == NONE_I && ctx_year != NONE_I && r0->m != NONE_I && r0->d != NONE_I && !r0->holiday &&
            r0->ryear == REL_NONE && !r0->that_year && r0->role != TB_RANGE_END && !r0->history) {
            /* 2022年4月 … 5月3日新增: the year the context carries (tb_date.h) */
            carried = *r0;
            carried.y = ctx_year;
            r = &carried;
        }
        if (year_bearing(r0)) ctx_year = r0->y;
        if (r->role == TB_RANGE_END || !full_written(r)) continue;
        int k = TB_DOCDATE_NONE, range = 0;
        if (r->role == TB_RANGE_START && q + 1 < rs->n) {
            /* a reporting range: its end writes its year, or lies in the
             * start's month (2022年8月3日0—24时, 2022年8月1日至3日) */
            const raw *e = &rs->v[q + 1];
            range = 1;
            if ((e->y != NONE_I || top_field(e) >= 2) && e->rday == REL_NONE && figures_follow(t, e->end))
                k = TB_DOCDATE_RANGE_END;
        } else if (r->history) {
            continue;
        } else {
            size_t b = r->start;
            while (b > 0 && is_space(t->cp[b - 1])) b--;
            if (b >= 2 && (word_at(t, b - 2, U"截至") || word_at(t, b - 2, U"截止"))) k = TB_DOCDATE_RANGE_END;
            else if (figures_follow(t, r->end)) k = TB_DOCDATE_REPORTED;
        }
        if (k == TB_DOCDATE_NONE || (kind == TB_DOCDATE_RANGE_END && k == TB_DOCDATE_REPORTED)) continue;
        if (r != r0 && k == TB_DOCDATE_RANGE_END) k = TB_DOCDATE_REPORTED; /* its year is carried, not written */
        if (!evidence_day(r, range ? &rs->v[q + 1] : NULL, &o)) continue;
        if (k == kind && !later(&o, out)) continue;
        kind = k;
        out->year = o.y;
        out->month = o.m;
        out->day = o.d;
    }
    return kind;
}

static void two(char *p, int v) {
    if (v == NONE_I) {
        p[0] = p[1] = 'X';
    } else {
        p[0] = (char)('0' + v / 10 % 10);
        p[1] = (char)('0' + v % 10);
    }
}

/* ISO 8601 text of a resolved date at its granularity. */
static void format_value(const resolved *o, char *out) {
    char y[5];
    if (o->y == NONE_I) memcpy(y, "XXXX", 5);
    else snprintf(y, sizeof y, "%04d", o->y);
    switch (o->gran) {
    case TB_GRAN_YEAR:
    case TB_GRAN_HALF_YEAR:
    case TB_GRAN_SEASON:
    case TB_GRAN_QUARTER:
        memcpy(out, y, 5);
        return;
    case TB_GRAN_WEEK:
        if (o->week) snprintf(out, TB_DATE_VALUE_MAX, "%s-W%02d", y, o->week);
        else memcpy(out, "XXXX-WXX", 9);
        return;
    default:
        break;
    }
    char buf[TB_DATE_VALUE_MAX] = "YYYY-MM-DDTHH:MM:SS";
    memcpy(buf, y, 4);
    two(buf + 5, o->m);
    size_t n = 7;
    if (o->gran >= TB_GRAN_DAY) {
        two(buf + 8, o->d);
        n = 10;
    }
    if (o->gran >= TB_GRAN_HOUR) {
        two(buf + 11, o->h);
        if (o->gran >= TB_GRAN_MINUTE) two(buf + 14, o->mi);
        else buf[14] = buf[15] = '0';
        n = 16;
    }
    if (o->gran >= TB_GRAN_SECOND) {
        two(buf + 17, o->s);
        n = 19;
    }
    buf[n] = 0;
    memcpy(out, buf, n + 1);
}

tb_status tb_dates_scan(const tb_text *t, const tb_dateref *ref, tb_dates *out, tb_dateref *found,
                        int *has_found, tb_error *err) {
    if (has_found) *has_found = 0;
    if (ref && !ref_ok(ref))
        return tb_fail(err, TB_EINVAL, TB_AT_NONE, 0, "reference date %d-%d-%d %d:%d is not valid",
                       ref->year, ref->month, ref->day, ref->hour, ref->minute);
    out->n = 0;
    raws rs = {0};
    tb_status s = find_all(t, &rs, err);
    if (s != TB_OK) {
        free(rs.v);
        return s;
    }
    tb_dateref doc_ref;
    out->doc_source = ref ? TB_DOCDATE_GIVEN : TB_DOCDATE_NONE;
    if (ref == NULL) {
        int src = document_date(t, &rs, &doc_ref);
        if (src != TB_DOCDATE_NONE) {
            out->doc_source = (uint8_t)src;
            ref = &doc_ref;
            if (found) *found = doc_ref;
            if (has_found) *has_found = 1;
        }
    }
    /* the one year the year-bearing mentions name (2022年春季, 2022年3月),
     * for year-less dates when nothing else gives one */
    yearctx yc = {NONE_I, NONE_I};
    for (size_t q = 0, several = 0; q < rs.n && !several; q++) {
        const raw *r = &rs.v[q];
        if (!year_bearing(r)) continue;
        if (yc.single == NONE_I) yc.single = r->y;
        else if (yc.single != r->y) several = 1, yc.single = NONE_I;
    }
    int last_year = NONE_I;
    resolved prev = {0}, last_day = {0};
    int prev_ok = 0, have_last_day = 0;
    for (size_t q = 0; q < rs.n; q++) {
        const raw *r = &rs.v[q];
        resolved o;
        int is_end = r->role == TB_RANGE_END;
        int ok = is_end && !prev_ok ? 0
                                    : resolve(r, is_end ? &prev : NULL, ref, last_year,
                                              have_last_day ? &last_day : NULL, &yc, &o);
        if (r->y != NONE_I) last_year = r->y;
        prev_ok = ok;
        if (!ok) continue;
        prev = o;
        /* a year the text gives to a month, a season, a day: the context of
         * the year-less dates after it */
        if (o.ytext && o.y != NONE_I && o.gran != TB_GRAN_YEAR && o.gran != TB_GRAN_WEEK && !r->history)
            yc.year = o.y;
        if (o.gran >= TB_GRAN_DAY && o.y != NONE_I && o.m != NONE_I && o.d != NONE_I) {
            last_day = o;
            have_last_day = 1;
            /* 3日24时 resolved to 4日T00:00 still speaks of the 3rd */
            if (r->h == 24) set_days(&last_day, tb_days_from_civil(o.y, o.m, o.d) - 1);
        }
        if (TB_VEC_RESERVE(out->v, out->cap, out->n + 1) != TB_OK) {
            free(rs.v);
            return tb_fail(err, TB_ENOMEM, TB_AT_NONE, 0, "out of memory for dates");
        }
        tb_date *d = &out->v[out->n++];
        d->start = r->start;
        d->end = r->end;
        format_value(&o, d->value);
        d->granularity = (uint8_t)o.gran;
        d->part_of_day = r->pod;
        d->relative = (uint8_t)o.relative;
        d->range_role = r->role;
        d->end_of_day = r->h == 24;
        d->direction = (uint8_t)o.dir;
        d->ambiguous = r->ambiguous;
        d->open_end = r->open_end;
        if (r->open_end) d->range_role = TB_RANGE_END;
        resolved day = o;
        if (d->end_of_day && o.m != NONE_I && o.d != NONE_I && o.h == 0) {
            /* undo the step to the next day that resolve() made */
            if (o.y != NONE_I) {
                set_days(&day, tb_days_from_civil(o.y, o.m, o.d) - 1);
            } else if (o.d > 1) {
                day.d = o.d - 1;
            } else {
                day.m = o.m == 1 ? 12 : o.m - 1;
                day.d = tb_month_days(2001, day.m); /* resolve() never crosses February without a year */
            }
        }
        if (d->end_of_day) day.h = day.mi = NONE_I;
        d->y = (int16_t)(day.y == NONE_I ? -1 : day.y);
        d->m = (int8_t)(day.m == NONE_I || o.gran < TB_GRAN_MONTH || o.gran == TB_GRAN_WEEK ? -1 : day.m);
        d->d = (int8_t)(day.d == NONE_I || o.gran < TB_GRAN_DAY ? -1 : day.d);
        d->h = (int8_t)(day.h == NONE_I || o.gran < TB_GRAN_HOUR ? -1 : day.h);
        d->mi = (int8_t)(day.h == NONE_I || o.gran < TB_GRAN_HOUR ? -1 : (o.gran >= TB_GRAN_MINUTE ? day.mi : 0));
    }
    /* a half whose partner was invalid is no longer part of a range */
    for (size_t q = 0; q < out->n; q++) {
        tb_date *d = &out->v[q];
        if (d->range_role == TB_RANGE_START &&
            (q + 1 >= out->n || out->v[q + 1].range_role != TB_RANGE_END || out->v[q + 1].open_end))
            d->range_role = TB_RANGE_NONE;
        else if (d->range_role == TB_RANGE_END && !d->open_end &&
                 (q == 0 || out->v[q - 1].range_role != TB_RANGE_START))
            d->range_role = TB_RANGE_NONE;
        else if (d->range_role == TB_RANGE_START)
            q++;
    }
    free(rs.v);
    return TB_OK;
}

void tb_dates_free(tb_dates *d) {
    free(d->v);
    d->v = NULL;
    d->n = d->cap = 0;
}

const char *tb_date_gran_name(int g) {
    static const char *names[] = {"year", "half_year", "season", "quarter", "month",
                                  "week", "day",       "hour",   "minute",  "second"};
    return g >= 0 && g <= TB_GRAN_SECOND ? names[g] : "unknown";
}

const char *tb_docdate_source_name(int s) {
    static const char *names[] = {NULL, "given", "dateline", "title", "range_end", "reported", "signature"};
    return s > 0 && s <= TB_DOCDATE_SIGNATURE ? names[s] : NULL;
}

const char *tb_date_dir_name(int d) {
    return d == TB_DIR_PAST ? "past" : d == TB_DIR_FUTURE ? "future" : NULL;
}

const char *tb_date_pod_name(int p) {
    static const char *names[] = {NULL, "early_morning", "morning", "noon", "afternoon", "evening", "night"};
    return p > 0 && p <= TB_POD_NIGHT ? names[p] : NULL;
}
