/*
 * second_factor.c — the optional second factor: time-based one-time codes
 * (TOTP, RFC 6238) with liboath.
 *
 * Enrolment is in two steps so that a user cannot lock themself out: begin
 * (the password re-entered) creates a 160-bit secret, stores it sealed
 * (like medical detail: the key file opens it, the database alone does
 * not) and returns it once, as base32 and as an otpauth:// URI for an
 * authenticator app; confirm (a code from the device) turns it on. From
 * then on, signing in needs the password and a current code.
 *
 * Codes are 6 digits over 30-second steps; one step either side is
 * accepted for clock drift. A code is used up: the last accepted step is
 * stored and a code of that step or an earlier one is refused, so a code
 * seen over a shoulder cannot be replayed.
 *
 * The configuration (second_factor_roles) can require a second factor for
 * roles such as admin, medical and protection. A user with such a role
 * and no second factor can sign in, but the session serves only the
 * routes that need no more than a session (their own profile and the
 * enrolment) until they set one up: the router (http/router.c) asks app_must_enrol().
 */
#include "internal.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <liboath/oath.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TOTP_STEP_SECONDS 30
#define TOTP_DIGITS       6
#define TOTP_WINDOW       1 /* steps accepted either side of now */
#define SECRET_BYTES      20
#define SECRET_B32_MAX    64

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static void oath_start(void)
{
    oath_init();
}

int app_must_enrol(const app_t *app, const app_actor_t *a)
{
    return !a->system && (a->p.roles & app->second_factor_roles) && !a->p.totp_enabled;
}

/* Checks code against a base32 secret at now; the matching step or -1. */
static int64_t code_step(const char *b32, const char *code, time_t now)
{
    size_t n = strlen(code);
    if (n != TOTP_DIGITS)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return -1;
    pthread_once(&oath_once, oath_start);
    char *raw = NULL;
    size_t rawlen = 0;
    if (oath_base32_decode(b32, strlen(b32), &raw, &rawlen) != OATH_OK)
        return -1;
    int pos = 0;
    uint64_t counter = 0;
    int rc = oath_totp_validate3(raw, rawlen, now, TOTP_STEP_SECONDS, 0, TOTP_WINDOW, &pos,
                                 &counter, code);
    sodium_memzero(raw, rawlen);
    free(raw);
    return rc >= 0 ? (int64_t)counter : -1;
}

typedef struct {
    int64_t user_pk;
    int64_t step;
    const char *secret; /* confirm: the secret to switch on */
} totp_ctx_t;

static int use_job(store_conn_t *c, void *p, app_result_t *r)
{
    totp_ctx_t *x = p;
    int rc = store_user_totp_use(c, x->user_pk, x->step);
    r->code = rc == STORE_OK ? APP_OK : APP_UNAUTHORIZED;
    return rc == STORE_CONFLICT ? STORE_OK : rc; /* a replay is an answer, not an error */
}

app_code_t second_factor_verify(app_t *app, int64_t user_pk, const char *code)
{
    store_conn_t *c = store_reader(app->store);
    if (!c)
        return APP_UNAVAILABLE;
    char secret[SECRET_B32_MAX];
    int enabled = 0;
    int64_t last = 0;
    int rc = store_user_totp_get(c, user_pk, secret, sizeof secret, &enabled, &last);
    if (rc != STORE_OK || !enabled) {
        sodium_memzero(secret, sizeof secret);
        return rc == STORE_ERR ? APP_UNAVAILABLE : APP_UNAUTHORIZED;
    }
    int64_t step = code_step(secret, code, time(NULL));
    sodium_memzero(secret, sizeof secret);
    if (step < 0 || step <= last)
        return APP_UNAUTHORIZED;
    totp_ctx_t x = {user_pk, step, NULL};
    app_result_t r = {0};
    app_run(app, use_job, &x, &r);
    app_code_t out = r.code;
    app_result_free(&r);
    return out;
}

static int begin_job(store_conn_t *c, void *p, app_result_t *r)
{
    totp_ctx_t *x = p;
    int rc = store_user_totp_set(c, x->user_pk, x->secret, 0);
    r->code = APP_CREATED;
    return rc;
}

typedef struct {
    app_hash_job_t base;
    app_actor_t actor;
} begin_job_t;

