/*
 * movements.h — the store of movements (migration 16): a movement, its
 * legs, its passengers and its reception. Escorts, airport assistance,
 * onward transport and allowances are store/movement_care.h.
 *
 * The rules (who may see a movement, the checks before booking and
 * boarding, capacity) are the application layer's (app/movements.c and
 * app/movement_*.c); these functions only read and write rows, inside the
 * caller's transaction. Every function that changes a movement's row
 * either names the version it read (STORE_STALE when it moved) or bumps
 * the version (store_movement_touch) so that the ETag changes.
 *
 * JSON returned is owned by the caller; NULL means a database error or,
 * where said, "none".
 */
#ifndef AWDA_STORE_MOVEMENTS_H
#define AWDA_STORE_MOVEMENTS_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* A movement's row as the application checks it (scope, status, version). */
typedef struct {
    int64_t pk, office_pk, receiving_pk, version, capacity;
    int64_t departs_ms, arrives_ms; /* 0 when unknown */
    char id[37];
    char type[24];
    char status[16];
    char office[128], receiving[128]; /* office codes */
} store_movement_row_t;

/* The movement with public id into *row; STORE_NOTFOUND when none. */
int store_movement_find(store_conn_t *c, const char *id, store_movement_row_t *row);
/* The same by key. */
int store_movement_find_pk(store_conn_t *c, int64_t pk, store_movement_row_t *row);

/* Inserts a movement from validated JSON {type, reference, carrier?,
 * capacity, legs: [{from, to, number?, departs_at, departs_tz, arrives_at,
 * arrives_tz, departs_ms, arrives_ms}]} (the _ms members computed by the
 * caller), status planned, version 1; its id into id_out, key into
 * *pk_out. */
int store_movement_insert(store_conn_t *c, const json_t *m, int64_t office_pk, int64_t receiving_pk,
                          int64_t user_pk, char id_out[37], int64_t *pk_out);
/* Replaces reference, carrier, capacity and the legs (the same JSON as
 * insert, whole) when the movement is still at expected_version
 * (STORE_STALE otherwise); bumps the version. */
int store_movement_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *m);
/* Moves the status when still at expected_version (STORE_STALE
 * otherwise); at_ms (not 0) is kept as departed_at for "departed",
 * arrived_at for "arrived"; reason as cancel_reason for "cancelled".
 * Bumps the version. */
int store_movement_set_status(store_conn_t *c, int64_t pk, int64_t expected_version,
                              const char *status, int64_t at_ms, const char *reason);
/* Bumps the version of a movement whose passengers changed. */
int store_movement_touch(store_conn_t *c, int64_t pk);

/* The movement as GET shows it (with "passengers" when with_passengers;
 * with "reception" when one is recorded). Caller owns; NULL when none. */
json_t *store_movement_get(store_conn_t *c, int64_t pk, int with_passengers);
/* Movements of status (NULL: any) touching office_pk (as sending or
 * receiving office; 0: any), within offices (nof < 0: every office),
 * the latest departures first, at most limit: an array. Caller owns. */
json_t *store_movement_list(store_conn_t *c, const char *status, int64_t office_pk,
                            const int64_t *offices, int nof, int limit);

/* Seats taken: passengers booked or departed, and escorts. -1 on error. */
long long store_movement_seats_taken(store_conn_t *c, int64_t pk);
/* Books person_pk of case_pk on the movement: STORE_CONFLICT when the
 * person is already booked or departed on a movement. */
int store_movement_passenger_add(store_conn_t *c, int64_t movement_pk, int64_t person_pk,
                                 int64_t case_pk, int64_t user_pk);
/* Takes the booked passengers of case_pk (0: of every case) off the
 * movement as status ("removed" or "no_show") with the reason; how many
 * into *n (may be NULL). */
int store_movement_passengers_off(store_conn_t *c, int64_t movement_pk, int64_t case_pk,
                                  const char *status, const char *reason, int64_t user_pk, int *n);
/* Moves every passenger at status from to status to (booked → departed,
 * departed → arrived). */
int store_movement_passengers_move(store_conn_t *c, int64_t movement_pk, const char *from,
                                   const char *to);
/* The cases with passengers at status, in booking order: [{"case_pk",
 * "persons": [person_pk, ...]}]. Caller owns; NULL on error. */
json_t *store_movement_cases(store_conn_t *c, int64_t movement_pk, const char *status);
/* The movement a person is booked or departed on (0: none). */
int64_t store_movement_of_person(store_conn_t *c, int64_t person_pk);
/* The newest case at stage `ready` that person_pk is a member of (0:
 * none). */
int64_t store_movement_ready_case(store_conn_t *c, int64_t person_pk);
/* The booked cases' planned departure (cases.planned_departure) set to
 * planned, without a new version of the cases (part of a change that
 * makes one). */
int store_movement_case_departure(store_conn_t *c, int64_t case_pk, const char *planned);
/* Records who met the passengers (once per movement). */
int store_movement_reception_insert(store_conn_t *c, int64_t movement_pk, const char *met_by,
                                    int64_t at_ms, const char *notes, int64_t user_pk);
/* Records whether the passenger took the onward transport planned for
 * them: STORE_NOTFOUND when none was planned. */
int store_movement_onward_taken(store_conn_t *c, int64_t movement_pk, int64_t person_pk, int taken);

/* "2026-12-20T05:30:00Z" for epoch ms (out: at least 21 bytes). */
void store_movement_utc(int64_t ms, char out[32]);

#endif
