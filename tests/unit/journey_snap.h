/*
 * journey_snap.h — snapshots of a case, and the wrappers that run the
 * guards of the return journey (src/core/journey.c) over them, for the
 * tests in tests/unit/test_journey_*.c.
 *
 * Header-only on purpose: the Makefile links every tests/unit/test_*.c,
 * one file per program, with the library objects, so support code that
 * is not a test lives in a header the tests include (as tmpdb.h). Its
 * functions are static inline, so that a test file that does not use one
 * builds without a warning.
 *
 * The snapshots are built with jansson in the shape journey.h describes:
 * snap_new (an empty case at pre_departure for Mali), add_person,
 * add_flag, add_concern, add_doc, add_restriction, record and drop (the
 * case's records), and the steps that make a member ready to depart
 * (consent, health, reconfirm, complete_member, child_protection,
 * case_records); adult_case and child_case are complete cases. run and
 * board type the snapshot as the application layer gives it to the guards
 * (typed_of), run the guards of a step or the boarding check of one
 * person, and check the shape of every entry (warnings_of, possible and
 * time_check do the same for the other entry points); entry,
 * count_code, count_prefix and the expect_* / only_unmet / all_met macros
 * assert on the result, naming the line of the test that failed.
 *
 * All times are fixed: the planned departure is 2026-06-01 10:00 UTC and
 * "now" is 24 hours before it, so nothing depends on the clock.
 */
#ifndef AWDA_TESTS_JOURNEY_SNAP_H
#define AWDA_TESTS_JOURNEY_SNAP_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/journey.h"
#include "../../src/util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- fixed people and times -------------------------------------------- */

#define CASE_ID "0190a6f2-0000-7000-8000-0000000ca5e0"
#define PA      "0190a6f2-0000-7000-8000-00000000000a" /* Amadou Keita, adult */
#define PB      "0190a6f2-0000-7000-8000-00000000000b" /* Fatoumata Diallo, adult */
#define PC      "0190a6f2-0000-7000-8000-00000000000c" /* Mariam Keita, born 2014 */
#define PD      "0190a6f2-0000-7000-8000-00000000000d" /* Issa Keita, born 2016 */

#define DEP       "2026-06-01T10:00Z"
#define NOW_ISO   "2026-05-31T10:00Z" /* 24 h before departure */
#define HEALTH_AT "2026-05-20T09:00Z" /* the medical assessment */
#define RECONF_AT "2026-05-30T12:00Z" /* 46 h before departure */
#define PRE_AT    "2026-05-31T08:00Z" /* 26 h before departure */
#define HOUR      (3600LL * 1000LL)

static inline long long ms(const char *iso)
{
    int64_t v;
    if (awda_datetime_parse(iso, strlen(iso), &v) != 0)
        fail_msg("bad test time %s", iso);
    return (long long)v;
}

/* "YYYY-MM-DDTHH:MMZ" of epoch ms (UTC). */
static inline void iso_of(long long at, char out[64])
{
    time_t t = (time_t)(at / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

/* The name each person is shown by in messages. */
static inline const char *capital(const char *pid)
{
    if (strcmp(pid, PA) == 0)
        return "AMADOU KEITA";
    if (strcmp(pid, PB) == 0)
        return "FATOUMATA DIALLO";
    if (strcmp(pid, PC) == 0)
        return "MARIAM KEITA";
    if (strcmp(pid, PD) == 0)
        return "ISSA KEITA";
    return "?";
}

static const char *PROC_TYPES[] = {"exit_visa", "fine_waiver", "police_clearance", NULL};

/* ---- snapshot builders -------------------------------------------------- */

static inline json_t *case_of(json_t *s)
{
    return json_object_get(s, "case");
}

static inline json_t *records_of(json_t *s)
{
    return json_object_get(s, "records");
}

/* An empty case at pre_departure for Mali, departing DEP, now NOW_ISO. */
static inline json_t *snap_new(void)
{
    json_error_t err;
    json_t *s = json_pack_ex(
        &err, 0, "{s:{s:s,s:s,s:s,s:n,s:s,s:[]},s:[],s:[],s:[],s:I,s:i,s:i,s:[sss]}", "case", "id",
        CASE_ID, "stage", "pre_departure", "destination_country", "MLI", "destination_admin_area",
        "planned_departure", DEP, "members", "records", "restrictions", "previous_returns", "now",
        (json_int_t)ms(NOW_ISO), "reconfirm_hours", 72, "preembark_hours", 72, "procedure_types",
        PROC_TYPES[0], PROC_TYPES[1], PROC_TYPES[2]);
    if (!s)
        fail_msg("bad snapshot: %s", err.text);
    return s;
}

static inline void set_now(json_t *s, long long now)
{
    json_object_set_new(s, "now", json_integer((json_int_t)now));
}

static inline void set_str(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, value ? json_string(value) : json_null());
}

/* Adds a member (principal when first) and returns its person (borrowed). */
static inline json_t *add_person(json_t *s, const char *pid, const char *name, const char *dob,
                                 const char *precision)
{
    json_t *members = json_object_get(case_of(s), "members");
    json_t *person =
        json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:[],s:[]}", "id", pid, "name", name, "name_latin", name,
                  "date_of_birth", dob, "dob_precision", precision, "vulnerabilities", "documents");
    json_array_append_new(members, json_pack("{s:s,s:s,s:o}", "person_id", pid, "relationship",
                                             json_array_size(members) ? "other" : "principal",
                                             "person", person));
    return person;
}

