/*
 * api_system.c — the API module of the server's own routes: health,
 * metrics, and the field tables the web interface draws its forms from.
 *
 * Routes and handlers only: the router (router.c) has checked the
 * session, the permission and the body before a handler runs; the
 * handler calls the use case and answers (answer.c). Joined by
 * API_MODULE(system) in modules.def.
 */
#include "api.h"
#include "../util/buf.h"
#include "../util/limits.h"
#include "../util/version.h"
#include <stdlib.h>

static void h_health(api_call_t *c)
{
    int ok = app_health(c->app);
    json_t *b = json_pack("{s:s,s:s,s:s}", "status", ok ? "ok" : "degraded", "version",
                          AWDA_VERSION, "database", ok ? "ok" : "unreachable");
    api_set_json(c->x, ok ? 200 : 503, "application/json", b);
    json_decref(b);
}

static void h_metrics(api_call_t *c)
{
    if (!http_metrics_allowed(c->srv, c->x)) {
        api_problem(c->x, 403, "forbidden", "Not allowed",
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
               "awda_sign_in_counters %zu\n"
               "# HELP awda_write_batch_max Most writes one commit acknowledged together.\n"
               "# TYPE awda_write_batch_max gauge\n"
               "awda_write_batch_max %d\n",
               app_password_checks(c->app), waiting, refused, AWDA_THROTTLE_MAX_ENTRIES,
               app_throttle_entries(c->app), app_write_batch_max(c->app));
    c->x->status = 200;
    c->x->ctype = "text/plain; version=0.0.4";
    c->x->out_len = b.len;
    c->x->out = buf_take(&b);
}

/* The field tables the web interface draws its forms from (the record
 * kinds, those this user may record, the restriction's fields too). */
static void h_schema(api_call_t *c)
{
    app_result_t r = {0};
    app_form_schema(c->app, &c->actor, &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/healthz", PERM_NONE, 0, h_health},
    {"GET", "/metrics", PERM_NONE, 0, h_metrics},
    {"GET", "/api/v1/schema", PERM_SESSION, 0, h_schema},
};

const api_module_t api_module_system = API_MODULE_OF(system, ROUTES);
