/*
 * import_int.h — what the files of the import module share (imports.c:
 * preparing and running; import_plan.c: the plan and the rows' hashes;
 * import_pass.c: the check and the batches; import_jobs.c: the import
 * threads and the reads). Not for other modules: they use imports.h.
 */
#ifndef AWDA_APP_IMPORT_INT_H
#define AWDA_APP_IMPORT_INT_H
#include "import_mapping.h"
#include "imports.h"
#include "duplicates.h"
#include "../store/imports.h"

typedef struct {
    size_t start, count; /* into order */
} imp_hh_t;

typedef struct {
    uint64_t key;
    uint32_t n;
} imp_seen_t;

struct app_import {
    app_t *app;
    app_actor_t actor;
    app_import_mode_t mode;
    int unlink_after;
    char path[4096];
    char file_name[256];
    char sha[65];
    imp_mapping_t m;
    awda_table_t *t;
    int64_t office_pk, pk; /* pk 0: no record (a dry run from the command line) */
    char id[37];
    store_import_counts_t n;
    json_t *problems; /* [{sheet, row, column, field, message}], the first kept */
    size_t problems_saved;
    app_import_progress_fn progress;
    void *progress_arg;
    /* the plan (import_plan.c) */
    size_t *order; /* main rows, households together */
    imp_hh_t *hh;
    size_t nhh;
    size_t *reps; /* repeat rows by their parent index */
    unsigned char *rep_used;
    size_t nreps;
    int main_cols[AWDA_IMPORT_MAX_SPECS * 2 + 2], nmain_cols;
    int rep_cols[AWDA_IMPORT_MAX_SPECS + 1], nrep_cols;
    imp_seen_t *seen; /* row hashes met in this pass (identical rows counted) */
    size_t seen_cap;
    /* the persons written and not yet looked at for duplicates (at most
     * one per row; import_pass.c), and the flagging under way */
    int64_t *to_flag;
    size_t nto_flag, to_flag_cap;
    app_dup_flagging_t *flagging;
    long checkpointed_at; /* rows_done at the last checkpoint */
    int alone;            /* nothing else writes meanwhile (batch_max) */
};

const char *imp_mode_name(app_import_mode_t m);
/* Groups the rows into households; -1 when out of memory. */
int imp_plan(app_import_t *im);
/* The repeat rows whose parent index is key: [*lo, *hi) of im->reps. */
void imp_rep_range(app_import_t *im, const char *key, size_t *lo, size_t *hi);
/* The hash of a row into out and, in hex, hex (65 bytes): of its cells
 * cols[0..ncols), its household key and its parent's hash (or NULL); the
 * rows met before in this pass are counted in im->seen. */
void imp_row_hash(app_import_t *im, size_t sheet, size_t row, const int *cols, int ncols,
                  const char *key, const unsigned char *parent, unsigned char out[32],
                  char hex[65]);
/* One pass over the households: write 0 checks (and counts what is
 * already imported), write 1 registers the valid ones in batches. 0, or
 * -1 when the database failed. */
int imp_pass(app_import_t *im, int write);
/* imp_pass's answer when the server began to stop between two batches. */
#define IMP_STOPPED (-2)
/* 1 once app_imports_stop has been called (import_jobs.c). */
int app_imports_stopping(void);
void imp_problem(app_import_t *im, json_t *p);
void imp_tell(app_import_t *im, const char *phase);
/* Stores the problems not stored yet and the counts, in the caller's
 * writer job / as a job of its own. */
int imp_save(store_conn_t *c, app_import_t *im, const char *status, const char *detail,
             int finished);
void imp_save_now(app_import_t *im, const char *status, const char *detail, int finished);
void imp_free(app_import_t *im);

#endif
