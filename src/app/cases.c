/*
 * cases.c — the registry's use cases: cases with their members, persons,
 * the timeline, lists and the name search.
 *
 * Create and update follow the same path: validate the whole document
 * against the field tables (every problem at once), then inside one
 * transaction resolve references (office, assigned user, existing
 * persons), check the office scope, write, and append the event. An update
 * is an RFC 7396 merge patch applied to the case as GET shows it, guarded
 * by the version the client saw (If-Match): the row is updated only
 * "WHERE version = seen", so two people editing one case can never
 * silently overwrite each other.
 *
 * Persons are shared between cases. A member links an existing person by
 * person_id only when the user may already see that person (otherwise the
 * answer is that of an unknown id); a change to a linked person's details
 * is put on the timeline of every other case that person belongs to
 * ("person_updated") and moves that case's version on. The host office is
 * never changed by an edit — a case moves only by a hand-over. Person
 * reads and searches list only the cases the user may see.
 */
#include "internal.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../text/norm.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- shared helpers ----------------------------------------------------- */

static void etag_from(app_result_t *r)
{
    json_t *v = json_object_get(r->body, "version");
    r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

/* References a case document makes to other records, resolved to pks. */
typedef struct {
    int64_t office_pk;
    int64_t assigned_pk;
    int64_t person_pk[AWDA_MAX_MEMBERS];
} refs_t;

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
static app_code_t resolve_refs(store_conn_t *c, const app_actor_t *a, const json_t *caze,
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

/* ---- fields of persons the actor may not see ----------------------------- */

/* Protection concerns (and any other person field of a class the actor's
 * roles do not see) are left out of every answer, neither shown nor
 * marked: a role that may not know cannot tell a person who has one from
 * one who has none. Such a field cannot be set by that role either, and
 * its stored value survives the role's edits of the person. */
static int person_field_hidden(const awda_field_t *f, unsigned visible)
{
    return f->sens != SENS_NONE && !(visible & (1u << f->sens));
}

json_t *app_redact_person(const app_actor_t *a, json_t *person)
{
    unsigned visible = app_visible_sensitivity(a);
    for (size_t i = 0; json_is_object(person) && i < AWDA_PERSON.nfields; i++)
        if (person_field_hidden(&AWDA_PERSON.fields[i], visible))
            json_object_del(person, AWDA_PERSON.fields[i].name);
    return person;
}

json_t *app_redact_case(const app_actor_t *a, json_t *caze)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
        app_redact_person(a, json_object_get(m, "person"));
    return caze;
}

/* A hidden field sent for a member's person (in a new case or a change)
 * is a problem at its path. */
static void hidden_input(const app_actor_t *a, const json_t *caze, json_t *errors)
{
    unsigned visible = app_visible_sensitivity(a);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const json_t *person = json_object_get(m, "person");
        for (size_t k = 0; json_is_object(person) && k < AWDA_PERSON.nfields; k++) {
            const awda_field_t *f = &AWDA_PERSON.fields[k];
            if (!person_field_hidden(f, visible) || !json_object_get(person, f->name))
                continue;
            char p[96];
            snprintf(p, sizeof p, "members[%zu].person.%s", i, f->name);
            awda_error_add(errors, p,
                           "%s are %s detail: only the roles that see it record and change "
                           "them (ask a %s officer)",
                           f->words, awda_sens_name(f->sens), awda_sens_name(f->sens));
        }
    }
}

/* For an actor who may not see them, the hidden fields of the members'
 * persons are what is stored (none for a new person), whatever the
 * document says: the actor's edits never drop them. */
static void keep_hidden(store_conn_t *c, const app_actor_t *a, json_t *caze)
{
    unsigned visible = app_visible_sensitivity(a);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        json_t *person = json_object_get(m, "person");
        if (!json_is_object(person))
            continue;
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        int64_t ppk = pid ? store_person_pk(c, pid) : 0;
        json_t *stored = ppk ? store_person_get(c, ppk, 0) : NULL;
        for (size_t k = 0; k < AWDA_PERSON.nfields; k++) {
            const awda_field_t *f = &AWDA_PERSON.fields[k];
            if (!person_field_hidden(f, visible))
                continue;
            json_t *v = json_object_get(stored, f->name);
            if (v && !json_is_null(v))
                json_object_set(person, f->name, v);
            else
                json_object_del(person, f->name);
        }
        json_decref(stored);
    }
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

