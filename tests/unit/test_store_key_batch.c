/*
 * test_store_key_batch.c — the keys of new persons kept for the end of a
 * writer job (store.h, store_keys_batch_begin; key_batch.c).
 *
 * Persons written inside a key batch get exactly the duplicate and search
 * keys, the text name keys and the pairs of name keys they get one by
 * one (a person whose two names share keys among them); a batch ended without writing leaves no key
 * (the job rolls back); and a batch a job leaves open is ended by the
 * writer: written when the job succeeded, forgotten when it failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

static const char *const NAMES[] = {"Fatima Zahra Ouedraogo", "محمد عبد الله", "Moussa Keita",
                                    "Aminata Traoré", "فاطمة الزهراء"};
static const char *const LATIN[] = {NULL, "Mohamed Abdallah", NULL, NULL, "Fatima Al Zahraa"};
#define N (sizeof NAMES / sizeof NAMES[0])

typedef struct {
    int batch; /* 0: one by one; 1: in a key batch written; 2: forgotten */
    int64_t pk[N];
} ctx_t;

static int write_job(store_conn_t *c, void *p)
{
    ctx_t *x = p;
    if (x->batch && store_keys_batch_begin(c) != STORE_OK)
        return STORE_ERR;
    for (size_t i = 0; i < N; i++) {
        json_t *o = tmpdb_person_json(NAMES[i], LATIN[i]);
        char id[37];
        int rc = store_person_insert(c, o, id, &x->pk[i]);
        json_decref(o);
        if (rc != STORE_OK) {
            store_keys_batch_end(c, 0);
            return rc;
        }
    }
    if (x->batch == 2) {
        store_keys_batch_end(c, 0);
        return STORE_ABORT;
    }
    return x->batch ? store_keys_batch_end(c, 1) : STORE_OK;
}

/* The keys of person pk in table (key: the column or columns of a row),
 * as one text ("k1,k2,..." in order). */
static const char *const TABLES[][2] = {{"person_dup_keys", "key"},
                                        {"person_search_keys", "key"},
                                        {"person_name_keys", "key"},
                                        {"person_name_pairs", "k1||'|'||k2"}};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

static void keys_of(tmpdb_t *t, int table, int64_t pk, char *out, size_t cap)
{
    char sql[300];
    snprintf(sql, sizeof sql,
             "SELECT group_concat(k, ',') FROM (SELECT %s AS k FROM %s WHERE person_pk=%lld "
             "ORDER BY k)",
             TABLES[table][1], TABLES[table][0], (long long)pk);
    out[0] = '\0';
    tmpdb_text(t, sql, out, cap);
}

static void test_batch_gives_the_same_keys(void **state)
{
    tmpdb_t *t = *state;
    ctx_t one = {0, {0}}, batch = {1, {0}};
    assert_int_equal(tmpdb_write(t, write_job, &one), STORE_OK);
    assert_int_equal(tmpdb_write(t, write_job, &batch), STORE_OK);
    for (size_t i = 0; i < N; i++)
        for (int k = 0; k < (int)NTABLES; k++) {
            static char a[1 << 15], b[1 << 15];
            keys_of(t, k, one.pk[i], a, sizeof a);
            keys_of(t, k, batch.pk[i], b, sizeof b);
            assert_true(strlen(a) > 0);
            assert_string_equal(a, b);
        }
}

static void test_forgotten_batch_leaves_nothing(void **state)
{
    tmpdb_t *t = *state;
    long long dup = tmpdb_int(t, "SELECT count(*) FROM person_dup_keys");
    long long search = tmpdb_int(t, "SELECT count(*) FROM person_search_keys");
    long long names = tmpdb_int(t, "SELECT count(*) FROM person_name_keys");
    long long pairs = tmpdb_int(t, "SELECT count(*) FROM person_name_pairs");
    ctx_t gone = {2, {0}};
    assert_int_equal(tmpdb_write(t, write_job, &gone), STORE_ABORT);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_dup_keys"), dup);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_search_keys"), search);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_name_keys"), names);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_name_pairs"), pairs);
    /* and the next job is not in a batch: one by one again */
    ctx_t one = {0, {0}};
    assert_int_equal(tmpdb_write(t, write_job, &one), STORE_OK);
    assert_true(tmpdb_int(t, "SELECT count(*) FROM person_dup_keys") > dup);
}

static int left_open_job(store_conn_t *c, void *p)
{
    if (store_keys_batch_begin(c) != STORE_OK)
        return STORE_ERR;
    json_t *o = tmpdb_person_json("Hawa Diallo", NULL);
    char id[37];
    int64_t pk;
    int rc = store_person_insert(c, o, id, &pk);
    json_decref(o);
    if (rc != STORE_OK)
        return STORE_ERR;
    return *(int *)p ? STORE_OK : STORE_ABORT; /* the batch left open */
}

static void test_batch_left_open_ended_by_the_writer(void **state)
{
    tmpdb_t *t = *state;
    /* a job that fails with its batch open: nothing of it is written */
    long long dup = tmpdb_int(t, "SELECT count(*) FROM person_dup_keys");
    int ok = 0;
    assert_int_equal(tmpdb_write(t, left_open_job, &ok), STORE_ABORT);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_dup_keys"), dup);
    /* one that succeeds with it open: its keys are written */
    ok = 1;
    assert_int_equal(tmpdb_write(t, left_open_job, &ok), STORE_OK);
    assert_true(tmpdb_int(t, "SELECT count(*) FROM person_dup_keys") > dup);
    /* and the next job is not in a batch */
    ctx_t one = {0, {0}};
    assert_int_equal(tmpdb_write(t, write_job, &one), STORE_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_batch_gives_the_same_keys, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_forgotten_batch_leaves_nothing, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_batch_left_open_ended_by_the_writer, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
