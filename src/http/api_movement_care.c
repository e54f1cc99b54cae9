/*
 * api_movement_care.c — the API module of a movement's care: escorts,
 * airport assistance per leg, onward transport and the travel allowance
 * per passenger, and the manifest (JSON, CSV, XLSX).
 *
 * Routes and handlers only: the router (router.c) has checked the session,
 * the permission and the body before a handler runs; the handler calls the
 * use case (app/movement_care.c, app/manifest.c) and answers (answer.c).
 * Joined by API_MODULE(movement_care) in modules.def.
 *
 * The router captures one {…} segment, the last one of the pattern: for
 * the routes that name the movement and something inside it
 * (/movements/{id}/escorts/{escort_id}) c->param is the inner id, and the
 * movement's id is read here from its place in the path, the segment after
 * /api/v1/movements/.
 */
#include "api.h"
#include "../app/manifest.h"
#include "../app/movement_care.h"
#include <stdio.h>
#include <string.h>

#define MOVEMENTS_PREFIX "/api/v1/movements/"

/* The movement's id, the path segment after /api/v1/movements/, into buf
 * ("" when the path holds no such segment or it is too long). */
static const char *movement_of(const api_call_t *c, char *buf, size_t cap)
{
    const char *p = c->x->path;
    buf[0] = '\0';
    if (!p || strncmp(p, MOVEMENTS_PREFIX, sizeof MOVEMENTS_PREFIX - 1) != 0)
        return buf;
    p += sizeof MOVEMENTS_PREFIX - 1;
    size_t n = strcspn(p, "/");
    if (n < cap) {
        memcpy(buf, p, n);
        buf[n] = '\0';
        for (size_t k = 0; k < n; k++) /* ids are stored in lower case */
            if (buf[k] >= 'A' && buf[k] <= 'F')
                buf[k] = (char)(buf[k] + 32);
    }
    return buf;
}

#define MOVEMENT_ID(c, name)                                                                       \
    char name##_buf[64];                                                                           \
    const char *name = movement_of(c, name##_buf, sizeof name##_buf)

/* ---- escorts ---- */

static void h_escort_list(api_call_t *c)
{
    app_result_t r = {0};
    app_escort_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_escort_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_escort_create(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_escort_update(api_call_t *c)
{
    app_result_t r = {0};
    MOVEMENT_ID(c, mid);
    app_escort_update(c->app, &c->actor, mid, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_escort_delete(api_call_t *c)
{
    app_result_t r = {0};
    MOVEMENT_ID(c, mid);
    app_escort_delete(c->app, &c->actor, mid, c->param, &r);
    api_respond(c, &r);
}

/* ---- airport assistance ---- */

static void h_assistance_list(api_call_t *c)
{
    app_result_t r = {0};
    app_assistance_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_assistance_create(api_call_t *c)
{
    app_result_t r = {0};
    const char *key;
    char hash[65];
    if (!api_idem_key(c, &key, hash))
        return;
    app_assistance_create(c->app, &c->actor, c->param, c->json, key, hash, &r);
    api_respond(c, &r);
}

static void h_assistance_update(api_call_t *c)
{
    app_result_t r = {0};
    app_if_match_t m;
    if (api_if_match(c, &m) != 0)
        return;
    MOVEMENT_ID(c, mid);
    app_assistance_update(c->app, &c->actor, mid, c->param, &m, c->json, &r);
    api_respond(c, &r);
}

/* ---- onward transport, travel allowance ---- */

static void h_onward_list(api_call_t *c)
{
    app_result_t r = {0};
    app_onward_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_onward_put(api_call_t *c)
{
    app_result_t r = {0};
    MOVEMENT_ID(c, mid);
    app_onward_put(c->app, &c->actor, mid, c->param, c->json, &r);
    api_respond(c, &r);
}

static void h_onward_delete(api_call_t *c)
{
    app_result_t r = {0};
    MOVEMENT_ID(c, mid);
    app_onward_delete(c->app, &c->actor, mid, c->param, &r);
    api_respond(c, &r);
}

static void h_allowance_list(api_call_t *c)
{
    app_result_t r = {0};
    app_allowance_list(c->app, &c->actor, c->param, &r);
    api_respond(c, &r);
}

static void h_allowance_put(api_call_t *c)
{
    app_result_t r = {0};
    MOVEMENT_ID(c, mid);
    app_allowance_put(c->app, &c->actor, mid, c->param, c->json, &r);
    api_respond(c, &r);
}

/* ---- the manifest ---- */

static void h_manifest(api_call_t *c)
{
    app_result_t r = {0};
    app_manifest(c->app, &c->actor, c->param, api_arg(c, "format"), &r);
    api_respond(c, &r);
}

static const api_route_t ROUTES[] = {
    {"GET", "/api/v1/movements/{id}/escorts", PERM_MOVEMENT_READ, 0, h_escort_list},
    {"POST", "/api/v1/movements/{id}/escorts", PERM_MOVEMENT_MANAGE, API_BODY, h_escort_create},
    {"PATCH", "/api/v1/movements/{id}/escorts/{escort_id}", PERM_MOVEMENT_MANAGE, API_BODY,
     h_escort_update},
    {"DELETE", "/api/v1/movements/{id}/escorts/{escort_id}", PERM_MOVEMENT_MANAGE, 0,
     h_escort_delete},
    {"GET", "/api/v1/movements/{id}/assistance", PERM_MOVEMENT_READ, 0, h_assistance_list},
    {"POST", "/api/v1/movements/{id}/assistance", PERM_MOVEMENT_MANAGE, API_BODY,
     h_assistance_create},
    {"PATCH", "/api/v1/movements/{id}/assistance/{assistance_id}", PERM_MOVEMENT_MANAGE, API_BODY,
     h_assistance_update},
    {"GET", "/api/v1/movements/{id}/onward", PERM_MOVEMENT_READ, 0, h_onward_list},
    {"PUT", "/api/v1/movements/{id}/passengers/{person_id}/onward", PERM_MOVEMENT_MANAGE, API_BODY,
     h_onward_put},
    {"DELETE", "/api/v1/movements/{id}/passengers/{person_id}/onward", PERM_MOVEMENT_MANAGE, 0,
     h_onward_delete},
    {"GET", "/api/v1/movements/{id}/allowances", PERM_MOVEMENT_READ, 0, h_allowance_list},
    {"PUT", "/api/v1/movements/{id}/passengers/{person_id}/allowance", PERM_MOVEMENT_MANAGE,
     API_BODY, h_allowance_put},
    {"GET", "/api/v1/movements/{id}/manifest", PERM_MANIFEST, 0, h_manifest},
};

const api_module_t api_module_movement_care = API_MODULE_OF(movement_care, ROUTES);
