/*
 * test_store_retention.c — cases due for anonymisation and what
 * anonymisation removes (store.h "retention", store/retention.c).
 *
 *   - store_retention_due lists the cases of one stage last changed
 *     strictly before the cut-off and not anonymised yet, oldest first,
 *     with their office, closure reason and member count, and stops at
 *     the limit;
 *   - store_case_anonymise keeps the case's stage, number and counts and
 *     the statistical fields of its records (enums, dates, flags), and
 *     removes its notes, the free text and sensitive fields of its
 *     records, the reasons of its transitions, the free text of its needs
 *     assessments, the findings and item notes of its visits and the raw
 *     answers of its surveys (their scores stay);
 *   - its members in no other case still in use lose name, contact,
 *     documents, name keys, protection concerns and day of birth (sex,
 *     year of birth, nationality stay); a member also in a case still in
 *     use keeps everything; a member also in an anonymised case does not;
 *   - members who left the case (member_removed) are anonymised the same
 *     way, and the event loses their name and reason but keeps their id;
 *   - a second anonymisation answers STORE_NOTFOUND and the case is no
 *     longer due.
 *
 * Cases are made with tmpdb_household; stage, updated_at and the rows of
 * the follow-up tables are set behind the store's back (tmpdb_exec), and
 * what anonymisation left is read with plain SQL as it is stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"

/* Sets the case's stage, last change and closure reason. */
static void set_case(tmpdb_t *t, int64_t pk, const char *stage, int64_t updated_at,
                     const char *closure_reason)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "UPDATE cases SET stage='%s', updated_at=%lld, closure_reason=%s%s%s WHERE pk=%lld",
             stage, (long long)updated_at, closure_reason ? "'" : "",
             closure_reason ? closure_reason : "NULL", closure_reason ? "'" : "", (long long)pk);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
}

static const char *id_at(const json_t *arr, size_t i)
{
    return json_string_value(json_object_get(json_array_get(arr, i), "id"));
}

static void test_due_by_stage_and_age(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *one[] = {"Hamid Musa"};
    const char *two[] = {"Idris Adam", "Fatima Adam"};
    tmpdb_household_t a, b, newer, wd, done, reg;
    tmpdb_household(t, "EG-CAI", one, 1, &a);
    tmpdb_household(t, "EG-CAI", two, 2, &b);
    tmpdb_household(t, "EG-CAI", one, 1, &newer);
    tmpdb_household(t, "EG-CAI", one, 1, &wd);
    tmpdb_household(t, "EG-CAI", one, 1, &done);
    tmpdb_household(t, "EG-CAI", one, 1, &reg);
    /* b is older than a: the list is by age, not by registration */
    set_case(t, a.pk, "closed", 3000, "returned");
    set_case(t, b.pk, "closed", 1000, "returned");
    set_case(t, newer.pk, "closed", 9000, "returned");
    set_case(t, wd.pk, "withdrawn", 2000, NULL);
    set_case(t, done.pk, "closed", 500, "returned");
    set_case(t, reg.pk, "registered", 100, NULL);
    char sql[128];
    snprintf(sql, sizeof sql, "UPDATE cases SET anonymised_at=600 WHERE pk=%lld",
             (long long)done.pk);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);

    store_conn_t *c = tmpdb_reader(t);
    json_t *due = store_retention_due(c, "closed", 5000, 10);
    assert_non_null(due);
    assert_int_equal(json_array_size(due), 2);
    assert_string_equal(id_at(due, 0), b.id);
    assert_string_equal(id_at(due, 1), a.id);
    json_t *first = json_array_get(due, 0);
    assert_string_equal(json_string_value(json_object_get(first, "number")), b.number);
    assert_string_equal(json_string_value(json_object_get(first, "stage")), "closed");
    assert_string_equal(json_string_value(json_object_get(first, "closure_reason")), "returned");
    assert_string_equal(json_string_value(json_object_get(first, "office")), "EG-CAI");
    assert_int_equal(json_integer_value(json_object_get(first, "members")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(due, 1), "members")), 1);
    json_decref(due);

    /* the cut-off is strict: a case changed at it is not due yet */
    due = store_retention_due(c, "closed", 3000, 10);
    assert_int_equal(json_array_size(due), 1);
    assert_string_equal(id_at(due, 0), b.id);
    json_decref(due);

    /* the limit takes the oldest */
    due = store_retention_due(c, "closed", 100000, 2);
    assert_int_equal(json_array_size(due), 2);
    assert_string_equal(id_at(due, 0), b.id);
    assert_string_equal(id_at(due, 1), a.id);
    json_decref(due);

    due = store_retention_due(c, "withdrawn", 5000, 10);
    assert_int_equal(json_array_size(due), 1);
    assert_string_equal(id_at(due, 0), wd.id);
    assert_true(json_is_null(json_object_get(json_array_get(due, 0), "closure_reason")));
    json_decref(due);

    /* nothing withdrawn is older than 2000 */
    due = store_retention_due(c, "withdrawn", 2000, 10);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
}

