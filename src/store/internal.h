/*
 * internal.h — what the files of the SQLite store share, and nothing the
 * rest of awda may use (the port is store.h).
 *
 * The store is a set of files behind store.h:
 *   conn.c        connections, the statement cache, open and close
 *   columns.c     binding values and reading columns, SQL text builders
 *   writer.c      the single writer thread (group commit), the async queue
 *   checkpoint.c  the checkpoint thread (WAL checkpoints off the writer)
 *   audit.c       the audit chain (records batched for the writer)
 *   migrate.c     the migrations (list generated from the numbered SQL files)
 *   key_batch.c   a job's new keys inserted together in key order
 *   key_ready.c   persons' keys made before their job, on another thread
 *   one file per aggregate (offices.c, users.c, persons.c, cases.c, ...);
 *   case_aggregate.c reads a case whole into its typed struct
 *
 * Statements. Each file declares the statements it runs next to the
 * functions that run them:
 *
 *     static store_stmt_t Q_OFFICE_GET = {"SELECT ... WHERE code=?"};
 *     sqlite3_stmt *st = stmt(c, &Q_OFFICE_GET);
 *
 * or, when the SQL is generated (from the field tables, the stage table),
 * with a builder run once at first use:
 *
 *     static store_stmt_t Q_CASE_GET = {.build = case_get_sql};
 *
 * A descriptor gets a slot number (from one counter) the first time any
 * connection uses it; each connection keeps a growable array of prepared
 * statements indexed by slot (at most STORE_MAX_STATEMENTS), prepared once
 * (SQLITE_PREPARE_PERSISTENT) and reset after each use. Adding a store
 * file therefore needs no edit to any shared list. Descriptors must have
 * static storage duration: their slot and built SQL live as long as the
 * process.
 */
#ifndef AWDA_STORE_INTERNAL_H
#define AWDA_STORE_INTERNAL_H
#include "store.h"
#include "../core/field.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/log.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Statements a connection may cache, at most (every descriptor of every
 * store file; today about a hundred). A descriptor past it is refused
 * (logged), never silently dropped. */
#define STORE_MAX_STATEMENTS 512
/* Longest SQL text a builder may produce (the case list with one part per
 * office and project is the longest: 2 parts per office and one per
 * project, about 300 bytes each). Past it the statement fails, logged. */
#define STORE_MAX_SQL (1024 * 1024)
/* Jobs queued without waiting (session touches, audit batches) at most
 * (then callers wait). */
#define AUDIT_QUEUE_MAX 65536
/* Frames in the WAL after a commit past which the checkpoint thread is
 * asked for a passive checkpoint (SQLite's own automatic threshold). */
#define STORE_CHECKPOINT_FRAMES 1000
/* Pages of a connection's cache allocated in one block when it is first
 * used (conn.c), at most its cache_size: the writer's 16 MB (4,000 pages)
 * fit, a reader's 2 MB (500 pages) too. */
#define STORE_CACHE_BULK_PAGES 4096
/* The schema from which the table audit lives in the audit log's own
 * file (migration 28; conn.c attaches it, audit.c moves the records). */
#define STORE_SCHEMA_AUDIT_FILE 28

typedef struct store_stmt {
    const char *sql;                            /* fixed SQL, or NULL: built */
    char *(*build)(const struct store_stmt *d); /* malloc'd SQL, NULL on failure */
    _Atomic int slot;                           /* 0: none yet; else index + 1 */
    char *built;                                /* what build made (kept for good) */
} store_stmt_t;

typedef struct store_key_batch store_key_batch_t;

struct store_conn {
    sqlite3 *db;
    store_t *s;
    sqlite3_stmt **st;               /* by slot - 1; NULL: not prepared yet */
    int nst;                         /* room in st */
    store_key_batch_t *keys;         /* store_keys_batch_begin: keys kept for the end */
    const store_keys_ready_t *ready; /* store_keys_ready_use: keys made before */
};

/* A person's keys made before the job (key_ready.c): the text name keys
 * (ntext strings back to back, each NUL-terminated), the search keys and
 * the duplicate keys; pointers into the set, valid while it is in use. */
typedef struct {
    const char *text;
    int ntext;
    const int64_t *search;
    int nsearch;
    const int64_t *dup;
    int ndup;
} store_person_keys_t;
/* 1 and out filled when the set in use on c holds the keys of a person
 * with p's name, name_latin, date_of_birth and contact.phone; else 0. */
int store_keys_ready_find(store_conn_t *c, const json_t *p, store_person_keys_t *out);

/* The key tables whose inserts a key batch keeps (key_batch.c). */
enum { STORE_KEYS_DUP, STORE_KEYS_SEARCH, STORE_KEYS_TABLES };
/* Keeps (key, pk) for table when a key batch is open on c: 1 kept, 0 no
 * batch (insert it yourself), -1 failure. */
