/*
 * router.c — the JSON API's router: the registry of modules, route
 * matching, authentication, authorisation and body checks.
 *
 * A request flows:  route match (405/404) → session (401) → app_allowed
 * with the route's permission (403) → JSON body checks (415, 400) →
 * handler (api_<module>.c) → app_* use case → api_respond (answer.c):
 * 2xx JSON, or an RFC 9457 problem with per-field errors. Each module's
 * route table says which permission each of its endpoints needs; the
 * modules are those of modules.def, walked in its order, and a route's id
 * (for metrics) is its place in that walk.
 */
#include "api.h"
#include "../util/id.h"
#include "../util/limits.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the registry ---------------------------------------------------------- */

static const api_module_t *const MODULES[] = {
#define API_MODULE(name) &api_module_##name,
#include "modules.def"
#undef API_MODULE
};
#define NMODULES ((int)(sizeof MODULES / sizeof MODULES[0]))

int api_route_count(void)
{
    int n = 0;
    for (int m = 0; m < NMODULES; m++)
        n += MODULES[m]->count;
    return n;
}

const api_route_t *api_route_at(int route)
{
    if (route < 0)
        return NULL;
    for (int m = 0; m < NMODULES; m++) {
        if (route < MODULES[m]->count)
            return &MODULES[m]->routes[route];
        route -= MODULES[m]->count;
    }
    return NULL;
}

const char *api_route_name(int route)
{
    const api_route_t *r = api_route_at(route);
    return r ? r->pattern : "none";
}

json_t *api_routes_json(void)
{
    json_t *arr = json_array();
    for (int m = 0; m < NMODULES; m++)
        for (int i = 0; i < MODULES[m]->count; i++) {
            const api_route_t *r = &MODULES[m]->routes[i];
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "method", r->method, "route",
                                                 r->pattern, "permission", app_perm_name(r->perm),
                                                 "module", MODULES[m]->name));
        }
    return arr;
}

/* ---- routing ------------------------------------------------------------- */

/* Matches path against pattern; a {id} segment captures into param. */
static int match(const char *pattern, const char *path, char *param, size_t cap)
{
    const char *p = pattern, *s = path;
    while (*p && *s) {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *se = strchr(s, '/');
            size_t n = se ? (size_t)(se - s) : strlen(s);
            if (!pe || n == 0 || n >= cap)
                return 0;
            memcpy(param, s, n);
            param[n] = '\0';
            /* Ids are stored in lower case; accept either from clients. */
            if (awda_uuid_valid(param, n))
                for (size_t k = 0; k < n; k++)
                    if (param[k] >= 'A' && param[k] <= 'F')
                        param[k] = (char)(param[k] + 32);
            p = pe + 1;
            s += n;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
    return *p == '\0' && *s == '\0';
}

/* The session token from "Authorization: Bearer" or the cookie; *cookie
 * says which (a cookie comes with every request the browser makes, so
 * only cookie sessions need the cross-site check). */
const char *api_session_token(http_exchange_t *x, char *buf, size_t cap, int *cookie)
{
    *cookie = 0;
    const char *auth = http_header(x, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        snprintf(buf, cap, "%s", auth + 7);
        return buf;
    }
    const char *value = MHD_lookup_connection_value(x->conn, MHD_COOKIE_KIND, API_SESSION_COOKIE);
    if (value) {
        *cookie = 1;
        snprintf(buf, cap, "%s", value);
        return buf;
    }
    return NULL;
}

/* CSRF: a request that changes something with a cookie session must come
 * from our own pages: its Origin (sent by every current browser on POST,
 * PATCH and DELETE) must name the host it was sent to. SameSite=Strict on
 * the cookie is the first line; this is the second. */
static int same_origin(http_exchange_t *x)
{
    const char *origin = http_header(x, "Origin");
    const char *host = http_header(x, "Host");
    if (!origin || !host)
        return 0;
    const char *o = strstr(origin, "://");
    return o && strcmp(o + 3, host) == 0;
}

/* Depth of the deepest nesting in a JSON text, scanning bytes only. */
static int json_depth(const char *s, size_t n)
{
    int depth = 0, max = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = 0;
        } else if (ch == '"') {
            in_str = 1;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max)
                max = depth;
        } else if (ch == ']' || ch == '}') {
            depth--;
        }
    }
    return max;
}

static int parse_body(api_call_t *c)
{
    http_exchange_t *x = c->x;
    const char *ct = http_header(x, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        api_problem(x, 415, "unsupported-media-type", "Unsupported media type",
                    "send the body as JSON with Content-Type: application/json", NULL);
        return 0;
    }
    if (x->body_len == 0) {
        api_problem(x, 400, "malformed-json", "The body is not valid JSON", "the body is empty",
                    NULL);
        return 0;
    }
    if (json_depth(x->body, x->body_len) > AWDA_JSON_MAX_DEPTH) {
        char d[96];
        snprintf(d, sizeof d, "the JSON is nested more than %d levels deep", AWDA_JSON_MAX_DEPTH);
        api_problem(x, 400, "malformed-json", "The body is not valid JSON", d, NULL);
        return 0;
    }
    json_error_t err;
    c->json = json_loadb(x->body, x->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!c->json) {
        char d[256];
        snprintf(d, sizeof d, "%s (line %d, column %d)", err.text, err.line, err.column);
        api_problem(x, 400, "malformed-json", "The body is not valid JSON", d, NULL);
        return 0;
    }
    if (!json_is_object(c->json)) {
        api_problem(x, 400, "malformed-json", "The body is not valid JSON",
                    "the body must be a JSON object", NULL);
        return 0;
    }
    return 1;
}

