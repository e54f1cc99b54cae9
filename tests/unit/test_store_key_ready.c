/*
 * test_store_key_ready.c — the keys of persons made before their writer
 * job (store.h, store_keys_ready_*; key_ready.c).
 *
 * Persons written while a set of keys made before is in use get exactly
 * the rows they get when the job makes their keys: name keys, their
 * pairs, search keys and duplicate keys. A set finds a person only by all
 * four inputs of the keys (name, name_latin, date_of_birth, phone; absent
 * is not empty), and the writer stops using a set after the job that
 * took it, so a later job never reads a set its owner is changing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/store/internal.h"

/* name, name_latin (NULL: absent), date of birth (NULL: absent), phone */
static const char *const PERSONS[][4] = {
    {"Fatima Zahra Ouedraogo", NULL, "1990-05-01", "+226 70 12 34 56"},
    {"محمد عبد الله", "Mohamed Abdallah", "1984-11", "+249912345678"},
    {"فاطمة الزهراء", "Fatima Al Zahraa", NULL, NULL},
    {"Moussa Keita", "Moussa Keita", "1975", "0033 6 12 34 56 78"},
    {"Aminata Traoré", "", "2001-02-03", ""},
};
#define N (sizeof PERSONS / sizeof PERSONS[0])

static json_t *person(size_t i)
{
    json_t *p = tmpdb_person_json(PERSONS[i][0], PERSONS[i][1]);
    if (!PERSONS[i][1])
        json_object_del(p, "name_latin");
    if (PERSONS[i][2])
        json_object_set_new(p, "date_of_birth", json_string(PERSONS[i][2]));
    else
        json_object_del(p, "date_of_birth");
    json_t *contact = json_object_get(p, "contact");
    if (PERSONS[i][3])
        json_object_set_new(contact, "phone", json_string(PERSONS[i][3]));
    else
        json_object_del(contact, "phone");
    return p;
}

typedef struct {
    store_keys_ready_t *ready; /* NULL: the job makes the keys */
    int64_t pk[N];
    int found[N]; /* store_keys_ready_find in the job, before each insert */
} ctx_t;

