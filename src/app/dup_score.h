/*
 * dup_score.h — how alike two registrations are (issue 13): a score in
 * basis points and the explanation a reviewer reads. Pure functions (ICU
 * through text/namekey.h, per thread); used by app/duplicates.c and its
 * unit test.
 */
#ifndef AWDA_APP_DUP_SCORE_H
#define AWDA_APP_DUP_SCORE_H
#include <jansson.h>
#include <stdint.h>
#include "../store/duplicates.h"

/* The fields of a person that are compared (borrowed strings; NULL:
 * absent). documents: an array of document number strings (borrowed). */
typedef struct {
    const char *name, *name_latin, *sex, *date_of_birth, *dob_precision, *nationality;
    const json_t *documents;
} dup_person_t;

/* How two dates of birth compare: "exact", "within_a_year",
 * "day_month_swapped", "year_only", "different" or "unknown" (static). */
const char *dup_dob_compare(const char *a, const char *a_prec, const char *b, const char *b_prec);

/* The second stage of finding candidates: the n best-supported (cand,
 * sup) weighed by how their rows (rows[i]: date of birth, precision, sex,
 * nationality; "" when unknown) stand to the query's (q). The date: an
 * exact date counts 4 times, day and month exchanged or a year only 3,
 * within a year 2.5, unknown 1.5, another date 0.8 and a date more than
 * AWDA_DUP_DOB_FAR_YEARS years apart 0.2 (the keys say how much of the
 * names is shared, not by whom; a common pair is shared by many
 * namesakes). Sex and nationality in the proportions of their points in
 * the score: sex the same 1.5, unknown 1.25, different 0.35; nationality
 * the same 1.6, unknown 1.3, different 1 (namesakes of the other sex or
 * another country make room for the person registered again). The best
 * max into out, best first (ties by pk). Returns how many. */
int dup_preselect(const dup_prescore_t *q, const int64_t *cand, const double *sup, int n,
                  const dup_prescore_t *rows, int64_t *out, int max);
/* The query's fields as a pre-score row (NULL: unknown; longer values cut). */
void dup_prescore_of(const char *dob, const char *prec, const char *sex, const char *nationality,
                     dup_prescore_t *out);

/* Scores candidate c against query q: 0..10000, and *explanation (the
 * caller owns it; may be NULL when not wanted):
 *   {"names": [{"query", "candidate", "how"}], "names_unmatched": n,
 *    "date_of_birth": kind, "sex": same|different|unknown,
 *    "nationality": same|different|unknown, "documents": same_number|none}
 * how: same | spelling (the same sounds written otherwise: Mohamed /
 * Muhammad) | other_script | one_typo | similar (alike Latin forms). */
int dup_score(const dup_person_t *q, const dup_person_t *c, json_t **explanation);

#endif
