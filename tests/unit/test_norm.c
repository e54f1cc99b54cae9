/*
 * test_norm.c — names across scripts (src/text/norm.c).
 *
 * A returnee registered in Cairo as "محمد" must be found by a colleague in
 * Bamako who types "Mohamed", "Muhammad" or "MOHAMED", and the other way
 * round; otherwise the same person is registered twice and assistance is
 * duplicated or denied. awda_name_keys reduces any name to consonant
 * skeleton keys that are compared by prefix. These tests pin the
 * cross-script equivalences case workers rely on (Arabic ↔ French/English
 * spellings of common West African and Arab names), that accents do not
 * matter, that compound names written as two words ("عبد الله") match the
 * one-word Latin form ("Abdallah") through pair keys, that empty or
 * punctuation-only input yields no keys, that hostile input sizes stay
 * bounded, that each thread gets its own transliterator, and NFC
 * composition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "../../src/text/norm.h"
#include "../../src/util/mem.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
    (void)state;
    return awda_norm_init();
}

static int teardown(void **state)
{
    (void)state;
    awda_norm_shutdown();
    return 0;
}

/* Keys of s (search form, no pairs unless asked). */
static int keys(const char *s, int pairs, awda_name_keys_t *k)
{
    return awda_name_keys(s, strlen(s), pairs, k);
}

static int has_key(const awda_name_keys_t *k, const char *want)
{
    for (int i = 0; i < k->count; i++)
        if (strcmp(k->key[i], want) == 0)
            return 1;
    return 0;
}

static int is_prefix(const char *p, const char *s)
{
    return strncmp(p, s, strlen(p)) == 0;
}

/* The only key of a one-word name. */
static void assert_single_key(const char *name, const char *want)
{
    awda_name_keys_t k;
    int n = keys(name, 0, &k);
    if (n != 1 || strcmp(k.key[0], want) != 0)
        fail_msg("\"%s\": expected the single key \"%s\", got %d key(s), first \"%s\"", name, want,
                 n, n > 0 ? k.key[0] : "");
}

static void test_mohamed_across_scripts(void **state)
{
    (void)state;
    assert_single_key("محمد", "mhmd");
    assert_single_key("Mohamed", "mhmd");
    assert_single_key("Muhammad", "mhmd");
    assert_single_key("MOHAMED", "mhmd");
    assert_single_key("Mohammed", "mhmd");
    assert_single_key("mohamed", "mhmd");
}

static void test_fatoumata_diallo(void **state)
{
    (void)state;
    awda_name_keys_t lat, ar;
    assert_int_equal(keys("Fatoumata Diallo", 0, &lat), 2);
    assert_int_equal(keys("فاطمة ديالو", 0, &ar), 2);
    /* The Arabic first name is a prefix of the Latin one: a prefix search
     * from either side finds the other. */
    assert_true(is_prefix(ar.key[0], lat.key[0]));
    assert_string_equal(ar.key[0], "ftm");
    assert_string_equal(lat.key[0], "ftmt");
    /* The family names are the same key. */
    assert_string_equal(lat.key[1], "dl");
    assert_string_equal(ar.key[1], "dl");
}

static void test_moussa_keita(void **state)
{
    (void)state;
    awda_name_keys_t lat, ar;
    assert_int_equal(keys("Moussa Keita", 0, &lat), 2);
    assert_int_equal(keys("موسى كيتا", 0, &ar), 2);
    assert_string_equal(lat.key[0], ar.key[0]);
    assert_string_equal(lat.key[1], ar.key[1]);
    assert_string_equal(lat.key[0], "ms");
    assert_string_equal(lat.key[1], "kt");
}

