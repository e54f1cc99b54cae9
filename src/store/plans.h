/*
 * plans.h — the store of reintegration plans (migration 17): needs
 * assessments, plans with their members and beneficiaries, plan items,
 * the plan item types (a value table) and partners' kinds and services.
 *
 * The rules (who may see or change a plan, the stages a case must be at,
 * the status flow of items, the ledger commitments on approval) are the
 * application layer's (app/plans.h); these functions only read and write
 * rows inside the caller's transaction. Health and psychosocial needs are
 * sealed at rest here (util/seal.h, associated data
 * "needs|<id>|<field>") and opened when read; the caller redacts them for
 * roles that may not see them.
 *
 * JSON returned is owned by the caller; NULL means a database error or,
 * where said, "none".
 */
#ifndef AWDA_STORE_PLANS_H
#define AWDA_STORE_PLANS_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* ---- needs assessments ---- */

/* Inserts a needs assessment from validated JSON {assessed_on, skills,
 * education, work_history, family_situation, housing, health_needs,
 * psychosocial_needs, project_idea, choice}; the two needs are sealed
 * (STORE_ERR without a key). Its id into id_out. */
int store_needs_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk, const json_t *n,
                       int64_t user_pk, char id_out[37]);
/* The assessments of a case, oldest first, sealed values opened:
 * [{id, person_id, assessed_on, ..., choice, created_at, created_by}].
 * Caller owns. */
json_t *store_needs_list(store_conn_t *c, int64_t case_pk);

/* ---- plan item types ---- */

/* Every type, by dimension then code: [{code, dimension, name_en,
 * name_fr, name_ar, active}]. Caller owns. */
json_t *store_item_types(store_conn_t *c);
/* The dimension of an active type into dim (STORE_NOTFOUND when none). */
int store_item_type_dimension(store_conn_t *c, const char *code, char dim[16]);
/* Adds a type (STORE_CONFLICT when the code is taken). */
int store_item_type_insert(store_conn_t *c, const json_t *t);

/* ---- plans ---- */

typedef struct {
    int64_t pk, office_pk, version;
    char id[37];
    char kind[16];
    char status[16];
} store_plan_row_t;

/* Inserts a plan {kind, title, country?, admin_area?, pcode?} in draft,
 * version 1; id into id_out, key into *pk_out. */
int store_plan_insert(store_conn_t *c, const json_t *p, int64_t office_pk, int64_t user_pk,
                      char id_out[37], int64_t *pk_out);
int store_plan_member_add(store_conn_t *c, int64_t plan_pk, int64_t case_pk, int64_t person_pk,
                          int64_t share_bp);
int store_plan_beneficiary_add(store_conn_t *c, int64_t plan_pk, const char *sex,
                               const char *age_group, int64_t count);
/* The plan with public id into *row; STORE_NOTFOUND when none. */
int store_plan_find(store_conn_t *c, const char *id, store_plan_row_t *row);
/* Moves the status when still at expected_version (STORE_STALE
 * otherwise); approved_by_pk (not 0) and the time are kept when it is
 * "approved". Bumps the version. */
int store_plan_set_status(store_conn_t *c, int64_t pk, int64_t expected_version, const char *status,
                          int64_t approved_by_pk);
/* Bumps the version of a plan whose items changed. */
int store_plan_touch(store_conn_t *c, int64_t pk);
/* The plan as GET shows it: with members [{case_id, case_number,
 * person_id, share_bp}], beneficiaries and items. Caller owns. */
json_t *store_plan_get(store_conn_t *c, int64_t pk);
/* The members with their keys: [{case_pk, person_pk, case_id, person_id,
 * share_bp}]. Caller owns. */
json_t *store_plan_members(store_conn_t *c, int64_t plan_pk);
/* The plans a case is a member of, newest first (as store_plan_get
 * without items): an array. Caller owns. */
json_t *store_plans_of_case(store_conn_t *c, int64_t case_pk);

/* ---- plan items ---- */

typedef struct {
    int64_t pk, plan_pk, version, budget_minor, partner_pk, budget_line_pk;
    char id[37];
    char type[48];
    char currency[4];
    char modality[12], delivery[12];
    char status[16];
    char referral_status[12]; /* "" when none */
    int has_evidence;
} store_plan_item_row_t;

/* Inserts an item {type, description?, budget_minor, currency, modality,
 * delivery, referral_status?, evidence?} of the plan, status planned. */
int store_plan_item_insert(store_conn_t *c, int64_t plan_pk, const json_t *item, int64_t partner_pk,
                           int64_t budget_line_pk, char id_out[37]);
int store_plan_item_find(store_conn_t *c, const char *id, store_plan_item_row_t *row);
/* Rewrites the changeable columns of an item from row and the texts
 * (description, evidence: NULL keeps them) when still at
 * expected_version (STORE_STALE otherwise); bumps the version. */
int store_plan_item_update(store_conn_t *c, const store_plan_item_row_t *row,
                           int64_t expected_version, const char *description, const char *evidence);
/* The items of a plan as rows, in order of creation, into *rows
 * (malloc'd, the caller frees) and *n. */
int store_plan_item_rows(store_conn_t *c, int64_t plan_pk, store_plan_item_row_t **rows, size_t *n);
/* Items of the approved plans of a case, by status: *open (approved or
 * in progress), *waiting (planned, approved or in progress), *delivered. */
int store_case_item_counts(store_conn_t *c, int64_t case_pk, long long *open, long long *waiting,
                           long long *delivered);

/* ---- overdue ---- */

/* Cases at `arrived` whose arrival is before before_ms, the earliest
 * first, at most limit: [{case_pk, case_id, number, office_pk,
 * receiving_pk, project, arrived_at, draft_plans}]. Caller owns. */
json_t *store_plans_overdue(store_conn_t *c, int64_t before_ms, int limit);

/* ---- partners: kind, services and places ---- */

int store_partner_kind_set(store_conn_t *c, int64_t partner_pk, const char *kind);
/* Replaces the services of a partner with [{service, country,
 * admin_area?}]. */
int store_partner_services_set(store_conn_t *c, int64_t partner_pk, const json_t *services);
/* {kind, services: [{service, country, admin_area}]}. Caller owns. */
json_t *store_partner_services(store_conn_t *c, int64_t partner_pk);
/* The key of the partner with public id, or 0. */
int64_t store_plan_partner_pk(store_conn_t *c, const char *id);

#endif