typedef struct {
    int64_t case_pk, person_pk, now;
    int persons;
    const char *kind;
    json_t *data;
    char id[37];
} anon_ctx_t;

static int anonymise_job(store_conn_t *c, void *ctx)
{
    anon_ctx_t *x = ctx;
    return store_case_anonymise(c, x->case_pk, x->now, &x->persons);
}

static int record_job(store_conn_t *c, void *ctx)
{
    anon_ctx_t *x = ctx;
    return store_record_insert(c, x->case_pk, x->person_pk, x->kind, x->data, 0, x->id);
}

static int event_job(store_conn_t *c, void *ctx)
{
    anon_ctx_t *x = ctx;
    return store_event_append(c, x->case_pk, 0, x->kind, x->data);
}

static int person_job(store_conn_t *c, void *ctx)
{
    anon_ctx_t *x = ctx;
    return store_person_insert(c, x->data, x->id, &x->person_pk);
}

static int member_job(store_conn_t *c, void *ctx)
{
    anon_ctx_t *x = ctx;
    return store_case_member_add(c, x->case_pk, x->person_pk, "spouse", 5);
}

static int anonymise(tmpdb_t *t, int64_t case_pk, int64_t now, int *persons)
{
    anon_ctx_t x = {.case_pk = case_pk, .now = now, .persons = -1};
    int rc = tmpdb_write(t, anonymise_job, &x);
    *persons = x.persons;
    return rc;
}

static void add_record(tmpdb_t *t, int64_t case_pk, int64_t person_pk, const char *kind,
                       const char *data)
{
    anon_ctx_t x = {.case_pk = case_pk, .person_pk = person_pk, .kind = kind};
    x.data = tmpdb_json(data);
    assert_int_equal(tmpdb_write(t, record_job, &x), STORE_OK);
    json_decref(x.data);
}

static void add_event(tmpdb_t *t, int64_t case_pk, const char *kind, const char *data)
{
    anon_ctx_t x = {.case_pk = case_pk, .kind = kind};
    x.data = tmpdb_json(data);
    assert_int_equal(tmpdb_write(t, event_job, &x), STORE_OK);
    json_decref(x.data);
}

/* A count of rows, and a text, of sql (a literal with one %lld for a
 * pk), formatted where the compiler checks the format. */
__attribute__((format(printf, 2, 3))) static long long count_fmt(tmpdb_t *t, const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    return tmpdb_int(t, sql);
}

__attribute__((format(printf, 4, 5))) static void text_fmt(tmpdb_t *t, char *out, size_t cap,
                                                           const char *fmt, ...)
{
    char sql[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof sql, fmt, ap);
    va_end(ap);
    tmpdb_text(t, sql, out, cap);
}

#define count_of(t, fmt, pk)          count_fmt(t, fmt, (long long)(pk))
#define text_of(t, fmt, pk, out, cap) text_fmt(t, out, cap, fmt, (long long)(pk))

#define NAME_KEYS   "SELECT count(*) FROM person_name_keys WHERE person_pk=%lld"
#define DOCUMENTS   "SELECT count(*) FROM person_documents WHERE person_pk=%lld"
#define SEARCH_KEYS "SELECT count(*) FROM person_search_keys WHERE person_pk=%lld"
#define DUP_KEYS    "SELECT count(*) FROM person_dup_keys WHERE person_pk=%lld"
#define PAIRS       "SELECT count(*) FROM person_name_pairs WHERE person_pk=%lld"

