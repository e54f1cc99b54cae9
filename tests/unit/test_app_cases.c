/*
 * test_app_cases.c — registering a household and working on it through the
 * application layer (src/app/cases.c), over a temporary database.
 *
 *   - a registration officer registers a household in their office: 201
 *     with the case, its members and a version; reading it back gives the
 *     same household at stage registered, and the timeline starts with
 *     its registration;
 *   - office scoping: staff of another office do not learn that the case
 *     exists (not found, for the case and for its persons; absent from
 *     their lists and search), and may not register a case in an office
 *     they do not work in (forbidden);
 *   - an invalid household is refused with the field at fault;
 *   - a change needs the version it was read at: none is 428, an older
 *     one 412 and changes nothing, the current one succeeds and bumps it;
 *   - a retry with the same Idempotency-Key and request replays the first
 *     answer without a second case; the same key with another request is
 *     refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

static json_t *household(const char *office)
{
    json_t *b = tmpdb_json(
        "{\"origin_country\":\"SDN\",\"destination_country\":\"SDN\","
        "\"destination_admin_area\":\"Khartoum\",\"destination_pcode\":\"SD01\","
        "\"project\":null,\"assigned_to\":null,\"notes\":\"registered at the office\","
        "\"members\":[{\"relationship\":\"principal\",\"person\":{\"name\":\"حامد موسى\","
        "\"name_latin\":\"Hamid Musa\",\"sex\":\"male\",\"date_of_birth\":\"1985-03-02\","
        "\"dob_precision\":\"exact\",\"nationality\":\"SDN\",\"languages\":[\"ar\"],"
        "\"documents\":[],\"contact\":{\"phone\":\"+249912345678\",\"email\":null,"
        "\"address\":null},\"vulnerabilities\":[]}},"
        "{\"relationship\":\"child\",\"person\":{\"name\":\"Amina Musa\",\"name_latin\":null,"
        "\"sex\":\"female\",\"date_of_birth\":\"2016\",\"dob_precision\":\"year\","
        "\"nationality\":\"SDN\",\"languages\":[\"ar\"],\"documents\":[],\"contact\":null,"
        "\"vulnerabilities\":[]}}]}");
    json_object_set_new(b, "office", json_string(office));
    return b;
}

/* Registers a household as a; the new case's id into id. */
static void create(tmpapp_t *t, const app_actor_t *a, const char *office, char id[37])
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    json_t *b = household(office);
    app_case_create(t->app, a, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    snprintf(id, 37, "%s", json_string_value(json_object_get(r.body, "id")));
    app_result_free(&r);
}

static void test_register_and_read_back(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t reg;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &reg);
    app_result_t r;
    memset(&r, 0, sizeof r);
    json_t *b = household("EG-CAI");
    app_case_create(t->app, &reg, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    assert_int_equal(r.version, 1);
    const char *id = json_string_value(json_object_get(r.body, "id"));
    assert_non_null(id);
    assert_non_null(strstr(r.location, id));
    char number[40];
    snprintf(number, sizeof number, "%s", json_string_value(json_object_get(r.body, "number")));
    assert_int_equal(strncmp(number, "EG-CAI-", 7), 0);
    char case_id[37];
    snprintf(case_id, sizeof case_id, "%s", id);
    app_result_free(&r);

    app_case_get(t->app, &reg, case_id, &r);
    tmpapp_expect(&r, APP_OK);
    app_result_body(&r);
    assert_int_equal(r.version, 1);
    assert_string_equal(json_string_value(json_object_get(r.body, "number")), number);
    assert_string_equal(json_string_value(json_object_get(r.body, "stage")), "registered");
    assert_string_equal(json_string_value(json_object_get(r.body, "office")), "EG-CAI");
    json_t *m = json_object_get(r.body, "members");
    assert_int_equal(json_array_size(m), 2);
    json_t *p0 = json_object_get(json_array_get(m, 0), "person");
    assert_string_equal(json_string_value(json_object_get(p0, "name")), "حامد موسى");
    assert_string_equal(json_string_value(json_object_get(p0, "name_latin")), "Hamid Musa");
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(json_array_get(m, 1), "person"), "sex")),
        "female");
    app_result_free(&r);

    app_case_events(t->app, &reg, case_id, &r);
    tmpapp_expect(&r, APP_OK);
    assert_true(json_array_size(json_object_get(app_result_body(&r), "items")) >= 1);
    app_result_free(&r);
}

