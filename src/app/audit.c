/*
 * audit.c — who read or changed what, when, from where (see app.h).
 *
 * The HTTP face calls app_audit once per API request, after answering:
 * every read of a case or person, every write, every sign-in (the name
 * tried, when it failed) and every refusal. Records are queued to the
 * store's writer, which chains them by hash (store/audit.c), so the
 * request never waits for the disk; an audit record is durable with the
 * next commit of the writer, at the latest AWDA_AUDIT_FLUSH_MS later.
 * Listing or verifying the log first has the writer store every record
 * waiting, so it shows every request answered before it.
 *
 * Reading the log is scoped like reading cases. Administrators and
 * programme managers who work across offices see every record. A user
 * bound to offices (or a manager bound to projects) sees only the records
 * about a case in their scope (routes /cases/{id}...) or about a person
 * of such a case (/persons/{id}...), whoever made them; records about
 * anything else — sign-ins, lists and searches, administration,
 * restrictions — are for the cross-office roles alone. ?case= naming a
 * case out of scope answers as for an unknown id: an empty page.
 */
#include "internal.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

/* Copies src (NULL: empty) into dst of cap bytes, cut to fit, as
 * snprintf("%s") would; every request pays it, so without the format. */
static void field(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

void app_audit(app_t *app, const app_actor_t *a, const char *username, const char *addr,
               const char *method, const char *route, const char *entity_id, int status)
{
    store_audit_t rec;
    memset(&rec, 0, sizeof rec);
    rec.at = awda_now_ms();
    rec.user_pk = a ? a->p.pk : 0;
    field(rec.username, sizeof rec.username, a && a->p.username[0] ? a->p.username : username);
    field(rec.addr, sizeof rec.addr, addr);
    field(rec.method, sizeof rec.method, method);
    field(rec.route, sizeof rec.route, route);
    field(rec.entity_id, sizeof rec.entity_id, entity_id);
    rec.status = status;
    store_audit(app->store, &rec);
}

void app_audit_list(app_t *app, const app_actor_t *a, const char *entity_id, const char *username,
                    const char *cursor, const char *limit, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    long long lim, cur;
    json_t *errors = json_array();
    app_parse_page(limit, cursor, errors, &lim, &cur);
    if (entity_id && strlen(entity_id) > AWDA_MAX_SHORT)
        awda_error_add(errors, "case", "the id is too long");
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    if (store_audit_sync(app->store, c) != STORE_OK) {
        app_fail(r, APP_UNAVAILABLE, "the database is not available");
        return;
    }
    /* The log is scoped like everything else: a user who does not work
     * across offices sees only records about the cases (and the persons
     * of the cases) they may see; a case out of their scope answers as an
     * unknown id does (an empty page). */
    if (app_all_offices(a)) {
        r->body = store_audit_list(c, entity_id, username, cur, (int)lim);
    } else {
        store_case_filter_t f = {0};
        app_case_scope(a, &f);
        r->body = store_audit_list_scoped(c, entity_id, username, f.offices, f.nof, f.projects, cur,
                                          (int)lim);
    }
    r->code = r->body ? APP_OK : APP_ERROR;
}

void app_audit_verify(app_t *app, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    long long checked = 0, bad = 0;
    int rc = store_audit_sync(app->store, c);
    if (rc == STORE_OK)
        rc = store_audit_verify(c, &checked, &bad);
    r->body = json_pack("{s:I,s:I}", "checked", (json_int_t)checked, "first_bad", (json_int_t)bad);
    if (rc == STORE_OK) {
        r->code = APP_OK;
    } else if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT,
                 "the audit log was tampered with: record %lld does not follow from the one "
                 "before it (altered, removed or reordered)",
                 bad);
        r->body =
            json_pack("{s:I,s:I}", "checked", (json_int_t)checked, "first_bad", (json_int_t)bad);
    } else {
        app_fail(r, APP_ERROR, "the audit log could not be read");
    }
}
