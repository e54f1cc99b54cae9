/*
 * person_search.c — the search that finds people (issue 13): a person
 * from any way their name is written, from a tail of a case number's
 * digits, or from their phone number in any common format.
 *
 * The keys (person_search_keys.c, migration_020.sql person_search_keys):
 * for every word of a person's name and Latin name, the hashes of 'L' its
 * lower-case Latin form, 'S' its consonant skeleton across scripts, 'D'
 * each skeleton one letter shorter, and 'P' the last AWDA_PHONE_TAIL_MIN
 * digits of the contact phone.
 *
 * A name query is cut into words the same way. Each query word looks up
 * L (tier 0: the same word), S (tier 1: the same skeleton), and for one
 * typo (tier 3) D of its skeleton, S and D of each of its deletes: two
 * skeletons are at most one edit apart exactly when one of these meets.
 * The name-prefix search of prefix_search.c (norm.c keys) adds tier 2 (a word
 * begun: "hab" finds "Habtom"). Every query word must match, in any order.
 *   1. The rarest query word (its L and S rows counted, up to a probe)
 *      drives: its lookups, best tier first, give the candidates (at most
 *      AWDA_SEARCH_CANDIDATES_MAX persons, AWDA_SEARCH_SCAN_MAX rows).
 *   2. Each candidate's own keys (one index range, ~20 rows) give the
 *      best tier of every query word. Where only an exact or a skeleton
 *      match can matter, one index entry per such key of the query tells
 *      instead: for the persons of the prefix search, whose every word is
 *      begun already (score_begun), and, once a page is full, for a
 *      candidate that could only rank before its last member so
 *      (score_near). The entries of one key lie together and stay in the
 *      page cache, where each candidate's own keys are a page of their own.
 *   3. Best first: the sum of the words' tiers (exact words before
 *      skeletons before prefixes before typos), then the earlier
 *      registered; the office scope is checked in that order until the
 *      page is full.
 *
 * A query of digits only (spaces, +, -, dots, brackets allowed) is a
 * number: the persons of the case whose number ends with those digits
 * read as its sequence number, and the years before it ("71", "000071",
 * "2026000071" → EG-CAI-2026-000071: one index lookup per office and
 * year), then, from 7 digits, the persons whose phone number ends with
 * the same digits (+20 100 123 4567 = 00201001234567 = 01001234567: the
 * last AWDA_PHONE_TAIL_MAX digits at most are compared).
 */
#include "internal.h"
#include "../text/namekey.h"
#include "../text/norm.h"
#include "../util/topk.h"
#include <stdlib.h>
#include <string.h>

enum { TIER_EXACT = 0, TIER_SKEL = 1, TIER_PREFIX = 2, TIER_TYPO = 3, TIER_NONE = 9 };

#define KEY_PROBE 5000 /* rows counted to tell which query word is rarest */

/* ---- scope ---- */

static store_stmt_t Q_PERSON_IN_SCOPE = {
    .sql = "SELECT 1 WHERE ?2 IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
           "c.pk=cm.case_pk WHERE cm.person_pk=?1 AND (c.office_pk IN (SELECT value FROM "
           "json_each(?2)) OR c.receiving_office_pk IN (SELECT value FROM json_each(?2)) OR "
           "c.project IN (SELECT value FROM json_each(?3))))"};

/* 1 when person pk is in the scope, 0 when not, -1 on error. */
static int in_scope(store_conn_t *c, int64_t pk, const char *scope, const char *proj)
{
    if (!scope)
        return 1;
    sqlite3_stmt *st = stmt(c, &Q_PERSON_IN_SCOPE);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, pk);
    sqlite3_bind_text(st, 2, scope, -1, SQLITE_STATIC);
    bind_text_or_null(st, 3, proj);
    int rc = sqlite3_step(st);
    done(st, 0);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- names ---- */

typedef struct {
    int64_t key;
    unsigned char word, tier;
    unsigned char drive; /* may gather candidates (a one-letter skeleton may not) */
} look_t;

