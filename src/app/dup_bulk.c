/*
 * dup_bulk.c — flagging the possible duplicates of many persons at once
 * (an import of thousands of rows), in memory (dup_int.h).
 *
 * A query on the database costs a few milliseconds a person: each probe
 * key is a lookup, each candidate's date of birth and row another. For
 * thousands of persons the same data is read many times over, so here it
 * is read once, in one read transaction (store/dup_snapshot.c): every
 * blocking key in key order, the compared fields of every person, and the
 * pairs decided not_same. An open-addressing table over the distinct keys
 * points at each key's run of persons (its postings).
 *
 * Then each person is looked for exactly as app/duplicates.c looks for
 * one, so both flag the same pairs: the probes of dup_probes_make; the
 * support of each candidate (store/dup_support.h), a key of more than
 * AWDA_DUP_POSTINGS_MAX persons skipped; the AWDA_DUP_PRESCORED_MAX best
 * weighed by their dates of birth (dup_preselect); of the
 * AWDA_DUP_SCORED_MAX best, those decided not_same or anonymised left out;
 * each scored (dup_score_words), and the pairs at AWDA_DUPLICATE_FLAG_SCORE
 * or above kept with their explanation. A person's names are cut into
 * the compared words once (dup_words_prepare) and kept in its thread's
 * bounded cache (words_cache_t, util/limits.h: AWDA_DUP_WORDS_CACHE_*),
 * as a query and as the candidate of many; the persons are looked at in
 * the order of their names, so namesakes, each other's candidates, find
 * each other's words still there. The persons are shared among up to
 * AWDA_DUP_BULK_THREADS threads (one per core, or one core fewer when the
 * work runs in the background of an import's writes: dup_bulk_start
 * returns at once, a thread of its own reading the data, starting the
 * threads that look and writing the pairs, so that the import's thread
 * goes on preparing the writer's next batch; dup_bulk_finish waits for
 * it); the data is read-only while they run. The pairs are written in one
 * writer job.
 */
#include "dup_int.h"
#include "dup_score.h"
#include "../store/dup_support.h"
#include "../store/duplicates.h"
#include "../text/norm.h"
#include "../util/log.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    dup_keyset_t ks;
    dup_personset_t ps;
    int64_t *not_same; /* sorted pairs (a < b) */
    size_t nnot_same;
    uint32_t *slot; /* index + 1 of the first row of a key's run; 0: empty */
    size_t mask;
} snap_t;

static size_t slot_of(int64_t key, size_t mask)
{
    return (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull >> 20) & mask;
}

/* The table over the distinct keys. 0, or -1 when out of memory. */
static int index_keys(snap_t *s)
{
    size_t groups = 0;
    for (size_t i = 0; i < s->ks.n; i++)
        groups += i == 0 || s->ks.key[i] != s->ks.key[i - 1];
    size_t size = 1024;
    while (size < groups * 2)
        size *= 2;
    s->slot = calloc(size, sizeof *s->slot);
    if (!s->slot)
        return -1;
    s->mask = size - 1;
    for (size_t i = 0; i < s->ks.n; i++) {
        if (i && s->ks.key[i] == s->ks.key[i - 1])
            continue;
        size_t h = slot_of(s->ks.key[i], s->mask);
        while (s->slot[h])
            h = (h + 1) & s->mask;
        s->slot[h] = (uint32_t)(i + 1);
    }
    return 0;
}

/* The postings of key: its first row, and how many (0 when none). */
static size_t postings(const snap_t *s, int64_t key, size_t *first)
{
    size_t h = slot_of(key, s->mask);
    while (s->slot[h]) {
        size_t i = s->slot[h] - 1;
        if (s->ks.key[i] == key) {
            size_t j = i;
            while (j < s->ks.n && s->ks.key[j] == key)
                j++;
            *first = i;
            return j - i;
        }
        h = (h + 1) & s->mask;
    }
    return 0;
}

static int not_same(const snap_t *s, int64_t a, int64_t b)
{
    int64_t x = a < b ? a : b, y = a < b ? b : a;
    size_t lo = 0, hi = s->nnot_same;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int64_t ma = s->not_same[2 * mid], mb = s->not_same[2 * mid + 1];
        if (ma < x || (ma == x && mb < y))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->nnot_same && s->not_same[2 * lo] == x && s->not_same[2 * lo + 1] == y;
}

/* The document numbers of a person ("a\x1Fb") as the array dup_score
 * compares, NULL when none (dup_score reads it as empty). Caller owns. */
