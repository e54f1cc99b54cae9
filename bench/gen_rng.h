/*
 * gen_rng.h — the random numbers of the bench generators (bench/gen and its
 * duplicate planting, bench/dupgen.c): xoshiro256** seeded with splitmix64,
 * so a seed gives the same data on every machine. Header-only (static
 * inline); each stream is owned by one thread.
 */
#ifndef AWDA_BENCH_GEN_RNG_H
#define AWDA_BENCH_GEN_RNG_H
#include <stdint.h>

typedef struct {
    uint64_t s[4];
} rng_t;

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline void rng_seed(rng_t *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n) for n < 2^32. */
static inline uint32_t rnd(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with probability p percent. */
static inline int pct(rng_t *r, int p)
{
    return (int)rnd(r, 100) < p;
}

#endif
