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
        if (currency)
            refuse(r, APP_INVALID, field,
                   "%s is not an ISO 4217 currency code: write the three capital letters, "
                   "such as USD",
                   currency);
        else
            refuse(r, APP_INVALID, field, "say in which currency (ISO 4217, such as USD)");
        return -1;
    }
    if (strcmp(currency, line->currency) == 0) {
        if (num || den) {
            snprintf(field, sizeof field, "%srate", field_prefix);
            refuse(r, APP_INVALID, field,
                   "a rate is only recorded for an amount in another currency than the "
                   "budget line's (%s)",
                   line->currency);
            return -1;
        }
        return amount;
    }
    if (num <= 0 || den <= 0) {
        snprintf(field, sizeof field, "%scurrency", field_prefix);
        refuse(r, APP_INVALID, field,
               "%s is not the currency of budget line %s (%s): record the rate it was "
               "converted at",
               currency, line->code, line->currency);
        return -1;
    }
    int64_t v = app_money_convert(amount, currency, line->currency, num, den);
    if (v <= 0) {
        snprintf(field, sizeof field, "%samount_minor", field_prefix);
        refuse(r, APP_INVALID, field,
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
                ledger_room_t why, app_result_t *r)
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
    if (why == ROOM_ASKED)
        refuse(r, APP_CONFLICT, "amount_minor", "%s asked, %s left on line %s", asked, have,
               line->code);
    else if (why == ROOM_COMMIT)
        refuse(r, APP_CONFLICT, "amount_minor", "%s to commit, %s left on line %s", asked, have,
               line->code);
    else
        refuse(r, APP_CONFLICT, "amount_minor", "%s to commit again, %s left on line %s", asked,
               have, line->code);
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
        refuse(r, APP_INVALID, "amount_minor", "the amount must be a positive sum");
        return STORE_ABORT;
    }
    int64_t v = ledger_in_line_currency(&line, amount, currency, num, den, "", r);
    if (v < 0)
        return STORE_ABORT;
    if ((rc = ledger_room(c, &line, v, ROOM_COMMIT, r)) != STORE_OK)
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

int app_ledger_allowance(store_conn_t *c, const app_actor_t *a, int64_t movement_pk,
                         int64_t person_pk, int64_t amount, const char *currency,
                         const char *budget_line, app_result_t *r)
{
    app_ledger_ref_t ref = {.movement_pk = movement_pk, .person_pk = person_pk};
    int rc = app_ledger_release(c, a, &ref, "travel allowance recorded again", r);
    if (rc != STORE_OK)
        return rc;
    store_budget_line_row_t line;
    if (!budget_line || !awda_uuid_valid(budget_line, strlen(budget_line)) ||
        store_budget_line_find(c, budget_line, &line) != STORE_OK || !currency ||
        strcmp(currency, line.currency) != 0 || amount <= 0)
        return STORE_OK;
    int64_t committed, disbursed;
    if (store_ledger_ref_sums(c, line.pk, &ref, &committed, &disbursed) != STORE_OK)
        return STORE_ERR;
    /* what is paid already stays committed: commit the rest */
    int64_t need = amount - (committed > disbursed ? committed : disbursed);
    return need > 0 ? app_ledger_commit(c, a, line.pk, need, currency, 0, 0, &ref, r) : STORE_OK;
}

/* ---- what a disbursement looks like ---------------------------------------- */

#define FLD(n_, t_, f_, lo_, hi_, v_, s_, w_)                                                      \
    {                                                                                              \
        .name = n_, .type = t_, .flags = f_, .min = lo_, .max = hi_, .values = v_, .sub = s_,      \
        .sens = SENS_FINANCIAL, .label = "ledger." n_, .words = w_                                 \
    }

static const awda_field_t RATE_FIELDS[] = {
    FLD("num", FT_INT, F_REQUIRED, 1, AWDA_MAX_RATE_TERM, NULL, NULL,
        "the rate's numerator (units of the currency paid)"),
    FLD("den", FT_INT, F_REQUIRED, 1, AWDA_MAX_RATE_TERM, NULL, NULL,
        "the rate's denominator (units of the budget line's currency)"),
};
static const awda_entity_t RATE = {"rate", "The rate", RATE_FIELDS, 2, NULL};

