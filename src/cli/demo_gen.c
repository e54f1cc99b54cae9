/*
 * demo_gen.c — the demo's households, generated from data/demo.
 *
 * What it is for: the cases of the demo (about 120, about 200 persons) as
 * the rows of households.json describe them: per row an office, a
 * nationality profile (names.json pools, places.json destinations,
 * languages, documents), how many cases, how many unaccompanied children
 * and separated children, the household mix and the stories.
 *
 * How it works: a small xorshift64* generator (demo.c) with the seed of
 * households.json draws every household in the order of the rows, so the
 * same cases come out on every run; only the dates follow today (dates of
 * birth are counted back from today so that adults stay 18-70 and children
 * stay children). Households are singles (most), couples, parents with
 * children, single parents and groups of siblings; names are patronymic
 * (child = own name + father's names) or family names as the profile says.
 * Every case is created with app_case_create as the system actor, so every
 * field rule and cross-field rule applies exactly as for the API; the first
 * failure stops the load and is printed with each field error.
 */
#include "../core/field.h"
#include "demo_int.h"
#include <stdlib.h>
#include <string.h>

typedef struct {
    rng_t rng;
    awda_date_t today;
    int persons;
    const nm_t *taken[16]; /* first names in the household being built */
    int ntaken;
} gen_t;

typedef struct {
    const nm_t *part[3];
    int n;
} pname_t;

static const nm_t *pick(rng_t *r, const nm_t *list, size_t n)
{
    return &list[rng_below(r, (int)n)];
}

/* A new member of the household being built gets a first name nobody in
 * it has yet (parents rarely give two children the same name). */
static const nm_t *first_name(gen_t *g, const prof_t *p, int female)
{
    const nm_t *n = NULL;
    for (int tries = 0; tries < 6; tries++) {
        n = female ? pick(&g->rng, p->female, p->nfemale) : pick(&g->rng, p->male, p->nmale);
        int dup = 0;
        for (int i = 0; i < g->ntaken; i++)
            if (strcmp(g->taken[i]->l ? g->taken[i]->l : g->taken[i]->w, n->l ? n->l : n->w) == 0)
                dup = 1;
        if (!dup)
            break;
    }
    if (g->ntaken < (int)NELEM(g->taken))
        g->taken[g->ntaken++] = n;
    return n;
}

/* A fresh full name: first + father + grandfather (patronymic) or first +
 * family name. */
static pname_t new_name(gen_t *g, const prof_t *p, int female)
{
    pname_t n = {{NULL, NULL, NULL}, 0};
    n.part[n.n++] = first_name(g, p, female);
    if (p->patronymic) {
        n.part[n.n++] = pick(&g->rng, p->male, p->nmale);
        const nm_t *gf = pick(&g->rng, p->fam, p->nfam);
        for (int t = 0; t < 6 && gf == n.part[1]; t++) /* father and grandfather differ */
            gf = pick(&g->rng, p->fam, p->nfam);
        n.part[n.n++] = gf;
    } else {
        n.part[n.n++] = pick(&g->rng, p->fam, p->nfam);
    }
    return n;
}

/* The name of a child of father (a full name) in profile p. */
static pname_t child_name(gen_t *g, const prof_t *p, const pname_t *father, int female)
{
    pname_t n = {{NULL, NULL, NULL}, 0};
    n.part[n.n++] = first_name(g, p, female);
    if (p->patronymic) {
        n.part[n.n++] = father->part[0];
        n.part[n.n++] = father->part[1];
    } else {
        n.part[n.n++] = father->part[father->n - 1];
    }
    return n;
}

/* A sibling of s: the same father's names, or the same family name. */
static pname_t sibling_name(gen_t *g, const prof_t *p, const pname_t *s, int female)
{
    pname_t n = *s;
    n.part[0] = first_name(g, p, female);
    return n;
}

static void name_text(const pname_t *n, int latin, char *out, size_t cap)
{
    out[0] = '\0';
    for (int i = 0; i < n->n; i++) {
        if (i)
            sb_add(out, cap, " ");
        sb_add(out, cap, latin && n->part[i]->l ? n->part[i]->l : n->part[i]->w);
    }
}

