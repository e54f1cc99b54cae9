/*
 * test_store_cases.c — cases in the store (store.h, "cases" and "the
 * journey: stages").
 *
 *   - case numbers run per office and per year, from 000001;
 *   - a case inserted with its members reads back at stage registered,
 *     version 1, with its office and members in order;
 *   - every change of the case row checks the version it was read at:
 *     store_case_update, store_case_set_stage and store_case_hand_over
 *     answer STORE_STALE and change nothing when another change came
 *     first, and bump the version when they succeed (so does
 *     store_case_touch);
 *   - members can be cleared and added again; events are kept in order
 *     with their data, and the newest of a kind is found;
 *   - a case handed over is seen by its receiving office, and the list and
 *     counts honour office, stage and scope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/text/norm.h"
#include "tmpdb.h"

typedef struct {
    int64_t pk, office_pk, version, user_pk;
    json_t *obj;
    const char *stage, *kind;
    int year;
    const char *office;
    char number[40];
    int64_t person_pk[2];
} case_ctx_t;

static int number_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_case_number(c, x->office_pk, x->office, x->year, x->number);
}

static int update_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_case_update(c, x->pk, x->version, x->obj, x->office_pk, 0);
}

static int stage_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_case_set_stage(c, x->pk, x->version, x->stage, NULL, NULL);
}

static int hand_over_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_case_hand_over(c, x->pk, x->version, x->office_pk);
}

static int touch_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_case_touch(c, x->pk);
}

static int event_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    return store_event_append(c, x->pk, x->user_pk, x->kind, x->obj);
}

/* Swaps the two members of a case: clear, then add in the other order. */
static int members_job(store_conn_t *c, void *ctx)
{
    case_ctx_t *x = ctx;
    int rc = store_case_members_clear(c, x->pk);
    if (rc == STORE_OK)
        rc = store_case_member_add(c, x->pk, x->person_pk[1], "principal", 0);
    if (rc == STORE_OK)
        rc = store_case_member_add(c, x->pk, x->person_pk[0], "spouse", 1);
    return rc;
}

static const char *number(tmpdb_t *t, const char *office, int year, char out[40])
{
    case_ctx_t x = {
        .office_pk = store_office_pk(tmpdb_reader(t), office), .office = office, .year = year};
    assert_int_equal(tmpdb_write(t, number_job, &x), STORE_OK);
    memcpy(out, x.number, 40);
    return out;
}

static int64_t version_of(tmpdb_t *t, const char *id)
{
    int64_t pk, office_pk, version;
    assert_int_equal(store_case_find(tmpdb_reader(t), id, &pk, &office_pk, &version), STORE_OK);
    return version;
}

static const char *get_str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* How many cases the list gives, and the first one's id. */
typedef struct {
    int n;
    char first[40];
} listed_t;

static int count_item(void *ctx, const store_case_item_t *k)
{
    listed_t *l = ctx;
    if (!l->n++)
        snprintf(l->first, sizeof l->first, "%s", k->id);
    return 0;
}

static listed_t listed(store_conn_t *c, const store_case_filter_t *f, int64_t *next)
{
    listed_t l = {0};
    int64_t n;
    assert_int_equal(store_case_list_each(c, f, count_item, &l, next ? next : &n), STORE_OK);
    return l;
}

static void test_numbers_per_office_and_year(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_office(t, "ML-BKO", "MLI");
    char n[40];
    assert_string_equal(number(t, "EG-CAI", 2026, n), "EG-CAI-2026-000001");
    assert_string_equal(number(t, "EG-CAI", 2026, n), "EG-CAI-2026-000002");
    assert_string_equal(number(t, "ML-BKO", 2026, n), "ML-BKO-2026-000001");
    assert_string_equal(number(t, "EG-CAI", 2027, n), "EG-CAI-2027-000001");
    assert_string_equal(number(t, "EG-CAI", 2026, n), "EG-CAI-2026-000003");
}