static const char *const METHODS[] = {"cash",    "mobile_money",     "bank_transfer",
                                      "voucher", "in_kind_purchase", NULL};

static const awda_field_t DISBURSEMENT_FIELDS[] = {
    FLD("amount_minor", FT_INT, F_REQUIRED, 1, AWDA_MAX_MONEY_MINOR, NULL, NULL,
        "the amount (a whole number of the currency's minor units)"),
    FLD("currency", FT_STRING, F_REQUIRED, 3, 3, NULL, NULL, "the currency (ISO 4217)"),
    FLD("rate", FT_OBJECT, F_NULLABLE, 0, 0, NULL, &RATE, "the rate"),
    FLD("method", FT_ENUM, F_REQUIRED, 0, 0, METHODS, NULL, "the way it was paid"),
    FLD("proof_reference", FT_STRING, F_REQUIRED, 1, AWDA_MAX_SHORT, NULL, NULL,
        "the proof of payment (receipt, transfer or voucher number)"),
    FLD("recipient", FT_STRING, F_REQUIRED, 1, AWDA_MAX_NAME, NULL, NULL,
        "who was paid (the returnee, or the supplier)"),
    FLD("paid_on", FT_DATE, F_REQUIRED, 0, 0, NULL, NULL, "the date it was paid"),
    FLD("tranche", FT_INT, F_NULLABLE, 1, AWDA_MAX_TRANCHE, NULL, NULL, "the tranche"),
    FLD("plan_item", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the plan item"),
    FLD("activity", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the activity"),
    FLD("movement", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the movement"),
    FLD("case", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the case"),
    FLD("person", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the person"),
};
static const awda_entity_t DISBURSEMENT = {"disbursement", "The disbursement", DISBURSEMENT_FIELDS,
                                           sizeof DISBURSEMENT_FIELDS / sizeof *DISBURSEMENT_FIELDS,
                                           NULL};

static const awda_field_t REVERSAL_FIELDS[] = {
    FLD("reason", FT_TEXT, F_REQUIRED, 1, AWDA_MAX_REASON, NULL, NULL, "the reason"),
};
static const awda_entity_t REVERSAL = {"reversal", "The reversal", REVERSAL_FIELDS, 1, NULL};

static int valid(const awda_entity_t *e, const json_t *body, const char *title, app_result_t *r)
{
    json_t *errors = json_array();
    if (awda_validate(e, body, "", errors) > 0) {
        app_invalid(r, errors, title);
        return 0;
    }
    json_decref(errors);
    return 1;
}

static const char *jstr(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

static int64_t jint(const json_t *o, const char *k)
{
    return (int64_t)json_integer_value(json_object_get(o, k));
}

/* ---- disbursements ------------------------------------------------------- */

typedef struct {
    const app_actor_t *a;
    const char *id;
    const json_t *body;
} ledger_ctx_t;

static int answer_entry(store_conn_t *c, int64_t pk, const char *id, app_result_t *r)
{
    r->body = store_ledger_get(c, pk);
    if (!r->body)
        return STORE_ERR;
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/ledger/%s",
             id ? id : json_string_value(json_object_get(r->body, "id")));
    return STORE_OK;
}

/* 422 at field: what the body names is not there, or out of the
 * actor's reach (not told apart: another office's is not revealed). */
static int not_found(app_result_t *r, const char *field, const char *what)
{
    if (strcmp(what, "plan item") == 0)
        refuse(r, APP_INVALID, field, "there is no such plan item, or it is not yours to see");
    else if (strcmp(what, "allowance") == 0)
        refuse(r, APP_INVALID, field,
               "no travel allowance is recorded for this passenger of this movement, or it is "
               "not yours to see");
    else if (strcmp(what, "activity") == 0)
        refuse(r, APP_INVALID, field, "there is no such activity, or it is not yours to see");
    else if (strcmp(what, "member") == 0)
        refuse(r, APP_INVALID, field, "this person is not a member of this case");
    else
        refuse(r, APP_INVALID, field, "there is no such case, or it is not yours to see");
    return STORE_ABORT;
}

static int in_reach(const app_actor_t *a, int64_t office_pk, int64_t receiving_pk)
{
    return a->system || app_all_offices(a) || app_in_office(a, office_pk) ||
           (receiving_pk && app_in_office(a, receiving_pk));
}

/* What the body names, resolved into e->ref (and the limit of an item or
 * allowance into *cap, in its own currency cap_cur; -1 when none). */
static int resolve(store_conn_t *c, const app_actor_t *a, const store_budget_line_row_t *line,
                   const json_t *b, store_ledger_entry_t *e, int64_t *cap, char cap_cur[4],
                   app_result_t *r)
{
    *cap = -1;
    const char *item_id = jstr(b, "plan_item"), *mv = jstr(b, "movement");
    const char *case_id = jstr(b, "case"), *person_id = jstr(b, "person");
    const char *act = jstr(b, "activity");
    if ((item_id != NULL) + (mv != NULL) + (act != NULL) > 1) {
        refuse(r, APP_INVALID, "plan_item",
               "a payment is for one plan item, one activity or one travel allowance");
        return STORE_ABORT;
    }
    if (item_id) {
        store_ledger_item_t it;
        int rc = store_ledger_item(c, item_id, &it);
        if (rc == STORE_ERR)
            return rc;
        if (rc != STORE_OK || !in_reach(a, it.office_pk, 0))
            return not_found(r, "plan_item", "plan item");
        if (it.line_pk != line->pk) {
            refuse(r, APP_CONFLICT, "plan_item", "this plan item is not charged to budget line %s",
                   line->code);
            return STORE_ABORT;
        }
        if (strcmp(it.status, "approved") != 0 && strcmp(it.status, "in_progress") != 0) {
            refuse(r, APP_CONFLICT, "plan_item",
                   "the plan item is %s: only an approved item or one in progress is paid",
                   it.status);
            return STORE_ABORT;
        }
        if (!jint(b, "tranche")) {
            refuse(r, APP_INVALID, "tranche", "say which tranche of the item this pays");
            return STORE_ABORT;
        }
        e->ref.plan_item_pk = it.pk;
        e->ref.case_pk = it.case_pk;
        e->ref.person_pk = it.person_pk;
        e->tranche = jint(b, "tranche");
    } else if (mv) {
        store_ledger_allowance_t al;
        int rc = person_id ? store_ledger_allowance(c, mv, person_id, &al) : STORE_NOTFOUND;
        if (rc == STORE_ERR)
            return rc;
        if (rc != STORE_OK || !in_reach(a, al.office_pk, al.receiving_pk))
            return not_found(r, "person", "allowance");
        if (al.budget_line[0] && strcmp(al.budget_line, line->id) != 0 &&
            strcmp(al.budget_line, line->code) != 0) {
            refuse(r, APP_CONFLICT, "movement",
                   "the travel allowance is charged to budget line %s, not %s", al.budget_line,
                   line->code);
            return STORE_ABORT;
        }
        e->ref.movement_pk = al.movement_pk;
        e->ref.person_pk = al.person_pk;
        e->tranche = 1;
        *cap = al.amount_minor;
        memcpy(cap_cur, al.currency, 4);
    } else if (act) {
        int64_t office = 0;
        e->ref.activity_pk = store_ledger_activity(c, act, &office);
        if (!e->ref.activity_pk || !in_reach(a, office, 0))
            return not_found(r, "activity", "activity");
    }
    if (case_id && !item_id) {
        int64_t case_pk, office, version;
        app_result_t tmp = {0};
        if (!app_find_case(c, a, case_id, &case_pk, &office, &version, &tmp)) {
            app_result_free(&tmp);
            return not_found(r, "case", "case");
        }
        e->ref.case_pk = case_pk;
        if (person_id && !mv) {
            e->ref.person_pk = store_ledger_case_person(c, case_pk, person_id);
            if (!e->ref.person_pk)
                return not_found(r, "person", "member");
        }
    } else if (person_id && !mv && !item_id) {
        refuse(r, APP_INVALID, "case", "name the case of the person paid");
        return STORE_ABORT;
    }
    return STORE_OK;
}

/* The tranche is not paid yet (a reversed payment does not count): the
 * attempt number of this payment into e->attempt. */
static int tranche_free(store_conn_t *c, store_ledger_entry_t *e, app_result_t *r)
{
    if (!e->ref.plan_item_pk && !e->ref.movement_pk)
        return STORE_OK;
    int64_t attempts, live;
    if (store_ledger_tranche(c, &e->ref, e->tranche, &attempts, &live) != STORE_OK)
        return STORE_ERR;
    if (live > 0) {
        if (e->ref.plan_item_pk)
            refuse(r, APP_CONFLICT, "tranche",
                   "tranche %lld of this plan item is paid already; reverse that payment "
                   "first if it was wrong",
                   (long long)e->tranche);
        else
            refuse(r, APP_CONFLICT, "person",
                   "this travel allowance is paid already; reverse that payment first if "
                   "it was wrong");
        return STORE_ABORT;
    }
    e->attempt = attempts + 1;
    return STORE_OK;
}

static int disburse_job(store_conn_t *c, void *p, app_result_t *r)
{
    ledger_ctx_t *x = p;
    const json_t *b = x->body;
    store_budget_line_row_t line;
    int rc = awda_uuid_valid(x->id, strlen(x->id)) ? store_budget_line_find(c, x->id, &line)
                                                   : STORE_NOTFOUND;
    if (rc != STORE_OK) {
        app_fail(r, rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR,
                 "there is no such budget line");
        return rc == STORE_NOTFOUND ? STORE_ABORT : rc;
    }
    store_ledger_entry_t e = {.line_pk = line.pk, .kind = "disbursement"};
    int64_t cap;
    char cap_cur[4] = "";
    if ((rc = resolve(c, x->a, &line, b, &e, &cap, cap_cur, r)) != STORE_OK)
        return rc;
    const char *cur = jstr(b, "currency");
    const json_t *rate = json_object_get(b, "rate");
    int64_t num = jint(rate, "num"), den = jint(rate, "den"), paid = jint(b, "amount_minor");
    int64_t v = ledger_in_line_currency(&line, paid, cur, num, den, "", r);
    if (v < 0)
        return STORE_ABORT;
    if (cap >= 0 && strcmp(cap_cur, cur) != 0) {
        refuse(r, APP_INVALID, "currency", "the travel allowance was recorded in %s: pay it in %s",
               cap_cur, cap_cur);
        return STORE_ABORT;
    }
    if (cap >= 0 && paid > cap) {
        char asked[64], have[64];
        app_money_format(paid, cur, asked, sizeof asked);
        app_money_format(cap, cur, have, sizeof have);
        refuse(r, APP_CONFLICT, "amount_minor", "%s asked, the travel allowance is %s", asked,
               have);
        return STORE_ABORT;
    }
    if ((rc = tranche_free(c, &e, r)) != STORE_OK)
        return rc;
    int64_t committed, disbursed;
    if (store_ledger_ref_sums(c, line.pk, &e.ref, &committed, &disbursed) != STORE_OK)
        return STORE_ERR;
    int64_t open = committed - disbursed;
    if (open < 0)
        open = 0;
    if (v > open) {
        if (e.ref.plan_item_pk) {
            char asked[64], have[64];
            app_money_format(v, line.currency, asked, sizeof asked);
            app_money_format(open, line.currency, have, sizeof have);
            refuse(r, APP_CONFLICT, "amount_minor",
                   "%s asked, %s left of the approved amount of this plan item", asked, have);
            return STORE_ABORT;
        }
        /* a payment without a commitment behind it commits the rest first */
        if ((rc = ledger_room(c, &line, v - open, ROOM_ASKED, r)) != STORE_OK)
            return rc;
        store_ledger_entry_t k = {.line_pk = line.pk,
                                  .kind = "commitment",
                                  .amount_minor = v - open,
                                  .ref = e.ref,
                                  .created_by_pk = x->a->p.pk};
        if ((rc = store_ledger_append(c, &k, NULL, NULL)) != STORE_OK)
            return rc;
    }
    int other = strcmp(cur, line.currency) != 0;
    e.amount_minor = v;
    e.paid_minor = other ? paid : 0;
    e.paid_currency = other ? cur : NULL;
    e.rate_num = other ? num : 0;
    e.rate_den = other ? den : 0;
    e.method = jstr(b, "method");
    e.proof_reference = jstr(b, "proof_reference");
    e.recipient = jstr(b, "recipient");
    e.paid_on = jstr(b, "paid_on");
    e.paid_by_pk = e.created_by_pk = x->a->p.pk;
    char id[37];
    int64_t pk;
    rc = store_ledger_append(c, &e, id, &pk);
    if (rc == STORE_CONFLICT) {
        refuse(r, APP_CONFLICT, "tranche", "this tranche is paid already");
        return STORE_ABORT;
    }
    return rc != STORE_OK ? rc : answer_entry(c, pk, id, r);
}

void app_disburse(app_t *app, const app_actor_t *a, const char *line_id, const json_t *body,
                  const char *idem_key, const char *request_hash, app_result_t *r)
{
    if (!valid(&DISBURSEMENT, body, "The payment is not valid", r))
        return;
    ledger_ctx_t x = {a, line_id, body};
    app_run_idempotent(app, a, idem_key, request_hash, disburse_job, &x, r);
}

int app_disburse_async(app_t *app, const app_actor_t *a, const char *line_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r,
                       void (*done)(void *arg), void *arg)
{
    if (!valid(&DISBURSEMENT, body, "The payment is not valid", r))
        return -1;
    ledger_ctx_t x = {a, line_id, body};
    return app_run_idempotent_async(app, a, idem_key, request_hash, disburse_job, &x, sizeof x,
                                    NULL, r, done, arg);
}

/* ---- commitments recorded by hand ------------------------------------------- */

static const awda_field_t COMMITMENT_FIELDS[] = {
    FLD("amount_minor", FT_INT, F_REQUIRED, 1, AWDA_MAX_MONEY_MINOR, NULL, NULL,
        "the amount (a whole number of the currency's minor units)"),
    FLD("currency", FT_STRING, F_REQUIRED, 3, 3, NULL, NULL, "the currency (ISO 4217)"),
    FLD("rate", FT_OBJECT, F_NULLABLE, 0, 0, NULL, &RATE, "the rate"),
    FLD("reason", FT_TEXT, F_NULLABLE, 1, AWDA_MAX_REASON, NULL, NULL, "the reason"),
    FLD("plan_item", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the plan item"),
    FLD("activity", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the activity"),
    FLD("case", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the case"),
    FLD("person", FT_UUID, F_NULLABLE, 0, 0, NULL, NULL, "the person"),
};
static const awda_entity_t COMMITMENT = {"commitment", "The commitment", COMMITMENT_FIELDS,
                                         sizeof COMMITMENT_FIELDS / sizeof *COMMITMENT_FIELDS,
                                         NULL};

static int commit_job(store_conn_t *c, void *p, app_result_t *r)
{
    ledger_ctx_t *x = p;
    const json_t *b = x->body;
    store_budget_line_row_t line;
    int rc = awda_uuid_valid(x->id, strlen(x->id)) ? store_budget_line_find(c, x->id, &line)
                                                   : STORE_NOTFOUND;
    if (rc != STORE_OK) {
        app_fail(r, rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR,
                 "there is no such budget line");
        return rc == STORE_NOTFOUND ? STORE_ABORT : rc;
    }
    const char *item_id = jstr(b, "plan_item");
    store_ledger_entry_t e = {.line_pk = line.pk};
    if (item_id) {
        store_ledger_item_t it;
        rc = store_ledger_item(c, item_id, &it);
        if (rc == STORE_ERR)
            return rc;
        if (rc != STORE_OK || !in_reach(x->a, it.office_pk, 0))
            return not_found(r, "plan_item", "plan item");
        if (it.line_pk != line.pk) {
            refuse(r, APP_CONFLICT, "plan_item", "this plan item is not charged to budget line %s",
                   line.code);
            return STORE_ABORT;
        }
        e.ref.plan_item_pk = it.pk;
        e.ref.case_pk = it.case_pk;
        e.ref.person_pk = it.person_pk;
    } else {
        int64_t cap;
        char cap_cur[4];
        if ((rc = resolve(c, x->a, &line, b, &e, &cap, cap_cur, r)) != STORE_OK)
            return rc;
    }
    const json_t *rate = json_object_get(b, "rate");
    rc = app_ledger_commit(c, x->a, line.pk, jint(b, "amount_minor"), jstr(b, "currency"),
                           jint(rate, "num"), jint(rate, "den"), &e.ref, r);
    if (rc != STORE_OK)
        return rc;
    int64_t pk = store_ledger_last_pk(c);
    return pk ? answer_entry(c, pk, NULL, r) : STORE_ERR;
}

void app_ledger_commit_by_hand(app_t *app, const app_actor_t *a, const char *line_id,
                               const json_t *body, app_result_t *r)
{
    if (!valid(&COMMITMENT, body, "The commitment is not valid", r))
        return;
    ledger_ctx_t x = {a, line_id, body};
    app_run(app, commit_job, &x, r);
}

/* ---- reversals ------------------------------------------------------------- */

static int reverse_job(store_conn_t *c, void *p, app_result_t *r)
{
    ledger_ctx_t *x = p;
    store_ledger_entry_t o;
    int64_t pk;
    int reversed;
    int rc = awda_uuid_valid(x->id, strlen(x->id)) ? store_ledger_find(c, x->id, &o, &pk, &reversed)
                                                   : STORE_NOTFOUND;
    if (rc != STORE_OK) {
        app_fail(r, rc == STORE_NOTFOUND ? APP_NOT_FOUND : APP_ERROR,
                 "there is no such ledger entry");
        return rc == STORE_NOTFOUND ? STORE_ABORT : rc;
    }
    if (strcmp(o.kind, "reversal") == 0) {
        app_fail(r, APP_CONFLICT, "a reversal is not reversed: record the entry again instead");
        return STORE_ABORT;
    }
    if (reversed) {
        app_fail(r, APP_CONFLICT, "this entry is reversed already");
        return STORE_ABORT;
    }
    store_budget_line_row_t line;
    if (store_budget_line_find_pk(c, o.line_pk, &line) != STORE_OK)
        return STORE_ERR;
    int64_t committed, disbursed;
    if (store_ledger_ref_sums(c, line.pk, &o.ref, &committed, &disbursed) != STORE_OK)
        return STORE_ERR;
    if (strcmp(o.kind, "commitment") == 0 && committed - o.amount_minor < disbursed) {
        char amt[64], paid[64];
        app_money_format(o.amount_minor, line.currency, amt, sizeof amt);
        app_money_format(disbursed, line.currency, paid, sizeof paid);
        app_fail(r, APP_CONFLICT,
                 "%s cannot be taken back: %s is paid against it; reverse the payments first", amt,
                 paid);
        return STORE_ABORT;
    }
    if (strcmp(o.kind, "release") == 0 &&
        (rc = ledger_room(c, &line, o.amount_minor, ROOM_RECOMMIT, r)) != STORE_OK)
        return rc;
    store_ledger_entry_t e = {.line_pk = line.pk,
                              .kind = "reversal",
                              .amount_minor = o.amount_minor,
                              .ref = o.ref,
                              .tranche = o.tranche,
                              .reverses_pk = pk,
                              .reason = jstr(x->body, "reason"),
                              .created_by_pk = x->a->p.pk};
    char id[37];
    int64_t rpk;
    rc = store_ledger_append(c, &e, id, &rpk);
    if (rc == STORE_CONFLICT) {
        app_fail(r, APP_CONFLICT, "this entry is reversed already");
        return STORE_ABORT;
    }
    return rc != STORE_OK ? rc : answer_entry(c, rpk, id, r);
}

void app_ledger_reverse(app_t *app, const app_actor_t *a, const char *entry_id, const json_t *body,
                        app_result_t *r)
{
    if (!valid(&REVERSAL, body, "The reversal is not valid", r))
        return;
    ledger_ctx_t x = {a, entry_id, body};
    app_run(app, reverse_job, &x, r);
}
