/*
 * timeutil.h — clocks and calendar dates.
 *
 * Dates are kept as ISO 8601 text in the database and API ("2026-03-01")
 * and parsed here with fixed-width digit cursors (never sscanf/atoi).
 * A civil date is also expressible as a day number (days since
 * 1970-01-01) for comparisons and age arithmetic.
 */
#ifndef AWDA_TIMEUTIL_H
#define AWDA_TIMEUTIL_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int year, month, day; /* month/day 0 when unknown (precision) */
} awda_date_t;

/* Wall-clock milliseconds since the epoch, and a monotonic microsecond clock. */
int64_t awda_now_ms(void);
int64_t awda_mono_us(void);

/* Today's date in UTC. */
awda_date_t awda_today(void);

/* Parses exactly "YYYY-MM-DD", "YYYY-MM" or "YYYY" from s[0..n).
 * Returns the number of components parsed (3, 2 or 1), or 0 when the text
 * is not such a date or names a day that does not exist (2026-02-30). */
int awda_date_parse(const char *s, size_t n, awda_date_t *out);

/* Parses "YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM:SS" (optionally ending in
 * Z; always read as UTC) or a bare date "YYYY-MM-DD" (midnight UTC) into
 * epoch milliseconds. Returns 0 on success, -1 otherwise. */
int awda_datetime_parse(const char *s, size_t n, int64_t *ms);

/* Formats a full date as YYYY-MM-DD into out (at least 11 bytes). */
void awda_date_format(awda_date_t d, char out[11]);

/* Days since 1970-01-01 for a full date. */
int64_t awda_days_from_civil(int y, int m, int d);
int awda_days_in_month(int y, int m);

/* Formats epoch milliseconds as "2026-11-23T18:57:00.123Z" (25 bytes incl. NUL). */
void awda_iso_ms(int64_t ms, char out[32]);

#endif
