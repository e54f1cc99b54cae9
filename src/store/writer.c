/*
 * writer.c — the single writer of the store: group commit, and the queue of
 * writes nobody waits for (audit records, session touches).
 *
 * store_write queues a job and waits. The writer thread takes all queued
 * jobs (up to WRITER_BATCH), opens one transaction, runs each job in a
 * SAVEPOINT (rolled back alone if the job fails), commits once, and wakes
 * the callers. One fsync then acknowledges many registrations.
 *
 * store_write_async queues a job like store_write but returns at once;
 * the writer calls its completion after the commit, so a batch can hold
 * more jobs than there are threads to wait.
 *
 * store_write_solo queues a job that runs alone: the writer ends the
 * batch before it, and runs it in a transaction of its own with no
 * SAVEPOINT (a failure rolls back the transaction, which is the job's).
 * An open savepoint makes SQLite keep every statement's journal in one
 * in-memory list that each statement's end walks from its start: under a
 * savepoint a job of thousands of statements costs the square of that.
 *
 * store_enqueue_async queues a job with a copy of its context and returns
 * at once (it waits only when AUDIT_QUEUE_MAX such jobs are already
 * queued); the writer runs it with the next batch and frees the copy.
 *
 * Audit records wait in a list of their own (audit.c) and wake the writer
 * only for the first of a window and for a full window: the writer sleeps
 * until a job comes, AWDA_AUDIT_FLUSH_ROWS records wait, or the first has
 * waited AWDA_AUDIT_FLUSH_MS (a timed wait on the monotonic clock). Every
 * batch takes the whole list and stores it first (store_audit_write),
 * so one commit (and one fsync) carries a window of reads, and any job
 * queued after a record commits it too. Stopping stores what waits.
 * The writer never checkpoints: checkpoint.c does, on its own connection.
 * When a commit fails, the audit chain's head is reloaded from what was
 * committed (store_audit_load_prev).
 */
#include "internal.h"
#include "../text/norm.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WRITER_BATCH 512

static store_stmt_t Q_SAVEPOINT = {.sql = "SAVEPOINT job"};
static store_stmt_t Q_RELEASE = {.sql = "RELEASE job"};
static store_stmt_t Q_ROLLBACK_TO = {.sql = "ROLLBACK TO job"};

/* Runs job j; a key batch it left open (store_keys_batch_begin) is
 * written when it succeeded, forgotten when it failed; keys made before
 * it (store_keys_ready_use) are not used by the jobs after it. */
static int run_job(store_conn_t *c, store_job_t *j)
{
    int rc = j->fn(c, j->ctx);
    store_keys_ready_use(c, NULL);
    int kept = store_keys_batch_end(c, rc == STORE_OK);
    return rc == STORE_OK ? kept : rc;
}

/* Runs one batch: the audit records taken (rows, n), then the jobs, in
 * one transaction. */
static void run_batch(store_t *s, store_job_t *jobs, const store_audit_t *rows, int n)
{
    sqlite3 *db = s->writer->db;
    int began = store_exec(db, "BEGIN IMMEDIATE") == STORE_OK;
    /* the audit records first, outside any savepoint (store_audit_write) */
    int audit_rc = began && n ? store_audit_write(s->writer, rows, n) : STORE_OK;
    for (store_job_t *j = jobs; j; j = j->next) {
        if (!began) {
            j->rc = STORE_ERR;
            continue;
        }
        if (control(s->writer, &Q_SAVEPOINT) != STORE_OK) {
            j->rc = STORE_ERR;
            continue;
        }
        j->rc = run_job(s->writer, j);
        if (j->rc != STORE_OK)
            control(s->writer, &Q_ROLLBACK_TO);
        control(s->writer, &Q_RELEASE);
    }
    if (began && store_exec(db, "COMMIT") != STORE_OK) {
        store_exec(db, "ROLLBACK");
        for (store_job_t *j = jobs; j; j = j->next)
            j->rc = STORE_ERR;
        store_audit_load_prev(s); /* the chain goes on from what was committed */
        if (n && audit_rc == STORE_OK)
            awda_log(LOG_ERROR, "audit_lost", "\"records\":%d", n);
    }
    if (n && !began)
        awda_log(LOG_ERROR, "audit_lost", "\"records\":%d", n);
}

