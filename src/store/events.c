/*
 * events.c — the timeline of a case: events appended, never changed
 * (except by retention, which drops free text; retention.c).
 *
 * An event is (case, when, who, kind, data): data is a JSON object whose
 * shape depends on the kind ("transition": {event, from, to, reason...}).
 * A data that cannot be serialised fails the write.
 */
#include "internal.h"

static store_stmt_t Q_EVENT_INSERT = {.sql =
                                          "INSERT INTO case_events(case_pk,at,user_pk,kind,data) "
                                          "VALUES(?,?,?,?,?)"};

int store_event_append(store_conn_t *c, int64_t case_pk, int64_t user_pk, const char *kind,
                       const json_t *data)
{
    sqlite3_stmt *st = stmt(c, &Q_EVENT_INSERT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    bind_pk_or_null(st, 3, user_pk);
    bind_text_or_null(st, 4, kind);
    if (bind_json(st, 5, data, 0) != STORE_OK)
        return done(st, STORE_ERR);
    return step_done(c, st);
}

static store_stmt_t Q_EVENTS_OF = {
    .sql = "SELECT e.pk,e.at,u.username,e.kind,e.data FROM case_events e LEFT "
           "JOIN users u ON u.pk=e.user_pk WHERE e.case_pk=? ORDER BY e.pk"};

json_t *store_event_list(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_EVENTS_OF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *data = json_loadb((const char *)sqlite3_column_text(st, 4),
                                  (size_t)sqlite3_column_bytes(st, 4), 0, NULL);
        json_array_append_new(arr, json_pack("{s:I,s:o,s:o,s:o,s:o}", "id",
                                             (json_int_t)sqlite3_column_int64(st, 0), "at",
                                             store_col_time(st, 1), "user", col_str(st, 2), "kind",
                                             col_str(st, 3), "data", data ? data : json_object()));
    }
    done(st, 0);
    return arr;
}

static store_stmt_t Q_LAST_EVENT = {
    .sql = "SELECT data FROM case_events WHERE case_pk=?1 AND kind=?2 AND "
           "(?3 IS NULL OR json_extract(data,'$.event')=?3) ORDER BY pk DESC LIMIT 1"};

json_t *store_case_last_event(store_conn_t *c, int64_t case_pk, const char *kind, const char *event)
{
    sqlite3_stmt *st = stmt(c, &Q_LAST_EVENT);
    json_t *out = NULL;
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    bind_text_or_null(st, 2, kind);
    bind_text_or_null(st, 3, event);
    if (sqlite3_step(st) == SQLITE_ROW)
        out = json_loadb((const char *)sqlite3_column_text(st, 0),
                         (size_t)sqlite3_column_bytes(st, 0), 0, NULL);
    done(st, 0);
    return out;
}
