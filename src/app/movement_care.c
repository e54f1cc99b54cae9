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
 *
 * The other use cases validate the body against the field tables of
 * core/movement_care.c (every problem at once), then run one writer job
 * that finds the movement, checks the actor's scope and the movement's
 * status, resolves what the body names (a user, a partner, a passenger of
 * this movement, a leg) and writes. An escort takes a seat: the job that
 * adds one counts the seats in the same transaction as the insert, and the
 * writer runs one job at a time, so two planners can never together fill
 * more seats than there are.
 */
#include "internal.h"
#include "movement_care.h"
#include "movements.h"
#include "money.h"
#include "../core/movement_care.h"
#include "../util/id.h"
#include <stdio.h>
#include <stdlib.h>
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

/* ---- the movement ------------------------------------------------------------- */

int app_mvcare_movement(store_conn_t *c, const app_actor_t *a, const char *id,
                        store_movement_row_t *m, app_result_t *r)
{
    int rc = id && awda_uuid_valid(id, strlen(id)) ? store_movement_find(c, id, m) : STORE_NOTFOUND;
    if (rc == STORE_ERR) {
        app_fail(r, APP_ERROR, "the movement could not be read");
        return 0;
    }
    /* Another office's movement is not revealed: the same 404. */
    if (rc != STORE_OK || !app_case_row_in_scope(a, m->office_pk, m->receiving_pk, NULL)) {
        app_fail(r, APP_NOT_FOUND, "there is no movement with this id");
        return 0;
    }
    return 1;
}

typedef struct {
    const app_actor_t *a;
    const char *movement_id;
    const char *sub_id; /* escort or assistance id, or person id */
    const json_t *body;
    const app_if_match_t *m;
} care_ctx_t;

/* Validates body against e: 0 with r answered (422, title) when not
 * valid. */
static int valid(const awda_entity_t *e, const json_t *body, const char *title, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the request must be a JSON object");
    else
        awda_validate(e, body, "", errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, title);
        return 0;
    }
    json_decref(errors);
    return 1;
}

/* body merged over cur: members present replace, null removes. Caller
 * owns. */
static json_t *merged(const json_t *cur, const json_t *body)
{
    json_t *out = json_deep_copy(cur);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (json_is_null(v))
            json_object_del(out, k);
        else
            json_object_set(out, k, v);
    }
    return out;
}

/* The key of the staff member named at "user" (0 when none is named); -1
 * after adding a problem to errors. */
static int64_t user_of(store_conn_t *c, const json_t *body, json_t *errors)
{
    const char *u = jstr(body, "user");
    if (!u)
        return 0;
    int64_t pk = store_mvcare_user_pk(c, u);
    if (!pk) {
        awda_error_add(errors, "user", "there is no active user named %s", u);
        return -1;
    }
    return pk;
}

/* The key of the partner named at "partner" (0 when none); -1 after adding
 * a problem to errors. */
static int64_t partner_of(store_conn_t *c, const json_t *body, json_t *errors)
{
    const char *id = jstr(body, "partner");
    if (!id)
        return 0;
    int64_t pk = store_mvcare_partner_pk(c, id);
    if (!pk) {
        /* adds the problem, naming where to find partners */
        json_decref(app_partner_ref(c, id, "partner", errors));
        return -1;
    }
    return pk;
}

/* ---- escorts -------------------------------------------------------------------- */

static int escort_may_change(const store_movement_row_t *m, app_result_t *r)
{
    if (movement_allows_of(m->status) & MOVEMENT_OPEN)
        return 1;
    app_fail(r, APP_CONFLICT, "the movement is %s: its escorts can no longer change", m->status);
    return 0;
}

/* The person keys of body's "passengers", each a passenger of the
 * movement (booked or departed), into *pks (caller frees; n into *n);
 * problems to errors at passengers[i]. */
static int64_t *escort_passengers(store_conn_t *c, int64_t movement_pk, const json_t *body,
                                  size_t *n, json_t *errors)
{
    const json_t *list = json_object_get(body, "passengers");
    *n = 0;
    int64_t *pks = calloc(json_array_size(list) + 1, sizeof *pks);
    if (!pks)
        return NULL;
    size_t i;
    json_t *v;
    json_array_foreach(list, i, v)
    {
        const char *pid = json_string_value(v);
        int64_t pk = pid ? store_mvcare_passenger_pk(c, movement_pk, pid, 0) : 0;
        if (!pk) {
            char path[48];
            snprintf(path, sizeof path, "passengers[%zu]", i);
            awda_error_add(errors, path, "%s is not a passenger of this movement", pid ? pid : "");
            continue;
        }
        pks[(*n)++] = pk;
    }
    return pks;
}

