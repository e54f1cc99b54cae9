/*
 * test_vocabulary.c — the words of the journey agree wherever they appear.
 *
 * Stages, events and roles are each one table (src/core/stages.def,
 * events.def, roles.def); enums, name lists, the transition table and the
 * role bits of app/authz.c are derived from them (core/vocabulary.h). The
 * compiler checks that a row names a known stage or event; these tests
 * check the rest, so that a row added inconsistently fails here:
 *
 *   - every stage, event and role name parses back to its number, the
 *     name lists have one entry per row, names are unique lower-case words;
 *   - the stage properties and the stage sets built from them agree, a
 *     household is booked from the last stage awaiting a movement, every
 *     property has its name;
 *   - every row of the transition table names its event and stages as the
 *     tables do; the ways of one event agree on who, flags and effects and
 *     never start from the same stage; every stage can be reached and left;
 *     a step back leaves only a pause; a departure leaves a stage before
 *     departure for one after;
 *   - the two messages that list names as literals (so that they are
 *     translated) name exactly the rows, in order: the steps a transition
 *     takes, and the roles of a user;
 *   - the case's stage fields offer the stages, and the role bits of
 *     app/authz.c follow the rows.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "../../src/app/app.h"
#include "../../src/core/field.h"
#include "../../src/core/journey.h"
#include "../../src/core/vocabulary.h"

static int count(const char *const *list)
{
    int n = 0;
    while (list[n])
        n++;
    return n;
}

/* A name as the API and the database use it: lower-case letters and
 * underscores, not empty. */
static void assert_word(const char *what, const char *name)
{
    if (!name || !*name)
        fail_msg("a %s without a name", what);
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
            fail_msg("the %s name \"%s\" is not a lower-case word", what, name);
}

static void test_stages_round_trip(void **state)
{
    (void)state;
    assert_int_equal(count(AWDA_STAGES), AWDA_STAGE_COUNT);
    for (int s = 0; s < AWDA_STAGE_COUNT; s++) {
        const char *name = awda_stage_name(s);
        assert_word("stage", name);
        assert_string_equal(AWDA_STAGES[s], name);
        assert_true(strlen(name) < AWDA_STAGE_NAME_MAX);
        if (awda_stage_parse(name) != s)
            fail_msg("the stage %s parses to %d, not %d (a name used twice?)", name,
                     awda_stage_parse(name), s);
        assert_int_equal(awda_value_index(AWDA_STAGES, name), s);
    }
    assert_null(awda_stage_name(-1));
    assert_null(awda_stage_name(AWDA_STAGE_COUNT));
    assert_int_equal(awda_stage_parse(NULL), -1);
    assert_int_equal(awda_stage_parse("nowhere"), -1);
    assert_int_equal(awda_stage_parse("CLOSED"), -1);
    assert_int_equal(awda_stage_parse(""), -1);
    /* The names the store, the web interface and stored cases rely on. */
    assert_string_equal(awda_stage_name(AWDA_STAGE_REGISTERED), "registered");
    assert_string_equal(awda_stage_name(AWDA_STAGE_PRE_DEPARTURE), "pre_departure");
    assert_string_equal(awda_stage_name(AWDA_STAGE_ON_HOLD), "on_hold");
}

