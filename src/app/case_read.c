/*
 * case_read.c — reading cases and persons: one case, its timeline, the
 * filtered lists, the name search, and what of a person a role may see.
 *
 * A case is read by its public id into the typed aggregate
 * (store_case_load): one statement that also gives its place (office,
 * receiving office, project), so the scope check needs no second read,
 * and one more for its members with their persons; the answer is written
 * from it once (case_json.c). Fields of a person of a class the actor's
 * roles do not see (protection concerns) are left out of every answer,
 * neither shown nor marked, and are not even read: a sealed one is never
 * opened for a reader who may not see it. Person reads and
 * searches list only the cases the user may see. A page of search results
 * is written once too (write_summary, util/jsonw.h), from the typed
 * summaries the store gives (store_person_summaries_each).
 */
#include "internal.h"
#include "../store/merges.h"
#include "../core/country.h"
#include "../core/field.h"
#include "../text/norm.h"
#include "../util/id.h"
#include "../util/jsonw.h"
#include "../util/log.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cases_int.h"

/* ---- fields of persons the actor may not see ----------------------------- */

/* Protection concerns (and any other person field of a class the actor's
 * roles do not see) are left out of every answer, neither shown nor
 * marked: a role that may not know cannot tell a person who has one from
 * one who has none. Such a field cannot be set by that role either, and
 * its stored value survives the role's edits of the person. */
int case_person_field_hidden(const awda_field_t *f, unsigned visible)
{
    return f->sens != SENS_NONE && !(visible & (1u << f->sens));
}

