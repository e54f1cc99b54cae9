/*
 * persons.c — persons in the store: their row, documents and name keys,
 * and the name search.
 *
 * The columns of a person come from the field table AWDA_PERSON
 * (core/entities.c); the insert, update and read statements are built
 * from it at first use. Sealed columns (protection concerns) are bound
 * sealed (store_bind_person_sealed, sealing.c) and opened on reading.
 *
 * Every name is also kept as name keys (text/norm.c: folded across
 * scripts) in person_name_keys, and every pair of two different keys of
 * a person, once, smaller key first, in person_name_pairs (migrations 15
 * and 25). A search matches every query key by prefix, the scope
 * (offices, receiving offices, projects) bound as a JSON array. The
 * answer is ordered as a scan of the driving key's range finds it: by
 * the first key of that range the person has, then by person.
 *   - One key, or keys of which one begins another: the rarest key drives
 *     a range scan of the key index, each other key must match another
 *     key of the same person (Q_SEARCH[n - 1]).
 *   - Otherwise the pairs drive (pair_search): of the rarest key and the
 *     rarest one that can be its pair, the one sorting first drives; for
 *     each distinct key k of its range (one seek each), the persons with
 *     a pair (k, k2), k2 in the other's range, however common each word
 *     is alone: each pair (k, k2) is a run of the index in person order,
 *     and the runs are merged, so that a page reads about as many rows
 *     as it keeps (pair_merge_t). Further keys and the scope are checked
 *     per person found (Q_PAIR_CHECK). At most AWDA_SEARCH_SCAN_MAX rows
 *     are examined; beyond, the answer holds the persons found so far.
 */
#include "internal.h"
#include "duplicates.h"

static char *person_insert_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "INSERT INTO persons(id,created_at,updated_at");
    store_col_names(&q, &AWDA_PERSON);
    sql_puts(&q, ") VALUES(?,?,?");
    store_col_marks(&q, &AWDA_PERSON);
    sql_puts(&q, ")");
    return sql_take(&q);
}

static char *person_update_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "UPDATE persons SET updated_at=?");
    store_col_sets(&q, &AWDA_PERSON);
    sql_puts(&q, " WHERE pk=?");
    return sql_take(&q);
}

/* The documents come along as one JSON array, in the order recorded. */
void store_person_select(sql_t *q)
{
    sql_puts(q, "persons.pk,persons.id,persons.created_at,persons.updated_at,(SELECT "
                "json_group_array(json_object('type',type,'number',number,'issuing_country',"
                "issuing_country,'expiry',expiry)) FROM (SELECT * FROM person_documents d WHERE "
                "d.person_pk=persons.pk ORDER BY d.pk))");
    store_col_names(q, &AWDA_PERSON);
}

static char *person_get_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT ");
    store_person_select(&q);
    sql_puts(&q, " FROM persons WHERE pk=?");
    return sql_take(&q);
}

static store_stmt_t Q_PERSON_INSERT = {.build = person_insert_sql};
static store_stmt_t Q_PERSON_UPDATE = {.build = person_update_sql};
static store_stmt_t Q_PERSON_GET = {.build = person_get_sql};
static store_stmt_t Q_PERSON_PK = {.sql = "SELECT pk FROM persons WHERE id=?"};
static store_stmt_t Q_DOC_INSERT = {.sql = "INSERT INTO person_documents(person_pk,type,number,"
                                           "issuing_country,expiry) VALUES(?,?,?,?,?)"};
static store_stmt_t Q_DOCS_CLEAR = {.sql = "DELETE FROM person_documents WHERE person_pk=?"};
static store_stmt_t Q_KEY_INSERT = {.sql = "INSERT OR IGNORE INTO person_name_keys(key,person_pk) "
                                           "VALUES(?,?)"};
static store_stmt_t Q_KEYS_CLEAR = {.sql = "DELETE FROM person_name_keys WHERE person_pk=?"};
static store_stmt_t Q_PAIRS_CLEAR = {.sql = "DELETE FROM person_name_pairs WHERE person_pk=?"};
/* The pairs are made from the keys just written, each pair once with
 * its smaller key first (as migration 15 made them for the persons
 * before it, and migration 25 halved them). */
static store_stmt_t Q_PAIRS_FILL = {
    .sql = "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) SELECT a.key,b.key,"
           "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
           "b.person_pk=a.person_pk AND a.key<b.key WHERE a.person_pk=?1"};
