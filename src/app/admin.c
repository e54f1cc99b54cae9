/*
 * admin.c — offices, users and the published field tables, with the
 * stages' properties and the movements' statuses and return stages the
 * web interface reads beside them (GET /schema).
 *
 * Offices and users are managed by administrators (PERM_OFFICE_MANAGE,
 * PERM_USER_MANAGE, checked by the router before these run). Passwords
 * are hashed as password work (app.h) before the write transaction, so
 * neither the writer nor a thread answering requests waits on Argon2id.
 */
#include "internal.h"
#include "movements.h"
#include "../core/field.h"
#include "../core/movement_care.h"
#include "../util/limits.h"
#include "../util/mem.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void app_office_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_office_list(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the offices could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

static int office_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    const json_t *body = p;
    int rc = store_office_insert(c, body);
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "an office with the code %s already exists",
                 json_string_value(json_object_get(body, "code")));
        return rc;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = store_office_get(c, json_string_value(json_object_get(body, "code")));
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/offices/%s",
             json_string_value(json_object_get(body, "code")));
    return r->body ? STORE_OK : STORE_ERR;
}

void app_office_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                       const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the office must be a JSON object");
    else
        awda_validate(&AWDA_OFFICE, body, "", errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The office is not valid");
        return;
    }
    json_decref(errors);
    app_run_idempotent(app, a, idem_key, request_hash, office_create_job, (void *)body, r);
}

typedef struct {
    const char *code;
    const json_t *body;
} office_update_t;

static int office_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    office_update_t *x = p;
    json_t *cur = store_office_get(c, x->code);
    if (!cur) {
        app_fail(r, APP_NOT_FOUND, "there is no office with the code %s", x->code);
        return STORE_ABORT;
    }
    json_t *merged = json_copy(cur);
    json_object_update(merged, (json_t *)x->body);
    json_t *errors = json_array();
    awda_validate(&AWDA_OFFICE, merged, "", errors);
    if (!json_equal(json_object_get(merged, "code"), json_object_get(cur, "code")) ||
        !json_equal(json_object_get(merged, "country"), json_object_get(cur, "country")))
        awda_error_add(errors,
                       json_equal(json_object_get(merged, "code"), json_object_get(cur, "code"))
                           ? "country"
                           : "code",
                       "the code and country of an office cannot be changed");
    int rc = STORE_ABORT;
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The office is not valid");
        errors = NULL;
    } else {
        rc = store_office_update(c, x->code, merged);
        if (rc == STORE_OK) {
            r->body = store_office_get(c, x->code);
            r->code = APP_OK;
        }
    }
    json_decref(errors);
    json_decref(merged);
    json_decref(cur);
    return rc;
}

void app_office_update(app_t *app, const app_actor_t *a, const char *code, const json_t *body,
                       app_result_t *r)
{
    (void)a;
    if (!json_is_object(body)) {
        json_t *errors = json_array();
        awda_error_add(errors, "", "the change must be a JSON object");
        app_invalid(r, errors, "The office is not valid");
        return;
    }
    office_update_t x = {code, body};
    app_run(app, office_update_job, &x, r);
}

void app_user_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_user_list(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the users could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

typedef struct {
    const json_t *body;
    const char *username;
    const char *pwhash;
} user_ctx_t;

/* A partner user's organisation is a partner organisation's id
 * (partners.c); 0 after a 422 when it names none. */
static int organisation_known(store_conn_t *c, const json_t *body, app_result_t *r)
{
    const char *org = json_string_value(json_object_get(body, "organisation"));
    if (!org)
        return 1;
    json_t *e = json_array();
    json_t *partner = app_partner_ref(c, org, "organisation", e);
    if (partner) {
        json_decref(partner);
        json_decref(e);
        return 1;
    }
    app_invalid(r, e, "The user is not valid");
    return 0;
}

static int user_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    user_ctx_t *x = p;
    const char *username = json_string_value(json_object_get(x->body, "username"));
    if (!organisation_known(c, x->body, r))
        return STORE_ABORT;
    int rc = store_user_insert(c, x->body, x->pwhash);
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "a user named %s already exists", username);
        return rc;
    }
    if (rc == STORE_NOTFOUND) {
        json_t *e = json_array();
        awda_error_add(e, "offices", "one of the offices does not exist");
        app_invalid(r, e, "The user is not valid");
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = store_user_get(c, username);
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/users/%s", username);
    return r->body ? STORE_OK : STORE_ERR;
}

typedef struct {
    app_hash_job_t base;
    app_actor_t actor;
    json_t *body; /* a reference */
    char *idem_key;
    char request_hash[65];
    char username[AWDA_MAX_USERNAME + 1]; /* a change: whose */
} user_job_t;

