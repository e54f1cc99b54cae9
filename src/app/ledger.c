/*
 * ledger.c — the append-only ledger's rules (see money.h): money formats
 * and conversion, the contract the other rooms call inside their writer
 * job (find a line, commit, release), and the steps every entry takes.
 *
 * Every check and the append it allows run in one writer job: the writer
 * runs one job at a time, so two requests at the same moment see each
 * other's entries, and what a check read is still true when the entry is
 * appended. The unique indexes of migration 17 (one live disbursement per
 * tranche, one reversal per entry) hold even if a check were missed.
 */
#include "internal.h"
#include "money.h"
#include "ledger_int.h"
#include "../core/movement_care.h"
#include "../util/id.h"
#include <stdio.h>
#include <string.h>

/* ---- money -------------------------------------------------------------- */

int app_currency_digits(const char *cur)
{
    static const char *const zero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY",
                                       "KMF", "KRW", "PYG", "RWF", "UGX", "UYI",
                                       "VND", "VUV", "XAF", "XOF", "XPF"};
    static const char *const three[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    for (size_t i = 0; cur && i < sizeof zero / sizeof *zero; i++)
        if (strcmp(cur, zero[i]) == 0)
            return 0;
    for (size_t i = 0; cur && i < sizeof three / sizeof *three; i++)
        if (strcmp(cur, three[i]) == 0)
            return 3;
    return 2;
}

void app_money_format(int64_t amount, const char *cur, char *out, size_t cap)
{
    int digits = app_currency_digits(cur);
    int neg = amount < 0;
    uint64_t v = neg ? (uint64_t)0 - (uint64_t)amount : (uint64_t)amount;
    uint64_t div = 1;
    for (int i = 0; i < digits; i++)
        div *= 10;
    char major[40], grouped[56];
    snprintf(major, sizeof major, "%llu", (unsigned long long)(v / div));
    size_t n = strlen(major), j = 0;
    for (size_t i = 0; i < n && j + 2 < sizeof grouped; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[j++] = ',';
        grouped[j++] = major[i];
    }
    grouped[j] = 0;
    if (digits)
        snprintf(out, cap, "%s %s%s.%0*llu", cur ? cur : "", neg ? "-" : "", grouped, digits,
                 (unsigned long long)(v % div));
    else
        snprintf(out, cap, "%s %s%s", cur ? cur : "", neg ? "-" : "", grouped);
}

int64_t app_money_convert(int64_t amount, const char *cur, const char *line_cur, int64_t num,
                          int64_t den)
{
    if (amount < 0 || num <= 0 || den <= 0)
        return -1;
    __int128 top = (__int128)amount * den, bottom = num;
    for (int i = 0; i < app_currency_digits(line_cur); i++)
        top *= 10;
    for (int i = 0; i < app_currency_digits(cur); i++)
        bottom *= 10;
    __int128 q = (top * 2 + bottom) / (bottom * 2); /* half away from zero (positive) */
    return q > AWDA_MAX_MONEY_MINOR ? -1 : (int64_t)q;
}

/* ---- refusals ------------------------------------------------------------ */

void ledger_refuse(app_result_t *r, app_code_t code, const char *field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof r->detail];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    app_fail(r, code, "%s", msg);
    if (field) {
        json_decref(r->errors);
        r->errors = json_pack("[{s:s,s:s}]", "field", field, "message", msg);
    }
}

/* The amount in the line's currency of amount_minor in currency: a
 * different currency needs a rate (422 at field_prefix "currency"). -1
 * with r filled when refused. */
int64_t ledger_in_line_currency(const store_budget_line_row_t *line, int64_t amount,
                                const char *currency, int64_t num, int64_t den,
                                const char *field_prefix, app_result_t *r)
{
    char field[64];
    if (!currency || !awda_currency_valid(currency)) {
        snprintf(field, sizeof field, "%scurrency", field_prefix);
        ledger_refuse(r, APP_INVALID, field,
                      "%s is not an ISO 4217 currency code: write the three capital letters, "
                      "such as USD",
                      currency ? currency : "(none)");
        return -1;
    }
    if (strcmp(currency, line->currency) == 0) {
        if (num || den) {
            snprintf(field, sizeof field, "%srate", field_prefix);
            ledger_refuse(r, APP_INVALID, field,
                          "a rate is only recorded for an amount in another currency than the "
                          "budget line's (%s)",
                          line->currency);
            return -1;
        }
        return amount;
    }
    if (num <= 0 || den <= 0) {
        snprintf(field, sizeof field, "%scurrency", field_prefix);
        ledger_refuse(r, APP_INVALID, field,
                      "%s is not the currency of budget line %s (%s): record the rate it was "
                      "converted at",
                      currency, line->code, line->currency);
        return -1;
    }
    int64_t v = app_money_convert(amount, currency, line->currency, num, den);
    if (v <= 0) {
        snprintf(field, sizeof field, "%samount_minor", field_prefix);
        ledger_refuse(r, APP_INVALID, field,
                      "at this rate the amount is not a positive sum of %s within the limits",
                      line->currency);
        return -1;
    }
    return v;
}

