/*
 * api_movements.c — the API module of movements: list, create, read,
 * change, passengers (add, remove, the planning board), confirm, depart,
 * arrive, cancel. Escorts, assistance, onward transport, allowances and
 * the manifest are api_movement_care.c.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case (app/movements.h) and answers (answer.c).
 * Joined by API_MODULE(movements) in modules.def.
 */
#include "api.h"
#include "../app/movements.h"

static void h_list(api_call_t *c)
{
    app_result_t r = {0};
    app_movement_list(c->app, &c->actor, api_arg(c, "status"), api_arg(c, "office"), &r);
    api_respond(c, &r);
}

static void h_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_movement_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_get(api_call_t *c)
{
    app_result_t r = {0};
    app_movement_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_board(api_call_t *c)
{
    app_result_t r = {0};
    app_movement_board(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_add(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_movement_add(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_remove(api_call_t *c)
{
    app_result_t r = {0};
    app_movement_remove(c->app, &c->actor, c->param, c->json, &r);
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

static void h_patch(api_call_t *c)
{
    conditional(c, app_movement_patch);
}
static void h_confirm(api_call_t *c)
{
    conditional(c, app_movement_confirm);
}
static void h_depart(api_call_t *c)
{
    conditional(c, app_movement_depart);
}
static void h_arrive(api_call_t *c)
{
    conditional(c, app_movement_arrive);
}
static void h_cancel(api_call_t *c)
{
    conditional(c, app_movement_cancel);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/movements", PERM_MOVEMENT_READ, 0, h_list},
    {"POST", "/api/v1/movements", PERM_MOVEMENT_MANAGE, API_BODY, h_create},
    {"GET", "/api/v1/movements/{id}", PERM_MOVEMENT_READ, 0, h_get},
    {"PATCH", "/api/v1/movements/{id}", PERM_MOVEMENT_MANAGE, API_BODY, h_patch},
    {"POST", "/api/v1/movements/{id}/passengers", PERM_MOVEMENT_MANAGE, API_BODY | API_MESSAGES,
     h_add},
    {"POST", "/api/v1/movements/{id}/passengers/remove", PERM_MOVEMENT_MANAGE, API_BODY, h_remove},
    {"GET", "/api/v1/movements/{id}/board", PERM_MOVEMENT_READ, API_MESSAGES, h_board},
    {"POST", "/api/v1/movements/{id}/confirm", PERM_MOVEMENT_MANAGE, 0, h_confirm},
    {"POST", "/api/v1/movements/{id}/depart", PERM_MOVEMENT_MANAGE, API_BODY, h_depart},
    {"POST", "/api/v1/movements/{id}/arrive", PERM_MOVEMENT_MANAGE, API_BODY, h_arrive},
    {"POST", "/api/v1/movements/{id}/cancel", PERM_MOVEMENT_MANAGE, API_BODY, h_cancel},
};

const api_module_t api_module_movements = API_MODULE_OF(movements, ROUTES);