typedef struct {
    int64_t pk;
    int score;
    signed char in_scope;  /* -1: not checked yet */
    signed char via;       /* the tier its driving word was gathered at; -1: a prefix match */
    unsigned char counted; /* offered to finder_t.page */
    unsigned char tier[AWDA_SEARCH_MAX_TERMS];
} cand_t;

#define NEAR_MAX (2 * AWDA_NAMEKEY_MAX_WORDS) /* a word's exact and skeleton keys */

typedef struct {
    look_t look[AWDA_SEARCH_MAX_TERMS * AWDA_NAMEKEY_MAX_WORDS * (2 * AWDA_NAMEKEY_SKEL_MAX + 3)];
    int nlook;
    int nwords;
    cand_t *cand;
    int ncand;
    int scored; /* candidates [0, scored) have their score */
    int limit;
    const char *scope, *proj;
    int rarest; /* the word that drives */
    /* The best limit matches known to be in the scope so far, by score
     * then person (util/topk.h): a candidate enters the final page only if
     * it ranks before the last of them, which only moves up as candidates
     * come. */
    topk_t page;
    topk_pair_t members[AWDA_LIST_MAX];
    /* each word's exact and skeleton keys (tiers 0 and 1), exact first */
    look_t near[AWDA_SEARCH_MAX_TERMS][NEAR_MAX];
    int nnear[AWDA_SEARCH_MAX_TERMS];
    int slot[4096]; /* open addressing: index + 1 into cand, 0 empty */
} finder_t;

static int cmp_look(const void *a, const void *b)
{
    const look_t *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (int)x->tier - (int)y->tier;
}

static void look_add(finder_t *f, char kind, const char *s, int word, int tier)
{
    int max = (int)(sizeof f->look / sizeof f->look[0]);
    /* "moh" is "m": every name of one consonant would come before the
     * names "moh" begins; such a skeleton only scores a person found
     * otherwise */
    int drive = kind != 'S' || strlen(s) >= 2;
    if (f->nlook < max)
        f->look[f->nlook++] = (look_t){store_search_key_of(kind, s), (unsigned char)word,
                                       (unsigned char)tier, (unsigned char)drive};
}

/* The lookups of the query's words; how many words (0: none). */
static int query_looks(finder_t *f, const char *q)
{
    awda_namekey_t k;
    f->nlook = 0;
    f->nwords = 0;
    if (awda_namekey(q, strlen(q), &k) <= 0)
        return 0;
    for (int i = 0; i < k.n; i++) {
        const awda_nameword_t *w = &k.w[i];
        if (w->pos >= AWDA_SEARCH_MAX_TERMS)
            continue;
        if (w->pos + 1 > f->nwords)
            f->nwords = w->pos + 1;
        if (w->latin[0])
            look_add(f, 'L', w->latin, w->pos, TIER_EXACT);
        if (!w->skel[0])
            continue;
        look_add(f, 'S', w->skel, w->pos, TIER_SKEL);
        if (strlen(w->skel) >= 2)
            look_add(f, 'D', w->skel, w->pos, TIER_TYPO);
        char del[AWDA_NAMEKEY_MAX_DELETES][AWDA_NAMEKEY_SKEL_MAX];
        int nd = awda_namekey_deletes(w->skel, del, AWDA_NAMEKEY_MAX_DELETES);
        for (int d = 0; d < nd; d++) {
            look_add(f, 'S', del[d], w->pos, TIER_TYPO);
            look_add(f, 'D', del[d], w->pos, TIER_TYPO);
        }
    }
    return f->nwords;
}

/* Each word's exact and skeleton lookups, exact first. */
static void near_keys(finder_t *f)
{
    for (int tier = TIER_EXACT; tier <= TIER_SKEL; tier++)
        for (int i = 0; i < f->nlook; i++) {
            const look_t *l = &f->look[i];
            if (l->tier == tier && f->nnear[l->word] < NEAR_MAX)
                f->near[l->word][f->nnear[l->word]++] = *l;
        }
}

