/*
 * movement_care.c — the care of a movement's passengers: the escort
 * requirements (app_movement_escort_blockers, which confirming and
 * departing a movement check), escorts, airport assistance, onward
 * transport and travel allowances.
 *
 * The escort requirements are read at the moment they are asked, over the
 * passengers the caller hands in (the movement's JSON) and the store's
 * escorts, health assessments and vulnerability flags: nothing here is
 * cached, so a confirmation made inside the writer's transaction sees the
 * escorts as they are in that transaction.
 */
#include "internal.h"
#include "movement_care.h"
#include "../store/movement_care.h"
#include <stdio.h>
#include <string.h>

/* ---- escort requirements -------------------------------------------------- */

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* 1 when the passenger is on the movement (booked or flown). */
static int travelling(const json_t *p)
{
    const char *s = jstr(p, "status");
    return !s || strcmp(s, "booked") == 0 || strcmp(s, "departed") == 0;
}

static int age_of(const json_t *p)
{
    const json_t *a = json_object_get(p, "age");
    return json_is_integer(a) ? (int)json_integer_value(a) : -1;
}

/* 1 when a travelling member of the passenger's case is known to be an
 * adult at departure (a member of unknown age does not count, as in
 * core/guards.c). */
static int household_adult(const json_t *passengers, const char *case_id)
{
    size_t i;
    json_t *q;
    json_array_foreach(passengers, i, q)
    {
        const char *qc = jstr(q, "case_id");
        if (travelling(q) && qc && case_id && strcmp(qc, case_id) == 0 && age_of(q) >= 18)
            return 1;
    }
    return 0;
}

static void blocker(json_t *out, const char *person_id, const char *code, const char *msg)
{
    json_array_append_new(
        out, json_pack("{s:s,s:s,s:s}", "person_id", person_id, "code", code, "message", msg));
}

json_t *app_movement_escort_blockers(store_conn_t *c, int64_t movement_pk, const json_t *passengers)
{
    json_t *cover = store_movement_escort_cover(c, movement_pk);
    if (!cover)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(passengers, i, p)
    {
        const char *pid = jstr(p, "person_id"), *cid = jstr(p, "case_id");
        if (!pid || !travelling(p))
            continue;
        int needs_medical = 0, flagged = 0;
        int rc = store_movement_passenger_facts(c, cid, pid, &needs_medical, &flagged);
        if (rc == STORE_ERR) {
            json_decref(out);
            out = NULL;
            break;
        }
        const json_t *cov = json_object_get(cover, pid);
        const char *name = jstr(p, "name") ? jstr(p, "name") : pid;
        char msg[400];
        if (needs_medical && !json_is_true(json_object_get(cov, "medical"))) {
            snprintf(msg, sizeof msg,
                     "%s needs a medical escort: assign a medical escort of this movement to them",
                     name);
            blocker(out, pid, "escort.medical", msg);
        }
        int age = age_of(p);
        /* A flag says child even when the date of birth is unknown. */
        int child = (age >= 0 && age < 18) || (flagged && age < 0);
        if (child && (flagged || !household_adult(passengers, cid)) && !cov) {
            snprintf(msg, sizeof msg,
                     "the child %s travels unaccompanied: assign an escort of this movement to "
                     "them",
                     name);
            blocker(out, pid, "escort.child", msg);
        }
    }
    json_decref(cover);
    return out;
}
