/*
 * demo_journey.c — the demo's cases walked along the return journey.
 *
 * What it is for: after registration, part of the cases is walked forward
 * the way the staff would, so that the demo shows cases at every stage up
 * to ready, some on hold, withdrawn and closed, and two destinations under
 * a restriction (journeys.json: approval required for Kidal, Mali;
 * suspended for North Darfur, Sudan).
 *
 * How it works: the plan of each case comes from data/demo: the rows of
 * households.json give the showcases by hand (an unaccompanied child walked
 * to ready, the cases to the restricted destinations, which must be blocked
 * by their restriction and nothing else); the quotas of journeys.json give
 * the others a stage over a fixed shuffle (its seed is in journeys.json),
 * within what is realistic for them. The records (demo_records.c) are made
 * with app_record_create and the steps are taken with app_case_transition
 * as the system actor, so every guard of the journey applies; nothing is
 * written around them, and the first step that fails stops the load with
 * every unmet requirement printed.
 *
 * Dates: the events of the steps carry the time of the load, as for any
 * user; what lies in the past is what a user may date too: the date fields
 * of the records (sessions in the past weeks, documents issued days ago)
 * and the restrictions' dates. The planned departure is one to four weeks
 * ahead. Nothing is back-dated around the application layer.
 */
#include "../core/field.h"
#include "../core/journey.h"
#include "demo_int.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- dates ---- */

/* Today + off days as YYYY-MM-DD. */
void dj_day_at(const jctx_t *j, int off, char out[16])
{
    time_t t = (time_t)(j->now_ms / 1000) + (time_t)off * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 16, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Today + off days at hh:mm UTC as YYYY-MM-DDTHH:MMZ. */
void dj_time_at(const jctx_t *j, int off, int hh, int mm, char out[32])
{
    char d[16];
    dj_day_at(j, off, d);
    snprintf(out, 32, "%sT%02d:%02dZ", d, hh, mm);
}

/* ---- reading a case ---- */

const char *dj_cstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

const char *dj_case_number(const dcase_t *d)
{
    return dj_cstr(d->caze, "number");
}

size_t dj_nmembers(const dcase_t *d)
{
    return json_array_size(json_object_get(d->caze, "members"));
}

const json_t *dj_member_at(const dcase_t *d, size_t i)
{
    return json_array_get(json_object_get(d->caze, "members"), i);
}

const json_t *dj_person_at(const dcase_t *d, size_t i)
{
    return json_object_get(dj_member_at(d, i), "person");
}

const char *dj_person_id_at(const dcase_t *d, size_t i)
{
    return dj_cstr(dj_member_at(d, i), "person_id");
}

const char *dj_display(const json_t *p)
{
    const char *n = dj_cstr(p, "name_latin");
    return n && *n ? n : dj_cstr(p, "name");
}

int dj_flagged(const json_t *p, const char *flag)
{
    static const char *const LISTS[] = {"vulnerabilities", "protection_vulnerabilities"};
    for (size_t k = 0; k < NELEM(LISTS); k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(p, LISTS[k]), i, v)
        {
            if (json_is_string(v) && strcmp(json_string_value(v), flag) == 0)
                return 1;
        }
    }
    return 0;
}

/* Age as the guards read it (partial dates: the youngest possible). */
int dj_age_now(const jctx_t *j, const json_t *p)
{
    return awda_person_age_at(p, j->now_ms);
}

int dj_child_now(const jctx_t *j, const json_t *p)
{
    int a = dj_age_now(j, p);
    return a >= 0 && a < 18;
}

/* The first adult of the case, or -1. */
int dj_first_adult(const jctx_t *j, const dcase_t *d)
{
    for (size_t i = 0; i < dj_nmembers(d); i++)
        if (!dj_child_now(j, dj_person_at(d, i)))
            return (int)i;
    return -1;
}

/* Unaccompanied or separated, as the guards see it: flagged so, or a child
 * with no adult in the case. (A child now may turn 18 before departure, never
 * the other way round, so what holds now holds at departure.) */
int dj_is_uasc(const jctx_t *j, const dcase_t *d, size_t i)
{
    const json_t *p = dj_person_at(d, i);
    if (dj_flagged(p, "unaccompanied_child") || dj_flagged(p, "separated_child"))
        return 1;
    return dj_child_now(j, p) && dj_first_adult(j, d) < 0;
}

