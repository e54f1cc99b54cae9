/*
 * version.h — the awda version, reported by `awda version` and /healthz.
 */
#ifndef AWDA_VERSION_H
#define AWDA_VERSION_H
#define AWDA_VERSION "0.1.0"
#endif
