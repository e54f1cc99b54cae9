/*
 * movements.h — the use cases of movements: a charter, a scheduled
 * flight, a land or sea journey that carries the persons of cases that
 * are ready from a sending office to a receiving office.
 *
 *   movements.c           list, read, create, change, cancel; the legs
 *                         (local times with IANA zones, converted to UTC
 *                         with ICU); who sees a movement; what each
 *                         status allows (one table)
 *   movement_passengers.c adding households (the booking check, capacity,
 *                         in one writer job), removal and no-shows (the
 *                         stages a case goes back to), the planning
 *                         board (booking and boarding checks)
 *   movement_travel.c     confirm, depart (every check again, one writer
 *                         transaction), arrive (reception, onward
 *                         transport taken, hand-over)
 *
 * Scope: a movement is seen by the users of its sending office and of
 * its receiving office (and by the roles that see every office); a
 * movement out of reach is answered as absent (404). The sending office
 * plans and departs, the receiving office confirms the arrival.
 * Every use case fills r (the caller frees it with app_result_free).
 */
#ifndef AWDA_APP_MOVEMENTS_H
#define AWDA_APP_MOVEMENTS_H
#include "app.h"
#include "../store/movements.h"

/* The statuses of a movement in the order of its life, NULL-terminated:
 * the values of GET /movements?status= and of GET /schema's
 * "movement_statuses". */
extern const char *const APP_MOVEMENT_STATUSES[];
/* The kinds of movement, NULL-terminated: the values of a movement's
 * "type" and of GET /schema's "movement_types". */
extern const char *const APP_MOVEMENT_TYPES[];
/* The stages a case goes back to when its household is taken off a
 * movement ("then" of a removal; the first is the default),
 * NULL-terminated: GET /schema's "movement_return_stages". */
extern const char *const APP_MOVEMENT_RETURN_STAGES[];

/* What a movement allows in a status (the one table of movements.c): the
 * steps it may take next (POST /movements/{id}/<step>), whether it is
 * still open (its legs, passengers and escorts may change), and which of
 * its care may still change: airport assistance, onward transport, travel
 * allowances. A movement's JSON says so in "steps", "open" and "care"
 * ({"assistance", "onward", "allowance"}: true or false). */
enum {
    MOVEMENT_CONFIRM = 1u << 0,
    MOVEMENT_DEPART = 1u << 1,
    MOVEMENT_ARRIVE = 1u << 2,
    MOVEMENT_CANCEL = 1u << 3,
    MOVEMENT_OPEN = 1u << 4,
    MOVEMENT_ASSISTANCE = 1u << 5,
    MOVEMENT_ONWARD = 1u << 6,
    MOVEMENT_ALLOWANCE = 1u << 7,
};
/* The MOVEMENT_* bits the status allows, 0 when it is no status. */
unsigned movement_allows_of(const char *status);

/* GET /movements?status=&office= : {"items": [movements without
 * passengers]}. */
void app_movement_list(app_t *app, const app_actor_t *a, const char *status, const char *office,
                       app_result_t *r);
/* POST /movements: 201 with the movement. */
void app_movement_create(app_t *app, const app_actor_t *a, const json_t *body, const char *idem_key,
                         const char *request_hash, app_result_t *r);
/* GET /movements/{id}: the movement with its passengers. */
void app_movement_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* PATCH /movements/{id}: reference, carrier, capacity, legs. */
void app_movement_patch(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                        const json_t *body, app_result_t *r);
/* POST /movements/{id}/cancel {"reason"}. */
void app_movement_cancel(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r);
/* POST /movements/{id}/passengers {"cases":[], "persons":[]}:
 * {"added", "refused", "movement"}. */
void app_movement_add(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                      const char *idem_key, const char *request_hash, app_result_t *r);
/* POST /movements/{id}/passengers/remove {"case_id","reason","no_show","then"}. */
void app_movement_remove(app_t *app, const app_actor_t *a, const char *id, const json_t *body,
                         app_result_t *r);
/* GET /movements/{id}/board: the planning board. */
void app_movement_board(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* POST /movements/{id}/confirm, /depart {"at"}, /arrive {"at","met_by",
 * "notes","onward"}. */
void app_movement_confirm(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                          const json_t *body, app_result_t *r);
void app_movement_depart(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r);
void app_movement_arrive(app_t *app, const app_actor_t *a, const char *id, const app_if_match_t *m,
                         const json_t *body, app_result_t *r);

/* ---- shared by the movement_*.c files of the application layer ---- */

/* The movement with id that the actor may see into *row; 0 with 404 in r
 * otherwise. */
int movement_find(store_conn_t *c, const app_actor_t *a, const char *id, store_movement_row_t *row,
                  app_result_t *r);
/* 1 when the actor works for the sending office (receiving: for the
 * receiving office), or sees every office; else 0 with 403 in r. */
int movement_at_office(const app_actor_t *a, const store_movement_row_t *row, int receiving,
                       app_result_t *r);
/* 1 when the movement's status allows what (one MOVEMENT_* bit); else 0
 * with 409 in r naming the statuses that allow it. */
int movement_allows(const store_movement_row_t *row, unsigned what, app_result_t *r);
/* 1 when the precondition m holds for the movement's version; else 0
 * with 428 or 412 in r. */
int movement_if_match(const app_if_match_t *m, const store_movement_row_t *row, app_result_t *r);
/* The movement as the store gives it (with its passengers when
 * passengers), with "steps" and "open" from its status. Caller owns; NULL
 * when it cannot be read. */
json_t *movement_json(store_conn_t *c, int64_t pk, int passengers);
/* Adds "steps" and "open" to the movement m from its "status". */
void movement_add_steps(json_t *m);
/* r answers with the movement (200 unless code says otherwise). */
int movement_answer(store_conn_t *c, int64_t pk, app_code_t code, app_result_t *r);
/* The booking check of a case (the `book` step's requirements with the
 * movement's departure as the planned departure): the requirements not
 * met, [{code, message, person_id?}]; *j gets the case's snapshot, with
 * the movement's departure as its planned departure (the caller frees it
 * with awda_journey_free, whatever is returned). Caller owns; NULL when
 * the case cannot be read. */
json_t *movement_booking_check(app_t *app, store_conn_t *c, int64_t case_pk, int64_t departs_ms,
                               awda_journey_t *j);
/* The unmet requirements of reqs that concern person_id (theirs, and the
 * case-wide ones) as blockers [{code, message}] appended to out. */
void movement_blockers_of(const json_t *reqs, const char *person_id, json_t *out);
/* A timeline event of the case naming the movement: {"event", "from",
 * "to", "movement": {id, type}, ...more} (more is taken; may be NULL). */
int movement_case_event(store_conn_t *c, const app_actor_t *a, int64_t case_pk, const char *kind,
                        const char *event, const char *from, const char *to,
                        const store_movement_row_t *row, json_t *more);
/* "2026-12-20T05:30Z": the movement's departure as a case's planned
 * departure. */
void movement_departure_text(int64_t ms, char out[32]);

#endif
