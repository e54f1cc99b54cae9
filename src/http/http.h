/*
 * http.h — awda's small HTTP front over libmicrohttpd.
 *
 * http.c owns the socket side: the MHD daemon (thread pool, epoll,
 * keep-alive), the limits on connections and memory, the body cap, and
 * the request hygiene rules that MHD does not enforce itself: the request
 * head rules of hygiene.c (header syntax, headers that may come once,
 * Host, Transfer-Encoding, Content-Length) and control characters or NUL
 * in the URL. A request that passes is handed, with its
 * whole body, to api_handle() (router.c; see api.h) as an http_exchange_t; the response
 * the API fills in is queued, timed for /metrics, and logged.
 *
 * MHD drops keep-alive when a response is queued on the first call for a
 * request, so http.c always answers on a later call.
 */
#ifndef AWDA_HTTP_H
#define AWDA_HTTP_H
#include "../app/app.h"
#include <jansson.h>
#include <stddef.h>

/* Who may read /metrics (setting metrics_access). */
typedef enum {
    HTTP_METRICS_LOOPBACK = 0, /* clients at 127.0.0.1 or ::1 only (the default) */
    HTTP_METRICS_TOKEN,        /* clients sending Authorization: Bearer <metrics_token> */
    HTTP_METRICS_OPEN,         /* anyone */
} http_metrics_access_t;

typedef struct {
    const char *listen; /* "127.0.0.1:8080" or "[::1]:8080" */
    int threads;
    size_t max_body;
    int access_log;
    const char *web_root; /* directory of the web interface, or NULL */
    http_metrics_access_t metrics_access;
    const char *metrics_token; /* for HTTP_METRICS_TOKEN */
    int cookie_secure;         /* mark the session cookie Secure (public_url is https) */
} http_config_t;

typedef struct http_server http_server_t;

#define HTTP_MAX_HEADERS 16

typedef struct http_work http_work_t;
/* A streamed body: instead of out, the API may hand http.c a producer
 * that makes the body while it is sent (chunked), in bounded memory, as
 * the client takes it. produce(ctx, buf, max) writes 1..max bytes and
 * returns how many, 0 at the end, or -1 on failure: the connection is
 * then cut without the last chunk, so a client never takes a body that
 * stopped short for a whole one. done(ctx) is called exactly once, when
 * the response is over, abandoned by the client, or never sent. http.c
 * knows nothing of what is produced. */
typedef long (*http_produce_fn)(void *ctx, char *buf, size_t max);
typedef void (*http_done_fn)(void *ctx);

/* One request and its response, as the API layer sees it. */
typedef struct {
    /* in */
    const char *method;
    const char *path;
    const char *body;
    size_t body_len;
    char addr[64];
    void *conn; /* struct MHD_Connection *, for header and argument lookups */
    /* out */
    int status;
    char *out; /* malloc'd; http.c frees it */
    size_t out_len;
    const char *ctype;
    int nheaders;
    char hname[HTTP_MAX_HEADERS][32];
    char hvalue[HTTP_MAX_HEADERS][256];
    int route; /* index for metrics; -1 when no route matched */
    int close; /* close the connection after responding */
    /* deferred work (http_defer): the answer comes from work->finish */
    const http_work_t *work;
    void *job;
    http_produce_fn produce; /* set: the body is streamed from it, out is unused */
    void *produce_ctx;
    http_done_fn produce_done;
} http_exchange_t;

/* Starts serving; NULL on failure (logged). The app stays the caller's. */
http_server_t *http_start(app_t *app, const http_config_t *cfg);
/* Why http_start could not listen: the errno of a trial bind of the
 * address with the server's socket options (EADDRINUSE when another
 * server holds it), or 0 when it binds now. */
int http_listen_errno(const char *listen);
/* Stops accepting, waits (up to grace_ms) for requests in flight, stops. */
void http_stop(http_server_t *s, int grace_ms);
/* The port actually bound (useful with port 0). */
int http_port(http_server_t *s);
/* Seam for the fuzzing harness (fuzz/fuzz_http.c): the same request path
 * as http_start, but no listening socket and no threads; the caller hands
 * connections to the daemon (MHD_add_connection) and drives it with
 * MHD_run. listen and threads are ignored. http_stop stops it. */
http_server_t *http_start_detached(app_t *app, const http_config_t *cfg);
void *http_daemon(http_server_t *s); /* the struct MHD_Daemon * */

/* Header lookup (case-insensitive) and query argument lookup. */
const char *http_header(http_exchange_t *x, const char *name);
const char *http_arg(http_exchange_t *x, const char *name);
void http_add_header(http_exchange_t *x, const char *name, const char *value);

