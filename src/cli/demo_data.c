/*
 * demo_data.c — finds, reads and checks the demo dataset (data/demo).
 *
 * What it is for: `awda demo` must find its data wherever awda is started
 * and must refuse a broken dataset before it writes anything. The format of
 * each file is in data/demo/README.md.
 *
 * How it works: the directory is the one configured (--demo-data DIR or
 * AWDA_DEMO_DATA) alone; otherwise, like the web interface (webroot.c), it
 * is looked for beside the binary: <bin>/../share/awda/demo (where `make
 * install` puts it), then <bin>/../data/demo and <bin>/../../data/demo (a
 * build inside the source tree: build/awda, build/asan/awda). A directory
 * counts when it holds offices.json. Each file is read whole (at most
 * AWDA_DEMO_MAX_FILE bytes) with jansson, duplicates rejected, then walked
 * into the typed tables of demo_int.h; every reference between files (a
 * row's office and profile, a profile's name pools and destinations...) is
 * checked. The first problem is printed as "awda demo: PATH: where: what"
 * and the load stops; the tables point into the parsed trees, which
 * demo_data_free releases with the tables.
 */
#include "../util/limits.h"
#include "demo_int.h"
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { F_NAMES, F_PLACES, F_HOUSEHOLDS, F_OFFICES, F_USERS, F_JOURNEYS, F_N };
static const char *const FILES[F_N] = {"names.json",   "places.json", "households.json",
                                       "offices.json", "users.json",  "journeys.json"};

static const char *const STAGES[] = {"registered", "counselled",    "consented",
                                     "eligible",   "pre_departure", "ready"};
static const char *const OUTCOMES[] = {"none",
                                       "hold_health",
                                       "hold_documents",
                                       "hold_decide",
                                       "hold_tracing",
                                       "withdraw_work",
                                       "withdraw_onward",
                                       "withdraw_family",
                                       "close_ineligible",
                                       "blocked_approval",
                                       "blocked_suspended",
                                       "approved"};
static const char *const PREFS[] = {"any",    "medical", "no_document",
                                    "single", "escort",  "trafficking"};
static const char *const HH_KEYS[HH_N] = {"single", "couple", "family", "single_parent",
                                          "siblings"};
static const char *const PHONES[] = {"EG", "DZ", "ML"};

/* The reader: which file, and the first problem. */
typedef struct {
    demo_data_t *dd;
    int file;
} rd_t;

static int bad(rd_t *r, const char *where, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    fprintf(stderr, "awda demo: %s/%s: %s: %s\n", r->dd->dir, FILES[r->file], where, what);
    return -1;
}

static void *track(demo_data_t *dd, size_t n, size_t size)
{
    if (dd->nalloc >= NELEM(dd->alloc))
        return NULL;
    void *p = calloc(n ? n : 1, size);
    if (p)
        dd->alloc[dd->nalloc++] = p;
    return p;
}

static int str(rd_t *r, const json_t *o, const char *key, const char *where, int required,
               const char **out)
{
    const json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v && !required)
        return 0;
    if (!json_is_string(v) || !*json_string_value(v))
        return bad(r, where, "\"%s\" must be a non-empty string", key);
    *out = json_string_value(v);
    return 0;
}

static int num(rd_t *r, const json_t *o, const char *key, const char *where, int lo, int hi,
               int *out)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return bad(r, where, "\"%s\" must be an integer from %d to %d", key, lo, hi);
    *out = (int)json_integer_value(v);
    return 0;
}

static int flag(rd_t *r, const json_t *o, const char *key, const char *where, int *out)
{
    const json_t *v = json_object_get(o, key);
    *out = 0;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return bad(r, where, "\"%s\" must be true or false", key);
    *out = json_is_true(v);
    return 0;
}

/* o[key] as an array of 1..max elements. */
static const json_t *arr(rd_t *r, const json_t *o, const char *key, const char *where, size_t max)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > max) {
        bad(r, where, "\"%s\" must be a list of 1 to %zu elements", key, max);
        return NULL;
    }
    return v;
}