static void test_anonymise_removes_and_keeps(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Hamid Musa", "Amina Musa"};
    const char *other_names[] = {"Samir Musa"};
    tmpdb_household_t h, other;
    tmpdb_household(t, "EG-CAI", names, 2, &h);
    tmpdb_household(t, "EG-CAI", other_names, 1, &other);
    /* Amina is also in the other case, which is still in use */
    anon_ctx_t m = {.case_pk = other.pk, .person_pk = h.person_pk[1]};
    assert_int_equal(tmpdb_write(t, member_job, &m), STORE_OK);
    /* Karim was a member of the case and left it */
    anon_ctx_t k = {0};
    k.data = tmpdb_person_json("Karim Musa", "Karim Musa");
    assert_int_equal(tmpdb_write(t, person_job, &k), STORE_OK);
    json_decref(k.data);
    char ev[512];
    snprintf(ev, sizeof ev,
             "{\"person_id\":\"%s\",\"name\":\"Karim Musa\",\"name_latin\":\"Karim Musa\","
             "\"relationship\":\"sibling\",\"reason\":\"moved in with his uncle Yusuf\"}",
             k.id);
    add_event(t, h.pk, "member_removed", ev);
    add_event(t, h.pk, "transition",
              "{\"event\":\"close\",\"from\":\"returned\",\"to\":\"closed\","
              "\"reason\":\"Hamid said his brother Idris threatened him\"}");
    add_record(t, h.pk, h.person_pk[0], "health_assessment",
               "{\"result\":\"fit_with_conditions\",\"at\":\"2026-05-01T10:00Z\","
               "\"assessor\":\"Dr Halim\",\"pre_embarkation\":true,\"needs\":[\"wheelchair\"],"
               "\"diagnosis\":\"diabetes\",\"clinical_notes\":\"insulin twice a day\"}");
    add_record(t, h.pk, 0, "eligibility",
               "{\"decision\":\"eligible\",\"reason\":\"Hamid has a valid passport\"}");
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT INTO needs_assessments(id,case_pk,person_pk,assessed_on,skills,education,"
             "work_history,family_situation,housing,project_idea,choice,version,created_at,"
             "updated_at) VALUES('na-1',%lld,%lld,'2026-06-01','welding','primary','garage',"
             "'wife and son','rents a room','a workshop','own_project',1,1,1);"
             "INSERT INTO monitoring_visits(id,case_pk,visited_on,mode,visitor,findings,"
             "item_states,created_at) VALUES('mv-1',%lld,'2026-07-01','phone','Amal',"
             "'he is doing well','[{\"item\":\"i1\",\"status\":\"done\",\"note\":\"met his "
             "wife\"}]',1);"
             "INSERT INTO survey_responses(id,case_pk,person_pk,instrument_code,round,"
             "answered_on,answers,economic_bp,composite_bp,created_at) VALUES('sr-1',%lld,%lld,"
             "'rss','baseline','2026-07-02','{\"q1\":\"a2\"}',4200,5100,1);",
             (long long)h.pk, (long long)h.person_pk[0], (long long)h.pk, (long long)h.pk,
             (long long)h.person_pk[0]);
    assert_int_equal(tmpdb_exec(t, sql), SQLITE_OK);
    set_case(t, h.pk, "closed", 1000, "returned");

    int64_t hamid = h.person_pk[0], amina = h.person_pk[1], karim = k.person_pk;
    /* what is to go is there before */
    assert_true(count_of(t, NAME_KEYS, hamid) > 0);
    assert_true(count_of(t, DOCUMENTS, hamid) > 0);
    assert_true(count_of(t, NAME_KEYS, karim) > 0);
    assert_true(count_of(t, DOCUMENTS, karim) > 0);

    int persons = -1;
    assert_int_equal(anonymise(t, h.pk, 777000, &persons), STORE_OK);
    assert_int_equal(persons, 2); /* Hamid, and Karim who left; not Amina */

    char v[512];
    /* the case: stage, number, closure reason stay; notes go */
    text_of(t,
            "SELECT stage||'|'||number||'|'||closure_reason||'|'||anonymised_at FROM cases "
            "WHERE pk=%lld",
            h.pk, v, sizeof v);
    char want[128];
    snprintf(want, sizeof want, "closed|%s|returned|777000", h.number);
    assert_string_equal(v, want);
    assert_int_equal(count_of(t, "SELECT notes IS NULL FROM cases WHERE pk=%lld", h.pk), 1);
    assert_int_equal(count_of(t, "SELECT count(*) FROM case_members WHERE case_pk=%lld", h.pk), 2);

    /* Hamid: what names or reaches him goes, the statistics stay */
    text_of(t,
            "SELECT name||'|'||coalesce(name_latin,'-')||'|'||coalesce(contact,'-')||'|'||"
            "date_of_birth||'|'||dob_precision||'|'||sex||'|'||nationality||'|'||anonymised_at "
            "FROM persons WHERE pk=%lld",
            hamid, v, sizeof v);
    assert_string_equal(v, "[anonymised]|-|-|1990|year|male|SDN|777000");
    assert_int_equal(count_of(t, NAME_KEYS, hamid), 0);
    assert_int_equal(count_of(t, DOCUMENTS, hamid), 0);
    assert_int_equal(count_of(t, SEARCH_KEYS, hamid), 0);
    assert_int_equal(count_of(t, DUP_KEYS, hamid), 0);
    assert_int_equal(count_of(t, PAIRS, hamid), 0);

    /* Amina is in a case still in use: untouched */
    text_of(t,
            "SELECT name||'|'||date_of_birth||'|'||dob_precision||'|'||"
            "coalesce(anonymised_at,'-') FROM persons WHERE pk=%lld",
            amina, v, sizeof v);
    assert_string_equal(v, "Amina Musa|1990-05-01|exact|-");
    assert_true(count_of(t, NAME_KEYS, amina) > 0);
    assert_true(count_of(t, DOCUMENTS, amina) > 0);

    /* Karim left the case and is in no other: anonymised too */
    text_of(t,
            "SELECT name||'|'||coalesce(name_latin,'-')||'|'||coalesce(contact,'-')||'|'||"
            "date_of_birth||'|'||dob_precision FROM persons WHERE pk=%lld",
            karim, v, sizeof v);
    assert_string_equal(v, "[anonymised]|-|-|1990|year");
    assert_int_equal(count_of(t, NAME_KEYS, karim), 0);
    assert_int_equal(count_of(t, DOCUMENTS, karim), 0);
    /* his event keeps who and how related, not his name or the reason */
    text_of(t,
            "SELECT json_extract(data,'$.person_id')||'|'||json_extract(data,'$.relationship')"
            "||'|'||coalesce(json_extract(data,'$.name'),'-')||'|'||"
            "coalesce(json_extract(data,'$.name_latin'),'-')||'|'||"
            "coalesce(json_extract(data,'$.reason'),'-') FROM case_events WHERE case_pk=%lld AND "
            "kind='member_removed'",
            h.pk, v, sizeof v);
    snprintf(want, sizeof want, "%s|sibling|-|-|-", k.id);
    assert_string_equal(v, want);

    /* the transition keeps what happened, not the reason */
    text_of(t,
            "SELECT json_extract(data,'$.from')||'|'||json_extract(data,'$.to')||'|'||"
            "coalesce(json_extract(data,'$.reason'),'-') FROM case_events WHERE case_pk=%lld "
            "AND kind='transition'",
            h.pk, v, sizeof v);
    assert_string_equal(v, "returned|closed|-");

    /* the records keep their statistical fields only */
    text_of(t, "SELECT data FROM case_records WHERE case_pk=%lld AND kind='health_assessment'",
            h.pk, v, sizeof v);
    assert_string_equal(v, "{\"at\":\"2026-05-01T10:00Z\",\"needs\":[\"wheelchair\"],"
                           "\"pre_embarkation\":true,\"result\":\"fit_with_conditions\"}");
    text_of(t, "SELECT data FROM case_records WHERE case_pk=%lld AND kind='eligibility'", h.pk, v,
            sizeof v);
    assert_string_equal(v, "{\"decision\":\"eligible\"}");

    /* follow-up: free text goes, dates, choices and scores stay */
    text_of(t,
            "SELECT assessed_on||'|'||choice||'|'||coalesce(skills,'-')||coalesce(education,'-')"
            "||coalesce(work_history,'-')||coalesce(family_situation,'-')||coalesce(housing,'-')"
            "||coalesce(project_idea,'-') FROM needs_assessments WHERE case_pk=%lld",
            h.pk, v, sizeof v);
    assert_string_equal(v, "2026-06-01|own_project|------");
    text_of(t,
            "SELECT visited_on||'|'||mode||'|'||visitor||'|'||coalesce(findings,'-')||'|'||"
            "item_states FROM monitoring_visits WHERE case_pk=%lld",
            h.pk, v, sizeof v);
    assert_string_equal(v, "2026-07-01|phone|Amal|-|[{\"item\":\"i1\",\"status\":\"done\"}]");
    text_of(t,
            "SELECT answers||'|'||economic_bp||'|'||composite_bp FROM survey_responses WHERE "
            "case_pk=%lld",
            h.pk, v, sizeof v);
    assert_string_equal(v, "{}|4200|5100");

    /* done once: a second run finds nothing, and the case is not due */
    assert_int_equal(anonymise(t, h.pk, 888000, &persons), STORE_NOTFOUND);
    assert_int_equal(count_of(t, "SELECT anonymised_at FROM cases WHERE pk=%lld", h.pk), 777000);
    json_t *due = store_retention_due(tmpdb_reader(t), "closed", 100000, 10);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
}

