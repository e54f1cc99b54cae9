/*
 * main.c — the awda command: serve, init, demo, user, migrate, version.
 *
 * Each subcommand loads the settings (config.c), opens the store, and
 * calls the same application functions the HTTP API uses, acting as the
 * system (full rights, no session). `serve` blocks SIGINT and SIGTERM in
 * every thread, starts the HTTP front, and waits for a signal with
 * sigwait; then it stops accepting, lets requests in flight finish,
 * checkpoints the WAL and exits 0.
 */
#include "../app/app.h"
#include "../http/http.h"
#include "../store/store.h"
#include "../text/norm.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/timeutil.h"
#include "../util/version.h"
#include "../core/field.h"
#include "config.h"
#include "dblock.h"
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

#define MAX_REST 64

typedef struct {
    awda_config_t cfg;
    const char *rest[MAX_REST];
    int nrest;
    store_t *store;
    app_t *app;
    const char *writer; /* the command, when it writes: it takes the database lock */
} ctx_t;

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
            "  audit      verify: check the hash chain of the audit log\n"
            "  keys       rotate: re-seal every sealed value under a new key\n"
            "  retention  run [--dry-run]: anonymise cases whose retention period is over\n"
            "  permissions --markdown | --json: the role x permission table\n"
            "  migrate    apply pending database migrations\n"
            "  version    print the version\n\n"
            "Run `awda COMMAND --help` for the options of a command.\n",
            AWDA_VERSION);
}

static int wants_help(ctx_t *c)
{
    for (int i = 0; i < c->nrest; i++)
        if (strcmp(c->rest[i], "--help") == 0 || strcmp(c->rest[i], "-h") == 0)
            return 1;
    return 0;
}

static void make_parent_dir(const char *path)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0750);
    }
}

static void key_path(ctx_t *c, char *out, size_t cap)
{
    if (c->cfg.key_file[0])
        snprintf(out, cap, "%s", c->cfg.key_file);
    else
        snprintf(out, cap, "%s.key", c->cfg.db);
}

/* Loads the key file that seals medical and protection data; creates it
 * (mode 0600) when it does not exist yet and nothing sealed needs it. */
/* Every name in a comma-separated list of roles must be a known role. */
static int check_role_list(const char *csv)
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

