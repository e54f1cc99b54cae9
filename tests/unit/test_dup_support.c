/*
 * test_dup_support.c — the support of duplicate candidates
 * (store/dup_support.c): the best k come back in the order a full sort
 * gives (the selection of the best before sorting them loses none and
 * keeps ties by pk), a probe's weight is shared by its postings, the
 * query's own pk is never a candidate, and a reset forgets everything.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/store/dup_support.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void test_top_k_is_the_head_of_the_full_order(void **state)
{
    (void)state;
    dup_support_t *s = dup_support_new();
    assert_non_null(s);
    static int64_t all[AWDA_DUP_CANDIDATES_MAX], top[64];
    static double all_sup[AWDA_DUP_CANDIDATES_MAX], top_sup[64];
    for (int round = 0; round < 50; round++) {
        dup_support_reset(s);
        int probes = 5 + (int)(next() % 40);
        for (int p = 0; p < probes; p++) {
            int64_t post[AWDA_DUP_POSTINGS_MAX];
            int np = 1 + (int)(next() % AWDA_DUP_POSTINGS_MAX);
            for (int i = 0; i < np; i++)
                post[i] = 1 + (int64_t)(next() % (round % 2 ? 300 : 5000)); /* ties when few */
            dup_support_add(s, post, np, 1 + (int)(next() % 8), 7);
        }
        int n = dup_support_top(s, all, all_sup, AWDA_DUP_CANDIDATES_MAX);
        for (int k = 1; k <= 64; k *= 4) {
            int m = dup_support_top(s, top, top_sup, k);
            assert_int_equal(m, n < k ? n : k);
            for (int i = 0; i < m; i++) {
                assert_true(top[i] == all[i]);
                assert_true(top_sup[i] == all_sup[i]);
            }
        }
        for (int i = 1; i < n; i++)
            assert_true(all_sup[i - 1] > all_sup[i] ||
                        (all_sup[i - 1] == all_sup[i] && all[i - 1] < all[i]));
        for (int i = 0; i < n; i++)
            assert_true(all[i] != 7);
    }
    free(s);
}

static void test_weights_and_reset(void **state)
{
    (void)state;
    dup_support_t *s = dup_support_new();
    assert_non_null(s);
    int64_t rare[] = {11}, common[] = {11, 12, 13, 14, 15, 16, 17, 18};
    dup_support_add(s, common, 8, 8, 0); /* 8 / (8 + 8) = 0.5 each */
    dup_support_add(s, rare, 1, 9, 0); /* 9 / (1 + 8) = 1 for 11 */
    int64_t out[8];
    double sup[8];
    assert_int_equal(dup_support_top(s, out, sup, 8), 8);
    assert_true(out[0] == 11);
    /* the best key whole, 0.3 of the others */
    assert_true(sup[0] > 1.149 && sup[0] < 1.151);
    assert_true(out[1] == 12 && sup[1] == 0.5);
    dup_support_reset(s);
    assert_int_equal(dup_support_top(s, out, sup, 8), 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_top_k_is_the_head_of_the_full_order),
        cmocka_unit_test(test_weights_and_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
