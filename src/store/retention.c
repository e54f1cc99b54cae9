/*
 * retention.c — anonymisation of cases past their retention period.
 *
 * The policy (which stages, how long) is app/retention.c's; here is the
 * rule of what goes and what stays. A case anonymised keeps its stage,
 * dates, codes and counts for the statistics; it loses its notes, the
 * free text, names and sensitive fields of its records (only statistical
 * fields of each record kind stay: statistical_field), the free-text
 * reasons of its transitions, the free text of its needs assessments,
 * the findings (and notes) of its monitoring visits and the raw answers
 * of its survey responses (their scores stay); its members — and the
 * members who left it — lose their names, contact, documents, name keys,
 * protection concerns and day of birth, unless they are in another case
 * still in use.
 * Everything runs inside the caller's write job: all or nothing.
 */
#include "internal.h"
#include "../core/journey.h"

static store_stmt_t Q_RETENTION_DUE = {
    .sql = "SELECT c.id,c.number,c.stage,c.closure_reason,c.updated_at,o.code,"
           "(SELECT count(*) FROM case_members m WHERE m.case_pk=c.pk) "
           "FROM cases c JOIN offices o ON o.pk=c.office_pk "
           "WHERE c.stage=? AND c.updated_at<? AND c.anonymised_at IS NULL "
           "ORDER BY c.updated_at, c.pk LIMIT ?"};

json_t *store_retention_due(store_conn_t *c, const char *stage, int64_t before_ms, int limit)
{
    sqlite3_stmt *st = stmt(c, &Q_RETENTION_DUE);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, before_ms);
    sqlite3_bind_int(st, 3, limit);
    json_t *arr = json_array();
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:i}", "id", col_str(st, 0),
                                             "number", col_str(st, 1), "stage", col_str(st, 2),
                                             "closure_reason", col_str(st, 3), "since",
                                             store_col_time(st, 4), "office", col_str(st, 5),
                                             "members", sqlite3_column_int(st, 6)));
    done(st, 0);
    return arr;
}

/* Runs one statement with up to two integer parameters; STORE_OK or
 * STORE_ERR. */
static int run_ii(store_conn_t *c, store_stmt_t *d, int64_t a, int64_t b)
{
    sqlite3_stmt *st = stmt(c, d);
    int rc = SQLITE_ERROR;
    if (st) {
        int n = sqlite3_bind_parameter_count(st);
        if (n >= 1)
            sqlite3_bind_int64(st, 1, a);
        if (n >= 2)
            sqlite3_bind_int64(st, 2, b);
        rc = done(st, sqlite3_step(st));
    }
    if (rc != SQLITE_DONE) {
        awda_log(LOG_ERROR, "retention", "\"sqlite\":\"%s\"", sqlite3_errmsg(c->db));
        return STORE_ERR;
    }
    return STORE_OK;
}

/* 1 when a record field may stay in an anonymised case: statistical
 * (codes, flags, dates, numbers), never free text, names or anything of a
 * sensitive class. */
static int statistical_field(const awda_field_t *f)
{
    if (f->sens != SENS_NONE)
        return 0;
    switch (f->type) {
    case FT_ENUM:
    case FT_BOOL:
    case FT_INT:
    case FT_DATE:
    case FT_DATETIME:
    case FT_TIMESTAMP:
    case FT_PARTIAL_DATE:
    case FT_UUID:
    case FT_COUNTRY:
    case FT_NATIONALITY:
    case FT_LANGS:
    case FT_FLAGS:
        return 1;
    default:
        return 0;
    }
}

static store_stmt_t Q_RECORDS_DATA = {.sql =
                                          "SELECT pk,kind,data FROM case_records WHERE case_pk=?"};
static store_stmt_t Q_RECORD_DATA_SET = {.sql = "UPDATE case_records SET data=? WHERE pk=?"};

static int anonymise_records(store_conn_t *c, int64_t case_pk)
{
    sqlite3_stmt *sel = stmt(c, &Q_RECORDS_DATA), *upd = stmt(c, &Q_RECORD_DATA_SET);
    int rc = STORE_OK;
    if (!sel || !upd)
        return STORE_ERR;
    sqlite3_bind_int64(sel, 1, case_pk);
    while (rc == STORE_OK && sqlite3_step(sel) == SQLITE_ROW) {
        const awda_entity_t *e = awda_record_kind((const char *)sqlite3_column_text(sel, 1), NULL);
        json_t *data = json_loads((const char *)sqlite3_column_text(sel, 2), 0, NULL);
        json_t *kept = json_object();
        for (size_t i = 0; e && i < e->nfields; i++) {
            json_t *v = json_object_get(data, e->fields[i].name);
            if (v && statistical_field(&e->fields[i]))
                json_object_set(kept, e->fields[i].name, v);
        }
        int bound = bind_json(upd, 1, kept, JSON_SORT_KEYS);
        json_decref(kept);
        json_decref(data);
        sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
        if (bound != STORE_OK || sqlite3_step(upd) != SQLITE_DONE)
            rc = STORE_ERR;
        done(upd, 0);
    }
    done(sel, 0);
    return rc;
}

