/*
 * test_namekey.c — the keys of a name across scripts (src/text/namekey.c).
 *
 * The same person is registered "فاطمة الزهراء" in one office and "Fatima
 * Zahra", "Fatimah az-Zahra" or "Fatima Al Zahraa" in another; "محمد" and
 * "Mouhamadou"; "عبد الله" in two words and "Abdallah" in one. Duplicate
 * detection and the name search meet them through the word skeletons, so
 * these tests pin: the variants that must meet (equal skeletons), the names
 * that must not meet at zero edits, the article in every written form and
 * the words that only might begin with one (alt), compound names, the
 * variant lists of data/demo/names.json (share of pools whose every Latin
 * variant meets its Arabic form), and the helpers: deletes, Damerau
 * distance, Jaro-Winkler similarity and the 64-bit hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/text/namekey.h"
#include "../../src/text/norm.h"
#include <jansson.h>
#include <stdio.h>
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

static awda_namekey_t key(const char *s)
{
    awda_namekey_t k;
    int n = awda_namekey(s, strlen(s), &k);
    if (n < 0)
        fail_msg("awda_namekey(\"%s\") failed", s);
    return k;
}

/* The skeletons of the words (alt ones too when alt), space-separated. */
static void skels(const awda_namekey_t *k, int alt, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < k->n; i++) {
        if (k->w[i].alt && !alt)
            continue;
        int m = snprintf(out + o, cap - o, "%s%s", o ? " " : "", k->w[i].skel);
        if (m < 0 || (size_t)m >= cap - o)
            break;
        o += (size_t)m;
    }
}

static int has_skel(const awda_namekey_t *k, const char *s)
{
    for (int i = 0; i < k->n; i++)
        if (strcmp(k->w[i].skel, s) == 0)
            return 1;
    return 0;
}

/* a and b meet: every (non-alt) word of one has its skeleton among the
 * words of the other, or they share an added (joined) word. */
static int meets(const char *a, const char *b)
{
    awda_namekey_t ka = key(a), kb = key(b);
    int all_b = 1, all_a = 1;
    for (int i = 0; i < kb.n; i++)
        if (!kb.w[i].alt && !has_skel(&ka, kb.w[i].skel))
            all_b = 0;
    for (int i = 0; i < ka.n; i++)
        if (!ka.w[i].alt && !has_skel(&kb, ka.w[i].skel))
            all_a = 0;
    if (all_a || all_b)
        return 1;
    for (int i = 0; i < ka.n; i++)
        if (ka.w[i].alt && has_skel(&kb, ka.w[i].skel))
            return 1;
    for (int i = 0; i < kb.n; i++)
        if (kb.w[i].alt && has_skel(&ka, kb.w[i].skel))
            return 1;
    return 0;
}

static void assert_group_meets(const char *const *names)
{
    for (int i = 1; names[i]; i++) {
        if (!meets(names[0], names[i])) {
            char sa[128], sb[128];
            awda_namekey_t ka = key(names[0]), kb = key(names[i]);
            skels(&ka, 1, sa, sizeof sa);
            skels(&kb, 1, sb, sizeof sb);
            fail_msg("\"%s\" [%s] does not meet \"%s\" [%s]", names[0], sa, names[i], sb);
        }
    }
}

