/*
 * idempotency.c — the responses kept for Idempotency-Key retries.
 *
 * A create sent with an Idempotency-Key stores, in the same transaction,
 * the hash of the request and the response (status, body, Location) under
 * (user, key); a retry with the same key gets the stored response back
 * (app/app.c decides). A body may hold sealed detail, so it is stored
 * sealed ("idempotency|<user_pk>|<key>") when the store has keys; a
 * stored body that cannot be opened is an error, never an empty answer.
 * Old entries are purged (store_idem_purge).
 */
#include "internal.h"
#include "../util/seal.h"

static store_stmt_t Q_IDEM_GET = {
    .sql = "SELECT request_hash,status,body,location FROM idempotency WHERE "
           "user_pk=? AND key=?"};

int store_idem_get(store_conn_t *c, int64_t user_pk, const char *key, store_idem_t *out)
{
    sqlite3_stmt *st = stmt(c, &Q_IDEM_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    bind_text_or_null(st, 2, key);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    snprintf(out->request_hash, sizeof out->request_hash, "%s",
             (const char *)sqlite3_column_text(st, 0));
    out->status = sqlite3_column_int(st, 1);
    const char *body = (const char *)sqlite3_column_text(st, 2);
    if (awda_is_sealed(body)) {
        char ad[200];
        snprintf(ad, sizeof ad, "idempotency|%lld|%s", (long long)user_pk, key);
        out->body = c->s->has_keys ? awda_unseal(&c->s->keys, body, ad) : NULL;
        if (!out->body) /* sealed under another key, or altered: not replayed */
            return done(st, STORE_ERR);
    } else if (!(out->body = awda_strdup(body))) {
        return done(st, STORE_ERR);
    }
    out->location = sqlite3_column_type(st, 3) == SQLITE_NULL
                        ? NULL
                        : awda_strdup((const char *)sqlite3_column_text(st, 3));
    return done(st, STORE_OK);
}

static store_stmt_t Q_IDEM_PUT = {
    .sql = "INSERT INTO idempotency(user_pk,key,request_hash,status,body,"
           "location,created_at) VALUES(?,?,?,?,?,?,?)"};

int store_idem_put(store_conn_t *c, int64_t user_pk, const char *key, const store_idem_t *rec)
{
    sqlite3_stmt *st = stmt(c, &Q_IDEM_PUT);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, user_pk);
    bind_text_or_null(st, 2, key);
    bind_text_or_null(st, 3, rec->request_hash);
    sqlite3_bind_int(st, 4, rec->status);
    /* A replayed response may hold sealed detail: it is stored sealed. */
    char *sealed = NULL;
    if (c->s->has_keys) {
        char ad[200];
        snprintf(ad, sizeof ad, "idempotency|%lld|%s", (long long)user_pk, key);
        sealed = awda_seal(&c->s->keys, rec->body, strlen(rec->body), ad);
        if (!sealed)
            return done(st, STORE_ERR);
    }
    bind_text_or_null(st, 5, sealed ? sealed : rec->body);
    free(sealed);
    bind_text_or_null(st, 6, rec->location);
    sqlite3_bind_int64(st, 7, awda_now_ms());
    return step_done(c, st);
}

static store_stmt_t Q_IDEM_PURGE = {.sql = "DELETE FROM idempotency WHERE created_at<?"};

int store_idem_purge(store_conn_t *c, int64_t before_ms)
{
    sqlite3_stmt *st = stmt(c, &Q_IDEM_PURGE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, before_ms);
    return step_done(c, st);
}

void store_idem_free(store_idem_t *r)
{
    free(r->body);
    free(r->location);
    r->body = r->location = NULL;
}
