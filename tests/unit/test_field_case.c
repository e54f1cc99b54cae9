/*
 * test_field_case.c — validation of a household as a whole over the real
 * entity tables (src/core/field.c, src/core/entities.c).
 *
 * Beyond each value, a case has rules of its own. These tests drive
 * awda_validate with AWDA_CASE and check the rules of the principal (one,
 * and only one), the members (each with a person and a well-formed person
 * id, no person twice, a bounded number), the child-protection flag on an
 * adult and the benefit of the doubt for a child, unknown fields; that
 * several problems are reported in one pass, appended to the caller's
 * list under its path prefix; and the household plausibility checks (a
 * child older than the principal, a parent younger, a spouse too young, a
 * young principal alone), which partial dates read favourably and which
 * are refused until confirmed.
 */
#include "field_test.h"

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
        cmocka_unit_test(test_many_problems_at_once),
        cmocka_unit_test(test_errors_appended_not_replaced),
        cmocka_unit_test(test_path_prefix),
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
