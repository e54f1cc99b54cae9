/*
 * test_timeutil.c — calendar dates and clocks (src/util/timeutil.c).
 *
 * Dates of birth, document expiries and departure dates arrive as ISO 8601
 * text ("2026-03-01", "2026-03" or "2026" when only partly known) and are
 * compared as day numbers. A date that does not exist (2023-02-29,
 * 2026-13-01) or is written another way ("2026-1-1", "20261201") must be
 * refused, never silently read as something else, and a leap day must be
 * accepted in leap years only. These tests pin awda_date_parse's results
 * (3/2/1 parts, 0 for refusal), the day-number arithmetic against known
 * values, date formatting, and the millisecond timestamp format that every
 * created_at/updated_at in the API uses.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/timeutil.h"
#include <string.h>
#include <time.h>

static int parse(const char *s, awda_date_t *d)
{
    return awda_date_parse(s, strlen(s), d);
}

static void test_parse_full_date(void **state)
{
    (void)state;
    awda_date_t d;
    assert_int_equal(parse("2026-03-01", &d), 3);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 3);
    assert_int_equal(d.day, 1);
    assert_int_equal(parse("1990-12-31", &d), 3);
    assert_int_equal(d.year, 1990);
    assert_int_equal(d.month, 12);
    assert_int_equal(d.day, 31);
}

static void test_parse_partial_dates(void **state)
{
    (void)state;
    awda_date_t d;
    assert_int_equal(parse("2026-07", &d), 2);
    assert_int_equal(d.year, 2026);
    assert_int_equal(d.month, 7);
    assert_int_equal(d.day, 0);
    assert_int_equal(parse("1990", &d), 1);
    assert_int_equal(d.year, 1990);
    assert_int_equal(d.month, 0);
    assert_int_equal(d.day, 0);
}

static void test_parse_leap_days(void **state)
{
    (void)state;
    awda_date_t d;
    assert_int_equal(parse("2024-02-29", &d), 3);
    assert_int_equal(d.day, 29);
    assert_int_equal(parse("2000-02-29", &d), 3); /* divisible by 400 */
    assert_int_equal(parse("2023-02-29", &d), 0);
    assert_int_equal(parse("1900-02-29", &d), 0); /* divisible by 100 */
    assert_int_equal(parse("2100-02-29", &d), 0);
    assert_int_equal(parse("2024-02-30", &d), 0);
    assert_int_equal(parse("2023-02-28", &d), 3);
}

static void test_parse_rejects_impossible_days(void **state)
{
    (void)state;
    awda_date_t d;
    assert_int_equal(parse("2026-13-01", &d), 0);
    assert_int_equal(parse("2026-00-10", &d), 0);
    assert_int_equal(parse("2026-12-00", &d), 0);
    assert_int_equal(parse("2026-12-32", &d), 0);
    assert_int_equal(parse("2026-04-31", &d), 0);
    assert_int_equal(parse("2026-06-31", &d), 0);
    assert_int_equal(parse("2026-09-31", &d), 0);
    assert_int_equal(parse("2026-11-31", &d), 0);
    assert_int_equal(parse("2026-13", &d), 0);
    assert_int_equal(parse("2026-00", &d), 0);
}

static void test_parse_rejects_other_spellings(void **state)
{
    (void)state;
    awda_date_t d = {1, 2, 3};
    assert_int_equal(parse("2026-1-1", &d), 0);
    assert_int_equal(parse("20261201", &d), 0);
    assert_int_equal(parse("2026/12/01", &d), 0);
    assert_int_equal(parse("01-12-2026", &d), 0);
    assert_int_equal(parse("2026-12-01T00:00", &d), 0);
    assert_int_equal(parse(" 2026", &d), 0);
    assert_int_equal(parse("2026 ", &d), 0);
    assert_int_equal(parse("+026", &d), 0);
    assert_int_equal(parse("-2026", &d), 0);
    assert_int_equal(parse("2O26", &d), 0); /* letter O */
    assert_int_equal(parse("2026-0a", &d), 0);
    assert_int_equal(parse("2026-12-1x", &d), 0);
    assert_int_equal(parse("", &d), 0);
    assert_int_equal(parse("26", &d), 0);
    /* A refused date leaves the output untouched. */
    assert_int_equal(d.year, 1);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 3);
}

static void test_parse_year_range(void **state)
{
    (void)state;
    awda_date_t d;
    assert_int_equal(parse("1850", &d), 1);
    assert_int_equal(parse("1849", &d), 0);
    assert_int_equal(parse("2200", &d), 1);
    assert_int_equal(parse("2201", &d), 0);
    assert_int_equal(parse("0000-01-01", &d), 0);
    assert_int_equal(parse("9999-12-31", &d), 0);
}

