/*
 * test_store_case_struct.c — the case aggregate read whole and typed
 * (store.h, "the case aggregate, typed"; app/case_json.c).
 *
 *   - members come in the order of their recorded position, whatever the
 *     order of their rows;
 *   - values are typed by the field tables: the version an integer, times
 *     as epoch milliseconds, JSON columns and the documents as the JSON
 *     stored, a missing value NULL, what is not shown ABSENT; the place of
 *     the case (pk, office, version, project) comes with it;
 *   - a person field of a sensitivity class not asked for is ABSENT and a
 *     sealed one is never opened (the store's count of opened values does
 *     not move) nor written; asked for, it is opened and shown;
 *   - the answer written as text means what the tree means (escapes of
 *     quotes, backslashes and control characters, Arabic kept);
 *   - a case larger than the room a usual one fits in (members, texts)
 *     grows and keeps everything;
 *   - an unknown case is STORE_NOTFOUND; the field tables fit the struct.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/app/cases_int.h"

typedef struct {
    tmpdb_household_t h;
    const char *notes;
    const char *protection; /* JSON of the first person's concerns, or NULL */
    int order[3];           /* position of each person */
} seed_t;

static int seed_job(store_conn_t *c, void *ctx)
{
    seed_t *x = ctx;
    tmpdb_household_t *h = &x->h;
    int rc = store_case_number(c, h->office_pk, h->office, 2026, h->number);
    json_t *caze = tmpdb_case_json();
    if (x->notes)
        json_object_set_new(caze, "notes", json_string(x->notes));
    json_object_set_new(caze, "project", json_string("EUTF-NA"));
    if (rc == STORE_OK)
        rc = store_case_insert(c, caze, h->number, h->office_pk, 0, 0, h->id, &h->pk);
    json_decref(caze);
    for (int i = 0; rc == STORE_OK && i < 3; i++) {
        json_t *p = tmpdb_person_json(h->names[i], i == 0 ? "Hamid Musa" : NULL);
        if (i == 0 && x->protection)
            json_object_set_new(p, "protection_vulnerabilities", tmpdb_json(x->protection));
        rc = store_person_insert(c, p, h->person_id[i], &h->person_pk[i]);
        json_decref(p);
        if (rc == STORE_OK)
            rc = store_case_member_add(c, h->pk, h->person_pk[i], i ? "child" : "principal",
                                       x->order[i]);
    }
    return rc;
}

static const char *const NAMES[] = {"حامد موسى", "Amina Musa", "Omar Musa"};

/* A case of EG-CAI with three members at positions order[]. */
static void seed(tmpdb_t *t, seed_t *x, int p0, int p1, int p2)
{
    tmpdb_office(t, "EG-CAI", "EGY");
    x->h.office = "EG-CAI";
    x->h.office_pk = store_office_pk(tmpdb_reader(t), "EG-CAI");
    x->h.names = NAMES;
    x->h.n = 3;
    x->order[0] = p0;
    x->order[1] = p1;
    x->order[2] = p2;
    assert_int_equal(tmpdb_write(t, seed_job, x), STORE_OK);
}

static size_t pos(const awda_entity_t *e, const char *name)
{
    const awda_field_t *f = awda_field_find(e, name);
    assert_non_null(f);
    return (size_t)(f - e->fields);
}

static const store_val_t *cv(const store_case_t *k, const char *name)
{
    return &k->v[pos(&AWDA_CASE, name)];
}

static const store_val_t *pv(const store_case_t *k, int m, const char *name)
{
    return &k->members[m].person[pos(&AWDA_PERSON, name)];
}

static void assert_text(const store_case_t *k, const store_val_t *v, int type, const char *s)
{
    assert_int_equal(v->type, type);
    assert_string_equal(store_val_text(k, v), s);
    assert_int_equal(v->u.t.len, strlen(s));
}

static unsigned long long unseals(tmpdb_t *t)
{
    store_stats_t st;
    store_stats(t->store, &st);
    return st.person_unseals;
}

