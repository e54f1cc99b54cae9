/*
 * movement_care.c — the vocabulary and field tables of a movement's care:
 * escorts, airport assistance per leg, onward transport and the travel
 * allowance per passenger, money (integer minor units with an ISO 4217
 * currency), and the age groups of the manifest.
 *
 * The tables drive validation (awda_validate: every problem at once, with
 * its JSON path); the rules below add what one field cannot say alone —
 * a staff member or an external escort, not both; a currency that exists.
 * What needs the database (a user that exists, a passenger of this
 * movement, a leg it has) is checked by app/movement_care.c.
 */
#include "movement_care.h"
#include "../util/limits.h"
#include <stdio.h>
#include <string.h>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

const char *const AWDA_ESCORT_KINDS[] = {"medical", "operational", NULL};
const char *const AWDA_ASSISTANCE_POINTS[] = {"departure", "transit", "arrival", NULL};
const char *const AWDA_ASSISTANCE_STATUSES[] = {"requested", "confirmed", "done", "cancelled",
                                                NULL};
const char *const AWDA_ONWARD_MODES[] = {"bus", "car", "air", "boat", "train", "other", NULL};
const char *const AWDA_AGE_GROUPS[] = {"0-4", "5-11", "12-17", "18-59", "60+", NULL};

/* ---- ISO 4217 ---------------------------------------------------------------- */

/* The active codes of ISO 4217 (funds and precious metals left out),
 * sorted for the binary search. */
static const char CURRENCIES[][4] = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU",
    "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWG", "ZWL",
};

