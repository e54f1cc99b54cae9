/*
 * test_store_plans.c — reintegration plans in the store (store/plans.h).
 *
 *   - a needs assessment: its health and psychosocial needs sealed in the
 *     file (no plain text, bound to their row: a sealed value copied to
 *     another assessment does not open), opened when listed;
 *   - plans: members with their shares, beneficiaries, items in order; a
 *     status change at an older version is STORE_STALE; items' counts per
 *     case only over approved plans;
 *   - the plan item types: the seeded table, an added type, a taken code
 *     is STORE_CONFLICT, an unknown type has no dimension;
 *   - the plans overdue: a case at `arrived` whose arrival (the `at` of
 *     its step) is before the limit, not one that arrived later;
 *   - partners' kind and services replaced as a whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/store/plans.h"
#include "tmpdb.h"

typedef struct {
    int64_t case_pk, person_pk, person2_pk, plan_pk, partner_pk;
    json_t *obj;
    char id[37], id2[37];
    int64_t version;
    const char *status;
    store_plan_item_row_t row;
} pl_ctx_t;

static int needs_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    return store_needs_insert(c, x->case_pk, x->person_pk, x->obj, 0, x->id);
}

static void test_needs_sealed(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "ML-BKO", "MLI");
    const char *names[] = {"Amadou", "Awa"};
    tmpdb_household_t h;
    pl_ctx_t x = {.case_pk = tmpdb_household(t, "ML-BKO", names, 2, &h)};
    x.person_pk = h.person_pk[0];
    x.obj = tmpdb_json("{\"assessed_on\":\"2026-11-02\",\"skills\":\"tailoring\","
                       "\"health_needs\":\"needs insulin\",\"psychosocial_needs\":\"nightmares\","
                       "\"choice\":\"own_project\"}");
    assert_int_equal(tmpdb_write(t, needs_job, &x), STORE_OK);
    char first[37];
    memcpy(first, x.id, sizeof first);
    x.person_pk = h.person_pk[1];
    assert_int_equal(tmpdb_write(t, needs_job, &x), STORE_OK);
    json_decref(x.obj);
    char stored[256];
    tmpdb_text(t, "SELECT health_needs FROM needs_assessments ORDER BY pk LIMIT 1", stored,
               sizeof stored);
    assert_non_null(strstr(stored, "sealed:v"));
    assert_null(strstr(stored, "insulin"));
    json_t *list = store_needs_list(tmpdb_reader(t), x.case_pk);
    assert_int_equal(json_array_size(list), 2);
    json_t *n = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(n, "id")), first);
    assert_string_equal(json_string_value(json_object_get(n, "health_needs")), "needs insulin");
    assert_string_equal(json_string_value(json_object_get(n, "psychosocial_needs")), "nightmares");
    assert_string_equal(json_string_value(json_object_get(n, "choice")), "own_project");
    assert_string_equal(json_string_value(json_object_get(n, "person_id")), h.person_id[0]);
    json_decref(list);
    /* a sealed value moved to another row does not open */
    assert_int_equal(tmpdb_exec(t, "UPDATE needs_assessments SET health_needs=(SELECT "
                                   "health_needs FROM needs_assessments ORDER BY pk LIMIT 1) "
                                   "WHERE pk=(SELECT max(pk) FROM needs_assessments)"),
                     0);
    list = store_needs_list(tmpdb_reader(t), x.case_pk);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "health_needs")),
                        "[unreadable]");
    json_decref(list);
}

static int plan_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    int64_t office = store_office_pk(c, "ML-BKO");
    int rc = store_plan_insert(c, x->obj, office, 0, x->id, &x->plan_pk);
    if (rc == STORE_OK)
        rc = store_plan_member_add(c, x->plan_pk, x->case_pk, x->person_pk, 6000);
    if (rc == STORE_OK)
        rc = store_plan_member_add(c, x->plan_pk, x->case_pk, x->person2_pk, 4000);
    if (rc == STORE_OK)
        rc = store_plan_beneficiary_add(c, x->plan_pk, "female", "18-59", 40);
    json_t *item = tmpdb_json("{\"type\":\"business_start_up\",\"budget_minor\":150000,"
                              "\"currency\":\"XOF\",\"modality\":\"in_kind\",\"delivery\":"
                              "\"direct\"}");
    if (rc == STORE_OK)
        rc = store_plan_item_insert(c, x->plan_pk, item, 0, 0, x->id2);
    json_decref(item);
    return rc;
}

