/*
 * duplicates.c — the reads and writes behind the duplicates module: the
 * blocking keys written and read, the candidates' rows, the pairs
 * flagged, the reindex (issue 13; duplicates.h says what each does).
 *
 * Keys are made in dup_keys.c (dup_keys_make, dup_probes_make); here
 * they are written beside the person (store_dup_keys_write).
 *
 * Candidates. Each probe key is read with a LIMIT one past
 * AWDA_DUP_POSTINGS_MAX: a key that has more postings is skipped (a
 * common pair decides nothing); the others add weight / (postings + 8) to
 * each person found (dup_support.h, shared with the bulk flagging of an
 * import); the best supported are returned for scoring.
 */
#include "duplicates.h"
#include "dup_support.h"
#include <pthread.h>
#include <stdlib.h>
#include "internal.h"
#include "../text/namekey.h"

/* ---- writing keys --------------------------------------------------------- */

static store_stmt_t Q_KEY_PUT = {
    .sql = "INSERT OR IGNORE INTO person_dup_keys(key,person_pk) VALUES(?,?)"};
static store_stmt_t Q_KEYS_DROP = {.sql = "DELETE FROM person_dup_keys WHERE person_pk=?"};

static int keys_clear(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_KEYS_DROP);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    return step_done(c, st);
}

/* Inserts person pk's keys (made[0..nmade) when made is not NULL, else
 * made from p); a new person's are kept for the end of the job when a key
 * batch is open (store_keys_batch_begin). */
static int keys_put(store_conn_t *c, int64_t pk, const dup_names_t *p, int is_new,
                    const int64_t *made, int nmade)
{
    int64_t own[AWDA_DUP_KEYS_MAX];
    const int64_t *keys = made;
    int n = nmade;
    if (!keys) {
        n = dup_keys_make(p, own, AWDA_DUP_KEYS_MAX);
        keys = own;
    }
    for (int i = 0; i < n; i++) {
        int kept = is_new ? store_keys_batch_add(c, STORE_KEYS_DUP, keys[i], pk) : 0;
        if (kept < 0)
            return STORE_ERR;
        if (kept)
            continue;
        sqlite3_stmt *st = stmt(c, &Q_KEY_PUT);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, keys[i]);
        sqlite3_bind_int64(st, 2, pk);
        int rc = step_done(c, st);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

int store_dup_keys_write(store_conn_t *c, int64_t pk, const json_t *p, int is_new,
                         const int64_t *keys, int n)
{
    int rc = is_new ? STORE_OK : keys_clear(c, pk);
    if (rc != STORE_OK)
        return rc;
    dup_names_t nm = {jstr(p, "name"), jstr(p, "name_latin"), jstr(p, "date_of_birth")};
    return keys_put(c, pk, &nm, is_new, keys, n);
}

int store_dup_keys_remove(store_conn_t *c, int64_t pk)
{
    return keys_clear(c, pk);
}

/* ---- candidates ------------------------------------------------------------ */

static store_stmt_t Q_POSTINGS = {
    .sql = "SELECT person_pk FROM person_dup_keys WHERE key=?1 LIMIT ?2"};

static pthread_key_t support_key;
static pthread_once_t support_once = PTHREAD_ONCE_INIT;

static void support_key_make(void)
{
    pthread_key_create(&support_key, free);
}

/* The calling thread's accumulator, emptied: made on its first query,
 * freed when the thread ends. */
static dup_support_t *thread_support(void)
{
    pthread_once(&support_once, support_key_make);
    dup_support_t *mine = pthread_getspecific(support_key);
    if (mine) {
        dup_support_reset(mine);
        return mine;
    }
    mine = dup_support_new();
    if (mine && pthread_setspecific(support_key, mine) != 0) {
        free(mine);
        mine = NULL;
    }
    return mine;
}

#define DUP_COMMON_SLOTS 4096 /* a power of two */

/* Keys found too common lately, per thread (direct-mapped by the key's low
 * bits), of one connection and database file (another one forgets them):
 * not read again for AWDA_DUP_COMMON_KEY_SECONDS; a key of more than
 * AWDA_DUP_POSTINGS_MAX persons rarely drops under it, and one that just
 * did adds next to nothing to anyone's support. */
typedef struct {
    struct {
        int64_t key, at_ms;
    } slot[DUP_COMMON_SLOTS];
    sqlite3 *db;
    uint64_t path_hash;
} common_keys_t;

static pthread_key_t common_key;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;

static void common_key_make(void)
{
    pthread_key_create(&common_key, free);
}

static common_keys_t *common_keys(store_conn_t *c)
{
    pthread_once(&common_once, common_key_make);
    common_keys_t *t = pthread_getspecific(common_key);
    if (!t && (t = calloc(1, sizeof *t)) != NULL && pthread_setspecific(common_key, t) != 0) {
        free(t);
        t = NULL;
    }
    if (!t)
        return NULL;
    const char *path = sqlite3_db_filename(c->db, "main");
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (const char *p = path ? path : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    if (t->db != c->db || t->path_hash != h) {
        memset(t->slot, 0, sizeof t->slot);
        t->db = c->db;
        t->path_hash = h;
    }
    return t;
}

int store_dup_candidates(store_conn_t *c, const dup_probe_t *probes, int n, int64_t self_pk,
                         int64_t *out, double *support, int max)
{
    dup_support_t *t = thread_support();
    common_keys_t *ck = common_keys(c);
    if (!t || !ck)
        return -1;
    int64_t post[AWDA_DUP_POSTINGS_MAX + 1], now = awda_now_ms();
    for (int i = 0; i < n; i++) {
        size_t ci = (size_t)((uint64_t)probes[i].key & (DUP_COMMON_SLOTS - 1));
        if (ck->slot[ci].key == probes[i].key && now >= ck->slot[ci].at_ms &&
            now - ck->slot[ci].at_ms < AWDA_DUP_COMMON_KEY_SECONDS * 1000LL)
            continue; /* too common, lately */
        sqlite3_stmt *st = stmt(c, &Q_POSTINGS);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, probes[i].key);
        sqlite3_bind_int(st, 2, AWDA_DUP_POSTINGS_MAX + 1);
        int np = 0, s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW && np <= AWDA_DUP_POSTINGS_MAX)
            post[np++] = sqlite3_column_int64(st, 0);
        done(st, 0);
        if (s != SQLITE_ROW && s != SQLITE_DONE)
            return -1;
        if (np > AWDA_DUP_POSTINGS_MAX) { /* too common to tell anyone apart */
            ck->slot[ci].key = probes[i].key;
            ck->slot[ci].at_ms = now;
            continue;
        }
        dup_support_add(t, post, np, probes[i].weight, self_pk);
    }
    return dup_support_top(t, out, support, max);
}

