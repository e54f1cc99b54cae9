/*
 * test_survey.c — the scoring of the sustainability survey
 * (survey_definition_check and survey_score in src/app/survey.c).
 *
 * Scores are basis points (10000 = 1) computed with integers and rounded
 * half up at each level, so every expected value below is worked out by
 * hand beside the assertion. A small instrument made here keeps the
 * arithmetic short; the shipped default (data/survey/rss-default.json)
 * must pass the same checks and hold 15 indicators over the three
 * dimensions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/app/followup.h"
#include <stdio.h>
#include <string.h>

/* Two economic indicators (weights 3 and 1 in the dimension; 2 and 0 in
 * the composite), one social, one psychosocial (weight 1 each). */
static const char *SMALL =
    "{\"code\":\"t\",\"version\":1,"
    "\"scales\":{\"yn\":[{\"code\":\"yes\",\"score_bp\":10000},{\"code\":\"no\",\"score_bp\":0},"
    "{\"code\":\"skip\",\"score_bp\":null}]},"
    "\"indicators\":["
    "{\"code\":\"e1\",\"dimension\":\"economic\",\"weight_in_dimension\":3,"
    "\"weight_in_composite\":2,\"questions\":["
    "{\"code\":\"q1\",\"options\":[{\"code\":\"a\",\"score_bp\":10000},"
    "{\"code\":\"b\",\"score_bp\":3333},{\"code\":\"c\",\"score_bp\":0}]},"
    "{\"code\":\"q2\",\"scale\":\"yn\"}]},"
    "{\"code\":\"e2\",\"dimension\":\"economic\",\"weight_in_dimension\":1,"
    "\"weight_in_composite\":0,\"questions\":[{\"code\":\"q3\",\"scale\":\"yn\"}]},"
    "{\"code\":\"s1\",\"dimension\":\"social\",\"weight_in_dimension\":1,"
    "\"weight_in_composite\":1,\"questions\":[{\"code\":\"q4\",\"scale\":\"yn\"}]},"
    "{\"code\":\"p1\",\"dimension\":\"psychosocial\",\"weight_in_dimension\":1,"
    "\"weight_in_composite\":1,\"questions\":[{\"code\":\"q5\",\"options\":["
    "{\"code\":\"x\",\"score_bp\":5001},{\"code\":\"y\",\"score_bp\":2}]}]}]}";

static json_t *load(const char *text)
{
    json_t *d = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
    assert_non_null(d);
    return d;
}

static store_survey_scores_t score(const json_t *def, const char *answers, json_t *errors)
{
    json_t *a = load(answers);
    store_survey_scores_t s;
    survey_score(def, a, &s, NULL, errors);
    json_decref(a);
    return s;
}

static void test_small_instrument_valid(void **state)
{
    (void)state;
    json_t *d = load(SMALL);
    char why[256] = "";
    assert_int_equal(survey_definition_check(d, why, sizeof why), 0);
    json_decref(d);
}

static void test_scores_by_hand(void **state)
{
    (void)state;
    json_t *d = load(SMALL);
    json_t *errors = json_array();
    store_survey_scores_t s =
        score(d, "{\"q1\":\"b\",\"q2\":\"yes\",\"q3\":\"no\",\"q4\":\"yes\",\"q5\":\"x\"}", errors);
    assert_int_equal(json_array_size(errors), 0);
    /* e1 = (3333 + 10000) / 2 = 6666.5 -> 6667 (half up)
     * e2 = 0
     * economic = (3*6667 + 1*0) / 4 = 20001 / 4 = 5000.25 -> 5000
     * social = 10000, psychosocial = 5001
     * composite = (2*6667 + 0*0 + 1*10000 + 1*5001) / (2+0+1+1)
     *           = 28335 / 4 = 7083.75 -> 7084 */
    assert_int_equal(s.economic, 5000);
    assert_int_equal(s.social, 10000);
    assert_int_equal(s.psychosocial, 5001);
    assert_int_equal(s.composite, 7084);
    json_decref(errors);
    json_decref(d);
}

static void test_unscored_answers_left_out(void **state)
{
    (void)state;
    json_t *d = load(SMALL);
    json_t *inds = json_object();
    json_t *a = load("{\"q1\":\"c\",\"q2\":\"skip\",\"q3\":\"skip\",\"q4\":\"skip\",\"q5\":\"y\"}");
    json_t *errors = json_array();
    store_survey_scores_t s;
    assert_int_equal(survey_score(d, a, &s, inds, errors), 0);
    json_decref(errors);
    /* e1 = 0 (q2 skipped: the mean of q1 alone), e2 none, s1 none
     * economic = 3*0 / 3 = 0; social: no indicator scored -> -1
     * psychosocial = 2
     * composite = (2*0 + 1*2) / (2+1) = 2/3 = 0.67 -> 1 */
    assert_int_equal(s.economic, 0);
    assert_int_equal(s.social, -1);
    assert_int_equal(s.psychosocial, 2);
    assert_int_equal(s.composite, 1);
    assert_true(json_is_null(json_object_get(inds, "e2")));
    assert_int_equal(json_integer_value(json_object_get(inds, "e1")), 0);
    json_decref(a);
    json_decref(inds);
    json_decref(d);
}

