/*
 * cases.c — the case aggregate in the store: its row, members, human
 * numbers, stage, hand-over, and the filtered list. Reading a case whole
 * (its row with its members and their persons, typed) is
 * case_aggregate.c.
 *
 * The columns of a case beside the fixed ones (id, number, office, stage,
 * version...) come from the field table AWDA_CASE (core/entities.c): the
 * insert and update statements are built from it at first use, so
 * a new field needs no SQL here. Every change to a case bumps its version
 * (optimistic concurrency: an update names the version it read and gets
 * STORE_STALE when another came first).
 *
 * The list (store_case_list_each) is the one dynamic statement: its filters
 * decide its text, and a scoped list is one part per office, receiving
 * office and project, each walking its index newest first.
 */
#include "internal.h"
#include <limits.h>
#include "../core/journey.h"

/* The stage every case starts at, from the stage table. */
#define FIRST_STAGE "registered"

static char *case_insert_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "INSERT INTO cases(id,number,office_pk,assigned_to_pk,stage,version,created_at,"
                 "updated_at,created_by_pk");
    store_col_names(&q, &AWDA_CASE);
    sql_puts(&q, ") VALUES(?,?,?,?,");
    store_stage_list(&q, store_stage_bit(FIRST_STAGE));
    sql_puts(&q, ",1,?,?,?");
    store_col_marks(&q, &AWDA_CASE);
    sql_puts(&q, ")");
    return sql_take(&q);
}

static char *case_update_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "UPDATE cases SET version=version+1, updated_at=?, office_pk=?, assigned_to_pk=?");
    store_col_sets(&q, &AWDA_CASE);
    sql_puts(&q, " WHERE pk=? AND version=?");
    return sql_take(&q);
}

static store_stmt_t Q_CASE_INSERT = {.build = case_insert_sql};
static store_stmt_t Q_CASE_UPDATE = {.build = case_update_sql};
static store_stmt_t Q_CASE_PROJECT = {.sql = "SELECT project FROM cases WHERE pk=?"};
static store_stmt_t Q_CASE_RECEIVING = {.sql = "SELECT receiving_office_pk FROM cases WHERE pk=?"};
static store_stmt_t Q_CASE_HAND_OVER = {
    .sql = "UPDATE cases SET receiving_office_pk=?, version=version+1, updated_at=? WHERE pk=? "
           "AND version=?"};
static store_stmt_t Q_CASE_TOUCH = {
    .sql = "UPDATE cases SET version=version+1, updated_at=? WHERE pk=?"};
static store_stmt_t Q_CASE_STAGE_BACK = {.sql =
                                             "UPDATE cases SET stage=?, stage_before=? WHERE pk=?"};
static store_stmt_t Q_CASE_RECEIVING_CLEAR = {
    .sql = "UPDATE cases SET receiving_office_pk=NULL WHERE pk=?"};
static store_stmt_t Q_COUNTER_GET = {
    .sql = "SELECT next FROM office_counters WHERE office_pk=? AND year=?"};
static store_stmt_t Q_COUNTER_SET = {
    .sql = "INSERT INTO office_counters(office_pk,year,next) VALUES(?,?,?) "
           "ON CONFLICT(office_pk,year) DO UPDATE SET next=excluded.next"};
static store_stmt_t Q_CASE_FIND = {.sql = "SELECT pk,office_pk,version FROM cases WHERE id=?"};
static store_stmt_t Q_MEMBERS_CLEAR = {.sql = "DELETE FROM case_members WHERE case_pk=?"};
static store_stmt_t Q_MEMBER_ADD = {
    .sql = "INSERT INTO case_members(case_pk,person_pk,relationship,position) "
           "VALUES(?,?,?,?)"};
static store_stmt_t Q_CASE_SET_STAGE = {
    .sql = "UPDATE cases SET stage=?, stage_before=?, closure_reason=?, "
           "version=version+1, updated_at=? WHERE pk=? AND version=?"};

