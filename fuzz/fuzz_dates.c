/* Fuzz the date scanner (tb_dates_scan) over a tb_text.
 *
 * Input: one option byte (bit 0: pass a reference date), four bytes of
 * reference date (year 1900 + b0 * 2, month 1 + b1 % 12, day 1 + b2 % 28,
 * hour b3 % 25 - 1), then UTF-8 text.
 *
 * Invariants: dates sorted by start, within the text, start < end; values
 * NUL-terminated ISO 8601 shapes (digits or X, '-', 'T', ':' and 'W' only),
 * calendar-valid when fully known (month 1-12, day within the month, hour
 * 0-23, minute 0-59); granularity, part of day and range role in range; a
 * range end is preceded by its start; the document date found, when any,
 * is a valid date. */
#include "fuzz_common.h"

#include "core/tb_calendar.h"
#include "core/tb_date.h"
#include "core/tb_text.h"

static int two(const char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }
static int isdig(char c) { return c >= '0' && c <= '9'; }

static void check_value(const char *v) {
    size_t len = strnlen(v, TB_DATE_VALUE_MAX);
    FZ_CHECK(len < TB_DATE_VALUE_MAX);
    for (size_t k = 0; k < len; k++)
        FZ_CHECK(isdig(v[k]) || v[k] == 'X' || v[k] == '-' || v[k] == 'T' || v[k] == ':' || v[k] == 'W');
    /* YYYY-MM-DD fully known: a real calendar day */
    if (len >= 10 && isdig(v[0]) && isdig(v[3]) && v[4] == '-' && isdig(v[5]) && isdig(v[6]) && v[7] == '-' &&
        isdig(v[8]) && isdig(v[9])) {
        int y = atoi(v), m = two(v + 5), d = two(v + 8);
        FZ_CHECK(m >= 1 && m <= 12);
        FZ_CHECK(d >= 1 && d <= tb_month_days(y, m));
    }
    if (len >= 16 && v[10] == 'T' && isdig(v[11]) && isdig(v[14])) {
        FZ_CHECK(two(v + 11) <= 23);
        FZ_CHECK(two(v + 14) <= 59);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fz_init();
    uint8_t opt = fz_take(&data, &size);
    uint8_t r[4];
    for (int k = 0; k < 4; k++) r[k] = fz_take(&data, &size);
    tb_dateref ref = {1900 + r[0] * 2, 1 + r[1] % 12, 1 + r[2] % 28, r[3] % 25 - 1, -1};
    tb_error e = {0};
    tb_text t = {0};
    if (tb_text_build(fz_folder, data, size, &t, &e) != TB_OK) return 0;
    tb_dates d = {0};
    tb_dateref found;
    int has_found = 0;
    tb_status s = tb_dates_scan(&t, (opt & 1) ? &ref : NULL, &d, &found, &has_found, &e);
    FZ_CHECK(s == TB_OK);
    uint32_t prev_start = 0;
    for (size_t k = 0; k < d.n; k++) {
        const tb_date *x = &d.v[k];
        FZ_CHECK(x->start < x->end && x->end <= t.n);
        FZ_CHECK(x->start >= prev_start);
        prev_start = x->start;
        check_value(x->value);
        FZ_CHECK(x->granularity <= TB_GRAN_SECOND && x->part_of_day <= TB_POD_NIGHT &&
                 x->range_role <= TB_RANGE_END && x->relative <= 1);
        /* an end follows its start, except an open range (近日, 最近: it
         * ends on the reference day and has no start) */
        FZ_CHECK(x->open_end <= 1 && (!x->open_end || x->range_role == TB_RANGE_END));
        if (x->range_role == TB_RANGE_END && !x->open_end)
            FZ_CHECK(k > 0 && d.v[k - 1].range_role == TB_RANGE_START);
    }
    /* the source says where the reference came from: given, found (with a
     * kind of evidence), or nowhere */
    if (opt & 1) FZ_CHECK(d.doc_source == TB_DOCDATE_GIVEN);
    else FZ_CHECK(has_found ? d.doc_source > TB_DOCDATE_GIVEN && d.doc_source <= TB_DOCDATE_SIGNATURE
                            : d.doc_source == TB_DOCDATE_NONE);
    if (has_found) {
        FZ_CHECK(!(opt & 1));
        FZ_CHECK(found.month >= 1 && found.month <= 12 && found.day >= 1 &&
                 found.day <= tb_month_days(found.year, found.month));
    }
    tb_dates_free(&d);
    tb_text_free(&t);
    return 0;
}
