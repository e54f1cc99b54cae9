/*
 * auth.c — passwords, login throttling and sessions.
 *
 * Passwords are hashed with libsodium's Argon2id (crypto_pwhash_str,
 * interactive limits: 64 MiB per hash). Every use case that hashes one is
 * password work (app.h): its checks and throttling run first, the hash is
 * a job that the HTTP server runs on its own hashing threads (never on a
 * thread answering requests), and the rest of the use case runs after.
 * At most AWDA_MAX_CONCURRENT_HASHES hashes run at once whoever calls, so
 * a login storm cannot exhaust memory. An unknown user name costs the same
 * verification as a known one (against a dummy hash) so timing does not
 * reveal which names exist.
 *
 * Throttling (throttle.c counts exactly, in a bounded table): a sign-in
 * is an attempt on three counters — its address (an IPv6 address by its
 * /64), the pair of user name and address, and the user name from
 * anywhere. Past the address's or the pair's limit within the window the
 * answer is 429 with Retry-After, before any hashing. The name's own
 * budget (AWDA_LOGIN_FAILURES_PER_USER_ANYWHERE an hour) refuses only
 * addresses the user has not signed in from successfully in the last
 * AWDA_KNOWN_ADDRESS_DAYS: guessing from many addresses is slowed, and
 * strangers cannot lock the owner out of their usual address. The attempt
 * is reserved on every counter before the hash, so concurrent guesses get
 * no more checks than the limit; it is counted as a failure or released
 * once the outcome is known. A success clears the pair's failures only.
 *
 * Sessions: a token is 32 random bytes (64 hex characters) given to the
 * client once; the database keeps only its BLAKE2b hash, with an absolute
 * expiry.
 */
#include "internal.h"
#include "throttle.h"
#include "../core/field.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(((app_hash_job_t *)0)->hash) >= crypto_pwhash_STRBYTES,
               "a job holds a whole Argon2id hash string");

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[33];
    awda_random_hex(pw, 16);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

int auth_init(app_t *app)
{
    for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
        pthread_mutex_init(&app->session_lock[i], NULL);
    pthread_mutex_init(&app->hash_lock, NULL);
    pthread_cond_init(&app->hash_cond, NULL);
    app->throttle = throttle_new(AWDA_THROTTLE_MAX_ENTRIES);
    return app->throttle ? 0 : -1;
}

void auth_free(app_t *app)
{
    for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
        pthread_mutex_destroy(&app->session_lock[i]);
    pthread_mutex_destroy(&app->hash_lock);
    pthread_cond_destroy(&app->hash_cond);
    throttle_free(app->throttle);
}

/* ---- password work ------------------------------------------------------ */

static void hash_enter(app_t *app)
{
    pthread_mutex_lock(&app->hash_lock);
    while (app->hashing >= AWDA_MAX_CONCURRENT_HASHES)
        pthread_cond_wait(&app->hash_cond, &app->hash_lock);
    app->hashing++;
    pthread_mutex_unlock(&app->hash_lock);
}

static void hash_leave(app_t *app)
{
    pthread_mutex_lock(&app->hash_lock);
    app->hashing--;
    pthread_cond_signal(&app->hash_cond);
    pthread_mutex_unlock(&app->hash_lock);
}