int store_case_number(store_conn_t *c, int64_t office_pk, const char *office_code, int year,
                      char out[40])
{
    sqlite3_stmt *st = stmt(c, &Q_COUNTER_GET);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int(st, 2, year);
    int64_t next = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
    done(st, 0);
    if (!(st = stmt(c, &Q_COUNTER_SET)))
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int(st, 2, year);
    sqlite3_bind_int64(st, 3, next + 1);
    int rc = step_done(c, st);
    snprintf(out, 40, "%s-%04d-%06lld", office_code, year, (long long)next);
    return rc;
}

int store_case_insert(store_conn_t *c, const json_t *caze, const char *number, int64_t office_pk,
                      int64_t assigned_pk, int64_t user_pk, char id_out[37], int64_t *pk_out)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_INSERT);
    if (!st)
        return STORE_ERR;
    awda_uuid7(id_out);
    int64_t now = awda_now_ms();
    sqlite3_bind_text(st, 1, id_out, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, office_pk);
    if (assigned_pk)
        sqlite3_bind_int64(st, 4, assigned_pk);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, now);
    if (user_pk)
        sqlite3_bind_int64(st, 7, user_pk);
    else
        sqlite3_bind_null(st, 7);
    if (store_bind_cols(st, 8, &AWDA_CASE, caze) < 0)
        return done(st, STORE_ERR);
    int rc = step_done(c, st);
    if (rc == STORE_OK)
        *pk_out = sqlite3_last_insert_rowid(c->db);
    return rc;
}

int store_case_update(store_conn_t *c, int64_t pk, int64_t expected_version, const json_t *caze,
                      int64_t office_pk, int64_t assigned_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_UPDATE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, office_pk);
    bind_pk_or_null(st, 3, assigned_pk);
    int idx = store_bind_cols(st, 4, &AWDA_CASE, caze);
    if (idx < 0)
        return done(st, STORE_ERR);
    sqlite3_bind_int64(st, idx, pk);
    sqlite3_bind_int64(st, idx + 1, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_case_members_clear(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_MEMBERS_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    return step_done(c, st);
}

int store_case_member_add(store_conn_t *c, int64_t case_pk, int64_t person_pk,
                          const char *relationship, int position)
{
    sqlite3_stmt *st = stmt(c, &Q_MEMBER_ADD);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    sqlite3_bind_int64(st, 2, person_pk);
    bind_text_or_null(st, 3, relationship);
    sqlite3_bind_int(st, 4, position);
    return step_done(c, st);
}

int store_case_find(store_conn_t *c, const char *id, int64_t *pk, int64_t *office_pk,
                    int64_t *version)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_FIND);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        return done(st, STORE_NOTFOUND);
    *pk = sqlite3_column_int64(st, 0);
    *office_pk = sqlite3_column_int64(st, 1);
    *version = sqlite3_column_int64(st, 2);
    return done(st, STORE_OK);
}

void store_case_project(store_conn_t *c, int64_t case_pk, char *out, size_t cap)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_PROJECT);
    out[0] = '\0';
    if (!st)
        return;
    sqlite3_bind_int64(st, 1, case_pk);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    done(st, 0);
}

int64_t store_case_receiving_office(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_RECEIVING);
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, case_pk);
    int64_t v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    return v;
}

/* Runs a statement that returns no rows and resets it: STORE_OK or
 * STORE_ERR. */
static int run_plain(sqlite3_stmt *st)
{
    return done(st, sqlite3_step(st) == SQLITE_DONE ? STORE_OK : STORE_ERR);
}

int store_case_hand_over(store_conn_t *c, int64_t case_pk, int64_t expected_version,
                         int64_t office_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_HAND_OVER);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, office_pk);
    sqlite3_bind_int64(st, 2, awda_now_ms());
    sqlite3_bind_int64(st, 3, case_pk);
    sqlite3_bind_int64(st, 4, expected_version);
    int rc = run_plain(st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_case_touch(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_TOUCH);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, awda_now_ms());
    sqlite3_bind_int64(st, 2, case_pk);
    return run_plain(st);
}

