/*
 * api_duplicates.c — the API module of duplicate detection (issue 13):
 * the possible duplicates of a person, and of a person not yet saved.
 *
 *   GET  /api/v1/persons/{id}/duplicates?limit=10
 *   POST /api/v1/duplicates/check?limit=10   (body: the person)
 *
 * Routes and handlers only: the router has checked the session, the
 * permission (person.duplicates) and the body; the use cases
 * (app/duplicates.h) decide what the caller may see. Joined by
 * API_MODULE(duplicates) in modules.def.
 */
#include "api.h"
#include "../app/duplicates.h"

static void h_person_duplicates(api_call_t *c)
{
    app_result_t r = {0};
    app_person_duplicates(c->app, &c->actor, c->param, api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static void h_check(api_call_t *c)
{
    app_result_t r = {0};
    app_duplicates_check(c->app, &c->actor, c->json, api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/persons/{id}/duplicates", PERM_PERSON_DUPLICATES, 0, h_person_duplicates},
    {"POST", "/api/v1/duplicates/check", PERM_PERSON_DUPLICATES, API_BODY, h_check},
};

const api_module_t api_module_duplicates = API_MODULE_OF(duplicates, ROUTES);
