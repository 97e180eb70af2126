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
static int doc_source; /* tb_dates.doc_source of the last scan */

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
    doc_source = d.doc_source;
    size_t o = 0;
    for (size_t i = 0; i < d.n && o < sizeof out - 200; i++) {
        if (i) o += (size_t)snprintf(out + o, sizeof out - o, " | ");
        o = put_span(text, d.v[i].start, d.v[i].end, out, o, sizeof out);
        o += (size_t)snprintf(out + o, sizeof out - o, "=%s", d.v[i].value);
        if (full == 2) {
            /* direction and ambiguity: /past /future, ? when the order is a guess */
            const char *dir = tb_date_dir_name(d.v[i].direction);
            if (dir) o += (size_t)snprintf(out + o, sizeof out - o, "/%s", dir);
            if (d.v[i].ambiguous) o += (size_t)snprintf(out + o, sizeof out - o, "?");
            if (d.v[i].open_end) o += (size_t)snprintf(out + o, sizeof out - o, ">");
        } else if (full) {
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
static const tb_dateref R0813 = {2022, 8, 13, -1, -1};
static const tb_dateref R0405 = {2022, 4, 5, -1, -1};
static const tb_dateref R1005 = {2022, 10, 5, -1, -1}; /* a Wednesday */

#define E(text, ref, want) CHECK(expect(text, ref, 0, want))
#define F(text, ref, want) CHECK(expect(text, ref, 1, want))
#define D(text, ref, want) CHECK(expect(text, ref, 2, want))

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
    E("8月3日0—24时新增3例,次日", &R0813, "8月3日0=2022-08-03T00:00 | 24时=2022-08-04T00:00 | 次日=2022-08-04");
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
    F("8月3日0—24时", &R0813, "8月3日0=2022-08-03T00:00/hour~< | 24时=2022-08-04T00:00/hour~>");
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
    E("3月30日至2日", &R0405, "3月30日=2022-03-30 | 2日=2022-04-02");
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
    /* Convention changed by issue 16: a range is never a lede and its start
     * never the document's date; a reporting range gives its end, 24时 of
     * the 12th being the 13th (as shared/corpus/synthetic/ref_dates.json
     * dates such reports). 昨日 is then the 12th (it was the 11th). */
    E("2022年6月12日0—24时，河南省新增……截至昨日", NULL,
      "2022年6月12日0=2022-06-12T00:00 | 24时=2022-06-13T00:00 | 昨日=2022-06-12");
    CHECK(has_found && found.year == 2022 && found.month == 6 && found.day == 13 && found.hour == -1);
    E("每天上午9时至11时开放", &R0328, "");
    /* a given ref is never replaced */
    E("日期:2022-08-12 8月10日", &R1108, "2022-08-12=2022-08-12 | 8月10日=2021-08-10");
}

/* The document's date by evidence (issue 16), and the source that won. */
static int found_is(int y, int m, int d, int src) {
    int ok = has_found == (src != TB_DOCDATE_NONE && src != TB_DOCDATE_GIVEN) && doc_source == src &&
             (!has_found || (found.year == y && found.month == m && found.day == d));
    if (!ok)
        fprintf(stderr, "  found %d %d-%d-%d source %s, want %d-%d-%d source %s\n", has_found, found.year,
                found.month, found.day, tb_docdate_source_name(doc_source), y, m, d, tb_docdate_source_name(src));
    return ok;
}
#define FOUND(y, m, d, src) CHECK(found_is(y, m, d, src))

static void test_docdate(void) {
    /* a dateline: a label, a publication line */
    E("日期：2021-08-12 17:35\n8月10日，省纪委举办会议。", NULL,
      "2021-08-12 17:35=2021-08-12T17:35 | 8月10日=2021-08-10");
    FOUND(2021, 8, 12, TB_DOCDATE_DATELINE);
    E("发布时间：2022年8月4日\n8月3日0—24时，全省新增本土确诊病例3例。", NULL,
      "2022年8月4日=2022-08-04 | 8月3日0=2022-08-03T00:00 | 24时=2022-08-04T00:00");
    FOUND(2022, 8, 4, TB_DOCDATE_DATELINE);
    E("来源：河南日报  2022年8月4日 10:19\n8月3日，全省新增3例。", NULL,
      "2022年8月4日 10:19=2022-08-04T10:19 | 8月3日=2022-08-03");
    FOUND(2022, 8, 4, TB_DOCDATE_DATELINE);
    E("來源：河南日報 2022年8月4日\n8月3日，全省新增3例。", NULL, "2022年8月4日=2022-08-04 | 8月3日=2022-08-03");
    FOUND(2022, 8, 4, TB_DOCDATE_DATELINE);
    /* the title's date */
    E("2022年8月4日河南省新冠肺炎疫情情况\n\n8月3日0—24时，全省新增本土确诊病例3例。昨日……", NULL,
      "2022年8月4日=2022-08-04 | 8月3日0=2022-08-03T00:00 | 24时=2022-08-04T00:00 | 昨日=2022-08-03");
    FOUND(2022, 8, 4, TB_DOCDATE_TITLE);
    E("郑州市疫情防控通告\n（2022年10月4日）\n10月5日起，全市开展核酸检测。", NULL,
      "2022年10月4日=2022-10-04 | 10月5日=2022-10-05");
    FOUND(2022, 10, 4, TB_DOCDATE_TITLE);
    E("这是2020年2月10日我市首例", NULL, "2020年2月10日=2020-02-10"); /* no body: not a title */
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    /* the end of a reporting range, never its start (2020年1月21日) */
    E("河南省卫生健康委员会关于新型冠状病毒肺炎疫情的通报\n6月12日0—24时，全省新增本土确诊病例5例。当日治愈出院4例。\n"
      "2020年1月21日至2022年6月12日24时，全省累计报告确诊病例2977例。",
      NULL,
      "6月12日0=2022-06-12T00:00 | 24时=2022-06-13T00:00 | 当日=2022-06-12 | 2020年1月21日=2020-01-21 | "
      "2022年6月12日24时=2022-06-13T00:00");
    FOUND(2022, 6, 13, TB_DOCDATE_RANGE_END);
    E("11月8日0—24時，全省新增本土確診病例2例。\n2020年1月21日至2021年11月8日24時，全省累計報告確診病例1586例。", NULL,
      "11月8日0=2021-11-08T00:00 | 24時=2021-11-09T00:00 | 2020年1月21日=2020-01-21 | "
      "2021年11月8日24時=2021-11-09T00:00");
    FOUND(2021, 11, 9, TB_DOCDATE_RANGE_END);
    E("截至2022年5月7日8时，许昌市本轮疫情累计报告本土确诊病例43例。5月6日，……", NULL,
      "2022年5月7日8时=2022-05-07T08:00 | 5月6日=2022-05-06");
    FOUND(2022, 5, 7, TB_DOCDATE_RANGE_END);
    E("2022年8月3日0—24时，全省新增本土确诊病例3例。", NULL,
      "2022年8月3日0=2022-08-03T00:00 | 24时=2022-08-04T00:00");
    FOUND(2022, 8, 4, TB_DOCDATE_RANGE_END);
    /* a range with no figures after it is not a reporting range */
    E("会议回顾：2020年1月25日至2020年2月28日，全省实行一级响应。3月1日，", NULL,
      "2020年1月25日=2020-01-25 | 2020年2月28日=2020-02-28 | 3月1日=2020-03-01");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    /* the latest full date reported with figures */
    E("据通报，2022年4月1日全省新增本土确诊病例3例，2022年4月2日全省新增5例。3月30日……", NULL,
      "2022年4月1日=2022-04-01 | 2022年4月2日=2022-04-02 | 3月30日=2022-03-30");
    FOUND(2022, 4, 2, TB_DOCDATE_REPORTED);
    E("自2020年1月21日以来，全省累计报告确诊病例2977例。6月12日，……", NULL,
      "2020年1月21日=2020-01-21 | 6月12日=XXXX-06-12"); /* a span into the past: no date, no year */
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    /* a retrospective full of past dates: none is the document's; years by context */
    E("回顾。\n这是2020年2月10日我市首例确诊患者写的信。2022年5月14日，医疗队完成援沪工作。2020年2月，寄料镇发现1例"
      "确诊病例；2022年4月，援建上海确诊病例返汝。年底前，……",
      NULL,
      "2020年2月10日=2020-02-10 | 2022年5月14日=2022-05-14 | 2020年2月=2020-02 | 2022年4月=2022-04 | 年底=2022-12");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    /* a bulletin with no date anywhere */
    E("全省新增本土确诊病例3例。昨日……", NULL, "昨日=XXXX-XX-XX");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    E("3月27日", &R0328, "3月27日=2022-03-27");
    FOUND(2022, 3, 27, TB_DOCDATE_GIVEN); /* found is untouched with a given ref: only the source counts */
}


/* Direction by genre (issue 17): a bare day, a year-less month-day or a bare
 * weekday is the nearest not after the reference in a report, the nearest
 * not before it where the text announces. R1005 is Wednesday 2022-10-05. */
static void test_direction(void) {
    D("29日0—24时，全省新增本土确诊病例3例", &R1005, "29日0=2022-09-29T00:00/past | 24时=2022-09-30T00:00/past");
    D("29日0—24時，全省新增本土確診病例3例", &R1005, "29日0=2022-09-29T00:00/past | 24時=2022-09-30T00:00/past");
    D("12号起停课", &R1005, "12号=2022-10-12/future");
    D("12號起停課", &R1005, "12號=2022-10-12/future");
    D("本市15日起恢复堂食", &R1005, "15日=2022-10-15/future");
    D("将于12日召开", &R1005, "12日=2022-10-12/future");
    D("將於12日召開", &R1005, "12日=2022-10-12/future");
    D("拟于11月1日实施", &R1005, "11月1日=2022-11-01/future");
    D("定於11月1日實施", &R1005, "11月1日=2022-11-01/future");
    D("3日将召开总结会", &R1005, "3日=2022-11-03/future");        /* the next 3rd */
    D("10月20日前完成全员接种", &R1005, "10月20日=2022-10-20/future"); /* a deadline */
    D("届时10月8日开放", &R1005, "10月8日=2022-10-08/future");
    /* reports look back: a later month-day is last year's, a later day last month's */
    D("8日，全省新增本土确诊病例2例", &R1005, "8日=2022-09-08/past");
    D("31日，全省新增2例", &R1005, "31日=2022-08-31/past");     /* September has no 31st */
    D("11月1日，全省新增2例", &R1005, "11月1日=2021-11-01/past");
    D("10月3日全省新增", &R1005, "10月3日=2022-10-03/past");
    D("5日，全省新增", &R1005, "5日=2022-10-05/past");         /* the day itself is not after it */
    /* a past marker wins over 起 */
    D("自10月1日起已实施", &R1005, "10月1日=2022-10-01/past");
    D("已于12日起停课", &R1005, "12日=2022-09-12/past");
    /* dates the text fixes need no direction */
    D("2022年10月12日起停课", &R1005, "2022年10月12日=2022-10-12");
    D("昨日下午", &R1005, "昨日下午=2022-10-04");
    /* no reference: nothing to go by */
    D("12号起停课", NULL, "12号=XXXX-XX-12");
    /* a start up to six months back has begun; a lone day has no such grace */
    D("10月1日起，全市实行", &R1005, "10月1日=2022-10-01/past");
    D("1号起停课", &R1005, "1号=2022-11-01/future");
    D("8月1日起施行", &R1005, "8月1日=2022-08-01/past");
    D("1月5日起施行", &R1005, "1月5日=2023-01-05/future");
    D("4月1日起施行", &R1005, "4月1日=2023-04-01/future");
    /* a lone day opening a report's clause; not a duration */
    D("29日全省新增本土确诊病例3例", &R1005, "29日=2022-09-29/past");
    D("14日集中隔离", &R1005, "");
    D("实行14日居家健康监测", &R1005, "");
    /* a range end follows its start */
    D("12日至14日将举行", &R1005, "12日=2022-10-12/future | 14日=2022-10-14/future");
}

/* Everyday forms (issue 17), simplified and traditional. */
static void test_everyday_forms(void) {
    /* 号 as 日 */
    E("10月12号", &R1108, "10月12号=2021-10-12");
    E("10月12號上午", &R1108, "10月12號上午=2021-10-12");
    E("3号，全市开展检测", &R1005, "3号=2022-10-03");
    E("3号楼", &R1005, "");
    E("地铁1号线", &R1005, "");
    E("通告（第12号）", &R1005, "");
    /* weekdays: weeks start on Monday; a bare one is the nearest in the direction */
    D("周三召开会议", &R1005, "周三=2022-10-05/past");
    D("周一，全省新增", &R1005, "周一=2022-10-03/past");
    D("周五，全省新增", &R1005, "周五=2022-09-30/past");
    D("周五将召开会议", &R1005, "周五=2022-10-07/future");
    D("星期一起停课", &R1005, "星期一=2022-10-10/future");
    D("星期天", &R1005, "星期天=2022-10-02/past");
    D("星期日", &R1005, "星期日=2022-10-02/past");
    D("礼拜六", &R1005, "礼拜六=2022-10-01/past");
    D("礼拜天", &R1005, "礼拜天=2022-10-02/past");
    D("禮拜天", &R1005, "禮拜天=2022-10-02/past");
    D("週三", &R1005, "週三=2022-10-05/past");
    E("本周日", &R1005, "本周日=2022-10-09");
    E("这周五", &R1005, "这周五=2022-10-07");
    E("這週五", &R1005, "這週五=2022-10-07");
    E("这个周三", &R1005, "这个周三=2022-10-05");
    E("上周三", &R1005, "上周三=2022-09-28");
    E("上个星期五", &R1005, "上个星期五=2022-09-30");
    E("上上周三", &R1005, "上上周三=2022-09-21");
    E("上上个周三", &R1005, "上上个周三=2022-09-21");
    E("上上個週三", &R1005, "上上個週三=2022-09-21");
    E("下周一", &R1005, "下周一=2022-10-10");
    E("下週一", &R1005, "下週一=2022-10-10");
    E("下个礼拜二", &R1005, "下个礼拜二=2022-10-11");
    E("下下周五", &R1005, "下下周五=2022-10-21");
    E("下下個星期日", &R1005, "下下個星期日=2022-10-23");
    F("下个礼拜", &R1005, "下个礼拜=2022-W41/week~");
    F("上周", &R1005, "上周=2022-W39/week~");
    E("周一至周五", &R1005, "周一=2022-10-03 | 周五=2022-10-07");
    E("2022年10月5日（星期三）", NULL, "2022年10月5日=2022-10-05"); /* names the date before it */
    E("2022年10月5日星期三", NULL, "2022年10月5日星期三=2022-10-05");
    E("每周三次", &R1005, "");
    E("一周三次", &R1005, "");
    E("两个周三", &R1005, "");
    E("周口市", &R1005, "");
    E("周年纪念", &R1005, "");
    E("做礼拜", &R1005, "");
    E("星期一二", &R1005, "");
    /* days around the reference */
    E("大前天", &R1005, "大前天=2022-10-02");
    E("前天", &R1005, "前天=2022-10-03");
    E("后天", &R1005, "后天=2022-10-07");
    E("後天", &R1005, "後天=2022-10-07");
    E("大后天", &R1005, "大后天=2022-10-08");
    E("大後天", &R1005, "大後天=2022-10-08");
    /* 近日 and 最近: an open range ending on the reference day */
    F("近日，我市开展检测", &R1005, "近日=2022-10-05/day~>");
    D("近日，我市开展检测", &R1005, "近日=2022-10-05>");
    F("最近，我市开展检测", &R1005, "最近=2022-10-05/day~>");
    E("近日", NULL, "近日=XXXX-XX-XX");
    E("离家最近的医院", &R1005, "");
    E("最近一周", &R1005, "");
    /* Chinese-numeral days without 日 */
    E("八月十五", &R1005, "八月十五=2022-08-15");
    E("八月十五晚上", &R1005, "八月十五晚上=2022-08-15");
    E("2021年八月十五，", NULL, "2021年八月十五=2021-08-15");
    E("3月15，全省", &R1005, "3月15=2022-03-15");
    E("十月初", &R1005, "十月初=2022-10");
    E("十月初一", &R1005, "");       /* a lunar day: not read */
    E("3月15例", &R1005, "3月=2022-03");
    E("八月十五个", &R1005, "");
    /* years in words */
    E("两千零四年", NULL, "两千零四年=2004");
    E("兩千零四年", NULL, "兩千零四年=2004");
    E("二千零二十二年三月", NULL, "二千零二十二年三月=2022-03");
    E("一千九百八十九年", NULL, "一千九百八十九年=1989");
    E("二〇二二年", NULL, "二〇二二年=2022");
    E("二零零四年", NULL, "二零零四年=2004");
    E("二零零四年五月四日", NULL, "二零零四年五月四日=2004-05-04");
    E("两千多年", NULL, "");
    /* two-digit years before a month, 元月, the old tens 廿 and 卅 */
    E("89年5月5日", NULL, "89年5月5日=1989-05-05");
    E("05年3月", NULL, "05年3月=2005-03");
    E("89年", NULL, "");                 /* alone: a duration */
    E("工作12年3个月", NULL, "");
    E("元月5日", &R1005, "元月5日=2022-01-05");
    E("十月廿五日", &R1108, "十月廿五日=2021-10-25");
    E("十二月卅一日", NULL, "十二月卅一日=XXXX-12-31");
    E("2022.10.4-2022.10.6", NULL, "2022.10.4=2022-10-04 | 2022.10.6=2022-10-06");
    /* impossible dates are not dates */
    E("2月30日", &R1005, "");
    E("2019年2月29日", NULL, "");
    E("2020年2月29日", NULL, "2020年2月29日=2020-02-29");
    E("4月31日", &R1005, "");
    E("31.4.2022", NULL, "");
}

/* Numeric forms (issue 17): separators . / - and spaces; day-first or
 * month-first by the values, then by the text's other numeric dates, then
 * by the separator's custom (marked ambiguous). */
static void test_numeric(void) {
    D("2022.10.04", NULL, "2022.10.04=2022-10-04");
    D("2022/10/4", NULL, "2022/10/4=2022-10-04");
    D("2022-10-04", NULL, "2022-10-04=2022-10-04");
    D("2010 01 29", NULL, "2010 01 29=2010-01-29");
    D("2010 01 29 10:30", NULL, "2010 01 29 10:30=2010-01-29T10:30");
    D("04.10.2022 08:50", NULL, "04.10.2022 08:50=2022-10-04T08:50?");
    D("13.5.2015", NULL, "13.5.2015=2015-05-13");
    D("5.13.2015", NULL, "5.13.2015=2015-05-13");
    D("13/5/2015", NULL, "13/5/2015=2015-05-13");
    D("05/05/89", NULL, "05/05/89=1989-05-05");
    D("12/31/99", NULL, "12/31/99=1999-12-31");
    D("01/02/03", NULL, "01/02/03=2003-01-02?");
    D("5/6/2022", NULL, "5/6/2022=2022-05-06?");
    D("5-6-2022", NULL, "5-6-2022=2022-06-05?");
    /* the text's other dates settle the order */
    D("13.5.2015至04.10.2015", NULL, "13.5.2015=2015-05-13 | 04.10.2015=2015-10-04");
    D("5/6/2022和13/6/2022", NULL, "5/6/2022=2022-06-05 | 13/6/2022=2022-06-13");
    D("6/13/2022和5/6/2022", NULL, "6/13/2022=2022-06-13 | 5/6/2022=2022-05-06");
    /* a year-less month/day only where a date is expected */
    D("于10/4发布", &R1005, "10/4=2022-10-04/past");
    D("截至10/4 18:00", &R1005, "10/4 18:00=2022-10-04T18:00/past");
    D("10/4 08:00", &R1005, "10/4 08:00=2022-10-04T08:00/past");
    E("日期：04.10.2022 08:50\n3日，全省新增3例。", NULL, "04.10.2022 08:50=2022-10-04T08:50 | 3日=2022-10-03");
    FOUND(2022, 10, 4, TB_DOCDATE_DATELINE);
    /* quantities, versions, codes and scores are not dates */
    E("比分10/4", &R1005, "");
    E("以10/4的比分获胜", &R1005, "");
    E("1/2的人", &R1005, "");
    E("增长3.5%", &R1005, "");
    E("版本1.2.3", &R1005, "");
    E("Python 3.10.15", &R1005, "");
    E("IP 192.168.1.1", &R1005, "");
    E("V1.2.2022", &R1005, "");
    E("电话0371-65961234", &R1005, "");
    E("0371 6596 1234", &R1005, "");
    E("2022 10 05 12", &R1005, "");
    E("24/7", &R1005, "");
    E("7/24小时", &R1005, "");
    E("2.5/3.5", &R1005, "");
    E("32.13.2022", NULL, "");
}

/* The document's date from its signature and from years carried by context
 * (issue 16 leftovers). */
static void test_docdate_more(void) {
    E("关于进一步做好疫情防控工作的通告\n\n全市各单位要严格落实各项防控措施，12号起停课。\n\n"
      "郑州市新冠肺炎疫情防控指挥部\n2021年7月31日\n",
      NULL, "12号=2021-08-12 | 2021年7月31日=2021-07-31");
    FOUND(2021, 7, 31, TB_DOCDATE_SIGNATURE);
    E("關於進一步做好疫情防控工作的通告\n\n全市各單位要嚴格落實各項防控措施，12號起停課。\n\n"
      "鄭州市新冠肺炎疫情防控指揮部\n二〇二一年七月三十一日",
      NULL, "12號=2021-08-12 | 二〇二一年七月三十一日=2021-07-31");
    FOUND(2021, 7, 31, TB_DOCDATE_SIGNATURE);
    /* a title date wins over the signature */
    E("2021年7月30日郑州市疫情通告\n\n全市落实防控措施。\n\n郑州市指挥部\n2021年7月31日", NULL,
      "2021年7月30日=2021-07-30 | 2021年7月31日=2021-07-31");
    FOUND(2021, 7, 30, TB_DOCDATE_TITLE);
    /* not a signature: text after the date, or a sentence before it */
    E("全市落实防控措施。\n\n郑州市指挥部\n2021年7月31日\n附件：名单", NULL, "2021年7月31日=2021-07-31");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    E("全市落实防控措施。\n会议于\n2021年7月31日", NULL, "2021年7月31日=2021-07-31");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    E("全市落实防控措施，要求如下。\n2021年7月31日", NULL, "2021年7月31日=2021-07-31");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
    /* reported dates whose year the context carries */
    E("2022年4月，全省疫情形势严峻。5月3日0—24时，全省新增本土确诊病例3例。5月4日，全省新增2例。", NULL,
      "2022年4月=2022-04 | 5月3日0=2022-05-03T00:00 | 24时=2022-05-04T00:00 | 5月4日=2022-05-04");
    FOUND(2022, 5, 4, TB_DOCDATE_REPORTED);
    E("2022年4月，全省疫情形勢嚴峻。5月3日，全省新增本土確診病例3例。昨日……", NULL,
      "2022年4月=2022-04 | 5月3日=2022-05-03 | 昨日=2022-05-02");
    FOUND(2022, 5, 3, TB_DOCDATE_REPORTED);
    /* no year anywhere: nothing found, nothing guessed */
    E("5月3日，全省新增本土确诊病例3例。", NULL, "5月3日=XXXX-05-03");
    FOUND(0, 0, 0, TB_DOCDATE_NONE);
}

/* Years carried by context (issue 16): the nearest preceding year-bearing
 * mention, then the reference, then the one year the document names. */
static void test_year_context(void) {
    E("2022年4月，全省开展检测。5月3日，……", NULL, "2022年4月=2022-04 | 5月3日=2022-05-03");
    E("2022年4月，全省開展檢測。5月3日，……", NULL, "2022年4月=2022-04 | 5月3日=2022-05-03");
    E("2020年2月，……3月10日，……2022年1月，……3月10日，", &R0328,
      "2020年2月=2020-02 | 3月10日=2020-03-10 | 2022年1月=2022-01 | 3月10日=2022-03-10");
    /* a context year that puts the date ahead of the reference yields to it */
    E("2022年1月2日，……12月30日，", &R0103, "2022年1月2日=2022-01-02 | 12月30日=2021-12-30");
    E("今年3月，……5月1日，", &R0507, "今年3月=2022-03 | 5月1日=2022-05-01");
    /* the single year: before it is named too, and for holidays */
    E("3月27日，省委召开会议。清明节……\n2022年春季演练。3月28日", NULL,
      "3月27日=2022-03-27 | 清明节=2022-04-05 | 2022年春季=2022 | 3月28日=2022-03-28");
    E("3月27日，省委召开会议。2021年5月，……2022年春季演练。", NULL,
      "3月27日=XXXX-03-27 | 2021年5月=2021-05 | 2022年春季=2022");
    /* a bare year is an era, not a context: 2005年 does not date 11月5日 */
    E("11月5日，评选结果揭晓。2005年，牛振西组建救援队。11月6日，", NULL,
      "11月5日=XXXX-11-05 | 2005年=2005 | 11月6日=XXXX-11-06");
    /* nor the start of a cumulative count */
    E("2020年1月21日至今，累计报告。3月，……", NULL, "2020年1月21日=2020-01-21 | 今=XXXX-XX-XX | 3月=XXXX-03");
    /* lone days keep the reference's month; with no reference, unknown */
    E("据悉，2022年4月1日全省开展检测。7日上午，", NULL, "2022年4月1日=2022-04-01 | 7日上午=XXXX-XX-07");
    E("据悉，2022年4月1日全省开展检测。7日上午，", &R0507, "2022年4月1日=2022-04-01 | 7日上午=2022-05-07");
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
    /* the document's date (issue 16): title lines, publication lines,
     * figure windows and spans stay linear over long runs */
    struct {
        const char *unit, *tail, *want;
    } runs[] = {
        {"\n", "2022年1月1日标题\n正文。", "2022年1月1日=2022-01-01"},
        {"短\n", "", ""},
        {"来源", "2022年1月1日", "2022年1月1日=2022-01-01"},
        {"自", "2022年1月1日以来", "2022年1月1日=2022-01-01"},
        {"截至", "", ""},
        {"新增", "", ""},
        /* issue 17: cue windows, week words, numeric forms, years in words,
         * the signature's look-back all stay bounded over long runs */
        {"将", "12日起", "12日=XXXX-XX-12"},
        {"周", "三", ""},
        {"星期", "", ""},
        {"上上个", "周三", ""},
        {"1/", "1", ""},
        {"2022 ", "01 01", ""},
        {"04.", "10.2022", ""},
        {"两千", "年", "两千年=2000"},
        {"\n", "郑州市指挥部\n2021年7月31日", "2021年7月31日=2021-07-31"},
        {"郑州市指挥部", "\n2021年7月31日", "2021年7月31日=2021-07-31"},
        {"近", "日", "近日=XXXX-XX-XX"},
        {"最", "近", ""},
    };
    for (size_t k = 0; k < sizeof runs / sizeof runs[0]; k++) {
        size_t ul = strlen(runs[k].unit), reps = n / 2 / ul;
        o = 0;
        for (size_t i = 0; i < reps; i++, o += ul) memcpy(s + o, runs[k].unit, ul);
        strcpy(s + o, runs[k].tail);
        E(s, NULL, runs[k].want);
    }
    /* many full dates, each weighed as evidence: the figure window is bounded */
    o = 0;
    static const char many[] = "2022年1月1日至2022年1月2日新增";
    for (size_t i = 0; i < n / 40; i++) {
        memcpy(s + o, many, sizeof many - 1);
        o += sizeof many - 1;
    }
    s[o] = 0;
    r = scan(s, NULL, 0);
    CHECK(strncmp(r, "ERROR", 5) != 0 && has_found && found.day == 2 && doc_source == TB_DOCDATE_RANGE_END);
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
    CHECK(strcmp(fields("6月12日0—24时", &R0813), "2022-6-12 0:0 | 2022-6-12 -1:-1*") == 0);
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
    test_docdate();
    test_year_context();
    test_bad_ref();
    test_hostile();
    test_fields();
    test_direction();
    test_everyday_forms();
    test_numeric();
    test_docdate_more();
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
