/*
 * test_store_persons.c — persons in the store (store.h, "persons").
 *
 *   - a person inserted reads back with documents, contact and lists as
 *     written, and protection concerns sealed at rest (the raw column
 *     holds no plain text) yet opened for the reader;
 *   - an update replaces fields, documents and name keys: the old name is
 *     no longer found, the new one is;
 *   - the name search matches every query key by prefix, in Latin or
 *     Arabic script, honours the limit, and is scoped to the cases of the
 *     offices given (nof < 0: every office; a person in no case of them is
 *     not found);
 *   - with_cases lists the cases a person is a member of.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

typedef struct {
    json_t *obj;
    int64_t pk;
    char id[37];
} person_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    person_ctx_t *x = ctx;
    return store_person_insert(c, x->obj, x->id, &x->pk);
}

static int update_job(store_conn_t *c, void *ctx)
{
    person_ctx_t *x = ctx;
    return store_person_update(c, x->pk, x->obj);
}

static int64_t add_person(tmpdb_t *t, const char *name, const char *latin)
{
    person_ctx_t x = {tmpdb_person_json(name, latin), 0, ""};
    assert_int_equal(tmpdb_write(t, insert_job, &x), STORE_OK);
    json_decref(x.obj);
    assert_true(x.pk > 0);
    return x.pk;
}

/* How many persons a search for q finds within the offices given. */
static size_t found(tmpdb_t *t, const char *q, const int64_t *offices, int nof)
{
    awda_name_keys_t keys;
    assert_true(awda_name_keys(q, strlen(q), 0, &keys) > 0);
    int64_t pks[AWDA_LIST_MAX];
    int n = store_person_search(tmpdb_reader(t), &keys, 50, offices, nof, NULL, pks);
    assert_true(n >= 0);
    return (size_t)n;
}

/* What store_person_summaries_each gave: how many, and whether the last
 * one had an id and a nationality. */
typedef struct {
    int n, id, nationality;
} summary_seen_t;

static int see_summary(void *ctx, const store_summary_t *s)
{
    summary_seen_t *x = ctx;
    x->n++;
    x->id = s->id && strlen(s->id) == 36;
    x->nationality = s->nationality != NULL;
    return 0;
}

static void test_insert_get_sealed(void **state)
{
    tmpdb_t *t = *state;
    person_ctx_t x = {tmpdb_person_json("فاطمة حسن", "Fatima Hassan"), 0, ""};
    json_object_set_new(x.obj, "protection_vulnerabilities",
                        tmpdb_json("[\"victim_of_trafficking\"]"));
    json_object_set_new(x.obj, "vulnerabilities", tmpdb_json("[\"pregnant\"]"));
    assert_int_equal(tmpdb_write(t, insert_job, &x), STORE_OK);
    json_decref(x.obj);
    store_conn_t *c = tmpdb_reader(t);
    assert_int_equal(store_person_pk(c, x.id), x.pk);
    assert_int_equal(store_person_pk(c, "0190a6f2-0000-7000-8000-000000000000"), 0);

    json_t *p = store_person_get(c, x.pk, 0);
    assert_non_null(p);
    assert_string_equal(json_string_value(json_object_get(p, "id")), x.id);
    assert_string_equal(json_string_value(json_object_get(p, "name")), "فاطمة حسن");
    assert_string_equal(json_string_value(json_object_get(p, "name_latin")), "Fatima Hassan");
    assert_string_equal(json_string_value(json_object_get(p, "date_of_birth")), "1990-05-01");
    json_t *docs = json_object_get(p, "documents");
    assert_int_equal(json_array_size(docs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "number")),
                        "P1234567");
    assert_string_equal(json_string_value(json_object_get(json_object_get(p, "contact"), "phone")),
                        "+249912345678");
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "vulnerabilities"), 0)),
                        "pregnant");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(p, "protection_vulnerabilities"), 0)),
        "victim_of_trafficking");
    assert_null(json_object_get(p, "cases"));
    json_decref(p);

    char raw[1024], sql[160];
    snprintf(sql, sizeof sql, "SELECT protection_vulnerabilities FROM persons WHERE id='%s'", x.id);
    tmpdb_text(t, sql, raw, sizeof raw);
    assert_true(awda_is_sealed(raw));
    assert_null(strstr(raw, "trafficking"));
}

static void test_update_replaces_name_keys(void **state)
{
    tmpdb_t *t = *state;
    int64_t pk = add_person(t, "Mohamed Osman", NULL);
    assert_int_equal(found(t, "osman", NULL, -1), 1);
    person_ctx_t x = {tmpdb_person_json("Mohamed Idris", "Mohamed Idris"), pk, ""};
    json_object_set_new(x.obj, "documents", json_array());
    json_object_set_new(x.obj, "sex", json_string("female"));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    json_decref(x.obj);
    assert_int_equal(found(t, "osman", NULL, -1), 0);
    assert_int_equal(found(t, "idris", NULL, -1), 1);
    json_t *p = store_person_get(tmpdb_reader(t), pk, 0);
    assert_string_equal(json_string_value(json_object_get(p, "name")), "Mohamed Idris");
    assert_string_equal(json_string_value(json_object_get(p, "sex")), "female");
    assert_int_equal(json_array_size(json_object_get(p, "documents")), 0);
    json_decref(p);
}

static void test_search_by_name_keys(void **state)
{
    tmpdb_t *t = *state;
    add_person(t, "محمد علي", "Mohamed Ali");
    add_person(t, "Fatima Ali", NULL);
    add_person(t, "Mohamed Osman", NULL);
    assert_int_equal(found(t, "mohamed", NULL, -1), 2);
    assert_int_equal(found(t, "moh", NULL, -1), 2); /* by prefix */
    assert_int_equal(found(t, "ali", NULL, -1), 2);
    assert_int_equal(found(t, "mohamed ali", NULL, -1), 1); /* every key */
    assert_int_equal(found(t, "ali mohamed", NULL, -1), 1); /* in any order */
    assert_int_equal(found(t, "محمد", NULL, -1), 2);        /* the Arabic script too */
    assert_int_equal(found(t, "omar", NULL, -1), 0);

    awda_name_keys_t keys;
    assert_true(awda_name_keys("mohamed", 7, 0, &keys) > 0);
    int64_t pks[AWDA_LIST_MAX];
    assert_int_equal(store_person_search(tmpdb_reader(t), &keys, 1, NULL, -1, NULL, pks), 1);
    /* its summary: who (the whole person is not read: GET /persons?q=
     * answers without "documents", tests/api/test_persons.py) */
    summary_seen_t seen = {0};
    assert_int_equal(store_person_summaries_each(tmpdb_reader(t), pks, 1, see_summary, &seen),
                     STORE_OK);
    assert_int_equal(seen.n, 1);
    assert_true(seen.id && seen.nationality);
}

static void test_search_scoped_to_offices(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    add_person(t, "Yusuf Musa", NULL); /* in no case */
    assert_int_equal(found(t, "musa", NULL, -1), 3);
    assert_int_equal(found(t, "musa", &cai, 1), 2);
    assert_int_equal(found(t, "musa", &bko, 1), 0);
    assert_int_equal(found(t, "musa", NULL, 0), 0);

    json_t *p = store_person_get(tmpdb_reader(t), h.person_pk[1], 1);
    json_t *cases = json_object_get(p, "cases");
    assert_int_equal(json_array_size(cases), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 0), "id")), h.id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(cases, 0), "office")),
                        "EG-CAI");
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_get_sealed, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_update_replaces_name_keys, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_search_by_name_keys, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_search_scoped_to_offices, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
