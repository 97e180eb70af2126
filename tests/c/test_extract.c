/* Unit tests of the per-document pipeline of tongbao.extract
 * (core/tb_extract.h) and of reading corpus files (core/tb_readfile.h),
 * without Python: the binary check's edge, the fallback reference (used only
 * for a text without a date of its own), the fingerprint (its scan for
 * chrome lines, its BLAKE2b digest of tb_fp_normalize's output), and every
 * way a file can fail to be read. Run as tests/c/build/test_extract lexicon.bin */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "core/tb_blake2b.h"
#include "core/tb_extract.h"
#include "core/tb_readfile.h"

static uint32_t cps[4096];

/* UTF-8 literal -> code points in cps; returns the count. */
static size_t to_cps(const char *s) {
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n < 4096) {
        uint32_t c = *p;
        int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        if (len > 1) c &= 0xFF >> (len + 1);
        for (int k = 1; k < len; k++) c = (c << 6) | (p[k] & 0x3F);
        cps[n++] = c;
        p += len;
    }
    return n;
}

static void test_binary(void) {
    uint8_t buf[200];
    memset(buf, 'a', sizeof buf);
    CHECK(tb_extract_is_binary(buf, 200, 1) == 0);
    buf[3] = 0x01;
    buf[9] = 0x01;   /* 2 of 200: 1% is not more than 1% */
    CHECK(tb_extract_is_binary(buf, 200, 1) == 0);
    buf[20] = 0x7f;
    CHECK(tb_extract_is_binary(buf, 200, 1) == 1);
    memset(buf, 'a', sizeof buf);
    buf[150] = 0;    /* one NUL is enough */
    CHECK(tb_extract_is_binary(buf, 200, 1) == 1);
    memset(buf, '\n', sizeof buf);   /* line feeds, tabs, form feeds are text */
    buf[0] = '\t';
    buf[1] = '\x0c';
    CHECK(tb_extract_is_binary(buf, 200, 1) == 0);
    uint16_t w[3] = {0x6587, 0x001c, 0x6587};   /* 2-byte units: U+001C counts */
    CHECK(tb_extract_is_binary(w, 3, 2) == 1);
    CHECK(tb_extract_is_binary(w, 0, 2) == 0);
}

static void test_blake2b(void) {
    /* RFC 7693, appendix A: BLAKE2b-512("abc") */
    static const char *want = "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                              "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923";
    uint8_t out[64];
    char hex[129];
    tb_blake2b h;
    tb_blake2b_init(&h, 64);
    tb_blake2b_update(&h, "a", 1);
    tb_blake2b_update(&h, "bc", 2);
    tb_blake2b_final(&h, out);
    for (int k = 0; k < 64; k++) snprintf(hex + 2 * k, 3, "%02x", out[k]);
    CHECK(strcmp(hex, want) == 0);
}

