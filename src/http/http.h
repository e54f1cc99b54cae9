/*
 * http.h — awda's small HTTP front over libmicrohttpd.
 *
 * http.c owns the socket side: the MHD daemon (thread pool, epoll,
 * keep-alive), the limits on connections and memory, the body cap, and
 * the request hygiene rules that MHD does not enforce itself (conflicting
 * Content-Length headers, Content-Length with Transfer-Encoding, control
 * characters or NUL in the URL). A request that passes is handed, with its
 * whole body, to api_handle() (api.c) as an http_exchange_t; the response
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

typedef struct {
    const char *listen; /* "127.0.0.1:8080" or "[::1]:8080" */
    int threads;
    size_t max_body;
    int access_log;
    const char *web_root; /* directory of the web interface, or NULL */
} http_config_t;

typedef struct http_server http_server_t;

#define HTTP_MAX_HEADERS 16

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
    int route;               /* index for metrics; -1 when no route matched */
    int close;               /* close the connection after responding */
    http_produce_fn produce; /* set: the body is streamed from it, out is unused */
    void *produce_ctx;
    http_done_fn produce_done;
} http_exchange_t;

/* Starts serving; NULL on failure (logged). The app stays the caller's. */
http_server_t *http_start(app_t *app, const http_config_t *cfg);
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

/* Implemented by api.c. */
void api_handle(app_t *app, http_server_t *srv, http_exchange_t *x);
const char *api_route_name(int route);
/* The route table as JSON: [{"method","route","permission"}] (caller owns). */
json_t *api_routes_json(void);
int api_route_count(void);

/* The web root the server was started with (config web_root), or NULL. */
const char *http_web_root(http_server_t *s);

/* Implemented by static.c: answers a GET or HEAD outside /api/ from the
 * web interface under web_root (see static.c). Returns 1 when it filled
 * in the response, 0 when the path is not a file of the interface (the
 * caller answers 404). */
int static_handle(const char *web_root, http_exchange_t *x);

/* Implemented by metrics.c. */
void metrics_observe(int route, const char *method, int status, long long micros);
char *metrics_render(size_t *len); /* caller frees */

#endif
