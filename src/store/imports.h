/*
 * imports.h — the store of imports (migration 23): the imports
 * themselves with their progress, the problems they found, and where each
 * imported person came from (import_rows: file hash, sheet, row, and the
 * row's own hash that makes a re-import create nothing).
 *
 * The rules (what a valid row is, who may import into which office) are
 * the application layer's (app/imports.c); these functions only read and
 * write rows inside the caller's transaction (writer jobs) or read
 * transaction. JSON returned is owned by the caller; NULL means a
 * database error. int results are STORE_* codes.
 */
#ifndef AWDA_STORE_IMPORTS_H
#define AWDA_STORE_IMPORTS_H
#include "store.h"
#include <jansson.h>
#include <stdint.h>

/* The counts of an import, as its progress shows them. */
typedef struct {
    const char *status; /* queued | running | done | failed | refused */
    const char *detail; /* NULL: none */
    long rows_total, rows_done, households;
    long cases_created, persons_created, already_imported, skipped, problems;
    long duplicates_flagged;
    int started, finished; /* set started_at / finished_at to now */
} store_import_counts_t;

/* Inserts an import (status queued); its id into id_out, key into *pk_out. */
int store_import_insert(store_conn_t *c, int64_t office_pk, int64_t user_pk, const char *file_name,
                        const char *file_sha256, const char *format, const char *mapping,
                        const char *mode, char id_out[37], int64_t *pk_out);
/* Writes the status and counts of import pk. */
int store_import_update(store_conn_t *c, int64_t pk, const store_import_counts_t *n);
/* Sets the format (csv | xlsx) once the file is read. */
int store_import_format(store_conn_t *c, int64_t pk, const char *format);
/* Appends a problem (seq: its order within the import, from 0). */
int store_import_problem_add(store_conn_t *c, int64_t import_pk, long seq, const char *sheet,
                             long row_number, const char *column, const char *field,
                             const char *message);
/* 1 when a row with this hash was imported before, 0 when not, -1 on error. */
int store_import_row_seen(store_conn_t *c, const char *row_sha256);
/* Records where a person came from. */
int store_import_row_add(store_conn_t *c, const char *row_sha256, const char *file_sha256,
                         const char *sheet, long row_number, int64_t import_pk, int64_t case_pk,
                         int64_t person_pk);
/* The persons of a case in member order, at most max, into pks; how
 * many, or -1 on error. */
int store_import_case_persons(store_conn_t *c, int64_t case_pk, int64_t *pks, int max);

/* A savepoint around one household inside the caller's writer job:
 * begin, then release (keep) or undo (roll back to it and release). */
int store_import_savepoint(store_conn_t *c);
int store_import_release(store_conn_t *c);
int store_import_undo(store_conn_t *c);

/* The import with this id: {id, office, file_name, file_sha256, format,
 * mode, status, detail, rows_total, ..., created_at, started_at,
 * finished_at, created_by} and its office's pk into *office_pk; NULL
 * (and *office_pk 0) when none or on error. */
json_t *store_import_get(store_conn_t *c, const char *id, int64_t *office_pk, int64_t *pk);
/* The imports of the offices office_pks (n of them; n < 0: every office),
 * newest first, at most limit: an array. */
json_t *store_import_list(store_conn_t *c, const int64_t *office_pks, int n, int limit);
/* The problems of import pk in order, from seq after on, at most limit:
 * [{sheet, row, column, field, message}]. */
json_t *store_import_problems(store_conn_t *c, int64_t import_pk, long after, long limit);

#endif
