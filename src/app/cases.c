/*
 * cases.c — registering a case: the document validated and written with
 * its members, and what creating and changing a case share.
 *
 * Create and update (case_patch.c) follow the same path: validate the
 * whole document against the field tables (every problem at once), then
 * inside one transaction resolve references (office, assigned user,
 * existing persons), check the office scope, write, and append the event.
 *
 * Persons are shared between cases. A member links an existing person by
 * person_id only when the user may already see that person (otherwise the
 * answer is that of an unknown id); a change to a linked person's details
 * is put on the timeline of every other case that person belongs to
 * ("person_updated") and moves that case's version on. The household
 * plausibility warnings must be confirmed by name before they are
 * written. What the files of the case module share is declared in
 * cases_int.h.
 */
#include "internal.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../text/norm.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cases_int.h"
#include "duplicates.h"

/* ---- shared helpers ----------------------------------------------------- */

/* The entity tag of an answer: the version of the case in its body. */
void case_etag(app_result_t *r)
{
    json_t *v = json_object_get(r->body, "version");
    r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

/* The pk of the registered person id when the actor may already see that
 * person (app_person_visible: in a case of their offices, or handed over
 * to them, or of a manager's projects), else 0. A person who belongs only
 * to other offices' cases is answered exactly like an unknown id, so
 * linking cannot be used to reach them or to learn that they exist. */
static int64_t linkable_person_pk(store_conn_t *c, const app_actor_t *a, const char *id)
{
    int64_t pk = store_person_pk(c, id);
    if (!pk || app_all_offices(a))
        return pk;
    json_t *p = store_person_get(c, pk, 1);
    int visible = app_person_visible(c, a, p);
    json_decref(p);
    return visible ? pk : 0;
}

/* Resolves the office, the assigned user and linked persons (only those
 * the actor may see). Problems go to errors; a case in an office the
 * actor does not work in is APP_FORBIDDEN (returned), else APP_OK. */
app_code_t case_resolve_refs(store_conn_t *c, const app_actor_t *a, const json_t *caze,
                             refs_t *refs, json_t *errors)
{
    memset(refs, 0, sizeof *refs);
    const char *office = json_string_value(json_object_get(caze, "office"));
    refs->office_pk = store_office_pk(c, office);
    if (!refs->office_pk)
        awda_error_add(errors, "office", "there is no office with the code %s", office);
    const char *assigned = json_string_value(json_object_get(caze, "assigned_to"));
    if (assigned) {
        refs->assigned_pk = store_user_pk(c, assigned);
        if (!refs->assigned_pk)
            awda_error_add(errors, "assigned_to", "there is no user named %s", assigned);
    }
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        if (!pid || i >= AWDA_MAX_MEMBERS)
            continue;
        refs->person_pk[i] = linkable_person_pk(c, a, pid);
        if (!refs->person_pk[i]) {
            char p[64];
            snprintf(p, sizeof p, "members[%zu].person_id", i);
            awda_error_add(errors, p, "no person with this id is registered");
        }
    }
    if (refs->office_pk && !app_in_office(a, refs->office_pk))
        return APP_FORBIDDEN;
    return APP_OK;
}

/* A person's JSON as stored: the precision defaults to "estimated". */
static json_t *person_to_store(const json_t *person)
{
    json_t *p = json_copy((json_t *)person);
    const json_t *prec = json_object_get(p, "dob_precision");
    if (!prec || json_is_null(prec))
        json_object_set_new(p, "dob_precision", json_string("estimated"));
    return p;
}

/* The timeline is read by every role: a change to a sealed-class field of
 * a person (the protection concerns) is told as a change to the person,
 * not by the field's name, so the timeline does not say who has one.
 * path_of names the paths of a case diff ("members[0].person.x"); field
 * names alone otherwise. Duplicates are dropped. */
static int sealed_person_field(const char *name)
{
    const awda_field_t *f = awda_field_find(&AWDA_PERSON, name);
    return f && (f->sens == SENS_MEDICAL || f->sens == SENS_PROTECTION);
}

json_t *case_timeline_paths(const json_t *changed, int path_of)
{
    json_t *out = json_array();
    size_t i, k;
    json_t *v, *w;
    json_array_foreach(changed, i, v)
    {
        const char *s = json_string_value(v);
        const char *dot = s && path_of ? strrchr(s, '.') : NULL;
        json_t *say = NULL;
        if (path_of && dot && dot - s >= 7 && strncmp(dot - 7, ".person", 7) == 0 &&
            sealed_person_field(dot + 1))
            say = json_stringn(s, (size_t)(dot - s));
        else if (!path_of && s && sealed_person_field(s))
            continue;
        else
            say = json_incref(v);
        int seen = 0;
        json_array_foreach(out, k, w) seen |= json_equal(w, say);
        if (seen)
            json_decref(say);
        else
            json_array_append_new(out, say);
    }
    return out;
}

