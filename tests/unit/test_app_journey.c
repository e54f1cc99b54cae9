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
 *     take the step;
 *   - the typed snapshot the requirements read (app_journey_snapshot) holds
 *     the case, its members with names, dates, flags from both lists (the
 *     protection concerns opened) and only their travel documents, its
 *     records, the office's country and the configured checklist and
 *     windows; restrictions that cannot be read stop it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"
#include "../../src/app/internal.h"

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

static void test_typed_snapshot(void **state)
{
    tmpapp_t *t = *state;
    app_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.procedure_types = "exit_visa,,police_clearance";
    cfg.reconfirm_hours = 48;
    cfg.preembark_hours = 24;
    app_t *app = app_new(t->db->store, &cfg);
    assert_non_null(app);
    app_actor_t sys;
    tmpapp_system(&sys);
    json_t *b = tmpdb_json(
        "{\"office\":\"EG-CAI\",\"origin_country\":\"SDN\",\"destination_country\":\"MLI\","
        "\"destination_admin_area\":\"Gao\",\"members\":["
        "{\"relationship\":\"principal\",\"person\":{\"name\":\"آمنة توري\","
        "\"name_latin\":\"Amina Toure\",\"sex\":\"female\",\"date_of_birth\":\"1990-02-03\","
        "\"dob_precision\":\"exact\",\"nationality\":\"MLI\",\"languages\":[\"fr\"],"
        "\"documents\":[{\"type\":\"national_id\",\"number\":\"N1\",\"expiry\":\"2031-01-01\"},"
        "{\"type\":\"passport\",\"number\":\"P1\",\"expiry\":\"2029-05-06\"}],"
        "\"vulnerabilities\":[]}},"
        "{\"relationship\":\"child\",\"person\":{\"name\":\"Sekou Toure\",\"sex\":\"male\","
        "\"date_of_birth\":\"2015\",\"dob_precision\":\"year\",\"nationality\":\"MLI\","
        "\"languages\":[\"fr\"],\"documents\":[{\"type\":\"laissez_passer\",\"number\":\"L1\"}],"
        "\"vulnerabilities\":[\"separated_child\"],"
        "\"protection_vulnerabilities\":[\"victim_of_trafficking\"]}}]}");
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_case_create(app, &sys, b, NULL, NULL, &r);
    json_decref(b);
    tmpapp_expect(&r, APP_CREATED);
    char id[37], pid0[40], pid1[40];
    const json_t *members = json_object_get(r.body, "members");
    snprintf(id, sizeof id, "%s", json_string_value(json_object_get(r.body, "id")));
    snprintf(pid0, sizeof pid0, "%s",
             json_string_value(json_object_get(json_array_get(members, 0), "person_id")));
    snprintf(pid1, sizeof pid1, "%s",
             json_string_value(json_object_get(json_array_get(members, 1), "person_id")));
    app_result_free(&r);

    store_conn_t *c = tmpdb_reader(t->db);
    int64_t pk = 0, office_pk, version;
    assert_int_equal(store_case_find(c, id, &pk, &office_pk, &version), STORE_OK);
    awda_journey_t j;
    assert_int_equal(app_journey_snapshot(app, c, pk, &j), 1);
    assert_string_equal(j.case_id, id);
    assert_string_equal(j.stage, "registered");
    assert_string_equal(j.stage_before, "");
    assert_string_equal(j.dest_country, "MLI");
    assert_string_equal(j.dest_admin_area, "Gao");
    assert_string_equal(j.office_country, "EGY");
    assert_int_equal(j.planned_departure, -1);
    assert_int_equal(j.departed_at, -1);
    assert_int_equal(j.version, version);
    assert_int_equal(j.nmembers, 2);
    const awda_member_t *a = &j.members[0], *k = &j.members[1];
    assert_string_equal(a->person_id, pid0);
    assert_string_equal(a->name, "AMINA TOURE"); /* the Latin name first */
    assert_string_equal(a->dob, "1990-02-03");
    assert_string_equal(a->dob_precision, "exact");
    assert_int_equal(a->flags, 0);
    assert_int_equal(a->ndocs, 1); /* the national id is not a travel document */
    assert_string_equal(a->docs[0].type, "passport");
    assert_string_equal(a->docs[0].expiry, "2029-05-06");
    assert_string_equal(k->person_id, pid1);
    assert_string_equal(k->name, "SEKOU TOURE");
    assert_string_equal(k->dob_precision, "year");
    /* one flag from each list; the protection concern opened */
    assert_int_equal(k->flags, AWDA_PF_SEPARATED_CHILD | AWDA_PF_TRAFFICKED);
    assert_int_equal(k->ndocs, 1);
    assert_string_equal(k->docs[0].type, "laissez_passer");
    assert_string_equal(k->docs[0].expiry, "");
    assert_int_equal(j.nprocedure_types, 2);
    assert_string_equal(j.procedure_types[0], "exit_visa");
    assert_string_equal(j.procedure_types[1], "police_clearance");
    assert_int_equal(j.reconfirm_hours, 48);
    assert_int_equal(j.preembark_hours, 24);
    assert_int_equal(j.records.n, 0);
    assert_int_equal(j.nrestrictions, 0);
    assert_int_equal(j.dest_changed, 0);
    assert_null(j.reason);
    assert_null(j.at);
    long long now = (long long)time(NULL) * 1000;
    assert_true(j.now > now - 60000 && j.now < now + 60000);
    awda_journey_free(&j);
    assert_null(j.members);
    assert_int_equal(j.nmembers, 0);

    /* restrictions that cannot be read stop the snapshot: none known is
     * not "none in force" */
    assert_int_equal(tmpdb_exec(t->db, "ALTER TABLE restrictions RENAME TO restrictions_gone"),
                     SQLITE_OK);
    store_conn_t *fresh = tmpdb_reader(t->db);
    assert_int_equal(app_journey_snapshot(app, fresh, pk, &j), 0);
    assert_null(j.members);
    app_free(app);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guard_refuses_then_allows, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_wrong_stage_role_office, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_readiness, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_typed_snapshot, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
