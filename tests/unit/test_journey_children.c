/*
 * test_journey_children.c — the protection requirements of the return
 * journey (src/core/journey.c).
 *
 * An unaccompanied or separated child does not depart without the
 * child-protection steps, and a victim of trafficking not without a
 * protection officer and a risk assessment. These tests build snapshots
 * of a case (journey_snap.h) and check each protection step of a child,
 * the outcomes of the best-interests determination and the family
 * assessment (a later negative decision counts), the detection of
 * unaccompanied children and their age at departure, the reading of
 * estimated dates of birth near 18, and the requirements of a person
 * flagged as a victim of trafficking.
 */
#include "journey_snap.h"

/* ---- children ---------------------------------------------------------- */

static void test_child_each_protection_step(void **state)
{
    (void)state;
    static const struct {
        const char *kind, *code, *words;
    } NEEDS[] = {
        {"guardian", "child.guardian", "no guardian is recorded for the child MARIAM KEITA"},
        {"best_interests_assessment", "child.bia",
         "no best-interests assessment for the child MARIAM KEITA"},
        {"best_interests_determination", "child.bid",
         "no best-interests determination that return is in the interests of the child "
         "MARIAM KEITA"},
        {"child_views", "child.views", "the views of the child MARIAM KEITA are not recorded"},
        {"family_assessment", "child.family",
         "shows the family of the child MARIAM KEITA traced and willing"},
        {"escort", "child.escort",
         "no child-protection or operational escort is assigned to the child MARIAM KEITA"},
    };
    json_t *s = child_case();
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    for (size_t i = 0; i < sizeof NEEDS / sizeof NEEDS[0]; i++)
        expect_req(res, NEEDS[i].code, PC, 1, "MARIAM KEITA");
    assert_int_equal(count_prefix(res, "child."), 6);
    json_decref(res);
    json_decref(s);

    for (size_t i = 0; i < sizeof NEEDS / sizeof NEEDS[0]; i++) {
        s = child_case();
        drop(s, NEEDS[i].kind, PC);
        only_unmet("ready", "pre_departure", s, NEEDS[i].code, PC, NEEDS[i].words);
        only_unmet("depart", "booked", s, NEEDS[i].code, PC, NEEDS[i].words);
        json_decref(s);
    }

    /* All six missing are listed together. */
    s = child_case();
    for (size_t i = 0; i < sizeof NEEDS / sizeof NEEDS[0]; i++)
        drop(s, NEEDS[i].kind, PC);
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 6);
    for (size_t i = 0; i < sizeof NEEDS / sizeof NEEDS[0]; i++)
        expect_req(res, NEEDS[i].code, PC, 0, NEEDS[i].words);
    json_decref(res);
    json_decref(s);
}

static void test_child_bid_and_family_outcomes(void **state)
{
    (void)state;
    json_t *s = child_case();
    drop(s, "best_interests_determination", PC);
    record(s, "best_interests_determination", PC, "{s:s,s:s}", "decision",
           "return_not_in_best_interests", "date", "2026-04-10");
    only_unmet("ready", "pre_departure", s, "child.bid", PC,
               "no best-interests determination that return is in the interests");
    json_decref(s);

    static const char *const BAD[] = {"family_not_suitable", "family_not_found"};
    for (int i = 0; i < 2; i++) {
        s = child_case();
        drop(s, "family_assessment", PC);
        record(s, "family_assessment", PC, "{s:s,s:s}", "office", "ML-BKO", "outcome", BAD[i]);
        only_unmet("ready", "pre_departure", s, "child.family", PC, "traced and willing");
        json_decref(s);
    }

    /* A record for another child does not count. */
    s = child_case();
    add_person(s, PD, "Issa Keita", "2016-07-01", "exact");
    complete_member(s, PD, 1);
    child_protection(s, PD);
    drop(s, "guardian", PD);
    only_unmet("ready", "pre_departure", s, "child.guardian", PD, "ISSA KEITA");
    json_decref(s);
}

/* The latest record of a kind counts: a newer determination that return
 * is not in the child's interests, or a newer family assessment finding the
 * family not suitable, replaces an older positive one. */