int store_keys_batch_add(store_conn_t *c, int table, int64_t key, int64_t pk);
/* Keeps person pk's text name keys (n of them, in keys: sorted and made
 * distinct in place; the texts are copied) and every pair of two of them
 * when a key batch is open on c: 1 kept, 0 no batch (insert them
 * yourself), -1 failure. At most 2 * (2 * AWDA_SEARCH_MAX_TERMS + 8)
 * keys. */
int store_keys_batch_names(store_conn_t *c, int64_t pk, const char **keys, int n);

typedef struct store_job {
    store_job_fn fn;
    void *ctx;
    int rc;
    int done;
    int async; /* queued by store_enqueue_async: nobody waits; the writer frees it */
    int solo;  /* store_write_solo: a transaction of its own, without a savepoint */
    struct store_job *next;
    /* store_write_async: called with rc once the batch is durable (or
     * failed); the writer frees the job */
    void (*cb)(void *arg, int rc);
    void *cb_arg;
} store_job_t;

struct store {
    char *path;
    char *audit_path; /* the audit log's file, attached as "alog" (conn.c) */
    pthread_key_t reader_key;
    /* the one connection with the audit log attached that reads it
     * (store_audit_reader_take), opened on first use, and its lock */
    store_conn_t *audit_reader;
    pthread_mutex_t audit_reader_lock;
    pthread_mutex_t readers_lock;
    store_conn_t *readers[256]; /* every reader opened, to close at exit */
    int nreaders;
    store_conn_t *writer;
    pthread_t writer_thread;
    pthread_mutex_t q_lock;
    pthread_cond_t q_cond;
    pthread_cond_t done_cond;
    store_job_t *q_head, *q_tail;
    int stopping;
    unsigned long long batches, jobs; /* written by the writer, read at close */
    atomic_int waited_max;            /* most jobs with a waiter in one batch (store_write_stats) */
    int audit_pending;                /* async jobs queued (under q_lock) */
    char audit_prev[65];              /* hash of the last audit record (writer only) */
    /* audit records waiting for the writer (audit.c), under q_lock: rows
     * fills while the writer stores spare; audit_since_us: when the first
     * of them was queued (monotonic), for the writer's flush window */
    store_audit_t *audit_rows, *audit_spare;
    int audit_n, audit_cap, audit_spare_cap;
    long long audit_since_us;
    _Atomic unsigned long long audit_batches, audit_written;
    _Atomic unsigned long long person_unseals; /* sealed person values opened (sealing.c) */
    _Atomic unsigned long long record_unseals; /* sealed record values opened (sealing.c) */
    /* the checkpoint thread (checkpoint.c) */
    store_conn_t *ckpt; /* its connection; NULL: SQLite checkpoints itself */
    pthread_t ckpt_thread;
    pthread_mutex_t ckpt_lock; /* ckpt_wanted, ckpt_stop */
    pthread_cond_t ckpt_cond;
    pthread_mutex_t ckpt_use; /* held while a checkpoint runs on ckpt */
    int ckpt_wanted, ckpt_stop;
    _Atomic int ckpt_signalled; /* a request is pending (the hook's fast path) */
    _Atomic unsigned long long checkpoints;
    awda_keyring_t keys; /* seals medical and protection values */
    int has_keys;
    long long batch_us;
};

/* ---- conn.c ---- */
/* A new connection to s's database (WAL, foreign keys, busy timeout,
 * synchronous=FULL), with the audit log's file attached as alog when
 * audit_log is 1; NULL on failure. store_conn_close frees it. */
store_conn_t *store_conn_open(store_t *s, int audit_log);
/* The first column of the first row of sql (fixed text, no parameters)
 * as an integer; otherwise when it fails or gives no row. */
int store_query_int(sqlite3 *db, const char *sql, int otherwise);
/* PRAGMA user_version of db's main database (its schema); -1 on error. */
int store_user_version(sqlite3 *db);
/* The process's one connection with the audit log attached (opened on
 * first use, in autocommit: each statement its own snapshot), locked for
 * the caller until store_audit_reader_give; owned by the store, closed
 * at store_close. NULL on failure (then nothing to give back). */
store_conn_t *store_audit_reader_take(store_t *s);
void store_audit_reader_give(store_t *s);
void store_conn_close(store_conn_t *c);
/* sqlite3_exec, logging a failure: STORE_OK or STORE_ERR. */
int store_exec(sqlite3 *db, const char *sql);
/* The prepared statement of d on c (prepared and cached on first use);
 * NULL (logged) on failure. Borrowed: reset it with done(). */
sqlite3_stmt *store_stmt_prepare(store_conn_t *c, store_stmt_t *d);

