/*
 * movement_passengers.c — who travels on a movement: adding households,
 * taking them off (removal, no-show), and the planning board.
 *
 * The unit is the household (the case): all its members travel or none.
 * Adding runs in ONE writer job, so two planners adding at the same time
 * are serialised by the writer and capacity is never exceeded: the job
 * reads the seats taken, then for each household in request order runs
 * the booking check — the requirements of the journey's `book` step
 * (G_READY of core/guards.h) over the case's snapshot with the
 * movement's departure as the planned departure — and either books every
 * member (the case takes the step `book`, its planned departure becomes
 * the movement's) or refuses the whole household, every member's entry
 * saying why. When a household does not fit in the seats left, it and
 * every household after it are refused ("movement.full"). A household is
 * booked from the stages the `book` step is taken from (events.def); a
 * household taken off goes back to one of APP_MOVEMENT_RETURN_STAGES
 * (ready, or on hold), the list GET /schema sends.
 *
 * The board is read on a reader: per booked passenger the booking check
 * and the boarding check (awda_boarding_check at the movement's
 * departure), the last-days records still missing with the window in
 * which to record them, and the movement's escort requirements
 * (app_movement_escort_blockers of movement_care.c).
 */
#include "movements.h"
#include "internal.h"
#include "movement_care.h"
#include "../core/field.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

const char *const APP_MOVEMENT_RETURN_STAGES[] = {AWDA_STAGE_TEXT[AWDA_STAGE_READY],
                                                  AWDA_STAGE_TEXT[AWDA_STAGE_ON_HOLD], NULL};

/* ---- the booking check ------------------------------------------------------ */

json_t *movement_booking_check(app_t *app, store_conn_t *c, int64_t case_pk, int64_t departs_ms,
                               awda_journey_t *j)
{
    if (!app_journey_snapshot(app, c, case_pk, j))
        return NULL;
    /* the departure as the movement writes it on the case */
    char planned[32];
    movement_departure_text(departs_ms, planned);
    int64_t ms;
    j->planned_departure =
        awda_datetime_parse(planned, strlen(planned), &ms) == 0 ? (long long)ms : -1;
    const awda_transition_t *t =
        awda_transition_find(awda_event_name(AWDA_EVENT_BOOK), awda_stage_name(AWDA_STAGE_READY));
    int unmet = 0;
    json_t *reqs = t ? awda_journey_check(t, j, &unmet) : json_array();
    json_t *out = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(reqs, i, q)
    {
        if (!json_is_true(json_object_get(q, "met")))
            json_array_append(out, q);
    }
    json_decref(reqs);
    return out;
}

void movement_blockers_of(const json_t *reqs, const char *person_id, json_t *out)
{
    size_t i;
    json_t *q;
    json_array_foreach(reqs, i, q)
    {
        if (json_is_true(json_object_get(q, "met")))
            continue;
        const char *who = json_string_value(json_object_get(q, "person_id"));
        if (who && person_id && strcmp(who, person_id) != 0)
            continue;
        json_array_append_new(out, json_pack("{s:O,s:O}", "code", json_object_get(q, "code"),
                                             "message", json_object_get(q, "message")));
    }
}

/* ---- adding households -------------------------------------------------------- */

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *id;
    const json_t *body;
} add_ctx_t;

/* A household named by the request: the case, and the persons listed
 * (all of them when the case itself was listed). */
typedef struct {
    int64_t case_pk;
    int whole;
    json_t *listed; /* person ids (strings) */
} household_t;

static household_t *household_of(household_t *hh, int *n, int64_t case_pk)
{
    for (int i = 0; i < *n; i++)
        if (hh[i].case_pk == case_pk)
            return &hh[i];
    hh[*n] = (household_t){case_pk, 0, json_array()};
    return &hh[(*n)++];
}

/* Names of the members of j whose index is set in which, joined. */
static void names_of(const awda_journey_t *j, const char *which, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < j->nmembers; i++) {
        if (!which[i])
            continue;
        int w = snprintf(out + used, cap - used, "%s%s", used ? ", " : "", j->members[i].name);
        if (w < 0 || (size_t)w >= cap - used)
            break;
        used += (size_t)w;
    }
}

/* Refuses every member of the household with its blockers (per member,
 * an array each) and, when blocked names someone, household.blocked. */