static json_t *timeline_paths(const json_t *changed, int path_of)
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
static int write_members(store_conn_t *c, const app_actor_t *a, int64_t case_pk, const json_t *caze,
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
                if (person_field_hidden(&AWDA_PERSON.fields[k], visible))
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
                json_t *told = timeline_paths(changed, 0);
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
static json_t *confirmed_warnings(const json_t *caze, const json_t *confirm)
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
static void inherit_confirmations(const json_t *current, json_t *merged)
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
static json_t *household_view(const json_t *current, const json_t *merged)
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
static size_t household_warnings(const json_t *view, json_t *errors)
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
} create_ctx_t;

static int create_job(store_conn_t *c, void *p, app_result_t *r)
{
    create_ctx_t *x = p;
    refs_t refs;
    json_t *errors = json_array();
    app_code_t scope = resolve_refs(c, x->a, x->body, &refs, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The case is not valid");
        return STORE_ABORT;
    }
    json_decref(errors);
    if (scope != APP_OK) {
        app_fail(r, APP_FORBIDDEN, "you do not work in the office %s",
                 json_string_value(json_object_get(x->body, "office")));
        return STORE_ABORT;
    }
    char number[40], id[37];
    int64_t pk;
    awda_date_t today = awda_today();
    int rc =
        store_case_number(c, refs.office_pk, json_string_value(json_object_get(x->body, "office")),
                          today.year, number);
    if (rc == STORE_OK)
        rc = store_case_insert(c, x->body, number, refs.office_pk, refs.assigned_pk, x->a->p.pk, id,
                               &pk);
    if (rc == STORE_OK)
        rc = write_members(c, x->a, pk, x->body, &refs);
    if (rc == STORE_ABORT) {
        json_t *e = json_array();
        awda_error_add(e, "members", "a person appears more than once in this case");
        app_invalid(r, e, "The case is not valid");
        return rc;
    }
    json_t *ev = json_pack("{s:s,s:I}", "number", number, "members",
                           (json_int_t)json_array_size(json_object_get(x->body, "members")));
    json_t *confirmed =
        confirmed_warnings(x->body, json_object_get(x->body, "confirm_plausibility"));
    if (confirmed)
        json_object_set_new(ev, "confirmed", confirmed);
    if (rc == STORE_OK)
        rc = store_event_append(c, pk, x->a->p.pk, "created", ev);
    json_decref(ev);
    if (rc != STORE_OK)
        return rc;
    r->body = app_redact_case(x->a, store_case_get(c, pk));
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/cases/%s", id);
    etag_from(r);
    return STORE_OK;
}

void app_case_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                     const char *request_hash, app_result_t *r)
{
    json_t *errors = json_array();
    if (!json_is_object(body)) {
        awda_error_add(errors, "", "the case must be a JSON object");
        app_invalid(r, errors, "The case is not valid");
        return;
    }
    hidden_input(a, body, errors);
    if (awda_validate(&AWDA_CASE, body, "", errors)) {
        app_invalid(r, errors, "The case is not valid");
        return;
    }
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The case is not valid");
        return;
    }
    json_decref(errors);
    create_ctx_t x = {a, body};
    app_run_idempotent(app, a, idem_key, request_hash, create_job, &x, r);
    if (r->replay)
        return;
    if (r->code == APP_CREATED)
        etag_from(r);
}

/* ---- read ---------------------------------------------------------------- */

void app_case_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    /* One read of the case gives both the answer and its place, which
     * decides whether the actor may see it (as app_find_case would). */
    store_case_row_t row;
    json_t *caze = id && awda_uuid_valid(id, strlen(id)) ? store_case_read(c, id, &row) : NULL;
    if (!caze || !app_case_row_in_scope(a, row.office_pk, row.receiving_office_pk, row.project)) {
        json_decref(caze);
        app_fail(r, APP_NOT_FOUND, "there is no case with this id");
        return;
    }
    r->body = app_redact_case(a, caze);
    r->code = APP_OK;
    etag_from(r);
}

