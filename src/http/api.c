/*
 * api.c — the JSON API: route table, authentication, authorisation,
 * body parsing, and the mapping of application results to HTTP.
 *
 * A request flows:  route match (405/404) → session (401) → app_allowed
 * with the route's permission (403) → JSON body checks (415, 400) →
 * handler → app_* use case → respond(): 2xx JSON, or an RFC 9457 problem
 * with per-field errors. The route table is the single place that says
 * which permission each endpoint needs.
 */
#include "http.h"
#include "../text/messages.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/mem.h"
#include "../util/version.h"
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBLEM_BASE   "https://awda.example/problems/"
#define SESSION_COOKIE "awda_session"

typedef struct {
    app_t *app;
    http_server_t *srv;
    http_exchange_t *x;
    app_actor_t actor;
    const char *param; /* the {id} segment, NUL-terminated copy */
    json_t *json;      /* parsed body, or NULL */
    int lang;          /* the answer's language + 1 once chosen (0: not yet) */
} call_t;

typedef void (*handler_fn)(call_t *c);

typedef struct {
    const char *method;
    const char *pattern;
    app_perm_t perm;
    int body; /* 1: a JSON body is required */
    handler_fn fn;
} route_t;

static void h_health(call_t *c);
static void h_metrics(call_t *c);
static void h_login(call_t *c);
static void h_logout(call_t *c);
static void h_me(call_t *c);
static void h_me_update(call_t *c);
static void h_second_factor_begin(call_t *c);
static void h_second_factor_confirm(call_t *c);
static void h_schema(call_t *c);
static void h_case_list(call_t *c);
static void h_case_counts(call_t *c);
static void h_export_csv(call_t *c);
static void h_export_xlsx(call_t *c);
static void h_case_create(call_t *c);
static void h_case_get(call_t *c);
static void h_case_patch(call_t *c);
static void h_case_events(call_t *c);
static void h_person_search(call_t *c);
static void h_person_get(call_t *c);
static void h_person_dossier(call_t *c);
static void h_referral_list(call_t *c);
static void h_hand_over(call_t *c);
static void h_medical_summary(call_t *c);
static void h_statistics(call_t *c);
static void h_office_list(call_t *c);
static void h_office_create(call_t *c);
static void h_office_update(call_t *c);
static void h_user_list(call_t *c);
static void h_user_create(call_t *c);
static void h_user_update(call_t *c);
static void h_record_create(call_t *c);
static void h_record_list(call_t *c);
static void h_transition(call_t *c);
static void h_readiness(call_t *c);
static void h_restriction_list(call_t *c);
static void h_restriction_create(call_t *c);
static void h_restriction_get(call_t *c);
static void h_restriction_update(call_t *c);
static void h_restriction_review(call_t *c);
static void h_restriction_affected(call_t *c);
static void h_audit_list(call_t *c);
static void h_session(call_t *c);
static void h_dashboard(call_t *c);
static void h_member_remove(call_t *c);
static void h_partner_list(call_t *c);
static void h_partner_create(call_t *c);
static void h_partner_update(call_t *c);
static void h_office_staff(call_t *c);