int app_hash_password(const char *password, char *out, size_t cap)
{
    if (cap < crypto_pwhash_STRBYTES)
        return -1;
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

app_hash_job_t *app_hash_job_new(app_t *app, size_t size, const char *password, int verify,
                                 void (*finish)(app_hash_job_t *j, app_result_t *r))
{
    size_t n = password ? strlen(password) : 0;
    if (n > AWDA_PASSWORD_MAX || size < sizeof(app_hash_job_t))
        return NULL;
    app_hash_job_t *j = awda_calloc(1, size);
    if (!j)
        return NULL;
    j->app = app;
    j->verify = verify;
    j->finish = finish;
    if (n)
        memcpy(j->password, password, n);
    return j;
}

void app_hash_job_discard(app_hash_job_t *j)
{
    sodium_memzero(j->password, sizeof j->password);
    sodium_memzero(j->hash, sizeof j->hash);
    free(j);
}

void app_hash_job_run(app_hash_job_t *j)
{
    hash_enter(j->app);
    if (j->verify) {
        const char *hash = j->hash;
        if (j->unknown_user) {
            pthread_once(&dummy_once, make_dummy);
            hash = dummy_hash;
        }
        int right =
            hash[0] && crypto_pwhash_str_verify(hash, j->password, strlen(j->password)) == 0;
        j->ok = right && !j->unknown_user;
        __atomic_add_fetch(&j->app->password_checks, 1, __ATOMIC_RELAXED);
    } else {
        j->ok = app_hash_password(j->password, j->hash, sizeof j->hash) == 0;
    }
    hash_leave(j->app);
    sodium_memzero(j->password, sizeof j->password);
    j->ran = 1;
}

void app_hash_job_finish(app_hash_job_t *j, app_result_t *r)
{
    if (!j->ran) {
        app_fail(r, APP_UNAVAILABLE,
                 "the server is busy checking passwords; try again in %d seconds",
                 AWDA_WORK_RETRY_AFTER);
        r->retry_after = AWDA_WORK_RETRY_AFTER;
    }
    j->finish(j, r);
    app_hash_job_discard(j);
}

void app_hash_job_now(app_hash_job_t *j, app_result_t *r)
{
    if (!j)
        return;
    app_hash_job_run(j);
    app_hash_job_finish(j, r);
}

unsigned long long app_password_checks(app_t *app)
{
    return __atomic_load_n(&app->password_checks, __ATOMIC_RELAXED);
}

size_t app_throttle_entries(app_t *app)
{
    return throttle_count(app->throttle);
}

/* ---- throttling --------------------------------------------------------- */

/* The address as throttling counts it: IPv4 as it is, an IPv4-mapped IPv6
 * address as IPv4, other IPv6 by its /64 network (what one subscriber
 * gets); "?" when unknown. */
static void addr_key(const char *addr, char out[64])
{
    struct in6_addr a6;
    if (addr && inet_pton(AF_INET6, addr, &a6) == 1) {
        if (IN6_IS_ADDR_V4MAPPED(&a6)) {
            if (inet_ntop(AF_INET, &a6.s6_addr[12], out, 64))
                return;
        } else {
            char t[INET6_ADDRSTRLEN];
            memset(&a6.s6_addr[8], 0, 8);
            if (inet_ntop(AF_INET6, &a6, t, sizeof t)) {
                snprintf(out, 64, "%s/64", t);
                return;
            }
        }
    }
    snprintf(out, 64, "%s", addr && *addr ? addr : "?");
}

static void set_rule(throttle_rule_t *r, int limit, int window_s, int enforce, int clear)
{
    r->limit = limit;
    r->window_s = window_s;
    r->enforce = enforce;
    r->clear_on_success = clear;
}

/* Reserves an attempt on the rules: 1 when it may go on; 0 with r filled
 * (429 with the wait, or 503 when the table is full of live counters). */
static int reserve(app_t *app, const throttle_rule_t *rules, int n, const char *what,
                   app_result_t *r)
{
    int wait = throttle_reserve(app->throttle, rules, n, awda_now_ms());
    if (wait > 0) {
        app_fail(r, APP_TOO_MANY, "too many %s; try again in %d seconds", what, wait);
        r->retry_after = wait;
        return 0;
    }
    if (wait < 0) {
        awda_log(LOG_WARN, "throttle_full", "\"entries\":%d", AWDA_THROTTLE_MAX_ENTRIES);
        app_fail(r, APP_UNAVAILABLE,
                 "too many failed sign-ins on this server right now; try again in a minute");
        r->retry_after = 60;
        return 0;
    }
    return 1;
}

/* Re-typing one's password has a counter of its own, so that a wrong
 * guess there never blocks signing in. */
static void recheck_rule(throttle_rule_t *rule, const char *username)
{
    memset(rule, 0, sizeof *rule);
    snprintf(rule->key, sizeof rule->key, "r:%s", username);
    set_rule(rule, AWDA_LOGIN_FAILURES_PER_USER, AWDA_LOGIN_WINDOW_SECONDS, 1, 1);
}

int auth_recheck_begin(app_t *app, app_hash_job_t *j, const char *username, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return 0;
    store_principal_t p;
    j->unknown_user = store_user_auth(c, username, &p, j->hash, sizeof j->hash) != STORE_OK;
    throttle_rule_t rule;
    recheck_rule(&rule, username);
    return reserve(app, &rule, 1, "wrong passwords", r);
}

void auth_recheck_settle(app_hash_job_t *j, const char *username)
{
    throttle_rule_t rule;
    recheck_rule(&rule, username);
    throttle_settle(j->app->throttle, &rule, 1,
                    !j->ran ? THROTTLE_RELEASED
                    : j->ok ? THROTTLE_SUCCEEDED
                            : THROTTLE_FAILED,
                    awda_now_ms());
}

/* ---- signing in --------------------------------------------------------- */

typedef struct {
    const char *token_hash;
    int64_t user_pk;
    int64_t expires;
    const char *addr; /* noted as an address the user signs in from; NULL: none */
} session_ctx_t;

static int session_job(store_conn_t *c, void *p, app_result_t *r)
{
    session_ctx_t *x = p;
    r->code = APP_CREATED;
    int rc = store_session_insert(c, x->token_hash, x->user_pk, x->expires);
    if (rc == STORE_OK && x->addr)
        rc = store_sign_in_note(c, x->user_pk, x->addr, awda_now_ms(),
                                AWDA_KNOWN_ADDRESSES_PER_USER);
    return rc;
}

static json_t *user_json(app_t *app, const char *username)
{
    store_conn_t *c = store_reader(app->store);
    return c ? store_user_get(c, username) : NULL;
}

enum { RULE_ADDR, RULE_PAIR, RULE_USER, NRULES };

typedef struct {
    app_hash_job_t base;
    char username[AWDA_MAX_USERNAME + 1];
    char otp[AWDA_MAX_OTP + 1]; /* "" when none was sent */
    char addr[64];              /* as throttling counts it (addr_key) */
    int found;
    store_principal_t p;
    throttle_rule_t rules[NRULES];
} login_job_t;

static void open_session(app_t *app, login_job_t *j, app_result_t *r)
{
    char token[65], token_hash[65];
    awda_random_hex(token, 32);
    awda_hash_hex(token, 64, token_hash);
    int64_t expires = awda_now_ms() + (int64_t)app->cfg.session_hours * 3600 * 1000;
    session_ctx_t x = {token_hash, j->p.pk, expires, strcmp(j->addr, "?") ? j->addr : NULL};
    app_run(app, session_job, &x, r);
    if (r->code != APP_CREATED)
        return;
    char ts[32];
    awda_iso_ms(expires, ts);
    json_t *u = user_json(app, j->username);
    app_actor_t a = {.p = j->p};
    if (u && app_must_enrol(app, &a))
        json_object_set_new(u, "must_set_up_second_factor", json_true());
    r->body =
        json_pack("{s:s,s:s,s:o}", "token", token, "expires_at", ts, "user", u ? u : json_null());
}

static void login_finish(app_hash_job_t *base, app_result_t *r)
{
    login_job_t *j = (login_job_t *)base;
    app_t *app = base->app;
    throttle_outcome_t outcome = THROTTLE_RELEASED; /* not run: r says busy */
    if (base->ran && !(base->ok && j->found && !j->p.disabled)) {
        outcome = THROTTLE_FAILED;
        app_fail(r, APP_UNAUTHORIZED, "the user name or the password is wrong");
    } else if (base->ran && j->p.totp_enabled && !j->otp[0]) {
        /* Not a failure: the client asks for the code and sends both again. */
        app_fail(r, APP_OTP_REQUIRED,
                 "enter the 6-digit code that your authenticator app shows for awda");
    } else if (base->ran && j->p.totp_enabled) {
        app_code_t oc = second_factor_verify(app, j->p.pk, j->otp);
        if (oc == APP_OK) {
            outcome = THROTTLE_SUCCEEDED;
        } else if (oc == APP_UNAUTHORIZED) {
            outcome = THROTTLE_FAILED;
            app_fail(r, APP_UNAUTHORIZED,
                     "the one-time code is wrong, expired or was used already");
        } else {
            app_fail(r, oc, "the second factor could not be checked");
        }
    } else if (base->ran) {
        outcome = THROTTLE_SUCCEEDED;
    }
    throttle_settle(app->throttle, j->rules, NRULES, outcome, awda_now_ms());
    sodium_memzero(j->otp, sizeof j->otp);
    if (outcome == THROTTLE_SUCCEEDED)
        open_session(app, j, r);
}

app_hash_job_t *app_login_job(app_t *app, const char *username, const char *password,
                              const char *otp, const char *addr, app_result_t *r)
{
    json_t *errors = json_array();
    if (!username || !*username)
        awda_error_add(errors, "username", "the user name is required");
    else if (strlen(username) > AWDA_MAX_USERNAME)
        awda_error_add(errors, "username", "the user name is too long");
    if (!password || !*password)
        awda_error_add(errors, "password", "the password is required");
    else if (strlen(password) > AWDA_PASSWORD_MAX)
        awda_error_add(errors, "password", "the password is too long");
    if (otp && strlen(otp) > AWDA_MAX_OTP)
        awda_error_add(errors, "otp", "the one-time code is 6 digits");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The sign-in is not valid");
        return NULL;
    }
    json_decref(errors);

    store_conn_t *c = app_reader(app, r);
    if (!c)
        return NULL;
    login_job_t *j = (login_job_t *)app_hash_job_new(app, sizeof *j, password, 1, login_finish);
    if (!j) {
        app_fail(r, APP_ERROR, "out of memory");
        return NULL;
    }
    snprintf(j->username, sizeof j->username, "%s", username);
    snprintf(j->otp, sizeof j->otp, "%s", otp ? otp : "");
    addr_key(addr, j->addr);
    j->found = store_user_auth(c, username, &j->p, j->base.hash, sizeof j->base.hash) == STORE_OK;
    j->base.unknown_user = !j->found;
    int64_t since = awda_now_ms() - (int64_t)AWDA_KNOWN_ADDRESS_DAYS * 24 * 3600 * 1000;
    int known = j->found && store_sign_in_known(c, j->p.pk, j->addr, since) == STORE_OK;

    throttle_rule_t *rl = j->rules;
    snprintf(rl[RULE_ADDR].key, sizeof rl[RULE_ADDR].key, "a:%s", j->addr);
    set_rule(&rl[RULE_ADDR], AWDA_LOGIN_FAILURES_PER_ADDR, AWDA_LOGIN_WINDOW_SECONDS, 1, 0);
    snprintf(rl[RULE_PAIR].key, sizeof rl[RULE_PAIR].key, "ua:%s %s", j->addr, j->username);
    set_rule(&rl[RULE_PAIR], AWDA_LOGIN_FAILURES_PER_USER, AWDA_LOGIN_WINDOW_SECONDS, 1, 1);
    snprintf(rl[RULE_USER].key, sizeof rl[RULE_USER].key, "u:%s", j->username);
    set_rule(&rl[RULE_USER], AWDA_LOGIN_FAILURES_PER_USER_ANYWHERE, AWDA_LOGIN_USER_WINDOW_SECONDS,
             !known, 0);
    if (!reserve(app, j->rules, NRULES, "failed sign-ins", r)) {
        sodium_memzero(j->otp, sizeof j->otp);
        app_hash_job_discard(&j->base);
        return NULL;
    }
    return &j->base;
}