typedef struct {
    int year, month, day;
    const char *precision; /* exact, month, year, estimated */
} dob_t;

/* A date of birth for someone `age` this year, with a precision drawn from
 * the mix a registration desk sees (many people know only the year). */
static dob_t make_dob(gen_t *g, int age, int child)
{
    dob_t d = {g->today.year - age, rng_range(&g->rng, 1, 12), 0, "exact"};
    d.day = rng_range(&g->rng, 1, awda_days_in_month(d.year, d.month));
    int x = rng_below(&g->rng, 100);
    if (x < (child ? 70 : 58))
        d.precision = "exact";
    else if (x < (child ? 75 : 63))
        d.precision = "month";
    else if (x < (child ? 90 : 83))
        d.precision = "year";
    else
        d.precision = "estimated";
    /* Never in the future, whatever the precision. */
    if (d.year == g->today.year &&
        (d.month > g->today.month || (d.month == g->today.month && d.day > g->today.day))) {
        d.month = g->today.month;
        d.day = g->today.day;
    }
    return d;
}

static json_t *dob_json(const dob_t *d)
{
    char b[16];
    if (strcmp(d->precision, "exact") == 0)
        snprintf(b, sizeof b, "%04d-%02d-%02d", d->year, d->month, d->day);
    else if (strcmp(d->precision, "month") == 0)
        snprintf(b, sizeof b, "%04d-%02d", d->year, d->month);
    else
        snprintf(b, sizeof b, "%04d", d->year);
    return json_string(b);
}

/* The languages of a person: the household's set (set), or now and then a
 * set of their own; young children only the mother tongue. */
static json_t *langs_json(gen_t *g, const prof_t *p, const char *set, int young_child)
{
    if (!young_child && rng_pct(&g->rng, 30))
        set = p->langs[rng_below(&g->rng, (int)p->nlangs)];
    json_t *a = json_array();
    const char *s = set;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        json_array_append_new(a, json_stringn(s, n));
        if (young_child) /* the mother tongue only */
            break;
        s += n + (e ? 1 : 0);
    }
    return a;
}

