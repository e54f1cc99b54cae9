/*
 * movement_care.h — the vocabulary and field tables of a movement's care
 * (movement_care.c): escorts, airport assistance, onward transport, the
 * travel allowance, money, ISO 4217 currencies and the age groups of the
 * manifest. Pure: no I/O.
 */
#ifndef AWDA_CORE_MOVEMENT_CARE_H
#define AWDA_CORE_MOVEMENT_CARE_H
#include "field.h"

/* {"kind","user"|"name"+"organisation","passengers":[person_id...]} */
extern const awda_entity_t AWDA_ESCORT;
/* {"leg","point","meeting_point","user"|"partner","status"} */
extern const awda_entity_t AWDA_ASSISTANCE;
/* {"mode","provider"|"partner","destination_pcode","destination_admin_area",
 *  "cost":{"amount_minor","currency"}} */
extern const awda_entity_t AWDA_ONWARD;
/* {"amount_minor","currency","budget_line"} */
extern const awda_entity_t AWDA_ALLOWANCE;

extern const char *const AWDA_ESCORT_KINDS[];        /* medical, operational */
extern const char *const AWDA_ASSISTANCE_POINTS[];   /* departure, transit, arrival */
extern const char *const AWDA_ASSISTANCE_STATUSES[]; /* requested, confirmed, done, cancelled */
extern const char *const AWDA_ONWARD_MODES[];        /* bus, car, air, boat, train, other */

/* 1 when s is an active ISO 4217 currency code (upper case: XOF, EGP). */
int awda_currency_valid(const char *s);

/* The age groups of the manifest, youngest first, NULL-terminated:
 * "0-4", "5-11", "12-17", "18-59", "60+". */
extern const char *const AWDA_AGE_GROUPS[];
/* The group of an age in whole years; "unknown" for a negative age. */
const char *awda_age_group(int age);

#endif
