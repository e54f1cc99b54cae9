/*
 * demo_int.h — what the files of the demo driver share (demo.c,
 * demo_data.c, demo_gen.c, demo_records.c, demo_journey.c); not part of
 * any other module's interface.
 *
 * The demo dataset is data: the files under data/demo/ (described in
 * data/demo/README.md) are read and checked by demo_data.c into the typed
 * tables below before anything is written. The strings in these tables
 * point into the JSON trees that demo_data_t keeps (owned by it, freed by
 * demo_data_free), so the tables live exactly as long as the load.
 */
#ifndef AWDA_DEMO_INT_H
#define AWDA_DEMO_INT_H
#include "../app/app.h"
#include "../util/timeutil.h"
#include <stdint.h>
#include <stdio.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- deterministic generator (xorshift64*) ---- */

typedef struct {
    uint64_t s;
} rng_t;

uint64_t demo_rng_next(rng_t *r);
int rng_below(rng_t *r, int n);          /* uniform enough in [0, n) */
int rng_range(rng_t *r, int lo, int hi); /* [lo, hi] */
int rng_pct(rng_t *r, int pct);
int rng_weighted(rng_t *r, const int *w, size_t n); /* index drawn from weights */

/* Appends s to the NUL-terminated b of capacity cap, truncating. */
void sb_add(char *b, size_t cap, const char *s);
/* Appends n random digits. */
void sb_digits(char *b, size_t cap, rng_t *r, int n);

/* ---- the tables read from data/demo ---- */

/* A name part as written and in ASCII Latin letters (l NULL: w is already
 * plain Latin). */
typedef struct {
    const char *w, *l;
} nm_t;

typedef struct {
    const char *area;  /* admin level 1 as case workers write it */
    const char *pcode; /* NULL when not recorded */
    const char *towns[4];
    const char *nid_code; /* Egyptian national-ID governorate code, or NULL */
    int weight;
} dest_t;

/* How far a case goes on the return journey (the stages up to ready). */
enum { T_REGISTERED, T_COUNSELLED, T_CONSENTED, T_ELIGIBLE, T_PRE_DEPARTURE, T_READY };

/* What happens to a case once it got that far. */
enum {
    SC_NONE,
    SC_HOLD_HEALTH,       /* pre_departure, then on hold: temporarily unfit to travel */
    SC_HOLD_DOCS,         /* pre_departure, then on hold: nationality not yet confirmed */
    SC_HOLD_DECIDE,       /* counselled, then on hold: time to decide */
    SC_HOLD_TRACING,      /* an unaccompanied child, consented, then on hold: family tracing */
    SC_WITHDRAW_WORK,     /* consented, then withdrawn: found work */
    SC_WITHDRAW_ONWARD,   /* eligible, then withdrawn: wants to travel onwards */
    SC_WITHDRAW_FAMILY,   /* pre_departure, then withdrawn: the family asked to wait */
    SC_CLOSE_INELIGIBLE,  /* consented, found ineligible, closed */
    SC_BLOCKED_APPROVAL,  /* consented, eligible, waiting for a restriction's approval */
    SC_BLOCKED_SUSPENDED, /* consented, eligible, return suspended */
    SC_APPROVED,          /* return despite a restriction, approved case by case */
};

typedef struct {
    const char *key;
    const char *nat;
    const nm_t *male, *female, *fam; /* patronymic: fam is the grandfathers' names */
    size_t nmale, nfemale, nfam;
    int patronymic;      /* child = own + father's first + father's second name */
    int wife_takes_name; /* family-name cultures: a wife carries her husband's */
    const char **langs;  /* comma-separated sets to choose from */
    size_t nlangs;
    const char *pass_prefix; /* passport number: prefix + digits */
    int pass_digits;
    int pass_pct; /* adults holding a passport */
    int lp_pct;   /* of the others: a laissez-passer from the consulate */
    const char *lp_prefix;
    int cc_pct;       /* of the others (adults): a consular card */
    int traffick_pct; /* adult women identified as victims of trafficking */
    const dest_t *dests;
    size_t ndests;
    int furthest; /* T_*: how far a case of the pool may go */
} prof_t;

/* A wish around the destination town: pre + town + post. */
typedef struct {
    const char *pre, *post;
} wish_t;

enum { HH_SINGLE, HH_COUPLE, HH_FAMILY, HH_SINGLE_PARENT, HH_SIBLINGS, HH_N };

typedef enum { PH_EG, PH_DZ, PH_ML } phone_t;

typedef struct {
    int level, sc;
} plan_t;

