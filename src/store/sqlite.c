/*
 * sqlite.c — the SQLite adapter of the persistence port (see store.h).
 *
 * Connections: one writer connection owned by the writer thread, and one
 * read connection per thread that reads (kept in a pthread key, closed at
 * thread exit). Every connection runs with WAL, foreign keys on, a busy
 * timeout and synchronous=FULL, so a transaction acknowledged to a client
 * has been fsync'ed to the WAL: it survives a process crash and a power
 * cut (on storage that honours fsync).
 *
 * Group commit: store_write queues a job and waits. The writer takes all
 * queued jobs (up to WRITER_BATCH), opens one transaction, runs each job in
 * a SAVEPOINT (rolled back alone if the job fails), commits once, and wakes
 * the callers. One fsync then acknowledges many registrations.
 *
 * Statements are prepared once per connection (SQLITE_PREPARE_PERSISTENT)
 * and kept in a table indexed by the ST_* enum. Column lists for persons and
 * cases are generated at open from the field tables in core/entities.c, so
 * a new field needs no new SQL here.
 */
#include "store.h"
#include "../core/field.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/log.h"
#include "../util/mem.h"
#include "../util/seal.h"
#include "../core/journey.h"
#include "../util/timeutil.h"
#include <pthread.h>
#include <stdarg.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_BATCH    512
#define BUSY_TIMEOUT_MS 10000

/* ---- migrations (embedded SQL) ----------------------------------------- */

static const char MIGRATION_1[] =
#include "schema.inc"
    ;
static const char MIGRATION_2[] =
#include "migration_002.inc"
    ;

static const char MIGRATION_3[] =
#include "migration_003.inc"
    ;

static const char MIGRATION_4[] =
#include "migration_004.inc"
    ;

static const char MIGRATION_5[] =
#include "migration_005.inc"
    ;

static const char MIGRATION_6[] =
#include "migration_006.inc"
    ;

static const char MIGRATION_7[] =
#include "migration_007.inc"
    ;

static const char MIGRATION_8[] =
#include "migration_008.inc"
    ;

static const char MIGRATION_9[] =
#include "migration_009.inc"
    ;

static const char MIGRATION_10[] =
#include "migration_010.inc"
    ;

static const char MIGRATION_11[] =
#include "migration_011.inc"
    ;

static const char MIGRATION_12[] =
#include "migration_012.inc"
    ;

static const char MIGRATION_13[] =
#include "migration_013.inc"
    ;

static const char MIGRATION_14[] =
#include "migration_014.inc"
    ;

static const char *const MIGRATIONS[] = {
    MIGRATION_1, MIGRATION_2, MIGRATION_3,  MIGRATION_4,  MIGRATION_5,  MIGRATION_6,  MIGRATION_7,
    MIGRATION_8, MIGRATION_9, MIGRATION_10, MIGRATION_11, MIGRATION_12, MIGRATION_13, MIGRATION_14};
#define NMIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

int store_schema_latest(void)
{
    return NMIGRATIONS;
}

/* ---- statements ----------------------------------------------------- */

enum {
    ST_OFFICE_INSERT,
    ST_OFFICE_UPDATE,
    ST_OFFICE_LIST,
    ST_OFFICE_GET,
    ST_OFFICE_PK,
    ST_USER_INSERT,
    ST_USER_OFFICE_ADD,
    ST_USER_OFFICES_CLEAR,
    ST_USER_LIST,
    ST_USER_GET,
    ST_USER_AUTH,
    ST_USER_SET_LANGUAGE,
    ST_USER_SET_PROJECTS,
    ST_USER_SET_ORGANISATION,
    ST_USER_TOTP_GET,
    ST_USER_TOTP_SET,
    ST_USER_TOTP_STEP,
    ST_USER_OFFICES,
    ST_USER_PK,
    ST_USER_COUNT,
    ST_USER_SET_NAME,
    ST_USER_SET_ROLES,
    ST_USER_SET_DISABLED,
    ST_USER_SET_PW,
    ST_SESSIONS_OF_USER_DELETE,
    ST_SESSION_INSERT,
    ST_SESSION_LOOKUP,
    ST_SESSION_DELETE,
    ST_PERSON_INSERT,
    ST_PERSON_UPDATE,
    ST_PERSON_GET,
    ST_PERSON_PK,
    ST_DOC_INSERT,
    ST_DOCS_CLEAR,
    ST_KEY_INSERT,
    ST_KEYS_CLEAR,
    ST_PERSON_CASES,
    ST_COUNTER_GET,
    ST_COUNTER_SET,
    ST_CASE_INSERT,
    ST_CASE_UPDATE,
    ST_CASE_FIND,
    ST_CASE_GET,
    ST_MEMBERS_CLEAR,
    ST_MEMBER_ADD,
    ST_MEMBERS_OF,
    ST_EVENT_INSERT,
    ST_EVENTS_OF,
    ST_IDEM_GET,
    ST_IDEM_PUT,
    ST_IDEM_PURGE,
    ST_BEGIN,
    ST_COMMIT,
    ST_SAVEPOINT,
    ST_RELEASE,
    ST_ROLLBACK_TO,
    ST_CASE_SET_STAGE,
    ST_RECORD_INSERT,
    ST_RECORDS_OF,
    ST_RECORDS_OF_KIND,
    ST_RECORD_GET,
    ST_CONSENTS_WITHDRAW,
    ST_PREVIOUS_RETURNS,
    ST_RESTRICTION_INSERT,
    ST_RESTRICTION_UPDATE,
    ST_RESTRICTION_GET,
    ST_RESTRICTION_HISTORY_ADD,
    ST_RESTRICTION_HISTORY,
    ST_RESTRICTION_LIST,
    ST_RESTRICTION_OVERDUE,
    ST_RESTRICTION_MATCHING,
    ST_PERSON_SUMMARY,
    ST_AUDIT_INSERT,
    ST_SESSION_TOUCH,
    ST_AUDIT_LIST,
    ST_KEY_FREQ,
    ST_SEARCH1,
    ST_SEARCH_LAST = ST_SEARCH1 + AWDA_SEARCH_MAX_TERMS - 1,
    ST_COUNT
};

struct store_conn {
    sqlite3 *db;
    store_t *s;
    sqlite3_stmt *st[ST_COUNT];
};

typedef struct job {
    store_job_fn fn;
    void *ctx;
    int rc;
    int done;
    int async; /* queued by store_audit: nobody waits; the writer frees it */
    struct job *next;
} job_t;

/* Audit records waiting for the writer, at most (then callers wait). */
#define AUDIT_QUEUE_MAX 65536

struct store {
    char *path;
    char *sql[ST_COUNT];
    pthread_key_t reader_key;
    pthread_mutex_t readers_lock;
    store_conn_t *readers[256]; /* every reader opened, to close at exit */
    int nreaders;
    store_conn_t *writer;
    pthread_t writer_thread;
    pthread_mutex_t q_lock;
    pthread_cond_t q_cond;
    pthread_cond_t done_cond;
    job_t *q_head, *q_tail;
    int stopping;
    unsigned long long batches, jobs; /* written by the writer, read at close */
    int audit_pending;                /* async audit jobs queued (under q_lock) */
    char audit_prev[65];              /* hash of the last audit record (writer only) */
    awda_keyring_t keys;              /* seals medical and protection values */
    int has_keys;
    long long batch_us;
};

static char *xsql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xsql(const char *fmt, ...)
{
    buf_t b;
    buf_init(&b, 64 * 1024);
    va_list ap;
    char tmp[8192];
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    buf_puts(&b, tmp);
    return buf_take(&b);
}

/* Column fields of an entity: stored in its own table, in table order. */
static int is_col(const awda_field_t *f)
{
    return !(f->flags & (F_SERVER | F_NOCOL));
}

static void col_lists(const awda_entity_t *e, char *names, char *marks, char *sets, size_t cap)
{
    size_t a = 0, b = 0, c = 0;
    names[0] = marks[0] = sets[0] = '\0';
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        if (!is_col(f))
            continue;
        a += (size_t)snprintf(names + a, cap - a, ",%s", f->name);
        b += (size_t)snprintf(marks + b, cap - b, ",?");
        c += (size_t)snprintf(sets + c, cap - c, ",%s=?", f->name);
    }
}

static void build_sql(store_t *s)
{
    char pn[1024], pm[256], ps[1024], cn[1024], cm[256], cs[1024];
    col_lists(&AWDA_PERSON, pn, pm, ps, sizeof pn);
    col_lists(&AWDA_CASE, cn, cm, cs, sizeof cn);
    char **q = s->sql;
    q[ST_OFFICE_INSERT] = xsql("INSERT INTO offices(code,name,country,location,created_at,"
                               "name_ar,name_fr) VALUES(?,?,?,?,?,?,?)");
    q[ST_OFFICE_UPDATE] = xsql("UPDATE offices SET name=coalesce(?,name), location=?, name_ar=?, "
                               "name_fr=? WHERE code=?");
    q[ST_OFFICE_LIST] =
        xsql("SELECT code,name,country,location,name_ar,name_fr FROM offices ORDER BY code");
    q[ST_OFFICE_GET] =
        xsql("SELECT code,name,country,location,name_ar,name_fr FROM offices WHERE code=?");
    q[ST_OFFICE_PK] = xsql("SELECT pk FROM offices WHERE code=?");
    q[ST_USER_INSERT] = xsql("INSERT INTO users(username,full_name,pwhash,roles,disabled,"
                             "created_at,pw_changed_at) VALUES(?,?,?,?,?,?,?)");
    q[ST_USER_OFFICE_ADD] = xsql("INSERT OR IGNORE INTO user_offices(user_pk,office_pk) "
                                 "VALUES(?,?)");
    q[ST_USER_OFFICES_CLEAR] = xsql("DELETE FROM user_offices WHERE user_pk=?");
    q[ST_USER_LIST] = xsql("SELECT username,full_name,roles,disabled,pk,totp_enabled,language,"
                           "organisation,projects FROM users ORDER BY username");
    q[ST_USER_GET] = xsql("SELECT username,full_name,roles,disabled,pk,totp_enabled,language,"
                          "organisation,projects FROM users WHERE username=?");
    q[ST_USER_SET_ORGANISATION] = xsql("UPDATE users SET organisation=? WHERE pk=?");
    q[ST_USER_AUTH] = xsql("SELECT pk,username,roles,disabled,totp_enabled,projects,pwhash "
                           "FROM users WHERE username=?");
    q[ST_USER_SET_PROJECTS] = xsql("UPDATE users SET projects=? WHERE pk=?");
    q[ST_USER_SET_LANGUAGE] = xsql("UPDATE users SET language=? WHERE pk=?");
    q[ST_USER_TOTP_GET] = xsql("SELECT totp_secret,totp_enabled,totp_step FROM users WHERE pk=?");
    q[ST_USER_TOTP_SET] = xsql("UPDATE users SET totp_secret=?, totp_enabled=?, totp_step=0 "
                               "WHERE pk=?");
    q[ST_USER_TOTP_STEP] = xsql("UPDATE users SET totp_step=? WHERE pk=? AND totp_step<?");
    q[ST_USER_OFFICES] = xsql("SELECT o.pk,o.code FROM user_offices uo JOIN offices o ON "
                              "o.pk=uo.office_pk WHERE uo.user_pk=? ORDER BY o.code");
    q[ST_USER_PK] = xsql("SELECT pk FROM users WHERE username=?");
    q[ST_USER_COUNT] = xsql("SELECT count(*) FROM users");
    q[ST_USER_SET_NAME] = xsql("UPDATE users SET full_name=? WHERE pk=?");
    q[ST_USER_SET_ROLES] = xsql("UPDATE users SET roles=? WHERE pk=?");
    q[ST_USER_SET_DISABLED] = xsql("UPDATE users SET disabled=? WHERE pk=?");
    q[ST_USER_SET_PW] = xsql("UPDATE users SET pwhash=?, pw_changed_at=? WHERE pk=?");
    q[ST_SESSIONS_OF_USER_DELETE] = xsql("DELETE FROM sessions WHERE user_pk=?");
    q[ST_SESSION_INSERT] = xsql("INSERT INTO sessions(token_hash,user_pk,created_at,"
                                "expires_at) VALUES(?,?,?,?)");
    q[ST_SESSION_LOOKUP] = xsql("SELECT u.pk,u.username,u.roles,u.disabled,u.totp_enabled,"
                                "u.projects,u.language FROM sessions s "
                                "JOIN users u ON u.pk=s.user_pk WHERE s.token_hash=? AND "
                                "s.expires_at>? AND coalesce(s.last_seen_at,s.created_at)>?");
    q[ST_SESSION_DELETE] = xsql("DELETE FROM sessions WHERE token_hash=?");
    q[ST_PERSON_INSERT] = xsql("INSERT INTO persons(id,created_at,updated_at%s) "
                               "VALUES(?,?,?%s)",
                               pn, pm);
    q[ST_PERSON_UPDATE] = xsql("UPDATE persons SET updated_at=?%s WHERE pk=?", ps);
    /* The documents come along as one JSON array, in the order recorded. */
    q[ST_PERSON_GET] =
        xsql("SELECT pk,id,created_at,updated_at,(SELECT json_group_array(json_object('type',type,"
             "'number',number,'issuing_country',issuing_country,'expiry',expiry)) FROM (SELECT * "
             "FROM person_documents d WHERE d.person_pk=persons.pk ORDER BY d.pk))%s FROM persons "
             "WHERE pk=?",
             pn);
    q[ST_PERSON_PK] = xsql("SELECT pk FROM persons WHERE id=?");
    q[ST_DOC_INSERT] = xsql("INSERT INTO person_documents(person_pk,type,number,"
                            "issuing_country,expiry) VALUES(?,?,?,?,?)");
    q[ST_DOCS_CLEAR] = xsql("DELETE FROM person_documents WHERE person_pk=?");
    q[ST_KEY_INSERT] = xsql("INSERT OR IGNORE INTO person_name_keys(key,person_pk) "
                            "VALUES(?,?)");
    q[ST_KEYS_CLEAR] = xsql("DELETE FROM person_name_keys WHERE person_pk=?");
    q[ST_PERSON_CASES] = xsql("SELECT c.id,c.number,o.code,(SELECT code FROM offices WHERE "
                              "pk=c.receiving_office_pk) FROM case_members cm JOIN cases c "
                              "ON c.pk=cm.case_pk JOIN offices o ON o.pk=c.office_pk WHERE "
                              "cm.person_pk=? ORDER BY c.pk");
    q[ST_COUNTER_GET] = xsql("SELECT next FROM office_counters WHERE office_pk=? AND year=?");
    q[ST_COUNTER_SET] = xsql("INSERT INTO office_counters(office_pk,year,next) VALUES(?,?,?) "
                             "ON CONFLICT(office_pk,year) DO UPDATE SET next=excluded.next");
    q[ST_CASE_INSERT] = xsql("INSERT INTO cases(id,number,office_pk,assigned_to_pk,stage,"
                             "version,created_at,updated_at,created_by_pk%s) "
                             "VALUES(?,?,?,?,'registered',1,?,?,?%s)",
                             cn, cm);
    q[ST_CASE_UPDATE] = xsql("UPDATE cases SET version=version+1, updated_at=?, office_pk=?, "
                             "assigned_to_pk=?%s WHERE pk=? AND version=?",
                             cs);
    q[ST_CASE_FIND] = xsql("SELECT pk,office_pk,version FROM cases WHERE id=?");
    q[ST_CASE_GET] = xsql("SELECT c.id,c.number,c.version,c.stage,c.created_at,c.updated_at,"
                          "o.code,u.username,c.stage_before,c.closure_reason,"
                          "(SELECT code FROM offices WHERE pk=c.receiving_office_pk)%s "
                          "FROM cases c "
                          "JOIN offices o ON "
                          "o.pk=c.office_pk LEFT JOIN users u ON u.pk=c.assigned_to_pk WHERE "
                          "c.pk=?",
                          cn);
    q[ST_MEMBERS_CLEAR] = xsql("DELETE FROM case_members WHERE case_pk=?");
    q[ST_MEMBER_ADD] = xsql("INSERT INTO case_members(case_pk,person_pk,relationship,position) "
                            "VALUES(?,?,?,?)");
    q[ST_MEMBERS_OF] = xsql("SELECT person_pk,relationship FROM case_members WHERE case_pk=? "
                            "ORDER BY position");
    q[ST_EVENT_INSERT] = xsql("INSERT INTO case_events(case_pk,at,user_pk,kind,data) "
                              "VALUES(?,?,?,?,?)");
    q[ST_EVENTS_OF] = xsql("SELECT e.pk,e.at,u.username,e.kind,e.data FROM case_events e LEFT "
                           "JOIN users u ON u.pk=e.user_pk WHERE e.case_pk=? ORDER BY e.pk");
    q[ST_IDEM_GET] = xsql("SELECT request_hash,status,body,location FROM idempotency WHERE "
                          "user_pk=? AND key=?");
    q[ST_IDEM_PURGE] = xsql("DELETE FROM idempotency WHERE created_at<?");
    q[ST_IDEM_PUT] = xsql("INSERT INTO idempotency(user_pk,key,request_hash,status,body,"
                          "location,created_at) VALUES(?,?,?,?,?,?,?)");
    q[ST_BEGIN] = xsql("BEGIN");
    q[ST_COMMIT] = xsql("COMMIT");
    q[ST_SAVEPOINT] = xsql("SAVEPOINT job");
    q[ST_RELEASE] = xsql("RELEASE job");
    q[ST_ROLLBACK_TO] = xsql("ROLLBACK TO job");
    q[ST_CASE_SET_STAGE] = xsql("UPDATE cases SET stage=?, stage_before=?, closure_reason=?, "
                                "version=version+1, updated_at=? WHERE pk=? AND version=?");
    q[ST_RECORD_INSERT] = xsql("INSERT INTO case_records(id,case_pk,person_pk,kind,data,"
                               "created_at,created_by_pk) VALUES(?,?,?,?,?,?,?)");
#define RECORD_COLS                                                                                \
    "SELECT r.id,r.kind,p.id,r.created_at,u.username,r.data,c.id FROM case_records r JOIN "        \
    "cases c ON c.pk=r.case_pk LEFT JOIN persons p ON p.pk=r.person_pk LEFT JOIN users u ON "      \
    "u.pk=r.created_by_pk "
    q[ST_RECORDS_OF] = xsql(RECORD_COLS "WHERE r.case_pk=? ORDER BY r.pk");
    q[ST_RECORDS_OF_KIND] = xsql(RECORD_COLS "WHERE r.case_pk=? AND r.kind=? ORDER BY r.pk");
    q[ST_RECORD_GET] = xsql(RECORD_COLS "WHERE r.id=?");
    q[ST_CONSENTS_WITHDRAW] =
        xsql("UPDATE case_records SET data=json_set(data,'$.withdrawn_at',?) WHERE case_pk=? AND "
             "kind='consent' AND json_extract(data,'$.purpose')='return' AND "
             "json_extract(data,'$.withdrawn_at') IS NULL");
    q[ST_PREVIOUS_RETURNS] = xsql(
        "SELECT DISTINCT p.id,c.number FROM case_members m JOIN case_members o ON "
        "o.person_pk=m.person_pk AND o.case_pk<>m.case_pk JOIN cases c ON c.pk=o.case_pk JOIN "
        "persons p ON p.pk=m.person_pk WHERE m.case_pk=? AND (c.stage IN ('departed','arrived',"
        "'reintegrating','monitoring') OR (c.stage='closed' AND EXISTS(SELECT 1 FROM "
        "case_events e WHERE e.case_pk=c.pk AND e.kind='transition' AND "
        "json_extract(e.data,'$.to')='departed')))");
#define RESTRICTION_COLS                                                                           \
    "SELECT id,country,admin_area,kind,effective_from,effective_until,reason,next_review,"         \
    "version,created_at,updated_at,pk FROM restrictions "
    q[ST_RESTRICTION_INSERT] =
        xsql("INSERT INTO restrictions(id,country,admin_area,kind,effective_from,effective_until,"
             "reason,next_review,version,created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,1,?,?)");
    q[ST_RESTRICTION_UPDATE] =
        xsql("UPDATE restrictions SET country=?,admin_area=?,kind=?,effective_from=?,"
             "effective_until=?,reason=?,next_review=?,version=version+1,updated_at=? WHERE "
             "id=? AND version=?");
    q[ST_RESTRICTION_GET] = xsql(RESTRICTION_COLS "WHERE id=?");
    q[ST_RESTRICTION_HISTORY_ADD] = xsql("INSERT INTO restriction_history(restriction_pk,at,"
                                         "user_pk,action,data) VALUES(?,?,?,?,?)");
    q[ST_RESTRICTION_HISTORY] = xsql("SELECT h.at,u.username,h.action,h.data FROM "
                                     "restriction_history h LEFT JOIN users u ON "
                                     "u.pk=h.user_pk WHERE h.restriction_pk=? ORDER BY h.pk");
    q[ST_RESTRICTION_LIST] = xsql(RESTRICTION_COLS "ORDER BY country, pk");
    q[ST_RESTRICTION_OVERDUE] = xsql(RESTRICTION_COLS "WHERE next_review<? ORDER BY next_review");
    q[ST_RESTRICTION_MATCHING] = xsql(
        RESTRICTION_COLS "WHERE country=? AND (admin_area IS NULL OR lower(admin_area)=lower(?)) "
                         "AND effective_from<=? AND (effective_until IS NULL OR "
                         "effective_until>=?) ORDER BY pk");
    q[ST_SESSION_TOUCH] = xsql("UPDATE sessions SET last_seen_at=? WHERE token_hash=?");
    q[ST_AUDIT_INSERT] = xsql("INSERT INTO audit(at,user_pk,username,addr,method,route,"
                              "entity_id,status,prev_hash,hash) VALUES(?,?,?,?,?,?,?,?,?,?)");
    q[ST_AUDIT_LIST] = xsql("SELECT pk,at,username,addr,method,route,entity_id,status,hash "
                            "FROM audit WHERE (?1 IS NULL OR entity_id=?1) AND (?2 IS NULL OR "
                            "username=?2) AND pk<?3 ORDER BY pk DESC LIMIT ?4");
    q[ST_KEY_FREQ] = xsql("SELECT count(*) FROM (SELECT 1 FROM person_name_keys WHERE key>=? "
                          "AND key<? LIMIT ?)");
    q[ST_PERSON_SUMMARY] =
        xsql("SELECT p.id,p.name,p.name_latin,p.sex,p.date_of_birth,p.nationality,(SELECT "
             "json_group_array(json_object('id',c.id,'number',c.number,'office',o.code)) FROM "
             "case_members cm JOIN cases c ON c.pk=cm.case_pk JOIN offices o ON o.pk=c.office_pk "
             "WHERE cm.person_pk=p.pk) FROM persons p WHERE p.pk=?");
    /* Name search: the first term drives a range scan of the key index;
     * every further term must match another key of the same person. The
     * last parameter scopes to offices (a JSON array of office pks) or is
     * NULL for every office. */
    for (int t = 1; t <= AWDA_SEARCH_MAX_TERMS; t++) {
        buf_t b;
        buf_init(&b, 8192);
        buf_puts(&b, "SELECT DISTINCT k.person_pk FROM person_name_keys k WHERE k.key>=?1 "
                     "AND k.key<?2");
        for (int i = 1; i < t; i++)
            buf_printf(&b,
                       " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE "
                       "k%d.person_pk=k.person_pk AND k%d.key>=?%d AND k%d.key<?%d)",
                       i, i, i, 2 * i + 1, i, 2 * i + 2);
        buf_printf(&b,
                   " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
                   "c.pk=cm.case_pk WHERE cm.person_pk=k.person_pk AND (c.office_pk IN "
                   "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
                   "(SELECT value FROM json_each(?%d)) OR c.project IN "
                   "(SELECT value FROM json_each(?%d))))) LIMIT ?%d",
                   2 * t + 1, 2 * t + 1, 2 * t + 1, 2 * t + 3, 2 * t + 2);
        q[ST_SEARCH1 + t - 1] = buf_take(&b);
    }
}

