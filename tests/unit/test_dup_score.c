/*
 * test_dup_score.c — the score of a possible duplicate with the names
 * prepared once (app/dup_score.h: dup_words_prepare, dup_score_words)
 * gives what dup_score gives, and what dup_score gave before the names
 * were prepared.
 *
 * The persons: names made of the pools of data/demo/names.json (given
 * name, father's name, family name; in Arabic script, in one of their
 * Latin spellings, or both as name and name_latin), each followed by a
 * second registration of the same person written otherwise (another
 * script, another spelling, a typo, the family name first, no middle
 * name), with dates of birth of every precision, sexes, nationalities and
 * document numbers; and odd names: none, empty, only articles, more words
 * than are kept, another script (Ethiopic), punctuation.
 *
 *   - every ordered pair scored by dup_score and by dup_score_words over
 *     the words prepared once, in another order, and moved with memcpy
 *     (they hold no pointers): the same score and the same explanation;
 *   - the prepared words fit DUP_WORDS_MAX, and a buffer too small is
 *     refused;
 *   - the scores and explanations of all the pairs hash to the value the
 *     scoring gave before the names were prepared (the commit before
 *     dup_words_t); change it only with a change of the scoring meant.
 *     It depends on ICU's transliteration (Debian 12's ICU 72).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../src/app/dup_score.h"
#include "../../src/text/norm.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NP 128

typedef struct {
    char name[256], latin[256], dob[16];
    dup_person_t p;
} person_t;

static person_t P[NP];
static int np;
static json_t *pools, *docs[4];

static uint64_t rng = 88172645463325252ull;
static unsigned pick(unsigned n)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* An entry of a pool: a name, or its forms (other script first). */
static const json_t *entry(const json_t *pool)
{
    return json_array_get(pool, pick((unsigned)json_array_size(pool)));
}

/* A form of an entry: the other script's when script, else one of its
 * Latin spellings. */
static const char *form(const json_t *e, int script)
{
    if (json_is_string(e))
        return json_string_value(e);
    size_t n = json_array_size(e);
    if (script || n < 2)
        return json_string_value(json_array_get(e, 0));
    return json_string_value(json_array_get(e, 1 + pick((unsigned)n - 1)));
}

static const json_t *pool_of(const char *country, const char *kind)
{
    char key[64];
    snprintf(key, sizeof key, "%s.%s", country, kind);
    const json_t *p = json_object_get(pools, key);
    if (!p && strcmp(kind, "family") == 0)
        snprintf(key, sizeof key, "%s.male", country), p = json_object_get(pools, key);
    return p;
}

static person_t *next(void)
{
    assert_true(np < NP);
    person_t *x = &P[np++];
    memset(x, 0, sizeof *x);
    return x;
}

/* Points the person's fields at its buffers; the others at random. */
static void fields(person_t *x, int same_as_previous)
{
    static const char *const SEX[] = {"male", "female", "unknown", "other", NULL};
    static const char *const NAT[] = {"MLI", "SDN", "EGY", "XXX", NULL};
    static const char *const PREC[] = {"exact", "year", "estimated", "month", NULL};
    x->p.name = x->name[0] || !x->latin[0] ? x->name : NULL;
    x->p.name_latin = x->latin[0] ? x->latin : NULL;
    if (same_as_previous) {
        const person_t *a = x - 1;
        x->p.sex = a->p.sex, x->p.nationality = a->p.nationality, x->p.documents = a->p.documents;
        int y, m, d;
        if (sscanf(a->dob, "%d-%d-%d", &y, &m, &d) == 3 && pick(3) == 0)
            snprintf(x->dob, sizeof x->dob, "%04d-%02d-%02d", y + (int)pick(2), d, m);
        else
            memcpy(x->dob, a->dob, sizeof x->dob);
        x->p.dob_precision = a->p.dob_precision;
    } else {
        x->p.sex = SEX[pick(5)];
        x->p.nationality = NAT[pick(5)];
        x->p.documents = pick(4) == 0 ? docs[pick(4)] : NULL;
        x->p.dob_precision = PREC[pick(4)];
        int y = 1950 + (int)pick(60);
        if (x->p.dob_precision && strcmp(x->p.dob_precision, "exact") != 0)
            snprintf(x->dob, sizeof x->dob, "%04d", y);
        else if (pick(8))
            snprintf(x->dob, sizeof x->dob, "%04d-%02d-%02d", y, 1 + (int)pick(12),
                     1 + (int)pick(28));
    }
    x->p.date_of_birth = x->dob[0] ? x->dob : NULL;
}

