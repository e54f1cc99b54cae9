/*
 * test_audit_window.c — the audit records of requests wait for the writer's
 * window and none is lost (store.h: store_audit, store_audit_sync;
 * store/audit.c, store/writer.c).
 *
 *   - the hash of a stored record is BLAKE2b of the text the chain was
 *     always taken over ("%lld|%lld|%s|%s|%s|%s|%s|%d|%s" of its fields and
 *     the previous hash), edge values included, so chains written before
 *     still verify;
 *   - records queued in a burst wait for the window and reach the database
 *     in one or two commits, not one each;
 *   - with no write to carry them, records reach the database on their
 *     own once AWDA_AUDIT_FLUSH_MS has passed;
 *   - store_audit_sync stores every record queued before it;
 *   - closing the store stores every record still waiting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/id.h"
#include "../../src/util/limits.h"
#include "../../src/util/timeutil.h"
#include "tmpdb.h"

static store_audit_t record(int64_t at, int64_t user_pk, const char *username, const char *addr,
                            const char *entity, int status)
{
    store_audit_t a;
    memset(&a, 0, sizeof a);
    a.at = at;
    a.user_pk = user_pk;
    snprintf(a.username, sizeof a.username, "%s", username);
    snprintf(a.addr, sizeof a.addr, "%s", addr);
    snprintf(a.method, sizeof a.method, "GET");
    snprintf(a.route, sizeof a.route, "/api/v1/cases/{id}");
    snprintf(a.entity_id, sizeof a.entity_id, "%s", entity);
    a.status = status;
    return a;
}

static void test_hash_is_over_the_documented_text(void **state)
{
    tmpdb_t *t = *state;
    char longname[AWDA_MAX_USERNAME + 1];
    memset(longname, 'x', AWDA_MAX_USERNAME);
    longname[AWDA_MAX_USERNAME] = '\0';
    store_audit_t rec[] = {
        record(1767225600123LL, 42, "amina", "10.0.0.7", "0190a0b0-0000-7000-8000-000000000001",
               200),
        record(0, 0, "", "", "", 0),                                /* a refusal before sign-in */
        record(-5, 9223372036854775807LL, longname, "::1", "", -1), /* edges of the integers */
        record(1767225600999LL, 7, "ü-name", "127.0.0.1", "x", 404),
    };
    int n = (int)(sizeof rec / sizeof rec[0]);
    for (int i = 0; i < n; i++)
        store_audit(t->store, &rec[i]);
    assert_int_equal(store_audit_sync(t->store, NULL), STORE_OK);

    char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000";
    for (int i = 0; i < n; i++) {
        const store_audit_t *a = &rec[i];
        char text[1024], want[65], sql[128], got[65], got_prev[65];
        int len = snprintf(text, sizeof text, "%lld|%lld|%s|%s|%s|%s|%s|%d|%s", (long long)a->at,
                           (long long)a->user_pk, a->username, a->addr, a->method, a->route,
                           a->entity_id, a->status, prev);
        awda_hash_hex(text, (size_t)len, want);
        snprintf(sql, sizeof sql, "SELECT hash FROM audit WHERE pk=%d", i + 1);
        tmpdb_text(t, sql, got, sizeof got);
        snprintf(sql, sizeof sql, "SELECT prev_hash FROM audit WHERE pk=%d", i + 1);
        tmpdb_text(t, sql, got_prev, sizeof got_prev);
        assert_string_equal(got_prev, prev);
        assert_string_equal(got, want);
        memcpy(prev, want, sizeof prev);
    }
    long long checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &bad), STORE_OK);
    assert_int_equal(checked, n);
}

#define BURST 200

static void test_a_burst_waits_for_the_window(void **state)
{
    tmpdb_t *t = *state;
    store_stats_t before, after;
    store_stats(t->store, &before);
    for (int i = 0; i < BURST; i++) {
        store_audit_t a = record(i, 1, "reader", "127.0.0.1", "burst", 200);
        store_audit(t->store, &a);
    }
    assert_int_equal(store_audit_sync(t->store, NULL), STORE_OK);
    store_stats(t->store, &after);
    assert_int_equal(after.audit_written - before.audit_written, BURST);
    /* one commit takes them, two when the window closed during the loop;
     * a commit per record would make 200 */
    unsigned long long commits = after.audit_batches - before.audit_batches;
    print_message("%d records in %llu commits\n", BURST, commits);
    assert_true(commits >= 1 && commits <= 2);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit WHERE entity_id='burst'"), BURST);
}

static void test_records_are_written_without_a_write(void **state)
{
    tmpdb_t *t = *state;
    store_audit_t a = record(1, 1, "reader", "127.0.0.1", "alone", 200);
    long long t0 = awda_mono_us();
    store_audit(t->store, &a);
    long long seen = 0, waited_us = 0;
    while (!seen && (waited_us = awda_mono_us() - t0) < 5000000) {
        usleep(5000);
        seen = tmpdb_int(t, "SELECT count(*) FROM audit WHERE entity_id='alone'");
    }
    assert_int_equal(seen, 1);
    print_message("written %lld ms after it was queued (window %d ms)\n", waited_us / 1000,
                  AWDA_AUDIT_FLUSH_MS);
}

static void test_close_stores_what_waits(void **state)
{
    tmpdb_t *t = *state;
    for (int i = 0; i < 100; i++) {
        store_audit_t a = record(i, 1, "reader", "127.0.0.1", "at-close", 200);
        store_audit(t->store, &a);
    }
    store_close(t->store); /* at once: well inside the window */
    t->store = NULL;
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit WHERE entity_id='at-close'"), 100);
    /* and in one chain, verified on a store opened again */
    assert_int_equal(store_open(t->path, &t->store), STORE_OK);
    long long checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &bad), STORE_OK);
    assert_int_equal(checked, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hash_is_over_the_documented_text, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_a_burst_waits_for_the_window, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_records_are_written_without_a_write, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_close_stores_what_waits, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
