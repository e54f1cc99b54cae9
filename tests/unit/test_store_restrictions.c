/*
 * test_store_restrictions.c — country restrictions in the store (store.h,
 * "restrictions").
 *
 *   - a restriction inserted reads back at version 1 with a history of one
 *     "created" entry; an update at the version read bumps it and adds
 *     the action to the history; one at an older version is STORE_STALE
 *     and changes nothing; an unknown id is STORE_NOTFOUND;
 *   - the list is all restrictions or those whose review is overdue;
 *   - the restrictions in force for a destination: by country, a whole
 *     country or one admin area (matched without regard to case), only
 *     between effective_from and effective_until;
 *   - the cases a restriction blocks: before departure, going there, in
 *     the scope given, counted whole and listed up to the limit; for
 *     approval_required, not those with an approval for it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

typedef struct {
    json_t *obj;
    const char *id_in;
    int64_t version;
    const char *action;
    char id[37];
    int64_t case_pk;
} restr_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    restr_ctx_t *x = ctx;
    return store_restriction_insert(c, x->obj, 0, x->id);
}

static int update_job(store_conn_t *c, void *ctx)
{
    restr_ctx_t *x = ctx;
    return store_restriction_update(c, x->id_in, x->version, x->obj, 0, x->action);
}

static int approval_job(store_conn_t *c, void *ctx)
{
    restr_ctx_t *x = ctx;
    char rid[37];
    return store_record_insert(c, x->case_pk, 0, "restriction_approval", x->obj, 0, rid);
}

/* Inserts a restriction; its id into id. */
static void add(tmpdb_t *t, const char *json, char id[37])
{
    restr_ctx_t x = {.obj = tmpdb_json(json)};
    assert_int_equal(tmpdb_write(t, insert_job, &x), STORE_OK);
    json_decref(x.obj);
    memcpy(id, x.id, 37);
}

static const char *SUSPENDED_SDN =
    "{\"country\":\"SDN\",\"admin_area\":null,\"kind\":\"suspended\","
    "\"effective_from\":\"2026-01-01\",\"effective_until\":\"2026-12-31\","
    "\"reason\":\"fighting\",\"next_review\":\"2026-03-01\"}";

static void test_versions_and_history(void **state)
{
    tmpdb_t *t = *state;
    char id[37];
    add(t, SUSPENDED_SDN, id);
    store_conn_t *c = tmpdb_reader(t);
    json_t *r = store_restriction_get(c, id, 1);
    assert_non_null(r);
    assert_int_equal(json_integer_value(json_object_get(r, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(r, "reason")), "fighting");
    json_t *hist = json_object_get(r, "history");
    assert_int_equal(json_array_size(hist), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hist, 0), "action")),
                        "created");
    json_decref(r);

    restr_ctx_t x = {
        .obj = tmpdb_json(SUSPENDED_SDN), .id_in = id, .version = 1, .action = "reviewed"};
    json_object_set_new(x.obj, "next_review", json_string("2026-06-01"));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    json_object_set_new(x.obj, "reason", json_string("a lost update"));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_STALE);
    x.id_in = "0190a6f2-0000-7000-8000-000000000000";
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_NOTFOUND);
    json_decref(x.obj);

    r = store_restriction_get(c, id, 1);
    assert_int_equal(json_integer_value(json_object_get(r, "version")), 2);
    assert_string_equal(json_string_value(json_object_get(r, "next_review")), "2026-06-01");
    assert_string_equal(json_string_value(json_object_get(r, "reason")), "fighting");
    hist = json_object_get(r, "history");
    assert_int_equal(json_array_size(hist), 2);
    json_t *h1 = json_array_get(hist, 1);
    assert_string_equal(json_string_value(json_object_get(h1, "action")), "reviewed");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(h1, "restriction"), "next_review")),
        "2026-06-01");
    json_decref(r);
    r = store_restriction_get(c, id, 0);
    assert_null(json_object_get(r, "history"));
    json_decref(r);
    assert_null(store_restriction_get(c, "0190a6f2-0000-7000-8000-000000000000", 1));
}

