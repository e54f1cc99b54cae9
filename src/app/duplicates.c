/*
 * duplicates.c — the use cases of the duplicates module (issue 13): the
 * possible duplicates of a person (GET /persons/{id}/duplicates), of a
 * person not yet saved (POST /duplicates/check), the flagging of the
 * pairs found after a registration or an import (app_duplicates_flag),
 * and the thread that flags registrations off the request's path and
 * makes the keys of the persons written before the keys existed.
 *
 * A search: the probe keys of the person (store/dup_keys.c) give the
 * best-supported candidates (at most AWDA_DUP_SCORED_MAX), read in one
 * statement (pairs decided not_same and anonymised persons left out),
 * each scored (dup_score.c), best first. Need to know: a candidate in a
 * case the caller may see comes with their name, date of birth, case
 * numbers and the explanation; one only in other offices' cases comes
 * with those offices, the score and the kinds of the explanation (how
 * each word matched, no candidate's word), so the worker contacts them.
 */
#include "duplicates.h"
#include "dup_score.h"
#include "dup_int.h"
#include "internal.h"
#include "../core/field.h"
#include "../store/duplicates.h"
#include "../util/id.h"
#include "../util/log.h"
#include "../text/norm.h"
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int score;
    json_t *cand; /* borrowed from the rows */
    json_t *expl; /* owned */
} hit_t;

static void person_of_json(const json_t *o, dup_person_t *p)
{
    p->name = json_string_value(json_object_get(o, "name"));
    p->name_latin = json_string_value(json_object_get(o, "name_latin"));
    p->sex = json_string_value(json_object_get(o, "sex"));
    p->date_of_birth = json_string_value(json_object_get(o, "date_of_birth"));
    p->dob_precision = json_string_value(json_object_get(o, "dob_precision"));
    p->nationality = json_string_value(json_object_get(o, "nationality"));
    p->documents = json_object_get(o, "documents");
}

/* Best score first; equal scores by the candidate's pk (older first), so
 * the order is the same whoever asks and however the rows came. */
static int by_score(const void *a, const void *b)
{
    const hit_t *x = a, *y = b;
    if (x->score != y->score)
        return y->score - x->score;
    json_int_t px = json_integer_value(json_object_get(x->cand, "pk"));
    json_int_t py = json_integer_value(json_object_get(y->cand, "pk"));
    return (px > py) - (px < py);
}

/* Two stages: the AWDA_DUP_PRESCORED_MAX best-supported candidates, then
 * the AWDA_DUP_SCORED_MAX best of them by their date of birth, sex and
 * nationality (dup_preselect) into pks. Returns how many, -1 on a database error. */
static int preselect(store_conn_t *c, const json_t *q, const dup_probe_t *probes, int np,
                     int64_t self_pk, int64_t *pks)
{
    int64_t cand[AWDA_DUP_PRESCORED_MAX];
    double sup[AWDA_DUP_PRESCORED_MAX];
    int n = store_dup_candidates(c, probes, np, self_pk, cand, sup, AWDA_DUP_PRESCORED_MAX);
    if (n <= AWDA_DUP_SCORED_MAX) {
        for (int i = 0; i < n; i++)
            pks[i] = cand[i];
        return n;
    }
    static __thread dup_prescore_t row[AWDA_DUP_PRESCORED_MAX];
    if (store_dup_prescore_rows(c, cand, n, row) != STORE_OK)
        return -1;
    dup_prescore_t qr;
    dup_prescore_of(json_string_value(json_object_get(q, "date_of_birth")),
                    json_string_value(json_object_get(q, "dob_precision")),
                    json_string_value(json_object_get(q, "sex")),
                    json_string_value(json_object_get(q, "nationality")), &qr);
    return dup_preselect(&qr, cand, sup, n, row, pks, AWDA_DUP_SCORED_MAX);
}

/* The candidates of q (self_pk: the person's own pk, 0 when not saved),
 * scored, best first, into hits (at most AWDA_DUP_SCORED_MAX); *rows gets
 * the rows they point into (caller frees both). Returns how many, -1 on a
 * database error. */
