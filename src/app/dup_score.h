/*
 * dup_score.h — how alike two registrations are (issue 13): a score in
 * basis points and the explanation a reviewer reads. Pure functions (ICU
 * through text/namekey.h, per thread); used by app/duplicates.c, the
 * bulk flagging (app/dup_bulk.c, with the names prepared once a person)
 * and their unit tests.
 */
#ifndef AWDA_APP_DUP_SCORE_H
#define AWDA_APP_DUP_SCORE_H
#include <jansson.h>
#include <stddef.h>
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

/* A person's names cut into the words that are compared — each name's
 * words by text/namekey.h, grouped by position, the other script's
 * groups joined, the other readings (dup_word_alts) and the words as
 * written — made once by dup_words_prepare and compared as often as
 * needed by dup_score_words (the bulk flagging scores a person against
 * tens of candidates and as a candidate of tens of persons). Plain bytes
 * without pointers: dup_words_size bytes may be copied with memcpy. */
typedef struct dup_words dup_words_t;
/* Bytes one dup_words_t takes at most (the longest names: 24 groups of 4
 * forms). */
#define DUP_WORDS_MAX 8192
/* The words of name and name_latin (borrowed; NULL or "": absent) into
 * out, cap bytes the caller owns (malloc's alignment; DUP_WORDS_MAX is
 * always enough). Returns the bytes used, 0 when cap is too small. */
size_t dup_words_prepare(const char *name, const char *name_latin, dup_words_t *out, size_t cap);
/* The bytes w takes. */
size_t dup_words_size(const dup_words_t *w);
/* dup_score(q, c, explanation) with the words of q's names in qw and of
 * c's in cw (dup_words_prepare of their name and name_latin; the names in
 * q and c are not read again): the same score and the same explanation
 * (the caller owns it). */
int dup_score_words(const dup_person_t *q, const dup_words_t *qw, const dup_person_t *c,
                    const dup_words_t *cw, json_t **explanation);

#endif
