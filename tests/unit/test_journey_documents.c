/*
 * test_journey_documents.c — the requirements of the return journey
 * (src/core/journey.c) about travel itself.
 *
 * Nobody boards without a planned departure, a valid travel document,
 * the exit procedures done and a fitness-to-travel assessment. These
 * tests build snapshots of a case (journey_snap.h) and check, for each of
 * these guards, that when exactly one requirement is missing it reports
 * exactly that one (its code, the person it concerns and a message naming
 * them in capitals): a departure missing or in the past; no document, an
 * expired or a valid passport, documents recorded as records; each type
 * of procedure and the configured list of them; no assessment, unfit, and
 * fit with a medical escort.
 */
#include "journey_snap.h"

/* ---- planned departure ------------------------------------------------- */

static void test_departure_missing_or_past(void **state)
{
    (void)state;
    json_t *s = adult_case();
    json_object_del(case_of(s), "planned_departure");
    only_unmet("ready", "pre_departure", s, "departure.planned", NULL,
               "the planned departure date is not set");
    set_str(case_of(s), "planned_departure", NULL);
    only_unmet("ready", "pre_departure", s, "departure.planned", NULL, "not set");
    set_str(case_of(s), "planned_departure", "soon");
    only_unmet("ready", "pre_departure", s, "departure.planned", NULL, "not set");

    set_str(case_of(s), "planned_departure", DEP);
    set_now(s, ms(DEP) + HOUR);
    only_unmet("ready", "pre_departure", s, "departure.planned", NULL,
               "the planned departure is in the past");
    /* A bare date is midnight UTC; exactly now is not in the past. */
    set_str(case_of(s), "planned_departure", "2026-06-01");
    set_now(s, ms("2026-06-01"));
    all_met("ready", "pre_departure", s);
    json_decref(s);
}

/* ---- travel documents -------------------------------------------------- */

static void test_documents_none(void **state)
{
    (void)state;
    json_t *s = adult_case();
    json_object_set_new(person_of(s, PA), "documents", json_array());
    only_unmet("ready", "pre_departure", s, "document.valid", PA,
               "AMADOU KEITA has no travel document");
    /* An identity card is not a travel document. */
    add_doc(s, PA, "national_id", "2031-01-01");
    only_unmet("ready", "pre_departure", s, "document.valid", PA, "has no travel document");
    json_decref(s);
}

static void test_documents_expired_passport(void **state)
{
    (void)state;
    json_t *s = snap_new();
    add_person(s, PB, "Fatoumata Diallo", "1990-11-02", "exact");
    complete_member(s, PB, 0);
    case_records(s);
    set_str(case_of(s), "planned_departure", "2026-12-01T10:00Z");
    /* Move the windows with the departure: reconfirm and check on time. */
    set_now(s, ms("2026-12-01T08:00Z"));
    drop(s, "reconfirmation", PB);
    reconfirm(s, PB, "2026-11-30T12:00Z");
    drop(s, "health_assessment", PB);
    health(s, PB, "fit", "2026-11-20T09:00Z", 0);
    health(s, PB, "fit", "2026-11-30T15:00Z", 1);
    json_object_set_new(person_of(s, PB), "documents", json_array());
    add_doc(s, PB, "passport", "2026-11-30");
    only_unmet("ready", "pre_departure", s, "document.valid", PB,
               "passport of FATOUMATA DIALLO expires before the planned departure (2026-11-30)");
    only_unmet("depart", "booked", s, "document.valid", PB, "(2026-11-30)");
    /* Expiring on the day of departure is not enough either. */
    json_object_set_new(person_of(s, PB), "documents", json_array());
    add_doc(s, PB, "passport", "2026-12-01");
    only_unmet("ready", "pre_departure", s, "document.valid", PB, "(2026-12-01)");
    /* The next day is. */
    add_doc(s, PB, "passport", "2026-12-02");
    all_met("depart", "booked", s);
    json_decref(s);
}

static void test_documents_valid_passport(void **state)
{
    (void)state;
    json_t *s = adult_case();
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    expect_req(res, "document.valid", PA, 1,
               "AMADOU KEITA has a travel document valid for the departure");
    json_decref(res);
    /* Emergency travel documents and laissez-passers on the person count. */
    json_object_set_new(person_of(s, PA), "documents", json_array());
    add_doc(s, PA, "emergency_travel_document", "2026-07-01");
    all_met("ready", "pre_departure", s);
    json_object_set_new(person_of(s, PA), "documents", json_array());
    add_doc(s, PA, "laissez_passer", "2026-07-01");
    all_met("ready", "pre_departure", s);
    json_decref(s);
}

