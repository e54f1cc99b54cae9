/*
 * demo.c — `awda demo`: the demo dataset, read from data/demo and created
 * through the application layer.
 *
 * What it is for: a fresh installation that shows the system with work in
 * it — the caseloads the design's source documents describe: migrants in
 * Egypt returning to Sudan, Ethiopia, Eritrea, South Sudan, Nigeria and
 * Somalia, and Egyptians coming home from Europe (EG-CAI); migrants in
 * Tamanrasset and Algiers returning to Mali, Guinea and Burkina Faso
 * (DZ-TAM, DZ-ALG); returnees registered in Mali for reintegration (ML-BKO,
 * ML-KYS).
 *
 * How it works: the dataset is data (data/demo/README.md): demo_data.c
 * finds the directory, reads and checks every file before anything is
 * written; this file creates the offices, the partner organisations and the
 * users (offices.json, users.json) with app_office_create,
 * app_partner_create and app_user_create as the system actor; demo_gen.c
 * generates and creates the cases (households.json, names.json,
 * places.json); demo_journey.c walks part of them along the return journey
 * (journeys.json); then two households are registered and left there for
 * a person to walk home with the demo users (households.json,
 * "households_to_walk"; README, "Walk a whole return with the demo");
 * last, demo_movements.c plans the movements of movements.json with their
 * passengers.
 *
 * User passwords come from libsodium (randombytes_buf, rejection sampling
 * over an alphabet without look-alike characters) and are printed once.
 * The generators are xorshift64* with the seeds of the data files, so the
 * same data come out on every run; only the dates follow today.
 */
#include "demo.h"
#include "demo_int.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- deterministic generator ------------------------------------------ */

