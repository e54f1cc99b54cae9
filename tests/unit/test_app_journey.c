/*
 * test_app_journey.c — steps of the return journey through the application
 * layer (src/app/journey.c), over a temporary database.
 *
 *   - a step whose guard fails is refused with every unmet requirement
 *     (APP_UNMET, "requirements" naming the counselling topic still
 *     missing) and the case stays where it was;
 *   - once the records the guard asks for exist, the same step moves the
 *     case, bumps its version and goes on the timeline;
 *   - a step the stage does not offer is a conflict; a role that may not
 *     take the step is forbidden; staff of another office get not found;
 *   - readiness tells the same: what is missing, and whether the actor may
 *     take the step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

typedef struct {
    app_actor_t reg, couns, other;
    char id[37];
} journey_t;

static void start(tmpapp_t *t, journey_t *j)
{
    tmpapp_actor(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]", &j->reg);
    tmpapp_actor(t, "zaid", "[\"counsellor\"]", "[\"EG-CAI\"]", &j->couns);
    tmpapp_actor(t, "moussa", "[\"counsellor\"]", "[\"ML-BKO\"]", &j->other);
    tmpapp_register(t, &j->reg, "EG-CAI", j->id);
}

/* Records a counselling session that covered topics (a JSON array). */
static void counselling(tmpapp_t *t, journey_t *j, const char *topics)
{
    char today[11];
    tmpapp_today(today);
    json_t *b = json_pack("{s:s,s:s,s:s,s:[s],s:b,s:o,s:s}", "kind", "counselling", "date", today,
                          "counsellor", "Zaid", "language", "ar", "interpreter", 0, "topics",
                          tmpdb_json(topics), "notes", "at the office");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_record_create(t->app, &j->couns, j->id, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    app_result_free(&r);
}

static void step(tmpapp_t *t, const app_actor_t *a, const char *id, const char *event,
                 app_result_t *r)
{
    json_t *b = json_pack("{s:s}", "event", event);
    memset(r, 0, sizeof *r);
    app_case_transition(t->app, a, id, b, r);
    json_decref(b);
}

static void stage_is(tmpapp_t *t, journey_t *j, const char *stage, long long version)
{
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_get(t->app, &j->reg, j->id, &r);
    tmpapp_expect(&r, APP_OK);
    app_result_body(&r);
    assert_string_equal(json_string_value(json_object_get(r.body, "stage")), stage);
    assert_int_equal(r.version, version);
    app_result_free(&r);
}

/* 1 when the requirements name code (all of them are unmet ones). */
static int names(const json_t *reqs, const char *code)
{
    size_t i;
    json_t *q;
    json_array_foreach(reqs, i, q)
    {
        if (strcmp(json_string_value(json_object_get(q, "code")), code) == 0)
            return 1;
    }
    return 0;
}

static void test_guard_refuses_then_allows(void **state)
{
    tmpapp_t *t = *state;
    journey_t j;
    start(t, &j);
    app_result_t r;
    step(t, &j.couns, j.id, "counsel", &r);
    tmpapp_expect(&r, APP_UNMET);
    json_t *reqs = json_object_get(r.extra, "requirements");
    assert_int_equal(json_array_size(reqs), 4); /* no counselling at all yet */
    app_result_free(&r);
    stage_is(t, &j, "registered", 1);

    counselling(t, &j, "[\"return_process\",\"origin_situation\",\"reintegration_options\"]");
    step(t, &j.couns, j.id, "counsel", &r);
    tmpapp_expect(&r, APP_UNMET);
    reqs = json_object_get(r.extra, "requirements");
    assert_int_equal(json_array_size(reqs), 1);
    assert_true(names(reqs, "counselling.rights_and_withdrawal"));
    app_result_free(&r);
    stage_is(t, &j, "registered", 1);

    counselling(t, &j, "[\"rights_and_withdrawal\"]");
    step(t, &j.couns, j.id, "counsel", &r);
    tmpapp_expect(&r, APP_OK);
    app_result_free(&r);
    stage_is(t, &j, "counselled", 2);

    memset(&r, 0, sizeof r);
    app_case_events(t->app, &j.reg, j.id, &r);
    tmpapp_expect(&r, APP_OK);
    json_t *items = json_object_get(r.body, "items");
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(last, "data"), "event")),
                        "counsel");
    app_result_free(&r);
}

static void test_wrong_stage_role_office(void **state)
{
    tmpapp_t *t = *state;
    journey_t j;
    start(t, &j);
    counselling(t, &j,
                "[\"return_process\",\"origin_situation\",\"reintegration_options\","
                "\"rights_and_withdrawal\"]");
    app_result_t r;
    step(t, &j.couns, j.id, "book", &r); /* not a step from registered */
    tmpapp_expect(&r, APP_CONFLICT);
    app_result_free(&r);
    step(t, &j.reg, j.id, "counsel", &r); /* registration does not counsel */
    tmpapp_expect(&r, APP_FORBIDDEN);
    app_result_free(&r);
    step(t, &j.other, j.id, "counsel", &r); /* a counsellor of another office */
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
    step(t, &j.couns, j.id, "no_such_step", &r);
    tmpapp_expect(&r, APP_INVALID);
    app_result_free(&r);
    stage_is(t, &j, "registered", 1);
}

static json_t *readiness_of(json_t *body, const char *event)
{
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(body, "next"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "event")), event) == 0)
            return s;
    }
    return NULL;
}

static void test_readiness(void **state)
{
    tmpapp_t *t = *state;
    journey_t j;
    start(t, &j);
    counselling(t, &j, "[\"return_process\"]");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_readiness(t->app, &j.couns, j.id, &r);
    tmpapp_expect(&r, APP_OK);
    json_t *s = readiness_of(r.body, "counsel");
    assert_non_null(s);
    assert_false(json_is_true(json_object_get(s, "ready")));
    assert_int_equal(json_integer_value(json_object_get(s, "missing")), 3);
    assert_true(json_is_true(json_object_get(s, "allowed")));
    app_result_free(&r);
    app_case_readiness(t->app, &j.reg, j.id, &r);
    tmpapp_expect(&r, APP_OK);
    assert_false(json_is_true(json_object_get(readiness_of(r.body, "counsel"), "allowed")));
    app_result_free(&r);
    app_case_readiness(t->app, &j.other, j.id, &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guard_refuses_then_allows, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_stage_role_office, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_readiness, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
