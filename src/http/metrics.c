/*
 * metrics.c — request counters and latency histograms for /metrics.
 *
 * Atomic counters indexed by route (the router's dense route ids, plus
 * one slot for "no route") and by status slot. The slots are sized once,
 * on the first use, from api_route_count() — every route has its own, with
 * no cap — and kept for the life of the process; after that observing a
 * request takes no lock and no allocation. Rendered in the Prometheus text
 * exposition format: awda_http_requests_total{route,method,status} and
 * awda_http_request_duration_seconds{route} as a histogram.
 */
#include "http.h"
#include "../text/messages.h"
#include "../util/buf.h"
#include "../util/mem.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static const int STATUSES[] = {200, 201, 204, 301, 304, 400, 401, 403, 404, 405,
                               409, 412, 413, 415, 422, 428, 429, 500, 503};
#define NSTATUS ((int)(sizeof STATUSES / sizeof STATUSES[0]) + 1) /* + "other" */
static const double BUCKETS[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                 0.01,   0.025,   0.05,   0.1,   0.25,   1.0};
#define NBUCKET ((int)(sizeof BUCKETS / sizeof BUCKETS[0]))
static const char *METHODS[] = {"GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OTHER"};
#define NMETHOD 7

typedef struct {
    atomic_ullong counts[NMETHOD][NSTATUS];
    atomic_ullong hist[NBUCKET + 1];
    atomic_ullong sum_us;
} slot_t;

static slot_t *slots; /* nroutes + 1 ("none" last); NULL if it could not be had */
static int nroutes;
static pthread_once_t sized = PTHREAD_ONCE_INIT;

static void size_slots(void)
{
    int n = api_route_count();
    slots = awda_calloc((size_t)n + 1, sizeof *slots);
    if (slots)
        nroutes = n;
}

static int status_slot(int status)
{
    for (int i = 0; i < NSTATUS - 1; i++)
        if (STATUSES[i] == status)
            return i;
    return NSTATUS - 1;
}

static int method_slot(const char *m)
{
    for (int i = 0; i < NMETHOD - 1; i++)
        if (strcmp(METHODS[i], m) == 0)
            return i;
    return NMETHOD - 1;
}

static int route_slot(int route)
{
    return route < 0 || route >= nroutes ? nroutes : route;
}

void metrics_observe(int route, const char *method, int status, long long micros)
{
    pthread_once(&sized, size_slots);
    if (!slots)
        return;
    slot_t *sl = &slots[route_slot(route)];
    atomic_fetch_add_explicit(&sl->counts[method_slot(method)][status_slot(status)], 1,
                              memory_order_relaxed);
    int b = 0;
    while (b < NBUCKET && (double)micros / 1e6 > BUCKETS[b])
        b++;
    atomic_fetch_add_explicit(&sl->hist[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&sl->sum_us, (unsigned long long)micros, memory_order_relaxed);
}

static const char *route_label(int r)
{
    return r == nroutes ? "none" : api_route_name(r);
}

char *metrics_render(size_t *len)
{
    buf_t b;
    buf_init(&b, 4 * 1024 * 1024);
    pthread_once(&sized, size_slots);
    buf_puts(&b, "# HELP awda_http_requests_total HTTP requests by route, method and status.\n"
                 "# TYPE awda_http_requests_total counter\n");
    for (int r = 0; slots && r <= nroutes; r++) {
        for (int m = 0; m < NMETHOD; m++)
            for (int s = 0; s < NSTATUS; s++) {
                unsigned long long v = atomic_load(&slots[r].counts[m][s]);
                if (!v)
                    continue;
                char st[8];
                if (s == NSTATUS - 1)
                    snprintf(st, sizeof st, "other");
                else
                    snprintf(st, sizeof st, "%d", STATUSES[s]);
                buf_printf(&b,
                           "awda_http_requests_total{route=\"%s\",method=\"%s\",status=\"%s\"} "
                           "%llu\n",
                           route_label(r), METHODS[m], st, v);
            }
    }
    buf_puts(&b, "# HELP awda_http_request_duration_seconds Time to answer, by route.\n"
                 "# TYPE awda_http_request_duration_seconds histogram\n");
    for (int r = 0; slots && r <= nroutes; r++) {
        unsigned long long cum = 0;
        for (int i = 0; i <= NBUCKET; i++)
            cum += atomic_load(&slots[r].hist[i]);
        if (!cum)
            continue;
        unsigned long long acc = 0;
        for (int i = 0; i < NBUCKET; i++) {
            acc += atomic_load(&slots[r].hist[i]);
            buf_printf(&b,
                       "awda_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                       route_label(r), BUCKETS[i], acc);
        }
        buf_printf(&b,
                   "awda_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                   "awda_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                   "awda_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                   route_label(r), cum, route_label(r), (double)atomic_load(&slots[r].sum_us) / 1e6,
                   route_label(r), cum);
    }
    buf_printf(&b,
               "# HELP awda_messages_untranslated_total Sentences that found no row in the "
               "message catalogue (answered in English).\n"
               "# TYPE awda_messages_untranslated_total counter\n"
               "awda_messages_untranslated_total %llu\n",
               awda_messages_unknown());
    *len = b.len;
    return buf_take(&b);
}