static void test_weights_change_the_scores(void **state)
{
    (void)state;
    json_t *d = load(SMALL);
    const char *ans = "{\"q1\":\"b\",\"q2\":\"yes\",\"q3\":\"no\",\"q4\":\"yes\",\"q5\":\"x\"}";
    /* e2 weighs 3 in the dimension and 1 in the composite now:
     * economic = (3*6667 + 3*0) / 6 = 3333.5 -> 3334
     * composite = (2*6667 + 1*0 + 10000 + 5001) / 5 = 28335 / 5 = 5667 */
    json_t *e2 = json_array_get(json_object_get(d, "indicators"), 1);
    json_object_set_new(e2, "weight_in_dimension", json_integer(3));
    json_object_set_new(e2, "weight_in_composite", json_integer(1));
    store_survey_scores_t s = score(d, ans, NULL);
    assert_int_equal(s.economic, 3334);
    assert_int_equal(s.composite, 5667);
    json_decref(d);
}

static int has_field(const json_t *errors, const char *field)
{
    size_t i;
    json_t *e;
    json_array_foreach(errors, i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0)
            return 1;
    }
    return 0;
}

static void test_strict_errors_at_the_question(void **state)
{
    (void)state;
    json_t *d = load(SMALL);
    json_t *errors = json_array();
    json_t *a = load("{\"q1\":\"z\",\"q3\":\"no\",\"q4\":\"yes\",\"q5\":\"x\",\"q9\":\"a\"}");
    store_survey_scores_t s;
    assert_int_equal(survey_score(d, a, &s, NULL, errors), -1);
    assert_true(has_field(errors, "answers.q1")); /* not an option */
    assert_true(has_field(errors, "answers.q2")); /* missing */
    assert_true(has_field(errors, "answers.q9")); /* no such question */
    assert_int_equal(json_array_size(errors), 3);
    /* lenient (rescoring): the same answers score what they can */
    assert_int_equal(survey_score(d, a, &s, NULL, NULL), 0);
    assert_int_equal(s.economic, 0); /* e2 = 0 alone: (1*0)/1 */
    json_decref(a);
    json_decref(errors);
    json_decref(d);
}

static void expect_bad(const char *from, const char *to, const char *why_part)
{
    char text[4096];
    const char *at = strstr(SMALL, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - SMALL), SMALL, to, at + strlen(from));
    json_t *d = load(text);
    char why[256] = "";
    assert_int_equal(survey_definition_check(d, why, sizeof why), -1);
    if (!strstr(why, why_part))
        fail_msg("expected \"%s\" in \"%s\"", why_part, why);
    json_decref(d);
}

static void test_bad_definitions_refused(void **state)
{
    (void)state;
    expect_bad("\"dimension\":\"social\"", "\"dimension\":\"cultural\"", "dimension");
    expect_bad("\"dimension\":\"social\"", "\"dimension\":\"economic\"",
               "social dimension has no indicator");
    expect_bad("\"score_bp\":3333", "\"score_bp\":10001", "score_bp");
    expect_bad("\"score_bp\":3333", "\"score_bp\":0.5", "score_bp");
    expect_bad("\"weight_in_dimension\":3", "\"weight_in_dimension\":0", "weight");
    expect_bad("\"weight_in_composite\":2", "\"weight_in_composite\":-1", "weight");
    expect_bad("{\"code\":\"q3\",\"scale\":\"yn\"}", "{\"code\":\"q1\",\"scale\":\"yn\"}", "twice");
    expect_bad("\"scale\":\"yn\"}]},", "\"scale\":\"nope\"}]},", "no scale");
    expect_bad("{\"code\":\"y\",\"score_bp\":2}", "{\"code\":\"x\",\"score_bp\":2}", "twice");
    expect_bad("\"version\":1", "\"version\":0", "version");
    expect_bad("\"code\":\"t\"", "\"code\":\"T T\"", "code");
}

static void test_default_instrument(void **state)
{
    (void)state;
    json_error_t e;
    json_t *d = json_load_file("data/survey/rss-default.json", JSON_REJECT_DUPLICATES, &e);
    if (!d)
        d = json_load_file("../../data/survey/rss-default.json", JSON_REJECT_DUPLICATES, &e);
    assert_non_null(d);
    char why[256] = "";
    if (survey_definition_check(d, why, sizeof why) != 0)
        fail_msg("the default instrument is refused: %s", why);
    const json_t *inds = json_object_get(d, "indicators");
    assert_int_equal(json_array_size(inds), 15);
    int per[3] = {0, 0, 0};
    size_t i;
    json_t *ind;
    json_array_foreach(inds, i, ind)
    {
        const char *dim = json_string_value(json_object_get(ind, "dimension"));
        per[strcmp(dim, "economic") == 0 ? 0 : strcmp(dim, "social") == 0 ? 1 : 2]++;
    }
    assert_int_equal(per[0], 5);
    assert_int_equal(per[1], 5);
    assert_int_equal(per[2], 5);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_instrument_valid),
        cmocka_unit_test(test_scores_by_hand),
        cmocka_unit_test(test_unscored_answers_left_out),
        cmocka_unit_test(test_weights_change_the_scores),
        cmocka_unit_test(test_strict_errors_at_the_question),
        cmocka_unit_test(test_bad_definitions_refused),
        cmocka_unit_test(test_default_instrument),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