static void test_list_and_matching(void **state)
{
    tmpdb_t *t = *state;
    char sdn[37], area[37], later[37];
    add(t, SUSPENDED_SDN, sdn);
    add(t,
        "{\"country\":\"MLI\",\"admin_area\":\"Kidal\",\"kind\":\"approval_required\","
        "\"effective_from\":\"2026-01-01\",\"effective_until\":null,\"reason\":\"unrest\","
        "\"next_review\":\"2026-09-01\"}",
        area);
    add(t,
        "{\"country\":\"MLI\",\"admin_area\":null,\"kind\":\"suspended\","
        "\"effective_from\":\"2027-01-01\",\"effective_until\":null,\"reason\":\"later\","
        "\"next_review\":\"2027-01-01\"}",
        later);
    store_conn_t *c = tmpdb_reader(t);
    json_t *l = store_restriction_list(c, NULL);
    assert_int_equal(json_array_size(l), 3);
    json_decref(l);
    l = store_restriction_list(c, "2026-05-01"); /* review before then: only SDN's */
    assert_int_equal(json_array_size(l), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(l, 0), "id")), sdn);
    json_decref(l);

    struct {
        const char *country, *area, *today;
        size_t n;
    } cases[] = {
        {"SDN", "Khartoum", "2026-05-01", 1}, /* the whole country */
        {"SDN", NULL, "2026-05-01", 1},
        {"SDN", "Khartoum", "2025-12-31", 0}, /* before it starts */
        {"SDN", "Khartoum", "2027-01-01", 0}, /* after it ends */
        {"MLI", "kidal", "2026-05-01", 1},    /* the area, without regard to case */
        {"MLI", "Bamako", "2026-05-01", 0},   /* another area */
        {"MLI", "Kidal", "2027-02-01", 2},    /* and the whole country later */
        {"EGY", NULL, "2026-05-01", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        l = store_restriction_matching(c, cases[i].country, cases[i].area, cases[i].today);
        if (json_array_size(l) != cases[i].n)
            fail_msg("%s/%s on %s: %zu restrictions, expected %zu", cases[i].country,
                     cases[i].area ? cases[i].area : "-", cases[i].today, json_array_size(l),
                     cases[i].n);
        json_decref(l);
    }
}

static void test_affected(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_household_t h;
    const char *a[] = {"Hamid Musa"}, *b[] = {"Sara Idris"}, *d[] = {"Ali Osman"};
    tmpdb_household(t, "EG-CAI", a, 1, &h);
    int64_t second = tmpdb_household(t, "EG-CAI", b, 1, &h);
    tmpdb_household(t, "ML-BKO", d, 1, &h); /* all three go to Khartoum, SDN */
    char sdn[37], appr[37];
    add(t, SUSPENDED_SDN, sdn);
    add(t,
        "{\"country\":\"SDN\",\"admin_area\":\"KHARTOUM\",\"kind\":\"approval_required\","
        "\"effective_from\":\"2026-01-01\",\"effective_until\":null,\"reason\":\"checks\","
        "\"next_review\":\"2026-09-01\"}",
        appr);
    store_conn_t *c = tmpdb_reader(t);
    long long total = -1;
    json_t *l = store_restriction_affected(c, sdn, "2026-05-01", NULL, -1, NULL, 10, &total);
    assert_int_equal(total, 3);
    assert_int_equal(json_array_size(l), 3);
    json_decref(l);
    l = store_restriction_affected(c, sdn, "2026-05-01", NULL, -1, NULL, 1, &total);
    assert_int_equal(total, 3); /* all counted, one listed */
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = store_restriction_affected(c, sdn, "2026-05-01", &bko, 1, NULL, 10, &total);
    assert_int_equal(total, 1);
    json_decref(l);
    l = store_restriction_affected(c, sdn, "2027-05-01", NULL, -1, NULL, 10, &total);
    assert_int_equal(total, 0); /* no longer in force */
    json_decref(l);

    /* an approval for it takes the second case out */
    restr_ctx_t x = {.case_pk = second,
                     .obj = json_pack("{s:s,s:s}", "restriction_id", appr, "decision", "approved")};
    assert_int_equal(tmpdb_write(t, approval_job, &x), STORE_OK);
    json_decref(x.obj);
    l = store_restriction_affected(c, appr, "2026-05-01", &cai, 1, NULL, 10, &total);
    assert_int_equal(total, 1);
    json_decref(l);
    assert_null(store_restriction_affected(c, "0190a6f2-0000-7000-8000-000000000000", "2026-05-01",
                                           NULL, -1, NULL, 10, &total));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_versions_and_history, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_list_and_matching, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_affected, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
