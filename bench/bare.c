/*
 * bare.c — the ceiling: a bare libmicrohttpd server answering a fixed JSON body.
 *
 *   bench/bare --port 8090 --bytes 1200 [--threads 2] [--listen 127.0.0.1]
 *
 * Every request, whatever its method or path, gets 200 with a JSON body of
 * exactly --bytes bytes (Content-Type: application/json). The server runs
 * the way awda does (MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, a
 * thread pool of 2) so that wrk against this binary measures what the HTTP
 * layer alone costs on this machine; awda's figures are reported as a
 * ratio of it, measured in the same run.
 *
 * The handler returns MHD_YES on its first call for a request and queues
 * the response on a later call (libmicrohttpd 0.9.75 drops keep-alive
 * when a response is queued on the first call). A request body (POST) is
 * consumed and ignored: each upload chunk is acknowledged by setting
 * *upload_data_size to 0, and the response goes out on the call after the
 * last chunk. The response object is built once and shared (MHD reference
 * counts it). Listens on loopback only unless --listen names another
 * IPv4 address. Stops on SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct MHD_Response *resp;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload_data,
                               size_t *upload_data_size, void **req_cls)
{
    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    static int first_call_marker;
    if (*req_cls == NULL) {
        *req_cls = &first_call_marker; /* first call: headers only */
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        *upload_data_size = 0; /* swallow the body */
        return MHD_YES;
    }
    return MHD_queue_response(conn, MHD_HTTP_OK, resp);
}

static long parse_long(const char *s, const char *what, long lo, long hi)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "bare: bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* A valid JSON object of exactly n bytes (n >= 16):
 * {"id":"bare","pad":"xxxx…"} */
static char *make_body(size_t n)
{
    static const char head[] = "{\"id\":\"bare\",\"pad\":\"";
    static const char tail[] = "\"}";
    char *b = malloc(n + 1);
    if (!b)
        return NULL;
    memcpy(b, head, sizeof head - 1);
    for (size_t i = sizeof head - 1; i < n - (sizeof tail - 1); i++)
        b[i] = (char)('a' + (i % 26));
    memcpy(b + n - (sizeof tail - 1), tail, sizeof tail - 1);
    b[n] = '\0';
    return b;
}

int main(int argc, char **argv)
{
    long port = 8090, bytes = 1200, threads = 2;
    const char *listen_addr = "127.0.0.1";
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "usage: bare --port N --bytes N [--threads N] [--listen IPv4]\n");
            return 2;
        }
        if (strcmp(argv[i], "--port") == 0)
            port = parse_long(argv[++i], "--port", 1, 65535);
        else if (strcmp(argv[i], "--bytes") == 0)
            bytes = parse_long(argv[++i], "--bytes", 32, 16 * 1024 * 1024);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = parse_long(argv[++i], "--threads", 1, 256);
        else if (strcmp(argv[i], "--listen") == 0)
            listen_addr = argv[++i];
        else {
            fprintf(stderr, "bare: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, listen_addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "bare: bad --listen address %s\n", listen_addr);
        return 2;
    }

    char *body = make_body((size_t)bytes);
    if (!body)
        return 1;
    resp = MHD_create_response_from_buffer((size_t)bytes, body, MHD_RESPMEM_PERSISTENT);
    if (!resp || MHD_add_response_header(resp, "Content-Type", "application/json") != MHD_YES)
        return 1;

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL, handler, NULL,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)threads, MHD_OPTION_CONNECTION_LIMIT, 4096u, MHD_OPTION_CONNECTION_TIMEOUT,
        30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "bare: could not listen on %s:%ld\n", listen_addr, port);
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    printf("bare: listening on %s:%ld, %ld-byte body, %ld threads\n", listen_addr, port, bytes,
           threads);
    fflush(stdout);
    while (!stop)
        pause();
    MHD_stop_daemon(d);
    MHD_destroy_response(resp);
    free(body);
    return 0;
}
