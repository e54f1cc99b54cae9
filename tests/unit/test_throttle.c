/*
 * test_throttle.c — the counters of failed sign-ins (src/app/throttle.c).
 *
 * Sign-in throttling is only as good as its counting: a counter that a
 * colliding key can reset, a check that many concurrent guesses all pass
 * before any is counted, or a full table that quietly forgets failures
 * each lets an attacker guess without limit. These tests pin that counting
 * is exact across thousands of keys, that reservations count against the
 * limit before the attempt is decided, that a counted-only rule never
 * refuses, that a window ends, that a success clears only the rules that
 * say so, and that a full table drops expired counters and otherwise
 * refuses rather than forgets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/app/throttle.h"
#include <stdio.h>
#include <string.h>

static throttle_rule_t rule(const char *key, int limit, int window_s)
{
    throttle_rule_t r;
    memset(&r, 0, sizeof r);
    snprintf(r.key, sizeof r.key, "%s", key);
    r.limit = limit;
    r.window_s = window_s;
    r.enforce = 1;
    return r;
}

static void fail_once(throttle_t *t, const throttle_rule_t *r, int n, int64_t now)
{
    assert_int_equal(throttle_reserve(t, r, n, now), 0);
    throttle_settle(t, r, n, THROTTLE_FAILED, now);
}

static void limit_then_wait(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(64);
    throttle_rule_t r = rule("ua:10.0.0.1 amina", 5, 300);
    for (int i = 0; i < 5; i++)
        fail_once(t, &r, 1, 1000);
    int wait = throttle_reserve(t, &r, 1, 1000);
    assert_int_equal(wait, 300);
    assert_int_equal(throttle_reserve(t, &r, 1, 1000 + 299001), 1);
    /* The window is over: allowed again, from zero. */
    assert_int_equal(throttle_reserve(t, &r, 1, 1000 + 300000), 0);
    throttle_settle(t, &r, 1, THROTTLE_RELEASED, 1000 + 300000);
    assert_int_equal(throttle_count(t), 0);
    throttle_free(t);
}

/* Thousands of other keys, interleaved, never reset or share a counter. */
static void counting_is_exact_among_many_keys(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(10000);
    throttle_rule_t target = rule("u:admin", 5, 300);
    for (int round = 0; round < 4; round++) {
        fail_once(t, &target, 1, 1000);
        for (int i = 0; i < 2000; i++) {
            char k[32];
            snprintf(k, sizeof k, "u:other%d-%d", round, i);
            throttle_rule_t o = rule(k, 5, 300);
            fail_once(t, &o, 1, 1000);
        }
    }
    assert_int_equal(throttle_count(t), 8001);
    fail_once(t, &target, 1, 1000);
    assert_true(throttle_reserve(t, &target, 1, 1000) > 0);
    char k[32];
    snprintf(k, sizeof k, "u:other%d-%d", 2, 17);
    throttle_rule_t o = rule(k, 2, 300);
    assert_true(throttle_reserve(t, &o, 1, 1000) == 0);
    throttle_free(t);
}

/* An attempt in flight counts: 40 reservations before any is settled
 * get exactly the limit through. */
static void reservations_count_before_the_outcome(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(64);
    throttle_rule_t r = rule("ua:10.0.0.1 amina", 5, 300);
    int through = 0, refused = 0;
    for (int i = 0; i < 40; i++) {
        int w = throttle_reserve(t, &r, 1, 1000);
        through += w == 0;
        refused += w > 0;
    }
    assert_int_equal(through, 5);
    assert_int_equal(refused, 35);
    /* A released reservation gives its place back; a failure keeps it. */
    throttle_settle(t, &r, 1, THROTTLE_RELEASED, 1000);
    throttle_settle(t, &r, 1, THROTTLE_FAILED, 1000);
    assert_int_equal(throttle_reserve(t, &r, 1, 1000), 0);
    assert_true(throttle_reserve(t, &r, 1, 1000) > 0);
    throttle_free(t);
}

/* All rules or none: one refusing rule reserves nothing on the others. */
static void all_rules_or_none(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(64);
    throttle_rule_t rs[2] = {rule("a:10.0.0.1", 20, 300), rule("ua:10.0.0.1 amina", 1, 300)};
    fail_once(t, rs, 2, 1000);
    for (int i = 0; i < 30; i++)
        assert_true(throttle_reserve(t, rs, 2, 1000) > 0);
    /* The address has 1 failure, not 31: 19 more fit. */
    throttle_rule_t a = rs[0];
    for (int i = 0; i < 19; i++)
        assert_int_equal(throttle_reserve(t, &a, 1, 1000), 0);
    assert_true(throttle_reserve(t, &a, 1, 1000) > 0);
    throttle_free(t);
}