static void test_other_office_does_not_see_it(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t cai, bko, sys;
    tmpapp_actor(t, "amal", "[\"registration\",\"counsellor\"]", "[\"EG-CAI\"]", &cai);
    tmpapp_actor(t, "moussa", "[\"registration\",\"counsellor\"]", "[\"ML-BKO\"]", &bko);
    tmpapp_system(&sys);
    char id[37];
    create(t, &cai, "EG-CAI", id);

    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_get(t->app, &bko, id, &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    assert_null(r.body);
    app_result_free(&r);
    app_case_events(t->app, &bko, id, &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
    /* the same answer as for a case that does not exist */
    app_case_get(t->app, &bko, "0190a6f2-0000-7000-8000-000000000000", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);

    /* its persons neither */
    app_case_get(t->app, &cai, id, &r);
    app_result_body(&r);
    char pid[37];
    snprintf(pid, sizeof pid, "%s",
             json_string_value(json_object_get(
                 json_array_get(json_object_get(r.body, "members"), 0), "person_id")));
    app_result_free(&r);
    app_person_get(t->app, &bko, pid, &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
    app_person_get(t->app, &cai, pid, &r);
    tmpapp_expect(&r, APP_OK);
    app_result_free(&r);

    /* nor in their lists and searches */
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    app_case_list(t->app, &bko, &q, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 0);
    app_result_free(&r);
    app_case_list(t->app, &cai, &q, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 1);
    app_result_free(&r);
    app_person_search(t->app, &bko, "musa", NULL, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 0);
    app_result_free(&r);
    app_person_search(t->app, &sys, "musa", NULL, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 2);
    app_result_free(&r);

    /* and may not register a case in an office they do not work in */
    json_t *b = household("EG-CAI");
    app_case_create(t->app, &bko, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_FORBIDDEN);
    app_result_free(&r);
    app_case_list(t->app, &sys, &q, &r);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 1);
    app_result_free(&r);
}

static int has_error(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return 1;
    }
    return 0;
}

static void test_invalid_household(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t reg;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &reg);
    json_t *b = household("EG-CAI");
    json_object_del(b, "origin_country");
    json_t *p = json_object_get(json_array_get(json_object_get(b, "members"), 1), "person");
    json_object_set_new(p, "sex", json_string("unknown-value"));
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_create(t->app, &reg, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_INVALID);
    assert_true(has_error(r.errors, "origin_country"));
    assert_true(has_error(r.errors, "members[1].person.sex"));
    app_result_free(&r);
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    app_case_list(t->app, &reg, &q, &r);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r), "items")), 0);
    app_result_free(&r);
}

static void test_change_needs_current_version(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t reg;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &reg);
    char id[37];
    create(t, &reg, "EG-CAI", id);
    json_t *patch = tmpdb_json("{\"notes\":\"moved to another address\"}");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_patch(t->app, &reg, id, -1, patch, &r);
    tmpapp_expect(&r, APP_PRECONDITION_REQUIRED);
    app_result_free(&r);
    app_case_patch(t->app, &reg, id, 1, patch, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(r.version, 2);
    app_result_free(&r);
    json_decref(patch);

    patch = tmpdb_json("{\"notes\":\"a change made from the old version\"}");
    app_case_patch(t->app, &reg, id, 1, patch, &r);
    tmpapp_expect(&r, APP_STALE);
    app_result_free(&r);
    json_decref(patch);

    app_case_get(t->app, &reg, id, &r);
    app_result_body(&r);
    assert_int_equal(r.version, 2);
    assert_string_equal(json_string_value(json_object_get(r.body, "notes")),
                        "moved to another address");
    app_result_free(&r);
}

static void test_idempotent_retry(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t reg;
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &reg);
    const char *hash1 = "1111111111111111111111111111111111111111111111111111111111111111";
    const char *hash2 = "2222222222222222222222222222222222222222222222222222222222222222";
    json_t *b = household("EG-CAI");
    app_result_t r1, r2, r3;
    memset(&r1, 0, sizeof r1);
    memset(&r2, 0, sizeof r2);
    memset(&r3, 0, sizeof r3);
    app_case_create(t->app, &reg, b, "retry-key-1", hash1, &r1);
    tmpapp_expect(&r1, APP_CREATED);
    app_case_create(t->app, &reg, b, "retry-key-1", hash1, &r2);
    assert_non_null(r2.replay);
    assert_int_equal(r2.replay_status, 201);
    json_t *replayed = tmpdb_json(r2.replay);
    assert_string_equal(json_string_value(json_object_get(replayed, "id")),
                        json_string_value(json_object_get(r1.body, "id")));
    json_decref(replayed);
    /* the bytes kept are the bytes the first answer sent */
    assert_non_null(r1.text);
    assert_int_equal(r1.text_len, strlen(r2.replay));
    assert_memory_equal(r1.text, r2.replay, r1.text_len);
    app_case_create(t->app, &reg, b, "retry-key-1", hash2, &r3);
    tmpapp_expect(&r3, APP_IDEM_REUSED);
    json_decref(b);
    app_result_free(&r1);
    app_result_free(&r2);
    app_result_free(&r3);

    app_case_query_t q;
    memset(&q, 0, sizeof q);
    app_case_list(t->app, &reg, &q, &r1);
    assert_int_equal(json_array_size(json_object_get(app_result_body(&r1), "items")), 1);
    app_result_free(&r1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_and_read_back, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_other_office_does_not_see_it, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_household, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_change_needs_current_version, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_idempotent_retry, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
