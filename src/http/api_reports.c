/*
 * api_reports.c — the API module of what is read in aggregate or taken
 * away: the dashboard, the statistics, the exports of cases.
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

static void export(api_call_t *c, int xlsx)
{
    app_result_t r = {0};
    app_export_query_t q = {api_arg(c, "stage"),
                            api_arg(c, "office"),
                            api_arg(c, "names"),
                            api_arg(c, "recipient"),
                            xlsx,
                            api_arg(c, "registered_from"),
                            api_arg(c, "registered_to")};
    app_export_cases(c->app, &c->actor, &q, &r);
    api_respond(c, &r);
}

static void h_export_csv(api_call_t *c)
{
    export(c, 0);
}

static void h_export_xlsx(api_call_t *c)
{
    export(c, 1);
}

static void h_statistics(api_call_t *c)
{
    app_result_t r = {0};
    app_statistics(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/dashboard", PERM_CASE_READ, 0, h_dashboard},
    {"GET", "/api/v1/exports/cases.csv", PERM_EXPORT, 0, h_export_csv},
    {"GET", "/api/v1/exports/cases.xlsx", PERM_EXPORT, 0, h_export_xlsx},
    {"GET", "/api/v1/statistics", PERM_STATISTICS_READ, 0, h_statistics},
};

const api_module_t api_module_reports = API_MODULE_OF(reports, ROUTES);
