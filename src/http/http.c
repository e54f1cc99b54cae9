/*
 * http.c — the libmicrohttpd side of the HTTP front (see http.h).
 *
 * Per request, MHD calls on_request several times: the first call creates
 * the request record and checks the headers; middle calls deliver body
 * chunks, which are appended to a capped buffer; the last call (no more
 * data) dispatches to api_handle and queues the response. Rejections that
 * can be decided from the headers alone (the request head rules of
 * hygiene.c: malformed or repeated headers, Host, Transfer-Encoding, 413
 * by Content-Length) are answered at once with Connection: close, since
 * the body will not be read.
 *
 * URL hygiene: MHD percent-decodes the path and the query through our
 * unescape callback, which turns any decoded control character or NUL into
 * DEL (0x7f); together with raw control bytes, that is rejected with 400
 * before routing. A NUL can therefore never truncate a path silently.
 *
 * Deferred work (http_defer, for password hashing and writes) is
 * http_work.c: the last callback hands it the request's job
 * (http_defer_request) and, once it has run, finishes it
 * (http_work_finish); http_stop lets the work threads drain it first
 * (http_work_stop).
 *
 * http_start_detached runs the same request callbacks and options
 * (REQUEST_OPTIONS) without a socket or threads, for the fuzzing harness
 * fuzz/fuzz_http.c, which feeds it connections itself.
 */
#include "http.h"
#include "http_int.h"
#include "../text/messages.h"
#include "../text/norm.h"
#include "../util/buf.h"
#include "../util/limits.h"
#include "../util/log.h"
#include "../util/mem.h"
#include "../util/timeutil.h"
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *problem_body(int status, const char *type, const char *title, const char *detail,
                                size_t *len)
{
    static _Thread_local char buf[768];
    int n = snprintf(buf, sizeof buf,
                     "{\"type\":\"https://awda.example/problems/%s\",\"title\":\"%s\","
                     "\"status\":%d,\"detail\":\"%s\"}",
                     type, title, status, detail);
    *len = n < 0 ? 0 : (size_t)n >= sizeof buf ? sizeof buf - 1 : (size_t)n;
    return buf;
}

static enum MHD_Result queue_problem(struct MHD_Connection *conn, int status, const char *type,
                                     const char *title, const char *detail, int close)
{
    /* In the language of Accept-Language (no session is known here). */
    int lang =
        awda_lang_accept(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
    char *tt = lang > 0 ? awda_msg_translate(title, (awda_lang_t)lang) : NULL;
    char *td = lang > 0 ? awda_msg_translate(detail, (awda_lang_t)lang) : NULL;
    size_t len;
    const char *b = problem_body(status, type, tt ? tt : title, td ? td : detail, &len);
    free(tt);
    free(td);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)b, MHD_RESPMEM_MUST_COPY);
    MHD_add_response_header(resp, "Content-Type", "application/problem+json");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    MHD_add_response_header(resp, "Content-Language",
                            awda_lang_code(lang < 0 ? AWDA_LANG_EN : (awda_lang_t)lang));
    if (close)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result r = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* The request head rules of hygiene.c over every header line. */
static enum MHD_Result head_scan(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    http_head_field(cls, key, value);
    return MHD_YES;
}

static enum MHD_Result head_check(http_server_t *srv, struct MHD_Connection *conn,
                                  const char *version)
{
    http_head_t h;
    http_head_init(&h);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, head_scan, &h);
    http_head_verdict(&h, version, srv->cfg.max_body);
    if (!h.status)
        return MHD_YES;
    return queue_problem(conn, h.status, h.type, h.title, h.detail, 1);
}

static int bad_bytes(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    return 0;
}

static enum MHD_Result arg_scan(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    int *bad = cls;
    if (bad_bytes(key) || (value && bad_bytes(value)))
        *bad = 1;
    return MHD_YES;
}

