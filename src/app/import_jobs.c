/*
 * import_jobs.c — imports run for the API on threads of their own, and
 * what the API reads of them: one import's progress, its problems (JSON
 * pages, or a CSV report), the imports of the actor's offices.
 *
 * Import threads are started on demand, at most AWDA_IMPORT_MAX_RUNNING,
 * and then kept: each takes the next prepared import from a small queue
 * (as many places as threads) and runs it to its end with
 * app_import_execute, which saves the progress after every batch into the
 * import's row — so the progress is read from the database like any
 * record, by whichever thread answers. A full queue refuses a new import
 * with 503 (its record says why). The threads never answer requests and
 * the workers never wait for an import. When the server stops,
 * app_imports_stop ends them: a running import after its current batch,
 * a waiting one before it starts — each recorded as stopped, what it wrote
 * kept — and joins every thread before the store is closed.
 */
#include "import_int.h"
#include "internal.h"
#include "../text/messages.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static app_import_t *queue[AWDA_IMPORT_MAX_RUNNING];
static pthread_t tids[AWDA_IMPORT_MAX_RUNNING];
static int queued, threads, idle, stopping;

int app_imports_stopping(void)
{
    pthread_mutex_lock(&q_lock);
    int s = stopping;
    pthread_mutex_unlock(&q_lock);
    return s;
}

static const char STOPPED[] = "the server stopped during the import; what was written before "
                              "stays and a new import of the file goes on from there";

static void *import_thread(void *arg)
{
    (void)arg;
    pthread_setname_np(pthread_self(), "awda-import");
    for (;;) {
        pthread_mutex_lock(&q_lock);
        idle++;
        while (!queued && !stopping)
            pthread_cond_wait(&q_cond, &q_lock);
        idle--;
        if (!queued) { /* stopping, nothing waits */
            pthread_mutex_unlock(&q_lock);
            return NULL;
        }
        app_import_t *im = queue[0];
        memmove(queue, queue + 1, (size_t)(--queued) * sizeof queue[0]);
        int stop = stopping;
        pthread_mutex_unlock(&q_lock);
        if (stop) { /* never started: recorded as stopped */
            imp_save_now(im, "failed", STOPPED, 1);
            imp_free(im);
            continue;
        }
        app_result_t r = {0};
        app_import_execute(im, &r);
        app_result_free(&r);
    }
    return NULL;
}

void app_imports_stop(void)
{
    pthread_mutex_lock(&q_lock);
    stopping = 1;
    pthread_cond_broadcast(&q_cond);
    int n = threads;
    pthread_mutex_unlock(&q_lock);
    for (int i = 0; i < n; i++)
        pthread_join(tids[i], NULL);
}

static json_t *progress_json(const app_import_t *im, const char *status)
{
    return json_pack(
        "{s:s,s:s,s:s,s:s,s:s,s:I}", "id", im->id, "status", status, "mode",
        imp_mode_name(im->mode), "office", im->m.office, "file_name", im->file_name, "rows_total",
        (json_int_t)(awda_table_rows(im->t, im->m.sheet) +
                     (im->m.has_repeat ? awda_table_rows(im->t, im->m.repeat_sheet) : 0)));
}

void app_import_start(app_import_t *im, app_result_t *r)
{
    if (!im->pk) {
        app_fail(r, APP_ERROR, "the import has no record");
        imp_free(im);
        return;
    }
    pthread_mutex_lock(&q_lock);
    int room = queued < AWDA_IMPORT_MAX_RUNNING && !stopping;
    if (room) {
        queue[queued++] = im;
        if (idle < queued && threads < AWDA_IMPORT_MAX_RUNNING &&
            pthread_create(&tids[threads], NULL, import_thread, NULL) == 0)
            threads++;
        pthread_cond_signal(&q_cond);
        r->body = progress_json(im, "queued");
    }
    pthread_mutex_unlock(&q_lock);
    if (!room) {
        imp_save_now(im, "refused", "other imports are running: try again in a few minutes", 1);
        imp_free(im);
        app_fail(r, APP_UNAVAILABLE, "other imports are running: try again in a few minutes");
        r->retry_after = 60;
        return;
    }
    r->code = APP_CREATED;
    snprintf(r->location, sizeof r->location, "/api/v1/imports/%s",
             json_string_value(json_object_get(r->body, "id")));
}

/* ---- reads ------------------------------------------------------------------- */

/* The import id the actor may see (its office is one of theirs), or NULL
 * with 404 in r. Caller owns it. */