static int load_keys(ctx_t *c)
{
    char path[600];
    key_path(c, path, sizeof path);
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

static int open_all(ctx_t *c, int migrate)
{
    if (check_role_list(c->cfg.second_factor_roles) != 0)
        return -1;
    make_parent_dir(c->cfg.db);
    if (c->writer && awda_db_lock(c->cfg.db, c->writer, NULL) != 0)
        return -1;
    if (store_open(c->cfg.db, &c->store) != STORE_OK) {
        fprintf(stderr, "awda: cannot open the database %s\n", c->cfg.db);
        return -1;
    }
    /* The keys come first: a migration may seal values (migration 13). */
    if (load_keys(c) != 0)
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

static void close_all(ctx_t *c)
{
    app_free(c->app);
    store_close(c->store);
    c->app = NULL;
    c->store = NULL;
    awda_db_unlock(); /* after the last write (a no-op when not held) */
}

static void print_result_errors(const char *what, app_result_t *r)
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

static void gen_password(char *out, size_t len)
{
    static const char A[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i < len; i++)
        out[i] = A[randombytes_uniform((uint32_t)(sizeof A - 1))];
    out[len] = '\0';
}

static app_actor_t system_actor(void)
{
    app_actor_t a;
    memset(&a, 0, sizeof a);
    a.system = 1;
    return a;
}

/* ---- serve ----------------------------------------------------------- */

/* The settings of the web face that the table cannot check alone. */
static int check_web_settings(const awda_config_t *cfg)
{
    if (strcmp(cfg->metrics_access, "token") == 0 && strlen(cfg->metrics_token) < 32) {
        fprintf(stderr, "awda: metrics_access = token needs a metrics_token of at least 32 "
                        "characters\n");
        return -1;
    }
    const char *u = cfg->public_url;
    if (*u && strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) {
        fprintf(stderr, "awda: public_url must start with https:// or http://\n");
        return -1;
    }
    return 0;
}

/* Says why the server could not listen: above all, another server on the
 * same address (the listening socket never shares its port). */
static void listen_failed(const char *listen)
{
    int e = http_listen_errno(listen);
    if (e == EADDRINUSE)
        fprintf(stderr,
                "awda: cannot listen on %s: address in use (another server is "
                "listening there)\n",
                listen);
    else if (e)
        fprintf(stderr, "awda: cannot listen on %s: %s\n", listen, strerror(e));
    else
        fprintf(stderr, "awda: cannot listen on %s\n", listen);
}

/* The database lock names the address actually served (the port the
 * system chose for port 0). */
static void lock_record_address(ctx_t *c, http_server_t *srv)
{
    char where[160];
    const char *colon = strrchr(c->cfg.listen, ':');
    int hl = colon ? (int)(colon - c->cfg.listen) : (int)strlen(c->cfg.listen);
    snprintf(where, sizeof where, "%.*s:%d", hl, c->cfg.listen, http_port(srv));
    awda_db_lock(c->cfg.db, c->writer ? c->writer : "serve", where);
}

/* The web interface's directory (webroot.c); when there is none, says so
 * once in the log, and "/" explains how to build it (static.c). */
static void find_web_root(ctx_t *c, char *web, size_t cap)
{
    char tried[1024];
    if (awda_find_web_root(c->cfg.web_root, web, cap, tried, sizeof tried))
        return;
    for (char *p = tried; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '?';
    awda_log(LOG_WARN, "web_interface_missing",
             "\"looked_in\":\"%s\",\"fix\":\"run make in the source directory, or set "
             "--web-root\"",
             tried);
}

static int cmd_serve(ctx_t *c)
{
    if (wants_help(c)) {
        printf("Usage: awda serve [--db PATH] [--listen ADDR:PORT] [--threads N] ...\n\n");
        awda_config_help(stdout);
        return 0;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (check_web_settings(&c->cfg) != 0 || open_all(c, 1) != 0)
        return 1;
    char web[512];
    find_web_root(c, web, sizeof web);
    http_config_t hc = {
        .listen = c->cfg.listen,
        .threads = (int)c->cfg.threads,
        .max_body = (size_t)c->cfg.max_body,
        .access_log = (int)c->cfg.access_log,
        .web_root = web,
        .metrics_access = strcmp(c->cfg.metrics_access, "open") == 0    ? HTTP_METRICS_OPEN
                          : strcmp(c->cfg.metrics_access, "token") == 0 ? HTTP_METRICS_TOKEN
                                                                        : HTTP_METRICS_LOOPBACK,
        .metrics_token = c->cfg.metrics_token,
        .cookie_secure = strncmp(c->cfg.public_url, "https://", 8) == 0,
    };
    http_server_t *srv = http_start(c->app, &hc);
    if (!srv) {
        listen_failed(c->cfg.listen);
        close_all(c);
        return 1;
    }
    lock_record_address(c, srv);
    printf("awda %s serving on http://%s\n", AWDA_VERSION, c->cfg.listen);
    fflush(stdout);
    awda_log(LOG_INFO, "listening", "\"listen\":\"%s\",\"threads\":%ld", c->cfg.listen,
             c->cfg.threads);
    /* Wait for SIGINT or SIGTERM; every ten minutes, housekeeping. */
    int sig = -1;
    while (sig < 0) {
        struct timespec every = {600, 0};
        sig = sigtimedwait(&set, NULL, &every);
        if (sig < 0)
            app_housekeeping(c->app);
    }
    awda_log(LOG_INFO, "stopping", "\"signal\":%d", sig);
    http_stop(srv, 10000);
    store_checkpoint(c->store);
    close_all(c);
    awda_log(LOG_INFO, "stopped", NULL);
    return 0;
}

/* ---- init, migrate, demo ------------------------------------------------- */

static int cmd_init(ctx_t *c)
{
    if (wants_help(c)) {
        printf("Usage: awda init [--db PATH]\n\nCreates the database and runs the migrations. "
               "When it has no users yet, creates the administrator `admin` and prints\nits "
               "generated password once, as the lines `user: admin` and `password: SECRET`.\n");
        return 0;
    }
    if (open_all(c, 1) != 0)
        return 1;
    store_conn_t *conn = store_reader(c->store);
    int users = conn ? store_user_count(conn) : -1;
    int rc = 0;
    if (users == 0) {
        char pw[25];
        gen_password(pw, 20);
        json_t *u = json_pack("{s:s,s:s,s:s,s:[s]}", "username", "admin", "full_name",
                              "Administrator", "password", pw, "roles", "admin");
        app_actor_t sys = system_actor();
        app_result_t r = {0};
        app_user_create(c->app, &sys, u, NULL, NULL, &r);
        json_decref(u);
        if (r.code != APP_CREATED) {
            print_result_errors("creating the administrator", &r);
            rc = 1;
        } else {
            printf("database: %s\nuser: admin\npassword: %s\n", c->cfg.db, pw);
        }
        app_result_free(&r);
    } else if (users > 0) {
        printf("database: %s (already initialised; %d users)\n", c->cfg.db, users);
    } else {
        rc = 1;
    }
    close_all(c);
    return rc;
}

static int cmd_migrate(ctx_t *c)
{
    if (wants_help(c)) {
        printf("Usage: awda migrate [--db PATH]\n\nApplies the pending migrations.\n");
        return 0;
    }
    make_parent_dir(c->cfg.db);
    if (awda_db_lock(c->cfg.db, "migrate", NULL) != 0)
        return 1;
    if (store_open(c->cfg.db, &c->store) != STORE_OK)
        return 1;
    if (load_keys(c) != 0) { /* a migration may seal values */
        store_close(c->store);
        return 1;
    }
    int applied = 0;
    int rc = store_migrate(c->store, &applied);
    printf("schema %d (%d migrations applied)\n", store_schema_version(c->store), applied);
    store_close(c->store);
    return rc == STORE_OK ? 0 : 1;
}

static const char *opt(ctx_t *c, int from, const char *name);

static int cmd_demo(ctx_t *c)
{
    if (wants_help(c)) {
        printf("Usage: awda demo [--db PATH] [--demo-data DIR]\n\nLoads the demo dataset: "
               "offices in Cairo, Tamanrasset, Algiers, Bamako and Kayes,\na user for each role "
               "(passwords printed once), and about 120 cases. The dataset is read\nfrom DIR (or "
               "AWDA_DEMO_DATA), else from share/awda/demo or data/demo beside the binary.\n");
        return 0;
    }
    if (open_all(c, 1) != 0)
        return 1;
    int rc = awda_demo_load(c->app, stdout, opt(c, 1, "--demo-data")) == 0 ? 0 : 1;
    close_all(c);
    return rc;
}

/* ---- user ----------------------------------------------------------------- */

static int read_password_stdin(char *pw, size_t cap)
{
    if (!fgets(pw, (int)cap, stdin))
        return -1;
    pw[strcspn(pw, "\r\n")] = '\0';
    return 0;
}

static int cmd_user(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || wants_help(c)) {
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
    if (open_all(c, 0) != 0) {
        json_decref(roles);
        json_decref(offices);
        return 1;
    }
    app_actor_t sys = system_actor();
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
            gen_password(pw, 20);
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
        print_result_errors(sub, &r);
        rc = 1;
    }
    sodium_memzero(pw, sizeof pw);
    app_result_free(&r);
    json_decref(roles);
    json_decref(offices);
    close_all(c);
    return rc;
}

/* ---- case, restriction ------------------------------------------------- */

/* Value of --name among the arguments from index from, or NULL. */
static const char *opt(ctx_t *c, int from, const char *name)
{
    for (int i = from; i + 1 < c->nrest; i++)
        if (strcmp(c->rest[i], name) == 0)
            return c->rest[i + 1];
    return NULL;
}

static int has_flag(ctx_t *c, int from, const char *name)
{
    for (int i = from; i < c->nrest; i++)
        if (strcmp(c->rest[i], name) == 0)
            return 1;
    return 0;
}

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

static int cmd_case(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    const char *id = c->nrest > 2 ? c->rest[2] : NULL;
    if (!sub || !id || wants_help(c)) {
        printf("Usage:\n"
               "  awda case readiness CASE_ID\n"
               "  awda case transition CASE_ID EVENT [--reason TEXT] [--at YYYY-MM-DDTHH:MMZ]\n\n"
               "Events: counsel consent approve_eligibility start_pre_departure ready book depart\n"
               "        arrive start_reintegration start_monitoring withdraw hold resume reopen "
               "close\n"
               "depart and arrive say when they happened (--at, UTC).\n"
               "The command line acts with full rights; every requirement still applies.\n");
        return wants_help(c) ? 0 : 2;
    }
    if (open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = system_actor();
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
        const char *reason = opt(c, 4, "--reason");
        const char *at = opt(c, 4, "--at");
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
        print_result_errors(sub, &r);
        rc = 1;
    }
    app_result_free(&r);
    close_all(c);
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

static int cmd_restriction(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || wants_help(c)) {
        printf("Usage:\n"
               "  awda restriction list [--review-overdue]\n"
               "  awda restriction add --country ISO3 --kind suspended|approval_required "
               "--reason TEXT\n"
               "                       --next-review DATE [--from DATE] [--until DATE] "
               "[--admin-area NAME]\n"
               "  awda restriction review ID --next-review DATE [--reason TEXT]\n");
        return wants_help(c) ? 0 : 2;
    }
    if (open_all(c, 0) != 0)
        return 1;
    app_actor_t sys = system_actor();
    app_result_t r = {0};
    int rc = 0;
    if (strcmp(sub, "list") == 0) {
        app_restriction_list(c->app, &sys, has_flag(c, 2, "--review-overdue") ? "true" : NULL, &r);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(r.body, "items"), i, x) print_restriction(x);
    } else if (strcmp(sub, "add") == 0) {
        char today[11];
        awda_date_format(awda_today(), today);
        const char *from = opt(c, 2, "--from");
        json_t *body =
            json_pack("{s:s?,s:s?,s:s?,s:s,s:s?,s:s?}", "country", opt(c, 2, "--country"), "kind",
                      opt(c, 2, "--kind"), "reason", opt(c, 2, "--reason"), "effective_from",
                      from ? from : today, "effective_until", opt(c, 2, "--until"), "next_review",
                      opt(c, 2, "--next-review"));
        const char *area = opt(c, 2, "--admin-area");
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
            json_t *body = json_pack("{s:s?}", "next_review", opt(c, 3, "--next-review"));
            const char *reason = opt(c, 3, "--reason");
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
        print_result_errors(sub, &r);
        rc = 1;
    }
    app_result_free(&r);
    close_all(c);
    return rc;
}

static int cmd_keys(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || wants_help(c) || strcmp(sub, "rotate") != 0) {
        printf("Usage: awda keys rotate [--db PATH] [--key-file PATH]\n\nAdds a new key, "
               "re-seals every sealed value under it in one transaction\n(medical and "
               "protection detail, protection concerns, second-factor secrets,\nstored "
               "replies), then retires the old keys once no value is left under them.\nStop "
               "the server first.\n");
        return wants_help(c) ? 0 : 2;
    }
    if (open_all(c, 0) != 0)
        return 1;
    char path[600];
    key_path(c, path, sizeof path);
    awda_keyring_t old, both;
    memset(&both, 0, sizeof both);
    int rc = 1;
    if (awda_keyring_load(path, &old) != 0) {
        fprintf(stderr, "awda: cannot read the key file %s\n", path);
        goto out;
    }
    both = old;
    /* 1. the new key joins the file first, so a crash never loses it */
    if (awda_keyring_add(&both) != 0 || awda_keyring_save(path, &both) != 0) {
        fprintf(stderr, "awda: cannot write the key file %s\n", path);
        goto out;
    }
    /* 2. every value is re-sealed under it, in one transaction */
    store_set_keyring(c->store, &both);
    long long values = 0;
    if (store_reseal(c->store, &both, &values) != STORE_OK) {
        fprintf(stderr, "awda: re-sealing failed; nothing changed (the key file keeps both "
                        "keys)\n");
        goto out;
    }
    /* 3. only then are the old keys retired, and only when no value is
     * left under them (a place the re-sealing missed would be lost) */
    char where[96];
    store_conn_t *rd = store_reader(c->store);
    long long left =
        rd ? store_sealed_remaining(rd, both.k[both.n - 1].version, where, sizeof where) : -1;
    if (left != 0) {
        if (left < 0)
            fprintf(stderr,
                    "awda: re-sealed, but the database could not be read to check that no "
                    "value is left under the old keys; the key file %s keeps them\n",
                    path);
        else
            fprintf(stderr,
                    "awda: %lld sealed values are still under an old key (the first in %s); "
                    "the key file %s keeps the old keys, so nothing is lost, but the rotation "
                    "is not finished\n",
                    left, where, path);
        goto out;
    }
    awda_keyring_t newest = both;
    newest.k[0] = both.k[both.n - 1];
    newest.n = 1;
    if (awda_keyring_save(path, &newest) != 0) {
        fprintf(stderr, "awda: re-sealed, but the old keys could not be removed from %s\n", path);
        goto out;
    }
    printf("keys rotated: %lld values re-sealed under key version %d\n", values,
           newest.k[0].version);
    awda_keyring_wipe(&newest);
    rc = 0;
out:
    awda_keyring_wipe(&old);
    awda_keyring_wipe(&both);
    close_all(c);
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

static int cmd_permissions(ctx_t *c)
{
    json_t *matrix = app_permission_matrix();
    json_t *routes = api_routes_json();
    int rc = 0;
    if (has_flag(c, 1, "--json")) {
        json_t *o = json_pack("{s:O,s:O}", "permissions", matrix, "routes", routes);
        char *t = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
        printf("%s\n", t ? t : "{}");
        free(t);
        json_decref(o);
    } else if (has_flag(c, 1, "--markdown")) {
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
        rc = wants_help(c) ? 0 : 2;
    }
    json_decref(matrix);
    json_decref(routes);
    return rc;
}

static int cmd_audit(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || wants_help(c) || strcmp(sub, "verify") != 0) {
        printf("Usage: awda audit verify [--db PATH]\n\nWalks the hash chain of the audit log "
               "and exits 1 at the first record\nthat was altered, removed or reordered.\n");
        return wants_help(c) ? 0 : 2;
    }
    if (open_all(c, 0) != 0)
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
    close_all(c);
    return rc;
}

static int cmd_retention(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || wants_help(c) || strcmp(sub, "run") != 0) {
        printf("Usage: awda retention run [--dry-run] [--db PATH]\n\n"
               "Anonymises, irreversibly, the cases whose retention period is over\n"
               "(retention_closed_years after closure, retention_withdrawn_years after a\n"
               "withdrawal): names, contact, documents, day of birth, free text, medical and\n"
               "protection detail go; the statistical fields stay. Each case is recorded in\n"
               "the audit log. With --dry-run, lists what would change and changes nothing.\n"
               "The server runs this once a day.\n");
        return wants_help(c) ? 0 : 2;
    }
    int dry = has_flag(c, 2, "--dry-run");
    if (open_all(c, 0) != 0)
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
    close_all(c);
    return rc;
}