static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '%' && r[1] && r[2]) {
            int hi = r[1], lo = r[2];
            int h = (hi >= '0' && hi <= '9')   ? hi - '0'
                    : (hi >= 'a' && hi <= 'f') ? hi - 'a' + 10
                    : (hi >= 'A' && hi <= 'F') ? hi - 'A' + 10
                                               : -1;
            int l = (lo >= '0' && lo <= '9')   ? lo - '0'
                    : (lo >= 'a' && lo <= 'f') ? lo - 'a' + 10
                    : (lo >= 'A' && lo <= 'F') ? lo - 'A' + 10
                                               : -1;
            if (h >= 0 && l >= 0) {
                int v = h * 16 + l;
                *w++ = (v < 0x20 || v == 0x7f) ? 0x7f : (char)v;
                r += 2;
                continue;
            }
        }
        *w++ = *r;
    }
    *w = '\0';
    return (size_t)(w - s);
}

static void client_addr(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
}

static void access_log(http_exchange_t *x, long long us, size_t bytes)
{
    awda_log(LOG_INFO, "request",
             "\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"us\":%lld,\"bytes\":%zu",
             x->method, api_route_name(x->route), x->status, us, bytes);
}

/* ---- streamed bodies (see http.h) ---------------------------------------- */

typedef struct {
    http_produce_fn produce;
    http_done_fn done;
    void *ctx;
} stream_t;

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    stream_t *s = cls;
    long n = s->produce(s->ctx, buf, max);
    if (n < 0)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    return n == 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void stream_free(void *cls)
{
    stream_t *s = cls;
    if (s->done)
        s->done(s->ctx);
    free(s);
}

/* The response for an exchange whose body is produced while it is sent;
 * NULL on failure (done has then been called). */
static struct MHD_Response *streamed_response(http_exchange_t *x)
{
    stream_t *s = awda_calloc(1, sizeof *s);
    struct MHD_Response *resp = NULL;
    if (s) {
        s->produce = x->produce;
        s->done = x->produce_done;
        s->ctx = x->produce_ctx;
        resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, AWDA_EXPORT_CHUNK, stream_read,
                                                 s, stream_free);
    }
    if (!resp) {
        if (x->produce_done)
            x->produce_done(x->produce_ctx);
        free(s);
    }
    x->produce_ctx = NULL;
    return resp;
}

/* ---- who may read /metrics, the cookie ------------------------------------ */

/* 1 when the peer is this machine's loopback address itself: 127.0.0.1 or
 * ::1 (or 127.0.0.1 mapped into IPv6). A program on the same machine
 * connects from it, whichever loopback address the server listens on. */
static int peer_is_loopback(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return 0;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        static const unsigned char v4[4] = {127, 0, 0, 1};
        return IN6_IS_ADDR_LOOPBACK(a) ||
               (IN6_IS_ADDR_V4MAPPED(a) && memcmp(&a->s6_addr[12], v4, 4) == 0);
    }
    return 0;
}

int http_metrics_allowed(http_server_t *s, http_exchange_t *x)
{
    if (s->cfg.metrics_access == HTTP_METRICS_OPEN)
        return 1;
    if (s->cfg.metrics_access == HTTP_METRICS_LOOPBACK)
        /* A proxy on this machine relaying a request from outside connects
         * from loopback too; the headers it adds give it away (they can
         * only ever refuse, never admit). */
        return x->conn && peer_is_loopback(x->conn) && !http_header(x, "Forwarded") &&
               !http_header(x, "X-Forwarded-For") && !http_header(x, "X-Real-IP");
    const char *auth = http_header(x, "Authorization");
    const char *want = s->cfg.metrics_token;
    if (!auth || strncmp(auth, "Bearer ", 7) != 0 || !want || !*want)
        return 0;
    /* Compared as digests, in constant time. */
    unsigned char a[32], b[32];
    crypto_generichash(a, sizeof a, (const unsigned char *)auth + 7, strlen(auth + 7), NULL, 0);
    crypto_generichash(b, sizeof b, (const unsigned char *)want, strlen(want), NULL, 0);
    return sodium_memcmp(a, b, sizeof a) == 0;
}

int http_cookie_secure(http_server_t *s)
{
    return s && s->cfg.cookie_secure;
}

/* ---- the request callbacks ---------------------------------------------- */

/* Queues the response the API (or a job's finish) filled into x, and
 * counts and logs the request. */
