/*
 * records.c — the records of the return journey, one field table each.
 *
 * Everything a case worker, counsellor, medical officer, operations or
 * protection officer records about a case before departure is a *record*
 * of a kind: a counselling session, a consent, a reconfirmation, an
 * eligibility decision, a government procedure, a travel-document step, a
 * health assessment, a guardian, a best-interests assessment or
 * determination, the child's views, a family assessment, an escort, a
 * protection officer, a risk assessment, an approval to return despite a
 * restriction. Records are append-only: a later record of the same kind
 * (for the same person, or procedure type) supersedes an earlier one, and
 * the history stays. The journey's guards (journey.c) read them.
 *
 * Each kind says which permission records it (authz.c decides who holds
 * it), and each field its sensitivity: clinical detail is SENS_MEDICAL and
 * child-protection or trafficking detail SENS_PROTECTION, which only the
 * medical and protection roles see (awda_redact).
 *
 * The journey's requirements read records typed (awda_record_t): the
 * kind's values that a requirement weighs are taken from the stored data
 * once, by awda_record_fill, at the end of this file; a value of a list
 * becomes the list's own constant string.
 */
#include "journey.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A row of a field table may stop after its check function: the members
 * that follow (required_when, source) are NULL unless a row gives them. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#define PERSON                                                                                     \
    {                                                                                              \
        "person_id", FT_UUID, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "record.person_id",   \
            "the person", NULL                                                                     \
    }
#define NOTES(sens)                                                                                \
    {                                                                                              \
        "notes", FT_TEXT, F_NULLABLE, 0, 4000, NULL, NULL, sens, NULL, "record.notes",             \
            "the notes", NULL                                                                      \
    }

static const char *const TOPICS[] = {"return_process", "origin_situation", "reintegration_options",
                                     "rights_and_withdrawal", NULL};
const char *const AWDA_COUNSELLING_TOPICS[] = {
    "return_process", "origin_situation", "reintegration_options", "rights_and_withdrawal", NULL};
static const char *const PURPOSES[] = {"return", "data_sharing", "medical_data_sharing", NULL};
static const char *const GIVEN_BY[] = {"self", "guardian", NULL};
static const char *const METHODS[] = {"signed_form", "oral_with_witness", NULL};
static const char *const RECONFIRM_METHODS[] = {"in_person", "phone", "video", NULL};
static const char *const DECISIONS[] = {"eligible", "ineligible", NULL};
static const char *const PROC_STATUS[] = {"requested", "done", "not_needed", NULL};
static const char *const TD_TYPES[] = {"passport", "laissez_passer", "emergency_travel_document",
                                       NULL};
static const char *const TD_STATUS[] = {"requested", "interview", "issued", NULL};
static const char *const HEALTH_RESULTS[] = {"fit", "fit_with_conditions", "temporarily_unfit",
                                             "unfit", NULL};
static const char *const NEEDS[] = {"medical_escort", "oxygen", "wheelchair", "stretcher",
                                    "medication",     "other",  NULL};
static const char *const BID[] = {"return_in_best_interests", "return_not_in_best_interests", NULL};
static const char *const FAMILY_OUTCOMES[] = {"family_traced_and_willing", "family_not_suitable",
                                              "family_not_found", NULL};
static const char *const ESCORTS[] = {"medical", "operational", "child_protection", NULL};
static const char *const LEVELS[] = {"low", "medium", "high", NULL};
static const char *const SHARING_PURPOSES[] = {"data_sharing", "medical_data_sharing", NULL};
static const char *const SERVICES[] = {
    "health", "psychosocial",   "education", "livelihood", "shelter",
    "legal",  "family_tracing", "cash",      "other",      NULL};

/* Fields required only in some cases: app/records.c names them in the
 * same words when a record lacks them; the forms mark them as soon as
 * the condition holds. */
static const char *const SHARE[] = {"data_sharing", "medical_data_sharing", NULL};
static const char *const ORAL[] = {"oral_with_witness", NULL};
static const char *const BY_GUARDIAN[] = {"guardian", NULL};
static const char *const UNFIT_FOR_NOW[] = {"temporarily_unfit", NULL};
static const awda_when_t WHEN_SHARING = {"purpose", SHARE};
static const awda_when_t WHEN_ORAL = {"method", ORAL};
static const awda_when_t WHEN_GUARDIAN = {"given_by", BY_GUARDIAN};
static const awda_when_t WHEN_UNFIT = {"result", UNFIT_FOR_NOW};

