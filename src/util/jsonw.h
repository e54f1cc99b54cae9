/*
 * jsonw.h — JSON text written once, straight into a capped buffer.
 *
 * An answer that is JSON at the edge (a case, a page of search results)
 * is written by walking typed values, with no jansson tree between: the
 * caller writes the punctuation and names (jsonw_lit), the values
 * (jsonw_str escapes a string as jansson writes it: the quote, the
 * backslash and the control characters; UTF-8 stays as it is), and takes
 * the text at the end. The buffer (buf.h) has a maximum; the first append
 * that fails (past the maximum, out of memory) is remembered and every
 * later one does nothing, so a writer checks once, at jsonw_take.
 */
#ifndef AWDA_JSONW_H
#define AWDA_JSONW_H
#include "buf.h"

typedef struct {
    buf_t b;
    int failed; /* an append failed: past the maximum or out of memory */
} jsonw_t;

/* An empty writer that will hold at most max bytes. */
void jsonw_init(jsonw_t *w, size_t max);
/* Room for n more bytes now: a hint for fewer reallocations (when it
 * cannot be had, the appends decide). */
void jsonw_reserve(jsonw_t *w, size_t n);
/* s[0..n) as it is: JSON kept as stored, or punctuation. */
void jsonw_raw(jsonw_t *w, const char *s, size_t n);
/* A NUL-terminated text as it is (punctuation, a member name). */
void jsonw_lit(jsonw_t *w, const char *s);
/* s[0..n) as a JSON string. */
void jsonw_str(jsonw_t *w, const char *s, size_t n);
/* An integer. */
void jsonw_int(jsonw_t *w, long long v);
/* A JSON string, or null when s is NULL. */
void jsonw_str_or_null(jsonw_t *w, const char *s);
/* Frees what was written (a writer given up). */
void jsonw_free(jsonw_t *w);
/* 0, the text in *out (NUL-terminated, the caller frees it) and its length
 * in *len; -1 when an append failed (nothing to free). */
int jsonw_take(jsonw_t *w, char **out, size_t *len);

#endif
