/*
 * test_journey_table.c — the steps of the return journey (src/core/journey.c).
 *
 * Whether a person may move a step closer to going home is decided by a
 * table of transitions and a set of guards evaluated over one JSON
 * snapshot of the case (see journey.h for its shape; the snapshots are
 * built with journey_snap.h). These tests check:
 *
 *   - every row of the transition table (which event leads from which
 *     stage to which) and that every other pair is refused; the
 *     permissions of each event, the events offered from each stage and
 *     the stages before departure;
 *   - which requirements each step checks, and the steps that check none;
 *   - the reasons for withdrawal, hold and closure;
 *   - that reopening a withdrawn case needs fresh consent, and that resume
 *     applies the guards of the stage the case was held at;
 *   - whether a step is possible for a case (recording an arrival needs an
 *     office in the country of return) and the flags of each step.
 */
#include "journey_snap.h"

/* ---- the transition table ---------------------------------------------- */

#define BACK "(the stage before)"

/* The table as the spec describes it: where event leads from stage, BACK
 * for resume, NULL when the event cannot be taken from stage. */
static const char *spec_to(const char *event, const char *stage)
{
    static const struct {
        const char *event, *from, *to;
    } ROWS[] = {
        {"counsel", "registered", "counselled"},
        {"consent", "counselled", "consented"},
        {"approve_eligibility", "consented", "eligible"},
        {"start_pre_departure", "eligible", "pre_departure"},
        {"ready", "pre_departure", "ready"},
        {"book", "ready", "booked"},
        {"depart", "booked", "departed"},
        {"arrive", "departed", "arrived"},
        {"record_arrival", "registered", "arrived"},
        {"start_reintegration", "arrived", "reintegrating"},
        {"start_monitoring", "reintegrating", "monitoring"},
        {"resume", "on_hold", BACK},
        {"reopen", "withdrawn", "consented"},
        {"reopen", "closed", "registered"},
    };
    static const char *const BEFORE[] = {"registered",    "counselled", "consented", "eligible",
                                         "pre_departure", "ready",      "booked",    NULL};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++)
        if (strcmp(ROWS[i].event, event) == 0 && strcmp(ROWS[i].from, stage) == 0)
            return ROWS[i].to;
    int before = awda_value_index(BEFORE, stage) >= 0;
    if (strcmp(event, "withdraw") == 0 && (before || strcmp(stage, "on_hold") == 0))
        return "withdrawn";
    if (strcmp(event, "hold") == 0 && before)
        return "on_hold";
    if (strcmp(event, "close") == 0 && strcmp(stage, "closed") != 0)
        return "closed";
    return NULL;
}

static void test_table_every_row(void **state)
{
    (void)state;
    int stages = 0, events = 0, allowed = 0;
    while (AWDA_STAGES[stages])
        stages++;
    while (AWDA_EVENTS[events])
        events++;
    assert_int_equal(stages, 14);
    assert_int_equal(events, 16);
    for (int e = 0; AWDA_EVENTS[e]; e++) {
        for (int st = 0; AWDA_STAGES[st]; st++) {
            const char *event = AWDA_EVENTS[e], *stage = AWDA_STAGES[st];
            const awda_transition_t *t = awda_transition_find(event, stage);
            const char *want = spec_to(event, stage);
            if (!want) {
                if (t)
                    fail_msg("%s should be refused from %s, leads to %s", event, stage,
                             t->to ? t->to : "(back)");
                continue;
            }
            allowed++;
            if (!t)
                fail_msg("%s should be possible from %s", event, stage);
            assert_string_equal(t->event, event);
            if (strcmp(want, BACK) == 0)
                assert_null(t->to);
            else if (!t->to || strcmp(t->to, want) != 0)
                fail_msg("%s from %s should lead to %s", event, stage, want);
        }
    }
    /* 10 forward steps, withdraw from 8 stages, hold from 7, resume,
     * reopen twice, close from 13. */
    assert_int_equal(allowed, 11 + 8 + 7 + 1 + 2 + 13);
}

