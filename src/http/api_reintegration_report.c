/*
 * api_reintegration_report.c — the API module of the reintegration report
 * of a project: GET /api/v1/projects/{id}/report?from=&to=&format=
 * (reintegration.report), as JSON, CSV or XLSX.
 *
 * Routes and handlers only: the router (router.c) has checked the session
 * and the permission, opened the read transaction of the GET and audits
 * the call; the handler calls the use case (app/reintegration_report.c)
 * and answers (answer.c). Joined by API_MODULE(reintegration_report) in
 * modules.def.
 */
#include "api.h"
#include "../app/reintegration_report.h"

static void h_report(api_call_t *c)
{
    app_result_t r = {0};
    app_rr_query_t q = {c->param, api_arg(c, "from"), api_arg(c, "to"), api_arg(c, "format")};
    app_reintegration_report(c->app, &c->actor, &q, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/projects/{id}/report", PERM_REINTEGRATION_REPORT, 0, h_report},
};

const api_module_t api_module_reintegration_report = API_MODULE_OF(reintegration_report, ROUTES);
