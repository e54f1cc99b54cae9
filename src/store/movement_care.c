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
