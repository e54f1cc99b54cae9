/*
 * test_audit_batch.c — audit records reach the writer in batches, and the
 * WAL is checkpointed off the writer (store.h: store_audit, store_stats).
 *
 *   - records queued with store_audit from several threads at once all
 *     land, each once, in one chain that store_audit_verify finds intact;
 *     the writer stored them in fewer jobs than records (one job takes
 *     every record waiting);
 *   - while the writer is busy, the list of records waiting fills up to
 *     AWDA_AUDIT_PENDING_MAX; the next caller waits, and every record is
 *     stored once the writer is free;
 *   - once commits have taken the WAL past its threshold, the checkpoint
 *     thread checkpoints it (the counter grows) without store_checkpoint
 *     being called.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/util/limits.h"
#include "tmpdb.h"
#include <pthread.h>

#define THREADS    4
#define PER_THREAD 500

typedef struct {
    tmpdb_t *t;
    int n;
} worker_t;

static void *audit_worker(void *arg)
{
    worker_t *w = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        store_audit_t a;
        memset(&a, 0, sizeof a);
        a.at = 1767225600000LL + i;
        a.user_pk = w->n + 1;
        snprintf(a.username, sizeof a.username, "user%d", w->n);
        snprintf(a.addr, sizeof a.addr, "127.0.0.1");
        snprintf(a.method, sizeof a.method, "GET");
        snprintf(a.route, sizeof a.route, "/api/v1/cases/{id}");
        snprintf(a.entity_id, sizeof a.entity_id, "t%d-%d", w->n, i);
        a.status = 200;
        store_audit(w->t->store, &a);
    }
    return NULL;
}

static void test_concurrent_audits_one_chain(void **state)
{
    tmpdb_t *t = *state;
    store_stats_t before, after;
    store_stats(t->store, &before);
    pthread_t th[THREADS];
    worker_t w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker_t){t, i};
        assert_int_equal(pthread_create(&th[i], NULL, audit_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    tmpdb_flush(t);
    store_stats(t->store, &after);

    long long total = THREADS * PER_THREAD;
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit"), total);
    assert_int_equal(tmpdb_int(t, "SELECT count(DISTINCT entity_id) FROM audit"), total);
    for (int i = 0; i < THREADS; i++) {
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE username='user%d'", i);
        assert_int_equal(tmpdb_int(t, sql), PER_THREAD);
        /* each thread's records in the order it queued them */
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM audit a JOIN audit b ON a.username=b.username AND "
                 "a.pk<b.pk AND a.at>b.at WHERE a.username='user%d'",
                 i);
        assert_int_equal(tmpdb_int(t, sql), 0);
    }
    long long checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &bad), STORE_OK);
    assert_int_equal(checked, total);
    assert_int_equal(bad, 0);

    unsigned long long rows = after.audit_written - before.audit_written;
    unsigned long long jobs = after.audit_batches - before.audit_batches;
    assert_int_equal(rows, (unsigned long long)total);
    assert_true(jobs >= 1);
    assert_true(jobs < rows);
    print_message("%llu audit records in %llu writer jobs\n", rows, jobs);

    /* the chain goes on from the last batch */
    worker_t one = {t, 9};
    audit_worker(&one);
    tmpdb_flush(t);
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &bad), STORE_OK);
    assert_int_equal(checked, total + PER_THREAD);
}

static void test_wal_checkpointed_by_thread(void **state)
{
    tmpdb_t *t = *state;
    store_stats_t before, now;
    store_stats(t->store, &before);
    /* records of about 300 bytes: a few thousand pages of WAL, in many
     * commits (one batch each flush) */
    for (int round = 0; round < 40; round++) {
        worker_t w = {t, round};
        audit_worker(&w);
        tmpdb_flush(t);
    }
    int waited = 0;
    do {
        store_stats(t->store, &now);
        if (now.checkpoints > before.checkpoints)
            break;
        usleep(10000);
    } while (++waited < 500);
    assert_true(now.checkpoints > before.checkpoints);
    print_message("%llu checkpoints by the checkpoint thread\n",
                  now.checkpoints - before.checkpoints);
}

/* A writer job that holds the writer until released. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int running, release;
} hold_t;

static int hold_job(store_conn_t *c, void *ctx)
{
    (void)c;
    hold_t *h = ctx;
    pthread_mutex_lock(&h->lock);
    h->running = 1;
    pthread_cond_broadcast(&h->cond);
    while (!h->release)
        pthread_cond_wait(&h->cond, &h->lock);
    pthread_mutex_unlock(&h->lock);
    return STORE_OK;
}

typedef struct {
    tmpdb_t *t;
    hold_t *h;
} holder_t;

static void *hold_writer(void *arg)
{
    holder_t *x = arg;
    tmpdb_write(x->t, hold_job, x->h);
    return NULL;
}

#define OVER_LIMIT (AWDA_AUDIT_PENDING_MAX + 3 * PER_THREAD)

typedef struct {
    tmpdb_t *t;
    _Atomic int queued;
} filler_t;

static void *fill_over_limit(void *arg)
{
    filler_t *f = arg;
    store_audit_t a;
    memset(&a, 0, sizeof a);
    snprintf(a.method, sizeof a.method, "GET");
    snprintf(a.route, sizeof a.route, "/api/v1/cases");
    for (int i = 0; i < OVER_LIMIT; i++) {
        a.at = i;
        a.status = 200;
        store_audit(f->t->store, &a);
        f->queued++;
    }
    return NULL;
}

/* With the writer busy, records past AWDA_AUDIT_PENDING_MAX make the
 * caller wait; none is dropped. */
static void test_full_list_waits_never_drops(void **state)
{
    tmpdb_t *t = *state;
    hold_t h = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
    holder_t x = {t, &h};
    pthread_t writer_holder, filler;
    assert_int_equal(pthread_create(&writer_holder, NULL, hold_writer, &x), 0);
    pthread_mutex_lock(&h.lock);
    while (!h.running)
        pthread_cond_wait(&h.cond, &h.lock);
    pthread_mutex_unlock(&h.lock);

    filler_t f = {t, 0};
    assert_int_equal(pthread_create(&filler, NULL, fill_over_limit, &f), 0);
    int waited = 0;
    while (f.queued < AWDA_AUDIT_PENDING_MAX && waited++ < 1000)
        usleep(5000);
    usleep(50000);
    int queued_while_busy = f.queued; /* asserted once the writer is free again */

    pthread_mutex_lock(&h.lock);
    h.release = 1;
    pthread_cond_broadcast(&h.cond);
    pthread_mutex_unlock(&h.lock);
    pthread_join(writer_holder, NULL);
    pthread_join(filler, NULL);
    assert_int_equal(queued_while_busy, AWDA_AUDIT_PENDING_MAX); /* the next one waited */
    tmpdb_flush(t);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM audit"), OVER_LIMIT);
    long long checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(tmpdb_reader(t), &checked, &bad), STORE_OK);
    assert_int_equal(checked, OVER_LIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_audits_one_chain, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_full_list_waits_never_drops, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_wal_checkpointed_by_thread, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