static store_stmt_t Q_PRESCORE = {
    .sql = "SELECT coalesce(date_of_birth,''),coalesce(dob_precision,''),coalesce(sex,''),"
           "coalesce(nationality,'') FROM persons WHERE pk=?1"};

/* Column col of st into out (cap bytes), cut at cap - 1. */
static void col_copy(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t || n >= cap)
        n = t ? cap - 1 : 0;
    if (n)
        memcpy(out, t, n);
    out[n] = '\0';
}

int store_dup_prescore_rows(store_conn_t *c, const int64_t *pks, int n, dup_prescore_t *out)
{
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = stmt(c, &Q_PRESCORE);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pks[i]);
        memset(&out[i], 0, sizeof out[i]);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            col_copy(st, 0, out[i].dob, sizeof out[i].dob);
            col_copy(st, 1, out[i].prec, sizeof out[i].prec);
            col_copy(st, 2, out[i].sex, sizeof out[i].sex);
            col_copy(st, 3, out[i].nationality, sizeof out[i].nationality);
        }
        done(st, 0);
        if (s != SQLITE_ROW && s != SQLITE_DONE)
            return STORE_ERR;
    }
    return STORE_OK;
}

/* ---- the candidates' rows --------------------------------------------------- */

#define DUP_PERSON_COLS                                                                            \
    "p.pk,p.id,p.name,p.name_latin,p.sex,p.date_of_birth,p.dob_precision,p.nationality,"           \
    "(SELECT json_group_array(d.number) FROM person_documents d WHERE d.person_pk=p.pk)"
#define DUP_CASES_OF                                                                               \
    "(SELECT json_group_array(json_object('id',c.id,'number',c.number,'office',o.code,"            \
    "'office_pk',c.office_pk,'receiving_pk',coalesce(c.receiving_office_pk,0),'project',"          \
    "c.project)) FROM case_members cm JOIN cases c ON c.pk=cm.case_pk JOIN offices o ON "          \
    "o.pk=c.office_pk WHERE cm.person_pk=p.pk)"