/* Writes who the escort is and whom they accompany (after the checks). */
static int escort_write(store_conn_t *c, const store_movement_row_t *m, const json_t *body,
                        int64_t escort_pk, int64_t by_pk, char id[37], app_result_t *r)
{
    json_t *errors = json_array();
    int64_t user_pk = user_of(c, body, errors);
    size_t n = 0;
    int64_t *pks = escort_passengers(c, m->pk, body, &n, errors);
    int rc = STORE_ABORT;
    if (!pks) {
        app_fail(r, APP_ERROR, "out of memory");
        goto out;
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The escort is not valid");
        errors = NULL;
        goto out;
    }
    const char *kind = jstr(body, "kind"), *name = jstr(body, "name"),
               *org = jstr(body, "organisation");
    if (!escort_pk) {
        rc = store_escort_insert(c, m->pk, kind, user_pk, name, org, by_pk, id, &escort_pk);
    } else {
        rc = store_escort_update(c, escort_pk, kind, user_pk, name, org);
    }
    if (rc == STORE_OK)
        rc = store_escort_passengers_set(c, escort_pk, pks, n);
out:
    json_decref(errors);
    free(pks);
    return rc;
}

static int escort_answer(store_conn_t *c, const store_movement_row_t *m, const char *id,
                         app_result_t *r)
{
    json_t *list = store_escort_list(c, m->pk, id);
    r->body = json_incref(json_array_get(list, 0));
    json_decref(list);
    return r->body ? STORE_OK : STORE_ERR;
}

static int escort_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r) || !escort_may_change(&m, r))
        return STORE_ABORT;
    long long taken = store_movement_seats_taken(c, m.pk);
    long long escorts = store_escort_count(c, m.pk);
    if (taken < 0 || escorts < 0)
        return STORE_ERR;
    if (taken >= m.capacity) {
        app_fail(r, APP_CONFLICT, "no seat left for an escort: %lld of %lld taken", taken,
                 (long long)m.capacity);
        r->extra = json_pack("{s:s,s:I,s:I}", "code", "movement.full", "capacity",
                             (json_int_t)m.capacity, "seats_taken", (json_int_t)taken);
        return STORE_ABORT;
    }
    if (escorts >= AWDA_MAX_MOVEMENT_ESCORTS) {
        app_fail(r, APP_CONFLICT, "a movement has at most %d escorts", AWDA_MAX_MOVEMENT_ESCORTS);
        return STORE_ABORT;
    }
    char id[37];
    int rc = escort_write(c, &m, x->body, 0, x->a->p.pk, id, r);
    if (rc != STORE_OK)
        return rc;
    rc = escort_answer(c, &m, id, r);
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/movements/%s/escorts/%s", x->movement_id,
             id);
    return rc;
}

void app_escort_create(app_t *app, const app_actor_t *a, const char *movement_id,
                       const json_t *body, const char *idem_key, const char *request_hash,
                       app_result_t *r)
{
    if (!valid(&AWDA_ESCORT, body, "The escort is not valid", r))
        return;
    care_ctx_t x = {a, movement_id, NULL, body, NULL};
    app_run_idempotent(app, a, idem_key, request_hash, escort_create_job, &x, r);
}

