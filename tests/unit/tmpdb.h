/*
 * tmpdb.h — a temporary database for the unit tests of the store and the
 * application layer.
 *
 * Header-only on purpose: the Makefile links every tests/unit/test_*.c,
 * one file per program, with the library objects, so support code that
 * is not a test lives in a header the tests include.
 *
 * tmpdb_setup, a cmocka setup, makes a fresh directory with mkdtemp under
 * $TMPDIR (or /tmp), opens a store on awda.db inside it, gives the store a
 * keyring of one new random key (as awda's key file would; sealed values
 * cannot be written without one) and runs every migration. tmpdb_teardown
 * closes the store and removes the database, its -wal and -shm files, the
 * audit log's file (-audit) with its own, and the directory. Each test gets its own directory, so
 * test programs may run side by side. The state cmocka passes between them is a tmpdb_t.
 *
 * Writes go through store_write, as in the application layer: a test
 * writes a store_job_fn and tmpdb_write runs it on the writer connection.
 * Reads use the calling thread's connection (store_reader). tmpdb_raw
 * opens a plain SQLite connection on the same file (the audit log's file
 * attached) for what a test must do behind the store's back: read a
 * column as it is stored, alter a row.
 * tmpdb_office and tmpdb_user seed an office and a user (any password
 * hash: these tests never sign in with a password); tmpdb_principal reads
 * a user back as the store hands it to the application layer;
 * tmpdb_household registers a case with its members through the store
 * (tmpdb_person_json and tmpdb_case_json give valid entity JSON).
 *
 * Everything aborts the test (cmocka fail_msg) on failure; JSON returned
 * by tmpdb_json belongs to the caller.
 */
#ifndef AWDA_TESTS_TMPDB_H
#define AWDA_TESTS_TMPDB_H
#include "../../src/store/store.h"
#include "../../src/util/log.h"
#include "../../src/util/seal.h"
#include <jansson.h>
#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char dir[PATH_MAX];
    char path[PATH_MAX];
    store_t *store;
    awda_keyring_t keys; /* the keys the store seals with */
} tmpdb_t;

/* Parses JSON text written in a test; the caller owns the result. */
static inline json_t *tmpdb_json(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v)
        fail_msg("bad test JSON: %s (line %d): %s", err.text, err.line, text);
    return v;
}

static inline tmpdb_t *tmpdb_open(void)
{
    if (sodium_init() < 0)
        fail_msg("libsodium cannot be initialised");
    awda_log_level(LOG_WARN); /* the store's info lines would hide cmocka's */
    tmpdb_t *t = calloc(1, sizeof *t);
    assert_non_null(t);
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int n = snprintf(t->dir, sizeof t->dir, "%s/awda-unit-XXXXXX", base);
    assert_true(n > 0 && (size_t)n < sizeof t->dir);
    if (!mkdtemp(t->dir))
        fail_msg("mkdtemp %s failed", t->dir);
    n = snprintf(t->path, sizeof t->path, "%s/awda.db", t->dir);
    assert_true(n > 0 && (size_t)n < sizeof t->path);
    assert_int_equal(store_open(t->path, &t->store), STORE_OK);
    assert_int_equal(awda_keyring_add(&t->keys), 0);
    store_set_keyring(t->store, &t->keys);
    int applied = 0;
    assert_int_equal(store_migrate(t->store, &applied), STORE_OK);
    assert_int_equal(applied, store_schema_latest());
    return t;
}

static inline void tmpdb_close(tmpdb_t *t)
{
    if (!t)
        return;
    store_close(t->store);
    static const char *const suffix[] = {"",       "-wal",       "-shm",      "-journal",
                                         "-audit", "-audit-wal", "-audit-shm"};
    for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
        char p[PATH_MAX + 16];
        snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
        unlink(p);
    }
    if (rmdir(t->dir) != 0)
        fprintf(stderr, "tmpdb: %s was left behind\n", t->dir);
    awda_keyring_wipe(&t->keys);
    free(t);
}

static inline int tmpdb_setup(void **state)
{
    *state = tmpdb_open();
    return 0;
}

