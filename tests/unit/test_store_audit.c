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
 *     of the offices given;
 *   - one entity's records are found in every bucket of 4,096 records of
 *     the index audit_entity_bucket (records 10 to 10,000 apart), page
 *     after page in order, scoped or not.
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

/* The pks of the items of page l (newest first) into pks from *n on. */
static void page_pks(json_t *l, long long *pks, int *n, int cap)
{
    json_t *items = json_object_get(l, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        assert_true(*n < cap);
        pks[(*n)++] = json_integer_value(json_object_get(json_array_get(items, i), "id"));
    }
}

/* Every page of entity's records, 4 at a time, scoped to office when
 * given; their pks into pks (newest first), their count. */
static int all_pages(tmpdb_t *t, const char *entity, const int64_t *office, long long *pks, int cap)
{
    store_conn_t *c = tmpdb_reader(t);
    int n = 0, pages = 0;
    int64_t before = 0;
    for (;;) {
        json_t *l = office ? store_audit_list_scoped(c, entity, NULL, office, 1, NULL, before, 4)
                           : store_audit_list(c, entity, NULL, before, 4);
        assert_non_null(l);
        page_pks(l, pks, &n, cap);
        const char *cur = json_string_value(json_object_get(l, "next_cursor"));
        before = cur ? strtoll(cur, NULL, 10) : 0;
        json_decref(l);
        assert_true(++pages < 100);
        if (!before)
            return n;
    }
}

static void test_entity_list_across_buckets(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    tmpdb_household(t, "EG-CAI", names, 1, &h);
    long long before = tmpdb_int(t, "SELECT count(*) FROM audit");
    /* 13,000 records, every 1,000th about the case, the rest about others */
    enum { TOTAL = 13000, EVERY = 1000 };
    for (int i = 0; i < TOTAL; i++) {
        char other[32];
        snprintf(other, sizeof other, "other-%d", i);
        audit(t, "amal", "GET", "/api/v1/cases/{id}", i % EVERY == 7 ? h.id : other, 200);
    }
    tmpdb_flush(t);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit"), before + TOTAL);
    /* the records span four buckets of the index */
    assert_int_equal(tmpdb_int(t, "SELECT count(DISTINCT pk >> 12) FROM audit"), 4);
    long long want[TOTAL / EVERY];
    int nwant = 0;
    sqlite3 *db = tmpdb_raw(t);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT pk FROM audit WHERE entity_id=? ORDER BY pk DESC",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, h.id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        want[nwant++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(nwant, TOTAL / EVERY);

    long long got[TOTAL / EVERY + 1];
    assert_int_equal(all_pages(t, h.id, NULL, got, TOTAL / EVERY + 1), nwant);
    assert_memory_equal(got, want, sizeof want);
    assert_int_equal(all_pages(t, h.id, &cai, got, TOTAL / EVERY + 1), nwant);
    assert_memory_equal(got, want, sizeof want);
    assert_int_equal(all_pages(t, h.id, &bko, got, TOTAL / EVERY + 1), 0);
    /* the index by bucket is there (how fast it makes the list: bench/RESULTS.md) */
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM alog.sqlite_master WHERE type='index' "
                                  "AND name='audit_entity_bucket'"),
                     1);
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
        cmocka_unit_test_setup_teardown(test_entity_list_across_buckets, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