static void test_must_meet(void **state)
{
    (void)state;
    static const char *const groups[][8] = {
        {"Mohamed", "Mohammed", "Muhammad", "Mouhamadou", "Mohamad", "محمد", NULL},
        {"Traoré", "Traore", "تراوري", "TRAORE", NULL},
        {"Coulibaly", "Kulibali", "كوليبالي", NULL},
        {"Ouédraogo", "Ouedraogo", NULL},
        {"أحمد", "احمد", "Ahmed", "Ahmad", NULL},
        {"مصطفى", "مصطفي", "Mustafa", "Moustapha", "Mostafa", NULL},
        {"عبد الله", "Abdallah", "Abdullah", "Abdelah", "Abdalla", "عبدالله", NULL},
        {"Youssef", "Yusuf", "يوسف", "Yousif", NULL},
        {"Ibrahim", "Ebrahim", "إبراهيم", "ابراهيم", NULL},
        {"Osman", "Othman", "Uthman", "عثمان", NULL},
        {"Hassan", "Hasan", "حسن", NULL},
        {"عبد الرحمن", "Abdelrahman", "Abdulrahman", "Abdel Rahman", "Abd el-Rahman", NULL},
        {"نصر الدين", "Nasreldin", "Nasr Eldin", NULL},
        {"دفع الله", "Dafalla", "Dafallah", NULL},
        {"جمال", "Gamal", "Jamal", NULL},
        {"سارة", "Sara", "Sarah", "ساره", NULL},
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        assert_group_meets(groups[g]);
}

/* The mother: every writing has exactly the word skeletons of
 * "فاطمة الزهراء". */
static void test_fatima_zahra(void **state)
{
    (void)state;
    static const char *const v[] = {"Fatima Zahra",     "Fatima Elzahra",
                                    "Fatima Al Zahraa", "Fatimah az-Zahra",
                                    "فاطمه الزهراء",    "Fatima al-Zahra",
                                    "Fatima Azzahra",   "فاطمة الـزَّهْرَاء",
                                    "FATIMA EL ZAHRA",  NULL};
    char want[128], got[128];
    awda_namekey_t k = key("فاطمة الزهراء");
    skels(&k, 1, want, sizeof want);
    assert_string_equal(want, "ftm zhr");
    for (int i = 0; v[i]; i++) {
        awda_namekey_t o = key(v[i]);
        skels(&o, 1, got, sizeof got);
        if (strcmp(got, want) != 0)
            fail_msg("\"%s\" gives [%s], want [%s]", v[i], got, want);
    }
    awda_namekey_t f = key("فاطمه");
    assert_int_equal(f.n, 1);
    assert_string_equal(f.w[0].skel, "ftm");
    assert_true(f.w[0].arabic);
}

static void test_must_not_meet(void **state)
{
    (void)state;
    /* Different names: different skeletons, one edit apart at most. */
    static const char *const pairs[][2] = {{"Fatima", "Fatoumata"}, {"Ali", "Alioune"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        awda_namekey_t a = key(pairs[i][0]), b = key(pairs[i][1]);
        if (strcmp(a.w[0].skel, b.w[0].skel) == 0)
            fail_msg("%s and %s meet at \"%s\"", pairs[i][0], pairs[i][1], a.w[0].skel);
        assert_int_equal(awda_namekey_distance(a.w[0].skel, b.w[0].skel, 3), 1);
    }
    /* Hassan and Hussein: Arabic writes them حسن and حسين, and the ي that
     * tells them apart is also the long i of إبراهيم and كريم, which Latin
     * writes without a y: no skeleton can keep ي and still meet "Ibrahim".
     * They meet on the skeleton; the Latin forms tell them apart. */
    awda_namekey_t h = key("Hassan"), u = key("Hussein");
    assert_string_equal(h.w[0].skel, u.w[0].skel);
    assert_true(awda_namekey_similarity(h.w[0].latin, u.w[0].latin) < 8500);
    assert_true(awda_namekey_similarity("hassan", "hasan") > 9000);
}

static void test_articles(void **state)
{
    (void)state;
    awda_namekey_t k = key("Al Sayed");
    assert_int_equal(k.n, 1);
    assert_string_equal(k.w[0].skel, "sd");
    assert_string_equal(k.w[0].latin, "sayed");
    assert_int_equal(k.w[0].pos, 0);
    k = key("El-Sayed");
    assert_int_equal(k.n, 1);
    assert_string_equal(k.w[0].latin, "sayed");
    k = key("Elsayed");
    assert_string_equal(k.w[0].latin, "sayed");
    k = key("Assayed");
    assert_string_equal(k.w[0].skel, "sd");
    assert_string_equal(k.w[0].latin, "sayed");
    k = key("السيد");
    assert_string_equal(k.w[0].skel, "sd");
    k = key("ال سيد");
    assert_int_equal(k.n, 1);
    assert_string_equal(k.w[0].skel, "sd");
    k = key("Ennour");
    assert_string_equal(k.w[0].latin, "nour");
    /* an article as the last word is a name */
    k = key("Al");
    assert_int_equal(k.n, 1);
    assert_string_equal(k.w[0].latin, "al");
    k = key("Mohamed Al");
    assert_int_equal(k.n, 2);
    /* known names that begin with al */
    k = key("Alpha");
    assert_string_equal(k.w[0].skel, "lf");
    assert_false(k.w[0].alt);
    /* positions skip the articles */
    k = key("Fatimah az-Zahra Traore");
    assert_int_equal(k.n, 3);
    assert_int_equal(k.w[2].pos, 2);
}

static void test_uncertain_article_adds_alt(void **state)
{
    (void)state;
    awda_namekey_t k = key("Alassane");
    assert_int_equal(k.n, 2);
    assert_string_equal(k.w[0].latin, "alassane");
    assert_false(k.w[0].alt);
    assert_string_equal(k.w[1].latin, "assane");
    assert_string_equal(k.w[1].skel, "sn");
    assert_true(k.w[1].alt);
    assert_int_equal(k.w[1].pos, 0);
    k = key("Elias");
    assert_int_equal(k.n, 2);
    assert_string_equal(k.w[0].skel, "ls");
    assert_true(k.w[1].alt);
    /* "Assane": the skeleton is the same with or without, nothing added */
    k = key("Assane");
    assert_int_equal(k.n, 1);
    assert_string_equal(k.w[0].latin, "assane");
    /* Alali = العلي = Ali */
    assert_true(meets("Alali", "العلي"));
    assert_true(meets("Al-Ali", "العلي"));
}

static void test_compound_names(void **state)
{
    (void)state;
    awda_namekey_t k = key("عبد الله");
    char s[128];
    skels(&k, 1, s, sizeof s);
    assert_string_equal(s, "bd bdl l");
    assert_true(k.w[1].alt);
    k = key("Abdel Rahman Traore");
    skels(&k, 1, s, sizeof s);
    assert_string_equal(s, "bdl bdlrhmn rhmn tr");
    /* a name that is not abd-: nothing joined */
    k = key("Mohamed Rahman");
    assert_int_equal(k.n, 2);
}

static void test_bad_and_bounded_input(void **state)
{
    (void)state;
    awda_namekey_t k;
    assert_int_equal(awda_namekey("", 0, &k), 0);
    assert_int_equal(awda_namekey(" - ' . _ ", 9, &k), 0);
    assert_int_equal(awda_namekey(NULL, 0, &k), 0);
    assert_int_equal(awda_namekey("\xff\xfe", 2, &k), -1);
    assert_int_equal(awda_namekey("Ab\xc3", 3, &k), -1); /* cut inside a character */
    /* not NUL-terminated: only len bytes are read */
    assert_int_equal(awda_namekey("Moussa Traore", 6, &k), 1);
    assert_string_equal(k.w[0].latin, "moussa");
    const char *many = "a1 b2 c3 d4 e5 f6 g7 h8 i9 j10 k11 l12 m13 n14 o15 p16 q17 r18";
    assert_int_equal(awda_namekey(many, strlen(many), &k), AWDA_NAMEKEY_MAX_WORDS);
    char longw[600];
    memset(longw, 'b', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    for (int i = 1; i < (int)sizeof longw - 1; i += 2)
        longw[i] = "rtdkmnls"[i % 8];
    assert_int_equal(awda_namekey(longw, strlen(longw), &k), 1);
    assert_true(strlen(k.w[0].skel) < AWDA_NAMEKEY_SKEL_MAX);
    assert_true(strlen(k.w[0].latin) < AWDA_NAMEKEY_LATIN_MAX);
    /* Ethiopic goes through ICU */
    k = key("ዳዊት");
    assert_int_equal(k.n, 1);
    assert_false(k.w[0].arabic);
}

/* The variant lists: each pool is [Arabic, Latin variants...]. */
static void test_demo_pools(void **state)
{
    (void)state;
    json_error_t e;
    json_t *d = json_load_file("data/demo/names.json", 0, &e);
    if (!d)
        d = json_load_file("../../data/demo/names.json", 0, &e);
    assert_non_null(d);
    json_t *pools = json_object_get(d, "pools");
    const char *name;
    json_t *list;
    int npools = 0, ok = 0, nvar = 0, okvar = 0;
    json_object_foreach(pools, name, list)
    {
        size_t i;
        json_t *pool;
        json_array_foreach(list, i, pool)
        {
            if (!json_is_array(pool) || json_array_size(pool) < 2)
                continue;
            const char *ar = json_string_value(json_array_get(pool, 0));
            awda_namekey_t k = key(ar);
            if (k.n == 0 || !k.w[0].arabic)
                continue;
            npools++;
            int all = 1;
            for (size_t j = 1; j < json_array_size(pool); j++) {
                const char *v = json_string_value(json_array_get(pool, j));
                nvar++;
                if (meets(ar, v)) {
                    okvar++;
                } else {
                    char sa[128], sv[128];
                    awda_namekey_t kv = key(v);
                    skels(&k, 1, sa, sizeof sa);
                    skels(&kv, 1, sv, sizeof sv);
                    print_message("  miss: %s [%s] / %s [%s]\n", ar, sa, v, sv);
                    all = 0;
                }
            }
            ok += all;
        }
    }
    json_decref(d);
    print_message("  pools met whole: %d of %d (%.1f%%); variants: %d of %d\n", ok, npools,
                  100.0 * ok / (npools ? npools : 1), okvar, nvar);
    assert_true(npools >= 150);
    assert_true(ok * 100 >= npools * 95);
}

static void test_deletes(void **state)
{
    (void)state;
    char out[AWDA_NAMEKEY_MAX_DELETES][AWDA_NAMEKEY_SKEL_MAX];
    int n = awda_namekey_deletes("mhmd", out, AWDA_NAMEKEY_MAX_DELETES);
    assert_int_equal(n, 4);
    assert_string_equal(out[0], "hmd");
    assert_string_equal(out[1], "mmd");
    assert_string_equal(out[2], "mhd");
    assert_string_equal(out[3], "mhm");
    /* distinct: deleting either b of "kbbl" gives the same "kbl", once */
    n = awda_namekey_deletes("kbbl", out, AWDA_NAMEKEY_MAX_DELETES);
    assert_int_equal(n, 3);
    n = awda_namekey_deletes("tmt", out, AWDA_NAMEKEY_MAX_DELETES);
    assert_int_equal(n, 3); /* mt, tt, tm */
    for (int i = 0; i < n; i++)
        assert_string_not_equal(out[i], "tmt");
    assert_int_equal(awda_namekey_deletes("hs", out, AWDA_NAMEKEY_MAX_DELETES), 0);
    assert_int_equal(awda_namekey_deletes("", out, AWDA_NAMEKEY_MAX_DELETES), 0);
    assert_int_equal(awda_namekey_deletes("mhmd", out, 2), 2);
    /* one typo apart: a delete of one meets the other or one of its deletes */
    assert_int_equal(awda_namekey_deletes("bdlkdr", out, AWDA_NAMEKEY_MAX_DELETES), 6);
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(awda_namekey_distance("kitten", "sitting", 9), 3);
    assert_int_equal(awda_namekey_distance("kitten", "sitting", 2), 2);
    assert_int_equal(awda_namekey_distance("mhmd", "mhmd", 3), 0);
    assert_int_equal(awda_namekey_distance("mhmd", "mhdm", 3), 1); /* a swap is one */
    assert_int_equal(awda_namekey_distance("ftm", "ftmt", 3), 1);
    assert_int_equal(awda_namekey_distance("", "abc", 9), 3);
    assert_int_equal(awda_namekey_distance("abc", "", 2), 2);
    assert_int_equal(awda_namekey_distance("ca", "abc", 9), 3); /* OSA, not full Damerau */
    assert_int_equal(awda_namekey_distance("abcdefgh", "a", 3), 3);
}

static void test_similarity(void **state)
{
    (void)state;
    assert_int_equal(awda_namekey_similarity("martha", "marhta"), 9611);
    assert_int_equal(awda_namekey_similarity("dixon", "dicksonx"), 8133);
    assert_int_equal(awda_namekey_similarity("dwayne", "duane"), 8400);
    assert_int_equal(awda_namekey_similarity("fatima", "fatima"), 10000);
    assert_int_equal(awda_namekey_similarity("", ""), 10000);
    assert_int_equal(awda_namekey_similarity("abc", ""), 0);
    assert_int_equal(awda_namekey_similarity("abc", "xyz"), 0);
    assert_int_equal(awda_namekey_similarity("mohamed", "muhammad"),
                     awda_namekey_similarity("muhammad", "mohamed"));
}

static void test_hash(void **state)
{
    (void)state;
    const char *ab_c[] = {"ab", "c"}, *a_bc[] = {"a", "bc"}, *ab_c2[] = {"ab", "c"};
    int64_t h1 = awda_namekey_hash('s', ab_c, 2), h2 = awda_namekey_hash('s', a_bc, 2);
    assert_true(h1 != h2);
    assert_true(h1 == awda_namekey_hash('s', ab_c2, 2));
    assert_true(h1 != awda_namekey_hash('d', ab_c, 2));
    assert_true(h1 != 0 && h2 != 0);
    const char *one[] = {"abc"};
    assert_true(awda_namekey_hash('s', one, 1) != awda_namekey_hash('s', ab_c, 2));
    assert_true(awda_namekey_hash('s', NULL, 0) != 0);
    /* a fixed value: the key is stored in databases and must not change
     * without a migration that makes the stored keys again (26 did: it
     * was -7980743624530452604 with BLAKE2b-64) */
    const char *m[] = {"mhmd"};
    int64_t hm = awda_namekey_hash('s', m, 1);
    assert_true(hm == INT64_C(6407977662854865163));
    /* a message longer than the stack buffer is hashed by its digest:
     * the same for the same text, another for a text changed at its end */
    char big[AWDA_NAMEKEY_HASH_BYTES * 2 + 87];
    for (size_t i = 0; i + 1 < sizeof big; i++)
        big[i] = (char)('a' + i % 26);
    big[sizeof big - 1] = '\0';
    const char *b[] = {big};
    int64_t hb = awda_namekey_hash('s', b, 1);
    assert_true(hb == awda_namekey_hash('s', b, 1));
    assert_true(hb != awda_namekey_hash('d', b, 1));
    big[sizeof big - 2] = '#';
    assert_true(hb != awda_namekey_hash('s', b, 1));
    const char *two[] = {big, "x"}, *two2[] = {big, "y"};
    assert_true(awda_namekey_hash('s', two, 2) != awda_namekey_hash('s', two2, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_must_meet),
        cmocka_unit_test(test_fatima_zahra),
        cmocka_unit_test(test_must_not_meet),
        cmocka_unit_test(test_articles),
        cmocka_unit_test(test_uncertain_article_adds_alt),
        cmocka_unit_test(test_compound_names),
        cmocka_unit_test(test_bad_and_bounded_input),
        cmocka_unit_test(test_demo_pools),
        cmocka_unit_test(test_deletes),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_hash),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
