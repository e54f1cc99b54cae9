/*
 * needs.c — the reception and needs assessment of a returnee after
 * arrival: skills, education, work history, family situation, housing,
 * health and psychosocial needs, their own project idea, and their
 * choice (own_project | proposed_option | referral), so that "the share
 * of returnees who chose their own project" can be reported.
 *
 * Health and psychosocial needs are medical detail: sealed at rest by
 * the store (store/plans.c) and shown only to the roles that see medical
 * detail (app_visible_sensitivity), to those that record assessments
 * (plan.manage) and to the assessment's author — whoever records
 * something reads it back, as for the journey's records; "[sealed]" for
 * everyone else. An assessment is recorded by the office that works the
 * case (the receiving office after the hand-over), from arrival on; each
 * is kept (a new one does not replace the old), with a `needs_assessed`
 * event on the timeline.
 */
#include "plans.h"
#include "internal.h"
#include "../core/field.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

static const char *const CHOICES[] = {"own_project", "proposed_option", "referral", NULL};
static const char *const TEXTS[] = {
    "skills",  "education",    "work_history",       "family_situation",
    "housing", "health_needs", "psychosocial_needs", "project_idea",
    NULL};
static const char *const SEALED[] = {"health_needs", "psychosocial_needs"};

/* 1 when the actor reads the sealed needs of an assessment by author. */
static int sees_needs(const app_actor_t *a, const char *author)
{
    if (a->system || (app_visible_sensitivity(a) & (1u << SENS_MEDICAL)) ||
        app_allowed(a, PERM_PLAN_MANAGE))
        return 1;
    return author && a->p.username[0] && strcmp(author, a->p.username) == 0;
}

json_t *app_needs_redact(const app_actor_t *a, json_t *n)
{
    if (sees_needs(a, json_string_value(json_object_get(n, "created_by"))))
        return n;
    for (size_t i = 0; i < sizeof SEALED / sizeof SEALED[0]; i++)
        if (!json_is_null(json_object_get(n, SEALED[i])))
            json_object_set_new(n, SEALED[i], json_string("[sealed]"));
    return n;
}

typedef struct {
    const app_actor_t *a;
    const char *case_id;
    const json_t *body;
} needs_ctx_t;

static int needs_job(store_conn_t *c, void *p, app_result_t *r)
{
    needs_ctx_t *x = p;
    int64_t pk, opk, ver;
    if (!app_find_case(c, x->a, x->case_id, &pk, &opk, &ver, r))
        return STORE_ABORT;
    if (!app_in_office(x->a, plan_working_office(c, pk, opk))) {
        app_fail(r, APP_FORBIDDEN,
                 "only the office that works the case (the receiving office after the hand-over) "
                 "records its needs assessment");
        return STORE_ABORT;
    }
    json_t *caze = store_case_get(c, pk);
    if (!caze)
        return STORE_ERR;
    const char *stage = json_string_value(json_object_get(caze, "stage"));
    int rc = STORE_ABORT;
    if (!awda_stage_is(stage, AWDA_SP_AFTER_ARRIVAL)) {
        app_fail(r, APP_CONFLICT, "the case is %s; the needs are assessed after arrival",
                 stage ? stage : "?");
        goto out;
    }
    const char *person_id = json_string_value(json_object_get(x->body, "person_id"));
    const char *found = NULL;
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        const char *rel = json_string_value(json_object_get(m, "relationship"));
        if (pid && ((person_id && strcmp(pid, person_id) == 0) ||
                    (!person_id && rel && strcmp(rel, "principal") == 0)))
            found = pid;
    }
    if (!found) {
        json_t *e = json_array();
        awda_error_add(e, "person_id", "this person is not a member of the case");
        app_invalid(r, e, "The needs assessment is not valid");
        goto out;
    }
    char id[37];
    rc = store_needs_insert(c, pk, store_person_pk(c, found), x->body, x->a->p.pk, id);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:s,s:s,s:O}", "assessment_id", id, "person_id", found, "choice",
                               json_object_get(x->body, "choice"));
        rc = store_event_append(c, pk, x->a->p.pk, "needs_assessed", ev);
        json_decref(ev);
    }
    if (rc == STORE_OK) {
        json_t *all = store_needs_list(c, pk);
        json_t *n;
        json_array_foreach(all, i, n)
        {
            if (strcmp(json_string_value(json_object_get(n, "id")), id) == 0)
                r->body = app_needs_redact(x->a, json_incref(n));
        }
        json_decref(all);
        r->code = r->body ? APP_CREATED : APP_ERROR;
        snprintf(r->location, sizeof r->location, "/api/v1/cases/%s/needs-assessments", x->case_id);
        rc = r->body ? STORE_OK : STORE_ERR;
    }
out:
    json_decref(caze);
    return rc;
}

void app_needs_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    static const char *const KNOWN[] = {"person_id",    "assessed_on",  "skills",
                                        "education",    "work_history", "family_situation",
                                        "housing",      "health_needs", "psychosocial_needs",
                                        "project_idea", "choice",       NULL};
    plan_unknown_fields(body, KNOWN, "", errors);
    plan_check_text(body, "person_id", "person_id", 36, 0, errors);
    for (int i = 0; TEXTS[i]; i++)
        plan_check_text(body, TEXTS[i], TEXTS[i], AWDA_PLAN_MAX_TEXT, 0, errors);
    const char *on = json_string_value(json_object_get(body, "assessed_on"));
    awda_date_t d;
    if (!on || awda_date_parse(on, strlen(on), &d) != 3)
        awda_error_add(errors, "assessed_on",
                       "the date of the assessment is required, as "
                       "YYYY-MM-DD");
    else {
        char today[11];
        awda_date_format(awda_today(), today);
        if (strcmp(on, today) > 0)
            awda_error_add(errors, "assessed_on",
                           "the assessment is dated %s, which is in the future; record it once "
                           "it has taken place",
                           on);
    }
    const char *choice = json_string_value(json_object_get(body, "choice"));
    if (!choice || awda_value_index(CHOICES, choice) < 0)
        awda_error_add(errors, "choice",
                       "the returnee's choice must be one of: own_project, proposed_option, "
                       "referral");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The needs assessment is not valid");
        return;
    }
    json_decref(errors);
    needs_ctx_t x = {a, case_id, body};
    app_run_idempotent(app, a, idem_key, request_hash, needs_job, &x, r);
}

void app_needs_list(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, opk, ver;
    if (!c || !app_find_case(c, a, case_id, &pk, &opk, &ver, r))
        return;
    json_t *items = store_needs_list(c, pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the needs assessments could not be read");
        return;
    }
    size_t i;
    json_t *n;
    json_array_foreach(items, i, n) app_needs_redact(a, n);
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}