static enum MHD_Result send_exchange(http_server_t *srv, req_t *rq, struct MHD_Connection *conn,
                                     const char *method, http_exchange_t *x)
{
    struct MHD_Response *resp = x->produce
                                    ? streamed_response(x)
                                    : MHD_create_response_from_buffer(
                                          x->out_len, x->out ? (void *)x->out : (void *)"",
                                          x->out ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(x->out);
        x->out = NULL;
        return MHD_NO;
    }
    if (x->ctype)
        MHD_add_response_header(resp, "Content-Type", x->ctype);
    for (int i = 0; i < x->nheaders; i++)
        MHD_add_response_header(resp, x->hname[i], x->hvalue[i]);
    if (x->close)
        MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result r = MHD_queue_response(conn, (unsigned)x->status, resp);
    MHD_destroy_response(resp);
    long long us = awda_mono_us() - rq->start_us;
    metrics_observe(x->route, method, x->status, us);
    if (srv->cfg.access_log)
        access_log(x, us, x->out_len);
    x->out = NULL; /* MHD's now */
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    http_server_t *srv = cls;
    req_t *rq = *con_cls;
    if (!rq) {
        rq = awda_calloc(1, sizeof *rq);
        if (!rq)
            return MHD_NO;
        rq->start_us = awda_mono_us();
        buf_init(&rq->body, srv->cfg.max_body);
        *con_cls = rq;
        return head_check(srv, conn, version);
    }
    if (rq->px) { /* resumed: the deferred job has run */
        http_exchange_t *px = rq->px;
        http_work_finish(px);
        enum MHD_Result r = send_exchange(srv, rq, conn, method, px);
        free(px);
        rq->px = NULL;
        return r;
    }
    if (*upload_size) {
        if (!rq->reject && buf_append(&rq->body, upload_data, *upload_size) != BUF_OK) {
            rq->reject = 413;
            rq->why = "the request body is larger than the server accepts";
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (rq->reject == 413)
        return queue_problem(conn, 413, "payload-too-large", "The request is too large", rq->why,
                             1);
    int bad = bad_bytes(url) || strlen(url) > AWDA_MAX_PATH;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, arg_scan, &bad);
    if (bad)
        return queue_problem(conn, 400, "bad-request", "The request is malformed",
                             "the address contains control characters or is too long", 1);

    rq->dispatched = 1;
    atomic_fetch_add(&srv->inflight, 1);
    http_exchange_t x;
    memset(&x, 0, sizeof x);
    x.method = method;
    x.path = url;
    x.body = rq->body.data ? rq->body.data : "";
    x.body_len = rq->body.len;
    x.conn = conn;
    x.route = -1;
    client_addr(conn, x.addr, sizeof x.addr);
    api_handle(srv->app, srv, &x);
    if (x.job && http_defer_request(srv, rq, conn, &x) == 0)
        return MHD_YES; /* answered when the job is done */
    return send_exchange(srv, rq, conn, method, &x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    http_server_t *srv = cls;
    req_t *rq = *con_cls;
    if (!rq)
        return;
    if (rq->px) {
        /* Resumed, but the connection ended before the answer was sent:
         * the job is still finished (what it reserved is settled). */
        if (!atomic_load(&rq->work_done)) {
            awda_log(LOG_ERROR, "deferred_lost", NULL); /* MHD promises this never happens */
            return;
        }
        http_work_finish(rq->px);
        free(rq->px->out);
        free(rq->px);
        rq->px = NULL;
    }
    if (rq->dispatched)
        atomic_fetch_sub(&srv->inflight, 1);
    buf_free(&rq->body);
    free(rq);
    *con_cls = NULL;
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[128];
    const char *colon = strrchr(listen, ':');
    if (!colon || (size_t)(colon - listen) >= sizeof host)
        return -1;
    size_t hl = (size_t)(colon - listen);
    memcpy(host, listen, hl);
    host[hl] = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end || port < 0 || port > 65535)
        return -1;
    memset(ss, 0, sizeof *ss);
    if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
            return -1;
        *len = sizeof *a6;
        return 0;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
        return -1;
    *len = sizeof *a4;
    return 0;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    for (char *p = msg; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = ' ';
    awda_log(LOG_DEBUG, "mhd", "\"text\":\"%s\"", msg);
}

/* The options that decide how each request is handled, shared by
 * http_start and http_start_detached so that the fuzzing harness runs
 * exactly the server's request path. */
#define REQUEST_OPTIONS(srv)                                                                       \
    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)AWDA_CONN_MEMORY_LIMIT,                            \
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, (srv), MHD_OPTION_UNESCAPE_CALLBACK, unescape,  \
        NULL, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL

http_server_t *http_start(app_t *app, const http_config_t *cfg)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(cfg->listen, &ss, &sl) != 0) {
        awda_log(LOG_ERROR, "listen_invalid", "\"listen\":\"%s\"", cfg->listen);
        return NULL;
    }
    http_server_t *srv = awda_calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    srv->app = app;
    srv->cfg = *cfg;
    if (http_work_start(srv) != 0) {
        awda_log(LOG_ERROR, "threads_failed", NULL);
        http_work_stop(srv);
        free(srv);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    srv->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 2),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)AWDA_MAX_CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)AWDA_MAX_CONNECTIONS_PER_IP,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)AWDA_CONN_TIMEOUT_SECONDS, REQUEST_OPTIONS(srv),
        MHD_OPTION_END);
    if (!srv->d) {
        awda_log(LOG_ERROR, "listen_failed", "\"listen\":\"%s\"", cfg->listen);
        http_work_stop(srv);
        free(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : 0;
    return srv;
}

int http_listen_errno(const char *listen)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    if (parse_listen(listen, &ss, &sl) != 0)
        return EINVAL;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return errno;
    int on = 1, e = 0;
    /* The same options MHD uses: SO_REUSEADDR (quick restarts), never
     * SO_REUSEPORT (which would let two servers share the port). */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (ss.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0)
        e = errno;
    close(fd);
    return e;
}

