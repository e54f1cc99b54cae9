/*
 * movement_care.c — the store of a movement's care: escorts and the
 * passengers they accompany, airport assistance per leg, onward transport
 * and travel allowances (migration 16), and the facts about a passenger
 * that the escort requirements read (their latest health assessment's
 * needs, their vulnerability flags).
 *
 * Every statement sits beside the function that runs it and names the
 * movement by its key: the application layer has found the movement and
 * checked the caller's scope before it calls here.
 */
#include "internal.h"
#include "movement_care.h"

/* ---- what the escort requirements read ---------------------------------- */

static store_stmt_t Q_ESCORT_COVER = {
    .sql = "SELECT p.id,max(e.kind='medical') FROM movement_escorts e JOIN "
           "movement_escort_passengers ep ON ep.escort_pk=e.pk JOIN persons p ON "
           "p.pk=ep.person_pk WHERE e.movement_pk=? GROUP BY p.id"};

json_t *store_movement_escort_cover(store_conn_t *c, int64_t movement_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_COVER);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    json_t *out = json_object();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_object_set_new(
            out, (const char *)sqlite3_column_text(st, 0),
            json_pack("{s:b,s:b}", "medical", sqlite3_column_int(st, 1) != 0, "any", 1));
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}

/* The latest fitness-to-travel assessment of the person in the case (the
 * pre-embarkation check is a record of the same kind marked so; core
 * guards read the same one). "needs" is not sealed (core/records.c). */
static store_stmt_t Q_PASSENGER_FACTS = {
    .sql = "SELECT p.vulnerabilities,(SELECT r.data FROM case_records r WHERE r.case_pk=c.pk "
           "AND r.person_pk=p.pk AND r.kind='health_assessment' AND "
           "coalesce(json_extract(r.data,'$.pre_embarkation'),0)=0 ORDER BY r.pk DESC LIMIT 1) "
           "FROM persons p LEFT JOIN cases c ON c.id=?2 WHERE p.id=?1"};

static int json_text_has(const unsigned char *text, int n, const char *key, const char *value)
{
    if (!text)
        return 0;
    json_t *v = json_loadb((const char *)text, (size_t)n, 0, NULL);
    const json_t *list = key ? json_object_get(v, key) : v;
    int found = 0;
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        if (json_is_string(x) && strcmp(json_string_value(x), value) == 0)
            found = 1;
    }
    json_decref(v);
    return found;
}

int store_movement_passenger_facts(store_conn_t *c, const char *case_id, const char *person_id,
                                   int *needs_medical, int *flagged)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGER_FACTS);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, person_id);
    bind_text_or_null(st, 2, case_id);
    *needs_medical = *flagged = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(st, 0);
        int vn = sqlite3_column_bytes(st, 0);
        *flagged = json_text_has(v, vn, NULL, "unaccompanied_child") ||
                   json_text_has(v, vn, NULL, "separated_child");
        *needs_medical = json_text_has(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1),
                                       "needs", "medical_escort");
        return done(st, STORE_OK);
    }
    return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
}

/* ---- the movement ------------------------------------------------------------- */

/* One integer of a statement bound with the movement's key; -1 on error. */
static long long count_of(store_conn_t *c, store_stmt_t *d, int64_t movement_pk)
{
    sqlite3_stmt *st = stmt(c, d);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, movement_pk);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st, 0);
    return n;
}

static store_stmt_t Q_LEG_COUNT = {.sql = "SELECT count(*) FROM movement_legs WHERE movement_pk=?"};

int store_mvcare_leg_count(store_conn_t *c, int64_t movement_pk)
{
    return (int)count_of(c, &Q_LEG_COUNT, movement_pk);
}

static store_stmt_t Q_PASSENGER_PK = {
    .sql = "SELECT p.pk FROM persons p JOIN movement_passengers mp ON mp.person_pk=p.pk WHERE "
           "p.id=?2 AND mp.movement_pk=?1 AND (mp.status IN ('booked','departed') OR (?3 AND "
           "mp.status='arrived')) LIMIT 1"};

int64_t store_mvcare_passenger_pk(store_conn_t *c, int64_t movement_pk, const char *person_id,
                                  int arrived)
{
    sqlite3_stmt *st = stmt(c, &Q_PASSENGER_PK);
    if (!st || !person_id)
        return 0;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, person_id);
    sqlite3_bind_int(st, 3, arrived != 0);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_USER_PK = {.sql = "SELECT pk FROM users WHERE username=? AND disabled=0"};

