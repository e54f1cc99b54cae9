/*
 * journey.c — the use cases of the return journey: transitions, readiness
 * and the hand-over to the receiving office (records are records.c,
 * country restrictions restrictions.c).
 *
 * A transition runs as one job on the store's writer: it reads the case,
 * its records and the restrictions for its destination *inside* the
 * transaction, evaluates the guards of core/journey.c over that snapshot,
 * and moves the stage only when every requirement is met. Because every
 * write is serialised by the writer, a withdrawal racing a transition is
 * seen by whichever comes second: a withdrawn person can never end up
 * `ready` or `booked`. What a step does besides moving the stage (keep the
 * stage to resume to, the closure reason, withdraw every consent) is named
 * by the effect bits of its row in core/events.def and carried out here by
 * those bits; no rule here looks at an event's or a stage's name.
 */
#include "internal.h"
#include "../core/field.h"
#include "../core/journey.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS 8

static void today_iso(char out[11])
{
    awda_date_format(awda_today(), out);
}

/* The snapshot the guards read (see core/journey.h). Caller owns it. */
static json_t *snapshot(app_t *app, store_conn_t *c, int64_t case_pk, const char *reason)
{
    json_t *caze = store_case_get(c, case_pk);
    if (!caze)
        return NULL;
    char today[11];
    today_iso(today);
    json_t *types = json_array();
    const char *p = app->cfg.procedure_types;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n)
            json_array_append_new(types, json_stringn(p, n));
        p = e ? e + 1 : NULL;
    }
    json_t *restrictions = store_restriction_matching(
        c, json_string_value(json_object_get(caze, "destination_country")),
        json_string_value(json_object_get(caze, "destination_admin_area")), today);
    json_t *records = store_record_list(c, case_pk, NULL);
    json_t *prev = store_previous_returns(c, case_pk);
    json_t *snap = json_pack("{s:o,s:o,s:o,s:o,s:I,s:i,s:i,s:o}", "case", caze, "records",
                             records ? records : json_array(), "restrictions",
                             restrictions ? restrictions : json_array(), "previous_returns",
                             prev ? prev : json_array(), "now", (json_int_t)awda_now_ms(),
                             "reconfirm_hours", app->cfg.reconfirm_hours, "preembark_hours",
                             app->cfg.preembark_hours, "procedure_types", types);
    if (reason)
        json_object_set_new(snap, "reason", json_string(reason));
    json_t *office = store_office_get(c, json_string_value(json_object_get(caze, "office")));
    json_object_set(snap, "office_country", json_object_get(office, "country"));
    json_decref(office);
    /* What was given for an earlier destination no longer counts. */
    json_t *dc = store_case_last_event(c, case_pk, "destination_changed", NULL);
    if (dc)
        json_object_set_new(snap, "destination_changed", dc);
    /* When the case departed: the time the `depart` step said. */
    json_t *dep =
        store_case_last_event(c, case_pk, "transition", awda_event_name(AWDA_EVENT_DEPART));
    if (json_is_string(json_object_get(dep, "at")))
        json_object_set(snap, "departed_at", json_object_get(dep, "at"));
    json_decref(dep);
    return snap;
}
/* ---- transitions ------------------------------------------------------------ */

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *case_id;
    const char *event;
    const char *reason;
    const char *at; /* when a departure or arrival happened, or NULL */
} transition_ctx_t;

/* Effects done after the stage moved, in the writer's transaction. */
static int withdraw_consents(store_conn_t *c, int64_t case_pk)
{
    char ts[32];
    awda_iso_ms(awda_now_ms(), ts);
    return store_consents_withdraw(c, case_pk, ts);
}

static const struct {
    unsigned effect;
    int (*run)(store_conn_t *c, int64_t case_pk);
} AFTER[] = {
    {AWDA_FX_WITHDRAW_CONSENTS, withdraw_consents},
};
/* Every effect a row of events.def may name is carried out: the two that
 * shape the stage change in transition_job, the others by AFTER. */
#define FX_IN_STAGE_CHANGE (AWDA_FX_KEEP_STAGE | AWDA_FX_CLOSURE)
_Static_assert((FX_IN_STAGE_CHANGE | AWDA_FX_WITHDRAW_CONSENTS) == AWDA_FX_ALL,
               "an effect of core/events.def that nothing carries out");

