/*
 * gen_households.c — what bench/gen's households look like.
 *
 * The plan (make_plan): household sizes nudged until they sum to
 * --persons exactly, creation times over the last ~2.5 years in ascending
 * order, an office per case. A case (make_case, on the generator thread):
 * its number, origin and destination area, and its members — a principal
 * (mostly men travelling alone; some unaccompanied children; single
 * mothers), a spouse and children, named from the nationality's pools of
 * data/demo/names.json in the style of the nationality, going back to an
 * area of its destination list in places.json, with dates of birth,
 * languages (the sets of its profiles in households.json), phones,
 * passports, vulnerabilities and the search
 * keys of src/text/norm.c. With --dups, each person is offered to the
 * duplicate planting (dupgen.c) and the planned second registrations are
 * made here. Everything random comes from the plan's one stream
 * (gen_rng.h).
 */
#include "../src/text/norm.h"
#include "dupgen.h"
#include "gen.h"
#include "gen_names.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void pools_load(const char *path)
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
    const nat_demo_t *d = &NAT_DEMO[n - NATS];
    p->nat = n->alpha3;
    p->langs = d->langs[rnd(r, (uint32_t)d->nlangs)];
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
        snprintf(p->pp_number, sizeof p->pp_number, "%s", d->pp_prefix);
        digits(r, p->pp_number, sizeof p->pp_number, d->pp_digits);
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
void make_case(rng_t *r, batch_t *b, long ci)
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
    const nat_demo_t *d = &NAT_DEMO[nat_i];
    const area_t *a = &d->areas[pick_weighted(r, d->weights, d->nareas)];
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

/* ------------------------------------------------------------------ */
/* The plan.                                                           */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

void make_plan(uint64_t seed)
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