static const awda_field_t COUNSELLING[] = {
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, "#date", "counselling.date",
     "the date of the session", NULL},
    {"counsellor", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "counselling.counsellor", "the counsellor", NULL},
    {"language", FT_LANGS, F_REQUIRED, 1, 3, NULL, NULL, SENS_NONE, NULL, "counselling.language",
     "the languages of the session", NULL},
    {"interpreter", FT_BOOL, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "counselling.interpreter", "whether an interpreter took part", NULL},
    {"topics", FT_FLAGS, F_REQUIRED, 1, 4, TOPICS, NULL, SENS_NONE, NULL, "counselling.topics",
     "the topics covered", NULL},
    NOTES(SENS_NONE),
};

static const awda_field_t CONSENT[] = {
    PERSON,
    {"purpose", FT_ENUM, F_REQUIRED, 0, 0, PURPOSES, NULL, SENS_NONE, NULL, "consent.purpose",
     "the purpose of the consent", NULL},
    {"recipient", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "consent.recipient", "the recipient of the data", NULL, &WHEN_SHARING, NULL},
    {"given_by", FT_ENUM, F_REQUIRED, 0, 0, GIVEN_BY, NULL, SENS_NONE, NULL, "consent.given_by",
     "who gave the consent", NULL},
    {"guardian_name", FT_STRING, F_NULLABLE | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_PROTECTION,
     NULL, "consent.guardian_name", "the guardian's name", NULL, &WHEN_GUARDIAN, NULL},
    {"child_views", FT_TEXT, F_NULLABLE, 1, 4000, NULL, NULL, SENS_PROTECTION, NULL,
     "consent.child_views", "the child's own views", NULL},
    {"notice_version", FT_STRING, F_REQUIRED, 1, 40, NULL, NULL, SENS_NONE, NULL,
     "consent.notice_version", "the version of the information notice", NULL},
    {"method", FT_ENUM, F_REQUIRED, 0, 0, METHODS, NULL, SENS_NONE, NULL, "consent.method",
     "how the consent was given", NULL},
    {"witness", FT_STRING, F_NULLABLE | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "consent.witness", "the witness", NULL, &WHEN_ORAL, NULL},
    {"interview_date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "consent.interview_date", "the date of the interview", NULL},
    {"language", FT_LANGS, F_REQUIRED, 1, 3, NULL, NULL, SENS_NONE, NULL, "consent.language",
     "the language of the interview", NULL},
    {"interpreter", FT_BOOL, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "consent.interpreter",
     "whether an interpreter took part", NULL},
    {"evidence_ref", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "consent.evidence_ref", "the reference of the evidence (form number, file)", NULL},
    {"withdrawn_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "consent.withdrawn_at", "withdrawn", NULL},
};

static const awda_field_t RECONFIRMATION[] = {
    PERSON,
    {"at", FT_DATETIME, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "reconfirmation.at",
     "the time of the reconfirmation", NULL},
    {"method", FT_ENUM, F_REQUIRED, 0, 0, RECONFIRM_METHODS, NULL, SENS_NONE, NULL,
     "reconfirmation.method", "how voluntariness was reconfirmed", NULL},
    NOTES(SENS_NONE),
};

static const awda_field_t ELIGIBILITY[] = {
    {"decision", FT_ENUM, F_REQUIRED, 0, 0, DECISIONS, NULL, SENS_NONE, NULL,
     "eligibility.decision", "the decision", NULL},
    {"reason", FT_TEXT, F_REQUIRED, 1, 4000, NULL, NULL, SENS_NONE, NULL, "eligibility.reason",
     "the reason", NULL},
};

static const awda_field_t APPROVAL[] = {
    {"restriction_id", FT_UUID, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "approval.restriction_id", "the restriction", NULL},
    {"justification", FT_TEXT, F_REQUIRED, 10, 4000, NULL, NULL, SENS_NONE, NULL,
     "approval.justification", "the justification", NULL},
};

static const awda_field_t PROCEDURE[] = {
    {"type", FT_STRING, F_REQUIRED, 1, 60, NULL, NULL, SENS_NONE, NULL, "procedure.type",
     "the procedure", NULL},
    {"status", FT_ENUM, F_REQUIRED, 0, 0, PROC_STATUS, NULL, SENS_NONE, NULL, "procedure.status",
     "the status", NULL},
    {"requested_on", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "procedure.requested_on", "the date requested", NULL},
    {"done_on", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL, "procedure.done_on",
     "the date done", NULL},
    NOTES(SENS_NONE),
};

static const awda_field_t TRAVEL_DOCUMENT[] = {
    PERSON,
    {"type", FT_ENUM, F_REQUIRED, 0, 0, TD_TYPES, NULL, SENS_IDENTITY, NULL, "travel_document.type",
     "the document type", NULL},
    {"consulate", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "travel_document.consulate", "the issuing consulate", NULL},
    {"status", FT_ENUM, F_REQUIRED, 0, 0, TD_STATUS, NULL, SENS_NONE, NULL,
     "travel_document.status", "the status", NULL},
    {"requested_on", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "travel_document.requested_on", "the date requested", NULL},
    {"interview_on", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "travel_document.interview_on", "the date of the consular interview", NULL},
    {"issued_on", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "travel_document.issued_on", "the date issued", NULL},
    {"number", FT_STRING, F_NULLABLE, 1, 60, NULL, NULL, SENS_IDENTITY, NULL,
     "travel_document.number", "the document number", NULL},
    {"expiry", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_IDENTITY, NULL, "travel_document.expiry",
     "the expiry date", NULL},
};

static const awda_field_t HEALTH[] = {
    PERSON,
    {"result", FT_ENUM, F_REQUIRED, 0, 0, HEALTH_RESULTS, NULL, SENS_NONE, NULL, "health.result",
     "the result", NULL},
    {"at", FT_DATETIME, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "health.at",
     "the time of the assessment", NULL},
    {"assessor", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "health.assessor", "the assessor", NULL},
    {"pre_embarkation", FT_BOOL, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "health.pre_embarkation", "whether this is the pre-embarkation check", NULL},
    {"needs", FT_FLAGS, F_NULLABLE, 0, 6, NEEDS, NULL, SENS_NONE, NULL, "health.needs",
     "the travel needs", NULL},
    {"diagnosis", FT_TEXT, F_NULLABLE, 1, 4000, NULL, NULL, SENS_MEDICAL, NULL, "health.diagnosis",
     "the diagnosis", NULL},
    {"clinical_notes", FT_TEXT, F_NULLABLE, 1, 8000, NULL, NULL, SENS_MEDICAL, NULL,
     "health.clinical_notes", "the clinical notes", NULL},
    {"stabilisation_plan", FT_TEXT, F_NULLABLE, 1, 4000, NULL, NULL, SENS_MEDICAL, NULL,
     "health.stabilisation_plan", "the stabilisation plan", NULL, &WHEN_UNFIT, NULL},
};

static const awda_field_t GUARDIAN[] = {
    PERSON,
    {"name", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_PROTECTION, NULL,
     "guardian.name", "the guardian's name", NULL},
    {"relation", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_PROTECTION, NULL,
     "guardian.relation", "the guardian's relation to the child", NULL},
    {"organisation", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_PROTECTION, NULL,
     "guardian.organisation", "the guardian's organisation", NULL},
};

static const awda_field_t BIA[] = {
    PERSON,
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "bia.date",
     "the date of the assessment", NULL},
    {"by", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL, "bia.by",
     "who assessed", NULL},
    {"summary", FT_TEXT, F_NULLABLE, 1, 8000, NULL, NULL, SENS_PROTECTION, NULL, "bia.summary",
     "the summary", NULL},
};

static const awda_field_t BID_FIELDS[] = {
    PERSON,
    {"decision", FT_ENUM, F_REQUIRED, 0, 0, BID, NULL, SENS_NONE, NULL, "bid.decision",
     "the decision", NULL},
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "bid.date",
     "the date of the determination", NULL},
    {"by", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL, "bid.by",
     "who determined", NULL},
    {"reasons", FT_TEXT, F_NULLABLE, 1, 8000, NULL, NULL, SENS_PROTECTION, NULL, "bid.reasons",
     "the reasons", NULL},
};

