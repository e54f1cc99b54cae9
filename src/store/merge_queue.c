/*
 * merge_queue.c — the review queue's rows (declared in merges.h): the
 * possible duplicates of a status, best score first (duplicate_pairs,
 * migration 19; the open pairs of a person merged away left out), one
 * pair, a person as the queue shows them (names, sex, date of birth,
 * nationality, cases with their place for the scope check), and a pair's
 * decision, made only while the pair is open. The merge itself and its
 * undo are in merges.c.
 */
#include "internal.h"
#include "merges.h"

#define PAIR_COLS                                                                                  \
    "SELECT p.person_a,p.person_b,pa.id,pb.id,p.score,p.explanation,p.source,"                     \
    "p.created_at,p.status,p.note,u.username,p.decided_at,(SELECT m.id FROM person_merges m "      \
    "WHERE m.pair_a=p.person_a AND m.pair_b=p.person_b ORDER BY m.pk DESC LIMIT 1) "               \
    "FROM duplicate_pairs p JOIN persons pa ON pa.pk=p.person_a JOIN persons pb ON "               \
    "pb.pk=p.person_b LEFT JOIN users u ON u.pk=p.decided_by_pk "

static store_stmt_t Q_PAIRS = {
    .sql = PAIR_COLS "WHERE p.status=?1 AND (?1<>'open' OR (pa.merged_into_pk IS NULL AND "
                     "pb.merged_into_pk IS NULL)) AND (?2<0 OR (-p.score,p.person_a,p.person_b)>"
                     "(-?2,?3,?4)) ORDER BY p.score DESC,p.person_a,p.person_b LIMIT ?5"};
static store_stmt_t Q_PAIR = {.sql = PAIR_COLS "WHERE p.person_a=?1 AND p.person_b=?2"};

/* The pair of the current row of st (PAIR_COLS). */
static json_t *pair_row(sqlite3_stmt *st)
{
    json_error_t e;
    const char *ex = (const char *)sqlite3_column_text(st, 5);
    json_t *explanation = ex ? json_loads(ex, 0, &e) : NULL;
    json_t *row = json_pack(
        "{s:I,s:I,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "a_pk", (json_int_t)sqlite3_column_int64(st, 0),
        "b_pk", (json_int_t)sqlite3_column_int64(st, 1), "a_id", col_str(st, 2), "b_id",
        col_str(st, 3), "score", (json_int_t)sqlite3_column_int64(st, 4), "explanation",
        explanation ? explanation : json_null(), "source", col_str(st, 6), "created_at",
        store_col_time(st, 7), "status", col_str(st, 8));
    if (sqlite3_column_type(st, 9) != SQLITE_NULL)
        json_object_set_new(row, "note", col_str(st, 9));
    if (sqlite3_column_type(st, 10) != SQLITE_NULL)
        json_object_set_new(row, "decided_by", col_str(st, 10));
    if (sqlite3_column_type(st, 11) != SQLITE_NULL)
        json_object_set_new(row, "decided_at", store_col_time(st, 11));
    if (sqlite3_column_type(st, 12) != SQLITE_NULL)
        json_object_set_new(row, "merge", col_str(st, 12));
    return row;
}

json_t *store_dup_pairs(store_conn_t *c, const char *status, long long after_score, int64_t after_a,
                        int64_t after_b, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_PAIRS);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, after_score);
    sqlite3_bind_int64(st, 3, after_a);
    sqlite3_bind_int64(st, 4, after_b);
    sqlite3_bind_int(st, 5, limit);
    json_t *out = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(out, pair_row(st));
    done(st, 0);
    if (rc != SQLITE_DONE) {
        json_decref(out);
        return NULL;
    }
    return out;
}

json_t *store_dup_pair(store_conn_t *c, int64_t a, int64_t b)
{
    sqlite3_stmt *st = stmt(c, &Q_PAIR);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    json_t *row = sqlite3_step(st) == SQLITE_ROW ? pair_row(st) : NULL;
    done(st, 0);
    return row;
}

static store_stmt_t Q_PERSON = {
    .sql = "SELECT p.id,p.name,p.name_latin,p.sex,p.date_of_birth,p.dob_precision,p.nationality,"
           "(SELECT id FROM persons WHERE pk=p.merged_into_pk) FROM persons p WHERE p.pk=?"};
static store_stmt_t Q_PERSON_CASES = {
    .sql = "SELECT c.id,c.number,c.stage,o.code,c.office_pk,coalesce(c.receiving_office_pk,0),"
           "coalesce(c.project,'') FROM case_members cm JOIN cases c ON c.pk=cm.case_pk JOIN "
           "offices o ON o.pk=c.office_pk WHERE cm.person_pk=? ORDER BY c.pk"};

json_t *store_merge_person(store_conn_t *c, int64_t pk)
{
    sqlite3_stmt *st = stmt(c, &Q_PERSON);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, pk);
    json_t *p = NULL;
    if (sqlite3_step(st) == SQLITE_ROW) {
        p = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", col_str(st, 0), "name", col_str(st, 1),
                      "name_latin", col_str(st, 2), "sex", col_str(st, 3), "date_of_birth",
                      col_str(st, 4), "dob_precision", col_str(st, 5), "nationality",
                      col_str(st, 6));
        if (sqlite3_column_type(st, 7) != SQLITE_NULL)
            json_object_set_new(p, "merged_into", col_str(st, 7));
    }
    done(st, 0);
    if (!p)
        return NULL;
    json_t *cases = json_array();
    json_object_set_new(p, "cases", cases);
    if (!(st = stmt(c, &Q_PERSON_CASES))) {
        json_decref(p);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, pk);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            cases,
            json_pack("{s:o,s:o,s:o,s:o,s:I,s:I,s:o}", "id", col_str(st, 0), "number",
                      col_str(st, 1), "stage", col_str(st, 2), "office", col_str(st, 3),
                      "office_pk", (json_int_t)sqlite3_column_int64(st, 4), "receiving_office_pk",
                      (json_int_t)sqlite3_column_int64(st, 5), "project", col_str(st, 6)));
    done(st, 0);
    return p;
}

static store_stmt_t Q_PAIR_STATUS = {
    .sql = "SELECT status FROM duplicate_pairs WHERE person_a=? AND person_b=?"};

int store_dup_pair_status(store_conn_t *c, int64_t a, int64_t b, char status[16])
{
    sqlite3_stmt *st = stmt(c, &Q_PAIR_STATUS);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    int rc = STORE_NOTFOUND;
    if (sqlite3_step(st) == SQLITE_ROW) {
        snprintf(status, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = STORE_OK;
    }
    return done(st, rc);
}

static store_stmt_t Q_PAIR_DECIDE = {
    .sql = "UPDATE duplicate_pairs SET status=?3,note=?4,decided_by_pk=?5,decided_at=?6 "
           "WHERE person_a=?1 AND person_b=?2 AND status='open'"};

int store_dup_pair_decide(store_conn_t *c, int64_t a, int64_t b, const char *status,
                          const char *note, int64_t user_pk, int64_t now_ms)
{
    char now[16];
    int rc = store_dup_pair_status(c, a, b, now);
    if (rc != STORE_OK)
        return rc;
    if (strcmp(now, "open") != 0)
        return STORE_CONFLICT;
    sqlite3_stmt *st = stmt(c, &Q_PAIR_DECIDE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_text(st, 3, status, -1, SQLITE_TRANSIENT);
    bind_text_or_null(st, 4, note);
    bind_pk_or_null(st, 5, user_pk);
    sqlite3_bind_int64(st, 6, now_ms);
    return step_done(c, st);
}