static int status_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    return store_plan_set_status(c, x->plan_pk, x->version, x->status, 0);
}

static int item_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    return store_plan_item_update(c, &x->row, x->row.version, NULL, "receipt 12");
}

static void test_plans_and_items(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "ML-BKO", "MLI");
    const char *names[] = {"Amadou", "Awa"};
    tmpdb_household_t h;
    pl_ctx_t x = {.case_pk = tmpdb_household(t, "ML-BKO", names, 2, &h)};
    x.person_pk = h.person_pk[0];
    x.person2_pk = h.person_pk[1];
    x.obj = tmpdb_json("{\"kind\":\"collective\",\"title\":\"Bakery\"}");
    assert_int_equal(tmpdb_write(t, plan_job, &x), STORE_OK);
    json_decref(x.obj);
    store_conn_t *c = tmpdb_reader(t);
    store_plan_row_t row;
    assert_int_equal(store_plan_find(c, x.id, &row), STORE_OK);
    assert_string_equal(row.status, "draft");
    assert_int_equal(row.version, 1);
    json_t *p = store_plan_get(c, x.plan_pk);
    json_t *members = json_object_get(p, "members");
    assert_int_equal(json_array_size(members), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(members, 0), "share_bp")),
                     6000);
    assert_null(json_object_get(json_array_get(members, 0), "case_pk"));
    json_t *it = json_array_get(json_object_get(p, "items"), 0);
    assert_string_equal(json_string_value(json_object_get(it, "dimension")), "economic");
    assert_string_equal(json_string_value(json_object_get(it, "status")), "planned");
    json_decref(p);
    /* items count for a case only once their plan is approved */
    long long open = -1, waiting = -1, delivered = -1;
    assert_int_equal(store_case_item_counts(c, x.case_pk, &open, &waiting, &delivered), STORE_OK);
    assert_int_equal(waiting, 0);
    x.version = 7;
    x.status = "approved";
    assert_int_equal(tmpdb_write(t, status_job, &x), STORE_STALE);
    x.version = 1;
    assert_int_equal(tmpdb_write(t, status_job, &x), STORE_OK);
    assert_int_equal(store_case_item_counts(c, x.case_pk, &open, &waiting, &delivered), STORE_OK);
    assert_int_equal(waiting, 1);
    assert_int_equal(open, 0);
    assert_int_equal(store_plan_item_find(c, x.id2, &x.row), STORE_OK);
    snprintf(x.row.status, sizeof x.row.status, "delivered");
    assert_int_equal(tmpdb_write(t, item_job, &x), STORE_OK);
    assert_int_equal(tmpdb_write(t, item_job, &x), STORE_STALE); /* the version moved */
    assert_int_equal(store_case_item_counts(c, x.case_pk, &open, &waiting, &delivered), STORE_OK);
    assert_int_equal(waiting, 0);
    assert_int_equal(delivered, 1);
    assert_int_equal(store_plan_item_find(c, x.id2, &x.row), STORE_OK);
    assert_true(x.row.has_evidence);
    json_t *of = store_plans_of_case(c, x.case_pk);
    assert_int_equal(json_array_size(of), 1);
    json_decref(of);
}

static int type_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    return store_item_type_insert(c, x->obj);
}