int dj_any_uasc(const jctx_t *j, const dcase_t *d)
{
    for (size_t i = 0; i < dj_nmembers(d); i++)
        if (dj_is_uasc(j, d, i))
            return 1;
    return 0;
}

static int is_travel_doc(const char *t)
{
    return t && (strcmp(t, "passport") == 0 || strcmp(t, "laissez_passer") == 0 ||
                 strcmp(t, "emergency_travel_document") == 0);
}

/* 1 when a document of the person is a travel document expiring after day. */
int dj_doc_valid(const json_t *p, const char *day)
{
    size_t i;
    json_t *doc;
    json_array_foreach(json_object_get(p, "documents"), i, doc)
    {
        const char *exp = dj_cstr(doc, "expiry");
        if (is_travel_doc(dj_cstr(doc, "type")) && exp && strcmp(exp, day) > 0)
            return 1;
    }
    return 0;
}

int dj_in_algeria(const dcase_t *d)
{
    return strncmp(d->row->office, "DZ-", 3) == 0;
}

/* ---- acting through the application layer ---- */

int dj_fail_case(const dcase_t *d, const char *what, const app_result_t *r)
{
    char w[160];
    snprintf(w, sizeof w, "case %s: %s", dj_case_number(d), what);
    demo_report(w, r);
    return -1;
}

/* Records body (a record with "kind"; consumed) on the case. */
int dj_rec(jctx_t *j, dcase_t *d, json_t *body)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_record_create(j->app, j->sys, dj_cstr(d->caze, "id"), body, NULL, NULL, &r);
    int ok = r.code == APP_CREATED;
    if (!ok) {
        char what[96];
        snprintf(what, sizeof what, "recording a %s", dj_cstr(body, "kind"));
        dj_fail_case(d, what, &r);
        char *dump = json_dumps(body, JSON_COMPACT);
        if (dump) {
            fprintf(stderr, "  body: %s\n", dump);
            free(dump);
        }
    }
    json_decref(body);
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* A record of kind, for the person at member index i (or none when i < 0). */
json_t *dj_rec_new(const dcase_t *d, const char *kind, int i)
{
    json_t *o = json_pack("{s:s}", "kind", kind);
    if (i >= 0)
        json_object_set_new(o, "person_id", json_string(dj_person_id_at(d, (size_t)i)));
    return o;
}