/* ---- connections ------------------------------------------------------ */

static int exec(sqlite3 *db, const char *sql)
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

static store_conn_t *conn_open(store_t *s)
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
    if (exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA cache_size=-2000; "
                    "PRAGMA temp_store=MEMORY;") != STORE_OK) {
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

static void conn_close(store_conn_t *c)
{
    if (!c)
        return;
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    sqlite3_close(c->db);
    free(c);
}

static sqlite3_stmt *stmt(store_conn_t *c, int id)
{
    sqlite3_stmt *st = c->st[id];
    if (!st) {
        if (sqlite3_prepare_v3(c->db, c->s->sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
            SQLITE_OK) {
            awda_log(LOG_ERROR, "sqlite_prepare", "\"stmt\":%d,\"error\":\"%s\"", id,
                     sqlite3_errmsg(c->db));
            return NULL;
        }
        c->st[id] = st;
    }
    return st;
}

static int done(sqlite3_stmt *st, int rc)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* Runs a statement that returns no rows; maps constraint failures. */
static int step_done(store_conn_t *c, sqlite3_stmt *st)
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

/* Runs one of the prepared transaction-control statements. */
static int control(store_conn_t *c, int id)
{
    sqlite3_stmt *st = stmt(c, id);
    if (!st)
        return STORE_ERR;
    return step_done(c, st);
}

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
    conn_close(c);
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
    c = conn_open(s);
    if (!c)
        return NULL;
    pthread_mutex_lock(&s->readers_lock);
    s->readers[s->nreaders++] = c;
    pthread_mutex_unlock(&s->readers_lock);
    pthread_setspecific(s->reader_key, c);
    return c;
}

int store_read_begin(store_conn_t *c)
{
    return control(c, ST_BEGIN);
}

void store_read_end(store_conn_t *c)
{
    control(c, ST_COMMIT);
}

int store_ping(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, ST_USER_COUNT);
    if (!st)
        return STORE_ERR;
    return done(st, sqlite3_step(st) == SQLITE_ROW ? STORE_OK : STORE_ERR);
}

/* ---- writer ------------------------------------------------------------- */

static void audit_load_prev(store_t *s);

static void run_batch(store_t *s, job_t *jobs)
{
    sqlite3 *db = s->writer->db;
    int began = exec(db, "BEGIN IMMEDIATE") == STORE_OK;
    for (job_t *j = jobs; j; j = j->next) {
        if (!began) {
            j->rc = STORE_ERR;
            continue;
        }
        if (control(s->writer, ST_SAVEPOINT) != STORE_OK) {
            j->rc = STORE_ERR;
            continue;
        }
        j->rc = j->fn(s->writer, j->ctx);
        if (j->rc != STORE_OK)
            control(s->writer, ST_ROLLBACK_TO);
        control(s->writer, ST_RELEASE);
    }
    if (began && exec(db, "COMMIT") != STORE_OK) {
        exec(db, "ROLLBACK");
        for (job_t *j = jobs; j; j = j->next)
            j->rc = STORE_ERR;
        audit_load_prev(s); /* the chain goes on from what was committed */
    }
}

static void *writer_main(void *arg)
{
    store_t *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->q_lock);
        while (!s->q_head && !s->stopping)
            pthread_cond_wait(&s->q_cond, &s->q_lock);
        if (!s->q_head && s->stopping) {
            pthread_mutex_unlock(&s->q_lock);
            break;
        }
        job_t *batch = s->q_head, *last = batch;
        int n = 1;
        while (last->next && n < WRITER_BATCH) {
            last = last->next;
            n++;
        }
        s->q_head = last->next;
        if (!s->q_head)
            s->q_tail = NULL;
        last->next = NULL;
        pthread_mutex_unlock(&s->q_lock);

        long long t0 = awda_mono_us();
        run_batch(s, batch);
        s->batch_us += awda_mono_us() - t0;
        s->batches++;
        s->jobs += (unsigned long long)n;

        pthread_mutex_lock(&s->q_lock);
        for (job_t *j = batch, *next; j; j = next) {
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

int store_write(store_t *s, store_job_fn fn, void *ctx)
{
    job_t j = {fn, ctx, STORE_OK, 0, 0, NULL};
    pthread_mutex_lock(&s->q_lock);
    if (s->stopping) {
        pthread_mutex_unlock(&s->q_lock);
        return STORE_ERR;
    }
    if (s->q_tail)
        s->q_tail->next = &j;
    else
        s->q_head = &j;
    s->q_tail = &j;
    pthread_cond_signal(&s->q_cond);
    while (!j.done)
        pthread_cond_wait(&s->done_cond, &s->q_lock);
    pthread_mutex_unlock(&s->q_lock);
    return j.rc;
}

/* ---- open / close / migrate ---------------------------------------------- */

int store_open(const char *path, store_t **out)
{
    store_t *s = awda_calloc(1, sizeof *s);
    if (!s)
        return STORE_ERR;
    s->path = awda_strdup(path);
    build_sql(s);
    pthread_key_create(&s->reader_key, reader_destroy);
    pthread_mutex_init(&s->readers_lock, NULL);
    pthread_mutex_init(&s->q_lock, NULL);
    pthread_cond_init(&s->q_cond, NULL);
    pthread_cond_init(&s->done_cond, NULL);
    s->writer = conn_open(s);
    if (s->writer)
        exec(s->writer->db, "PRAGMA cache_size=-16000; PRAGMA secure_delete=ON");
    if (!s->writer) {
        pthread_key_delete(s->reader_key);
        for (int i = 0; i < ST_COUNT; i++)
            free(s->sql[i]);
        free(s->path);
        free(s);
        return STORE_ERR;
    }
    pthread_create(&s->writer_thread, NULL, writer_main, s);
    *out = s;
    return STORE_OK;
}

int store_checkpoint(store_t *s)
{
    pthread_mutex_lock(&s->q_lock);
    int rc = sqlite3_wal_checkpoint_v2(s->writer->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    pthread_mutex_unlock(&s->q_lock);
    return rc == SQLITE_OK ? STORE_OK : STORE_ERR;
}

void store_close(store_t *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->q_lock);
    s->stopping = 1;
    pthread_cond_signal(&s->q_cond);
    pthread_mutex_unlock(&s->q_lock);
    pthread_join(s->writer_thread, NULL);
    awda_log(LOG_DEBUG, "writer", "\"batches\":%llu,\"jobs\":%llu,\"busy_ms\":%lld", s->batches,
             s->jobs, s->batch_us / 1000);
    /* This thread's reader, and any left by threads that did not exit. */
    store_conn_t *mine = pthread_getspecific(s->reader_key);
    if (mine) {
        pthread_setspecific(s->reader_key, NULL);
        reader_destroy(mine);
    }
    pthread_mutex_lock(&s->readers_lock);
    for (int i = 0; i < s->nreaders; i++)
        conn_close(s->readers[i]);
    s->nreaders = 0;
    pthread_mutex_unlock(&s->readers_lock);
    sqlite3_wal_checkpoint_v2(s->writer->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    conn_close(s->writer);
    pthread_key_delete(s->reader_key);
    for (int i = 0; i < ST_COUNT; i++)
        free(s->sql[i]);
    awda_keyring_wipe(&s->keys);
    free(s->path);
    free(s);
}

static int user_version(sqlite3 *db)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

int store_schema_version(store_t *s)
{
    pthread_mutex_lock(&s->q_lock);
    int v = user_version(s->writer->db);
    pthread_mutex_unlock(&s->q_lock);
    return v;
}

/* Migrations that need more than SQL run a step in C right after their
 * SQL, inside the same transaction: sealing needs the key file, which
 * SQL cannot reach (store_set_keyring comes before store_migrate). */
static int seal_person_vulnerabilities(store_t *s, sqlite3 *db);
static const struct {
    const char *sql;
    int (*step)(store_t *s, sqlite3 *db);
} MIGRATION_STEPS[] = {
    {MIGRATION_13, seal_person_vulnerabilities},
};

static int migration_step(store_t *s, sqlite3 *db, const char *sql)
{
    for (size_t i = 0; i < sizeof MIGRATION_STEPS / sizeof MIGRATION_STEPS[0]; i++)
        if (MIGRATION_STEPS[i].sql == sql)
            return MIGRATION_STEPS[i].step(s, db);
    return STORE_OK;
}

int store_migrate(store_t *s, int *applied)
{
    int rc = STORE_OK;
    *applied = 0;
    pthread_mutex_lock(&s->q_lock);
    sqlite3 *db = s->writer->db;
    int v = user_version(db);
    if (v < 0 || v > NMIGRATIONS) {
        awda_log(LOG_ERROR, "migrate", "\"schema\":%d,\"known\":%d", v, NMIGRATIONS);
        rc = STORE_ERR;
    }
    for (int i = v; rc == STORE_OK && i < NMIGRATIONS; i++) {
        char set[64];
        snprintf(set, sizeof set, "PRAGMA user_version=%d", i + 1);
        if (exec(db, "BEGIN IMMEDIATE") != STORE_OK || exec(db, MIGRATIONS[i]) != STORE_OK ||
            migration_step(s, db, MIGRATIONS[i]) != STORE_OK || exec(db, set) != STORE_OK ||
            exec(db, "COMMIT") != STORE_OK) {
            exec(db, "ROLLBACK");
            rc = STORE_ERR;
            break;
        }
        (*applied)++;
    }
    if (rc == STORE_OK)
        audit_load_prev(s);
    pthread_mutex_unlock(&s->q_lock);
    return rc;
}

/* ---- column helpers ---------------------------------------------------- */

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Binds the column fields of e from obj starting at parameter idx; returns
 * the next free parameter index. */
static int bind_cols(sqlite3_stmt *st, int idx, const awda_entity_t *e, const json_t *obj)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        if (!is_col(f))
            continue;
        json_t *v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            sqlite3_bind_null(st, idx);
        } else if (f->flags & F_JSONCOL) {
            char *t = json_dumps(v, JSON_COMPACT);
            sqlite3_bind_text(st, idx, t ? t : "null", -1, SQLITE_TRANSIENT);
            free(t);
        } else if (json_is_integer(v)) {
            sqlite3_bind_int64(st, idx, json_integer_value(v));
        } else if (json_is_boolean(v)) {
            sqlite3_bind_int(st, idx, json_is_true(v));
        } else {
            sqlite3_bind_text(st, idx, json_string_value(v), (int)json_string_length(v),
                              SQLITE_TRANSIENT);
        }
        idx++;
    }
    return idx;
}