static void test_item_types(void **state)
{
    tmpdb_t *t = *state;
    store_conn_t *c = tmpdb_reader(t);
    json_t *all = store_item_types(c);
    assert_int_equal(json_array_size(all), 12);
    json_decref(all);
    char dim[16];
    assert_int_equal(store_item_type_dimension(c, "housing", dim), STORE_OK);
    assert_string_equal(dim, "social");
    assert_int_equal(store_item_type_dimension(c, "agri_inputs", dim), STORE_NOTFOUND);
    pl_ctx_t x = {.obj = tmpdb_json("{\"code\":\"agri_inputs\",\"dimension\":\"economic\","
                                    "\"name_en\":\"Agricultural inputs\",\"name_fr\":\"Intrants\","
                                    "\"name_ar\":\"مدخلات\"}")};
    assert_int_equal(tmpdb_write(t, type_job, &x), STORE_OK);
    assert_int_equal(tmpdb_write(t, type_job, &x), STORE_CONFLICT);
    json_decref(x.obj);
    assert_int_equal(store_item_type_dimension(c, "agri_inputs", dim), STORE_OK);
    assert_string_equal(dim, "economic");
}

static void test_overdue(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "ML-BKO", "MLI");
    const char *names[] = {"Amadou"};
    tmpdb_household_t a, b;
    int64_t late = tmpdb_household(t, "ML-BKO", names, 1, &a);
    int64_t recent = tmpdb_household(t, "ML-BKO", names, 1, &b);
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE cases SET stage='arrived' WHERE pk IN (%lld,%lld);"
             "INSERT INTO case_events(case_pk,at,kind,data) VALUES"
             "(%lld,1790000000000,'transition','{\"event\":\"record_arrival\",\"to\":\"arrived\","
             "\"at\":\"2026-09-01T10:00Z\"}'),"
             "(%lld,1790000000000,'transition','{\"event\":\"arrive\",\"to\":\"arrived\","
             "\"at\":\"2026-11-20T10:00Z\"}')",
             (long long)late, (long long)recent, (long long)late, (long long)recent);
    assert_int_equal(tmpdb_exec(t, sql), 0);
    int64_t limit = 1793491200000LL; /* 2026-11-01T00:00Z */
    json_t *o = store_plans_overdue(tmpdb_reader(t), limit, 10);
    assert_int_equal(json_array_size(o), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(o, 0), "case_pk")), late);
    assert_string_equal(json_string_value(json_object_get(json_array_get(o, 0), "arrived_at")),
                        "2026-09-01T10:00:00.000Z");
    json_decref(o);
}

static int services_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    int rc = store_partner_kind_set(c, x->partner_pk, "ngo");
    return rc == STORE_OK ? store_partner_services_set(c, x->partner_pk, x->obj) : rc;
}

static int partner_job(store_conn_t *c, void *ctx)
{
    pl_ctx_t *x = ctx;
    json_t *p = tmpdb_json("{\"name\":\"Caritas Mali\",\"country\":\"MLI\"}");
    int rc = store_partner_insert(c, p, x->id);
    json_decref(p);
    return rc;
}

static void test_partner_services(void **state)
{
    tmpdb_t *t = *state;
    pl_ctx_t x = {0};
    assert_int_equal(tmpdb_write(t, partner_job, &x), STORE_OK);
    x.partner_pk = store_plan_partner_pk(tmpdb_reader(t), x.id);
    assert_true(x.partner_pk > 0);
    x.obj = tmpdb_json("[{\"service\":\"psychosocial_counselling\",\"country\":\"MLI\","
                       "\"admin_area\":\"Kayes\"},{\"service\":\"housing\",\"country\":\"MLI\"}]");
    assert_int_equal(tmpdb_write(t, services_job, &x), STORE_OK);
    json_decref(x.obj);
    json_t *s = store_partner_services(tmpdb_reader(t), x.partner_pk);
    assert_string_equal(json_string_value(json_object_get(s, "kind")), "ngo");
    assert_int_equal(json_array_size(json_object_get(s, "services")), 2);
    json_decref(s);
    x.obj = tmpdb_json("[{\"service\":\"housing\",\"country\":\"MLI\"}]");
    assert_int_equal(tmpdb_write(t, services_job, &x), STORE_OK);
    json_decref(x.obj);
    s = store_partner_services(tmpdb_reader(t), x.partner_pk);
    assert_int_equal(json_array_size(json_object_get(s, "services")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(s, "services"), 0), "admin_area")),
                        "");
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_needs_sealed, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_plans_and_items, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_item_types, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_overdue, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_partner_services, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
