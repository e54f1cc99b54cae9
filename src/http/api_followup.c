/*
 * api_followup.c — the API module of follow-up: monitoring visits and
 * survey responses of a case, a person's sustainability scores over time,
 * the survey instruments, and activities.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case (app/followup.h) and answers (answer.c).
 * Joined by API_MODULE(followup) in modules.def.
 */
#include "api.h"
#include "../app/followup.h"

/* A create with an Idempotency-Key, on the object named by the path. */
typedef void (*create_fn)(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                          const char *idem_key, const char *request_hash, app_result_t *r);

static void create(api_call_t *c, create_fn fn)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    fn(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_visit_create(api_call_t *c)
{
    create(c, app_visit_create);
}

static void h_visit_list(api_call_t *c)
{
    app_result_t r = {0};
    app_visit_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_response_create(api_call_t *c)
{
    create(c, app_survey_response_create);
}

static void h_response_list(api_call_t *c)
{
    app_result_t r = {0};
    app_survey_response_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_person_scores(api_call_t *c)
{
    app_result_t r = {0};
    app_survey_person_scores(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_instruments(api_call_t *c)
{
    app_result_t r = {0};
    app_survey_instrument_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_instrument(api_call_t *c)
{
    app_result_t r = {0};
    app_survey_instrument_get(c->app, &c->actor, c->param, api_arg(c, "version"), &r);
    api_respond(c, &r);
}

static void h_activity_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_activity_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_activity_list(api_call_t *c)
{
    app_result_t r = {0};
    app_activity_list(c->app, &c->actor, api_arg(c, "office"), api_arg(c, "project"),
                      api_arg(c, "from"), api_arg(c, "to"), &r);
    api_respond(c, &r);
}

static void h_activity_get(api_call_t *c)
{
    app_result_t r = {0};
    app_activity_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/cases/{id}/monitoring-visits", PERM_FOLLOWUP_READ, 0, h_visit_list},
    {"POST", "/api/v1/cases/{id}/monitoring-visits", PERM_FOLLOWUP_MANAGE, API_BODY,
     h_visit_create},
    {"GET", "/api/v1/cases/{id}/survey-responses", PERM_FOLLOWUP_READ, 0, h_response_list},
    {"POST", "/api/v1/cases/{id}/survey-responses", PERM_FOLLOWUP_MANAGE, API_BODY,
     h_response_create},
    {"GET", "/api/v1/persons/{id}/sustainability-scores", PERM_FOLLOWUP_READ, 0, h_person_scores},
    {"GET", "/api/v1/survey/instruments", PERM_FOLLOWUP_READ, 0, h_instruments},
    {"GET", "/api/v1/survey/instruments/{id}", PERM_FOLLOWUP_READ, 0, h_instrument},
    {"GET", "/api/v1/activities", PERM_FOLLOWUP_READ, 0, h_activity_list},
    {"POST", "/api/v1/activities", PERM_FOLLOWUP_MANAGE, API_BODY, h_activity_create},
    {"GET", "/api/v1/activities/{id}", PERM_FOLLOWUP_READ, 0, h_activity_get},
};

const api_module_t api_module_followup = API_MODULE_OF(followup, ROUTES);
