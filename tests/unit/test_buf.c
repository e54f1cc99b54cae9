/*
 * test_buf.c — capped growable buffers (src/util/buf.c).
 *
 * Every response body, CSV export and log line in awda is assembled in a
 * buf_t whose maximum size is fixed when it is created. These tests pin the
 * promises callers rely on: appends up to the cap succeed, the first byte
 * past it fails with BUF_TOO_BIG and leaves what was already written
 * untouched, formatted appends are bounded the same way (also past the
 * 256-byte fast path), the contents are always a C string, buf_take hands
 * the memory over and leaves the buffer reusable, and an allocation failure
 * (injected with awda_mem_fail_after) surfaces as BUF_NOMEM instead of a
 * crash or a half-written buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/buf.h"
#include "../../src/util/mem.h"
#include <stdlib.h>
#include <string.h>

static void fill(char *p, size_t n, char c)
{
    memset(p, c, n);
}

static void test_init_is_empty(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 100);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100);
    assert_null(b.data);
    buf_free(&b);
    assert_null(b.data);
}

static void test_append_up_to_cap_then_too_big(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "hello"), BUF_OK);
    assert_int_equal(buf_puts(&b, "world"), BUF_OK);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "helloworld");
    /* One byte past the cap fails and keeps the content. */
    assert_int_equal(buf_putc(&b, '!'), BUF_TOO_BIG);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "helloworld");
    assert_int_equal(buf_append(&b, "x", 1), BUF_TOO_BIG);
    assert_string_equal(b.data, "helloworld");
    /* Appending nothing at the cap is still fine. */
    assert_int_equal(buf_append(&b, "", 0), BUF_OK);
    assert_int_equal(b.len, 10);
    buf_free(&b);
}

static void test_single_append_over_cap_writes_nothing(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "abc"), BUF_OK);
    assert_int_equal(buf_puts(&b, "defghi"), BUF_TOO_BIG); /* 3 + 6 > 8 */
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    assert_int_equal(buf_puts(&b, "defgh"), BUF_OK); /* exactly 8 */
    assert_string_equal(b.data, "abcdefgh");
    buf_free(&b);
}

static void test_huge_length_does_not_wrap(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 64);
    assert_int_equal(buf_puts(&b, "keep"), BUF_OK);
    /* A length that would overflow len + n must be refused, not wrapped. */
    assert_int_equal(buf_append(&b, "x", SIZE_MAX), BUF_TOO_BIG);
    assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), BUF_TOO_BIG);
    assert_string_equal(b.data, "keep");
    assert_int_equal(b.len, 4);
    buf_free(&b);
}

static void test_zero_cap_buffer(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 0);
    assert_int_equal(buf_putc(&b, 'a'), BUF_TOO_BIG);
    assert_int_equal(b.len, 0);
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_growth_large_contents_intact(void **state)
{
    (void)state;
    /* Many small appends across several doublings keep every byte. */
    buf_t b;
    buf_init(&b, 100000);
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        assert_int_equal(buf_putc(&b, c), BUF_OK);
    }
    assert_int_equal(b.len, 10000);
    assert_true(b.cap >= 10001);
    assert_true(b.cap <= 100001);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[10000], '\0');
    assert_int_equal(strlen(b.data), 10000);
    buf_free(&b);
}

static void test_capacity_never_exceeds_max_plus_one(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 300);
    char big[300];
    fill(big, sizeof big, 'z');
    assert_int_equal(buf_append(&b, big, 300), BUF_OK);
    assert_int_equal(b.len, 300);
    assert_true(b.cap <= 301);
    assert_int_equal(b.data[300], '\0');
    assert_int_equal(buf_putc(&b, 'z'), BUF_TOO_BIG);
    buf_free(&b);
}

static void test_printf_formats_and_appends(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 256);
    assert_int_equal(buf_puts(&b, "case "), BUF_OK);
    assert_int_equal(buf_printf(&b, "%s-%04d-%05ld", "EG-CAI", 2026, 42L), BUF_OK);
    assert_string_equal(b.data, "case EG-CAI-2026-00042");
    assert_int_equal(b.len, strlen("case EG-CAI-2026-00042"));
    buf_free(&b);
}

static void test_printf_bounded_by_cap(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 10);
    assert_int_equal(buf_printf(&b, "%d", 12345), BUF_OK);
    assert_int_equal(buf_printf(&b, "%s", "678901"), BUF_TOO_BIG); /* 5 + 6 > 10 */
    assert_string_equal(b.data, "12345");
    assert_int_equal(b.len, 5);
    assert_int_equal(buf_printf(&b, "%s", "67890"), BUF_OK);
    assert_string_equal(b.data, "1234567890");
    buf_free(&b);
}

static void test_printf_longer_than_fast_path(void **state)
{
    (void)state;
    /* Output of 255, 256 and 1000 bytes: around and past the 256-byte stack
     * buffer buf_printf tries first. */
    static const size_t lens[] = {255, 256, 257, 1000};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t n = lens[k];
        char *s = malloc(n + 1);
        assert_non_null(s);
        fill(s, n, 'q');
        s[n] = '\0';
        buf_t b;
        buf_init(&b, 4096);
        assert_int_equal(buf_putc(&b, '<'), BUF_OK);
        assert_int_equal(buf_printf(&b, "%s>", s), BUF_OK);
        assert_int_equal(b.len, n + 2);
        assert_int_equal(b.data[0], '<');
        assert_int_equal(b.data[n], 'q');
        assert_int_equal(b.data[n + 1], '>');
        assert_int_equal(b.data[n + 2], '\0');
        buf_free(&b);
        free(s);
    }
}