/* A linked person was changed through case_pk: every other case the
 * person belongs to gets a "person_updated" event (which person, which
 * fields, by whom — not through which case, which may be another
 * office's) and a new version, so the change is on each timeline it
 * touches and an edit based on the old details answers 412 instead of
 * silently writing them back. */
static int touch_other_cases(store_conn_t *c, const app_actor_t *a, int64_t person_pk,
                             int64_t case_pk, const json_t *changed)
{
    json_t *p = store_person_get(c, person_pk, 1);
    if (!p)
        return STORE_ERR;
    json_t *ev = json_pack("{s:O,s:O}", "person_id", json_object_get(p, "id"), "changed", changed);
    int rc = ev ? STORE_OK : STORE_ERR;
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(p, "cases"), i, cs)
    {
        int64_t cpk = 0, opk = 0, ver = 0;
        const char *cid = json_string_value(json_object_get(cs, "id"));
        if (rc != STORE_OK)
            break;
        if (!cid || (rc = store_case_find(c, cid, &cpk, &opk, &ver)) != STORE_OK)
            break;
        if (cpk == case_pk)
            continue;
        rc = store_case_touch(c, cpk);
        if (rc == STORE_OK)
            rc = store_event_append(c, cpk, a->p.pk, "person_updated", ev);
    }
    json_decref(ev);
    json_decref(p);
    return rc;
}

/* Writes the members of caze: new persons are inserted, linked persons
 * whose details differ from what is stored are updated (and the other
 * cases they belong to told, touch_other_cases). */
int case_write_members(store_conn_t *c, const app_actor_t *a, int64_t case_pk, const json_t *caze,
                       const refs_t *refs)
{
    unsigned visible = app_visible_sensitivity(a);
    int rc = store_case_members_clear(c, case_pk);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        if (rc != STORE_OK)
            return rc;
        const json_t *person = json_object_get(m, "person");
        int64_t ppk = refs->person_pk[i];
        if (!ppk) {
            char id[37];
            json_t *p = person_to_store(person);
            rc = store_person_insert(c, p, id, &ppk);
            json_decref(p);
        } else if (json_is_object(person)) {
            json_t *stored = store_person_get(c, ppk, 0);
            json_t *p = person_to_store(person);
            /* What the actor may not see stays as stored (hidden_input
             * refused it in the document). */
            for (size_t k = 0; stored && k < AWDA_PERSON.nfields; k++)
                if (case_person_field_hidden(&AWDA_PERSON.fields[k], visible))
                    json_object_set(p, AWDA_PERSON.fields[k].name,
                                    json_object_get(stored, AWDA_PERSON.fields[k].name));
            json_t *changed = json_array();
            for (size_t k = 0; stored && k < AWDA_PERSON.nfields; k++) {
                const awda_field_t *f = &AWDA_PERSON.fields[k];
                if (f->flags & F_SERVER)
                    continue;
                json_t *x = json_object_get(p, f->name), *y = json_object_get(stored, f->name);
                int xnull = !x || json_is_null(x) || (json_is_array(x) && !json_array_size(x));
                int ynull = !y || json_is_null(y) || (json_is_array(y) && !json_array_size(y));
                if (!(xnull && ynull) && !(x && y && json_equal(x, y)))
                    json_array_append_new(changed, json_string(f->name));
            }
            if (json_array_size(changed)) {
                json_t *told = case_timeline_paths(changed, 0);
                rc = store_person_update(c, ppk, p);
                if (rc == STORE_OK)
                    rc = touch_other_cases(c, a, ppk, case_pk, told);
                json_decref(told);
            }
            json_decref(changed);
            json_decref(p);
            json_decref(stored);
        }
        if (rc != STORE_OK)
            return rc;
        rc = store_case_member_add(c, case_pk, ppk,
                                   json_string_value(json_object_get(m, "relationship")), (int)i);
        if (rc == STORE_CONFLICT)
            return STORE_ABORT; /* the same person twice */
    }
    return rc;
}

/* ---- household plausibility -------------------------------------------- */

/* The household warnings of caze (awda_case_plausibility) whose code the
 * list confirm names, as [{"code","field","message"}] for the created or
 * updated event; NULL when none. Caller owns the result. */
