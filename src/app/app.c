/*
 * app.c — the application object, results, and the transaction runners
 * every use case shares (see app.h).
 *
 * app_run hands a use case's job to the store's writer (one transaction,
 * group-committed). app_run_idempotent wraps it with the Idempotency-Key
 * rule: inside the same transaction it looks the key up, replays the first
 * response when the request is the same, refuses a different request with
 * the same key, and otherwise runs the job and stores its response — so
 * two concurrent retries can never both create.
 */
#include "app.h"
#include "internal.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

app_t *app_new(store_t *store, const app_config_t *cfg)
{
    app_t *app = awda_calloc(1, sizeof *app);
    if (!app)
        return NULL;
    app->store = store;
    app->cfg = *cfg;
    if (app->cfg.session_hours <= 0)
        app->cfg.session_hours = 12;
    if (app->cfg.session_idle_minutes <= 0)
        app->cfg.session_idle_minutes = 30;
    if (app->cfg.reconfirm_hours <= 0)
        app->cfg.reconfirm_hours = 72;
    if (app->cfg.preembark_hours <= 0)
        app->cfg.preembark_hours = 72;
    if (app->cfg.retention_closed_years <= 0)
        app->cfg.retention_closed_years = 5;
    if (app->cfg.retention_withdrawn_years <= 0)
        app->cfg.retention_withdrawn_years = 2;
    if (app->cfg.export_max_rows <= 0)
        app->cfg.export_max_rows = AWDA_EXPORT_MAX_ROWS_DEFAULT;
    if (!app->cfg.procedure_types)
        app->cfg.procedure_types = "exit_visa,fine_waiver,police_clearance";
    /* Roles that must sign in with a second factor (unknown names were
     * refused when the configuration was read). */
    const char *sf = app->cfg.second_factor_roles ? app->cfg.second_factor_roles : "";
    while (*sf) {
        const char *e = strchr(sf, ',');
        size_t n = e ? (size_t)(e - sf) : strlen(sf);
        char role[32];
        if (n > 0 && n < sizeof role) {
            memcpy(role, sf, n);
            role[n] = '\0';
            app->second_factor_roles |= app_role_bit(role);
        }
        sf += n + (e ? 1 : 0);
    }
    if (auth_init(app) != 0) {
        auth_free(app);
        free(app);
        return NULL;
    }
    return app;
}

void app_free(app_t *app)
{
    if (!app)
        return;
    auth_free(app);
    free(app);
}

store_t *app_store(app_t *app)
{
    return app->store;
}

void app_result_free(app_result_t *r)
{
    json_decref(r->body);
    free(r->text);
    json_decref(r->errors);
    json_decref(r->extra);
    free(r->replay);
    free(r->raw);
    if (r->produce_ctx && r->produce_done)
        r->produce_done(r->produce_ctx);
    memset(r, 0, sizeof *r);
}

json_t *app_result_body(app_result_t *r)
{
    if (!r->body && r->text)
        r->body = json_loadb(r->text, r->text_len, 0, NULL);
    return r->body;
}

void app_fail(app_result_t *r, app_code_t code, const char *fmt, ...)
{
    r->code = code;
    json_decref(r->body);
    r->body = NULL;
    free(r->text);
    r->text = NULL;
    r->text_len = 0;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->detail, sizeof r->detail, fmt, ap);
        va_end(ap);
    }
}

int app_success(app_code_t c)
{
    return c == APP_OK || c == APP_CREATED || c == APP_NO_CONTENT;
}

typedef struct {
    app_job_fn fn;
    void *ctx;
    app_result_t *r;
    const app_actor_t *a;
    const char *key;
    const char *hash;
} run_ctx_t;

static int run_job(store_conn_t *c, void *p)
{
    run_ctx_t *x = p;
    int rc = x->fn(c, x->ctx, x->r);
    if (rc != STORE_OK)
        return rc;
    return app_success(x->r->code) ? STORE_OK : STORE_ABORT;
}

static void finish(int rc, app_result_t *r)
{
    if (rc == STORE_OK || !app_success(r->code))
        return; /* done, or the job already said what failed */
    if (rc == STORE_CONFLICT)
        app_fail(r, APP_CONFLICT, "this conflicts with a record that already exists");
    else
        app_fail(r, APP_ERROR, "the database could not complete the change; nothing was saved");
}

void app_run(app_t *app, app_job_fn fn, void *ctx, app_result_t *r)
{
    run_ctx_t x = {fn, ctx, r, NULL, NULL, NULL};
    finish(store_write(app->store, run_job, &x), r);
}

void app_run_solo(app_t *app, app_job_fn fn, void *ctx, app_result_t *r)
{
    run_ctx_t x = {fn, ctx, r, NULL, NULL, NULL};
    finish(store_write_solo(app->store, run_job, &x), r);
}