/* Runs a store_write_solo job: the audit records taken committed first
 * in a transaction of their own, then the job in its own, no savepoint. */
static void run_solo(store_t *s, store_job_t *j, const store_audit_t *rows, int n)
{
    if (n)
        run_batch(s, NULL, rows, n);
    sqlite3 *db = s->writer->db;
    if (store_exec(db, "BEGIN IMMEDIATE") != STORE_OK) {
        j->rc = STORE_ERR;
        return;
    }
    j->rc = run_job(s->writer, j);
    if (j->rc != STORE_OK) {
        store_exec(db, "ROLLBACK");
        return;
    }
    if (store_exec(db, "COMMIT") != STORE_OK) {
        store_exec(db, "ROLLBACK");
        j->rc = STORE_ERR;
    }
}

/* Sleeps (under q_lock) until the writer has work: a job queued, the
 * store stopping, or audit records due (AWDA_AUDIT_FLUSH_ROWS waiting,
 * or the first waiting for AWDA_AUDIT_FLUSH_MS). */
static void wait_for_work(store_t *s)
{
    for (;;) {
        if (s->q_head || s->stopping || s->audit_n >= AWDA_AUDIT_FLUSH_ROWS)
            return;
        if (!s->audit_n) {
            pthread_cond_wait(&s->q_cond, &s->q_lock);
            continue;
        }
        long long due = s->audit_since_us + (long long)AWDA_AUDIT_FLUSH_MS * 1000;
        if (awda_mono_us() >= due)
            return;
        struct timespec ts = {(time_t)(due / 1000000), (long)(due % 1000000) * 1000};
        int rc = pthread_cond_timedwait(&s->q_cond, &s->q_lock, &ts); /* monotonic (conn.c) */
        if (rc != 0 && rc != ETIMEDOUT && rc != EINTR)
            return; /* never spin on a broken wait: store what waits */
    }
}

/* Calls the completion of every store_write_async job of the batch (then
 * frees it) and takes those jobs out of *batch; records how many jobs of
 * the batch had someone waiting (store_write_stats). */
static void settle_callbacks(store_t *s, store_job_t **batch)
{
    int waited = 0;
    for (store_job_t **pp = batch; *pp;) {
        store_job_t *j = *pp;
        if (j->async) {
            pp = &j->next;
            continue;
        }
        waited++;
        if (!j->cb) {
            pp = &j->next;
            continue;
        }
        *pp = j->next;
        j->cb(j->cb_arg, j->rc);
        free(j);
    }
    if (waited > atomic_load(&s->waited_max))
        atomic_store(&s->waited_max, waited);
}

static void *writer_main(void *arg)
{
    store_t *s = arg;
    pthread_setname_np(pthread_self(), "awda-writer"); /* as profiles and top show it */
    for (;;) {
        pthread_mutex_lock(&s->q_lock);
        wait_for_work(s);
        if (!s->q_head && !s->audit_n && s->stopping) {
            pthread_mutex_unlock(&s->q_lock);
            break;
        }
        store_job_t *batch = s->q_head, *last = batch;
        int n = 0;
        if (batch) {
            n = 1;
            /* a solo job alone; the others up to the next solo one */
            while (!batch->solo && last->next && !last->next->solo && n < WRITER_BATCH) {
                last = last->next;
                n++;
            }
            s->q_head = last->next;
            if (!s->q_head)
                s->q_tail = NULL;
            last->next = NULL;
        }
        /* with the jobs, every audit record queued before them */
        store_audit_t *rows;
        int nrows = store_audit_take(s, &rows);
        pthread_mutex_unlock(&s->q_lock);

        long long t0 = awda_mono_us();
        if (batch && batch->solo)
            run_solo(s, batch, rows, nrows);
        else
            run_batch(s, batch, rows, nrows);
        s->batch_us += awda_mono_us() - t0;
        s->batches++;
        s->jobs += (unsigned long long)n;
        settle_callbacks(s, &batch);

        pthread_mutex_lock(&s->q_lock);
        for (store_job_t *j = batch, *next; j; j = next) {
            next = j->next;
            if (j->async) {
                free(j->ctx);
                free(j);
                s->audit_pending--;
            } else {
                j->done = 1;
            }
        }
        pthread_cond_broadcast(&s->done_cond);
        pthread_mutex_unlock(&s->q_lock);
    }
    awda_norm_thread_done();
    return NULL;
}

