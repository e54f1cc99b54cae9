/*
 * test_app_admin.c — administration through the application layer:
 * offices and users (src/app/admin.c) and partner organisations
 * (src/app/partners.c), over a temporary database.
 *
 *   - an office is created (201 and its location), a code taken is 409,
 *     an invalid one 422; its name can change, its code and country not
 *     (422); an unknown code is 404; the staff of an office are those who
 *     work on cases there, shown to staff of that office only (403);
 *   - a user is created with the password hashed (it verifies, and is
 *     never in the answer); a name taken is 409; an office that does not
 *     exist, a partner user without an existing organisation or a second
 *     factor set by the administrator are 422 on the field; a change
 *     cannot rename, sets a new password, disables, and an unknown user
 *     is 404;
 *   - partner organisations are listed by name; a name taken (without
 *     regard to case) is 409 on creation and on a change; a change is a
 *     merge patch (null removes the country); an unknown id is 404.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"
#include <sodium.h>

#define PASSWORD "correct horse battery"

static void office_create(tmpapp_t *t, const char *body, app_code_t want, app_result_t *r)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = tmpdb_json(body);
    memset(r, 0, sizeof *r);
    app_office_create(t->app, &sys, b, NULL, NULL, r);
    json_decref(b);
    tmpapp_expect(r, want);
}

static void office_update(tmpapp_t *t, const char *code, const char *body, app_code_t want,
                          app_result_t *r)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = tmpdb_json(body);
    memset(r, 0, sizeof *r);
    app_office_update(t->app, &sys, code, b, r);
    json_decref(b);
    tmpapp_expect(r, want);
}

static void test_offices(void **state)
{
    tmpapp_t *t = *state;
    app_result_t r;
    office_create(t, "{\"code\":\"TN-TUN\",\"name\":\"Tunis\",\"country\":\"TUN\"}", APP_CREATED,
                  &r);
    assert_string_equal(r.location, "/api/v1/offices/TN-TUN");
    assert_string_equal(json_string_value(json_object_get(r.body, "name")), "Tunis");
    app_result_free(&r);
    office_create(t, "{\"code\":\"EG-CAI\",\"name\":\"Cairo again\",\"country\":\"EGY\"}",
                  APP_CONFLICT, &r);
    app_result_free(&r);
    office_create(t, "{\"code\":\"TUNIS\",\"name\":\"Tunis\",\"country\":\"TUN\"}", APP_INVALID,
                  &r);
    assert_true(tmpapp_has_error(&r, "code"));
    app_result_free(&r);

    app_actor_t sys;
    tmpapp_system(&sys);
    memset(&r, 0, sizeof r);
    app_office_list(t->app, &sys, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), 4);
    app_result_free(&r);

    office_update(t, "TN-TUN", "{\"name\":\"Tunis Lac\"}", APP_OK, &r);
    assert_string_equal(json_string_value(json_object_get(r.body, "name")), "Tunis Lac");
    assert_string_equal(json_string_value(json_object_get(r.body, "country")), "TUN");
    app_result_free(&r);
    office_update(t, "TN-TUN", "{\"country\":\"LBY\"}", APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "country"));
    app_result_free(&r);
    office_update(t, "TN-TUN", "{\"code\":\"TN-SFX\"}", APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "code"));
    app_result_free(&r);
    office_update(t, "XX-XXX", "{\"name\":\"Nowhere\"}", APP_NOT_FOUND, &r);
    app_result_free(&r);
    char v[64];
    tmpdb_text(t->db, "SELECT name||'|'||country FROM offices WHERE code='TN-TUN'", v, sizeof v);
    assert_string_equal(v, "Tunis Lac|TUN");
}

static void test_office_staff(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t amal, omar;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &amal);
    tmpapp_actor(t, "omar", "[\"operations\"]", "[\"ML-BKO\"]", &omar);
    tmpdb_user(t->db, "hana", "[\"counsellor\"]", "[\"EG-CAI\",\"ML-BKO\"]");
    tmpdb_user(t->db, "dana", "[\"donor\"]", "[\"EG-CAI\"]");
    assert_int_equal(tmpdb_exec(t->db, "INSERT INTO user_offices(user_pk,office_pk) SELECT "
                                       "u.pk,o.pk FROM users u, offices o WHERE "
                                       "u.username='omar' AND o.code='EG-CAI';"
                                       "UPDATE users SET disabled=1 WHERE username='omar'"),
                     SQLITE_OK);
    app_result_t r = {0};
    app_office_staff(t->app, &amal, "EG-CAI", &r);
    tmpapp_expect(&r, APP_OK);
    json_t *items = json_object_get(r.body, "items");
    /* amal and hana; not the donor, not the disabled omar */
    assert_int_equal(json_array_size(items), 2);
    char names[64] = "";
    size_t i;
    json_t *u;
    json_array_foreach(items, i, u)
    {
        strcat(names, json_string_value(json_object_get(u, "username")));
        strcat(names, ";");
    }
    assert_string_equal(names, "amal;hana;");
    app_result_free(&r);

    /* omar's actor was made before he was added to EG-CAI: not his office */
    memset(&r, 0, sizeof r);
    app_office_staff(t->app, &omar, "EG-CAI", &r);
    tmpapp_expect(&r, APP_FORBIDDEN);
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_office_staff(t->app, &amal, "XX-XXX", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
}

