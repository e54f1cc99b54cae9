/*
 * test_store_writer_solo.c — store_write_solo (store.h, writer.c): a job
 * of many statements in a transaction of its own, without a savepoint.
 *
 * What a solo job writes is committed when it succeeds and is all gone
 * when it fails (the rollback is the whole transaction, which is its
 * own); audit records queued before a failing solo job are stored anyway
 * (they go in a transaction of theirs) and the chain verifies; ordinary
 * jobs before and after it keep what they wrote; and a solo job of
 * thousands of statements completes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

typedef struct {
    const char *prefix;
    int count;
    int fail; /* return STORE_ABORT after the inserts */
} offices_ctx_t;

/* Inserts count offices <prefix>-<i>, then fails when asked. */
static int offices_job(store_conn_t *c, void *ctx)
{
    offices_ctx_t *x = ctx;
    for (int i = 0; i < x->count; i++) {
        char code[32];
        snprintf(code, sizeof code, "%s-%d", x->prefix, i);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "code", code, "name", code, "country", "MLI",
                              "location", code);
        int rc = store_office_insert(c, o);
        json_decref(o);
        if (rc != STORE_OK)
            return rc;
    }
    return x->fail ? STORE_ABORT : STORE_OK;
}

static long long offices_like(tmpdb_t *t, const char *prefix)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM offices WHERE code LIKE '%s-%%'", prefix);
    return tmpdb_int(t, sql);
}

static void audit_one(tmpdb_t *t, const char *entity)
{
    store_audit_t a;
    memset(&a, 0, sizeof a);
    a.at = 1700000000000;
    snprintf(a.username, sizeof a.username, "tester");
    snprintf(a.addr, sizeof a.addr, "127.0.0.1");
    snprintf(a.method, sizeof a.method, "GET");
    snprintf(a.route, sizeof a.route, "/api/v1/cases/{id}");
    snprintf(a.entity_id, sizeof a.entity_id, "%s", entity);
    a.status = 200;
    store_audit(t->store, &a);
}

static void test_solo_commits_and_rolls_back_whole(void **state)
{
    tmpdb_t *t = *state;
    offices_ctx_t ok = {"SOLO", 50, 0};
    assert_int_equal(store_write_solo(t->store, offices_job, &ok), STORE_OK);
    assert_int_equal(offices_like(t, "SOLO"), 50);

    offices_ctx_t bad = {"GONE", 50, 1};
    assert_int_equal(store_write_solo(t->store, offices_job, &bad), STORE_ABORT);
    assert_int_equal(offices_like(t, "GONE"), 0);
    /* what was committed before stays */
    assert_int_equal(offices_like(t, "SOLO"), 50);
}

static void test_audit_before_a_failing_solo_job_is_stored(void **state)
{
    tmpdb_t *t = *state;
    long long before = tmpdb_int(t, "SELECT count(*) FROM audit");
    audit_one(t, "case-a");
    audit_one(t, "case-b");
    offices_ctx_t bad = {"FAIL", 3, 1};
    assert_int_equal(store_write_solo(t->store, offices_job, &bad), STORE_ABORT);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit"), before + 2);
    long long checked = 0, first_bad = 0;
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &first_bad), STORE_OK);
    assert_true(checked >= 2);
    assert_int_equal(offices_like(t, "FAIL"), 0);
}

static void test_ordinary_jobs_around_a_failing_solo_job(void **state)
{
    tmpdb_t *t = *state;
    offices_ctx_t a = {"BEFORE", 2, 0}, bad = {"MIDDLE", 2, 1}, b = {"AFTER", 2, 0};
    assert_int_equal(tmpdb_write(t, offices_job, &a), STORE_OK);
    assert_int_equal(store_write_solo(t->store, offices_job, &bad), STORE_ABORT);
    assert_int_equal(tmpdb_write(t, offices_job, &b), STORE_OK);
    assert_int_equal(offices_like(t, "BEFORE"), 2);
    assert_int_equal(offices_like(t, "MIDDLE"), 0);
    assert_int_equal(offices_like(t, "AFTER"), 2);
    /* a failing ordinary job still rolls back alone */
    offices_ctx_t nope = {"NOPE", 2, 1};
    assert_int_equal(tmpdb_write(t, offices_job, &nope), STORE_ABORT);
    assert_int_equal(offices_like(t, "NOPE"), 0);
}

static void test_a_long_solo_job_completes(void **state)
{
    tmpdb_t *t = *state;
    offices_ctx_t many = {"MANY", 5000, 0};
    assert_int_equal(store_write_solo(t->store, offices_job, &many), STORE_OK);
    assert_int_equal(offices_like(t, "MANY"), 5000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_solo_commits_and_rolls_back_whole, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_audit_before_a_failing_solo_job_is_stored, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_ordinary_jobs_around_a_failing_solo_job, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_a_long_solo_job_completes, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
