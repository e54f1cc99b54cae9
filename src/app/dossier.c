/*
 * dossier.c — everything awda holds about one person, for an access
 * request (the person asks what is recorded about them) or a
 * correction.
 *
 * The dossier gathers, in one JSON document: the person's record (names,
 * date of birth, nationality, documents, contact, vulnerabilities); every
 * case they belong to, with their relationship in it; the journey records
 * of those cases that concern them (their consents, counselling, health,
 * travel documents...) and those of the case as a whole; after return,
 * their needs assessments, the monitoring visits of those cases and their
 * sustainability survey responses; the timeline of those cases; and the
 * access log — who read or changed the person or
 * their cases, when and from where.
 *
 * It goes through the same redaction as every other answer: medical and
 * protection detail appears only for roles that may see it (the needs,
 * findings and raw answers of reintegration as app_needs_redact and
 * app_followup_sees_detail allow), and
 * "withheld" says which classes were sealed, so the officer knows to ask
 * the medical or protection focal point for that part. Cases of offices
 * the user does not work for are left out; "has_cases_elsewhere" says
 * that there are some (not which), so a manager scoped to projects knows
 * the dossier is not complete and whom to ask. Producing a
 * dossier is itself audited (the router, http/router.c, audits every request, with the
 * person's id).
 */
#include "internal.h"
#include "followup.h"
#include "plans.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <string.h>

/* Audit records listed per person or case (newest first). */
#define DOSSIER_AUDIT_MAX 1000

static void add_access_log(store_conn_t *c, json_t *log, const char *entity_id)
{
    json_t *page = store_audit_list(c, entity_id, NULL, 0, DOSSIER_AUDIT_MAX);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(page, "items"), i, it)
    {
        json_object_del(it, "hash");
        json_array_append(log, it);
    }
    json_decref(page);
}

/* The rows of list (an array, stolen; NULL when it could not be read)
 * that are about person_id (every row when person_id is NULL), each
 * redacted for the actor: a new array. */
static json_t *about(const app_actor_t *a, json_t *list, const char *person_id,
                     json_t *(*redact)(const app_actor_t *, json_t *))
{
    json_t *out = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e)
    {
        const char *pid = json_string_value(json_object_get(e, "person_id"));
        if (!person_id || (pid && strcmp(pid, person_id) == 0))
            json_array_append(out, redact(a, e));
    }
    json_decref(list);
    return out;
}

/* The member entry of person_id in a case, or NULL (borrowed). */
static json_t *member_of(json_t *caze, const char *person_id)
{
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(caze, "members"), i, m)
    {
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        if (!pid)
            pid = json_string_value(json_object_get(json_object_get(m, "person"), "id"));
        if (pid && strcmp(pid, person_id) == 0)
            return m;
    }
    return NULL;
}

void app_person_dossier(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    json_t *person = app_find_person(c, a, id, r);
    if (!person)
        return;
    json_t *cases = json_array();
    json_t *log = json_array();
    add_access_log(c, log, id);
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(person, "cases"), i, cs)
    {
        const char *cid = json_string_value(json_object_get(cs, "id"));
        int64_t cpk = 0, opk = 0, ver = 0;
        if (!cid || store_case_find(c, cid, &cpk, &opk, &ver) != STORE_OK)
            continue;
        /* A case of an office the actor does not work for is not listed:
         * its existence is not revealed (as GET /cases/{id} answers). */
        if (!app_case_in_scope(c, a, cpk, opk))
            continue;
        json_t *caze = app_redact_case(a, store_case_get(c, cpk));
        json_t *records = json_array();
        json_t *all = store_record_list(c, cpk, NULL);
        size_t k;
        json_t *rec;
        json_array_foreach(all, k, rec)
        {
            const char *about = json_string_value(json_object_get(rec, "person_id"));
            if (!about || strcmp(about, id) == 0)
                json_array_append(records, app_redact_record(a, rec));
        }
        json_decref(all);
        json_t *m = member_of(caze, id);
        json_t *entry = json_pack(
            "{s:s,s:O,s:O,s:O,s:O,s:o,s:o}", "case_id", cid, "number",
            json_object_get(caze, "number") ? json_object_get(caze, "number") : json_null(),
            "office",
            json_object_get(caze, "office") ? json_object_get(caze, "office") : json_null(),
            "stage", json_object_get(caze, "stage") ? json_object_get(caze, "stage") : json_null(),
            "relationship",
            m && json_object_get(m, "relationship") ? json_object_get(m, "relationship")
                                                    : json_null(),
            "records", records, "events", store_event_list(c, cpk));
        /* After return: what reintegration and follow-up hold about them
         * (a visit is about the case, so every visit of the case). */
        json_object_set_new(entry, "needs_assessments",
                            about(a, store_needs_list(c, cpk), id, app_needs_redact));
        json_object_set_new(entry, "monitoring_visits",
                            about(a, store_visit_list(c, cpk), NULL, app_visit_redact));
        json_object_set_new(
            entry, "survey_responses",
            about(a, store_survey_response_list(c, cpk), id, app_survey_response_redact));
        json_object_set(entry, "case", caze);
        json_decref(caze);
        json_array_append_new(cases, entry);
        add_access_log(c, log, cid);
    }
    json_object_del(person, "cases");
    app_redact_person(a, person);
    /* A dossier limited to the user's scope says so: the rest is for
     * someone who works across offices. */
    json_t *elsewhere = json_incref(json_object_get(person, "has_cases_elsewhere"));
    json_object_del(person, "has_cases_elsewhere");
    unsigned visible = app_visible_sensitivity(a);
    json_t *withheld = json_array();
    if (!(visible & (1u << SENS_MEDICAL)))
        json_array_append_new(withheld, json_string("medical"));
    if (!(visible & (1u << SENS_PROTECTION)))
        json_array_append_new(withheld, json_string("protection"));
    if (!(visible & (1u << SENS_FINANCIAL)))
        json_array_append_new(withheld, json_string("financial"));
    char now[32];
    awda_iso_ms(awda_now_ms(), now);
    r->body = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "person_id", id, "generated_at", now,
                        "generated_by", a->system ? "system" : a->p.username, "person", person,
                        "cases", cases, "access_log", log, "withheld", withheld,
                        "has_cases_elsewhere", elsewhere ? elsewhere : json_false());
    r->code = APP_OK;
}
