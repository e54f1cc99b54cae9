/*
 * test_field.c — validation over the real entity tables (src/core/field.c,
 * src/core/entities.c).
 *
 * Every case, person, office and user that reaches awda is checked by
 * walking the field tables. A case worker who submits a household gets back
 * *every* problem at once, each with the exact JSON path of the offending
 * field ("members[0].person.sex") so the web form can mark it, and a
 * sentence they can act on. These tests drive awda_validate with the real
 * tables AWDA_CASE / AWDA_PERSON / AWDA_OFFICE / AWDA_USER: a valid case has
 * no problems; each kind of problem (missing, wrong type, bad enum, bad
 * code, impossible or future date, precision mismatch, principal rules,
 * duplicate person, child-protection flag on an adult, unknown field,
 * too many members, control characters) yields its path and message;
 * server-owned fields are ignored; several problems are reported in one
 * pass; and awda_entity_describe publishes the tables for the forms.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/field.h"
#include "../../src/util/limits.h"
#include "../../src/util/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *VALID_CASE =
    "{\"office\": \"EG-CAI\", \"origin_country\": \"EGY\", \"destination_country\": \"MLI\","
    " \"members\": [{\"relationship\": \"principal\", \"person\": {"
    "   \"name\": \"موسى كيتا\", \"name_latin\": \"Moussa Keita\", \"sex\": \"male\","
    "   \"date_of_birth\": \"1990-05-14\", \"dob_precision\": \"exact\","
    "   \"nationality\": \"MLI\", \"languages\": [\"bm\", \"fr\"]}}]}";

static json_t *load(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v)
        fail_msg("bad test JSON: %s (line %d)", err.text, err.line);
    return v;
}

static json_t *valid_case(void)
{
    return load(VALID_CASE);
}

static json_t *member(json_t *c, size_t i)
{
    return json_array_get(json_object_get(c, "members"), i);
}

static json_t *person0(json_t *c)
{
    return json_object_get(member(c, 0), "person");
}

/* Validates and returns the errors (caller decrefs). */
static json_t *validate(const awda_entity_t *e, const json_t *obj)
{
    json_t *errors = json_array();
    int n = awda_validate(e, obj, "", errors);
    assert_int_equal(n, (int)json_array_size(errors));
    return errors;
}

static void dump(const json_t *errors)
{
    char *s = json_dumps(errors, JSON_INDENT(1));
    if (s) {
        print_message("errors: %s\n", s);
        free(s);
    }
}

static const char *message_of(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return json_string_value(json_object_get(e, "message"));
    }
    return NULL;
}

/* Asserts that errors holds a problem at field whose message contains words. */
static void expect_error(const json_t *errors, const char *field, const char *words)
{
    const char *m = message_of(errors, field);
    if (!m) {
        dump(errors);
        fail_msg("no problem reported at %s", field);
    }
    if (words && !strstr(m, words)) {
        dump(errors);
        fail_msg("problem at %s is \"%s\", expected it to contain \"%s\"", field, m, words);
    }
    assert_true(strlen(m) > 0);
}

/* Validates obj and asserts exactly `count` problems, one at field. */
static void expect_only(const awda_entity_t *e, const json_t *obj, int count, const char *field,
                        const char *words)
{
    json_t *errors = validate(e, obj);
    if ((int)json_array_size(errors) != count) {
        dump(errors);
        fail_msg("expected %d problem(s), got %zu", count, json_array_size(errors));
    }
    if (field)
        expect_error(errors, field, words);
    json_decref(errors);
}

static void expect_valid(const awda_entity_t *e, const json_t *obj)
{
    expect_only(e, obj, 0, NULL, NULL);
}

/* A date n years before today, as YYYY-MM-DD. */
static void years_ago(int n, char out[11])
{
    awda_date_t t = awda_today();
    t.year -= n;
    if (t.month == 2 && t.day == 29)
        t.day = 28;
    awda_date_format(t, out);
}

static void set_str(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, json_string(value));
}

/* ---- valid input ---------------------------------------------------- */

static void test_valid_case(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_t *errors = json_array();
    assert_int_equal(awda_validate(&AWDA_CASE, c, "", errors), 0);
    assert_int_equal(json_array_size(errors), 0);
    json_decref(errors);
    json_decref(c);
}

static void test_valid_full_household(void **state)
{
    (void)state;
    json_t *c = load(
        "{\"office\": \"DZ-TAM\", \"origin_country\": \"DZA\", \"destination_country\": \"MLI\","
        " \"destination_admin_area\": \"Kayes\", \"destination_pcode\": \"ML01\","
        " \"project\": \"EU-IOM JI\", \"assigned_to\": \"a.traore\","
        " \"notes\": \"Arrived from Tamanrasset.\\nNeeds escort.\\tSee medical.\","
        " \"members\": ["
        "  {\"relationship\": \"principal\", \"person\": {\"name\": \"Aminata Diallo\","
        "    \"sex\": \"female\", \"date_of_birth\": \"1995\", \"dob_precision\": \"year\","
        "    \"nationality\": \"MLI\", \"languages\": [\"bam\", \"fr\"],"
        "    \"documents\": [{\"type\": \"passport\", \"number\": \"AA123456\","
        "       \"issuing_country\": \"MLI\", \"expiry\": \"2030-01-31\"}],"
        "    \"contact\": {\"phone\": \"+223 70 00 00 00\", \"email\": \"a@example.org\","
        "       \"address\": \"Quartier Mali\\nBamako\"},"
        "    \"vulnerabilities\": [\"single_parent\", \"pregnant\"]}},"
        "  {\"relationship\": \"child\", \"person\": {\"name\": \"Fatoumata\","
        "    \"sex\": \"female\", \"date_of_birth\": \"2019-03\", \"dob_precision\": \"month\","
        "    \"nationality\": \"MLI\", \"name_latin\": null, \"languages\": null}},"
        "  {\"relationship\": \"spouse\", \"person_id\": \"0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b\"},"
        "  {\"relationship\": \"other\", \"person\": {\"name\": \"X\", \"sex\": \"unknown\","
        "    \"nationality\": \"XXX\", \"dob_precision\": \"estimated\"}},"
        "  {\"relationship\": \"sibling\", \"person\": {\"name\": \"Y\", \"sex\": \"other\","
        "    \"nationality\": \"XXA\"}}"
        "]}");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_server_owned_fields_ignored(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "id", "not-a-uuid");
    json_object_set_new(c, "version", json_string("seven"));
    set_str(c, "stage", "teleported");
    json_object_set_new(c, "number", json_integer(5));
    json_object_set_new(c, "created_at", json_true());
    set_str(c, "updated_at", "yesterday");
    set_str(person0(c), "id", "nope");
    json_object_set_new(person0(c), "created_at", json_integer(1));
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_null_means_none_for_optional(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(c, "notes", json_null());
    json_object_set_new(c, "project", json_null());
    json_object_set_new(person0(c), "contact", json_null());
    json_object_set_new(person0(c), "documents", json_null());
    json_object_set_new(person0(c), "vulnerabilities", json_null());
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

/* ---- one problem at a time ------------------------------------------ */

static void test_missing_name(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_del(person0(c), "name");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "required");
    json_decref(c);
}

static void test_null_required_is_missing(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(c, "origin_country", json_null());
    expect_only(&AWDA_CASE, c, 1, "origin_country", "required");
    json_decref(c);
}

static void test_empty_name(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "name", "");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "must not be empty");
    json_decref(c);
}

