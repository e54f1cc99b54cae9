/*
 * admin_fields.c — the field tables of administration (see field.h): the
 * office and the user, and the checks of an office code and a user name
 * that the case's table uses too (declared in field.h).
 *
 * To add a field: add one line to its table and, when it is stored in its
 * own column, that column in a new migration (src/store/migration_NNN.sql).
 */
#include "field.h"
#include "vocabulary.h"
#include "../util/limits.h"
#include <string.h>

/* A row of a field table may stop after its check function. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* ---- string checks ---------------------------------------------------- */

const char *awda_check_office_code(const char *s, size_t n)
{
    if (n != 6 || s[2] != '-')
        return "must look like EG-CAI (two letters, a dash, three letters, in capitals)";
    for (size_t i = 0; i < n; i++)
        if (i != 2 && (s[i] < 'A' || s[i] > 'Z'))
            return "must look like EG-CAI (two letters, a dash, three letters, in capitals)";
    return NULL;
}

const char *awda_check_username(const char *s, size_t n)
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
    /* A literal, so that it is translated (text/messages.c); that it names
     * every row of roles.def is checked by test_vocabulary. */
    return "must be known roles (registration, counsellor, medical, operations, protection, "
           "reintegration, finance, me, manager, admin, partner, donor)";
}

/* ---- offices and users ---------------------------------------------- */

static const awda_field_t OFFICE_FIELDS[] = {
    {"code", FT_STRING, F_REQUIRED, 6, 6, NULL, NULL, SENS_NONE, "#org+code", "office.code",
     "the office code", awda_check_office_code},
    {"name", FT_STRING, F_REQUIRED | F_NAME, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#org+name",
     "office.name", "the office name", NULL},
    {"country", FT_COUNTRY, F_REQUIRED, 0, 0, NULL, NULL, SENS_NONE, "#country+code",
     "office.country", "the office country", NULL},
    {"location", FT_STRING, F_NULLABLE, 0, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#loc+name",
     "office.location", "the location", NULL},
    /* The name as Arabic and French readers know it; the interface shows
     * the one of its language, else name. */
    {"name_ar", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#org+name+i_ar",
     "office.name_ar", "the office name in Arabic", NULL},
    {"name_fr", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#org+name+i_fr",
     "office.name_fr", "the office name in French", NULL},
};
const awda_entity_t AWDA_OFFICE = {"office", "The office", OFFICE_FIELDS, AWDA_NELEM(OFFICE_FIELDS),
                                   NULL};

static const char *const LANGUAGES_UI[] = {"ar", "fr", "en", NULL};

static const awda_field_t USER_FIELDS[] = {
    {"username", FT_STRING, F_REQUIRED, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE, NULL,
     "user.username", "the user name", awda_check_username},
    {"full_name", FT_STRING, F_NULLABLE | F_NAME, 0, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "user.full_name", "the full name", NULL},
    {"password", FT_STRING, F_REQUIRED | F_SECRET | F_NOCOL, AWDA_PASSWORD_MIN, AWDA_PASSWORD_MAX,
     NULL, NULL, SENS_NONE, NULL, "user.password", "the password", NULL},
    {"roles", FT_STRINGS, F_REQUIRED | F_NOCOL, 1, AWDA_MAX_USER_ROLES, NULL, NULL, SENS_NONE, NULL,
     "user.roles", "the roles", check_role},
    {"offices", FT_STRINGS, F_NOCOL, 0, AWDA_MAX_USER_OFFICES, NULL, NULL, SENS_NONE, NULL,
     "user.offices", "the offices", awda_check_office_code},
    /* For a programme manager: the projects they manage. With projects
     * they see their offices' cases and their projects' cases; without,
     * every office. */
    {"projects", FT_STRINGS, F_NOCOL, 0, AWDA_MAX_USER_PROJECTS, NULL, NULL, SENS_NONE, NULL,
     "user.projects", "the projects", check_project_name},
    {"disabled", FT_BOOL, F_NOCOL, 0, 0, NULL, NULL, SENS_NONE, NULL, "user.disabled", "disabled",
     NULL},
    {"language", FT_ENUM, F_NOCOL, 0, 0, LANGUAGES_UI, NULL, SENS_NONE, NULL, "user.language",
     "the interface language", NULL},
    /* For a partner user: the id of the partner organisation whose
     * referrals they see (GET /api/v1/partners). */
    {"organisation", FT_UUID, F_NULLABLE | F_NOCOL, 0, 0, NULL, NULL, SENS_NONE, NULL,
     "user.organisation", "the partner organisation", NULL},
    /* Read-only here: set by the user's own enrolment (/me/second-factor);
     * an administrator may only remove it (false), e.g. for a lost phone. */
    {"second_factor", FT_BOOL, F_NOCOL, 0, 0, NULL, NULL, SENS_NONE, NULL, "user.second_factor",
     "the second factor", NULL},
};
const awda_entity_t AWDA_USER = {"user", "The user", USER_FIELDS, AWDA_NELEM(USER_FIELDS), NULL};
