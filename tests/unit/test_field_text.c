/*
 * test_field_text.c — validation of text, lists and the office and user
 * tables (src/core/field.c, src/core/entities.c).
 *
 * These tests drive awda_validate with the real tables: control
 * characters in names, direction overrides refused in names and codes
 * (and stripped from free text on export), notes (newlines allowed,
 * length bounded), the languages, vulnerabilities, documents and contact
 * of a person, a case's P-code and assignee; and AWDA_OFFICE and
 * AWDA_USER (office codes, a valid user, password length, roles, name and
 * offices).
 */
#include "field_test.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
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
        cmocka_unit_test(test_office_codes),
        cmocka_unit_test(test_case_office_code),
        cmocka_unit_test(test_user_valid),
        cmocka_unit_test(test_user_password_length),
        cmocka_unit_test(test_user_roles),
        cmocka_unit_test(test_user_name_and_offices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
