/*
 * timeutil.c — clocks and civil-date arithmetic (see timeutil.h).
 * days_from_civil is Howard Hinnant's well-known algorithm.
 */
#include "timeutil.h"
#include <stdio.h>
#include <time.h>

int64_t awda_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t awda_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

awda_date_t awda_today(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    awda_date_t d = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    return d;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int awda_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return dm[m - 1] + (m == 2 && is_leap(y));
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

int awda_date_parse(const char *s, size_t n, awda_date_t *out)
{
    awda_date_t d = {0, 0, 0};
    if (n != 4 && n != 7 && n != 10)
        return 0;
    if (!digits(s, 4, &d.year) || d.year < 1850 || d.year > 2200)
        return 0;
    if (n >= 7) {
        if (s[4] != '-' || !digits(s + 5, 2, &d.month) || d.month < 1 || d.month > 12)
            return 0;
    }
    if (n == 10) {
        if (s[7] != '-' || !digits(s + 8, 2, &d.day) || d.day < 1 ||
            d.day > awda_days_in_month(d.year, d.month))
            return 0;
    }
    *out = d;
    return n == 10 ? 3 : n == 7 ? 2 : 1;
}

void awda_date_format(awda_date_t d, char out[11])
{
    snprintf(out, 11, "%04d-%02d-%02d", d.year % 10000, d.month % 100, d.day % 100);
}

int64_t awda_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static char *put_digits(char *p, int v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return p + n;
}

/* Hand-formatted: this runs several times for every case read. */
void awda_iso_ms(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char *p = out;
    p = put_digits(p, (tm.tm_year + 1900) % 10000, 4);
    *p++ = '-';
    p = put_digits(p, tm.tm_mon + 1, 2);
    *p++ = '-';
    p = put_digits(p, tm.tm_mday, 2);
    *p++ = 'T';
    p = put_digits(p, tm.tm_hour, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_min, 2);
    *p++ = ':';
    p = put_digits(p, tm.tm_sec, 2);
    *p++ = '.';
    p = put_digits(p, (int)(ms % 1000 + 1000) % 1000, 3);
    *p++ = 'Z';
    *p = '\0';
}

int awda_datetime_parse(const char *s, size_t n, int64_t *ms)
{
    awda_date_t d;
    if (n >= 1 && s[n - 1] == 'Z')
        n--;
    if (n < 10 || awda_date_parse(s, 10, &d) != 3)
        return -1;
    int hh = 0, mm = 0, ss = 0;
    if (n > 10) {
        if ((s[10] != 'T' && s[10] != ' ') || (n != 16 && n != 19) || !digits(s + 11, 2, &hh) ||
            s[13] != ':' || !digits(s + 14, 2, &mm))
            return -1;
        if (n == 19 && (s[16] != ':' || !digits(s + 17, 2, &ss)))
            return -1;
        if (hh > 23 || mm > 59 || ss > 59)
            return -1;
    }
    *ms =
        ((awda_days_from_civil(d.year, d.month, d.day) * 86400LL) + hh * 3600LL + mm * 60LL + ss) *
        1000LL;
    return 0;
}
