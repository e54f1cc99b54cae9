/*
 * http_work.c — the deferred work of the HTTP front (http_defer, see
 * http.h): the jobs of requests answered later, and the threads that run
 * them.
 *
 * Deferred work (http_defer, for password hashing and writes): when the handler
 * leaves a job in the exchange, the last callback copies the exchange to
 * the heap, suspends the connection (MHD_suspend_connection) and only then
 * queues the job, so a fast job cannot resume a connection that is not yet
 * suspended. A work thread runs the job and resumes the connection; MHD
 * then calls the last callback again, which lets the job's finish fill in
 * the response and queues it as usual — on a later call than the first,
 * so keep-alive holds. The queue is bounded (AWDA_WORK_QUEUE_MAX; a slot
 * is reserved by http_defer so that pushing never fails), and http_stop
 * lets the work threads drain it before stopping MHD, which must not stop
 * with connections suspended. A work with start (a registration handed to
 * the store's writer) takes no work thread: start is called once the
 * connection is suspended, and its completion resumes it (from the
 * writer thread) like a work thread does; http_stop waits for those too.
 *
 * Detached (http_start_detached, for the fuzzing harness), deferred work
 * runs at once, in the callback.
 */
#include "http_int.h"
#include "../util/log.h"
#include "../util/mem.h"
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How much lower the work threads run than the request threads (nice). */
#define WORK_NICE 10

void http_work_finish(http_exchange_t *x)
{
    const http_work_t *w = x->work;
    void *job = x->job;
    x->work = NULL;
    x->job = NULL;
    w->finish(job, x);
}

static void *work_main(void *arg)
{
    http_server_t *s = arg;
    pthread_setname_np(pthread_self(), "awda-hashing");
    /* Requests first: on Linux this lowers the priority of this thread
     * only, so a burst of hashing takes the CPU the request threads leave. */
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORK_NICE) != 0)
        awda_log(LOG_DEBUG, "work_nice_failed", NULL);
    pthread_mutex_lock(&s->work_lock);
    for (;;) {
        while (!s->work_head && !(s->work_stop && s->work_reserved == 0))
            pthread_cond_wait(&s->work_cond, &s->work_lock);
        req_t *rq = s->work_head;
        if (!rq)
            break; /* stopping, and nothing queued or about to be */
        s->work_head = rq->work_next;
        if (!s->work_head)
            s->work_tail = NULL;
        s->work_reserved--;
        pthread_mutex_unlock(&s->work_lock);
        rq->px->work->run(rq->px->job);
        struct MHD_Connection *conn = rq->conn;
        atomic_store(&rq->work_done, 1);
        MHD_resume_connection(conn); /* rq may be gone from here on */
        pthread_mutex_lock(&s->work_lock);
    }
    pthread_mutex_unlock(&s->work_lock);
    return NULL;
}

/* The completion of a job of a work with start (token: its req_t). */
static void started_complete(void *token)
{
    req_t *rq = token;
    http_server_t *s = rq->srv;
    struct MHD_Connection *conn = rq->conn;
    atomic_store(&rq->work_done, 1);
    MHD_resume_connection(conn); /* rq may be gone from here on */
    pthread_mutex_lock(&s->work_lock);
    s->work_started--;
    pthread_cond_broadcast(&s->work_cond);
    pthread_mutex_unlock(&s->work_lock);
}

/* Detached (no threads): waits here for a started job. */
typedef struct {
    pthread_mutex_t m;
    pthread_cond_t c;
    int done;
} waiter_t;

static void waiter_complete(void *token)
{
    waiter_t *w = token;
    pthread_mutex_lock(&w->m);
    w->done = 1;
    pthread_cond_signal(&w->c);
    pthread_mutex_unlock(&w->m);
}

static void start_and_wait(http_exchange_t *x)
{
    waiter_t w = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    x->work->start(x->job, waiter_complete, &w);
    pthread_mutex_lock(&w.m);
    while (!w.done)
        pthread_cond_wait(&w.c, &w.m);
    pthread_mutex_unlock(&w.m);
}