static int find(store_conn_t *c, const json_t *q, int64_t self_pk, hit_t *hits, json_t **rows)
{
    *rows = NULL;
    dup_names_t names = {json_string_value(json_object_get(q, "name")),
                         json_string_value(json_object_get(q, "name_latin")),
                         json_string_value(json_object_get(q, "date_of_birth"))};
    dup_probe_t probes[AWDA_DUP_PROBES_MAX];
    int np = dup_probes_make(&names, probes, AWDA_DUP_PROBES_MAX);
    if (np <= 0)
        return 0;
    int64_t pks[AWDA_DUP_SCORED_MAX];
    int n = preselect(c, q, probes, np, self_pk, pks);
    if (n <= 0)
        return n;
    if (!(*rows = store_dup_persons(c, pks, n, self_pk)))
        return -1;
    dup_person_t qp;
    person_of_json(q, &qp);
    int m = 0;
    size_t i;
    json_t *row;
    json_array_foreach(*rows, i, row)
    {
        dup_person_t cp;
        person_of_json(row, &cp);
        hits[m].cand = row;
        hits[m].score = dup_score(&qp, &cp, &hits[m].expl);
        m++;
    }
    qsort(hits, (size_t)m, sizeof *hits, by_score);
    return m;
}

static void hits_free(hit_t *hits, int n, json_t *rows)
{
    for (int i = 0; i < n; i++)
        json_decref(hits[i].expl);
    json_decref(rows);
}

/* The explanation without the candidate's words. */
static json_t *kinds_only(const json_t *expl)
{
    json_t *k = json_deep_copy(expl);
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(k, "names"), i, w) json_object_del(w, "candidate");
    return k;
}

static int case_in_scope(const app_actor_t *a, const json_t *cs)
{
    return a->system || app_all_offices(a) ||
           app_case_row_in_scope(a, (int64_t)json_integer_value(json_object_get(cs, "office_pk")),
                                 (int64_t)json_integer_value(json_object_get(cs, "receiving_pk")),
                                 json_string_value(json_object_get(cs, "project")));
}

static int person_in_scope(const app_actor_t *a, const json_t *p)
{
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(p, "cases"), i, cs) if (case_in_scope(a, cs)) return 1;
    return a->system || app_all_offices(a);
}

/* One item of the answer, as the actor may see it. */
static json_t *item(const app_actor_t *a, const hit_t *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "score", json_integer(h->score));
    const json_t *p = h->cand;
    if (!person_in_scope(a, p)) {
        json_t *offices = json_array();
        size_t i;
        json_t *cs;
        json_array_foreach(json_object_get(p, "cases"), i, cs)
            json_array_append(offices, json_object_get(cs, "office"));
        json_object_set_new(o, "in_scope", json_false());
        json_object_set_new(o, "offices", offices);
        json_object_set_new(o, "explanation", kinds_only(h->expl));
        return o;
    }
    json_t *person = json_object();
    static const char *const F[] = {
        "id", "name", "name_latin", "sex", "date_of_birth", "dob_precision", "nationality"};
    for (size_t k = 0; k < sizeof F / sizeof F[0]; k++) {
        json_t *v = json_object_get(p, F[k]);
        json_object_set(person, F[k], v ? v : json_null());
    }
    json_t *cases = json_array(), *elsewhere = json_array();
    size_t i;
    json_t *cs;
    json_array_foreach(json_object_get(p, "cases"), i, cs)
    {
        if (case_in_scope(a, cs))
            json_array_append_new(cases, json_pack("{s:O,s:O,s:O}", "id", json_object_get(cs, "id"),
                                                   "number", json_object_get(cs, "number"),
                                                   "office", json_object_get(cs, "office")));
        else
            json_array_append(elsewhere, json_object_get(cs, "office"));
    }
    json_object_set_new(o, "in_scope", json_true());
    json_object_set_new(o, "person", person);
    json_object_set_new(o, "cases", cases);
    json_object_set_new(o, "offices", elsewhere);
    json_object_set(o, "explanation", h->expl);
    return o;
}

