/*
 * gen.c — realistic data generator and bulk loader for awda benchmarks.
 *
 *   bench/gen --db PATH --persons 1000000 --cases 600000 [--seed N]
 *             [--names data/demo/names.json]
 *
 * The database must exist and carry awda's schema (`build/awda init --db
 * PATH`). gen adds the five benchmark offices when absent, then registers
 * --cases households holding exactly --persons people, as the server
 * would: persons (+ a passport for ~60%), their search keys in
 * person_name_keys, cases numbered <OFFICE>-<YEAR>-<6 digits> in creation
 * order, case_members, one "created" event per case, and office_counters
 * so the server continues each office-year sequence.
 *
 * How it works
 *   - Plan: household sizes (1..6, mean persons/cases) are drawn and then
 *     nudged until they sum to --persons exactly; creation times are drawn
 *     uniformly over the last ~2.5 years and sorted, so case numbers and
 *     UUIDv7 ids (whose first 48 bits are that time) grow together.
 *   - A generator thread builds batches of ~50k persons (names from
 *     data/demo/names.json, the demo's name pools; dates, documents...) and computes each person's
 * name keys with the project's own src/text/norm.c (awda_name_keys with pairs=1 on both `name` and
 * `name_latin`, deduplicated). ICU transliteration is the costly part, so it overlaps with the
 * inserts.
 *   - The main thread inserts each batch in one transaction with prepared
 *     statements (journal_mode=WAL, synchronous=OFF, big page cache during
 *     the load; synchronous=FULL and a WAL checkpoint afterwards).
 *   - INSERTs name their columns. The schema may gain columns: before
 *     loading, PRAGMA table_info is checked, and a new NOT NULL column
 *     without a default stops the load with a clear message.
 *
 * Everything random comes from one xoshiro256** stream seeded by --seed,
 * consumed by the generator thread only, so a seed gives the same names,
 * households and numbers (times and ids follow the current date).
 */
#include "../src/text/norm.h"
#include "dupgen.h"
#include "gen_names.h"
#include "gen_rng.h"
#include "gen_tables.h"
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_PERSONS   50000 /* rows of persons per transaction */
#define MAX_HOUSEHOLD   6
#define MAX_PERSON_KEYS 48
#define DAY_MS          86400000LL

/* Random numbers: gen_rng.h. */