static inline json_t *person_of(json_t *s, const char *pid)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(case_of(s), "members"), i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "person_id")), pid) == 0)
            return json_object_get(m, "person");
    }
    fail_msg("no member %s", pid);
    return NULL;
}

static inline void add_flag(json_t *s, const char *pid, const char *flag)
{
    json_array_append_new(json_object_get(person_of(s, pid), "vulnerabilities"), json_string(flag));
}

/* A protection concern: in the person's own sealed list, as the store
 * gives it to the guards (opened). */
static inline void add_concern(json_t *s, const char *pid, const char *flag)
{
    json_t *p = person_of(s, pid);
    if (!json_is_array(json_object_get(p, "protection_vulnerabilities")))
        json_object_set_new(p, "protection_vulnerabilities", json_array());
    json_array_append_new(json_object_get(p, "protection_vulnerabilities"), json_string(flag));
}

static inline void add_doc(json_t *s, const char *pid, const char *type, const char *expiry)
{
    json_array_append_new(
        json_object_get(person_of(s, pid), "documents"),
        json_pack("{s:s,s:s,s:s?}", "type", type, "number", "AA123456", "expiry", expiry));
}

/* Appends a record of kind (for pid, or the case when NULL) whose data is
 * packed from fmt (jansson json_pack format). */
static inline void record(json_t *s, const char *kind, const char *pid, const char *fmt, ...)
{
    static unsigned serial;
    va_list ap;
    json_error_t err;
    va_start(ap, fmt);
    json_t *data = json_vpack_ex(&err, 0, fmt, ap);
    va_end(ap);
    if (!data)
        fail_msg("bad record data for %s: %s", kind, err.text);
    if (pid)
        json_object_set_new(data, "person_id", json_string(pid));
    char id[40];
    snprintf(id, sizeof id, "rec-%u", ++serial);
    json_array_append_new(records_of(s),
                          json_pack("{s:s,s:s,s:s?,s:s,s:o}", "id", id, "kind", kind, "person_id",
                                    pid, "created_at", "2026-05-01T00:00:00Z", "data", data));
}

/* Removes the records of kind (for pid when not NULL). */
static inline void drop(json_t *s, const char *kind, const char *pid)
{
    json_t *recs = records_of(s);
    for (size_t i = json_array_size(recs); i-- > 0;) {
        json_t *r = json_array_get(recs, i);
        const char *k = json_string_value(json_object_get(r, "kind"));
        const char *p = json_string_value(json_object_get(r, "person_id"));
        if (strcmp(k, kind) == 0 && (!pid || (p && strcmp(p, pid) == 0)))
            json_array_remove(recs, i);
    }
}

static inline void consent(json_t *s, const char *pid, int child)
{
    if (child)
        record(s, "consent", pid, "{s:s,s:s,s:s,s:s}", "purpose", "return", "given_by", "guardian",
               "guardian_name", "Awa Traore", "child_views", "wants to live with her grandmother");
    else
        record(s, "consent", pid, "{s:s,s:s}", "purpose", "return", "given_by", "self");
}

