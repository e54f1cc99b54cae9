/*
 * journey.c — the transition table and the guards (see journey.h).
 *
 * The table is events.def compiled here (one row per event, a second row
 * for an event with a second way), over the stages of stages.def; the
 * macros below give the row's short words (S(), SIDE, G_* of guards.h)
 * their meaning. Also here: which steps a case can take at all, and the
 * check of the time a departure or an arrival says it happened. The
 * guards themselves are guards.c.
 */
#include "journey.h"
#include "guards.h"
#include "../util/limits.h"
#include "../util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The sets of stages events.def writes. */
#define S(x)             AWDA_STAGE_BIT(x)
#define BEFORE_DEPARTURE ((unsigned)AWDA_STAGE_SET_BEFORE_DEPARTURE)
#define ALL_STAGES       ((unsigned)AWDA_STAGE_SET_ALL)

/* The flags and effects events.def writes. */
#define SIDE              AWDA_STEP_SIDE
#define AT_REQUIRED       AWDA_STEP_AT_REQUIRED
#define AT_OPTIONAL       AWDA_STEP_AT_OPTIONAL
#define DEPARTS           AWDA_STEP_DEPARTS
#define ARRIVES           AWDA_STEP_ARRIVES
#define KEEP_STAGE        AWDA_FX_KEEP_STAGE
#define CLOSURE           AWDA_FX_CLOSURE
#define WITHDRAW_CONSENTS AWDA_FX_WITHDRAW_CONSENTS

const char *const AWDA_CLOSURE_REASONS[] = {"plan_completed", "support_period_ended",
                                            "withdrew",       "left_the_area",
                                            "lost_contact",   "re_migrated",
                                            "deceased",       "ineligible",
                                            "other",          NULL};

/* The names of the events as arrays of characters, so that the table
 * below can point at them. */
#define EVENT_NAME_MAX 32
static const char EVENT_TEXT[AWDA_EVENT_COUNT][EVENT_NAME_MAX] = {
#define AWDA_EVENT(ID, name, ...)      [AWDA_EVENT_##ID] = name,
#define AWDA_EVENT_BACK(ID, name, ...) [AWDA_EVENT_##ID] = name,
#define AWDA_EVENT_ALSO(...)
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO
};
/* Every name fits with its NUL. */
#define AWDA_EVENT(ID, name, ...)                                                                  \
    _Static_assert(sizeof name <= EVENT_NAME_MAX, "event name too long: " name);
#define AWDA_EVENT_BACK AWDA_EVENT
#define AWDA_EVENT_ALSO(...)
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO

const char *const AWDA_EVENTS[] = {
#define AWDA_EVENT(ID, ...)      EVENT_TEXT[AWDA_EVENT_##ID],
#define AWDA_EVENT_BACK(ID, ...) EVENT_TEXT[AWDA_EVENT_##ID],
#define AWDA_EVENT_ALSO(...)
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO
    NULL};

/* Who, flags and effects of each event, for its other ways (ALSO rows). */
enum {
#define AWDA_EVENT(ID, name, who, flags, fx, ...)                                                  \
    WHO_##ID = (who), FLAGS_##ID = (flags), FX_##ID = (fx),
#define AWDA_EVENT_BACK AWDA_EVENT
#define AWDA_EVENT_ALSO(...)
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO
};

