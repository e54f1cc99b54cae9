/*
 * test_store_movement_care.c — the care of a movement in the store
 * (store/movement_care.h), the escort requirements over it
 * (app_movement_escort_blockers) and the vocabulary (core/movement_care.h).
 *
 *   - seats taken are the passengers booked or departed and the escorts,
 *     not those removed or no-show;
 *   - a passenger of the movement is one booked or departed (arrived only
 *     when asked);
 *   - escorts: inserted, listed with whom they accompany, changed,
 *     removed; the cover by person says whether a medical one is there;
 *   - a passenger's facts: the latest fitness-to-travel assessment decides
 *     the medical escort need (a newer one without it clears it; a
 *     pre-embarkation check does not count); the unaccompanied flags;
 *   - the escort requirements: a medical need without a medical escort, a
 *     child travelling without an adult of their household (or flagged
 *     unaccompanied) without an escort; removed passengers do not count;
 *   - airport assistance: a version, STORE_STALE on an old one, the list
 *     by leg and point;
 *   - onward transport: set again keeps what arrival recorded; removed;
 *     travel allowance replaced;
 *   - the manifest's passengers: by case number, then position; the
 *     removed left out; the issued travel-document record before the
 *     person's own documents;
 *   - ISO 4217 codes and the age groups' edges.
 *
 * Movements and passengers are rows written here directly: mv-core's
 * store owns their writing, this file tests what movement care reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/app/movement_care.h"
#include "../../src/core/movement_care.h"
#include "../../src/store/movement_care.h"

#define MOVEMENT_ID "01930000-0000-7000-8000-00000000aa01"

typedef struct {
    tmpdb_t *t;
    tmpdb_household_t fam;  /* 3 members: principal, child, child */
    tmpdb_household_t solo; /* 1 member */
    int64_t mpk;
} fx_t;

static void exec_ok(tmpdb_t *t, const char *sql)
{
    sqlite3 *db = tmpdb_raw(t);
    char *err = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(db);
}

static void sqlf(tmpdb_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sqlf(tmpdb_t *t, const char *fmt, ...)
{
    char sql[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    exec_ok(t, sql);
}

static void passenger(fx_t *f, int64_t case_pk, int64_t person_pk, const char *status)
{
    sqlf(f->t,
         "INSERT INTO movement_passengers(movement_pk,person_pk,case_pk,status,booked_at) "
         "VALUES(%lld,%lld,%lld,'%s',0)",
         (long long)f->mpk, (long long)person_pk, (long long)case_pk, status);
}

static int setup(void **state)
{
    tmpdb_setup(state);
    fx_t *f = calloc(1, sizeof *f);
    f->t = *state;
    tmpdb_office(f->t, "DZ-TAM", "DZA");
    tmpdb_office(f->t, "ML-BKO", "MLI");
    static const char *const FAM[] = {"Amadou Keita", "Awa Keita", "Moussa Keita"};
    static const char *const SOLO[] = {"Ibrahim Traore"};
    tmpdb_household(f->t, "DZ-TAM", FAM, 3, &f->fam);
    tmpdb_household(f->t, "DZ-TAM", SOLO, 1, &f->solo);
    sqlf(f->t,
         "INSERT INTO movements(id,type,reference,capacity,status,office_pk,receiving_office_pk,"
         "departs_ms,version,created_at,updated_at) VALUES('%s','charter','TMR-BKO-1',5,"
         "'planned',1,2,1797744600000,1,0,0)",
         MOVEMENT_ID);
    sqlf(f->t,
         "INSERT INTO movement_legs VALUES((SELECT pk FROM movements WHERE id='%s'),0,'TMR',"
         "'ALG','AH6201','2026-12-20T06:30','Africa/Algiers','2026-12-20T08:45',"
         "'Africa/Algiers',1797744600000,1797752700000)",
         MOVEMENT_ID);
    store_movement_row_t m;
    assert_int_equal(store_movement_find(tmpdb_reader(f->t), MOVEMENT_ID, &m), STORE_OK);
    f->mpk = m.pk;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    *state = f->t;
    free(f);
    return tmpdb_teardown(state);
}

/* ---- jobs ---- */

typedef struct {
    int64_t mpk, user_pk, escort_pk, pk, version, person_pk, case_pk;
    const char *kind, *name, *org;
    int64_t pks[4];
    size_t n;
    json_t *obj;
    char id[37];
    int taken;
} job_t;

static int escort_insert_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    int rc = store_escort_insert(c, j->mpk, j->kind, j->user_pk, j->name, j->org, 0, j->id,
                                 &j->escort_pk);
    return rc == STORE_OK ? store_escort_passengers_set(c, j->escort_pk, j->pks, j->n) : rc;
}

static int escort_delete_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_escort_delete(c, j->escort_pk);
}

