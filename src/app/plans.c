/*
 * plans.c — reintegration plans: creating one (individual, collective,
 * community), reading it, approving it and closing it; the plans overdue;
 * the plan item types. Items are plan_items.c, needs assessments needs.c,
 * what the files of the plans room share plan_shared.c.
 *
 * Every change is ONE writer job that decides inside its transaction. A
 * plan belongs to the office that works its cases (the receiving office
 * once a case was handed over): its members' cases must all be worked by
 * one office, the actor's. Approval (plan.approve) moves every planned
 * item to approved and commits its budget on the item's budget line
 * through the ledger (app/money.h, app_ledger_commit: refused with the
 * numbers when the line has not enough left — then nothing is approved),
 * and the member cases at `arrived` take `start_reintegration` through the
 * journey (app_case_step). Closing cancels the items not delivered and
 * releases what they committed — a reason is needed when any was approved
 * or in progress — and the member cases with no other open plan take
 * `close` with the closure reason.
 */
#include "plans.h"
#include "internal.h"
#include "money.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../core/movement_care.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

static const char *const KINDS[] = {"individual", "collective", "community", NULL};
static const char *const SEXES[] = {"female", "male", NULL};

/* ---- create ------------------------------------------------------------------------ */

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const json_t *body;
} plan_ctx_t;

/* Shape of a plan body, before the database is asked. */
static void plan_shape(const json_t *b, json_t *errors)
{
    static const char *const KNOWN[] = {"kind",       "title", "members",       "country",
                                        "admin_area", "pcode", "beneficiaries", NULL};
    plan_unknown_fields(b, KNOWN, "", errors);
    const char *kind = json_string_value(json_object_get(b, "kind"));
    if (!kind || awda_value_index(KINDS, kind) < 0) {
        awda_error_add(errors, "kind",
                       "the kind of plan must be one of: individual, collective, "
                       "community");
        kind = NULL;
    }
    plan_check_text(b, "title", "title", AWDA_MAX_NAME, 1, errors);
    const json_t *members = json_object_get(b, "members");
    size_t nm = json_array_size(members);
    if (members && !json_is_array(members))
        awda_error_add(errors, "members", "the members must be a list of returnees");
    else if (nm > AWDA_PLAN_MAX_MEMBERS)
        awda_error_add(errors, "members", "a plan names at most %d returnees",
                       AWDA_PLAN_MAX_MEMBERS);
    else if (kind && strcmp(kind, "individual") == 0 && nm != 1)
        awda_error_add(errors, "members", "an individual plan names exactly one returnee");
    else if (kind && strcmp(kind, "collective") == 0 && nm < 2)
        awda_error_add(errors, "members",
                       "a collective plan names at least two returnees who share the project");
    long long shares = 0;
    int shares_ok = 1;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        char path[64];
        if (!json_is_object(m)) {
            snprintf(path, sizeof path, "members[%zu]", i);
            awda_error_add(errors, path, "each member is {case_id, person_id, share_bp}");
            shares_ok = 0;
            continue;
        }
        static const char *const MKNOWN[] = {"case_id", "person_id", "share_bp", NULL};
        snprintf(path, sizeof path, "members[%zu].", i);
        plan_unknown_fields(m, MKNOWN, path, errors);
        snprintf(path, sizeof path, "members[%zu].case_id", i);
        if (!json_is_string(json_object_get(m, "case_id")))
            awda_error_add(errors, path, "the case of the returnee is required");
        snprintf(path, sizeof path, "members[%zu].person_id", i);
        plan_check_text(m, "person_id", path, 36, 0, errors);
        const json_t *sh = json_object_get(m, "share_bp");
        snprintf(path, sizeof path, "members[%zu].share_bp", i);
        if (kind && strcmp(kind, "collective") == 0) {
            if (!json_is_integer(sh) || json_integer_value(sh) < 1 ||
                json_integer_value(sh) > 10000) {
                awda_error_add(errors, path,
                               "each returnee's share is a whole number of basis points from 1 "
                               "to 10000 (10000 = the whole project)");
                shares_ok = 0;
            } else {
                shares += json_integer_value(sh);
            }
        } else if (sh && !json_is_null(sh) &&
                   (!json_is_integer(sh) || json_integer_value(sh) != 10000)) {
            awda_error_add(errors, path, "only a collective plan divides the project into shares");
        }
    }
    if (kind && strcmp(kind, "collective") == 0 && shares_ok && nm >= 2 && shares != 10000)
        awda_error_add(errors, "members",
                       "the shares of the returnees must add up to 10000 basis points (the "
                       "whole project); they add up to %lld",
                       shares);
    const char *country = json_string_value(json_object_get(b, "country"));
    const json_t *benef = json_object_get(b, "beneficiaries");
    int community = kind && strcmp(kind, "community") == 0;
    if (community && (!country || !awda_country_valid(country, strlen(country))))
        awda_error_add(errors, "country",
                       "a community plan names its place: the country as ISO 3166 alpha-3 "
                       "(MLI)");
    else if (!community && json_object_get(b, "country") &&
             !json_is_null(json_object_get(b, "country")))
        awda_error_add(errors, "country", "only a community plan names a place");
    plan_check_text(b, "admin_area", "admin_area", AWDA_MAX_SHORT, 0, errors);
    plan_check_text(b, "pcode", "pcode", AWDA_MAX_PCODE, 0, errors);
    if (!community && benef && !json_is_null(benef)) {
        awda_error_add(errors, "beneficiaries",
                       "only a community plan counts beneficiaries beyond the returnees");
        return;
    }
    if (!community)
        return;
    if (!json_is_array(benef) || json_array_size(benef) == 0) {
        awda_error_add(errors, "beneficiaries",
                       "a community plan counts its beneficiaries by sex and age group");
        return;
    }
    long long total = 0;
    json_t *bn;
    json_array_foreach(benef, i, bn)
    {
        char path[64];
        const char *sex = json_string_value(json_object_get(bn, "sex"));
        const char *age = json_string_value(json_object_get(bn, "age_group"));
        const json_t *n = json_object_get(bn, "count");
        snprintf(path, sizeof path, "beneficiaries[%zu].sex", i);
        if (!sex || awda_value_index(SEXES, sex) < 0)
            awda_error_add(errors, path, "the sex must be female or male");
        snprintf(path, sizeof path, "beneficiaries[%zu].age_group", i);
        if (!age || awda_value_index(AWDA_AGE_GROUPS, age) < 0)
            awda_error_add(errors, path,
                           "the age group must be one of: 0-4, 5-11, 12-17, 18-59, "
                           "60+");
        snprintf(path, sizeof path, "beneficiaries[%zu].count", i);
        if (!json_is_integer(n) || json_integer_value(n) < 0 || json_integer_value(n) > 10000000)
            awda_error_add(errors, path, "the count must be a whole number from 0 to 10000000");
        else
            total += json_integer_value(n);
        for (size_t k = 0; k < i && sex && age; k++) {
            const json_t *o = json_array_get(benef, k);
            const char *s2 = json_string_value(json_object_get(o, "sex"));
            const char *a2 = json_string_value(json_object_get(o, "age_group"));
            if (s2 && a2 && strcmp(s2, sex) == 0 && strcmp(a2, age) == 0) {
                snprintf(path, sizeof path, "beneficiaries[%zu]", i);
                awda_error_add(errors, path, "%s %s is counted twice", sex, age);
                break;
            }
        }
    }
    if (!awda_has_error(errors, "beneficiaries") && total == 0)
        awda_error_add(errors, "beneficiaries", "a community plan has at least one beneficiary");
}

