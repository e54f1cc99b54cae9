/*
 * fuzz_http.c — libFuzzer harness for the HTTP request front.
 *
 * What it fuzzes: everything awda does with the bytes of a request —
 * libmicrohttpd's parsing as configured by http.c, http.c's hygiene rules
 * (conflicting Content-Length, Content-Length with Transfer-Encoding,
 * missing Host, body cap, the unescape callback, control bytes in the
 * path and query), and then the API router and modules (routing, sessions from the
 * Authorization header or the cookie, CSRF, If-Match, Idempotency-Key,
 * JSON depth, duplicate keys, invalid UTF-8) down through the application
 * layer and the store, against a real SQLite database.
 *
 * How it works: the input is the raw byte stream a client would send on
 * one connection (one or several pipelined requests). The server is
 * started once with http_start_detached (http.c): the very same request
 * callbacks as `awda serve`, but no listening socket and no threads. Per
 * input, a socketpair is made; one end is handed to the daemon with
 * MHD_add_connection, the input is written to the other end, which is
 * then half-closed, and the daemon is driven with MHD_run until it closes
 * the connection. The response bytes are read and checked: a 500 is a
 * finding (the server must never fail on what a client sends), and so is a
 * connection the daemon never finishes.
 *
 * State: the database (in /dev/shm when it exists, else $TMPDIR, in a
 * directory awda-fuzz-PID-*, removed at exit or by the next run when the
 * process died) holds three offices (EG-CAI, ML-BKO, SD-KRT), two users
 * with fixed session tokens — FZH_TOKEN_ALL (every staff role, all
 * offices) and FZH_TOKEN_REG (registration, EG-CAI) — a case with one
 * person, and a restriction. Since their ids are random,
 * the input may name them with placeholders that are replaced before
 * sending: @CASE@, @PERSON@, @RESTRICTION@. After each input the two
 * sessions are checked and restored when the input ended them (logout,
 * a password change, a disabled user), so that one input cannot blind all
 * later ones. The state grows over a run, so a finding is replayed on a
 * fresh database by tests/unit/test_fuzz_regressions.c.
 *
 * The web interface is served from a small web root (index.html, a
 * hashed asset with a .gz copy, a symbolic link pointing out of the root)
 * beside a file that must never be served; a response carrying its
 * content (FZH_SECRET) is a finding: static.c's path handling leaked.
 *
 * With FUZZ_NO_MAIN defined this file only provides fzh_one() and
 * fzh_cleanup() (the regression tests include it).
 */
#include "../src/app/app.h"
#include "../src/http/http.h"
#include "../src/store/store.h"
#include "../src/util/id.h"
#include "../src/util/limits.h"
#include "../src/util/log.h"
#include "../src/util/seal.h"
#include "../src/util/timeutil.h"
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define FZH_TOKEN_ALL "f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"
#define FZH_TOKEN_REG "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
/* Iterations of MHD_run after which a connection counts as hung. */
#define FZH_MAX_ROUNDS 20000

typedef struct {
    const char *username, *token, *roles, *offices;
} fzh_user_t;

static const fzh_user_t FZH_USERS[] = {
    {"fz-all", FZH_TOKEN_ALL,
     "[\"registration\",\"counsellor\",\"medical\",\"operations\",\"protection\","
     "\"reintegration\",\"manager\",\"admin\"]",
     "[\"EG-CAI\",\"ML-BKO\"]"},
    {"fz-reg", FZH_TOKEN_REG, "[\"registration\"]", "[\"EG-CAI\"]"},
};
#define FZH_NUSERS ((int)(sizeof FZH_USERS / sizeof FZH_USERS[0]))

static struct {
    int ready;
    int show; /* FUZZ_SHOW set: print each response (for writing seeds) */
    char dir[512];
    char web_root[600];
    store_t *store;
    app_t *app;
    http_server_t *srv;
    char case_id[AWDA_UUID_LEN + 1];
    char person_id[AWDA_UUID_LEN + 1];
    char restriction_id[AWDA_UUID_LEN + 1];
} fzh;

static void fzh_die(const char *what)
{
    fprintf(stderr, "fuzz_http: %s\n", what);
    abort();
}

static app_actor_t fzh_system(void)
{
    app_actor_t a;
    memset(&a, 0, sizeof a);
    a.system = 1;
    return a;
}