static json_t *col_json(sqlite3_stmt *st, int col, const awda_field_t *f)
{
    int t = sqlite3_column_type(st, col);
    if (t == SQLITE_NULL)
        return json_null();
    if (f && (f->flags & F_JSONCOL)) {
        json_t *v = json_loadb((const char *)sqlite3_column_text(st, col),
                               (size_t)sqlite3_column_bytes(st, col), 0, NULL);
        return v ? v : json_null();
    }
    if (f && f->type == FT_BOOL)
        return json_boolean(sqlite3_column_int(st, col));
    if (t == SQLITE_INTEGER)
        return json_integer(sqlite3_column_int64(st, col));
    return json_stringn((const char *)sqlite3_column_text(st, col),
                        (size_t)sqlite3_column_bytes(st, col));
}

static json_t *col_time(sqlite3_stmt *st, int col)
{
    char ts[32];
    awda_iso_ms(sqlite3_column_int64(st, col), ts);
    return json_string(ts);
}

static json_t *col_str(sqlite3_stmt *st, int col)
{
    return col_json(st, col, NULL);
}

/* ---- offices ---------------------------------------------------------- */

int store_office_insert(store_conn_t *c, const json_t *o)
{
    sqlite3_stmt *st = stmt(c, ST_OFFICE_INSERT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, jstr(o, "code"));
    bind_text_or_null(st, 2, jstr(o, "name"));
    bind_text_or_null(st, 3, jstr(o, "country"));
    bind_text_or_null(st, 4, jstr(o, "location"));
    sqlite3_bind_int64(st, 5, awda_now_ms());
    bind_text_or_null(st, 6, jstr(o, "name_ar"));
    bind_text_or_null(st, 7, jstr(o, "name_fr"));
    return step_done(c, st);
}

int store_office_update(store_conn_t *c, const char *code, const json_t *o)
{
    sqlite3_stmt *st = stmt(c, ST_OFFICE_UPDATE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, jstr(o, "name"));
    bind_text_or_null(st, 2, jstr(o, "location"));
    bind_text_or_null(st, 3, jstr(o, "name_ar"));
    bind_text_or_null(st, 4, jstr(o, "name_fr"));
    bind_text_or_null(st, 5, code);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_NOTFOUND;
    return rc;
}

static json_t *office_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", col_str(st, 0));
    json_object_set_new(o, "name", col_str(st, 1));
    json_object_set_new(o, "country", col_str(st, 2));
    json_object_set_new(o, "location", col_str(st, 3));
    json_object_set_new(o, "name_ar", col_str(st, 4));
    json_object_set_new(o, "name_fr", col_str(st, 5));
    return o;
}

json_t *store_office_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, ST_OFFICE_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, office_row(st));
    done(st, 0);
    return arr;
}

json_t *store_office_get(store_conn_t *c, const char *code)
{
    sqlite3_stmt *st = stmt(c, ST_OFFICE_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, code);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? office_row(st) : NULL;
    done(st, 0);
    return o;
}

static int64_t lookup_pk(store_conn_t *c, int id, const char *key)
{
    sqlite3_stmt *st = stmt(c, id);
    if (!st || !key)
        return 0;
    bind_text_or_null(st, 1, key);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

int64_t store_office_pk(store_conn_t *c, const char *code)
{
    return lookup_pk(c, ST_OFFICE_PK, code);
}

/* ---- users ------------------------------------------------------------ */

static unsigned roles_mask(const char *csv)
{
    unsigned m = 0;
    const char *p = csv;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        for (int i = 0; AWDA_ROLES[i]; i++)
            if (strlen(AWDA_ROLES[i]) == n && memcmp(AWDA_ROLES[i], p, n) == 0)
                m |= 1u << i;
        p = e ? e + 1 : NULL;
    }
    return m;
}

static json_t *roles_json(const char *csv)
{
    json_t *arr = json_array();
    unsigned m = roles_mask(csv);
    for (int i = 0; AWDA_ROLES[i]; i++)
        if (m & (1u << i))
            json_array_append_new(arr, json_string(AWDA_ROLES[i]));
    return arr;
}

static void roles_csv(const json_t *roles, char *out, size_t cap)
{
    size_t o = 0;
    size_t i;
    json_t *v;
    out[0] = '\0';
    json_array_foreach(roles, i, v)
    {
        int w = snprintf(out + o, cap - o, "%s%s", o ? "," : "", json_string_value(v));
        if (w < 0 || (size_t)w >= cap - o)
            break;
        o += (size_t)w;
    }
}

static int set_user_offices(store_conn_t *c, int64_t upk, const json_t *offices)
{
    sqlite3_stmt *st = stmt(c, ST_USER_OFFICES_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, upk);
    int rc = step_done(c, st);
    size_t i;
    json_t *v;
    json_array_foreach(offices, i, v)
    {
        if (rc != STORE_OK)
            break;
        int64_t opk = store_office_pk(c, json_string_value(v));
        if (!opk)
            return STORE_NOTFOUND;
        st = stmt(c, ST_USER_OFFICE_ADD);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, upk);
        sqlite3_bind_int64(st, 2, opk);
        rc = step_done(c, st);
    }
    return rc;
}

/* Stores a user's projects as a JSON array (NULL when empty). */
static int set_user_projects(store_conn_t *c, int64_t upk, const json_t *projects)
{
    sqlite3_stmt *st = stmt(c, ST_USER_SET_PROJECTS);
    if (!st)
        return STORE_ERR;
    char *text = json_array_size(projects) ? json_dumps(projects, JSON_COMPACT) : NULL;
    bind_text_or_null(st, 1, text);
    free(text);
    sqlite3_bind_int64(st, 2, upk);
    return step_done(c, st);
}

int store_user_insert(store_conn_t *c, const json_t *u, const char *pwhash)
{
    char roles[256];
    roles_csv(json_object_get(u, "roles"), roles, sizeof roles);
    sqlite3_stmt *st = stmt(c, ST_USER_INSERT);
    if (!st)
        return STORE_ERR;
    int64_t now = awda_now_ms();
    bind_text_or_null(st, 1, jstr(u, "username"));
    bind_text_or_null(st, 2, jstr(u, "full_name"));
    bind_text_or_null(st, 3, pwhash);
    bind_text_or_null(st, 4, roles);
    sqlite3_bind_int(st, 5, json_is_true(json_object_get(u, "disabled")));
    sqlite3_bind_int64(st, 6, now);
    sqlite3_bind_int64(st, 7, now);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    int64_t upk = sqlite3_last_insert_rowid(c->db);
    const json_t *offices = json_object_get(u, "offices");
    if (offices && (rc = set_user_offices(c, upk, offices)))
        return rc;
    if (jstr(u, "language")) {
        if (!(st = stmt(c, ST_USER_SET_LANGUAGE)))
            return STORE_ERR;
        bind_text_or_null(st, 1, jstr(u, "language"));
        sqlite3_bind_int64(st, 2, upk);
        rc = step_done(c, st);
    }
    if (rc == STORE_OK && json_array_size(json_object_get(u, "projects")))
        rc = set_user_projects(c, upk, json_object_get(u, "projects"));
    if (rc == STORE_OK && jstr(u, "organisation")) {
        if (!(st = stmt(c, ST_USER_SET_ORGANISATION)))
            return STORE_ERR;
        bind_text_or_null(st, 1, jstr(u, "organisation"));
        sqlite3_bind_int64(st, 2, upk);
        rc = step_done(c, st);
    }
    return rc;
}

int store_user_update(store_conn_t *c, const char *username, const json_t *u, const char *pwhash)
{
    int64_t upk = store_user_pk(c, username);
    if (!upk)
        return STORE_NOTFOUND;
    int rc = STORE_OK;
    sqlite3_stmt *st;
    json_t *v;
    if ((v = json_object_get(u, "full_name"))) {
        if (!(st = stmt(c, ST_USER_SET_NAME)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "roles"))) {
        char roles[256];
        roles_csv(v, roles, sizeof roles);
        if (!(st = stmt(c, ST_USER_SET_ROLES)))
            return STORE_ERR;
        bind_text_or_null(st, 1, roles);
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "offices")) && (rc = set_user_offices(c, upk, v)))
        return rc;
    if ((v = json_object_get(u, "projects")) && (rc = set_user_projects(c, upk, v)))
        return rc;
    if ((v = json_object_get(u, "organisation"))) {
        if (!(st = stmt(c, ST_USER_SET_ORGANISATION)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((v = json_object_get(u, "language"))) {
        if (!(st = stmt(c, ST_USER_SET_LANGUAGE)))
            return STORE_ERR;
        bind_text_or_null(st, 1, json_string_value(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    int end_sessions = pwhash != NULL;
    if (json_is_false(json_object_get(u, "second_factor"))) {
        if ((rc = store_user_totp_set(c, upk, NULL, 0)))
            return rc;
        end_sessions = 1;
    }
    if ((v = json_object_get(u, "disabled"))) {
        if (!(st = stmt(c, ST_USER_SET_DISABLED)))
            return STORE_ERR;
        sqlite3_bind_int(st, 1, json_is_true(v));
        sqlite3_bind_int64(st, 2, upk);
        if ((rc = step_done(c, st)))
            return rc;
        end_sessions |= json_is_true(v);
    }
    if (pwhash) {
        if (!(st = stmt(c, ST_USER_SET_PW)))
            return STORE_ERR;
        bind_text_or_null(st, 1, pwhash);
        sqlite3_bind_int64(st, 2, awda_now_ms());
        sqlite3_bind_int64(st, 3, upk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if (end_sessions) {
        if (!(st = stmt(c, ST_SESSIONS_OF_USER_DELETE)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, upk);
        rc = step_done(c, st);
    }
    return rc;
}

static json_t *user_offices_json(store_conn_t *c, int64_t upk)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = stmt(c, ST_USER_OFFICES);
    if (!st)
        return arr;
    sqlite3_bind_int64(st, 1, upk);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, col_str(st, 1));
    done(st, 0);
    return arr;
}

static json_t *user_row(store_conn_t *c, sqlite3_stmt *st)
{
    json_t *u = json_object();
    json_object_set_new(u, "username", col_str(st, 0));
    json_object_set_new(u, "full_name", col_str(st, 1));
    json_object_set_new(u, "roles", roles_json((const char *)sqlite3_column_text(st, 2)));
    json_object_set_new(u, "disabled", json_boolean(sqlite3_column_int(st, 3)));
    json_object_set_new(u, "offices", user_offices_json(c, sqlite3_column_int64(st, 4)));
    json_object_set_new(u, "second_factor", json_boolean(sqlite3_column_int(st, 5)));
    json_object_set_new(u, "language", col_str(st, 6));
    json_object_set_new(u, "organisation", col_str(st, 7));
    const char *pj = (const char *)sqlite3_column_text(st, 8);
    json_t *projects = pj ? json_loads(pj, 0, NULL) : NULL;
    json_object_set_new(u, "projects", json_is_array(projects) ? projects : json_array());
    if (projects && !json_is_array(projects))
        json_decref(projects);
    return u;
}

json_t *store_user_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, ST_USER_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, user_row(c, st));
    done(st, 0);
    return arr;
}

json_t *store_user_get(store_conn_t *c, const char *username)
{
    sqlite3_stmt *st = stmt(c, ST_USER_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, username);
    json_t *u = sqlite3_step(st) == SQLITE_ROW ? user_row(c, st) : NULL;
    done(st, 0);
    return u;
}

static void principal_offices(store_conn_t *c, store_principal_t *p)
{
    p->noffices = 0;
    sqlite3_stmt *st = stmt(c, ST_USER_OFFICES);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, p->pk);
    while (sqlite3_step(st) == SQLITE_ROW && p->noffices < AWDA_MAX_USER_OFFICES)
        p->offices[p->noffices++] = sqlite3_column_int64(st, 0);
    done(st, 0);
}

static void principal_row(sqlite3_stmt *st, store_principal_t *p)
{
    p->pk = sqlite3_column_int64(st, 0);
    snprintf(p->username, sizeof p->username, "%s", (const char *)sqlite3_column_text(st, 1));
    p->roles = roles_mask((const char *)sqlite3_column_text(st, 2));
    p->disabled = sqlite3_column_int(st, 3);
    p->totp_enabled = sqlite3_column_int(st, 4);
    const char *pj = (const char *)sqlite3_column_text(st, 5);
    json_t *arr = pj ? json_loads(pj, 0, NULL) : NULL;
    p->nprojects = json_is_array(arr) ? (int)json_array_size(arr) : 0;
    json_decref(arr);
    if (p->nprojects == 0 || !pj || strlen(pj) >= sizeof p->projects) {
        p->nprojects = 0;
        snprintf(p->projects, sizeof p->projects, "[]");
    } else {
        snprintf(p->projects, sizeof p->projects, "%s", pj);
    }
}

int store_user_auth(store_conn_t *c, const char *username, store_principal_t *p, char *pwhash,
                    size_t cap)
{
    sqlite3_stmt *st = stmt(c, ST_USER_AUTH);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, username);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    principal_row(st, p);
    snprintf(pwhash, cap, "%s", (const char *)sqlite3_column_text(st, 6));
    done(st, 0);
    principal_offices(c, p);
    return STORE_OK;
}

int64_t store_user_pk(store_conn_t *c, const char *username)
{
    return lookup_pk(c, ST_USER_PK, username);
}

int store_user_count(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, ST_USER_COUNT);
    if (!st)
        return -1;
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    done(st, 0);
    return n;
}

/* ---- second factor ------------------------------------------------------ */

/* The TOTP secret is sealed like medical detail, bound to its user row. */
static void totp_ad(int64_t user_pk, char *ad, size_t cap)
{
    snprintf(ad, cap, "user|%lld|totp_secret", (long long)user_pk);
}

int store_user_totp_get(store_conn_t *c, int64_t user_pk, char *secret, size_t cap, int *enabled,
                        int64_t *last_step)
{
    sqlite3_stmt *st = stmt(c, ST_USER_TOTP_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_type(st, 0) == SQLITE_NULL)
        return done(st, STORE_NOTFOUND);
    const char *sealed = (const char *)sqlite3_column_text(st, 0);
    *enabled = sqlite3_column_int(st, 1);
    *last_step = sqlite3_column_int64(st, 2);
    char ad[64];
    totp_ad(user_pk, ad, sizeof ad);
    char *plain = c->s->has_keys ? awda_unseal(&c->s->keys, sealed, ad) : NULL;
    done(st, 0);
    if (!plain)
        return STORE_ERR;
    int fits = strlen(plain) < cap;
    if (fits)
        memcpy(secret, plain, strlen(plain) + 1);
    sodium_memzero(plain, strlen(plain));
    free(plain);
    return fits ? STORE_OK : STORE_ERR;
}

int store_user_totp_set(store_conn_t *c, int64_t user_pk, const char *secret, int enabled)
{
    char *sealed = NULL;
    if (secret) {
        char ad[64];
        totp_ad(user_pk, ad, sizeof ad);
        if (!c->s->has_keys || !(sealed = awda_seal(&c->s->keys, secret, strlen(secret), ad)))
            return STORE_ERR;
    }
    sqlite3_stmt *st = stmt(c, ST_USER_TOTP_SET);
    if (!st) {
        free(sealed);
        return STORE_ERR;
    }
    bind_text_or_null(st, 1, sealed);
    sqlite3_bind_int(st, 2, secret && enabled);
    sqlite3_bind_int64(st, 3, user_pk);
    free(sealed);
    return step_done(c, st);
}

int store_user_totp_use(store_conn_t *c, int64_t user_pk, int64_t step)
{
    sqlite3_stmt *st = stmt(c, ST_USER_TOTP_STEP);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, step);
    sqlite3_bind_int64(st, 2, user_pk);
    sqlite3_bind_int64(st, 3, step);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        return STORE_CONFLICT; /* this code (or a later one) was used already */
    return rc;
}

/* ---- sessions --------------------------------------------------------- */

int store_session_insert(store_conn_t *c, const char *token_hash, int64_t user_pk,
                         int64_t expires_ms)
{
    sqlite3_stmt *st = stmt(c, ST_SESSION_INSERT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, user_pk);
    sqlite3_bind_int64(st, 3, awda_now_ms());
    sqlite3_bind_int64(st, 4, expires_ms);
    return step_done(c, st);
}

int store_session_lookup(store_conn_t *c, const char *token_hash, int64_t now_ms, int64_t idle_ms,
                         store_principal_t *p)
{
    sqlite3_stmt *st = stmt(c, ST_SESSION_LOOKUP);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, now_ms);
    sqlite3_bind_int64(st, 3, now_ms - idle_ms);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    principal_row(st, p);
    const char *lang = (const char *)sqlite3_column_text(st, 6);
    snprintf(p->language, sizeof p->language, "%s", lang && strlen(lang) < 4 ? lang : "");
    done(st, 0);
    if (p->disabled)
        return STORE_NOTFOUND;
    principal_offices(c, p);
    return STORE_OK;
}

int store_session_delete(store_conn_t *c, const char *token_hash)
{
    sqlite3_stmt *st = stmt(c, ST_SESSION_DELETE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, token_hash);
    return step_done(c, st);
}

/* ---- persons ---------------------------------------------------------- */

/* Sealed values of persons (defined with the sealing below). */
static int sealed_class(const awda_field_t *f);
static int bind_person_sealed(store_t *s, sqlite3_stmt *st, int idx, const json_t *p,
                              const char *person_id);
static json_t *unseal_person_value(store_t *s, const char *person_id, const char *field,
                                   const char *stored);
static int person_id_of(store_conn_t *c, int64_t pk, char *out, size_t cap);

/* Writes a person's documents and name keys; is_new skips removing the
 * old ones. */
