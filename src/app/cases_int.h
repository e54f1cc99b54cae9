/*
 * cases_int.h — what the files of the case module share (cases.c:
 * registering and what writing shares, case_patch.c: changing,
 * case_read.c: reading and what a role may see, case_json.c: a case
 * answer written as JSON). Not for other modules:
 * they use app.h and internal.h.
 */
#ifndef AWDA_APP_CASES_INT_H
#define AWDA_APP_CASES_INT_H

#include "internal.h"
#include "../core/field.h"
#include "../util/limits.h"

/* References a case document makes to other records, resolved to pks. */
typedef struct {
    int64_t office_pk;
    int64_t assigned_pk;
    int64_t person_pk[AWDA_MAX_MEMBERS];
} refs_t;

/* The aggregate k written as JSON (case_json.c): the case as GET shows
 * it, with only what k holds. *out (NUL-terminated, *len bytes) is the
 * caller's to free. 0, or -1 (logged) past AWDA_MAX_CASE_ANSWER or out of
 * memory. */
int case_json_text(const store_case_t *k, char **out, size_t *len);

/* r->version from the "version" of r->body (0 when none). */
void case_etag(app_result_t *r);

/* Resolves the office, the assigned user and linked persons (only those
 * the actor may see) into *refs. Problems go to errors; a case in an
 * office the actor does not work in is APP_FORBIDDEN, else APP_OK. */
app_code_t case_resolve_refs(store_conn_t *c, const app_actor_t *a, const json_t *caze,
                             refs_t *refs, json_t *errors);

/* Writes the members of caze (new persons inserted, changed linked persons
 * updated and their other cases told). A STORE_ code. */
int case_write_members(store_conn_t *c, const app_actor_t *a, int64_t case_pk, const json_t *caze,
                       const refs_t *refs);

/* The paths of changed as the timeline tells them (a sealed-class person
 * field as a change to the person); path_of: paths of a case diff, else
 * field names. New array (caller owns). */
json_t *case_timeline_paths(const json_t *changed, int path_of);

/* Household plausibility (cases.c): the confirmed warnings of caze for
 * the event (caller owns; NULL when none); the confirmations of current
 * carried into merged; the view the warnings of a change are computed on
 * (caller owns); the warnings of view added to errors (how many). */
json_t *case_confirmed_warnings(const json_t *caze, const json_t *confirm);
void case_inherit_confirmations(const json_t *current, json_t *merged);
json_t *case_household_view(const json_t *current, const json_t *merged);
size_t case_household_warnings(const json_t *view, json_t *errors);

/* Fields of a person the actor may not see (case_read.c): 1 when field f
 * is of a class outside visible (app_visible_sensitivity); such a field
 * sent in a member's person is a problem in errors; for an actor who may
 * not see them, the hidden fields of caze's persons are set to what is
 * stored (in place). */
int case_person_field_hidden(const awda_field_t *f, unsigned visible);
void case_hidden_input(const app_actor_t *a, const json_t *caze, json_t *errors);
void case_keep_hidden(store_conn_t *c, const app_actor_t *a, json_t *caze);

#endif
