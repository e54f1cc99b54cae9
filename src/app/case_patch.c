/*
 * case_patch.c — changing a case: an RFC 7396 merge patch applied to the
 * case as GET shows it, guarded by the version the client saw (If-Match).
 *
 * The row is updated only "WHERE version = seen", so two people editing
 * one case can never silently overwrite each other. Fields the server owns
 * keep their values; the host office is never changed by an edit — a case
 * moves only by a hand-over; a new destination is checked against the
 * office scope. The members are written as in a new case (cases.c), and
 * the event names the paths that changed (sealed-class fields of a person
 * told as a change to the person).
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
#include "cases_int.h"

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
    store_case_row_t row;
    json_t *current = app_read_case(c, x->a, x->id, &row, r);
    if (!current)
        return STORE_ABORT;
    int64_t pk = row.pk, version = row.version;
    if (!app_if_match_ok(x->m, version)) {
        json_decref(current);
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
    case_keep_hidden(c, x->a, merged);
    json_t *errors = json_array();
    refs_t refs;
    int rc = STORE_ABORT;
    json_t *view = case_household_view(current, merged);
    json_t *confirmed =
        case_confirmed_warnings(view, json_object_get(x->patch, "confirm_plausibility"));
    case_inherit_confirmations(current, merged);
    if (json_object_get(merged, "confirm_plausibility"))
        json_object_set(view, "confirm_plausibility",
                        json_object_get(merged, "confirm_plausibility"));
    case_hidden_input(x->a, x->patch, errors);
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
    if (case_household_warnings(view, errors) || invalid || moved) {
        app_invalid(r, errors, "The case is not valid");
        errors = NULL;
        goto out;
    }
    app_code_t scope = case_resolve_refs(c, x->a, merged, &refs, errors);
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
        rc = case_write_members(c, x->a, pk, merged, &refs);
    if (rc == STORE_OK) {
        json_t *ev = json_pack("{s:o}", "changed", case_timeline_paths(changed, 1));
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
        case_etag(r);
}
