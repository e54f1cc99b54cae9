/*
 * test_field_values.c — validation of single values over the real entity
 * tables (src/core/field.c, src/core/entities.c).
 *
 * Every case, person, office and user that reaches awda is checked by
 * walking the field tables, and a case worker gets back every problem with
 * the exact JSON path of the offending field ("members[0].person.sex") and
 * a sentence they can act on. These tests drive awda_validate with
 * AWDA_CASE and AWDA_PERSON: a valid case has no problems; server-owned
 * fields are ignored and null means none for an optional field; and each
 * kind of problem of one value (missing, empty, too long, bad enum, bad
 * code, impossible, future or too early date, precision mismatch, wrong
 * JSON type) yields its path and message.
 */
#include "field_test.h"

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
        cmocka_unit_test(test_number_for_name),
        cmocka_unit_test(test_string_for_members),
        cmocka_unit_test(test_other_wrong_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
