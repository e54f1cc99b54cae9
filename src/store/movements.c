/*
 * movements.c — the rows of movements (migration 16): movements, their
 * legs, passengers and reception (declared in movements.h).
 *
 * A movement's departure and arrival (departs_ms, arrives_ms) are those
 * of its first and last leg, kept on the row for ordering and for the
 * checks; the legs keep the local times the tickets show with their IANA
 * zones, and the UTC milliseconds the application computed from both
 * (ICU). Passengers are rows per person: booked, then departed and
 * arrived, or taken off (removed, no_show) with the reason. The partial
 * unique index movement_passengers_on_board keeps a person on at most one
 * movement at a time; a seat is a passenger booked or departed, or an
 * escort (movement_escorts, written by movement_care.c).
 */
#include "internal.h"
#include "movements.h"
#include "../core/journey.h"
#include <time.h>

void store_movement_utc(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static json_t *utc_or_null(sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        return json_null();
    char out[32];
    store_movement_utc(sqlite3_column_int64(st, col), out);
    return json_string(out);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const unsigned char *v = sqlite3_column_text(st, col);
    snprintf(out, cap, "%s", v ? (const char *)v : "");
}

#define ROW_COLS                                                                                   \
    "SELECT m.pk,m.id,m.type,m.status,m.office_pk,m.receiving_office_pk,m.version,m.capacity,"     \
    "m.departs_ms,m.arrives_ms,o.code,r.code FROM movements m JOIN offices o ON "                  \
    "o.pk=m.office_pk JOIN offices r ON r.pk=m.receiving_office_pk "

static store_stmt_t Q_FIND = {.sql = ROW_COLS "WHERE m.id=?"};
static store_stmt_t Q_FIND_PK = {.sql = ROW_COLS "WHERE m.pk=?"};

static int read_row(sqlite3_stmt *st, store_movement_row_t *row)
{
    int rc = STORE_NOTFOUND;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        row->pk = sqlite3_column_int64(st, 0);
        copy_col(st, 1, row->id, sizeof row->id);
        copy_col(st, 2, row->type, sizeof row->type);
        copy_col(st, 3, row->status, sizeof row->status);
        row->office_pk = sqlite3_column_int64(st, 4);
        row->receiving_pk = sqlite3_column_int64(st, 5);
        row->version = sqlite3_column_int64(st, 6);
        row->capacity = sqlite3_column_int64(st, 7);
        row->departs_ms = sqlite3_column_int64(st, 8);
        row->arrives_ms = sqlite3_column_int64(st, 9);
        copy_col(st, 10, row->office, sizeof row->office);
        copy_col(st, 11, row->receiving, sizeof row->receiving);
        rc = STORE_OK;
    } else if (s != SQLITE_DONE) {
        rc = STORE_ERR;
    }
    return done(st, rc);
}

int store_movement_find(store_conn_t *c, const char *id, store_movement_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    return read_row(st, row);
}

int store_movement_find_pk(store_conn_t *c, int64_t pk, store_movement_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_FIND_PK);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    return read_row(st, row);
}

/* ---- writing a movement and its legs ------------------------------------- */

static store_stmt_t Q_INSERT = {
    .sql = "INSERT INTO movements(id,type,reference,carrier,capacity,status,office_pk,"
           "receiving_office_pk,departs_ms,arrives_ms,version,created_at,updated_at,"
           "created_by_pk) VALUES(?,?,?,?,?,'planned',?,?,?,?,1,?,?,?)"};
static store_stmt_t Q_LEGS_CLEAR = {.sql = "DELETE FROM movement_legs WHERE movement_pk=?"};
static store_stmt_t Q_LEG_INSERT = {
    .sql = "INSERT INTO movement_legs(movement_pk,position,from_place,to_place,number,"
           "departs_local,departs_tz,arrives_local,arrives_tz,departs_ms,arrives_ms) "
           "VALUES(?,?,?,?,?,?,?,?,?,?,?)"};

static int64_t leg_ms(const json_t *legs, size_t i, const char *key)
{
    return (int64_t)json_integer_value(json_object_get(json_array_get(legs, i), key));
}