static int transition_job(store_conn_t *c, void *p, app_result_t *r)
{
    transition_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &pk, &office_pk, &version, r))
        return STORE_ABORT;
    json_t *snap = snapshot(x->app, c, pk, x->reason);
    if (!snap)
        return STORE_ERR;
    const json_t *caze = json_object_get(snap, "case");
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    const awda_transition_t *t = awda_transition_find(x->event, stage);
    int rc = STORE_ABORT;
    if (!t) {
        app_fail(r, APP_CONFLICT, "a case at the stage %s cannot take the step %s", stage,
                 x->event);
        goto out;
    }
    if (!app_may_take(x->a, t->perm)) {
        app_fail(r, APP_FORBIDDEN, "your role does not allow the step %s", x->event);
        goto out;
    }
    /* When a departure or an arrival happened: a field of the request,
     * checked against the planned departure and the departure. */
    if (x->at)
        json_object_set_new(snap, "at", json_string(x->at));
    json_t *terr = json_array();
    if (awda_step_time_check(t, snap, terr)) {
        app_invalid(r, terr,
                    t->flags & AWDA_STEP_DEPARTS   ? "The time of the departure is not valid"
                    : t->flags & AWDA_STEP_ARRIVES ? "The time of the arrival is not valid"
                                                   : "The step is not valid");
        goto out;
    }
    json_decref(terr);
    int unmet = 0;
    json_t *reqs = awda_journey_check(t, snap, &unmet);
    if (unmet) {
        json_t *missing = json_array();
        size_t i;
        json_t *q;
        json_array_foreach(reqs, i, q)
        {
            if (!json_is_true(json_object_get(q, "met"))) {
                json_object_del(q, "met");
                json_array_append(missing, q);
            }
        }
        json_decref(reqs);
        r->code = APP_UNMET;
        snprintf(r->title, sizeof r->title, "The case is not ready for this step");
        snprintf(r->detail, sizeof r->detail, "%d requirement%s of the step %s %s not met", unmet,
                 unmet == 1 ? "" : "s", x->event, unmet == 1 ? "is" : "are");
        r->extra = json_pack("{s:o}", "requirements", missing);
        goto out;
    }
    json_decref(reqs);
    const char *to = t->to ? t->to : json_string_value(json_object_get(caze, "stage_before"));
    /* The effects of the step, by the bits of its row (core/events.def). A
     * step out of a pause (other than back) keeps the stage to resume to. */
    const char *before = NULL;
    if (t->effects & AWDA_FX_KEEP_STAGE)
        before = stage;
    else if (awda_stage_is(stage, AWDA_SP_PAUSED) && t->to)
        before = json_string_value(json_object_get(caze, "stage_before"));
    const char *closure = t->effects & AWDA_FX_CLOSURE ? x->reason : NULL;
    rc = store_case_set_stage(c, pk, version, to, before, closure);
    for (size_t i = 0; rc == STORE_OK && i < sizeof AFTER / sizeof AFTER[0]; i++)
        if (t->effects & AFTER[i].effect)
            rc = AFTER[i].run(c, pk);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:s,s:s,s:s}", "event", x->event, "from", stage, "to", to);
        if (x->reason)
            json_object_set_new(ev, "reason", json_string(x->reason));
        if (x->at)
            json_object_set_new(ev, "at", json_string(x->at));
        rc = store_event_append(c, pk, x->a->p.pk, "transition", ev);
        json_decref(ev);
    }
    if (rc == STORE_OK) {
        r->body = app_redact_case(x->a, store_case_get(c, pk));
        r->code = r->body ? APP_OK : APP_ERROR;
        json_t *v = json_object_get(r->body, "version");
        r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
    }
out:
    json_decref(snap);
    return rc;
}

/* ---- hand-over to the receiving office ------------------------------------ */

typedef struct {
    const app_actor_t *a;
    const char *case_id;
    const char *office;
} handover_ctx_t;

static int handover_job(store_conn_t *c, void *p, app_result_t *r)
{
    handover_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &pk, &office_pk, &version, r))
        return STORE_ABORT;
    json_t *caze = store_case_get(c, pk);
    json_t *office = store_office_get(c, x->office);
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    const char *dest = json_string_value(json_object_get(caze, "destination_country"));
    int rc = STORE_ABORT;
    if (!office) {
        json_t *e = json_array();
        awda_error_add(e, "office", "there is no office with the code %s", x->office);
        app_invalid(r, e, "The hand-over is not valid");
    } else if (dest && strcmp(json_string_value(json_object_get(office, "country")), dest) != 0) {
        json_t *e = json_array();
        awda_error_add(e, "office",
                       "the receiving office must be in the country of return (%s); %s is in %s",
                       dest, x->office, json_string_value(json_object_get(office, "country")));
        app_invalid(r, e, "The hand-over is not valid");
    } else if (awda_stage_is(stage, AWDA_SP_STOPPED)) {
        app_fail(r, APP_CONFLICT, "the case is %s; it cannot be handed over", stage);
    } else {
        rc = store_case_hand_over(c, pk, version, store_office_pk(c, x->office));
        if (rc == STORE_OK) {
            json_t *ev = json_pack("{s:s}", "office", x->office);
            rc = store_event_append(c, pk, x->a->p.pk, "handed_over", ev);
            json_decref(ev);
        }
        if (rc == STORE_OK) {
            r->body = app_redact_case(x->a, store_case_get(c, pk));
            r->version = json_integer_value(json_object_get(r->body, "version"));
            r->code = APP_OK;
        } else if (rc == STORE_STALE) {
            app_fail(r, APP_CONFLICT, "the case changed at the same moment; try again");
            rc = STORE_ABORT;
        }
    }
    json_decref(office);
    json_decref(caze);
    return rc;
}

