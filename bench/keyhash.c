/*
 * keyhash.c — the time of one name key's hash (text/namekey.c,
 * awda_namekey_hash: SipHash-2-4 since migration 26) against the BLAKE2b-64
 * it replaced, over the same encoding (the kind, then each part preceded
 * by its length in 4 bytes), on keys shaped like the stored ones: a pair
 * of word skeletons and a year ('Y'), a skeleton ('S').
 *
 *   make -C bench keyhash && bench/keyhash [N]
 *
 * Prints nanoseconds per key for each and their ratio (the same process,
 * one after the other, N keys each; default 2,000,000).
 */
#include "../src/text/namekey.h"
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The hash before migration 26, as it was. */
static int64_t blake2b_64(char kind, const char *const *parts, int n)
{
    crypto_generichash_state st;
    unsigned char h[8], k = (unsigned char)kind;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, &k, 1);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(parts[i]);
        unsigned char l[4] = {(unsigned char)(len & 0xFF), (unsigned char)((len >> 8) & 0xFF),
                              (unsigned char)((len >> 16) & 0xFF),
                              (unsigned char)((len >> 24) & 0xFF)};
        crypto_generichash_update(&st, l, sizeof l);
        crypto_generichash_update(&st, (const unsigned char *)parts[i], len);
    }
    crypto_generichash_final(&st, h, sizeof h);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | h[i];
    return (int64_t)v;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const char *const SKEL[] = {"mhmd", "trr", "ksm", "fatm", "zhr", "kllb", "wdrg", "ahmd"};
static const char *const YEAR[] = {"1984", "1990", "2001", "1975"};

static double run(int64_t (*h)(char, const char *const *, int), long n, int64_t *sink)
{
    double t = now();
    for (long i = 0; i < n; i++) {
        const char *pair[3] = {SKEL[i & 7], SKEL[(i >> 3) & 7], YEAR[(i >> 6) & 3]};
        const char *one[1] = {SKEL[(i >> 2) & 7]};
        *sink ^= (i & 1) ? h('Y', pair, 3) : h('S', one, 1);
    }
    return (now() - t) / (double)n * 1e9;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000000;
    if (n <= 0 || sodium_init() < 0)
        return 1;
    int64_t sink = 0;
    run(awda_namekey_hash, n / 10, &sink); /* warm */
    double old = run(blake2b_64, n, &sink), cur = run(awda_namekey_hash, n, &sink);
    printf("keys %ld  BLAKE2b-64 %.1f ns  SipHash-2-4 (awda_namekey_hash) %.1f ns  ratio %.3f  "
           "(%lld)\n",
           n, old, cur, cur / old, (long long)(sink & 1));
    return 0;
}
