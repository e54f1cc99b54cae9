/*
 * ledger.h — the store of the append-only ledger (migration 17): budget
 * lines as the ledger reads them, entries appended with the running
 * totals of their line kept in the same transaction, the sums of one
 * reference (a plan item, an activity, a travel allowance, a case), and
 * the reconciliation of the totals with the ledger.
 *
 * The rules (what may be committed, paid, released or reversed; the
 * refusals with their numbers; rates) are the application layer's
 * (app/ledger.c); these functions only read and write rows, inside the
 * caller's transaction. The ledger is never updated nor deleted from:
 * the triggers of migration 17 refuse both, and no statement here tries.
 *
 * JSON returned is owned by the caller; NULL means a database error or,
 * where said, "none".
 */
#ifndef AWDA_STORE_LEDGER_H
#define AWDA_STORE_LEDGER_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* A budget line as the ledger checks it. */
typedef struct {
    int64_t pk, project_pk, amount_minor, version;
    char id[37];
    char code[AWDA_MAX_SHORT + 1];
    char currency[4]; /* the project's */
    char project[AWDA_MAX_NAME + 1];
} store_budget_line_row_t;

/* The line with public id into *row; STORE_NOTFOUND when none. */
int store_budget_line_find(store_conn_t *c, const char *id, store_budget_line_row_t *row);
int store_budget_line_find_pk(store_conn_t *c, int64_t pk, store_budget_line_row_t *row);

/* What an entry is charged to (0: nothing). The key that groups entries
 * is the first of: the plan item; the activity; the movement with the
 * person (a travel allowance); the case with the person (and nothing
 * else); else the line alone. */
typedef struct {
    int64_t case_pk, person_pk, plan_item_pk, activity_pk, movement_pk;
} store_ledger_ref_t;

/* One entry to append. kind: commitment | release | disbursement |
 * reversal; strings NULL when absent; reverses_pk 0 unless a reversal. */
typedef struct {
    int64_t line_pk;
    const char *kind;
    int64_t amount_minor; /* in the line's currency, > 0 */
    int64_t paid_minor;   /* in paid_currency; 0 with paid_currency NULL */
    const char *paid_currency;
    int64_t rate_num, rate_den; /* 0 when the same currency */
    store_ledger_ref_t ref;
    int64_t tranche, attempt; /* 0: none */
    const char *method, *proof_reference, *recipient, *paid_on, *reason;
    int64_t paid_by_pk, reverses_pk, created_by_pk;
} store_ledger_entry_t;

/* Appends e and adds its effect to budget_line_totals (committed:
 * commitments − releases; disbursed: disbursements; a reversal takes back
 * the effect of the entry it reverses), in the caller's transaction. Its
 * id into id_out, its key into *pk_out (both may be NULL).
 * STORE_CONFLICT when the unique indexes refuse it (a tranche paid, an
 * entry reversed already). */
int store_ledger_append(store_conn_t *c, const store_ledger_entry_t *e, char id_out[37],
                        int64_t *pk_out);

/* The key of the newest entry (in the writer's transaction: the one
 * just appended); 0 when none. */
int64_t store_ledger_last_pk(store_conn_t *c);

/* The totals of a line (zeros when it has no entry yet). */
int store_ledger_line_totals(store_conn_t *c, int64_t line_pk, int64_t *committed,
                             int64_t *disbursed, int64_t *entries);

/* The sums of the entries of ref on line_pk: committed (commitments −
 * releases, net of reversals) and disbursed (net of reversals). */
int store_ledger_ref_sums(store_conn_t *c, int64_t line_pk, const store_ledger_ref_t *ref,
                          int64_t *committed, int64_t *disbursed);
/* The lines ref has entries on, at most cap, into lines; how many into
 * *n. */
int store_ledger_ref_lines(store_conn_t *c, const store_ledger_ref_t *ref, int64_t *lines, int cap,
                           int *n);

/* Disbursements of a plan item's tranche (or of a travel allowance:
 * movement and person, item 0): how many into *attempts, and how many of
 * them are not reversed into *live. */
int store_ledger_tranche(store_conn_t *c, const store_ledger_ref_t *ref, int64_t tranche,
                         int64_t *attempts, int64_t *live);

/* An entry by public id: its fields as store_ledger_entry_t (strings
 * NULL; refs and amounts set) into *e and its key into *pk; *reversed 1
 * when a reversal of it exists. STORE_NOTFOUND when none. */
int store_ledger_find(store_conn_t *c, const char *id, store_ledger_entry_t *e, int64_t *pk,
                      int *reversed);

/* Entries as the API shows them, newest first, pk < before (0: from the
 * newest), at most limit: of one line (line_pk) or one case (case_pk).
 * Caller owns. */
json_t *store_ledger_list(store_conn_t *c, int64_t line_pk, int64_t case_pk, int64_t before,
                          int limit);
/* One entry as the API shows it; NULL when none. */
json_t *store_ledger_get(store_conn_t *c, int64_t pk);

/* The reconciliation: lines whose budget_line_totals differ from the
 * sums of the ledger, [{line, code, kept: {committed, disbursed,
 * entries}, ledger: {...}}] (empty when all agree); *lines gets how many
 * lines were checked. Caller owns. */
json_t *store_ledger_verify(store_conn_t *c, long long *lines);

/* ---- what a disbursement names, resolved (reads of other rooms' tables) ---- */

/* A plan item as the ledger checks it. */
typedef struct {
    int64_t pk, line_pk, budget_minor, office_pk, case_pk, person_pk; /* case, person: one member */
    char status[16];
    char currency[4];
} store_ledger_item_t;
/* The plan item with public id; STORE_NOTFOUND when none. */
int store_ledger_item(store_conn_t *c, const char *id, store_ledger_item_t *item);
/* The key of person_id when a member of case_pk; 0 when not. */
int64_t store_ledger_case_person(store_conn_t *c, int64_t case_pk, const char *person_id);
/* The travel allowance of person_id on movement_id: keys, amount,
 * currency and budget line (as recorded, "" when none) and the
 * movement's sending office. STORE_NOTFOUND when none is recorded. */
typedef struct {
    int64_t movement_pk, person_pk, amount_minor, office_pk, receiving_pk;
    char currency[4];
    char budget_line[AWDA_MAX_SHORT + 1];
} store_ledger_allowance_t;
int store_ledger_allowance(store_conn_t *c, const char *movement_id, const char *person_id,
                           store_ledger_allowance_t *al);
/* The key and office of an activity by public id; 0 when none. */
int64_t store_ledger_activity(store_conn_t *c, const char *id, int64_t *office_pk);

#endif
