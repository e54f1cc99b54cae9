/*
 * followup.h — the use cases of follow-up after return:
 *
 *   monitoring.c   monitoring visits of a case: date, in person or by
 *                  phone, who, findings, the state of each plan item seen
 *   survey.c       the Reintegration Sustainability Survey: instruments
 *                  (versioned definitions loaded from data/survey), raw
 *                  answers, scores per dimension and composite in basis
 *                  points, rescoring, a person's scores over time; and the
 *                  pure scoring (survey_definition_check, survey_score)
 *   activities.c   group activities (psychosocial sessions, trainings,
 *                  awareness campaigns, community events, workshops) with
 *                  linked returnees, others counted by sex and age group,
 *                  and a cost committed on a budget line in the ledger
 *
 * Scope: visits and survey responses belong to a case and are seen by
 * whoever sees the case (404 otherwise) — their findings and raw answers
 * only as app_followup_sees_detail allows; activities belong to an office
 * and are seen by its staff and the roles that see every office.
 * Every use case fills r (the caller frees it with app_result_free).
 */
#ifndef AWDA_APP_FOLLOWUP_H
#define AWDA_APP_FOLLOWUP_H
#include "app.h"
#include "../store/followup.h"

/* ---- monitoring visits (monitoring.c) ---- */

/* POST /cases/{id}/monitoring-visits {visited_on, mode, visitor,
 * findings?, item_states?: [{item, status, note?}]}: 201 with the visit. */
void app_visit_create(app_t *app, const app_actor_t *a, const char *case_id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r);
/* GET /cases/{id}/monitoring-visits: {"items": [...]}, oldest first. */
void app_visit_list(app_t *app, const app_actor_t *a, const char *case_id, app_result_t *r);

/* ---- the survey (survey.c) ---- */

/* 0 when def is a valid instrument definition (README.md of data/survey);
 * else -1 with the first problem in why. */
int survey_definition_check(const json_t *def, char *why, size_t cap);
/* Scores answers ({question: option}) with the instrument def (checked):
 * each indicator is the mean of its scored answers, rounded half up to a
 * basis point; a dimension the weighted mean (weight_in_dimension) of its
 * indicators with a score, the composite the weighted mean
 * (weight_in_composite) of every indicator with a score, each rounded
 * half up; -1 when nothing could be scored. With errors (strict), every
 * question must be answered with one of its options and no other key may
 * appear: each problem goes to errors at "answers.<question>" and -1 is
 * returned. Without (rescoring), unknown questions are ignored and
 * missing ones unanswered. indicators (may be NULL) gets {code: bp or
 * null}. 0 on success. */
int survey_score(const json_t *def, const json_t *answers, store_survey_scores_t *out,
                 json_t *indicators, json_t *errors);

/* Loads an instrument definition (the text of a file; where names it in
 * messages) into survey_instruments, unless that code and version are
 * there with the same definition; a stored version with another
 * definition is refused (a new version is needed). 0 and *inserted (may
 * be NULL), or -1 with why. */
int app_survey_instrument_load(app_t *app, const char *text, size_t len, int *inserted, char *why,
                               size_t cap);
/* Recomputes, with the newest version of each instrument (code: of that
 * one; NULL: of every one), the scores of the responses scored with
 * another: {"items": [{code, version, rescored}]}. */
void app_survey_rescore(app_t *app, const char *code, app_result_t *r);
/* GET /survey/instruments: {"items": [{code, version, created_at,
 * latest}]}. */
void app_survey_instrument_list(app_t *app, const app_actor_t *a, app_result_t *r);
/* GET /survey/instruments/{code}?version=: {code, version, definition}
 * (the newest version when none is asked). */
void app_survey_instrument_get(app_t *app, const app_actor_t *a, const char *code,
                               const char *version, app_result_t *r);
/* POST /cases/{id}/survey-responses {person_id, round, answered_on,
 * answers, instrument?}: 201 with the response and its scores. */
void app_survey_response_create(app_t *app, const app_actor_t *a, const char *case_id,
                                const json_t *body, const char *idem_key, const char *request_hash,
                                app_result_t *r);
/* GET /cases/{id}/survey-responses: {"items": [...]}, oldest first. */
void app_survey_response_list(app_t *app, const app_actor_t *a, const char *case_id,
                              app_result_t *r);
/* GET /persons/{id}/sustainability-scores: {person_id, items: [{id,
 * case_id, round, answered_on, instrument, scores, months_after_baseline}]}
 * in the order answered, of the cases the actor sees. */
void app_survey_person_scores(app_t *app, const app_actor_t *a, const char *person_id,
                              app_result_t *r);

/* ---- activities (activities.c) ---- */

/* POST /activities: 201 with the activity; a cost is committed on its
 * budget line in the same transaction. */
void app_activity_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                         const char *request_hash, app_result_t *r);
/* GET /activities/{id}. */
void app_activity_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* GET /activities?office=&project=&from=&to=: {"items": [...]}. */
void app_activity_list(app_t *app, const app_actor_t *a, const char *office, const char *project,
                       const char *from, const char *to, app_result_t *r);

/* ---- shared by the files of follow-up ---- */

/* 1 when the actor reads in clear the psychosocial detail of follow-up
 * (a visit's findings, a survey response's raw answers) recorded by
 * author: the roles that see medical or protection detail, those that
 * record follow-up (followup.manage), the author. */
int app_followup_sees_detail(const app_actor_t *a, const char *author);
/* "[sealed]" in place of the findings of visit v (as store_visit_get
 * gives it) for an actor who may not read them; returns v (may be NULL). */
json_t *app_visit_redact(const app_actor_t *a, json_t *v);
/* The same for the raw answers of a survey response. */
json_t *app_survey_response_redact(const app_actor_t *a, json_t *resp);

/* 1 when s is a date YYYY-MM-DD that exists and is not after today; else
 * 0 with a problem at field in errors. */
int followup_date(const char *s, const char *field, json_t *errors);
/* v as text of 1..max bytes (NULL when absent: a problem when required). */
const char *followup_text(const json_t *o, const char *key, int required, size_t max,
                          json_t *errors);

#endif