static void test_table_withdraw_hold_close(void **state)
{
    (void)state;
    /* Spelled out: withdrawal and hold up to booked, never after departure. */
    assert_string_equal(tr("withdraw", "booked")->to, "withdrawn");
    assert_string_equal(tr("withdraw", "on_hold")->to, "withdrawn");
    assert_string_equal(tr("withdraw", "registered")->to, "withdrawn");
    assert_null(awda_transition_find("withdraw", "departed"));
    assert_null(awda_transition_find("withdraw", "arrived"));
    assert_null(awda_transition_find("withdraw", "withdrawn"));
    assert_null(awda_transition_find("withdraw", "closed"));
    assert_string_equal(tr("hold", "booked")->to, "on_hold");
    assert_null(awda_transition_find("hold", "on_hold"));
    assert_null(awda_transition_find("hold", "departed"));
    assert_null(awda_transition_find("hold", "withdrawn"));
    assert_string_equal(tr("close", "withdrawn")->to, "closed");
    assert_string_equal(tr("close", "on_hold")->to, "closed");
    assert_string_equal(tr("close", "monitoring")->to, "closed");
    assert_null(awda_transition_find("close", "closed"));
    assert_null(tr("resume", "on_hold")->to);
    assert_string_equal(tr("reopen", "withdrawn")->to, "consented");
    assert_string_equal(tr("reopen", "closed")->to, "registered");
    assert_null(awda_transition_find("reopen", "on_hold"));
    assert_null(awda_transition_find("book", "registered"));
}

static void test_table_permissions(void **state)
{
    (void)state;
    static const struct {
        const char *event, *stage;
        awda_journey_perm_t perm;
        int guarded;
    } P[] = {
        {"counsel", "registered", JP_COUNSEL, 1},
        {"consent", "counselled", JP_COUNSEL, 1},
        {"approve_eligibility", "consented", JP_ELIGIBILITY, 1},
        {"start_pre_departure", "eligible", JP_PREPARE, 1},
        {"ready", "pre_departure", JP_PREPARE, 1},
        {"book", "ready", JP_MOVE, 1},
        {"depart", "booked", JP_MOVE, 1},
        {"arrive", "departed", JP_MOVE, 0},
        {"start_reintegration", "arrived", JP_REINTEGRATE, 0},
        {"start_monitoring", "reintegrating", JP_REINTEGRATE, 0},
        {"withdraw", "ready", JP_WITHDRAW, 1},
        {"hold", "ready", JP_HOLD, 1},
        {"resume", "on_hold", JP_HOLD, 0},
        {"reopen", "withdrawn", JP_REOPEN, 1},
        {"reopen", "closed", JP_REOPEN, 1},
        {"close", "monitoring", JP_CLOSE, 1},
    };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++) {
        const awda_transition_t *t = tr(P[i].event, P[i].stage);
        if (t->perm != P[i].perm)
            fail_msg("%s needs the wrong permission", P[i].event);
        if ((t->guards != 0) != P[i].guarded)
            fail_msg("%s should %shave guards", P[i].event, P[i].guarded ? "" : "not ");
    }
}

static void test_table_unknown(void **state)
{
    (void)state;
    assert_null(awda_transition_find("teleport", "registered"));
    assert_null(awda_transition_find("counsel", "nowhere"));
    assert_null(awda_transition_find(NULL, "registered"));
    assert_null(awda_transition_find("counsel", NULL));
    assert_null(awda_transition_find("COUNSEL", "registered"));
}

static void expect_events(const char *stage, const char *const *want)
{
    const awda_transition_t *out[20];
    int n = awda_transition_events(stage, out, 20);
    int k = 0;
    while (want[k])
        k++;
    if (n != k)
        fail_msg("stage %s: %d events, expected %d", stage, n, k);
    for (int i = 0; i < n; i++)
        if (strcmp(out[i]->event, want[i]) != 0)
            fail_msg("stage %s: event %d is %s, expected %s", stage, i, out[i]->event, want[i]);
}

static void test_transition_events(void **state)
{
    (void)state;
    expect_events("registered", (const char *const[]){"counsel", "record_arrival", "withdraw",
                                                      "hold", "close", NULL});
    expect_events("counselled",
                  (const char *const[]){"consent", "withdraw", "hold", "close", NULL});
    expect_events("booked", (const char *const[]){"depart", "withdraw", "hold", "close", NULL});
    expect_events("departed", (const char *const[]){"arrive", "close", NULL});
    expect_events("arrived", (const char *const[]){"start_reintegration", "close", NULL});
    expect_events("monitoring", (const char *const[]){"close", NULL});
    expect_events("on_hold", (const char *const[]){"withdraw", "resume", "close", NULL});
    expect_events("withdrawn", (const char *const[]){"reopen", "close", NULL});
    expect_events("closed", (const char *const[]){"reopen", NULL});
    expect_events("nowhere", (const char *const[]){NULL});

    /* At most max. */
    const awda_transition_t *out[2];
    assert_int_equal(awda_transition_events("registered", out, 2), 2);
    assert_string_equal(out[0]->event, "counsel");
    assert_string_equal(out[1]->event, "record_arrival");
    assert_int_equal(awda_transition_events("registered", out, 0), 0);
}