/* Stages at which a returnee's case can be part of a plan: after arrival
 * (stages.def). */
static int plan_stage(const char *stage)
{
    return awda_stage_is(stage, AWDA_SP_AFTER_ARRIVAL);
}

/* The person of a case member: person_id when given (a member of the
 * case), else the principal; its key, or 0 after an error at path. */
static int64_t member_person(store_conn_t *c, const json_t *caze, const char *person_id,
                             const char *path, json_t *errors, char id_out[37])
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        const char *rel = json_string_value(json_object_get(m, "relationship"));
        if (pid && ((person_id && strcmp(pid, person_id) == 0) ||
                    (!person_id && rel && strcmp(rel, "principal") == 0))) {
            snprintf(id_out, 37, "%s", pid);
            return store_person_pk(c, pid);
        }
    }
    awda_error_add(errors, path, "this person is not a member of the case");
    return 0;
}

static int create_job(store_conn_t *c, void *p, app_result_t *r)
{
    plan_ctx_t *x = p;
    const json_t *members = json_object_get(x->body, "members");
    size_t n = json_array_size(members);
    json_t *errors = json_array();
    int64_t office = 0;
    int64_t case_pks[AWDA_PLAN_MAX_MEMBERS], person_pks[AWDA_PLAN_MAX_MEMBERS];
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        char path[64];
        int64_t pk = 0, opk, ver;
        snprintf(path, sizeof path, "members[%zu].case_id", i);
        app_result_t tmp = {0};
        const char *cid = json_string_value(json_object_get(m, "case_id"));
        case_pks[i] = person_pks[i] = 0;
        if (!app_find_case(c, x->a, cid, &pk, &opk, &ver, &tmp)) {
            app_result_free(&tmp);
            awda_error_add(errors, path, "there is no case with this id");
            continue;
        }
        json_t *caze = store_case_get(c, pk);
        const char *stage = json_string_value(json_object_get(caze, "stage"));
        if (!plan_stage(stage))
            awda_error_add(errors, path,
                           "the case is %s; a reintegration plan is made after arrival",
                           stage ? stage : "?");
        int64_t work = plan_working_office(c, pk, opk);
        if (!office)
            office = work;
        else if (work != office)
            awda_error_add(errors, path,
                           "the returnees of one plan are worked by one office; this case is "
                           "worked by another");
        char ppath[64], pid[37];
        snprintf(ppath, sizeof ppath, "members[%zu].person_id", i);
        int64_t ppk = member_person(c, caze, json_string_value(json_object_get(m, "person_id")),
                                    ppath, errors, pid);
        for (size_t k = 0; ppk && k < i; k++)
            if (person_pks[k] == ppk)
                awda_error_add(errors, ppath, "this person is already a member of the plan");
        case_pks[i] = pk;
        person_pks[i] = ppk;
        json_decref(caze);
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The plan is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (!office) {
        /* A community plan without returnees belongs to the actor's
         * office (the first they work in). */
        office = x->a->p.noffices > 0 ? x->a->p.offices[0] : 0;
        if (!office) {
            json_t *e = json_array();
            awda_error_add(e, "members", "a plan of an office names at least one returnee");
            app_invalid(r, e, "The plan is not valid");
            return STORE_ABORT;
        }
    }
    if (!app_in_office(x->a, office)) {
        app_fail(r, APP_FORBIDDEN,
                 "only the office that works the case (the receiving office after the hand-over) "
                 "can make its reintegration plan");
        return STORE_ABORT;
    }
    char id[37];
    int64_t pk;
    int rc = store_plan_insert(c, x->body, office, x->a->p.pk, id, &pk);
    const char *kind = json_string_value(json_object_get(x->body, "kind"));
    for (i = 0; rc == STORE_OK && i < n; i++) {
        const json_t *sh = json_object_get(json_array_get(members, i), "share_bp");
        rc =
            store_plan_member_add(c, pk, case_pks[i], person_pks[i],
                                  strcmp(kind, "collective") == 0 ? json_integer_value(sh) : 10000);
    }
    json_t *bn;
    json_array_foreach(json_object_get(x->body, "beneficiaries"), i, bn)
    {
        if (rc != STORE_OK || json_integer_value(json_object_get(bn, "count")) == 0)
            continue;
        rc = store_plan_beneficiary_add(c, pk, json_string_value(json_object_get(bn, "sex")),
                                        json_string_value(json_object_get(bn, "age_group")),
                                        json_integer_value(json_object_get(bn, "count")));
    }
    for (i = 0; rc == STORE_OK && i < n; i++) {
        json_t *ev = json_pack("{s:s,s:s}", "plan_id", id, "kind", kind);
        rc = store_event_append(c, case_pks[i], x->a->p.pk, "plan_created", ev);
        json_decref(ev);
    }
    return rc == STORE_OK ? plan_answer(c, pk, APP_CREATED, r) : rc;
}