static cand_t *cand_get(finder_t *f, int64_t pk, int add)
{
    unsigned h = (unsigned)((uint64_t)pk * 0x9E3779B97F4A7C15ull >> 52) & 4095u;
    for (;; h = (h + 1) & 4095u) {
        int s = f->slot[h];
        if (s == 0)
            break;
        if (f->cand[s - 1].pk == pk)
            return &f->cand[s - 1];
    }
    if (!add || f->ncand >= AWDA_SEARCH_CANDIDATES_MAX)
        return NULL;
    cand_t *c = &f->cand[f->ncand++];
    c->pk = pk;
    c->in_scope = -1;
    c->via = -1;
    c->counted = 0;
    memset(c->tier, TIER_NONE, sizeof c->tier);
    f->slot[h] = f->ncand;
    return c;
}

static store_stmt_t Q_SKEY_COUNT = {
    .sql = "SELECT count(*) FROM (SELECT 1 FROM person_search_keys WHERE key=? LIMIT ?)"};
static store_stmt_t Q_SKEY_PERSONS = {.sql =
                                          "SELECT person_pk FROM person_search_keys WHERE key=?"};
static store_stmt_t Q_SKEYS_OF = {.sql = "SELECT key FROM person_search_keys WHERE person_pk=?"};
static store_stmt_t Q_SKEY_HAS = {
    .sql = "SELECT 1 FROM person_search_keys WHERE key=?1 AND person_pk=?2"};

typedef struct {
    store_conn_t *c;
    const finder_t *f;
} rows_ctx_t;

/* Rows of the exact and skeleton lookups of word w (each up to cap, no
 * more once they reach it). */
static int word_rows(void *ctx, int w, int cap)
{
    const rows_ctx_t *x = ctx;
    const finder_t *f = x->f;
    int total = 0;
    for (int i = 0; i < f->nlook && total < cap; i++) {
        if (f->look[i].word != w || f->look[i].tier > TIER_SKEL || !f->look[i].drive)
            continue;
        sqlite3_stmt *st = stmt(x->c, &Q_SKEY_COUNT);
        if (!st)
            return cap;
        sqlite3_bind_int64(st, 1, f->look[i].key);
        sqlite3_bind_int(st, 2, cap);
        total += sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : cap;
        done(st, 0);
    }
    return total;
}

/* Word w's tier for person pk when it is exact (0) or a skeleton (1), from
 * one index entry per key of the word (only those that did not drive when
 * drove_not is set); TIER_NONE otherwise; -1 on error. */
static int near_tier(store_conn_t *c, const finder_t *f, int w, int64_t pk, int drove_not)
{
    for (int i = 0; i < f->nnear[w]; i++) {
        if (drove_not && f->near[w][i].drive)
            continue;
        sqlite3_stmt *st = stmt(c, &Q_SKEY_HAS);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, f->near[w][i].key);
        sqlite3_bind_int64(st, 2, pk);
        int rc = sqlite3_step(st);
        done(st, 0);
        if (rc == SQLITE_ROW)
            return f->near[w][i].tier;
        if (rc != SQLITE_DONE)
            return -1;
    }
    return TIER_NONE;
}

/* The best tier of every query word for candidate x, from its keys. */
static int score(store_conn_t *c, const finder_t *f, cand_t *x)
{
    sqlite3_stmt *st = stmt(c, &Q_SKEYS_OF);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, x->pk);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t k = sqlite3_column_int64(st, 0);
        int lo = 0, hi = f->nlook;
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (f->look[mid].key < k)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (int i = lo; i < f->nlook && f->look[i].key == k; i++)
            if (f->look[i].tier < x->tier[f->look[i].word])
                x->tier[f->look[i].word] = f->look[i].tier;
    }
    done(st, 0);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score - y->score;
    return (x->pk > y->pk) - (x->pk < y->pk);
}

static int matches_all(const finder_t *f, const cand_t *x)
{
    return x->score < TIER_NONE * f->nwords || f->nwords == 0;
}

/* Offers scored candidate x to the page when it matches every word and is
 * known to be in the scope. */
static void note(finder_t *f, cand_t *x)
{
    if (x->counted || !matches_all(f, x) || (f->scope && x->in_scope != 1))
        return;
    x->counted = 1;
    topk_offer(&f->page, x->score, x->pk);
}

