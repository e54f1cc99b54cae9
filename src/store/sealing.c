/*
 * sealing.c — values sealed at rest: the keyring, sealing and opening
 * record fields and persons' protection concerns, migration 13's step,
 * and re-sealing every value under a new key (key rotation).
 *
 * A sealed value is "sealed:v<key version>:..." (util/seal.c: XChaCha20-
 * Poly1305 with associated data that binds it to its place, e.g.
 * "record|<id>|<field>", so a value copied to another row does not open).
 * Records seal the medical and protection fields of their kind (the
 * needs assessments, monitoring visits and survey responses of
 * reintegration seal theirs in their own store files); a person's
 * protection concerns are sealed padded, so that every person has a
 * sealed value of the same length whether they have concerns or not.
 *
 * SEALED_PLACES lists every place that holds sealed values: re-sealing,
 * the count of values left under an older key and the check that the
 * database needs its key file all walk it, so a new sealed column is one
 * line there.
 */
#include "internal.h"
#include "../core/journey.h"
#include "../util/seal.h"
#include <sodium.h>

void store_set_keyring(store_t *s, const awda_keyring_t *kr)
{
    pthread_mutex_lock(&s->q_lock);
    s->keys = *kr;
    s->has_keys = kr->n > 0;
    pthread_mutex_unlock(&s->q_lock);
}

int store_sealed_class(const awda_field_t *f)
{
    return f->sens == SENS_MEDICAL || f->sens == SENS_PROTECTION;
}

/* A copy of data with the medical and protection fields of its kind
 * sealed (NULL on failure, or when there is no key to seal with). */
json_t *store_seal_record(store_t *s, const char *kind, const char *id, const json_t *data)
{
    const awda_entity_t *e = awda_record_kind(kind, NULL);
    json_t *out = json_deep_copy(data);
    for (size_t i = 0; e && out && i < e->nfields; i++) {
        const awda_field_t *f = &e->fields[i];
        json_t *v = json_object_get(out, f->name);
        if (!store_sealed_class(f) || !json_is_string(v))
            continue;
        if (!s->has_keys) {
            awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
            json_decref(out);
            return NULL;
        }
        char ad[160];
        snprintf(ad, sizeof ad, "record|%s|%s", id, f->name);
        char *sealed = awda_seal(&s->keys, json_string_value(v), json_string_length(v), ad);
        if (!sealed) {
            json_decref(out);
            return NULL;
        }
        json_object_set_new(out, f->name, json_string(sealed));
        free(sealed);
    }
    return out;
}

/* Opens the sealed values of a record's data in place. */
void store_unseal_record(store_t *s, const char *id, json_t *data)
{
    const char *k;
    json_t *v;
    json_object_foreach(data, k, v)
    {
        if (!json_is_string(v) || !awda_is_sealed(json_string_value(v)))
            continue;
        char ad[160];
        snprintf(ad, sizeof ad, "record|%s|%s", id, k);
        char *plain = s->has_keys ? awda_unseal(&s->keys, json_string_value(v), ad) : NULL;
        s->record_unseals++;
        json_object_set_new(data, k, json_string(plain ? plain : "[unreadable]"));
        if (plain) {
            sodium_memzero(plain, strlen(plain));
            free(plain);
        }
    }
}

/* ---- sealed values of persons ---------------------------------------- */

/* A person's sealed value is the JSON text of the field (null when there
 * is none) padded with spaces to a multiple of SEAL_PAD bytes, at least
 * SEAL_PAD_MIN: every person has one and they all look alike, so neither
 * its presence nor its length says who has a protection concern. */
#define SEAL_PAD     64
#define SEAL_PAD_MIN 128

static void person_ad(const char *person_id, const char *field, char *ad, size_t cap)
{
    snprintf(ad, cap, "person|%s|%s", person_id ? person_id : "", field);
}

/* The stored (sealed) text of v for a person's field; malloc'd, NULL on
 * failure or without a key. */
static char *seal_person_value(store_t *s, const char *person_id, const char *field,
                               const json_t *v)
{
    if (!s->has_keys) {
        awda_log(LOG_ERROR, "seal", "\"reason\":\"no key file\"");
        return NULL;
    }
    char *text = v && !json_is_null(v) ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    if (v && !json_is_null(v) && !text) {
        awda_log(LOG_ERROR, "seal", "\"field\":\"%s\",\"reason\":\"not serialisable\"", field);
        return NULL;
    }
    size_t n = text ? strlen(text) : 4;
    size_t padded = n < SEAL_PAD_MIN ? SEAL_PAD_MIN : (n + SEAL_PAD - 1) / SEAL_PAD * SEAL_PAD;
    char *plain = malloc(padded + 1);
    char *out = NULL;
    if (plain) {
        memcpy(plain, text ? text : "null", n);
        memset(plain + n, ' ', padded - n);
        plain[padded] = '\0';
        char ad[160];
        person_ad(person_id, field, ad, sizeof ad);
        out = awda_seal(&s->keys, plain, padded, ad);
        sodium_memzero(plain, padded);
        free(plain);
    }
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    return out;
}

