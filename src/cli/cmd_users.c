/*
 * cmd_users.c — the commands about users and their rights: user (add,
 * list, passwd, disable, remove-second-factor) and permissions (the role x
 * permission table, as Markdown or JSON, from the permission table and
 * the route table).
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
/* ---- user ----------------------------------------------------------------- */

static int read_password_stdin(char *pw, size_t cap)
{
    if (!fgets(pw, (int)cap, stdin))
        return -1;
    pw[strcspn(pw, "\r\n")] = '\0';
    return 0;
}

int cmd_user(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c)) {
        printf("Usage:\n"
               "  awda user add NAME --role ROLE [--role ROLE] [--office CODE]... "
               "[--full-name TEXT] [--organisation PARTNER-ID] [--password-stdin]\n"
               "  awda user list\n"
               "  awda user passwd NAME [--password-stdin]\n"
               "  awda user disable NAME\n"
               "  awda user remove-second-factor NAME   (a lost phone: they set up a new one)\n\n"
               "Without --password-stdin a password is generated and printed once.\n"
               "A partner user's organisation is the id of a partner organisation\n"
               "(GET /api/v1/partners; administrators add them).\n"
               "Roles: registration counsellor medical operations protection reintegration "
               "finance me manager admin partner donor\n");
        return sub ? 0 : 2;
    }
    const char *name = c->nrest > 2 ? c->rest[2] : NULL;
    json_t *roles = json_array(), *offices = json_array();
    const char *full = NULL, *org = NULL;
    int from_stdin = 0;
    for (int i = 3; i < c->nrest; i++) {
        if (strcmp(c->rest[i], "--role") == 0 && i + 1 < c->nrest)
            json_array_append_new(roles, json_string(c->rest[++i]));
        else if (strcmp(c->rest[i], "--office") == 0 && i + 1 < c->nrest)
            json_array_append_new(offices, json_string(c->rest[++i]));
        else if (strcmp(c->rest[i], "--full-name") == 0 && i + 1 < c->nrest)
            full = c->rest[++i];
        else if (strcmp(c->rest[i], "--organisation") == 0 && i + 1 < c->nrest)
            org = c->rest[++i];
        else if (strcmp(c->rest[i], "--password-stdin") == 0)
            from_stdin = 1;
        else {
            fprintf(stderr, "awda: unknown option %s\n", c->rest[i]);
            json_decref(roles);
            json_decref(offices);
            return 2;
        }
    }
    if (cli_open_all(c, 0) != 0) {
        json_decref(roles);
        json_decref(offices);
        return 1;
    }
    app_actor_t sys = cli_system_actor();
    app_result_t r = {0};
    int rc = 0;
    char pw[AWDA_PASSWORD_MAX + 2];
    if (strcmp(sub, "list") == 0) {
        app_user_list(c->app, &sys, &r);
        size_t i;
        json_t *u;
        json_array_foreach(json_object_get(r.body, "items"), i, u)
        {
            char *roles_s = json_dumps(json_object_get(u, "roles"), JSON_COMPACT);
            char *offices_s = json_dumps(json_object_get(u, "offices"), JSON_COMPACT);
            printf("%-28s %-9s roles=%s offices=%s\n",
                   json_string_value(json_object_get(u, "username")),
                   json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active",
                   roles_s ? roles_s : "[]", offices_s ? offices_s : "[]");
            free(roles_s);
            free(offices_s);
        }
    } else if (!name) {
        fprintf(stderr, "awda: user %s needs a user name\n", sub);
        rc = 2;
    } else if (strcmp(sub, "add") == 0 || strcmp(sub, "passwd") == 0) {
        if (from_stdin) {
            if (read_password_stdin(pw, sizeof pw) != 0) {
                fprintf(stderr, "awda: no password on standard input\n");
                rc = 2;
            }
        } else {
            cli_gen_password(pw, 20);
        }
        if (rc == 0) {
            json_t *body;
            if (strcmp(sub, "add") == 0) {
                body = json_pack("{s:s,s:s,s:O,s:O}", "username", name, "password", pw, "roles",
                                 roles, "offices", offices);
                if (full)
                    json_object_set_new(body, "full_name", json_string(full));
                if (org)
                    json_object_set_new(body, "organisation", json_string(org));
                app_user_create(c->app, &sys, body, NULL, NULL, &r);
            } else {
                body = json_pack("{s:s}", "password", pw);
                app_user_update(c->app, &sys, name, body, &r);
            }
            json_decref(body);
            if (r.code == APP_CREATED || r.code == APP_OK) {
                printf("user: %s\n", name);
                if (!from_stdin)
                    printf("password: %s\n", pw);
            }
        }
    } else if (strcmp(sub, "disable") == 0) {
        json_t *body = json_pack("{s:b}", "disabled", 1);
        app_user_update(c->app, &sys, name, body, &r);
        json_decref(body);
        if (r.code == APP_OK)
            printf("user: %s disabled (sessions ended)\n", name);
    } else if (strcmp(sub, "remove-second-factor") == 0) {
        json_t *body = json_pack("{s:b}", "second_factor", 0);
        app_user_update(c->app, &sys, name, body, &r);
        json_decref(body);
        if (r.code == APP_OK)
            printf("user: %s has no second factor now (sessions ended)\n", name);
    } else {
        fprintf(stderr, "awda: unknown user command %s\n", sub);
        rc = 2;
    }
    if (rc == 0 && !(r.code == APP_OK || r.code == APP_CREATED)) {
        cli_print_result_errors(sub, &r);
        rc = 1;
    }
    sodium_memzero(pw, sizeof pw);
    app_result_free(&r);
    json_decref(roles);
    json_decref(offices);
    cli_close_all(c);
    return rc;
}