static void a_counted_only_rule_never_refuses(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(64);
    throttle_rule_t u = rule("u:amina", 3, 3600);
    u.enforce = 0;
    for (int i = 0; i < 10; i++)
        fail_once(t, &u, 1, 1000);
    u.enforce = 1; /* the same counter, seen from an unknown address */
    assert_int_equal(throttle_reserve(t, &u, 1, 1000), 3600);
    throttle_free(t);
}

static void success_clears_only_the_rules_that_say_so(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(64);
    throttle_rule_t rs[2] = {rule("a:10.0.0.1", 3, 300), rule("ua:10.0.0.1 amina", 3, 300)};
    rs[1].clear_on_success = 1;
    fail_once(t, rs, 2, 1000);
    fail_once(t, rs, 2, 1000);
    assert_int_equal(throttle_reserve(t, rs, 2, 1000), 0);
    throttle_settle(t, rs, 2, THROTTLE_SUCCEEDED, 1000);
    assert_int_equal(throttle_count(t), 1); /* the pair's counter is gone */
    fail_once(t, &rs[0], 1, 1000);
    assert_true(throttle_reserve(t, &rs[0], 1, 1000) > 0);
    assert_int_equal(throttle_reserve(t, &rs[1], 1, 1000), 0);
    throttle_free(t);
}

static void a_full_table_drops_expired_counters_else_refuses(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(8);
    char k[32];
    for (int i = 0; i < 8; i++) {
        snprintf(k, sizeof k, "a:10.0.0.%d", i);
        throttle_rule_t r = rule(k, 5, 60);
        fail_once(t, &r, 1, 1000);
    }
    assert_int_equal(throttle_count(t), 8);
    throttle_rule_t nine = rule("a:10.0.0.9", 5, 60);
    /* Full of live counters: refused, and the old ones are intact. */
    assert_int_equal(throttle_reserve(t, &nine, 1, 2000), -1);
    assert_int_equal(throttle_count(t), 8);
    for (int i = 0; i < 4; i++) {
        snprintf(k, sizeof k, "a:10.0.0.%d", i);
        throttle_rule_t r = rule(k, 2, 60);
        fail_once(t, &r, 1, 2000);
        assert_true(throttle_reserve(t, &r, 1, 2000) > 0);
    }
    /* A minute later the first window is over: swept, room again. */
    assert_int_equal(throttle_reserve(t, &nine, 1, 61000), 0);
    assert_int_equal(throttle_count(t), 1);
    throttle_free(t);
}

/* Deletions in the middle of probe runs keep every other key findable. */
static void deletion_keeps_other_keys(void **state)
{
    (void)state;
    throttle_t *t = throttle_new(512);
    char k[32];
    for (int i = 0; i < 512; i++) {
        snprintf(k, sizeof k, "k%d", i);
        throttle_rule_t r = rule(k, 2, 300);
        fail_once(t, &r, 1, 1000);
    }
    for (int i = 0; i < 512; i += 2) {
        snprintf(k, sizeof k, "k%d", i);
        throttle_rule_t r = rule(k, 2, 300);
        assert_int_equal(throttle_reserve(t, &r, 1, 1000), 0);
        throttle_settle(t, &r, 1, THROTTLE_SUCCEEDED, 1000);
        r.clear_on_success = 1;
        assert_int_equal(throttle_reserve(t, &r, 1, 1000), 0);
        throttle_settle(t, &r, 1, THROTTLE_SUCCEEDED, 1000);
    }
    assert_int_equal(throttle_count(t), 256);
    for (int i = 1; i < 512; i += 2) {
        snprintf(k, sizeof k, "k%d", i);
        throttle_rule_t r = rule(k, 2, 300);
        fail_once(t, &r, 1, 1000);
        assert_true(throttle_reserve(t, &r, 1, 1000) > 0);
    }
    throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(limit_then_wait),
        cmocka_unit_test(counting_is_exact_among_many_keys),
        cmocka_unit_test(reservations_count_before_the_outcome),
        cmocka_unit_test(all_rules_or_none),
        cmocka_unit_test(a_counted_only_rule_never_refuses),
        cmocka_unit_test(success_clears_only_the_rules_that_say_so),
        cmocka_unit_test(a_full_table_drops_expired_counters_else_refuses),
        cmocka_unit_test(deletion_keeps_other_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