static inline sqlite3_stmt *stmt(store_conn_t *c, store_stmt_t *d)
{
    int slot = atomic_load_explicit(&d->slot, memory_order_acquire);
    if (slot > 0 && slot <= c->nst && c->st[slot - 1])
        return c->st[slot - 1];
    return store_stmt_prepare(c, d);
}

/* Resets a cached statement after use; returns rc. */
static inline int done(sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Runs a statement that returns no rows and resets it; maps constraint
 * failures (unique: STORE_CONFLICT, foreign key: STORE_NOTFOUND). */
static inline int step_done(store_conn_t *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int out = STORE_OK;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        out = STORE_CONFLICT;
    else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        out = STORE_NOTFOUND;
    else if (rc != SQLITE_DONE) {
        awda_log(LOG_ERROR, "sqlite_step", "\"rc\":%d,\"error\":\"%s\"", rc, sqlite3_errmsg(c->db));
        out = STORE_ERR;
    }
    return done(st, out);
}

/* Runs a transaction-control statement (BEGIN, SAVEPOINT...). */
static inline int control(store_conn_t *c, store_stmt_t *d)
{
    sqlite3_stmt *st = stmt(c, d);
    return st ? step_done(c, st) : STORE_ERR;
}

/* ---- columns.c ---- */
/* SQL text under construction: a capped buffer that remembers the first
 * failure, so a statement is never run with a piece missing. */
typedef struct {
    buf_t b;
    int failed;
} sql_t;
void sql_init(sql_t *q);
void sql_puts(sql_t *q, const char *s);
void sql_printf(sql_t *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text (caller frees), or NULL (logged) when it could not be built. */
char *sql_take(sql_t *q);
void sql_free(sql_t *q);

static inline void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}
static inline void bind_pk_or_null(sqlite3_stmt *st, int i, int64_t pk)
{
    if (pk)
        sqlite3_bind_int64(st, i, pk);
    else
        sqlite3_bind_null(st, i);
}
/* Binds v as compact JSON text (flags added to JSON_COMPACT); STORE_ERR
 * when it cannot be serialised (nothing is stored in its place). */
int bind_json(sqlite3_stmt *st, int i, const json_t *v, size_t flags);
static inline const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}
/* Column fields of an entity: stored in its own table, in table order. */
static inline int is_col(const awda_field_t *f)
{
    return !(f->flags & (F_SERVER | F_NOCOL));
}
/* ",a,b" / ",?,?" / ",a=?,b=?" for the column fields of e (into sql). */
void store_col_names(sql_t *q, const awda_entity_t *e);
void store_col_marks(sql_t *q, const awda_entity_t *e);
void store_col_sets(sql_t *q, const awda_entity_t *e);
/* Binds the column fields of e from obj starting at parameter idx; the
 * next free parameter index, or -1 when a value cannot be serialised. */
int store_bind_cols(sqlite3_stmt *st, int idx, const awda_entity_t *e, const json_t *obj);
/* A column as JSON (new reference), typed by f when given. */
json_t *store_col_json(sqlite3_stmt *st, int col, const awda_field_t *f);
/* An epoch-ms column as ISO 8601 text (new reference). */
json_t *store_col_time(sqlite3_stmt *st, int col);
static inline json_t *col_str(sqlite3_stmt *st, int col)
{
    return store_col_json(st, col, NULL);
}
/* A column's text (the statement's, valid until it moves on); NULL when
 * the column is null. */
static inline const char *col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}
/* The integer of the first column of d's single row for key; 0 when none. */
int64_t store_lookup_pk(store_conn_t *c, store_stmt_t *d, const char *key);
/* The offices as a JSON array text (caller frees); NULL when nof < 0. */
char *store_offices_json(const int64_t *offices, int nof);
/* [key, key+"{") is the range of every name key that starts with key. */
void store_key_range(const char *key, char hi[AWDA_NAME_KEY_MAX + 2]);
/* How many name keys (person_name_keys) start with key, counting no
 * further than cap (cap on error). */
int store_name_key_count(store_conn_t *c, const char *key, int cap);
/* The counts of n keys, each no further than probe, that tell which key is
 * the rarest, as count(ctx, i, cap) counts key i no further than cap:
 * every key is counted up to a small cap, those that reached it up to a
 * larger one, then up to probe. A key that stops below a cap has its
 * count; once at most one key is left counting, it is the commonest, and
 * out gets probe for it. The comparisons between the counts in out are
 * those between the counts up to probe, for far fewer rows read when one
 * key is rare. */
void store_probe_counts(int n, int probe, int (*count)(void *ctx, int i, int cap), void *ctx,
                        int *out);
/* "'a','b'" for the stages of mask (bit i = AWDA_STAGES[i]), from the
 * stage table, never from a request; "NULL" when none. */