void app_plan_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    plan_shape(body, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The plan is not valid");
        return;
    }
    json_decref(errors);
    plan_ctx_t x = {app, a, body};
    app_run_idempotent(app, a, idem_key, request_hash, create_job, &x, r);
}

/* ---- read ------------------------------------------------------------------------ */

void app_plan_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    store_plan_row_t row;
    if (!c || !plan_find(c, a, id, &row, r))
        return;
    if (plan_answer(c, row.pk, APP_OK, r) != STORE_OK)
        app_fail(r, APP_ERROR, "the plan could not be read");
}

void app_plans_of_case(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, opk, ver;
    if (!c || !app_find_case(c, a, case_id, &pk, &opk, &ver, r))
        return;
    json_t *items = store_plans_of_case(c, pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the plans could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

/* ---- approve ---------------------------------------------------------------------- */

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *id;
    const app_if_match_t *m;
    const json_t *body;
} change_ctx_t;

static int plan_if_match(const app_if_match_t *m, const store_plan_row_t *row, app_result_t *r)
{
    if (!m || !m->present) {
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "say which version of the plan this change is based on (If-Match)");
        return 0;
    }
    if (!app_if_match_ok(m, row->version)) {
        app_fail(r, APP_STALE, "the plan was changed by someone else; reload it and try again");
        return 0;
    }
    return 1;
}

