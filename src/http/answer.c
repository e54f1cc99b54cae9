/*
 * answer.c — how the JSON API answers: application results to HTTP.
 *
 * api_respond maps an app_result_t to a status and body: 2xx JSON, a file
 * or a stream (exports), an idempotent replay, or an RFC 9457 problem with
 * per-field errors, plus ETag, Location and Retry-After. Problems, and the
 * messages of routes flagged API_MESSAGES, are put into the user's
 * language here and only here (src/text/messages.c): handlers write
 * English. A use case that hashes a password answers later, from
 * http_work.c's work threads (api_answer_later). The request helpers
 * read the headers that several modules share (Idempotency-Key,
 * If-Match).
 */
#include "api.h"
#include "../text/messages.h"
#include "../util/buf.h"
#include "../util/id.h"
#include "../util/limits.h"
#include "../util/mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- responses ------------------------------------------------------------ */

void api_set_json(http_exchange_t *x, int status, const char *ctype, json_t *body)
{
    x->status = status;
    x->ctype = ctype;
    free(x->out);
    x->out = body ? json_dumps(body, JSON_COMPACT) : NULL;
    x->out_len = x->out ? strlen(x->out) : 0;
}

/* Sends an RFC 9457 problem; errors and extra (borrowed) may be NULL;
 * extra's members are added to the problem. */
static void problem_ex(http_exchange_t *x, int status, const char *type, const char *title,
                       const char *detail, json_t *errors, json_t *extra)
{
    char t[128];
    snprintf(t, sizeof t, API_PROBLEM_BASE "%s", type);
    json_t *p = json_pack("{s:s,s:s,s:i}", "type", t, "title", title, "status", status);
    if (detail && *detail)
        json_object_set_new(p, "detail", json_string(detail));
    if (errors)
        json_object_set(p, "errors", errors);
    if (extra)
        json_object_update(p, extra);
    api_set_json(x, status, "application/problem+json", p);
    json_decref(p);
}

void api_problem(http_exchange_t *x, int status, const char *type, const char *title,
                 const char *detail, json_t *errors)
{
    problem_ex(x, status, type, title, detail, errors, NULL);
}

static const struct {
    app_code_t code;
    int status;
    const char *type;
    const char *title;
} CODES[] = {
    {APP_OK, 200, NULL, NULL},
    {APP_CREATED, 201, NULL, NULL},
    {APP_NO_CONTENT, 204, NULL, NULL},
    {APP_INVALID, 422, "validation", "The request is not valid"},
    {APP_BAD_REQUEST, 400, "bad-request", "The request is not valid"},
    {APP_UNAUTHORIZED, 401, "unauthorized", "Sign-in required"},
    {APP_FORBIDDEN, 403, "forbidden", "Not allowed"},
    {APP_NOT_FOUND, 404, "not-found", "Not found"},
    {APP_CONFLICT, 409, "conflict", "Conflict"},
    {APP_STALE, 412, "precondition-failed", "Changed by someone else"},
    {APP_PRECONDITION_REQUIRED, 428, "precondition-required", "Version required"},
    {APP_TOO_MANY, 429, "too-many-requests", "Too many attempts"},
    {APP_IDEM_REUSED, 422, "idempotency-key-reused", "Idempotency key reused"},
    {APP_ERROR, 500, "internal", "Something went wrong"},
    {APP_UNAVAILABLE, 503, "unavailable", "Service unavailable"},
    {APP_UNMET, 409, "requirements-unmet", "The case is not ready for this step"},
    {APP_OTP_REQUIRED, 401, "otp-required", "A one-time code is needed"},
    {APP_NO_CONSENT, 403, "consent-required", "No consent to share"},
    {APP_TOO_LARGE, 422, "export-too-large", "The export is too large"},
};