static int parse_limit(const char *limit, long long *lim, app_result_t *r)
{
    *lim = AWDA_DUP_LIMIT_DEFAULT;
    if (limit && app_parse_int(limit, 1, AWDA_DUP_LIMIT_MAX, lim) != 0) {
        json_t *e = json_array();
        awda_error_add(e, "limit", "limit must be a whole number from 1 to %d", AWDA_DUP_LIMIT_MAX);
        app_bad_request(r, e, "The query is not valid");
        return 0;
    }
    return 1;
}

/* The answer {items: [...]} for q. */
static void answer(store_conn_t *c, const app_actor_t *a, const json_t *q, int64_t self_pk,
                   long long lim, app_result_t *r)
{
    hit_t hits[AWDA_DUP_SCORED_MAX];
    json_t *rows;
    int n = find(c, q, self_pk, hits, &rows);
    if (n < 0) {
        app_fail(r, APP_ERROR, "the possible duplicates could not be read");
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n && i < lim; i++) {
        /* the cases of the few answered only (they decide what is shown) */
        json_t *cases = store_dup_person_cases(
            c, (int64_t)json_integer_value(json_object_get(hits[i].cand, "pk")));
        json_object_set_new(hits[i].cand, "cases", cases ? cases : json_array());
        json_array_append_new(items, item(a, &hits[i]));
    }
    hits_free(hits, n, rows);
    r->body = json_pack("{s:o}", "items", items);
    r->code = APP_OK;
}

void app_person_duplicates(app_t *app, const app_actor_t *a, const char *id, const char *limit,
                           app_result_t *r)
{
    long long lim;
    if (!parse_limit(limit, &lim, r))
        return;
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int64_t pk = id && awda_uuid_valid(id, strlen(id)) ? store_person_pk(c, id) : 0;
    json_t *p = pk ? store_dup_person(c, pk) : NULL;
    if (!p || !person_in_scope(a, p)) {
        json_decref(p);
        app_fail(r, APP_NOT_FOUND, "there is no person with this id");
        return;
    }
    answer(c, a, p, pk, lim, r);
    json_decref(p);
}

void app_duplicates_check(app_t *app, const app_actor_t *a, const json_t *body, const char *limit,
                          app_result_t *r)
{
    long long lim;
    if (!parse_limit(limit, &lim, r))
        return;
    json_t *errors = json_array();
    if (!json_is_object(body)) {
        awda_error_add(errors, "", "the person must be a JSON object");
        app_invalid(r, errors, "The person is not valid");
        return;
    }
    /* A form half filled in: sex and nationality may be left out. */
    json_t *p = json_deep_copy(body);
    if (!json_object_get(p, "sex"))
        json_object_set_new(p, "sex", json_string("unknown"));
    if (!json_object_get(p, "nationality"))
        json_object_set_new(p, "nationality", json_string("XXX"));
    if (awda_validate(&AWDA_PERSON, p, "", errors) || json_array_size(errors)) {
        json_decref(p);
        app_invalid(r, errors, "The person is not valid");
        return;
    }
    json_decref(errors);
    /* The documents compared by their numbers. */
    json_t *numbers = json_array();
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(p, "documents"), i, d)
    {
        json_t *num = json_object_get(d, "number");
        if (json_is_string(num))
            json_array_append(numbers, num);
    }
    json_object_set_new(p, "documents", numbers);
    store_conn_t *c = app_reader(app, r);
    if (c) {
        /* one snapshot for the search's hundred statements, as a GET has */
        int in_txn = store_read_begin(c) == STORE_OK;
        answer(c, a, p, 0, lim, r);
        if (in_txn)
            store_read_end(c);
    }
    json_decref(p);
}

/* ---- flagging --------------------------------------------------------------- */

typedef struct {
    const dup_pair_t *pairs;
    size_t n;
    const char *source;
    int64_t import_pk;
    long written;
} flag_job_t;

/* The order the pairs are written in: by the pair as stored (smaller
 * person first), then as given, so that of a pair given twice the first
 * is the one kept, as one by one. Consecutive pairs then share the pages
 * of duplicate_pairs' key: an import's flagging writes hundreds of
 * thousands. */
typedef struct {
    int64_t lo, hi;
    size_t i;
} pair_order_t;