/* A member whose other case is anonymised already is anonymised with this
 * one; an estimated birth date stays estimated, with its year only. */
static void test_other_case_anonymised_does_not_protect(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Hamid Musa"};
    tmpdb_household_t old, h;
    tmpdb_household(t, "EG-CAI", names, 1, &old);
    tmpdb_household(t, "EG-CAI", names, 1, &h);
    anon_ctx_t m = {.case_pk = old.pk, .person_pk = h.person_pk[0]};
    assert_int_equal(tmpdb_write(t, member_job, &m), STORE_OK);
    int persons = -1;
    /* the old case goes first: its own member is alone, h's member is not */
    assert_int_equal(anonymise(t, old.pk, 5000, &persons), STORE_OK);
    assert_int_equal(persons, 1);
    char v[128];
    text_of(t, "SELECT name FROM persons WHERE pk=%lld", h.person_pk[0], v, sizeof v);
    assert_string_equal(v, "Hamid Musa");

    assert_int_equal(tmpdb_exec(t, "UPDATE persons SET dob_precision='estimated'"), SQLITE_OK);
    assert_int_equal(anonymise(t, h.pk, 6000, &persons), STORE_OK);
    assert_int_equal(persons, 1);
    text_of(t, "SELECT name||'|'||date_of_birth||'|'||dob_precision FROM persons WHERE pk=%lld",
            h.person_pk[0], v, sizeof v);
    assert_string_equal(v, "[anonymised]|1990|estimated");
    assert_int_equal(count_of(t, DOCUMENTS, h.person_pk[0]), 0);
}

