/*
 * ledger.c — the store of the append-only ledger (see ledger.h): entries
 * appended with the totals of their line kept in the same statement
 * sequence of the caller's transaction, the sums of one reference, the
 * tranches paid, the lists the API shows, and the reconciliation.
 *
 * The totals: committed_minor is commitments − releases, disbursed_minor
 * is disbursements; a reversal takes back what the entry it reverses
 * added. Every append updates budget_line_totals by that delta (an
 * upsert), so a budget view reads one row per line however long the
 * ledger is; store_ledger_verify recomputes the sums from the ledger and
 * names the lines where they differ.
 */
#include "internal.h"
#include "ledger.h"

/* ---- budget lines ------------------------------------------------------- */

#define LINE_SELECT                                                                                \
    "SELECT b.pk,b.project_pk,b.amount_minor,b.version,b.id,b.code,p.currency,p.name FROM "        \
    "budget_lines b JOIN projects p ON p.pk=b.project_pk "

static store_stmt_t Q_LINE_FIND = {.sql = LINE_SELECT "WHERE b.id=?"};
static store_stmt_t Q_LINE_FIND_PK = {.sql = LINE_SELECT "WHERE b.pk=?"};

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const char *v = (const char *)sqlite3_column_text(st, col);
    snprintf(out, cap, "%s", v ? v : "");
}

static int line_row(sqlite3_stmt *st, store_budget_line_row_t *row)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(row, 0, sizeof *row);
        row->pk = sqlite3_column_int64(st, 0);
        row->project_pk = sqlite3_column_int64(st, 1);
        row->amount_minor = sqlite3_column_int64(st, 2);
        row->version = sqlite3_column_int64(st, 3);
        copy_col(st, 4, row->id, sizeof row->id);
        copy_col(st, 5, row->code, sizeof row->code);
        copy_col(st, 6, row->currency, sizeof row->currency);
        copy_col(st, 7, row->project, sizeof row->project);
        return done(st, STORE_OK);
    }
    return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
}

int store_budget_line_find(store_conn_t *c, const char *id, store_budget_line_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_LINE_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    return line_row(st, row);
}

int store_budget_line_find_pk(store_conn_t *c, int64_t pk, store_budget_line_row_t *row)
{
    sqlite3_stmt *st = stmt(c, &Q_LINE_FIND_PK);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    return line_row(st, row);
}

/* ---- appending ---------------------------------------------------------- */

static store_stmt_t Q_APPEND = {
    .sql = "INSERT INTO ledger(id,budget_line_pk,kind,amount_minor,paid_minor,paid_currency,"
           "rate_num,rate_den,case_pk,person_pk,plan_item_pk,activity_pk,movement_pk,tranche,"
           "attempt,method,proof_reference,recipient,paid_by_pk,paid_on,reverses_pk,reason,"
           "created_at,created_by_pk) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"};
static store_stmt_t Q_TOTALS_ADD = {
    .sql = "INSERT INTO budget_line_totals(budget_line_pk,committed_minor,disbursed_minor,entries) "
           "VALUES(?1,?2,?3,1) ON CONFLICT(budget_line_pk) DO UPDATE SET "
           "committed_minor=committed_minor+?2,disbursed_minor=disbursed_minor+?3,"
           "entries=entries+1"};
static store_stmt_t Q_KIND_OF = {.sql = "SELECT kind FROM ledger WHERE pk=?"};