static json_t *documents(const char *joined)
{
    if (!*joined)
        return NULL;
    json_t *a = json_array();
    while (*joined) {
        const char *e = strchr(joined, '\x1F');
        size_t n = e ? (size_t)(e - joined) : strlen(joined);
        json_array_append_new(a, json_stringn(joined, n));
        joined += n + (e ? 1 : 0);
    }
    return a;
}

/* The fields of a person as dup_score reads them ("" is absent). */
static void person_of(const char *f[DUP_FIELDS], const json_t *docs, dup_person_t *p)
{
    p->name = *f[0] ? f[0] : NULL;
    p->name_latin = *f[1] ? f[1] : NULL;
    p->sex = *f[2] ? f[2] : NULL;
    p->date_of_birth = *f[3] ? f[3] : NULL;
    p->dob_precision = *f[4] ? f[4] : NULL;
    p->nationality = *f[5] ? f[5] : NULL;
    p->documents = docs;
}

/* A thread's compared words of the persons it met (dup_words_t), by pk:
 * AWDA_DUP_WORDS_CACHE_SLOTS slots (a person takes the slot of another)
 * over an arena of AWDA_DUP_WORDS_CACHE_BYTES. The arena is emptied only
 * between two persons looked for, when less than the words of a person
 * and all its candidates is left, so the words a person's scoring holds
 * stay put. */
typedef struct {
    uint32_t *pk;  /* the person in a slot; 0: none */
    uint32_t *off; /* where its words are in the arena */
    unsigned char *arena;
    size_t used, bytes, slots;
    int shift; /* 64 - log2(slots): a pk's slot is the top bits of its hash */
} words_cache_t;

_Static_assert((AWDA_DUP_WORDS_CACHE_SLOTS & (AWDA_DUP_WORDS_CACHE_SLOTS - 1)) == 0,
               "AWDA_DUP_WORDS_CACHE_SLOTS is a power of 2");
_Static_assert(AWDA_DUP_WORDS_CACHE_BYTES >= 4 * (AWDA_DUP_SCORED_MAX + 1) * DUP_WORDS_MAX,
               "the words cache holds a person and its candidates several times over");
_Static_assert(AWDA_DUP_WORDS_CACHE_BYTES <= UINT32_MAX, "offsets in the arena are 32-bit");

/* The size of the next flaggings' caches (dup_bulk_words_cache). */
static size_t cache_bytes = AWDA_DUP_WORDS_CACHE_BYTES, cache_slots = AWDA_DUP_WORDS_CACHE_SLOTS;

#define ROOM ((AWDA_DUP_SCORED_MAX + 1) * (size_t)DUP_WORDS_MAX)

void dup_bulk_words_cache(size_t bytes, size_t slots)
{
    int ok = bytes >= ROOM && bytes <= UINT32_MAX && slots && (slots & (slots - 1)) == 0;
    cache_bytes = ok ? bytes : AWDA_DUP_WORDS_CACHE_BYTES;
    cache_slots = ok ? slots : AWDA_DUP_WORDS_CACHE_SLOTS;
}

static int words_cache_init(words_cache_t *wc, size_t bytes, size_t slots)
{
    wc->pk = calloc(slots, sizeof *wc->pk);
    wc->off = malloc(slots * sizeof *wc->off);
    wc->arena = malloc(bytes);
    wc->used = 0;
    wc->bytes = bytes;
    wc->slots = slots;
    wc->shift = 64;
    for (size_t n = slots; n > 1; n /= 2)
        wc->shift--;
    return wc->pk && wc->off && wc->arena ? 0 : -1;
}

static void words_cache_free(words_cache_t *wc)
{
    free(wc->pk);
    free(wc->off);
    free(wc->arena);
}

/* Before a person looked for: room for its words and its candidates'. */
static void words_cache_room(words_cache_t *wc)
{
    if (wc->bytes - wc->used < ROOM) {
        memset(wc->pk, 0, wc->slots * sizeof *wc->pk);
        wc->used = 0;
    }
}

/* The words of person pk (its fields f), cut once; they stay until the
 * next words_cache_room. */
static const dup_words_t *words_of(words_cache_t *wc, int64_t pk, const char *f[DUP_FIELDS])
{
    /* Fibonacci hashing: pks close together spread over the slots */
    size_t h = wc->shift < 64 ? (size_t)((uint64_t)pk * 0x9E3779B97F4A7C15ull >> wc->shift) : 0;
    if (wc->pk[h] == (uint32_t)pk)
        return (const dup_words_t *)(wc->arena + wc->off[h]);
    dup_words_t *w = (dup_words_t *)(wc->arena + wc->used);
    /* never 0: words_cache_room left DUP_WORDS_MAX for each */
    size_t n = dup_words_prepare(*f[0] ? f[0] : NULL, *f[1] ? f[1] : NULL, w, wc->bytes - wc->used);
    wc->pk[h] = (uint32_t)pk;
    wc->off[h] = (uint32_t)wc->used;
    wc->used += (n + 7) & ~(size_t)7;
    return w;
}

