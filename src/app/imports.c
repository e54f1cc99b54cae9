/*
 * imports.c — an import run: households planned from the rows, mapped,
 * checked by registration's rules, and written in batches (imports.h).
 *
 * The plan. Rows of the main sheet with the same household key are one
 * household (without a key, each row is one); the rows of a repeat
 * group's sheet join the main row whose index (_index) their
 * _parent_index names. Both are grouped by sorting row numbers by key, so
 * a million rows cost a few sorts, not a hash table of strings; the
 * households keep the order of their first row.
 *
 * The check. Each household becomes a case document (import_mapping.c)
 * checked by app_case_validate — the very function registration calls —
 * and the place of each problem (members[2].person.sex) is told back as
 * the sheet, the row the user sees, the column and the field.
 *
 * The write. Households go to the writer in batches (AWDA_IMPORT_BATCH_FIRST,
 * then twice as many each time up to AWDA_IMPORT_BATCH_HOUSEHOLDS, or
 * AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE for the command line's import, which
 * has the database to itself), each
 * batch one job in a transaction of its own (store_write_solo: no
 * savepoint, whose cost in SQLite grows with the square of a job's
 * statements). A household the write refuses rolls the batch back, and
 * the batch is written again one household per job, so the refused one
 * is reported alone. Each household goes through app_case_insert — the
 * registration's own write, so persons, name keys, duplicate keys and the
 * "created" event are those of a case registered by hand. Each row's
 * source is kept in import_rows with a hash of its mapped cells (and of
 * its household), which is what makes a second import of the file, or of
 * a changed version of it, create nothing for the rows it already
 * brought: a household all of whose rows are there is "already
 * imported"; one that is there only in part is reported, not touched.
 * The persons written are flagged for possible duplicates every
 * AWDA_IMPORT_FLAG_PERSONS persons and at the end (app_duplicates_flag,
 * which for many persons reads the data once and works in memory).
 *
 * The file and the plan are read once and kept for the run (the table
 * reader's arena); a batch's documents are freed after its commit, so the
 * memory of a run is the workbook plus one batch.
 */
#include "imports.h"
#include "import_int.h"
#include "internal.h"
#include "../store/imports.h"
#include "../util/log.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int app_import_mode_parse(const char *name)
{
    static const char *const NAMES[] = {"dry_run", "all_or_nothing", "valid_rows", NULL};
    return name ? awda_value_index(NAMES, name) : -1;
}

const char *imp_mode_name(app_import_mode_t m)
{
    return m == APP_IMPORT_DRY_RUN          ? "dry_run"
           : m == APP_IMPORT_ALL_OR_NOTHING ? "all_or_nothing"
                                            : "valid_rows";
}

/* ---- preparing ------------------------------------------------------------ */