/* What an entry of kind adds to (committed, disbursed), sign = +1. */
static void effect(const char *kind, int64_t amount, int64_t *dc, int64_t *dd)
{
    *dc = *dd = 0;
    if (strcmp(kind, "commitment") == 0)
        *dc = amount;
    else if (strcmp(kind, "release") == 0)
        *dc = -amount;
    else if (strcmp(kind, "disbursement") == 0)
        *dd = amount;
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int64_t v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

int store_ledger_append(store_conn_t *c, const store_ledger_entry_t *e, char id_out[37],
                        int64_t *pk_out)
{
    int64_t dc = 0, dd = 0;
    if (strcmp(e->kind, "reversal") == 0) {
        sqlite3_stmt *k = stmt(c, &Q_KIND_OF);
        if (!k)
            return STORE_ERR;
        sqlite3_bind_int64(k, 1, e->reverses_pk);
        if (sqlite3_step(k) != SQLITE_ROW)
            return done(k, STORE_NOTFOUND);
        char kind[16];
        copy_col(k, 0, kind, sizeof kind);
        done(k, 0);
        effect(kind, e->amount_minor, &dc, &dd);
        dc = -dc;
        dd = -dd;
    } else
        effect(e->kind, e->amount_minor, &dc, &dd);

    sqlite3_stmt *st = stmt(c, &Q_APPEND);
    if (!st)
        return STORE_ERR;
    char id[AWDA_UUID_LEN + 1];
    awda_uuid7(id);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, e->line_pk);
    sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, e->amount_minor);
    if (e->paid_currency) {
        sqlite3_bind_int64(st, 5, e->paid_minor);
        sqlite3_bind_text(st, 6, e->paid_currency, -1, SQLITE_TRANSIENT);
    }
    bind_int_or_null(st, 7, e->rate_num);
    bind_int_or_null(st, 8, e->rate_den);
    bind_pk_or_null(st, 9, e->ref.case_pk);
    bind_pk_or_null(st, 10, e->ref.person_pk);
    bind_pk_or_null(st, 11, e->ref.plan_item_pk);
    bind_pk_or_null(st, 12, e->ref.activity_pk);
    bind_pk_or_null(st, 13, e->ref.movement_pk);
    bind_int_or_null(st, 14, e->tranche);
    bind_int_or_null(st, 15, e->attempt);
    bind_text_or_null(st, 16, e->method);
    bind_text_or_null(st, 17, e->proof_reference);
    bind_text_or_null(st, 18, e->recipient);
    bind_pk_or_null(st, 19, e->paid_by_pk);
    bind_text_or_null(st, 20, e->paid_on);
    bind_pk_or_null(st, 21, e->reverses_pk);
    bind_text_or_null(st, 22, e->reason);
    sqlite3_bind_int64(st, 23, awda_now_ms());
    bind_pk_or_null(st, 24, e->created_by_pk);
    int rc = step_done(c, st);
    if (rc != STORE_OK)
        return rc;
    int64_t pk = sqlite3_last_insert_rowid(c->db);

    sqlite3_stmt *t = stmt(c, &Q_TOTALS_ADD);
    if (!t)
        return STORE_ERR;
    sqlite3_bind_int64(t, 1, e->line_pk);
    sqlite3_bind_int64(t, 2, dc);
    sqlite3_bind_int64(t, 3, dd);
    rc = step_done(c, t);
    if (rc != STORE_OK)
        return rc;
    if (id_out)
        memcpy(id_out, id, sizeof id);
    if (pk_out)
        *pk_out = pk;
    return STORE_OK;
}

static store_stmt_t Q_LAST = {.sql = "SELECT max(pk) FROM ledger"};

int64_t store_ledger_last_pk(store_conn_t *c)
{
    sqlite3_stmt *st = stmt(c, &Q_LAST);
    if (!st)
        return 0;
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_LINE_TOTALS = {
    .sql = "SELECT committed_minor,disbursed_minor,entries FROM budget_line_totals WHERE "
           "budget_line_pk=?"};

int store_ledger_line_totals(store_conn_t *c, int64_t line_pk, int64_t *committed,
                             int64_t *disbursed, int64_t *entries)
{
    sqlite3_stmt *st = stmt(c, &Q_LINE_TOTALS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, line_pk);
    *committed = *disbursed = 0;
    if (entries)
        *entries = 0;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *committed = sqlite3_column_int64(st, 0);
        *disbursed = sqlite3_column_int64(st, 1);
        if (entries)
            *entries = sqlite3_column_int64(st, 2);
    } else if (rc != SQLITE_DONE)
        return done(st, STORE_ERR);
    return done(st, STORE_OK);
}