static int64_t add_escort(fx_t *f, const char *kind, int64_t who)
{
    job_t j = {.mpk = f->mpk, .kind = kind, .name = "Dr Keita", .org = "Clinique"};
    if (who)
        j.pks[j.n++] = who;
    assert_int_equal(tmpdb_write(f->t, escort_insert_job, &j), STORE_OK);
    return j.escort_pk;
}

static int record_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_record_insert(c, j->case_pk, j->person_pk, "health_assessment", j->obj, 0, j->id);
}

static void health(fx_t *f, int64_t case_pk, int64_t person_pk, int pre, const char *needs)
{
    char text[400];
    snprintf(text, sizeof text,
             "{\"result\":\"fit_with_conditions\",\"at\":\"2026-12-01T10:00Z\",\"assessor\":"
             "\"Dr A\",\"pre_embarkation\":%s,\"needs\":%s}",
             pre ? "true" : "false", needs);
    job_t j = {.case_pk = case_pk, .person_pk = person_pk, .obj = tmpdb_json(text)};
    assert_int_equal(tmpdb_write(f->t, record_job, &j), STORE_OK);
    json_decref(j.obj);
}

/* ---- tests ---- */

static void test_seats_and_passengers(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    assert_int_equal(store_movement_seats_taken(c, f->mpk), 0);
    passenger(f, f->fam.pk, f->fam.person_pk[0], "booked");
    assert_int_equal(store_movement_seats_taken(c, f->mpk), 1);
    passenger(f, f->fam.pk, f->fam.person_pk[1], "departed");
    passenger(f, f->fam.pk, f->fam.person_pk[2], "removed");
    passenger(f, f->solo.pk, f->solo.person_pk[0], "no_show");
    assert_int_equal(store_movement_seats_taken(c, f->mpk), 2);
    add_escort(f, "operational", 0);
    assert_int_equal(store_movement_seats_taken(c, f->mpk), 3);
    assert_int_equal(store_escort_count(c, f->mpk), 1);
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->fam.person_id[0], 0) ==
                f->fam.person_pk[0]);
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->fam.person_id[1], 0) > 0);
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->fam.person_id[2], 0) == 0);
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->solo.person_id[0], 1) == 0);
    exec_ok(f->t, "UPDATE movement_passengers SET status='arrived' WHERE status='departed'");
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->fam.person_id[1], 0) == 0);
    assert_true(store_mvcare_passenger_pk(c, f->mpk, f->fam.person_id[1], 1) > 0);
    assert_int_equal(store_mvcare_leg_count(c, f->mpk), 1);
}

