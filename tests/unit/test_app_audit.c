/*
 * test_app_audit.c — the audit log through the application layer
 * (src/app/audit.c), over a temporary database.
 *
 *   - what app_audit records is chained: app_audit_verify answers OK with
 *     the number checked, and APP_CONFLICT naming the first bad record
 *     once a record was altered behind the store's back;
 *   - the list is scoped like everything else: a programme manager scoped
 *     to an office and projects sees the records about the cases there
 *     (and those cases' persons), not sign-ins or other offices' cases; a
 *     user who sees every office (a manager not scoped to projects, an
 *     administrator) sees every record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

static size_t listed(tmpapp_t *t, const app_actor_t *a, const char *entity)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_audit_list(t->app, a, entity, NULL, NULL, NULL, &r);
    tmpapp_expect(&r, APP_OK);
    size_t n = json_array_size(json_object_get(r.body, "items"));
    app_result_free(&r);
    return n;
}

static void test_verify_and_tamper(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t reg;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &reg);
    app_audit(t->app, NULL, "nobody", "10.0.0.9", "POST", "/api/v1/login", NULL, 401);
    app_audit(t->app, &reg, NULL, "10.0.0.1", "POST", "/api/v1/login", NULL, 200);
    app_audit(t->app, &reg, NULL, "10.0.0.1", "GET", "/api/v1/cases", NULL, 200);
    tmpdb_flush(t->db);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_audit_verify(t->app, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_integer_value(json_object_get(r.body, "checked")), 3);
    app_result_free(&r);

    long long second = tmpdb_int(t->db, "SELECT pk FROM audit ORDER BY pk LIMIT 1 OFFSET 1");
    char sql[160];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_no_update; UPDATE audit SET addr='10.9.9.9' WHERE pk=%lld",
             second);
    assert_int_equal(tmpdb_exec(t->db, sql), SQLITE_OK);
    app_audit_verify(t->app, &r);
    tmpapp_expect(&r, APP_CONFLICT);
    assert_int_equal(json_integer_value(json_object_get(r.body, "first_bad")), second);
    char want[32];
    snprintf(want, sizeof want, "record %lld", second);
    assert_non_null(strstr(r.detail, want));
    app_result_free(&r);
}

static int projects_job(store_conn_t *c, void *ctx)
{
    json_t *u = json_pack("{s:[s]}", "projects", "Sahel");
    int rc = store_user_update(c, ctx, u, NULL);
    json_decref(u);
    return rc;
}

/* A programme manager of offices and projects: scoped to them. */
static void scoped_manager(tmpapp_t *t, const char *username, const char *office, app_actor_t *a)
{
    char offices[32];
    snprintf(offices, sizeof offices, "[\"%s\"]", office);
    tmpapp_actor(t, username, "[\"manager\"]", offices, a);
    assert_int_equal(tmpdb_write(t->db, projects_job, (void *)username), STORE_OK);
    tmpdb_principal(t->db, username, &a->p);
    assert_int_equal(a->p.nprojects, 1);
}

static void test_list_is_scoped(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t cai, bko, everywhere, admin;
    scoped_manager(t, "amal", "EG-CAI", &cai);
    scoped_manager(t, "moussa", "ML-BKO", &bko);
    tmpapp_actor(t, "nadia", "[\"manager\"]", "[\"EG-CAI\"]", &everywhere);
    tmpapp_actor(t, "root", "[\"admin\"]", "[]", &admin);
    char a[37], b[37];
    tmpapp_register(t, &cai, "EG-CAI", a);
    tmpapp_register(t, &bko, "ML-BKO", b);
    app_audit(t->app, &cai, NULL, "10.0.0.1", "POST", "/api/v1/login", NULL, 200);
    app_audit(t->app, &cai, NULL, "10.0.0.1", "GET", "/api/v1/cases/{id}", a, 200);
    app_audit(t->app, &cai, NULL, "10.0.0.1", "PATCH", "/api/v1/cases/{id}", a, 200);
    app_audit(t->app, &bko, NULL, "10.0.0.2", "GET", "/api/v1/cases/{id}", b, 200);
    tmpdb_flush(t->db);
    assert_int_equal(listed(t, &cai, NULL), 2);
    assert_int_equal(listed(t, &cai, a), 2);
    assert_int_equal(listed(t, &cai, b), 0); /* as for an unknown id */
    assert_int_equal(listed(t, &bko, NULL), 1);
    /* a manager not scoped to projects, and an administrator, see all */
    assert_int_equal(listed(t, &everywhere, NULL), 4);
    assert_int_equal(listed(t, &admin, NULL), 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify_and_tamper, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_list_is_scoped, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
