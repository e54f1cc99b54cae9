/*
 * imports.c — the store of imports (migration 23, imports.h): the import
 * rows and their progress, their problems, and import_rows, where each
 * imported person came from.
 *
 * Every function runs inside the caller's transaction: the writer jobs of
 * app/imports.c (one per batch of households), or a read. The statements
 * are declared beside the functions that run them.
 */
#include "internal.h"
#include "imports.h"

static store_stmt_t Q_INSERT = {
    .sql = "INSERT INTO imports(id,office_pk,user_pk,file_name,file_sha256,format,mapping,mode,"
           "status,created_at) VALUES(?,?,?,?,?,?,?,?,'queued',?)"};

int store_import_insert(store_conn_t *c, int64_t office_pk, int64_t user_pk, const char *file_name,
                        const char *file_sha256, const char *format, const char *mapping,
                        const char *mode, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, office_pk);
    bind_pk_or_null(st, 3, user_pk);
    sqlite3_bind_text(st, 4, file_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, file_sha256, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 6, format);
    sqlite3_bind_text(st, 7, mapping, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, mode, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 9, awda_now_ms());
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static store_stmt_t Q_UPDATE = {
    .sql = "UPDATE imports SET status=?,detail=COALESCE(?,detail),rows_total=?,rows_done=?,"
           "households=?,cases_created=?,persons_created=?,already_imported=?,skipped=?,"
           "problems=?,duplicates_flagged=?,started_at=CASE WHEN ? THEN COALESCE(started_at,?) "
           "ELSE started_at END,finished_at=CASE WHEN ? THEN ? ELSE finished_at END WHERE pk=?"};

int store_import_update(store_conn_t *c, int64_t pk, const store_import_counts_t *n)
{
    sqlite3_stmt *st = stmt(c, &Q_UPDATE);
    if (!st)
        return STORE_ERR;
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, n->status, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, n->detail);
    sqlite3_bind_int64(st, 3, n->rows_total);
    sqlite3_bind_int64(st, 4, n->rows_done);
    sqlite3_bind_int64(st, 5, n->households);
    sqlite3_bind_int64(st, 6, n->cases_created);
    sqlite3_bind_int64(st, 7, n->persons_created);
    sqlite3_bind_int64(st, 8, n->already_imported);
    sqlite3_bind_int64(st, 9, n->skipped);
    sqlite3_bind_int64(st, 10, n->problems);
    sqlite3_bind_int64(st, 11, n->duplicates_flagged);
    sqlite3_bind_int(st, 12, n->started);
    sqlite3_bind_int64(st, 13, now);
    sqlite3_bind_int(st, 14, n->finished);
    sqlite3_bind_int64(st, 15, now);
    sqlite3_bind_int64(st, 16, pk);
    return step_done(c, st);
}

static store_stmt_t Q_FORMAT = {.sql = "UPDATE imports SET format=? WHERE pk=?"};

int store_import_format(store_conn_t *c, int64_t pk, const char *format)
{
    sqlite3_stmt *st = stmt(c, &Q_FORMAT);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, format);
    sqlite3_bind_int64(st, 2, pk);
    return step_done(c, st);
}

static store_stmt_t Q_PROBLEM = {
    .sql = "INSERT INTO import_problems(import_pk,seq,sheet,row_number,column_name,field,message) "
           "VALUES(?,?,?,?,?,?,?)"};

int store_import_problem_add(store_conn_t *c, int64_t import_pk, long seq, const char *sheet,
                             long row_number, const char *column, const char *field,
                             const char *message)
{
    sqlite3_stmt *st = stmt(c, &Q_PROBLEM);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, import_pk);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_text(st, 3, sheet ? sheet : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, row_number);
    bind_text_or_null(st, 5, column && *column ? column : NULL);
    bind_text_or_null(st, 6, field && *field ? field : NULL);
    sqlite3_bind_text(st, 7, message, -1, SQLITE_TRANSIENT);
    return step_done(c, st);
}

static store_stmt_t Q_ROW_SEEN = {.sql = "SELECT 1 FROM import_rows WHERE row_sha256=?"};

int store_import_row_seen(store_conn_t *c, const char *row_sha256)
{
    sqlite3_stmt *st = stmt(c, &Q_ROW_SEEN);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, row_sha256, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    return done(st, rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1);
}

static store_stmt_t Q_ROW_ADD = {
    .sql = "INSERT INTO import_rows(row_sha256,file_sha256,sheet,row_number,import_pk,case_pk,"
           "person_pk) VALUES(?,?,?,?,?,?,?)"};

int store_import_row_add(store_conn_t *c, const char *row_sha256, const char *file_sha256,
                         const char *sheet, long row_number, int64_t import_pk, int64_t case_pk,
                         int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ROW_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_text(st, 1, row_sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, file_sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, sheet, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, row_number);
    sqlite3_bind_int64(st, 5, import_pk);
    bind_pk_or_null(st, 6, case_pk);
    bind_pk_or_null(st, 7, person_pk);
    return step_done(c, st);
}

static store_stmt_t Q_CASE_PERSONS = {
    .sql = "SELECT person_pk FROM case_members WHERE case_pk=? ORDER BY position"};