static void test_escorts(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    passenger(f, f->fam.pk, f->fam.person_pk[0], "booked");
    passenger(f, f->fam.pk, f->fam.person_pk[1], "booked");
    int64_t user = tmpdb_user(f->t, "nurse", "[\"medical\"]", "[\"DZ-TAM\"]");
    job_t j = {.mpk = f->mpk, .kind = "medical", .user_pk = user, .name = "ignored"};
    j.pks[j.n++] = f->fam.person_pk[0];
    j.pks[j.n++] = f->fam.person_pk[1];
    assert_int_equal(tmpdb_write(f->t, escort_insert_job, &j), STORE_OK);
    add_escort(f, "operational", f->fam.person_pk[1]);

    json_t *list = store_escort_list(c, f->mpk, NULL);
    assert_int_equal(json_array_size(list), 2);
    json_t *e = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(e, "user")), "nurse");
    assert_string_equal(json_string_value(json_object_get(e, "name")), "nurse"); /* full name */
    assert_true(json_is_null(json_object_get(e, "organisation")));
    assert_int_equal(json_array_size(json_object_get(e, "passengers")), 2);
    e = json_array_get(list, 1);
    assert_string_equal(json_string_value(json_object_get(e, "organisation")), "Clinique");
    json_decref(list);
    assert_true(store_escort_pk(c, f->mpk, j.id) == j.escort_pk);
    assert_true(store_escort_pk(c, f->mpk + 1, j.id) == 0);

    json_t *cover = store_movement_escort_cover(c, f->mpk);
    assert_true(
        json_is_true(json_object_get(json_object_get(cover, f->fam.person_id[0]), "medical")));
    assert_true(
        json_is_true(json_object_get(json_object_get(cover, f->fam.person_id[1]), "medical")));
    assert_null(json_object_get(cover, f->fam.person_id[2]));
    json_decref(cover);

    assert_int_equal(tmpdb_write(f->t, escort_delete_job, &j), STORE_OK);
    cover = store_movement_escort_cover(c, f->mpk);
    assert_null(json_object_get(cover, f->fam.person_id[0]));
    json_t *only = json_object_get(cover, f->fam.person_id[1]);
    assert_true(json_is_false(json_object_get(only, "medical")));
    json_decref(cover);
    assert_int_equal(tmpdb_int(f->t, "SELECT count(*) FROM movement_escort_passengers"), 1);
}

static void test_passenger_facts(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    int med = -1, flag = -1;
    assert_int_equal(store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[0], &med, &flag),
                     STORE_OK);
    assert_int_equal(med, 0);
    assert_int_equal(flag, 0);
    health(f, f->fam.pk, f->fam.person_pk[0], 0, "[\"wheelchair\",\"medical_escort\"]");
    store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[0], &med, &flag);
    assert_int_equal(med, 1);
    /* a pre-embarkation check without the need does not replace it */
    health(f, f->fam.pk, f->fam.person_pk[0], 1, "[]");
    store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[0], &med, &flag);
    assert_int_equal(med, 1);
    /* a newer assessment without it does */
    health(f, f->fam.pk, f->fam.person_pk[0], 0, "null");
    store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[0], &med, &flag);
    assert_int_equal(med, 0);
    /* only the pre-embarkation check says it: no need */
    health(f, f->fam.pk, f->fam.person_pk[1], 1, "[\"medical_escort\"]");
    store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[1], &med, &flag);
    assert_int_equal(med, 0);
    sqlf(f->t, "UPDATE persons SET vulnerabilities='[\"separated_child\"]' WHERE pk=%lld",
         (long long)f->fam.person_pk[2]);
    store_movement_passenger_facts(c, f->fam.id, f->fam.person_id[2], &med, &flag);
    assert_int_equal(flag, 1);
    assert_int_equal(store_movement_passenger_facts(c, f->fam.id, "nobody", &med, &flag),
                     STORE_NOTFOUND);
}

/* The passengers as mv-core's movement JSON gives them. */
static json_t *pax(fx_t *f, int n, const int *ages, const char *const *statuses)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        json_t *p =
            json_pack("{s:s,s:s,s:s,s:s}", "person_id", f->fam.person_id[i], "case_id", f->fam.id,
                      "name", f->fam.names[i], "status", statuses ? statuses[i] : "booked");
        json_object_set_new(p, "age", ages[i] >= 0 ? json_integer(ages[i]) : json_null());
        json_array_append_new(a, p);
    }
    return a;
}

