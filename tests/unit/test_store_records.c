/*
 * test_store_records.c — the records of a case in the store (store.h, "the
 * journey: stages and records").
 *
 *   - records are listed oldest first, all or of one kind, with who made
 *     them and for which person; one is found by id, the newest by case;
 *   - the medical and protection fields of a kind are sealed at rest: the
 *     raw data column holds neither the plain text nor anything but a
 *     sealed value for them, while the reader gets them opened and the
 *     other fields stay readable as they are;
 *   - a sealed value moved to another record does not open there (it is
 *     bound to its record and field) and reads as "[unreadable]";
 *   - without keys a kind with sealed fields cannot be written
 *     (STORE_ERR), while a kind without any still can;
 *   - the journey's records (store_journey_records) come typed by kind,
 *     oldest first, by person, with what each requirement weighs, without
 *     opening one sealed value (the store's count of opened record values
 *     does not move, and a sealed value reads as "there"); a kind this
 *     version does not know is left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/util/timeutil.h"

#define DIAGNOSIS "tuberculosis under treatment since March"

typedef struct {
    int64_t case_pk, person_pk, user_pk;
    const char *kind;
    json_t *data;
    char id[37];
} record_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    record_ctx_t *x = ctx;
    return store_record_insert(c, x->case_pk, x->person_pk, x->kind, x->data, x->user_pk, x->id);
}

static int add(tmpdb_t *t, record_ctx_t *x, const char *kind, const char *data)
{
    x->kind = kind;
    x->data = tmpdb_json(data);
    int rc = tmpdb_write(t, insert_job, x);
    json_decref(x->data);
    x->data = NULL;
    return rc;
}

static const char *health =
    "{\"result\":\"temporarily_unfit\",\"at\":\"2026-05-01T10:00Z\",\"assessor\":\"Dr Test\","
    "\"pre_embarkation\":false,\"needs\":[],\"diagnosis\":\"" DIAGNOSIS "\","
    "\"clinical_notes\":\"cough, weight loss\",\"stabilisation_plan\":\"two weeks of rest\"}";

static const json_t *data_of(const json_t *rec)
{
    return json_object_get(rec, "data");
}

static void test_list_get_last(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    int64_t upk = tmpdb_user(t, "amal", "[\"counsellor\"]", "[\"EG-CAI\"]");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 2, &h);
    store_conn_t *c = tmpdb_reader(t);
    char last[37];
    assert_int_equal(store_record_last_id(c, pk, last), STORE_NOTFOUND);

    record_ctx_t x = {.case_pk = pk, .user_pk = upk};
    assert_int_equal(add(t, &x, "counselling",
                         "{\"date\":\"2026-05-01\",\"counsellor\":\"Amal\",\"topics\":[]}"),
                     STORE_OK);
    char first[37];
    memcpy(first, x.id, sizeof first);
    x.person_pk = h.person_pk[1];
    assert_int_equal(add(t, &x, "consent", "{\"purpose\":\"return\",\"given_by\":\"self\"}"),
                     STORE_OK);

    json_t *all = store_record_list(c, pk, NULL);
    assert_int_equal(json_array_size(all), 2);
    json_t *r0 = json_array_get(all, 0), *r1 = json_array_get(all, 1);
    assert_string_equal(json_string_value(json_object_get(r0, "id")), first);
    assert_string_equal(json_string_value(json_object_get(r0, "kind")), "counselling");
    assert_string_equal(json_string_value(json_object_get(r0, "created_by")), "amal");
    assert_true(json_is_null(json_object_get(r0, "person_id")));
    assert_string_equal(json_string_value(json_object_get(r1, "person_id")), h.person_id[1]);
    assert_string_equal(json_string_value(json_object_get(data_of(r1), "purpose")), "return");
    json_decref(all);

    json_t *consents = store_record_list(c, pk, "consent");
    assert_int_equal(json_array_size(consents), 1);
    json_decref(consents);
    json_t *none = store_record_list(c, pk, "eligibility");
    assert_int_equal(json_array_size(none), 0);
    json_decref(none);

    json_t *one = store_record_get(c, first);
    assert_string_equal(json_string_value(json_object_get(data_of(one), "counsellor")), "Amal");
    assert_string_equal(json_string_value(json_object_get(one, "case_id")), h.id);
    json_decref(one);
    assert_null(store_record_get(c, "0190a6f2-0000-7000-8000-000000000000"));

    assert_int_equal(store_record_last_id(c, pk, last), STORE_OK);
    assert_string_equal(last, x.id);
}

static void test_sealed_at_rest(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);
    record_ctx_t x = {.case_pk = pk, .person_pk = h.person_pk[0]};
    assert_int_equal(add(t, &x, "health_assessment", health), STORE_OK);

    char raw[4096], sql[160];
    snprintf(sql, sizeof sql, "SELECT data FROM case_records WHERE id='%s'", x.id);
    tmpdb_text(t, sql, raw, sizeof raw);
    assert_null(strstr(raw, "tuberculosis"));
    assert_null(strstr(raw, "weight loss"));
    assert_null(strstr(raw, "two weeks of rest"));
    json_t *stored = tmpdb_json(raw);
    assert_true(awda_is_sealed(json_string_value(json_object_get(stored, "diagnosis"))));
    assert_true(awda_is_sealed(json_string_value(json_object_get(stored, "clinical_notes"))));
    /* what is not medical stays as it was */
    assert_string_equal(json_string_value(json_object_get(stored, "assessor")), "Dr Test");
    json_decref(stored);

    json_t *rec = store_record_get(tmpdb_reader(t), x.id);
    assert_string_equal(json_string_value(json_object_get(data_of(rec), "diagnosis")), DIAGNOSIS);
    assert_string_equal(json_string_value(json_object_get(data_of(rec), "stabilisation_plan")),
                        "two weeks of rest");
    json_decref(rec);

    /* protection detail of another kind, too */
    assert_int_equal(add(t, &x, "consent",
                         "{\"purpose\":\"return\",\"given_by\":\"guardian\","
                         "\"guardian_name\":\"Khadija Guardian\",\"child_views\":\"wants to go\"}"),
                     STORE_OK);
    snprintf(sql, sizeof sql, "SELECT data FROM case_records WHERE id='%s'", x.id);
    tmpdb_text(t, sql, raw, sizeof raw);
    assert_null(strstr(raw, "Khadija"));
    assert_null(strstr(raw, "wants to go"));
    assert_non_null(strstr(raw, "guardian")); /* given_by is not sealed */
}

