/*
 * dup_support.h — how well the blocking keys support each candidate of a
 * duplicate query (issue 13): one accumulator shared by the query on the
 * database (store_dup_candidates, duplicates.c) and the bulk flagging of
 * an import in memory (app/dup_bulk.c), so both rank alike.
 *
 * Each probe key with np postings (persons that have the key) adds
 * weight / (np + 8) to each of them: a rare key says more than a common
 * one. A candidate's support is its best single key plus DUP_MORE_KEYS of
 * what its other keys add (namesakes share many keys; the person
 * registered again may share one rare key only). A key of more than
 * AWDA_DUP_POSTINGS_MAX persons is skipped by the callers (too common to
 * tell anyone apart). At most AWDA_DUP_CANDIDATES_MAX distinct candidates
 * are kept, the first met.
 *
 * Not thread-safe: one accumulator per thread. dup_support_reset clears
 * only the slots used, so one accumulator serves many queries cheaply.
 */
#ifndef AWDA_STORE_DUP_SUPPORT_H
#define AWDA_STORE_DUP_SUPPORT_H
#include "../util/limits.h"
#include <stdint.h>

#define DUP_SUPPORT_SLOTS 8192 /* a power of two, over twice AWDA_DUP_CANDIDATES_MAX */

typedef struct {
    int64_t pk;
    double support, best; /* the sum of what the keys add, the most one adds */
} dup_cand_t;

typedef struct {
    dup_cand_t t[DUP_SUPPORT_SLOTS];
    int used[AWDA_DUP_CANDIDATES_MAX]; /* the slots taken, for the reset */
    int count;
    dup_cand_t top[AWDA_DUP_CANDIDATES_MAX]; /* dup_support_top's sorting room */
} dup_support_t;

/* Allocates an empty accumulator (caller frees with free()); NULL when
 * out of memory. */
dup_support_t *dup_support_new(void);
/* Empties it for the next query. */
void dup_support_reset(dup_support_t *s);
/* The np postings post[] of one probe key of weight: each (but self_pk)
 * supported by weight / (np + 8). */
void dup_support_add(dup_support_t *s, const int64_t *post, int np, int weight, int64_t self_pk);
/* The best supported, best first (ties by pk): at most max pks into out
 * and their support into support (may be NULL). Returns how many. */
int dup_support_top(dup_support_t *s, int64_t *out, double *support, int max);
#endif
