/*
 * journey.c — the use cases of the return journey: transitions, readiness
 * and the hand-over to the receiving office (records are records.c,
 * country restrictions restrictions.c).
 *
 * A transition is decided on a reader connection, in one read transaction:
 * it reads the case, its records, the restrictions for its destination and
 * the persons' previous returns, and evaluates the guards of core/guards.c
 * over that snapshot — none of it on the single writer. The write is then
 * a short job on the writer that moves the stage only when nothing the
 * decision weighed has changed: the case's version (every change to the
 * case, and every step, makes a new one), its newest record, the newest
 * change to any restriction, the previous returns. Otherwise it decides
 * again on what is there now (AWDA_TRANSITION_ATTEMPTS times, then once
 * more inside the writer's transaction, which always settles it). So a
 * withdrawal racing a transition is still seen by whichever comes second:
 * a withdrawn person can never end up `ready` or `booked`. What a step does besides moving the
 * stage (keep the stage to resume to, the closure reason, withdraw every consent) is named by the
 * effect bits of its row in core/events.def and carried out here by those bits; no rule here looks
 * at an event's or a stage's name.
 */
#include "internal.h"
#include "../store/plans.h"
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

/* ---- the snapshot the requirements read ------------------------------------ */

/* The value of field name of e in vals (a case's or a person's), as text:
 * NULL when absent, null or not a text. */
static const char *val_text(const store_case_t *k, const awda_entity_t *e, const store_val_t *vals,
                            const char *name)
{
    const awda_field_t *f = awda_field_find(e, name);
    const store_val_t *v = f ? &vals[f - e->fields] : NULL;
    return v && (v->type == STORE_V_TEXT || v->type == STORE_V_JSON) ? store_val_text(k, v) : NULL;
}

/* A time field as epoch ms, -1 when not set. */
static long long val_ms(const store_case_t *k, const awda_entity_t *e, const store_val_t *vals,
                        const char *name)
{
    const awda_field_t *f = awda_field_find(e, name);
    const store_val_t *v = f ? &vals[f - e->fields] : NULL;
    if (v && v->type == STORE_V_TIME)
        return (long long)v->u.i;
    const char *t = val_text(k, e, vals, name);
    int64_t ms;
    return t && awda_datetime_parse(t, strlen(t), &ms) == 0 ? (long long)ms : -1;
}

/* A JSON list as stored (vulnerabilities, documents…); NULL when none.
 * Caller owns. */
static json_t *val_list(const store_case_t *k, const awda_entity_t *e, const store_val_t *vals,
                        const char *name)
{
    const char *t = val_text(k, e, vals, name);
    return t ? json_loads(t, 0, NULL) : NULL;
}

static void copy(char *out, size_t cap, const char *s)
{
    snprintf(out, cap, "%s", s ? s : "");
}

/* The members of k as the requirements read them. 0, or -1 out of memory. */
static int members_of(const store_case_t *k, awda_journey_t *j)
{
    j->members = calloc((size_t)(k->nmembers ? k->nmembers : 1), sizeof *j->members);
    if (!j->members)
        return -1;
    const awda_entity_t *P = &AWDA_PERSON;
    for (int i = 0; i < k->nmembers; i++) {
        const store_val_t *pv = k->members[i].person;
        json_t *v = val_list(k, P, pv, "vulnerabilities");
        json_t *pr = val_list(k, P, pv, "protection_vulnerabilities");
        json_t *docs = val_list(k, P, pv, "documents");
        awda_member_fill(&j->members[j->nmembers++], val_text(k, P, pv, "id"),
                         val_text(k, P, pv, "name_latin"), val_text(k, P, pv, "name"),
                         val_text(k, P, pv, "date_of_birth"), val_text(k, P, pv, "dob_precision"),
                         v, pr, docs);
        json_decref(v);
        json_decref(pr);
        json_decref(docs);
    }
    return 0;
}

