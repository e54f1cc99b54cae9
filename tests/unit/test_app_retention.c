/*
 * test_app_retention.c — the retention policy as the server runs it
 * (app_retention_run, src/app/retention.c) over a temporary database.
 *
 *   - with the default policy, closed cases unchanged for more than 5
 *     years (of 365 days) and withdrawn ones for more than 2 are due;
 *     newer ones, even by a day, and cases at other stages, however old,
 *     are not;
 *   - a dry run lists them, with the policy's years, and changes nothing;
 *   - a real run anonymises them (their members lose their names), adds
 *     "anonymised" to each case's timeline with the persons anonymised,
 *     records each in the audit log as done by "retention", and counts
 *     cases and persons; a second run finds nothing due;
 *   - the configured years replace the defaults.
 *
 * "Now" is a fixed time passed to the run; the cases' last change is set
 * relative to it with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

#define NOW  2000000000000LL /* 2033-05-18 */
#define YEAR (365LL * 24 * 3600 * 1000)
#define DAY  (24LL * 3600 * 1000)

typedef struct {
    tmpdb_household_t closed_old, closed_almost, closed_new, withdrawn_old, withdrawn_new,
        registered_old;
} cases_t;

static void at(tmpapp_t *t, const tmpdb_household_t *h, const char *stage, long long updated_at)
{
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE cases SET stage='%s', updated_at=%lld WHERE pk=%lld", stage,
             updated_at, (long long)h->pk);
    assert_int_equal(tmpdb_exec(t->db, sql), SQLITE_OK);
}

static void seed(tmpapp_t *t, cases_t *x)
{
    const char *a[] = {"Hamid Musa"}, *b[] = {"Idris Adam"}, *c[] = {"Yusuf Ali"},
               *d[] = {"Amina Musa"}, *e[] = {"Karim Adam"}, *f[] = {"Fatima Idris"};
    tmpdb_household(t->db, "EG-CAI", a, 1, &x->closed_old);
    tmpdb_household(t->db, "EG-CAI", b, 1, &x->closed_new);
    tmpdb_household(t->db, "ML-BKO", c, 1, &x->withdrawn_old);
    tmpdb_household(t->db, "ML-BKO", d, 1, &x->withdrawn_new);
    tmpdb_household(t->db, "SD-KRT", e, 1, &x->registered_old);
    tmpdb_household(t->db, "EG-CAI", f, 1, &x->closed_almost);
    at(t, &x->closed_old, "closed", NOW - 5 * YEAR - DAY);
    at(t, &x->closed_almost, "closed", NOW - 5 * YEAR + DAY); /* a day short */
    at(t, &x->closed_new, "closed", NOW - 4 * YEAR);
    at(t, &x->withdrawn_old, "withdrawn", NOW - 2 * YEAR - DAY);
    at(t, &x->withdrawn_new, "withdrawn", NOW - 1 * YEAR);
    at(t, &x->registered_old, "registered", NOW - 10 * YEAR);
}

static long long anonymised_persons(tmpapp_t *t)
{
    return tmpdb_int(t->db, "SELECT count(*) FROM persons WHERE name='[anonymised]' AND "
                            "anonymised_at IS NOT NULL");
}

static const json_t *due_case(const app_result_t *r, size_t i)
{
    return json_array_get(json_object_get(r->body, "cases"), i);
}

static void test_dry_run_changes_nothing(void **state)
{
    tmpapp_t *t = *state;
    cases_t x;
    seed(t, &x);
    app_result_t r = {0};
    app_retention_run(t->app, 1, NOW, &r);
    tmpapp_expect(&r, APP_OK);
    assert_true(json_is_true(json_object_get(r.body, "dry_run")));
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_due")), 2);
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_anonymised")), 0);
    assert_int_equal(json_array_size(json_object_get(r.body, "cases")), 2);
    const json_t *c0 = due_case(&r, 0), *c1 = due_case(&r, 1);
    assert_string_equal(json_string_value(json_object_get(c0, "id")), x.closed_old.id);
    assert_int_equal(json_integer_value(json_object_get(c0, "policy_years")), 5);
    assert_string_equal(json_string_value(json_object_get(c1, "id")), x.withdrawn_old.id);
    assert_int_equal(json_integer_value(json_object_get(c1, "policy_years")), 2);
    assert_null(json_object_get(c0, "persons_anonymised"));
    app_result_free(&r);
    assert_int_equal(anonymised_persons(t), 0);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM cases WHERE anonymised_at IS NOT NULL"),
                     0);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM case_events WHERE kind='anonymised'"),
                     0);
}