/* Runs one system use case whose body is JSON text; returns the result
 * body's member `member` (or "") into out. */
typedef void (*fzh_create_fn)(app_t *, const app_actor_t *, const json_t *, const char *,
                              const char *, app_result_t *);

static void fzh_create(fzh_create_fn fn, const char *json, const char *what, char *id, size_t cap)
{
    json_error_t err;
    json_t *body = json_loads(json, 0, &err);
    if (!body)
        fzh_die(err.text);
    app_actor_t sys = fzh_system();
    app_result_t r = {0};
    fn(fzh.app, &sys, body, NULL, NULL, &r);
    json_decref(body);
    if (r.code != APP_CREATED) {
        char *e = r.errors ? json_dumps(r.errors, 0) : NULL;
        fprintf(stderr, "fuzz_http: creating %s: %d %s %s\n", what, (int)r.code, r.detail,
                e ? e : "");
        free(e);
        abort();
    }
    if (id) {
        const char *v = json_string_value(json_object_get(r.body, "id"));
        snprintf(id, cap, "%s", v ? v : "");
    }
    app_result_free(&r);
}

typedef struct {
    const char *token_hash;
    int64_t user_pk;
} fzh_session_t;

static int fzh_session_job(store_conn_t *c, void *p, app_result_t *r)
{
    fzh_session_t *s = p;
    r->code = APP_CREATED;
    return store_session_insert(c, s->token_hash, s->user_pk,
                                awda_now_ms() + (int64_t)24 * 3600 * 1000);
}

/* Makes user i able to use its token: enabled, its roles and offices, a
 * live session. Called at start and whenever an input ended the session. */
static void fzh_restore_user(int i, int create)
{
    const fzh_user_t *u = &FZH_USERS[i];
    char json[1024];
    app_actor_t sys = fzh_system();
    app_result_t r = {0};
    if (create) {
        snprintf(json, sizeof json,
                 "{\"username\":\"%s\",\"full_name\":\"Fuzz %s\",\"password\":"
                 "\"fuzz-password-not-used\",\"roles\":%s,\"offices\":%s}",
                 u->username, u->username, u->roles, u->offices);
        fzh_create(app_user_create, json, "user", NULL, 0);
    } else {
        snprintf(json, sizeof json, "{\"disabled\":false,\"roles\":%s,\"offices\":%s}", u->roles,
                 u->offices);
        json_t *body = json_loads(json, 0, NULL);
        app_user_update(fzh.app, &sys, u->username, body, &r);
        json_decref(body);
        app_result_free(&r);
        memset(&r, 0, sizeof r);
    }
    store_conn_t *c = store_reader(fzh.store);
    int64_t pk = c ? store_user_pk(c, u->username) : 0;
    if (!pk)
        fzh_die("the fuzzing user is missing");
    char hash[65];
    awda_hash_hex(u->token, strlen(u->token), hash);
    fzh_session_t s = {hash, pk};
    /* fails when the session row is still there (only the user was
     * changed); fzh_keep_sessions checks the outcome */
    app_run(fzh.app, fzh_session_job, &s, &r);
    app_result_free(&r);
}

static int fzh_user_ok(int i)
{
    app_actor_t a;
    if (app_authenticate(fzh.app, FZH_USERS[i].token, &a) != APP_OK || a.p.disabled)
        return 0;
    char want[256];
    snprintf(want, sizeof want, "%s", FZH_USERS[i].roles);
    unsigned roles = 0;
    for (char *tok = strtok(want, "[\",]"); tok; tok = strtok(NULL, "[\",]"))
        roles |= app_role_bit(tok);
    return a.p.roles == roles && a.p.noffices > 0;
}

static void fzh_keep_sessions(void)
{
    for (int i = 0; i < FZH_NUSERS; i++)
        if (!fzh_user_ok(i)) {
            fzh_restore_user(i, 0);
            if (!fzh_user_ok(i))
                fzh_die("the fuzzing session could not be restored");
        }
}

/* Everything the fixture puts in its directory, files before the
 * directories that hold them. */
