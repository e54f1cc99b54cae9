/*
 * test_records.c — the records of the return journey (src/core/records.c).
 *
 * Everything staff record about a case before departure — counselling,
 * consent, reconfirmation, eligibility, approvals, procedures, travel
 * documents, health assessments, the child-protection steps, escorts,
 * protection officers, risk assessments — is a record of a kind with its own
 * field table, and a permission saying who records it. These tests check:
 *
 *   - awda_record_kind finds every kind with the permission the spec gives
 *     it (and nothing for an unknown kind);
 *   - each kind validates a realistic example with no problem and reports a
 *     bad one at the exact field path ("topics[1]", "needs[1]", ...);
 *   - awda_redact seals medical detail from everyone without the medical
 *     bit and child-protection / trafficking detail from everyone without
 *     the protection bit, leaves null and absent fields alone, and which
 *     fields are sealed at all;
 *   - the restriction table (AWDA_RESTRICTION) and its rule that a
 *     restriction cannot end before it starts;
 *   - the typed records the journey's requirements read: the enum of
 *     record_kinds.def names the kinds of the table in its order; a value
 *     outside its list reads as absent, a text is cut to its room; an
 *     unknown kind is not added, and a list stops at
 *     AWDA_CASE_RECORDS_MAX.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/journey.h"
#include "../../src/util/limits.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PID "0190a6f2-0000-7000-8000-00000000000a"
#define RID "0190a6f2-0000-7000-8000-0000000000e1"

static json_t *load(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v)
        fail_msg("bad test JSON: %s (line %d): %s", err.text, err.line, text);
    return v;
}

static void dump(const json_t *v)
{
    char *s = json_dumps(v, JSON_INDENT(1));
    if (s) {
        print_message("%s\n", s);
        free(s);
    }
}

static const awda_entity_t *kind(const char *name)
{
    const awda_entity_t *e = awda_record_kind(name, NULL);
    if (!e)
        fail_msg("no record kind %s", name);
    return e;
}

/* Validates obj against e; returns the problems (caller decrefs). */
static json_t *validate(const awda_entity_t *e, const json_t *obj)
{
    json_t *errors = json_array();
    int n = awda_validate(e, obj, "", errors);
    assert_int_equal(n, (int)json_array_size(errors));
    return errors;
}

static const char *message_at(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return json_string_value(json_object_get(e, "message"));
    }
    return NULL;
}

/* Asserts exactly count problems, one of them at field with words. */
static void expect_problems(const awda_entity_t *e, const json_t *obj, int count, const char *field,
                            const char *words)
{
    json_t *errors = validate(e, obj);
    if ((int)json_array_size(errors) != count) {
        dump(errors);
        fail_msg("%s: expected %d problem(s), got %zu", e->name, count, json_array_size(errors));
    }
    if (field) {
        const char *m = message_at(errors, field);
        if (!m) {
            dump(errors);
            fail_msg("%s: no problem at %s", e->name, field);
        }
        if (words && !strstr(m, words)) {
            dump(errors);
            fail_msg("%s: problem at %s is \"%s\", expected \"%s\"", e->name, field, m, words);
        }
    }
    json_decref(errors);
}

/* ---- the kinds and who records them ------------------------------------ */

static const struct {
    const char *name;
    awda_rec_perm_t perm;
} KINDS[] = {
    {"counselling", REC_COUNSEL},
    {"consent", REC_COUNSEL},
    {"reconfirmation", REC_COUNSEL},
    {"eligibility", REC_SUPERVISE},
    {"restriction_approval", REC_SUPERVISE},
    {"procedure", REC_OPERATIONS},
    {"travel_document", REC_OPERATIONS},
    {"health_assessment", REC_MEDICAL},
    {"guardian", REC_PROTECTION},
    {"best_interests_assessment", REC_PROTECTION},
    {"best_interests_determination", REC_PROTECTION},
    {"child_views", REC_PROTECTION},
    {"family_assessment", REC_PROTECTION},
    {"escort", REC_OPERATIONS},
    {"protection_officer", REC_PROTECTION},
    {"risk_assessment", REC_PROTECTION},
    {"consent_withdrawal", REC_REFER},
    {"referral", REC_REFER},
};
#define NKINDS (sizeof KINDS / sizeof KINDS[0])

