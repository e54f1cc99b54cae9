/*
 * gen_demo.c — reads bench/gen's places, offices, language sets and
 * passport patterns from the demo dataset (see gen_demo.h).
 *
 * For each nationality of gen_tables.h: its destination list of
 * places.json (areas, P-codes when the list has them, weights), the
 * language sets of the households.json profiles it names ("ar,en" becomes
 * the JSON array ["ar","en"] the persons carry) and the first profile's
 * passport pattern; for each office of gen_tables.h, its code, name,
 * country and location in offices.json. A nationality that names no
 * profile keeps its own language sets and passport pattern. The parsed
 * files are kept for the life of the process (a generator run): the
 * tables point into them.
 */
#include "gen_demo.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

nat_demo_t NAT_DEMO[NAT_COUNT];
office_t OFFICE_DEMO[N_OFFICES];

static void die_demo(const char *path, const char *where, const char *what)
{
    fprintf(stderr, "gen: %s: %s%s%s\n", path, where ? where : "", where ? ": " : "", what);
    exit(1);
}

/* dir/name, read whole (duplicate keys rejected). */
static json_t *load(const char *dir, const char *name, char *path, size_t cap)
{
    int w = snprintf(path, cap, "%s/%s", dir, name);
    if (w < 0 || (size_t)w >= cap)
        die_demo(dir, NULL, "path too long");
    struct stat st;
    if (stat(path, &st) != 0)
        die_demo(path, NULL, "missing (give the demo dataset's directory with --demo-data DIR)");
    if (st.st_size > AWDA_DEMO_MAX_FILE)
        die_demo(path, NULL, "too large");
    json_error_t e;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (!root)
        die_demo(path, NULL, e.text);
    return root;
}

/* A non-empty string member of o. */
static const char *str(const json_t *o, const char *key, const char *path, const char *where)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s || !*s) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" must be a non-empty string", key);
        die_demo(path, where, what);
    }
    return s;
}

/* ---- places.json ---- */

static void destinations(const json_t *places, const char *path, const nationality_t *n,
                         nat_demo_t *d)
{
    const json_t *a = json_object_get(json_object_get(places, "destinations"), n->dests);
    char where[64];
    snprintf(where, sizeof where, "destinations.%s", n->dests);
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > AWDA_DEMO_MAX_AREAS) {
        char what[96];
        snprintf(what, sizeof what, "must be a list of 1 to %d areas (for %s)", AWDA_DEMO_MAX_AREAS,
                 n->alpha3);
        die_demo(path, where, what);
    }
    d->nareas = (int)json_array_size(a);
    for (int i = 0; i < d->nareas; i++) {
        const json_t *e = json_array_get(a, (size_t)i);
        const json_t *pc = json_object_get(e, "pcode");
        const json_t *wt = json_object_get(e, "weight");
        d->areas[i].name = str(e, "area", path, where);
        d->areas[i].pcode = pc ? str(e, "pcode", path, where) : NULL;
        if (!json_is_integer(wt) || json_integer_value(wt) < 1 || json_integer_value(wt) > 1000)
            die_demo(path, where, "\"weight\" must be a whole number from 1 to 1000");
        d->weights[i] = (int)json_integer_value(wt);
    }
}

/* ---- households.json ---- */

/* "ar,en" as the JSON array ["ar","en"]: codes of 2 or 3 small letters. */
static const char *lang_set(const char *s, const char *path, const char *where)
{
    json_t *arr = json_array();
    const char *p = s;
    for (;;) {
        size_t n = strcspn(p, ",");
        int ok = n >= 2 && n <= 3;
        for (size_t i = 0; ok && i < n; i++)
            ok = p[i] >= 'a' && p[i] <= 'z';
        if (!ok || !arr)
            die_demo(path, where,
                     "a language set is ISO 639 codes separated by commas (\"ar,en\")");
        json_array_append_new(arr, json_stringn(p, n));
        if (!p[n])
            break;
        p += n + 1;
    }
    char *out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    if (!out)
        die_demo(path, where, "out of memory");
    static char *kept[NAT_COUNT * AWDA_DEMO_MAX_LANGUAGE_SETS * 3];
    static int nkept;
    if (nkept < N_OF(kept))
        kept[nkept++] = out; /* for the life of the process */
    return out;
}

