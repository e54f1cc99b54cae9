/*
 * ledger_int.h — what ledger.c shares with money.c and the ledger's use
 * cases (ledger_use.c), and nothing a face may use.
 */
#ifndef AWDA_APP_LEDGER_INT_H
#define AWDA_APP_LEDGER_INT_H
#include "money.h"
#include <stdarg.h>

/* Sets r to code with the sentence, also as the one error at field
 * (NULL: none). */
void ledger_refuse(app_result_t *r, app_code_t code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The name the message check (scripts/check-messages.py) knows: the
 * format is its fourth argument. */
#define refuse ledger_refuse
/* The amount in the line's currency (see money.h); -1 with r filled
 * (422 at field_prefix + "currency"/"rate"/"amount_minor"). */
int64_t ledger_in_line_currency(const store_budget_line_row_t *line, int64_t amount,
                                const char *currency, int64_t num, int64_t den,
                                const char *field_prefix, app_result_t *r);
/* Why room on a line is asked for: a payment, a commitment, a release
 * reversed. */
typedef enum { ROOM_ASKED, ROOM_COMMIT, ROOM_RECOMMIT } ledger_room_t;
/* STORE_OK when the line has need left uncommitted; STORE_ABORT with 409
 * and the numbers ("USD 1,200.00 asked, USD 800.00 left on line 2.1"). */
int ledger_room(store_conn_t *c, const store_budget_line_row_t *line, int64_t need,
                ledger_room_t why, app_result_t *r);

#endif
