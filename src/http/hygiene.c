/*
 * hygiene.c — the rules awda adds on top of libmicrohttpd for the head of
 * a request, all in one place (see http.h, "request head rules").
 *
 * libmicrohttpd 0.9.75 hands awda every header line it parsed, duplicates
 * included, before it reads any body. It is lenient about several things
 * that let a request mean one thing to a proxy in front and another to
 * awda (request smuggling), or that leave a connection waiting for a body
 * that will never be framed. http.c feeds each header line, in order, to
 * http_head_field(), then asks http_head_verdict() for the answer; a
 * request that breaks a rule is refused on the first callback, before any
 * body is read, with Connection: close.
 *
 * The rules, in the order they are checked:
 *
 *   1. Each header name is an RFC 9110 token (so no space before the colon,
 *      no space or control character inside); each value has no control
 *      character other than HTAB (a bare CR, a NUL-free C0 byte, DEL). 400.
 *   2. A header whose meaning is a single value (SINGLETON below) appears
 *      at most once: two that disagree are never resolved by picking one,
 *      and two that agree are refused too, since a proxy may have joined
 *      or split them differently. 400.
 *   3. HTTP/1.1 needs exactly one Host; its value is host[:port] (a DNS
 *      name or IPv4 address of [A-Za-z0-9._~-], or an [IPv6] literal; the
 *      port at most 65535), at most AWDA_MAX_HOST_HEADER bytes. 400.
 *   4. Transfer-Encoding: in an HTTP/1.0 request, or beside Content-Length,
 *      400. Its value must be a list of tokens without parameters or
 *      quotes (400), naming only codings awda knows (only "chunked": 501
 *      for any other) and chunked once (400). A well-formed chunked
 *      request is answered 411 Length Required: awda reads a body only
 *      when Content-Length gives its size (RFC 9112 §6.3 allows this),
 *      because libmicrohttpd 0.9.75 decodes chunked bodies leniently (bare
 *      LF line ends, trailer fields) and answers a chunk-size line longer
 *      than its read buffer (a long chunk extension) with 500.
 *   5. Content-Length is digits only (400) and at most the body cap (413).
 *
 * The state is a few counters and pointers to the values of the request
 * being checked (owned by libmicrohttpd for the request's lifetime); the
 * functions allocate nothing.
 */
#include "http.h"
#include "../util/limits.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Headers whose value means one thing: RFC 9110's singular fields a
 * request may carry, plus Cookie (RFC 6265: one per request), Origin
 * (RFC 6454), Idempotency-Key, and the list fields awda reads as one
 * value (Transfer-Encoding, If-Match). */
static const char *const SINGLETON[HTTP_HEAD_SINGLETONS] = {
    "Host",
    "Authorization",
    "Proxy-Authorization",
    "Content-Length",
    "Content-Type",
    "Transfer-Encoding",
    "If-Match",
    "If-Unmodified-Since",
    "If-Modified-Since",
    "If-Range",
    "Range",
    "Idempotency-Key",
    "Cookie",
    "Origin",
    "Referer",
    "User-Agent",
    "Max-Forwards",
    "Content-Location",
    "Content-Range",
    "Date",
};

void http_head_init(http_head_t *h)
{
    memset(h, 0, sizeof *h);
}

/* RFC 9110 tchar. */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token(const char *s)
{
    if (!*s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!is_tchar(*p))
            return 0;
    return 1;
}

/* A control character other than HTAB (RFC 9110 field-value). */
static int has_ctl(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return 1;
    return 0;
}

static void refuse(http_head_t *h, int status, const char *type, const char *title,
                   const char *detail)
{
    if (h->status)
        return; /* the first broken rule is the one reported */
    h->status = status;
    h->type = type;
    h->title = title;
    snprintf(h->detail, sizeof h->detail, "%s", detail);
}

static void malformed(http_head_t *h, const char *detail)
{
    refuse(h, 400, "bad-request", "The request is malformed", detail);
}

void http_head_field(http_head_t *h, const char *name, const char *value)
{
    if (!name || !is_token(name)) {
        malformed(h, "a header name is not a token (a space or a control character in it, or "
                     "before its colon)");
        return;
    }
    if (value && has_ctl(value)) {
        /* The name is a token, so it is safe to quote in the detail. */
        char d[96];
        snprintf(d, sizeof d, "the value of the %.40s header contains a control character", name);
        malformed(h, d);
        return;
    }
    for (int i = 0; i < HTTP_HEAD_SINGLETONS; i++) {
        if (strcasecmp(name, SINGLETON[i]) != 0)
            continue;
        if (++h->count[i] == 2) {
            char d[96];
            snprintf(d, sizeof d, "the request has more than one %s header", SINGLETON[i]);
            malformed(h, d);
        }
        break;
    }
    if (strcasecmp(name, "Host") == 0)
        h->host = value ? value : "";
    else if (strcasecmp(name, "Transfer-Encoding") == 0)
        h->te = value ? value : "";
    else if (strcasecmp(name, "Content-Length") == 0)
        h->cl = value ? value : "";
}

