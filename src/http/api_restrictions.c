/*
 * api_restrictions.c — the API module of restrictions (of processing, at a
 * person's request): list, create, read, update, review, the cases they
 * touch.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(restrictions) in modules.def.
 */
#include "api.h"

static void h_restriction_list(api_call_t *c)
{
    app_result_t r = {0};
    app_restriction_list(c->app, &c->actor, api_arg(c, "review_overdue"), &r);
    api_respond(c, &r);
}

static void h_restriction_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_restriction_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_restriction_get(api_call_t *c)
{
    app_result_t r = {0};
    app_restriction_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_restriction_update(api_call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    app_restriction_update_if(c->app, &c->actor, c->param, &m, c->json, "updated", &r);
    api_respond(c, &r);
}

static void h_restriction_review(api_call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    app_restriction_update_if(c->app, &c->actor, c->param, &m, c->json, "reviewed", &r);
    api_respond(c, &r);
}

static void h_restriction_affected(api_call_t *c)
{
    app_result_t r = {0};
    app_restriction_affected(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/restrictions", PERM_RESTRICTION_READ, 0, h_restriction_list},
    {"POST", "/api/v1/restrictions", PERM_RESTRICTION_MANAGE, API_BODY, h_restriction_create},
    {"GET", "/api/v1/restrictions/{id}", PERM_RESTRICTION_READ, 0, h_restriction_get},
    {"PATCH", "/api/v1/restrictions/{id}", PERM_RESTRICTION_MANAGE, API_BODY, h_restriction_update},
    {"POST", "/api/v1/restrictions/{id}/review", PERM_RESTRICTION_MANAGE, API_BODY,
     h_restriction_review},
    {"GET", "/api/v1/restrictions/{id}/affected-cases", PERM_RESTRICTION_READ, 0,
     h_restriction_affected},
};

const api_module_t api_module_restrictions = API_MODULE_OF(restrictions, ROUTES);
