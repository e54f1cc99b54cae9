/*
 * merges.c — the rows of the review queue and of merges (declared in
 * merges.h): the possible duplicates (duplicate_pairs, migration 19), a
 * pair's decision, a merge of two persons and its undo (person_merges,
 * person_merge_rows, persons.merged_into_pk).
 *
 * The queue's reads and a pair's decision are in merge_queue.c.
 *
 * How a merge works. The tables that reference a person are read from the
 * schema at each merge (PRAGMA foreign_key_list of every table: a column
 * that references persons), so the merge covers case members, records,
 * documents, name keys, movements, plans, the ledger, survey responses,
 * activities… and whatever table a later migration adds, with no list to
 * keep up to date. Left out: persons itself (merged_into_pk),
 * duplicate_pairs (the pairs stay as they were decided) and this module's
 * own tables. For each such table and column, the rows naming the merged
 * person are read first (their key: the rowid, or for a table without one
 * its primary key columns other than the person's), then each is updated
 * to name the kept person and listed in person_merge_rows with its key.
 * When the update breaks a unique key the kept person already holds that
 * row: a row that is nothing but its key (a name key, a participant of the
 * same activity, a passenger of the same escort) says the same thing for
 * the kept person, so it is deleted and listed as dropped; any other row
 * (both persons members of one case, both on board one movement, in one
 * plan) is a conflict that a person must resolve: the merge stops and the
 * caller's transaction rolls back, nothing done.
 *
 * Undo walks the list backwards. A moved row must still be there naming
 * the kept person (else something has happened since that the undo would
 * lose — the kept person edited their documents, a member left the case,
 * a later merge took the rows further — and the undo is refused); a row
 * of keys only is put back for the merged person whatever happened to it.
 * Rows written for the kept person after the merge stay with them.
 *
 * Table and column names in the SQL built here come from the schema (and,
 * on undo, from this module's own rows, checked to be plain identifiers),
 * never from a request; values are bound.
 */
#include "internal.h"
#include "merges.h"
#include "../util/limits.h"
#include <ctype.h>

/* ---- the tables that reference a person ---- */

typedef struct {
    char table[64], col[64];
    int rowid;       /* the table has a rowid: rows are keyed by it */
    int nkey;        /* else its primary key columns other than col */
    char key[8][64]; /* (at most 8) */
    int keys_only;   /* no rowid, and every column is in the primary key */
} ref_t;

/* 1 when s is a plain identifier (letters, digits, _), as the tables and
 * columns of the schema are; never anything else is put in SQL text. */
static int ident_ok(const char *s)
{
    if (!s || !*s || strlen(s) >= 64)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static int excluded(const char *t)
{
    static const char *const NOT[] = {"persons", "duplicate_pairs", "person_merges",
                                      "person_merge_rows"};
    for (size_t i = 0; i < sizeof NOT / sizeof *NOT; i++)
        if (strcmp(t, NOT[i]) == 0)
            return 1;
    return strncmp(t, "sqlite_", 7) == 0;
}

/* Fills the shape of table.col into r (the table's columns and primary
 * key); STORE_OK, STORE_ERR (or STORE_NOTFOUND when the table or column
 * is not there). */
static int ref_shape(store_conn_t *c, const char *table, const char *col, ref_t *r)
{
    memset(r, 0, sizeof *r);
    if (!ident_ok(table) || !ident_ok(col))
        return STORE_NOTFOUND;
    snprintf(r->table, sizeof r->table, "%s", table);
    snprintf(r->col, sizeof r->col, "%s", col);
    char sql[160];
    sqlite3_stmt *st = NULL;
    /* PRAGMA index_list marks the primary key of a table without rowid as
     * origin "pk"; pragma_table_info gives each column's place in it. */
    snprintf(sql, sizeof sql,
             "SELECT (SELECT sql FROM sqlite_master WHERE type='table' AND name='%s') "
             "LIKE '%%WITHOUT ROWID%%'",
             table);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR;
    int without = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    r->rowid = !without;
    snprintf(sql, sizeof sql, "SELECT name,pk FROM pragma_table_info('%s') ORDER BY pk", table);
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR;
    int ncols = 0, npk = 0, has_col = 0, col_in_pk = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        int pk = sqlite3_column_int(st, 1);
        ncols++;
        if (strcmp(name, col) == 0) {
            has_col = 1;
            col_in_pk = pk > 0;
        }
        if (pk > 0) {
            npk++;
            if (strcmp(name, col) != 0 && r->nkey < 8)
                snprintf(r->key[r->nkey++], sizeof r->key[0], "%s", name);
        }
    }
    sqlite3_finalize(st);
    if (!has_col)
        return STORE_NOTFOUND;
    if (without && npk - col_in_pk != r->nkey)
        return STORE_ERR; /* a key of more than 8 columns: not in this schema */
    r->keys_only = without && col_in_pk && npk == ncols;
    return STORE_OK;
}

