/*
 * api.h — what the JSON API's modules share: the call, the route, the
 * module descriptor, and the helpers that answer.
 *
 * The API is a router (router.c: matching, 404/405, session 401,
 * permission 403, CSRF, JSON body checks, audit) and one file per module
 * (api_<module>.c) that holds its routes and handlers. A module exports one
 * descriptor, api_module_<name>, and is joined by one line in modules.def;
 * the router walks the modules in that order, so route ids (the metrics
 * labels) are dense: 0 .. api_route_count() - 1. answer.c turns application
 * results into HTTP answers (JSON, problem+json, files, streams) and puts
 * problems into the user's language.
 *
 * Handlers call app_* use cases and the api_* helpers below, never the
 * store.
 */
#ifndef AWDA_HTTP_API_H
#define AWDA_HTTP_API_H
#include "http.h"

#define API_PROBLEM_BASE   "https://awda.example/problems/"
#define API_SESSION_COOKIE "awda_session"

/* One API request on its way through a handler. */
typedef struct {
    app_t *app;
    http_server_t *srv;
    http_exchange_t *x;
    app_actor_t actor; /* the signed-in user (routes above PERM_NONE) */
    const char *param; /* the {id} segment, NUL-terminated copy */
    json_t *json;      /* parsed body, or NULL; the router frees it */
    int lang;          /* the answer's language + 1 once chosen (0: not yet) */
} api_call_t;

typedef void (*api_handler_fn)(api_call_t *c);

/* Route flags. */
enum {
    API_BODY = 1,     /* a JSON object body is required (415, 400) */
    API_MESSAGES = 2, /* a 200 answer carries "message"s to translate (readiness) */
};

typedef struct {
    const char *method;
    const char *pattern; /* "/api/v1/cases/{id}": one {id} segment at most */
    app_perm_t perm;     /* checked before the handler runs */
    int flags;           /* API_BODY | API_MESSAGES */
    api_handler_fn fn;
} api_route_t;

/* A module: its routes, in the order they are matched. */
typedef struct {
    const char *name;
    const api_route_t *routes;
    int count;
} api_module_t;

/* The descriptor of a module file: const api_module_t api_module_x =
 * API_MODULE_OF(x, ROUTES); */
#define API_MODULE_OF(name, routes)                                                                \
    {                                                                                              \
#name, routes, (int)(sizeof routes / sizeof routes[0])                                     \
    }

#define API_MODULE(name) extern const api_module_t api_module_##name;
#include "modules.def"
#undef API_MODULE

/* ---- answering (answer.c) ---- */
/* Turns r into the answer (and frees it). */
void api_respond(api_call_t *c, app_result_t *r);
/* A JSON answer; body is borrowed (NULL: no body). */
void api_set_json(http_exchange_t *x, int status, const char *ctype, json_t *body);
/* An RFC 9457 problem; errors (borrowed) may be NULL. */
void api_problem(http_exchange_t *x, int status, const char *type, const char *title,
                 const char *detail, json_t *errors);
/* Puts a problem, or the messages of an API_MESSAGES answer, into the
 * language of the answer (Content-Language). */
void api_localize(api_call_t *c);
/* Answers the result r of a use case now or, when it returned a password
 * job, once the job has run on http_work.c's work threads; answer is then
 * called as the handler would have (api_respond, or one of the handler's
 * own). A full queue answers 503 with Retry-After. */
void api_answer_later(api_call_t *c, app_hash_job_t *job, app_result_t *r,
                      void (*answer)(api_call_t *c, app_result_t *r));
/* A write that answers once it is on disk, holding no thread meanwhile:
 * fn queues the use case's job with r and (done, arg) and returns 0, or
 * returns nonzero with r answered at once (done then never called). */
typedef int (*api_write_fn)(api_call_t *c, const char *key, const char *hash, app_result_t *r,
                            void (*done)(void *arg), void *arg);
/* Runs fn once the request is suspended and answers r (api_respond) and
 * audits the call when done is called; key (NULL: none) and hash are
 * copied. Answers 503 at once when the server is stopping or out of
 * memory. */
void api_write_later(api_call_t *c, const char *key, const char *hash, api_write_fn fn);
/* Reads the Idempotency-Key and hashes the request into hash; 0 (problem
 * sent) when the key is malformed; *key is NULL without one. */
int api_idem_key(api_call_t *c, const char **key, char hash[65]);
/* Reads If-Match into m; 0, or -1 (problem sent) when it is not an
 * entity-tag list. */
int api_if_match(api_call_t *c, app_if_match_t *m);
/* A query argument, or NULL. */
const char *api_arg(api_call_t *c, const char *name);

/* ---- the router (router.c) ---- */
/* The session token from "Authorization: Bearer" or the cookie, copied
 * into buf; *cookie says which. NULL without one. */
const char *api_session_token(http_exchange_t *x, char *buf, size_t cap, int *cookie);
/* The route with id route (0 .. api_route_count() - 1), or NULL. */
const api_route_t *api_route_at(int route);
/* Called once by the router after the answer (and by answer.c for
 * deferred answers): audits the call. */
void api_audit_call(api_call_t *c);

#endif