static inline void health(json_t *s, const char *pid, const char *result, const char *at, int pre)
{
    record(s, "health_assessment", pid, "{s:s,s:s,s:b,s:s}", "result", result, "at", at,
           "pre_embarkation", pre, "assessor", "Dr Sow");
}

static inline void reconfirm(json_t *s, const char *pid, const char *at)
{
    record(s, "reconfirmation", pid, "{s:s,s:s}", "at", at, "method", "in_person");
}

/* Everything one member needs to depart: consent, a passport, a medical
 * assessment, a reconfirmation and a pre-embarkation check. */
static inline void complete_member(json_t *s, const char *pid, int child)
{
    consent(s, pid, child);
    add_doc(s, pid, "passport", "2030-01-31");
    health(s, pid, "fit", HEALTH_AT, 0);
    reconfirm(s, pid, RECONF_AT);
    health(s, pid, "fit", PRE_AT, 1);
}

/* The child-protection steps for an unaccompanied or separated child. */
static inline void child_protection(json_t *s, const char *pid)
{
    record(s, "guardian", pid, "{s:s,s:s}", "name", "Awa Traore", "relation", "aunt");
    record(s, "best_interests_assessment", pid, "{s:s,s:s}", "date", "2026-04-01", "by",
           "K. Diarra");
    record(s, "best_interests_determination", pid, "{s:s,s:s,s:s}", "decision",
           "return_in_best_interests", "date", "2026-04-10", "by", "Panel");
    record(s, "child_views", pid, "{s:s,s:s}", "date", "2026-04-02", "views", "wants to go home");
    record(s, "family_assessment", pid, "{s:s,s:s,s:s}", "office", "ML-BKO", "date", "2026-04-05",
           "outcome", "family_traced_and_willing");
    record(s, "escort", pid, "{s:s,s:s}", "escort_type", "child_protection", "name",
           "S. Coulibaly");
}

/* Records about the case as a whole: counselling, eligibility, procedures. */
static inline void case_records(json_t *s)
{
    record(s, "counselling", NULL, "{s:s,s:s,s:[s],s:b,s:[ss]}", "date", "2026-03-01", "counsellor",
           "N. Kone", "language", "fr", "interpreter", 0, "topics", "return_process",
           "origin_situation");
    record(s, "counselling", NULL, "{s:s,s:s,s:[s],s:b,s:[ss]}", "date", "2026-03-08", "counsellor",
           "N. Kone", "language", "fr", "interpreter", 0, "topics", "reintegration_options",
           "rights_and_withdrawal");
    record(s, "eligibility", NULL, "{s:s,s:s}", "decision", "eligible", "reason",
           "meets the programme criteria");
    record(s, "procedure", NULL, "{s:s,s:s}", "type", "exit_visa", "status", "done");
    record(s, "procedure", NULL, "{s:s,s:s}", "type", "fine_waiver", "status", "not_needed");
    record(s, "procedure", NULL, "{s:s,s:s}", "type", "police_clearance", "status", "done");
}

/* One adult, Amadou Keita, who meets every requirement up to departure. */
static inline json_t *adult_case(void)
{
    json_t *s = snap_new();
    add_person(s, PA, "Amadou Keita", "1985-04-12", "exact");
    complete_member(s, PA, 0);
    case_records(s);
    return s;
}

/* Mariam Keita, 12 and alone: an unaccompanied child with every step done. */
static inline json_t *child_case(void)
{
    json_t *s = snap_new();
    add_person(s, PC, "Mariam Keita", "2014-02-20", "exact");
    complete_member(s, PC, 1);
    child_protection(s, PC);
    case_records(s);
    return s;
}

/* A restriction on returns to Mali (the whole country when area is NULL). */
static inline void add_restriction(json_t *s, const char *id, const char *kind, const char *area)
{
    json_array_append_new(json_object_get(s, "restrictions"),
                          json_pack("{s:s,s:s,s:s?,s:s,s:s,s:s}", "id", id, "country", "MLI",
                                    "admin_area", area, "kind", kind, "effective_from",
                                    "2026-01-01", "reason", "armed conflict"));
}

