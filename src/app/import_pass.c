/*
 * import_pass.c — the households of an import, planned from its rows
 * (import_plan.c), checked, and registered in batches (see imports.c
 * for the whole).
 *
 * imp_pass walks the households: each is mapped into a
 * case document, checked by app_case_validate, its problems placed by
 * row and column; then, when writing, queued into the batch that one
 * writer job registers (app_case_insert; the job in a transaction of its
 * own, store_write_solo), and the persons written are flagged for
 * duplicates in the background of the next writes (flag_waiting).
 *
 * The batches are pipelined: while the writer registers one batch (the
 * job waited for on a thread of its own), this thread maps and checks
 * the next. The job changes the import's counts and problems (im->n,
 * im->problems, stored with the batch); what the preparation changes
 * meanwhile waits in a stage_t and is added once the job is done, so the
 * counts and the problems' order are those of one batch after the other.
 */
#include "import_int.h"
#include "internal.h"
#include "duplicates.h"
#include "../util/log.h"
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HH_MAX (AWDA_MAX_MEMBERS + 1)

/* One household ready to write. src and hash have n entries each: in a
 * batch, one block of the item's own (item_keep, item_free); while it is
 * prepared, the pass's scratch of HH_MAX (a batch of 32,000 households of
 * HH_MAX each would be 180 MB). */
typedef struct {
    json_t *body;
    size_t n; /* members = rows */
    imp_source_t *src;
    imp_source_t src_case;
    char (*hash)[65];
} imp_item_t;

typedef struct {
    imp_source_t src[HH_MAX];
    char hash[HH_MAX][65];
} imp_scratch_t;

/* Moves the household prepared in *from (the scratch) into *to, with a
 * block of its own for its sources and hashes: 0, or -1 when out of
 * memory (*from's body is then still *from's). */
static int item_keep(imp_item_t *to, imp_item_t *from)
{
    size_t n = from->n ? from->n : 1;
    imp_source_t *block = malloc(n * (sizeof *to->src + sizeof *to->hash));
    if (!block)
        return -1;
    *to = *from;
    to->src = block;
    to->hash = (char(*)[65])(void *)(block + n);
    memcpy(to->src, from->src, from->n * sizeof *to->src);
    memcpy(to->hash, from->hash, from->n * sizeof *to->hash);
    from->body = NULL;
    return 0;
}

/* Frees what item_keep gave it, and its body. */
static void item_free(imp_item_t *it)
{
    json_decref(it->body);
    it->body = NULL;
    free(it->src);
    it->src = NULL;
    it->hash = NULL;
}

static json_t *place_problem(app_import_t *im, const imp_item_t *it, const json_t *e)
{
    size_t sheet, row;
    char field[128];
    const char *path = json_string_value(json_object_get(e, "field"));
    const char *col = imp_problem_place(&im->m, im->t, path ? path : "", it->src, it->n,
                                        &it->src_case, &sheet, &row, field, sizeof field);
    return json_pack("{s:s,s:I,s:s,s:s,s:O}", "sheet", awda_table_sheet_name(im->t, sheet), "row",
                     (json_int_t)awda_table_row_number(im->t, sheet, row), "column", col, "field",
                     field, "message", json_object_get(e, "message"));
}

/* ---- what the preparation changes while a job runs ------------------------------ */

typedef struct {
    long rows_done, households, skipped;
    json_t *problems; /* in the order met */
} stage_t;

static void stage_problem(stage_t *st, json_t *p)
{
    if (p)
        json_array_append_new(st->problems, p);
}

/* Adds what st holds to the import (no job running) and empties it. */
static void stage_merge(app_import_t *im, stage_t *st)
{
    im->n.rows_done += st->rows_done;
    im->n.households += st->households;
    im->n.skipped += st->skipped;
    size_t k;
    json_t *e;
    json_array_foreach(st->problems, k, e) imp_problem(im, json_incref(e));
    json_array_clear(st->problems);
    st->rows_done = st->households = st->skipped = 0;
}

/* ---- the batch: one writer job ---------------------------------------------- */

typedef struct {
    app_import_t *im;
    imp_item_t *items;
    size_t n;
    int64_t *pks; /* the persons created, for the duplicates */
    size_t npks;
    int aborted;               /* a household was refused by the write */
    store_keys_ready_t *ready; /* its persons' keys, made while preparing */
    /* the job under way (flush_start .. flush_end) */
    store_import_counts_t before;
    size_t kept;
    pthread_t th;
    int threaded, ok;
} batch_t;