/* The classes a case worker without protection or medical roles sees. */
#define CASEWORKER (1u << SENS_NONE | 1u << SENS_IDENTITY | 1u << SENS_CONTACT)

static void test_tables_fit(void **state)
{
    (void)state;
    assert_true(AWDA_CASE.nfields <= STORE_CASE_FIELDS_MAX);
    assert_true(AWDA_PERSON.nfields <= STORE_PERSON_FIELDS_MAX);
}

static void test_members_in_position_order(void **state)
{
    tmpdb_t *t = *state;
    seed_t x = {0};
    /* rows come in the order of the persons' keys: 0, 1, 2 */
    seed(t, &x, 2, 0, 1);
    store_case_t *k = NULL;
    assert_int_equal(store_case_load(tmpdb_reader(t), x.h.id, 0, STORE_CLASSES_ALL, &k), STORE_OK);
    assert_int_equal(k->nmembers, 3);
    const int expect[] = {1, 2, 0};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(k->members[i].position, i);
        assert_int_equal(k->members[i].person_pk, x.h.person_pk[expect[i]]);
        assert_text(k, pv(k, i, "id"), STORE_V_TEXT, x.h.person_id[expect[i]]);
        assert_text(k, pv(k, i, "name"), STORE_V_TEXT, NAMES[expect[i]]);
        assert_text(k, &k->members[i].relationship, STORE_V_TEXT,
                    expect[i] ? "child" : "principal");
    }
    store_case_free(k);
    /* by key, the same */
    assert_int_equal(store_case_load(tmpdb_reader(t), NULL, x.h.pk, STORE_CLASSES_ALL, &k),
                     STORE_OK);
    assert_int_equal(k->members[0].person_pk, x.h.person_pk[1]);
    assert_int_equal(k->members[2].person_pk, x.h.person_pk[0]);
    store_case_free(k);
}

static void test_typed_values(void **state)
{
    tmpdb_t *t = *state;
    seed_t x = {.notes = "first line"};
    seed(t, &x, 0, 1, 2);
    store_case_t *k = NULL;
    assert_int_equal(store_case_load(tmpdb_reader(t), x.h.id, 0, STORE_CLASSES_ALL, &k), STORE_OK);
    /* the place */
    assert_int_equal(k->row.pk, x.h.pk);
    assert_int_equal(k->row.office_pk, x.h.office_pk);
    assert_int_equal(k->row.receiving_office_pk, 0);
    assert_int_equal(k->row.version, 1);
    assert_string_equal(k->row.project, "EUTF-NA");
    /* the case */
    assert_text(k, cv(k, "id"), STORE_V_TEXT, x.h.id);
    assert_text(k, cv(k, "number"), STORE_V_TEXT, x.h.number);
    assert_int_equal(cv(k, "version")->type, STORE_V_INT);
    assert_int_equal(cv(k, "version")->u.i, 1);
    assert_text(k, cv(k, "stage"), STORE_V_TEXT, "registered");
    assert_text(k, cv(k, "office"), STORE_V_TEXT, "EG-CAI");
    assert_int_equal(cv(k, "created_at")->type, STORE_V_TIME);
    assert_true(cv(k, "created_at")->u.i > 1700000000000LL);
    assert_int_equal(cv(k, "assigned_to")->type, STORE_V_NULL);
    assert_int_equal(cv(k, "receiving_office")->type, STORE_V_NULL);
    assert_int_equal(cv(k, "planned_departure")->type, STORE_V_NULL);
    assert_text(k, cv(k, "notes"), STORE_V_TEXT, "first line");
    assert_text(k, cv(k, "project"), STORE_V_TEXT, "EUTF-NA");
    /* members are not a value of the case, and input-only fields not shown */
    assert_int_equal(cv(k, "members")->type, STORE_V_ABSENT);
    assert_int_equal(cv(k, "confirm_plausibility")->type, STORE_V_ABSENT);
    /* a person */
    assert_text(k, pv(k, 0, "sex"), STORE_V_TEXT, "male");
    assert_text(k, pv(k, 0, "name_latin"), STORE_V_TEXT, "Hamid Musa");
    assert_int_equal(pv(k, 1, "name_latin")->type, STORE_V_NULL);
    assert_text(k, pv(k, 0, "languages"), STORE_V_JSON, "[\"ar\",\"en\"]");
    assert_int_equal(pv(k, 0, "documents")->type, STORE_V_JSON);
    json_t *docs = tmpdb_json(store_val_text(k, pv(k, 0, "documents")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(docs, 0), "number")),
                        "P1234567");
    json_decref(docs);
    assert_int_equal(pv(k, 0, "contact")->type, STORE_V_JSON);
    assert_int_equal(pv(k, 0, "updated_at")->type, STORE_V_TIME);
    store_case_free(k);
}