static void test_every_kind_with_its_permission(void **state)
{
    (void)state;
    assert_int_equal(awda_record_kind_count(), NKINDS);
    for (size_t i = 0; i < NKINDS; i++) {
        awda_rec_perm_t perm = (awda_rec_perm_t)-1;
        const awda_entity_t *e = awda_record_kind(KINDS[i].name, &perm);
        if (!e)
            fail_msg("kind %s not found", KINDS[i].name);
        assert_string_equal(e->name, KINDS[i].name);
        if (perm != KINDS[i].perm)
            fail_msg("kind %s is recorded with the wrong permission (%d)", KINDS[i].name,
                     (int)perm);
        assert_true(e->title && *e->title);
        assert_true(e->nfields > 0);
        /* Without a place for the permission. */
        assert_ptr_equal(awda_record_kind(KINDS[i].name, NULL), e);
        /* In table order. */
        assert_ptr_equal(awda_record_kind_at(i), e);
    }
    assert_null(awda_record_kind_at(NKINDS));
    assert_null(awda_record_kind_at((size_t)-1));
}

static void test_unknown_kind(void **state)
{
    (void)state;
    awda_rec_perm_t perm = REC_MEDICAL;
    assert_null(awda_record_kind("diary", &perm));
    assert_int_equal(perm, REC_MEDICAL); /* untouched */
    assert_null(awda_record_kind("", &perm));
    assert_null(awda_record_kind("Consent", &perm));
    assert_null(awda_record_kind("restriction", &perm)); /* not a record */
    assert_null(awda_record_kind(NULL, &perm));
    assert_int_equal(perm, REC_MEDICAL);
}

static void test_personal_kinds_need_a_person(void **state)
{
    (void)state;
    static const char *const CASE_LEVEL[] = {"counselling", "eligibility", "restriction_approval",
                                             "procedure", NULL};
    for (size_t i = 0; i < NKINDS; i++) {
        const awda_entity_t *e = kind(KINDS[i].name);
        const awda_field_t *f = awda_field_find(e, "person_id");
        if (awda_value_index(CASE_LEVEL, KINDS[i].name) >= 0) {
            assert_null(f);
            continue;
        }
        if (!f)
            fail_msg("%s has no person_id", KINDS[i].name);
        assert_int_equal(f->type, FT_UUID);
        assert_true(f->flags & F_REQUIRED);
    }
}

/* ---- validation of each kind ------------------------------------------- */

