/*
 * plan_shared.c — what the files of the plans room (plans.c,
 * plan_items.c, needs.c, partner_services.c) share, declared in the last
 * section of plans.h: the office that works a case, finding a plan the
 * actor may see and answering with it, the journey steps a plan's member
 * cases take (start_reintegration, start_monitoring, close), releasing
 * what an item committed on the ledger, the consent a referral needs, and
 * the helpers of validation.
 *
 * Those given a connection run inside the caller's writer job, in its
 * transaction (see plans.c: every change is ONE writer job that decides
 * inside its transaction).
 */
#include "plans.h"
#include "internal.h"
#include "money.h"
#include "../core/field.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

/* ---- shared by the plans room ------------------------------------------------ */

int64_t plan_working_office(store_conn_t *c, int64_t case_pk, int64_t office_pk)
{
    int64_t receiving = store_case_receiving_office(c, case_pk);
    return receiving ? receiving : office_pk;
}

int plan_find(store_conn_t *c, const app_actor_t *a, const char *id, store_plan_row_t *row,
              app_result_t *r)
{
    int rc = id ? store_plan_find(c, id, row) : STORE_NOTFOUND;
    int seen = rc == STORE_OK && app_in_office(a, row->office_pk);
    if (rc == STORE_OK && !seen) {
        json_t *members = store_plan_members(c, row->pk);
        size_t i;
        json_t *m;
        json_array_foreach(members, i, m)
        {
            int64_t cpk = json_integer_value(json_object_get(m, "case_pk")), opk, ver;
            if (!seen && store_case_find(c, json_string_value(json_object_get(m, "case_id")), &cpk,
                                         &opk, &ver) == STORE_OK)
                seen = app_case_in_scope(c, a, cpk, opk);
        }
        json_decref(members);
    }
    if (!seen) {
        if (rc == STORE_ERR)
            app_fail(r, APP_ERROR, "the plan could not be read");
        else
            app_fail(r, APP_NOT_FOUND, "there is no plan with this id");
        return 0;
    }
    return 1;
}

int plan_at_office(const app_actor_t *a, const store_plan_row_t *row, app_result_t *r)
{
    if (app_in_office(a, row->office_pk))
        return 1;
    app_fail(r, APP_FORBIDDEN,
             "only the office that works the cases of this plan (the receiving office after the "
             "hand-over) can change it");
    return 0;
}

int plan_answer(store_conn_t *c, int64_t pk, app_code_t code, app_result_t *r)
{
    json_t *p = store_plan_get(c, pk);
    if (!p)
        return STORE_ERR;
    json_decref(r->body);
    r->body = p;
    r->code = code;
    r->version = json_integer_value(json_object_get(p, "version"));
    if (code == APP_CREATED)
        snprintf(r->location, sizeof r->location, "/api/v1/plans/%s",
                 json_string_value(json_object_get(p, "id")));
    return STORE_OK;
}

/* The stage of case pk into out ("" when it cannot be read). */
void plan_case_stage(store_conn_t *c, const char *case_id, char *out, size_t cap)
{
    int64_t pk, opk, ver;
    out[0] = 0;
    if (store_case_find(c, case_id, &pk, &opk, &ver) != STORE_OK)
        return;
    json_t *caze = store_case_get(c, pk);
    snprintf(out, cap, "%s",
             json_string_value(json_object_get(caze, "stage"))
                 ? json_string_value(json_object_get(caze, "stage"))
                 : "");
    json_decref(caze);
}