/* Every (table, column) that references persons(pk), but the excluded
 * ones, into refs (at most max); their number, -1 on failure. */
static int ref_list(store_conn_t *c, ref_t *refs, int max)
{
    sqlite3_stmt *st = NULL;
    const char *sql =
        "SELECT m.name,f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) "
        "f WHERE m.type='table' AND f.\"table\"='persons' ORDER BY m.name,f.\"from\"";
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    char names[64][2][64];
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *col = (const char *)sqlite3_column_text(st, 1);
        if (excluded(t))
            continue;
        if (n == 64 || !ident_ok(t) || !ident_ok(col)) {
            /* never merge part of a person: a reference this code cannot
             * follow stops the merge */
            awda_log(LOG_ERROR, "merge", "\"reason\":\"a reference to persons it cannot follow\"");
            sqlite3_finalize(st);
            return -1;
        }
        snprintf(names[n][0], 64, "%s", t);
        snprintf(names[n][1], 64, "%s", col);
        n++;
    }
    sqlite3_finalize(st);
    int k = 0;
    for (int i = 0; i < n && k < max; i++)
        if (ref_shape(c, names[i][0], names[i][1], &refs[k]) == STORE_OK)
            k++;
        else
            return -1;
    return k;
}

/* "WHERE <col>=?1 AND <rowid|key>=?2..." for r into q. */
static void where_row(char *q, size_t cap, const ref_t *r)
{
    size_t n = strlen(q);
    if (r->rowid) {
        snprintf(q + n, cap - n, " WHERE \"%s\"=?1 AND rowid=?2", r->col);
        return;
    }
    n += (size_t)snprintf(q + n, cap - n, " WHERE \"%s\"=?1", r->col);
    for (int i = 0; i < r->nkey && n < cap; i++)
        n += (size_t)snprintf(q + n, cap - n, " AND \"%s\"=?%d", r->key[i], i + 2);
}

/* Binds the key of a row (JSON array: [rowid] or the key columns' values
 * in r->key order) from parameter 2 on. */
static void bind_key(sqlite3_stmt *st, const json_t *key)
{
    size_t i;
    json_t *v;
    json_array_foreach(key, i, v)
    {
        if (json_is_integer(v))
            sqlite3_bind_int64(st, (int)i + 2, json_integer_value(v));
        else if (json_is_string(v))
            sqlite3_bind_text(st, (int)i + 2, json_string_value(v), -1, SQLITE_TRANSIENT);
        else if (json_is_real(v))
            sqlite3_bind_double(st, (int)i + 2, json_real_value(v));
        else
            sqlite3_bind_null(st, (int)i + 2);
    }
}

static json_t *value_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    case SQLITE_NULL:
        return json_null();
    default:
        return json_string((const char *)sqlite3_column_text(st, i));
    }
}

/* The keys of the rows of r naming person pk: [[key...], ...]; NULL on
 * failure. */
static json_t *rows_of(store_conn_t *c, const ref_t *r, int64_t pk)
{
    char q[600];
    size_t n = (size_t)snprintf(q, sizeof q, "SELECT %s", r->rowid ? "rowid" : "");
    for (int i = 0; !r->rowid && i < r->nkey; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%s\"%s\"", i ? "," : "", r->key[i]);
    if (!r->rowid && r->nkey == 0)
        n += (size_t)snprintf(q + n, sizeof q - n, "1");
    snprintf(q + n, sizeof q - n, " FROM \"%s\" WHERE \"%s\"=?1", r->table, r->col);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK) {
        awda_log(LOG_ERROR, "merge", "\"error\":\"%s\"", sqlite3_errmsg(c->db));
        return NULL;
    }
    sqlite3_bind_int64(st, 1, pk);
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *key = json_array();
        if (r->rowid)
            json_array_append_new(key, json_integer(sqlite3_column_int64(st, 0)));
        for (int i = 0; !r->rowid && i < r->nkey; i++)
            json_array_append_new(key, value_json(st, i));
        json_array_append_new(out, key);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* Runs "<verb> ... WHERE col=?1 AND key" on one row with person bound to
 * ?1 and, for an UPDATE, to_pk as the new value; the SQLite result code
 * of the step and the rows changed into *changed. */