void api_respond(api_call_t *c, app_result_t *r)
{
    http_exchange_t *x = c->x;
    int i = 0;
    while (i < (int)(sizeof CODES / sizeof CODES[0]) - 1 && CODES[i].code != r->code)
        i++;
    if (r->replay) {
        json_t *old = json_loads(r->replay, 0, NULL);
        json_t *v = json_object_get(old, "version");
        r->version = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
        json_decref(old);
        x->status = r->replay_status;
        x->ctype = "application/json";
        x->out = r->replay;
        x->out_len = strlen(r->replay);
        r->replay = NULL;
        http_add_header(x, "Idempotent-Replayed", "true");
    } else if (CODES[i].type) {
        problem_ex(x, CODES[i].status, CODES[i].type, r->title[0] ? r->title : CODES[i].title,
                   r->detail, r->errors, r->extra);
    } else if (r->code == APP_NO_CONTENT) {
        x->status = 204;
    } else if (r->raw || r->produce) {
        x->status = CODES[i].status;
        x->ctype = r->raw_type;
        free(x->out);
        x->out = r->raw;
        x->out_len = r->raw_len;
        r->raw = NULL;
        if (r->produce) {
            x->produce = r->produce;
            x->produce_ctx = r->produce_ctx;
            x->produce_done = r->produce_done;
            r->produce_ctx = NULL; /* http.c owns it now */
            char n[24];
            snprintf(n, sizeof n, "%lld", r->rows);
            http_add_header(x, "X-Export-Rows", n);
        }
        char disp[96];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", r->filename);
        http_add_header(x, "Content-Disposition", disp);
        char n[24];
        snprintf(n, sizeof n, "%ld", r->withheld);
        http_add_header(x, "X-Withheld-Persons", n);
    } else if (r->text) {
        /* written once by the use case: sent as it is */
        x->status = CODES[i].status;
        x->ctype = "application/json";
        free(x->out);
        x->out = r->text;
        x->out_len = r->text_len;
        r->text = NULL;
    } else {
        api_set_json(x, CODES[i].status, "application/json", r->body);
    }
    if (r->location[0])
        http_add_header(x, "Location", r->location);
    if (r->version > 0) {
        char etag[32];
        snprintf(etag, sizeof etag, "\"%lld\"", r->version);
        http_add_header(x, "ETag", etag);
    }
    if (r->retry_after > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", r->retry_after);
        http_add_header(x, "Retry-After", ra);
    }
    app_result_free(r);
}

/* ---- answers in the user's language (src/text/messages.c) ---------------- */

/* The signed-in user's saved language, else the best of Accept-Language,
 * else English. A saved "en" is the column's default (migration 5), the
 * same for a user who never chose, so it yields to Accept-Language (the
 * web interface sends its language there in any case). */
static awda_lang_t lang_of(api_call_t *c)
{
    if (!c->lang) {
        const char *saved = c->actor.p.pk ? c->actor.p.language : "";
        int l = awda_lang_parse(saved, strlen(saved));
        if (l == AWDA_LANG_EN)
            l = -1;
        if (l < 0)
            l = awda_lang_accept(http_header(c->x, "Accept-Language"));
        c->lang = (l < 0 ? AWDA_LANG_EN : l) + 1;
    }
    return (awda_lang_t)(c->lang - 1);
}

static void translate_member(json_t *o, const char *key, awda_lang_t lang)
{
    char *t = awda_msg_translate(json_string_value(json_object_get(o, key)), lang);
    if (t)
        json_object_set_new(o, key, json_string(t));
    free(t);
}

/* Every "message" inside v (errors, requirements, warnings). */
static void translate_messages(json_t *v, awda_lang_t lang, int depth)
{
    if (depth > 8)
        return;
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e) translate_messages(e, lang, depth + 1);
    } else if (json_is_object(v)) {
        const char *k;
        json_t *e;
        json_object_foreach(v, k, e)
        {
            if (strcmp(k, "message") == 0 && json_is_string(e))
                translate_member(v, k, lang);
            else
                translate_messages(e, lang, depth + 1);
        }
    }
}

