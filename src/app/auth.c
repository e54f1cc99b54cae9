/*
 * auth.c — passwords, login throttling and sessions.
 *
 * Passwords are hashed with libsodium's Argon2id (crypto_pwhash_str,
 * interactive limits: 64 MiB per hash); at most AWDA_MAX_CONCURRENT_HASHES
 * run at once, so a login storm cannot exhaust memory. An unknown user
 * name costs the same verification as a known one (against a dummy hash)
 * so timing does not reveal which names exist.
 *
 * Throttling: failures are counted per user name and per client address
 * in a fixed table of slots (a colliding key may share a slot, which can
 * only throttle sooner, never later). Past the limit within the window the
 * answer is 429 with Retry-After, before any hashing work.
 *
 * Sessions: a token is 32 random bytes (64 hex characters) given to the
 * client once; the database keeps only its BLAKE2b hash, with an absolute
 * expiry.
 */
#include "internal.h"
#include "../core/field.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

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

void auth_init(app_t *app)
{
    for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
        pthread_mutex_init(&app->session_lock[i], NULL);
    pthread_mutex_init(&app->hash_lock, NULL);
    pthread_cond_init(&app->hash_cond, NULL);
    pthread_mutex_init(&app->throttle_lock, NULL);
}

void auth_free(app_t *app)
{
    for (int i = 0; i < SESSION_CACHE_STRIPES; i++)
        pthread_mutex_destroy(&app->session_lock[i]);
    pthread_mutex_destroy(&app->hash_lock);
    pthread_cond_destroy(&app->hash_cond);
    pthread_mutex_destroy(&app->throttle_lock);
}

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

static int hash_password_bounded(app_t *app, const char *password, char *out, size_t cap)
{
    hash_enter(app);
    int rc = app_hash_password(password, out, cap);
    hash_leave(app);
    return rc;
}

static int verify_bounded(app_t *app, const char *hash, const char *password)
{
    hash_enter(app);
    int ok = hash[0] && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    hash_leave(app);
    return ok;
}

/* ---- throttling -------------------------------------------------------- */

static throttle_slot_t *slot_for(app_t *app, const char *key)
{
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return &app->throttle[h % THROTTLE_SLOTS];
}

/* Seconds until key may try again, or 0. */
static int throttled(app_t *app, const char *key, int limit)
{
    long long now = awda_now_ms();
    int wait = 0;
    pthread_mutex_lock(&app->throttle_lock);
    throttle_slot_t *s = slot_for(app, key);
    if (strcmp(s->key, key) == 0 && s->failures >= limit) {
        long long end = s->window_start_ms + AWDA_LOGIN_WINDOW_SECONDS * 1000LL;
        if (end > now)
            wait = (int)((end - now) / 1000) + 1;
    }
    pthread_mutex_unlock(&app->throttle_lock);
    return wait;
}

static void record_failure(app_t *app, const char *key)
{
    long long now = awda_now_ms();
    pthread_mutex_lock(&app->throttle_lock);
    throttle_slot_t *s = slot_for(app, key);
    if (strcmp(s->key, key) != 0 ||
        s->window_start_ms + AWDA_LOGIN_WINDOW_SECONDS * 1000LL <= now) {
        snprintf(s->key, sizeof s->key, "%s", key);
        s->failures = 0;
        s->window_start_ms = now;
    }
    s->failures++;
    pthread_mutex_unlock(&app->throttle_lock);
}

static void clear_failures(app_t *app, const char *key)
{
    pthread_mutex_lock(&app->throttle_lock);
    throttle_slot_t *s = slot_for(app, key);
    if (strcmp(s->key, key) == 0)
        s->failures = 0;
    pthread_mutex_unlock(&app->throttle_lock);
}

/* ---- sessions ----------------------------------------------------------- */

typedef struct {
    const char *token_hash;
    int64_t user_pk;
    int64_t expires;
} session_ctx_t;

static int session_job(store_conn_t *c, void *p, app_result_t *r)
{
    session_ctx_t *x = p;
    r->code = APP_CREATED;
    return store_session_insert(c, x->token_hash, x->user_pk, x->expires);
}