static void test_documents_records(void **state)
{
    (void)state;
    json_t *s = adult_case();
    json_object_set_new(person_of(s, PA), "documents", json_array());
    record(s, "travel_document", PA, "{s:s,s:s,s:s}", "type", "laissez_passer", "status",
           "requested", "consulate", "Consulate of Mali, Cairo");
    only_unmet("ready", "pre_departure", s, "document.valid", PA,
               "the laissez-passer for AMADOU KEITA is not issued yet (requested)");
    record(s, "travel_document", PA, "{s:s,s:s}", "type", "laissez_passer", "status", "interview");
    only_unmet("ready", "pre_departure", s, "document.valid", PA, "not issued yet (interview)");
    record(s, "travel_document", PA, "{s:s,s:s,s:s}", "type", "laissez_passer", "status", "issued",
           "expiry", "2026-05-15");
    only_unmet("ready", "pre_departure", s, "document.valid", PA,
               "laissez-passer of AMADOU KEITA expires before the planned departure (2026-05-15)");
    record(s, "travel_document", PA, "{s:s,s:s,s:s}", "type", "laissez_passer", "status", "issued",
           "expiry", "2026-08-31");
    int unmet;
    json_t *res = run("depart", "booked", s, &unmet);
    expect_all_met(res, unmet);
    expect_req(res, "document.valid", PA, 1, "valid");
    json_decref(res);
    /* A document issued for another member does not count. */
    drop(s, "travel_document", PA);
    record(s, "travel_document", PB, "{s:s,s:s,s:s}", "type", "passport", "status", "issued",
           "expiry", "2030-01-01");
    only_unmet("ready", "pre_departure", s, "document.valid", PA, "no travel document");
    json_decref(s);
}

/* ---- procedures -------------------------------------------------------- */

static void test_procedures_each_type(void **state)
{
    (void)state;
    for (int t = 0; PROC_TYPES[t]; t++) {
        char code[64];
        snprintf(code, sizeof code, "procedure.%s", PROC_TYPES[t]);
        json_t *s = adult_case();
        drop(s, "procedure", NULL);
        for (int o = 0; PROC_TYPES[o]; o++)
            if (o != t)
                record(s, "procedure", NULL, "{s:s,s:s}", "type", PROC_TYPES[o], "status", "done");
        char words[128];
        snprintf(words, sizeof words, "the procedure %s is not recorded (done or not needed)",
                 PROC_TYPES[t]);
        only_unmet("ready", "pre_departure", s, code, NULL, words);

        record(s, "procedure", NULL, "{s:s,s:s}", "type", PROC_TYPES[t], "status", "requested");
        snprintf(words, sizeof words, "the procedure %s is still pending", PROC_TYPES[t]);
        only_unmet("ready", "pre_departure", s, code, NULL, words);
        only_unmet("depart", "booked", s, code, NULL, words);

        record(s, "procedure", NULL, "{s:s,s:s}", "type", PROC_TYPES[t], "status", "done");
        int unmet;
        json_t *res = run("ready", "pre_departure", s, &unmet);
        expect_all_met(res, unmet);
        snprintf(words, sizeof words, "the procedure %s is done", PROC_TYPES[t]);
        expect_req(res, code, NULL, 1, words);
        json_decref(res);

        record(s, "procedure", NULL, "{s:s,s:s}", "type", PROC_TYPES[t], "status", "not_needed");
        res = run("ready", "pre_departure", s, &unmet);
        expect_all_met(res, unmet);
        snprintf(words, sizeof words, "the procedure %s is not needed", PROC_TYPES[t]);
        expect_req(res, code, NULL, 1, words);
        json_decref(res);

        /* The latest record of the type counts. */
        record(s, "procedure", NULL, "{s:s,s:s}", "type", PROC_TYPES[t], "status", "requested");
        only_unmet("ready", "pre_departure", s, code, NULL, "pending");
        json_decref(s);
    }
}

