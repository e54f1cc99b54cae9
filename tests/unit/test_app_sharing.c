/*
 * test_app_sharing.c — what leaves the organisation, through the
 * application layer (src/app/sharing.c), over a temporary database.
 *
 *   - a partner user lists the referrals addressed to their organisation
 *     whose person still consents to share with it: a referral of a
 *     person who never consented or withdrew is left out, one to another
 *     partner is never seen; the page's cursor goes on past a page whose
 *     referrals were all left out; an account without an organisation is
 *     refused (403) and a bad limit is a bad request (400);
 *   - aggregate statistics never name a value counted fewer than 5 times:
 *     small values are combined into one row (key null) of at least two
 *     values and 5, joined by the smallest named value when needed; the
 *     closed stage joins only when nothing else can, and then the
 *     closure reasons are withheld; a breakdown whose total is below 5 is
 *     withheld whole (count null); what is shown adds up to the total;
 *   - a medical summary for a recipient gives the latest health
 *     assessment of each member who consented to share medical data with
 *     that recipient and lists the others as withheld; with no consent it
 *     is refused (403 no consent), with no recipient a bad request, and a
 *     case of another office is not found;
 *   - a referral is recorded only while the person's consent to share
 *     with that partner stands (403 no consent otherwise, and nothing is
 *     written); a consent to share names a partner that exists, a
 *     withdrawal a consent that stands (422 on the recipient); a
 *     withdrawal marks the consent withdrawn.
 *
 * Households, records and partner users are seeded through the store
 * (tmpdb.h) on the app's database; stages are set with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"

typedef struct {
    int64_t case_pk, person_pk;
    const char *kind;
    json_t *data;
    char id[37];
} seed_ctx_t;

static int record_job(store_conn_t *c, void *ctx)
{
    seed_ctx_t *x = ctx;
    return store_record_insert(c, x->case_pk, x->person_pk, x->kind, x->data, 0, x->id);
}

static int partner_job(store_conn_t *c, void *ctx)
{
    seed_ctx_t *x = ctx;
    return store_partner_insert(c, x->data, x->id);
}

static void add(tmpapp_t *t, int64_t case_pk, int64_t person_pk, const char *kind, const char *data,
                char id[37])
{
    seed_ctx_t x = {.case_pk = case_pk, .person_pk = person_pk, .kind = kind};
    x.data = tmpdb_json(data);
    assert_int_equal(tmpdb_write(t->db, record_job, &x), STORE_OK);
    json_decref(x.data);
    if (id)
        memcpy(id, x.id, 37);
}

static void partner(tmpapp_t *t, const char *name, char id[37])
{
    seed_ctx_t x = {0};
    x.data = json_pack("{s:s,s:s}", "name", name, "country", "EGY");
    assert_int_equal(tmpdb_write(t->db, partner_job, &x), STORE_OK);
    json_decref(x.data);
    memcpy(id, x.id, 37);
}

/* A user of role partner working for organisation (NULL: none). */
static void partner_user(tmpapp_t *t, const char *username, const char *organisation,
                         app_actor_t *a)
{
    json_t *u = json_pack("{s:s,s:s,s:[s],s:[],s:b}", "username", username, "full_name", username,
                          "roles", "partner", "offices", "disabled", 0);
    if (organisation)
        json_object_set_new(u, "organisation", json_string(organisation));
    tmpdb_seed_t s = {u, "$argon2id$v=19$m=65536,t=2,p=1$not-a-real-hash", 0};
    assert_int_equal(tmpdb_write(t->db, tmpdb_user_job, &s), STORE_OK);
    json_decref(u);
    memset(a, 0, sizeof *a);
    tmpdb_principal(t->db, username, &a->p);
}

static void share(tmpapp_t *t, const tmpdb_household_t *h, int who, const char *kind,
                  const char *purpose, const char *recipient)
{
    char data[300];
    snprintf(data, sizeof data,
             "{\"purpose\":\"%s\",\"recipient\":\"%s\",\"given_by\":\"self\","
             "\"date\":\"2026-06-01\"}",
             purpose, recipient);
    add(t, h->pk, h->person_pk[who], kind, data, NULL);
}

