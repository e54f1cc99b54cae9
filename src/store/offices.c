/*
 * offices.c — the offices (host and origin country) in the store.
 *
 * An office is a row of `offices` keyed by its code ("EG-CAI"); cases,
 * users and counters refer to it by pk (store_office_pk). Its names in
 * Arabic and French (migration 14) are optional columns beside the name.
 */
#include "internal.h"

static store_stmt_t Q_OFFICE_INSERT = {
    .sql = "INSERT INTO offices(code,name,country,location,created_at,"
           "name_ar,name_fr) VALUES(?,?,?,?,?,?,?)"};

int store_office_insert(store_conn_t *c, const json_t *o)
{
    sqlite3_stmt *st = stmt(c, &Q_OFFICE_INSERT);
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

static store_stmt_t Q_OFFICE_UPDATE = {
    .sql = "UPDATE offices SET name=coalesce(?,name), location=?, name_ar=?, "
           "name_fr=? WHERE code=?"};

int store_office_update(store_conn_t *c, const char *code, const json_t *o)
{
    sqlite3_stmt *st = stmt(c, &Q_OFFICE_UPDATE);
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

static store_stmt_t Q_OFFICE_LIST = {
    .sql = "SELECT code,name,country,location,name_ar,name_fr FROM offices ORDER BY code"};

json_t *store_office_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_OFFICE_LIST);
    if (!st)
        return NULL;
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, office_row(st));
    done(st, 0);
    return arr;
}

static store_stmt_t Q_OFFICE_GET = {
    .sql = "SELECT code,name,country,location,name_ar,name_fr FROM offices WHERE code=?"};

json_t *store_office_get(store_conn_t *c, const char *code)
{
    sqlite3_stmt *st = stmt(c, &Q_OFFICE_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, code);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? office_row(st) : NULL;
    done(st, 0);
    return o;
}

static store_stmt_t Q_OFFICE_PK = {.sql = "SELECT pk FROM offices WHERE code=?"};

int64_t store_office_pk(store_conn_t *c, const char *code)
{
    return store_lookup_pk(c, &Q_OFFICE_PK, code);
}