/* ---- sums of one reference ---------------------------------------------- */

/* The effect of e (and of a reversal, through o, the entry it reverses). */
#define SUMS                                                                                       \
    "SELECT coalesce(sum(CASE e.kind WHEN 'commitment' THEN e.amount_minor WHEN 'release' THEN "   \
    "-e.amount_minor WHEN 'reversal' THEN CASE o.kind WHEN 'commitment' THEN -e.amount_minor "     \
    "WHEN 'release' THEN e.amount_minor ELSE 0 END ELSE 0 END),0),coalesce(sum(CASE e.kind WHEN "  \
    "'disbursement' THEN e.amount_minor WHEN 'reversal' THEN CASE o.kind WHEN 'disbursement' "     \
    "THEN -e.amount_minor ELSE 0 END ELSE 0 END),0) FROM ledger e LEFT JOIN ledger o ON "          \
    "o.pk=e.reverses_pk WHERE e.budget_line_pk=?1 AND "
#define NO_REF "e.plan_item_pk IS NULL AND e.activity_pk IS NULL AND e.movement_pk IS NULL"

static store_stmt_t Q_SUMS_ITEM = {.sql = SUMS "e.plan_item_pk=?2"};
static store_stmt_t Q_SUMS_ACTIVITY = {.sql = SUMS "e.activity_pk=?2"};
static store_stmt_t Q_SUMS_MOVEMENT = {.sql = SUMS "e.movement_pk=?2 AND e.person_pk IS ?3"};
static store_stmt_t Q_SUMS_CASE = {.sql = SUMS "e.case_pk=?2 AND e.person_pk IS ?3 AND " NO_REF};
static store_stmt_t Q_SUMS_LINE = {.sql = SUMS
                                   "e.case_pk IS NULL AND e.person_pk IS NULL AND " NO_REF};

/* The statement that selects the entries of ref's key (?2 the key, ?3
 * the person where it counts), bound from ?2 on. */
static sqlite3_stmt *ref_stmt(store_conn_t *c, store_stmt_t *item, store_stmt_t *activity,
                              store_stmt_t *movement, store_stmt_t *caze, store_stmt_t *line,
                              const store_ledger_ref_t *ref)
{
    sqlite3_stmt *st;
    if (ref->plan_item_pk) {
        if ((st = stmt(c, item)))
            sqlite3_bind_int64(st, 2, ref->plan_item_pk);
    } else if (ref->activity_pk) {
        if ((st = stmt(c, activity)))
            sqlite3_bind_int64(st, 2, ref->activity_pk);
    } else if (ref->movement_pk) {
        if ((st = stmt(c, movement))) {
            sqlite3_bind_int64(st, 2, ref->movement_pk);
            bind_pk_or_null(st, 3, ref->person_pk);
        }
    } else if (ref->case_pk) {
        if ((st = stmt(c, caze))) {
            sqlite3_bind_int64(st, 2, ref->case_pk);
            bind_pk_or_null(st, 3, ref->person_pk);
        }
    } else
        st = stmt(c, line);
    return st;
}

int store_ledger_ref_sums(store_conn_t *c, int64_t line_pk, const store_ledger_ref_t *ref,
                          int64_t *committed, int64_t *disbursed)
{
    sqlite3_stmt *st = ref_stmt(c, &Q_SUMS_ITEM, &Q_SUMS_ACTIVITY, &Q_SUMS_MOVEMENT, &Q_SUMS_CASE,
                                &Q_SUMS_LINE, ref);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, line_pk);
    *committed = *disbursed = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_ERR);
    *committed = sqlite3_column_int64(st, 0);
    *disbursed = sqlite3_column_int64(st, 1);
    return done(st, STORE_OK);
}