static void row_problem(app_import_t *im, const imp_item_t *it, size_t i, int dry)
{
    const imp_source_t *s = &it->src[i];
    char msg[200];
    if (dry)
        snprintf(msg, sizeof msg,
                 "this row belongs to a household imported before without it: it would not be "
                 "added (add the person to the case by hand)");
    else
        snprintf(msg, sizeof msg,
                 "this row belongs to a household imported before without it: it was not added "
                 "(add the person to the case by hand)");
    imp_problem(im,
                json_pack("{s:s,s:I,s:s,s:s,s:s}", "sheet", awda_table_sheet_name(im->t, s->sheet),
                          "row", (json_int_t)awda_table_row_number(im->t, s->sheet, s->row),
                          "column", "", "field", "", "message", msg));
}

/* Writes one household in the batch's writer job. A household the
 * write refuses (a reference that does not resolve: an unknown assigned
 * user; a row another import wrote meanwhile) gets its problems and
 * STORE_ABORT: the job then rolls back and flush writes the batch again
 * one household per job. No savepoint per household: in a transaction of
 * thousands of households SQLite's savepoints cost more than the writes. */
static int write_one(store_conn_t *c, batch_t *b, imp_item_t *it)
{
    app_import_t *im = b->im;
    size_t seen = 0;
    for (size_t i = 0; i < it->n; i++) {
        int s = store_import_row_seen(c, it->hash[i]);
        if (s < 0)
            return STORE_ERR;
        seen += (size_t)s;
    }
    if (seen == it->n && it->n) {
        im->n.already_imported++;
        return STORE_OK;
    }
    if (seen) {
        for (size_t i = 0; i < it->n; i++)
            if (store_import_row_seen(c, it->hash[i]) == 0)
                row_problem(im, it, i, 0);
        im->n.skipped++;
        return STORE_OK;
    }
    json_t *errors = json_array();
    int64_t pk = 0, pks[HH_MAX];
    char id[37], number[40];
    int forbidden = 0;
    int rc = app_case_insert(c, &im->actor, it->body, &pk, id, number, errors, &forbidden);
    int np = 0;
    if (rc == STORE_OK) {
        np = store_import_case_persons(c, pk, pks, HH_MAX);
        if (np < 0)
            rc = STORE_ERR;
    }
    for (int i = 0; rc == STORE_OK && i < np && (size_t)i < it->n; i++) {
        const imp_source_t *s = &it->src[i];
        rc = store_import_row_add(c, it->hash[i], im->sha, awda_table_sheet_name(im->t, s->sheet),
                                  awda_table_row_number(im->t, s->sheet, s->row), im->pk, pk,
                                  pks[i]);
    }
    if (rc == STORE_OK) {
        im->n.cases_created++;
        im->n.persons_created += np;
        for (int i = 0; i < np; i++)
            b->pks[b->npks++] = pks[i];
        json_decref(errors);
        return rc;
    }
    if (rc != STORE_ABORT && rc != STORE_CONFLICT) {
        json_decref(errors);
        return rc;
    }
    if (forbidden)
        awda_error_add(errors, "office", "you do not work in the office %s", im->m.office);
    if (!json_array_size(errors)) /* a row another import wrote meanwhile */
        awda_error_add(errors, "",
                       "this household was being imported at the same time by "
                       "another import: it was written once, by that one");
    size_t k;
    json_t *e;
    json_array_foreach(errors, k, e) imp_problem(im, place_problem(im, it, e));
    im->n.skipped++;
    json_decref(errors);
    return STORE_ABORT;
}

static int cache_job(store_conn_t *c, void *p, app_result_t *r)
{
    (void)p;
    r->code = APP_OK;
    return store_conn_cache(c, STORE_WRITER_CACHE_KIB);
}

/* The batch: its households, then the keys of its persons in key order
 * (store_keys_batch_begin), then the import's counts. */