static int person_children(store_conn_t *c, int64_t pk, const json_t *p, int is_new)
{
    sqlite3_stmt *st;
    int rc;
    if (!is_new) {
        if (!(st = stmt(c, ST_DOCS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(p, "documents"), i, d)
    {
        if (!(st = stmt(c, ST_DOC_INSERT)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        bind_text_or_null(st, 2, jstr(d, "type"));
        bind_text_or_null(st, 3, jstr(d, "number"));
        bind_text_or_null(st, 4, jstr(d, "issuing_country"));
        bind_text_or_null(st, 5, jstr(d, "expiry"));
        if ((rc = step_done(c, st)))
            return rc;
    }
    if (!is_new) {
        if (!(st = stmt(c, ST_KEYS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    static const char *names[] = {"name", "name_latin"};
    for (int k = 0; k < 2; k++) {
        const char *nm = jstr(p, names[k]);
        awda_name_keys_t keys;
        if (!nm || awda_name_keys(nm, strlen(nm), 1, &keys) < 0)
            continue;
        for (int j = 0; j < keys.count; j++) {
            if (!(st = stmt(c, ST_KEY_INSERT)))
                return STORE_ERR;
            sqlite3_bind_text(st, 1, keys.key[j], -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, pk);
            if ((rc = step_done(c, st)))
                return rc;
        }
    }
    return STORE_OK;
}

int store_person_insert(store_conn_t *c, const json_t *p, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, ST_PERSON_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, now);
    bind_cols(st, 4, &AWDA_PERSON, p);
    if (bind_person_sealed(c->s, st, 4, p, id_out) != STORE_OK)
        return done(st, STORE_ERR);
    int rc = step_done(c, st);
    if (rc)
        return rc;
    *pk_out = sqlite3_last_insert_rowid(c->db);
    return person_children(c, *pk_out, p, 1);
}

int store_person_update(store_conn_t *c, int64_t pk, const json_t *p)
{
    sqlite3_stmt *st = stmt(c, ST_PERSON_UPDATE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    int idx = bind_cols(st, 2, &AWDA_PERSON, p);
    sqlite3_bind_int64(st, idx, pk);
    char id[40];
    if (person_id_of(c, pk, id, sizeof id) != STORE_OK ||
        bind_person_sealed(c->s, st, 2, p, id) != STORE_OK)
        return done(st, STORE_ERR);
    int rc = step_done(c, st);
    return rc ? rc : person_children(c, pk, p, 0);
}

int64_t store_person_pk(store_conn_t *c, const char *id)
{
    return lookup_pk(c, ST_PERSON_PK, id);
}

static json_t *person_cases(store_conn_t *c, int64_t pk)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = stmt(c, ST_PERSON_CASES);
    if (!st)
        return arr;
    sqlite3_bind_int64(st, 1, pk);
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *cs = json_pack("{s:o,s:o,s:o}", "id", col_str(st, 0), "number", col_str(st, 1),
                               "office", col_str(st, 2));
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            json_object_set_new(cs, "receiving_office", col_str(st, 3));
        json_array_append_new(arr, cs);
    }
    done(st, 0);
    return arr;
}

json_t *store_person_get(store_conn_t *c, int64_t pk, int with_cases)
{
    sqlite3_stmt *st = stmt(c, ST_PERSON_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    if (sqlite3_step(st) != SQLITE_ROW) {
        done(st, 0);
        return NULL;
    }
    json_t *o = json_object();
    int col = 5;
    for (size_t i = 0; i < AWDA_PERSON.nfields; i++) {
        const awda_field_t *f = &AWDA_PERSON.fields[i];
        if (strcmp(f->name, "id") == 0) {
            json_object_set_new(o, "id", col_str(st, 1));
        } else if (strcmp(f->name, "created_at") == 0) {
            json_object_set_new(o, "created_at", col_time(st, 2));
        } else if (strcmp(f->name, "updated_at") == 0) {
            json_object_set_new(o, "updated_at", col_time(st, 3));
        } else if (strcmp(f->name, "documents") == 0) {
            json_t *docs = json_loadb((const char *)sqlite3_column_text(st, 4),
                                      (size_t)sqlite3_column_bytes(st, 4), 0, NULL);
            json_object_set_new(o, "documents", docs ? docs : json_array());
        } else if (is_col(f) && sealed_class(f)) {
            json_object_set_new(o, f->name,
                                unseal_person_value(c->s, (const char *)sqlite3_column_text(st, 1),
                                                    f->name,
                                                    (const char *)sqlite3_column_text(st, col)));
            col++;
        } else if (is_col(f)) {
            json_object_set_new(o, f->name, col_json(st, col++, f));
        }
    }
    done(st, 0);
    if (with_cases)
        json_object_set_new(o, "cases", person_cases(c, pk));
    return o;
}

static void key_range(const char *key, char hi[AWDA_NAME_KEY_MAX + 2])
{
    /* Keys are [a-z0-9]; '{' sorts after 'z', so [key, key+"{") is the
     * range of every key that starts with key. */
    snprintf(hi, AWDA_NAME_KEY_MAX + 2, "%s{", key);
}

#define SEARCH_PROBE 5000

/* How many name keys start with key, counting no further than SEARCH_PROBE. */
static int key_frequency(store_conn_t *c, const char *key)
{
    sqlite3_stmt *st = stmt(c, ST_KEY_FREQ);
    if (!st)
        return SEARCH_PROBE;
    char hi[AWDA_NAME_KEY_MAX + 2];
    key_range(key, hi);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, SEARCH_PROBE);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : SEARCH_PROBE;
    done(st, 0);
    return n;
}

static char *offices_json(const int64_t *offices, int nof)
{
    if (nof < 0)
        return NULL;
    buf_t b;
    buf_init(&b, 16 * 1024);
    buf_putc(&b, '[');
    for (int i = 0; i < nof; i++)
        buf_printf(&b, "%s%lld", i ? "," : "", (long long)offices[i]);
    buf_putc(&b, ']');
    return buf_take(&b);
}

json_t *store_person_search(store_conn_t *c, const awda_name_keys_t *q, int limit,
                            const int64_t *offices, int nof, const char *projects)
{
    if (q->count < 1)
        return json_array();
    int nt = q->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : q->count;
    /* The rarest key drives the scan: count each key's matches (up to
     * SEARCH_PROBE) and put the smallest first. */
    int order[AWDA_SEARCH_MAX_TERMS];
    int freq[AWDA_SEARCH_MAX_TERMS];
    for (int i = 0; i < nt; i++) {
        order[i] = i;
        freq[i] = nt > 1 ? key_frequency(c, q->key[i]) : 0;
    }
    for (int i = 1; i < nt; i++) {
        if (freq[order[i]] < freq[order[0]]) {
            int t = order[0];
            order[0] = order[i];
            order[i] = t;
        }
    }
    sqlite3_stmt *st = stmt(c, ST_SEARCH1 + nt - 1);
    if (!st)
        return NULL;
    char hi[AWDA_SEARCH_MAX_TERMS][AWDA_NAME_KEY_MAX + 2];
    for (int i = 0; i < nt; i++) {
        key_range(q->key[order[i]], hi[i]);
        sqlite3_bind_text(st, 2 * i + 1, q->key[order[i]], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2 * i + 2, hi[i], -1, SQLITE_TRANSIENT);
    }
    char *scope = offices_json(offices, nof);
    bind_text_or_null(st, 2 * nt + 1, scope);
    free(scope);
    sqlite3_bind_int(st, 2 * nt + 2, limit);
    bind_text_or_null(st, 2 * nt + 3, nof >= 0 ? projects : NULL);
    int64_t pks[AWDA_LIST_MAX];
    int n = 0;
    while (n < limit && n < AWDA_LIST_MAX && sqlite3_step(st) == SQLITE_ROW)
        pks[n++] = sqlite3_column_int64(st, 0);
    done(st, 0);
    /* A search answers with summaries (who, and in which cases), not with
     * everything held about each person. */
    json_t *arr = json_array();
    if (!(st = stmt(c, ST_PERSON_SUMMARY)))
        return arr;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, pks[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            json_t *cases = json_loadb((const char *)sqlite3_column_text(st, 6),
                                       (size_t)sqlite3_column_bytes(st, 6), 0, NULL);
            json_array_append_new(
                arr, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "name",
                               col_str(st, 1), "name_latin", col_str(st, 2), "sex", col_str(st, 3),
                               "date_of_birth", col_str(st, 4), "nationality", col_str(st, 5),
                               "cases", cases ? cases : json_array()));
        }
        sqlite3_reset(st);
    }
    done(st, 0);
    return arr;
}

/* ---- cases ------------------------------------------------------------ */

int store_case_number(store_conn_t *c, int64_t office_pk, const char *office_code, int year,
                      char out[40])
{
    sqlite3_stmt *st = stmt(c, ST_COUNTER_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int(st, 2, year);
    int64_t next = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
    done(st, 0);
    if (!(st = stmt(c, ST_COUNTER_SET)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, next + 1);
    int rc = step_done(c, st);
    snprintf(out, 40, "%s-%04d-%06lld", office_code, year, (long long)next);
    return rc;
}

int store_case_insert(store_conn_t *c, const json_t *caze, const char *number, int64_t office_pk,
                      int64_t assigned_pk, int64_t user_pk, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, ST_CASE_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, office_pk);
    if (assigned_pk)
        sqlite3_bind_int64(st, 4, assigned_pk);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, now);
    if (user_pk)
        sqlite3_bind_int64(st, 7, user_pk);
    else
        sqlite3_bind_null(st, 7);
    bind_cols(st, 8, &AWDA_CASE, caze);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int store_case_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *caze,
                      int64_t office_pk, int64_t assigned_pk)
{
    sqlite3_stmt *st = stmt(c, ST_CASE_UPDATE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, office_pk);
    if (assigned_pk)
        sqlite3_bind_int64(st, 3, assigned_pk);
    else
        sqlite3_bind_null(st, 3);
    int idx = bind_cols(st, 4, &AWDA_CASE, caze);
    sqlite3_bind_int64(st, idx, pk);
    sqlite3_bind_int64(st, idx + 1, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_case_members_clear(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, ST_MEMBERS_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    return step_done(c, st);
}

int store_case_member_add(store_conn_t *c, int64_t case_pk, int64_t person_pk,
                          const char *relationship, int position)
{
    sqlite3_stmt *st = stmt(c, ST_MEMBER_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    bind_text_or_null(st, 3, relationship);
    sqlite3_bind_int(st, 4, position);
    return step_done(c, st);
}

int store_case_find(store_conn_t *c, const char *id, int64_t *pk, int64_t *office_pk,
                    int64_t *version)
{
    sqlite3_stmt *st = stmt(c, ST_CASE_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    *pk = sqlite3_column_int64(st, 0);
    *office_pk = sqlite3_column_int64(st, 1);
    *version = sqlite3_column_int64(st, 2);
    return done(st, STORE_OK);
}

void store_case_project(store_conn_t *c, int64_t case_pk, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(c->db, "SELECT project FROM cases WHERE pk=?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_pk);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
}

int64_t store_case_receiving_office(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = NULL;
    int64_t v = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT receiving_office_pk FROM cases WHERE pk=?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_pk);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return v;
}

int store_case_hand_over(store_conn_t *c, int64_t case_pk, int64_t expected_version,
                         int64_t office_pk)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "UPDATE cases SET receiving_office_pk=?, version=version+1, "
                           "updated_at=? WHERE pk=? AND version=?",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    sqlite3_bind_int64(st, 3, case_pk);
    sqlite3_bind_int64(st, 4, expected_version);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR;
    sqlite3_finalize(st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_case_touch(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE cases SET version=version+1, updated_at=? WHERE pk=?", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, case_pk);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR;
    sqlite3_finalize(st);
    return rc;
}

json_t *store_case_get(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, ST_CASE_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    if (sqlite3_step(st) != SQLITE_ROW) {
        done(st, 0);
        return NULL;
    }
    json_t *o = json_object();
    int col = 11;
    for (size_t i = 0; i < AWDA_CASE.nfields; i++) {
        const awda_field_t *f = &AWDA_CASE.fields[i];
        const char *n = f->name;
        if (strcmp(n, "id") == 0)
            json_object_set_new(o, n, col_str(st, 0));
        else if (strcmp(n, "number") == 0)
            json_object_set_new(o, n, col_str(st, 1));
        else if (strcmp(n, "version") == 0)
            json_object_set_new(o, n, json_integer(sqlite3_column_int64(st, 2)));
        else if (strcmp(n, "stage") == 0)
            json_object_set_new(o, n, col_str(st, 3));
        else if (strcmp(n, "created_at") == 0)
            json_object_set_new(o, n, col_time(st, 4));
        else if (strcmp(n, "updated_at") == 0)
            json_object_set_new(o, n, col_time(st, 5));
        else if (strcmp(n, "office") == 0)
            json_object_set_new(o, n, col_str(st, 6));
        else if (strcmp(n, "assigned_to") == 0)
            json_object_set_new(o, n, col_str(st, 7));
        else if (strcmp(n, "stage_before") == 0)
            json_object_set_new(o, n, col_str(st, 8));
        else if (strcmp(n, "closure_reason") == 0)
            json_object_set_new(o, n, col_str(st, 9));
        else if (strcmp(n, "receiving_office") == 0)
            json_object_set_new(o, n, col_str(st, 10));
        else if (is_col(f))
            json_object_set_new(o, n, col_json(st, col++, f));
    }
    done(st, 0);
    json_t *members = json_array();
    int64_t ppk[AWDA_MAX_MEMBERS];
    char rel[AWDA_MAX_MEMBERS][24];
    int nm = 0;
    if ((st = stmt(c, ST_MEMBERS_OF))) {
        sqlite3_bind_int64(st, 1, pk);
        while (nm < AWDA_MAX_MEMBERS && sqlite3_step(st) == SQLITE_ROW) {
            ppk[nm] = sqlite3_column_int64(st, 0);
            snprintf(rel[nm], sizeof rel[nm], "%s", (const char *)sqlite3_column_text(st, 1));
            nm++;
        }
        done(st, 0);
    }
    for (int i = 0; i < nm; i++) {
        json_t *p = store_person_get(c, ppk[i], 0);
        if (!p)
            continue;
        json_t *m = json_object();
        json_object_set_new(m, "relationship", json_string(rel[i]));
        json_object_set(m, "person_id", json_object_get(p, "id"));
        json_object_set_new(m, "person", p);
        json_array_append_new(members, m);
    }
    json_object_set_new(o, "members", members);
    return o;
}

/* ---- exports ------------------------------------------------------------ */

/* The rows of an export and their count share one WHERE: the scope of
 * the actor (offices, receiving offices, projects), a stage, an office,
 * and registration dates. CROSS JOIN keeps the cases the outer loop, in
 * the order of their key, so only the members of one case at a time are
 * sorted (by position): a million rows are never sorted in memory. */
#define EXPORT_WHERE                                                                               \
    "WHERE (?1 IS NULL OR c.stage=?1) AND (?2=0 OR c.office_pk=?2) AND "                           \
    "(?3 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?3)) OR "                          \
    "c.receiving_office_pk IN (SELECT value FROM json_each(?3)) OR "                               \
    "c.project IN (SELECT value FROM json_each(?4))) AND "                                         \
    "(?5=0 OR c.created_at>=?5) AND (?6=0 OR c.created_at<?6) "

static void export_bind(sqlite3_stmt *st, const store_case_filter_t *f)
{
    bind_text_or_null(st, 1, f->stage);
    sqlite3_bind_int64(st, 2, f->office_pk);
    char *scope = offices_json(f->offices, f->nof);
    bind_text_or_null(st, 3, scope);
    free(scope);
    bind_text_or_null(st, 4, f->nof >= 0 ? f->projects : NULL);
    sqlite3_bind_int64(st, 5, f->created_from);
    sqlite3_bind_int64(st, 6, f->created_before);
}

store_conn_t *store_snapshot_open(store_t *s)
{
    store_conn_t *c = conn_open(s);
    if (c && exec(c->db, "PRAGMA query_only=1; BEGIN") != STORE_OK) {
        conn_close(c);
        return NULL;
    }
    return c;
}

void store_snapshot_close(store_conn_t *c)
{
    if (!c)
        return;
    exec(c->db, "COMMIT");
    conn_close(c);
}

long long store_export_count(store_conn_t *c, const store_case_filter_t *f)
{
    static const char sql[] = "SELECT count(*) FROM cases c CROSS JOIN case_members cm ON "
                              "cm.case_pk=c.pk " EXPORT_WHERE;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        export_bind(st, f);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

struct store_export {
    store_conn_t *c;
    sqlite3_stmt *st;
    int sealed; /* open the protection concerns */
};

store_export_t *store_export_open(store_conn_t *c, const store_case_filter_t *f, int sealed)
{
    static const char sql[] =
        "SELECT c.id,c.number,o.code,c.stage,c.origin_country,c.destination_country,"
        "c.destination_admin_area,c.destination_pcode,c.project,c.planned_departure,"
        "c.closure_reason,c.created_at,cm.relationship,p.id,p.pk,p.name,p.name_latin,p.sex,"
        "p.date_of_birth,p.dob_precision,p.nationality,p.vulnerabilities,"
        "p.protection_vulnerabilities "
        "FROM cases c CROSS JOIN case_members cm ON cm.case_pk=c.pk JOIN offices o ON "
        "o.pk=c.office_pk JOIN persons p ON p.pk=cm.person_pk " EXPORT_WHERE
        "ORDER BY c.pk, cm.position";
    store_export_t *e = awda_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->c = c;
    e->sealed = sealed;
    if (sqlite3_prepare_v2(c->db, sql, -1, &e->st, NULL) != SQLITE_OK) {
        store_export_close(e);
        return NULL;
    }
    export_bind(e->st, f);
    return e;
}

int store_export_next(store_export_t *e, json_t **row)
{
    static const char *const NAMES[] = {"case_id",
                                        "number",
                                        "office",
                                        "stage",
                                        "origin_country",
                                        "destination_country",
                                        "destination_admin_area",
                                        "destination_pcode",
                                        "project",
                                        "planned_departure",
                                        "closure_reason",
                                        "registered_at",
                                        "relationship",
                                        "person_id",
                                        "person_pk",
                                        "name",
                                        "name_latin",
                                        "sex",
                                        "date_of_birth",
                                        "dob_precision",
                                        "nationality",
                                        "vulnerabilities"};
    *row = NULL;
    int rc = sqlite3_step(e->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        awda_log(LOG_ERROR, "export", "\"rc\":%d,\"error\":\"%s\"", rc, sqlite3_errmsg(e->c->db));
        return -1;
    }
    sqlite3_stmt *st = e->st;
    json_t *o = json_object();
    for (int i = 0; i < (int)(sizeof NAMES / sizeof NAMES[0]); i++) {
        json_t *v;
        if (i == 11)
            v = col_time(st, i);
        else if (i == 14)
            v = json_integer(sqlite3_column_int64(st, i));
        else if (i == 21)
            v = sqlite3_column_type(st, i) == SQLITE_NULL
                    ? json_array()
                    : json_loads((const char *)sqlite3_column_text(st, i), 0, NULL);
        else
            v = col_str(st, i);
        json_object_set_new(o, NAMES[i], v ? v : json_null());
    }
    if (e->sealed)
        json_object_set_new(o, "protection_vulnerabilities",
                            unseal_person_value(e->c->s, (const char *)sqlite3_column_text(st, 13),
                                                "protection_vulnerabilities",
                                                (const char *)sqlite3_column_text(st, 22)));
    *row = o;
    return 1;
}

void store_export_close(store_export_t *e)
{
    if (!e)
        return;
    sqlite3_finalize(e->st);
    free(e);
}

json_t *store_case_counts(store_conn_t *c, int64_t office_pk, const int64_t *offices, int nof,
                          const char *projects)
{
    /* Three parts that never overlap, each counted from an index: the
     * cases of the offices (office_pk, stage), those handed over to them
     * from elsewhere, and those of the projects not already counted. */
    static const char sql[] =
        "SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
        "c.office_pk IN (SELECT value FROM json_each(?2)) GROUP BY stage "
        "UNION ALL SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
        "c.receiving_office_pk IN (SELECT value FROM json_each(?2)) AND c.office_pk NOT IN "
        "(SELECT value FROM json_each(?2)) GROUP BY stage "
        "UNION ALL SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
        "c.project IN (SELECT value FROM json_each(?3)) AND c.office_pk NOT IN "
        "(SELECT value FROM json_each(?2)) AND coalesce(c.receiving_office_pk,0) NOT IN "
        "(SELECT value FROM json_each(?2)) GROUP BY stage";
    static const char all[] =
        "SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) GROUP BY stage";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, nof < 0 ? all : sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, office_pk);
    if (nof >= 0) {
        char *scope = offices_json(offices, nof);
        bind_text_or_null(st, 2, scope);
        free(scope);
        bind_text_or_null(st, 3, projects);
    }
    json_t *by = json_object();
    json_int_t total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *stage = (const char *)sqlite3_column_text(st, 0);
        json_int_t n = sqlite3_column_int64(st, 1);
        json_t *had = json_object_get(by, stage);
        json_object_set_new(by, stage, json_integer(n + (had ? json_integer_value(had) : 0)));
        total += n;
    }
    sqlite3_finalize(st);
    return json_pack("{s:o,s:I}", "by_stage", by, "total", total);
}

/* "c.stage IN ('a','b')" for the stages of mask; the names come
 * from the constant AWDA_STAGES, never from the request. */
static void stage_in(buf_t *b, unsigned mask)
{
    int n = 0;
    buf_puts(b, "c.stage IN (");
    for (int i = 0; AWDA_STAGES[i]; i++)
        if (mask & (1u << i))
            buf_printf(b, "%s'%s'", n++ ? "," : "", AWDA_STAGES[i]);
    buf_puts(b, n ? ")" : "NULL)");
}

static void office_in(buf_t *b, const char *expr, const store_case_filter_t *f)
{
    if (f->wait_nof < 0)
        return;
    buf_printf(b, " AND %s IN (", expr);
    for (int i = 0; i < f->wait_nof; i++)
        buf_printf(b, "%s%lld", i ? "," : "", (long long)f->wait_offices[i]);
    buf_puts(b, f->wait_nof ? ")" : "NULL)");
}

/* The cases waiting for the user (see store_case_filter_t). */
static void waiting_sql(buf_t *w, const store_case_filter_t *f)
{
    buf_puts(w, " AND (0");
    if (f->waiting_host) {
        buf_puts(w, " OR (");
        stage_in(w, f->waiting_host);
        office_in(w, "c.office_pk", f);
        buf_putc(w, ')');
    }
    if (f->waiting_return) {
        buf_puts(w, " OR (");
        stage_in(w, f->waiting_return);
        office_in(w, "COALESCE(c.receiving_office_pk,c.office_pk)", f);
        if (f->wait_nof >= 0)
            buf_puts(w, " AND c.destination_country=(SELECT country FROM offices WHERE "
                        "pk=COALESCE(c.receiving_office_pk,c.office_pk))");
        buf_putc(w, ')');
    }
    buf_putc(w, ')');
}

json_t *store_case_list(store_conn_t *c, const store_case_filter_t *f)
{
    /* The filters (w) come first, so that a scoped list can repeat them. */
    buf_t w;
    buf_init(&w, 16 * 1024);
    int idx = 1;
    int i_cursor = 0, i_stage = 0, i_office = 0, i_nat = 0, i_scope = 0, i_num = 0;
    int i_keys = 0;
    if (f->cursor > 0) {
        buf_printf(&w, " AND c.pk<?%d", idx);
        i_cursor = idx++;
    }
    if (f->stage) {
        buf_printf(&w, " AND c.stage=?%d", idx);
        i_stage = idx++;
    }
    if (f->office_pk) {
        buf_printf(&w, " AND c.office_pk=?%d", idx);
        i_office = idx++;
    }
    if (f->nationality) {
        buf_printf(&w, " AND p.nationality=?%d", idx);
        i_nat = idx++;
    }
    int i_assigned = 0;
    if (f->assigned_pk) {
        buf_printf(&w, " AND c.assigned_to_pk=?%d", idx);
        i_assigned = idx++;
    }
    if (f->waiting)
        waiting_sql(&w, f);
    int nk = f->keys
                 ? (f->keys->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : f->keys->count)
                 : 0;
    if (f->number_prefix || nk > 0) {
        buf_puts(&w, " AND (0");
        if (f->number_prefix) {
            buf_printf(&w, " OR (c.number>=?%d AND c.number<?%d)", idx, idx + 1);
            i_num = idx;
            idx += 2;
        }
        if (nk > 0) {
            /* The persons whose keys match, found from the index of the
             * longest key (the most selective), then their cases. */
            i_keys = idx;
            int lead = 0;
            for (int k = 1; k < nk; k++)
                if (strlen(f->keys->key[k]) > strlen(f->keys->key[lead]))
                    lead = k;
            buf_printf(&w,
                       " OR c.pk IN (SELECT cm.case_pk FROM person_name_keys kl JOIN "
                       "case_members cm ON cm.person_pk=kl.person_pk WHERE kl.key>=?%d AND "
                       "kl.key<?%d",
                       i_keys + 2 * lead, i_keys + 2 * lead + 1);
            for (int k = 0; k < nk; k++) {
                if (k != lead)
                    buf_printf(&w,
                               " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE "
                               "k%d.person_pk=cm.person_pk AND k%d.key>=?%d AND k%d.key<?%d)",
                               k, k, k, idx, k, idx + 1);
                idx += 2;
            }
            buf_putc(&w, ')');
        }
        buf_putc(&w, ')');
    }
    int i_limit = idx++;
    if (f->nof >= 0) {
        i_scope = idx; /* the offices; i_scope + 1: the projects */
        idx += 2;
    }
    static const char from[] =
        " FROM cases c JOIN offices o ON o.pk=c.office_pk LEFT JOIN case_members pm ON "
        "pm.case_pk=c.pk AND pm.relationship='principal' LEFT JOIN persons p ON "
        "p.pk=pm.person_pk";
    buf_t b;
    buf_init(&b, 512 * 1024); /* up to 2 parts per office and one per project */
    buf_puts(&b, "SELECT c.pk,c.id,c.number,c.stage,o.code,c.origin_country,"
                 "c.destination_country,c.version,c.updated_at,p.id,p.name,p.name_latin,"
                 "p.nationality,p.sex,p.date_of_birth,(SELECT count(*) FROM case_members m "
                 "WHERE m.case_pk=c.pk),(SELECT username FROM users WHERE pk=c.assigned_to_pk),"
                 "c.planned_departure");
    buf_puts(&b, from);
    if (f->nof < 0) {
        buf_puts(&b, " WHERE 1=1");
        buf_append(&b, w.data, w.len);
    } else {
        /* A user sees the cases of their offices, those handed over to
         * them and, for a manager, those of their projects. An OR over
         * these, or one IN list, would make SQLite gather every case of the
         * scope and sort them; instead each office (and each project) is
         * its own part that walks its index newest first, and the page is
         * the newest of what the parts found. */
        static const char inner_from[] = " FROM cases c";
        static const char inner_principal[] =
            " LEFT JOIN case_members pm ON pm.case_pk=c.pk AND pm.relationship='principal' "
            "LEFT JOIN persons p ON p.pk=pm.person_pk";
        json_t *pj = f->projects ? json_loads(f->projects, 0, NULL) : NULL;
        int nproj = json_is_array(pj) ? (int)json_array_size(pj) : 0;
        json_decref(pj);
        int nparts = 0;
        buf_puts(&b, " WHERE c.pk IN (");
        for (int i = 0; i < 2 * f->nof + nproj; i++) {
            buf_printf(&b, "%sSELECT pk FROM (SELECT c.pk AS pk%s%s WHERE 1=1",
                       nparts++ ? " UNION ALL " : "", inner_from,
                       f->nationality ? inner_principal : "");
            buf_append(&b, w.data, w.len);
            if (i < f->nof)
                buf_printf(&b, " AND c.office_pk=%lld", (long long)f->offices[i]);
            else if (i < 2 * f->nof)
                buf_printf(&b, " AND c.receiving_office_pk=%lld",
                           (long long)f->offices[i - f->nof]);
            else
                buf_printf(&b, " AND c.project=json_extract(?%d,'$[%d]')", i_scope + 1,
                           i - 2 * f->nof);
            buf_printf(&b, " ORDER BY c.pk DESC LIMIT ?%d)", i_limit);
        }
        if (!nparts)
            buf_puts(&b, "SELECT NULL WHERE 0");
        buf_putc(&b, ')');
    }
    buf_free(&w);
    buf_printf(&b, " ORDER BY c.pk DESC LIMIT ?%d", i_limit);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, b.data, (int)b.len, &st, NULL) != SQLITE_OK) {
        awda_log(LOG_ERROR, "sqlite_prepare", "\"error\":\"%s\"", sqlite3_errmsg(c->db));
        buf_free(&b);
        return NULL;
    }
    buf_free(&b);
    if (i_cursor)
        sqlite3_bind_int64(st, i_cursor, f->cursor);
    if (i_stage)
        bind_text_or_null(st, i_stage, f->stage);
    if (i_office)
        sqlite3_bind_int64(st, i_office, f->office_pk);
    if (i_nat)
        bind_text_or_null(st, i_nat, f->nationality);
    if (i_assigned)
        sqlite3_bind_int64(st, i_assigned, f->assigned_pk);
    if (i_scope) /* the offices are in the SQL text; the projects are bound */
        bind_text_or_null(st, i_scope + 1, f->projects);
    char hi[AWDA_MAX_SHORT + 2];
    if (i_num) {
        snprintf(hi, sizeof hi, "%s\x7f", f->number_prefix);
        bind_text_or_null(st, i_num, f->number_prefix);
        bind_text_or_null(st, i_num + 1, hi);
    }
    for (int k = 0; k < nk; k++) {
        char khi[AWDA_NAME_KEY_MAX + 2];
        key_range(f->keys->key[k], khi);
        sqlite3_bind_text(st, i_keys + 2 * k, f->keys->key[k], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, i_keys + 2 * k + 1, khi, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(st, i_limit, f->limit + 1);
    json_t *items = json_array();
    int n = 0;
    int64_t last_pk = 0;
    int more = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == f->limit) {
            more = 1;
            break;
        }
        last_pk = sqlite3_column_int64(st, 0);
        json_t *principal = json_null();
        if (sqlite3_column_type(st, 9) != SQLITE_NULL)
            principal = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 9), "name",
                                  col_str(st, 10), "name_latin", col_str(st, 11), "nationality",
                                  col_str(st, 12), "sex", col_str(st, 13), "date_of_birth",
                                  col_str(st, 14));
        json_array_append_new(items,
                              json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I}", "id",
                                        col_str(st, 1), "number", col_str(st, 2), "stage",
                                        col_str(st, 3), "office", col_str(st, 4), "origin_country",
                                        col_str(st, 5), "destination_country", col_str(st, 6),
                                        "version", json_integer(sqlite3_column_int64(st, 7)),
                                        "updated_at", col_time(st, 8), "principal", principal,
                                        "member_count", (json_int_t)sqlite3_column_int64(st, 15)));
        json_t *last = json_array_get(items, json_array_size(items) - 1);
        json_object_set_new(last, "assigned_to", col_str(st, 16));
        json_object_set_new(last, "planned_departure", col_str(st, 17));
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    json_t *out = json_object();
    json_object_set_new(out, "items", items);
    json_object_set_new(out, "next_cursor", more ? json_integer(last_pk) : json_null());
    return out;
}

int store_event_append(store_conn_t *c, int64_t case_pk, int64_t user_pk, const char *kind,
                       const json_t *data)
{
    sqlite3_stmt *st = stmt(c, ST_EVENT_INSERT);
    if (!st)
        return STORE_ERR;
    char *t = json_dumps(data, JSON_COMPACT);
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    if (user_pk)
        sqlite3_bind_int64(st, 3, user_pk);
    else
        sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, kind);
    bind_text_or_null(st, 5, t ? t : "{}");
    free(t);
    return step_done(c, st);
}

json_t *store_event_list(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, ST_EVENTS_OF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *data = json_loadb((const char *)sqlite3_column_text(st, 4),
                                  (size_t)sqlite3_column_bytes(st, 4), 0, NULL);
        json_array_append_new(arr, json_pack("{s:I,s:o,s:o,s:o,s:o}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "at",
                                             col_time(st, 1), "user", col_str(st, 2), "kind",
                                             col_str(st, 3), "data", data ? data : json_object()));
    }
    done(st, 0);
    return arr;
}

/* ---- idempotency -------------------------------------------------------- */

int store_idem_get(store_conn_t *c, int64_t user_pk, const char *key, store_idem_t *out)
{
    sqlite3_stmt *st = stmt(c, ST_IDEM_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    bind_text_or_null(st, 2, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    snprintf(out->request_hash, sizeof out->request_hash, "%s",
             (const char *)sqlite3_column_text(st, 0));
    out->status = sqlite3_column_int(st, 1);
    const char *body = (const char *)sqlite3_column_text(st, 2);
    if (awda_is_sealed(body)) {
        char ad[200];
        snprintf(ad, sizeof ad, "idempotency|%lld|%s", (long long)user_pk, key);
        out->body = c->s->has_keys ? awda_unseal(&c->s->keys, body, ad) : NULL;
        if (!out->body)
            out->body = awda_strdup("{}");
    } else {
        out->body = awda_strdup(body);
    }
    out->location = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NULL
                        : awda_strdup((const char *)sqlite3_column_text(st, 3));
    return done(st, STORE_OK);
}

int store_idem_put(store_conn_t *c, int64_t user_pk, const char *key, const store_idem_t *rec)
{
    sqlite3_stmt *st = stmt(c, ST_IDEM_PUT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    bind_text_or_null(st, 2, key);
    bind_text_or_null(st, 3, rec->request_hash);
    sqlite3_bind_int(st, 4, rec->status);
    /* A replayed response may hold sealed detail: it is stored sealed. */
    char *sealed = NULL;
    if (c->s->has_keys) {
        char ad[200];
        snprintf(ad, sizeof ad, "idempotency|%lld|%s", (long long)user_pk, key);
        sealed = awda_seal(&c->s->keys, rec->body, strlen(rec->body), ad);
        if (!sealed)
            return done(st, STORE_ERR);
    }
    bind_text_or_null(st, 5, sealed ? sealed : rec->body);
    free(sealed);
    bind_text_or_null(st, 6, rec->location);
    sqlite3_bind_int64(st, 7, awda_now_ms());
    return step_done(c, st);
}

int store_idem_purge(store_conn_t *c, int64_t before_ms)
{
    sqlite3_stmt *st = stmt(c, ST_IDEM_PURGE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, before_ms);
    return step_done(c, st);
}

void store_idem_free(store_idem_t *r)
{
    free(r->body);
    free(r->location);
    r->body = r->location = NULL;
}

/* ---- the journey -------------------------------------------------------- */

int store_case_set_stage(store_conn_t *c, int64_t pk, int64_t expected_version, const char *stage,
                         const char *stage_before, const char *closure_reason)
{
    sqlite3_stmt *st = stmt(c, ST_CASE_SET_STAGE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, stage);
    bind_text_or_null(st, 2, stage_before);
    bind_text_or_null(st, 3, closure_reason);
    sqlite3_bind_int64(st, 4, awda_now_ms());
    sqlite3_bind_int64(st, 5, pk);
    sqlite3_bind_int64(st, 6, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

json_t *store_case_last_event(store_conn_t *c, int64_t case_pk, const char *kind, const char *event)
{
    sqlite3_stmt *st = NULL;
    json_t *out = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT data FROM case_events WHERE case_pk=?1 AND kind=?2 AND "
                           "(?3 IS NULL OR json_extract(data,'$.event')=?3) ORDER BY pk DESC "
                           "LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_pk);
        bind_text_or_null(st, 2, kind);
        bind_text_or_null(st, 3, event);
        if (sqlite3_step(st) == SQLITE_ROW)
            out = json_loadb((const char *)sqlite3_column_text(st, 0),
                             (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
    }
    sqlite3_finalize(st);
    return out;
}

int store_record_last_id(store_conn_t *c, int64_t case_pk, char out[37])
{
    sqlite3_stmt *st = NULL;
    int rc = STORE_ERR;
    out[0] = '\0';
    if (sqlite3_prepare_v2(c->db,
                           "SELECT id FROM case_records WHERE case_pk=? ORDER BY pk DESC LIMIT 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, case_pk);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            snprintf(out, 37, "%s", (const char *)sqlite3_column_text(st, 0));
            rc = STORE_OK;
        } else if (s == SQLITE_DONE) {
            rc = STORE_NOTFOUND;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int store_case_stage_back(store_conn_t *c, int64_t pk, const char *stage, const char *stage_before)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE cases SET stage=?, stage_before=? WHERE pk=?", -1, &st,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    bind_text_or_null(st, 1, stage);
    bind_text_or_null(st, 2, stage_before);
    sqlite3_bind_int64(st, 3, pk);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR;
    sqlite3_finalize(st);
    return rc;
}

int store_case_receiving_clear(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE cases SET receiving_office_pk=NULL WHERE pk=?", -1, &st,
                           NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    sqlite3_bind_int64(st, 1, pk);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR;
    sqlite3_finalize(st);
    return rc;
}

/* ---- retention ------------------------------------------------------------ */

json_t *store_retention_due(store_conn_t *c, const char *stage, int64_t before_ms, int limit)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT c.id,c.number,c.stage,c.closure_reason,c.updated_at,o.code,"
                           "(SELECT count(*) FROM case_members m WHERE m.case_pk=c.pk) "
                           "FROM cases c JOIN offices o ON o.pk=c.office_pk "
                           "WHERE c.stage=? AND c.updated_at<? AND c.anonymised_at IS NULL "
                           "ORDER BY c.updated_at, c.pk LIMIT ?",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, before_ms);
    sqlite3_bind_int(st, 3, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:i}", "id", col_str(st, 0),
                                             "number", col_str(st, 1), "stage", col_str(st, 2),
                                             "closure_reason", col_str(st, 3), "since",
                                             col_time(st, 4), "office", col_str(st, 5), "members",
                                             sqlite3_column_int(st, 6)));
    sqlite3_finalize(st);
    return arr;
}

/* Runs one statement with up to two integer parameters; STORE_OK or
 * STORE_ERR. */
static int run_ii(store_conn_t *c, const char *sql, int64_t a, int64_t b)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        int n = sqlite3_bind_parameter_count(st);
        if (n >= 1)
            sqlite3_bind_int64(st, 1, a);
        if (n >= 2)
            sqlite3_bind_int64(st, 2, b);
        rc = sqlite3_step(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        awda_log(LOG_ERROR, "retention", "\"sqlite\":\"%s\"", sqlite3_errmsg(c->db));
        return STORE_ERR;
    }
    return STORE_OK;
}

/* 1 when a record field may stay in an anonymised case: statistical
 * (codes, flags, dates, numbers), never free text, names or anything of a
 * sensitive class. */
static int statistical_field(const awda_field_t *f)
{
    if (f->sens != SENS_NONE)
        return 0;
    switch (f->type) {
    case FT_ENUM:
    case FT_BOOL:
    case FT_INT:
    case FT_DATE:
    case FT_DATETIME:
    case FT_TIMESTAMP:
    case FT_PARTIAL_DATE:
    case FT_UUID:
    case FT_COUNTRY:
    case FT_NATIONALITY:
    case FT_LANGS:
    case FT_FLAGS:
        return 1;
    default:
        return 0;
    }
}

static int anonymise_records(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    int rc = STORE_OK;
    if (sqlite3_prepare_v2(c->db, "SELECT pk,kind,data FROM case_records WHERE case_pk=?", -1, &sel,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "UPDATE case_records SET data=? WHERE pk=?", -1, &upd, NULL) !=
            SQLITE_OK) {
        rc = STORE_ERR;
        goto out;
    }
    sqlite3_bind_int64(sel, 1, case_pk);
    while (rc == STORE_OK && sqlite3_step(sel) == SQLITE_ROW) {
        const awda_entity_t *e = awda_record_kind((const char *)sqlite3_column_text(sel, 1), NULL);
        json_t *data = json_loads((const char *)sqlite3_column_text(sel, 2), 0, NULL);
        json_t *kept = json_object();
        for (size_t i = 0; e && i < e->nfields; i++) {
            json_t *v = json_object_get(data, e->fields[i].name);
            if (v && statistical_field(&e->fields[i]))
                json_object_set(kept, e->fields[i].name, v);
        }
        char *text = json_dumps(kept, JSON_COMPACT | JSON_SORT_KEYS);
        json_decref(kept);
        json_decref(data);
        sqlite3_reset(upd);
        sqlite3_bind_text(upd, 1, text ? text : "{}", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
        if (sqlite3_step(upd) != SQLITE_DONE)
            rc = STORE_ERR;
        free(text);
    }
out:
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc;
}

/* The members who left the case (its "member_removed" events) and are in
 * no other case still in use lose what names or reaches them, as the
 * members do; the events keep who (the id) and when, not the name or the
 * free-text reason. Adds the persons anonymised to *persons. */
static int anonymise_removed_members(store_conn_t *c, int64_t case_pk, int64_t now_ms, int *persons)
{
    static const char *const sql[] = {
        "DELETE FROM person_documents WHERE person_pk IN (SELECT pk FROM removed_here)",
        "DELETE FROM person_name_keys WHERE person_pk IN (SELECT pk FROM removed_here)",
        "UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL, "
        "date_of_birth=substr(date_of_birth,1,4), dob_precision=CASE WHEN date_of_birth IS NULL "
        "OR dob_precision='estimated' THEN dob_precision ELSE 'year' END, anonymised_at=?2 "
        "WHERE pk IN (SELECT pk FROM removed_here) AND anonymised_at IS NULL",
        "UPDATE case_events SET data=json_remove(data,'$.reason','$.name','$.name_latin') "
        "WHERE case_pk=?1 AND kind='member_removed'",
    };
    int rc =
        run_ii(c, "CREATE TEMP TABLE IF NOT EXISTS removed_here(pk INTEGER PRIMARY KEY)", 0, 0);
    if (rc == STORE_OK)
        rc = run_ii(c, "DELETE FROM removed_here", 0, 0);
    if (rc == STORE_OK)
        rc = run_ii(c,
                    "INSERT OR IGNORE INTO removed_here(pk) SELECT p.pk FROM case_events e JOIN "
                    "persons p ON p.id=json_extract(e.data,'$.person_id') WHERE e.case_pk=?1 AND "
                    "e.kind='member_removed' AND p.anonymised_at IS NULL AND NOT EXISTS (SELECT 1 "
                    "FROM case_members o JOIN cases oc ON oc.pk=o.case_pk WHERE "
                    "o.person_pk=p.pk AND oc.anonymised_at IS NULL)",
                    case_pk, now_ms);
    int n = rc == STORE_OK ? sqlite3_changes(c->db) : 0;
    for (size_t k = 0; k < sizeof sql / sizeof sql[0] && rc == STORE_OK; k++)
        rc = run_ii(c, sql[k], case_pk, now_ms);
    if (rc == STORE_OK)
        rc = run_ii(c, "DELETE FROM removed_here", 0, 0);
    if (rc == STORE_OK)
        *persons += n;
    return rc;
}

int store_case_anonymise(store_conn_t *c, int64_t case_pk, int64_t now_ms, int *persons)
{
    *persons = 0;
    int rc = run_ii(c,
                    "UPDATE cases SET notes=NULL, anonymised_at=?1 WHERE pk=?2 AND "
                    "anonymised_at IS NULL",
                    now_ms, case_pk);
    if (rc != STORE_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return STORE_NOTFOUND; /* gone, or done already */
    if ((rc = anonymise_records(c, case_pk)) != STORE_OK)
        return rc;
    /* The timeline keeps what happened and when; a transition's free-text
     * reason may name people, so it goes. */
    if ((rc = run_ii(c,
                     "UPDATE case_events SET data=json_remove(data,'$.reason') "
                     "WHERE case_pk=? AND kind='transition'",
                     case_pk, 0)) != STORE_OK)
        return rc;
    /* Members with no other case still in use lose everything that names
     * or reaches them, and their protection concerns (protection detail,
     * like that of the records); sex, year of birth, nationality,
     * languages and the routing vulnerability flags stay for the
     * statistics. */
    static const char *const person_sql[] = {
        "DELETE FROM person_documents WHERE person_pk=?1",
        "DELETE FROM person_name_keys WHERE person_pk=?1",
        "UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL, "
        "protection_vulnerabilities=NULL, "
        "date_of_birth=substr(date_of_birth,1,4), dob_precision=CASE WHEN date_of_birth IS NULL "
        "OR dob_precision='estimated' THEN dob_precision ELSE 'year' END, anonymised_at=?2 "
        "WHERE pk=?1",
    };
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(
            c->db,
            "SELECT m.person_pk FROM case_members m WHERE m.case_pk=?1 AND NOT EXISTS "
            "(SELECT 1 FROM case_members o JOIN cases oc ON oc.pk=o.case_pk WHERE "
            "o.person_pk=m.person_pk AND oc.pk<>?1 AND oc.anonymised_at IS NULL)",
            -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    sqlite3_bind_int64(st, 1, case_pk);
    int64_t pks[AWDA_MAX_MEMBERS];
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < AWDA_MAX_MEMBERS)
        pks[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (int i = 0; i < n && rc == STORE_OK; i++)
        for (size_t k = 0; k < sizeof person_sql / sizeof person_sql[0] && rc == STORE_OK; k++)
            rc = run_ii(c, person_sql[k], pks[i], now_ms);
    if (rc == STORE_OK)
        *persons = n;
    if (rc == STORE_OK)
        rc = anonymise_removed_members(c, case_pk, now_ms, persons);
    return rc;
}

/* ---- sharing with third parties ------------------------------------------- */

int store_sharing_consent(store_conn_t *c, int64_t person_pk, const char *purpose,
                          const char *recipient)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT (SELECT max(pk) FROM case_records WHERE person_pk=?1 AND kind='consent' AND "
        "json_extract(data,'$.purpose')=?2 AND json_extract(data,'$.withdrawn_at') IS NULL AND "
        "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3))),"
        "(SELECT max(pk) FROM case_records WHERE person_pk=?1 AND kind='consent_withdrawal' AND "
        "json_extract(data,'$.purpose')=?2 AND "
        "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3)))";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_int64(st, 1, person_pk);
    sqlite3_bind_text(st, 2, purpose, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, recipient, -1, SQLITE_STATIC);
    int yes = 0;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        yes = sqlite3_column_type(st, 1) == SQLITE_NULL ||
              sqlite3_column_int64(st, 0) > sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    return yes;
}

int store_sharing_consent_withdrawn(store_conn_t *c, int64_t person_pk, const char *purpose,
                                    const char *recipient)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "UPDATE case_records SET data=json_set(data,'$.withdrawn_at',?4) WHERE person_pk=?1 AND "
        "kind='consent' AND json_extract(data,'$.purpose')=?2 AND "
        "lower(trim(json_extract(data,'$.recipient')))=lower(trim(?3)) AND "
        "json_extract(data,'$.withdrawn_at') IS NULL";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    char now[32];
    awda_iso_ms(awda_now_ms(), now);
    sqlite3_bind_int64(st, 1, person_pk);
    bind_text_or_null(st, 2, purpose);
    bind_text_or_null(st, 3, recipient);
    sqlite3_bind_text(st, 4, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR;
    sqlite3_finalize(st);
    return rc;
}

json_t *store_referrals_for(store_conn_t *c, const char *organisation, int64_t before_pk, int limit,
                            int64_t *last_pk)
{
    sqlite3_stmt *st = NULL;
    static const char sql[] =
        "SELECT r.pk,r.id,r.data,r.created_at,o.code,p.pk,p.id,p.name,p.name_latin,p.sex,"
        "p.date_of_birth,p.dob_precision,p.nationality,p.languages,p.contact "
        "FROM case_records r JOIN persons p ON p.pk=r.person_pk JOIN cases c ON c.pk=r.case_pk "
        "JOIN offices o ON o.pk=c.office_pk WHERE r.kind='referral' AND r.pk<?2 AND "
        "p.anonymised_at IS NULL AND "
        "lower(trim(json_extract(r.data,'$.partner')))=lower(trim(?1)) ORDER BY r.pk DESC "
        "LIMIT ?3";
    *last_pk = 0;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_text(st, 1, organisation, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 3, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        *last_pk = sqlite3_column_int64(st, 0);
        json_t *data = json_loads((const char *)sqlite3_column_text(st, 2), 0, NULL);
        json_t *langs = json_loads(sqlite3_column_type(st, 13) == SQLITE_NULL
                                       ? "[]"
                                       : (const char *)sqlite3_column_text(st, 13),
                                   0, NULL);
        json_t *contact = sqlite3_column_type(st, 14) == SQLITE_NULL
                              ? json_null()
                              : json_loads((const char *)sqlite3_column_text(st, 14), 0, NULL);
        json_t *person = json_pack(
            "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 6), "name", col_str(st, 7),
            "name_latin", col_str(st, 8), "sex", col_str(st, 9), "date_of_birth", col_str(st, 10),
            "dob_precision", col_str(st, 11), "nationality", col_str(st, 12), "languages",
            langs ? langs : json_array(), "contact", contact ? contact : json_null());
        json_t *it = json_pack(
            "{s:o,s:o,s:o,s:o,s:O,s:O,s:O,s:O}", "id", col_str(st, 1), "created_at",
            col_time(st, 3), "office", col_str(st, 4), "person", person, "service",
            json_object_get(data, "service"), "date", json_object_get(data, "date"), "notes",
            json_object_get(data, "notes") ? json_object_get(data, "notes") : json_null(),
            "partner", json_object_get(data, "partner"));
        json_object_set_new(it, "_person_pk", json_integer(sqlite3_column_int64(st, 5)));
        json_decref(data);
        json_array_append_new(arr, it);
    }
    sqlite3_finalize(st);
    return arr;
}

/* One breakdown: [{"key", "count"}] from a query of (key, count) rows. */
static json_t *breakdown(store_conn_t *c, const char *sql)
{
    sqlite3_stmt *st = NULL;
    json_t *arr = json_array();
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK)
        while (sqlite3_step(st) == SQLITE_ROW)
            json_array_append_new(arr, json_pack("{s:o,s:I}", "key", col_str(st, 0), "count",
                                                 (json_int_t)sqlite3_column_int64(st, 1)));
    sqlite3_finalize(st);
    return arr;
}

json_t *store_statistics(store_conn_t *c)
{
    return json_pack(
        "{s:o,s:o,s:o,s:o,s:o,s:o}", "cases_by_stage",
        breakdown(c, "SELECT stage, count(*) FROM cases GROUP BY stage ORDER BY stage"),
        "cases_by_office",
        breakdown(c, "SELECT o.code, count(*) FROM cases c JOIN offices o ON o.pk=c.office_pk "
                     "GROUP BY o.code ORDER BY o.code"),
        "cases_by_destination",
        breakdown(c, "SELECT destination_country, count(*) FROM cases GROUP BY 1 ORDER BY 1"),
        "persons_by_sex", breakdown(c, "SELECT sex, count(*) FROM persons GROUP BY 1 ORDER BY 1"),
        "persons_by_nationality",
        breakdown(c, "SELECT nationality, count(*) FROM persons GROUP BY 1 ORDER BY 1"),
        "cases_closed_by_reason",
        breakdown(c, "SELECT closure_reason, count(*) FROM cases WHERE stage='closed' AND "
                     "closure_reason IS NOT NULL GROUP BY 1 ORDER BY 1"));
}

/* ---- partner organisations ---------------------------------------------- */

/* Runs a statement prepared for one use, maps constraint failures as
 * step_done does, and finalizes it. */
static int step_once(store_conn_t *c, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    int out = STORE_OK;
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
        out = STORE_CONFLICT;
    else if (rc != SQLITE_DONE) {
        awda_log(LOG_ERROR, "sqlite_step", "\"rc\":%d,\"error\":\"%s\"", rc, sqlite3_errmsg(c->db));
        out = STORE_ERR;
    }
    sqlite3_finalize(st);
    return out;
}

#define PARTNER_COLS "SELECT id,name,country,created_at,updated_at FROM partners "

static json_t *partner_row(sqlite3_stmt *st)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "name", col_str(st, 1),
                     "country", col_str(st, 2), "created_at", col_time(st, 3), "updated_at",
                     col_time(st, 4));
}

int store_partner_insert(store_conn_t *c, const json_t *p, char id_out[37])
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "INSERT INTO partners(id,name,country,created_at,updated_at) "
                           "VALUES(?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(p, "name"));
    bind_text_or_null(st, 3, jstr(p, "country"));
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    return step_once(c, st);
}

int store_partner_update(store_conn_t *c, const char *id, const json_t *p)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, "UPDATE partners SET name=?,country=?,updated_at=? WHERE id=?",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    bind_text_or_null(st, 1, jstr(p, "name"));
    bind_text_or_null(st, 2, jstr(p, "country"));
    sqlite3_bind_int64(st, 3, awda_now_ms());
    bind_text_or_null(st, 4, id);
    int rc = step_once(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_NOTFOUND;
    return rc;
}

json_t *store_partner_list(store_conn_t *c)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, PARTNER_COLS "ORDER BY lower(name)", -1, &st, NULL) !=
        SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    json_t *items = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(items, partner_row(st));
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_partner_get(store_conn_t *c, const char *id)
{
    sqlite3_stmt *st = NULL;
    if (!id || sqlite3_prepare_v2(c->db, PARTNER_COLS "WHERE id=?", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    json_t *p = sqlite3_step(st) == SQLITE_ROW ? partner_row(st) : NULL;
    sqlite3_finalize(st);
    return p;
}

/* ---- sealing ------------------------------------------------------------ */

void store_set_keyring(store_t *s, const awda_keyring_t *kr)
{
    pthread_mutex_lock(&s->q_lock);
    s->keys = *kr;
    s->has_keys = kr->n > 0;
    pthread_mutex_unlock(&s->q_lock);
}

static int sealed_class(const awda_field_t *f)
{
    return f->sens == SENS_MEDICAL || f->sens == SENS_PROTECTION;
}

/* A copy of data with the medical and protection fields of its kind
 * sealed (NULL on failure, or when there is no key to seal with). */
static json_t *seal_record(store_t *s, const char *kind, const char *id, const json_t *data)
{
    const awda_entity_t *e = awda_record_kind(kind, NULL);
    json_t *out = json_deep_copy(data);
    for (size_t i = 0; e && out && i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        json_t *v = json_object_get(out, f->name);
        if (!sealed_class(f) || !json_is_string(v))
            continue;
        if (!s->has_keys) {
            awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
            json_decref(out);
            return NULL;
        }
        char ad[160];
        snprintf(ad, sizeof ad, "record|%s|%s", id, f->name);
        char *sealed = awda_seal(&s->keys, json_string_value(v), json_string_length(v), ad);
        if (!sealed) {
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, f->name, json_string(sealed));
        free(sealed);
    }
    return out;
}

/* Opens the sealed values of a record's data in place. */
static void unseal_record(store_t *s, const char *id, json_t *data)
{
    const char *k;
    json_t *v;
    json_object_foreach(data, k, v)
    {
        if (!json_is_string(v) || !awda_is_sealed(json_string_value(v)))
            continue;
        char ad[160];
        snprintf(ad, sizeof ad, "record|%s|%s", id, k);
        char *plain = s->has_keys ? awda_unseal(&s->keys, json_string_value(v), ad) : NULL;
        json_object_set_new(data, k, json_string(plain ? plain : "[unreadable]"));
        if (plain) {
            sodium_memzero(plain, strlen(plain));
            free(plain);
        }
    }
}

/* ---- sealed values of persons ---------------------------------------- */

/* A person's sealed value is the JSON text of the field (null when there
 * is none) padded with spaces to a multiple of SEAL_PAD bytes, at least
 * SEAL_PAD_MIN: every person has one and they all look alike, so neither
 * its presence nor its length says who has a protection concern. */
#define SEAL_PAD     64
#define SEAL_PAD_MIN 128

static void person_ad(const char *person_id, const char *field, char *ad, size_t cap)
{
    snprintf(ad, cap, "person|%s|%s", person_id ? person_id : "", field);
}

/* The stored (sealed) text of v for a person's field; malloc'd, NULL on
 * failure or without a key. */
static char *seal_person_value(store_t *s, const char *person_id, const char *field,
                               const json_t *v)
{
    if (!s->has_keys) {
        awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
        return NULL;
    }
    char *text = v && !json_is_null(v) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    size_t n = text ? strlen(text) : 4;
    size_t padded = n < SEAL_PAD_MIN ? SEAL_PAD_MIN : (n + SEAL_PAD - 1) / SEAL_PAD * SEAL_PAD;
    char *plain = malloc(padded + 1);
    char *out = NULL;
    if (plain) {
        memcpy(plain, text ? text : "null", n);
        memset(plain + n, ' ', padded - n);
        plain[padded] = '\0';
        char ad[160];
        person_ad(person_id, field, ad, sizeof ad);
        out = awda_seal(&s->keys, plain, padded, ad);
        sodium_memzero(plain, padded);
        free(plain);
    }
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    return out;
}

/* Rebinds, sealed, the sealed-class columns of a person that bind_cols
 * bound in clear from parameter idx. */
static int bind_person_sealed(store_t *s, sqlite3_stmt *st, int idx, const json_t *p,
                              const char *person_id)
{
    for (size_t i = 0; i < AWDA_PERSON.nfields; i++) {
        const awda_field_t *f = &AWDA_PERSON.fields[i];
        if (!is_col(f))
            continue;
        if (sealed_class(f)) {
            char *sealed = seal_person_value(s, person_id, f->name, json_object_get(p, f->name));
            if (!sealed)
                return STORE_ERR;
            sqlite3_bind_text(st, idx, sealed, -1, SQLITE_TRANSIENT);
            free(sealed);
        }
        idx++;
    }
    return STORE_OK;
}

/* The opened value of a person's sealed column (new reference): null
 * when the column is empty, "[unreadable]" when it does not open. */
static json_t *unseal_person_value(store_t *s, const char *person_id, const char *field,
                                   const char *stored)
{
    if (!stored)
        return json_null();
    char ad[160];
    person_ad(person_id, field, ad, sizeof ad);
    char *plain = s->has_keys ? awda_unseal(&s->keys, stored, ad) : NULL;
    json_t *v = plain ? json_loads(plain, JSON_DECODE_ANY, NULL) : NULL;
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    if (!v) {
        awda_log(LOG_ERROR, "unseal", "\"person\":\"%s\",\"field\":\"%s\"",
                 person_id ? person_id : "?", field);
        return json_string("[unreadable]");
    }
    return v;
}

static int person_id_of(store_conn_t *c, int64_t pk, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    int rc = STORE_NOTFOUND;
    if (sqlite3_prepare_v2(c->db, "SELECT id FROM persons WHERE pk=?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, pk);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
            rc = STORE_OK;
        }
    } else {
        rc = STORE_ERR;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Migration 13's step: the protection concerns of every person move out
 * of `vulnerabilities` into `protection_vulnerabilities`, sealed; every
 * person gets a sealed value (null when none), so the file does not show
 * who has one. Runs in the migration's transaction. */
static int seal_person_vulnerabilities(store_t *s, sqlite3 *db)
{
    sqlite3_stmt *q = NULL, *u = NULL;
    int rc = STORE_ERR, step;
    long long moved = 0;
    if (sqlite3_prepare_v2(db, "SELECT pk,id,vulnerabilities FROM persons", -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "UPDATE persons SET vulnerabilities=?1, protection_vulnerabilities=?2 "
                           "WHERE pk=?3",
                           -1, &u, NULL) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (!s->has_keys) { /* a new, empty database needs none */
            awda_log(LOG_ERROR, "migrate",
                     "\"reason\":\"sealing protection concerns needs the key file\"");
            goto out;
        }
        const char *id = (const char *)sqlite3_column_text(q, 1);
        json_t *old = sqlite3_column_type(q, 2) == SQLITE_NULL
                          ? NULL
                          : json_loadb((const char *)sqlite3_column_text(q, 2),
                                       (size_t)sqlite3_column_bytes(q, 2), 0, NULL);
        json_t *keep = json_array(), *prot = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(old, i, v)
        {
            const char *f = json_string_value(v);
            int sensitive = f && awda_value_index(AWDA_PROTECTION_VULNERABILITIES, f) >= 0;
            json_array_append(sensitive ? prot : keep, v);
        }
        moved += (long long)json_array_size(prot);
        char *sealed = seal_person_value(s, id, "protection_vulnerabilities",
                                         json_array_size(prot) ? prot : NULL);
        char *text = json_is_array(old) ? json_dumps(keep, JSON_COMPACT) : NULL;
        if (sealed) {
            if (json_is_array(old))
                sqlite3_bind_text(u, 1, text, -1, SQLITE_TRANSIENT);
            else if (old || sqlite3_column_type(q, 2) != SQLITE_NULL)
                sqlite3_bind_text(u, 1, (const char *)sqlite3_column_text(q, 2), -1,
                                  SQLITE_TRANSIENT); /* not a list: left as it was */
            else
                sqlite3_bind_null(u, 1);
            sqlite3_bind_text(u, 2, sealed, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(u, 3, sqlite3_column_int64(q, 0));
        }
        free(text);
        free(sealed);
        json_decref(old);
        json_decref(keep);
        json_decref(prot);
        if (!sealed || sqlite3_step(u) != SQLITE_DONE)
            goto out;
        sqlite3_reset(u);
        sqlite3_clear_bindings(u);
    }
    rc = step == SQLITE_DONE ? STORE_OK : STORE_ERR;
    awda_log(LOG_INFO, "migrate", "\"sealed_protection_concerns\":%lld", moved);
out:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    return rc;
}

/* ---- every sealed value, for rotation -------------------------------------- */

/* Every place that holds sealed values. Re-sealing under a new key, the
 * count of values left under an older key, and the check that the
 * database needs its key file all walk this one list: a new sealed column
 * is one line here. `ad` is the SQL that gives a row's associated data
 * (for a JSON column, its prefix: the member's name follows); `keys` the
 * columns that find the row again, bound as ?2 (and ?3) in `where`. */
static const struct {
    const char *table, *column, *ad, *keys, *where;
    int json; /* a JSON object whose members may each be sealed */
} SEALED_PLACES[] = {
    {"case_records", "data", "'record|'||id||'|'", "pk,NULL", "pk=?2", 1},
    {"persons", "protection_vulnerabilities", "'person|'||id||'|protection_vulnerabilities'",
     "pk,NULL", "pk=?2", 0},
    {"users", "totp_secret", "'user|'||pk||'|totp_secret'", "pk,NULL", "pk=?2", 0},
    {"idempotency", "body", "'idempotency|'||user_pk||'|'||key", "user_pk,key",
     "user_pk=?2 AND key=?3", 0},
};
#define NSEALED_PLACES (sizeof SEALED_PLACES / sizeof SEALED_PLACES[0])

typedef struct {
    const awda_keyring_t *old;
    long long values;
} reseal_ctx_t;

/* Opens *text (a sealed value) with x->old and seals it again under the
 * newest key of the store; 0 when done, -1 when it does not open. */
static int reseal_one(store_t *s, reseal_ctx_t *x, const char *text, const char *ad, char **again)
{
    char *plain = awda_unseal(x->old, text, ad);
    *again = plain ? awda_seal(&s->keys, plain, strlen(plain), ad) : NULL;
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    if (!*again)
        return -1;
    x->values++;
    return 0;
}

/* Re-seals the values of one place; STORE_OK or STORE_ERR (logged with
 * the place and the row). */
static int reseal_place(store_conn_t *c, reseal_ctx_t *x, size_t p)
{
    char sql[512], upd[256];
    sqlite3_stmt *q = NULL, *u = NULL;
    int rc = STORE_ERR, step;
    snprintf(sql, sizeof sql, "SELECT %s,%s,%s FROM %s WHERE %s LIKE '%s'", SEALED_PLACES[p].ad,
             SEALED_PLACES[p].column, SEALED_PLACES[p].keys, SEALED_PLACES[p].table,
             SEALED_PLACES[p].column, SEALED_PLACES[p].json ? "%\"sealed:v%" : "sealed:v%");
    snprintf(upd, sizeof upd, "UPDATE %s SET %s=?1 WHERE %s", SEALED_PLACES[p].table,
             SEALED_PLACES[p].column, SEALED_PLACES[p].where);
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, upd, -1, &u, NULL) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *ad = (const char *)sqlite3_column_text(q, 0);
        const char *text = (const char *)sqlite3_column_text(q, 1);
        char *again = NULL;
        int bad = 0;
        if (SEALED_PLACES[p].json) {
            json_t *data = json_loadb(text, (size_t)sqlite3_column_bytes(q, 1), 0, NULL);
            const char *k;
            json_t *v;
            bad = !data;
            json_object_foreach(data, k, v)
            {
                if (bad || !json_is_string(v) || !awda_is_sealed(json_string_value(v)))
                    continue;
                char full[200], *one = NULL;
                snprintf(full, sizeof full, "%s%s", ad, k);
                if (reseal_one(c->s, x, json_string_value(v), full, &one) != 0)
                    bad = 1;
                else
                    json_object_set_new(data, k, json_string(one));
                free(one);
            }
            again = bad ? NULL : json_dumps(data, JSON_COMPACT);
            json_decref(data);
        } else if (reseal_one(c->s, x, text, ad, &again) != 0) {
            bad = 1;
        }
        if (bad || !again) {
            awda_log(LOG_ERROR, "reseal", "\"place\":\"%s.%s\",\"row\":\"%s\"",
                     SEALED_PLACES[p].table, SEALED_PLACES[p].column, ad ? ad : "?");
            free(again);
            goto out;
        }
        sqlite3_bind_text(u, 1, again, -1, SQLITE_TRANSIENT);
        free(again);
        sqlite3_bind_value(u, 2, sqlite3_column_value(q, 2));
        sqlite3_bind_value(u, 3, sqlite3_column_value(q, 3));
        if (sqlite3_step(u) != SQLITE_DONE)
            goto out;
        sqlite3_reset(u);
    }
    rc = step == SQLITE_DONE ? STORE_OK : STORE_ERR;
out:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    return rc;
}

/* Re-seals every sealed value under the newest key (a writer job: one
 * transaction, all or nothing). */
static int reseal_job(store_conn_t *c, void *p)
{
    for (size_t i = 0; i < NSEALED_PLACES; i++)
        if (reseal_place(c, p, i) != STORE_OK)
            return STORE_ERR;
    return STORE_OK;
}

/* Counts the values of place p sealed under another key than version
 * (every version when version < 0), up to limit. A place whose table or
 * column does not exist yet (an older schema) counts 0. */
static long long sealed_count(store_conn_t *c, size_t p, int version, long long limit)
{
    char sql[512], pattern[32];
    snprintf(pattern, sizeof pattern, "sealed:v%d:%%", version);
    /* Any value anywhere in a JSON column, nested or not: json_tree. */
    if (SEALED_PLACES[p].json)
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM (SELECT 1 FROM %s, json_tree(%s.%s) t WHERE %s.%s LIKE "
                 "'%%\"sealed:v%%' AND t.type='text' AND t.atom LIKE 'sealed:v%%' AND t.atom "
                 "NOT LIKE ?1 LIMIT ?2)",
                 SEALED_PLACES[p].table, SEALED_PLACES[p].table, SEALED_PLACES[p].column,
                 SEALED_PLACES[p].table, SEALED_PLACES[p].column);
    else
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIKE 'sealed:v%%' AND %s NOT "
                 "LIKE ?1 LIMIT ?2)",
                 SEALED_PLACES[p].table, SEALED_PLACES[p].column, SEALED_PLACES[p].column);
    sqlite3_stmt *st = NULL;
    long long n = 0;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, version < 0 ? "" : pattern, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, limit);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

int store_sealed_exist(store_conn_t *c)
{
    for (size_t i = 0; i < NSEALED_PLACES; i++)
        if (sealed_count(c, i, -1, 1) > 0)
            return 1;
    return 0;
}

long long store_sealed_remaining(store_conn_t *c, int version, char *where, size_t cap)
{
    long long total = 0;
    if (cap)
        where[0] = '\0';
    for (size_t i = 0; i < NSEALED_PLACES; i++) {
        long long n = sealed_count(c, i, version, INT64_MAX);
        if (n > 0 && cap && !where[0])
            snprintf(where, cap, "%s.%s", SEALED_PLACES[i].table, SEALED_PLACES[i].column);
        total += n;
    }
    return total;
}

int store_reseal(store_t *s, const awda_keyring_t *old, long long *values)
{
    reseal_ctx_t x = {old, 0};
    int rc = store_write(s, reseal_job, &x);
    *values = x.values;
    return rc;
}

int store_record_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk, const char *kind,
                        const json_t *data, int64_t user_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, ST_RECORD_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    json_t *sealed = seal_record(c->s, kind, id_out, data);
    if (!sealed)
        return STORE_ERR;
    char *t = json_dumps(sealed, JSON_COMPACT);
    json_decref(sealed);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_pk);
    if (person_pk)
        sqlite3_bind_int64(st, 3, person_pk);
    else
        sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, kind);
    bind_text_or_null(st, 5, t ? t : "{}");
    sqlite3_bind_int64(st, 6, awda_now_ms());
    if (user_pk)
        sqlite3_bind_int64(st, 7, user_pk);
    else
        sqlite3_bind_null(st, 7);
    free(t);
    return step_done(c, st);
}

static json_t *record_row(store_t *s, sqlite3_stmt *st)
{
    json_t *data = json_loadb((const char *)sqlite3_column_text(st, 5),
                              (size_t)sqlite3_column_bytes(st, 5), 0, NULL);
    unseal_record(s, (const char *)sqlite3_column_text(st, 0), data);
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "kind", col_str(st, 1),
                     "case_id", col_str(st, 6), "person_id", col_str(st, 2), "created_at",
                     col_time(st, 3), "created_by", col_str(st, 4), "data",
                     data ? data : json_object());
}

json_t *store_record_list(store_conn_t *c, int64_t case_pk, const char *kind)
{
    sqlite3_stmt *st = stmt(c, kind ? ST_RECORDS_OF_KIND : ST_RECORDS_OF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    if (kind)
        bind_text_or_null(st, 2, kind);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, record_row(c->s, st));
    done(st, 0);
    return arr;
}

json_t *store_record_get(store_conn_t *c, const char *id)
{
    sqlite3_stmt *st = stmt(c, ST_RECORD_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, id);
    json_t *r = sqlite3_step(st) == SQLITE_ROW ? record_row(c->s, st) : NULL;
    done(st, 0);
    return r;
}

int store_consents_withdraw(store_conn_t *c, int64_t case_pk, const char *at_iso)
{
    sqlite3_stmt *st = stmt(c, ST_CONSENTS_WITHDRAW);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, at_iso);
    sqlite3_bind_int64(st, 2, case_pk);
    return step_done(c, st);
}

