/*
 * followup.h — the store of follow-up (migration 17): monitoring visits,
 * the sustainability survey (instruments and responses) and activities.
 *
 * The rules (who may see a case or an activity, what a valid answer is,
 * how scores are computed) are the application layer's (app/monitoring.c,
 * app/survey.c, app/activities.c); these functions only read and write
 * rows inside the caller's transaction. Plan items and projects are other
 * rooms' tables: they are read here with SQL of our own, never written.
 *
 * JSON returned is owned by the caller; NULL means a database error or,
 * where said, "none". int results are STORE_* codes.
 */
#ifndef AWDA_STORE_FOLLOWUP_H
#define AWDA_STORE_FOLLOWUP_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* ---- monitoring visits ---- */

/* Inserts a visit (validated fields; item_states [{item, status, note}]
 * with public item ids, may be NULL); its id into id_out, key into
 * *pk_out. */
int store_visit_insert(store_conn_t *c, int64_t case_pk, const char *visited_on, const char *mode,
                       const char *visitor, const char *findings, const json_t *item_states,
                       int64_t user_pk, char id_out[37], int64_t *pk_out);
/* The visit as GET shows it; NULL when none. */
json_t *store_visit_get(store_conn_t *c, int64_t pk);
/* The visits of a case, by date then insertion: an array. */
json_t *store_visit_list(store_conn_t *c, int64_t case_pk);
/* The key of plan item item_id when it belongs to a plan that case_pk is
 * a member of (0: it does not, or no such item; -1 on error). */
int64_t store_followup_case_item(store_conn_t *c, int64_t case_pk, const char *item_id);

/* ---- the sustainability survey ---- */

/* 1 when person_pk is a member of case_pk, 0 when not, -1 on error. */
int store_followup_member(store_conn_t *c, int64_t case_pk, int64_t person_pk);

/* Stores instrument (code, version) with its definition text, unless it
 * is there: *inserted 1 when stored, 0 when the same text was there;
 * STORE_CONFLICT when that version is stored with another text. */
int store_survey_instrument_put(store_conn_t *c, const char *code, int64_t version,
                                const char *definition, int *inserted);
/* The definition of (code, version) — version 0: the newest — parsed;
 * *version_out (may be NULL) gets its version. NULL when none. */
json_t *store_survey_instrument(store_conn_t *c, const char *code, int64_t version,
                                int64_t *version_out);
/* Every instrument version stored: [{code, version, created_at,
 * latest}], by code and version. */
json_t *store_survey_instrument_list(store_conn_t *c);

/* The scores of a response in basis points; -1: none (stored as NULL). */
typedef struct {
    int64_t economic, social, psychosocial, composite;
} store_survey_scores_t;

int store_survey_response_insert(store_conn_t *c, int64_t case_pk, int64_t person_pk,
                                 const char *code, const char *round, const char *answered_on,
                                 const json_t *answers, int64_t version,
                                 const store_survey_scores_t *s, int64_t user_pk, char id_out[37],
                                 int64_t *pk_out);
/* 1 when person_pk already has a baseline in case_pk, 0 when not, -1 on
 * error. */
int store_survey_has_baseline(store_conn_t *c, int64_t case_pk, int64_t person_pk);
/* The response as GET shows it ({id, case_id, person_id, instrument:
 * {code, version}, round, answered_on, answers, scores}); NULL when none. */
json_t *store_survey_response_get(store_conn_t *c, int64_t pk);
/* The responses of a case, by date then insertion. */
json_t *store_survey_response_list(store_conn_t *c, int64_t case_pk);
/* The responses of a person in every case, oldest first, each with
 * "_office_pk", "_receiving_pk" and "_project" of its case for the
 * caller's scope check (to be removed before answering). */
json_t *store_survey_person_responses(store_conn_t *c, int64_t person_pk);
/* The responses of instrument code not scored with version:
 * [{pk, answers}] (answers parsed). */
json_t *store_survey_to_rescore(store_conn_t *c, const char *code, int64_t version);
/* Sets the scores of response pk, computed with version. */
int store_survey_set_scores(store_conn_t *c, int64_t pk, int64_t version,
                            const store_survey_scores_t *s);

/* ---- activities ---- */

/* The key of the project with public id (0: none). */
int64_t store_followup_project_pk(store_conn_t *c, const char *id);
/* The project of budget line line_pk (0: none). */
int64_t store_followup_line_project(store_conn_t *c, int64_t line_pk);
/* Inserts an activity from validated JSON {kind, title, held_on, country,
 * admin_area?, pcode?, facilitators?: [text], cost?: {amount_minor,
 * currency}}, version 1; id into id_out, key into *pk_out. */
int store_activity_insert(store_conn_t *c, const json_t *a, int64_t office_pk, int64_t project_pk,
                          int64_t line_pk, int64_t user_pk, char id_out[37], int64_t *pk_out);
int store_activity_participant_add(store_conn_t *c, int64_t activity_pk, int64_t person_pk);
int store_activity_count_add(store_conn_t *c, int64_t activity_pk, const char *sex,
                             const char *age_group, int64_t count);
/* The key and office of the activity with public id: STORE_NOTFOUND when
 * none. */
int store_activity_find(store_conn_t *c, const char *id, int64_t *pk, int64_t *office_pk);
/* The activity as GET shows it, with participants, counts and totals;
 * NULL when none. */
json_t *store_activity_get(store_conn_t *c, int64_t pk);
/* Activities within offices (nof < 0: every office), of office_pk and
 * project_pk (0: any), held from..to (NULL: open), the latest first, at
 * most limit, without participants: an array. */
json_t *store_activity_list(store_conn_t *c, const int64_t *offices, int nof, int64_t office_pk,
                            int64_t project_pk, const char *from, const char *to, int limit);

#endif
