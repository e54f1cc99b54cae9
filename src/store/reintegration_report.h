/*
 * reintegration_report.h — the store of the reintegration report of a
 * project (reintegration_report.c): the figures of a project over a
 * period, counted with SQL straight over the tables of migration 17
 * (projects, budget lines and their totals, plans and their items and
 * members, needs assessments, survey responses, activities) and over the
 * cases and their journey events.
 *
 * Only counts, sums and means leave these functions, never a person. The
 * application layer (app/reintegration_report.c) decides the scope (every
 * office, or some), suppresses small counts for donors and makes the
 * files. Reads run on the caller's connection, inside the caller's read
 * transaction, so every figure is of one state of the database.
 *
 * Ownership as in store.h: a returned json_t* is the caller's (NULL: a
 * database error); arguments are borrowed.
 */
#ifndef AWDA_STORE_REINTEGRATION_REPORT_H
#define AWDA_STORE_REINTEGRATION_REPORT_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* The days of a plan's deadline after arrival: a plan should exist
 * within this many days of a returnee's arrival. */
#define STORE_RR_PLAN_DAYS 30

/* What one report counts over. */
typedef struct {
    int64_t project_pk;
    const char *project; /* its name, as cases carry it in cases.project */
    const char *from;    /* the period, YYYY-MM-DD, both days included */
    const char *to;
    const char *today;   /* YYYY-MM-DD: plans still missing are overdue after it */
    const char *offices; /* JSON array text of office keys; NULL: every office */
} store_rr_query_t;

/* The project with public id or code key: {"id", "code", "name",
 * "donor", "currency", "starts_on", "ends_on"} into *out (caller owns)
 * and its key into *pk; STORE_NOTFOUND when there is none. */
int store_rr_project(store_conn_t *c, const char *key, json_t **out, int64_t *pk);

/* Every figure of the report, unsuppressed (see the top of
 * reintegration_report.c for what each counts):
 *   {"returns": {"cases", "persons", "by_sex_age": cells},
 *    "plans_overdue": {"total", "late", "without_plan"},
 *    "assistance": {"by_dimension": [{"dimension", "started", "completed"}],
 *                   "by_plan_kind": [{"kind", "started", "completed"}],
 *                   "total": {"started", "completed"}},
 *    "beneficiaries": {"returnees_in_plans", "community", "activity_participants",
 *                      "activity_others", "total": cells; "activities_held": n},
 *    "budget": {"lines": [{"code", "name", "budget_minor", "committed_minor",
 *                          "disbursed_minor", "remaining_minor", "utilisation_bp"}],
 *               "total": {... the same sums}},
 *    "sustainability": {"baseline", "follow_up": {"responses", "economic_bp",
 *                       "social_bp", "psychosocial_bp", "composite_bp"}},
 *    "choice": {"assessed", "own_project", "proposed_option", "referral",
 *               "own_project_share_bp"}}
 * where cells is [{"sex", "age_group", "count"}] of the non-zero counts
 * in a fixed order (sex female, male, other, unknown; age group 0-4, 5-11,
 * 12-17, 18-59, 60+, unknown: the age on the last day of the period). A
 * mean or share of nothing is null. Caller owns; NULL on a database error. */
json_t *store_rr_figures(store_conn_t *c, const store_rr_query_t *q);

#endif
