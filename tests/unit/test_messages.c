/*
 * test_messages.c — the message catalogue (src/text/messages.c, its rows in
 * src/text/messages/).
 *
 * Finished English sentences come back in French and Arabic with their
 * parameters (a person's name, numbers) kept exactly and put where the
 * target language wants them; the longest literal wins over a template
 * with a parameter ("1 field needs attention"); adjacent parameters and
 * names containing the template's own words still match; an unknown
 * sentence stays English and is counted; a parameter that is a field's
 * words ("the name") or a condition holding them is translated too, a
 * parameter that merely starts like a sentence is not; Accept-Language is read with
 * its q-values, "*" and its caps. The time of one translation is printed
 * (a figure, not a test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/text/messages.h"
#include "../../src/util/limits.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void expect(const char *en, awda_lang_t lang, const char *want)
{
    char *got = awda_msg_translate(en, lang);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void names_stay_inside(void **state)
{
    (void)state;
    expect("no consent to return is recorded for AMADOU KONÉ", AWDA_LANG_AR,
           "لا توجد موافقة على العودة مسجّلة لـAMADOU KONÉ");
    expect("no consent to return is recorded for AMADOU KONÉ", AWDA_LANG_FR,
           "aucun consentement au retour n'est enregistré pour AMADOU KONÉ");
    /* a name holding the template's own words */
    expect("passport of MARIE OF THE SEA expires before the planned departure (2026-01-02)",
           AWDA_LANG_FR,
           "Le document passport de MARIE OF THE SEA expire avant le départ prévu (2026-01-02)");
    expect("AMADOU KONÉ", AWDA_LANG_FR, NULL);
    expect("Not allowed", AWDA_LANG_EN, NULL);
}

static void numbers_and_order(void **state)
{
    (void)state;
    /* {3} before {2} in Arabic */
    expect("the departure (2026-05-01 10:00 UTC) is more than 24 hours before the day of the "
           "planned departure (2026-05-03); correct the time, or change the planned departure "
           "first",
           AWDA_LANG_AR,
           "المغادرة (2026-05-01 10:00 UTC) قبل يوم المغادرة المقررة (2026-05-03) بأكثر من 24 "
           "ساعة؛ صحّح الوقت أو غيّر موعد المغادرة المقررة أولًا");
    expect("1 field needs attention", AWDA_LANG_AR, "حقل واحد يحتاج إلى مراجعة");
    expect("3 fields need attention", AWDA_LANG_FR, "3 champs demandent votre attention");
    expect("x fields need attention", AWDA_LANG_FR, NULL); /* %zu wants digits */
    expect("2 requirements of the step consent are not met", AWDA_LANG_FR,
           "2 exigence(s) de l'étape consent non remplie(s)");
    expect("no restriction applies to return to MLI (Kayes)", AWDA_LANG_FR,
           "aucune restriction ne s'applique au retour vers MLI (Kayes)");
}

static void field_words_inside(void **state)
{
    (void)state;
    expect("the name must not be empty", AWDA_LANG_FR, "le nom ne doit pas être vide");
    expect("the name must not be empty", AWDA_LANG_AR, "يجب ألا يكون الاسم فارغًا");
    expect("date of birth is in the future", AWDA_LANG_FR,
           "la date de naissance est dans le futur");
    expect("the kind of escort must be text", AWDA_LANG_FR,
           "le genre d'escorte doit être du texte");
    /* a condition: a phrase of field words with field words inside */
    expect("the precision of the date of birth is required when date of birth is given",
           AWDA_LANG_FR,
           "la précision de la date de naissance est obligatoire lorsque la date de naissance "
           "est indiqué(e)");
    expect("how the consent was given is required when the purpose of the consent is return",
           AWDA_LANG_AR,
           "يجب إدخال طريقة إعطاء الموافقة عندما تكون قيمة الغرض من الموافقة هي return");
    /* what is not a row stays as typed; a sentence with parameters of
     * MESSAGES is not taken for a parameter's translation */
    expect("the nickname must not be empty", AWDA_LANG_FR, "the nickname ne doit pas être vide");
    expect("no consent to return is recorded for the name must not be empty", AWDA_LANG_FR,
           "aucun consentement au retour n'est enregistré pour the name must not be empty");
}

static void unknown_stays_english(void **state)
{
    (void)state;
    unsigned long long before = awda_messages_unknown();
    expect("a sentence nobody wrote", AWDA_LANG_FR, NULL);
    expect("", AWDA_LANG_FR, NULL);
    assert_true(awda_messages_unknown() == before + 1);
    assert_true(awda_messages_rows() > 300);
}

static void accept_language(void **state)
{
    (void)state;
    assert_int_equal(awda_lang_accept("fr-FR,fr;q=0.9,en;q=0.5"), AWDA_LANG_FR);
    assert_int_equal(awda_lang_accept("ar;q=0.2, fr-CA;q=0.8"), AWDA_LANG_FR);
    assert_int_equal(awda_lang_accept("de-DE, AR;q=0.7"), AWDA_LANG_AR);
    assert_int_equal(awda_lang_accept("de-DE,de;q=0.9"), -1);
    assert_int_equal(awda_lang_accept("fr;q=0"), -1);
    assert_int_equal(awda_lang_accept("fr;q=2"), -1);
    assert_int_equal(awda_lang_accept("fr;q=0.5, *"), AWDA_LANG_EN);
    assert_int_equal(awda_lang_accept("fra, arabic"), -1);
    assert_int_equal(awda_lang_accept(""), -1);
    assert_int_equal(awda_lang_accept(NULL), -1);
    char big[AWDA_MAX_ACCEPT_LANGUAGE + 8];
    memset(big, 'x', sizeof big);
    memcpy(big + sizeof big - 4, ",fr", 4);
    assert_int_equal(awda_lang_accept(big), -1);
    assert_int_equal(awda_lang_parse("ar", 2), AWDA_LANG_AR);
    assert_int_equal(awda_lang_parse("en-GB", 5), AWDA_LANG_EN);
    assert_int_equal(awda_lang_parse("eng", 3), -1);
}

static void how_fast(void **state)
{
    (void)state;
    const char *s = "the consent to return of FATIMA HASSAN ALI was given for the previous "
                    "destination, NGA (Lagos); a new consent is needed";
    enum { N = 20000 };
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (int i = 0; i < N; i++)
        free(awda_msg_translate(s, AWDA_LANG_AR));
    clock_gettime(CLOCK_MONOTONIC, &b);
    double us = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / N;
    printf("# one translation: %.2f microseconds\n", us);
    char *t = awda_msg_translate(s, AWDA_LANG_AR);
    assert_non_null(t);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_stay_inside),  cmocka_unit_test(numbers_and_order),
        cmocka_unit_test(field_words_inside), cmocka_unit_test(unknown_stays_english),
        cmocka_unit_test(accept_language),    cmocka_unit_test(how_fast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