static int write_legs(store_conn_t *c, int64_t pk, const json_t *legs)
{
    sqlite3_stmt *st = stmt(c, &Q_LEGS_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    int rc = step_done(c, st);
    size_t i;
    const json_t *l;
    json_array_foreach(legs, i, l)
    {
        if (rc != STORE_OK)
            break;
        st = stmt(c, &Q_LEG_INSERT);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text_or_null(st, 3, jstr(l, "from"));
        bind_text_or_null(st, 4, jstr(l, "to"));
        bind_text_or_null(st, 5, jstr(l, "number"));
        bind_text_or_null(st, 6, jstr(l, "departs_at"));
        bind_text_or_null(st, 7, jstr(l, "departs_tz"));
        bind_text_or_null(st, 8, jstr(l, "arrives_at"));
        bind_text_or_null(st, 9, jstr(l, "arrives_tz"));
        sqlite3_bind_int64(st, 10, leg_ms(legs, i, "departs_ms"));
        sqlite3_bind_int64(st, 11, leg_ms(legs, i, "arrives_ms"));
        rc = step_done(c, st);
    }
    return rc;
}

static void bind_ends(sqlite3_stmt *st, int idx, const json_t *legs)
{
    size_t n = json_array_size(legs);
    if (n) {
        sqlite3_bind_int64(st, idx, leg_ms(legs, 0, "departs_ms"));
        sqlite3_bind_int64(st, idx + 1, leg_ms(legs, n - 1, "arrives_ms"));
    } else {
        sqlite3_bind_null(st, idx);
        sqlite3_bind_null(st, idx + 1);
    }
}

int store_movement_insert(store_conn_t *c, const json_t *m, int64_t office_pk, int64_t receiving_pk,
                          int64_t user_pk, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    const json_t *legs = json_object_get(m, "legs");
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 2, jstr(m, "type"));
    bind_text_or_null(st, 3, jstr(m, "reference"));
    bind_text_or_null(st, 4, jstr(m, "carrier"));
    sqlite3_bind_int64(st, 5, (sqlite3_int64)json_integer_value(json_object_get(m, "capacity")));
    sqlite3_bind_int64(st, 6, office_pk);
    sqlite3_bind_int64(st, 7, receiving_pk);
    bind_ends(st, 8, legs);
    sqlite3_bind_int64(st, 10, now);
    sqlite3_bind_int64(st, 11, now);
    bind_pk_or_null(st, 12, user_pk);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    *pk_out = sqlite3_last_insert_rowid(c->db);
    return write_legs(c, *pk_out, legs);
}

static store_stmt_t Q_UPDATE = {
    .sql = "UPDATE movements SET reference=?,carrier=?,capacity=?,departs_ms=?,arrives_ms=?,"
           "version=version+1,updated_at=? WHERE pk=? AND version=?"};

int store_movement_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *m)
{
    sqlite3_stmt *st = stmt(c, &Q_UPDATE);
    if (!st)
        return STORE_ERR;
    const json_t *legs = json_object_get(m, "legs");
    bind_text_or_null(st, 1, jstr(m, "reference"));
    bind_text_or_null(st, 2, jstr(m, "carrier"));
    sqlite3_bind_int64(st, 3, (sqlite3_int64)json_integer_value(json_object_get(m, "capacity")));
    bind_ends(st, 4, legs);
    sqlite3_bind_int64(st, 6, awda_now_ms());
    sqlite3_bind_int64(st, 7, pk);
    sqlite3_bind_int64(st, 8, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        return STORE_STALE;
    return rc == STORE_OK ? write_legs(c, pk, legs) : rc;
}

static store_stmt_t Q_SET_STATUS = {
    .sql = "UPDATE movements SET status=?1,"
           "departed_at=CASE WHEN ?1='departed' THEN ?2 ELSE departed_at END,"
           "arrived_at=CASE WHEN ?1='arrived' THEN ?2 ELSE arrived_at END,"
           "cancel_reason=CASE WHEN ?1='cancelled' THEN ?3 ELSE cancel_reason END,"
           "version=version+1,updated_at=?4 WHERE pk=?5 AND version=?6"};

int store_movement_set_status(store_conn_t *c, int64_t pk, int64_t expected_version,
                              const char *status, int64_t at_ms, const char *reason)
{
    sqlite3_stmt *st = stmt(c, &Q_SET_STATUS);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, status);
    bind_pk_or_null(st, 2, at_ms);
    bind_text_or_null(st, 3, reason);
    sqlite3_bind_int64(st, 4, awda_now_ms());
    sqlite3_bind_int64(st, 5, pk);
    sqlite3_bind_int64(st, 6, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

static store_stmt_t Q_TOUCH = {
    .sql = "UPDATE movements SET version=version+1,updated_at=? WHERE pk=?"};

int store_movement_touch(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_TOUCH);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, pk);
    return step_done(c, st);
}

/* ---- reading ------------------------------------------------------------- */