/* Everything else the requirements weigh, read on c. 0, or -1. */
static int context_of(app_t *app, store_conn_t *c, const store_case_t *k, awda_journey_t *j,
                      json_t **prev_out)
{
    const int64_t pk = k->row.pk;
    if (store_journey_records(c, pk, &j->records) != STORE_OK)
        return -1;
    /* the configured checklist */
    int n = 1;
    for (const char *p = app->cfg.procedure_types; p && *p; p++)
        n += *p == ',';
    j->procedure_types = calloc((size_t)n, sizeof *j->procedure_types);
    if (!j->procedure_types)
        return -1;
    const char *p = app->cfg.procedure_types;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len && j->nprocedure_types < n)
            snprintf(j->procedure_types[j->nprocedure_types++], sizeof j->procedure_types[0],
                     "%.*s", (int)len, p);
        p = e ? e + 1 : NULL;
    }
    char today[11];
    today_iso(today);
    json_t *rs = store_restriction_matching(c, *j->dest_country ? j->dest_country : NULL,
                                            *j->dest_admin_area ? j->dest_admin_area : NULL, today);
    j->restrictions = calloc(json_array_size(rs) + 1, sizeof *j->restrictions);
    json_t *prev = store_previous_returns(c, pk);
    j->prev = calloc(json_array_size(prev) + 1, sizeof *j->prev);
    /* a restriction that cannot be read stops the decision: none known
     * is not "none in force" */
    int rc = rs && j->restrictions && j->prev ? 0 : -1;
    size_t i;
    json_t *r;
    json_array_foreach(rc == 0 ? rs : NULL, i, r)
        awda_restriction_fill(&j->restrictions[j->nrestrictions++], r);
    json_decref(rs);
    json_array_foreach(rc == 0 ? prev : NULL, i, r) awda_prev_return_fill(&j->prev[j->nprev++], r);
    if (prev_out && rc == 0)
        *prev_out = prev ? prev : json_array();
    else
        json_decref(prev);
    json_t *office = store_office_get(c, val_text(k, &AWDA_CASE, k->v, "office"));
    copy(j->office_country, sizeof j->office_country,
         json_string_value(json_object_get(office, "country")));
    json_decref(office);
    /* What was given for an earlier destination no longer counts. */
    json_t *dc = store_case_last_event(c, pk, "destination_changed", NULL);
    if (dc) {
        awda_journey_dest_change(j, json_string_value(json_object_get(dc, "from_country")),
                                 json_string_value(json_object_get(dc, "from_admin_area")),
                                 json_string_value(json_object_get(dc, "last_record")));
        json_decref(dc);
    }
    /* When the case departed: the time the `depart` step said. */
    json_t *dep = store_case_last_event(c, pk, "transition", awda_event_name(AWDA_EVENT_DEPART));
    const char *at = json_string_value(json_object_get(dep, "at"));
    int64_t ms;
    j->departed_at = at && awda_datetime_parse(at, strlen(at), &ms) == 0 ? (long long)ms : -1;
    json_decref(dep);
    return rc;
}

int app_journey_read(app_t *app, store_conn_t *c, const store_case_t *k, awda_journey_t *j,
                     json_t **prev_out)
{
    memset(j, 0, sizeof *j);
    if (prev_out)
        *prev_out = NULL;
    const awda_entity_t *C = &AWDA_CASE;
    copy(j->case_id, sizeof j->case_id, val_text(k, C, k->v, "id"));
    copy(j->stage, sizeof j->stage, val_text(k, C, k->v, "stage"));
    copy(j->stage_before, sizeof j->stage_before, val_text(k, C, k->v, "stage_before"));
    copy(j->dest_country, sizeof j->dest_country, val_text(k, C, k->v, "destination_country"));
    copy(j->dest_admin_area, sizeof j->dest_admin_area,
         val_text(k, C, k->v, "destination_admin_area"));
    j->planned_departure = val_ms(k, C, k->v, "planned_departure");
    j->version = k->row.version;
    j->now = awda_now_ms();
    j->reconfirm_hours = app->cfg.reconfirm_hours;
    j->preembark_hours = app->cfg.preembark_hours;
    j->departed_at = -1;
    if (members_of(k, j) != 0 || context_of(app, c, k, j, prev_out) != 0) {
        awda_journey_free(j);
        if (prev_out) {
            json_decref(*prev_out);
            *prev_out = NULL;
        }
        return 0;
    }
    return 1;
}

int app_journey_snapshot(app_t *app, store_conn_t *c, int64_t case_pk, awda_journey_t *j)
{
    store_case_t *k = NULL;
    memset(j, 0, sizeof *j);
    if (store_case_load(c, NULL, case_pk, STORE_CLASSES_ALL, &k) != STORE_OK)
        return 0;
    int ok = app_journey_read(app, c, k, j, NULL);
    store_case_free(k);
    return ok;
}

/* ---- transitions ------------------------------------------------------------ */

