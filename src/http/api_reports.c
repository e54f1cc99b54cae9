/*
 * api_reports.c — the API module of what is read in aggregate: the
 * dashboard and the statistics (the exports are api_exports.c).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(reports) in modules.def.
 */
#include "api.h"

static void h_dashboard(api_call_t *c)
{
    app_result_t r = {0};
    app_dashboard(c->app, &c->actor, c->x->addr, &r);
    api_respond(c, &r);
}

static void h_statistics(api_call_t *c)
{
    app_result_t r = {0};
    app_statistics(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/dashboard", PERM_CASE_READ, 0, h_dashboard},
    {"GET", "/api/v1/statistics", PERM_STATISTICS_READ, 0, h_statistics},
};

const api_module_t api_module_reports = API_MODULE_OF(reports, ROUTES);
