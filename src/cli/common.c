/*
 * common.c — what the awda subcommands share: their options, opening and
 * closing the store and the application (with the key file that seals
 * medical and protection data), printing an application's errors, and the
 * system actor the commands act as.
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
int cli_wants_help(ctx_t *c)
{
    for (int i = 0; i < c->nrest; i++)
        if (strcmp(c->rest[i], "--help") == 0 || strcmp(c->rest[i], "-h") == 0)
            return 1;
    return 0;
}

void cli_make_parent_dir(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0750);
    }
}

void cli_key_path(ctx_t *c, char *out, size_t cap)
{
    if (c->cfg.key_file[0])
        snprintf(out, cap, "%s", c->cfg.key_file);
    else
        snprintf(out, cap, "%s.key", c->cfg.db);
}

/* Every name in a comma-separated list of roles must be a known role. */
int cli_check_role_list(const char *csv)
{
    while (*csv) {
        const char *e = strchr(csv, ',');
        size_t n = e ? (size_t)(e - csv) : strlen(csv);
        char role[32] = "";
        if (n >= sizeof role || (memcpy(role, csv, n), role[n] = '\0', !app_role_bit(role))) {
            fprintf(stderr, "awda: second_factor_roles names an unknown role: %.*s\n", (int)n, csv);
            return -1;
        }
        csv += n + (e ? 1 : 0);
    }
    return 0;
}

/* Loads the key file that seals medical and protection data; creates it
 * (mode 0600) when it does not exist yet and nothing sealed needs it. */
int cli_load_keys(ctx_t *c)
{
    char path[600];
    cli_key_path(c, path, sizeof path);
    awda_keyring_t kr;
    if (awda_keyring_load(path, &kr) != 0) {
        store_conn_t *conn = store_reader(c->store);
        if (access(path, F_OK) == 0 || (conn && store_sealed_exist(conn))) {
            fprintf(stderr,
                    "awda: the key file %s is missing or unreadable, and the database holds "
                    "sealed medical and protection data that only it can open\n",
                    path);
            return -1;
        }
        if (awda_keyring_add(&kr) != 0 || awda_keyring_save(path, &kr) != 0) {
            fprintf(stderr, "awda: cannot create the key file %s\n", path);
            return -1;
        }
        awda_log(LOG_INFO, "key_file_created", "\"path\":\"%s\"", path);
    }
    store_set_keyring(c->store, &kr);
    awda_keyring_wipe(&kr);
    return 0;
}

int cli_open_all(ctx_t *c, int migrate)
{
    if (cli_check_role_list(c->cfg.second_factor_roles) != 0)
        return -1;
    cli_make_parent_dir(c->cfg.db);
    if (c->writer && awda_db_lock(c->cfg.db, c->writer, NULL) != 0)
        return -1;
    if (store_open(c->cfg.db, &c->store) != STORE_OK) {
        fprintf(stderr, "awda: cannot open the database %s\n", c->cfg.db);
        return -1;
    }
    /* The keys come first: a migration may seal values (migration 13). */
    if (cli_load_keys(c) != 0)
        return -1;
    if (migrate) {
        int applied = 0;
        if (store_migrate(c->store, &applied) != STORE_OK) {
            fprintf(stderr, "awda: the database migrations failed\n");
            return -1;
        }
    } else if (store_schema_version(c->store) != store_schema_latest()) {
        fprintf(stderr,
                "awda: the database is at schema %d, this awda needs %d; run awda "
                "migrate\n",
                store_schema_version(c->store), store_schema_latest());
        return -1;
    }
    app_config_t ac = {(int)c->cfg.session_hours,
                       (int)c->cfg.reconfirm_hours,
                       (int)c->cfg.preembark_hours,
                       c->cfg.procedure_types,
                       (int)c->cfg.session_idle_minutes,
                       c->cfg.second_factor_roles,
                       (int)c->cfg.retention_closed_years,
                       (int)c->cfg.retention_withdrawn_years,
                       c->cfg.export_max_rows,
                       c->cfg.arabic_digits};
    c->app = app_new(c->store, &ac);
    return c->app ? 0 : -1;
}

void cli_close_all(ctx_t *c)
{
    app_free(c->app);
    store_close(c->store);
    c->app = NULL;
    c->store = NULL;
    awda_db_unlock(); /* after the last write (a no-op when not held) */
}

void cli_print_result_errors(const char *what, app_result_t *r)
{
    fprintf(stderr, "awda: %s: %s\n", what, r->detail[0] ? r->detail : "failed");
    size_t i;
    json_t *e;
    json_array_foreach(r->errors, i, e)
    {
        fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
}

void cli_gen_password(char *out, size_t len)
{
    static const char A[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < len; i++)
        out[i] = A[randombytes_uniform((uint32_t)(sizeof A - 1))];
    out[len] = '\0';
}

app_actor_t cli_system_actor(void)
{
    app_actor_t a;
    memset(&a, 0, sizeof a);
    a.system = 1;
    return a;
}

/* Value of --name among the arguments from index from, or NULL. */
const char *cli_opt(ctx_t *c, int from, const char *name)
{
    for (int i = from; i + 1 < c->nrest; i++)
        if (strcmp(c->rest[i], name) == 0)
            return c->rest[i + 1];
    return NULL;
}

int cli_has_flag(ctx_t *c, int from, const char *name)
{
    for (int i = from; i < c->nrest; i++)
        if (strcmp(c->rest[i], name) == 0)
            return 1;
    return 0;
}