/* What a transition decided on a reader, and what it weighed: the case's
 * version, its newest record, the newest change to any restriction and the
 * person's previous returns. The write goes ahead only when all four are
 * still what they were (checked inside the writer's transaction). */
typedef struct {
    int64_t pk, version, restrictions;
    char last_record[37];
    json_t *prev; /* previous returns weighed; owned */
    char stage[32], to[32], before[32];
    int has_to, has_before;
    unsigned effects;
} decision_t;

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *case_id;
    const char *event;
    const char *reason;
    const char *at; /* when a departure or arrival happened, or NULL */
    decision_t d;
    int changed; /* the commit found that something weighed had changed */
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
 * shape the stage change in commit_job, the others by AFTER. */
#define FX_IN_STAGE_CHANGE (AWDA_FX_KEEP_STAGE | AWDA_FX_CLOSURE)
_Static_assert((FX_IN_STAGE_CHANGE | AWDA_FX_WITHDRAW_CONSENTS) == AWDA_FX_ALL,
               "an effect of core/events.def that nothing carries out");

static void copy_name(char *out, size_t cap, const char *v, int *has)
{
    *has = v != NULL;
    snprintf(out, cap, "%s", v ? v : "");
}

/* Reads the case on c, weighs the step and fills x->d: 1 when the step may
 * be taken, else 0 with r saying why (nothing written). */
static int decide(transition_ctx_t *x, store_conn_t *c, app_result_t *r)
{
    decision_t *d = &x->d;
    store_case_t *k = app_read_case_k(c, x->a, x->case_id, r);
    if (!k)
        return 0;
    d->pk = k->row.pk;
    d->version = k->row.version;
    awda_journey_t j;
    json_t *prev = NULL;
    int read = app_journey_read(x->app, c, k, &j, &prev);
    store_case_free(k);
    if (!read) {
        app_fail(r, APP_ERROR, "the case could not be read");
        return 0;
    }
    j.reason = x->reason;
    /* When a departure or an arrival happened: a field of the request,
     * checked against the planned departure and the departure. */
    j.at = x->at;
    const char *stage = *j.stage ? j.stage : NULL;
    const awda_transition_t *t = awda_transition_find(x->event, stage);
    int ok = 0;
    if (!t) {
        app_fail(r, APP_CONFLICT, "a case at the stage %s cannot take the step %s", stage,
                 x->event);
        goto out;
    }
    if (!app_may_take(x->a, t->perm)) {
        app_fail(r, APP_FORBIDDEN, "your role does not allow the step %s", x->event);
        goto out;
    }
    /* A case whose reintegration items are still in progress is closed
     * through its plan, which asks why they stop (app/plans.c). */
    long long items_open = 0, items_waiting = 0, items_delivered = 0;
    if ((t->effects & AWDA_FX_CLOSURE) &&
        store_case_item_counts(c, d->pk, &items_open, &items_waiting, &items_delivered) ==
            STORE_OK &&
        items_open > 0) {
        app_fail(r, APP_CONFLICT,
                 "items of the reintegration plan are still in progress: %lld; close the plan and "
                 "say why they stop",
                 items_open);
        goto out;
    }
    json_t *terr = json_array();
    if (awda_step_time_check(t, &j, terr)) {
        app_invalid(r, terr,
                    t->flags & AWDA_STEP_DEPARTS   ? "The time of the departure is not valid"
                    : t->flags & AWDA_STEP_ARRIVES ? "The time of the arrival is not valid"
                                                   : "The step is not valid");
        goto out;
    }
    json_decref(terr);
    int unmet = 0;
    json_t *reqs = awda_journey_check(t, &j, &unmet);
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
    /* The effects of the step, by the bits of its row (core/events.def). A
     * step out of a pause (other than back) keeps the stage to resume to. */
    const char *stage_before = *j.stage_before ? j.stage_before : NULL;
    const char *before = NULL;
    if (t->effects & AWDA_FX_KEEP_STAGE)
        before = stage;
    else if (awda_stage_is(stage, AWDA_SP_PAUSED) && t->to)
        before = stage_before;
    copy_name(d->stage, sizeof d->stage, stage, &ok);
    copy_name(d->to, sizeof d->to, t->to ? t->to : stage_before, &d->has_to);
    copy_name(d->before, sizeof d->before, before, &d->has_before);
    d->effects = t->effects;
    /* What was weighed, for the commit to compare. */
    if (store_record_last_id(c, d->pk, d->last_record) != STORE_OK)
        d->last_record[0] = 0;
    d->restrictions = store_restriction_stamp(c);
    json_decref(d->prev);
    d->prev = prev;
    prev = NULL;
    ok = d->restrictions >= 0 && d->prev != NULL;
    if (!ok)
        app_fail(r, APP_ERROR, "the case could not be read");
out:
    json_decref(prev);
    awda_journey_free(&j);
    return ok;
}