json_t *store_previous_returns(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, ST_PREVIOUS_RETURNS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr, json_pack("{s:o,s:o}", "person_id", col_str(st, 0), "number", col_str(st, 1)));
    done(st, 0);
    return arr;
}

/* ---- restrictions --------------------------------------------------------- */

static void bind_restriction(sqlite3_stmt *st, int idx, const json_t *r)
{
    static const char *cols[] = {"country",         "admin_area", "kind",       "effective_from",
                                 "effective_until", "reason",     "next_review"};
    for (int i = 0; i < 7; i++)
        bind_text_or_null(st, idx + i, jstr(r, cols[i]));
}

static json_t *restriction_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    static const char *cols[] = {"id",     "country",        "admin_area",
                                 "kind",   "effective_from", "effective_until",
                                 "reason", "next_review"};
    for (int i = 0; i < 8; i++)
        json_object_set_new(o, cols[i], col_str(st, i));
    json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 8)));
    json_object_set_new(o, "created_at", col_time(st, 9));
    json_object_set_new(o, "updated_at", col_time(st, 10));
    return o;
}

static int restriction_history_add(store_conn_t *c, int64_t rpk, int64_t user_pk,
                                   const char *action, const json_t *data)
{
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_HISTORY_ADD);
    if (!st)
        return STORE_ERR;
    char *t = json_dumps(data, JSON_COMPACT);
    sqlite3_bind_int64(st, 1, rpk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    if (user_pk)
        sqlite3_bind_int64(st, 3, user_pk);
    else
        sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, action);
    bind_text_or_null(st, 5, t ? t : "{}");
    free(t);
    return step_done(c, st);
}

