/*
 * money.h — the use cases of money: programmes, projects and their budget
 * lines (money.c), and the append-only ledger (ledger.c): commitments,
 * releases, disbursements, reversals, the budget view and the
 * reconciliation.
 *
 * Amounts are integers in minor units with an ISO 4217 currency; a
 * budget line counts in its project's currency. An amount in another
 * currency carries the rate it was converted at as a fraction: rate_num /
 * rate_den units of the other currency for one unit of the line's
 * currency (1 EUR = 655.957 XOF on a EUR line: 655957/1000), converted to
 * the line's minor units rounding half away from zero.
 *
 * The totals of a line: committed = commitments − releases, disbursed =
 * disbursements (a reversal takes back the entry it reverses), remaining
 * = budget − committed, utilisation = disbursed / budget. A disbursement
 * draws on what its reference (a plan item, an activity, a travel
 * allowance, a case) has committed and not yet paid; a plan item's is
 * never exceeded, the others commit the rest first, within what the line
 * has left.
 *
 * The functions of "the contract" are called by the other rooms of
 * reintegration (plans, activities) INSIDE their writer job: c is the
 * writer's connection, the entry is part of their transaction and rolls
 * back with it. They fill r only when they refuse (the caller then
 * returns STORE_ABORT) and return STORE_* codes.
 *
 * The other use cases fill r (the caller frees it with app_result_free).
 */
#ifndef AWDA_APP_MONEY_H
#define AWDA_APP_MONEY_H
#include "app.h"
#include "../store/ledger.h"

/* What an entry is charged to: pks, 0 when none. */
typedef store_ledger_ref_t app_ledger_ref_t;

/* ---- the contract (ledger.c) ---- */

/* The budget line by public id: its pk, its currency into currency; 0
 * with APP_NOT_FOUND in r (a sentence naming the line) when none. */
int64_t app_budget_line_find(store_conn_t *c, const char *id, char currency[4], app_result_t *r);
/* Appends a commitment of amount_minor in currency to the line (a
 * currency other than the line's needs rate_num/rate_den > 0, else 0,0;
 * an amount of 0 appends nothing).
 * STORE_OK; STORE_ABORT with r filled when refused: 422 (a currency
 * without rate, at field "currency"), 409 with the numbers when it exceeds
 * what the line has left uncommitted ("USD 1,200.00 to commit, USD 800.00
 * left on line 2.1"). */
int app_ledger_commit(store_conn_t *c, const app_actor_t *a, int64_t line_pk, int64_t amount_minor,
                      const char *currency, int64_t rate_num, int64_t rate_den,
                      const app_ledger_ref_t *ref, app_result_t *r);
/* Releases what is still committed and not disbursed for ref on every
 * line it has entries on (an item cancelled or closed); nothing when
 * nothing is left. STORE_OK or STORE_ERR. */
int app_ledger_release(store_conn_t *c, const app_actor_t *a, const app_ledger_ref_t *ref,
                       const char *reason, app_result_t *r);

/* A travel allowance recorded (or recorded again) for person_pk on
 * movement_pk, called inside the movement's writer job: what the
 * allowance had committed and not paid is released; when budget_line is
 * the id of a budget line and the allowance is in the line's currency,
 * the amount is committed to it (refused with the numbers past what the
 * line has left). An allowance in another currency is committed when it
 * is paid, at the rate recorded then; a budget_line that names no line
 * (free text) commits nothing. STORE_OK, or STORE_ABORT with r filled. */
int app_ledger_allowance(store_conn_t *c, const app_actor_t *a, int64_t movement_pk,
                         int64_t person_pk, int64_t amount_minor, const char *currency,
                         const char *budget_line, app_result_t *r);

/* "USD 1,200.00": amount_minor of currency in major units with its
 * minor digits (0 for XOF, 3 for TND), thousands separated by commas. */
void app_money_format(int64_t amount_minor, const char *currency, char *out, size_t cap);
/* The minor digits of an ISO 4217 currency (2 unless known otherwise). */
int app_currency_digits(const char *currency);
/* amount_minor of currency converted into line_currency at rate_num /
 * rate_den (units of currency for one of line_currency); -1 when it
 * overflows. */