static void test_name_length_bound(void **state)
{
    (void)state;
    char name[AWDA_MAX_NAME + 2];
    memset(name, 'a', sizeof name - 1);
    name[AWDA_MAX_NAME] = '\0'; /* exactly the maximum */
    json_t *c = valid_case();
    set_str(person0(c), "name", name);
    expect_valid(&AWDA_CASE, c);
    name[AWDA_MAX_NAME] = 'a';
    name[AWDA_MAX_NAME + 1] = '\0'; /* one byte more */
    set_str(person0(c), "name", name);
    expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "too long");
    json_decref(c);
}

static void test_bad_sex(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "sex", "M");
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 1);
    expect_error(errors, "members[0].person.sex", "must be one of");
    /* The message lists the values that are accepted. */
    expect_error(errors, "members[0].person.sex", "female");
    json_decref(errors);
    json_decref(c);
}

static void test_bad_nationality(void **state)
{
    (void)state;
    static const char *bad[] = {"Mali", "mli", "ML", "XYZ"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "nationality", bad[i]);
        expect_only(&AWDA_CASE, c, 1, "members[0].person.nationality", "XXA");
        json_decref(c);
    }
}

static void test_bad_destination_country(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "destination_country", "XXX"); /* a nationality, not a place */
    expect_only(&AWDA_CASE, c, 1, "destination_country", "three-letter country code");
    json_decref(c);
}

static void test_future_date_of_birth(void **state)
{
    (void)state;
    awda_date_t t = awda_today();
    char future[11];
    awda_date_t f = {t.year + 1, 1, 1};
    awda_date_format(f, future);
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", future);
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth", "in the future");
    /* Next year, written as a year only, is in the future too. */
    char y[5];
    snprintf(y, sizeof y, "%04d", t.year + 1);
    set_str(person0(c), "date_of_birth", y);
    set_str(person0(c), "dob_precision", "year");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth", "in the future");
    json_decref(c);
}

static void test_today_is_not_future(void **state)
{
    (void)state;
    /* A baby born today, and this month / this year as partial dates
     * (alone in the case: confirmed, see test_plausibility_*). */
    awda_date_t t = awda_today();
    char today[11];
    awda_date_format(t, today);
    json_t *c = valid_case();
    json_object_set_new(c, "confirm_plausibility", load("[\"principal-young-without-guardian\"]"));
    set_str(person0(c), "date_of_birth", today);
    expect_valid(&AWDA_CASE, c);
    today[7] = '\0';
    set_str(person0(c), "date_of_birth", today);
    set_str(person0(c), "dob_precision", "month");
    expect_valid(&AWDA_CASE, c);
    today[4] = '\0';
    set_str(person0(c), "date_of_birth", today);
    set_str(person0(c), "dob_precision", "year");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_impossible_date_of_birth(void **state)
{
    (void)state;
    static const char *bad[] = {"1990-1-1", "19900101", "14/05/1990", "1990-05-14T00:00",
                                "199O-05-14"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "date_of_birth", bad[i]);
        expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth",
                    "must be a date written as");
        json_decref(c);
    }
}

static void test_date_of_birth_before_1900(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", "1899-12-31");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth", "before 1900");
    json_decref(c);
}

static void test_exact_precision_needs_full_date(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", "1990");
    set_str(person0(c), "dob_precision", "exact");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.dob_precision", "YYYY-MM-DD");
    set_str(person0(c), "date_of_birth", "1990-05");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.dob_precision", "YYYY-MM-DD");
    json_decref(c);
}