/* The commands that write to the database take its lock (dblock.c), so
 * that they never run beside a server or another writer; the ones that
 * only read (user list, case readiness, restriction list, audit verify,
 * retention run --dry-run) do not. Returns the command's name for the
 * lock record, or NULL. */
static const char *writing_command(ctx_t *c, const char *cmd)
{
    static const char *const WRITERS[] = {"serve",       "init", "demo",      "user", "case",
                                          "restriction", "keys", "retention", NULL};
    static const char *const READERS[] = {"user list", "case readiness", "restriction list", NULL};
    const char *sub = c->nrest > 1 ? c->rest[1] : "";
    char both[64];
    snprintf(both, sizeof both, "%s %s", cmd, sub);
    for (int i = 0; READERS[i]; i++)
        if (strcmp(both, READERS[i]) == 0)
            return NULL;
    if (strcmp(cmd, "retention") == 0 && has_flag(c, 2, "--dry-run"))
        return NULL;
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
    else if (strcmp(cmd, "restriction") == 0)
        rc = cmd_restriction(&c);
    else if (strcmp(cmd, "audit") == 0)
        rc = cmd_audit(&c);
    else if (strcmp(cmd, "keys") == 0)
        rc = cmd_keys(&c);
    else if (strcmp(cmd, "retention") == 0)
        rc = cmd_retention(&c);
    else if (strcmp(cmd, "permissions") == 0)
        rc = cmd_permissions(&c);
    else {
        fprintf(stderr, "awda: unknown command %s\n\n", cmd);
        usage(stderr);
        rc = 2;
    }
    awda_norm_shutdown();
    return rc;
}
