/*
 * test_age.c — ages from partial dates of birth (awda_age_on in src/core/field.c).
 *
 * Whether someone is a child decides child-protection handling (guardian,
 * best-interests determination, escort). Many returnees know only their
 * year of birth, or an estimate. awda_age_on computes whole years on a
 * given day; with `conservative` set, an unknown month/day reads as the
 * latest possible birthday and an "estimated" year as one year later, so
 * the person gets the younger reading and is not wrongly treated as an
 * adult. These tests pin exact dates around a birthday (including leap
 * days), year- and month-only dates both ways, the estimated reading
 * (someone estimated born in 2008 is still a child on 2026-06-01), and -1
 * for an empty or unreadable date.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/field.h"

static void test_exact_around_birthday(void **state)
{
    (void)state;
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 5, 13, 0), 35);
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 5, 14, 0), 36);
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 5, 15, 0), 36);
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 4, 30, 0), 35);
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 6, 1, 0), 36);
    /* Conservative makes no difference when the date is exact. */
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 5, 13, 1), 35);
    assert_int_equal(awda_age_on("1990-05-14", "exact", 2026, 5, 14, 1), 36);
}

static void test_eighteenth_birthday(void **state)
{
    (void)state;
    assert_int_equal(awda_age_on("2008-06-01", "exact", 2026, 5, 31, 1), 17);
    assert_int_equal(awda_age_on("2008-06-01", "exact", 2026, 6, 1, 1), 18);
}

static void test_born_today_and_newborn(void **state)
{
    (void)state;
    assert_int_equal(awda_age_on("2026-06-01", "exact", 2026, 6, 1, 0), 0);
    assert_int_equal(awda_age_on("2025-06-02", "exact", 2026, 6, 1, 0), 0);
    assert_int_equal(awda_age_on("2025-06-01", "exact", 2026, 6, 1, 0), 1);
}

static void test_leap_day_birthday(void **state)
{
    (void)state;
    /* Born 29 February: in a common year the birthday has not come on
     * 28 February and has on 1 March. */
    assert_int_equal(awda_age_on("2008-02-29", "exact", 2026, 2, 28, 0), 17);
    assert_int_equal(awda_age_on("2008-02-29", "exact", 2026, 3, 1, 0), 18);
    assert_int_equal(awda_age_on("2008-02-29", "exact", 2028, 2, 29, 0), 20);
}

static void test_year_only(void **state)
{
    (void)state;
    /* Generous reading: born 1 January. Conservative: born 31 December. */
    assert_int_equal(awda_age_on("2008", "year", 2026, 6, 1, 0), 18);
    assert_int_equal(awda_age_on("2008", "year", 2026, 6, 1, 1), 17);
    assert_int_equal(awda_age_on("2008", "year", 2026, 12, 31, 1), 18);
    assert_int_equal(awda_age_on("2008", "year", 2026, 1, 1, 0), 18);
    assert_int_equal(awda_age_on("2008", "year", 2026, 12, 30, 1), 17);
}

static void test_month_only(void **state)
{
    (void)state;
    /* Born some day in June 2008: on 15 June 2026 the person may or may
     * not be 18 yet. */
    assert_int_equal(awda_age_on("2008-06", "month", 2026, 6, 15, 0), 18);
    assert_int_equal(awda_age_on("2008-06", "month", 2026, 6, 15, 1), 17);
    assert_int_equal(awda_age_on("2008-06", "month", 2026, 6, 30, 1), 18);
    assert_int_equal(awda_age_on("2008-06", "month", 2026, 5, 31, 0), 17);
    /* February of a leap year ends on the 29th. */
    assert_int_equal(awda_age_on("2008-02", "month", 2026, 2, 28, 1), 17);
}

static void test_estimated_reads_younger(void **state)
{
    (void)state;
    /* Someone "estimated" born in 2008 is still treated as a child on
     * 2026-06-01 and even on 2026-12-31. */
    assert_int_equal(awda_age_on("2008", "estimated", 2026, 6, 1, 1), 16);
    assert_true(awda_age_on("2008", "estimated", 2026, 6, 1, 1) < 18);
    assert_true(awda_age_on("2008", "estimated", 2026, 12, 31, 1) < 18);
    /* Without the conservative reading the estimate is taken as given. */
    assert_int_equal(awda_age_on("2008", "estimated", 2026, 6, 1, 0), 18);
    /* An estimated full date is also read one year later. */
    assert_int_equal(awda_age_on("2008-03-10", "estimated", 2026, 6, 1, 1), 17);
    assert_int_equal(awda_age_on("2008-03-10", "estimated", 2026, 6, 1, 0), 18);
}

static void test_estimated_leap_day(void **state)
{
    (void)state;
    /* Estimated 2008-02-29 read a year later is 2009-02-28 (no 29th). */
    assert_int_equal(awda_age_on("2008-02-29", "estimated", 2027, 2, 27, 1), 17);
    assert_int_equal(awda_age_on("2008-02-29", "estimated", 2027, 2, 28, 1), 18);
}

static void test_no_precision_given(void **state)
{
    (void)state;
    assert_int_equal(awda_age_on("1990-05-14", NULL, 2026, 5, 14, 1), 36);
    assert_int_equal(awda_age_on("1990", NULL, 2026, 5, 14, 1), 35);
}

static void test_empty_or_unreadable(void **state)
{
    (void)state;
    assert_int_equal(awda_age_on("", "exact", 2026, 6, 1, 1), -1);
    assert_int_equal(awda_age_on(NULL, "exact", 2026, 6, 1, 1), -1);
    assert_int_equal(awda_age_on("", NULL, 2026, 6, 1, 0), -1);
    assert_int_equal(awda_age_on("unknown", "estimated", 2026, 6, 1, 1), -1);
    assert_int_equal(awda_age_on("2001-02-30", "exact", 2026, 6, 1, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_around_birthday),
        cmocka_unit_test(test_eighteenth_birthday),
        cmocka_unit_test(test_born_today_and_newborn),
        cmocka_unit_test(test_leap_day_birthday),
        cmocka_unit_test(test_year_only),
        cmocka_unit_test(test_month_only),
        cmocka_unit_test(test_estimated_reads_younger),
        cmocka_unit_test(test_estimated_leap_day),
        cmocka_unit_test(test_no_precision_given),
        cmocka_unit_test(test_empty_or_unreadable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