static void refer(tmpapp_t *t, const tmpdb_household_t *h, int who, const char *partner_id,
                  char id[37])
{
    char data[200];
    snprintf(data, sizeof data,
             "{\"partner\":\"%s\",\"service\":\"livelihood\",\"date\":\"2026-07-01\"}", partner_id);
    add(t, h->pk, h->person_pk[who], "referral", data, id);
}

static const char *item_id(const app_result_t *r, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(r->body, "items"), i), "id"));
}

static void test_referral_list(void **state)
{
    tmpapp_t *t = *state;
    char caritas[37], unicef[37];
    partner(t, "Caritas Cairo", caritas);
    partner(t, "UNICEF Egypt", unicef);
    const char *names[] = {"Hamid Musa", "Amina Musa", "Yusuf Musa"};
    tmpdb_household_t h;
    tmpdb_household(t->db, "EG-CAI", names, 3, &h);
    /* Hamid consents; Amina consented and withdrew; Yusuf never did */
    share(t, &h, 0, "consent", "data_sharing", caritas);
    share(t, &h, 1, "consent", "data_sharing", caritas);
    share(t, &h, 1, "consent_withdrawal", "data_sharing", caritas);
    share(t, &h, 0, "consent", "data_sharing", unicef);
    char hamid[37], amina[37], yusuf[37], to_unicef[37];
    refer(t, &h, 0, caritas, hamid);
    refer(t, &h, 1, caritas, amina);
    refer(t, &h, 2, caritas, yusuf);
    refer(t, &h, 0, unicef, to_unicef);

    app_actor_t a;
    partner_user(t, "caritas1", caritas, &a);
    app_result_t r = {0};
    app_referral_list(t->app, &a, NULL, NULL, &r);
    tmpapp_expect(&r, APP_OK);
    assert_string_equal(json_string_value(json_object_get(r.body, "organisation")),
                        "Caritas Cairo");
    assert_string_equal(json_string_value(json_object_get(r.body, "partner_id")), caritas);
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), 1);
    assert_string_equal(item_id(&r, 0), hamid);
    json_t *p = json_object_get(json_array_get(json_object_get(r.body, "items"), 0), "person");
    assert_string_equal(json_string_value(json_object_get(p, "name")), "Hamid Musa");
    assert_null(json_object_get(json_array_get(json_object_get(r.body, "items"), 0), "_person_pk"));
    app_result_free(&r);

    /* pages of two: Yusuf's and Amina's are left out, the cursor goes on */
    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &a, NULL, "2", &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), 0);
    const char *next = json_string_value(json_object_get(r.body, "next_cursor"));
    assert_non_null(next);
    char cursor[32];
    snprintf(cursor, sizeof cursor, "%s", next);
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &a, cursor, "2", &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), 1);
    assert_string_equal(item_id(&r, 0), hamid);
    assert_true(json_is_null(json_object_get(r.body, "next_cursor")));
    app_result_free(&r);

    /* the other partner sees its own */
    app_actor_t u;
    partner_user(t, "unicef1", unicef, &u);
    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &u, NULL, NULL, &r);
    tmpapp_expect(&r, APP_OK);
    assert_int_equal(json_array_size(json_object_get(r.body, "items")), 1);
    assert_string_equal(item_id(&r, 0), to_unicef);
    app_result_free(&r);

    /* no organisation, or one that does not exist: refused */
    app_actor_t none, ghost;
    partner_user(t, "nobody", NULL, &none);
    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &none, NULL, NULL, &r);
    tmpapp_expect(&r, APP_FORBIDDEN);
    assert_null(r.body);
    app_result_free(&r);
    partner_user(t, "ghost", "0190a6f2-0000-7000-8000-0000000000ff", &ghost);
    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &ghost, NULL, NULL, &r);
    tmpapp_expect(&r, APP_FORBIDDEN);
    app_result_free(&r);

    memset(&r, 0, sizeof r);
    app_referral_list(t->app, &a, NULL, "many", &r);
    tmpapp_expect(&r, APP_BAD_REQUEST);
    app_result_free(&r);
}