int store_case_set_stage(store_conn_t *c, int64_t pk, int64_t expected_version, const char *stage,
                         const char *stage_before, const char *closure_reason)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_SET_STAGE);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, stage);
    bind_text_or_null(st, 2, stage_before);
    bind_text_or_null(st, 3, closure_reason);
    sqlite3_bind_int64(st, 4, awda_now_ms());
    sqlite3_bind_int64(st, 5, pk);
    sqlite3_bind_int64(st, 6, expected_version);
    int rc = step_done(c, st);
    if (rc == STORE_OK && sqlite3_changes(c->db) == 0)
        rc = STORE_STALE;
    return rc;
}

int store_case_stage_back(store_conn_t *c, int64_t pk, const char *stage, const char *stage_before)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_STAGE_BACK);
    if (!st)
        return STORE_ERR;
    bind_text_or_null(st, 1, stage);
    bind_text_or_null(st, 2, stage_before);
    sqlite3_bind_int64(st, 3, pk);
    return run_plain(st);
}

int store_case_receiving_clear(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_CASE_RECEIVING_CLEAR);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, pk);
    return run_plain(st);
}

/* "c.stage IN ('a','b')" for the stages of mask; the names come
 * from the stage table, never from the request. */
static void stage_in(sql_t *b, unsigned mask)
{
    sql_puts(b, "c.stage IN (");
    store_stage_list(b, mask);
    sql_puts(b, ")");
}

static void office_in(sql_t *b, const char *expr, const store_case_filter_t *f)
{
    if (f->wait_nof < 0)
        return;
    sql_printf(b, " AND %s IN (", expr);
    for (int i = 0; i < f->wait_nof; i++)
        sql_printf(b, "%s%lld", i ? "," : "", (long long)f->wait_offices[i]);
    sql_puts(b, f->wait_nof ? ")" : "NULL)");
}

/* The cases waiting for the user (see store_case_filter_t). */
static void waiting_sql(sql_t *w, const store_case_filter_t *f)
{
    sql_puts(w, " AND (0");
    if (f->waiting_host) {
        sql_puts(w, " OR (");
        stage_in(w, f->waiting_host);
        office_in(w, "c.office_pk", f);
        sql_puts(w, ")");
    }
    if (f->waiting_return) {
        sql_puts(w, " OR (");
        stage_in(w, f->waiting_return);
        office_in(w, "COALESCE(c.receiving_office_pk,c.office_pk)", f);
        if (f->wait_nof >= 0)
            sql_puts(w, " AND c.destination_country=(SELECT country FROM offices WHERE "
                        "pk=COALESCE(c.receiving_office_pk,c.office_pk))");
        sql_puts(w, ")");
    }
    sql_puts(w, ")");
}

static store_stmt_t Q_PERSONS_TOP = {.sql = "SELECT max(pk) FROM persons"};

/* Cases walked newest first for a common name before its persons' older
 * cases are gathered instead: a bound on the walk when the newest cases
 * hold few of the name (each costs a few microseconds). */
#define LIST_WALK_CASES 2000

/* Whether a case list's name is common enough to walk the cases newest
 * first, asking each whether a member has the name, rather than gather
 * every case of the persons who have it. A page of n found among T
 * persons, P of whom have the lead key, takes a walk of about n * T / P
 * cases; the gathering reads about P persons' cases, each about as dear
 * as a case walked. The two cost about the same where P * P = n * T, so
 * the key is counted up to that (about 7,800 at a million persons for a
 * page of fifty). */
static int name_is_common(store_conn_t *c, const char *lead, int page)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSONS_TOP);
    if (!st)
        return 0;
    long long persons = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    done(st, 0);
    long long need = (long long)page * persons, lo = 0, hi = 3037000499LL; /* the root */
    while (lo < hi) {
        long long mid = lo + (hi - lo) / 2;
        if (mid * mid < need)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > INT_MAX)
        return 0;
    int cap = lo > 0 ? (int)lo : 1;
    return store_name_key_count(c, lead, cap) >= cap;
}

