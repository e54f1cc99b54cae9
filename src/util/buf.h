/*
 * buf.h — growable byte buffers that require a maximum size.
 *
 * As in curl's dynbuf: a buffer is created with the largest size it may
 * ever reach, and every append that would exceed it fails with
 * BUF_TOO_BIG instead of growing without bound. The contents are always
 * NUL-terminated so they can be used as a C string. The buffer owns its
 * memory; buf_free releases it and buf_take hands it to the caller.
 */
#ifndef AWDA_BUF_H
#define AWDA_BUF_H
#include <stdarg.h>
#include <stddef.h>

enum { BUF_OK = 0, BUF_NOMEM = 1, BUF_TOO_BIG = 2 };

typedef struct {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
} buf_t;

void buf_init(buf_t *b, size_t max);
void buf_free(buf_t *b);
void buf_reset(buf_t *b);
int buf_append(buf_t *b, const void *p, size_t n);
/* Room for n more bytes at once (fewer reallocations later); nothing is
 * appended. */
int buf_reserve(buf_t *b, size_t n);
int buf_puts(buf_t *b, const char *s);
int buf_putc(buf_t *b, char c);
/* Formatted append with vsnprintf (bounded; never sprintf). */
int buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the data (caller frees) and leaves the buffer empty. */
char *buf_take(buf_t *b);

#endif
