/*
 * test_store_movements.c — movements in the store (store/movements.h).
 *
 *   - a movement inserted reads back at version 1 with its legs in order,
 *     its departure and arrival (UTC) from the first and last leg, no seat
 *     taken; found by id; an update at an older version is STORE_STALE and
 *     changes nothing; at the version read it replaces the legs and bumps
 *     the version; a status change keeps when it departed;
 *   - the list: by status, by office (sending or receiving), within the
 *     offices of the scope;
 *   - passengers: booked persons take seats; a person booked on one
 *     movement cannot be booked on another (STORE_CONFLICT) until taken
 *     off; the cases with passengers at a status group the persons by
 *     case; taking a case off counts the rows and frees the seats; moving
 *     booked to departed keeps the seats.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/store/movements.h"
#include "tmpdb.h"

typedef struct {
    json_t *m;
    int64_t office_pk, receiving_pk, pk, version, person_pk, case_pk;
    const char *status;
    char id[37];
    int rc, n;
} mv_ctx_t;

static const char *CHARTER =
    "{\"type\":\"charter\",\"reference\":\"CH-1\",\"carrier\":\"AH\",\"capacity\":3,\"legs\":["
    "{\"from\":\"TMR\",\"to\":\"ALG\",\"number\":\"AH 1\",\"departs_at\":\"2026-12-20T06:30\","
    "\"departs_tz\":\"Africa/Algiers\",\"arrives_at\":\"2026-12-20T08:45\",\"arrives_tz\":"
    "\"Africa/Algiers\",\"departs_ms\":1797744600000,\"arrives_ms\":1797752700000},"
    "{\"from\":\"ALG\",\"to\":\"BKO\",\"number\":\"AH 2\",\"departs_at\":\"2026-12-20T10:30\","
    "\"departs_tz\":\"Africa/Algiers\",\"arrives_at\":\"2026-12-20T13:40\",\"arrives_tz\":"
    "\"Africa/Bamako\",\"departs_ms\":1797759000000,\"arrives_ms\":1797774000000}]}";

static int insert_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_insert(c, x->m, x->office_pk, x->receiving_pk, 0, x->id, &x->pk);
}

static int update_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_update(c, x->pk, x->version, x->m);
}

static int status_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_set_status(c, x->pk, x->version, x->status, 1797745000000LL, NULL);
}

static int add_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_passenger_add(c, x->pk, x->person_pk, x->case_pk, 0);
}

static int off_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_passengers_off(c, x->pk, x->case_pk, "no_show", "did not come", 0, &x->n);
}

static int move_job(store_conn_t *c, void *ctx)
{
    mv_ctx_t *x = ctx;
    return store_movement_passengers_move(c, x->pk, "booked", "departed");
}

static int64_t insert(tmpdb_t *t, int64_t office, int64_t receiving, char id[37])
{
    mv_ctx_t x = {.m = tmpdb_json(CHARTER), .office_pk = office, .receiving_pk = receiving};
    assert_int_equal(tmpdb_write(t, insert_job, &x), STORE_OK);
    json_decref(x.m);
    if (id)
        memcpy(id, x.id, 37);
    return x.pk;
}

static void test_movement_and_legs(void **state)
{
    tmpdb_t *t = *state;
    int64_t tam = tmpdb_office(t, "DZ-TAM", "DZA"), bko = tmpdb_office(t, "ML-BKO", "MLI");
    char id[37];
    int64_t pk = insert(t, tam, bko, id);
    store_conn_t *c = tmpdb_reader(t);
    json_t *m = store_movement_get(c, pk, 1);
    assert_non_null(m);
    assert_int_equal(json_integer_value(json_object_get(m, "version")), 1);
    assert_string_equal(json_string_value(json_object_get(m, "status")), "planned");
    assert_string_equal(json_string_value(json_object_get(m, "office")), "DZ-TAM");
    assert_string_equal(json_string_value(json_object_get(m, "receiving_office")), "ML-BKO");
    assert_string_equal(json_string_value(json_object_get(m, "departs_at")),
                        "2026-12-20T05:30:00Z");
    assert_string_equal(json_string_value(json_object_get(m, "arrives_at")),
                        "2026-12-20T13:40:00Z");
    json_t *legs = json_object_get(m, "legs");
    assert_int_equal(json_array_size(legs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(legs, 0), "from")), "TMR");
    assert_string_equal(json_string_value(json_object_get(json_array_get(legs, 1), "arrives_tz")),
                        "Africa/Bamako");
    assert_int_equal(json_integer_value(json_object_get(m, "seats_taken")), 0);
    assert_int_equal(json_array_size(json_object_get(m, "passengers")), 0);
    json_decref(m);

    store_movement_row_t row;
    assert_int_equal(store_movement_find(c, id, &row), STORE_OK);
    assert_int_equal(row.pk, pk);
    assert_int_equal(row.capacity, 3);
    assert_int_equal(row.departs_ms, 1797744600000LL);
    assert_string_equal(row.receiving, "ML-BKO");
    assert_int_equal(store_movement_find(c, "0190a6f2-0000-7000-8000-000000000000", &row),
                     STORE_NOTFOUND);

    /* one leg now, at a stale version: nothing; at the version read: replaced */
    mv_ctx_t x = {.m = tmpdb_json(CHARTER), .pk = pk, .version = 7};
    json_array_remove(json_object_get(x.m, "legs"), 0);
    json_object_set_new(x.m, "capacity", json_integer(5));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_STALE);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM movement_legs"), 2);
    x.version = 1;
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    json_decref(x.m);
    assert_int_equal(store_movement_find_pk(c, pk, &row), STORE_OK);
    assert_int_equal(row.version, 2);
    assert_int_equal(row.capacity, 5);
    assert_int_equal(row.departs_ms, 1797759000000LL);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM movement_legs"), 1);

    x.version = 2;
    x.status = "departed";
    assert_int_equal(tmpdb_write(t, status_job, &x), STORE_OK);
    m = store_movement_get(c, pk, 0);
    assert_string_equal(json_string_value(json_object_get(m, "status")), "departed");
    assert_non_null(json_object_get(m, "departed_at"));
    assert_null(json_object_get(m, "passengers"));
    json_decref(m);
}