static int64_t restriction_pk(store_conn_t *c, const char *id, json_t **row)
{
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_GET);
    if (!st)
        return 0;
    bind_text_or_null(st, 1, id);
    int64_t pk = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        pk = sqlite3_column_int64(st, 11);
        if (row)
            *row = restriction_row(st);
    }
    done(st, 0);
    return pk;
}

int store_restriction_insert(store_conn_t *c, const json_t *r, int64_t user_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_restriction(st, 2, r);
    sqlite3_bind_int64(st, 9, now);
    sqlite3_bind_int64(st, 10, now);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    json_t *row = NULL;
    int64_t pk = restriction_pk(c, id_out, &row);
    rc = pk ? restriction_history_add(c, pk, user_pk, "created", row) : STORE_ERR;
    json_decref(row);
    return rc;
}

int store_restriction_update(store_conn_t *c, const char *id, int64_t expected_version,
                             const json_t *r, int64_t user_pk, const char *action)
{
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_UPDATE);
    if (!st)
        return STORE_ERR;
    bind_restriction(st, 1, r);
    sqlite3_bind_int64(st, 8, awda_now_ms());
    bind_text_or_null(st, 9, id);
    sqlite3_bind_int64(st, 10, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = restriction_pk(c, id, NULL) ? STORE_STALE : STORE_NOTFOUND;
    if (rc != STORE_OK)
        return rc;
    json_t *row = NULL;
    int64_t pk = restriction_pk(c, id, &row);
    rc = pk ? restriction_history_add(c, pk, user_pk, action, row) : STORE_ERR;
    json_decref(row);
    return rc;
}

