/*
 * throttle.c — exact, bounded counters of failed attempts (see throttle.h).
 *
 * A hash map with open addressing (linear probing, backward-shift
 * deletion, so no tombstones), twice as many slots as the most counters
 * it may hold. A counter is named by a 128-bit BLAKE2b digest of its key,
 * keyed with a random secret drawn when the table is made: nobody outside
 * can compute which keys collide or land near each other, and two keys
 * share a counter only with the chance of guessing a 128-bit value. Every
 * counter is exact: a new key never takes over another key's counter.
 *
 * A counter lives while it has failures in its window or reservations in
 * flight; settling a success or a release that leaves it at zero deletes
 * it. When the table is full, one sweep (at most one a second) deletes
 * the counters whose window is over; if it is still full, the attempt is
 * refused (-1), never let through uncounted.
 */
#include "throttle.h"
#include "../util/mem.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define DIGEST_BYTES 16

typedef struct {
    unsigned char id[DIGEST_BYTES];
    uint8_t live;
    int32_t failures;
    int32_t pending;  /* reservations not yet settled */
    int32_t window_s; /* of the rule that made it */
    int64_t start_ms; /* when the window began */
} entry_t;

struct throttle {
    pthread_mutex_t lock;
    entry_t *slots;
    size_t mask; /* slots - 1 (a power of two) */
    size_t used, max;
    int64_t last_sweep_ms;
    int swept; /* last_sweep_ms is set */
    unsigned char secret[crypto_generichash_KEYBYTES];
};

throttle_t *throttle_new(size_t max_entries)
{
    if (sodium_init() < 0 || max_entries == 0)
        return NULL;
    size_t n = 2;
    while (n < 2 * max_entries)
        n *= 2;
    throttle_t *t = awda_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->slots = awda_calloc(n, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    t->mask = n - 1;
    t->max = max_entries;
    randombytes_buf(t->secret, sizeof t->secret);
    pthread_mutex_init(&t->lock, NULL);
    return t;
}

void throttle_free(throttle_t *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->lock);
    sodium_memzero(t->secret, sizeof t->secret);
    free(t->slots);
    free(t);
}

static void digest(const throttle_t *t, const char *key, unsigned char out[DIGEST_BYTES])
{
    crypto_generichash(out, DIGEST_BYTES, (const unsigned char *)key,
                       strnlen(key, THROTTLE_KEY_MAX), t->secret, sizeof t->secret);
}

static size_t home(const throttle_t *t, const unsigned char id[DIGEST_BYTES])
{
    uint64_t h;
    memcpy(&h, id, sizeof h);
    return (size_t)h & t->mask;
}

/* The slot holding id, or the empty slot where it would go. */
static size_t probe(const throttle_t *t, const unsigned char id[DIGEST_BYTES])
{
    size_t i = home(t, id);
    while (t->slots[i].live && memcmp(t->slots[i].id, id, DIGEST_BYTES) != 0)
        i = (i + 1) & t->mask;
    return i;
}

static void delete_at(throttle_t *t, size_t i)
{
    t->slots[i].live = 0;
    t->used--;
    /* Backward shift: pull later entries of the run into the hole when
     * their home slot is not between the hole and where they are. */
    size_t j = i;
    for (;;) {
        j = (j + 1) & t->mask;
        if (!t->slots[j].live)
            return;
        size_t k = home(t, t->slots[j].id);
        int stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (stays)
            continue;
        t->slots[i] = t->slots[j];
        t->slots[j].live = 0;
        i = j;
    }
}

static int window_over(const entry_t *e, int64_t now_ms)
{
    return now_ms >= e->start_ms + (int64_t)e->window_s * 1000;
}

/* Deletes every counter whose window is over and that has nothing in
 * flight. A deletion may shift a later entry into slot i, so i is looked
 * at again before moving on. */
static void sweep(throttle_t *t, int64_t now_ms)
{
    t->last_sweep_ms = now_ms;
    t->swept = 1;
    for (size_t i = 0; i <= t->mask;) {
        entry_t *e = &t->slots[i];
        if (e->live && e->pending == 0 && window_over(e, now_ms))
            delete_at(t, i);
        else
            i++;
    }
}

