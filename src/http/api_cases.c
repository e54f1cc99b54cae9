/*
 * api_cases.c — the API module of cases and persons: list, register, read,
 * correct, the timeline, household members, person search and the
 * subject-access dossier.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(cases) in modules.def.
 */
#include "api.h"

static void h_case_list(api_call_t *c)
{
    app_result_t r = {0};
    app_case_query_t q = {api_arg(c, "stage"),    api_arg(c, "office"), api_arg(c, "nationality"),
                          api_arg(c, "q"),        api_arg(c, "cursor"), api_arg(c, "limit"),
                          api_arg(c, "assigned"), api_arg(c, "waiting")};
    app_case_list(c->app, &c->actor, &q, &r);
    api_respond(c, &r);
}

static void h_case_counts(api_call_t *c)
{
    app_result_t r = {0};
    app_case_counts(c->app, &c->actor, api_arg(c, "office"), &r);
    api_respond(c, &r);
}

static int start_case_create(api_call_t *c, const char *key, const char *hash, app_result_t *r,
                             void (*done)(void *arg), void *arg)
{
    return app_case_create_async(c->app, &c->actor, c->json, key, hash, r, done, arg);
}

/* Registration answers once the case is on disk, holding no thread while
 * its commit waits (api_write_later). */
static void h_case_create(api_call_t *c)
{
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    api_write_later(c, key, hash, start_case_create);
}

static void h_case_get(api_call_t *c)
{
    app_result_t r = {0};
    app_case_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_case_patch(api_call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    app_case_patch_if(c->app, &c->actor, c->param, &m, c->json, &r);
    api_respond(c, &r);
}

static void h_case_events(api_call_t *c)
{
    app_result_t r = {0};
    app_case_events(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_member_remove(api_call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    app_case_member_remove(c->app, &c->actor, c->param, &m, c->json, &r);
    api_respond(c, &r);
}

static void h_person_search(api_call_t *c)
{
    app_result_t r = {0};
    app_person_search(c->app, &c->actor, api_arg(c, "q"), api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static void h_person_get(api_call_t *c)
{
    app_result_t r = {0};
    app_person_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_person_dossier(api_call_t *c)
{
    app_result_t r = {0};
    app_person_dossier(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/cases", PERM_CASE_READ, 0, h_case_list},
    {"GET", "/api/v1/case-counts", PERM_CASE_READ, 0, h_case_counts},
    {"POST", "/api/v1/cases", PERM_CASE_CREATE, API_BODY, h_case_create},
    {"GET", "/api/v1/cases/{id}", PERM_CASE_READ, 0, h_case_get},
    {"PATCH", "/api/v1/cases/{id}", PERM_CASE_UPDATE, API_BODY, h_case_patch},
    {"GET", "/api/v1/cases/{id}/events", PERM_CASE_READ, 0, h_case_events},
    {"POST", "/api/v1/cases/{id}/member-removals", PERM_CASE_UPDATE, API_BODY, h_member_remove},
    {"GET", "/api/v1/persons", PERM_PERSON_READ, 0, h_person_search},
    {"GET", "/api/v1/persons/{id}", PERM_PERSON_READ, 0, h_person_get},
    {"GET", "/api/v1/persons/{id}/dossier", PERM_PERSON_DOSSIER, 0, h_person_dossier},
};

const api_module_t api_module_cases = API_MODULE_OF(cases, ROUTES);
