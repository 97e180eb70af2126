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
 *   no reference at all (昨天 with no ref) is all X: XXXX-XX-XX.
 * - 24时 is the end of the day: the next day at T00:00 (ISO's T24:00 is not
 *   accepted by Python's datetime).
 * - A range X至Y / X—Y / X-Y / X到Y gives two dates, range_role start and
 *   end; the end takes the fields it omits from the start (3月27日至30日).
 *   5月7日0—24时 is such a pair: 5月7日0 (T00:00) and 24时 (next day T00:00).
 *   A year range with one 年 (2020-2022年, 2020至2022年) is 2020 and 2022年;
 *   X至今 ends on the reference day (the end's text is 今).
 * - Years by context. A year-less month, month-day or holiday takes, in
 *   this order: (1) the year of the nearest preceding year-bearing mention
 *   (2022年4月 … 5月3日 → 2022-05-03), unless that puts it more than six
 *   months after the reference date; (2) the reference, by direction
 *   (below): the nearest such day not after it in a report (a bulletin of
 *   1月5日 citing 12月30日: last year's), not before it in an announcement;
 *   (3) with no reference at all, the one year the document's
 *   year-bearing mentions name when they name only one (2022年春季 in a
 *   report otherwise without years), for the dates before it too; else
 *   the year stays XXXX. A year-bearing mention writes a year (or 今年…)
 *   with a month, a day, a season, a quarter or a holiday; a bare year
 *   (2005年, an era of history) and the start of a span into the past
 *   (自2020年1月21日以来, 2020年1月21日至2022年6月12日, 2020年1月至今)
 *   bear none. 年底/年初/年末 and 全年 written without a year take the
 *   year by (1), else the reference's, else (3). 当年 ("that year") is the
 *   last year the text named. A year-less month alone (12月) is this year's
 *   unless more than six months after the reference (then last year's).
 *   A wrong year is worse than an unknown one: nothing else guesses.
 * - Direction by genre (tb_date.direction). A date with one reading per
 *   month, year or week — a lone day (29日, 12号), a year-less month-day
 *   whose year comes from the reference (not from the context, rule (1)
 *   above), a bare weekday (周三) — is resolved to the nearest reading NOT
 *   AFTER the reference when the text reports (PAST: the default; bulletins
 *   report what happened), and NOT BEFORE it when the text announces
 *   (FUTURE). The cues are read in the date's clause (announces() in
 *   tb_date.c, at most 12 characters each way): before it 将于 将在 将从
 *   将自 将要 将会 即将 拟 定于 计划 预计 预定 届时 准备; right after it 起
 *   (12号起停课, 自3月1日起施行), 开始, 将, 拟, 前/之前/以前 (a deadline).
 *   A past marker wins: 已 or 曾 before it (已于12日), 已 了 以来 after it
 *   (自10月1日起已实施). With reference 2022-10-05: 29日0—24时，全省新增… →
 *   2022-09-29; 31日，… → 2022-08-31 (September has no 31st); 11月1日，全省
 *   新增 → 2021-11-01; 12号起停课 → 2022-10-12; 3日将召开 → 2022-11-03; the
 *   day itself (5日) is both. A range's end takes its start's direction.
 *   An announced year-less month-day at most 183 days before the reference
 *   keeps its year and reads PAST (10月1日起 or 8月1日起施行 in a text of
 *   10月5日 has begun: notices announce weeks ahead, not ten months, so
 *   next year's would be a wrong year); a lone day has no such grace
 *   (1号起停课 on 10月5日 is 11月1日).
 *   Dates the text fixes (a written year, 昨天, 下周一, 本月15日) have none.
 * - Weeks start on Monday (ISO 8601). 本周/这周/这个周 are the reference's
 *   week, 上/上个 the one before, 上上/上上个 two before, 下/下个 and
 *   下下/下下个 after; the week word is 周, 週, 星期 or 礼拜 (禮拜), the
 *   weekday 一..六 and 日, or 天 after 星期/礼拜. 下周一 is the Monday of
 *   next week. A bare weekday (周三) is the one of the reference's week when
 *   it lies on the direction's side of the reference (or is the reference
 *   day), else the one a week earlier (PAST) or later (FUTURE): on
 *   Wednesday 2022-10-05 a report's 周五 is 2022-09-30, an announcement's
 *   2022-10-07. 周一至周五 ends on the first Friday from its start. Not
 *   weekdays: 每周三次, 一周三次, 两个周三, 周口, 做礼拜. A weekday after a
 *   date names that date (2022年10月5日（星期三）): no row of its own.
 * - 近日 and 最近 ("recently") are an open range ending on the reference
 *   day: one row, range_role END and open_end set, no start (the text gives
 *   no length). 最近 meaning "nearest" (离…最近, 最近的) or "the last N"
 *   (最近一周) is not read.
 * - Numeric dates: year first with - / . or single spaces (2021-08-12,
 *   2022/10/4, 2022.10.04, 2010 01 29 with two-digit fields); day and month
 *   then a four-digit year with . / - (04.10.2022, 13.5.2015, 10-4-2022), or
 *   a two-digit year after / (05/05/89; 00-68 are 2000-2068, 69-99 are
 *   1969-1999, the POSIX pivot Python's %y uses); a year-less month/day
 *   with / only where a date is expected (after a label, 于 在 自 从 截至,
 *   or before a clock time or 起: 于10/4, 10/4 08:00). Which of the two
 *   fields is the day: the values first (13.5.2015 is day-first, 5.13.2015
 *   month-first), then the text's first numeric date the values settle,
 *   then the separator's custom — day-first for . and - (European
 *   datelines), month-first for / — and then the row is marked ambiguous.
 *   Equal fields (05/05/89) are not ambiguous. Not dates: versions and
 *   addresses (1.2.3, 3.10.15, 192.168.1.1), decimals (3.5), fractions and
 *   scores (1/2, 以10/4的比分), phone numbers (0371-65961234, 0371 6596 1234).
 * - Days without 日 after a month (八月十五, 3月15) only before a clause's
 *   end, a space, a part of day, 起/前 or a range to a number (not 3月15例).
 *   初一..初十 after a month are lunar days and not read (十月初一); only the
 *   lunar holidays below are. Years in words need 千 (两千零四年,
 *   一千九百八十九年); digit by digit: 二〇二二年, 二零零四年. A two-digit
 *   year only before a month (89年5月5日, by the pivot above; 89年 alone is
 *   a duration). 元月 is January; 廿 and 卅 are 20 and 30 in days.
 * - Coarse periods keep the precision the gold annotations use: 年底/年末 →
 *   YYYY-12, 年初 → YYYY-01, 月初/月中/月末/月底 → YYYY-MM, 上半年/下半年,
 *   春季… and 第一季度… → YYYY with granularity half_year/season/quarter.
 *   全年 is the year of the context (above). 当年 alone, 近日, 目前/当前
 *   are not read.
 * - 次日/翌日 is the day after the last date before it that names a day
 *   (5月1日…次日 → 5月2日; after 3日0—24时 it is the 4th), else the day
 *   after the reference. 当日/当天 ("that day") is the day of the last
 *   date before it that names a day (6月12日0—24时…当日治愈出院 → 6月12日,
 *   not the day the report came out), else the reference day.
 * - Holidays: 元旦 劳动节 儿童节 国庆节 on their fixed day, 清明节 on the
 *   solar term's day, and the lunar ones (春节 除夕 元宵节 端午 七夕 中秋
 *   重阳节) on their day of ICU's Chinese calendar (tb_lunar_table.h,
 *   generated by tools/gen_lunar_table.c), 1901..2099; without a year, the
 *   occurrence nearest the reference date. 元宵 alone (the food) is not read.
 * - relative is true when the value depends on the reference date (a
 *   relative word, a year-less date), whether or not one was known.
 * - The document's own date (used when the caller gives none) is a whole
 *   year-month-day found by evidence, strongest first (tb_docdate_source,
 *   written to tb_dates.doc_source; TB_DOCDATE_GIVEN for a caller's ref):
 *   1. DATELINE: the first date after a label (日期: 发布时间: 时间: 发布
 *      发表 更新 发文) or on a publication line after 来源 (来源：河南日报
 *      2022年8月4日); else the first ISO date with a clock time (2022-08-04
 *      10:19:34); else the first news lede (a date that is not a range,
 *      opening a line or following 本报讯/电/(记者…), then a comma or
 *      space). Its hour is kept only when a clock time was written.
 *   2. TITLE: the first whole date (a range's end) in the title lines: the
 *      first non-blank lines, at most 6 and 80 characters each, before the
 *      first line holding 。！？ or a longer one (none without a body).
 *   3. SIGNATURE: a whole date alone on the
 *      last non-blank line, the line before it an organisation's name (a
 *      short line without punctuation ending in 部 办 室 会 局 委 府 厅 …):
 *      郑州市新冠肺炎疫情防控指挥部 / 2021年7月31日.
 *   4. RANGE_END: the latest end of a reporting range — a range whose end
 *      writes its year or lies in the start's month and is followed in its
 *      sentence by figures (新增 累计 现有 报告, a number of 例) — or a
 *      whole date after 截至/截止. 24时 is the next day: 至2022年6月12日24时
 *      gives 2022-06-13. The start of a range is never taken.
 *   5. REPORTED: the latest whole date followed in its sentence by figures,
 *      not opening a span into the past (自…, …以来); a year-less one counts
 *      with the year of the preceding year-bearing mention (2022年4月 …
 *      5月3日，全省新增 → 2022-05-03), never with a guessed one.
 *   A retrospective's historical dates (这是2020年2月10日…首例, 2022年5月14日
 *   ，医疗队完成援沪工作) carry no figures and are never taken. From 2 on
 *   the hour is unknown (-1).
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

/* Which way from the reference date a date was resolved (tb_date.direction):
 * a bare day, a year-less month-day or a bare weekday has several readings,
 * one each month, year or week; PAST is the nearest not after the
 * reference, FUTURE the nearest not before it. NONE for every other date. */
typedef enum { TB_DIR_NONE = 0, TB_DIR_PAST, TB_DIR_FUTURE } tb_date_dir;

#define TB_DATE_VALUE_MAX 24 /* "XXXX-XX-XXTXX:XX:XX" + NUL fits */

typedef struct {
    uint32_t start, end;           /* code points, end exclusive */
    char value[TB_DATE_VALUE_MAX]; /* ISO 8601; "" when nothing is known */
    uint8_t granularity;           /* tb_date_gran */
    uint8_t part_of_day;           /* tb_date_pod */
    uint8_t relative;              /* anchored on the reference date (a relative word, a
                                      year-less date), whether or not one was known */
    uint8_t range_role;            /* tb_date_range */
    uint8_t end_of_day;            /* written as 24时: value is the next day at T00:00, but
                                      the text speaks of the day before (y/m/d below) */
    uint8_t direction;             /* tb_date_dir */
    uint8_t ambiguous;             /* a numeric day and month (04.10.2022, 5/6/2022) whose order
                                      neither the values nor the text's other numeric dates
                                      settle: read by the separator's custom (tb_date.h) */
    uint8_t open_end;              /* 近日, 最近: range_role END with no start */
    /* The resolved fields behind `value`, -1 where unknown (X in value) or
     * finer than the granularity; for end_of_day the day the text names. */
    int16_t y;
    int8_t m, d, h, mi;
} tb_date;

/* Which evidence gave the reference date (tb_dates.doc_source). */
typedef enum {
    TB_DOCDATE_NONE = 0,  /* no reference: the caller gave none and the text states none */
    TB_DOCDATE_GIVEN,     /* the caller's */
    TB_DOCDATE_DATELINE,  /* a labelled date (日期: 发布时间: 来源… line), a timestamp, a news lede */
    TB_DOCDATE_TITLE,     /* a full date in the title lines */
    TB_DOCDATE_RANGE_END, /* the end of a reporting range (…至2022年6月12日24时, 截至…) */
    TB_DOCDATE_REPORTED,  /* the latest date the text reports figures as of */
    TB_DOCDATE_SIGNATURE  /* a date alone on the last line, after the issuer's (落款) */
} tb_docdate_source;

typedef struct {
    tb_date *v;
    size_t n, cap;
    uint8_t doc_source; /* tb_docdate_source of the reference the dates were resolved against */
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
/* "given", "dateline", "title", "range_end", "reported", "signature"; NULL for TB_DOCDATE_NONE. */
const char *tb_docdate_source_name(int s);
/* NULL for TB_POD_NONE. */
const char *tb_date_pod_name(int p);
/* "past", "future"; NULL for TB_DIR_NONE. */
const char *tb_date_dir_name(int d);

#endif
