/*
 * test_country.c — country, nationality and language codes (src/core/country.c).
 *
 * Origin and destination countries decide which office receives a returnee
 * and whether a return restriction applies, so a code must be exactly an
 * assigned ISO 3166-1 alpha-3 code in capitals: "mli", "ML" or "MLIX" must
 * be refused, not guessed at. Stateless people (XXA) and people whose
 * nationality is unknown (XXX) exist in this caseload and must be
 * recordable as a nationality, but those codes are not places one can
 * return to. Languages (for counselling and interpretation) are ISO 639-1
 * two-letter codes or three-letter lower-case codes (e.g. "bam" Bambara).
 * The lists are binary-searched, so the tests also walk the edges of the
 * sorted tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/core/country.h"
#include <string.h>

static int country(const char *s)
{
    return awda_country_valid(s, strlen(s));
}

static int nationality(const char *s)
{
    return awda_nationality_valid(s, strlen(s));
}

static int language(const char *s)
{
    return awda_language_valid(s, strlen(s));
}

static void test_programme_countries_valid(void **state)
{
    (void)state;
    const char *ok[] = {"MLI", "SDN", "EGY", "DZA", "LBY", "MAR", "TUN", "NER", "GIN",
                        "BFA", "ETH", "SOM", "DJI", "SEN", "CIV", "NGA", "TCD", "SSD"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!country(ok[i]))
            fail_msg("%s should be a valid country", ok[i]);
}

static void test_table_edges_valid(void **state)
{
    (void)state;
    /* First and last entries of the sorted table. */
    assert_true(country("ABW"));
    assert_true(country("ZWE"));
    assert_true(country("ZMB"));
    assert_true(country("AFG"));
}

static void test_bad_country_codes(void **state)
{
    (void)state;
    const char *bad[] = {"mli", "Mli", "XYZ", "ML",  "MLIX", "",    "M",  "AAA",
                         "ZZZ", "ML ", " ML", "123", "XXA",  "XXX", "EU "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (country(bad[i]))
            fail_msg("\"%s\" should not be a valid country", bad[i]);
}

static void test_length_counts_not_nul(void **state)
{
    (void)state;
    /* s[0..n): a valid prefix with the wrong length is refused, and the
     * length is respected without a terminator. */
    assert_false(awda_country_valid("MLI", 2));
    assert_false(awda_country_valid("MLIX", 4));
    assert_true(awda_country_valid("MLIX", 3));
    const char raw[3] = {'S', 'D', 'N'};
    assert_true(awda_country_valid(raw, 3));
    assert_false(awda_country_valid("M\0I", 3));
}

static void test_nationality_adds_stateless_and_unknown(void **state)
{
    (void)state;
    assert_true(nationality("XXA"));
    assert_true(nationality("XXX"));
    assert_true(nationality("MLI"));
    assert_true(nationality("EGY"));
    /* ... but only as nationalities, not as countries to return to. */
    assert_false(country("XXA"));
    assert_false(country("XXX"));
    const char *bad[] = {"xxa", "XX", "XXB", "XXAX", "mli", "", "XYZ"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (nationality(bad[i]))
            fail_msg("\"%s\" should not be a valid nationality", bad[i]);
    assert_false(awda_nationality_valid("XXA", 2));
}

static void test_languages_valid(void **state)
{
    (void)state;
    const char *ok[] = {"ar", "fr", "en", "bm", "bam", "ha",  "ff", "wo",
                        "so", "am", "ti", "aa", "zu",  "ful", "tmh"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (!language(ok[i]))
            fail_msg("\"%s\" should be a valid language", ok[i]);
}

static void test_languages_invalid(void **state)
{
    (void)state;
    const char *bad[] = {"xx1", "a",  "ARA", "Ar", "AR",    "",  "arab",
                         "xx",  "qq", "a1",  "a-", "fr-FR", "zz"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (language(bad[i]))
            fail_msg("\"%s\" should not be a valid language", bad[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_programme_countries_valid),
        cmocka_unit_test(test_table_edges_valid),
        cmocka_unit_test(test_bad_country_codes),
        cmocka_unit_test(test_length_counts_not_nul),
        cmocka_unit_test(test_nationality_adds_stateless_and_unknown),
        cmocka_unit_test(test_languages_valid),
        cmocka_unit_test(test_languages_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