#define R1 "0190a6f2-0000-7000-8000-0000000000e1"
#define R2 "0190a6f2-0000-7000-8000-0000000000e2"

/* ---- assertions --------------------------------------------------------- */

/* The line of the test that called the assertion helper now running. */
static int caller_line;

static inline void dump(const json_t *v)
{
    print_message("(called from line %d)\n", caller_line);
    char *text = json_dumps(v, JSON_INDENT(1));
    if (text) {
        print_message("%s\n", text);
        free(text);
    }
}

static inline const awda_transition_t *tr(const char *event, const char *stage)
{
    const awda_transition_t *t = awda_transition_find(event, stage);
    if (!t)
        fail_msg("no transition %s from %s", event, stage);
    return t;
}

/* ---- the typed snapshot ------------------------------------------------ */

static inline void snap_copy(char *out, size_t cap, const char *v)
{
    snprintf(out, cap, "%s", v ? v : "");
}

static inline long long snap_ms(const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    int64_t t;
    return v && awda_datetime_parse(v, strlen(v), &t) == 0 ? (long long)t : -1;
}

/* The snapshot the tests build with jansson (the shape of the top of this
 * file) typed as the application layer gives it to the guards
 * (app_journey_read): the case, its members with their flags and travel
 * documents, the records (awda_records_add), restrictions, previous
 * returns, windows, checklist, change of destination, reason and time.
 * The guards read nothing else. Texts of s are borrowed for reason and
 * at: free j (journey_done) before s. */
static inline void typed_of(const json_t *s, awda_journey_t *j)
{
    memset(j, 0, sizeof *j);
    const json_t *caze = json_object_get(s, "case");
    snap_copy(j->case_id, sizeof j->case_id, json_string_value(json_object_get(caze, "id")));
    snap_copy(j->stage, sizeof j->stage, json_string_value(json_object_get(caze, "stage")));
    snap_copy(j->stage_before, sizeof j->stage_before,
              json_string_value(json_object_get(caze, "stage_before")));
    snap_copy(j->dest_country, sizeof j->dest_country,
              json_string_value(json_object_get(caze, "destination_country")));
    snap_copy(j->dest_admin_area, sizeof j->dest_admin_area,
              json_string_value(json_object_get(caze, "destination_admin_area")));
    j->planned_departure = snap_ms(caze, "planned_departure");
    j->version = json_integer_value(json_object_get(caze, "version"));
    const json_t *members = json_object_get(caze, "members");
    j->members = calloc(json_array_size(members) + 1, sizeof *j->members);
    assert_non_null(j->members);
    size_t i;
    json_t *v;
    json_array_foreach(members, i, v)
    {
        const json_t *p = json_object_get(v, "person");
        awda_member_fill(
            &j->members[j->nmembers++], json_string_value(json_object_get(v, "person_id")),
            json_string_value(json_object_get(p, "name_latin")),
            json_string_value(json_object_get(p, "name")),
            json_string_value(json_object_get(p, "date_of_birth")),
            json_string_value(json_object_get(p, "dob_precision")),
            json_object_get(p, "vulnerabilities"), json_object_get(p, "protection_vulnerabilities"),
            json_object_get(p, "documents"));
    }
    json_array_foreach(json_object_get(s, "records"), i, v)
    {
        assert_int_equal(awda_records_add(&j->records, json_string_value(json_object_get(v, "id")),
                                          json_string_value(json_object_get(v, "kind")),
                                          json_string_value(json_object_get(v, "person_id")),
                                          json_object_get(v, "data")),
                         0);
    }
    const json_t *rs = json_object_get(s, "restrictions");
    j->restrictions = calloc(json_array_size(rs) + 1, sizeof *j->restrictions);
    assert_non_null(j->restrictions);
    json_array_foreach(rs, i, v) awda_restriction_fill(&j->restrictions[j->nrestrictions++], v);
    const json_t *prev = json_object_get(s, "previous_returns");
    j->prev = calloc(json_array_size(prev) + 1, sizeof *j->prev);
    assert_non_null(j->prev);
    json_array_foreach(prev, i, v) awda_prev_return_fill(&j->prev[j->nprev++], v);
    j->now = (long long)json_integer_value(json_object_get(s, "now"));
    j->reconfirm_hours = (int)json_integer_value(json_object_get(s, "reconfirm_hours"));
    j->preembark_hours = (int)json_integer_value(json_object_get(s, "preembark_hours"));
    const json_t *types = json_object_get(s, "procedure_types");
    j->procedure_types = calloc(json_array_size(types) + 1, sizeof *j->procedure_types);
    assert_non_null(j->procedure_types);
    json_array_foreach(types, i, v)
    {
        if (json_is_string(v))
            snap_copy(j->procedure_types[j->nprocedure_types++], sizeof j->procedure_types[0],
                      json_string_value(v));
    }
    snap_copy(j->office_country, sizeof j->office_country,
              json_string_value(json_object_get(s, "office_country")));
    const json_t *dc = json_object_get(s, "destination_changed");
    if (dc)
        awda_journey_dest_change(j, json_string_value(json_object_get(dc, "from_country")),
                                 json_string_value(json_object_get(dc, "from_admin_area")),
                                 json_string_value(json_object_get(dc, "last_record")));
    j->reason = json_string_value(json_object_get(s, "reason"));
    j->at = json_string_value(json_object_get(s, "at"));
    j->departed_at = snap_ms(s, "departed_at");
}

