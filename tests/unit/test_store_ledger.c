/*
 * test_store_ledger.c — the append-only ledger in the store
 * (store/ledger.h) and the contract of the application layer over it
 * (app/money.h: app_ledger_commit, app_ledger_release, money formats).
 *
 *   - every append moves budget_line_totals by its effect in the same
 *     transaction: commitments and releases the committed total,
 *     disbursements the disbursed total, a reversal takes back the entry
 *     it reverses; a job that fails after appending leaves neither;
 *   - the sums of one reference (item, case) and the lines it is on;
 *   - a tranche: attempts and live payments, a reversed payment not live;
 *     the unique index refuses a second live attempt 1 of a tranche;
 *   - an entry is reversed at most once (the unique reverses_pk);
 *   - the triggers refuse UPDATE and DELETE of the ledger;
 *   - the reconciliation names a line whose totals were altered;
 *   - app_ledger_commit: within the line, refused past it with the
 *     numbers; another currency only with a rate, converted to the cent;
 *     app_ledger_release gives back what is committed and not paid;
 *   - money formats: digits by currency, thousands, rounding of rates.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpdb.h"
#include "../../src/app/money.h"
#include "../../src/store/ledger.h"

#define LINE_ID "01930000-0000-7000-8000-0000000b0001"

typedef struct {
    tmpdb_t *t;
    tmpdb_household_t h;
    int64_t line_pk;
} fx_t;

static int setup(void **state)
{
    tmpdb_setup(state);
    fx_t *f = calloc(1, sizeof *f);
    f->t = *state;
    tmpdb_office(f->t, "ML-BKO", "MLI");
    static const char *const NAMES[] = {"Awa Keita"};
    tmpdb_household(f->t, "ML-BKO", NAMES, 1, &f->h);
    assert_int_equal(
        tmpdb_exec(f->t, "INSERT INTO projects(id,code,name,donor,currency,starts_on,ends_on,"
                         "version,created_at,updated_at) VALUES('p1','ML-PSS','Mali PSS','D',"
                         "'USD','2026-01-01','2027-12-31',1,0,0);"
                         "INSERT INTO budget_lines(id,project_pk,code,name,amount_minor,version,"
                         "created_at,updated_at) VALUES('" LINE_ID "',1,'2.1','PSS',100000,1,0,0);"
                         "INSERT INTO plans(id,kind,title,office_pk,status,version,created_at,"
                         "updated_at) VALUES('pl1','individual','P',1,'approved',1,0,0);"
                         "INSERT INTO plan_items(id,plan_pk,type,budget_minor,currency,modality,"
                         "delivery,budget_line_pk,status,version,created_at,updated_at) VALUES"
                         "('it1',1,'housing',30000,'USD','cash','direct',1,'approved',1,0,0)"),
        SQLITE_OK);
    f->line_pk = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;
    *state = f->t;
    free(f);
    return tmpdb_teardown(state);
}

/* ---- jobs ---- */

typedef struct {
    store_ledger_entry_t e;
    int64_t pk;
    int rc;
    int fail_after; /* the job fails after appending */
    /* the contract */
    int commit;
    int64_t amount, num, den;
    const char *currency;
    app_result_t r;
} job_t;

static int append_job(store_conn_t *c, void *p)
{
    job_t *j = p;
    if (j->commit)
        j->rc =
            app_ledger_commit(c, NULL, 1, j->amount, j->currency, j->num, j->den, &j->e.ref, &j->r);
    else if (j->commit == 0 && j->e.kind)
        j->rc = store_ledger_append(c, &j->e, NULL, &j->pk);
    else
        j->rc = app_ledger_release(c, NULL, &j->e.ref, "closed", &j->r);
    return j->fail_after ? STORE_ABORT : j->rc;
}

static int64_t append(fx_t *f, const char *kind, int64_t amount, int64_t item, int64_t reverses,
                      int64_t tranche, int64_t attempt, int expect)
{
    job_t j = {.e = {.line_pk = f->line_pk,
                     .kind = kind,
                     .amount_minor = amount,
                     .ref = {.plan_item_pk = item, .case_pk = item ? 0 : f->h.pk},
                     .reverses_pk = reverses,
                     .tranche = tranche,
                     .attempt = attempt}};
    tmpdb_write(f->t, append_job, &j);
    assert_int_equal(j.rc, expect);
    return j.pk;
}

