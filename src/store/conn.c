/*
 * conn.c — connections and the statement cache of the SQLite store; opening
 * and closing the store.
 *
 * Connections: one writer connection owned by the writer thread (writer.c),
 * and one read connection per thread that reads (kept in a pthread key,
 * closed at thread exit or at store_close). Exports read from a snapshot
 * connection of their own; checkpoints run on the checkpoint thread's
 * (checkpoint.c). Every connection runs with WAL, foreign keys
 * on, a busy timeout and synchronous=FULL, so a transaction acknowledged
 * to a client has been fsync'ed to the WAL: it survives a process crash
 * and a power cut (on storage that honours fsync).
 *
 * The statement cache (see internal.h): a descriptor (store_stmt_t) gets a
 * slot number from one counter the first time it is used, under a lock
 * that also runs its builder once; each connection keeps its prepared
 * statements in an array indexed by slot that grows (to at most
 * STORE_MAX_STATEMENTS) as new descriptors come. The lookup after the
 * first use is an atomic load and an array index (stmt() in internal.h).
 *
 * The audit log's file: the writer, the checkpoint thread and the one
 * audit reader (store_audit_reader_take, for the lists and the
 * verification of the log) attach <db>-audit as schema "alog"
 * (attach_audit_log), where the table audit lives from migration 28. A
 * page cache belongs to one file, so the writer's commits of audit
 * records alone (a window of reads, AWDA_AUDIT_FLUSH_MS) leave the main
 * file's WAL unchanged and the readers keep their caches (below). The
 * readers of cases do not attach it: ATTACH reads the file at once, and
 * its first page read takes a connection's whole bulk page cache for
 * that file (2 MB a reader, below). The audit reader is one connection
 * for the process, taken under a lock: a reader per thread that lists
 * the log held 4 MB more each (8 threads: 35 MB, measured).
 *
 * Page caches: in WAL mode a reader drops its whole page cache when its
 * next transaction finds a commit by another connection to that file —
 * after every commit of the writer to the main file. SQLite
 * then frees each page to the heap and mallocs it again as the cache
 * refills, page by page (heap trimmed and grown again: sysmalloc, page
 * faults). store_open therefore asks SQLite, once per process, for a
 * bulk allocation of each connection's cache (SQLITE_CONFIG_PAGECACHE
 * without a buffer: STORE_CACHE_BULK_PAGES, capped by SQLite at the
 * connection's cache_size): a dropped page goes back to the connection's
 * own free list. Measured in bench/RESULTS.md ("the audit row of a read").
 */
#include "internal.h"
#include "../util/mem.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

/* Slots given out so far, and the lock that gives them (and builds SQL). */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
static int slots_used;

int store_exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        awda_log(LOG_ERROR, "sqlite", "\"rc\":%d,\"error\":\"%s\"", rc, err ? err : "?");
        sqlite3_free(err);
        return STORE_ERR;
    }
    return STORE_OK;
}

