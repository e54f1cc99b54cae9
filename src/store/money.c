/*
 * money.c — the store of programmes, projects and budget lines, and the
 * budget view (see money.h). Names and codes are unique (the schema's
 * indexes answer STORE_CONFLICT); lists of names, places and targets are
 * kept as JSON text. The budget view joins each line to its running
 * totals (budget_line_totals, kept by store/ledger.c in the transaction
 * of every append): one row per line, whatever the ledger's length.
 */
#include "internal.h"
#include "money.h"

static int json_or_null(sqlite3_stmt *st, int i, const json_t *v)
{
    if (!v || json_is_null(v)) {
        sqlite3_bind_null(st, i);
        return STORE_OK;
    }
    return bind_json(st, i, v, 0);
}

static json_t *json_col(sqlite3_stmt *st, int col)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    json_t *v = t ? json_loads(t, 0, NULL) : NULL;
    return v ? v : json_null();
}

/* ---- programmes ---------------------------------------------------------- */

static store_stmt_t Q_PROG_INSERT = {
    .sql = "INSERT INTO programmes(id,code,name,components,regions,countries,version,created_at,"
           "updated_at) VALUES(?,?,?,?,?,?,1,?7,?7)"};

int store_programme_insert(store_conn_t *c, const json_t *p, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_PROG_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(p, "code"));
    bind_text_or_null(st, 3, jstr(p, "name"));
    if (json_or_null(st, 4, json_object_get(p, "components")) ||
        json_or_null(st, 5, json_object_get(p, "regions")) ||
        json_or_null(st, 6, json_object_get(p, "countries")))
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, 7, awda_now_ms());
    return step_done(c, st);
}

static store_stmt_t Q_PROG_LIST = {
    .sql = "SELECT id,code,name,components,regions,countries FROM programmes ORDER BY code"};

json_t *store_programme_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_PROG_LIST);
    if (!st)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0),
                                             "code", col_str(st, 1), "name", col_str(st, 2),
                                             "components", json_col(st, 3), "regions",
                                             json_col(st, 4), "countries", json_col(st, 5)));
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}

static store_stmt_t Q_PROG_PK = {.sql = "SELECT pk FROM programmes WHERE id=?1 OR code=?1"};

int64_t store_programme_pk(store_conn_t *c, const char *ref)
{
    return store_lookup_pk(c, &Q_PROG_PK, ref);
}

/* ---- projects ------------------------------------------------------------ */

static store_stmt_t Q_PROJ_INSERT = {
    .sql = "INSERT INTO projects(id,code,name,programme_pk,donor,currency,starts_on,ends_on,"
           "places,targets,version,created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,1,?11,?11)"};

int store_project_insert(store_conn_t *c, const json_t *p, int64_t programme_pk, char id_out[37],
                         int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_PROJ_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    static const char *const text[] = {"code", "name"};
    for (int i = 0; i < 2; i++)
        bind_text_or_null(st, 2 + i, jstr(p, text[i]));
    bind_pk_or_null(st, 4, programme_pk);
    static const char *const more[] = {"donor", "currency", "starts_on", "ends_on"};
    for (int i = 0; i < 4; i++)
        bind_text_or_null(st, 5 + i, jstr(p, more[i]));
    if (json_or_null(st, 9, json_object_get(p, "places")) ||
        json_or_null(st, 10, json_object_get(p, "targets")))
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, 11, awda_now_ms());
    int rc = step_done(c, st);
    if (rc == STORE_OK && pk_out)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static store_stmt_t Q_PROJ_PK = {
    .sql = "SELECT pk FROM projects WHERE id=?1 OR code=?1 OR name=?1 ORDER BY id=?1 DESC, "
           "code=?1 DESC LIMIT 1"};

int64_t store_project_pk(store_conn_t *c, const char *ref)
{
    return store_lookup_pk(c, &Q_PROJ_PK, ref);
}

#define PROJ_SELECT                                                                                \
    "SELECT p.pk,p.id,p.code,p.name,g.code,p.donor,p.currency,p.starts_on,p.ends_on,p.places,"     \
    "p.targets,p.version,(SELECT coalesce(sum(amount_minor),0) FROM budget_lines b WHERE "         \
    "b.project_pk=p.pk) FROM projects p LEFT JOIN programmes g ON g.pk=p.programme_pk "
