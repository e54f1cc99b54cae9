/*
 * demo_movements.c — the demo's movements (data/demo/movements.json): a
 * charter from Tamanrasset via Algiers to Bamako two days ahead with its
 * passengers at every state, and a scheduled flight from Cairo to
 * Khartoum with airport assistance and onward transport, so that a new
 * user opens a planning board and a manifest without typing anything.
 *
 * How it works: demo_movements_read reads and checks the file with the
 * others, before anything is written (a bad file is named with its
 * problem). demo_movements_load runs last, after the households to walk
 * (their case numbers stay what the README says): it registers the
 * households of the file and walks them to `ready` with the records of
 * demo_records.c (every guard applies), then, per movement, through the
 * application layer as the system actor: app_movement_create with the
 * legs in local time some days from today; app_movement_add with every
 * ready case of the office going to the country (and the file's
 * households) — a refusal stops the load; the last-days records
 * (reconfirmation, pre-embarkation check) for every passenger but the
 * households named in "last_days_missing", when the departure is within
 * their window; a corrected travel document that now expires before the
 * departure ("document_corrected": the board shows that household
 * blocked, with the reason); escorts assigned to the persons whose escort
 * requirement the board reports ("for": escort.medical, escort.child);
 * airport assistance per leg; onward transport and the travel allowance
 * of every passenger.
 */
#include "../app/movement_care.h"
#include "../app/movements.h"
#include "../util/limits.h"
#include "demo_int.h"
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- reading and checking ------------------------------------------------- */

static int bad(const demo_data_t *dd, const char *where, const char *what)
{
    fprintf(stderr, "awda demo: %s/movements.json: %s: %s\n", dd->dir, where, what);
    return -1;
}

static int named_in(const json_t *list, const char *key, const char *value)
{
    size_t i;
    json_t *o;
    json_array_foreach(list, i, o)
    {
        const char *v = key ? str(o, key) : json_string_value(o);
        if (v && value && strcmp(v, value) == 0)
            return 1;
    }
    return 0;
}

static int check_movement(const demo_data_t *dd, const json_t *hh, const json_t *m, size_t i)
{
    char where[64];
    snprintf(where, sizeof where, "movements[%zu]", i);
    const json_t *body = json_object_get(m, "movement");
    const json_t *legs = json_object_get(body, "legs");
    if (!json_is_object(body) || !json_array_size(legs))
        return bad(dd, where, "\"movement\" must be a movement with its legs");
    if (!named_in(dd->offices, "code", str(body, "office")) ||
        !named_in(dd->offices, "code", str(body, "receiving_office")))
        return bad(dd, where,
                   "\"office\" and \"receiving_office\" must be offices of offices.json");
    size_t k;
    json_t *x;
    json_array_foreach(legs, k, x)
    {
        json_int_t day = json_integer_value(json_object_get(x, "day"));
        if (!json_is_integer(json_object_get(x, "day")) || day < 0 || day > 60 ||
            !str(x, "departs_at") || !str(x, "arrives_at"))
            return bad(dd, where, "each leg needs \"day\" (0 to 60) and the local times HH:MM");
    }
    const json_t *rc = json_object_get(m, "ready_cases");
    if (!named_in(dd->offices, "code", str(rc, "office")) || !str(rc, "destination_country"))
        return bad(dd, where, "\"ready_cases\" needs an office and a destination_country");
    static const char *const KEYS[] = {"households", "last_days_missing"};
    for (size_t n = 0; n < 2; n++)
        json_array_foreach(json_object_get(m, KEYS[n]), k, x)
        {
            if (!named_in(hh, "key", json_string_value(x)))
                return bad(dd, where, "names a household that movements.json does not hold");
        }
    const json_t *dc = json_object_get(m, "document_corrected");
    if (dc && !named_in(json_object_get(m, "households"), NULL, str(dc, "household")))
        return bad(dd, where, "\"document_corrected\" names a household not on the movement");
    json_array_foreach(json_object_get(m, "escorts"), k, x)
    {
        const char *f = str(x, "for");
        if (!f || (strcmp(f, "escort.medical") != 0 && strcmp(f, "escort.child") != 0))
            return bad(dd, where, "an escort is \"for\" escort.medical or escort.child");
        if (str(x, "user") && !named_in(dd->users, "username", str(x, "user")))
            return bad(dd, where, "an escort names a user that users.json does not hold");
    }
    json_array_foreach(json_object_get(m, "assistance"), k, x)
    {
        if ((str(x, "user") && !named_in(dd->users, "username", str(x, "user"))) ||
            (str(x, "partner") && !named_in(dd->partners, "name", str(x, "partner"))))
            return bad(dd, where, "assistance names a user or partner that the demo does not hold");
    }
    return 0;
}