static void test_stage_before_departure(void **state)
{
    (void)state;
    static const char *const YES[] = {"registered",    "counselled", "consented", "eligible",
                                      "pre_departure", "ready",      "booked",    NULL};
    static const char *const NO[] = {"departed",   "arrived", "reintegrating",
                                     "monitoring", "closed",  "withdrawn",
                                     "on_hold",    "nowhere", NULL};
    for (int i = 0; YES[i]; i++)
        assert_int_equal(awda_stage_before_departure(YES[i]), 1);
    for (int i = 0; NO[i]; i++)
        assert_int_equal(awda_stage_before_departure(NO[i]), 0);
}

/* ---- which requirements each step has ------------------------------------ */

static void expect_step_codes(const char *event, const char *stage, const char *const *codes)
{
    json_t *s = snap_new();
    add_person(s, PA, "Amadou Keita", "1985-04-12", "exact");
    int unmet;
    json_t *res = run(event, stage, s, &unmet);
    expect_codes(res, codes);
    json_decref(res);
    json_decref(s);
}

static void test_requirements_of_each_step(void **state)
{
    (void)state;
    static const char *const COUNSEL[] = {
        "counselling.return_process", "counselling.origin_situation",
        "counselling.reintegration_options", "counselling.rights_and_withdrawal", NULL};
    static const char *const CONSENT[] = {"counselling.return_process",
                                          "counselling.origin_situation",
                                          "counselling.reintegration_options",
                                          "counselling.rights_and_withdrawal",
                                          "consent.return",
                                          NULL};
    static const char *const ELIGIBLE[] = {"consent.return", "eligibility.decision",
                                           "restriction.clear", NULL};
    static const char *const READY[] = {"consent.return",
                                        "eligibility.decision",
                                        "restriction.clear",
                                        "departure.planned",
                                        "document.valid",
                                        "procedure.exit_visa",
                                        "procedure.fine_waiver",
                                        "procedure.police_clearance",
                                        "health.fit",
                                        NULL};
    static const char *const BOARD[] = {"consent.return",
                                        "eligibility.decision",
                                        "restriction.clear",
                                        "departure.planned",
                                        "document.valid",
                                        "procedure.exit_visa",
                                        "procedure.fine_waiver",
                                        "procedure.police_clearance",
                                        "health.fit",
                                        "reconfirmation",
                                        "health.pre_embarkation",
                                        NULL};
    static const char *const REASON[] = {"reason", NULL};
    static const char *const CLOSURE[] = {"closure.reason", NULL};
    static const char *const NONE[] = {NULL};

    expect_step_codes("counsel", "registered", COUNSEL);
    expect_step_codes("consent", "counselled", CONSENT);
    expect_step_codes("approve_eligibility", "consented", ELIGIBLE);
    expect_step_codes("start_pre_departure", "eligible", ELIGIBLE);
    expect_step_codes("ready", "pre_departure", READY);
    expect_step_codes("book", "ready", READY);
    expect_step_codes("depart", "booked", BOARD);
    expect_step_codes("arrive", "departed", NONE);
    expect_step_codes("start_reintegration", "arrived", NONE);
    expect_step_codes("start_monitoring", "reintegrating", NONE);
    expect_step_codes("withdraw", "booked", REASON);
    expect_step_codes("withdraw", "on_hold", REASON);
    expect_step_codes("hold", "eligible", REASON);
    expect_step_codes("reopen", "withdrawn", CONSENT);
    expect_step_codes("reopen", "closed", REASON);
    expect_step_codes("close", "monitoring", CLOSURE);
}

static void test_steps_without_requirements(void **state)
{
    (void)state;
    json_t *s = snap_new();
    int unmet;
    json_t *res = run("arrive", "departed", s, &unmet);
    assert_int_equal(unmet, 0);
    assert_int_equal(json_array_size(res), 0);
    json_decref(res);
    json_decref(s);
}

/* ---- reasons ----------------------------------------------------------- */