/* The members who left the case (its "member_removed" events) and are in
 * no other case still in use lose what names or reaches them, as the
 * members do; the events keep who (the id) and when, not the name or the
 * free-text reason. Adds the persons anonymised to *persons. */
static store_stmt_t Q_REMOVED_TABLE = {
    .sql = "CREATE TEMP TABLE IF NOT EXISTS removed_here(pk INTEGER PRIMARY KEY)"};
static store_stmt_t Q_REMOVED_CLEAR = {.sql = "DELETE FROM removed_here"};
static store_stmt_t Q_REMOVED_FIND = {
    .sql = "INSERT OR IGNORE INTO removed_here(pk) SELECT p.pk FROM case_events e JOIN "
           "persons p ON p.id=json_extract(e.data,'$.person_id') WHERE e.case_pk=?1 AND "
           "e.kind='member_removed' AND p.anonymised_at IS NULL AND NOT EXISTS (SELECT 1 "
           "FROM case_members o JOIN cases oc ON oc.pk=o.case_pk WHERE "
           "o.person_pk=p.pk AND oc.anonymised_at IS NULL)"};
static store_stmt_t Q_REMOVED_ANON[] = {
    {.sql = "DELETE FROM person_documents WHERE person_pk IN (SELECT pk FROM removed_here)"},
    {.sql = "DELETE FROM person_name_keys WHERE person_pk IN (SELECT pk FROM removed_here)"},
    {.sql = "DELETE FROM person_name_pairs WHERE person_pk IN (SELECT pk FROM removed_here)"},
    {.sql = "DELETE FROM person_search_keys WHERE person_pk IN (SELECT pk FROM removed_here)"},
    /* the blocking keys of the duplicates module (duplicates.c) */
    {.sql = "DELETE FROM person_dup_keys WHERE person_pk IN (SELECT pk FROM removed_here)"},
    {.sql = "UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL, "
            "protection_vulnerabilities=NULL, date_of_birth=substr(date_of_birth,1,4), "
            "dob_precision=CASE WHEN date_of_birth IS NULL OR dob_precision='estimated' THEN "
            "dob_precision ELSE 'year' END, anonymised_at=?2 WHERE pk IN (SELECT pk FROM "
            "removed_here) AND anonymised_at IS NULL"},
    {.sql = "UPDATE case_events SET data=json_remove(data,'$.reason','$.name','$.name_latin') "
            "WHERE case_pk=?1 AND kind='member_removed'"},
};

static int anonymise_removed_members(store_conn_t *c, int64_t case_pk, int64_t now_ms, int *persons)
{
    int rc = run_ii(c, &Q_REMOVED_TABLE, 0, 0);
    if (rc == STORE_OK)
        rc = run_ii(c, &Q_REMOVED_CLEAR, 0, 0);
    if (rc == STORE_OK)
        rc = run_ii(c, &Q_REMOVED_FIND, case_pk, now_ms);
    int n = rc == STORE_OK ? sqlite3_changes(c->db) : 0;
    for (size_t k = 0; k < sizeof Q_REMOVED_ANON / sizeof Q_REMOVED_ANON[0] && rc == STORE_OK; k++)
        rc = run_ii(c, &Q_REMOVED_ANON[k], case_pk, now_ms);
    if (rc == STORE_OK)
        rc = run_ii(c, &Q_REMOVED_CLEAR, 0, 0);
    if (rc == STORE_OK)
        *persons += n;
    return rc;
}

/* Reintegration and follow-up: the needs assessments keep their date and
 * the returnee's choice, the visits their date, mode, visitor and the
 * state of each item seen, the survey responses their scores (answers
 * "{}": store/followup.c reads them as they are and rescoring leaves
 * them alone); the free text, the sealed needs and findings and the raw
 * answers go. */