http_server_t *http_start_detached(app_t *app, const http_config_t *cfg)
{
    http_server_t *srv = awda_calloc(1, sizeof *srv);
    if (!srv)
        return NULL;
    srv->app = app;
    srv->cfg = *cfg;
    srv->d = MHD_start_daemon(MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                              on_request, srv, REQUEST_OPTIONS(srv), MHD_OPTION_END);
    if (!srv->d) {
        free(srv);
        return NULL;
    }
    return srv;
}

void *http_daemon(http_server_t *s)
{
    return s->d;
}

int http_port(http_server_t *s)
{
    return s->port;
}

const char *http_web_root(http_server_t *s)
{
    return s ? s->cfg.web_root : NULL;
}

void http_stop(http_server_t *s, int grace_ms)
{
    if (!s)
        return;
    /* No MHD_quiesce_daemon here: with a thread pool on epoll,
     * libmicrohttpd 0.9.75 removes the listening socket from each worker's
     * epoll set both in the quiescing thread and in the worker, and aborts
     * the process ("Failed to remove listen FD from epoll set") when the
     * worker wins; suspended connections being resumed make that likely.
     * Requests under way get the grace period; the listening socket
     * closes with the daemon. */
    int64_t until = awda_mono_us() + (int64_t)grace_ms * 1000;
    while (atomic_load(&s->inflight) > 0 && awda_mono_us() < until)
        usleep(10000);
    http_work_stop(s); /* no connection may stay suspended */
    MHD_stop_daemon(s->d);
    free(s);
}

const char *http_header(http_exchange_t *x, const char *name)
{
    return MHD_lookup_connection_value(x->conn, MHD_HEADER_KIND, name);
}

const char *http_arg(http_exchange_t *x, const char *name)
{
    return MHD_lookup_connection_value(x->conn, MHD_GET_ARGUMENT_KIND, name);
}

void http_add_header(http_exchange_t *x, const char *name, const char *value)
{
    if (x->nheaders >= HTTP_MAX_HEADERS)
        return;
    snprintf(x->hname[x->nheaders], sizeof x->hname[0], "%s", name);
    snprintf(x->hvalue[x->nheaders], sizeof x->hvalue[0], "%s", value);
    x->nheaders++;
}