static int idem_job(store_conn_t *c, void *p)
{
    run_ctx_t *x = p;
    store_idem_t rec = {0};
    int got = store_idem_get(c, x->a->p.pk, x->key, &rec);
    if (got != STORE_OK && got != STORE_NOTFOUND) {
        /* the request was done before, but its answer cannot be read:
         * doing it again would do it twice */
        app_fail(x->r, APP_ERROR, "the answer kept for this Idempotency-Key cannot be read");
        return STORE_ABORT;
    }
    if (got == STORE_OK) {
        if (strcmp(rec.request_hash, x->hash) != 0) {
            store_idem_free(&rec);
            app_fail(x->r, APP_IDEM_REUSED,
                     "this Idempotency-Key was already used for a different request");
            return STORE_ABORT;
        }
        x->r->code = APP_OK;
        x->r->replay = rec.body;
        x->r->replay_status = rec.status;
        if (rec.location)
            snprintf(x->r->location, sizeof x->r->location, "%s", rec.location);
        free(rec.location);
        return STORE_OK;
    }
    int rc = run_job(c, p);
    if (rc != STORE_OK)
        return rc;
    char *body = json_dumps(x->r->body, JSON_COMPACT);
    if (!body)
        return STORE_ERR;
    store_idem_t put = {{0},
                        x->r->code == APP_CREATED ? 201 : 200,
                        body,
                        x->r->location[0] ? x->r->location : NULL};
    snprintf(put.request_hash, sizeof put.request_hash, "%s", x->hash);
    rc = store_idem_put(c, x->a->p.pk, x->key, &put);
    /* The bytes kept are the bytes sent: the first answer sends this very
     * text (r->text goes before r->body), as a replay will. */
    free(x->r->text);
    x->r->text = body;
    x->r->text_len = strlen(body);
    return rc;
}

void app_run_idempotent(app_t *app, const app_actor_t *a, const char *idem_key,
                        const char *request_hash, app_job_fn fn, void *ctx, app_result_t *r)
{
    if (!idem_key || a->system) {
        app_run(app, fn, ctx, r);
        return;
    }
    run_ctx_t x = {fn, ctx, r, a, idem_key, request_hash};
    finish(store_write(app->store, idem_job, &x), r);
}

/* A job queued by app_run_idempotent_async, with a copy of its context. */
typedef struct {
    run_ctx_t x;
    void (*after)(app_result_t *r);
    void (*done)(void *arg);
    void *arg;
    max_align_t ctx[]; /* the copy of ctx */
} async_run_t;

static void async_done(void *p, int rc)
{
    async_run_t *w = p;
    finish(rc, w->x.r);
    if (w->after && !w->x.r->replay)
        w->after(w->x.r);
    void (*done)(void *) = w->done;
    void *arg = w->arg;
    free(w);
    done(arg);
}

int app_run_idempotent_async(app_t *app, const app_actor_t *a, const char *idem_key,
                             const char *request_hash, app_job_fn fn, const void *ctx, size_t size,
                             void (*after)(app_result_t *r), app_result_t *r,
                             void (*done)(void *arg), void *arg)
{
    async_run_t *w = awda_malloc(sizeof *w + size);
    if (!w) {
        app_fail(r, APP_ERROR, "the database could not complete the change; nothing was saved");
        return -1;
    }
    memcpy(w->ctx, ctx, size);
    int idem = idem_key && !a->system;
    w->x = (run_ctx_t){fn, w->ctx, r, a, idem ? idem_key : NULL, request_hash};
    w->after = after;
    w->done = done;
    w->arg = arg;
    store_write_async(app->store, idem ? idem_job : run_job, &w->x, async_done, w);
    return 0;
}

int app_write_batch_max(app_t *app)
{
    return store_write_waited_max(app->store);
}

void app_invalid(app_result_t *r, json_t *errors, const char *title)
{
    r->code = APP_INVALID;
    json_decref(r->errors);
    r->errors = errors;
    snprintf(r->title, sizeof r->title, "%s", title);
    size_t n = json_array_size(errors);
    snprintf(r->detail, sizeof r->detail,
             n == 1 ? "%zu field needs attention" : "%zu fields need attention", n);
}

