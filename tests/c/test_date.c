/* Unit tests of the date scanner (tb_date.h), without Python:
 *   tests/c/build/test_date path/to/lexicon.bin
 * Each case renders the dates found as "surface=value[/gran][@pod][<start|>end]"
 * joined by " | " and compares with the expected string. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_date.h"
#include "core/tb_fold.h"
#include "core/tb_lexicon.h"
#include "core/tb_text.h"
#include "core/tb_utf8.h"

#include "check.h"

static tb_lexicon *lex;
static tb_folder *folder;

/* Append the UTF-8 of code points [a, b) of `text` (UTF-8) to out. */
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

static tb_dateref found;
static int has_found;

/* Scan `text` against `ref` (NULL: none) and render the result. `full`
 * adds granularity, part of day and range roles. */
static const char *scan(const char *text, const tb_dateref *ref, int full) {
    static char out[8192];
    tb_text t = {0};
    tb_dates d = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_text_build(folder, (const uint8_t *)text, strlen(text), &t, &e) != TB_OK ||
        tb_dates_scan(&t, ref, &d, &found, &has_found, &e) != TB_OK) {
        snprintf(out, sizeof out, "ERROR: %s", e.message);
        tb_text_free(&t);
        tb_dates_free(&d);
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; i < d.n && o < sizeof out - 200; i++) {
        if (i) o += (size_t)snprintf(out + o, sizeof out - o, " | ");
        o = put_span(text, d.v[i].start, d.v[i].end, out, o, sizeof out);
        o += (size_t)snprintf(out + o, sizeof out - o, "=%s", d.v[i].value);
        if (full) {
            o += (size_t)snprintf(out + o, sizeof out - o, "/%s", tb_date_gran_name(d.v[i].granularity));
            if (d.v[i].part_of_day) o += (size_t)snprintf(out + o, sizeof out - o, "@%s", tb_date_pod_name(d.v[i].part_of_day));
            if (d.v[i].relative) o += (size_t)snprintf(out + o, sizeof out - o, "~");
            if (d.v[i].range_role) o += (size_t)snprintf(out + o, sizeof out - o, "%s", d.v[i].range_role == TB_RANGE_START ? "<" : ">");
        }
    }
    out[o] = 0;
    tb_text_free(&t);
    tb_dates_free(&d);
    return out;
}

static int expect(const char *text, const tb_dateref *ref, int full, const char *want) {
    const char *got = scan(text, ref, full);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  %s\n    got:  %s\n    want: %s\n", text, got, want);
        return 0;
    }
    return 1;
}

static const tb_dateref R0328 = {2022, 3, 28, -1, -1};
static const tb_dateref R1108 = {2021, 11, 8, -1, -1};
static const tb_dateref R0507 = {2022, 5, 7, -1, -1};
static const tb_dateref R0103 = {2022, 1, 3, -1, -1};

#define E(text, ref, want) CHECK(expect(text, ref, 0, want))
#define F(text, ref, want) CHECK(expect(text, ref, 1, want))

static void test_absolute(void) {
    E("日期:2021-08-12 17:35", &R0328, "2021-08-12 17:35=2021-08-12T17:35");
    F("2022-08-04 10:19:34", &R0328, "2022-08-04 10:19:34=2022-08-04T10:19:34/second");
    E("这是2020年2月10日我市", &R0328, "2020年2月10日=2020-02-10");
    F("二○○一年十二月三十一日", &R0328, "二○○一年十二月三十一日=2001-12-31/day");
    F("二〇二二年", &R0328, "二〇二二年=2022/year");
    E("2022年5月", &R0328, "2022年5月=2022-05");
    F("2005年,牛振西", &R0328, "2005年=2005/year");
    F("2022年5月7日8时30分", NULL, "2022年5月7日8时30分=2022-05-07T08:30/minute");
    F("2022年5月7日8时30分20秒", NULL, "2022年5月7日8时30分20秒=2022-05-07T08:30:20/second");
    E("2022/5/7", NULL, "2022/5/7=2022-05-07");
    E("2022.05.07", NULL, "2022.05.07=2022-05-07");
    E("版本1.2.3.4", NULL, "");
    E("2021年8月12日 17:35发布", &R0328, "2021年8月12日 17:35=2021-08-12T17:35");
    F("2021年度", NULL, "2021年度=2021/year");
}

