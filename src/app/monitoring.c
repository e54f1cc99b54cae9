/*
 * monitoring.c — monitoring visits of a case after return (followup.h),
 * and the small checks the files of follow-up share.
 *
 * A visit says when (a date, not in the future), how (in person or by
 * phone), who visited, what they found, and the state of each plan item
 * they saw: on_track, delayed, at_risk, stopped or completed, with a
 * note. An item must belong to a plan the case is a member of (checked in
 * the writer job with SQL of store/followup.c over the plans' tables); an
 * item named twice in one visit is refused. The visit does not change the
 * item itself (its status is the plans' to move): it records what was
 * seen. Each visit is an event on the case's timeline.
 *
 * The findings are psychosocial detail, sealed at rest by the store
 * (store/followup.c), like a survey response's raw answers: both are
 * read in clear only by the roles that see medical or protection detail,
 * by those that record follow-up (followup.manage) and by the record's
 * author — whoever records something reads it back, as for the needs
 * assessment (app/needs.c); everyone else who reads follow-up gets
 * "[sealed]" in their place (app_followup_sees_detail, shared with
 * survey.c and the person's dossier).
 */
#include "followup.h"
#include "internal.h"
#include "../core/field.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

static const char *const MODES[] = {"in_person", "phone", NULL};
static const char *const ITEM_STATES[] = {"on_track", "delayed",   "at_risk",
                                          "stopped",  "completed", NULL};

static int one_of(const char *v, const char *const *list)
{
    for (int i = 0; v && list[i]; i++)
        if (strcmp(v, list[i]) == 0)
            return 1;
    return 0;
}

/* ---- shared ------------------------------------------------------------------- */

int app_followup_sees_detail(const app_actor_t *a, const char *author)
{
    if (a->system || (app_visible_sensitivity(a) & (1u << SENS_MEDICAL | 1u << SENS_PROTECTION)) ||
        app_allowed(a, PERM_FOLLOWUP_MANAGE))
        return 1;
    return author && a->p.username[0] && strcmp(author, a->p.username) == 0;
}

/* Puts "[sealed]" in place of field of o (a value that is not null) when
 * the actor may not read it; returns o. */
static json_t *seal_field(const app_actor_t *a, json_t *o, const char *field)
{
    if (o && !json_is_null(json_object_get(o, field)) &&
        !app_followup_sees_detail(a, json_string_value(json_object_get(o, "created_by"))))
        json_object_set_new(o, field, json_string("[sealed]"));
    return o;
}

json_t *app_visit_redact(const app_actor_t *a, json_t *v)
{
    return seal_field(a, v, "findings");
}

json_t *app_survey_response_redact(const app_actor_t *a, json_t *resp)
{
    return seal_field(a, resp, "answers");
}

int followup_date(const char *s, const char *field, json_t *errors)
{
    awda_date_t d;
    if (!s || strlen(s) != 10 || awda_date_parse(s, 10, &d) != 3) {
        awda_error_add_code(errors, field, "date-invalid",
                            "write the date as YYYY-MM-DD (a day that exists)");
        return 0;
    }
    awda_date_t t = awda_today();
    if (awda_days_from_civil(d.year, d.month, d.day) >
        awda_days_from_civil(t.year, t.month, t.day)) {
        awda_error_add(errors, field, "the date cannot be in the future");
        return 0;
    }
    return 1;
}

const char *followup_text(const json_t *o, const char *key, int required, size_t max,
                          json_t *errors)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            awda_error_add(errors, key, "this field is required");
        return NULL;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > max) {
        awda_error_add(errors, key, "must be text of 1 to %zu bytes", max);
        return NULL;
    }
    return json_string_value(v);
}

/* ---- visits --------------------------------------------------------------------- */

/* Checks item_states (shape, states, notes, no item twice); the items'
 * membership is checked in the job. */
