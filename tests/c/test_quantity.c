/* Unit tests of the numeral reader and the quantity scanner, without Python:
 *   tests/c/build/test_quantity path/to/lexicon.bin */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/tb_fold.h"
#include "core/tb_lexicon.h"
#include "core/tb_numeral.h"
#include "core/tb_quantity.h"
#include "core/tb_text.h"
#include "core/tb_utf8.h"

static tb_folder *folder;

static tb_text text_of(const char *s) {
    tb_text t;
    tb_error e = {0};
    if (tb_text_build(folder, (const uint8_t *)s, strlen(s), &t, &e) != TB_OK) {
        t.cp = NULL;
        t.n = 0;
    }
    return t;
}

/* The numeral at the start of s: its value (NAN when none) and length. */
static double numeral(const char *s, size_t *len) {
    tb_text t = text_of(s);
    tb_numeral num;
    double v = NAN;
    *len = 0;
    if (tb_numeral_read(t.cp, t.n, 0, &num)) {
        v = num.value;
        *len = num.end;
    }
    tb_text_free(&t);
    return v;
}

static int is(const char *s, double expected) {
    size_t len;
    double v = numeral(s, &len);
    return v == expected || fabs(v - expected) <= 1e-9 * fabs(expected);
}

static void test_numerals(void) {
    CHECK(is("二十三", 23));
    CHECK(is("一千零五", 1005));
    CHECK(is("一万零二百五十", 10250));
    CHECK(is("九万四", 94000));
    CHECK(is("百三", 130));
    CHECK(is("四万万", 4e8));
    CHECK(is("一万五千亿", 1.5e12));
    CHECK(is("四亿五千六百四十二万零一十五", 456420015));
    CHECK(is("拾万零五十六", 100056));
    CHECK(is("壹佰伍拾", 150));
    CHECK(is("兩千四百五", 2450));          /* traditional, folded */
    CHECK(is("2.2万", 22000));
    CHECK(is("1.38亿", 138000000));
    CHECK(is("3万4000", 34000));
    CHECK(is("118,406", 118406));
    CHECK(is("95.82", 95.82));
    CHECK(is("９７２１．５", 9721.5));       /* full width, folded */
    CHECK(is("十点二三三", 10.233));
    CHECK(is("两千万点五五四四", 20000000.5544));
    CHECK(is("一九九一", 1991));
    CHECK(is("二〇二二", 2022));
    CHECK(is("二○○一", 2001));              /* ○ reads as 〇 */
    CHECK(is("2e5", 200000));
    CHECK(is("40k", 40000));
    size_t len;
    CHECK(isnan(numeral("万", &len)));       /* a bare 万 is a word */
    CHECK(isnan(numeral("例", &len)));
    CHECK(is("1, 234", 1) && (numeral("1, 234", &len), len == 1));
    CHECK(is("2222.2222.1", 2222) && (numeral("2222.2222.1", &len), len == 4));

    tb_text t = text_of("二十几万");
    tb_numeral num;
    CHECK(tb_numeral_read(t.cp, t.n, 0, &num) && num.value == 200000 && num.low == 210000 &&
          num.high == 290000 && num.approx == TB_APPROX_OVER);
    tb_text_free(&t);
    t = text_of("两三个");
    CHECK(tb_numeral_read(t.cp, t.n, 0, &num) && num.value == 2 && num.low == 2 && num.high == 3 &&
          num.end == 2);
    tb_text_free(&t);
    t = text_of("6000多万");
    CHECK(tb_numeral_read(t.cp, t.n, 0, &num) && num.value == 6e7 && num.approx == TB_APPROX_OVER);
    tb_text_free(&t);
}