static void test_hidden_class_is_never_opened(void **state)
{
    tmpdb_t *t = *state;
    seed_t x = {.protection = "[\"victim_of_trafficking\"]"};
    seed(t, &x, 0, 1, 2);
    char stored[256];
    tmpdb_text(t, "SELECT protection_vulnerabilities FROM persons ORDER BY pk LIMIT 1", stored,
               sizeof stored);
    assert_null(strstr(stored, "trafficking")); /* sealed at rest */

    /* a case worker: not read, not opened, not written */
    unsigned long long before = unseals(t);
    store_case_t *k = NULL;
    assert_int_equal(store_case_load(tmpdb_reader(t), x.h.id, 0, CASEWORKER, &k), STORE_OK);
    assert_int_equal(unseals(t), before);
    for (int i = 0; i < k->nmembers; i++)
        assert_int_equal(pv(k, i, "protection_vulnerabilities")->type, STORE_V_ABSENT);
    assert_text(k, pv(k, 0, "name"), STORE_V_TEXT, NAMES[0]);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(case_json_text(k, &text, &len), 0);
    assert_null(strstr(text, "protection_vulnerabilities"));
    assert_null(strstr(text, "trafficking"));
    free(text);
    store_case_free(k);

    /* without the identity class either: no names, no documents */
    assert_int_equal(store_case_load(tmpdb_reader(t), x.h.id, 0, 1u << SENS_NONE, &k), STORE_OK);
    assert_int_equal(pv(k, 0, "name")->type, STORE_V_ABSENT);
    assert_int_equal(pv(k, 0, "documents")->type, STORE_V_ABSENT);
    assert_int_equal(pv(k, 0, "contact")->type, STORE_V_ABSENT);
    assert_text(k, pv(k, 0, "sex"), STORE_V_TEXT, "male");
    assert_int_equal(unseals(t), before);
    store_case_free(k);

    /* the protection class: opened and shown */
    assert_int_equal(
        store_case_load(tmpdb_reader(t), x.h.id, 0, CASEWORKER | 1u << SENS_PROTECTION, &k),
        STORE_OK);
    assert_true(unseals(t) >= before + 1);
    assert_text(k, pv(k, 0, "protection_vulnerabilities"), STORE_V_JSON,
                "[\"victim_of_trafficking\"]");
    assert_int_equal(case_json_text(k, &text, &len), 0);
    assert_non_null(strstr(text, "\"protection_vulnerabilities\":[\"victim_of_trafficking\"]"));
    free(text);
    store_case_free(k);
}