static int pick_weighted(rng_t *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int x = (int)rnd(r, (uint32_t)total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

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

static plan_t plan;

/* Two batches in flight: the generator fills one while the main thread
 * inserts the other. */
static batch_t slots[2];
static int slot_full[2];
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t qcond = PTHREAD_COND_INITIALIZER;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "gen: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static int year_of_ms(int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

/* UUIDv7 (RFC 9562): 48-bit ms, version 7, 12 random bits, variant 10,
 * 62 random bits; lowercase 8-4-4-4-12. */
static void uuid7(rng_t *r, int64_t ms, char out[37])
{
    static const char HEX[] = "0123456789abcdef";
    unsigned char b[16];
    uint64_t a = rng_next(r), c = rng_next(r);
    for (int i = 0; i < 6; i++)
        b[i] = (unsigned char)((uint64_t)ms >> (40 - 8 * i));
    for (int i = 6; i < 16; i++)
        b[i] = (unsigned char)((i < 11 ? a : c) >> (8 * (i % 8)));
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = HEX[b[i] >> 4];
        out[o++] = HEX[b[i] & 15];
    }
    out[o] = '\0';
}

/* ------------------------------------------------------------------ */
/* Names.                                                              */

/* A name under construction: the Arabic-script form and the Latin form. */
typedef struct {
    char ar[256], lat[256];
    size_t nar, nlat;
    dg_name_t tk; /* its words, for the planted duplicates (dupgen.c) */
} name_t;

static void name_add(name_t *n, const char *ar, const char *lat)
{
    if (ar) {
        int w = snprintf(n->ar + n->nar, sizeof n->ar - n->nar, "%s%s", n->nar ? " " : "", ar);
        if (w > 0 && (size_t)w < sizeof n->ar - n->nar)
            n->nar += (size_t)w;
    }
    int w = snprintf(n->lat + n->nlat, sizeof n->lat - n->nlat, "%s%s", n->nlat ? " " : "", lat);
    if (w > 0 && (size_t)w < sizeof n->lat - n->nlat)
        n->nlat += (size_t)w;
}

/* A Latin spelling of a name written in another script: the first one
 * most often. */
static const char *lat_of(rng_t *r, const gname_t *a)
{
    if (a->nlat <= 1 || pct(r, 60))
        return a->lat[0];
    return a->lat[1 + rnd(r, (uint32_t)(a->nlat - 1))];
}

/* The pools of each nationality (male, female, family), from names.json. */
static gpool_t POOLS[NAT_COUNT][3];

static void pools_load(const char *path)
{
    gen_names_load(path);
    for (int n = 0; n < NAT_COUNT; n++)
        for (int k = 0; k < 3; k++)
            POOLS[n][k] = gen_names_pool(NATS[n].pools[k]);
}

/* One token of a name, drawn from the nationality's pools. */
typedef struct {
    int pool; /* 0 male, 1 female, 2 family */
    int idx;
} token_t;

static token_t tok_given(rng_t *r, const nationality_t *n, int female)
{
    token_t t = {female, 0};
    t.idx = (int)rnd(r, (uint32_t)POOLS[n - NATS][female].n);
    return t;
}

static token_t tok_family(rng_t *r, const nationality_t *n)
{
    token_t t = {2, 0};
    if (n->style == STYLE_ARAB && pct(r, 50)) /* Egyptian-style: grandfather's given name */
        t.pool = 0;
    else if (n->style == STYLE_SUDAN || n->style == STYLE_PATRO)
        t.pool = 0;
    t.idx = (int)rnd(r, (uint32_t)POOLS[n - NATS][t.pool].n);
    return t;
}

/* Latin letters, accents included (UTF-8 lead bytes up to Latin Extended-A;
 * Arabic script starts at 0xD8, Ge'ez at 0xE1). */
static int latin_script(const char *w)
{
    return (unsigned char)w[0] < 0xC6;
}

/* Written in another script: as written (in the Arabic-script form of an
 * Arabic household only) and a Latin spelling; in Latin letters: as it is
 * (Traoré, Keïta, with their accents). */
static void name_tok(rng_t *r, name_t *out, const nationality_t *n, token_t t, int arabic)
{
    const gname_t *a = POOLS[n - NATS][t.pool].e[t.idx];
    const char *lat = a->w;
    if (a->nlat && !latin_script(a->w)) {
        lat = lat_of(r, a);
        name_add(out, arabic ? a->w : NULL, lat);
    } else {
        name_add(out, NULL, a->w);
    }
    if (out->tk.ntok < DG_MAX_TOK) {
        out->tk.tok[out->tk.ntok] = a;
        out->tk.lat[out->tk.ntok++] = lat;
    }
}

/* ------------------------------------------------------------------ */
/* Households.                                                         */

static void add_key(batch_t *b, person_t *p, const char *k)
{
    const char *have = b->keys + p->keys_off;
    for (int i = 0; i < p->nkeys; i++) {
        if (strcmp(have, k) == 0)
            return;
        have += strlen(have) + 1;
    }
    if (p->nkeys >= MAX_PERSON_KEYS)
        return;
    size_t n = strlen(k) + 1;
    if (b->keys_len + n > b->keys_cap) {
        b->keys_cap = b->keys_cap * 2 + n;
        char *nk = realloc(b->keys, b->keys_cap);
        if (!nk)
            die("out of memory", NULL);
        b->keys = nk;
    }
    memcpy(b->keys + b->keys_len, k, n);
    b->keys_len += n;
    p->nkeys++;
}

static void person_keys(batch_t *b, person_t *p)
{
    awda_name_keys_t k;
    p->keys_off = b->keys_len;
    p->nkeys = 0;
    if (awda_name_keys(p->name, strlen(p->name), 1, &k) < 0)
        die("awda_name_keys failed", p->name);
    for (int i = 0; i < k.count; i++)
        add_key(b, p, k.key[i]);
    if (p->latin[0] && strcmp(p->name, p->latin) != 0) {
        if (awda_name_keys(p->latin, strlen(p->latin), 1, &k) < 0)
            die("awda_name_keys failed", p->latin);
        for (int i = 0; i < k.count; i++)
            add_key(b, p, k.key[i]);
    }
}

/* A date of birth for someone `age` years old in ref_year (the year the
 * case was registered), with its precision. Infants are born the year
 * before, so no birthday follows the registration. */
static void person_dob(rng_t *r, person_t *p, int age, int ref_year)
{
    int y = ref_year - (age > 0 ? age : 1);
    int m = 1 + (int)rnd(r, 12), d = 1 + (int)rnd(r, 28);
    int roll = (int)rnd(r, 100);
    if (roll < 75) {
        snprintf(p->dob, sizeof p->dob, "%04d-%02d-%02d", y, m, d);
        p->prec = "exact";
    } else if (roll < 80) {
        snprintf(p->dob, sizeof p->dob, "%04d-%02d", y, m);
        p->prec = "month";
    } else {
        snprintf(p->dob, sizeof p->dob, "%04d", y);
        p->prec = roll < 90 ? "year" : "estimated";
    }
}

static void digits(rng_t *r, char *out, size_t cap, int n)
{
    size_t o = strlen(out);
    for (int i = 0; i < n && o + 1 < cap; i++)
        out[o++] = (char)('0' + rnd(r, 10));
    out[o] = '\0';
}

static void make_person(rng_t *r, batch_t *b, person_t *p, const nationality_t *n, int female,
                        int age, const name_t *nm, int64_t at, int year, const char *vuln,
                        int adult)
{
    uuid7(r, at, p->id);
    if (nm->nar) {
        snprintf(p->name, sizeof p->name, "%s", nm->ar);
        p->latin[0] = '\0';
        if (plan.arabic_latin_pct >= 100 || pct(r, plan.arabic_latin_pct))
            snprintf(p->latin, sizeof p->latin, "%s", nm->lat);
    } else {
        snprintf(p->name, sizeof p->name, "%s", nm->lat);
        snprintf(p->latin, sizeof p->latin, "%s", nm->lat);
    }
    p->sex = female ? "female" : "male";
    person_dob(r, p, age, year);
    p->nat = n->alpha3;
    p->langs = n->langs[rnd(r, 4)];
    p->contact[0] = '\0';
    if (adult && pct(r, 85)) {
        snprintf(p->contact, sizeof p->contact, "{\"phone\":\"%s", n->phone_prefix[rnd(r, 3)]);
        digits(r, p->contact, sizeof p->contact - 3, n->phone_digits);
        size_t l = strlen(p->contact);
        snprintf(p->contact + l, sizeof p->contact - l, "\"}");
    }
    p->vuln = vuln;
    p->pp_number[0] = '\0';
    if (pct(r, 60)) {
        snprintf(p->pp_number, sizeof p->pp_number, "%s", n->pp_prefix);
        digits(r, p->pp_number, sizeof p->pp_number, n->pp_digits);
        snprintf(p->pp_expiry, sizeof p->pp_expiry, "%04d-%02d-%02d",
                 plan.now_year - 2 + (int)rnd(r, 10), 1 + (int)rnd(r, 12), 1 + (int)rnd(r, 28));
    }
    p->at = at;
    person_keys(b, p);
}

/* Offers person p of case ci to the duplicate planting (dupgen.c). */
static void offer(long ci, const person_t *p, const name_t *nm, int female, int nat_i)
{
    if (!dupgen_active())
        return;
    dg_person_t d;
    memcpy(d.id, p->id, sizeof d.id);
    d.nm = nm->tk;
    d.arabic = nm->nar > 0;
    d.has_latin = p->latin[0] != '\0';
    d.female = female;
    d.nat = nat_i;
    memcpy(d.dob, p->dob, sizeof d.dob);
    d.prec = p->prec;
    dupgen_offer(ci, &d);
}

/* Case c (a household of one, by the plan) registers src a second time,
 * as the variant v says: no passport, a phone of its own. */
static void make_second(rng_t *r, batch_t *b, case_t *c, const nationality_t *n,
                        const dg_person_t *src, const dg_variant_t *v)
{
    name_t nm = {0};
    if (!v->latin[0]) {
        snprintf(nm.ar, sizeof nm.ar, "%s", v->name);
        nm.nar = strlen(nm.ar);
    }
    snprintf(nm.lat, sizeof nm.lat, "%s", v->latin);
    nm.nlat = strlen(nm.lat);
    int age = c->year - ((src->dob[0] - '0') * 1000 + (src->dob[1] - '0') * 100 +
                         (src->dob[2] - '0') * 10 + (src->dob[3] - '0'));
    person_t *p = &b->persons[b->npersons++];
    make_person(r, b, p, n, src->female, age, &nm, c->at, c->year, "[]", age >= 18);
    snprintf(p->dob, sizeof p->dob, "%s", v->dob);
    p->prec = v->prec;
    p->pp_number[0] = '\0';
    c->rel[0] = "principal";
    dupgen_label(src->id, p->id, v);
}

/* Fills one case and its members into batch b. */
static void make_case(rng_t *r, batch_t *b, long ci)
{
    case_t *c = &b->cases[b->ncases++];
    const office_def_t *o = &OFFICES[plan.office[ci]];
    int nat_i = pick_weighted(r, o->nat_weight, NAT_COUNT);
    dg_person_t src;
    dg_variant_t v;
    int second = dupgen_is_dup(ci) && dupgen_make(ci, &src, &v);
    if (second)
        nat_i = src.nat;
    const nationality_t *n = &NATS[nat_i];
    int size = plan.sizes[ci];
    int64_t at = plan.times[ci];
    int arabic = pct(r, n->arabic_pct);

    c->at = at;
    c->office = plan.office[ci];
    c->year = year_of_ms(at);
    int yi = c->year - 2020;
    if (yi < 0 || yi >= 8)
        die("case year outside 2020..2027", NULL);
    int seq = plan.counters[c->office][yi]++;
    uuid7(r, at, c->id);
    snprintf(c->number, sizeof c->number, "%s-%04d-%06d", o->code, c->year, seq);
    c->origin = n->alpha3;
    const area_t *a = &n->areas[rnd(r, (uint32_t)n->nareas)];
    c->area = pct(r, 85) ? a->name : NULL;
    c->pcode = c->area && pct(r, 80) ? a->pcode : NULL;
    c->project = pct(r, 70) ? PROJECTS[rnd(r, N_OF(PROJECTS))] : NULL;
    c->notes = pct(r, 20) ? NOTES[rnd(r, N_OF(NOTES))] : NULL;
    c->first_person = b->npersons;
    c->nmembers = size;
    if (second) {
        make_second(r, b, c, n, &src, &v);
        return;
    }

    /* The principal: mostly men travelling alone; some unaccompanied
     * children; single mothers with children. */
    int has_spouse = size >= 2 && pct(r, 80);
    int female = size == 1 ? pct(r, 22) : has_spouse ? pct(r, 8) : pct(r, 55);
    int child_alone = size == 1 && pct(r, 4);
    int age = child_alone ? 14 + (int)rnd(r, 4)
                          : (pct(r, 80) ? 19 + (int)rnd(r, 17) : 36 + (int)rnd(r, 34));
    if (size > 1 && age < 20)
        age = 20 + (int)rnd(r, 10);
    const char *vuln = "[]";
    if (child_alone)
        vuln = "[\"unaccompanied_child\"]";
    else if (age >= 60)
        vuln = "[\"elderly\"]";
    else if (female && size > 1 && !has_spouse && pct(r, 70))
        vuln = "[\"single_parent\"]";
    else if (pct(r, 3))
        vuln = "[\"medical_condition\"]";
    else if (female && pct(r, 3))
        /* Protection concerns (trafficking...) are sealed with the key
         * file, which this loader does not hold: it writes none. */
        vuln = "[\"disability\"]";

    token_t given = tok_given(r, n, female);
    token_t father = tok_given(r, n, 0);
    token_t family = tok_family(r, n);
    name_t pn = {0};
    name_tok(r, &pn, n, given, arabic);
    if (n->style == STYLE_SUDAN || n->style == STYLE_ARAB || n->style == STYLE_PATRO)
        name_tok(r, &pn, n, father, arabic);
    if (n->style != STYLE_PATRO)
        name_tok(r, &pn, n, family, arabic);
    person_t *pp = &b->persons[b->npersons++];
    make_person(r, b, pp, n, female, age, &pn, at, c->year, vuln, !child_alone);
    offer(ci, pp, &pn, female, nat_i);
    c->rel[0] = "principal";

    /* The father of any children, for patronymic styles. */
    token_t kids_father = female ? tok_given(r, n, 0) : given;
    token_t kids_grand = female ? tok_given(r, n, 0) : father;
    for (int m = 1; m < size; m++) {
        int is_spouse = has_spouse && m == 1;
        int f, a2;
        name_t nm = {0};
        if (is_spouse) {
            f = !female;
            a2 = age + (f ? -(int)rnd(r, 8) : (int)rnd(r, 6));
            if (a2 < 18)
                a2 = 18;
            if (!female)
                kids_father = given;
            name_tok(r, &nm, n, tok_given(r, n, f), arabic);
            if (n->style == STYLE_SUDAN || n->style == STYLE_ARAB || n->style == STYLE_PATRO)
                name_tok(r, &nm, n, tok_given(r, n, 0), arabic);
            if (n->style != STYLE_PATRO)
                name_tok(r, &nm, n, tok_family(r, n), arabic);
            c->rel[m] = "spouse";
        } else {
            f = pct(r, 50);
            int maxage = age - 16 < 17 ? age - 16 : 17;
            a2 = maxage > 0 ? (int)rnd(r, (uint32_t)maxage + 1) : 0;
            name_tok(r, &nm, n, tok_given(r, n, f), arabic);
            if (n->style == STYLE_SUDAN || n->style == STYLE_ARAB || n->style == STYLE_PATRO)
                name_tok(r, &nm, n, kids_father, arabic);
            if (n->style == STYLE_SUDAN)
                name_tok(r, &nm, n, kids_grand, arabic);
            else if (n->style != STYLE_PATRO)
                name_tok(r, &nm, n, family, arabic);
            c->rel[m] = "child";
        }
        const char *vl = "[]";
        if (f && is_spouse && a2 < 42 && pct(r, 5))
            vl = "[\"pregnant\"]";
        else if (pct(r, 2))
            vl = "[\"medical_condition\"]";
        person_t *q = &b->persons[b->npersons++];
        make_person(r, b, q, n, f, a2, &nm, at, c->year, vl, a2 >= 18);
        offer(ci, q, &nm, f, nat_i);
    }
}

static void *generator(void *arg)
{
    (void)arg;
    long ci = 0;
    int slot = 0;
    while (ci < plan.ncases) {
        pthread_mutex_lock(&qlock);
        while (slot_full[slot])
            pthread_cond_wait(&qcond, &qlock);
        pthread_mutex_unlock(&qlock);
        batch_t *b = &slots[slot];
        b->ncases = b->npersons = 0;
        b->keys_len = 0;
        while (ci < plan.ncases && b->npersons < BATCH_PERSONS)
            make_case(&plan.rng, b, ci++);
        b->last = ci >= plan.ncases;
        pthread_mutex_lock(&qlock);
        slot_full[slot] = 1;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
        slot ^= 1;
    }
    awda_norm_thread_done();
    return NULL;
}

/* ------------------------------------------------------------------ */
/* The plan.                                                           */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void make_plan(uint64_t seed)
{
    rng_t *r = &plan.rng;
    rng_seed(r, seed);
    long nc = plan.ncases, np = plan.npersons;
    plan.sizes = xmalloc((size_t)nc);
    plan.times = xmalloc(sizeof(int64_t) * (size_t)nc);
    plan.office = xmalloc((size_t)nc);
    /* Household sizes: mostly single travellers, some families. */
    static const int w[MAX_HOUSEHOLD] = {660, 150, 90, 60, 30, 10};
    long sum = 0;
    for (long i = 0; i < nc; i++) {
        plan.sizes[i] = (uint8_t)(1 + pick_weighted(r, w, MAX_HOUSEHOLD));
        if (dupgen_is_dup(i)) /* a second registration: a household of one */
            plan.sizes[i] = 1;
        sum += plan.sizes[i];
    }
    /* Nudge random households until the total is exact. */
    while (sum != np) {
        long i = (long)rnd(r, (uint32_t)nc);
        if (dupgen_is_dup(i))
            continue;
        if (sum < np && plan.sizes[i] < MAX_HOUSEHOLD && plan.sizes[i] > 1) {
            plan.sizes[i]++;
            sum++;
        } else if (sum < np && plan.sizes[i] == 1 && pct(r, 10)) {
            plan.sizes[i]++;
            sum++;
        } else if (sum > np && plan.sizes[i] > 1) {
            plan.sizes[i]--;
            sum--;
        }
    }
    /* Creation times: the last 900 days, ending an hour ago. */
    int64_t end = plan.now_ms - 3600 * 1000LL, start = end - 900 * DAY_MS;
    for (long i = 0; i < nc; i++)
        plan.times[i] = start + (int64_t)(rng_next(r) % (uint64_t)(end - start));
    qsort(plan.times, (size_t)nc, sizeof(int64_t), cmp_i64);
    int ow[N_OFFICES];
    for (int i = 0; i < N_OFFICES; i++)
        ow[i] = OFFICES[i].weight;
    for (long i = 0; i < nc; i++)
        plan.office[i] = (uint8_t)pick_weighted(r, ow, N_OFFICES);
}

/* ------------------------------------------------------------------ */
/* SQLite.                                                             */

static sqlite3 *db;

static void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n  in: %s\n", err ? err : "?", sql);
        exit(1);
    }
}

static sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n  in: %s\n", sqlite3_errmsg(db), sql);
        exit(1);
    }
    return s;
}

static void step(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "gen: %s\n  in: %s\n", sqlite3_errmsg(db), sqlite3_sql(s));
        exit(1);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Checks that table has every column in cols and no other NOT NULL
 * column without a default (which our INSERT would leave empty). */
static void check_table(const char *table, const char *const *cols, int ncols)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_info('%s')", table);
    sqlite3_stmt *s = prep(sql);
    int found = 0, rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        rows++;
        const char *name = (const char *)sqlite3_column_text(s, 0);
        int known = 0;
        for (int i = 0; i < ncols; i++)
            if (strcmp(name, cols[i]) == 0)
                known = 1;
        if (known) {
            found++;
        } else if (sqlite3_column_int(s, 1) && sqlite3_column_type(s, 2) == SQLITE_NULL &&
                   sqlite3_column_int(s, 3) == 0) {
            fprintf(stderr, "gen: %s.%s is NOT NULL without a default; teach gen.c about it\n",
                    table, name);
            exit(1);
        }
    }
    sqlite3_finalize(s);
    if (rows == 0)
        die("table missing (run `awda init --db PATH` first)", table);
    if (found != ncols)
        die("schema lacks a column gen.c writes in table", table);
}

