/*
 * test_store_statistics.c — the counts of the dashboard and the breakdowns
 * of aggregate reports (store.h, store/statistics.c).
 *
 *   - store_case_counts counts the cases per stage, with their total, of
 *     every office or of one; within a scope it counts the cases of the
 *     scope's offices, those handed over to them and those of the
 *     scope's projects, each case once however many of these it meets;
 *   - store_statistics gives the raw breakdowns (no disclosure control
 *     here: app/sharing.c adds it): cases by stage, office and
 *     destination, persons by sex and nationality, each sorted by key,
 *     and the closed cases by closure reason, leaving out other stages
 *     and closed cases without a reason.
 *
 * Households are made with tmpdb_household; stage, closure reason,
 * destination, receiving office, project and a person's sex and
 * nationality are set with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

/* A case of one in office; sets columns with the SQL fragment set (e.g.
 * "stage='closed'"); its pk. */
static int64_t case_with(tmpdb_t *t, const char *office, const char *set)
{
    const char *one[] = {"Hamid Musa"};
    tmpdb_household_t h;
    tmpdb_household(t, office, one, 1, &h);
    char sql[300];
    snprintf(sql, sizeof sql, "UPDATE cases SET %s WHERE pk=%lld", set, (long long)h.pk);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    return h.pk;
}

/* "stage=n,...;total" of a store_case_counts answer (stages sorted). */
static void counts_text(json_t *counts, char *out, size_t cap)
{
    assert_non_null(counts);
    json_t *by = json_object_get(counts, "by_stage");
    assert_true(json_is_object(by));
    char *s = json_dumps(by, JSON_COMPACT | JSON_SORT_KEYS);
    snprintf(out, cap, "%s;%lld", s,
             (long long)json_integer_value(json_object_get(counts, "total")));
    free(s);
    json_decref(counts);
}

static void test_case_counts_by_scope(void **state)
{
    tmpdb_t *t = *state;
    int64_t cai = tmpdb_office(t, "EG-CAI", "EGY");
    int64_t bko = tmpdb_office(t, "ML-BKO", "MLI");
    int64_t krt = tmpdb_office(t, "SD-KRT", "SDN");
    case_with(t, "EG-CAI", "stage='registered'");
    case_with(t, "EG-CAI", "stage='registered'");
    case_with(t, "EG-CAI", "stage='closed'");
    char set[120];
    /* handed over to ML-BKO */
    snprintf(set, sizeof set, "stage='departed', receiving_office_pk=%lld", (long long)bko);
    case_with(t, "EG-CAI", set);
    case_with(t, "ML-BKO", "stage='registered', project='EU-RET-01'");
    case_with(t, "SD-KRT", "stage='arrived', project='EU-RET-01'");
    /* in SD-KRT, handed over to ML-BKO and of the project: counted once */
    snprintf(set, sizeof set, "stage='arrived', project='EU-RET-01', receiving_office_pk=%lld",
             (long long)bko);
    case_with(t, "SD-KRT", set);

    store_conn_t *c = tmpdb_reader(t);
    char v[256];
    counts_text(store_case_counts(c, 0, NULL, -1, NULL), v, sizeof v);
    assert_string_equal(v, "{\"arrived\":2,\"closed\":1,\"departed\":1,\"registered\":3};7");
    counts_text(store_case_counts(c, cai, NULL, -1, NULL), v, sizeof v);
    assert_string_equal(v, "{\"closed\":1,\"departed\":1,\"registered\":2};4");

    /* ML-BKO's staff: its case and those handed over to it */
    int64_t mli[] = {bko};
    counts_text(store_case_counts(c, 0, mli, 1, NULL), v, sizeof v);
    assert_string_equal(v, "{\"arrived\":1,\"departed\":1,\"registered\":1};3");
    /* and the project's: the SD-KRT case of the project only once */
    counts_text(store_case_counts(c, 0, mli, 1, "[\"EU-RET-01\"]"), v, sizeof v);
    assert_string_equal(v, "{\"arrived\":2,\"departed\":1,\"registered\":1};4");
    /* both offices: the handed-over case of EG-CAI once */
    int64_t both[] = {cai, bko};
    counts_text(store_case_counts(c, 0, both, 2, NULL), v, sizeof v);
    assert_string_equal(v, "{\"arrived\":1,\"closed\":1,\"departed\":1,\"registered\":3};6");
    /* one office within the scope */
    counts_text(store_case_counts(c, krt, mli, 1, "[\"EU-RET-01\"]"), v, sizeof v);
    assert_string_equal(v, "{\"arrived\":2};2");
    /* a scope of nothing */
    counts_text(store_case_counts(c, 0, mli, 0, NULL), v, sizeof v);
    assert_string_equal(v, "{};0");
}