/* Deferred work. A handler that must do something slow (hash a password)
 * hands it to http.c rather than hold its thread: http_defer queues the
 * job for the work threads (AWDA_MAX_CONCURRENT_HASHES of them) and the
 * request waits, suspended, holding no thread. When run() is done, finish()
 * is called on a thread that answers requests, with the exchange, and fills
 * in the response as a handler would; http.c then sends it. finish() is
 * called exactly once — without run() when the job could not be run (out
 * of memory), so the job must tell — and frees the job. Neither may look
 * at the request's headers (copy what is needed into the job). */
struct http_work {
    void (*run)(void *job);                        /* on a work thread; nothing of MHD */
    void (*finish)(void *job, http_exchange_t *x); /* on a request thread */
    /* Instead of run (a write handed to the store's writer): called on the
     * request thread once the connection is suspended; it hands the job to
     * whoever does it and arranges that complete(token) is called exactly
     * once when it is done — from any thread, even before start returns.
     * No work thread is held and no work queue slot is taken. */
    void (*start)(void *job, void (*complete)(void *token), void *token);
};
/* Queues job for the request x: 0 when queued (the handler returns at
 * once and leaves x's response alone; finish answers); -1 when
 * AWDA_WORK_QUEUE_MAX jobs are waiting already or the server is stopping
 * (the job is still the caller's, who answers — 503 with Retry-After). */
int http_defer(http_server_t *s, http_exchange_t *x, const http_work_t *w, void *job);
/* (A work with start: -1 only when the server is stopping; http_stop
 * waits for every started job to complete.) */
/* Jobs waiting now, and requests refused for a full queue since start. */
void http_work_counts(http_server_t *s, int *waiting, unsigned long long *refused);

/* 1 when the client of x may read /metrics under the metrics_access
 * setting: decided by the connection's peer address or the token; headers
 * such as X-Forwarded-For never admit anyone (they refuse: a request that
 * came through a proxy is not from this machine). */
int http_metrics_allowed(http_server_t *s, http_exchange_t *x);
/* 1 when the session cookie must be marked Secure. */
int http_cookie_secure(http_server_t *s);

/* Implemented by router.c (the JSON API: api.h, modules.def). */
void api_handle(app_t *app, http_server_t *srv, http_exchange_t *x);
/* The pattern of route id route (0 .. api_route_count() - 1), else "none"
 * (static). */
const char *api_route_name(int route);
/* Every route of every module, in id order, as JSON:
 * [{"method","route","permission","module"}] (caller owns). */
json_t *api_routes_json(void);
/* The number of routes (ids are dense: 0 .. count - 1). */
int api_route_count(void);

/* The web root the server was started with (config web_root), or NULL. */
const char *http_web_root(http_server_t *s);

/* Implemented by hygiene.c: the rules awda adds on top of libmicrohttpd
 * for the head of a request (header names and values, singleton headers,
 * Host, Transfer-Encoding, Content-Length). http.c passes every header
 * line of a request, duplicates included, to http_head_field in order,
 * then calls http_head_verdict; status is then 0 (fine) or the answer to
 * give at once (400, 411, 413 or 501) with its problem type, title and
 * detail. The value pointers belong to the connection. */
#define HTTP_HEAD_SINGLETONS 20
typedef struct {
    int status;
    const char *type;  /* problem type, e.g. "bad-request" */
    const char *title; /* static */
    char detail[160];  /* plain text without quotes or backslashes */
    int count[HTTP_HEAD_SINGLETONS];
    const char *host, *te, *cl; /* the values seen, or NULL */
} http_head_t;
void http_head_init(http_head_t *h);
void http_head_field(http_head_t *h, const char *name, const char *value);
void http_head_verdict(http_head_t *h, const char *version, size_t max_body);
/* 1 when a Host value is host[:port] (or empty). */
int http_host_valid(const char *value);

/* Implemented by conditional.c: reads an If-Match value (RFC 9110) into
 * m (present is set). Returns 0, or -1 when the value is not "*" nor a
 * list of entity-tags (or is longer than AWDA_MAX_IF_MATCH). */
int http_if_match_parse(const char *value, app_if_match_t *m);

/* Implemented by static.c: answers a GET or HEAD outside /api/ from the
 * web interface under web_root (see static.c). Returns 1 when it filled
 * in the response, 0 when the path is not a file of the interface (the
 * caller answers 404). */
int static_handle(const char *web_root, http_exchange_t *x);

/* Implemented by metrics.c. */
void metrics_observe(int route, const char *method, int status, long long micros);
char *metrics_render(size_t *len); /* caller frees */

#endif
