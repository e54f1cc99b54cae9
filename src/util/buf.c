/*
 * buf.c — capped growable buffers (see buf.h). Growth doubles the capacity
 * but never past max + 1 (room for the terminating NUL).
 */
#include "buf.h"
#include "mem.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf_t *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_free(buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void buf_reset(buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int grow(buf_t *b, size_t need)
{
    if (need > b->max)
        return BUF_TOO_BIG;
    if (need + 1 <= b->cap)
        return BUF_OK;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < need + 1)
        ncap *= 2;
    if (ncap > b->max + 1)
        ncap = b->max + 1;
    char *p = awda_realloc(b->data, ncap);
    if (!p)
        return BUF_NOMEM;
    b->data = p;
    b->cap = ncap;
    return BUF_OK;
}

int buf_append(buf_t *b, const void *p, size_t n)
{
    if (n > b->max - b->len)
        return BUF_TOO_BIG;
    int rc = grow(b, b->len + n);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return BUF_OK;
}

int buf_reserve(buf_t *b, size_t n)
{
    if (n > b->max - b->len)
        return BUF_TOO_BIG;
    return grow(b, b->len + n);
}

int buf_puts(buf_t *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

int buf_putc(buf_t *b, char c)
{
    return buf_append(b, &c, 1);
}

int buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return BUF_NOMEM;
    if ((size_t)n < sizeof small)
        return buf_append(b, small, (size_t)n);
    if ((size_t)n > b->max - b->len)
        return BUF_TOO_BIG;
    int rc = grow(b, b->len + (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return BUF_OK;
}

char *buf_take(buf_t *b)
{
    char *d = b->data;
    if (!d)
        d = awda_strdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}