/* A breakdown as "key=count,..." ("-" for a null key). */
static void breakdown_text(const json_t *s, const char *name, char *out, size_t cap)
{
    const json_t *arr = json_object_get(s, name);
    assert_true(json_is_array(arr));
    size_t len = 0, i;
    json_t *row;
    out[0] = '\0';
    json_array_foreach(arr, i, row)
    {
        const char *k = json_string_value(json_object_get(row, "key"));
        len += (size_t)snprintf(out + len, cap - len, "%s%s=%lld", i ? "," : "", k ? k : "-",
                                (long long)json_integer_value(json_object_get(row, "count")));
        assert_true(len < cap);
    }
}

static void test_statistics_breakdowns(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    tmpdb_office(t, "ML-BKO", "MLI");
    case_with(t, "ML-BKO", "stage='registered'");
    case_with(t, "EG-CAI", "stage='closed', closure_reason='returned'");
    case_with(t, "EG-CAI", "stage='closed', closure_reason='returned'");
    case_with(t, "EG-CAI", "stage='closed', closure_reason='deceased'");
    case_with(t, "EG-CAI", "stage='closed'"); /* no reason recorded */
    /* a reason left on a withdrawn case is not a closure */
    case_with(t, "ML-BKO", "stage='withdrawn', closure_reason='returned'");
    case_with(t, "ML-BKO", "stage='registered', destination_country='ETH'");
    assert_int_equal(tmpdb_exec(t, "UPDATE persons SET sex='female', nationality='ERI' WHERE pk IN "
                                   "(SELECT pk FROM persons ORDER BY pk LIMIT 2)"),
                     SQLITE_OK);

    json_t *s = store_statistics(tmpdb_reader(t));
    assert_non_null(s);
    char v[256];
    breakdown_text(s, "cases_by_stage", v, sizeof v);
    assert_string_equal(v, "closed=4,registered=2,withdrawn=1");
    breakdown_text(s, "cases_by_office", v, sizeof v);
    assert_string_equal(v, "EG-CAI=4,ML-BKO=3");
    breakdown_text(s, "cases_by_destination", v, sizeof v);
    assert_string_equal(v, "ETH=1,SDN=6");
    breakdown_text(s, "persons_by_sex", v, sizeof v);
    assert_string_equal(v, "female=2,male=5");
    breakdown_text(s, "persons_by_nationality", v, sizeof v);
    assert_string_equal(v, "ERI=2,SDN=5");
    breakdown_text(s, "cases_closed_by_reason", v, sizeof v);
    assert_string_equal(v, "deceased=1,returned=2");
    assert_int_equal(json_object_size(s), 6);
    json_decref(s);
}

/* A person merged into another (a duplicate the review queue merged) is
 * the same human: counted once, as the person merged into. */
static void test_merged_person_counted_once(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    case_with(t, "EG-CAI", "stage='registered'");
    case_with(t, "EG-CAI", "stage='registered'");
    case_with(t, "EG-CAI", "stage='registered'");
    assert_int_equal(tmpdb_exec(t, "UPDATE persons SET merged_into_pk=(SELECT min(pk) FROM "
                                   "persons) WHERE pk=(SELECT max(pk) FROM persons)"),
                     SQLITE_OK);
    json_t *s = store_statistics(tmpdb_reader(t));
    assert_non_null(s);
    char v[256];
    breakdown_text(s, "persons_by_sex", v, sizeof v);
    assert_string_equal(v, "male=2");
    breakdown_text(s, "persons_by_nationality", v, sizeof v);
    assert_string_equal(v, "SDN=2");
    json_decref(s);
}

static void test_statistics_empty(void **state)
{
    tmpdb_t *t = *state;
    json_t *s = store_statistics(tmpdb_reader(t));
    assert_non_null(s);
    assert_int_equal(json_object_size(s), 6);
    assert_int_equal(json_array_size(json_object_get(s, "cases_by_stage")), 0);
    assert_int_equal(json_array_size(json_object_get(s, "persons_by_sex")), 0);
    assert_int_equal(json_array_size(json_object_get(s, "cases_closed_by_reason")), 0);
    json_decref(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_case_counts_by_scope, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_statistics_breakdowns, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_merged_person_counted_once, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_statistics_empty, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