static void test_insert_get_find(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa", "Amina Musa", "Omar Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 3, &h);
    assert_string_equal(h.number, "EG-CAI-2026-000001");
    store_conn_t *c = tmpdb_reader(t);
    int64_t fpk, fopk, fver;
    assert_int_equal(store_case_find(c, h.id, &fpk, &fopk, &fver), STORE_OK);
    assert_int_equal(fpk, pk);
    assert_int_equal(fopk, cai);
    assert_int_equal(fver, 1);
    assert_int_equal(store_case_find(c, "0190a6f2-0000-7000-8000-000000000000", &fpk, &fopk, &fver),
                     STORE_NOTFOUND);

    json_t *k = store_case_get(c, pk);
    assert_non_null(k);
    assert_string_equal(get_str(k, "id"), h.id);
    assert_string_equal(get_str(k, "number"), h.number);
    assert_string_equal(get_str(k, "stage"), "registered");
    assert_string_equal(get_str(k, "office"), "EG-CAI");
    assert_string_equal(get_str(k, "destination_admin_area"), "Khartoum");
    assert_int_equal(json_integer_value(json_object_get(k, "version")), 1);
    assert_true(json_is_null(json_object_get(k, "receiving_office")));
    json_t *m = json_object_get(k, "members");
    assert_int_equal(json_array_size(m), 3);
    assert_string_equal(get_str(json_array_get(m, 0), "relationship"), "principal");
    assert_string_equal(get_str(json_array_get(m, 0), "person_id"), h.person_id[0]);
    assert_string_equal(get_str(json_object_get(json_array_get(m, 2), "person"), "name"),
                        "Omar Musa");
    json_decref(k);
    assert_null(store_case_get(c, pk + 100));
}

static void test_update_checks_version(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);

    case_ctx_t x = {.pk = pk, .office_pk = cai, .version = 1, .obj = tmpdb_case_json()};
    json_object_set_new(x.obj, "notes", json_string("first change"));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    assert_int_equal(version_of(t, h.id), 2);

    /* a second writer that read version 1 too */
    json_object_set_new(x.obj, "notes", json_string("lost update"));
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_STALE);
    json_t *k = store_case_get(tmpdb_reader(t), pk);
    assert_string_equal(get_str(k, "notes"), "first change");
    assert_int_equal(json_integer_value(json_object_get(k, "version")), 2);
    json_decref(k);

    x.version = 2;
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    assert_int_equal(version_of(t, h.id), 3);
    json_decref(x.obj);

    assert_int_equal(tmpdb_write(t, touch_job, &x), STORE_OK);
    assert_int_equal(version_of(t, h.id), 4);
}

static void test_stage_checks_version(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);
    case_ctx_t x = {.pk = pk, .version = 1, .stage = "counselled"};
    assert_int_equal(tmpdb_write(t, stage_job, &x), STORE_OK);
    x.stage = "consented"; /* still at version 1: stale */
    assert_int_equal(tmpdb_write(t, stage_job, &x), STORE_STALE);
    json_t *k = store_case_get(tmpdb_reader(t), pk);
    assert_string_equal(get_str(k, "stage"), "counselled");
    assert_int_equal(json_integer_value(json_object_get(k, "version")), 2);
    json_decref(k);
}

static void test_hand_over(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t khr = tmpdb_office(t, "SD-KRT", "SDN");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 1, &h);
    store_conn_t *c = tmpdb_reader(t);
    assert_int_equal(store_case_receiving_office(c, pk), 0);

    case_ctx_t x = {.pk = pk, .version = 2, .office_pk = khr};
    assert_int_equal(tmpdb_write(t, hand_over_job, &x), STORE_STALE);
    assert_int_equal(store_case_receiving_office(c, pk), 0);
    x.version = 1;
    assert_int_equal(tmpdb_write(t, hand_over_job, &x), STORE_OK);
    assert_int_equal(store_case_receiving_office(c, pk), khr);
    assert_int_equal(version_of(t, h.id), 2);
    json_t *k = store_case_get(c, pk);
    assert_string_equal(get_str(k, "receiving_office"), "SD-KRT");
    assert_string_equal(get_str(k, "office"), "EG-CAI");
    json_decref(k);

    /* The receiving office's scope lists it; an unrelated office's does not. */
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    store_case_filter_t f = {.limit = 10, .offices = &khr, .nof = 1};
    assert_int_equal(listed(c, &f, NULL).n, 1);
    f.offices = &bko;
    assert_int_equal(listed(c, &f, NULL).n, 0);
    f.offices = &cai;
    assert_int_equal(listed(c, &f, NULL).n, 1);
}