static void test_reason_withdraw_hold(void **state)
{
    (void)state;
    json_t *s = adult_case();
    only_unmet("withdraw", "booked", s, "reason", NULL, "a reason is needed");
    only_unmet("withdraw", "on_hold", s, "reason", NULL, "a reason is needed");
    only_unmet("hold", "consented", s, "reason", NULL, "a reason is needed");
    only_unmet("reopen", "closed", s, "reason", NULL, "a reason is needed");
    json_object_set_new(s, "reason", json_string(""));
    only_unmet("withdraw", "booked", s, "reason", NULL, "a reason is needed");
    json_object_set_new(s, "reason", json_string("wants to stay with his family here"));
    int unmet;
    json_t *res = run("withdraw", "booked", s, &unmet);
    expect_all_met(res, unmet);
    expect_req(res, "reason", NULL, 1, "a reason is given");
    assert_int_equal(json_array_size(res), 1);
    json_decref(res);
    all_met("hold", "consented", s);
    all_met("reopen", "closed", s);
    json_decref(s);

    /* Withdrawal needs nothing but the reason: not consent, not documents. */
    s = snap_new();
    add_person(s, PA, "Amadou Keita", "1985-04-12", "exact");
    json_object_set_new(s, "reason", json_string("changed his mind"));
    all_met("withdraw", "booked", s);
    all_met("withdraw", "registered", s);
    json_decref(s);
}

static void test_closure_reasons(void **state)
{
    (void)state;
    json_t *s = adult_case();
    only_unmet("close", "monitoring", s, "closure.reason", NULL, "a closure reason is needed");
    json_object_set_new(s, "reason", json_string("moved"));
    only_unmet("close", "monitoring", s, "closure.reason", NULL,
               "plan_completed, support_period_ended, withdrew, left_the_area, lost_contact, "
               "re_migrated, deceased, ineligible or other");
    int n = 0;
    for (int i = 0; AWDA_CLOSURE_REASONS[i]; i++, n++) {
        json_object_set_new(s, "reason", json_string(AWDA_CLOSURE_REASONS[i]));
        int unmet;
        json_t *res = run("close", "withdrawn", s, &unmet);
        expect_all_met(res, unmet);
        char words[96];
        snprintf(words, sizeof words, "the closure reason is %s", AWDA_CLOSURE_REASONS[i]);
        expect_req(res, "closure.reason", NULL, 1, words);
        json_decref(res);
    }
    assert_int_equal(n, 9);
    json_decref(s);
}

/* ---- reopen and resume ------------------------------------------------- */

static void test_reopen_withdrawn_needs_fresh_consent(void **state)
{
    (void)state;
    json_t *s = adult_case();
    drop(s, "consent", PA);
    record(s, "consent", PA, "{s:s,s:s,s:s}", "purpose", "return", "given_by", "self",
           "withdrawn_at", "2026-05-10T08:00:00Z");
    only_unmet("reopen", "withdrawn", s, "consent.return", PA, "withdrew consent");
    consent(s, PA, 0);
    all_met("reopen", "withdrawn", s);
    drop(s, "counselling", NULL);
    int unmet;
    json_t *res = run("reopen", "withdrawn", s, &unmet);
    assert_int_equal(unmet, 4);
    assert_int_equal(count_prefix(res, "counselling."), 4);
    json_decref(res);
    json_decref(s);
}

static void test_resume_uses_guards_of_stage_before(void **state)
{
    (void)state;
    static const char *const READY[] = {"consent.return",
                                        "eligibility.decision",
                                        "restriction.clear",
                                        "departure.planned",
                                        "document.valid",
                                        "procedure.exit_visa",
                                        "procedure.fine_waiver",
                                        "procedure.police_clearance",
                                        "health.fit",
                                        NULL};
    json_t *s = adult_case();
    set_str(case_of(s), "stage", "on_hold");
    set_str(case_of(s), "stage_before", "ready");
    int unmet;
    json_t *res = run("resume", "on_hold", s, &unmet);
    expect_all_met(res, unmet);
    expect_codes(res, READY);
    json_decref(res);
    drop(s, "health_assessment", PA);
    res = run("resume", "on_hold", s, &unmet);
    expect_only_unmet(res, unmet, "health.fit", PA, "no fitness-to-travel assessment");
    /* Not the boarding checks. */
    assert_int_equal(count_code(res, "health.pre_embarkation"), 0);
    json_decref(res);
    json_decref(s);

    /* Back to booked: what booking needs (not the boarding checks, which
     * wait for the departure). */
    s = adult_case();
    set_str(case_of(s), "stage_before", "booked");
    drop(s, "reconfirmation", PA);
    all_met("resume", "on_hold", s);
    drop(s, "health_assessment", PA);
    only_unmet("resume", "on_hold", s, "health.fit", PA, "AMADOU KEITA");
    json_decref(s);

    /* Back to consented: counselling and consent (the consent step, not reopen). */
    static const char *const CONSENT[] = {"counselling.return_process",
                                          "counselling.origin_situation",
                                          "counselling.reintegration_options",
                                          "counselling.rights_and_withdrawal",
                                          "consent.return",
                                          NULL};
    s = adult_case();
    set_str(case_of(s), "stage_before", "consented");
    res = run("resume", "on_hold", s, &unmet);
    expect_all_met(res, unmet);
    expect_codes(res, CONSENT);
    json_decref(res);
    drop(s, "consent", PA);
    only_unmet("resume", "on_hold", s, "consent.return", PA, "no consent");
    json_decref(s);

    /* Back to eligible: consent, eligibility, restrictions. */
    s = adult_case();
    set_str(case_of(s), "stage_before", "eligible");
    add_restriction(s, R1, "suspended", NULL);
    only_unmet("resume", "on_hold", s, "restriction.suspended", NULL, "suspended");
    json_decref(s);

    /* Back to registered: nothing to check (reopen is not the way in). */
    s = snap_new();
    add_person(s, PA, "Amadou Keita", "1985-04-12", "exact");
    set_str(case_of(s), "stage_before", "registered");
    res = run("resume", "on_hold", s, &unmet);
    assert_int_equal(unmet, 0);
    assert_int_equal(json_array_size(res), 0);
    json_decref(res);
    json_decref(s);
}

