/*
 * entities.c — the field tables of the registry (see field.h), and the
 * cross-field rules that no single field can express: one principal per
 * case, a person only once per case, dates of birth consistent with their
 * precision, the unaccompanied-child flag only for a child.
 *
 * To add a field: add one line to the table below and, when it is stored
 * in its own column, that column in a new migration (store/migrations.c).
 */
#include "field.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- value lists ---------------------------------------------------- */

static const char *const SEX[] = {"male", "female", "other", "unknown", NULL};
static const char *const DOB_PRECISION[] = {"exact", "month", "year", "estimated", NULL};
const char *const AWDA_RELATIONSHIPS[] = {
    "principal",  "spouse",         "child",    "parent", "sibling", "grandparent",
    "grandchild", "other_relative", "guardian", "other",  NULL};
static const char *const DOC_TYPES[] = {"passport",
                                        "laissez_passer",
                                        "emergency_travel_document",
                                        "national_id",
                                        "birth_certificate",
                                        "consular_card",
                                        "refugee_id",
                                        "other",
                                        NULL};
/* Vulnerabilities are two lists. What every case worker needs to route a
 * case — a child without a parent, a condition that needs the medical
 * team or an escort, reduced mobility, old age, a pregnancy (airlines'
 * rules), a parent alone with children — is `vulnerabilities`, shown to
 * all case staff. What exposes the person if it is seen — having been
 * trafficked, having survived violence, a mental-health condition — is
 * `protection_vulnerabilities`: protection class, sealed at rest, shown
 * to the protection role only (docs/DATA-PROTECTION.md). */
const char *const AWDA_VULNERABILITIES[] = {
    "unaccompanied_child", "separated_child", "medical_condition",
    "disability",          "elderly",         "pregnant",
    "single_parent",       "other",           NULL};
const char *const AWDA_PROTECTION_VULNERABILITIES[] = {
    "victim_of_trafficking", "survivor_of_violence", "mental_health", NULL};
const char *const AWDA_ROLES[] = {
    "registration",  "counsellor", "medical", "operations", "protection",
    "reintegration", "finance",    "me",      "manager",    "admin",
    "partner",       "donor",      NULL};
const char *const AWDA_STAGES[] = {"registered",    "counselled",    "consented",  "eligible",
                                   "pre_departure", "ready",         "booked",     "departed",
                                   "arrived",       "reintegrating", "monitoring", "closed",
                                   "withdrawn",     "on_hold",       NULL};

/* ---- string checks ---------------------------------------------------- */

static const char *check_office_code(const char *s, size_t n)
{
    if (n != 6 || s[2] != '-')
        return "must look like EG-CAI (two letters, a dash, three letters, in capitals)";
    for (size_t i = 0; i < n; i++)
        if (i != 2 && (s[i] < 'A' || s[i] > 'Z'))
            return "must look like EG-CAI (two letters, a dash, three letters, in capitals)";
    return NULL;
}

static const char *check_username(const char *s, size_t n)
{
    if (n < 2 || n > AWDA_MAX_USERNAME)
        return "must be 2 to 64 characters";
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return "may contain only lower-case letters, digits, dots, dashes and underscores";
    }
    return NULL;
}

static const char *check_phone(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!(c == '+' && i == 0) && c != ' ' && c != '-' && c != '(' && c != ')')
            return "may contain only digits, spaces, dashes and a leading +";
    }
    return digits >= 4 ? NULL : "needs at least 4 digits";
}

static const char *check_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s || at == s + n - 1 || memchr(at + 1, '@', (size_t)(s + n - at - 1)))
        return "must be an e-mail address such as name@example.org";
    for (size_t i = 0; i < n; i++)
        if (s[i] == ' ')
            return "must be an e-mail address such as name@example.org";
    return NULL;
}

static const char *check_pcode(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return "may contain only letters, digits and dashes (e.g. ML0101)";
    }
    return NULL;
}

static const char *check_project_name(const char *s, size_t n)
{
    (void)s;
    return n >= 1 && n <= AWDA_MAX_SHORT ? NULL : "must be 1 to 120 characters";
}

static const char *check_role(const char *s, size_t n)
{
    for (int i = 0; AWDA_ROLES[i]; i++)
        if (strlen(AWDA_ROLES[i]) == n && memcmp(AWDA_ROLES[i], s, n) == 0)
            return NULL;
    return "must be known roles (registration, counsellor, medical, operations, protection, "
           "reintegration, finance, me, manager, admin, partner, donor)";
}

