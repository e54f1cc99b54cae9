/*
 * test_authz.c — the permission table (src/app/authz.c).
 *
 * Need-to-know access is one of IOM's data-protection principles: a
 * registration officer must be able to open a case, a partner or a donor
 * must never see personal data, only an administrator may manage users and
 * offices, and a case worker in Cairo must not reach cases of the Bamako
 * office (programme managers and administrators work across offices). The
 * command line acts as the system, with full rights. These tests check
 * app_allowed for every role against the table, office scoping with
 * app_in_office, role-name lookup, and the JSON matrix the data-protection
 * documentation is generated from.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/app/app.h"
#include "../../src/core/field.h"
#include <string.h>

static app_actor_t actor(const char *role)
{
    app_actor_t a;
    memset(&a, 0, sizeof a);
    a.p.pk = 1;
    a.p.roles = app_role_bit(role);
    a.p.noffices = 1;
    a.p.offices[0] = 1;
    return a;
}

static int may(const char *role, app_perm_t p)
{
    app_actor_t a = actor(role);
    return app_allowed(&a, p);
}

static const char *const STAFF[] = {"registration", "counsellor",    "medical", "operations",
                                    "protection",   "reintegration", "finance", "me",
                                    "manager",      "admin",         NULL};
static const char *const WRITERS[] = {"registration", "counsellor", "operations", "protection",
                                      "manager",      "admin",      NULL};
static const char *const READ_ONLY[] = {"medical", "reintegration", "finance", "me", NULL};

static void test_role_bits(void **state)
{
    (void)state;
    assert_int_equal(app_role_bit("registration"), 1u << 0);
    assert_int_equal(app_role_bit("admin"), 1u << 9);
    assert_int_equal(app_role_bit("donor"), 1u << 11);
    assert_int_equal(app_role_bit("root"), 0);
    assert_int_equal(app_role_bit(""), 0);
    assert_int_equal(app_role_bit("Admin"), 0);
    /* Every role in the list has a distinct bit. */
    unsigned seen = 0;
    for (int i = 0; AWDA_ROLES[i]; i++) {
        unsigned b = app_role_bit(AWDA_ROLES[i]);
        assert_int_not_equal(b, 0);
        assert_int_equal(seen & b, 0);
        seen |= b;
    }
}

static void test_registration_creates_cases(void **state)
{
    (void)state;
    assert_true(may("registration", PERM_CASE_CREATE));
    assert_true(may("registration", PERM_CASE_READ));
    assert_true(may("registration", PERM_CASE_UPDATE));
    assert_true(may("registration", PERM_PERSON_READ));
    assert_false(may("registration", PERM_USER_MANAGE));
    assert_false(may("registration", PERM_OFFICE_MANAGE));
}

static void test_staff_read_cases(void **state)
{
    (void)state;
    for (int i = 0; STAFF[i]; i++) {
        if (!may(STAFF[i], PERM_CASE_READ) || !may(STAFF[i], PERM_PERSON_READ))
            fail_msg("%s should read cases and persons", STAFF[i]);
    }
}

static void test_writers_write_cases(void **state)
{
    (void)state;
    for (int i = 0; WRITERS[i]; i++)
        if (!may(WRITERS[i], PERM_CASE_CREATE) || !may(WRITERS[i], PERM_CASE_UPDATE))
            fail_msg("%s should create and update cases", WRITERS[i]);
    for (int i = 0; READ_ONLY[i]; i++)
        if (may(READ_ONLY[i], PERM_CASE_CREATE) || may(READ_ONLY[i], PERM_CASE_UPDATE))
            fail_msg("%s should not create or update cases", READ_ONLY[i]);
}

static void test_partner_and_donor_see_no_personal_data(void **state)
{
    (void)state;
    static const char *const outside[] = {"partner", "donor"};
    for (int i = 0; i < 2; i++) {
        const char *r = outside[i];
        assert_false(may(r, PERM_CASE_READ));
        assert_false(may(r, PERM_PERSON_READ));
        assert_false(may(r, PERM_CASE_CREATE));
        assert_false(may(r, PERM_CASE_UPDATE));
        assert_false(may(r, PERM_USER_MANAGE));
        assert_false(may(r, PERM_OFFICE_MANAGE));
        /* They may sign in and see the list of offices. */
        assert_true(may(r, PERM_SESSION));
        assert_true(may(r, PERM_OFFICE_READ));
        assert_true(may(r, PERM_NONE));
    }
}

static void test_only_admin_manages(void **state)
{
    (void)state;
    for (int i = 0; AWDA_ROLES[i]; i++) {
        int admin = strcmp(AWDA_ROLES[i], "admin") == 0;
        if (may(AWDA_ROLES[i], PERM_USER_MANAGE) != admin)
            fail_msg("user.manage for %s should be %d", AWDA_ROLES[i], admin);
        if (may(AWDA_ROLES[i], PERM_OFFICE_MANAGE) != admin)
            fail_msg("office.manage for %s should be %d", AWDA_ROLES[i], admin);
    }
}

