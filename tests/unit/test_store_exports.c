/*
 * test_store_exports.c — the rows of a case export (store.h "exports",
 * store/exports.c).
 *
 *   - an export has one row per member of each case, in case order and
 *     by position within a case, with the case's and the person's fields
 *     (number, office code, stage, relationship, names, vulnerabilities
 *     as an array, the person's key);
 *   - its count is the number of rows it gives, for every filter: stage,
 *     office, the actor's scope (offices, receiving offices, projects)
 *     and registration dates (from inclusive, before exclusive);
 *   - protection concerns are in a row only when asked for (sealed), and
 *     then opened;
 *   - read from a snapshot, an export keeps the state it started from
 *     while cases are registered meanwhile.
 *
 * Households are made with tmpdb_household; office, stage, receiving
 * office, project and registration time are set with plain SQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

/* The rows of an export of f as "number/name" joined by ";"; checks that
 * the count agrees; the number of rows. */
static int export_rows(store_conn_t *c, const store_case_filter_t *f, char *out, size_t cap)
{
    store_export_t *e = store_export_open(c, f, 0);
    assert_non_null(e);
    json_t *row;
    int n = 0, rc;
    size_t len = 0;
    out[0] = '\0';
    while ((rc = store_export_next(e, &row)) == 1) {
        len += (size_t)snprintf(out + len, cap - len, "%s%s/%s", n ? ";" : "",
                                json_string_value(json_object_get(row, "number")),
                                json_string_value(json_object_get(row, "name")));
        assert_true(len < cap);
        json_decref(row);
        n++;
    }
    assert_int_equal(rc, 0);
    store_export_close(e);
    assert_int_equal(store_export_count(c, f), n);
    return n;
}

static void exec_fmt(tmpdb_t *t, const char *sql)
{
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
}

typedef struct {
    tmpdb_household_t a, b, c;
    int64_t cai, bko, krt;
} three_t;

/* a: EG-CAI, Hamid and Amina, registered at 1000, stage counselled;
 * b: ML-BKO, Idris, registered at 2000, stage closed;
 * c: SD-KRT, Yusuf, registered at 3000, stage counselled. */
static void three(tmpdb_t *t, three_t *x)
{
    x->cai = tmpdb_office(t, "EG-CAI", "EGY");
    x->bko = tmpdb_office(t, "ML-BKO", "MLI");
    x->krt = tmpdb_office(t, "SD-KRT", "SDN");
    const char *two[] = {"Hamid Musa", "Amina Musa"};
    const char *idris[] = {"Idris Adam"};
    const char *yusuf[] = {"Yusuf Ali"};
    tmpdb_household(t, "EG-CAI", two, 2, &x->a);
    tmpdb_household(t, "ML-BKO", idris, 1, &x->b);
    tmpdb_household(t, "SD-KRT", yusuf, 1, &x->c);
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE cases SET created_at=1000, stage='counselled' WHERE pk=%lld;"
             "UPDATE cases SET created_at=2000, stage='closed' WHERE pk=%lld;"
             "UPDATE cases SET created_at=3000, stage='counselled' WHERE pk=%lld;",
             (long long)x->a.pk, (long long)x->b.pk, (long long)x->c.pk);
    exec_fmt(t, sql);
}

