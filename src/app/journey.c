/*
 * journey.c — the use cases of the return journey: records, transitions,
 * readiness and country restrictions.
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
 *
 * Records are append-only; a record's sealed fields (medical, protection)
 * are redacted for roles that may not see them, by the one mechanism in
 * core/records.c (awda_redact).
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

#define MAX_EVENTS     8
#define AFFECTED_LIMIT 10000

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

/* ---- records -------------------------------------------------------------- */

/* Sealed detail is shown to the roles that see its class, to the roles
 * that record the kind, and to the author of the record (authz.c). */
static json_t *redacted(const app_actor_t *a, json_t *record)
{
    awda_rec_perm_t perm;
    const awda_entity_t *e =
        awda_record_kind(json_string_value(json_object_get(record, "kind")), &perm);
    if (e)
        awda_redact(e, json_object_get(record, "data"),
                    app_record_visible_sensitivity(
                        a, perm, json_string_value(json_object_get(record, "created_by"))));
    return record;
}

json_t *app_redact_record(const app_actor_t *a, json_t *record)
{
    return redacted(a, record);
}

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *case_id;
    const char *kind;
    const awda_entity_t *e;
    json_t *data;
} record_ctx_t;

static int is_member(const json_t *caze, const char *person_id)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        if (pid && person_id && strcmp(pid, person_id) == 0)
            return 1;
    }
    return 0;
}

/* The display name of member person_id of the case. */
static void person_display(const json_t *caze, const char *person_id, char *out, size_t cap)
{
    size_t i;
    json_t *m;
    snprintf(out, cap, "this person");
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        if (pid && person_id && strcmp(pid, person_id) == 0)
            awda_person_display(json_object_get(m, "person"), out, cap);
    }
}