int app_parse_int(const char *s, long long min, long long max, long long *out)
{
    if (!s || !*s || strlen(s) > 18)
        return -1;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

#define IDEMPOTENCY_KEEP_MS (24LL * 3600 * 1000)

static int purge_job(store_conn_t *c, void *p, app_result_t *r)
{
    (void)p;
    r->code = APP_OK;
    int rc = store_idem_purge(c, awda_now_ms() - IDEMPOTENCY_KEEP_MS);
    if (rc == STORE_OK) /* addresses users signed in from (auth.c) */
        rc = store_sign_in_purge(c, awda_now_ms() -
                                        (int64_t)AWDA_KNOWN_ADDRESS_DAYS * 24 * 3600 * 1000);
    return rc;
}

void app_housekeeping(app_t *app)
{
    app_result_t r = {0};
    app_run(app, purge_job, NULL, &r);
    app_result_free(&r);
    int64_t now = awda_now_ms();
    if (now - app->retention_last_ms >= 24LL * 3600 * 1000) {
        app->retention_last_ms = now;
        app_retention_run(app, 0, now, &r);
        json_t *b = r.body;
        awda_log(r.code == APP_OK ? LOG_INFO : LOG_ERROR, "retention",
                 "\"cases_anonymised\":%d,\"persons_anonymised\":%d",
                 (int)json_integer_value(json_object_get(b, "cases_anonymised")),
                 (int)json_integer_value(json_object_get(b, "persons_anonymised")));
        app_result_free(&r);
    }
}

void app_bad_request(app_result_t *r, json_t *errors, const char *detail)
{
    r->code = APP_BAD_REQUEST;
    json_decref(r->errors);
    r->errors = errors;
    snprintf(r->detail, sizeof r->detail, "%s", detail);
}

void app_parse_page(const char *limit, const char *cursor, json_t *errors, long long *lim,
                    long long *cur)
{
    *lim = AWDA_LIST_DEFAULT;
    *cur = 0;
    if (limit && app_parse_int(limit, 1, AWDA_LIST_MAX, lim) != 0)
        awda_error_add(errors, "limit", "limit must be a whole number from 1 to %d", AWDA_LIST_MAX);
    if (cursor && app_parse_int(cursor, 1, (long long)INT64_MAX / 2, cur) != 0)
        awda_error_add(errors, "cursor",
                       "cursor is not valid; use the next_cursor of the previous page");
}

void app_case_scope(const app_actor_t *a, store_case_filter_t *f)
{
    f->offices = a->p.offices;
    f->nof = app_all_offices(a) ? -1 : a->p.noffices;
    f->projects = f->nof >= 0 ? app_scope_projects(a) : NULL;
}

void app_case_filter(store_conn_t *c, const app_actor_t *a, const char *stage, const char *office,
                     json_t *errors, store_case_filter_t *f)
{
    app_case_scope(a, f);
    if (stage) {
        if (awda_value_index(AWDA_STAGES, stage) < 0)
            awda_error_add(errors, "stage", "there is no stage called \"%.40s\"", stage);
        else
            f->stage = stage;
    }
    if (office && !(f->office_pk = store_office_pk(c, office)))
        awda_error_add(errors, "office", "there is no office with the code \"%.20s\"", office);
}

store_conn_t *app_reader(app_t *app, app_result_t *r)
{
    store_conn_t *c = store_reader(app->store);
    if (!c)
        app_fail(r, APP_UNAVAILABLE, "the database is not available");
    return c;
}

int app_find_case(store_conn_t *c, const app_actor_t *a, const char *id, int64_t *pk,
                  int64_t *office_pk, int64_t *version, app_result_t *r)
{
    if (!id || !awda_uuid_valid(id, strlen(id)) ||
        store_case_find(c, id, pk, office_pk, version) != STORE_OK ||
        !app_case_in_scope(c, a, *pk, *office_pk)) {
        app_fail(r, APP_NOT_FOUND, "there is no case with this id");
        return 0;
    }
    return 1;
}

store_case_t *app_read_case_k(store_conn_t *c, const app_actor_t *a, const char *id,
                              app_result_t *r)
{
    store_case_t *k = NULL;
    int rc = id && awda_uuid_valid(id, strlen(id))
                 ? store_case_load(c, id, 0, STORE_CLASSES_ALL, &k)
                 : STORE_NOTFOUND;
    if (rc == STORE_OK &&
        !app_case_row_in_scope(a, k->row.office_pk, k->row.receiving_office_pk, k->row.project))
        rc = STORE_NOTFOUND;
    if (rc == STORE_OK)
        return k;
    store_case_free(k);
    if (rc == STORE_NOTFOUND)
        app_fail(r, APP_NOT_FOUND, "there is no case with this id");
    else
        app_fail(r, APP_ERROR, "the case could not be read");
    return NULL;
}

json_t *app_read_case(store_conn_t *c, const app_actor_t *a, const char *id, store_case_row_t *row,
                      app_result_t *r)
{
    store_case_t *k = app_read_case_k(c, a, id, r);
    if (!k)
        return NULL;
    json_t *caze = store_case_json(k);
    if (caze)
        *row = k->row;
    else
        app_fail(r, APP_ERROR, "the case could not be read");
    store_case_free(k);
    return caze;
}

int app_case_in_scope(store_conn_t *c, const app_actor_t *a, int64_t case_pk, int64_t office_pk)
{
    if (app_in_office(a, office_pk))
        return 1;
    int64_t receiving = store_case_receiving_office(c, case_pk);
    if (receiving && app_in_office(a, receiving))
        return 1;
    if (!app_scope_projects(a))
        return 0;
    char project[AWDA_MAX_SHORT + 1];
    store_case_project(c, case_pk, project, sizeof project);
    return app_case_row_in_scope(a, office_pk, receiving, project);
}

int app_case_row_in_scope(const app_actor_t *a, int64_t office_pk, int64_t receiving_pk,
                          const char *project)
{
    if (app_in_office(a, office_pk))
        return 1;
    if (receiving_pk && app_in_office(a, receiving_pk))
        return 1;
    const char *projects = app_scope_projects(a);
    if (!projects)
        return 0;
    json_t *arr = json_loads(projects, 0, NULL);
    int in = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        in |= project && project[0] && json_is_string(v) &&
              strcmp(json_string_value(v), project) == 0;
    }
    json_decref(arr);
    return in;
}
