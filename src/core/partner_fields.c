/*
 * partner_fields.c — the field table of a partner organisation (see
 * field.h): the organisations a case is referred to or shared with
 * (app/partners.c, GET /api/v1/partners).
 */
#include "field.h"
#include "../util/limits.h"

/* A row of a field table may stop after its check function. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

/* A partner organisation: consent to share, its withdrawal, a referral
 * and a partner user refer to it by id, never by its name. */
static const awda_field_t PARTNER_FIELDS[] = {
    {"id", FT_UUID, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "partner.id", "the partner id",
     NULL},
    {"name", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL, SENS_NONE, "#org+name",
     "partner.name", "the name of the organisation", NULL},
    {"country", FT_COUNTRY, F_NULLABLE, 0, 0, NULL, NULL, SENS_NONE, "#country+code",
     "partner.country", "the country where it works", NULL},
    {"created_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "partner.created_at",
     "created", NULL},
    {"updated_at", FT_TIMESTAMP, F_SERVER, 0, 0, NULL, NULL, SENS_NONE, NULL, "partner.updated_at",
     "updated", NULL},
};
const awda_entity_t AWDA_PARTNER = {"partner", "The partner organisation", PARTNER_FIELDS,
                                    AWDA_NELEM(PARTNER_FIELDS), NULL};