static int word(rd_t *r, const char *s, const char *const *list, size_t n, const char *where,
                const char *key)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return (int)i;
    bad(r, where, "\"%s\" is not one of the known values (%s, ...)", key, list[0]);
    return -1;
}

/* A list of non-empty strings, as a tracked array. */
static const char **strings(rd_t *r, const json_t *a, const char *where, size_t *n)
{
    const char **out = track(r->dd, json_array_size(a), sizeof *out);
    if (!out) {
        bad(r, where, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        out[i] = json_string_value(json_array_get(a, i));
        if (!out[i] || !*out[i]) {
            bad(r, where, "element %zu must be a non-empty string", i);
            return NULL;
        }
    }
    *n = json_array_size(a);
    return out;
}

/* ---- names.json and places.json ---- */

/* The pool called name: entries "Latin" or ["as written", "Latin", ...].
 * A pool named twice is one array (a patronymic profile draws fathers and
 * grandfathers from one pool and tells them apart by address). */
static const nm_t *pool(rd_t *r, const char *name, const char *where, size_t *n)
{
    rd_t rn = {r->dd, F_NAMES};
    demo_data_t *dd = r->dd;
    for (size_t i = 0; i < dd->npools; i++)
        if (strcmp(dd->pools[i].name, name) == 0) {
            *n = dd->pools[i].n;
            return dd->pools[i].p;
        }
    if (dd->npools >= NELEM(dd->pools)) {
        bad(r, where, "more than %zu name pools", NELEM(dd->pools));
        return NULL;
    }
    const json_t *a = json_object_get(json_object_get(r->dd->files[F_NAMES], "pools"), name);
    if (!json_is_array(a) || json_array_size(a) == 0) {
        bad(r, where, "no name pool \"%s\" in names.json", name);
        return NULL;
    }
    nm_t *out = track(r->dd, json_array_size(a), sizeof *out);
    if (!out) {
        bad(r, where, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *e = json_array_get(a, i);
        if (json_is_array(e)) {
            out[i].w = json_string_value(json_array_get(e, 0));
            out[i].l = json_string_value(json_array_get(e, 1));
        } else {
            out[i].w = json_string_value(e);
        }
        if (!out[i].w || !*out[i].w || (json_is_array(e) && (!out[i].l || !*out[i].l))) {
            bad(&rn, name, "entry %zu must be \"Name\" or [\"as written\", \"Latin\", ...]", i);
            return NULL;
        }
    }
    *n = json_array_size(a);
    dd->pools[dd->npools].name = name;
    dd->pools[dd->npools].p = out;
    dd->pools[dd->npools++].n = *n;
    return out;
}

static const dest_t *dests(rd_t *r, const char *key, const char *where, size_t *n)
{
    rd_t rp = {r->dd, F_PLACES};
    const json_t *a = json_object_get(json_object_get(r->dd->files[F_PLACES], "destinations"), key);
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > AWDA_DEMO_MAX_AREAS) {
        bad(r, where, "no destinations \"%s\" (1 to %d) in places.json", key, AWDA_DEMO_MAX_AREAS);
        return NULL;
    }
    dest_t *out = track(r->dd, json_array_size(a), sizeof *out);
    if (!out) {
        bad(r, where, "out of memory");
        return NULL;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        const json_t *d = json_array_get(a, i);
        const json_t *towns = arr(&rp, d, "towns", key, 4);
        size_t nt = 0;
        const char **t = towns ? strings(&rp, towns, key, &nt) : NULL;
        if (!t || str(&rp, d, "area", key, 1, &out[i].area) ||
            str(&rp, d, "pcode", key, 0, &out[i].pcode) ||
            str(&rp, d, "national_id_code", key, 0, &out[i].nid_code) ||
            num(&rp, d, "weight", key, 1, 1000, &out[i].weight))
            return NULL;
        for (size_t k = 0; k < nt; k++)
            out[i].towns[k] = t[k];
    }
    *n = json_array_size(a);
    return out;
}

/* ---- households.json ---- */

static int profiles(rd_t *r)
{
    demo_data_t *dd = r->dd;
    const json_t *all = json_object_get(dd->files[F_HOUSEHOLDS], "profiles");
    if (!json_is_object(all) || json_object_size(all) == 0)
        return bad(r, "profiles", "must be an object of profiles");
    dd->profiles = track(dd, json_object_size(all), sizeof *dd->profiles);
    if (!dd->profiles)
        return bad(r, "profiles", "out of memory");
    const char *key;
    const json_t *o;
    json_object_foreach((json_t *)all, key, o)
    {
        prof_t *p = &dd->profiles[dd->nprofiles++];
        char where[96];
        snprintf(where, sizeof where, "profiles.%s", key);
        p->key = key;
        const json_t *names = json_object_get(o, "names");
        const char *m = NULL, *f = NULL, *fam = NULL, *dk = NULL, *furthest = NULL;
        const json_t *langs = arr(r, o, "languages", where, AWDA_DEMO_MAX_LANGUAGE_SETS);
        const json_t *pass = json_object_get(o, "passport");
        if (str(r, o, "nationality", where, 1, &p->nat) || str(r, names, "male", where, 1, &m) ||
            str(r, names, "female", where, 1, &f) || str(r, names, "family", where, 1, &fam) ||
            !(p->male = pool(r, m, where, &p->nmale)) ||
            !(p->female = pool(r, f, where, &p->nfemale)) ||
            !(p->fam = pool(r, fam, where, &p->nfam)) || !langs ||
            !(p->langs = strings(r, langs, where, &p->nlangs)) ||
            flag(r, o, "patronymic", where, &p->patronymic) ||
            flag(r, o, "wife_takes_name", where, &p->wife_takes_name) ||
            str(r, pass, "prefix", where, 1, &p->pass_prefix) ||
            num(r, pass, "digits", where, 1, 12, &p->pass_digits) ||
            num(r, o, "passport_pct", where, 0, 100, &p->pass_pct) ||
            num(r, o, "laissez_passer_pct", where, 0, 100, &p->lp_pct) ||
            str(r, o, "laissez_passer_prefix", where, 1, &p->lp_prefix) ||
            num(r, o, "consular_card_pct", where, 0, 100, &p->cc_pct) ||
            num(r, o, "trafficking_pct", where, 0, 100, &p->traffick_pct) ||
            str(r, o, "destinations", where, 1, &dk) ||
            !(p->dests = dests(r, dk, where, &p->ndests)) ||
            str(r, o, "furthest_stage", where, 0, &furthest))
            return -1;
        p->furthest = T_READY;
        if (furthest &&
            (p->furthest = word(r, furthest, STAGES, NELEM(STAGES), where, "furthest_stage")) < 0)
            return -1;
    }
    return 0;
}

static const prof_t *profile_named(const demo_data_t *dd, const char *key)
{
    for (size_t i = 0; key && i < dd->nprofiles; i++)
        if (strcmp(dd->profiles[i].key, key) == 0)
            return &dd->profiles[i];
    return NULL;
}

static const json_t *office_named(const demo_data_t *dd, const char *code)
{
    size_t i;
    json_t *o;
    json_array_foreach(dd->offices, i, o)
    {
        if (code && strcmp(json_string_value(json_object_get(o, "code")), code) == 0)
            return o;
    }
    return NULL;
}

static int row_plans(rd_t *r, row_t *w, const json_t *o, const char *where)
{
    const json_t *plans = json_object_get(o, "plans");
    if (!plans)
        return 0;
    if (!(plans = arr(r, o, "plans", where, 64)))
        return -1;
    plan_t *p = track(r->dd, json_array_size(plans), sizeof *p);
    if (!p)
        return bad(r, where, "out of memory");
    for (size_t i = 0; i < json_array_size(plans); i++) {
        const json_t *x = json_array_get(plans, i);
        const char *st = NULL, *oc = NULL;
        if (str(r, x, "stage", where, 1, &st) || str(r, x, "outcome", where, 0, &oc) ||
            (p[i].level = word(r, st, STAGES, NELEM(STAGES), where, "stage")) < 0 ||
            (p[i].sc = oc ? word(r, oc, OUTCOMES, NELEM(OUTCOMES), where, "outcome") : SC_NONE) < 0)
            return -1;
    }
    w->plans = p;
    w->nplans = json_array_size(plans);
    return 0;
}

static int rows(rd_t *r)
{
    demo_data_t *dd = r->dd;
    const json_t *h = dd->files[F_HOUSEHOLDS];
    const json_t *all = arr(r, h, "rows", "rows", 256);
    const json_t *sits = json_object_get(h, "situations"), *wishes = json_object_get(h, "wishes");
    const json_t *addrs = json_object_get(dd->files[F_PLACES], "addresses");
    if (!all || !(dd->rows = track(dd, json_array_size(all), sizeof *dd->rows)))
        return -1;
    for (size_t i = 0; i < json_array_size(all); i++) {
        const json_t *o = json_array_get(all, i);
        row_t *w = &dd->rows[dd->nrows++];
        char where[32];
        snprintf(where, sizeof where, "rows[%zu]", i);
        const char *prof = NULL, *sk = NULL, *wk = NULL, *ph = NULL;
        const json_t *office = NULL, *hh = json_object_get(o, "households");
        if (str(r, o, "office", where, 1, &w->office) || str(r, o, "profile", where, 1, &prof) ||
            num(r, o, "count", where, 1, 1000, &w->count) ||
            num(r, o, "unaccompanied", where, 0, w->count, &w->uac) ||
            num(r, o, "separated", where, 0, w->count - w->uac, &w->sep) ||
            num(r, o, "women_pct", where, 0, 100, &w->women_pct) ||
            str(r, o, "project", where, 0, &w->project) ||
            str(r, o, "assigned_to", where, 1, &w->assignee) ||
            str(r, o, "situations", where, 1, &sk) || str(r, o, "wishes", where, 1, &wk) ||
            str(r, o, "phone", where, 1, &ph) || flag(r, o, "journey", where, &w->journey) ||
            row_plans(r, w, o, where))
            return -1;
        for (int k = 0; k < HH_N; k++)
            if (num(r, hh, HH_KEYS[k], where, 0, 1000, &w->hh[k]))
                return -1;
        int ph_i = word(r, ph, PHONES, NELEM(PHONES), where, "phone");
        if (ph_i < 0)
            return -1;
        w->phone = (phone_t)ph_i;
        if (!(w->p = profile_named(dd, prof)))
            return bad(r, where, "no profile \"%s\"", prof);
        if (!(office = office_named(dd, w->office)))
            return bad(r, where, "no office \"%s\" in offices.json", w->office);
        const json_t *s = json_object_get(sits, sk), *wi = json_object_get(wishes, wk);
        if (!json_is_array(s) || !(w->sit = strings(r, s, where, &w->nsit)) || !w->nsit)
            return bad(r, where, "no situations \"%s\"", sk);
        if (!json_is_array(wi) || !json_array_size(wi))
            return bad(r, where, "no wishes \"%s\"", wk);
        wish_t *ws = track(dd, json_array_size(wi), sizeof *ws);
        if (!ws)
            return bad(r, where, "out of memory");
        for (size_t k = 0; k < json_array_size(wi); k++) {
            ws[k].pre = json_string_value(json_array_get(json_array_get(wi, k), 0));
            ws[k].post = json_string_value(json_array_get(json_array_get(wi, k), 1));
            if (!ws[k].pre || !ws[k].post)
                return bad(r, wk, "a wish is [\"before the town\", \"after the town\"]");
        }
        w->wish = ws;
        w->nwish = json_array_size(wi);
        str(r, office, "protection_officer", where, 0, &w->protection);
        /* People of the office's own country wait at home. */
        const json_t *ad = json_object_get(addrs, w->office);
        const char *country = json_string_value(json_object_get(office, "country"));
        if (json_is_array(ad) && json_array_size(ad) && strcmp(country, w->p->nat) != 0 &&
            !(w->addr = strings(r, ad, where, &w->naddr)))
            return -1;
    }
    return 0;
}

static int households(rd_t *r)
{
    demo_data_t *dd = r->dd;
    const char *seed = NULL;
    if (str(r, dd->files[F_HOUSEHOLDS], "seed", "seed", 1, &seed))
        return -1;
    char *end = NULL;
    dd->seed = strtoull(seed, &end, 16);
    if (*end || !dd->seed)
        return bad(r, "seed", "must be a non-zero hexadecimal number");
    if (profiles(r) || rows(r))
        return -1;
    dd->to_walk = arr(r, dd->files[F_HOUSEHOLDS], "households_to_walk", "households_to_walk", 16);
    return dd->to_walk ? 0 : -1;
}

/* ---- journeys.json ---- */

static int staff(rd_t *r, const json_t *o, const char *where, staff_t *s)
{
    const json_t *l = arr(r, o, "languages", where, 3);
    size_t n = 0;
    const char **langs = l ? strings(r, l, where, &n) : NULL;
    if (!langs || str(r, o, "name", where, 1, &s->name))
        return -1;
    for (size_t i = 0; i < n; i++)
        s->langs[i] = langs[i];
    return 0;
}

static int procedures(rd_t *r, const json_t *all, const char *key, proc_t out[3])
{
    const json_t *a = json_object_get(all, key);
    if (json_array_size(a) != 3)
        return bad(r, "procedures", "\"%s\" must list the three procedures", key);
    for (size_t i = 0; i < 3; i++) {
        const json_t *o = json_array_get(a, i);
        if (str(r, o, "type", key, 1, &out[i].type) || flag(r, o, "needed", key, &out[i].needed) ||
            str(r, o, "notes", key, 0, &out[i].note))
            return -1;
    }
    return 0;
}

static int journeys(rd_t *r)
{
    demo_data_t *dd = r->dd;
    const json_t *j = dd->files[F_JOURNEYS];
    const char *seed = NULL, *key;
    json_t *o;
    char *end = NULL;
    if (str(r, j, "seed", "seed", 1, &seed))
        return -1;
    dd->journey_seed = strtoull(seed, &end, 16);
    if (*end || !dd->journey_seed)
        return bad(r, "seed", "must be a non-zero hexadecimal number");
    const json_t *cs = json_object_get(j, "counsellors");
    json_object_foreach((json_t *)cs, key, o)
    {
        if (strcmp(key, "protection") == 0) {
            if (staff(r, o, "counsellors.protection", &dd->protection))
                return -1;
        } else if (dd->ncounsellors < NELEM(dd->counsellors)) {
            dd->counsellors[dd->ncounsellors].office = key;
            if (staff(r, o, "counsellors", &dd->counsellors[dd->ncounsellors++].staff))
                return -1;
        }
    }
    if (!dd->ncounsellors || !dd->protection.name)
        return bad(r, "counsellors", "needs an office's counsellor and \"protection\"");
    const json_t *cn = arr(r, j, "countries", "countries", 64);
    if (!cn || !(dd->countries = track(dd, json_array_size(cn), sizeof *dd->countries)))
        return -1;
    size_t i;
    json_array_foreach(cn, i, o)
    {
        country_t *c = &dd->countries[dd->ncountries++];
        if (str(r, o, "nationality", "countries", 1, &c->nat) ||
            str(r, o, "route", "countries", 1, &c->route) ||
            str(r, o, "consulate", "countries", 1, &c->consulate) ||
            str(r, o, "document_type", "countries", 1, &c->doc_type) ||
            str(r, o, "document_prefix", "countries", 1, &c->doc_prefix) ||
            str(r, o, "mission", "countries", 1, &c->mission))
            return -1;
    }
    json_array_foreach(json_object_get(j, "consulates"), i, o)
    {
        if (i >= NELEM(dd->consulates))
            return bad(r, "consulates", "at most %zu", NELEM(dd->consulates));
        if (str(r, o, "office", "consulates", 1, &dd->consulates[i].office) ||
            str(r, o, "nationality", "consulates", 1, &dd->consulates[i].nat) ||
            str(r, o, "consulate", "consulates", 1, &dd->consulates[i].consulate) ||
            str(r, o, "document_prefix", "consulates", 1, &dd->consulates[i].doc_prefix))
            return -1;
        dd->nconsulates = i + 1;
    }
    const json_t *pr = json_object_get(j, "procedures");
    if (procedures(r, pr, "EGY", dd->proc_eg) || procedures(r, pr, "DZA", dd->proc_dz))
        return -1;
    const json_t *rs = arr(r, j, "restrictions", "restrictions", 2);
    if (!rs || json_array_size(rs) != 2)
        return rs ? bad(r, "restrictions", "one approval_required and one suspended") : -1;
    json_array_foreach(rs, i, o)
    {
        restr_t x;
        memset(&x, 0, sizeof x);
        if (str(r, o, "country", "restrictions", 1, &x.country) ||
            str(r, o, "admin_area", "restrictions", 1, &x.admin_area) ||
            str(r, o, "kind", "restrictions", 1, &x.kind) ||
            str(r, o, "reason", "restrictions", 1, &x.reason) ||
            num(r, o, "in_force_since_day_of_year", "restrictions", 0, 75, &x.since_doy) ||
            num(r, o, "or_days_ago", "restrictions", 0, 366, &x.or_days_ago) ||
            num(r, o, "next_review_in_days", "restrictions", -366, 366, &x.review_in))
            return -1;
        int k = strcmp(x.kind, "approval_required") == 0 ? 0
                : strcmp(x.kind, "suspended") == 0       ? 1
                                                         : -1;
        if (k < 0 || dd->restr[k].kind)
            return bad(r, "restrictions", "one approval_required and one suspended");
        dd->restr[k] = x;
    }
    const json_t *qs = arr(r, j, "quotas", "quotas", 64);
    if (!qs || !(dd->quotas = track(dd, json_array_size(qs), sizeof *dd->quotas)))
        return -1;
    json_array_foreach(qs, i, o)
    {
        quota_t *q = &dd->quotas[dd->nquotas++];
        const char *st = NULL, *oc = NULL, *pf = NULL;
        if (str(r, o, "stage", "quotas", 1, &st) || str(r, o, "outcome", "quotas", 1, &oc) ||
            str(r, o, "prefer", "quotas", 1, &pf) || num(r, o, "cases", "quotas", 0, 1000, &q->n) ||
            (q->level = word(r, st, STAGES, NELEM(STAGES), "quotas", "stage")) < 0 ||
            (q->sc = word(r, oc, OUTCOMES, NELEM(OUTCOMES), "quotas", "outcome")) < 0 ||
            (q->pref = word(r, pf, PREFS, NELEM(PREFS), "quotas", "prefer")) < 0)
            return -1;
    }
    return 0;
}

/* ---- finding and reading ---- */

static int holds_demo(const char *dir)
{
    char p[PATH_MAX + 32];
    struct stat st;
    snprintf(p, sizeof p, "%s/offices.json", dir);
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_dir(demo_data_t *dd, const char *configured)
{
    if (configured && *configured) {
        snprintf(dd->dir, sizeof dd->dir, "%s", configured);
        if (holds_demo(dd->dir))
            return 0;
        fprintf(stderr, "awda demo: %s holds no demo dataset (offices.json is missing)\n",
                configured);
        return -1;
    }
    char exe[PATH_MAX], tried[2048] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        static const char *const BESIDE[] = {"/../share/awda/demo", "/../data/demo",
                                             "/../../data/demo"};
        for (size_t i = 0; i < NELEM(BESIDE); i++) {
            snprintf(dd->dir, sizeof dd->dir, "%s%s", exe, BESIDE[i]);
            if (holds_demo(dd->dir))
                return 0;
            sb_add(tried, sizeof tried, i ? ", " : "");
            sb_add(tried, sizeof tried, dd->dir);
        }
    }
    fprintf(stderr,
            "awda demo: no demo dataset found (looked in %s); give its directory with "
            "--demo-data DIR or AWDA_DEMO_DATA\n",
            tried[0] ? tried : "nowhere: the binary's directory is unknown");
    return -1;
}

json_t *demo_json_file(const char *dir, const char *name, int optional)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (!optional)
            fprintf(stderr, "awda demo: %s: missing\n", path);
        return NULL;
    }
    if (st.st_size > AWDA_DEMO_MAX_FILE) {
        fprintf(stderr, "awda demo: %s: larger than %d bytes\n", path, AWDA_DEMO_MAX_FILE);
        return NULL;
    }
    json_error_t e;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!json_is_object(o)) {
        fprintf(stderr, "awda demo: %s:%d:%d: %s\n", path, e.line, e.column,
                o ? "must be a JSON object" : e.text);
        json_decref(o);
        return NULL;
    }
    return o;
}