static void test_procedures_configured_list(void **state)
{
    (void)state;
    json_t *s = adult_case();
    json_object_set_new(s, "procedure_types", json_pack("[s]", "exit_permit"));
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    expect_only_unmet(res, unmet, "procedure.exit_permit", NULL, "exit_permit");
    assert_int_equal(count_prefix(res, "procedure."), 1);
    json_decref(res);
    json_object_set_new(s, "procedure_types", json_array());
    res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    assert_int_equal(count_prefix(res, "procedure."), 0);
    json_decref(res);
    json_decref(s);
}

/* ---- health ------------------------------------------------------------ */

static void test_health_none(void **state)
{
    (void)state;
    json_t *s = adult_case();
    drop(s, "health_assessment", PA);
    only_unmet("ready", "pre_departure", s, "health.fit", PA,
               "no fitness-to-travel assessment for AMADOU KEITA (a health assessment, separate "
               "from the pre-embarkation check)");
    /* A pre-embarkation check alone is not the medical assessment, and the
     * message says so rather than "no assessment". */
    health(s, PA, "fit", PRE_AT, 1);
    only_unmet("ready", "pre_departure", s, "health.fit", PA,
               "no fitness-to-travel assessment for AMADOU KEITA: a pre-embarkation check is "
               "recorded, but the fitness-to-travel assessment is a separate health assessment");
    json_decref(s);
}

static void test_health_unfit(void **state)
{
    (void)state;
    json_t *s = adult_case();
    health(s, PA, "temporarily_unfit", "2026-05-25T09:00Z", 0);
    only_unmet("ready", "pre_departure", s, "health.fit", PA,
               "AMADOU KEITA is temporarily unfit to travel; stabilisation comes first");
    only_unmet("depart", "booked", s, "health.fit", PA, "temporarily unfit");
    health(s, PA, "unfit", "2026-05-26T09:00Z", 0);
    only_unmet("ready", "pre_departure", s, "health.fit", PA, "AMADOU KEITA is unfit to travel");
    /* The latest assessment counts. */
    health(s, PA, "fit", "2026-05-27T09:00Z", 0);
    all_met("ready", "pre_departure", s);
    json_decref(s);
}

static void test_health_medical_escort(void **state)
{
    (void)state;
    json_t *s = adult_case();
    record(s, "health_assessment", PA, "{s:s,s:s,s:b,s:[ss]}", "result", "fit_with_conditions",
           "at", "2026-05-25T09:00Z", "pre_embarkation", 0, "needs", "wheelchair",
           "medical_escort");
    int unmet;
    json_t *res = run("ready", "pre_departure", s, &unmet);
    expect_only_unmet(res, unmet, "escort.medical", PA, "AMADOU KEITA needs a medical escort");
    expect_req(res, "health.fit", PA, 1, "fit to travel with conditions");
    json_decref(res);
    /* An operational escort is not a medical one; nor one for someone else. */
    record(s, "escort", PA, "{s:s,s:s}", "escort_type", "operational", "name", "B. Toure");
    record(s, "escort", PB, "{s:s,s:s}", "escort_type", "medical", "name", "Dr Cisse");
    only_unmet("ready", "pre_departure", s, "escort.medical", PA, "needs a medical escort");
    record(s, "escort", PA, "{s:s,s:s}", "escort_type", "medical", "name", "Dr Cisse");
    res = run("depart", "booked", s, &unmet);
    expect_all_met(res, unmet);
    expect_req(res, "escort.medical", PA, 1, "a medical escort is assigned to AMADOU KEITA");
    json_decref(res);

    /* Needs without a medical escort ask for nothing more. */
    record(s, "health_assessment", PA, "{s:s,s:s,s:b,s:[s]}", "result", "fit_with_conditions", "at",
           "2026-05-26T09:00Z", "pre_embarkation", 0, "needs", "oxygen");
    res = run("ready", "pre_departure", s, &unmet);
    expect_all_met(res, unmet);
    assert_int_equal(count_code(res, "escort.medical"), 0);
    json_decref(res);
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_departure_missing_or_past),
        cmocka_unit_test(test_documents_none),
        cmocka_unit_test(test_documents_expired_passport),
        cmocka_unit_test(test_documents_valid_passport),
        cmocka_unit_test(test_documents_records),
        cmocka_unit_test(test_procedures_each_type),
        cmocka_unit_test(test_procedures_configured_list),
        cmocka_unit_test(test_health_none),
        cmocka_unit_test(test_health_unfit),
        cmocka_unit_test(test_health_medical_escort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