typedef struct {
    const snap_t *s;
    const int64_t *pks;
    size_t n, from, step;
    dup_pair_t *pairs;
    size_t npairs, cap;
    int failed;
    size_t cache_bytes, cache_slots;
    words_cache_t words;
    const size_t *order; /* the persons' places in the order looked at; NULL: as given */
} work_t;

static int keep(work_t *w, size_t seq, int64_t a, int64_t b, int score, json_t *expl)
{
    if (w->npairs == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 256;
        dup_pair_t *m = realloc(w->pairs, cap * sizeof *m);
        if (!m)
            return -1;
        w->pairs = m, w->cap = cap;
    }
    char *text = json_dumps(expl, JSON_COMPACT);
    if (!text)
        return -1;
    w->pairs[w->npairs++] = (dup_pair_t){a, b, score, text, seq};
    return 0;
}

typedef struct {
    int score;
    int64_t pk;
    const dup_words_t *words;
    const char *f[DUP_FIELDS];
} flag_hit_t;

/* Where pk is in cand (n), looked for from from on; -1 when absent. */
static int index_of(const int64_t *cand, int n, int64_t pk, int from)
{
    for (int k = 0; k < n; k++) {
        int j = (from + k) % n;
        if (cand[j] == pk)
            return j;
    }
    return -1;
}

/* Looks for the duplicates of person pk; -1 when out of memory. */
static int one(work_t *w, dup_support_t *acc, size_t seq)
{
    int64_t pk = w->pks[seq];
    const snap_t *s = w->s;
    const char *qf[DUP_FIELDS];
    if (!dup_personset_get(&s->ps, pk, qf))
        return 0; /* gone, or never committed */
    dup_names_t names = {*qf[0] ? qf[0] : NULL, *qf[1] ? qf[1] : NULL, *qf[3] ? qf[3] : NULL};
    dup_probe_t probes[AWDA_DUP_PROBES_MAX];
    int np = dup_probes_make(&names, probes, AWDA_DUP_PROBES_MAX);
    if (np <= 0)
        return 0;
    dup_support_reset(acc);
    int64_t post[AWDA_DUP_POSTINGS_MAX];
    for (int i = 0; i < np; i++) {
        size_t first = 0, count = postings(s, probes[i].key, &first);
        if (!count || count > AWDA_DUP_POSTINGS_MAX)
            continue; /* too common to tell anyone apart */
        for (size_t k = 0; k < count; k++)
            post[k] = s->ks.pk[first + k];
        dup_support_add(acc, post, (int)count, probes[i].weight, pk);
    }
    int64_t cand[AWDA_DUP_PRESCORED_MAX], best[AWDA_DUP_SCORED_MAX];
    double sup[AWDA_DUP_PRESCORED_MAX];
    int nc = dup_support_top(acc, cand, sup, AWDA_DUP_PRESCORED_MAX), nb;
    /* the candidates' fields, found once (dup_personset_get walks them) */
    const char *cfs[AWDA_DUP_PRESCORED_MAX][DUP_FIELDS];
    unsigned char found[AWDA_DUP_PRESCORED_MAX];
    for (int i = 0; i < nc; i++)
        found[i] = (unsigned char)dup_personset_get(&s->ps, cand[i], cfs[i]);
    if (nc <= AWDA_DUP_SCORED_MAX) {
        memcpy(best, cand, (size_t)nc * sizeof *best);
        nb = nc;
    } else {
        dup_prescore_t rows[AWDA_DUP_PRESCORED_MAX], qr;
        for (int i = 0; i < nc; i++) {
            if (found[i])
                dup_prescore_of(cfs[i][3], cfs[i][4], cfs[i][2], cfs[i][5], &rows[i]);
            else
                memset(&rows[i], 0, sizeof rows[i]);
        }
        dup_prescore_of(qf[3], qf[4], qf[2], qf[5], &qr);
        nb = dup_preselect(&qr, cand, sup, nc, rows, best, AWDA_DUP_SCORED_MAX);
    }
    words_cache_room(&w->words);
    const dup_words_t *qw = words_of(&w->words, pk, qf);
    json_t *qdocs = documents(qf[6]);
    dup_person_t q;
    person_of(qf, qdocs, &q);
    /* the scores of those at or above the flag score, then the best
     * AWDA_DUP_FLAG_PER_PERSON kept (ties: the older pk), as one by one */
    flag_hit_t hit[AWDA_DUP_SCORED_MAX];
    int nh = 0, rc = 0;
    for (int i = 0; i < nb; i++) {
        int j = index_of(cand, nc, best[i], i);
        if (j < 0 || !found[j] || not_same(s, pk, best[i]))
            continue;
        const char **cf = cfs[j];
        const dup_words_t *cw = words_of(&w->words, best[i], cf);
        json_t *cdocs = documents(cf[6]);
        dup_person_t c;
        person_of(cf, cdocs, &c);
        int score = dup_score_words(&q, qw, &c, cw, NULL);
        if (score >= AWDA_DUPLICATE_FLAG_SCORE) {
            hit[nh] = (flag_hit_t){score, best[i], cw, {0}};
            memcpy(hit[nh++].f, cf, sizeof hit[0].f);
        }
        json_decref(cdocs);
    }
    for (int k = 0; k < nh && k < AWDA_DUP_FLAG_PER_PERSON && rc == 0; k++) {
        int b = k; /* the best of those left */
        for (int j = k + 1; j < nh; j++)
            if (hit[j].score > hit[b].score ||
                (hit[j].score == hit[b].score && hit[j].pk < hit[b].pk))
                b = j;
        flag_hit_t t = hit[k];
        hit[k] = hit[b];
        hit[b] = t;
        json_t *cdocs = documents(hit[k].f[6]);
        dup_person_t c;
        person_of(hit[k].f, cdocs, &c);
        json_t *expl = NULL;
        int score = dup_score_words(&q, qw, &c, hit[k].words, &expl);
        rc = expl ? keep(w, seq, pk, hit[k].pk, score, expl) : -1;
        json_decref(expl);
        json_decref(cdocs);
    }
    json_decref(qdocs);
    return rc;
}

