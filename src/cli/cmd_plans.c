/*
 * cmd_plans.c — `awda plan …`: what an administrator scripts about
 * reintegration plans, through the same use cases as the API
 * (app/plans.h), acting as the system.
 *
 *   awda plan types [--lang en|fr|ar]      the plan item types
 *   awda plan type-add --code C --dimension D --en NAME --fr NAME --ar NAME
 *   awda plan overdue                      cases with no approved plan
 *                                          30 days after arrival
 *   awda plan show ID                      a plan as JSON
 *   awda plan approve ID                   approve a draft plan (commits
 *                                          its items' budgets)
 *
 * Exit status: 0 done, 1 refused or failed (the reason on stderr), 2 bad
 * usage.
 */
#include "cli.h"
#include "../app/plans.h"
#include <string.h>

static int usage(ctx_t *c)
{
    printf("Usage:\n"
           "  awda plan types [--lang en|fr|ar]\n"
           "  awda plan type-add --code CODE --dimension economic|social|psychosocial\n"
           "                     --en NAME --fr NAME --ar NAME\n"
           "  awda plan overdue\n"
           "  awda plan show ID\n"
           "  awda plan approve ID\n");
    return cli_wants_help(c) ? 0 : 2;
}

static void print_json(const json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(2));
    if (s)
        printf("%s\n", s);
    free(s);
}

int cmd_plan(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c))
        return usage(c);
    const char *id = c->nrest > 2 ? c->rest[2] : NULL;
    int known = strcmp(sub, "types") == 0 || strcmp(sub, "type-add") == 0 ||
                strcmp(sub, "overdue") == 0 || strcmp(sub, "show") == 0 ||
                strcmp(sub, "approve") == 0;
    if (!known || ((strcmp(sub, "show") == 0 || strcmp(sub, "approve") == 0) && !id))
        return usage(c);
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    if (strcmp(sub, "types") == 0) {
        app_item_types(c->app, &sys, cli_opt(c, 2, "--lang"), &r);
        size_t i;
        json_t *t;
        json_array_foreach(json_object_get(r.body, "items"), i, t)
            printf("%-28s %-13s %s\n", json_string_value(json_object_get(t, "code")),
                   json_string_value(json_object_get(t, "dimension")),
                   json_string_value(json_object_get(t, "name")));
    } else if (strcmp(sub, "type-add") == 0) {
        json_t *body =
            json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?}", "code", cli_opt(c, 2, "--code"), "dimension",
                      cli_opt(c, 2, "--dimension"), "name_en", cli_opt(c, 2, "--en"), "name_fr",
                      cli_opt(c, 2, "--fr"), "name_ar", cli_opt(c, 2, "--ar"));
        app_item_type_create(c->app, &sys, body, &r);
        json_decref(body);
        if (r.code == APP_CREATED)
            printf("added %s\n", json_string_value(json_object_get(r.body, "code")));
    } else if (strcmp(sub, "overdue") == 0) {
        app_plans_overdue(c->app, &sys, &r);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(r.body, "items"), i, e) printf(
            "%s  arrived %s  draft plans %lld\n", json_string_value(json_object_get(e, "number")),
            json_string_value(json_object_get(e, "arrived_at")),
            (long long)json_integer_value(json_object_get(e, "draft_plans")));
    } else if (strcmp(sub, "show") == 0) {
        app_plan_get(c->app, &sys, id, &r);
        if (r.code == APP_OK)
            print_json(r.body);
    } else {
        app_if_match_t any = {.present = 1, .any = 1};
        app_plan_approve(c->app, &sys, id, &any, NULL, &r);
        if (r.code == APP_OK)
            printf("approved %s\n", id);
    }
    int rc = r.code == APP_OK || r.code == APP_CREATED ? 0 : 1;
    if (rc)
        cli_print_result_errors("plan", &r);
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}