#define LINES "SELECT DISTINCT e.budget_line_pk FROM ledger e WHERE ?1 IS NULL AND "
static store_stmt_t Q_LINES_ITEM = {.sql = LINES "e.plan_item_pk=?2"};
static store_stmt_t Q_LINES_ACTIVITY = {.sql = LINES "e.activity_pk=?2"};
static store_stmt_t Q_LINES_MOVEMENT = {.sql = LINES "e.movement_pk=?2 AND e.person_pk IS ?3"};
static store_stmt_t Q_LINES_CASE = {.sql = LINES "e.case_pk=?2 AND e.person_pk IS ?3 AND " NO_REF};
static store_stmt_t Q_LINES_NONE = {.sql = LINES "0"};

int store_ledger_ref_lines(store_conn_t *c, const store_ledger_ref_t *ref, int64_t *lines, int cap,
                           int *n)
{
    *n = 0;
    sqlite3_stmt *st = ref_stmt(c, &Q_LINES_ITEM, &Q_LINES_ACTIVITY, &Q_LINES_MOVEMENT,
                                &Q_LINES_CASE, &Q_LINES_NONE, ref);
    if (!st)
        return STORE_ERR;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap)
        lines[(*n)++] = sqlite3_column_int64(st, 0);
    return done(st, rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

/* ---- tranches ----------------------------------------------------------- */

#define TRANCHE                                                                                    \
    "SELECT count(*),coalesce(sum(NOT EXISTS(SELECT 1 FROM ledger r WHERE "                        \
    "r.reverses_pk=d.pk)),0) "                                                                     \
    "FROM ledger d WHERE d.kind='disbursement' AND "
static store_stmt_t Q_TRANCHE_ITEM = {.sql = TRANCHE "d.plan_item_pk=?1 AND d.tranche=?2"};
static store_stmt_t Q_TRANCHE_ALLOWANCE = {
    .sql = TRANCHE "d.movement_pk=?1 AND d.person_pk IS ?3 AND d.plan_item_pk IS NULL"};

int store_ledger_tranche(store_conn_t *c, const store_ledger_ref_t *ref, int64_t tranche,
                         int64_t *attempts, int64_t *live)
{
    *attempts = *live = 0;
    sqlite3_stmt *st = stmt(c, ref->plan_item_pk ? &Q_TRANCHE_ITEM : &Q_TRANCHE_ALLOWANCE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, ref->plan_item_pk ? ref->plan_item_pk : ref->movement_pk);
    if (ref->plan_item_pk)
        sqlite3_bind_int64(st, 2, tranche);
    else
        bind_pk_or_null(st, 3, ref->person_pk);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_ERR);
    *attempts = sqlite3_column_int64(st, 0);
    *live = sqlite3_column_int64(st, 1);
    return done(st, STORE_OK);
}

/* ---- reading entries ---------------------------------------------------- */

static store_stmt_t Q_FIND = {
    .sql = "SELECT e.pk,e.budget_line_pk,e.kind,e.amount_minor,coalesce(e.case_pk,0),"
           "coalesce(e.person_pk,0),coalesce(e.plan_item_pk,0),coalesce(e.activity_pk,0),"
           "coalesce(e.movement_pk,0),coalesce(e.tranche,0),coalesce(e.reverses_pk,0),"
           "EXISTS(SELECT 1 FROM ledger r WHERE r.reverses_pk=e.pk) FROM ledger e WHERE e.id=?"};

