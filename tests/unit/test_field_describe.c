/*
 * test_field_describe.c — what the field tables tell the forms, and what
 * a person reading a problem understands (src/core/field.c,
 * src/core/entities.c).
 *
 * awda_entity_describe publishes the tables for the web forms; these
 * tests check what it says of a case and a user, the lookup helpers,
 * where the choices of a field come from and the confirmations, and the
 * fields required when another is given. They also check the problems a
 * person must understand (issue 9): a date in the right shape that no
 * calendar has is a date that does not exist, and a name needs a letter.
 */
#include "field_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_describe_case),
        cmocka_unit_test(test_describe_user_hides_nothing_needed),
        cmocka_unit_test(test_lookup_helpers),
        cmocka_unit_test(test_date_that_does_not_exist),
        cmocka_unit_test(test_name_needs_a_letter),
        cmocka_unit_test(test_required_when),
        cmocka_unit_test(test_describe_sources_and_confirmations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
