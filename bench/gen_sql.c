/*
 * gen_sql.c — bench/gen's side of SQLite: the connection (db), the
 * statement helpers that stop the load with the failing SQL on error, the
 * columns gen writes in each table, the check that the schema has them
 * and no other NOT NULL column without a default (check_schema, before
 * loading), and the INSERTs built from those column lists (prep_insert).
 */
#include "gen.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sqlite3 *db;

void exec(const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n  in: %s\n", err ? err : "?", sql);
        exit(1);
    }
}

sqlite3_stmt *prep(const char *sql)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
        fprintf(stderr, "gen: %s\n  in: %s\n", sqlite3_errmsg(db), sql);
        exit(1);
    }
    return s;
}

void step(sqlite3_stmt *s)
{
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "gen: %s\n  in: %s\n", sqlite3_errmsg(db), sqlite3_sql(s));
        exit(1);
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

void bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/* Checks that table has every column in cols and no other NOT NULL
 * column without a default (which our INSERT would leave empty). */
static void check_table(const char *table, const char *const *cols, int ncols)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_info('%s')", table);
    sqlite3_stmt *s = prep(sql);
    int found = 0, rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        rows++;
        const char *name = (const char *)sqlite3_column_text(s, 0);
        int known = 0;
        for (int i = 0; i < ncols; i++)
            if (strcmp(name, cols[i]) == 0)
                known = 1;
        if (known) {
            found++;
        } else if (sqlite3_column_int(s, 1) && sqlite3_column_type(s, 2) == SQLITE_NULL &&
                   sqlite3_column_int(s, 3) == 0) {
            fprintf(stderr,
                    "gen: %s.%s is NOT NULL without a default; teach bench/gen_sql.c about it\n",
                    table, name);
            exit(1);
        }
    }
    sqlite3_finalize(s);
    if (rows == 0)
        die("table missing (run `awda init --db PATH` first)", table);
    if (found != ncols)
        die("schema lacks a column gen writes in table", table);
}

int64_t query_int(const char *sql, int64_t dflt)
{
    sqlite3_stmt *s = prep(sql);
    int64_t v = dflt;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

static const char *const COL_PERSONS[] = {"id",
                                          "name",
                                          "name_latin",
                                          "sex",
                                          "date_of_birth",
                                          "dob_precision",
                                          "nationality",
                                          "languages",
                                          "contact",
                                          "vulnerabilities",
                                          "created_at",
                                          "updated_at"};
static const char *const COL_DOCS[] = {"person_pk", "type", "number", "issuing_country", "expiry"};
static const char *const COL_KEYS[] = {"key", "person_pk"};
static const char *const COL_CASES[] = {"id",
                                        "number",
                                        "office_pk",
                                        "origin_country",
                                        "destination_country",
                                        "destination_admin_area",
                                        "destination_pcode",
                                        "project",
                                        "assigned_to_pk",
                                        "stage",
                                        "version",
                                        "notes",
                                        "created_at",
                                        "updated_at",
                                        "created_by_pk"};
static const char *const COL_MEMBERS[] = {"case_pk", "person_pk", "relationship", "position"};
static const char *const COL_EVENTS[] = {"case_pk", "at", "user_pk", "kind", "data"};
static const char *const COL_OFFICES[] = {"code", "name", "country", "location", "created_at"};
static const char *const COL_COUNTERS[] = {"office_pk", "year", "next"};

/* The tables gen writes, with the columns it names, in the order they are checked. */
static const struct {
    const char *table;
    const char *const *cols;
    int n;
} TABLES[] = {
    {"persons", COL_PERSONS, N_OF(COL_PERSONS)},
    {"person_documents", COL_DOCS, N_OF(COL_DOCS)},
    {"person_name_keys", COL_KEYS, N_OF(COL_KEYS)},
    {"cases", COL_CASES, N_OF(COL_CASES)},
    {"case_members", COL_MEMBERS, N_OF(COL_MEMBERS)},
    {"case_events", COL_EVENTS, N_OF(COL_EVENTS)},
    {"offices", COL_OFFICES, N_OF(COL_OFFICES)},
    {"office_counters", COL_COUNTERS, N_OF(COL_COUNTERS)},
};

/* Checks every table gen writes (check_table). */
void check_schema(void)
{
    for (int i = 0; i < N_OF(TABLES); i++)
        check_table(TABLES[i].table, TABLES[i].cols, TABLES[i].n);
}

/* INSERT INTO table(c1, c2...) VALUES (?, ?...), built from the table's
 * column list in TABLES. */
sqlite3_stmt *prep_insert(const char *verb, const char *table)
{
    const char *const *cols = NULL;
    int n = 0;
    for (int i = 0; i < N_OF(TABLES); i++) {
        if (strcmp(TABLES[i].table, table) == 0) {
            cols = TABLES[i].cols;
            n = TABLES[i].n;
        }
    }
    if (!cols)
        die("no column list for table", table);
    char sql[1024];
    size_t o = 0;
    o += (size_t)snprintf(sql + o, sizeof sql - o, "%s INTO %s(", verb, table);
    for (int i = 0; i < n && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", i ? ", " : "", cols[i]);
    if (o < sizeof sql)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ") VALUES (");
    for (int i = 0; i < n && o < sizeof sql; i++)
        o += (size_t)snprintf(sql + o, sizeof sql - o, "%s?", i ? ", " : "");
    if (o < sizeof sql)
        o += (size_t)snprintf(sql + o, sizeof sql - o, ")");
    if (o >= sizeof sql)
        die("INSERT statement too long", table);
    return prep(sql);
}
