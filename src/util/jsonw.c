/*
 * jsonw.c — JSON text written into a capped buffer (see jsonw.h).
 */
#include "jsonw.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jsonw_init(jsonw_t *w, size_t max)
{
    buf_init(&w->b, max);
    w->failed = 0;
}

void jsonw_reserve(jsonw_t *w, size_t n)
{
    if (!w->failed)
        (void)buf_reserve(&w->b, n); /* a hint: the appends decide */
}

void jsonw_raw(jsonw_t *w, const char *s, size_t n)
{
    if (!w->failed && buf_append(&w->b, s, n) != BUF_OK)
        w->failed = 1;
}

void jsonw_lit(jsonw_t *w, const char *s)
{
    jsonw_raw(w, s, strlen(s));
}

/* The bytes a JSON string cannot hold as they are: the control
 * characters, the quote and the backslash; those with a short escape
 * name it, the others are written \u00XX (as jansson does). */
static const unsigned char ESCAPED[256] = {
    [0 ... 0x1f] = 1,
    ['"'] = 1,
    ['\\'] = 1,
};
static const char *const SHORT_ESCAPE[256] = {
    ['"'] = "\\\"", ['\\'] = "\\\\", ['\n'] = "\\n", ['\t'] = "\\t",
    ['\r'] = "\\r", ['\b'] = "\\b",  ['\f'] = "\\f",
};

void jsonw_str(jsonw_t *w, const char *s, size_t n)
{
    jsonw_raw(w, "\"", 1);
    size_t run = 0; /* the runs that need no escape are copied whole */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (!ESCAPED[ch])
            continue;
        char u[8];
        const char *esc = SHORT_ESCAPE[ch];
        if (!esc) {
            snprintf(u, sizeof u, "\\u%04X", ch);
            esc = u;
        }
        jsonw_raw(w, s + run, i - run);
        jsonw_lit(w, esc);
        run = i + 1;
    }
    jsonw_raw(w, s + run, n - run);
    jsonw_raw(w, "\"", 1);
}

void jsonw_int(jsonw_t *w, long long v)
{
    char t[24];
    int n = snprintf(t, sizeof t, "%lld", v);
    jsonw_raw(w, t, (size_t)n);
}

void jsonw_str_or_null(jsonw_t *w, const char *s)
{
    if (s)
        jsonw_str(w, s, strlen(s));
    else
        jsonw_raw(w, "null", 4);
}

void jsonw_free(jsonw_t *w)
{
    buf_free(&w->b);
}

int jsonw_take(jsonw_t *w, char **out, size_t *len)
{
    if (w->failed) {
        buf_free(&w->b);
        return -1;
    }
    *len = w->b.len;
    *out = buf_take(&w->b);
    return *out ? 0 : -1;
}
