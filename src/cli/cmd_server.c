/*
 * cmd_server.c — the commands about the server and its database: serve,
 * init, migrate, demo, keys rotate.
 *
 * `serve` blocks SIGINT and SIGTERM in every thread, keeps malloc to one
 * arena per core (resident memory), starts the HTTP
 * front, and waits for a signal with sigwait; then it stops accepting,
 * lets requests in flight finish, checkpoints the WAL and exits 0.
 * `init` creates the database and the first administrator (its password
 * printed once); `keys rotate` re-seals every sealed value under a new key.
 */
#include "cli.h"
#include "../app/duplicates.h"
#include "../app/imports.h"
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
#include <malloc.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>
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

int cmd_serve(ctx_t *c)
{
    if (cli_wants_help(c)) {
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
    /* One malloc arena per core, before any thread starts: glibc would
     * give each busy thread its own (eight per core at most), and their
     * freed pages stay resident. Measured at a million persons under the
     * three loads of bench/run.sh: 92-93 MB instead of 103-106 MB, for the
     * same throughput (bench/RESULTS.md). */
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    mallopt(M_ARENA_MAX, cores > 0 && cores < 64 ? (int)cores : 8);
    if (check_web_settings(&c->cfg) != 0 || cli_open_all(c, 1) != 0)
        return 1;
    if (cli_survey_load(c, NULL) != 0) { /* follow-up: the survey instruments */
        cli_close_all(c);
        return 1;
    }
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
        cli_close_all(c);
        return 1;
    }
    lock_record_address(c, srv);
    /* duplicates: flag registrations, make the keys of older persons */
    if (app_duplicates_start(c->app) != 0)
        awda_log(LOG_ERROR, "duplicates_thread", "\"started\":false");
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
    app_imports_stop();
    app_duplicates_stop(c->app);
    store_checkpoint(c->store);
    cli_close_all(c);
    awda_log(LOG_INFO, "stopped", NULL);
    return 0;
}

/* ---- init, migrate, demo ------------------------------------------------- */

int cmd_init(ctx_t *c)
{
    if (cli_wants_help(c)) {
        printf("Usage: awda init [--db PATH]\n\nCreates the database and runs the migrations. "
               "When it has no users yet, creates the administrator `admin` and prints\nits "
               "generated password once, as the lines `user: admin` and `password: SECRET`.\n");
        return 0;
    }
    if (cli_open_all(c, 1) != 0)
        return 1;
    store_conn_t *conn = store_reader(c->store);
    int users = conn ? store_user_count(conn) : -1;
    int rc = 0;
    if (users == 0) {
        char pw[25];
        cli_gen_password(pw, 20);
        json_t *u = json_pack("{s:s,s:s,s:s,s:[s]}", "username", "admin", "full_name",
                              "Administrator", "password", pw, "roles", "admin");
        app_actor_t sys = cli_system_actor();
        app_result_t r = {0};
        app_user_create(c->app, &sys, u, NULL, NULL, &r);
        json_decref(u);
        if (r.code != APP_CREATED) {
            cli_print_result_errors("creating the administrator", &r);
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
    cli_close_all(c);
    return rc;
}

int cmd_migrate(ctx_t *c)
{
    if (cli_wants_help(c)) {
        printf("Usage: awda migrate [--db PATH]\n\nApplies the pending migrations.\n");
        return 0;
    }
    cli_make_parent_dir(c->cfg.db);
    if (awda_db_lock(c->cfg.db, "migrate", NULL) != 0)
        return 1;
    if (store_open(c->cfg.db, &c->store) != STORE_OK)
        return 1;
    if (cli_load_keys(c) != 0) { /* a migration may seal values */
        store_close(c->store);
        return 1;
    }
    int applied = 0;
    int rc = store_migrate(c->store, &applied);
    printf("schema %d (%d migrations applied)\n", store_schema_version(c->store), applied);
    store_close(c->store);
    return rc == STORE_OK ? 0 : 1;
}

int cmd_demo(ctx_t *c)
{
    if (cli_wants_help(c)) {
        printf("Usage: awda demo [--db PATH] [--demo-data DIR]\n\nLoads the demo dataset: "
               "offices in Cairo, Tamanrasset, Algiers, Bamako and Kayes,\na user for each role "
               "(passwords printed once), and about 120 cases. The dataset is read\nfrom DIR (or "
               "AWDA_DEMO_DATA), else from share/awda/demo or data/demo beside the binary.\n");
        return 0;
    }
    if (cli_open_all(c, 1) != 0)
        return 1;
    int rc = awda_demo_load(c->app, stdout, cli_opt(c, 1, "--demo-data")) == 0 ? 0 : 1;
    cli_close_all(c);
    return rc;
}

int cmd_keys(ctx_t *c)
{
    const char *sub = c->nrest > 1 ? c->rest[1] : NULL;
    if (!sub || cli_wants_help(c) || strcmp(sub, "rotate") != 0) {
        printf("Usage: awda keys rotate [--db PATH] [--key-file PATH]\n\nAdds a new key, "
               "re-seals every sealed value under it in one transaction\n(medical and "
               "protection detail, protection concerns, second-factor secrets,\nstored "
               "replies), then retires the old keys once no value is left under them.\nStop "
               "the server first.\n");
        return cli_wants_help(c) ? 0 : 2;
    }
    if (cli_open_all(c, 0) != 0)
        return 1;
    char path[600];
    cli_key_path(c, path, sizeof path);
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
    cli_close_all(c);
    return rc;
}
