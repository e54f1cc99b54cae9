/*
 * plans.h — the use cases of reintegration in the country of origin: the
 * reception and needs assessment after arrival, reintegration plans and
 * their items, and partners' kinds, services and places.
 *
 *   needs.c            needs assessments (health and psychosocial needs
 *                      sealed: read by the roles that see medical detail,
 *                      by those that record assessments, and by the
 *                      author); the returnee's choice
 *   plans.c            plans (individual; collective with each
 *                      returnee's share; community with a place and
 *                      beneficiaries by sex and age group), approval
 *                      (each item's budget committed on the ledger, the
 *                      cases to `reintegrating`), closing (items still in
 *                      progress need a reason; the cases to `closed`),
 *                      the plans overdue, the item types
 *   plan_items.c       items: the status flow, referrals (the consent
 *                      gate), cancellation (the budget released),
 *                      delivery (the cases to `monitoring`)
 *   partner_services.c partners' kind, and the services and places they
 *                      cover
 *   plan_shared.c      what these files share (the last section below)
 *
 * Scope: a plan belongs to the office that works its cases — the
 * receiving office once a case was handed over, else the case's office.
 * Its users change it; whoever sees one of its cases reads it; a plan out
 * of reach is answered as absent (404). The journey's steps are taken
 * through app/journey.c (app_case_step) in the same transaction.
 * Every use case fills r (the caller frees it with app_result_free).
 */
#ifndef AWDA_APP_PLANS_H
#define AWDA_APP_PLANS_H
#include "app.h"
#include "../store/plans.h"

/* POST /cases/{id}/needs-assessments: 201 with the assessment. */
void app_needs_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r);
/* GET /cases/{id}/needs-assessments: {"items": [...]}, sealed needs
 * "[sealed]" for roles that may not read them. */
void app_needs_list(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r);
/* "[sealed]" in place of the sealed needs of assessment n (as
 * store_needs_list gives it) for an actor who may not read them: the
 * roles that see medical detail, those that record assessments
 * (plan.manage) and the author read them. Returns n. */
json_t *app_needs_redact(const app_actor_t *a, json_t *n);

/* GET /plan-item-types: {"items": [{code, dimension, name (in lang),
 * name_en, name_fr, name_ar, active}]}; lang "en", "fr" or "ar". */
void app_item_types(app_t *app, const app_actor_t *a, const char *lang, app_result_t *r);
/* POST /plan-item-types {code, dimension, name_en, name_fr, name_ar}. */
void app_item_type_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r);

/* POST /plans: 201 with the plan (draft). */
void app_plan_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r);
/* GET /plans/{id}. */
void app_plan_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* GET /cases/{id}/plans: {"items": [plans]}. */
void app_plans_of_case(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r);
/* POST /plans/{id}/approve (plan.approve): every item approved, its
 * budget committed; the member cases at `arrived` take
 * start_reintegration. */
void app_plan_approve(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                      const json_t *body, app_result_t *r);
/* POST /plans/{id}/close {closure_reason, reason}: items not delivered
 * are cancelled (what they committed released; a reason needed when any
 * was in progress); the member cases without another open plan take
 * close with the closure reason. */
void app_plan_close(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                    const json_t *body, app_result_t *r);
/* GET /reintegration/overdue: the cases worked by the actor's offices
 * (the receiving office once handed over) with no approved plan
 * AWDA_PLAN_DUE_DAYS after arrival: {"items": [...], "due_days"}. */
void app_plans_overdue(app_t *app, const app_actor_t *a, app_result_t *r);

/* POST /plans/{id}/items: 201 with the plan. */
void app_plan_item_add(app_t *app, const app_actor_t *a, const char *plan_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r);
/* PATCH /plan-items/{id} {status, referral_status, evidence, description,
 * partner, budget_minor, currency, budget_line, reason}: the plan. */
void app_plan_item_patch(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r);

/* GET /partners/{id}/services: {kind, services}. */
void app_partner_services_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* PUT /partners/{id}/services {kind, services: [{service, country,
 * admin_area?}]}. */
void app_partner_services_set(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                              app_result_t *r);

/* ---- shared by the files of the plans room (plan_shared.c) ---- */

/* The office that works the case pk (its receiving office once handed
 * over, else its office). */
int64_t plan_working_office(store_conn_t *c, int64_t case_pk, int64_t office_pk);
/* The plan with id that the actor may see (a user of its office, or one
 * who sees one of its cases) into *row; 0 with 404 in r otherwise. */
int plan_find(store_conn_t *c, const app_actor_t *a, const char *id, store_plan_row_t *row,
              app_result_t *r);
/* 1 when the actor works for the plan's office; else 0 with 403. */
int plan_at_office(const app_actor_t *a, const store_plan_row_t *row, app_result_t *r);
/* r answers with the plan pk (code: APP_OK or APP_CREATED). */
int plan_answer(store_conn_t *c, int64_t pk, app_code_t code, app_result_t *r);
/* The stage of case pk into out ("" when it cannot be read). */
void plan_case_stage(store_conn_t *c, const char *case_id, char *out, size_t cap);
/* Takes the journey step event for every member case of the plan at
 * stage from (NULL: any stage the step is taken from), in this
 * transaction. */
int plan_cases_step(app_t *app, store_conn_t *c, const app_actor_t *a, int64_t plan_pk,
                    const char *from, const char *event, const char *reason, app_result_t *r);
/* The member cases of the plan at `reintegrating` whose approved plans
 * have every item delivered or cancelled (at least one delivered) take
 * start_monitoring. */
int plan_cases_monitoring(app_t *app, store_conn_t *c, const app_actor_t *a, int64_t plan_pk,
                          app_result_t *r);
/* Releases what item pk committed (cancelled or closed). */
int plan_item_release(store_conn_t *c, const app_actor_t *a, int64_t item_pk, const char *reason,
                      app_result_t *r);
/* Checks the consent of every member of the plan to share their data
 * with the partner (a referral carries personal data): 1, or 0 with 403
 * no-consent in r naming the person. */
int plan_referral_consent(store_conn_t *c, int64_t plan_pk, const char *partner_id,
                          app_result_t *r);

/* Text of at most max bytes at key of o (absent or null allowed unless
 * required): a problem at path into errors otherwise. */
void plan_check_text(const json_t *o, const char *key, const char *path, size_t max, int required,
                     json_t *errors);
/* A problem "this field is not known" at prefix+name for each member of
 * o not in known (NULL-terminated). */
void plan_unknown_fields(const json_t *o, const char *const *known, const char *prefix,
                         json_t *errors);

/* Takes the journey step event of the case inside the caller's writer
 * transaction, by the rules of POST /cases/{id}/transitions (journey.c):
 * STORE_OK (r untouched), or STORE_ABORT with r saying why. */
int app_case_step(app_t *app, store_conn_t *c, const app_actor_t *a, const char *case_id,
                  const char *event, const char *reason, app_result_t *r);

#endif
