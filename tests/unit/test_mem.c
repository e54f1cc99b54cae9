/*
 * test_mem.c — allocation wrappers and failure injection (src/util/mem.c).
 *
 * Every allocation in awda goes through these wrappers so that the other
 * tests can make memory run out at a chosen moment and check that the
 * server fails with an error instead of crashing. These tests pin that
 * hook itself (awda_mem_fail_after(n) lets exactly n allocations through,
 * then fails all of them until turned off with a negative n) and the copy
 * helpers (awda_strndup copies at most n bytes and always terminates).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/mem.h"
#include <stdlib.h>
#include <string.h>

static void test_strndup_bounds(void **state)
{
    (void)state;
    char *a = awda_strndup("Bamako", 3);
    assert_non_null(a);
    assert_string_equal(a, "Bam");
    char *b = awda_strndup("Kita", 100); /* n past the end stops at the NUL */
    assert_non_null(b);
    assert_string_equal(b, "Kita");
    char *c = awda_strndup("Kayes", 0);
    assert_non_null(c);
    assert_string_equal(c, "");
    char raw[3] = {'a', 'b', 'c'}; /* not terminated: only n bytes are read */
    char *d = awda_strndup(raw, 3);
    assert_non_null(d);
    assert_string_equal(d, "abc");
    free(a);
    free(b);
    free(c);
    free(d);
}

static void test_strdup_copies(void **state)
{
    (void)state;
    const char *src = "عودة";
    char *s = awda_strdup(src);
    assert_non_null(s);
    assert_string_equal(s, src);
    assert_ptr_not_equal(s, src);
    free(s);
}

static void test_zero_sizes_return_memory(void **state)
{
    (void)state;
    void *p = awda_malloc(0);
    void *q = awda_calloc(0, 0);
    assert_non_null(p);
    assert_non_null(q);
    free(p);
    free(q);
    int *z = awda_calloc(16, sizeof(int));
    assert_non_null(z);
    for (int i = 0; i < 16; i++)
        assert_int_equal(z[i], 0);
    int *r = awda_realloc(z, 64 * sizeof(int));
    assert_non_null(r);
    assert_int_equal(r[15], 0);
    free(r);
}

static void test_fail_after_counts_exactly(void **state)
{
    (void)state;
    awda_mem_fail_after(2);
    void *a = awda_malloc(8);
    void *b = awda_calloc(1, 8);
    void *c = awda_malloc(8);
    void *d = awda_realloc(NULL, 8);
    char *e = awda_strdup("x");
    awda_mem_fail_after(-1);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_null(d);
    assert_null(e);
    void *f = awda_malloc(8); /* back to normal */
    assert_non_null(f);
    free(a);
    free(b);
    free(f);
}

static void test_failed_realloc_keeps_block(void **state)
{
    (void)state;
    char *p = awda_malloc(4);
    assert_non_null(p);
    memcpy(p, "abc", 4);
    awda_mem_fail_after(0);
    char *q = awda_realloc(p, 1024);
    awda_mem_fail_after(-1);
    assert_null(q);
    assert_string_equal(p, "abc"); /* the old block is still valid */
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strndup_bounds),
        cmocka_unit_test(test_strdup_copies),
        cmocka_unit_test(test_zero_sizes_return_memory),
        cmocka_unit_test(test_fail_after_counts_exactly),
        cmocka_unit_test(test_failed_realloc_keeps_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