static int run_on_row(store_conn_t *c, const char *head, const ref_t *r, int64_t person,
                      const json_t *key, int *changed)
{
    char q[700];
    snprintf(q, sizeof q, "%s", head);
    where_row(q, sizeof q, r);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK) {
        awda_log(LOG_ERROR, "merge", "\"error\":\"%s\"", sqlite3_errmsg(c->db));
        return SQLITE_ERROR;
    }
    sqlite3_bind_int64(st, 1, person);
    bind_key(st, key);
    int rc = sqlite3_step(st);
    *changed = sqlite3_changes(c->db);
    sqlite3_finalize(st);
    return rc;
}

/* Inserts the keys-only row key with col = person (INSERT OR IGNORE). */
static int insert_keys_row(store_conn_t *c, const ref_t *r, int64_t person, const json_t *key)
{
    char q[700];
    size_t n =
        (size_t)snprintf(q, sizeof q, "INSERT OR IGNORE INTO \"%s\"(\"%s\"", r->table, r->col);
    for (int i = 0; i < r->nkey; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, ",\"%s\"", r->key[i]);
    n += (size_t)snprintf(q + n, sizeof q - n, ") VALUES(?1");
    for (int i = 0; i < r->nkey; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, ",?%d", i + 2);
    snprintf(q + n, sizeof q - n, ")");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(c->db, q, -1, &st, NULL) != SQLITE_OK)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, person);
    bind_key(st, key);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORE_OK : STORE_ERR;
}

static store_stmt_t Q_CASE_NUMBER = {.sql = "SELECT number FROM cases WHERE pk=?"};

/* The conflict of a row of r (key) both persons hold, into why. */
static void conflict(store_conn_t *c, const ref_t *r, const json_t *key, store_merge_why_t *why)
{
    snprintf(why->table, sizeof why->table, "%s", r->table);
    snprintf(why->kind, sizeof why->kind, "same_row");
    if (strcmp(r->table, "case_members") != 0)
        return;
    snprintf(why->kind, sizeof why->kind, "same_case");
    sqlite3_stmt *st = stmt(c, &Q_CASE_NUMBER);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, json_integer_value(json_array_get(key, 0)));
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(why->case_number, sizeof why->case_number, "%s", sqlite3_column_text(st, 0));
    done(st, 0);
}

/* ---- merge ---- */

static store_stmt_t Q_MERGED_INTO = {
    .sql = "SELECT p.merged_into_pk,(SELECT id FROM person_merges WHERE merged_pk=p.pk AND "
           "undone_at IS NULL ORDER BY pk DESC LIMIT 1),p.id FROM persons p WHERE p.pk=?"};
static store_stmt_t Q_MERGE_INSERT = {
    .sql = "INSERT INTO person_merges(id,kept_pk,merged_pk,pair_a,pair_b,rows_moved,rows_dropped,"
           "merged_by_pk,merged_at) VALUES(?,?,?,?,?,0,0,?,?)"};
static store_stmt_t Q_MERGE_ROW = {
    .sql =
        "INSERT INTO person_merge_rows(merge_pk,seq,tbl,col,action,row_key) VALUES(?,?,?,?,?,?)"};
static store_stmt_t Q_MERGE_COUNTS = {
    .sql = "UPDATE person_merges SET rows_moved=?2,rows_dropped=?3 WHERE pk=?1"};
static store_stmt_t Q_MARK_MERGED = {
    .sql = "UPDATE persons SET merged_into_pk=?2,updated_at=?3 WHERE pk=?1 AND merged_into_pk IS "
           "NULL"};

/* 1 when person pk exists and is not merged; its id into id (37). */
static int active_person(store_conn_t *c, int64_t pk, char id[37], int *exists)
{
    sqlite3_stmt *st = stmt(c, &Q_MERGED_INTO);
    *exists = 0;
    id[0] = '\0';
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, pk);
    int active = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *exists = 1;
        active = sqlite3_column_type(st, 0) == SQLITE_NULL;
        snprintf(id, 37, "%s", (const char *)sqlite3_column_text(st, 2));
    }
    done(st, 0);
    return active;
}