static int by_pair(const void *a, const void *b)
{
    const pair_order_t *x = a, *y = b;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    if (x->hi != y->hi)
        return x->hi < y->hi ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static int flag_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    flag_job_t *j = ctx;
    r->code = APP_OK;
    pair_order_t *o = j->n > 1 ? malloc(j->n * sizeof *o) : NULL;
    for (size_t i = 0; o && i < j->n; i++) {
        int64_t a = j->pairs[i].a, b = j->pairs[i].b;
        o[i] = (pair_order_t){a < b ? a : b, a < b ? b : a, i};
    }
    if (o)
        qsort(o, j->n, sizeof *o, by_pair);
    for (size_t k = 0; k < j->n; k++) {
        size_t i = o ? o[k].i : k;
        int w = store_dup_pair_flag(c, j->pairs[i].a, j->pairs[i].b, j->pairs[i].score,
                                    j->pairs[i].expl, j->source, j->import_pk);
        if (w < 0) {
            free(o);
            return STORE_ERR;
        }
        j->written += w;
    }
    free(o);
    return STORE_OK;
}

long dup_pairs_write(app_t *app, const dup_pair_t *pairs, size_t n, const char *source,
                     int64_t import_pk)
{
    if (!n)
        return 0;
    flag_job_t j = {pairs, n, source, import_pk, 0};
    app_result_t r = {0};
    /* many pairs: a transaction of their own (store_write_solo) */
    if (n > 256)
        app_run_solo(app, flag_job, &j, &r);
    else
        app_run(app, flag_job, &j, &r);
    long out = r.code == APP_OK ? j.written : -1;
    app_result_free(&r);
    return out;
}

/* Person by person, on the database: for a few persons (a registration). */
static long flag_each(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                      int64_t import_pk)
{
    store_conn_t *c = store_reader(app->store);
    if (!c)
        return -1;
    size_t cap = 64, np = 0;
    dup_pair_t *pairs = malloc(cap * sizeof *pairs);
    long out = pairs ? 0 : -1;
    /* one snapshot for all of them: one lock, and a page cache that stays
     * valid from one person to the next */
    int in_txn = out == 0 && store_read_begin(c) == STORE_OK;
    for (size_t k = 0; k < n && out == 0; k++) {
        json_t *p = store_dup_person(c, person_pks[k]);
        if (!p)
            continue; /* gone, or never committed */
        hit_t hits[AWDA_DUP_SCORED_MAX];
        json_t *rows;
        int m = find(c, p, person_pks[k], hits, &rows);
        if (m < 0)
            out = -1;
        for (int i = 0; i < m && i < AWDA_DUP_FLAG_PER_PERSON && out == 0 &&
                        hits[i].score >= AWDA_DUPLICATE_FLAG_SCORE;
             i++) {
            if (np == cap) {
                dup_pair_t *more = realloc(pairs, 2 * cap * sizeof *pairs);
                if (!more) {
                    out = -1;
                    break;
                }
                pairs = more, cap *= 2;
            }
            int64_t other = (int64_t)json_integer_value(json_object_get(hits[i].cand, "pk"));
            pairs[np++] = (dup_pair_t){person_pks[k], other, hits[i].score,
                                       json_dumps(hits[i].expl, JSON_COMPACT), k};
        }
        hits_free(hits, m, rows);
        json_decref(p);
    }
    if (in_txn)
        store_read_end(c);
    if (out == 0 && np)
        out = dup_pairs_write(app, pairs, np, source, import_pk);
    for (size_t i = 0; i < np; i++)
        free(pairs[i].expl);
    free(pairs);
    if (out < 0)
        awda_log(LOG_ERROR, "duplicates_flag", "\"persons\":%zu", n);
    return out;
}

struct app_dup_flagging {
    app_t *app;
    dup_bulk_t *bulk; /* NULL: one by one at the finish */
    int64_t *pks;     /* a copy, for one by one */
    size_t n;
    const char *source;
    int64_t import_pk;
};