int64_t app_money_convert(int64_t amount_minor, const char *currency, const char *line_currency,
                          int64_t rate_num, int64_t rate_den);

/* ---- programmes, projects, budget lines (money.c) ---- */

/* GET /programmes: {"items": [...]}; POST /programmes {code, name,
 * components?, regions?, countries?}: 201. */
void app_programme_list(app_t *app, const app_actor_t *a, app_result_t *r);
void app_programme_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r);
/* GET /projects: {"items": [...]}; GET /projects/{id} (id, code or
 * name): the project with its budget lines; POST /projects {code, name,
 * programme?, donor, currency, starts_on, ends_on, places?, targets?,
 * budget_lines?: [{code, name, amount_minor}]}: 201. */
void app_project_list(app_t *app, const app_actor_t *a, app_result_t *r);
void app_project_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
void app_project_create(app_t *app, const app_actor_t *a, const json_t *body, app_result_t *r);
/* POST /projects/{id}/budget-lines {code, name, amount_minor}: 201 with
 * the project. */
void app_budget_line_create(app_t *app, const app_actor_t *a, const char *project,
                            const json_t *body, app_result_t *r);
/* GET /projects/{id}/budget: {project, currency, lines: [{id, code, name,
 * budget_minor, committed_minor, disbursed_minor, remaining_minor,
 * utilisation_bp, entries}], totals: {the same for the project}}. */
void app_budget_view(app_t *app, const app_actor_t *a, const char *project, app_result_t *r);

/* ---- the ledger's use cases (ledger.c) ---- */

/* POST /budget-lines/{id}/disbursements {amount_minor, currency, rate?:
 * {num, den}, method, proof_reference, recipient, paid_on, tranche?,
 * plan_item? | activity? | movement?+person? | case?+person?}: 201 with
 * the entry. Idempotent with a key. */
void app_disburse(app_t *app, const app_actor_t *a, const char *line_id, const json_t *body,
                  const char *idem_key, const char *request_hash, app_result_t *r);
/* app_disburse without waiting for the disk (a server's face): validates
 * here, queues the job (app_run_idempotent_async) and returns 0; done(arg)
 * is called once r is filled, on the writer thread. -1 when r is answered
 * already (done is not called). a, line_id, body, idem_key, request_hash
 * and r must live until done. */
int app_disburse_async(app_t *app, const app_actor_t *a, const char *line_id, const json_t *body,
                       const char *idem_key, const char *request_hash, app_result_t *r,
                       void (*done)(void *arg), void *arg);
/* POST /budget-lines/{id}/commitments {amount_minor, currency, rate?,
 * reason?, plan_item? | activity? | case?+person?}: a commitment recorded
 * by hand (a supplier's contract, an item approved before awda kept its
 * plans): 201 with the entry. */
void app_ledger_commit_by_hand(app_t *app, const app_actor_t *a, const char *line_id,
                               const json_t *body, app_result_t *r);
/* POST /ledger/{id}/reversal {reason}: 201 with the reversing entry. */
void app_ledger_reverse(app_t *app, const app_actor_t *a, const char *entry_id, const json_t *body,
                        app_result_t *r);
/* GET /ledger/{id}: one entry. */
void app_ledger_entry(app_t *app, const app_actor_t *a, const char *entry_id, app_result_t *r);
/* GET /budget-lines/{id}/ledger, GET /cases/{id}/ledger: {"items",
 * "next_cursor"}, newest first. */
void app_ledger_of_line(app_t *app, const app_actor_t *a, const char *line_id, const char *cursor,
                        const char *limit, app_result_t *r);
void app_ledger_of_case(app_t *app, const app_actor_t *a, const char *case_id, const char *cursor,
                        const char *limit, app_result_t *r);
/* The reconciliation (`awda ledger verify`): {lines_checked,
 * mismatches: [...]}; APP_OK when every line agrees with the ledger,
 * APP_CONFLICT otherwise. */
void app_ledger_verify(app_t *app, app_result_t *r);

#endif
