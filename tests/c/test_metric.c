/* Unit tests of the metric pass (tb_metric.h, tb_metric_rules.h) without
 * Python, over the whole analyze pipeline with the shipped rule table:
 *   tests/c/build/test_metric path/to/lexicon.bin [file.txt [YYYY-MM-DD]]
 * With a file, prints its rows instead (a debugging aid).
 *
 * Each case renders the rows as
 *   metric/scope/origin@region(code)#date=value[~approx][!consistent] | …
 * (scope/origin '-' when none; consistent as +, x or nothing for -1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/tb_analyze.h"
#include "core/tb_lexicon.h"
#include "core/tb_metric_rules.h"
#include "core/tb_utf8.h"

#include "engine.h"

static tb_lexicon *lex;
static tb_folder *folder;
static tb_segmenter seg;
static tb_gazetteer *gz;
static tb_metric_rules *rules;

/* The UTF-8 of code points [a, b) of `text`. */
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

static const char *render(const char *text, const tb_dateref *ref) {
    static char out[1 << 18];
    tb_analysis a = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_analyze_utf8(&seg, gz, rules, (const uint8_t *)text, strlen(text), ref, &a, &e) != TB_OK) {
        snprintf(out, sizeof out, "ERROR: %s", e.message);
        tb_analysis_free(&a);
        return out;
    }
    size_t o = 0;
    for (size_t i = 0; i < a.metrics.n && o < sizeof out - 400; i++) {
        const tb_metric *m = &a.metrics.v[i];
        if (i) o += (size_t)snprintf(out + o, sizeof out - o, " | ");
        o += (size_t)snprintf(out + o, sizeof out - o, "%s/%s/%s@", rules->metrics[m->metric].name,
                              m->scope ? rules->scopes[m->scope - 1] : "-",
                              m->origin ? rules->origins[m->origin - 1] : "-");
        if (m->region_end > m->region_start) o = put_span(text, m->region_start, m->region_end, out, o, sizeof out);
        else if (m->region_name) o += (size_t)snprintf(out + o, sizeof out - o, "%s", m->region_name);
        if (m->code) o += (size_t)snprintf(out + o, sizeof out - o, "(%06u)", m->code);
        o += (size_t)snprintf(out + o, sizeof out - o, "#%s=%.15g", m->date, m->value);
        if (m->approx) o += (size_t)snprintf(out + o, sizeof out - o, "~%d", m->approx);
        if (m->consistent >= 0) o += (size_t)snprintf(out + o, sizeof out - o, "!%s", m->consistent ? "+" : "x");
    }
    out[o] = 0;
    tb_analysis_free(&a);
    return out;
}

static int expect(const char *text, const tb_dateref *ref, const char *want) {
    const char *got = render(text, ref);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  %s\n    got:  %s\n    want: %s\n", text, got, want);
        return 0;
    }
    return 1;
}

#define E(text, ref, want) CHECK(expect(text, ref, want))

static const tb_dateref R0804 = {2022, 8, 4, -1, -1};
static const tb_dateref R1109 = {2022, 11, 9, -1, -1};
static const tb_dateref R1121 = {2022, 11, 21, -1, -1};

