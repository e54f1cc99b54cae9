/*
 * cmd_cases.c — the commands about cases and their records: case
 * (transition, readiness), restriction (list, add, review), audit verify
 * (the hash chain of the audit log) and retention run (anonymising cases
 * whose retention period is over).
 */
#include "cli.h"
#include "../app/app.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../text/norm.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/timeutil.h"
#include "../util/version.h"
#include "../core/field.h"
#include "demo.h"
#include "webroot.h"
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
static void print_requirements(FILE *out, const json_t *reqs, int only_unmet)
{
    size_t i;
    json_t *q;
    json_array_foreach(reqs, i, q)
    {
        const json_t *met = json_object_get(q, "met");
        if (only_unmet && json_is_true(met))
            continue;
        fprintf(out, "    %s %-28s %s\n", json_is_true(met) ? "[x]" : "[ ]",
                json_string_value(json_object_get(q, "code")),
                json_string_value(json_object_get(q, "message")));
    }
}

int cmd_case(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    const char *id = c->nrest > 2 ? c->rest[2] : NULL;
    if (!sub || !id || cli_wants_help(c)) {
        printf("Usage:\n"
               "  awda case readiness CASE_ID\n"
               "  awda case transition CASE_ID EVENT [--reason TEXT] [--at YYYY-MM-DDTHH:MMZ]\n\n"
               "Events: counsel consent approve_eligibility start_pre_departure ready book depart\n"
               "        arrive start_reintegration start_monitoring withdraw hold resume reopen "
               "close\n"
               "depart and arrive say when they happened (--at, UTC).\n"
               "The command line acts with full rights; every requirement still applies.\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    int rc = 0;
    if (strcmp(sub, "readiness") == 0) {
        app_case_readiness(c->app, &sys, id, &r);
        if (r.code == APP_OK) {
            printf("stage: %s\n", json_string_value(json_object_get(r.body, "stage")));
            size_t i;
            json_t *n;
            json_array_foreach(json_object_get(r.body, "next"), i, n)
            {
                printf("  %s -> %s: %s\n", json_string_value(json_object_get(n, "event")),
                       json_string_value(json_object_get(n, "to")),
                       json_is_true(json_object_get(n, "ready")) ? "ready" : "not ready");
                print_requirements(stdout, json_object_get(n, "requirements"), 0);
            }
            json_t *w;
            json_array_foreach(json_object_get(r.body, "warnings"), i, w)
                printf("  warning: %s\n", json_string_value(json_object_get(w, "message")));
        }
    } else if (strcmp(sub, "transition") == 0) {
        const char *event = c->nrest > 3 ? c->rest[3] : NULL;
        const char *reason = cli_opt(c, 4, "--reason");
        const char *at = cli_opt(c, 4, "--at");
        json_t *body = json_pack("{s:s?}", "event", event);
        if (reason)
            json_object_set_new(body, "reason", json_string(reason));
        if (at)
            json_object_set_new(body, "at", json_string(at));
        app_case_transition(c->app, &sys, id, body, &r);
        json_decref(body);
        if (r.code == APP_OK)
            printf("%s: now %s\n", json_string_value(json_object_get(r.body, "number")),
                   json_string_value(json_object_get(r.body, "stage")));
        else if (r.code == APP_UNMET) {
            fprintf(stderr, "awda: %s\n", r.detail);
            print_requirements(stderr, json_object_get(r.extra, "requirements"), 1);
            rc = 1;
        }
    } else {
        fprintf(stderr, "awda: unknown case command %s\n", sub);
        rc = 2;
    }
    if (rc == 0 && r.code != APP_OK) {
        cli_print_result_errors(sub, &r);
        rc = 1;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}

static void print_restriction(const json_t *x)
{
    const char *area = json_string_value(json_object_get(x, "admin_area"));
    const char *until = json_string_value(json_object_get(x, "effective_until"));
    printf("%s  %s%s%s%s  %-17s from %s%s%s  review %s  v%lld\n    %s\n",
           json_string_value(json_object_get(x, "id")),
           json_string_value(json_object_get(x, "country")), area ? " (" : "", area ? area : "",
           area ? ")" : "", json_string_value(json_object_get(x, "kind")),
           json_string_value(json_object_get(x, "effective_from")), until ? " until " : "",
           until ? until : "", json_string_value(json_object_get(x, "next_review")),
           (long long)json_integer_value(json_object_get(x, "version")),
           json_string_value(json_object_get(x, "reason")));
}

int cmd_restriction(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c)) {
        printf("Usage:\n"
               "  awda restriction list [--review-overdue]\n"
               "  awda restriction add --country ISO3 --kind suspended|approval_required "
               "--reason TEXT\n"
               "                       --next-review DATE [--from DATE] [--until DATE] "
               "[--admin-area NAME]\n"
               "  awda restriction review ID --next-review DATE [--reason TEXT]\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    int rc = 0;
    if (strcmp(sub, "list") == 0) {
        app_restriction_list(c->app, &sys, cli_has_flag(c, 2, "--review-overdue") ? "true" : NULL,
                             &r);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(r.body, "items"), i, x) print_restriction(x);
    } else if (strcmp(sub, "add") == 0) {
        char today[11];
        awda_date_format(awda_today(), today);
        const char *from = cli_opt(c, 2, "--from");
        json_t *body =
            json_pack("{s:s?,s:s?,s:s?,s:s,s:s?,s:s?}", "country", cli_opt(c, 2, "--country"),
                      "kind", cli_opt(c, 2, "--kind"), "reason", cli_opt(c, 2, "--reason"),
                      "effective_from", from ? from : today, "effective_until",
                      cli_opt(c, 2, "--until"), "next_review", cli_opt(c, 2, "--next-review"));
        const char *area = cli_opt(c, 2, "--admin-area");
        if (area)
            json_object_set_new(body, "admin_area", json_string(area));
        app_restriction_create(c->app, &sys, body, NULL, NULL, &r);
        json_decref(body);
        if (r.code == APP_CREATED) {
            print_restriction(r.body);
            app_result_t a = {0};
            app_restriction_affected(c->app, &sys, json_string_value(json_object_get(r.body, "id")),
                                     &a);
            printf("cases blocked now: %lld\n",
                   (long long)json_integer_value(json_object_get(a.body, "count")));
            app_result_free(&a);
        }
    } else if (strcmp(sub, "review") == 0) {
        const char *id = c->nrest > 2 ? c->rest[2] : NULL;
        app_restriction_get(c->app, &sys, id, &r);
        if (r.code == APP_OK) {
            long long v = r.version;
            app_result_free(&r);
            json_t *body = json_pack("{s:s?}", "next_review", cli_opt(c, 3, "--next-review"));
            const char *reason = cli_opt(c, 3, "--reason");
            if (reason)
                json_object_set_new(body, "reason", json_string(reason));
            app_restriction_update(c->app, &sys, id, v, body, "reviewed", &r);
            json_decref(body);
            if (r.code == APP_OK)
                print_restriction(r.body);
        }
    } else {
        fprintf(stderr, "awda: unknown restriction command %s\n", sub);
        rc = 2;
    }
    if (rc == 0 && r.code != APP_OK && r.code != APP_CREATED) {
        cli_print_result_errors(sub, &r);
        rc = 1;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}

int cmd_audit(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c) || strcmp(sub, "verify") != 0) {
        printf("Usage: awda audit verify [--db PATH]\n\nWalks the hash chain of the audit log "
               "and exits 1 at the first record\nthat was altered, removed or reordered.\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_result_t r = {0};
    app_audit_verify(c->app, &r);
    long long checked = json_integer_value(json_object_get(r.body, "checked"));
    int rc = 0;
    if (r.code == APP_OK) {
        printf("audit log intact: %lld records checked\n", checked);
    } else {
        fprintf(stderr, "awda: %s (%lld records checked)\n", r.detail, checked);
        rc = 1;
    }
    app_result_free(&r);
    cli_close_all(c);
    return rc;
}

int cmd_retention(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c) || strcmp(sub, "run") != 0) {
        printf("Usage: awda retention run [--dry-run] [--db PATH]\n\n"
               "Anonymises, irreversibly, the cases whose retention period is over\n"
               "(retention_closed_years after closure, retention_withdrawn_years after a\n"
               "withdrawal): names, contact, documents, day of birth, free text, medical and\n"
               "protection detail go; the statistical fields stay. Each case is recorded in\n"
               "the audit log. With --dry-run, lists what would change and changes nothing.\n"
               "The server runs this once a day.\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    int dry = cli_has_flag(c, 2, "--dry-run");
    if (cli_open_all(c, 0) != 0)
        return 1;
    app_result_t r = {0};
    app_retention_run(c->app, dry, awda_now_ms(), &r);
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(r.body, "cases"), i, cs)
    {
        printf("%s %s %-9s since %s (%s, %d years) members=%lld\n",
               dry ? "would anonymise" : "anonymised",
               json_string_value(json_object_get(cs, "number")),
               json_string_value(json_object_get(cs, "stage")),
               json_string_value(json_object_get(cs, "since")),
               json_string_value(json_object_get(cs, "closure_reason"))
                   ? json_string_value(json_object_get(cs, "closure_reason"))
                   : "-",
               (int)json_integer_value(json_object_get(cs, "policy_years")),
               (long long)json_integer_value(json_object_get(cs, "members")));
    }
    printf("retention: %lld case(s) due, %lld anonymised, %lld person(s) anonymised%s\n",
           (long long)json_integer_value(json_object_get(r.body, "cases_due")),
           (long long)json_integer_value(json_object_get(r.body, "cases_anonymised")),
           (long long)json_integer_value(json_object_get(r.body, "persons_anonymised")),
           dry ? " (dry run: nothing changed)" : "");
    int rc = r.code == APP_OK ? 0 : 1;
    if (rc)
        fprintf(stderr, "awda: %s\n", r.detail);
    app_result_free(&r);
    if (!dry)
        store_checkpoint(c->store); /* old page images leave the WAL */
    cli_close_all(c);
    return rc;
}