int64_t store_mvcare_user_pk(store_conn_t *c, const char *username)
{
    return store_lookup_pk(c, &Q_USER_PK, username);
}

static store_stmt_t Q_PARTNER_PK = {.sql = "SELECT pk FROM partners WHERE id=?"};

int64_t store_mvcare_partner_pk(store_conn_t *c, const char *id)
{
    return store_lookup_pk(c, &Q_PARTNER_PK, id);
}

/* A column holding JSON text as a value (JSON null when NULL or broken). */
static json_t *col_json(sqlite3_stmt *st, int col)
{
    json_t *v = NULL;
    if (sqlite3_column_type(st, col) != SQLITE_NULL)
        v = json_loadb((const char *)sqlite3_column_text(st, col),
                       (size_t)sqlite3_column_bytes(st, col), 0, NULL);
    return v ? v : json_null();
}

static json_t *col_time_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? json_null() : store_col_time(st, col);
}

/* Steps st to the end, appending row(st) for each row; NULL (freed) on
 * error. Resets st. */
static json_t *collect(sqlite3_stmt *st, json_t *(*row)(sqlite3_stmt *st))
{
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, row(st));
    done(st, 0);
    if (rc != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* ---- escorts ------------------------------------------------------------------- */

static store_stmt_t Q_ESCORT_COUNT = {
    .sql = "SELECT count(*) FROM movement_escorts WHERE movement_pk=?"};

long long store_escort_count(store_conn_t *c, int64_t movement_pk)
{
    return count_of(c, &Q_ESCORT_COUNT, movement_pk);
}

static store_stmt_t Q_ESCORT_INSERT = {
    .sql = "INSERT INTO movement_escorts(id,movement_pk,kind,user_pk,name,organisation,"
           "created_at,created_by_pk) VALUES(?,?,?,?,?,?,?,?)"};

int store_escort_insert(store_conn_t *c, int64_t movement_pk, const char *kind, int64_t user_pk,
                        const char *name, const char *organisation, int64_t by_pk, char id_out[37],
                        int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, movement_pk);
    bind_text_or_null(st, 3, kind);
    bind_pk_or_null(st, 4, user_pk);
    bind_text_or_null(st, 5, user_pk ? NULL : name);
    bind_text_or_null(st, 6, user_pk ? NULL : organisation);
    sqlite3_bind_int64(st, 7, awda_now_ms());
    bind_pk_or_null(st, 8, by_pk);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

static store_stmt_t Q_ESCORT_PK = {
    .sql = "SELECT pk FROM movement_escorts WHERE movement_pk=? AND id=?"};

int64_t store_escort_pk(store_conn_t *c, int64_t movement_pk, const char *id)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_PK);
    if (!st || !id)
        return 0;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, id);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_ESCORT_UPDATE = {
    .sql = "UPDATE movement_escorts SET kind=?,user_pk=?,name=?,organisation=? WHERE pk=?"};

int store_escort_update(store_conn_t *c, int64_t escort_pk, const char *kind, int64_t user_pk,
                        const char *name, const char *organisation)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_UPDATE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, kind);
    bind_pk_or_null(st, 2, user_pk);
    bind_text_or_null(st, 3, user_pk ? NULL : name);
    bind_text_or_null(st, 4, user_pk ? NULL : organisation);
    sqlite3_bind_int64(st, 5, escort_pk);
    return step_done(c, st);
}

static store_stmt_t Q_ESCORT_PASSENGERS_CLEAR = {
    .sql = "DELETE FROM movement_escort_passengers WHERE escort_pk=?"};
static store_stmt_t Q_ESCORT_PASSENGER_ADD = {
    .sql = "INSERT OR IGNORE INTO movement_escort_passengers(escort_pk,person_pk) VALUES(?,?)"};

int store_escort_passengers_set(store_conn_t *c, int64_t escort_pk, const int64_t *person_pks,
                                size_t n)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_PASSENGERS_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, escort_pk);
    int rc = step_done(c, st);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        st = stmt(c, &Q_ESCORT_PASSENGER_ADD);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, escort_pk);
        sqlite3_bind_int64(st, 2, person_pks[i]);
        rc = step_done(c, st);
    }
    return rc;
}