static const struct {
    const char *kind;
    const char *valid;   /* a complete, realistic record */
    const char *invalid; /* one problem */
    const char *field;   /* its path */
    const char *words;   /* in its message */
} EXAMPLES[] = {
    {"counselling",
     "{\"date\": \"2026-03-01\", \"counsellor\": \"N. Kone\", \"language\": [\"fr\", \"bm\"],"
     " \"interpreter\": true, \"topics\": [\"return_process\", \"origin_situation\","
     " \"reintegration_options\", \"rights_and_withdrawal\"], \"notes\": \"first session\"}",
     "{\"date\": \"2026-03-01\", \"counsellor\": \"N. Kone\", \"language\": [\"fr\"],"
     " \"interpreter\": false, \"topics\": [\"return_process\", \"holidays\"]}",
     "topics[1]", "must be among"},
    {"consent",
     "{\"person_id\": \"" PID "\", \"purpose\": \"return\", \"given_by\": \"guardian\","
     " \"guardian_name\": \"Awa Traore\", \"child_views\": \"wants to go home\","
     " \"notice_version\": \"2026-01\", \"method\": \"oral_with_witness\","
     " \"witness\": \"S. Coulibaly\", \"interview_date\": \"2026-03-10\","
     " \"language\": [\"bam\"], \"interpreter\": true, \"evidence_ref\": \"CF-2026-0012\"}",
     "{\"person_id\": \"" PID "\", \"purpose\": \"return\", \"given_by\": \"self\","
     " \"notice_version\": \"2026-01\", \"method\": \"email\", \"interview_date\": \"2026-03-10\","
     " \"language\": [\"fr\"], \"interpreter\": false, \"evidence_ref\": \"CF-2026-0012\"}",
     "method", "signed_form, oral_with_witness"},
    {"reconfirmation",
     "{\"person_id\": \"" PID "\", \"at\": \"2026-05-30T12:00Z\", \"method\": \"phone\","
     " \"notes\": null}",
     "{\"person_id\": \"" PID "\", \"at\": \"2026-05-30 at noon\", \"method\": \"phone\"}", "at",
     "YYYY-MM-DDTHH:MMZ"},
    {"eligibility", "{\"decision\": \"eligible\", \"reason\": \"meets the programme criteria\"}",
     "{\"decision\": \"maybe\", \"reason\": \"unsure\"}", "decision", "eligible, ineligible"},
    {"restriction_approval",
     "{\"restriction_id\": \"" RID "\", \"justification\": \"family reunification in Bamako\"}",
     "{\"restriction_id\": \"" RID "\", \"justification\": \"too short\"}", "justification",
     "at least 10 characters"},
    {"procedure",
     "{\"type\": \"exit_visa\", \"status\": \"done\", \"requested_on\": \"2026-04-01\","
     " \"done_on\": \"2026-04-20\", \"notes\": null}",
     "{\"type\": \"exit_visa\", \"status\": \"pending\"}", "status", "requested, done, not_needed"},
    {"travel_document",
     "{\"person_id\": \"" PID "\", \"type\": \"laissez_passer\", \"consulate\": \"Mali, Cairo\","
     " \"status\": \"issued\", \"requested_on\": \"2026-04-01\", \"interview_on\": \"2026-04-08\","
     " \"issued_on\": \"2026-04-15\", \"number\": \"LP-0042\", \"expiry\": \"2026-10-15\"}",
     "{\"person_id\": \"" PID "\", \"type\": \"visa\", \"status\": \"requested\"}", "type",
     "passport, laissez_passer, emergency_travel_document"},
    {"health_assessment",
     "{\"person_id\": \"" PID
     "\", \"result\": \"temporarily_unfit\", \"at\": \"2026-05-20T09:00Z\","
     " \"assessor\": \"Dr Sow\", \"pre_embarkation\": false, \"needs\": [\"medical_escort\","
     " \"wheelchair\"], \"diagnosis\": \"fracture\", \"clinical_notes\": \"cast until June\","
     " \"stabilisation_plan\": \"review in two weeks\"}",
     "{\"person_id\": \"" PID "\", \"result\": \"fit\", \"at\": \"2026-05-20T09:00Z\","
     " \"assessor\": \"Dr Sow\", \"pre_embarkation\": true, \"needs\": [\"wheelchair\","
     " \"jetpack\"]}",
     "needs[1]", "must be among"},
    {"guardian",
     "{\"person_id\": \"" PID "\", \"name\": \"Awa Traore\", \"relation\": \"aunt\","
     " \"organisation\": null}",
     "{\"person_id\": \"" PID "\", \"name\": \"Awa Traore\"}", "relation", "is required"},
    {"best_interests_assessment",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-04-01\", \"by\": \"K. Diarra\","
     " \"summary\": \"settled, attends school\"}",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-02-30\", \"by\": \"K. Diarra\"}", "date",
     "this date does not exist"},
    {"best_interests_determination",
     "{\"person_id\": \"" PID "\", \"decision\": \"return_not_in_best_interests\","
     " \"date\": \"2026-04-10\", \"by\": \"BID panel\", \"reasons\": \"no family traced\"}",
     "{\"person_id\": \"" PID "\", \"decision\": \"yes\", \"date\": \"2026-04-10\","
     " \"by\": \"BID panel\"}",
     "decision", "return_in_best_interests"},
    {"child_views",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-04-02\","
     " \"views\": \"wants to live with her grandmother\\nin Kayes\"}",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-04-02\", \"views\": \"\"}", "views",
     "must not be empty"},
    {"family_assessment",
     "{\"person_id\": \"" PID "\", \"office\": \"ML-BKO\", \"date\": \"2026-04-05\","
     " \"outcome\": \"family_traced_and_willing\", \"notes\": \"grandmother visited\"}",
     "{\"person_id\": \"" PID "\", \"office\": \"BKO\", \"date\": \"2026-04-05\","
     " \"outcome\": \"family_not_found\"}",
     "office", "at least 6 characters"},
    {"escort",
     "{\"person_id\": \"" PID
     "\", \"escort_type\": \"child_protection\", \"name\": \"S. Coulibaly\"}",
     "{\"person_id\": \"" PID "\", \"escort_type\": \"pilot\", \"name\": \"S. Coulibaly\"}",
     "escort_type", "medical, operational, child_protection"},
    {"protection_officer", "{\"person_id\": \"" PID "\", \"username\": \"h.sidibe\"}",
     "{\"person_id\": \"" PID "\", \"username\": \"h\"}", "username", "at least 2 characters"},
    {"risk_assessment",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-04-01\", \"level\": \"high\","
     " \"summary\": \"recruiter active in home village\"}",
     "{\"person_id\": \"" PID "\", \"date\": \"2026-04-01\", \"level\": \"extreme\"}", "level",
     "low, medium, high"},
    {"consent_withdrawal",
     "{\"person_id\": \"" PID "\", \"purpose\": \"data_sharing\", \"recipient\": \"Caritas\","
     " \"date\": \"2026-05-02\", \"notes\": \"by phone\"}",
     "{\"person_id\": \"" PID "\", \"purpose\": \"return\", \"recipient\": \"Caritas\","
     " \"date\": \"2026-05-02\"}",
     "purpose", "data_sharing, medical_data_sharing"},
    /* the partner is a partner organisation's id (app/partners.c) */
    {"referral",
     "{\"person_id\": \"" PID "\", \"partner\": \"" PID "\", \"service\": \"livelihood\","
     " \"date\": \"2026-05-02\", \"notes\": \"tailoring course\"}",
     "{\"person_id\": \"" PID "\", \"partner\": \"" PID "\", \"service\": \"spa\","
     " \"date\": \"2026-05-02\"}",
     "service", "livelihood"},
};
#define NEXAMPLES (sizeof EXAMPLES / sizeof EXAMPLES[0])