static void test_yearless(void) {
    F("3月27日,省委召开", &R0328, "3月27日=2022-03-27/day~");
    F("3月27日", NULL, "3月27日=XXXX-03-27/day~");
    F("5月7日8时", &R0507, "5月7日8时=2022-05-07T08:00/hour~");
    E("5月7日8时30分", &R0507, "5月7日8时30分=2022-05-07T08:30");
    F("11月7日上午,省委", &R1108, "11月7日上午=2021-11-07/day@morning~");
    F("3月27日下午,", &R0328, "3月27日下午=2022-03-27/day@afternoon~");
    E("截至5月7日8时, 许昌市", &R0507, "5月7日8时=2022-05-07T08:00");
    F("10月份", &R0328, "10月份=2021-10/month~"); /* > 6 months after the ref: last year */
    F("3月份", &R0328, "3月份=2022-03/month~");
    E("12月20日", &R0103, "12月20日=2021-12-20");
    E("1月2日", &R0103, "1月2日=2022-01-02");
    F("5月7日下午3时", &R0507, "5月7日下午3时=2022-05-07T15:00/hour@afternoon~");
    E("5月7日晚上8点半", &R0507, "5月7日晚上8点半=2022-05-07T20:30");
    F("5月7日8时许", &R0507, "5月7日8时许=2022-05-07T08:00/hour~");
    E("3月10日以后从中高风险地区", &R0328, "3月10日=2022-03-10");
    E("5月7号", &R0507, "5月7号=2022-05-07");
    E("三月二十七日", &R0328, "三月二十七日=2022-03-27");
}

static void test_relative(void) {
    F("今天上午8时,启动", &R0507, "今天上午8时=2022-05-07T08:00/hour@morning~");
    F("昨日下午,市委", &R1108, "昨日下午=2021-11-07/day@afternoon~");
    E("昨天", &R0328, "昨天=2022-03-27");
    E("前天", &R0328, "前天=2022-03-26");
    E("明天", &R0328, "明天=2022-03-29");
    E("明日", &R0328, "明日=2022-03-29");
    E("今日", &R0328, "今日=2022-03-28");
    E("当天", &R0328, "当天=2022-03-28");
    E("当日新增", &R0328, "当日=2022-03-28");
    /* 当日 after a date is that date's day, not the day of writing */
    const tb_dateref r0613 = {2022, 6, 13, -1, -1};
    E("6月12日0—24时,新增5例。当日治愈出院4例", &r0613,
      "6月12日0=2022-06-12T00:00 | 24时=2022-06-13T00:00 | 当日=2022-06-12");
    E("5月3日召开会议,当天下午", &R0507, "5月3日=2022-05-03 | 当天下午=2022-05-03");
    F("今晚", &R0328, "今晚=2022-03-28/day@evening~");
    E("坚决在本月15日前圈住", &R1108, "本月15日=2021-11-15");
    F("本月", &R1108, "本月=2021-11/month~");
    E("上月", &R0103, "上月=2021-12");
    E("下个月", &R1108, "下个月=2021-12");
    F("今年", &R0328, "今年=2022/year~");
    E("去年", &R0328, "去年=2021");
    E("明年", &R0328, "明年=2023");
    F("上周三", &R0328, "上周三=2022-03-23/day~"); /* 2022-03-28 is a Monday */
    E("下周一", &R0328, "下周一=2022-04-04");
    F("本周", &R0328, "本周=2022-W13/week~");
    F("争取月末前", &R0328, "月末=2022-03/month~");
    E("月底", &R0328, "月底=2022-03");
    E("年底前", &R0328, "年底=2022-12");
    E("2021年底", &R0328, "2021年底=2021-12");
    E("2021年初", &R0328, "2021年初=2021-01");
    F("2021年上半年", &R0328, "2021年上半年=2021/half_year");
    F("2022年春季", &R0328, "2022年春季=2022/season");
    F("2022年第一季度", &R0328, "2022年第一季度=2022/quarter");
    F("3月中旬", &R0328, "3月中旬=2022-03/month~");
    E("3月中,", &R0328, "3月中=2022-03");
    E("3月中国家卫健委", &R0328, "3月=2022-03");
    E("3月初步建成", &R0328, "3月=2022-03");
    E("5月初", &R0328, "5月初=2022-05");
    E("2021年2月,市卫健委……并于当年10月份上线运行", &R0328, "2021年2月=2021-02 | 当年10月份=2021-10");
    E("当年10月份", &R0328, "当年10月份=2022-10");
    E("7日上午,市委常委会", &R1108, "7日上午=2021-11-07");
    F("上午8时", &R0507, "上午8时=2022-05-07T08:00/hour@morning~");
    E("截至8时", &R0507, "8时=2022-05-07T08:00");
    F("晚8时", &R0507, "晚8时=2022-05-07T20:00/hour@evening~");
    E("5月7日晚8点", &R0507, "5月7日晚8点=2022-05-07T20:00");
    E("5月7日早些时候", &R0507, "5月7日=2022-05-07");
    E("晚些时候", &R0507, "");
    F("20时30分", &R0507, "20时30分=2022-05-07T20:30/minute~");
    E("8点半", &R0507, "");
    F("昨天", NULL, "昨天=XXXX-XX-XX/day~");
    F("上午8时", NULL, "上午8时=XXXX-XX-XXT08:00/hour@morning~");
    E("7日上午", NULL, "7日上午=XXXX-XX-07");
    E("目前天气", &R0328, "");
    E("以下月份", &R0328, "");
    E("全年", &R0328, "全年=2022");
    F("切实做好清明节防控工作", &R0328, "清明节=2022-04-05/day~");
    E("2021年清明节", NULL, "2021年清明节=2021-04-04");
    E("2019年清明节", NULL, "2019年清明节=2019-04-05");
    E("清明节", NULL, "");
    E("国庆节期间", &R0328, "国庆节=2021-10-01"); /* 178 days back beats 187 ahead */
    E("国庆节", NULL, "国庆节=XXXX-10-01");
    E("今年五一劳动节", &R0328, "今年五一劳动节=2022-05-01");
    E("元旦", &R1108, "元旦=2022-01-01"); /* the nearest one */
    E("国庆节", &R1108, "国庆节=2021-10-01");
    E("政治清明", &R0328, "");
    /* lunar holidays: ICU's Chinese calendar, generated into tb_lunar_table.h */
    F("2022年春节", NULL, "2022年春节=2022-02-01/day");
    F("春节期间", &R0328, "春节=2022-02-01/day~");
    E("春节", &R1108, "春节=2022-02-01");   /* the coming one is nearer */
    E("除夕", &R0103, "除夕=2022-01-31");
    E("2021年中秋节", NULL, "2021年中秋节=2021-09-21");
    E("端午假期", &R0507, "端午=2022-06-03");
    E("元宵节", &R0328, "元宵节=2022-02-15");
    E("春节", NULL, "");          /* no year, no day */
    E("3050年春节", &R0328, "");  /* after an unreadable year: not this year's */
    E("1900年春节", NULL, "");    /* outside the table */
    E("吃元宵", &R0328, "");
    /* 次日 / 翌日 */
    E("5月1日到郑州,次日返回", &R0507, "5月1日=2022-05-01 | 次日=2022-05-02");
    E("8月3日0—24时新增3例,次日", &R0328, "8月3日0=2022-08-03T00:00 | 24时=2022-08-04T00:00 | 次日=2022-08-04");
    E("翌日上午8时", &R0507, "翌日上午8时=2022-05-08T08:00");
    E("每次日均检测3万管", &R0507, "");   /* 次 closing a count, not 次日 */
    E("本次日报告", &R0507, "");
    E("于次日凌晨", &R0507, "次日凌晨=2022-05-08");
}

