/*
 * entities.c — the field tables of cases and persons (see field.h): the
 * case, its members, the person, their documents and contact, and the
 * cross-field rules that no single field can express: one principal per
 * case, a person only once per case, dates of birth consistent with their
 * precision, the unaccompanied-child flag only for a child, a household's
 * plausibility. The tables of other modules are files of their own
 * (admin_fields.c: offices and users; partner_fields.c; records.c:
 * the journey's records and the restriction; movement_care.c).
 *
 * To add a field: add one line to the table below and, when it is stored
 * in its own column, that column in a new migration (src/store/migration_NNN.sql).
 *
 * The names of the roles and stages, and what the stages are, are
 * vocabulary.c's (roles.def, stages.def).
 */
#include "field.h"
#include "vocabulary.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A row of a field table may stop after its check function: the members
 * that follow (required_when, source) are NULL unless a row gives them. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

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

/* ---- string checks ---------------------------------------------------- */

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
                                     AWDA_NELEM(DOCUMENT_FIELDS), NULL};

static const awda_field_t CONTACT_FIELDS[] = {
    {"phone", FT_STRING, F_NULLABLE, 4, 32, NULL, NULL, SENS_CONTACT, "#contact+phone",
     "contact.phone", "the phone number", check_phone},
    {"email", FT_STRING, F_NULLABLE, 3, AWDA_MAX_SHORT, NULL, NULL, SENS_CONTACT, "#contact+email",
     "contact.email", "the e-mail address", check_email},
    {"address", FT_TEXT, F_NULLABLE, 0, 500, NULL, NULL, SENS_CONTACT, "#contact+address",
     "contact.address", "the address", NULL},
};
const awda_entity_t AWDA_CONTACT = {"contact", "The contact", CONTACT_FIELDS,
                                    AWDA_NELEM(CONTACT_FIELDS), NULL};

static void person_rules(const json_t *obj, const char *path, json_t *errors);

/* A date of birth needs its precision; a precision other than
 * "estimated" needs the date. */
static const char *const DOB_KNOWN[] = {"exact", "month", "year", NULL};
static const awda_when_t WHEN_DOB_GIVEN = {"date_of_birth", NULL};
static const awda_when_t WHEN_DOB_KNOWN = {"dob_precision", DOB_KNOWN};

