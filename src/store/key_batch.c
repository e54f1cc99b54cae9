/*
 * key_batch.c — the keys of new persons written in one writer job kept
 * and inserted together at its end, in key order (store.h,
 * store_keys_batch_begin).
 *
 * A person has some twenty duplicate keys and a dozen search keys, each a
 * row of an index keyed by a hash: one person's keys land all over the
 * index, and an import of thousands of persons in one transaction walks
 * the index from its root for each. Sorted, consecutive keys fall in the
 * same leaf, which stays in the processor's cache: the same rows for
 * less work. The buffer of a table holds at most KEY_BATCH_MAX pairs;
 * when full it is written at once (sorted) and starts again.
 *
 * The text name keys of person_name_keys and their pairs in
 * person_name_pairs (persons.c) are kept the same way, their texts in an
 * arena of the batch (at most TEXT_ARENA_MAX bytes, then written at once):
 * a person's pairs are made here from its distinct keys, each pair once,
 * smaller key first, as the SQL of persons.c makes them from the rows.
 *
 * Only inserts of new persons go through it (store_dup_keys_write,
 * store_person_search_keys_write and person_children with is_new);
 * nothing in the job reads the key tables after them, and the rows are
 * the same as one by one.
 */
#include "internal.h"
#include "../text/norm.h"
#include <stdlib.h>
#include <string.h>

#define KEY_BATCH_MAX  (1u << 22)  /* pairs per table kept at most (64 MiB) */
#define TEXT_ARENA_MAX (64u << 20) /* bytes of kept key texts at most */
#define TEXT_ROWS_MAX  (1u << 22)  /* name keys, and name pairs, kept at most */

typedef struct {
    int64_t key, pk;
} kpair_t;

typedef struct {
    kpair_t *p;
    size_t n, cap;
} kbuf_t;

/* A name key (k2 = NO_TEXT) or a pair of keys, as offsets into the arena. */
#define NO_TEXT UINT32_MAX
typedef struct {
    uint32_t k1, k2;
    int64_t pk;
} trow_t;

typedef struct {
    trow_t *p;
    size_t n, cap;
} tbuf_t;

struct store_key_batch {
    kbuf_t t[STORE_KEYS_TABLES];
    tbuf_t keys, pairs; /* person_name_keys, person_name_pairs */
    char *arena;
    size_t alen, acap;
};

static store_stmt_t Q_PUT[STORE_KEYS_TABLES] = {
    {.sql = "INSERT OR IGNORE INTO person_dup_keys(key,person_pk) VALUES(?,?)"},
    {.sql = "INSERT OR IGNORE INTO person_search_keys(key,person_pk) VALUES(?,?)"},
};

static int by_key(const void *a, const void *b)
{
    const kpair_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->pk > y->pk) - (x->pk < y->pk);
}

/* Inserts table t's kept pairs in key order and empties the buffer. */
static int write_table(store_conn_t *c, int t)
{
    kbuf_t *b = &c->keys->t[t];
    if (!b->n)
        return STORE_OK;
    qsort(b->p, b->n, sizeof *b->p, by_key);
    for (size_t i = 0; i < b->n; i++) {
        sqlite3_stmt *st = stmt(c, &Q_PUT[t]);
        if (!st)
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, b->p[i].key);
        sqlite3_bind_int64(st, 2, b->p[i].pk);
        int rc = step_done(c, st);
        if (rc != STORE_OK)
            return rc;
    }
    b->n = 0;
    return STORE_OK;
}

static store_stmt_t Q_TEXT_KEY = {
    .sql = "INSERT OR IGNORE INTO person_name_keys(key,person_pk) VALUES(?,?)"};
static store_stmt_t Q_TEXT_PAIR = {
    .sql = "INSERT OR IGNORE INTO person_name_pairs(k1,k2,person_pk) VALUES(?,?,?)"};

/* The sort of the kept texts: by key (SQLite's BINARY order: bytes), then
 * second key, then person. qsort_r's context is the arena. */
static int by_text(const void *a, const void *b, void *arena)
{
    const trow_t *x = a, *y = b;
    const char *t = arena;
    int d = strcmp(t + x->k1, t + y->k1);
    if (!d && x->k2 != NO_TEXT)
        d = strcmp(t + x->k2, t + y->k2);
    if (d)
        return d;
    return (x->pk > y->pk) - (x->pk < y->pk);
}

static int write_text(store_conn_t *c, tbuf_t *b, store_stmt_t *q)
{
    struct store_key_batch *k = c->keys;
    if (!b->n)
        return STORE_OK;
    qsort_r(b->p, b->n, sizeof *b->p, by_text, k->arena);
    for (size_t i = 0; i < b->n; i++) {
        sqlite3_stmt *st = stmt(c, q);
        if (!st)
            return STORE_ERR;
        int n = 1;
        sqlite3_bind_text(st, n++, k->arena + b->p[i].k1, -1, SQLITE_STATIC);
        if (b->p[i].k2 != NO_TEXT)
            sqlite3_bind_text(st, n++, k->arena + b->p[i].k2, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, n, b->p[i].pk);
        int rc = step_done(c, st);
        if (rc != STORE_OK)
            return rc;
    }
    b->n = 0;
    return STORE_OK;
}