#define MOVEMENT_COLS                                                                              \
    "SELECT m.id,m.type,m.reference,m.carrier,m.capacity,m.status,o.code,r.code,m.departs_ms,"     \
    "m.arrives_ms,m.version,m.cancel_reason,m.created_at,m.updated_at,m.departed_at,"              \
    "m.arrived_at,m.pk,(SELECT count(*) FROM movement_passengers p WHERE p.movement_pk=m.pk AND "  \
    "p.status IN ('booked','departed'))+(SELECT count(*) FROM movement_escorts e WHERE "           \
    "e.movement_pk=m.pk) FROM movements m JOIN offices o ON o.pk=m.office_pk JOIN offices r ON "   \
    "r.pk=m.receiving_office_pk "

static store_stmt_t Q_GET = {.sql = MOVEMENT_COLS "WHERE m.pk=?"};
static store_stmt_t Q_LIST = {
    .sql = MOVEMENT_COLS "WHERE (?1 IS NULL OR m.status=?1) AND (?2=0 OR m.office_pk=?2 OR "
                         "m.receiving_office_pk=?2) AND (?3 IS NULL OR m.office_pk IN (SELECT "
                         "value FROM json_each(?3)) OR m.receiving_office_pk IN (SELECT value "
                         "FROM json_each(?3))) ORDER BY m.departs_ms DESC, m.pk DESC LIMIT ?4"};
static store_stmt_t Q_LEGS = {
    .sql = "SELECT from_place,to_place,number,departs_local,departs_tz,arrives_local,arrives_tz,"
           "departs_ms,arrives_ms FROM movement_legs WHERE movement_pk=? ORDER BY position"};
static store_stmt_t Q_PASSENGERS = {
    .sql = "SELECT pe.id,c.id,c.number,pe.name,pe.name_latin,pe.sex,pe.date_of_birth,"
           "pe.dob_precision,cm.relationship,mp.status,mp.removed_reason FROM "
           "movement_passengers mp JOIN persons pe ON pe.pk=mp.person_pk JOIN cases c ON "
           "c.pk=mp.case_pk LEFT JOIN case_members cm ON cm.case_pk=mp.case_pk AND "
           "cm.person_pk=mp.person_pk WHERE mp.movement_pk=?1 ORDER BY (SELECT min(x.pk) FROM "
           "movement_passengers x WHERE x.movement_pk=?1 AND x.case_pk=mp.case_pk), "
           "cm.position, mp.pk"};
static store_stmt_t Q_RECEPTION = {
    .sql = "SELECT met_by,at,notes FROM movement_receptions WHERE movement_pk=?"};

static json_t *movement_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    static const char *cols[] = {"id", "type", "reference", "carrier"};
    for (int i = 0; i < 4; i++)
        json_object_set_new(o, cols[i], col_str(st, i));
    json_object_set_new(o, "capacity", json_integer(sqlite3_column_int64(st, 4)));
    json_object_set_new(o, "seats_taken", json_integer(sqlite3_column_int64(st, 17)));
    json_object_set_new(o, "status", col_str(st, 5));
    json_object_set_new(o, "office", col_str(st, 6));
    json_object_set_new(o, "receiving_office", col_str(st, 7));
    json_object_set_new(o, "departs_at", utc_or_null(st, 8));
    json_object_set_new(o, "arrives_at", utc_or_null(st, 9));
    json_object_set_new(o, "version", json_integer(sqlite3_column_int64(st, 10)));
    if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        json_object_set_new(o, "cancel_reason", col_str(st, 11));
    json_object_set_new(o, "created_at", store_col_time(st, 12));
    json_object_set_new(o, "updated_at", store_col_time(st, 13));
    if (sqlite3_column_type(st, 14) != SQLITE_NULL)
        json_object_set_new(o, "departed_at", utc_or_null(st, 14));
    if (sqlite3_column_type(st, 15) != SQLITE_NULL)
        json_object_set_new(o, "arrived_at", utc_or_null(st, 15));
    return o;
}

static json_t *legs_of(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_LEGS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *legs = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *l = json_object();
        static const char *cols[] = {"from",       "to",         "number",    "departs_at",
                                     "departs_tz", "arrives_at", "arrives_tz"};
        for (int i = 0; i < 7; i++)
            json_object_set_new(l, cols[i], col_str(st, i));
        json_array_append_new(legs, l);
    }
    done(st, 0);
    return legs;
}

