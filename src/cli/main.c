/*
 * main.c — the awda command: reads the settings, starts libsodium and the
 * name-key tables, and hands the command to its function.
 *
 * The commands are grouped by what they work on: cmd_server.c (serve,
 * init, migrate, demo, keys), cmd_users.c (user, permissions), cmd_cases.c
 * (case, restriction, audit, retention); what they share (opening the
 * store, the system actor, options) is in common.c. Each subcommand loads
 * the settings (config.c), opens the store, and calls the same application
 * functions the HTTP API uses, acting as the system (full rights, no
 * session). The commands that write take the database lock (dblock.c).
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
static void usage(FILE *out)
{
    fprintf(out,
            "awda %s — case management for assisted voluntary return and reintegration\n\n"
            "Usage: awda COMMAND [options]\n\n"
            "Commands:\n"
            "  serve      serve the web interface and the JSON API\n"
            "  init       create the database and the first administrator\n"
            "  demo       load the demo dataset (offices, users, cases)\n"
            "  user       add | list | passwd | disable | remove-second-factor users\n"
            "  case       transition | readiness: take a step of the return journey\n"
            "  restriction list | add | review: country restrictions on return\n"
            "  movement   create | add | check | manifest | depart | arrive: charters and flights\n"
            "  audit      verify: check the hash chain of the audit log\n"
            "  keys       rotate: re-seal every sealed value under a new key\n"
            "  retention  run [--dry-run]: anonymise cases whose retention period is over\n"
            "  project    list | show | budget | create: projects and their budget lines\n"
            "  ledger     verify | list: the append-only ledger and its reconciliation\n"
            "  survey     load | rescore | instruments: the sustainability survey\n"
            "  activity   list | add: group activities and their cost\n"
            "  permissions --markdown | --json: the role x permission table\n"
            "  plan       types | type-add | overdue | show | approve: reintegration plans\n"
            "  migrate    apply pending database migrations\n"
            "  version    print the version\n\n"
            "Run `awda COMMAND --help` for the options of a command.\n",
            AWDA_VERSION);
}

/* The commands that write to the database take its lock (dblock.c), so
 * that they never run beside a server or another writer; the ones that
 * only read (user list, case readiness, restriction list, audit verify,
 * retention run --dry-run) do not. Returns the command's name for the
 * lock record, or NULL. */
static const char *writing_command(ctx_t *c, const char *cmd)
{
    static const char *const WRITERS[] = {"serve",   "init",        "demo",     "user",
                                          "case",    "restriction", "keys",     "retention",
                                          "project", "plan",        "movement", NULL};
    static const char *const READERS[] = {"user list",
                                          "case readiness",
                                          "restriction list",
                                          "project list",
                                          "project show",
                                          "project budget",
                                          "plan types",
                                          "plan overdue",
                                          "plan show",
                                          "movement list",
                                          "movement check",
                                          "movement manifest",
                                          NULL};
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    char both[64];
    snprintf(both, sizeof both, "%s %s", cmd, sub);
    for (int i = 0; READERS[i]; i++)
        if (strcmp(both, READERS[i]) == 0)
            return NULL;
    if (strcmp(cmd, "retention") == 0 && cli_has_flag(c, 2, "--dry-run"))
        return NULL;
    /* follow-up: survey load | rescore, activity add write */
    if ((strcmp(cmd, "survey") == 0 && strcmp(sub, "instruments") != 0) ||
        (strcmp(cmd, "activity") == 0 && strcmp(sub, "add") == 0))
        return cmd;
    for (int i = 0; WRITERS[i]; i++)
        if (strcmp(cmd, WRITERS[i]) == 0)
            return WRITERS[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("awda %s\n", AWDA_VERSION);
        return 0;
    }
    ctx_t c;
    memset(&c, 0, sizeof c);
    if (awda_config_load(&c.cfg, argc - 1, argv + 1, c.rest, MAX_REST, &c.nrest) != 0)
        return 2;
    static const char *LEVELS[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++)
        if (strcmp(c.cfg.log_level, LEVELS[i]) == 0)
            awda_log_level(i);
    if (sodium_init() < 0) {
        fprintf(stderr, "awda: cannot initialise libsodium\n");
        return 1;
    }
    awda_norm_warm_async();
    json_object_seed(0);
    const char *cmd = argv[1];
    c.writer = writing_command(&c, cmd);
    int rc;
    if (strcmp(cmd, "serve") == 0)
        rc = cmd_serve(&c);
    else if (strcmp(cmd, "init") == 0)
        rc = cmd_init(&c);
    else if (strcmp(cmd, "demo") == 0)
        rc = cmd_demo(&c);
    else if (strcmp(cmd, "user") == 0)
        rc = cmd_user(&c);
    else if (strcmp(cmd, "migrate") == 0)
        rc = cmd_migrate(&c);
    else if (strcmp(cmd, "case") == 0)
        rc = cmd_case(&c);
    else if (strcmp(cmd, "movement") == 0)
        rc = cmd_movement(&c);
    else if (strcmp(cmd, "restriction") == 0)
        rc = cmd_restriction(&c);
    else if (strcmp(cmd, "audit") == 0)
        rc = cmd_audit(&c);
    else if (strcmp(cmd, "keys") == 0)
        rc = cmd_keys(&c);
    else if (strcmp(cmd, "retention") == 0)
        rc = cmd_retention(&c);
    else if (strcmp(cmd, "project") == 0)
        rc = cmd_project(&c);
    else if (strcmp(cmd, "ledger") == 0)
        rc = cmd_ledger(&c);
    else if (strcmp(cmd, "survey") == 0) /* follow-up */
        rc = cmd_survey(&c);
    else if (strcmp(cmd, "activity") == 0) /* follow-up */
        rc = cmd_activity(&c);
    else if (strcmp(cmd, "permissions") == 0)
        rc = cmd_permissions(&c);
    else if (strcmp(cmd, "plan") == 0) /* reintegration plans */
        rc = cmd_plan(&c);
    else {
        fprintf(stderr, "awda: unknown command %s\n\n", cmd);
        usage(stderr);
        rc = 2;
    }
    awda_norm_shutdown();
    return rc;
}