static void test_ranges(void) {
    F("3月27日至4月2日", &R0328, "3月27日=2022-03-27/day~< | 4月2日=2022-04-02/day~>");
    F("3月27日至30日", &R0328, "3月27日=2022-03-27/day~< | 30日=2022-03-30/day~>");
    F("2020年1月21日至2022年8月3日24时", &R0328,
      "2020年1月21日=2020-01-21/day< | 2022年8月3日24时=2022-08-04T00:00/hour>");
    F("8月3日0—24时", &R0328, "8月3日0=2022-08-03T00:00/hour~< | 24时=2022-08-04T00:00/hour~>");
    F("2022年8月3日0-24时", NULL, "2022年8月3日0=2022-08-03T00:00/hour< | 24时=2022-08-04T00:00/hour>");
    E("3月27日—4月2日", &R0328, "3月27日=2022-03-27 | 4月2日=2022-04-02");
    E("3月27日-30日", &R0328, "3月27日=2022-03-27 | 30日=2022-03-30");
    E("3月27日到30日", &R0328, "3月27日=2022-03-27 | 30日=2022-03-30");
    F("2021年2月至5月", NULL, "2021年2月=2021-02/month< | 5月=2021-05/month>");
    F("3月27日至30日", NULL, "3月27日=XXXX-03-27/day~< | 30日=XXXX-03-30/day~>");
    E("12月31日24时", NULL, "12月31日24时=XXXX-01-01T00:00");
    E("2月28日24时", NULL, "2月28日24时=XXXX-02-28");
    E("2020年2月28日24时", NULL, "2020年2月28日24时=2020-02-29T00:00");
    E("2022年12月31日24时", NULL, "2022年12月31日24时=2023-01-01T00:00");
    F("3月27日至今", &R0328, "3月27日=2022-03-27/day~< | 今=2022-03-28/day~>");   /* until the reference day */
    E("2020-2022年", &R0328, "2020=2020 | 2022年=2022");   /* one 年 for both years */
    E("2020至2022年", NULL, "2020=2020 | 2022年=2022");
    E("12月28日至1月3日", &R0103, "12月28日=2021-12-28 | 1月3日=2022-01-03");
    E("3月30日至2日", &R0328, "3月30日=2022-03-30 | 2日=2022-04-02");
    E("12月30日至2日", NULL, "12月30日=XXXX-12-30 | 2日=XXXX-01-02");
    E("2021年12月30日至2日", NULL, "2021年12月30日=2021-12-30 | 2日=2022-01-02");
    E("上午8时至10时", &R0507, "上午8时=2022-05-07T08:00 | 10时=2022-05-07T10:00");
    E("5月7日22时至6时", &R0507, "5月7日22时=2022-05-07T22:00 | 6时=2022-05-08T06:00");
    E("5月7日晚上10时至8时", &R0507, "5月7日晚上10时=2022-05-07T22:00 | 8时=2022-05-08T08:00");
}

