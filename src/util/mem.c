/*
 * mem.c — allocation wrappers with optional failure injection (see mem.h).
 */
#include "mem.h"
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_after = -1;

static int should_fail(void)
{
    long n = atomic_load(&fail_after);
    if (n < 0)
        return 0;
    if (n == 0)
        return 1;
    atomic_fetch_sub(&fail_after, 1);
    return 0;
}

void awda_mem_fail_after(long n)
{
    atomic_store(&fail_after, n);
}

void *awda_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *awda_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *awda_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *awda_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = awda_malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *awda_strdup(const char *s)
{
    return awda_strndup(s, strlen(s));
}