int store_query_int(sqlite3 *db, const char *sql, int otherwise)
{
    sqlite3_stmt *st;
    int v = otherwise;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int store_user_version(sqlite3 *db)
{
    return store_query_int(db, "PRAGMA main.user_version", -1);
}

/* Attaches the audit log's file (s->audit_path) as schema "alog". From
 * migration 28 on it holds the table audit, so that the writer's commits
 * of audit records leave the main database's WAL alone (see the top of
 * this file). A database at that schema whose audit file is gone is
 * refused: opening it would start an empty log and hide the loss. */
static int attach_audit_log(store_t *s, sqlite3 *db)
{
    if (access(s->audit_path, F_OK) != 0) {
        int v = store_user_version(db);
        if (v < 0 || v >= STORE_SCHEMA_AUDIT_FILE) {
            awda_log(LOG_ERROR, "audit_log_missing",
                     "\"reason\":\"the audit log file (the database's name with -audit) "
                     "is not beside the database\",\"schema\":%d",
                     v);
            return STORE_ERR;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "ATTACH DATABASE ?1 AS alog", -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR;
    sqlite3_bind_text(st, 1, s->audit_path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        awda_log(LOG_ERROR, "sqlite_attach", "\"error\":\"%s\"", sqlite3_errmsg(db));
        return STORE_ERR;
    }
    return STORE_OK;
}

store_conn_t *store_conn_open(store_t *s, int audit_log)
{
    store_conn_t *c = awda_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->s = s;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(s->path, &c->db, flags, NULL) != SQLITE_OK) {
        awda_log(LOG_ERROR, "sqlite_open", "\"error\":\"%s\"",
                 c->db ? sqlite3_errmsg(c->db) : "out of memory");
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(c->db, 1);
    /* journal_mode without a schema applies to every database attached */
    if ((audit_log && attach_audit_log(s, c->db) != STORE_OK) ||
        store_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                          "PRAGMA foreign_keys=ON; PRAGMA cache_size=-2000; "
                          "PRAGMA temp_store=MEMORY;") != STORE_OK ||
        (audit_log && store_exec(c->db, "PRAGMA alog.synchronous=FULL") != STORE_OK)) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

void store_conn_close(store_conn_t *c)
{
    if (!c)
        return;
    store_keys_batch_end(c, 0);
    for (int i = 0; i < c->nst; i++)
        sqlite3_finalize(c->st[i]);
    free(c->st);
    sqlite3_close(c->db);
    free(c);
}

/* The slot of d (given out on first use) and its SQL (built on first use);
 * 0 when there is no room or the SQL could not be built. */
static int slot_of(store_stmt_t *d, const char **sql)
{
    pthread_mutex_lock(&slots_lock);
    int slot = atomic_load_explicit(&d->slot, memory_order_relaxed);
    if (!slot && slots_used < STORE_MAX_STATEMENTS) {
        slot = ++slots_used;
        atomic_store_explicit(&d->slot, slot, memory_order_release);
    }
    if (slot && !d->sql && !d->built && d->build)
        d->built = d->build(d);
    *sql = d->sql ? d->sql : d->built;
    pthread_mutex_unlock(&slots_lock);
    if (!slot)
        awda_log(LOG_ERROR, "sqlite_prepare", "\"reason\":\"more than %d statements\"",
                 STORE_MAX_STATEMENTS);
    return *sql ? slot : 0;
}

sqlite3_stmt *store_stmt_prepare(store_conn_t *c, store_stmt_t *d)
{
    const char *sql = NULL;
    int slot = slot_of(d, &sql);
    if (!slot)
        return NULL;
    if (slot > c->nst) {
        int n = c->nst ? c->nst : 64;
        while (n < slot)
            n *= 2;
        if (n > STORE_MAX_STATEMENTS)
            n = STORE_MAX_STATEMENTS;
        sqlite3_stmt **grown = realloc(c->st, (size_t)n * sizeof *grown);
        if (!grown)
            return NULL;
        memset(grown + c->nst, 0, (size_t)(n - c->nst) * sizeof *grown);
        c->st = grown;
        c->nst = n;
    }
    sqlite3_stmt *st = c->st[slot - 1];
    if (st)
        return st;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        awda_log(LOG_ERROR, "sqlite_prepare", "\"sql\":\"%.60s\",\"error\":\"%s\"", sql,
                 sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
        return NULL;
    }
    c->st[slot - 1] = st;
    return st;
}

/* ---- readers ------------------------------------------------------------- */

static store_stmt_t Q_BEGIN = {.sql = "BEGIN"};
static store_stmt_t Q_COMMIT = {.sql = "COMMIT"};
static store_stmt_t Q_PING = {.sql = "SELECT count(*) FROM users"};

static void reader_destroy(void *p)
{
    store_conn_t *c = p;
    store_t *s = c->s;
    pthread_mutex_lock(&s->readers_lock);
    for (int i = 0; i < s->nreaders; i++) {
        if (s->readers[i] == c) {
            s->readers[i] = s->readers[--s->nreaders];
            break;
        }
    }
    pthread_mutex_unlock(&s->readers_lock);
    store_conn_close(c);
}

store_conn_t *store_reader(store_t *s)
{
    store_conn_t *c = pthread_getspecific(s->reader_key);
    if (c)
        return c;
    pthread_mutex_lock(&s->readers_lock);
    int room = s->nreaders < (int)(sizeof s->readers / sizeof s->readers[0]);
    pthread_mutex_unlock(&s->readers_lock);
    if (!room)
        return NULL;
    c = store_conn_open(s, 0);
    if (!c)
        return NULL;
    pthread_mutex_lock(&s->readers_lock);
    s->readers[s->nreaders++] = c;
    pthread_mutex_unlock(&s->readers_lock);
    pthread_setspecific(s->reader_key, c);
    return c;
}

store_conn_t *store_audit_reader_take(store_t *s)
{
    pthread_mutex_lock(&s->audit_reader_lock);
    if (!s->audit_reader)
        s->audit_reader = store_conn_open(s, 1);
    store_conn_t *c = s->audit_reader; /* read under the lock */
    if (!c)
        pthread_mutex_unlock(&s->audit_reader_lock);
    return c;
}

void store_audit_reader_give(store_t *s)
{
    pthread_mutex_unlock(&s->audit_reader_lock);
}

int store_conn_cache(store_conn_t *c, long kib)
{
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%ld", kib > 0 ? kib : 1);
    return store_exec(c->db, sql);
}

int store_read_begin(store_conn_t *c)
{
    return control(c, &Q_BEGIN);
}

void store_read_end(store_conn_t *c)
{
    control(c, &Q_COMMIT);
}

int store_ping(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_PING);
    if (!st)
        return STORE_ERR;
    return done(st, sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR);
}

store_conn_t *store_snapshot_open(store_t *s)
{
    store_conn_t *c = store_conn_open(s, 0);
    if (c && store_exec(c->db, "PRAGMA query_only=1; BEGIN") != STORE_OK) {
        store_conn_close(c);
        return NULL;
    }
    return c;
}

void store_snapshot_close(store_conn_t *c)
{
    if (!c)
        return;
    store_exec(c->db, "COMMIT");
    store_conn_close(c);
}

/* ---- open / close --------------------------------------------------------- */

/* Once per process, before the first connection (SQLite refuses it after
 * its initialisation: then logged, and pages are malloc'd one by one).
 * Also: no memory statistics — with them on (SQLite's default) every
 * allocation and free of every connection takes one process-wide mutex
 * to count bytes nobody reads; the writer and the readers then queue on
 * it. */
static void cache_bulk_once(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        awda_log(LOG_WARN, "memstatus_off", "\"reason\":\"SQLite already initialised\"");
    int hdr = 0;
    sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr);
    if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, NULL, 4096 + hdr, STORE_CACHE_BULK_PAGES) !=
        SQLITE_OK)
        awda_log(LOG_WARN, "page_cache_bulk", "\"reason\":\"SQLite already initialised\"");
}