static void test_printf_long_over_cap(void **state)
{
    (void)state;
    char s[600];
    fill(s, sizeof s - 1, 'w');
    s[sizeof s - 1] = '\0';
    buf_t b;
    buf_init(&b, 500);
    assert_int_equal(buf_puts(&b, "head"), BUF_OK);
    assert_int_equal(buf_printf(&b, "%s", s), BUF_TOO_BIG);
    assert_string_equal(b.data, "head");
    assert_int_equal(b.len, 4);
    buf_free(&b);
}

static void test_take_hands_over_memory(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 64);
    assert_int_equal(buf_puts(&b, "returnee"), BUF_OK);
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "returnee");
    /* The buffer is empty and reusable; the taken string is ours. */
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 64);
    assert_int_equal(buf_puts(&b, "again"), BUF_OK);
    assert_string_equal(b.data, "again");
    assert_string_equal(s, "returnee");
    buf_free(&b);
    free(s);
}

static void test_take_empty_gives_empty_string(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 16);
    char *s = buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
}

static void test_reset_keeps_cap(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 5);
    assert_int_equal(buf_puts(&b, "abcde"), BUF_OK);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(buf_puts(&b, "vwxyz"), BUF_OK);
    assert_string_equal(b.data, "vwxyz");
    assert_int_equal(buf_putc(&b, '!'), BUF_TOO_BIG);
    buf_free(&b);
    /* Reset on a never-used buffer is harmless. */
    buf_init(&b, 5);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_embedded_nul_bytes_are_data(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 16);
    assert_int_equal(buf_append(&b, "a\0b", 3), BUF_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a\0b", 4);
    buf_free(&b);
}

static void test_nomem_on_first_allocation(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 1024);
    awda_mem_fail_after(0);
    int rc = buf_puts(&b, "x");
    awda_mem_fail_after(-1);
    assert_int_equal(rc, BUF_NOMEM);
    assert_int_equal(b.len, 0);
    assert_null(b.data);
    /* Once memory is back, the same buffer works. */
    assert_int_equal(buf_puts(&b, "x"), BUF_OK);
    assert_string_equal(b.data, "x");
    buf_free(&b);
}

static void test_nomem_on_growth_keeps_content(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 100000);
    char chunk[200];
    fill(chunk, sizeof chunk, 'k');
    assert_int_equal(buf_append(&b, chunk, sizeof chunk), BUF_OK); /* cap 256 */
    awda_mem_fail_after(0);
    int rc1 = buf_append(&b, chunk, sizeof chunk); /* needs growth */
    int rc2 = buf_printf(&b, "%0300d", 7);         /* long path needs growth too */
    awda_mem_fail_after(-1);
    assert_int_equal(rc1, BUF_NOMEM);
    assert_int_equal(rc2, BUF_NOMEM);
    assert_int_equal(b.len, 200);
    assert_int_equal(strlen(b.data), 200);
    assert_int_equal(b.data[199], 'k');
    /* Appends that fit in the existing capacity need no allocation. */
    awda_mem_fail_after(0);
    int rc3 = buf_puts(&b, "tail");
    awda_mem_fail_after(-1);
    assert_int_equal(rc3, BUF_OK);
    assert_int_equal(b.len, 204);
    buf_free(&b);
}

static void test_nomem_after_some_allocations(void **state)
{
    (void)state;
    /* Allow two allocations, then fail: the third growth step fails and
     * everything written before it is still there. */
    buf_t b;
    buf_init(&b, 1 << 20);
    char chunk[256];
    fill(chunk, sizeof chunk, 'm');
    awda_mem_fail_after(2);
    int rc = BUF_OK;
    size_t written = 0;
    for (int i = 0; i < 64 && rc == BUF_OK; i++) {
        rc = buf_append(&b, chunk, sizeof chunk);
        if (rc == BUF_OK)
            written += sizeof chunk;
    }
    awda_mem_fail_after(-1);
    assert_int_equal(rc, BUF_NOMEM);
    assert_true(written > 0);
    assert_int_equal(b.len, written);
    assert_int_equal(strlen(b.data), written);
    buf_free(&b);
}

static void test_take_nomem_on_empty(void **state)
{
    (void)state;
    buf_t b;
    buf_init(&b, 16);
    awda_mem_fail_after(0);
    char *s = buf_take(&b);
    awda_mem_fail_after(-1);
    assert_null(s); /* fails cleanly, no crash */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_is_empty),
        cmocka_unit_test(test_append_up_to_cap_then_too_big),
        cmocka_unit_test(test_single_append_over_cap_writes_nothing),
        cmocka_unit_test(test_huge_length_does_not_wrap),
        cmocka_unit_test(test_zero_cap_buffer),
        cmocka_unit_test(test_growth_large_contents_intact),
        cmocka_unit_test(test_capacity_never_exceeds_max_plus_one),
        cmocka_unit_test(test_printf_formats_and_appends),
        cmocka_unit_test(test_printf_bounded_by_cap),
        cmocka_unit_test(test_printf_longer_than_fast_path),
        cmocka_unit_test(test_printf_long_over_cap),
        cmocka_unit_test(test_take_hands_over_memory),
        cmocka_unit_test(test_take_empty_gives_empty_string),
        cmocka_unit_test(test_reset_keeps_cap),
        cmocka_unit_test(test_embedded_nul_bytes_are_data),
        cmocka_unit_test(test_nomem_on_first_allocation),
        cmocka_unit_test(test_nomem_on_growth_keeps_content),
        cmocka_unit_test(test_nomem_after_some_allocations),
        cmocka_unit_test(test_take_nomem_on_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
