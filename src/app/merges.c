/*
 * merges.c — the use cases of the review queue (declared in merges.h):
 * the queue of possible duplicates, "not the same", merge and undo.
 *
 * Need to know. A pair is shown to a reviewer who may see at least one of
 * its two persons (a person is seen through their cases: a case of the
 * reviewer's offices, handed over to them, or of a manager's projects,
 * as for cases). Of a person outside that scope the queue shows only the
 * office and number of each of their cases, never a name or a date. A
 * merge moves one person's whole history to another: the manager who
 * merges must see both.
 *
 * Decisions are writer jobs: the pair's status is checked in the same
 * transaction that changes it, so of two merges (or a merge and a "not
 * the same") of one pair sent at once the first wins and the second is
 * answered 409 — the pair's status is its version (a pair has no other).
 * An Idempotency-Key makes a retry answer what the first answered. Each
 * decision is audited by the router under the route, and here once per
 * person concerned (their id as the record), so that a person's audit
 * trail shows the merge.
 */
#include "merges.h"
#include "internal.h"
#include "../store/merges.h"
#include "../util/id.h"
#include "../util/timeutil.h"
#include <ctype.h>
#include <string.h>

#define PAIR_ID_LEN (2 * AWDA_UUID_LEN + 1)

/* Parses "<uuid>.<uuid>" (either order) into the keys of the pair, the
 * smaller first; 0 when malformed or a person is unknown. */
static int pair_keys(store_conn_t *c, const char *pair, int64_t *a, int64_t *b)
{
    if (!pair || strlen(pair) != PAIR_ID_LEN || pair[AWDA_UUID_LEN] != '.')
        return 0;
    char x[AWDA_UUID_LEN + 1], y[AWDA_UUID_LEN + 1];
    for (int i = 0; i < AWDA_UUID_LEN; i++) {
        x[i] = (char)tolower((unsigned char)pair[i]);
        y[i] = (char)tolower((unsigned char)pair[AWDA_UUID_LEN + 1 + i]);
    }
    x[AWDA_UUID_LEN] = y[AWDA_UUID_LEN] = '\0';
    if (!awda_uuid_valid(x, AWDA_UUID_LEN) || !awda_uuid_valid(y, AWDA_UUID_LEN))
        return 0;
    int64_t p = store_person_pk(c, x), q = store_person_pk(c, y);
    if (!p || !q || p == q)
        return 0;
    *a = p < q ? p : q;
    *b = p < q ? q : p;
    return 1;
}

/* 1 when the actor may see the person (store_merge_person): one of their
 * cases is in the actor's scope. */
static int person_in_scope(const app_actor_t *a, const json_t *p)
{
    if (!p)
        return 0;
    if (app_all_offices(a))
        return 1;
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(p, "cases"), i, cs)
    {
        if (app_case_row_in_scope(a, json_integer_value(json_object_get(cs, "office_pk")),
                                  json_integer_value(json_object_get(cs, "receiving_office_pk")),
                                  json_string_value(json_object_get(cs, "project"))))
            return 1;
    }
    return 0;
}

/* The person as the queue shows them to the actor (new reference): when
 * visible, their summary and every case (those outside the scope by office
 * and number only); outside, the offices and numbers of their cases. */
static json_t *summary(const app_actor_t *a, json_t *p, int visible)
{
    json_t *cases = json_array();
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(p, "cases"), i, cs)
    {
        int in =
            app_all_offices(a) ||
            app_case_row_in_scope(a, json_integer_value(json_object_get(cs, "office_pk")),
                                  json_integer_value(json_object_get(cs, "receiving_office_pk")),
                                  json_string_value(json_object_get(cs, "project")));
        json_t *o = json_pack("{s:O,s:O}", "number", json_object_get(cs, "number"), "office",
                              json_object_get(cs, "office"));
        if (visible && in) {
            json_object_set(o, "id", json_object_get(cs, "id"));
            json_object_set(o, "stage", json_object_get(cs, "stage"));
        }
        json_array_append_new(cases, o);
    }
    if (!visible)
        return json_pack("{s:b,s:o}", "visible", 0, "cases", cases);
    json_t *s = json_pack("{s:b}", "visible", 1);
    static const char *const KEEP[] = {"id",          "name",          "name_latin",
                                       "sex",         "date_of_birth", "dob_precision",
                                       "nationality", "merged_into"};
    for (size_t k = 0; k < sizeof KEEP / sizeof *KEEP; k++)
        if (json_object_get(p, KEEP[k]))
            json_object_set(s, KEEP[k], json_object_get(p, KEEP[k]));
    json_object_set_new(s, "cases", cases);
    return s;
}