static void test_common_names_across_scripts(void **state)
{
    (void)state;
    static const char *pairs[][2] = {
        {"Ibrahim", "إبراهيم"}, {"Khadija", "خديجة"}, {"Aminata", "أميناتا"},
        {"Ahmed", "أحمد"},      {"Youssef", "يوسف"},  {"Souleymane", "سليمان"},
        {"Oumar", "عمر"},       {"Ali", "علي"},       {"Aicha", "عائشة"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        awda_name_keys_t a, b;
        assert_int_equal(keys(pairs[i][0], 0, &a), 1);
        assert_int_equal(keys(pairs[i][1], 0, &b), 1);
        if (strcmp(a.key[0], b.key[0]) != 0)
            fail_msg("%s -> %s but %s -> %s", pairs[i][0], a.key[0], pairs[i][1], b.key[0]);
    }
}

static void test_french_spelling_equivalences(void **state)
{
    (void)state;
    /* dj/j, ou/u, doubled letters */
    awda_name_keys_t a, b;
    keys("Djibril", 0, &a);
    keys("Jibril", 0, &b);
    assert_string_equal(a.key[0], b.key[0]);
    keys("Moussa", 0, &a);
    keys("Musa", 0, &b);
    assert_string_equal(a.key[0], b.key[0]);
    keys("Diallo", 0, &a);
    keys("Dialo", 0, &b);
    assert_string_equal(a.key[0], b.key[0]);
}

static void test_accents_ignored(void **state)
{
    (void)state;
    awda_name_keys_t a, b;
    keys("Keïta", 0, &a);
    keys("Keita", 0, &b);
    assert_int_equal(a.count, 1);
    assert_string_equal(a.key[0], b.key[0]);
    keys("Aïcha", 0, &a);
    keys("Aicha", 0, &b);
    assert_int_equal(a.count, 1);
    assert_string_equal(a.key[0], b.key[0]);
    keys("Traoré", 0, &a);
    keys("TRAORE", 0, &b);
    assert_string_equal(a.key[0], b.key[0]);
    keys("KEÏTA", 0, &a);
    assert_string_equal(a.key[0], "kt");
}

static void test_prefix_search(void **state)
{
    (void)state;
    /* Typing the start of a name gives a prefix of its key. */
    awda_name_keys_t q, full;
    keys("Moh", 0, &q);
    keys("محمد", 0, &full);
    assert_int_equal(q.count, 1);
    assert_true(is_prefix(q.key[0], full.key[0]));
}

static void test_pair_keys_abdallah(void **state)
{
    (void)state;
    awda_name_keys_t idx, q1, q2;
    /* Indexing (pairs on) the two-word Arabic form ... */
    assert_int_equal(keys("عبد الله", 1, &idx), 3);
    assert_string_equal(idx.key[0], "bd");
    assert_string_equal(idx.key[1], "lh");
    /* ... yields a joined key that one-word Latin searches hit. */
    assert_int_equal(keys("Abdallah", 0, &q1), 1);
    assert_int_equal(keys("Abdullah", 0, &q2), 1);
    assert_true(has_key(&idx, q1.key[0]));
    assert_true(has_key(&idx, q2.key[0]));
    /* Without pairs (search form) only the two words are keys. */
    awda_name_keys_t s;
    assert_int_equal(keys("عبد الله", 0, &s), 2);
    assert_false(has_key(&s, q1.key[0]));
}

static void test_pair_keys_full_name(void **state)
{
    (void)state;
    awda_name_keys_t k;
    assert_int_equal(keys("محمد عبد الله", 1, &k), 5);
    assert_true(has_key(&k, "mhmd"));
    assert_true(has_key(&k, "bd"));
    assert_true(has_key(&k, "lh"));
    assert_true(has_key(&k, "mhmdbd"));
    assert_true(has_key(&k, "bdlh"));
}

static void test_empty_and_punctuation(void **state)
{
    (void)state;
    awda_name_keys_t k;
    k.count = 99;
    assert_int_equal(awda_name_keys("", 0, 1, &k), 0);
    assert_int_equal(k.count, 0);
    assert_int_equal(keys("!!! ,,, --", 1, &k), 0);
    assert_int_equal(keys("   \t ", 1, &k), 0);
    assert_int_equal(keys("'-.()", 0, &k), 0);
    /* Vowel-only tokens have an empty skeleton and are skipped. */
    assert_int_equal(keys("a e", 1, &k), 0);
}

static void test_digits_kept(void **state)
{
    (void)state;
    awda_name_keys_t k;
    assert_int_equal(keys("Oumar 2", 0, &k), 2);
    assert_string_equal(k.key[0], "mr");
    assert_string_equal(k.key[1], "2");
}

static void test_term_limit(void **state)
{
    (void)state;
    /* At most AWDA_SEARCH_MAX_TERMS tokens, plus their adjacent pairs. */
    awda_name_keys_t k;
    int n = keys("Ba Bo Bi Bu Be By Ba Bo Bi Bu", 1, &k);
    assert_int_equal(n, AWDA_SEARCH_MAX_TERMS + AWDA_SEARCH_MAX_TERMS - 1);
    n = keys("Ba Bo Bi Bu Be By Ba Bo Bi Bu", 0, &k);
    assert_int_equal(n, AWDA_SEARCH_MAX_TERMS);
}

static void assert_keys_bounded(const awda_name_keys_t *k)
{
    int max = (int)(sizeof k->key / sizeof k->key[0]);
    assert_in_range(k->count, 0, max);
    for (int i = 0; i < k->count; i++) {
        size_t len = strnlen(k->key[i], AWDA_NAME_KEY_MAX);
        assert_true(len < AWDA_NAME_KEY_MAX); /* terminated inside the slot */
        assert_true(len > 0);
    }
}

static void test_long_token_key_bounded(void **state)
{
    (void)state;
    /* One 250-letter word with no vowels or repeats: its skeleton would be
     * 250 bytes; the key must be cut to fit its slot. */
    char s[251];
    for (int i = 0; i < 250; i++)
        s[i] = (i % 2) ? 'd' : 'b';
    s[250] = '\0';
    awda_name_keys_t k;
    assert_int_equal(keys(s, 1, &k), 1);
    assert_keys_bounded(&k);
    assert_true(strlen(k.key[0]) >= 32);
    /* Two such words: the pair key is bounded too. */
    char two[503];
    memcpy(two, s, 250);
    two[250] = ' ';
    memcpy(two + 251, s, 250);
    two[501] = '\0';
    assert_int_equal(keys(two, 1, &k), 3);
    assert_keys_bounded(&k);
}

static void test_5000_bytes_no_crash(void **state)
{
    (void)state;
    /* A hostile 5000-byte "name": no crash, no overrun, keys within their
     * slots (awda_name_keys may refuse it with -1, see test below). */
    const char *unit[] = {"Mohamed Keita ", "محمد كيتا ", "x"};
    for (size_t u = 0; u < sizeof unit / sizeof unit[0]; u++) {
        size_t ul = strlen(unit[u]);
        char *s = malloc(5001);
        assert_non_null(s);
        for (size_t i = 0; i < 5000; i++)
            s[i] = unit[u][i % ul];
        s[5000] = '\0';
        awda_name_keys_t k;
        int n = awda_name_keys(s, 5000, 1, &k);
        assert_true(n == -1 || n == k.count);
        if (n == -1)
            assert_int_equal(k.count, 0);
        assert_keys_bounded(&k);
        char lat[128];
        (void)awda_to_latin(s, 5000, lat, sizeof lat);
        assert_true(strlen(lat) < sizeof lat);
        free(s);
    }
}

static void test_max_length_name_indexed(void **state)
{
    (void)state;
    /* The longest name a person may have (AWDA_MAX_NAME bytes) is indexed. */
    char s[AWDA_MAX_NAME + 1];
    const char *unit = "محمد ";
    size_t ul = strlen(unit);
    size_t n = (AWDA_MAX_NAME / ul) * ul;
    for (size_t i = 0; i < n; i++)
        s[i] = unit[i % ul];
    s[n] = '\0';
    awda_name_keys_t k;
    assert_true(keys(s, 1, &k) > 0);
    assert_string_equal(k.key[0], "mhmd");
    assert_keys_bounded(&k);
}

/* Regression (was a bug): a long input is refused instead of truncated. awda_to_latin
 * clamps the input to 1000 bytes and then to NORM_MAX_UCHARS/2 UTF-16 units,
 * but u_strFromUTF8Lenient is called with a destination capacity of 512 and
 * reports U_BUFFER_OVERFLOW_ERROR for any text longer than 512 characters,
 * so awda_name_keys returns -1 ("ICU failed") for e.g. 513 ASCII letters.
 * The clamp code after the call shows truncation was intended. */
static void test_long_input_truncated_not_refused(void **state)
{
    (void)state;
    char s[5001];
    const char *unit = "Mohamed Keita ";
    size_t ul = strlen(unit);
    for (size_t i = 0; i < 5000; i++)
        s[i] = unit[i % ul];
    s[5000] = '\0';
    awda_name_keys_t k;
    int n = awda_name_keys(s, 5000, 0, &k);
    assert_true(n > 0);
    assert_string_equal(k.key[0], "mhmd");
    char b[514];
    memset(b, 'b', 513);
    b[513] = '\0';
    assert_int_equal(keys(b, 0, &k), 1);
}

static void test_to_latin(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(awda_to_latin("محمد", strlen("محمد"), out, sizeof out), 0);
    assert_string_equal(out, "mhmd");
    assert_int_equal(awda_to_latin("Keïta", strlen("Keïta"), out, sizeof out), 0);
    assert_string_equal(out, "keita");
    assert_int_equal(awda_to_latin("MOUSSA", 6, out, sizeof out), 0);
    assert_string_equal(out, "moussa");
    /* Output is cut to the capacity and stays terminated. */
    assert_int_equal(awda_to_latin("Mohamed", 7, out, 4), 0);
    assert_string_equal(out, "moh");
    assert_int_equal(awda_to_latin("Mohamed", 7, out, 0), -1);
    /* Only n bytes are read. */
    assert_int_equal(awda_to_latin("Moussa Keita", 6, out, sizeof out), 0);
    assert_string_equal(out, "moussa");
}

/* The cache of a thread's transliterations (norm.c) answers what ICU
 * answers: the same word again (from the cache) with each capacity, and
 * words that take each other's slots (more words than slots). */
static void test_to_latin_cache(void **state)
{
    (void)state;
    char first[64], again[64], small[4];
    const char *w = "Ouédraogo";
    assert_int_equal(awda_to_latin(w, strlen(w), first, sizeof first), 0);
    assert_string_equal(first, "ouedraogo");
    assert_int_equal(awda_to_latin(w, strlen(w), again, sizeof again), 0);
    assert_string_equal(again, first);
    assert_int_equal(awda_to_latin(w, strlen(w), small, sizeof small), 0);
    assert_string_equal(small, "oue");
    /* the same bytes as a prefix of a longer text are another input */
    assert_int_equal(awda_to_latin("Ouédraogo Diallo", 5, again, sizeof again), 0);
    assert_string_equal(again, "oued");
    /* 5,000 words in 2,048 slots: the first round from ICU (the cache
     * dropped by awda_norm_thread_done), the next ones partly from the
     * cache, each word's answer the same */
    static char expect[5000][24];
    awda_norm_thread_done();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5000; i++) {
            char word[32], out[24];
            snprintf(word, sizeof word, "Maïga%dKéita", i);
            assert_int_equal(awda_to_latin(word, strlen(word), out, sizeof out), 0);
            if (round == 0)
                snprintf(expect[i], sizeof expect[i], "%s", out);
            else
                assert_string_equal(out, expect[i]);
        }
    }
    assert_string_equal(expect[42], "maiga42keita");
}