static const char *kind_static(const char *k)
{
    static const char *const kinds[] = {"commitment", "release", "disbursement", "reversal"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (k && strcmp(k, kinds[i]) == 0)
            return kinds[i];
    return "reversal";
}

int store_ledger_find(store_conn_t *c, const char *id, store_ledger_entry_t *e, int64_t *pk,
                      int *reversed)
{
    sqlite3_stmt *st = stmt(c, &Q_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    memset(e, 0, sizeof *e);
    *pk = sqlite3_column_int64(st, 0);
    e->line_pk = sqlite3_column_int64(st, 1);
    e->kind = kind_static((const char *)sqlite3_column_text(st, 2));
    e->amount_minor = sqlite3_column_int64(st, 3);
    e->ref.case_pk = sqlite3_column_int64(st, 4);
    e->ref.person_pk = sqlite3_column_int64(st, 5);
    e->ref.plan_item_pk = sqlite3_column_int64(st, 6);
    e->ref.activity_pk = sqlite3_column_int64(st, 7);
    e->ref.movement_pk = sqlite3_column_int64(st, 8);
    e->tranche = sqlite3_column_int64(st, 9);
    e->reverses_pk = sqlite3_column_int64(st, 10);
    *reversed = sqlite3_column_int(st, 11);
    return done(st, STORE_OK);
}

#define ENTRY_SELECT                                                                               \
    "SELECT e.pk,e.id,b.id,b.code,p.currency,e.kind,e.amount_minor,e.paid_minor,e.paid_currency,"  \
    "e.rate_num,e.rate_den,c.id,c.number,pe.id,pi.id,a.id,m.id,e.tranche,e.attempt,e.method,"      \
    "e.proof_reference,e.recipient,pu.username,e.paid_on,o.id,e.reason,e.created_at,cu.username,"  \
    "(SELECT r.id FROM ledger r WHERE r.reverses_pk=e.pk) FROM ledger e JOIN budget_lines b ON "   \
    "b.pk=e.budget_line_pk JOIN projects p ON p.pk=b.project_pk LEFT JOIN cases c ON "             \
    "c.pk=e.case_pk LEFT JOIN persons pe ON pe.pk=e.person_pk LEFT JOIN plan_items pi ON "         \
    "pi.pk=e.plan_item_pk LEFT JOIN activities a ON a.pk=e.activity_pk LEFT JOIN movements m ON "  \
    "m.pk=e.movement_pk LEFT JOIN users pu ON pu.pk=e.paid_by_pk LEFT JOIN ledger o ON "           \
    "o.pk=e.reverses_pk LEFT JOIN users cu ON cu.pk=e.created_by_pk "

static store_stmt_t Q_LIST_LINE = {
    .sql = ENTRY_SELECT "WHERE e.budget_line_pk=?1 AND (?2=0 OR e.pk<?2) ORDER BY e.pk DESC "
                        "LIMIT ?3"};
static store_stmt_t Q_LIST_CASE = {
    .sql = ENTRY_SELECT "WHERE e.case_pk=?1 AND (?2=0 OR e.pk<?2) ORDER BY e.pk DESC LIMIT ?3"};
static store_stmt_t Q_GET = {.sql = ENTRY_SELECT "WHERE e.pk=?1"};

static json_t *int_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? json_null()
               : json_integer((json_int_t)sqlite3_column_int64(st, col));
}

static json_t *entry_row(sqlite3_stmt *st)
{
    json_t *o = json_object();
    static const char *const names[] = {
        NULL,          "id",         "budget_line", "budget_line_code", "currency",
        "kind",        NULL,         NULL,          "paid_currency",    NULL,
        NULL,          "case_id",    "case_number", "person_id",        "plan_item_id",
        "activity_id", "movement_id"};
    for (int i = 1; i < (int)(sizeof names / sizeof *names); i++)
        if (names[i])
            json_object_set_new(o, names[i], col_str(st, i));
    json_object_set_new(o, "amount_minor", int_or_null(st, 6));
    json_object_set_new(o, "paid_minor", int_or_null(st, 7));
    json_t *rate =
        sqlite3_column_type(st, 9) == SQLITE_NULL
            ? json_null()
            : json_pack("{s:o,s:o}", "num", int_or_null(st, 9), "den", int_or_null(st, 10));
    json_object_set_new(o, "rate", rate);
    json_object_set_new(o, "tranche", int_or_null(st, 17));
    json_object_set_new(o, "attempt", int_or_null(st, 18));
    static const char *const more[] = {"method",  "proof_reference", "recipient", "paid_by",
                                       "paid_on", "reverses",        "reason"};
    for (int i = 0; i < 7; i++)
        json_object_set_new(o, more[i], col_str(st, 19 + i));
    json_object_set_new(o, "created_at", store_col_time(st, 26));
    json_object_set_new(o, "created_by", col_str(st, 27));
    json_object_set_new(o, "reversed_by", col_str(st, 28));
    return o;
}

json_t *store_ledger_list(store_conn_t *c, int64_t line_pk, int64_t case_pk, int64_t before,
                          int limit)
{
    sqlite3_stmt *st = stmt(c, line_pk ? &Q_LIST_LINE : &Q_LIST_CASE);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, line_pk ? line_pk : case_pk);
    sqlite3_bind_int64(st, 2, before);
    sqlite3_bind_int(st, 3, limit);
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *o = entry_row(st);
        json_object_set_new(o, "cursor", json_integer((json_int_t)sqlite3_column_int64(st, 0)));
        json_array_append_new(out, o);
    }
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}

