/*
 * topk.h — the best k of a stream of (score, id) pairs, lowest score first
 * and, at equal scores, the lowest id.
 *
 * A bounded heap whose top is the worst pair kept: an offer that ranks
 * before it takes its place, any other is dropped, so the last of the best
 * k is always at hand (topk_last) and only moves up as pairs come. The
 * caller owns the array behind it (at most k pairs, fixed at topk_init).
 * The name search keeps the page it is filling in one (person_search.c).
 */
#ifndef AWDA_TOPK_H
#define AWDA_TOPK_H
#include <stdint.h>

typedef struct {
    int score;
    int64_t id;
} topk_pair_t;

typedef struct {
    topk_pair_t *h; /* the caller's array of k pairs */
    int k, n;
} topk_t;

/* An empty set of at most k pairs kept in h (k pairs long). */
void topk_init(topk_t *t, topk_pair_t *h, int k);
/* Offers (score, id): kept when fewer than k are kept or when it ranks
 * before the last kept one, which it then replaces. 1 when kept. */
int topk_offer(topk_t *t, int score, int64_t id);
/* Whether k pairs are kept. */
static inline int topk_full(const topk_t *t)
{
    return t->n >= t->k;
}
/* The last of the pairs kept (undefined while none is kept). */
static inline topk_pair_t topk_last(const topk_t *t)
{
    return t->h[0];
}
#endif
