/*
 * api_money.c — the API module of money: programmes, projects and their
 * budget lines, the budget view, and the append-only ledger
 * (disbursements, reversals, the ledger of a budget line and of a case).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case (app/money.h) and answers (answer.c).
 * Joined by API_MODULE(money) in modules.def.
 */
#include "api.h"
#include "../app/money.h"

static void h_programmes(api_call_t *c)
{
    app_result_t r = {0};
    app_programme_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_programme_create(api_call_t *c)
{
    app_result_t r = {0};
    app_programme_create(c->app, &c->actor, c->json, &r);
    api_respond(c, &r);
}

static void h_projects(api_call_t *c)
{
    app_result_t r = {0};
    app_project_list(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static void h_project_create(api_call_t *c)
{
    app_result_t r = {0};
    app_project_create(c->app, &c->actor, c->json, &r);
    api_respond(c, &r);
}

static void h_project(api_call_t *c)
{
    app_result_t r = {0};
    app_project_get(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_line_create(api_call_t *c)
{
    app_result_t r = {0};
    app_budget_line_create(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_budget(api_call_t *c)
{
    app_result_t r = {0};
    app_budget_view(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_line_ledger(api_call_t *c)
{
    app_result_t r = {0};
    app_ledger_of_line(c->app, &c->actor, c->param, api_arg(c, "cursor"), api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static int start_disburse(api_call_t *c, const char *key, const char *hash, app_result_t *r,
                          void (*done)(void *arg), void *arg)
{
    return app_disburse_async(c->app, &c->actor, c->param, c->json, key, hash, r, done, arg);
}

/* A payment answers once it is on disk, holding no thread while its
 * commit waits (api_write_later): many requests at once share a commit. */
static void h_disburse(api_call_t *c)
{
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    api_write_later(c, key, hash, start_disburse);
}

static void h_commit(api_call_t *c)
{
    app_result_t r = {0};
    app_ledger_commit_by_hand(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_entry(api_call_t *c)
{
    app_result_t r = {0};
    app_ledger_entry(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_reverse(api_call_t *c)
{
    app_result_t r = {0};
    app_ledger_reverse(c->app, &c->actor, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_case_ledger(api_call_t *c)
{
    app_result_t r = {0};
    app_ledger_of_case(c->app, &c->actor, c->param, api_arg(c, "cursor"), api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/programmes", PERM_PROJECT_READ, 0, h_programmes},
    {"POST", "/api/v1/programmes", PERM_PROJECT_MANAGE, API_BODY, h_programme_create},
    {"GET", "/api/v1/projects", PERM_PROJECT_READ, 0, h_projects},
    {"POST", "/api/v1/projects", PERM_PROJECT_MANAGE, API_BODY, h_project_create},
    {"GET", "/api/v1/projects/{id}", PERM_PROJECT_READ, 0, h_project},
    {"POST", "/api/v1/projects/{id}/budget-lines", PERM_PROJECT_MANAGE, API_BODY, h_line_create},
    {"GET", "/api/v1/projects/{id}/budget", PERM_LEDGER_READ, 0, h_budget},
    {"GET", "/api/v1/budget-lines/{id}/ledger", PERM_LEDGER_READ, 0, h_line_ledger},
    {"POST", "/api/v1/budget-lines/{id}/disbursements", PERM_LEDGER_WRITE, API_BODY, h_disburse},
    {"POST", "/api/v1/budget-lines/{id}/commitments", PERM_LEDGER_WRITE, API_BODY, h_commit},
    {"GET", "/api/v1/ledger/{id}", PERM_LEDGER_READ, 0, h_entry},
    {"POST", "/api/v1/ledger/{id}/reversal", PERM_LEDGER_WRITE, API_BODY, h_reverse},
    {"GET", "/api/v1/cases/{id}/ledger", PERM_LEDGER_READ, 0, h_case_ledger},
};

const api_module_t api_module_money = API_MODULE_OF(money, ROUTES);