static void make_persons(void)
{
    json_error_t e;
    json_t *d = json_load_file("data/demo/names.json", 0, &e);
    if (!d)
        d = json_load_file("../../data/demo/names.json", 0, &e);
    assert_non_null(d);
    pools = json_incref(json_object_get(d, "pools"));
    json_decref(d);
    docs[0] = json_pack("[s]", "P1234567");
    docs[1] = json_pack("[s,s]", "p-1234-567", "A000111");
    docs[2] = json_pack("[s]", "12");
    docs[3] = json_pack("[]");
    static const char *const COUNTRY[] = {"SDN", "EGY", "MLI", "MLI-ar", "GIN",   "BFA",
                                          "AR",  "NER", "SOM", "ERI-ar", "ERI-ti"};
    np = 0;
    while (np < NP - 12) {
        const char *c = COUNTRY[pick(sizeof COUNTRY / sizeof COUNTRY[0])];
        const json_t *given = pool_of(c, pick(2) ? "male" : "female");
        const json_t *father = pool_of(c, "male"), *family = pool_of(c, "family");
        if (!given || !father || !family)
            continue;
        /* the same words written twice, each time another way */
        const json_t *eg = entry(given), *ef = entry(father), *efa = entry(family);
        for (int twice = 0; twice < 2; twice++) {
            person_t *x = next();
            int style = (int)pick(4); /* 0 script, 1 Latin, 2 both, 3 Latin without the father */
            int script = style == 0 || style == 2;
            const char *g = form(eg, script), *f = form(ef, script), *fa = form(efa, script);
            if (style == 3)
                snprintf(x->name, sizeof x->name, "%s %s", g, fa);
            else if (twice && pick(3) == 0) /* the family name first */
                snprintf(x->name, sizeof x->name, "%s %s %s", fa, g, f);
            else
                snprintf(x->name, sizeof x->name, "%s %s %s", g, f, fa);
            if (style == 2)
                snprintf(x->latin, sizeof x->latin, "%s %s %s", form(eg, 0), form(ef, 0),
                         form(efa, 0));
            size_t n = strlen(x->name), at = n / 2;
            if (twice && pick(4) == 0 && (unsigned char)x->name[at] < 0x80 &&
                x->name[at] != ' ') /* a typo: a letter doubled */
                memmove(x->name + at + 1, x->name + at, n - at + 1);
            fields(x, twice);
        }
    }
    static const char *const ODD[][2] = {
        {"", NULL},
        {NULL, "Mohamed Traore"},
        {"Al El", NULL},
        {"al-Zahraa", "Az Zahra"},
        {"Mohamed Ahmed Osman Ali Hassan Ibrahim Yousif Omar Khalid Idris Saleh Hamid Musa Adam",
         NULL},
        {"محمد أحمد عثمان علي حسن إبراهيم يوسف عمر خالد إدريس صالح حامد موسى آدم", NULL},
        {"ሃብቶም ዮናስ", "Habtom Yonas"},
        {"O'Neil-Diallo  Mamadou", NULL},
        {"Fatima   Zahra", "فاطمة الزهراء"},
        {"Abdel Rahman El Sayed", "عبد الرحمن السيد"},
        {"X", NULL},
        {"Ba Sy", "Bâ Sy"},
    };
    for (size_t i = 0; i < sizeof ODD / sizeof ODD[0]; i++) {
        person_t *x = next();
        if (ODD[i][0])
            snprintf(x->name, sizeof x->name, "%s", ODD[i][0]);
        if (ODD[i][1])
            snprintf(x->latin, sizeof x->latin, "%s", ODD[i][1]);
        fields(x, 0);
        if (!ODD[i][0])
            x->p.name = NULL;
    }
    assert_int_equal(np, NP);
}