static void user_create_finish(app_hash_job_t *base, app_result_t *r)
{
    user_job_t *j = (user_job_t *)base;
    if (base->ran && !base->ok)
        app_fail(r, APP_ERROR, "the password could not be hashed (out of memory)");
    if (base->ran && base->ok) {
        user_ctx_t x = {j->body, NULL, base->hash};
        app_run_idempotent(base->app, &j->actor, j->idem_key,
                           j->request_hash[0] ? j->request_hash : NULL, user_create_job, &x, r);
    }
    json_decref(j->body);
    free(j->idem_key);
}

app_hash_job_t *app_user_create_job(app_t *app, const app_actor_t *a, const json_t *body,
                                    const char *idem_key, const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the user must be a JSON object");
    else
        awda_validate(&AWDA_USER, body, "", errors);
    int partner = 0;
    size_t ri;
    json_t *role;
    json_array_foreach(json_object_get(body, "roles"), ri, role)
    {
        partner |= json_is_string(role) && strcmp(json_string_value(role), "partner") == 0;
    }
    if (partner && !json_string_value(json_object_get(body, "organisation")) &&
        !awda_has_error(errors, "organisation"))
        awda_error_add(errors, "organisation",
                       "a partner user needs the organisation they work for: they see the "
                       "referrals addressed to it");
    if (json_is_true(json_object_get(body, "second_factor")))
        awda_error_add(errors, "second_factor",
                       "is set up by the user themself, after their first sign-in");
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The user is not valid");
        return NULL;
    }
    json_decref(errors);
    user_job_t *j = (user_job_t *)app_hash_job_new(
        app, sizeof *j, json_string_value(json_object_get(body, "password")), 0,
        user_create_finish);
    if (j && idem_key && !(j->idem_key = awda_strdup(idem_key))) {
        app_hash_job_discard(&j->base);
        j = NULL;
    }
    if (!j) {
        app_fail(r, APP_ERROR, "out of memory");
        return NULL;
    }
    j->actor = *a;
    j->body = json_incref((json_t *)body);
    snprintf(j->request_hash, sizeof j->request_hash, "%s", request_hash ? request_hash : "");
    return &j->base;
}

void app_user_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r)
{
    app_hash_job_now(app_user_create_job(app, a, body, idem_key, request_hash, r), r);
}

static int user_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    user_ctx_t *x = p;
    if (!organisation_known(c, x->body, r))
        return STORE_ABORT;
    int rc = store_user_update(c, x->username, x->body, x->pwhash);
    if (rc == STORE_NOTFOUND) {
        if (!store_user_pk(c, x->username)) {
            app_fail(r, APP_NOT_FOUND, "there is no user named %s", x->username);
        } else {
            json_t *e = json_array();
            awda_error_add(e, "offices", "one of the offices does not exist");
            app_invalid(r, e, "The user is not valid");
        }
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = store_user_get(c, x->username);
    r->code = APP_OK;
    return r->body ? STORE_OK : STORE_ERR;
}

static void user_update_finish(app_hash_job_t *base, app_result_t *r)
{
    user_job_t *j = (user_job_t *)base;
    if (base->ran && !base->ok)
        app_fail(r, APP_ERROR, "the password could not be hashed (out of memory)");
    if (base->ran && base->ok) {
        user_ctx_t x = {j->body, j->username, base->hash};
        app_run(base->app, user_update_job, &x, r);
        app_sessions_changed(base->app);
    }
    json_decref(j->body);
}

app_hash_job_t *app_user_update_job(app_t *app, const app_actor_t *a, const char *username,
                                    const json_t *body, app_result_t *r)
{
    if (strlen(username) > AWDA_MAX_USERNAME) {
        app_fail(r, APP_NOT_FOUND, "there is no user named %s", username);
        return NULL;
    }
    json_t *errors = json_array();
    if (!json_is_object(body)) {
        awda_error_add(errors, "", "the change must be a JSON object");
    } else {
        /* Validate the members present: every user field is optional here. */
        const char *k;
        json_t *v;
        json_t *probe = json_pack("{s:s,s:s,s:[s]}", "username", "probe", "password",
                                  "probe-probe-probe", "roles", "registration");
        json_object_foreach((json_t *)body, k, v)
        {
            if (strcmp(k, "username") == 0) {
                awda_error_add(errors, "username", "the user name cannot be changed");
                continue;
            }
            if (strcmp(k, "second_factor") == 0 && !json_is_false(v)) {
                awda_error_add(errors, "second_factor",
                               "can only be removed (false) here; the user sets up their own");
                continue;
            }
            json_object_set(probe, k, v);
        }
        awda_validate(&AWDA_USER, probe, "", errors);
        json_decref(probe);
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The user is not valid");
        return NULL;
    }
    json_decref(errors);
    const char *pw = json_string_value(json_object_get(body, "password"));
    if (!pw) {
        user_ctx_t x = {body, username, NULL};
        app_run(app, user_update_job, &x, r);
        app_sessions_changed(app);
        return NULL;
    }
    user_job_t *j = (user_job_t *)app_hash_job_new(app, sizeof *j, pw, 0, user_update_finish);
    if (!j) {
        app_fail(r, APP_ERROR, "out of memory");
        return NULL;
    }
    j->actor = *a;
    j->body = json_incref((json_t *)body);
    snprintf(j->username, sizeof j->username, "%s", username);
    return &j->base;
}