static int write_job(store_conn_t *c, void *p)
{
    ctx_t *x = p;
    store_keys_ready_use(c, x->ready);
    for (size_t i = 0; i < N; i++) {
        json_t *o = person(i);
        store_person_keys_t k;
        x->found[i] = store_keys_ready_find(c, o, &k);
        char id[37];
        int rc = store_person_insert(c, o, id, &x->pk[i]);
        json_decref(o);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

/* The keys of person pk, as one text in order: the query q[0] pk q[1]. */
static void keys_of(tmpdb_t *t, const char *const q[2], int64_t pk, char *out, size_t cap)
{
    char sql[300];
    snprintf(sql, sizeof sql, "%s%lld%s", q[0], (long long)pk, q[1]);
    out[0] = '\0';
    tmpdb_text(t, sql, out, cap);
}

static void test_keys_made_before_are_the_same_rows(void **state)
{
    tmpdb_t *t = *state;
    ctx_t made = {NULL, {0}, {0}}, before = {store_keys_ready_new(), {0}, {0}};
    assert_non_null(before.ready);
    for (size_t i = 0; i < N; i++) {
        json_t *o = person(i);
        assert_int_equal(store_keys_ready_add(before.ready, o), 0);
        json_decref(o);
    }
    assert_int_equal(tmpdb_write(t, write_job, &made), STORE_OK);
    assert_int_equal(tmpdb_write(t, write_job, &before), STORE_OK);
    static const char *const sql[][2] = {
        {"SELECT group_concat(key, ',') FROM (SELECT key FROM person_name_keys WHERE person_pk=",
         " ORDER BY key)"},
        {"SELECT group_concat(k1 || '+' || k2, ',') FROM (SELECT k1, k2 FROM person_name_pairs "
         "WHERE person_pk=",
         " ORDER BY k1, k2)"},
        {"SELECT group_concat(key, ',') FROM (SELECT key FROM person_search_keys WHERE "
         "person_pk=",
         " ORDER BY key)"},
        {"SELECT group_concat(key, ',') FROM (SELECT key FROM person_dup_keys WHERE person_pk=",
         " ORDER BY key)"},
    };
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(made.found[i], 0);
        assert_int_equal(before.found[i], 1);
        for (size_t k = 0; k < sizeof sql / sizeof sql[0]; k++) {
            static char a[1 << 15], b[1 << 15];
            keys_of(t, sql[k], made.pk[i], a, sizeof a);
            keys_of(t, sql[k], before.pk[i], b, sizeof b);
            /* every table has rows for a person with a name (the pairs
             * only for names of two words and more) */
            if (k != 1 || strchr(PERSONS[i][0], ' '))
                assert_true(strlen(a) > 0);
            assert_string_equal(a, b);
        }
    }
    store_keys_ready_free(before.ready);
}

typedef struct {
    const store_keys_ready_t *use; /* set in the job, or NULL: left as it is */
    json_t *probe;
    int found;
} find_ctx_t;

static int find_job(store_conn_t *c, void *p)
{
    find_ctx_t *x = p;
    if (x->use)
        store_keys_ready_use(c, x->use);
    store_person_keys_t k;
    x->found = store_keys_ready_find(c, x->probe, &k);
    return STORE_OK;
}

static int found_in(tmpdb_t *t, const store_keys_ready_t *r, json_t *probe)
{
    find_ctx_t x = {r, probe, -1};
    assert_int_equal(tmpdb_write(t, find_job, &x), STORE_OK);
    json_decref(probe);
    return x.found;
}

static void test_found_by_all_four_inputs_only(void **state)
{
    tmpdb_t *t = *state;
    store_keys_ready_t *r = store_keys_ready_new();
    for (size_t i = 0; i < N; i++) {
        json_t *o = person(i);
        assert_int_equal(store_keys_ready_add(r, o), 0);
        json_decref(o);
    }
    for (size_t i = 0; i < N; i++)
        assert_int_equal(found_in(t, r, person(i)), 1);
    /* another field than the four: still the same keys */
    json_t *o = person(0);
    json_object_set_new(o, "sex", json_string("female"));
    assert_int_equal(found_in(t, r, o), 1);
    /* each of the four changed */
    o = person(0);
    json_object_set_new(o, "name", json_string("Fatima Zahra Ouedraogu"));
    assert_int_equal(found_in(t, r, o), 0);
    o = person(1);
    json_object_set_new(o, "name_latin", json_string("Mohammed Abdallah"));
    assert_int_equal(found_in(t, r, o), 0);
    o = person(1);
    json_object_set_new(o, "date_of_birth", json_string("1984-12"));
    assert_int_equal(found_in(t, r, o), 0);
    o = person(0);
    json_object_set_new(json_object_get(o, "contact"), "phone", json_string("+226 70 12 34 57"));
    assert_int_equal(found_in(t, r, o), 0);
    /* absent is not empty */
    o = person(2);
    json_object_set_new(o, "name_latin", json_string(""));
    assert_int_equal(found_in(t, r, o), 0);
    o = person(4);
    json_object_del(o, "name_latin");
    assert_int_equal(found_in(t, r, o), 0);
    o = person(3);
    json_object_set_new(o, "date_of_birth", json_string("1975"));
    json_object_set_new(json_object_get(o, "contact"), "phone", json_string(""));
    assert_int_equal(found_in(t, r, o), 0);
    /* cleared: nobody */
    store_keys_ready_clear(r);
    assert_int_equal(found_in(t, r, person(0)), 0);
    store_keys_ready_free(r);
}

static void test_the_writer_stops_using_a_set_after_its_job(void **state)
{
    tmpdb_t *t = *state;
    store_keys_ready_t *r = store_keys_ready_new();
    json_t *o = person(1);
    assert_int_equal(store_keys_ready_add(r, o), 0);
    json_decref(o);
    assert_int_equal(found_in(t, r, person(1)), 1);
    /* the next job, which sets nothing, does not see it */
    assert_int_equal(found_in(t, NULL, person(1)), 0);
    store_keys_ready_free(r);
}

/* Many persons: the table grows past its first size and every one is
 * found with its own keys. */
static void test_many_persons(void **state)
{
    tmpdb_t *t = *state;
    store_keys_ready_t *r = store_keys_ready_new();
    enum { M = 5000 };
    for (int i = 0; i < M; i++) {
        char name[64];
        snprintf(name, sizeof name, "Awa Diallo %d", i);
        json_t *o = tmpdb_person_json(name, NULL);
        assert_int_equal(store_keys_ready_add(r, o), 0);
        json_decref(o);
    }
    for (int i = 0; i < M; i += 499) {
        char name[64];
        snprintf(name, sizeof name, "Awa Diallo %d", i);
        assert_int_equal(found_in(t, r, tmpdb_person_json(name, NULL)), 1);
    }
    assert_int_equal(found_in(t, r, tmpdb_person_json("Awa Diallo 5000", NULL)), 0);
    store_keys_ready_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_keys_made_before_are_the_same_rows, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_found_by_all_four_inputs_only, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_the_writer_stops_using_a_set_after_its_job,
                                        tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_many_persons, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