/* After the password was checked: a new secret, stored off until confirmed. */
static void begin_finish(app_hash_job_t *base, app_result_t *r)
{
    begin_job_t *j = (begin_job_t *)base;
    const app_actor_t *a = &j->actor;
    auth_recheck_settle(base, a->p.username);
    if (!base->ran)
        return; /* r says busy */
    if (!base->ok) {
        app_fail(r, APP_FORBIDDEN, "the password is wrong");
        return;
    }
    unsigned char raw[SECRET_BYTES];
    randombytes_buf(raw, sizeof raw);
    pthread_once(&oath_once, oath_start);
    char *b32 = NULL;
    size_t b32len = 0;
    int ok = oath_base32_encode((const char *)raw, sizeof raw, &b32, &b32len) == OATH_OK &&
             b32len < SECRET_B32_MAX;
    sodium_memzero(raw, sizeof raw);
    if (!ok) {
        free(b32);
        app_fail(r, APP_ERROR, "the secret could not be made");
        return;
    }
    totp_ctx_t x = {a->p.pk, 0, b32};
    app_run(base->app, begin_job, &x, r);
    if (r->code == APP_CREATED) {
        char uri[256];
        snprintf(uri, sizeof uri,
                 "otpauth://totp/awda:%s?secret=%s&issuer=awda&algorithm=SHA1&digits=%d&period=%d",
                 a->p.username, b32, TOTP_DIGITS, TOTP_STEP_SECONDS);
        r->body = json_pack("{s:s,s:s,s:i,s:i}", "secret", b32, "otpauth_uri", uri, "digits",
                            TOTP_DIGITS, "period", TOTP_STEP_SECONDS);
    }
    sodium_memzero(b32, b32len);
    free(b32);
}

app_hash_job_t *app_second_factor_begin_job(app_t *app, const app_actor_t *a, const json_t *body,
                                            app_result_t *r)
{
    const char *pw = json_string_value(json_object_get(body, "password"));
    if (!pw || !*pw || strlen(pw) > AWDA_PASSWORD_MAX) {
        json_t *e = json_array();
        awda_error_add(e, "password", "enter your password again to set up a second factor");
        app_invalid(r, e, "The set-up is not valid");
        return NULL;
    }
    if (a->p.totp_enabled) {
        app_fail(r, APP_CONFLICT,
                 "a second factor is already set up; an administrator can remove it "
                 "(for example when the phone is lost)");
        return NULL;
    }
    begin_job_t *j = (begin_job_t *)app_hash_job_new(app, sizeof *j, pw, 1, begin_finish);
    if (!j) {
        app_fail(r, APP_ERROR, "out of memory");
        return NULL;
    }
    j->actor = *a;
    if (!auth_recheck_begin(app, &j->base, a->p.username, r)) {
        app_hash_job_discard(&j->base);
        return NULL;
    }
    return &j->base;
}

void app_second_factor_begin(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r)
{
    app_hash_job_now(app_second_factor_begin_job(app, a, body, r), r);
}

static int confirm_job(store_conn_t *c, void *p, app_result_t *r)
{
    totp_ctx_t *x = p;
    int rc = store_user_totp_set(c, x->user_pk, x->secret, 1);
    if (rc == STORE_OK)
        rc = store_user_totp_use(c, x->user_pk, x->step);
    r->code = APP_OK;
    return rc;
}

void app_second_factor_confirm(app_t *app, const app_actor_t *a, const json_t *body,
                               app_result_t *r)
{
    const char *code = json_string_value(json_object_get(body, "code"));
    if (!code || !*code || strlen(code) > AWDA_MAX_OTP) {
        json_t *e = json_array();
        awda_error_add(e, "code", "enter the 6-digit code that your authenticator app shows");
        app_invalid(r, e, "The code is not valid");
        return;
    }
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    char secret[SECRET_B32_MAX];
    int enabled = 0;
    int64_t last = 0;
    int rc = store_user_totp_get(c, a->p.pk, secret, sizeof secret, &enabled, &last);
    if (rc != STORE_OK || enabled) {
        sodium_memzero(secret, sizeof secret);
        if (rc == STORE_ERR)
            app_fail(r, APP_UNAVAILABLE, "the second factor could not be read");
        else
            app_fail(r, APP_CONFLICT,
                     enabled ? "the second factor is already set up"
                             : "start the set-up first (POST /api/v1/me/second-factor)");
        return;
    }
    int64_t step = code_step(secret, code, time(NULL));
    if (step < 0) {
        sodium_memzero(secret, sizeof secret);
        json_t *e = json_array();
        awda_error_add(e, "code",
                       "the code does not match; check that the phone's clock is right and "
                       "enter the code shown now");
        app_invalid(r, e, "The code is not valid");
        return;
    }
    totp_ctx_t x = {a->p.pk, step, secret};
    app_run(app, confirm_job, &x, r);
    sodium_memzero(secret, sizeof secret);
    if (r->code == APP_OK) {
        app_sessions_changed(app);
        app_me(app, a, r);
        if (r->body) {
            json_object_set_new(r->body, "second_factor", json_true());
            json_object_del(r->body, "must_set_up_second_factor");
        }
    }
}