int http_defer(http_server_t *s, http_exchange_t *x, const http_work_t *w, void *job)
{
    if (s->nworkers && w->start) {
        pthread_mutex_lock(&s->work_lock);
        int room = !s->work_stop;
        if (room)
            s->work_started++;
        pthread_mutex_unlock(&s->work_lock);
        if (!room)
            return -1;
    } else if (s->nworkers) {
        pthread_mutex_lock(&s->work_lock);
        int room = !s->work_stop && s->work_reserved < AWDA_WORK_QUEUE_MAX;
        if (room)
            s->work_reserved++;
        pthread_mutex_unlock(&s->work_lock);
        if (!room) {
            atomic_fetch_add(&s->work_refused, 1);
            return -1;
        }
    }
    x->work = w;
    x->job = job;
    return 0;
}

static void unreserve(http_server_t *s, int started)
{
    pthread_mutex_lock(&s->work_lock);
    if (started)
        s->work_started--;
    else
        s->work_reserved--;
    pthread_cond_broadcast(&s->work_cond);
    pthread_mutex_unlock(&s->work_lock);
}

/* Suspends the request and queues its job; 0 when done so, else x holds
 * the answer already (the job was finished here). */
int http_defer_request(http_server_t *s, req_t *rq, struct MHD_Connection *conn, http_exchange_t *x)
{
    if (!s->nworkers) { /* detached: no threads to wait for */
        if (x->work->start)
            start_and_wait(x);
        else
            x->work->run(x->job);
        http_work_finish(x);
        return -1;
    }
    rq->px = awda_malloc(sizeof *x);
    if (!rq->px) {
        unreserve(s, x->work->start != NULL);
        http_work_finish(x); /* not run: the job answers that it could not be */
        return -1;
    }
    *rq->px = *x;
    rq->conn = conn;
    rq->srv = s;
    MHD_suspend_connection(conn);
    if (x->work->start) { /* completes on its own (started_complete) */
        x->work->start(x->job, started_complete, rq);
        return 0;
    }
    pthread_mutex_lock(&s->work_lock);
    if (s->work_tail)
        s->work_tail->work_next = rq;
    else
        s->work_head = rq;
    s->work_tail = rq;
    pthread_cond_signal(&s->work_cond);
    pthread_mutex_unlock(&s->work_lock);
    return 0;
}

int http_work_start(http_server_t *s)
{
    pthread_mutex_init(&s->work_lock, NULL);
    pthread_cond_init(&s->work_cond, NULL);
    for (int i = 0; i < AWDA_MAX_CONCURRENT_HASHES; i++) {
        if (pthread_create(&s->workers[i], NULL, work_main, s) != 0)
            return -1;
        s->nworkers++;
    }
    return 0;
}

/* Lets the work threads finish every job queued (each resumes its
 * connection) and joins them. */
void http_work_stop(http_server_t *s)
{
    if (!s->nworkers)
        return;
    pthread_mutex_lock(&s->work_lock);
    s->work_stop = 1;
    pthread_cond_broadcast(&s->work_cond);
    while (s->work_started > 0) /* started jobs resume their connections */
        pthread_cond_wait(&s->work_cond, &s->work_lock);
    pthread_mutex_unlock(&s->work_lock);
    for (int i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    s->nworkers = 0;
    pthread_mutex_destroy(&s->work_lock);
    pthread_cond_destroy(&s->work_cond);
}

void http_work_counts(http_server_t *s, int *waiting, unsigned long long *refused)
{
    *waiting = 0;
    if (s->nworkers) {
        pthread_mutex_lock(&s->work_lock);
        *waiting = s->work_reserved;
        pthread_mutex_unlock(&s->work_lock);
    }
    *refused = atomic_load(&s->work_refused);
}