static void refuse_all(json_t *refused, const awda_journey_t *j, json_t *const *own,
                       const char *blocked)
{
    for (int i = 0; i < j->nmembers; i++) {
        const awda_member_t *m = &j->members[i];
        const char *name = m->name;
        json_t *list = json_array();
        if (blocked && *blocked) {
            json_t *e = json_array();
            awda_error_add_code(e, "passengers", "household.blocked",
                                "the household of %s travels together and cannot be booked: %s "
                                "cannot travel",
                                name, blocked);
            movement_blockers_of(e, NULL, list);
            json_decref(e);
        }
        if (own[i])
            json_array_extend(list, own[i]);
        json_array_append_new(refused,
                              json_pack("{s:s,s:s,s:s,s:o}", "person_id", m->person_id, "case_id",
                                        j->case_id, "name", name, "blockers", list));
    }
}

/* Weighs one household and books it, or refuses it whole. *seats: the
 * seats left (-1 once one household did not fit: the rest are refused). */
static int add_household(add_ctx_t *x, store_conn_t *c, const store_movement_row_t *row,
                         const household_t *h, long long *seats, json_t *added, json_t *refused)
{
    awda_journey_t j;
    json_t *reqs = movement_booking_check(x->app, c, h->case_pk, row->departs_ms, &j);
    if (!reqs)
        return STORE_ERR;
    size_t n = (size_t)j.nmembers;
    json_t **own = calloc(n ? n : 1, sizeof *own);
    char *bad = calloc(n ? n : 1, 1), *missing = calloc(n ? n : 1, 1);
    const char *stage = *j.stage ? j.stage : NULL;
    const char *dest = *j.dest_country ? j.dest_country : NULL;
    json_t *office = store_office_get(c, row->receiving);
    const char *country = json_string_value(json_object_get(office, "country"));
    int rc = STORE_OK, any_bad = 0, any_missing = 0;
    if (!own || !bad || !missing) {
        rc = STORE_ERR;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int listed = h->whole;
        size_t k;
        json_t *p;
        json_array_foreach(h->listed, k, p)
        {
            if (strcmp(json_string_value(p), j.members[i].person_id) == 0)
                listed = 1;
        }
        missing[i] = !listed;
        any_missing |= !listed;
    }
    char names[1024];
    for (size_t i = 0; i < n; i++) {
        const awda_member_t *m = &j.members[i];
        const char *name = m->name;
        own[i] = json_array();
        json_t *e = json_array();
        if (any_missing) {
            names_of(&j, missing, names, sizeof names);
            awda_error_add_code(e, "passengers", "household.split",
                                "a household travels together: %s must be added with %s", names,
                                name);
        }
        if (!awda_transition_find(awda_event_name(AWDA_EVENT_BOOK), stage))
            awda_error_add_code(e, "passengers", "case.not_ready",
                                "the case of %s is at the stage %s, not ready", name,
                                stage ? stage : "?");
        if (dest && country && strcmp(dest, country) != 0)
            awda_error_add_code(e, "passengers", "movement.destination",
                                "%s returns to %s; this movement goes to %s", name, dest,
                                row->receiving);
        int64_t ppk = store_person_pk(c, m->person_id);
        int64_t on = ppk ? store_movement_of_person(c, ppk) : 0;
        if (on) {
            store_movement_row_t other;
            if (store_movement_find_pk(c, on, &other) == STORE_OK)
                awda_error_add_code(e, "passengers", "passenger.booked",
                                    "%s is already booked on the movement %s", name, other.id);
        }
        movement_blockers_of(e, NULL, own[i]);
        json_decref(e);
        movement_blockers_of(reqs, m->person_id, own[i]);
        bad[i] = json_array_size(own[i]) > 0;
        any_bad |= bad[i];
    }
    if (any_bad) {
        names_of(&j, bad, names, sizeof names);
        refuse_all(refused, &j, own, names);
        goto out;
    }
    if (*seats < (long long)n) {
        long long taken = row->capacity - (*seats < 0 ? 0 : *seats);
        *seats = -1;
        for (size_t i = 0; i < n; i++) {
            json_t *e = json_array();
            awda_error_add_code(e, "passengers", "movement.full",
                                "no seat left: %lld of %lld taken", taken,
                                (long long)row->capacity);
            movement_blockers_of(e, NULL, own[i]);
            json_decref(e);
        }
        refuse_all(refused, &j, own, NULL);
        goto out;
    }
    /* Book every member; the case takes the step `book`. */
    for (size_t i = 0; i < n; i++) {
        const awda_member_t *m = &j.members[i];
        int64_t ppk = store_person_pk(c, m->person_id);
        rc = store_movement_passenger_add(c, row->pk, ppk, h->case_pk, x->a->p.pk);
        if (rc != STORE_OK)
            goto out;
        json_array_append_new(added, json_pack("{s:s,s:s,s:s}", "person_id", m->person_id,
                                               "case_id", j.case_id, "name", m->name));
    }
    *seats -= (long long)n;
    char planned[32];
    movement_departure_text(row->departs_ms, planned);
    rc = store_movement_case_departure(c, h->case_pk, planned);
    if (rc == STORE_OK)
        rc = store_case_set_stage(c, h->case_pk, j.version, "booked", NULL, NULL);
    if (rc == STORE_OK)
        rc = movement_case_event(c, x->a, h->case_pk, "transition", "book", "ready", "booked", row,
                                 NULL);
out:
    for (size_t k = 0; own && k < n; k++)
        json_decref(own[k]);
    free(own);
    free(bad);
    free(missing);
    json_decref(office);
    json_decref(reqs);
    awda_journey_free(&j);
    return rc;
}