static const awda_field_t CHILD_VIEWS[] = {
    PERSON,
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "child_views.date", "the date",
     NULL},
    {"views", FT_TEXT, F_REQUIRED, 1, 8000, NULL, NULL, SENS_PROTECTION, NULL, "child_views.views",
     "the child's views", NULL},
};

static const awda_field_t FAMILY[] = {
    PERSON,
    {"office", FT_STRING, F_NULLABLE, 6, 6, NULL, NULL, SENS_NONE, NULL, "family.office",
     "the office that assessed the family", NULL, NULL, "destination_offices"},
    {"partner", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "family.partner", "the partner organisation that assessed the family", NULL},
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "family.date", "the date",
     NULL},
    {"outcome", FT_ENUM, F_REQUIRED, 0, 0, FAMILY_OUTCOMES, NULL, SENS_NONE, NULL, "family.outcome",
     "the outcome", NULL},
    NOTES(SENS_PROTECTION),
};

static const awda_field_t ESCORT[] = {
    PERSON,
    {"escort_type", FT_ENUM, F_REQUIRED, 0, 0, ESCORTS, NULL, SENS_NONE, NULL, "escort.escort_type",
     "the type of escort", NULL},
    {"name", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "escort.name", "the escort's name", NULL},
};

static const awda_field_t PROTECTION_OFFICER[] = {
    PERSON,
    {"username", FT_STRING, F_REQUIRED, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE, NULL,
     "protection_officer.username", "the protection officer", NULL, NULL, "staff:protection"},
};

