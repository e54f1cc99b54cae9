/*
 * person_search_keys.c — the keys of the search that finds people
 * (person_search.c): made from a person's names and phone, written with
 * the person, and made for every person already stored by migrations 20
 * and 26 (store_search_keys_fill).
 *
 * The keys (migration_020.sql, person_search_keys): for every word of a
 * person's name and Latin name (text/namekey.c), the 64-bit hash of
 *   'L' its lower-case Latin form (the same word),
 *   'S' its consonant skeleton across scripts (the article in every
 *       written form, ة/ه, the alif and hamza forms, ى/ي, ou/u, ... fold),
 *   'D' each skeleton one letter shorter (symmetric deletes),
 * and 'P' the last AWDA_PHONE_TAIL_MIN digits of the contact phone. About
 * fifteen to twenty-five rows a person; written beside the name keys
 * (persons.c), removed with them (retention.c).
 */
#include "internal.h"
#include "../text/namekey.h"
#include <stdlib.h>
#include <string.h>

int64_t store_search_key_of(char kind, const char *s)
{
    const char *parts[1] = {s};
    return awda_namekey_hash(kind, parts, 1);
}

static int add_key(int64_t *keys, int n, int64_t k)
{
    if (n < AWDA_SEARCH_KEYS_MAX)
        keys[n++] = k;
    return n;
}

/* The digits of s (at most cap - 1) into out; how many. */
int store_digits_of(const char *s, char *out, int cap)
{
    int n = 0;
    for (; s && *s && n + 1 < cap; s++)
        if (*s >= '0' && *s <= '9')
            out[n++] = *s;
    out[n] = '\0';
    return n;
}

static int name_keys(const char *name, int64_t *keys, int n)
{
    awda_namekey_t k;
    if (!name || awda_namekey(name, strlen(name), &k) <= 0)
        return n;
    for (int i = 0; i < k.n; i++) {
        const awda_nameword_t *w = &k.w[i];
        if (w->latin[0])
            n = add_key(keys, n, store_search_key_of('L', w->latin));
        if (!w->skel[0])
            continue;
        n = add_key(keys, n, store_search_key_of('S', w->skel));
        char del[AWDA_NAMEKEY_MAX_DELETES][AWDA_NAMEKEY_SKEL_MAX];
        int nd = awda_namekey_deletes(w->skel, del, AWDA_NAMEKEY_MAX_DELETES);
        for (int d = 0; d < nd; d++)
            n = add_key(keys, n, store_search_key_of('D', del[d]));
    }
    return n;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int store_search_keys_make(const char *name, const char *latin, const char *phone,
                           int64_t keys[AWDA_SEARCH_KEYS_MAX])
{
    int n = name_keys(name, keys, 0);
    n = name_keys(latin, keys, n);
    char d[64];
    int nd = store_digits_of(phone, d, sizeof d);
    if (nd >= AWDA_PHONE_TAIL_MIN)
        n = add_key(keys, n, store_search_key_of('P', d + nd - AWDA_PHONE_TAIL_MIN));
    qsort(keys, (size_t)n, sizeof *keys, cmp_i64);
    int u = 0;
    for (int i = 0; i < n; i++)
        if (u == 0 || keys[u - 1] != keys[i])
            keys[u++] = keys[i];
    return u;
}

static const char *phone_of(const json_t *p)
{
    return jstr(json_object_get(p, "contact"), "phone");
}

static store_stmt_t Q_SKEYS_CLEAR = {.sql = "DELETE FROM person_search_keys WHERE person_pk=?"};
static store_stmt_t Q_SKEY_INSERT = {
    .sql = "INSERT OR IGNORE INTO person_search_keys(key,person_pk) VALUES(?,?)"};

int store_person_search_keys_write(store_conn_t *c, int64_t pk, const json_t *p, int is_new,
                                   const int64_t *made, int nmade)
{
    sqlite3_stmt *st;
    int rc;
    if (!is_new) {
        if (!(st = stmt(c, &Q_SKEYS_CLEAR)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    int64_t own[AWDA_SEARCH_KEYS_MAX];
    const int64_t *keys = made;
    int n = nmade;
    if (!keys) {
        n = store_search_keys_make(jstr(p, "name"), jstr(p, "name_latin"), phone_of(p), own);
        keys = own;
    }
    for (int i = 0; i < n; i++) {
        int kept = is_new ? store_keys_batch_add(c, STORE_KEYS_SEARCH, keys[i], pk) : 0;
        if (kept < 0)
            return STORE_ERR;
        if (kept)
            continue;
        if (!(st = stmt(c, &Q_SKEY_INSERT)))
            return STORE_ERR;
        sqlite3_bind_int64(st, 1, keys[i]);
        sqlite3_bind_int64(st, 2, pk);
        if ((rc = step_done(c, st)))
            return rc;
    }
    return STORE_OK;
}

int store_search_keys_fill(store_t *s, sqlite3 *db)
{
    (void)s;
    sqlite3_stmt *sel = NULL, *ins = NULL;
    int rc = STORE_ERR;
    long persons = 0, rows = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT pk,name,name_latin,json_extract(contact,'$.phone') FROM "
                           "persons WHERE anonymised_at IS NULL ORDER BY pk",
                           -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT OR IGNORE INTO person_search_keys(key,person_pk) "
                           "VALUES(?,?)",
                           -1, &ins, NULL) != SQLITE_OK)
        goto out;
    int step;
    while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
        int64_t keys[AWDA_SEARCH_KEYS_MAX];
        int64_t pk = sqlite3_column_int64(sel, 0);
        int n = store_search_keys_make((const char *)sqlite3_column_text(sel, 1),
                                       (const char *)sqlite3_column_text(sel, 2),
                                       (const char *)sqlite3_column_text(sel, 3), keys);
        for (int i = 0; i < n; i++) {
            sqlite3_bind_int64(ins, 1, keys[i]);
            sqlite3_bind_int64(ins, 2, pk);
            if (sqlite3_step(ins) != SQLITE_DONE)
                goto out;
            sqlite3_reset(ins);
        }
        persons++;
        rows += n;
    }
    if (step == SQLITE_DONE)
        rc = STORE_OK;
out:
    if (rc != STORE_OK)
        awda_log(LOG_ERROR, "migrate_search_keys", "\"error\":\"%s\"", sqlite3_errmsg(db));
    else
        awda_log(LOG_INFO, "migrate_search_keys", "\"persons\":%ld,\"rows\":%ld", persons, rows);
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    return rc;
}
