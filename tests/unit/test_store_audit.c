/*
 * test_store_audit.c — the audit log in the store (store.h, "audit").
 *
 *   - records queued with store_audit are written in order and chained:
 *     store_audit_verify walks the chain and finds it intact, also after
 *     the store was closed and opened again (the chain goes on from the
 *     last record on disk);
 *   - a record altered, or removed, behind the store's back (the
 *     append-only triggers dropped with raw SQL) is found: STORE_CONFLICT
 *     with the first bad record;
 *   - the list is newest first, filtered by record id or user, in pages;
 *     the scoped list shows only records about cases (and their persons)
 *     of the offices given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

static void audit(tmpdb_t *t, const char *username, const char *method, const char *route,
                  const char *entity, int status)
{
    store_audit_t a;
    memset(&a, 0, sizeof a);
    a.at = 1767225600000LL + status;
    a.user_pk = username ? 1 : 0;
    snprintf(a.username, sizeof a.username, "%s", username ? username : "");
    snprintf(a.addr, sizeof a.addr, "127.0.0.1");
    snprintf(a.method, sizeof a.method, "%s", method);
    snprintf(a.route, sizeof a.route, "%s", route);
    snprintf(a.entity_id, sizeof a.entity_id, "%s", entity ? entity : "");
    a.status = status;
    store_audit(t->store, &a);
}

/* Five records, the third about entity "e-3". */
static void five(tmpdb_t *t)
{
    audit(t, NULL, "POST", "/api/v1/login", NULL, 401);
    audit(t, "amal", "POST", "/api/v1/login", NULL, 200);
    audit(t, "amal", "GET", "/api/v1/cases/{id}", "e-3", 200);
    audit(t, "zaid", "GET", "/api/v1/cases", NULL, 200);
    audit(t, "amal", "PATCH", "/api/v1/cases/{id}", "e-5", 412);
    tmpdb_flush(t);
}

static int verify(tmpdb_t *t, long long *checked, long long *first_bad)
{
    return store_audit_verify(tmpdb_reader(t), checked, first_bad);
}

static void test_chain_verifies(void **state)
{
    tmpdb_t *t = *state;
    long long checked = -1, bad = -1;
    assert_int_equal(verify(t, &checked, &bad), STORE_OK);
    assert_int_equal(checked, 0);
    five(t);
    assert_int_equal(verify(t, &checked, &bad), STORE_OK);
    assert_int_equal(checked, 5);
    assert_int_equal(bad, 0);
    /* each record holds the hash of the one before */
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit a JOIN audit b ON b.pk=a.pk+1 "
                                  "WHERE b.prev_hash=a.hash"),
                     4);
}

static void test_chain_goes_on_after_reopening(void **state)
{
    tmpdb_t *t = *state;
    five(t);
    store_close(t->store);
    assert_int_equal(store_open(t->path, &t->store), STORE_OK);
    store_set_keyring(t->store, &t->keys);
    int applied = -1;
    assert_int_equal(store_migrate(t->store, &applied), STORE_OK);
    assert_int_equal(applied, 0);
    audit(t, "amal", "GET", "/api/v1/me", NULL, 200);
    tmpdb_flush(t);
    long long checked, bad;
    assert_int_equal(verify(t, &checked, &bad), STORE_OK);
    assert_int_equal(checked, 6);
}

static void test_altered_record_is_found(void **state)
{
    tmpdb_t *t = *state;
    five(t);
    long long third = tmpdb_int(t, "SELECT pk FROM audit ORDER BY pk LIMIT 1 OFFSET 2");
    /* The triggers refuse it ... */
    assert_int_not_equal(tmpdb_exec(t, "UPDATE audit SET status=404"), SQLITE_OK);
    /* ... so an attacker with the file drops them first. */
    char sql[200];
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_no_update; UPDATE audit SET status=404 WHERE pk=%lld", third);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    long long checked, bad;
    assert_int_equal(verify(t, &checked, &bad), STORE_CONFLICT);
    assert_int_equal(bad, third);
    assert_int_equal(checked, 3);
}

static void test_removed_record_is_found(void **state)
{
    tmpdb_t *t = *state;
    five(t);
    long long second = tmpdb_int(t, "SELECT pk FROM audit ORDER BY pk LIMIT 1 OFFSET 1");
    long long third = tmpdb_int(t, "SELECT pk FROM audit ORDER BY pk LIMIT 1 OFFSET 2");
    char sql[200];
    snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE pk=%lld",
             second);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    long long checked, bad;
    assert_int_equal(verify(t, &checked, &bad), STORE_CONFLICT);
    assert_int_equal(bad, third);
}

static void test_list(void **state)
{
    tmpdb_t *t = *state;
    five(t);
    store_conn_t *c = tmpdb_reader(t);
    json_t *l = store_audit_list(c, NULL, NULL, 0, 10);
    json_t *items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 5);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 0), "status")), 412);
    assert_true(json_is_null(json_object_get(l, "next_cursor")));
    json_decref(l);

    l = store_audit_list(c, "e-3", NULL, 0, 10);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 1);
    json_decref(l);
    l = store_audit_list(c, NULL, "amal", 0, 10);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 3);
    json_decref(l);

    l = store_audit_list(c, NULL, NULL, 0, 2);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
    const char *cur = json_string_value(json_object_get(l, "next_cursor"));
    assert_non_null(cur);
    int64_t before = strtoll(cur, NULL, 10);
    json_decref(l);
    l = store_audit_list(c, NULL, NULL, before, 10);
    items = json_object_get(l, "items");
    assert_int_equal(json_array_size(items), 3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(items, 2), "status")), 401);
    json_decref(l);
}

static void test_scoped_list(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    tmpdb_household(t, "EG-CAI", names, 1, &h);
    audit(t, "amal", "GET", "/api/v1/cases/{id}", h.id, 200);
    audit(t, "amal", "GET", "/api/v1/persons/{id}", h.person_id[0], 200);
    audit(t, "amal", "GET", "/api/v1/cases", NULL, 200);
    audit(t, "amal", "POST", "/api/v1/login", NULL, 200);
    tmpdb_flush(t);
    store_conn_t *c = tmpdb_reader(t);
    json_t *l = store_audit_list_scoped(c, NULL, NULL, &cai, 1, NULL, 0, 10);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 2);
    json_decref(l);
    l = store_audit_list_scoped(c, NULL, NULL, &bko, 1, NULL, 0, 10);
    assert_int_equal(json_array_size(json_object_get(l, "items")), 0);
    json_decref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chain_verifies, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_chain_goes_on_after_reopening, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_altered_record_is_found, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_removed_record_is_found, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_list, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_scoped_list, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
