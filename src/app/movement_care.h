/*
 * movement_care.h — the care of a movement's passengers (movement_care.c):
 * escorts, airport assistance, onward transport, travel allowances, and
 * the escort requirements that confirming and departing a movement check.
 * The manifest is manifest.h.
 */
#ifndef AWDA_APP_MOVEMENT_CARE_H
#define AWDA_APP_MOVEMENT_CARE_H
#include "app.h"
#include "../store/movement_care.h"

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

/* ---- escorts, assistance, onward transport, allowances ----
 * Every use case names the movement by its public id and answers 404 for
 * a movement that is not there or that the actor does not see (a movement
 * is seen by the users of its sending and of its receiving office, and by
 * the roles that see every office). Writes run on the writer, in one
 * transaction with their checks. Answers, in r: */

/* {"items": [escort...], "capacity", "seats_taken"}. */
void app_escort_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r);
/* A new escort {"kind", "user" | "name" + "organisation", "passengers"}:
 * 201 with it; 409 (code movement.full) when no seat is left — an escort
 * takes a seat; 422 for a user that does not exist or a person who is not
 * a passenger (booked or departed) of this movement; 409 once the
 * movement departed or was cancelled. */
void app_escort_create(app_t *app, const app_actor_t *a, const char *movement_id,
                       const json_t *body, const char *idem_key, const char *request_hash,
                       app_result_t *r);
/* Merge-patches the escort (the members present replace theirs; null
 * removes an optional one). */
void app_escort_update(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *escort_id, const json_t *body, app_result_t *r);
/* Removes the escort: 204. */
void app_escort_delete(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *escort_id, app_result_t *r);

/* {"items": [assistance...]} by leg and point. */
void app_assistance_list(app_t *app, const app_actor_t *a, const char *movement_id,
                         app_result_t *r);
/* A new airport assistance {"leg", "point", "meeting_point", "user" |
 * "partner", "status"}: 201; 422 for a leg the movement does not have. */
void app_assistance_create(app_t *app, const app_actor_t *a, const char *movement_id,
                           const json_t *body, const char *idem_key, const char *request_hash,
                           app_result_t *r);
/* Merge-patches it; m (If-Match) is honoured when present (412 when the
 * assistance changed since), not required. ETag: its version. */
void app_assistance_update(app_t *app, const app_actor_t *a, const char *movement_id,
                           const char *assistance_id, const app_if_match_t *m, const json_t *body,
                           app_result_t *r);

/* {"items": [onward...]}: the onward transport of every passenger that
 * has one. */
void app_onward_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r);
/* Sets the onward transport of a passenger {"mode", "provider" |
 * "partner", "destination_pcode", "destination_admin_area", "cost":
 * {"amount_minor", "currency"}}: 200 with it. 404 when the person is not a
 * passenger (booked or departed) of the movement. */
void app_onward_put(app_t *app, const app_actor_t *a, const char *movement_id,
                    const char *person_id, const json_t *body, app_result_t *r);
/* Removes it: 204; 404 when there was none. */
void app_onward_delete(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *person_id, app_result_t *r);

/* {"items": [allowance...]}. */
void app_allowance_list(app_t *app, const app_actor_t *a, const char *movement_id, app_result_t *r);
/* Sets the travel allowance of a passenger {"amount_minor", "currency",
 * "budget_line"}: 200 with it (what the reintegration ledger takes over). */
void app_allowance_put(app_t *app, const app_actor_t *a, const char *movement_id,
                       const char *person_id, const json_t *body, app_result_t *r);

/* For manifest.c: the movement with public id into *m when the actor sees
 * it; 0 with r answered (404, 500) otherwise. */
int app_mvcare_movement(store_conn_t *c, const app_actor_t *a, const char *id,
                        store_movement_row_t *m, app_result_t *r);

#endif