/* Scores a gathered candidate x without reading its keys when it can only
 * enter the page as an exact or skeleton match of the other words. Once
 * the page is full, x enters only if it ranks before the last member:
 * with a score of at most B, that member's score W (B = W when x is the
 * earlier registered, W - 1 otherwise). With the driving word's tier t,
 * the other words' tiers must add up to at most B - t; below TIER_TYPO
 * each of them is then exact or a skeleton (a word begun, tier 2, is only
 * known from the prefix search, whose persons are candidates already), one
 * index entry per key to look up. A candidate that cannot enter is left
 * matching only the driving word, so it is no match: the last member only
 * moves up as candidates come, so it would never have been shown. The
 * answers are those of scoring every candidate from its keys. 1 when
 * scored so, 0 when its keys are needed, -1 on error. */
static int score_near(store_conn_t *c, const finder_t *f, cand_t *x)
{
    if (x->via < 0 || !topk_full(&f->page))
        return 0;
    topk_pair_t last = topk_last(&f->page);
    int bound = x->pk < last.id ? last.score : last.score - 1;
    /* the driving word's own tier: x was gathered at its first tier that
     * drives; a skeleton of one letter does not drive but still scores */
    int t = x->via;
    if (t > TIER_SKEL) {
        int u = near_tier(c, f, f->rarest, x->pk, 1);
        if (u < 0)
            return -1;
        if (u < t)
            t = u;
    }
    if (bound - t >= TIER_TYPO)
        return 0;
    if (t > bound)
        return 1;
    unsigned char tier[AWDA_SEARCH_MAX_TERMS];
    memcpy(tier, x->tier, sizeof tier);
    tier[f->rarest] = (unsigned char)t;
    int sum = t;
    for (int w = 0; w < f->nwords; w++) {
        if (w == f->rarest)
            continue;
        int u = near_tier(c, f, w, x->pk, 0);
        if (u < 0)
            return -1;
        if (u == TIER_NONE || (sum += u) > bound)
            return 1;
        tier[w] = (unsigned char)u;
    }
    memcpy(x->tier, tier, sizeof tier);
    return 1;
}

/* Scores a candidate of the prefix search: every word is begun (tier 2),
 * or better, the same word or a skeleton of it: one index entry per exact
 * and skeleton key of each word tells (a typo would be worse than a word
 * begun). 0, or -1 on error. */
static int score_begun(store_conn_t *c, const finder_t *f, cand_t *x)
{
    for (int w = 0; w < f->nwords; w++) {
        if (x->tier[w] == TIER_EXACT)
            continue;
        int u = near_tier(c, f, w, x->pk, 0);
        if (u < 0)
            return -1;
        if (u < x->tier[w])
            x->tier[w] = (unsigned char)u;
    }
    return 0;
}

/* Scores candidates [from, f->ncand): every word's best tier (from the
 * candidate's keys when the query has more than one word; one word's tier
 * is the one it was found with) and their sum, TIER_NONE * words when a
 * word does not match. -1 on error. */
static int score_new(store_conn_t *c, finder_t *f, int from)
{
    for (int i = from; i < f->ncand; i++) {
        cand_t *x = &f->cand[i];
        if (f->nwords > 1 && x->via < 0) {
            if (score_begun(c, f, x) < 0)
                return -1;
        } else if (f->nwords > 1) {
            int near = score_near(c, f, x);
            if (near < 0 || (near == 0 && score(c, f, x) < 0))
                return -1;
        }
        x->score = 0;
        for (int w = 0; w < f->nwords; w++)
            x->score += x->tier[w] == TIER_NONE ? TIER_NONE * f->nwords : x->tier[w];
        note(f, x);
    }
    return 0;
}

/* Scores the new candidates; 1 when limit of them in the scope match every
 * word with a score of at most max, 0 when not, -1 on error. */
static int page_full(store_conn_t *c, finder_t *f, int max)
{
    if (score_new(c, f, f->scored) < 0)
        return -1;
    f->scored = f->ncand;
    int good = 0;
    for (int i = 0; i < f->ncand && good < f->limit; i++) {
        cand_t *x = &f->cand[i];
        if (!matches_all(f, x) || x->score > max)
            continue;
        if (x->in_scope < 0) {
            int in = in_scope(c, x->pk, f->scope, f->proj);
            if (in < 0)
                return -1;
            x->in_scope = (signed char)in;
            note(f, x);
        }
        good += x->in_scope;
    }
    return good >= f->limit;
}