void app_case_events(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    int64_t pk, office_pk, version;
    if (!c || !app_find_case(c, a, id, &pk, &office_pk, &version, r))
        return;
    json_t *items = store_event_list(c, pk);
    if (!items) {
        app_fail(r, APP_ERROR, "the timeline could not be read");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

/* ---- update ------------------------------------------------------------- */

/* RFC 7396: applies patch to target (a reference the function takes) and
 * returns the result (a new reference). */
static json_t *merge_patch(json_t *target, const json_t *patch)
{
    if (!json_is_object(patch)) {
        json_decref(target);
        return json_deep_copy(patch);
    }
    if (!json_is_object(target)) {
        json_decref(target);
        target = json_object();
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)patch, k, v)
    {
        if (json_is_null(v)) {
            json_object_del(target, k);
        } else {
            json_t *cur = json_incref(json_object_get(target, k));
            json_object_set_new(target, k, merge_patch(cur, v));
        }
    }
    return target;
}

static int server_owned(const awda_entity_t *e, const char *name)
{
    const awda_field_t *f = e ? awda_field_find(e, name) : NULL;
    return f && (f->flags & F_SERVER);
}

/* Appends to out the paths where a and b differ, ignoring fields the
 * server owns. e is the entity a and b are instances of (or NULL). */
static void diff(const json_t *a, const json_t *b, const awda_entity_t *e, const char *path,
                 json_t *out)
{
    char p[256];
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v)
        {
            if (server_owned(e, k))
                continue;
            const awda_field_t *f = e ? awda_field_find(e, k) : NULL;
            snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
            diff(v, json_object_get(b, k), f ? f->sub : NULL, p, out);
        }
        json_object_foreach((json_t *)b, k, v)
        {
            if (server_owned(e, k) || json_object_get(a, k))
                continue;
            if (json_is_null(v))
                continue;
            snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
            json_array_append_new(out, json_string(p));
        }
        return;
    }
    if (json_is_array(a) && json_is_array(b) && e) {
        size_t n =
            json_array_size(a) > json_array_size(b) ? json_array_size(a) : json_array_size(b);
        for (size_t i = 0; i < n; i++) {
            snprintf(p, sizeof p, "%s[%zu]", path, i);
            json_t *x = json_array_get(a, i), *y = json_array_get(b, i);
            if (!x || !y)
                json_array_append_new(out, json_string(p));
            else
                diff(x, y, e, p, out);
        }
        return;
    }
    int an = !a || json_is_null(a), bn = !b || json_is_null(b);
    if (an && bn)
        return;
    if (an != bn || !json_equal(a, b))
        json_array_append_new(out, json_string(path));
}

typedef struct {
    const app_actor_t *a;
    const char *id;
    const app_if_match_t *m;
    const json_t *patch;
} patch_ctx_t;