static int escort_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r))
        return STORE_ABORT;
    int64_t pk = x->sub_id && awda_uuid_valid(x->sub_id, strlen(x->sub_id))
                     ? store_escort_pk(c, m.pk, x->sub_id)
                     : 0;
    if (!pk) {
        app_fail(r, APP_NOT_FOUND, "this movement has no escort with this id");
        return STORE_ABORT;
    }
    if (!escort_may_change(&m, r))
        return STORE_ABORT;
    if (!x->body) /* delete */ {
        int rc = store_escort_delete(c, pk);
        r->code = APP_NO_CONTENT;
        return rc;
    }
    /* The escort as it is, in the shape of the request, with the change. */
    json_t *list = store_escort_list(c, m.pk, x->sub_id);
    json_t *cur = json_array_get(list, 0);
    json_t *now = json_pack("{s:O,s:O}", "kind", json_object_get(cur, "kind"), "passengers",
                            json_object_get(cur, "passengers"));
    if (jstr(cur, "user"))
        json_object_set(now, "user", json_object_get(cur, "user"));
    else {
        json_object_set(now, "name", json_object_get(cur, "name"));
        if (jstr(cur, "organisation"))
            json_object_set(now, "organisation", json_object_get(cur, "organisation"));
    }
    /* Naming a staff member replaces an external escort, and back. */
    if (json_object_get(x->body, "user") && !json_is_null(json_object_get(x->body, "user"))) {
        json_object_del(now, "name");
        json_object_del(now, "organisation");
    } else if (json_object_get(x->body, "name") && !json_is_null(json_object_get(x->body, "name")))
        json_object_del(now, "user");
    json_t *next = merged(now, x->body);
    json_decref(now);
    json_decref(list);
    int rc = STORE_ABORT;
    if (valid(&AWDA_ESCORT, next, "The escort is not valid", r)) {
        rc = escort_write(c, &m, next, pk, x->a->p.pk, NULL, r);
        if (rc == STORE_OK) {
            rc = escort_answer(c, &m, x->sub_id, r);
            r->code = APP_OK;
        }
    }
    json_decref(next);
    return rc;
}

void app_escort_update(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *escort_id, const json_t *body, app_result_t *r)
{
    if (!json_is_object(body)) {
        valid(&AWDA_ESCORT, body, "The escort is not valid", r);
        return;
    }
    care_ctx_t x = {a, movement_id, escort_id, body, NULL};
    app_run(app, escort_update_job, &x, r);
}

void app_escort_delete(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *escort_id, app_result_t *r)
{
    care_ctx_t x = {a, movement_id, escort_id, NULL, NULL};
    app_run(app, escort_update_job, &x, r);
}

void app_escort_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t m;
    if (!c || !app_mvcare_movement(c, a, movement_id, &m, r))
        return;
    json_t *items = store_escort_list(c, m.pk, NULL);
    long long taken = store_movement_seats_taken(c, m.pk);
    if (!items || taken < 0) {
        json_decref(items);
        app_fail(r, APP_ERROR, "the escorts could not be read");
        return;
    }
    r->body = json_pack("{s:o,s:I,s:I}", "items", items, "capacity", (json_int_t)m.capacity,
                        "seats_taken", (json_int_t)taken);
    r->code = APP_OK;
}

/* ---- airport assistance ---------------------------------------------------------- */

static int assistance_may_change(const store_movement_row_t *m, app_result_t *r)
{
    if (movement_allows_of(m->status) & MOVEMENT_ASSISTANCE)
        return 1;
    app_fail(r, APP_CONFLICT, "the movement is %s: its airport assistance can no longer change",
             m->status);
    return 0;
}

/* Resolves and writes an assistance (pk 0: a new one into id). */
static int assistance_write(store_conn_t *c, const store_movement_row_t *m, const json_t *body,
                            int64_t pk, int64_t version, char id[37], app_result_t *r)
{
    json_t *errors = json_array();
    int64_t user_pk = user_of(c, body, errors);
    int64_t partner_pk = partner_of(c, body, errors);
    int legs = store_mvcare_leg_count(c, m->pk);
    if (legs < 0) {
        json_decref(errors);
        return STORE_ERR;
    }
    json_int_t leg = json_integer_value(json_object_get(body, "leg"));
    if (leg >= legs)
        awda_error_add(errors, "leg",
                       legs == 1 ? "the movement has %d leg: the only one is leg 0"
                                 : "the movement has %d legs: leg is 0 to one less than that",
                       legs);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The airport assistance is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (!pk)
        return store_assistance_insert(c, m->pk, body, user_pk, partner_pk, id);
    int rc = store_assistance_update(c, pk, version, body, user_pk, partner_pk);
    if (rc == STORE_STALE) {
        app_fail(r, APP_STALE, "the airport assistance was changed by someone else; reload it");
        return STORE_ABORT;
    }
    return rc;
}

static int assistance_answer(store_conn_t *c, const store_movement_row_t *m, const char *id,
                             app_result_t *r)
{
    json_t *list = store_assistance_list(c, m->pk, id);
    r->body = json_incref(json_array_get(list, 0));
    json_decref(list);
    r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
    return r->body ? STORE_OK : STORE_ERR;
}