/* ---- which steps are offered ---------------------------------------------- */

static void test_transition_possible_and_flags(void **state)
{
    (void)state;
    json_t *s = snap_new();
    add_person(s, PA, "Amadou Keita", "1985-04-12", "exact");
    const awda_transition_t *ra = tr("record_arrival", "registered");
    /* No office country known, or an office outside the country of return. */
    assert_int_equal(possible(ra, s), 0);
    json_object_set_new(s, "office_country", json_string("EGY"));
    assert_int_equal(possible(ra, s), 0);
    json_object_set_new(s, "office_country", json_string("MLI"));
    assert_int_equal(possible(ra, s), 1);
    json_object_set_new(s, "office_country", json_string("EGY"));
    assert_int_equal(possible(tr("counsel", "registered"), s), 1);
    assert_int_equal(possible(tr("withdraw", "registered"), s), 1);
    json_decref(s);

    static const char *const SIDE[][2] = {{"withdraw", "ready"}, {"hold", "ready"},
                                          {"resume", "on_hold"}, {"reopen", "withdrawn"},
                                          {"reopen", "closed"},  {"close", "departed"}};
    for (size_t i = 0; i < sizeof SIDE / sizeof SIDE[0]; i++)
        assert_true(tr(SIDE[i][0], SIDE[i][1])->flags & AWDA_STEP_SIDE);
    static const char *const FORWARD[][2] = {{"counsel", "registered"},
                                             {"consent", "counselled"},
                                             {"ready", "pre_departure"},
                                             {"book", "ready"},
                                             {"depart", "booked"},
                                             {"arrive", "departed"},
                                             {"record_arrival", "registered"},
                                             {"start_monitoring", "reintegrating"}};
    for (size_t i = 0; i < sizeof FORWARD / sizeof FORWARD[0]; i++)
        assert_false(tr(FORWARD[i][0], FORWARD[i][1])->flags & AWDA_STEP_SIDE);
    assert_true(tr("depart", "booked")->flags & AWDA_STEP_AT_REQUIRED);
    assert_true(tr("arrive", "departed")->flags & AWDA_STEP_AT_REQUIRED);
    assert_true(tr("record_arrival", "registered")->flags & AWDA_STEP_AT_OPTIONAL);
    assert_false(tr("book", "ready")->flags & (AWDA_STEP_AT_REQUIRED | AWDA_STEP_AT_OPTIONAL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_every_row),
        cmocka_unit_test(test_table_withdraw_hold_close),
        cmocka_unit_test(test_table_permissions),
        cmocka_unit_test(test_table_unknown),
        cmocka_unit_test(test_transition_events),
        cmocka_unit_test(test_stage_before_departure),
        cmocka_unit_test(test_requirements_of_each_step),
        cmocka_unit_test(test_steps_without_requirements),
        cmocka_unit_test(test_reason_withdraw_hold),
        cmocka_unit_test(test_closure_reasons),
        cmocka_unit_test(test_reopen_withdrawn_needs_fresh_consent),
        cmocka_unit_test(test_resume_uses_guards_of_stage_before),
        cmocka_unit_test(test_transition_possible_and_flags),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