#define SCORE_CHUNK 128 /* candidates gathered between two looks at the page */

/* Candidates from word w's lookups of one tier (the word's tier noted).
 * Every SCORE_CHUNK new candidates they are scored: once a page of persons
 * in the scope scores no more than the tier (nothing found later can score
 * less), the gathering stops. Returns 1 when it stopped (the page is full
 * or a bound was reached), 0 when the tier is done, -1 on error. */
static int gather(store_conn_t *c, finder_t *f, int w, int tier, long *examined)
{
    for (int i = 0; i < f->nlook; i++) {
        if (f->look[i].word != w || f->look[i].tier != tier || !f->look[i].drive)
            continue;
        sqlite3_stmt *st = stmt(c, &Q_SKEY_PERSONS);
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, f->look[i].key);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int before = f->ncand;
            cand_t *x = cand_get(f, sqlite3_column_int64(st, 0), 1);
            if (x && f->ncand > before)
                x->via = (signed char)tier;
            if (++*examined > AWDA_SEARCH_SCAN_MAX || !x) {
                awda_log(LOG_WARN, "person_search_capped", "\"examined\":%ld", *examined);
                done(st, 0);
                return 1;
            }
            if (tier < x->tier[w])
                x->tier[w] = (unsigned char)tier;
            if (f->ncand - f->scored >= SCORE_CHUNK) {
                int full = page_full(c, f, tier);
                if (full) {
                    done(st, 0);
                    return full;
                }
            }
        }
        done(st, 0);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

static int name_search(store_conn_t *c, const char *q, int limit, const char *scope,
                       const char *proj, int64_t *pks)
{
    finder_t *f = calloc(1, sizeof *f);
    int n = 0, err = 0;
    if (!f || !(f->cand = calloc(AWDA_SEARCH_CANDIDATES_MAX, sizeof *f->cand))) {
        free(f);
        return -1;
    }
    int nw = query_looks(f, q);
    qsort(f->look, (size_t)f->nlook, sizeof *f->look, cmp_look);
    near_keys(f);
    /* words begun: the prefix search of the norm.c keys (in the scope) */
    awda_name_keys_t pk_keys;
    int64_t prefix[AWDA_LIST_MAX];
    int np = 0;
    if (awda_name_keys(q, strlen(q), 0, &pk_keys) > 0)
        np = store_person_prefix_pks(c, &pk_keys, limit, scope, proj, prefix);
    err = np < 0;
    for (int i = 0; i < np && !err; i++) {
        cand_t *x = cand_get(f, prefix[i], 1);
        if (x) {
            memset(x->tier, TIER_PREFIX, sizeof x->tier);
            x->in_scope = 1; /* the prefix search keeps to the scope */
        }
    }
    f->limit = limit;
    topk_init(&f->page, f->members, limit);
    f->scope = scope;
    f->proj = proj;
    if (nw > 0 && !err) {
        int rarest = 0, least = -1, rows[AWDA_SEARCH_MAX_TERMS];
        if (nw > 1)
            store_probe_counts(nw, KEY_PROBE, word_rows, &(rows_ctx_t){c, f}, rows);
        for (int w = 0; w < nw && nw > 1; w++) {
            if (least < 0 || rows[w] < least) {
                least = rows[w];
                rarest = w;
            }
        }
        f->rarest = rarest;
        /* The rarest word's lookups, best tier first, until a page is
         * sure (gather) or a bound is reached. */
        long examined = 0;
        for (int tier = TIER_EXACT; tier <= TIER_TYPO && !err; tier++) {
            if (tier == TIER_PREFIX)
                continue;
            int stop = gather(c, f, rarest, tier, &examined);
            if (stop == 0)
                stop = page_full(c, f, tier);
            err = stop < 0;
            if (stop)
                break;
        }
    }
    if (!err)
        err = score_new(c, f, f->scored) < 0;
    int kept = 0;
    for (int i = 0; i < f->ncand && !err; i++)
        if (matches_all(f, &f->cand[i]))
            f->cand[kept++] = f->cand[i];
    if (!err) {
        qsort(f->cand, (size_t)kept, sizeof *f->cand, cmp_cand);
        for (int i = 0; i < kept && n < limit; i++) {
            cand_t *x = &f->cand[i];
            if (x->in_scope < 0) {
                int in = in_scope(c, x->pk, scope, proj);
                if (in < 0) {
                    err = 1;
                    break;
                }
                x->in_scope = (signed char)in;
            }
            if (x->in_scope)
                pks[n++] = x->pk;
        }
    }
    free(f->cand);
    free(f);
    return err ? -1 : n;
}