static void test_nfc_composes(void **state)
{
    (void)state;
    const char *decomposed = "e\xcc\x81"; /* e + U+0301 */
    char *s = awda_nfc(decomposed, strlen(decomposed));
    assert_non_null(s);
    assert_string_equal(s, "\xc3\xa9"); /* U+00E9 */
    free(s);
    const char *name = "Ke\xc3\xafta Ai\xcc\x88"
                       "cha"; /* Keïta Aï(decomposed)cha */
    s = awda_nfc(name, strlen(name));
    assert_non_null(s);
    assert_string_equal(s, "Ke\xc3\xafta A\xc3\xaf"
                           "cha");
    free(s);
}

static void test_nfc_leaves_nfc_alone(void **state)
{
    (void)state;
    const char *in[] = {"", "Moussa", "محمد عبد الله", "Traor\xc3\xa9"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        char *s = awda_nfc(in[i], strlen(in[i]));
        assert_non_null(s);
        assert_string_equal(s, in[i]);
        free(s);
    }
}

static void test_nfc_errors(void **state)
{
    (void)state;
    /* Invalid UTF-8 is an error, not garbage. */
    assert_null(awda_nfc("\xff\xfe", 2));
    assert_null(awda_nfc("ab\xc3", 3));
    /* Out of memory is an error, not a crash. */
    awda_mem_fail_after(0);
    char *s = awda_nfc("abc", 3);
    awda_mem_fail_after(-1);
    assert_null(s);
    awda_mem_fail_after(1);
    s = awda_nfc("abc", 3);
    awda_mem_fail_after(-1);
    assert_null(s);
}