static void date_text(int y, int m, int d, char out[16])
{
    snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

/* Travel and identity documents: a passport (some expired in 2025), a
 * laissez-passer from the consulate, a consular card, an Egyptian national
 * ID; children sometimes a birth certificate. NULL when none. */
static json_t *documents_json(gen_t *g, const prof_t *p, const dob_t *dob, int female, int child,
                              const dest_t *dest)
{
    json_t *docs = json_array();
    char num[64], exp[16];
    int has_passport = rng_pct(&g->rng, child ? p->pass_pct / 3 : p->pass_pct);
    if (has_passport) {
        num[0] = '\0';
        sb_add(num, sizeof num, p->pass_prefix);
        sb_digits(num, sizeof num, &g->rng, p->pass_digits);
        /* Most valid for years; some expired in 2025, some expire within
         * months of today (before a likely departure). */
        int x = rng_below(&g->rng, 100);
        if (x < 14) {
            date_text(2025, rng_range(&g->rng, 1, 12), rng_range(&g->rng, 1, 28), exp);
        } else if (x < 24) {
            int m = rng_range(&g->rng, 1, 4);
            date_text(g->today.year + (g->today.month + m > 12), (g->today.month + m - 1) % 12 + 1,
                      rng_range(&g->rng, 1, 28), exp);
        } else {
            date_text(g->today.year + rng_range(&g->rng, 1, 6), rng_range(&g->rng, 1, 12),
                      rng_range(&g->rng, 1, 28), exp);
        }
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s,s:s}", "type", "passport", "number",
                                              num, "issuing_country", p->nat, "expiry", exp));
    } else if (rng_pct(&g->rng, p->lp_pct)) {
        /* Short validity, issued for the journey home. */
        num[0] = '\0';
        sb_add(num, sizeof num, p->lp_prefix);
        sb_digits(num, sizeof num, &g->rng, 6);
        int m = rng_range(&g->rng, 0, 3); /* months after this one */
        int y = g->today.year + (g->today.month + m > 12);
        int mo = (g->today.month + m - 1) % 12 + 1;
        date_text(y, mo, rng_range(&g->rng, 1, 28), exp);
        json_array_append_new(docs,
                              json_pack("{s:s,s:s,s:s,s:s}", "type", "laissez_passer", "number",
                                        num, "issuing_country", p->nat, "expiry", exp));
    } else if (!child && p->cc_pct > 0 && rng_pct(&g->rng, p->cc_pct)) {
        num[0] = '\0';
        sb_add(num, sizeof num, "CC-");
        sb_digits(num, sizeof num, &g->rng, 7);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "consular_card", "number",
                                              num, "issuing_country", p->nat));
    } else if (child && rng_pct(&g->rng, 40)) {
        num[0] = '\0';
        sb_add(num, sizeof num, "BC-");
        sb_digits(num, sizeof num, &g->rng, 8);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "birth_certificate",
                                              "number", num, "issuing_country", p->nat));
    }
    /* Egyptian national ID: century, YYMMDD, governorate, sequence whose
     * last digit is odd for men, check digit. */
    if (dest && dest->nid_code && strcmp(dob->precision, "exact") == 0 && !child) {
        snprintf(num, sizeof num, "%d%02d%02d%02d%s", dob->year >= 2000 ? 3 : 2, dob->year % 100,
                 dob->month, dob->day, dest->nid_code);
        sb_digits(num, sizeof num, &g->rng, 3);
        char sexd[2] = {(char)('0' + 2 * rng_below(&g->rng, 5) + (female ? 0 : 1)), 0};
        sb_add(num, sizeof num, sexd);
        sb_digits(num, sizeof num, &g->rng, 1);
        json_array_append_new(docs, json_pack("{s:s,s:s,s:s}", "type", "national_id", "number", num,
                                              "issuing_country", "EGY"));
    }
    if (json_array_size(docs) == 0) {
        json_decref(docs);
        return NULL;
    }
    return docs;
}

static void phone_text(gen_t *g, phone_t ph, char *out, size_t cap)
{
    static const char EG2[] = {'0', '1', '2', '5'};
    switch (ph) {
    case PH_EG:
        snprintf(out, cap, "+20 1%c %04d %04d", EG2[rng_below(&g->rng, 4)],
                 rng_below(&g->rng, 10000), rng_below(&g->rng, 10000));
        break;
    case PH_DZ:
        snprintf(out, cap, "+213 %d%d %02d %02d %02d %02d", rng_range(&g->rng, 5, 7),
                 rng_below(&g->rng, 10), rng_below(&g->rng, 100), rng_below(&g->rng, 100),
                 rng_below(&g->rng, 100), rng_below(&g->rng, 100));
        break;
    case PH_ML:
        snprintf(out, cap, "+223 %d%d %02d %02d %02d", rng_range(&g->rng, 6, 9),
                 rng_below(&g->rng, 10), rng_below(&g->rng, 100), rng_below(&g->rng, 100),
                 rng_below(&g->rng, 100));
        break;
    }
}

/* Where the household stays now, for the contact block. */
static const char *address_for(gen_t *g, const row_t *row, const char *town)
{
    if (!row->naddr) /* at home */
        return town;
    return row->addr[rng_below(&g->rng, (int)row->naddr)];
}

typedef struct {
    pname_t name;
    int female;
    int age;
    int child;          /* under 18 */
    const char *vul[4]; /* vulnerability flags */
    int nvul;
    int contact; /* give a phone and address */
} spec_t;

static void add_vul(spec_t *s, const char *v)
{
    for (int i = 0; i < s->nvul; i++)
        if (strcmp(s->vul[i], v) == 0)
            return;
    if (s->nvul < (int)NELEM(s->vul))
        s->vul[s->nvul++] = v;
}

