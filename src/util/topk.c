/*
 * topk.c — the best k of a stream of (score, id) pairs (topk.h): a binary
 * heap ordered so that the pair ranking last is at its root.
 */
#include "topk.h"

/* Whether a ranks after b: a higher score, or the same and a higher id. */
static int ranks_after(topk_pair_t a, topk_pair_t b)
{
    return a.score != b.score ? a.score > b.score : a.id > b.id;
}

void topk_init(topk_t *t, topk_pair_t *h, int k)
{
    t->h = h;
    t->k = k > 0 ? k : 0;
    t->n = 0;
}

int topk_offer(topk_t *t, int score, int64_t id)
{
    topk_pair_t m = {score, id};
    topk_pair_t *h = t->h;
    int i;
    if (t->n < t->k) { /* a free place: sift up from the end */
        for (i = t->n++; i > 0 && ranks_after(m, h[(i - 1) / 2]); i = (i - 1) / 2)
            h[i] = h[(i - 1) / 2];
    } else if (t->k > 0 && ranks_after(h[0], m)) { /* replace the last: sift down */
        for (i = 0;;) {
            int c = 2 * i + 1;
            if (c >= t->n)
                break;
            if (c + 1 < t->n && ranks_after(h[c + 1], h[c]))
                c++;
            if (!ranks_after(h[c], m))
                break;
            h[i] = h[c];
            i = c;
        }
    } else {
        return 0;
    }
    h[i] = m;
    return 1;
}