static const route_t ROUTES[] = {
    {"GET", "/healthz", PERM_NONE, 0, h_health},
    {"GET", "/metrics", PERM_NONE, 0, h_metrics},
    {"POST", "/api/v1/session", PERM_NONE, 1, h_login},
    {"DELETE", "/api/v1/session", PERM_SESSION, 0, h_logout},
    /* Whether the caller is signed in, without a 401 (the web interface's
     * first request): the handler resolves the session itself. */
    {"GET", "/api/v1/session", PERM_NONE, 0, h_session},
    {"GET", "/api/v1/me", PERM_SESSION, 0, h_me},
    {"PATCH", "/api/v1/me", PERM_SESSION, 1, h_me_update},
    {"POST", "/api/v1/me/second-factor", PERM_SESSION, 1, h_second_factor_begin},
    {"POST", "/api/v1/me/second-factor/confirm", PERM_SESSION, 1, h_second_factor_confirm},
    {"GET", "/api/v1/schema", PERM_SESSION, 0, h_schema},
    {"GET", "/api/v1/cases", PERM_CASE_READ, 0, h_case_list},
    {"GET", "/api/v1/case-counts", PERM_CASE_READ, 0, h_case_counts},
    {"GET", "/api/v1/dashboard", PERM_CASE_READ, 0, h_dashboard},
    {"GET", "/api/v1/exports/cases.csv", PERM_EXPORT, 0, h_export_csv},
    {"GET", "/api/v1/exports/cases.xlsx", PERM_EXPORT, 0, h_export_xlsx},
    {"POST", "/api/v1/cases", PERM_CASE_CREATE, 1, h_case_create},
    {"GET", "/api/v1/cases/{id}", PERM_CASE_READ, 0, h_case_get},
    {"PATCH", "/api/v1/cases/{id}", PERM_CASE_UPDATE, 1, h_case_patch},
    {"GET", "/api/v1/cases/{id}/events", PERM_CASE_READ, 0, h_case_events},
    {"POST", "/api/v1/cases/{id}/member-removals", PERM_CASE_UPDATE, 1, h_member_remove},
    {"GET", "/api/v1/persons", PERM_PERSON_READ, 0, h_person_search},
    {"GET", "/api/v1/persons/{id}", PERM_PERSON_READ, 0, h_person_get},
    {"GET", "/api/v1/persons/{id}/dossier", PERM_PERSON_DOSSIER, 0, h_person_dossier},
    {"GET", "/api/v1/referrals", PERM_REFERRAL_READ, 0, h_referral_list},
    {"GET", "/api/v1/statistics", PERM_STATISTICS_READ, 0, h_statistics},
    {"GET", "/api/v1/offices", PERM_OFFICE_READ, 0, h_office_list},
    {"POST", "/api/v1/offices", PERM_OFFICE_MANAGE, 1, h_office_create},
    {"PATCH", "/api/v1/offices/{id}", PERM_OFFICE_MANAGE, 1, h_office_update},
    {"GET", "/api/v1/users", PERM_USER_MANAGE, 0, h_user_list},
    {"POST", "/api/v1/users", PERM_USER_MANAGE, 1, h_user_create},
    {"PATCH", "/api/v1/users/{id}", PERM_USER_MANAGE, 1, h_user_update},
    /* The journey: who records which kind and who takes which step is
     * decided per kind and per step in app/authz.c. */
    {"GET", "/api/v1/cases/{id}/records", PERM_CASE_READ, 0, h_record_list},
    {"POST", "/api/v1/cases/{id}/records", PERM_CASE_READ, 1, h_record_create},
    {"POST", "/api/v1/cases/{id}/transitions", PERM_CASE_READ, 1, h_transition},
    {"POST", "/api/v1/cases/{id}/handover", PERM_CASE_HAND_OVER, 1, h_hand_over},
    {"GET", "/api/v1/cases/{id}/medical-summary", PERM_MEDICAL_SHARE, 0, h_medical_summary},
    {"GET", "/api/v1/cases/{id}/readiness", PERM_CASE_READ, 0, h_readiness},
    {"GET", "/api/v1/restrictions", PERM_RESTRICTION_READ, 0, h_restriction_list},
    {"POST", "/api/v1/restrictions", PERM_RESTRICTION_MANAGE, 1, h_restriction_create},
    {"GET", "/api/v1/restrictions/{id}", PERM_RESTRICTION_READ, 0, h_restriction_get},
    {"PATCH", "/api/v1/restrictions/{id}", PERM_RESTRICTION_MANAGE, 1, h_restriction_update},
    {"POST", "/api/v1/restrictions/{id}/review", PERM_RESTRICTION_MANAGE, 1, h_restriction_review},
    {"GET", "/api/v1/restrictions/{id}/affected-cases", PERM_RESTRICTION_READ, 0,
     h_restriction_affected},
    {"GET", "/api/v1/audit", PERM_AUDIT_READ, 0, h_audit_list},
    {"GET", "/api/v1/partners", PERM_PARTNER_READ, 0, h_partner_list},
    {"POST", "/api/v1/partners", PERM_PARTNER_MANAGE, 1, h_partner_create},
    {"PATCH", "/api/v1/partners/{id}", PERM_PARTNER_MANAGE, 1, h_partner_update},
    /* Whom a case can be assigned to: the staff of an office the user
     * works in (app_office_staff checks the office). */
    {"GET", "/api/v1/offices/{id}/staff", PERM_CASE_READ, 0, h_office_staff},
};
#define NROUTES ((int)(sizeof ROUTES / sizeof ROUTES[0]))

const char *api_route_name(int route)
{
    return route >= 0 && route < NROUTES ? ROUTES[route].pattern : "none";
}

int api_route_count(void)
{
    return NROUTES;
}

json_t *api_routes_json(void)
{
    json_t *arr = json_array();
    for (int i = 0; i < NROUTES; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "method", ROUTES[i].method, "route",
                                             ROUTES[i].pattern, "permission",
                                             app_perm_name(ROUTES[i].perm)));
    return arr;
}

/* ---- responses ------------------------------------------------------------ */

static void set_json(http_exchange_t *x, int status, const char *ctype, json_t *body)
{
    x->status = status;
    x->ctype = ctype;
    free(x->out);
    x->out = body ? json_dumps(body, JSON_COMPACT) : NULL;
    x->out_len = x->out ? strlen(x->out) : 0;
}

/* Sends an RFC 9457 problem; errors and extra (borrowed) may be NULL;
 * extra's members are added to the problem. */
static void problem_ex(http_exchange_t *x, int status, const char *type, const char *title,
                       const char *detail, json_t *errors, json_t *extra)
{
    char t[128];
    snprintf(t, sizeof t, PROBLEM_BASE "%s", type);
    json_t *p = json_pack("{s:s,s:s,s:i}", "type", t, "title", title, "status", status);
    if (detail && *detail)
        json_object_set_new(p, "detail", json_string(detail));
    if (errors)
        json_object_set(p, "errors", errors);
    if (extra)
        json_object_update(p, extra);
    set_json(x, status, "application/problem+json", p);
    json_decref(p);
}