/* Resolves the cases and persons of the request into households, in
 * request order; unknown ids go to errors. Returns how many. */
static int households(add_ctx_t *x, store_conn_t *c, household_t *hh, json_t *errors)
{
    int n = 0;
    const json_t *cases = json_object_get(x->body, "cases");
    const json_t *persons = json_object_get(x->body, "persons");
    size_t i;
    json_t *v;
    json_array_foreach(cases, i, v)
    {
        int64_t pk, opk, ver;
        app_result_t scratch = {0};
        char field[32];
        snprintf(field, sizeof field, "cases[%zu]", i);
        if (!app_find_case(c, x->a, json_string_value(v), &pk, &opk, &ver, &scratch))
            awda_error_add(errors, field, "there is no case with this id");
        else
            household_of(hh, &n, pk)->whole = 1;
        app_result_free(&scratch);
    }
    json_array_foreach(persons, i, v)
    {
        char field[32];
        snprintf(field, sizeof field, "persons[%zu]", i);
        const char *pid = json_string_value(v);
        int64_t ppk = pid && awda_uuid_valid(pid, strlen(pid)) ? store_person_pk(c, pid) : 0;
        int64_t cpk = ppk ? store_movement_ready_case(c, ppk) : 0;
        json_t *caze = cpk ? store_case_get(c, cpk) : NULL;
        int64_t opk =
            caze ? store_office_pk(c, json_string_value(json_object_get(caze, "office"))) : 0;
        if (!ppk)
            awda_error_add(errors, field, "there is no person with this id");
        else if (!caze || !app_case_in_scope(c, x->a, cpk, opk))
            awda_error_add(errors, field, "this person is in no case at the stage ready");
        else
            json_array_append(household_of(hh, &n, cpk)->listed, v);
        json_decref(caze);
    }
    return n;
}

static int add_job(store_conn_t *c, void *p, app_result_t *r)
{
    add_ctx_t *x = p;
    store_movement_row_t row;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_OPEN, r))
        return STORE_ABORT;
    size_t max = json_array_size(json_object_get(x->body, "cases")) +
                 json_array_size(json_object_get(x->body, "persons"));
    household_t *hh = calloc(max ? max : 1, sizeof *hh);
    if (!hh)
        return STORE_ERR;
    json_t *errors = json_array();
    int n = households(x, c, hh, errors);
    int rc = STORE_ABORT;
    json_t *added = json_array(), *refused = json_array();
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The passengers are not valid");
        errors = NULL;
        goto out;
    }
    long long taken = store_movement_seats_taken(c, row.pk);
    long long seats = taken < 0 ? 0 : row.capacity - taken;
    rc = taken < 0 ? STORE_ERR : STORE_OK;
    for (int i = 0; i < n && rc == STORE_OK; i++)
        rc = add_household(x, c, &row, &hh[i], &seats, added, refused);
    if (rc == STORE_OK && json_array_size(added))
        rc = store_movement_touch(c, row.pk);
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
    if (rc == STORE_OK) {
        json_t *mv = r->body;
        r->body = json_pack("{s:O,s:O,s:o}", "added", added, "refused", refused, "movement", mv);
    }
