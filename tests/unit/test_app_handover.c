/*
 * test_app_handover.c — handing a case over to the receiving office in the
 * country of return (app_case_hand_over, src/app/journey.c), over a
 * temporary database.
 *
 *   - before the hand-over, staff of the receiving office do not see the
 *     case (not found); after it they do, in their list too, while the
 *     holding office keeps it and staff of a third office still do not;
 *   - the hand-over bumps the case's version and goes on the timeline;
 *   - the receiving office must exist and be in the country of return:
 *     otherwise the office field is at fault and nothing changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

static app_code_t hand_over(tmpapp_t *t, const app_actor_t *a, const char *id, const char *office,
                            app_result_t *r)
{
    json_t *b = json_pack("{s:s}", "office", office);
    memset(r, 0, sizeof *r);
    app_case_hand_over(t->app, a, id, b, r);
    json_decref(b);
    return r->code;
}

static app_code_t get(tmpapp_t *t, const app_actor_t *a, const char *id, long long *version)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_get(t->app, a, id, &r);
    app_code_t code = r.code;
    if (version)
        *version = r.version;
    app_result_free(&r);
    return code;
}

static size_t listed(tmpapp_t *t, const app_actor_t *a)
{
    app_case_query_t q;
    memset(&q, 0, sizeof q);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_list(t->app, a, &q, &r);
    tmpapp_expect(&r, APP_OK);
    size_t n = json_array_size(json_object_get(app_result_body(&r), "items"));
    app_result_free(&r);
    return n;
}

static void test_receiving_office_sees_the_case(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t ops, krt, bko;
    tmpapp_actor(t, "amal", "[\"registration\",\"operations\"]", "[\"EG-CAI\"]", &ops);
    tmpapp_actor(t, "tahir", "[\"operations\"]", "[\"SD-KRT\"]", &krt);
    tmpapp_actor(t, "moussa", "[\"operations\"]", "[\"ML-BKO\"]", &bko);
    char id[37];
    tmpapp_register(t, &ops, "EG-CAI", id);
    assert_int_equal(get(t, &krt, id, NULL), APP_NOT_FOUND);
    assert_int_equal(listed(t, &krt), 0);

    app_result_t r;
    assert_int_equal(hand_over(t, &ops, id, "SD-KRT", &r), APP_OK);
    assert_string_equal(json_string_value(json_object_get(r.body, "receiving_office")), "SD-KRT");
    assert_int_equal(r.version, 2);
    app_result_free(&r);

    long long v = 0;
    assert_int_equal(get(t, &krt, id, &v), APP_OK);
    assert_int_equal(v, 2);
    assert_int_equal(listed(t, &krt), 1);
    assert_int_equal(get(t, &ops, id, NULL), APP_OK);
    assert_int_equal(get(t, &bko, id, NULL), APP_NOT_FOUND);
    assert_int_equal(listed(t, &bko), 0);

    memset(&r, 0, sizeof r);
    app_case_events(t->app, &krt, id, &r);
    tmpapp_expect(&r, APP_OK);
    json_t *items = json_object_get(r.body, "items");
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(json_string_value(json_object_get(last, "kind")), "handed_over");
    app_result_free(&r);
}

static void test_office_must_be_in_the_country_of_return(void **state)
{
    tmpapp_t *t = *state;
    app_actor_t ops;
    tmpapp_actor(t, "amal", "[\"registration\",\"operations\"]", "[\"EG-CAI\"]", &ops);
    char id[37];
    tmpapp_register(t, &ops, "EG-CAI", id);
    app_result_t r;
    assert_int_equal(hand_over(t, &ops, id, "ML-BKO", &r), APP_INVALID); /* Mali, not Sudan */
    assert_string_equal(json_string_value(json_object_get(json_array_get(r.errors, 0), "field")),
                        "office");
    app_result_free(&r);
    assert_int_equal(hand_over(t, &ops, id, "SD-XXX", &r), APP_INVALID); /* no such office */
    app_result_free(&r);
    long long v = 0;
    assert_int_equal(get(t, &ops, id, &v), APP_OK);
    assert_int_equal(v, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_receiving_office_sees_the_case, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_office_must_be_in_the_country_of_return, tmpapp_setup,
                                        tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