/* Checks that need the database; problems go to errors. */
static void record_refs(record_ctx_t *x, store_conn_t *c, const json_t *caze, json_t *errors)
{
    const json_t *d = x->data;
    const char *pid = json_string_value(json_object_get(d, "person_id"));
    if (pid && !is_member(caze, pid))
        awda_error_add(errors, "person_id", "this person is not a member of the case");
    const char *purpose = json_string_value(json_object_get(d, "purpose"));
    if (strcmp(x->kind, "consent") == 0) {
        if (purpose && strcmp(purpose, "return") != 0 &&
            !json_string_value(json_object_get(d, "recipient")))
            awda_error_add(errors, "recipient",
                           "the recipient is required for consent to share data");
        const char *method = json_string_value(json_object_get(d, "method"));
        if (method && strcmp(method, "oral_with_witness") == 0 &&
            !json_string_value(json_object_get(d, "witness")))
            awda_error_add(errors, "witness", "an oral consent needs a witness");
        const char *by = json_string_value(json_object_get(d, "given_by"));
        if (by && strcmp(by, "guardian") == 0 &&
            !json_string_value(json_object_get(d, "guardian_name")))
            awda_error_add(errors, "guardian_name",
                           "the guardian's name is required when the guardian consents");
    }
    /* Sharing names a partner organisation by its id (partners.c): a
     * referral, and a consent to share data or its withdrawal. */
    const char *recipient = json_string_value(json_object_get(d, "recipient"));
    int consent_kind =
        strcmp(x->kind, "consent") == 0 || strcmp(x->kind, "consent_withdrawal") == 0;
    if (strcmp(x->kind, "referral") == 0)
        json_decref(app_partner_ref(c, json_string_value(json_object_get(d, "partner")), "partner",
                                    errors));
    if (consent_kind && recipient && purpose && strcmp(purpose, "data_sharing") == 0)
        json_decref(app_partner_ref(c, recipient, "recipient", errors));
    /* A withdrawal withdraws a consent that stands: one that matches
     * nothing would be recorded and change nothing. */
    if (strcmp(x->kind, "consent_withdrawal") == 0 && recipient && purpose && pid &&
        is_member(caze, pid) && !awda_has_error(errors, "recipient") &&
        !awda_has_error(errors, "purpose") &&
        store_sharing_consent(c, store_person_pk(c, pid), purpose, recipient) == 0)
        awda_error_add(errors, "recipient",
                       "this person has no consent to share with this recipient that could be "
                       "withdrawn (choose the recipient named in their consent)");
    if (strcmp(x->kind, "procedure") == 0) {
        const char *type = json_string_value(json_object_get(d, "type"));
        const char *list = x->app->cfg.procedure_types;
        size_t n = type ? strlen(type) : 0;
        int known = 0;
        for (const char *p = list; type && p && *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            known |= len == n && strncmp(p, type, n) == 0;
            p = e ? e + 1 : NULL;
        }
        if (type && !known)
            awda_error_add(errors, "type", "the procedure must be one of: %s", list);
    }
    if (strcmp(x->kind, "health_assessment") == 0) {
        const char *res = json_string_value(json_object_get(d, "result"));
        if (res && strcmp(res, "temporarily_unfit") == 0 &&
            !json_string_value(json_object_get(d, "stabilisation_plan")))
            awda_error_add(errors, "stabilisation_plan",
                           "a stabilisation plan is required when the person is temporarily "
                           "unfit");
    }
    if (strcmp(x->kind, "family_assessment") == 0) {
        const char *code = json_string_value(json_object_get(d, "office"));
        json_t *office = code ? store_office_get(c, code) : NULL;
        const char *dest = json_string_value(json_object_get(caze, "destination_country"));
        /* Without an office, a partner organisation outside awda assessed
         * the family. */
        if (!code && !json_string_value(json_object_get(d, "partner")))
            awda_error_add(errors, "office",
                           "say which office, or which partner organisation in the country of "
                           "return, assessed the family");
        else if (code && !office)
            awda_error_add(errors, "office", "there is no office with the code %s", code);
        else if (office && dest &&
                 strcmp(json_string_value(json_object_get(office, "country")), dest))
            awda_error_add(errors, "office",
                           "the family assessment must come from an office in the country of "
                           "return (%s)",
                           dest);
        json_decref(office);
    }
    if (strcmp(x->kind, "protection_officer") == 0) {
        const char *u = json_string_value(json_object_get(d, "username"));
        json_t *user = u ? store_user_get(c, u) : NULL;
        int protection = 0;
        size_t i;
        json_t *role;
        json_array_foreach(json_object_get(user, "roles"), i, role)
        {
            protection |= strcmp(json_string_value(role), "protection") == 0;
        }
        if (!protection)
            awda_error_add(errors, "username", "there is no protection officer named %s",
                           u ? u : "");
        json_decref(user);
    }
    if (strcmp(x->kind, "restriction_approval") == 0) {
        const char *rid = json_string_value(json_object_get(d, "restriction_id"));
        json_t *res = rid ? store_restriction_get(c, rid, 0) : NULL;
        if (!res)
            awda_error_add(errors, "restriction_id", "there is no such restriction");
        json_decref(res);
    }
}