typedef struct {
    const char *office;
    const prof_t *p;
    int count;
    int uac;       /* the first uac cases are unaccompanied children */
    int sep;       /* the next sep: an adult with a brother or sister under 18 */
    int hh[HH_N];  /* household mix weights */
    int women_pct; /* share of women among single principals */
    const char *project;
    const char *assignee;
    const char *protection; /* the office's protection officer, or NULL */
    const char **sit;
    size_t nsit;
    const wish_t *wish;
    size_t nwish;
    const char **addr; /* where people stay while they wait (none: at home) */
    size_t naddr;
    phone_t phone;
    int journey;         /* 0: people already home, no journey before them */
    const plan_t *plans; /* the plans of the first nplans cases, by hand */
    size_t nplans;
} row_t;

typedef struct {
    const char *name;
    const char *langs[3];
} staff_t;

/* Per country of return: the journey as counselling explains it, who issues
 * the travel document, and the mission that receives the returnee. */
typedef struct {
    const char *nat, *route, *consulate, *doc_type, *doc_prefix, *mission;
    char mission_id[37];
} country_t;

typedef struct {
    const char *type;
    int needed;
    const char *note;
} proc_t;

typedef struct {
    int level, sc, n, pref;
} quota_t;

enum { PREF_ANY, PREF_MEDICAL, PREF_NO_DOC, PREF_SINGLE, PREF_ESCORT, PREF_TRAFFICKING };

typedef struct {
    const char *country, *admin_area, *kind, *reason;
    int since_doy, or_days_ago, review_in; /* see load_restrictions */
    char id[40];                           /* once recorded */
} restr_t;

/* Everything read from data/demo (see data/demo/README.md). */
typedef struct {
    char dir[1024];
    json_t *files[8]; /* the parsed files (owned) */
    uint64_t seed, journey_seed;
    const json_t *offices, *partners, *users, *to_walk; /* arrays in files[] */
    prof_t *profiles;
    size_t nprofiles;
    row_t *rows;
    size_t nrows;
    struct {
        const char *office;
        staff_t staff;
    } counsellors[8]; /* who counsels at each office */
    size_t ncounsellors;
    staff_t protection; /* who counsels the cases of protection */
    country_t *countries;
    size_t ncountries;
    struct {
        const char *office, *nat, *consulate, *doc_prefix;
    } consulates[8]; /* where another consulate than the country's issues */
    size_t nconsulates;
    proc_t proc_eg[3], proc_dz[3];
    quota_t *quotas;
    size_t nquotas;
    restr_t restr[2]; /* [0] approval_required (Kidal), [1] suspended (North Darfur) */
    struct {
        const char *name;
        const nm_t *p;
        size_t n;
    } pools[64]; /* the name pools read so far: one array per pool */
    size_t npools;
    void *alloc[1024]; /* the tables above (owned) */
    size_t nalloc;
    char partner_id[37]; /* the partner organisation of the partner user */
} demo_data_t;

/* Finds the data directory: configured (--demo-data, AWDA_DEMO_DATA) alone;
 * else beside the binary (../share/awda/demo, then ../data/demo and
 * ../../data/demo for a build inside the source tree). Reads and checks
 * every file; on a problem prints "awda demo: FILE: what" on stderr and
 * returns -1 (nothing written). dd is freed with demo_data_free. */
int demo_data_load(demo_data_t *dd, const char *configured);
void demo_data_free(demo_data_t *dd);

/* ---- a created case and what the demo does with it ---- */

typedef struct {
    json_t *caze; /* the case as the application last returned it (owned) */
    const row_t *row;
    int k; /* its index within the row */
    int uac;
    int level;   /* T_*: how far the records and steps go */
    int sc;      /* SC_* */
    int planned; /* a plan was given (the pool) */
} dcase_t;

/* Prints what failed with each field error and unmet requirement. */
void demo_report(const char *what, const app_result_t *r);
/* The JSON object in the file name of dir (at most AWDA_DEMO_MAX_FILE
 * bytes, duplicate keys refused); the caller owns it. NULL after telling
 * why on stderr — or, when optional, silently when the file is absent
 * (tell the two apart with demo_file_exists). */
json_t *demo_json_file(const char *dir, const char *name, int optional);
/* 1 when the file name of dir exists. */
int demo_file_exists(const char *dir, const char *name);
/* The programmes and projects of money.json in dir (demo_money.c); 0 or -1. */
int demo_load_money(app_t *app, const app_actor_t *sys, const char *dir);
/* merge room: the persons of duplicates.json registered twice, flagged
 * for the review queue (demo_duplicates.c); 0, or -1 after reporting. */
int demo_load_duplicates(app_t *app, const app_actor_t *sys, const char *dir);