static json_t *find_import(app_t *app, const app_actor_t *a, const char *id, int64_t *pk,
                           store_conn_t **cp, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return NULL;
    *cp = c;
    int64_t office_pk = 0;
    json_t *o =
        id && awda_uuid_valid(id, strlen(id)) ? store_import_get(c, id, &office_pk, pk) : NULL;
    if (!o || !app_in_office(a, office_pk)) {
        json_decref(o);
        app_fail(r, APP_NOT_FOUND, "there is no import with this id");
        return NULL;
    }
    return o;
}

void app_import_get(app_t *app, const app_actor_t *a, const char *id, app_result_t *r)
{
    store_conn_t *c;
    int64_t pk;
    json_t *o = find_import(app, a, id, &pk, &c, r);
    if (!o)
        return;
    r->code = APP_OK;
    r->body = o;
}

static int csv_cell(buf_t *b, const char *s)
{
    int bad = 0;
    int quote = !s ? 0 : strpbrk(s, ",\"\r\n") != NULL;
    /* a cell a spreadsheet would run as a formula is written as text */
    int guard = s && (*s == '=' || *s == '+' || *s == '-' || *s == '@');
    if (quote || guard)
        bad |= buf_putc(b, '"');
    if (guard)
        bad |= buf_putc(b, '\'');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"')
            bad |= buf_putc(b, '"');
        bad |= buf_putc(b, *p);
    }
    if (quote || guard)
        bad |= buf_putc(b, '"');
    return bad;
}

void app_import_problems(app_t *app, const app_actor_t *a, const char *id, const char *after,
                         int csv, int lang, app_result_t *r)
{
    store_conn_t *c;
    int64_t pk;
    long long from = 0;
    if (after && app_parse_int(after, 0, 1000000000, &from)) {
        json_t *e = json_array();
        awda_error_add(e, "after", "must be a whole number");
        app_bad_request(r, e, "The request is not valid");
        return;
    }
    json_t *o = find_import(app, a, id, &pk, &c, r);
    if (!o)
        return;
    json_decref(o);
    long limit = csv ? AWDA_IMPORT_MAX_PROBLEMS_KEPT : AWDA_IMPORT_PROBLEMS_MAX;
    json_t *items = store_import_problems(c, pk, (long)from, limit);
    if (!items) {
        app_fail(r, APP_ERROR, "the problems could not be read");
        return;
    }
    if (!csv) {
        json_t *last = json_array_get(items, json_array_size(items) - 1);
        json_int_t next = (long)json_array_size(items) == limit
                              ? json_integer_value(json_object_get(last, "seq")) + 1
                              : 0;
        r->body =
            json_pack("{s:o,s:o}", "items", items, "next", next ? json_integer(next) : json_null());
        r->code = APP_OK;
        return;
    }
    buf_t b;
    buf_init(&b, 64L * 1024 * 1024);
    int bad = buf_append(&b, "\xEF\xBB\xBF", 3); /* spreadsheets read UTF-8 by it */
    bad |= buf_printf(&b, "sheet,row,column,field,message\r\n");
    size_t i;
    json_t *p;
    json_array_foreach(items, i, p)
    {
        const char *msg = json_string_value(json_object_get(p, "message"));
        char *tr = awda_msg_translate(msg, (awda_lang_t)lang);
        bad |= csv_cell(&b, json_string_value(json_object_get(p, "sheet")));
        bad |= buf_printf(&b, ",%lld,", (long long)json_integer_value(json_object_get(p, "row")));
        bad |= csv_cell(&b, json_string_value(json_object_get(p, "column")));
        bad |= buf_putc(&b, ',');
        bad |= csv_cell(&b, json_string_value(json_object_get(p, "field")));
        bad |= buf_putc(&b, ',');
        bad |= csv_cell(&b, tr ? tr : msg);
        bad |= buf_printf(&b, "\r\n");
        free(tr);
    }
    json_decref(items);
    if (bad) {
        buf_free(&b);
        app_fail(r, APP_ERROR, "the report could not be made");
        return;
    }
    r->raw_len = b.len;
    r->raw = buf_take(&b);
    r->raw_type = "text/csv; charset=utf-8";
    snprintf(r->filename, sizeof r->filename, "import-problems-%.8s.csv", id);
    r->code = APP_OK;
}

void app_import_list(app_t *app, const app_actor_t *a, app_result_t *r)
{
    store_conn_t *c = app_reader(app, r);
    if (!c)
        return;
    int all = app_all_offices(a);
    json_t *items =
        store_import_list(c, a->p.offices, all ? -1 : a->p.noffices, AWDA_IMPORT_LIST_MAX);
    if (!items) {
        app_fail(r, APP_ERROR, "the imports could not be read");
        return;
    }
    r->code = APP_OK;
    r->body = json_pack("{s:o}", "items", items);
}
