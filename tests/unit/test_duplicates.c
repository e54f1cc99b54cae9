/*
 * test_duplicates.c — the duplicates module's keys and score
 * (store/duplicates.c, app/dup_score.c), and its store functions on a
 * temporary database.
 *
 *   - every kind of date comparison (exact, a year off, day and month
 *     exchanged, year only, different, unknown);
 *   - every variation of issue 13 — another script, one typo, the family
 *     name first, a missing middle name, a date of birth a year off, day
 *     and month exchanged, only the year — shares a key with the person
 *     (a query's probes meet the stored keys) and scores at least the
 *     flagging score, above a different person with a similar name;
 *   - the keys of one person are bounded, and written, replaced and
 *     removed with the person; candidates come back from the store, a
 *     pair decided not_same is left out, a pair is flagged once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"
#include "../../src/app/duplicates.h"
#include "../../src/app/dup_score.h"
#include "../../src/store/duplicates.h"

static void test_dob_kinds(void **state)
{
    (void)state;
    assert_string_equal(dup_dob_compare("1990-05-04", "exact", "1990-05-04", "exact"), "exact");
    assert_string_equal(dup_dob_compare("1990-05-04", "exact", "1991-05-04", "exact"),
                        "within_a_year");
    assert_string_equal(dup_dob_compare("1990-12-30", "exact", "1991-01-02", "exact"),
                        "within_a_year");
    assert_string_equal(dup_dob_compare("1990-05-04", "exact", "1990-04-05", "exact"),
                        "day_month_swapped");
    assert_string_equal(dup_dob_compare("1990-05-04", "exact", "1990", "year"), "year_only");
    assert_string_equal(dup_dob_compare("1990", "year", "1991-02-01", "exact"), "within_a_year");
    assert_string_equal(dup_dob_compare("1990-05-04", "exact", "1985-05-14", "exact"), "different");
    assert_string_equal(dup_dob_compare(NULL, NULL, "1985-05-14", "exact"), "unknown");
}

typedef struct {
    const char *what, *name, *latin, *dob, *prec;
} variant_t;

static const dup_person_t BASE = {
    "Mohamed Ibrahim Coulibaly", NULL, "male", "1990-05-04", "exact", "MLI", NULL};

static const variant_t VARIANTS[] = {
    {"other script", "محمد إبراهيم كوليبالي", NULL, "1990-05-04", "exact"},
    {"other script with a Latin name", "محمد إبراهيم كوليبالي", "Mohamed Ibrahim Coulibaly",
     "1990-05-04", "exact"},
    {"one typo", "Mohamed Ibrahim Coulibaky", NULL, "1990-05-04", "exact"},
    {"missing middle name and one typo", "Mohamed Coulibaky", NULL, "1990-05-04", "exact"},
    {"family name first", "Coulibaly Mohamed Ibrahim", NULL, "1990-05-04", "exact"},
    {"missing middle name", "Mohamed Coulibaly", NULL, "1990-05-04", "exact"},
    {"a year off", "Mohamed Ibrahim Coulibaly", NULL, "1991-05-04", "exact"},
    {"day and month exchanged", "Mohamed Ibrahim Coulibaly", NULL, "1990-04-05", "exact"},
    {"year only", "Mohamed Ibrahim Coulibaly", NULL, "1990", "year"},
    {"spelling and typo", "Muhammad Ibrahim Koulibali", NULL, "1990-05-04", "exact"},
};

static int meets(const dup_names_t *stored, const dup_names_t *query)
{
    int64_t keys[AWDA_DUP_KEYS_MAX];
    dup_probe_t probes[AWDA_DUP_PROBES_MAX];
    int nk = dup_keys_make(stored, keys, AWDA_DUP_KEYS_MAX);
    int np = dup_probes_make(query, probes, AWDA_DUP_PROBES_MAX);
    for (int i = 0; i < nk; i++)
        for (int j = 0; j < np; j++)
            if (keys[i] == probes[j].key)
                return 1;
    return 0;
}

static void test_variants_meet_and_score(void **state)
{
    (void)state;
    dup_names_t base = {BASE.name, BASE.name_latin, BASE.date_of_birth};
    /* A different person whose names are close: shares a word, not the pair. */
    dup_person_t other = {
        "Mohamed Ibrahim Keita", NULL, "male", "1975-02-01", "exact", "MLI", NULL};
    int other_score = dup_score(&BASE, &other, NULL);
    assert_true(other_score < AWDA_DUPLICATE_FLAG_SCORE);
    for (size_t i = 0; i < sizeof VARIANTS / sizeof VARIANTS[0]; i++) {
        const variant_t *v = &VARIANTS[i];
        dup_names_t q = {v->name, v->latin, v->dob};
        if (!meets(&base, &q))
            fail_msg("%s: no key in common", v->what);
        if (!meets(&q, &base))
            fail_msg("%s: no key in common the other way", v->what);
        dup_person_t c = {v->name, v->latin, "male", v->dob, v->prec, "MLI", NULL};
        json_t *expl = NULL;
        int s = dup_score(&BASE, &c, &expl);
        char *text = json_dumps(expl, JSON_COMPACT);
        if (s < AWDA_DUPLICATE_FLAG_SCORE || s <= other_score)
            fail_msg("%s: score %d (a different person %d): %s", v->what, s, other_score, text);
        free(text);
        json_decref(expl);
    }
}

