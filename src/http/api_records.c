/*
 * api_records.c — the API module of the records of a case: counselling,
 * consent, assessments, documents, referrals… one kind each (core/records.c),
 * listed and recorded.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(records) in modules.def.
 */
#include "api.h"

static void h_record_list(api_call_t *c)
{
    app_result_t r = {0};
    app_record_list(c->app, &c->actor, c->param, api_arg(c, "kind"), &r);
    api_respond(c, &r);
}

static void h_record_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_record_create(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    /* Who records which kind is decided per kind in app/authz.c. */
    {"GET", "/api/v1/cases/{id}/records", PERM_CASE_READ, 0, h_record_list},
    {"POST", "/api/v1/cases/{id}/records", PERM_CASE_READ, API_BODY, h_record_create},
};

const api_module_t api_module_records = API_MODULE_OF(records, ROUTES);