/* 1 when something the decision weighed has changed since (read on c,
 * inside the writer's transaction). */
static int weighed_changed(store_conn_t *c, const decision_t *d, int64_t version)
{
    if (version != d->version)
        return 1;
    char last[37] = "";
    if (store_record_last_id(c, d->pk, last) != STORE_OK)
        last[0] = 0;
    if (strcmp(last, d->last_record) != 0 || store_restriction_stamp(c) != d->restrictions)
        return 1;
    json_t *prev = store_previous_returns(c, d->pk);
    int same = prev && json_equal(prev, d->prev);
    json_decref(prev);
    return !same;
}

/* Moves the stage as decided, with its effects and its event. */
static int commit(transition_ctx_t *x, store_conn_t *c, app_result_t *r)
{
    const decision_t *d = &x->d;
    const char *closure = d->effects & AWDA_FX_CLOSURE ? x->reason : NULL;
    int rc = store_case_set_stage(c, d->pk, d->version, d->has_to ? d->to : NULL,
                                  d->has_before ? d->before : NULL, closure);
    if (rc == STORE_STALE) {
        x->changed = 1;
        return STORE_ABORT;
    }
    for (size_t i = 0; rc == STORE_OK && i < sizeof AFTER / sizeof AFTER[0]; i++)
        if (d->effects & AFTER[i].effect)
            rc = AFTER[i].run(c, d->pk);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:s,s:s,s:s*}", "event", x->event, "from", d->stage, "to",
                               d->has_to ? d->to : NULL);
        if (x->reason)
            json_object_set_new(ev, "reason", json_string(x->reason));
        if (x->at)
            json_object_set_new(ev, "at", json_string(x->at));
        rc = store_event_append(c, d->pk, x->a->p.pk, "transition", ev);
        json_decref(ev);
    }
    if (rc == STORE_OK) {
        r->body = app_redact_case(x->a, store_case_get(c, d->pk));
        r->code = r->body ? APP_OK : APP_ERROR;
        json_t *v = json_object_get(r->body, "version");
        r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
    }
    return rc;
}

/* The write of a step decided on a reader: only when nothing it weighed
 * has changed (else x->changed, nothing written, and the caller decides
 * again). */
static int commit_job(store_conn_t *c, void *p, app_result_t *r)
{
    transition_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &pk, &office_pk, &version, r))
        return STORE_ABORT; /* gone out of the user's reach meanwhile */
    if (pk != x->d.pk || weighed_changed(c, &x->d, version)) {
        x->changed = 1;
        return STORE_ABORT;
    }
    return commit(x, c, r);
}

/* Deciding and writing in the writer's transaction, as the last resort
 * when the case kept changing under the decisions made on a reader. */
static int transition_job(store_conn_t *c, void *p, app_result_t *r)
{
    transition_ctx_t *x = p;
    if (!decide(x, c, r))
        return STORE_ABORT;
    return commit(x, c, r);
}

/* A step taken inside a writer job of another use case (reintegration:
 * a plan approved, its items delivered, the plan closed), by the same
 * rules as POST /cases/{id}/transitions: the case in the actor's scope,
 * the actor's role, every guard; the stage, its effects and the
 * `transition` event in the caller's transaction. STORE_OK, or
 * STORE_ABORT with r saying why (409 with the requirements not met). On
 * success r is left as it was. Declared in app/plans.h. */
int app_case_step(app_t *app, store_conn_t *c, const app_actor_t *a, const char *case_id,
                  const char *event, const char *reason, app_result_t *r)
{
    transition_ctx_t x = {app, a, case_id, event, reason, NULL, {0}, 0};
    app_result_t mine = {0};
    int rc = transition_job(c, &x, &mine);
    json_decref(x.d.prev);
    if (rc == STORE_OK) {
        app_result_free(&mine);
        return STORE_OK;
    }
    app_result_free(r);
    *r = mine;
    return rc;
}

/* Decided on a reader connection (one read transaction), written by a
 * short job on the writer that first checks that nothing weighed has
 * changed; a change (a record added, a withdrawal, a restriction placed at
 * the same moment) means deciding again on what is now there. */
