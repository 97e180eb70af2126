/* Concurrency of the engine without Python: eight threads analyse the
 * sample bulletin with one segmenter and one gazetteer while a ninth adds
 * and deletes a user word (and adds gazetteer entries). Every result must
 * equal, field for field, the serial result of one of the dictionary states
 * the writer moves between: no crash, no torn result.
 *
 * Runs in `make test` and `make sanitize` (ASan/UBSan) like the other C
 * tests, and under ThreadSanitizer with `make tsan`, which is what it is
 * for: a data race that happens not to corrupt a result is still reported.
 *
 * Run as tests/c/build/test_threads path/to/lexicon.bin [rounds] */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tb_analyze.h"
#include "core/tb_lexicon.h"

#include "check.h"

#define N_READERS 8
#define N_STATES 3   /* before the word is added, with it, after it is deleted */

static tb_lexicon *lex;
static tb_folder *folder;
static tb_segmenter seg;
static tb_gazetteer *gz;
static char *sample;
static size_t sample_len;
static int rounds = 20;

/* The user word the writer toggles: it changes the tokens of the sample
 * (and so the token boundaries the quantity scanner reads). */
static const char *TOGGLED = "本土确诊病例35";

/* Everything an analysis produced, as one string: two runs agree exactly
 * when their fingerprints are equal. */
static char *fingerprint(const tb_analysis *a) {
    size_t cap = 4 * 24 + 48 * (a->tokens.n + a->quantities.n + a->entities.n) +
                 (24 + TB_DATE_VALUE_MAX) * a->dates.n;
    char *s = malloc(cap), *p = s;
    if (s == NULL) return NULL;
    p += sprintf(p, "T%zu:", a->tokens.n);
    for (size_t k = 0; k < a->tokens.n; k++)
        p += sprintf(p, "%u-%u/%u,", a->tokens.v[k].start, a->tokens.v[k].end, (unsigned)a->tokens.v[k].tag);
    p += sprintf(p, "Q%zu:", a->quantities.n);
    for (size_t k = 0; k < a->quantities.n; k++)
        p += sprintf(p, "%u-%u=%.17g,", a->quantities.v[k].start, a->quantities.v[k].end, a->quantities.v[k].value);
    p += sprintf(p, "D%zu:", a->dates.n);
    for (size_t k = 0; k < a->dates.n; k++)
        p += sprintf(p, "%u-%u=%s,", a->dates.v[k].start, a->dates.v[k].end, a->dates.v[k].value);
    p += sprintf(p, "E%zu:", a->entities.n);
    for (size_t k = 0; k < a->entities.n; k++)
        p += sprintf(p, "%u-%u/%d/%u,", a->entities.v[k].start, a->entities.v[k].end, (int)a->entities.v[k].label,
                     a->entities.v[k].code);
    return s;
}

static char *analyze_fingerprint(void) {
    tb_analysis a = {0};
    tb_error e = {0};
    char *fp = NULL;
    if (tb_analyze_utf8(&seg, gz, NULL, (const uint8_t *)sample, sample_len, NULL, &a, &e) == TB_OK)
        fp = fingerprint(&a);
    else
        fprintf(stderr, "analyze failed: %s\n", e.message);
    tb_analysis_free(&a);
    return fp;
}

static int set_toggled(int64_t freq) {
    tb_error e = {0};
    return tb_segmenter_set_word(&seg, (const uint8_t *)TOGGLED, strlen(TOGGLED), freq, "n", &e) == TB_OK;
}

static char *expected[N_STATES];
static atomic_int writer_done;
static atomic_long mismatches, analyses;

/* Text no thread has seen: its characters miss the folder's memo table,
 * so readers fill it concurrently (NFKC and T->S through ICU). */
static int analyze_unseen(unsigned seed) {
    static const uint32_t ranges[][2] = {{0x4E00, 0x9FFF}, {0xFF01, 0xFF5E}, {0x3400, 0x4DBF}, {0x2460, 0x24FF}};
    uint8_t buf[64 * 4], *p = buf;
    uint32_t cps[64];
    for (int k = 0; k < 64; k++) {
        seed = seed * 1103515245u + 12345u;
        const uint32_t *r = ranges[(seed >> 8) & 3];
        uint32_t cp = r[0] + (seed >> 12) % (r[1] - r[0] + 1);
        cps[k] = cp;
        *p++ = (uint8_t)(0xE0 | (cp >> 12));   /* all four ranges are three-byte UTF-8 */
        *p++ = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        *p++ = (uint8_t)(0x80 | (cp & 0x3F));
    }
    tb_analysis a = {0};
    tb_error e = {0};
    /* Both entry points: UTF-8 (C callers) and code points (a Python str). */
    tb_status s = seed & 1 ? tb_analyze_utf8(&seg, gz, NULL, buf, (size_t)(p - buf), NULL, &a, &e)
                           : tb_analyze_cps(&seg, gz, NULL, cps, 64, 4, NULL, &a, &e);
    size_t covered = 0;
    for (size_t k = 0; k < a.tokens.n; k++) covered += a.tokens.v[k].end - a.tokens.v[k].start;
    tb_analysis_free(&a);
    return s == TB_OK && covered == 64;   /* lossless: the tokens cover every character */
}