static void test_month_precision_needs_month(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", "1990");
    set_str(person0(c), "dob_precision", "month");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.dob_precision", "YYYY-MM");
    set_str(person0(c), "date_of_birth", "1990-05");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_date_of_birth_needs_precision(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_del(person0(c), "dob_precision");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.dob_precision", "required");
    json_decref(c);
}

static void test_precision_without_date(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_del(person0(c), "date_of_birth");
    set_str(person0(c), "dob_precision", "year");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth", "required");
    /* "estimated" with no date is how "age unknown" is recorded. */
    set_str(person0(c), "dob_precision", "estimated");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_bad_dob_precision_value(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(person0(c), "dob_precision", "approximately");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.dob_precision", "estimated");
    json_decref(c);
}

/* ---- case rules ------------------------------------------------------ */

static json_t *second_member(const char *relationship)
{
    json_t *m = load("{\"person\": {\"name\": \"Awa Keita\", \"sex\": \"female\","
                     " \"nationality\": \"MLI\"}}");
    set_str(m, "relationship", relationship);
    return m;
}

static void test_two_principals(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_array_append_new(json_object_get(c, "members"), second_member("principal"));
    expect_only(&AWDA_CASE, c, 1, "members[1].relationship", "only one principal");
    json_decref(c);
}

static void test_no_principal(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(member(c, 0), "relationship", "spouse");
    json_array_append_new(json_object_get(c, "members"), second_member("child"));
    expect_only(&AWDA_CASE, c, 1, "members", "exactly one principal");
    json_decref(c);
}

static void test_empty_members(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(c, "members", json_array());
    expect_only(&AWDA_CASE, c, 1, "members", "at least 1");
    json_decref(c);
}

static void test_same_person_twice(void **state)
{
    (void)state;
    json_t *c = valid_case();
    const char *id = "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b";
    json_t *a = load("{\"relationship\": \"spouse\"}");
    json_t *b = load("{\"relationship\": \"child\"}");
    set_str(a, "person_id", id);
    set_str(b, "person_id", id);
    json_array_append_new(json_object_get(c, "members"), a);
    json_array_append_new(json_object_get(c, "members"), b);
    expect_only(&AWDA_CASE, c, 1, "members[2].person_id", "already a member");
    json_decref(c);
}

static void test_member_needs_person(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_array_append_new(json_object_get(c, "members"), load("{\"relationship\": \"child\"}"));
    expect_only(&AWDA_CASE, c, 1, "members[1].person", "required");
    json_decref(c);
}

static void test_bad_person_id(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_array_append_new(json_object_get(c, "members"),
                          load("{\"relationship\": \"child\", \"person_id\": \"42\"}"));
    expect_only(&AWDA_CASE, c, 1, "members[1].person_id", "not a valid identifier");
    json_decref(c);
}

static void test_unaccompanied_child_adult_rejected(void **state)
{
    (void)state;
    char dob[11];
    years_ago(30, dob);
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", dob);
    json_object_set_new(person0(c), "vulnerabilities", load("[\"unaccompanied_child\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities", "under 18");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities", "30");
    /* The same for a separated child. */
    json_object_set_new(person0(c), "vulnerabilities", load("[\"separated_child\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities", "under 18");
    json_decref(c);
}

static void test_unaccompanied_child_accepted(void **state)
{
    (void)state;
    char dob[11];
    years_ago(15, dob);
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", dob);
    json_object_set_new(person0(c), "vulnerabilities", load("[\"unaccompanied_child\"]"));
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_unaccompanied_child_benefit_of_doubt(void **state)
{
    (void)state;
    /* Born 18 years ago by estimate: the estimate could be a year off, so
     * the child-protection flag stands. With an exact date exactly 18
     * years ago the person is an adult. */
    awda_date_t t = awda_today();
    char year[5];
    snprintf(year, sizeof year, "%04d", t.year - 18);
    json_t *c = valid_case();
    set_str(person0(c), "date_of_birth", year);
    set_str(person0(c), "dob_precision", "estimated");
    json_object_set_new(person0(c), "vulnerabilities", load("[\"unaccompanied_child\"]"));
    expect_valid(&AWDA_CASE, c);
    char exact[11];
    years_ago(18, exact);
    set_str(person0(c), "date_of_birth", exact);
    set_str(person0(c), "dob_precision", "exact");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities", "under 18");
    json_decref(c);
}

static void test_unknown_fields(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "colour", "blue");
    set_str(person0(c), "nickname", "Mousse");
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 2);
    expect_error(errors, "colour", "this field is not known");
    expect_error(errors, "members[0].person.nickname", "this field is not known");
    json_decref(errors);
    json_decref(c);
}

static json_t *case_with_members(int n)
{
    json_t *c = valid_case();
    json_t *members = json_object_get(c, "members");
    for (int i = 1; i < n; i++)
        json_array_append_new(members, second_member("other_relative"));
    return c;
}

static void test_member_count_bound(void **state)
{
    (void)state;
    json_t *c = case_with_members(AWDA_MAX_MEMBERS);
    assert_int_equal(json_array_size(json_object_get(c, "members")), 60);
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
    c = case_with_members(AWDA_MAX_MEMBERS + 1);
    expect_only(&AWDA_CASE, c, 1, "members", "too many");
    json_decref(c);
}

/* ---- wrong JSON types ------------------------------------------------ */

static void test_number_for_name(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(person0(c), "name", json_integer(42));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "must be text");
    json_decref(c);
}

static void test_string_for_members(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "members", "Moussa and family");
    expect_only(&AWDA_CASE, c, 1, "members", "must be a list");
    json_decref(c);
}

static void test_other_wrong_types(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(member(c, 0), "person", json_string("Moussa"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person", "must be an object");
    json_decref(c);

    c = valid_case();
    json_array_append_new(json_object_get(c, "members"), json_integer(7));
    expect_only(&AWDA_CASE, c, 1, "members[1]", "must be an object");
    json_decref(c);

    c = valid_case();
    set_str(person0(c), "languages", "fr");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.languages", "must be a list");
    json_decref(c);

    c = valid_case();
    json_object_set_new(person0(c), "vulnerabilities", load("[\"elderly\", 3]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities[1]", "must be text");
    json_decref(c);

    c = valid_case();
    json_object_set_new(person0(c), "date_of_birth", json_integer(1990));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth", "must be text");
    json_decref(c);

    c = valid_case();
    json_object_set_new(c, "office", json_true());
    expect_only(&AWDA_CASE, c, 1, "office", "must be text");
    json_decref(c);
}

/* ---- text content ---------------------------------------------------- */

static void test_control_characters_in_name(void **state)
{
    (void)state;
    static const char *bad[] = {"Moussa\nKeita", "Moussa\tKeita", "Moussa\x07", "Mou\x7fssa",
                                "Moussa\x1b[31m"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "name", bad[i]);
        expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "cannot be stored");
        json_decref(c);
    }
    /* An embedded NUL (valid in JSON as \u0000) is refused too. */
    json_t *c = valid_case();
    json_object_set_new(person0(c), "name", json_stringn("Mou\0ssa", 7));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "cannot be stored");
    json_decref(c);
}

/* Direction overrides and isolates make a name display as something
 * else ("Ali\u202Egnp.exe" reads "Ali exe.png"): refused in every
 * FT_STRING of every entity, while the marks Arabic text needs pass and
 * free text keeps them (export strips them). */
static json_t *valid_user(void);
static const char *const BIDI[] = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                   "\u2066", "\u2067", "\u2068", "\u2069"};

static void test_direction_overrides_refused_in_names_and_codes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof BIDI / sizeof BIDI[0]; i++) {
        char text[64], json[128];
        /* the JSON escape gives the UTF-8 bytes */
        snprintf(json, sizeof json, "\"Ali%sgnp.exe\"", BIDI[i]);
        json_t *v = json_loads(json, JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        snprintf(text, sizeof text, "%s", json_string_value(v));
        json_decref(v);
        json_t *c = valid_case();
        set_str(person0(c), "name", text);
        expect_only(&AWDA_CASE, c, 1, "members[0].person.name", "direction");
        set_str(person0(c), "name", "Ali");
        set_str(c, "destination_admin_area", text);
        expect_only(&AWDA_CASE, c, 1, "destination_admin_area", "direction");
        json_object_del(c, "destination_admin_area");
        set_str(c, "notes", text); /* free text: neutralised on export */
        expect_valid(&AWDA_CASE, c);
        json_decref(c);
        json_t *o = load("{\"code\": \"EG-CAI\", \"name\": \"Cairo\", \"country\": \"EGY\"}");
        set_str(o, "name", text);
        expect_only(&AWDA_OFFICE, o, 1, "name", "direction");
        json_decref(o);
        json_t *u = valid_user();
        json_object_set_new(u, "projects", json_pack("[s,s]", "EU-IOM", text));
        expect_only(&AWDA_USER, u, 1, "projects[1]", "direction");
        json_decref(u);
    }
    /* Right-to-left, left-to-right and Arabic letter marks are kept. */
    json_t *c = valid_case();
    set_str(person0(c), "name",
            "\xe2\x80\x8f\xd9\x85\xd9\x88\xd8\xb3\xd9\x89 "
            "\xd8\xa8\xd9\x86\xd8\xaa\xd8\xa7\xd9\x84"
            "\xd8\xa8\xd9\x8a\xd9\x86\xe2\x80\x8e \xd8\x9c"
            "2");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

static void test_strip_bidi(void **state)
{
    (void)state;
    char s[64];
    snprintf(s, sizeof s, "Ali \xe2\x80\xaegnp.exe\xe2\x81\xa9");
    assert_int_equal(awda_strip_bidi(s), 2);
    assert_string_equal(s, "Ali gnp.exe");
    /* marks and neighbours of the override range stay */
    snprintf(s, sizeof s, "\xe2\x80\x8f\xe2\x80\xa9x\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xd8\x9c");
    assert_int_equal(awda_strip_bidi(s), 0);
    assert_int_equal(strlen(s), 3 + 3 + 1 + 3 + 3 + 3 + 2);
    snprintf(s, sizeof s,
             "\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae"
             "\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9");
    assert_int_equal(awda_strip_bidi(s), 9);
    assert_string_equal(s, "");
    /* a truncated sequence at the end is left alone */
    snprintf(s, sizeof s, "a\xe2\x80");
    assert_int_equal(awda_strip_bidi(s), 0);
    assert_string_equal(s, "a\xe2\x80");
}

static void test_notes_allow_newlines(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "notes", "First interview.\r\nWants to return to Kayes.\n\tFollow up.");
    expect_valid(&AWDA_CASE, c);
    set_str(c, "notes", "bell\x07");
    expect_only(&AWDA_CASE, c, 1, "notes", "cannot be stored");
    json_decref(c);
}