/* A member who left the case loses their protection concerns when it is
 * anonymised, as the members do (Q_REMOVED_ANON as Q_PERSON_ANON). */
static void test_removed_member_loses_protection_concerns(void **state)
{
    tmpdb_t *t = *state;
    tmpdb_office(t, "EG-CAI", "EGY");
    const char *names[] = {"Hamid Musa"};
    tmpdb_household_t h;
    tmpdb_household(t, "EG-CAI", names, 1, &h);
    anon_ctx_t k = {0};
    k.data = tmpdb_person_json("Karim Musa", NULL);
    json_object_set_new(k.data, "protection_vulnerabilities",
                        json_pack("[s]", "victim_of_trafficking"));
    assert_int_equal(tmpdb_write(t, person_job, &k), STORE_OK);
    json_decref(k.data);
    char ev[256];
    snprintf(ev, sizeof ev, "{\"person_id\":\"%s\",\"name\":\"Karim Musa\",\"reason\":\"left\"}",
             k.id);
    add_event(t, h.pk, "member_removed", ev);
    assert_int_equal(count_of(t,
                              "SELECT protection_vulnerabilities IS NOT NULL FROM persons "
                              "WHERE pk=%lld",
                              k.person_pk),
                     1);
    int persons = -1;
    assert_int_equal(anonymise(t, h.pk, 5000, &persons), STORE_OK);
    assert_int_equal(persons, 2);
    assert_int_equal(count_of(t, "SELECT anonymised_at FROM persons WHERE pk=%lld", k.person_pk),
                     5000);
    /* the sealed protection concerns are gone */
    assert_int_equal(count_of(t,
                              "SELECT protection_vulnerabilities IS NULL FROM persons "
                              "WHERE pk=%lld",
                              k.person_pk),
                     1);
}

static void test_anonymise_unknown_case(void **state)
{
    tmpdb_t *t = *state;
    int persons = -1;
    assert_int_equal(anonymise(t, 4242, 1000, &persons), STORE_NOTFOUND);
    assert_int_equal(persons, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_due_by_stage_and_age, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_anonymise_removes_and_keeps, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_other_case_anonymised_does_not_protect, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_anonymise_unknown_case, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_removed_member_loses_protection_concerns, tmpdb_setup,
                                        tmpdb_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
