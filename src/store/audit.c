/*
 * audit.c — the audit chain, and the addresses users signed in from.
 *
 * store_audit appends a record to the list of records waiting (a copy
 * under q_lock, no allocation once the list has grown, no wake-up of the
 * writer for each record) and returns. The writer takes the whole list
 * (store_audit_take) with the next batch it commits: at once when a write
 * comes, else once AWDA_AUDIT_FLUSH_ROWS records are waiting or the
 * oldest has waited AWDA_AUDIT_FLUSH_MS (writer.c). It stores them in
 * order, chained, one prepared INSERT each (store_audit_write), inside
 * the batch's one commit.
 * So a read costs a copy under a lock; the writer one commit per window
 * however many reads came. The table lives in the audit log's own file
 * (<db>-audit, attached as alog by conn.c; moved there by migration 28,
 * store_audit_move_out below), with one index whose first column is the
 * record's bucket of 4,096 (audit_entity_bucket): a window of reads
 * appends to the end of the table and to the few pages of the newest
 * bucket, and commits only that file, so the readers of the main file
 * keep their page caches. A batch with writes commits both files, the
 * main one first; a crash between them loses that window's records, as
 * the paragraph below says.
 * When AWDA_AUDIT_PENDING_MAX records wait, the caller waits for the
 * writer to take them: a record is never dropped.
 *
 * What a crash may lose: a record is on disk at the latest
 * AWDA_AUDIT_FLUSH_MS (plus one commit) after its request was answered,
 * sooner when a write commits; a crash of the process or the machine
 * loses the records of the requests answered in that window, never a
 * record before it, and never a link of the chain (records are stored in
 * the order they were queued, by the one writer). A clean stop
 * (store_close) stores every record waiting. Reading the log
 * (store_audit_sync) first stores what is waiting, so a reader of the
 * log sees every request answered before.
 *
 * Each record holds the hash of the one before (prev_hash) and its own,
 * BLAKE2b over its fields and prev_hash, so a record altered, removed or
 * reordered breaks the chain from there (store_audit_verify). The head of
 * the chain (s->audit_prev) belongs to the writer thread and is reloaded
 * from the database after a failed commit and after migrating.
 *
 * Lists are newest first, by pk, a page at a time; the scoped list keeps
 * only the records about a case (or a person in a case) of the caller's
 * offices or projects.
 *
 * sign_in_addresses (migration 12) holds, per user, the addresses of their
 * latest successful sign-ins, for the sign-in throttle (app/auth.c).
 */
#include "internal.h"

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

char *store_audit_path(const char *path)
{
    if (!path)
        return NULL;
    size_t n = strlen(path);
    char *p = awda_malloc(n + sizeof "-audit");
    if (p) {
        memcpy(p, path, n);
        memcpy(p + n, "-audit", sizeof "-audit");
    }
    return p;
}

/* The index of the records about one entity, by bucket of 4,096 records
 * (pk >> 12) first: the records of a window of reads, whichever cases
 * they are about, land in the few pages of the newest bucket, where an
 * index by entity first put each on a random page. A list of one
 * entity's records looks in each bucket (AUDIT_BUCKETS): one index seek
 * per 4,096 records of the log, about 1,700 at 7 million. */
#define AUDIT_BUCKET_SHIFT "12"
#define AUDIT_BUCKET_EXPR  "(pk >> " AUDIT_BUCKET_SHIFT ")"

/* The table audit in the audit log's own file (migration 28): the columns
 * and triggers of migration 3. Its two indexes there were used by no
 * query (the lists walked pk backwards) and each record cost an entry on
 * a random page of each; the index by bucket above replaces them. */
static const char AUDIT_LOG_TABLE[] =
    "CREATE TABLE IF NOT EXISTS alog.audit ("
    " pk INTEGER PRIMARY KEY, at INTEGER NOT NULL, user_pk INTEGER, username TEXT,"
    " addr TEXT, method TEXT NOT NULL, route TEXT NOT NULL, entity_id TEXT,"
    " status INTEGER NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS alog.audit_entity_bucket ON audit(" AUDIT_BUCKET_EXPR
    ", entity_id, pk);"
    "CREATE TRIGGER IF NOT EXISTS alog.audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER IF NOT EXISTS alog.audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