/* The counter for id, made when absent; NULL when there is no room. */
static entry_t *get_or_add(throttle_t *t, const unsigned char id[DIGEST_BYTES], int window_s,
                           int64_t now_ms)
{
    size_t i = probe(t, id);
    if (t->slots[i].live)
        return &t->slots[i];
    if (t->used >= t->max) {
        if (t->swept && now_ms - t->last_sweep_ms < 1000)
            return NULL;
        sweep(t, now_ms);
        if (t->used >= t->max)
            return NULL;
        i = probe(t, id);
    }
    entry_t *e = &t->slots[i];
    memset(e, 0, sizeof *e);
    memcpy(e->id, id, DIGEST_BYTES);
    e->live = 1;
    e->window_s = window_s;
    e->start_ms = now_ms;
    t->used++;
    return e;
}

static entry_t *find(throttle_t *t, const unsigned char id[DIGEST_BYTES])
{
    size_t i = probe(t, id);
    return t->slots[i].live ? &t->slots[i] : NULL;
}

/* A new window when the old one is over (failures forgotten, reservations
 * kept). */
static void roll(entry_t *e, int64_t now_ms)
{
    if (window_over(e, now_ms)) {
        e->failures = 0;
        e->start_ms = now_ms;
    }
}

static void drop_if_idle(throttle_t *t, entry_t *e)
{
    if (e->failures == 0 && e->pending == 0)
        delete_at(t, (size_t)(e - t->slots));
}

int throttle_reserve(throttle_t *t, const throttle_rule_t *rules, int n, int64_t now_ms)
{
    unsigned char ids[THROTTLE_MAX_RULES][DIGEST_BYTES];
    if (n < 0 || n > THROTTLE_MAX_RULES)
        return -1;
    for (int i = 0; i < n; i++)
        digest(t, rules[i].key, ids[i]);
    pthread_mutex_lock(&t->lock);
    int64_t wait_ms = 0;
    for (int i = 0; i < n; i++) {
        entry_t *e = find(t, ids[i]);
        if (!e)
            continue;
        roll(e, now_ms);
        if (rules[i].enforce && e->failures + e->pending >= rules[i].limit) {
            int64_t left = e->start_ms + (int64_t)e->window_s * 1000 - now_ms;
            if (left > wait_ms)
                wait_ms = left;
        }
    }
    if (wait_ms > 0) {
        pthread_mutex_unlock(&t->lock);
        return (int)((wait_ms + 999) / 1000);
    }
    for (int i = 0; i < n; i++) {
        entry_t *e = get_or_add(t, ids[i], rules[i].window_s, now_ms);
        if (!e) {
            for (int k = 0; k < i; k++) {
                entry_t *u = find(t, ids[k]);
                if (u) {
                    u->pending--;
                    drop_if_idle(t, u);
                }
            }
            pthread_mutex_unlock(&t->lock);
            return -1;
        }
        e->pending++;
    }
    pthread_mutex_unlock(&t->lock);
    return 0;
}

void throttle_settle(throttle_t *t, const throttle_rule_t *rules, int n, throttle_outcome_t outcome,
                     int64_t now_ms)
{
    unsigned char ids[THROTTLE_MAX_RULES][DIGEST_BYTES];
    if (n < 0 || n > THROTTLE_MAX_RULES)
        return;
    for (int i = 0; i < n; i++)
        digest(t, rules[i].key, ids[i]);
    pthread_mutex_lock(&t->lock);
    for (int i = 0; i < n; i++) {
        entry_t *e = find(t, ids[i]);
        if (!e)
            continue;
        if (e->pending > 0)
            e->pending--;
        if (outcome == THROTTLE_FAILED) {
            roll(e, now_ms);
            e->failures++;
        } else if (outcome == THROTTLE_SUCCEEDED && rules[i].clear_on_success) {
            e->failures = 0;
        }
        drop_if_idle(t, e);
    }
    pthread_mutex_unlock(&t->lock);
}

size_t throttle_count(throttle_t *t)
{
    pthread_mutex_lock(&t->lock);
    size_t n = t->used;
    pthread_mutex_unlock(&t->lock);
    return n;
}
