/*
 * api_plans.c — the API module of reintegration plans: needs assessments
 * of a case, plans (create, read, approve, close) and their items, the
 * plans overdue, the plan item types (in the user's language; added by an
 * administrator), and partners' kinds, services and places.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case (app/plans.h) and answers (answer.c).
 * Joined by API_MODULE(plans) in modules.def.
 */
#include "api.h"
#include "../app/plans.h"
#include "../text/messages.h"
#include <string.h>

static void h_needs_list(api_call_t *c)
{
    app_result_t r = {0};
    app_needs_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_needs_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_needs_create(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_case_plans(api_call_t *c)
{
    app_result_t r = {0};
    app_plans_of_case(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_plan_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_get(api_call_t *c)
{
    app_result_t r = {0};
    app_plan_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_item_add(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_plan_item_add(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

/* The changes that name the version they were based on (If-Match). */
typedef void (*conditional_fn)(app_t *app, const app_actor_t *a, const char *id,
                               const app_if_match_t *m, const json_t *body, app_result_t *r);

static void conditional(api_call_t *c, conditional_fn fn)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    fn(c->app, &c->actor, c->param, &m, c->json, &r);
    api_respond(c, &r);
}

static void h_approve(api_call_t *c)
{
    conditional(c, app_plan_approve);
}
static void h_close(api_call_t *c)
{
    conditional(c, app_plan_close);
}
static void h_item_patch(api_call_t *c)
{
    conditional(c, app_plan_item_patch);
}

static void h_overdue(api_call_t *c)
{
    app_result_t r = {0};
    app_plans_overdue(c->app, &c->actor, &r);
    api_respond(c, &r);
}

/* The language of the names: ?lang=, else the user's saved language, else
 * Accept-Language, else English. */
static const char *names_lang(api_call_t *c)
{
    const char *q = api_arg(c, "lang");
    int l = q ? awda_lang_parse(q, strlen(q)) : -1;
    if (l < 0 && c->actor.p.pk) {
        const char *saved = c->actor.p.language;
        l = awda_lang_parse(saved, strlen(saved));
        if (l == AWDA_LANG_EN)
            l = -1; /* the column's default yields to the browser */
    }
    if (l < 0)
        l = awda_lang_accept(http_header(c->x, "Accept-Language"));
    return awda_lang_code(l < 0 ? AWDA_LANG_EN : (awda_lang_t)l);
}

static void h_types(api_call_t *c)
{
    app_result_t r = {0};
    app_item_types(c->app, &c->actor, names_lang(c), &r);
    api_respond(c, &r);
}

static void h_type_create(api_call_t *c)
{
    app_result_t r = {0};
    app_item_type_create(c->app, &c->actor, c->json, &r);
    api_respond(c, &r);
}

static void h_services_get(api_call_t *c)
{
    app_result_t r = {0};
    app_partner_services_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_services_put(api_call_t *c)
{
    app_result_t r = {0};
    app_partner_services_set(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/cases/{id}/needs-assessments", PERM_PLAN_READ, 0, h_needs_list},
    {"POST", "/api/v1/cases/{id}/needs-assessments", PERM_PLAN_MANAGE, API_BODY, h_needs_create},
    {"GET", "/api/v1/cases/{id}/plans", PERM_PLAN_READ, 0, h_case_plans},
    {"POST", "/api/v1/plans", PERM_PLAN_MANAGE, API_BODY, h_create},
    {"GET", "/api/v1/plans/{id}", PERM_PLAN_READ, 0, h_get},
    {"POST", "/api/v1/plans/{id}/items", PERM_PLAN_MANAGE, API_BODY, h_item_add},
    {"POST", "/api/v1/plans/{id}/approve", PERM_PLAN_APPROVE, 0, h_approve},
    {"POST", "/api/v1/plans/{id}/close", PERM_PLAN_MANAGE, API_BODY, h_close},
    {"PATCH", "/api/v1/plan-items/{id}", PERM_PLAN_MANAGE, API_BODY, h_item_patch},
    {"GET", "/api/v1/plan-item-types", PERM_PLAN_READ, 0, h_types},
    {"POST", "/api/v1/plan-item-types", PERM_PARTNER_MANAGE, API_BODY, h_type_create},
    {"GET", "/api/v1/reintegration/overdue", PERM_PLAN_READ, 0, h_overdue},
    {"GET", "/api/v1/partners/{id}/services", PERM_PARTNER_READ, 0, h_services_get},
    {"PUT", "/api/v1/partners/{id}/services", PERM_PARTNER_MANAGE, API_BODY, h_services_put},
};

const api_module_t api_module_plans = API_MODULE_OF(plans, ROUTES);