/* The warnings of the snapshot s. */
static inline json_t *warnings_of(const json_t *s)
{
    awda_journey_t j;
    typed_of(s, &j);
    json_t *w = awda_journey_warnings(&j);
    awda_journey_free(&j);
    return w;
}

/* Whether step t is offered for the snapshot s. */
static inline int possible(const awda_transition_t *t, const json_t *s)
{
    awda_journey_t j;
    typed_of(s, &j);
    int ok = awda_transition_possible(t, &j);
    awda_journey_free(&j);
    return ok;
}

/* awda_step_time_check over the snapshot s. */
static inline int time_check(const awda_transition_t *t, const json_t *s, json_t *errors)
{
    awda_journey_t j;
    typed_of(s, &j);
    int n = awda_step_time_check(t, &j, errors);
    awda_journey_free(&j);
    return n;
}

/* Runs the guards of event from stage; checks the shape of every entry and
 * that *unmet counts the entries with met=false. */
static inline json_t *run(const char *event, const char *stage, json_t *s, int *unmet)
{
    *unmet = -1;
    awda_journey_t j;
    typed_of(s, &j);
    json_t *res = awda_journey_check(tr(event, stage), &j, unmet);
    awda_journey_free(&j);
    assert_non_null(res);
    assert_true(json_is_array(res));
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        assert_non_null(json_string_value(json_object_get(r, "code")));
        const char *msg = json_string_value(json_object_get(r, "message"));
        assert_non_null(msg);
        assert_true(strlen(msg) > 0);
        assert_true(json_is_boolean(json_object_get(r, "met")));
        if (!json_is_true(json_object_get(r, "met")))
            n++;
        const char *pid = json_string_value(json_object_get(r, "person_id"));
        if (pid) {
            /* Personal requirements name the person in capitals. */
            const char *who = json_string_value(json_object_get(r, "person"));
            assert_non_null(who);
            assert_string_equal(who, capital(pid));
            if (!strstr(msg, who)) {
                dump(r);
                fail_msg("the message does not name %s", who);
            }
        } else {
            assert_null(json_object_get(r, "person"));
        }
    }
    assert_int_equal(n, *unmet);
    return res;
}

/* The entry of code (for pid, or with no person when NULL), or NULL. */
static inline const json_t *entry(const json_t *res, const char *code, const char *pid)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *p = json_string_value(json_object_get(r, "person_id"));
        if (strcmp(json_string_value(json_object_get(r, "code")), code) != 0)
            continue;
        if ((!pid && !p) || (pid && p && strcmp(pid, p) == 0))
            return r;
    }
    return NULL;
}

static inline int count_code(const json_t *res, const char *code)
{
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        n += strcmp(json_string_value(json_object_get(r, "code")), code) == 0;
    }
    return n;
}

static inline int count_prefix(const json_t *res, const char *prefix)
{
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        n += strncmp(json_string_value(json_object_get(r, "code")), prefix, strlen(prefix)) == 0;
    }
    return n;
}