int demo_file_exists(const char *dir, const char *name)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    return stat(path, &st) == 0;
}

static int read_file(demo_data_t *dd, int f)
{
    dd->files[f] = demo_json_file(dd->dir, FILES[f], 0);
    return dd->files[f] ? 0 : -1;
}

int demo_data_load(demo_data_t *dd, const char *configured)
{
    if (!configured || !*configured)
        configured = getenv("AWDA_DEMO_DATA");
    if (find_dir(dd, configured) != 0)
        return -1;
    for (int f = 0; f < F_N; f++)
        if (read_file(dd, f) != 0)
            return -1;
    rd_t ro = {dd, F_OFFICES}, ru = {dd, F_USERS}, rh = {dd, F_HOUSEHOLDS}, rj = {dd, F_JOURNEYS};
    dd->offices = arr(&ro, dd->files[F_OFFICES], "offices", "offices", 64);
    dd->partners = arr(&ro, dd->files[F_OFFICES], "partners", "partners", 64);
    dd->users = arr(&ru, dd->files[F_USERS], "users", "users", 256);
    if (!dd->offices || !dd->partners || !dd->users)
        return -1;
    size_t i;
    json_t *o;
    json_array_foreach(dd->offices, i, o)
    {
        const char *s;
        if (str(&ro, o, "code", "offices", 1, &s) || str(&ro, o, "country", "offices", 1, &s))
            return -1;
    }
    json_array_foreach(dd->users, i, o)
    {
        const char *s;
        if (str(&ru, o, "username", "users", 1, &s) || str(&ru, o, "role", "users", 1, &s) ||
            str(&ru, o, "full_name", "users", 1, &s))
            return -1;
        if (!json_is_array(json_object_get(o, "offices")))
            return bad(&ru, "users", "\"offices\" must be a list (empty: every office)");
    }
    return households(&rh) || journeys(&rj) ? -1 : 0;
}

void demo_data_free(demo_data_t *dd)
{
    if (!dd)
        return;
    for (size_t i = 0; i < dd->nalloc; i++)
        free(dd->alloc[i]);
    for (size_t f = 0; f < NELEM(dd->files); f++)
        json_decref(dd->files[f]);
    free(dd);
}
