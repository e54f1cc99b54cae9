/*
 * test_store_idem.c — the idempotency store (store.h, "idempotency").
 *
 * A response stored under (user, key) reads back whole — request hash,
 * status, body, location — for that user only; the same (user, key) is
 * not stored twice (STORE_CONFLICT: two concurrent retries cannot both
 * create); the body is sealed at rest (a replayed response may hold
 * sealed detail); a purge forgets what was stored before its time only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/util/timeutil.h"

typedef struct {
    int64_t user_pk;
    const char *key;
    store_idem_t rec;
    int64_t before;
} idem_ctx_t;

static int put_job(store_conn_t *c, void *ctx)
{
    idem_ctx_t *x = ctx;
    return store_idem_put(c, x->user_pk, x->key, &x->rec);
}

static int purge_job(store_conn_t *c, void *ctx)
{
    idem_ctx_t *x = ctx;
    return store_idem_purge(c, x->before);
}

static int put(tmpdb_t *t, int64_t user_pk, const char *key, const char *body, const char *location)
{
    idem_ctx_t x = {user_pk, key, {"", 201, (char *)body, (char *)location}, 0};
    snprintf(x.rec.request_hash, sizeof x.rec.request_hash, "%064d", 7);
    return tmpdb_write(t, put_job, &x);
}

static void test_round_trip_per_user(void **state)
{
    tmpdb_t *t = *state;
    store_conn_t *c = tmpdb_reader(t);
    store_idem_t r;
    memset(&r, 0, sizeof r);
    assert_int_equal(store_idem_get(c, 1, "key-1", &r), STORE_NOTFOUND);
    assert_int_equal(
        put(t, 1, "key-1", "{\"id\":\"abc\",\"diagnosis\":\"asthma\"}", "/api/v1/cases/abc"),
        STORE_OK);
    assert_int_equal(put(t, 1, "key-2", "{}", NULL), STORE_OK);
    assert_int_equal(store_idem_get(c, 1, "key-1", &r), STORE_OK);
    assert_int_equal(r.status, 201);
    assert_int_equal(strlen(r.request_hash), 64);
    assert_string_equal(r.body, "{\"id\":\"abc\",\"diagnosis\":\"asthma\"}");
    assert_string_equal(r.location, "/api/v1/cases/abc");
    store_idem_free(&r);
    assert_int_equal(store_idem_get(c, 1, "key-2", &r), STORE_OK);
    assert_null(r.location);
    store_idem_free(&r);
    /* another user's key of the same name is another key */
    assert_int_equal(store_idem_get(c, 2, "key-1", &r), STORE_NOTFOUND);

    char raw[1024];
    tmpdb_text(t, "SELECT body FROM idempotency WHERE key='key-1'", raw, sizeof raw);
    assert_true(awda_is_sealed(raw));
    assert_null(strstr(raw, "asthma"));
}

static void test_stored_once(void **state)
{
    tmpdb_t *t = *state;
    assert_int_equal(put(t, 1, "key-1", "{\"n\":1}", NULL), STORE_OK);
    assert_int_equal(put(t, 1, "key-1", "{\"n\":2}", NULL), STORE_CONFLICT);
    store_idem_t r;
    memset(&r, 0, sizeof r);
    assert_int_equal(store_idem_get(tmpdb_reader(t), 1, "key-1", &r), STORE_OK);
    assert_string_equal(r.body, "{\"n\":1}");
    store_idem_free(&r);
}

static void test_purge(void **state)
{
    tmpdb_t *t = *state;
    int64_t stored_after = awda_now_ms();
    assert_int_equal(put(t, 1, "key-1", "{}", NULL), STORE_OK);
    store_conn_t *c = tmpdb_reader(t);
    store_idem_t r;
    memset(&r, 0, sizeof r);
    idem_ctx_t x = {.before = stored_after - 1000};
    assert_int_equal(tmpdb_write(t, purge_job, &x), STORE_OK);
    assert_int_equal(store_idem_get(c, 1, "key-1", &r), STORE_OK);
    store_idem_free(&r);
    x.before = awda_now_ms() + 1000;
    assert_int_equal(tmpdb_write(t, purge_job, &x), STORE_OK);
    assert_int_equal(store_idem_get(c, 1, "key-1", &r), STORE_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_per_user, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_stored_once, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_purge, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