static void test_stage_properties(void **state)
{
    (void)state;
    unsigned before = 0, awaiting = 0;
    for (int s = 0; s < AWDA_STAGE_COUNT; s++) {
        unsigned p = awda_stage_props(s);
        const char *name = awda_stage_name(s);
        assert_int_equal(p & ~(unsigned)AWDA_SP_ALL, 0);
        if (p & AWDA_SP_BEFORE_DEPARTURE)
            before |= 1u << s;
        if (p & AWDA_SP_AWAITING_MOVEMENT)
            awaiting |= 1u << s;
        /* A stage that ended has stopped; a stopped or paused stage is not
         * on the way (and so not "before departure" itself). */
        if ((p & AWDA_SP_ENDED) && !(p & AWDA_SP_STOPPED))
            fail_msg("the stage %s ended but did not stop", name);
        if ((p & (AWDA_SP_STOPPED | AWDA_SP_PAUSED)) && (p & AWDA_SP_BEFORE_DEPARTURE))
            fail_msg("the stage %s is stopped or paused and on the way", name);
        /* After arrival is on the way home, never before departure. */
        if ((p & AWDA_SP_AFTER_ARRIVAL) &&
            (p & (AWDA_SP_BEFORE_DEPARTURE | AWDA_SP_STOPPED | AWDA_SP_PAUSED)))
            fail_msg("the stage %s is after arrival and not on the way home", name);
        if ((p & AWDA_SP_AWAITING_MOVEMENT) && !(p & AWDA_SP_BEFORE_DEPARTURE))
            fail_msg("the stage %s awaits a movement after departure", name);
        assert_int_equal(awda_stage_is(name, p), 1);
        assert_int_equal(awda_stage_before_departure(name), (p & AWDA_SP_BEFORE_DEPARTURE) != 0);
    }
    assert_int_equal(before, (unsigned)AWDA_STAGE_SET_BEFORE_DEPARTURE);
    assert_int_equal((unsigned)AWDA_STAGE_SET_ALL, (1u << AWDA_STAGE_COUNT) - 1);
    assert_int_equal(awda_stage_props(-1), 0);
    assert_int_equal(awda_stage_is(NULL, 0), 0);
    assert_int_equal(awda_stage_is("nowhere", 0), 0);
    /* The stages before departure come first, in the order a case walks them. */
    assert_int_equal(before & (before + 1), 0);
    /* The stages awaiting a movement follow each other, and a household is
     * booked from the last of them. */
    assert_true(awaiting != 0);
    unsigned low = awaiting & -awaiting;
    assert_int_equal(((awaiting / low) & (awaiting / low + 1)), 0);
    int last = 0;
    while (awaiting >> (last + 1))
        last++;
    assert_non_null(awda_transition_find(awda_event_name(AWDA_EVENT_BOOK), awda_stage_name(last)));
    /* Every property has its name, as the API gives it. */
    int named = 0;
    while (AWDA_STAGE_PROPERTY_NAMES[named])
        named++;
    assert_int_equal(named, AWDA_SP_COUNT);
}

static void test_events_round_trip(void **state)
{
    (void)state;
    assert_int_equal(count(AWDA_EVENTS), AWDA_EVENT_COUNT);
    for (int e = 0; e < AWDA_EVENT_COUNT; e++) {
        const char *name = awda_event_name(e);
        assert_word("event", name);
        assert_string_equal(AWDA_EVENTS[e], name);
        if (awda_event_parse(name) != e)
            fail_msg("the event %s parses to %d, not %d (a name used twice?)", name,
                     awda_event_parse(name), e);
    }
    assert_null(awda_event_name(-1));
    assert_null(awda_event_name(AWDA_EVENT_COUNT));
    assert_int_equal(awda_event_parse(NULL), -1);
    assert_int_equal(awda_event_parse("no-such-step"), -1);
    assert_string_equal(awda_event_name(AWDA_EVENT_DEPART), "depart");
}