/* The candidates' rows without their cases (read for the few answered). */
static store_stmt_t Q_PERSONS = {
    .sql = "SELECT " DUP_PERSON_COLS ",NULL FROM json_each(?1) j JOIN persons p ON "
           "p.pk=j.value WHERE p.anonymised_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
           "duplicate_pairs x WHERE x.person_a=min(?2,p.pk) AND x.person_b=max(?2,p.pk) AND "
           "x.status='not_same')"};
static store_stmt_t Q_PERSON = {.sql = "SELECT " DUP_PERSON_COLS "," DUP_CASES_OF
                                       " FROM persons p WHERE p.pk=?1"};
static store_stmt_t Q_CASES = {.sql = "SELECT " DUP_CASES_OF " FROM persons p WHERE p.pk=?1"};

static json_t *col_json(sqlite3_stmt *st, int col)
{
    json_t *v = json_loadb((const char *)sqlite3_column_text(st, col),
                           (size_t)sqlite3_column_bytes(st, col), 0, NULL);
    return v ? v : json_array();
}

static json_t *person_of(sqlite3_stmt *st)
{
    json_t *o = json_object();
    json_object_set_new(o, "pk", json_integer(sqlite3_column_int64(st, 0)));
    static const char *const names[] = {
        "id", "name", "name_latin", "sex", "date_of_birth", "dob_precision", "nationality"};
    for (int i = 0; i < 7; i++)
        if (sqlite3_column_type(st, 1 + i) != SQLITE_NULL)
            json_object_set_new(o, names[i], col_str(st, 1 + i));
    json_object_set_new(o, "documents", col_json(st, 8));
    if (sqlite3_column_type(st, 9) != SQLITE_NULL)
        json_object_set_new(o, "cases", col_json(st, 9));
    return o;
}

json_t *store_dup_person_cases(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASES);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? col_json(st, 0) : NULL;
    done(st, 0);
    return o;
}

json_t *store_dup_persons(store_conn_t *c, const int64_t *pks, int n, int64_t self_pk)
{
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "[");
    for (int i = 0; i < n; i++)
        sql_printf(&q, "%s%lld", i ? "," : "", (long long)pks[i]);
    sql_puts(&q, "]");
    char *arr = sql_take(&q);
    sqlite3_stmt *st = arr ? stmt(c, &Q_PERSONS) : NULL;
    if (!st) {
        free(arr);
        return NULL;
    }
    sqlite3_bind_text(st, 1, arr, -1, free);
    sqlite3_bind_int64(st, 2, self_pk);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, person_of(st));
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *store_dup_person(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? person_of(st) : NULL;
    done(st, 0);
    return o;
}

/* ---- pairs -------------------------------------------------------------------- */

static store_stmt_t Q_PAIR_PUT = {
    .sql = "INSERT OR IGNORE INTO duplicate_pairs(person_a,person_b,score,explanation,source,"
           "import_pk,status,created_at) VALUES(min(?1,?2),max(?1,?2),?3,?4,?5,?6,'open',?7)"};

int store_dup_pair_flag(store_conn_t *c, int64_t a, int64_t b, int score, const char *explanation,
                        const char *source, int64_t import_pk)
{
    if (a == b)
        return 0;
    sqlite3_stmt *st = stmt(c, &Q_PAIR_PUT);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int(st, 3, score < 0 ? 0 : score > 10000 ? 10000 : score);
    sqlite3_bind_text(st, 4, explanation, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, source, -1, SQLITE_TRANSIENT);
    if (import_pk > 0)
        sqlite3_bind_int64(st, 6, import_pk);
    else
        sqlite3_bind_null(st, 6);
    sqlite3_bind_int64(st, 7, awda_now_ms());
    if (step_done(c, st) != STORE_OK)
        return -1;
    return sqlite3_changes(c->db) > 0;
}

/* ---- reindex and backfill ------------------------------------------------------ */

static store_stmt_t Q_BACKFILL_GET = {.sql = "SELECT next_pk,upto_pk FROM person_dup_backfill"};
static store_stmt_t Q_BACKFILL_SET = {.sql = "UPDATE person_dup_backfill SET next_pk=?1"};
static store_stmt_t Q_KEY_COUNTS = {
    .sql = "SELECT (SELECT count(*) FROM person_dup_keys),(SELECT count(DISTINCT person_pk) "
           "FROM person_dup_keys)"};