static inline int tmpdb_teardown(void **state)
{
    tmpdb_close(*state);
    *state = NULL;
    return 0;
}

/* The calling thread's read connection. */
static inline store_conn_t *tmpdb_reader(tmpdb_t *t)
{
    store_conn_t *c = store_reader(t->store);
    assert_non_null(c);
    return c;
}

/* Runs fn(c, ctx) as one writer job; its result. */
static inline int tmpdb_write(tmpdb_t *t, store_job_fn fn, void *ctx)
{
    return store_write(t->store, fn, ctx);
}

static inline int tmpdb_noop_job(store_conn_t *c, void *ctx)
{
    (void)c;
    (void)ctx;
    return STORE_OK;
}

/* Waits until what was queued without waiting (store_audit,
 * store_session_touch) is written: the writer takes jobs in order, so
 * once a job queued after them is durable, so are they. */
static inline void tmpdb_flush(tmpdb_t *t)
{
    assert_int_equal(tmpdb_write(t, tmpdb_noop_job, NULL), STORE_OK);
}

/* A plain SQLite connection on the database, with the audit log's file
 * attached as alog as the store does (the table audit is found there);
 * the caller closes it. */
static inline sqlite3 *tmpdb_raw(tmpdb_t *t)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(t->path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("cannot open %s: %s", t->path, db ? sqlite3_errmsg(db) : "no memory");
    sqlite3_busy_timeout(db, 5000);
    char sql[PATH_MAX + 64];
    char *q = sqlite3_mprintf("%q", t->path);
    snprintf(sql, sizeof sql, "ATTACH DATABASE '%s-audit' AS alog", q);
    sqlite3_free(q);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("cannot attach the audit log of %s: %s", t->path, sqlite3_errmsg(db));
    return db;
}

