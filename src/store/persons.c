/*
 * persons.c — persons in the store: their row, documents and name keys,
 * and the summaries of persons found.
 *
 * The columns of a person come from the field table AWDA_PERSON
 * (core/entities.c); the insert, update and read statements are built
 * from it at first use. Sealed columns (protection concerns) are bound
 * sealed (store_bind_person_sealed, sealing.c) and opened on reading.
 *
 * Every name is also kept as name keys (text/norm.c: folded across
 * scripts) in person_name_keys, and every pair of two different keys of
 * a person, once, smaller key first, in person_name_pairs (migrations 15
 * and 25). The name search over them is prefix_search.c.
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