static void profiles(const json_t *households, const char *path, const nationality_t *n,
                     nat_demo_t *d)
{
    if (!n->profiles[0]) { /* data/demo has no profile for it: its own */
        d->pp_prefix = n->pp_prefix;
        d->pp_digits = n->pp_digits;
        for (int i = 0; i < N_OF(n->langs) && n->langs[i]; i++)
            d->langs[d->nlangs++] = n->langs[i];
        return;
    }
    const json_t *all = json_object_get(households, "profiles");
    for (int k = 0; k < N_OF(n->profiles) && n->profiles[k]; k++) {
        char where[64];
        snprintf(where, sizeof where, "profiles.%s", n->profiles[k]);
        const json_t *o = json_object_get(all, n->profiles[k]);
        if (!json_is_object(o))
            die_demo(path, where, "no such profile (bench/gen_tables.h names it)");
        if (strcmp(str(o, "nationality", path, where), n->alpha3) != 0)
            die_demo(path, where, "its \"nationality\" is not the one bench/gen_tables.h gives");
        const json_t *langs = json_object_get(o, "languages");
        if (!json_is_array(langs) || json_array_size(langs) == 0 ||
            json_array_size(langs) > AWDA_DEMO_MAX_LANGUAGE_SETS) {
            char what[96];
            snprintf(what, sizeof what, "\"languages\" must be a list of 1 to %d sets",
                     AWDA_DEMO_MAX_LANGUAGE_SETS);
            die_demo(path, where, what);
        }
        for (size_t i = 0; i < json_array_size(langs); i++) {
            const char *s = json_string_value(json_array_get(langs, i));
            if (!s)
                die_demo(path, where, "a language set is a string (\"ar,en\")");
            d->langs[d->nlangs++] = lang_set(s, path, where);
        }
        if (k > 0)
            continue;
        const json_t *pass = json_object_get(o, "passport");
        const json_t *digits = json_object_get(pass, "digits");
        d->pp_prefix = str(pass, "prefix", path, where);
        if (strlen(d->pp_prefix) > 8 || !json_is_integer(digits) ||
            json_integer_value(digits) < 1 || json_integer_value(digits) > 12)
            die_demo(path, where,
                     "\"passport\" is a prefix of at most 8 characters and 1 to 12 "
                     "digits");
        d->pp_digits = (int)json_integer_value(digits);
    }
}

/* ---- offices.json ---- */

static void offices(const json_t *root, const char *path)
{
    const json_t *all = json_object_get(root, "offices");
    if (!json_is_array(all))
        die_demo(path, "offices", "must be a list");
    for (int i = 0; i < N_OFFICES; i++) {
        const json_t *found = NULL;
        for (size_t k = 0; k < json_array_size(all) && !found; k++) {
            const char *code = json_string_value(json_object_get(json_array_get(all, k), "code"));
            if (code && strcmp(code, OFFICES[i].code) == 0)
                found = json_array_get(all, k);
        }
        char where[64];
        snprintf(where, sizeof where, "offices.%s", OFFICES[i].code);
        if (!found)
            die_demo(path, where, "no such office (bench/gen_tables.h names it)");
        OFFICE_DEMO[i].code = OFFICES[i].code;
        OFFICE_DEMO[i].name = str(found, "name", path, where);
        OFFICE_DEMO[i].country = str(found, "country", path, where);
        OFFICE_DEMO[i].location = str(found, "location", path, where);
    }
}

void gen_demo_load(const char *dir)
{
    /* Static: the tables point into them for the life of the process. */
    static char p_places[4096], p_households[4096], p_offices[4096];
    static json_t *places, *households, *office_file;
    places = load(dir, "places.json", p_places, sizeof p_places);
    households = load(dir, "households.json", p_households, sizeof p_households);
    office_file = load(dir, "offices.json", p_offices, sizeof p_offices);
    for (int n = 0; n < NAT_COUNT; n++) {
        destinations(places, p_places, &NATS[n], &NAT_DEMO[n]);
        profiles(households, p_households, &NATS[n], &NAT_DEMO[n]);
    }
    offices(office_file, p_offices);
}
