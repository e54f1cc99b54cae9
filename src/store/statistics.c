/*
 * statistics.c — counts: cases per stage in a scope (the dashboard), and
 * the breakdowns of aggregate reports (never personal data).
 */
#include "internal.h"

/* Three parts that never overlap, each counted from an index: the cases
 * of the offices (office_pk, stage), those handed over to them from
 * elsewhere, and those of the projects not already counted. */
static store_stmt_t Q_COUNTS_SCOPED = {
    .sql = "SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
           "c.office_pk IN (SELECT value FROM json_each(?2)) GROUP BY stage "
           "UNION ALL SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
           "c.receiving_office_pk IN (SELECT value FROM json_each(?2)) AND c.office_pk NOT IN "
           "(SELECT value FROM json_each(?2)) GROUP BY stage "
           "UNION ALL SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) AND "
           "c.project IN (SELECT value FROM json_each(?3)) AND c.office_pk NOT IN "
           "(SELECT value FROM json_each(?2)) AND coalesce(c.receiving_office_pk,0) NOT IN "
           "(SELECT value FROM json_each(?2)) GROUP BY stage"};
static store_stmt_t Q_COUNTS_ALL = {
    .sql = "SELECT stage, count(*) FROM cases c WHERE (?1=0 OR c.office_pk=?1) GROUP BY stage"};

json_t *store_case_counts(store_conn_t *c, int64_t office_pk, const int64_t *offices, int nof,
                          const char *projects)
{
    sqlite3_stmt *st = stmt(c, nof < 0 ? &Q_COUNTS_ALL : &Q_COUNTS_SCOPED);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, office_pk);
    if (nof >= 0) {
        char *scope = store_offices_json(offices, nof);
        bind_text_or_null(st, 2, scope);
        free(scope);
        bind_text_or_null(st, 3, projects);
    }
    json_t *by = json_object();
    json_int_t total = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *stage = (const char *)sqlite3_column_text(st, 0);
        json_int_t n = sqlite3_column_int64(st, 1);
        json_t *had = json_object_get(by, stage);
        json_object_set_new(by, stage, json_integer(n + (had ? json_integer_value(had) : 0)));
        total += n;
    }
    done(st, 0);
    return json_pack("{s:o,s:I}", "by_stage", by, "total", total);
}

/* One breakdown: [{"key", "count"}] from a query of (key, count) rows. */
static json_t *breakdown(store_conn_t *c, store_stmt_t *d)
{
    sqlite3_stmt *st = stmt(c, d);
    json_t *arr = json_array();
    if (!st)
        return arr;
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(arr, json_pack("{s:o,s:I}", "key", col_str(st, 0), "count",
                                             (json_int_t)sqlite3_column_int64(st, 1)));
    done(st, 0);
    return arr;
}

static store_stmt_t Q_BY_STAGE = {
    .sql = "SELECT stage, count(*) FROM cases GROUP BY stage ORDER BY stage"};
static store_stmt_t Q_BY_OFFICE = {
    .sql = "SELECT o.code, count(*) FROM cases c JOIN offices o ON o.pk=c.office_pk "
           "GROUP BY o.code ORDER BY o.code"};
static store_stmt_t Q_BY_DESTINATION = {
    .sql = "SELECT destination_country, count(*) FROM cases GROUP BY 1 ORDER BY 1"};
/* A person merged into another (merge room) is counted as that one. */
static store_stmt_t Q_BY_SEX = {
    .sql = "SELECT sex, count(*) FROM persons WHERE merged_into_pk IS NULL GROUP BY 1 ORDER BY 1"};
static store_stmt_t Q_BY_NATIONALITY = {
    .sql = "SELECT nationality, count(*) FROM persons WHERE merged_into_pk IS NULL GROUP BY 1 "
           "ORDER BY 1"};

/* The closed cases by reason; "closed" from the stage table. */
static char *closed_by_reason_sql(const store_stmt_t *d)
{
    (void)d;
    sql_t q;
    sql_init(&q);
    sql_puts(&q, "SELECT closure_reason, count(*) FROM cases WHERE stage IN (");
    store_stage_list(&q, store_stage_bit("closed"));
    sql_puts(&q, ") AND closure_reason IS NOT NULL GROUP BY 1 ORDER BY 1");
    return sql_take(&q);
}
static store_stmt_t Q_CLOSED_BY_REASON = {.build = closed_by_reason_sql};

json_t *store_statistics(store_conn_t *c)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "cases_by_stage", breakdown(c, &Q_BY_STAGE),
                     "cases_by_office", breakdown(c, &Q_BY_OFFICE), "cases_by_destination",
                     breakdown(c, &Q_BY_DESTINATION), "persons_by_sex", breakdown(c, &Q_BY_SEX),
                     "persons_by_nationality", breakdown(c, &Q_BY_NATIONALITY),
                     "cases_closed_by_reason", breakdown(c, &Q_CLOSED_BY_REASON));
}
