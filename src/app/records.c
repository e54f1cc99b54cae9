/*
 * records.c — the use cases of the journey's records: recording one
 * (counselling, consent, health assessment, referral…), listing them, and
 * the redaction of their sealed detail.
 *
 * A record is append-only and written as one job on the store's writer,
 * with the checks that need the database (a member of the case, a known
 * partner, a standing consent to withdraw, the configured procedure types)
 * inside the transaction, and the `recorded` event on the timeline. What a
 * record kind holds is its field table in core/records.c; who records it is
 * RECORDERS in authz.c. A record's sealed fields (medical, protection) are
 * redacted for roles that may not see them, by the one mechanism of
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
    store_case_row_t row;
    json_t *caze = app_read_case(c, x->a, x->case_id, &row, r);
    if (!caze)
        return STORE_ABORT;
    int64_t pk = row.pk;
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
