/*
 * api_merges.c — the API module of the review queue (issue 13): the
 * possible duplicates waiting for a reviewer, "not the same", merge, a
 * merge read and undone.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case (app/merges.h) and answers (answer.c).
 * Joined by API_MODULE(merges) in modules.def.
 */
#include "api.h"
#include "../app/merges.h"

static void h_queue(api_call_t *c)
{
    app_result_t r = {0};
    app_dup_queue(c->app, &c->actor, api_arg(c, "status"), api_arg(c, "cursor"),
                  api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

typedef void (*decide_fn)(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                          const char *idem_key, const char *request_hash, const char *addr,
                          app_result_t *r);

static void decide(api_call_t *c, decide_fn fn)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    fn(c->app, &c->actor, c->param, c->json, key, hash, c->x->addr, &r);
    api_respond(c, &r);
}

static void h_not_same(api_call_t *c)
{
    decide(c, app_dup_not_same);
}

static void h_merge(api_call_t *c)
{
    decide(c, app_dup_merge);
}

static void h_merge_get(api_call_t *c)
{
    app_result_t r = {0};
    app_merge_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_undo(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_merge_undo(c->app, &c->actor, c->param, key, hash, c->x->addr, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/duplicates", PERM_DUPLICATE_REVIEW, 0, h_queue},
    {"POST", "/api/v1/duplicates/{pair}/not-same", PERM_DUPLICATE_REVIEW, API_BODY, h_not_same},
    {"POST", "/api/v1/duplicates/{pair}/merge", PERM_PERSON_MERGE, API_BODY, h_merge},
    {"GET", "/api/v1/merges/{id}", PERM_PERSON_MERGE, 0, h_merge_get},
    {"POST", "/api/v1/merges/{id}/undo", PERM_PERSON_MERGE, 0, h_undo},
};

const api_module_t api_module_merges = API_MODULE_OF(merges, ROUTES);
