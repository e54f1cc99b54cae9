/*
 * http_int.h — what http.c (the request callbacks, the daemon) and
 * http_work.c (the deferred work) share: the server and the request
 * record. Private to src/http/http*.c.
 */
#ifndef AWDA_HTTP_INT_H
#define AWDA_HTTP_INT_H

#include "http.h"
#include "../util/buf.h"
#include "../util/limits.h"
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

typedef struct req req_t;

struct http_server {
    struct MHD_Daemon *d;
    app_t *app;
    http_config_t cfg;
    atomic_int inflight;
    int port;
    /* deferred work */
    pthread_mutex_t work_lock;
    pthread_cond_t work_cond;
    req_t *work_head, *work_tail;
    int work_reserved; /* slots taken by http_defer and not yet picked up */
    int work_started;  /* jobs of a work with start not yet completed */
    int work_stop;
    int nworkers; /* 0: detached, jobs run in the callback */
    pthread_t workers[AWDA_MAX_CONCURRENT_HASHES];
    atomic_ullong work_refused;
};

struct req {
    int64_t start_us;
    buf_t body;
    int reject;      /* HTTP status to answer with, 0 when fine */
    const char *why; /* sentence for the rejection */
    int dispatched;  /* counted in inflight until the response is done */
    /* deferred work: the exchange waiting for its job (NULL: none) */
    http_exchange_t *px;
    struct MHD_Connection *conn;
    http_server_t *srv;
    req_t *work_next;
    atomic_int work_done;
};

/* ---- the deferred work (http_work.c) ---- */
/* Runs the job's finish, which fills in the response. */
void http_work_finish(http_exchange_t *x);
/* Suspends the request and queues its job; 0 when done so, else x holds
 * the answer already (the job was finished here). */
int http_defer_request(http_server_t *s, req_t *rq, struct MHD_Connection *conn,
                       http_exchange_t *x);
/* Starts the work threads; -1 when one could not be made. */
int http_work_start(http_server_t *s);
/* Lets the work threads finish every job queued (each resumes its
 * connection) and joins them. */
void http_work_stop(http_server_t *s);

#endif