/* Rebinds, sealed, the sealed-class columns of a person that bind_cols
 * bound in clear from parameter idx. */
int store_bind_person_sealed(store_t *s, sqlite3_stmt *st, int idx, const json_t *p,
                             const char *person_id)
{
    for (size_t i = 0; i < AWDA_PERSON.nfields; i++) {
        const awda_field_t *f = &AWDA_PERSON.fields[i];
        if (!is_col(f))
            continue;
        if (store_sealed_class(f)) {
            char *sealed = seal_person_value(s, person_id, f->name, json_object_get(p, f->name));
            if (!sealed)
                return STORE_ERR;
            sqlite3_bind_text(st, idx, sealed, -1, SQLITE_TRANSIENT);
            free(sealed);
        }
        idx++;
    }
    return STORE_OK;
}

/* The opened value of a person's sealed column (new reference): null
 * when the column is empty, "[unreadable]" when it does not open. */
json_t *store_unseal_person_value(store_t *s, const char *person_id, const char *field,
                                  const char *stored)
{
    if (!stored)
        return json_null();
    char ad[160];
    person_ad(person_id, field, ad, sizeof ad);
    s->person_unseals++;
    char *plain = s->has_keys ? awda_unseal(&s->keys, stored, ad) : NULL;
    json_t *v = plain ? json_loads(plain, JSON_DECODE_ANY, NULL) : NULL;
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    if (!v) {
        awda_log(LOG_ERROR, "unseal", "\"person\":\"%s\",\"field\":\"%s\"",
                 person_id ? person_id : "?", field);
        return json_string("[unreadable]");
    }
    return v;
}

static store_stmt_t Q_PERSON_ID = {.sql = "SELECT id FROM persons WHERE pk=?"};

int store_person_id_of(store_conn_t *c, int64_t pk, char *out, size_t cap)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON_ID);
    int rc = STORE_NOTFOUND;
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = STORE_OK;
    }
    return done(st, rc);
}

/* Migration 13's step: the protection concerns of every person move out
 * of `vulnerabilities` into `protection_vulnerabilities`, sealed; every
 * person gets a sealed value (null when none), so the file does not show
 * who has one. Runs in the migration's transaction. */