static const awda_field_t RISK[] = {
    PERSON,
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "risk.date", "the date", NULL},
    {"level", FT_ENUM, F_REQUIRED, 0, 0, LEVELS, NULL, SENS_NONE, NULL, "risk.level",
     "the level of risk", NULL},
    {"summary", FT_TEXT, F_NULLABLE, 1, 8000, NULL, NULL, SENS_PROTECTION, NULL, "risk.summary",
     "the summary", NULL},
};

/* Consent to share data is withdrawn by recording its withdrawal (the
 * records are append-only): the latest of consent and withdrawal for a
 * person, purpose and recipient decides. For data_sharing the recipient
 * of a consent and of its withdrawal is a partner organisation's id; for
 * medical_data_sharing it is the escort or provider as the consent names
 * them; a withdrawal must meet a consent that stands (app/records.c). */
static const awda_field_t CONSENT_WITHDRAWAL[] = {
    PERSON,
    {"purpose", FT_ENUM, F_REQUIRED, 0, 0, SHARING_PURPOSES, NULL, SENS_NONE, NULL,
     "consent_withdrawal.purpose", "the purpose whose consent is withdrawn", NULL},
    {"recipient", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "consent_withdrawal.recipient", "the recipient", NULL},
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "consent_withdrawal.date",
     "the date", NULL},
    NOTES(SENS_NONE),
};

/* A referral to a partner organisation (its id: GET /api/v1/partners):
 * possible only where the person consented to share their data with that
 * partner (app/records.c). */
static const awda_field_t REFERRAL[] = {
    PERSON,
    {"partner", FT_UUID, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "referral.partner",
     "the partner organisation", NULL},
    {"service", FT_ENUM, F_REQUIRED, 0, 0, SERVICES, NULL, SENS_NONE, NULL, "referral.service",
     "the service", NULL},
    {"date", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL, "referral.date", "the date",
     NULL},
    NOTES(SENS_NONE),
};

static const char *const RESTRICTION_KINDS[] = {"suspended", "approval_required", NULL};

static void restriction_rules(const json_t *obj, const char *path, json_t *errors)
{
    char pf[256], pu[256];
    snprintf(pf, sizeof pf, "%s%seffective_from", path, *path ? "." : "");
    snprintf(pu, sizeof pu, "%s%seffective_until", path, *path ? "." : "");
    const char *from = json_string_value(json_object_get(obj, "effective_from"));
    const char *until = json_string_value(json_object_get(obj, "effective_until"));
    if (from && until && strcmp(until, from) < 0 && !awda_has_error(errors, pu) &&
        !awda_has_error(errors, pf))
        awda_error_add(errors, pu, "the end date is before the start date");
}

