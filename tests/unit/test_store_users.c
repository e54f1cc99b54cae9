/*
 * test_store_users.c — users, sessions and the second factor in the store
 * (store.h, "users, sessions").
 *
 *   - a user is inserted with roles and offices and read back (store_user_get
 *     as JSON, store_user_auth as the principal the application layer
 *     sees, with the password hash); a user name is unique; an unknown
 *     office is STORE_NOTFOUND and the failed job leaves no user behind;
 *   - a session is found while it is alive, not after its absolute expiry,
 *     not once it was idle too long, not after it is deleted, not for a
 *     disabled user, and a new password ends every session of the user;
 *   - the second factor's secret reads back as written but is sealed at
 *     rest (the raw column holds no plain text), and a code's 30-second
 *     step is accepted once: that step again, or an earlier one, is
 *     STORE_CONFLICT (a replayed code).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/util/timeutil.h"

#define HOUR_MS (3600LL * 1000)

typedef struct {
    const char *username;
    json_t *obj;
    const char *pwhash;
    const char *token;
    int64_t user_pk, expires, step;
    const char *secret;
} user_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_user_insert(c, x->obj, x->pwhash);
}

static int update_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_user_update(c, x->username, x->obj, x->pwhash);
}

static int session_insert_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_session_insert(c, x->token, x->user_pk, x->expires);
}

static int session_delete_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_session_delete(c, x->token);
}

static int totp_set_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_user_totp_set(c, x->user_pk, x->secret, 1);
}

static int totp_use_job(store_conn_t *c, void *ctx)
{
    user_ctx_t *x = ctx;
    return store_user_totp_use(c, x->user_pk, x->step);
}

static int insert(tmpdb_t *t, const char *json, const char *pwhash)
{
    user_ctx_t x = {.obj = tmpdb_json(json), .pwhash = pwhash};
    int rc = tmpdb_write(t, insert_job, &x);
    json_decref(x.obj);
    return rc;
}

static int update(tmpdb_t *t, const char *username, const char *json, const char *pwhash)
{
    user_ctx_t x = {.username = username, .obj = tmpdb_json(json), .pwhash = pwhash};
    int rc = tmpdb_write(t, update_job, &x);
    json_decref(x.obj);
    return rc;
}

static int lookup(tmpdb_t *t, const char *token, int64_t now, int64_t idle, store_principal_t *p)
{
    memset(p, 0, sizeof *p);
    return store_session_lookup(tmpdb_reader(t), token, now, idle, p);
}

static void test_insert_get_auth(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    assert_int_equal(store_user_count(tmpdb_reader(t)), 0);
    assert_int_equal(insert(t,
                            "{\"username\":\"amal\",\"full_name\":\"Amal Saleh\","
                            "\"roles\":[\"registration\",\"counsellor\"],"
                            "\"offices\":[\"EG-CAI\",\"ML-BKO\"],\"language\":\"fr\"}",
                            "hash-of-amal"),
                     STORE_OK);
    store_conn_t *c = tmpdb_reader(t);
    assert_int_equal(store_user_count(c), 1);
    json_t *u = store_user_get(c, "amal");
    assert_non_null(u);
    assert_string_equal(json_string_value(json_object_get(u, "full_name")), "Amal Saleh");
    assert_int_equal(json_array_size(json_object_get(u, "roles")), 2);
    assert_int_equal(json_array_size(json_object_get(u, "offices")), 2);
    assert_null(json_object_get(u, "pwhash")); /* never leaves the store as JSON */
    json_decref(u);

    store_principal_t p;
    char hash[64];
    assert_int_equal(store_user_auth(c, "amal", &p, hash, sizeof hash), STORE_OK);
    assert_string_equal(hash, "hash-of-amal");
    assert_string_equal(p.username, "amal");
    assert_int_equal(p.pk, store_user_pk(c, "amal"));
    assert_int_equal(__builtin_popcount(p.roles), 2);
    assert_int_equal(p.disabled, 0);
    assert_int_equal(p.totp_enabled, 0);
    assert_int_equal(p.noffices, 2);
    assert_true((p.offices[0] == cai && p.offices[1] == bko) ||
                (p.offices[0] == bko && p.offices[1] == cai));
    assert_string_equal(p.projects, "[]");

    assert_int_equal(store_user_auth(c, "nobody", &p, hash, sizeof hash), STORE_NOTFOUND);
    assert_null(store_user_get(c, "nobody"));
    assert_int_equal(store_user_pk(c, "nobody"), 0);
}