/* The queue item of a pair row (store_dup_pairs) for the actor, or NULL
 * when the actor sees neither person. */
static json_t *item(store_conn_t *c, const app_actor_t *a, json_t *row)
{
    json_t *pa = store_merge_person(c, json_integer_value(json_object_get(row, "a_pk")));
    json_t *pb = store_merge_person(c, json_integer_value(json_object_get(row, "b_pk")));
    json_t *out = NULL;
    int va = person_in_scope(a, pa), vb = person_in_scope(a, pb);
    /* A person merged into the other holds no case any more: seen as the
     * person kept is (the merged pairs' history). */
    if (!va && vb && json_equal(json_object_get(pa, "merged_into"), json_object_get(pb, "id")))
        va = 1;
    if (!vb && va && json_equal(json_object_get(pb, "merged_into"), json_object_get(pa, "id")))
        vb = 1;
    if (va || vb) {
        char id[PAIR_ID_LEN + 1];
        snprintf(id, sizeof id, "%s.%s", json_string_value(json_object_get(row, "a_id")),
                 json_string_value(json_object_get(row, "b_id")));
        out =
            json_pack("{s:s,s:O,s:O,s:O,s:O,s:O}", "id", id, "score", json_object_get(row, "score"),
                      "explanation", json_object_get(row, "explanation"), "source",
                      json_object_get(row, "source"), "created_at",
                      json_object_get(row, "created_at"), "status", json_object_get(row, "status"));
        static const char *const OPT[] = {"note", "decided_by", "decided_at", "merge"};
        for (size_t k = 0; k < sizeof OPT / sizeof *OPT; k++)
            if (json_object_get(row, OPT[k]))
                json_object_set(out, OPT[k], json_object_get(row, OPT[k]));
        json_object_set_new(out, "persons",
                            json_pack("[o,o]", summary(a, pa, va), summary(a, pb, vb)));
    }
    json_decref(pa);
    json_decref(pb);
    return out;
}

/* Parses a cursor "score.a.b" (the key of the last pair of a page). */
static int parse_cursor(const char *s, long long *score, long long *a, long long *b)
{
    char part[3][24];
    int n = 0;
    size_t len = 0;
    for (const char *p = s;; p++) {
        if (*p == '.' || *p == '\0') {
            if (n >= 3 || len == 0)
                return 0;
            part[n++][len] = '\0';
            len = 0;
            if (!*p)
                break;
            continue;
        }
        if (len + 1 >= sizeof part[0])
            return 0;
        part[n][len++] = *p;
    }
    return n == 3 && app_parse_int(part[0], 0, 10000, score) == 0 &&
           app_parse_int(part[1], 1, INT64_MAX / 2, a) == 0 &&
           app_parse_int(part[2], 1, INT64_MAX / 2, b) == 0;
}

