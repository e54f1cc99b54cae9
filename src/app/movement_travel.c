/*
 * movement_travel.c — the day of travel: confirming a movement, its
 * departure and its arrival.
 *
 * Each is ONE job on the writer, and every decision is made inside its
 * transaction: the checks read the cases as they are at that moment, and
 * the cases' stages move in the same transaction. A withdrawal (a step of
 * app/journey.c, which writes only when the case's version is still the
 * one it decided on) and a departure therefore never both succeed: if the
 * departure commits first, the case is `departed` and the withdrawal is
 * decided again and refused; if the withdrawal commits first, the
 * departure sees a withdrawn case and names the person.
 *
 *   confirm  planned → confirmed: the booking check of every booked
 *            household at the movement's departure, and the escort
 *            requirements (app_movement_escort_blockers, movement_care.c)
 *   depart   confirmed → departed: every case still `booked`, the `depart`
 *            step's requirements (the boarding check of every member at
 *            the planned departure, the case-wide decisions) and the time
 *            it says ("at"), the escort requirements; then every case
 *            takes `depart` and the passengers are departed
 *   arrive   departed → arrived, by the receiving office: every case takes
 *            `arrive`, the reception and the onward transport taken are
 *            recorded, and each case is handed over to the receiving
 *            office (app_hand_over_case, journey.c)
 * Any blocker → 409 with errors[] naming the persons; nothing changes.
 */
#include "movements.h"
#include "internal.h"
#include "movement_care.h"
#include "../core/field.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *id;
    const app_if_match_t *m;
    const json_t *body;
    const char *at;
    int64_t at_ms;
} travel_ctx_t;

static void add_one_unmet(json_t *errors, const json_t *q, const awda_journey_t *j,
                          const char *person_id)
{
    json_t *e =
        json_pack("{s:s,s:O,s:O,s:s}", "field", "passengers", "code", json_object_get(q, "code"),
                  "message", json_object_get(q, "message"), "case_id", j->case_id);
    if (person_id && *person_id)
        json_object_set_new(e, "person_id", json_string(person_id));
    json_array_append_new(errors, e);
}

/* Adds the unmet requirements reqs to errors, each naming its person and
 * case. A requirement of the whole case (a restriction on the destination,
 * the eligibility decision, a procedure) names every member: each of
 * them is stopped by it. */
static void add_unmet(json_t *errors, const json_t *reqs, const awda_journey_t *j)
{
    size_t i;
    json_t *q;
    json_array_foreach(reqs, i, q)
    {
        if (json_is_true(json_object_get(q, "met")))
            continue;
        const char *pid = json_string_value(json_object_get(q, "person_id"));
        if (pid || j->nmembers == 0) {
            add_one_unmet(errors, q, j, pid);
            continue;
        }
        for (int k = 0; k < j->nmembers; k++)
            add_one_unmet(errors, q, j, j->members[k].person_id);
    }
}

/* A case no longer at the stage the action needs: one error per member. */
static void add_stage_errors(json_t *errors, const awda_journey_t *j)
{
    const char *stage = *j->stage ? j->stage : "?";
    for (int i = 0; i < j->nmembers; i++) {
        const awda_member_t *m = &j->members[i];
        json_t *e = json_array();
        awda_error_add_code(e, "passengers", "case.stage", "the case of %s is now %s", m->name,
                            stage);
        json_t *one = json_array_get(e, 0);
        if (*m->person_id)
            json_object_set_new(one, "person_id", json_string(m->person_id));
        json_object_set_new(one, "case_id", json_string(j->case_id));
        json_array_extend(errors, e);
        json_decref(e);
    }
}

/* The escort requirements of the movement, as errors. */
static int add_escort_errors(store_conn_t *c, int64_t pk, json_t *errors)
{
    json_t *mv = store_movement_get(c, pk, 1);
    json_t *b = mv ? app_movement_escort_blockers(c, pk, json_object_get(mv, "passengers")) : NULL;
    json_decref(mv);
    if (!b)
        return STORE_ERR;
    size_t i;
    json_t *q;
    json_array_foreach(b, i, q)
    {
        json_t *e = json_deep_copy(q);
        json_object_set_new(e, "field", json_string("passengers"));
        json_array_append_new(errors, e);
    }
    json_decref(b);
    return STORE_OK;
}

