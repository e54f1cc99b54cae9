/*
 * log.c — one-line JSON log records on stderr (see log.h). A record is
 * formatted into a stack buffer and written with one write(2) so lines
 * from several threads never interleave.
 */
#include "log.h"
#include "timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int min_level = LOG_INFO;
static const char *NAMES[] = {"debug", "info", "warn", "error"};

void awda_log_level(int level)
{
    min_level = level;
}

void awda_log(int level, const char *msg, const char *fmt, ...)
{
    if (level < min_level || level < 0 || level > 3)
        return;
    char line[2048], ts[32];
    awda_iso_ms(awda_now_ms(), ts);
    int n = snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"", ts,
                     NAMES[level], msg);
    if (n < 0 || (size_t)n >= sizeof line)
        return;
    if (fmt && *fmt) {
        line[n++] = ',';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + n, sizeof line - (size_t)n - 3, fmt, ap);
        va_end(ap);
        if (m < 0)
            return;
        n += m;
        if ((size_t)n > sizeof line - 3)
            n = (int)sizeof line - 3;
    }
    line[n++] = '}';
    line[n++] = '\n';
    ssize_t w = write(2, line, (size_t)n);
    (void)w;
}
