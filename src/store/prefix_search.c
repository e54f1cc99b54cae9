/*
 * prefix_search.c — the name search of persons.c's name keys: every
 * query key matches by prefix (a word begun: "hab" finds "Habtom").
 *
 * Every name is kept as name keys (text/norm.c: folded across scripts)
 * in person_name_keys, and every pair of two different keys of a person,
 * once, smaller key first, in person_name_pairs (migrations 15 and 25;
 * written by persons.c). A search matches every query key by prefix, the
 * scope (offices, receiving offices, projects) bound as a JSON array. The
 * answer is ordered as a scan of the driving key's range finds it: by
 * the first key of that range the person has, then by person.
 *   - One key, or keys of which one begins another: the rarest key drives
 *     a range scan of the key index, each other key must match another
 *     key of the same person (Q_SEARCH[n - 1]).
 *   - Otherwise the pairs drive (pair_search): of the rarest key and the
 *     rarest one that can be its pair, the one sorting first drives; for
 *     each distinct key k of its range (one seek each), the persons with
 *     a pair (k, k2), k2 in the other's range, however common each word
 *     is alone: each pair (k, k2) is a run of the index in person order,
 *     and the runs are merged, so that a page reads about as many rows
 *     as it keeps (pair_merge_t). Further keys and the scope are checked
 *     per person found (Q_PAIR_CHECK). At most AWDA_SEARCH_SCAN_MAX rows
 *     are examined; beyond, the answer holds the persons found so far.
 *
 * The name-key counts (store_name_key_count, store_probe_counts) tell
 * which query key is rarest; the search of person_search.c counts its
 * words with the same probe.
 */
#include "internal.h"

static store_stmt_t Q_KEY_FREQ = {
    .sql = "SELECT count(*) FROM (SELECT 1 FROM person_name_keys WHERE key>=? "
           "AND key<? LIMIT ?)"};

#define SEARCH_PROBE 5000

static store_stmt_t Q_SEARCH[AWDA_SEARCH_MAX_TERMS];

/* Name search with n terms (n = the index of d in Q_SEARCH + 1): the
 * first term drives a range scan of the key index; every further term
 * must match another key of the same person. The parameter after the
 * terms scopes to offices (a JSON array of office pks) or is NULL for
 * every office; then the limit, then the projects. */
static char *search_sql(const store_stmt_t *d)
{
    int t = (int)(d - Q_SEARCH) + 1;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT DISTINCT k.person_pk FROM person_name_keys k WHERE k.key>=?1 "
                 "AND k.key<?2");
    for (int i = 1; i < t; i++)
        sql_printf(&q,
                   " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE "
                   "k%d.person_pk=k.person_pk AND k%d.key>=?%d AND k%d.key<?%d)",
                   i, i, i, 2 * i + 1, i, 2 * i + 2);
    sql_printf(&q,
               " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
               "c.pk=cm.case_pk WHERE cm.person_pk=k.person_pk AND (c.office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.project IN "
               "(SELECT value FROM json_each(?%d))))) LIMIT ?%d",
               2 * t + 1, 2 * t + 1, 2 * t + 1, 2 * t + 3, 2 * t + 2);
    return sql_take(&q);
}

static store_stmt_t Q_SEARCH[AWDA_SEARCH_MAX_TERMS] = {
    [0 ... AWDA_SEARCH_MAX_TERMS - 1] = {.build = search_sql},
};

