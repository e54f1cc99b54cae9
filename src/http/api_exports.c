/*
 * api_exports.c — the API module of the exports of cases, as CSV or as
 * a spreadsheet, written while they are sent (app/export.c).
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(exports) in modules.def.
 */
#include "api.h"

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

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/exports/cases.csv", PERM_EXPORT, 0, h_export_csv},
    {"GET", "/api/v1/exports/cases.xlsx", PERM_EXPORT, 0, h_export_xlsx},
};

const api_module_t api_module_exports = API_MODULE_OF(exports, ROUTES);