static app_dup_flagging_t *flag_start(app_t *app, const int64_t *person_pks, size_t n,
                                      const char *source, int64_t import_pk, int background)
{
    app_dup_flagging_t *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    *f = (app_dup_flagging_t){app, NULL,   malloc((n ? n : 1) * sizeof *person_pks),
                              n,   source, import_pk};
    if (!f->pks) {
        free(f);
        return NULL;
    }
    memcpy(f->pks, person_pks, n * sizeof *person_pks);
    /* many persons (an import): in memory, the data read once */
    if (n >= AWDA_DUP_BULK_MIN) /* borrows f's copy, freed after the finish */
        f->bulk = dup_bulk_start(app, f->pks, n, source, import_pk, background);
    return f;
}

app_dup_flagging_t *app_duplicates_flag_start(app_t *app, const int64_t *person_pks, size_t n,
                                              const char *source, int64_t import_pk)
{
    return flag_start(app, person_pks, n, source, import_pk, 1);
}

long app_duplicates_flag_finish(app_dup_flagging_t *f)
{
    if (!f)
        return -1;
    long out = f->bulk ? dup_bulk_finish(f->bulk) : DUP_BULK_CANNOT;
    if (out == DUP_BULK_CANNOT)
        out = flag_each(f->app, f->pks, f->n, f->source, f->import_pk);
    free(f->pks);
    free(f);
    return out;
}

long app_duplicates_flag(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                         int64_t import_pk)
{
    if (n < AWDA_DUP_BULK_MIN)
        return flag_each(app, person_pks, n, source, import_pk);
    return app_duplicates_flag_finish(flag_start(app, person_pks, n, source, import_pk, 0));
}

long app_duplicates_flag_ids(app_t *app, const char *const *person_ids, size_t n,
                             const char *source)
{
    int64_t *pks = n ? calloc(n, sizeof *pks) : NULL;
    store_conn_t *c = n ? store_reader(app_store(app)) : NULL;
    if (n && (!pks || !c)) {
        free(pks);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!(pks[i] = store_person_pk(c, person_ids[i]))) {
            free(pks);
            return -1;
        }
    long out = app_duplicates_flag(app, pks, n, source, 0);
    free(pks);
    return out;
}

/* ---- reindex ---------------------------------------------------------------- */

typedef struct {
    int64_t from, next;
    int limit;
    long done;
    int backfill; /* record the progress in person_dup_backfill */
} reindex_job_t;

static int reindex_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    reindex_job_t *j = ctx;
    r->code = APP_OK;
    j->done = store_dup_reindex_batch(c, j->from, j->limit, &j->next);
    if (j->done < 0)
        return STORE_ERR;
    return j->backfill ? store_dup_backfill_set(c, j->next) : STORE_OK;
}

/* The keys of rows[i] for i = t, t + T, ... (one thread of the reindex;
 * ICU's transliterator is per thread). */
typedef struct {
    const dup_row_t *rows;
    long n;
    int t, T;
    int64_t *keys; /* AWDA_DUP_KEYS_MAX per row */
    int *nkeys;
} keys_work_t;

static void *keys_thread(void *p)
{
    keys_work_t *w = p;
    for (long i = w->t; i < w->n; i += w->T) {
        dup_names_t nm = {w->rows[i].name, w->rows[i].name_latin, w->rows[i].date_of_birth};
        int k = dup_keys_make(&nm, w->keys + i * AWDA_DUP_KEYS_MAX, AWDA_DUP_KEYS_MAX);
        w->nkeys[i] = k < 0 ? 0 : k;
    }
    awda_norm_thread_done();
    return NULL;
}

typedef struct {
    int what; /* 0 begin, 1 insert, 2 finish */
    dup_keyrow_t *rows;
    size_t n;
} whole_job_t;

static int whole_job(store_conn_t *c, void *ctx, app_result_t *r)
{
    whole_job_t *j = ctx;
    r->code = APP_OK;
    return j->what == 0   ? store_dup_reindex_begin(c)
           : j->what == 1 ? store_dup_keys_insert(c, j->rows, j->n)
                          : store_dup_reindex_finish(c);
}

static int run_whole(app_t *app, whole_job_t *j)
{
    app_result_t r = {0};
    app_run(app, whole_job, j, &r);
    int ok = r.code == APP_OK;
    app_result_free(&r);
    return ok ? 0 : -1;
}

