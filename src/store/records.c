/*
 * records.c — the records of a case (counselling, consent, medical
 * assessment, referral...): appended with their kind's validated data,
 * read oldest first; for the journey's requirements, typed by kind
 * (store_journey_records) without opening a sealed value.
 *
 * The medical and protection fields of a record's kind are sealed before
 * the data is stored (store_seal_record, sealing.c, bound to the record's
 * id and field) and opened when read; a value that does not open reads as
 * "[unreadable]". A data that cannot be serialised fails the write.
 */
#include "internal.h"

#define RECORD_COLS                                                                                \
    "SELECT r.id,r.kind,p.id,r.created_at,u.username,r.data,c.id FROM case_records r JOIN "        \
    "cases c ON c.pk=r.case_pk LEFT JOIN persons p ON p.pk=r.person_pk LEFT JOIN users u ON "      \
    "u.pk=r.created_by_pk "

/* Earlier cases of the members that reached departure: at a stage after
 * it, or closed after a `departed` transition. The stage names come from
 * the stage table. */
static char *previous_returns_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT DISTINCT p.id,c.number FROM case_members m JOIN case_members o ON "
                 "o.person_pk=m.person_pk AND o.case_pk<>m.case_pk JOIN cases c ON "
                 "c.pk=o.case_pk JOIN persons p ON p.pk=m.person_pk WHERE m.case_pk=? AND "
                 "(c.stage IN (");
    store_stage_list(&q, store_stage_bit("departed") | store_stage_bit("arrived") |
                             store_stage_bit("reintegrating") | store_stage_bit("monitoring"));
    sql_puts(&q, ") OR (c.stage IN (");
    store_stage_list(&q, store_stage_bit("closed"));
    sql_puts(&q, ") AND EXISTS(SELECT 1 FROM case_events e WHERE e.case_pk=c.pk AND "
                 "e.kind='transition' AND json_extract(e.data,'$.to') IN (");
    store_stage_list(&q, store_stage_bit("departed"));
    sql_puts(&q, "))))");
    return sql_take(&q);
}

static store_stmt_t Q_PREVIOUS_RETURNS = {.build = previous_returns_sql};
static store_stmt_t Q_RECORD_INSERT = {
    .sql = "INSERT INTO case_records(id,case_pk,person_pk,kind,data,"
           "created_at,created_by_pk) VALUES(?,?,?,?,?,?,?)"};

int store_record_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk, const char *kind,
                        const json_t *data, int64_t user_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_RECORD_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    json_t *sealed = store_seal_record(c->s, kind, id_out, data);
    if (!sealed)
        return STORE_ERR;
    int bound = bind_json(st, 5, sealed, 0);
    json_decref(sealed);
    if (bound != STORE_OK)
        return done(st, STORE_ERR);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, case_pk);
    bind_pk_or_null(st, 3, person_pk);
    bind_text_or_null(st, 4, kind);
    sqlite3_bind_int64(st, 6, awda_now_ms());
    bind_pk_or_null(st, 7, user_pk);
    return step_done(c, st);
}

static json_t *record_row(store_t *s, sqlite3_stmt *st)
{
    json_t *data = json_loadb((const char *)sqlite3_column_text(st, 5),
                              (size_t)sqlite3_column_bytes(st, 5), 0, NULL);
    store_unseal_record(s, (const char *)sqlite3_column_text(st, 0), data);
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "kind", col_str(st, 1),
                     "case_id", col_str(st, 6), "person_id", col_str(st, 2), "created_at",
                     store_col_time(st, 3), "created_by", col_str(st, 4), "data",
                     data ? data : json_object());
}

static store_stmt_t Q_RECORDS_OF_KIND = {.sql = RECORD_COLS
                                         "WHERE r.case_pk=? AND r.kind=? ORDER BY r.pk"};
static store_stmt_t Q_RECORDS_OF = {.sql = RECORD_COLS "WHERE r.case_pk=? ORDER BY r.pk"};

json_t *store_record_list(store_conn_t *c, int64_t case_pk, const char *kind)
{
    sqlite3_stmt *st = stmt(c, kind ? &Q_RECORDS_OF_KIND : &Q_RECORDS_OF);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    if (kind)
        bind_text_or_null(st, 2, kind);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, record_row(c->s, st));
    done(st, 0);
    return arr;
}

/* The journey's records: no join but the person's id, and the data as
 * stored (sealed values stay sealed: the requirements only ask whether
 * they are there). */
static store_stmt_t Q_JOURNEY_RECORDS = {
    .sql = "SELECT r.id,r.kind,p.id,r.data FROM case_records r LEFT JOIN persons p ON "
           "p.pk=r.person_pk WHERE r.case_pk=? ORDER BY r.pk"};

int store_journey_records(store_conn_t *c, int64_t case_pk, awda_records_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_JOURNEY_RECORDS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    int rc = STORE_OK, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *data = json_loadb((const char *)sqlite3_column_text(st, 3),
                                  (size_t)sqlite3_column_bytes(st, 3), 0, NULL);
        int added = awda_records_add(out, (const char *)sqlite3_column_text(st, 0),
                                     (const char *)sqlite3_column_text(st, 1),
                                     (const char *)sqlite3_column_text(st, 2), data);
        json_decref(data);
        if (added == -2) {
            rc = STORE_ERR;
            break;
        }
        /* -1: a kind this version does not know weighs nothing */
    }
    if (rc == STORE_OK && s != SQLITE_DONE)
        rc = STORE_ERR;
    return done(st, rc);
}

static store_stmt_t Q_RECORD_GET = {.sql = RECORD_COLS "WHERE r.id=?"};

json_t *store_record_get(store_conn_t *c, const char *id)
{
    sqlite3_stmt *st = stmt(c, &Q_RECORD_GET);
    if (!st)
        return NULL;
    bind_text_or_null(st, 1, id);
    json_t *r = sqlite3_step(st) == SQLITE_ROW ? record_row(c->s, st) : NULL;
    done(st, 0);
    return r;
}

static store_stmt_t Q_CONSENTS_WITHDRAW = {
    .sql = "UPDATE case_records SET data=json_set(data,'$.withdrawn_at',?) WHERE case_pk=? AND "
           "kind='consent' AND json_extract(data,'$.purpose')='return' AND "
           "json_extract(data,'$.withdrawn_at') IS NULL"};

int store_consents_withdraw(store_conn_t *c, int64_t case_pk, const char *at_iso)
{
    sqlite3_stmt *st = stmt(c, &Q_CONSENTS_WITHDRAW);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, at_iso);
    sqlite3_bind_int64(st, 2, case_pk);
    return step_done(c, st);
}

json_t *store_previous_returns(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PREVIOUS_RETURNS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, case_pk);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr, json_pack("{s:o,s:o}", "person_id", col_str(st, 0), "number", col_str(st, 1)));
    done(st, 0);
    return arr;
}

static store_stmt_t Q_RECORD_LAST = {
    .sql = "SELECT id FROM case_records WHERE case_pk=? ORDER BY pk DESC LIMIT 1"};

int store_record_last_id(store_conn_t *c, int64_t case_pk, char out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_RECORD_LAST);
    int rc = STORE_ERR;
    out[0] = '\0';
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        snprintf(out, 37, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = STORE_OK;
    } else if (s == SQLITE_DONE) {
        rc = STORE_NOTFOUND;
    }
    return done(st, rc);
}
