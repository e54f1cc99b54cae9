/*
 * dup_support.c — the support of duplicate candidates (dup_support.h): an
 * open-addressing table of pks (Fibonacci hashing, linear probing) with
 * the list of the slots used.
 */
#include "dup_support.h"
#include <stdlib.h>

/* What the keys of a candidate after its most selective one add, by part. */
#define DUP_MORE_KEYS 0.3

dup_support_t *dup_support_new(void)
{
    return calloc(1, sizeof(dup_support_t));
}

void dup_support_reset(dup_support_t *s)
{
    for (int i = 0; i < s->count; i++)
        s->t[s->used[i]] = (dup_cand_t){0, 0, 0};
    s->count = 0;
}

void dup_support_add(dup_support_t *s, const int64_t *post, int np, int weight, int64_t self_pk)
{
    double add = (double)weight / (np + 8);
    for (int k = 0; k < np; k++) {
        if (post[k] == self_pk)
            continue;
        unsigned h =
            (unsigned)((uint64_t)post[k] * 0x9E3779B97F4A7C15ull >> 51) & (DUP_SUPPORT_SLOTS - 1);
        while (s->t[h].pk && s->t[h].pk != post[k])
            h = (h + 1) & (DUP_SUPPORT_SLOTS - 1);
        if (!s->t[h].pk) {
            if (s->count >= AWDA_DUP_CANDIDATES_MAX)
                continue;
            s->t[h].pk = post[k];
            s->used[s->count++] = (int)h;
        }
        s->t[h].support += add;
        if (add > s->t[h].best)
            s->t[h].best = add;
    }
}

static int by_support(const void *a, const void *b)
{
    const dup_cand_t *x = a, *y = b;
    if (x->support != y->support)
        return x->support < y->support ? 1 : -1;
    return x->pk < y->pk ? -1 : x->pk > y->pk;
}

/* Reorders c[0..n) so that its k best (by_support) come first, in any
 * order (Hoare's selection, the middle element as pivot). */
static void select_best(dup_cand_t *c, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        dup_cand_t pivot = c[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (by_support(&c[i], &pivot) < 0)
                i++;
            while (by_support(&c[j], &pivot) > 0)
                j--;
            if (i <= j) {
                dup_cand_t t = c[i];
                c[i++] = c[j];
                c[j--] = t;
            }
        }
        /* c[lo..j] come before the pivot, c[i..hi] after it */
        if (k - 1 <= j)
            hi = j;
        else if (k - 1 >= i)
            lo = i;
        else
            return;
    }
}

int dup_support_top(dup_support_t *s, int64_t *out, double *support, int max)
{
    dup_cand_t *c = s->top;
    for (int i = 0; i < s->count; i++) {
        c[i] = s->t[s->used[i]];
        c[i].support = c[i].best + DUP_MORE_KEYS * (c[i].support - c[i].best);
    }
    /* (support, pk) is a total order: the same answer whatever the slots;
     * the best max chosen first (quickselect), then only they sorted */
    int n = s->count < max ? s->count : max;
    if (n > 0 && n < s->count)
        select_best(c, s->count, n);
    qsort(c, (size_t)n, sizeof *c, by_support);
    for (int i = 0; i < n; i++) {
        out[i] = c[i].pk;
        if (support)
            support[i] = c[i].support;
    }
    return n;
}