static int approve_job(store_conn_t *c, void *p, app_result_t *r)
{
    change_ctx_t *x = p;
    store_plan_row_t row;
    if (!plan_find(c, x->a, x->id, &row, r) || !plan_at_office(x->a, &row, r) ||
        !plan_if_match(x->m, &row, r))
        return STORE_ABORT;
    if (strcmp(row.status, "draft") != 0) {
        app_fail(r, APP_CONFLICT, "the plan is %s; only a draft plan is approved", row.status);
        return STORE_ABORT;
    }
    store_plan_item_row_t *items;
    size_t n;
    if (store_plan_item_rows(c, row.pk, &items, &n) != STORE_OK)
        return STORE_ERR;
    json_t *errors = json_array();
    size_t planned = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].status, "planned") != 0)
            continue;
        planned++;
        if (items[i].budget_minor > 0 && !items[i].budget_line_pk) {
            char path[48];
            snprintf(path, sizeof path, "items[%zu].budget_line", i);
            awda_error_add(errors, path,
                           "an item with a budget is charged to a budget line before the plan is "
                           "approved");
        }
    }
    if (!planned)
        awda_error_add(errors, "items", "a plan is approved with at least one item");
    if (json_array_size(errors)) {
        free(items);
        app_invalid(r, errors, "The plan cannot be approved");
        return STORE_ABORT;
    }
    json_decref(errors);
    json_t *members = store_plan_members(c, row.pk);
    int single = json_array_size(members) == 1;
    app_ledger_ref_t ref;
    memset(&ref, 0, sizeof ref);
    if (single) {
        ref.case_pk = json_integer_value(json_object_get(json_array_get(members, 0), "case_pk"));
        ref.person_pk =
            json_integer_value(json_object_get(json_array_get(members, 0), "person_pk"));
    }
    json_decref(members);
    int rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        store_plan_item_row_t it = items[i];
        if (strcmp(it.status, "planned") != 0)
            continue;
        if (it.budget_minor > 0) {
            ref.plan_item_pk = it.pk;
            rc = app_ledger_commit(c, x->a, it.budget_line_pk, it.budget_minor, it.currency, 0, 0,
                                   &ref, r);
            if (rc != STORE_OK)
                break;
        }
        snprintf(it.status, sizeof it.status, "approved");
        rc = store_plan_item_update(c, &it, it.version, NULL, NULL);
    }
    free(items);
    if (rc == STORE_OK)
        rc = store_plan_set_status(c, row.pk, row.version, "approved", x->a->p.pk);
    if (rc == STORE_OK)
        rc = plan_cases_step(x->app, c, x->a, row.pk, "arrived", "start_reintegration", NULL, r);
    return rc == STORE_OK ? plan_answer(c, row.pk, APP_OK, r) : rc;
}

void app_plan_approve(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                      const json_t *body, app_result_t *r)
{
    if (body && json_object_size(body)) {
        json_t *errors = json_array();
        plan_unknown_fields(body, (const char *const[]){NULL}, "", errors);
        app_invalid(r, errors, "The approval is not valid");
        return;
    }
    change_ctx_t x = {app, a, id, m, body};
    app_run(app, approve_job, &x, r);
}

/* ---- close ------------------------------------------------------------------------- */