static void test_explanation(void **state)
{
    (void)state;
    dup_person_t c = {"Coulibaly Mohamed", NULL, "female", "1990-05-04", "exact", "SEN", NULL};
    json_t *expl = NULL;
    int s = dup_score(&BASE, &c, &expl);
    assert_true(s > 0 && s <= 10000);
    json_t *names = json_object_get(expl, "names");
    assert_int_equal(json_array_size(names), 2);
    assert_int_equal(json_integer_value(json_object_get(expl, "names_unmatched")), 1);
    assert_string_equal(json_string_value(json_object_get(expl, "sex")), "different");
    assert_string_equal(json_string_value(json_object_get(expl, "nationality")), "different");
    assert_string_equal(json_string_value(json_object_get(expl, "date_of_birth")), "exact");
    /* the same number in a document makes a weak pair strong */
    json_t *d1 = tmpdb_json("[\"A 123-456\"]"), *d2 = tmpdb_json("[\"a123456\"]");
    dup_person_t q = BASE, k = c;
    q.documents = d1;
    k.documents = d2;
    json_t *e2 = NULL;
    int s2 = dup_score(&q, &k, &e2);
    assert_true(s2 > s);
    assert_string_equal(json_string_value(json_object_get(e2, "documents")), "same_number");
    json_decref(e2);
    json_decref(d1);
    json_decref(d2);
    /* the words of a name scored again (remembered) score the same */
    dup_person_t other = {"محمد إبراهيم", NULL, "male", "1980", "year", "SDN", NULL};
    json_t *e3 = NULL;
    assert_true(dup_score(&other, &c, NULL) >= 0);
    int s3 = dup_score(&BASE, &c, &e3);
    assert_int_equal(s3, s);
    assert_true(json_equal(e3, expl));
    json_decref(e3);
    json_decref(expl);
}

/* Namesakes born a generation apart (seen in a large import: "Hadja Sow"
 * 2004 / 1966-10-13, "Idrissa Moumouni" 1990-05-27 / 2014-01-14) are not
 * flagged; a date two years off still is near enough to score high, and
 * an equal document number still flags the pair. */