static int64_t query_int(const char *sql, int64_t dflt)
{
    sqlite3_stmt *s = prep(sql);
    int64_t v = dflt;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const COL_PERSONS[] = {"id",
                                          "name",
                                          "name_latin",
                                          "sex",
                                          "date_of_birth",
                                          "dob_precision",
                                          "nationality",
                                          "languages",
                                          "contact",
                                          "vulnerabilities",
                                          "created_at",
                                          "updated_at"};
static const char *const COL_DOCS[] = {"person_pk", "type", "number", "issuing_country", "expiry"};
static const char *const COL_KEYS[] = {"key", "person_pk"};
static const char *const COL_CASES[] = {"id",
                                        "number",
                                        "office_pk",
                                        "origin_country",
                                        "destination_country",
                                        "destination_admin_area",
                                        "destination_pcode",
                                        "project",
                                        "assigned_to_pk",
                                        "stage",
                                        "version",
                                        "notes",
                                        "created_at",
                                        "updated_at",
                                        "created_by_pk"};
static const char *const COL_MEMBERS[] = {"case_pk", "person_pk", "relationship", "position"};
static const char *const COL_EVENTS[] = {"case_pk", "at", "user_pk", "kind", "data"};
static const char *const COL_OFFICES[] = {"code", "name", "country", "location", "created_at"};
static const char *const COL_COUNTERS[] = {"office_pk", "year", "next"};

/* INSERT INTO table(c1, c2...) VALUES (?, ?...), built from a column list. */
static sqlite3_stmt *prep_insert(const char *verb, const char *table, const char *const *cols,
                                 int n)
{
    char sql[1024];
    size_t o = 0;
    o += (size_t)snprintf(sql + o, sizeof sql - o, "%s INTO %s(", verb, table);
    for (int i = 0; i < n && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", cols[i]);
    if (o < sizeof sql)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ") VALUES (");
    for (int i = 0; i < n && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?", i ? ", " : "");
    if (o < sizeof sql)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ")");
    if (o >= sizeof sql)
        die("INSERT statement too long", table);
    return prep(sql);
}

static long parse_long(const char *s, const char *what)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || !end || *end || end == s || v < 0)
        die("bad number for", what);
    return v;
}