int demo_movements_read(demo_data_t *dd, json_t **out)
{
    *out = NULL;
    json_t *mv = demo_json_file(dd->dir, "movements.json", 0);
    if (!mv)
        return -1;
    const json_t *hh = json_object_get(mv, "households");
    size_t i;
    json_t *h;
    int rc = json_is_array(hh) && json_is_array(json_object_get(mv, "movements"))
                 ? 0
                 : bad(dd, "top", "needs \"households\" and \"movements\" arrays");
    json_array_foreach(hh, i, h)
    {
        char where[64];
        snprintf(where, sizeof where, "households[%zu]", i);
        if (rc == 0 && (!str(h, "key") || !json_array_size(json_object_get(h, "members"))))
            rc = bad(dd, where, "a household needs a \"key\" and its \"members\"");
        if (rc == 0 && !named_in(dd->offices, "code", str(h, "office")))
            rc = bad(dd, where, "\"office\" is not an office of offices.json");
        int found = 0;
        for (size_t r = 0; rc == 0 && r < dd->nrows; r++)
            found |= strcmp(dd->rows[r].office, str(h, "office")) == 0 && str(h, "nationality") &&
                     strcmp(dd->rows[r].p->nat, str(h, "nationality")) == 0;
        if (rc == 0 && !found)
            rc = bad(dd, where, "no row of households.json has this office and nationality");
    }
    json_array_foreach(json_object_get(mv, "movements"), i, h)
    {
        if (rc == 0)
            rc = check_movement(dd, hh, h, i);
    }
    if (rc == 0)
        *out = mv;
    else
        json_decref(mv);
    return rc;
}

/* ---- the households of the movements ---------------------------------------- */

typedef struct {
    const char *key;
    dcase_t d;
} hh_t;

/* An exact date of birth that makes the person age today (the birthday
 * about five months ago), as for the households to walk. */
static json_t *dob(const jctx_t *j, int age)
{
    time_t t = (time_t)(j->now_ms / 1000) - ((time_t)age * 36525 / 100 + 150) * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return json_string(b);
}