static void test_far_dates_not_flagged(void **state)
{
    (void)state;
    static const struct {
        const char *name, *dob_a, *prec_a, *dob_b, *prec_b, *nat;
    } FAR[] = {
        {"Hadja Sow", "2004", "year", "1966-10-13", "exact", "GIN"},
        {"Idrissa Moumouni", "1990-05-27", "exact", "2014-01-14", "exact", "NER"},
        {"Mohamed Ibrahim Coulibaly", "1990-05-04", "exact", "1986-05-04", "exact", "MLI"},
    };
    for (size_t i = 0; i < sizeof FAR / sizeof FAR[0]; i++) {
        dup_person_t a = {FAR[i].name,   NULL,       "female", FAR[i].dob_a,
                          FAR[i].prec_a, FAR[i].nat, NULL};
        dup_person_t b = {FAR[i].name,   NULL,       "female", FAR[i].dob_b,
                          FAR[i].prec_b, FAR[i].nat, NULL};
        int s = dup_score(&a, &b, NULL);
        if (s >= AWDA_DUPLICATE_FLAG_SCORE)
            fail_msg("%s (%s / %s): score %d flags namesakes", FAR[i].name, FAR[i].dob_a,
                     FAR[i].dob_b, s);
        assert_int_equal(dup_score(&b, &a, NULL), s);
    }
    /* the same name, the same dates but for a year: still a duplicate */
    dup_person_t a = {"Idrissa Moumouni", NULL, "male", "1990-05-27", "exact", "NER", NULL};
    dup_person_t near = a;
    near.date_of_birth = "1991-05-27";
    assert_true(dup_score(&a, &near, NULL) >= AWDA_DUPLICATE_FLAG_SCORE);
    /* far dates, but the same passport number: flagged */
    dup_person_t far = a;
    far.date_of_birth = "2014-01-14";
    json_t *d1 = tmpdb_json("[\"AB123456\"]"), *d2 = tmpdb_json("[\"ab 123456\"]");
    a.documents = d1;
    far.documents = d2;
    assert_true(dup_score(&a, &far, NULL) >= AWDA_DUPLICATE_FLAG_SCORE);
    json_decref(d1);
    json_decref(d2);
}

/* A name that repeats a word ("حامد عادل حامد") without its middle word
 * is one skeleton twice ("حامد حامد"): they still share a key, in both
 * directions and across scripts; a one-word name does not meet them. */
static void test_repeated_word(void **state)
{
    (void)state;
    dup_names_t full = {"حامد عادل حامد", "Hamid Adil Hamid", "1994-09"};
    dup_names_t twice = {"حامد حامد", NULL, "1994-09"};
    dup_names_t latin = {"Eisa Amr Issa", NULL, "1963-09-18"};
    dup_names_t arabic = {"عيسى عيسى", NULL, "1963-09-18"};
    dup_names_t once = {"Hamid", NULL, "1994-09"};
    assert_true(meets(&full, &twice));
    assert_true(meets(&twice, &full));
    assert_true(meets(&latin, &arabic));
    assert_true(meets(&arabic, &latin));
    assert_false(meets(&once, &full));
    assert_false(meets(&full, &once));
}

/* ق written g in Sudan (Ishag إسحاق, Elsadig الصادق, Tarig طارق), and sh
 * that is س ح (Is-hag): the keys meet and the word is matched across
 * scripts. */
static void test_g_read_as_qaf(void **state)
{
    (void)state;
    static const char *const PAIRS[][2] = {{"Hashim Ishag", "هاشم إسحاق"},
                                           {"Tarig Elsadig", "طارق الصادق"},
                                           {"Ishag Tarig", "إسحاق طارق"}};
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
        dup_names_t a = {PAIRS[i][0], NULL, "1999-01-17"}, b = {PAIRS[i][1], NULL, "1999-01-17"};
        if (!meets(&a, &b) || !meets(&b, &a))
            fail_msg("%s / %s: no key in common", PAIRS[i][0], PAIRS[i][1]);
    }
    dup_person_t q = {"Amira Omar Ishag", NULL, "female", "1990-05-04", "exact", "SDN", NULL};
    dup_person_t c = {"أميرة عمر إسحاق", NULL, "female", "1990-05-04", "exact", "SDN", NULL};
    json_t *e = NULL;
    int s = dup_score(&q, &c, &e);
    assert_int_equal(json_integer_value(json_object_get(e, "names_unmatched")), 0);
    assert_true(s >= AWDA_DUPLICATE_FLAG_SCORE);
    json_decref(e);
}

/* A typo that puts a letter between two equal ones: its delete is the
 * skeleton with the double written once ("Tenivn" tnfn, "Tenin" tn). */
static void test_typo_between_equal_letters(void **state)
{
    (void)state;
    static const char *const PAIRS[][2] = {{"Tenivn Soumaré", "Tenin Soumaré"},
                                           {"Mapmadou Kouyaté", "Mamadou Kouyaté"},
                                           {"Daosda Kanta", "Daouda Kanta"}};
    for (size_t i = 0; i < sizeof PAIRS / sizeof PAIRS[0]; i++) {
        dup_names_t a = {PAIRS[i][0], NULL, "1988-08-13"}, b = {PAIRS[i][1], NULL, "1988-08-13"};
        if (!meets(&a, &b) || !meets(&b, &a))
            fail_msg("%s / %s: no key in common", PAIRS[i][0], PAIRS[i][1]);
    }
}

