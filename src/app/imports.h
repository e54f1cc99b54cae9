/*
 * imports.h — bringing a spreadsheet or a KoboToolbox / ODK export into
 * awda (issue 13): the use cases of the import module, for the command
 * line (`awda import`) and the API (/api/v1/imports).
 *
 * An import is prepared (the mapping and the file read, the sheets and
 * columns matched, the office checked: a bad file or mapping is refused
 * here and nothing is written), then executed — on the caller's thread
 * (the command line) or on an import thread of its own (the API) — in one
 * of three modes:
 *   dry_run         every household is mapped and checked by the rules of
 *                   registration; nothing is written but the import's own
 *                   record and its problems (none at all from the command
 *                   line);
 *   all_or_nothing  the same check first; any problem and nothing is
 *                   written; otherwise every household is registered;
 *   valid_rows      households with a problem are skipped (and reported),
 *                   the others registered.
 * Households are registered in batches, AWDA_IMPORT_BATCH_HOUSEHOLDS per
 * writer transaction (AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE with opts.alone),
 * with registration's own store functions (name and
 * duplicate keys alike), and each batch's persons are flagged for possible
 * duplicates. A household whose rows were all imported before (by the
 * hash of their mapped cells, import_rows) is "already imported" and
 * creates nothing. Results and problems are owned by the caller's
 * app_result_t.
 */
#ifndef AWDA_APP_IMPORTS_H
#define AWDA_APP_IMPORTS_H
#include "app.h"

typedef enum {
    APP_IMPORT_DRY_RUN = 0,
    APP_IMPORT_ALL_OR_NOTHING,
    APP_IMPORT_VALID_ROWS,
} app_import_mode_t;

/* The mode of a name ("dry_run", "all_or_nothing", "valid_rows"); -1. */
int app_import_mode_parse(const char *name);

/* Where an import is, for a progress bar. */
typedef struct {
    const char *phase; /* "checking" | "writing" | "done" */
    long rows_total, rows_done, households, cases_created, persons_created, already_imported,
        skipped, problems, duplicates_flagged;
} app_import_progress_t;
typedef void (*app_import_progress_fn)(void *arg, const app_import_progress_t *p);

typedef struct app_import app_import_t;

typedef struct {
    const char *path;      /* the file to read */
    const char *file_name; /* its name as the user knows it (NULL: path) */
    const char *mapping;   /* the mapping's JSON text */
    size_t mapping_len;
    const char *office; /* the office to import into (NULL: the mapping's) */
    app_import_mode_t mode;
    int record;       /* 1: keep the import's record even for a dry run (the API) */
    int unlink_after; /* 1: delete path when the import is over (an upload) */
    int alone;        /* 1: nothing else writes while it runs (the command line, which
                       * holds the database's lock): larger batches, fewer commits */
} app_import_opts_t;

/* Prepares an import: the caller must hold import.run and work in the
 * office. NULL with r filled (422 for a bad file or mapping, with
 * errors[]; 403; 404 for an unknown office) when it cannot run — nothing
 * is written then; else the import (the caller's: run it with
 * app_import_execute or app_import_start). */
app_import_t *app_import_prepare(app_t *app, const app_actor_t *a, const app_import_opts_t *o,
                                 app_result_t *r);
/* Calls fn(arg, progress) after each batch and every
 * AWDA_IMPORT_PROGRESS_ROWS rows checked (on the importing thread). */
void app_import_on_progress(app_import_t *im, app_import_progress_fn fn, void *arg);
/* Runs the import to its end on this thread and frees it; r gets the
 * summary {id (null without a record), status, mode, file_name,
 * file_sha256, format, counts, problems: [{sheet, row, column, field,
 * message}] (the first AWDA_IMPORT_MAX_PROBLEMS_KEPT)}. */
void app_import_execute(app_import_t *im, app_result_t *r);
/* Hands the import to an import thread (at most AWDA_IMPORT_MAX_RUNNING
 * run at once) and answers 202 with its Location and progress; 503 when
 * as many are already waiting. Takes im in every case. */
void app_import_start(app_import_t *im, app_result_t *r);
/* Stops the import threads (the server is stopping): a running import
 * ends after the batch it is writing (status failed, "the server stopped
 * during the import": what was written stays, and importing the file again
 * goes on from there), an import still waiting is ended the same way
 * without starting, and the call returns once every import thread has
 * ended — before the store they write to is closed. Later starts are
 * refused. */
void app_imports_stop(void);

/* The import id with its progress (in the actor's offices; 404 else). */
void app_import_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r);
/* Its problems, by row: JSON {items: [...], next} from seq after, or
 * (csv) a CSV report to download with its messages in lang (an
 * awda_lang_t: the JSON's are translated by the face). */
void app_import_problems(app_t *app, const app_actor_t *a, const char *id, const char *after,
                         int csv, int lang, app_result_t *r);
/* The imports of the actor's offices, newest first: {items: [...]}. */
void app_import_list(app_t *app, const app_actor_t *a, app_result_t *r);

#endif
