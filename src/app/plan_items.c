/*
 * plan_items.c — the items of a reintegration plan and the value table of
 * their types.
 *
 * An item is one assistance: a type of the value table plan_item_types
 * (its dimension: economic, social, psychosocial), a budget in minor
 * units with its ISO 4217 currency (that of its budget line), cash or in
 * kind, delivered directly or by referral to a partner. Its status:
 *
 *   planned → approved (the plan's approval, plans.c) → in_progress →
 *   delivered, or cancelled from any of the first three
 *
 * Budget, currency, budget line, modality, delivery and partner change
 * only while the item is planned. Delivering needs evidence. Cancelling
 * an approved or started item needs a reason and releases what it
 * committed (app_ledger_release). When every item of a case's approved
 * plans is delivered or cancelled, the case takes `start_monitoring`
 * (plan_cases_monitoring). A referral sends the returnees' data to the
 * partner: its status set to sent or accepted needs each member's consent
 * to share with that partner (plan_referral_consent, the gate of
 * app/records.c) — a community plan without returnees names nobody.
 * Every change is one writer job.
 */
#include "plans.h"
#include "internal.h"
#include "money.h"
#include "../core/field.h"
#include "../core/movement_care.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

static const char *const MODALITIES[] = {"cash", "in_kind", NULL};
static const char *const DELIVERIES[] = {"direct", "referral", NULL};
static const char *const REFERRAL_STATUSES[] = {"sent", "accepted", "completed", "declined", NULL};
static const char *const STATUSES[] = {"in_progress", "delivered", "cancelled", NULL};
static const char *const DIMENSIONS[] = {"economic", "social", "psychosocial", NULL};

/* The shape of the fields an item is created or changed with (patch:
 * only those present). */
static void item_shape(const json_t *b, int patch, json_t *errors)
{
    static const char *const KNOWN[] = {
        "type",    "description",     "budget_minor", "currency", "modality", "delivery",
        "partner", "referral_status", "budget_line",  "evidence", "status",   "reason",
        NULL};
    plan_unknown_fields(b, KNOWN, "", errors);
    if (!patch && json_object_get(b, "status"))
        awda_error_add(errors, "status", "a new item is planned; its status changes later");
    if (!patch && json_object_get(b, "reason"))
        awda_error_add(errors, "reason", "this field is not known");
    const json_t *v;
    if (patch && json_object_get(b, "type"))
        awda_error_add(errors, "type",
                       "the type of an item does not change; cancel it and add "
                       "another");
    if (!patch && !json_is_string(json_object_get(b, "type")))
        awda_error_add(errors, "type", "the type of assistance is required");
    plan_check_text(b, "description", "description", AWDA_PLAN_MAX_TEXT, 0, errors);
    plan_check_text(b, "evidence", "evidence", AWDA_PLAN_MAX_TEXT, 0, errors);
    plan_check_text(b, "reason", "reason", AWDA_MAX_REASON, 0, errors);
    if ((v = json_object_get(b, "budget_minor")) || !patch)
        if (!json_is_integer(v) || json_integer_value(v) < 0 ||
            json_integer_value(v) > AWDA_MAX_MONEY_MINOR)
            awda_error_add(errors, "budget_minor",
                           "the budget is a whole number of minor units (cents) from 0 to "
                           "%lld",
                           (long long)AWDA_MAX_MONEY_MINOR);
    if ((v = json_object_get(b, "currency")) || !patch)
        if (!json_is_string(v) || !awda_currency_valid(json_string_value(v)))
            awda_error_add(errors, "currency",
                           "the currency must be an ISO 4217 code in capitals, e.g. XOF");
    if ((v = json_object_get(b, "modality")) || !patch)
        if (!json_is_string(v) || awda_value_index(MODALITIES, json_string_value(v)) < 0)
            awda_error_add(errors, "modality", "the assistance is given as cash or in_kind");
    if ((v = json_object_get(b, "delivery")) || !patch)
        if (!json_is_string(v) || awda_value_index(DELIVERIES, json_string_value(v)) < 0)
            awda_error_add(errors, "delivery",
                           "the assistance is delivered direct or by referral to a partner");
    v = json_object_get(b, "referral_status");
    if (v && !json_is_null(v) &&
        (!json_is_string(v) || awda_value_index(REFERRAL_STATUSES, json_string_value(v)) < 0))
        awda_error_add(errors, "referral_status",
                       "the referral is sent, accepted, completed or declined");
    v = json_object_get(b, "status");
    if (v && (!json_is_string(v) || awda_value_index(STATUSES, json_string_value(v)) < 0))
        awda_error_add(errors, "status",
                       "an item moves to in_progress, delivered or cancelled (it is approved "
                       "with its plan)");
    v = json_object_get(b, "partner");
    if (v && !json_is_null(v) && !json_is_string(v))
        awda_error_add(errors, "partner", "the partner is named by its id");
    v = json_object_get(b, "budget_line");
    if (v && !json_is_null(v) && !json_is_string(v))
        awda_error_add(errors, "budget_line", "the budget line is named by its id");
}