static void test_text_means_the_tree(void **state)
{
    tmpdb_t *t = *state;
    seed_t x = {.notes = "a \"quoted\" word\\path\nnext\tcol\r\x01\x1f end — ملاحظة ✓ </script>",
                .protection = "[\"survivor_of_violence\"]"};
    seed(t, &x, 1, 0, 2);
    store_case_t *k = NULL;
    assert_int_equal(store_case_load(tmpdb_reader(t), x.h.id, 0, STORE_CLASSES_ALL, &k), STORE_OK);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(case_json_text(k, &text, &len), 0);
    assert_int_equal(len, strlen(text));
    json_error_t err;
    json_t *parsed = json_loadb(text, len, 0, &err);
    if (!parsed)
        fail_msg("not JSON: %s at %d: %s", err.text, err.position, text);
    json_t *tree = store_case_json(k);
    if (!json_equal(parsed, tree)) {
        char *a = json_dumps(tree, JSON_COMPACT);
        fail_msg("text and tree differ:\n%s\n%s", text, a);
    }
    assert_string_equal(json_string_value(json_object_get(parsed, "notes")), x.notes);
    /* and what store_case_get gives the use cases */
    json_t *got = store_case_get(tmpdb_reader(t), x.h.pk);
    assert_true(json_equal(got, tree));
    assert_int_equal(json_array_size(json_object_get(got, "members")), 3);
    json_decref(got);
    json_decref(tree);
    json_decref(parsed);
    free(text);
    store_case_free(k);
}

typedef struct {
    int64_t pk, office_pk;
    json_t *caze;
} notes_ctx_t;

static int notes_job(store_conn_t *c, void *ctx)
{
    notes_ctx_t *x = ctx;
    return store_case_update(c, x->pk, 1, x->caze, x->office_pk, 0);
}

/* Past the room a usual case fits in (STORE_CASE_MEMBERS0 members,
 * STORE_CASE_TEXT0 bytes of text), everything is still there. */
static void test_a_large_case_grows(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Ali Musa",  "Amina Musa",  "Omar Musa",  "Hawa Musa",
                           "Issa Musa", "Fatima Musa", "Yusuf Musa", "Maryam Musa"};
    tmpdb_household_t h;
    int64_t pk = tmpdb_household(t, "EG-CAI", names, 8, &h);
    char notes[6001];
    for (size_t i = 0; i < sizeof notes - 1; i++)
        notes[i] = (char)('a' + i % 26);
    notes[sizeof notes - 1] = '\0';
    notes_ctx_t x = {pk, h.office_pk, tmpdb_case_json()};
    json_object_set_new(x.caze, "notes", json_string(notes));
    assert_int_equal(tmpdb_write(t, notes_job, &x), STORE_OK);
    json_decref(x.caze);
    store_case_t *k = NULL;
    assert_int_equal(store_case_load(tmpdb_reader(t), h.id, 0, STORE_CLASSES_ALL, &k), STORE_OK);
    assert_true(STORE_CASE_MEMBERS0 < 8 && STORE_CASE_TEXT0 < sizeof notes);
    assert_int_equal(k->nmembers, 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(k->members[i].position, i);
        assert_text(k, pv(k, i, "name"), STORE_V_TEXT, names[i]);
        assert_text(k, pv(k, i, "id"), STORE_V_TEXT, h.person_id[i]);
    }
    assert_text(k, cv(k, "notes"), STORE_V_TEXT, notes);
    assert_text(k, cv(k, "id"), STORE_V_TEXT, h.id);
    store_case_free(k);
}

static void test_unknown_case(void **state)
{
    tmpdb_t *t = *state;
    store_case_t *k = (store_case_t *)1;
    assert_int_equal(store_case_load(tmpdb_reader(t), "0190a6f2-0000-7000-8000-000000000000", 0,
                                     STORE_CLASSES_ALL, &k),
                     STORE_NOTFOUND);
    assert_null(k);
    k = (store_case_t *)1;
    assert_int_equal(store_case_load(tmpdb_reader(t), NULL, 4242, STORE_CLASSES_ALL, &k),
                     STORE_NOTFOUND);
    assert_null(k);
    store_case_row_t row;
    assert_null(store_case_read(tmpdb_reader(t), "0190a6f2-0000-7000-8000-000000000000", &row));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_fit),
        cmocka_unit_test_setup_teardown(test_members_in_position_order, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_typed_values, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_hidden_class_is_never_opened, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_text_means_the_tree, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_a_large_case_grows, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_case, tmpdb_setup, tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
