/*
 * test_fuzz_regressions.c — replays the fuzzers' inputs in `make check`.
 *
 * Every input a fuzzer ever found a problem with is committed under
 * fuzz/regressions/<harness>/ (see fuzz/README.md), and this test sends
 * each of them — and every seed of fuzz/corpus/<harness>/ — through the
 * very entry point the harness uses: the three harness files are
 * compiled in here with FUZZ_NO_MAIN, so fzh_one (raw bytes of a
 * connection through libmicrohttpd, http.c and api.c to a real database),
 * fzv_one (entity validation) and fzn_one (the name normaliser) are the
 * same code libFuzzer runs. A harness aborts on what it counts as a
 * finding (a 500, a connection never finished, a broken invariant) and
 * the sanitizers of the asan build catch the rest, so a regression fails
 * this test either way.
 *
 * Run from the repository root (scripts/run-tests.sh does); inputs that
 * need a comment on what went wrong are also written out below as tests
 * of their own.
 */
#define FUZZ_NO_MAIN
#include "../../fuzz/fuzz_http.c"
#include "../../fuzz/fuzz_norm.c"
#include "../../fuzz/fuzz_validate.c"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

typedef void (*entry_fn)(const uint8_t *data, size_t size);

static void http_entry(const uint8_t *data, size_t size)
{
    fzh_one(data, size, NULL);
}

static uint8_t *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 4096, len = 0;
    uint8_t *b = malloc(cap);
    assert_non_null(b);
    for (;;) {
        size_t got = fread(b + len, 1, cap - len, f);
        len += got;
        if (len < cap)
            break;
        cap *= 2;
        b = realloc(b, cap);
        assert_non_null(b);
    }
    fclose(f);
    *n = len;
    return b;
}

/* Sends every regular file of dir through fn; returns how many. */
static int replay_dir(const char *dir, entry_fn fn)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        size_t n;
        uint8_t *data = read_all(path, &n);
        fn(data, n);
        free(data);
        count++;
    }
    closedir(d);
    return count;
}

static void replay(const char *harness, entry_fn fn)
{
    char dir[256];
    snprintf(dir, sizeof dir, "fuzz/corpus/%s", harness);
    int seeds = replay_dir(dir, fn);
    if (seeds == 0)
        fail_msg("no seeds in %s: run the tests from the repository root", dir);
    snprintf(dir, sizeof dir, "fuzz/regressions/%s", harness);
    replay_dir(dir, fn);
}

static void test_http_inputs(void **state)
{
    (void)state;
    replay("http", http_entry);
}

static void test_validate_inputs(void **state)
{
    (void)state;
    replay("validate", fzv_one);
}

static void test_norm_inputs(void **state)
{
    (void)state;
    replay("norm", fzn_one);
}

/* The harness itself: an HTTP version MHD does not support is answered
 * 505 by MHD, which is not a server failure (the first "finding" of the
 * first run was this false alarm). */
static void test_http_unknown_version_is_not_a_failure(void **state)
{
    (void)state;
    static const char in[] = "GET leha/thz HTTP/2.1\r\nHost: localhvst\r\n\r\n";
    char *resp = NULL;
    size_t n = fzh_one((const uint8_t *)in, sizeof in - 1, &resp);
    assert_true(n > 12);
    assert_memory_equal(resp, "HTTP/1.1 505", 12);
    free(resp);
}

/* Placeholders become the fixture's ids, and the fixture's sessions work. */
static void test_http_fixture(void **state)
{
    (void)state;
    static const char in[] = "GET /api/v1/cases/@CASE@ HTTP/1.1\r\nHost: x\r\n"
                             "Authorization: Bearer " FZH_TOKEN_REG "\r\n\r\n";
    char *resp = NULL;
    size_t n = fzh_one((const uint8_t *)in, sizeof in - 1, &resp);
    assert_true(n > 12);
    assert_memory_equal(resp, "HTTP/1.1 200", 12);
    free(resp);
}

static int teardown_all(void **state)
{
    (void)state;
    fzh_cleanup();
    awda_norm_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_http_fixture),
        cmocka_unit_test(test_http_unknown_version_is_not_a_failure),
        cmocka_unit_test(test_http_inputs),
        cmocka_unit_test(test_validate_inputs),
        cmocka_unit_test(test_norm_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_all);
}
