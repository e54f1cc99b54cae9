/*
 * test_jsonw.c — JSON text written into a capped buffer (src/util/jsonw.c).
 *
 * The case read and the search answer are written with jsonw instead of
 * a jansson tree, and clients parse them as they parsed json_dumps. So a
 * string must come out as the bytes jansson writes for it (compact, UTF-8
 * kept): every control character, the quote and the backslash escaped,
 * everything else copied. The cap is sticky: once an append does not fit,
 * later small ones do nothing and jsonw_take refuses, so a writer never
 * hands out a cut document. A reserve past the cap is only a hint.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/jsonw.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* s[0..n) written by jsonw_str, against json_dumps of the same string. */
static void same_as_jansson(const char *s, size_t n)
{
    jsonw_t w;
    jsonw_init(&w, 1 << 16);
    jsonw_str(&w, s, n);
    char *got;
    size_t len;
    assert_int_equal(jsonw_take(&w, &got, &len), 0);
    json_t *j = json_stringn(s, n);
    assert_non_null(j);
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    assert_non_null(want);
    assert_int_equal(len, strlen(got));
    assert_string_equal(got, want);
    free(want);
    json_decref(j);
    free(got);
}

static void test_strings_as_jansson_writes_them(void **state)
{
    (void)state;
    same_as_jansson("", 0);
    same_as_jansson("Fatima Hassan", 13);
    same_as_jansson("عبد الله حداد", strlen("عبد الله حداد"));
    same_as_jansson("Ouédraogo \"Zongo\" a\\b/c", strlen("Ouédraogo \"Zongo\" a\\b/c"));
    char all[32];
    for (int i = 0; i < 32; i++)
        all[i] = (char)(i == 0 ? 1 : i);
    same_as_jansson(all, sizeof all);
    same_as_jansson("line\nnext\ttab\rcr\bbs\fff\x7f", strlen("line\nnext\ttab\rcr\bbs\fff\x7f"));
}

static void test_a_document(void **state)
{
    (void)state;
    jsonw_t w;
    jsonw_init(&w, 1024);
    jsonw_reserve(&w, 100000); /* past the cap: a hint, not a failure */
    jsonw_lit(&w, "{\"items\":[{\"id\":");
    jsonw_str_or_null(&w, "a\"b");
    jsonw_lit(&w, ",\"name_latin\":");
    jsonw_str_or_null(&w, NULL);
    jsonw_lit(&w, ",\"version\":");
    jsonw_int(&w, -9007199254740993LL);
    jsonw_raw(&w, "}]}", 2); /* the first two bytes */
    jsonw_lit(&w, "}");
    char *got;
    size_t len;
    assert_int_equal(jsonw_take(&w, &got, &len), 0);
    assert_string_equal(got, "{\"items\":[{\"id\":\"a\\\"b\",\"name_latin\":null,"
                             "\"version\":-9007199254740993}]}");
    json_error_t e;
    json_t *j = json_loadb(got, len, 0, &e);
    assert_non_null(j);
    json_decref(j);
    free(got);
}

static void test_the_cap_is_sticky(void **state)
{
    (void)state;
    jsonw_t w;
    jsonw_init(&w, 10);
    jsonw_lit(&w, "[\"abcdef");
    jsonw_lit(&w, "ghi\"]"); /* does not fit */
    jsonw_lit(&w, "]");      /* fits, but the document is already cut */
    char *got = NULL;
    size_t len = 0;
    assert_int_equal(jsonw_take(&w, &got, &len), -1);
    assert_null(got);
    /* exactly the cap fits */
    jsonw_init(&w, 10);
    jsonw_str(&w, "abcdefgh", 8);
    assert_int_equal(jsonw_take(&w, &got, &len), 0);
    assert_int_equal(len, 10);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_as_jansson_writes_them),
        cmocka_unit_test(test_a_document),
        cmocka_unit_test(test_the_cap_is_sticky),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