/* 1 when alog.audit is empty or its last record is main.audit's record
 * of the same pk and hash: the file holds the start of this database's
 * log (a copy cut short by a crash), not another database's. */
static int audit_log_continues(sqlite3 *db)
{
    return store_query_int(db,
                           "SELECT NOT EXISTS(SELECT 1 FROM alog.audit) OR EXISTS(SELECT 1 FROM "
                           "main.audit m JOIN (SELECT pk, hash FROM alog.audit ORDER BY pk DESC "
                           "LIMIT 1) a ON a.pk=m.pk AND a.hash=m.hash)",
                           0) == 1;
}

/* 1 when the main file still has the table audit. */
static int audit_in_main(sqlite3 *db)
{
    return store_query_int(db,
                           "SELECT count(*) FROM main.sqlite_master WHERE type='table' AND "
                           "name='audit'",
                           0) == 1;
}

/* Copies in a transaction of its own, so that the audit file holds every
 * record before the migration's transaction drops main.audit: a commit
 * spanning both files is atomic in each file, not across them (WAL). A
 * crash in between leaves both copies; the next run copies what is
 * missing and goes on. A database whose user_version was set back by
 * hand after migration 28 (bench/run.sh does, to make the search keys
 * again) has no main.audit: its log is in the audit file already. */
int store_audit_move_out(store_t *s, sqlite3 *db)
{
    (void)s;
    if (store_exec(db, "BEGIN IMMEDIATE") != STORE_OK)
        return STORE_ERR;
    int rc = store_exec(db, AUDIT_LOG_TABLE);
    int move = rc == STORE_OK && audit_in_main(db);
    if (move && !audit_log_continues(db)) {
        awda_log(LOG_ERROR, "migrate",
                 "\"reason\":\"the audit file beside the database holds another log\"");
        rc = STORE_ERR;
    }
    if (move && rc == STORE_OK)
        rc = store_exec(db, "INSERT INTO alog.audit SELECT pk,at,user_pk,username,addr,method,"
                            "route,entity_id,status,prev_hash,hash FROM main.audit WHERE pk>"
                            "(SELECT coalesce(max(pk),0) FROM alog.audit) ORDER BY pk");
    if (rc == STORE_OK)
        rc = store_exec(db, "COMMIT");
    if (rc != STORE_OK)
        store_exec(db, "ROLLBACK");
    return rc;
}