static void security_headers(http_exchange_t *x)
{
    http_add_header(x, "X-Content-Type-Options", "nosniff");
    http_add_header(x, "Cache-Control", "no-store");
    http_add_header(x, "Referrer-Policy", "no-referrer");
    http_add_header(x, "Content-Security-Policy",
                    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
    http_add_header(x, "X-Frame-Options", "DENY");
}

/* Authenticates, authorises, parses the body and runs the handler. */
static void dispatch(api_call_t *c, const api_route_t *r)
{
    http_exchange_t *x = c->x;
    if (r->perm != PERM_NONE) {
        char tok[AWDA_MAX_TOKEN + 1];
        int from_cookie;
        const char *token = api_session_token(x, tok, sizeof tok, &from_cookie);
        if (from_cookie && strcmp(x->method, "GET") != 0 && strcmp(x->method, "HEAD") != 0 &&
            !same_origin(x)) {
            api_problem(x, 403, "csrf", "Request from another site",
                        "a change made with a browser session must come from awda's own pages "
                        "(the Origin header does not match)",
                        NULL);
            return;
        }
        app_code_t ac = app_authenticate(c->app, token, &c->actor);
        if (ac != APP_OK) {
            if (ac == APP_UNAVAILABLE)
                api_problem(x, 503, "unavailable", "Service unavailable",
                            "the database is not available", NULL);
            else
                api_problem(x, 401, "unauthorized", "Sign-in required",
                            token ? "your session has ended or is not valid; sign in again"
                                  : "sign in first",
                            NULL);
            http_add_header(x, "WWW-Authenticate", "Bearer");
            return;
        }
        if (r->perm != PERM_SESSION && app_must_enrol(c->app, &c->actor)) {
            api_problem(x, 403, "second-factor-required", "Set up a second factor first",
                        "your role requires signing in with a one-time code; set up an "
                        "authenticator app (POST /api/v1/me/second-factor) before you go on",
                        NULL);
            return;
        }
        if (!app_allowed(&c->actor, r->perm)) {
            char d[160];
            snprintf(d, sizeof d, "your role does not allow this (%s)", app_perm_name(r->perm));
            api_problem(x, 403, "forbidden", "Not allowed", d, NULL);
            return;
        }
    }
    if ((r->flags & API_BODY) && !parse_body(c))
        return;
    r->fn(c);
}

/* Every API request is audited, refusals included; a sign-in records the
 * name that was tried. */
void api_audit_call(api_call_t *c)
{
    const char *pattern = api_route_at(c->x->route)->pattern;
    if (strncmp(pattern, "/api/", 5) == 0)
        app_audit(c->app, c->actor.p.pk ? &c->actor : NULL,
                  json_string_value(json_object_get(c->json, "username")), c->x->addr, c->x->method,
                  pattern, strchr(pattern, '{') ? c->param : NULL, c->x->status);
}

/* Runs the route r for c: the reads of a GET (the session too) share one
 * read transaction; the call is audited and its problem translated, now
 * or, for deferred work, when that answers. */
static void answer(api_call_t *c, const api_route_t *r)
{
    http_exchange_t *x = c->x;
    app_read_t *rd =
        strcmp(x->method, "GET") == 0 && r->perm != PERM_NONE ? app_read_begin(c->app) : NULL;
    dispatch(c, r);
    app_read_end(rd);
    if (!x->job) { /* else audited and localised when the deferred work answers */
        api_audit_call(c);
        api_localize(c);
    }
    json_decref(c->json);
}

void api_handle(app_t *app, http_server_t *srv, http_exchange_t *x)
{
    api_call_t c;
    memset(&c, 0, sizeof c);
    c.app = app;
    c.srv = srv;
    c.x = x;
    char param[AWDA_MAX_SHORT + 8];
    security_headers(x);
    int path_hit = 0;
    char allow[128] = "";
    int id = 0;
    for (int m = 0; m < NMODULES; m++)
        for (int i = 0; i < MODULES[m]->count; i++, id++) {
            const api_route_t *r = &MODULES[m]->routes[i];
            if (!match(r->pattern, x->path, param, sizeof param))
                continue;
            path_hit = 1;
            if (strcmp(r->method, x->method) != 0) {
                size_t n = strlen(allow);
                snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", r->method);
                continue;
            }
            x->route = id;
            c.param = param;
            answer(&c, r);
            return;
        }
    if (path_hit) {
        http_add_header(x, "Allow", allow);
        api_problem(x, 405, "method-not-allowed", "Method not allowed",
                    "this address does not accept this method", NULL);
        api_localize(&c);
        return;
    }
    /* Everything else a browser asks for is the web interface (static.c). */
    if (strncmp(x->path, "/api/", 5) != 0 && static_handle(http_web_root(srv), x))
        return;
    api_problem(x, 404, "not-found", "Not found", "there is nothing at this address", NULL);
    api_localize(&c);
}