static void test_table_rows_agree(void **state)
{
    (void)state;
    size_t n = awda_transition_count();
    assert_true(n >= (size_t)AWDA_EVENT_COUNT);
    assert_null(awda_transition_at(n));
    unsigned reached = 1u << AWDA_STAGE_REGISTERED, left = 0;
    int rows_of[AWDA_EVENT_COUNT] = {0};
    int last = -1;
    for (size_t i = 0; i < n; i++) {
        const awda_transition_t *t = awda_transition_at(i);
        int e = (int)t->id;
        if (e < 0 || e >= AWDA_EVENT_COUNT)
            fail_msg("row %zu names no event", i);
        assert_string_equal(t->event, awda_event_name(e));
        /* The rows come in the order of the events (a second way right
         * after or later, never an event before one listed above it). */
        if (e < last)
            fail_msg("row %zu (%s) is out of the order of the events", i, t->event);
        last = e;
        rows_of[e]++;
        if (t->from == 0 || (t->from & ~(unsigned)AWDA_STAGE_SET_ALL))
            fail_msg("the step %s starts from no stage or an unknown one", t->event);
        if (t->to_stage == -1) {
            /* Back to the stage before: only out of a pause. */
            assert_null(t->to);
            for (int s = 0; s < AWDA_STAGE_COUNT; s++)
                if ((t->from & (1u << s)) && !(awda_stage_props(s) & AWDA_SP_PAUSED))
                    fail_msg("the step back %s starts from %s, which keeps no stage before",
                             t->event, awda_stage_name(s));
            assert_true(t->flags & AWDA_STEP_SIDE);
        } else {
            if (t->to_stage < 0 || t->to_stage >= AWDA_STAGE_COUNT)
                fail_msg("the step %s leads to an unknown stage", t->event);
            assert_non_null(t->to);
            assert_string_equal(t->to, awda_stage_name(t->to_stage));
            if (t->from & (1u << t->to_stage))
                fail_msg("the step %s leads from %s to itself", t->event, t->to);
            reached |= 1u << t->to_stage;
        }
        left |= t->from;
        assert_int_equal(t->effects & ~AWDA_FX_ALL, 0);
        unsigned at = t->flags & (AWDA_STEP_AT_REQUIRED | AWDA_STEP_AT_OPTIONAL);
        if (at == (AWDA_STEP_AT_REQUIRED | AWDA_STEP_AT_OPTIONAL))
            fail_msg("the time of the step %s is both required and optional", t->event);
        unsigned kind = t->flags & (AWDA_STEP_DEPARTS | AWDA_STEP_ARRIVES);
        if (kind == (AWDA_STEP_DEPARTS | AWDA_STEP_ARRIVES) || (kind != 0) != (at != 0))
            fail_msg("the step %s says a time without saying of what, or the reverse", t->event);
        if (t->flags & AWDA_STEP_DEPARTS) {
            if ((t->from & ~(unsigned)AWDA_STAGE_SET_BEFORE_DEPARTURE) ||
                (awda_stage_props(t->to_stage) & AWDA_SP_BEFORE_DEPARTURE))
                fail_msg("the departure %s must leave a stage before departure for one after",
                         t->event);
        }
        /* The other ways of the same event: the same who, flags and
         * effects, never from the same stage (the step would be
         * ambiguous). */
        for (size_t k = 0; k < i; k++) {
            const awda_transition_t *o = awda_transition_at(k);
            if (o->id != t->id)
                continue;
            if (o->perm != t->perm || o->flags != t->flags || o->effects != t->effects)
                fail_msg("the ways of %s disagree on who, flags or effects", t->event);
            if (o->from & t->from)
                fail_msg("two ways of %s start from the same stage", t->event);
        }
        /* Found from each of its stages. */
        for (int s = 0; s < AWDA_STAGE_COUNT; s++)
            if (t->from & (1u << s))
                assert_ptr_equal(awda_transition_find(t->event, awda_stage_name(s)), t);
    }
    for (int e = 0; e < AWDA_EVENT_COUNT; e++)
        if (rows_of[e] == 0)
            fail_msg("the event %s has no row in the table", awda_event_name(e));
    for (int s = 0; s < AWDA_STAGE_COUNT; s++) {
        if (!(reached & (1u << s)))
            fail_msg("no step leads to the stage %s", awda_stage_name(s));
        if (!(left & (1u << s)))
            fail_msg("no step leaves the stage %s", awda_stage_name(s));
    }
}

/* The names of a message that lists them: the text after "prefix", up to
 * "end" (or the end), split at ", ". */
static void expect_listed(const char *what, const char *message, const char *prefix,
                          const char *end, const char *const *names, int n)
{
    const char *p = strstr(message, prefix);
    if (!p)
        fail_msg("the %s message \"%s\" does not list them", what, message);
    p += strlen(prefix);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (strncmp(p, names[i], len) != 0)
            fail_msg("the %s message lists \"%.30s\" where %s is expected (%s)", what, p, names[i],
                     message);
        p += len;
        if (i + 1 < n) {
            if (strncmp(p, ", ", 2) != 0)
                fail_msg("the %s message ends after %s; it should go on to %s", what, names[i],
                         names[i + 1]);
            p += 2;
        }
    }
    if (strcmp(p, end) != 0)
        fail_msg("the %s message names more than the table: \"%s\"", what, p);
}