void app_login(app_t *app, const char *username, const char *password, const char *otp,
               const char *addr, app_result_t *r)
{
    app_hash_job_now(app_login_job(app, username, password, otp, addr, r), r);
}

/* ---- sessions ----------------------------------------------------------- */

void app_sessions_changed(app_t *app)
{
    __atomic_add_fetch(&app->session_gen, 1, __ATOMIC_SEQ_CST);
}

static unsigned slot_of(const char *token_hash)
{
    unsigned v = 0;
    for (int i = 0; i < 8; i++)
        v = v * 16 +
            (unsigned)(token_hash[i] <= '9' ? token_hash[i] - '0' : token_hash[i] - 'a' + 10);
    return v % SESSION_CACHE_SLOTS;
}

app_code_t app_authenticate(app_t *app, const char *token, app_actor_t *out)
{
    memset(out, 0, sizeof *out);
    size_t n = token ? strlen(token) : 0;
    if (n != 64)
        return APP_UNAUTHORIZED;
    for (size_t i = 0; i < n; i++)
        if (!((token[i] >= '0' && token[i] <= '9') || (token[i] >= 'a' && token[i] <= 'f')))
            return APP_UNAUTHORIZED;
    awda_hash_hex(token, n, out->token_hash);
    unsigned slot = slot_of(out->token_hash);
    pthread_mutex_t *lock = &app->session_lock[slot % SESSION_CACHE_STRIPES];
    session_slot_t *s = &app->sessions[slot];
    unsigned gen = __atomic_load_n(&app->session_gen, __ATOMIC_SEQ_CST);
    long long now = awda_now_ms();
    pthread_mutex_lock(lock);
    int hit = s->gen == gen && now - s->cached_at_ms < SESSION_CACHE_TTL_MS &&
              strcmp(s->token_hash, out->token_hash) == 0;
    if (hit)
        out->p = s->p;
    pthread_mutex_unlock(lock);
    if (hit)
        return APP_OK;

    store_conn_t *c = store_reader(app->store);
    if (!c)
        return APP_UNAVAILABLE;
    int rc = store_session_lookup(c, out->token_hash, now,
                                  (int64_t)app->cfg.session_idle_minutes * 60000, &out->p);
    if (rc != STORE_OK)
        return rc == STORE_NOTFOUND ? APP_UNAUTHORIZED : APP_UNAVAILABLE;
    /* At most once a second per session (the cache's life): note the use. */
    store_session_touch(app->store, out->token_hash, now);
    pthread_mutex_lock(lock);
    memcpy(s->token_hash, out->token_hash, sizeof s->token_hash);
    s->gen = gen;
    s->cached_at_ms = now;
    s->p = out->p;
    pthread_mutex_unlock(lock);
    return APP_OK;
}