/* n households of one in office, at stage (with reason when closed). */
static void cases_at(tmpapp_t *t, const char *office, int n, const char *stage, const char *reason)
{
    const char *names[] = {"Hamid Musa"};
    for (int i = 0; i < n; i++) {
        tmpdb_household_t h;
        tmpdb_household(t->db, office, names, 1, &h);
        char sql[200];
        snprintf(sql, sizeof sql,
                 "UPDATE cases SET stage='%s', closure_reason=%s%s%s WHERE pk=%lld", stage,
                 reason ? "'" : "", reason ? reason : "NULL", reason ? "'" : "", (long long)h.pk);
        assert_int_equal(tmpdb_exec(t->db, sql), SQLITE_OK);
    }
}

/* The statistics as the app gives them; caller frees r. */
static void statistics(tmpapp_t *t, app_result_t *r)
{
    app_actor_t a;
    tmpapp_system(&a);
    memset(r, 0, sizeof *r);
    app_statistics(t->app, &a, r);
    tmpapp_expect(r, APP_OK);
    assert_int_equal(json_integer_value(json_object_get(r->body, "suppressed_below")), 5);
}

/* The rows of a breakdown as "key=count" joined by ";", the combined row
 * as "*=count", a withheld one as "*=null". */
static void rows(const app_result_t *r, const char *name, char *out, size_t cap)
{
    json_t *arr = json_object_get(r->body, name);
    assert_true(json_is_array(arr));
    out[0] = '\0';
    size_t i, len = 0;
    json_t *row;
    json_array_foreach(arr, i, row)
    {
        const json_t *k = json_object_get(row, "key"), *n = json_object_get(row, "count");
        if (json_is_null(k))
            assert_true(json_is_true(json_object_get(row, "combined")));
        char count[24];
        if (json_is_null(n))
            snprintf(count, sizeof count, "null");
        else
            snprintf(count, sizeof count, "%lld", (long long)json_integer_value(n));
        len += (size_t)snprintf(out + len, cap - len, "%s%s=%s", i ? ";" : "",
                                json_is_null(k) ? "*" : json_string_value(k), count);
        assert_true(len < cap);
    }
}

static void test_statistics_combine_small_values(void **state)
{
    tmpapp_t *t = *state;
    cases_at(t, "EG-CAI", 6, "registered", NULL);
    cases_at(t, "EG-CAI", 5, "closed", "returned");
    cases_at(t, "ML-BKO", 3, "withdrawn", NULL);
    cases_at(t, "ML-BKO", 2, "on_hold", NULL);
    cases_at(t, "SD-KRT", 1, "registered", NULL);
    app_result_t r;
    statistics(t, &r);
    char v[256];
    /* withdrawn (3) and on_hold (2) together make 5: named no more */
    rows(&r, "cases_by_stage", v, sizeof v);
    assert_string_equal(v, "closed=5;registered=7;*=5");
    /* SD-KRT (1) alone is too few: the smallest named office joins it */
    rows(&r, "cases_by_office", v, sizeof v);
    assert_string_equal(v, "EG-CAI=11;*=6");
    rows(&r, "cases_by_destination", v, sizeof v);
    assert_string_equal(v, "SDN=17");
    rows(&r, "persons_by_sex", v, sizeof v);
    assert_string_equal(v, "male=17");
    rows(&r, "cases_closed_by_reason", v, sizeof v);
    assert_string_equal(v, "returned=5");
    app_result_free(&r);
}