json_t *case_confirmed_warnings(const json_t *caze, const json_t *confirm)
{
    if (!json_is_array(confirm) || !json_array_size(confirm))
        return NULL;
    awda_date_t t = awda_today();
    json_t *found = json_array(), *out = json_array();
    awda_case_plausibility(caze, t.year, t.month, t.day, found);
    size_t i, j;
    json_t *w, *code;
    json_array_foreach(found, i, w)
    {
        json_array_foreach(confirm, j, code)
        {
            if (json_equal(code, json_object_get(w, "code"))) {
                json_array_append_new(out, json_pack("{s:O,s:O,s:O}", "code", code, "field",
                                                     json_object_get(w, "field"), "message",
                                                     json_object_get(w, "message")));
                break;
            }
        }
    }
    json_decref(found);
    if (!json_array_size(out)) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* The codes of the warnings the stored case already has: confirmed when
 * it was registered (or older than the checks), so that an unrelated
 * change does not have to confirm them again. Added to merged's list. */
void case_inherit_confirmations(const json_t *current, json_t *merged)
{
    awda_date_t t = awda_today();
    json_t *found = json_array();
    awda_case_plausibility(current, t.year, t.month, t.day, found);
    json_t *list = json_object_get(merged, "confirm_plausibility");
    if (json_array_size(found) && !list) {
        list = json_array();
        json_object_set_new(merged, "confirm_plausibility", list);
    }
    /* A list that is not a list stays as sent: validation says so. */
    if (!json_is_array(list)) {
        json_decref(found);
        return;
    }
    size_t i, j;
    json_t *w, *have;
    json_array_foreach(found, i, w)
    {
        json_t *code = json_object_get(w, "code");
        int present = 0;
        json_array_foreach(list, j, have) present |= json_equal(have, code);
        if (!present)
            json_array_append(list, code);
    }
    json_decref(found);
}

/* The household as the plausibility checks must see it: merged, with the
 * person of each member named by id alone (the web interface's household
 * editor names every member it does not change that way) taken from the
 * stored case, when that person is already a member of it. Only for the
 * checks: the document written stays as sent. The caller owns the copy. */
json_t *case_household_view(const json_t *current, const json_t *merged)
{
    json_t *view = json_deep_copy(merged);
    size_t i, k;
    json_t *m, *cm;
    json_array_foreach(json_object_get(view, "members"), i, m)
    {
        const json_t *pid = json_object_get(m, "person_id");
        if (json_object_get(m, "person") || !json_is_string(pid))
            continue;
        json_array_foreach(json_object_get(current, "members"), k, cm)
        {
            if (json_equal(json_object_get(cm, "person_id"), (json_t *)pid)) {
                json_object_set(m, "person", json_object_get(cm, "person"));
                break;
            }
        }
    }
    return view;
}

/* Adds to errors the household warnings of view that its confirmations do
 * not name and errors does not hold yet, marked to be confirmed as
 * validation marks them; returns how many. These are the warnings about
 * members named by id alone, which validation of the document as sent
 * cannot see. Nothing is added while errors holds a problem that is not a
 * warning: that is the one to fix first. */
size_t case_household_warnings(const json_t *view, json_t *errors)
{
    size_t i, j, n = 0;
    json_t *w, *e, *code;
    json_array_foreach(errors, j, e)
    {
        if (!json_object_get(e, "confirm"))
            return 0;
    }
    awda_date_t t = awda_today();
    json_t *found = json_array();
    awda_case_plausibility(view, t.year, t.month, t.day, found);
    const json_t *list = json_object_get(view, "confirm_plausibility");
    json_array_foreach(found, i, w)
    {
        int known = !json_object_get(w, "field");
        json_array_foreach(list, j, code) known |= json_equal(code, json_object_get(w, "code"));
        json_array_foreach(errors, j, e)
        {
            known |= json_equal(json_object_get(e, "code"), json_object_get(w, "code")) &&
                     json_equal(json_object_get(e, "field"), json_object_get(w, "field"));
        }
        if (known)
            continue;
        json_object_set_new(w, "confirm", json_string("confirm_plausibility"));
        json_array_append(errors, w);
        n++;
    }
    json_decref(found);
    return n;
}

/* ---- create ------------------------------------------------------------ */

typedef struct {
    const app_actor_t *a;
    const json_t *body;
    const store_keys_ready_t *ready; /* the new persons' keys, made before the job */
} create_ctx_t;

int app_case_insert(store_conn_t *c, const app_actor_t *a, const json_t *body, int64_t *pk,
                    char id[37], char number[40], json_t *errors, int *forbidden)
{
    refs_t refs;
    *forbidden = 0;
    app_code_t scope = case_resolve_refs(c, a, body, &refs, errors);
    if (json_array_size(errors))
        return STORE_ABORT;
    if (scope != APP_OK) {
        *forbidden = 1;
        return STORE_ABORT;
    }
    awda_date_t today = awda_today();
    int rc = store_case_number(
        c, refs.office_pk, json_string_value(json_object_get(body, "office")), today.year, number);
    if (rc == STORE_OK)
        rc = store_case_insert(c, body, number, refs.office_pk, refs.assigned_pk, a->p.pk, id, pk);
    if (rc == STORE_OK)
        rc = case_write_members(c, a, *pk, body, &refs);
    if (rc == STORE_ABORT) {
        awda_error_add(errors, "members", "a person appears more than once in this case");
        return rc;
    }
    json_t *ev = json_pack("{s:s,s:I}", "number", number, "members",
                           (json_int_t)json_array_size(json_object_get(body, "members")));
    json_t *confirmed =
        case_confirmed_warnings(body, json_object_get(body, "confirm_plausibility"));
    if (confirmed)
        json_object_set_new(ev, "confirmed", confirmed);
    if (rc == STORE_OK)
        rc = store_event_append(c, *pk, a->p.pk, "created", ev);
    json_decref(ev);
    return rc;
}

static int create_job(store_conn_t *c, void *p, app_result_t *r)
{
    create_ctx_t *x = p;
    char number[40], id[37];
    int64_t pk = 0;
    json_t *errors = json_array();
    int forbidden = 0;
    store_keys_ready_use(c, x->ready); /* (the writer stops it after the job) */
    int rc = app_case_insert(c, x->a, x->body, &pk, id, number, errors, &forbidden);
    if (rc == STORE_ABORT) {
        if (forbidden) {
            json_decref(errors);
            app_fail(r, APP_FORBIDDEN, "you do not work in the office %s",
                     json_string_value(json_object_get(x->body, "office")));
            return STORE_ABORT;
        }
        app_invalid(r, errors, "The case is not valid");
        return rc;
    }
    json_decref(errors);
    if (rc != STORE_OK)
        return rc;
    r->body = app_redact_case(x->a, store_case_get(c, pk));
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%s", id);
    case_etag(r);
    return STORE_OK;
}

int app_case_validate(const app_actor_t *a, const json_t *body, json_t *errors)
{
    size_t before = json_array_size(errors);
    if (!json_is_object(body)) {
        awda_error_add(errors, "", "the case must be a JSON object");
        return 1;
    }
    case_hidden_input(a, body, errors);
    awda_validate(&AWDA_CASE, body, "", errors);
    return (int)(json_array_size(errors) - before);
}

/* 1 when body may be registered, else 0 with r filled (422). */
static int create_valid(const app_actor_t *a, const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    if (app_case_validate(a, body, errors)) {
        app_invalid(r, errors, "The case is not valid");
        return 0;
    }
    json_decref(errors);
    return 1;
}

/* After a registration is durable: its entity tag, and its persons handed
 * to the duplicates module's flagging thread (duplicates.c). */
static void created_after(app_result_t *r)
{
    case_etag(r);
    app_duplicates_registered(r);
}

/* The keys of the persons of body (name, search and duplicate keys) made
 * on the caller's thread, so that the one writer thread does not make
 * them (store_keys_ready_add): NULL when out of memory — the job then
 * makes them. The caller's; free with store_keys_ready_free once the job
 * is done. */
static store_keys_ready_t *create_keys(const json_t *body)
{
    store_keys_ready_t *ready = store_keys_ready_new();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(body, "members"), i, m)
    {
        const json_t *person = json_object_get(m, "person");
        if (ready && json_is_object(person) && !json_object_get(m, "person_id"))
            store_keys_ready_add(ready, person);
    }
    return ready;
}