/* The phrasings of issue 12, one case each (simplified, traditional, noisy). */
static void test_phrasings(void) {
    E("8月3日0—24时，全省新增本土确诊病例5例（周口市川汇区3例，南阳市宛城区2例），新增本土无症状感染者8例（周口市川汇区2例、淮阳区6例）。", &R0804,
      "confirmed/new/local@河南省(410000)#2022-08-03=5!+ | confirmed/new/local@川汇区(411602)#2022-08-03=3!+ | confirmed/new/local@宛城区(411302)#2022-08-03=2!+ | asymptomatic/new/local@河南省(410000)#2022-08-03=8!+ | asymptomatic/new/local@川汇区(411602)#2022-08-03=2!+ | asymptomatic/new/local@淮阳区(411603)#2022-08-03=6!+");
    E("新增境外输入确诊病例1例（在郑州市集中隔离），无新增本土疑似病例。", &R0804,
      "confirmed/new/imported@#2022-08-04=1 | suspected/new/local@#2022-08-04=0");
    E("河南省卫生健康委员会：全省累计报告确诊病例2977例（本土2766例、境外输入211例），累计治愈出院2890例，累计死亡22例。", &R0804,
      "confirmed/cumulative/-@河南省(410000)#2022-08-04=2977!+ | confirmed/cumulative/local@河南省(410000)#2022-08-04=2766!+ | confirmed/cumulative/imported@河南省(410000)#2022-08-04=211!+ | discharged/cumulative/-@河南省(410000)#2022-08-04=2890 | death/cumulative/-@河南省(410000)#2022-08-04=22");
    E("河南省：累计报告确诊病例2977例，其中本土2766例、境外输入211例。", &R0804,
      "confirmed/cumulative/-@河南省(410000)#2022-08-04=2977!+ | confirmed/cumulative/local@河南省(410000)#2022-08-04=2766!+ | confirmed/cumulative/imported@河南省(410000)#2022-08-04=211!+");
    E("河南省卫生健康委员会通报：8月3日0—24时，全省新增本土确诊病例10例（郑州市3例、开封市2例）。", &R0804,
      "confirmed/new/local@河南省(410000)#2022-08-03=10!x | confirmed/new/local@郑州市(410100)#2022-08-03=3!x | confirmed/new/local@开封市(410200)#2022-08-03=2!x");
    E("截至1月31日24时，河南省累计报告新型冠状病毒感染的肺炎确诊病例352例，其中郑州市93例、信阳市70例、南阳市51例，累计出院病例8例，累计死亡病例2例。", &R0804,
      "confirmed/cumulative/-@河南省(410000)#2022-01-31=352 | confirmed/cumulative/-@郑州市(410100)#2022-01-31=93 | confirmed/cumulative/-@信阳市(411500)#2022-01-31=70 | confirmed/cumulative/-@南阳市(411300)#2022-01-31=51 | discharged/cumulative/-@河南省(410000)#2022-01-31=8 | death/cumulative/-@河南省(410000)#2022-01-31=2");
    E("郑州市疫情防控指挥部通告：目前全市共设置集中隔离点63个，划定封控区12个、管控区5个，已完成四轮全员核酸检测，累计接种疫苗2.2万剂次。", &R0804,
      "quarantine_site/current/-@郑州市(410100)#2022-08-04=63 | lockdown_zone/current/-@郑州市(410100)#2022-08-04=12 | control_zone/current/-@郑州市(410100)#2022-08-04=5 | test_round/cumulative/-@郑州市(410100)#2022-08-04=4 | vaccine_dose/cumulative/-@郑州市(410100)#2022-08-04=22000");
    E("11月8日0—24時，全省新增本土確診病例2例（鄭州市金水區2例），新增本土無症狀感染者7例（鄭州市金水區4例、二七區1例，開封市祥符區2例）。無新增境外輸入病例。", &R1109,
      "confirmed/new/local@河南省(410000)#2022-11-08=2!+ | confirmed/new/local@金水區(410105)#2022-11-08=2!+ | asymptomatic/new/local@河南省(410000)#2022-11-08=7!+ | asymptomatic/new/local@金水區(410105)#2022-11-08=4!+ | asymptomatic/new/local@二七區(410103)#2022-11-08=1!+ | asymptomatic/new/local@祥符區(410212)#2022-11-08=2!+ | confirmed/new/imported@河南省(410000)#2022-11-08=0");
    E("郑州市：8月3日新增本土确诊病2例，新增本土无症状感染者１２例，累计追踪到密切接触者118,406人，尚在医学观察2.2万人。", &R0804,
      "confirmed/new/local@郑州市(410100)#2022-08-03=2 | asymptomatic/new/local@郑州市(410100)#2022-08-03=12 | close_contact/cumulative/-@郑州市(410100)#2022-08-03=118406 | close_contact/current/-@郑州市(410100)#2022-08-03=22000");
    E("全省新增本土确诊病例5例（周口市3例，\n责任编辑：张三\n南阳市2例），新增本土无症状感染者bingli6例。", &R0804,
      "confirmed/new/local@河南省(410000)#2022-08-04=5!+ | confirmed/new/local@周口市(411600)#2022-08-04=3!+ | confirmed/new/local@南阳市(411300)#2022-08-04=2!+ | asymptomatic/new/local@河南省(410000)#2022-08-04=6");
    E("现有住院病例65例（本土62例、境外输入3例），尚在医学观察的无症状感染者341例，正在集中隔离9807人。", &R0804,
      "hospitalized/current/-@#2022-08-04=65!+ | hospitalized/current/local@#2022-08-04=62!+ | hospitalized/current/imported@#2022-08-04=3!+ | asymptomatic/current/-@#2022-08-04=341 | quarantined/current/-@#2022-08-04=9807");
    E("2020年2月，寄料镇发现1例确诊病例；2022年1月钟楼街道发现1例确诊病例。", &R0804,
      "confirmed/new/-@寄料镇#2020-02=1 | confirmed/new/-@钟楼街道#2022-01=1");
    E("截至今天上午8时，已排查密接5431人，次密接27526人。今天上午8时，启动了第五轮核酸检测。", &R0804,
      "close_contact/cumulative/-@#2022-08-04T08:00=5431 | secondary_contact/cumulative/-@#2022-08-04T08:00=27526 | test_round/current/-@#2022-08-04T08:00=5");
    E("新增本土确诊病例10例（郑州市8例（金水区5例、二七区3例），开封市2例）。", &R0804,
      "confirmed/new/local@#2022-08-04=10!+ | confirmed/new/local@郑州市(410100)#2022-08-04=8!+ | confirmed/new/local@金水区(410105)#2022-08-04=5!+ | confirmed/new/local@二七区(410103)#2022-08-04=3!+ | confirmed/new/local@开封市(410200)#2022-08-04=2!+");
    E("3月10日以来，全市累计报告本土确诊病例120例。", &R0804,
      "confirmed/cumulative/local@#2022-08-04=120");
    E("新增重症病例3例，新增危重病例1例，新增确诊病例5例。", &R0804,
      "confirmed/new/-@#2022-08-04=5");
    E("许昌市：本轮疫情累计报告本土确诊病例16例、无症状感染者57例，全市共排查密接1,283人、次密接4,519人。", &R0804,
      "confirmed/cumulative/local@许昌市(411000)#2022-08-04=16 | asymptomatic/cumulative/local@许昌市(411000)#2022-08-04=57 | close_contact/cumulative/-@许昌市(411000)#2022-08-04=1283 | secondary_contact/cumulative/-@许昌市(411000)#2022-08-04=4519");
    E("无新增本土确诊病例、疑似病例和无症状感染者。", &R0804,
      "confirmed/new/local@#2022-08-04=0 | suspected/new/local@#2022-08-04=0 | asymptomatic/new/local@#2022-08-04=0");
    E("汝州市卫健委：全市累计接种2178789剂次，规范设置28个新冠疫苗接种点。", &R0804,
      "vaccine_dose/cumulative/-@汝州市(410482)#2022-08-04=2178789 | vaccination_site/current/-@汝州市(410482)#2022-08-04=28");
    E("新增确诊病例约100例，新增本土无症状感染者近百例。", &R0804,
      "confirmed/new/-@#2022-08-04=100~3 | asymptomatic/new/local@#2022-08-04=100~2");
}