static void test_statistics_closed_joins_last(void **state)
{
    tmpapp_t *t = *state;
    cases_at(t, "EG-CAI", 3, "registered", NULL);
    cases_at(t, "EG-CAI", 6, "closed", "returned");
    cases_at(t, "EG-CAI", 7, "counselled", NULL);
    app_result_t r;
    statistics(t, &r);
    char v[256];
    /* registered (3) needs company: counselled joins, not closed */
    rows(&r, "cases_by_stage", v, sizeof v);
    assert_string_equal(v, "closed=6;*=10");
    rows(&r, "cases_closed_by_reason", v, sizeof v);
    assert_string_equal(v, "returned=6");
    app_result_free(&r);

    /* with nothing else to join, closed does, and its reasons go */
    assert_int_equal(tmpdb_exec(t->db, "DELETE FROM case_members WHERE case_pk IN (SELECT pk FROM "
                                       "cases WHERE stage='counselled');"
                                       "DELETE FROM cases WHERE stage='counselled'"),
                     SQLITE_OK);
    statistics(t, &r);
    rows(&r, "cases_by_stage", v, sizeof v);
    assert_string_equal(v, "*=9");
    rows(&r, "cases_closed_by_reason", v, sizeof v);
    assert_string_equal(v, "*=null");
    assert_true(json_is_true(json_object_get(
        json_array_get(json_object_get(r.body, "cases_closed_by_reason"), 0), "suppressed")));
    rows(&r, "cases_by_office", v, sizeof v);
    assert_string_equal(v, "EG-CAI=9");
    app_result_free(&r);
}

static void test_statistics_withheld_below_threshold(void **state)
{
    tmpapp_t *t = *state;
    cases_at(t, "EG-CAI", 2, "registered", NULL);
    cases_at(t, "ML-BKO", 2, "closed", "returned");
    app_result_t r;
    statistics(t, &r);
    char v[256];
    rows(&r, "cases_by_stage", v, sizeof v);
    assert_string_equal(v, "*=null");
    rows(&r, "cases_by_office", v, sizeof v);
    assert_string_equal(v, "*=null");
    rows(&r, "persons_by_nationality", v, sizeof v);
    assert_string_equal(v, "*=null");
    rows(&r, "cases_closed_by_reason", v, sizeof v);
    assert_string_equal(v, "*=null");
    app_result_free(&r);
}

static void health(tmpapp_t *t, const tmpdb_household_t *h, int who, const char *result)
{
    char data[300];
    snprintf(data, sizeof data,
             "{\"result\":\"%s\",\"at\":\"2026-05-01T10:00Z\",\"assessor\":\"Dr Halim\","
             "\"pre_embarkation\":false,\"needs\":[],\"diagnosis\":\"asthma\"}",
             result);
    add(t, h->pk, h->person_pk[who], "health_assessment", data, NULL);
}

static void test_medical_summary(void **state)
{
    tmpapp_t *t = *state;
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    tmpdb_household_t h;
    tmpdb_household(t->db, "EG-CAI", names, 2, &h);
    health(t, &h, 0, "temporarily_unfit");
    health(t, &h, 0, "fit_with_conditions"); /* the latest */
    health(t, &h, 1, "fit");
    share(t, &h, 0, "consent", "medical_data_sharing", "Nile Clinic");
    share(t, &h, 1, "consent", "data_sharing", "Nile Clinic"); /* not medical */

    app_actor_t a;
    tmpapp_actor(t, "dr.sara", "[\"medical\"]", "[\"EG-CAI\"]", &a);
    app_result_t r = {0};
    app_medical_summary(t->app, &a, h.id, " nile clinic", &r);
    tmpapp_expect(&r, APP_OK);
    assert_string_equal(json_string_value(json_object_get(r.body, "number")), h.number);
    json_t *persons = json_object_get(r.body, "persons");
    assert_int_equal(json_array_size(persons), 1);
    json_t *p = json_array_get(persons, 0);
    assert_string_equal(json_string_value(json_object_get(p, "person_id")), h.person_id[0]);
    json_t *ha = json_object_get(json_object_get(p, "health_assessment"), "data");
    assert_string_equal(json_string_value(json_object_get(ha, "result")), "fit_with_conditions");
    json_t *withheld = json_object_get(r.body, "withheld");
    assert_int_equal(json_array_size(withheld), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(withheld, 0), "person_id")),
        h.person_id[1]);
    app_result_free(&r);

    /* nobody consented to this recipient */
    memset(&r, 0, sizeof r);
    app_medical_summary(t->app, &a, h.id, "Escort Team", &r);
    tmpapp_expect(&r, APP_NO_CONSENT);
    app_result_free(&r);
    memset(&r, 0, sizeof r);
    app_medical_summary(t->app, &a, h.id, "", &r);
    tmpapp_expect(&r, APP_BAD_REQUEST);
    app_result_free(&r);

    /* a medical officer of another office does not learn of the case */
    app_actor_t b;
    tmpapp_actor(t, "dr.omar", "[\"medical\"]", "[\"ML-BKO\"]", &b);
    memset(&r, 0, sizeof r);
    app_medical_summary(t->app, &b, h.id, "Nile Clinic", &r);
    tmpapp_expect(&r, APP_NOT_FOUND);
    app_result_free(&r);
}

