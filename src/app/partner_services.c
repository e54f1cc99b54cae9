/*
 * partner_services.c — what a partner organisation is (government, NGO,
 * UN agency, private, community association) and the services it offers
 * (plan item types) in which places (a country, or an admin area of it).
 *
 * Additive to partners.c: the partner record itself (name, country) is
 * unchanged; its kind and services are read and replaced here as one
 * document, in one writer job (every service must be a known plan item
 * type and every country ISO 3166 alpha-3).
 */
#include "plans.h"
#include "internal.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

static const char *const PARTNER_KINDS[] = {
    "government", "ngo", "un_agency", "private", "community_association", NULL};

void app_partner_services_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    (void)a;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int64_t pk = store_plan_partner_pk(c, id);
    json_t *s = pk ? store_partner_services(c, pk) : NULL;
    if (!pk) {
        app_fail(r, APP_NOT_FOUND, "there is no partner organisation with this id");
        return;
    }
    if (!s) {
        app_fail(r, APP_ERROR, "the services of the partner could not be read");
        return;
    }
    json_object_set_new(s, "partner", json_string(id));
    r->body = s;
    r->code = APP_OK;
}

typedef struct {
    const char *id;
    const json_t *body;
} services_ctx_t;

static int services_job(store_conn_t *c, void *p, app_result_t *r)
{
    services_ctx_t *x = p;
    int64_t pk = store_plan_partner_pk(c, x->id);
    if (!pk) {
        app_fail(r, APP_NOT_FOUND, "there is no partner organisation with this id");
        return STORE_ABORT;
    }
    json_t *errors = json_array();
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(x->body, "services"), i, s)
    {
        char path[64], dim[16];
        const char *service = json_string_value(json_object_get(s, "service"));
        snprintf(path, sizeof path, "services[%zu].service", i);
        int rc = store_item_type_dimension(c, service, dim);
        if (rc == STORE_ERR) {
            json_decref(errors);
            return STORE_ERR;
        }
        if (rc != STORE_OK)
            awda_error_add(errors, path, "there is no type of plan item called %s",
                           service ? service : "");
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The services of the partner are not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    int rc = store_partner_kind_set(c, pk, json_string_value(json_object_get(x->body, "kind")));
    if (rc == STORE_OK)
        rc = store_partner_services_set(c, pk, json_object_get(x->body, "services"));
    if (rc == STORE_CONFLICT) {
        json_t *e = json_array();
        awda_error_add(e, "services", "a service is listed twice for the same place");
        app_invalid(r, e, "The services of the partner are not valid");
        return STORE_ABORT;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = store_partner_services(c, pk);
    if (!r->body)
        return STORE_ERR;
    json_object_set_new(r->body, "partner", json_string(x->id));
    r->code = APP_OK;
    return STORE_OK;
}

void app_partner_services_set(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                              app_result_t *r)
{
    (void)a;
    json_t *errors = json_array();
    static const char *const KNOWN[] = {"kind", "services", NULL};
    plan_unknown_fields(body, KNOWN, "", errors);
    const char *kind = json_string_value(json_object_get(body, "kind"));
    if (!kind || awda_value_index(PARTNER_KINDS, kind) < 0)
        awda_error_add(errors, "kind",
                       "the kind of partner must be one of: government, ngo, un_agency, private, "
                       "community_association");
    const json_t *services = json_object_get(body, "services");
    if (!json_is_array(services) || json_array_size(services) > AWDA_PARTNER_MAX_SERVICES)
        awda_error_add(errors, "services",
                       "the services are a list (at most %d) of {service, country, admin_area}",
                       AWDA_PARTNER_MAX_SERVICES);
    size_t i;
    json_t *s;
    json_array_foreach(services, i, s)
    {
        char path[64];
        snprintf(path, sizeof path, "services[%zu].", i);
        static const char *const SKNOWN[] = {"service", "country", "admin_area", NULL};
        if (!json_is_object(s)) {
            snprintf(path, sizeof path, "services[%zu]", i);
            awda_error_add(errors, path, "each service is {service, country, admin_area}");
            continue;
        }
        plan_unknown_fields(s, SKNOWN, path, errors);
        snprintf(path, sizeof path, "services[%zu].service", i);
        if (!json_is_string(json_object_get(s, "service")))
            awda_error_add(errors, path, "the service (a type of plan item) is required");
        const char *country = json_string_value(json_object_get(s, "country"));
        snprintf(path, sizeof path, "services[%zu].country", i);
        if (!country || !awda_country_valid(country, strlen(country)))
            awda_error_add(errors, path, "the country must be ISO 3166 alpha-3 (MLI)");
        snprintf(path, sizeof path, "services[%zu].admin_area", i);
        plan_check_text(s, "admin_area", path, AWDA_MAX_SHORT, 0, errors);
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The services of the partner are not valid");
        return;
    }
    json_decref(errors);
    services_ctx_t x = {id, body};
    app_run(app, services_job, &x, r);
}