static json_t *user_json(app_t *app, const char *username)
{
    store_conn_t *c = store_reader(app->store);
    return c ? store_user_get(c, username) : NULL;
}

int auth_check_password(app_t *app, const char *username, const char *password,
                        store_principal_t *p)
{
    store_conn_t *c = store_reader(app->store);
    char hash[crypto_pwhash_STRBYTES + 1];
    int found = c && store_user_auth(c, username, p, hash, sizeof hash) == STORE_OK;
    if (!found) {
        pthread_once(&dummy_once, make_dummy);
        snprintf(hash, sizeof hash, "%s", dummy_hash);
    }
    int ok = verify_bounded(app, hash, password);
    return found && ok && !p->disabled;
}

int auth_recheck_password(app_t *app, const char *username, const char *password, int *retry_after)
{
    char ukey[96];
    snprintf(ukey, sizeof ukey, "u:%s", username);
    int wait = throttled(app, ukey, AWDA_LOGIN_FAILURES_PER_USER);
    if (wait) {
        *retry_after = wait;
        return -1;
    }
    store_principal_t p;
    if (!auth_check_password(app, username, password, &p)) {
        record_failure(app, ukey);
        return 0;
    }
    return 1;
}

void app_login(app_t *app, const char *username, const char *password, const char *otp,
               const char *addr, app_result_t *r)
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
        return;
    }
    json_decref(errors);

    char ukey[96], akey[96];
    snprintf(ukey, sizeof ukey, "u:%s", username);
    snprintf(akey, sizeof akey, "a:%s", addr ? addr : "?");
    int wait = throttled(app, ukey, AWDA_LOGIN_FAILURES_PER_USER);
    int wait_a = throttled(app, akey, AWDA_LOGIN_FAILURES_PER_ADDR);
    if (wait_a > wait)
        wait = wait_a;
    if (wait) {
        app_fail(r, APP_TOO_MANY, "too many failed sign-ins; try again in %d seconds", wait);
        r->retry_after = wait;
        return;
    }

    if (!store_reader(app->store)) {
        app_fail(r, APP_UNAVAILABLE, "the database is not available");
        return;
    }
    store_principal_t p;
    if (!auth_check_password(app, username, password, &p)) {
        record_failure(app, ukey);
        record_failure(app, akey);
        app_fail(r, APP_UNAUTHORIZED, "the user name or the password is wrong");
        return;
    }
    if (p.totp_enabled) {
        if (!otp || !*otp) {
            /* Not a failure: the client asks for the code and sends both again. */
            app_fail(r, APP_OTP_REQUIRED,
                     "enter the 6-digit code that your authenticator app shows for awda");
            return;
        }
        app_code_t oc = second_factor_verify(app, p.pk, otp);
        if (oc != APP_OK) {
            if (oc == APP_UNAUTHORIZED) {
                record_failure(app, ukey);
                record_failure(app, akey);
                app_fail(r, APP_UNAUTHORIZED,
                         "the one-time code is wrong, expired or was used already");
            } else {
                app_fail(r, oc, "the second factor could not be checked");
            }
            return;
        }
    }
    clear_failures(app, ukey);

    char token[65], token_hash[65];
    awda_random_hex(token, 32);
    awda_hash_hex(token, 64, token_hash);
    int64_t expires = awda_now_ms() + (int64_t)app->cfg.session_hours * 3600 * 1000;
    session_ctx_t x = {token_hash, p.pk, expires};
    app_run(app, session_job, &x, r);
    if (r->code != APP_CREATED)
        return;
    char ts[32];
    awda_iso_ms(expires, ts);
    json_t *u = user_json(app, username);
    app_actor_t a = {.p = p};
    if (u && app_must_enrol(app, &a))
        json_object_set_new(u, "must_set_up_second_factor", json_true());
    r->body =
        json_pack("{s:s,s:s,s:o}", "token", token, "expires_at", ts, "user", u ? u : json_null());
}

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
    if (r->code == APP_OK)
        me_flags(app, a, r->body);
}

int app_hash_for_user(app_t *app, const char *password, char *out, size_t cap)
{
    return hash_password_bounded(app, password, out, cap);
}