/* The valid example of kind. */
static const char *example(const char *name)
{
    for (size_t i = 0; i < NEXAMPLES; i++)
        if (strcmp(EXAMPLES[i].kind, name) == 0)
            return EXAMPLES[i].valid;
    fail_msg("no example of %s", name);
    return NULL;
}

static void test_each_kind_valid_example(void **state)
{
    (void)state;
    assert_int_equal(NEXAMPLES, NKINDS);
    for (size_t i = 0; i < NEXAMPLES; i++) {
        json_t *obj = load(EXAMPLES[i].valid);
        expect_problems(kind(EXAMPLES[i].kind), obj, 0, NULL, NULL);
        json_decref(obj);
    }
}

static void test_each_kind_invalid_example(void **state)
{
    (void)state;
    for (size_t i = 0; i < NEXAMPLES; i++) {
        json_t *obj = load(EXAMPLES[i].invalid);
        expect_problems(kind(EXAMPLES[i].kind), obj, 1, EXAMPLES[i].field, EXAMPLES[i].words);
        json_decref(obj);
    }
}

static void test_each_kind_rejects_unknown_and_empty(void **state)
{
    (void)state;
    for (size_t i = 0; i < NEXAMPLES; i++) {
        const awda_entity_t *e = kind(EXAMPLES[i].kind);
        json_t *obj = load(EXAMPLES[i].valid);
        json_object_set_new(obj, "colour", json_string("blue"));
        expect_problems(e, obj, 1, "colour", "this field is not known");
        json_decref(obj);

        /* An empty body: every required field is reported at once. */
        int required = 0;
        for (size_t k = 0; k < e->nfields; k++)
            required += (e->fields[k].flags & F_REQUIRED) != 0;
        assert_true(required > 0);
        obj = json_object();
        json_t *errors = validate(e, obj);
        assert_int_equal((int)json_array_size(errors), required);
        for (size_t k = 0; k < e->nfields; k++)
            if (e->fields[k].flags & F_REQUIRED) {
                const char *m = message_at(errors, e->fields[k].name);
                if (!m || !strstr(m, "is required"))
                    fail_msg("%s: %s should be required", e->name, e->fields[k].name);
            }
        json_decref(errors);
        json_decref(obj);
    }
}

static void test_person_id_checked(void **state)
{
    (void)state;
    json_t *obj = load("{\"person_id\": \"abc\", \"at\": \"2026-05-30T12:00Z\","
                       " \"method\": \"video\"}");
    expect_problems(kind("reconfirmation"), obj, 1, "person_id", "not a valid identifier");
    json_object_del(obj, "person_id");
    expect_problems(kind("reconfirmation"), obj, 1, "person_id", "the person is required");
    json_decref(obj);
}

static void test_counselling_fields(void **state)
{
    (void)state;
    const awda_entity_t *e = kind("counselling");
    json_t *obj = load("{\"date\": \"2026-03-01\", \"counsellor\": \"N. Kone\","
                       " \"language\": [\"fr\", \"ar\", \"en\", \"bm\"], \"interpreter\": \"no\","
                       " \"topics\": [\"return_process\", \"return_process\"]}");
    json_t *errors = validate(e, obj);
    assert_int_equal(json_array_size(errors), 3);
    assert_non_null(strstr(message_at(errors, "language"), "at most 3"));
    assert_non_null(strstr(message_at(errors, "interpreter"), "true or false"));
    assert_non_null(strstr(message_at(errors, "topics[1]"), "twice"));
    json_decref(errors);
    json_object_set_new(obj, "topics", json_array());
    json_object_set_new(obj, "language", load("[\"fr\"]"));
    json_object_set_new(obj, "interpreter", json_true());
    expect_problems(e, obj, 1, "topics", "at least 1");
    json_decref(obj);
}