static const char *const FZH_FILES[] = {"fuzz.db",
                                        "fuzz.db-wal",
                                        "fuzz.db-shm",
                                        "fuzz.db-journal",
                                        "secret.txt",
                                        "web/index.html",
                                        "web/app.0123abcd.js",
                                        "web/app.0123abcd.js.gz",
                                        "web/leak.txt",
                                        "web/i18n/en.0a1b2c3d.json",
                                        "web/i18n",
                                        "web"};

static void fzh_remove_all(const char *dir)
{
    char p[1200];
    for (size_t i = 0; i < sizeof FZH_FILES / sizeof FZH_FILES[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, FZH_FILES[i]);
        if (unlink(p) != 0)
            rmdir(p);
    }
    rmdir(dir);
}

void fzh_cleanup(void)
{
    if (!fzh.ready)
        return;
    fzh.ready = 0;
    http_stop(fzh.srv, 0);
    app_free(fzh.app);
    store_close(fzh.store);
    fzh_remove_all(fzh.dir);
}

/* Removes the databases of earlier runs that died (a crash skips the exit
 * handlers): directories awda-fuzz-PID-* whose process is gone. */
static void fzh_sweep(const char *base)
{
    DIR *d = opendir(base);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "awda-fuzz-", 10) != 0)
            continue;
        char *end = NULL;
        long pid = strtol(e->d_name + 10, &end, 10);
        if (end == e->d_name + 10 || *end != '-' || pid <= 0 || kill((pid_t)pid, 0) == 0 ||
            errno != ESRCH)
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", base, e->d_name);
        fzh_remove_all(p);
    }
    closedir(d);
}

static void fzh_web_root(char *root, size_t cap);

static void fzh_init(void)
{
    if (fzh.ready)
        return;
    awda_log_level(getenv("FUZZ_LOG") ? LOG_DEBUG : LOG_ERROR + 1);
    fzh.show = getenv("FUZZ_SHOW") != NULL;
    struct stat st;
    const char *base =
        stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
            ? "/dev/shm"
            : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    fzh_sweep(base);
    snprintf(fzh.dir, sizeof fzh.dir, "%s/awda-fuzz-%ld-XXXXXX", base, (long)getpid());
    if (!mkdtemp(fzh.dir))
        fzh_die("cannot make a temporary directory");
    char db[600];
    snprintf(db, sizeof db, "%s/fuzz.db", fzh.dir);
    int applied = 0;
    if (store_open(db, &fzh.store) != STORE_OK || store_migrate(fzh.store, &applied) != STORE_OK)
        fzh_die("cannot open the database");
    awda_keyring_t kr;
    memset(&kr, 0, sizeof kr);
    if (awda_keyring_add(&kr) != 0)
        fzh_die("cannot make a key");
    store_set_keyring(fzh.store, &kr);
    awda_keyring_wipe(&kr);
    app_config_t ac;
    memset(&ac, 0, sizeof ac); /* what is not set here: off, or its default */
    ac.session_hours = 12;
    ac.reconfirm_hours = 72;
    ac.preembark_hours = 72;
    ac.procedure_types = "exit_visa,police_clearance";
    ac.session_idle_minutes = 30;
    fzh.app = app_new(fzh.store, &ac);
    if (!fzh.app)
        fzh_die("cannot start the application");
    fzh.ready = 1;
    atexit(fzh_cleanup);

    fzh_create(app_office_create,
               "{\"code\":\"EG-CAI\",\"name\":\"Cairo\",\"country\":\"EGY\","
               "\"location\":\"Cairo, Egypt\"}",
               "office", NULL, 0);
    fzh_create(app_office_create,
               "{\"code\":\"ML-BKO\",\"name\":\"Bamako\",\"country\":\"MLI\","
               "\"location\":\"Bamako, Mali\"}",
               "office", NULL, 0);
    fzh_create(app_office_create,
               "{\"code\":\"SD-KRT\",\"name\":\"Khartoum\",\"country\":\"SDN\","
               "\"location\":\"Khartoum, Sudan\"}",
               "office", NULL, 0);
    for (int i = 0; i < FZH_NUSERS; i++)
        fzh_restore_user(i, 1);
    fzh_create(app_case_create,
               "{\"office\":\"EG-CAI\",\"origin_country\":\"SDN\",\"destination_country\":\"SDN\","
               "\"destination_admin_area\":\"Khartoum\",\"destination_pcode\":\"SD01\","
               "\"notes\":\"fuzzing fixture\",\"members\":[{\"relationship\":\"principal\","
               "\"person\":{\"name\":\"محمد عبد الله\",\"name_latin\":\"Mohamed Abdallah\","
               "\"sex\":\"male\",\"date_of_birth\":\"1990-05-01\",\"dob_precision\":\"exact\","
               "\"nationality\":\"SDN\",\"languages\":[\"ar\",\"en\"],\"documents\":[{\"type\":"
               "\"passport\",\"number\":\"P1234567\",\"issuing_country\":\"SDN\",\"expiry\":"
               "\"2030-01-01\"}],\"contact\":{\"phone\":\"+249912345678\"},"
               "\"vulnerabilities\":[]}}]}",
               "case", fzh.case_id, sizeof fzh.case_id);
    app_actor_t sys = fzh_system();
    app_result_t r = {0};
    app_case_get(fzh.app, &sys, fzh.case_id, &r);
    json_t *m0 = json_array_get(json_object_get(r.body, "members"), 0);
    const char *pid = json_string_value(json_object_get(json_object_get(m0, "person"), "id"));
    snprintf(fzh.person_id, sizeof fzh.person_id, "%s", pid ? pid : "");
    app_result_free(&r);
    fzh_create(app_restriction_create,
               "{\"country\":\"MLI\",\"admin_area\":\"Kidal\",\"kind\":\"approval_required\","
               "\"effective_from\":\"2024-01-01\",\"effective_until\":null,"
               "\"reason\":\"security situation\",\"next_review\":\"2030-01-01\"}",
               "restriction", fzh.restriction_id, sizeof fzh.restriction_id);

    fzh_web_root(fzh.web_root, sizeof fzh.web_root);
    http_config_t hc = {.listen = "detached",
                        .threads = 1,
                        .max_body = AWDA_MAX_BODY_DEFAULT,
                        .web_root = fzh.web_root};
    fzh.srv = http_start_detached(fzh.app, &hc);
    if (!fzh.srv)
        fzh_die("cannot start the detached HTTP daemon");
}