static void test_notes_length_bound(void **state)
{
    (void)state;
    char *notes = malloc(AWDA_MAX_NOTES + 2);
    assert_non_null(notes);
    memset(notes, 'n', AWDA_MAX_NOTES + 1);
    notes[AWDA_MAX_NOTES] = '\0';
    json_t *c = valid_case();
    set_str(c, "notes", notes);
    expect_valid(&AWDA_CASE, c);
    notes[AWDA_MAX_NOTES] = 'n';
    notes[AWDA_MAX_NOTES + 1] = '\0';
    set_str(c, "notes", notes);
    expect_only(&AWDA_CASE, c, 1, "notes", "too long");
    free(notes);
    json_decref(c);
}

static void test_languages(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(person0(c), "languages", load("[\"ar\", \"xx1\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.languages[1]", "language codes");
    json_object_set_new(person0(c), "languages", load("[\"fr\", \"ar\", \"fr\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.languages[2]", "twice");
    json_object_set_new(person0(c), "languages",
                        load("[\"ar\",\"fr\",\"en\",\"bm\",\"ha\",\"ff\",\"wo\",\"so\",\"am\","
                             "\"ti\",\"om\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.languages", "too many");
    json_decref(c);
}

static void test_vulnerabilities(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(person0(c), "vulnerabilities", load("[\"elderly\", \"sad\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities[1]", "must be among");
    json_object_set_new(person0(c), "vulnerabilities", load("[\"disability\", \"disability\"]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.vulnerabilities[1]", "twice");
    json_decref(c);
}

static void test_documents(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(person0(c), "documents",
                        load("[{\"type\": \"passport\", \"number\": \"A1\"},"
                             " {\"type\": \"visa\", \"expiry\": \"2030-02-30\"}]"));
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 3);
    expect_error(errors, "members[0].person.documents[1].type", "must be one of");
    expect_error(errors, "members[0].person.documents[1].number", "required");
    expect_error(errors, "members[0].person.documents[1].expiry", "this date does not exist");
    json_decref(errors);
    /* An expiry must be a full date, not a partial one. */
    json_object_set_new(person0(c), "documents",
                        load("[{\"type\": \"laissez_passer\", \"number\": \"LP-9\","
                             " \"expiry\": \"2030-02\"}]"));
    expect_only(&AWDA_CASE, c, 1, "members[0].person.documents[0].expiry", "YYYY-MM-DD");
    json_decref(c);
}

static void test_contact(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_set_new(person0(c), "contact",
                        load("{\"phone\": \"call me\", \"email\": \"a@b@c\"}"));
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 2);
    expect_error(errors, "members[0].person.contact.phone", "digits");
    expect_error(errors, "members[0].person.contact.email", "e-mail address");
    json_decref(errors);
    json_decref(c);
}

static void test_pcode_and_assignee(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "destination_pcode", "ML 01");
    expect_only(&AWDA_CASE, c, 1, "destination_pcode", "letters, digits");
    json_object_del(c, "destination_pcode");
    set_str(c, "assigned_to", "A. Traore");
    expect_only(&AWDA_CASE, c, 1, "assigned_to", "lower-case");
    json_decref(c);
}

/* ---- several problems in one pass ------------------------------------ */

static void test_many_problems_at_once(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_del(c, "office");                       /* 1 */
    set_str(c, "origin_country", "Egypt");              /* 2 */
    set_str(c, "shoe_size", "42");                      /* 3 */
    set_str(person0(c), "sex", "M");                    /* 4 */
    set_str(person0(c), "nationality", "mli");          /* 5 */
    set_str(person0(c), "date_of_birth", "2001-02-30"); /* 6 */
    json_array_append_new(json_object_get(c, "members"),
                          load("{\"relationship\": \"cousin\", \"person\": {\"sex\": \"male\","
                               " \"nationality\": \"MLI\"}}")); /* 7 relationship, 8 name */
    json_t *errors = validate(&AWDA_CASE, c);
    if (json_array_size(errors) != 8)
        dump(errors);
    assert_int_equal(json_array_size(errors), 8);
    expect_error(errors, "office", "required");
    expect_error(errors, "origin_country", "country code");
    expect_error(errors, "shoe_size", "not known");
    expect_error(errors, "members[0].person.sex", NULL);
    expect_error(errors, "members[0].person.nationality", NULL);
    expect_error(errors, "members[0].person.date_of_birth", NULL);
    expect_error(errors, "members[1].relationship", "must be one of");
    expect_error(errors, "members[1].person.name", "required");
    /* Every problem has both a field and a message. */
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        assert_true(json_is_string(json_object_get(e, "field")));
        assert_true(json_is_string(json_object_get(e, "message")));
        /* and, for some, a stable code ("date-invalid") */
        json_t *code = json_object_get(e, "code");
        assert_true(!code || json_is_string(code));
        assert_int_equal(json_object_size(e), code ? 3 : 2);
    }
    json_decref(errors);
    json_decref(c);
}

static void test_errors_appended_not_replaced(void **state)
{
    (void)state;
    /* awda_validate adds to an existing list and returns only its own count. */
    json_t *errors = json_array();
    awda_error_add(errors, "earlier", "something %s", "else");
    json_t *c = valid_case();
    json_object_del(c, "office");
    assert_int_equal(awda_validate(&AWDA_CASE, c, "", errors), 1);
    assert_int_equal(json_array_size(errors), 2);
    expect_error(errors, "earlier", "something else");
    expect_error(errors, "office", "required");
    json_decref(errors);
    json_decref(c);
}

static void test_path_prefix(void **state)
{
    (void)state;
    json_t *p = load("{\"sex\": \"female\", \"nationality\": \"SDN\"}");
    json_t *errors = json_array();
    assert_int_equal(awda_validate(&AWDA_PERSON, p, "person", errors), 1);
    expect_error(errors, "person.name", "required");
    json_decref(errors);
    errors = json_array();
    assert_int_equal(awda_validate(&AWDA_PERSON, p, "", errors), 1);
    expect_error(errors, "name", "required");
    json_decref(errors);
    json_decref(p);
}

/* ---- offices and users ----------------------------------------------- */

static void test_office_codes(void **state)
{
    (void)state;
    json_t *o = load("{\"code\": \"EG-CAI\", \"name\": \"Cairo\", \"country\": \"EGY\","
                     " \"location\": \"Maadi\"}");
    expect_valid(&AWDA_OFFICE, o);
    set_str(o, "code", "eg-cai");
    expect_only(&AWDA_OFFICE, o, 1, "code", "EG-CAI");
    set_str(o, "code", "EGCAI");
    expect_only(&AWDA_OFFICE, o, 1, "code", NULL);
    set_str(o, "code", "EG_CAI");
    expect_only(&AWDA_OFFICE, o, 1, "code", "EG-CAI");
    set_str(o, "code", "EG-CAIR");
    expect_only(&AWDA_OFFICE, o, 1, "code", NULL);
    set_str(o, "code", "E1-CAI");
    expect_only(&AWDA_OFFICE, o, 1, "code", "EG-CAI");
    set_str(o, "code", "ML-BKO");
    expect_valid(&AWDA_OFFICE, o);
    json_object_del(o, "country");
    expect_only(&AWDA_OFFICE, o, 1, "country", "required");
    json_decref(o);
}

static void test_case_office_code(void **state)
{
    (void)state;
    json_t *c = valid_case();
    set_str(c, "office", "eg-cai");
    expect_only(&AWDA_CASE, c, 1, "office", "EG-CAI");
    json_decref(c);
}

static json_t *valid_user(void)
{
    return load("{\"username\": \"a.traore\", \"full_name\": \"Awa Traoré\","
                " \"password\": \"correct horse battery\", \"roles\": [\"registration\"],"
                " \"offices\": [\"EG-CAI\", \"DZ-TAM\"], \"disabled\": false}");
}

static void test_user_valid(void **state)
{
    (void)state;
    json_t *u = valid_user();
    expect_valid(&AWDA_USER, u);
    json_decref(u);
}

static void test_user_password_length(void **state)
{
    (void)state;
    json_t *u = valid_user();
    set_str(u, "password", "elevenchars"); /* 11 */
    expect_only(&AWDA_USER, u, 1, "password", "at least 12");
    set_str(u, "password", "twelve chars"); /* 12 */
    expect_valid(&AWDA_USER, u);
    json_object_del(u, "password");
    expect_only(&AWDA_USER, u, 1, "password", "required");
    json_decref(u);
}

static void test_user_roles(void **state)
{
    (void)state;
    json_t *u = valid_user();
    json_object_set_new(u, "roles", load("[\"counsellor\", \"superuser\"]"));
    expect_only(&AWDA_USER, u, 1, "roles[1]", "known roles");
    json_object_set_new(u, "roles", json_array());
    expect_only(&AWDA_USER, u, 1, "roles", "at least 1");
    json_object_set_new(u, "roles", load("[\"admin\", \"admin\"]"));
    expect_only(&AWDA_USER, u, 1, "roles[1]", "twice");
    json_object_set_new(u, "roles", load("[\"partner\", \"donor\", \"me\", \"manager\"]"));
    expect_valid(&AWDA_USER, u);
    json_decref(u);
}

static void test_user_name_and_offices(void **state)
{
    (void)state;
    json_t *u = valid_user();
    set_str(u, "username", "A.Traore");
    expect_only(&AWDA_USER, u, 1, "username", "lower-case");
    set_str(u, "username", "x");
    expect_only(&AWDA_USER, u, 1, "username", NULL);
    set_str(u, "username", "a.traore");
    json_object_set_new(u, "offices", load("[\"EG-CAI\", \"cairo\"]"));
    expect_only(&AWDA_USER, u, 1, "offices[1]", "EG-CAI");
    json_object_set_new(u, "offices", load("[]"));
    expect_valid(&AWDA_USER, u);
    json_object_set_new(u, "disabled", json_string("yes"));
    expect_only(&AWDA_USER, u, 1, "disabled", "true or false");
    json_decref(u);
}

/* ---- describe and helpers -------------------------------------------- */

static json_t *find_by_name(const json_t *arr, const char *name)
{
    size_t i;
    json_t *f;
    json_array_foreach(arr, i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "name")), name) == 0)
            return f;
    }
    return NULL;
}

