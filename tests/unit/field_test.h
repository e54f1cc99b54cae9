/*
 * field_test.h — what the tests of validation over the real entity tables
 * (tests/unit/test_field_*.c) share: a valid case (VALID_CASE,
 * valid_case), the JSON they load, validate (awda_validate into a new
 * array of problems) and the assertions on its answer (expect_error,
 * expect_only, expect_valid, message_of, code_of), with years_ago and
 * set_str to build input.
 *
 * Header-only on purpose, as tmpdb.h: the Makefile links every
 * tests/unit/test_*.c, one file per program, with the library objects.
 * Its functions are static inline, so that a test file that does not use
 * one builds without a warning.
 */
#ifndef AWDA_TESTS_FIELD_TEST_H
#define AWDA_TESTS_FIELD_TEST_H
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

static inline json_t *load(const char *text)
{
    json_error_t err;
    json_t *v = json_loads(text, 0, &err);
    if (!v)
        fail_msg("bad test JSON: %s (line %d)", err.text, err.line);
    return v;
}

static inline json_t *valid_case(void)
{
    return load(VALID_CASE);
}

static inline json_t *member(json_t *c, size_t i)
{
    return json_array_get(json_object_get(c, "members"), i);
}

static inline json_t *person0(json_t *c)
{
    return json_object_get(member(c, 0), "person");
}

/* Validates and returns the errors (caller decrefs). */
static inline json_t *validate(const awda_entity_t *e, const json_t *obj)
{
    json_t *errors = json_array();
    int n = awda_validate(e, obj, "", errors);
    assert_int_equal(n, (int)json_array_size(errors));
    return errors;
}

static inline void dump(const json_t *errors)
{
    char *s = json_dumps(errors, JSON_INDENT(1));
    if (s) {
        print_message("errors: %s\n", s);
        free(s);
    }
}

static inline const char *message_of(const json_t *errors, const char *field)
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
static inline void expect_error(const json_t *errors, const char *field, const char *words)
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
static inline void expect_only(const awda_entity_t *e, const json_t *obj, int count,
                               const char *field, const char *words)
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

static inline void expect_valid(const awda_entity_t *e, const json_t *obj)
{
    expect_only(e, obj, 0, NULL, NULL);
}

/* A date n years before today, as YYYY-MM-DD. */
static inline void years_ago(int n, char out[11])
{
    awda_date_t t = awda_today();
    t.year -= n;
    if (t.month == 2 && t.day == 29)
        t.day = 28;
    awda_date_format(t, out);
}

static inline void set_str(json_t *obj, const char *key, const char *value)
{
    json_object_set_new(obj, key, json_string(value));
}

/* The code of the problem at field, or NULL. */
static inline const char *code_of(const json_t *errors, const char *field)
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

#endif