/* What an item is after a change, checked against the database: the
 * partner and budget line resolved into row; problems to errors. */
static void item_refs(store_conn_t *c, const json_t *b, store_plan_item_row_t *row, json_t *errors)
{
    const json_t *v;
    if ((v = json_object_get(b, "partner"))) {
        row->partner_pk = 0;
        if (json_is_string(v)) {
            json_decref(app_partner_ref(c, json_string_value(v), "partner", errors));
            row->partner_pk = store_plan_partner_pk(c, json_string_value(v));
        }
    }
    if ((v = json_object_get(b, "budget_line"))) {
        row->budget_line_pk = 0;
        if (json_is_string(v)) {
            char cur[4] = "";
            app_result_t tmp = {0};
            row->budget_line_pk = app_budget_line_find(c, json_string_value(v), cur, &tmp);
            app_result_free(&tmp);
            if (!row->budget_line_pk)
                awda_error_add(errors, "budget_line", "there is no budget line with this id");
            else if (strcmp(cur, row->currency) != 0)
                awda_error_add(errors, "currency",
                               "the budget line counts in %s; give the item's budget in %s too",
                               cur, cur);
        }
    }
    if (strcmp(row->delivery, "referral") == 0 && !row->partner_pk &&
        !awda_has_error(errors, "partner"))
        awda_error_add(errors, "partner", "a referral names the partner it goes to");
    if (strcmp(row->delivery, "direct") == 0 && row->referral_status[0])
        awda_error_add(errors, "referral_status", "only a referral has a referral status");
}

/* Copies the members of b that a row holds into row. */
static void item_apply(const json_t *b, store_plan_item_row_t *row)
{
    const json_t *v;
    if ((v = json_object_get(b, "budget_minor")))
        row->budget_minor = json_integer_value(v);
    if ((v = json_object_get(b, "currency")))
        snprintf(row->currency, sizeof row->currency, "%s", json_string_value(v));
    if ((v = json_object_get(b, "modality")))
        snprintf(row->modality, sizeof row->modality, "%s", json_string_value(v));
    if ((v = json_object_get(b, "delivery")))
        snprintf(row->delivery, sizeof row->delivery, "%s", json_string_value(v));
    if ((v = json_object_get(b, "referral_status")))
        snprintf(row->referral_status, sizeof row->referral_status, "%s",
                 json_is_string(v) ? json_string_value(v) : "");
    if ((v = json_object_get(b, "status")))
        snprintf(row->status, sizeof row->status, "%s", json_string_value(v));
}