/* Writes the kept name keys and pairs and empties the arena. */
static int write_texts(store_conn_t *c)
{
    int rc = write_text(c, &c->keys->keys, &Q_TEXT_KEY);
    if (rc == STORE_OK)
        rc = write_text(c, &c->keys->pairs, &Q_TEXT_PAIR);
    c->keys->alen = 0;
    return rc;
}

static int trow_add(tbuf_t *b, uint32_t k1, uint32_t k2, int64_t pk)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        trow_t *p = realloc(b->p, cap * sizeof *p);
        if (!p)
            return -1;
        b->p = p, b->cap = cap;
    }
    b->p[b->n++] = (trow_t){k1, k2, pk};
    return 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int store_keys_batch_names(store_conn_t *c, int64_t pk, const char **keys, int n)
{
    struct store_key_batch *k = c->keys;
    if (!k)
        return 0;
    if (n > 1)
        qsort(keys, (size_t)n, sizeof *keys, by_str);
    int m = 0; /* distinct, in order */
    for (int i = 0; i < n; i++)
        if (!m || strcmp(keys[m - 1], keys[i]))
            keys[m++] = keys[i];
    size_t need = 0;
    for (int i = 0; i < m; i++)
        need += strlen(keys[i]) + 1;
    size_t pairs = (size_t)m * (size_t)(m > 0 ? m - 1 : 0) / 2;
    if (k->alen + need > TEXT_ARENA_MAX || k->keys.n + (size_t)m > TEXT_ROWS_MAX ||
        k->pairs.n + pairs > TEXT_ROWS_MAX) {
        int rc = write_texts(c);
        if (rc != STORE_OK)
            return rc < 0 ? rc : -1;
    }
    if (k->alen + need > k->acap) {
        size_t cap = k->acap ? k->acap : 1u << 16;
        while (cap < k->alen + need)
            cap *= 2;
        char *a = realloc(k->arena, cap);
        if (!a)
            return -1;
        k->arena = a, k->acap = cap;
    }
    uint32_t off[2 * (2 * AWDA_SEARCH_MAX_TERMS + 8)];
    if (m > (int)(sizeof off / sizeof off[0]))
        return -1;
    for (int i = 0; i < m; i++) {
        size_t len = strlen(keys[i]) + 1;
        off[i] = (uint32_t)k->alen;
        memcpy(k->arena + k->alen, keys[i], len);
        k->alen += len;
        if (trow_add(&k->keys, off[i], NO_TEXT, pk) < 0)
            return -1;
    }
    for (int i = 0; i < m; i++)
        for (int j = i + 1; j < m; j++)
            if (trow_add(&k->pairs, off[i], off[j], pk) < 0)
                return -1;
    return 1;
}

int store_keys_batch_begin(store_conn_t *c)
{
    if (c->keys)
        return STORE_OK;
    c->keys = calloc(1, sizeof *c->keys);
    return c->keys ? STORE_OK : STORE_ERR;
}

static void batch_free(store_conn_t *c)
{
    for (int t = 0; t < STORE_KEYS_TABLES; t++)
        free(c->keys->t[t].p);
    free(c->keys->keys.p);
    free(c->keys->pairs.p);
    free(c->keys->arena);
    free(c->keys);
    c->keys = NULL;
}

int store_keys_batch_end(store_conn_t *c, int write)
{
    if (!c->keys)
        return STORE_OK;
    int rc = STORE_OK;
    for (int t = 0; write && rc == STORE_OK && t < STORE_KEYS_TABLES; t++)
        rc = write_table(c, t);
    if (write && rc == STORE_OK)
        rc = write_texts(c);
    batch_free(c);
    return rc;
}

int store_keys_batch_add(store_conn_t *c, int table, int64_t key, int64_t pk)
{
    if (!c->keys)
        return 0;
    kbuf_t *b = &c->keys->t[table];
    if (b->n == b->cap) {
        if (b->cap >= KEY_BATCH_MAX) {
            int rc = write_table(c, table);
            if (rc != STORE_OK)
                return rc < 0 ? rc : -1;
        } else {
            size_t cap = b->cap ? b->cap * 2 : 4096;
            kpair_t *p = realloc(b->p, cap * sizeof *p);
            if (!p)
                return -1;
            b->p = p, b->cap = cap;
        }
    }
    b->p[b->n++] = (kpair_t){key, pk};
    return 1;
}
