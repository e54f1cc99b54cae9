/*
 * api_admin.c — the API module of administration: offices (and their
 * staff) and users (partner organisations are api_partners.c).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(admin) in modules.def.
 */
#include "api.h"

static void h_office_list(api_call_t *c)
{
    app_result_t r = {0};
    app_office_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_office_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_office_create(c->app, &c->actor, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_office_update(api_call_t *c)
{
    app_result_t r = {0};
    app_office_update(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_user_list(api_call_t *c)
{
    app_result_t r = {0};
    app_user_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_user_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_hash_job_t *job = app_user_create_job(c->app, &c->actor, c->json, key, hash, &r);
    api_answer_later(c, job, &r, api_respond);
}

static void h_user_update(api_call_t *c)
{
    app_result_t r = {0};
    app_hash_job_t *job = app_user_update_job(c->app, &c->actor, c->param, c->json, &r);
    api_answer_later(c, job, &r, api_respond);
}

static void h_office_staff(api_call_t *c)
{
    app_result_t r = {0};
    app_office_staff(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/offices", PERM_OFFICE_READ, 0, h_office_list},
    {"POST", "/api/v1/offices", PERM_OFFICE_MANAGE, API_BODY, h_office_create},
    {"PATCH", "/api/v1/offices/{id}", PERM_OFFICE_MANAGE, API_BODY, h_office_update},
    {"GET", "/api/v1/users", PERM_USER_MANAGE, 0, h_user_list},
    {"POST", "/api/v1/users", PERM_USER_MANAGE, API_BODY, h_user_create},
    {"PATCH", "/api/v1/users/{id}", PERM_USER_MANAGE, API_BODY, h_user_update},
    /* Whom a case can be assigned to: the staff of an office the user
     * works in (app_office_staff checks the office). */
    {"GET", "/api/v1/offices/{id}/staff", PERM_CASE_READ, 0, h_office_staff},
};

const api_module_t api_module_admin = API_MODULE_OF(admin, ROUTES);