static void test_rows_in_order_with_fields(void **state)
{
    tmpdb_t *t = *state;
    three_t x;
    three(t, &x);
    /* a's members swapped: the export follows the position, not the key */
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE case_members SET position=1-position WHERE case_pk=%lld;"
             "UPDATE persons SET vulnerabilities='[\"unaccompanied_minor\"]' WHERE pk=%lld",
             (long long)x.a.pk, (long long)x.a.person_pk[1]);
    exec_fmt(t, sql);
    store_conn_t *c = tmpdb_reader(t);
    store_case_filter_t f = {.nof = -1};
    store_export_t *e = store_export_open(c, &f, 0);
    assert_non_null(e);
    json_t *row = NULL;
    assert_int_equal(store_export_next(e, &row), 1);
    assert_string_equal(json_string_value(json_object_get(row, "case_id")), x.a.id);
    assert_string_equal(json_string_value(json_object_get(row, "number")), x.a.number);
    assert_string_equal(json_string_value(json_object_get(row, "office")), "EG-CAI");
    assert_string_equal(json_string_value(json_object_get(row, "stage")), "counselled");
    assert_string_equal(json_string_value(json_object_get(row, "destination_country")), "SDN");
    assert_string_equal(json_string_value(json_object_get(row, "destination_admin_area")),
                        "Khartoum");
    assert_string_equal(json_string_value(json_object_get(row, "relationship")), "child");
    assert_string_equal(json_string_value(json_object_get(row, "person_id")), x.a.person_id[1]);
    assert_int_equal(json_integer_value(json_object_get(row, "person_pk")), x.a.person_pk[1]);
    assert_string_equal(json_string_value(json_object_get(row, "name")), "Amina Musa");
    assert_string_equal(json_string_value(json_object_get(row, "date_of_birth")), "1990-05-01");
    json_t *v = json_object_get(row, "vulnerabilities");
    assert_int_equal(json_array_size(v), 1);
    assert_string_equal(json_string_value(json_array_get(v, 0)), "unaccompanied_minor");
    assert_null(json_object_get(row, "protection_vulnerabilities"));
    json_decref(row);
    assert_int_equal(store_export_next(e, &row), 1);
    assert_string_equal(json_string_value(json_object_get(row, "name")), "Hamid Musa");
    assert_string_equal(json_string_value(json_object_get(row, "relationship")), "principal");
    assert_int_equal(json_array_size(json_object_get(row, "vulnerabilities")), 0);
    json_decref(row);
    store_export_close(e);

    char rows[512], want[512];
    assert_int_equal(export_rows(c, &f, rows, sizeof rows), 4);
    snprintf(want, sizeof want, "%s/Amina Musa;%s/Hamid Musa;%s/Idris Adam;%s/Yusuf Ali",
             x.a.number, x.a.number, x.b.number, x.c.number);
    assert_string_equal(rows, want);
}

static void test_filters_and_count(void **state)
{
    tmpdb_t *t = *state;
    three_t x;
    three(t, &x);
    store_conn_t *c = tmpdb_reader(t);
    char rows[512], want[256];

    store_case_filter_t f = {.nof = -1, .stage = "counselled"};
    assert_int_equal(export_rows(c, &f, rows, sizeof rows), 3);
    store_case_filter_t g = {.nof = -1, .stage = "closed"};
    assert_int_equal(export_rows(c, &g, rows, sizeof rows), 1);
    snprintf(want, sizeof want, "%s/Idris Adam", x.b.number);
    assert_string_equal(rows, want);
    store_case_filter_t h = {.nof = -1, .office_pk = x.krt};
    assert_int_equal(export_rows(c, &h, rows, sizeof rows), 1);
    snprintf(want, sizeof want, "%s/Yusuf Ali", x.c.number);
    assert_string_equal(rows, want);

    /* registration dates: from inclusive, before exclusive */
    store_case_filter_t d = {.nof = -1, .created_from = 2000, .created_before = 3000};
    assert_int_equal(export_rows(c, &d, rows, sizeof rows), 1);
    snprintf(want, sizeof want, "%s/Idris Adam", x.b.number);
    assert_string_equal(rows, want);
    store_case_filter_t from = {.nof = -1, .created_from = 1001};
    assert_int_equal(export_rows(c, &from, rows, sizeof rows), 2);
    store_case_filter_t before = {.nof = -1, .created_before = 2000};
    assert_int_equal(export_rows(c, &before, rows, sizeof rows), 2);

    /* the scope: the actor's offices ... */
    int64_t cai[] = {x.cai};
    store_case_filter_t s = {.nof = 1, .offices = cai};
    assert_int_equal(export_rows(c, &s, rows, sizeof rows), 2);
    store_case_filter_t none = {.nof = 0, .offices = cai};
    assert_int_equal(export_rows(c, &none, rows, sizeof rows), 0);
    /* ... the cases handed over to them ... */
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE cases SET receiving_office_pk=%lld WHERE pk=%lld",
             (long long)x.cai, (long long)x.b.pk);
    exec_fmt(t, sql);
    assert_int_equal(export_rows(c, &s, rows, sizeof rows), 3);
    /* ... and the cases of their projects */
    snprintf(sql, sizeof sql, "UPDATE cases SET project='EU-RET-01' WHERE pk=%lld",
             (long long)x.c.pk);
    exec_fmt(t, sql);
    s.projects = "[\"EU-RET-02\"]";
    assert_int_equal(export_rows(c, &s, rows, sizeof rows), 3);
    s.projects = "[\"EU-RET-01\"]";
    assert_int_equal(export_rows(c, &s, rows, sizeof rows), 4);
    /* the scope and a stage together */
    s.stage = "counselled";
    assert_int_equal(export_rows(c, &s, rows, sizeof rows), 3);
}