static int assistance_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r) || !assistance_may_change(&m, r))
        return STORE_ABORT;
    long long n = store_assistance_count(c, m.pk);
    if (n < 0)
        return STORE_ERR;
    if (n >= AWDA_MAX_MOVEMENT_ASSISTANCE) {
        app_fail(r, APP_CONFLICT, "a movement has at most %d airport assistances",
                 AWDA_MAX_MOVEMENT_ASSISTANCE);
        return STORE_ABORT;
    }
    char id[37];
    int rc = assistance_write(c, &m, x->body, 0, 0, id, r);
    if (rc != STORE_OK)
        return rc;
    rc = assistance_answer(c, &m, id, r);
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/movements/%s/assistance/%s", x->movement_id,
             id);
    return rc;
}

void app_assistance_create(app_t *app, const app_actor_t *a, const char *movement_id,
                           const json_t *body, const char *idem_key, const char *request_hash,
                           app_result_t *r)
{
    if (!valid(&AWDA_ASSISTANCE, body, "The airport assistance is not valid", r))
        return;
    care_ctx_t x = {a, movement_id, NULL, body, NULL};
    app_run_idempotent(app, a, idem_key, request_hash, assistance_create_job, &x, r);
}

static int assistance_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r))
        return STORE_ABORT;
    int64_t pk = 0, version = 0;
    int rc = x->sub_id && awda_uuid_valid(x->sub_id, strlen(x->sub_id))
                 ? store_assistance_find(c, m.pk, x->sub_id, &pk, &version)
                 : STORE_NOTFOUND;
    if (rc == STORE_ERR)
        return rc;
    if (rc != STORE_OK) {
        app_fail(r, APP_NOT_FOUND, "this movement has no airport assistance with this id");
        return STORE_ABORT;
    }
    if (x->m && x->m->present && !app_if_match_ok(x->m, version)) {
        app_fail(r, APP_STALE,
                 "the airport assistance was changed by someone else (it is now at version "
                 "%lld); reload it",
                 (long long)version);
        return STORE_ABORT;
    }
    if (!assistance_may_change(&m, r))
        return STORE_ABORT;
    json_t *list = store_assistance_list(c, m.pk, x->sub_id);
    json_t *cur = json_array_get(list, 0);
    json_t *now =
        json_pack("{s:O,s:O,s:O}", "leg", json_object_get(cur, "leg"), "point",
                  json_object_get(cur, "point"), "status", json_object_get(cur, "status"));
    if (jstr(cur, "meeting_point"))
        json_object_set(now, "meeting_point", json_object_get(cur, "meeting_point"));
    if (jstr(cur, "user"))
        json_object_set(now, "user", json_object_get(cur, "user"));
    if (jstr(json_object_get(cur, "partner"), "id"))
        json_object_set(now, "partner", json_object_get(json_object_get(cur, "partner"), "id"));
    /* Naming a staff member replaces a partner, and back. */
    if (json_object_get(x->body, "user") && !json_is_null(json_object_get(x->body, "user")))
        json_object_del(now, "partner");
    else if (json_object_get(x->body, "partner") &&
             !json_is_null(json_object_get(x->body, "partner")))
        json_object_del(now, "user");
    json_t *next = merged(now, x->body);
    json_decref(now);
    json_decref(list);
    rc = STORE_ABORT;
    if (valid(&AWDA_ASSISTANCE, next, "The airport assistance is not valid", r)) {
        rc = assistance_write(c, &m, next, pk, version, NULL, r);
        if (rc == STORE_OK) {
            rc = assistance_answer(c, &m, x->sub_id, r);
            r->code = APP_OK;
        }
    }
    json_decref(next);
    return rc;
}

void app_assistance_update(app_t *app, const app_actor_t *a, const char *movement_id,
                           const char *assistance_id, const app_if_match_t *m, const json_t *body,
                           app_result_t *r)
{
    if (!json_is_object(body)) {
        valid(&AWDA_ASSISTANCE, body, "The airport assistance is not valid", r);
        return;
    }
    care_ctx_t x = {a, movement_id, assistance_id, body, m};
    app_run(app, assistance_update_job, &x, r);
}