void store_stage_list(sql_t *q, unsigned mask);
/* The bit of a stage in AWDA_STAGES (0, logged, when there is no such
 * stage: a statement built with it then matches nothing). */
unsigned store_stage_bit(const char *stage);

/* ---- writer.c ---- */
/* Starts the writer thread on s->writer; STORE_OK or STORE_ERR. */
int store_writer_start(store_t *s);
/* Stops it after the jobs queued. */
void store_writer_stop(store_t *s);
/* Queues fn(ctx) for the writer without waiting; the writer frees its
 * copy of ctx (size bytes) after running it. Waits only when the queue
 * is full. */
void store_enqueue_async(store_t *s, store_job_fn fn, const void *ctx, size_t size);

/* ---- checkpoint.c ---- */
/* Starts the checkpoint thread and hands it the writer's checkpoints;
 * when it cannot, SQLite goes on checkpointing in the writer (logged). */
void store_ckpt_start(store_t *s);
/* Stops and joins it (after the writer stopped). */
void store_ckpt_stop(store_t *s);

/* ---- audit.c ---- */
/* Loads the hash of the last audit record (the writer's chain head). */
void store_audit_load_prev(store_t *s);
/* Migration 28's step before its transaction: copies every record of
 * main.audit not yet in alog.audit there, and commits that file alone
 * (migrate.c; the migration then drops main.audit). */
int store_audit_move_out(store_t *s, sqlite3 *db);
/* Frees the buffers of waiting records (at close, after the writer). */
void store_audit_free(store_t *s);
/* The writer (under q_lock): takes every record waiting; *rows (owned by
 * the store, valid until the next take) holds the count returned. */
int store_audit_take(store_t *s, store_audit_t **rows);
/* The writer, inside its batch's transaction: stores rows[0..n) in order,
 * chained; STORE_OK, or an error when none of them may be kept. */
int store_audit_write(store_conn_t *c, const store_audit_t *rows, int n);

/* ---- sealing.c ---- */
/* 1 for a field sealed at rest (medical and protection classes). */
int store_sealed_class(const awda_field_t *f);
/* A copy of data with the sealed fields of its kind sealed (caller
 * decrefs); NULL on failure or without a key to seal with. */
json_t *store_seal_record(store_t *s, const char *kind, const char *id, const json_t *data);
/* Opens the sealed values of a record's data in place. */
void store_unseal_record(store_t *s, const char *id, json_t *data);
/* Rebinds, sealed, the sealed-class columns of a person that
 * store_bind_cols bound in clear from parameter idx. */
int store_bind_person_sealed(store_t *s, sqlite3_stmt *st, int idx, const json_t *p,
                             const char *person_id);
/* The opened value of a person's sealed column (new reference). */
json_t *store_unseal_person_value(store_t *s, const char *person_id, const char *field,
                                  const char *stored);
int store_person_id_of(store_conn_t *c, int64_t pk, char *out, size_t cap);
/* The columns a person's read selects (persons.pk, id, times, the
 * documents as a JSON array, then the field table's columns), for a
 * statement over the persons table; store_person_row reads them back from
 * column base into a new object (caller owns), opening sealed values. */
void store_person_select(sql_t *q);
json_t *store_person_row(store_conn_t *c, sqlite3_stmt *st, int base);
/* Migration 13's step (runs inside the migration's transaction). */
int store_seal_person_vulnerabilities(store_t *s, sqlite3 *db);

/* ---- the search that finds people (person_search.c, its keys
 * person_search_keys.c, prefix_search.c) ---- */
/* The name-prefix search (prefix_search.c): at most limit person pks into pks,
 * in the scope (JSON arrays, NULL: everywhere); how many, or -1. */
int store_person_prefix_pks(store_conn_t *c, const awda_name_keys_t *q, int limit,
                            const char *scope, const char *proj, int64_t *pks);
/* Writes person pk's search keys: keys[0..n) when keys is not NULL (made
 * before, store_search_keys_make), else made from p (name, name_latin,
 * contact.phone); is_new skips removing the old ones. STORE_OK or an
 * error. */
int store_person_search_keys_write(store_conn_t *c, int64_t pk, const json_t *p, int is_new,
                                   const int64_t *keys, int n);
/* The distinct search keys of a person, sorted, into keys; how many. Any
 * thread (ICU's transliterator is per thread). */
int store_search_keys_make(const char *name, const char *latin, const char *phone,
                           int64_t keys[AWDA_SEARCH_KEYS_MAX]);
/* Migration 22's step: the search keys of every person already stored. */
int store_search_keys_fill(store_t *s, sqlite3 *db);
/* The search key of kind ('L', 'S', 'D', 'P') for the text s. */
int64_t store_search_key_of(char kind, const char *s);
/* The digits of s (at most cap - 1) into out; how many. */
int store_digits_of(const char *s, char *out, int cap);

#endif
