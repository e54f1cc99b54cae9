/*
 * gen_names.h — the name pools of bench/gen, read from the demo dataset's
 * data/demo/names.json (format in data/demo/README.md), so the benchmark
 * and the demo share one set of name tables.
 */
#ifndef AWDA_BENCH_GEN_NAMES_H
#define AWDA_BENCH_GEN_NAMES_H

/* A name part: as written, and its Latin spellings (nlat 0: w is already
 * in Latin letters and is written as it is). */
typedef struct {
    const char *w;
    const char *lat[6];
    int nlat;
} gname_t;

/* A pool: the named pools of names.json one after the other. */
typedef struct {
    const gname_t **e;
    int n;
} gpool_t;

/* Reads path (at most 1 MiB); exits with a message naming the file on any
 * problem. The pools live until the process ends. */
void gen_names_load(const char *path);

/* The concatenation of the pools named in names (NULL-terminated); exits
 * when one is missing. Owned by the module (never freed). */
gpool_t gen_names_pool(const char *const *names);

#endif
