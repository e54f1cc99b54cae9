/*
 * api_session.c — the API module of signing in and out, whether one is
 * signed in, and oneself: GET/PATCH /me, the second factor.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(session) in modules.def.
 */
#include "api.h"
#include <stdio.h>
#include <string.h>
#include "../util/limits.h"

/* The session cookie: Secure when the server is reached over HTTPS
 * (setting public_url). */
static void login_answer(api_call_t *c, app_result_t *r)
{
    if (r->code == APP_CREATED) {
        char cookie[220];
        snprintf(cookie, sizeof cookie,
                 API_SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
                 json_string_value(json_object_get(r->body, "token")), 12 * 3600,
                 http_cookie_secure(c->srv) ? "; Secure" : "");
        http_add_header(c->x, "Set-Cookie", cookie);
    }
    api_respond(c, r);
}

static void h_login(api_call_t *c)
{
    app_result_t r = {0};
    json_t *u = json_object_get(c->json, "username"), *p = json_object_get(c->json, "password");
    json_t *o = json_object_get(c->json, "otp");
    if ((u && !json_is_string(u)) || (p && !json_is_string(p)) || (o && !json_is_string(o))) {
        json_t *e = json_array();
        json_array_append_new(e, json_pack("{s:s,s:s}", "field",
                                           u && !json_is_string(u)   ? "username"
                                           : p && !json_is_string(p) ? "password"
                                                                     : "otp",
                                           "message", "must be text"));
        api_problem(c->x, 422, "validation", "The sign-in is not valid", "1 field needs attention",
                    e);
        json_decref(e);
        return;
    }
    app_hash_job_t *job = app_login_job(c->app, json_string_value(u), json_string_value(p),
                                        json_string_value(o), c->x->addr, &r);
    api_answer_later(c, job, &r, login_answer);
}

static void h_logout(api_call_t *c)
{
    app_result_t r = {0};
    app_logout(c->app, &c->actor, &r);
    char cookie[160];
    snprintf(cookie, sizeof cookie,
             API_SESSION_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             http_cookie_secure(c->srv) ? "; Secure" : "");
    http_add_header(c->x, "Set-Cookie", cookie);
    api_respond(c, &r);
}

/* The signed-in user, and what they may do: the permissions they hold,
 * the record kinds they may record and the journey events they may take
 * (the web interface asks rather than knowing the roles). GET /me, and
 * GET /session's "user". */
static void me(api_call_t *c, app_result_t *r)
{
    app_me(c->app, &c->actor, r);
    if (r->code == APP_OK && json_is_object(r->body)) {
        json_t *can = app_abilities(&c->actor);
        json_object_update(r->body, can);
        json_decref(can);
    }
}

/* GET /api/v1/session: 200 {"signed_in": false} without a valid session
 * (a stale cookie is cleared), else {"signed_in": true, "user": what GET
 * /me says}. A browser logs every 401 as an error; this probe lets the
 * interface start without one. */
static void h_session(api_call_t *c)
{
    char tok[AWDA_MAX_TOKEN + 1];
    int from_cookie;
    const char *token = api_session_token(c->x, tok, sizeof tok, &from_cookie);
    app_code_t ac = token ? app_authenticate(c->app, token, &c->actor) : APP_UNAUTHORIZED;
    if (ac != APP_OK)
        memset(&c->actor, 0, sizeof c->actor);
    if (ac == APP_UNAVAILABLE) {
        api_problem(c->x, 503, "unavailable", "Service unavailable",
                    "the database is not available", NULL);
        return;
    }
    app_result_t r = {0};
    if (ac == APP_OK) {
        me(c, &r);
        if (r.code == APP_OK) {
            json_t *user = r.body;
            r.body = json_pack("{s:b,s:o}", "signed_in", 1, "user", user);
            api_respond(c, &r);
            return;
        }
        app_result_free(&r);
        memset(&c->actor, 0, sizeof c->actor);
    }
    if (token && from_cookie) {
        char cookie[160];
        snprintf(cookie, sizeof cookie,
                 API_SESSION_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
                 http_cookie_secure(c->srv) ? "; Secure" : "");
        http_add_header(c->x, "Set-Cookie", cookie);
    }
    r.code = APP_OK;
    r.body = json_pack("{s:b}", "signed_in", 0);
    api_respond(c, &r);
}

static void h_me(api_call_t *c)
{
    app_result_t r = {0};
    me(c, &r);
    api_respond(c, &r);
}

static void h_me_update(api_call_t *c)
{
    app_result_t r = {0};
    app_me_update(c->app, &c->actor, c->json, &r);
    api_respond(c, &r);
}

static void h_second_factor_begin(api_call_t *c)
{
    app_result_t r = {0};
    app_hash_job_t *job = app_second_factor_begin_job(c->app, &c->actor, c->json, &r);
    api_answer_later(c, job, &r, api_respond);
}

static void h_second_factor_confirm(api_call_t *c)
{
    app_result_t r = {0};
    app_second_factor_confirm(c->app, &c->actor, c->json, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"POST", "/api/v1/session", PERM_NONE, API_BODY, h_login},
    {"DELETE", "/api/v1/session", PERM_SESSION, 0, h_logout},
    /* Whether the caller is signed in, without a 401 (the web interface's
     * first request): the handler resolves the session itself. */
    {"GET", "/api/v1/session", PERM_NONE, 0, h_session},
    {"GET", "/api/v1/me", PERM_SESSION, 0, h_me},
    {"PATCH", "/api/v1/me", PERM_SESSION, API_BODY, h_me_update},
    {"POST", "/api/v1/me/second-factor", PERM_SESSION, API_BODY, h_second_factor_begin},
    {"POST", "/api/v1/me/second-factor/confirm", PERM_SESSION, API_BODY, h_second_factor_confirm},
};

const api_module_t api_module_session = API_MODULE_OF(session, ROUTES);