static int same_text(const json_t *x, const json_t *y)
{
    const char *a = json_string_value(x), *b = json_string_value(y);
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A change of destination undoes what was given for the old one: consent
 * to return, the eligibility decision and the restriction check were for
 * that country and area. A case at consented or later (before departure)
 * goes back to counselled (on hold: will resume to counselled), and the
 * timeline says why; the journey's guards no longer count the return
 * consents, eligibility decisions and family assessments recorded before
 * the change (core/journey.c); a receiving office in another country than
 * the new one is forgotten. Called inside the patch's transaction. */
static int destination_change(store_conn_t *c, const app_actor_t *a, int64_t pk,
                              const json_t *before, const json_t *after)
{
    static const char *const GIVEN[] = {"consented", "eligible", "pre_departure",
                                        "ready",     "booked",   NULL};
    const json_t *fc = json_object_get(before, "destination_country");
    const json_t *fa = json_object_get(before, "destination_admin_area");
    const json_t *tc = json_object_get(after, "destination_country");
    const json_t *ta = json_object_get(after, "destination_admin_area");
    if (same_text(fc, tc) && same_text(fa, ta))
        return STORE_OK;
    char last[37];
    int rc = store_record_last_id(c, pk, last);
    if (rc != STORE_OK && rc != STORE_NOTFOUND)
        return rc;
    json_t *ev = json_pack("{s:O,s:O,s:O,s:O,s:s*}", "from_country", fc ? fc : json_null(),
                           "from_admin_area", fa ? fa : json_null(), "to_country",
                           tc ? tc : json_null(), "to_admin_area", ta ? ta : json_null(),
                           "last_record", rc == STORE_OK ? last : NULL);
    const char *stage = json_string_value(json_object_get(before, "stage"));
    const char *sb = json_string_value(json_object_get(before, "stage_before"));
    int on_hold = stage && strcmp(stage, "on_hold") == 0;
    const char *given = on_hold ? sb : stage;
    rc = STORE_OK;
    if (given && awda_value_index(GIVEN, given) >= 0) {
        rc = on_hold ? store_case_stage_back(c, pk, stage, "counselled")
                     : store_case_stage_back(c, pk, "counselled", NULL);
        json_object_set_new(ev, "stage_from", json_string(given));
        json_object_set_new(ev, "stage_to", json_string("counselled"));
        json_object_set_new(ev, "why",
                            json_string("consent to return, the eligibility decision and the "
                                        "restriction check were given for the previous "
                                        "destination; they are needed again for the new one"));
    }
    /* The receiving office was chosen in the country of return: another
     * country needs another office (and the old one no longer sees the
     * case). */
    const char *ro = json_string_value(json_object_get(before, "receiving_office"));
    json_t *office = ro && rc == STORE_OK ? store_office_get(c, ro) : NULL;
    if (office && !same_text(json_object_get(office, "country"), tc)) {
        rc = store_case_receiving_clear(c, pk);
        json_object_set_new(ev, "receiving_office_removed", json_string(ro));
    }
    json_decref(office);
    if (rc == STORE_OK)
        rc = store_event_append(c, pk, a->p.pk, "destination_changed", ev);
    json_decref(ev);
    return rc;
}

static int patch_job(store_conn_t *c, void *p, app_result_t *r)
{
    patch_ctx_t *x = p;
    int64_t pk, office_pk, version;
    if (!app_find_case(c, x->a, x->id, &pk, &office_pk, &version, r))
        return STORE_ABORT;
    if (!app_if_match_ok(x->m, version)) {
        if (x->m->n == 1)
            app_fail(r, APP_STALE,
                     "the case was changed by someone else (it is now at version %lld, you "
                     "edited version %lld); reload it and make your change again",
                     (long long)version, x->m->v[0]);
        else
            app_fail(r, APP_STALE,
                     "the case is now at version %lld, which If-Match does not name (a weak "
                     "entity-tag never matches); reload it and make your change again",
                     (long long)version);
        return STORE_ABORT;
    }
    json_t *current = store_case_get(c, pk);
    if (!current)
        return STORE_ERR;
    json_t *merged = merge_patch(json_deep_copy(current), x->patch);
    /* Fields the server owns keep their values whatever the patch says. */
    for (size_t i = 0; i < AWDA_CASE.nfields; i++) {
        const awda_field_t *f = &AWDA_CASE.fields[i];
        if (f->flags & F_SERVER)
            json_object_set(merged, f->name, json_object_get(current, f->name));
    }
    /* So do the persons' fields the actor may not see: a change sent back
     * from what GET showed them (without those fields) changes nothing
     * there. */
    keep_hidden(c, x->a, merged);
    json_t *errors = json_array();
    refs_t refs;
    int rc = STORE_ABORT;
    json_t *view = household_view(current, merged);
    json_t *confirmed = confirmed_warnings(view, json_object_get(x->patch, "confirm_plausibility"));
    inherit_confirmations(current, merged);
    if (json_object_get(merged, "confirm_plausibility"))
        json_object_set(view, "confirm_plausibility",
                        json_object_get(merged, "confirm_plausibility"));
    hidden_input(x->a, x->patch, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The change is not valid");
        errors = NULL;
        goto out;
    }
    /* The host office is not changed by an edit: a case leaves its office
     * only by a hand-over (its own permission, checks and event), so the
     * office that received a case cannot take it away with a PATCH. */
    const json_t *office = json_object_get(merged, "office");
    int moved =
        json_is_string(office) && !json_equal((json_t *)office, json_object_get(current, "office"));
    if (moved)
        awda_error_add(errors, "office",
                       "the office of a case cannot be changed; to pass the case to the office in "
                       "the country of return, hand it over (POST /api/v1/cases/%s/handover)",
                       x->id);
    int invalid = awda_validate(&AWDA_CASE, merged, "", errors);
    if (household_warnings(view, errors) || invalid || moved) {
        app_invalid(r, errors, "The case is not valid");
        errors = NULL;
        goto out;
    }
    app_code_t scope = resolve_refs(c, x->a, merged, &refs, errors);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The case is not valid");
        errors = NULL;
        goto out;
    }
    if (scope != APP_OK) {
        app_fail(r, APP_FORBIDDEN, "you do not work in the office %s",
                 json_string_value(json_object_get(merged, "office")));
        goto out;
    }
    /* Confirmations are not part of the case: the event keeps them. */
    json_object_del(merged, "confirm_plausibility");
    json_t *changed = json_array();
    diff(current, merged, &AWDA_CASE, "", changed);
    if (json_array_size(changed) == 0) {
        json_decref(changed);
        r->body = app_redact_case(x->a, json_deep_copy(current));
        r->code = APP_OK;
        rc = STORE_OK;
        goto out;
    }
    rc = store_case_update(c, pk, version, merged, refs.office_pk, refs.assigned_pk);
    if (rc == STORE_OK)
        rc = write_members(c, x->a, pk, merged, &refs);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:o}", "changed", timeline_paths(changed, 1));
        if (confirmed)
            json_object_set(ev, "confirmed", confirmed);
        rc = store_event_append(c, pk, x->a->p.pk, "updated", ev);
        json_decref(ev);
        if (rc == STORE_OK)
            rc = destination_change(c, x->a, pk, current, merged);
    } else {
        json_decref(changed);
    }
    json_decref(changed);
    if (rc == STORE_ABORT) {
        json_t *e = json_array();
        awda_error_add(e, "members", "a person appears more than once in this case");
        app_invalid(r, e, "The case is not valid");
        goto out;
    }
    if (rc == STORE_STALE) {
        app_fail(r, APP_STALE, "the case was changed by someone else; reload it");
        rc = STORE_ABORT;
        goto out;
    }
    if (rc == STORE_OK) {
        r->body = app_redact_case(x->a, store_case_get(c, pk));
        r->code = r->body ? APP_OK : APP_ERROR;
        if (!r->body)
            rc = STORE_ERR;
    }