long store_dup_reindex_batch(store_conn_t *c, int64_t from_pk, int limit, int64_t *next)
{
    /* Read the batch first (store_dup_rows_read resets its statement
     * before the writes), then write each person's keys. */
    dup_row_t *rows = calloc((size_t)limit, sizeof *rows);
    if (!rows)
        return -1;
    long n = store_dup_rows_read(c, from_pk, limit, rows, next);
    long out = n;
    for (long i = 0; i < n && out >= 0; i++) {
        dup_names_t p = {rows[i].name, rows[i].name_latin, rows[i].date_of_birth};
        if (keys_clear(c, rows[i].pk) != STORE_OK ||
            keys_put(c, rows[i].pk, &p, 0, NULL, 0) != STORE_OK)
            out = -1;
    }
    if (n > 0)
        dup_rows_free(rows, n);
    free(rows);
    return out;
}

/* ---- the whole reindex (awda duplicates reindex) -------------------------- */

static store_stmt_t Q_ALL_READ = {
    .sql = "SELECT pk,name,name_latin,date_of_birth FROM persons WHERE pk>=?1 AND "
           "anonymised_at IS NULL ORDER BY pk LIMIT ?2"};

long store_dup_rows_read(store_conn_t *c, int64_t from_pk, int limit, dup_row_t *rows,
                         int64_t *next)
{
    sqlite3_stmt *st = stmt(c, &Q_ALL_READ);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from_pk);
    sqlite3_bind_int(st, 2, limit);
    long n = 0;
    int s = SQLITE_DONE;
    while (n < limit && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rows[n].pk = sqlite3_column_int64(st, 0);
        const char *v[3];
        for (int k = 0; k < 3; k++)
            v[k] = (const char *)sqlite3_column_text(st, 1 + k);
        rows[n].name = v[0] ? strdup(v[0]) : NULL;
        rows[n].name_latin = v[1] ? strdup(v[1]) : NULL;
        rows[n].date_of_birth = v[2] ? strdup(v[2]) : NULL;
        n++;
    }
    done(st, 0);
    if (s != SQLITE_ROW && s != SQLITE_DONE) {
        dup_rows_free(rows, n);
        return -1;
    }
    *next = n ? rows[n - 1].pk + 1 : from_pk;
    return n;
}

void dup_rows_free(dup_row_t *rows, long n)
{
    for (long i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].name_latin);
        free(rows[i].date_of_birth);
    }
}

static int by_key(const void *a, const void *b)
{
    const dup_keyrow_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->person_pk < y->person_pk ? -1 : x->person_pk > y->person_pk;
}

int store_dup_keys_insert(store_conn_t *c, dup_keyrow_t *rows, size_t n)
{
    qsort(rows, n, sizeof *rows, by_key); /* in index order: pages touched once */
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st = stmt(c, &Q_KEY_PUT);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, rows[i].key);
        sqlite3_bind_int64(st, 2, rows[i].person_pk);
        int rc = step_done(c, st);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

int store_dup_reindex_begin(store_conn_t *c)
{
    /* Every key goes; the index by person is made again at the end, in one
     * sorted pass, rather than kept up to date row by row. */
    return store_exec(c->db, "PRAGMA cache_size=-262144; DROP INDEX IF EXISTS "
                             "person_dup_keys_person; DELETE FROM person_dup_keys; "
                             "UPDATE person_dup_backfill SET next_pk=upto_pk+1");
}

int store_dup_reindex_finish(store_conn_t *c)
{
    return store_exec(c->db, "CREATE INDEX IF NOT EXISTS person_dup_keys_person ON "
                             "person_dup_keys(person_pk); PRAGMA cache_size=-16000");
}

int store_dup_backfill_state(store_conn_t *c, int64_t *next, int64_t *upto)
{
    sqlite3_stmt *st = stmt(c, &Q_BACKFILL_GET);
    if (!st)
        return 0;
    int left = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *next = sqlite3_column_int64(st, 0);
        *upto = sqlite3_column_int64(st, 1);
        left = *next <= *upto;
    }
    done(st, 0);
    return left;
}

int store_dup_backfill_set(store_conn_t *c, int64_t next)
{
    sqlite3_stmt *st = stmt(c, &Q_BACKFILL_SET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, next);
    return step_done(c, st);
}

int store_dup_key_counts(store_conn_t *c, long long *keys, long long *persons)
{
    sqlite3_stmt *st = stmt(c, &Q_KEY_COUNTS);
    if (!st)
        return STORE_ERR;
    int rc = STORE_ERR;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *keys = sqlite3_column_int64(st, 0);
        *persons = sqlite3_column_int64(st, 1);
        rc = STORE_OK;
    }
    return done(st, rc);
}