static void problem(http_exchange_t *x, int status, const char *type, const char *title,
                    const char *detail, json_t *errors)
{
    problem_ex(x, status, type, title, detail, errors, NULL);
}

static const struct {
    app_code_t code;
    int status;
    const char *type;
    const char *title;
} CODES[] = {
    {APP_OK, 200, NULL, NULL},
    {APP_CREATED, 201, NULL, NULL},
    {APP_NO_CONTENT, 204, NULL, NULL},
    {APP_INVALID, 422, "validation", "The request is not valid"},
    {APP_BAD_REQUEST, 400, "bad-request", "The request is not valid"},
    {APP_UNAUTHORIZED, 401, "unauthorized", "Sign-in required"},
    {APP_FORBIDDEN, 403, "forbidden", "Not allowed"},
    {APP_NOT_FOUND, 404, "not-found", "Not found"},
    {APP_CONFLICT, 409, "conflict", "Conflict"},
    {APP_STALE, 412, "precondition-failed", "Changed by someone else"},
    {APP_PRECONDITION_REQUIRED, 428, "precondition-required", "Version required"},
    {APP_TOO_MANY, 429, "too-many-requests", "Too many attempts"},
    {APP_IDEM_REUSED, 422, "idempotency-key-reused", "Idempotency key reused"},
    {APP_ERROR, 500, "internal", "Something went wrong"},
    {APP_UNAVAILABLE, 503, "unavailable", "Service unavailable"},
    {APP_UNMET, 409, "requirements-unmet", "The case is not ready for this step"},
    {APP_OTP_REQUIRED, 401, "otp-required", "A one-time code is needed"},
    {APP_NO_CONSENT, 403, "consent-required", "No consent to share"},
    {APP_TOO_LARGE, 422, "export-too-large", "The export is too large"},
};

