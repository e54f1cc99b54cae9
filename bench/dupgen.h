/*
 * dupgen.h — planted duplicates for bench/gen (`--dups N --labels FILE`):
 * the same human registered a second time, in another case, with one kind
 * of variation, and the labels that say which pairs are the same human.
 *
 * gen calls these from its generator thread only (one thread, one random
 * stream seeded from --seed, so a seed gives the same pairs):
 *   dupgen_open     plans which cases are second registrations
 *   dupgen_is_dup   whether case ci is one (a household of one)
 *   dupgen_offer    every person of an ordinary case, as a possible source
 *   dupgen_make     the second registration of case ci: its source and its
 *                   variant name / date of birth
 *   dupgen_label    writes the pair to the labels file
 *   dupgen_close    closes the file, prints the pairs per kind
 * The kinds, how each variant is made and the labels' format are described
 * at the top of dupgen.c.
 */
#ifndef AWDA_BENCH_DUPGEN_H
#define AWDA_BENCH_DUPGEN_H
#include "gen_names.h"
#include <stdint.h>

#define DG_MAX_TOK 4

/* A name as its parts: the pool entry of each word and the Latin spelling
 * the record used for it (for a word in Latin letters, the entry itself). */
typedef struct {
    const gname_t *tok[DG_MAX_TOK];
    const char *lat[DG_MAX_TOK];
    int ntok;
} dg_name_t;

/* A person as the planting needs it. dob is YYYY-MM-DD / YYYY-MM / YYYY,
 * prec the dob_precision word (exact, month, year, estimated). */
typedef struct {
    char id[37];
    dg_name_t nm;
    int arabic;    /* name written in Arabic script */
    int has_latin; /* ... with a name_latin */
    int female;
    int nat;
    char dob[24];
    const char *prec;
} dg_person_t;

/* A second registration: name (as written), latin ("" for none), dob,
 * prec; kind and cross (the two names in different scripts) for the label. */
typedef struct {
    char name[256], latin[256], dob[24];
    const char *prec;
    const char *kind;
    int cross;
} dg_variant_t;

/* Plans ndups second registrations among ncases cases (ncases >= 20 *
 * ndups), opens labels_path for writing; exits with a message on failure. */
void dupgen_open(const char *labels_path, long ncases, long ndups, uint64_t seed);
int dupgen_active(void);
int dupgen_is_dup(long ci);
void dupgen_offer(long ci, const dg_person_t *p);
/* Fills src (a copy of the offered person) and v for case ci; returns 0
 * when no person offered in its segment suits any kind (the case is then
 * made as an ordinary one of one person). */
int dupgen_make(long ci, dg_person_t *src, dg_variant_t *v);
void dupgen_label(const char *id_a, const char *id_b, const dg_variant_t *v);
void dupgen_close(void);

#endif