static store_stmt_t Q_PROJ_GET = {.sql = PROJ_SELECT "WHERE p.pk=?"};
static store_stmt_t Q_PROJ_LIST = {.sql = PROJ_SELECT "ORDER BY p.code"};
static store_stmt_t Q_LINES_OF = {
    .sql = "SELECT id,code,name,amount_minor FROM budget_lines WHERE project_pk=? ORDER BY code"};

static json_t *project_row(sqlite3_stmt *st)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "id", col_str(st, 1),
                     "code", col_str(st, 2), "name", col_str(st, 3), "programme", col_str(st, 4),
                     "donor", col_str(st, 5), "currency", col_str(st, 6), "starts_on",
                     col_str(st, 7), "ends_on", col_str(st, 8), "places", json_col(st, 9),
                     "targets", json_col(st, 10), "version",
                     (json_int_t)sqlite3_column_int64(st, 11), "budget_minor",
                     (json_int_t)sqlite3_column_int64(st, 12));
}

json_t *store_project_get(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PROJ_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? project_row(st) : NULL;
    done(st, 0);
    if (!o)
        return NULL;
    sqlite3_stmt *l = stmt(c, &Q_LINES_OF);
    if (!l) {
        json_decref(o);
        return NULL;
    }
    sqlite3_bind_int64(l, 1, pk);
    json_t *lines = json_array();
    while (sqlite3_step(l) == SQLITE_ROW)
        json_array_append_new(lines, json_pack("{s:o,s:o,s:o,s:I}", "id", col_str(l, 0), "code",
                                               col_str(l, 1), "name", col_str(l, 2), "amount_minor",
                                               (json_int_t)sqlite3_column_int64(l, 3)));
    done(l, 0);
    json_object_set_new(o, "budget_lines", lines);
    return o;
}

json_t *store_project_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_PROJ_LIST);
    if (!st)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, project_row(st));
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}

/* ---- budget lines -------------------------------------------------------- */

static store_stmt_t Q_LINE_INSERT = {
    .sql = "INSERT INTO budget_lines(id,project_pk,code,name,amount_minor,version,created_at,"
           "updated_at) VALUES(?,?,?,?,?,1,?6,?6)"};

int store_budget_line_insert(store_conn_t *c, int64_t project_pk, const json_t *l, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_LINE_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, project_pk);
    bind_text_or_null(st, 3, jstr(l, "code"));
    bind_text_or_null(st, 4, jstr(l, "name"));
    sqlite3_bind_int64(st, 5, json_integer_value(json_object_get(l, "amount_minor")));
    sqlite3_bind_int64(st, 6, awda_now_ms());
    return step_done(c, st);
}

/* ---- the budget view ------------------------------------------------------ */

static store_stmt_t Q_VIEW = {
    .sql = "SELECT b.id,b.code,b.name,b.amount_minor,coalesce(t.committed_minor,0),"
           "coalesce(t.disbursed_minor,0),coalesce(t.entries,0) FROM budget_lines b LEFT JOIN "
           "budget_line_totals t ON t.budget_line_pk=b.pk WHERE b.project_pk=? ORDER BY b.code"};

json_t *store_budget_view(store_conn_t *c, int64_t project_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_VIEW);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, project_pk);
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t budget = sqlite3_column_int64(st, 3), committed = sqlite3_column_int64(st, 4);
        json_array_append_new(
            out, json_pack("{s:o,s:o,s:o,s:I,s:I,s:I,s:I,s:I}", "id", col_str(st, 0), "code",
                           col_str(st, 1), "name", col_str(st, 2), "budget_minor",
                           (json_int_t)budget, "committed_minor", (json_int_t)committed,
                           "disbursed_minor", (json_int_t)sqlite3_column_int64(st, 5),
                           "remaining_minor", (json_int_t)(budget - committed), "entries",
                           (json_int_t)sqlite3_column_int64(st, 6)));
    }
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}
