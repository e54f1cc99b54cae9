/*
 * test_store_person_search.c — the name search answers as it did before
 * the pairs of name keys (migration 15) drove it.
 *
 * The oracle is the search as it was: the rarest key (counted up to 5,000
 * matches; at equal counts a key begun by another, whose range is within
 * the other's) drives one range scan of person_name_keys — or, when another
 * key can be its pair (neither begins the other), the one of the two
 * sorting first (a pair is kept smaller key first, migration 25) — every
 * other key is a correlated EXISTS, the scope an EXISTS on the cases. It runs here on a
 * plain connection, and every answer of store_person_search must hold the
 * same persons in the same order, for one-, two- and three-word queries in
 * Latin and Arabic script, with limits that cut the answer, within an
 * office and everywhere. The database holds 9,000 persons whose names
 * mix a few common words, so that "Tesfaye" and "Habtom" are each in more
 * than 5,000 keys yet never in the same person: the two-common-word query
 * with no answer.
 *
 * Also: an update and an anonymisation leave no pair behind that the keys
 * do not hold (the pairs are exactly the pairs of two different keys of
 * the same person, each once, smaller key first: migration 25).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/text/norm.h"
#include "tmpdb.h"

#define N_PERSONS 9000
#define PROBE     5000

/* Latin and Arabic forms of the same words. */
static const char *const LAT[] = {"Tesfaye", "Habtom", "Mohamed", "Fatima",  "Abebe",    "Ahmed",
                                  "Ali",     "Musa",   "Hassan",  "Berhane", "Abdallah", "Osman"};
static const char *const ARA[] = {"تسفاي", "حبتوم", "محمد", "فاطمة", "أبيبي",    "أحمد",
                                  "علي",   "موسى",  "حسن",  "برهان", "عبد الله", "عثمان"};
#define NW ((int)(sizeof LAT / sizeof LAT[0]))

static uint32_t rng = 12345;
static int pick(int n)
{
    rng = rng * 1103515245u + 12345u;
    return (int)((rng >> 8) % (uint32_t)n);
}

/* The words of person i: "Tesfaye ..." a third of the time, "... Habtom"
 * in most of the others, never both. */
static int person_words(int i, int w[3])
{
    (void)i;
    int n = 2 + pick(2);
    if (pick(3) == 0) {
        w[0] = 0;
        for (int k = 1; k < n; k++)
            do
                w[k] = 2 + pick(NW - 2);
            while (w[k] == w[k - 1]);
    } else {
        for (int k = 0; k < n; k++)
            do
                w[k] = 2 + pick(NW - 2);
            while (k && w[k] == w[k - 1]);
        if (pick(16))
            w[n - 1] = 1;
    }
    return n;
}

static void join(char *out, size_t cap, const char *const *words, const int *w, int n)
{
    out[0] = 0;
    for (int k = 0; k < n; k++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", k ? " " : "", words[w[k]]);
    }
}

/* A person of this name (and Latin name, or none) outside any case. */
static int insert_person(store_conn_t *c, const char *name, const char *latin)
{
    json_t *p = tmpdb_person_json(name, latin);
    char id[37];
    int64_t pk;
    int rc = store_person_insert(c, p, id, &pk);
    json_decref(p);
    return rc;
}