/* Copies data, replacing the placeholders by the fixture's ids. */
static char *fzh_expand(const uint8_t *data, size_t size, size_t *out_len)
{
    const struct {
        const char *name;
        const char *value;
    } subs[] = {{"@CASE@", fzh.case_id},
                {"@PERSON@", fzh.person_id},
                {"@RESTRICTION@", fzh.restriction_id}};
    /* each placeholder is at least 6 bytes and becomes at most 36 */
    char *out = malloc(size * 6 + 1);
    if (!out)
        fzh_die("out of memory");
    size_t n = 0;
    for (size_t i = 0; i < size;) {
        int done = 0;
        if (data[i] == '@')
            for (size_t k = 0; k < sizeof subs / sizeof subs[0] && !done; k++) {
                size_t len = strlen(subs[k].name);
                if (size - i >= len && memcmp(data + i, subs[k].name, len) == 0) {
                    size_t vl = strlen(subs[k].value);
                    memcpy(out + n, subs[k].value, vl);
                    n += vl;
                    i += len;
                    done = 1;
                }
            }
        if (!done)
            out[n++] = (char)data[i++];
    }
    *out_len = n;
    return out;
}

/* Checks one response stream: no status line may be 500 (MHD answers 505 itself for an unknown
 * version). */
/* Content of a file beside the web root: never to be served. */
#define FZH_SECRET "FZH-SECRET-OUTSIDE-THE-WEB-ROOT"

static void fzh_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        fzh_die("cannot write the web-root fixture");
}