static int file_sha256(const char *path, char hex[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    unsigned char buf[65536], out[32];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        crypto_hash_sha256_update(&st, buf, n);
    int err = ferror(f);
    fclose(f);
    crypto_hash_sha256_final(&st, out);
    sodium_bin2hex(hex, 65, out, sizeof out);
    return err ? -1 : 0;
}

/* The problem of a file that cannot be read: the reader's sentence. */
static void table_problem(const awda_table_error_t *e, json_t *errors)
{
    char why[300];
    awda_table_error_text(e, why, sizeof why);
    json_t *p = json_pack("{s:s,s:s,s:s}", "field", "file", "code",
                          awda_table_status_name(e->status), "message", why);
    if (*e->sheet)
        json_object_set_new(p, "sheet", json_string(e->sheet));
    if (e->line)
        json_object_set_new(p, "row", json_integer(e->line));
    if (e->column)
        json_object_set_new(p, "column_number", json_integer(e->column));
    json_array_append_new(errors, p);
}

typedef struct {
    app_import_t *im;
    const char *file_name, *mapping;
    size_t mapping_len;
} insert_ctx_t;

static int insert_job(store_conn_t *c, void *p, app_result_t *r)
{
    insert_ctx_t *x = p;
    app_import_t *im = x->im;
    char *mapping = strndup(x->mapping, x->mapping_len);
    if (!mapping)
        return STORE_ERR;
    int rc = store_import_insert(c, im->office_pk, im->actor.system ? 0 : im->actor.p.pk,
                                 x->file_name, im->sha, awda_table_format(im->t), mapping,
                                 imp_mode_name(im->mode), im->id, &im->pk);
    free(mapping);
    if (rc == STORE_OK)
        r->code = APP_CREATED;
    return rc;
}

void imp_free(app_import_t *im)
{
    if (!im)
        return;
    awda_table_free(im->t);
    imp_mapping_free(&im->m);
    free(im->order);
    free(im->hh);
    free(im->reps);
    free(im->rep_used);
    free(im->seen);
    free(im->to_flag);
    json_decref(im->problems);
    if (im->unlink_after && *im->path) {
        remove(im->path);
        char *slash = im->unlink_after == 2 ? strrchr(im->path, '/') : NULL;
        if (slash) { /* and the directory it was spooled to */
            *slash = '\0';
            rmdir(im->path);
        }
    }
    free(im);
}

app_import_t *app_import_prepare(app_t *app, const app_actor_t *a, const app_import_opts_t *o,
                                 app_result_t *r)
{
    if (!app_allowed(a, PERM_IMPORT)) {
        app_fail(r, APP_FORBIDDEN, "you may not import");
        return NULL;
    }
    app_import_t *im = calloc(1, sizeof *im);
    json_t *errors = json_array();
    if (!im || !errors) {
        free(im);
        json_decref(errors);
        app_fail(r, APP_ERROR, "out of memory");
        return NULL;
    }
    im->app = app;
    im->actor = *a;
    im->mode = o->mode;
    im->unlink_after = o->unlink_after;
    im->alone = o->alone;
    snprintf(im->path, sizeof im->path, "%s", o->path);
    const char *file_name = o->file_name ? o->file_name : o->path;
    const char *slash = strrchr(file_name, '/');
    snprintf(im->file_name, sizeof im->file_name, "%s", slash ? slash + 1 : file_name);
    im->problems = json_array();
    if (imp_mapping_parse(o->mapping ? o->mapping : "", o->mapping ? o->mapping_len : 0, &im->m,
                          errors)) {
        app_invalid(r, errors, "The mapping is not valid");
        imp_free(im);
        return NULL;
    }
    if (o->office && *o->office)
        snprintf(im->m.office, sizeof im->m.office, "%s", o->office);
    if (!*im->m.office) {
        awda_error_add(errors, "office", "name the office to import into");
        app_invalid(r, errors, "The import is not valid");
        imp_free(im);
        return NULL;
    }
    store_conn_t *c = app_reader(app, r);
    if (!c) {
        json_decref(errors);
        imp_free(im);
        return NULL;
    }
    im->office_pk = store_office_pk(c, im->m.office);
    if (!im->office_pk) {
        awda_error_add(errors, "office", "there is no office with the code %s", im->m.office);
        app_invalid(r, errors, "The import is not valid");
        imp_free(im);
        return NULL;
    }
    if (!app_in_office(a, im->office_pk)) {
        json_decref(errors);
        app_fail(r, APP_FORBIDDEN, "you do not work in the office %s", im->m.office);
        imp_free(im);
        return NULL;
    }
    awda_table_error_t terr;
    memset(&terr, 0, sizeof terr);
    if (file_sha256(o->path, im->sha) ||
        awda_table_read_file(o->path, &im->t, &terr) != AWDA_TABLE_OK) {
        if (terr.status == AWDA_TABLE_OK)
            terr.status = AWDA_TABLE_IO;
        table_problem(&terr, errors);
        app_invalid(r, errors, "The file cannot be imported");
        imp_free(im);
        return NULL;
    }
    if (imp_mapping_resolve(&im->m, im->t, errors)) {
        app_invalid(r, errors, "The mapping does not fit the file");
        imp_free(im);
        return NULL;
    }
    json_decref(errors);
    if (imp_plan(im)) {
        app_fail(r, APP_ERROR, "out of memory");
        imp_free(im);
        return NULL;
    }
    if (o->record || o->mode != APP_IMPORT_DRY_RUN) {
        insert_ctx_t x = {im, im->file_name, o->mapping, o->mapping_len};
        app_run(app, insert_job, &x, r);
        if (r->code != APP_CREATED) {
            imp_free(im);
            return NULL;
        }
        r->code = APP_OK;
    }
    return im;
}

void app_import_on_progress(app_import_t *im, app_import_progress_fn fn, void *arg)
{
    im->progress = fn;
    im->progress_arg = arg;
}

/* ---- the run ---------------------------------------------------------------- */

void imp_tell(app_import_t *im, const char *phase)
{
    if (!im->progress)
        return;
    app_import_progress_t p = {phase,
                               im->n.rows_total,
                               im->n.rows_done,
                               im->n.households,
                               im->n.cases_created,
                               im->n.persons_created,
                               im->n.already_imported,
                               im->n.skipped,
                               im->n.problems,
                               im->n.duplicates_flagged};
    im->progress(im->progress_arg, &p);
}

/* Adds a problem (a {sheet, row, column, field, message} object, taken)
 * to those of the run, and to those to store with the next write. */
void imp_problem(app_import_t *im, json_t *p)
{
    im->n.problems++;
    if (json_array_size(im->problems) < AWDA_IMPORT_MAX_PROBLEMS_KEPT) {
        json_array_append_new(im->problems, p);
        return;
    }
    json_decref(p);
}

/* Stores the problems not stored yet and the counts (a writer job). */
int imp_save(store_conn_t *c, app_import_t *im, const char *status, const char *detail,
             int finished)
{
    if (!im->pk)
        return STORE_OK;
    int rc = STORE_OK;
    for (size_t i = im->problems_saved; rc == STORE_OK && i < json_array_size(im->problems); i++) {
        json_t *p = json_array_get(im->problems, i);
        rc = store_import_problem_add(c, im->pk, (long)i,
                                      json_string_value(json_object_get(p, "sheet")),
                                      (long)json_integer_value(json_object_get(p, "row")),
                                      json_string_value(json_object_get(p, "column")),
                                      json_string_value(json_object_get(p, "field")),
                                      json_string_value(json_object_get(p, "message")));
    }
    if (rc == STORE_OK)
        im->problems_saved = json_array_size(im->problems);
    store_import_counts_t n = im->n;
    n.status = status;
    n.detail = detail;
    n.started = 1;
    n.finished = finished;
    if (rc == STORE_OK)
        rc = store_import_update(c, im->pk, &n);
    return rc;
}

typedef struct {
    app_import_t *im;
    const char *status, *detail;
    int finished;
} save_ctx_t;

static int save_job(store_conn_t *c, void *p, app_result_t *r)
{
    (void)r;
    save_ctx_t *x = p;
    return imp_save(c, x->im, x->status, x->detail, x->finished);
}

void imp_save_now(app_import_t *im, const char *status, const char *detail, int finished)
{
    if (!im->pk)
        return;
    save_ctx_t x = {im, status, detail, finished};
    app_result_t r = {0};
    app_run(im->app, save_job, &x, &r);
    if (r.code != APP_OK && r.code != APP_CREATED && r.code != APP_NO_CONTENT)
        awda_log(LOG_ERROR, "import_progress", NULL);
    app_result_free(&r);
}

/* The summary of the run into r. */
static void summary(app_import_t *im, const char *status, const char *detail, app_result_t *r)
{
    json_t *b = json_pack(
        "{s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "id",
        im->pk ? json_string(im->id) : json_null(), "status", status, "mode",
        imp_mode_name(im->mode), "office", im->m.office, "file_name", im->file_name, "file_sha256",
        im->sha, "format", awda_table_format(im->t), "rows_total", (json_int_t)im->n.rows_total,
        "rows_done", (json_int_t)im->n.rows_done, "households", (json_int_t)im->n.households,
        "cases_created", (json_int_t)im->n.cases_created, "persons_created",
        (json_int_t)im->n.persons_created, "already_imported", (json_int_t)im->n.already_imported,
        "skipped", (json_int_t)im->n.skipped, "problems", (json_int_t)im->n.problems,
        "duplicates_flagged", (json_int_t)im->n.duplicates_flagged);
    if (detail)
        json_object_set_new(b, "message", json_string(detail));
    json_object_set(b, "problem_list", im->problems);
    r->code = APP_OK;
    r->body = b;
}

void app_import_execute(app_import_t *im, app_result_t *r)
{
    const char *status = "done", *detail = NULL;
    char msg[200];
    im->n.rows_total = (long)awda_table_rows(im->t, im->m.sheet) +
                       (im->m.has_repeat ? (long)awda_table_rows(im->t, im->m.repeat_sheet) : 0);
    imp_save_now(im, "running", NULL, 0);
    int rc = 0;
    if (im->mode != APP_IMPORT_VALID_ROWS) {
        rc = imp_pass(im, 0);
        if (rc == 0 && im->n.problems && im->mode == APP_IMPORT_ALL_OR_NOTHING) {
            status = "refused";
            snprintf(msg, sizeof msg,
                     "%ld problems were found: nothing was imported (fix them, or import the "
                     "valid rows only)",
                     im->n.problems);
            detail = msg;
        } else if (rc == 0 && im->mode == APP_IMPORT_ALL_OR_NOTHING) {
            /* Checked whole: now written, counting again. */
            long problems = im->n.problems;
            memset(&im->n, 0, sizeof im->n);
            im->n.rows_total =
                (long)awda_table_rows(im->t, im->m.sheet) +
                (im->m.has_repeat ? (long)awda_table_rows(im->t, im->m.repeat_sheet) : 0);
            im->n.problems = problems;
            rc = imp_pass(im, 1);
        }
    } else {
        rc = imp_pass(im, 1);
    }
    if (rc == IMP_STOPPED) {
        status = "failed";
        snprintf(msg, sizeof msg,
                 "the server stopped during the import; what was written before stays and a "
                 "new import of the file goes on from there");
        detail = msg;
    } else if (rc) {
        status = "failed";
        snprintf(msg, sizeof msg,
                 "the database failed during the import; what was written before stays and a "
                 "new import of the file goes on from there");
        detail = msg;
    }
    imp_save_now(im, status, detail, 1);
    imp_tell(im, "done");
    summary(im, status, detail, r);
    imp_free(im);
}