static int setup(void **state)
{
    (void)state;
    if (awda_norm_init() != 0)
        return -1;
    make_persons();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(pools);
    for (int i = 0; i < 4; i++)
        json_decref(docs[i]);
    awda_norm_shutdown();
    return 0;
}

/* An explanation as text (freed by the caller). */
static char *text_of(json_t *e)
{
    assert_non_null(e);
    char *t = json_dumps(e, JSON_COMPACT);
    assert_non_null(t);
    json_decref(e);
    return t;
}

static void test_prepared_scores_as_dup_score(void **state)
{
    (void)state;
    /* prepared once, the last first, into one block, then moved */
    size_t cap = (size_t)NP * DUP_WORDS_MAX, used = 0, at[NP];
    unsigned char *a = malloc(cap), *b = malloc(cap);
    assert_non_null(a);
    assert_non_null(b);
    for (int i = NP - 1; i >= 0; i--) {
        size_t n = dup_words_prepare(P[i].p.name, P[i].p.name_latin, (dup_words_t *)(a + used),
                                     cap - used);
        assert_true(n > 0 && n <= DUP_WORDS_MAX);
        assert_int_equal(dup_words_size((const dup_words_t *)(a + used)), n);
        at[i] = used;
        used += (n + 7) & ~(size_t)7;
    }
    memcpy(b, a, used);
    memset(a, 0xA5, cap); /* nothing may point into the first block */
    int flagged = 0, named = 0;
    for (int i = 0; i < NP; i++)
        for (int j = 0; j < NP; j++) {
            const dup_person_t *q = &P[i].p, *c = &P[j].p;
            const dup_words_t *qw = (const dup_words_t *)(b + at[i]),
                              *cw = (const dup_words_t *)(b + at[j]);
            json_t *e1 = NULL, *e2 = NULL;
            int s1 = dup_score(q, c, &e1);
            int s2 = dup_score_words(q, qw, c, cw, &e2);
            char *t1 = text_of(e1), *t2 = text_of(e2);
            if (s1 != s2 || strcmp(t1, t2) != 0)
                fail_msg("%d %d: %s / %s: %d %s, prepared %d %s", i, j,
                         q->name ? q->name : "(null)", c->name ? c->name : "(null)", s1, t1, s2,
                         t2);
            assert_int_equal(dup_score_words(q, qw, c, cw, NULL), s1);
            flagged += s1 >= 7000 && i != j;
            named += strstr(t1, "\"how\"") != NULL;
            free(t1);
            free(t2);
        }
    /* the pairs are not all alike: many flagged, most with a name matched */
    assert_true(flagged >= NP / 2);
    assert_true(named >= NP * 8);
    /* too small a buffer is refused */
    unsigned char small[64];
    assert_int_equal(
        dup_words_prepare("Mohamed Ibrahim Coulibaly", NULL, (dup_words_t *)small, sizeof small),
        0);
    free(a);
    free(b);
}

static void test_scores_as_before(void **state)
{
    (void)state;
    uint64_t h = 1469598103934665603ull; /* FNV-1a over "score explanation\n" of each pair */
    for (int i = 0; i < NP; i++)
        for (int j = 0; j < NP; j++) {
            json_t *e = NULL;
            int s = dup_score(&P[i].p, &P[j].p, &e);
            char *t = text_of(e), line[16];
            snprintf(line, sizeof line, "%d ", s);
            for (const char *parts[] = {line, t, "\n"}, **p = parts; p < parts + 3; p++)
                for (const unsigned char *u = (const unsigned char *)*p; *u; u++)
                    h = (h ^ *u) * 1099511628211ull;
            free(t);
        }
    if (h != 0x96c72ccffa6bc10cull)
        fail_msg("the scores and explanations hash to 0x%016llxull, not as before the names "
                 "were prepared",
                 (unsigned long long)h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prepared_scores_as_dup_score),
        cmocka_unit_test(test_scores_as_before),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