static void test_consent_server_fields_ignored(void **state)
{
    (void)state;
    /* withdrawn_at is written by the server when consent is withdrawn. */
    json_t *obj = load(example("consent"));
    json_object_set_new(obj, "withdrawn_at", json_string("whenever"));
    expect_problems(kind("consent"), obj, 0, NULL, NULL);
    /* Data sharing purposes are among the values. */
    json_object_set_new(obj, "purpose", json_string("medical_data_sharing"));
    json_object_set_new(obj, "recipient", json_string("Hospital of Kati"));
    expect_problems(kind("consent"), obj, 0, NULL, NULL);
    json_object_set_new(obj, "given_by", json_string("parent"));
    expect_problems(kind("consent"), obj, 1, "given_by", "self, guardian");
    json_decref(obj);
}

static void test_health_fields(void **state)
{
    (void)state;
    const awda_entity_t *e = kind("health_assessment");
    json_t *obj = load("{\"person_id\": \"" PID "\", \"result\": \"healthy\","
                       " \"at\": \"2026-05-20\", \"assessor\": \"Dr Sow\","
                       " \"pre_embarkation\": \"yes\"}");
    json_t *errors = validate(e, obj);
    assert_int_equal(json_array_size(errors), 2);
    assert_non_null(
        strstr(message_at(errors, "result"), "fit, fit_with_conditions, temporarily_unfit, unfit"));
    assert_non_null(message_at(errors, "pre_embarkation"));
    json_decref(errors);
    json_decref(obj);
}

/* ---- redaction --------------------------------------------------------- */

#define STAFF  (1u << SENS_NONE | 1u << SENS_IDENTITY | 1u << SENS_CONTACT)
#define SEALED "[sealed]"

static void expect_str(const json_t *obj, const char *key, const char *value)
{
    const char *v = json_string_value(json_object_get(obj, key));
    if (!v || strcmp(v, value) != 0) {
        dump(obj);
        fail_msg("%s should be \"%s\"", key, value);
    }
}

static void test_redact_medical(void **state)
{
    (void)state;
    const awda_entity_t *e = kind("health_assessment");
    json_t *orig = load(example("health_assessment"));

    /* Case staff, protection: no medical bit. */
    const unsigned WITHOUT[] = {0, STAFF, STAFF | 1u << SENS_PROTECTION,
                                ~0u & ~(1u << SENS_MEDICAL)};
    for (size_t i = 0; i < sizeof WITHOUT / sizeof WITHOUT[0]; i++) {
        json_t *obj = json_deep_copy(orig);
        awda_redact(e, obj, WITHOUT[i]);
        expect_str(obj, "diagnosis", SEALED);
        expect_str(obj, "clinical_notes", SEALED);
        expect_str(obj, "stabilisation_plan", SEALED);
        /* What operations need to plan the journey stays visible. */
        expect_str(obj, "result", "temporarily_unfit");
        expect_str(obj, "assessor", "Dr Sow");
        expect_str(obj, "person_id", PID);
        assert_true(json_is_false(json_object_get(obj, "pre_embarkation")));
        assert_true(json_equal(json_object_get(obj, "needs"), json_object_get(orig, "needs")));
        json_decref(obj);
    }

    /* The medical role sees everything. */
    json_t *obj = json_deep_copy(orig);
    awda_redact(e, obj, STAFF | 1u << SENS_MEDICAL);
    assert_true(json_equal(obj, orig));
    json_decref(obj);

    /* Null stays null; absent stays absent. */
    obj = json_deep_copy(orig);
    json_object_set_new(obj, "diagnosis", json_null());
    json_object_del(obj, "clinical_notes");
    awda_redact(e, obj, STAFF);
    assert_true(json_is_null(json_object_get(obj, "diagnosis")));
    assert_null(json_object_get(obj, "clinical_notes"));
    expect_str(obj, "stabilisation_plan", SEALED);
    json_decref(obj);
    json_decref(orig);
}