/* ---- numbers ---- */

static store_stmt_t Q_OFFICE_CODES = {.sql = "SELECT code FROM offices ORDER BY pk"};
static store_stmt_t Q_NUMBER_FIRST = {
    .sql = "SELECT number FROM cases WHERE number>=?1 AND number<?2 ORDER BY number LIMIT 1"};
static store_stmt_t Q_NUMBER_LAST = {
    .sql = "SELECT number FROM cases WHERE number>=?1 AND number<?2 ORDER BY number DESC "
           "LIMIT 1"};
static store_stmt_t Q_CASE_BY_NUMBER = {
    .sql = "SELECT cm.person_pk FROM cases c JOIN case_members cm ON cm.case_pk=c.pk WHERE "
           "c.number=?1 AND (?2 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?2)) OR "
           "c.receiving_office_pk IN (SELECT value FROM json_each(?2)) OR c.project IN "
           "(SELECT value FROM json_each(?3))) ORDER BY cm.position"};
static store_stmt_t Q_PHONE_OF = {
    .sql = "SELECT json_extract(contact,'$.phone') FROM persons WHERE pk=?"};

static int pk_add(int64_t *pks, int n, int limit, int64_t pk)
{
    for (int i = 0; i < n; i++)
        if (pks[i] == pk)
            return n;
    if (n < limit)
        pks[n++] = pk;
    return n;
}

/* The year of a case number CODE-YYYY-NNNNNN (0 if it has none). */
static int year_of(const char *number, size_t code_len)
{
    const char *y = number + code_len + 1;
    int v = 0;
    for (int i = 0; i < 4; i++) {
        if (y[i] < '0' || y[i] > '9')
            return 0;
        v = v * 10 + (y[i] - '0');
    }
    return v;
}