static void test_moved_value_does_not_open(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);
    record_ctx_t x = {.case_pk = pk, .person_pk = h.person_pk[0]};
    assert_int_equal(add(t, &x, "health_assessment", health), STORE_OK);
    char a[37];
    memcpy(a, x.id, sizeof a);
    assert_int_equal(add(t, &x, "health_assessment",
                         "{\"result\":\"fit\",\"at\":\"2026-05-02T10:00Z\",\"assessor\":\"Dr B\","
                         "\"diagnosis\":\"none\"}"),
                     STORE_OK);
    char sql[300];
    snprintf(sql, sizeof sql,
             "UPDATE case_records SET data=(SELECT data FROM case_records WHERE id='%s') "
             "WHERE id='%s'",
             a, x.id);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    json_t *rec = store_record_get(tmpdb_reader(t), x.id);
    assert_string_equal(json_string_value(json_object_get(data_of(rec), "diagnosis")),
                        "[unreadable]");
    assert_string_equal(json_string_value(json_object_get(data_of(rec), "assessor")), "Dr Test");
    json_decref(rec);
}

static void test_no_keys_no_sealed_kinds(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);
    awda_keyring_t none;
    memset(&none, 0, sizeof none);
    store_set_keyring(t->store, &none);
    record_ctx_t x = {.case_pk = pk, .person_pk = h.person_pk[0]};
    assert_int_equal(add(t, &x, "health_assessment", health), STORE_ERR);
    json_t *l = store_record_list(tmpdb_reader(t), pk, NULL);
    assert_int_equal(json_array_size(l), 0);
    json_decref(l);
    assert_int_equal(add(t, &x, "counselling", "{\"date\":\"2026-05-01\",\"topics\":[]}"),
                     STORE_OK);
}

static unsigned long long record_unseals(tmpdb_t *t)
{
    store_stats_t st;
    store_stats(t->store, &st);
    return st.record_unseals;
}