int store_seal_person_vulnerabilities(store_t *s, sqlite3 *db)
{
    sqlite3_stmt *q = NULL, *u = NULL;
    int rc = STORE_ERR, step;
    long long moved = 0;
    if (sqlite3_prepare_v2(db, "SELECT pk,id,vulnerabilities FROM persons", -1, &q, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "UPDATE persons SET vulnerabilities=?1, protection_vulnerabilities=?2 "
                           "WHERE pk=?3",
                           -1, &u, NULL) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        if (!s->has_keys) { /* a new, empty database needs none */
            awda_log(LOG_ERROR, "migrate",
                     "\"reason\":\"sealing protection concerns needs the key file\"");
            goto out;
        }
        const char *id = (const char *)sqlite3_column_text(q, 1);
        json_t *old = sqlite3_column_type(q, 2) == SQLITE_NULL
                          ? NULL
                          : json_loadb((const char *)sqlite3_column_text(q, 2),
                                       (size_t)sqlite3_column_bytes(q, 2), 0, NULL);
        json_t *keep = json_array(), *prot = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(old, i, v)
        {
            const char *f = json_string_value(v);
            int sensitive = f && awda_value_index(AWDA_PROTECTION_VULNERABILITIES, f) >= 0;
            json_array_append(sensitive ? prot : keep, v);
        }
        moved += (long long)json_array_size(prot);
        char *sealed = seal_person_value(s, id, "protection_vulnerabilities",
                                         json_array_size(prot) ? prot : NULL);
        char *text = json_is_array(old) ? json_dumps(keep, JSON_COMPACT) : NULL;
        if (json_is_array(old) && !text) { /* never store less than was there */
            free(sealed);
            sealed = NULL;
        }
        if (sealed) {
            if (json_is_array(old))
                sqlite3_bind_text(u, 1, text, -1, SQLITE_TRANSIENT);
            else if (old || sqlite3_column_type(q, 2) != SQLITE_NULL)
                sqlite3_bind_text(u, 1, (const char *)sqlite3_column_text(q, 2), -1,
                                  SQLITE_TRANSIENT); /* not a list: left as it was */
            else
                sqlite3_bind_null(u, 1);
            sqlite3_bind_text(u, 2, sealed, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(u, 3, sqlite3_column_int64(q, 0));
        }
        free(text);
        free(sealed);
        json_decref(old);
        json_decref(keep);
        json_decref(prot);
        if (!sealed || sqlite3_step(u) != SQLITE_DONE)
            goto out;
        sqlite3_reset(u);
        sqlite3_clear_bindings(u);
    }
    rc = step == SQLITE_DONE ? STORE_OK : STORE_ERR;
    awda_log(LOG_INFO, "migrate", "\"sealed_protection_concerns\":%lld", moved);
out:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    return rc;
}

/* ---- every sealed value, for rotation -------------------------------------- */

/* Every place that holds sealed values. Re-sealing under a new key, the
 * count of values left under an older key, and the check that the
 * database needs its key file all walk this one list: a new sealed column
 * is one line here. `ad` is the SQL that gives a row's associated data
 * (for a JSON column, its prefix: the member's name follows); `keys` the
 * columns that find the row again, bound as ?2 (and ?3) in `where`. */
static const struct {
    const char *table, *column, *ad, *keys, *where;
    int json; /* a JSON object whose members may each be sealed */
} SEALED_PLACES[] = {
    {"case_records", "data", "'record|'||id||'|'", "pk,NULL", "pk=?2", 1},
    {"persons", "protection_vulnerabilities", "'person|'||id||'|protection_vulnerabilities'",
     "pk,NULL", "pk=?2", 0},
    {"users", "totp_secret", "'user|'||pk||'|totp_secret'", "pk,NULL", "pk=?2", 0},
    {"idempotency", "body", "'idempotency|'||user_pk||'|'||key", "user_pk,key",
     "user_pk=?2 AND key=?3", 0},
    /* reintegration plans: the needs assessment's medical detail */
    {"needs_assessments", "health_needs", "'needs|'||id||'|health_needs'", "pk,NULL", "pk=?2", 0},
    {"needs_assessments", "psychosocial_needs", "'needs|'||id||'|psychosocial_needs'", "pk,NULL",
     "pk=?2", 0},
    /* follow-up: a visit's findings, a survey response's raw answers */
    {"monitoring_visits", "findings", "'visit|'||id||'|findings'", "pk,NULL", "pk=?2", 0},
    {"survey_responses", "answers", "'survey|'||id||'|answers'", "pk,NULL", "pk=?2", 0},
};
#define NSEALED_PLACES (sizeof SEALED_PLACES / sizeof SEALED_PLACES[0])

typedef struct {
    const awda_keyring_t *old;
    long long values;
} reseal_ctx_t;

/* Opens *text (a sealed value) with x->old and seals it again under the
 * newest key of the store; 0 when done, -1 when it does not open. */
static int reseal_one(store_t *s, reseal_ctx_t *x, const char *text, const char *ad, char **again)
{
    char *plain = awda_unseal(x->old, text, ad);
    *again = plain ? awda_seal(&s->keys, plain, strlen(plain), ad) : NULL;
    if (plain) {
        sodium_memzero(plain, strlen(plain));
        free(plain);
    }
    if (!*again)
        return -1;
    x->values++;
    return 0;
}

/* Re-seals the values of one place; STORE_OK or STORE_ERR (logged with
 * the place and the row). */
static int reseal_place(store_conn_t *c, reseal_ctx_t *x, size_t p)
{
    char sql[512], upd[256];
    sqlite3_stmt *q = NULL, *u = NULL;
    int rc = STORE_ERR, step;
    snprintf(sql, sizeof sql, "SELECT %s,%s,%s FROM %s WHERE %s LIKE '%s'", SEALED_PLACES[p].ad,
             SEALED_PLACES[p].column, SEALED_PLACES[p].keys, SEALED_PLACES[p].table,
             SEALED_PLACES[p].column, SEALED_PLACES[p].json ? "%\"sealed:v%" : "sealed:v%");
    snprintf(upd, sizeof upd, "UPDATE %s SET %s=?1 WHERE %s", SEALED_PLACES[p].table,
             SEALED_PLACES[p].column, SEALED_PLACES[p].where);
    if (sqlite3_prepare_v2(c->db, sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, upd, -1, &u, NULL) != SQLITE_OK)
        goto out;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *ad = (const char *)sqlite3_column_text(q, 0);
        const char *text = (const char *)sqlite3_column_text(q, 1);
        char *again = NULL;
        int bad = 0;
        if (SEALED_PLACES[p].json) {
            json_t *data = json_loadb(text, (size_t)sqlite3_column_bytes(q, 1), 0, NULL);
            const char *k;
            json_t *v;
            bad = !data;
            json_object_foreach(data, k, v)
            {
                if (bad || !json_is_string(v) || !awda_is_sealed(json_string_value(v)))
                    continue;
                char full[200], *one = NULL;
                snprintf(full, sizeof full, "%s%s", ad, k);
                if (reseal_one(c->s, x, json_string_value(v), full, &one) != 0)
                    bad = 1;
                else
                    json_object_set_new(data, k, json_string(one));
                free(one);
            }
            again = bad ? NULL : json_dumps(data, JSON_COMPACT);
            json_decref(data);
        } else if (reseal_one(c->s, x, text, ad, &again) != 0) {
            bad = 1;
        }
        if (bad || !again) {
            awda_log(LOG_ERROR, "reseal", "\"place\":\"%s.%s\",\"row\":\"%s\"",
                     SEALED_PLACES[p].table, SEALED_PLACES[p].column, ad ? ad : "?");
            free(again);
            goto out;
        }
        sqlite3_bind_text(u, 1, again, -1, SQLITE_TRANSIENT);
        free(again);
        sqlite3_bind_value(u, 2, sqlite3_column_value(q, 2));
        sqlite3_bind_value(u, 3, sqlite3_column_value(q, 3));
        if (sqlite3_step(u) != SQLITE_DONE)
            goto out;
        sqlite3_reset(u);
    }
    rc = step == SQLITE_DONE ? STORE_OK : STORE_ERR;
out:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    return rc;
}