int store_import_case_persons(store_conn_t *c, int64_t case_pk, int64_t *pks, int max)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_PERSONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, case_pk);
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max)
        pks[n++] = sqlite3_column_int64(st, 0);
    return done(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1);
}

static store_stmt_t Q_SP = {.sql = "SAVEPOINT import_household"};
static store_stmt_t Q_SP_RELEASE = {.sql = "RELEASE import_household"};
static store_stmt_t Q_SP_UNDO = {.sql = "ROLLBACK TO import_household"};

int store_import_savepoint(store_conn_t *c)
{
    return control(c, &Q_SP);
}

int store_import_release(store_conn_t *c)
{
    return control(c, &Q_SP_RELEASE);
}

int store_import_undo(store_conn_t *c)
{
    int rc = control(c, &Q_SP_UNDO);
    int rc2 = control(c, &Q_SP_RELEASE);
    return rc != STORE_OK ? rc : rc2;
}

#define IMPORT_COLS                                                                                \
    "SELECT i.id,o.code,i.file_name,i.file_sha256,i.format,i.mode,i.status,i.detail,"              \
    "i.rows_total,i.rows_done,i.households,i.cases_created,i.persons_created,"                     \
    "i.already_imported,i.skipped,i.problems,i.duplicates_flagged,i.created_at,i.started_at,"      \
    "i.finished_at,u.username,i.office_pk,i.pk FROM imports i JOIN offices o ON o.pk=i.office_pk " \
    "LEFT JOIN users u ON u.pk=i.user_pk "

static json_t *import_row(sqlite3_stmt *st)
{
    static const char *const NAMES[] = {"rows_total",    "rows_done",       "households",
                                        "cases_created", "persons_created", "already_imported",
                                        "skipped",       "problems",        "duplicates_flagged"};
    json_t *o = json_object();
    json_object_set_new(o, "id", col_str(st, 0));
    json_object_set_new(o, "office", col_str(st, 1));
    json_object_set_new(o, "file_name", col_str(st, 2));
    json_object_set_new(o, "file_sha256", col_str(st, 3));
    json_object_set_new(o, "format", col_str(st, 4));
    json_object_set_new(o, "mode", col_str(st, 5));
    json_object_set_new(o, "status", col_str(st, 6));
    json_object_set_new(o, "message", col_str(st, 7)); /* why it failed or was refused */
    for (int i = 0; i < 9; i++)
        json_object_set_new(o, NAMES[i], json_integer(sqlite3_column_int64(st, 8 + i)));
    json_object_set_new(o, "created_at", store_col_time(st, 17));
    json_object_set_new(o, "started_at", store_col_time(st, 18));
    json_object_set_new(o, "finished_at", store_col_time(st, 19));
    json_object_set_new(o, "created_by", col_str(st, 20));
    return o;
}

static store_stmt_t Q_GET = {.sql = IMPORT_COLS "WHERE i.id=?"};

json_t *store_import_get(store_conn_t *c, const char *id, int64_t *office_pk, int64_t *pk)
{
    *office_pk = 0;
    sqlite3_stmt *st = stmt(c, &Q_GET);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    json_t *o = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = import_row(st);
        *office_pk = sqlite3_column_int64(st, 21);
        if (pk)
            *pk = sqlite3_column_int64(st, 22);
    }
    done(st, 0);
    return o;
}

static store_stmt_t Q_LIST = {
    .sql = IMPORT_COLS "WHERE (?1 IS NULL OR i.office_pk IN (SELECT value FROM json_each(?1))) "
                       "ORDER BY i.pk DESC LIMIT ?2"};

json_t *store_import_list(store_conn_t *c, const int64_t *office_pks, int n, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_LIST);
    if (!st)
        return NULL;
    char *offices = store_offices_json(office_pks, n);
    if (n >= 0 && !offices)
        return done(st, 0), NULL;
    bind_text_or_null(st, 1, offices);
    free(offices);
    sqlite3_bind_int(st, 2, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, import_row(st));
    done(st, 0);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static store_stmt_t Q_PROBLEMS = {
    .sql = "SELECT seq,sheet,row_number,column_name,field,message FROM import_problems "
           "WHERE import_pk=? AND seq>=? ORDER BY seq LIMIT ?"};

json_t *store_import_problems(store_conn_t *c, int64_t import_pk, long after, long limit)
{
    sqlite3_stmt *st = stmt(c, &Q_PROBLEMS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, import_pk);
    sqlite3_bind_int64(st, 2, after);
    sqlite3_bind_int64(st, 3, limit);
    json_t *arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *p = json_object();
        json_object_set_new(p, "seq", json_integer(sqlite3_column_int64(st, 0)));
        json_object_set_new(p, "sheet", col_str(st, 1));
        json_object_set_new(p, "row", json_integer(sqlite3_column_int64(st, 2)));
        json_object_set_new(p, "column", col_str(st, 3));
        json_object_set_new(p, "field", col_str(st, 4));
        json_object_set_new(p, "message", col_str(st, 5));
        json_array_append_new(arr, p);
    }
    done(st, 0);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}