static store_stmt_t Q_FOLLOWUP_ANON[] = {
    {.sql = "UPDATE needs_assessments SET skills=NULL, education=NULL, work_history=NULL, "
            "family_situation=NULL, housing=NULL, health_needs=NULL, psychosocial_needs=NULL, "
            "project_idea=NULL WHERE case_pk=?1"},
    {.sql = "UPDATE monitoring_visits SET findings=NULL, item_states=CASE WHEN item_states IS "
            "NULL OR json_valid(item_states)=0 THEN NULL ELSE (SELECT "
            "json_group_array(json_remove(value,'$.note')) FROM json_each(item_states)) END "
            "WHERE case_pk=?1"},
    {.sql = "UPDATE survey_responses SET answers='{}' WHERE case_pk=?1"},
};

static store_stmt_t Q_CASE_ANON = {
    .sql = "UPDATE cases SET notes=NULL, anonymised_at=?1 WHERE pk=?2 AND anonymised_at IS NULL"};
static store_stmt_t Q_TRANSITION_REASONS_DROP = {
    .sql = "UPDATE case_events SET data=json_remove(data,'$.reason') WHERE case_pk=? AND "
           "kind='transition'"};
/* The members of the case in no other case still in use. */
static store_stmt_t Q_MEMBERS_ALONE = {
    .sql = "SELECT m.person_pk FROM case_members m WHERE m.case_pk=?1 AND NOT EXISTS "
           "(SELECT 1 FROM case_members o JOIN cases oc ON oc.pk=o.case_pk WHERE "
           "o.person_pk=m.person_pk AND oc.pk<>?1 AND oc.anonymised_at IS NULL)"};
/* Members with no other case still in use lose everything that names or
 * reaches them, and their protection concerns (protection detail, like
 * that of the records); sex, year of birth, nationality, languages and
 * the routing vulnerability flags stay for the statistics. */
static store_stmt_t Q_PERSON_ANON[] = {
    {.sql = "DELETE FROM person_documents WHERE person_pk=?1"},
    {.sql = "DELETE FROM person_name_keys WHERE person_pk=?1"},
    {.sql = "DELETE FROM person_name_pairs WHERE person_pk=?1"},
    {.sql = "DELETE FROM person_search_keys WHERE person_pk=?1"},
    /* the blocking keys of the duplicates module (duplicates.c) */
    {.sql = "DELETE FROM person_dup_keys WHERE person_pk=?1"},
    {.sql = "UPDATE persons SET name='[anonymised]', name_latin=NULL, contact=NULL, "
            "protection_vulnerabilities=NULL, date_of_birth=substr(date_of_birth,1,4), "
            "dob_precision=CASE WHEN date_of_birth IS NULL OR dob_precision='estimated' THEN "
            "dob_precision ELSE 'year' END, anonymised_at=?2 WHERE pk=?1"},
};

int store_case_anonymise(store_conn_t *c, int64_t case_pk, int64_t now_ms, int *persons)
{
    *persons = 0;
    int rc = run_ii(c, &Q_CASE_ANON, now_ms, case_pk);
    if (rc != STORE_OK)
        return rc;
    if (sqlite3_changes(c->db) == 0)
        return STORE_NOTFOUND; /* gone, or done already */
    if ((rc = anonymise_records(c, case_pk)) != STORE_OK)
        return rc;
    /* The timeline keeps what happened and when; a transition's free-text
     * reason may name people, so it goes. */
    if ((rc = run_ii(c, &Q_TRANSITION_REASONS_DROP, case_pk, 0)) != STORE_OK)
        return rc;
    for (size_t k = 0; k < sizeof Q_FOLLOWUP_ANON / sizeof Q_FOLLOWUP_ANON[0]; k++)
        if ((rc = run_ii(c, &Q_FOLLOWUP_ANON[k], case_pk, 0)) != STORE_OK)
            return rc;
    /* Members with no other case still in use: Q_PERSON_ANON. */
    sqlite3_stmt *st = stmt(c, &Q_MEMBERS_ALONE);
    if (!st)
        return STORE_ERR;
    sqlite3_bind_int64(st, 1, case_pk);
    int64_t pks[AWDA_MAX_MEMBERS];
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW && n < AWDA_MAX_MEMBERS)
        pks[n++] = sqlite3_column_int64(st, 0);
    done(st, 0);
    for (int i = 0; i < n && rc == STORE_OK; i++)
        for (size_t k = 0; k < sizeof Q_PERSON_ANON / sizeof Q_PERSON_ANON[0] && rc == STORE_OK;
             k++)
            rc = run_ii(c, &Q_PERSON_ANON[k], pks[i], now_ms);
    if (rc == STORE_OK)
        *persons = n;
    if (rc == STORE_OK)
        rc = anonymise_removed_members(c, case_pk, now_ms, persons);
    return rc;
}