void app_dup_queue(app_t *app, const app_actor_t *a, const char *status, const char *cursor,
                   const char *limit, app_result_t *r)
{
    json_t *errors = json_array();
    long long lim = AWDA_LIST_DEFAULT, score = -1, ca = 0, cb = 0;
    if (!status)
        status = "open";
    if (strcmp(status, "open") != 0 && strcmp(status, "not_same") != 0 &&
        strcmp(status, "merged") != 0)
        awda_error_add(errors, "status", "status must be open, not_same or merged");
    if (limit && app_parse_int(limit, 1, AWDA_LIST_MAX, &lim) != 0)
        awda_error_add(errors, "limit", "limit must be a whole number from 1 to %d", AWDA_LIST_MAX);
    if (cursor && !parse_cursor(cursor, &score, &ca, &cb))
        awda_error_add(errors, "cursor",
                       "cursor is not valid; use the next_cursor of the previous page");
    if (json_array_size(errors)) {
        app_bad_request(r, errors, "check the parameters");
        return;
    }
    json_decref(errors);
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *items = json_array();
    long long scanned = 0;
    int more = 0;
    /* Read in pages of lim + 1 until the page is full, the pairs end, or
     * AWDA_MERGE_QUEUE_SCAN_MAX were read (then the cursor goes on). */
    while (json_array_size(items) < (size_t)lim && scanned < AWDA_MERGE_QUEUE_SCAN_MAX) {
        json_t *rows = store_dup_pairs(c, status, score, ca, cb, (int)lim + 1);
        if (!rows) {
            json_decref(items);
            app_fail(r, APP_ERROR, "the review queue could not be read");
            return;
        }
        size_t i, n = json_array_size(rows);
        json_t *row;
        more = 0;
        json_array_foreach(rows, i, row)
        {
            if (json_array_size(items) >= (size_t)lim || scanned >= AWDA_MERGE_QUEUE_SCAN_MAX) {
                more = 1;
                break;
            }
            scanned++;
            score = json_integer_value(json_object_get(row, "score"));
            ca = json_integer_value(json_object_get(row, "a_pk"));
            cb = json_integer_value(json_object_get(row, "b_pk"));
            json_t *it = item(c, a, row);
            if (it)
                json_array_append_new(items, it);
        }
        json_decref(rows);
        if (more)
            break;
        if (n < (size_t)lim + 1)
            break; /* the end of the queue */
        more = 1;
    }
    r->body = json_pack("{s:o}", "items", items);
    if (more) {
        char next[80];
        snprintf(next, sizeof next, "%lld.%lld.%lld", score, ca, cb);
        json_object_set_new(r->body, "next_cursor", json_string(next));
    }
    r->code = APP_OK;
}

/* ---- decisions ---- */

typedef struct {
    const app_actor_t *a;
    const char *pair;
    const char *note;
    const char *keep;
    int merge;
    char ids[2][AWDA_UUID_LEN + 1]; /* the persons concerned, for the audit */
} decide_t;

/* The pair of the path, seen by the actor, in the writer job: 1 with its
 * keys, or 0 with r filled (404). */
static int job_pair(store_conn_t *c, decide_t *d, int64_t *pa, int64_t *pb, int both,
                    app_result_t *r)
{
    char status[16];
    if (!pair_keys(c, d->pair, pa, pb) || store_dup_pair_status(c, *pa, *pb, status) != STORE_OK) {
        app_fail(r, APP_NOT_FOUND, "there is no such pair of possible duplicates");
        return 0;
    }
    json_t *x = store_merge_person(c, *pa), *y = store_merge_person(c, *pb);
    int sx = person_in_scope(d->a, x), sy = person_in_scope(d->a, y);
    snprintf(d->ids[0], sizeof d->ids[0], "%s", json_string_value(json_object_get(x, "id")));
    snprintf(d->ids[1], sizeof d->ids[1], "%s", json_string_value(json_object_get(y, "id")));
    json_decref(x);
    json_decref(y);
    if (!sx && !sy) {
        app_fail(r, APP_NOT_FOUND, "there is no such pair of possible duplicates");
        return 0;
    }
    if (both && !(sx && sy)) {
        app_fail(r, APP_FORBIDDEN,
                 "one of the two persons is only in cases of offices you do not work in: a "
                 "manager of those offices must merge them");
        return 0;
    }
    if (strcmp(status, "open") != 0) {
        app_fail(r, APP_CONFLICT, "this pair was already decided (%s)", status);
        return 0;
    }
    return 1;
}

/* The pair as the queue shows it, after a decision. */
static json_t *pair_now(store_conn_t *c, const app_actor_t *a, int64_t pa, int64_t pb)
{
    json_t *row = store_dup_pair(c, pa, pb);
    json_t *out = row ? item(c, a, row) : NULL;
    json_decref(row);
    return out;
}