static int record_job(store_conn_t *c, void *p, app_result_t *r)
{
    record_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &pk, &office_pk, &version, r))
        return STORE_ABORT;
    json_t *caze = store_case_get(c, pk);
    if (!caze)
        return STORE_ERR;
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    int rc = STORE_ABORT;
    /* Consent to share can be withdrawn at any time, even after the case
     * ended. */
    int any_time = strcmp(x->kind, "consent_withdrawal") == 0;
    /* Once the journey stopped, only what may start it again (counselling,
     * a new consent) is recorded; once the case is closed, nothing. */
    unsigned props = awda_stage_props(awda_stage_parse(stage));
    if (!any_time &&
        ((props & AWDA_SP_ENDED) || ((props & AWDA_SP_STOPPED) && strcmp(x->kind, "consent") != 0 &&
                                     strcmp(x->kind, "counselling") != 0))) {
        if (props & AWDA_SP_ENDED)
            app_fail(r, APP_CONFLICT, "the case is closed; reopen it before recording anything");
        else
            app_fail(r, APP_CONFLICT,
                     "the case is withdrawn; only counselling and a new consent can be recorded "
                     "now");
        goto out;
    }
    json_t *errors = json_array();
    record_refs(x, c, caze, errors);
    if (json_array_size(errors)) {
        char title[96];
        snprintf(title, sizeof title, "%s is not valid", x->e->title);
        app_invalid(r, errors, title);
        goto out;
    }
    json_decref(errors);
    /* Sharing with a third party needs the person's consent to share with
     * that recipient (sharing.c). */
    if (strcmp(x->kind, "referral") == 0) {
        const char *pid = json_string_value(json_object_get(x->data, "person_id"));
        const char *partner = json_string_value(json_object_get(x->data, "partner"));
        int yes = store_sharing_consent(c, store_person_pk(c, pid), "data_sharing", partner);
        if (yes != 1) {
            char who[160];
            person_display(caze, pid, who, sizeof who);
            json_t *org = app_partner_ref(c, partner, "partner", NULL);
            app_fail(r, yes < 0 ? APP_ERROR : APP_NO_CONSENT,
                     "%s has not consented to share their data with %s (record a consent to "
                     "share with this partner first)",
                     who,
                     json_string_value(json_object_get(org, "name"))
                         ? json_string_value(json_object_get(org, "name"))
                         : partner);
            json_decref(org);
            goto out;
        }
    }
    const char *pid = json_string_value(json_object_get(x->data, "person_id"));
    int64_t person_pk = pid ? store_person_pk(c, pid) : 0;
    char id[37];
    rc = store_record_insert(c, pk, person_pk, x->kind, x->data, x->a->p.pk, id);
    if (rc == STORE_OK && strcmp(x->kind, "consent_withdrawal") == 0)
        rc = store_sharing_consent_withdrawn(
            c, person_pk, json_string_value(json_object_get(x->data, "purpose")),
            json_string_value(json_object_get(x->data, "recipient")));
    if (rc != STORE_OK)
        goto out;
    json_t *ev = json_pack("{s:s,s:s}", "kind", x->kind, "record_id", id);
    if (pid)
        json_object_set_new(ev, "person_id", json_string(pid));
    rc = store_event_append(c, pk, x->a->p.pk, "recorded", ev);
    json_decref(ev);
    if (rc != STORE_OK)
        goto out;
    json_t *rec = store_record_get(c, id);
    if (!rec) {
        rc = STORE_ERR;
        goto out;
    }
    r->body = redacted(x->a, rec);
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%s/records", x->case_id);
out:
    json_decref(caze);
    return rc;
}