static int list_row(store_conn_t *c, int64_t merge_pk, long long seq, const ref_t *r,
                    const char *action, const json_t *key)
{
    sqlite3_stmt *st = stmt(c, &Q_MERGE_ROW);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merge_pk);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_text(st, 3, r->table, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, r->col, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
    if (bind_json(st, 6, key, 0) != STORE_OK)
        return done(st, STORE_ERR);
    return step_done(c, st);
}

/* Moves the rows of r from merged to kept, listing each. */
static int move_rows(store_conn_t *c, const ref_t *r, int64_t kept, int64_t merged,
                     int64_t merge_pk, long long *seq, long long *moved, long long *dropped,
                     store_merge_why_t *why)
{
    json_t *rows = rows_of(c, r, merged);
    if (!rows)
        return STORE_ERR;
    char head[200];
    snprintf(head, sizeof head, "UPDATE \"%s\" SET \"%s\"=%lld", r->table, r->col, (long long)kept);
    char del[200];
    snprintf(del, sizeof del, "DELETE FROM \"%s\"", r->table);
    size_t i;
    json_t *key;
    int rc = STORE_OK;
    json_array_foreach(rows, i, key)
    {
        if (*seq >= AWDA_MERGE_ROWS_MAX) {
            snprintf(why->kind, sizeof why->kind, "too_many");
            rc = STORE_ABORT;
            break;
        }
        int changed = 0;
        int s = run_on_row(c, head, r, merged, key, &changed);
        const char *action = "moved";
        if ((s & 0xff) == SQLITE_CONSTRAINT && r->keys_only) {
            s = run_on_row(c, del, r, merged, key, &changed);
            action = "dropped";
        } else if ((s & 0xff) == SQLITE_CONSTRAINT) {
            conflict(c, r, key, why);
            rc = STORE_ABORT;
            break;
        }
        if (s != SQLITE_DONE || changed != 1) {
            awda_log(LOG_ERROR, "merge", "\"table\":\"%s\",\"rc\":%d", r->table, s);
            rc = STORE_ERR;
            break;
        }
        if ((rc = list_row(c, merge_pk, (*seq)++, r, action, key)) != STORE_OK)
            break;
        if (action[0] == 'm')
            (*moved)++;
        else
            (*dropped)++;
    }
    json_decref(rows);
    return rc;
}