/* Re-seals every sealed value under the newest key (a writer job: one
 * transaction, all or nothing). */
static int reseal_job(store_conn_t *c, void *p)
{
    for (size_t i = 0; i < NSEALED_PLACES; i++)
        if (reseal_place(c, p, i) != STORE_OK)
            return STORE_ERR;
    return STORE_OK;
}

/* Counts the values of place p sealed under another key than version
 * (every version when version < 0), up to limit. A place whose table or
 * column does not exist yet (an older schema) counts 0. */
static long long sealed_count(store_conn_t *c, size_t p, int version, long long limit)
{
    char sql[512], pattern[32];
    snprintf(pattern, sizeof pattern, "sealed:v%d:%%", version);
    /* Any value anywhere in a JSON column, nested or not: json_tree. */
    if (SEALED_PLACES[p].json)
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM (SELECT 1 FROM %s, json_tree(%s.%s) t WHERE %s.%s LIKE "
                 "'%%\"sealed:v%%' AND t.type='text' AND t.atom LIKE 'sealed:v%%' AND t.atom "
                 "NOT LIKE ?1 LIMIT ?2)",
                 SEALED_PLACES[p].table, SEALED_PLACES[p].table, SEALED_PLACES[p].column,
                 SEALED_PLACES[p].table, SEALED_PLACES[p].column);
    else
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIKE 'sealed:v%%' AND %s NOT "
                 "LIKE ?1 LIMIT ?2)",
                 SEALED_PLACES[p].table, SEALED_PLACES[p].column, SEALED_PLACES[p].column);
    sqlite3_stmt *st = NULL;
    long long n = 0;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, version < 0 ? "" : pattern, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 2, limit);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

int store_sealed_exist(store_conn_t *c)
{
    for (size_t i = 0; i < NSEALED_PLACES; i++)
        if (sealed_count(c, i, -1, 1) > 0)
            return 1;
    return 0;
}

long long store_sealed_remaining(store_conn_t *c, int version, char *where, size_t cap)
{
    long long total = 0;
    if (cap)
        where[0] = '\0';
    for (size_t i = 0; i < NSEALED_PLACES; i++) {
        long long n = sealed_count(c, i, version, INT64_MAX);
        if (n > 0 && cap && !where[0])
            snprintf(where, cap, "%s.%s", SEALED_PLACES[i].table, SEALED_PLACES[i].column);
        total += n;
    }
    return total;
}

int store_reseal(store_t *s, const awda_keyring_t *old, long long *values)
{
    reseal_ctx_t x = {old, 0};
    int rc = store_write(s, reseal_job, &x);
    *values = x.values;
    return rc;
}
