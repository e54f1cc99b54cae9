/*
 * main.c — the awda command: reads the settings, starts libsodium and the
 * name-key tables, and hands the command to its function.
 *
 * The commands are listed in commands.def (one line each: name, usage,
 * whether it takes the database lock, which subcommands only read) and
 * live in files grouped by module: cmd_server.c (serve, init, migrate,
 * demo, keys), cmd_users.c (user, permissions), cmd_cases.c (case,
 * restriction, audit, retention), cmd_movements.c, cmd_plans.c,
 * cmd_money.c (project, ledger), cmd_followup.c (survey, activity); what
 * they share (opening the store, the system actor, options) is in common.c. Each subcommand loads
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
#define CLI_WRITES 1
#define CLI_READS  0

/* The commands (commands.def): name, function, usage line, lock. */
static const struct {
    const char *name;
    int (*run)(ctx_t *c);
    const char *usage;
    int writes;
    const char *readers; /* subcommands that only read, space-separated */
} COMMANDS[] = {
#define CLI_COMMAND(name, usage, lock, readers) {#name, cmd_##name, usage, lock, readers},
#include "commands.def"
#undef CLI_COMMAND
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

static void usage(FILE *out)
{
    fprintf(out,
            "awda %s — case management for assisted voluntary return and reintegration\n\n"
            "Usage: awda COMMAND [options]\n\nCommands:\n",
            AWDA_VERSION);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-11s %s\n", COMMANDS[i].name, COMMANDS[i].usage);
    fprintf(out, "  %-11s %s\n\nRun `awda COMMAND --help` for the options of a command.\n",
            "version", "print the version");
}

/* 1 when word is one of the space-separated words of list. */
static int in_words(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; n && *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return 1;
        p = e ? e + 1 : p + len;
    }
    return 0;
}

/* The commands that write to the database take its lock (dblock.c), so
 * that they never run beside a server or another writer; the ones that
 * only read (commands.def says which) do not. Returns the command's name
 * for the lock record, or NULL. */
static const char *writing_command(ctx_t *c, size_t i)
{
    if (!COMMANDS[i].writes)
        return NULL;
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    if (in_words(COMMANDS[i].readers, sub))
        return NULL;
    if (in_words(COMMANDS[i].readers, "--dry-run") && cli_has_flag(c, 2, "--dry-run"))
        return NULL;
    return COMMANDS[i].name;
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
    int rc = 2;
    size_t i = 0;
    while (i < NCOMMANDS && strcmp(cmd, COMMANDS[i].name) != 0)
        i++;
    if (i < NCOMMANDS) {
        c.writer = writing_command(&c, i);
        rc = COMMANDS[i].run(&c);
    } else {
        fprintf(stderr, "awda: unknown command %s\n\n", cmd);
        usage(stderr);
    }
    awda_norm_shutdown();
    return rc;
}