static void test_not_dates(void) {
    E("24小时", &R0328, "");
    E("3天", &R0328, "");
    E("14天", &R0328, "");
    E("3个月", &R0328, "");
    E("第3天", &R0328, "");
    E("3年来,市卫健委", &R0328, "");
    E("经过16年的发展", &R0328, "");
    E("连续两年", &R0328, "");
    E("65岁", &R0328, "");
    E("年轻人年龄", &R0328, "");
    E("及时、同时、时间、实时、随时、临时", &R0328, "");
    E("8时", &R0328, "");
    E("八点建议", &R0328, "");
    E("隔离14日内", &R0328, "");
    E("第一时间", &R0328, "");
    E("2月30日", &R0328, "");
    E("2021年2月29日", &R0328, "");
    E("13月", &R0328, "");
    E("3月32日", &R0328, "");
    E("25时", &R0328, "");
    E("5月7日8时70分", &R0328, ""); /* nonsense time: no value at all */
    E("2.2万剂次", &R0328, "");
    E("N95口罩", &R0328, "");
    E("COVID-19", &R0328, "");
    E("COVID-19 3月27日", &R0328, "3月27日=2022-03-27");
    E("电话0371-12345678", &R0328, "");
    E("2020年至2022年", NULL, "2020年=2020 | 2022年=2022");
    E("10000年", &R0328, "");
    E("近3月", &R0328, "");
    E("3月龄", &R0328, "");
    E("2009 - 2020", &R0328, "");
    E("共118,406人", &R0328, "");
    E("7号楼", &R0328, "");
}

static void test_folded(void) {
    E("２０２２年３月２７日", NULL, "２０２２年３月２７日=2022-03-27");
    E("鄭州市3月27日", &R0328, "3月27日=2022-03-27");
    E("昨日下午", &R1108, "昨日下午=2021-11-07");
    E("2021－08－12", NULL, "2021－08－12=2021-08-12");
}

static void test_found_ref(void) {
    has_found = 0;
    E("  • 日期:2021-08-12 17:35\n  8月10日,省纪委举办", NULL,
      "2021-08-12 17:35=2021-08-12T17:35 | 8月10日=2021-08-10");
    CHECK(has_found && found.year == 2021 && found.month == 8 && found.day == 12 && found.hour == 17 &&
          found.minute == 35);
    E("本报讯 2022年3月27日,省委召开……昨日下午", NULL, "2022年3月27日=2022-03-27 | 昨日下午=2022-03-26");
    CHECK(has_found && found.year == 2022 && found.month == 3 && found.day == 27 && found.hour == -1);
    E("这是2020年2月10日我市首例", NULL, "2020年2月10日=2020-02-10");
    CHECK(!has_found);
    E("3月27日,省委召开", NULL, "3月27日=XXXX-03-27");
    CHECK(!has_found);
    /* a labelled date wins over an earlier lede */
    E("2022年3月1日,会议\n发布时间：2022年3月2日", NULL, "2022年3月1日=2022-03-01 | 2022年3月2日=2022-03-02");
    CHECK(has_found && found.day == 2);
    E("2022年6月12日0—24时，河南省新增……截至昨日", NULL,
      "2022年6月12日0=2022-06-12T00:00 | 24时=2022-06-13T00:00 | 昨日=2022-06-11");
    CHECK(has_found && found.year == 2022 && found.month == 6 && found.day == 12 && found.hour == -1);
    E("每天上午9时至11时开放", &R0328, "");
    /* a given ref is never replaced */
    E("日期:2022-08-12 8月10日", &R1108, "2022-08-12=2022-08-12 | 8月10日=2021-08-10");
}