static void test_list_scope(void **state)
{
    tmpdb_t *t = *state;
    int64_t tam = tmpdb_office(t, "DZ-TAM", "DZA"), bko = tmpdb_office(t, "ML-BKO", "MLI");
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    insert(t, tam, bko, NULL);
    insert(t, cai, bko, NULL);
    store_conn_t *c = tmpdb_reader(t);
    json_t *l = store_movement_list(c, NULL, 0, NULL, -1, 100);
    assert_int_equal(json_array_size(l), 2);
    json_decref(l);
    l = store_movement_list(c, NULL, 0, &tam, 1, 100); /* the sending office */
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = store_movement_list(c, NULL, 0, &bko, 1, 100); /* the receiving office sees both */
    assert_int_equal(json_array_size(l), 2);
    json_decref(l);
    l = store_movement_list(c, NULL, cai, NULL, -1, 100);
    assert_int_equal(json_array_size(l), 1);
    json_decref(l);
    l = store_movement_list(c, "arrived", 0, NULL, -1, 100);
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
}

static void test_passengers(void **state)
{
    tmpdb_t *t = *state;
    int64_t tam = tmpdb_office(t, "DZ-TAM", "DZA"), bko = tmpdb_office(t, "ML-BKO", "MLI");
    const char *names[] = {"Amadou Keita", "Awa Keita"};
    tmpdb_household_t h;
    int64_t case_pk = tmpdb_household(t, "DZ-TAM", names, 2, &h);
    int64_t first = insert(t, tam, bko, NULL), second = insert(t, tam, bko, NULL);
    store_conn_t *c = tmpdb_reader(t);
    for (int i = 0; i < 2; i++) {
        mv_ctx_t x = {.pk = first, .person_pk = h.person_pk[i], .case_pk = case_pk};
        assert_int_equal(tmpdb_write(t, add_job, &x), STORE_OK);
    }
    assert_int_equal(store_movement_seats_taken(c, first), 2);
    assert_int_equal(store_movement_of_person(c, h.person_pk[1]), first);
    mv_ctx_t again = {.pk = second, .person_pk = h.person_pk[0], .case_pk = case_pk};
    assert_int_equal(tmpdb_write(t, add_job, &again), STORE_CONFLICT);
    assert_int_equal(store_movement_seats_taken(c, second), 0);

    json_t *cases = store_movement_cases(c, first, "booked");
    assert_int_equal(json_array_size(cases), 1);
    json_t *e = json_array_get(cases, 0);
    assert_int_equal(json_integer_value(json_object_get(e, "case_pk")), case_pk);
    assert_int_equal(json_array_size(json_object_get(e, "persons")), 2);
    json_decref(cases);
    json_t *m = store_movement_get(c, first, 1);
    json_t *p = json_object_get(m, "passengers");
    assert_int_equal(json_array_size(p), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(p, 0), "person_id")),
                        h.person_id[0]);
    assert_string_equal(json_string_value(json_object_get(json_array_get(p, 1), "relationship")),
                        "child");
    json_decref(m);

    mv_ctx_t off = {.pk = first, .case_pk = case_pk};
    assert_int_equal(tmpdb_write(t, off_job, &off), STORE_OK);
    assert_int_equal(off.n, 2);
    assert_int_equal(store_movement_seats_taken(c, first), 0);
    assert_int_equal(store_movement_of_person(c, h.person_pk[0]), 0);
    assert_int_equal(tmpdb_write(t, add_job, &again), STORE_OK);
    mv_ctx_t move = {.pk = second};
    assert_int_equal(tmpdb_write(t, move_job, &move), STORE_OK);
    assert_int_equal(store_movement_seats_taken(c, second), 1);
    cases = store_movement_cases(c, second, "departed");
    assert_int_equal(json_array_size(cases), 1);
    json_decref(cases);
    assert_int_equal(store_movement_ready_case(c, h.person_pk[0]), 0); /* registered, not ready */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_movement_and_legs, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_list_scope, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_passengers, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
