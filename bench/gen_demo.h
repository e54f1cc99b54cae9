/*
 * gen_demo.h — the places, offices, language sets and passport patterns
 * of bench/gen, read from the demo dataset (data/demo/places.json,
 * offices.json, households.json; formats in data/demo/README.md), so the
 * benchmark and the demo share one set of tables. gen_tables.h says, per
 * nationality and office, which entries to take; gen_demo.c reads them.
 */
#ifndef AWDA_BENCH_GEN_DEMO_H
#define AWDA_BENCH_GEN_DEMO_H
#include "../src/util/limits.h"
#include "gen_tables.h"

/* An area of return (places.json): pcode NULL when the list has none. */
typedef struct {
    const char *name;
    const char *pcode;
} area_t;

/* What a nationality takes from data/demo. */
typedef struct {
    area_t areas[AWDA_DEMO_MAX_AREAS];
    int weights[AWDA_DEMO_MAX_AREAS]; /* share of returns to each area */
    int nareas;
    const char *langs[AWDA_DEMO_MAX_LANGUAGE_SETS * 3]; /* JSON arrays: ["ar","en"] */
    int nlangs;
    const char *pp_prefix; /* passport number letters */
    int pp_digits;
} nat_demo_t;

/* An office as offices.json describes it. */
typedef struct {
    const char *code, *name, *country, *location;
} office_t;

extern nat_demo_t NAT_DEMO[NAT_COUNT];
extern office_t OFFICE_DEMO[N_OFFICES];

/* Reads places.json, offices.json and households.json in dir (each at
 * most AWDA_DEMO_MAX_FILE bytes, duplicate keys rejected); exits with a
 * message naming the file on any problem. The tables live until the
 * process ends. */
void gen_demo_load(const char *dir);

#endif