out:
    json_decref(confirmed);
    json_decref(errors);
    json_decref(current);
    json_decref(view);
    json_decref(merged);
    return rc;
}

int app_if_match_ok(const app_if_match_t *m, long long version)
{
    if (m->any)
        return 1;
    for (int i = 0; i < m->n; i++)
        if (m->v[i] == version)
            return 1;
    return 0;
}

void app_case_patch(app_t *app, const app_actor_t *a, const char *id, long long if_match,
                    const json_t *patch, app_result_t *r)
{
    app_if_match_t m = {if_match >= 0, 0, 1, {if_match}};
    app_case_patch_if(app, a, id, &m, patch, r);
}

void app_case_patch_if(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                       const json_t *patch, app_result_t *r)
{
    if (!json_is_object(patch)) {
        json_t *errors = json_array();
        awda_error_add(errors, "", "the change must be a JSON object");
        app_invalid(r, errors, "The change is not valid");
        return;
    }
    if (!m->present) {
        /* Say 404 before 428 for a case that is not there. */
        store_conn_t *c = app_reader(app, r);
        int64_t pk, office_pk, version;
        if (!c || !app_find_case(c, a, id, &pk, &office_pk, &version, r))
            return;
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "send the version you edited in an If-Match header (the ETag of the case, "
                 "here \"%lld\"), so that no one else's change is overwritten",
                 (long long)version);
        return;
    }
    patch_ctx_t x = {a, id, m, patch};
    app_run(app, patch_job, &x, r);
    if (r->code == APP_OK)
        etag_from(r);
}

