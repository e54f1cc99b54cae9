/*
 * mem.h — allocation wrappers.
 *
 * Every allocation in awda goes through these so that tests can inject
 * failure (awda_mem_fail_after) and so that an out-of-memory condition is
 * handled in one way: the wrappers return NULL and callers fail cleanly
 * with an error, never crash. xstrndup copies at most n bytes and always
 * terminates the copy. The caller owns (and frees with free()) every
 * pointer these return.
 */
#ifndef AWDA_MEM_H
#define AWDA_MEM_H
#include <stddef.h>

void *awda_malloc(size_t n);
void *awda_calloc(size_t count, size_t size);
void *awda_realloc(void *p, size_t n);
char *awda_strndup(const char *s, size_t n);
char *awda_strdup(const char *s);

/* Test hook: after n more successful allocations every allocation fails.
 * A negative n turns failure injection off (the default). */
void awda_mem_fail_after(long n);

#endif