static void usage(void)
{
    fprintf(stderr, "usage: gen --db PATH --persons N --cases M [--seed S] [--names PATH]\n"
                    "           [--dups N --labels FILE]\n"
                    "  fills an awda database made by `awda init --db PATH`; with --dups,\n"
                    "  plants N second registrations of persons and writes the pairs to FILE\n"
                    "  (bench/dupgen.c), and half the persons in Arabic script have no\n"
                    "  name_latin\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    uint64_t seed = 20260101;
    /* The demo dataset's names, found from bench/gen in the source tree. */
    static char names_here[4096];
    const char *names = "data/demo/names.json";
    ssize_t nexe = readlink("/proc/self/exe", names_here, sizeof names_here - 64);
    char *slash = nexe > 0 ? (names_here[nexe] = '\0', strrchr(names_here, '/')) : NULL;
    if (slash) {
        snprintf(slash, 64, "/../data/demo/names.json");
        names = names_here;
    }
    plan.npersons = 1000000;
    plan.ncases = 600000;
    plan.arabic_latin_pct = 100;
    long ndups = 0;
    const char *labels = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "--db") == 0)
            path = argv[++i];
        else if (strcmp(argv[i], "--persons") == 0)
            plan.npersons = parse_long(argv[++i], "--persons");
        else if (strcmp(argv[i], "--cases") == 0)
            plan.ncases = parse_long(argv[++i], "--cases");
        else if (strcmp(argv[i], "--seed") == 0)
            seed = (uint64_t)parse_long(argv[++i], "--seed");
        else if (strcmp(argv[i], "--names") == 0)
            names = argv[++i];
        else if (strcmp(argv[i], "--dups") == 0)
            ndups = parse_long(argv[++i], "--dups");
        else if (strcmp(argv[i], "--labels") == 0)
            labels = argv[++i];
        else
            usage();
    }
    pools_load(names);
    if (!path)
        usage();
    if (plan.ncases < 1 || plan.npersons < plan.ncases ||
        plan.npersons > plan.ncases * MAX_HOUSEHOLD || plan.ncases > 50000000)
        die("need 1 <= cases <= persons <= 6 * cases", NULL);

    double t0 = now_s();
    if (awda_norm_init() != 0)
        die("ICU transliterator did not open", NULL);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        die("cannot open database (create it with `awda init --db PATH`)", path);
    sqlite3_busy_timeout(db, 5000);

    check_table("persons", COL_PERSONS, N_OF(COL_PERSONS));
    check_table("person_documents", COL_DOCS, N_OF(COL_DOCS));
    check_table("person_name_keys", COL_KEYS, N_OF(COL_KEYS));
    check_table("cases", COL_CASES, N_OF(COL_CASES));
    check_table("case_members", COL_MEMBERS, N_OF(COL_MEMBERS));
    check_table("case_events", COL_EVENTS, N_OF(COL_EVENTS));
    check_table("offices", COL_OFFICES, N_OF(COL_OFFICES));
    check_table("office_counters", COL_COUNTERS, N_OF(COL_COUNTERS));

    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=OFF");
    exec("PRAGMA cache_size=-2000000"); /* 2 GB: the key index stays in memory */
    exec("PRAGMA temp_store=MEMORY");
    exec("PRAGMA foreign_keys=OFF");

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    plan.now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    plan.now_year = year_of_ms(plan.now_ms);

    /* Offices and the admin user. */
    int64_t office_pk[N_OFFICES];
    exec("BEGIN");
    sqlite3_stmt *ins_office =
        prep_insert("INSERT OR IGNORE", "offices", COL_OFFICES, N_OF(COL_OFFICES));
    sqlite3_stmt *get_office = prep("SELECT pk FROM offices WHERE code = ?");
    for (int i = 0; i < N_OFFICES; i++) {
        sqlite3_bind_text(ins_office, 1, OFFICES[i].code, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 2, OFFICES[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 3, OFFICES[i].country, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_office, 4, OFFICES[i].location, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_office, 5, plan.now_ms);
        step(ins_office);
        sqlite3_bind_text(get_office, 1, OFFICES[i].code, -1, SQLITE_STATIC);
        if (sqlite3_step(get_office) != SQLITE_ROW)
            die("office missing after insert", OFFICES[i].code);
        office_pk[i] = sqlite3_column_int64(get_office, 0);
        sqlite3_reset(get_office);
    }
    exec("COMMIT");
    sqlite3_finalize(ins_office);
    sqlite3_finalize(get_office);
    int64_t admin_pk = query_int("SELECT pk FROM users WHERE username = 'admin'", -1);

    /* Continue existing numbering: office_counters.next is the next number. */
    for (int o = 0; o < N_OFFICES; o++)
        for (int y = 0; y < 8; y++)
            plan.counters[o][y] = 1;
    sqlite3_stmt *getc = prep("SELECT year, next FROM office_counters WHERE office_pk = ?");
    for (int o = 0; o < N_OFFICES; o++) {
        sqlite3_bind_int64(getc, 1, office_pk[o]);
        while (sqlite3_step(getc) == SQLITE_ROW) {
            int y = sqlite3_column_int(getc, 0) - 2020;
            if (y >= 0 && y < 8)
                plan.counters[o][y] = sqlite3_column_int(getc, 1);
        }
        sqlite3_reset(getc);
    }
    sqlite3_finalize(getc);
    int start_counters[N_OFFICES][8];
    memcpy(start_counters, plan.counters, sizeof start_counters);

    if (ndups > 0) {
        if (!labels)
            usage();
        dupgen_open(labels, plan.ncases, ndups, seed);
        plan.arabic_latin_pct = 50;
    }
    make_plan(seed);
    for (int i = 0; i < 2; i++) {
        slots[i].cases = xmalloc(sizeof(case_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
        slots[i].persons = xmalloc(sizeof(person_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
        slots[i].keys_cap = (size_t)BATCH_PERSONS * 80;
        slots[i].keys = xmalloc(slots[i].keys_cap);
    }
    printf("gen: %ld persons in %ld cases into %s (seed %" PRIu64 ")\n", plan.npersons, plan.ncases,
           path, seed);
    fflush(stdout);

    sqlite3_stmt *ins_person = prep_insert("INSERT", "persons", COL_PERSONS, N_OF(COL_PERSONS));
    sqlite3_stmt *ins_doc = prep_insert("INSERT", "person_documents", COL_DOCS, N_OF(COL_DOCS));
    sqlite3_stmt *ins_key =
        prep_insert("INSERT OR IGNORE", "person_name_keys", COL_KEYS, N_OF(COL_KEYS));
    sqlite3_stmt *ins_case = prep_insert("INSERT", "cases", COL_CASES, N_OF(COL_CASES));
    sqlite3_stmt *ins_member =
        prep_insert("INSERT", "case_members", COL_MEMBERS, N_OF(COL_MEMBERS));
    sqlite3_stmt *ins_event = prep_insert("INSERT", "case_events", COL_EVENTS, N_OF(COL_EVENTS));

    pthread_t th;
    if (pthread_create(&th, NULL, generator, NULL) != 0)
        die("cannot start the generator thread", NULL);

    long done_p = 0, done_c = 0, done_k = 0, done_d = 0, arabic = 0;
    int64_t *person_pk = xmalloc(sizeof(int64_t) * (BATCH_PERSONS + MAX_HOUSEHOLD));
    int slot = 0;
    double t_load = now_s();
    for (;;) {
        pthread_mutex_lock(&qlock);
        while (!slot_full[slot])
            pthread_cond_wait(&qcond, &qlock);
        pthread_mutex_unlock(&qlock);
        batch_t *b = &slots[slot];

        exec("BEGIN");
        for (int i = 0; i < b->npersons; i++) {
            person_t *p = &b->persons[i];
            sqlite3_stmt *s = ins_person;
            bind_text(s, 1, p->id);
            bind_text(s, 2, p->name);
            bind_text(s, 3, p->latin);
            bind_text(s, 4, p->sex);
            bind_text(s, 5, p->dob);
            bind_text(s, 6, p->prec);
            bind_text(s, 7, p->nat);
            bind_text(s, 8, p->langs);
            bind_text(s, 9, p->contact);
            bind_text(s, 10, p->vuln);
            sqlite3_bind_int64(s, 11, p->at);
            sqlite3_bind_int64(s, 12, p->at);
            step(s);
            int64_t pk = sqlite3_last_insert_rowid(db);
            person_pk[i] = pk;
            if (strcmp(p->name, p->latin) != 0)
                arabic++;
            if (p->pp_number[0]) {
                sqlite3_bind_int64(ins_doc, 1, pk);
                bind_text(ins_doc, 2, "passport");
                bind_text(ins_doc, 3, p->pp_number);
                bind_text(ins_doc, 4, p->nat);
                bind_text(ins_doc, 5, p->pp_expiry);
                step(ins_doc);
                done_d++;
            }
            const char *k = b->keys + p->keys_off;
            for (int j = 0; j < p->nkeys; j++) {
                sqlite3_bind_text(ins_key, 1, k, -1, SQLITE_STATIC);
                sqlite3_bind_int64(ins_key, 2, pk);
                step(ins_key);
                k += strlen(k) + 1;
            }
            done_k += p->nkeys;
        }
        for (int i = 0; i < b->ncases; i++) {
            case_t *c = &b->cases[i];
            sqlite3_stmt *s = ins_case;
            bind_text(s, 1, c->id);
            bind_text(s, 2, c->number);
            sqlite3_bind_int64(s, 3, office_pk[c->office]);
            bind_text(s, 4, c->origin);
            bind_text(s, 5, c->origin);
            bind_text(s, 6, c->area);
            bind_text(s, 7, c->pcode);
            bind_text(s, 8, c->project);
            sqlite3_bind_null(s, 9);
            bind_text(s, 10, "registered");
            sqlite3_bind_int(s, 11, 1);
            bind_text(s, 12, c->notes);
            sqlite3_bind_int64(s, 13, c->at);
            sqlite3_bind_int64(s, 14, c->at);
            if (admin_pk > 0)
                sqlite3_bind_int64(s, 15, admin_pk);
            step(s);
            int64_t cpk = sqlite3_last_insert_rowid(db);
            for (int m = 0; m < c->nmembers; m++) {
                sqlite3_bind_int64(ins_member, 1, cpk);
                sqlite3_bind_int64(ins_member, 2, person_pk[c->first_person + m]);
                bind_text(ins_member, 3, c->rel[m]);
                sqlite3_bind_int(ins_member, 4, m);
                step(ins_member);
            }
            sqlite3_bind_int64(ins_event, 1, cpk);
            sqlite3_bind_int64(ins_event, 2, c->at);
            if (admin_pk > 0)
                sqlite3_bind_int64(ins_event, 3, admin_pk);
            bind_text(ins_event, 4, "created");
            bind_text(ins_event, 5, "{}");
            step(ins_event);
        }
        exec("COMMIT");
        done_p += b->npersons;
        done_c += b->ncases;
        int last = b->last;
        double el = now_s() - t_load;
        printf("gen: %8ld persons %8ld cases %9ld keys  %6.1f s  %7.0f persons/s\n", done_p, done_c,
               done_k, el, el > 0 ? (double)done_p / el : 0.0);
        fflush(stdout);

        pthread_mutex_lock(&qlock);
        slot_full[slot] = 0;
        pthread_cond_broadcast(&qcond);
        pthread_mutex_unlock(&qlock);
        slot ^= 1;
        if (last)
            break;
    }
    pthread_join(th, NULL);
    dupgen_close();

    /* office_counters: `next` is the number the server issues next. */
    exec("BEGIN");
    sqlite3_stmt *setc =
        prep_insert("INSERT OR REPLACE", "office_counters", COL_COUNTERS, N_OF(COL_COUNTERS));
    for (int o = 0; o < N_OFFICES; o++) {
        for (int y = 0; y < 8; y++) {
            if (plan.counters[o][y] == start_counters[o][y])
                continue;
            sqlite3_bind_int64(setc, 1, office_pk[o]);
            sqlite3_bind_int(setc, 2, 2020 + y);
            sqlite3_bind_int(setc, 3, plan.counters[o][y]);
            step(setc);
        }
    }
    exec("COMMIT");
    sqlite3_finalize(setc);
    /* Schema 15 on: the pairs of name keys that drive searches of two
     * words (as src/store/migration_015.sql makes them: in both orders
     * before schema 25, once, smaller key first, from it). */
    if (query_int("SELECT count(*) FROM sqlite_master WHERE name='person_name_pairs'", 0))
        exec(query_int("PRAGMA user_version", 0) >= 25
                 ? "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) SELECT a.key,b.key,"
                   "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
                   "b.person_pk=a.person_pk AND a.key<b.key"
                 : "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) SELECT a.key,b.key,"
                   "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
                   "b.person_pk=a.person_pk AND b.key<>a.key");
    double t_insert = now_s() - t_load;

    sqlite3_finalize(ins_person);
    sqlite3_finalize(ins_doc);
    sqlite3_finalize(ins_key);
    sqlite3_finalize(ins_case);
    sqlite3_finalize(ins_member);
    sqlite3_finalize(ins_event);

    exec("PRAGMA synchronous=FULL");
    exec("PRAGMA wal_checkpoint(TRUNCATE)");
    double t_all = now_s() - t0;

    printf("gen: loaded %ld persons (%.1f%% with Arabic script), %ld cases, %ld passports, "
           "%ld name keys in %.1f s (%.1f s total with checkpoint)\n",
           done_p, done_p ? 100.0 * (double)arabic / (double)done_p : 0.0, done_c, done_d, done_k,
           t_insert, t_all);
    printf("gen: totals now: persons=%" PRId64 " cases=%" PRId64 " case_members=%" PRId64
           " case_events=%" PRId64 " person_documents=%" PRId64 " person_name_keys=%" PRId64
           " offices=%" PRId64 "\n",
           query_int("SELECT count(*) FROM persons", 0), query_int("SELECT count(*) FROM cases", 0),
           query_int("SELECT count(*) FROM case_members", 0),
           query_int("SELECT count(*) FROM case_events", 0),
           query_int("SELECT count(*) FROM person_documents", 0),
           query_int("SELECT count(*) FROM person_name_keys", 0),
           query_int("SELECT count(*) FROM offices", 0));
    sqlite3_close(db);
    awda_norm_shutdown();
    for (int i = 0; i < 2; i++) {
        free(slots[i].cases);
        free(slots[i].persons);
        free(slots[i].keys);
    }
    free(person_pk);
    free(plan.sizes);
    free(plan.times);
    free(plan.office);
    return 0;
}