json_t *store_restriction_get(store_conn_t *c, const char *id, int with_history)
{
    json_t *row = NULL;
    int64_t pk = restriction_pk(c, id, &row);
    if (!pk || !with_history)
        return row;
    json_t *hist = json_array();
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_HISTORY);
    if (st) {
        sqlite3_bind_int64(st, 1, pk);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *data = json_loadb((const char *)sqlite3_column_text(st, 3),
                                      (size_t)sqlite3_column_bytes(st, 3), 0, NULL);
            json_array_append_new(hist, json_pack("{s:o,s:o,s:o,s:o}", "at", col_time(st, 0),
                                                  "user", col_str(st, 1), "action", col_str(st, 2),
                                                  "restriction", data ? data : json_object()));
        }
        done(st, 0);
    }
    json_object_set_new(row, "history", hist);
    return row;
}

json_t *store_restriction_list(store_conn_t *c, const char *overdue_before)
{
    sqlite3_stmt *st = stmt(c, overdue_before ? ST_RESTRICTION_OVERDUE : ST_RESTRICTION_LIST);
    if (!st)
        return NULL;
    if (overdue_before)
        bind_text_or_null(st, 1, overdue_before);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, restriction_row(st));
    done(st, 0);
    return arr;
}

json_t *store_restriction_matching(store_conn_t *c, const char *country, const char *area,
                                   const char *today)
{
    sqlite3_stmt *st = stmt(c, ST_RESTRICTION_MATCHING);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, country);
    bind_text_or_null(st, 2, area ? area : "");
    bind_text_or_null(st, 3, today);
    bind_text_or_null(st, 4, today);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, restriction_row(st));
    done(st, 0);
    return arr;
}