/* 409 with the errors (taken); the caller writes the title. */
static void refuse(app_result_t *r, json_t *errors)
{
    r->code = APP_CONFLICT;
    snprintf(r->detail, sizeof r->detail, "requirements of the passengers not met: %zu",
             json_array_size(errors));
    r->errors = errors;
}

/* ---- confirm ------------------------------------------------------------------ */

static int confirm_job(store_conn_t *c, void *p, app_result_t *r)
{
    travel_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_CONFIRM, r) || !movement_if_match(x->m, &row, r))
        return STORE_ABORT;
    json_t *cases = store_movement_cases(c, row.pk, "booked");
    if (!cases)
        return STORE_ERR;
    json_t *errors = json_array();
    int rc = STORE_OK;
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        awda_journey_t j;
        json_t *reqs = movement_booking_check(
            x->app, c, json_integer_value(json_object_get(e, "case_pk")), row.departs_ms, &j);
        if (!reqs) {
            rc = STORE_ERR;
            break;
        }
        if (strcmp(j.stage, "booked") != 0)
            add_stage_errors(errors, &j);
        add_unmet(errors, reqs, &j);
        json_decref(reqs);
        awda_journey_free(&j);
    }
    json_decref(cases);
    if (rc == STORE_OK)
        rc = add_escort_errors(c, row.pk, errors);
    if (rc != STORE_OK) {
        json_decref(errors);
        return rc;
    }
    if (json_array_size(errors)) {
        refuse(r, errors);
        snprintf(r->title, sizeof r->title, "The movement cannot be confirmed");
        return STORE_ABORT;
    }
    json_decref(errors);
    rc = store_movement_set_status(c, row.pk, row.version, "confirmed", 0, NULL);
    return rc == STORE_OK ? movement_answer(c, row.pk, APP_OK, r) : rc;
}

void app_movement_confirm(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                          const json_t *body, app_result_t *r)
{
    if (body && json_object_size(body)) {
        json_t *errors = json_array();
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)body, k, v)
            awda_error_add(errors, k, "this field is not known");
        app_invalid(r, errors, "The confirmation is not valid");
        return;
    }
    travel_ctx_t x = {app, a, id, m, body, NULL, 0};
    app_run(app, confirm_job, &x, r);
}

/* ---- depart ------------------------------------------------------------------- */