/* The transition table: the rows of events.def. */
static const awda_transition_t TABLE[] = {
#define AWDA_EVENT(ID, name, who, flags, fx, from, to, guards)                                     \
    {EVENT_TEXT[AWDA_EVENT_##ID],                                                                  \
     (from),                                                                                       \
     AWDA_STAGE_TEXT[AWDA_STAGE_##to],                                                             \
     (who),                                                                                        \
     (guards),                                                                                     \
     (flags),                                                                                      \
     (fx),                                                                                         \
     AWDA_EVENT_##ID,                                                                              \
     AWDA_STAGE_##to},
#define AWDA_EVENT_BACK(ID, name, who, flags, fx, from, guards)                                    \
    {EVENT_TEXT[AWDA_EVENT_##ID],                                                                  \
     (from),                                                                                       \
     NULL,                                                                                         \
     (who),                                                                                        \
     (guards),                                                                                     \
     (flags),                                                                                      \
     (fx),                                                                                         \
     AWDA_EVENT_##ID,                                                                              \
     -1},
#define AWDA_EVENT_ALSO(ID, from, to, guards)                                                      \
    {EVENT_TEXT[AWDA_EVENT_##ID],                                                                  \
     (from),                                                                                       \
     AWDA_STAGE_TEXT[AWDA_STAGE_##to],                                                             \
     (awda_journey_perm_t)WHO_##ID,                                                                \
     (guards),                                                                                     \
     FLAGS_##ID,                                                                                   \
     FX_##ID,                                                                                      \
     AWDA_EVENT_##ID,                                                                              \
     AWDA_STAGE_##to},
#include "events.def"
#undef AWDA_EVENT
#undef AWDA_EVENT_BACK
#undef AWDA_EVENT_ALSO
};
#define NTABLE (sizeof TABLE / sizeof TABLE[0])

size_t awda_transition_count(void)
{
    return NTABLE;
}

const awda_transition_t *awda_transition_at(size_t i)
{
    return i < NTABLE ? &TABLE[i] : NULL;
}

const char *awda_event_name(int e)
{
    return e >= 0 && e < AWDA_EVENT_COUNT ? EVENT_TEXT[e] : NULL;
}

int awda_event_parse(const char *name)
{
    for (int e = 0; name && e < AWDA_EVENT_COUNT; e++)
        if (strcmp(EVENT_TEXT[e], name) == 0)
            return e;
    return -1;
}

const awda_transition_t *awda_transition_find(const char *event, const char *stage)
{
    int si = awda_stage_parse(stage), ei = awda_event_parse(event);
    for (size_t i = 0; si >= 0 && ei >= 0 && i < NTABLE; i++)
        if ((int)TABLE[i].id == ei && (TABLE[i].from & (1u << si)))
            return &TABLE[i];
    return NULL;
}

int awda_transition_events(const char *stage, const awda_transition_t **out, int max)
{
    int si = awda_stage_parse(stage), n = 0;
    for (size_t i = 0; si >= 0 && i < NTABLE && n < max; i++)
        if (TABLE[i].from & (1u << si))
            out[n++] = &TABLE[i];
    return n;
}

int awda_stage_before_departure(const char *stage)
{
    return awda_stage_is(stage, AWDA_SP_BEFORE_DEPARTURE);
}

/* ---- the time a step says it happened ------------------------------------ */

static long long when_ms(const char *iso)
{
    int64_t ms;
    if (!iso || awda_datetime_parse(iso, strlen(iso), &ms) != 0)
        return -1;
    return ms;
}

int awda_transition_possible(const awda_transition_t *t, const awda_journey_t *j)
{
    if (!(t->guards & G_RETURN_OFFICE))
        return 1;
    return *j->office_country && *j->dest_country &&
           strcmp(j->office_country, j->dest_country) == 0;
}

/* "2026-05-01 14:30 UTC" */
static void utc_words(long long ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 32, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min);
}

int awda_step_time_check(const awda_transition_t *t, const awda_journey_t *j, json_t *errors)
{
    size_t before = json_array_size(errors);
    const char *at = j->at;
    int departure = (t->flags & DEPARTS) != 0;
    const char *what = departure ? "departure" : "arrival";
    if (!(t->flags & (AWDA_STEP_AT_REQUIRED | AWDA_STEP_AT_OPTIONAL))) {
        if (at)
            awda_error_add(errors, "at",
                           "only a departure or an arrival is confirmed with a date and time; "
                           "leave it out for the step %s",
                           t->event);
        return (int)(json_array_size(errors) - before);
    }
    if (!at) {
        if (t->flags & AWDA_STEP_AT_REQUIRED)
            awda_error_add(errors, "at", "the date and time of the %s are required", what);
        return (int)(json_array_size(errors) - before);
    }
    long long ms = when_ms(at);
    if (ms < 0) {
        awda_error_add(errors, "at",
                       "the date and time of the %s must be written as YYYY-MM-DDTHH:MMZ (UTC)",
                       what);
        return (int)(json_array_size(errors) - before);
    }
    long long now = j->now;
    char words[32], other[32];
    utc_words(ms, words);
    if (ms > now + AWDA_CLOCK_SKEW_MS)
        awda_error_add(errors, "at",
                       "the %s is confirmed for %s, which is in the future; confirm it once it has "
                       "happened",
                       what, words);
    long long planned = j->planned_departure;
    if (departure && planned >= 0) {
        long long day = planned - planned % (24LL * 3600 * 1000);
        long long earliest = day - (long long)AWDA_DEPARTURE_EARLY_HOURS * 3600 * 1000;
        if (ms < earliest) {
            utc_words(planned, other);
            awda_error_add(errors, "at",
                           "the departure (%s) is more than %d hours before the day of the planned "
                           "departure (%s); correct the time, or change the planned departure "
                           "first",
                           words, AWDA_DEPARTURE_EARLY_HOURS, other);
        }
    }
    long long departed = j->departed_at;
    /* An arrival of a case that departed (not one recorded afterwards). */
    if ((t->flags & ARRIVES) && (t->from & S(DEPARTED)) && departed >= 0 && ms < departed) {
        utc_words(departed, other);
        awda_error_add(errors, "at", "the arrival (%s) cannot be before the departure (%s)", words,
                       other);
    }
    return (int)(json_array_size(errors) - before);
}