/* Vulnerabilities an adult may carry, at realistic rates. */
static void adult_vulnerabilities(gen_t *g, const prof_t *p, spec_t *s)
{
    if (s->age >= 60)
        add_vul(s, "elderly");
    if (rng_pct(&g->rng, s->age >= 60 ? 35 : 7))
        add_vul(s, "medical_condition");
    if (s->female && rng_pct(&g->rng, p->traffick_pct))
        add_vul(s, "victim_of_trafficking");
    else if (!s->female && rng_pct(&g->rng, p->traffick_pct / 6))
        add_vul(s, "victim_of_trafficking");
    if (s->female && s->age <= 40 && rng_pct(&g->rng, 7))
        add_vul(s, "pregnant");
    if (rng_pct(&g->rng, 3))
        add_vul(s, "disability");
    if (rng_pct(&g->rng, 3))
        add_vul(s, "mental_health");
    if (s->female && rng_pct(&g->rng, 4))
        add_vul(s, "survivor_of_violence");
}

/* Household-wide facts shared by its members. */
typedef struct {
    const char *town;    /* destination town */
    const dest_t *dest;  /* among the profile's destinations */
    const char *langset; /* the household's languages */
    const char *address; /* where the household stays now, or NULL */
} hhctx_t;

static json_t *person_json(gen_t *g, const row_t *row, const spec_t *s, const hhctx_t *h)
{
    const prof_t *p = row->p;
    char w[256], l[256], ph[40];
    name_text(&s->name, 0, w, sizeof w);
    name_text(&s->name, 1, l, sizeof l);
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(w));
    if (strcmp(w, l) != 0)
        json_object_set_new(o, "name_latin", json_string(l));
    json_object_set_new(o, "sex", json_string(s->female ? "female" : "male"));
    dob_t d = make_dob(g, s->age, s->child);
    /* A few adults could give no date at all. */
    if (s->child || !rng_pct(&g->rng, 3)) {
        json_object_set_new(o, "date_of_birth", dob_json(&d));
        json_object_set_new(o, "dob_precision", json_string(d.precision));
    } else {
        d.precision = "none";
    }
    json_object_set_new(o, "nationality", json_string(p->nat));
    json_object_set_new(o, "languages", langs_json(g, p, h->langset, s->child && s->age < 10));
    json_t *docs = documents_json(g, p, &d, s->female, s->child, h->dest);
    if (docs)
        json_object_set_new(o, "documents", docs);
    if (s->contact) {
        json_t *c = json_object();
        phone_t pt = row->phone;
        /* Some Egyptians still carry the number from the host country. */
        if (strcmp(p->nat, "EGY") == 0 && rng_pct(&g->rng, 25))
            snprintf(ph, sizeof ph, "+39 3%02d %03d %04d", rng_below(&g->rng, 100),
                     rng_below(&g->rng, 1000), rng_below(&g->rng, 10000));
        else
            phone_text(g, pt, ph, sizeof ph);
        json_object_set_new(c, "phone", json_string(ph));
        if (h->address)
            json_object_set_new(c, "address", json_string(h->address));
        json_object_set_new(o, "contact", c);
    }
    /* What routes the case goes to vulnerabilities; what exposes the
     * person (trafficking, violence, mental health) to the sealed
     * protection concerns. */
    json_t *routing = json_array(), *protection = json_array();
    for (int i = 0; i < s->nvul; i++)
        json_array_append_new(awda_value_index(AWDA_PROTECTION_VULNERABILITIES, s->vul[i]) >= 0
                                  ? protection
                                  : routing,
                              json_string(s->vul[i]));
    if (json_array_size(routing))
        json_object_set_new(o, "vulnerabilities", routing);
    else
        json_decref(routing);
    if (json_array_size(protection))
        json_object_set_new(o, "protection_vulnerabilities", protection);
    else
        json_decref(protection);
    g->persons++;
    return o;
}

void demo_member_add(json_t *members, const char *rel, json_t *person)
{
    json_array_append_new(members, json_pack("{s:s,s:o}", "relationship", rel, "person", person));
}

/* Ages (this year minus the year of birth) of the children of a parent
 * aged parent_age, oldest first, two to four years apart: mostly one to
 * three children, now and then four or five. Returns how many. */