static int logout_job(store_conn_t *c, void *p, app_result_t *r)
{
    r->code = APP_NO_CONTENT;
    return store_session_delete(c, p);
}

void app_logout(app_t *app, const app_actor_t *a, app_result_t *r)
{
    app_run(app, logout_job, (void *)a->token_hash, r);
    app_sessions_changed(app);
}

/* The answer about oneself: the user, and whether a second factor must
 * still be set up. */
static void me_flags(app_t *app, const app_actor_t *a, json_t *body)
{
    if (body && app_must_enrol(app, a))
        json_object_set_new(body, "must_set_up_second_factor", json_true());
    /* The office's convention for digits in Arabic (setting arabic_digits). */
    if (body)
        json_object_set_new(body, "arabic_digits",
                            json_string(app->cfg.arabic_digits && *app->cfg.arabic_digits
                                            ? app->cfg.arabic_digits
                                            : "western"));
}

void app_me(app_t *app, const app_actor_t *a, app_result_t *r)
{
    r->body = user_json(app, a->p.username);
    r->code = r->body ? APP_OK : APP_NOT_FOUND;
    me_flags(app, a, r->body);
}

typedef struct {
    const char *username;
    const json_t *change;
} me_ctx_t;

static int me_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    me_ctx_t *x = p;
    int rc = store_user_update(c, x->username, x->change, NULL);
    if (rc == STORE_OK) {
        r->code = APP_OK;
        r->body = store_user_get(c, x->username);
    }
    return rc;
}

void app_me_update(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    json_t *change = json_object();
    if (!json_is_object(body)) {
        awda_error_add(errors, "", "the change must be a JSON object");
    } else {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)body, k, v)
        {
            if (strcmp(k, "language") == 0) {
                const char *l = json_string_value(v);
                if (!l || (strcmp(l, "ar") != 0 && strcmp(l, "fr") != 0 && strcmp(l, "en") != 0))
                    awda_error_add(errors, "language", "must be one of ar, fr, en");
                else
                    json_object_set(change, k, v);
            } else {
                awda_error_add(errors, k,
                               "cannot be changed here (only the language; an administrator "
                               "changes the rest)");
            }
        }
    }
    if (json_array_size(errors)) {
        json_decref(change);
        app_invalid(r, errors, "The change is not valid");
        return;
    }
    json_decref(errors);
    me_ctx_t x = {a->p.username, change};
    app_run(app, me_update_job, &x, r);
    json_decref(change);
    if (r->code == APP_OK) {
        app_sessions_changed(app); /* the cached principal carries the language */
        me_flags(app, a, r->body);
    }
}