/* An asynchronous registration's end: its keys freed, then the caller's
 * done. */
typedef struct {
    store_keys_ready_t *ready;
    void (*done)(void *arg);
    void *arg;
} create_end_t;

static void create_done(void *p)
{
    create_end_t *e = p;
    void (*done)(void *) = e->done;
    void *arg = e->arg;
    store_keys_ready_free(e->ready);
    free(e);
    done(arg);
}

int app_case_create_async(app_t *app, const app_actor_t *a, const json_t *body,
                          const char *idem_key, const char *request_hash, app_result_t *r,
                          void (*done)(void *arg), void *arg)
{
    if (!create_valid(a, body, r))
        return -1;
    create_end_t *e = awda_malloc(sizeof *e);
    if (!e) {
        app_fail(r, APP_ERROR, "the database could not complete the change; nothing was saved");
        return -1;
    }
    *e = (create_end_t){create_keys(body), done, arg};
    create_ctx_t x = {a, body, e->ready};
    int rc = app_run_idempotent_async(app, a, idem_key, request_hash, create_job, &x, sizeof x,
                                      created_after, r, create_done, e);
    if (rc != 0) { /* not queued: done is not called */
        store_keys_ready_free(e->ready);
        free(e);
    }
    return rc;
}

void app_case_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r)
{
    if (!create_valid(a, body, r))
        return;
    store_keys_ready_t *ready = create_keys(body);
    create_ctx_t x = {a, body, ready};
    app_run_idempotent(app, a, idem_key, request_hash, create_job, &x, r);
    store_keys_ready_free(ready);
    if (r->replay)
        return;
    if (r->code == APP_CREATED)
        case_etag(r);
}
