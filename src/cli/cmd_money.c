/*
 * cmd_money.c — the commands about money that an administrator scripts:
 *
 *   awda project list | show ID | budget ID | create FILE.json
 *   awda ledger verify | list (--line ID | --case ID) [--limit N]
 *
 * Every command calls the use cases of app/money.h as the system actor
 * and prints their JSON (indented) on stdout, problems on stderr. The
 * reading ones (list, show, budget, verify) do not take the database lock
 * and may run beside a server; `project create` writes and takes it.
 * `ledger verify` exits 1 when a budget line's kept totals differ from
 * the sums of its ledger.
 */
#include "cli.h"
#include "../app/money.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Prints r's body (or its problem) and returns the exit status. */
static int print_result(const char *what, app_result_t *r)
{
    int ok = r->code == APP_OK || r->code == APP_CREATED;
    if (r->body) {
        char *s = json_dumps(r->body, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (s)
            printf("%s\n", s);
        free(s);
    }
    if (!ok)
        cli_print_result_errors(what, r);
    app_result_free(r);
    return ok ? 0 : 1;
}

int cmd_project(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    const char *arg = c->nrest > 2 ? c->rest[2] : NULL;
    int known = sub && (strcmp(sub, "list") == 0 ||
                        (arg && (strcmp(sub, "show") == 0 || strcmp(sub, "budget") == 0 ||
                                 strcmp(sub, "create") == 0)));
    if (!known || cli_wants_help(c)) {
        printf("Usage:\n"
               "  awda project list\n"
               "  awda project show PROJECT      (its id, code or name)\n"
               "  awda project budget PROJECT    budget, committed, disbursed, remaining per line\n"
               "  awda project create FILE.json  {code, name, programme?, donor, currency,\n"
               "                                  starts_on, ends_on, places?, targets?,\n"
               "                                  budget_lines?: [{code, name, amount_minor}]}\n"
               "Amounts are whole numbers of the currency's minor units (cents).\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    json_t *body = NULL;
    if (strcmp(sub, "create") == 0) {
        json_error_t err;
        body = json_load_file(arg, JSON_REJECT_DUPLICATES, &err);
        if (!json_is_object(body)) {
            fprintf(stderr, "awda: %s: not a JSON object (%s, line %d)\n", arg, err.text, err.line);
            json_decref(body);
            return 2;
        }
    }
    if (cli_open_all(c, 0) != 0) {
        json_decref(body);
        return 1;
    }
    app_actor_t a = cli_system_actor();
    app_result_t r = {0};
    if (strcmp(sub, "list") == 0)
        app_project_list(c->app, &a, &r);
    else if (strcmp(sub, "show") == 0)
        app_project_get(c->app, &a, arg, &r);
    else if (strcmp(sub, "budget") == 0)
        app_budget_view(c->app, &a, arg, &r);
    else
        app_project_create(c->app, &a, body, &r);
    int rc = print_result("project", &r);
    json_decref(body);
    cli_close_all(c);
    return rc;
}

int cmd_ledger(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    const char *line = cli_opt(c, 2, "--line"), *caze = cli_opt(c, 2, "--case");
    int known = sub && (strcmp(sub, "verify") == 0 ||
                        (strcmp(sub, "list") == 0 && (line != NULL) != (caze != NULL)));
    if (!known || cli_wants_help(c)) {
        printf("Usage:\n"
               "  awda ledger verify                 prove every budget line's totals equal the\n"
               "                                     sums of its ledger; exits 1 when not\n"
               "  awda ledger list --line ID | --case ID [--limit N] [--cursor C]\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_actor_t a = cli_system_actor();
    app_result_t r = {0};
    int rc;
    if (strcmp(sub, "verify") == 0) {
        app_ledger_verify(c->app, &r);
        long long n = json_integer_value(json_object_get(r.body, "lines_checked"));
        if (r.code == APP_OK) {
            printf("ledger and totals agree: %lld budget lines checked\n", n);
            app_result_free(&r);
            rc = 0;
        } else
            rc = print_result("ledger verify", &r);
    } else {
        const char *limit = cli_opt(c, 2, "--limit"), *cursor = cli_opt(c, 2, "--cursor");
        if (line)
            app_ledger_of_line(c->app, &a, line, cursor, limit, &r);
        else
            app_ledger_of_case(c->app, &a, caze, cursor, limit, &r);
        rc = print_result("ledger list", &r);
    }
    cli_close_all(c);
    return rc;
}