json_t *app_redact_person(const app_actor_t *a, json_t *person)
{
    unsigned visible = app_visible_sensitivity(a);
    for (size_t i = 0; json_is_object(person) && i < AWDA_PERSON.nfields; i++)
        if (case_person_field_hidden(&AWDA_PERSON.fields[i], visible))
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
void case_hidden_input(const app_actor_t *a, const json_t *caze, json_t *errors)
{
    unsigned visible = app_visible_sensitivity(a);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const json_t *person = json_object_get(m, "person");
        for (size_t k = 0; json_is_object(person) && k < AWDA_PERSON.nfields; k++) {
            const awda_field_t *f = &AWDA_PERSON.fields[k];
            if (!case_person_field_hidden(f, visible) || !json_object_get(person, f->name))
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
void case_keep_hidden(store_conn_t *c, const app_actor_t *a, json_t *caze)
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
            if (!case_person_field_hidden(f, visible))
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

/* ---- read ---------------------------------------------------------------- */

void app_case_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    /* One read of the case gives both the answer and its place, which
     * decides whether the actor may see it (as app_find_case would). The
     * person fields of classes the actor does not see are not read (nor
     * opened, when sealed), and the answer is written once, from the
     * typed aggregate. */
    store_case_t *k = NULL;
    int rc = id && awda_uuid_valid(id, strlen(id))
                 ? store_case_load(c, id, 0, app_visible_sensitivity(a), &k)
                 : STORE_NOTFOUND;
    if (rc == STORE_ERR) {
        app_fail(r, APP_ERROR, "the case could not be read");
        return;
    }
    if (rc != STORE_OK ||
        !app_case_row_in_scope(a, k->row.office_pk, k->row.receiving_office_pk, k->row.project)) {
        store_case_free(k);
        app_fail(r, APP_NOT_FOUND, "there is no case with this id");
        return;
    }
    int64_t version = k->row.version;
    rc = case_json_text(k, &r->text, &r->text_len);
    store_case_free(k);
    if (rc != 0) {
        app_fail(r, APP_ERROR, "the case could not be read");
        return;
    }
    r->version = version;
    r->code = APP_OK;
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

/* Makes what w wrote r's answer when the read that filled it (rc) went
 * well: 1; 0 (w freed, logged as event when w was full) otherwise. */
static int answer_text(app_result_t *r, jsonw_t *w, int rc, const char *event, size_t max)
{
    if (rc != STORE_OK) {
        jsonw_free(w);
        return 0;
    }
    if (jsonw_take(w, &r->text, &r->text_len) != 0) {
        awda_log(LOG_ERROR, event, "\"reason\":\"over %zu bytes or out of memory\"", max);
        return 0;
    }
    r->code = APP_OK;
    return 1;
}

/* A page written once (util/jsonw.h) as its items are read: the case
 * list's, or the search's (whose user decides which cases are shown). */
typedef struct {
    const app_actor_t *a;
    jsonw_t w;
    int n; /* items written */
} page_writer_t;

/* "name" then the text, or null. */
static void put_member(jsonw_t *w, const char *name, const char *value)
{
    jsonw_lit(w, name);
    jsonw_str_or_null(w, value);
}

static void put_int(jsonw_t *w, const char *name, long long v)
{
    jsonw_lit(w, name);
    jsonw_int(w, v);
}

static int write_list_item(void *ctx, const store_case_item_t *k)
{
    page_writer_t *lw = ctx;
    jsonw_t *w = &lw->w;
    put_member(w, lw->n++ ? ",{\"id\":" : "{\"id\":", k->id);
    put_member(w, ",\"number\":", k->number);
    put_member(w, ",\"stage\":", k->stage);
    put_member(w, ",\"office\":", k->office);
    put_member(w, ",\"origin_country\":", k->origin_country);
    put_member(w, ",\"destination_country\":", k->destination_country);
    put_int(w, ",\"version\":", k->version);
    char ts[32];
    awda_iso_ms(k->updated_at, ts);
    put_member(w, ",\"updated_at\":", ts);
    if (k->principal_id) {
        put_member(w, ",\"principal\":{\"id\":", k->principal_id);
        put_member(w, ",\"name\":", k->principal_name);
        put_member(w, ",\"name_latin\":", k->principal_name_latin);
        put_member(w, ",\"nationality\":", k->principal_nationality);
        put_member(w, ",\"sex\":", k->principal_sex);
        put_member(w, ",\"date_of_birth\":", k->principal_date_of_birth);
        jsonw_lit(w, "}");
    } else {
        jsonw_lit(w, ",\"principal\":null");
    }
    put_int(w, ",\"member_count\":", k->member_count);
    put_member(w, ",\"assigned_to\":", k->assigned_to);
    put_member(w, ",\"planned_departure\":", k->planned_departure);
    jsonw_lit(w, "}");
    return 0;
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
    page_writer_t lw = {.a = a};
    jsonw_init(&lw.w, AWDA_MAX_LIST_ANSWER);
    jsonw_reserve(&lw.w, 64 + 512 * (size_t)(f.limit > 0 ? f.limit : 0));
    jsonw_lit(&lw.w, "{\"items\":[");
    int64_t next = 0;
    int rc = store_case_list_each(c, &f, write_list_item, &lw, &next);
    if (next) { /* a string, as cursors are */
        jsonw_lit(&lw.w, "],\"next_cursor\":\"");
        jsonw_int(&lw.w, (long long)next);
        jsonw_lit(&lw.w, "\"}");
    } else {
        jsonw_lit(&lw.w, "],\"next_cursor\":null}");
    }
    if (!answer_text(r, &lw.w, rc, "case_list", AWDA_MAX_LIST_ANSWER))
        app_fail(r, APP_ERROR, "the list could not be read");
}

/* A page of search results: each person's summary with the cases the
 * user may see; "has_cases_elsewhere" says that they are also in cases
 * the user may not see. */
static int write_summary(void *ctx, const store_summary_t *s)
{
    page_writer_t *sw = ctx;
    jsonw_t *w = &sw->w;
    put_member(w, sw->n++ ? ",{\"id\":" : "{\"id\":", s->id);
    put_member(w, ",\"name\":", s->name);
    put_member(w, ",\"name_latin\":", s->name_latin);
    put_member(w, ",\"sex\":", s->sex);
    put_member(w, ",\"date_of_birth\":", s->date_of_birth);
    put_member(w, ",\"nationality\":", s->nationality);
    jsonw_lit(w, ",\"cases\":[");
    int shown = 0, elsewhere = 0;
    for (int i = 0; i < s->ncases; i++) {
        const store_summary_case_t *k = &s->cases[i];
        if (!app_case_row_in_scope(sw->a, k->office_pk, k->receiving_office_pk, k->project)) {
            elsewhere = 1;
            continue;
        }
        put_member(w, shown++ ? ",{\"id\":" : "{\"id\":", k->id);
        put_member(w, ",\"number\":", k->number);
        put_member(w, ",\"office\":", k->office);
        jsonw_lit(w, "}");
    }
    jsonw_lit(w,
              elsewhere ? "],\"has_cases_elsewhere\":true}" : "],\"has_cases_elsewhere\":false}");
    return 0;
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
    store_case_filter_t f = {0};
    app_case_scope(a, &f);
    /* names in any script, case number tails, phone numbers */
    int64_t pks[AWDA_LIST_MAX];
    int n = store_person_find(c, q, lim, f.offices, f.nof, f.projects, pks);
    page_writer_t sw = {.a = a};
    jsonw_init(&sw.w, AWDA_MAX_SEARCH_ANSWER);
    jsonw_reserve(&sw.w, 512 + 384 * (size_t)(n > 0 ? n : 0));
    jsonw_lit(&sw.w, "{\"items\":[");
    int rc = n < 0 ? STORE_ERR : store_person_summaries_each(c, pks, n, write_summary, &sw);
    jsonw_lit(&sw.w, "]}");
    if (!answer_text(r, &sw.w, rc, "person_search", AWDA_MAX_SEARCH_ANSWER))
        app_fail(r, APP_ERROR, "the search failed");
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
    /* merge room: a person merged into another answers as the person kept,
     * with "merged_from" naming the id asked for and the merge */
    char merge_id[AWDA_UUID_LEN + 1] = "";
    int64_t kept = pk ? store_person_merged_into(c, pk, merge_id) : 0;
    json_t *p = pk ? store_person_get(c, kept ? kept : pk, 1) : NULL;
    if (!app_person_visible(c, a, p)) {
        json_decref(p);
        app_fail(r, APP_NOT_FOUND, "there is no person with this id");
        return NULL;
    }
    app_person_scope_cases(c, a, p);
    if (kept)
        json_object_set_new(p, "merged_from", json_pack("{s:s,s:s}", "id", id, "merge", merge_id));
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