static json_t *passengers_of(store_conn_t *c, int64_t pk, int64_t departs_ms)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGERS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *out = json_array();
    while (sqlite3_step(st) == SQLITE_ROW) {
        json_t *p = json_object();
        json_object_set_new(p, "person_id", col_str(st, 0));
        json_object_set_new(p, "case_id", col_str(st, 1));
        json_object_set_new(p, "case_number", col_str(st, 2));
        int latin = sqlite3_column_type(st, 4) != SQLITE_NULL;
        json_object_set_new(p, "name", col_str(st, latin ? 4 : 3));
        if (latin)
            json_object_set_new(p, "name_ar", col_str(st, 3));
        json_object_set_new(p, "sex", col_str(st, 5));
        json_t *dob = json_pack("{s:o,s:o}", "date_of_birth", col_str(st, 6), "dob_precision",
                                col_str(st, 7));
        int age = awda_person_age_at(dob, departs_ms ? departs_ms : awda_now_ms());
        json_decref(dob);
        json_object_set_new(p, "age", age >= 0 ? json_integer(age) : json_null());
        json_object_set_new(p, "relationship", col_str(st, 8));
        json_object_set_new(p, "status", col_str(st, 9));
        if (sqlite3_column_type(st, 10) != SQLITE_NULL)
            json_object_set_new(p, "removed_reason", col_str(st, 10));
        json_array_append_new(out, p);
    }
    done(st, 0);
    return out;
}

static void add_reception(store_conn_t *c, int64_t pk, json_t *o)
{
    sqlite3_stmt *st = stmt(c, &Q_RECEPTION);
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, pk);
    if (sqlite3_step(st) == SQLITE_ROW)
        json_object_set_new(o, "reception",
                            json_pack("{s:o,s:o,s:o}", "met_by", col_str(st, 0), "at",
                                      utc_or_null(st, 1), "notes", col_str(st, 2)));
    done(st, 0);
}

json_t *store_movement_get(store_conn_t *c, int64_t pk, int with_passengers)
{
    sqlite3_stmt *st = stmt(c, &Q_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = NULL;
    int64_t departs = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        o = movement_row(st);
        departs = sqlite3_column_int64(st, 8);
    }
    done(st, 0);
    if (!o)
        return NULL;
    json_t *legs = legs_of(c, pk);
    json_t *pass = with_passengers ? passengers_of(c, pk, departs) : NULL;
    if (!legs || (with_passengers && !pass)) {
        json_decref(legs);
        json_decref(pass);
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "legs", legs);
    if (pass)
        json_object_set_new(o, "passengers", pass);
    add_reception(c, pk, o);
    return o;
}

json_t *store_movement_list(store_conn_t *c, const char *status, int64_t office_pk,
                            const int64_t *offices, int nof, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_LIST);
    if (!st)
        return NULL;
    char *scope = store_offices_json(offices, nof);
    bind_text_or_null(st, 1, status);
    sqlite3_bind_int64(st, 2, office_pk);
    bind_text_or_null(st, 3, scope);
    sqlite3_bind_int(st, 4, limit);
    free(scope);
    json_t *items = json_array();
    json_t *pks = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_array_append_new(items, movement_row(st));
        json_array_append_new(pks, json_integer(sqlite3_column_int64(st, 16)));
    }
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(items);
        json_decref(pks);
        return NULL;
    }
    size_t i;
    json_t *m;
    json_array_foreach(items, i, m)
    {
        json_t *legs = legs_of(c, json_integer_value(json_array_get(pks, i)));
        json_object_set_new(m, "legs", legs ? legs : json_array());
    }
    json_decref(pks);
    return items;
}

/* ---- passengers ----------------------------------------------------------- */

static store_stmt_t Q_SEATS = {
    .sql = "SELECT (SELECT count(*) FROM movement_passengers WHERE movement_pk=?1 AND status IN "
           "('booked','departed'))+(SELECT count(*) FROM movement_escorts WHERE movement_pk=?1)"};

long long store_movement_seats_taken(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_SEATS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, pk);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st, 0);
    return n;
}

static store_stmt_t Q_PASSENGER_ADD = {
    .sql = "INSERT INTO movement_passengers(movement_pk,person_pk,case_pk,status,booked_at,"
           "booked_by_pk) VALUES(?,?,?,'booked',?,?)"};

int store_movement_passenger_add(store_conn_t *c, int64_t movement_pk, int64_t person_pk,
                                 int64_t case_pk, int64_t user_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGER_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, movement_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    sqlite3_bind_int64(st, 3, case_pk);
    sqlite3_bind_int64(st, 4, awda_now_ms());
    bind_pk_or_null(st, 5, user_pk);
    return step_done(c, st);
}