/* ---- offices and users ---------------------------------------------- */

static const awda_field_t OFFICE_FIELDS[] = {
    {"code", FT_STRING, F_REQUIRED, 6, 6, NULL, NULL, SENS_NONE, "#org+code", "office.code",
     "the office code", check_office_code},
    {"name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#org+name",
     "office.name", "the office name", NULL},
    {"country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, "#country+code",
     "office.country", "the office country", NULL},
    {"location", FT_STRING, F_NULLABLE, 0, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#loc+name",
     "office.location", "the location", NULL},
};
const awda_entity_t AWDA_OFFICE = {"office", "The office", OFFICE_FIELDS, N(OFFICE_FIELDS), NULL};

static const char *const LANGUAGES_UI[] = {"ar", "fr", "en", NULL};

static const awda_field_t USER_FIELDS[] = {
    {"username", FT_STRING, F_REQUIRED, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE, NULL,
     "user.username", "the user name", check_username},
    {"full_name", FT_STRING, F_NULLABLE, 0, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "user.full_name", "the full name", NULL},
    {"password", FT_STRING, F_REQUIRED | F_SECRET | F_NOCOL, AWDA_PASSWORD_MIN, AWDA_PASSWORD_MAX,
     NULL, NULL, SENS_NONE, NULL, "user.password", "the password", NULL},
    {"roles", FT_STRINGS, F_REQUIRED | F_NOCOL, 1, AWDA_MAX_USER_ROLES, NULL, NULL, SENS_NONE, NULL,
     "user.roles", "the roles", check_role},
    {"offices", FT_STRINGS, F_NOCOL, 0, AWDA_MAX_USER_OFFICES, NULL, NULL, SENS_NONE, NULL,
     "user.offices", "the offices", check_office_code},
    /* For a programme manager: the projects they manage. With projects
     * they see their offices' cases and their projects' cases; without,
     * every office. */
    {"projects", FT_STRINGS, F_NOCOL, 0, AWDA_MAX_USER_PROJECTS, NULL, NULL, SENS_NONE, NULL,
     "user.projects", "the projects", check_project_name},
    {"disabled", FT_BOOL, F_NOCOL, 0, 0, NULL, NULL, SENS_NONE, NULL, "user.disabled", "disabled",
     NULL},
    {"language", FT_ENUM, F_NOCOL, 0, 0, LANGUAGES_UI, NULL, SENS_NONE, NULL, "user.language",
     "the interface language", NULL},
    /* For a partner user: the organisation whose referrals they see (it
     * must match the recipient named in a person's consent to share). */
    {"organisation", FT_STRING, F_NULLABLE | F_NOCOL, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE,
     NULL, "user.organisation", "the organisation", NULL},
    /* Read-only here: set by the user's own enrolment (/me/second-factor);
     * an administrator may only remove it (false), e.g. for a lost phone. */
    {"second_factor", FT_BOOL, F_NOCOL, 0, 0, NULL, NULL, SENS_NONE, NULL, "user.second_factor",
     "the second factor", NULL},
};
const awda_entity_t AWDA_USER = {"user", "The user", USER_FIELDS, N(USER_FIELDS), NULL};

/* ---- persons ---------------------------------------------------------- */

static const awda_field_t DOCUMENT_FIELDS[] = {
    {"type", FT_ENUM, F_REQUIRED, 0, 0, DOC_TYPES, NULL, SENS_IDENTITY, "#meta+doc+type",
     "document.type", "the document type", NULL},
    {"number", FT_STRING, F_REQUIRED, 1, 60, NULL, NULL, SENS_IDENTITY, "#meta+doc+id",
     "document.number", "the document number", NULL},
    {"issuing_country", FT_COUNTRY, F_NULLABLE, 0, 0, NULL, NULL, SENS_IDENTITY,
     "#country+doc+code", "document.issuing_country", "the issuing country", NULL},
    {"expiry", FT_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_IDENTITY, "#date+doc+expiry",
     "document.expiry", "the expiry date", NULL},
};
const awda_entity_t AWDA_DOCUMENT = {"document", "The document", DOCUMENT_FIELDS,
                                     N(DOCUMENT_FIELDS), NULL};

