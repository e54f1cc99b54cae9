/*
 * restrictions.c — restrictions on return to a country or an area of it,
 * with their history and the cases they block.
 *
 * A restriction is versioned like a case (an update names the version it
 * read: STORE_STALE otherwise); every insert and update appends the whole
 * new row to restriction_history with who did it and why ("created",
 * "updated", "reviewed"). Matching is by country and, when the
 * restriction names one, the admin area without regard to case.
 */
#include "internal.h"
#include "../core/journey.h"

#define RESTRICTION_COLS                                                                           \
    "SELECT id,country,admin_area,kind,effective_from,effective_until,reason,next_review,"         \
    "version,created_at,updated_at,pk FROM restrictions "

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
    json_object_set_new(o, "created_at", store_col_time(st, 9));
    json_object_set_new(o, "updated_at", store_col_time(st, 10));
    return o;
}

static store_stmt_t Q_RESTRICTION_HISTORY_ADD = {
    .sql = "INSERT INTO restriction_history(restriction_pk,at,"
           "user_pk,action,data) VALUES(?,?,?,?,?)"};

static int restriction_history_add(store_conn_t *c, int64_t rpk, int64_t user_pk,
                                   const char *action, const json_t *data)
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_HISTORY_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, rpk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    if (user_pk)
        sqlite3_bind_int64(st, 3, user_pk);
    else
        sqlite3_bind_null(st, 3);
    bind_text_or_null(st, 4, action);
    if (bind_json(st, 5, data, 0) != STORE_OK)
        return done(st, STORE_ERR);
    return step_done(c, st);
}

static store_stmt_t Q_RESTRICTION_GET = {.sql = RESTRICTION_COLS "WHERE id=?"};

static int64_t restriction_pk(store_conn_t *c, const char *id, json_t **row)
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_GET);
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

static store_stmt_t Q_RESTRICTION_INSERT = {
    .sql = "INSERT INTO restrictions(id,country,admin_area,kind,effective_from,effective_until,"
           "reason,next_review,version,created_at,updated_at) VALUES(?,?,?,?,?,?,?,?,1,?,?)"};

int store_restriction_insert(store_conn_t *c, const json_t *r, int64_t user_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_INSERT);
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

static store_stmt_t Q_RESTRICTION_UPDATE = {
    .sql = "UPDATE restrictions SET country=?,admin_area=?,kind=?,effective_from=?,"
           "effective_until=?,reason=?,next_review=?,version=version+1,updated_at=? WHERE "
           "id=? AND version=?"};

int store_restriction_update(store_conn_t *c, const char *id, int64_t expected_version,
                             const json_t *r, int64_t user_pk, const char *action)
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_UPDATE);
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

static store_stmt_t Q_RESTRICTION_HISTORY = {
    .sql = "SELECT h.at,u.username,h.action,h.data FROM "
           "restriction_history h LEFT JOIN users u ON "
           "u.pk=h.user_pk WHERE h.restriction_pk=? ORDER BY h.pk"};

json_t *store_restriction_get(store_conn_t *c, const char *id, int with_history)
{
    json_t *row = NULL;
    int64_t pk = restriction_pk(c, id, &row);
    if (!pk || !with_history)
        return row;
    json_t *hist = json_array();
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_HISTORY);
    if (st) {
        sqlite3_bind_int64(st, 1, pk);
        while (sqlite3_step(st) == SQLITE_ROW) {
            json_t *data = json_loadb((const char *)sqlite3_column_text(st, 3),
                                      (size_t)sqlite3_column_bytes(st, 3), 0, NULL);
            json_array_append_new(hist, json_pack("{s:o,s:o,s:o,s:o}", "at", store_col_time(st, 0),
                                                  "user", col_str(st, 1), "action", col_str(st, 2),
                                                  "restriction", data ? data : json_object()));
        }
        done(st, 0);
    }
    json_object_set_new(row, "history", hist);
    return row;
}