static void test_keys_bounded(void **state)
{
    (void)state;
    dup_names_t p = {"Abdoulaye Mamadou Souleymane Boubacar Ousmane Moussa Seydou Bakary "
                     "Lassina Drissa Adama Karim",
                     "Abdoulaye Mamadou Souleymane Boubacar Ousmane Moussa Seydou Bakary",
                     "1980-01-01"};
    int64_t keys[AWDA_DUP_KEYS_MAX];
    int n = dup_keys_make(&p, keys, AWDA_DUP_KEYS_MAX);
    assert_true(n > 0 && n <= AWDA_DUP_KEYS_MAX);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            assert_true(keys[i] != keys[j]);
    /* a name without words has no key */
    dup_names_t none = {"-", NULL, NULL};
    assert_int_equal(dup_keys_make(&none, keys, AWDA_DUP_KEYS_MAX), 0);
}

/* ---- the store ---- */

typedef struct {
    json_t *obj;
    int64_t pk;
    char id[37];
} person_ctx_t;

static int insert_job(store_conn_t *c, void *ctx)
{
    person_ctx_t *x = ctx;
    return store_person_insert(c, x->obj, x->id, &x->pk);
}

static int update_job(store_conn_t *c, void *ctx)
{
    person_ctx_t *x = ctx;
    return store_person_update(c, x->pk, x->obj);
}

static int remove_job(store_conn_t *c, void *ctx)
{
    return store_dup_keys_remove(c, *(int64_t *)ctx);
}

static int64_t add(tmpdb_t *t, const char *name, const char *dob)
{
    person_ctx_t x = {tmpdb_person_json(name, NULL), 0, ""};
    json_object_set_new(x.obj, "date_of_birth", json_string(dob));
    assert_int_equal(tmpdb_write(t, insert_job, &x), STORE_OK);
    json_decref(x.obj);
    return x.pk;
}

static long long keys_of(tmpdb_t *t, int64_t pk)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM person_dup_keys WHERE person_pk=%lld",
             (long long)pk);
    return tmpdb_int(t, sql);
}

static int candidates(tmpdb_t *t, const char *name, const char *dob, int64_t self, int64_t *out)
{
    dup_names_t q = {name, NULL, dob};
    dup_probe_t probes[AWDA_DUP_PROBES_MAX];
    int np = dup_probes_make(&q, probes, AWDA_DUP_PROBES_MAX);
    return store_dup_candidates(tmpdb_reader(t), probes, np, self, out, NULL, AWDA_DUP_SCORED_MAX);
}

typedef struct {
    int64_t a, b;
    int written;
} flag_ctx_t;

static int flag_job(store_conn_t *c, void *ctx)
{
    flag_ctx_t *x = ctx;
    x->written = store_dup_pair_flag(c, x->b, x->a, 8000, "{}", "registration", 0);
    return x->written < 0 ? STORE_ERR : STORE_OK;
}