static void respond(call_t *c, app_result_t *r)
{
    http_exchange_t *x = c->x;
    int i = 0;
    while (i < (int)(sizeof CODES / sizeof CODES[0]) - 1 && CODES[i].code != r->code)
        i++;
    if (r->replay) {
        json_t *old = json_loads(r->replay, 0, NULL);
        json_t *v = json_object_get(old, "version");
        r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
        json_decref(old);
        x->status = r->replay_status;
        x->ctype = "application/json";
        x->out = r->replay;
        x->out_len = strlen(r->replay);
        r->replay = NULL;
        http_add_header(x, "Idempotent-Replayed", "true");
    } else if (CODES[i].type) {
        problem_ex(x, CODES[i].status, CODES[i].type, r->title[0] ? r->title : CODES[i].title,
                   r->detail, r->errors, r->extra);
    } else if (r->code == APP_NO_CONTENT) {
        x->status = 204;
    } else if (r->raw || r->produce) {
        x->status = CODES[i].status;
        x->ctype = r->raw_type;
        free(x->out);
        x->out = r->raw;
        x->out_len = r->raw_len;
        r->raw = NULL;
        if (r->produce) {
            x->produce = r->produce;
            x->produce_ctx = r->produce_ctx;
            x->produce_done = r->produce_done;
            r->produce_ctx = NULL; /* http.c owns it now */
            char n[24];
            snprintf(n, sizeof n, "%lld", r->rows);
            http_add_header(x, "X-Export-Rows", n);
        }
        char disp[96];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", r->filename);
        http_add_header(x, "Content-Disposition", disp);
        char n[24];
        snprintf(n, sizeof n, "%ld", r->withheld);
        http_add_header(x, "X-Withheld-Persons", n);
    } else {
        set_json(x, CODES[i].status, "application/json", r->body);
    }
    if (r->location[0])
        http_add_header(x, "Location", r->location);
    if (r->version > 0) {
        char etag[32];
        snprintf(etag, sizeof etag, "\"%lld\"", r->version);
        http_add_header(x, "ETag", etag);
    }
    if (r->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", r->retry_after);
        http_add_header(x, "Retry-After", ra);
    }
    app_result_free(r);
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
static const char *session_token(http_exchange_t *x, char *buf, size_t cap, int *cookie)
{
    *cookie = 0;
    const char *auth = http_header(x, "Authorization");
    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        snprintf(buf, cap, "%s", auth + 7);
        return buf;
    }
    const char *value = MHD_lookup_connection_value(x->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
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

static int parse_body(call_t *c)
{
    http_exchange_t *x = c->x;
    const char *ct = http_header(x, "Content-Type");
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        problem(x, 415, "unsupported-media-type", "Unsupported media type",
                "send the body as JSON with Content-Type: application/json", NULL);
        return 0;
    }
    if (x->body_len == 0) {
        problem(x, 400, "malformed-json", "The body is not valid JSON", "the body is empty", NULL);
        return 0;
    }
    if (json_depth(x->body, x->body_len) > AWDA_JSON_MAX_DEPTH) {
        char d[96];
        snprintf(d, sizeof d, "the JSON is nested more than %d levels deep", AWDA_JSON_MAX_DEPTH);
        problem(x, 400, "malformed-json", "The body is not valid JSON", d, NULL);
        return 0;
    }
    json_error_t err;
    c->json = json_loadb(x->body, x->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!c->json) {
        char d[256];
        snprintf(d, sizeof d, "%s (line %d, column %d)", err.text, err.line, err.column);
        problem(x, 400, "malformed-json", "The body is not valid JSON", d, NULL);
        return 0;
    }
    if (!json_is_object(c->json)) {
        problem(x, 400, "malformed-json", "The body is not valid JSON",
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

/* ---- answers in the user's language (src/text/messages.c) ---------------- */

/* The signed-in user's saved language, else the best of Accept-Language,
 * else English. A saved "en" is the column's default (migration 5), the
 * same for a user who never chose, so it yields to Accept-Language (the
 * web interface sends its language there in any case). */
static awda_lang_t answer_lang(call_t *c)
{
    if (!c->lang) {
        const char *saved = c->actor.p.pk ? c->actor.p.language : "";
        int l = awda_lang_parse(saved, strlen(saved));
        if (l == AWDA_LANG_EN)
            l = -1;
        if (l < 0)
            l = awda_lang_accept(http_header(c->x, "Accept-Language"));
        c->lang = (l < 0 ? AWDA_LANG_EN : l) + 1;
    }
    return (awda_lang_t)(c->lang - 1);
}

static void translate_member(json_t *o, const char *key, awda_lang_t lang)
{
    char *t = awda_msg_translate(json_string_value(json_object_get(o, key)), lang);
    if (t)
        json_object_set_new(o, key, json_string(t));
    free(t);
}

/* Every "message" inside v (errors, requirements, warnings). */
static void translate_messages(json_t *v, awda_lang_t lang, int depth)
{
    if (depth > 8)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) translate_messages(e, lang, depth + 1);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *e;
        json_object_foreach(v, k, e)
        {
            if (strcmp(k, "message") == 0 && json_is_string(e))
                translate_member(v, k, lang);
            else
                translate_messages(e, lang, depth + 1);
        }
    }
}

/* Puts a problem (its title, detail and messages) and the requirement
 * sentences of a readiness answer into the language of the answer, and
 * says which it is (Content-Language). The handlers write English; this
 * is the one place that translates. */
static void localize(call_t *c)
{
    http_exchange_t *x = c->x;
    int problem = x->ctype && strcmp(x->ctype, "application/problem+json") == 0;
    int readiness = x->route >= 0 && x->route < NROUTES && ROUTES[x->route].fn == h_readiness &&
                    x->status == 200;
    if ((!problem && !readiness) || !x->out)
        return;
    awda_lang_t lang = answer_lang(c);
    http_add_header(x, "Content-Language", awda_lang_code(lang));
    if (lang == AWDA_LANG_EN)
        return;
    json_t *j = json_loadb(x->out, x->out_len, 0, NULL);
    if (!j)
        return;
    if (problem) {
        translate_member(j, "title", lang);
        translate_member(j, "detail", lang);
    }
    translate_messages(j, lang, 0);
    char *out = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!out)
        return;
    free(x->out);
    x->out = out;
    x->out_len = strlen(out);
}

/* Authenticates, authorises, parses the body and runs the handler. */
static void dispatch(call_t *c, const route_t *r)
{
    http_exchange_t *x = c->x;
    if (r->perm != PERM_NONE) {
        char tok[AWDA_MAX_TOKEN + 1];
        int from_cookie;
        const char *token = session_token(x, tok, sizeof tok, &from_cookie);
        if (from_cookie && strcmp(x->method, "GET") != 0 && strcmp(x->method, "HEAD") != 0 &&
            !same_origin(x)) {
            problem(x, 403, "csrf", "Request from another site",
                    "a change made with a browser session must come from awda's own pages "
                    "(the Origin header does not match)",
                    NULL);
            return;
        }
        app_code_t ac = app_authenticate(c->app, token, &c->actor);
        if (ac != APP_OK) {
            if (ac == APP_UNAVAILABLE)
                problem(x, 503, "unavailable", "Service unavailable",
                        "the database is not available", NULL);
            else
                problem(x, 401, "unauthorized", "Sign-in required",
                        token ? "your session has ended or is not valid; sign in again"
                              : "sign in first",
                        NULL);
            http_add_header(x, "WWW-Authenticate", "Bearer");
            return;
        }
        if (r->perm != PERM_SESSION && app_must_enrol(c->app, &c->actor)) {
            problem(x, 403, "second-factor-required", "Set up a second factor first",
                    "your role requires signing in with a one-time code; set up an "
                    "authenticator app (POST /api/v1/me/second-factor) before you go on",
                    NULL);
            return;
        }
        if (!app_allowed(&c->actor, r->perm)) {
            char d[160];
            snprintf(d, sizeof d, "your role does not allow this (%s)", app_perm_name(r->perm));
            problem(x, 403, "forbidden", "Not allowed", d, NULL);
            return;
        }
    }
    if (r->body && !parse_body(c))
        return;
    r->fn(c);
}

/* Every API request is audited, refusals included; a sign-in records the
 * name that was tried. */
static void audit_call(call_t *c)
{
    const char *pattern = ROUTES[c->x->route].pattern;
    if (strncmp(pattern, "/api/", 5) == 0)
        app_audit(c->app, c->actor.p.pk ? &c->actor : NULL,
                  json_string_value(json_object_get(c->json, "username")), c->x->addr, c->x->method,
                  pattern, strchr(pattern, '{') ? c->param : NULL, c->x->status);
}

/* ---- password work off the request threads ------------------------------- */

/* A call whose use case hashes a password (app.h, password work): the
 * hash runs on http.c's work threads, then the call is answered and
 * audited as if the handler had done it. */
typedef struct {
    call_t c;
    char param[AWDA_MAX_SHORT + 8];
    app_hash_job_t *job;
    void (*answer)(call_t *c, app_result_t *r); /* the handler's answer */
} pending_t;

static void pending_run(void *p)
{
    app_hash_job_run(((pending_t *)p)->job);
}

static void pending_finish(void *p, http_exchange_t *x)
{
    pending_t *pd = p;
    app_result_t r = {0};
    pd->c.x = x;
    pd->c.param = pd->param;
    app_hash_job_finish(pd->job, &r);
    pd->answer(&pd->c, &r);
    audit_call(&pd->c);
    localize(&pd->c);
    json_decref(pd->c.json);
    free(pd);
}

static const http_work_t PENDING = {pending_run, pending_finish};

/* Answers the use case's result r now or, when it returned a job, once the
 * job has run; a full queue answers 503 with Retry-After. */
static void answer_later(call_t *c, app_hash_job_t *job, app_result_t *r,
                         void (*answer)(call_t *c, app_result_t *r))
{
    pending_t *pd = job ? awda_calloc(1, sizeof *pd) : NULL;
    answer_lang(c); /* the finish may not read the request's headers */
    if (pd) {
        pd->c = *c;
        snprintf(pd->param, sizeof pd->param, "%s", c->param ? c->param : "");
        pd->c.json = json_incref(c->json);
        pd->job = job;
        pd->answer = answer;
        if (http_defer(c->srv, c->x, &PENDING, pd) == 0)
            return;
        json_decref(pd->c.json);
        free(pd);
    }
    if (job)
        app_hash_job_finish(job, r); /* never run: 503 */
    answer(c, r);
}

void api_handle(app_t *app, http_server_t *srv, http_exchange_t *x)
{
    call_t c;
    memset(&c, 0, sizeof c);
    c.app = app;
    c.srv = srv;
    c.x = x;
    char param[AWDA_MAX_SHORT + 8];
    security_headers(x);
    int path_hit = 0;
    char allow[128] = "";
    for (int i = 0; i < NROUTES; i++) {
        if (!match(ROUTES[i].pattern, x->path, param, sizeof param))
            continue;
        path_hit = 1;
        if (strcmp(ROUTES[i].method, x->method) != 0) {
            size_t n = strlen(allow);
            snprintf(allow + n, sizeof allow - n, "%s%s", n ? ", " : "", ROUTES[i].method);
            continue;
        }
        x->route = i;
        c.param = param;
        /* The reads of a GET (the session too) share one read transaction. */
        store_conn_t *rd = strcmp(x->method, "GET") == 0 && ROUTES[i].perm != PERM_NONE
                               ? store_reader(app_store(app))
                               : NULL;
        if (rd && store_read_begin(rd) != STORE_OK)
            rd = NULL;
        dispatch(&c, &ROUTES[i]);
        if (rd)
            store_read_end(rd);
        if (!x->job) { /* else audited and localised when the deferred work answers */
            audit_call(&c);
            localize(&c);
        }
        json_decref(c.json);
        return;
    }
    if (path_hit) {
        http_add_header(x, "Allow", allow);
        problem(x, 405, "method-not-allowed", "Method not allowed",
                "this address does not accept this method", NULL);
        localize(&c);
        return;
    }
    /* Everything else a browser asks for is the web interface (static.c). */
    if (strncmp(x->path, "/api/", 5) != 0 && static_handle(http_web_root(srv), x))
        return;
    problem(x, 404, "not-found", "Not found", "there is nothing at this address", NULL);
    localize(&c);
}

/* ---- request helpers ---------------------------------------------------- */

/* Reads the Idempotency-Key; 0 and a problem when it is malformed. */
static int idem_key(call_t *c, const char **key, char hash[65])
{
    hash[0] = '\0'; /* no key: an empty hash, never stack garbage */
    *key = http_header(c->x, "Idempotency-Key");
    if (!*key)
        return 1;
    size_t n = strlen(*key);
    int ok = n >= 1 && n <= AWDA_MAX_IDEMPOTENCY_KEY;
    for (size_t i = 0; ok && i < n; i++)
        ok = (*key)[i] > 0x20 && (*key)[i] < 0x7f;
    if (!ok) {
        json_t *e = json_array();
        json_array_append_new(e,
                              json_pack("{s:s,s:s}", "field", "Idempotency-Key", "message",
                                        "the Idempotency-Key must be 1 to 128 visible characters"));
        problem(c->x, 400, "bad-request", "The request is not valid",
                "the Idempotency-Key header is not valid", e);
        json_decref(e);
        return 0;
    }
    buf_t b;
    buf_init(&b, AWDA_MAX_BODY_CEILING + 4096);
    buf_printf(&b, "%s %s\n", c->x->method, c->x->path);
    buf_append(&b, c->x->body, c->x->body_len);
    awda_hash_hex(b.data, b.len, hash);
    buf_free(&b);
    return 1;
}

/* Reads If-Match into m (absent: m->present is 0). Returns 0, or -1 when
 * the header is not an entity-tag list (problem sent). */
static int if_match(call_t *c, app_if_match_t *m)
{
    const char *h = http_header(c->x, "If-Match");
    memset(m, 0, sizeof *m);
    if (!h || http_if_match_parse(h, m) == 0)
        return 0;
    json_t *e = json_array();
    json_array_append_new(e, json_pack("{s:s,s:s}", "field", "If-Match", "message",
                                       "If-Match must carry the ETag of the case, e.g. "
                                       "\"3\" (or *, or a list of entity-tags)"));
    problem(c->x, 400, "bad-request", "The request is not valid",
            "the If-Match header is not an entity-tag list", e);
    json_decref(e);
    return -1;
}

static const char *arg(call_t *c, const char *name)
{
    return http_arg(c->x, name);
}

/* ---- handlers ------------------------------------------------------------ */

static void h_health(call_t *c)
{
    store_conn_t *conn = store_reader(app_store(c->app));
    int ok = conn && store_ping(conn) == STORE_OK;
    json_t *b = json_pack("{s:s,s:s,s:s}", "status", ok ? "ok" : "degraded", "version",
                          AWDA_VERSION, "database", ok ? "ok" : "unreachable");
    set_json(c->x, ok ? 200 : 503, "application/json", b);
    json_decref(b);
}

static void h_metrics(call_t *c)
{
    if (!http_metrics_allowed(c->srv, c->x)) {
        problem(c->x, 403, "forbidden", "Not allowed",
                "the metrics are served only to this machine or with the metrics token "
                "(setting metrics_access)",
                NULL);
        return;
    }
    size_t len = 0;
    char *base = metrics_render(&len);
    int waiting = 0;
    unsigned long long refused = 0;
    http_work_counts(c->srv, &waiting, &refused);
    buf_t b;
    buf_init(&b, len + 4096);
    buf_append(&b, base ? base : "", len);
    free(base);
    buf_printf(&b,
               "# HELP awda_password_checks_total Passwords checked (sign-ins, re-typed).\n"
               "# TYPE awda_password_checks_total counter\n"
               "awda_password_checks_total %llu\n"
               "# HELP awda_work_waiting Password hashes waiting for a hashing thread.\n"
               "# TYPE awda_work_waiting gauge\n"
               "awda_work_waiting %d\n"
               "# HELP awda_work_refused_total Requests answered 503 for a full hashing queue.\n"
               "# TYPE awda_work_refused_total counter\n"
               "awda_work_refused_total %llu\n"
               "# HELP awda_sign_in_counters Counters of failed sign-ins held (of %d at most).\n"
               "# TYPE awda_sign_in_counters gauge\n"
               "awda_sign_in_counters %zu\n",
               app_password_checks(c->app), waiting, refused, AWDA_THROTTLE_MAX_ENTRIES,
               app_throttle_entries(c->app));
    c->x->status = 200;
    c->x->ctype = "text/plain; version=0.0.4";
    c->x->out_len = b.len;
    c->x->out = buf_take(&b);
}

/* The session cookie: Secure when the server is reached over HTTPS
 * (setting public_url). */
static void login_answer(call_t *c, app_result_t *r)
{
    if (r->code == APP_CREATED) {
        char cookie[220];
        snprintf(cookie, sizeof cookie,
                 SESSION_COOKIE "=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%d%s",
                 json_string_value(json_object_get(r->body, "token")), 12 * 3600,
                 http_cookie_secure(c->srv) ? "; Secure" : "");
        http_add_header(c->x, "Set-Cookie", cookie);
    }
    respond(c, r);
}

static void h_login(call_t *c)
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
        problem(c->x, 422, "validation", "The sign-in is not valid", "1 field needs attention", e);
        json_decref(e);
        return;
    }
    app_hash_job_t *job = app_login_job(c->app, json_string_value(u), json_string_value(p),
                                        json_string_value(o), c->x->addr, &r);
    answer_later(c, job, &r, login_answer);
}

