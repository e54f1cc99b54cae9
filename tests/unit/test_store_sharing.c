/*
 * test_store_sharing.c — consent to share and referrals to partners in the
 * store (store.h "sharing with third parties", store/sharing.c).
 *
 *   - a person consents to share with a recipient only by a consent record
 *     of that purpose naming that recipient (without regard to case or
 *     spaces around), of that person; a later withdrawal record ends it,
 *     and a consent given again after the withdrawal counts again;
 *   - store_sharing_consent_withdrawn marks the matching consents
 *     withdrawn (withdrawn_at) and no others, and a consent so marked no
 *     longer counts;
 *   - store_referrals_for lists the referrals addressed to one partner
 *     (without regard to case or spaces), newest first, page by page,
 *     with the person's identity and contact but no documents or
 *     vulnerabilities, and never one of an anonymised person.
 *
 * Records are written with store_record_insert on a household made with
 * tmpdb_household; withdrawn_at and anonymised_at are read and set with
 * plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

#define PARTNER_A "0190a6f2-0000-7000-8000-00000000000a"
#define PARTNER_B "0190a6f2-0000-7000-8000-00000000000b"

typedef struct {
    int64_t case_pk, person_pk;
    const char *kind, *purpose, *recipient;
    json_t *data;
    char id[37];
} share_ctx_t;

static int record_job(store_conn_t *c, void *ctx)
{
    share_ctx_t *x = ctx;
    return store_record_insert(c, x->case_pk, x->person_pk, x->kind, x->data, 0, x->id);
}

static int withdrawn_job(store_conn_t *c, void *ctx)
{
    share_ctx_t *x = ctx;
    return store_sharing_consent_withdrawn(c, x->person_pk, x->purpose, x->recipient);
}

/* Records kind for the person of the case; its id into id (may be NULL). */
static void add(tmpdb_t *t, int64_t case_pk, int64_t person_pk, const char *kind, const char *data,
                char id[37])
{
    share_ctx_t x = {.case_pk = case_pk, .person_pk = person_pk, .kind = kind};
    x.data = tmpdb_json(data);
    assert_int_equal(tmpdb_write(t, record_job, &x), STORE_OK);
    json_decref(x.data);
    if (id)
        memcpy(id, x.id, 37);
}

static void consent(tmpdb_t *t, const tmpdb_household_t *h, int who, const char *purpose,
                    const char *recipient)
{
    char data[256];
    snprintf(data, sizeof data,
             "{\"purpose\":\"%s\",\"recipient\":\"%s\",\"given_by\":\"self\","
             "\"method\":\"signed_form\",\"interview_date\":\"2026-05-01\"}",
             purpose, recipient);
    add(t, h->pk, h->person_pk[who], "consent", data, NULL);
}

static void withdrawal(tmpdb_t *t, const tmpdb_household_t *h, int who, const char *purpose,
                       const char *recipient)
{
    char data[256];
    snprintf(data, sizeof data, "{\"purpose\":\"%s\",\"recipient\":\"%s\",\"date\":\"2026-06-01\"}",
             purpose, recipient);
    add(t, h->pk, h->person_pk[who], "consent_withdrawal", data, NULL);
}

