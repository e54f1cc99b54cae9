/*
 * test_app_dup_bulk.c — flagging many persons at once in memory
 * (app/dup_bulk.c) flags exactly what flagging them one by one on the
 * database flags (app/duplicates.c): the same pairs, scores and
 * explanations.
 *
 * A few hundred persons are written: namesakes of a small pool of names
 * with dates far apart, and second registrations of some of them with
 * each variation of issue 13 (another script, a typo, the family name
 * first, a year off, day and month exchanged, the year only, a shared
 * passport). The pairs are flagged one by one (app_duplicates_flag with
 * fewer than AWDA_DUP_BULK_MIN persons), read, removed, and flagged again
 * in bulk (dup_bulk_flag); both lists must be equal and hold the planted
 * pairs. A pair a reviewer decided not_same stays not_same, and is not
 * flagged again; an anonymised person is never a candidate. A person gets
 * at most AWDA_DUP_FLAG_PER_PERSON pairs, the same ones both ways. The
 * bulk flagging with a cache of prepared words so small that persons
 * take each other's slots and it is emptied every few dozen persons
 * flags the same pairs again. The pairs are written in the order of their
 * key (dup_pairs_write); of a pair given twice, either way round, the
 * first given is the one kept, and one already there stays as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpapp.h"
#include "../../src/app/duplicates.h"
#include "../../src/app/dup_int.h"
#include "../../src/app/dup_score.h"

#define MAXP 400

typedef struct {
    json_t *people[MAXP];
    int n;
    int64_t pk[MAXP];
} batch_t;

static int insert_all(store_conn_t *c, void *ctx)
{
    batch_t *b = ctx;
    for (int i = 0; i < b->n; i++) {
        char id[37];
        int rc = store_person_insert(c, b->people[i], id, &b->pk[i]);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}

static json_t *person(const char *name, const char *latin, const char *sex, const char *dob,
                      const char *prec, const char *nat, const char *passport)
{
    json_t *p =
        json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s],s:[]}", "name", name, "sex", sex, "date_of_birth",
                  dob, "dob_precision", prec, "nationality", nat, "languages", "ar", "documents");
    if (latin)
        json_object_set_new(p, "name_latin", json_string(latin));
    if (passport)
        json_array_append_new(json_object_get(p, "documents"),
                              json_pack("{s:s,s:s,s:s,s:s}", "type", "passport", "number", passport,
                                        "issuing_country", nat, "expiry_date", "2031-01-01"));
    return p;
}

static const char *const GIVEN[] = {"Mohamed", "Fatima",   "Ousmane", "Aminata", "Ibrahim",
                                    "Mariam",  "Abdallah", "Hawa",    "Moussa",  "Khadija"};
static const char *const FAMILY[] = {"Traore",    "Coulibaly", "Diallo", "Keita",
                                     "Ouedraogo", "Ahmed",     "Hassan", "Osman"};

/* The persons: namesakes, then second registrations of the first few. */
static void make(batch_t *b)
{
    b->n = 0;
    for (int i = 0; i < 300; i++) {
        char name[96], dob[16];
        snprintf(name, sizeof name, "%s %s %s", GIVEN[i % 10], GIVEN[(i / 10) % 10],
                 FAMILY[(i / 3) % 8]);
        snprintf(dob, sizeof dob, "%d-%02d-%02d", 1950 + (i * 7) % 60, 1 + i % 12,
                 1 + (i * 3) % 12);
        b->people[b->n++] = person(name, NULL, i % 2 ? "female" : "male", dob, "exact",
                                   i % 3 ? "MLI" : "SDN", NULL);
    }
    /* planted: another script, a typo, family first, a year off, day and
     * month exchanged, the year only, a shared passport */
    b->people[b->n++] =
        person("محمد محمد تراوري", NULL, "male", "1950-01-01", "exact", "SDN", NULL);
    b->people[b->n++] =
        person("Fatima Mohamed Traorre", NULL, "female", "1957-02-04", "exact", "MLI", NULL);
    b->people[b->n++] =
        person("Traore Ousmane Mohamed", NULL, "male", "1964-03-07", "exact", "MLI", NULL);
    b->people[b->n++] =
        person("Aminata Mohamed Coulibaly", NULL, "female", "1972-04-10", "exact", "SDN", NULL);
    b->people[b->n++] =
        person("Ibrahim Mohamed Coulibaly", NULL, "male", "1978-01-05", "exact", "MLI", NULL);
    b->people[b->n++] =
        person("Mariam Mohamed Coulibaly", NULL, "female", "1985", "year", "MLI", NULL);
    b->people[b->n++] = person("Abdallah Mohamed Diallo", "Abdallah Mohamed Diallo", "male",
                               "1992-07-07", "exact", "MLI", "B7654321");
    b->people[6] = (json_decref(b->people[6]), person("Abdallah Mohamed Diallo", NULL, "male",
                                                      "1992-07-07", "exact", "SDN", "B7654321"));
}