static const awda_field_t CONTACT_FIELDS[] = {
    {"phone", FT_STRING, F_NULLABLE, 4, 32, NULL, NULL, SENS_CONTACT, "#contact+phone",
     "contact.phone", "the phone number", check_phone},
    {"email", FT_STRING, F_NULLABLE, 3, AWDA_MAX_SHORT, NULL, NULL, SENS_CONTACT, "#contact+email",
     "contact.email", "the e-mail address", check_email},
    {"address", FT_TEXT, F_NULLABLE, 0, 500, NULL, NULL, SENS_CONTACT, "#contact+address",
     "contact.address", "the address", NULL},
};
const awda_entity_t AWDA_CONTACT = {"contact", "The contact", CONTACT_FIELDS, N(CONTACT_FIELDS),
                                    NULL};

static void person_rules(const json_t *obj, const char *path, json_t *errors);

static const awda_field_t PERSON_FIELDS[] = {
    {"id", FT_UUID, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#affected+id", "person.id",
     "the person id", NULL},
    {"name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, NULL, SENS_IDENTITY, "#affected+name",
     "person.name", "the name", NULL},
    {"name_latin", FT_STRING, F_NULLABLE, 1, AWDA_MAX_NAME, NULL, NULL, SENS_IDENTITY,
     "#affected+name+latin", "person.name_latin", "the name in Latin script", NULL},
    {"sex", FT_ENUM, F_REQUIRED, 0, 0, SEX, NULL, SENS_NONE, "#affected+sex", "person.sex", "sex",
     NULL},
    {"date_of_birth", FT_PARTIAL_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_IDENTITY,
     "#affected+birth", "person.date_of_birth", "date of birth", NULL},
    {"dob_precision", FT_ENUM, F_NULLABLE, 0, 0, DOB_PRECISION, NULL, SENS_NONE, NULL,
     "person.dob_precision", "the precision of the date of birth", NULL},
    {"nationality", FT_NATIONALITY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE,
     "#affected+nationality", "person.nationality", "nationality", NULL},
    {"languages", FT_LANGS, F_NULLABLE | F_JSONCOL, 0, AWDA_MAX_LANGUAGES, NULL, NULL, SENS_NONE,
     "#affected+lang", "person.languages", "languages", NULL},
    {"documents", FT_ARRAY, F_NULLABLE | F_NOCOL, 0, AWDA_MAX_DOCUMENTS, NULL, &AWDA_DOCUMENT,
     SENS_IDENTITY, NULL, "person.documents", "documents", NULL},
    {"contact", FT_OBJECT, F_NULLABLE | F_JSONCOL, 0, 0, NULL, &AWDA_CONTACT, SENS_CONTACT, NULL,
     "person.contact", "contact details", NULL},
    {"vulnerabilities", FT_FLAGS, F_NULLABLE | F_JSONCOL, 0, AWDA_MAX_VULNERABILITIES,
     AWDA_VULNERABILITIES, NULL, SENS_NONE, "#affected+vuln", "person.vulnerabilities",
     "vulnerabilities", NULL},
    {"protection_vulnerabilities", FT_FLAGS, F_NULLABLE | F_JSONCOL, 0, AWDA_MAX_VULNERABILITIES,
     AWDA_PROTECTION_VULNERABILITIES, NULL, SENS_PROTECTION, "#affected+vuln+protection",
     "person.protection_vulnerabilities", "protection concerns", NULL},
    {"created_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "person.created_at",
     "created", NULL},
    {"updated_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "person.updated_at",
     "updated", NULL},
};
const awda_entity_t AWDA_PERSON = {"person", "The person", PERSON_FIELDS, N(PERSON_FIELDS),
                                   person_rules};

static int has_flag(const json_t *arr, const char *flag)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (json_is_string(v) &&
                                      strcmp(json_string_value(v), flag) == 0) return 1;
    return 0;
}

/* Path of a member of obj at path, into out. */
static const char *at(char *out, size_t cap, const char *path, const char *name)
{
    snprintf(out, cap, "%s%s%s", path, *path ? "." : "", name);
    return out;
}

/* A protection concern sent in the routing list (as clients did before
 * the two lists were split) gets a sentence saying where it belongs
 * instead of the bare list of allowed values. */