void dj_put(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

void dj_put_day(const jctx_t *j, json_t *o, const char *k, int off)
{
    char b[16];
    dj_day_at(j, off > 0 ? 0 : off, b);
    json_object_set_new(o, k, json_string(b));
}

static json_t *step_body(const char *event, const char *reason)
{
    json_t *b = json_pack("{s:s}", "event", event);
    dj_put(b, "reason", reason);
    return b;
}

/* Takes a step; the case is updated from the answer. */
int dj_take(jctx_t *j, dcase_t *d, const char *event, const char *reason)
{
    json_t *body = step_body(event, reason);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_transition(j->app, j->sys, dj_cstr(d->caze, "id"), body, &r);
    json_decref(body);
    int ok = r.code == APP_OK && r.body;
    if (ok) {
        json_decref(d->caze);
        d->caze = json_incref(r.body);
    } else {
        char what[96];
        snprintf(what, sizeof what, "the step %s", event);
        dj_fail_case(d, what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* Tries a step that a restriction must block, with code as the only unmet
 * requirement; anything else is a failure of the guard (or of the demo). */
int dj_take_blocked(jctx_t *j, dcase_t *d, const char *event, const char *code)
{
    json_t *body = step_body(event, NULL);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_transition(j->app, j->sys, dj_cstr(d->caze, "id"), body, &r);
    json_decref(body);
    const json_t *reqs = json_object_get(r.extra, "requirements");
    const char *got = dj_cstr(json_array_get(reqs, 0), "code");
    int ok = r.code == APP_UNMET && json_array_size(reqs) == 1 && got && strcmp(got, code) == 0;
    if (!ok) {
        char what[128];
        snprintf(what, sizeof what, "the step %s should be blocked by %s alone", event, code);
        dj_fail_case(d, what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* Sets the planned departure with the current version (If-Match). */
int dj_set_departure(jctx_t *j, dcase_t *d, const char *when)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_get(j->app, j->sys, dj_cstr(d->caze, "id"), &r);
    if (r.code != APP_OK || !r.version) {
        dj_fail_case(d, "reading the case", &r);
        app_result_free(&r);
        return -1;
    }
    long long version = r.version;
    app_result_free(&r);
    json_t *patch = json_pack("{s:s}", "planned_departure", when);
    memset(&r, 0, sizeof r);
    app_case_patch(j->app, j->sys, dj_cstr(d->caze, "id"), version, patch, &r);
    json_decref(patch);
    int ok = r.code == APP_OK && r.body;
    if (ok) {
        json_decref(d->caze);
        d->caze = json_incref(r.body);
    } else {
        dj_fail_case(d, "setting the planned departure", &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* ---- one case's journey ---- */

static int walk_case(jctx_t *j, dcase_t *d)
{
    if (d->level == T_REGISTERED)
        return 0;
    cctx_t c;
    dj_cctx_init(j, d, &c);
    int rc = -1;
    int blocked = d->sc == SC_BLOCKED_APPROVAL || d->sc == SC_BLOCKED_SUSPENDED;
    const char *dz_or_eg_work =
        dj_in_algeria(d) ? "Found work on a building site in Tamanrasset and decided to stay for "
                           "now; knows that the door stays open."
                         : "Found work in a workshop in Cairo and decided to stay for now; knows "
                           "that the door stays open.";

    /* counselled */
    if (dj_protection_records(j, d, &c) || dj_counselling(j, d, &c) ||
        dj_take(j, d, "counsel", NULL))
        goto out;
    if (d->sc == SC_HOLD_DECIDE) {
        rc = dj_take(j, d, "hold",
                     "Asked for time to collect wages owed by an employer before deciding.");
        goto out;
    }
    if (d->level < T_CONSENTED && !blocked) {
        rc = 0;
        goto out;
    }
    /* consented */
    if (dj_consents(j, d, &c) || dj_take(j, d, "consent", NULL))
        goto out;
    if (d->sc == SC_CLOSE_INELIGIBLE) {
        rc = (dj_eligibility(j, d, &c, 0) || dj_take(j, d, "close", "ineligible")) ? -1 : 0;
        goto out;
    }
    if (d->sc == SC_WITHDRAW_WORK) {
        rc = dj_take(j, d, "withdraw", dz_or_eg_work);
        goto out;
    }
    if (d->sc == SC_HOLD_TRACING) {
        char why[256];
        snprintf(why, sizeof why,
                 "Family tracing at the destination (%s) is not possible at present; the "
                 "best-interests determination waits for it.",
                 c.area);
        rc = dj_take(j, d, "hold", why);
        goto out;
    }
    if (d->level < T_ELIGIBLE && !blocked) {
        rc = 0;
        goto out;
    }
    /* eligible */
    if (dj_eligibility(j, d, &c, 1))
        goto out;
    if (d->sc == SC_BLOCKED_APPROVAL) {
        rc = dj_take_blocked(j, d, "approve_eligibility", "restriction.approval");
        goto out;
    }
    if (d->sc == SC_BLOCKED_SUSPENDED) {
        rc = dj_take_blocked(j, d, "approve_eligibility", "restriction.suspended");
        goto out;
    }
    if (d->sc == SC_APPROVED) {
        json_t *a = dj_rec_new(d, "restriction_approval", -1);
        dj_put(a, "restriction_id", j->dd->restr[0].id);
        dj_put(
            a, "justification",
            "Individual security assessment done with the security officer: the family "
            "in Kidal is known and expects the returnee; the onward journey from Gao is organised "
            "with the sub-office in Gao.");
        if (dj_rec(j, d, a))
            goto out;
    }
    if (dj_take(j, d, "approve_eligibility", NULL))
        goto out;
    if (d->sc == SC_WITHDRAW_ONWARD) {
        rc = dj_take(j, d, "withdraw",
                     "Decided to try the route north again despite the counselling on its "
                     "risks.");
        goto out;
    }
    if (d->level < T_PRE_DEPARTURE) {
        rc = 0;
        goto out;
    }
    /* pre_departure */
    if (dj_take(j, d, "start_pre_departure", NULL) || dj_set_departure(j, d, c.dep_time) ||
        dj_documents_in_progress(j, d, &c, d->level == T_READY || d->sc == SC_HOLD_DOCS) ||
        dj_procedures(j, d, &c, 0))
        goto out;
    if (d->level == T_READY && dj_child_family(j, d, &c))
        goto out;
    if (d->sc == SC_HOLD_HEALTH) {
        json_t *h = dj_rec_new(d, "health_assessment", 0);
        dj_put(h, "result", "temporarily_unfit");
        char at[32];
        dj_time_at(j, -2, 10, 30, at);
        dj_put(h, "at", at);
        dj_put(h, "assessor", dj_in_algeria(d) ? "Dr Nadia Hamidi" : "Dr Mona Abdelaziz");
        json_object_set_new(h, "pre_embarkation", json_false());
        dj_put(h, "diagnosis", "Severe malaria");
        dj_put(h, "stabilisation_plan",
               "Treatment at the public hospital; reassessment in two "
               "weeks before a new departure date.");
        if (dj_rec(j, d, h))
            goto out;
        rc = dj_take(j, d, "hold",
                     "Temporarily unfit to travel (see the health assessment); the departure "
                     "waits until the treatment is over.");
        goto out;
    }
    if (d->sc == SC_HOLD_DOCS) {
        rc = dj_take(j, d, "hold",
                     "The consulate has not yet confirmed the nationality; no travel document "
                     "can be issued before.");
        goto out;
    }
    if (d->sc == SC_WITHDRAW_FAMILY) {
        rc = dj_take(j, d, "withdraw",
                     "The family at home asked to postpone the return until after the harvest; "
                     "withdrew and may apply again.");
        goto out;
    }
    if (d->level < T_READY) {
        rc = 0;
        goto out;
    }
    /* ready */
    if (dj_documents_issued(j, d, &c) || dj_procedures(j, d, &c, 1) || dj_health(j, d) ||
        dj_child_escort(j, d) || dj_take(j, d, "ready", NULL))
        goto out;
    if (dj_receiving_office(j, d, &c))
        goto out;
    rc = 0;
out:
    json_decref(c.langs);
    return rc;
}

/* ---- which case goes how far ---- */

/* How far a case of the pool may go: as far as its profile allows (returns
 * to Eritrea are rarely assisted beyond counselling); a child without an
 * adult needs a guardian's consent and a family assessment by an office in
 * the country of return, which only Mali has among the demo's offices. */
static int max_level(const jctx_t *j, const dcase_t *d)
{
    int lv = d->row->p->furthest;
    if (dj_any_uasc(j, d)) {
        int u = dj_first_adult(j, d) < 0 ? T_COUNSELLED : T_PRE_DEPARTURE;
        if (u < lv)
            lv = u;
    }
    return lv;
}

static int any_member(const jctx_t *j, const dcase_t *d, int pref)
{
    for (size_t i = 0; i < dj_nmembers(d); i++) {
        const json_t *p = dj_person_at(d, i);
        if (pref == PREF_ESCORT ? dj_escort_needed(j, p) : dj_flagged(p, "victim_of_trafficking"))
            return 1;
    }
    return 0;
}

static int preferred(const jctx_t *j, const dcase_t *d, int pref)
{
    char day[16];
    switch (pref) {
    case PREF_MEDICAL:
        return dj_flagged(dj_person_at(d, 0), "medical_condition");
    case PREF_NO_DOC:
        dj_day_at(j, 30, day);
        return !dj_doc_valid(dj_person_at(d, 0), day);
    case PREF_SINGLE:
        return dj_nmembers(d) == 1;
    case PREF_ESCORT:
    case PREF_TRAFFICKING:
        return any_member(j, d, pref);
    default:
        return 1;
    }
}

/* Gives every case its plan: the showcases by hand (the plans of their
 * row: the unaccompanied children, the restricted destinations), the
 * others by quota over a fixed shuffle. */
static void plan_cases(jctx_t *j, dcase_t *dc, int n)
{
    int *pool = calloc((size_t)n, sizeof *pool);
    int np = 0;
    if (!pool)
        return;
    for (int i = 0; i < n; i++) {
        dcase_t *d = &dc[i];
        const row_t *row = d->row;
        d->planned = 1;
        if (!row->journey)
            continue;
        if ((size_t)d->k < row->nplans) {
            d->level = row->plans[d->k].level;
            d->sc = row->plans[d->k].sc;
        } else {
            d->planned = 0;
            pool[np++] = i;
        }
    }
    for (int i = np - 1; i > 0; i--) { /* Fisher-Yates */
        int k = rng_below(&j->rng, i + 1), t = pool[i];
        pool[i] = pool[k];
        pool[k] = t;
    }
    for (size_t q = 0; q < j->dd->nquotas; q++) {
        const quota_t *qu = &j->dd->quotas[q];
        int got = 0;
        for (int pass = 0; pass < 2 && got < qu->n; pass++)
            for (int x = 0; x < np && got < qu->n; x++) {
                dcase_t *d = &dc[pool[x]];
                if (d->planned || max_level(j, d) < qu->level ||
                    (pass == 0 && !preferred(j, d, qu->pref)))
                    continue;
                d->planned = 1;
                d->level = qu->level;
                d->sc = qu->sc;
                got++;
            }
    }
    free(pool);
}

/* Records the restrictions of journeys.json: in force since a day of this
 * year (or some days ago when the year is young), reviewed some days from
 * today (a negative count: overdue). */
static int load_restrictions(jctx_t *j)
{
    awda_date_t t = awda_today();
    int doy =
        (int)(awda_days_from_civil(t.year, t.month, t.day) - awda_days_from_civil(t.year, 1, 1));
    for (size_t i = 0; i < NELEM(j->dd->restr); i++) {
        restr_t *x = &j->dd->restr[i];
        char from[16], review[16];
        dj_day_at(j, doy > 75 ? -(doy - x->since_doy) : -x->or_days_ago, from);
        dj_day_at(j, x->review_in, review);
        json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "country", x->country, "admin_area",
                                 x->admin_area, "kind", x->kind, "effective_from", from, "reason",
                                 x->reason, "next_review", review);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_restriction_create(j->app, j->sys, body, NULL, NULL, &r);
        json_decref(body);
        const char *id = dj_cstr(r.body, "id");
        int ok = r.code == APP_CREATED && id;
        if (ok) {
            snprintf(x->id, sizeof x->id, "%s", id);
        } else {
            char what[160];
            snprintf(what, sizeof what, "restriction %s", x->admin_area);
            demo_report(what, &r);
        }
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Walks the cases; prints the stages reached and where the showcases are. */
int demo_load_journeys(app_t *app, const app_actor_t *sys, demo_data_t *dd, dcase_t *dc, int n)
{
    jctx_t j;
    memset(&j, 0, sizeof j);
    j.app = app;
    j.sys = sys;
    j.dd = dd;
    j.rng.s = dd->journey_seed;
    j.now_ms = awda_now_ms();
    if (load_restrictions(&j) != 0)
        return -1;
    plan_cases(&j, dc, n);
    for (int i = 0; i < n; i++)
        if (walk_case(&j, &dc[i]) != 0)
            return -1;

    int count[16] = {0};
    size_t nst = 0;
    while (AWDA_STAGES[nst] && nst < NELEM(count))
        nst++;
    for (int i = 0; i < n; i++) {
        const char *st = dj_cstr(dc[i].caze, "stage");
        for (size_t s = 0; st && s < nst; s++)
            if (strcmp(st, AWDA_STAGES[s]) == 0)
                count[s]++;
    }
    char line[512] = "";
    for (size_t s = 0; s < nst; s++) {
        if (!count[s])
            continue;
        char part[48];
        snprintf(part, sizeof part, "%s%s %d", line[0] ? ", " : "", AWDA_STAGES[s], count[s]);
        sb_add(line, sizeof line, part);
    }
    fprintf(stderr, "awda demo: cases per stage: %s\n", line);
    char show[512] = "";
    for (int i = 0; i < n; i++) {
        const dcase_t *d = &dc[i];
        const char *what = NULL, *area = "";
        if (d->uac && d->level == T_READY) {
            what = "unaccompanied child, ready";
        } else if (d->sc == SC_BLOCKED_APPROVAL || d->sc == SC_APPROVED) {
            area = dd->restr[0].admin_area;
            what = d->sc == SC_APPROVED ? ", approved" : ", waiting for approval";
        } else if (d->sc == SC_BLOCKED_SUSPENDED) {
            area = dd->restr[1].admin_area;
            what = ", suspended (review overdue)";
        }
        if (!what)
            continue;
        char part[192];
        snprintf(part, sizeof part, "%s%s %s%s", show[0] ? "; " : "", dj_case_number(d), area,
                 what);
        sb_add(show, sizeof show, part);
    }
    fprintf(stderr, "awda demo: to look at: %s\n", show);
    return 0;
}