/* ---- the contract -------------------------------------------------------- */

int64_t app_budget_line_find(store_conn_t *c, const char *id, char currency[4], app_result_t *r)
{
    store_budget_line_row_t line;
    int rc = id && awda_uuid_valid(id, strlen(id)) ? store_budget_line_find(c, id, &line)
                                                   : STORE_NOTFOUND;
    if (rc != STORE_OK) {
        app_fail(r, rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR,
                 rc == STORE_NOTFOUND ? "there is no such budget line"
                                      : "the budget line could not be read");
        return 0;
    }
    memcpy(currency, line.currency, 4);
    return line.pk;
}

int ledger_room(store_conn_t *c, const store_budget_line_row_t *line, int64_t need,
                const char *verb, app_result_t *r)
{
    int64_t committed, disbursed;
    if (store_ledger_line_totals(c, line->pk, &committed, &disbursed, NULL) != STORE_OK)
        return STORE_ERR;
    int64_t left = line->amount_minor - committed;
    if (need <= left)
        return STORE_OK;
    char asked[64], have[64];
    app_money_format(need, line->currency, asked, sizeof asked);
    app_money_format(left < 0 ? 0 : left, line->currency, have, sizeof have);
    ledger_refuse(r, APP_CONFLICT, "amount_minor", "%s %s, %s left on line %s", asked, verb, have,
                  line->code);
    return STORE_ABORT;
}

int app_ledger_commit(store_conn_t *c, const app_actor_t *a, int64_t line_pk, int64_t amount,
                      const char *currency, int64_t num, int64_t den, const app_ledger_ref_t *ref,
                      app_result_t *r)
{
    store_budget_line_row_t line;
    int rc = store_budget_line_find_pk(c, line_pk, &line);
    if (rc != STORE_OK) {
        app_fail(r, rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR,
                 "there is no such budget line");
        return rc == STORE_NOTFOUND ? STORE_ABORT : STORE_ERR;
    }
    if (amount <= 0 || amount > AWDA_MAX_MONEY_MINOR) {
        if (amount == 0)
            return STORE_OK; /* nothing to commit */
        ledger_refuse(r, APP_INVALID, "amount_minor", "the amount must be a positive sum");
        return STORE_ABORT;
    }
    int64_t v = ledger_in_line_currency(&line, amount, currency, num, den, "", r);
    if (v < 0)
        return STORE_ABORT;
    if ((rc = ledger_room(c, &line, v, "to commit", r)) != STORE_OK)
        return rc;
    int other = strcmp(currency, line.currency) != 0;
    store_ledger_entry_t e = {.line_pk = line.pk,
                              .kind = "commitment",
                              .amount_minor = v,
                              .paid_minor = other ? amount : 0,
                              .paid_currency = other ? currency : NULL,
                              .rate_num = other ? num : 0,
                              .rate_den = other ? den : 0,
                              .created_by_pk = a ? a->p.pk : 0};
    if (ref)
        e.ref = *ref;
    return store_ledger_append(c, &e, NULL, NULL);
}

int app_ledger_release(store_conn_t *c, const app_actor_t *a, const app_ledger_ref_t *ref,
                       const char *reason, app_result_t *r)
{
    int64_t lines[AWDA_MAX_REF_LINES];
    int n = 0;
    if (store_ledger_ref_lines(c, ref, lines, AWDA_MAX_REF_LINES, &n) != STORE_OK) {
        app_fail(r, APP_ERROR, "the ledger could not be read");
        return STORE_ERR;
    }
    for (int i = 0; i < n; i++) {
        int64_t committed, disbursed;
        if (store_ledger_ref_sums(c, lines[i], ref, &committed, &disbursed) != STORE_OK)
            return STORE_ERR;
        if (committed - disbursed <= 0)
            continue;
        store_ledger_entry_t e = {.line_pk = lines[i],
                                  .kind = "release",
                                  .amount_minor = committed - disbursed,
                                  .ref = *ref,
                                  .reason = reason,
                                  .created_by_pk = a ? a->p.pk : 0};
        int rc = store_ledger_append(c, &e, NULL, NULL);
        if (rc != STORE_OK)
            return rc;
    }
    return STORE_OK;
}
