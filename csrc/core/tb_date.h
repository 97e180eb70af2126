/* Dates and times in a bulletin: 2020年2月10日, 3月27日下午, 今天上午8时,
 * 2021-08-12 17:35, 本月15日, 当年10月份, 2020年1月21日至2022年8月3日24时.
 *
 * The scanner reads the folded text (tb_text.h: full-width digits are ASCII,
 * traditional characters simplified), so ２０２２年３月２７日 and 鄭州… read
 * like their plain forms. It works in two passes: the first finds every
 * expression and records what the text itself says (fields, relative words,
 * range halves); the second resolves each against the reference date and
 * writes its ISO 8601 value. Between the two the document's own date (a
 * dateline such as 日期:2021-08-12 17:35) is picked when the caller gave none.
 *
 * Conventions (see also tb_date.c):
 * - value is ISO 8601 at the precision of the text: 2022, 2022-05,
 *   2022-03-27, 2022-05-07T08:00, 2021-08-12T17:35:20. Parts nobody knows
 *   are X: XXXX-03-27 (no reference date), XXXX-XX-07. A relative word with
 *   no reference at all (昨天 with no ref) has an empty value.
 * - 24时 is the end of the day: the next day at T00:00 (ISO's T24:00 is not
 *   accepted by Python's datetime).
 * - A range X至Y / X—Y / X-Y / X到Y gives two dates, range_role start and
 *   end; the end takes the fields it omits from the start (3月27日至30日).
 *   5月7日0—24时 is such a pair: 5月7日0 (T00:00) and 24时 (next day T00:00).
 * - Year-less dates take the reference year, or the year before when that
 *   would put them more than six months after the reference date (bulletins
 *   report the past). 当年 ("that year") is the last year the text named.
 * - Coarse periods keep the precision the gold annotations use: 年底/年末 →
 *   YYYY-12, 年初 → YYYY-01, 月初/月中/月末/月底 → YYYY-MM, 上半年/下半年,
 *   春季… and 第一季度… → YYYY with granularity half_year/season/quarter.
 *   全年 is the reference year. 当年 alone, 近日, 目前/当前, 次日 are not read.
 * - Holidays: 元旦 劳动节 儿童节 国庆节 on their fixed day, 清明节 on the
 *   solar term's day (1901..2099); without a year, the occurrence nearest
 *   the reference date. Lunar holidays (春节, 端午节, 中秋节) are not read.
 * - relative is true when the value depends on the reference date (a
 *   relative word, a year-less date), whether or not one was known.
 * - The document's own date (used when the caller gives none) is a full
 *   year-month-day: first one after a label (日期: 发布时间: 时间: …), else
 *   the first ISO date with a clock time (2022-08-04 10:19:34), else the
 *   first news lede (a date opening a line or following 本报讯/电/(记者…)
 *   and followed by a comma or space). Its hour is kept only when a clock
 *   time was written.
 *
 * Offsets are code points (Python str indices). Linear in the text length. */
#ifndef TB_DATE_H
#define TB_DATE_H

#include <stddef.h>
#include <stdint.h>

#include "tb_status.h"
#include "tb_text.h"

/* A reference date; hour and minute are -1 when unknown. */
typedef struct {
    int year, month, day, hour, minute;
} tb_dateref;

typedef enum {
    TB_GRAN_YEAR = 0,
    TB_GRAN_HALF_YEAR,
    TB_GRAN_SEASON,
    TB_GRAN_QUARTER,
    TB_GRAN_MONTH,
    TB_GRAN_WEEK,
    TB_GRAN_DAY,
    TB_GRAN_HOUR,
    TB_GRAN_MINUTE,
    TB_GRAN_SECOND
} tb_date_gran;

typedef enum {
    TB_POD_NONE = 0,
    TB_POD_EARLY_MORNING, /* 凌晨 */
    TB_POD_MORNING,       /* 上午 早上 早晨 清晨 今早 */
    TB_POD_NOON,          /* 中午 午间 */
    TB_POD_AFTERNOON,     /* 下午 午后 */
    TB_POD_EVENING,       /* 晚上 傍晚 晚间 今晚 */
    TB_POD_NIGHT          /* 夜间 夜里 深夜 半夜 */
} tb_date_pod;

typedef enum { TB_RANGE_NONE = 0, TB_RANGE_START, TB_RANGE_END } tb_date_range;

#define TB_DATE_VALUE_MAX 24 /* "XXXX-XX-XXTXX:XX:XX" + NUL fits */

typedef struct {
    uint32_t start, end;           /* code points, end exclusive */
    char value[TB_DATE_VALUE_MAX]; /* ISO 8601; "" when nothing is known */
    uint8_t granularity;           /* tb_date_gran */
    uint8_t part_of_day;           /* tb_date_pod */
    uint8_t relative;              /* anchored on the reference date (a relative word, a
                                      year-less date), whether or not one was known */
    uint8_t range_role;            /* tb_date_range */
} tb_date;

typedef struct {
    tb_date *v;
    size_t n, cap;
} tb_dates;

/* Scan `t` for dates. `ref` may be NULL (no reference date given); it must
 * otherwise be a valid calendar date (TB_EINVAL if not). When `ref` is NULL
 * and `found` is not, *found receives the document's own date when the text
 * states one (return value 1 in *has_found) and that date is used as the
 * reference. `out` must be zeroed or previously used; the caller frees it
 * with tb_dates_free. */
tb_status tb_dates_scan(const tb_text *t, const tb_dateref *ref, tb_dates *out, tb_dateref *found,
                        int *has_found, tb_error *err);
void tb_dates_free(tb_dates *d);

const char *tb_date_gran_name(int g);
/* NULL for TB_POD_NONE. */
const char *tb_date_pod_name(int p);

#endif
