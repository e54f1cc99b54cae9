/*
 * throttle.h — exact, bounded counters of failed attempts (throttle.c).
 *
 * auth.c describes an attempt (a sign-in, a password typed again) as a
 * few rules, each a counter named by a text key ("a:" an address,
 * "ua:" an address and a user name, ...) with a limit over a window.
 * Before the slow password check, throttle_reserve() looks at every rule
 * and either refuses (seconds to wait) or reserves the attempt on all of
 * them at once, under one lock: a reservation counts against the limit
 * like a failure until throttle_settle() turns it into a failure or
 * releases it. So N concurrent guesses cannot all pass a check that only
 * the first few should pass.
 */
#ifndef AWDA_THROTTLE_H
#define AWDA_THROTTLE_H
#include <stddef.h>
#include <stdint.h>

#define THROTTLE_KEY_MAX   160
#define THROTTLE_MAX_RULES 8 /* rules of one attempt */

typedef struct throttle throttle_t;

typedef struct {
    char key[THROTTLE_KEY_MAX]; /* what is counted; longer keys are cut */
    int limit;                  /* failures (and reservations) allowed in the window */
    int window_s;               /* seconds from the counter's first attempt */
    int enforce;                /* 0: counted, but never refuses */
    int clear_on_success;       /* a success forgets this counter's failures */
} throttle_rule_t;

typedef enum {
    THROTTLE_FAILED,    /* the attempt failed: count it */
    THROTTLE_SUCCEEDED, /* it succeeded: clear the rules that say so */
    THROTTLE_RELEASED,  /* it was not decided (busy, error): forget the reservation */
} throttle_outcome_t;

/* A table for at most max_entries counters; NULL when out of memory. The
 * caller owns it and frees it with throttle_free. */
throttle_t *throttle_new(size_t max_entries);
void throttle_free(throttle_t *t);

/* Reserves one attempt on each of the n rules at now_ms. Returns 0 when
 * reserved; the seconds to wait (> 0) when an enforced rule is at its
 * limit (nothing reserved); -1 when the table is full of live counters
 * (nothing reserved). */
int throttle_reserve(throttle_t *t, const throttle_rule_t *rules, int n, int64_t now_ms);

/* Settles a reservation made with the same rules. */
void throttle_settle(throttle_t *t, const throttle_rule_t *rules, int n, throttle_outcome_t outcome,
                     int64_t now_ms);

/* Counters held now (for tests and metrics). */
size_t throttle_count(throttle_t *t);

#endif