static void test_describe_case(void **state)
{
    (void)state;
    json_t *d = awda_entity_describe(&AWDA_CASE);
    assert_true(json_is_array(d));
    assert_int_equal(json_array_size(d), AWDA_CASE.nfields);
    size_t i;
    json_t *f;
    json_array_foreach(d, i, f)
    {
        assert_true(json_is_string(json_object_get(f, "name")));
        assert_true(json_is_string(json_object_get(f, "type")));
        assert_true(json_is_boolean(json_object_get(f, "required")));
        assert_true(json_is_string(json_object_get(f, "label")));
    }
    json_t *office = find_by_name(d, "office");
    assert_non_null(office);
    assert_true(json_is_true(json_object_get(office, "required")));
    json_t *id = find_by_name(d, "id");
    assert_non_null(id);
    assert_true(json_is_true(json_object_get(id, "server")));
    json_t *stage = find_by_name(d, "stage");
    assert_non_null(stage);
    assert_true(json_is_array(json_object_get(stage, "values")));

    json_t *members = find_by_name(d, "members");
    assert_non_null(members);
    assert_string_equal(json_string_value(json_object_get(members, "type")), "array");
    assert_int_equal(json_integer_value(json_object_get(members, "max")), AWDA_MAX_MEMBERS);
    json_t *mfields = json_object_get(members, "fields");
    assert_true(json_is_array(mfields));
    assert_non_null(find_by_name(mfields, "relationship"));
    json_t *person = find_by_name(mfields, "person");
    assert_non_null(person);
    json_t *pfields = json_object_get(person, "fields");
    assert_true(json_is_array(pfields));
    json_t *name = find_by_name(pfields, "name");
    assert_non_null(name);
    assert_true(json_is_true(json_object_get(name, "required")));
    assert_string_equal(json_string_value(json_object_get(name, "sensitivity")), "identity");
    json_t *sex = find_by_name(pfields, "sex");
    assert_non_null(sex);
    assert_int_equal(json_array_size(json_object_get(sex, "values")), 4);
    json_decref(d);
}