static void test_consent_and_withdrawal(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    tmpdb_household_t h;
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    store_conn_t *c = tmpdb_reader(t);
    int64_t hamid = h.person_pk[0], amina = h.person_pk[1];

    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 0);
    consent(t, &h, 0, "data_sharing", "Caritas Cairo");
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 1);
    /* the recipient without regard to case or spaces around */
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "  caritas cairo "), 1);
    /* not for another purpose, recipient or person */
    assert_int_equal(store_sharing_consent(c, hamid, "medical_data_sharing", "Caritas Cairo"), 0);
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Alexandria"), 0);
    assert_int_equal(store_sharing_consent(c, amina, "data_sharing", "Caritas Cairo"), 0);

    /* a withdrawal (written differently) ends it, for that purpose only */
    consent(t, &h, 0, "medical_data_sharing", "Caritas Cairo");
    withdrawal(t, &h, 0, "data_sharing", "CARITAS CAIRO ");
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 0);
    assert_int_equal(store_sharing_consent(c, hamid, "medical_data_sharing", "Caritas Cairo"), 1);
    /* given again after the withdrawal, it counts again */
    consent(t, &h, 0, "data_sharing", "Caritas Cairo");
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 1);
    /* a withdrawal for another person changes nothing for Hamid */
    consent(t, &h, 1, "data_sharing", "Caritas Cairo");
    withdrawal(t, &h, 1, "data_sharing", "Caritas Cairo");
    assert_int_equal(store_sharing_consent(c, amina, "data_sharing", "Caritas Cairo"), 0);
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 1);
}

static long long withdrawn_count(tmpdb_t *t, const char *purpose, const char *recipient)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM case_records WHERE kind='consent' AND "
             "json_extract(data,'$.purpose')='%s' AND json_extract(data,'$.recipient')='%s' AND "
             "json_extract(data,'$.withdrawn_at') IS NOT NULL",
             purpose, recipient);
    return tmpdb_int(t, sql);
}

static void test_consent_marked_withdrawn(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    tmpdb_household_t h;
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    store_conn_t *c = tmpdb_reader(t);
    int64_t hamid = h.person_pk[0], amina = h.person_pk[1];
    consent(t, &h, 0, "data_sharing", "Caritas Cairo");
    consent(t, &h, 0, "data_sharing", "Caritas Cairo"); /* given twice */
    consent(t, &h, 0, "medical_data_sharing", "Caritas Cairo");
    consent(t, &h, 0, "data_sharing", "Save the Children");
    consent(t, &h, 1, "data_sharing", "Caritas Cairo");

    share_ctx_t x = {.person_pk = hamid, .purpose = "data_sharing", .recipient = " caritas CAIRO"};
    assert_int_equal(tmpdb_write(t, withdrawn_job, &x), STORE_OK);
    /* both of Hamid's consents of that purpose and recipient, no other */
    assert_int_equal(withdrawn_count(t, "data_sharing", "Caritas Cairo"), 2);
    assert_int_equal(withdrawn_count(t, "medical_data_sharing", "Caritas Cairo"), 0);
    assert_int_equal(withdrawn_count(t, "data_sharing", "Save the Children"), 0);
    char when[64];
    tmpdb_text(t,
               "SELECT json_extract(data,'$.withdrawn_at') FROM case_records WHERE kind='consent' "
               "AND json_extract(data,'$.withdrawn_at') IS NOT NULL",
               when, sizeof when);
    assert_true(strlen(when) >= 20 && when[4] == '-' && when[10] == 'T'); /* ISO timestamp */

    /* a consent marked withdrawn does not count, with no withdrawal record */
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Caritas Cairo"), 0);
    assert_int_equal(store_sharing_consent(c, hamid, "medical_data_sharing", "Caritas Cairo"), 1);
    assert_int_equal(store_sharing_consent(c, hamid, "data_sharing", "Save the Children"), 1);
    assert_int_equal(store_sharing_consent(c, amina, "data_sharing", "Caritas Cairo"), 1);
}

static void referral(tmpdb_t *t, const tmpdb_household_t *h, int who, const char *partner,
                     const char *service, char id[37])
{
    char data[256];
    snprintf(data, sizeof data,
             "{\"partner\":\"%s\",\"service\":\"%s\",\"date\":\"2026-07-01\",\"notes\":\"needs "
             "%s\"}",
             partner, service, service);
    add(t, h->pk, h->person_pk[who], "referral", data, id);
}

static const char *item_id(const json_t *page, size_t i)
{
    return json_string_value(json_object_get(json_array_get(page, i), "id"));
}