static void protection_in_routing(const json_t *obj, const char *path, json_t *errors)
{
    size_t i, k;
    json_t *v, *e;
    json_array_foreach(json_object_get(obj, "vulnerabilities"), i, v)
    {
        const char *s = json_string_value(v);
        if (!s || awda_value_index(AWDA_PROTECTION_VULNERABILITIES, s) < 0)
            continue;
        char p[256], msg[256];
        snprintf(p, sizeof p, "%s%svulnerabilities[%zu]", path, *path ? "." : "", i);
        snprintf(msg, sizeof msg,
                 "%s is a protection concern: it is recorded in protection_vulnerabilities, "
                 "which only protection officers see and change",
                 s);
        json_array_foreach(errors, k, e)
        {
            const char *field = json_string_value(json_object_get(e, "field"));
            if (field && strcmp(field, p) == 0)
                json_object_set_new(e, "message", json_string(msg));
        }
    }
}

static void person_rules(const json_t *obj, const char *path, json_t *errors)
{
    char p[256];
    protection_in_routing(obj, path, errors);
    const char *dob = json_string_value(json_object_get(obj, "date_of_birth"));
    const char *prec = json_string_value(json_object_get(obj, "dob_precision"));
    /* A date or precision that is wrong on its own says enough. */
    if (awda_has_error(errors, at(p, sizeof p, path, "date_of_birth")) ||
        awda_has_error(errors, at(p, sizeof p, path, "dob_precision")))
        return;
    if (dob && prec) {
        size_t n = strlen(dob);
        snprintf(p, sizeof p, "%s%sdob_precision", path, *path ? "." : "");
        if (strcmp(prec, "exact") == 0 && n != 10)
            awda_error_add(errors, p,
                           "an exact date of birth needs the day, month and year (YYYY-MM-DD)");
        else if (strcmp(prec, "month") == 0 && n < 7)
            awda_error_add(errors, p, "a date of birth known to the month needs YYYY-MM");
    }
    if (dob && !prec) {
        snprintf(p, sizeof p, "%s%sdob_precision", path, *path ? "." : "");
        awda_error_add(errors, p,
                       "the precision of the date of birth is required when a date of birth is "
                       "given (exact, month, year or estimated)");
    }
    if (!dob && prec && strcmp(prec, "estimated") != 0) {
        snprintf(p, sizeof p, "%s%sdate_of_birth", path, *path ? "." : "");
        awda_error_add(errors, p, "date of birth is required when its precision is %s", prec);
    }
    const json_t *vul = json_object_get(obj, "vulnerabilities");
    if (dob && json_is_array(vul) &&
        !awda_has_error(errors, at(p, sizeof p, path, "vulnerabilities")) &&
        (has_flag(vul, "unaccompanied_child") || has_flag(vul, "separated_child"))) {
        awda_date_t t = awda_today();
        /* The most favourable reading for the person: if they could be a
         * child, the flag stands. */
        int age = awda_age_on(dob, prec, t.year, t.month, t.day, 1);
        if (age >= 18) {
            snprintf(p, sizeof p, "%s%svulnerabilities", path, *path ? "." : "");
            awda_error_add(errors, p,
                           "an unaccompanied or separated child must be under 18, but this "
                           "person is %d by the date of birth",
                           age);
        }
    }
}

/* ---- cases ------------------------------------------------------------ */

static void member_rules(const json_t *obj, const char *path, json_t *errors);

static const awda_field_t MEMBER_FIELDS[] = {
    {"relationship", FT_ENUM, F_REQUIRED, 0, 0, AWDA_RELATIONSHIPS, NULL, SENS_NONE,
     "#affected+relationship", "member.relationship", "the relationship", NULL},
    {"person_id", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL, "member.person_id",
     "the person id", NULL},
    {"person", FT_OBJECT, F_NULLABLE, 0, 0, NULL, &AWDA_PERSON, SENS_IDENTITY, NULL,
     "member.person", "the person", NULL},
};
const awda_entity_t AWDA_MEMBER = {"member", "The member", MEMBER_FIELDS, N(MEMBER_FIELDS),
                                   member_rules};

static void member_rules(const json_t *obj, const char *path, json_t *errors)
{
    const json_t *pid = json_object_get(obj, "person_id");
    const json_t *person = json_object_get(obj, "person");
    char pp[256];
    if (awda_has_error(errors, at(pp, sizeof pp, path, "person_id")))
        return;
    if ((!pid || json_is_null(pid)) && (!person || json_is_null(person))) {
        char p[256];
        snprintf(p, sizeof p, "%s.person", path);
        awda_error_add(errors, p, "the person is required (or the id of a registered person)");
    }
}

