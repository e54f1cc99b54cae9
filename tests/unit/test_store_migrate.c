/*
 * test_store_migrate.c — the migrations of the store (src/store/).
 *
 * A fresh database (tests/unit/tmpdb.h runs every migration once) is at
 * the latest schema the binary knows; migrating again applies nothing and
 * changes nothing; a database from a newer awda (a schema version beyond
 * the latest) is refused rather than touched; and the tables of the later
 * migrations exist (the audit log refuses UPDATE, as migration 3 says).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

static void test_fresh_database_is_at_latest(void **state)
{
    tmpdb_t *t = *state;
    assert_true(store_schema_latest() >= 14);
    assert_int_equal(store_schema_version(t->store), store_schema_latest());
    assert_int_equal(tmpdb_int(t, "PRAGMA user_version"), store_schema_latest());
}

static void test_migrate_twice_is_a_no_op(void **state)
{
    tmpdb_t *t = *state;
    long long tables = tmpdb_int(t, "SELECT count(*) FROM sqlite_master");
    int applied = -1;
    assert_int_equal(store_migrate(t->store, &applied), STORE_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_migrate(t->store, &applied), STORE_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(store_schema_version(t->store), store_schema_latest());
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM sqlite_master"), tables);
}

static void test_newer_schema_is_refused(void **state)
{
    tmpdb_t *t = *state;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", store_schema_latest() + 1);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    int applied = -1;
    assert_int_equal(store_migrate(t->store, &applied), STORE_ERR);
    assert_int_equal(applied, 0);
    assert_int_equal(store_schema_version(t->store), store_schema_latest() + 1);
}

static void test_later_tables_exist(void **state)
{
    tmpdb_t *t = *state;
    static const char *const tables[] = {
        "offices",      "users",    "persons",           "cases",      "case_records",
        "restrictions", "partners", "sign_in_addresses", "idempotency"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM main.sqlite_master WHERE type='table' AND name='%s'",
                 tables[i]);
        if (tmpdb_int(t, sql) != 1)
            fail_msg("no table %s after the migrations", tables[i]);
    }
    /* The audit log is in a file of its own (migration 28), not in the main one. */
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM alog.sqlite_master WHERE type='table' "
                                  "AND name='audit'"),
                     1);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM main.sqlite_master WHERE name LIKE "
                                  "'audit%'"),
                     0);
    /* The audit log is append-only. */
    assert_int_equal(tmpdb_exec(t, "INSERT INTO audit(at,method,route,status,prev_hash,hash) "
                                   "VALUES(1,'GET','/x',200,'p','h')"),
                     SQLITE_OK);
    assert_int_not_equal(tmpdb_exec(t, "UPDATE audit SET status=500"), SQLITE_OK);
    assert_int_not_equal(tmpdb_exec(t, "DELETE FROM audit"), SQLITE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_database_is_at_latest, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_twice_is_a_no_op, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_newer_schema_is_refused, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_later_tables_exist, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
