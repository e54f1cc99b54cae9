/*
 * cli.h — what the files of the awda command share: the context of a
 * command (settings, the arguments after it, the open store and
 * application), the helpers of common.c, and one function per command
 * (each returns the process's exit status).
 */
#ifndef AWDA_CLI_CLI_H
#define AWDA_CLI_CLI_H

#include "../app/app.h"
#include "../store/store.h"
#include "config.h"
#include "dblock.h"
#include <stdio.h>

#define MAX_REST 64

typedef struct {
    awda_config_t cfg;
    const char *rest[MAX_REST];
    int nrest;
    store_t *store;
    app_t *app;
    const char *writer; /* the command, when it writes: it takes the database lock */
} ctx_t;

/* 1 when --help or -h is among the arguments. */
int cli_wants_help(ctx_t *c);
/* Creates the directory path is in (one level), when missing. */
void cli_make_parent_dir(const char *path);
/* The key file's path: the setting, else the database's path + ".key". */
void cli_key_path(ctx_t *c, char *out, size_t cap);
/* 0 when every name in a comma-separated list of roles is a known role. */
int cli_check_role_list(const char *csv);
/* Loads the key file that seals medical and protection data; creates it
 * (mode 0600) when it does not exist yet and nothing sealed needs it. */
int cli_load_keys(ctx_t *c);
/* Opens the store (and applies pending migrations when migrate) and the
 * application into c; 0 or non-zero after printing why. */
int cli_open_all(ctx_t *c, int migrate);
/* Closes what cli_open_all opened and releases the database lock. */
void cli_close_all(ctx_t *c);
/* Prints r's detail and its field errors to stderr, after what. */
void cli_print_result_errors(const char *what, app_result_t *r);
/* A random password of len characters into out (len + 1 bytes). */
void cli_gen_password(char *out, size_t len);
/* The actor the commands act as: the system (full rights, no session). */
app_actor_t cli_system_actor(void);
/* Value of --name among the arguments from index from, or NULL. */
const char *cli_opt(ctx_t *c, int from, const char *name);
/* 1 when the flag name is among the arguments from index from. */
int cli_has_flag(ctx_t *c, int from, const char *name);

int cmd_serve(ctx_t *c);
int cmd_init(ctx_t *c);
int cmd_migrate(ctx_t *c);
int cmd_demo(ctx_t *c);
int cmd_keys(ctx_t *c);
int cmd_user(ctx_t *c);
int cmd_permissions(ctx_t *c);
int cmd_case(ctx_t *c);
int cmd_restriction(ctx_t *c);
int cmd_movement(ctx_t *c);
int cmd_audit(ctx_t *c);
int cmd_retention(ctx_t *c);
int cmd_plan(ctx_t *c); /* cmd_plans.c */
/* money (cmd_money.c) */
int cmd_project(ctx_t *c);
int cmd_ledger(ctx_t *c);
/* ---- follow-up (cmd_followup.c) ---- */
int cmd_survey(ctx_t *c);
int cmd_activity(ctx_t *c);
/* Stores the survey instruments of the survey directory (--survey-data,
 * AWDA_SURVEY_DATA, or beside the binary); 0, or -1 after printing which
 * file is wrong. out (may be NULL) gets a line per instrument stored. */
int cli_survey_load(ctx_t *c, FILE *out);
/* ---- end of follow-up ---- */
/* ---- dup: duplicate detection (cmd_duplicates.c) ---- */
int cmd_duplicates(ctx_t *c);

/* ---- imp (cmd_import.c) ---- */
int cmd_import(ctx_t *c);

#endif