static void test_child_later_negative_decision_counts(void **state)
{
    (void)state;
    json_t *s = child_case(); /* positive determination, family willing */
    record(s, "best_interests_determination", PC, "{s:s,s:s}", "decision",
           "return_not_in_best_interests", "date", "2026-05-20");
    only_unmet("ready", "pre_departure", s, "child.bid", PC, "MARIAM KEITA");
    only_unmet("depart", "booked", s, "child.bid", PC, "MARIAM KEITA");
    /* And a newer positive one replaces that. */
    record(s, "best_interests_determination", PC, "{s:s,s:s}", "decision",
           "return_in_best_interests", "date", "2026-05-25");
    all_met("depart", "booked", s);
    json_decref(s);

    s = child_case();
    record(s, "family_assessment", PC, "{s:s,s:s}", "office", "ML-BKO", "outcome",
           "family_not_suitable");
    only_unmet("ready", "pre_departure", s, "child.family", PC, "MARIAM KEITA");
    json_decref(s);
}

static void test_child_detection(void **state)
{
    (void)state;
    /* Under 18 with no adult in the case: alone, or with another child. */
    json_t *s = child_case();
    add_person(s, PD, "Issa Keita", "2016-07-01", "exact");
    complete_member(s, PD, 1);
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 6);
    assert_int_equal(count_prefix(res, "child."), 12);
    json_decref(res);
    json_decref(s);

    /* Accompanied by a parent: the child-protection steps are not needed. */
    s = adult_case();
    add_person(s, PC, "Mariam Keita", "2014-02-20", "exact");
    complete_member(s, PC, 1);
    res = run("depart", "booked", s, &unmet);
    expect_all_met(res, unmet);
    assert_int_equal(count_prefix(res, "child."), 0);
    json_decref(res);

    /* Flagged separated: needed although an adult is in the case. */
    add_flag(s, PC, "separated_child");
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 6);
    assert_int_equal(count_prefix(res, "child."), 6);
    expect_req(res, "child.guardian", PC, 0, "MARIAM KEITA");
    json_decref(res);
    child_protection(s, PC);
    all_met("depart", "booked", s);
    json_decref(s);

    /* Flagged unaccompanied, the age unknown: needed too. */
    s = snap_new();
    add_person(s, PC, "Mariam Keita", NULL, NULL);
    add_flag(s, PC, "unaccompanied_child");
    complete_member(s, PC, 1);
    case_records(s);
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 6);
    assert_int_equal(count_prefix(res, "child."), 6);
    json_decref(res);
    child_protection(s, PC);
    all_met("ready", "pre_departure", s);
    json_decref(s);
}

static void test_child_age_at_departure(void **state)
{
    (void)state;
    /* 18 on the day before departure: an adult when travelling. */
    json_t *s = snap_new();
    add_person(s, PC, "Mariam Keita", "2008-05-31", "exact");
    complete_member(s, PC, 0);
    case_records(s);
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    assert_int_equal(count_prefix(res, "child."), 0);
    json_decref(res);
    json_decref(s);
    /* 18 the day after departure: still a child. */
    s = snap_new();
    add_person(s, PC, "Mariam Keita", "2008-06-02", "exact");
    complete_member(s, PC, 0);
    case_records(s);
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(count_prefix(res, "child."), 6);
    expect_req(res, "consent.return", PC, 0, "guardian");
    json_decref(res);
    json_decref(s);
}

/* ---- estimated dates near 18 ------------------------------------------- */

static json_t *person_born(const char *dob, const char *precision)
{
    return json_pack("{s:s,s:s?,s:s?}", "name", "X", "date_of_birth", dob, "dob_precision",
                     precision);
}

static int age_at_departure(const char *dob, const char *precision)
{
    json_t *p = person_born(dob, precision);
    int age = awda_person_age_at(p, ms(DEP));
    json_decref(p);
    return age;
}