static void test_store_keys_and_candidates(void **state)
{
    tmpdb_t *t = *state;
    int64_t a = add(t, "Fatima Zahra Coulibaly", "1988-03-02");
    int64_t b = add(t, "Coulibaly Fatima", "1988");
    int64_t other = add(t, "Aminata Diallo", "1988-03-02");
    assert_true(keys_of(t, a) > 0 && keys_of(t, a) <= AWDA_DUP_KEYS_MAX);
    int64_t out[AWDA_DUP_SCORED_MAX];
    int n = candidates(t, "Fatima Zahra Coulibaly", "1988-03-02", a, out);
    assert_int_equal(n, 1);
    assert_true(out[0] == b);
    /* the person's own pk is left out, the rows are read in one go */
    json_t *rows = store_dup_persons(tmpdb_reader(t), out, n, a);
    assert_int_equal(json_array_size(rows), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")),
                        "Coulibaly Fatima");
    json_decref(rows);
    /* flagged once, whichever order */
    flag_ctx_t f = {a, b, 0};
    assert_int_equal(tmpdb_write(t, flag_job, &f), STORE_OK);
    assert_int_equal(f.written, 1);
    assert_int_equal(tmpdb_write(t, flag_job, &f), STORE_OK);
    assert_int_equal(f.written, 0);
    /* decided not the same: no longer read as a candidate of a */
    assert_int_equal(tmpdb_exec(t, "UPDATE duplicate_pairs SET status='not_same'"), 0);
    rows = store_dup_persons(tmpdb_reader(t), out, n, a);
    assert_int_equal(json_array_size(rows), 0);
    json_decref(rows);
    /* an update replaces the keys: the old name no longer finds b */
    person_ctx_t x = {tmpdb_person_json("Aminata Diallo", NULL), b, ""};
    assert_int_equal(tmpdb_write(t, update_job, &x), STORE_OK);
    json_decref(x.obj);
    n = candidates(t, "Fatima Zahra Coulibaly", "1988-03-02", a, out);
    assert_int_equal(n, 0);
    n = candidates(t, "Aminata Diallo", "1988-03-02", other, out);
    assert_int_equal(n, 1);
    assert_true(out[0] == b);
    /* removed (retention) */
    assert_int_equal(tmpdb_write(t, remove_job, &b), STORE_OK);
    assert_int_equal(keys_of(t, b), 0);
}

/* A middle name left out, among many namesakes born the same year: the
 * namesakes share every pair and year key with the query, the person
 * registered again only one pair; the words with the date of birth find
 * them (and the same day a year off, with day and month exchanged). */
static void test_date_keys_beat_namesakes(void **state)
{
    tmpdb_t *t = *state;
    for (int i = 0; i < 2 * AWDA_DUP_PRESCORED_MAX; i++) {
        char dob[16];
        snprintf(dob, sizeof dob, "1997-%02d-%02d", 1 + i % 12, 1 + i / 12 % 28);
        if (strcmp(dob, "1997-08-05") != 0 && strcmp(dob, "1997-05-08") != 0)
            add(t, "Khalid Mohamed Omar", dob);
    }
    int64_t again = add(t, "Khalid Omar", "1997-08-05");
    int64_t year_off = add(t, "Omar Khalid", "1996-08-05");
    int64_t swapped = add(t, "Khaled Omer", "1997-05-08");
    int64_t out[AWDA_DUP_SCORED_MAX];
    int n = candidates(t, "Khalid Mohamed Omar", "1997-08-05", 0, out);
    int found = 0;
    for (int i = 0; i < n; i++)
        found |= (out[i] == again) | (out[i] == year_off) << 1 | (out[i] == swapped) << 2;
    assert_int_equal(found, 7);
    /* fewer asked: the best of the same order */
    int64_t few[3];
    dup_names_t q = {"Khalid Mohamed Omar", NULL, "1997-08-05"};
    dup_probe_t probes[AWDA_DUP_PROBES_MAX];
    int np = dup_probes_make(&q, probes, AWDA_DUP_PROBES_MAX);
    assert_int_equal(store_dup_candidates(tmpdb_reader(t), probes, np, 0, few, NULL, 3), 3);
    assert_memory_equal(few, out, sizeof few);
}

/* A pair shared by more than AWDA_DUP_POSTINGS_MAX persons decides
 * nothing, whether it is read (the first search) or remembered as too
 * common (the next): the same candidates both times, found by the year. */
static void test_common_key_skipped(void **state)
{
    tmpdb_t *t = *state;
    for (int i = 0; i <= AWDA_DUP_POSTINGS_MAX; i++) {
        char dob[16];
        snprintf(dob, sizeof dob, "%d-01-01", 1400 + i);
        add(t, "Amadou Diallo", dob);
    }
    int64_t again = add(t, "Amadou Diallo", "1990-07-14");
    int64_t first[AWDA_DUP_SCORED_MAX], second[AWDA_DUP_SCORED_MAX];
    int n1 = candidates(t, "Amadou Diallo", "1990-07-14", 0, first);
    int n2 = candidates(t, "Amadou Diallo", "1990-07-14", 0, second);
    assert_int_equal(n1, n2);
    assert_true(n1 >= 1 && n1 < AWDA_DUP_SCORED_MAX);
    assert_memory_equal(first, second, (size_t)n1 * sizeof first[0]);
    assert_true(first[0] == again);
    /* another database on the same thread: the key is read there (a pair
     * of two persons only, found by nothing else) */
    tmpdb_t *other = tmpdb_open();
    add(other, "Amadou Diallo", "1950-01-01");
    int64_t b = add(other, "Diallo Amadou", "1980-06-30");
    int64_t found[AWDA_DUP_SCORED_MAX];
    assert_int_equal(candidates(other, "Amadou Diallo", "1950-01-01", 0, found), 2);
    assert_true(found[0] == b || found[1] == b);
    tmpdb_close(other);
}