int awda_currency_valid(const char *s)
{
    if (!s || strlen(s) != 3)
        return 0;
    size_t lo = 0, hi = AWDA_NELEM(CURRENCIES);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(CURRENCIES[mid], s);
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

const char *awda_age_group(int age)
{
    if (age < 0)
        return "unknown";
    if (age <= 4)
        return AWDA_AGE_GROUPS[0];
    if (age <= 11)
        return AWDA_AGE_GROUPS[1];
    if (age <= 17)
        return AWDA_AGE_GROUPS[2];
    if (age <= 59)
        return AWDA_AGE_GROUPS[3];
    return AWDA_AGE_GROUPS[4];
}

/* ---- rules -------------------------------------------------------------------- */

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static void at(char *out, size_t cap, const char *path, const char *key)
{
    snprintf(out, cap, "%s%s%s", path, *path ? "." : "", key);
}

static void currency_rule(const json_t *o, const char *path, json_t *errors)
{
    const char *cur = str(o, "currency");
    if (cur && strlen(cur) == 3 && !awda_currency_valid(cur)) {
        char p[160];
        at(p, sizeof p, path, "currency");
        awda_error_add(errors, p,
                       "%s is not an ISO 4217 currency code: write the three capital letters, "
                       "such as XOF, EGP or USD",
                       cur);
    }
}

/* Two ways of saying who: one of them at most (or exactly one). */
static void one_of(const json_t *o, const char *path, const char *a, const char *b, int required,
                   json_t *errors)
{
    int has_a = json_object_get(o, a) && !json_is_null(json_object_get(o, a));
    int has_b = json_object_get(o, b) && !json_is_null(json_object_get(o, b));
    char p[160];
    if (has_a && has_b) {
        at(p, sizeof p, path, b);
        awda_error_add(errors, p, "give %s or %s, not both", a, b);
    } else if (required && !has_a && !has_b) {
        at(p, sizeof p, path, a);
        awda_error_add(errors, p, "give %s (a staff member's user name) or %s", a, b);
    }
}

static void escort_rules(const json_t *o, const char *path, json_t *errors)
{
    one_of(o, path, "user", "name", 1, errors);
    if (json_object_get(o, "user") && !json_is_null(json_object_get(o, "user")) &&
        json_object_get(o, "organisation") && !json_is_null(json_object_get(o, "organisation"))) {
        char p[160];
        at(p, sizeof p, path, "organisation");
        awda_error_add(errors, p,
                       "an organisation is given for an external escort (with name), not for a "
                       "staff member");
    }
}

static void assistance_rules(const json_t *o, const char *path, json_t *errors)
{
    one_of(o, path, "user", "partner", 0, errors);
}

static void onward_rules(const json_t *o, const char *path, json_t *errors)
{
    one_of(o, path, "provider", "partner", 0, errors);
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

/* ---- field tables --------------------------------------------------------------- */

#define CURRENCY_FIELD                                                                             \
    {                                                                                              \
        "currency", FT_STRING, F_REQUIRED, 3, 3, NULL, NULL, SENS_NONE, NULL, "money.currency",    \
            "the currency (ISO 4217, such as XOF)", NULL                                           \
    }
#define AMOUNT_FIELD                                                                               \
    {                                                                                              \
        "amount_minor", FT_INT, F_REQUIRED, 0, AWDA_MAX_MONEY_MINOR, NULL, NULL, SENS_NONE, NULL,  \
            "money.amount_minor",                                                                  \
            "the amount (a whole number of the currency's minor units, such as "                   \
            "cents)",                                                                              \
            NULL                                                                                   \
    }

static const awda_field_t MONEY_FIELDS[] = {AMOUNT_FIELD, CURRENCY_FIELD};
static const awda_entity_t MONEY = {"money", "The amount", MONEY_FIELDS, AWDA_NELEM(MONEY_FIELDS),
                                    currency_rule};

static const awda_field_t ESCORT_FIELDS[] = {
    {"kind", FT_ENUM, F_REQUIRED, 0, 0, AWDA_ESCORT_KINDS, NULL, SENS_NONE, NULL, "escort.kind",
     "the kind of escort", NULL},
    {"user", FT_STRING, F_NULLABLE, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE, NULL,
     "escort.user", "the staff member", NULL, NULL, "staff"},
    {"name", FT_STRING, F_NULLABLE | F_NAME, 1, AWDA_MAX_NAME, NULL, NULL, SENS_NONE, NULL,
     "escort.name", "the escort's name", NULL},
    {"organisation", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "escort.organisation", "the escort's organisation", NULL},
    {"passengers", FT_STRINGS, F_NULLABLE, 0, AWDA_MAX_ESCORT_PASSENGERS, NULL, NULL, SENS_NONE,
     NULL, "escort.passengers", "the passengers accompanied", NULL},
};
const awda_entity_t AWDA_ESCORT = {"escort", "The escort", ESCORT_FIELDS, AWDA_NELEM(ESCORT_FIELDS),
                                   escort_rules};

static const awda_field_t ASSISTANCE_FIELDS[] = {
    {"leg", FT_INT, F_REQUIRED, 0, AWDA_MAX_ASSISTANCE_LEG, NULL, NULL, SENS_NONE, NULL,
     "assistance.leg", "the leg (0 for the first)", NULL},
    {"point", FT_ENUM, F_REQUIRED, 0, 0, AWDA_ASSISTANCE_POINTS, NULL, SENS_NONE, NULL,
     "assistance.point", "the point of the journey", NULL},
    {"meeting_point", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "assistance.meeting_point", "the meeting point", NULL},
    {"user", FT_STRING, F_NULLABLE, 2, AWDA_MAX_USERNAME, NULL, NULL, SENS_NONE, NULL,
     "assistance.user", "the staff member", NULL, NULL, "staff"},
    {"partner", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL, "assistance.partner",
     "the partner organisation", NULL},
    {"status", FT_ENUM, F_NULLABLE, 0, 0, AWDA_ASSISTANCE_STATUSES, NULL, SENS_NONE, NULL,
     "assistance.status", "the status", NULL},
};
const awda_entity_t AWDA_ASSISTANCE = {"assistance", "The airport assistance", ASSISTANCE_FIELDS,
                                       AWDA_NELEM(ASSISTANCE_FIELDS), assistance_rules};

static const awda_field_t ONWARD_FIELDS[] = {
    {"mode", FT_ENUM, F_REQUIRED, 0, 0, AWDA_ONWARD_MODES, NULL, SENS_NONE, NULL, "onward.mode",
     "the mode of transport", NULL},
    {"provider", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "onward.provider", "the provider", NULL},
    {"partner", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, NULL, "onward.partner",
     "the partner organisation", NULL},
    {"destination_pcode", FT_STRING, F_NULLABLE, 1, AWDA_MAX_PCODE, NULL, NULL, SENS_NONE, NULL,
     "onward.destination_pcode", "the P-code of the destination", check_pcode},
    {"destination_admin_area", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE,
     NULL, "onward.destination_admin_area", "the destination area", NULL},
    {"cost", FT_OBJECT, F_NULLABLE, 0, 0, NULL, &MONEY, SENS_NONE, NULL, "onward.cost", "the cost",
     NULL},
};
const awda_entity_t AWDA_ONWARD = {"onward", "The onward transport", ONWARD_FIELDS,
                                   AWDA_NELEM(ONWARD_FIELDS), onward_rules};

static const awda_field_t ALLOWANCE_FIELDS[] = {
    AMOUNT_FIELD,
    CURRENCY_FIELD,
    {"budget_line", FT_STRING, F_NULLABLE, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, NULL,
     "allowance.budget_line", "the budget line", NULL},
};
const awda_entity_t AWDA_ALLOWANCE = {"allowance", "The travel allowance", ALLOWANCE_FIELDS,
                                      AWDA_NELEM(ALLOWANCE_FIELDS), currency_rule};