static int has(const json_t *blockers, const char *person_id, const char *code)
{
    size_t i;
    json_t *b;
    json_array_foreach(blockers, i, b)
    {
        if (strcmp(json_string_value(json_object_get(b, "person_id")), person_id) == 0 &&
            strcmp(json_string_value(json_object_get(b, "code")), code) == 0)
            return 1;
    }
    return 0;
}

static void test_escort_blockers(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    for (int i = 0; i < 3; i++)
        passenger(f, f->fam.pk, f->fam.person_pk[i], "booked");
    health(f, f->fam.pk, f->fam.person_pk[0], 0, "[\"medical_escort\"]");

    /* an adult (34) with two children: the children are accompanied */
    int ages[] = {34, 4, 17};
    json_t *p = pax(f, 3, ages, NULL);
    json_t *b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 1);
    assert_true(has(b, f->fam.person_id[0], "escort.medical"));
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(b, 0), "message")),
                           "Amadou Keita"));
    json_decref(b);
    json_decref(p);

    /* the adult does not travel (removed), or their age is unknown: both children blocked */
    static const char *const ST[] = {"removed", "booked", "booked"};
    p = pax(f, 3, ages, ST);
    b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 2);
    assert_true(has(b, f->fam.person_id[1], "escort.child"));
    assert_true(has(b, f->fam.person_id[2], "escort.child"));
    json_decref(b);
    json_decref(p);
    int unknown[] = {-1, 4, 17};
    p = pax(f, 3, unknown, NULL);
    b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 3);
    json_decref(b);

    /* an operational escort for the medical case is not a medical one;
     * any escort accompanies a child */
    add_escort(f, "operational", f->fam.person_pk[0]);
    add_escort(f, "operational", f->fam.person_pk[1]);
    b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 2);
    assert_true(has(b, f->fam.person_id[0], "escort.medical"));
    assert_true(has(b, f->fam.person_id[2], "escort.child"));
    json_decref(b);
    add_escort(f, "medical", f->fam.person_pk[0]);
    add_escort(f, "medical", f->fam.person_pk[2]);
    b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 0);
    json_decref(b);
    json_decref(p);

    /* a child flagged unaccompanied needs an escort even beside an adult */
    sqlf(f->t, "UPDATE persons SET vulnerabilities='[\"unaccompanied_child\"]' WHERE pk=%lld",
         (long long)f->solo.person_pk[0]);
    passenger(f, f->solo.pk, f->solo.person_pk[0], "booked");
    p = json_pack("[{s:s,s:s,s:s,s:i},{s:s,s:s,s:s,s:i}]", "person_id", f->fam.person_id[0],
                  "case_id", f->solo.id, "name", "X", "age", 40, "person_id", f->solo.person_id[0],
                  "case_id", f->solo.id, "name", "Ibrahim", "age", 16);
    b = app_movement_escort_blockers(c, f->mpk, p);
    assert_int_equal(json_array_size(b), 1);
    assert_true(has(b, f->solo.person_id[0], "escort.child"));
    json_decref(b);
    json_decref(p);
}

static int assistance_insert_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_assistance_insert(c, j->mpk, j->obj, 0, 0, j->id);
}

static int assistance_update_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_assistance_update(c, j->pk, j->version, j->obj, 0, 0);
}