static const awda_field_t RESTRICTION_FIELDS[] = {
    {"id", FT_UUID, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "restriction.id",
     "the restriction id", NULL},
    {"country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, "#country+code",
     "restriction.country", "the country", NULL},
    {"admin_area", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#adm1+name",
     "restriction.admin_area", "the area", NULL},
    {"kind", FT_ENUM, F_REQUIRED, 0, 0, RESTRICTION_KINDS, NULL, SENS_NONE, NULL,
     "restriction.kind", "the kind of restriction", NULL},
    {"effective_from", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "restriction.effective_from", "the start date", NULL},
    {"effective_until", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "restriction.effective_until", "the end date", NULL},
    {"reason", FT_TEXT, F_REQUIRED, 1, 4000, NULL, NULL, SENS_NONE, NULL, "restriction.reason",
     "the reason", NULL},
    {"next_review", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "restriction.next_review", "the next review date", NULL},
    {"version", FT_INT, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "restriction.version",
     "the version", NULL},
    {"created_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "restriction.created_at", "created", NULL},
    {"updated_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "restriction.updated_at", "updated", NULL},
    {"history", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "restriction.history",
     "the history", NULL},
};
const awda_entity_t AWDA_RESTRICTION = {"restriction", "The restriction", RESTRICTION_FIELDS,
                                        AWDA_NELEM(RESTRICTION_FIELDS), restriction_rules};

/* The kinds, from record_kinds.def: KINDS[AWDA_RK_x] is kind x. */
static const awda_entity_t KINDS[] = {
#define AWDA_RECORD_KIND(id, name, title, fields, perm)                                            \
    {name, title, fields, AWDA_NELEM(fields), NULL},
#include "record_kinds.def"
#undef AWDA_RECORD_KIND
};

/* Who records each kind; the permission names are resolved in authz.c. */
static const awda_rec_perm_t KIND_PERM[] = {
#define AWDA_RECORD_KIND(id, name, title, fields, perm) perm,
#include "record_kinds.def"
#undef AWDA_RECORD_KIND
};

_Static_assert(AWDA_NELEM(KINDS) == AWDA_RK_COUNT && AWDA_NELEM(KIND_PERM) == AWDA_RK_COUNT,
               "every record kind of record_kinds.def is in both tables");

const awda_entity_t *awda_record_kind(const char *name, awda_rec_perm_t *perm)
{
    for (size_t i = 0; name && i < AWDA_NELEM(KINDS); i++) {
        if (strcmp(KINDS[i].name, name) == 0) {
            if (perm)
                *perm = KIND_PERM[i];
            return &KINDS[i];
        }
    }
    return NULL;
}

size_t awda_record_kind_count(void)
{
    return AWDA_NELEM(KINDS);
}

const awda_entity_t *awda_record_kind_at(size_t i)
{
    return i < AWDA_NELEM(KINDS) ? &KINDS[i] : NULL;
}

void awda_redact(const awda_entity_t *e, json_t *obj, unsigned visible)
{
    for (size_t i = 0; i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        json_t *v = json_object_get(obj, f->name);
        if (f->sens != SENS_NONE && !(visible & (1u << f->sens)) && v && !json_is_null(v))
            json_object_set_new(obj, f->name, json_string("[sealed]"));
    }
}

/* ---- the records as the journey's requirements read them ----------------- */

const char *awda_rec_kind_name(awda_rec_kind_t kind)
{
    return (unsigned)kind < AWDA_RK_COUNT ? KINDS[kind].name : NULL;
}

/* The constant of list equal to the string member key of data, or NULL. */
static const char *one_of(const char *const *list, const json_t *data, const char *key)
{
    const char *v = json_string_value(json_object_get(data, key));
    int i = v ? awda_value_index(list, v) : -1;
    return i >= 0 ? list[i] : NULL;
}

static void copy_text(char *out, size_t cap, const json_t *data, const char *key)
{
    const char *v = json_string_value(json_object_get(data, key));
    snprintf(out, cap, "%s", v ? v : "");
}

static long long time_of(const json_t *data, const char *key)
{
    const char *v = json_string_value(json_object_get(data, key));
    int64_t ms;
    if (!v || awda_datetime_parse(v, strlen(v), &ms) != 0)
        return -1;
    return (long long)ms;
}

/* 1 when the list member key of data holds the string flag. */
static int has_value(const json_t *data, const char *key, const char *flag)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(data, key), i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), flag) == 0)
            return 1;
    }
    return 0;
}