json_t *store_ledger_get(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_GET);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *o = sqlite3_step(st) == SQLITE_ROW ? entry_row(st) : NULL;
    done(st, 0);
    return o;
}

/* ---- reconciliation ----------------------------------------------------- */

static store_stmt_t Q_VERIFY = {
    .sql = "WITH s AS (SELECT e.budget_line_pk AS line,sum(CASE e.kind WHEN 'commitment' THEN "
           "e.amount_minor WHEN 'release' THEN -e.amount_minor WHEN 'reversal' THEN CASE o.kind "
           "WHEN 'commitment' THEN -e.amount_minor WHEN 'release' THEN e.amount_minor ELSE 0 END "
           "ELSE 0 END) AS c,sum(CASE e.kind WHEN 'disbursement' THEN e.amount_minor WHEN "
           "'reversal' THEN CASE o.kind WHEN 'disbursement' THEN -e.amount_minor ELSE 0 END ELSE "
           "0 END) AS d,count(*) AS n FROM ledger e LEFT JOIN ledger o ON o.pk=e.reverses_pk "
           "GROUP BY e.budget_line_pk) SELECT b.id,b.code,coalesce(t.committed_minor,0),"
           "coalesce(t.disbursed_minor,0),coalesce(t.entries,0),coalesce(s.c,0),coalesce(s.d,0),"
           "coalesce(s.n,0) FROM budget_lines b LEFT JOIN budget_line_totals t ON "
           "t.budget_line_pk=b.pk LEFT JOIN s ON s.line=b.pk ORDER BY b.pk"};

json_t *store_ledger_verify(store_conn_t *c, long long *lines)
{
    *lines = 0;
    sqlite3_stmt *st = stmt(c, &Q_VERIFY);
    if (!st)
        return NULL;
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        (*lines)++;
        int64_t v[6];
        for (int i = 0; i < 6; i++)
            v[i] = sqlite3_column_int64(st, 2 + i);
        if (v[0] == v[3] && v[1] == v[4] && v[2] == v[5])
            continue;
        json_array_append_new(
            out, json_pack("{s:o,s:o,s:{s:I,s:I,s:I},s:{s:I,s:I,s:I}}", "budget_line",
                           col_str(st, 0), "code", col_str(st, 1), "kept", "committed_minor",
                           (json_int_t)v[0], "disbursed_minor", (json_int_t)v[1], "entries",
                           (json_int_t)v[2], "ledger", "committed_minor", (json_int_t)v[3],
                           "disbursed_minor", (json_int_t)v[4], "entries", (json_int_t)v[5]));
    }
    if (rc != SQLITE_DONE) {
        json_decref(out);
        out = NULL;
    }
    done(st, 0);
    return out;
}