static void test_system_allowed_everything(void **state)
{
    (void)state;
    app_actor_t a;
    memset(&a, 0, sizeof a);
    a.system = 1;
    for (int p = 0; p < PERM_COUNT; p++)
        assert_true(app_allowed(&a, (app_perm_t)p));
    assert_true(app_all_offices(&a));
    assert_true(app_in_office(&a, 12345));
}

static void test_no_roles_only_public(void **state)
{
    (void)state;
    app_actor_t a;
    memset(&a, 0, sizeof a);
    assert_true(app_allowed(&a, PERM_NONE));
    for (int p = PERM_CASE_READ; p < PERM_COUNT; p++)
        if (p != PERM_OFFICE_READ)
            assert_false(app_allowed(&a, (app_perm_t)p));
}

static void test_several_roles_combine(void **state)
{
    (void)state;
    app_actor_t a = actor("medical");
    assert_false(app_allowed(&a, PERM_CASE_CREATE));
    a.p.roles |= app_role_bit("counsellor");
    assert_true(app_allowed(&a, PERM_CASE_CREATE));
    /* A donor role added to staff does not take rights away. */
    a.p.roles |= app_role_bit("donor");
    assert_true(app_allowed(&a, PERM_CASE_READ));
}

static void test_unknown_permission_refused(void **state)
{
    (void)state;
    app_actor_t a = actor("admin");
    assert_false(app_allowed(&a, PERM_COUNT));
    assert_false(app_allowed(&a, (app_perm_t)(PERM_COUNT + 5)));
    a.system = 1;
    assert_false(app_allowed(&a, PERM_COUNT));
}

static void test_office_scoping(void **state)
{
    (void)state;
    app_actor_t a = actor("registration"); /* member of office pk 1 */
    assert_true(app_in_office(&a, 1));
    assert_false(app_in_office(&a, 2));
    assert_false(app_in_office(&a, 0));
    assert_false(app_all_offices(&a));
    a.p.offices[a.p.noffices++] = 7;
    assert_true(app_in_office(&a, 7));
    assert_false(app_in_office(&a, 2));
    /* No offices at all: nowhere. */
    app_actor_t none = actor("counsellor");
    none.p.noffices = 0;
    assert_false(app_in_office(&none, 1));
}

static void test_manager_and_admin_in_all_offices(void **state)
{
    (void)state;
    static const char *const across[] = {"manager", "admin"};
    for (int i = 0; i < 2; i++) {
        app_actor_t a = actor(across[i]);
        a.p.noffices = 0;
        assert_true(app_all_offices(&a));
        assert_true(app_in_office(&a, 1));
        assert_true(app_in_office(&a, 2));
        assert_true(app_in_office(&a, 999));
    }
    app_actor_t p = actor("protection");
    assert_false(app_all_offices(&p));
}

static void test_perm_names(void **state)
{
    (void)state;
    assert_string_equal(app_perm_name(PERM_CASE_READ), "case.read");
    assert_string_equal(app_perm_name(PERM_USER_MANAGE), "user.manage");
    assert_string_equal(app_perm_name(PERM_NONE), "public");
    assert_string_equal(app_perm_name(PERM_COUNT), "?");
}

static int array_has(const json_t *arr, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
            return 1;
    }
    return 0;
}

static void test_permission_matrix(void **state)
{
    (void)state;
    json_t *m = app_permission_matrix();
    assert_true(json_is_object(m));
    json_t *read = json_object_get(m, "case.read");
    assert_true(json_is_array(read));
    assert_true(array_has(read, "registration"));
    assert_true(array_has(read, "medical"));
    assert_false(array_has(read, "partner"));
    assert_false(array_has(read, "donor"));
    assert_int_equal(json_array_size(read), 10);
    json_t *um = json_object_get(m, "user.manage");
    assert_int_equal(json_array_size(um), 1);
    assert_true(array_has(um, "admin"));
    assert_non_null(json_object_get(m, "case.create"));
    assert_non_null(json_object_get(m, "office.manage"));
    /* The matrix agrees with app_allowed for every permission and role. */
    const char *key;
    json_t *roles;
    json_object_foreach(m, key, roles)
    {
        app_perm_t p = PERM_COUNT;
        for (int k = 0; k < PERM_COUNT; k++)
            if (strcmp(app_perm_name((app_perm_t)k), key) == 0)
                p = (app_perm_t)k;
        assert_int_not_equal(p, PERM_COUNT);
        for (int i = 0; AWDA_ROLES[i]; i++)
            assert_int_equal(array_has(roles, AWDA_ROLES[i]), may(AWDA_ROLES[i], p));
    }
    json_decref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_bits),
        cmocka_unit_test(test_registration_creates_cases),
        cmocka_unit_test(test_staff_read_cases),
        cmocka_unit_test(test_writers_write_cases),
        cmocka_unit_test(test_partner_and_donor_see_no_personal_data),
        cmocka_unit_test(test_only_admin_manages),
        cmocka_unit_test(test_system_allowed_everything),
        cmocka_unit_test(test_no_roles_only_public),
        cmocka_unit_test(test_several_roles_combine),
        cmocka_unit_test(test_unknown_permission_refused),
        cmocka_unit_test(test_office_scoping),
        cmocka_unit_test(test_manager_and_admin_in_all_offices),
        cmocka_unit_test(test_perm_names),
        cmocka_unit_test(test_permission_matrix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