/* ---- lists and search ---------------------------------------------------- */

static int parse_limit(const char *s, json_t *errors, int *out)
{
    long long v = AWDA_LIST_DEFAULT;
    if (s && app_parse_int(s, 1, AWDA_LIST_MAX, &v) != 0) {
        awda_error_add(errors, "limit", "limit must be a whole number from 1 to %d", AWDA_LIST_MAX);
        return -1;
    }
    *out = (int)v;
    return 0;
}

void app_case_counts(app_t *app, const app_actor_t *a, const char *office, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    store_case_filter_t f = {0};
    app_case_filter(c, a, NULL, office, errors, &f);
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    r->body = store_case_counts(c, f.office_pk, f.offices, f.nof, f.projects);
    r->code = r->body ? APP_OK : APP_ERROR;
}

void app_case_list(app_t *app, const app_actor_t *a, const app_case_query_t *q, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    store_case_filter_t f = {0};
    app_case_filter(c, a, q->stage, q->office, errors, &f);
    parse_limit(q->limit, errors, &f.limit);
    if (q->cursor) {
        long long cur;
        if (app_parse_int(q->cursor, 1, (long long)INT64_MAX / 2, &cur) != 0)
            awda_error_add(errors, "cursor",
                           "cursor is not valid; use the next_cursor of the previous page");
        else
            f.cursor = cur;
    }
    if (q->nationality) {
        if (!awda_nationality_valid(q->nationality, strlen(q->nationality)))
            awda_error_add(errors, "nationality",
                           "nationality must be a three-letter country code such as MLI");
        else
            f.nationality = q->nationality;
    }
    if (q->assigned) {
        if (strcmp(q->assigned, "me") == 0)
            f.assigned_pk = a->p.pk;
        else if (strlen(q->assigned) > AWDA_MAX_USERNAME ||
                 !(f.assigned_pk = store_user_pk(c, q->assigned)))
            awda_error_add(errors, "assigned", "there is no user called \"%.40s\"", q->assigned);
        if (q->assigned && !f.assigned_pk && !json_array_size(errors))
            awda_error_add(errors, "assigned", "\"me\" needs a signed-in user");
    }
    if (q->waiting) {
        if (strcmp(q->waiting, "me") != 0 || !a->p.pk)
            awda_error_add(errors, "waiting",
                           "waiting takes only \"me\" (the cases assigned to you that wait for "
                           "a step you take)");
        else if (f.assigned_pk && f.assigned_pk != a->p.pk)
            awda_error_add(errors, "waiting", "waiting=me lists the cases assigned to you only");
        else {
            f.assigned_pk = a->p.pk;
            app_waiting_filter(a, &f);
        }
    }
    awda_name_keys_t keys;
    char number[AWDA_MAX_SHORT];
    if (q->q) {
        size_t n = strlen(q->q);
        if (n > AWDA_MAX_QUERY_VALUE) {
            awda_error_add(errors, "q", "the search is too long");
        } else if (n > 0) {
            if (awda_name_keys(q->q, n, 0, &keys) > 0)
                f.keys = &keys;
            /* A case number: two letters and a dash first. */
            if (n >= 3 && n < sizeof number && q->q[2] == '-') {
                for (size_t i = 0; i <= n; i++)
                    number[i] = (q->q[i] >= 'a' && q->q[i] <= 'z') ? (char)(q->q[i] - 32) : q->q[i];
                f.number_prefix = number;
            }
            if (!f.keys && !f.number_prefix) {
                json_decref(errors);
                r->body = json_pack("{s:[],s:n}", "items", "next_cursor");
                r->code = APP_OK;
                return;
            }
        }
    }
    if (json_array_size(errors)) {
        r->code = APP_BAD_REQUEST;
        r->errors = errors;
        snprintf(r->title, sizeof r->title, "The search is not valid");
        snprintf(r->detail, sizeof r->detail, "check the parameters of the search");
        return;
    }
    json_decref(errors);
    r->body = store_case_list(c, &f);
    if (!r->body) {
        app_fail(r, APP_ERROR, "the list could not be read");
        return;
    }
    json_t *next = json_object_get(r->body, "next_cursor");
    if (json_is_integer(next)) {
        char cur[32];
        snprintf(cur, sizeof cur, "%lld", (long long)json_integer_value(next));
        json_object_set_new(r->body, "next_cursor", json_string(cur));
    }
    r->code = APP_OK;
}