/* A page of the list being read, maybe in two runs (list_run). */
typedef struct {
    store_case_item_fn fn;
    void *ctx;
    int n;        /* cases given to fn so far */
    int more;     /* a case after the page was read */
    int64_t last; /* the key of the last case given */
} list_page_t;

enum { LIST_GATHER, LIST_WALK };

/* "member cm has a name key in [?idx, ?idx+1)", as key k of the name. */
static void member_has_key(sql_t *w, int k, int idx)
{
    sql_printf(w,
               " AND EXISTS(SELECT 1 FROM person_name_keys k%d WHERE k%d.person_pk=cm.person_pk "
               "AND k%d.key>=?%d AND k%d.key<?%d)",
               k, k, k, idx, k, idx + 1);
}

/* Reads the cases matching f below f->cursor (and from key from_pk when
 * it is not 0), newest first, and gives fn those that still fit the page
 * of f->limit; the name, if any, found the way form says. */
static int list_run(store_conn_t *c, const store_case_filter_t *f, int form, int64_t from_pk,
                    list_page_t *pg)
{
    /* The filters (w) come first, so that a scoped list can repeat them. */
    sql_t w;
    sql_init(&w);
    int idx = 1;
    int i_cursor = 0, i_stage = 0, i_office = 0, i_nat = 0, i_scope = 0, i_num = 0;
    int i_keys = 0, i_from = 0;
    if (f->cursor > 0) {
        sql_printf(&w, " AND c.pk<?%d", idx);
        i_cursor = idx++;
    }
    if (from_pk > 0) {
        sql_printf(&w, " AND c.pk>=?%d", idx);
        i_from = idx++;
    }
    if (f->stage) {
        sql_printf(&w, " AND c.stage=?%d", idx);
        i_stage = idx++;
    }
    if (f->office_pk) {
        sql_printf(&w, " AND c.office_pk=?%d", idx);
        i_office = idx++;
    }
    if (f->nationality) {
        sql_printf(&w, " AND p.nationality=?%d", idx);
        i_nat = idx++;
    }
    int i_assigned = 0;
    if (f->assigned_pk) {
        sql_printf(&w, " AND c.assigned_to_pk=?%d", idx);
        i_assigned = idx++;
    }
    if (f->waiting)
        waiting_sql(&w, f);
    int nk = f->keys
                 ? (f->keys->count > AWDA_SEARCH_MAX_TERMS ? AWDA_SEARCH_MAX_TERMS : f->keys->count)
                 : 0;
    if (f->number_prefix || nk > 0) {
        int lead = 0;
        for (int k = 1; k < nk; k++)
            if (strlen(f->keys->key[k]) > strlen(f->keys->key[lead]))
                lead = k;
        int common = nk > 0 && form == LIST_WALK;
        /* a rarer name alone: its cases are the page's candidates */
        int alone = nk > 0 && !common && !f->number_prefix;
        if (!alone)
            sql_puts(&w, " AND (0");
        if (f->number_prefix) {
            sql_printf(&w, " OR (c.number>=?%d AND c.number<?%d)", idx, idx + 1);
            i_num = idx;
            idx += 2;
        }
        i_keys = idx;
        if (common) {
            /* A common name: the cases are walked newest first (the
             * page is found among the first few thousand), each asked
             * whether a member has every key: one seek of that member's
             * keys each. */
            sql_puts(&w, " OR EXISTS(SELECT 1 FROM case_members cm WHERE cm.case_pk=c.pk");
            for (int k = 0; k < nk; k++, idx += 2)
                member_has_key(&w, k, idx);
            sql_puts(&w, ")");
        } else if (nk > 0) {
            /* A rarer one: the persons whose keys match, found from the
             * index of the longest key (the most selective), then their
             * cases. */
            sql_printf(&w,
                       " %s c.pk IN (SELECT cm.case_pk FROM person_name_keys kl JOIN "
                       "case_members cm ON cm.person_pk=kl.person_pk WHERE kl.key>=?%d AND "
                       "kl.key<?%d",
                       alone ? "AND" : "OR", i_keys + 2 * lead, i_keys + 2 * lead + 1);
            for (int k = 0; k < nk; k++, idx += 2)
                if (k != lead)
                    member_has_key(&w, k, idx);
            sql_puts(&w, ")");
        }
        if (!alone)
            sql_puts(&w, ")");
    }
    int i_limit = idx++;
    if (f->nof >= 0) {
        i_scope = idx; /* the offices; i_scope + 1: the projects */
        idx += 2;
    }
    static const char from[] =
        " FROM cases c JOIN offices o ON o.pk=c.office_pk LEFT JOIN case_members pm ON "
        "pm.case_pk=c.pk AND pm.relationship='principal' LEFT JOIN persons p ON "
        "p.pk=pm.person_pk";
    sql_t b;
    sql_init(&b); /* up to 2 parts per office and one per project */
    sql_puts(&b, "SELECT c.pk,c.id,c.number,c.stage,o.code,c.origin_country,"
                 "c.destination_country,c.version,c.updated_at,p.id,p.name,p.name_latin,"
                 "p.nationality,p.sex,p.date_of_birth,(SELECT count(*) FROM case_members m "
                 "WHERE m.case_pk=c.pk),(SELECT username FROM users WHERE pk=c.assigned_to_pk),"
                 "c.planned_departure");
    sql_puts(&b, from);
    if (f->nof < 0) {
        sql_puts(&b, " WHERE 1=1");
        sql_puts(&b, w.b.data ? w.b.data : "");
    } else {
        /* A user sees the cases of their offices, those handed over to
         * them and, for a manager, those of their projects. An OR over
         * these, or one IN list, would make SQLite gather every case of the
         * scope and sort them; instead each office (and each project) is
         * its own part that walks its index newest first, and the page is
         * the newest of what the parts found. */
        static const char inner_from[] = " FROM cases c";
        static const char inner_principal[] =
            " LEFT JOIN case_members pm ON pm.case_pk=c.pk AND pm.relationship='principal' "
            "LEFT JOIN persons p ON p.pk=pm.person_pk";
        json_t *pj = f->projects ? json_loads(f->projects, 0, NULL) : NULL;
        int nproj = json_is_array(pj) ? (int)json_array_size(pj) : 0;
        json_decref(pj);
        int nparts = 0;
        sql_puts(&b, " WHERE c.pk IN (");
        for (int i = 0; i < 2 * f->nof + nproj; i++) {
            sql_printf(&b, "%sSELECT pk FROM (SELECT c.pk AS pk%s%s WHERE 1=1",
                       nparts++ ? " UNION ALL " : "", inner_from,
                       f->nationality ? inner_principal : "");
            sql_puts(&b, w.b.data ? w.b.data : "");
            if (i < f->nof)
                sql_printf(&b, " AND c.office_pk=%lld", (long long)f->offices[i]);
            else if (i < 2 * f->nof)
                sql_printf(&b, " AND c.receiving_office_pk=%lld",
                           (long long)f->offices[i - f->nof]);
            else
                sql_printf(&b, " AND c.project=json_extract(?%d,'$[%d]')", i_scope + 1,
                           i - 2 * f->nof);
            sql_printf(&b, " ORDER BY c.pk DESC LIMIT ?%d)", i_limit);
        }
        if (!nparts)
            sql_puts(&b, "SELECT NULL WHERE 0");
        sql_puts(&b, ")");
    }
    if (w.failed)
        b.failed = 1;
    sql_free(&w);
    sql_printf(&b, " ORDER BY c.pk DESC LIMIT ?%d", i_limit);
    char *text = sql_take(&b);
    sqlite3_stmt *st = NULL;
    if (!text || sqlite3_prepare_v2(c->db, text, -1, &st, NULL) != SQLITE_OK) {
        if (text)
            awda_log(LOG_ERROR, "sqlite_prepare", "\"error\":\"%s\"", sqlite3_errmsg(c->db));
        free(text);
        return STORE_ERR;
    }
    free(text);
    if (i_cursor)
        sqlite3_bind_int64(st, i_cursor, f->cursor);
    if (i_from)
        sqlite3_bind_int64(st, i_from, from_pk);
    if (i_stage)
        bind_text_or_null(st, i_stage, f->stage);
    if (i_office)
        sqlite3_bind_int64(st, i_office, f->office_pk);
    if (i_nat)
        bind_text_or_null(st, i_nat, f->nationality);
    if (i_assigned)
        sqlite3_bind_int64(st, i_assigned, f->assigned_pk);
    if (i_scope) /* the offices are in the SQL text; the projects are bound */
        bind_text_or_null(st, i_scope + 1, f->projects);
    char hi[AWDA_MAX_SHORT + 2];
    if (i_num) {
        snprintf(hi, sizeof hi, "%s\x7f", f->number_prefix);
        bind_text_or_null(st, i_num, f->number_prefix);
        bind_text_or_null(st, i_num + 1, hi);
    }
    for (int k = 0; k < nk; k++) {
        char khi[AWDA_NAME_KEY_MAX + 2];
        store_key_range(f->keys->key[k], khi);
        sqlite3_bind_text(st, i_keys + 2 * k, f->keys->key[k], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, i_keys + 2 * k + 1, khi, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(st, i_limit, f->limit - pg->n + 1);
    int rc = SQLITE_DONE, out = STORE_OK;
    while (out == STORE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (pg->n == f->limit) {
            pg->more = 1; /* one more than the page */
            break;
        }
        pg->last = sqlite3_column_int64(st, 0);
        store_case_item_t k = {col_text(st, 1),
                               col_text(st, 2),
                               col_text(st, 3),
                               col_text(st, 4),
                               col_text(st, 5),
                               col_text(st, 6),
                               sqlite3_column_int64(st, 7),
                               sqlite3_column_int64(st, 8),
                               col_text(st, 9),
                               col_text(st, 10),
                               col_text(st, 11),
                               col_text(st, 12),
                               col_text(st, 13),
                               col_text(st, 14),
                               sqlite3_column_int64(st, 15),
                               col_text(st, 16),
                               col_text(st, 17)};
        out = pg->fn(pg->ctx, &k);
        pg->n++;
    }
    sqlite3_finalize(st);
    if (out == STORE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        return STORE_ERR;
    return out;
}

static store_stmt_t Q_CASES_TOP = {.sql = "SELECT max(pk) FROM cases"};

int store_case_list_each(store_conn_t *c, const store_case_filter_t *f, store_case_item_fn fn,
                         void *ctx, int64_t *next_cursor)
{
    list_page_t pg = {fn, ctx, 0, 0, 0};
    *next_cursor = 0;
    int nk = f->keys ? f->keys->count : 0;
    int lead = 0;
    for (int k = 1; k < nk && k < AWDA_SEARCH_MAX_TERMS; k++)
        if (strlen(f->keys->key[k]) > strlen(f->keys->key[lead]))
            lead = k;
    /* A common name that decides alone (a number, or a nationality of the
     * principal, would pass over most cases): the newest LIST_WALK_CASES
     * cases below the cursor are walked first; only when they do not fill
     * the page are the older ones gathered from the name's persons. */
    int rc;
    if (nk > 0 && !f->number_prefix && !f->nationality &&
        name_is_common(c, f->keys->key[lead], f->limit + 1)) {
        int64_t top = f->cursor;
        if (top <= 0) {
            sqlite3_stmt *st = stmt(c, &Q_CASES_TOP);
            if (!st)
                return STORE_ERR;
            top = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
            done(st, 0);
        }
        int64_t from = top > LIST_WALK_CASES ? top - LIST_WALK_CASES : 1;
        rc = list_run(c, f, LIST_WALK, from, &pg);
        if (rc == STORE_OK && !pg.more && from > 1) {
            store_case_filter_t older = *f;
            older.cursor = from;
            rc = list_run(c, &older, LIST_GATHER, 0, &pg);
        }
    } else {
        rc = list_run(c, f, LIST_GATHER, 0, &pg);
    }
    if (rc == STORE_OK && pg.more)
        *next_cursor = pg.last;
    return rc;
}
