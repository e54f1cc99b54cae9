/*
 * api_audit.c — the API module of the audit trail.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(audit) in modules.def.
 */
#include "api.h"

static void h_audit_list(api_call_t *c)
{
    app_result_t r = {0};
    app_audit_list(c->app, &c->actor,
                   api_arg(c, "case") ? api_arg(c, "case") : api_arg(c, "entity"),
                   api_arg(c, "user"), api_arg(c, "cursor"), api_arg(c, "limit"), &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/audit", PERM_AUDIT_READ, 0, h_audit_list},
};

const api_module_t api_module_audit = API_MODULE_OF(audit, ROUTES);