static int child_ages(gen_t *g, int parent_age, int ages[5])
{
    int want = rng_pct(&g->rng, 12) ? rng_range(&g->rng, 4, 5) : rng_range(&g->rng, 1, 3);
    int oldest = parent_age - 19;
    if (oldest > 17)
        oldest = 17;
    if (oldest < 1)
        oldest = 1;
    int age = rng_range(&g->rng, want > 2 ? (oldest < 8 ? oldest : 8) : 1, oldest);
    int n = 0;
    while (n < want && age >= 1) {
        ages[n++] = age;
        age -= rng_range(&g->rng, 2, 4);
    }
    return n;
}

/* The members of a household of kind hh, principal first. */
static int household(gen_t *g, const row_t *row, int hh, int uac, int sep, spec_t *sp,
                     const char **rel, int cap)
{
    const prof_t *p = row->p;
    int n = 0;
    memset(sp, 0, sizeof *sp * (size_t)cap);
    g->ntaken = 0;
    if (uac) {
        spec_t *c = &sp[n];
        c->female = rng_pct(&g->rng, 20);
        c->age = rng_range(&g->rng, 15, 17);
        c->child = 1;
        c->name = new_name(g, p, c->female);
        c->contact = rng_pct(&g->rng, 50);
        add_vul(c, "unaccompanied_child");
        if (rng_pct(&g->rng, 15))
            add_vul(c, "victim_of_trafficking");
        rel[n++] = "principal";
        return n;
    }
    switch (hh) {
    case HH_SINGLE: {
        spec_t *a = &sp[n];
        a->female = rng_pct(&g->rng, row->women_pct);
        a->age = rng_pct(&g->rng, 8) ? rng_range(&g->rng, 45, 70) : rng_range(&g->rng, 19, 44);
        a->name = new_name(g, p, a->female);
        a->contact = rng_pct(&g->rng, 80);
        adult_vulnerabilities(g, p, a);
        rel[n++] = "principal";
        break;
    }
    case HH_COUPLE:
    case HH_FAMILY: {
        spec_t *h = &sp[n], *w = &sp[n + 1];
        h->age = rng_range(&g->rng, 26, 55);
        h->name = new_name(g, p, 0);
        h->contact = 1;
        adult_vulnerabilities(g, p, h);
        w->female = 1;
        w->age = h->age - rng_range(&g->rng, 2, 9);
        if (w->age < 19)
            w->age = 19;
        w->name = new_name(g, p, 1);
        if (p->wife_takes_name)
            w->name.part[w->name.n - 1] = h->name.part[h->name.n - 1];
        w->contact = rng_pct(&g->rng, 40);
        adult_vulnerabilities(g, p, w);
        /* Now and then the wife is the principal applicant. */
        int wife_first = rng_pct(&g->rng, 12);
        rel[n] = "principal";
        rel[n + 1] = "spouse";
        if (wife_first) {
            spec_t t = *h;
            *h = *w;
            *w = t;
        }
        pname_t father = wife_first ? w->name : h->name;
        int mother_age = wife_first ? h->age : w->age;
        n += 2;
        if (hh == HH_FAMILY) {
            int ages[5];
            int kids = child_ages(g, mother_age, ages);
            for (int k = 0; k < kids && n < cap - 1; k++) {
                spec_t *c = &sp[n];
                c->female = rng_pct(&g->rng, 50);
                c->age = ages[k];
                c->child = 1;
                c->name = child_name(g, p, &father, c->female);
                if (rng_pct(&g->rng, 4))
                    add_vul(c, rng_pct(&g->rng, 50) ? "medical_condition" : "disability");
                rel[n++] = "child";
            }
            /* An elderly parent travelling with the family. */
            if (n < cap && rng_pct(&g->rng, 15)) {
                spec_t *e = &sp[n];
                e->female = rng_pct(&g->rng, 60);
                e->age = rng_range(&g->rng, 61, 70);
                pname_t gp = new_name(g, p, e->female);
                if (!e->female && !wife_first) {
                    /* The principal's father: his name continues the chain
                     * (patronymic) or he carries the family name. */
                    if (p->patronymic) {
                        gp.part[0] = father.part[1];
                        gp.part[1] = father.part[2];
                    } else {
                        gp.part[gp.n - 1] = father.part[father.n - 1];
                    }
                }
                e->name = gp;
                adult_vulnerabilities(g, p, e);
                add_vul(e, "elderly");
                rel[n++] = "parent";
            }
        }
        break;
    }
    case HH_SINGLE_PARENT: {
        spec_t *m = &sp[n];
        m->female = rng_pct(&g->rng, 85);
        m->age = rng_range(&g->rng, 24, 48);
        m->name = new_name(g, p, m->female);
        m->contact = 1;
        adult_vulnerabilities(g, p, m);
        add_vul(m, "single_parent");
        rel[n++] = "principal";
        pname_t father = m->female ? new_name(g, p, 0) : m->name;
        int ages[5];
        int kids = child_ages(g, m->age, ages);
        for (int k = 0; k < kids && n < cap; k++) {
            spec_t *c = &sp[n];
            c->female = rng_pct(&g->rng, 50);
            c->age = ages[k];
            c->child = 1;
            c->name = child_name(g, p, &father, c->female);
            rel[n++] = "child";
        }
        break;
    }
    case HH_SIBLINGS: {
        spec_t *a = &sp[n];
        a->female = rng_pct(&g->rng, 25);
        a->age = rng_range(&g->rng, 20, 32);
        a->name = new_name(g, p, a->female);
        a->contact = 1;
        adult_vulnerabilities(g, p, a);
        rel[n++] = "principal";
        int sibs = rng_range(&g->rng, 1, 2);
        for (int k = 0; k < sibs && n < cap; k++) {
            spec_t *s = &sp[n];
            s->female = rng_pct(&g->rng, 40);
            /* Often a younger brother or sister still a minor. */
            s->age = k == 0 && (sep || rng_pct(&g->rng, 40)) ? rng_range(&g->rng, 15, 17)
                                                             : rng_range(&g->rng, 18, 30);
            s->child = s->age < 18;
            s->name = sibling_name(g, p, &a->name, s->female);
            if (s->child)
                add_vul(s, "separated_child"); /* with a sibling, not a parent */
            else
                adult_vulnerabilities(g, p, s);
            rel[n++] = "sibling";
        }
        break;
    }
    }
    return n;
}