static int batch_job(store_conn_t *c, void *p, app_result_t *r)
{
    (void)r;
    batch_t *b = p;
    /* the indexes a million persons' keys fill do not fit the usual cache */
    if (store_conn_cache(c, AWDA_IMPORT_WRITER_CACHE_KIB) != STORE_OK ||
        store_keys_batch_begin(c) != STORE_OK)
        return STORE_ERR;
    store_keys_ready_use(c, b->ready); /* (the writer stops it after the job) */
    for (size_t i = 0; i < b->n; i++) {
        int rc = write_one(c, b, &b->items[i]);
        if (rc == STORE_ABORT)
            b->aborted = 1;
        if (rc != STORE_OK) {
            store_keys_batch_end(c, 0);
            return rc;
        }
        b->im->n.rows_done += (long)b->items[i].n;
    }
    int rc = store_keys_batch_end(c, 1);
    return rc != STORE_OK ? rc : imp_save(c, b->im, "running", NULL, 0);
}

/* Forgets the problems added after the first keep. */
static void problems_truncate(app_import_t *im, size_t keep)
{
    while (json_array_size(im->problems) > keep)
        json_array_remove(im->problems, json_array_size(im->problems) - 1);
}

/* The persons written since the last time against everyone
 * (app_duplicates_flag: in memory for many), in the background of the
 * writes that go on: the flagging under way is finished first (its pairs
 * written), then the waiting persons handed to a new one. When last, that
 * one is flagged at once, by every core (app_duplicates_flag: nothing is
 * written meanwhile). Each flagging reads the data whole, so they come
 * seldom: when AWDA_IMPORT_FLAG_PERSONS persons wait, or a quarter of
 * those the import wrote so far. */
static void flag_finish(app_import_t *im)
{
    if (!im->flagging)
        return;
    long flagged = app_duplicates_flag_finish(im->flagging);
    im->flagging = NULL;
    if (flagged < 0)
        awda_log(LOG_ERROR, "import_duplicates", NULL);
    else
        im->n.duplicates_flagged += flagged;
}

static void flag_waiting(app_import_t *im, int last)
{
    flag_finish(im);
    if (!im->nto_flag)
        return;
    imp_tell(im, "flagging");
    long flagged = 0;
    if (last) /* nothing is written any more: every core flags */
        flagged = app_duplicates_flag(im->app, im->to_flag, im->nto_flag, "import", im->pk);
    else if (!(im->flagging =
                   app_duplicates_flag_start(im->app, im->to_flag, im->nto_flag, "import", im->pk)))
        flagged = -1;
    if (flagged < 0)
        awda_log(LOG_ERROR, "import_duplicates", "\"persons\":%zu", im->nto_flag);
    else
        im->n.duplicates_flagged += flagged;
    im->nto_flag = 0;
}

static int flag_due(const app_import_t *im)
{
    size_t quarter = (size_t)im->n.persons_created / 4;
    return im->nto_flag >=
           (quarter > AWDA_IMPORT_FLAG_PERSONS ? quarter : AWDA_IMPORT_FLAG_PERSONS);
}

static void batch_run(batch_t *b)
{
    app_result_t r = {0};
    app_run_solo(b->im->app, batch_job, b, &r);
    b->ok = r.code == APP_OK;
    app_result_free(&r);
}

static void *batch_thread(void *p)
{
    pthread_setname_np(pthread_self(), "awda-import-job");
    batch_run(p);
    return NULL;
}

/* Hands batch b to the writer and returns while it is written (on a
 * thread of its own; at once when none can be made). No job may be
 * under way. */
static void flush_start(app_import_t *im, batch_t *b)
{
    b->before = im->n;
    b->kept = json_array_size(im->problems);
    b->npks = 0;
    b->aborted = 0;
    b->ok = 0;
    b->threaded = pthread_create(&b->th, NULL, batch_thread, b) == 0;
    if (!b->threaded)
        batch_run(b);
}

/* Waits for batch b's job and finishes it: a refused household's batch
 * again one household a job, the log checkpointed, the persons written
 * waiting to be flagged. 0, or -1 when the database failed. */