static store_stmt_t Q_ESCORT_DELETE = {.sql = "DELETE FROM movement_escorts WHERE pk=?"};

int store_escort_delete(store_conn_t *c, int64_t escort_pk)
{
    /* The passengers go with it (ON DELETE CASCADE); said explicitly too,
     * so that a connection without foreign keys leaves nothing behind. */
    int rc = store_escort_passengers_set(c, escort_pk, NULL, 0);
    sqlite3_stmt *st = rc == STORE_OK ? stmt(c, &Q_ESCORT_DELETE) : NULL;
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, escort_pk);
    return step_done(c, st);
}

static store_stmt_t Q_ESCORT_LIST = {
    .sql = "SELECT e.id,e.kind,u.username,coalesce(e.name,u.full_name,u.username),e.organisation,"
           "e.created_at,(SELECT json_group_array(json_object('person_id',p.id,'name',p.name,"
           "'name_latin',p.name_latin)) FROM (SELECT p.id,p.name,p.name_latin FROM "
           "movement_escort_passengers ep JOIN persons p ON p.pk=ep.person_pk WHERE "
           "ep.escort_pk=e.pk ORDER BY p.pk) p) FROM movement_escorts e LEFT JOIN users u ON "
           "u.pk=e.user_pk WHERE e.movement_pk=?1 AND (?2 IS NULL OR e.id=?2) ORDER BY e.pk"};

static json_t *escort_row(sqlite3_stmt *st)
{
    json_t *acc = col_json(st, 6);
    if (!json_is_array(acc)) {
        json_decref(acc);
        acc = json_array();
    }
    json_t *ids = json_array();
    size_t i;
    json_t *a;
    json_array_foreach(acc, i, a)
    {
        json_array_append(ids, json_object_get(a, "person_id"));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "kind",
                     col_str(st, 1), "user", col_str(st, 2), "name", col_str(st, 3), "organisation",
                     col_str(st, 4), "passengers", ids, "accompanies", acc, "created_at",
                     store_col_time(st, 5));
}

json_t *store_escort_list(store_conn_t *c, int64_t movement_pk, const char *id)
{
    sqlite3_stmt *st = stmt(c, &Q_ESCORT_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, id);
    return collect(st, escort_row);
}

/* ---- airport assistance ---------------------------------------------------------- */

static store_stmt_t Q_ASSISTANCE_COUNT = {
    .sql = "SELECT count(*) FROM movement_assistance WHERE movement_pk=?"};

long long store_assistance_count(store_conn_t *c, int64_t movement_pk)
{
    return count_of(c, &Q_ASSISTANCE_COUNT, movement_pk);
}

static store_stmt_t Q_ASSISTANCE_INSERT = {
    .sql = "INSERT INTO movement_assistance(id,movement_pk,leg_position,point,meeting_point,"
           "user_pk,partner_pk,status,version,updated_at) VALUES(?,?,?,?,?,?,?,?,1,?)"};

int store_assistance_insert(store_conn_t *c, int64_t movement_pk, const json_t *a, int64_t user_pk,
                            int64_t partner_pk, char id_out[37])
{
    sqlite3_stmt *st = stmt(c, &Q_ASSISTANCE_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    const char *status = jstr(a, "status");
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, movement_pk);
    sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(a, "leg")));
    bind_text_or_null(st, 4, jstr(a, "point"));
    bind_text_or_null(st, 5, jstr(a, "meeting_point"));
    bind_pk_or_null(st, 6, user_pk);
    bind_pk_or_null(st, 7, partner_pk);
    bind_text_or_null(st, 8, status ? status : "requested");
    sqlite3_bind_int64(st, 9, awda_now_ms());
    return step_done(c, st);
}

static store_stmt_t Q_ASSISTANCE_FIND = {
    .sql = "SELECT pk,version FROM movement_assistance WHERE movement_pk=? AND id=?"};

int store_assistance_find(store_conn_t *c, int64_t movement_pk, const char *id, int64_t *pk,
                          int64_t *version)
{
    sqlite3_stmt *st = stmt(c, &Q_ASSISTANCE_FIND);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    *pk = sqlite3_column_int64(st, 0);
    *version = sqlite3_column_int64(st, 1);
    return done(st, STORE_OK);
}