static void *thread_main(void *arg)
{
    int *ok = arg;
    *ok = 1;
    for (int i = 0; i < 50; i++) {
        awda_name_keys_t k;
        if (awda_name_keys("محمد", strlen("محمد"), 0, &k) != 1 || strcmp(k.key[0], "mhmd") != 0)
            *ok = 0;
        if (awda_name_keys("Moussa Keita", 12, 1, &k) != 3 || strcmp(k.key[2], "mskt") != 0)
            *ok = 0;
    }
    awda_norm_thread_done();
    return NULL;
}

static void test_threads_get_own_transliterator(void **state)
{
    (void)state;
    enum { NT = 4 };
    pthread_t t[NT];
    int ok[NT];
    for (int i = 0; i < NT; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_main, &ok[i]), 0);
    for (int i = 0; i < NT; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(ok[i], 1);
    }
    /* This thread still works after the others finished. */
    awda_name_keys_t k;
    assert_int_equal(keys("Mohamed", 0, &k), 1);
}

/* Names in capitals for the messages: every script's letters, not only
 * ASCII ("Konaté" was "KONATé"); a name that does not fit keeps its ASCII
 * capitals and says so. */
static void test_upper(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(awda_upper("Adama Konaté", out, sizeof out), 0);
    assert_string_equal(out, "ADAMA KONATÉ");
    assert_int_equal(awda_upper("Ouédraogo Mariam Touré", out, sizeof out), 0);
    assert_string_equal(out, "OUÉDRAOGO MARIAM TOURÉ");
    assert_int_equal(awda_upper("عبد الله", out, sizeof out), 0);
    assert_string_equal(out, "عبد الله");
    char small[7]; /* "KONATÉ" needs 8 bytes: cut before the É, not inside it */
    assert_int_equal(awda_upper("Konaté", small, sizeof small), -1);
    assert_string_equal(small, "KONAT");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mohamed_across_scripts),
        cmocka_unit_test(test_to_latin_cache),
        cmocka_unit_test(test_fatoumata_diallo),
        cmocka_unit_test(test_moussa_keita),
        cmocka_unit_test(test_common_names_across_scripts),
        cmocka_unit_test(test_french_spelling_equivalences),
        cmocka_unit_test(test_accents_ignored),
        cmocka_unit_test(test_prefix_search),
        cmocka_unit_test(test_pair_keys_abdallah),
        cmocka_unit_test(test_pair_keys_full_name),
        cmocka_unit_test(test_empty_and_punctuation),
        cmocka_unit_test(test_digits_kept),
        cmocka_unit_test(test_term_limit),
        cmocka_unit_test(test_long_token_key_bounded),
        cmocka_unit_test(test_5000_bytes_no_crash),
        cmocka_unit_test(test_max_length_name_indexed),
        cmocka_unit_test(test_to_latin),
        cmocka_unit_test(test_nfc_composes),
        cmocka_unit_test(test_nfc_leaves_nfc_alone),
        cmocka_unit_test(test_nfc_errors),
        cmocka_unit_test(test_threads_get_own_transliterator),
        cmocka_unit_test(test_long_input_truncated_not_refused),
        cmocka_unit_test(test_upper),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
