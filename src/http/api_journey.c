/*
 * api_journey.c — the API module of the journey of a case: its steps
 * (transitions) and whether it is ready for the next (the records the
 * steps need are api_records.c).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(journey) in modules.def.
 */
#include "api.h"

static void h_transition(api_call_t *c)
{
    app_result_t r = {0};
    app_case_transition(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_readiness(api_call_t *c)
{
    app_result_t r = {0};
    app_case_readiness(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    /* Who takes which step is decided per step in app/authz.c. */
    {"POST", "/api/v1/cases/{id}/transitions", PERM_CASE_READ, API_BODY, h_transition},
    {"GET", "/api/v1/cases/{id}/readiness", PERM_CASE_READ, API_MESSAGES, h_readiness},
};

const api_module_t api_module_journey = API_MODULE_OF(journey, ROUTES);
