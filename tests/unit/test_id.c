/*
 * test_id.c — identifiers, tokens and hashes (src/util/id.c).
 *
 * Case and person ids are UUIDv7 so that a laptop in a transit centre can
 * make them offline and they still sort by creation. A duplicate id would
 * merge two people's records; a badly formed one would be refused by other
 * systems that exchange them. These tests check the RFC 9562 layout
 * (version nibble 7, variant bits 10), that the leading 48 bits are the
 * current Unix milliseconds, uniqueness over 10,000 ids, ordering across
 * milliseconds, the validator used on every id a client sends, the session
 * token generator and the BLAKE2b-256 hash (known answers) used to store
 * tokens and idempotency keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/id.h"
#include "../../src/util/timeutil.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int setup(void **state)
{
    (void)state;
    return sodium_init() < 0 ? -1 : 0;
}

static int is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int hexval(char c)
{
    return c <= '9' ? c - '0' : c - 'a' + 10;
}

static void test_uuid7_layout(void **state)
{
    (void)state;
    for (int k = 0; k < 200; k++) {
        char u[AWDA_UUID_LEN + 1];
        awda_uuid7(u);
        assert_int_equal(strlen(u), 36);
        for (int i = 0; i < 36; i++) {
            if (i == 8 || i == 13 || i == 18 || i == 23)
                assert_int_equal(u[i], '-');
            else
                assert_true(is_lower_hex(u[i]));
        }
        assert_int_equal(u[14], '7');           /* version 7 */
        assert_non_null(strchr("89ab", u[19])); /* variant 10xx */
        assert_true(awda_uuid_valid(u, strlen(u)));
    }
}

static void test_uuid7_carries_time(void **state)
{
    (void)state;
    int64_t before = awda_now_ms();
    char u[AWDA_UUID_LEN + 1];
    awda_uuid7(u);
    int64_t after = awda_now_ms();
    /* First 12 hex digits (without the dash) are the milliseconds. */
    int64_t ms = 0;
    for (int i = 0; i < 13; i++) {
        if (i == 8)
            continue;
        ms = ms * 16 + hexval(u[i]);
    }
    assert_true(ms >= before);
    assert_true(ms <= after);
}

static int cmp_ids(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_uuid7_unique_over_10k(void **state)
{
    (void)state;
    enum { N = 10000 };
    char(*ids)[AWDA_UUID_LEN + 1] = malloc(N * sizeof *ids);
    assert_non_null(ids);
    for (int i = 0; i < N; i++)
        awda_uuid7(ids[i]);
    qsort(ids, N, sizeof *ids, cmp_ids);
    int dups = 0;
    for (int i = 1; i < N; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0)
            dups++;
    assert_int_equal(dups, 0);
    free(ids);
}

static void test_uuid7_sorts_across_milliseconds(void **state)
{
    (void)state;
    char prev[AWDA_UUID_LEN + 1];
    awda_uuid7(prev);
    for (int i = 0; i < 5; i++) {
        struct timespec ts = {0, 2 * 1000 * 1000}; /* 2 ms */
        nanosleep(&ts, NULL);
        char next[AWDA_UUID_LEN + 1];
        awda_uuid7(next);
        assert_true(strcmp(prev, next) < 0);
        memcpy(prev, next, sizeof prev);
    }
}

static void test_uuid_valid_accepts(void **state)
{
    (void)state;
    const char *ok[] = {
        "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "0190A6F2-3C4D-7E8F-9A0B-1C2D3E4F5A6B",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_true(awda_uuid_valid(ok[i], strlen(ok[i])));
}

static void test_uuid_valid_rejects(void **state)
{
    (void)state;
    const char *bad[] = {
        "",
        "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6",   /* 35 */
        "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b0", /* 37 */
        "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6g",  /* g */
        "0190a6f23-c4d-7e8f-9a0b-1c2d3e4f5a6b",  /* dash moved */
        "0190a6f2x3c4d-7e8f-9a0b-1c2d3e4f5a6b",
        "0190a6f2-3c4d-7e8f-9a0b+1c2d3e4f5a6b",
        "{190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6}",
        "0190a6f23c4d7e8f9a0b1c2d3e4f5a6b", /* no dashes */
        "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6 ",
        "' OR 1=1 --                         ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(awda_uuid_valid(bad[i], strlen(bad[i])));
    /* The length argument is what counts: a valid prefix of a longer
     * string is fine, a truncated view is not. */
    const char *s = "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6bEXTRA";
    assert_true(awda_uuid_valid(s, 36));
    assert_false(awda_uuid_valid(s, 35));
}

static void test_random_hex(void **state)
{
    (void)state;
    char a[65], b[65];
    awda_random_hex(a, 32);
    awda_random_hex(b, 32);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strlen(b), 64);
    for (int i = 0; i < 64; i++)
        assert_true(is_lower_hex(a[i]));
    assert_string_not_equal(a, b);
    char c[9];
    awda_random_hex(c, 4);
    assert_int_equal(strlen(c), 8);
    char z[1];
    awda_random_hex(z, 0);
    assert_string_equal(z, "");
}

static void test_hash_hex_known_answers(void **state)
{
    (void)state;
    char h[65];
    awda_hash_hex("", 0, h);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    awda_hash_hex("abc", 3, h);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assert_int_equal(strlen(h), 64);
}

static void test_hash_hex_deterministic_and_distinct(void **state)
{
    (void)state;
    char a[65], b[65], c[65];
    awda_hash_hex("token-1", 7, a);
    awda_hash_hex("token-1", 7, b);
    awda_hash_hex("token-2", 7, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    /* Only n bytes are hashed. */
    awda_hash_hex("token-1 and more", 7, b);
    assert_string_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uuid7_layout),
        cmocka_unit_test(test_uuid7_carries_time),
        cmocka_unit_test(test_uuid7_unique_over_10k),
        cmocka_unit_test(test_uuid7_sorts_across_milliseconds),
        cmocka_unit_test(test_uuid_valid_accepts),
        cmocka_unit_test(test_uuid_valid_rejects),
        cmocka_unit_test(test_random_hex),
        cmocka_unit_test(test_hash_hex_known_answers),
        cmocka_unit_test(test_hash_hex_deterministic_and_distinct),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