static store_stmt_t Q_ASSISTANCE_UPDATE = {
    .sql = "UPDATE movement_assistance SET leg_position=?,point=?,meeting_point=?,user_pk=?,"
           "partner_pk=?,status=?,version=version+1,updated_at=? WHERE pk=? AND version=?"};

int store_assistance_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *a,
                            int64_t user_pk, int64_t partner_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ASSISTANCE_UPDATE);
    if (!st)
        return STORE_ERR;
    const char *status = jstr(a, "status");
    sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(a, "leg")));
    bind_text_or_null(st, 2, jstr(a, "point"));
    bind_text_or_null(st, 3, jstr(a, "meeting_point"));
    bind_pk_or_null(st, 4, user_pk);
    bind_pk_or_null(st, 5, partner_pk);
    bind_text_or_null(st, 6, status ? status : "requested");
    sqlite3_bind_int64(st, 7, awda_now_ms());
    sqlite3_bind_int64(st, 8, pk);
    sqlite3_bind_int64(st, 9, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        return STORE_STALE;
    return rc;
}

static store_stmt_t Q_ASSISTANCE_LIST = {
    .sql = "SELECT a.id,a.leg_position,a.point,a.meeting_point,u.username,pa.id,pa.name,a.status,"
           "a.version,a.updated_at FROM movement_assistance a LEFT JOIN users u ON u.pk=a.user_pk "
           "LEFT JOIN partners pa ON pa.pk=a.partner_pk WHERE a.movement_pk=?1 AND (?2 IS NULL OR "
           "a.id=?2) ORDER BY a.leg_position,CASE a.point WHEN 'departure' THEN 0 WHEN 'transit' "
           "THEN 1 ELSE 2 END,a.pk"};

static json_t *assistance_row(sqlite3_stmt *st)
{
    json_t *partner = sqlite3_column_type(st, 5) == SQLITE_NULL
                          ? json_null()
                          : json_pack("{s:o,s:o}", "id", col_str(st, 5), "name", col_str(st, 6));
    return json_pack("{s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "id", col_str(st, 0), "leg",
                     (json_int_t)sqlite3_column_int64(st, 1), "point", col_str(st, 2),
                     "meeting_point", col_str(st, 3), "user", col_str(st, 4), "partner", partner,
                     "status", col_str(st, 7), "version", (json_int_t)sqlite3_column_int64(st, 8),
                     "updated_at", store_col_time(st, 9));
}

json_t *store_assistance_list(store_conn_t *c, int64_t movement_pk, const char *id)
{
    sqlite3_stmt *st = stmt(c, &Q_ASSISTANCE_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, id);
    return collect(st, assistance_row);
}

/* ---- onward transport ------------------------------------------------------------- */

static store_stmt_t Q_ONWARD_PUT = {
    .sql = "INSERT INTO movement_onward(movement_pk,person_pk,mode,provider,partner_pk,"
           "destination_pcode,destination_admin_area,cost_minor,currency,updated_at) "
           "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT(movement_pk,person_pk) DO UPDATE "
           "SET mode=?3,provider=?4,partner_pk=?5,destination_pcode=?6,destination_admin_area=?7,"
           "cost_minor=?8,currency=?9,updated_at=?10"};

int store_onward_put(store_conn_t *c, int64_t movement_pk, int64_t person_pk, const json_t *o,
                     int64_t partner_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ONWARD_PUT);
    if (!st)
        return STORE_ERR;
    const json_t *cost = json_object_get(o, "cost");
    sqlite3_bind_int64(st, 1, movement_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    bind_text_or_null(st, 3, jstr(o, "mode"));
    bind_text_or_null(st, 4, jstr(o, "provider"));
    bind_pk_or_null(st, 5, partner_pk);
    bind_text_or_null(st, 6, jstr(o, "destination_pcode"));
    bind_text_or_null(st, 7, jstr(o, "destination_admin_area"));
    if (json_is_integer(json_object_get(cost, "amount_minor")))
        sqlite3_bind_int64(st, 8, json_integer_value(json_object_get(cost, "amount_minor")));
    else
        sqlite3_bind_null(st, 8);
    bind_text_or_null(st, 9, jstr(cost, "currency"));
    sqlite3_bind_int64(st, 10, awda_now_ms());
    return step_done(c, st);
}