static void totals(fx_t *f, int64_t committed, int64_t disbursed, int64_t entries)
{
    int64_t c, d, n;
    assert_int_equal(store_ledger_line_totals(tmpdb_reader(f->t), f->line_pk, &c, &d, &n),
                     STORE_OK);
    assert_int_equal(c, committed);
    assert_int_equal(d, disbursed);
    assert_int_equal(n, entries);
}

/* ---- tests ---- */

static void test_totals_follow_every_append(void **state)
{
    fx_t *f = *state;
    totals(f, 0, 0, 0);
    int64_t com = append(f, "commitment", 30000, 1, 0, 0, 0, STORE_OK);
    totals(f, 30000, 0, 1);
    int64_t pay = append(f, "disbursement", 10000, 1, 0, 1, 1, STORE_OK);
    totals(f, 30000, 10000, 2);
    append(f, "release", 5000, 1, 0, 0, 0, STORE_OK);
    totals(f, 25000, 10000, 3);
    append(f, "reversal", 10000, 1, pay, 1, 0, STORE_OK);
    totals(f, 25000, 0, 4);
    /* a reversal is unique per entry */
    append(f, "reversal", 10000, 1, pay, 1, 0, STORE_CONFLICT);
    totals(f, 25000, 0, 4);
    append(f, "reversal", 30000, 1, com, 0, 0, STORE_OK);
    totals(f, -5000, 0, 5);

    /* a job that fails after appending leaves neither the entry nor the totals */
    job_t j = {.e = {.line_pk = f->line_pk,
                     .kind = "disbursement",
                     .amount_minor = 7,
                     .ref = {.case_pk = f->h.pk}},
               .fail_after = 1};
    tmpdb_write(f->t, append_job, &j);
    totals(f, -5000, 0, 5);
    assert_int_equal(tmpdb_int(f->t, "SELECT count(*) FROM ledger"), 5);

    long long lines;
    json_t *bad = store_ledger_verify(tmpdb_reader(f->t), &lines);
    assert_int_equal(lines, 1);
    assert_int_equal(json_array_size(bad), 0);
    json_decref(bad);
}

static void test_ref_sums_and_tranches(void **state)
{
    fx_t *f = *state;
    append(f, "commitment", 30000, 1, 0, 0, 0, STORE_OK);
    int64_t p1 = append(f, "disbursement", 10000, 1, 0, 1, 1, STORE_OK);
    append(f, "commitment", 500, 0, 0, 0, 0, STORE_OK); /* the case's own */
    store_ledger_ref_t item = {.plan_item_pk = 1}, caze = {.case_pk = f->h.pk};
    int64_t c, d;
    assert_int_equal(store_ledger_ref_sums(tmpdb_reader(f->t), f->line_pk, &item, &c, &d),
                     STORE_OK);
    assert_int_equal(c, 30000);
    assert_int_equal(d, 10000);
    assert_int_equal(store_ledger_ref_sums(tmpdb_reader(f->t), f->line_pk, &caze, &c, &d),
                     STORE_OK);
    assert_int_equal(c, 500);
    assert_int_equal(d, 0);
    int64_t lines[4];
    int n;
    assert_int_equal(store_ledger_ref_lines(tmpdb_reader(f->t), &item, lines, 4, &n), STORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(lines[0], f->line_pk);

    int64_t attempts, live;
    assert_int_equal(store_ledger_tranche(tmpdb_reader(f->t), &item, 1, &attempts, &live),
                     STORE_OK);
    assert_int_equal(attempts, 1);
    assert_int_equal(live, 1);
    /* the index refuses a second attempt 1 of the same tranche */
    append(f, "disbursement", 10000, 1, 0, 1, 1, STORE_CONFLICT);
    append(f, "reversal", 10000, 1, p1, 1, 0, STORE_OK);
    assert_int_equal(store_ledger_tranche(tmpdb_reader(f->t), &item, 1, &attempts, &live),
                     STORE_OK);
    assert_int_equal(attempts, 1);
    assert_int_equal(live, 0);
    append(f, "disbursement", 10000, 1, 0, 1, 2, STORE_OK);
    assert_int_equal(store_ledger_tranche(tmpdb_reader(f->t), &item, 1, &attempts, &live),
                     STORE_OK);
    assert_int_equal(attempts, 2);
    assert_int_equal(live, 1);
}

static void test_append_only_and_verify(void **state)
{
    fx_t *f = *state;
    append(f, "commitment", 1234, 0, 0, 0, 0, STORE_OK);
    assert_int_not_equal(tmpdb_exec(f->t, "UPDATE ledger SET amount_minor=1"), SQLITE_OK);
    assert_int_not_equal(tmpdb_exec(f->t, "DELETE FROM ledger"), SQLITE_OK);
    assert_int_equal(tmpdb_exec(f->t, "UPDATE budget_line_totals SET committed_minor=1"),
                     SQLITE_OK);
    long long lines;
    json_t *bad = store_ledger_verify(tmpdb_reader(f->t), &lines);
    assert_int_equal(json_array_size(bad), 1);
    json_t *m = json_array_get(bad, 0);
    assert_string_equal(json_string_value(json_object_get(m, "code")), "2.1");
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(m, "kept"), "committed_minor")), 1);
    assert_int_equal(
        json_integer_value(json_object_get(json_object_get(m, "ledger"), "committed_minor")), 1234);
    json_decref(bad);
}