static store_stmt_t Q_RESTRICTION_OVERDUE = {.sql = RESTRICTION_COLS
                                             "WHERE next_review<? ORDER BY next_review"};
static store_stmt_t Q_RESTRICTION_LIST = {.sql = RESTRICTION_COLS "ORDER BY country, pk"};

json_t *store_restriction_list(store_conn_t *c, const char *overdue_before)
{
    sqlite3_stmt *st = stmt(c, overdue_before ? &Q_RESTRICTION_OVERDUE : &Q_RESTRICTION_LIST);
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

static store_stmt_t Q_RESTRICTION_MATCHING = {
    .sql =
        RESTRICTION_COLS "WHERE country=? AND (admin_area IS NULL OR lower(admin_area)=lower(?)) "
                         "AND effective_from<=? AND (effective_until IS NULL OR "
                         "effective_until>=?) ORDER BY pk"};

json_t *store_restriction_matching(store_conn_t *c, const char *country, const char *area,
                                   const char *today)
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_MATCHING);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, country);
    bind_text_or_null(st, 2, area ? area : "");
    bind_text_or_null(st, 3, today);
    bind_text_or_null(st, 4, today);
    json_t *arr = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, restriction_row(st));
    done(st, 0);
    if (s != SQLITE_DONE) { /* a list cut short would read as fewer restrictions */
        json_decref(arr);
        return NULL;
    }
    return arr;
}

/* The cases before departure (or on hold) going where a restriction
 * applies, in the scope; for approval_required, only those without an
 * approval of it. The stages come from the journey's table. */
static char *affected_sql(const store_stmt_t *d);
static store_stmt_t Q_AFFECTED_APPROVAL = {.build = affected_sql};
static store_stmt_t Q_AFFECTED_BLOCK = {.build = affected_sql};

static char *affected_sql(const store_stmt_t *d)
{
    unsigned before = store_stage_bit("on_hold");
    for (int i = 0; AWDA_STAGES[i]; i++)
        if (awda_stage_before_departure(AWDA_STAGES[i]))
            before |= 1u << i;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT c.id,c.number,c.stage,o.code,c.destination_country,"
                 "c.destination_admin_area FROM cases c JOIN offices o ON o.pk=c.office_pk "
                 "WHERE c.destination_country=?1 AND c.stage IN (");
    store_stage_list(&q, before);
    sql_puts(&q, ") AND (?2 IS NULL OR lower(c.destination_admin_area)=lower(?2))");
    if (d == &Q_AFFECTED_APPROVAL)
        sql_puts(&q, " AND NOT EXISTS(SELECT 1 FROM case_records a WHERE a.case_pk=c.pk AND "
                     "a.kind='restriction_approval' AND "
                     "json_extract(a.data,'$.restriction_id')=?3)");
    else
        sql_puts(&q, " AND ?3 IS NOT NULL");
    sql_puts(&q, " AND (?4 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?4)) OR "
                 "c.receiving_office_pk IN (SELECT value FROM json_each(?4)) OR "
                 "c.project IN (SELECT value FROM json_each(?5))) ORDER BY c.pk");
    return sql_take(&q);
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
    int approval = strcmp(jstr(r, "kind") ? jstr(r, "kind") : "", "approval_required") == 0;
    sqlite3_stmt *st = stmt(c, approval ? &Q_AFFECTED_APPROVAL : &Q_AFFECTED_BLOCK);
    if (st) {
        bind_text_or_null(st, 1, jstr(r, "country"));
        bind_text_or_null(st, 2, jstr(r, "admin_area"));
        bind_text_or_null(st, 3, id);
        char *scope = store_offices_json(offices, nof);
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
        done(st, 0);
    }
    json_decref(r);
    return items;
}

static store_stmt_t Q_RESTRICTION_STAMP = {
    .sql = "SELECT coalesce(max(pk),0) FROM restriction_history"};

int64_t store_restriction_stamp(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_RESTRICTION_STAMP);
    if (!st)
        return -1;
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st, 0);
    return v;
}