static store_stmt_t Q_ONWARD_DELETE = {
    .sql = "DELETE FROM movement_onward WHERE movement_pk=? AND person_pk=?"};

int store_onward_delete(store_conn_t *c, int64_t movement_pk, int64_t person_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ONWARD_DELETE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, movement_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    int rc = step_done(c, st);
    return rc == STORE_OK && sqlite3_changes(c->db) == 0 ? STORE_NOTFOUND : rc;
}

static store_stmt_t Q_ONWARD_LIST = {
    .sql = "SELECT p.id,o.mode,o.provider,pa.id,pa.name,o.destination_pcode,"
           "o.destination_admin_area,o.cost_minor,o.currency,o.taken,o.updated_at FROM "
           "movement_onward o JOIN persons p ON p.pk=o.person_pk LEFT JOIN partners pa ON "
           "pa.pk=o.partner_pk WHERE o.movement_pk=?1 AND (?2 IS NULL OR p.id=?2) ORDER BY "
           "o.person_pk"};

static json_t *onward_row(sqlite3_stmt *st)
{
    json_t *partner = sqlite3_column_type(st, 3) == SQLITE_NULL
                          ? json_null()
                          : json_pack("{s:o,s:o}", "id", col_str(st, 3), "name", col_str(st, 4));
    json_t *cost =
        sqlite3_column_type(st, 7) == SQLITE_NULL
            ? json_null()
            : json_pack("{s:I,s:o}", "amount_minor", (json_int_t)sqlite3_column_int64(st, 7),
                        "currency", col_str(st, 8));
    json_t *taken = sqlite3_column_type(st, 9) == SQLITE_NULL
                        ? json_null()
                        : json_boolean(sqlite3_column_int(st, 9));
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "person_id", col_str(st, 0), "mode",
                     col_str(st, 1), "provider", col_str(st, 2), "partner", partner,
                     "destination_pcode", col_str(st, 5), "destination_admin_area", col_str(st, 6),
                     "cost", cost, "taken", taken, "updated_at", store_col_time(st, 10));
}

json_t *store_onward_list(store_conn_t *c, int64_t movement_pk, const char *person_id)
{
    sqlite3_stmt *st = stmt(c, &Q_ONWARD_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, person_id);
    return collect(st, onward_row);
}

/* ---- travel allowance ------------------------------------------------------------- */

static store_stmt_t Q_ALLOWANCE_PUT = {
    .sql = "INSERT INTO movement_allowances(movement_pk,person_pk,amount_minor,currency,"
           "budget_line,recorded_at,recorded_by_pk) VALUES(?1,?2,?3,?4,?5,?6,?7) ON "
           "CONFLICT(movement_pk,person_pk) DO UPDATE SET amount_minor=?3,currency=?4,"
           "budget_line=?5,recorded_at=?6,recorded_by_pk=?7"};

int store_allowance_put(store_conn_t *c, int64_t movement_pk, int64_t person_pk, const json_t *a,
                        int64_t by_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ALLOWANCE_PUT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, movement_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    sqlite3_bind_int64(st, 3, json_integer_value(json_object_get(a, "amount_minor")));
    bind_text_or_null(st, 4, jstr(a, "currency"));
    bind_text_or_null(st, 5, jstr(a, "budget_line"));
    sqlite3_bind_int64(st, 6, awda_now_ms());
    bind_pk_or_null(st, 7, by_pk);
    return step_done(c, st);
}

static store_stmt_t Q_ALLOWANCE_LIST = {
    .sql = "SELECT p.id,a.amount_minor,a.currency,a.budget_line,a.recorded_at,u.username FROM "
           "movement_allowances a JOIN persons p ON p.pk=a.person_pk LEFT JOIN users u ON "
           "u.pk=a.recorded_by_pk WHERE a.movement_pk=?1 AND (?2 IS NULL OR p.id=?2) ORDER BY "
           "a.person_pk"};

static json_t *allowance_row(sqlite3_stmt *st)
{
    return json_pack("{s:o,s:I,s:o,s:o,s:o,s:o}", "person_id", col_str(st, 0), "amount_minor",
                     (json_int_t)sqlite3_column_int64(st, 1), "currency", col_str(st, 2),
                     "budget_line", col_str(st, 3), "recorded_at", store_col_time(st, 4),
                     "recorded_by", col_str(st, 5));
}