int store_person_merge(store_conn_t *c, int64_t kept_pk, int64_t merged_pk, int64_t pair_a,
                       int64_t pair_b, int64_t user_pk, int64_t now_ms, char id_out[37],
                       long long *moved, long long *dropped, store_merge_why_t *why)
{
    memset(why, 0, sizeof *why);
    *moved = *dropped = 0;
    char kid[37], mid[37];
    int kx, mx;
    int ka = active_person(c, kept_pk, kid, &kx), ma = active_person(c, merged_pk, mid, &mx);
    if (!kx || !mx)
        return STORE_NOTFOUND;
    if (!ka || !ma) {
        snprintf(why->kind, sizeof why->kind, "already_merged");
        snprintf(why->person, sizeof why->person, "%s", ka ? mid : kid);
        return STORE_ABORT;
    }
    awda_uuid7(id_out);
    sqlite3_stmt *st = stmt(c, &Q_MERGE_INSERT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, kept_pk);
    sqlite3_bind_int64(st, 3, merged_pk);
    sqlite3_bind_int64(st, 4, pair_a);
    sqlite3_bind_int64(st, 5, pair_b);
    bind_pk_or_null(st, 6, user_pk);
    sqlite3_bind_int64(st, 7, now_ms);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    int64_t merge_pk = sqlite3_last_insert_rowid(c->db);
    ref_t refs[64];
    int n = ref_list(c, refs, 64);
    if (n < 0)
        return STORE_ERR;
    long long seq = 0;
    for (int i = 0; i < n && rc == STORE_OK; i++)
        rc = move_rows(c, &refs[i], kept_pk, merged_pk, merge_pk, &seq, moved, dropped, why);
    if (rc != STORE_OK)
        return rc;
    if (!(st = stmt(c, &Q_MERGE_COUNTS)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merge_pk);
    sqlite3_bind_int64(st, 2, *moved);
    sqlite3_bind_int64(st, 3, *dropped);
    if ((rc = step_done(c, st)) != STORE_OK)
        return rc;
    if (!(st = stmt(c, &Q_MARK_MERGED)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merged_pk);
    sqlite3_bind_int64(st, 2, kept_pk);
    sqlite3_bind_int64(st, 3, now_ms);
    return step_done(c, st);
}

/* ---- a merge, and its undo ---- */

static store_stmt_t Q_MERGE_GET = {
    .sql = "SELECT m.pk,m.id,k.id,d.id,m.kept_pk,m.merged_pk,m.pair_a,m.pair_b,m.rows_moved,"
           "m.rows_dropped,u.username,m.merged_at,v.username,m.undone_at,(SELECT "
           "json_group_object(tbl,n) FROM (SELECT tbl,count(*) n FROM person_merge_rows WHERE "
           "merge_pk=m.pk GROUP BY tbl)) FROM person_merges m JOIN persons k ON k.pk=m.kept_pk "
           "JOIN persons d ON d.pk=m.merged_pk LEFT JOIN users u ON u.pk=m.merged_by_pk LEFT JOIN "
           "users v ON v.pk=m.undone_by_pk WHERE m.id=?"};

json_t *store_merge_get(store_conn_t *c, const char *id)
{
    sqlite3_stmt *st = stmt(c, &Q_MERGE_GET);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    json_t *m = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        json_error_t e;
        const char *rows = (const char *)sqlite3_column_text(st, 14);
        json_t *by_table = rows ? json_loads(rows, 0, &e) : NULL;
        m = json_pack(
            "{s:I,s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "pk",
            (json_int_t)sqlite3_column_int64(st, 0), "id", col_str(st, 1), "kept", col_str(st, 2),
            "merged", col_str(st, 3), "kept_pk", (json_int_t)sqlite3_column_int64(st, 4),
            "merged_pk", (json_int_t)sqlite3_column_int64(st, 5), "pair_a",
            (json_int_t)sqlite3_column_int64(st, 6), "pair_b",
            (json_int_t)sqlite3_column_int64(st, 7), "rows_moved",
            (json_int_t)sqlite3_column_int64(st, 8), "rows_dropped",
            (json_int_t)sqlite3_column_int64(st, 9), "merged_by", col_str(st, 10), "merged_at",
            store_col_time(st, 11), "rows", by_table ? by_table : json_object());
        if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
            json_object_set_new(m, "undone_by", col_str(st, 12));
            json_object_set_new(m, "undone_at", store_col_time(st, 13));
        }
    }
    done(st, 0);
    return m;
}

static store_stmt_t Q_MERGE_ROWS = {
    .sql = "SELECT tbl,col,action,row_key FROM person_merge_rows WHERE merge_pk=? ORDER BY seq "
           "DESC"};
static store_stmt_t Q_UNMARK = {
    .sql =
        "UPDATE persons SET merged_into_pk=NULL,updated_at=?3 WHERE pk=?1 AND merged_into_pk=?2"};
static store_stmt_t Q_MERGE_UNDONE = {
    .sql = "UPDATE person_merges SET undone_by_pk=?2,undone_at=?3 WHERE pk=?1"};
static store_stmt_t Q_PAIR_REOPEN = {
    .sql = "UPDATE duplicate_pairs SET status='open',note=NULL,decided_by_pk=NULL,decided_at=NULL "
           "WHERE person_a=?1 AND person_b=?2 AND status='merged'"};

/* Puts one listed row back to the merged person. */
static int undo_row(store_conn_t *c, const char *tbl, const char *col, const char *action,
                    const char *key_text, int64_t kept, int64_t merged, store_merge_why_t *why)
{
    ref_t r;
    json_error_t e;
    int rc = ref_shape(c, tbl, col, &r);
    json_t *key = key_text ? json_loads(key_text, 0, &e) : NULL;
    if (rc != STORE_OK || !json_is_array(key)) {
        json_decref(key);
        snprintf(why->kind, sizeof why->kind, "changed");
        snprintf(why->table, sizeof why->table, "%s", tbl);
        return STORE_ABORT; /* the table or column is gone since */
    }
    char q[200];
    int changed = 0, s;
    if (r.keys_only) {
        if (strcmp(action, "moved") == 0) {
            snprintf(q, sizeof q, "DELETE FROM \"%s\"", r.table);
            s = run_on_row(c, q, &r, kept, key, &changed);
            rc = s == SQLITE_DONE ? STORE_OK : STORE_ERR;
        }
        if (rc == STORE_OK)
            rc = insert_keys_row(c, &r, merged, key);
        json_decref(key);
        return rc;
    }
    snprintf(q, sizeof q, "UPDATE \"%s\" SET \"%s\"=%lld", r.table, r.col, (long long)merged);
    s = run_on_row(c, q, &r, kept, key, &changed);
    json_decref(key);
    if (s == SQLITE_DONE && changed == 1)
        return STORE_OK;
    if (s == SQLITE_DONE || (s & 0xff) == SQLITE_CONSTRAINT) {
        snprintf(why->kind, sizeof why->kind, "changed");
        snprintf(why->table, sizeof why->table, "%s", r.table);
        return STORE_ABORT;
    }
    return STORE_ERR;
}

