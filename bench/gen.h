/*
 * gen.h — what the files of the data generator share (private to bench/:
 * gen.c, gen_households.c, gen_sql.c; see gen.c for what gen does).
 *
 * The rows a batch carries (person_t, case_t, batch_t), the plan both
 * threads read (plan_t, filled before the generator thread starts; its
 * random stream and office counters are then the generator thread's
 * until it ends), and the functions each file offers the others.
 */
#ifndef AWDA_BENCH_GEN_H
#define AWDA_BENCH_GEN_H
#include "gen_demo.h"
#include "gen_rng.h"
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#define BATCH_PERSONS   50000 /* rows of persons per transaction */
#define MAX_HOUSEHOLD   6
#define MAX_PERSON_KEYS 48
#define DAY_MS          86400000LL

/* ------------------------------------------------------------------ */
/* Generated rows.                                                     */

typedef struct {
    char id[37];
    char name[256];
    char latin[256];
    const char *sex;
    char dob[24];
    const char *prec;
    const char *nat;
    const char *langs;
    char contact[64]; /* empty: NULL */
    const char *vuln;
    char pp_number[24]; /* empty: no passport */
    char pp_expiry[24];
    size_t keys_off;
    int nkeys;
    int64_t at;
} person_t;

typedef struct {
    char id[37];
    char number[32];
    int office;
    int year;
    const char *origin, *area, *pcode, *project, *notes;
    int64_t at;
    int first_person, nmembers;
    const char *rel[MAX_HOUSEHOLD];
} case_t;

typedef struct {
    case_t *cases;
    int ncases;
    person_t *persons;
    int npersons;
    char *keys; /* NUL-terminated keys, back to back */
    size_t keys_len, keys_cap;
    int last; /* 1 in the final batch */
} batch_t;

/* ------------------------------------------------------------------ */
/* The plan shared by both threads (read-only once the thread starts). */

typedef struct {
    long ncases, npersons;
    uint8_t *sizes;  /* household size per case */
    int64_t *times;  /* creation ms per case, ascending */
    uint8_t *office; /* office index per case */
    int64_t now_ms;
    int now_year;
    int counters[N_OFFICES][8]; /* next number per office and year-2020 */
    rng_t rng;
    int failed;
    int arabic_latin_pct; /* persons in Arabic script who also have a name_latin */
} plan_t;

extern plan_t plan;

/* gen.c */
void die(const char *what, const char *detail); /* prints "gen: what: detail", exits 1 */
void *xmalloc(size_t n);
int year_of_ms(int64_t ms); /* the UTC year of epoch ms */

/* gen_households.c: the names of data/demo/names.json (pools_load; the
 * rest of data/demo is gen_demo.c's, gen_demo.h), the household sizes, times and offices of every case (make_plan), and one
 * case with its members into a batch (make_case, on the generator
 * thread). */
void pools_load(const char *path);
void make_plan(uint64_t seed);
void make_case(rng_t *r, batch_t *b, long ci);

/* gen_sql.c: the database, the statements, and the columns gen writes. */
extern sqlite3 *db;
void exec(const char *sql);
sqlite3_stmt *prep(const char *sql);
void step(sqlite3_stmt *s);
void bind_text(sqlite3_stmt *s, int i, const char *v); /* NULL or "" binds NULL */
int64_t query_int(const char *sql, int64_t dflt);
void check_schema(void);
sqlite3_stmt *prep_insert(const char *verb, const char *table);

#endif
