/*
 * test_http_rules.c — the request head rules awda adds on top of
 * libmicrohttpd (src/http/hygiene.c) and the If-Match reader
 * (src/http/conditional.c), without a socket.
 *
 * A proxy in front of awda and awda itself must never disagree about what
 * a request means. Each test hands a list of header lines, as
 * libmicrohttpd would (duplicates included, leading whitespace of the
 * value already stripped), to http_head_field and checks the verdict:
 * the status (0: served), and for refusals the problem type. The API
 * tests (tests/api/test_http_hygiene.py) send the same classes over a
 * socket and check that the answer comes at once on a closed connection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/http/http.h"
#include "../../src/util/limits.h"
#include <stdio.h>
#include <string.h>

#define MAX_BODY 1048576

/* Verdict for the header lines "Name", "value", ..., NULL on HTTP/1.1. */
static int verdict_v(const char *version, const char *const *lines, http_head_t *h)
{
    http_head_init(h);
    for (int i = 0; lines[i]; i += 2)
        http_head_field(h, lines[i], lines[i + 1]);
    http_head_verdict(h, version, MAX_BODY);
    return h->status;
}

#define VERDICT(h, ...) verdict_v("HTTP/1.1", (const char *const[]){__VA_ARGS__, NULL}, (h))

static void test_plain_requests_pass(void **state)
{
    (void)state;
    http_head_t h;
    assert_int_equal(VERDICT(&h, "Host", "127.0.0.1:8080", "Accept", "*/*"), 0);
    assert_int_equal(VERDICT(&h, "Host", "example.org", "Content-Length", "2", "Content-Type",
                             "application/json", "X-Tab", "a\tb"),
                     0);
    assert_int_equal(
        VERDICT(&h, "Host", "[::1]:8080", "Accept-Encoding", "gzip", "Accept-Encoding", "br"),
        0); /* a list header may repeat */
    assert_int_equal(VERDICT(&h, "Host", "", "Cookie", "a=b; c=d"), 0);
    assert_int_equal(VERDICT(&h, "Host", "x", "Content-Length", "1048576"), 0);
    const char *const http10[] = {"Accept", "*/*", NULL};
    assert_int_equal(verdict_v("HTTP/1.0", http10, &h), 0); /* Host optional in 1.0 */
}

static void expect(http_head_t *h, int status, const char *type)
{
    assert_int_equal(h->status, status);
    assert_string_equal(h->type, type);
    assert_true(strlen(h->detail) > 0);
    assert_null(strchr(h->detail, '"'));
}

static void test_transfer_encoding(void **state)
{
    (void)state;
    http_head_t h;
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunked");
    expect(&h, 411, "length-required");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "CHUNKED ");
    expect(&h, 411, "length-required");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunked, chunked");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "xchunked");
    expect(&h, 501, "not-implemented");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunk");
    expect(&h, 501, "not-implemented");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "gzip, chunked");
    expect(&h, 501, "not-implemented");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "\"chunked\"");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunked;q=1");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunked ; ext");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", ",");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Transfer-Encoding", "chunked", "Transfer-Encoding", "chunked");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Content-Length", "2", "Transfer-Encoding", "chunked");
    expect(&h, 400, "bad-request");
    const char *const http10[] = {"Transfer-Encoding", "chunked", NULL};
    verdict_v("HTTP/1.0", http10, &h);
    expect(&h, 400, "bad-request");
}

static void test_singletons(void **state)
{
    (void)state;
    static const char *const ONCE[] = {"Host",
                                       "Authorization",
                                       "Content-Length",
                                       "Content-Type",
                                       "If-Match",
                                       "Idempotency-Key",
                                       "Cookie",
                                       "Origin",
                                       "transfer-encoding",
                                       "AUTHORIZATION",
                                       NULL};
    for (int i = 0; ONCE[i]; i++) {
        http_head_t h;
        const char *value = strcasecmp(ONCE[i], "Content-Length") == 0      ? "2"
                            : strcasecmp(ONCE[i], "Transfer-Encoding") == 0 ? "chunked"
                                                                            : "x";
        /* the same value twice is refused too */
        VERDICT(&h, "Host", "x", ONCE[i], value, ONCE[i], value);
        if (h.status != 400)
            fail_msg("two %s headers: status %d", ONCE[i], h.status);
        assert_non_null(strcasestr(h.detail, ONCE[i]));
    }
    http_head_t h;
    VERDICT(&h, "Host", "x", "host", "y");
    expect(&h, 400, "bad-request");
}

static void test_malformed_lines(void **state)
{
    (void)state;
    http_head_t h;
    static const char *const NAMES[] = {"X Y", "X-Y ", " X",  "X\x01Y", "X\x7fY",
                                        "",    "X(Y)", "X:Y", "X\"",    "\xc3\xa9t\xc3\xa9",
                                        NULL};
    for (int i = 0; NAMES[i]; i++) {
        VERDICT(&h, "Host", "x", NAMES[i], "v");
        if (h.status != 400)
            fail_msg("header name %d: status %d", i, h.status);
    }
    static const char *const VALUES[] = {"a\rb", "a\x01b", "a\x7f", "\x1b[31m",
                                         "a\nb", "\x0b",   NULL};
    for (int i = 0; VALUES[i]; i++) {
        VERDICT(&h, "Host", "x", "X-A", VALUES[i]);
        if (h.status != 400)
            fail_msg("header value %d: status %d", i, h.status);
    }
    /* obs-text (UTF-8 in a value) and HTAB are allowed */
    assert_int_equal(VERDICT(&h, "Host", "x", "X-A", "caf\xc3\xa9\tok"), 0);
}