static void test_redact_protection(void **state)
{
    (void)state;
    const awda_entity_t *consent = kind("consent");
    json_t *orig = load(example("consent"));
    const unsigned WITHOUT[] = {STAFF, STAFF | 1u << SENS_MEDICAL, ~0u & ~(1u << SENS_PROTECTION)};
    for (size_t i = 0; i < sizeof WITHOUT / sizeof WITHOUT[0]; i++) {
        json_t *obj = json_deep_copy(orig);
        awda_redact(consent, obj, WITHOUT[i]);
        expect_str(obj, "guardian_name", SEALED);
        expect_str(obj, "child_views", SEALED);
        expect_str(obj, "given_by", "guardian");
        expect_str(obj, "witness", "S. Coulibaly");
        expect_str(obj, "evidence_ref", "CF-2026-0012");
        json_decref(obj);
    }
    json_t *obj = json_deep_copy(orig);
    awda_redact(consent, obj, STAFF | 1u << SENS_PROTECTION);
    assert_true(json_equal(obj, orig));
    json_decref(obj);
    /* A consent given by the person: nothing to seal. */
    obj = json_deep_copy(orig);
    json_object_set_new(obj, "guardian_name", json_null());
    json_object_del(obj, "child_views");
    awda_redact(consent, obj, STAFF);
    assert_true(json_is_null(json_object_get(obj, "guardian_name")));
    assert_null(json_object_get(obj, "child_views"));
    json_decref(obj);
    json_decref(orig);

    /* The guardian and the other protection records. */
    static const struct {
        const char *kind;
        const char *sealed, *kept;
    } P[] = {
        {"guardian", "name", "person_id"},
        {"guardian", "relation", "person_id"},
        {"best_interests_assessment", "summary", "by"},
        {"best_interests_determination", "reasons", "decision"},
        {"child_views", "views", "date"},
        {"family_assessment", "notes", "outcome"},
        {"risk_assessment", "summary", "level"},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        const awda_entity_t *e = kind(P[i].kind);
        json_t *o = load(example(P[i].kind));
        const char *kept = json_string_value(json_object_get(o, P[i].kept));
        char *keep = strdup(kept);
        awda_redact(e, o, STAFF | 1u << SENS_MEDICAL);
        expect_str(o, P[i].sealed, SEALED);
        expect_str(o, P[i].kept, keep);
        json_decref(o);
        o = load(example(P[i].kind));
        json_t *copy = json_deep_copy(o);
        awda_redact(e, o, STAFF | 1u << SENS_PROTECTION);
        assert_true(json_equal(o, copy));
        json_decref(copy);
        json_decref(o);
        free(keep);
    }
}

static void test_redact_leaves_plain_fields(void **state)
{
    (void)state;
    /* Counselling and reconfirmation notes are not sensitive. */
    static const char *const PLAIN[] = {
        "counselling", "reconfirmation", "eligibility", "restriction_approval",
        "procedure",   "escort",         NULL};
    for (size_t i = 0; PLAIN[i]; i++) {
        const awda_entity_t *e = kind(PLAIN[i]);
        json_t *o = load(example(PLAIN[i]));
        json_t *copy = json_deep_copy(o);
        awda_redact(e, o, 1u << SENS_NONE);
        if (!json_equal(o, copy)) {
            dump(o);
            fail_msg("%s should have nothing to seal", e->name);
        }
        json_decref(copy);
        json_decref(o);
    }
    /* Travel document numbers are identity data: seen by case staff, sealed
     * only for someone without the identity bit. */
    const awda_entity_t *td = kind("travel_document");
    json_t *o = load(example("travel_document"));
    json_t *copy = json_deep_copy(o);
    awda_redact(td, o, STAFF);
    assert_true(json_equal(o, copy));
    awda_redact(td, o, 1u << SENS_NONE);
    expect_str(o, "number", SEALED);
    expect_str(o, "expiry", SEALED);
    expect_str(o, "status", "issued");
    json_decref(copy);
    json_decref(o);
}