static int depart_job(store_conn_t *c, void *p, app_result_t *r)
{
    travel_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_DEPART, r) || !movement_if_match(x->m, &row, r))
        return STORE_ABORT;
    const awda_transition_t *t = awda_transition_find(awda_event_name(AWDA_EVENT_DEPART),
                                                      awda_stage_name(AWDA_STAGE_BOOKED));
    json_t *cases = store_movement_cases(c, row.pk, "booked");
    if (!cases || !t) {
        json_decref(cases);
        return STORE_ERR;
    }
    json_t *errors = json_array(), *terr = json_array();
    json_t *ids = json_array(); /* the cases that take `depart` */
    int rc = STORE_OK;
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        awda_journey_t j;
        if (!app_journey_snapshot(x->app, c, json_integer_value(json_object_get(e, "case_pk")),
                                  &j)) {
            rc = STORE_ERR;
            break;
        }
        json_array_append_new(ids, json_string(j.case_id));
        if (strcmp(j.stage, "booked") != 0) {
            add_stage_errors(errors, &j);
            awda_journey_free(&j);
            continue;
        }
        j.at = x->at;
        if (json_array_size(terr) == 0)
            awda_step_time_check(t, &j, terr);
        int unmet = 0;
        json_t *reqs = awda_journey_check(t, &j, &unmet);
        add_unmet(errors, reqs, &j);
        json_decref(reqs);
        awda_journey_free(&j);
    }
    json_decref(cases);
    if (rc == STORE_OK)
        rc = add_escort_errors(c, row.pk, errors);
    if (rc != STORE_OK)
        goto out;
    rc = STORE_ABORT;
    if (json_array_size(terr)) {
        app_invalid(r, terr, "The time of the departure is not valid");
        terr = NULL;
        goto out;
    }
    if (json_array_size(errors)) {
        refuse(r, errors);
        snprintf(r->title, sizeof r->title, "The departure cannot be confirmed");
        errors = NULL;
        goto out;
    }
    /* Everything holds: every case takes `depart`, in this transaction. */
    rc = STORE_OK;
    json_array_foreach(ids, i, e)
    {
        int64_t cpk = 0, opk, ver;
        rc = store_case_find(c, json_string_value(e), &cpk, &opk, &ver);
        if (rc == STORE_OK)
            rc = store_case_set_stage(c, cpk, ver, "departed", NULL, NULL);
        if (rc == STORE_OK)
            rc = movement_case_event(c, x->a, cpk, "transition", "depart", "booked", "departed",
                                     &row, json_pack("{s:s}", "at", x->at));
        if (rc != STORE_OK)
            goto out;
    }
    rc = store_movement_passengers_move(c, row.pk, "booked", "departed");
    if (rc == STORE_OK)
        rc = store_movement_set_status(c, row.pk, row.version, "departed", x->at_ms, NULL);
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
out:
    json_decref(errors);
    json_decref(terr);
    json_decref(ids);
    return rc;
}

static int parse_at(const json_t *body, const char **at, int64_t *ms, json_t *errors)
{
    const json_t *v = json_object_get(body, "at");
    *at = json_string_value(v);
    if (!*at || awda_datetime_parse(*at, json_string_length(v), ms) != 0) {
        awda_error_add(errors, "at",
                       "the date and time must be written as YYYY-MM-DDTHH:MMZ (UTC), e.g. "
                       "2026-05-01T14:30Z");
        return 0;
    }
    return 1;
}

void app_movement_depart(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "at") != 0)
            awda_error_add(errors, k, "this field is not known");
    }
    travel_ctx_t x = {app, a, id, m, body, NULL, 0};
    parse_at(body, &x.at, &x.at_ms, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The departure is not valid");
        return;
    }
    json_decref(errors);
    app_run(app, depart_job, &x, r);
}

/* ---- arrive -------------------------------------------------------------------- */

static int arrive_case(travel_ctx_t *x, store_conn_t *c, const store_movement_row_t *row,
                       const awda_transition_t *t, int64_t cpk, app_result_t *r)
{
    awda_journey_t j;
    if (!app_journey_snapshot(x->app, c, cpk, &j))
        return STORE_ERR;
    int rc = STORE_ABORT;
    if (strcmp(j.stage, "departed") != 0) {
        json_t *errors = json_array();
        add_stage_errors(errors, &j);
        refuse(r, errors);
        snprintf(r->title, sizeof r->title, "The arrival cannot be confirmed");
        goto out;
    }
    j.at = x->at;
    json_t *terr = json_array();
    if (awda_step_time_check(t, &j, terr)) {
        app_invalid(r, terr, "The time of the arrival is not valid");
        goto out;
    }
    json_decref(terr);
    int64_t version = j.version;
    rc = store_case_set_stage(c, cpk, version, "arrived", NULL, NULL);
    if (rc == STORE_OK)
        rc = movement_case_event(c, x->a, cpk, "transition", "arrive", "departed", "arrived", row,
                                 json_pack("{s:s}", "at", x->at));
    if (rc == STORE_OK)
        rc = app_hand_over_case(c, x->a, cpk, version + 1, row->receiving, r);
out:
    awda_journey_free(&j);
    return rc;
}