static void check_items(const json_t *items, json_t *errors)
{
    if (!items || json_is_null(items))
        return;
    if (!json_is_array(items) || json_array_size(items) > AWDA_VISIT_MAX_ITEMS) {
        awda_error_add(errors, "item_states",
                       "a list of at most %d plan items: {item, status, note}",
                       AWDA_VISIT_MAX_ITEMS);
        return;
    }
    size_t i, j;
    const json_t *e;
    json_array_foreach(items, i, e)
    {
        char field[64];
        if (!json_is_object(e)) {
            snprintf(field, sizeof field, "item_states[%zu]", i);
            awda_error_add(errors, field, "each entry is {item, status, note}");
            continue;
        }
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)e, k, v)
        {
            if (strcmp(k, "item") && strcmp(k, "status") && strcmp(k, "note")) {
                snprintf(field, sizeof field, "item_states[%zu].%.20s", i, k);
                awda_error_add(errors, field, "this field is not known");
            }
        }
        const char *item = json_string_value(json_object_get(e, "item"));
        snprintf(field, sizeof field, "item_states[%zu].item", i);
        if (!item || strlen(item) != 36)
            awda_error_add(errors, field, "the id of a plan item of this case");
        for (j = 0; item && j < i; j++)
            if (json_equal(json_object_get(json_array_get(items, j), "item"),
                           json_object_get(e, "item")))
                awda_error_add(errors, field, "this plan item is named twice in the visit");
        snprintf(field, sizeof field, "item_states[%zu].status", i);
        if (!one_of(json_string_value(json_object_get(e, "status")), ITEM_STATES))
            awda_error_add(errors, field,
                           "the state seen is one of: on_track, delayed, at_risk, stopped, "
                           "completed");
        const json_t *note = json_object_get(e, "note");
        snprintf(field, sizeof field, "item_states[%zu].note", i);
        if (note && !json_is_null(note) &&
            (!json_is_string(note) || json_string_length(note) > AWDA_FOLLOWUP_MAX_FINDINGS))
            awda_error_add(errors, field, "must be text of at most %d bytes",
                           AWDA_FOLLOWUP_MAX_FINDINGS);
    }
}

typedef struct {
    const app_actor_t *a;
    const char *case_id;
    const json_t *body;
} visit_ctx_t;

static int visit_job(store_conn_t *c, void *p, app_result_t *r)
{
    visit_ctx_t *x = p;
    int64_t case_pk, office_pk, version;
    if (!app_find_case(c, x->a, x->case_id, &case_pk, &office_pk, &version, r))
        return STORE_ABORT;
    const json_t *items = json_object_get(x->body, "item_states");
    json_t *errors = json_array();
    size_t i;
    const json_t *e;
    json_array_foreach(items, i, e)
    {
        int64_t ipk =
            store_followup_case_item(c, case_pk, json_string_value(json_object_get(e, "item")));
        if (ipk < 0) {
            json_decref(errors);
            return STORE_ERR;
        }
        if (ipk == 0) {
            char field[64];
            snprintf(field, sizeof field, "item_states[%zu].item", i);
            awda_error_add(errors, field, "this is not an item of a plan of this case");
        }
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The monitoring visit is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    const json_t *b = x->body;
    char id[37];
    int64_t pk = 0;
    int rc = store_visit_insert(c, case_pk, json_string_value(json_object_get(b, "visited_on")),
                                json_string_value(json_object_get(b, "mode")),
                                json_string_value(json_object_get(b, "visitor")),
                                json_string_value(json_object_get(b, "findings")),
                                json_is_array(items) ? items : NULL, x->a->p.pk, id, &pk);
    if (rc == STORE_OK) {
        json_t *ev =
            json_pack("{s:s,s:O,s:O}", "visit_id", id, "visited_on",
                      json_object_get(b, "visited_on"), "mode", json_object_get(b, "mode"));
        rc = store_event_append(c, case_pk, x->a->p.pk, "monitoring_visit", ev);
        json_decref(ev);
    }
    if (rc == STORE_OK && !(r->body = app_visit_redact(x->a, store_visit_get(c, pk))))
        rc = STORE_ERR;
    if (rc != STORE_OK)
        return rc;
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%s/monitoring-visits", x->case_id);
    r->code = APP_CREATED;
    return STORE_OK;
}

void app_visit_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        static const char *const KNOWN[] = {"visited_on", "mode",        "visitor",
                                            "findings",   "item_states", NULL};
        if (!one_of(k, KNOWN))
            awda_error_add(errors, k, "this field is not known");
    }
    const char *on = followup_text(body, "visited_on", 1, 10, errors);
    if (on)
        followup_date(on, "visited_on", errors);
    const char *mode = followup_text(body, "mode", 1, 16, errors);
    if (mode && !one_of(mode, MODES))
        awda_error_add(errors, "mode", "the visit is in_person or by phone");
    followup_text(body, "visitor", 1, AWDA_FOLLOWUP_MAX_TEXT, errors);
    followup_text(body, "findings", 0, AWDA_FOLLOWUP_MAX_FINDINGS, errors);
    check_items(json_object_get(body, "item_states"), errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The monitoring visit is not valid");
        return;
    }
    json_decref(errors);
    visit_ctx_t x = {a, case_id, body};
    app_run_idempotent(app, a, idem_key, request_hash, visit_job, &x, r);
}

void app_visit_list(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office_pk, version;
    if (!c || !app_find_case(c, a, case_id, &pk, &office_pk, &version, r))
        return;
    json_t *items = store_visit_list(c, pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the monitoring visits could not be read");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(items, i, v) app_visit_redact(a, v);
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}