static void user_create(tmpapp_t *t, json_t *body, app_code_t want, app_result_t *r)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    memset(r, 0, sizeof *r);
    app_user_create(t->app, &sys, body, NULL, NULL, r);
    json_decref(body);
    tmpapp_expect(r, want);
}

static void user_update(tmpapp_t *t, const char *username, json_t *body, app_code_t want,
                        app_result_t *r)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    memset(r, 0, sizeof *r);
    app_user_update(t->app, &sys, username, body, r);
    json_decref(body);
    tmpapp_expect(r, want);
}

/* 1 when password is the user's, as sign-in checks it. */
static int password_is(tmpapp_t *t, const char *username, const char *password)
{
    store_principal_t p;
    char hash[256];
    memset(&p, 0, sizeof p);
    assert_int_equal(store_user_auth(tmpdb_reader(t->db), username, &p, hash, sizeof hash),
                     STORE_OK);
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static void test_users(void **state)
{
    tmpapp_t *t = *state;
    app_result_t r;
    user_create(t,
                json_pack("{s:s,s:s,s:s,s:[s],s:[s]}", "username", "amal", "full_name",
                          "Amal Hassan", "password", PASSWORD, "roles", "registration", "offices",
                          "EG-CAI"),
                APP_CREATED, &r);
    assert_string_equal(r.location, "/api/v1/users/amal");
    char *dump = json_dumps(r.body, JSON_COMPACT);
    assert_null(strstr(dump, PASSWORD));
    assert_null(strstr(dump, "argon2"));
    free(dump);
    app_result_free(&r);
    assert_true(password_is(t, "amal", PASSWORD));
    assert_false(password_is(t, "amal", "wrong horse battery"));

    user_create(t,
                json_pack("{s:s,s:s,s:[s],s:[s]}", "username", "amal", "password", PASSWORD,
                          "roles", "registration", "offices", "ML-BKO"),
                APP_CONFLICT, &r);
    app_result_free(&r);
    user_create(t,
                json_pack("{s:s,s:s,s:[s],s:[s]}", "username", "badr", "password", PASSWORD,
                          "roles", "registration", "offices", "XX-XXX"),
                APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "offices"));
    app_result_free(&r);
    user_create(t,
                json_pack("{s:s,s:s,s:[s],s:[]}", "username", "carl", "password", PASSWORD, "roles",
                          "partner", "offices"),
                APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "organisation"));
    app_result_free(&r);
    user_create(t,
                json_pack("{s:s,s:s,s:[s],s:[],s:s}", "username", "carl", "password", PASSWORD,
                          "roles", "partner", "offices", "organisation",
                          "0190a6f2-0000-7000-8000-0000000000ff"),
                APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "organisation"));
    app_result_free(&r);
    user_create(t,
                json_pack("{s:s,s:s,s:[s],s:[s],s:b}", "username", "dina", "password", PASSWORD,
                          "roles", "registration", "offices", "EG-CAI", "second_factor", 1),
                APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "second_factor"));
    app_result_free(&r);
    /* none of the refused ones was written */
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM users"), 1);

    user_update(t, "amal", json_pack("{s:s}", "username", "amal2"), APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "username"));
    app_result_free(&r);
    user_update(t, "nobody", json_pack("{s:b}", "disabled", 1), APP_NOT_FOUND, &r);
    app_result_free(&r);
    user_update(t, "amal", json_pack("{s:[s]}", "offices", "XX-XXX"), APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "offices"));
    app_result_free(&r);
    user_update(t, "amal", json_pack("{s:s,s:b}", "password", "a new long password", "disabled", 1),
                APP_OK, &r);
    assert_true(json_is_true(json_object_get(r.body, "disabled")));
    app_result_free(&r);
    assert_true(password_is(t, "amal", "a new long password"));
    assert_false(password_is(t, "amal", PASSWORD));
}