static int close_job(store_conn_t *c, void *p, app_result_t *r)
{
    change_ctx_t *x = p;
    store_plan_row_t row;
    if (!plan_find(c, x->a, x->id, &row, r) || !plan_at_office(x->a, &row, r) ||
        !plan_if_match(x->m, &row, r))
        return STORE_ABORT;
    if (strcmp(row.status, "approved") != 0 && strcmp(row.status, "draft") != 0) {
        app_fail(r, APP_CONFLICT, "the plan is %s already", row.status);
        return STORE_ABORT;
    }
    const char *closure = json_string_value(json_object_get(x->body, "closure_reason"));
    const char *reason = json_string_value(json_object_get(x->body, "reason"));
    store_plan_item_row_t *items;
    size_t n;
    if (store_plan_item_rows(c, row.pk, &items, &n) != STORE_OK)
        return STORE_ERR;
    size_t open = 0;
    for (size_t i = 0; i < n; i++)
        open +=
            strcmp(items[i].status, "approved") == 0 || strcmp(items[i].status, "in_progress") == 0;
    if (open && (!reason || !*reason)) {
        free(items);
        json_t *e = json_array();
        awda_error_add_code(e, "reason", "plan.items_in_progress",
                            "items of the plan still in progress: %zu; say why the plan closes "
                            "before they are delivered",
                            open);
        app_invalid(r, e, "The plan cannot be closed");
        return STORE_ABORT;
    }
    int rc = STORE_OK;
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
        store_plan_item_row_t it = items[i];
        if (strcmp(it.status, "delivered") == 0 || strcmp(it.status, "cancelled") == 0)
            continue;
        int committed = strcmp(it.status, "planned") != 0;
        snprintf(it.status, sizeof it.status, "cancelled");
        rc = store_plan_item_update(c, &it, it.version, NULL, NULL);
        if (rc == STORE_OK && committed)
            rc = plan_item_release(c, x->a, it.pk, reason ? reason : "the plan was closed", r);
    }
    free(items);
    if (rc == STORE_OK)
        rc = store_plan_set_status(c, row.pk, row.version,
                                   strcmp(row.status, "draft") == 0 ? "cancelled" : "closed", 0);
    /* The cases whose last open plan this was end their journey. */
    json_t *members = rc == STORE_OK ? store_plan_members(c, row.pk) : NULL;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        if (rc != STORE_OK || !closure)
            break;
        json_t *others = store_plans_of_case(c, json_integer_value(json_object_get(m, "case_pk")));
        size_t k;
        json_t *o;
        int still = 0;
        json_array_foreach(others, k, o)
        {
            const char *st = json_string_value(json_object_get(o, "status"));
            still |= st && strcmp(st, "approved") == 0;
        }
        json_decref(others);
        char stage[32];
        plan_case_stage(c, json_string_value(json_object_get(m, "case_id")), stage, sizeof stage);
        if (!still && strcmp(stage, "closed") != 0)
            rc = app_case_step(x->app, c, x->a, json_string_value(json_object_get(m, "case_id")),
                               "close", closure, r);
    }
    json_decref(members);
    return rc == STORE_OK ? plan_answer(c, row.pk, APP_OK, r) : rc;
}

void app_plan_close(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                    const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    static const char *const KNOWN[] = {"closure_reason", "reason", NULL};
    plan_unknown_fields(body, KNOWN, "", errors);
    const char *closure = json_string_value(json_object_get(body, "closure_reason"));
    if (json_object_get(body, "closure_reason") &&
        (!closure || awda_value_index(AWDA_CLOSURE_REASONS, closure) < 0))
        awda_error_add(errors, "closure_reason",
                       "the closure reason must be one of: plan_completed, support_period_ended, "
                       "withdrew, left_the_area, lost_contact, re_migrated, deceased, ineligible, "
                       "other");
    plan_check_text(body, "reason", "reason", AWDA_MAX_REASON, 0, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The plan cannot be closed");
        return;
    }
    json_decref(errors);
    change_ctx_t x = {app, a, id, m, body};
    app_run(app, close_job, &x, r);
}

/* ---- overdue --------------------------------------------------------------------- */

/* The overdue cases of the actor's scope (caller owns). */
static json_t *overdue(store_conn_t *c, const app_actor_t *a)
{
    int64_t before = awda_now_ms() - (int64_t)AWDA_PLAN_DUE_DAYS * 86400000;
    json_t *all = store_plans_overdue(c, before, AWDA_PLAN_OVERDUE_MAX);
    if (!all)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(all, i, e)
    {
        /* The work of the office that works the case (the receiving
         * office once handed over), not of the office that sent it. */
        int64_t receiving = json_integer_value(json_object_get(e, "receiving_pk"));
        int64_t working =
            receiving ? receiving : json_integer_value(json_object_get(e, "office_pk"));
        if (!app_case_row_in_scope(a, working, 0, json_string_value(json_object_get(e, "project"))))
            continue;
        json_t *o =
            json_pack("{s:O,s:O,s:O,s:O}", "case_id", json_object_get(e, "case_id"), "number",
                      json_object_get(e, "number"), "arrived_at", json_object_get(e, "arrived_at"),
                      "draft_plans", json_object_get(e, "draft_plans"));
        json_array_append_new(out, o);
    }
    json_decref(all);
    return out;
}

void app_plans_overdue(app_t *app, const app_actor_t *a, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = overdue(c, a);
    if (!items) {
        app_fail(r, APP_ERROR, "the plans overdue could not be read");
        return;
    }
    r->body = json_pack("{s:o,s:i}", "items", items, "due_days", AWDA_PLAN_DUE_DAYS);
    r->code = APP_OK;
}