typedef struct {
    json_t *person;
    int64_t case_pk, person_pk;
    char id[37];
} member_ctx_t;

static int member_job(store_conn_t *c, void *ctx)
{
    member_ctx_t *m = ctx;
    int rc = store_person_insert(c, m->person, m->id, &m->person_pk);
    return rc == STORE_OK ? store_case_member_add(c, m->case_pk, m->person_pk, "spouse", 1) : rc;
}

static void test_protection_concerns_when_asked(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *one[] = {"Hamid Musa"};
    tmpdb_household_t h;
    tmpdb_household(t, "EG-CAI", one, 1, &h);
    member_ctx_t m = {.case_pk = h.pk};
    m.person = tmpdb_person_json("Halima Musa", NULL);
    json_object_set_new(m.person, "protection_vulnerabilities",
                        json_pack("[s]", "victim_of_trafficking"));
    assert_int_equal(tmpdb_write(t, member_job, &m), STORE_OK);
    json_decref(m.person);
    /* sealed at rest: the plain word is not in the row */
    char sql[160], raw[512];
    snprintf(sql, sizeof sql, "SELECT protection_vulnerabilities FROM persons WHERE pk=%lld",
             (long long)m.person_pk);
    tmpdb_text(t, sql, raw, sizeof raw);
    assert_true(raw[0] != '\0');
    assert_null(strstr(raw, "trafficking"));

    store_conn_t *c = tmpdb_reader(t);
    store_case_filter_t f = {.nof = -1};
    for (int sealed = 0; sealed < 2; sealed++) {
        store_export_t *e = store_export_open(c, &f, sealed);
        assert_non_null(e);
        json_t *first = NULL, *second = NULL, *end = NULL;
        assert_int_equal(store_export_next(e, &first), 1);
        assert_int_equal(store_export_next(e, &second), 1);
        assert_int_equal(store_export_next(e, &end), 0);
        assert_null(end);
        store_export_close(e);
        assert_string_equal(json_string_value(json_object_get(second, "name")), "Halima Musa");
        json_t *pv = json_object_get(second, "protection_vulnerabilities");
        if (!sealed) {
            assert_null(pv);
            assert_null(json_object_get(first, "protection_vulnerabilities"));
        } else {
            assert_int_equal(json_array_size(pv), 1);
            assert_string_equal(json_string_value(json_array_get(pv, 0)), "victim_of_trafficking");
            pv = json_object_get(first, "protection_vulnerabilities");
            assert_true(pv && (json_is_null(pv) || json_array_size(pv) == 0));
        }
        json_decref(first);
        json_decref(second);
    }
}

static void test_snapshot_keeps_its_state(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *two[] = {"Hamid Musa", "Amina Musa"};
    const char *one[] = {"Idris Adam"};
    tmpdb_household_t a, b;
    tmpdb_household(t, "EG-CAI", two, 2, &a);
    store_conn_t *snap = store_snapshot_open(t->store);
    assert_non_null(snap);
    store_case_filter_t f = {.nof = -1};
    assert_int_equal(store_export_count(snap, &f), 2);
    store_export_t *e = store_export_open(snap, &f, 0);
    assert_non_null(e);
    json_t *row = NULL;
    assert_int_equal(store_export_next(e, &row), 1);
    json_decref(row);
    /* registered while the export is read */
    tmpdb_household(t, "EG-CAI", one, 1, &b);
    assert_int_equal(store_export_count(tmpdb_reader(t), &f), 3);
    assert_int_equal(store_export_next(e, &row), 1);
    assert_string_equal(json_string_value(json_object_get(row, "number")), a.number);
    json_decref(row);
    row = NULL;
    assert_int_equal(store_export_next(e, &row), 0);
    assert_null(row);
    store_export_close(e);
    assert_int_equal(store_export_count(snap, &f), 2);
    store_snapshot_close(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rows_in_order_with_fields, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_filters_and_count, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_protection_concerns_when_asked, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_snapshot_keeps_its_state, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
