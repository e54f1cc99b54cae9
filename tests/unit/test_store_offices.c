/*
 * test_store_offices.c — offices in the store (store.h, "offices" and "the
 * staff of an office").
 *
 * An office inserted is read back by code, listed in code order and has a
 * key; a code is unique (STORE_CONFLICT, and the failed job leaves
 * nothing behind); an update changes the names and location of an
 * existing office only (STORE_NOTFOUND otherwise); the staff of an office
 * are its enabled users who work on cases, not partners or donors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

typedef struct {
    const char *code;
    json_t *obj;
} office_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    office_ctx_t *x = ctx;
    return store_office_insert(c, x->obj);
}

static int update_job(store_conn_t *c, void *ctx)
{
    office_ctx_t *x = ctx;
    return store_office_update(c, x->code, x->obj);
}

static int insert(tmpdb_t *t, const char *json)
{
    office_ctx_t x = {NULL, tmpdb_json(json)};
    int rc = tmpdb_write(t, insert_job, &x);
    json_decref(x.obj);
    return rc;
}

static void test_insert_get_list(void **state)
{
    tmpdb_t *t = *state;
    assert_int_equal(insert(t, "{\"code\":\"ML-BKO\",\"name\":\"Bamako\",\"country\":\"MLI\","
                               "\"location\":\"Bamako, Mali\"}"),
                     STORE_OK);
    assert_int_equal(insert(t, "{\"code\":\"EG-CAI\",\"name\":\"Cairo\",\"country\":\"EGY\","
                               "\"location\":\"Cairo\",\"name_ar\":\"القاهرة\",\"name_fr\":\"Le "
                               "Caire\"}"),
                     STORE_OK);
    store_conn_t *c = tmpdb_reader(t);
    json_t *o = store_office_get(c, "EG-CAI");
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "name")), "Cairo");
    assert_string_equal(json_string_value(json_object_get(o, "country")), "EGY");
    assert_string_equal(json_string_value(json_object_get(o, "name_ar")), "القاهرة");
    assert_string_equal(json_string_value(json_object_get(o, "name_fr")), "Le Caire");
    json_decref(o);
    o = store_office_get(c, "ML-BKO");
    assert_true(json_is_null(json_object_get(o, "name_ar")));
    json_decref(o);

    json_t *list = store_office_list(c);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "code")),
                        "EG-CAI");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "code")),
                        "ML-BKO");
    json_decref(list);

    int64_t cai = store_office_pk(c, "EG-CAI"), bko = store_office_pk(c, "ML-BKO");
    assert_true(cai > 0 && bko > 0 && cai != bko);
    assert_null(store_office_get(c, "XX-NON"));
    assert_int_equal(store_office_pk(c, "XX-NON"), 0);
}

static void test_code_is_unique(void **state)
{
    tmpdb_t *t = *state;
    const char *o =
        "{\"code\":\"EG-CAI\",\"name\":\"Cairo\",\"country\":\"EGY\",\"location\":\"x\"}";
    assert_int_equal(insert(t, o), STORE_OK);
    assert_int_equal(insert(t, "{\"code\":\"EG-CAI\",\"name\":\"Other\",\"country\":\"EGY\","
                               "\"location\":\"y\"}"),
                     STORE_CONFLICT);
    json_t *list = store_office_list(tmpdb_reader(t));
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "name")),
                        "Cairo");
    json_decref(list);
}

static void test_update(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    office_ctx_t x = {"EG-CAI", tmpdb_json("{\"name\":\"Cairo office\",\"location\":\"Zamalek\","
                                           "\"name_fr\":\"Bureau du Caire\"}")};
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    json_t *o = store_office_get(tmpdb_reader(t), "EG-CAI");
    assert_string_equal(json_string_value(json_object_get(o, "name")), "Cairo office");
    assert_string_equal(json_string_value(json_object_get(o, "location")), "Zamalek");
    assert_string_equal(json_string_value(json_object_get(o, "name_fr")), "Bureau du Caire");
    assert_string_equal(json_string_value(json_object_get(o, "country")), "EGY");
    json_decref(o);
    x.code = "XX-NON";
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_NOTFOUND);
    json_decref(x.obj);
}

static void test_staff(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_user(t, "zaid", "[\"counsellor\"]", "[\"EG-CAI\"]");
    tmpdb_user(t, "amal", "[\"registration\",\"medical\"]", "[\"EG-CAI\",\"ML-BKO\"]");
    tmpdb_user(t, "moussa", "[\"counsellor\"]", "[\"ML-BKO\"]");
    tmpdb_user(t, "donor1", "[\"donor\"]", "[\"EG-CAI\"]");
    json_t *staff = store_office_staff(tmpdb_reader(t), cai);
    assert_non_null(staff);
    assert_int_equal(json_array_size(staff), 2);
    /* by display name: amal, zaid */
    assert_string_equal(json_string_value(json_object_get(json_array_get(staff, 0), "username")),
                        "amal");
    assert_string_equal(json_string_value(json_object_get(json_array_get(staff, 1), "username")),
                        "zaid");
    assert_int_equal(json_array_size(json_object_get(json_array_get(staff, 0), "roles")), 2);
    json_decref(staff);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_insert_get_list, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_code_is_unique, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_update, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_staff, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