static int create_household(jctx_t *j, const json_t *h, dcase_t *d)
{
    json_t *members = json_array();
    size_t k;
    json_t *m;
    json_array_foreach(json_object_get(h, "members"), k, m)
    {
        json_t *p = json_deep_copy(m);
        json_object_del(p, "relationship");
        json_object_del(p, "age");
        json_object_set_new(p, "date_of_birth",
                            dob(j, (int)json_integer_value(json_object_get(m, "age"))));
        json_object_set_new(p, "dob_precision", json_string("exact"));
        json_object_set(p, "nationality", json_object_get(h, "nationality"));
        demo_member_add(members, str(m, "relationship"), p);
    }
    json_t *body = json_deep_copy(h);
    json_object_del(body, "key");
    json_object_del(body, "nationality");
    json_object_set(body, "origin_country", json_object_get(h, "nationality"));
    json_object_set(body, "destination_country", json_object_get(h, "nationality"));
    json_object_set_new(body, "members", members);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_create(j->app, j->sys, body, NULL, NULL, &r);
    json_decref(body);
    int ok = r.code == APP_CREATED && r.body;
    if (ok)
        d->caze = json_incref(r.body);
    else {
        char what[96];
        snprintf(what, sizeof what, "the household %s of movements.json", str(h, "key"));
        demo_report(what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* The walk of demo_journey.c up to ready, with every record it needs. */
static int walk_ready(jctx_t *j, dcase_t *d)
{
    cctx_t c;
    dj_cctx_init(j, d, &c);
    int rc = -1;
    if (dj_protection_records(j, d, &c) || dj_counselling(j, d, &c) ||
        dj_take(j, d, "counsel", NULL) || dj_consents(j, d, &c) || dj_take(j, d, "consent", NULL) ||
        dj_eligibility(j, d, &c, 1) || dj_take(j, d, "approve_eligibility", NULL) ||
        dj_take(j, d, "start_pre_departure", NULL) || dj_set_departure(j, d, c.dep_time) ||
        dj_documents_in_progress(j, d, &c, 1) || dj_procedures(j, d, &c, 0) ||
        dj_child_family(j, d, &c) || dj_documents_issued(j, d, &c) || dj_procedures(j, d, &c, 1) ||
        dj_health(j, d) || dj_child_escort(j, d) || dj_take(j, d, "ready", NULL) ||
        dj_receiving_office(j, d, &c))
        goto out;
    rc = 0;
out:
    json_decref(c.langs);
    return rc;
}

static const dcase_t *household(const hh_t *hh, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (key && strcmp(hh[i].key, key) == 0)
            return &hh[i].d;
    return NULL;
}

/* ---- one movement ---------------------------------------------------------------- */

static int fail(const char *ref, const char *what, const app_result_t *r)
{
    char w[160];
    snprintf(w, sizeof w, "movement %s: %s", ref, what);
    demo_report(w, r);
    return -1;
}

/* The movement's body with each leg's day made a local date. */
static json_t *movement_body(const jctx_t *j, const json_t *m)
{
    json_t *body = json_deep_copy(json_object_get(m, "movement"));
    size_t i;
    json_t *leg;
    json_array_foreach(json_object_get(body, "legs"), i, leg)
    {
        char day[16], at[40];
        dj_day_at(j, (int)json_integer_value(json_object_get(leg, "day")), day);
        static const char *const K[] = {"departs_at", "arrives_at"};
        for (int k = 0; k < 2; k++) {
            snprintf(at, sizeof at, "%sT%s", day, str(leg, K[k]));
            json_object_set_new(leg, K[k], json_string(at));
        }
        json_object_del(leg, "day");
    }
    return body;
}

/* Every ready case of the office going to the country, then the file's
 * households. */
static json_t *cases_to_book(jctx_t *j, const json_t *m, const hh_t *hh, size_t nhh)
{
    const json_t *rc = json_object_get(m, "ready_cases");
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    q.stage = "ready";
    q.office = str(rc, "office");
    q.limit = "200";
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_list(j->app, j->sys, &q, &r);
    json_t *ids = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(app_result_body(&r), "items"), i, c)
    {
        const char *dest = str(c, "destination_country");
        if (dest && strcmp(dest, str(rc, "destination_country")) == 0 &&
            !named_in(ids, NULL, str(c, "id")))
            json_array_append_new(ids, json_string(str(c, "id")));
    }
    app_result_free(&r);
    json_array_foreach(json_object_get(m, "households"), i, c)
    {
        const dcase_t *d = household(hh, nhh, json_string_value(c));
        if (d && !named_in(ids, NULL, dj_cstr(d->caze, "id")))
            json_array_append_new(ids, json_string(dj_cstr(d->caze, "id")));
    }
    return ids;
}

static void now_text(const jctx_t *j, char out[32])
{
    time_t t = (time_t)(j->now_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

/* A record on the case of a passenger; body is consumed. */
static int record(jctx_t *j, const char *ref, const char *case_id, json_t *body)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_record_create(j->app, j->sys, case_id, body, NULL, NULL, &r);
    int ok = r.code == APP_CREATED;
    if (!ok) {
        char what[96];
        snprintf(what, sizeof what, "recording a %s", str(body, "kind"));
        fail(ref, what, &r);
    }
    json_decref(body);
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* The reconfirmation and the pre-embarkation check of every passenger but
 * those of the households named in "last_days_missing". */
static int last_days(jctx_t *j, const char *ref, const json_t *m, const json_t *added,
                     const hh_t *hh, size_t nhh)
{
    char now[32];
    now_text(j, now);
    size_t i;
    json_t *p;
    json_array_foreach(added, i, p)
    {
        int skip = 0;
        size_t k;
        json_t *key;
        json_array_foreach(json_object_get(m, "last_days_missing"), k, key)
        {
            const dcase_t *d = household(hh, nhh, json_string_value(key));
            skip |= d && strcmp(dj_cstr(d->caze, "id"), str(p, "case_id")) == 0;
        }
        if (skip)
            continue;
        json_t *rc = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kind", "reconfirmation", "person_id",
                               str(p, "person_id"), "at", now, "method", "in_person", "notes",
                               "Still wishes to go home; knows the departure time and what to "
                               "bring.");
        json_t *pe = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "kind", "health_assessment",
                               "person_id", str(p, "person_id"), "result", "fit", "at", now,
                               "assessor", "Dr Nadia Hamidi", "pre_embarkation", 1);
        if (record(j, ref, str(p, "case_id"), rc) || record(j, ref, str(p, "case_id"), pe))
            return -1;
    }
    return 0;
}

/* The household's travel documents recorded again with the expiry the
 * document itself shows: now before the departure. */
static int correct_documents(jctx_t *j, const char *ref, const json_t *dc, const hh_t *hh,
                             size_t nhh)
{
    const dcase_t *d = household(hh, nhh, str(dc, "household"));
    char exp[16];
    dj_day_at(j, (int)json_integer_value(json_object_get(dc, "expires_in_days")), exp);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_record_list(j->app, j->sys, dj_cstr(d->caze, "id"), "travel_document", &r);
    json_t *bookings = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(r.body, "items"), i, x)
    {
        const json_t *data = json_object_get(x, "data");
        if (str(data, "status") && strcmp(str(data, "status"), "issued") == 0) {
            json_t *b = json_deep_copy(data);
            json_object_set_new(b, "kind", json_string("travel_document"));
            json_object_set(b, "person_id", json_object_get(x, "person_id"));
            json_object_set_new(b, "expiry", json_string(exp));
            json_array_append_new(bookings, b);
        }
    }
    int rc = r.code == APP_OK ? 0 : fail(ref, "reading the travel documents", &r);
    app_result_free(&r);
    json_array_foreach(bookings, i, x)
    {
        if (rc == 0)
            rc = record(j, ref, dj_cstr(d->caze, "id"), json_incref(x));
    }
    json_decref(bookings);
    return rc;
}

/* Escorts for whoever the board says needs one. */
static int escorts(jctx_t *j, const char *ref, const char *id, const json_t *m)
{
    app_result_t b;
    memset(&b, 0, sizeof b);
    app_movement_board(j->app, j->sys, id, &b);
    if (b.code != APP_OK) {
        fail(ref, "reading the board", &b);
        app_result_free(&b);
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(m, "escorts"), i, e)
    {
        json_t *who = json_array();
        size_t k;
        json_t *q;
        json_array_foreach(json_object_get(b.body, "blockers"), k, q)
        {
            if (strcmp(str(q, "code"), str(e, "for")) == 0 &&
                !named_in(who, NULL, str(q, "person_id")))
                json_array_append_new(who, json_string(str(q, "person_id")));
        }
        if (!json_array_size(who) || rc) {
            json_decref(who);
            continue;
        }
        json_t *body = json_deep_copy(e);
        json_object_del(body, "for");
        json_object_set_new(body, "passengers", who);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_escort_create(j->app, j->sys, id, body, NULL, NULL, &r);
        json_decref(body);
        if (r.code != APP_CREATED)
            rc = fail(ref, "assigning an escort", &r);
        app_result_free(&r);
    }
    app_result_free(&b);
    return rc;
}

static int partner_id(jctx_t *j, const char *name, char out[40])
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_partner_list(j->app, j->sys, &r);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(r.body, "items"), i, p)
    {
        if (str(p, "name") && strcmp(str(p, "name"), name) == 0)
            snprintf(out, 40, "%s", str(p, "id"));
    }
    app_result_free(&r);
    return out[0] ? 0 : -1;
}