/* Asserts an entry of code for pid with met, whose message contains words. */
static inline void expect_req_fn(const json_t *res, const char *code, const char *pid, int met,
                                 const char *words)
{
    const json_t *r = entry(res, code, pid);
    if (!r) {
        dump(res);
        fail_msg("no requirement %s for %s", code, pid ? pid : "the case");
    }
    if (json_is_true(json_object_get(r, "met")) != (met != 0)) {
        dump(r);
        fail_msg("requirement %s should be %s", code, met ? "met" : "unmet");
    }
    const char *msg = json_string_value(json_object_get(r, "message"));
    if (words && !strstr(msg, words)) {
        dump(r);
        fail_msg("message \"%s\" should contain \"%s\"", msg, words);
    }
}

/* Prints the unmet entries of res (cmocka truncates long messages). */
static inline void dump_unmet(const json_t *res)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        if (!json_is_true(json_object_get(r, "met")))
            dump(r);
    }
}

/* Asserts exactly one unmet requirement, of code for pid, with words. */
static inline void expect_only_unmet_fn(const json_t *res, int unmet, const char *code,
                                        const char *pid, const char *words)
{
    if (unmet != 1) {
        dump_unmet(res);
        fail_msg("expected exactly one unmet requirement (%s), got %d", code, unmet);
    }
    expect_req_fn(res, code, pid, 0, words);
}

static inline void expect_all_met_fn(const json_t *res, int unmet)
{
    if (unmet != 0) {
        dump_unmet(res);
        fail_msg("expected every requirement met, %d unmet", unmet);
    }
}

/* Asserts that the distinct codes of res are exactly codes (NULL-terminated). */
static inline void expect_codes_fn(const json_t *res, const char *const *codes)
{
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *code = json_string_value(json_object_get(r, "code"));
        int known = 0;
        for (int k = 0; codes[k]; k++)
            known |= strcmp(codes[k], code) == 0;
        if (!known) {
            dump(res);
            fail_msg("unexpected requirement %s", code);
        }
    }
    for (int k = 0; codes[k]; k++) {
        if (count_code(res, codes[k]) == 0) {
            dump(res);
            fail_msg("requirement %s missing", codes[k]);
        }
    }
}

/* Runs event from stage and asserts exactly one unmet: code for pid. */
static inline void only_unmet_fn(const char *event, const char *stage, json_t *s, const char *code,
                                 const char *pid, const char *words)
{
    int unmet;
    json_t *res = run(event, stage, s, &unmet);
    expect_only_unmet_fn(res, unmet, code, pid, words);
    json_decref(res);
}

static inline void all_met_fn(const char *event, const char *stage, json_t *s)
{
    int unmet;
    json_t *res = run(event, stage, s, &unmet);
    expect_all_met_fn(res, unmet);
    json_decref(res);
}

/* The boarding check of one person; checks the shape of each entry. */
static inline json_t *board(json_t *s, const char *pid, long long at, int *unmet)
{
    *unmet = -1;
    awda_journey_t j;
    typed_of(s, &j);
    json_t *res = awda_boarding_check(&j, pid, at, unmet);
    awda_journey_free(&j);
    assert_non_null(res);
    int n = 0;
    size_t i;
    json_t *r;
    json_array_foreach(res, i, r)
    {
        const char *p = json_string_value(json_object_get(r, "person_id"));
        if (p && strcmp(p, pid) != 0) {
            dump(r);
            fail_msg("the boarding check of %s lists another person", pid);
        }
        n += !json_is_true(json_object_get(r, "met"));
    }
    assert_int_equal(n, *unmet);
    return res;
}

/* Record the caller line for messages. */
#define expect_req(...)        (caller_line = __LINE__, expect_req_fn(__VA_ARGS__))
#define expect_only_unmet(...) (caller_line = __LINE__, expect_only_unmet_fn(__VA_ARGS__))
#define expect_all_met(...)    (caller_line = __LINE__, expect_all_met_fn(__VA_ARGS__))
#define only_unmet(...)        (caller_line = __LINE__, only_unmet_fn(__VA_ARGS__))
#define all_met(...)           (caller_line = __LINE__, all_met_fn(__VA_ARGS__))
#define expect_codes(...)      (caller_line = __LINE__, expect_codes_fn(__VA_ARGS__))

#endif