static void test_referrals_for_partner(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_office(t, "ML-BKO", "MLI");
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    const char *gone[] = {"Karim Adam"};
    tmpdb_household_t h, m, anon;
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    tmpdb_household(t, "ML-BKO", names, 1, &m);
    tmpdb_household(t, "ML-BKO", gone, 1, &anon);
    char r1[37], r2[37], r3[37], other[37];
    referral(t, &h, 0, PARTNER_A, "health", r1);
    referral(t, &h, 1, PARTNER_B, "education", other);
    referral(t, &anon, 0, PARTNER_A, "cash", NULL); /* anonymised below */
    referral(t, &h, 1, " " PARTNER_A, "education", r2);
    referral(t, &m, 0, "0190A6F2-0000-7000-8000-00000000000A", "shelter", r3);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE persons SET anonymised_at=1 WHERE pk=%lld",
             (long long)anon.person_pk[0]);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);

    store_conn_t *c = tmpdb_reader(t);
    int64_t last = -1;
    json_t *all = store_referrals_for(c, PARTNER_A, 0, 10, &last);
    assert_non_null(all);
    assert_int_equal(json_array_size(all), 3);
    assert_string_equal(item_id(all, 0), r3);
    assert_string_equal(item_id(all, 1), r2);
    assert_string_equal(item_id(all, 2), r1);

    /* what a partner sees of one */
    json_t *it = json_array_get(all, 1);
    assert_string_equal(json_string_value(json_object_get(it, "office")), "EG-CAI");
    assert_string_equal(json_string_value(json_object_get(it, "service")), "education");
    assert_string_equal(json_string_value(json_object_get(it, "date")), "2026-07-01");
    assert_string_equal(json_string_value(json_object_get(it, "notes")), "needs education");
    assert_int_equal(json_integer_value(json_object_get(it, "_person_pk")), h.person_pk[1]);
    json_t *p = json_object_get(it, "person");
    assert_string_equal(json_string_value(json_object_get(p, "id")), h.person_id[1]);
    assert_string_equal(json_string_value(json_object_get(p, "name")), "Amina Musa");
    assert_string_equal(json_string_value(json_object_get(p, "sex")), "male");
    assert_string_equal(json_string_value(json_object_get(p, "nationality")), "SDN");
    assert_string_equal(json_string_value(json_object_get(p, "date_of_birth")), "1990-05-01");
    assert_int_equal(json_array_size(json_object_get(p, "languages")), 2);
    assert_string_equal(json_string_value(json_object_get(json_object_get(p, "contact"), "phone")),
                        "+249912345678");
    assert_null(json_object_get(p, "documents"));
    assert_null(json_object_get(p, "vulnerabilities"));
    assert_null(json_object_get(p, "protection_vulnerabilities"));
    assert_null(json_object_get(it, "case_id"));
    json_decref(all);

    /* page by page: two, then the rest below the last key */
    json_t *page = store_referrals_for(c, "  " PARTNER_A " ", 0, 2, &last);
    assert_int_equal(json_array_size(page), 2);
    assert_string_equal(item_id(page, 0), r3);
    assert_string_equal(item_id(page, 1), r2);
    json_decref(page);
    int64_t first_last = last;
    page = store_referrals_for(c, PARTNER_A, first_last, 2, &last);
    assert_int_equal(json_array_size(page), 1);
    assert_string_equal(item_id(page, 0), r1);
    json_decref(page);
    page = store_referrals_for(c, PARTNER_A, last, 2, &last);
    assert_int_equal(json_array_size(page), 0);
    assert_int_equal(last, 0);
    json_decref(page);

    /* the other partner sees its own only */
    page = store_referrals_for(c, PARTNER_B, 0, 10, &last);
    assert_int_equal(json_array_size(page), 1);
    assert_string_equal(item_id(page, 0), other);
    json_decref(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_consent_and_withdrawal, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_consent_marked_withdrawn, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_referrals_for_partner, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
