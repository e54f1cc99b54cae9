/*
 * duplicates.h — possible duplicates of a person (issue 13): the contract
 * other rooms call (the import room flags what it brought in; the merge
 * room proposes and decides pairs).
 *
 * The pairs themselves are the table duplicate_pairs (migration 19): one row
 * per unordered pair (person_a < person_b), open | not_same | merged. A
 * pair decided not_same is never proposed again.
 */
#ifndef AWDA_APP_DUPLICATES_H
#define AWDA_APP_DUPLICATES_H
#include "app.h"

/* Flags the possible duplicates of the n persons person_pks (just written
 * by a registration or an import): for each, the candidates that score at
 * least AWDA_DUPLICATE_FLAG_SCORE (src/util/limits.h) are written to
 * duplicate_pairs, status open, with the score, the explanation, source
 * ("registration" | "import") and import_pk (0 when none) — unless the pair
 * is already there (whatever its status). Candidates are looked for among
 * every person, whatever office (the point is to find the same human
 * registered elsewhere). Reads on reader connections, writes in writer
 * jobs of many pairs each. Returns the number of pairs flagged, -1 on a
 * store failure. */
long app_duplicates_flag(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                         int64_t import_pk);
/* app_duplicates_flag for the persons of the given ids (the caller's
 * strings): -1 also when an id is no person's. */
long app_duplicates_flag_ids(app_t *app, const char *const *person_ids, size_t n,
                             const char *source);
/* app_duplicates_flag in the background of other work (an import goes on
 * writing): start reads what it needs on the caller's reader connection
 * and computes on threads of its own (one core left to the caller) —
 * person_pks is copied, source must be a static string; finish waits,
 * writes the pairs and frees f, and returns what app_duplicates_flag
 * returns. Few persons are flagged one by one, at the finish. start
 * returns NULL when out of memory (finish(NULL) is -1). */
typedef struct app_dup_flagging app_dup_flagging_t;
app_dup_flagging_t *app_duplicates_flag_start(app_t *app, const int64_t *person_pks, size_t n,
                                              const char *source, int64_t import_pk);
long app_duplicates_flag_finish(app_dup_flagging_t *f);

/* ---- the rest of the duplicates module (app/duplicates.c) ---- */

/* GET /persons/{id}/duplicates: the possible duplicates of person id
 * (which the actor must see), best first, at most limit (NULL: default):
 * {items: [{score, in_scope, person, cases, offices, explanation}]}; a
 * candidate the actor may not see has only score, in_scope false, its
 * offices and the explanation's kinds. */
void app_person_duplicates(app_t *app, const app_actor_t *a, const char *id, const char *limit,
                           app_result_t *r);
/* POST /duplicates/check: the same for a person not yet saved (body: the
 * person as registration takes it; sex and nationality may be absent). */
void app_duplicates_check(app_t *app, const app_actor_t *a, const json_t *body, const char *limit,
                          app_result_t *r);
/* After a registration is durable (called on the writer thread with the
 * created case, cheap): its persons are queued for the flagging thread
 * (source "registration"); nothing when the thread is not running. */
void app_duplicates_registered(const app_result_t *r);
/* The flagging thread of a server: flags queued registrations, and first
 * makes the keys of the persons written before migration 21 (resumable,
 * in small batches). 0, or -1 when it could not start. */
int app_duplicates_start(app_t *app);
void app_duplicates_stop(app_t *app);
/* `awda duplicates reindex`: every person's keys made again — all keys
 * dropped, then batches of AWDA_DUP_REINDEX_BATCH persons read, their keys
 * made on up to AWDA_DUP_REINDEX_THREADS threads and inserted in key
 * order, one transaction each, and the index by person made at the end.
 * progress(arg, persons done) after each batch (may be NULL). Returns the
 * persons done, -1 on failure. For a command that holds the database. */
long app_duplicates_reindex_all(app_t *app, void (*progress)(void *arg, long done), void *arg);
/* Keys stored and persons with keys; 0, or -1. */
int app_duplicates_key_counts(app_t *app, long long *keys, long long *persons);

#endif
