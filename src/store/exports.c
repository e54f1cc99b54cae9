/*
 * exports.c — the rows of a case export, streamed from a snapshot.
 *
 * An export reads on a connection of its own (store_snapshot_open, conn.c:
 * read-only, one read transaction), counts its rows first (the caller
 * refuses an export over its limit), then hands rows one at a time to the
 * HTTP layer as the client takes them (store_export_next). The statements
 * are prepared for the export and finalized with it: the cursor owns its
 * statement for as long as the client reads, so it is not one of the
 * connection's cached statements.
 */
#include "internal.h"

/* The rows of an export and their count share one WHERE: the scope of
 * the actor (offices, receiving offices, projects), a stage, an office,
 * and registration dates. CROSS JOIN keeps the cases the outer loop, in
 * the order of their key, so only the members of one case at a time are
 * sorted (by position): a million rows are never sorted in memory. */
#define EXPORT_WHERE                                                                               \
    "WHERE (?1 IS NULL OR c.stage=?1) AND (?2=0 OR c.office_pk=?2) AND "                           \
    "(?3 IS NULL OR c.office_pk IN (SELECT value FROM json_each(?3)) OR "                          \
    "c.receiving_office_pk IN (SELECT value FROM json_each(?3)) OR "                               \
    "c.project IN (SELECT value FROM json_each(?4))) AND "                                         \
    "(?5=0 OR c.created_at>=?5) AND (?6=0 OR c.created_at<?6) "

static void export_bind(sqlite3_stmt *st, const store_case_filter_t *f)
{
    bind_text_or_null(st, 1, f->stage);
    sqlite3_bind_int64(st, 2, f->office_pk);
    char *scope = store_offices_json(f->offices, f->nof);
    bind_text_or_null(st, 3, scope);
    free(scope);
    bind_text_or_null(st, 4, f->nof >= 0 ? f->projects : NULL);
    sqlite3_bind_int64(st, 5, f->created_from);
    sqlite3_bind_int64(st, 6, f->created_before);
}

long long store_export_count(store_conn_t *c, const store_case_filter_t *f)
{
    static const char sql[] = "SELECT count(*) FROM cases c CROSS JOIN case_members cm ON "
                              "cm.case_pk=c.pk " EXPORT_WHERE;
    sqlite3_stmt *st = NULL;
    long long n = -1;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
        export_bind(st, f);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

struct store_export {
    store_conn_t *c;
    sqlite3_stmt *st;
    int sealed; /* open the protection concerns */
};

store_export_t *store_export_open(store_conn_t *c, const store_case_filter_t *f, int sealed)
{
    static const char sql[] =
        "SELECT c.id,c.number,o.code,c.stage,c.origin_country,c.destination_country,"
        "c.destination_admin_area,c.destination_pcode,c.project,c.planned_departure,"
        "c.closure_reason,c.created_at,cm.relationship,p.id,p.pk,p.name,p.name_latin,p.sex,"
        "p.date_of_birth,p.dob_precision,p.nationality,p.vulnerabilities,"
        "p.protection_vulnerabilities "
        "FROM cases c CROSS JOIN case_members cm ON cm.case_pk=c.pk JOIN offices o ON "
        "o.pk=c.office_pk JOIN persons p ON p.pk=cm.person_pk " EXPORT_WHERE
        "ORDER BY c.pk, cm.position";
    store_export_t *e = awda_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->c = c;
    e->sealed = sealed;
    if (sqlite3_prepare_v2(c->db, sql, -1, &e->st, NULL) != SQLITE_OK) {
        store_export_close(e);
        return NULL;
    }
    export_bind(e->st, f);
    return e;
}

int store_export_next(store_export_t *e, json_t **row)
{
    static const char *const NAMES[] = {"case_id",
                                        "number",
                                        "office",
                                        "stage",
                                        "origin_country",
                                        "destination_country",
                                        "destination_admin_area",
                                        "destination_pcode",
                                        "project",
                                        "planned_departure",
                                        "closure_reason",
                                        "registered_at",
                                        "relationship",
                                        "person_id",
                                        "person_pk",
                                        "name",
                                        "name_latin",
                                        "sex",
                                        "date_of_birth",
                                        "dob_precision",
                                        "nationality",
                                        "vulnerabilities"};
    *row = NULL;
    int rc = sqlite3_step(e->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        awda_log(LOG_ERROR, "export", "\"rc\":%d,\"error\":\"%s\"", rc, sqlite3_errmsg(e->c->db));
        return -1;
    }
    sqlite3_stmt *st = e->st;
    json_t *o = json_object();
    for (int i = 0; i < (int)(sizeof NAMES / sizeof NAMES[0]); i++) {
        json_t *v;
        if (i == 11)
            v = store_col_time(st, i);
        else if (i == 14)
            v = json_integer(sqlite3_column_int64(st, i));
        else if (i == 21)
            v = sqlite3_column_type(st, i) == SQLITE_NULL
                    ? json_array()
                    : json_loads((const char *)sqlite3_column_text(st, i), 0, NULL);
        else
            v = col_str(st, i);
        json_object_set_new(o, NAMES[i], v ? v : json_null());
    }
    if (e->sealed)
        json_object_set_new(o, "protection_vulnerabilities",
                            store_unseal_person_value(e->c->s,
                                                      (const char *)sqlite3_column_text(st, 13),
                                                      "protection_vulnerabilities",
                                                      (const char *)sqlite3_column_text(st, 22)));
    *row = o;
    return 1;
}

void store_export_close(store_export_t *e)
{
    if (!e)
        return;
    sqlite3_finalize(e->st);
    free(e);
}