static void case_rules(const json_t *obj, const char *path, json_t *errors);

static const awda_field_t CASE_FIELDS[] = {
    {"id", FT_UUID, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#case+id", "case.id", "the case id",
     NULL},
    {"number", FT_STRING, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#case+code", "case.number",
     "the case number", NULL},
    {"version", FT_INT, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "case.version", "the version",
     NULL},
    {"stage", FT_ENUM, F_SERVER, 0, 0, AWDA_STAGES, NULL, SENS_NONE, "#status", "case.stage",
     "the stage", NULL},
    {"created_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#date+created",
     "case.created_at", "created", NULL},
    {"updated_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#date+updated",
     "case.updated_at", "updated", NULL},
    {"office", FT_STRING, F_REQUIRED | F_NOCOL, 6, 6, NULL, NULL, SENS_NONE, "#org+code",
     "case.office", "the office", check_office_code},
    {"origin_country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, "#country+origin+code",
     "case.origin_country", "the country of origin", NULL},
    {"destination_country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE,
     "#country+destination+code", "case.destination_country", "the destination country", NULL},
    {"destination_admin_area", FT_STRING, F_NULLABLE, 0, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE,
     "#adm1+name", "case.destination_admin_area", "the destination area", NULL},
    {"destination_pcode", FT_STRING, F_NULLABLE, 1, 20, NULL, NULL, SENS_NONE, "#adm1+code",
     "case.destination_pcode", "the destination P-code", check_pcode},
    {"project", FT_STRING, F_NULLABLE, 0, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE,
     "#activity+project", "case.project", "the project", NULL},
    {"assigned_to", FT_STRING, F_NULLABLE | F_NOCOL, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE,
     NULL, "case.assigned_to", "the assigned case worker", check_username},
    {"planned_departure", FT_DATETIME, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, "#date+departure",
     "case.planned_departure", "the planned departure", NULL},
    {"stage_before", FT_ENUM, F_SERVER, 0, 0, AWDA_STAGES, NULL, SENS_NONE, NULL,
     "case.stage_before", "the stage before the hold or withdrawal", NULL},
    {"closure_reason", FT_STRING, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "case.closure_reason", "the closure reason", NULL},
    {"receiving_office", FT_STRING, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#org+receiving",
     "case.receiving_office", "the receiving office", NULL},
    {"notes", FT_TEXT, F_NULLABLE, 0, AWDA_MAX_NOTES, NULL, NULL, SENS_NONE, NULL, "case.notes",
     "the notes", NULL},
    {"members", FT_ARRAY, F_REQUIRED | F_NOCOL, 1, AWDA_MAX_MEMBERS, NULL, &AWDA_MEMBER,
     SENS_IDENTITY, NULL, "case.members", "the members", NULL},
};
const awda_entity_t AWDA_CASE = {"case", "The case", CASE_FIELDS, N(CASE_FIELDS), case_rules};

static void case_rules(const json_t *obj, const char *path, json_t *errors)
{
    (void)path;
    const json_t *members = json_object_get(obj, "members");
    if (!json_is_array(members) || awda_has_error(errors, "members"))
        return; /* the list itself is wrong: that is the problem to fix */
    size_t i;
    json_t *m;
    int principals = 0;
    char p[256];
    json_array_foreach(members, i, m)
    {
        const char *rel = json_string_value(json_object_get(m, "relationship"));
        if (rel && strcmp(rel, "principal") == 0) {
            if (++principals == 2) {
                snprintf(p, sizeof p, "members[%zu].relationship", i);
                awda_error_add(errors, p, "a case has only one principal applicant");
            }
        }
        const char *pid = json_string_value(json_object_get(m, "person_id"));
        for (size_t j = 0; pid && j < i; j++) {
            const char *other =
                json_string_value(json_object_get(json_array_get(members, j), "person_id"));
            if (other && strcmp(other, pid) == 0) {
                snprintf(p, sizeof p, "members[%zu].person_id", i);
                awda_error_add(errors, p, "this person is already a member of the case");
                break;
            }
        }
    }
    if (principals == 0)
        awda_error_add(errors, "members", "a case needs exactly one principal applicant");
}