/* Loads the hash of the last audit record (the writer's chain head). */
void store_audit_load_prev(store_t *s)
{
    sqlite3_stmt *st;
    snprintf(s->audit_prev, sizeof s->audit_prev, "%s", AUDIT_GENESIS);
    if (sqlite3_prepare_v2(s->writer->db, "SELECT hash FROM audit ORDER BY pk DESC LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        return; /* no audit table yet (before migration 3) */
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(s->audit_prev, sizeof s->audit_prev, "%s",
                 (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
}

/* The text a record's hash is taken over, built into a capped buffer:
 * "%lld|%lld|%s|%s|%s|%s|%s|%d|%s" of at, user_pk, username, addr,
 * method, route, entity_id, status and the previous hash — the same
 * bytes as snprintf with that format (records written before are checked
 * against it), written by hand because a write of every read pays it. */
typedef struct {
    char *p;
    size_t n, cap; /* cap: room for the text, one byte kept for NUL */
} hash_text_t;

static void ht_put(hash_text_t *t, const char *s, size_t len)
{
    if (len > t->cap - t->n)
        len = t->cap - t->n;
    memcpy(t->p + t->n, s, len);
    t->n += len;
}

static void ht_str(hash_text_t *t, const char *s, size_t max)
{
    ht_put(t, s, strnlen(s, max));
}

static void ht_int(hash_text_t *t, long long v)
{
    char d[24];
    int i = (int)sizeof d;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        d[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        d[--i] = '-';
    ht_put(t, d + i, sizeof d - (size_t)i);
}

/* The hash of a record: BLAKE2b over its fields and the previous hash. */
static void audit_hash(const store_audit_t *a, const char *prev, char out[65])
{
    char buf[1024];
    hash_text_t t = {buf, 0, sizeof buf - 1};
    ht_int(&t, a->at);
    ht_put(&t, "|", 1);
    ht_int(&t, a->user_pk);
    ht_put(&t, "|", 1);
    ht_str(&t, a->username, sizeof a->username);
    ht_put(&t, "|", 1);
    ht_str(&t, a->addr, sizeof a->addr);
    ht_put(&t, "|", 1);
    ht_str(&t, a->method, sizeof a->method);
    ht_put(&t, "|", 1);
    ht_str(&t, a->route, sizeof a->route);
    ht_put(&t, "|", 1);
    ht_str(&t, a->entity_id, sizeof a->entity_id);
    ht_put(&t, "|", 1);
    ht_int(&t, a->status);
    ht_put(&t, "|", 1);
    ht_str(&t, prev, 64);
    awda_hash_hex(buf, t.n, out);
}

static store_stmt_t Q_AUDIT_INSERT = {
    .sql = "INSERT INTO audit(at,user_pk,username,addr,method,route,"
           "entity_id,status,prev_hash,hash) VALUES(?,?,?,?,?,?,?,?,?,?)"};

/* Binds text that lives until the step (the list is not touched before
 * the next take), NULL for empty. */
static void bind_static(sqlite3_stmt *st, int i, const char *v, size_t max)
{
    if (v[0])
        sqlite3_bind_text(st, i, v, (int)strnlen(v, max), SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* Stores rows[0..n) in order, chained from s->audit_prev, on the writer's
 * connection inside the batch's transaction, one prepared single-row
 * INSERT each: no savepoint and no statement journal, so no page is
 * copied for a rollback that would never come. A row that fails stops
 * the list there (the rows before it stay, and the head of the chain is
 * the last row stored); the rest are lost, logged. */
int store_audit_write(store_conn_t *c, const store_audit_t *rows, int n)
{
    store_t *s = c->s;
    char prev[65], hash[65];
    memcpy(prev, s->audit_prev, sizeof prev);
    sqlite3_stmt *st = stmt(c, &Q_AUDIT_INSERT);
    int rc = st ? STORE_OK : STORE_ERR, stored = 0;
    for (; stored < n && rc == STORE_OK; stored++) {
        const store_audit_t *a = &rows[stored];
        audit_hash(a, prev, hash);
        sqlite3_bind_int64(st, 1, a->at);
        bind_pk_or_null(st, 2, a->user_pk);
        bind_static(st, 3, a->username, sizeof a->username);
        bind_static(st, 4, a->addr, sizeof a->addr);
        sqlite3_bind_text(st, 5, a->method, (int)strnlen(a->method, sizeof a->method),
                          SQLITE_STATIC);
        sqlite3_bind_text(st, 6, a->route, (int)strnlen(a->route, sizeof a->route), SQLITE_STATIC);
        bind_static(st, 7, a->entity_id, sizeof a->entity_id);
        sqlite3_bind_int(st, 8, a->status);
        sqlite3_bind_text(st, 9, prev, 64, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, hash, 64, SQLITE_STATIC);
        rc = step_done(c, st);
        if (rc == STORE_OK)
            memcpy(prev, hash, sizeof prev);
    }
    if (rc != STORE_OK)
        stored--;
    memcpy(s->audit_prev, prev, sizeof prev);
    s->audit_written += (unsigned long long)stored;
    if (stored)
        s->audit_batches++;
    if (rc != STORE_OK)
        awda_log(LOG_ERROR, "audit_lost", "\"records\":%d", n - stored);
    return rc;
}

int store_audit_take(store_t *s, store_audit_t **rows)
{
    int n = s->audit_n;
    *rows = NULL;
    if (!n)
        return 0;
    store_audit_t *full = s->audit_rows;
    int cap = s->audit_cap;
    s->audit_rows = s->audit_spare;
    s->audit_cap = s->audit_spare_cap;
    s->audit_spare = full;
    s->audit_spare_cap = cap;
    s->audit_n = 0;
    pthread_cond_broadcast(&s->done_cond); /* room again for callers waiting */
    *rows = full;
    return n;
}

/* Room for one more waiting record (under q_lock): grows the buffer up to
 * AWDA_AUDIT_PENDING_MAX; 0 when full (or out of memory). */
static int audit_room(store_t *s)
{
    if (s->audit_n < s->audit_cap)
        return 1;
    if (s->audit_cap >= AWDA_AUDIT_PENDING_MAX)
        return 0;
    int cap = s->audit_cap ? s->audit_cap * 2 : 256;
    if (cap > AWDA_AUDIT_PENDING_MAX)
        cap = AWDA_AUDIT_PENDING_MAX;
    store_audit_t *grown = realloc(s->audit_rows, (size_t)cap * sizeof *grown);
    if (!grown)
        return 0;
    s->audit_rows = grown;
    s->audit_cap = cap;
    return 1;
}

void store_audit(store_t *s, const store_audit_t *a)
{
    pthread_mutex_lock(&s->q_lock);
    while (!s->stopping && !audit_room(s)) {
        if (!s->audit_n)
            break;                       /* no room and nothing to wait for: out of memory */
        pthread_cond_signal(&s->q_cond); /* full: the writer takes them now */
        pthread_cond_wait(&s->done_cond, &s->q_lock);
    }
    if (s->stopping || s->audit_n >= s->audit_cap) {
        int stopping = s->stopping;
        pthread_mutex_unlock(&s->q_lock);
        awda_log(LOG_ERROR, "audit_lost", "\"records\":1,\"reason\":\"%s\"",
                 stopping ? "stopping" : "out of memory");
        return;
    }
    s->audit_rows[s->audit_n++] = *a;
    /* The writer hears of the first record (it then waits at most
     * AWDA_AUDIT_FLUSH_MS) and of a full window, not of each record. */
    if (s->audit_n == 1) {
        s->audit_since_us = awda_mono_us();
        pthread_cond_signal(&s->q_cond);
    } else if (s->audit_n == AWDA_AUDIT_FLUSH_ROWS) {
        pthread_cond_signal(&s->q_cond);
    }
    pthread_mutex_unlock(&s->q_lock);
}

static int audit_sync_job(store_conn_t *c, void *ctx)
{
    (void)c;
    (void)ctx;
    return STORE_OK;
}

int store_audit_sync(store_t *s, store_conn_t *c)
{
    /* the writer takes every record waiting with the batch of this job */
    int rc = store_write(s, audit_sync_job, NULL);
    if (rc == STORE_OK && c && !sqlite3_get_autocommit(c->db)) {
        /* a read transaction started before: start it over to see them */
        rc = store_exec(c->db, "COMMIT");
        if (rc == STORE_OK)
            rc = store_exec(c->db, "BEGIN");
    }
    return rc;
}

void store_audit_free(store_t *s)
{
    free(s->audit_rows);
    free(s->audit_spare);
    s->audit_rows = s->audit_spare = NULL;
    s->audit_n = s->audit_cap = s->audit_spare_cap = 0;
}

/* Walks the chain on c, the audit reader (store_audit_verify). */
static int verify_chain(store_conn_t *c, long long *checked, long long *first_bad)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT pk,at,coalesce(user_pk,0),coalesce(username,''),"
                           "coalesce(addr,''),method,route,coalesce(entity_id,''),status,"
                           "prev_hash,hash FROM audit ORDER BY pk",
                           -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR;
    char prev[65] = AUDIT_GENESIS;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_audit_t a;
        memset(&a, 0, sizeof a);
        a.at = sqlite3_column_int64(st, 1);
        a.user_pk = sqlite3_column_int64(st, 2);
        snprintf(a.username, sizeof a.username, "%s", (const char *)sqlite3_column_text(st, 3));
        snprintf(a.addr, sizeof a.addr, "%s", (const char *)sqlite3_column_text(st, 4));
        snprintf(a.method, sizeof a.method, "%s", (const char *)sqlite3_column_text(st, 5));
        snprintf(a.route, sizeof a.route, "%s", (const char *)sqlite3_column_text(st, 6));
        snprintf(a.entity_id, sizeof a.entity_id, "%s", (const char *)sqlite3_column_text(st, 7));
        a.status = sqlite3_column_int(st, 8);
        const char *stored_prev = (const char *)sqlite3_column_text(st, 9);
        const char *stored = (const char *)sqlite3_column_text(st, 10);
        char want[65];
        audit_hash(&a, prev, want);
        (*checked)++;
        if (!stored_prev || strcmp(stored_prev, prev) != 0 || !stored ||
            strcmp(stored, want) != 0) {
            *first_bad = sqlite3_column_int64(st, 0);
            break;
        }
        memcpy(prev, want, sizeof prev);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return STORE_ERR;
    return *first_bad ? STORE_CONFLICT : STORE_OK;
}

int store_audit_verify(store_conn_t *reader, long long *checked, long long *first_bad)
{
    *checked = 0;
    *first_bad = 0;
    store_conn_t *c = store_audit_reader_take(reader->s); /* the log is read where it is attached */
    if (!c)
        return STORE_ERR;
    int rc = verify_chain(c, checked, first_bad);
    store_audit_reader_give(reader->s);
    return rc;
}

/* A page of audit records from st (bound; limit + 1 rows asked for):
 * {"items","next_cursor"}. Finalizes nothing: the caller does. */
static json_t *audit_page(sqlite3_stmt *st, int limit)
{
    json_t *items = json_array();
    int n = 0, more = 0;
    int64_t last = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == limit) {
            more = 1;
            break;
        }
        last = sqlite3_column_int64(st, 0);
        json_array_append_new(items, json_pack("{s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:o}", "id",
                                               (json_int_t)last, "at", store_col_time(st, 1),
                                               "user", col_str(st, 2), "addr", col_str(st, 3),
                                               "method", col_str(st, 4), "route", col_str(st, 5),
                                               "entity_id", col_str(st, 6), "status",
                                               sqlite3_column_int(st, 7), "hash", col_str(st, 8)));
        n++;
    }
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", (long long)last);
    return json_pack("{s:o,s:o}", "items", items, "next_cursor",
                     more ? json_string(cur) : json_null());
}

/* ---- addresses users signed in from (migration 12) ----------------------- */

static store_stmt_t Q_SIGN_IN_KNOWN = {
    .sql = "SELECT 1 FROM sign_in_addresses WHERE user_pk=? AND addr=? AND last_at>=?"};
static store_stmt_t Q_SIGN_IN_NOTE = {
    .sql = "INSERT INTO sign_in_addresses(user_pk,addr,last_at) VALUES(?1,?2,?3) "
           "ON CONFLICT(user_pk,addr) DO UPDATE SET last_at=excluded.last_at"};
static store_stmt_t Q_SIGN_IN_KEEP = {
    .sql = "DELETE FROM sign_in_addresses WHERE user_pk=?1 AND addr NOT IN (SELECT addr FROM "
           "sign_in_addresses WHERE user_pk=?1 ORDER BY last_at DESC LIMIT ?2)"};
static store_stmt_t Q_SIGN_IN_PURGE = {.sql = "DELETE FROM sign_in_addresses WHERE last_at<?"};

int store_sign_in_known(store_conn_t *c, int64_t user_pk, const char *addr, int64_t since_ms)
{
    sqlite3_stmt *st = stmt(c, &Q_SIGN_IN_KNOWN);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, since_ms);
    int rc = sqlite3_step(st);
    return done(st, rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
}

int store_sign_in_note(store_conn_t *c, int64_t user_pk, const char *addr, int64_t now_ms, int keep)
{
    sqlite3_stmt *st = stmt(c, &Q_SIGN_IN_NOTE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_ms);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return STORE_ERR;
    if (!(st = stmt(c, &Q_SIGN_IN_KEEP)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    sqlite3_bind_int(st, 2, keep);
    return step_done(c, st) == STORE_OK ? STORE_OK : STORE_ERR;
}

int store_sign_in_purge(store_conn_t *c, int64_t before_ms)
{
    sqlite3_stmt *st = stmt(c, &Q_SIGN_IN_PURGE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, before_ms);
    return step_done(c, st) == STORE_OK ? STORE_OK : STORE_ERR;
}

#define AUDIT_COLUMNS "SELECT pk,at,username,addr,method,route,entity_id,status,hash FROM audit a "
/* The buckets of the index audit_entity_bucket from the one of the newest
 * record below ?3 down to 0 (an empty log: none). */
#define AUDIT_BUCKETS                                                                              \
    AUDIT_BUCKET_EXPR " IN (WITH RECURSIVE b(n) AS (SELECT min(?3 - 1, (SELECT max(pk) FROM "      \
                      "audit)) >> " AUDIT_BUCKET_SHIFT                                             \
                      " UNION ALL SELECT n - 1 FROM b WHERE n > 0) SELECT n FROM b)"
#define AUDIT_PAGE " ORDER BY pk DESC LIMIT ?4"

/* A record is about a case when its route is one of /cases/{id}...,
 * about a person when /persons/{id}...; the case (or one case of the
 * person) must be in the scope: an office of the user as host or
 * receiving office, or one of their projects. Everything else (sign-ins,
 * lists, administration, restrictions) is not shown. */
#define AUDIT_SCOPE                                                                                \
    " AND ((substr(route,1,18)='/api/v1/cases/{id}' AND EXISTS(SELECT 1 FROM cases c "             \
    "WHERE c.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "             \
    "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "                               \
    "c.project IN (SELECT value FROM json_each(?6))))) OR "                                        \
    "(substr(route,1,20)='/api/v1/persons/{id}' AND EXISTS(SELECT 1 FROM persons p "               \
    "JOIN case_members cm ON cm.person_pk=p.pk JOIN cases c ON c.pk=cm.case_pk "                   \
    "WHERE p.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "             \
    "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "                               \
    "c.project IN (SELECT value FROM json_each(?6))))))"

/* Every record, or one user's: walks pk backwards. */
static store_stmt_t Q_AUDIT_LIST = {.sql = AUDIT_COLUMNS
                                    "WHERE (?2 IS NULL OR username=?2) AND pk<?3" AUDIT_PAGE};
/* One entity's records: bucket by bucket through audit_entity_bucket. */
static store_stmt_t Q_AUDIT_LIST_ENTITY = {
    .sql = AUDIT_COLUMNS "WHERE " AUDIT_BUCKETS " AND entity_id=?1 AND (?2 IS NULL OR "
                         "username=?2) AND pk<?3" AUDIT_PAGE};
static store_stmt_t Q_AUDIT_LIST_SCOPED = {
    .sql = AUDIT_COLUMNS "WHERE (?2 IS NULL OR username=?2) AND pk<?3" AUDIT_SCOPE AUDIT_PAGE};
static store_stmt_t Q_AUDIT_LIST_SCOPED_ENTITY = {
    .sql = AUDIT_COLUMNS "WHERE " AUDIT_BUCKETS " AND entity_id=?1 AND (?2 IS NULL OR "
                         "username=?2) AND pk<?3" AUDIT_SCOPE AUDIT_PAGE};

/* Runs the list d (one of the four above) on the audit reader; scope and
 * projects bind the scope when scoped. */
static json_t *audit_list(store_conn_t *c, store_stmt_t *d, const char *entity_id,
                          const char *username, int64_t before_pk, int limit, const char *scope,
                          const char *projects)
{
    store_conn_t *ac = store_audit_reader_take(c->s);
    if (!ac)
        return NULL;
    sqlite3_stmt *st = stmt(ac, d);
    if (!st) {
        store_audit_reader_give(c->s);
        return NULL;
    }
    bind_text_or_null(st, 1, entity_id);
    bind_text_or_null(st, 2, username);
    sqlite3_bind_int64(st, 3, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 4, limit + 1);
    if (scope) {
        bind_text_or_null(st, 5, scope);
        bind_text_or_null(st, 6, projects ? projects : "[]");
    }
    json_t *page = audit_page(st, limit);
    done(st, 0);
    store_audit_reader_give(c->s);
    return page;
}

json_t *store_audit_list(store_conn_t *c, const char *entity_id, const char *username,
                         int64_t before_pk, int limit)
{
    return audit_list(c, entity_id ? &Q_AUDIT_LIST_ENTITY : &Q_AUDIT_LIST, entity_id, username,
                      before_pk, limit, NULL, NULL);
}

json_t *store_audit_list_scoped(store_conn_t *c, const char *entity_id, const char *username,
                                const int64_t *offices, int nof, const char *projects,
                                int64_t before_pk, int limit)
{
    char *scope = store_offices_json(offices, nof < 0 ? 0 : nof);
    if (!scope)
        return NULL;
    json_t *page = audit_list(c, entity_id ? &Q_AUDIT_LIST_SCOPED_ENTITY : &Q_AUDIT_LIST_SCOPED,
                              entity_id, username, before_pk, limit, scope, projects);
    free(scope);
    return page;
}