static int pick_dest(gen_t *g, const prof_t *p)
{
    int w[16];
    size_t n = p->ndests < NELEM(w) ? p->ndests : NELEM(w);
    for (size_t i = 0; i < n; i++)
        w[i] = p->dests[i].weight;
    return rng_weighted(&g->rng, w, n);
}

static const char *pick_town(gen_t *g, const dest_t *d)
{
    int n = 0;
    while (n < 4 && d->towns[n])
        n++;
    return d->towns[rng_below(&g->rng, n)];
}

/* Builds one case body. */
static json_t *case_json(gen_t *g, const row_t *row, int uac, int sep)
{
    const prof_t *p = row->p;
    int di = pick_dest(g, p);
    const dest_t *d = &p->dests[di];
    const char *town = pick_town(g, d);
    int hh = sep ? HH_SIBLINGS : rng_weighted(&g->rng, row->hh, HH_N);
    spec_t sp[12];
    const char *rel[12];
    int n = household(g, row, hh, uac, sep, sp, rel, (int)NELEM(sp));

    json_t *c = json_object();
    json_object_set_new(c, "office", json_string(row->office));
    json_object_set_new(c, "origin_country", json_string(p->nat));
    json_object_set_new(c, "destination_country", json_string(p->nat));
    json_object_set_new(c, "destination_admin_area", json_string(d->area));
    if (d->pcode)
        json_object_set_new(c, "destination_pcode", json_string(d->pcode));
    if (row->project && rng_pct(&g->rng, 85))
        json_object_set_new(c, "project", json_string(row->project));

    /* Children and victims of trafficking go to the protection officer
     * where there is one; most other cases to the office's case worker. */
    int protection = uac;
    for (int k = 0; k < sp[0].nvul; k++)
        if (strcmp(sp[0].vul[k], "victim_of_trafficking") == 0)
            protection = 1;
    const char *assignee = row->assignee;
    if (protection && row->protection)
        assignee = row->protection;
    else if (rng_pct(&g->rng, 10))
        assignee = NULL; /* not yet assigned */
    if (assignee)
        json_object_set_new(c, "assigned_to", json_string(assignee));

    hhctx_t hc = {town, d, p->langs[rng_below(&g->rng, (int)p->nlangs)],
                  rng_pct(&g->rng, 65) ? address_for(g, row, town) : NULL};
    json_t *members = json_array();
    for (int i = 0; i < n; i++)
        demo_member_add(members, rel[i], person_json(g, row, &sp[i], &hc));

    char notes[1024] = "";
    if (uac) {
        /* The age as the registration desk would read it. */
        const json_t *pp = json_object_get(json_array_get(members, 0), "person");
        int years = awda_age_on(json_string_value(json_object_get(pp, "date_of_birth")),
                                json_string_value(json_object_get(pp, "dob_precision")),
                                g->today.year, g->today.month, g->today.day, 1);
        char age[64];
        snprintf(age, sizeof age, "Unaccompanied %s, %d, travelling alone. ",
                 sp[0].female ? "girl" : "boy", years);
        sb_add(notes, sizeof notes, age);
        sb_add(notes, sizeof notes,
               strcmp(p->nat, "EGY") == 0
                   ? "Reached Italy by sea and was placed in a reception centre for minors; "
                     "asked to go home. "
                   : "Identified by outreach and referred to the protection officer. ");
        sb_add(notes, sizeof notes, "Best-interests assessment and family tracing in ");
        sb_add(notes, sizeof notes, town);
        sb_add(notes, sizeof notes, " needed before any return.");
    } else {
        sb_add(notes, sizeof notes, row->sit[rng_below(&g->rng, (int)row->nsit)]);
        const wish_t *wi = &row->wish[rng_below(&g->rng, (int)row->nwish)];
        sb_add(notes, sizeof notes, " ");
        sb_add(notes, sizeof notes, wi->pre);
        sb_add(notes, sizeof notes, town);
        sb_add(notes, sizeof notes, wi->post);
        if (n > 1) {
            char hhn[96];
            snprintf(hhn, sizeof hhn, " Household of %d registered together.", n);
            sb_add(notes, sizeof notes, hhn);
        }
    }

    json_object_set_new(c, "notes", json_string(notes));
    json_object_set_new(c, "members", members);
    return c;
}
int demo_load_cases(app_t *app, const app_actor_t *sys, const demo_data_t *dd, dcase_t *dc,
                    int *ncases, int *npersons)
{
    gen_t gen;
    memset(&gen, 0, sizeof gen);
    gen.rng.s = dd->seed;
    gen.today = awda_today();
    gen_t *g = &gen;
    *npersons = 0;
    for (size_t i = 0; i < dd->nrows; i++) {
        const row_t *row = &dd->rows[i];
        for (int k = 0; k < row->count; k++) {
            json_t *body =
                case_json(g, row, k < row->uac, k >= row->uac && k < row->uac + row->sep);
            app_result_t r;
            memset(&r, 0, sizeof r);
            app_case_create(app, sys, body, NULL, NULL, &r);
            int ok = r.code == APP_CREATED && r.body;
            if (!ok) {
                char what[96];
                snprintf(what, sizeof what, "case %d of %s (%s)", k + 1, row->office, row->p->nat);
                demo_report(what, &r);
                char *dump = json_dumps(body, JSON_COMPACT);
                if (dump) {
                    fprintf(stderr, "  body: %s\n", dump);
                    free(dump);
                }
            } else {
                dcase_t *d = &dc[*ncases];
                memset(d, 0, sizeof *d);
                d->caze = json_incref(r.body);
                d->row = row;
                d->k = k;
                d->uac = k < row->uac;
                (*ncases)++;
            }
            json_decref(body);
            app_result_free(&r);
            if (!ok)
                return -1;
        }
    }
    *npersons = g->persons;
    return 0;
}