/* Prints who may do what, from the permission table and the route table:
 * the JSON the matrix test reads, or the Markdown of docs/DATA-PROTECTION.md. */
/* The head of a Markdown table with one column per role. */
static void role_table_head(const char *first, int nroles)
{
    printf("\n| %s |", first);
    for (int i = 0; i < nroles; i++)
        printf(" %s |", AWDA_ROLES[i]);
    printf("\n|---|");
    for (int i = 0; i < nroles; i++)
        printf(":-:|");
    printf("\n");
}

int cmd_permissions(ctx_t *c)
{
    json_t *matrix = app_permission_matrix();
    json_t *routes = api_routes_json();
    int rc = 0;
    if (cli_has_flag(c, 1, "--json")) {
        json_t *o = json_pack("{s:O,s:O}", "permissions", matrix, "routes", routes);
        char *t = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
        if (t)
            printf("%s\n", t);
        else {
            fprintf(stderr, "awda permissions: the table could not be written\n");
            rc = 1;
        }
        free(t);
        json_decref(o);
    } else if (cli_has_flag(c, 1, "--markdown")) {
        printf("| permission |");
        for (int i = 0; AWDA_ROLES[i]; i++)
            printf(" %s |", AWDA_ROLES[i]);
        printf("\n|---|");
        for (int i = 0; AWDA_ROLES[i]; i++)
            printf(":-:|");
        printf("\n");
        const char *perm;
        json_t *roles;
        json_object_foreach(matrix, perm, roles)
        {
            printf("| %s |", perm);
            for (int i = 0; AWDA_ROLES[i]; i++) {
                int has = 0;
                size_t k;
                json_t *r;
                json_array_foreach(roles, k, r) has |=
                    strcmp(json_string_value(r), AWDA_ROLES[i]) == 0;
                printf(" %s |", has ? "yes" : "");
            }
            printf("\n");
        }
        /* Who records each kind of journey record, takes each step, sees
         * each sensitivity class: asked of the same functions the server
         * uses, one role at a time. */
        app_actor_t one[16];
        int nroles = 0;
        for (int i = 0; AWDA_ROLES[i] && i < 16; i++, nroles++) {
            memset(&one[i], 0, sizeof one[i]);
            one[i].p.roles = 1u << i;
        }
        role_table_head("record kind", nroles);
        for (size_t k = 0; k < awda_record_kind_count(); k++) {
            awda_rec_perm_t rp;
            const awda_entity_t *e = awda_record_kind(awda_record_kind_at(k)->name, &rp);
            printf("| %s |", e->name);
            for (int i = 0; i < nroles; i++)
                printf(" %s |", app_may_record(&one[i], rp) ? "yes" : "");
            printf("\n");
        }
        role_table_head("journey step", nroles);
        for (int e = 0; AWDA_EVENTS[e]; e++) {
            const awda_transition_t *t = NULL;
            for (int st = 0; AWDA_STAGES[st] && !t; st++)
                t = awda_transition_find(AWDA_EVENTS[e], AWDA_STAGES[st]);
            if (!t)
                continue;
            printf("| %s |", AWDA_EVENTS[e]);
            for (int i = 0; i < nroles; i++)
                printf(" %s |", app_may_take(&one[i], t->perm) ? "yes" : "");
            printf("\n");
        }
        role_table_head("sensitivity class shown in clear", nroles);
        for (int sc = SENS_NONE; sc <= SENS_FINANCIAL; sc++) {
            printf("| %s |", awda_sens_name((awda_sens_t)sc));
            for (int i = 0; i < nroles; i++)
                printf(" %s |", app_visible_sensitivity(&one[i]) & (1u << sc) ? "yes" : "");
            printf("\n");
        }
        /* Sealed detail per record kind: the roles that see its classes,
         * and those that record the kind (the author of a record always
         * reads it back, whatever the role). */
        role_table_head("sealed detail of a record kind read in clear", nroles);
        for (size_t k = 0; k < awda_record_kind_count(); k++) {
            awda_rec_perm_t rp;
            const awda_entity_t *e = awda_record_kind(awda_record_kind_at(k)->name, &rp);
            unsigned sealed = 0;
            for (size_t f = 0; f < e->nfields; f++)
                if (e->fields[f].sens == SENS_MEDICAL || e->fields[f].sens == SENS_PROTECTION ||
                    e->fields[f].sens == SENS_FINANCIAL)
                    sealed |= 1u << e->fields[f].sens;
            if (!sealed)
                continue;
            printf("| %s |", e->name);
            for (int i = 0; i < nroles; i++)
                printf(" %s |",
                       (app_record_visible_sensitivity(&one[i], rp, NULL) & sealed) == sealed
                           ? "yes"
                           : "");
            printf("\n");
        }
        printf("\n| method | route | permission |\n|---|---|---|\n");
        size_t i;
        json_t *r;
        json_array_foreach(routes, i, r)
        {
            printf("| %s | `%s` | %s |\n", json_string_value(json_object_get(r, "method")),
                   json_string_value(json_object_get(r, "route")),
                   json_string_value(json_object_get(r, "permission")));
        }
    } else {
        printf("Usage: awda permissions --markdown | --json\n");
        rc = cli_wants_help(c) ? 0 : 2;
    }
    json_decref(matrix);
    json_decref(routes);
    return rc;
}