static int flush_end(app_import_t *im, batch_t *b)
{
    if (b->threaded)
        pthread_join(b->th, NULL);
    b->threaded = 0;
    int ok = b->ok;
    if (!ok && b->aborted) {
        /* a household was refused: the batch again, one household a job */
        app_result_t r = {0};
        im->n = b->before;
        problems_truncate(im, b->kept);
        b->npks = 0;
        for (size_t i = 0; i < b->n; i++) {
            batch_t one = {.im = im,
                           .items = &b->items[i],
                           .n = 1,
                           .pks = b->pks + b->npks,
                           .ready = b->ready};
            memset(&r, 0, sizeof r);
            app_run(im->app, batch_job, &one, &r);
            int done = r.code == APP_OK;
            app_result_free(&r);
            if (!done && !one.aborted)
                break;
            if (!done) /* refused: its problems and skip are counted */
                im->n.rows_done += (long)b->items[i].n;
            b->npks += one.npks;
        }
        ok = 1;
    }
    for (size_t i = 0; i < b->n; i++)
        item_free(&b->items[i]);
    b->n = 0;
    store_keys_ready_clear(b->ready);
    if (!ok)
        return -1;
    /* the write-ahead log copied into the database and emptied every
     * AWDA_IMPORT_CHECKPOINT_ROWS: a log that the next batches only
     * lengthen (a passive checkpoint never catches up with batches of
     * thousands of households) makes every page read and every checkpoint
     * dearer, to gigabytes over a million rows */
    if (im->n.rows_done - im->checkpointed_at >= AWDA_IMPORT_CHECKPOINT_ROWS) {
        im->checkpointed_at = im->n.rows_done;
        if (store_checkpoint(app_store(im->app)) != STORE_OK)
            awda_log(LOG_WARN, "import_checkpoint", NULL);
    }
    /* after the commit: the batch's persons wait to be flagged */
    if (im->nto_flag + b->npks > im->to_flag_cap)
        flag_waiting(im, 0); /* (a file of more persons than rows: never) */
    memcpy(im->to_flag + im->nto_flag, b->pks, b->npks * sizeof *b->pks);
    im->nto_flag += b->npks;
    imp_tell(im, "writing");
    if (flag_due(im))
        flag_waiting(im, 0);
    return 0;
}

/* ---- the pass ----------------------------------------------------------------- */

/* Counts the rows of it already imported (a check on the reader): the
 * household's verdict as the write would give it. */
static int check_seen(app_import_t *im, imp_item_t *it)
{
    store_conn_t *c = store_reader(app_store(im->app));
    if (!c)
        return -1;
    size_t seen = 0;
    for (size_t i = 0; i < it->n; i++) {
        int s = store_import_row_seen(c, it->hash[i]);
        if (s < 0)
            return -1;
        seen += (size_t)s;
    }
    if (seen == it->n && it->n)
        im->n.already_imported++;
    else if (seen) {
        for (size_t i = 0; i < it->n; i++)
            if (store_import_row_seen(c, it->hash[i]) == 0)
                row_problem(im, it, i, 1);
    }
    return 0;
}

/* Maps and checks household h into it: 1 when it may be written, 0 when
 * it has problems (reported into st), -1 when out of memory. Changes
 * nothing of im that a batch's job reads or writes. */