static int insert_many_job(store_conn_t *c, void *ctx)
{
    (void)ctx;
    for (int i = 0; i < N_PERSONS; i++) {
        int w[3];
        int n = person_words(i, w);
        char ar[256], la[256];
        join(ar, sizeof ar, ARA, w, n);
        join(la, sizeof la, LAT, w, n);
        /* Some persons have their name in one script only. */
        int rc = insert_person(c, i % 7 == 3 ? la : ar, i % 5 == 1 ? NULL : la);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* ---- the oracle: the search as it was ---- */

static void key_hi(const char *k, char *hi, size_t cap)
{
    snprintf(hi, cap, "%s{", k);
}

static int oracle_freq(sqlite3 *db, const char *k)
{
    char hi[AWDA_NAME_KEY_MAX + 2];
    key_hi(k, hi, sizeof hi);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM (SELECT 1 FROM person_name_keys "
                                        "WHERE key>=? AND key<? LIMIT ?)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, PROBE);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* The public ids of persons pks[0..n), in that order, as a JSON array. */
static json_t *ids_of(sqlite3 *db, const int64_t *pks, int n)
{
    sqlite3_stmt *st;
    json_t *ids = json_array();
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT id FROM persons WHERE pk=?", -1, &st, NULL),
                     SQLITE_OK);
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, pks[i]);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        json_array_append_new(ids, json_string((const char *)sqlite3_column_text(st, 0)));
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return ids;
}

/* The person ids the former search answered, as a JSON array. */
static json_t *oracle(sqlite3 *db, const awda_name_keys_t *q, int limit, const char *scope)
{
    int nt = q->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : q->count;
    int order[AWDA_SEARCH_MAX_TERMS], freq[AWDA_SEARCH_MAX_TERMS];
    for (int i = 0; i < nt; i++) {
        order[i] = i;
        freq[i] = nt > 1 ? oracle_freq(db, q->key[i]) : 0;
    }
    /* at equal counts (the probe stops at PROBE), a key that another
     * begins: its range is within the other's */
    for (int i = 1; i < nt; i++)
        if (freq[order[i]] < freq[order[0]] ||
            (freq[order[i]] == freq[order[0]] &&
             strlen(q->key[order[i]]) > strlen(q->key[order[0]]) &&
             strncmp(q->key[order[i]], q->key[order[0]], strlen(q->key[order[0]])) == 0)) {
            int t = order[0];
            order[0] = order[i];
            order[i] = t;
        }
    /* With a pair (the rarest other key that neither begins nor is begun
     * by the rarest), the one of the two sorting first drives. */
    const char *r = q->key[order[0]];
    int pair = -1;
    for (int i = 1; i < nt; i++) {
        const char *o = q->key[order[i]];
        if (strncmp(r, o, strlen(r) < strlen(o) ? strlen(r) : strlen(o)) != 0 &&
            (pair < 0 || freq[order[i]] < freq[order[pair]]))
            pair = i;
    }
    if (pair > 0 && strcmp(q->key[order[pair]], r) < 0) {
        int t = order[0];
        order[0] = order[pair];
        order[pair] = t;
    }
    char sql[4096];
    int o = snprintf(sql, sizeof sql,
                     "SELECT DISTINCT k.person_pk FROM person_name_keys k WHERE k.key>=?1 AND "
                     "k.key<?2");
    for (int i = 1; i < nt; i++)
        o += snprintf(sql + o, sizeof sql - (size_t)o,
                      " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE "
                      "k%d.person_pk=k.person_pk AND k%d.key>=?%d AND k%d.key<?%d)",
                      i, i, i, 2 * i + 1, i, 2 * i + 2);
    snprintf(sql + o, sizeof sql - (size_t)o,
             " AND (?%d IS NULL OR EXISTS(SELECT 1 FROM case_members cm JOIN cases c ON "
             "c.pk=cm.case_pk WHERE cm.person_pk=k.person_pk AND (c.office_pk IN "
             "(SELECT value FROM json_each(?%d)) OR c.receiving_office_pk IN "
             "(SELECT value FROM json_each(?%d))))) LIMIT ?%d",
             2 * nt + 1, 2 * nt + 1, 2 * nt + 1, 2 * nt + 2);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("oracle: %s", sqlite3_errmsg(db));
    char hi[AWDA_SEARCH_MAX_TERMS][AWDA_NAME_KEY_MAX + 2];
    for (int i = 0; i < nt; i++) {
        key_hi(q->key[order[i]], hi[i], sizeof hi[i]);
        sqlite3_bind_text(st, 2 * i + 1, q->key[order[i]], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2 * i + 2, hi[i], -1, SQLITE_STATIC);
    }
    if (scope)
        sqlite3_bind_text(st, 2 * nt + 1, scope, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2 * nt + 2, limit);
    int64_t pks[AWDA_LIST_MAX];
    int n = 0;
    while (n < AWDA_LIST_MAX && sqlite3_step(st) == SQLITE_ROW)
        pks[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return ids_of(db, pks, n);
}

static void compare(tmpdb_t *t, sqlite3 *db, const char *text, int limit, const int64_t *office,
                    size_t *answers)
{
    awda_name_keys_t q;
    assert_true(awda_name_keys(text, strlen(text), 0, &q) > 0);
    char scope[64];
    if (office)
        snprintf(scope, sizeof scope, "[%lld]", (long long)*office);
    json_t *want = oracle(db, &q, limit, office ? scope : NULL);
    int64_t pks[AWDA_LIST_MAX];
    int n = store_person_search(tmpdb_reader(t), &q, limit, office, office ? 1 : -1, NULL, pks);
    assert_true(n >= 0);
    json_t *ids = ids_of(db, pks, n);
    if (!json_equal(want, ids)) {
        char *a = json_dumps(want, 0), *b = json_dumps(ids, 0);
        fail_msg("\"%s\" limit %d%s: expected %zu %s\ngot %zu %s", text, limit,
                 office ? " (one office)" : "", json_array_size(want), a, json_array_size(ids), b);
    }
    *answers += json_array_size(ids);
    json_decref(want);
    json_decref(ids);
}

static void test_same_answers_as_the_key_scan(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    assert_int_equal(tmpdb_write(t, insert_many_job, NULL), STORE_OK);
    /* Some persons in cases of one office, for the scoped searches. */
    for (int h = 0; h < 30; h++) {
        const char *names[2];
        char a[128], b[128];
        int w[3];
        join(a, sizeof a, LAT, w, person_words(h, w));
        join(b, sizeof b, ARA, w, person_words(h, w));
        names[0] = a;
        names[1] = b;
        tmpdb_household_t hh;
        tmpdb_household(t, "EG-CAI", names, 2, &hh);
    }
    /* A rare word sorting after the others ("zakaria m": its pair
     * drives). */
    for (int h = 0; h < 3; h++) {
        const char *names[2] = {h == 2 ? "Zakaria Ahmed" : "Zakaria Mohamed Musa",
                                h == 1 ? "زكريا محمد موسى" : "Zakaria Ali"};
        tmpdb_household_t hh;
        tmpdb_household(t, "EG-CAI", names, 2, &hh);
    }
    /* A word begun ("t") whose range holds a common word's ("tesfaye"):
     * both counts stop at PROBE, and the persons of "Tekle Tesfaye" come
     * first only when "tesfaye" drives. */
    for (int h = 0; h < 5; h++) {
        const char *names[2] = {"Tekle Tesfaye", "Tekle Tesfaye Ali"};
        tmpdb_household_t hh;
        tmpdb_household(t, "EG-CAI", names, 2, &hh);
    }
    sqlite3 *db = tmpdb_raw(t);
    /* Both words of the query with no answer are common. */
    awda_name_keys_t k;
    assert_true(awda_name_keys("tesfaye", 7, 0, &k) == 1);
    assert_true(oracle_freq(db, k.key[0]) >= PROBE);
    assert_true(awda_name_keys("habtom", 6, 0, &k) == 1);
    assert_true(oracle_freq(db, k.key[0]) >= PROBE);

    static const char *const queries[] = {
        "abebe habtom",
        "habtom abebe",
        "أبيبي حبتوم",
        "abebe",
        "ab",
        "حبتوم",
        "mohamed",
        "abebe mohamed",
        "mohamed abebe",
        "abebe moh",
        "ab hab",
        "habtom ali",
        "ali habtom",
        "محمد علي",
        "علي محمد",
        "fatima hassan",
        "abdallah",
        "abd allah",
        "عبد الله موسى",
        "abebe ali musa",
        "musa ali abebe",
        "محمد حسن حبتوم",
        "mohamed ahmed habtom",
        "abebe abebe",
        "ab abebe",
        "abebe ab",
        "mohamed mohamed ali",
        "h hab",
        "tesfaye berhane",
        "osman hassan ahmed",
        "abebe habtom ali",
        "zzz abebe",
        "abebe zzz",
        "zakaria m",
        "zakaria a",
        "zakaria mohamed",
        "mohamed zakaria",
        "m zakaria",
        "زكريا م",
        "zakaria q",
        "t tesfaye",
        "tesfaye t",
        "te tesfaye ali",
    };
    /* No one is both. */
    awda_name_keys_t none;
    assert_true(awda_name_keys("tesfaye habtom", 14, 0, &none) == 2);
    int64_t pks[AWDA_LIST_MAX];
    assert_int_equal(store_person_search(tmpdb_reader(t), &none, 50, NULL, -1, NULL, pks), 0);
    static const int limits[] = {200, 50, 7, 1};
    size_t answers = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
            compare(t, db, queries[i], limits[l], NULL, &answers);
            compare(t, db, queries[i], limits[l], &cai, &answers);
        }
    assert_true(answers > 1000); /* the queries find persons, not only nothing */
    sqlite3_close(db);
}

/* ---- many second keys ---- */

#define N_MANY 1500

/* A word of consonants c[0..3) after "Za": its skeleton is z and them. */
static void z_word(char *out, size_t cap, int v)
{
    static const char C[] = "bdfgklmnrst";
    const int nc = (int)sizeof C - 1;
    snprintf(out, cap, "Za%ci%cu%c", C[v % nc], C[v / nc % nc], C[v / nc / nc % nc]);
}

/* "Abebe" and one or two words beginning with z, each person's chosen at
 * random: the pairs of "abebe z..." have well over PAIR_STREAMS_MAX
 * (prefix_search.c) second keys, "abebe zab..." a few dozen. */
static int insert_z_job(store_conn_t *c, void *ctx)
{
    (void)ctx;
    for (int i = 0; i < N_MANY; i++) {
        char a[32], b[32], name[96];
        z_word(a, sizeof a, pick(11 * 11 * 11));
        z_word(b, sizeof b, pick(11 * 11 * 11));
        if (pick(4) == 0)
            snprintf(name, sizeof name, "Abebe %s %s", a, b);
        else
            snprintf(name, sizeof name, "Abebe %s", a);
        int rc = insert_person(c, name, name);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* The second keys of the pairs a query of "abebe" and a word begun would
 * merge: those of k1 = the key of "abebe" within the word's key range. */
static int64_t second_keys(tmpdb_t *t, const char *word)
{
    awda_name_keys_t a, b;
    assert_int_equal(awda_name_keys("abebe", 5, 0, &a), 1);
    assert_int_equal(awda_name_keys(word, strlen(word), 0, &b), 1);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(DISTINCT k2) FROM person_name_pairs WHERE k1='%s' AND k2>='%s' AND "
             "k2<'%s{'",
             a.key[0], b.key[0], b.key[0]);
    return tmpdb_int(t, sql);
}

/* With one second key or a thousand, the persons come in the order of the
 * key scan: merged pair by pair, or, beyond PAIR_STREAMS_MAX, all read
 * and sorted. A person with two words of the range comes once. */
static void test_many_second_keys(void **state)
{
    tmpdb_t *t = *state;
    assert_int_equal(tmpdb_write(t, insert_z_job, NULL), STORE_OK);
    assert_true(second_keys(t, "za") > 1024);
    int64_t few = second_keys(t, "zab");
    assert_true(few > 16 && few < 1024);
    sqlite3 *db = tmpdb_raw(t);
    static const char *const queries[] = {"abebe za",   "za abebe",     "abebe zab",
                                          "abebe zabi", "abebe zabidu", "abebe z"};
    static const int limits[] = {200, 50, 7, 1};
    size_t answers = 0;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++)
        for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++)
            compare(t, db, queries[i], limits[l], NULL, &answers);
    assert_true(answers > 500);
    sqlite3_close(db);
}

static int64_t pairs_not_from_keys(tmpdb_t *t)
{
    return tmpdb_int(t, "SELECT (SELECT count(*) FROM (SELECT k1,k2,person_pk FROM "
                        "person_name_pairs EXCEPT SELECT a.key,b.key,a.person_pk FROM "
                        "person_name_keys a JOIN person_name_keys b ON b.person_pk=a.person_pk "
                        "AND a.key<b.key)) + (SELECT count(*) FROM (SELECT a.key,b.key,"
                        "a.person_pk FROM person_name_keys a JOIN person_name_keys b ON "
                        "b.person_pk=a.person_pk AND a.key<b.key EXCEPT SELECT k1,k2,person_pk "
                        "FROM person_name_pairs))");
}

typedef struct {
    int64_t pk;
    json_t *obj;
} upd_t;

static int update_job(store_conn_t *c, void *ctx)
{
    upd_t *u = ctx;
    return store_person_update(c, u->pk, u->obj);
}

static int anonymise_job(store_conn_t *c, void *ctx)
{
    int64_t *case_pk = ctx;
    int persons = 0;
    return store_case_anonymise(c, *case_pk, 1, &persons);
}

static void test_pairs_follow_the_keys(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"محمد عبد الله أحمد", "Fatima Hassan Ali"};
    tmpdb_household_t h;
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    assert_true(tmpdb_int(t, "SELECT count(*) FROM person_name_pairs") > 0);
    assert_int_equal(pairs_not_from_keys(t), 0);
    upd_t u = {h.person_pk[1], tmpdb_person_json("Amina Osman", "Amina Osman")};
    assert_int_equal(tmpdb_write(t, update_job, &u), STORE_OK);
    json_decref(u.obj);
    assert_int_equal(pairs_not_from_keys(t), 0);
    assert_int_equal(tmpdb_write(t, anonymise_job, &h.pk), STORE_OK);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_name_keys"), 0);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_name_pairs"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_answers_as_the_key_scan, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_pairs_follow_the_keys, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_many_second_keys, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