int store_merge_undo(store_conn_t *c, const char *id, int64_t user_pk, int64_t now_ms,
                     store_merge_why_t *why)
{
    memset(why, 0, sizeof *why);
    json_t *m = store_merge_get(c, id);
    if (!m)
        return STORE_NOTFOUND;
    int64_t merge_pk = json_integer_value(json_object_get(m, "pk"));
    int64_t kept = json_integer_value(json_object_get(m, "kept_pk"));
    int64_t merged = json_integer_value(json_object_get(m, "merged_pk"));
    int64_t pa = json_integer_value(json_object_get(m, "pair_a"));
    int64_t pb = json_integer_value(json_object_get(m, "pair_b"));
    int undone = json_object_get(m, "undone_at") != NULL;
    json_decref(m);
    if (undone) {
        snprintf(why->kind, sizeof why->kind, "undone");
        return STORE_ABORT;
    }
    char kid[37];
    int kx;
    if (!active_person(c, kept, kid, &kx)) {
        snprintf(why->kind, sizeof why->kind, "later_merge");
        snprintf(why->person, sizeof why->person, "%s", kid);
        return STORE_ABORT;
    }
    sqlite3_stmt *st = stmt(c, &Q_MERGE_ROWS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merge_pk);
    /* Read the list whole first: undoing runs other statements. */
    json_t *rows = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(rows, json_pack("[o,o,o,o]", col_str(st, 0), col_str(st, 1),
                                              col_str(st, 2), col_str(st, 3)));
    done(st, 0);
    int rc = STORE_OK;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        rc = undo_row(c, json_string_value(json_array_get(row, 0)),
                      json_string_value(json_array_get(row, 1)),
                      json_string_value(json_array_get(row, 2)),
                      json_string_value(json_array_get(row, 3)), kept, merged, why);
        if (rc != STORE_OK)
            break;
    }
    json_decref(rows);
    if (rc != STORE_OK)
        return rc;
    if (!(st = stmt(c, &Q_UNMARK)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merged);
    sqlite3_bind_int64(st, 2, kept);
    sqlite3_bind_int64(st, 3, now_ms);
    if ((rc = step_done(c, st)) != STORE_OK)
        return rc;
    if (sqlite3_changes(c->db) != 1) {
        snprintf(why->kind, sizeof why->kind, "later_merge");
        return STORE_ABORT;
    }
    if (!(st = stmt(c, &Q_MERGE_UNDONE)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, merge_pk);
    bind_pk_or_null(st, 2, user_pk);
    sqlite3_bind_int64(st, 3, now_ms);
    if ((rc = step_done(c, st)) != STORE_OK)
        return rc;
    if (!(st = stmt(c, &Q_PAIR_REOPEN)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pa);
    sqlite3_bind_int64(st, 2, pb);
    return step_done(c, st);
}

int64_t store_person_merged_into(store_conn_t *c, int64_t pk, char *merge_id)
{
    int64_t at = pk, into = 0;
    for (int hop = 0; hop < AWDA_MERGE_CHAIN_MAX; hop++) {
        sqlite3_stmt *st = stmt(c, &Q_MERGED_INTO);
        if (!st)
            return 0;
        sqlite3_bind_int64(st, 1, at);
        int64_t next = 0;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            next = sqlite3_column_int64(st, 0);
            if (merge_id && hop == 0 && sqlite3_column_type(st, 1) != SQLITE_NULL)
                snprintf(merge_id, 37, "%s", (const char *)sqlite3_column_text(st, 1));
        }
        done(st, 0);
        if (!next)
            break;
        into = at = next;
    }
    return into;
}