/* demo_gen.c: generates the cases of every row and creates them through
 * app_case_create; dc has room for every row's count. Counts the persons. */
int demo_load_cases(app_t *app, const app_actor_t *sys, const demo_data_t *dd, dcase_t *dc,
                    int *ncases, int *npersons);
void demo_member_add(json_t *members, const char *rel, json_t *person);

/* demo_journey.c: records the restrictions, plans and walks the cases;
 * prints the stages reached and the cases to look at. */
int demo_load_journeys(app_t *app, const app_actor_t *sys, demo_data_t *dd, dcase_t *dc, int n);

/* ---- the journey (demo_journey.c, demo_records.c) ---- */

typedef struct {
    app_t *app;
    const app_actor_t *sys;
    demo_data_t *dd;
    rng_t rng;
    int64_t now_ms;
} jctx_t;

/* What the records of one case share. */
typedef struct {
    const staff_t *counsellor;
    const country_t *country;
    const char *consulate;
    const char *doc_prefix;
    char area[128]; /* a copy: the case JSON is replaced at every step */
    json_t *langs;  /* the languages of the sessions (owned) */
    int interpreter;
    int base; /* day offset of the first counselling session */
    char dep_day[16], dep_time[32];
    int dep_off;
} cctx_t;

/* demo_journey.c: dates counted from today, reading the case as the
 * application last returned it, and acting through the application layer
 * (dj_rec consumes body; every failure is printed and returns -1). */
void dj_day_at(const jctx_t *j, int off, char out[16]);
void dj_time_at(const jctx_t *j, int off, int hh, int mm, char out[32]);
const char *dj_cstr(const json_t *o, const char *k);
const char *dj_case_number(const dcase_t *d);
size_t dj_nmembers(const dcase_t *d);
const json_t *dj_member_at(const dcase_t *d, size_t i);
const json_t *dj_person_at(const dcase_t *d, size_t i);
const char *dj_person_id_at(const dcase_t *d, size_t i);
const char *dj_display(const json_t *p);
int dj_flagged(const json_t *p, const char *flag);
int dj_age_now(const jctx_t *j, const json_t *p);
int dj_child_now(const jctx_t *j, const json_t *p);
int dj_first_adult(const jctx_t *j, const dcase_t *d);
int dj_is_uasc(const jctx_t *j, const dcase_t *d, size_t i);
int dj_any_uasc(const jctx_t *j, const dcase_t *d);
int dj_doc_valid(const json_t *p, const char *day);
int dj_in_algeria(const dcase_t *d);
int dj_fail_case(const dcase_t *d, const char *what, const app_result_t *r);
int dj_rec(jctx_t *j, dcase_t *d, json_t *body);
json_t *dj_rec_new(const dcase_t *d, const char *kind, int i);
void dj_put(json_t *o, const char *k, const char *v);
void dj_put_day(const jctx_t *j, json_t *o, const char *k, int off);
int dj_take(jctx_t *j, dcase_t *d, const char *event, const char *reason);
int dj_take_blocked(jctx_t *j, dcase_t *d, const char *event, const char *code);
int dj_set_departure(jctx_t *j, dcase_t *d, const char *when);
void dj_cctx_init(jctx_t *j, const dcase_t *d, cctx_t *c);
int dj_counselling(jctx_t *j, dcase_t *d, cctx_t *c);
int dj_protection_records(jctx_t *j, dcase_t *d, cctx_t *c);
int dj_consents(jctx_t *j, dcase_t *d, cctx_t *c);
int dj_eligibility(jctx_t *j, dcase_t *d, cctx_t *c, int eligible);
int dj_procedures(jctx_t *j, dcase_t *d, cctx_t *c, int final);
int dj_documents_in_progress(jctx_t *j, dcase_t *d, cctx_t *c, int all);
int dj_documents_issued(jctx_t *j, dcase_t *d, cctx_t *c);
int dj_escort_needed(const jctx_t *j, const json_t *p);
int dj_health(jctx_t *j, dcase_t *d);
int dj_child_family(jctx_t *j, dcase_t *d, cctx_t *c);
json_t *dj_escort_new(const dcase_t *d, size_t i, const char *kind, const char *name);
int dj_child_escort(jctx_t *j, dcase_t *d);
int dj_receiving_office(jctx_t *j, dcase_t *d, cctx_t *c);

/* demo_movements.c: reads and checks movements.json into *out (the
 * caller's; -1 after naming the problem, nothing written); then, after
 * everything else, its households, movements and passengers. */
int demo_movements_read(demo_data_t *dd, json_t **out);
int demo_movements_load(app_t *app, const app_actor_t *sys, demo_data_t *dd, const json_t *mv);
#endif