static store_stmt_t Q_PASSENGERS_OFF = {
    .sql = "UPDATE movement_passengers SET status=?1,removed_reason=?2,removed_at=?3,"
           "removed_by_pk=?4 WHERE movement_pk=?5 AND (?6=0 OR case_pk=?6) AND status='booked'"};

int store_movement_passengers_off(store_conn_t *c, int64_t movement_pk, int64_t case_pk,
                                  const char *status, const char *reason, int64_t user_pk, int *n)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGERS_OFF);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, status);
    bind_text_or_null(st, 2, reason);
    sqlite3_bind_int64(st, 3, awda_now_ms());
    bind_pk_or_null(st, 4, user_pk);
    sqlite3_bind_int64(st, 5, movement_pk);
    sqlite3_bind_int64(st, 6, case_pk);
    int rc = step_done(c, st);
    if (n)
        *n = rc == STORE_OK ? sqlite3_changes(c->db) : 0;
    return rc;
}

static store_stmt_t Q_PASSENGERS_MOVE = {
    .sql = "UPDATE movement_passengers SET status=? WHERE movement_pk=? AND status=?"};

int store_movement_passengers_move(store_conn_t *c, int64_t movement_pk, const char *from,
                                   const char *to)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGERS_MOVE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, to);
    sqlite3_bind_int64(st, 2, movement_pk);
    bind_text_or_null(st, 3, from);
    return step_done(c, st);
}

static store_stmt_t Q_CASES = {
    .sql = "SELECT case_pk,person_pk FROM movement_passengers WHERE movement_pk=? AND status=? "
           "ORDER BY pk"};

json_t *store_movement_cases(store_conn_t *c, int64_t movement_pk, const char *status)
{
    sqlite3_stmt *st = stmt(c, &Q_CASES);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, status);
    json_t *out = json_array();
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_int_t cpk = sqlite3_column_int64(st, 0);
        json_t *entry = NULL;
        size_t i;
        json_t *e;
        json_array_foreach(out, i, e)
        {
            if (json_integer_value(json_object_get(e, "case_pk")) == cpk)
                entry = e;
        }
        if (!entry) {
            entry = json_pack("{s:I,s:[]}", "case_pk", cpk, "persons");
            json_array_append_new(out, entry);
        }
        json_array_append_new(json_object_get(entry, "persons"),
                              json_integer(sqlite3_column_int64(st, 1)));
    }
    done(st, 0);
    if (s != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static store_stmt_t Q_OF_PERSON = {
    .sql = "SELECT movement_pk FROM movement_passengers WHERE person_pk=? AND status IN "
           "('booked','departed')"};

int64_t store_movement_of_person(store_conn_t *c, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_OF_PERSON);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, person_pk);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_READY_CASE = {
    .sql = "SELECT c.pk FROM case_members cm JOIN cases c ON c.pk=cm.case_pk WHERE "
           "cm.person_pk=? AND c.stage='ready' ORDER BY c.pk DESC LIMIT 1"};

int64_t store_movement_ready_case(store_conn_t *c, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_READY_CASE);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, person_pk);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_CASE_DEPARTURE = {.sql = "UPDATE cases SET planned_departure=? WHERE pk=?"};

int store_movement_case_departure(store_conn_t *c, int64_t case_pk, const char *planned)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_DEPARTURE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, planned);
    sqlite3_bind_int64(st, 2, case_pk);
    return step_done(c, st);
}

static store_stmt_t Q_RECEPTION_INSERT = {
    .sql = "INSERT INTO movement_receptions(movement_pk,met_by,at,notes,recorded_by_pk) "
           "VALUES(?,?,?,?,?)"};

int store_movement_reception_insert(store_conn_t *c, int64_t movement_pk, const char *met_by,
                                    int64_t at_ms, const char *notes, int64_t user_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_RECEPTION_INSERT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, met_by);
    sqlite3_bind_int64(st, 3, at_ms);
    bind_text_or_null(st, 4, notes);
    bind_pk_or_null(st, 5, user_pk);
    return step_done(c, st);
}

static store_stmt_t Q_ONWARD_TAKEN = {
    .sql = "UPDATE movement_onward SET taken=?,updated_at=? WHERE movement_pk=? AND person_pk=?"};

int store_movement_onward_taken(store_conn_t *c, int64_t movement_pk, int64_t person_pk, int taken)
{
    sqlite3_stmt *st = stmt(c, &Q_ONWARD_TAKEN);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int(st, 1, taken ? 1 : 0);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    sqlite3_bind_int64(st, 3, movement_pk);
    sqlite3_bind_int64(st, 4, person_pk);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_NOTFOUND;
    return rc;
}