static void h_logout(call_t *c)
{
    app_result_t r = {0};
    app_logout(c->app, &c->actor, &r);
    char cookie[160];
    snprintf(cookie, sizeof cookie,
             SESSION_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
             http_cookie_secure(c->srv) ? "; Secure" : "");
    http_add_header(c->x, "Set-Cookie", cookie);
    respond(c, &r);
}

static void h_me(call_t *c)
{
    app_result_t r = {0};
    app_me(c->app, &c->actor, &r);
    respond(c, &r);
}

static void h_me_update(call_t *c)
{
    app_result_t r = {0};
    app_me_update(c->app, &c->actor, c->json, &r);
    respond(c, &r);
}

static void h_second_factor_begin(call_t *c)
{
    app_result_t r = {0};
    app_hash_job_t *job = app_second_factor_begin_job(c->app, &c->actor, c->json, &r);
    answer_later(c, job, &r, respond);
}

static void h_second_factor_confirm(call_t *c)
{
    app_result_t r = {0};
    app_second_factor_confirm(c->app, &c->actor, c->json, &r);
    respond(c, &r);
}

static void h_schema(call_t *c)
{
    app_result_t r = {0};
    app_schema(c->app, &c->actor, &r);
    /* The web interface draws its record and restriction forms from these
     * tables too: {"records": {kind: [fields]}, "recordable": [the kinds
     * this user may record], "restriction": [fields]}. */
    if (r.code == APP_OK && json_is_object(r.body)) {
        json_t *kinds = json_object(), *mine = json_array();
        for (size_t i = 0; i < awda_record_kind_count(); i++) {
            const awda_entity_t *k = awda_record_kind_at(i);
            awda_rec_perm_t perm;
            json_object_set_new(kinds, k->name, awda_entity_describe(k));
            if (awda_record_kind(k->name, &perm) && app_may_record(&c->actor, perm))
                json_array_append_new(mine, json_string(k->name));
        }
        app_schema_configured(c->app, kinds);
        json_object_set_new(r.body, "records", kinds);
        json_object_set_new(r.body, "recordable", mine);
        json_object_set_new(r.body, "restriction", awda_entity_describe(&AWDA_RESTRICTION));
    }
    respond(c, &r);
}

