/*
 * dup_snapshot.c — the duplicates module's data read whole, for flagging
 * many persons at once in memory (app/dup_bulk.c; store/duplicates.h says
 * what each function gives): every blocking key with its person, in key
 * order (the clustered order of person_dup_keys, no sort); the compared
 * fields of every person not anonymised, packed in one block of text
 * indexed by pk; the pairs a reviewer decided are not the same person.
 *
 * Sizes are guarded: pks and offsets are 32-bit, so a database with a pk
 * or a text block beyond that answers STORE_ERR and the caller flags
 * person by person instead.
 */
#include "duplicates.h"
#include "internal.h"
#include <stdlib.h>
#include <string.h>

static store_stmt_t Q_KEYS_COUNT = {.sql = "SELECT count(*) FROM person_dup_keys"};
static store_stmt_t Q_KEYS_ALL = {
    .sql = "SELECT key,person_pk FROM person_dup_keys ORDER BY key,person_pk"};

void dup_keyset_free(dup_keyset_t *ks)
{
    free(ks->key);
    free(ks->pk);
    memset(ks, 0, sizeof *ks);
}

int store_dup_keyset_read(store_conn_t *c, dup_keyset_t *ks)
{
    memset(ks, 0, sizeof *ks);
    sqlite3_stmt *st = stmt(c, &Q_KEYS_COUNT);
    if (!st)
        return STORE_ERR;
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st, 0);
    if (n < 0 || n > (long long)UINT32_MAX)
        return STORE_ERR;
    ks->key = malloc(((size_t)n + 1) * sizeof *ks->key);
    ks->pk = malloc(((size_t)n + 1) * sizeof *ks->pk);
    if (!ks->key || !ks->pk || !(st = stmt(c, &Q_KEYS_ALL))) {
        dup_keyset_free(ks);
        return STORE_ERR;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && ks->n < (size_t)n) {
        int64_t pk = sqlite3_column_int64(st, 1);
        if (pk <= 0 || pk > (int64_t)UINT32_MAX) {
            s = SQLITE_ERROR;
            break;
        }
        ks->key[ks->n] = sqlite3_column_int64(st, 0);
        ks->pk[ks->n++] = (uint32_t)pk;
    }
    done(st, 0);
    /* inside one read transaction the count holds; SQLITE_ROW here would
     * mean more rows than counted */
    if (s != SQLITE_DONE) {
        dup_keyset_free(ks);
        return STORE_ERR;
    }
    return STORE_OK;
}

static store_stmt_t Q_MAXPK = {.sql = "SELECT coalesce(max(pk),0) FROM persons"};
static store_stmt_t Q_FIELDS = {
    .sql = "SELECT p.pk,coalesce(p.name,''),coalesce(p.name_latin,''),coalesce(p.sex,''),"
           "coalesce(p.date_of_birth,''),coalesce(p.dob_precision,''),coalesce(p.nationality,''),"
           "coalesce((SELECT group_concat(d.number,char(31)) FROM person_documents d WHERE "
           "d.person_pk=p.pk AND d.number IS NOT NULL),'') FROM persons p WHERE p.anonymised_at "
           "IS NULL"};

void dup_personset_free(dup_personset_t *ps)
{
    free(ps->off);
    free(ps->text);
    memset(ps, 0, sizeof *ps);
}

/* Appends n bytes and a NUL to the text block. */
static int put(dup_personset_t *ps, const unsigned char *s, size_t n)
{
    if (ps->len + n + 1 > ps->cap) {
        size_t cap = ps->cap ? ps->cap : 1u << 20;
        while (ps->len + n + 1 > cap)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        char *t = realloc(ps->text, cap);
        if (!t)
            return -1;
        ps->text = t, ps->cap = cap;
    }
    if (n)
        memcpy(ps->text + ps->len, s, n);
    ps->text[ps->len + n] = '\0';
    ps->len += n + 1;
    return 0;
}

int store_dup_personset_read(store_conn_t *c, dup_personset_t *ps)
{
    memset(ps, 0, sizeof *ps);
    sqlite3_stmt *st = stmt(c, &Q_MAXPK);
    if (!st)
        return STORE_ERR;
    int64_t max = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    done(st, 0);
    if (max < 0 || max >= (int64_t)UINT32_MAX)
        return STORE_ERR;
    ps->max_pk = max;
    ps->off = calloc((size_t)max + 1, sizeof *ps->off);
    if (!ps->off || put(ps, (const unsigned char *)"", 0) != 0 || !(st = stmt(c, &Q_FIELDS))) {
        dup_personset_free(ps);
        return STORE_ERR;
    }
    int s, bad = 0;
    while (!bad && (s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t pk = sqlite3_column_int64(st, 0);
        if (pk <= 0 || pk > max) {
            bad = 1;
            break;
        }
        ps->off[pk] = (uint32_t)ps->len;
        for (int i = 1; i <= DUP_FIELDS && !bad; i++)
            bad = put(ps, sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i)) != 0;
    }
    done(st, 0);
    if (bad || s != SQLITE_DONE) {
        dup_personset_free(ps);
        return STORE_ERR;
    }
    return STORE_OK;
}

int dup_personset_get(const dup_personset_t *ps, int64_t pk, const char *f[DUP_FIELDS])
{
    if (pk <= 0 || pk > ps->max_pk || !ps->off[pk])
        return 0;
    const char *p = ps->text + ps->off[pk];
    for (int i = 0; i < DUP_FIELDS; i++) {
        f[i] = p;
        p += strlen(p) + 1;
    }
    return 1;
}

static store_stmt_t Q_NOT_SAME = {
    .sql = "SELECT person_a,person_b FROM duplicate_pairs WHERE status='not_same' "
           "ORDER BY person_a,person_b"};

int store_dup_not_same_read(store_conn_t *c, int64_t **pairs, size_t *n)
{
    *pairs = NULL;
    *n = 0;
    size_t cap = 0;
    sqlite3_stmt *st = stmt(c, &Q_NOT_SAME);
    if (!st)
        return STORE_ERR;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n + 2 > cap) {
            size_t nc = cap ? cap * 2 : 64;
            int64_t *m = realloc(*pairs, nc * sizeof *m);
            if (!m) {
                s = SQLITE_NOMEM;
                break;
            }
            *pairs = m, cap = nc;
        }
        (*pairs)[(*n)++] = sqlite3_column_int64(st, 0);
        (*pairs)[(*n)++] = sqlite3_column_int64(st, 1);
    }
    done(st, 0);
    if (s != SQLITE_DONE) {
        free(*pairs);
        *pairs = NULL;
        *n = 0;
        return STORE_ERR;
    }
    *n /= 2;
    return STORE_OK;
}
