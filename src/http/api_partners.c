/*
 * api_partners.c — the API module of partner organisations: the
 * organisations a case is referred to or shared with (app/partners.c).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(partners) in modules.def.
 */
#include "api.h"

static void h_partner_list(api_call_t *c)
{
    app_result_t r = {0};
    app_partner_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_partner_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_partner_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_partner_update(api_call_t *c)
{
    app_result_t r = {0};
    app_partner_update(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/partners", PERM_PARTNER_READ, 0, h_partner_list},
    {"POST", "/api/v1/partners", PERM_PARTNER_MANAGE, API_BODY, h_partner_create},
    {"PATCH", "/api/v1/partners/{id}", PERM_PARTNER_MANAGE, API_BODY, h_partner_update},
};

const api_module_t api_module_partners = API_MODULE_OF(partners, ROUTES);
