/*
 * test_probe_counts.c — store_probe_counts (src/store/prefix_search.c), which
 * counts a search's keys to tell the rarest: its counts must compare as
 * the counts up to the probe do (every key counted up to 5,000 rows, as
 * the name searches did before it), and it must read far fewer rows when
 * one key is rare.
 *
 * The keys here are made up: count() answers min(the key's rows, cap) and
 * adds what it read to a tally, as a COUNT over LIMIT cap would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../src/store/internal.h"

#define PROBE 5000

typedef struct {
    const int *rows; /* each key's rows */
    long read;       /* rows read, in all */
} keys_t;

static int count(void *ctx, int i, int cap)
{
    keys_t *k = ctx;
    int n = k->rows[i] < cap ? k->rows[i] : cap;
    k->read += n;
    return n;
}

static int sign(int a, int b)
{
    return (a > b) - (a < b);
}

/* out compares, pair by pair, as the counts up to PROBE; the rows read. */
static long check(const int *rows, int n)
{
    keys_t k = {rows, 0};
    int out[8];
    store_probe_counts(n, PROBE, count, &k, out);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int a = rows[i] < PROBE ? rows[i] : PROBE, b = rows[j] < PROBE ? rows[j] : PROBE;
            if (sign(out[i], out[j]) != sign(a, b))
                fail_msg("keys %d and %d of %d: rows %d and %d, counted %d and %d", i, j, n,
                         rows[i], rows[j], out[i], out[j]);
        }
    return k.read;
}

static void test_a_rare_key_is_told_from_few_rows(void **state)
{
    (void)state;
    /* one key of ten rows beside one of a hundred thousand: 64 + 10 */
    assert_int_equal(check((int[]){10, 100000}, 2), 74);
    assert_int_equal(check((int[]){100000, 10}, 2), 74);
    /* both under the first cap: each counted whole, once */
    assert_int_equal(check((int[]){30, 20}, 2), 50);
    /* three keys, two rare: the common one stops at the second cap */
    assert_int_equal(check((int[]){100, 300, 90000}, 3), 3 * 64 + 100 + 300 + 512);
}

static void test_common_keys_are_counted_to_the_probe(void **state)
{
    (void)state;
    /* both common: equal at the probe, as before */
    keys_t k = {(int[]){6000, 70000}, 0};
    int out[2];
    store_probe_counts(2, PROBE, count, &k, out);
    assert_int_equal(out[0], PROBE);
    assert_int_equal(out[1], PROBE);
    /* one row apart below the probe: told apart */
    k = (keys_t){(int[]){4999, 5000}, 0};
    store_probe_counts(2, PROBE, count, &k, out);
    assert_int_equal(out[0], 4999);
    assert_int_equal(out[1], PROBE);
    /* at most 64 + 512 rows more than counting each to the probe */
    assert_true(check((int[]){6000, 70000}, 2) <= 2 * (64 + 512 + PROBE));
    /* equal counts stay equal (a tie decides by the keys' order) */
    check((int[]){700, 700}, 2);
    check((int[]){63, 63, 64, 64, 512, 512}, 6);
}

static void test_the_order_is_that_of_the_counts(void **state)
{
    (void)state;
    /* counts around each cap and the probe, in every mix of up to six keys */
    static const int near[] = {0, 1, 63, 64, 65, 511, 512, 513, 4999, 5000, 5001, 90000};
    srand(20261206);
    for (int round = 0; round < 20000; round++) {
        int n = 2 + rand() % 5, rows[6];
        for (int i = 0; i < n; i++)
            rows[i] = near[rand() % (int)(sizeof near / sizeof near[0])];
        check(rows, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_rare_key_is_told_from_few_rows),
        cmocka_unit_test(test_common_keys_are_counted_to_the_probe),
        cmocka_unit_test(test_the_order_is_that_of_the_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