uint64_t demo_rng_next(rng_t *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform enough in [0, n) for a demo (n is small). */
int rng_below(rng_t *r, int n)
{
    return n <= 1 ? 0 : (int)((demo_rng_next(r) >> 33) % (uint64_t)n);
}

int rng_range(rng_t *r, int lo, int hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

int rng_pct(rng_t *r, int pct)
{
    return rng_below(r, 100) < pct;
}

/* Index drawn from weights w[0..n). */
int rng_weighted(rng_t *r, const int *w, size_t n)
{
    int total = 0;
    for (size_t i = 0; i < n; i++)
        total += w[i];
    int x = rng_below(r, total);
    for (size_t i = 0; i < n; i++) {
        if (x < w[i])
            return (int)i;
        x -= w[i];
    }
    return 0;
}

/* ---- small string helpers --------------------------------------------- */

/* Appends s to the NUL-terminated b of capacity cap, truncating. */
void sb_add(char *b, size_t cap, const char *s)
{
    size_t n = strlen(b), m = strlen(s);
    if (n + 1 >= cap)
        return;
    if (m > cap - n - 1)
        m = cap - n - 1;
    memcpy(b + n, s, m);
    b[n + m] = '\0';
}

/* Appends n random digits. */
void sb_digits(char *b, size_t cap, rng_t *r, int n)
{
    char d[2] = {0, 0};
    for (int i = 0; i < n; i++) {
        d[0] = (char)('0' + rng_below(r, 10));
        sb_add(b, cap, d);
    }
}

/* ---- loading through the application layer ---- */

void demo_report(const char *what, const app_result_t *r)
{
    fprintf(stderr, "awda demo: %s: %s\n", what, r->detail[0] ? r->detail : "failed");
    size_t i;
    json_t *e;
    json_array_foreach(r->errors, i, e)
    {
        fprintf(stderr, "  %s: %s\n", json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
    /* The unmet requirements of a step (409 requirements-unmet). */
    json_array_foreach(json_object_get(r->extra, "requirements"), i, e)
    {
        fprintf(stderr, "  unmet %s: %s\n", json_string_value(json_object_get(e, "code")),
                json_string_value(json_object_get(e, "message")));
    }
}

/* 20 characters without look-alikes (no 0/O, 1/I/l), from libsodium. */
static void make_password(char out[21])
{
    static const char ALPHA[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    const unsigned n = (unsigned)(sizeof ALPHA - 1);
    const unsigned limit = 256 - 256 % n; /* rejection keeps it uniform */
    int k = 0;
    while (k < 20) {
        unsigned char buf[32];
        randombytes_buf(buf, sizeof buf);
        for (size_t i = 0; i < sizeof buf && k < 20; i++)
            if (buf[i] < limit)
                out[k++] = ALPHA[buf[i] % n];
    }
    out[20] = '\0';
}

/* 1 when the database holds a case (the system actor sees every one),
 * 0 when none, -1 when it could not be read. */
static int has_cases(app_t *app, const app_actor_t *sys)
{
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    q.limit = "1";
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_list(app, sys, &q, &r);
    json_t *body = r.code == APP_OK ? app_result_body(&r) : NULL;
    json_t *items = json_object_get(body, "items");
    int any = json_is_array(items) ? json_array_size(items) > 0 : -1;
    app_result_free(&r);
    return any;
}

/* Creates every office of offices.json (an existing one is kept as it is). */
static int load_offices(app_t *app, const app_actor_t *sys, const demo_data_t *dd)
{
    size_t i;
    json_t *o;
    json_array_foreach(dd->offices, i, o)
    {
        json_t *body = json_deep_copy(o);
        json_object_del(body, "protection_officer"); /* the demo's, not the office's */
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_office_create(app, sys, body, NULL, NULL, &r);
        json_decref(body);
        int ok = r.code == APP_CREATED || r.code == APP_CONFLICT; /* kept as it is */
        if (!ok) {
            char what[64];
            snprintf(what, sizeof what, "office %s", json_string_value(json_object_get(o, "code")));
            demo_report(what, &r);
        }
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    return 0;
}

/* Creates partner organisation name (country) and writes its id to id
 * (kept as it is when it exists already). */
static int load_partner(app_t *app, const app_actor_t *sys, const char *name, const char *country,
                        char id[37])
{
    json_t *body = json_pack("{s:s,s:s}", "name", name, "country", country);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_partner_create(app, sys, body, NULL, NULL, &r);
    json_decref(body);
    if (r.code == APP_CONFLICT) {
        app_result_free(&r);
        memset(&r, 0, sizeof r);
        app_partner_list(app, sys, &r);
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(r.body, "items"), i, p)
        {
            const char *n = json_string_value(json_object_get(p, "name"));
            if (n && strcasecmp(n, name) == 0)
                snprintf(id, 37, "%s", json_string_value(json_object_get(p, "id")));
        }
    } else if (r.code == APP_CREATED) {
        snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    }
    int ok = id[0] != '\0';
    if (!ok) {
        char what[160];
        snprintf(what, sizeof what, "partner organisation %s", name);
        demo_report(what, &r);
    }
    app_result_free(&r);
    return ok ? 0 : -1;
}

/* The partner organisations of offices.json, in their order; keeps the id
 * of each mission (journeys.json) and of the partner user's organisation. */
static int load_partners(app_t *app, const app_actor_t *sys, demo_data_t *dd)
{
    const char *org = NULL;
    size_t i;
    json_t *u;
    json_array_foreach(dd->users, i, u)
    {
        if (json_object_get(u, "organisation"))
            org = json_string_value(json_object_get(u, "organisation"));
    }
    json_t *p;
    json_array_foreach(dd->partners, i, p)
    {
        const char *name = json_string_value(json_object_get(p, "name"));
        char id[37] = "";
        if (load_partner(app, sys, name, json_string_value(json_object_get(p, "country")), id))
            return -1;
        if (org && strcmp(org, name) == 0)
            memcpy(dd->partner_id, id, sizeof id);
        for (size_t k = 0; k < dd->ncountries; k++)
            if (strcmp(dd->countries[k].mission, name) == 0)
                memcpy(dd->countries[k].mission_id, id, sizeof id);
    }
    return 0;
}

/* Creates the users of users.json and writes a line per user to out. */
static int load_users(app_t *app, const app_actor_t *sys, const demo_data_t *dd, FILE *out)
{
    size_t i;
    json_t *u;
    json_array_foreach(dd->users, i, u)
    {
        const char *name = json_string_value(json_object_get(u, "username"));
        const char *role = json_string_value(json_object_get(u, "role"));
        char pw[21], offices[128] = "";
        make_password(pw);
        size_t k;
        json_t *o;
        json_array_foreach(json_object_get(u, "offices"), k, o)
        {
            if (k)
                sb_add(offices, sizeof offices, ",");
            sb_add(offices, sizeof offices, json_string_value(o));
        }
        json_t *body = json_pack("{s:s,s:O,s:s,s:[s],s:O}", "username", name, "full_name",
                                 json_object_get(u, "full_name"), "password", pw, "roles", role,
                                 "offices", json_object_get(u, "offices"));
        if (json_object_get(u, "organisation")) /* sees referrals addressed to it */
            json_object_set_new(body, "organisation", json_string(dd->partner_id));
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_user_create(app, sys, body, NULL, NULL, &r);
        json_decref(body);
        int rc = 0;
        if (r.code == APP_CREATED) {
            fprintf(out, "user: %s  role: %s  office: %s  password: %s\n", name, role,
                    offices[0] ? offices : "-", pw);
        } else if (r.code == APP_CONFLICT) {
            fprintf(stderr, "awda demo: user %s exists already; its password is unchanged\n", name);
        } else {
            char what[96];
            snprintf(what, sizeof what, "user %s", name);
            demo_report(what, &r);
            rc = -1;
        }
        sodium_memzero(pw, sizeof pw);
        app_result_free(&r);
        if (rc)
            return -1;
    }
    fflush(out);
    return 0;
}

/* ---- a whole return to walk -------------------------------------------------
 *
 * Two households registered and nothing more, for a person trying the demo
 * to walk from registration to arrival with the demo users alone (README,
 * "Walk a whole return with the demo", names the user of each step; the
 * API test tests/api/test_demo_walk.py walks both exactly so): a Sudanese
 * family in Cairo going home to Khartoum (EG-CAI -> SD-KRT) and a Malian
 * couple in Tamanrasset going home to Bamako (DZ-TAM -> ML-BKO). The users
 * their steps need are in users.json, the office in Khartoum in
 * offices.json. The households are made after the journeys of the other
 * cases, so the generator and the plans of those stay as they were. */

/* An exact date of birth that makes the person age today (the birthday
 * about five months ago). */
static json_t *walk_dob(int age)
{
    time_t t = (time_t)(awda_now_ms() / 1000) - ((time_t)age * 36525 / 100 + 150) * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    char b[16];
    snprintf(b, sizeof b, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return json_string(b);
}

/* A member of households_to_walk as the API takes it: "age" becomes an
 * exact date of birth, the nationality is the household's. */
static json_t *walk_person(const json_t *h, const json_t *m)
{
    json_t *p = json_deep_copy(m);
    json_object_del(p, "relationship");
    json_object_del(p, "age");
    json_object_set_new(p, "date_of_birth",
                        walk_dob((int)json_integer_value(json_object_get(m, "age"))));
    json_object_set_new(p, "dob_precision", json_string("exact"));
    json_object_set(p, "nationality", json_object_get(h, "nationality"));
    return p;
}

/* Registers the households to walk; prints their case numbers. */
static int load_walk_cases(app_t *app, const app_actor_t *sys, const demo_data_t *dd)
{
    char show[256] = "";
    size_t i;
    json_t *h;
    json_array_foreach(dd->to_walk, i, h)
    {
        const char *route = json_string_value(json_object_get(h, "route"));
        json_t *members = json_array();
        size_t k;
        json_t *m;
        json_array_foreach(json_object_get(h, "members"), k, m)
        {
            demo_member_add(members, json_string_value(json_object_get(m, "relationship")),
                            walk_person(h, m));
        }
        json_t *body = json_deep_copy(h);
        json_object_del(body, "route");
        json_object_del(body, "nationality");
        json_object_set(body, "origin_country", json_object_get(h, "nationality"));
        json_object_set(body, "destination_country", json_object_get(h, "nationality"));
        json_object_set_new(body, "members", members);
        app_result_t r;
        memset(&r, 0, sizeof r);
        app_case_create(app, sys, body, NULL, NULL, &r);
        int ok = r.code == APP_CREATED && r.body;
        if (ok) {
            char part[96];
            snprintf(part, sizeof part, "%s%s %s", show[0] ? "; " : "",
                     json_string_value(json_object_get(r.body, "number")), route);
            sb_add(show, sizeof show, part);
        } else {
            char what[96];
            snprintf(what, sizeof what, "the household to walk %s", route);
            demo_report(what, &r);
        }
        json_decref(body);
        app_result_free(&r);
        if (!ok)
            return -1;
    }
    fprintf(stderr, "awda demo: to walk home (README, \"Walk a whole return with the demo\"): %s\n",
            show);
    return 0;
}

int awda_demo_load(app_t *app, FILE *out, const char *data_dir)
{
    if (!app || !out)
        return -1;
    if (sodium_init() < 0) {
        fprintf(stderr, "awda demo: libsodium could not be initialised\n");
        return -1;
    }
    demo_data_t *dd = calloc(1, sizeof *dd);
    if (!dd) {
        fprintf(stderr, "awda demo: out of memory\n");
        return -1;
    }
    json_t *mv = NULL;
    if (demo_data_load(dd, data_dir) != 0 || demo_movements_read(dd, &mv) != 0) {
        demo_data_free(dd);
        return -1;
    }
    app_actor_t sys;
    memset(&sys, 0, sizeof sys);
    sys.system = 1;
    int any = has_cases(app, &sys);
    if (any != 0) {
        fprintf(stderr, any < 0 ? "awda demo: the database could not be read\n"
                                : "awda demo: the database already holds cases; the demo dataset "
                                  "loads only into a database without cases\n");
        json_decref(mv);
        demo_data_free(dd);
        return -1;
    }
    int total = 0;
    for (size_t i = 0; i < dd->nrows; i++)
        total += dd->rows[i].count;
    dcase_t *dc = calloc((size_t)total + 1, sizeof *dc);
    int ncases = 0, npersons = 0, rc = -1;
    if (!dc)
        fprintf(stderr, "awda demo: out of memory\n");
    else if (load_offices(app, &sys, dd) == 0 && load_partners(app, &sys, dd) == 0 &&
             load_users(app, &sys, dd, out) == 0)
        rc = demo_load_cases(app, &sys, dd, dc, &ncases, &npersons);
    if (rc == 0)
        fprintf(stderr, "awda demo: %zu offices, %zu users, %d cases, %d persons loaded\n",
                json_array_size(dd->offices), json_array_size(dd->users), ncases, npersons);
    if (rc == 0)
        rc = demo_load_journeys(app, &sys, dd, dc, ncases);
    if (rc == 0)
        rc = load_walk_cases(app, &sys, dd);
    if (rc == 0)
        rc = demo_load_money(app, &sys, dd->dir);
    if (rc == 0)
        rc = demo_movements_load(app, &sys, dd, mv);
    if (rc == 0)
        rc = demo_load_duplicates(app, &sys, dd->dir);
    json_decref(mv);
    for (int i = 0; dc && i < ncases; i++)
        json_decref(dc[i].caze);
    free(dc);
    demo_data_free(dd);
    return rc;
}