void app_user_update(app_t *app, const app_actor_t *a, const char *username, const json_t *body,
                     app_result_t *r)
{
    app_hash_job_now(app_user_update_job(app, a, username, body, r), r);
}

/* Leaves out of a described field list (and its nested lists) the fields
 * of a class the actor does not see: the forms of the web interface draw
 * what the schema says, so a registration officer is never offered the
 * protection concerns of a person. Returns fields. */
static json_t *visible_fields(json_t *fields, unsigned visible)
{
    size_t i = 0;
    while (i < json_array_size(fields)) {
        json_t *f = json_array_get(fields, i);
        const char *sens = json_string_value(json_object_get(f, "sensitivity"));
        int hidden = 0;
        for (int k = SENS_NONE; sens && k <= SENS_FINANCIAL; k++)
            if (strcmp(sens, awda_sens_name((awda_sens_t)k)) == 0)
                hidden = !(visible & (1u << k));
        if (hidden) {
            json_array_remove(fields, i);
            continue;
        }
        visible_fields(json_object_get(f, "fields"), visible);
        i++;
    }
    return fields;
}

/* The stages in the order of stages.def, each with every property of
 * vocabulary.h by name, true or false: [{"name": "closed", "before_departure":
 * false, …, "stopped": true, "ended": true, …}]. */
static json_t *stages_described(void)
{
    json_t *out = json_array();
    for (int s = 0; s < AWDA_STAGE_COUNT; s++) {
        unsigned props = awda_stage_props(s);
        json_t *st = json_pack("{s:s}", "name", awda_stage_name(s));
        for (int p = 0; p < AWDA_SP_COUNT; p++)
            json_object_set_new(st, AWDA_STAGE_PROPERTY_NAMES[p], json_boolean(props & (1u << p)));
        json_array_append_new(out, st);
    }
    return out;
}

static json_t *names_of(const char *const *list)
{
    json_t *out = json_array();
    for (int i = 0; list[i]; i++)
        json_array_append_new(out, json_string(list[i]));
    return out;
}

void app_schema(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)app;
    unsigned visible = app_visible_sensitivity(a);
    r->body =
        json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "case",
                  visible_fields(awda_entity_describe(&AWDA_CASE), visible), "person",
                  visible_fields(awda_entity_describe(&AWDA_PERSON), visible), "office",
                  awda_entity_describe(&AWDA_OFFICE), "user", awda_entity_describe(&AWDA_USER),
                  "partner", awda_entity_describe(&AWDA_PARTNER), "stages", stages_described(),
                  "movement_statuses", names_of(APP_MOVEMENT_STATUSES));
    json_object_set_new(r->body, "movement_types", names_of(APP_MOVEMENT_TYPES));
    json_object_set_new(r->body, "movement_return_stages", names_of(APP_MOVEMENT_RETURN_STAGES));
    json_object_set_new(r->body, "movement_care",
                        json_pack("{s:o,s:o,s:o,s:o}", "escort_kinds", names_of(AWDA_ESCORT_KINDS),
                                  "assistance_points", names_of(AWDA_ASSISTANCE_POINTS),
                                  "assistance_statuses", names_of(AWDA_ASSISTANCE_STATUSES),
                                  "onward_modes", names_of(AWDA_ONWARD_MODES)));
    r->code = APP_OK;
}

/* ---- values from the configuration, the staff of an office ----------- */

void app_schema_configured(app_t *app, json_t *records)
{
    /* The procedure record's type is one of the configured checklist
     * (--procedure-types): the form offers those, translated. */
    json_t *fields = json_object_get(records, "procedure");
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "name")), "type") != 0)
            continue;
        json_t *vals = json_array();
        const char *p = app->cfg.procedure_types;
        while (p && *p) {
            const char *e = strchr(p, ',');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (n)
                json_array_append_new(vals, json_stringn(p, n));
            p = e ? e + 1 : NULL;
        }
        json_object_set_new(f, "values", vals);
    }
}

void app_office_staff(app_t *app, const app_actor_t *a, const char *code, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int64_t office_pk = code && strlen(code) <= 6 ? store_office_pk(c, code) : 0;
    if (!office_pk) {
        app_fail(r, APP_NOT_FOUND, "there is no office with this code");
        return;
    }
    if (!app_in_office(a, office_pk)) {
        app_fail(r, APP_FORBIDDEN, "you do not work in the office %s", code);
        return;
    }
    json_t *items = store_office_staff(c, office_pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the staff could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}