static void test_run_anonymises_due_cases(void **state)
{
    tmpapp_t *t = *state;
    cases_t x;
    seed(t, &x);
    app_result_t r = {0};
    app_retention_run(t->app, 0, NOW, &r);
    tmpapp_expect(&r, APP_OK);
    assert_false(json_is_true(json_object_get(r.body, "dry_run")));
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_due")), 2);
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_anonymised")), 2);
    assert_int_equal(json_integer_value(json_object_get(r.body, "persons_anonymised")), 2);
    assert_int_equal(json_integer_value(json_object_get(due_case(&r, 0), "persons_anonymised")), 1);
    app_result_free(&r);

    char sql[200], v[200];
    snprintf(
        sql, sizeof sql,
        "SELECT group_concat(number,',') FROM (SELECT number FROM cases WHERE anonymised_at=%lld "
        "ORDER BY pk)",
        NOW);
    tmpdb_text(t->db, sql, v, sizeof v);
    char want[200];
    snprintf(want, sizeof want, "%s,%s", x.closed_old.number, x.withdrawn_old.number);
    assert_string_equal(v, want);
    tmpdb_text(t->db,
               "SELECT group_concat(name,',') FROM (SELECT name FROM persons WHERE name<>"
               "'[anonymised]' ORDER BY pk)",
               v, sizeof v);
    assert_string_equal(v, "Idris Adam,Amina Musa,Karim Adam,Fatima Idris");
    /* the timeline and the audit log say so */
    snprintf(sql, sizeof sql,
             "SELECT json_extract(data,'$.persons') FROM case_events WHERE kind='anonymised' AND "
             "case_pk=%lld",
             (long long)x.closed_old.pk);
    assert_int_equal(tmpdb_int(t->db, sql), 1);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM case_events WHERE kind='anonymised'"),
                     2);
    tmpdb_flush(t->db);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM alog.audit WHERE username='retention' AND method='RETENTION' "
             "AND entity_id IN ('%s','%s')",
             x.closed_old.id, x.withdrawn_old.id);
    assert_int_equal(tmpdb_int(t->db, sql), 2);

    /* nothing left to do */
    memset(&r, 0, sizeof r);
    app_retention_run(t->app, 0, NOW, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_due")), 0);
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_anonymised")), 0);
    app_result_free(&r);
    assert_int_equal(anonymised_persons(t), 2);
}

static void test_configured_years(void **state)
{
    tmpapp_t *t = *state;
    cases_t x;
    seed(t, &x);
    app_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.retention_closed_years = 3;
    cfg.retention_withdrawn_years = 6;
    app_t *app = app_new(t->db->store, &cfg);
    assert_non_null(app);
    app_result_t r = {0};
    app_retention_run(app, 1, NOW, &r);
    tmpapp_expect(&r, APP_OK);
    /* the three closed cases, oldest first, no withdrawn one */
    assert_int_equal(json_integer_value(json_object_get(r.body, "cases_due")), 3);
    assert_string_equal(json_string_value(json_object_get(due_case(&r, 0), "id")), x.closed_old.id);
    assert_string_equal(json_string_value(json_object_get(due_case(&r, 1), "id")),
                        x.closed_almost.id);
    assert_string_equal(json_string_value(json_object_get(due_case(&r, 2), "id")), x.closed_new.id);
    assert_int_equal(json_integer_value(json_object_get(due_case(&r, 2), "policy_years")), 3);
    app_result_free(&r);
    app_free(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dry_run_changes_nothing, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_run_anonymises_due_cases, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_configured_years, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