/* The referral leaves for the partner: the consent gate. */
static int referral_gate(store_conn_t *c, int64_t plan_pk, const store_plan_item_row_t *row,
                         const json_t *b, app_result_t *r)
{
    if (strcmp(row->delivery, "referral") != 0 || !row->partner_pk)
        return 1;
    if (strcmp(row->referral_status, "sent") != 0 && strcmp(row->referral_status, "accepted") != 0)
        return 1;
    const char *partner = json_string_value(json_object_get(b, "partner"));
    json_t *list = NULL;
    char id[40] = "";
    if (!partner) {
        /* The partner already on the item: its public id. */
        list = store_partner_list(c);
        size_t i;
        json_t *p;
        json_array_foreach(list, i, p)
        {
            const char *pid = json_string_value(json_object_get(p, "id"));
            if (pid && store_plan_partner_pk(c, pid) == row->partner_pk)
                snprintf(id, sizeof id, "%s", pid);
        }
        json_decref(list);
        partner = id;
    }
    return plan_referral_consent(c, plan_pk, partner, r);
}

/* r answers with item id of plan pk. */
static int item_answer(store_conn_t *c, int64_t plan_pk, const char *id, app_code_t code,
                       app_result_t *r)
{
    json_t *p = store_plan_get(c, plan_pk);
    if (!p)
        return STORE_ERR;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(p, "items"), i, it)
    {
        if (strcmp(json_string_value(json_object_get(it, "id")), id) == 0) {
            json_decref(r->body);
            r->body = json_incref(it);
            json_object_set(r->body, "plan_id", json_object_get(p, "id"));
        }
    }
    json_decref(p);
    if (!r->body)
        return STORE_ERR;
    r->code = code;
    r->version = json_integer_value(json_object_get(r->body, "version"));
    if (code == APP_CREATED)
        snprintf(r->location, sizeof r->location, "/api/v1/plan-items/%s", id);
    return STORE_OK;
}

/* ---- add ------------------------------------------------------------------------- */

typedef struct {
    app_t *app;
    const app_actor_t *a;
    const char *id;
    const app_if_match_t *m;
    const json_t *body;
} item_ctx_t;