static void test_describe_user_hides_nothing_needed(void **state)
{
    (void)state;
    json_t *d = awda_entity_describe(&AWDA_USER);
    json_t *pw = find_by_name(d, "password");
    assert_non_null(pw);
    assert_int_equal(json_integer_value(json_object_get(pw, "min")), AWDA_PASSWORD_MIN);
    json_decref(d);
}

static void test_lookup_helpers(void **state)
{
    (void)state;
    const awda_field_t *f = awda_field_find(&AWDA_PERSON, "date_of_birth");
    assert_non_null(f);
    assert_int_equal(f->type, FT_PARTIAL_DATE);
    assert_null(awda_field_find(&AWDA_PERSON, "dob"));
    assert_int_equal(awda_value_index(AWDA_ROLES, "registration"), 0);
    assert_int_equal(awda_value_index(AWDA_ROLES, "admin"), 9);
    assert_int_equal(awda_value_index(AWDA_ROLES, "root"), -1);
    assert_int_equal(awda_value_index(AWDA_ROLES, NULL), -1);
    assert_int_equal(awda_value_index(AWDA_STAGES, "registered"), 0);
    assert_string_equal(awda_sens_name(SENS_MEDICAL), "medical");
    assert_string_equal(awda_sens_name((awda_sens_t)99), "none");
}

/* ---- what a person understands (issue 9) ------------------------------ */

static const char *code_of(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return json_string_value(json_object_get(e, "code"));
    }
    return NULL;
}

/* A date in the right shape that no calendar has is "a date that does not
 * exist" (date-invalid), not a problem of format, in every date field. */
static void test_date_that_does_not_exist(void **state)
{
    (void)state;
    static const struct {
        const char *date, *why;
    } cases[] = {
        {"1985-02-30", "February 1985 has 28 days"}, {"2023-02-29", "February 2023 has 28 days"},
        {"1990-04-31", "April 1990 has 30 days"},    {"1990-13-01", "there is no month 13"},
        {"1990-00", "there is no month 0"},          {"1990-05-00", "May 1990 has 31 days"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "date_of_birth", cases[i].date);
        set_str(person0(c), "dob_precision", strlen(cases[i].date) == 7 ? "month" : "exact");
        json_t *errors = validate(&AWDA_CASE, c);
        if (json_array_size(errors) != 1)
            dump(errors);
        assert_int_equal(json_array_size(errors), 1);
        expect_error(errors, "members[0].person.date_of_birth", "this date does not exist");
        expect_error(errors, "members[0].person.date_of_birth", cases[i].why);
        assert_string_equal(code_of(errors, "members[0].person.date_of_birth"), "date-invalid");
        json_decref(errors);
        json_decref(c);
    }
    /* A full date field (a document's expiry) says the same. */
    json_t *c = valid_case();
    json_object_set_new(person0(c), "documents",
                        load("[{\"type\": \"passport\", \"number\": \"A1\","
                             " \"expiry\": \"2030-02-29\"}]"));
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 1);
    assert_string_equal(code_of(errors, "members[0].person.documents[0].expiry"), "date-invalid");
    json_decref(errors);
    /* 29 February of a leap year exists. */
    set_str(person0(c), "date_of_birth", "1988-02-29");
    json_object_del(person0(c), "documents");
    expect_valid(&AWDA_CASE, c);
    json_decref(c);
}

/* A name needs at least one letter, of any script. */
static void test_name_needs_a_letter(void **state)
{
    (void)state;
    static const char *bad[] = {"   ",
                                "-",
                                "...",
                                "\xd8\x9f\xd8\x9f", /* ؟؟ */
                                "123",
                                "\xd9\x8b\xd9\x8c", /* harakat alone */
                                "\xc2\xa0\xe3\x80\x80",
                                "?!",
                                "( )"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "name", bad[i]);
        json_t *errors = validate(&AWDA_CASE, c);
        if (json_array_size(errors) != 1)
            dump(errors);
        assert_int_equal(json_array_size(errors), 1);
        expect_error(errors, "members[0].person.name", "a name needs at least one letter");
        assert_string_equal(code_of(errors, "members[0].person.name"), "name-needs-letter");
        json_decref(errors);
        /* the Latin form too */
        set_str(person0(c), "name", "Moussa");
        set_str(person0(c), "name_latin", bad[i]);
        expect_only(&AWDA_CASE, c, 1, "members[0].person.name_latin",
                    "a name needs at least one letter");
        json_decref(c);
    }
    static const char *good[] = {"\xd8\xb2\xd9\x83\xd8\xb1\xd9\x8a\xd8\xa7", /* زكريا */
                                 "Zakaria",
                                 "N'Diaye",
                                 "O. K.",
                                 "\xe1\x8b\x98\xe1\x8a\xab",
                                 "Ma\xc3\xafga 2"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        json_t *c = valid_case();
        set_str(person0(c), "name", good[i]);
        expect_valid(&AWDA_CASE, c);
        json_decref(c);
    }
    /* Other name fields: a user's full name, an office's name. */
    json_t *u = load("{\"username\": \"k.diarra\", \"password\": \"correct horse battery\","
                     " \"roles\": [\"registration\"], \"full_name\": \" - \"}");
    expect_only(&AWDA_USER, u, 1, "full_name", "a name needs at least one letter");
    json_decref(u);
    json_t *o = load("{\"code\": \"EG-CAI\", \"name\": \"***\", \"country\": \"EGY\"}");
    expect_only(&AWDA_OFFICE, o, 1, "name", "a name needs at least one letter");
    json_decref(o);
}

/* Conditional requirements: in the table, checked and published. */
static void test_required_when(void **state)
{
    (void)state;
    json_t *c = valid_case();
    json_object_del(person0(c), "dob_precision");
    json_t *errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 1);
    expect_error(errors, "members[0].person.dob_precision", "required when date of birth is given");
    json_decref(errors);
    json_object_del(person0(c), "date_of_birth");
    expect_valid(&AWDA_CASE, c);
    set_str(person0(c), "dob_precision", "estimated");
    expect_valid(&AWDA_CASE, c);
    set_str(person0(c), "dob_precision", "year");
    expect_only(&AWDA_CASE, c, 1, "members[0].person.date_of_birth",
                "required when the precision of the date of birth is year");
    json_decref(c);

    json_t *d = awda_entity_describe(&AWDA_PERSON);
    json_t *w = json_object_get(find_by_name(d, "dob_precision"), "required_when");
    assert_string_equal(json_string_value(json_object_get(w, "field")), "date_of_birth");
    assert_null(json_object_get(w, "values"));
    w = json_object_get(find_by_name(d, "date_of_birth"), "required_when");
    assert_string_equal(json_string_value(json_object_get(w, "field")), "dob_precision");
    assert_int_equal(json_array_size(json_object_get(w, "values")), 3);
    assert_null(json_object_get(find_by_name(d, "name"), "required_when"));
    json_decref(d);
}

