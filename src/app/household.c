/*
 * household.c — changes to the household of a registered case that the
 * case document's merge patch (cases.c) cannot say well.
 *
 * Removing a member who left (POST /api/v1/cases/{id}/member-removals):
 * a PATCH that leaves a member out of "members" would drop them too, but
 * without saying why; here the reason is required and kept in the
 * timeline. The removal is one writer job, guarded by the version the
 * client saw (If-Match, like every case change): the member row goes, the
 * case's version is bumped, and a "member_removed" event records who left
 * (id, name and relationship, since the case no longer shows them), the
 * reason and who removed them. The person and every record about them
 * stay: nothing is lost, and the person can join another case later. The
 * principal applicant cannot be removed: another member is made the
 * principal first (an ordinary edit of the household).
 */
#include "internal.h"
#include "../util/id.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

typedef struct {
    const app_actor_t *a;
    const char *id;
    const app_if_match_t *m;
    const char *person_id;
    const char *reason;
} removal_ctx_t;

static int removal_job(store_conn_t *c, void *p, app_result_t *r)
{
    removal_ctx_t *x = p;
    store_case_row_t row;
    json_t *current = app_read_case(c, x->a, x->id, &row, r);
    if (!current)
        return STORE_ABORT;
    int64_t pk = row.pk, office_pk = row.office_pk, version = row.version;
    if (!app_if_match_ok(x->m, version)) {
        json_decref(current);
        if (x->m->n == 1)
            app_fail(r, APP_STALE,
                     "the case was changed by someone else (it is now at version %lld, you saw "
                     "version %lld); reload it and remove the member again if they still left",
                     (long long)version, x->m->v[0]);
        else
            app_fail(r, APP_STALE,
                     "the case is now at version %lld, which If-Match does not name (a weak "
                     "entity-tag never matches); reload it and remove the member again if they "
                     "still left",
                     (long long)version);
        return STORE_ABORT;
    }
    int rc = STORE_ABORT;
    json_t *members = json_object_get(current, "members");
    json_t *gone = NULL;
    size_t i;
    json_t *m;
    json_array_foreach(members, i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        if (pid && strcmp(pid, x->person_id) == 0)
            gone = m;
    }
    if (!gone) {
        json_t *e = json_array();
        awda_error_add(e, "person_id", "this person is not a member of the case");
        app_invalid(r, e, "The removal is not valid");
        goto out;
    }
    const char *rel = json_string_value(json_object_get(gone, "relationship"));
    if (rel && strcmp(rel, "principal") == 0) {
        json_t *e = json_array();
        awda_error_add(e, "person_id",
                       "the principal applicant cannot be removed; make another member the "
                       "principal applicant first");
        app_invalid(r, e, "The removal is not valid");
        goto out;
    }
    const char *assigned = json_string_value(json_object_get(current, "assigned_to"));
    int64_t assigned_pk = assigned ? store_user_pk(c, assigned) : 0;
    /* Bumps the version (and refuses a change that raced this one). */
    rc = store_case_update(c, pk, version, current, office_pk, assigned_pk);
    if (rc == STORE_STALE) {
        app_fail(r, APP_STALE, "the case was changed by someone else; reload it");
        rc = STORE_ABORT;
        goto out;
    }
    if (rc == STORE_OK)
        rc = store_case_members_clear(c, pk);
    int pos = 0;
    json_array_foreach(members, i, m)
    {
        if (rc != STORE_OK)
            break;
        if (m == gone)
            continue;
        int64_t ppk = store_person_pk(c, json_string_value(json_object_get(m, "person_id")));
        rc = ppk ? store_case_member_add(
                       c, pk, ppk, json_string_value(json_object_get(m, "relationship")), pos++)
                 : STORE_ERR;
    }
    if (rc == STORE_OK) {
        const json_t *person = json_object_get(gone, "person");
        json_t *ev =
            json_pack("{s:s,s:O,s:O,s:s,s:s}", "person_id", x->person_id, "name",
                      json_object_get(person, "name"), "name_latin",
                      json_object_get(person, "name_latin") ? json_object_get(person, "name_latin")
                                                            : json_null(),
                      "relationship", rel ? rel : "", "reason", x->reason);
        rc = ev ? store_event_append(c, pk, x->a->p.pk, "member_removed", ev) : STORE_ERR;
        json_decref(ev);
    }
    if (rc == STORE_OK) {
        r->body = store_case_get(c, pk);
        r->code = r->body ? APP_OK : APP_ERROR;
        if (!r->body)
            rc = STORE_ERR;
    }
out:
    json_decref(current);
    return rc;
}

void app_case_member_remove(app_t *app, const app_actor_t *a, const char *id,
                            const app_if_match_t *m, const json_t *body, app_result_t *r)
{
    json_t *errors = json_array();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v)
    {
        if (strcmp(k, "person_id") != 0 && strcmp(k, "reason") != 0)
            awda_error_add(errors, k, "is not part of a removal (person_id and reason)");
    }
    const char *pid = json_string_value(json_object_get(body, "person_id"));
    const char *reason = json_string_value(json_object_get(body, "reason"));
    if (!pid || !awda_uuid_valid(pid, strlen(pid)))
        awda_error_add(errors, "person_id", "the id of the member who left is required");
    size_t n = reason ? strlen(reason) : 0;
    size_t blank = 0;
    while (blank < n && (reason[blank] == ' ' || reason[blank] == '\t' || reason[blank] == '\n' ||
                         reason[blank] == '\r'))
        blank++;
    if (!reason || blank == n)
        awda_error_add(errors, "reason", "say why the member is no longer part of the case");
    else if (n > AWDA_MAX_REASON)
        awda_error_add(errors, "reason", "the reason must be at most %d bytes", AWDA_MAX_REASON);
    if (json_array_size(errors)) {
        app_invalid(r, errors, "The removal is not valid");
        return;
    }
    json_decref(errors);
    if (!m->present) {
        /* Say 404 before 428 for a case that is not there. */
        store_conn_t *c = app_reader(app, r);
        int64_t pk, office_pk, version;
        if (!c || !app_find_case(c, a, id, &pk, &office_pk, &version, r))
            return;
        app_fail(r, APP_PRECONDITION_REQUIRED,
                 "send the version you saw in an If-Match header (the ETag of the case, here "
                 "\"%lld\"), so that no one else's change is overwritten",
                 (long long)version);
        return;
    }
    removal_ctx_t x = {a, id, m, pid, reason};
    app_run(app, removal_job, &x, r);
    json_t *ver = json_object_get(r->body, "version");
    if (r->code == APP_OK && json_is_integer(ver))
        r->version = (long long)json_integer_value(ver);
}