/* Exactly these fields are medical or protection data. */
static void test_sensitive_fields_are_exactly(void **state)
{
    (void)state;
    static const char *const MEDICAL[] = {"health_assessment.diagnosis",
                                          "health_assessment.clinical_notes",
                                          "health_assessment.stabilisation_plan", NULL};
    static const char *const PROTECTION[] = {"consent.guardian_name",
                                             "consent.child_views",
                                             "guardian.name",
                                             "guardian.relation",
                                             "guardian.organisation",
                                             "best_interests_assessment.summary",
                                             "best_interests_determination.reasons",
                                             "child_views.views",
                                             "family_assessment.notes",
                                             "risk_assessment.summary",
                                             NULL};
    int medical = 0, protection = 0;
    for (size_t i = 0; i < awda_record_kind_count(); i++) {
        const awda_entity_t *e = awda_record_kind_at(i);
        for (size_t k = 0; k < e->nfields; k++) {
            const awda_field_t *f = &e->fields[k];
            char name[128];
            snprintf(name, sizeof name, "%s.%s", e->name, f->name);
            int is_med = awda_value_index(MEDICAL, name) >= 0;
            int is_prot = awda_value_index(PROTECTION, name) >= 0;
            if ((f->sens == SENS_MEDICAL) != is_med)
                fail_msg("%s: medical sensitivity is %s", name, is_med ? "missing" : "unexpected");
            if ((f->sens == SENS_PROTECTION) != is_prot)
                fail_msg("%s: protection sensitivity is %s", name,
                         is_prot ? "missing" : "unexpected");
            medical += is_med;
            protection += is_prot;

            /* And redaction follows the table for every field. */
            json_t *obj = json_pack("{s:s}", f->name, "value");
            awda_redact(e, obj, STAFF);
            int sealed = strcmp(json_string_value(json_object_get(obj, f->name)), SEALED) == 0;
            int want = f->sens != SENS_NONE && f->sens != SENS_IDENTITY && f->sens != SENS_CONTACT;
            if (sealed != want)
                fail_msg("%s should %sbe sealed for case staff", name, want ? "" : "not ");
            json_decref(obj);
            obj = json_pack("{s:s}", f->name, "value");
            awda_redact(e, obj, ~0u);
            expect_str(obj, f->name, "value");
            json_decref(obj);
        }
    }
    assert_int_equal(medical, 3);
    assert_int_equal(protection, 10);
}

/* ---- restrictions -------------------------------------------------------- */

static json_t *restriction(void)
{
    return load("{\"country\": \"MLI\", \"admin_area\": \"Kidal\", \"kind\": \"suspended\","
                " \"effective_from\": \"2026-01-01\", \"effective_until\": null,"
                " \"reason\": \"armed conflict\", \"next_review\": \"2026-12-01\"}");
}

static void test_restriction_valid(void **state)
{
    (void)state;
    json_t *r = restriction();
    expect_problems(&AWDA_RESTRICTION, r, 0, NULL, NULL);
    json_object_set_new(r, "admin_area", json_null());
    json_object_set_new(r, "kind", json_string("approval_required"));
    json_object_set_new(r, "effective_until", json_string("2026-06-30"));
    expect_problems(&AWDA_RESTRICTION, r, 0, NULL, NULL);
    /* A single day. */
    json_object_set_new(r, "effective_until", json_string("2026-01-01"));
    expect_problems(&AWDA_RESTRICTION, r, 0, NULL, NULL);
    /* Server-owned fields are ignored. */
    json_object_set_new(r, "id", json_string("not-an-id"));
    json_object_set_new(r, "version", json_string("seven"));
    json_object_set_new(r, "history", json_array());
    json_object_set_new(r, "created_at", json_true());
    json_object_set_new(r, "updated_at", json_integer(3));
    expect_problems(&AWDA_RESTRICTION, r, 0, NULL, NULL);
    json_decref(r);
}

static void test_restriction_until_before_from(void **state)
{
    (void)state;
    json_t *r = restriction();
    json_object_set_new(r, "effective_until", json_string("2025-12-31"));
    expect_problems(&AWDA_RESTRICTION, r, 1, "effective_until",
                    "the end date is before the start date");
    /* A bad date is reported once, in its own words, not also as "before". */
    json_object_set_new(r, "effective_until", json_string("2025-13-01"));
    expect_problems(&AWDA_RESTRICTION, r, 1, "effective_until", "there is no month 13");
    json_object_set_new(r, "effective_until", json_string("2025-12-31"));
    json_object_set_new(r, "effective_from", json_string("2026-02-30"));
    expect_problems(&AWDA_RESTRICTION, r, 1, "effective_from", "February 2026 has 28 days");
    json_object_del(r, "effective_from");
    expect_problems(&AWDA_RESTRICTION, r, 1, "effective_from", "is required");
    json_decref(r);
}

static void test_restriction_fields(void **state)
{
    (void)state;
    json_t *r = restriction();
    json_object_set_new(r, "kind", json_string("banned"));
    expect_problems(&AWDA_RESTRICTION, r, 1, "kind", "suspended, approval_required");
    json_decref(r);

    r = restriction();
    json_object_set_new(r, "country", json_string("Mali"));
    expect_problems(&AWDA_RESTRICTION, r, 1, "country", "three-letter country code");
    json_decref(r);

    r = restriction();
    json_object_set_new(r, "admin_area", json_string(""));
    expect_problems(&AWDA_RESTRICTION, r, 1, "admin_area", "must not be empty");
    json_decref(r);

    r = json_object();
    json_t *errors = validate(&AWDA_RESTRICTION, r);
    assert_int_equal(json_array_size(errors), 5);
    static const char *const REQUIRED[] = {"country", "kind", "effective_from", "reason",
                                           "next_review"};
    for (size_t i = 0; i < 5; i++)
        assert_non_null(strstr(message_at(errors, REQUIRED[i]), "is required"));
    json_decref(errors);
    json_decref(r);
}