static void h_case_list(call_t *c)
{
    app_result_t r = {0};
    app_case_query_t q = {arg(c, "stage"),    arg(c, "office"), arg(c, "nationality"),
                          arg(c, "q"),        arg(c, "cursor"), arg(c, "limit"),
                          arg(c, "assigned"), arg(c, "waiting")};
    app_case_list(c->app, &c->actor, &q, &r);
    respond(c, &r);
}

static void export(call_t *c, int xlsx)
{
    app_result_t r = {0};
    app_export_query_t q = {arg(c, "stage"),
                            arg(c, "office"),
                            arg(c, "names"),
                            arg(c, "recipient"),
                            xlsx,
                            arg(c, "registered_from"),
                            arg(c, "registered_to")};
    app_export_cases(c->app, &c->actor, &q, &r);
    respond(c, &r);
}

static void h_export_csv(call_t *c)
{
    export(c, 0);
}

static void h_export_xlsx(call_t *c)
{
    export(c, 1);
}

static void h_case_counts(call_t *c)
{
    app_result_t r = {0};
    app_case_counts(c->app, &c->actor, arg(c, "office"), &r);
    respond(c, &r);
}

static void h_case_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_case_create(c->app, &c->actor, c->json, key, hash, &r);
    respond(c, &r);
}

