/*
 * merges.h — the store of the review queue and of merges (issue 13): the
 * possible duplicates waiting for a reviewer (duplicate_pairs, migration
 * 19), a pair decided "not the same", two registrations of one human
 * merged into one person, and the merge undone (person_merges,
 * person_merge_rows and persons.merged_into_pk, the merge room's
 * migration).
 *
 * A merge re-points every row of every table whose column references
 * persons(pk) (found in the schema itself, so a table added later is
 * covered without an edit here) from the merged person to the kept one,
 * in the caller's writer transaction, and lists each row it changed.
 */
#ifndef AWDA_STORE_MERGES_H
#define AWDA_STORE_MERGES_H
#include "store.h"

/* The pairs of status (open | not_same | merged), best score first, then
 * by (person_a, person_b), after the key (score, a, b) of the last row of
 * the page before (after_score < 0: from the first). Pairs of which a
 * person has been merged away are left out of the open ones. At most
 * limit rows: [{a_pk, b_pk, a_id, b_id, score, explanation, source,
 * created_at, status, note?, decided_by?, decided_at?, merge?}]. Caller
 * owns; NULL on failure. */
json_t *store_dup_pairs(store_conn_t *c, const char *status, long long after_score, int64_t after_a,
                        int64_t after_b, int limit);

/* The pair (a, b) (a < b) as store_dup_pairs gives it, whatever its
 * status. Caller owns; NULL when there is none. */
json_t *store_dup_pair(store_conn_t *c, int64_t a, int64_t b);

/* A person as the queue shows them: {id, name, name_latin, sex,
 * date_of_birth, dob_precision, nationality, merged_into?, cases: [{id,
 * number, stage, office, office_pk, receiving_office_pk, project}]}.
 * Caller owns; NULL when there is none. */
json_t *store_merge_person(store_conn_t *c, int64_t pk);

/* The pair (a, b) (a < b): its status into status (16 bytes). STORE_OK,
 * STORE_NOTFOUND. */
int store_dup_pair_status(store_conn_t *c, int64_t a, int64_t b, char status[16]);

/* Decides the open pair (a, b): status not_same or merged, with note
 * (may be NULL), by user_pk at now_ms. STORE_CONFLICT when the pair is
 * no longer open, STORE_NOTFOUND when there is none. */
int store_dup_pair_decide(store_conn_t *c, int64_t a, int64_t b, const char *status,
                          const char *note, int64_t user_pk, int64_t now_ms);

/* Why a merge or its undo could not be done (filled on STORE_ABORT). */
typedef struct {
    /* already_merged: a person was merged into another already (person)
     * same_case: both are members of one case (case_number)
     * same_row: both hold a row of table that cannot be joined
     * undone: the merge was undone already
     * later_merge: the kept person was merged away since
     * changed: a row the merge moved has since changed or gone (table) */
    char kind[16];
    char table[64];
    char case_number[40];
    char person[37];
} store_merge_why_t;

/* Merges person merged_pk into kept_pk (pair a < b is the pair it
 * decides), by user_pk at now_ms, in the caller's writer transaction:
 * every reference re-pointed, each change listed, the merged person
 * marked merged. Writes the new merge's id into id_out and the rows moved
 * and dropped into *moved, *dropped. STORE_OK; STORE_ABORT with why
 * filled (nothing is then kept: the caller rolls back); STORE_NOTFOUND,
 * STORE_ERR. */
int store_person_merge(store_conn_t *c, int64_t kept_pk, int64_t merged_pk, int64_t pair_a,
                       int64_t pair_b, int64_t user_pk, int64_t now_ms, char id_out[37],
                       long long *moved, long long *dropped, store_merge_why_t *why);

/* A merge by id: {id, kept, merged (person ids), kept_pk, merged_pk,
 * pair_a, pair_b, rows_moved, rows_dropped, rows: {table: n}, merged_by,
 * merged_at, undone_by?, undone_at?}. Caller owns; NULL when none. */
json_t *store_merge_get(store_conn_t *c, const char *id);

/* Undoes merge id by user_pk at now_ms in the caller's writer
 * transaction: every listed row back to the merged person, the merged
 * person active again, the pair open. STORE_OK; STORE_ABORT with why;
 * STORE_NOTFOUND; STORE_ERR. */
int store_merge_undo(store_conn_t *c, const char *id, int64_t user_pk, int64_t now_ms,
                     store_merge_why_t *why);

/* The person a merged person was merged into, following a chain of merges
 * (at most AWDA_MERGE_CHAIN_MAX), with the id of the latest merge into
 * merge_id (37 bytes, may be NULL); 0 when pk is not merged. */
int64_t store_person_merged_into(store_conn_t *c, int64_t pk, char *merge_id);

#endif