out:
    for (int i = 0; i < n; i++)
        json_decref(hh[i].listed);
    free(hh);
    json_decref(errors);
    json_decref(added);
    json_decref(refused);
    return rc;
}

void app_movement_add(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "cases") != 0 && strcmp(k, "persons") != 0)
            awda_error_add(errors, k, "this field is not known");
    }
    static const char *const LISTS[] = {"cases", "persons"};
    size_t total = 0;
    for (int l = 0; l < 2; l++) {
        const json_t *list = json_object_get(body, LISTS[l]);
        if (!list)
            continue;
        if (!json_is_array(list)) {
            awda_error_add(errors, LISTS[l], "must be a list of ids");
            continue;
        }
        total += json_array_size(list);
        size_t i;
        json_t *e;
        json_array_foreach(list, i, e)
        {
            if (!json_is_string(e) ||
                !awda_uuid_valid(json_string_value(e), json_string_length(e))) {
                char field[32];
                snprintf(field, sizeof field, "%s[%zu]", LISTS[l], i);
                awda_error_add(errors, field,
                               l ? "must be the id of a person" : "must be the id of a case");
            }
        }
    }
    if (!json_array_size(errors) && total == 0)
        awda_error_add(errors, "cases", "name the cases (or persons) to add");
    if (total > AWDA_MOVEMENT_MAX_ADD)
        awda_error_add(errors, "cases", "at most %d cases and persons at once",
                       AWDA_MOVEMENT_MAX_ADD);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The passengers are not valid");
        return;
    }
    json_decref(errors);
    add_ctx_t x = {app, a, id, body};
    app_run_idempotent(app, a, idem_key, request_hash, add_job, &x, r);
}

/* ---- removal and no-shows --------------------------------------------------------- */

typedef struct {
    const app_actor_t *a;
    const char *id, *case_id, *reason, *then;
    int no_show;
} remove_ctx_t;

static int remove_job(store_conn_t *c, void *p, app_result_t *r)
{
    remove_ctx_t *x = p;
    store_movement_row_t row;
    int64_t cpk, opk, ver;
    if (!movement_find(c, x->a, x->id, &row, r) || !movement_at_office(x->a, &row, 0, r) ||
        !movement_allows(&row, MOVEMENT_OPEN, r) ||
        !app_find_case(c, x->a, x->case_id, &cpk, &opk, &ver, r))
        return STORE_ABORT;
    int n = 0;
    int rc = store_movement_passengers_off(c, row.pk, cpk, x->no_show ? "no_show" : "removed",
                                           x->reason, x->a->p.pk, &n);
    if (rc != STORE_OK)
        return rc;
    if (n == 0) {
        app_fail(r, APP_CONFLICT, "nobody of this case is booked on this movement");
        return STORE_ABORT;
    }
    json_t *caze = store_case_get(c, cpk);
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    if (stage && strcmp(stage, "booked") == 0) {
        int hold = strcmp(x->then, "on_hold") == 0;
        rc = store_case_set_stage(c, cpk, json_integer_value(json_object_get(caze, "version")),
                                  x->then, hold ? "ready" : NULL, NULL);
        if (rc == STORE_OK)
            rc = movement_case_event(
                c, x->a, cpk, hold ? "transition" : "unbooked", hold ? "hold" : "unbook", "booked",
                x->then, &row, json_pack("{s:s,s:b}", "reason", x->reason, "no_show", x->no_show));
    }
    json_decref(caze);
    if (rc == STORE_OK)
        rc = store_movement_touch(c, row.pk);
    if (rc == STORE_OK)
        rc = movement_answer(c, row.pk, APP_OK, r);
    return rc;
}

