/*
 * audit.c — the audit chain, and the addresses users signed in from.
 *
 * store_audit appends a record to a list of records waiting (at most
 * AWDA_AUDIT_PENDING_MAX; then the caller waits for the writer, a record
 * is never dropped) and, when none is queued, queues one job for the
 * writer. That job takes every record waiting at once and stores them in
 * order with one prepared insert inside its one savepoint, so a read costs
 * a copy under a lock, and the writer one job per group commit however
 * many requests came. Each record holds the hash of the one before (prev_hash) and its own,
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

/* The hash of a record: BLAKE2b over its fields and the previous hash. */
static void audit_hash(const store_audit_t *a, const char *prev, char out[65])
{
    char buf[1024];
    int n = snprintf(buf, sizeof buf, "%lld|%lld|%s|%s|%s|%s|%s|%d|%s", (long long)a->at,
                     (long long)a->user_pk, a->username, a->addr, a->method, a->route, a->entity_id,
                     a->status, prev);
    awda_hash_hex(buf, n < 0 ? 0 : (size_t)n >= sizeof buf ? sizeof buf - 1 : (size_t)n, out);
}

static store_stmt_t Q_AUDIT_INSERT = {
    .sql = "INSERT INTO audit(at,user_pk,username,addr,method,route,"
           "entity_id,status,prev_hash,hash) VALUES(?,?,?,?,?,?,?,?,?,?)"};

/* Stores one record chained to *prev (which becomes its hash). */
static int audit_insert(store_conn_t *c, sqlite3_stmt *st, const store_audit_t *a, char prev[65])
{
    char hash[65];
    audit_hash(a, prev, hash);
    sqlite3_bind_int64(st, 1, a->at);
    bind_pk_or_null(st, 2, a->user_pk);
    bind_text_or_null(st, 3, a->username[0] ? a->username : NULL);
    bind_text_or_null(st, 4, a->addr[0] ? a->addr : NULL);
    bind_text_or_null(st, 5, a->method);
    bind_text_or_null(st, 6, a->route);
    bind_text_or_null(st, 7, a->entity_id[0] ? a->entity_id : NULL);
    sqlite3_bind_int(st, 8, a->status);
    sqlite3_bind_text(st, 9, prev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, hash, -1, SQLITE_TRANSIENT);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        memcpy(prev, hash, 65);
    return rc;
}

/* The writer's job: takes every record waiting (swapping the two buffers,
 * so callers go on filling the other) and stores them in order, chained,
 * with one prepared statement in the job's one savepoint. */
static int audit_batch_job(store_conn_t *c, void *ctx)
{
    (void)ctx;
    store_t *s = c->s;
    pthread_mutex_lock(&s->q_lock);
    store_audit_t *rows = s->audit_rows;
    int n = s->audit_n, cap = s->audit_cap;
    s->audit_rows = s->audit_spare;
    s->audit_cap = s->audit_spare_cap;
    s->audit_spare = rows;
    s->audit_spare_cap = cap;
    s->audit_n = 0;
    s->audit_queued = 0;
    pthread_cond_broadcast(&s->done_cond); /* room again for callers waiting */
    pthread_mutex_unlock(&s->q_lock);
    s->audit_batches++;
    if (!n)
        return STORE_OK;
    char prev[65];
    memcpy(prev, s->audit_prev, sizeof prev);
    sqlite3_stmt *st = stmt(c, &Q_AUDIT_INSERT);
    int rc = st ? STORE_OK : STORE_ERR;
    for (int i = 0; i < n && rc == STORE_OK; i++)
        rc = audit_insert(c, st, &rows[i], prev);
    if (rc != STORE_OK) {
        awda_log(LOG_ERROR, "audit_lost", "\"records\":%d", n);
        return rc;
    }
    memcpy(s->audit_prev, prev, sizeof prev);
    s->audit_written += (unsigned long long)n;
    return STORE_OK;
}

/* Room for one more waiting record (under q_lock): grows the buffer up to
 * AWDA_AUDIT_PENDING_MAX; 0 when full (or out of memory). */