/* Length of s without trailing spaces and tabs (optional whitespace:
 * libmicrohttpd strips it before a value, not after). */
static size_t trimmed_len(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n;
}

/* host[:port] (RFC 9110 §7.2): reg-name or IPv4 of [A-Za-z0-9._~-], or an
 * [IPv6] literal; an empty value is allowed (RFC 9112 §3.2). */
int http_host_valid(const char *v)
{
    size_t n = trimmed_len(v), i = 0;
    if (n > AWDA_MAX_HOST_HEADER)
        return 0;
    if (n && v[0] == '[') {
        for (i = 1; i < n && v[i] != ']'; i++) {
            char c = v[i];
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                  c == ':' || c == '.'))
                return 0;
        }
        if (i >= n || i == 1)
            return 0;
        i++; /* the ']' */
    } else {
        for (; i < n && v[i] != ':'; i++) {
            char c = v[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '-' || c == '_' || c == '~'))
                return 0;
        }
    }
    if (i == n)
        return 1;
    if (v[i] != ':')
        return 0;
    long port = 0;
    size_t digits = 0;
    for (i++; i < n; i++, digits++) {
        if (v[i] < '0' || v[i] > '9' || digits >= 5)
            return 0;
        port = port * 10 + (v[i] - '0');
    }
    return port <= 65535;
}

/* Transfer-Encoding: 0 when the value is exactly one "chunked" (any
 * case, optional whitespace), else the status it gets with its detail. */
static int te_check(http_head_t *h, const char *v)
{
    int chunked = 0, elements = 0, unknown = 0;
    const char *p = v;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *start = p;
        while (is_tchar((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - start);
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == ';' || *p == '=') {
            malformed(h, "Transfer-Encoding has a coding with parameters");
            return 400;
        }
        if ((*p != ',' && *p != '\0') || (len == 0 && *p == '\0' && elements == 0)) {
            malformed(h, "Transfer-Encoding is not a list of codings");
            return 400;
        }
        if (len) {
            elements++;
            if (len == 7 && strncasecmp(start, "chunked", 7) == 0)
                chunked++;
            else
                unknown = 1;
        }
        if (*p == '\0')
            break;
        p++; /* the ',' */
    }
    if (unknown) {
        refuse(h, 501, "not-implemented", "Transfer coding not supported",
               "the request uses a transfer coding awda does not know; send the body with "
               "Content-Length");
        return 501;
    }
    if (chunked > 1) {
        malformed(h, "Transfer-Encoding names chunked more than once");
        return 400;
    }
    return 0;
}

void http_head_verdict(http_head_t *h, const char *version, size_t max_body)
{
    if (h->status)
        return;
    int http11 = version && strcmp(version, "HTTP/1.1") == 0;
    if (http11 && !h->host) {
        malformed(h, "an HTTP/1.1 request needs a Host header");
        return;
    }
    if (h->host && !http_host_valid(h->host)) {
        malformed(h, "the Host header is not host[:port]");
        return;
    }
    if (h->te) {
        if (!http11) {
            malformed(h, "an HTTP/1.0 request cannot use Transfer-Encoding");
            return;
        }
        if (h->cl) {
            malformed(h, "the request has both Content-Length and Transfer-Encoding");
            return;
        }
        if (te_check(h, h->te) != 0)
            return;
        refuse(h, 411, "length-required", "Length required",
               "send the body with a Content-Length header; awda does not read chunked "
               "bodies");
        return;
    }
    if (h->cl) {
        size_t n = trimmed_len(h->cl);
        int digits = n > 0;
        for (size_t i = 0; i < n; i++)
            digits &= h->cl[i] >= '0' && h->cl[i] <= '9';
        if (!digits) {
            malformed(h, "Content-Length is not a number");
            return;
        }
        /* Leading zeros aside, 20 digits or more is beyond any cap (and
         * 19 cannot overflow). */
        const char *d = h->cl;
        while (n > 1 && *d == '0')
            d++, n--;
        unsigned long long cl = n > 19 ? ~0ull : strtoull(d, NULL, 10);
        if (cl > max_body)
            refuse(h, 413, "payload-too-large", "The request is too large",
                   "the request body is larger than the server accepts");
    }
}