void app_movement_remove(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                         app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "case_id") && strcmp(k, "reason") && strcmp(k, "no_show") &&
            strcmp(k, "then"))
            awda_error_add(errors, k, "this field is not known");
    }
    const json_t *cid = json_object_get(body, "case_id");
    const json_t *reason = json_object_get(body, "reason");
    const json_t *ns = json_object_get(body, "no_show");
    const json_t *then = json_object_get(body, "then");
    if (!json_is_string(cid) || !awda_uuid_valid(json_string_value(cid), json_string_length(cid)))
        awda_error_add(errors, "case_id", "must be the id of a case");
    if (!json_is_string(reason) || json_string_length(reason) == 0 ||
        json_string_length(reason) > AWDA_MOVEMENT_MAX_REASON)
        awda_error_add(errors, "reason", "the reason is required (text of at most %d bytes)",
                       AWDA_MOVEMENT_MAX_REASON);
    if (ns && !json_is_boolean(ns))
        awda_error_add(errors, "no_show", "must be true or false");
    const char *t = then ? json_string_value(then) : APP_MOVEMENT_RETURN_STAGES[0];
    int known = 0;
    for (int i = 0; t && APP_MOVEMENT_RETURN_STAGES[i]; i++)
        known |= strcmp(t, APP_MOVEMENT_RETURN_STAGES[i]) == 0;
    if (!known)
        awda_error_add(errors, "then", "the case goes back to ready or on_hold");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The removal is not valid");
        return;
    }
    json_decref(errors);
    remove_ctx_t x = {
        a, id, json_string_value(cid), json_string_value(reason), t, json_is_true(ns)};
    app_run(app, remove_job, &x, r);
}

/* ---- the planning board ------------------------------------------------------------- */

/* The last-days records still missing for a passenger, from the unmet
 * boarding requirements, with their windows before departure. */
static json_t *due_of(app_t *app, const json_t *boarding, int64_t departs_ms)
{
    json_t *due = json_array();
    static const struct {
        const char *req, *code;
    } LAST_DAYS[] = {{"reconfirmation", "reconfirmation"},
                     {"health.pre_embarkation", "preembarkation"}};
    for (int k = 0; k < 2; k++) {
        int missing = 0;
        size_t i;
        json_t *q;
        json_array_foreach(boarding, i, q)
        {
            const char *code = json_string_value(json_object_get(q, "code"));
            if (code && strcmp(code, LAST_DAYS[k].req) == 0)
                missing = 1;
        }
        if (!missing)
            continue;
        int hours = k == 0 ? app->cfg.reconfirm_hours : app->cfg.preembark_hours;
        char from[32], until[32];
        store_movement_utc(departs_ms - (int64_t)hours * 3600 * 1000, from);
        store_movement_utc(departs_ms, until);
        json_array_append_new(due, json_pack("{s:s,s:s,s:s}", "code", LAST_DAYS[k].code, "from",
                                             from, "until", until));
    }
    return due;
}

void app_movement_board(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_movement_row_t row;
    if (!c || !movement_find(c, a, id, &row, r))
        return;
    json_t *mv = movement_json(c, row.pk, 1);
    json_t *cases = store_movement_cases(c, row.pk, "booked");
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(cases, i, e)
    {
        awda_journey_t j;
        json_t *booking = movement_booking_check(
            app, c, json_integer_value(json_object_get(e, "case_pk")), row.departs_ms, &j);
        if (!booking) {
            awda_journey_free(&j);
            continue;
        }
        for (int k = 0; k < j.nmembers; k++) {
            const awda_member_t *m = &j.members[k];
            const char *pid = m->person_id;
            int unmet = 0;
            json_t *all = awda_boarding_check(&j, pid, row.departs_ms, &unmet);
            json_t *bb = json_array(), *kb = json_array();
            movement_blockers_of(all, pid, bb);
            movement_blockers_of(booking, pid, kb);
            json_array_append_new(
                out,
                json_pack("{s:s,s:s,s:s,s:{s:b,s:o},s:{s:b,s:o},s:o}", "person_id", pid, "case_id",
                          j.case_id, "name", m->name, "booking", "met", json_array_size(kb) == 0,
                          "blockers", kb, "boarding", "met", json_array_size(bb) == 0, "blockers",
                          bb, "due", due_of(app, bb, row.departs_ms)));
            json_decref(all);
        }
        json_decref(booking);
        awda_journey_free(&j);
    }
    json_t *blockers =
        mv ? app_movement_escort_blockers(c, row.pk, json_object_get(mv, "passengers")) : NULL;
    if (!mv || !cases || !blockers) {
        json_decref(mv);
        json_decref(cases);
        json_decref(out);
        json_decref(blockers);
        app_fail(r, APP_ERROR, "the movement could not be read");
        return;
    }
    json_decref(cases);
    r->version = (long long)json_integer_value(json_object_get(mv, "version"));
    r->body = json_pack("{s:o,s:o,s:o}", "movement", mv, "passengers", out, "blockers", blockers);
    r->code = APP_OK;
}