static int audit_room(store_t *s)
{
    if (s->audit_n < s->audit_cap)
        return 1;
    if (s->audit_cap >= AWDA_AUDIT_PENDING_MAX)
        return 0;
    int cap = s->audit_cap ? s->audit_cap * 2 : 64;
    if (cap > AWDA_AUDIT_PENDING_MAX)
        cap = AWDA_AUDIT_PENDING_MAX;
    store_audit_t *grown = realloc(s->audit_rows, (size_t)cap * sizeof *grown);
    if (!grown)
        return 0;
    s->audit_rows = grown;
    s->audit_cap = cap;
    return 1;
}

/* Queues the job that takes the waiting records unless one is queued
 * (under q_lock). */
static void audit_queue_job(store_t *s)
{
    if (s->audit_queued || !s->audit_n)
        return;
    store_job_t *j = awda_calloc(1, sizeof *j);
    if (!j)
        return; /* the records stay; the next call queues it */
    j->fn = audit_batch_job;
    j->async = 1;
    s->audit_queued = 1;
    store_enqueue_async_locked(s, j);
}

void store_audit(store_t *s, const store_audit_t *a)
{
    pthread_mutex_lock(&s->q_lock);
    while (!s->stopping && !audit_room(s)) {
        if (!s->audit_n)
            break; /* no room and nothing to wait for: out of memory */
        audit_queue_job(s);
        if (!s->audit_queued)
            break; /* out of memory: nothing would take them */
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
    audit_queue_job(s);
    pthread_mutex_unlock(&s->q_lock);
}

void store_audit_free(store_t *s)
{
    free(s->audit_rows);
    free(s->audit_spare);
    s->audit_rows = s->audit_spare = NULL;
    s->audit_n = s->audit_cap = s->audit_spare_cap = 0;
}

int store_audit_verify(store_conn_t *c, long long *checked, long long *first_bad)
{
    sqlite3_stmt *st;
    *checked = 0;
    *first_bad = 0;
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

static store_stmt_t Q_AUDIT_LIST = {
    .sql = "SELECT pk,at,username,addr,method,route,entity_id,status,hash "
           "FROM audit WHERE (?1 IS NULL OR entity_id=?1) AND (?2 IS NULL OR "
           "username=?2) AND pk<?3 ORDER BY pk DESC LIMIT ?4"};

json_t *store_audit_list(store_conn_t *c, const char *entity_id, const char *username,
                         int64_t before_pk, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_AUDIT_LIST);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, entity_id);
    bind_text_or_null(st, 2, username);
    sqlite3_bind_int64(st, 3, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 4, limit + 1);
    json_t *page = audit_page(st, limit);
    done(st, 0);
    return page;
}

/* A record is about a case when its route is one of /cases/{id}...,
 * about a person when /persons/{id}...; the case (or one case of the
 * person) must be in the scope: an office of the user as host or
 * receiving office, or one of their projects. Everything else (sign-ins,
 * lists, administration, restrictions) is not shown. */
static store_stmt_t Q_AUDIT_LIST_SCOPED = {
    .sql = "SELECT pk,at,username,addr,method,route,entity_id,status,hash FROM audit a "
           "WHERE (?1 IS NULL OR entity_id=?1) AND (?2 IS NULL OR username=?2) AND pk<?3 AND "
           "((substr(route,1,18)='/api/v1/cases/{id}' AND EXISTS(SELECT 1 FROM cases c "
           "WHERE c.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "
           "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "
           "c.project IN (SELECT value FROM json_each(?6))))) OR "
           "(substr(route,1,20)='/api/v1/persons/{id}' AND EXISTS(SELECT 1 FROM persons p "
           "JOIN case_members cm ON cm.person_pk=p.pk JOIN cases c ON c.pk=cm.case_pk "
           "WHERE p.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "
           "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "
           "c.project IN (SELECT value FROM json_each(?6)))))) ORDER BY pk DESC LIMIT ?4"};

json_t *store_audit_list_scoped(store_conn_t *c, const char *entity_id, const char *username,
                                const int64_t *offices, int nof, const char *projects,
                                int64_t before_pk, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_AUDIT_LIST_SCOPED);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, entity_id);
    bind_text_or_null(st, 2, username);
    sqlite3_bind_int64(st, 3, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 4, limit + 1);
    char *scope = store_offices_json(offices, nof < 0 ? 0 : nof);
    bind_text_or_null(st, 5, scope);
    free(scope);
    bind_text_or_null(st, 6, projects ? projects : "[]");
    json_t *page = audit_page(st, limit);
    done(st, 0);
    return page;
}