/* Where the choices of a field come from, and the confirmations. */
static void test_describe_sources_and_confirmations(void **state)
{
    (void)state;
    json_t *d = awda_entity_describe(&AWDA_CASE);
    assert_string_equal(
        json_string_value(json_object_get(find_by_name(d, "assigned_to"), "source")), "staff");
    assert_string_equal(json_string_value(json_object_get(find_by_name(d, "office"), "source")),
                        "offices");
    json_t *conf = find_by_name(d, "confirm_plausibility");
    assert_non_null(conf);
    assert_true(json_is_true(json_object_get(conf, "confirm")));
    json_t *vals = json_object_get(conf, "values");
    size_t n = 0;
    while (AWDA_PLAUSIBILITY[n])
        n++;
    assert_int_equal(json_array_size(vals), n);
    assert_string_equal(json_string_value(json_array_get(vals, 0)), "child-older-than-principal");
    json_decref(d);
}

/* ---- household plausibility -------------------------------------------- */

#define ON 2026, 3, 15 /* the day the pure checks are run on */

static json_t *household(const char *principal_dob, const char *principal_prec)
{
    json_t *c = json_pack("{s:s,s:s,s:s,s:[]}", "office", "EG-CAI", "origin_country", "SDN",
                          "destination_country", "SDN", "members");
    json_array_append_new(json_object_get(c, "members"),
                          json_pack("{s:s,s:{s:s,s:s,s:s,s:s,s:s}}", "relationship", "principal",
                                    "person", "name", "Zakaria", "sex", "male", "nationality",
                                    "SDN", "date_of_birth", principal_dob, "dob_precision",
                                    principal_prec));
    return c;
}

static void add_member(json_t *c, const char *rel, const char *dob, const char *prec)
{
    json_array_append_new(json_object_get(c, "members"),
                          json_pack("{s:s,s:{s:s,s:s,s:s,s:s,s:s}}", "relationship", rel, "person",
                                    "name", "Member", "sex", "female", "nationality", "SDN",
                                    "date_of_birth", dob, "dob_precision", prec));
}

/* The findings of c on ON (caller decrefs). */
static json_t *findings(const json_t *c)
{
    json_t *out = json_array();
    int n = awda_case_plausibility(c, ON, out);
    assert_int_equal(n, (int)json_array_size(out));
    return out;
}

static void expect_finding(const json_t *out, const char *field, const char *code,
                           const char *words)
{
    if (json_array_size(out) != 1) {
        dump(out);
        fail_msg("expected one finding, got %zu", json_array_size(out));
    }
    json_t *f = json_array_get(out, 0);
    assert_string_equal(json_string_value(json_object_get(f, "field")), field);
    assert_string_equal(json_string_value(json_object_get(f, "code")), code);
    const char *m = json_string_value(json_object_get(f, "message"));
    if (!strstr(m, words))
        fail_msg("finding \"%s\" does not say \"%s\"", m, words);
}

/* The Cairo household: a father, a mother, a child of about 8. */
static void test_plausibility_cairo_household(void **state)
{
    (void)state;
    json_t *c = household("1985-04-12", "exact");
    add_member(c, "spouse", "1990", "year");
    add_member(c, "child", "2018", "estimated");
    json_t *out = findings(c);
    if (json_array_size(out))
        dump(out);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
}

static void test_plausibility_child_older_than_principal(void **state)
{
    (void)state;
    json_t *c = household("1985-04-12", "exact");
    add_member(c, "spouse", "1990", "year");
    add_member(c, "child", "1980-01-01", "exact");
    json_t *out = findings(c);
    expect_finding(out, "members[2].person.date_of_birth", "child-older-than-principal",
                   "this child is aged 46 by the date of birth, not younger than the "
                   "principal applicant (aged 40)");
    json_t *params = json_object_get(json_array_get(out, 0), "params");
    assert_int_equal(json_integer_value(json_object_get(params, "age")), 46);
    assert_int_equal(json_integer_value(json_object_get(params, "principal_age")), 40);
    json_decref(out);
    /* Born the same day: not younger either. One day later: a child. */
    json_object_set_new(json_object_get(json_array_get(json_object_get(c, "members"), 2), "person"),
                        "date_of_birth", json_string("1985-04-12"));
    out = findings(c);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    json_object_set_new(json_object_get(json_array_get(json_object_get(c, "members"), 2), "person"),
                        "date_of_birth", json_string("1985-04-13"));
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
}

/* Dates known to the year, or estimated, are read in the most favourable
 * way: a finding only when no reading makes sense. */
static void test_plausibility_reads_partial_dates_favourably(void **state)
{
    (void)state;
    json_t *c = household("1985", "year");
    add_member(c, "child", "1985", "year"); /* could be born later in 1985 */
    json_t *out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
    c = household("1985", "estimated");
    add_member(c, "child", "1984", "estimated"); /* either may be a year off */
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
    c = household("1985", "estimated");
    add_member(c, "child", "1981", "estimated"); /* at most 1982 against at least 1984 */
    out = findings(c);
    expect_finding(out, "members[1].person.date_of_birth", "child-older-than-principal",
                   "not younger than the principal applicant");
    json_decref(out);
    json_decref(c);
}

static void test_plausibility_parent_younger_than_principal(void **state)
{
    (void)state;
    json_t *c = household("1985-04-12", "exact");
    add_member(c, "parent", "1990-01-01", "exact");
    json_t *out = findings(c);
    expect_finding(out, "members[1].person.date_of_birth", "parent-younger-than-principal",
                   "this parent is aged 36 by the date of birth, not older than the "
                   "principal applicant (aged 40)");
    json_decref(out);
    json_decref(c);
    c = household("1985-04-12", "exact");
    add_member(c, "parent", "1960", "estimated");
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
}

static void test_plausibility_spouse_too_young(void **state)
{
    (void)state;
    json_t *c = household("1985-04-12", "exact");
    add_member(c, "spouse", "2025-01-10", "exact"); /* aged 1 */
    json_t *out = findings(c);
    expect_finding(out, "members[1].person.date_of_birth", "spouse-too-young",
                   "this spouse is aged 1 by the date of birth");
    json_decref(out);
    json_decref(c);
    /* 11 years and a day short of 12: still too young; 12 today: not. */
    c = household("1985-04-12", "exact");
    add_member(c, "spouse", "2014-03-16", "exact");
    out = findings(c);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    json_object_set_new(json_object_get(json_array_get(json_object_get(c, "members"), 1), "person"),
                        "date_of_birth", json_string("2014-03-15"));
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
}