void app_person_search(app_t *app, const app_actor_t *a, const char *q, const char *limit,
                       app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *errors = json_array();
    int lim = AWDA_LIST_DEFAULT;
    parse_limit(limit, errors, &lim);
    if (!q || !*q)
        awda_error_add(errors, "q", "type a name to search for");
    else if (strlen(q) > AWDA_MAX_QUERY_VALUE)
        awda_error_add(errors, "q", "the search is too long");
    if (json_array_size(errors)) {
        r->code = APP_BAD_REQUEST;
        r->errors = errors;
        snprintf(r->title, sizeof r->title, "The search is not valid");
        snprintf(r->detail, sizeof r->detail, "check the parameters of the search");
        return;
    }
    json_decref(errors);
    awda_name_keys_t keys;
    json_t *items;
    if (awda_name_keys(q, strlen(q), 0, &keys) <= 0) {
        items = json_array();
    } else {
        store_case_filter_t f = {0};
        app_case_scope(a, &f);
        items = store_person_search(c, &keys, lim, f.offices, f.nof, f.projects);
        /* The search found persons in the user's scope; the cases of
         * other offices they also belong to are not listed. */
        size_t i;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            app_person_scope_cases(c, a, it);
        }
    }
    if (!items) {
        app_fail(r, APP_ERROR, "the search failed");
        return;
    }
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

int app_person_visible(store_conn_t *c, const app_actor_t *a, const json_t *person)
{
    if (!person)
        return 0;
    if (app_all_offices(a))
        return 1;
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(person, "cases"), i, cs)
    {
        int64_t cpk = 0, opk = 0, ver = 0;
        const char *cid = json_string_value(json_object_get(cs, "id"));
        if (cid && store_case_find(c, cid, &cpk, &opk, &ver) == STORE_OK &&
            app_case_in_scope(c, a, cpk, opk))
            return 1;
    }
    return 0;
}

void app_person_scope_cases(store_conn_t *c, const app_actor_t *a, json_t *person)
{
    json_t *cases = json_object_get(person, "cases");
    int elsewhere = 0;
    for (size_t i = 0; !app_all_offices(a) && i < json_array_size(cases);) {
        int64_t cpk = 0, opk = 0, ver = 0;
        const char *cid = json_string_value(json_object_get(json_array_get(cases, i), "id"));
        if (cid && store_case_find(c, cid, &cpk, &opk, &ver) == STORE_OK &&
            app_case_in_scope(c, a, cpk, opk)) {
            i++;
        } else {
            json_array_remove(cases, i);
            elsewhere = 1;
        }
    }
    json_object_set_new(person, "has_cases_elsewhere", json_boolean(elsewhere));
}

json_t *app_find_person(store_conn_t *c, const app_actor_t *a, const char *id, app_result_t *r)
{
    int64_t pk = id && awda_uuid_valid(id, strlen(id)) ? store_person_pk(c, id) : 0;
    json_t *p = pk ? store_person_get(c, pk, 1) : NULL;
    if (!app_person_visible(c, a, p)) {
        json_decref(p);
        app_fail(r, APP_NOT_FOUND, "there is no person with this id");
        return NULL;
    }
    app_person_scope_cases(c, a, p);
    return p;
}

void app_person_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c || !(r->body = app_find_person(c, a, id, r)))
        return;
    app_redact_person(a, r->body);
    r->code = APP_OK;
}
