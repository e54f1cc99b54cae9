/*
 * webroot.h — finding the web interface for `awda serve` (webroot.c):
 * the configured directory, else web beside the binary, else
 * ../share/awda/web beside it.
 */
#ifndef AWDA_WEBROOT_H
#define AWDA_WEBROOT_H
#include <stddef.h>

/* Writes into out the directory of the web interface and returns 1, or
 * returns 0 (out empty) when none holds index.html. configured (the
 * web_root setting, may be NULL or empty) is the only place looked in when
 * set. tried receives the places looked in, comma-separated (truncated to
 * tcap). */
int awda_find_web_root(const char *configured, char *out, size_t cap, char *tried, size_t tcap);

#endif
