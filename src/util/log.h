/*
 * log.h — structured logging to stderr, one JSON object per line.
 *
 * Log lines never carry personal data: callers pass route patterns, codes
 * and counts, not names or search terms. Levels below the configured one
 * are dropped.
 */
#ifndef AWDA_LOG_H
#define AWDA_LOG_H

enum { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

void awda_log_level(int level);
/* msg is a fixed event name; fmt adds extra JSON members (already escaped),
 * e.g. awda_log(LOG_INFO, "listening", "\"addr\":\"%s\"", addr). */
void awda_log(int level, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