/* Parts that name their own metric, carried figures past a change of state,
 * weak and firm words on stocks, places the gazetteer does not know, area
 * words below the issuer, a sentence's opening place, verb lists, none
 * lists, 其中 before a place name. */
static void test_phrasings_more(void) {
    E("郑州市：5月8日0—24时，全市新增本土确诊病例4例、无症状感染者19例，其中：中原区确诊病例2例、无症状感染者7例，二七区无症状感染者5例。", &R0804,
      "confirmed/new/local@郑州市(410100)#2022-05-08=4 | asymptomatic/new/local@郑州市(410100)#2022-05-08=19 | confirmed/new/local@中原区(410102)#2022-05-08=2 | asymptomatic/new/local@中原区(410102)#2022-05-08=7 | asymptomatic/new/local@二七区(410103)#2022-05-08=5");
    E("河南省：目前累计追踪到密切接触者10462人，已解除医学观察2115人，尚有8347人正在接受医学观察。", &R0804,
      "close_contact/cumulative/-@河南省(410000)#2022-08-04=10462 | released/cumulative/-@河南省(410000)#2022-08-04=2115 | close_contact/current/-@河南省(410000)#2022-08-04=8347");
    E("新乡市：累计集中隔离医学观察7,392人，全市共设置集中隔离点31个。", &R0804,
      "quarantined/cumulative/-@新乡市(410700)#2022-08-04=7392 | quarantine_site/current/-@新乡市(410700)#2022-08-04=31");
    E("信阳市：累计报告确诊病例20例，其中浉河区10例、羊山新区7例、鸡公山管理区3例。", &R0804,
      "confirmed/cumulative/-@信阳市(411500)#2022-08-04=20!+ | confirmed/cumulative/-@浉河区(411502)#2022-08-04=10!+ | confirmed/cumulative/-@羊山新区#2022-08-04=7!+ | confirmed/cumulative/-@鸡公山管理区#2022-08-04=3!+");
    E("安阳市：滑县副县长介绍，全县共设立集中隔离点9个。", &R0804,
      "quarantine_site/current/-@滑县(410526)#2022-08-04=9");
    E("新乡市通报。卫辉市在做好防控的同时，已累计为受灾群众接种疫苗2.2万剂次。", &R0804,
      "vaccine_dose/cumulative/-@卫辉市(410781)#2022-08-04=22000");
    E("当日治愈出院本土确诊病例7例，解除医学观察本土无症状感染者21例、境外输入无症状感染者1例，无新增死亡病例。", &R0804,
      "discharged/new/local@#2022-08-04=7 | released/new/local@#2022-08-04=21 | released/new/imported@#2022-08-04=1 | death/new/-@#2022-08-04=0");
    E("全市已划定封控区12个、管控区23个，其中卫辉市封控区8个、牧野区封控区4个。", &R0804,
      "lockdown_zone/current/-@新乡市(410700)#2022-08-04=12!+ | control_zone/current/-@新乡市(410700)#2022-08-04=23 | lockdown_zone/current/-@卫辉市(410781)#2022-08-04=8!+ | lockdown_zone/current/-@牧野区(410711)#2022-08-04=4!+");
}