void app_case_hand_over(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                        app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "office") != 0)
            awda_error_add(errors, k, "this field is not known");
    }
    const char *office = json_string_value(json_object_get(body, "office"));
    if (!office || !*office || strlen(office) > AWDA_MAX_SHORT)
        awda_error_add(errors, "office",
                       "the code of the receiving office in the country of return is required");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The hand-over is not valid");
        return;
    }
    json_decref(errors);
    handover_ctx_t x = {a, case_id, office};
    app_run(app, handover_job, &x, r);
}

void app_case_transition(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                         app_result_t *r)
{
    json_t *errors = json_array();
    const json_t *ev = json_object_get(body, "event");
    const json_t *reason = json_object_get(body, "reason");
    const json_t *at = json_object_get(body, "at");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "event") != 0 && strcmp(k, "reason") != 0 && strcmp(k, "at") != 0)
            awda_error_add(errors, k, "this field is not known");
    }
    int64_t at_ms;
    if (at && !json_is_null(at) &&
        (!json_is_string(at) ||
         awda_datetime_parse(json_string_value(at), json_string_length(at), &at_ms) != 0))
        awda_error_add(errors, "at",
                       "the date and time must be written as YYYY-MM-DDTHH:MMZ (UTC), e.g. "
                       "2026-05-01T14:30Z");
    /* The list is a literal, so that it is translated (text/messages.c);
     * that it names every event of core/events.def is checked by
     * test_vocabulary. */
    if (!json_is_string(ev) || awda_event_parse(json_string_value(ev)) < 0)
        awda_error_add(errors, "event",
                       "the step must be one of: counsel, consent, approve_eligibility, "
                       "start_pre_departure, ready, book, depart, arrive, start_reintegration, "
                       "start_monitoring, record_arrival, withdraw, hold, resume, reopen, "
                       "close");
    if (reason && !json_is_null(reason) &&
        (!json_is_string(reason) || json_string_length(reason) > 4000))
        awda_error_add(errors, "reason", "the reason must be text of at most 4000 bytes");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The step is not valid");
        return;
    }
    json_decref(errors);
    transition_ctx_t x = {
        app, a, case_id, json_string_value(ev), json_string_value(reason), json_string_value(at)};
    app_run(app, transition_job, &x, r);
}

void app_case_readiness(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office_pk, version;
    if (!c || !app_find_case(c, a, case_id, &pk, &office_pk, &version, r))
        return;
    json_t *snap = snapshot(app, c, pk, NULL);
    if (!snap) {
        app_fail(r, APP_ERROR, "the case could not be read");
        return;
    }
    const json_t *caze = json_object_get(snap, "case");
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    const awda_transition_t *ts[MAX_EVENTS * 2];
    int n = awda_transition_events(stage, ts, MAX_EVENTS * 2);
    json_t *next = json_array();
    for (int i = 0; i < n; i++) {
        /* Only the steps this case can take: an arrival recorded
         * afterwards is for an office in the country of return. */
        if (!awda_transition_possible(ts[i], snap))
            continue;
        int unmet = 0;
        json_t *reqs = awda_journey_check(ts[i], snap, &unmet);
        /* A reason is asked for when the step is taken, not prepared. */
        size_t k = 0;
        while (k < json_array_size(reqs)) {
            const char *code = json_string_value(json_object_get(json_array_get(reqs, k), "code"));
            if (code && (strcmp(code, "reason") == 0 || strcmp(code, "closure.reason") == 0)) {
                if (!json_is_true(json_object_get(json_array_get(reqs, k), "met")))
                    unmet--;
                json_array_remove(reqs, k);
            } else {
                k++;
            }
        }
        const char *to =
            ts[i]->to ? ts[i]->to : json_string_value(json_object_get(caze, "stage_before"));
        json_t *step = json_pack("{s:s,s:s*,s:b,s:b,s:i,s:o}", "event", ts[i]->event, "to", to,
                                 "ready", unmet == 0, "allowed", app_may_take(a, ts[i]->perm),
                                 "missing", unmet, "requirements", reqs);
        json_object_set_new(step, "side", json_boolean(ts[i]->flags & AWDA_STEP_SIDE));
        if (ts[i]->flags & (AWDA_STEP_AT_REQUIRED | AWDA_STEP_AT_OPTIONAL))
            json_object_set_new(
                step, "at",
                json_string(ts[i]->flags & AWDA_STEP_AT_REQUIRED ? "required" : "optional"));
        json_array_append_new(next, step);
    }
    r->body = json_pack("{s:s,s:s,s:I,s:o,s:o}", "case_id", case_id, "stage", stage, "version",
                        (json_int_t)version, "next", next, "warnings", awda_journey_warnings(snap));
    r->code = APP_OK;
    json_decref(snap);
}