void app_record_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    const char *kind = json_string_value(json_object_get(body, "kind"));
    awda_rec_perm_t perm;
    const awda_entity_t *e = awda_record_kind(kind, &perm);
    if (!e) {
        char list[600];
        size_t o = 0;
        list[0] = '\0';
        for (size_t i = 0; i < awda_record_kind_count() && o < sizeof list; i++) {
            int n = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                             awda_record_kind_at(i)->name);
            o = n < 0 ? sizeof list : o + (size_t)n; /* stops once the list is full */
        }
        awda_error_add(errors, "kind", "the kind of record must be one of: %s", list);
        app_invalid(r, errors, "The record is not valid");
        return;
    }
    /* Whoever refers a person to a partner may also record their consent
     * to share data (not their consent to return). */
    const char *purpose = json_string_value(json_object_get(body, "purpose"));
    int sharing_consent = strcmp(kind, "consent") == 0 && purpose &&
                          strcmp(purpose, "return") != 0 && app_may_record(a, REC_REFER);
    if (!app_may_record(a, perm) && !sharing_consent) {
        json_decref(errors);
        app_fail(r, APP_FORBIDDEN, "your role does not allow recording a %s", kind);
        return;
    }
    json_t *data = json_copy((json_t *)body);
    json_object_del(data, "kind");
    if (awda_validate(e, data, "", errors)) {
        char title[96];
        snprintf(title, sizeof title, "%s is not valid", e->title);
        app_invalid(r, errors, title);
        json_decref(data);
        return;
    }
    /* A health assessment has happened by the time it is recorded. */
    if (strcmp(kind, "health_assessment") == 0) {
        const char *at = json_string_value(json_object_get(data, "at"));
        int64_t ms;
        if (at && awda_datetime_parse(at, strlen(at), &ms) == 0 &&
            ms > awda_now_ms() + AWDA_CLOCK_SKEW_MS) {
            awda_error_add(errors, "at",
                           "the assessment is dated %s, which is in the future; record it once "
                           "it has taken place",
                           at);
            app_invalid(r, errors, "The health assessment is not valid");
            json_decref(data);
            return;
        }
    }
    json_decref(errors);
    /* Fields the server owns never come from the client. */
    for (size_t i = 0; i < e->nfields; i++)
        if (e->fields[i].flags & F_SERVER)
            json_object_del(data, e->fields[i].name);
    record_ctx_t x = {app, a, case_id, kind, e, data};
    app_run_idempotent(app, a, idem_key, request_hash, record_job, &x, r);
    json_decref(data);
}

void app_record_list(app_t *app, const app_actor_t *a, const char *case_id, const char *kind,
                     app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office_pk, version;
    if (!c || !app_find_case(c, a, case_id, &pk, &office_pk, &version, r))
        return;
    if (kind && !awda_record_kind(kind, NULL)) {
        r->code = APP_BAD_REQUEST;
        r->errors = json_array();
        awda_error_add(r->errors, "kind", "there is no kind of record called \"%.40s\"", kind);
        snprintf(r->detail, sizeof r->detail, "check the parameters");
        return;
    }
    json_t *items = store_record_list(c, pk, kind);
    if (!items) {
        app_fail(r, APP_ERROR, "the records could not be read");
        return;
    }
    size_t i;
    json_t *rec;
    json_array_foreach(items, i, rec) redacted(a, rec);
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
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

/* ---- restrictions ------------------------------------------------------------ */

void app_restriction_list(app_t *app, const app_actor_t *a, const char *review_overdue,
                          app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    if (review_overdue && strcmp(review_overdue, "true") != 0 &&
        strcmp(review_overdue, "false") != 0) {
        r->code = APP_BAD_REQUEST;
        r->errors = json_array();
        awda_error_add(r->errors, "review_overdue", "review_overdue must be true or false");
        snprintf(r->detail, sizeof r->detail, "check the parameters");
        return;
    }
    char today[11];
    today_iso(today);
    int overdue = review_overdue && strcmp(review_overdue, "true") == 0;
    json_t *items = store_restriction_list(c, overdue ? today : NULL);
    if (!items) {
        app_fail(r, APP_ERROR, "the restrictions could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

void app_restriction_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    r->body = id && awda_uuid_valid(id, strlen(id)) ? store_restriction_get(c, id, 1) : NULL;
    if (!r->body) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    r->code = APP_OK;
    r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
}

typedef struct {
    const app_actor_t *a;
    const json_t *body;
    const char *id;
    const app_if_match_t *m;
    const char *action;
} restriction_ctx_t;

static int restriction_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    restriction_ctx_t *x = p;
    char id[37];
    int rc = store_restriction_insert(c, x->body, x->a->p.pk, id);
    if (rc != STORE_OK)
        return rc;
    r->body = store_restriction_get(c, id, 1);
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    r->version = 1;
    snprintf(r->location, sizeof r->location, "/api/v1/restrictions/%s", id);
    return STORE_OK;
}

static int validate_restriction(const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the restriction must be a JSON object");
    else
        awda_validate(&AWDA_RESTRICTION, body, "", errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The restriction is not valid");
        return 0;
    }
    json_decref(errors);
    return 1;
}

void app_restriction_create(app_t *app, const app_actor_t *a, const json_t *body,
                            const char *idem_key, const char *request_hash, app_result_t *r)
{
    if (!validate_restriction(body, r))
        return;
    restriction_ctx_t x = {a, body, NULL, NULL, NULL};
    app_run_idempotent(app, a, idem_key, request_hash, restriction_create_job, &x, r);
}

static int restriction_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    restriction_ctx_t *x = p;
    json_t *cur = store_restriction_get(c, x->id, 0);
    if (!cur) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return STORE_ABORT;
    }
    json_t *merged = json_copy(cur);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)x->body, k, v)
    {
        if (json_is_null(v))
            json_object_del(merged, k);
        else
            json_object_set(merged, k, v);
    }
    for (size_t i = 0; i < AWDA_RESTRICTION.nfields; i++)
        if (AWDA_RESTRICTION.fields[i].flags & F_SERVER)
            json_object_del(merged, AWDA_RESTRICTION.fields[i].name);
    int rc = STORE_ABORT;
    long long version = (long long)json_integer_value(json_object_get(cur, "version"));
    if (!app_if_match_ok(x->m, version)) {
        app_fail(r, APP_STALE,
                 "the restriction was changed by someone else (it is now at version %lld); "
                 "reload it",
                 version);
        goto out;
    }
    if (!validate_restriction(merged, r))
        goto out;
    rc = store_restriction_update(c, x->id, version, merged, x->a->p.pk, x->action);
    if (rc == STORE_STALE) {
        app_fail(r, APP_STALE,
                 "the restriction was changed by someone else (it is now at version %lld); "
                 "reload it",
                 (long long)json_integer_value(json_object_get(cur, "version")));
        rc = STORE_ABORT;
        goto out;
    }
    if (rc == STORE_OK) {
        r->body = store_restriction_get(c, x->id, 1);
        r->code = r->body ? APP_OK : APP_ERROR;
        r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
    }