/* A list opened by 其中 and a comma; a change of status (转为确诊病例) is
 * no case of its own, whichever side its figure is on, and its figure is
 * passed over; 解除隔离医学观察 is a release. */
static void test_lists_and_conversions(void) {
    E("截至2月10日24时，河南省累计报告确诊病例1105例，其中，郑州市138例、信阳市246例。", &R0804,
      "confirmed/cumulative/-@河南省(410000)#2022-02-10=1105 | confirmed/cumulative/-@郑州市(410100)#2022-02-10=138 | confirmed/cumulative/-@信阳市(411500)#2022-02-10=246");
    E("新增本土无症状感染者9例，其中2例无症状感染者转为确诊病例（均在郑州市）。无症状感染者转为确诊病例4例。", &R0804,
      "asymptomatic/new/local@#2022-08-04=9");
    E("当日解除隔离医学观察的无症状感染者31例。", &R0804, "released/new/-@#2022-08-04=31");
    /* 新增的确诊病例中，郑州市12例、信阳市20例: the cases named, a place each; the list's
     * next places keep the metric of the row before, a change of state too (death) */
    E("新增确诊病例88例，新增死亡病例2例。新增的确诊病例中，郑州市12例、信阳市20例；新增死亡病例中，南阳市1例、信阳市1例。", &R0804,
      "confirmed/new/-@#2022-08-04=88 | death/new/-@#2022-08-04=2 | confirmed/new/-@郑州市(410100)#2022-08-04=12 | confirmed/new/-@信阳市(411500)#2022-08-04=20 | death/new/-@南阳市(411300)#2022-08-04=1 | death/new/-@信阳市(411500)#2022-08-04=1");
    /* a place with a metric word of its own is no next place of a list */
    E("新增无症状感染者5例，郑州市确诊病例3例。", &R0804,
      "asymptomatic/new/-@#2022-08-04=5 | confirmed/new/-@郑州市(410100)#2022-08-04=3");
    /* infections are no metric, the parts in their bracket are, with the words before it */
    E("郑州市新增本土新冠病毒感染者26例（确诊病例2例、无症状感染者24例），均在管控区域内发现。", &R0804,
      "confirmed/new/local@郑州市(410100)#2022-08-04=2 | asymptomatic/new/local@郑州市(410100)#2022-08-04=24");
    /* 分别为/分别是 open a list like 其中, and a list runs past ； to the sentence's end */
    E("11月20日0—24时，全省新增本土确诊病例34例、无症状感染者590例，分别为：郑州市确诊病例20例、无症状感染者400例；洛阳市确诊病例14例、无症状感染者190例。累计出院病例218例。", &R1121,
      "confirmed/new/local@河南省(410000)#2022-11-20=34!+ | asymptomatic/new/local@河南省(410000)#2022-11-20=590 | confirmed/new/local@郑州市(410100)#2022-11-20=20!+ | asymptomatic/new/local@郑州市(410100)#2022-11-20=400 | confirmed/new/local@洛阳市(410300)#2022-11-20=14!+ | asymptomatic/new/local@洛阳市(410300)#2022-11-20=190 | discharged/cumulative/-@河南省(410000)#2022-11-20=218");
    E("全市新增本土确诊病例5例，分别是中原区3例、二七区2例；累计出院病例8例。", &R0804,
      "confirmed/new/local@郑州市(410100)#2022-08-04=5!+ | confirmed/new/local@中原区(410102)#2022-08-04=3!+ | confirmed/new/local@二七区(410103)#2022-08-04=2!+ | discharged/cumulative/-@郑州市(410100)#2022-08-04=8");
}