static void partner_create(tmpapp_t *t, const char *name, app_code_t want, char id[37])
{
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = json_pack("{s:s,s:s}", "name", name, "country", "EGY");
    app_result_t r = {0};
    app_partner_create(t->app, &sys, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, want);
    if (id)
        snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    app_result_free(&r);
}

static void partner_update(tmpapp_t *t, const char *id, const char *body, app_code_t want,
                           app_result_t *r)
{
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = tmpdb_json(body);
    memset(r, 0, sizeof *r);
    app_partner_update(t->app, &sys, id, b, r);
    json_decref(b);
    tmpapp_expect(r, want);
}

static void test_partners(void **state)
{
    tmpapp_t *t = *state;
    char unicef[37], caritas[37];
    partner_create(t, "UNICEF Egypt", APP_CREATED, unicef);
    partner_create(t, "Caritas Cairo", APP_CREATED, caritas);
    partner_create(t, "caritas cairo", APP_CONFLICT, NULL);

    app_actor_t sys;
    tmpapp_system(&sys);
    app_result_t r = {0};
    app_partner_list(t->app, &sys, &r);
    tmpapp_expect(&r, APP_OK);
    json_t *items = json_object_get(r.body, "items");
    /* the migration may seed partners of its own: ours come in name order */
    size_t i, at_c = 99, at_u = 99;
    json_t *p;
    json_array_foreach(items, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "id"));
        if (strcmp(id, caritas) == 0)
            at_c = i;
        if (strcmp(id, unicef) == 0)
            at_u = i;
    }
    assert_true(at_c < at_u && at_u < json_array_size(items));
    app_result_free(&r);

    partner_update(t, unicef, "{\"name\":\"CARITAS CAIRO\"}", APP_CONFLICT, &r);
    app_result_free(&r);
    partner_update(t, unicef, "{\"country\":null}", APP_OK, &r);
    assert_string_equal(json_string_value(json_object_get(r.body, "name")), "UNICEF Egypt");
    json_t *country = json_object_get(r.body, "country");
    assert_true(!country || json_is_null(country));
    app_result_free(&r);
    partner_update(t, unicef, "{\"name\":\"\"}", APP_INVALID, &r);
    assert_true(tmpapp_has_error(&r, "name"));
    app_result_free(&r);
    partner_update(t, "0190a6f2-0000-7000-8000-0000000000ff", "{\"name\":\"X\"}", APP_NOT_FOUND,
                   &r);
    app_result_free(&r);
    char v[64], sql[128];
    snprintf(sql, sizeof sql, "SELECT name||'|'||coalesce(country,'-') FROM partners WHERE id='%s'",
             unicef);
    tmpdb_text(t->db, sql, v, sizeof v);
    assert_string_equal(v, "UNICEF Egypt|-");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offices, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_office_staff, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_users, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_partners, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