static store_stmt_t Q_PERSON_CASES = {
    .sql = "SELECT c.id,c.number,o.code,(SELECT code FROM offices WHERE "
           "pk=c.receiving_office_pk) FROM case_members cm JOIN cases c "
           "ON c.pk=cm.case_pk JOIN offices o ON o.pk=c.office_pk WHERE "
           "cm.person_pk=? ORDER BY c.pk"};
static store_stmt_t Q_KEY_FREQ = {
    .sql = "SELECT count(*) FROM (SELECT 1 FROM person_name_keys WHERE key>=? "
           "AND key<? LIMIT ?)"};
static store_stmt_t Q_PERSON_SUMMARY = {
    .sql = "SELECT id,name,name_latin,sex,date_of_birth,nationality FROM persons WHERE pk=?"};
static store_stmt_t Q_SUMMARY_CASES = {
    .sql = "SELECT c.id,c.number,o.code,c.pk,c.office_pk,c.receiving_office_pk,c.project FROM "
           "case_members cm JOIN cases c ON c.pk=cm.case_pk JOIN offices o ON o.pk=c.office_pk "
           "WHERE cm.person_pk=?"};

/* Writes a person's documents and name keys; is_new skips removing the
 * old ones. */
static int person_children(store_conn_t *c, int64_t pk, const json_t *p, int is_new)
{
    sqlite3_stmt *st;
    int rc;
    if (!is_new) {
        if (!(st = stmt(c, &Q_DOCS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(p, "documents"), i, d)
    {
        if (!(st = stmt(c, &Q_DOC_INSERT)))
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
        if (!(st = stmt(c, &Q_KEYS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
        if (!(st = stmt(c, &Q_PAIRS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    /* the keys made before the job (an import's batch, key_ready.c) or
     * here */
    store_person_keys_t made;
    int ready = store_keys_ready_find(c, p, &made);
    const char *text = ready ? made.text : NULL;
    static const char *names[] = {"name", "name_latin"};
    /* an import's batch keeps them for its end, in key order (key_batch.c) */
    awda_name_keys_t keys[2];
    const char *all[2 * (2 * AWDA_SEARCH_MAX_TERMS + 8)];
    int nall = 0;
    for (int k = 0; k < (ready ? 1 : 2); k++) {
        const char *nm = jstr(p, names[k]);
        if (!ready && (!nm || awda_name_keys(nm, strlen(nm), 1, &keys[k]) < 0))
            continue;
        int count = ready ? made.ntext : keys[k].count;
        for (int j = 0; j < count; j++) {
            const char *key = ready ? text : keys[k].key[j];
            if (ready)
                text += strlen(text) + 1;
            if (nall < (int)(sizeof all / sizeof all[0]))
                all[nall++] = key;
        }
    }
    int kept = is_new ? store_keys_batch_names(c, pk, all, nall) : 0;
    if (kept < 0)
        return STORE_ERR;
    if (!kept) { /* one by one, the pairs from the rows just written */
        for (int j = 0; j < nall; j++) {
            if (!(st = stmt(c, &Q_KEY_INSERT)))
                return STORE_ERR;
            sqlite3_bind_text(st, 1, all[j], -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, pk);
            if ((rc = step_done(c, st)))
                return rc;
        }
        if (!(st = stmt(c, &Q_PAIRS_FILL)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    if ((rc = store_person_search_keys_write(c, pk, p, is_new, ready ? made.search : NULL,
                                             ready ? made.nsearch : 0)))
        return rc;
    /* the blocking keys of the duplicates module (duplicates.c) */
    return store_dup_keys_write(c, pk, p, is_new, ready ? made.dup : NULL, ready ? made.ndup : 0);
}

int store_person_insert(store_conn_t *c, const json_t *p, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, now);
    if (store_bind_cols(st, 4, &AWDA_PERSON, p) < 0 ||
        store_bind_person_sealed(c->s, st, 4, p, id_out) != STORE_OK)
        return done(st, STORE_ERR);
    int rc = step_done(c, st);
    if (rc)
        return rc;
    *pk_out = sqlite3_last_insert_rowid(c->db);
    return person_children(c, *pk_out, p, 1);
}

int store_person_update(store_conn_t *c, int64_t pk, const json_t *p)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON_UPDATE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    int idx = store_bind_cols(st, 2, &AWDA_PERSON, p);
    if (idx < 0)
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, idx, pk);
    char id[40];
    if (store_person_id_of(c, pk, id, sizeof id) != STORE_OK ||
        store_bind_person_sealed(c->s, st, 2, p, id) != STORE_OK)
        return done(st, STORE_ERR);
    int rc = step_done(c, st);
    return rc ? rc : person_children(c, pk, p, 0);
}

int64_t store_person_pk(store_conn_t *c, const char *id)
{
    return store_lookup_pk(c, &Q_PERSON_PK, id);
}

static json_t *person_cases(store_conn_t *c, int64_t pk)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = stmt(c, &Q_PERSON_CASES);
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

json_t *store_person_row(store_conn_t *c, sqlite3_stmt *st, int base)
{
    json_t *o = json_object();
    const char *id = (const char *)sqlite3_column_text(st, base + 1);
    int col = base + 5;
    for (size_t i = 0; i < AWDA_PERSON.nfields; i++) {
        const awda_field_t *f = &AWDA_PERSON.fields[i];
        if (strcmp(f->name, "id") == 0) {
            json_object_set_new(o, "id", col_str(st, base + 1));
        } else if (strcmp(f->name, "created_at") == 0) {
            json_object_set_new(o, "created_at", store_col_time(st, base + 2));
        } else if (strcmp(f->name, "updated_at") == 0) {
            json_object_set_new(o, "updated_at", store_col_time(st, base + 3));
        } else if (strcmp(f->name, "documents") == 0) {
            json_t *docs = json_loadb((const char *)sqlite3_column_text(st, base + 4),
                                      (size_t)sqlite3_column_bytes(st, base + 4), 0, NULL);
            json_object_set_new(o, "documents", docs ? docs : json_array());
        } else if (is_col(f) && store_sealed_class(f)) {
            json_object_set_new(o, f->name,
                                store_unseal_person_value(
                                    c->s, id, f->name, (const char *)sqlite3_column_text(st, col)));
            col++;
        } else if (is_col(f)) {
            json_object_set_new(o, f->name, store_col_json(st, col++, f));
        }
    }
    return o;
}

json_t *store_person_get(store_conn_t *c, int64_t pk, int with_cases)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    if (sqlite3_step(st) != SQLITE_ROW) {
        done(st, 0);
        return NULL;
    }
    json_t *o = store_person_row(c, st, 0);
    done(st, 0);
    if (with_cases)
        json_object_set_new(o, "cases", person_cases(c, pk));
    return o;
}

#define SEARCH_PROBE 5000

static store_stmt_t Q_SEARCH[AWDA_SEARCH_MAX_TERMS];

/* Name search with n terms (n = the index of d in Q_SEARCH + 1): the
 * first term drives a range scan of the key index; every further term
 * must match another key of the same person. The parameter after the
 * terms scopes to offices (a JSON array of office pks) or is NULL for
 * every office; then the limit, then the projects. */
static char *search_sql(const store_stmt_t *d)
{
    int t = (int)(d - Q_SEARCH) + 1;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT DISTINCT k.person_pk FROM person_name_keys k WHERE k.key>=?1 "
                 "AND k.key<?2");
    for (int i = 1; i < t; i++)
        sql_printf(&q,
                   " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE "
                   "k%d.person_pk=k.person_pk AND k%d.key>=?%d AND k%d.key<?%d)",
                   i, i, i, 2 * i + 1, i, 2 * i + 2);
    sql_printf(&q,
               " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
               "c.pk=cm.case_pk WHERE cm.person_pk=k.person_pk AND (c.office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.project IN "
               "(SELECT value FROM json_each(?%d))))) LIMIT ?%d",
               2 * t + 1, 2 * t + 1, 2 * t + 1, 2 * t + 3, 2 * t + 2);
    return sql_take(&q);
}

static store_stmt_t Q_SEARCH[AWDA_SEARCH_MAX_TERMS] = {
    [0 ... AWDA_SEARCH_MAX_TERMS - 1] = {.build = search_sql},
};

void store_probe_counts(int n, int probe, int (*count)(void *ctx, int i, int cap), void *ctx,
                        int *out)
{
    static const int caps[] = {64, 512};
    int open = n;
    for (int i = 0; i < n; i++)
        out[i] = -1; /* still counting */
    for (size_t l = 0; l <= sizeof caps / sizeof caps[0] && open > 1; l++) {
        int cap = l < sizeof caps / sizeof caps[0] && caps[l] < probe ? caps[l] : probe;
        for (int i = 0; i < n; i++) {
            if (out[i] >= 0)
                continue;
            int k = count(ctx, i, cap);
            if (k < cap || cap == probe) {
                out[i] = k;
                open--;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (out[i] < 0)
            out[i] = probe;
}

typedef struct {
    store_conn_t *c;
    const awda_name_keys_t *q;
} freq_ctx_t;

int store_name_key_count(store_conn_t *c, const char *key, int cap)
{
    sqlite3_stmt *st = stmt(c, &Q_KEY_FREQ);
    if (!st)
        return cap;
    char hi[AWDA_NAME_KEY_MAX + 2];
    store_key_range(key, hi);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, cap);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : cap;
    done(st, 0);
    return n;
}

/* How many name keys start with query key i, counting no further than cap. */
static int key_frequency(void *ctx, int i, int cap)
{
    const freq_ctx_t *x = ctx;
    return store_name_key_count(x->c, x->q->key[i], cap);
}

static void copy_col(char *out, size_t cap, sqlite3_stmt *st, int col)
{
    const char *v = col_text(st, col);
    snprintf(out, cap, "%s", v ? v : "");
}

/* The cases of person pk into *cases (grown, at most
 * AWDA_SUMMARY_CASES_MAX): how many, -1 on error. */
static int summary_cases(store_conn_t *c, int64_t pk, store_summary_case_t **cases, int *cap)
{
    sqlite3_stmt *st = stmt(c, &Q_SUMMARY_CASES);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, pk);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == *cap) {
            int ncap = *cap ? 2 * *cap : 8;
            if (n >= AWDA_SUMMARY_CASES_MAX) {
                awda_log(LOG_ERROR, "person_summary", "\"reason\":\"over %d cases\"",
                         AWDA_SUMMARY_CASES_MAX);
                return done(st, -1);
            }
            store_summary_case_t *g = realloc(*cases, (size_t)ncap * sizeof *g);
            if (!g)
                return done(st, -1);
            *cases = g;
            *cap = ncap;
        }
        store_summary_case_t *x = &(*cases)[n++];
        copy_col(x->id, sizeof x->id, st, 0);
        copy_col(x->number, sizeof x->number, st, 1);
        copy_col(x->office, sizeof x->office, st, 2);
        x->pk = sqlite3_column_int64(st, 3);
        x->office_pk = sqlite3_column_int64(st, 4);
        x->receiving_office_pk = sqlite3_column_int64(st, 5);
        copy_col(x->project, sizeof x->project, st, 6);
    }
    return done(st, rc == SQLITE_DONE ? n : -1);
}

int store_person_summaries_each(store_conn_t *c, const int64_t *pks, int n, store_summary_fn fn,
                                void *ctx)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON_SUMMARY);
    if (!st)
        return STORE_ERR;
    store_summary_case_t *cases = NULL;
    int cap = 0, rc = STORE_OK;
    for (int i = 0; i < n && rc == STORE_OK; i++) {
        sqlite3_bind_int64(st, 1, pks[i]);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW) {
            store_summary_t s = {col_text(st, 0),
                                 col_text(st, 1),
                                 col_text(st, 2),
                                 col_text(st, 3),
                                 col_text(st, 4),
                                 col_text(st, 5),
                                 NULL,
                                 0};
            s.ncases = summary_cases(c, pks[i], &cases, &cap);
            s.cases = cases;
            rc = s.ncases < 0 ? STORE_ERR : fn(ctx, &s);
        } else if (step != SQLITE_DONE) {
            rc = STORE_ERR;
        }
        sqlite3_reset(st);
    }
    free(cases);
    done(st, 0);
    return rc;
}

/* ---- the pairs drive ---- */

/* The first k1 within [?1, ?2), then the next one after ?1 (one lower
 * bound each, so that each is one seek of the index). */
static store_stmt_t Q_KEY_FIRST = {
    .sql = "SELECT k1 FROM person_name_pairs WHERE k1>=?1 AND k1<?2 ORDER BY k1 LIMIT 1"};
static store_stmt_t Q_KEY_NEXT = {
    .sql = "SELECT k1 FROM person_name_pairs WHERE k1>?1 AND k1<?2 ORDER BY k1 LIMIT 1"};
/* The persons with the pair (?1, k2), k2 in [?2, ?3): ?1 the smaller key
 * (when k1 has more second keys than PAIR_STREAMS_MAX). */
static store_stmt_t Q_PAIR_ROWS = {
    .sql = "SELECT person_pk FROM person_name_pairs WHERE k1=?1 AND k2>=?2 AND k2<?3"};
/* The first k2 of k1 within [?2, ?3), then the next one after ?2. */
static store_stmt_t Q_K2_FIRST = {
    .sql = "SELECT k2 FROM person_name_pairs WHERE k1=?1 AND k2>=?2 AND k2<?3 ORDER BY k2 "
           "LIMIT 1"};
static store_stmt_t Q_K2_NEXT = {
    .sql = "SELECT k2 FROM person_name_pairs WHERE k1=?1 AND k2>?2 AND k2<?3 ORDER BY k2 "
           "LIMIT 1"};
/* The persons of the pair (?1, ?2) after person ?3, in order, at most ?4:
 * one seek of the primary key, then its rows as they lie. */
static store_stmt_t Q_PAIR_AFTER = {
    .sql = "SELECT person_pk FROM person_name_pairs WHERE k1=?1 AND k2=?2 AND person_pk>?3 "
           "ORDER BY person_pk LIMIT ?4"};
static store_stmt_t Q_PAIR_CHECK[AWDA_SEARCH_MAX_TERMS - 1];

/* Whether person ?1 matches the keys beyond the first two (x = the index
 * of d in Q_PAIR_CHECK: how many) and the scope: the keys at ?2.., then
 * the office scope, then the projects, as in search_sql. */
static char *pair_check_sql(const store_stmt_t *d)
{
    int x = (int)(d - Q_PAIR_CHECK);
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT 1 WHERE 1");
    for (int i = 0; i < x; i++)
        sql_printf(&q,
                   " AND EXISTS(SELECT 1 FROM person_name_keys k WHERE k.person_pk=?1 AND "
                   "k.key>=?%d AND k.key<?%d)",
                   2 * i + 2, 2 * i + 3);
    int sc = 2 * x + 2;
    sql_printf(&q,
               " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
               "c.pk=cm.case_pk WHERE cm.person_pk=?1 AND (c.office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.project IN "
               "(SELECT value FROM json_each(?%d)))))",
               sc, sc, sc, sc + 1);
    return sql_take(&q);
}

static store_stmt_t Q_PAIR_CHECK[AWDA_SEARCH_MAX_TERMS - 1] = {
    [0 ... AWDA_SEARCH_MAX_TERMS - 2] = {.build = pair_check_sql},
};

static int cmp_pk(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef char pkey_t[AWDA_NAME_KEY_MAX + 2];

/* The distinct k1 after prev (or the first at or after lo when prev is
 * empty) below hi, into out: 1, 0 when none is left, -1 on error. */
static int key_next(store_conn_t *c, const char *prev, const char *lo, const char *hi, pkey_t out)
{
    sqlite3_stmt *st = stmt(c, prev[0] ? &Q_KEY_NEXT : &Q_KEY_FIRST);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, prev[0] ? prev : lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, sizeof(pkey_t), "%s", (const char *)sqlite3_column_text(st, 0));
    done(st, 0);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Appends to cand (growing it) the persons of pair (k1, k2 in [lo, hi));
 * 0, or -1 on error. Counts the rows into *examined. */
static int pair_rows(sqlite3_stmt *rows, const char *k1, const char *lo, const char *hi,
                     int64_t **cand, size_t *ncand, size_t *cap, long *examined)
{
    sqlite3_bind_text(rows, 1, k1, -1, SQLITE_STATIC);
    sqlite3_bind_text(rows, 2, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(rows, 3, hi, -1, SQLITE_STATIC);
    int rc, err = 0;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW && *examined < AWDA_SEARCH_SCAN_MAX) {
        ++*examined;
        if (*ncand == *cap) {
            size_t ncap = *cap ? 2 * *cap : 64;
            int64_t *g = realloc(*cand, ncap * sizeof *g);
            if (!g) {
                err = 1;
                break;
            }
            *cand = g;
            *cap = ncap;
        }
        (*cand)[(*ncand)++] = sqlite3_column_int64(rows, 0);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = 1;
    sqlite3_reset(rows);
    return err ? -1 : 0;
}

#define PAIR_STREAMS_MAX 1024 /* second keys of one k1 merged in order; beyond, rows sorted */
#define PAIR_STREAM_ROWS 32   /* rows read ahead from one pair, at most */

/* One pair (k1, k2) read in person order: 2 rows first, then twice as
 * many each time, up to PAIR_STREAM_ROWS (most pairs give one or two
 * persons to a page of fifty). */
typedef struct {
    pkey_t k2;
    int64_t buf[PAIR_STREAM_ROWS];
    int len, pos, want;
    int more;      /* rows may follow buf */
    int64_t after; /* the last person read */
} stream_t;

/* The persons of k1 with a second key in [lo, hi), in person order (a
 * person of two such pairs twice in a row; pair_search keeps the first).
 * Each pair is a run of the primary key in person order: with at most
 * PAIR_STREAMS_MAX second keys, the runs are merged and little more is
 * read than is taken (before, a page of "abdallah ali" read 92,000 rows
 * to keep fifty); with more, every row is read and sorted. */
typedef struct {
    store_conn_t *c;
    const char *k1;
    stream_t *s;
    int ns;        /* the runs merged; -1: the sorted rows in cand instead */
    int scap;      /* room in s */
    int64_t *cand; /* the sorted rows (ns < 0) */
    size_t ncand, cap, next;
    long *examined;
} pair_merge_t;

/* The second keys of m->k1 within [lo, hi), in order, into m->s (grown):
 * how many, PAIR_STREAMS_MAX + 1 when there are more, -1 on error. */
static int k2_list(pair_merge_t *m, const char *lo, const char *hi)
{
    int n = 0;
    while (n <= PAIR_STREAMS_MAX) {
        if (n == m->scap) {
            int ncap = m->scap ? 2 * m->scap : 16;
            if (ncap > PAIR_STREAMS_MAX + 1)
                ncap = PAIR_STREAMS_MAX + 1;
            stream_t *g = realloc(m->s, (size_t)ncap * sizeof *g);
            if (!g)
                return -1;
            m->s = g;
            m->scap = ncap;
        }
        sqlite3_stmt *st = stmt(m->c, n ? &Q_K2_NEXT : &Q_K2_FIRST);
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, m->k1, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, n ? m->s[n - 1].k2 : lo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, hi, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            stream_t *x = &m->s[n++];
            snprintf(x->k2, sizeof x->k2, "%s", (const char *)sqlite3_column_text(st, 0));
            x->len = x->pos = 0;
            x->want = 2;
            x->more = 1;
            x->after = INT64_MIN;
            ++*m->examined;
        }
        done(st, 0);
        if (rc != SQLITE_ROW)
            return rc == SQLITE_DONE ? n : -1;
    }
    return n;
}

/* The next rows of pair (k1, x->k2) into x->buf: 0, or -1 on error. */
static int stream_fill(store_conn_t *c, const char *k1, stream_t *x, long *examined)
{
    sqlite3_stmt *st = stmt(c, &Q_PAIR_AFTER);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, k1, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->k2, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, x->after);
    sqlite3_bind_int(st, 4, x->want);
    x->len = x->pos = 0;
    int rc = SQLITE_DONE;
    while (x->len < x->want && (rc = sqlite3_step(st)) == SQLITE_ROW)
        x->buf[x->len++] = sqlite3_column_int64(st, 0);
    if (x->len == x->want)
        rc = SQLITE_DONE;
    done(st, 0);
    *examined += x->len;
    x->more = x->len == x->want;
    if (x->len)
        x->after = x->buf[x->len - 1];
    if (x->want < PAIR_STREAM_ROWS)
        x->want *= 2;
    return rc == SQLITE_DONE ? 0 : -1;
}

static int merge_start(pair_merge_t *m, sqlite3_stmt *rows, const char *lo, const char *hi)
{
    m->ns = k2_list(m, lo, hi);
    m->ncand = m->next = 0;
    if (m->ns < 0)
        return -1;
    if (m->ns <= PAIR_STREAMS_MAX)
        return 0;
    m->ns = -1;
    if (pair_rows(rows, m->k1, lo, hi, &m->cand, &m->ncand, &m->cap, m->examined) < 0)
        return -1;
    if (m->ncand > 1)
        qsort(m->cand, m->ncand, sizeof *m->cand, cmp_pk);
    return 0;
}

/* The next person: 1 (into *pk), 0 when none is left, -1 on error. A
 * person of two pairs comes twice, one after the other. */
static int merge_next(pair_merge_t *m, int64_t *pk)
{
    for (;;) {
        int64_t v;
        if (m->ns < 0) {
            if (m->next >= m->ncand)
                return 0;
            v = m->cand[m->next++];
        } else {
            int best = -1;
            for (int i = 0; i < m->ns; i++) {
                stream_t *x = &m->s[i];
                if (x->pos == x->len && x->more && stream_fill(m->c, m->k1, x, m->examined) < 0)
                    return -1;
                if (x->pos < x->len &&
                    (best < 0 || x->buf[x->pos] < m->s[best].buf[m->s[best].pos]))
                    best = i;
            }
            if (best < 0)
                return 0;
            v = m->s[best].buf[m->s[best].pos++];
        }
        *pk = v;
        return 1;
    }
}

/* The search through the pairs: keys[0] drives, keys[1] is its pair and
 * sorts after it (a pair is kept once, smaller key first: migration 25),
 * keys[2..nt) are checked per person. For each distinct key k of
 * keys[0]'s range, in order, the pairs (k, keys[1]'s range) give its
 * persons, by pk (pair_merge_t). Fills pks (at most max) in the order of
 * search_sql's scan of keys[0]; returns how many, or -1. */
static int pair_search(store_conn_t *c, const char *const *keys, int nt, const char *scope,
                       const char *projects, int64_t *pks, int max)
{
    pkey_t hi[AWDA_SEARCH_MAX_TERMS];
    for (int i = 0; i < nt; i++)
        store_key_range(keys[i], hi[i]);
    sqlite3_stmt *rows = stmt(c, &Q_PAIR_ROWS);
    if (!rows)
        return -1;
    int check_needed = nt > 2 || scope;
    sqlite3_stmt *chk = check_needed ? stmt(c, &Q_PAIR_CHECK[nt - 2]) : NULL;
    if (check_needed && !chk)
        return done(rows, -1);
    if (chk) {
        for (int i = 2; i < nt; i++) {
            sqlite3_bind_text(chk, 2 * (i - 2) + 2, keys[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(chk, 2 * (i - 2) + 3, hi[i], -1, SQLITE_STATIC);
        }
        bind_text_or_null(chk, 2 * (nt - 2) + 2, scope);
        bind_text_or_null(chk, 2 * (nt - 2) + 3, projects);
    }
    pkey_t k = "";
    long examined = 0;
    pair_merge_t m = {.c = c, .k1 = k, .examined = &examined};
    int n = 0, err = 0;
    while (n < max && examined < AWDA_SEARCH_SCAN_MAX && !err) {
        pkey_t nk;
        int rc = key_next(c, k, keys[0], hi[0], nk);
        if (rc <= 0) {
            err = rc < 0;
            break;
        }
        memcpy(k, nk, sizeof k);
        examined++;
        /* every person with k and a key of keys[1]'s range, by person */
        err = merge_start(&m, rows, keys[1], hi[1]) < 0;
        int64_t pk;
        while (!err && n < max && examined < AWDA_SEARCH_SCAN_MAX &&
               (rc = merge_next(&m, &pk)) != 0) {
            if (rc < 0) {
                err = 1;
                break;
            }
            int seen = 0;
            for (int j = 0; j < n && !seen; j++)
                seen = pks[j] == pk;
            if (seen)
                continue;
            if (chk) {
                sqlite3_bind_int64(chk, 1, pk);
                rc = sqlite3_step(chk);
                sqlite3_reset(chk);
                if (rc != SQLITE_ROW) {
                    err = rc != SQLITE_DONE;
                    continue;
                }
            }
            pks[n++] = pk;
        }
        if (examined >= AWDA_SEARCH_SCAN_MAX)
            awda_log(LOG_WARN, "person_search_capped", "\"examined\":%ld", examined);
    }
    free(m.cand);
    free(m.s);
    if (chk)
        done(chk, 0);
    done(rows, 0);
    return err ? -1 : n;
}

/* Whether one key begins the other (then one name key may match both,
 * which a pair of two different keys does not hold). */
static int key_begins(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return strncmp(a, b, la < lb ? la : lb) == 0;
}

/* Whether key b begins key a and is shorter: a's range is within b's, so
 * a is never the more common of the two (the counts stop at SEARCH_PROBE:
 * at equal counts, a drives). */
static int key_extends(const char *a, const char *b)
{
    size_t lb = strlen(b);
    return strlen(a) > lb && strncmp(a, b, lb) == 0;
}

int store_person_prefix_pks(store_conn_t *c, const awda_name_keys_t *q, int limit,
                            const char *scope, const char *proj, int64_t *pks)
{
    if (q->count < 1)
        return 0;
    int nt = q->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : q->count;
    /* The rarest key drives the scan: count each key's matches (up to
     * SEARCH_PROBE) and put the smallest first; at equal counts, a key
     * that extends another ("abebe berh": "brh" extends "b", and every
     * person with "brh…" has "b…") rather than the whole range of "b". */
    int order[AWDA_SEARCH_MAX_TERMS];
    int freq[AWDA_SEARCH_MAX_TERMS] = {0};
    for (int i = 0; i < nt; i++)
        order[i] = i;
    /* Two keys need no counts: neither begins the other, and they are a
     * pair whatever their counts (its first key is the one sorting first);
     * or one begins the other, and the longer drives either way (never the
     * more common, and at equal counts it drives). A third key needs
     * them: which two are the pair, which are checked. */
    if (nt > 2)
        store_probe_counts(nt, SEARCH_PROBE, key_frequency, &(freq_ctx_t){c, q}, freq);
    for (int i = 1; i < nt; i++) {
        if (freq[order[i]] < freq[order[0]] ||
            (freq[order[i]] == freq[order[0]] && key_extends(q->key[order[i]], q->key[order[0]]))) {
            int t = order[0];
            order[0] = order[i];
            order[i] = t;
        }
    }
    if (limit > AWDA_LIST_MAX)
        limit = AWDA_LIST_MAX;
    int n = 0;
    /* The pairs drive when a key that begins no other than the driving
     * one can be its pair: the rarest such one. */
    int pair = -1;
    for (int i = 1; i < nt; i++)
        if (!key_begins(q->key[order[0]], q->key[order[i]]) &&
            (pair < 0 || freq[order[i]] < freq[order[pair]]))
            pair = i;
    if (pair > 0) {
        int t = order[1];
        order[1] = order[pair];
        order[pair] = t;
        /* of the two, the one sorting first drives (its keys are the
         * pairs' first keys) */
        if (strcmp(q->key[order[1]], q->key[order[0]]) < 0) {
            t = order[0];
            order[0] = order[1];
            order[1] = t;
        }
        const char *keys[AWDA_SEARCH_MAX_TERMS];
        for (int i = 0; i < nt; i++)
            keys[i] = q->key[order[i]];
        n = limit > 0 ? pair_search(c, keys, nt, scope, proj, pks, limit) : 0;
        if (n < 0)
            return -1;
    } else {
        sqlite3_stmt *st = stmt(c, &Q_SEARCH[nt - 1]);
        if (!st)
            return -1;
        char hi[AWDA_SEARCH_MAX_TERMS][AWDA_NAME_KEY_MAX + 2];
        for (int i = 0; i < nt; i++) {
            store_key_range(q->key[order[i]], hi[i]);
            sqlite3_bind_text(st, 2 * i + 1, q->key[order[i]], -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2 * i + 2, hi[i], -1, SQLITE_TRANSIENT);
        }
        bind_text_or_null(st, 2 * nt + 1, scope);
        sqlite3_bind_int(st, 2 * nt + 2, limit);
        bind_text_or_null(st, 2 * nt + 3, proj);
        while (n < limit && sqlite3_step(st) == SQLITE_ROW)
            pks[n++] = sqlite3_column_int64(st, 0);
        done(st, 0);
    }
    return n;
}

int store_person_search(store_conn_t *c, const awda_name_keys_t *q, int limit,
                        const int64_t *offices, int nof, const char *projects, int64_t *pks)
{
    char *scope = store_offices_json(offices, nof);
    int n = store_person_prefix_pks(c, q, limit, scope, nof >= 0 ? projects : NULL, pks);
    free(scope);
    return n;
}