/* Without a reference date a year-less date keeps XXXX; nothing is guessed. */
static void test_unknown_year(void) {
    E("6月12日0—24时，全省新增本土确诊病例5例。", NULL, "confirmed/new/local@#XXXX-06-12=5");
    E("新增本土确诊病例5例。", NULL, "confirmed/new/local@#=5");
    E("截至10月21日18时，全市累计报告本土确诊病例16例。", NULL, "confirmed/cumulative/local@#XXXX-10-21T18:00=16");
}

/* Figures that are not metrics, and metric words without a figure. */
static void test_not_metrics(void) {
    E("省委召开新冠肺炎疫情防控工作第十五次专题会议，14个工作组立即到位，电子健康码420多万人。", &R0804, "");
    E("这是我市首例新冠肺炎确诊患者，第二例确诊病例无社会面外溢。", &R0804, "");
    E("确诊病例占比95%，隔离房间4114平方米。", &R0804, "");
    E("累计采购核酸检测设备31台，储备抗原检测试剂盒3万只。", &R0804, "");
    E("新增确诊病例", &R0804, "");
    E("", &R0804, "");
}

/* The start sets of the shipped rules are bounded (the scan's speed rests
 * on it) and hold what their phrasings start with. */
static void test_start_sets(void) {
    size_t fig = 0;
    for (size_t k = 0; k < rules->n_rules; k++) {
        const tb_rule *ru = &rules->rule[k];
        CHECK(!ru->start.any);
        fig += ru->has_figure;
    }
    CHECK(fig + 1 == rules->n_rules);   /* every rule has a figure but the "none" one */
    CHECK(tb_startset_has(&rules->rule_start, 0x786E));      /* 确 (确诊病例) */
    CHECK(tb_startset_has(&rules->rule_start, TB_PH_FIGURE)); /* 发现1例确诊病例 */
    CHECK(tb_startset_has(&rules->rule_start, TB_PH_ORDINAL));
    CHECK(tb_startset_has(&rules->nofig_start, 0x65E0));      /* 无 (无新增) */
    CHECK(!tb_startset_has(&rules->rule_start, 0x7684));     /* 的 starts nothing */
    /* the analysis itself: optional items, classes, lookarounds, escapes */
    static const struct { const char *pat; const char *in, *out; int any; } cases[] = {
        {"(?:新冠)?确诊", "新确", "冠诊", 0},
        {"(?<![症重])病例", "病", "症重例", 0},
        {"[甲乙]?丙|丁*戊", "甲乙丙丁戊", "", 0},
        {"\\x{E000}例", "", "例", 0},
        {"(?<S_new>)新增", "新", "增", 0},
        {"\\d+例", "", "", 1},
        {".例", "", "", 1},
        {"a?b", "ab", "c", 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char src[256];
        snprintf(src, sizeof src, "scope new\nmetric m\nword MN m 某\nrule a %s(?<q>{Q})\n", cases[k].pat);
        tb_metric_rules *r = NULL;
        tb_error e = {0};
        if (tb_metric_rules_new(src, strlen(src), &r, &e) != TB_OK) {
            fprintf(stderr, "  start set case %zu: %s\n", k, e.message);
            CHECK(0);
            continue;
        }
        const tb_startset *st = &r->rule[0].start;
        int ok = st->any == cases[k].any;
        for (const char *p = cases[k].in; *p && !st->any;) {
            uint32_t cp;
            p += tb_utf8_next((const uint8_t *)p, strlen(p), 0, &cp);
            ok &= tb_startset_has(st, cp);
        }
        for (const char *p = cases[k].out; *p && !st->any;) {
            uint32_t cp;
            p += tb_utf8_next((const uint8_t *)p, strlen(p), 0, &cp);
            ok &= !tb_startset_has(st, cp);
        }
        if (k == 3) ok &= tb_startset_has(st, TB_PH_FIGURE);
        if (!ok) fprintf(stderr, "  start set case %zu (%s) wrong\n", k, cases[k].pat);
        CHECK(ok);
        tb_metric_rules_free(r);
    }
}

/* A rule table with a bad line is refused with the line's number. */
static void expect_rule_error(const char *src, size_t line, const char *fragment) {
    tb_metric_rules *r = NULL;
    tb_error e = {0};
    tb_status s = tb_metric_rules_new(src, strlen(src), &r, &e);
    int ok = s == TB_ERULE && r == NULL && e.unit == TB_AT_LINE && e.offset == line && strstr(e.message, fragment);
    if (!ok) fprintf(stderr, "  rule error: status %d line %zu: %s (want line %zu, '%s')\n", s, e.offset, e.message, line, fragment);
    CHECK(ok);
    tb_metric_rules_free(r);
}

static void test_rule_errors(void) {
    const char *head = "scope new\norigin local\nmetric confirmed units=例\nword MN confirmed 确诊病例\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%srule a {MN}(?<q>{Q}\n", head);
    expect_rule_error(buf, 5, "PCRE2");
    snprintf(buf, sizeof buf, "%srule a {MX}(?<q>{Q})\n", head);
    expect_rule_error(buf, 5, "unknown name {MX}");
    snprintf(buf, sizeof buf, "%srule a {MN}(?<foo>{Q})\n", head);
    expect_rule_error(buf, 5, "unknown group name");
    snprintf(buf, sizeof buf, "%sword MN deaths 死亡\n", head);
    expect_rule_error(buf, 5, "not a declared metric");
    snprintf(buf, sizeof buf, "%sfrobnicate x\n", head);
    expect_rule_error(buf, 5, "unknown directive");
    snprintf(buf, sizeof buf, "%smetric confirmed\n", head);
    expect_rule_error(buf, 5, "declared twice");
    snprintf(buf, sizeof buf, "%sdefine C1 {C2}\ndefine C2 {C1}\nrule a {C1}{MN}(?<q>{Q})\n", head);
    expect_rule_error(buf, 5, "nested");   /* the cycle C1 -> C2 -> C1 starts on line 5 */
    snprintf(buf, sizeof buf, "%sdefine P 省\n", head);
    expect_rule_error(buf, 5, "reserved");
    expect_rule_error("scope new\n", 1, "no metric");
    snprintf(buf, sizeof buf, "%s", head);
    expect_rule_error(buf, 4, "no rule");
    /* a minimal table works */
    snprintf(buf, sizeof buf, "%srule a {MN}(?<q>{Q})\n", head);
    tb_metric_rules *r = NULL;
    tb_error e = {0};
    CHECK(tb_metric_rules_new(buf, strlen(buf), &r, &e) == TB_OK && r && r->n_rules == 1 && r->n_metrics == 1);
    tb_metric_rules_free(r);
}

