/*
 * test_app_restrictions.c — the use cases of country restrictions
 * (src/app/restrictions.c) over a temporary database.
 *
 *   - a valid restriction is created (201, version 1, its location) and
 *     reads back; one ending before it starts or without a country is
 *     refused (422) naming the field; an unknown or malformed id is 404;
 *   - a change needs the version it was read at: none is 428, an older
 *     one 412 and changes nothing, the current one applies the merge
 *     patch (null removes a field), bumps the version and records the
 *     action; an invalid change is 422 and changes nothing;
 *   - the list gives every restriction, or with review_overdue=true those
 *     whose review date has passed; another value is a bad request;
 *   - the cases a restriction blocks: before departure, going to its
 *     country and area, within the actor's offices; none while it is not
 *     in force; for approval_required, not those approved for it.
 *
 * Cases are registered through app_case_create (tmpapp_register: going
 * to Khartoum, Sudan); stages are set with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

/* A restriction body: country SDN, area (NULL: the whole country), kind,
 * from, until (NULL: open), next review. Caller owns. */
static json_t *restriction(const char *area, const char *kind, const char *from, const char *until,
                           const char *review)
{
    return json_pack("{s:s,s:s?,s:s,s:s,s:s?,s:s,s:s}", "country", "SDN", "admin_area", area,
                     "kind", kind, "effective_from", from, "effective_until", until, "reason",
                     "fighting around the airport", "next_review", review);
}

/* Creates a restriction as a; its id into id. */
static void create(tmpapp_t *t, const app_actor_t *a, json_t *body, char id[37])
{
    app_result_t r = {0};
    app_restriction_create(t->app, a, body, NULL, NULL, &r);
    json_decref(body);
    tmpapp_expect(&r, APP_CREATED);
    snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    app_result_free(&r);
}

static void test_create_and_read(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t a;
    tmpapp_actor(t, "mona", "[\"manager\"]", "[\"EG-CAI\"]", &a);
    app_result_t r = {0};
    json_t *b = restriction("Khartoum", "suspended", "2026-01-01", "2026-12-31", "2026-03-01");
    app_restriction_create(t->app, &a, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    assert_int_equal(r.version, 1);
    char id[37];
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.body, "id")));
    char where[128];
    snprintf(where, sizeof where, "/api/v1/restrictions/%s", id);
    assert_string_equal(r.location, where);
    app_result_free(&r);

    memset(&r, 0, sizeof r);
    app_restriction_get(t->app, &a, id, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(r.version, 1);
    assert_string_equal(json_string_value(json_object_get(r.body, "admin_area")), "Khartoum");
    assert_string_equal(json_string_value(json_object_get(r.body, "kind")), "suspended");
    assert_string_equal(json_string_value(json_object_get(r.body, "effective_until")),
                        "2026-12-31");
    app_result_free(&r);

    /* ends before it starts */
    memset(&r, 0, sizeof r);
    b = restriction(NULL, "suspended", "2026-05-01", "2026-04-30", "2026-06-01");
    app_restriction_create(t->app, &a, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_INVALID);
    assert_true(tmpapp_has_error(&r, "effective_until"));
    app_result_free(&r);
    /* no country, and a kind that does not exist */
    memset(&r, 0, sizeof r);
    b = restriction(NULL, "closed", "2026-05-01", NULL, "2026-06-01");
    json_object_del(b, "country");
    app_restriction_create(t->app, &a, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_INVALID);
    assert_true(tmpapp_has_error(&r, "country"));
    assert_true(tmpapp_has_error(&r, "kind"));
    assert_false(tmpapp_has_error(&r, "effective_until"));
    app_result_free(&r);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM restrictions"), 1);

    memset(&r, 0, sizeof r);
    app_restriction_get(t->app, &a, "0190a6f2-0000-7000-8000-000000000000", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_restriction_get(t->app, &a, "khartoum", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
}

static void test_update_needs_version(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t a;
    tmpapp_actor(t, "mona", "[\"manager\"]", "[\"EG-CAI\"]", &a);
    char id[37];
    create(t, &a, restriction("Khartoum", "suspended", "2026-01-01", NULL, "2026-03-01"), id);

    json_t *patch = tmpdb_json("{\"admin_area\":null,\"next_review\":\"2026-09-01\"}");
    app_result_t r = {0};
    app_restriction_update(t->app, &a, id, -1, patch, "reviewed", &r);
    tmpapp_expect(&r, APP_PRECONDITION_REQUIRED);
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_restriction_update(t->app, &a, id, 0, patch, "reviewed", &r);
    tmpapp_expect(&r, APP_STALE);
    app_result_free(&r);
    char v[64];
    tmpdb_text(t->db, "SELECT version||'|'||admin_area||'|'||next_review FROM restrictions", v,
               sizeof v);
    assert_string_equal(v, "1|Khartoum|2026-03-01");

    memset(&r, 0, sizeof r);
    app_restriction_update(t->app, &a, id, 1, patch, "reviewed", &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(r.version, 2);
    json_t *area = json_object_get(r.body, "admin_area"); /* removed: the whole country */
    assert_true(!area || json_is_null(area));
    assert_string_equal(json_string_value(json_object_get(r.body, "next_review")), "2026-09-01");
    assert_string_equal(json_string_value(json_object_get(r.body, "kind")), "suspended");
    app_result_free(&r);
    json_decref(patch);
    tmpdb_text(t->db,
               "SELECT version||'|'||coalesce(admin_area,'-')||'|'||next_review FROM restrictions",
               v, sizeof v);
    assert_string_equal(v, "2|-|2026-09-01");
    tmpdb_text(t->db,
               "SELECT group_concat(action,',') FROM (SELECT action FROM "
               "restriction_history ORDER BY at, pk)",
               v, sizeof v);
    assert_string_equal(v, "created,reviewed");

    /* an invalid change: 422, nothing changes */
    patch = tmpdb_json("{\"effective_until\":\"2025-12-31\"}");
    memset(&r, 0, sizeof r);
    app_restriction_update(t->app, &a, id, 2, patch, "updated", &r);
    tmpapp_expect(&r, APP_INVALID);
    assert_true(tmpapp_has_error(&r, "effective_until"));
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_restriction_update(t->app, &a, "0190a6f2-0000-7000-8000-000000000000", 1, patch, "updated",
                           &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
    json_decref(patch);
    assert_int_equal(tmpdb_int(t->db, "SELECT version FROM restrictions"), 2);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM restrictions WHERE effective_until "
                                      "IS NULL"),
                     1);
}

static void test_list_review_overdue(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t a;
    tmpapp_actor(t, "mona", "[\"manager\"]", "[\"EG-CAI\"]", &a);
    char overdue[37], later[37];
    create(t, &a, restriction(NULL, "suspended", "2020-01-01", NULL, "2020-02-01"), overdue);
    create(t, &a, restriction("Darfur", "approval_required", "2020-01-01", NULL, "2099-01-01"),
           later);
    app_result_t r = {0};
    app_restriction_list(t->app, &a, "true", &r);
    tmpapp_expect(&r, APP_OK);
    json_t *items = json_object_get(r.body, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")),
                        overdue);
    app_result_free(&r);
    const char *all[] = {NULL, "false"};
    for (int i = 0; i < 2; i++) {
        memset(&r, 0, sizeof r);
        app_restriction_list(t->app, &a, all[i], &r);
        tmpapp_expect(&r, APP_OK);
        assert_int_equal(json_array_size(json_object_get(r.body, "items")), 2);
        app_result_free(&r);
    }
    memset(&r, 0, sizeof r);
    app_restriction_list(t->app, &a, "yes", &r);
    tmpapp_expect(&r, APP_BAD_REQUEST);
    assert_true(tmpapp_has_error(&r, "review_overdue"));
    app_result_free(&r);
}

static int approval_job(store_conn_t *c, void *ctx)
{
    const char **x = ctx; /* case id, restriction id */
    int64_t pk = 0, opk = 0, ver = 0;
    int rc = store_case_find(c, x[0], &pk, &opk, &ver);
    json_t *d = json_pack("{s:s,s:s}", "restriction_id", x[1], "justification",
                          "medical evacuation agreed with the ministry");
    char id[37];
    if (rc == STORE_OK)
        rc = store_record_insert(c, pk, 0, "restriction_approval", d, 0, id);
    json_decref(d);
    return rc;
}

static long long affected(tmpapp_t *t, const app_actor_t *a, const char *id, const char *first)
{
    app_result_t r = {0};
    app_restriction_affected(t->app, a, id, &r);
    tmpapp_expect(&r, APP_OK);
    long long n = json_integer_value(json_object_get(r.body, "count"));
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), (size_t)n);
    assert_false(json_is_true(json_object_get(r.body, "truncated")));
    if (first)
        assert_string_equal(json_string_value(json_object_get(
                                json_array_get(json_object_get(r.body, "items"), 0), "id")),
                            first);
    app_result_free(&r);
    return n;
}