static atomic_long unseen_failures;

static void *reader(void *arg) {
    unsigned seed = (unsigned)(size_t)arg * 7919u;
    do {
        if (!analyze_unseen(seed++)) atomic_fetch_add(&unseen_failures, 1);
        char *fp = analyze_fingerprint();
        int ok = 0;
        for (int k = 0; fp && k < N_STATES; k++) ok |= strcmp(fp, expected[k]) == 0;
        if (!ok) atomic_fetch_add(&mismatches, 1);
        atomic_fetch_add(&analyses, 1);
        free(fp);
    } while (!atomic_load(&writer_done));
    return NULL;
}

/* Let the readers run a few analyses in the current state before the next
 * change, so that reads and writes interleave however fast the writer is. */
static void let_readers_run(void) {
    long target = atomic_load(&analyses) + N_READERS / 2;
    while (atomic_load(&analyses) < target) sched_yield();
}

static void *writer(void *arg) {
    (void)arg;
    char name[48];
    for (int r = 0; r < rounds; r++) {
        let_readers_run();
        set_toggled(100000);
        let_readers_run();
        /* Gazetteer entries that never occur in the sample: the entity pass
         * takes the gazetteer's lock against these writes, results stay put. */
        snprintf(name, sizeof name, "并发测试单位%d", r);
        tb_error e = {0};
        tb_gazetteer_add(gz, (const uint8_t *)name, strlen(name), TB_ENT_ORG, 0, 0, NULL, &e);
        set_toggled(0);
    }
    atomic_store(&writer_done, 1);
    return NULL;
}

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

int main(int argc, char **argv) {
    open_test_lexicon(argc, argv, "lexicon.bin [rounds]", &lex, &folder);
    if (argc > 2) rounds = atoi(argv[2]);
    tb_error e = {0};
    if (tb_segmenter_init(&seg, lex, folder, TB_STYLE_DEFAULT, &e) != TB_OK ||
        tb_gazetteer_new(folder, lex, &gz, &e) != TB_OK) {
        fprintf(stderr, "setup failed: %s\n", e.message);
        return 2;
    }
    sample = read_file("python/tongbao/_data/sample_bulletin.txt", &sample_len);
    if (sample == NULL) {
        fprintf(stderr, "cannot read python/tongbao/_data/sample_bulletin.txt (run from the repository root)\n");
        return 2;
    }

    /* The serial results of the three states. */
    expected[0] = analyze_fingerprint();
    CHECK(set_toggled(100000));
    expected[1] = analyze_fingerprint();
    CHECK(set_toggled(0));
    expected[2] = analyze_fingerprint();
    CHECK(expected[0] && expected[1] && expected[2]);
    if (!(expected[0] && expected[1] && expected[2])) CHECK_REPORT();
    /* The toggled word must matter, or the test would prove nothing. */
    CHECK(strcmp(expected[0], expected[1]) != 0);
    CHECK(strcmp(expected[0], expected[2]) == 0);

    pthread_t readers[N_READERS], w;
    for (int i = 0; i < N_READERS; i++) CHECK(pthread_create(&readers[i], NULL, reader, (void *)(size_t)(i + 1)) == 0);
    CHECK(pthread_create(&w, NULL, writer, NULL) == 0);
    pthread_join(w, NULL);
    for (int i = 0; i < N_READERS; i++) pthread_join(readers[i], NULL);
    CHECK(atomic_load(&mismatches) == 0);
    CHECK(atomic_load(&unseen_failures) == 0);
    CHECK(atomic_load(&analyses) >= N_READERS);
    printf("test_threads: %d writer rounds, %ld concurrent analyses, %ld mismatches\n", rounds,
           atomic_load(&analyses), atomic_load(&mismatches));

    for (int k = 0; k < N_STATES; k++) free(expected[k]);
    free(sample);
    tb_gazetteer_free(gz);
    tb_segmenter_destroy(&seg);
    tb_folder_free(folder);
    tb_lexicon_close(lex);
    CHECK_REPORT();
}
