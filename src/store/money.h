/*
 * money.h — the store of programmes, projects and budget lines
 * (migration 17), and the budget view read from budget_line_totals.
 * The ledger itself is store/ledger.h.
 *
 * The rules (who may see and change what, validation) are the
 * application layer's (app/money.c); these functions only read and write
 * rows, inside the caller's transaction. JSON returned is owned by the
 * caller; NULL means a database error or, where said, "none".
 */
#ifndef AWDA_STORE_MONEY_H
#define AWDA_STORE_MONEY_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* Inserts a programme from validated JSON {code, name, components?,
 * regions?, countries?}: STORE_CONFLICT when the code is taken. */
int store_programme_insert(store_conn_t *c, const json_t *p, char id_out[37]);
/* Every programme by code; caller owns. */
json_t *store_programme_list(store_conn_t *c);
/* The key of a programme by id or code; 0 when none. */
int64_t store_programme_pk(store_conn_t *c, const char *id_or_code);

/* Inserts a project from validated JSON {code, name, donor, currency,
 * starts_on, ends_on, places?, targets?} under programme_pk (0: none):
 * STORE_CONFLICT when its code or name is taken. */
int store_project_insert(store_conn_t *c, const json_t *p, int64_t programme_pk, char id_out[37],
                         int64_t *pk_out);
/* The key of a project by id, code or name; 0 when none. */
int64_t store_project_pk(store_conn_t *c, const char *ref);
/* A project with its programme (code) and budget lines; caller owns;
 * NULL when none. */
json_t *store_project_get(store_conn_t *c, int64_t pk);
/* Every project (without lines), by code; caller owns. */
json_t *store_project_list(store_conn_t *c);

/* Inserts a budget line {code, name, amount_minor} of the project:
 * STORE_CONFLICT when the project has a line with that code. */
int store_budget_line_insert(store_conn_t *c, int64_t project_pk, const json_t *l, char id_out[37]);

/* The budget view of a project: per line {id, code, name, budget_minor,
 * committed_minor, disbursed_minor, remaining_minor, entries} from
 * budget_line_totals, in code order; caller owns. */
json_t *store_budget_view(store_conn_t *c, int64_t project_pk);

#endif