static int not_same_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    decide_t *d = ctx;
    int64_t pa, pb;
    if (!job_pair(c, d, &pa, &pb, 0, r))
        return STORE_OK;
    int rc = store_dup_pair_decide(c, pa, pb, "not_same", d->note, d->a->p.pk, awda_now_ms());
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "this pair was already decided");
        return STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = pair_now(c, d->a, pa, pb);
    r->code = r->body ? APP_OK : APP_ERROR;
    return STORE_OK;
}

/* One audit record per person concerned, after a decision. */
static void audit_persons(app_t *app, const app_actor_t *a, const char *addr, const char *route,
                          decide_t *d, const app_result_t *r)
{
    int status = r->code == APP_CREATED ? 201 : 200;
    if (!app_success(r->code) || r->replay)
        return;
    for (int i = 0; i < 2; i++)
        if (d->ids[i][0])
            app_audit(app, a, NULL, addr, "POST", route, d->ids[i], status);
}

static int note_ok(const json_t *body, const char **note, app_result_t *r)
{
    json_t *n = json_object_get(body, "note");
    *note = NULL;
    json_t *errors = json_array();
    if (n && !json_is_null(n) && !json_is_string(n))
        awda_error_add(errors, "note", "the note must be text");
    else if (json_is_string(n) && json_string_length(n) > AWDA_MERGE_NOTE_MAX)
        awda_error_add(errors, "note", "the note is longer than %d characters",
                       AWDA_MERGE_NOTE_MAX);
    else if (json_is_string(n) && json_string_length(n) > 0)
        *note = json_string_value(n);
    if (json_array_size(errors)) {
        app_invalid(r, errors, NULL);
        return 0;
    }
    json_decref(errors);
    return 1;
}

void app_dup_not_same(app_t *app, const app_actor_t *a, const char *pair, const json_t *body,
                      const char *idem_key, const char *request_hash, const char *addr,
                      app_result_t *r)
{
    decide_t d = {.a = a, .pair = pair};
    if (body && !note_ok(body, &d.note, r))
        return;
    app_run_idempotent(app, a, idem_key, request_hash, not_same_job, &d, r);
    audit_persons(app, a, addr, "/api/v1/duplicates/{pair}/not-same", &d, r);
}

/* The merge as answered (store_merge_get without the keys). */
static json_t *merge_public(json_t *m)
{
    if (!m)
        return NULL;
    static const char *const KEYS[] = {"pk", "kept_pk", "merged_pk", "pair_a", "pair_b"};
    for (size_t i = 0; i < sizeof KEYS / sizeof *KEYS; i++)
        json_object_del(m, KEYS[i]);
    return m;
}

/* Says why a merge or undo could not be done, in r (409). */
static void why_fail(app_result_t *r, const store_merge_why_t *w)
{
    if (strcmp(w->kind, "already_merged") == 0)
        app_fail(r, APP_CONFLICT, "person %s was already merged into another person", w->person);
    else if (strcmp(w->kind, "same_case") == 0)
        app_fail(r, APP_CONFLICT,
                 "both persons are members of case %s: remove one of them from the case, then "
                 "merge",
                 w->case_number);
    else if (strcmp(w->kind, "same_row") == 0)
        app_fail(r, APP_CONFLICT,
                 "both persons have their own entry in %s that cannot be joined; correct one of "
                 "them, then merge",
                 w->table);
    else if (strcmp(w->kind, "too_many") == 0)
        app_fail(r, APP_CONFLICT, "this person has more than %d rows to move; nothing was merged",
                 AWDA_MERGE_ROWS_MAX);
    else if (strcmp(w->kind, "undone") == 0)
        app_fail(r, APP_CONFLICT, "this merge was already undone");
    else if (strcmp(w->kind, "later_merge") == 0)
        app_fail(r, APP_CONFLICT,
                 "the kept person was merged into another person since: undo that merge first");
    else
        app_fail(r, APP_CONFLICT,
                 "an entry this merge moved (%s) has changed since: undoing it would lose that "
                 "change",
                 w->table);
}