json_t *store_allowance_list(store_conn_t *c, int64_t movement_pk, const char *person_id)
{
    sqlite3_stmt *st = stmt(c, &Q_ALLOWANCE_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    bind_text_or_null(st, 2, person_id);
    return collect(st, allowance_row);
}

/* ---- the manifest ----------------------------------------------------------------- */

static store_stmt_t Q_MANIFEST_MOVEMENT = {
    .sql = "SELECT m.id,m.type,m.reference,m.carrier,m.status,o.code,r.code,m.capacity,"
           "m.departs_ms,m.arrives_ms,(SELECT json_group_array(json_object('from',l.from_place,"
           "'to',l.to_place,'number',l.number,'departs_at',l.departs_local,'departs_tz',"
           "l.departs_tz,'arrives_at',l.arrives_local,'arrives_tz',l.arrives_tz)) FROM (SELECT * "
           "FROM movement_legs WHERE movement_pk=m.pk ORDER BY position) l) FROM movements m JOIN "
           "offices o ON o.pk=m.office_pk JOIN offices r ON r.pk=m.receiving_office_pk WHERE "
           "m.pk=?"};

json_t *store_manifest_movement(store_conn_t *c, int64_t movement_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_MANIFEST_MOVEMENT);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    json_t *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        out =
            json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o,s:o,s:o}", "id", col_str(st, 0), "type",
                      col_str(st, 1), "reference", col_str(st, 2), "carrier", col_str(st, 3),
                      "status", col_str(st, 4), "office", col_str(st, 5), "receiving_office",
                      col_str(st, 6), "capacity", (json_int_t)sqlite3_column_int64(st, 7),
                      "departs_at", col_time_or_null(st, 8), "arrives_at", col_time_or_null(st, 9),
                      "legs", col_json(st, 10));
    done(st, 0);
    return out;
}

#define TRAVEL_TYPES "('passport','laissez_passer','emergency_travel_document')"

static store_stmt_t Q_MANIFEST_PASSENGERS = {
    .sql =
        "SELECT p.id,c.id,c.number,m.relationship,p.name,p.name_latin,p.sex,p.date_of_birth,"
        "p.dob_precision,p.nationality,p.vulnerabilities,mp.status,"
        "(SELECT json_object('type',json_extract(r.data,'$.type'),'number',"
        "json_extract(r.data,'$.number')) FROM case_records r WHERE r.case_pk=mp.case_pk AND "
        "r.person_pk=mp.person_pk AND r.kind='travel_document' AND "
        "json_extract(r.data,'$.status')='issued' ORDER BY r.pk DESC LIMIT 1),"
        "(SELECT json_object('type',d.type,'number',d.number) FROM person_documents d WHERE "
        "d.person_pk=mp.person_pk AND d.type IN " TRAVEL_TYPES " ORDER BY d.expiry DESC LIMIT 1) "
        "FROM movement_passengers mp JOIN persons p ON p.pk=mp.person_pk JOIN cases c ON "
        "c.pk=mp.case_pk LEFT JOIN case_members m ON m.case_pk=mp.case_pk AND "
        "m.person_pk=mp.person_pk WHERE mp.movement_pk=? AND mp.status IN "
        "('booked','departed','arrived') ORDER BY c.number,coalesce(m.position,1000000),mp.pk"};

static json_t *manifest_row(sqlite3_stmt *st)
{
    json_t *vuln = col_json(st, 10);
    if (!json_is_array(vuln)) {
        json_decref(vuln);
        vuln = json_array();
    }
    json_t *doc = col_json(st, 12);
    if (json_is_null(doc)) {
        json_decref(doc);
        doc = col_json(st, 13);
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "person_id",
                     col_str(st, 0), "case_id", col_str(st, 1), "case_number", col_str(st, 2),
                     "relationship", col_str(st, 3), "name", col_str(st, 4), "name_latin",
                     col_str(st, 5), "sex", col_str(st, 6), "date_of_birth", col_str(st, 7),
                     "dob_precision", col_str(st, 8), "nationality", col_str(st, 9),
                     "vulnerabilities", vuln, "status", col_str(st, 11), "travel_document", doc);
}

json_t *store_manifest_passengers(store_conn_t *c, int64_t movement_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_MANIFEST_PASSENGERS);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, movement_pk);
    return collect(st, manifest_row);
}