static void test_members_and_events(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    int64_t upk = tmpdb_user(t, "amal", "[\"registration\"]", "[\"EG-CAI\"]");
    tmpdb_household_t h;
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 2, &h);

    case_ctx_t x = {.pk = pk, .person_pk = {h.person_pk[0], h.person_pk[1]}};
    assert_int_equal(tmpdb_write(t, members_job, &x), STORE_OK);
    json_t *k = store_case_get(tmpdb_reader(t), pk);
    json_t *m = json_object_get(k, "members");
    assert_int_equal(json_array_size(m), 2);
    assert_string_equal(get_str(json_array_get(m, 0), "person_id"), h.person_id[1]);
    assert_string_equal(get_str(json_array_get(m, 1), "relationship"), "spouse");
    json_decref(k);

    x.user_pk = upk;
    x.kind = "created";
    x.obj = tmpdb_json("{\"members\":2}");
    assert_int_equal(tmpdb_write(t, event_job, &x), STORE_OK);
    json_decref(x.obj);
    x.kind = "transition";
    x.obj = tmpdb_json("{\"event\":\"counsel\",\"from\":\"registered\",\"to\":\"counselled\"}");
    assert_int_equal(tmpdb_write(t, event_job, &x), STORE_OK);
    json_decref(x.obj);
    x.user_pk = 0;
    x.obj = tmpdb_json("{\"event\":\"hold\",\"from\":\"counselled\",\"to\":\"on_hold\"}");
    assert_int_equal(tmpdb_write(t, event_job, &x), STORE_OK);
    json_decref(x.obj);

    store_conn_t *c = tmpdb_reader(t);
    json_t *ev = store_event_list(c, pk);
    assert_int_equal(json_array_size(ev), 3);
    assert_string_equal(get_str(json_array_get(ev, 0), "kind"), "created");
    assert_string_equal(get_str(json_array_get(ev, 0), "user"), "amal");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(json_array_get(ev, 0), "data"), "members")),
                     2);
    assert_string_equal(get_str(json_array_get(ev, 1), "kind"), "transition");
    assert_true(json_is_null(json_object_get(json_array_get(ev, 2), "user")));
    json_decref(ev);

    json_t *last = store_case_last_event(c, pk, "transition", NULL);
    assert_string_equal(get_str(last, "event"), "hold");
    json_decref(last);
    last = store_case_last_event(c, pk, "transition", "counsel");
    assert_string_equal(get_str(last, "to"), "counselled");
    json_decref(last);
    assert_null(store_case_last_event(c, pk, "transition", "depart"));
}

static void test_list_and_counts(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    tmpdb_household_t h;
    const char *a[] = {"Hamid Musa"}, *b[] = {"Sara Idris"}, *d[] = {"Ali Traore"};
    int64_t first = tmpdb_household(t, "EG-CAI", a, 1, &h);
    tmpdb_household(t, "EG-CAI", b, 1, &h);
    tmpdb_household(t, "ML-BKO", d, 1, &h);
    case_ctx_t x = {.pk = first, .version = 1, .stage = "counselled"};
    assert_int_equal(tmpdb_write(t, stage_job, &x), STORE_OK);

    store_conn_t *c = tmpdb_reader(t);
    store_case_filter_t f = {.limit = 10, .nof = -1};
    int64_t next;
    listed_t l = listed(c, &f, &next);
    assert_int_equal(l.n, 3);
    /* newest first */
    assert_string_equal(l.first, h.id);
    assert_int_equal(next, 0);

    f.limit = 2; /* pages */
    assert_int_equal(listed(c, &f, &next).n, 2);
    f.cursor = next;
    assert_true(f.cursor > 0);
    assert_int_equal(listed(c, &f, &next).n, 1);
    assert_int_equal(next, 0);

    store_case_filter_t s = {.limit = 10, .stage = "registered", .offices = &cai, .nof = 1};
    assert_int_equal(listed(c, &s, NULL).n, 1);

    json_t *n = store_case_counts(c, 0, NULL, -1, NULL);
    assert_int_equal(json_integer_value(json_object_get(n, "total")), 3);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(n, "by_stage"), "registered")), 2);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(n, "by_stage"), "counselled")), 1);
    json_decref(n);
    n = store_case_counts(c, 0, &bko, 1, NULL);
    assert_int_equal(json_integer_value(json_object_get(n, "total")), 1);
    json_decref(n);
}

