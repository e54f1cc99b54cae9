/*
 * checkpoint.c — WAL checkpoints off the writer.
 *
 * SQLite checkpoints the WAL itself, inside the commit that takes it past
 * 1000 frames: that would be the writer thread, and every request waiting
 * on that group commit would wait for the copy too. So the writer's
 * connection has the automatic checkpoint off; its WAL hook (run after
 * each commit with the frames now in the WAL) asks a thread of its own,
 * past STORE_CHECKPOINT_FRAMES, for a PASSIVE checkpoint on its own
 * connection: it copies what no reader still needs and never waits for a
 * lock, so the writer goes on committing meanwhile. The WAL starts over
 * from its beginning at the first commit after a complete checkpoint.
 *
 * store_checkpoint (a TRUNCATE, for commands that want the WAL emptied)
 * runs on the same connection; store_close stops the thread after the
 * writer and truncates the WAL. Durability is unchanged: commits are
 * fsync'ed to the WAL by the writer (synchronous=FULL), checkpoints
 * fsync the database before the WAL is reused.
 */
#include "internal.h"

/* After each commit of the writer (on the writer thread): asks for a
 * checkpoint once the WAL holds enough frames. */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int frames)
{
    (void)db;
    (void)name;
    store_t *s = arg;
    if (frames < STORE_CHECKPOINT_FRAMES || atomic_exchange(&s->ckpt_signalled, 1))
        return SQLITE_OK;
    pthread_mutex_lock(&s->ckpt_lock);
    s->ckpt_wanted = 1;
    pthread_cond_signal(&s->ckpt_cond);
    pthread_mutex_unlock(&s->ckpt_lock);
    return SQLITE_OK;
}

static void *ckpt_main(void *arg)
{
    store_t *s = arg;
    pthread_setname_np(pthread_self(), "awda-checkpoint");
    for (;;) {
        pthread_mutex_lock(&s->ckpt_lock);
        while (!s->ckpt_wanted && !s->ckpt_stop)
            pthread_cond_wait(&s->ckpt_cond, &s->ckpt_lock);
        int stop = s->ckpt_stop;
        s->ckpt_wanted = 0;
        pthread_mutex_unlock(&s->ckpt_lock);
        if (stop)
            break;
        atomic_store(&s->ckpt_signalled, 0);
        pthread_mutex_lock(&s->ckpt_use);
        int rc =
            sqlite3_wal_checkpoint_v2(s->ckpt->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        pthread_mutex_unlock(&s->ckpt_use);
        if (rc == SQLITE_OK)
            s->checkpoints++;
        else
            awda_log(LOG_WARN, "checkpoint", "\"rc\":%d", rc);
    }
    return NULL;
}

void store_ckpt_start(store_t *s)
{
    s->ckpt = store_conn_open(s, 1);
    if (s->ckpt && pthread_create(&s->ckpt_thread, NULL, ckpt_main, s) != 0) {
        store_conn_close(s->ckpt);
        s->ckpt = NULL;
    }
    if (!s->ckpt) {
        awda_log(LOG_WARN, "checkpoint",
                 "\"reason\":\"no checkpoint thread: the writer checkpoints\"");
        return;
    }
    sqlite3_wal_autocheckpoint(s->writer->db, 0);
    sqlite3_wal_hook(s->writer->db, wal_hook, s); /* replaces SQLite's own hook */
}

void store_ckpt_stop(store_t *s)
{
    if (!s->ckpt)
        return;
    pthread_mutex_lock(&s->ckpt_lock);
    s->ckpt_stop = 1;
    pthread_cond_signal(&s->ckpt_cond);
    pthread_mutex_unlock(&s->ckpt_lock);
    pthread_join(s->ckpt_thread, NULL);
    store_conn_close(s->ckpt);
    s->ckpt = NULL;
}

int store_checkpoint(store_t *s)
{
    int rc;
    if (s->ckpt) {
        pthread_mutex_lock(&s->ckpt_use);
        rc = sqlite3_wal_checkpoint_v2(s->ckpt->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        pthread_mutex_unlock(&s->ckpt_use);
    } else {
        pthread_mutex_lock(&s->q_lock);
        rc = sqlite3_wal_checkpoint_v2(s->writer->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
        pthread_mutex_unlock(&s->q_lock);
    }
    if (rc == SQLITE_OK)
        s->checkpoints++;
    return rc == SQLITE_OK ? STORE_OK : STORE_ERR;
}

void store_stats(store_t *s, store_stats_t *out)
{
    out->audit_batches = s->audit_batches;
    out->audit_written = s->audit_written;
    out->checkpoints = s->checkpoints;
    out->person_unseals = s->person_unseals;
    out->record_unseals = s->record_unseals;
}