static void test_parse_respects_length(void **state)
{
    (void)state;
    /* Only s[0..n) is read: the length decides, not the NUL. */
    awda_date_t d;
    const char *s = "2026-05-17 trailing";
    assert_int_equal(awda_date_parse(s, 10, &d), 3);
    assert_int_equal(d.day, 17);
    assert_int_equal(awda_date_parse(s, 7, &d), 2);
    assert_int_equal(awda_date_parse(s, 4, &d), 1);
    assert_int_equal(awda_date_parse(s, 9, &d), 0);
    char exact[4] = {'1', '9', '9', '9'}; /* no terminator at all */
    assert_int_equal(awda_date_parse(exact, 4, &d), 1);
    assert_int_equal(d.year, 1999);
}

static void test_days_in_month(void **state)
{
    (void)state;
    assert_int_equal(awda_days_in_month(2026, 1), 31);
    assert_int_equal(awda_days_in_month(2026, 2), 28);
    assert_int_equal(awda_days_in_month(2024, 2), 29);
    assert_int_equal(awda_days_in_month(1900, 2), 28);
    assert_int_equal(awda_days_in_month(2000, 2), 29);
    assert_int_equal(awda_days_in_month(2026, 4), 30);
    assert_int_equal(awda_days_in_month(2026, 12), 31);
    assert_int_equal(awda_days_in_month(2026, 0), 0);
    assert_int_equal(awda_days_in_month(2026, 13), 0);
}

static void test_days_from_civil_known_values(void **state)
{
    (void)state;
    assert_int_equal(awda_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(awda_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(awda_days_from_civil(2000, 1, 1), 10957);
    assert_int_equal(awda_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(awda_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(awda_days_from_civil(1900, 3, 1), -25508);
    assert_int_equal(awda_days_from_civil(2026, 6, 1), 20605);
    assert_int_equal(awda_days_from_civil(1850, 1, 1), -43829);
    assert_int_equal(awda_days_from_civil(2200, 12, 31), 84370);
}

static void test_days_from_civil_consecutive(void **state)
{
    (void)state;
    /* Walking every day of 1999..2025 advances the day number by exactly 1,
     * including across month ends and leap days. */
    int64_t prev = awda_days_from_civil(1998, 12, 31);
    for (int y = 1999; y <= 2025; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= awda_days_in_month(y, m); d++) {
                int64_t n = awda_days_from_civil(y, m, d);
                assert_int_equal(n, prev + 1);
                prev = n;
            }
}

static void test_date_format(void **state)
{
    (void)state;
    char out[11];
    awda_date_t d = {2026, 3, 1};
    awda_date_format(d, out);
    assert_string_equal(out, "2026-03-01");
    awda_date_t e = {1999, 12, 31};
    awda_date_format(e, out);
    assert_string_equal(out, "1999-12-31");
    /* Round trip through the parser. */
    awda_date_t back;
    assert_int_equal(awda_date_parse(out, strlen(out), &back), 3);
    assert_int_equal(back.year, 1999);
    assert_int_equal(back.month, 12);
    assert_int_equal(back.day, 31);
}

static void test_iso_ms(void **state)
{
    (void)state;
    char out[32];
    awda_iso_ms(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
    awda_iso_ms(1700000000123LL, out);
    assert_string_equal(out, "2023-11-14T22:13:20.123Z");
    awda_iso_ms(1709164799999LL, out);
    assert_string_equal(out, "2024-02-28T23:59:59.999Z");
    awda_iso_ms(1709164800000LL, out);
    assert_string_equal(out, "2024-02-29T00:00:00.000Z");
    assert_int_equal(strlen(out), 24);
}

static void test_clocks(void **state)
{
    (void)state;
    int64_t ms = awda_now_ms();
    int64_t secs = (int64_t)time(NULL);
    assert_true(ms > 1704067200000LL); /* after 2024-01-01 */
    assert_true(ms / 1000 >= secs - 2 && ms / 1000 <= secs + 2);
    int64_t a = awda_mono_us();
    struct timespec ts = {0, 2 * 1000 * 1000};
    nanosleep(&ts, NULL);
    int64_t b = awda_mono_us();
    assert_true(b - a >= 1500);
}

static void test_today_matches_clock(void **state)
{
    (void)state;
    awda_date_t t = awda_today();
    int64_t day = awda_now_ms() / 86400000LL;
    int64_t n = awda_days_from_civil(t.year, t.month, t.day);
    /* Allow for midnight passing between the two calls. */
    assert_true(n == day || n + 1 == day);
    assert_in_range(t.month, 1, 12);
    assert_in_range(t.day, 1, awda_days_in_month(t.year, t.month));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_full_date),
        cmocka_unit_test(test_parse_partial_dates),
        cmocka_unit_test(test_parse_leap_days),
        cmocka_unit_test(test_parse_rejects_impossible_days),
        cmocka_unit_test(test_parse_rejects_other_spellings),
        cmocka_unit_test(test_parse_year_range),
        cmocka_unit_test(test_parse_respects_length),
        cmocka_unit_test(test_days_in_month),
        cmocka_unit_test(test_days_from_civil_known_values),
        cmocka_unit_test(test_days_from_civil_consecutive),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_iso_ms),
        cmocka_unit_test(test_clocks),
        cmocka_unit_test(test_today_matches_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