/* Puts a problem (its title, detail and messages) and the requirement
 * sentences of a readiness answer into the language of the answer, and
 * says which it is (Content-Language). The handlers write English; this
 * is the one place that translates. */
void api_localize(api_call_t *c)
{
    http_exchange_t *x = c->x;
    int problem = x->ctype && strcmp(x->ctype, "application/problem+json") == 0;
    const api_route_t *route = api_route_at(x->route);
    int readiness = route && (route->flags & API_MESSAGES) && x->status == 200;
    if ((!problem && !readiness) || !x->out)
        return;
    awda_lang_t lang = lang_of(c);
    http_add_header(x, "Content-Language", awda_lang_code(lang));
    if (lang == AWDA_LANG_EN)
        return;
    json_t *j = json_loadb(x->out, x->out_len, 0, NULL);
    if (!j)
        return;
    if (problem) {
        translate_member(j, "title", lang);
        translate_member(j, "detail", lang);
    }
    translate_messages(j, lang, 0);
    char *out = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!out)
        return;
    free(x->out);
    x->out = out;
    x->out_len = strlen(out);
}

/* ---- password work off the request threads ------------------------------- */

/* A call whose use case hashes a password (app.h, password work): the
 * hash runs on http_work.c's work threads, then the call is answered and
 * audited as if the handler had done it. */
typedef struct {
    api_call_t c;
    char param[AWDA_MAX_SHORT + 8];
    app_hash_job_t *job;
    void (*answer)(api_call_t *c, app_result_t *r); /* the handler's answer */
} pending_t;

static void pending_run(void *p)
{
    app_hash_job_run(((pending_t *)p)->job);
}

static void pending_finish(void *p, http_exchange_t *x)
{
    pending_t *pd = p;
    app_result_t r = {0};
    pd->c.x = x;
    pd->c.param = pd->param;
    app_hash_job_finish(pd->job, &r);
    pd->answer(&pd->c, &r);
    api_audit_call(&pd->c);
    api_localize(&pd->c);
    json_decref(pd->c.json);
    free(pd);
}

static const http_work_t PENDING = {pending_run, pending_finish, NULL};

/* Answers the use case's result r now or, when it returned a job, once the
 * job has run; a full queue answers 503 with Retry-After. */
void api_answer_later(api_call_t *c, app_hash_job_t *job, app_result_t *r,
                      void (*answer)(api_call_t *c, app_result_t *r))
{
    pending_t *pd = job ? awda_calloc(1, sizeof *pd) : NULL;
    lang_of(c); /* the finish may not read the request's headers */
    if (pd) {
        pd->c = *c;
        snprintf(pd->param, sizeof pd->param, "%s", c->param ? c->param : "");
        pd->c.json = json_incref(c->json);
        pd->job = job;
        pd->answer = answer;
        if (http_defer(c->srv, c->x, &PENDING, pd) == 0)
            return;
        json_decref(pd->c.json);
        free(pd);
    }
    if (job)
        app_hash_job_finish(job, r); /* never run: 503 */
    answer(c, r);
}

/* ---- writes answered when they are on disk -------------------------------- */

/* A call whose write waits for the store's commit without holding a
 * thread: queued from start (the connection suspended), answered and
 * audited in finish as if the handler had done it. */
typedef struct {
    api_call_t c;
    char param[AWDA_MAX_SHORT + 8];
    char key[AWDA_MAX_IDEMPOTENCY_KEY + 1];
    int has_key, started;
    char hash[65];
    app_result_t r;
    api_write_fn fn;
} write_t;

#define WRITE_REFUSED                                                                              \
    "the server could not take the change now; nothing was saved, try again in a moment"

static void write_start(void *p, void (*complete)(void *token), void *token)
{
    write_t *w = p;
    w->started = 1;
    w->c.x = NULL; /* the request's headers are not to be read from here on */
    /* the path's id: this call's own copy (the router's was on its stack) */
    w->c.param = w->param;
    if (w->fn(&w->c, w->has_key ? w->key : NULL, w->hash, &w->r, complete, token) != 0)
        complete(token); /* answered at once (invalid) */
}