static void test_overflow(void) {
    size_t n = 100000;
    char *s = malloc(n + 1);
    memset(s, '9', n);
    s[n] = 0;
    tb_text t = text_of(s);
    tb_numeral num;
    CHECK(tb_numeral_read(t.cp, t.n, 0, &num) && num.overflow && isinf(num.value) && num.end == n);
    tb_text_free(&t);
    free(s);
    /* 一 followed by 20000 亿: multiplies to inf, linearly */
    size_t reps = 20000;
    s = malloc(3 + reps * 3 + 1);
    strcpy(s, "一");
    for (size_t k = 0; k < reps; k++) strcat(s + 3 * k, "亿");
    t = text_of(s);
    CHECK(tb_numeral_read(t.cp, t.n, 0, &num) && isinf(num.value) && num.end == reps + 1);
    tb_text_free(&t);
    free(s);
}

/* Scan s and render "value:unit;" for each quantity. */
static const char *scan(const char *s) {
    static char buf[512];
    tb_text t = text_of(s);
    tb_quantities qs = {0};
    tb_error e = {0};
    buf[0] = 0;
    if (tb_quantities_scan(&t, NULL, NULL, NULL, 0, &qs, &e) != TB_OK) {
        strcpy(buf, "ERROR");
    } else {
        for (size_t k = 0; k < qs.n; k++) {
            char item[64];
            char unit[32] = "";
            size_t m = 0;
            for (uint32_t u = qs.v[k].unit_start; u < qs.v[k].unit_end && m < 28; u++)
                m += (size_t)tb_utf8_encode(t.cp[u], (uint8_t *)unit + m);
            unit[m] = 0;
            snprintf(item, sizeof item, "%g:%s;", qs.v[k].value,
                     qs.v[k].kind == TB_QK_PERCENT ? "%" : unit);
            strncat(buf, item, sizeof buf - strlen(buf) - 1);
        }
    }
    free(qs.v);
    tb_text_free(&t);
    return buf;
}

static void test_scanner(void) {
    CHECK(strcmp(scan("本土确诊病例43例"), "43:例;") == 0);
    CHECK(strcmp(scan("1.6万余名"), "16000:名;") == 0);
    CHECK(strcmp(scan("建档率达95.82%"), "95.82:%;") == 0);
    CHECK(strcmp(scan("第二十三场"), "23:场;") == 0);
    CHECK(strcmp(scan("每日3至5例"), "3:例;5:例;") == 0);
    CHECK(strcmp(scan("2022年3月27日8时"), "") == 0);
    CHECK(strcmp(scan("一是加强"), "") == 0);
    CHECK(strcmp(scan("第一时间"), "") == 0);
    CHECK(strcmp(scan("COVID-19"), "") == 0);
    CHECK(strcmp(scan("百分之十"), "10:%;") == 0);
    CHECK(strcmp(scan(""), "") == 0);
    /* service numbers naming a service are not counts; with a unit or no cue they are */
    CHECK(strcmp(scan("拨打120,由120指挥中心指派"), "") == 0);
    CHECK(strcmp(scan("与110、119指挥中心联动"), "") == 0);
    CHECK(strcmp(scan("12345热线"), "") == 0);
    CHECK(strcmp(scan("共120人"), "120:人;") == 0);
    CHECK(strcmp(scan("累计达到120。"), "120:;") == 0);
    CHECK(strcmp(scan("新增120、110例"), "120:;110:例;") == 0);
    /* skip spans hide what lies in them */
    tb_text t = text_of("3月27日新增5例");
    uint32_t ss[] = {0}, se[] = {5};
    tb_quantities qs = {0};
    tb_error e = {0};
    CHECK(tb_quantities_scan(&t, NULL, ss, se, 1, &qs, &e) == TB_OK && qs.n == 1 && qs.v[0].value == 5);
    free(qs.v);
    tb_text_free(&t);
}

int main(int argc, char **argv) {
    tb_lexicon *lex;
    open_test_lexicon(argc, argv, "lexicon.bin", &lex, &folder);
    test_numerals();
    test_overflow();
    test_scanner();
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