/* ---- a common name: the newest cases walked, the older ones gathered ---- */

#define MANY 2600

typedef struct {
    int64_t office_pk;
    int named; /* cases 1..named-1 (oldest) and MANY-newest+1..MANY are Mohamed's */
    int newest;
} many_t;

static int many_job(store_conn_t *c, void *ctx)
{
    many_t *m = ctx;
    static const char *const moh[] = {"Mohamed Ali"}, *const zed[] = {"Zed Qarni"};
    for (int i = 1; i <= MANY; i++) {
        tmpdb_household_t h;
        memset(&h, 0, sizeof h);
        h.office = "EG-CAI";
        h.office_pk = m->office_pk;
        /* and four at the edge of the walk (LIST_WALK_CASES = 2,000 cases
         * below the newest: from case 601) */
        h.names = i < m->named || (i >= 599 && i <= 602) || i > MANY - m->newest ? moh : zed;
        h.n = 1;
        int rc = tmpdb_household_job(c, &h);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

typedef struct {
    int n;
    char id[210][40];
} ids_t;

static int take_id(void *ctx, const store_case_item_t *k)
{
    ids_t *x = ctx;
    if (x->n < 210)
        snprintf(x->id[x->n++], sizeof x->id[0], "%s", k->id);
    return 0;
}

/* The list of "moh" from the cursor against every case with a Mohamed,
 * newest first, read plainly. */
static void same_as_plain(tmpdb_t *t, int limit, int64_t cursor, int64_t *next)
{
    awda_name_keys_t keys;
    assert_true(awda_name_keys("moh", 3, 0, &keys) > 0);
    store_case_filter_t f = {.limit = limit, .nof = -1, .keys = &keys, .cursor = cursor};
    ids_t got = {0};
    assert_int_equal(store_case_list_each(tmpdb_reader(t), &f, take_id, &got, next), STORE_OK);
    sqlite3 *db = tmpdb_raw(t);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(db,
                           "SELECT c.id, c.pk FROM cases c WHERE (?1 = 0 OR c.pk < ?1) "
                           "AND EXISTS(SELECT 1 FROM case_members cm JOIN persons p ON "
                           "p.pk=cm.person_pk WHERE cm.case_pk=c.pk AND p.name LIKE "
                           "'Mohamed%') ORDER BY c.pk DESC LIMIT ?2",
                           -1, &st, NULL),
        SQLITE_OK);
    sqlite3_bind_int64(st, 1, cursor);
    sqlite3_bind_int(st, 2, limit + 1);
    int n = 0;
    int64_t last = 0, want_next = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == limit) {
            want_next = last;
            break;
        }
        assert_true(n < got.n);
        assert_string_equal(got.id[n], (const char *)sqlite3_column_text(st, 0));
        last = sqlite3_column_int64(st, 1);
        n++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    assert_int_equal(got.n, n);
    assert_int_equal(*next, want_next);
}

static void test_common_name_walked_then_gathered(void **state)
{
    tmpdb_t *t = *state;
    many_t m = {.office_pk = tmpdb_office(t, "EG-CAI", "EGY"), .named = 491, .newest = 60};
    assert_int_equal(tmpdb_write(t, many_job, &m), STORE_OK);
    /* 554 Mohameds of 2,600 persons: common for a page of 100 (554 * 554
     * >= 101 * 2,600); the newest 2,000 cases hold 62 of them, the page
     * takes 38 more from the older ones */
    int64_t next;
    same_as_plain(t, 100, 0, &next);
    assert_true(next > 0);
    /* the next pages: all gathered, then the last */
    same_as_plain(t, 100, next, &next);
    assert_true(next > 0);
    same_as_plain(t, 200, next, &next);
    same_as_plain(t, 200, 0, &next); /* 201 * 2,600: too rare to walk */
    same_as_plain(t, 60, 0, &next);  /* the newest 60 fill the page, one more in the older */
    assert_true(next > 0);
    same_as_plain(t, 7, 0, &next);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_numbers_per_office_and_year, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_insert_get_find, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_update_checks_version, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_stage_checks_version, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_hand_over, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_members_and_events, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_list_and_counts, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_common_name_walked_then_gathered, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