void store_probe_counts(int n, int probe, int (*count)(void *ctx, int i, int cap), void *ctx,
                        int *out)
{
    static const int caps[] = {64, 512};
    int open = n;
    for (int i = 0; i < n; i++)
        out[i] = -1; /* still counting */
    for (size_t l = 0; l <= sizeof caps / sizeof caps[0] && open > 1; l++) {
        int cap = l < sizeof caps / sizeof caps[0] && caps[l] < probe ? caps[l] : probe;
        for (int i = 0; i < n; i++) {
            if (out[i] >= 0)
                continue;
            int k = count(ctx, i, cap);
            if (k < cap || cap == probe) {
                out[i] = k;
                open--;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (out[i] < 0)
            out[i] = probe;
}

typedef struct {
    store_conn_t *c;
    const awda_name_keys_t *q;
} freq_ctx_t;

int store_name_key_count(store_conn_t *c, const char *key, int cap)
{
    sqlite3_stmt *st = stmt(c, &Q_KEY_FREQ);
    if (!st)
        return cap;
    char hi[AWDA_NAME_KEY_MAX + 2];
    store_key_range(key, hi);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 3, cap);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : cap;
    done(st, 0);
    return n;
}

/* How many name keys start with query key i, counting no further than cap. */
static int key_frequency(void *ctx, int i, int cap)
{
    const freq_ctx_t *x = ctx;
    return store_name_key_count(x->c, x->q->key[i], cap);
}

/* ---- the pairs drive ---- */

/* The first k1 within [?1, ?2), then the next one after ?1 (one lower
 * bound each, so that each is one seek of the index). */
static store_stmt_t Q_KEY_FIRST = {
    .sql = "SELECT k1 FROM person_name_pairs WHERE k1>=?1 AND k1<?2 ORDER BY k1 LIMIT 1"};
static store_stmt_t Q_KEY_NEXT = {
    .sql = "SELECT k1 FROM person_name_pairs WHERE k1>?1 AND k1<?2 ORDER BY k1 LIMIT 1"};
/* The persons with the pair (?1, k2), k2 in [?2, ?3): ?1 the smaller key
 * (when k1 has more second keys than PAIR_STREAMS_MAX). */
static store_stmt_t Q_PAIR_ROWS = {
    .sql = "SELECT person_pk FROM person_name_pairs WHERE k1=?1 AND k2>=?2 AND k2<?3"};
/* The first k2 of k1 within [?2, ?3), then the next one after ?2. */
static store_stmt_t Q_K2_FIRST = {
    .sql = "SELECT k2 FROM person_name_pairs WHERE k1=?1 AND k2>=?2 AND k2<?3 ORDER BY k2 "
           "LIMIT 1"};
static store_stmt_t Q_K2_NEXT = {
    .sql = "SELECT k2 FROM person_name_pairs WHERE k1=?1 AND k2>?2 AND k2<?3 ORDER BY k2 "
           "LIMIT 1"};
/* The persons of the pair (?1, ?2) after person ?3, in order, at most ?4:
 * one seek of the primary key, then its rows as they lie. */
static store_stmt_t Q_PAIR_AFTER = {
    .sql = "SELECT person_pk FROM person_name_pairs WHERE k1=?1 AND k2=?2 AND person_pk>?3 "
           "ORDER BY person_pk LIMIT ?4"};
static store_stmt_t Q_PAIR_CHECK[AWDA_SEARCH_MAX_TERMS - 1];

/* Whether person ?1 matches the keys beyond the first two (x = the index
 * of d in Q_PAIR_CHECK: how many) and the scope: the keys at ?2.., then
 * the office scope, then the projects, as in search_sql. */
static char *pair_check_sql(const store_stmt_t *d)
{
    int x = (int)(d - Q_PAIR_CHECK);
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT 1 WHERE 1");
    for (int i = 0; i < x; i++)
        sql_printf(&q,
                   " AND EXISTS(SELECT 1 FROM person_name_keys k WHERE k.person_pk=?1 AND "
                   "k.key>=?%d AND k.key<?%d)",
                   2 * i + 2, 2 * i + 3);
    int sc = 2 * x + 2;
    sql_printf(&q,
               " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
               "c.pk=cm.case_pk WHERE cm.person_pk=?1 AND (c.office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
               "(SELECT value FROM json_each(?%d)) OR c.project IN "
               "(SELECT value FROM json_each(?%d)))))",
               sc, sc, sc, sc + 1);
    return sql_take(&q);
}

static store_stmt_t Q_PAIR_CHECK[AWDA_SEARCH_MAX_TERMS - 1] = {
    [0 ... AWDA_SEARCH_MAX_TERMS - 2] = {.build = pair_check_sql},
};

static int cmp_pk(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef char pkey_t[AWDA_NAME_KEY_MAX + 2];

/* The distinct k1 after prev (or the first at or after lo when prev is
 * empty) below hi, into out: 1, 0 when none is left, -1 on error. */
static int key_next(store_conn_t *c, const char *prev, const char *lo, const char *hi, pkey_t out)
{
    sqlite3_stmt *st = stmt(c, prev[0] ? &Q_KEY_NEXT : &Q_KEY_FIRST);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, prev[0] ? prev : lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(out, sizeof(pkey_t), "%s", (const char *)sqlite3_column_text(st, 0));
    done(st, 0);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Appends to cand (growing it) the persons of pair (k1, k2 in [lo, hi));
 * 0, or -1 on error. Counts the rows into *examined. */
static int pair_rows(sqlite3_stmt *rows, const char *k1, const char *lo, const char *hi,
                     int64_t **cand, size_t *ncand, size_t *cap, long *examined)
{
    sqlite3_bind_text(rows, 1, k1, -1, SQLITE_STATIC);
    sqlite3_bind_text(rows, 2, lo, -1, SQLITE_STATIC);
    sqlite3_bind_text(rows, 3, hi, -1, SQLITE_STATIC);
    int rc, err = 0;
    while ((rc = sqlite3_step(rows)) == SQLITE_ROW && *examined < AWDA_SEARCH_SCAN_MAX) {
        ++*examined;
        if (*ncand == *cap) {
            size_t ncap = *cap ? 2 * *cap : 64;
            int64_t *g = realloc(*cand, ncap * sizeof *g);
            if (!g) {
                err = 1;
                break;
            }
            *cand = g;
            *cap = ncap;
        }
        (*cand)[(*ncand)++] = sqlite3_column_int64(rows, 0);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        err = 1;
    sqlite3_reset(rows);
    return err ? -1 : 0;
}

#define PAIR_STREAMS_MAX 1024 /* second keys of one k1 merged in order; beyond, rows sorted */
#define PAIR_STREAM_ROWS 32   /* rows read ahead from one pair, at most */

/* One pair (k1, k2) read in person order: 2 rows first, then twice as
 * many each time, up to PAIR_STREAM_ROWS (most pairs give one or two
 * persons to a page of fifty). */
typedef struct {
    pkey_t k2;
    int64_t buf[PAIR_STREAM_ROWS];
    int len, pos, want;
    int more;      /* rows may follow buf */
    int64_t after; /* the last person read */
} stream_t;

/* The persons of k1 with a second key in [lo, hi), in person order (a
 * person of two such pairs twice in a row; pair_search keeps the first).
 * Each pair is a run of the primary key in person order: with at most
 * PAIR_STREAMS_MAX second keys, the runs are merged and little more is
 * read than is taken (before, a page of "abdallah ali" read 92,000 rows
 * to keep fifty); with more, every row is read and sorted. */
typedef struct {
    store_conn_t *c;
    const char *k1;
    stream_t *s;
    int ns;        /* the runs merged; -1: the sorted rows in cand instead */
    int scap;      /* room in s */
    int64_t *cand; /* the sorted rows (ns < 0) */
    size_t ncand, cap, next;
    long *examined;
} pair_merge_t;

/* The second keys of m->k1 within [lo, hi), in order, into m->s (grown):
 * how many, PAIR_STREAMS_MAX + 1 when there are more, -1 on error. */
static int k2_list(pair_merge_t *m, const char *lo, const char *hi)
{
    int n = 0;
    while (n <= PAIR_STREAMS_MAX) {
        if (n == m->scap) {
            int ncap = m->scap ? 2 * m->scap : 16;
            if (ncap > PAIR_STREAMS_MAX + 1)
                ncap = PAIR_STREAMS_MAX + 1;
            stream_t *g = realloc(m->s, (size_t)ncap * sizeof *g);
            if (!g)
                return -1;
            m->s = g;
            m->scap = ncap;
        }
        sqlite3_stmt *st = stmt(m->c, n ? &Q_K2_NEXT : &Q_K2_FIRST);
        if (!st)
            return -1;
        sqlite3_bind_text(st, 1, m->k1, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, n ? m->s[n - 1].k2 : lo, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, hi, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            stream_t *x = &m->s[n++];
            snprintf(x->k2, sizeof x->k2, "%s", (const char *)sqlite3_column_text(st, 0));
            x->len = x->pos = 0;
            x->want = 2;
            x->more = 1;
            x->after = INT64_MIN;
            ++*m->examined;
        }
        done(st, 0);
        if (rc != SQLITE_ROW)
            return rc == SQLITE_DONE ? n : -1;
    }
    return n;
}

/* The next rows of pair (k1, x->k2) into x->buf: 0, or -1 on error. */
static int stream_fill(store_conn_t *c, const char *k1, stream_t *x, long *examined)
{
    sqlite3_stmt *st = stmt(c, &Q_PAIR_AFTER);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, k1, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, x->k2, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, x->after);
    sqlite3_bind_int(st, 4, x->want);
    x->len = x->pos = 0;
    int rc = SQLITE_DONE;
    while (x->len < x->want && (rc = sqlite3_step(st)) == SQLITE_ROW)
        x->buf[x->len++] = sqlite3_column_int64(st, 0);
    if (x->len == x->want)
        rc = SQLITE_DONE;
    done(st, 0);
    *examined += x->len;
    x->more = x->len == x->want;
    if (x->len)
        x->after = x->buf[x->len - 1];
    if (x->want < PAIR_STREAM_ROWS)
        x->want *= 2;
    return rc == SQLITE_DONE ? 0 : -1;
}

static int merge_start(pair_merge_t *m, sqlite3_stmt *rows, const char *lo, const char *hi)
{
    m->ns = k2_list(m, lo, hi);
    m->ncand = m->next = 0;
    if (m->ns < 0)
        return -1;
    if (m->ns <= PAIR_STREAMS_MAX)
        return 0;
    m->ns = -1;
    if (pair_rows(rows, m->k1, lo, hi, &m->cand, &m->ncand, &m->cap, m->examined) < 0)
        return -1;
    if (m->ncand > 1)
        qsort(m->cand, m->ncand, sizeof *m->cand, cmp_pk);
    return 0;
}

/* The next person: 1 (into *pk), 0 when none is left, -1 on error. A
 * person of two pairs comes twice, one after the other. */
static int merge_next(pair_merge_t *m, int64_t *pk)
{
    for (;;) {
        int64_t v;
        if (m->ns < 0) {
            if (m->next >= m->ncand)
                return 0;
            v = m->cand[m->next++];
        } else {
            int best = -1;
            for (int i = 0; i < m->ns; i++) {
                stream_t *x = &m->s[i];
                if (x->pos == x->len && x->more && stream_fill(m->c, m->k1, x, m->examined) < 0)
                    return -1;
                if (x->pos < x->len &&
                    (best < 0 || x->buf[x->pos] < m->s[best].buf[m->s[best].pos]))
                    best = i;
            }
            if (best < 0)
                return 0;
            v = m->s[best].buf[m->s[best].pos++];
        }
        *pk = v;
        return 1;
    }
}

/* The search through the pairs: keys[0] drives, keys[1] is its pair and
 * sorts after it (a pair is kept once, smaller key first: migration 25),
 * keys[2..nt) are checked per person. For each distinct key k of
 * keys[0]'s range, in order, the pairs (k, keys[1]'s range) give its
 * persons, by pk (pair_merge_t). Fills pks (at most max) in the order of
 * search_sql's scan of keys[0]; returns how many, or -1. */
static int pair_search(store_conn_t *c, const char *const *keys, int nt, const char *scope,
                       const char *projects, int64_t *pks, int max)
{
    pkey_t hi[AWDA_SEARCH_MAX_TERMS];
    for (int i = 0; i < nt; i++)
        store_key_range(keys[i], hi[i]);
    sqlite3_stmt *rows = stmt(c, &Q_PAIR_ROWS);
    if (!rows)
        return -1;
    int check_needed = nt > 2 || scope;
    sqlite3_stmt *chk = check_needed ? stmt(c, &Q_PAIR_CHECK[nt - 2]) : NULL;
    if (check_needed && !chk)
        return done(rows, -1);
    if (chk) {
        for (int i = 2; i < nt; i++) {
            sqlite3_bind_text(chk, 2 * (i - 2) + 2, keys[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(chk, 2 * (i - 2) + 3, hi[i], -1, SQLITE_STATIC);
        }
        bind_text_or_null(chk, 2 * (nt - 2) + 2, scope);
        bind_text_or_null(chk, 2 * (nt - 2) + 3, projects);
    }
    pkey_t k = "";
    long examined = 0;
    pair_merge_t m = {.c = c, .k1 = k, .examined = &examined};
    int n = 0, err = 0;
    while (n < max && examined < AWDA_SEARCH_SCAN_MAX && !err) {
        pkey_t nk;
        int rc = key_next(c, k, keys[0], hi[0], nk);
        if (rc <= 0) {
            err = rc < 0;
            break;
        }
        memcpy(k, nk, sizeof k);
        examined++;
        /* every person with k and a key of keys[1]'s range, by person */
        err = merge_start(&m, rows, keys[1], hi[1]) < 0;
        int64_t pk;
        while (!err && n < max && examined < AWDA_SEARCH_SCAN_MAX &&
               (rc = merge_next(&m, &pk)) != 0) {
            if (rc < 0) {
                err = 1;
                break;
            }
            int seen = 0;
            for (int j = 0; j < n && !seen; j++)
                seen = pks[j] == pk;
            if (seen)
                continue;
            if (chk) {
                sqlite3_bind_int64(chk, 1, pk);
                rc = sqlite3_step(chk);
                sqlite3_reset(chk);
                if (rc != SQLITE_ROW) {
                    err = rc != SQLITE_DONE;
                    continue;
                }
            }
            pks[n++] = pk;
        }
        if (examined >= AWDA_SEARCH_SCAN_MAX)
            awda_log(LOG_WARN, "person_search_capped", "\"examined\":%ld", examined);
    }
    free(m.cand);
    free(m.s);
    if (chk)
        done(chk, 0);
    done(rows, 0);
    return err ? -1 : n;
}

/* Whether one key begins the other (then one name key may match both,
 * which a pair of two different keys does not hold). */
static int key_begins(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    return strncmp(a, b, la < lb ? la : lb) == 0;
}

/* Whether key b begins key a and is shorter: a's range is within b's, so
 * a is never the more common of the two (the counts stop at SEARCH_PROBE:
 * at equal counts, a drives). */
static int key_extends(const char *a, const char *b)
{
    size_t lb = strlen(b);
    return strlen(a) > lb && strncmp(a, b, lb) == 0;
}

int store_person_prefix_pks(store_conn_t *c, const awda_name_keys_t *q, int limit,
                            const char *scope, const char *proj, int64_t *pks)
{
    if (q->count < 1)
        return 0;
    int nt = q->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : q->count;
    /* The rarest key drives the scan: count each key's matches (up to
     * SEARCH_PROBE) and put the smallest first; at equal counts, a key
     * that extends another ("abebe berh": "brh" extends "b", and every
     * person with "brh…" has "b…") rather than the whole range of "b". */
    int order[AWDA_SEARCH_MAX_TERMS];
    int freq[AWDA_SEARCH_MAX_TERMS] = {0};
    for (int i = 0; i < nt; i++)
        order[i] = i;
    /* Two keys need no counts: neither begins the other, and they are a
     * pair whatever their counts (its first key is the one sorting first);
     * or one begins the other, and the longer drives either way (never the
     * more common, and at equal counts it drives). A third key needs
     * them: which two are the pair, which are checked. */
    if (nt > 2)
        store_probe_counts(nt, SEARCH_PROBE, key_frequency, &(freq_ctx_t){c, q}, freq);
    for (int i = 1; i < nt; i++) {
        if (freq[order[i]] < freq[order[0]] ||
            (freq[order[i]] == freq[order[0]] && key_extends(q->key[order[i]], q->key[order[0]]))) {
            int t = order[0];
            order[0] = order[i];
            order[i] = t;
        }
    }
    if (limit > AWDA_LIST_MAX)
        limit = AWDA_LIST_MAX;
    int n = 0;
    /* The pairs drive when a key that begins no other than the driving
     * one can be its pair: the rarest such one. */
    int pair = -1;
    for (int i = 1; i < nt; i++)
        if (!key_begins(q->key[order[0]], q->key[order[i]]) &&
            (pair < 0 || freq[order[i]] < freq[order[pair]]))
            pair = i;
    if (pair > 0) {
        int t = order[1];
        order[1] = order[pair];
        order[pair] = t;
        /* of the two, the one sorting first drives (its keys are the
         * pairs' first keys) */
        if (strcmp(q->key[order[1]], q->key[order[0]]) < 0) {
            t = order[0];
            order[0] = order[1];
            order[1] = t;
        }
        const char *keys[AWDA_SEARCH_MAX_TERMS];
        for (int i = 0; i < nt; i++)
            keys[i] = q->key[order[i]];
        n = limit > 0 ? pair_search(c, keys, nt, scope, proj, pks, limit) : 0;
        if (n < 0)
            return -1;
    } else {
        sqlite3_stmt *st = stmt(c, &Q_SEARCH[nt - 1]);
        if (!st)
            return -1;
        char hi[AWDA_SEARCH_MAX_TERMS][AWDA_NAME_KEY_MAX + 2];
        for (int i = 0; i < nt; i++) {
            store_key_range(q->key[order[i]], hi[i]);
            sqlite3_bind_text(st, 2 * i + 1, q->key[order[i]], -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 2 * i + 2, hi[i], -1, SQLITE_TRANSIENT);
        }
        bind_text_or_null(st, 2 * nt + 1, scope);
        sqlite3_bind_int(st, 2 * nt + 2, limit);
        bind_text_or_null(st, 2 * nt + 3, proj);
        while (n < limit && sqlite3_step(st) == SQLITE_ROW)
            pks[n++] = sqlite3_column_int64(st, 0);
        done(st, 0);
    }
    return n;
}

int store_person_search(store_conn_t *c, const awda_name_keys_t *q, int limit,
                        const int64_t *offices, int nof, const char *projects, int64_t *pks)
{
    char *scope = store_offices_json(offices, nof);
    int n = store_person_prefix_pks(c, q, limit, scope, nof >= 0 ? projects : NULL, pks);
    free(scope);
    return n;
}