static int arrive_job(store_conn_t *c, void *p, app_result_t *r)
{
    travel_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 1, r) ||
        !movement_allows(&row, MOVEMENT_ARRIVE, r) || !movement_if_match(x->m, &row, r))
        return STORE_ABORT;
    const awda_transition_t *t = awda_transition_find(awda_event_name(AWDA_EVENT_ARRIVE),
                                                      awda_stage_name(AWDA_STAGE_DEPARTED));
    json_t *cases = store_movement_cases(c, row.pk, "departed");
    if (!cases || !t) {
        json_decref(cases);
        return STORE_ERR;
    }
    int rc = STORE_OK;
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        rc = arrive_case(x, c, &row, t, json_integer_value(json_object_get(e, "case_pk")), r);
        if (rc != STORE_OK)
            break;
    }
    json_decref(cases);
    if (rc == STORE_OK)
        rc = store_movement_passengers_move(c, row.pk, "departed", "arrived");
    if (rc == STORE_OK)
        rc = store_movement_reception_insert(
            c, row.pk, json_string_value(json_object_get(x->body, "met_by")), x->at_ms,
            json_string_value(json_object_get(x->body, "notes")), x->a->p.pk);
    json_t *errors = json_array();
    json_array_foreach(json_object_get(x->body, "onward"), i, e)
    {
        if (rc != STORE_OK)
            break;
        char field[48];
        snprintf(field, sizeof field, "onward[%zu].person_id", i);
        int64_t ppk = store_person_pk(c, json_string_value(json_object_get(e, "person_id")));
        int orc = ppk ? store_movement_onward_taken(c, row.pk, ppk,
                                                    json_is_true(json_object_get(e, "taken")))
                      : STORE_NOTFOUND;
        if (orc == STORE_NOTFOUND)
            awda_error_add(errors, field,
                           "no onward transport was planned for this person on this movement");
        else if (orc != STORE_OK)
            rc = orc;
    }
    if (rc == STORE_OK && json_array_size(errors)) {
        app_invalid(r, errors, "The arrival is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (rc == STORE_OK)
        rc = store_movement_set_status(c, row.pk, row.version, "arrived", x->at_ms, NULL);
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
    return rc;
}

void app_movement_arrive(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "at") && strcmp(k, "met_by") && strcmp(k, "notes") && strcmp(k, "onward"))
            awda_error_add(errors, k, "this field is not known");
    }
    travel_ctx_t x = {app, a, id, m, body, NULL, 0};
    parse_at(body, &x.at, &x.at_ms, errors);
    const json_t *met = json_object_get(body, "met_by");
    if (!json_is_string(met) || json_string_length(met) == 0 ||
        json_string_length(met) > AWDA_MAX_SHORT)
        awda_error_add(errors, "met_by", "say who met the passengers (at most %d bytes)",
                       AWDA_MAX_SHORT);
    const json_t *notes = json_object_get(body, "notes");
    if (notes && !json_is_null(notes) &&
        (!json_is_string(notes) || json_string_length(notes) > AWDA_MOVEMENT_MAX_REASON))
        awda_error_add(errors, "notes", "the notes must be text of at most %d bytes",
                       AWDA_MOVEMENT_MAX_REASON);
    const json_t *onward = json_object_get(body, "onward");
    if (onward && (!json_is_array(onward) || json_array_size(onward) > AWDA_MOVEMENT_MAX_ADD))
        awda_error_add(errors, "onward", "a list of at most %d passengers", AWDA_MOVEMENT_MAX_ADD);
    size_t i;
    json_array_foreach(json_is_array(onward) ? onward : NULL, i, v)
    {
        char field[48];
        snprintf(field, sizeof field, "onward[%zu]", i);
        if (!json_is_string(json_object_get(v, "person_id")) ||
            !json_is_boolean(json_object_get(v, "taken")))
            awda_error_add(errors, field, "each entry is {\"person_id\", \"taken\": true|false}");
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The arrival is not valid");
        return;
    }
    json_decref(errors);
    app_run(app, arrive_job, &x, r);
}