/* The pairs flagged, "a b score explanation" a line, in pair order. */
static char *pairs_text(tmpapp_t *t)
{
    sqlite3 *db = tmpdb_raw(t->db);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT person_a,person_b,score,explanation FROM "
                                        "duplicate_pairs WHERE status='open' ORDER BY 1,2",
                                        -1, &st, NULL),
                     SQLITE_OK);
    size_t cap = 1 << 16, len = 0;
    char *out = calloc(1, cap);
    assert_non_null(out);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char line[2048];
        int n =
            snprintf(line, sizeof line, "%lld %lld %d %s\n", (long long)sqlite3_column_int64(st, 0),
                     (long long)sqlite3_column_int64(st, 1), sqlite3_column_int(st, 2),
                     (const char *)sqlite3_column_text(st, 3));
        assert_true(n > 0 && (size_t)n < sizeof line);
        while (len + (size_t)n + 1 > cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
        memcpy(out + len, line, (size_t)n + 1);
        len += (size_t)n;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

static int has_pair(tmpapp_t *t, int64_t a, int64_t b)
{
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM duplicate_pairs WHERE person_a=%lld AND person_b=%lld "
             "AND status='open'",
             (long long)(a < b ? a : b), (long long)(a < b ? b : a));
    return (int)tmpdb_int(t->db, sql);
}

static void test_bulk_flags_what_one_by_one_flags(void **state)
{
    tmpapp_t *t = *state;
    batch_t b;
    make(&b);
    assert_int_equal(tmpdb_write(t->db, insert_all, &b), STORE_OK);
    for (int i = 0; i < b.n; i++)
        json_decref(b.people[i]);
    /* a reviewer decided this pair of namesakes is two people */
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO duplicate_pairs(person_a,person_b,score,explanation,source,status,"
             "created_at) VALUES(%lld,%lld,9000,'{}','registration','not_same',0)",
             (long long)b.pk[1], (long long)b.pk[301]);
    assert_int_equal(tmpdb_exec(t->db, sql), 0);
    /* an anonymised person is no one's candidate (retention removes the
     * keys too; it is not among the persons looked at) */
    snprintf(sql, sizeof sql,
             "UPDATE persons SET anonymised_at=1 WHERE pk=%lld; DELETE FROM person_dup_keys "
             "WHERE person_pk=%lld",
             (long long)b.pk[2], (long long)b.pk[2]);
    assert_int_equal(tmpdb_exec(t->db, sql), 0);
    int64_t anonymised = b.pk[2];
    b.pk[2] = b.pk[306]; /* the last in its place */
    b.n--;

    assert_true(b.n < AWDA_DUP_BULK_MIN);
    long one_by_one = app_duplicates_flag(t->app, b.pk, (size_t)b.n, "import", 0);
    assert_true(one_by_one > 0);
    char *first = pairs_text(t);
    /* the planted pairs are there */
    assert_int_equal(has_pair(t, b.pk[0], b.pk[300]), 1);    /* another script */
    assert_int_equal(has_pair(t, b.pk[3], b.pk[303]), 1);    /* a year off */
    assert_int_equal(has_pair(t, b.pk[4], b.pk[304]), 1);    /* day and month */
    assert_int_equal(has_pair(t, b.pk[5], b.pk[305]), 1);    /* the year only */
    assert_int_equal(has_pair(t, b.pk[6], b.pk[2]), 1);      /* shared passport (the last) */
    assert_int_equal(has_pair(t, b.pk[1], b.pk[301]), 0);    /* decided not_same */
    assert_int_equal(has_pair(t, anonymised, b.pk[302]), 0); /* anonymised */

    assert_int_equal(tmpdb_exec(t->db, "DELETE FROM duplicate_pairs WHERE status='open'"), 0);
    long bulk = dup_bulk_flag(t->app, b.pk, (size_t)b.n, "import", 0);
    assert_int_equal(bulk, one_by_one);
    char *second = pairs_text(t);
    assert_string_equal(first, second);
    /* through a cache of prepared words of four slots (persons take each
     * other's all the time), emptied every few dozen persons: the same */
    assert_int_equal(tmpdb_exec(t->db, "DELETE FROM duplicate_pairs WHERE status='open'"), 0);
    dup_bulk_words_cache(2 * (AWDA_DUP_SCORED_MAX + 1) * DUP_WORDS_MAX, 4);
    assert_int_equal(dup_bulk_flag(t->app, b.pk, (size_t)b.n, "import", 0), one_by_one);
    dup_bulk_words_cache(0, 0);
    char *third = pairs_text(t);
    assert_string_equal(first, third);
    free(third);
    assert_int_equal(tmpdb_int(t->db, "SELECT count(*) FROM duplicate_pairs WHERE "
                                      "status='not_same'"),
                     1);
    /* again: nothing new (a pair is flagged once) */
    assert_int_equal(dup_bulk_flag(t->app, b.pk, (size_t)b.n, "import", 0), 0);
    free(first);
    free(second);
}