static const awda_field_t PERSON_FIELDS[] = {
    {"id", FT_UUID, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, "#affected+id", "person.id",
     "the person id", NULL},
    {"name", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_IDENTITY,
     "#affected+name", "person.name", "the name", NULL},
    {"name_latin", FT_STRING, F_NULLABLE | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_IDENTITY,
     "#affected+name+latin", "person.name_latin", "the name in Latin script", NULL},
    {"sex", FT_ENUM, F_REQUIRED, 0, 0, SEX, NULL, SENS_NONE, "#affected+sex", "person.sex", "sex",
     NULL},
    {"date_of_birth", FT_PARTIAL_DATE, F_NULLABLE, 0, 0, NULL, NULL, SENS_IDENTITY,
     "#affected+birth", "person.date_of_birth", "date of birth", NULL, &WHEN_DOB_KNOWN, NULL},
    {"dob_precision", FT_ENUM, F_NULLABLE, 0, 0, DOB_PRECISION, NULL, SENS_NONE, NULL,
     "person.dob_precision", "the precision of the date of birth", NULL, &WHEN_DOB_GIVEN, NULL},
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
const awda_entity_t AWDA_PERSON = {"person", "The person", PERSON_FIELDS, AWDA_NELEM(PERSON_FIELDS),
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
    /* A date or precision that is wrong on its own says enough (a date
     * without its precision, or a precision without its date: the
     * required_when of the table above says so). */
    if (awda_has_error(errors, at(p, sizeof p, path, "date_of_birth")))
        return;
    if (awda_has_error(errors, at(p, sizeof p, path, "dob_precision")))
        prec = NULL;
    if (dob && prec) {
        size_t n = strlen(dob);
        snprintf(p, sizeof p, "%s%sdob_precision", path, *path ? "." : "");
        if (strcmp(prec, "exact") == 0 && n != 10)
            awda_error_add(errors, p,
                           "an exact date of birth needs the day, month and year (YYYY-MM-DD)");
        else if (strcmp(prec, "month") == 0 && n < 7)
            awda_error_add(errors, p, "a date of birth known to the month needs YYYY-MM");
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
const awda_entity_t AWDA_MEMBER = {"member", "The member", MEMBER_FIELDS, AWDA_NELEM(MEMBER_FIELDS),
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
     "case.office", "the office", awda_check_office_code, NULL, "offices"},
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
     NULL, "case.assigned_to", "the assigned case worker", awda_check_username, NULL, "staff"},
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
    /* Input only: the household warnings (AWDA_PLAUSIBILITY) that the case
     * worker confirms are true; app/cases.c keeps them in the event. */
    {"confirm_plausibility", FT_FLAGS, F_NULLABLE | F_NOCOL | F_CONFIRM, 0, 8, AWDA_PLAUSIBILITY,
     NULL, SENS_NONE, NULL, "case.confirm_plausibility", "the confirmations", NULL},
};
const awda_entity_t AWDA_CASE = {"case", "The case", CASE_FIELDS, AWDA_NELEM(CASE_FIELDS),
                                 case_rules};

/* ---- household plausibility ------------------------------------------- */

const char *const AWDA_PLAUSIBILITY[] = {
    "child-older-than-principal",
    "parent-younger-than-principal",
    "spouse-too-young",
    "principal-young-without-guardian",
    NULL,
};

/* The earliest and latest day a person can have been born on, read from
 * a partial date of birth and its precision (an estimate can be a year
 * off either way), as day numbers and as dates. */
typedef struct {
    int known;
    awda_date_t lo, hi;
    int64_t lo_days, hi_days;
    int age; /* on the day, by the date as written (the oldest reading) */
} birth_t;

static int age_at(awda_date_t born, int y, int m, int d)
{
    int age = y - born.year;
    if (m < born.month || (m == born.month && d < born.day))
        age--;
    return age;
}

static birth_t birth_of(const json_t *person, int y, int m, int d)
{
    birth_t b;
    memset(&b, 0, sizeof b);
    const char *dob = json_string_value(json_object_get(person, "date_of_birth"));
    const char *prec = json_string_value(json_object_get(person, "dob_precision"));
    awda_date_t t;
    int parts = dob ? awda_date_parse(dob, strlen(dob), &t) : 0;
    if (parts == 0)
        return b;
    if (prec && strcmp(prec, "year") == 0)
        parts = 1;
    else if (prec && strcmp(prec, "month") == 0 && parts > 2)
        parts = 2;
    b.lo = b.hi = t;
    if (parts < 2) {
        b.lo.month = 1;
        b.hi.month = 12;
    }
    if (parts < 3) {
        b.lo.day = 1;
        b.hi.day = awda_days_in_month(b.hi.year, b.hi.month);
    }
    if (prec && strcmp(prec, "estimated") == 0) {
        b.lo.year--;
        b.hi.year++;
        if (b.lo.month == 2 && b.lo.day > awda_days_in_month(b.lo.year, 2))
            b.lo.day = awda_days_in_month(b.lo.year, 2);
        if (b.hi.month == 2 && b.hi.day > awda_days_in_month(b.hi.year, 2))
            b.hi.day = awda_days_in_month(b.hi.year, 2);
    }
    b.lo_days = awda_days_from_civil(b.lo.year, b.lo.month, b.lo.day);
    b.hi_days = awda_days_from_civil(b.hi.year, b.hi.month, b.hi.day);
    b.age = awda_age_on(dob, prec, y, m, d, 0);
    b.known = 1;
    return b;
}

static void finding(json_t *out, size_t member, const char *code, json_t *params, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

static void finding(json_t *out, size_t member, const char *code, json_t *params, const char *fmt,
                    ...)
{
    char field[64], msg[512];
    snprintf(field, sizeof field, "members[%zu].person.date_of_birth", member);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:o}", "field", field, "code", code,
                                         "message", msg, "params", params));
}