static void test_step_message_names_every_event(void **state)
{
    (void)state;
    app_actor_t a;
    memset(&a, 0, sizeof a);
    app_result_t r;
    memset(&r, 0, sizeof r);
    json_t *body = json_pack("{s:s}", "event", "no-such-step");
    /* Refused before anything is read: no application is needed. */
    app_case_transition(NULL, &a, "00000000-0000-7000-8000-000000000000", body, &r);
    assert_int_equal(r.code, APP_INVALID);
    const char *msg = json_string_value(json_object_get(json_array_get(r.errors, 0), "message"));
    assert_non_null(msg);
    assert_string_equal(json_string_value(json_object_get(json_array_get(r.errors, 0), "field")),
                        "event");
    expect_listed("step", msg, "one of: ", "", AWDA_EVENTS, AWDA_EVENT_COUNT);
    json_decref(body);
    app_result_free(&r);
}

static void test_roles_round_trip(void **state)
{
    (void)state;
    assert_int_equal(count(AWDA_ROLES), AWDA_ROLE_COUNT);
    for (int i = 0; i < AWDA_ROLE_COUNT; i++) {
        const char *name = awda_role_name(i);
        assert_word("role", name);
        assert_string_equal(AWDA_ROLES[i], name);
        if (awda_role_parse(name) != i)
            fail_msg("the role %s parses to %d, not %d (a name used twice?)", name,
                     awda_role_parse(name), i);
        /* The role bits of app/authz.c and of stored users (store.h). */
        assert_int_equal(app_role_bit(name), 1u << i);
    }
    assert_null(awda_role_name(-1));
    assert_null(awda_role_name(AWDA_ROLE_COUNT));
    assert_int_equal(awda_role_parse(NULL), -1);
    assert_int_equal(awda_role_parse("root"), -1);
    assert_int_equal(app_role_bit("root"), 0);
    assert_string_equal(awda_role_name(AWDA_ROLE_ADMIN), "admin");
    assert_string_equal(awda_role_name(AWDA_ROLE_PROTECTION), "protection");
}

static void test_role_message_names_every_role(void **state)
{
    (void)state;
    json_t *user = json_pack("{s:[s]}", "roles", "root");
    json_t *errors = json_array();
    awda_validate(&AWDA_USER, user, "", errors);
    const char *msg = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        const char *m = json_string_value(json_object_get(e, "message"));
        if (m && strstr(m, "known roles"))
            msg = m;
    }
    if (!msg)
        fail_msg("an unknown role is not refused with the list of roles");
    expect_listed("role", msg, "known roles (", ")", AWDA_ROLES, AWDA_ROLE_COUNT);
    json_decref(errors);
    json_decref(user);
}

static void test_permission_matrix_names_roles(void **state)
{
    (void)state;
    /* Every role named in the permission matrix is a row of roles.def. */
    json_t *m = app_permission_matrix();
    const char *perm;
    json_t *roles;
    json_object_foreach(m, perm, roles)
    {
        size_t i;
        json_t *r;
        json_array_foreach(roles, i, r)
        {
            if (awda_role_parse(json_string_value(r)) < 0)
                fail_msg("the permission %s names an unknown role", perm);
        }
    }
    json_decref(m);
}

static void test_case_fields_offer_the_stages(void **state)
{
    (void)state;
    int seen = 0;
    for (size_t i = 0; i < AWDA_CASE.nfields; i++) {
        const awda_field_t *f = &AWDA_CASE.fields[i];
        if (strcmp(f->name, "stage") == 0 || strcmp(f->name, "stage_before") == 0) {
            assert_ptr_equal(f->values, AWDA_STAGES);
            seen++;
        }
    }
    assert_int_equal(seen, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stages_round_trip),
        cmocka_unit_test(test_stage_properties),
        cmocka_unit_test(test_events_round_trip),
        cmocka_unit_test(test_table_rows_agree),
        cmocka_unit_test(test_step_message_names_every_event),
        cmocka_unit_test(test_roles_round_trip),
        cmocka_unit_test(test_role_message_names_every_role),
        cmocka_unit_test(test_permission_matrix_names_roles),
        cmocka_unit_test(test_case_fields_offer_the_stages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
