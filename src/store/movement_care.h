/*
 * movement_care.h — the store of a movement's care: escorts (and whom
 * they accompany), airport assistance per leg, onward transport and the
 * travel allowance per passenger (tables of migration 16), and the facts
 * about passengers that the escort requirements and the manifest read.
 *
 * Ownership as in store.h: a returned json_t* is the caller's (NULL: none,
 * or a database error as each function says); arguments are borrowed;
 * int results are STORE_* codes.
 */
#ifndef AWDA_STORE_MOVEMENT_CARE_H
#define AWDA_STORE_MOVEMENT_CARE_H
#include "store.h"

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

#endif