out:
    json_decref(cur);
    json_decref(merged);
    return rc;
}

void app_restriction_update(app_t *app, const app_actor_t *a, const char *id, long long if_match,
                            const json_t *body, const char *action, app_result_t *r)
{
    app_if_match_t m = {if_match >= 0, 0, 1, {if_match}};
    app_restriction_update_if(app, a, id, &m, body, action, r);
}

void app_restriction_update_if(app_t *app, const app_actor_t *a, const char *id,
                               const app_if_match_t *m, const json_t *body, const char *action,
                               app_result_t *r)
{
    if (!id || !awda_uuid_valid(id, strlen(id))) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    if (!m->present) {
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "send the version you edited in an If-Match header (the ETag of the "
                 "restriction)");
        return;
    }
    if (!json_is_object(body)) {
        json_t *e = json_array();
        awda_error_add(e, "", "the change must be a JSON object");
        app_invalid(r, e, "The restriction is not valid");
        return;
    }
    restriction_ctx_t x = {a, body, id, m, action};
    app_run(app, restriction_update_job, &x, r);
}

void app_restriction_affected(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    char today[11];
    today_iso(today);
    long long total = 0;
    json_t *items =
        id && awda_uuid_valid(id, strlen(id))
            ? store_restriction_affected(
                  c, id, today, a->p.offices, app_all_offices(a) ? -1 : a->p.noffices,
                  app_all_offices(a) ? NULL : app_scope_projects(a), AFFECTED_LIMIT, &total)
            : NULL;
    if (!items) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    r->body = json_pack("{s:s,s:I,s:b,s:o}", "restriction_id", id, "count", (json_int_t)total,
                        "truncated", total > (long long)json_array_size(items), "items", items);
    r->code = APP_OK;
}