static void run_transition(app_t *app, transition_ctx_t *x, app_result_t *r)
{
    for (int attempt = 0; attempt < AWDA_TRANSITION_ATTEMPTS; attempt++) {
        store_conn_t *c = app_reader(app, r);
        if (!c)
            return;
        int began = store_read_begin(c) == STORE_OK;
        int ok = decide(x, c, r);
        if (began)
            store_read_end(c);
        if (!ok)
            return;
        x->changed = 0;
        app_run(app, commit_job, x, r);
        if (!x->changed)
            return;
        app_result_free(r);
    }
    app_run(app, transition_job, x, r);
}

/* ---- hand-over to the receiving office ------------------------------------ */

typedef struct {
    const app_actor_t *a;
    const char *case_id;
    const char *office;
} handover_ctx_t;

/* The hand-over of one case (pk at version) to the office with code
 * office, by the rules above; the caller's transaction (writer). */
int app_hand_over_case(store_conn_t *c, const app_actor_t *a, int64_t pk, int64_t version,
                       const char *office_code, app_result_t *r)
{
    json_t *caze = store_case_get(c, pk);
    json_t *office = store_office_get(c, office_code);
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    const char *dest = json_string_value(json_object_get(caze, "destination_country"));
    int rc = STORE_ABORT;
    if (!office) {
        json_t *e = json_array();
        awda_error_add(e, "office", "there is no office with the code %s", office_code);
        app_invalid(r, e, "The hand-over is not valid");
    } else if (dest && strcmp(json_string_value(json_object_get(office, "country")), dest) != 0) {
        json_t *e = json_array();
        awda_error_add(e, "office",
                       "the receiving office must be in the country of return (%s); %s is in %s",
                       dest, office_code, json_string_value(json_object_get(office, "country")));
        app_invalid(r, e, "The hand-over is not valid");
    } else if (awda_stage_is(stage, AWDA_SP_STOPPED)) {
        app_fail(r, APP_CONFLICT, "the case is %s; it cannot be handed over", stage);
    } else {
        rc = store_case_hand_over(c, pk, version, store_office_pk(c, office_code));
        if (rc == STORE_OK) {
            json_t *ev = json_pack("{s:s}", "office", office_code);
            rc = store_event_append(c, pk, a->p.pk, "handed_over", ev);
            json_decref(ev);
        } else if (rc == STORE_STALE) {
            app_fail(r, APP_CONFLICT, "the case changed at the same moment; try again");
            rc = STORE_ABORT;
        }
    }
    json_decref(office);
    json_decref(caze);
    return rc;
}

static int handover_job(store_conn_t *c, void *p, app_result_t *r)
{
    handover_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &pk, &office_pk, &version, r))
        return STORE_ABORT;
    int rc = app_hand_over_case(c, x->a, pk, version, x->office, r);
    if (rc == STORE_OK) {
        r->body = app_redact_case(x->a, store_case_get(c, pk));
        r->version = json_integer_value(json_object_get(r->body, "version"));
        r->code = APP_OK;
    }
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
        app, a, case_id, json_string_value(ev), json_string_value(reason), json_string_value(at),
        {0}, 0};
    run_transition(app, &x, r);
    json_decref(x.d.prev);
}

void app_case_readiness(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_case_t *agg = c ? app_read_case_k(c, a, case_id, r) : NULL;
    if (!agg)
        return;
    awda_journey_t j;
    int read = app_journey_read(app, c, agg, &j, NULL);
    store_case_free(agg);
    if (!read) {
        app_fail(r, APP_ERROR, "the case could not be read");
        return;
    }
    const char *stage = *j.stage ? j.stage : NULL;
    const awda_transition_t *ts[MAX_EVENTS * 2];
    int n = awda_transition_events(stage, ts, MAX_EVENTS * 2);
    json_t *next = json_array();
    for (int i = 0; i < n; i++) {
        /* Only the steps this case can take: an arrival recorded
         * afterwards is for an office in the country of return. */
        if (!awda_transition_possible(ts[i], &j))
            continue;
        int unmet = 0;
        json_t *reqs = awda_journey_check(ts[i], &j, &unmet);
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
        const char *to = ts[i]->to ? ts[i]->to : *j.stage_before ? j.stage_before : NULL;
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
                        (json_int_t)j.version, "next", next, "warnings", awda_journey_warnings(&j));
    r->code = APP_OK;
    awda_journey_free(&j);
}