json_t *store_restriction_affected(store_conn_t *c, const char *id, const char *today,
                                   const int64_t *offices, int nof, const char *projects, int limit,
                                   long long *total)
{
    json_t *r = NULL;
    *total = 0;
    if (!restriction_pk(c, id, &r))
        return NULL;
    const char *from = jstr(r, "effective_from"), *until = jstr(r, "effective_until");
    int in_force = from && strcmp(from, today) <= 0 && (!until || strcmp(until, today) >= 0);
    json_t *items = json_array();
    if (!in_force) {
        json_decref(r);
        return items;
    }
    buf_t b;
    buf_init(&b, 8192);
    buf_puts(&b, "SELECT c.id,c.number,c.stage,o.code,c.destination_country,"
                 "c.destination_admin_area FROM cases c JOIN offices o ON o.pk=c.office_pk "
                 "WHERE c.destination_country=?1 AND c.stage IN ('registered','counselled',"
                 "'consented','eligible','pre_departure','ready','booked','on_hold') AND "
                 "(?2 IS NULL OR lower(c.destination_admin_area)=lower(?2))");
    if (strcmp(jstr(r, "kind") ? jstr(r, "kind") : "", "approval_required") == 0)
        buf_puts(&b, " AND NOT EXISTS(SELECT 1 FROM case_records a WHERE a.case_pk=c.pk AND "
                     "a.kind='restriction_approval' AND "
                     "json_extract(a.data,'$.restriction_id')=?3)");
    else
        buf_puts(&b, " AND ?3 IS NOT NULL");
    buf_puts(&b, " AND (?4 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?4)) OR "
                 "c.receiving_office_pk IN (SELECT value FROM json_each(?4)) OR "
                 "c.project IN (SELECT value FROM json_each(?5))) ORDER BY c.pk");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, b.data, (int)b.len, &st, NULL) == SQLITE_OK) {
        bind_text_or_null(st, 1, jstr(r, "country"));
        bind_text_or_null(st, 2, jstr(r, "admin_area"));
        bind_text_or_null(st, 3, id);
        char *scope = offices_json(offices, nof);
        bind_text_or_null(st, 4, scope);
        free(scope);
        bind_text_or_null(st, 5, projects);
        /* Every blocked case is counted; the first `limit` are listed. */
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (++*total > limit)
                continue;
            json_array_append_new(
                items, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "number",
                                 col_str(st, 1), "stage", col_str(st, 2), "office", col_str(st, 3),
                                 "destination_country", col_str(st, 4), "destination_admin_area",
                                 col_str(st, 5)));
        }
        sqlite3_finalize(st);
    }
    buf_free(&b);
    json_decref(r);
    return items;
}

/* ---- audit ------------------------------------------------------------------ */

#define AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Loads the hash of the last audit record (the writer's chain head). */
static void audit_load_prev(store_t *s)
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

static int audit_job(store_conn_t *c, void *ctx)
{
    const store_audit_t *a = ctx;
    store_t *s = c->s;
    char hash[65];
    audit_hash(a, s->audit_prev, hash);
    sqlite3_stmt *st = stmt(c, ST_AUDIT_INSERT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, a->at);
    if (a->user_pk)
        sqlite3_bind_int64(st, 2, a->user_pk);
    else
        sqlite3_bind_null(st, 2);
    bind_text_or_null(st, 3, a->username[0] ? a->username : NULL);
    bind_text_or_null(st, 4, a->addr[0] ? a->addr : NULL);
    bind_text_or_null(st, 5, a->method);
    bind_text_or_null(st, 6, a->route);
    bind_text_or_null(st, 7, a->entity_id[0] ? a->entity_id : NULL);
    sqlite3_bind_int(st, 8, a->status);
    bind_text_or_null(st, 9, s->audit_prev);
    bind_text_or_null(st, 10, hash);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        memcpy(s->audit_prev, hash, sizeof hash);
    return rc;
}

/* Queues fn(ctx) for the writer without waiting; the writer frees ctx
 * (a malloc'd copy) after running it. Waits only when the queue is full. */
static void enqueue_async(store_t *s, store_job_fn fn, void *ctx, size_t size)
{
    job_t *j = awda_calloc(1, sizeof *j);
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
    if (s->q_tail)
        s->q_tail->next = j;
    else
        s->q_head = j;
    s->q_tail = j;
    pthread_cond_signal(&s->q_cond);
    pthread_mutex_unlock(&s->q_lock);
}

void store_audit(store_t *s, const store_audit_t *a)
{
    enqueue_async(s, audit_job, (void *)a, sizeof *a);
}

typedef struct {
    char token_hash[65];
    int64_t at;
} touch_t;

static int touch_job(store_conn_t *c, void *ctx)
{
    const touch_t *t = ctx;
    sqlite3_stmt *st = stmt(c, ST_SESSION_TOUCH);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, t->at);
    bind_text_or_null(st, 2, t->token_hash);
    return step_done(c, st);
}

void store_session_touch(store_t *s, const char *token_hash, int64_t now_ms)
{
    touch_t t;
    snprintf(t.token_hash, sizeof t.token_hash, "%s", token_hash);
    t.at = now_ms;
    enqueue_async(s, touch_job, &t, sizeof t);
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
                                               (json_int_t)last, "at", col_time(st, 1), "user",
                                               col_str(st, 2), "addr", col_str(st, 3), "method",
                                               col_str(st, 4), "route", col_str(st, 5), "entity_id",
                                               col_str(st, 6), "status", sqlite3_column_int(st, 7),
                                               "hash", col_str(st, 8)));
        n++;
    }
    char cur[32];
    snprintf(cur, sizeof cur, "%lld", (long long)last);
    return json_pack("{s:o,s:o}", "items", items, "next_cursor",
                     more ? json_string(cur) : json_null());
}

/* ---- addresses users signed in from (migration 12) ----------------------- */

int store_sign_in_known(store_conn_t *c, int64_t user_pk, const char *addr, int64_t since_ms)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT 1 FROM sign_in_addresses WHERE user_pk=? AND addr=? AND "
                           "last_at>=?",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORE_ERR;
    }
    sqlite3_bind_int64(st, 1, user_pk);
    sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, since_ms);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR;
}

int store_sign_in_note(store_conn_t *c, int64_t user_pk, const char *addr, int64_t now_ms, int keep)
{
    static const char *const SQL[] = {
        "INSERT INTO sign_in_addresses(user_pk,addr,last_at) VALUES(?1,?2,?3) "
        "ON CONFLICT(user_pk,addr) DO UPDATE SET last_at=excluded.last_at",
        "DELETE FROM sign_in_addresses WHERE user_pk=?1 AND addr NOT IN (SELECT addr FROM "
        "sign_in_addresses WHERE user_pk=?1 ORDER BY last_at DESC LIMIT ?2)",
    };
    for (size_t i = 0; i < sizeof SQL / sizeof SQL[0]; i++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(c->db, SQL[i], -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, user_pk);
            if (i == 0) {
                sqlite3_bind_text(st, 2, addr, -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 3, now_ms);
            } else {
                sqlite3_bind_int(st, 2, keep);
            }
            rc = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            awda_log(LOG_ERROR, "sign_in_note", "\"sqlite\":\"%s\"", sqlite3_errmsg(c->db));
            return STORE_ERR;
        }
    }
    return STORE_OK;
}

int store_sign_in_purge(store_conn_t *c, int64_t before_ms)
{
    return run_ii(c, "DELETE FROM sign_in_addresses WHERE last_at<?", before_ms, 0);
}

json_t *store_audit_list(store_conn_t *c, const char *entity_id, const char *username,
                         int64_t before_pk, int limit)
{
    sqlite3_stmt *st = stmt(c, ST_AUDIT_LIST);
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

json_t *store_audit_list_scoped(store_conn_t *c, const char *entity_id, const char *username,
                                const int64_t *offices, int nof, const char *projects,
                                int64_t before_pk, int limit)
{
    /* A record is about a case when its route is one of /cases/{id}...,
     * about a person when /persons/{id}...; the case (or one case of the
     * person) must be in the scope: an office of the user as host or
     * receiving office, or one of their projects. Everything else (sign-
     * ins, lists, administration, restrictions) is not shown. */
    static const char sql[] =
        "SELECT pk,at,username,addr,method,route,entity_id,status,hash FROM audit a "
        "WHERE (?1 IS NULL OR entity_id=?1) AND (?2 IS NULL OR username=?2) AND pk<?3 AND "
        "((substr(route,1,18)='/api/v1/cases/{id}' AND EXISTS(SELECT 1 FROM cases c "
        "WHERE c.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "
        "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "
        "c.project IN (SELECT value FROM json_each(?6))))) OR "
        "(substr(route,1,20)='/api/v1/persons/{id}' AND EXISTS(SELECT 1 FROM persons p "
        "JOIN case_members cm ON cm.person_pk=p.pk JOIN cases c ON c.pk=cm.case_pk "
        "WHERE p.id=a.entity_id AND (c.office_pk IN (SELECT value FROM json_each(?5)) OR "
        "c.receiving_office_pk IN (SELECT value FROM json_each(?5)) OR "
        "c.project IN (SELECT value FROM json_each(?6)))))) ORDER BY pk DESC LIMIT ?4";
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    bind_text_or_null(st, 1, entity_id);
    bind_text_or_null(st, 2, username);
    sqlite3_bind_int64(st, 3, before_pk > 0 ? before_pk : INT64_MAX);
    sqlite3_bind_int(st, 4, limit + 1);
    char *scope = offices_json(offices, nof < 0 ? 0 : nof);
    bind_text_or_null(st, 5, scope);
    free(scope);
    bind_text_or_null(st, 6, projects ? projects : "[]");
    json_t *page = audit_page(st, limit);
    sqlite3_finalize(st);
    return page;
}

/* ---- the staff of an office ------------------------------------------- */

json_t *store_office_staff(store_conn_t *c, int64_t office_pk)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT u.username, u.full_name, u.roles FROM users u "
                           "JOIN user_offices uo ON uo.user_pk = u.pk "
                           "WHERE uo.office_pk = ? AND u.disabled = 0 "
                           "ORDER BY coalesce(u.full_name, u.username), u.username",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, office_pk);
    unsigned outside = roles_mask("partner,donor");
    json_t *items = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW &&
           json_array_size(items) < AWDA_MAX_OFFICE_STAFF) {
        unsigned roles = roles_mask((const char *)sqlite3_column_text(st, 2));
        if (!(roles & ~outside))
            continue;
        json_array_append_new(items,
                              json_pack("{s:o,s:o,s:o}", "username", col_str(st, 0), "full_name",
                                        col_str(st, 1), "roles",
                                        roles_json((const char *)sqlite3_column_text(st, 2))));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}
