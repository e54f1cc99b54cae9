/*
 * restrictions.c — the use cases of country restrictions: list (with the
 * reviews overdue), read, create, change with If-Match, and the cases a
 * restriction blocks. The guards of core/journey.c read the restrictions in
 * force for a case's destination from the snapshot (app/journey.c).
 */
#include "internal.h"
#include "../core/field.h"
#include "../core/journey.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AFFECTED_LIMIT 10000

static void today_iso(char out[11])
{
    awda_date_format(awda_today(), out);
}

/* ---- restrictions ------------------------------------------------------------ */

void app_restriction_list(app_t *app, const app_actor_t *a, const char *review_overdue,
                          app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    if (review_overdue && strcmp(review_overdue, "true") != 0 &&
        strcmp(review_overdue, "false") != 0) {
        r->code = APP_BAD_REQUEST;
        r->errors = json_array();
        awda_error_add(r->errors, "review_overdue", "review_overdue must be true or false");
        snprintf(r->detail, sizeof r->detail, "check the parameters");
        return;
    }
    char today[11];
    today_iso(today);
    int overdue = review_overdue && strcmp(review_overdue, "true") == 0;
    json_t *items = store_restriction_list(c, overdue ? today : NULL);
    if (!items) {
        app_fail(r, APP_ERROR, "the restrictions could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

void app_restriction_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    r->body = id && awda_uuid_valid(id, strlen(id)) ? store_restriction_get(c, id, 1) : NULL;
    if (!r->body) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    r->code = APP_OK;
    r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
}

typedef struct {
    const app_actor_t *a;
    const json_t *body;
    const char *id;
    const app_if_match_t *m;
    const char *action;
} restriction_ctx_t;

static int restriction_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    restriction_ctx_t *x = p;
    char id[37];
    int rc = store_restriction_insert(c, x->body, x->a->p.pk, id);
    if (rc != STORE_OK)
        return rc;
    r->body = store_restriction_get(c, id, 1);
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    r->version = 1;
    snprintf(r->location, sizeof r->location, "/api/v1/restrictions/%s", id);
    return STORE_OK;
}

static int validate_restriction(const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the restriction must be a JSON object");
    else
        awda_validate(&AWDA_RESTRICTION, body, "", errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The restriction is not valid");
        return 0;
    }
    json_decref(errors);
    return 1;
}

void app_restriction_create(app_t *app, const app_actor_t *a, const json_t *body,
                            const char *idem_key, const char *request_hash, app_result_t *r)
{
    if (!validate_restriction(body, r))
        return;
    restriction_ctx_t x = {a, body, NULL, NULL, NULL};
    app_run_idempotent(app, a, idem_key, request_hash, restriction_create_job, &x, r);
}

static int restriction_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    restriction_ctx_t *x = p;
    json_t *cur = store_restriction_get(c, x->id, 0);
    if (!cur) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return STORE_ABORT;
    }
    json_t *merged = json_copy(cur);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)x->body, k, v)
    {
        if (json_is_null(v))
            json_object_del(merged, k);
        else
            json_object_set(merged, k, v);
    }
    for (size_t i = 0; i < AWDA_RESTRICTION.nfields; i++)
        if (AWDA_RESTRICTION.fields[i].flags & F_SERVER)
            json_object_del(merged, AWDA_RESTRICTION.fields[i].name);
    int rc = STORE_ABORT;
    long long version = (long long)json_integer_value(json_object_get(cur, "version"));
    if (!app_if_match_ok(x->m, version)) {
        app_fail(r, APP_STALE,
                 "the restriction was changed by someone else (it is now at version %lld); "
                 "reload it",
                 version);
        goto out;
    }
    if (!validate_restriction(merged, r))
        goto out;
    rc = store_restriction_update(c, x->id, version, merged, x->a->p.pk, x->action);
    if (rc == STORE_STALE) {
        app_fail(r, APP_STALE,
                 "the restriction was changed by someone else (it is now at version %lld); "
                 "reload it",
                 (long long)json_integer_value(json_object_get(cur, "version")));
        rc = STORE_ABORT;
        goto out;
    }
    if (rc == STORE_OK) {
        r->body = store_restriction_get(c, x->id, 1);
        r->code = r->body ? APP_OK : APP_ERROR;
        r->version = (long long)json_integer_value(json_object_get(r->body, "version"));
    }
out:
    json_decref(cur);
    json_decref(merged);
    return rc;
}

void app_restriction_update(app_t *app, const app_actor_t *a, const char *id, long long if_match,
                            const json_t *body, const char *action, app_result_t *r)
{
    app_if_match_t m = {if_match >= 0, 0, 1, {if_match}};
    app_restriction_update_if(app, a, id, &m, body, action, r);
}

void app_restriction_update_if(app_t *app, const app_actor_t *a, const char *id,
                               const app_if_match_t *m, const json_t *body, const char *action,
                               app_result_t *r)
{
    if (!id || !awda_uuid_valid(id, strlen(id))) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    if (!m->present) {
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "send the version you edited in an If-Match header (the ETag of the "
                 "restriction)");
        return;
    }
    if (!json_is_object(body)) {
        json_t *e = json_array();
        awda_error_add(e, "", "the change must be a JSON object");
        app_invalid(r, e, "The restriction is not valid");
        return;
    }
    restriction_ctx_t x = {a, body, id, m, action};
    app_run(app, restriction_update_job, &x, r);
}

void app_restriction_affected(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    char today[11];
    today_iso(today);
    long long total = 0;
    json_t *items =
        id && awda_uuid_valid(id, strlen(id))
            ? store_restriction_affected(
                  c, id, today, a->p.offices, app_all_offices(a) ? -1 : a->p.noffices,
                  app_all_offices(a) ? NULL : app_scope_projects(a), AFFECTED_LIMIT, &total)
            : NULL;
    if (!items) {
        app_fail(r, APP_NOT_FOUND, "there is no restriction with this id");
        return;
    }
    r->body = json_pack("{s:s,s:I,s:b,s:o}", "restriction_id", id, "count", (json_int_t)total,
                        "truncated", total > (long long)json_array_size(items), "items", items);
    r->code = APP_OK;
}