/* Records kind for h's principal as the system actor; the answer's code.
 * fields: the kind's other members, as JSON text without braces. */
static app_code_t record(tmpapp_t *t, const tmpdb_household_t *h, const char *kind,
                         const char *fields)
{
    char text[600];
    snprintf(text, sizeof text, "{\"kind\":\"%s\",\"person_id\":\"%s\",%s}", kind, h->person_id[0],
             fields);
    json_t *b = tmpdb_json(text);
    app_actor_t sys;
    tmpapp_system(&sys);
    app_result_t r = {0};
    app_record_create(t->app, &sys, h->id, b, NULL, NULL, &r);
    json_decref(b);
    app_code_t code = r.code;
    if (code == APP_INVALID)
        assert_string_equal(
            json_string_value(json_object_get(json_array_get(r.errors, 0), "field")), "recipient");
    app_result_free(&r);
    return code;
}

static void test_referral_needs_consent(void **state)
{
    tmpapp_t *t = *state;
    char caritas[37], fields[400];
    partner(t, "Caritas Cairo", caritas);
    const char *names[] = {"Hamid Musa"};
    tmpdb_household_t h;
    tmpdb_household(t->db, "EG-CAI", names, 1, &h);
    char referral[160], consent[400], withdrawal[200];
    snprintf(referral, sizeof referral,
             "\"partner\":\"%s\",\"service\":\"livelihood\",\"date\":\"2026-07-01\"", caritas);
    snprintf(consent, sizeof consent,
             "\"purpose\":\"data_sharing\",\"recipient\":\"%s\",\"given_by\":\"self\","
             "\"notice_version\":\"2026-01\",\"method\":\"signed_form\","
             "\"interview_date\":\"2026-05-01\",\"language\":[\"ar\"],\"interpreter\":false,"
             "\"evidence_ref\":\"FORM-0042\"",
             caritas);
    snprintf(withdrawal, sizeof withdrawal,
             "\"purpose\":\"data_sharing\",\"recipient\":\"%s\",\"date\":\"2026-07-02\"", caritas);

    assert_int_equal(record(t, &h, "referral", referral), APP_NO_CONSENT);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM case_records WHERE kind='referral'"),
                     0);
    /* a withdrawal needs a consent that stands */
    assert_int_equal(record(t, &h, "consent_withdrawal", withdrawal), APP_INVALID);
    /* a consent to share names a partner that exists */
    snprintf(fields, sizeof fields,
             "\"purpose\":\"data_sharing\",\"recipient\":\"0190a6f2-0000-7000-8000-0000000000ff\","
             "\"given_by\":\"self\",\"notice_version\":\"2026-01\",\"method\":\"signed_form\","
             "\"interview_date\":\"2026-05-01\",\"language\":[\"ar\"],\"interpreter\":false,"
             "\"evidence_ref\":\"FORM-0042\"");
    assert_int_equal(record(t, &h, "consent", fields), APP_INVALID);

    assert_int_equal(record(t, &h, "consent", consent), APP_CREATED);
    assert_int_equal(record(t, &h, "referral", referral), APP_CREATED);
    assert_int_equal(record(t, &h, "consent_withdrawal", withdrawal), APP_CREATED);
    /* the consent is marked withdrawn, and no referral follows it */
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM case_records WHERE kind='consent' AND "
                                      "json_extract(data,'$.withdrawn_at') IS NOT NULL"),
                     1);
    assert_int_equal(record(t, &h, "referral", referral), APP_NO_CONSENT);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM case_records WHERE kind='referral'"),
                     1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_referral_list, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_statistics_combine_small_values, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_statistics_closed_joins_last, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_statistics_withheld_below_threshold, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_medical_summary, tmpapp_setup, tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_referral_needs_consent, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