static void test_assistance(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    job_t a = {.mpk = f->mpk, .obj = tmpdb_json("{\"leg\":1,\"point\":\"departure\"}")};
    assert_int_equal(tmpdb_write(f->t, assistance_insert_job, &a), STORE_OK);
    json_decref(a.obj);
    job_t b = {.mpk = f->mpk,
               .obj = tmpdb_json("{\"leg\":0,\"point\":\"arrival\","
                                 "\"meeting_point\":\"gate 3\"}")};
    assert_int_equal(tmpdb_write(f->t, assistance_insert_job, &b), STORE_OK);
    json_decref(b.obj);
    job_t d = {.mpk = f->mpk, .obj = tmpdb_json("{\"leg\":0,\"point\":\"departure\"}")};
    assert_int_equal(tmpdb_write(f->t, assistance_insert_job, &d), STORE_OK);
    json_decref(d.obj);

    json_t *list = store_assistance_list(c, f->mpk, NULL);
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), d.id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "id")), b.id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 2), "id")), a.id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "status")),
                        "requested");
    json_decref(list);

    assert_int_equal(store_assistance_find(c, f->mpk, b.id, &b.pk, &b.version), STORE_OK);
    assert_int_equal(b.version, 1);
    b.obj = tmpdb_json("{\"leg\":0,\"point\":\"arrival\",\"status\":\"done\"}");
    assert_int_equal(tmpdb_write(f->t, assistance_update_job, &b), STORE_OK);
    assert_int_equal(tmpdb_write(f->t, assistance_update_job, &b), STORE_STALE);
    json_decref(b.obj);
    list = store_assistance_list(c, f->mpk, b.id);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(list, 0), "version")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "status")),
                        "done");
    assert_true(json_is_null(json_object_get(json_array_get(list, 0), "meeting_point")));
    json_decref(list);
    assert_int_equal(store_assistance_find(c, f->mpk, "nope", &b.pk, &b.version), STORE_NOTFOUND);
}

static int onward_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    if (j->obj)
        return store_onward_put(c, j->mpk, j->person_pk, j->obj, 0);
    return store_onward_delete(c, j->mpk, j->person_pk);
}

static int taken_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_movement_onward_taken(c, j->mpk, j->person_pk, j->taken);
}

static int allowance_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    return store_allowance_put(c, j->mpk, j->person_pk, j->obj, 0);
}

static void test_onward_and_allowance(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    job_t j = {.mpk = f->mpk, .person_pk = f->fam.person_pk[0], .taken = 1};
    assert_int_equal(tmpdb_write(f->t, taken_job, &j), STORE_NOTFOUND);
    j.obj = tmpdb_json("{\"mode\":\"bus\",\"provider\":\"Sonef\",\"destination_pcode\":\"ML0701\","
                       "\"cost\":{\"amount_minor\":15000,\"currency\":\"XOF\"}}");
    assert_int_equal(tmpdb_write(f->t, onward_job, &j), STORE_OK);
    json_decref(j.obj);
    assert_int_equal(tmpdb_write(f->t, taken_job, &j), STORE_OK);
    j.obj = tmpdb_json("{\"mode\":\"car\"}");
    assert_int_equal(tmpdb_write(f->t, onward_job, &j), STORE_OK);
    json_decref(j.obj);
    json_t *list = store_onward_list(c, f->mpk, NULL);
    assert_int_equal(json_array_size(list), 1);
    json_t *o = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(o, "mode")), "car");
    assert_true(json_is_null(json_object_get(o, "cost")));
    assert_true(json_is_true(json_object_get(o, "taken"))); /* arrival's record stays */
    json_decref(list);
    j.obj = NULL;
    assert_int_equal(tmpdb_write(f->t, onward_job, &j), STORE_OK);
    assert_int_equal(tmpdb_write(f->t, onward_job, &j), STORE_NOTFOUND);

    j.obj = tmpdb_json("{\"amount_minor\":50000,\"currency\":\"XOF\",\"budget_line\":\"B1\"}");
    assert_int_equal(tmpdb_write(f->t, allowance_job, &j), STORE_OK);
    json_decref(j.obj);
    j.obj = tmpdb_json("{\"amount_minor\":7500,\"currency\":\"EUR\"}");
    assert_int_equal(tmpdb_write(f->t, allowance_job, &j), STORE_OK);
    json_decref(j.obj);
    list = store_allowance_list(c, f->mpk, f->fam.person_id[0]);
    assert_int_equal(json_array_size(list), 1);
    o = json_array_get(list, 0);
    assert_int_equal(json_integer_value(json_object_get(o, "amount_minor")), 7500);
    assert_string_equal(json_string_value(json_object_get(o, "currency")), "EUR");
    assert_true(json_is_null(json_object_get(o, "budget_line")));
    json_decref(list);
}