static void test_journey_records_typed(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 2, &h);
    record_ctx_t x = {.case_pk = pk};
    assert_int_equal(add(t, &x, "counselling",
                         "{\"date\":\"2026-05-01\",\"counsellor\":\"Amal\","
                         "\"topics\":[\"origin_situation\",\"rights_and_withdrawal\"]}"),
                     STORE_OK);
    assert_int_equal(add(t, &x, "eligibility",
                         "{\"decision\":\"ineligible\",\"reason\":\"no proof of nationality\"}"),
                     STORE_OK);
    x.person_pk = h.person_pk[1];
    assert_int_equal(add(t, &x, "consent",
                         "{\"purpose\":\"return\",\"given_by\":\"guardian\","
                         "\"guardian_name\":\"Khadija Guardian\",\"child_views\":\"wants to go\","
                         "\"withdrawn_at\":\"2026-05-03T09:00:00Z\"}"),
                     STORE_OK);
    x.person_pk = h.person_pk[0];
    assert_int_equal(add(t, &x, "health_assessment",
                         "{\"result\":\"fit_with_conditions\",\"at\":\"2026-05-01T10:00:00Z\","
                         "\"assessor\":\"Dr Test\",\"pre_embarkation\":true,"
                         "\"needs\":[\"oxygen\",\"medical_escort\"],\"diagnosis\":\"" DIAGNOSIS
                         "\"}"),
                     STORE_OK);
    assert_int_equal(add(t, &x, "travel_document",
                         "{\"type\":\"laissez_passer\",\"status\":\"issued\","
                         "\"expiry\":\"2027-01-31\"}"),
                     STORE_OK);
    assert_int_equal(add(t, &x, "escort", "{\"escort_type\":\"medical\",\"name\":\"S. Kone\"}"),
                     STORE_OK);
    char last[37];
    memcpy(last, x.id, sizeof last);
    /* a kind a later version may add */
    char sql[300];
    snprintf(sql, sizeof sql,
             "INSERT INTO case_records(id,case_pk,person_pk,kind,data,created_at) VALUES("
             "'0190a6f2-0000-7000-8000-0000000000ff',%lld,NULL,'future_kind','{}',1)",
             (long long)pk);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);

    unsigned long long before = record_unseals(t);
    awda_records_t rs = {0};
    assert_int_equal(store_journey_records(tmpdb_reader(t), pk, &rs), STORE_OK);
    assert_int_equal(record_unseals(t), before);
    assert_int_equal(rs.n, 6);
    const awda_record_t *r = rs.items;
    assert_int_equal(r[0].kind, AWDA_RK_COUNSELLING);
    assert_string_equal(r[0].person_id, "");
    assert_int_equal(r[0].v.counselling.topics, (1u << 1) | (1u << 3));
    assert_string_equal(AWDA_COUNSELLING_TOPICS[1], "origin_situation");
    assert_int_equal(r[1].kind, AWDA_RK_ELIGIBILITY);
    assert_string_equal(r[1].v.eligibility.decision, "ineligible");
    assert_string_equal(r[1].v.eligibility.reason, "no proof of nationality");
    assert_int_equal(r[2].kind, AWDA_RK_CONSENT);
    assert_string_equal(r[2].person_id, h.person_id[1]);
    assert_string_equal(r[2].v.consent.purpose, "return");
    assert_string_equal(r[2].v.consent.given_by, "guardian");
    assert_true(r[2].v.consent.child_views); /* there, and still sealed */
    assert_true(r[2].v.consent.withdrawn);
    assert_int_equal(r[3].kind, AWDA_RK_HEALTH_ASSESSMENT);
    assert_string_equal(r[3].person_id, h.person_id[0]);
    assert_string_equal(r[3].v.health.result, "fit_with_conditions");
    assert_true(r[3].v.health.pre_embarkation);
    assert_true(r[3].v.health.medical_escort);
    int64_t at;
    assert_int_equal(awda_datetime_parse("2026-05-01T10:00:00Z", 20, &at), 0);
    assert_int_equal(r[3].v.health.at, at);
    assert_int_equal(r[4].kind, AWDA_RK_TRAVEL_DOCUMENT);
    assert_string_equal(r[4].v.travel_document.type, "laissez_passer");
    assert_string_equal(r[4].v.travel_document.status, "issued");
    assert_string_equal(r[4].v.travel_document.expiry, "2027-01-31");
    assert_int_equal(r[5].kind, AWDA_RK_ESCORT);
    assert_string_equal(r[5].v.escort.escort_type, "medical");
    assert_string_equal(r[5].id, last);
    awda_records_free(&rs);
    assert_int_equal(rs.n, 0);
    assert_null(rs.items);

    /* the list as the interface reads it opens them (the count moves) */
    json_t *l = store_record_list(tmpdb_reader(t), pk, "health_assessment");
    assert_true(record_unseals(t) > before);
    json_decref(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_get_last, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_sealed_at_rest, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_moved_value_does_not_open, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_no_keys_no_sealed_kinds, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_journey_records_typed, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