static void test_plausibility_young_principal_alone(void **state)
{
    (void)state;
    json_t *c = household("2021-01-01", "exact"); /* 5 */
    json_t *out = findings(c);
    expect_finding(out, "members[0].person.date_of_birth", "principal-young-without-guardian",
                   "the principal applicant is aged 5 by the date of birth and no parent "
                   "or guardian is a member of the case");
    json_decref(out);
    add_member(c, "sibling", "2019", "year"); /* a sibling of 7 is no guardian */
    out = findings(c);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    add_member(c, "guardian", "1980", "year");
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
    /* With a parent in the case, or old enough to travel as principal. */
    c = household("2021-01-01", "exact");
    add_member(c, "parent", "1990", "year");
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
    c = household("2014-03-15", "exact"); /* 12 today */
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
    /* A member known by id only, or without a date of birth: nothing to say. */
    c = household("1985-04-12", "exact");
    json_array_append_new(json_object_get(c, "members"),
                          load("{\"relationship\": \"child\", \"person_id\": "
                               "\"0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b\"}"));
    json_array_append_new(json_object_get(c, "members"),
                          load("{\"relationship\": \"spouse\", \"person\": {\"name\": \"X\"}}"));
    out = findings(c);
    assert_int_equal(json_array_size(out), 0);
    json_decref(out);
    json_decref(c);
}

/* In validation: refused with its code and message until confirmed. */
static void test_plausibility_refused_until_confirmed(void **state)
{
    (void)state;
    char old[11], young[11];
    years_ago(30, old);
    years_ago(40, young); /* the "child" is older than the principal */
    json_t *c = household(old, "exact");
    add_member(c, "child", young, "exact");
    json_t *errors = validate(&AWDA_CASE, c);
    if (json_array_size(errors) != 1)
        dump(errors);
    assert_int_equal(json_array_size(errors), 1);
    expect_error(errors, "members[1].person.date_of_birth", "not younger than the principal");
    assert_string_equal(code_of(errors, "members[1].person.date_of_birth"),
                        "child-older-than-principal");
    assert_string_equal(json_string_value(json_object_get(json_array_get(errors, 0), "confirm")),
                        "confirm_plausibility");
    json_decref(errors);
    /* Confirming another warning does not confirm this one. */
    json_object_set_new(c, "confirm_plausibility", load("[\"spouse-too-young\"]"));
    errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 1);
    json_decref(errors);
    json_object_set_new(c, "confirm_plausibility", load("[\"child-older-than-principal\"]"));
    expect_valid(&AWDA_CASE, c);
    /* Only known codes can be confirmed. */
    json_object_set_new(c, "confirm_plausibility",
                        load("[\"child-older-than-principal\", \"all-fine\"]"));
    expect_only(&AWDA_CASE, c, 1, "confirm_plausibility[1]", "must be among");
    /* A date of birth wrong on its own is the problem to fix first. */
    json_object_del(c, "confirm_plausibility");
    set_str(json_object_get(json_array_get(json_object_get(c, "members"), 0), "person"),
            "date_of_birth", "1990-02-30");
    errors = validate(&AWDA_CASE, c);
    assert_int_equal(json_array_size(errors), 1);
    assert_string_equal(code_of(errors, "members[0].person.date_of_birth"), "date-invalid");
    json_decref(errors);
    json_decref(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_case),
        cmocka_unit_test(test_valid_full_household),
        cmocka_unit_test(test_server_owned_fields_ignored),
        cmocka_unit_test(test_null_means_none_for_optional),
        cmocka_unit_test(test_missing_name),
        cmocka_unit_test(test_null_required_is_missing),
        cmocka_unit_test(test_empty_name),
        cmocka_unit_test(test_name_length_bound),
        cmocka_unit_test(test_bad_sex),
        cmocka_unit_test(test_bad_nationality),
        cmocka_unit_test(test_bad_destination_country),
        cmocka_unit_test(test_future_date_of_birth),
        cmocka_unit_test(test_today_is_not_future),
        cmocka_unit_test(test_impossible_date_of_birth),
        cmocka_unit_test(test_date_of_birth_before_1900),
        cmocka_unit_test(test_exact_precision_needs_full_date),
        cmocka_unit_test(test_month_precision_needs_month),
        cmocka_unit_test(test_date_of_birth_needs_precision),
        cmocka_unit_test(test_precision_without_date),
        cmocka_unit_test(test_bad_dob_precision_value),
        cmocka_unit_test(test_two_principals),
        cmocka_unit_test(test_no_principal),
        cmocka_unit_test(test_empty_members),
        cmocka_unit_test(test_same_person_twice),
        cmocka_unit_test(test_member_needs_person),
        cmocka_unit_test(test_bad_person_id),
        cmocka_unit_test(test_unaccompanied_child_adult_rejected),
        cmocka_unit_test(test_unaccompanied_child_accepted),
        cmocka_unit_test(test_unaccompanied_child_benefit_of_doubt),
        cmocka_unit_test(test_unknown_fields),
        cmocka_unit_test(test_member_count_bound),
        cmocka_unit_test(test_number_for_name),
        cmocka_unit_test(test_string_for_members),
        cmocka_unit_test(test_other_wrong_types),
        cmocka_unit_test(test_control_characters_in_name),
        cmocka_unit_test(test_direction_overrides_refused_in_names_and_codes),
        cmocka_unit_test(test_strip_bidi),
        cmocka_unit_test(test_notes_allow_newlines),
        cmocka_unit_test(test_notes_length_bound),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_vulnerabilities),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_contact),
        cmocka_unit_test(test_pcode_and_assignee),
        cmocka_unit_test(test_many_problems_at_once),
        cmocka_unit_test(test_errors_appended_not_replaced),
        cmocka_unit_test(test_path_prefix),
        cmocka_unit_test(test_office_codes),
        cmocka_unit_test(test_case_office_code),
        cmocka_unit_test(test_user_valid),
        cmocka_unit_test(test_user_password_length),
        cmocka_unit_test(test_user_roles),
        cmocka_unit_test(test_user_name_and_offices),
        cmocka_unit_test(test_describe_case),
        cmocka_unit_test(test_describe_user_hides_nothing_needed),
        cmocka_unit_test(test_lookup_helpers),
        cmocka_unit_test(test_date_that_does_not_exist),
        cmocka_unit_test(test_name_needs_a_letter),
        cmocka_unit_test(test_required_when),
        cmocka_unit_test(test_describe_sources_and_confirmations),
        cmocka_unit_test(test_plausibility_cairo_household),
        cmocka_unit_test(test_plausibility_child_older_than_principal),
        cmocka_unit_test(test_plausibility_reads_partial_dates_favourably),
        cmocka_unit_test(test_plausibility_parent_younger_than_principal),
        cmocka_unit_test(test_plausibility_spouse_too_young),
        cmocka_unit_test(test_plausibility_young_principal_alone),
        cmocka_unit_test(test_plausibility_refused_until_confirmed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