static void test_typed_kinds_follow_the_table(void **state)
{
    (void)state;
    assert_int_equal(awda_record_kind_count(), AWDA_RK_COUNT);
    for (size_t i = 0; i < AWDA_RK_COUNT; i++)
        assert_string_equal(awda_rec_kind_name((awda_rec_kind_t)i), awda_record_kind_at(i)->name);
    assert_string_equal(awda_rec_kind_name(AWDA_RK_CONSENT), "consent");
    assert_string_equal(awda_rec_kind_name(AWDA_RK_HEALTH_ASSESSMENT), "health_assessment");
    assert_null(awda_rec_kind_name(AWDA_RK_COUNT));
}

static void test_typed_values(void **state)
{
    (void)state;
    awda_record_t r;
    char reason[1000];
    memset(reason, 'x', sizeof reason - 1);
    reason[sizeof reason - 1] = 0;
    json_t *d = json_pack("{s:s,s:s}", "decision", "maybe", "reason", reason);
    awda_record_fill(&r, AWDA_RK_ELIGIBILITY, "rec-1", NULL, d);
    assert_null(r.v.eligibility.decision); /* not a value of the list */
    assert_int_equal(strlen(r.v.eligibility.reason), AWDA_RECORD_TEXT_MAX - 1);
    assert_string_equal(r.person_id, "");
    json_decref(d);
    d = json_pack("{s:s,s:s}", "result", "fit", "at", "not a time");
    awda_record_fill(&r, AWDA_RK_HEALTH_ASSESSMENT, "rec-2", "p-1", d);
    assert_string_equal(r.v.health.result, "fit");
    assert_int_equal(r.v.health.at, -1);
    assert_false(r.v.health.pre_embarkation);
    assert_false(r.v.health.medical_escort);
    json_decref(d);
    awda_record_fill(&r, AWDA_RK_CONSENT, "rec-3", "p-1", NULL); /* no data at all */
    assert_null(r.v.consent.purpose);
    assert_false(r.v.consent.child_views);
}

static void test_typed_list_bounds(void **state)
{
    (void)state;
    awda_records_t rs = {0};
    assert_int_equal(awda_records_add(&rs, "r", "no_such_kind", NULL, NULL), -1);
    assert_int_equal(awda_records_add(&rs, "r", NULL, NULL, NULL), -1);
    assert_int_equal(rs.n, 0);
    json_t *d = json_pack("{s:s}", "purpose", "return");
    for (size_t i = 0; i < AWDA_CASE_RECORDS_MAX; i++)
        assert_int_equal(awda_records_add(&rs, "r", "consent", "p", d), 0);
    assert_int_equal(rs.n, AWDA_CASE_RECORDS_MAX);
    assert_int_equal(awda_records_add(&rs, "r", "consent", "p", d), -2);
    assert_int_equal(rs.n, AWDA_CASE_RECORDS_MAX);
    assert_string_equal(rs.items[AWDA_CASE_RECORDS_MAX - 1].v.consent.purpose, "return");
    json_decref(d);
    awda_records_free(&rs);
    assert_int_equal(rs.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_kind_with_its_permission),
        cmocka_unit_test(test_unknown_kind),
        cmocka_unit_test(test_personal_kinds_need_a_person),
        cmocka_unit_test(test_each_kind_valid_example),
        cmocka_unit_test(test_each_kind_invalid_example),
        cmocka_unit_test(test_each_kind_rejects_unknown_and_empty),
        cmocka_unit_test(test_person_id_checked),
        cmocka_unit_test(test_counselling_fields),
        cmocka_unit_test(test_consent_server_fields_ignored),
        cmocka_unit_test(test_health_fields),
        cmocka_unit_test(test_redact_medical),
        cmocka_unit_test(test_redact_protection),
        cmocka_unit_test(test_redact_leaves_plain_fields),
        cmocka_unit_test(test_sensitive_fields_are_exactly),
        cmocka_unit_test(test_restriction_valid),
        cmocka_unit_test(test_restriction_until_before_from),
        cmocka_unit_test(test_restriction_fields),
        cmocka_unit_test(test_typed_kinds_follow_the_table),
        cmocka_unit_test(test_typed_values),
        cmocka_unit_test(test_typed_list_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
