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
 * Only inserts of new persons go through it (store_dup_keys_write and
 * store_person_search_keys_write with is_new); nothing in the job reads
 * the key tables after them, and the rows are the same as one by one.
 */
#include "internal.h"
#include <stdlib.h>
#include <string.h>

#define KEY_BATCH_MAX (1u << 22) /* pairs per table kept at most (64 MiB) */

typedef struct {
    int64_t key, pk;
} kpair_t;

typedef struct {
    kpair_t *p;
    size_t n, cap;
} kbuf_t;

struct store_key_batch {
    kbuf_t t[STORE_KEYS_TABLES];
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