static void test_username_unique_and_offices_must_exist(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *u = "{\"username\":\"amal\",\"full_name\":\"A\",\"roles\":[\"counsellor\"],"
                    "\"offices\":[\"EG-CAI\"]}";
    assert_int_equal(insert(t, u, "h"), STORE_OK);
    assert_int_equal(insert(t, u, "h"), STORE_CONFLICT);
    assert_int_equal(insert(t,
                            "{\"username\":\"zaid\",\"full_name\":\"Z\",\"roles\":[\"counsellor\"],"
                            "\"offices\":[\"EG-CAI\",\"XX-NON\"]}",
                            "h"),
                     STORE_NOTFOUND);
    store_conn_t *c = tmpdb_reader(t);
    assert_int_equal(store_user_pk(c, "zaid"), 0); /* the job was rolled back whole */
    assert_int_equal(store_user_count(c), 1);
    assert_int_equal(update(t, "nobody", "{\"full_name\":\"N\"}", NULL), STORE_NOTFOUND);
}

static void test_update_roles_offices(void **state)
{
    tmpdb_t *t = *state;
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_user(t, "amal", "[\"counsellor\"]", "[\"EG-CAI\"]");
    assert_int_equal(update(t, "amal",
                            "{\"full_name\":\"Amal S.\",\"roles\":[\"manager\",\"medical\","
                            "\"protection\"],\"offices\":[\"ML-BKO\"]}",
                            NULL),
                     STORE_OK);
    store_principal_t p;
    tmpdb_principal(t, "amal", &p);
    assert_int_equal(__builtin_popcount(p.roles), 3);
    assert_int_equal(p.noffices, 1);
    assert_int_equal(p.offices[0], bko);
    json_t *u = store_user_get(tmpdb_reader(t), "amal");
    assert_string_equal(json_string_value(json_object_get(u, "full_name")), "Amal S.");
    json_decref(u);
}

