/*
 * authz.c — who may do what: the permission table (permissions.def) and
 * the per-kind and per-step role sets of the journey.
 *
 * Every request that reaches a use case has passed app_allowed() with the
 * permission its route declares (http/router.c), and every use case that
 * touches a case checks the office with app_in_office(). Roles that work
 * across offices (programme manager, administrator) are listed once here.
 * docs/DATA-PROTECTION.md is generated from app_permission_matrix().
 */
#include "app.h"
#include "../core/field.h"
#include <string.h>

/* Role bits: bit i is row i of core/roles.def (AWDA_ROLES), named by the
 * role's word: R(manager). */
#define R(name) (1u << ROLE_##name)
enum {
#define AWDA_ROLE(ID, name) ROLE_##name = AWDA_ROLE_##ID,
#include "../core/roles.def"
#undef AWDA_ROLE
};

#define CASE_STAFF                                                                                 \
    (R(registration) | R(counsellor) | R(medical) | R(operations) | R(protection) |                \
     R(reintegration) | R(finance) | R(me) | R(manager) | R(admin))
#define CASE_WRITERS                                                                               \
    (R(registration) | R(counsellor) | R(operations) | R(protection) | R(manager) | R(admin))
#define EVERYONE (~0u)

/* Names and role sets, in the order of app_perm_t (permissions.def). */
static const struct {
    const char *name;
    unsigned roles;
} PERMS[] = {
#define APP_PERM(id, name, roles) [PERM_##id] = {name, roles},
#include "permissions.def"
#undef APP_PERM
};

/* Who records each kind of journey record (core/records.c says which
 * kind needs which). */
static const unsigned RECORDERS[] = {
    [REC_COUNSEL] = R(counsellor) | R(protection) | R(manager),
    [REC_SUPERVISE] = R(manager),
    [REC_OPERATIONS] = R(operations) | R(registration) | R(manager),
    [REC_MEDICAL] = R(medical),
    [REC_PROTECTION] = R(protection),
    [REC_REFER] = R(registration) | R(counsellor) | R(protection) | R(reintegration) | R(manager),
};

/* Who takes each event of the journey (core/journey.c says which event
 * needs which). */
static const unsigned TAKERS[] = {
    [JP_COUNSEL] = R(counsellor) | R(protection) | R(manager),
    [JP_ELIGIBILITY] = R(manager),
    [JP_PREPARE] = R(operations) | R(registration) | R(manager),
    [JP_MOVE] = R(operations) | R(manager),
    [JP_REINTEGRATE] = R(reintegration) | R(me) | R(manager),
    [JP_WITHDRAW] = R(counsellor) | R(registration) | R(protection) | R(operations) | R(manager),
    [JP_HOLD] = R(registration) | R(counsellor) | R(operations) | R(protection) | R(manager),
    [JP_CLOSE] = R(registration) | R(reintegration) | R(manager),
    [JP_REOPEN] = R(counsellor) | R(manager),
};

int app_may_record(const app_actor_t *a, awda_rec_perm_t p)
{
    if ((unsigned)p >= sizeof RECORDERS / sizeof RECORDERS[0])
        return 0;
    return a->system || (a->p.roles & RECORDERS[p]) != 0;
}

int app_may_take(const app_actor_t *a, awda_journey_perm_t p)
{
    if ((unsigned)p >= sizeof TAKERS / sizeof TAKERS[0])
        return 0;
    return a->system || (a->p.roles & TAKERS[p]) != 0;
}

unsigned app_visible_sensitivity(const app_actor_t *a)
{
    unsigned v = 1u << SENS_NONE | 1u << SENS_IDENTITY | 1u << SENS_CONTACT;
    if (a->system)
        return ~0u;
    if (a->p.roles & R(medical))
        v |= 1u << SENS_MEDICAL;
    if (a->p.roles & R(protection))
        v |= 1u << SENS_PROTECTION;
    if (a->p.roles & R(finance))
        v |= 1u << SENS_FINANCIAL;
    return v;
}

unsigned app_record_visible_sensitivity(const app_actor_t *a, awda_rec_perm_t kind_perm,
                                        const char *author)
{
    if (app_may_record(a, kind_perm))
        return ~0u;
    if (author && a->p.username[0] && strcmp(author, a->p.username) == 0)
        return ~0u;
    return app_visible_sensitivity(a);
}