/* Hostile shapes stay linear and correct (sizes small enough for the
 * sanitizers; tests/test_metrics.py runs the large ones). */
static void test_hostile(void) {
    enum { DEEP = 10000 };
    size_t cap = 64 + DEEP * 8;
    char *s = malloc(cap);
    size_t o = (size_t)snprintf(s, cap, "新增本土确诊病例1例");
    for (int k = 0; k < DEEP; k++) o += (size_t)snprintf(s + o, cap - o, "（");
    o += (size_t)snprintf(s + o, cap - o, "郑州市1例");
    for (int k = 0; k < DEEP; k++) o += (size_t)snprintf(s + o, cap - o, "）");
    CHECK(strncmp(render(s, &R0804), "confirmed/new/local@#2022-08-04=1", 33) == 0);
    /* unbalanced: only opening brackets */
    o = (size_t)snprintf(s, cap, "新增本土确诊病例1例");
    for (int k = 0; k < DEEP; k++) o += (size_t)snprintf(s + o, cap - o, "（");
    CHECK(strcmp(render(s, &R0804), "confirmed/new/local@#2022-08-04=1") == 0);
    free(s);
    /* a breakdown of 2000 places adds up */
    cap = 64 + 2000 * 24;
    s = malloc(cap);
    o = (size_t)snprintf(s, cap, "新增本土确诊病例2000例（");
    for (int k = 0; k < 2000; k++) o += (size_t)snprintf(s + o, cap - o, "%s郑州市1例", k ? "、" : "");
    snprintf(s + o, cap - o, "）");
    const char *r = render(s, &R0804);
    size_t rows = 1;
    for (const char *p = r; (p = strstr(p, " | ")) != NULL; p += 3) rows++;
    CHECK(rows == 2001 && strstr(r, "=2000!+") != NULL);
    free(s);
    /* a number past 2^63 */
    CHECK(strcmp(render("新增确诊病例99999999999999999999999例", &R0804), "confirmed/new/-@#2022-08-04=1e+23") == 0);
}

static int print_file(const char *path, const char *refs) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    static char buf[1 << 22];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    tb_dateref ref = {0, 0, 0, -1, -1}, *rp = NULL;
    if (refs && sscanf(refs, "%d-%d-%d", &ref.year, &ref.month, &ref.day) == 3) rp = &ref;
    const char *r = render(buf, rp);
    for (const char *p = r; *p; p++) {
        if (p[0] == ' ' && p[1] == '|' && p[2] == ' ') {
            putchar('\n');
            p += 2;
        } else {
            putchar(*p);
        }
    }
    putchar('\n');
    return 0;
}

int main(int argc, char **argv) {
    open_test_engine(argc, argv, "lexicon.bin [file.txt [ref-date]]", &lex, &folder, &seg, &gz, &rules);
    if (argc > 2) return print_file(argv[2], argc > 3 ? argv[3] : NULL);
    test_phrasings();
    test_phrasings_more();
    test_lists_and_conversions();
    test_unknown_year();
    test_not_metrics();
    test_rule_errors();
    test_start_sets();
    test_hostile();
    close_test_engine(lex, folder, &seg, gz, rules);
    CHECK_REPORT();
}
