/*
 * merges.h — the use cases of the review queue (issue 13): the possible
 * duplicates waiting for a reviewer, a pair decided "not the same", two
 * registrations of one human merged into one person, and a merge undone.
 *
 * A pair is named by its two persons' ids joined by a dot, the person
 * with the smaller key first ("<id a>.<id b>", as the queue gives it; the
 * other order is accepted too). Results are filled into r, which the
 * caller owns (app_result_free).
 */
#ifndef AWDA_APP_MERGES_H
#define AWDA_APP_MERGES_H
#include "app.h"

/* The pairs of status ("open" when NULL; open | not_same | merged) that
 * the actor may see — a pair of which at least one person is in a case of
 * the actor's scope — best score first: {items: [{id, score,
 * explanation, source, created_at, status, note?, decided_by?,
 * decided_at?, merge?, persons: [summary, summary]}], next_cursor?}. A
 * person outside the actor's scope shows only {visible: false, cases:
 * [{number, office}]}. */
void app_dup_queue(app_t *app, const app_actor_t *a, const char *status, const char *cursor,
                   const char *limit, app_result_t *r);

/* Decides the open pair "not the same" (body {note?}); it is never
 * proposed again. addr: where the request came from (for the audit of
 * each person). Body: the pair as the queue shows it. */
void app_dup_not_same(app_t *app, const app_actor_t *a, const char *pair, const json_t *body,
                      const char *idem_key, const char *request_hash, const char *addr,
                      app_result_t *r);

/* Merges the open pair (body {keep: person id}): the other person's
 * whole history moves to the kept one, in one transaction; 201 with the
 * merge ({id, kept, merged, rows_moved, rows_dropped, rows, merged_by,
 * merged_at}). 409 when the pair was decided already or the two cannot be
 * joined (both in one case...). */
void app_dup_merge(app_t *app, const app_actor_t *a, const char *pair, const json_t *body,
                   const char *idem_key, const char *request_hash, const char *addr,
                   app_result_t *r);

/* A merge, by id. */
void app_merge_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);

/* Undoes a merge: every row back, the merged person active, the pair open
 * again. 409 when something since would make it lossy. */
void app_merge_undo(app_t *app, const app_actor_t *a, const char *id, const char *idem_key,
                    const char *request_hash, const char *addr, app_result_t *r);

#endif