static int assistance(jctx_t *j, const char *ref, const char *id, const json_t *m)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(m, "assistance"), i, a)
    {
        json_t *body = json_deep_copy(a);
        char pid[40] = "";
        if (str(a, "partner")) {
            partner_id(j, str(a, "partner"), pid);
            json_object_set_new(body, "partner", json_string(pid));
        }
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_assistance_create(j->app, j->sys, id, body, NULL, NULL, &r);
        json_decref(body);
        int ok = r.code == APP_CREATED;
        if (!ok)
            fail(ref, "airport assistance", &r);
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Onward transport to each passenger's destination, and the allowance. */
static int care(jctx_t *j, const char *ref, const char *id, const json_t *m, const json_t *added)
{
    const json_t *onward = json_object_get(m, "onward"), *allow = json_object_get(m, "allowance");
    size_t i;
    json_t *p;
    json_array_foreach(added, i, p)
    {
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_case_get(j->app, j->sys, str(p, "case_id"), &r);
        json_t *body = json_deep_copy(onward);
        if (str(r.body, "destination_admin_area"))
            json_object_set(body, "destination_admin_area",
                            json_object_get(r.body, "destination_admin_area"));
        if (str(r.body, "destination_pcode"))
            json_object_set(body, "destination_pcode",
                            json_object_get(r.body, "destination_pcode"));
        app_result_free(&r);
        memset(&r, 0, sizeof r);
        if (onward)
            app_onward_put(j->app, j->sys, id, str(p, "person_id"), body, &r);
        json_decref(body);
        int ok = !onward || r.code == APP_OK;
        if (!ok)
            fail(ref, "onward transport", &r);
        app_result_free(&r);
        memset(&r, 0, sizeof r);
        if (ok && allow) {
            app_allowance_put(j->app, j->sys, id, str(p, "person_id"), allow, &r);
            ok = r.code == APP_OK;
            if (!ok)
                fail(ref, "travel allowance", &r);
        }
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

static int load_movement(jctx_t *j, const json_t *m, const hh_t *hh, size_t nhh, char *show,
                         size_t cap)
{
    const char *ref = str(json_object_get(m, "movement"), "reference");
    json_t *body = movement_body(j, m);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_movement_create(j->app, j->sys, body, NULL, NULL, &r);
    json_decref(body);
    if (r.code != APP_CREATED) {
        fail(ref, "creating it", &r);
        app_result_free(&r);
        return -1;
    }
    char id[40];
    snprintf(id, sizeof id, "%s", str(r.body, "id"));
    app_result_free(&r);

    json_t *ids = cases_to_book(j, m, hh, nhh);
    json_t *add = json_pack("{s:o}", "cases", ids);
    memset(&r, 0, sizeof r);
    app_movement_add(j->app, j->sys, id, add, NULL, NULL, &r);
    json_decref(add);
    const json_t *refused = json_object_get(r.body, "refused");
    if (r.code != APP_OK || json_array_size(refused)) {
        fail(ref, "booking its passengers", &r);
        json_t *x;
        size_t i;
        json_array_foreach(refused, i, x)
        {
            fprintf(stderr, "  refused %s:", str(x, "name"));
            json_t *b;
            size_t k;
            json_array_foreach(json_object_get(x, "blockers"), k, b)
                fprintf(stderr, " %s", str(b, "message"));
            fprintf(stderr, "\n");
        }
        app_result_free(&r);
        return -1;
    }
    json_t *added = json_incref(json_object_get(r.body, "added"));
    app_result_free(&r);
    const json_t *dc = json_object_get(m, "document_corrected");
    int rc = last_days(j, ref, m, added, hh, nhh);
    if (rc == 0 && dc)
        rc = correct_documents(j, ref, dc, hh, nhh);
    if (rc == 0)
        rc = escorts(j, ref, id, m);
    if (rc == 0)
        rc = assistance(j, ref, id, m);
    if (rc == 0)
        rc = care(j, ref, id, m, added);
    if (rc == 0) {
        char part[160];
        snprintf(part, sizeof part, "%s%s (%zu booked)", show[0] ? "; " : "", ref,
                 json_array_size(added));
        sb_add(show, cap, part);
    }
    json_decref(added);
    return rc;
}

int demo_movements_load(app_t *app, const app_actor_t *sys, demo_data_t *dd, const json_t *mv)
{
    jctx_t j;
    memset(&j, 0, sizeof j);
    j.app = app;
    j.sys = sys;
    j.dd = dd;
    j.rng.s = dd->journey_seed ^ 0x6d6f76656d656e74ULL; /* its own sequence */
    j.now_ms = awda_now_ms();
    const json_t *list = json_object_get(mv, "households");
    size_t nhh = json_array_size(list);
    hh_t *hh = calloc(nhh + 1, sizeof *hh);
    if (!hh) {
        fprintf(stderr, "awda demo: out of memory\n");
        return -1;
    }
    int rc = 0;
    size_t i;
    json_t *h;
    json_array_foreach(list, i, h)
    {
        if (rc)
            break;
        hh[i].key = str(h, "key");
        dcase_t *d = &hh[i].d;
        for (size_t r = 0; r < dd->nrows && !d->row; r++)
            if (strcmp(dd->rows[r].office, str(h, "office")) == 0 &&
                strcmp(dd->rows[r].p->nat, str(h, "nationality")) == 0)
                d->row = &dd->rows[r];
        d->level = T_READY;
        d->sc = SC_NONE;
        d->planned = 1;
        rc = create_household(&j, h, d) || walk_ready(&j, d);
    }
    char show[512] = "";
    json_array_foreach(json_object_get(mv, "movements"), i, h)
    {
        if (rc == 0)
            rc = load_movement(&j, h, hh, nhh, show, sizeof show);
    }
    if (rc == 0)
        fprintf(stderr, "awda demo: movements (see their planning boards and manifests): %s\n",
                show);
    for (i = 0; i < nhh; i++)
        json_decref(hh[i].d.caze);
    free(hh);
    return rc;
}