int plan_cases_step(app_t *app, store_conn_t *c, const app_actor_t *a, int64_t plan_pk,
                    const char *from, const char *event, const char *reason, app_result_t *r)
{
    json_t *members = store_plan_members(c, plan_pk);
    if (!members)
        return STORE_ERR;
    int rc = STORE_OK;
    const char *done_ids[AWDA_PLAN_MAX_MEMBERS];
    size_t ndone = 0;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *cid = json_string_value(json_object_get(m, "case_id"));
        int seen = 0;
        for (size_t k = 0; k < ndone; k++)
            seen |= strcmp(done_ids[k], cid) == 0;
        if (seen || ndone >= AWDA_PLAN_MAX_MEMBERS)
            continue;
        done_ids[ndone++] = cid;
        char stage[32];
        plan_case_stage(c, cid, stage, sizeof stage);
        if (from && strcmp(stage, from) != 0)
            continue;
        rc = app_case_step(app, c, a, cid, event, reason, r);
        if (rc != STORE_OK)
            break;
    }
    json_decref(members);
    return rc;
}

int plan_cases_monitoring(app_t *app, store_conn_t *c, const app_actor_t *a, int64_t plan_pk,
                          app_result_t *r)
{
    json_t *members = store_plan_members(c, plan_pk);
    if (!members)
        return STORE_ERR;
    int rc = STORE_OK;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *cid = json_string_value(json_object_get(m, "case_id"));
        long long open = 0, waiting = 0, delivered = 0;
        char stage[32];
        plan_case_stage(c, cid, stage, sizeof stage);
        if (strcmp(stage, "reintegrating") != 0)
            continue;
        rc = store_case_item_counts(c, json_integer_value(json_object_get(m, "case_pk")), &open,
                                    &waiting, &delivered);
        if (rc != STORE_OK)
            break;
        if (waiting == 0 && delivered > 0) {
            rc = app_case_step(app, c, a, cid, "start_monitoring", NULL, r);
            if (rc != STORE_OK)
                break;
        }
    }
    json_decref(members);
    return rc;
}

int plan_item_release(store_conn_t *c, const app_actor_t *a, int64_t item_pk, const char *reason,
                      app_result_t *r)
{
    app_ledger_ref_t ref;
    memset(&ref, 0, sizeof ref);
    ref.plan_item_pk = item_pk;
    return app_ledger_release(c, a, &ref, reason, r);
}

int plan_referral_consent(store_conn_t *c, int64_t plan_pk, const char *partner_id, app_result_t *r)
{
    json_t *members = store_plan_members(c, plan_pk);
    if (!members) {
        app_fail(r, APP_ERROR, "the plan could not be read");
        return 0;
    }
    int ok = 1;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        int64_t ppk = json_integer_value(json_object_get(m, "person_pk"));
        /* The gate of app/records.c: the person's standing consent to
         * share their data with this partner. */
        int yes = store_sharing_consent(c, ppk, "data_sharing", partner_id);
        if (yes == 1)
            continue;
        json_t *person = store_person_get(c, ppk, 0);
        json_t *org = store_partner_get(c, partner_id);
        char who[160];
        awda_person_display(person, who, sizeof who);
        const char *name = json_string_value(json_object_get(org, "name"));
        app_fail(r, yes < 0 ? APP_ERROR : APP_NO_CONSENT,
                 "%s has not consented to share their data with %s (record a consent to share "
                 "with this partner first)",
                 who, name ? name : partner_id);
        json_decref(person);
        json_decref(org);
        ok = 0;
        break;
    }
    json_decref(members);
    return ok;
}

/* ---- helpers of validation ------------------------------------------------------ */

/* Text of at most max bytes at key (absent or null allowed unless
 * required); problems to errors under path. */
void plan_check_text(const json_t *o, const char *key, const char *path, size_t max, int required,
                     json_t *errors)
{
    const json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            awda_error_add(errors, path, "this field is required");
        return;
    }
    if (!json_is_string(v) || json_string_length(v) > max ||
        (required && json_string_length(v) == 0))
        awda_error_add(errors, path, "this must be text of at most %zu bytes", max);
}

void plan_unknown_fields(const json_t *o, const char *const *known, const char *prefix,
                         json_t *errors)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)o, k, v)
    {
        if (awda_value_index(known, k) < 0) {
            char path[96];
            snprintf(path, sizeof path, "%s%s", prefix, k);
            awda_error_add(errors, path, "this field is not known");
        }
    }
}
