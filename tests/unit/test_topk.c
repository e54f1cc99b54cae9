/*
 * test_topk.c — util/topk.c, the best k of a stream of (score, id) pairs:
 * after every offer, the last pair kept is the k-th of all offered so far
 * sorted by score then id (the oracle sorts them all), and the pairs kept
 * are exactly the first k.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../src/util/topk.h"

static int cmp_pair(const void *a, const void *b)
{
    const topk_pair_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score - y->score;
    return (x->id > y->id) - (x->id < y->id);
}

static void test_the_last_kept_is_the_kth_of_all(void **state)
{
    (void)state;
    srand(20261206);
    for (int round = 0; round < 300; round++) {
        int k = 1 + rand() % 60, n = rand() % 400;
        topk_pair_t h[60], all[400], kept[60];
        topk_t t;
        topk_init(&t, h, k);
        for (int i = 0; i < n; i++) {
            /* few scores, so that ties are the rule; ids in any order, unique */
            all[i] = (topk_pair_t){rand() % 7, (int64_t)i * 7919 % 400 + 1000 * (rand() % 3)};
            for (int j = 0; j < i; j++)
                if (all[j].id == all[i].id)
                    all[i].id += 100000 + i;
            topk_offer(&t, all[i].score, all[i].id);
            topk_pair_t sorted[400];
            memcpy(sorted, all, (size_t)(i + 1) * sizeof *all);
            qsort(sorted, (size_t)i + 1, sizeof *sorted, cmp_pair);
            int want = i + 1 < k ? i + 1 : k;
            assert_int_equal(t.n, want);
            assert_int_equal(topk_full(&t), i + 1 >= k);
            topk_pair_t last = topk_last(&t);
            if (last.score != sorted[want - 1].score || last.id != sorted[want - 1].id)
                fail_msg("k %d after %d offers: last kept %d/%lld, the %d-th is %d/%lld", k, i + 1,
                         last.score, (long long)last.id, want, sorted[want - 1].score,
                         (long long)sorted[want - 1].id);
            memcpy(kept, h, (size_t)t.n * sizeof *h);
            qsort(kept, (size_t)t.n, sizeof *kept, cmp_pair);
            for (int j = 0; j < t.n; j++)
                assert_true(kept[j].score == sorted[j].score && kept[j].id == sorted[j].id);
        }
    }
}

static void test_an_offer_is_kept_only_before_the_last(void **state)
{
    (void)state;
    topk_pair_t h[2];
    topk_t t;
    topk_init(&t, h, 2);
    assert_int_equal(topk_offer(&t, 3, 10), 1);
    assert_int_equal(topk_offer(&t, 3, 20), 1);
    assert_int_equal(topk_offer(&t, 3, 30), 0); /* same score, registered later */
    assert_int_equal(topk_offer(&t, 4, 1), 0);  /* a worse score */
    assert_int_equal(topk_offer(&t, 3, 15), 1); /* same score, earlier: takes 20's place */
    assert_int_equal(topk_last(&t).id, 15);
    assert_int_equal(topk_offer(&t, 2, 99), 1);
    assert_int_equal(topk_last(&t).id, 10);
    topk_init(&t, h, 0); /* nothing is kept */
    assert_int_equal(topk_offer(&t, 0, 1), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_last_kept_is_the_kth_of_all),
        cmocka_unit_test(test_an_offer_is_kept_only_before_the_last),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