void awda_record_fill(awda_record_t *r, awda_rec_kind_t kind, const char *id, const char *person_id,
                      const json_t *data)
{
    memset(r, 0, sizeof *r);
    r->kind = kind;
    snprintf(r->id, sizeof r->id, "%s", id ? id : "");
    snprintf(r->person_id, sizeof r->person_id, "%s", person_id ? person_id : "");
    switch (kind) {
    case AWDA_RK_COUNSELLING:
        for (int t = 0; AWDA_COUNSELLING_TOPICS[t]; t++)
            if (has_value(data, "topics", AWDA_COUNSELLING_TOPICS[t]))
                r->v.counselling.topics |= 1u << t;
        break;
    case AWDA_RK_CONSENT:
        r->v.consent.purpose = one_of(PURPOSES, data, "purpose");
        r->v.consent.given_by = one_of(GIVEN_BY, data, "given_by");
        r->v.consent.withdrawn = json_is_string(json_object_get(data, "withdrawn_at"));
        /* sealed: whether it is there, never what it says */
        r->v.consent.child_views = json_is_string(json_object_get(data, "child_views"));
        break;
    case AWDA_RK_RECONFIRMATION:
        r->v.reconfirmation.at = time_of(data, "at");
        break;
    case AWDA_RK_ELIGIBILITY:
        r->v.eligibility.decision = one_of(DECISIONS, data, "decision");
        copy_text(r->v.eligibility.reason, sizeof r->v.eligibility.reason, data, "reason");
        break;
    case AWDA_RK_RESTRICTION_APPROVAL:
        copy_text(r->v.approval.restriction_id, sizeof r->v.approval.restriction_id, data,
                  "restriction_id");
        break;
    case AWDA_RK_PROCEDURE:
        copy_text(r->v.procedure.type, sizeof r->v.procedure.type, data, "type");
        r->v.procedure.status = one_of(PROC_STATUS, data, "status");
        break;
    case AWDA_RK_TRAVEL_DOCUMENT:
        r->v.travel_document.type = one_of(TD_TYPES, data, "type");
        r->v.travel_document.status = one_of(TD_STATUS, data, "status");
        copy_text(r->v.travel_document.expiry, sizeof r->v.travel_document.expiry, data, "expiry");
        break;
    case AWDA_RK_HEALTH_ASSESSMENT:
        r->v.health.result = one_of(HEALTH_RESULTS, data, "result");
        r->v.health.pre_embarkation = json_is_true(json_object_get(data, "pre_embarkation"));
        r->v.health.medical_escort = has_value(data, "needs", "medical_escort");
        r->v.health.at = time_of(data, "at");
        break;
    case AWDA_RK_ESCORT:
        r->v.escort.escort_type = one_of(ESCORTS, data, "escort_type");
        break;
    case AWDA_RK_BEST_INTERESTS_DETERMINATION:
        r->v.bid.decision = one_of(BID, data, "decision");
        break;
    case AWDA_RK_FAMILY_ASSESSMENT:
        r->v.family.outcome = one_of(FAMILY_OUTCOMES, data, "outcome");
        break;
    default: /* the requirements ask only whether such a record exists */
        break;
    }
}

int awda_records_add(awda_records_t *rs, const char *id, const char *kind_name,
                     const char *person_id, const json_t *data)
{
    size_t k = 0;
    while (k < AWDA_RK_COUNT && (!kind_name || strcmp(KINDS[k].name, kind_name) != 0))
        k++;
    if (k == AWDA_RK_COUNT)
        return -1;
    if (rs->n == rs->cap) {
        if (rs->cap >= AWDA_CASE_RECORDS_MAX)
            return -2;
        size_t cap = rs->cap ? rs->cap * 2 : 32;
        if (cap > AWDA_CASE_RECORDS_MAX)
            cap = AWDA_CASE_RECORDS_MAX;
        awda_record_t *items = realloc(rs->items, cap * sizeof *items);
        if (!items)
            return -2;
        rs->items = items;
        rs->cap = cap;
    }
    awda_record_fill(&rs->items[rs->n++], (awda_rec_kind_t)k, id, person_id, data);
    return 0;
}

void awda_records_free(awda_records_t *rs)
{
    free(rs->items);
    rs->items = NULL;
    rs->n = rs->cap = 0;
}
