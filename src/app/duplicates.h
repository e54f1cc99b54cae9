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

#endif
