/*
 * movement_care.h — the store of a movement's care: escorts (and whom
 * they accompany), airport assistance per leg, onward transport and the
 * travel allowance per passenger (tables of migration 16), the facts about
 * passengers that the escort requirements read, and the rows of the
 * manifest.
 *
 * The movement is named by its key (store_movement_find of
 * store/movements.h turns a public id into it); the application layer checks the caller's scope
 * before it reads or writes anything here. Writes run inside writer jobs.
 *
 * Ownership as in store.h: a returned json_t* is the caller's (NULL: none,
 * or a database error as each function says); arguments are borrowed;
 * int results are STORE_* codes.
 */
#ifndef AWDA_STORE_MOVEMENT_CARE_H
#define AWDA_STORE_MOVEMENT_CARE_H
#include "store.h"
#include "movements.h"

/* ---- the movement ----
 * The movement itself is found with store_movement_find and its seats
 * counted with store_movement_seats_taken (store/movements.h). */
/* How many legs the movement has; -1 on error. */
int store_mvcare_leg_count(store_conn_t *c, int64_t movement_pk);
/* The person key of person_id when they are a passenger of the movement:
 * booked or departed, or also arrived when arrived is set. 0 when not. */
int64_t store_mvcare_passenger_pk(store_conn_t *c, int64_t movement_pk, const char *person_id,
                                  int arrived);
/* The key of an enabled user; 0 when there is none. */
int64_t store_mvcare_user_pk(store_conn_t *c, const char *username);
/* The key of the partner organisation id; 0 when there is none. */
int64_t store_mvcare_partner_pk(store_conn_t *c, const char *id);

/* ---- what the escort requirements read ---- */
/* The escorts of movement_pk by the persons they accompany:
 * {person_id: {"medical": bool, "any": true}} (a person with no escort is
 * absent). Caller owns; NULL on error. */
json_t *store_movement_escort_cover(store_conn_t *c, int64_t movement_pk);
/* For the person person_id of the case case_id: *needs_medical = 1 when
 * the case's latest health assessment of the person (not the
 * pre-embarkation check) lists the need medical_escort; *flagged = 1 when
 * the person's vulnerabilities say unaccompanied_child or
 * separated_child. STORE_NOTFOUND when there is no such person. */
int store_movement_passenger_facts(store_conn_t *c, const char *case_id, const char *person_id,
                                   int *needs_medical, int *flagged);

/* ---- escorts ---- */
/* How many escorts the movement has; -1 on error. */
long long store_escort_count(store_conn_t *c, int64_t movement_pk);
/* A new escort of the movement: a staff member (user_pk) or an external
 * escort (name, organisation); its id into id_out, its key into *pk_out. */
int store_escort_insert(store_conn_t *c, int64_t movement_pk, const char *kind, int64_t user_pk,
                        const char *name, const char *organisation, int64_t by_pk, char id_out[37],
                        int64_t *pk_out);
/* The key of the escort id of the movement; 0 when none. */
int64_t store_escort_pk(store_conn_t *c, int64_t movement_pk, const char *id);
/* Replaces kind and who the escort is. */
int store_escort_update(store_conn_t *c, int64_t escort_pk, const char *kind, int64_t user_pk,
                        const char *name, const char *organisation);
/* Replaces the persons the escort accompanies with person_pks[0..n). */
int store_escort_passengers_set(store_conn_t *c, int64_t escort_pk, const int64_t *person_pks,
                                size_t n);
/* Removes the escort (and whom it accompanies). */
int store_escort_delete(store_conn_t *c, int64_t escort_pk);
/* The escorts of the movement in the order they were added (only escort
 * id when not NULL): [{id, kind, user, name, organisation, passengers:
 * [person_id], accompanies: [{person_id, name, name_latin}], created_at}].
 * Caller owns; NULL on error. */
json_t *store_escort_list(store_conn_t *c, int64_t movement_pk, const char *id);

/* ---- airport assistance ---- */
long long store_assistance_count(store_conn_t *c, int64_t movement_pk);
/* A new assistance from validated JSON (leg, point, meeting_point,
 * status), staff user_pk or partner_pk (0: none), version 1. */
int store_assistance_insert(store_conn_t *c, int64_t movement_pk, const json_t *a, int64_t user_pk,
                            int64_t partner_pk, char id_out[37]);
/* The key and version of assistance id of the movement: STORE_NOTFOUND. */
int store_assistance_find(store_conn_t *c, int64_t movement_pk, const char *id, int64_t *pk,
                          int64_t *version);
/* Replaces its fields when still at expected_version (STORE_STALE). */
int store_assistance_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *a,
                            int64_t user_pk, int64_t partner_pk);
/* By leg and point (departure, transit, arrival): [{id, leg, point,
 * meeting_point, user, partner: {id, name}, status, version,
 * updated_at}] (only id when not NULL). Caller owns; NULL on error. */
json_t *store_assistance_list(store_conn_t *c, int64_t movement_pk, const char *id);

/* ---- onward transport and travel allowance, per passenger ---- */
/* Sets the onward transport of the passenger from validated JSON (mode,
 * provider, destination_pcode, destination_admin_area, cost); partner_pk
 * 0: none. What was recorded at arrival (taken) stays. */
int store_onward_put(store_conn_t *c, int64_t movement_pk, int64_t person_pk, const json_t *o,
                     int64_t partner_pk);
/* Removes it: STORE_NOTFOUND when there was none. */
int store_onward_delete(store_conn_t *c, int64_t movement_pk, int64_t person_pk);
/* [{person_id, mode, provider, partner: {id, name}, destination_pcode,
 * destination_admin_area, cost: {amount_minor, currency}, taken,
 * updated_at}] (only person_id when not NULL). Caller owns; NULL on error. */
json_t *store_onward_list(store_conn_t *c, int64_t movement_pk, const char *person_id);
/* Sets the travel allowance of the passenger (amount_minor, currency,
 * budget_line) recorded by by_pk now. */
int store_allowance_put(store_conn_t *c, int64_t movement_pk, int64_t person_pk, const json_t *a,
                        int64_t by_pk);
/* [{person_id, amount_minor, currency, budget_line, recorded_at,
 * recorded_by}] (only person_id when not NULL). Caller owns; NULL on
 * error. */
json_t *store_allowance_list(store_conn_t *c, int64_t movement_pk, const char *person_id);

/* ---- the manifest ---- */
/* The movement as the manifest heads it: {id, type, reference, carrier,
 * status, office, receiving_office, capacity, departs_at, arrives_at,
 * legs: [{from, to, number, departs_at, departs_tz, arrives_at,
 * arrives_tz}]} (times of the legs local, as the ticket shows them).
 * Caller owns; NULL on error. */
json_t *store_manifest_movement(store_conn_t *c, int64_t movement_pk);
/* The passengers on the movement (booked, departed or arrived) by family:
 * by case number, then position in the case: [{person_id, case_id,
 * case_number, relationship, name, name_latin, sex, date_of_birth,
 * dob_precision, nationality, vulnerabilities: [...], status,
 * travel_document: {type, number} or null}]. The travel document is the
 * case's latest issued travel-document record of the person, else the
 * person's travel document that expires last. Caller owns; NULL on
 * error. */
json_t *store_manifest_passengers(store_conn_t *c, int64_t movement_pk);

#endif