int store_open(const char *path, store_t **out)
{
    static pthread_once_t bulk = PTHREAD_ONCE_INIT;
    pthread_once(&bulk, cache_bulk_once);
    store_t *s = awda_calloc(1, sizeof *s);
    if (!s)
        return STORE_ERR;
    s->path = awda_strdup(path);
    s->audit_path = store_audit_path(path);
    pthread_key_create(&s->reader_key, reader_destroy);
    pthread_mutex_init(&s->audit_reader_lock, NULL);
    pthread_mutex_init(&s->readers_lock, NULL);
    pthread_mutex_init(&s->q_lock, NULL);
    pthread_condattr_t mono; /* the writer's flush window is timed on it */
    pthread_condattr_init(&mono);
    pthread_condattr_setclock(&mono, CLOCK_MONOTONIC);
    pthread_cond_init(&s->q_cond, &mono);
    pthread_condattr_destroy(&mono);
    pthread_cond_init(&s->done_cond, NULL);
    pthread_mutex_init(&s->ckpt_lock, NULL);
    pthread_cond_init(&s->ckpt_cond, NULL);
    pthread_mutex_init(&s->ckpt_use, NULL);
    s->writer = s->path ? store_conn_open(s, 1) : NULL;
    if (s->writer) {
        /* the writer's page cache holds the index pages that writes touch
         * (the name and duplicate keys of a person land all over their
         * indexes): STORE_WRITER_CACHE_KIB at most, taken as pages are used */
        store_conn_cache(s->writer, STORE_WRITER_CACHE_KIB);
        store_exec(s->writer->db, "PRAGMA secure_delete=ON");
        store_ckpt_start(s);
    }
    if (!s->writer || store_writer_start(s) != STORE_OK) {
        store_ckpt_stop(s);
        store_conn_close(s->writer);
        pthread_key_delete(s->reader_key);
        free(s->path);
        free(s->audit_path);
        free(s);
        return STORE_ERR;
    }
    *out = s;
    return STORE_OK;
}

void store_close(store_t *s)
{
    if (!s)
        return;
    store_writer_stop(s);
    store_ckpt_stop(s);
    store_audit_free(s);
    /* This thread's reader, and any left by threads that did not exit. */
    store_conn_t *mine = pthread_getspecific(s->reader_key);
    if (mine) {
        pthread_setspecific(s->reader_key, NULL);
        reader_destroy(mine);
    }
    store_conn_close(s->audit_reader);
    s->audit_reader = NULL;
    pthread_mutex_lock(&s->readers_lock);
    for (int i = 0; i < s->nreaders; i++)
        store_conn_close(s->readers[i]);
    s->nreaders = 0;
    pthread_mutex_unlock(&s->readers_lock);
    sqlite3_wal_checkpoint_v2(s->writer->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    store_conn_close(s->writer);
    pthread_key_delete(s->reader_key);
    awda_keyring_wipe(&s->keys);
    free(s->path);
    free(s->audit_path);
    free(s);
}