static void commit(fx_t *f, int64_t amount, const char *cur, int64_t num, int64_t den, int item,
                   int expect, const char *detail)
{
    job_t j = {.commit = 1,
               .amount = amount,
               .currency = cur,
               .num = num,
               .den = den,
               .e = {.ref = {.plan_item_pk = item}}};
    tmpdb_write(f->t, append_job, &j);
    assert_int_equal(j.rc, expect);
    if (detail)
        assert_string_equal(j.r.detail, detail);
    app_result_free(&j.r);
}

static void test_contract_commit_and_release(void **state)
{
    fx_t *f = *state;
    commit(f, 30000, "USD", 0, 0, 1, STORE_OK, NULL);
    commit(f, 70001, "USD", 0, 0, 0, STORE_ABORT,
           "USD 700.01 to commit, USD 700.00 left on line 2.1");
    commit(f, 100, "EUR", 0, 0, 0, STORE_ABORT, NULL); /* no rate */
    /* 1 USD = 600.5 XOF: 60,050 XOF is USD 100.00 */
    commit(f, 60050, "XOF", 6005, 10, 0, STORE_OK, NULL);
    totals(f, 40000, 0, 2);
    assert_int_equal(tmpdb_int(f->t, "SELECT paid_minor FROM ledger WHERE paid_currency='XOF'"),
                     60050);
    append(f, "disbursement", 12345, 1, 0, 1, 1, STORE_OK);
    job_t j = {.commit = 0, .e = {.ref = {.plan_item_pk = 1}}};
    j.e.kind = NULL;
    tmpdb_write(f->t, append_job, &j);
    assert_int_equal(j.rc, STORE_OK);
    app_result_free(&j.r);
    /* 300.00 committed, 123.45 paid: 176.55 released */
    totals(f, 40000 - 17655, 12345, 4);
    assert_int_equal(tmpdb_int(f->t, "SELECT amount_minor FROM ledger WHERE kind='release'"),
                     17655);
    /* releasing again releases nothing */
    job_t k = {.commit = 0, .e = {.ref = {.plan_item_pk = 1}}};
    tmpdb_write(f->t, append_job, &k);
    app_result_free(&k.r);
    totals(f, 40000 - 17655, 12345, 4);
}

static void test_money_format_and_convert(void **state)
{
    (void)state;
    char b[64];
    app_money_format(120000, "USD", b, sizeof b);
    assert_string_equal(b, "USD 1,200.00");
    app_money_format(28000000, "USD", b, sizeof b);
    assert_string_equal(b, "USD 280,000.00");
    app_money_format(5, "USD", b, sizeof b);
    assert_string_equal(b, "USD 0.05");
    app_money_format(1234567, "XOF", b, sizeof b);
    assert_string_equal(b, "XOF 1,234,567");
    app_money_format(1500, "TND", b, sizeof b);
    assert_string_equal(b, "TND 1.500");
    app_money_format(-250, "EUR", b, sizeof b);
    assert_string_equal(b, "EUR -2.50");
    /* 1 EUR = 655.957 XOF: 655,957 XOF are EUR 1,000.00 */
    assert_int_equal(app_money_convert(655957, "XOF", "EUR", 655957, 1000), 100000);
    /* half a cent rounds up, less rounds down */
    assert_int_equal(app_money_convert(3, "XOF", "USD", 600, 1), 1); /* 0.5 cent */
    assert_int_equal(app_money_convert(2, "XOF", "USD", 600, 1), 0); /* 0.33 cent */
    assert_int_equal(app_money_convert(100, "USD", "XOF", 1, 600), 600);
    assert_int_equal(app_money_convert(1, "USD", "USD", 0, 1), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_totals_follow_every_append, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_sums_and_tranches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_append_only_and_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_contract_commit_and_release, setup, teardown),
        cmocka_unit_test(test_money_format_and_convert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
