/*
 * test_app_throttle.c — sign-in throttling as a user meets it, through
 * app_login (src/app/auth.c over the counters of src/app/throttle.c; the
 * counters themselves are tested in test_throttle.c).
 *
 *   - after AWDA_LOGIN_FAILURES_PER_USER failed sign-ins of one user from
 *     one address, the next from there is 429 with a wait no longer than
 *     the window, even with the right password, and no password is
 *     checked for it; the same user from another address, and another
 *     user from that address, still sign in;
 *   - a successful sign-in clears that user's failures from that address;
 *   - an IPv6 address counts by its /64 and an IPv4-mapped one as IPv4;
 *   - after AWDA_LOGIN_FAILURES_PER_ADDR failures from one address, of
 *     whatever user names, every sign-in from it is 429;
 *   - an unknown user name, a wrong password and a disabled account are
 *     all 401 with the same message, and each costs a password check;
 *     a sign-in without a name or a password is 422 and costs none.
 *
 * Users are created with app_user_create (their passwords hashed as in
 * production); each failed attempt runs one real Argon2id check, so the
 * tests keep to the few attempts the limits need.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"
#include "../../src/util/limits.h"

#define PASSWORD "correct horse battery"
#define WRONG    "wrong horse battery!"

static void user(tmpapp_t *t, const char *username)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = json_pack("{s:s,s:s,s:[s],s:[s]}", "username", username, "password", PASSWORD,
                          "roles", "registration", "offices", "EG-CAI");
    app_result_t r = {0};
    app_user_create(t->app, &sys, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    app_result_free(&r);
}

/* Signs in; the answer's code (and its wait into *wait when not NULL). */
static app_code_t login(tmpapp_t *t, const char *username, const char *password, const char *addr,
                        int *wait)
{
    app_result_t r = {0};
    app_login(t->app, username, password, NULL, addr, &r);
    app_code_t code = r.code;
    if (code == APP_CREATED)
        assert_int_equal(strlen(json_string_value(json_object_get(r.body, "token"))), 64);
    if (code == APP_UNAUTHORIZED)
        assert_string_equal(r.detail, "the user name or the password is wrong");
    if (wait)
        *wait = r.retry_after;
    app_result_free(&r);
    return code;
}

static void test_pair_limit(void **state)
{
    tmpapp_t *t = *state;
    user(t, "amal");
    user(t, "hana");
    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_USER; i++)
        assert_int_equal(login(t, "amal", WRONG, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    unsigned long long checks = app_password_checks(t->app);
    int wait = 0;
    assert_int_equal(login(t, "amal", PASSWORD, "10.0.0.1", &wait), APP_TOO_MANY);
    assert_true(wait > 0 && wait <= AWDA_LOGIN_WINDOW_SECONDS);
    /* refused before any hashing */
    assert_int_equal(app_password_checks(t->app), checks);
    /* elsewhere, and someone else from there, are not held back */
    assert_int_equal(login(t, "amal", PASSWORD, "10.0.0.2", NULL), APP_CREATED);
    assert_int_equal(login(t, "hana", PASSWORD, "10.0.0.1", NULL), APP_CREATED);
    assert_int_equal(login(t, "amal", PASSWORD, "10.0.0.1", NULL), APP_TOO_MANY);
}

static void test_success_clears_pair(void **state)
{
    tmpapp_t *t = *state;
    user(t, "amal");
    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_USER - 1; i++)
        assert_int_equal(login(t, "amal", WRONG, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    assert_int_equal(login(t, "amal", PASSWORD, "10.0.0.1", NULL), APP_CREATED);
    /* a fresh budget: as many failures again before the refusal */
    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_USER; i++)
        assert_int_equal(login(t, "amal", WRONG, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    assert_int_equal(login(t, "amal", PASSWORD, "10.0.0.1", NULL), APP_TOO_MANY);
}

static void test_addresses_as_counted(void **state)
{
    tmpapp_t *t = *state;
    user(t, "amal");
    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_USER; i++)
        assert_int_equal(login(t, "amal", WRONG, "2001:db8:1:2::1", NULL), APP_UNAUTHORIZED);
    /* the same /64 */
    assert_int_equal(login(t, "amal", PASSWORD, "2001:db8:1:2:ffff:ffff:ffff:ffff", NULL),
                     APP_TOO_MANY);
    /* the next /64 */
    assert_int_equal(login(t, "amal", PASSWORD, "2001:db8:1:3::1", NULL), APP_CREATED);

    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_USER; i++)
        assert_int_equal(login(t, "amal", WRONG, "192.0.2.7", NULL), APP_UNAUTHORIZED);
    assert_int_equal(login(t, "amal", PASSWORD, "::ffff:192.0.2.7", NULL), APP_TOO_MANY);
    assert_int_equal(login(t, "amal", PASSWORD, "192.0.2.8", NULL), APP_CREATED);
}

static void test_address_limit(void **state)
{
    tmpapp_t *t = *state;
    user(t, "amal");
    /* names nobody has, a few tries each: only the address fills up */
    char name[32];
    for (int i = 0; i < AWDA_LOGIN_FAILURES_PER_ADDR; i++) {
        snprintf(name, sizeof name, "guess%d", i / 2);
        assert_int_equal(login(t, name, WRONG, "198.51.100.9", NULL), APP_UNAUTHORIZED);
    }
    int wait = 0;
    assert_int_equal(login(t, "amal", PASSWORD, "198.51.100.9", &wait), APP_TOO_MANY);
    assert_true(wait > 0 && wait <= AWDA_LOGIN_WINDOW_SECONDS);
    assert_int_equal(login(t, "amal", PASSWORD, "198.51.100.10", NULL), APP_CREATED);
}

static void test_refusals_look_alike(void **state)
{
    tmpapp_t *t = *state;
    user(t, "amal");
    user(t, "omar");
    assert_int_equal(tmpdb_exec(t->db, "UPDATE users SET disabled=1 WHERE username='omar'"),
                     SQLITE_OK);
    unsigned long long checks = app_password_checks(t->app);
    assert_int_equal(login(t, "nobody", PASSWORD, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    assert_int_equal(login(t, "amal", WRONG, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    assert_int_equal(login(t, "omar", PASSWORD, "10.0.0.1", NULL), APP_UNAUTHORIZED);
    assert_int_equal(app_password_checks(t->app), checks + 3);
    assert_int_equal(login(t, "", PASSWORD, "10.0.0.1", NULL), APP_INVALID);
    assert_int_equal(login(t, "amal", "", "10.0.0.1", NULL), APP_INVALID);
    assert_int_equal(app_password_checks(t->app), checks + 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pair_limit, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_success_clears_pair, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_addresses_as_counted, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_address_limit, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_refusals_look_alike, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