/* Runs sql on a plain connection; SQLite's result code. */
static inline int tmpdb_exec(tmpdb_t *t, const char *sql)
{
    sqlite3 *db = tmpdb_raw(t);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The first column of the first row of sql as text into out ("" when
 * there is no row or it is NULL). */
static inline void tmpdb_text(tmpdb_t *t, const char *sql, char *out, size_t cap)
{
    sqlite3 *db = tmpdb_raw(t);
    sqlite3_stmt *st = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The first column of the first row of sql as an integer (0: no row). */
static inline long long tmpdb_int(tmpdb_t *t, const char *sql)
{
    char v[32];
    tmpdb_text(t, sql, v, sizeof v);
    return strtoll(v, NULL, 10);
}

/* ---- seeds ---- */

typedef struct {
    json_t *obj;
    const char *pwhash;
    int rc;
} tmpdb_seed_t;

static inline int tmpdb_office_job(store_conn_t *c, void *ctx)
{
    tmpdb_seed_t *s = ctx;
    return s->rc = store_office_insert(c, s->obj);
}

static inline int tmpdb_user_job(store_conn_t *c, void *ctx)
{
    tmpdb_seed_t *s = ctx;
    return s->rc = store_user_insert(c, s->obj, s->pwhash);
}

/* Adds office code (e.g. "EG-CAI") in country (ISO 3166 alpha-3); its pk. */
static inline int64_t tmpdb_office(tmpdb_t *t, const char *code, const char *country)
{
    tmpdb_seed_t s = {json_pack("{s:s,s:s,s:s,s:s}", "code", code, "name", code, "country", country,
                                "location", code),
                      NULL, 0};
    int rc = tmpdb_write(t, tmpdb_office_job, &s);
    json_decref(s.obj);
    assert_int_equal(rc, STORE_OK);
    int64_t pk = store_office_pk(tmpdb_reader(t), code);
    assert_true(pk > 0);
    return pk;
}

/* Adds a user with roles and offices given as JSON arrays of names
 * ("[\"registration\"]", "[\"EG-CAI\"]"); its pk. */
static inline int64_t tmpdb_user(tmpdb_t *t, const char *username, const char *roles,
                                 const char *offices)
{
    json_t *u =
        json_pack("{s:s,s:s,s:o,s:o,s:b}", "username", username, "full_name", username, "roles",
                  tmpdb_json(roles), "offices", tmpdb_json(offices), "disabled", 0);
    tmpdb_seed_t s = {u, "$argon2id$v=19$m=65536,t=2,p=1$not-a-real-hash", 0};
    int rc = tmpdb_write(t, tmpdb_user_job, &s);
    json_decref(u);
    assert_int_equal(rc, STORE_OK);
    int64_t pk = store_user_pk(tmpdb_reader(t), username);
    assert_true(pk > 0);
    return pk;
}

/* The user as the store hands it to the application layer at sign-in. */
static inline void tmpdb_principal(tmpdb_t *t, const char *username, store_principal_t *p)
{
    char hash[256];
    memset(p, 0, sizeof *p);
    assert_int_equal(store_user_auth(tmpdb_reader(t), username, p, hash, sizeof hash), STORE_OK);
}

/* A person as the field table of persons validates it (caller owns). */
static inline json_t *tmpdb_person_json(const char *name, const char *name_latin)
{
    json_t *p = tmpdb_json("{\"sex\":\"male\",\"date_of_birth\":\"1990-05-01\","
                           "\"dob_precision\":\"exact\",\"nationality\":\"SDN\","
                           "\"languages\":[\"ar\",\"en\"],\"documents\":[{\"type\":\"passport\","
                           "\"number\":\"P1234567\",\"issuing_country\":\"SDN\","
                           "\"expiry\":\"2030-01-01\"}],\"contact\":{\"phone\":\"+249912345678\","
                           "\"email\":null,\"address\":null},\"vulnerabilities\":[]}");
    json_object_set_new(p, "name", json_string(name));
    json_object_set_new(p, "name_latin", name_latin ? json_string(name_latin) : json_null());
    return p;
}

/* A case's own fields (no members, no office) as validated (caller owns). */
static inline json_t *tmpdb_case_json(void)
{
    return tmpdb_json("{\"origin_country\":\"SDN\",\"destination_country\":\"SDN\","
                      "\"destination_admin_area\":\"Khartoum\",\"destination_pcode\":\"SD01\","
                      "\"project\":null,\"planned_departure\":null,\"notes\":\"registered\"}");
}

#define TMPDB_MAX_MEMBERS 8

typedef struct {
    const char *office;
    int64_t office_pk;
    const char *const *names;
    int n;
    char id[37];
    char number[40];
    int64_t pk;
    int64_t person_pk[TMPDB_MAX_MEMBERS];
    char person_id[TMPDB_MAX_MEMBERS][37];
} tmpdb_household_t;

static inline int tmpdb_household_job(store_conn_t *c, void *ctx)
{
    tmpdb_household_t *h = ctx;
    int rc = store_case_number(c, h->office_pk, h->office, 2026, h->number);
    json_t *caze = tmpdb_case_json();
    if (rc == STORE_OK)
        rc = store_case_insert(c, caze, h->number, h->office_pk, 0, 0, h->id, &h->pk);
    json_decref(caze);
    for (int i = 0; rc == STORE_OK && i < h->n; i++) {
        json_t *p = tmpdb_person_json(h->names[i], NULL);
        rc = store_person_insert(c, p, h->person_id[i], &h->person_pk[i]);
        json_decref(p);
        if (rc == STORE_OK)
            rc = store_case_member_add(c, h->pk, h->person_pk[i], i ? "child" : "principal", i);
    }
    return rc;
}

/* Registers a case of office (which exists) with one member per name (the
 * first the principal, the others children), in one writer job, as the
 * application layer does; fills h and returns the case's pk. */
static inline int64_t tmpdb_household(tmpdb_t *t, const char *office, const char *const *names,
                                      int n, tmpdb_household_t *h)
{
    assert_true(n >= 1 && n <= TMPDB_MAX_MEMBERS);
    memset(h, 0, sizeof *h);
    h->office = office;
    h->office_pk = store_office_pk(tmpdb_reader(t), office);
    assert_true(h->office_pk > 0);
    h->names = names;
    h->n = n;
    assert_int_equal(tmpdb_write(t, tmpdb_household_job, h), STORE_OK);
    return h->pk;
}

#endif