/* Six registrations of the same name, date, sex and nationality: the
 * last one flagged gets AWDA_DUP_FLAG_PER_PERSON pairs, with the oldest
 * of its equals, one by one and in bulk alike. */
static void test_flags_per_person_capped(void **state)
{
    tmpapp_t *t = *state;
    batch_t b;
    b.n = 0;
    for (int i = 0; i < 6; i++)
        b.people[b.n++] =
            person("Mohamed Ali Osman", NULL, "male", "1990-01-02", "exact", "SDN", NULL);
    assert_int_equal(tmpdb_write(t->db, insert_all, &b), STORE_OK);
    for (int i = 0; i < b.n; i++)
        json_decref(b.people[i]);
    int64_t last = b.pk[5];
    assert_int_equal(app_duplicates_flag(t->app, &last, 1, "registration", 0),
                     AWDA_DUP_FLAG_PER_PERSON);
    for (int i = 0; i < AWDA_DUP_FLAG_PER_PERSON; i++)
        assert_int_equal(has_pair(t, b.pk[i], last), 1);
    char *first = pairs_text(t);
    assert_int_equal(tmpdb_exec(t->db, "DELETE FROM duplicate_pairs"), 0);
    assert_int_equal(dup_bulk_flag(t->app, &last, 1, "registration", 0), AWDA_DUP_FLAG_PER_PERSON);
    char *second = pairs_text(t);
    assert_string_equal(first, second);
    free(first);
    free(second);
}

/* dup_pairs_write sorts the pairs by the pair as stored before writing:
 * the first given of a pair is still the one kept. */
static void test_pairs_written_first_given_kept(void **state)
{
    tmpapp_t *t = *state;
    batch_t b;
    b.n = 0;
    static const char *const names[] = {"Awa Sow", "Binta Ba", "Coumba Fall", "Dieynaba Ndiaye"};
    for (int i = 0; i < 4; i++)
        b.people[b.n++] = person(names[i], NULL, "female", "1991-03-04", "exact", "SEN", NULL);
    assert_int_equal(tmpdb_write(t->db, insert_all, &b), STORE_OK);
    for (int i = 0; i < b.n; i++)
        json_decref(b.people[i]);
    dup_pair_t one[] = {{.a = b.pk[3], .b = b.pk[0], .score = 7100, .expl = "{\"n\":1}"}};
    assert_int_equal(dup_pairs_write(t->app, one, 1, "import", 0), 1);
    /* given in an order that is not the key's: later pairs first, a pair
     * twice (the other way round the second time), one already there */
    dup_pair_t pairs[] = {
        {.a = b.pk[3], .b = b.pk[2], .score = 7200, .expl = "{\"n\":2}"},
        {.a = b.pk[2], .b = b.pk[1], .score = 7300, .expl = "{\"n\":3}"},
        {.a = b.pk[0], .b = b.pk[3], .score = 9900, .expl = "{\"n\":4}"},
        {.a = b.pk[1], .b = b.pk[2], .score = 9800, .expl = "{\"n\":5}"},
        {.a = b.pk[1], .b = b.pk[0], .score = 7400, .expl = "{\"n\":6}"},
    };
    assert_int_equal(dup_pairs_write(t->app, pairs, 5, "import", 0), 3);
    char *got = pairs_text(t);
    char want[512];
    snprintf(want, sizeof want,
             "%lld %lld 7400 {\"n\":6}\n%lld %lld 7100 {\"n\":1}\n%lld %lld 7300 "
             "{\"n\":3}\n%lld %lld 7200 {\"n\":2}\n",
             (long long)b.pk[0], (long long)b.pk[1], (long long)b.pk[0], (long long)b.pk[3],
             (long long)b.pk[1], (long long)b.pk[2], (long long)b.pk[2], (long long)b.pk[3]);
    assert_string_equal(got, want);
    free(got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bulk_flags_what_one_by_one_flags, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_flags_per_person_capped, tmpapp_setup,
                                        tmpapp_teardown),
        cmocka_unit_test_setup_teardown(test_pairs_written_first_given_kept, tmpapp_setup,
                                        tmpapp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