int store_writer_start(store_t *s)
{
    return pthread_create(&s->writer_thread, NULL, writer_main, s) == 0 ? STORE_OK : STORE_ERR;
}

void store_writer_stop(store_t *s)
{
    pthread_mutex_lock(&s->q_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->q_cond);
    pthread_mutex_unlock(&s->q_lock);
    pthread_join(s->writer_thread, NULL);
    awda_log(LOG_DEBUG, "writer", "\"batches\":%llu,\"jobs\":%llu,\"busy_ms\":%lld", s->batches,
             s->jobs, s->batch_us / 1000);
}

/* Appends j to the writer's queue and wakes the writer (under q_lock). */
static void queue_locked(store_t *s, store_job_t *j)
{
    if (s->q_tail)
        s->q_tail->next = j;
    else
        s->q_head = j;
    s->q_tail = j;
    pthread_cond_signal(&s->q_cond);
}

static int write_wait(store_t *s, store_job_fn fn, void *ctx, int solo)
{
    store_job_t j = {fn, ctx, STORE_OK, 0, 0, solo, NULL, NULL, NULL};
    pthread_mutex_lock(&s->q_lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->q_lock);
        return STORE_ERR;
    }
    queue_locked(s, &j);
    while (!j.done)
        pthread_cond_wait(&s->done_cond, &s->q_lock);
    pthread_mutex_unlock(&s->q_lock);
    return j.rc;
}

int store_write(store_t *s, store_job_fn fn, void *ctx)
{
    return write_wait(s, fn, ctx, 0);
}

int store_write_solo(store_t *s, store_job_fn fn, void *ctx)
{
    return write_wait(s, fn, ctx, 1);
}

void store_write_async(store_t *s, store_job_fn fn, void *ctx, void (*on_done)(void *arg, int rc),
                       void *arg)
{
    store_job_t *j = awda_calloc(1, sizeof *j);
    if (!j) {
        on_done(arg, STORE_ERR);
        return;
    }
    j->fn = fn;
    j->ctx = ctx;
    j->cb = on_done;
    j->cb_arg = arg;
    pthread_mutex_lock(&s->q_lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->q_lock);
        free(j);
        on_done(arg, STORE_ERR);
        return;
    }
    queue_locked(s, j);
    pthread_mutex_unlock(&s->q_lock);
}

int store_write_waited_max(store_t *s)
{
    return atomic_load(&s->waited_max);
}

void store_enqueue_async(store_t *s, store_job_fn fn, const void *ctx, size_t size)
{
    store_job_t *j = awda_calloc(1, sizeof *j);
    void *copy = awda_malloc(size);
    if (!j || !copy) {
        free(j);
        free(copy);
        awda_log(LOG_ERROR, "async_write_lost", "\"reason\":\"out of memory\"");
        return;
    }
    memcpy(copy, ctx, size);
    j->fn = fn;
    j->ctx = copy;
    j->async = 1;
    pthread_mutex_lock(&s->q_lock);
    while (s->audit_pending >= AUDIT_QUEUE_MAX && !s->stopping)
        pthread_cond_wait(&s->done_cond, &s->q_lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->q_lock);
        free(j);
        free(copy);
        awda_log(LOG_ERROR, "async_write_lost", "\"reason\":\"stopping\"");
        return;
    }
    s->audit_pending++;
    queue_locked(s, j);
    pthread_mutex_unlock(&s->q_lock);
}