static int prepare_one(app_import_t *im, stage_t *st, const imp_hh_t *h, imp_item_t *it,
                       size_t *repbuf)
{
    const imp_mapping_t *m = &im->m;
    size_t nreps = 0, total = 0;
    unsigned char parent[HH_MAX][32], digest[32];
    /* the repeat rows of every main row of the household */
    for (size_t i = 0; m->has_repeat && i < h->count; i++) {
        size_t lo, hi;
        const char *key =
            awda_table_cell(im->t, m->sheet, im->order[h->start + i], (size_t)m->index_col, NULL);
        if (!*key)
            continue;
        imp_rep_range(im, key, &lo, &hi);
        for (size_t j = lo; j < hi; j++) {
            im->rep_used[im->reps[j]] = 1;
            if (nreps < HH_MAX)
                repbuf[nreps] = im->reps[j];
            nreps++;
        }
    }
    total = (m->main.nperson ? h->count : 0) + nreps;
    st->rows_done += (long)(h->count + nreps);
    if (total > AWDA_MAX_MEMBERS || !total) {
        char msg[200];
        if (!total)
            snprintf(msg, sizeof msg, "this row has no person: no row of the sheet %s names it",
                     m->repeat_sheet_name);
        else
            snprintf(msg, sizeof msg, "this household has %zu persons; a case holds at most %d",
                     total, AWDA_MAX_MEMBERS);
        size_t row = im->order[h->start];
        stage_problem(st, json_pack("{s:s,s:I,s:s,s:s,s:s}", "sheet", m->sheet_name, "row",
                                    (json_int_t)awda_table_row_number(im->t, m->sheet, row),
                                    "column", "", "field", "members", "message", msg));
        return 0;
    }
    const char *key = m->key_col >= 0 ? awda_table_cell(im->t, m->sheet, im->order[h->start],
                                                        (size_t)m->key_col, NULL)
                                      : "";
    size_t n = 0;
    char scratch[65];
    for (size_t i = 0; i < h->count; i++) {
        imp_row_hash(im, m->sheet, im->order[h->start + i], im->main_cols, im->nmain_cols, key,
                     NULL, parent[i < HH_MAX ? i : 0], m->main.nperson ? it->hash[n] : scratch);
        if (m->main.nperson)
            n++;
    }
    /* a repeat row's parent: the main row whose index it names (the
     * first main row when one household has several) */
    for (size_t i = 0; i < nreps; i++) {
        imp_row_hash(im, m->repeat_sheet, repbuf[i], im->rep_cols, im->nrep_cols, "", parent[0],
                     digest, it->hash[n++]);
    }
    imp_household_t hh = {im->order + h->start, h->count, repbuf, nreps};
    json_t *problems = json_array();
    it->body = imp_household_body(m, im->t, &hh, it->src, HH_MAX, &it->src_case, problems);
    it->n = total;
    if (!it->body) {
        json_decref(problems);
        return -1;
    }
    json_t *errors = json_array();
    app_case_validate(&im->actor, it->body, errors);
    const char *office = json_string_value(json_object_get(it->body, "office"));
    if (office && strcmp(office, m->office) != 0 && !awda_has_error(errors, "office"))
        awda_error_add(errors, "office", "this import is into the office %s, not %s", m->office,
                       office);
    size_t k;
    json_t *e;
    json_array_foreach(errors, k, e) json_array_append_new(problems, place_problem(im, it, e));
    json_decref(errors);
    size_t np = json_array_size(problems);
    json_array_foreach(problems, k, e) stage_problem(st, json_incref(e));
    json_decref(problems);
    if (np) {
        json_decref(it->body);
        it->body = NULL;
        return 0;
    }
    return 1;
}

/* The households of a batch at most: AWDA_IMPORT_BATCH_HOUSEHOLDS; for an
 * import that has the database to itself, up to
 * AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE so that the file makes at least
 * AWDA_IMPORT_BATCHES_ALONE batches: a file of few batches would leave
 * most of its persons to the flagging at the end, after every write. */
static size_t batch_max(const app_import_t *im)
{
    size_t n = im->alone ? im->nhh / AWDA_IMPORT_BATCHES_ALONE : 0;
    if (n < AWDA_IMPORT_BATCH_HOUSEHOLDS)
        return AWDA_IMPORT_BATCH_HOUSEHOLDS;
    return n > AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE ? AWDA_IMPORT_BATCH_HOUSEHOLDS_ALONE : n;
}