long app_duplicates_reindex_all(app_t *app, void (*progress)(void *arg, long done), void *arg)
{
    store_conn_t *c = store_reader(app->store);
    const long B = AWDA_DUP_REINDEX_BATCH;
    dup_row_t *rows = calloc((size_t)B, sizeof *rows);
    int64_t *keys = malloc((size_t)B * AWDA_DUP_KEYS_MAX * sizeof *keys);
    int *nkeys = calloc((size_t)B, sizeof *nkeys);
    dup_keyrow_t *flat = malloc((size_t)B * AWDA_DUP_KEYS_MAX * sizeof *flat);
    long total = 0;
    if (!c || !rows || !keys || !nkeys || !flat || run_whole(app, &(whole_job_t){0, NULL, 0}))
        total = -1;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int T = ncpu < 1 ? 1 : ncpu > AWDA_DUP_REINDEX_THREADS ? AWDA_DUP_REINDEX_THREADS : (int)ncpu;
    int64_t from = 1, next = 1;
    while (total >= 0) {
        long n = store_dup_rows_read(c, from, (int)B, rows, &next);
        if (n <= 0) {
            total = n < 0 ? -1 : total;
            break;
        }
        keys_work_t w[AWDA_DUP_REINDEX_THREADS];
        pthread_t th[AWDA_DUP_REINDEX_THREADS];
        int started = 0;
        for (int t = 0; t < T; t++) {
            w[t] = (keys_work_t){rows, n, t, T, keys, nkeys};
            if (t > 0 && pthread_create(&th[t], NULL, keys_thread, &w[t]) == 0)
                started |= 1 << t;
        }
        keys_thread(&w[0]);
        for (int t = 1; t < T; t++) {
            if (started & (1 << t))
                pthread_join(th[t], NULL);
            else
                keys_thread(&w[t]); /* no thread: on this one */
        }
        size_t m = 0;
        for (long i = 0; i < n; i++)
            for (int k = 0; k < nkeys[i]; k++)
                flat[m++] = (dup_keyrow_t){keys[i * AWDA_DUP_KEYS_MAX + k], rows[i].pk};
        dup_rows_free(rows, n);
        if (run_whole(app, &(whole_job_t){1, flat, m}) != 0) {
            total = -1;
            break;
        }
        total += n;
        from = next;
        if (progress)
            progress(arg, total);
    }
    if (total >= 0 && run_whole(app, &(whole_job_t){2, NULL, 0}) != 0)
        total = -1;
    free(rows);
    free(keys);
    free(nkeys);
    free(flat);
    return total;
}

int app_duplicates_key_counts(app_t *app, long long *keys, long long *persons)
{
    store_conn_t *c = store_reader(app->store);
    return c && store_dup_key_counts(c, keys, persons) == STORE_OK ? 0 : -1;
}

/* One step of the backfill of the keys of persons written before them:
 * 1 when a batch was done, 0 when nothing is left, -1 on failure. */
static int backfill_step(app_t *app)
{
    store_conn_t *c = store_reader(app->store);
    int64_t next, upto;
    if (!c || !store_dup_backfill_state(c, &next, &upto))
        return 0;
    reindex_job_t j = {next, next, AWDA_DUP_BACKFILL_BATCH, 0, 1};
    app_result_t r = {0};
    app_run(app, reindex_job, &j, &r);
    int ok = r.code == APP_OK;
    app_result_free(&r);
    if (ok && j.done == 0) { /* past the last person: done */
        app_run(app, reindex_job, &(reindex_job_t){upto + 1, upto + 1, 0, 0, 1}, &r);
        app_result_free(&r);
        return 0;
    }
    return ok ? 1 : -1;
}

/* ---- the flagging thread ------------------------------------------------------- */

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    app_t *app;
    pthread_t thread;
    int running, stop;
    char ids[AWDA_DUP_FLAG_QUEUE][40];
    int n;
    unsigned long long dropped;
} F = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

