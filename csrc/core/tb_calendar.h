/* Proleptic Gregorian calendar arithmetic for the date resolver: days since
 * 1970-01-01 and back (Howard Hinnant's algorithms, exact for any int year),
 * month lengths and ISO weeks. Pure functions, no state. */
#ifndef TB_CALENDAR_H
#define TB_CALENDAR_H

static inline int tb_is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static inline int tb_month_days(int y, int m) {
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    return m == 2 && tb_is_leap(y) ? 29 : len[m - 1];
}

static inline long tb_days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = (long)y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static inline void tb_civil_from_days(long z, int *y, int *m, int *d) {
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* ISO weekday 1 (Monday) .. 7 (Sunday) of a day number. */
static inline int tb_iso_weekday(long days) {
    long w = (days + 3) % 7; /* 1970-01-01 was a Thursday */
    if (w < 0) w += 7;
    return (int)w + 1;
}

/* ISO week-numbering year and week of a day number. */
static inline void tb_iso_week(long days, int *wyear, int *week) {
    long thursday = days - tb_iso_weekday(days) + 4;
    int y, m, d;
    tb_civil_from_days(thursday, &y, &m, &d);
    *wyear = y;
    *week = (int)((thursday - tb_days_from_civil(y, 1, 1)) / 7 + 1);
}

#endif