int imp_pass(app_import_t *im, int write)
{
    const size_t max = batch_max(im);
    memset(im->seen, 0, im->seen_cap * sizeof *im->seen);
    if (im->rep_used)
        memset(im->rep_used, 0, im->nreps);
    im->n.rows_done = 0;
    /* two batches: one prepared while the other is written */
    batch_t bs[2] = {{.im = im}, {.im = im}};
    batch_t *b = &bs[0], *busy = NULL;
    stage_t st = {0, 0, 0, json_array()};
    size_t *repbuf = malloc(HH_MAX * sizeof *repbuf);
    imp_scratch_t *sc = malloc(sizeof *sc);
    int rc = st.problems && repbuf && sc ? 0 : -1;
    for (int k = 0; k < (write ? 2 : 1); k++) {
        bs[k].items = calloc(write ? max : 1, sizeof *bs[k].items);
        bs[k].pks = malloc(max * HH_MAX * sizeof *bs[k].pks);
        bs[k].ready = store_keys_ready_new();
        if (!bs[k].items || !bs[k].pks || !bs[k].ready)
            rc = -1;
    }
    im->nto_flag = 0;
    im->checkpointed_at = 0;
    /* a person per row at most; and a batch's, however few the rows */
    im->to_flag_cap = (size_t)im->n.rows_total + max * HH_MAX;
    if (write && !im->to_flag && !(im->to_flag = malloc(im->to_flag_cap * sizeof *im->to_flag)))
        rc = -1;
    long last_told = 0;
    size_t batch_cap = AWDA_IMPORT_BATCH_FIRST;
    for (size_t i = 0; rc == 0 && i < im->nhh; i++) {
        imp_item_t scratch = {.src = sc->src, .hash = sc->hash}, *it = &scratch;
        long done_before = st.rows_done;
        int ok = prepare_one(im, &st, &im->hh[i], it, repbuf);
        st.households++;
        if (ok < 0) {
            rc = -1;
            break;
        }
        if (!ok) {
            st.skipped++;
            if (!busy)
                stage_merge(im, &st);
            continue;
        }
        if (!write) {
            stage_merge(im, &st);
            rc = check_seen(im, it);
            json_decref(it->body);
            it->body = NULL;
            if (im->n.rows_done - last_told >= AWDA_IMPORT_PROGRESS_ROWS) {
                last_told = im->n.rows_done;
                imp_save_now(im, "running", NULL, 0);
                imp_tell(im, "checking");
            }
            continue;
        }
        /* rows_done counts written rows: the batch adds them */
        st.rows_done = done_before;
        if (item_keep(&b->items[b->n], &scratch) != 0) {
            json_decref(scratch.body);
            rc = -1;
            break;
        }
        it = &b->items[b->n];
        /* the keys of its persons, made here rather than by the writer
         * (a person whose keys are not kept gets them made there) */
        size_t k;
        json_t *mb;
        json_array_foreach(json_object_get(it->body, "members"), k, mb)
            store_keys_ready_add(b->ready, json_object_get(mb, "person"));
        if (++b->n == batch_cap) {
            /* the first batches small (progress shows early), then larger */
            batch_cap = batch_cap * 2 > max ? max : batch_cap * 2;
            if (busy)
                rc = flush_end(im, busy);
            busy = NULL;
            stage_merge(im, &st);
            /* the server is stopping: what is written stays (a new import
             * of the file goes on from there); this batch is not begun */
            if (rc == 0 && app_imports_stopping())
                rc = IMP_STOPPED;
            if (rc == 0) {
                flush_start(im, b);
                busy = b;
                b = b == &bs[0] ? &bs[1] : &bs[0];
            }
        }
    }
    if (busy) {
        int end = flush_end(im, busy);
        rc = rc == 0 ? end : rc;
    }
    stage_merge(im, &st);
    if (rc == 0 && write && b->n && app_imports_stopping())
        rc = IMP_STOPPED;
    if (rc == 0 && write && b->n) {
        flush_start(im, b);
        rc = flush_end(im, b);
    }
    /* what was written is looked at, also when the server is stopping
     * (the persons written since the last flagging: a quarter of the
     * import's at most, or AWDA_IMPORT_FLAG_PERSONS) */
    if (write && rc != -1)
        flag_waiting(im, 1);
    flag_finish(im); /* a flagging under way is never left running */
    if (write) {     /* the writer's usual cache again */
        app_result_t r = {0};
        app_run(im->app, cache_job, NULL, &r);
        app_result_free(&r);
    }
    /* repeat rows that no main row names */
    const imp_mapping_t *m = &im->m;
    for (size_t i = 0; rc == 0 && m->has_repeat && i < im->nreps; i++) {
        if (im->rep_used[i])
            continue;
        char msg[400];
        snprintf(msg, sizeof msg, "no row of the sheet %s has the %s %s named here", m->sheet_name,
                 m->index_column,
                 awda_table_cell(im->t, m->repeat_sheet, i, (size_t)m->parent_col, NULL));
        imp_problem(im, json_pack("{s:s,s:I,s:s,s:s,s:s}", "sheet", m->repeat_sheet_name, "row",
                                  (json_int_t)awda_table_row_number(im->t, m->repeat_sheet, i),
                                  "column", m->parent_column, "field", "", "message", msg));
    }
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < bs[k].n; i++)
            item_free(&bs[k].items[i]);
        free(bs[k].items);
        free(bs[k].pks);
        store_keys_ready_free(bs[k].ready);
    }
    json_decref(st.problems);
    free(repbuf);
    free(sc);
    if (rc == 0)
        im->n.rows_done = im->n.rows_total;
    return rc;
}