static int add_job(store_conn_t *c, void *p, app_result_t *r)
{
    item_ctx_t *x = p;
    store_plan_row_t plan;
    if (!plan_find(c, x->a, x->id, &plan, r) || !plan_at_office(x->a, &plan, r))
        return STORE_ABORT;
    if (strcmp(plan.status, "draft") != 0) {
        app_fail(r, APP_CONFLICT, "items are added to a draft plan; this plan is %s", plan.status);
        return STORE_ABORT;
    }
    store_plan_item_row_t *rows;
    size_t n;
    if (store_plan_item_rows(c, plan.pk, &rows, &n) != STORE_OK)
        return STORE_ERR;
    free(rows);
    json_t *errors = json_array();
    if (n >= AWDA_PLAN_MAX_ITEMS)
        awda_error_add(errors, "type", "a plan holds at most %d items", AWDA_PLAN_MAX_ITEMS);
    char dim[16];
    const char *type = json_string_value(json_object_get(x->body, "type"));
    int trc = store_item_type_dimension(c, type, dim);
    if (trc == STORE_ERR) {
        json_decref(errors);
        return STORE_ERR;
    }
    if (trc != STORE_OK)
        awda_error_add(errors, "type",
                       "there is no type of plan item called %s (the list: GET "
                       "/api/v1/plan-item-types)",
                       type);
    store_plan_item_row_t row;
    memset(&row, 0, sizeof row);
    snprintf(row.status, sizeof row.status, "planned");
    item_apply(x->body, &row);
    item_refs(c, x->body, &row, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The item is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (!referral_gate(c, plan.pk, &row, x->body, r))
        return STORE_ABORT;
    char id[37];
    int rc = store_plan_item_insert(c, plan.pk, x->body, row.partner_pk, row.budget_line_pk, id);
    if (rc == STORE_OK)
        rc = store_plan_touch(c, plan.pk);
    return rc == STORE_OK ? item_answer(c, plan.pk, id, APP_CREATED, r) : rc;
}

void app_plan_item_add(app_t *app, const app_actor_t *a, const char *plan_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    item_shape(body, 0, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The item is not valid");
        return;
    }
    json_decref(errors);
    item_ctx_t x = {app, a, plan_id, NULL, body};
    app_run_idempotent(app, a, idem_key, request_hash, add_job, &x, r);
}

/* ---- change ------------------------------------------------------------------------ */

/* 1 when an item may go from status from to status to. */
static int may_move(const char *from, const char *to)
{
    if (strcmp(from, to) == 0)
        return 1;
    if (strcmp(to, "cancelled") == 0)
        return strcmp(from, "delivered") != 0 && strcmp(from, "cancelled") != 0;
    if (strcmp(to, "in_progress") == 0)
        return strcmp(from, "approved") == 0;
    if (strcmp(to, "delivered") == 0)
        return strcmp(from, "in_progress") == 0 || strcmp(from, "approved") == 0;
    return 0;
}

static int patch_job(store_conn_t *c, void *p, app_result_t *r)
{
    item_ctx_t *x = p;
    store_plan_item_row_t row;
    int frc = x->id ? store_plan_item_find(c, x->id, &row) : STORE_NOTFOUND;
    if (frc == STORE_ERR)
        return STORE_ERR;
    store_plan_row_t plan;
    char plan_id[37] = "";
    if (frc == STORE_OK) {
        json_t *pj = store_plan_get(c, row.plan_pk);
        snprintf(plan_id, sizeof plan_id, "%s", json_string_value(json_object_get(pj, "id")));
        json_decref(pj);
    }
    if (frc != STORE_OK || !plan_find(c, x->a, plan_id, &plan, r)) {
        app_fail(r, APP_NOT_FOUND, "there is no plan item with this id");
        return STORE_ABORT;
    }
    if (!plan_at_office(x->a, &plan, r))
        return STORE_ABORT;
    if (!x->m || !x->m->present) {
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "say which version of the item this change is based on (If-Match)");
        return STORE_ABORT;
    }
    if (!app_if_match_ok(x->m, row.version)) {
        app_fail(r, APP_STALE, "the item was changed by someone else; reload it and try again");
        return STORE_ABORT;
    }
    const char *before = row.status[0] ? row.status : "planned";
    char from[16];
    snprintf(from, sizeof from, "%s", before);
    if (strcmp(from, "delivered") == 0 || strcmp(from, "cancelled") == 0) {
        app_fail(r, APP_CONFLICT, "the item is %s; it does not change any more", from);
        return STORE_ABORT;
    }
    json_t *errors = json_array();
    static const char *const PLANNED_ONLY[] = {
        "budget_minor", "currency", "modality", "delivery", "partner", "budget_line", NULL};
    for (int i = 0; PLANNED_ONLY[i]; i++)
        if (json_object_get(x->body, PLANNED_ONLY[i]) && strcmp(from, "planned") != 0)
            awda_error_add(errors, PLANNED_ONLY[i],
                           "the item is %s: its budget, partner and way of delivery are fixed "
                           "by the approval",
                           from);
    item_apply(x->body, &row);
    const char *to = row.status;
    if (!may_move(from, to))
        awda_error_add(errors, "status", "an item that is %s cannot become %s", from, to);
    if (strcmp(to, "in_progress") == 0 && strcmp(plan.status, "approved") != 0)
        awda_error_add(errors, "status", "an item starts once its plan is approved");
    const char *evidence = json_string_value(json_object_get(x->body, "evidence"));
    if (strcmp(to, "delivered") == 0 && strcmp(from, "delivered") != 0 && !row.has_evidence &&
        !(evidence && *evidence))
        awda_error_add(errors, "evidence",
                       "say what shows the assistance was delivered (a receipt, a certificate, "
                       "a photo reference)");
    const char *reason = json_string_value(json_object_get(x->body, "reason"));
    int committed = strcmp(from, "approved") == 0 || strcmp(from, "in_progress") == 0;
    if (strcmp(to, "cancelled") == 0 && strcmp(from, "cancelled") != 0 && committed &&
        !(reason && *reason))
        awda_error_add(errors, "reason", "say why an approved item is cancelled");
    item_refs(c, x->body, &row, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The item is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (json_object_get(x->body, "referral_status") || json_object_get(x->body, "partner"))
        if (!referral_gate(c, plan.pk, &row, x->body, r))
            return STORE_ABORT;
    int rc = store_plan_item_update(
        c, &row, row.version, json_string_value(json_object_get(x->body, "description")), evidence);
    if (rc == STORE_OK && strcmp(to, "cancelled") == 0 && committed)
        rc = plan_item_release(c, x->a, row.pk, reason, r);
    if (rc == STORE_OK)
        rc = store_plan_touch(c, plan.pk);
    if (rc == STORE_OK && strcmp(to, from) != 0 &&
        (strcmp(to, "delivered") == 0 || strcmp(to, "cancelled") == 0))
        rc = plan_cases_monitoring(x->app, c, x->a, plan.pk, r);
    return rc == STORE_OK ? item_answer(c, plan.pk, row.id, APP_OK, r) : rc;
}

void app_plan_item_patch(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    item_shape(body, 1, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The item is not valid");
        return;
    }
    json_decref(errors);
    item_ctx_t x = {app, a, id, m, body};
    app_run(app, patch_job, &x, r);
}

/* ---- item types -------------------------------------------------------------------- */

void app_item_types(app_t *app, const app_actor_t *a, const char *lang, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_item_types(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the types of plan item could not be read");
        return;
    }
    char key[16];
    snprintf(key, sizeof key, "name_%s",
             lang && (strcmp(lang, "fr") == 0 || strcmp(lang, "ar") == 0) ? lang : "en");
    size_t i;
    json_t *t;
    json_array_foreach(items, i, t) json_object_set(t, "name", json_object_get(t, key));
    r->body = json_pack("{s:o,s:s}", "items", items, "language", key + 5);
    r->code = APP_OK;
}

static int type_job(store_conn_t *c, void *p, app_result_t *r)
{
    const json_t *body = p;
    int rc = store_item_type_insert(c, body);
    if (rc == STORE_CONFLICT) {
        json_t *e = json_array();
        awda_error_add(e, "code", "there is a type of plan item with the code %s already",
                       json_string_value(json_object_get(body, "code")));
        app_invalid(r, e, "The type of plan item is not valid");
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    json_t *all = store_item_types(c);
    size_t i;
    json_t *t;
    json_array_foreach(all, i, t)
    {
        if (strcmp(json_string_value(json_object_get(t, "code")),
                   json_string_value(json_object_get(body, "code"))) == 0)
            r->body = json_incref(t);
    }
    json_decref(all);
    r->code = r->body ? APP_CREATED : APP_ERROR;
    return r->body ? STORE_OK : STORE_ERR;
}

void app_item_type_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r)
{
    (void)a;
    json_t *errors = json_array();
    static const char *const KNOWN[] = {"code", "dimension", "name_en", "name_fr", "name_ar", NULL};
    plan_unknown_fields(body, KNOWN, "", errors);
    const char *code = json_string_value(json_object_get(body, "code"));
    int ok = code && *code && strlen(code) <= AWDA_ITEM_TYPE_CODE_MAX;
    for (const char *s = code; ok && *s; s++)
        ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_';
    if (!ok)
        awda_error_add(errors, "code",
                       "the code is lower-case letters, digits and _ (at most %d), e.g. "
                       "agricultural_inputs",
                       AWDA_ITEM_TYPE_CODE_MAX);
    const char *dim = json_string_value(json_object_get(body, "dimension"));
    if (!dim || awda_value_index(DIMENSIONS, dim) < 0)
        awda_error_add(errors, "dimension",
                       "the dimension must be one of: economic, social, psychosocial");
    plan_check_text(body, "name_en", "name_en", AWDA_MAX_NAME, 1, errors);
    plan_check_text(body, "name_fr", "name_fr", AWDA_MAX_NAME, 1, errors);
    plan_check_text(body, "name_ar", "name_ar", AWDA_MAX_NAME, 1, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The type of plan item is not valid");
        return;
    }
    json_decref(errors);
    app_run(app, type_job, (void *)body, r);
}