/* ---- what a disbursement names ------------------------------------------ */

static store_stmt_t Q_ITEM = {
    .sql = "SELECT i.pk,coalesce(i.budget_line_pk,0),i.budget_minor,p.office_pk,i.status,"
           "i.currency,(SELECT CASE WHEN count(*)=1 THEN max(m.case_pk) ELSE 0 END FROM "
           "plan_members m WHERE m.plan_pk=p.pk),(SELECT CASE WHEN count(*)=1 THEN "
           "max(m.person_pk) ELSE 0 END FROM plan_members m WHERE m.plan_pk=p.pk) FROM "
           "plan_items i JOIN plans p ON p.pk=i.plan_pk WHERE i.id=?"};

int store_ledger_item(store_conn_t *c, const char *id, store_ledger_item_t *it)
{
    sqlite3_stmt *st = stmt(c, &Q_ITEM);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    memset(it, 0, sizeof *it);
    it->pk = sqlite3_column_int64(st, 0);
    it->line_pk = sqlite3_column_int64(st, 1);
    it->budget_minor = sqlite3_column_int64(st, 2);
    it->office_pk = sqlite3_column_int64(st, 3);
    copy_col(st, 4, it->status, sizeof it->status);
    copy_col(st, 5, it->currency, sizeof it->currency);
    it->case_pk = sqlite3_column_int64(st, 6);
    it->person_pk = sqlite3_column_int64(st, 7);
    return done(st, STORE_OK);
}

static store_stmt_t Q_CASE_PERSON = {
    .sql = "SELECT m.person_pk FROM case_members m JOIN persons p ON p.pk=m.person_pk WHERE "
           "m.case_pk=? AND p.id=?"};

int64_t store_ledger_case_person(store_conn_t *c, int64_t case_pk, const char *person_id)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_PERSON);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, case_pk);
    bind_text_or_null(st, 2, person_id);
    int64_t pk = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return pk;
}

static store_stmt_t Q_ALLOWANCE = {
    .sql = "SELECT a.movement_pk,a.person_pk,a.amount_minor,m.office_pk,m.receiving_office_pk,"
           "a.currency,coalesce(a.budget_line,'') FROM movement_allowances a JOIN movements m ON "
           "m.pk=a.movement_pk JOIN persons p ON p.pk=a.person_pk WHERE m.id=? AND p.id=?"};

int store_ledger_allowance(store_conn_t *c, const char *movement_id, const char *person_id,
                           store_ledger_allowance_t *al)
{
    sqlite3_stmt *st = stmt(c, &Q_ALLOWANCE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, movement_id);
    bind_text_or_null(st, 2, person_id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return done(st, rc == SQLITE_DONE ? STORE_NOTFOUND : STORE_ERR);
    memset(al, 0, sizeof *al);
    al->movement_pk = sqlite3_column_int64(st, 0);
    al->person_pk = sqlite3_column_int64(st, 1);
    al->amount_minor = sqlite3_column_int64(st, 2);
    al->office_pk = sqlite3_column_int64(st, 3);
    al->receiving_pk = sqlite3_column_int64(st, 4);
    copy_col(st, 5, al->currency, sizeof al->currency);
    copy_col(st, 6, al->budget_line, sizeof al->budget_line);
    return done(st, STORE_OK);
}

static store_stmt_t Q_ACTIVITY = {.sql = "SELECT pk,office_pk FROM activities WHERE id=?"};

int64_t store_ledger_activity(store_conn_t *c, const char *id, int64_t *office_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_ACTIVITY);
    if (!st)
        return 0;
    bind_text_or_null(st, 1, id);
    int64_t pk = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        pk = sqlite3_column_int64(st, 0);
        *office_pk = sqlite3_column_int64(st, 1);
    }
    done(st, 0);
    return pk;
}
