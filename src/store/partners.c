/*
 * partners.c — partner organisations (referral recipients) in the store.
 *
 * A partner is {"id","name","country","created_at","updated_at"}; records
 * of sharing (consent to share, its withdrawal, referral) and a partner
 * user's organisation hold its id. Names are unique without regard to
 * case (the schema's index): a second one is STORE_CONFLICT.
 */
#include "internal.h"

#define PARTNER_COLS "SELECT id,name,country,created_at,updated_at FROM partners "

static store_stmt_t Q_PARTNER_INSERT = {
    .sql = "INSERT INTO partners(id,name,country,created_at,updated_at) VALUES(?,?,?,?,?)"};
static store_stmt_t Q_PARTNER_UPDATE = {
    .sql = "UPDATE partners SET name=?,country=?,updated_at=? WHERE id=?"};
static store_stmt_t Q_PARTNER_LIST = {.sql = PARTNER_COLS "ORDER BY lower(name)"};
static store_stmt_t Q_PARTNER_GET = {.sql = PARTNER_COLS "WHERE id=?"};

static json_t *partner_row(sqlite3_stmt *st)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "name", col_str(st, 1),
                     "country", col_str(st, 2), "created_at", store_col_time(st, 3), "updated_at",
                     store_col_time(st, 4));
}

int store_partner_insert(store_conn_t *c, const json_t *p, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_PARTNER_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(p, "name"));
    bind_text_or_null(st, 3, jstr(p, "country"));
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, now);
    return step_done(c, st);
}

int store_partner_update(store_conn_t *c, const char *id, const json_t *p)
{
    sqlite3_stmt *st = stmt(c, &Q_PARTNER_UPDATE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, jstr(p, "name"));
    bind_text_or_null(st, 2, jstr(p, "country"));
    sqlite3_bind_int64(st, 3, awda_now_ms());
    bind_text_or_null(st, 4, id);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_NOTFOUND;
    return rc;
}

json_t *store_partner_list(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_PARTNER_LIST);
    if (!st)
        return NULL;
    json_t *items = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(items, partner_row(st));
    done(st, 0);
    if (rc != SQLITE_DONE) {
        json_decref(items);
        return NULL;
    }
    return items;
}

json_t *store_partner_get(store_conn_t *c, const char *id)
{
    sqlite3_stmt *st = id ? stmt(c, &Q_PARTNER_GET) : NULL;
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    json_t *p = sqlite3_step(st) == SQLITE_ROW ? partner_row(st) : NULL;
    done(st, 0);
    return p;
}