static void write_finish(void *p, http_exchange_t *x)
{
    write_t *w = p;
    w->c.x = x;
    w->c.param = w->param;
    if (!w->started) {
        app_fail(&w->r, APP_UNAVAILABLE, "%s", WRITE_REFUSED);
        w->r.retry_after = 1;
    }
    api_respond(&w->c, &w->r);
    api_audit_call(&w->c);
    api_localize(&w->c);
    json_decref(w->c.json);
    free(w);
}

static const http_work_t WRITE = {NULL, write_finish, write_start};

void api_write_later(api_call_t *c, const char *key, const char *hash, api_write_fn fn)
{
    write_t *w = awda_calloc(1, sizeof *w);
    lang_of(c); /* the finish may not read the request's headers */
    if (w) {
        w->c = *c;
        snprintf(w->param, sizeof w->param, "%s", c->param ? c->param : "");
        w->has_key = key != NULL;
        snprintf(w->key, sizeof w->key, "%s", key ? key : "");
        snprintf(w->hash, sizeof w->hash, "%s", hash);
        w->fn = fn;
        w->c.json = json_incref(c->json);
        if (http_defer(c->srv, c->x, &WRITE, w) == 0)
            return;
        json_decref(w->c.json);
        free(w);
    }
    app_result_t r = {0};
    app_fail(&r, APP_UNAVAILABLE, "%s", WRITE_REFUSED);
    r.retry_after = 1;
    api_respond(c, &r);
}

/* Reads the Idempotency-Key; 0 and a problem when it is malformed. */
int api_idem_key(api_call_t *c, const char **key, char hash[65])
{
    hash[0] = '\0'; /* no key: an empty hash, never stack garbage */
    *key = http_header(c->x, "Idempotency-Key");
    if (!*key)
        return 1;
    size_t n = strlen(*key);
    int ok = n >= 1 && n <= AWDA_MAX_IDEMPOTENCY_KEY;
    for (size_t i = 0; ok && i < n; i++)
        ok = (*key)[i] > 0x20 && (*key)[i] < 0x7f;
    if (!ok) {
        json_t *e = json_array();
        json_array_append_new(e,
                              json_pack("{s:s,s:s}", "field", "Idempotency-Key", "message",
                                        "the Idempotency-Key must be 1 to 128 visible characters"));
        api_problem(c->x, 400, "bad-request", "The request is not valid",
                    "the Idempotency-Key header is not valid", e);
        json_decref(e);
        return 0;
    }
    buf_t b;
    buf_init(&b, AWDA_MAX_BODY_CEILING + 4096);
    buf_printf(&b, "%s %s\n", c->x->method, c->x->path);
    buf_append(&b, c->x->body, c->x->body_len);
    awda_hash_hex(b.data, b.len, hash);
    buf_free(&b);
    return 1;
}

/* Reads If-Match into m (absent: m->present is 0). Returns 0, or -1 when
 * the header is not an entity-tag list (problem sent). */
int api_if_match(api_call_t *c, app_if_match_t *m)
{
    const char *h = http_header(c->x, "If-Match");
    memset(m, 0, sizeof *m);
    if (!h || http_if_match_parse(h, m) == 0)
        return 0;
    json_t *e = json_array();
    json_array_append_new(e, json_pack("{s:s,s:s}", "field", "If-Match", "message",
                                       "If-Match must carry the ETag of the case, e.g. "
                                       "\"3\" (or *, or a list of entity-tags)"));
    api_problem(c->x, 400, "bad-request", "The request is not valid",
                "the If-Match header is not an entity-tag list", e);
    json_decref(e);
    return -1;
}

const char *api_arg(api_call_t *c, const char *name)
{
    return http_arg(c->x, name);
}