static void test_bad_ref(void) {
    tb_text t = {0};
    tb_dates d = {0};
    tb_error e = {0};
    const tb_dateref bad = {2022, 13, 45, -1, -1};
    CHECK(tb_text_build(folder, (const uint8_t *)"3月27日", 9, &t, &e) == TB_OK);
    CHECK(tb_dates_scan(&t, &bad, &d, NULL, NULL, &e) == TB_EINVAL);
    const tb_dateref feb = {2021, 2, 29, -1, -1};
    CHECK(tb_dates_scan(&t, &feb, &d, NULL, NULL, &e) == TB_EINVAL);
    const tb_dateref hour = {2021, 2, 28, 24, -1};
    CHECK(tb_dates_scan(&t, &hour, &d, NULL, NULL, &e) == TB_EINVAL);
    tb_text_free(&t);
    tb_dates_free(&d);
}

/* Hostile input: long digit and numeral runs stay linear and find nothing wrong. */
static void test_hostile(void) {
    size_t n = 200000;
    char *s = malloc(n * 3 + 64);
    CHECK(s != NULL);
    if (!s) return;
    memset(s, '9', n);
    strcpy(s + n, "年3月27日");
    E(s, &R0328, "3月27日=2022-03-27");
    size_t o = 0;
    for (size_t i = 0; i < n / 2; i++) {
        memcpy(s + o, i % 2 ? "日" : "1", i % 2 ? 3 : 1);
        o += i % 2 ? 3 : 1;
    }
    s[o] = 0;
    const char *r = scan(s, &R0328, 0);
    CHECK(strncmp(r, "ERROR", 5) != 0);
    o = 0;
    for (size_t i = 0; i < n / 3; i++) {
        memcpy(s + o, "十", 3);
        o += 3;
    }
    strcpy(s + o, "月");
    E(s, &R0328, "");
    free(s);
    const tb_dateref far = {9999, 12, 31, -1, -1};
    E("明天", &far, ""); /* year 10000 is out of range: dropped, not wrong */
    const tb_dateref first = {1, 1, 1, -1, -1};
    E("去年", &first, "");
}

/* The resolved fields behind each value: "y-m-d h:mi" with -1 unknown, and
 * '*' for end_of_day (24时 names the day before its value). */
static const char *fields(const char *text, const tb_dateref *ref) {
    static char out[1024];
    tb_text t = {0};
    tb_dates d = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_text_build(folder, (const uint8_t *)text, strlen(text), &t, &e) == TB_OK &&
        tb_dates_scan(&t, ref, &d, NULL, NULL, &e) == TB_OK) {
        size_t o = 0;
        for (size_t i = 0; i < d.n && o < sizeof out - 64; i++)
            o += (size_t)snprintf(out + o, sizeof out - o, "%s%d-%d-%d %d:%d%s", i ? " | " : "", d.v[i].y,
                                  d.v[i].m, d.v[i].d, d.v[i].h, d.v[i].mi, d.v[i].end_of_day ? "*" : "");
    }
    tb_text_free(&t);
    tb_dates_free(&d);
    return out;
}

static void test_fields(void) {
    CHECK(strcmp(fields("6月12日0—24时", &R0328), "2022-6-12 0:0 | 2022-6-12 -1:-1*") == 0);
    CHECK(strcmp(fields("2020年1月21日至2022年6月12日24时", NULL), "2020-1-21 -1:-1 | 2022-6-12 -1:-1*") == 0);
    CHECK(strcmp(fields("12月31日24时", NULL), "-1-12-31 -1:-1*") == 0);
    CHECK(strcmp(fields("截至10月21日18时", NULL), "-1-10-21 18:0") == 0);
    CHECK(strcmp(fields("2020年2月", NULL), "2020-2--1 -1:-1") == 0);
    CHECK(strcmp(fields("今天上午8时30分", &R0507), "2022-5-7 8:30") == 0);
    CHECK(strcmp(fields("2022年", NULL), "2022--1--1 -1:-1") == 0);
}

int main(int argc, char **argv) {
    open_test_lexicon(argc, argv, "lexicon.bin", &lex, &folder);
    test_absolute();
    test_yearless();
    test_relative();
    test_ranges();
    test_not_dates();
    test_folded();
    test_found_ref();
    test_bad_ref();
    test_hostile();
    test_fields();
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