typedef struct {
    int64_t from, next;
    long done;
} reindex_ctx_t;

static int reindex_job(store_conn_t *c, void *ctx)
{
    reindex_ctx_t *x = ctx;
    x->done = store_dup_reindex_batch(c, x->from, 2, &x->next);
    return x->done < 0 ? STORE_ERR : STORE_OK;
}

static void test_reindex(void **state)
{
    tmpdb_t *t = *state;
    int64_t a = add(t, "Ousmane Sow Diop", "1970-01-01");
    add(t, "Awa Ndiaye Fall", "1971-01-01");
    add(t, "Ibrahima Ba Sy", "1972-01-01");
    long long before = tmpdb_int(t, "SELECT count(*) FROM person_dup_keys");
    assert_int_equal(tmpdb_exec(t, "DELETE FROM person_dup_keys"), 0);
    reindex_ctx_t x = {1, 0, 0};
    long total = 0;
    do {
        assert_int_equal(tmpdb_write(t, reindex_job, &x), STORE_OK);
        total += x.done;
        x.from = x.next;
    } while (x.done > 0);
    assert_int_equal(total, 3);
    assert_int_equal(tmpdb_int(t, "SELECT count(*) FROM person_dup_keys"), before);
    assert_true(keys_of(t, a) > 0);
}

/* Namesakes of the other sex, born the same day and written before, who
 * share every key of the query as much as he does, give way before the
 * rows are read to the person registered again: the pre-score weighs
 * sex and nationality as the score does. */
static void test_prescore_sex(void **state)
{
    tmpapp_t *t = *state;
    /* more than are scored, fewer than are pre-scored */
    for (int i = 0; i < (AWDA_DUP_SCORED_MAX + AWDA_DUP_PRESCORED_MAX) / 2; i++) {
        person_ctx_t x = {tmpdb_person_json("Khalid Omar", NULL), 0, ""};
        json_object_set_new(x.obj, "sex", json_string("female"));
        assert_int_equal(tmpdb_write(t->db, insert_job, &x), STORE_OK);
        json_decref(x.obj);
    }
    person_ctx_t again = {tmpdb_person_json("Khalid Omar", NULL), 0, ""};
    assert_int_equal(tmpdb_write(t->db, insert_job, &again), STORE_OK);
    json_decref(again.obj);
    json_t *q = tmpdb_person_json("Khalid Mohamed Omar", NULL);
    app_actor_t a;
    tmpapp_system(&a);
    app_result_t r;
    memset(&r, 0, sizeof r);
    app_duplicates_check(t->app, &a, q, "50", &r);
    tmpapp_expect(&r, APP_OK);
    int found = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r.body, "items"), i, it)
    {
        const char *id = json_string_value(json_object_get(json_object_get(it, "person"), "id"));
        found |= id && strcmp(id, again.id) == 0;
    }
    assert_true(found);
    app_result_free(&r);
    json_decref(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dob_kinds),
        cmocka_unit_test(test_variants_meet_and_score),
        cmocka_unit_test(test_explanation),
        cmocka_unit_test(test_far_dates_not_flagged),
        cmocka_unit_test(test_repeated_word),
        cmocka_unit_test(test_typo_between_equal_letters),
        cmocka_unit_test(test_g_read_as_qaf),
        cmocka_unit_test(test_keys_bounded),
        cmocka_unit_test_setup_teardown(test_store_keys_and_candidates, tmpdb_setup,
                                        tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_reindex, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_date_keys_beat_namesakes, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_common_key_skipped, tmpdb_setup, tmpdb_teardown),
        cmocka_unit_test_setup_teardown(test_prescore_sex, tmpapp_setup, tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