static int doc_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    char id[37];
    return store_record_insert(c, j->case_pk, j->person_pk, "travel_document", j->obj, 0, id);
}

static void test_manifest_rows(void **state)
{
    fx_t *f = *state;
    store_conn_t *c = tmpdb_reader(f->t);
    /* booked in another order than the family's */
    passenger(f, f->solo.pk, f->solo.person_pk[0], "booked");
    passenger(f, f->fam.pk, f->fam.person_pk[2], "booked");
    passenger(f, f->fam.pk, f->fam.person_pk[1], "removed");
    passenger(f, f->fam.pk, f->fam.person_pk[0], "departed");
    job_t j = {.case_pk = f->fam.pk,
               .person_pk = f->fam.person_pk[0],
               .obj = tmpdb_json("{\"type\":\"laissez_passer\",\"status\":\"issued\","
                                 "\"number\":\"LP-77\",\"expiry\":\"2027-01-01\"}")};
    assert_int_equal(tmpdb_write(f->t, doc_job, &j), STORE_OK);
    json_decref(j.obj);

    json_t *rows = store_manifest_passengers(c, f->mpk);
    assert_int_equal(json_array_size(rows), 3);
    /* case numbers: the family's was reserved first */
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "person_id")),
                        f->fam.person_id[0]);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 1), "person_id")),
                        f->fam.person_id[2]);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "person_id")),
                        f->solo.person_id[0]);
    json_t *d0 = json_object_get(json_array_get(rows, 0), "travel_document");
    assert_string_equal(json_string_value(json_object_get(d0, "number")), "LP-77");
    json_t *d2 = json_object_get(json_array_get(rows, 2), "travel_document");
    assert_string_equal(json_string_value(json_object_get(d2, "number")), "P1234567");
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "status")),
                        "departed");
    json_decref(rows);

    json_t *mv = store_manifest_movement(c, f->mpk);
    assert_string_equal(json_string_value(json_object_get(mv, "office")), "DZ-TAM");
    assert_string_equal(json_string_value(json_object_get(mv, "receiving_office")), "ML-BKO");
    assert_int_equal(json_array_size(json_object_get(mv, "legs")), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(json_object_get(mv, "legs"), 0), "to")),
        "ALG");
    json_decref(mv);
}

static void test_vocabulary(void **state)
{
    (void)state;
    assert_true(awda_currency_valid("XOF"));
    assert_true(awda_currency_valid("AED")); /* the first */
    assert_true(awda_currency_valid("ZWL")); /* the last */
    assert_true(awda_currency_valid("EGP"));
    assert_false(awda_currency_valid("XYZ"));
    assert_false(awda_currency_valid("xof"));
    assert_false(awda_currency_valid("XO"));
    assert_false(awda_currency_valid(NULL));
    assert_string_equal(awda_age_group(0), "0-4");
    assert_string_equal(awda_age_group(4), "0-4");
    assert_string_equal(awda_age_group(5), "5-11");
    assert_string_equal(awda_age_group(11), "5-11");
    assert_string_equal(awda_age_group(12), "12-17");
    assert_string_equal(awda_age_group(17), "12-17");
    assert_string_equal(awda_age_group(18), "18-59");
    assert_string_equal(awda_age_group(59), "18-59");
    assert_string_equal(awda_age_group(60), "60+");
    assert_string_equal(awda_age_group(-1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_seats_and_passengers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escorts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_passenger_facts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escort_blockers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_assistance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_onward_and_allowance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_rows, setup, teardown),
        cmocka_unit_test(test_vocabulary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