static void test_host(void **state)
{
    (void)state;
    static const char *const GOOD[] = {
        "localhost", "127.0.0.1", "127.0.0.1:8080", "a.b-c_d~e",   "[::1]", "[::1]:443",
        "x:",        "x:65535",   "example.org ",   "[fe80::1:2]", "",      NULL};
    for (int i = 0; GOOD[i]; i++)
        if (!http_host_valid(GOOD[i]))
            fail_msg("Host %s should be valid", GOOD[i]);
    static const char *const BAD[] = {"a b",   "a, b",     "a,b",    "u@a", "a:b",   "a:65536",
                                      "a:-1",  "a:123456", "[::1",   "[]",  "[::g]", "a/b",
                                      "a\x01", "a:80:80",  "[::1]x", "%41", "a;b",   NULL};
    for (int i = 0; BAD[i]; i++)
        if (http_host_valid(BAD[i]))
            fail_msg("Host %s should be refused", BAD[i]);
    char longhost[AWDA_MAX_HOST_HEADER + 2];
    memset(longhost, 'a', sizeof longhost - 1);
    longhost[sizeof longhost - 1] = '\0';
    assert_false(http_host_valid(longhost));
    longhost[AWDA_MAX_HOST_HEADER] = '\0';
    assert_true(http_host_valid(longhost));
    http_head_t h;
    VERDICT(&h, "Host", "a b");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Accept", "*/*");
    expect(&h, 400, "bad-request"); /* HTTP/1.1 without Host */
}

static void test_content_length(void **state)
{
    (void)state;
    http_head_t h;
    VERDICT(&h, "Host", "x", "Content-Length", "1048577");
    expect(&h, 413, "payload-too-large");
    VERDICT(&h, "Host", "x", "Content-Length", "99999999999999999999999999");
    expect(&h, 413, "payload-too-large");
    assert_int_equal(VERDICT(&h, "Host", "x", "Content-Length", "0001048576"), 0);
    VERDICT(&h, "Host", "x", "Content-Length", "1x");
    expect(&h, 400, "bad-request");
    VERDICT(&h, "Host", "x", "Content-Length", "");
    expect(&h, 400, "bad-request");
}

/* ---- If-Match ---- */

static void test_if_match_lists(void **state)
{
    (void)state;
    app_if_match_t m;
    assert_int_equal(http_if_match_parse("\"3\"", &m), 0);
    assert_true(m.present && !m.any && m.n == 1 && m.v[0] == 3);
    assert_true(app_if_match_ok(&m, 3));
    assert_false(app_if_match_ok(&m, 4));

    assert_int_equal(http_if_match_parse("*", &m), 0);
    assert_true(m.any && app_if_match_ok(&m, 1) && app_if_match_ok(&m, 99));
    assert_int_equal(http_if_match_parse("  *  ", &m), 0);
    assert_true(m.any);

    /* well-formed, never matching: weak tags, other opaque tags */
    static const char *const NEVER[] = {
        "W/\"3\"", "\"stale-0\"", "\"03\"", "\"\"", "\"9999999999999999999\"", NULL};
    for (int i = 0; NEVER[i]; i++) {
        if (http_if_match_parse(NEVER[i], &m) != 0)
            fail_msg("%s is an entity-tag", NEVER[i]);
        if (app_if_match_ok(&m, 3))
            fail_msg("%s must not match version 3", NEVER[i]);
    }

    assert_int_equal(http_if_match_parse("\"1\", W/\"3\" ,\"stale-0\",,\"7\"", &m), 0);
    assert_int_equal(m.n, 2);
    assert_true(app_if_match_ok(&m, 7) && app_if_match_ok(&m, 1));
    assert_false(app_if_match_ok(&m, 3));

    /* sixteen tags fit in AWDA_MAX_IF_MATCH bytes and are all kept */
    assert_int_equal(
        http_if_match_parse("\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"1\","
                            "\"2\",\"3\",\"4\",\"5\",\"6\",\"7\"",
                            &m),
        0);
    assert_int_equal(m.n, APP_IF_MATCH_TAGS);
}

static void test_if_match_malformed(void **state)
{
    (void)state;
    static const char *const BAD[] = {
        "3", "W/3", "\"3", "3\"",        "*, \"3\"", "\"3\" \"4\"", "w/\"3\"", "\"a\"b",
        "",  " , ", "**",  "\"a\"\"b\"", "W/",       "\"x\x01\"",   "\"3 \"",  NULL};
    for (int i = 0; BAD[i]; i++) {
        app_if_match_t m;
        if (http_if_match_parse(BAD[i], &m) != -1)
            fail_msg("If-Match %s should be malformed", BAD[i]);
    }
    char longv[AWDA_MAX_IF_MATCH + 8];
    memset(longv, ' ', sizeof longv - 1);
    longv[sizeof longv - 1] = '\0';
    memcpy(longv, "\"1\"", 3);
    app_if_match_t m;
    assert_int_equal(http_if_match_parse(longv, &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_requests_pass),
        cmocka_unit_test(test_transfer_encoding),
        cmocka_unit_test(test_singletons),
        cmocka_unit_test(test_malformed_lines),
        cmocka_unit_test(test_host),
        cmocka_unit_test(test_content_length),
        cmocka_unit_test(test_if_match_lists),
        cmocka_unit_test(test_if_match_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