/* <dir>/web (the web root) and <dir>/secret.txt outside it. */
static void fzh_web_root(char *root, size_t cap)
{
    char p[700];
    snprintf(root, cap, "%s/web", fzh.dir);
    if (mkdir(root, 0700) != 0)
        fzh_die("cannot make the web root");
    snprintf(p, sizeof p, "%s/secret.txt", fzh.dir);
    fzh_write_file(p, FZH_SECRET "\n");
    snprintf(p, sizeof p, "%s/index.html", root);
    fzh_write_file(p, "<!doctype html><title>awda</title><script src=\"/app.0123abcd.js\">"
                      "</script>\n");
    snprintf(p, sizeof p, "%s/app.0123abcd.js", root);
    fzh_write_file(p, "console.log('awda');\n");
    snprintf(p, sizeof p, "%s/app.0123abcd.js.gz", root);
    fzh_write_file(p, "not really gzip\n");
    snprintf(p, sizeof p, "%s/leak.txt", root);
    if (symlink("../secret.txt", p) != 0)
        fzh_die("cannot make the symbolic link of the web-root fixture");
    snprintf(p, sizeof p, "%s/i18n", root);
    if (mkdir(p, 0700) != 0)
        fzh_die("cannot make the web root");
    snprintf(p, sizeof p, "%s/i18n/en.0a1b2c3d.json", root);
    fzh_write_file(p, "{\"app.name\": \"awda\"}\n");
}

static void fzh_check_response(const char *resp, size_t n)
{
    if (memmem(resp, n, FZH_SECRET, sizeof FZH_SECRET - 1)) {
        fprintf(stderr, "fuzz_http: a file outside the web root was served\n");
        fwrite(resp, 1, n < 2000 ? n : 2000, stderr);
        fputc('\n', stderr);
        abort();
    }
    static const char STATUS[] = "HTTP/1.1 500 ";
    for (size_t i = 0; i + sizeof STATUS - 1 <= n; i++)
        if ((i == 0 || resp[i - 1] == '\n') && memcmp(resp + i, STATUS, sizeof STATUS - 1) == 0) {
            fprintf(stderr, "fuzz_http: the server answered %.*s\n", 12, resp + i);
            fwrite(resp, 1, n < 2000 ? n : 2000, stderr);
            fputc('\n', stderr);
            abort();
        }
}

static unsigned fzh_connections(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return di ? di->num_connections : 0;
}

/* Sends one connection's bytes through the server; returns the number of
 * response bytes (the response itself goes to *resp when resp is set,
 * caller frees). */
size_t fzh_one(const uint8_t *data, size_t size, char **resp)
{
    fzh_init();
    struct MHD_Daemon *d = http_daemon(fzh.srv);
    size_t n;
    char *req = fzh_expand(data, size, &n);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
        fzh_die("socketpair failed");
    struct sockaddr_in peer;
    memset(&peer, 0, sizeof peer);
    peer.sin_family = AF_INET;
    peer.sin_port = htons(40000);
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (MHD_add_connection(d, sv[1], (struct sockaddr *)&peer, sizeof peer) != MHD_YES)
        fzh_die("MHD_add_connection failed");

    size_t off = 0, got = 0, cap = 65536;
    char *out = malloc(cap);
    if (!out)
        fzh_die("out of memory");
    int shut = 0, eof = 0, rounds = 0;
    while (!eof) {
        if (++rounds > FZH_MAX_ROUNDS)
            fzh_die("the server never finished the connection");
        while (off < n) {
            ssize_t w = send(sv[0], req + off, n - off, MSG_NOSIGNAL);
            if (w <= 0) {
                if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                    off = n; /* the server closed: the rest is not read */
                break;
            }
            off += (size_t)w;
        }
        if (off == n && !shut) {
            shutdown(sv[0], SHUT_WR);
            shut = 1;
        }
        MHD_run(d);
        for (;;) {
            if (got == cap) {
                char *bigger = realloc(out, cap * 2);
                if (!bigger)
                    fzh_die("out of memory");
                out = bigger;
                cap *= 2;
            }
            ssize_t r = recv(sv[0], out + got, cap - got, 0);
            if (r > 0) {
                got += (size_t)r;
                continue;
            }
            if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                eof = 1;
            break;
        }
    }
    close(sv[0]);
    for (rounds = 0; fzh_connections(d) > 0; rounds++) {
        if (rounds > FZH_MAX_ROUNDS)
            fzh_die("the server kept a closed connection");
        MHD_run(d);
    }
    free(req);
    if (fzh.show)
        fprintf(stderr, "fuzz_http: response\n%.*s\n", (int)(got < 1500 ? got : 1500), out);
    fzh_check_response(out, got);
    fzh_keep_sessions();
    if (resp)
        *resp = out;
    else
        free(out);
    return got;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fzh_one(data, size, NULL);
    return 0;
}
#endif