static void test_affected_cases(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t sys, cai;
    tmpapp_system(&sys);
    /* a manager sees every office: an operations officer of EG-CAI does not */
    tmpapp_actor(t, "omar", "[\"operations\"]", "[\"EG-CAI\"]", &cai);
    char mine[37], theirs[37], gone[37];
    tmpapp_register(t, &sys, "EG-CAI", mine);
    tmpapp_register(t, &sys, "ML-BKO", theirs);
    tmpapp_register(t, &sys, "EG-CAI", gone);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE cases SET stage='departed' WHERE id='%s'", gone);
    assert_int_equal(tmpdb_exec(t->db, sql), SQLITE_OK);

    char khartoum[37], darfur[37], future[37], approval[37];
    create(t, &sys, restriction("khartoum", "suspended", "2020-01-01", NULL, "2099-01-01"),
           khartoum);
    create(t, &sys, restriction("Darfur", "suspended", "2020-01-01", NULL, "2099-01-01"), darfur);
    create(t, &sys, restriction(NULL, "suspended", "2098-01-01", NULL, "2099-01-01"), future);
    create(t, &sys, restriction(NULL, "approval_required", "2020-01-01", NULL, "2099-01-01"),
           approval);

    /* before departure, going there, area without regard to case */
    assert_int_equal(affected(t, &sys, khartoum, mine), 2);
    /* in the actor's offices only */
    assert_int_equal(affected(t, &cai, khartoum, mine), 1);
    assert_int_equal(affected(t, &sys, darfur, NULL), 0);
    assert_int_equal(affected(t, &sys, future, NULL), 0);
    /* an approval for it takes a case out */
    assert_int_equal(affected(t, &sys, approval, mine), 2);
    const char *x[] = {mine, approval};
    assert_int_equal(tmpdb_write(t->db, approval_job, x), STORE_OK);
    assert_int_equal(affected(t, &sys, approval, theirs), 1);

    app_result_t r = {0};
    app_restriction_affected(t->app, &sys, "0190a6f2-0000-7000-8000-000000000000", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_and_read, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_update_needs_version, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_list_review_overdue, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_affected_cases, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