static void test_sessions(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    int64_t upk = tmpdb_user(t, "amal", "[\"counsellor\"]", "[\"EG-CAI\"]");
    /* The store stamps a session's creation with the clock: the lookups
     * take their "now" from it too. */
    int64_t now = awda_now_ms();
    user_ctx_t x = {.token = "token-hash-1", .user_pk = upk, .expires = now + 12 * HOUR_MS};
    assert_int_equal(tmpdb_write(t, session_insert_job, &x), STORE_OK);
    store_principal_t p;
    assert_int_equal(lookup(t, "token-hash-1", now, HOUR_MS, &p), STORE_OK);
    assert_int_equal(p.pk, upk);
    assert_string_equal(p.username, "amal");
    assert_int_equal(p.noffices, 1);
    assert_int_equal(lookup(t, "token-hash-2", now, HOUR_MS, &p), STORE_NOTFOUND);
    /* past the absolute expiry */
    assert_int_equal(lookup(t, "token-hash-1", now + 13 * HOUR_MS, 24 * HOUR_MS, &p),
                     STORE_NOTFOUND);
    /* idle for two hours with one hour allowed */
    assert_int_equal(lookup(t, "token-hash-1", now + 2 * HOUR_MS, HOUR_MS, &p), STORE_NOTFOUND);
    /* used an hour and a half later: idle again for half an hour only */
    store_session_touch(t->store, "token-hash-1", now + 90 * 60 * 1000);
    tmpdb_flush(t);
    assert_int_equal(lookup(t, "token-hash-1", now + 2 * HOUR_MS, HOUR_MS, &p), STORE_OK);

    /* a disabled user's session is not found; enabled again, it is */
    assert_int_equal(update(t, "amal", "{\"disabled\":true}", NULL), STORE_OK);
    assert_int_equal(lookup(t, "token-hash-1", now, HOUR_MS, &p), STORE_NOTFOUND);

    /* a new password ends the user's sessions */
    x.token = "token-hash-3";
    assert_int_equal(update(t, "amal", "{\"disabled\":false}", NULL), STORE_OK);
    assert_int_equal(tmpdb_write(t, session_insert_job, &x), STORE_OK);
    assert_int_equal(lookup(t, "token-hash-3", now, HOUR_MS, &p), STORE_OK);
    assert_int_equal(update(t, "amal", "{}", "new-hash"), STORE_OK);
    assert_int_equal(lookup(t, "token-hash-3", now, HOUR_MS, &p), STORE_NOTFOUND);

    /* deleted (sign-out) */
    x.token = "token-hash-4";
    assert_int_equal(tmpdb_write(t, session_insert_job, &x), STORE_OK);
    assert_int_equal(lookup(t, "token-hash-4", now, HOUR_MS, &p), STORE_OK);
    assert_int_equal(tmpdb_write(t, session_delete_job, &x), STORE_OK);
    assert_int_equal(lookup(t, "token-hash-4", now, HOUR_MS, &p), STORE_NOTFOUND);
}

static void test_second_factor(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    int64_t upk = tmpdb_user(t, "amal", "[\"finance\"]", "[\"EG-CAI\"]");
    store_conn_t *c = tmpdb_reader(t);
    char secret[64];
    int enabled = -1;
    int64_t last = -1;
    assert_int_equal(store_user_totp_get(c, upk, secret, sizeof secret, &enabled, &last),
                     STORE_NOTFOUND);

    user_ctx_t x = {.user_pk = upk, .secret = "JBSWY3DPEHPK3PXPJBSWY3DP"};
    assert_int_equal(tmpdb_write(t, totp_set_job, &x), STORE_OK);
    assert_int_equal(store_user_totp_get(c, upk, secret, sizeof secret, &enabled, &last), STORE_OK);
    assert_string_equal(secret, "JBSWY3DPEHPK3PXPJBSWY3DP");
    assert_int_equal(enabled, 1);
    store_principal_t p;
    tmpdb_principal(t, "amal", &p);
    assert_int_equal(p.totp_enabled, 1);

    /* sealed at rest */
    char raw[512];
    tmpdb_text(t, "SELECT totp_secret FROM users WHERE username='amal'", raw, sizeof raw);
    assert_true(awda_is_sealed(raw));
    assert_null(strstr(raw, "JBSWY3DP"));

    /* each 30-second step once */
    x.step = 1000;
    assert_int_equal(tmpdb_write(t, totp_use_job, &x), STORE_OK);
    assert_int_equal(tmpdb_write(t, totp_use_job, &x), STORE_CONFLICT);
    x.step = 999;
    assert_int_equal(tmpdb_write(t, totp_use_job, &x), STORE_CONFLICT);
    x.step = 1001;
    assert_int_equal(tmpdb_write(t, totp_use_job, &x), STORE_OK);
    assert_int_equal(store_user_totp_get(c, upk, secret, sizeof secret, &enabled, &last), STORE_OK);
    assert_int_equal(last, 1001);

    /* removed */
    x.secret = NULL;
    assert_int_equal(tmpdb_write(t, totp_set_job, &x), STORE_OK);
    assert_int_equal(store_user_totp_get(c, upk, secret, sizeof secret, &enabled, &last),
                     STORE_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_get_auth, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_username_unique_and_offices_must_exist, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_update_roles_offices, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_sessions, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_second_factor, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