static void h_case_get(call_t *c)
{
    app_result_t r = {0};
    app_case_get(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_case_patch(call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (if_match(c, &m) != 0)
        return;
    app_case_patch_if(c->app, &c->actor, c->param, &m, c->json, &r);
    respond(c, &r);
}

static void h_case_events(call_t *c)
{
    app_result_t r = {0};
    app_case_events(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_person_search(call_t *c)
{
    app_result_t r = {0};
    app_person_search(c->app, &c->actor, arg(c, "q"), arg(c, "limit"), &r);
    respond(c, &r);
}

static void h_medical_summary(call_t *c)
{
    app_result_t r = {0};
    app_medical_summary(c->app, &c->actor, c->param, arg(c, "recipient"), &r);
    respond(c, &r);
}

static void h_hand_over(call_t *c)
{
    app_result_t r = {0};
    app_case_hand_over(c->app, &c->actor, c->param, c->json, &r);
    respond(c, &r);
}

static void h_referral_list(call_t *c)
{
    app_result_t r = {0};
    app_referral_list(c->app, &c->actor, http_arg(c->x, "cursor"), http_arg(c->x, "limit"), &r);
    respond(c, &r);
}

static void h_statistics(call_t *c)
{
    app_result_t r = {0};
    app_statistics(c->app, &c->actor, &r);
    respond(c, &r);
}

static void h_person_dossier(call_t *c)
{
    app_result_t r = {0};
    app_person_dossier(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_person_get(call_t *c)
{
    app_result_t r = {0};
    app_person_get(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_office_list(call_t *c)
{
    app_result_t r = {0};
    app_office_list(c->app, &c->actor, &r);
    respond(c, &r);
}

static void h_office_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_office_create(c->app, &c->actor, c->json, key, hash, &r);
    respond(c, &r);
}

static void h_office_update(call_t *c)
{
    app_result_t r = {0};
    app_office_update(c->app, &c->actor, c->param, c->json, &r);
    respond(c, &r);
}

static void h_user_list(call_t *c)
{
    app_result_t r = {0};
    app_user_list(c->app, &c->actor, &r);
    respond(c, &r);
}

static void h_user_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_hash_job_t *job = app_user_create_job(c->app, &c->actor, c->json, key, hash, &r);
    answer_later(c, job, &r, respond);
}

static void h_user_update(call_t *c)
{
    app_result_t r = {0};
    app_hash_job_t *job = app_user_update_job(c->app, &c->actor, c->param, c->json, &r);
    answer_later(c, job, &r, respond);
}

static void h_record_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_record_create(c->app, &c->actor, c->param, c->json, key, hash, &r);
    respond(c, &r);
}

static void h_record_list(call_t *c)
{
    app_result_t r = {0};
    app_record_list(c->app, &c->actor, c->param, arg(c, "kind"), &r);
    respond(c, &r);
}

static void h_transition(call_t *c)
{
    app_result_t r = {0};
    app_case_transition(c->app, &c->actor, c->param, c->json, &r);
    respond(c, &r);
}

static void h_readiness(call_t *c)
{
    app_result_t r = {0};
    app_case_readiness(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_restriction_list(call_t *c)
{
    app_result_t r = {0};
    app_restriction_list(c->app, &c->actor, arg(c, "review_overdue"), &r);
    respond(c, &r);
}

static void h_restriction_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_restriction_create(c->app, &c->actor, c->json, key, hash, &r);
    respond(c, &r);
}

static void h_restriction_get(call_t *c)
{
    app_result_t r = {0};
    app_restriction_get(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_restriction_update(call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (if_match(c, &m) != 0)
        return;
    app_restriction_update_if(c->app, &c->actor, c->param, &m, c->json, "updated", &r);
    respond(c, &r);
}

static void h_restriction_review(call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (if_match(c, &m) != 0)
        return;
    app_restriction_update_if(c->app, &c->actor, c->param, &m, c->json, "reviewed", &r);
    respond(c, &r);
}

static void h_restriction_affected(call_t *c)
{
    app_result_t r = {0};
    app_restriction_affected(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}

static void h_audit_list(call_t *c)
{
    app_result_t r = {0};
    app_audit_list(c->app, &c->actor, arg(c, "case") ? arg(c, "case") : arg(c, "entity"),
                   arg(c, "user"), arg(c, "cursor"), arg(c, "limit"), &r);
    respond(c, &r);
}

/* GET /api/v1/session: 200 {"signed_in": false} without a valid session
 * (a stale cookie is cleared), else {"signed_in": true, "user": what GET
 * /me says}. A browser logs every 401 as an error; this probe lets the
 * interface start without one. */
static void h_session(call_t *c)
{
    char tok[AWDA_MAX_TOKEN + 1];
    int from_cookie;
    const char *token = session_token(c->x, tok, sizeof tok, &from_cookie);
    app_code_t ac = token ? app_authenticate(c->app, token, &c->actor) : APP_UNAUTHORIZED;
    if (ac != APP_OK)
        memset(&c->actor, 0, sizeof c->actor);
    if (ac == APP_UNAVAILABLE) {
        problem(c->x, 503, "unavailable", "Service unavailable", "the database is not available",
                NULL);
        return;
    }
    app_result_t r = {0};
    if (ac == APP_OK) {
        app_me(c->app, &c->actor, &r);
        if (r.code == APP_OK) {
            json_t *user = r.body;
            r.body = json_pack("{s:b,s:o}", "signed_in", 1, "user", user);
            respond(c, &r);
            return;
        }
        app_result_free(&r);
        memset(&c->actor, 0, sizeof c->actor);
    }
    if (token && from_cookie) {
        char cookie[160];
        snprintf(cookie, sizeof cookie,
                 SESSION_COOKIE "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
                 http_cookie_secure(c->srv) ? "; Secure" : "");
        http_add_header(c->x, "Set-Cookie", cookie);
    }
    r.code = APP_OK;
    r.body = json_pack("{s:b}", "signed_in", 0);
    respond(c, &r);
}

static void h_dashboard(call_t *c)
{
    app_result_t r = {0};
    app_dashboard(c->app, &c->actor, c->x->addr, &r);
    respond(c, &r);
}

static void h_member_remove(call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (if_match(c, &m) != 0)
        return;
    app_case_member_remove(c->app, &c->actor, c->param, &m, c->json, &r);
    respond(c, &r);
}

static void h_partner_list(call_t *c)
{
    app_result_t r = {0};
    app_partner_list(c->app, &c->actor, &r);
    respond(c, &r);
}

static void h_partner_create(call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!idem_key(c, &key, hash))
        return;
    app_partner_create(c->app, &c->actor, c->json, key, hash, &r);
    respond(c, &r);
}

static void h_partner_update(call_t *c)
{
    app_result_t r = {0};
    app_partner_update(c->app, &c->actor, c->param, c->json, &r);
    respond(c, &r);
}

static void h_office_staff(call_t *c)
{
    app_result_t r = {0};
    app_office_staff(c->app, &c->actor, c->param, &r);
    respond(c, &r);
}