static void test_pipeline(tb_segmenter *seg, tb_gazetteer *gz, const tb_metric_rules *rules) {
    uint8_t table[65536];
    for (size_t c = 0; c < 65536; c++)   /* simple; letters and digits kept; a few spaces */
        table[c] = TB_FP_SIMPLE | ((c > 0x7f || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) ? TB_FP_KEEP : 0) |
                   ((c == ' ' || c == '\n') ? TB_FP_SPACE : 0);
    tb_extract_opts o = {seg, gz, rules, table, 0};
    tb_dateref fb = {2022, 5, 10, -1, -1};
    tb_error e = {0};

    /* no date of its own: analysed against the fallback */
    tb_extract_doc d = {0};
    size_t n = to_cps("昨日新增本土确诊病例3例\n来源 大河网");
    size_t drop1[1] = {1};
    CHECK(tb_extract_run(&o, cps, n, 4, NULL, &fb, drop1, 1, &d, &e) == TB_OK);
    CHECK(!d.binary && d.used_fallback && !d.has_found);
    CHECK(d.a.metrics.n >= 1 && strcmp(d.a.metrics.v[0].date, "2022-05-09") == 0);
    /* the digest: BLAKE2b of tb_fp_normalize's output without line 1 */
    uint8_t *drop_out = malloc(3 * n + 1);
    uint8_t drop[2] = {0, 1};
    long long w = tb_fp_normalize((tb_fp_text){cps, 4, n}, table, drop, 2, drop_out);
    uint8_t want[TB_EXTRACT_DIGEST];
    tb_blake2b h;
    tb_blake2b_init(&h, sizeof want);
    tb_blake2b_update(&h, drop_out, (size_t)w);
    tb_blake2b_final(&h, want);
    CHECK(w > 0 && d.fp_simple && memcmp(want, d.fp_digest, sizeof want) == 0);
    free(drop_out);
    /* the scan: no code point is FOREIGN in this table, so every short line is a candidate, in order */
    size_t *cand, ncand;
    CHECK(tb_fp_scan((tb_fp_text){cps, 4, n}, table, 80, &cand, &ncand) == 1);
    CHECK(ncand == 2 && cand[0] == 0 && cand[3] == 1 && cand[4] == 13 && cand[5] == n);
    free(cand);
    tb_extract_doc_free(&d);

    /* its own date: the fallback is not used */
    tb_extract_doc d2 = {0};
    n = to_cps("2022年8月4日通报：昨日新增本土确诊病例3例");
    CHECK(tb_extract_run(&o, cps, n, 4, NULL, &fb, NULL, 0, &d2, &e) == TB_OK);
    CHECK(!d2.fp_simple);   /* no drops given: no fingerprint */
    CHECK(!d2.used_fallback && d2.has_found && d2.found.year == 2022 && d2.found.month == 8 && d2.found.day == 4);
    CHECK(d2.a.metrics.n >= 1 && strcmp(d2.a.metrics.v[0].date, "2022-08-03") == 0);
    tb_extract_doc_free(&d2);

    /* a given reference wins; the fallback is not used either */
    tb_extract_doc d3 = {0};
    tb_dateref given = {2021, 1, 2, -1, -1};
    n = to_cps("昨日新增本土确诊病例3例");
    CHECK(tb_extract_run(&o, cps, n, 4, &given, &fb, NULL, 0, &d3, &e) == TB_OK);
    CHECK(!d3.used_fallback && d3.a.metrics.n >= 1 && strcmp(d3.a.metrics.v[0].date, "2021-01-01") == 0);
    tb_extract_doc_free(&d3);

    /* binary: nothing analysed */
    tb_extract_doc d4 = {0};
    uint8_t bin[4] = {'a', 0, 'b', 'c'};
    CHECK(tb_extract_run(&o, bin, 4, 1, NULL, NULL, drop1, 0, &d4, &e) == TB_OK);
    CHECK(d4.binary && d4.a.tokens.n == 0 && !d4.fp_simple);
    tb_extract_doc_free(&d4);

    /* a code point the table leaves to the caller: no fingerprint parts */
    table[0x6587] = 0;
    tb_extract_doc d5 = {0};
    n = to_cps("文字");
    CHECK(tb_extract_run(&o, cps, n, 4, NULL, NULL, drop1, 0, &d5, &e) == TB_OK);
    CHECK(!d5.fp_simple && d5.a.tokens.n > 0);
    CHECK(tb_fp_scan((tb_fp_text){cps, 4, n}, table, 80, &cand, &ncand) == 0 && cand == NULL);
    tb_extract_doc_free(&d5);
}

static void test_read_file(void) {
    char dir[] = "/tmp/tb_test_readfileXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    tb_file_bytes f;

    snprintf(path, sizeof path, "%s/a.txt", dir);
    FILE *fh = fopen(path, "wb");
    for (int k = 0; k < 10000; k++) fputs("通报", fh);   /* past one read */
    fclose(fh);
    tb_read_file(path, &f);
    CHECK(f.status == TB_RF_OK && f.len == 60000 && memcmp(f.data, "通报", 6) == 0);
    free(f.data);

    snprintf(path, sizeof path, "%s/empty.txt", dir);
    fclose(fopen(path, "wb"));
    tb_read_file(path, &f);
    CHECK(f.status == TB_RF_OK && f.len == 0);
    free(f.data);
    unlink(path);

    tb_read_file(dir, &f);
    CHECK(f.status == TB_RF_DIRECTORY && f.data == NULL);

    snprintf(path, sizeof path, "%s/missing.txt", dir);
    tb_read_file(path, &f);
    CHECK(f.status == TB_RF_ERRNO && f.sys_errno == ENOENT && f.data == NULL);

    snprintf(path, sizeof path, "%s/fifo", dir);
    CHECK(mkfifo(path, 0600) == 0);
    tb_read_file(path, &f);   /* refused before open, which would block */
    CHECK(f.status == TB_RF_NOT_REGULAR && f.data == NULL);
    unlink(path);

    snprintf(path, sizeof path, "%s/a.txt", dir);
    unlink(path);
    rmdir(dir);
}

int main(int argc, char **argv) {
    tb_lexicon *lex;
    tb_folder *folder;
    tb_segmenter seg;
    tb_gazetteer *gz;
    tb_metric_rules *rules;
    open_test_engine(argc, argv, "lexicon.bin", &lex, &folder, &seg, &gz, &rules);
    test_binary();
    test_blake2b();
    test_pipeline(&seg, gz, rules);
    test_read_file();
    close_test_engine(lex, folder, &seg, gz, rules);
    CHECK_REPORT();
}
