/*
 * movement_care.h — the care of a movement's passengers (movement_care.c):
 * escorts, airport assistance, onward transport, travel allowances, and
 * the escort requirements that confirming and departing a movement check.
 * The manifest is manifest.h.
 */
#ifndef AWDA_APP_MOVEMENT_CARE_H
#define AWDA_APP_MOVEMENT_CARE_H
#include "app.h"

/* The escort requirements of a movement, over its passengers as the
 * movement's JSON gives them (GET /api/v1/movements/{id} "passengers"):
 * an array of objects with "person_id", "case_id", "name", "age" (whole
 * years at departure; null when unknown), "relationship" and "status".
 * Passengers whose status is neither "booked" nor "departed" (removed,
 * no-show) are not travelling and are skipped; an object without
 * "status" is taken as travelling.
 *
 * Returns the unmet requirements, an array (empty when all is well) of
 * {"person_id", "code", "message"}:
 *   escort.medical  the person's latest health assessment in their case
 *                   (not the pre-embarkation check) lists the need
 *                   medical_escort, and no medical escort of this movement
 *                   is assigned to them;
 *   escort.child    a child (under 18 at departure) travelling
 *                   unaccompanied — flagged unaccompanied_child or
 *                   separated_child, or with no member of their own
 *                   household (case) on this movement known to be an
 *                   adult at departure, as core/guards.c decides — and no
 *                   escort of this movement (of either kind) is assigned
 *                   to them.
 * c may be a reader or the writer's connection (only reads). The caller
 * owns the result; NULL on a database error. */
json_t *app_movement_escort_blockers(store_conn_t *c, int64_t movement_pk,
                                     const json_t *passengers);

#endif