void app_waiting_filter(const app_actor_t *a, store_case_filter_t *f)
{
    f->waiting = 1;
    f->waiting_host = f->waiting_return = 0;
    for (int i = 0; AWDA_STAGES[i]; i++) {
        const awda_transition_t *ts[32];
        int n = awda_transition_events(AWDA_STAGES[i], ts, 32);
        for (int k = 0; k < n; k++) {
            if ((ts[k]->flags & AWDA_STEP_SIDE) || !app_may_take(a, ts[k]->perm))
                continue;
            /* The steps of the return (reception, reintegration) are the
             * receiving office's once the case is handed over. */
            if (ts[k]->perm == JP_REINTEGRATE)
                f->waiting_return |= 1u << i;
            else
                f->waiting_host |= 1u << i;
        }
    }
    /* Programme managers act wherever they see a case. */
    int anywhere = app_all_offices(a) || app_scope_projects(a);
    f->wait_offices = a->p.offices;
    f->wait_nof = anywhere ? -1 : a->p.noffices;
}

#define ALL_OFFICES (R(admin) | R(manager))

const char *app_perm_name(app_perm_t p)
{
    return (unsigned)p < PERM_COUNT ? PERMS[p].name : "?";
}

int app_allowed(const app_actor_t *a, app_perm_t p)
{
    if ((unsigned)p >= PERM_COUNT)
        return 0;
    if (p == PERM_NONE || a->system)
        return 1;
    return (a->p.roles & PERMS[p].roles) != 0;
}

int app_all_offices(const app_actor_t *a)
{
    /* A programme manager scoped to projects sees their offices and their
     * projects (app_case_in_scope), not everything. */
    if (a->system || (a->p.roles & R(admin)))
        return 1;
    return (a->p.roles & R(manager)) && a->p.nprojects == 0;
}

const char *app_scope_projects(const app_actor_t *a)
{
    return a->p.nprojects > 0 && (a->p.roles & R(manager)) ? a->p.projects : NULL;
}

int app_in_office(const app_actor_t *a, int64_t office_pk)
{
    if (app_all_offices(a))
        return 1;
    for (int i = 0; i < a->p.noffices; i++)
        if (a->p.offices[i] == office_pk)
            return 1;
    return 0;
}

unsigned app_role_bit(const char *role)
{
    int i = awda_value_index(AWDA_ROLES, role);
    return i < 0 ? 0 : 1u << i;
}

json_t *app_permission_matrix(void)
{
    json_t *m = json_object();
    for (int p = PERM_CASE_READ; p < PERM_COUNT; p++) {
        json_t *roles = json_array();
        for (int i = 0; AWDA_ROLES[i]; i++)
            if (PERMS[p].roles & (1u << i))
                json_array_append_new(roles, json_string(AWDA_ROLES[i]));
        json_object_set_new(m, PERMS[p].name, roles);
    }
    return m;
}

json_t *app_abilities(const app_actor_t *a)
{
    json_t *perms = json_array(), *kinds = json_array(), *events = json_array();
    for (int p = PERM_CASE_READ; p < PERM_COUNT; p++)
        if (app_allowed(a, (app_perm_t)p))
            json_array_append_new(perms, json_string(PERMS[p].name));
    for (size_t k = 0; k < awda_record_kind_count(); k++) {
        awda_rec_perm_t rp;
        const awda_entity_t *e = awda_record_kind(awda_record_kind_at(k)->name, &rp);
        if (e && app_may_record(a, rp))
            json_array_append_new(kinds, json_string(e->name));
    }
    for (int e = 0; AWDA_EVENTS[e]; e++) {
        const awda_transition_t *t = NULL;
        for (int st = 0; AWDA_STAGES[st] && !t; st++)
            t = awda_transition_find(AWDA_EVENTS[e], AWDA_STAGES[st]);
        if (t && app_may_take(a, t->perm))
            json_array_append_new(events, json_string(AWDA_EVENTS[e]));
    }
    return json_pack("{s:o,s:o,s:o}", "permissions", perms, "recordable", kinds, "events", events);
}