static int merge_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    decide_t *d = ctx;
    int64_t pa, pb;
    if (!job_pair(c, d, &pa, &pb, 1, r))
        return STORE_OK;
    int64_t keep = store_person_pk(c, d->keep);
    if (keep != pa && keep != pb) {
        json_t *errors = json_array();
        awda_error_add(errors, "keep", "keep must be the id of one of the two persons of the pair");
        app_invalid(r, errors, NULL);
        return STORE_OK;
    }
    int64_t now = awda_now_ms();
    int rc = store_dup_pair_decide(c, pa, pb, "merged", d->note, d->a->p.pk, now);
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "this pair was already decided");
        return STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;
    char id[AWDA_UUID_LEN + 1];
    long long moved, dropped;
    store_merge_why_t why;
    rc = store_person_merge(c, keep, keep == pa ? pb : pa, pa, pb, d->a->p.pk, now, id, &moved,
                            &dropped, &why);
    if (rc == STORE_ABORT) {
        why_fail(r, &why);
        return STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = merge_public(store_merge_get(c, id));
    if (!r->body)
        return STORE_ERR;
    snprintf(r->location, sizeof r->location, "/api/v1/merges/%s", id);
    r->code = APP_CREATED;
    return STORE_OK;
}

void app_dup_merge(app_t *app, const app_actor_t *a, const char *pair, const json_t *body,
                   const char *idem_key, const char *request_hash, const char *addr,
                   app_result_t *r)
{
    decide_t d = {.a = a, .pair = pair, .merge = 1};
    json_t *k = json_object_get(body, "keep");
    if (!json_is_string(k) || !awda_uuid_valid(json_string_value(k), json_string_length(k))) {
        json_t *errors = json_array();
        awda_error_add(errors, "keep", "say which person to keep: the id of one of the two");
        app_invalid(r, errors, NULL);
        return;
    }
    if (!note_ok(body, &d.note, r))
        return;
    d.keep = json_string_value(k);
    app_run_idempotent(app, a, idem_key, request_hash, merge_job, &d, r);
    audit_persons(app, a, addr, "/api/v1/duplicates/{pair}/merge", &d, r);
}

/* The merge id, seen by the actor (both persons in scope now: the kept
 * one holds every case), or NULL with 404 in r. */
static json_t *find_merge(store_conn_t *c, const app_actor_t *a, const char *id, app_result_t *r)
{
    json_t *m = id && awda_uuid_valid(id, strlen(id)) ? store_merge_get(c, id) : NULL;
    json_t *k = m ? store_merge_person(c, json_integer_value(json_object_get(m, "kept_pk"))) : NULL;
    int ok = person_in_scope(a, k);
    json_decref(k);
    if (!ok) {
        json_decref(m);
        app_fail(r, APP_NOT_FOUND, "there is no merge with this id");
        return NULL;
    }
    return m;
}

void app_merge_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c || !(r->body = find_merge(c, a, id, r)))
        return;
    merge_public(r->body);
    r->code = APP_OK;
}

typedef struct {
    const app_actor_t *a;
    const char *id;
    char ids[2][AWDA_UUID_LEN + 1];
} undo_t;

static int undo_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    undo_t *u = ctx;
    json_t *m = find_merge(c, u->a, u->id, r);
    if (!m)
        return STORE_OK;
    snprintf(u->ids[0], sizeof u->ids[0], "%s", json_string_value(json_object_get(m, "kept")));
    snprintf(u->ids[1], sizeof u->ids[1], "%s", json_string_value(json_object_get(m, "merged")));
    json_decref(m);
    store_merge_why_t why;
    int rc = store_merge_undo(c, u->id, u->a->p.pk, awda_now_ms(), &why);
    if (rc == STORE_ABORT) {
        why_fail(r, &why);
        return STORE_OK;
    }
    if (rc != STORE_OK)
        return rc;
    r->body = merge_public(store_merge_get(c, u->id));
    if (!r->body)
        return STORE_ERR;
    r->code = APP_OK;
    return STORE_OK;
}

void app_merge_undo(app_t *app, const app_actor_t *a, const char *id, const char *idem_key,
                    const char *request_hash, const char *addr, app_result_t *r)
{
    undo_t u = {.a = a, .id = id};
    app_run_idempotent(app, a, idem_key, request_hash, undo_job, &u, r);
    decide_t d = {0};
    memcpy(d.ids, u.ids, sizeof d.ids);
    audit_persons(app, a, addr, "/api/v1/merges/{id}/undo", &d, r);
}