static void *work_main(void *arg)
{
    work_t *w = arg;
    pthread_setname_np(pthread_self(), "awda-dup-bulk");
    dup_support_t *acc = dup_support_new();
    if (!acc || words_cache_init(&w->words, w->cache_bytes, w->cache_slots) != 0)
        w->failed = 1;
    for (size_t i = w->from; i < w->n && !w->failed; i += w->step)
        if (one(w, acc, w->order ? w->order[i] : i) != 0)
            w->failed = 1;
    free(acc);
    words_cache_free(&w->words);
    awda_norm_thread_done();
    return NULL;
}

static int by_seq(const void *a, const void *b)
{
    const dup_pair_t *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static int read_all(app_t *app, snap_t *s)
{
    store_conn_t *c = store_reader(app_store(app));
    if (!c || store_read_begin(c) != STORE_OK)
        return STORE_ERR;
    int rc = store_dup_keyset_read(c, &s->ks);
    if (rc == STORE_OK)
        rc = store_dup_personset_read(c, &s->ps);
    if (rc == STORE_OK)
        rc = store_dup_not_same_read(c, &s->not_same, &s->nnot_same);
    store_read_end(c);
    return rc;
}

static void snap_free(snap_t *s)
{
    dup_keyset_free(&s->ks);
    dup_personset_free(&s->ps);
    free(s->not_same);
    free(s->slot);
}

struct dup_bulk {
    app_t *app;
    snap_t s;
    const int64_t *pks; /* borrowed: the caller keeps them until finish */
    size_t n;
    const char *source; /* static */
    int64_t import_pk;
    size_t nt;
    work_t w[AWDA_DUP_BULK_THREADS];
    pthread_t th[AWDA_DUP_BULK_THREADS];
    int started[AWDA_DUP_BULK_THREADS];
    int cannot; /* the data could not be read or held */
    size_t *order;
    pthread_t bg; /* in the background: the thread that does it all */
    int bg_started;
    long result; /* what the background thread found */
};

typedef struct {
    const char *name;
    size_t seq;
} by_name_t;

static int by_name(const void *a, const void *b)
{
    const by_name_t *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The persons in the order of their names: namesakes, who are each
 * other's candidates, come one after the other, so their words are still
 * in the cache (of 100,000 persons flagged with a cache a tenth of their
 * words, 69% of the words found in it instead of 6%). NULL when out of
 * memory (then as given). The pairs are written in the persons' order
 * whatever the order they are looked at. */
static size_t *order_by_name(const dup_personset_t *ps, const int64_t *pks, size_t n)
{
    by_name_t *k = malloc((n ? n : 1) * sizeof *k);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!k || !order) {
        free(k);
        free(order);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const char *f[DUP_FIELDS];
        k[i].seq = i;
        k[i].name = dup_personset_get(ps, pks[i], f) ? (*f[0] ? f[0] : f[1]) : "";
    }
    qsort(k, n, sizeof *k, by_name);
    for (size_t i = 0; i < n; i++)
        order[i] = k[i].seq;
    free(k);
    return order;
}

/* Reads the data and starts the threads that look: one a core, or one
 * core fewer in the background (the writes going on meanwhile keep one). */
static void bulk_begin(dup_bulk_t *b, int background)
{
    if (read_all(b->app, &b->s) != STORE_OK || index_keys(&b->s) != 0) {
        b->cannot = 1;
        return;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    long nt = (cores < 1 ? 1 : cores) - (background && cores > 1 ? 1 : 0);
    b->nt = (size_t)nt > AWDA_DUP_BULK_THREADS ? AWDA_DUP_BULK_THREADS : (size_t)nt;
    if (b->nt > b->n)
        b->nt = b->n ? b->n : 1;
    b->order = order_by_name(&b->s.ps, b->pks, b->n);
    for (size_t t = 0; t < b->nt; t++) {
        b->w[t] = (work_t){.order = b->order,
                           .s = &b->s,
                           .pks = b->pks,
                           .n = b->n,
                           .from = t,
                           .step = b->nt,
                           .cache_bytes = cache_bytes,
                           .cache_slots = cache_slots};
        b->started[t] = pthread_create(&b->th[t], NULL, work_main, &b->w[t]) == 0;
    }
}

/* Waits for the threads, writes the pairs, frees the data (not b). */
static long bulk_end(dup_bulk_t *b)
{
    long out = b->cannot ? DUP_BULK_CANNOT : 0;
    for (size_t t = 0; t < b->nt; t++) {
        if (b->started[t])
            pthread_join(b->th[t], NULL);
        else
            work_main(&b->w[t]); /* no thread: this one does that share */
    }
    size_t total = 0;
    for (size_t t = 0; t < b->nt; t++) {
        if (b->w[t].failed)
            out = DUP_BULK_CANNOT;
        total += b->w[t].npairs;
    }
    dup_pair_t *all = out == 0 && total ? malloc(total * sizeof *all) : NULL;
    if (total && !all)
        out = DUP_BULK_CANNOT;
    size_t k = 0;
    for (size_t t = 0; t < b->nt; t++) {
        for (size_t i = 0; all && i < b->w[t].npairs; i++)
            all[k++] = b->w[t].pairs[i];
        if (!all)
            for (size_t i = 0; i < b->w[t].npairs; i++)
                free(b->w[t].pairs[i].expl);
        free(b->w[t].pairs);
    }
    snap_free(&b->s);
    free(b->order);
    /* in the order of the persons, as one by one (dup_int.h) */
    if (k)
        qsort(all, k, sizeof *all, by_seq);
    if (out == 0 && k)
        out = dup_pairs_write(b->app, all, k, b->source, b->import_pk);
    for (size_t i = 0; i < k; i++)
        free(all[i].expl);
    free(all);
    if (out < 0 && out != DUP_BULK_CANNOT)
        awda_log(LOG_ERROR, "duplicates_flag", "\"persons\":%zu,\"bulk\":true", b->n);
    return out;
}

/* The background flagging, whole on a thread of its own: the caller (an
 * import's thread, which prepares the next batch of the writer) neither
 * reads the data nor waits for the pairs to be written. */
static void *bg_main(void *p)
{
    dup_bulk_t *b = p;
    pthread_setname_np(pthread_self(), "awda-dup-bulk");
    bulk_begin(b, 1);
    b->result = bulk_end(b);
    return NULL;
}

dup_bulk_t *dup_bulk_start(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                           int64_t import_pk, int background)
{
    dup_bulk_t *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->app = app;
    b->source = source;
    b->import_pk = import_pk;
    b->pks = person_pks;
    b->n = n;
    if (background)
        b->bg_started = pthread_create(&b->bg, NULL, bg_main, b) == 0;
    if (!b->bg_started)
        bulk_begin(b, background);
    return b;
}

long dup_bulk_finish(dup_bulk_t *b)
{
    long out;
    if (b->bg_started) {
        pthread_join(b->bg, NULL);
        out = b->result;
    } else {
        out = bulk_end(b);
    }
    free(b);
    return out;
}

long dup_bulk_flag(app_t *app, const int64_t *person_pks, size_t n, const char *source,
                   int64_t import_pk)
{
    dup_bulk_t *b = dup_bulk_start(app, person_pks, n, source, import_pk, 0);
    return b ? dup_bulk_finish(b) : DUP_BULK_CANNOT;
}
