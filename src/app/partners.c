/*
 * partners.c — partner organisations as records.
 *
 * What leaves awda for a third party goes to a partner organisation: a
 * person's consent to share their data (purpose data_sharing), its
 * withdrawal and a referral name the partner by its id, and a partner
 * user works for one (users.organisation holds its id). Names were typed
 * before, and a withdrawal naming "Caritas Mali " (a trailing space, a
 * no-break space, a full stop) was accepted and met no consent; an id
 * either names a partner or is refused (422 on the field).
 *
 * Case staff list the partners (the forms offer them as a choice);
 * administrators add and rename them (PERM_PARTNER_MANAGE). Names are
 * unique without regard to case. Migration 11 turned the names already
 * used into partners and the records into ids.
 */
#include "internal.h"
#include "../core/field.h"
#include "../util/id.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

void app_partner_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = store_partner_list(c);
    if (!items) {
        app_fail(r, APP_ERROR, "the partner organisations could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

json_t *app_partner_ref(store_conn_t *c, const char *id, const char *field, json_t *errors)
{
    json_t *p = id && awda_uuid_valid(id, strlen(id)) ? store_partner_get(c, id) : NULL;
    if (!p && errors && !awda_has_error(errors, field))
        awda_error_add(errors, field,
                       "there is no partner organisation with this id; choose one of GET "
                       "/api/v1/partners (an administrator adds new ones)");
    return p;
}

static int partner_create_job(store_conn_t *c, void *p, app_result_t *r)
{
    const json_t *body = p;
    char id[AWDA_UUID_LEN + 1];
    int rc = store_partner_insert(c, body, id);
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "a partner organisation named %s already exists",
                 json_string_value(json_object_get(body, "name")));
        return rc;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = store_partner_get(c, id);
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/partners/%s", id);
    return r->body ? STORE_OK : STORE_ERR;
}

void app_partner_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                        const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body))
        awda_error_add(errors, "", "the partner organisation must be a JSON object");
    else
        awda_validate(&AWDA_PARTNER, body, "", errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The partner organisation is not valid");
        return;
    }
    json_decref(errors);
    app_run_idempotent(app, a, idem_key, request_hash, partner_create_job, (void *)body, r);
}

typedef struct {
    const char *id;
    const json_t *body;
} partner_update_t;

static int partner_update_job(store_conn_t *c, void *p, app_result_t *r)
{
    partner_update_t *x = p;
    json_t *cur =
        x->id && awda_uuid_valid(x->id, strlen(x->id)) ? store_partner_get(c, x->id) : NULL;
    if (!cur) {
        app_fail(r, APP_NOT_FOUND, "there is no partner organisation with this id");
        return STORE_ABORT;
    }
    /* A merge patch over what is stored; the id and times are the
     * server's. */
    json_t *merged = json_pack("{s:O,s:O}", "name", json_object_get(cur, "name"), "country",
                               json_object_get(cur, "country"));
    json_object_update(merged, (json_t *)x->body);
    if (json_is_null(json_object_get(merged, "country")))
        json_object_del(merged, "country");
    json_t *errors = json_array();
    awda_validate(&AWDA_PARTNER, merged, "", errors);
    int rc = STORE_ABORT;
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The partner organisation is not valid");
        errors = NULL;
    } else {
        rc = store_partner_update(c, x->id, merged);
        if (rc == STORE_CONFLICT) {
            app_fail(r, APP_CONFLICT, "a partner organisation named %s already exists",
                     json_string_value(json_object_get(merged, "name")));
        } else if (rc == STORE_OK) {
            r->body = store_partner_get(c, x->id);
            r->code = r->body ? APP_OK : APP_ERROR;
            rc = r->body ? STORE_OK : STORE_ERR;
        }
    }
    json_decref(errors);
    json_decref(merged);
    json_decref(cur);
    return rc;
}

void app_partner_update(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                        app_result_t *r)
{
    (void)a;
    if (!json_is_object(body)) {
        json_t *errors = json_array();
        awda_error_add(errors, "", "the change must be a JSON object");
        app_invalid(r, errors, "The partner organisation is not valid");
        return;
    }
    partner_update_t x = {id, body};
    app_run(app, partner_update_job, &x, r);
}
