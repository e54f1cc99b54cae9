/*
 * migrate.c — the schema migrations of the store.
 *
 * The list is generated (build/gen/migrations.inc, by
 * scripts/gen-migrations.sh from the Makefile): schema.sql is version 1,
 * migration_N.sql version N, each embedded as a C string. Adding
 * migration_015.sql needs no edit here. PRAGMA user_version holds the
 * version of a database; store_migrate runs every later migration, each
 * in its own transaction with the new user_version.
 *
 * A migration that needs more than SQL has a step in C that runs right
 * after its SQL, inside the same transaction (MIGRATION_STEPS, by file
 * name): sealing needs the key file, which SQL cannot reach
 * (store_set_keyring comes before store_migrate). A step in
 * MIGRATION_BEFORE runs before the migration's transaction, in its own:
 * migration 28 first commits the audit records to the audit log's file,
 * then drops them from the main file (a transaction over two WAL files
 * is not atomic across them). Such a step must be safe to run again.
 */
#include "internal.h"
#include <string.h>

static const struct {
    const char *file;
    const char *sql;
} MIGRATIONS[] = {
#include "migrations.inc"
};
#define NMIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

typedef struct {
    const char *file;
    int (*step)(store_t *s, sqlite3 *db);
} migration_step_t;

static const migration_step_t MIGRATION_STEPS[] = {
    {"migration_013.sql", store_seal_person_vulnerabilities},
    {"migration_020.sql", store_search_keys_fill},
    {"migration_026.sql", store_search_keys_fill},
};

/* Steps that run before their migration's transaction, in transactions
 * of their own: the audit log's file must hold the records before the
 * migration drops them from the main file. */
static const migration_step_t MIGRATION_BEFORE[] = {
    {"migration_028.sql", store_audit_move_out},
};
#define NSTEPS(list) (sizeof(list) / sizeof(list)[0])

int store_schema_latest(void)
{
    return NMIGRATIONS;
}

int store_schema_version(store_t *s)
{
    pthread_mutex_lock(&s->q_lock);
    int v = store_user_version(s->writer->db);
    pthread_mutex_unlock(&s->q_lock);
    return v;
}

/* 1 when every step of list names a migration of the list (a renamed
 * file would otherwise lose its step without a word). */
static int steps_known(const migration_step_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int found = 0;
        for (int m = 0; m < NMIGRATIONS; m++)
            found |= strcmp(MIGRATIONS[m].file, list[i].file) == 0;
        if (!found) {
            awda_log(LOG_ERROR, "migrate", "\"unknown_step\":\"%s\"", list[i].file);
            return 0;
        }
    }
    return 1;
}

static int migration_step(const migration_step_t *list, size_t n, store_t *s, sqlite3 *db,
                          const char *file)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].file, file) == 0)
            return list[i].step(s, db);
    return STORE_OK;
}

int store_migrate(store_t *s, int *applied)
{
    int rc = STORE_OK;
    *applied = 0;
    pthread_mutex_lock(&s->q_lock);
    sqlite3 *db = s->writer->db;
    int v = store_user_version(db);
    if (!steps_known(MIGRATION_STEPS, NSTEPS(MIGRATION_STEPS)) ||
        !steps_known(MIGRATION_BEFORE, NSTEPS(MIGRATION_BEFORE))) {
        rc = STORE_ERR;
    } else if (v < 0 || v > NMIGRATIONS) {
        awda_log(LOG_ERROR, "migrate", "\"schema\":%d,\"known\":%d", v, NMIGRATIONS);
        rc = STORE_ERR;
    }
    for (int i = v; rc == STORE_OK && i < NMIGRATIONS; i++) {
        char set[64];
        snprintf(set, sizeof set, "PRAGMA user_version=%d", i + 1);
        const char *file = MIGRATIONS[i].file;
        if (migration_step(MIGRATION_BEFORE, NSTEPS(MIGRATION_BEFORE), s, db, file) != STORE_OK) {
            rc = STORE_ERR;
            break;
        }
        if (store_exec(db, "BEGIN IMMEDIATE") != STORE_OK ||
            store_exec(db, MIGRATIONS[i].sql) != STORE_OK ||
            migration_step(MIGRATION_STEPS, NSTEPS(MIGRATION_STEPS), s, db, file) != STORE_OK ||
            store_exec(db, set) != STORE_OK || store_exec(db, "COMMIT") != STORE_OK) {
            store_exec(db, "ROLLBACK");
            rc = STORE_ERR;
            break;
        }
        (*applied)++;
    }
    if (rc == STORE_OK)
        store_audit_load_prev(s);
    pthread_mutex_unlock(&s->q_lock);
    return rc;
}