/* The persons of the cases whose number's digits end with d. */
static int case_number_search(store_conn_t *c, const char *d, int nd, int limit, const char *scope,
                              const char *proj, int64_t *pks, int n)
{
    if (nd > 10)
        return n;
    long long seq = 0;
    int sfrom = nd > 6 ? nd - 6 : 0;
    for (int i = sfrom; i < nd; i++)
        seq = seq * 10 + (d[i] - '0');
    char ysuf[8] = "";
    memcpy(ysuf, d, (size_t)sfrom);
    ysuf[sfrom] = '\0';
    if (seq == 0)
        return n;
    sqlite3_stmt *codes = stmt(c, &Q_OFFICE_CODES);
    if (!codes)
        return -1;
    char code[64][40];
    int ncodes = 0;
    while (ncodes < 64 && sqlite3_step(codes) == SQLITE_ROW)
        snprintf(code[ncodes++], sizeof code[0], "%s", (const char *)sqlite3_column_text(codes, 0));
    done(codes, 0);
    for (int o = 0; o < ncodes && n < limit; o++) {
        char lo[48], hi[48], first[64] = "", last[64] = "";
        size_t cl = strlen(code[o]);
        snprintf(lo, sizeof lo, "%s-", code[o]);
        snprintf(hi, sizeof hi, "%s.", code[o]); /* '.' sorts right after '-' */
        store_stmt_t *ends[2] = {&Q_NUMBER_FIRST, &Q_NUMBER_LAST};
        char *out[2] = {first, last};
        for (int e = 0; e < 2; e++) {
            sqlite3_stmt *st = stmt(c, ends[e]);
            if (!st)
                return -1;
            sqlite3_bind_text(st, 1, lo, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
            if (sqlite3_step(st) == SQLITE_ROW)
                snprintf(out[e], 64, "%s", (const char *)sqlite3_column_text(st, 0));
            done(st, 0);
        }
        int y0 = first[0] ? year_of(first, cl) : 0, y1 = last[0] ? year_of(last, cl) : 0;
        if (!y0 || !y1 || y1 - y0 > 100)
            continue;
        for (int y = y1; y >= y0 && n < limit; y--) { /* the newest year first */
            char ys[8];
            snprintf(ys, sizeof ys, "%04d", y);
            if (sfrom && strcmp(ys + 4 - sfrom, ysuf) != 0)
                continue;
            char number[80];
            snprintf(number, sizeof number, "%s-%04d-%06lld", code[o], y, seq);
            sqlite3_stmt *st = stmt(c, &Q_CASE_BY_NUMBER);
            if (!st)
                return -1;
            sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
            bind_text_or_null(st, 2, scope);
            bind_text_or_null(st, 3, proj);
            while (sqlite3_step(st) == SQLITE_ROW)
                n = pk_add(pks, n, limit, sqlite3_column_int64(st, 0));
            done(st, 0);
        }
    }
    return n;
}

/* Whether two phone numbers' digits agree on their tail. */
static int phone_tails_agree(const char *a, int na, const char *b, int nb)
{
    int m = na < nb ? na : nb;
    if (m > AWDA_PHONE_TAIL_MAX)
        m = AWDA_PHONE_TAIL_MAX;
    return m >= AWDA_PHONE_TAIL_MIN && memcmp(a + na - m, b + nb - m, (size_t)m) == 0;
}

static int phone_search(store_conn_t *c, const char *d, int nd, int limit, const char *scope,
                        const char *proj, int64_t *pks, int n)
{
    if (nd < AWDA_PHONE_TAIL_MIN)
        return n;
    int64_t found[AWDA_LIST_MAX];
    int nf = 0;
    long examined = 0;
    sqlite3_stmt *st = stmt(c, &Q_SKEY_PERSONS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, store_search_key_of('P', d + nd - AWDA_PHONE_TAIL_MIN));
    while (nf < AWDA_LIST_MAX && sqlite3_step(st) == SQLITE_ROW &&
           ++examined < AWDA_SEARCH_SCAN_MAX)
        found[nf++] = sqlite3_column_int64(st, 0);
    done(st, 0);
    for (int i = 0; i < nf && n < limit; i++) {
        sqlite3_stmt *ph = stmt(c, &Q_PHONE_OF);
        if (!ph)
            return -1;
        sqlite3_bind_int64(ph, 1, found[i]);
        char pd[64];
        int npd = 0;
        if (sqlite3_step(ph) == SQLITE_ROW)
            npd = store_digits_of((const char *)sqlite3_column_text(ph, 0), pd, sizeof pd);
        done(ph, 0);
        if (!phone_tails_agree(d, nd, pd, npd))
            continue;
        int s = in_scope(c, found[i], scope, proj);
        if (s < 0)
            return -1;
        if (s)
            n = pk_add(pks, n, limit, found[i]);
    }
    return n;
}

/* Digits, and only the signs a number is written with. */
static int is_number(const char *q)
{
    int digits = 0;
    for (; *q; q++) {
        if (*q >= '0' && *q <= '9')
            digits++;
        else if (!strchr(" +-().\t/", *q))
            return 0;
    }
    return digits > 0;
}

int store_person_find(store_conn_t *c, const char *q, int limit, const int64_t *offices, int nof,
                      const char *projects, int64_t *pks)
{
    if (limit > AWDA_LIST_MAX)
        limit = AWDA_LIST_MAX;
    if (limit < 0)
        limit = 0;
    int n = 0;
    char *scope = store_offices_json(offices, nof);
    const char *proj = nof >= 0 ? projects : NULL;
    if (is_number(q)) {
        char d[64];
        int nd = store_digits_of(q, d, sizeof d);
        n = case_number_search(c, d, nd, limit, scope, proj, pks, 0);
        if (n >= 0)
            n = phone_search(c, d, nd, limit, scope, proj, pks, n);
    } else if (limit > 0) {
        n = name_search(c, q, limit, scope, proj, pks);
    }
    free(scope);
    return n;
}