void app_assistance_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t m;
    if (!c || !app_mvcare_movement(c, a, movement_id, &m, r))
        return;
    json_t *items = store_assistance_list(c, m.pk, NULL);
    if (!items) {
        app_fail(r, APP_ERROR, "the airport assistance could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

/* ---- onward transport and travel allowance ---------------------------------------- */

/* The passenger person_id of the movement (booked or departed, or also
 * arrived when arrived); 0 with a 404 in r. */
static int64_t passenger_of(store_conn_t *c, const store_movement_row_t *m, const char *person_id,
                            int arrived, app_result_t *r)
{
    int64_t pk = person_id && awda_uuid_valid(person_id, strlen(person_id))
                     ? store_mvcare_passenger_pk(c, m->pk, person_id, arrived)
                     : 0;
    if (!pk)
        app_fail(r, APP_NOT_FOUND, "this person is not a passenger of this movement");
    return pk;
}

static int onward_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r))
        return STORE_ABORT;
    if (!(movement_allows_of(m.status) & MOVEMENT_ONWARD)) {
        app_fail(r, APP_CONFLICT, "the movement is %s: onward transport can no longer change",
                 m.status);
        return STORE_ABORT;
    }
    int64_t person_pk = passenger_of(c, &m, x->sub_id, 0, r);
    if (!person_pk)
        return STORE_ABORT;
    if (!x->body) {
        int rc = store_onward_delete(c, m.pk, person_pk);
        if (rc == STORE_NOTFOUND) {
            app_fail(r, APP_NOT_FOUND, "no onward transport is planned for this passenger");
            return STORE_ABORT;
        }
        r->code = APP_NO_CONTENT;
        return rc;
    }
    json_t *errors = json_array();
    int64_t partner_pk = partner_of(c, x->body, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The onward transport is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    int rc = store_onward_put(c, m.pk, person_pk, x->body, partner_pk);
    if (rc != STORE_OK)
        return rc;
    json_t *list = store_onward_list(c, m.pk, x->sub_id);
    r->body = json_incref(json_array_get(list, 0));
    json_decref(list);
    r->code = APP_OK;
    return r->body ? STORE_OK : STORE_ERR;
}

void app_onward_put(app_t *app, const app_actor_t *a, const char *movement_id,
                    const char *person_id, const json_t *body, app_result_t *r)
{
    if (!valid(&AWDA_ONWARD, body, "The onward transport is not valid", r))
        return;
    care_ctx_t x = {a, movement_id, person_id, body, NULL};
    app_run(app, onward_job, &x, r);
}

void app_onward_delete(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *person_id, app_result_t *r)
{
    care_ctx_t x = {a, movement_id, person_id, NULL, NULL};
    app_run(app, onward_job, &x, r);
}

void app_onward_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t m;
    if (!c || !app_mvcare_movement(c, a, movement_id, &m, r))
        return;
    json_t *items = store_onward_list(c, m.pk, NULL);
    if (!items) {
        app_fail(r, APP_ERROR, "the onward transport could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

static int allowance_job(store_conn_t *c, void *p, app_result_t *r)
{
    care_ctx_t *x = p;
    store_movement_row_t m;
    if (!app_mvcare_movement(c, x->a, x->movement_id, &m, r))
        return STORE_ABORT;
    int64_t person_pk = passenger_of(c, &m, x->sub_id, 1, r);
    if (!person_pk)
        return STORE_ABORT;
    if (!(movement_allows_of(m.status) & MOVEMENT_ALLOWANCE)) {
        app_fail(r, APP_CONFLICT, "the movement is %s: the travel allowance can no longer change",
                 m.status);
        return STORE_ABORT;
    }
    int rc = store_allowance_put(c, m.pk, person_pk, x->body, x->a->p.pk);
    if (rc != STORE_OK)
        return rc;
    /* money: the allowance committed to its budget line (app/money.h) */
    const json_t *b = x->body;
    rc = app_ledger_allowance(c, x->a, m.pk, person_pk,
                              json_integer_value(json_object_get(b, "amount_minor")),
                              jstr(b, "currency"), jstr(b, "budget_line"), r);
    if (rc != STORE_OK)
        return rc;
    json_t *list = store_allowance_list(c, m.pk, x->sub_id);
    r->body = json_incref(json_array_get(list, 0));
    json_decref(list);
    r->code = APP_OK;
    return r->body ? STORE_OK : STORE_ERR;
}

void app_allowance_put(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *person_id, const json_t *body, app_result_t *r)
{
    if (!valid(&AWDA_ALLOWANCE, body, "The travel allowance is not valid", r))
        return;
    care_ctx_t x = {a, movement_id, person_id, body, NULL};
    app_run(app, allowance_job, &x, r);
}

void app_allowance_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t m;
    if (!c || !app_mvcare_movement(c, a, movement_id, &m, r))
        return;
    json_t *items = store_allowance_list(c, m.pk, NULL);
    if (!items) {
        app_fail(r, APP_ERROR, "the travel allowances could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}