int awda_case_plausibility(const json_t *caze, int y, int m, int d, json_t *out)
{
    const json_t *members = json_object_get(caze, "members");
    size_t before = json_array_size(out), i, pi = 0;
    json_t *mem;
    birth_t pr = {0};
    int guarded = 0;
    json_array_foreach(members, i, mem)
    {
        const char *rel = json_string_value(json_object_get(mem, "relationship"));
        if (!rel)
            continue;
        if (strcmp(rel, "principal") == 0 && !pr.known) {
            pr = birth_of(json_object_get(mem, "person"), y, m, d);
            pi = i;
        }
        if (strcmp(rel, "parent") == 0 || strcmp(rel, "guardian") == 0)
            guarded = 1;
    }
    json_array_foreach(members, i, mem)
    {
        const char *rel = json_string_value(json_object_get(mem, "relationship"));
        birth_t b = birth_of(json_object_get(mem, "person"), y, m, d);
        if (!rel || !b.known)
            continue;
        /* Even born on the last possible day, the child is not younger. */
        if (pr.known && strcmp(rel, "child") == 0 && b.hi_days <= pr.lo_days)
            finding(out, i, "child-older-than-principal",
                    json_pack("{s:i,s:i}", "age", b.age, "principal_age", pr.age),
                    "this child is aged %d by the date of birth, not younger than the "
                    "principal applicant (aged %d); check the dates of birth and the relationship, "
                    "and confirm it if it is true",
                    b.age, pr.age);
        if (pr.known && strcmp(rel, "parent") == 0 && b.lo_days >= pr.hi_days)
            finding(out, i, "parent-younger-than-principal",
                    json_pack("{s:i,s:i}", "age", b.age, "principal_age", pr.age),
                    "this parent is aged %d by the date of birth, not older than the "
                    "principal applicant (aged %d); check the dates of birth and the relationship, "
                    "and confirm it if it is true",
                    b.age, pr.age);
        if (strcmp(rel, "spouse") == 0 && age_at(b.lo, y, m, d) < AWDA_PLAUSIBLE_MIN_SPOUSE_AGE)
            finding(out, i, "spouse-too-young", json_pack("{s:i}", "age", b.age),
                    "this spouse is aged %d by the date of birth; check the date of birth "
                    "and the relationship, and confirm it if it is true",
                    b.age);
    }
    if (pr.known && !guarded && age_at(pr.lo, y, m, d) < AWDA_PLAUSIBLE_MIN_ALONE_AGE)
        finding(out, pi, "principal-young-without-guardian", json_pack("{s:i}", "age", pr.age),
                "the principal applicant is aged %d by the date of birth and no parent or "
                "guardian is a member of the case; check the date of birth, or add the parent "
                "or guardian, and confirm it if it is true",
                pr.age);
    return (int)(json_array_size(out) - before);
}

/* 1 when errors holds a problem with a date of birth or its precision. */
static int dates_wrong(const json_t *errors)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "field"));
        size_t n = f ? strlen(f) : 0;
        if ((n >= 14 && strcmp(f + n - 14, ".date_of_birth") == 0) ||
            (n >= 14 && strcmp(f + n - 14, ".dob_precision") == 0))
            return 1;
    }
    return 0;
}

/* Adds the household warnings the case does not confirm to errors. While
 * a date of birth is wrong on its own, that is the problem to fix first. */
static void plausibility_rules(const json_t *obj, json_t *errors)
{
    if (dates_wrong(errors))
        return;
    awda_date_t t = awda_today();
    json_t *found = json_array();
    const json_t *confirmed = json_object_get(obj, "confirm_plausibility");
    awda_case_plausibility(obj, t.year, t.month, t.day, found);
    size_t i;
    json_t *w;
    json_array_foreach(found, i, w)
    {
        const char *code = json_string_value(json_object_get(w, "code"));
        const char *field = json_string_value(json_object_get(w, "field"));
        if ((json_is_array(confirmed) && has_flag(confirmed, code)) || !field)
            continue;
        json_object_set_new(w, "confirm", json_string("confirm_plausibility"));
        json_array_append(errors, w);
    }
    json_decref(found);
}

static void case_rules(const json_t *obj, const char *path, json_t *errors)
{
    (void)path;
    const json_t *members = json_object_get(obj, "members");
    if (!json_is_array(members) || awda_has_error(errors, "members"))
        return; /* the list itself is wrong: that is the problem to fix */
    plausibility_rules(obj, errors);
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