void app_duplicates_registered(const app_result_t *r)
{
    if (!r || r->code != APP_CREATED || !r->body)
        return;
    pthread_mutex_lock(&F.mu);
    if (F.running) {
        size_t i;
        json_t *m;
        json_array_foreach(json_object_get(r->body, "members"), i, m)
        {
            const char *id = json_string_value(json_object_get(m, "person_id"));
            if (!id)
                id = json_string_value(json_object_get(json_object_get(m, "person"), "id"));
            if (!id)
                continue;
            if (F.n < AWDA_DUP_FLAG_QUEUE)
                snprintf(F.ids[F.n++], sizeof F.ids[0], "%s", id);
            else
                F.dropped++;
        }
        pthread_cond_signal(&F.cv);
    }
    pthread_mutex_unlock(&F.mu);
}

static void *flag_thread(void *arg)
{
    app_t *app = arg;
    pthread_setname_np(pthread_self(), "awda-flagging");
    int backfill = 1;
    static char ids[AWDA_DUP_FLAG_QUEUE][40];
    static int64_t pks[AWDA_DUP_FLAG_QUEUE];
    for (;;) {
        pthread_mutex_lock(&F.mu);
        while (!F.stop && F.n == 0 && !backfill)
            pthread_cond_wait(&F.cv, &F.mu);
        if (F.stop) {
            unsigned long long dropped = F.dropped;
            int waiting = F.n;
            pthread_mutex_unlock(&F.mu);
            /* registered persons not flagged: the full queue did not take
             * them, or they still waited at the stop (the queue is in
             * memory); their pairs are still found by GET
             * .../duplicates, they are not in the review queue */
            if (dropped || waiting)
                awda_log(LOG_WARN, "duplicates_not_flagged",
                         "\"dropped\":%llu,\"waiting_at_stop\":%d", dropped, waiting);
            break;
        }
        int n = F.n;
        memcpy(ids, F.ids, (size_t)n * sizeof ids[0]);
        F.n = 0;
        pthread_mutex_unlock(&F.mu);
        if (n) {
            store_conn_t *c = store_reader(app->store);
            int m = 0;
            for (int i = 0; c && i < n; i++)
                if ((pks[m] = store_person_pk(c, ids[i])) > 0)
                    m++;
            /* person by person, a few in each read transaction: never the
             * whole register in memory (app_duplicates_flag would read it
             * for a thousand waiting, as for an import), and never a
             * snapshot held long enough to keep the log from its checkpoint */
            long flagged = 0;
            for (int k = 0; k < m && flagged >= 0; k += AWDA_DUP_FLAG_CHUNK) {
                int chunk = m - k < AWDA_DUP_FLAG_CHUNK ? m - k : AWDA_DUP_FLAG_CHUNK;
                long f = flag_each(app, pks + k, (size_t)chunk, "registration", 0);
                flagged = f < 0 ? f : flagged + f;
            }
            if (flagged > 0)
                awda_log(LOG_INFO, "duplicates_flagged", "\"persons\":%d,\"pairs\":%ld", m,
                         flagged);
        }
        if (backfill) {
            int s = backfill_step(app);
            if (s <= 0) {
                backfill = 0;
                if (s < 0)
                    awda_log(LOG_ERROR, "duplicates_backfill", "\"failed\":true");
            }
        }
    }
    return NULL;
}

int app_duplicates_start(app_t *app)
{
    pthread_mutex_lock(&F.mu);
    int rc = 0;
    if (!F.running) {
        F.app = app;
        F.stop = 0;
        F.n = 0;
        rc = pthread_create(&F.thread, NULL, flag_thread, app) == 0 ? 0 : -1;
        F.running = rc == 0;
    }
    pthread_mutex_unlock(&F.mu);
    return rc;
}

void app_duplicates_stop(app_t *app)
{
    pthread_mutex_lock(&F.mu);
    int running = F.running && F.app == app;
    if (running) {
        F.stop = 1;
        pthread_cond_signal(&F.cv);
    }
    pthread_mutex_unlock(&F.mu);
    if (running) {
        pthread_join(F.thread, NULL);
        pthread_mutex_lock(&F.mu);
        F.running = 0;
        F.app = NULL;
        pthread_mutex_unlock(&F.mu);
    }
}