static void test_age_estimated_near_18(void **state)
{
    (void)state;
    /* "2008", estimated: could be a year off; read as born at the end of
     * 2009, the youngest possible: 16 on 2026-06-01. */
    assert_int_equal(age_at_departure("2008", "estimated"), 16);
    /* "2008", known to the year: end of 2008 at the latest: 17. */
    assert_int_equal(age_at_departure("2008", "year"), 17);
    assert_int_equal(age_at_departure("2008-06", "month"), 17);
    assert_int_equal(age_at_departure("2008-05", "month"), 18);
    /* Exact dates. */
    assert_int_equal(age_at_departure("2008-01-15", "exact"), 18);
    assert_int_equal(age_at_departure("2008-06-01", "exact"), 18);
    assert_int_equal(age_at_departure("2008-06-02", "exact"), 17);
    /* The stated precision wins over what was typed: a full date known
     * only to the year or the month is read as the end of that year/month. */
    assert_int_equal(age_at_departure("2008-01-15", "year"), 17);
    assert_int_equal(age_at_departure("2008-06-01", "month"), 17);
    assert_int_equal(age_at_departure("2008-05-01", "month"), 18);
    assert_int_equal(age_at_departure("2007", "estimated"), 17);
    assert_int_equal(age_at_departure("2006", "estimated"), 18);
    /* Unknown. */
    assert_int_equal(age_at_departure(NULL, NULL), -1);
    assert_int_equal(age_at_departure("", "exact"), -1);
    assert_int_equal(age_at_departure("sometime", "estimated"), -1);

    /* In a case: alone, "2008" estimated is an unaccompanied child at
     * departure; an exact date in January 2008 is an adult. */
    json_t *s = snap_new();
    add_person(s, PC, "Mariam Keita", "2008", "estimated");
    complete_member(s, PC, 1);
    case_records(s);
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 6);
    assert_int_equal(count_prefix(res, "child."), 6);
    json_decref(res);
    set_str(person_of(s, PC), "date_of_birth", "2008-01-15");
    set_str(person_of(s, PC), "dob_precision", "exact");
    res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    assert_int_equal(count_prefix(res, "child."), 0);
    json_decref(res);
    json_decref(s);

    /* Without a planned departure, the age is read today ("now"). */
    s = snap_new();
    json_object_del(case_of(s), "planned_departure");
    add_person(s, PC, "Mariam Keita", "2008-05-31", "exact"); /* 18 on 2026-05-31 */
    set_now(s, ms("2026-05-30T10:00Z"));
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(count_prefix(res, "child."), 6);
    json_decref(res);
    set_now(s, ms("2026-05-31T10:00Z"));
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(count_prefix(res, "child."), 0);
    json_decref(res);
    json_decref(s);
}

/* ---- trafficking ------------------------------------------------------- */

static void test_trafficking(void **state)
{
    (void)state;
    json_t *s = adult_case();
    add_concern(s, PA, "victim_of_trafficking");
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(unmet, 2);
    expect_req(res, "protection.officer", PA, 0,
               "no protection officer is assigned to AMADOU KEITA");
    expect_req(res, "protection.risk", PA, 0, "no risk assessment for AMADOU KEITA");
    json_decref(res);

    record(s, "protection_officer", PA, "{s:s}", "username", "h.sidibe");
    only_unmet("ready", "pre_departure", s, "protection.risk", PA,
               "no risk assessment for AMADOU KEITA");
    drop(s, "protection_officer", PA);
    record(s, "risk_assessment", PA, "{s:s,s:s}", "date", "2026-04-01", "level", "medium");
    only_unmet("depart", "booked", s, "protection.officer", PA,
               "no protection officer is assigned to AMADOU KEITA");
    record(s, "protection_officer", PA, "{s:s}", "username", "h.sidibe");
    res = run("depart", "booked", s, &unmet);
    expect_all_met(res, unmet);
    expect_req(res, "protection.officer", PA, 1,
               "a protection officer is assigned to AMADOU KEITA");
    expect_req(res, "protection.risk", PA, 1, "a risk assessment was made for AMADOU KEITA");
    json_decref(res);
    json_decref(s);

    /* Not flagged: nothing is asked. */
    s = adult_case();
    res = run("ready", "pre_departure", s, &unmet);
    assert_int_equal(count_prefix(res, "protection."), 0);
    json_decref(res);
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_child_each_protection_step),
        cmocka_unit_test(test_child_bid_and_family_outcomes),
        cmocka_unit_test(test_child_later_negative_decision_counts),
        cmocka_unit_test(test_child_detection),
        cmocka_unit_test(test_child_age_at_departure),
        cmocka_unit_test(test_age_estimated_near_18),
        cmocka_unit_test(test_trafficking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
